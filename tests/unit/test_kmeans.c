/* Unit tests of src/model/kmeans: segments found in well-separated blobs, k chosen by
 * silhouette, determinism, the silhouette against hand values and its sampled estimate,
 * degenerate inputs, and the RFM scaling round trip. */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "model/kmeans.h"
#include "util/rng.h"

/* Fills x (n × 2) with points around the given centres: counts[c] points around centre c
 * with standard deviation spread; blob[i] receives the centre of point i. */
static void make_blobs(double *x, int *blob, const double centres[][2], const int *counts,
		       int n_centres, double spread, uint64_t seed)
{
	struct rng rng;
	rng_seed(&rng, seed);
	size_t i = 0;
	for (int c = 0; c < n_centres; c++)
		for (int j = 0; j < counts[c]; j++, i++) {
			x[i * 2] = centres[c][0] + spread * rng_normal(&rng);
			x[i * 2 + 1] = centres[c][1] + spread * rng_normal(&rng);
			blob[i] = c;
		}
}

static const double three_centres[3][2] = {{0, 0}, {10, 0}, {0, 10}};

static void test_kmeans_recovers_three_separated_blobs_largest_first(void)
{
	enum { N = 600 };
	int counts[3] = {100, 300, 200};
	double *x = malloc(N * 2 * sizeof *x);
	int *blob = malloc(N * sizeof *blob);
	make_blobs(x, blob, three_centres, counts, 3, 0.5, 11);
	struct kmeans_result r;
	CHECK_INT(kmeans_fit(x, N, 2, 3, NULL, &r, NULL), 0);
	CHECK(r.converged);
	/* Segments are numbered by size: the 300-point blob (centre 10, 0) is segment 0. */
	CHECK_INT(r.sizes[0], 300);
	CHECK_INT(r.sizes[1], 200);
	CHECK_INT(r.sizes[2], 100);
	CHECK_NEAR(r.centres[0], 10.0, 0.15);
	CHECK_NEAR(r.centres[1], 0.0, 0.15);
	CHECK_NEAR(r.centres[2], 0.0, 0.15);
	CHECK_NEAR(r.centres[3], 10.0, 0.15);
	int expected_segment[3] = {2, 0, 1}, all_right = 1;
	for (int i = 0; i < N; i++)
		all_right &= r.assignment[i] == expected_segment[blob[i]];
	CHECK(all_right);
	/* Inertia ≈ n · 2 · spread² for round blobs. */
	CHECK_NEAR(r.inertia / N, 2 * 0.25, 0.1);
	kmeans_result_free(&r);
	free(x);
	free(blob);
}

static void test_silhouette_chooses_three_segments_for_three_blobs(void)
{
	enum { N = 900 };
	int counts[3] = {300, 300, 300};
	double *x = malloc(N * 2 * sizeof *x);
	int *blob = malloc(N * sizeof *blob);
	make_blobs(x, blob, three_centres, counts, 3, 1.0, 12);
	struct kmeans_result best;
	double silhouette[7], inertia[7];
	CHECK_INT(kmeans_choose_k(x, N, 2, 2, 8, NULL, &best, silhouette, inertia, NULL), 0);
	CHECK_INT(best.k, 3);
	CHECK(silhouette[1] > 0.7);
	for (int i = 0; i < 7; i++) {
		if (i != 1)
			CHECK(silhouette[i] < silhouette[1]);
		if (i > 0)
			CHECK(inertia[i] <= inertia[i - 1] * 1.0001); /* more segments, less spread */
	}
	/* scored together, each k's silhouette is the one it has alone, to the bit */
	struct kmeans_options opt = kmeans_default_options();
	for (int k = 2; k <= 8; k++) {
		struct kmeans_result alone;
		CHECK_INT(kmeans_fit(x, N, 2, k, &opt, &alone, NULL), 0);
		CHECK(kmeans_silhouette(x, N, 2, alone.assignment, k, opt.seed) ==
		      silhouette[k - 2]);
		kmeans_result_free(&alone);
	}
	kmeans_result_free(&best);
	free(x);
	free(blob);
}

