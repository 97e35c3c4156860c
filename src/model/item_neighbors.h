/* item_neighbors: "frequently bought together": for each product, the K products most
 * often found in the same transactions (baskets, or customers' histories), scored by a
 * normalised co-occurrence count. No database here.
 *
 * The one idea: products are taken one at a time. For product i, the transactions that
 * hold it (an inverted index) are walked and every other product in them adds the
 * transaction's weight to a dense row of counts; the touched entries are scored and
 * offered to a top-K heap, and the row is cleared for the next product. Memory is the
 * inverted index (one entry per line), one row, and products × K results: the full
 * product × product matrix is never built, and the work is the sum over transactions of
 * their size squared.
 *
 * The score of neighbour j of product i, with c the weighted count of transactions
 * holding both, s the plain count (the support) and n the weighted count of
 * transactions holding a product:
 *     score = c / (n_i^alpha · n_j^(1 − alpha)) · s / (s + shrinkage)
 * alpha = 0.5 is the cosine; a larger alpha damps popular neighbours less, a smaller one
 * more. The shrinkage factor distrusts pairs seen only a few times. */
#ifndef CARTOGRAPH_ITEM_NEIGHBORS_H
#define CARTOGRAPH_ITEM_NEIGHBORS_H

#include <stddef.h>
#include <stdint.h>

/* Where a product's neighbour came from. */
enum neighbor_source {
	NEIGHBOR_FROM_BASKETS = 0, /* bought together */
	NEIGHBOR_FROM_CONTENT = 1, /* similar name in the same sub-category */
	NEIGHBOR_FROM_POPULAR = 2  /* a best seller of the same sub-category */
};

/* Sets of products (baskets, or customers' histories) as a compressed row list. */
struct transaction_set {
	size_t count;          /* transactions */
	const uint32_t *start; /* transaction t holds entries start[t] .. start[t + 1] */
	const void *entries;   /* entries, each beginning with an int32_t product number */
	size_t entry_size;     /* bytes from one entry to the next */
	const double *weight;  /* per transaction, or NULL for 1 each */
};

struct cooccurrence_options {
	size_t k;            /* neighbours kept per product, at least 1 */
	double alpha;        /* normalisation exponent, 0 to 1; 0.5 is the cosine */
	double shrinkage;    /* pseudo-count of the support factor, at least 0 */
	uint32_t min_support; /* pairs seen in fewer transactions are not neighbours */
	uint32_t max_transaction_size; /* larger transactions are skipped; 0: no limit */
};

/* Each product's neighbours, best first (ties: lower product number first). */
struct item_neighbors {
	size_t product_count;  /* products */
	size_t k;              /* room per product */
	uint32_t *count;       /* per product: neighbours kept, at most k */
	int32_t *neighbor;     /* product_count × k: the neighbour's product number */
	double *score;         /* product_count × k: its score (see above) */
	int32_t *support;      /* product_count × k: transactions holding both */
	unsigned char *source; /* product_count × k: enum neighbor_source */
	uint32_t *transactions; /* per product: transactions holding it */
};

/* Fills opts with the defaults: k 20, alpha 0.5, shrinkage 2, min_support 1, no size
 * limit. */
void cooccurrence_default_options(struct cooccurrence_options *opts);

/* Computes every product's neighbours from the transactions (product numbers below
 * product_count); out is allocated here, freed by item_neighbors_free. */
void item_neighbors_compute(const struct transaction_set *transactions, size_t product_count,
			    const struct cooccurrence_options *opts,
			    struct item_neighbors *out);
void item_neighbors_free(struct item_neighbors *n);

/* Product p's neighbour slot r (r < k): a pointer to its number, score, ... */
#define NEIGHBOR_AT(n, p, r) ((size_t)(p) * (n)->k + (size_t)(r))

#endif
