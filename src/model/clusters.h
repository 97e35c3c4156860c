/* clusters: k-means segments of customers on recency, frequency and monetary value.
 *
 * Each customer becomes a point (log-scaled, standardised R days, F orders, M money:
 * rfm_scaling in kmeans.h); k-means++ with the run's seed tries k = 3..8 and keeps the k
 * with the best silhouette (kmeans_choose_k). Clusters are numbered largest first. Each
 * is described by its centre turned back into plain units (days, orders, money), which,
 * the scaling being logarithmic, is the cluster's typical customer rather than its mean. */
#ifndef CARTOGRAPH_CLUSTERS_H
#define CARTOGRAPH_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>

#include "model/rfm.h"
#include "util/buf.h"
#include "util/error.h"

#define CLUSTER_K_MIN 3
#define CLUSTER_K_MAX 8

struct rfm_clustering {
	int k;             /* clusters; 0 when there were too few customers to cluster */
	size_t n;          /* customers clustered */
	int *assignment;   /* n: cluster of each customer, 0..k-1, 0 the largest */
	size_t *sizes;     /* k: customers per cluster */
	double *centres;   /* k × 3: centre in plain units: recency days, orders, money (cents) */
	int k_tried_max;   /* the largest k tried (≤ CLUSTER_K_MAX when customers are few) */
	double silhouette[CLUSTER_K_MAX - CLUSTER_K_MIN + 1]; /* of each k tried, from k = 3 */
	double inertia[CLUSTER_K_MAX - CLUSTER_K_MIN + 1];    /* of each k tried */
};

/* Clusters n customers with the seed. With fewer than CLUSTER_K_MIN + 1 customers sets
 * k = 0 and returns 0. Release with rfm_clustering_free. */
int rfm_cluster(const struct rfm_customer *c, size_t n, uint64_t seed,
		struct rfm_clustering *out, struct error *err);
void rfm_clustering_free(struct rfm_clustering *cl);

/* Describes cluster j in words: "mostly Champions (62%): about 12 days since the last
 * order, 9.4 orders, 3,400 spent". */
void rfm_cluster_describe(const struct rfm_clustering *cl, int j,
			  const struct rfm_customer *c, struct buf *out);

#endif
