/* linalg: the small numeric helpers every customer model shares.
 *
 *   - dense symmetric positive definite solves by Cholesky (the Newton steps of the
 *     logistic regression: a (p+1) × (p+1) system, p = number of features);
 *   - the standardiser: per-feature mean and standard deviation, learnt on the training
 *     rows and applied unchanged to new rows (logistic regression, k-means);
 *   - sorting values with a deterministic order for ties (ROC, quintiles, medians);
 *   - log-domain sums that neither overflow nor underflow.
 *
 * Matrices are row-major arrays of doubles: element (i, j) of an n × m matrix is a[i*m + j].
 * Nothing here allocates except the standardiser, which owns its arrays. */
#ifndef CARTOGRAPH_MODEL_LINALG_H
#define CARTOGRAPH_MODEL_LINALG_H

#include <stddef.h>
#include <stdint.h>

/* Factorises the symmetric positive definite n × n matrix a as L·Lᵀ, in place. Only the
 * lower triangle (diagonal included) is read, and on return it holds L; the strict upper
 * triangle is left as it was. Returns 0, or -1 when a is not positive definite
 * (numerically), in which case a is partly overwritten. */
int cholesky_factor(double *a, size_t n);

/* Solves L·Lᵀ·x = b for x, with L the factor cholesky_factor left in l; b is replaced by
 * x. */
void cholesky_solve(const double *l, size_t n, double *b);

/* The dot product of two vectors of length n, summed in index order. */
double dot(const double *x, const double *y, size_t n);

/* log(exp(a) + exp(b)) without overflow or underflow; -INFINITY when both are. */
double log_add_exp(double a, double b);

/* log(1 + exp(x)) without overflow: the logistic loss of a linear score. */
double log1p_exp(double x);

/* The logistic function 1 / (1 + exp(-x)), exact at both tails. */
double logistic(double x);

/* Per-feature centring and scaling learnt on training rows. A feature that does not vary
 * on the training rows is "constant": it carries no information, so its standardised
 * value is always 0 (on new rows too) and models give it no weight. */
struct standardiser {
	size_t n_features;       /* columns it was fitted on */
	double *mean;            /* per feature: mean over the training rows */
	double *sd;              /* per feature: standard deviation (divisor n); 1 when constant */
	unsigned char *constant; /* per feature: 1 when the training rows did not vary */
};

/* Learns mean and standard deviation of each of the n_features columns of the n_rows ×
 * n_features matrix x (n_rows ≥ 1). s owns arrays afterwards: standardiser_free. */
void standardiser_fit(struct standardiser *s, const double *x, size_t n_rows,
		      size_t n_features);
/* Writes the standardised values of one row into out (may be the same array as row). */
void standardiser_apply(const struct standardiser *s, const double *row, double *out);
/* Standardises n_rows rows of x into out (n_rows × n_features; may alias x). */
void standardiser_apply_rows(const struct standardiser *s, const double *x, size_t n_rows,
			     double *out);
/* The inverse: original units of one standardised row (a constant feature gets its mean). */
void standardiser_invert(const struct standardiser *s, const double *z, double *row);
void standardiser_free(struct standardiser *s);

/* One element of a deterministic sort: entries are ordered by value, then by key, then by
 * index, so equal values always come out in the same order on every machine (qsort alone
 * is not stable). NaN values sort after every number. */
struct sort_entry {
	double value; /* what is sorted on */
	int64_t key;  /* first tie-break between equal values (e.g. a customer id) */
	size_t index; /* position in the caller's arrays; the last tie-break */
};

/* Sorts ascending by (value, key, index). */
void sort_entries(struct sort_entry *e, size_t n);
/* Sorts the doubles of x ascending in place (NaN last). */
void sort_doubles(double *x, size_t n);

#endif
