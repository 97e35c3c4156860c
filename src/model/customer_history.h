/* customer_history: each customer's whole history, one customer at a time, for the models
 * that need more than aggregates (churn features at several snapshots, customer_360).
 *
 * The histories are gathered from the order book (order_book.h), customer after customer
 * in id order, so memory beyond the book holds one customer's orders and products. What
 * counts:
 *   - an order is the customer's completed order with at least one order line whose
 *     flags are 0; its value is the sum of those lines (flagged lines never count);
 *   - a cancelled or returned order counts as a return, at its time;
 *   - guests (customer_id NULL) are left out. */
#ifndef CARTOGRAPH_CUSTOMER_HISTORY_H
#define CARTOGRAPH_CUSTOMER_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "model/order_book.h"
#include "util/error.h"

struct history_order {
	int64_t time;        /* seconds since 1970-01-01 (model_days.h) */
	int64_t value_cents; /* sum of the order's unflagged line totals */
};

struct history_product {
	size_t product;      /* its index in the order book's products */
	int64_t first_time;  /* when the customer first bought it in a completed order */
	int64_t spend_cents; /* what they spent on it (unflagged lines of completed orders) */
};

struct customer_history {
	const char *customer_id;
	const struct history_order *orders;     /* completed orders, oldest first (equal
						 * times in the orders table's order) */
	size_t n_orders;
	const int64_t *returns;                 /* times of cancelled or returned orders, ascending */
	size_t n_returns;
	const struct history_product *products; /* distinct products, in the order first
						 * bought (ties: by line) */
	size_t n_products;
};

/* Called once per customer that has any order; returns 0 to go on, or a negative code
 * (with err filled) to stop the walk, which then returns that code. */
typedef int (*customer_history_fn)(const struct customer_history *history, void *context,
				   struct error *err);

/* Walks every customer of the book in ascending customer_id order (byte order). Returns
 * 0 or the callback's code. */
int customer_history_each(const struct order_book *book, customer_history_fn fn,
			  void *context, struct error *err);

#endif
