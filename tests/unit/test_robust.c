/* Unit tests of src/model/robust: median, MAD and robust z (including flat baselines),
 * the rolling z that flags a planted revenue spike, type 7 quantiles, quintile scores
 * with ties, and the least-squares line with its standard error. */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "model/robust.h"
#include "util/rng.h"

static void test_median_and_mad_ignore_one_huge_order(void)
{
	double odd[5] = {4, 100, 1, 3, 2};
	/* sorted 1 2 3 4 100: median 3; deviations 2 1 0 1 97: MAD 1 */
	CHECK_NEAR(robust_median(odd, 5), 3.0, 0.0);
	CHECK_NEAR(robust_mad(odd, 5), 1.0, 0.0);
	double even[4] = {4, 1, 3, 2};
	/* median (2 + 3)/2 = 2.5; deviations 1.5 0.5 0.5 1.5: MAD 1 */
	CHECK_NEAR(robust_median(even, 4), 2.5, 0.0);
	CHECK_NEAR(robust_mad(even, 4), 1.0, 0.0);
	CHECK(isnan(robust_median(even, 0)));
	/* The input is left as it was. */
	CHECK_NEAR(odd[0], 4.0, 0.0);
}

static void test_robust_z_scales_by_mad_and_falls_back_when_it_is_zero(void)
{
	double orders[5] = {1, 2, 3, 4, 100};
	struct robust_baseline base = robust_baseline_of(orders, 5);
	/* 0.6745 · (7 − 3) / 1 = 2.698 */
	CHECK_NEAR(robust_z(&base, 7.0), 2.698, 1e-12);
	/* More than half equal: MAD = 0, so the mean absolute deviation 4/5 steps in:
	 * (9 − 5) / (1.2533141 · 0.8) ≈ 3.98942 */
	double mostly_five[5] = {5, 5, 5, 5, 9};
	base = robust_baseline_of(mostly_five, 5);
	CHECK_NEAR(base.mad, 0.0, 0.0);
	CHECK_NEAR(robust_z(&base, 9.0), 4.0 / (1.2533141373155 * 0.8), 1e-9);
	/* Perfectly flat: equal is 0, anything else is as far as a score goes. */
	double flat[3] = {5, 5, 5};
	base = robust_baseline_of(flat, 3);
	CHECK_NEAR(robust_z(&base, 5.0), 0.0, 0.0);
	CHECK_NEAR(robust_z(&base, 6.0), ROBUST_Z_LIMIT, 0.0);
	CHECK_NEAR(robust_z(&base, 4.0), -ROBUST_Z_LIMIT, 0.0);
}

static void test_rolling_robust_z_flags_a_planted_revenue_spike(void)
{
	/* 150 days of revenue with a weekly rhythm and noise; day 100 has a big order. */
	enum { DAYS = 150, SPIKE = 100 };
	double revenue[DAYS], z[DAYS];
	struct rng rng;
	rng_seed(&rng, 3);
	for (int d = 0; d < DAYS; d++)
		revenue[d] = 1000.0 + 200.0 * sin(2.0 * M_PI * d / 7.0) + 50.0 * rng_normal(&rng);
	revenue[SPIKE] += 2500.0;
	robust_rolling_z(revenue, DAYS, ROBUST_ROLLING_WINDOW, 14, z);
	for (int d = 0; d < 14; d++)
		CHECK_NEAR(z[d], 0.0, 0.0); /* too little history */
	CHECK(z[SPIKE] > 8.0);
	int quiet = 1;
	for (int d = 14; d < DAYS; d++)
		if (d != SPIKE)
			quiet &= fabs(z[d]) < 3.0;
	CHECK(quiet); /* the spike does not distort the days after it either */
	/* The day's own value never enters its baseline: a spike on day 14 is still seen. */
	revenue[14] += 2500.0;
	robust_rolling_z(revenue, DAYS, ROBUST_ROLLING_WINDOW, 14, z);
	CHECK(z[14] > 8.0);
}

