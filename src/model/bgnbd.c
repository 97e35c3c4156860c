/* bgnbd: BG/NBD log-likelihood, its maximum by Nelder–Mead on log parameters, P(alive),
 * conditional expected purchases through the hypergeometric series, and a simulator. */
#include "model/bgnbd.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/linalg.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* Series terms summed before a hypergeometric series is declared divergent. */
#define SERIES_MAX_TERMS 2000000
/* Parameters are kept in [PARAM_MIN, PARAM_MAX] during the fit. */
#define PARAM_MIN 1e-6
#define PARAM_MAX 1e6
/* The search works on log(r), log(alpha), log(a), log(b). */
#define DIMS 4
/* Likelihood evaluations allowed to each of the two Nelder–Mead searches. */
#define SEARCH_MAX_EVALUATIONS 4000

/* 1 when every parameter is positive and finite, as the model needs. */
static int params_valid(const struct bgnbd_params *p)
{
	return p->r > 0.0 && p->alpha > 0.0 && p->a > 0.0 && p->b > 0.0 &&
	       isfinite(p->r + p->alpha + p->a + p->b);
}

double bgnbd_customer_log_likelihood(const struct bgnbd_params *p,
				     const struct bgnbd_customer *c)
{
	assert(params_valid(p) && c->x >= 0);
	double r = p->r, alpha = p->alpha, a = p->a, b = p->b, x = c->x;
	double log_a1 = lgamma(r + x) - lgamma(r) + r * log(alpha);
	double log_a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
	double log_a3 = -(r + x) * log(alpha + c->T);
	double log_a4 = c->x > 0 ? log(a) - log(b + x - 1.0) - (r + x) * log(alpha + c->t_x)
				 : -INFINITY;
	return log_a1 + log_a2 + log_add_exp(log_a3, log_a4);
}

double bgnbd_log_likelihood(const struct bgnbd_params *p, const struct bgnbd_customer *c,
			    size_t n)
{
	double sum = 0.0;
	for (size_t i = 0; i < n; i++)
		sum += bgnbd_customer_log_likelihood(p, &c[i]);
	return sum;
}

/* Log-odds of "dropped out after the last purchase" against "still alive". */
static double log_odds_dead(const struct bgnbd_params *p, const struct bgnbd_customer *c)
{
	if (c->x == 0)
		return -INFINITY;
	double x = c->x;
	return log(p->a) - log(p->b + x - 1.0) +
	       (p->r + x) * (log(p->alpha + c->T) - log(p->alpha + c->t_x));
}

double bgnbd_p_alive(const struct bgnbd_params *p, const struct bgnbd_customer *c)
{
	assert(params_valid(p) && c->x >= 0);
	return logistic(-log_odds_dead(p, c));
}

/* 1 when a series whose latest term is term and whose sum is sum may stop: the term no
 * longer changes the sum and the terms are shrinking. */
static int series_done(double term, double sum, double ratio)
{
	return fabs(term) <= 1e-17 * fabs(sum) + 1e-300 && fabs(ratio) < 1.0;
}

int hyp2f1(double a, double b, double c, double z, double *value)
{
	if (!(fabs(z) < 1.0) || (c <= 0.0 && c == floor(c)))
		return -1;
	double term = 1.0, sum = 1.0;
	for (int k = 0; k < SERIES_MAX_TERMS; k++) {
		double ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
		term *= ratio;
		sum += term;
		if (series_done(term, sum, ratio)) {
			*value = sum;
			return 0;
		}
	}
	return -1;
}

double bgnbd_expected_purchases(const struct bgnbd_params *p, const struct bgnbd_customer *c,
				double t)
{
	assert(params_valid(p) && c->x >= 0);
	double r = p->r, alpha = p->alpha, a = p->a, b = p->b, x = c->x;
	if (!(t > 0.0))
		return 0.0;
	/* With A = r+x, B = b+x, C = a+b+x−1 and z = t/(α+T+t), so that 1 − z = (α+T)/(α+T+t),
	 * Euler's transformation 2F1(A,B;C;z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z) turns the
	 * bracket of eq. (10) into 1 − (1−z)^(a−1) · 2F1(a+b−1−r, a−1; C; z). Writing
	 * ε = a − 1 and 2F1(·, ε; C; z) = 1 + ε·S, with S the series below (which has no
	 * factor ε left), the bracket divided by (a − 1) is −expm1(ε·L)/ε − (1−z)^ε · S,
	 * L = log(1 − z): no huge 2F1 for frequent buyers, no 0/0 at a = 1. */
	double big_c = a + b + x - 1.0, upper = a + b - 1.0 - r, eps = a - 1.0;
	double z = t / (alpha + c->T + t);
	double log_1mz = -log1p(t / (alpha + c->T));
	double term = upper * z / big_c, sum = term; /* k = 1: (upper)_1 (a)_0 z / ((C)_1 1!) */
	int done = term == 0.0;
	for (int k = 1; !done && k < SERIES_MAX_TERMS; k++) {
		double ratio = (upper + k) * (a + k - 1.0) / ((big_c + k) * (k + 1.0)) * z;
		term *= ratio;
		sum += term;
		done = series_done(term, sum, ratio);
	}
	if (!done)
		return NAN;
	double first = eps != 0.0 ? -expm1(eps * log_1mz) / eps : -log_1mz;
	double bracket = first - exp(eps * log_1mz) * sum;
	return big_c * bracket * bgnbd_p_alive(p, c);
}

