/* tally: counting the values (string_pool handles) of one group of lines, to pick the
 * most frequent one: a customer's country, a product's name, an order's customer.
 * Groups hold few distinct values, so a short list beats a hash table. */
#ifndef CARTOGRAPH_TALLY_H
#define CARTOGRAPH_TALLY_H

#include <stdint.h>

#include "util/string_pool.h"

struct tally {
	uint32_t *value;  /* distinct handles, in the order first seen */
	uint32_t *count;  /* how often each was added */
	uint32_t used, cap;
};

#define TALLY_INIT {NULL, NULL, 0, 0}

/* Empties the tally, keeping its memory. */
void tally_clear(struct tally *t);
/* Counts one occurrence of value; 0 (no value) is not counted. */
void tally_add(struct tally *t, uint32_t value);
/* The most frequent value; a tie goes to the text first in byte order. 0 when empty. */
uint32_t tally_best(const struct tally *t, const struct string_pool *pool);
void tally_free(struct tally *t);

#endif
