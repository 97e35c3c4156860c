/* string_pool: interning texts in one growing byte array with an open-addressing
 * table of handles. */
#include "util/string_pool.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define FIRST_SLOTS 1024u

/* Mixes 64 bits (the finaliser of splitmix64). */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

uint64_t bytes_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ULL);
	while (len >= 8) {
		uint64_t word;
		memcpy(&word, p, 8);
		h = (h ^ mix64(word)) * 0x9e3779b97f4a7c15ULL;
		p += 8;
		len -= 8;
	}
	uint64_t tail = 0;
	for (size_t i = 0; i < len; i++)
		tail |= (uint64_t)p[i] << (8 * i);
	return mix64(h ^ mix64(tail ^ len));
}

void string_pool_init(struct string_pool *pool)
{
	memset(pool, 0, sizeof *pool);
	pool->handles_cap = 256;
	pool->offset = xcalloc(pool->handles_cap, sizeof *pool->offset);
	pool->hash = xcalloc(pool->handles_cap, sizeof *pool->hash);
	pool->cap = 4096;
	pool->bytes = xmalloc(pool->cap);
	pool->bytes[0] = '\0'; /* handle 0: the empty text */
	pool->used = 1;
	pool->count = 1;
	pool->slot_mask = FIRST_SLOTS - 1;
	pool->slots = xcalloc(FIRST_SLOTS, sizeof *pool->slots);
}

void string_pool_free(struct string_pool *pool)
{
	free(pool->bytes);
	free(pool->offset);
	free(pool->hash);
	free(pool->slots);
	memset(pool, 0, sizeof *pool);
}

/* Doubles the table and puts every handle back in it. */
static void grow_slots(struct string_pool *pool)
{
	uint32_t size = (pool->slot_mask + 1) * 2;
	free(pool->slots);
	pool->slots = xcalloc_written(size, sizeof *pool->slots);
	pool->slot_mask = size - 1;
	for (uint32_t h = 1; h < pool->count; h++) {
		uint32_t i = pool->hash[h] & pool->slot_mask;
		while (pool->slots[i])
			i = (i + 1) & pool->slot_mask;
		pool->slots[i] = h;
	}
}

/* Stores a new text and returns its handle. */
static uint32_t add_text(struct string_pool *pool, const char *s, size_t len, uint64_t hash)
{
	assert(len < UINT32_MAX);
	if (pool->count == pool->handles_cap) {
		pool->handles_cap *= 2;
		pool->offset = xreallocarray(pool->offset, pool->handles_cap, sizeof *pool->offset);
		pool->hash = xreallocarray(pool->hash, pool->handles_cap, sizeof *pool->hash);
	}
	while (pool->used + len + 1 > pool->cap) {
		pool->cap *= 2;
		pool->bytes = xrealloc(pool->bytes, pool->cap);
	}
	uint32_t handle = pool->count++;
	memcpy(pool->bytes + pool->used, s, len);
	pool->bytes[pool->used + len] = '\0';
	pool->offset[handle] = pool->used;
	pool->hash[handle] = (uint32_t)hash;
	pool->used += len + 1;
	return handle;
}

/* The slot that holds s[0..len) of this hash, or the empty one where it would go. */
static uint32_t slot_of(const struct string_pool *pool, const char *s, size_t len,
			uint64_t hash)
{
	uint32_t i = (uint32_t)hash & pool->slot_mask;
	for (uint32_t h; (h = pool->slots[i]); i = (i + 1) & pool->slot_mask)
		if (pool->hash[h] == (uint32_t)hash && string_pool_length(pool, h) == len &&
		    memcmp(pool->bytes + pool->offset[h], s, len) == 0)
			break;
	return i;
}

uint32_t string_pool_find(const struct string_pool *pool, const char *s, size_t len)
{
	if (len == 0 || !pool->slots)
		return 0;
	return pool->slots[slot_of(pool, s, len, bytes_hash(s, len, 0))];
}

uint32_t string_pool_intern(struct string_pool *pool, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	uint64_t hash = bytes_hash(s, len, 0);
	uint32_t i = slot_of(pool, s, len, hash);
	if (pool->slots[i])
		return pool->slots[i];
	uint32_t handle = add_text(pool, s, len, hash);
	pool->slots[i] = handle;
	if ((uint64_t)pool->count * 2 > pool->slot_mask)
		grow_slots(pool);
	return handle;
}

const char *string_pool_text(const struct string_pool *pool, uint32_t handle)
{
	assert(handle < pool->count);
	return pool->bytes + (handle ? pool->offset[handle] : 0);
}

size_t string_pool_length(const struct string_pool *pool, uint32_t handle)
{
	assert(handle < pool->count);
	if (!handle)
		return 0;
	size_t end = handle + 1 < pool->count ? pool->offset[handle + 1] : pool->used;
	return end - pool->offset[handle] - 1;
}

int string_pool_compare(const struct string_pool *pool, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	size_t la = string_pool_length(pool, a), lb = string_pool_length(pool, b);
	int c = memcmp(string_pool_text(pool, a), string_pool_text(pool, b), la < lb ? la : lb);
	return c ? c : (la < lb ? -1 : la > lb);
}

/* A handle with its text, to sort without a comparison context. */
struct sort_key {
	const char *text;
	uint32_t len;
	uint32_t handle;
};

static int compare_sort_keys(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
	return c ? c : (x->len < y->len ? -1 : x->len > y->len);
}

void string_pool_sort(const struct string_pool *pool, uint32_t *handles, size_t count)
{
	if (count < 2)
		return;
	struct sort_key *keys = xmalloc(count * sizeof *keys);
	for (size_t i = 0; i < count; i++)
		keys[i] = (struct sort_key){string_pool_text(pool, handles[i]),
					    (uint32_t)string_pool_length(pool, handles[i]), handles[i]};
	qsort(keys, count, sizeof *keys, compare_sort_keys);
	for (size_t i = 0; i < count; i++)
		handles[i] = keys[i].handle;
	free(keys);
}
