/* linalg: Cholesky solves, the standardiser, deterministic sorting and log-domain sums
 * shared by the customer models. */
#include "model/linalg.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

int cholesky_factor(double *a, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		double *row_j = a + j * n;
		double diag = row_j[j] - dot(row_j, row_j, j);
		if (!(diag > 0.0) || !isfinite(diag))
			return -1;
		double l_jj = sqrt(diag);
		row_j[j] = l_jj;
		for (size_t i = j + 1; i < n; i++) {
			double *row_i = a + i * n;
			row_i[j] = (row_i[j] - dot(row_i, row_j, j)) / l_jj;
		}
	}
	return 0;
}

void cholesky_solve(const double *l, size_t n, double *b)
{
	/* Forward substitution L·y = b, then back substitution Lᵀ·x = y. */
	for (size_t i = 0; i < n; i++)
		b[i] = (b[i] - dot(l + i * n, b, i)) / l[i * n + i];
	for (size_t i = n; i-- > 0;) {
		double sum = b[i];
		for (size_t k = i + 1; k < n; k++)
			sum -= l[k * n + i] * b[k];
		b[i] = sum / l[i * n + i];
	}
}

double dot(const double *x, const double *y, size_t n)
{
	double sum = 0.0;
	for (size_t i = 0; i < n; i++)
		sum += x[i] * y[i];
	return sum;
}

double log_add_exp(double a, double b)
{
	double hi = a > b ? a : b, lo = a > b ? b : a;
	if (hi == -INFINITY)
		return -INFINITY;
	return hi + log1p(exp(lo - hi));
}

double log1p_exp(double x)
{
	/* For large x, log(1 + e^x) = x + log(1 + e^-x). */
	return x > 0.0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

double logistic(double x)
{
	if (x >= 0.0)
		return 1.0 / (1.0 + exp(-x));
	double e = exp(x);
	return e / (1.0 + e);
}

void standardiser_fit(struct standardiser *s, const double *x, size_t n_rows,
		      size_t n_features)
{
	assert(n_rows >= 1);
	s->n_features = n_features;
	s->mean = xcalloc(n_features ? n_features : 1, sizeof *s->mean);
	s->sd = xcalloc(n_features ? n_features : 1, sizeof *s->sd);
	s->constant = xcalloc(n_features ? n_features : 1, 1);
	for (size_t i = 0; i < n_rows; i++)
		for (size_t j = 0; j < n_features; j++)
			s->mean[j] += x[i * n_features + j];
	for (size_t j = 0; j < n_features; j++)
		s->mean[j] /= (double)n_rows;
	/* Second pass about the mean: no cancellation, unlike sum of squares minus square. */
	for (size_t i = 0; i < n_rows; i++)
		for (size_t j = 0; j < n_features; j++) {
			double d = x[i * n_features + j] - s->mean[j];
			s->sd[j] += d * d;
		}
	for (size_t j = 0; j < n_features; j++) {
		double sd = sqrt(s->sd[j] / (double)n_rows);
		/* Below this the spread is rounding noise of the mean, not data. */
		double noise = 1e-12 * fmax(1.0, fabs(s->mean[j]));
		s->constant[j] = !(sd > noise);
		s->sd[j] = s->constant[j] ? 1.0 : sd;
	}
}

void standardiser_apply(const struct standardiser *s, const double *row, double *out)
{
	for (size_t j = 0; j < s->n_features; j++)
		out[j] = s->constant[j] ? 0.0 : (row[j] - s->mean[j]) / s->sd[j];
}

void standardiser_apply_rows(const struct standardiser *s, const double *x, size_t n_rows,
			     double *out)
{
	size_t p = s->n_features;
	for (size_t i = 0; i < n_rows; i++)
		standardiser_apply(s, x + i * p, out + i * p);
}

void standardiser_invert(const struct standardiser *s, const double *z, double *row)
{
	for (size_t j = 0; j < s->n_features; j++)
		row[j] = s->constant[j] ? s->mean[j] : s->mean[j] + z[j] * s->sd[j];
}

void standardiser_free(struct standardiser *s)
{
	free(s->mean);
	free(s->sd);
	free(s->constant);
	memset(s, 0, sizeof *s);
}

/* Orders two doubles with NaN after every number and equal to another NaN. */
static int compare_values(double a, double b)
{
	int a_nan = isnan(a), b_nan = isnan(b);
	if (a_nan || b_nan)
		return a_nan - b_nan;
	return (a > b) - (a < b);
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct sort_entry *a = pa, *b = pb;
	int c = compare_values(a->value, b->value);
	if (c)
		return c;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

void sort_entries(struct sort_entry *e, size_t n)
{
	if (n > 1)
		qsort(e, n, sizeof *e, compare_entries);
}

static int compare_doubles(const void *pa, const void *pb)
{
	return compare_values(*(const double *)pa, *(const double *)pb);
}

void sort_doubles(double *x, size_t n)
{
	/* Equal doubles are interchangeable, so an unstable sort is still deterministic. */
	if (n > 1)
		qsort(x, n, sizeof *x, compare_doubles);
}