static void test_kmeans_is_deterministic_for_a_seed(void)
{
	enum { N = 500 };
	double *x = malloc(N * 2 * sizeof *x);
	struct rng rng;
	rng_seed(&rng, 5);
	for (int i = 0; i < N * 2; i++)
		x[i] = rng_normal(&rng); /* one blob: no natural segments, many local optima */
	struct kmeans_options opt = kmeans_default_options();
	opt.seed = 99;
	struct kmeans_result a, b;
	CHECK_INT(kmeans_fit(x, N, 2, 5, &opt, &a, NULL), 0);
	CHECK_INT(kmeans_fit(x, N, 2, 5, &opt, &b, NULL), 0);
	CHECK(a.inertia == b.inertia);
	CHECK(memcmp(a.assignment, b.assignment, N * sizeof *a.assignment) == 0);
	CHECK(memcmp(a.centres, b.centres, 5 * 2 * sizeof *a.centres) == 0);
	for (int s = 1; s < 5; s++)
		CHECK(a.sizes[s] <= a.sizes[s - 1]);
	kmeans_result_free(&a);
	kmeans_result_free(&b);
	free(x);
}

static void test_silhouette_matches_a_hand_computed_value(void)
{
	/* Segments {0, 1} and {10, 11} on a line. Each point is 1 from its partner (a = 1);
	 * b is its mean distance to the other pair:
	 *   0: b = (10 + 11)/2 = 10.5, s = 9.5/10.5;   1: b = (9 + 10)/2 = 9.5, s = 8.5/9.5;
	 *   10: b = (10 + 9)/2 = 9.5, s = 8.5/9.5;    11: b = (11 + 10)/2 = 10.5, s = 9.5/10.5.
	 * Mean = (9.5/10.5 + 8.5/9.5) / 2 ≈ 0.899749. */
	double x[4] = {0, 1, 10, 11};
	int seg[4] = {0, 0, 1, 1};
	CHECK_NEAR(kmeans_silhouette(x, 4, 1, seg, 2, 1), (9.5 / 10.5 + 8.5 / 9.5) / 2.0, 1e-12);
	/* A point alone in its segment scores 0: {0, 1}, {10}, mean (s0 + s1 + 0) / 3 with
	 * s0 = (10 − 1)/10 = 0.9, s1 = (9 − 1)/9. */
	int alone[3] = {0, 0, 1};
	CHECK_NEAR(kmeans_silhouette(x, 3, 1, alone, 2, 1), (0.9 + 8.0 / 9.0) / 3.0, 1e-12);
	/* One occupied segment: defined as 0. */
	int one[4] = {0, 0, 0, 0};
	CHECK_NEAR(kmeans_silhouette(x, 4, 1, one, 2, 1), 0.0, 0.0);
}

/* The exact silhouette, written plainly, for checking the sampled one. */
static double exact_silhouette(const double *x, size_t n, const int *seg, int k)
{
	double total = 0.0, *sum = calloc((size_t)k, sizeof *sum);
	size_t *size = calloc((size_t)k, sizeof *size);
	for (size_t i = 0; i < n; i++)
		size[seg[i]]++;
	for (size_t i = 0; i < n; i++) {
		memset(sum, 0, (size_t)k * sizeof *sum);
		for (size_t j = 0; j < n; j++)
			sum[seg[j]] += hypot(x[i * 2] - x[j * 2], x[i * 2 + 1] - x[j * 2 + 1]);
		double a = sum[seg[i]] / (double)(size[seg[i]] - 1), b = INFINITY;
		for (int s = 0; s < k; s++)
			if (s != seg[i])
				b = fmin(b, sum[s] / (double)size[s]);
		total += (b - a) / fmax(a, b);
	}
	free(sum);
	free(size);
	return total / (double)n;
}

