/* best_sellers: how popular each product is, and the best sellers overall, per customer
 * segment (country) and per category: the popularity baseline, the fallback for
 * customers without useful history, and the "popular in this category" lists of the
 * shop. No database here.
 *
 * The one idea: a product's popularity is the number of baskets holding it, each
 * counted with weight 2^(-age / half-life) where age is how long before `now` the basket
 * was bought: with no half-life every basket counts 1 (plain best sellers); with one,
 * what sells now outranks what sold a year ago. */
#ifndef CARTOGRAPH_BEST_SELLERS_H
#define CARTOGRAPH_BEST_SELLERS_H

#include <stddef.h>
#include <stdint.h>

#include "model/purchase_history.h"

struct popularity {
	size_t product_count; /* products */
	double *score;        /* per product: weighted baskets holding it */
	double max_score;     /* the highest score (0 when nothing sold) */
	int32_t *ranked;      /* products with a positive score, best first (ties by number) */
	size_t ranked_count;  /* entries in ranked */
};

/* Popularity over the first basket_limit baskets, as of now; half_life_days 0 counts
 * every basket 1. */
void popularity_compute(const struct purchase_history *h, size_t basket_limit, int64_t now,
			double half_life_days, struct popularity *out);
void popularity_free(struct popularity *p);

/* The best sellers of each segment: the top `per_segment` products by the same
 * weighted count over the baskets of the segment's customers. */
struct segment_best_sellers {
	size_t segment_count;   /* as in the purchase history */
	size_t per_segment;     /* room per segment */
	uint32_t *count;        /* per segment: products listed */
	int32_t *product;       /* segment_count × per_segment, best first */
	uint32_t *customers;    /* per segment: customers with a basket in the period */
};

void segment_best_sellers_compute(const struct purchase_history *h, size_t basket_limit,
				  int64_t now, double half_life_days, size_t per_segment,
				  struct segment_best_sellers *out);
void segment_best_sellers_free(struct segment_best_sellers *s);

#endif
