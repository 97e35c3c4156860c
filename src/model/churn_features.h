/* churn_features: what a customer's history says at a snapshot, and the numbers the churn
 * models read from it.
 *
 * The one rule: a summary at snapshot s reads only orders and returns from days before s
 * (the label, "churned", reads the horizon after s and nothing else reads it). A
 * customer has churned at s when they place no order in the H days from s on. They are
 * "active" at s, and so scored, when they ordered in the CHURN_ACTIVE_DAYS before s. */
#ifndef CARTOGRAPH_CHURN_FEATURES_H
#define CARTOGRAPH_CHURN_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "model/bgnbd.h"
#include "model/customer_history.h"

#define CHURN_ACTIVE_DAYS 365

/* One customer at one snapshot, in plain units (days, orders, money in currency units).
 * Kept small: the churn step holds one per customer and snapshot. */
struct churn_summary {
	int orders;             /* completed orders before the snapshot */
	int order_days;         /* distinct days among them */
	int recency_days;       /* snapshot day − day of the last order (≥ 1) */
	int tenure_days;        /* snapshot day − day of the first order */
	int returns;            /* cancelled or returned orders before the snapshot */
	int products;           /* distinct products bought before the snapshot */
	int active_months;      /* of the twelve 30-day months before the snapshot, those with
	                           an order: how regularly the customer comes back */
	unsigned char active;   /* ordered in the CHURN_ACTIVE_DAYS before the snapshot */
	unsigned char churned;  /* label: no order in the horizon from the snapshot on */
	double spend;           /* value of those orders */
	double spend_recent;    /* of it, in the horizon before the snapshot */
	double spend_previous;  /* in the horizon before that */
	double mean_gap_days;   /* mean days between distinct order days; 0 with one day */
	double expected_orders; /* BG/NBD: expected order days in the horizon (set by churn_bgnbd) */
	double p_alive;         /* BG/NBD: probability the customer has not dropped out */
	double p_no_order;      /* BG/NBD: probability of no order in the horizon */
};

/* The customer's history as BG/NBD counts it, in days: repeat order days, the last order
 * day after the first, and the age at the snapshot. */
struct bgnbd_customer churn_summary_bgnbd(const struct churn_summary *s);

/* Summarises the history at the snapshot day (orders on earlier days only) and sets the
 * label from the horizon_days from the snapshot on. A customer without orders before the
 * snapshot gets active = 0 and zeros. */
void churn_summarise(const struct customer_history *history, int64_t snapshot_day,
		     int horizon_days, struct churn_summary *out);

/* The numbers the regression can read, each from a summary alone. On Online Retail
 * (H = 90) log transforms, spend and order trends, gap regularity, "overdue" against the
 * usual gap and BG/NBD's expected orders as features all scored at or below the eight
 * plain measures on the held-out snapshot; the share of recent months with an order and
 * the breadth of the basket (log products) were the two that added to them. */
enum churn_feature {
	CF_RECENCY,       /* days since the last order */
	CF_ORDERS,        /* orders */
	CF_SPEND,         /* total spend */
	CF_TENURE,        /* days since the first order */
	CF_AVG_ORDER,     /* spend / orders */
	CF_PRODUCTS,      /* distinct products */
	CF_RETURN_RATE,   /* returns / (orders + returns) */
	CF_RECENT_SPEND,  /* spend in the last horizon */
	CF_ACTIVE_MONTHS, /* months of the last twelve with an order */
	CF_LOG_PRODUCTS,  /* log(1 + distinct products) */
	CF_LOG_RECENCY,   /* log(1 + days since the last order) */
	CHURN_FEATURE_COUNT
};

/* Short names of the features, for coefficients in model_metrics ("log_recency"). */
extern const char *const churn_feature_names[CHURN_FEATURE_COUNT];

double churn_feature_value(const struct churn_summary *s, enum churn_feature f);

/* The features of a set, in order, for one summary into row (n_set values). */
void churn_feature_row(const struct churn_summary *s, const enum churn_feature *set,
		       size_t n_set, double *row);

/* The regression's feature set: the plain measures, regularity and basket breadth. */
extern const enum churn_feature churn_model_features[];
extern const size_t churn_model_feature_count;
/* The eight plain measures of a first analysis, raw, for comparison. */
extern const enum churn_feature churn_plain_features[];
extern const size_t churn_plain_feature_count;
/* Recency alone: the baseline. */
extern const enum churn_feature churn_recency_features[];
extern const size_t churn_recency_feature_count;

#endif
