/* metrics: how good a model's scores are, for the models report.
 *
 * Binary outcomes (churned or not): scores are predicted probabilities (or any score
 * where higher means "more likely 1", for the rank metrics) and labels are 0 or 1.
 *   - ROC-AUC: the Mann–Whitney probability that a random positive scores above a random
 *     negative, ties counting one half; the ROC curve, thinned for a chart;
 *   - PR-AUC as average precision: Σ_k (R_k − R_{k−1}) P_k over the distinct score
 *     thresholds k, highest first (equal scores enter together);
 *   - Brier score, log loss, accuracy at a threshold, base rate;
 *   - calibration in 10 equal-width bins of predicted probability.
 * Recommendations: hit rate and recall at K from ranked lists and what was bought.
 *
 * Functions of one figure return NAN when it is undefined (no rows, or AUC without both
 * classes); metrics_binary validates its input and reports errors instead. */
#ifndef CARTOGRAPH_MODEL_METRICS_H
#define CARTOGRAPH_MODEL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Points on the ROC chart at most (first and last included). */
#define ROC_MAX_POINTS 200
/* Bins of the calibration table: [0, 0.1), [0.1, 0.2), ..., [0.9, 1]. */
#define CALIBRATION_BINS 10

double metrics_roc_auc(const double *score, const int *label, size_t n);
double metrics_average_precision(const double *score, const int *label, size_t n);
/* Mean of (p − y)². */
double metrics_brier(const double *prob, const int *label, size_t n);
/* −mean of y log p + (1 − y) log(1 − p), with p clipped to [1e-15, 1 − 1e-15]. */
double metrics_log_loss(const double *prob, const int *label, size_t n);
/* Share of rows where (prob ≥ threshold) equals the label. */
double metrics_accuracy(const double *prob, const int *label, size_t n, double threshold);
/* Share of rows with label 1. */
double metrics_base_rate(const int *label, size_t n);

struct roc_point {
	double false_positive_rate; /* x: share of negatives scored at or above threshold */
	double true_positive_rate;  /* y: share of positives scored at or above threshold */
	double threshold;           /* the score; +INFINITY for the (0, 0) corner */
};

/* The ROC curve from (0, 0) to (1, 1): one point per distinct score, highest first,
 * thinned to at most max_points (≥ 3) by keeping a point only when it lies at least
 * 2 / (max_points − 2) (in |Δx| + |Δy|) from the last kept one, so no dropped point is
 * farther than that from the drawn line. Writes the count to *count and returns an
 * array the caller frees; NULL (count 0) when either class is missing. */
struct roc_point *metrics_roc_curve(const double *score, const int *label, size_t n,
				    size_t max_points, size_t *count);

struct calibration_bin {
	double mean_predicted; /* mean probability of the rows in the bin; 0 when empty */
	double observed_rate;  /* share of those rows with label 1; 0 when empty */
	size_t count;          /* rows whose probability fell in the bin */
};

/* Sorts rows into CALIBRATION_BINS equal-width bins of probability (1.0 goes to the last
 * bin; probabilities outside [0, 1] are clamped into the end bins). */
void metrics_calibration(const double *prob, const int *label, size_t n,
			 struct calibration_bin bins[CALIBRATION_BINS]);

/* Every binary figure at once, for the models page and the model_metrics table. */
struct binary_metrics {
	size_t n;            /* rows scored */
	size_t positives;    /* rows with label 1 */
	double base_rate;    /* positives / n */
	double roc_auc;      /* NAN when one class is missing */
	double average_precision; /* PR-AUC; NAN without positives */
	double brier;
	double log_loss;
	double threshold;    /* the threshold accuracy is measured at */
	double accuracy;
	struct calibration_bin calibration[CALIBRATION_BINS];
};

/* Fills out for probabilities prob and labels (0 or 1) of n rows. Returns 0, or ERR_INPUT
 * when n is 0, a label is not 0 or 1, or a probability is not in [0, 1]. */
int metrics_binary(const double *prob, const int *label, size_t n, double threshold,
		   struct binary_metrics *out, struct error *err);

/* One customer's recommendations against what they bought afterwards. */
struct rec_outcome {
	const int64_t *recommended; /* product ids, best first */
	size_t n_recommended;
	const int64_t *bought;      /* product ids bought in the evaluation period (any order) */
	size_t n_bought;
};

/* Share of customers with at least one product bought among their first k
 * recommendations. Customers who bought nothing are left out (they cannot be hit);
 * NAN when none is left. */
double metrics_hit_rate_at_k(const struct rec_outcome *users, size_t n_users, size_t k);
/* Mean over customers who bought something of (distinct bought products among the first
 * k recommendations) / (distinct products bought); NAN when none bought anything. */
double metrics_recall_at_k(const struct rec_outcome *users, size_t n_users, size_t k);

#endif
