/* Unit tests of src/model/metrics: rank metrics with ties against hand counts, the ROC
 * chart points, probability metrics, calibration bins and recommendation hit rates. */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "model/metrics.h"
#include "util/rng.h"

static void test_auc_counts_ties_as_half_a_win(void)
{
	/* Positives 0.9, 0.7, 0.7, 0.3; negatives 0.8, 0.7, 0.3, 0.1. By hand, per positive:
	 *   0.9 beats all four negatives                         → 4
	 *   0.7 beats 0.3 and 0.1, ties 0.7, loses to 0.8        → 2.5 (twice)
	 *   0.3 beats 0.1, ties 0.3, loses to 0.8 and 0.7        → 1.5
	 * (4 + 2.5 + 2.5 + 1.5) / 16 pairs = 10.5 / 16 = 0.65625. */
	double score[8] = {0.9, 0.8, 0.7, 0.7, 0.7, 0.3, 0.3, 0.1};
	int label[8] = {1, 0, 1, 1, 0, 1, 0, 0};
	CHECK_NEAR(metrics_roc_auc(score, label, 8), 0.65625, 1e-15);
	/* Reordering the rows changes nothing. */
	double s2[8] = {0.1, 0.3, 0.7, 0.9, 0.3, 0.7, 0.8, 0.7};
	int l2[8] = {0, 0, 1, 1, 1, 0, 0, 1};
	CHECK_NEAR(metrics_roc_auc(s2, l2, 8), 0.65625, 1e-15);
	/* All scores equal: a coin. One class only: undefined. */
	double flat[4] = {0.5, 0.5, 0.5, 0.5};
	int mixed[4] = {1, 0, 1, 0}, ones[4] = {1, 1, 1, 1};
	CHECK_NEAR(metrics_roc_auc(flat, mixed, 4), 0.5, 0.0);
	CHECK(isnan(metrics_roc_auc(flat, ones, 4)));
}

/* Area under a polyline of ROC points by trapezoids. */
static double trapezoid_area(const struct roc_point *p, size_t count)
{
	double area = 0.0;
	for (size_t i = 1; i < count; i++)
		area += (p[i].false_positive_rate - p[i - 1].false_positive_rate) *
			(p[i].true_positive_rate + p[i - 1].true_positive_rate) / 2.0;
	return area;
}

static void test_roc_points_are_monotone_thinned_and_keep_the_area(void)
{
	enum { N = 5000 };
	double *score = malloc(N * sizeof *score);
	int *label = malloc(N * sizeof *label);
	struct rng rng;
	rng_seed(&rng, 7);
	for (int i = 0; i < N; i++) {
		label[i] = rng_uniform(&rng) < 0.3;
		/* Rounded to 0.001 so that many scores tie. */
		score[i] = round((label[i] ? 0.6 : 0.4) * 1000.0 + rng_normal(&rng) * 200.0) / 1000.0;
	}
	double auc = metrics_roc_auc(score, label, N);
	size_t full_count, count;
	struct roc_point *full = metrics_roc_curve(score, label, N, N + 1, &full_count);
	struct roc_point *pts = metrics_roc_curve(score, label, N, ROC_MAX_POINTS, &count);
	/* The unthinned curve's trapezoids are exactly Mann–Whitney (a tie is a diagonal). */
	CHECK_NEAR(trapezoid_area(full, full_count), auc, 1e-12);
	CHECK(full_count > ROC_MAX_POINTS);
	CHECK(count <= ROC_MAX_POINTS && count >= ROC_MAX_POINTS / 2);
	CHECK_NEAR(pts[0].false_positive_rate, 0.0, 0.0);
	CHECK_NEAR(pts[0].true_positive_rate, 0.0, 0.0);
	CHECK(isinf(pts[0].threshold));
	CHECK_NEAR(pts[count - 1].false_positive_rate, 1.0, 0.0);
	CHECK_NEAR(pts[count - 1].true_positive_rate, 1.0, 0.0);
	int monotone = 1;
	for (size_t i = 1; i < count; i++)
		monotone &= pts[i].false_positive_rate >= pts[i - 1].false_positive_rate &&
			    pts[i].true_positive_rate >= pts[i - 1].true_positive_rate &&
			    pts[i].threshold < pts[i - 1].threshold;
	CHECK(monotone);
	CHECK_NEAR(trapezoid_area(pts, count), auc, 0.01);
	free(full);
	free(pts);
	free(score);
	free(label);
}

