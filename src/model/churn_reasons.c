/* churn_reasons: the rule list of churn_reasons.h. */
#include "model/churn_reasons.h"


/* Separates a second reason from the first. */
static void next_reason(struct buf *out, int *count)
{
	if ((*count)++)
		buf_puts(out, "; ");
}

void churn_reason(const struct churn_summary *s, int horizon_days, struct buf *out)
{
	int count = 0;
	int repeat = s->order_days > 1;
	int has_rhythm = s->order_days >= 3; /* two gaps or more: a usual gap worth quoting */
	double gap = s->mean_gap_days;
	if (has_rhythm && s->recency_days > 2.0 * gap && s->recency_days > 7) {
		next_reason(out, &count);
		buf_printf(out, "no order for %d days, usually every %.0f", s->recency_days, gap);
	}
	if (s->spend_previous > 0.0 && s->spend_recent < 0.5 * s->spend_previous) {
		next_reason(out, &count);
		buf_printf(out, "spend falling: %.0f in the last %d days, %.0f in the %d before",
			   s->spend_recent, horizon_days, s->spend_previous, horizon_days);
	}
	if (count < 2 && !repeat) {
		next_reason(out, &count);
		buf_printf(out, "one order so far, %d days ago", s->recency_days);
	}
	int all_orders = s->orders + s->returns;
	if (count < 2 && s->returns > 0 && s->returns >= 0.3 * all_orders) {
		next_reason(out, &count);
		buf_printf(out, "returned %d of %d orders", s->returns, all_orders);
	}
	if (count == 0 && s->recency_days > horizon_days) {
		next_reason(out, &count);
		buf_printf(out, "no order for %d days", s->recency_days);
	}
	if (count == 0) {
		buf_printf(out, "last order %d days ago", s->recency_days);
		if (has_rhythm)
			buf_printf(out, ", usually every %.0f", gap);
	}
}
