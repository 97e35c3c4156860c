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

/* The transactions counted, compacted (product numbers only, so the inner loop reads
 * consecutive int32s), and the inverted index: product p is in the compacted
 * transactions holders[first[p] .. first[p + 1]). */
struct product_index {
	uint32_t *start;   /* used transaction u holds products[start[u] .. start[u + 1]) */
	int32_t *products; /* the used transactions' products */
	double *weight;    /* per used transaction, or NULL for 1 each */
	uint32_t *first;   /* product_count + 1 offsets */
	uint32_t *holders; /* used transaction numbers */
};

/* Compacts the used transactions and counts every product's transactions (used or
 * not) into transactions_per_product. */
static void compact_transactions(const struct transaction_set *t, size_t product_count,
				 const struct cooccurrence_options *opts,
				 struct product_index *ix, uint32_t *transactions_per_product)
{
	size_t used = 0, entries = 0;
	for (size_t i = 0; i < t->count; i++) {
		for (uint32_t e = t->start[i]; e < t->start[i + 1]; e++) {
			int32_t p = entry_product(t, e);
			assert(p >= 0 && (size_t)p < product_count);
			transactions_per_product[p]++;
		}
		if (transaction_used(t, opts, i)) {
			used++;
			entries += t->start[i + 1] - t->start[i];
		}
	}
	assert(entries <= UINT32_MAX);
	ix->start = xmalloc((used + 1) * sizeof *ix->start);
	ix->products = xmalloc((entries + 1) * sizeof *ix->products);
	ix->weight = t->weight ? xmalloc((used + 1) * sizeof *ix->weight) : NULL;
	size_t u = 0, at = 0;
	for (size_t i = 0; i < t->count; i++) {
		if (!transaction_used(t, opts, i))
			continue;
		ix->start[u] = (uint32_t)at;
		if (ix->weight)
			ix->weight[u] = t->weight[i];
		for (uint32_t e = t->start[i]; e < t->start[i + 1]; e++)
			ix->products[at++] = entry_product(t, e);
		u++;
	}
	ix->start[used] = (uint32_t)at;
	/* the inverted index, by a counting sort */
	ix->first = xcalloc(product_count + 2, sizeof *ix->first);
	for (size_t e = 0; e < entries; e++)
		ix->first[ix->products[e] + 2]++;
	for (size_t p = 0; p < product_count; p++)
		ix->first[p + 2] += ix->first[p + 1];
	ix->holders = xmalloc((entries + 1) * sizeof *ix->holders);
	/* first[p + 1] serves as p's fill pointer and ends up as first[p + 1]'s value */
	for (size_t v = 0; v < used; v++)
		for (uint32_t e = ix->start[v]; e < ix->start[v + 1]; e++)
			ix->holders[ix->first[ix->products[e] + 1]++] = (uint32_t)v;
}

static void free_index(struct product_index *ix)
{
	free(ix->start);
	free(ix->products);
	free(ix->weight);
	free(ix->first);
	free(ix->holders);
}

/* Counts, for every product q sharing a transaction with p, the transactions holding
 * both (support) and, when weighed, their summed weight (together, in holder order);
 * p itself is counted too. Lists each product counted once in touched; returns how
 * many. */
static size_t count_pairs(const struct product_index *ix, size_t p, int32_t *support,
			  double *together, int32_t *touched)
{
	size_t n = 0;
	for (uint32_t h = ix->first[p]; h < ix->first[p + 1]; h++) {
		uint32_t u = ix->holders[h];
		const int32_t *q = ix->products + ix->start[u], *end = ix->products + ix->start[u + 1];
		if (ix->weight) {
			double w = ix->weight[u];
			for (; q < end; q++) {
				touched[n] = *q;
				n += support[*q]++ == 0;
				together[*q] += w;
			}
		} else {
			for (; q < end; q++) {
				touched[n] = *q;
				n += support[*q]++ == 0;
			}
		}
	}
	return n;
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
	compact_transactions(t, product_count, opts, &ix, out->transactions);
	/* weighted occurrences, raised to both exponents once */
	double *own_norm = xcalloc(product_count + 1, sizeof *own_norm);
	double *other_norm = xcalloc(product_count + 1, sizeof *other_norm);
	for (size_t p = 0; p < product_count; p++) {
		double n = 0;
		for (uint32_t h = ix.first[p]; h < ix.first[p + 1]; h++)
			n += ix.weight ? ix.weight[ix.holders[h]] : 1.0;
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
		size_t touched_count = count_pairs(&ix, p, support, together, touched);
		/* every transaction weighs 1: the count is the support */
		int counted = ix.weight != NULL;
		for (size_t x = 0; x < touched_count; x++) {
			int32_t q = touched[x];
			double c = counted ? together[q] : support[q];
			if ((size_t)q != p && (uint32_t)support[q] >= opts->min_support && c > 0) {
				double score = c / (own_norm[p] * other_norm[q]) *
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
	free_index(&ix);
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
