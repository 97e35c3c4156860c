/* Unit tests of src/model/bgnbd: the log-likelihood and P(alive) against values worked
 * by hand, the expected purchases against a closed form, the direct formula and
 * simulated hold-out purchases, the 2F1 series, and parameter recovery by the fit. */
#include "check.h"

#include <math.h>
#include <stdlib.h>

#include "model/bgnbd.h"

/* CDNOW-like parameters (time in weeks), used for simulation only. */
static const struct bgnbd_params cdnow_like = {0.243, 4.414, 0.793, 2.426};

static void test_log_likelihood_matches_hand_arithmetic(void)
{
	/* L = A1 · A2 · (A3 + [x > 0] A4) with
	 *   A1 = Γ(r+x) α^r / Γ(r),  A2 = Γ(a+b) Γ(b+x) / (Γ(b) Γ(a+b+x)),
	 *   A3 = (α+T)^-(r+x),       A4 = a/(b+x−1) · (α+t_x)^-(r+x).
	 * r = 1, α = 1, a = 1, b = 2:
	 *   x = 0, T = 1: A1 = 1, A2 = Γ(3)Γ(2)/(Γ(2)Γ(3)) = 1, A3 = 1/2, L = 1/2.
	 *   x = 2, t_x = 1, T = 3: A1 = Γ(3)/Γ(1) = 2, A2 = Γ(3)Γ(4)/(Γ(2)Γ(5)) = 2·6/24 = 1/2,
	 *     A3 = 4^-3 = 1/64, A4 = 1/3 · 2^-3 = 1/24,
	 *     L = 2 · 1/2 · (1/64 + 1/24) = 3/192 + 8/192 = 11/192.
	 *   Both: log(1/2 · 11/192) = log(11/384). */
	struct bgnbd_params p = {1.0, 1.0, 1.0, 2.0};
	struct bgnbd_customer once = {0, 0.0, 1.0}, twice = {2, 1.0, 3.0};
	CHECK_NEAR(bgnbd_customer_log_likelihood(&p, &once), log(0.5), 1e-14);
	CHECK_NEAR(bgnbd_customer_log_likelihood(&p, &twice), log(11.0 / 192.0), 1e-14);
	struct bgnbd_customer both[2] = {once, twice};
	CHECK_NEAR(bgnbd_log_likelihood(&p, both, 2), log(11.0 / 384.0), 1e-14);
	/* r = 2, α = 2, a = 1, b = 2; x = 1, t_x = 2, T = 4:
	 *   A1 = Γ(3) · 2² / Γ(2) = 8,  A2 = Γ(3)Γ(3)/(Γ(2)Γ(4)) = 4/6 = 2/3,
	 *   A3 = 6^-3 = 1/216,  A4 = 1/2 · 4^-3 = 1/128,
	 *   1/216 + 1/128 = (128 + 216)/27648 = 43/3456,
	 *   L = 8 · 2/3 · 43/3456 = 688/10368 = 43/648. */
	struct bgnbd_params q = {2.0, 2.0, 1.0, 2.0};
	struct bgnbd_customer once_more = {1, 2.0, 4.0};
	CHECK_NEAR(bgnbd_customer_log_likelihood(&q, &once_more), log(43.0 / 648.0), 1e-14);
}

static void test_p_alive_matches_hand_arithmetic_and_is_one_without_repeats(void)
{
	/* r = 1, α = 1, a = 1, b = 2, x = 2, t_x = 1, T = 3:
	 *   1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) = 1 / (1 + 1/3 · 2³) = 3/11,
	 * which is also A3 / (A3 + A4) = (1/64) / (11/192) from the test above. */
	struct bgnbd_params p = {1.0, 1.0, 1.0, 2.0};
	struct bgnbd_customer twice = {2, 1.0, 3.0}, once = {0, 0.0, 50.0};
	CHECK_NEAR(bgnbd_p_alive(&p, &twice), 3.0 / 11.0, 1e-15);
	CHECK_NEAR(bgnbd_p_alive(&p, &once), 1.0, 0.0);
	/* A frequent buyer who stopped long ago is almost surely gone, without overflow. */
	struct bgnbd_customer gone = {400, 10.0, 500.0};
	CHECK(bgnbd_p_alive(&cdnow_like, &gone) < 1e-100);
}

static void test_hypergeometric_series_matches_closed_forms(void)
{
	double v;
	/* 2F1(1, 1; 2; z) = −log(1 − z) / z */
	CHECK_INT(hyp2f1(1.0, 1.0, 2.0, 0.5, &v), 0);
	CHECK_NEAR(v, 2.0 * log(2.0), 1e-14);
	CHECK_INT(hyp2f1(1.0, 1.0, 2.0, 0.95, &v), 0);
	CHECK_NEAR(v, -log(0.05) / 0.95, 1e-12);
	/* 2F1(a, b; b; z) = (1 − z)^−a */
	CHECK_INT(hyp2f1(2.5, 3.0, 3.0, 0.3, &v), 0);
	CHECK_NEAR(v, pow(0.7, -2.5), 1e-13);
	/* 2F1(1/2, 1; 3/2; −z²) = atan(z) / z */
	CHECK_INT(hyp2f1(0.5, 1.0, 1.5, -0.25, &v), 0);
	CHECK_NEAR(v, atan(0.5) / 0.5, 1e-14);
	CHECK_INT(hyp2f1(1.0, 1.0, 2.0, 1.0, &v), -1);  /* outside the disc */
	CHECK_INT(hyp2f1(1.0, 1.0, -2.0, 0.5, &v), -1); /* c a pole */
}

