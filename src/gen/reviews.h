/* reviews: product reviews, written by customers who bought the product, some days or
 * weeks after the purchase.
 *
 * When a line is bought, reviews_consider() decides whether its buyer will review it and
 * queues the review for its future date; reviews_write_until() writes the queued reviews
 * whose date has come, so reviews.csv is in date order and review ids follow it. Only
 * the reviews still to come are held in memory (a few weeks' worth). The words are drawn
 * from a seed kept with the queued review, so memory stays small. */
#ifndef CARTOGRAPH_GEN_REVIEWS_H
#define CARTOGRAPH_GEN_REVIEWS_H

#include <stdint.h>

#include "gen/catalog.h"
#include "gen/csv_writer.h"
#include "gen/customers.h"
#include "gen/pending.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/rng.h"

struct review_desk {
	struct csv_writer out;              /* reviews.csv */
	const struct catalog *catalog;
	const struct customer_base *people;
	struct pending queue;               /* struct queued_review, by date */
	struct rng rng;                     /* who reviews, when, stars, text seeds */
	double review_rate;                 /* chance that a bought line gets a review */
	uint64_t next_review_id;
	struct buf title, body;             /* scratch space for the words */
};

int reviews_open(struct review_desk *d, const char *dir, const struct catalog *cat,
		 const struct customer_base *people, uint64_t seed, struct error *err);
/* A customer (an index into the base) bought product at moment: maybe queue a review
 * for a later date within the data range. */
void reviews_consider(struct review_desk *d, int32_t customer, uint32_t product,
		      int64_t bought_at);
/* Writes the queued reviews dated before moment end. */
void reviews_write_until(struct review_desk *d, int64_t end);
/* Writes what is still queued (all of it dated within the data) and publishes
 * reviews.csv. */
int reviews_close(struct review_desk *d, struct error *err);
void reviews_free(struct review_desk *d);

#endif
