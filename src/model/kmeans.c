/* kmeans: k-means++ seeding, Lloyd iterations, deterministic restarts and relabelling,
 * the silhouette score (exact or sampled), the choice of k, and the RFM scaling. */
#include "model/kmeans.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/rng.h"
#include "util/xalloc.h"

struct kmeans_options kmeans_default_options(void)
{
	struct kmeans_options opt = {
		.restarts = 4, .max_iterations = 100, .tolerance = 1e-6, .seed = 1};
	return opt;
}

static inline double squared_distance(const double *a, const double *b, size_t dims)
{
	if (dims == 3) { /* RFM: the same sum, spelled out for the compiler */
		double d0 = a[0] - b[0], d1 = a[1] - b[1], d2 = a[2] - b[2], sum = 0.0;
		sum += d0 * d0;
		sum += d1 * d1;
		sum += d2 * d2;
		return sum;
	}
	double sum = 0.0;
	for (size_t j = 0; j < dims; j++) {
		double d = a[j] - b[j];
		sum += d * d;
	}
	return sum;
}

/* The points being clustered and the scratch space one restart needs. */
struct points {
	const double *x; /* n × dims */
	size_t n, dims;
	int k;
};

/* One restart's segments. */
struct clustering {
	double *centres;  /* k × dims */
	int *assignment;  /* n */
	double *distance; /* n: squared distance of each point to its centre when assigned */
	double inertia;
	int iterations, converged;
};

static void clustering_init(struct clustering *c, const struct points *pts)
{
	c->centres = xmalloc((size_t)pts->k * pts->dims * sizeof *c->centres);
	c->assignment = xmalloc(pts->n * sizeof *c->assignment);
	c->distance = xmalloc(pts->n * sizeof *c->distance);
	c->inertia = INFINITY;
	c->iterations = c->converged = 0;
}

static void clustering_free(struct clustering *c)
{
	free(c->centres);
	free(c->assignment);
	free(c->distance);
}

/* Picks the point whose share of the total weight covers target (weights ≥ 0, total > 0). */
static size_t pick_weighted(const double *weight, size_t n, double target)
{
	size_t last_positive = 0;
	for (size_t i = 0; i < n; i++) {
		if (weight[i] <= 0.0)
			continue;
		last_positive = i;
		if (target < weight[i])
			return i;
		target -= weight[i];
	}
	return last_positive; /* rounding left target just past the end */
}

/* k-means++: the first centre uniformly, each next one with probability proportional to
 * the squared distance to the nearest centre chosen so far. Uses c->distance as scratch. */
static void seed_centres(const struct points *pts, struct rng *rng, struct clustering *c)
{
	size_t dims = pts->dims;
	double *nearest = c->distance;
	size_t first = (size_t)rng_below(rng, pts->n);
	memcpy(c->centres, pts->x + first * dims, dims * sizeof *c->centres);
	for (size_t i = 0; i < pts->n; i++)
		nearest[i] = squared_distance(pts->x + i * dims, c->centres, dims);
	for (int s = 1; s < pts->k; s++) {
		double total = 0.0;
		for (size_t i = 0; i < pts->n; i++)
			total += nearest[i];
		size_t pick = total > 0.0 ? pick_weighted(nearest, pts->n, rng_uniform(rng) * total)
					  : (size_t)rng_below(rng, pts->n);
		double *centre = c->centres + (size_t)s * dims;
		memcpy(centre, pts->x + pick * dims, dims * sizeof *centre);
		for (size_t i = 0; i < pts->n; i++) {
			double d = squared_distance(pts->x + i * dims, centre, dims);
			if (d < nearest[i])
				nearest[i] = d;
		}
	}
}

/* Moves each point to its nearest centre (the lowest index on a tie); returns how many
 * points changed segment. */
