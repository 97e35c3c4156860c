/* Unit tests of src/model/logreg and the shared helpers of src/model/linalg: the fit
 * against hand-checked and independently computed solutions, the standardiser, and the
 * errors a churn pipeline can meet. */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "model/linalg.h"
#include "model/logreg.h"
#include "util/rng.h"

static void test_cholesky_solves_a_small_system(void)
{
	/* A = [[4, 2, 2], [2, 5, 3], [2, 3, 6]], x = (1, -1, 2) gives b = A·x = (6, 3, 11). */
	double a[9] = {4, 2, 2, 2, 5, 3, 2, 3, 6};
	double b[3] = {6, 3, 11};
	CHECK_INT(cholesky_factor(a, 3), 0);
	CHECK_NEAR(a[0], 2.0, 1e-15); /* L_00 = sqrt(4) */
	cholesky_solve(a, 3, b);
	CHECK_NEAR(b[0], 1.0, 1e-12);
	CHECK_NEAR(b[1], -1.0, 1e-12);
	CHECK_NEAR(b[2], 2.0, 1e-12);
	double singular[4] = {1, 1, 1, 1};
	CHECK_INT(cholesky_factor(singular, 2), -1);
}

static void test_standardiser_centres_scales_and_zeroes_constant_features(void)
{
	/* Column 0: 1, 2, 3 → mean 2, sd sqrt(2/3); column 1 is constant. */
	double x[6] = {1, 5, 2, 5, 3, 5};
	struct standardiser s;
	standardiser_fit(&s, x, 3, 2);
	CHECK_NEAR(s.mean[0], 2.0, 1e-15);
	CHECK_NEAR(s.sd[0], sqrt(2.0 / 3.0), 1e-15);
	CHECK_INT(s.constant[0], 0);
	CHECK_INT(s.constant[1], 1);
	double row[2] = {4, 9}, z[2], back[2];
	standardiser_apply(&s, row, z);
	CHECK_NEAR(z[0], 2.0 / sqrt(2.0 / 3.0), 1e-12);
	CHECK_NEAR(z[1], 0.0, 0.0); /* a constant feature carries nothing, even when new rows vary */
	standardiser_invert(&s, z, back);
	CHECK_NEAR(back[0], 4.0, 1e-12);
	CHECK_NEAR(back[1], 5.0, 0.0);
	standardiser_free(&s);
}

static void test_logreg_matches_log_odds_of_a_binary_feature(void)
{
	/* Without a penalty, a single 0/1 feature makes the fit reproduce the observed
	 * log-odds of each group exactly:
	 *   x = 0: 1 of 3 churned → log-odds log(1/2) = −ln 2 = the intercept;
	 *   x = 1: 2 of 3 churned → log-odds log(2) = ln 2, so the coefficient is
	 *   ln 2 − (−ln 2) = 2 ln 2 ≈ 1.386294.
	 * Standardised (mean 0.5, sd 0.5): coefficient 2 ln 2 · 0.5 = ln 2, intercept
	 * −ln 2 + 2 ln 2 · 0.5 = 0. */
	double x[6] = {0, 0, 0, 1, 1, 1};
	int y[6] = {1, 0, 0, 1, 1, 0};
	struct logreg_options opt = logreg_default_options();
	opt.l2 = 0.0;
	struct logreg_model m;
	struct error err = {{0}};
	CHECK_INT(logreg_fit(x, y, 6, 1, &opt, &m, &err), 0);
	CHECK(m.converged);
	CHECK_NEAR(m.intercept, -log(2.0), 1e-9);
	CHECK_NEAR(m.coef[0], 2.0 * log(2.0), 1e-9);
	CHECK_NEAR(m.intercept_std, 0.0, 1e-9);
	CHECK_NEAR(m.coef_std[0], log(2.0), 1e-9);
	double row0 = 0.0, row1 = 1.0;
	CHECK_NEAR(logreg_predict(&m, &row0), 1.0 / 3.0, 1e-9);
	CHECK_NEAR(logreg_predict(&m, &row1), 2.0 / 3.0, 1e-9);
	/* log-likelihood: 2·[log(1/3) + 2·log(2/3)] = 2·log(4/27) */
	CHECK_NEAR(m.log_likelihood, 2.0 * log(4.0 / 27.0), 1e-9);
	logreg_model_free(&m);
}

