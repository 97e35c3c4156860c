/* kmeans: customer segments from recency, frequency and monetary value.
 *
 * The caller turns each customer's R, F and M into a point with rfm_scaling (signed log,
 * then standardised, so no single measure dominates the distances), and k-means groups
 * the points:
 *   - k-means++ seeding from a fixed seed, then Lloyd iterations until no customer
 *     changes segment or the centres all but stop moving; several restarts, keeping the lowest inertia (the first one on a
 *     tie), all drawn from one util/rng.h stream, so the same input and seed always give
 *     the same segments;
 *   - segments are renumbered largest first (ties by centre coordinates), so segment 0 is
 *     the biggest and labels do not depend on the seeding;
 *   - the silhouette score says how well separated the segments are; it is exact for up to
 *     KMEANS_SILHOUETTE_EXACT_MAX points, and computed on a deterministic random sample of
 *     KMEANS_SILHOUETTE_SAMPLE points above that, so 100k customers stay fast;
 *   - kmeans_choose_k fits each k in a range and keeps the k with the best silhouette. */
#ifndef CARTOGRAPH_MODEL_KMEANS_H
#define CARTOGRAPH_MODEL_KMEANS_H

#include <stddef.h>
#include <stdint.h>

#include "model/linalg.h"
#include "util/error.h"

#define KMEANS_SILHOUETTE_EXACT_MAX 4000
#define KMEANS_SILHOUETTE_SAMPLE 2000

struct kmeans_options {
	int restarts;       /* independent seedings; the best inertia is kept */
	int max_iterations; /* Lloyd iterations per restart */
	double tolerance;   /* a restart also stops when its centres move, in total squared
	                       distance, by at most this share of the points' total variance
	                       in one iteration (0: only when no point changes segment) */
	uint64_t seed;      /* seeds the one random stream of all restarts */
};

/* The defaults: 4 restarts, 100 iterations, tolerance 1e-6, seed 1. */
struct kmeans_options kmeans_default_options(void);

struct kmeans_result {
	int k;             /* segments */
	size_t n, dims;    /* points clustered and coordinates per point */
	double *centres;   /* k × dims: mean point of each segment (scaled units) */
	int *assignment;   /* n: segment of each point, 0..k-1 */
	size_t *sizes;     /* k: points per segment, largest first */
	double inertia;    /* Σ squared distance of each point to its centre */
	int iterations;    /* Lloyd iterations of the kept restart */
	int converged;     /* 1 when the kept restart stopped before max_iterations */
};

/* Clusters the n × dims row-major points x into k segments. Returns 0 and fills result
 * (release with kmeans_result_free), or ERR_INPUT when k < 1, n < k, or a coordinate is
 * not finite. When the points have fewer than k distinct values some segments stay empty
 * (size 0). opt may be NULL for the defaults. */
int kmeans_fit(const double *x, size_t n, size_t dims, int k,
	       const struct kmeans_options *opt, struct kmeans_result *result,
	       struct error *err);

/* The mean silhouette of the segments in assignment (values 0..k-1): for each point, with
 * a its mean distance to the rest of its segment and b the least mean distance to another
 * segment, (b − a) / max(a, b); 0 for a point alone in its segment. Exact when
 * n ≤ KMEANS_SILHOUETTE_EXACT_MAX, else over KMEANS_SILHOUETTE_SAMPLE points drawn with
 * the seed (distances within the sample). 0 when fewer than two segments are occupied. */
double kmeans_silhouette(const double *x, size_t n, size_t dims, const int *assignment,
			 int k, uint64_t seed);

/* Fits k = k_min..k_max and keeps in best the one with the highest silhouette (the
 * smaller k on a tie). silhouette and inertia, when not NULL, receive the figure of each
 * k (k_max − k_min + 1 values, for the report's chart). Returns 0, or ERR_INPUT as
 * kmeans_fit does or when k_min < 2 or k_max < k_min. */
int kmeans_choose_k(const double *x, size_t n, size_t dims, int k_min, int k_max,
		    const struct kmeans_options *opt, struct kmeans_result *best,
		    double *silhouette, double *inertia, struct error *err);

void kmeans_result_free(struct kmeans_result *result);

/* The transform from plain R, F, M (or any measures) to clustering units: each value v
 * becomes sign(v)·log(1 + |v|) (tames long tails, defined at 0 and for refunds), then is
 * standardised per measure with the standardiser learnt on the customers. The inverse
 * turns a centre back into plain units to describe a segment ("about 40 days since the
 * last order, 3 orders, 120.00 spent"). */
struct rfm_scaling {
	struct standardiser scale; /* of the log-transformed measures */
};

/* Learns the scaling from n × dims raw measures; release with rfm_scaling_free. */
void rfm_scaling_fit(struct rfm_scaling *s, const double *raw, size_t n, size_t dims);
/* n rows of raw measures into scaled points (out may alias raw). */
void rfm_scaling_apply(const struct rfm_scaling *s, const double *raw, size_t n,
		       double *out);
/* One scaled point (e.g. a centre) back into plain units. */
void rfm_scaling_invert(const struct rfm_scaling *s, const double *scaled, double *raw);
void rfm_scaling_free(struct rfm_scaling *s);

#endif
