/* robust: order statistics and small estimators for the sales models.
 *
 *   - median, MAD and the robust z-score 0.6745 · (x − median) / MAD, which one large
 *     order cannot drag the way it drags a mean and standard deviation;
 *   - the rolling robust z of a daily series against its own trailing window (daily
 *     revenue anomalies);
 *   - quantiles (Hyndman & Fan type 7: linear between order statistics, as R and NumPy
 *     do by default);
 *   - quintile scores 1..5 (RFM), ties broken by a caller's key;
 *   - the least-squares line with the slope's standard error (log-log price elasticity).
 * Values must not be NaN. Nothing keeps state; scratch memory is freed before return. */
#ifndef CARTOGRAPH_MODEL_ROBUST_H
#define CARTOGRAPH_MODEL_ROBUST_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The trailing window of the daily anomaly check, in days. */
#define ROBUST_ROLLING_WINDOW 28
/* Robust z-scores are clamped to ±this, so a flat baseline gives a large, finite score. */
#define ROBUST_Z_LIMIT 1000.0

/* The median of n values (mean of the middle two when n is even); NAN when n is 0. */
double robust_median(const double *x, size_t n);
/* The median absolute deviation from the median (unscaled); NAN when n is 0. */
double robust_mad(const double *x, size_t n);

/* The spread a robust z divides by. */
struct robust_baseline {
	double median; /* centre of the reference values */
	double mad;    /* their median absolute deviation */
	double meanad; /* their mean absolute deviation from the median: the fallback spread
	                  when more than half the values are equal and MAD is 0 */
};

/* Median, MAD and mean absolute deviation of n ≥ 1 reference values. */
struct robust_baseline robust_baseline_of(const double *x, size_t n);

/* How unusual v is against the baseline: 0.6745 · (v − median) / MAD; when MAD is 0,
 * (v − median) / (1.2533 · mean absolute deviation) (the same scale for normal data);
 * when both are 0 (a flat baseline), 0 if v equals the median and ±ROBUST_Z_LIMIT
 * otherwise. Always within ±ROBUST_Z_LIMIT. */
double robust_z(const struct robust_baseline *base, double v);

/* The same with the spread (the σ the difference is divided by, MAD / 0.6745 above)
 * at least min_spread: for values whose noise is known to be no smaller, such as a sum
 * of a few large orders. */
double robust_z_at_least(const struct robust_baseline *base, double v, double min_spread);

/* For each day i of a series of n values, the robust z of value[i] against the window
 * days before it (value[i − window] .. value[i − 1]; fewer at the start). Days with fewer
 * than min_history days before them (min_history ≥ 1) get z = 0: too little history to
 * judge. The day itself never counts in its own baseline, so a spike cannot hide itself. */
void robust_rolling_z(const double *value, size_t n, size_t window, size_t min_history,
		      double *z);

/* The q-quantile (0 ≤ q ≤ 1) of n values, type 7: with h = (n − 1)·q, the sorted value at
 * floor(h) plus (h − floor(h)) times the step to the next one. NAN when n is 0. */
double robust_quantile(const double *x, size_t n, double q);
/* The same on values already sorted ascending (no copy). */
double robust_quantile_sorted(const double *sorted, size_t n, double q);

/* Quintile scores: rank the n values ascending, equal values ordered by tie_key ascending
 * (then by position; tie_key may be NULL), and give rank i (0-based) the score
 * 1 + floor(5·i / n). 5 is for the largest values; pass −recency to score recency so that
 * recent customers get 5. Each score holds n/5 customers, give or take one. */
void robust_quintile_scores(const double *value, const int64_t *tie_key, size_t n,
			    int *score);

/* The least-squares line y = intercept + slope · x. */
struct ols_line {
	double slope;
	double intercept;
	double slope_se;  /* standard error of the slope: sqrt(residual variance / Sxx),
	                     residual variance with n − 2 degrees of freedom */
	double r_squared; /* share of the variance of y the line explains (1 when y is flat) */
	size_t n;         /* points used */
};

/* Fits the line to n points. Returns 0, or ERR_INPUT when n < 3 or all x are equal (no
 * slope to measure). For price elasticity pass x = log price, y = log quantity: the slope
 * is the elasticity. */
int ols_fit_line(const double *x, const double *y, size_t n, struct ols_line *line,
		 struct error *err);

#endif
