/* customer360: the `customers` model step: one row per customer with a completed order
 * (customer_360), gathering what the other steps found about them.
 *
 *   lifetime value, orders and average order value   completed orders, unflagged lines
 *   first and last purchase, tenure                   tenure as of the day after the data
 *   mean gap between orders                           (last − first) / (orders − 1), days
 *   distinct products, return rate                    returns = cancelled or returned
 *                                                     orders, over all the customer's orders
 *   favourite category                                the one with the most spend (ties by
 *                                                     name); without categories, the product
 *                                                     group: the product's name
 *   segment, value tier, cluster                      from customer_rfm (`segments`)
 *   churn risk and reason                             from churn_scores (`churn`)
 * Steps not run leave their columns NULL, so this step runs last. */
#ifndef CARTOGRAPH_CUSTOMER360_H
#define CARTOGRAPH_CUSTOMER360_H

#include "model/model_stage.h"

int model_customer360(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		      struct error *err);

#endif
