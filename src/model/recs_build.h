/* recs_build: everything the recommenders need for one period of the purchase history
 * (each customer's products, product neighbours, popularity overall, recently and per
 * segment), built from its first baskets, so the evaluation builds it from the
 * training period and the step from the whole history in the same way. */
#ifndef CARTOGRAPH_RECS_BUILD_H
#define CARTOGRAPH_RECS_BUILD_H

#include "model/best_sellers.h"
#include "model/customer_recs.h"
#include "model/item_neighbors.h"
#include "model/purchase_history.h"

struct recs_config {
	struct cooccurrence_options cooccurrence; /* how neighbours are counted and scored */
	int neighbors_from_customers; /* 1: a customer's whole history is one transaction;
				       * 0: each basket is */
	double basket_size_damping;   /* a transaction of n products weighs n^-damping */
	double basket_half_life_days; /* a transaction weighs 2^(-age / this); 0: no decay */
	struct recs_options recs;     /* how customers' lists are scored */
	double recent_half_life_days; /* the popularity prior's half-life */
	size_t segment_list_size;     /* best sellers kept per segment */
	size_t shop_neighbors;        /* "bought together" products kept per product */
	uint32_t content_min_baskets; /* products in fewer baskets get content neighbours */
	double buy_again_half_life_days; /* buy again: an order's weight halves this often */
	double shop_half_life_days;   /* popular_by_category: the same, for best sellers */
};

/* The pieces, owned here; model points into them. */
struct recs_parts {
	struct customer_histories own_store; /* owned's storage, unless it was shared */
	int own_store_used;               /* 1 when own_store was built here */
	const struct customer_histories *owned; /* what each customer bought in the period */
	struct item_neighbors neighbors;  /* product neighbours */
	struct popularity popularity;     /* plain basket counts */
	struct popularity recent;         /* recency-weighted basket counts */
	struct segment_best_sellers segments; /* best sellers per segment */
	struct recs_model model;          /* the view customer_recs_for reads */
};

/* The configuration the recommendations step uses (see the README for the figures
 * that chose it). */
void recs_default_config(struct recs_config *config);
/* Product neighbours over baskets [0, basket_limit) ("frequently bought together"),
 * k of them each, with config's counting and weights, whatever config says about
 * customers. */
void recs_neighbors_from_baskets(const struct purchase_history *h, size_t basket_limit,
				 int64_t now, const struct recs_config *config, size_t k,
				 struct item_neighbors *out);
/* Builds the pieces from baskets [0, basket_limit) as of now. Customers' histories of
 * the same period may be shared (they are borrowed and must outlive out), else NULL. */
void recs_parts_build(const struct purchase_history *h, size_t basket_limit, int64_t now,
		      const struct recs_config *config, const struct customer_histories *shared,
		      struct recs_parts *out);
void recs_parts_free(struct recs_parts *parts);

#endif
