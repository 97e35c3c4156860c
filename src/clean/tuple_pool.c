/* tuple_pool: interning fixed-size records in one growing array with an
 * open-addressing table of handles. */
#include "clean/tuple_pool.h"

#include <stdlib.h>
#include <string.h>

#include "util/string_pool.h"
#include "util/xalloc.h"

#define FIRST_RECORDS 64u
#define FIRST_SLOTS 128u

void tuple_pool_init(struct tuple_pool *pool, size_t size)
{
	assert(size > 0 && size % 4 == 0);
	memset(pool, 0, sizeof *pool);
	pool->size = size;
	pool->cap = FIRST_RECORDS;
	pool->records = xcalloc(pool->cap, size); /* record 0: all zeros */
	pool->count = 1;
	pool->slot_mask = FIRST_SLOTS - 1;
	pool->slots = xcalloc(FIRST_SLOTS, sizeof *pool->slots);
}

void tuple_pool_free(struct tuple_pool *pool)
{
	free(pool->records);
	free(pool->slots);
	memset(pool, 0, sizeof *pool);
}

static uint32_t slot_of(const struct tuple_pool *pool, const void *record)
{
	return (uint32_t)bytes_hash(record, pool->size, 0) & pool->slot_mask;
}

/* Doubles the table and puts every handle back in it. */
static void grow_slots(struct tuple_pool *pool)
{
	uint32_t size = (pool->slot_mask + 1) * 2;
	free(pool->slots);
	pool->slots = xcalloc_written(size, sizeof *pool->slots);
	pool->slot_mask = size - 1;
	for (uint32_t h = 1; h < pool->count; h++) {
		uint32_t i = slot_of(pool, tuple_pool_get(pool, h));
		while (pool->slots[i])
			i = (i + 1) & pool->slot_mask;
		pool->slots[i] = h;
	}
}

uint32_t tuple_pool_intern(struct tuple_pool *pool, const void *record)
{
	if (memcmp(record, pool->records, pool->size) == 0)
		return 0;
	uint32_t i = slot_of(pool, record);
	for (uint32_t h; (h = pool->slots[i]); i = (i + 1) & pool->slot_mask)
		if (memcmp(tuple_pool_get(pool, h), record, pool->size) == 0)
			return h;
	if (pool->count == pool->cap) {
		assert(pool->cap < UINT32_MAX / 2);
		pool->cap *= 2;
		pool->records = xreallocarray(pool->records, pool->cap, pool->size);
	}
	uint32_t handle = pool->count++;
	memcpy(pool->records + (size_t)handle * pool->size, record, pool->size);
	pool->slots[i] = handle;
	if ((uint64_t)pool->count * 2 > pool->slot_mask)
		grow_slots(pool);
	return handle;
}
