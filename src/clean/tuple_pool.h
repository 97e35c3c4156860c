/* tuple_pool: small fixed-size records (a line's amounts, its time, its place, its
 * product's description), each stored once. A line holds one handle where it held the
 * record's fields, and the records repeat: the 541,909 lines of Online Retail carry
 * 8,394 distinct amounts and 23,260 distinct times.
 *
 * A pool holds records of one size, compared as bytes, so a record type must have no
 * padding the compiler could leave undefined (give it explicit pad members and check
 * its size). Handle 0 is the record of all zero bytes, always present; handles of
 * other records run from 1 in the order they were first seen. Records are aligned for
 * any member when the size is a multiple of 8. */
#ifndef CARTOGRAPH_TUPLE_POOL_H
#define CARTOGRAPH_TUPLE_POOL_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

struct tuple_pool {
	unsigned char *records;   /* the records back to back, size bytes each */
	size_t size;              /* bytes per record, a multiple of 4 */
	uint32_t count, cap;      /* records in use (including 0) and allocated */
	uint32_t *slots;          /* open-addressing table of handles, 0 = empty */
	uint32_t slot_mask;       /* table size - 1 (a power of two) */
};

void tuple_pool_init(struct tuple_pool *pool, size_t size);
void tuple_pool_free(struct tuple_pool *pool);
/* Returns the handle of the record (size bytes), adding it when new; 0 for all zeros. */
uint32_t tuple_pool_intern(struct tuple_pool *pool, const void *record);

/* The record of a handle, valid until the next intern. */
static inline const void *tuple_pool_get(const struct tuple_pool *pool, uint32_t handle)
{
	assert(handle < pool->count);
	return pool->records + (size_t)handle * pool->size;
}

#endif
