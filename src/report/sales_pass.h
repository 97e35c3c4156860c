/* sales_pass: the one read of every sales line the build's own lane makes, summed into
 * the small temporary tables its pages ask instead of the lines (see sales_pass.c). */
#ifndef CARTOGRAPH_SALES_PASS_H
#define CARTOGRAPH_SALES_PASS_H

#include "report/build_internal.h"

/* Replaces, in the connection's temporary schema:
 *   sales_orders (order_id, order_time, customer_id, cents): each order's total, in
 *     time order, indexed by time (the overview's KPIs and daily revenue);
 *   sales_band_slices (band, country, region, channel, payment, discount_step, lines,
 *     revenue, profit, profit_revenue, discounted_revenue) and
 *   sales_band_products (band, product_id, orders, units, revenue, profit): the sales
 *     and products pages' sums, split by band (SALES_BAND in sales_pass.c); orders
 *     counts the distinct orders holding the product.
 * The periods must be known (b->period_count; none means there are no sales). A
 * failure to write the temporary files (a full disk, a file size limit) says so.
 * Returns 0 or a negative code. */
int sales_pass(struct build *b, struct error *err);

#endif
