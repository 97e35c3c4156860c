/* sentiment_summary: what review_sentiment says per product, per category and per month,
 * and the reviews someone should answer: product_sentiment, category_sentiment,
 * sentiment_monthly and reviews_for_action, computed in SQL from reviews,
 * review_sentiment and products. "Recent" is the last SENTIMENT_RECENT_DAYS days before
 * the latest review, so the same warehouse always gives the same tables. */
#ifndef CARTOGRAPH_SENTIMENT_SUMMARY_H
#define CARTOGRAPH_SENTIMENT_SUMMARY_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/error.h"

#define SENTIMENT_RECENT_DAYS 90
/* Reviews listed in reviews_for_action at most. */
#define SENTIMENT_ACTION_LIST 50

struct sentiment_summary_counts {
	int64_t products;       /* rows of product_sentiment */
	int64_t categories;     /* rows of category_sentiment */
	int64_t months;         /* months in sentiment_monthly for the whole shop */
	int64_t for_action;     /* rows of reviews_for_action */
};

/* Replaces the four tables (inside the caller's transaction). Returns 0 or ERR_SYSTEM. */
int sentiment_summarise(sqlite3 *db, struct sentiment_summary_counts *counts,
			struct error *err);

#endif
