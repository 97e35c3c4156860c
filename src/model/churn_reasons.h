/* churn_reasons: why a customer is at risk, in words a shop owner reads, from their
 * summary at the end of the data. The first two rules that hold, in this order:
 *   1. a customer with a rhythm (orders on three days or more) silent for over twice
 *      their usual gap, and longer than a week: "no order for 140 days, usually every 30"
 *   2. spend falling by over half from one horizon to the next:
 *      "spend falling: 120 in the last 90 days, 560 in the 90 before"
 *   3. a single order day: "one order so far, 200 days ago"
 *   4. at least 30% of orders cancelled or returned: "returned 3 of 8 orders"
 *   5. silent for longer than the horizon: "no order for 120 days"
 * When none holds: "last order 12 days ago, usually every 20" (without the "usually" part
 * for fewer than three order days). */
#ifndef CARTOGRAPH_CHURN_REASONS_H
#define CARTOGRAPH_CHURN_REASONS_H

#include "model/churn_features.h"
#include "util/buf.h"

void churn_reason(const struct churn_summary *s, int horizon_days, struct buf *out);

#endif