static size_t assign_points(const struct points *pts, struct clustering *c)
{
	size_t changed = 0, dims = pts->dims;
	for (size_t i = 0; i < pts->n; i++) {
		const double *point = pts->x + i * dims;
		int best = 0;
		double best_d = squared_distance(point, c->centres, dims);
		for (int s = 1; s < pts->k; s++) {
			double d = squared_distance(point, c->centres + (size_t)s * dims, dims);
			if (d < best_d) {
				best_d = d;
				best = s;
			}
		}
		changed += c->assignment[i] != best;
		c->assignment[i] = best;
		c->distance[i] = best_d;
	}
	return changed;
}

/* Sets each centre to the mean of its points. An empty segment takes over the point
 * farthest from its own centre (the first such point on a tie), so no segment is lost
 * while the points allow it. sum and count are scratch of k × dims and k. */
static void update_centres(const struct points *pts, struct clustering *c, double *sum,
			   size_t *count)
{
	size_t dims = pts->dims, k = (size_t)pts->k;
	memset(sum, 0, k * dims * sizeof *sum);
	memset(count, 0, k * sizeof *count);
	for (size_t i = 0; i < pts->n; i++) {
		size_t s = (size_t)c->assignment[i];
		count[s]++;
		for (size_t j = 0; j < dims; j++)
			sum[s * dims + j] += pts->x[i * dims + j];
	}
	for (size_t s = 0; s < k; s++) {
		double *centre = c->centres + s * dims;
		if (count[s]) {
			for (size_t j = 0; j < dims; j++)
				centre[j] = sum[s * dims + j] / (double)count[s];
			continue;
		}
		size_t far = 0;
		for (size_t i = 1; i < pts->n; i++)
			if (c->distance[i] > c->distance[far])
				far = i;
		if (c->distance[far] > 0.0) {
			memcpy(centre, pts->x + far * dims, dims * sizeof *centre);
			c->distance[far] = 0.0; /* not taken twice */
		}
	}
}

/* The total squared movement of the centres from old to c->centres. */
static double centre_movement(const struct points *pts, const double *old,
			      const struct clustering *c)
{
	return squared_distance(old, c->centres, (size_t)pts->k * pts->dims);
}

/* Lloyd iterations from the seeded centres until no point changes segment, or the
 * centres move (in total squared distance) by at most min_movement in one iteration. */
static void lloyd(const struct points *pts, int max_iterations, double min_movement,
		  struct clustering *c)
{
	size_t k = (size_t)pts->k;
	double *sum = xmalloc(k * pts->dims * sizeof *sum);
	double *old_centres = xmalloc(k * pts->dims * sizeof *old_centres);
	size_t *count = xmalloc(k * sizeof *count);
	for (size_t i = 0; i < pts->n; i++)
		c->assignment[i] = -1;
	c->converged = 0;
	for (c->iterations = 1; c->iterations <= max_iterations; c->iterations++) {
		if (!assign_points(pts, c)) {
			c->converged = 1; /* the centres are already the means of these segments */
			break;
		}
		memcpy(old_centres, c->centres, k * pts->dims * sizeof *old_centres);
		update_centres(pts, c, sum, count);
		if (centre_movement(pts, old_centres, c) <= min_movement) {
			c->converged = 1; /* the centres are the means of the last assignment */
			break;
		}
	}
	if (!c->converged)
		c->iterations = max_iterations;
	c->inertia = 0.0;
	for (size_t i = 0; i < pts->n; i++)
		c->inertia += squared_distance(pts->x + i * pts->dims,
					       c->centres + (size_t)c->assignment[i] * pts->dims,
					       pts->dims);
	free(sum);
	free(old_centres);
	free(count);
}

/* The points' total variance: Σ over coordinates of the variance about the mean. */
static double total_variance(const struct points *pts)
{
	double total = 0.0;
	for (size_t j = 0; j < pts->dims; j++) {
		double mean = 0.0, var = 0.0;
		for (size_t i = 0; i < pts->n; i++)
			mean += pts->x[i * pts->dims + j];
		mean /= (double)pts->n;
		for (size_t i = 0; i < pts->n; i++) {
			double d = pts->x[i * pts->dims + j] - mean;
			var += d * d;
		}
		total += var / (double)pts->n;
	}
	return total;
}