double bgnbd_expected_purchases_new(const struct bgnbd_params *p, double t)
{
	struct bgnbd_customer fresh = {0, 0.0, 0.0};
	return bgnbd_expected_purchases(p, &fresh, t);
}

/* Customers with the same (x, t_x, T) share one likelihood term: the fit works on the
 * distinct histories, each weighted by how many customers have it, sorted by x so the
 * terms that depend on x alone are computed once per x. Ages and last purchases take
 * few distinct values (whole days), so log(α + v) is computed once per value. */
struct history {
	int x;
	double t_x, T;
	double count;   /* customers with this history */
	uint32_t T_at;  /* index of T in fit_data.values */
	uint32_t tx_at; /* index of t_x in fit_data.values */
};

struct fit_data {
	struct history *h;   /* distinct histories, ascending by (x, t_x, T) */
	size_t n;            /* distinct histories */
	double customers;    /* total customers */
	double *values;      /* the distinct values of T and t_x, ascending */
	size_t n_values;
	double *log_values;  /* scratch: log(α + value) at the point evaluated */
	int evaluations;
};

static int compare_histories(const void *pa, const void *pb)
{
	const struct history *a = pa, *b = pb;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->t_x != b->t_x)
		return a->t_x < b->t_x ? -1 : 1;
	return (a->T > b->T) - (a->T < b->T);
}

static int compare_doubles(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

static uint32_t value_at(const struct fit_data *d, double v)
{
	const double *found = bsearch(&v, d->values, d->n_values, sizeof *d->values,
				      compare_doubles);
	assert(found);
	return (uint32_t)(found - d->values);
}

/* Lists the distinct ages and last purchases and points each history at its own. */
static void list_values(struct fit_data *d)
{
	d->values = xmalloc((2 * d->n + 1) * sizeof *d->values);
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++) {
		d->values[n++] = d->h[i].T;
		d->values[n++] = d->h[i].t_x;
	}
	qsort(d->values, n, sizeof *d->values, compare_doubles);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (!kept || d->values[kept - 1] != d->values[i])
			d->values[kept++] = d->values[i];
	d->n_values = kept;
	d->log_values = xmalloc((kept + 1) * sizeof *d->log_values);
	for (size_t i = 0; i < d->n; i++) {
		d->h[i].T_at = value_at(d, d->h[i].T);
		d->h[i].tx_at = value_at(d, d->h[i].t_x);
	}
}

static void group_histories(const struct bgnbd_customer *c, size_t n, struct fit_data *d)
{
	d->h = xmalloc(n * sizeof *d->h);
	for (size_t i = 0; i < n; i++)
		d->h[i] = (struct history){c[i].x, c[i].x ? c[i].t_x : 0.0, c[i].T, 1.0, 0, 0};
	qsort(d->h, n, sizeof *d->h, compare_histories);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && compare_histories(&d->h[m - 1], &d->h[i]) == 0)
			d->h[m - 1].count += 1.0;
		else
			d->h[m++] = d->h[i];
	}
	d->n = m;
	d->customers = (double)n;
	d->evaluations = 0;
	list_values(d);
}

/* The mean negative log-likelihood per customer at log parameters theta; +INFINITY
 * outside the allowed range, so the search turns back. */
static double mean_negative_log_likelihood(const double *theta, struct fit_data *d)
{
	d->evaluations++;
	for (int j = 0; j < DIMS; j++)
		if (!(theta[j] >= log(PARAM_MIN) && theta[j] <= log(PARAM_MAX)))
			return INFINITY;
	double r = exp(theta[0]), alpha = exp(theta[1]), a = exp(theta[2]), b = exp(theta[3]);
	double log_alpha = log(alpha), log_a = log(a);
	double base = lgamma(a + b) - lgamma(b) - lgamma(r) + r * log_alpha;
	for (size_t v = 0; v < d->n_values; v++)
		d->log_values[v] = log(alpha + d->values[v]);
	double sum = 0.0;
	for (size_t i = 0; i < d->n;) {
		/* The terms of one x, then every history with that x. */
		int xi = d->h[i].x;
		double x = xi;
		double by_x = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
		double log_drop = xi > 0 ? log_a - log(b + x - 1.0) : 0.0;
		double block = 0.0, block_count = 0.0;
		for (; i < d->n && d->h[i].x == xi; i++) {
			const struct history *h = &d->h[i];
			double log_a3 = -(r + x) * d->log_values[h->T_at];
			double ll = log_a3;
			if (xi > 0)
				ll = log_add_exp(log_a3, log_drop - (r + x) * d->log_values[h->tx_at]);
			block += h->count * ll;
			block_count += h->count;
		}
		sum += block + by_x * block_count;
	}
	return -sum / d->customers;
}

