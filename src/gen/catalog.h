/* catalog: the products of the synthetic shop.
 *
 * Seven categories, each with sub-categories that have their own price range, margin and
 * way of naming things ("Voltara Z50 Mirrorless Camera", "The Quiet Harbour (Paperback)").
 * Products are numbered in catalog order (grouped by category, then sub-category), so a
 * category is one contiguous run of products. Popularity follows a Zipf-like curve over a
 * shuffled order: a few products sell a lot, most sell little. Bundles tie an anchor
 * product to the accessories bought with it (a camera with a memory card and a bag). */
#ifndef CARTOGRAPH_GEN_CATALOG_H
#define CARTOGRAPH_GEN_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/rng.h"

enum { BUNDLE_MAX = 3 }; /* an anchor and up to two companions */

struct product {
	uint32_t id;          /* product number, written "P<id>" */
	uint16_t subcategory; /* index into the sub-category table */
	uint16_t category;    /* index into the category table */
	char *name;           /* what the shop calls it */
	char *description;    /* one or two sentences for the product page */
	int64_t price_cents;  /* list price */
	int64_t cost_cents;   /* what one unit costs the shop */
	int32_t stock;        /* units in the warehouse now (a few are 0) */
	double quality;       /* the mean star rating its buyers tend to give, 1..5 */
	int32_t bundle;       /* the bundle it anchors, or -1 */
};

struct bundle {
	uint32_t product[BUNDLE_MAX]; /* product indexes, the anchor first */
	int size;                      /* products in use, 2..BUNDLE_MAX */
};

struct catalog {
	struct product *products;   /* count products, in catalog order */
	size_t count;
	struct bundle *bundles;     /* bundle_count bundles */
	size_t bundle_count;
	uint64_t *popularity_sum;   /* running sum of popularity weights, per product */
	size_t *category_first;     /* first product of each category */
	size_t *category_end;       /* one past the last product of each category */
};

/* The number of products a data set of order_lines lines carries. */
size_t catalog_size_for(uint64_t order_lines);
/* Builds a catalog of about count products (at least one per sub-category). */
void catalog_build(struct catalog *c, size_t count, uint64_t seed);
void catalog_free(struct catalog *c);
/* Writes products.csv into dir. */
int catalog_write(const struct catalog *c, const char *dir, struct error *err);

/* A product drawn by popularity from the whole catalog. */
size_t catalog_draw(const struct catalog *c, struct rng *r);
/* A product drawn by popularity from one category. */
size_t catalog_draw_in_category(const struct catalog *c, struct rng *r, int category);

int catalog_category_count(void);
const char *catalog_category_name(int category);
const char *catalog_subcategory_name(int subcategory);
/* How a review speaks of a product of this sub-category: "camera", "pair of socks". */
const char *catalog_subcategory_noun(int subcategory);
/* Qualities a review may praise or blame for this category, NULL-terminated. */
const char *const *catalog_category_aspects(int category);

#endif