static void test_expected_purchases_of_a_new_customer_match_a_closed_form(void)
{
	/* With r = 1, b = 1, a = 2, eq. (7) becomes
	 *   E[X(t)] = 2 · [1 − (α/(α+t)) · 2F1(1, 1; 2; t/(α+t))] = 2 · [1 − (α/t) log(1 + t/α)];
	 * for α = 1, t = 1: 2 · (1 − log 2) ≈ 0.613706. */
	struct bgnbd_params p = {1.0, 1.0, 2.0, 1.0};
	CHECK_NEAR(bgnbd_expected_purchases_new(&p, 1.0), 2.0 * (1.0 - log(2.0)), 1e-13);
	p.alpha = 3.0;
	CHECK_NEAR(bgnbd_expected_purchases_new(&p, 5.0), 2.0 * (1.0 - 0.6 * log(1.0 + 5.0 / 3.0)),
		   1e-13);
	CHECK_NEAR(bgnbd_expected_purchases_new(&p, 0.0), 0.0, 0.0);
}

/* FHL eq. (10) as printed, with the plain 2F1 series. */
static double expected_direct(const struct bgnbd_params *p, const struct bgnbd_customer *c,
			      double t)
{
	double x = c->x, f;
	double z = t / (p->alpha + c->T + t);
	if (hyp2f1(p->r + x, p->b + x, p->a + p->b + x - 1.0, z, &f) != 0)
		return NAN;
	double bracket = 1.0 - pow((p->alpha + c->T) / (p->alpha + c->T + t), p->r + x) * f;
	double numerator = (p->a + p->b + x - 1.0) / (p->a - 1.0) * bracket;
	double odds = c->x ? p->a / (p->b + x - 1.0) *
				     pow((p->alpha + c->T) / (p->alpha + c->t_x), p->r + x)
			   : 0.0;
	return numerator / (1.0 + odds);
}

static void test_expected_purchases_agree_with_the_printed_formula(void)
{
	struct bgnbd_customer customers[4] = {
		{0, 0.0, 30.0}, {2, 20.0, 35.0}, {7, 33.0, 38.0}, {25, 10.0, 39.0}};
	for (int i = 0; i < 4; i++) {
		double stable = bgnbd_expected_purchases(&cdnow_like, &customers[i], 39.0);
		double direct = expected_direct(&cdnow_like, &customers[i], 39.0);
		CHECK_NEAR(stable, direct, 1e-10 * fmax(1.0, direct));
	}
	/* Continuous through a = 1, where the printed form is 0/0. */
	struct bgnbd_params near = {0.5, 5.0, 1.0 + 1e-7, 2.0}, at = {0.5, 5.0, 1.0, 2.0};
	double e_near = bgnbd_expected_purchases(&near, &customers[1], 10.0);
	double e_at = bgnbd_expected_purchases(&at, &customers[1], 10.0);
	CHECK(isfinite(e_at));
	CHECK_NEAR(e_at, e_near, 1e-6);
	/* A very frequent buyer: the printed 2F1 overflows, the transformed one does not. */
	struct bgnbd_customer wholesaler = {2000, 364.0, 365.0};
	struct bgnbd_params daily = {2.0, 20.0, 0.5, 10.0};
	double e = bgnbd_expected_purchases(&daily, &wholesaler, 30.0);
	/* About 5.5 purchases a day while alive, times the chance to stay alive. */
	CHECK(isfinite(e) && e > 30.0 && e < 5.6 * 30.0);
}