/* A Nelder–Mead simplex over the log parameters. */
struct simplex {
	double vertex[DIMS + 1][DIMS]; /* the points */
	double value[DIMS + 1];        /* objective at each point */
};

/* Orders the vertices best first (insertion sort on value; equal values keep their
 * order, so the search is deterministic). */
static void sort_simplex(struct simplex *s)
{
	for (int i = 1; i <= DIMS; i++)
		for (int j = i; j > 0 && s->value[j] < s->value[j - 1]; j--) {
			double v = s->value[j];
			s->value[j] = s->value[j - 1];
			s->value[j - 1] = v;
			for (int k = 0; k < DIMS; k++) {
				double t = s->vertex[j][k];
				s->vertex[j][k] = s->vertex[j - 1][k];
				s->vertex[j - 1][k] = t;
			}
		}
}

/* 1 when the values agree to a relative 1e-12 and the points to 1e-7 (in log units). */
static int simplex_collapsed(const struct simplex *s)
{
	if (!(s->value[DIMS] - s->value[0] <= 1e-12 * (fabs(s->value[0]) + 1e-12)))
		return 0;
	for (int i = 1; i <= DIMS; i++)
		for (int k = 0; k < DIMS; k++)
			if (fabs(s->vertex[i][k] - s->vertex[0][k]) > 1e-7)
				return 0;
	return 1;
}

/* The point centre + scale · (centre − worst), evaluated. */
static double try_point(const double *centre, const double *worst, double scale,
			struct fit_data *d, double *out)
{
	for (int k = 0; k < DIMS; k++)
		out[k] = centre[k] + scale * (centre[k] - worst[k]);
	return mean_negative_log_likelihood(out, d);
}

static void replace_worst(struct simplex *s, const double *point, double value)
{
	memcpy(s->vertex[DIMS], point, sizeof s->vertex[DIMS]);
	s->value[DIMS] = value;
}

/* Minimises from start with a simplex of the given step along each axis; leaves the
 * best point in start and returns 1 when the simplex collapsed within the budget. */
static int nelder_mead(double *start, double step, struct fit_data *d)
{
	struct simplex s;
	for (int i = 0; i <= DIMS; i++) {
		memcpy(s.vertex[i], start, sizeof s.vertex[i]);
		if (i > 0)
			s.vertex[i][i - 1] += step;
		s.value[i] = mean_negative_log_likelihood(s.vertex[i], d);
	}
	int budget_end = d->evaluations + SEARCH_MAX_EVALUATIONS, converged = 0;
	for (;;) {
		sort_simplex(&s);
		if ((converged = simplex_collapsed(&s)) || d->evaluations >= budget_end)
			break;
		double centre[DIMS] = {0}, reflected[DIMS], other[DIMS];
		for (int i = 0; i < DIMS; i++)
			for (int k = 0; k < DIMS; k++)
				centre[k] += s.vertex[i][k] / DIMS;
		const double *worst = s.vertex[DIMS];
		double f_r = try_point(centre, worst, 1.0, d, reflected);
		if (f_r < s.value[0]) {
			double f_e = try_point(centre, worst, 2.0, d, other);
			if (f_e < f_r)
				replace_worst(&s, other, f_e);
			else
				replace_worst(&s, reflected, f_r);
			continue;
		}
		if (f_r < s.value[DIMS - 1]) {
			replace_worst(&s, reflected, f_r);
			continue;
		}
		/* Contract: outside when the reflection beat the worst point, else inside. */
		int outside = f_r < s.value[DIMS];
		double f_c = try_point(centre, worst, outside ? 0.5 : -0.5, d, other);
		if (f_c < (outside ? f_r : s.value[DIMS])) {
			replace_worst(&s, other, f_c);
			continue;
		}
		/* Shrink every point towards the best. */
		for (int i = 1; i <= DIMS; i++) {
			for (int k = 0; k < DIMS; k++)
				s.vertex[i][k] = s.vertex[0][k] + 0.5 * (s.vertex[i][k] - s.vertex[0][k]);
			s.value[i] = mean_negative_log_likelihood(s.vertex[i], d);
		}
	}
	memcpy(start, s.vertex[0], sizeof s.vertex[0]);
	return converged;
}

