/* review_sentiment: the `cartograph model sentiment` step. Scores every review with the
 * rule scorer; when the shop has enough rated reviews, trains the learned model on
 * them, measures both on the same held-out reviews and scores with the learned model
 * only when it is better there. Writes review_sentiment, the summaries of
 * sentiment_summary.h, and the figures (model_metrics: sentiment_rules,
 * sentiment_learned, sentiment; model_curves: their ROC curves). */
#ifndef CARTOGRAPH_REVIEW_SENTIMENT_H
#define CARTOGRAPH_REVIEW_SENTIMENT_H

#include "model/model_stage.h"

/* Rated reviews (4-5 or 1-2 stars, with text) needed before the learned model is tried. */
#define SENTIMENT_MIN_RATED 500
/* Share of the rated reviews held out to measure both scorers, by hash of their text. */
#define SENTIMENT_HELD_OUT_PERCENT 25

int model_sentiment(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		    struct error *err);

#endif
