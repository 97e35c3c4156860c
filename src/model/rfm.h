/* rfm: recency, frequency and monetary value of each customer, their quintile scores, the
 * named segments and the value tiers.
 *
 * Measured as of the day after the data's last day, over each customer's completed orders
 * (guests, cancelled and returned orders, and flagged order lines never count):
 *   recency   days from the last order's day to the as-of day (1 = ordered on the last day)
 *   frequency completed orders
 *   monetary  their value in cents (sum of the unflagged lines)
 * Scores 1..5 are quintiles of rank (robust_quintile_scores): 5 is the most recent, the
 * most frequent, the highest spending fifth. Equal values are ranked by customer id (the
 * id that sorts first gets the lower score), so the same data always scores the same.
 *
 * Named segments, by the first rule that matches (R, F, M are the scores):
 *   Champions           R ≥ 4, F ≥ 4, M ≥ 4  bought recently, often, and spend the most
 *   Loyal               R ≥ 3, F ≥ 4         buy often and are still around
 *   Can't Lose Them     R = 1, F ≥ 4         bought often, gone the longest
 *   At Risk             R ≤ 2, F ≥ 3         bought often, not for a while
 *   New                 R = 5, F = 1         first order very recently
 *   Potential Loyalist  R ≥ 4, F ≥ 2         recent, a few orders
 *   Promising           R = 4, F = 1         recent, one order
 *   Need Attention      R = 3, F = 3         middling on both, slipping
 *   About to Sleep      R = 3, F ≤ 2         below average recency, few orders
 *   Lost                R = 1, F ≤ 2, M ≤ 2  lowest on all three
 *   Hibernating         the rest: R ≤ 2, F ≤ 2 (R = 1 with M ≥ 3 included)
 * Every (R, F, M) falls in exactly one segment.
 * Value tiers by monetary value: High at or above the 90th percentile of all customers,
 * Medium at or above the median, Low below it (percentiles as robust_quantile). */
#ifndef CARTOGRAPH_RFM_H
#define CARTOGRAPH_RFM_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "model/order_book.h"
#include "util/error.h"

enum rfm_segment {
	SEG_CHAMPIONS,
	SEG_LOYAL,
	SEG_CANT_LOSE,
	SEG_AT_RISK,
	SEG_NEW,
	SEG_POTENTIAL_LOYALIST,
	SEG_PROMISING,
	SEG_NEED_ATTENTION,
	SEG_ABOUT_TO_SLEEP,
	SEG_LOST,
	SEG_HIBERNATING,
	RFM_SEGMENT_COUNT
};

enum value_tier { TIER_LOW, TIER_MEDIUM, TIER_HIGH, VALUE_TIER_COUNT };

/* Segment names as shown ("Can't Lose Them") and their rules in words. */
extern const char *const rfm_segment_names[RFM_SEGMENT_COUNT];
extern const char *const rfm_segment_rules[RFM_SEGMENT_COUNT];
extern const char *const value_tier_names[VALUE_TIER_COUNT];

struct rfm_customer {
	int recency_days;       /* as-of day − day of the last completed order (≥ 1) */
	int frequency;          /* completed orders */
	int64_t monetary_cents; /* their value */
	int r, f, m;            /* quintile scores 1..5 */
	enum rfm_segment segment;
	enum value_tier tier;
};

/* Every customer with a completed order, in ascending customer_id order. */
struct rfm_table {
	size_t n;
	char **customer_ids;           /* owned strings */
	struct rfm_customer *customers;
	int64_t as_of_day;             /* day number (model_days.h) the measures are taken at */
	double monetary_p50, monetary_p90; /* the value tier cuts, in cents */
};

/* The segment of a score triple (each 1..5). */
enum rfm_segment rfm_segment_of(int r, int f, int m);

/* Fills r, f, m, segment and tier of n customers from their measures; ties are broken by
 * position (callers keep customers in customer_id order). Writes the tier cuts to *p50
 * and *p90 (cents) when not NULL. */
void rfm_score_customers(struct rfm_customer *c, size_t n, double *p50, double *p90);

/* Measures every customer of the order book as of the given day and scores them. A book
 * without customers' completed orders gives n = 0. Release with rfm_table_free. */
void rfm_table_build(const struct order_book *book, int64_t as_of_day, struct rfm_table *t);
/* The same from the warehouse, as of the day after its last order. */
int rfm_table_load(sqlite3 *db, struct rfm_table *t, struct error *err);
void rfm_table_free(struct rfm_table *t);

/* The day of the latest order in the warehouse (any status, guests included): the end of
 * the data. Returns 0, or ERR_INPUT when there are no orders. */
int rfm_data_last_day(sqlite3 *db, int64_t *day, struct error *err);

#endif