static void test_quantile_interpolates_like_type_7(void)
{
	double x[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
	/* h = 9q: q = 0.25 → h = 2.25 → 3 + 0.25·(4 − 3) = 3.25; q = 0.9 → 9.1 */
	CHECK_NEAR(robust_quantile(x, 10, 0.25), 3.25, 1e-15);
	CHECK_NEAR(robust_quantile(x, 10, 0.9), 9.1, 1e-14);
	CHECK_NEAR(robust_quantile(x, 10, 0.0), 1.0, 0.0);
	CHECK_NEAR(robust_quantile(x, 10, 1.0), 10.0, 0.0);
	CHECK_NEAR(robust_quantile(x, 1, 0.3), 10.0, 0.0);
	CHECK(isnan(robust_quantile(x, 0, 0.5)));
}

static void test_quintile_scores_break_ties_by_key(void)
{
	/* Five customers spent exactly 5. Ranked: 1, 2, 3, 4, then the 5s by key
	 * (10, 20, 30, 40, 50), then 10; two per score with n = 10. */
	double spend[10] = {5, 5, 5, 5, 5, 1, 2, 3, 4, 10};
	int64_t id[10] = {50, 40, 30, 20, 10, 1, 2, 3, 4, 99};
	int score[10];
	robust_quintile_scores(spend, id, 10, score);
	int want[10] = {5, 4, 4, 3, 3, 1, 1, 2, 2, 5};
	for (int i = 0; i < 10; i++)
		CHECK_INT(score[i], want[i]);
	/* Without keys, position decides. */
	robust_quintile_scores(spend, NULL, 10, score);
	int by_position[10] = {3, 3, 4, 4, 5, 1, 1, 2, 2, 5};
	for (int i = 0; i < 10; i++)
		CHECK_INT(score[i], by_position[i]);
	/* 13 customers, all tied: scores 1..5 hold 2 or 3 each. */
	double same[13] = {0};
	int counts[6] = {0}, s13[13];
	robust_quintile_scores(same, NULL, 13, s13);
	for (int i = 0; i < 13; i++)
		counts[s13[i]]++;
	for (int s = 1; s <= 5; s++)
		CHECK(counts[s] == 2 || counts[s] == 3);
}

static void test_line_fit_gives_slope_and_standard_error(void)
{
	/* x = 1..4, y = 1, 3, 2, 5: x̄ = 2.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5 → slope 1.1,
	 * intercept 0; residuals −0.1, 0.8, −1.3, 0.6 → SSR = 2.7; SE = sqrt(2.7/2/5);
	 * Syy = 8.75 → R² = 1 − 2.7/8.75. */
	double x[4] = {1, 2, 3, 4}, y[4] = {1, 3, 2, 5};
	struct ols_line line;
	CHECK_INT(ols_fit_line(x, y, 4, &line, NULL), 0);
	CHECK_NEAR(line.slope, 1.1, 1e-14);
	CHECK_NEAR(line.intercept, 0.0, 1e-14);
	CHECK_NEAR(line.slope_se, sqrt(0.27), 1e-14);
	CHECK_NEAR(line.r_squared, 1.0 - 2.7 / 8.75, 1e-14);
	CHECK_INT(line.n, 4);
	struct error err = {{0}};
	double flat_x[3] = {2, 2, 2};
	CHECK_INT(ols_fit_line(flat_x, y, 3, &line, &err), ERR_INPUT);
	CHECK_STR(err.msg, "line fit: every x is the same (2); no slope to measure");
	CHECK_INT(ols_fit_line(x, y, 2, &line, &err), ERR_INPUT);
}

static void test_log_log_line_measures_price_elasticity(void)
{
	/* quantity = 500 · price^−1.8 · noise over 200 weeks of prices */
	enum { N = 200 };
	double log_price[N], log_quantity[N];
	struct rng rng;
	rng_seed(&rng, 8);
	for (int i = 0; i < N; i++) {
		double price = 5.0 + 10.0 * rng_uniform(&rng);
		log_price[i] = log(price);
		log_quantity[i] = log(500.0) - 1.8 * log_price[i] + 0.1 * rng_normal(&rng);
	}
	struct ols_line line;
	CHECK_INT(ols_fit_line(log_price, log_quantity, N, &line, NULL), 0);
	CHECK_NEAR(line.slope, -1.8, 3.0 * line.slope_se);
	CHECK(line.slope_se > 0.01 && line.slope_se < 0.1);
}

int main(void)
{
	RUN(test_median_and_mad_ignore_one_huge_order);
	RUN(test_robust_z_scales_by_mad_and_falls_back_when_it_is_zero);
	RUN(test_rolling_robust_z_flags_a_planted_revenue_spike);
	RUN(test_quantile_interpolates_like_type_7);
	RUN(test_quintile_scores_break_ties_by_key);
	RUN(test_line_fit_gives_slope_and_standard_error);
	RUN(test_log_log_line_measures_price_elasticity);
	return check_summary();
}
