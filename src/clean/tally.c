/* tally: most-frequent-value counting over a short list. */
#include "clean/tally.h"

#include <stdlib.h>

#include "util/xalloc.h"

void tally_clear(struct tally *t)
{
	t->used = 0;
}

void tally_add(struct tally *t, uint32_t value)
{
	if (!value)
		return;
	for (uint32_t i = 0; i < t->used; i++)
		if (t->value[i] == value) {
			t->count[i]++;
			return;
		}
	if (t->used == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->value = xreallocarray(t->value, t->cap, sizeof *t->value);
		t->count = xreallocarray(t->count, t->cap, sizeof *t->count);
	}
	t->value[t->used] = value;
	t->count[t->used++] = 1;
}

uint32_t tally_best(const struct tally *t, const struct string_pool *pool)
{
	uint32_t best = 0, best_count = 0;
	for (uint32_t i = 0; i < t->used; i++)
		if (t->count[i] > best_count ||
		    (t->count[i] == best_count && string_pool_compare(pool, t->value[i], best) < 0)) {
			best = t->value[i];
			best_count = t->count[i];
		}
	return best;
}

void tally_free(struct tally *t)
{
	free(t->value);
	free(t->count);
	t->value = t->count = NULL;
	t->used = t->cap = 0;
}