/* 1 when segment a should be numbered before segment b: larger first, then by centre
 * coordinates, then by the old number. */
static int segment_before(const struct kmeans_result *r, const size_t *old_size, int a, int b)
{
	if (old_size[a] != old_size[b])
		return old_size[a] > old_size[b];
	for (size_t j = 0; j < r->dims; j++) {
		double ca = r->centres[(size_t)a * r->dims + j];
		double cb = r->centres[(size_t)b * r->dims + j];
		if (ca != cb)
			return ca < cb;
	}
	return a < b;
}

/* Renumbers the segments of r largest first and fills r->sizes. */
static void renumber_segments(struct kmeans_result *r)
{
	size_t k = (size_t)r->k, dims = r->dims;
	size_t *old_size = xcalloc(k, sizeof *old_size);
	int *order = xmalloc(k * sizeof *order), *new_label = xmalloc(k * sizeof *new_label);
	double *old_centres = xmalloc(k * dims * sizeof *old_centres);
	for (size_t i = 0; i < r->n; i++)
		old_size[r->assignment[i]]++;
	/* Insertion sort: k is small, and the order is total, so it is deterministic. */
	for (size_t s = 0; s < k; s++) {
		size_t pos = s;
		while (pos > 0 && segment_before(r, old_size, (int)s, order[pos - 1])) {
			order[pos] = order[pos - 1];
			pos--;
		}
		order[pos] = (int)s;
	}
	memcpy(old_centres, r->centres, k * dims * sizeof *old_centres);
	for (size_t s = 0; s < k; s++) {
		new_label[order[s]] = (int)s;
		r->sizes[s] = old_size[order[s]];
		memcpy(r->centres + s * dims, old_centres + (size_t)order[s] * dims,
		       dims * sizeof *old_centres);
	}
	for (size_t i = 0; i < r->n; i++)
		r->assignment[i] = new_label[r->assignment[i]];
	free(old_size);
	free(order);
	free(new_label);
	free(old_centres);
}

int kmeans_fit(const double *x, size_t n, size_t dims, int k,
	       const struct kmeans_options *opt, struct kmeans_result *result,
	       struct error *err)
{
	struct kmeans_options defaults = kmeans_default_options();
	if (!opt)
		opt = &defaults;
	memset(result, 0, sizeof *result);
	if (k < 1)
		return error_set(err, ERR_INPUT, "segments: %d segments asked for; at least 1 "
				 "is needed", k);
	if (n < (size_t)k)
		return error_set(err, ERR_INPUT, "segments: %zu customers are too few for %d "
				 "segments", n, k);
	for (size_t i = 0; i < n * dims; i++)
		if (!isfinite(x[i]))
			return error_set(err, ERR_INPUT, "segments: customer %zu: measure %zu is "
					 "not a finite number", i / dims + 1, i % dims + 1);

	struct points pts = {x, n, dims, k};
	struct clustering best, trial;
	clustering_init(&best, &pts);
	clustering_init(&trial, &pts);
	struct rng rng;
	rng_seed(&rng, opt->seed);
	int restarts = opt->restarts > 0 ? opt->restarts : 1;
	double min_movement = fmax(opt->tolerance, 0.0) * total_variance(&pts);
	for (int r = 0; r < restarts; r++) {
		seed_centres(&pts, &rng, &trial);
		lloyd(&pts, opt->max_iterations > 0 ? opt->max_iterations : 1, min_movement,
		      &trial);
		if (trial.inertia < best.inertia) {
			struct clustering swap = best;
			best = trial;
			trial = swap;
		}
	}
	result->k = k;
	result->n = n;
	result->dims = dims;
	result->centres = best.centres;
	result->assignment = best.assignment;
	result->sizes = xcalloc((size_t)k, sizeof *result->sizes);
	result->inertia = best.inertia;
	result->iterations = best.iterations;
	result->converged = best.converged;
	renumber_segments(result);
	free(best.distance);
	clustering_free(&trial);
	return 0;
}

