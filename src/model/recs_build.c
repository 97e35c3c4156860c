/* recs_build: builds the recommenders' pieces for a period (see recs_build.h). */
#include "model/recs_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void recs_default_config(struct recs_config *config)
{
	cooccurrence_default_options(&config->cooccurrence);
	/* restocking orders of hundreds of products say little about what goes together
	 * and cost the square of their size */
	config->cooccurrence.max_transaction_size = 100;
	config->neighbors_from_customers = 1;
	config->basket_size_damping = 0;
	config->basket_half_life_days = 0;
	recs_default_options(&config->recs);
	config->recent_half_life_days = 7;
	config->segment_list_size = 50;
	config->shop_neighbors = 10;
	config->content_min_baskets = 5;
	config->buy_again_half_life_days = 30;
	config->shop_half_life_days = 30;
}

static double transaction_weight(const struct recs_config *config, int64_t now, int64_t time,
				 uint32_t size)
{
	double w = 1.0;
	if (config->basket_size_damping > 0 && size > 1)
		w *= pow((double)size, -config->basket_size_damping);
	if (config->basket_half_life_days > 0) {
		double age_days = (double)(now - time) / SECONDS_PER_DAY;
		w *= exp2(-(age_days > 0 ? age_days : 0) / config->basket_half_life_days);
	}
	return w;
}

void recs_neighbors_from_baskets(const struct purchase_history *h, size_t basket_limit,
				 int64_t now, const struct recs_config *config, size_t k,
				 struct item_neighbors *out)
{
	uint32_t *start = xmalloc((basket_limit + 1) * sizeof *start);
	double *weight = xmalloc((basket_limit + 1) * sizeof *weight);
	for (size_t b = 0; b < basket_limit; b++) {
		start[b] = h->baskets[b].first_line;
		weight[b] = transaction_weight(config, now, h->baskets[b].time,
					       h->baskets[b].line_count);
	}
	start[basket_limit] = basket_limit ? h->baskets[basket_limit - 1].first_line +
						     h->baskets[basket_limit - 1].line_count
					   : 0;
	int weighed = config->basket_size_damping > 0 || config->basket_half_life_days > 0;
	struct transaction_set t = {basket_limit, start, h->lines, sizeof *h->lines,
				    weighed ? weight : NULL};
	struct cooccurrence_options opts = config->cooccurrence;
	opts.k = k;
	item_neighbors_compute(&t, h->product_count, &opts, out);
	free(start);
	free(weight);
}

static void neighbors_from_customers(const struct purchase_history *h,
				     const struct customer_histories *owned, int64_t now,
				     const struct recs_config *config, struct item_neighbors *out)
{
	size_t n = owned->customer_count;
	double *weight = xmalloc((n + 1) * sizeof *weight);
	for (size_t c = 0; c < n; c++)
		weight[c] = transaction_weight(config, now, owned->last_time[c],
					       owned->start[c + 1] - owned->start[c]);
	int weighed = config->basket_size_damping > 0 || config->basket_half_life_days > 0;
	struct transaction_set t = {n, owned->start, owned->items, sizeof *owned->items,
				    weighed ? weight : NULL};
	item_neighbors_compute(&t, h->product_count, &config->cooccurrence, out);
	free(weight);
}

void recs_parts_build(const struct purchase_history *h, size_t basket_limit, int64_t now,
		      const struct recs_config *config, const struct customer_histories *shared,
		      struct recs_parts *out)
{
	out->own_store_used = shared == NULL;
	if (!shared)
		customer_histories_build(h, basket_limit, &out->own_store);
	out->owned = shared ? shared : &out->own_store;
	if (config->neighbors_from_customers)
		neighbors_from_customers(h, out->owned, now, config, &out->neighbors);
	else
		recs_neighbors_from_baskets(h, basket_limit, now, config, config->cooccurrence.k,
					    &out->neighbors);
	popularity_compute(h, basket_limit, now, 0, &out->popularity);
	popularity_compute(h, basket_limit, now, config->recent_half_life_days, &out->recent);
	segment_best_sellers_compute(h, basket_limit, now, config->recent_half_life_days,
				     config->segment_list_size, &out->segments);
	out->model = (struct recs_model){h,	     out->owned,  &out->neighbors,
					 &out->popularity, &out->recent, &out->segments,
					 now};
}

void recs_parts_free(struct recs_parts *parts)
{
	if (parts->own_store_used)
		customer_histories_free(&parts->own_store);
	item_neighbors_free(&parts->neighbors);
	popularity_free(&parts->popularity);
	popularity_free(&parts->recent);
	segment_best_sellers_free(&parts->segments);
	memset(parts, 0, sizeof *parts);
}
