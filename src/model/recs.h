/* recs: the `cartograph model recs` step. Reads completed purchases, measures the
 * recommenders on a time split (model_metrics: recs_popularity, recs_item, ...,
 * recs_blend, recs_buy_again), then writes what the shop serves: item_neighbors,
 * customer_recs, buy_again and popular_by_category, in one transaction. */
#ifndef CARTOGRAPH_RECS_H
#define CARTOGRAPH_RECS_H

#include "model/model_stage.h"

/* Days at the end of the history held out to measure the recommendations. */
#define RECS_TEST_DAYS 30
/* Recommendations measured and stored per customer (hit rate and recall at this). */
#define RECS_PER_CUSTOMER 10
/* Products listed per category in popular_by_category. */
#define RECS_POPULAR_PER_CATEGORY 20

int model_recs(sqlite3 *db, const struct model_options *opt, struct buf *summary,
	       struct error *err);

#endif
