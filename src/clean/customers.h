/* customers: one row per customer id, from a customer file when there is one and from
 * the order lines, so every customer an order names exists. Country, region and city
 * come from the file, else from the order lines (the most frequent; a tie goes to the
 * first in byte order). Guest lines (no customer id) make no customers. */
#ifndef CARTOGRAPH_CUSTOMERS_H
#define CARTOGRAPH_CUSTOMERS_H

#include <sqlite3.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/order_lines.h"
#include "clean/source_runs.h"

/* Builds and writes the customers table (which must be empty). Returns 0 or a
 * negative code. */
int customers_clean(sqlite3 *db, struct line_set *set, struct source_runs *runs,
		    struct dq_log *log, struct clean_summary *sum, struct error *err);

#endif
