/* string_pool: texts (or any byte strings) each stored once, with 12 bytes beside each.
 * Clean keeps its order and customer ids, product codes, names and countries here, so
 * a line holds small integer handles instead of strings and equal texts compare as
 * equal numbers (the 541,909 lines of Online Retail take about 22 MB); the report's
 * group_sums keeps the keys of its groups here.
 *
 * Handle 0 means "no value" (an empty or missing field); handles of texts run from 1
 * in the order they were first seen, which keeps everything built on them
 * deterministic. A text may hold NUL bytes: its length is kept, not searched for. */
#ifndef CARTOGRAPH_STRING_POOL_H
#define CARTOGRAPH_STRING_POOL_H

#include <stddef.h>
#include <stdint.h>

struct string_pool {
	char *bytes;        /* the texts back to back in handle order, each NUL-terminated
			       (so a text ends where the next one starts) */
	size_t used, cap;   /* bytes in use and allocated */
	size_t *offset;     /* per handle: where its text starts in bytes */
	uint32_t *hash;     /* per handle: the low bits of its hash, to grow the table
			       without rehashing */
	uint32_t count;     /* handles in use, including 0 */
	uint32_t handles_cap;
	uint32_t *slots;    /* open-addressing table of handles, 0 = empty */
	uint32_t slot_mask; /* table size - 1 (a power of two) */
};

void string_pool_init(struct string_pool *pool);
void string_pool_free(struct string_pool *pool);
/* Returns the handle of the text s[0..len), adding it when new; 0 when len is 0. */
uint32_t string_pool_intern(struct string_pool *pool, const char *s, size_t len);
/* The handle of the text s[0..len) when the pool holds it, else 0 (also for len 0, and
 * in a pool zeroed or freed). */
uint32_t string_pool_find(const struct string_pool *pool, const char *s, size_t len);
/* The text of a handle (NUL-terminated; "" for 0), valid until the next intern. */
const char *string_pool_text(const struct string_pool *pool, uint32_t handle);
size_t string_pool_length(const struct string_pool *pool, uint32_t handle);
/* Orders two handles by their texts (bytewise, like SQLite's BINARY collation). */
int string_pool_compare(const struct string_pool *pool, uint32_t a, uint32_t b);
/* Sorts handles by their texts, bytewise. */
void string_pool_sort(const struct string_pool *pool, uint32_t *handles, size_t count);

/* A fast 64-bit hash of bytes (not cryptographic), also used to find duplicate lines. */
uint64_t bytes_hash(const void *data, size_t len, uint64_t seed);

#endif
