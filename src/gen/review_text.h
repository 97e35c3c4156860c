/* review_text: the stars and the words of one product review, and they agree.
 *
 * Text is assembled from sentence templates per star level with varied vocabulary
 * ("excellent", "solid", "so-so", "flimsy", "useless"), boosters ("really", "very"),
 * negation ("not bad", "not worth it", "isn't great"), contrast ("good but expensive"),
 * the odd ALL-CAPS sentence or "!!!", emoticons, and a little sarcasm on low stars
 * ("Great, it broke after two days."), so a sentiment model has real work to do. */
#ifndef CARTOGRAPH_GEN_REVIEW_TEXT_H
#define CARTOGRAPH_GEN_REVIEW_TEXT_H

#include "util/buf.h"
#include "util/rng.h"

/* The stars (1..5) a buyer gives a product whose buyers give quality on average. */
int review_draw_stars(double quality, struct rng *r);
/* Appends a title and a body agreeing with stars (1..5) about a product of the given
 * sub-category and category. */
void review_text_write(struct buf *title, struct buf *body, int stars, int subcategory,
		       int category, struct rng *r);

#endif