static void test_expected_purchases_predict_simulated_hold_out_purchases(void)
{
	/* Customers drawn from the model with ages of 26..52 weeks, then watched for 39 more
	 * weeks. With the true parameters, the conditional expectation is unbiased for each
	 * history, so the mean of (actual − predicted) is 0 up to sampling noise. */
	enum { N = 50000 };
	double *age = malloc(N * sizeof *age);
	struct bgnbd_customer *c = malloc(N * sizeof *c);
	int *later = malloc(N * sizeof *later);
	for (int i = 0; i < N; i++)
		age[i] = 26.0 + (double)(i % 27);
	bgnbd_simulate(&cdnow_like, age, N, 2024, 39.0, c, later);
	double sum = 0.0, sum_sq = 0.0, predicted = 0.0;
	for (int i = 0; i < N; i++) {
		double e = bgnbd_expected_purchases(&cdnow_like, &c[i], 39.0);
		double d = later[i] - e;
		predicted += e;
		sum += d;
		sum_sq += d * d;
	}
	double mean = sum / N, se = sqrt((sum_sq / N - mean * mean) / N);
	CHECK(predicted / N > 0.4 && predicted / N < 1.0);
	CHECK(fabs(mean) < 4.0 * se);

	/* Customers just acquired and watched for 39 weeks: their mean purchase count is
	 * the unconditional expectation (eq. 7). */
	for (int i = 0; i < N; i++)
		age[i] = 39.0;
	bgnbd_simulate(&cdnow_like, age, N, 7, 0.0, c, NULL);
	double repeats = 0.0, repeats_sq = 0.0;
	for (int i = 0; i < N; i++) {
		repeats += c[i].x;
		repeats_sq += (double)c[i].x * c[i].x;
	}
	double mean_x = repeats / N, se_x = sqrt((repeats_sq / N - mean_x * mean_x) / N);
	CHECK_NEAR(mean_x, bgnbd_expected_purchases_new(&cdnow_like, 39.0), 4.0 * se_x);
	free(age);
	free(c);
	free(later);
}

static void test_fit_recovers_parameters_of_simulated_customers(void)
{
	enum { N = 20000 };
	double *age = malloc(N * sizeof *age);
	struct bgnbd_customer *c = malloc(N * sizeof *c);
	for (int i = 0; i < N; i++)
		age[i] = 26.0 + (double)(i % 27);
	bgnbd_simulate(&cdnow_like, age, N, 31, 0.0, c, NULL);
	struct bgnbd_fit fit;
	CHECK_INT(bgnbd_fit(c, N, &fit, NULL), 0);
	CHECK(fit.converged);
	CHECK(!fit.at_bound);
	/* The maximum is at least as likely as the truth... */
	CHECK(fit.log_likelihood >= bgnbd_log_likelihood(&cdnow_like, c, N));
	CHECK_NEAR(fit.log_likelihood, bgnbd_log_likelihood(&fit.params, c, N), 1e-6);
	/* ...and near it: r and α are pinned down well by 20,000 customers, a and b (the
	 * drop-out Beta) less so; the bands are about three standard errors. */
	CHECK_NEAR(fit.params.r, cdnow_like.r, 0.15 * cdnow_like.r);
	CHECK_NEAR(fit.params.alpha, cdnow_like.alpha, 0.2 * cdnow_like.alpha);
	CHECK_NEAR(fit.params.a, cdnow_like.a, 0.35 * cdnow_like.a);
	CHECK_NEAR(fit.params.b, cdnow_like.b, 0.4 * cdnow_like.b);
	/* Deterministic. */
	struct bgnbd_fit again;
	CHECK_INT(bgnbd_fit(c, N, &again, NULL), 0);
	CHECK(again.params.r == fit.params.r && again.params.b == fit.params.b);
	free(age);
	free(c);
}

static void test_fit_flags_customers_who_never_came_back(void)
{
	/* Nobody bought twice: the likelihood rises towards a zero purchase rate, so the
	 * estimates run to the edge; the fit says so, and still predicts about nothing. */
	struct bgnbd_customer once[3] = {{0, 0.0, 10.0}, {0, 0.0, 20.0}, {0, 0.0, 30.0}};
	struct bgnbd_fit fit;
	CHECK_INT(bgnbd_fit(once, 3, &fit, NULL), 0);
	CHECK(fit.at_bound);
	CHECK(bgnbd_expected_purchases(&fit.params, &once[0], 52.0) < 1e-6);
}

static void test_fit_rejects_impossible_histories(void)
{
	struct bgnbd_customer late = {2, 40.0, 30.0}, unborn = {0, 0.0, 0.0};
	struct bgnbd_fit fit;
	struct error err = {{0}};
	CHECK_INT(bgnbd_fit(&late, 1, &fit, &err), ERR_INPUT);
	CHECK_STR(err.msg, "BG/NBD: customer 1: last purchase at 40 is outside the age 0..30");
	CHECK_INT(bgnbd_fit(&unborn, 1, &fit, &err), ERR_INPUT);
	CHECK_INT(bgnbd_fit(&late, 0, &fit, &err), ERR_INPUT);
}

int main(void)
{
	RUN(test_log_likelihood_matches_hand_arithmetic);
	RUN(test_p_alive_matches_hand_arithmetic_and_is_one_without_repeats);
	RUN(test_hypergeometric_series_matches_closed_forms);
	RUN(test_expected_purchases_of_a_new_customer_match_a_closed_form);
	RUN(test_expected_purchases_agree_with_the_printed_formula);
	RUN(test_expected_purchases_predict_simulated_hold_out_purchases);
	RUN(test_fit_recovers_parameters_of_simulated_customers);
	RUN(test_fit_flags_customers_who_never_came_back);
	RUN(test_fit_rejects_impossible_histories);
	return check_summary();
}