/* Six customers, two features, outcomes that no line separates. */
static const double six_x[12] = {1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.5};
static const int six_y[6] = {0, 1, 0, 1, 1, 0};

/* Standardises the six rows independently of the library (population sd). */
static void standardise_six(double z[12])
{
	for (int j = 0; j < 2; j++) {
		double mean = 0.0, var = 0.0;
		for (int i = 0; i < 6; i++)
			mean += six_x[i * 2 + j] / 6.0;
		for (int i = 0; i < 6; i++)
			var += (six_x[i * 2 + j] - mean) * (six_x[i * 2 + j] - mean) / 6.0;
		for (int i = 0; i < 6; i++)
			z[i * 2 + j] = (six_x[i * 2 + j] - mean) / sqrt(var);
	}
}

/* Gradient of Σ log-loss + (l2/2)(β1² + β2²) at beta = (β0, β1, β2). */
static void six_gradient(const double z[12], const double beta[3], double l2, double g[3])
{
	g[0] = 0.0;
	g[1] = l2 * beta[1];
	g[2] = l2 * beta[2];
	for (int i = 0; i < 6; i++) {
		double p = 1.0 / (1.0 + exp(-(beta[0] + beta[1] * z[i * 2] + beta[2] * z[i * 2 + 1])));
		g[0] += p - six_y[i];
		g[1] += (p - six_y[i]) * z[i * 2];
		g[2] += (p - six_y[i]) * z[i * 2 + 1];
	}
}

static void test_logreg_gradient_vanishes_and_agrees_with_slow_gradient_descent(void)
{
	const double l2 = 0.5;
	struct logreg_options opt = logreg_default_options();
	opt.l2 = l2;
	struct logreg_model m;
	CHECK_INT(logreg_fit(six_x, six_y, 6, 2, &opt, &m, NULL), 0);
	CHECK(m.converged);
	CHECK(m.iterations >= 2 && m.iterations <= 15);

	double z[12], g[3];
	standardise_six(z);
	double newton[3] = {m.intercept_std, m.coef_std[0], m.coef_std[1]};
	six_gradient(z, newton, l2, g);
	for (int j = 0; j < 3; j++)
		CHECK_NEAR(g[j], 0.0, 1e-10);

	/* Plain gradient descent with a small fixed step: slow, but a different method. */
	double beta[3] = {0, 0, 0};
	for (int step = 0; step < 20000; step++) {
		six_gradient(z, beta, l2, g);
		for (int j = 0; j < 3; j++)
			beta[j] -= 0.1 * g[j];
	}
	for (int j = 0; j < 3; j++)
		CHECK_NEAR(newton[j], beta[j], 1e-9);

	/* The original-unit coefficients describe the same model. */
	for (int i = 0; i < 6; i++) {
		double eta = m.intercept + m.coef[0] * six_x[i * 2] + m.coef[1] * six_x[i * 2 + 1];
		CHECK_NEAR(logreg_predict(&m, six_x + i * 2), 1.0 / (1.0 + exp(-eta)), 1e-12);
	}
	logreg_model_free(&m);
}

static void test_logreg_gives_a_constant_feature_no_weight(void)
{
	double x[18];
	for (int i = 0; i < 6; i++) {
		x[i * 3] = six_x[i * 2];
		x[i * 3 + 1] = 7.0; /* every customer the same */
		x[i * 3 + 2] = six_x[i * 2 + 1];
	}
	struct logreg_options opt = logreg_default_options();
	opt.l2 = 0.5;
	struct logreg_model with, without;
	CHECK_INT(logreg_fit(x, six_y, 6, 3, &opt, &with, NULL), 0);
	CHECK_INT(logreg_fit(six_x, six_y, 6, 2, &opt, &without, NULL), 0);
	CHECK(with.converged);
	CHECK_NEAR(with.coef[1], 0.0, 0.0);
	CHECK_NEAR(with.coef_std[1], 0.0, 0.0);
	CHECK_NEAR(with.coef[0], without.coef[0], 1e-10);
	CHECK_NEAR(with.coef[2], without.coef[1], 1e-10);
	CHECK_NEAR(with.intercept, without.intercept, 1e-10);
	logreg_model_free(&with);
	logreg_model_free(&without);
}