void kmeans_result_free(struct kmeans_result *result)
{
	free(result->centres);
	free(result->assignment);
	free(result->sizes);
	memset(result, 0, sizeof *result);
}

/* Fills sample with m point indices: all points when m == n, else m drawn without
 * replacement (a partial Fisher–Yates shuffle), in ascending order. */
static void draw_sample(size_t n, size_t m, uint64_t seed, size_t *sample)
{
	if (m == n) {
		for (size_t i = 0; i < n; i++)
			sample[i] = i;
		return;
	}
	size_t *perm = xmalloc(n * sizeof *perm);
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	struct rng rng;
	rng_seed(&rng, seed);
	for (size_t i = 0; i < m; i++) {
		size_t j = i + (size_t)rng_below(&rng, n - i);
		size_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	struct sort_entry *e = xmalloc(m * sizeof *e);
	for (size_t i = 0; i < m; i++)
		e[i] = (struct sort_entry){(double)perm[i], 0, i};
	sort_entries(e, m);
	for (size_t i = 0; i < m; i++)
		sample[i] = perm[e[i].index];
	free(e);
	free(perm);
}

/* The silhouette of one sampled point from its summed distances to each segment. */
static double point_silhouette(const double *sum_to, const size_t *members, size_t k,
			       size_t own)
{
	if (members[own] < 2)
		return 0.0;
	double a = sum_to[own] / (double)(members[own] - 1), b = INFINITY;
	for (size_t s = 0; s < k; s++)
		if (s != own && members[s])
			b = fmin(b, sum_to[s] / (double)members[s]);
	double larger = fmax(a, b);
	return larger > 0.0 ? (b - a) / larger : 0.0;
}

/* One segmentation's share of a silhouette pass over the sample. */
struct silhouette_sums {
	size_t k;
	size_t *segment;  /* m: each sampled point's segment */
	size_t *members;  /* k: sampled points per segment */
	double *sum_to;   /* m × k: summed distances of each sampled point to each segment */
	size_t occupied;  /* segments with a sampled point */
};

/* The silhouettes of count segmentations of the same points (assignment[a] with k[a]
 * segments) into score[a]: the sampled points' distances, the costly part, are computed
 * once for all; each segmentation's sums are added in the same order as alone. */
static void silhouettes(const double *x, size_t n, size_t dims, const int *const *assignment,
			const int *k, size_t count, uint64_t seed, double *score)
{
	size_t m = n <= KMEANS_SILHOUETTE_EXACT_MAX ? n : KMEANS_SILHOUETTE_SAMPLE;
	size_t *sample = xmalloc((m ? m : 1) * sizeof *sample);
	draw_sample(n, m, seed, sample);
	struct silhouette_sums *sums = xcalloc(count, sizeof *sums);
	for (size_t a = 0; a < count; a++) {
		struct silhouette_sums *u = &sums[a];
		assert(k[a] >= 1);
		u->k = (size_t)k[a];
		u->segment = xmalloc((m ? m : 1) * sizeof *u->segment);
		u->members = xcalloc(u->k, sizeof *u->members);
		u->sum_to = xcalloc((m ? m : 1) * u->k, sizeof *u->sum_to);
		for (size_t i = 0; i < m; i++) {
			int s = assignment[a][sample[i]];
			assert(s >= 0 && s < k[a]);
			u->segment[i] = (size_t)s;
			u->occupied += u->members[s]++ == 0;
		}
	}
	/* Each pair once: its distance counts towards both points. */
	for (size_t i = 0; i < m; i++) {
		const double *xi = x + sample[i] * dims;
		for (size_t j = i + 1; j < m; j++) {
			double d = sqrt(squared_distance(xi, x + sample[j] * dims, dims));
			for (size_t a = 0; a < count; a++) {
				struct silhouette_sums *u = &sums[a];
				u->sum_to[i * u->k + u->segment[j]] += d;
				u->sum_to[j * u->k + u->segment[i]] += d;
			}
		}
	}
	for (size_t a = 0; a < count; a++) {
		struct silhouette_sums *u = &sums[a];
		double total = 0.0;
		if (u->occupied >= 2)
			for (size_t i = 0; i < m; i++)
				total += point_silhouette(u->sum_to + i * u->k, u->members, u->k,
							  u->segment[i]);
		score[a] = u->occupied >= 2 ? total / (double)m : 0.0;
		free(u->segment);
		free(u->members);
		free(u->sum_to);
	}
	free(sums);
	free(sample);
}

double kmeans_silhouette(const double *x, size_t n, size_t dims, const int *assignment,
			 int k, uint64_t seed)
{
	double score;
	silhouettes(x, n, dims, &assignment, &k, 1, seed, &score);
	return score;
}

int kmeans_choose_k(const double *x, size_t n, size_t dims, int k_min, int k_max,
		    const struct kmeans_options *opt, struct kmeans_result *best,
		    double *silhouette, double *inertia, struct error *err)
{
	struct kmeans_options defaults = kmeans_default_options();
	if (!opt)
		opt = &defaults;
	memset(best, 0, sizeof *best);
	if (k_min < 2 || k_max < k_min)
		return error_set(err, ERR_INPUT, "segments: the range %d..%d of segment counts "
				 "needs 2 ≤ first ≤ last", k_min, k_max);
	/* every k is fitted first, so one pass over the sample scores them all */
	size_t count = (size_t)(k_max - k_min + 1), fitted = 0;
	struct kmeans_result *fits = xcalloc(count, sizeof *fits);
	const int **assignment = xmalloc(count * sizeof *assignment);
	int *k = xmalloc(count * sizeof *k);
	double *score = xmalloc(count * sizeof *score);
	int rc = 0;
	for (; fitted < count && rc == 0; fitted++) {
		k[fitted] = k_min + (int)fitted;
		rc = kmeans_fit(x, n, dims, k[fitted], opt, &fits[fitted], err);
		assignment[fitted] = fits[fitted].assignment;
	}
	if (rc == 0)
		silhouettes(x, n, dims, assignment, k, count, opt->seed, score);
	double best_score = -INFINITY;
	for (size_t i = 0; i < fitted; i++) {
		if (rc == 0 && silhouette)
			silhouette[i] = score[i];
		if (rc == 0 && inertia)
			inertia[i] = fits[i].inertia;
		if (rc == 0 && score[i] > best_score) {
			best_score = score[i];
			kmeans_result_free(best);
			*best = fits[i];
		} else {
			kmeans_result_free(&fits[i]);
		}
	}
	free(fits);
	free(assignment);
	free(k);
	free(score);
	return rc;
}

/* sign(v)·log(1 + |v|) and its inverse. */
static double signed_log(double v)
{
	return copysign(log1p(fabs(v)), v);
}

static double signed_exp(double v)
{
	return copysign(expm1(fabs(v)), v);
}

void rfm_scaling_fit(struct rfm_scaling *s, const double *raw, size_t n, size_t dims)
{
	size_t values = n * dims;
	double *logged = xmalloc((values ? values : 1) * sizeof *logged);
	for (size_t i = 0; i < values; i++)
		logged[i] = signed_log(raw[i]);
	standardiser_fit(&s->scale, logged, n, dims);
	free(logged);
}

void rfm_scaling_apply(const struct rfm_scaling *s, const double *raw, size_t n,
		       double *out)
{
	size_t dims = s->scale.n_features;
	for (size_t i = 0; i < n * dims; i++)
		out[i] = signed_log(raw[i]);
	standardiser_apply_rows(&s->scale, out, n, out);
}

void rfm_scaling_invert(const struct rfm_scaling *s, const double *scaled, double *raw)
{
	standardiser_invert(&s->scale, scaled, raw);
	for (size_t j = 0; j < s->scale.n_features; j++)
		raw[j] = signed_exp(raw[j]);
}

void rfm_scaling_free(struct rfm_scaling *s)
{
	standardiser_free(&s->scale);
}
