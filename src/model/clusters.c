/* clusters: RFM points, kmeans_choose_k over 3..8, centres back in plain units, and the
 * words that describe a cluster. */
#include "model/clusters.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kmeans.h"
#include "util/xalloc.h"

#define RFM_DIMS 3

/* The plain measures of each customer: recency days, orders, money in currency units. */
static double *plain_measures(const struct rfm_customer *c, size_t n)
{
	double *raw = xmalloc(n * RFM_DIMS * sizeof *raw);
	for (size_t i = 0; i < n; i++) {
		raw[i * RFM_DIMS + 0] = c[i].recency_days;
		raw[i * RFM_DIMS + 1] = c[i].frequency;
		raw[i * RFM_DIMS + 2] = (double)c[i].monetary_cents / 100.0;
	}
	return raw;
}

int rfm_cluster(const struct rfm_customer *c, size_t n, uint64_t seed,
		struct rfm_clustering *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	if (n < CLUSTER_K_MIN + 1)
		return 0;
	int k_max = n - 1 < CLUSTER_K_MAX ? (int)n - 1 : CLUSTER_K_MAX;
	double *points = plain_measures(c, n);
	struct rfm_scaling scaling;
	rfm_scaling_fit(&scaling, points, n, RFM_DIMS);
	rfm_scaling_apply(&scaling, points, n, points);
	struct kmeans_options opt = kmeans_default_options();
	opt.seed = seed;
	struct kmeans_result best;
	int rc = kmeans_choose_k(points, n, RFM_DIMS, CLUSTER_K_MIN, k_max, &opt, &best,
				 out->silhouette, out->inertia, err);
	if (rc == 0) {
		out->k = best.k;
		out->k_tried_max = k_max;
		out->assignment = best.assignment;
		out->sizes = best.sizes;
		out->centres = xmalloc((size_t)best.k * RFM_DIMS * sizeof *out->centres);
		for (int j = 0; j < best.k; j++) {
			double *centre = out->centres + (size_t)j * RFM_DIMS;
			rfm_scaling_invert(&scaling, best.centres + (size_t)j * RFM_DIMS, centre);
			centre[2] *= 100.0; /* money back in cents */
		}
		best.assignment = NULL;
		best.sizes = NULL;
		kmeans_result_free(&best);
	} else {
		error_prefix(err, "clusters");
	}
	rfm_scaling_free(&scaling);
	free(points);
	return rc;
}

void rfm_clustering_free(struct rfm_clustering *cl)
{
	free(cl->assignment);
	free(cl->sizes);
	free(cl->centres);
	memset(cl, 0, sizeof *cl);
}

/* Appends a whole amount with thousands separators: 3400.2 → "3,400". */
static void put_amount(struct buf *out, double amount)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%.0f", fabs(amount));
	size_t len = strlen(digits);
	if (amount <= -0.5)
		buf_putc(out, '-');
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
}

void rfm_cluster_describe(const struct rfm_clustering *cl, int j,
			  const struct rfm_customer *c, struct buf *out)
{
	size_t count[RFM_SEGMENT_COUNT] = {0};
	for (size_t i = 0; i < cl->n; i++)
		if (cl->assignment[i] == j)
			count[c[i].segment]++;
	int main = 0;
	for (int s = 1; s < RFM_SEGMENT_COUNT; s++)
		if (count[s] > count[main])
			main = s;
	const double *centre = cl->centres + (size_t)j * RFM_DIMS;
	size_t size = cl->sizes[j] ? cl->sizes[j] : 1;
	buf_printf(out, "mostly %s (%.0f%%): about %.0f days since the last order, %.1f orders, ",
		   rfm_segment_names[main], 100.0 * (double)count[main] / (double)size,
		   centre[0], centre[1]);
	put_amount(out, centre[2] / 100.0);
	buf_puts(out, " spent");
}
