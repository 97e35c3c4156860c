/* robust: medians, MAD, robust and rolling z-scores, type 7 quantiles, quintile scores
 * and the least-squares line. */
#include "model/robust.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/linalg.h"
#include "util/xalloc.h"

/* 0.6745 = the 75th percentile of the standard normal: MAD / 0.6745 estimates σ. */
#define MAD_TO_Z 0.6745
/* sqrt(π/2): the mean absolute deviation times this estimates σ. */
#define MEANAD_TO_SD 1.2533141373155

double robust_quantile_sorted(const double *sorted, size_t n, double q)
{
	if (!n)
		return NAN;
	q = fmin(fmax(q, 0.0), 1.0);
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double robust_quantile(const double *x, size_t n, double q)
{
	if (!n)
		return NAN;
	double *copy = xmalloc(n * sizeof *copy);
	memcpy(copy, x, n * sizeof *copy);
	sort_doubles(copy, n);
	double v = robust_quantile_sorted(copy, n, q);
	free(copy);
	return v;
}

double robust_median(const double *x, size_t n)
{
	return robust_quantile(x, n, 0.5);
}

/* Fills the baseline from n values in scratch (reordered; n ≥ 1). */
static struct robust_baseline baseline_in_place(double *scratch, size_t n)
{
	assert(n >= 1);
	struct robust_baseline base;
	sort_doubles(scratch, n);
	base.median = robust_quantile_sorted(scratch, n, 0.5);
	double sum = 0.0;
	for (size_t i = 0; i < n; i++) {
		scratch[i] = fabs(scratch[i] - base.median);
		sum += scratch[i];
	}
	base.meanad = sum / (double)n;
	sort_doubles(scratch, n);
	base.mad = robust_quantile_sorted(scratch, n, 0.5);
	return base;
}

struct robust_baseline robust_baseline_of(const double *x, size_t n)
{
	double *scratch = xmalloc((n ? n : 1) * sizeof *scratch);
	memcpy(scratch, x, n * sizeof *scratch);
	struct robust_baseline base = baseline_in_place(scratch, n);
	free(scratch);
	return base;
}

double robust_mad(const double *x, size_t n)
{
	return n ? robust_baseline_of(x, n).mad : NAN;
}

/* The σ the baseline's values suggest: MAD / 0.6745, else 1.2533 · the mean absolute
 * deviation, else 0 (a flat baseline). */
static double robust_spread(const struct robust_baseline *base)
{
	if (base->mad > 0.0)
		return base->mad / MAD_TO_Z;
	return MEANAD_TO_SD * base->meanad;
}

double robust_z_at_least(const struct robust_baseline *base, double v, double min_spread)
{
	double diff = v - base->median, spread = fmax(robust_spread(base), min_spread), z;
	if (spread > 0.0)
		z = diff / spread;
	else
		z = diff == 0.0 ? 0.0 : copysign(ROBUST_Z_LIMIT, diff);
	return fmin(fmax(z, -ROBUST_Z_LIMIT), ROBUST_Z_LIMIT);
}

double robust_z(const struct robust_baseline *base, double v)
{
	return robust_z_at_least(base, v, 0.0);
}

void robust_rolling_z(const double *value, size_t n, size_t window, size_t min_history,
		      double *z)
{
	assert(window >= 1 && min_history >= 1);
	double *scratch = xmalloc(window * sizeof *scratch);
	for (size_t i = 0; i < n; i++) {
		size_t history = i < window ? i : window;
		if (history < min_history) {
			z[i] = 0.0;
			continue;
		}
		memcpy(scratch, value + i - history, history * sizeof *scratch);
		struct robust_baseline base = baseline_in_place(scratch, history);
		z[i] = robust_z(&base, value[i]);
	}
	free(scratch);
}

void robust_quintile_scores(const double *value, const int64_t *tie_key, size_t n,
			    int *score)
{
	struct sort_entry *e = xmalloc((n ? n : 1) * sizeof *e);
	for (size_t i = 0; i < n; i++)
		e[i] = (struct sort_entry){value[i], tie_key ? tie_key[i] : 0, i};
	sort_entries(e, n);
	for (size_t rank = 0; rank < n; rank++)
		score[e[rank].index] = 1 + (int)(rank * 5 / n);
	free(e);
}

int ols_fit_line(const double *x, const double *y, size_t n, struct ols_line *line,
		 struct error *err)
{
	memset(line, 0, sizeof *line);
	if (n < 3)
		return error_set(err, ERR_INPUT, "line fit: %zu points; at least 3 are needed",
				 n);
	double mean_x = 0.0, mean_y = 0.0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return error_set(err, ERR_INPUT, "line fit: point %zu is not a pair of "
					 "finite numbers", i + 1);
		mean_x += x[i];
		mean_y += y[i];
	}
	mean_x /= (double)n;
	mean_y /= (double)n;
	double sxx = 0.0, sxy = 0.0, syy = 0.0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mean_x, dy = y[i] - mean_y;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	if (!(sxx > 1e-24 * (double)n * fmax(1.0, mean_x * mean_x)))
		return error_set(err, ERR_INPUT, "line fit: every x is the same (%g); no slope "
				 "to measure", mean_x);
	line->n = n;
	line->slope = sxy / sxx;
	line->intercept = mean_y - line->slope * mean_x;
	/* Residuals summed directly: Syy − slope·Sxy can cancel to below zero. */
	double ssr = 0.0;
	for (size_t i = 0; i < n; i++) {
		double e = y[i] - line->intercept - line->slope * x[i];
		ssr += e * e;
	}
	line->slope_se = sqrt(ssr / (double)(n - 2) / sxx);
	line->r_squared = syy > 0.0 ? fmax(0.0, 1.0 - ssr / syy) : 1.0;
	return 0;
}
