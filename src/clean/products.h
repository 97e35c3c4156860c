/* products: one row per product id, from a product file when there is one and from
 * the order lines: the name is the file's, else the most frequent description of the
 * product's priced lines (a tie goes to the first in byte order); category and
 * subcategory likewise; the price is the file's, else the median unit price of its
 * sales. Non-product lines (adjustments) make no products. */
#ifndef CARTOGRAPH_PRODUCTS_H
#define CARTOGRAPH_PRODUCTS_H

#include <sqlite3.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/order_lines.h"
#include "clean/rules.h"
#include "clean/source_runs.h"

/* What the order lines say about one product. */
struct product_fact {
	uint32_t id;                /* the product code's handle */
	uint32_t name;              /* most frequent description of priced lines */
	uint32_t category, subcategory; /* most frequent */
	uint32_t first_line;        /* its first line, cited by the rules */
	int64_t price_cents;        /* median unit price of its sales, when has_price */
	uint8_t has_price;
	uint8_t name_variants;      /* priced lines give more than one description */
};

struct product_facts {
	struct product_fact *fact;  /* one per product seen in the items */
	uint32_t count;
	uint32_t *index_of;         /* fact index per handle, UINT32_MAX when none */
	uint32_t handles;
};

/* Works out the facts of every product from the item lines. Touches no database, so
 * it can run while SQLite builds an index. */
struct product_facts *products_from_lines(const struct line_set *set);
void product_facts_free(struct product_facts *facts);

/* Reads raw_products, completes each product from the facts and writes the products
 * table (which must be empty). Returns 0 or a negative code. */
int products_write(sqlite3 *db, struct line_set *set, const struct product_facts *facts,
		   struct source_runs *runs, const struct clean_rules *rules, struct dq_log *log,
		   struct clean_summary *sum, struct error *err);

#endif