static int check_customers(const struct bgnbd_customer *c, size_t n, struct error *err)
{
	if (!n)
		return error_set(err, ERR_INPUT, "BG/NBD: no customers to fit");
	for (size_t i = 0; i < n; i++) {
		if (c[i].x < 0)
			return error_set(err, ERR_INPUT, "BG/NBD: customer %zu: %d repeat "
					 "purchases", i + 1, c[i].x);
		if (!(c[i].T > 0.0) || !isfinite(c[i].T))
			return error_set(err, ERR_INPUT, "BG/NBD: customer %zu: age %g is not "
					 "positive", i + 1, c[i].T);
		if (!(c[i].t_x >= 0.0 && c[i].t_x <= c[i].T))
			return error_set(err, ERR_INPUT, "BG/NBD: customer %zu: last purchase "
					 "at %g is outside the age 0..%g", i + 1, c[i].t_x, c[i].T);
	}
	return 0;
}

int bgnbd_fit(const struct bgnbd_customer *c, size_t n, struct bgnbd_fit *fit,
	      struct error *err)
{
	memset(fit, 0, sizeof *fit);
	int rc = check_customers(c, n, err);
	if (rc)
		return rc;
	struct fit_data d;
	group_histories(c, n, &d);
	/* Start from r = 1, a = b = 1 and α matching the observed repeat rate: the mean rate
	 * r/α is about Σx / ΣT. */
	double repeats = 0.0, ages = 0.0;
	for (size_t i = 0; i < n; i++) {
		repeats += c[i].x;
		ages += c[i].T;
	}
	double alpha0 = repeats > 0.0 ? ages / repeats : ages / (double)n;
	alpha0 = fmin(fmax(alpha0, 10.0 * PARAM_MIN), 0.1 * PARAM_MAX);
	double theta[DIMS] = {0.0, log(alpha0), 0.0, 0.0};
	nelder_mead(theta, 0.5, &d);
	fit->converged = nelder_mead(theta, 0.1, &d);
	fit->params = (struct bgnbd_params){exp(theta[0]), exp(theta[1]), exp(theta[2]),
					    exp(theta[3])};
	fit->log_likelihood = -mean_negative_log_likelihood(theta, &d) * d.customers;
	for (int j = 0; j < DIMS; j++)
		if (theta[j] < log(10.0 * PARAM_MIN) || theta[j] > log(0.1 * PARAM_MAX))
			fit->at_bound = 1;
	fit->evaluations = d.evaluations;
	free(d.h);
	free(d.values);
	free(d.log_values);
	return 0;
}

/* A Gamma(shape, 1) deviate (Marsaglia and Tsang, 2000); shapes below 1 are boosted with
 * Gamma(shape) = Gamma(shape + 1) · U^(1/shape). */
static double draw_gamma(struct rng *rng, double shape)
{
	if (shape < 1.0) {
		double u = 1.0 - rng_uniform(rng); /* in (0, 1] */
		return draw_gamma(rng, shape + 1.0) * pow(u, 1.0 / shape);
	}
	double dd = shape - 1.0 / 3.0, cc = 1.0 / sqrt(9.0 * dd);
	for (;;) {
		double z = rng_normal(rng), v = 1.0 + cc * z;
		if (v <= 0.0)
			continue;
		v = v * v * v;
		double u = 1.0 - rng_uniform(rng);
		if (log(u) < 0.5 * z * z + dd - dd * v + dd * log(v))
			return dd * v;
	}
}

static double draw_beta(struct rng *rng, double a, double b)
{
	double x = draw_gamma(rng, a), y = draw_gamma(rng, b);
	return x + y > 0.0 ? x / (x + y) : 0.5;
}

void bgnbd_simulate(const struct bgnbd_params *p, const double *T, size_t n, uint64_t seed,
		    double horizon, struct bgnbd_customer *out, int *holdout)
{
	struct rng rng;
	rng_seed(&rng, seed);
	if (!holdout)
		horizon = 0.0;
	for (size_t i = 0; i < n; i++) {
		double rate = draw_gamma(&rng, p->r) / p->alpha;
		double drop = draw_beta(&rng, p->a, p->b);
		struct bgnbd_customer c = {0, 0.0, T[i]};
		int later = 0;
		double t = 0.0;
		while (rate > 0.0) {
			t += rng_exponential(&rng, 1.0 / rate);
			if (t > T[i] + horizon)
				break;
			if (t <= T[i]) {
				c.x++;
				c.t_x = t;
			} else {
				later++;
			}
			if (rng_uniform(&rng) < drop)
				break; /* dropped out after this purchase */
		}
		out[i] = c;
		if (holdout)
			holdout[i] = later;
	}
}
