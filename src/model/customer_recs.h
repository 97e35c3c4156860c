/* customer_recs: a customer's recommendations from the neighbours of what they bought,
 * never something they already own, and their best sellers when that says too little.
 * No database here.
 *
 * The one idea: each product a customer owns votes for its neighbours with
 *     weight = 2^(-days since they last bought it / history half-life)
 * times the neighbour's similarity, so what they bought last month speaks louder than
 * what they bought last year. A candidate's votes are divided by
 * (1 + its popularity)^damping, so a best seller that neighbours everything does not
 * crowd out the specific ones, and a popularity prior is added to every candidate:
 *     score = votes / (1 + popularity)^damping + prior · recent popularity / the highest
 * The prior is a fixed amount, so it decides between candidates only when the votes are
 * thin (a short or old history), and ranks the best sellers among the candidates then.
 * When fewer than the wanted number of products have a score, the best sellers of the
 * customer's segment (country), then of the whole shop, fill the list. The "buy again"
 * list is buy_again.h's. */
#ifndef CARTOGRAPH_CUSTOMER_RECS_H
#define CARTOGRAPH_CUSTOMER_RECS_H

#include <stddef.h>
#include <stdint.h>

#include "model/best_sellers.h"
#include "model/item_neighbors.h"
#include "model/purchase_history.h"
#include "model/top_k.h"

struct recs_options {
	size_t count;                  /* recommendations per customer, at least 1 */
	double history_half_life_days; /* 0: everything owned votes with weight 1 */
	double popularity_damping;     /* exponent on (1 + popularity); 0: no damping */
	double popularity_prior;       /* weight of the recent-popularity prior; 0: none */
	size_t popular_candidates;     /* best sellers added as candidates (with a prior) */
	size_t segment_min_customers;  /* a segment lists best sellers from this many up */
};

/* What scoring reads; everything is borrowed and built from the same period. */
struct recs_model {
	const struct purchase_history *history;
	const struct customer_histories *owned;    /* what each customer bought */
	const struct item_neighbors *neighbors;    /* product neighbours */
	const struct popularity *popularity;       /* for damping: plain basket counts */
	const struct popularity *recent;           /* for the prior: recent popularity */
	const struct segment_best_sellers *segments; /* fallback per segment; may be NULL */
	int64_t now;                               /* the moment the lists are made for */
};

/* Where a recommendation came from. */
enum rec_source {
	REC_FROM_NEIGHBORS = 0, /* voted for by what the customer owns */
	REC_FROM_POPULAR = 1,   /* the popularity prior or the shop's best sellers */
	REC_FROM_SEGMENT = 2    /* a best seller of the customer's segment */
};

struct customer_rec {
	int32_t product;      /* product number */
	double score;         /* as above; fill-ins score 0 */
	unsigned char source; /* enum rec_source */
};

/* Work space for scoring one customer after another (dense arrays over products). */
struct recs_scratch {
	double *votes;          /* per product: votes collected */
	double *damping;        /* per product: (1 + popularity)^damping_exponent */
	const struct popularity *damping_of; /* the popularity damping was computed for */
	double damping_exponent; /* and the exponent; NAN before the first customer */
	unsigned char *mark;    /* per product: 1 owned, 2 already listed */
	int32_t *touched;       /* products with votes */
	struct top_k best;      /* the best candidates */
	struct scored_item *taken; /* the best, in order */
};

void recs_default_options(struct recs_options *opts);
void recs_scratch_init(struct recs_scratch *s, size_t product_count, size_t count);
void recs_scratch_free(struct recs_scratch *s);

/* Writes customer c's recommendations (c = -1: someone unknown, who gets best sellers)
 * to out (room for opts->count), best first; returns how many (fewer only when the shop
 * has too few products the customer does not own). */
size_t customer_recs_for(const struct recs_model *m, const struct recs_options *opts,
			 int32_t c, struct recs_scratch *s, struct customer_rec *out);
/* The same under n scorings opts[0..n) that differ at most in damping, prior and list
 * sizes (one history half-life: the votes are collected once, into s[0]); scoring i
 * ranks with scratch s[i] into out[i] and got[i] says how many. Each list is what
 * customer_recs_for would give. */
void customer_recs_for_each(const struct recs_model *m, const struct recs_options *opts,
			    size_t n, int32_t c, struct recs_scratch *s,
			    struct customer_rec *const *out, size_t *got);

#endif