static void test_logreg_recovers_coefficients_of_simulated_customers(void)
{
	/* churn log-odds = −2 + 0.5·tenure_years − 1.2·orders_per_month, 20,000 customers;
	 * standard errors are about 0.02, so 0.1 is a generous band. */
	enum { N = 20000 };
	double *x = malloc(N * 2 * sizeof *x);
	int *y = malloc(N * sizeof *y);
	struct rng rng;
	rng_seed(&rng, 42);
	for (int i = 0; i < N; i++) {
		x[i * 2] = 3.0 + 2.0 * rng_normal(&rng);
		x[i * 2 + 1] = 0.5 + 0.5 * rng_normal(&rng);
		double eta = -2.0 + 0.5 * x[i * 2] - 1.2 * x[i * 2 + 1];
		y[i] = rng_uniform(&rng) < 1.0 / (1.0 + exp(-eta));
	}
	struct logreg_model m;
	CHECK_INT(logreg_fit(x, y, N, 2, NULL, &m, NULL), 0);
	CHECK(m.converged);
	CHECK(m.iterations <= 10);
	CHECK_NEAR(m.intercept, -2.0, 0.1);
	CHECK_NEAR(m.coef[0], 0.5, 0.1);
	CHECK_NEAR(m.coef[1], -1.2, 0.1);
	/* The same data and options give the same model, bit for bit. */
	struct logreg_model again;
	CHECK_INT(logreg_fit(x, y, N, 2, NULL, &again, NULL), 0);
	CHECK(again.coef[0] == m.coef[0] && again.intercept == m.intercept);
	logreg_model_free(&m);
	logreg_model_free(&again);
	free(x);
	free(y);
}

static void test_logreg_stays_finite_on_perfectly_separated_customers(void)
{
	double x[6] = {1, 2, 3, 4, 5, 6};
	int y[6] = {0, 0, 0, 1, 1, 1};
	struct logreg_options opt = logreg_default_options();
	struct logreg_model m;
	/* With the default penalty the optimum exists and is found. */
	CHECK_INT(logreg_fit(x, y, 6, 1, &opt, &m, NULL), 0);
	CHECK(m.converged);
	CHECK(m.coef[0] > 0.0);
	logreg_model_free(&m);
	/* Without one it does not exist; the fit stops with finite numbers. */
	opt.l2 = 0.0;
	CHECK_INT(logreg_fit(x, y, 6, 1, &opt, &m, NULL), 0);
	CHECK(isfinite(m.coef[0]) && isfinite(m.intercept));
	double low = 1.0, high = 6.0;
	CHECK(logreg_predict(&m, &low) < 0.01);
	CHECK(logreg_predict(&m, &high) > 0.99);
	logreg_model_free(&m);
}

static void test_logreg_rejects_one_outcome_and_bad_labels(void)
{
	double x[3] = {1, 2, 3};
	int same[3] = {0, 0, 0}, bad[3] = {0, 2, 1};
	struct logreg_model m;
	struct error err = {{0}};
	CHECK_INT(logreg_fit(x, same, 3, 1, NULL, &m, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "both outcomes") != NULL);
	CHECK_INT(logreg_fit(x, bad, 3, 1, NULL, &m, &err), ERR_INPUT);
	CHECK_STR(err.msg, "logistic regression: row 2: outcome 2 is not 0 or 1");
	CHECK_INT(logreg_fit(x, bad, 0, 1, NULL, &m, &err), ERR_INPUT);
	double inf_x[3] = {1, INFINITY, 3};
	int ok[3] = {0, 1, 1};
	CHECK_INT(logreg_fit(inf_x, ok, 3, 1, NULL, &m, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "row 2: feature 1") != NULL);
}

int main(void)
{
	RUN(test_cholesky_solves_a_small_system);
	RUN(test_standardiser_centres_scales_and_zeroes_constant_features);
	RUN(test_logreg_matches_log_odds_of_a_binary_feature);
	RUN(test_logreg_gradient_vanishes_and_agrees_with_slow_gradient_descent);
	RUN(test_logreg_gives_a_constant_feature_no_weight);
	RUN(test_logreg_recovers_coefficients_of_simulated_customers);
	RUN(test_logreg_stays_finite_on_perfectly_separated_customers);
	RUN(test_logreg_rejects_one_outcome_and_bad_labels);
	return check_summary();
}
