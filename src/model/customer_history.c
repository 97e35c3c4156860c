/* customer_history: one query over orders joined to their lines in customer order; the
 * lines of a customer are gathered into orders, returns and purchases per product,
 * handed to the callback, and the arrays reused for the next customer. */
#include "model/customer_history.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/model_days.h"
#include "util/xalloc.h"

/* Lines come grouped by order (a nested loop over the orders_customer index), so the
 * orders of one customer arrive oldest first, each with all its lines together. */
static const char history_sql[] =
	"SELECT o.customer_id, o.order_id, o.order_time, o.status = 'completed',"
	"       i.product_id, i.line_total_cents, i.flags"
	" FROM orders o LEFT JOIN order_items i ON i.order_id = o.order_id"
	" WHERE o.customer_id IS NOT NULL"
	" ORDER BY o.customer_id, o.order_time";

/* The customer being gathered. */
struct gathering {
	char *customer_id;                /* owned; NULL before the first row */
	char *order_id;                   /* the order whose lines are arriving; owned */
	int order_completed;              /* that order is completed */
	int order_counted;                /* it has an unflagged line so far */
	struct history_order *orders;
	size_t n_orders, cap_orders;
	int64_t *returns;
	size_t n_returns, cap_returns;
	struct history_product *products; /* one entry per line until deduplicated */
	size_t n_products, cap_products;
};

static int compare_products(const void *pa, const void *pb)
{
	const struct history_product *a = pa, *b = pb;
	if (a->product != b->product)
		return a->product < b->product ? -1 : 1;
	return (a->first_time > b->first_time) - (a->first_time < b->first_time);
}

/* Sorts the products by index and merges the lines of each: the first purchase, the
 * spend summed. */
static void dedupe_products(struct gathering *g)
{
	if (!g->n_products)
		return;
	qsort(g->products, g->n_products, sizeof *g->products, compare_products);
	size_t kept = 1;
	for (size_t i = 1; i < g->n_products; i++) {
		if (g->products[i].product != g->products[kept - 1].product)
			g->products[kept++] = g->products[i];
		else
			g->products[kept - 1].spend_cents += g->products[i].spend_cents;
	}
	g->n_products = kept;
}

static int deliver(struct gathering *g, customer_history_fn fn, void *context,
		   struct error *err)
{
	if (!g->customer_id)
		return 0;
	dedupe_products(g);
	struct customer_history h = {g->customer_id, g->orders, g->n_orders, g->returns,
				     g->n_returns, g->products, g->n_products};
	int rc = fn(&h, context, err);
	g->n_orders = g->n_returns = g->n_products = 0;
	return rc;
}

/* Starts a new order of the current customer at time t. */
static void start_order(struct gathering *g, const char *order_id, int completed, int64_t t)
{
	free(g->order_id);
	g->order_id = xstrdup(order_id);
	g->order_completed = completed;
	g->order_counted = 0;
	if (!completed) {
		if (g->n_returns == g->cap_returns) {
			g->cap_returns = g->cap_returns ? 2 * g->cap_returns : 16;
			g->returns = xreallocarray(g->returns, g->cap_returns, sizeof *g->returns);
		}
		g->returns[g->n_returns++] = t;
	}
}

/* Adds one unflagged line of a completed order (product: its index, or -1 when the
 * product is unknown, which still counts the money). */
static void add_line(struct gathering *g, int64_t t, long product, int64_t line_total)
{
	if (!g->order_counted) {
		if (g->n_orders == g->cap_orders) {
			g->cap_orders = g->cap_orders ? 2 * g->cap_orders : 16;
			g->orders = xreallocarray(g->orders, g->cap_orders, sizeof *g->orders);
		}
		g->orders[g->n_orders++] = (struct history_order){t, 0};
		g->order_counted = 1;
	}
	g->orders[g->n_orders - 1].value_cents += line_total;
	if (product < 0)
		return;
	if (g->n_products == g->cap_products) {
		g->cap_products = g->cap_products ? 2 * g->cap_products : 64;
		g->products = xreallocarray(g->products, g->cap_products, sizeof *g->products);
	}
	g->products[g->n_products++] = (struct history_product){(size_t)product, t, line_total};
}

static void gathering_free(struct gathering *g)
{
	free(g->customer_id);
	free(g->order_id);
	free(g->orders);
	free(g->returns);
	free(g->products);
}

int customer_history_each(sqlite3 *db, const struct product_groups *pg,
			  customer_history_fn fn, void *context, struct error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct gathering g = {0};
	int rc = db_prepare(db, history_sql, &stmt, err), step = SQLITE_DONE;
	while (rc == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *customer = (const char *)sqlite3_column_text(stmt, 0);
		const char *order_id = (const char *)sqlite3_column_text(stmt, 1);
		if (!order_id)
			order_id = "";
		const char *when = (const char *)sqlite3_column_text(stmt, 2);
		int64_t t;
		if (time_from_text(when, &t) < 0) {
			rc = error_set(err, ERR_INPUT, "order %s: time '%s' is not YYYY-MM-DD "
				       "HH:MM:SS", order_id, when ? when : "");
			break;
		}
		if (!g.customer_id || strcmp(g.customer_id, customer) != 0) {
			if ((rc = deliver(&g, fn, context, err)) < 0)
				break;
			free(g.customer_id);
			g.customer_id = xstrdup(customer);
			free(g.order_id);
			g.order_id = NULL;
		}
		if (!g.order_id || strcmp(g.order_id, order_id) != 0)
			start_order(&g, order_id, sqlite3_column_int(stmt, 3), t);
		if (g.order_completed && sqlite3_column_type(stmt, 4) != SQLITE_NULL &&
		    sqlite3_column_int64(stmt, 6) == 0)
			add_line(&g, t,
				 product_groups_find(pg, (const char *)sqlite3_column_text(stmt, 4)),
				 sqlite3_column_int64(stmt, 5));
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(db, err, "reading customer histories");
	if (rc == 0)
		rc = deliver(&g, fn, context, err);
	sqlite3_finalize(stmt);
	gathering_free(&g);
	return rc;
}
