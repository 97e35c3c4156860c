/* active_set: a Fenwick tree over integer weights, with weighted drawing. */
#include "gen/active_set.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void active_set_init(struct active_set *s, size_t n)
{
	s->tree = xcalloc(n + 1, sizeof *s->tree);
	s->weight = xcalloc(n ? n : 1, sizeof *s->weight);
	s->n = n;
	s->total = 0;
}

void active_set_free(struct active_set *s)
{
	free(s->tree);
	free(s->weight);
	memset(s, 0, sizeof *s);
}

void active_set_put(struct active_set *s, size_t i, uint64_t w)
{
	assert(i < s->n);
	uint64_t old = s->weight[i];
	s->weight[i] = w;
	s->total = s->total - old + w;
	/* Unsigned wrap-around makes adding (w - old) right whichever is larger. */
	for (size_t k = i + 1; k <= s->n; k += k & (0 - k))
		s->tree[k] += w - old;
}

size_t active_set_draw(const struct active_set *s, struct rng *r)
{
	assert(s->total > 0);
	uint64_t target = rng_below(r, s->total);
	size_t pos = 0, step = 1;
	while (step * 2 <= s->n)
		step *= 2;
	/* Walk down: skip every block whose sum is still at or below the target. */
	for (; step; step /= 2) {
		if (pos + step <= s->n && s->tree[pos + step] <= target) {
			pos += step;
			target -= s->tree[pos];
		}
	}
	assert(pos < s->n && s->weight[pos] > 0);
	return pos;
}
