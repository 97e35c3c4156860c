/* customer_history: each customer's whole history, one customer at a time, for the models
 * that need more than SQL aggregates (churn features at several snapshots).
 *
 * The rows come from SQLite ordered by customer (the orders_customer index), so memory
 * holds one customer's orders and products, never the whole table. What counts:
 *   - an order is the customer's completed order with at least one order line whose
 *     flags are 0; its value is the sum of those lines (flagged lines never count);
 *   - a cancelled or returned order counts as a return, at its time;
 *   - guests (customer_id NULL) are left out. */
#ifndef CARTOGRAPH_CUSTOMER_HISTORY_H
#define CARTOGRAPH_CUSTOMER_HISTORY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "model/product_groups.h"
#include "util/error.h"

struct history_order {
	int64_t time;        /* seconds since 1970-01-01 (model_days.h) */
	int64_t value_cents; /* sum of the order's unflagged line totals */
};

struct history_product {
	size_t product;      /* its index in the product_groups the walk was given */
	int64_t first_time;  /* when the customer first bought it in a completed order */
	int64_t spend_cents; /* what they spent on it (unflagged lines of completed orders) */
};

struct customer_history {
	const char *customer_id;
	const struct history_order *orders;     /* completed orders, oldest first */
	size_t n_orders;
	const int64_t *returns;                 /* times of cancelled or returned orders, ascending */
	size_t n_returns;
	const struct history_product *products; /* distinct products, by index */
	size_t n_products;
};

/* Called once per customer that has any order; returns 0 to go on, or a negative code
 * (with err filled) to stop the walk, which then returns that code. */
typedef int (*customer_history_fn)(const struct customer_history *history, void *context,
				   struct error *err);

/* Walks every customer in ascending customer_id order (SQLite's binary collation, the
 * order strcmp gives); products are identified by their index in pg (loaded from the
 * same warehouse). Returns 0, the callback's code, or ERR_SYSTEM / ERR_INPUT (an order
 * time that does not read as 'YYYY-MM-DD HH:MM:SS'). */
int customer_history_each(sqlite3 *db, const struct product_groups *pg,
			  customer_history_fn fn, void *context, struct error *err);

#endif
