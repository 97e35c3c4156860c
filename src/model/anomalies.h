/* anomalies: the `anomalies` model step: days whose revenue is far from the usual.
 *
 * Daily revenue is the value of the unflagged lines of completed orders (guests
 * included), for every calendar day from the first order to the last. Each day is judged
 * by its robust z-score (robust.h) against the ROBUST_ROLLING_WINDOW (28) trading days
 * before it: 0.6745 · (revenue − median) / MAD, so one huge order cannot distort the
 * baseline; a day needs ANOMALY_MIN_HISTORY trading days before it to be judged, and is
 * flagged when |z| ≥ ANOMALY_Z_THRESHOLD, with direction up or down.
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

/* One calendar day of the series. */
struct sales_day {
	int64_t day;           /* day number (model_days.h) */
	int64_t revenue_cents;
	int orders;
	int trading;           /* 0 on a weekday the shop keeps closed */
	int judged;            /* 1 when enough trading days came before it */
	double baseline_cents; /* median revenue of the window (when judged) */
	double z;              /* robust z (when judged) */
	int flagged;           /* |z| ≥ ANOMALY_Z_THRESHOLD */
};

/* Marks closed weekdays and judges every trading day of the n consecutive days. */
void anomalies_judge(struct sales_day *days, size_t n);

int model_anomalies(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		    struct error *err);

#endif