static void test_sampled_silhouette_is_close_to_the_exact_one(void)
{
	enum { N = KMEANS_SILHOUETTE_EXACT_MAX + 500 };
	int counts[3] = {N / 3, N / 3, N - 2 * (N / 3)};
	double *x = malloc(N * 2 * sizeof *x);
	int *blob = malloc(N * sizeof *blob);
	make_blobs(x, blob, three_centres, counts, 3, 3.0, 13); /* overlapping blobs */
	double sampled = kmeans_silhouette(x, N, 2, blob, 3, 1);
	double exact = exact_silhouette(x, N, blob, 3);
	CHECK(exact > 0.2 && exact < 0.8);
	CHECK_NEAR(sampled, exact, 0.03);
	/* Same seed, same sample. */
	CHECK(kmeans_silhouette(x, N, 2, blob, 3, 1) == sampled);
	free(x);
	free(blob);
}

static void test_kmeans_handles_too_few_customers_and_repeated_points(void)
{
	double x[5] = {1, 1, 1, 2, 2};
	struct kmeans_result r;
	struct error err = {{0}};
	CHECK_INT(kmeans_fit(x, 2, 1, 3, NULL, &r, &err), ERR_INPUT);
	CHECK_STR(err.msg, "segments: 2 customers are too few for 3 segments");
	/* Two distinct values for three segments: one segment stays empty. */
	CHECK_INT(kmeans_fit(x, 5, 1, 3, NULL, &r, &err), 0);
	CHECK_INT(r.sizes[0], 3);
	CHECK_INT(r.sizes[1], 2);
	CHECK_INT(r.sizes[2], 0);
	CHECK_NEAR(r.inertia, 0.0, 0.0);
	kmeans_result_free(&r);
	double bad[2] = {1, NAN};
	CHECK_INT(kmeans_fit(bad, 2, 1, 1, NULL, &r, &err), ERR_INPUT);
	CHECK_INT(kmeans_choose_k(x, 5, 1, 1, 3, NULL, &r, NULL, NULL, &err), ERR_INPUT);
}

static void test_rfm_scaling_round_trips_to_plain_units(void)
{
	/* recency days, orders, money spent (one refund-heavy customer is negative) */
	double raw[12] = {5, 1, 20.0, 40, 3, 150.0, 400, 12, 2500.0, 0, 1, -30.0};
	double scaled[12], back[3];
	struct rfm_scaling s;
	rfm_scaling_fit(&s, raw, 4, 3);
	rfm_scaling_apply(&s, raw, 4, scaled);
	for (int j = 0; j < 3; j++) {
		double mean = 0.0;
		for (int i = 0; i < 4; i++)
			mean += scaled[i * 3 + j] / 4.0;
		CHECK_NEAR(mean, 0.0, 1e-12);
	}
	for (int i = 0; i < 4; i++) {
		rfm_scaling_invert(&s, scaled + i * 3, back);
		for (int j = 0; j < 3; j++)
			CHECK_NEAR(back[j], raw[i * 3 + j], 1e-9 * fmax(1.0, fabs(raw[i * 3 + j])));
	}
	/* Before standardising, each value is sign(v)·log(1 + |v|): the refund stays below
	 * zero spend, and 2500 sits log(2501)/log(151) ≈ 1.56 times as far out as 150. */
	double log_mean = (log1p(20.0) + log1p(150.0) + log1p(2500.0) - log1p(30.0)) / 4.0;
	CHECK_NEAR(s.scale.mean[2], log_mean, 1e-12);
	CHECK(scaled[3 * 3 + 2] < scaled[0 * 3 + 2]);
	rfm_scaling_free(&s);
}

int main(void)
{
	RUN(test_kmeans_recovers_three_separated_blobs_largest_first);
	RUN(test_silhouette_chooses_three_segments_for_three_blobs);
	RUN(test_kmeans_is_deterministic_for_a_seed);
	RUN(test_silhouette_matches_a_hand_computed_value);
	RUN(test_sampled_silhouette_is_close_to_the_exact_one);
	RUN(test_kmeans_handles_too_few_customers_and_repeated_points);
	RUN(test_rfm_scaling_round_trips_to_plain_units);
	return check_summary();
}
