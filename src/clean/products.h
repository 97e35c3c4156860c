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

/* Builds and writes the products table (which must be empty). Returns 0 or a negative
 * code. */
int products_clean(sqlite3 *db, struct line_set *set, struct source_runs *runs,
		   const struct clean_rules *rules, struct dq_log *log,
		   struct clean_summary *sum, struct error *err);

#endif