static void test_roc_curve_of_one_class_is_empty(void)
{
	double score[3] = {0.1, 0.2, 0.3};
	int label[3] = {0, 0, 0};
	size_t count = 99;
	CHECK(metrics_roc_curve(score, label, 3, ROC_MAX_POINTS, &count) == NULL);
	CHECK_INT(count, 0);
}

static void test_average_precision_of_known_rankings(void)
{
	/* + − + −: precision 1 at the first positive, 2/3 at the second; each adds half
	 * the recall: 0.5·1 + 0.5·2/3 = 5/6. */
	double score[4] = {0.9, 0.8, 0.7, 0.6};
	int label[4] = {1, 0, 1, 0};
	CHECK_NEAR(metrics_average_precision(score, label, 4), 5.0 / 6.0, 1e-15);
	/* Tied scores enter together: {0.9: +} gives P = 1 at R = 1/2, then {0.5: +, −}
	 * gives P = 2/3 at R = 1: again 5/6, whatever the order inside the tie. */
	double tied[3] = {0.5, 0.9, 0.5};
	int tied_label[3] = {0, 1, 1};
	CHECK_NEAR(metrics_average_precision(tied, tied_label, 3), 5.0 / 6.0, 1e-15);
	/* A perfect ranking scores 1. */
	int perfect[4] = {1, 1, 0, 0};
	CHECK_NEAR(metrics_average_precision(score, perfect, 4), 1.0, 1e-15);
}

static void test_brier_log_loss_accuracy_and_base_rate(void)
{
	double prob[4] = {0.1, 0.8, 0.6, 0.3};
	int label[4] = {0, 1, 0, 1};
	/* (0.1² + 0.2² + 0.6² + 0.7²) / 4 = (0.01 + 0.04 + 0.36 + 0.49) / 4 = 0.225 */
	CHECK_NEAR(metrics_brier(prob, label, 4), 0.225, 1e-15);
	CHECK_NEAR(metrics_log_loss(prob, label, 4),
		   -(log(0.9) + log(0.8) + log(0.4) + log(0.3)) / 4.0, 1e-15);
	/* At 0.5 the predictions are 0, 1, 1, 0: right twice. */
	CHECK_NEAR(metrics_accuracy(prob, label, 4, 0.5), 0.5, 0.0);
	CHECK_NEAR(metrics_accuracy(prob, label, 4, 0.25), 0.75, 0.0);
	CHECK_NEAR(metrics_base_rate(label, 4), 0.5, 0.0);
	/* A certain, wrong prediction costs a large but finite log loss. */
	double sure[1] = {0.0};
	int yes[1] = {1};
	CHECK_NEAR(metrics_log_loss(sure, yes, 1), -log(1e-15), 1e-9);
}

static void test_calibration_bins_hold_mean_prediction_and_observed_rate(void)
{
	double prob[7] = {0.05, 0.15, 0.15, 0.95, 1.0, 0.55, 0.1};
	int label[7] = {0, 1, 0, 1, 1, 0, 1};
	struct calibration_bin bins[CALIBRATION_BINS];
	metrics_calibration(prob, label, 7, bins);
	CHECK_INT(bins[0].count, 1);
	CHECK_NEAR(bins[0].mean_predicted, 0.05, 1e-15);
	CHECK_NEAR(bins[0].observed_rate, 0.0, 0.0);
	CHECK_INT(bins[1].count, 3); /* 0.1 opens the second bin */
	CHECK_NEAR(bins[1].mean_predicted, (0.15 + 0.15 + 0.1) / 3.0, 1e-15);
	CHECK_NEAR(bins[1].observed_rate, 2.0 / 3.0, 1e-15);
	CHECK_INT(bins[5].count, 1);
	CHECK_INT(bins[9].count, 2); /* 1.0 belongs to the last bin */
	CHECK_NEAR(bins[9].mean_predicted, 0.975, 1e-15);
	CHECK_NEAR(bins[9].observed_rate, 1.0, 0.0);
	CHECK_INT(bins[3].count, 0);
	CHECK_NEAR(bins[3].mean_predicted, 0.0, 0.0);
}

