/* anomalies: the `anomalies` model step: days whose revenue or number of orders is far
 * from the usual.
 *
 * Daily revenue is the value of the unflagged lines of completed orders (guests
 * included), for every calendar day from the first order to the last. Each day is judged
 * twice, by robust z-scores (robust.h), and flagged when either is at least
 * ANOMALY_Z_THRESHOLD in size, with direction up or down (of the larger):
 *
 *   - its revenue against the ROBUST_ROLLING_WINDOW (28) trading days before it:
 *     (revenue − median) / σ with σ = MAD / 0.6745, so one huge order cannot distort the
 *     baseline; a day needs ANOMALY_MIN_HISTORY trading days before it. σ is never taken
 *     below the noise of the orders themselves: a day's revenue is a sum of orders
 *     arriving at random, whose standard deviation is the square root of the expected
 *     sum of their squared values (a compound Poisson sum), estimated over the window as
 *     sqrt(Σ order value² / trading days). Where a day holds a few orders of very
 *     different sizes (Superstore: three a day, from $0.56 to $23,661), the MAD alone
 *     would call every large order unusual.
 *   - its number of orders against the same weekday of the ANOMALY_ORDER_WEEKS (8) weeks
 *     before (at least ANOMALY_MIN_WEEKS of them), since orders follow the week (Online
 *     Retail's Sundays are quiet): counts are compared as 2·sqrt(orders + 3/8), on which
 *     random arrivals have a standard deviation of 1, the least σ allowed. A sale that
 *     doubles the orders shows here even when the orders' sizes hide it in the revenue,
 *     and so does a bank holiday's empty day.
 *
 * A weekday on which the shop is closed (no orders on at least 90% of its dates, over at
 * least four weeks: the Online Retail export has no Saturdays) is not a trading day: its
 * rows are kept with z NULL and never counted in a window. Written to daily_sales. */
#ifndef CARTOGRAPH_ANOMALIES_H
#define CARTOGRAPH_ANOMALIES_H

#include <stddef.h>
#include <stdint.h>

#include "model/model_stage.h"

#define ANOMALY_Z_THRESHOLD 3.5
#define ANOMALY_MIN_HISTORY 14
#define ANOMALY_ORDER_WEEKS 8
#define ANOMALY_MIN_WEEKS 4

/* One calendar day of the series. */
struct sales_day {
	int64_t day;            /* day number (model_days.h) */
	int64_t revenue_cents;
	int orders;
	double order_squares;   /* Σ over its orders of (value in cents)² */
	int trading;            /* 0 on a weekday the shop keeps closed */
	int judged;             /* 1 when enough trading days came before it */
	double baseline_cents;  /* median revenue of the window (when judged) */
	double z;               /* robust z of the revenue (0 when not judged) */
	int orders_judged;      /* 1 when enough of the same weekday came before it */
	double orders_baseline; /* median orders of those weekdays (when judged) */
	double orders_z;        /* robust z of the orders (0 when not judged) */
	int flagged;            /* 1 when either z is at least ANOMALY_Z_THRESHOLD in size */
	int direction;          /* of a flagged day: +1 up, −1 down (of the larger z) */
};

/* Marks closed weekdays and judges every trading day of the n consecutive days. */
void anomalies_judge(struct sales_day *days, size_t n);

int model_anomalies(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		    struct error *err);

#endif
