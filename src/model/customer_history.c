/* customer_history: a customer's orders in the book, oldest first, gathered into orders,
 * returns and purchases per product (a product's first line, met first since orders come
 * oldest first, gives its first purchase), handed to the callback, and the arrays
 * reused for the next customer. */
#include "model/customer_history.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The customer being gathered. */
struct gathering {
	struct history_order *orders;
	size_t n_orders, cap_orders;
	int64_t *returns;
	size_t n_returns, cap_returns;
	struct history_product *products; /* distinct, in the order first bought */
	size_t n_products, cap_products;
	int32_t *slot; /* per book product: its entry in products, or -1 */
};

static void add_return(struct gathering *g, int64_t t)
{
	if (g->n_returns == g->cap_returns) {
		g->cap_returns = g->cap_returns ? 2 * g->cap_returns : 16;
		g->returns = xreallocarray(g->returns, g->cap_returns, sizeof *g->returns);
	}
	g->returns[g->n_returns++] = t;
}

/* Adds a completed order with at least one unflagged line, and its products. */
static void add_order(struct gathering *g, const struct order_book *book,
		      const struct book_order *o)
{
	if (g->n_orders == g->cap_orders) {
		g->cap_orders = g->cap_orders ? 2 * g->cap_orders : 16;
		g->orders = xreallocarray(g->orders, g->cap_orders, sizeof *g->orders);
	}
	if (g->n_products + o->line_count > g->cap_products) {
		while (g->n_products + o->line_count > g->cap_products)
			g->cap_products = g->cap_products ? 2 * g->cap_products : 64;
		g->products = xreallocarray(g->products, g->cap_products, sizeof *g->products);
	}
	int64_t value = 0;
	for (uint32_t i = 0; i < o->line_count; i++) {
		const struct book_line *line = &book->lines[o->first_line + i];
		value += line->line_total_cents;
		int32_t *slot = &g->slot[line->product];
		if (*slot >= 0) {
			g->products[*slot].spend_cents += line->line_total_cents;
			continue;
		}
		*slot = (int32_t)g->n_products;
		g->products[g->n_products++] = (struct history_product){
			(size_t)line->product, o->time, line->line_total_cents};
	}
	g->orders[g->n_orders++] = (struct history_order){o->time, value};
}

int customer_history_each(const struct order_book *book, customer_history_fn fn,
			  void *context, struct error *err)
{
	struct gathering g = {0};
	g.slot = xmalloc((book->product_count + 1) * sizeof *g.slot);
	for (size_t p = 0; p < book->product_count; p++)
		g.slot[p] = -1;
	int rc = 0;
	for (size_t c = 0; c < book->customer_count && rc == 0; c++) {
		g.n_orders = g.n_returns = g.n_products = 0;
		for (uint32_t k = book->customer_first[c]; k < book->customer_first[c + 1]; k++) {
			const struct book_order *o = &book->orders[book->by_customer[k]];
			if (!o->completed)
				add_return(&g, o->time);
			else if (o->line_count > 0)
				add_order(&g, book, o);
		}
		struct customer_history h = {book->customer_ids[c], g.orders, g.n_orders,
					     g.returns, g.n_returns, g.products, g.n_products};
		rc = fn(&h, context, err);
		for (size_t i = 0; i < g.n_products; i++)
			g.slot[g.products[i].product] = -1;
	}
	free(g.slot);
	free(g.orders);
	free(g.returns);
	free(g.products);
	return rc;
}