static void test_binary_metrics_fill_everything_and_reject_bad_rows(void)
{
	double prob[4] = {0.1, 0.8, 0.6, 0.3};
	int label[4] = {0, 1, 0, 1};
	struct binary_metrics m;
	struct error err = {{0}};
	CHECK_INT(metrics_binary(prob, label, 4, 0.5, &m, &err), 0);
	CHECK_INT(m.n, 4);
	CHECK_INT(m.positives, 2);
	/* Positive 0.8 beats negatives 0.6 and 0.1, positive 0.3 beats 0.1 only: 3 of 4. */
	CHECK_NEAR(m.roc_auc, 0.75, 1e-15);
	/* + at 0.8, − at 0.6, + at 0.3: 0.5·1 + 0.5·2/3 */
	CHECK_NEAR(m.average_precision, 5.0 / 6.0, 1e-15);
	CHECK_NEAR(m.accuracy, 0.5, 0.0);
	CHECK_NEAR(m.brier, 0.225, 1e-15);
	CHECK_INT(m.calibration[1].count + m.calibration[3].count + m.calibration[6].count +
		  m.calibration[8].count, 4);
	double bad_prob[2] = {0.5, 1.5};
	int ok_label[2] = {0, 1}, bad_label[2] = {0, 3};
	CHECK_INT(metrics_binary(bad_prob, ok_label, 2, 0.5, &m, &err), ERR_INPUT);
	CHECK_STR(err.msg, "model metrics: row 2: probability 1.5 is not between 0 and 1");
	CHECK_INT(metrics_binary(prob, bad_label, 2, 0.5, &m, &err), ERR_INPUT);
	CHECK_INT(metrics_binary(prob, label, 0, 0.5, &m, &err), ERR_INPUT);
}

static void test_hit_rate_and_recall_at_k_from_ranked_recommendations(void)
{
	/* Customer 1 bought 30 and 50; 30 is third in the list.
	 * Customer 2 bought 5 twice (one product); it is recommended first, twice.
	 * Customer 3 bought nothing and does not count. */
	int64_t rec1[4] = {10, 20, 30, 40}, bought1[2] = {50, 30};
	int64_t rec2[3] = {5, 5, 6}, bought2[2] = {5, 5};
	int64_t rec3[2] = {1, 2};
	struct rec_outcome users[3] = {
		{rec1, 4, bought1, 2},
		{rec2, 3, bought2, 2},
		{rec3, 2, NULL, 0},
	};
	CHECK_NEAR(metrics_hit_rate_at_k(users, 3, 2), 0.5, 0.0);
	CHECK_NEAR(metrics_recall_at_k(users, 3, 2), 0.5, 0.0);
	CHECK_NEAR(metrics_hit_rate_at_k(users, 3, 3), 1.0, 0.0);
	/* recall@3: customer 1 found 1 of 2, customer 2 found 1 of 1: (0.5 + 1) / 2 */
	CHECK_NEAR(metrics_recall_at_k(users, 3, 3), 0.75, 0.0);
	CHECK_NEAR(metrics_recall_at_k(users, 3, 100), 0.75, 0.0);
	CHECK(isnan(metrics_hit_rate_at_k(users + 2, 1, 5)));
}

int main(void)
{
	RUN(test_auc_counts_ties_as_half_a_win);
	RUN(test_roc_points_are_monotone_thinned_and_keep_the_area);
	RUN(test_roc_curve_of_one_class_is_empty);
	RUN(test_average_precision_of_known_rankings);
	RUN(test_brier_log_loss_accuracy_and_base_rate);
	RUN(test_calibration_bins_hold_mean_prediction_and_observed_rate);
	RUN(test_binary_metrics_fill_everything_and_reject_bad_rows);
	RUN(test_hit_rate_and_recall_at_k_from_ranked_recommendations);
	return check_summary();
}
