/* item_neighbors: sparse co-occurrence counting, one product at a time, with a top-K
 * heap per product (see item_neighbors.h). */
#include "model/item_neighbors.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/top_k.h"
#include "util/xalloc.h"

void cooccurrence_default_options(struct cooccurrence_options *opts)
{
	opts->k = 20;
	opts->alpha = 0.5;
	opts->shrinkage = 2.0;
	opts->min_support = 1;
	opts->max_transaction_size = 0;
}

static int32_t entry_product(const struct transaction_set *t, uint32_t e)
{
	int32_t product;
	memcpy(&product, (const char *)t->entries + (size_t)e * t->entry_size, sizeof product);
	return product;
}

static int transaction_used(const struct transaction_set *t,
			    const struct cooccurrence_options *opts, size_t i)
{
	uint32_t size = t->start[i + 1] - t->start[i];
	return size >= 2 && (opts->max_transaction_size == 0 ||
			     size <= opts->max_transaction_size);
}

/* The inverted index: product p is in transactions holders[first[p] .. first[p + 1]). */
struct product_index {
	uint32_t *first;   /* product_count + 1 offsets */
	uint32_t *holders; /* transaction numbers */
};

static void index_products(const struct transaction_set *t, size_t product_count,
			   const struct cooccurrence_options *opts, struct product_index *ix,
			   uint32_t *transactions_per_product)
{
	ix->first = xcalloc(product_count + 2, sizeof *ix->first);
	for (size_t i = 0; i < t->count; i++)
		for (uint32_t e = t->start[i]; e < t->start[i + 1]; e++) {
			int32_t p = entry_product(t, e);
			assert(p >= 0 && (size_t)p < product_count);
			transactions_per_product[p]++;
			if (transaction_used(t, opts, i))
				ix->first[p + 2]++;
		}
	for (size_t p = 0; p < product_count; p++)
		ix->first[p + 2] += ix->first[p + 1];
	ix->holders = xmalloc(((size_t)ix->first[product_count + 1] + 1) * sizeof *ix->holders);
	/* first[p + 1] serves as p's fill pointer and ends up as first[p + 1]'s value */
	for (size_t i = 0; i < t->count; i++) {
		if (!transaction_used(t, opts, i))
			continue;
		for (uint32_t e = t->start[i]; e < t->start[i + 1]; e++)
			ix->holders[ix->first[entry_product(t, e) + 1]++] = (uint32_t)i;
	}
}

void item_neighbors_compute(const struct transaction_set *t, size_t product_count,
			    const struct cooccurrence_options *opts, struct item_neighbors *out)
{
	assert(opts->k > 0 && opts->alpha >= 0 && opts->alpha <= 1 && opts->shrinkage >= 0);
	size_t k = opts->k, slots = (product_count ? product_count : 1) * k;
	out->product_count = product_count;
	out->k = k;
	out->count = xcalloc(product_count + 1, sizeof *out->count);
	out->neighbor = xmalloc(slots * sizeof *out->neighbor);
	out->score = xmalloc(slots * sizeof *out->score);
	out->support = xmalloc(slots * sizeof *out->support);
	out->source = xcalloc(slots, sizeof *out->source);
	out->transactions = xcalloc(product_count + 1, sizeof *out->transactions);

	struct product_index ix;
	index_products(t, product_count, opts, &ix, out->transactions);
	/* weighted occurrences, raised to both exponents once */
	double *own_norm = xcalloc(product_count + 1, sizeof *own_norm);
	double *other_norm = xcalloc(product_count + 1, sizeof *other_norm);
	for (size_t p = 0; p < product_count; p++) {
		double n = 0;
		for (uint32_t h = ix.first[p]; h < ix.first[p + 1]; h++)
			n += t->weight ? t->weight[ix.holders[h]] : 1.0;
		own_norm[p] = pow(n, opts->alpha);
		other_norm[p] = pow(n, 1 - opts->alpha);
	}
	double *together = xcalloc(product_count + 1, sizeof *together);
	int32_t *support = xcalloc(product_count + 1, sizeof *support);
	int32_t *touched = xmalloc((product_count + 1) * sizeof *touched);
	struct top_k best;
	top_k_init(&best, k);
	struct scored_item *taken = xmalloc(k * sizeof *taken);
	for (size_t p = 0; p < product_count; p++) {
		size_t touched_count = 0;
		for (uint32_t h = ix.first[p]; h < ix.first[p + 1]; h++) {
			uint32_t i = ix.holders[h];
			double w = t->weight ? t->weight[i] : 1.0;
			for (uint32_t e = t->start[i]; e < t->start[i + 1]; e++) {
				int32_t q = entry_product(t, e);
				if ((size_t)q == p)
					continue;
				if (support[q] == 0)
					touched[touched_count++] = q;
				support[q]++;
				if (t->weight)
					together[q] += w;
			}
		}
		if (!t->weight) /* every transaction weighs 1: the count is the support */
			for (size_t x = 0; x < touched_count; x++)
				together[touched[x]] = support[touched[x]];
		for (size_t x = 0; x < touched_count; x++) {
			int32_t q = touched[x];
			if ((uint32_t)support[q] >= opts->min_support && together[q] > 0) {
				double score = together[q] / (own_norm[p] * other_norm[q]) *
					       support[q] / (support[q] + opts->shrinkage);
				top_k_offer(&best, score, q, support[q]);
			}
			together[q] = 0;
			support[q] = 0;
		}
		size_t n = top_k_take(&best, taken);
		out->count[p] = (uint32_t)n;
		for (size_t r = 0; r < n; r++) {
			size_t at = NEIGHBOR_AT(out, p, r);
			out->neighbor[at] = taken[r].item;
			out->score[at] = taken[r].score;
			out->support[at] = taken[r].extra;
			out->source[at] = NEIGHBOR_FROM_BASKETS;
		}
	}
	top_k_free(&best);
	free(taken);
	free(touched);
	free(support);
	free(together);
	free(own_norm);
	free(other_norm);
	free(ix.first);
	free(ix.holders);
}

void item_neighbors_free(struct item_neighbors *n)
{
	free(n->count);
	free(n->neighbor);
	free(n->score);
	free(n->support);
	free(n->source);
	free(n->transactions);
	memset(n, 0, sizeof *n);
}
