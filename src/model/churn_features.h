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
	int orders_recent;      /* orders in the horizon before the snapshot */
	int orders_previous;    /* orders in the horizon before that */
	int returns;            /* cancelled or returned orders before the snapshot */
	int products;           /* distinct products bought before the snapshot */
	int orders_year_ago;    /* orders in the horizon that began a year before the snapshot
	                           (0 for everyone when the data start after that: churn_dataset) */
	unsigned char active;   /* ordered in the CHURN_ACTIVE_DAYS before the snapshot */
	unsigned char churned;  /* label: no order in the horizon from the snapshot on */
	double spend;           /* value of those orders */
	double spend_recent;    /* of it, in the horizon before the snapshot */
	double spend_previous;  /* in the horizon before that */
	double mean_gap_days;   /* mean days between distinct order days; 0 with one day */
	double gap_cv;          /* standard deviation / mean of those gaps; 0 with < 2 gaps */
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

/* The numbers the regression can read, each from a summary alone. */
enum churn_feature {
	CF_RECENCY,          /* days since the last order */
	CF_ORDERS,           /* orders */
	CF_SPEND,            /* total spend */
	CF_TENURE,           /* days since the first order */
	CF_AVG_ORDER,        /* spend / orders */
	CF_PRODUCTS,         /* distinct products */
	CF_RETURN_RATE,      /* returns / (orders + returns) */
	CF_RECENT_SPEND,     /* spend in the last horizon */
	CF_LOG_RECENCY,      /* log(1 + days since the last order) */
	CF_LOG_ORDERS,       /* log(orders) */
	CF_LOG_SPEND,        /* log(1 + spend) */
	CF_LOG_TENURE,       /* log(1 + tenure) */
	CF_LOG_AVG_ORDER,    /* log(1 + average order value) */
	CF_LOG_PRODUCTS,     /* log(1 + distinct products) */
	CF_LOG_RECENT_SPEND, /* log(1 + spend in the last horizon) */
	CF_LOG_RECENT_ORDERS,/* log(1 + orders in the last horizon) */
	CF_SPEND_TREND,      /* log(1 + last horizon's spend) − log(1 + the one before's) */
	CF_ORDER_TREND,      /* the same for order counts */
	CF_OVERDUE,          /* log(1 + recency) − log(1 + usual gap), repeat buyers; else 0 */
	CF_ONE_TIME,         /* 1 when all orders fell on one day */
	CF_GAP_CV,           /* irregularity of the gaps between orders */
	CF_YEAR_AGO,         /* log(1 + orders in the same season a year before) */
	CF_BGNBD_EXPECTED,   /* log(0.01 + BG/NBD expected orders in the horizon) */
	CF_BGNBD_P_ALIVE,    /* BG/NBD probability of still being a customer; not in the model
	                        set: when the fitted drop-out runs to its bound it is ~1 for
	                        everyone, and a coefficient on that sliver of spread explodes */
	CHURN_FEATURE_COUNT
};

/* Short names of the features, for coefficients in model_metrics ("log_recency"). */
extern const char *const churn_feature_names[CHURN_FEATURE_COUNT];

double churn_feature_value(const struct churn_summary *s, enum churn_feature f);

/* The features of a set, in order, for one summary into row (n_set values). */
void churn_feature_row(const struct churn_summary *s, const enum churn_feature *set,
		       size_t n_set, double *row);

/* The regression's feature set: history, trend, regularity, season and BG/NBD. */
extern const enum churn_feature churn_model_features[];
extern const size_t churn_model_feature_count;
/* The eight plain measures of a first analysis, raw, for comparison. */
extern const enum churn_feature churn_plain_features[];
extern const size_t churn_plain_feature_count;
/* Recency alone: the baseline. */
extern const enum churn_feature churn_recency_features[];
extern const size_t churn_recency_feature_count;

#endif
