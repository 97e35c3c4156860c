/* content_fallback: neighbours for products that baskets say too little about (new or
 * rarely sold ones), so every product page can show related products. No database
 * here.
 *
 * The one idea: a product's name is a bag of words (text_tokens), each weighed by
 * TF-IDF over the whole catalogue, so "mug" in "RED SPOTTY MUG" counts for more than
 * "red"; two names are as alike as the cosine of their vectors. Products are compared
 * only within the same sub-category (or category when there is none; the whole shop
 * when neither is known). A product with fewer than min_baskets baskets keeps only the
 * basket neighbours seen with it at least twice, then takes the most alike names, then
 * the best sellers of its group, until its K slots are full. */
#ifndef CARTOGRAPH_CONTENT_FALLBACK_H
#define CARTOGRAPH_CONTENT_FALLBACK_H

#include <stddef.h>
#include <stdint.h>

#include "model/best_sellers.h"
#include "model/item_neighbors.h"
#include "model/purchase_history.h"

/* What the fallback did. */
struct content_fallback_counts {
	size_t products;     /* products under min_baskets */
	size_t by_name;      /* of them, given at least one neighbour by name */
	size_t by_popular;   /* of them, given at least one best seller of their group */
};

/* Fills the neighbour slots of products with fewer than min_baskets transactions (as
 * counted in n->transactions) from names and best sellers (popular). */
void content_fallback_fill(const struct purchase_history *h, const struct popularity *popular,
			   uint32_t min_baskets, struct item_neighbors *n,
			   struct content_fallback_counts *counts);

#endif
