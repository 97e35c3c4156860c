/* customer_recs: scores candidates for one customer from the neighbours of what they
 * own, with recency, popularity damping and a popularity prior, and fills the list
 * from best sellers (see customer_recs.h). */
#include "model/customer_recs.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { MARK_OWNED = 1, MARK_LISTED = 2 };

void recs_default_options(struct recs_options *opts)
{
	opts->count = 10;
	opts->history_half_life_days = 30;
	opts->popularity_damping = 0.15;
	opts->popularity_prior = 0.2;
	opts->popular_candidates = 100;
	opts->segment_min_customers = 20;
}

void recs_scratch_init(struct recs_scratch *s, size_t product_count, size_t count)
{
	s->votes = xcalloc(product_count + 1, sizeof *s->votes);
	s->damping = xmalloc((product_count + 1) * sizeof *s->damping);
	s->damping_of = NULL;
	s->damping_exponent = NAN;
	s->mark = xcalloc(product_count + 1, 1);
	s->touched = xmalloc((product_count + 1) * sizeof *s->touched);
	top_k_init(&s->best, count);
	s->taken = xmalloc(count * sizeof *s->taken);
}

void recs_scratch_free(struct recs_scratch *s)
{
	free(s->votes);
	free(s->damping);
	free(s->mark);
	free(s->touched);
	top_k_free(&s->best);
	free(s->taken);
	memset(s, 0, sizeof *s);
}

static double history_weight(const struct recs_options *opts, int64_t now, int64_t last)
{
	if (opts->history_half_life_days <= 0)
		return 1.0;
	double age_days = (double)(now - last) / SECONDS_PER_DAY;
	return exp2(-(age_days > 0 ? age_days : 0) / opts->history_half_life_days);
}

/* Collects votes of the customer's products for their neighbours; returns how many
 * products got some. Marks owned products. */
static size_t collect_votes(const struct recs_model *m, const struct recs_options *opts,
			    int32_t c, struct recs_scratch *s)
{
	const struct customer_histories *owned = m->owned;
	const struct item_neighbors *nb = m->neighbors;
	size_t touched = 0;
	for (uint32_t i = owned->start[c]; i < owned->start[c + 1]; i++)
		s->mark[owned->items[i].product] = MARK_OWNED;
	for (uint32_t i = owned->start[c]; i < owned->start[c + 1]; i++) {
		const struct owned_product *o = &owned->items[i];
		double w = history_weight(opts, m->now, o->last_time);
		for (uint32_t r = 0; r < nb->count[o->product]; r++) {
			size_t at = NEIGHBOR_AT(nb, o->product, r);
			int32_t q = nb->neighbor[at];
			double vote = w * nb->score[at];
			if (s->mark[q] == MARK_OWNED || !(vote > 0))
				continue;
			if (s->votes[q] == 0)
				s->touched[touched++] = q;
			s->votes[q] += vote;
		}
	}
	return touched;
}

static double prior_of(const struct recs_model *m, const struct recs_options *opts, int32_t p)
{
	if (opts->popularity_prior <= 0 || !m->recent || m->recent->max_score <= 0)
		return 0;
	return opts->popularity_prior * m->recent->score[p] / m->recent->max_score;
}

/* Offers every product voted for in v, and the recent best sellers, to r's heap. */
static void offer_candidates(const struct recs_model *m, const struct recs_options *opts,
			     struct recs_scratch *v, struct recs_scratch *r, size_t touched)
{
	for (size_t x = 0; x < touched; x++) {
		int32_t q = v->touched[x];
		top_k_offer(&r->best, v->votes[q] / r->damping[q] + prior_of(m, opts, q), q,
			    REC_FROM_NEIGHBORS);
		v->mark[q] = MARK_LISTED; /* offered once */
	}
	if (opts->popularity_prior <= 0 || !m->recent)
		return;
	/* the list is ranked by the prior itself: once the heap is full and a best seller
	 * cannot beat its worst, none after it can */
	size_t offered = 0;
	for (size_t i = 0; i < m->recent->ranked_count && offered < opts->popular_candidates;
	     i++) {
		int32_t q = m->recent->ranked[i];
		if (v->mark[q])
			continue;
		double prior = prior_of(m, opts, q);
		if (r->best.count == r->best.k && prior < r->best.heap[0].score)
			break;
		offered++;
		top_k_offer(&r->best, prior, q, REC_FROM_POPULAR);
	}
}

/* Appends products from list (n entries) not owned or listed until out holds want. */
static size_t fill_from(const int32_t *list, size_t n, unsigned char source,
			struct recs_scratch *s, struct customer_rec *out, size_t have,
			size_t want)
{
	for (size_t i = 0; i < n && have < want; i++) {
		if (s->mark[list[i]])
			continue;
		s->mark[list[i]] = MARK_LISTED;
		out[have++] = (struct customer_rec){list[i], 0, source};
	}
	return have;
}

/* Computes every product's damping divisor when the model or exponent changed. */
static void prepare_damping(const struct recs_model *m, const struct recs_options *opts,
			    struct recs_scratch *s)
{
	if (s->damping_of == m->popularity && s->damping_exponent == opts->popularity_damping)
		return;
	for (size_t p = 0; p < m->popularity->product_count; p++)
		s->damping[p] = opts->popularity_damping > 0
					? pow(1 + m->popularity->score[p], opts->popularity_damping)
					: 1.0;
	s->damping_of = m->popularity;
	s->damping_exponent = opts->popularity_damping;
}

/* Ranks the votes collected in v (touched products) under opts with r's damping and
 * heap, and fills the list from best sellers. Leaves v's votes, and the marks of what
 * the customer owns, as they were. */
static size_t rank_votes(const struct recs_model *m, const struct recs_options *opts,
			 int32_t c, struct recs_scratch *v, size_t touched,
			 struct recs_scratch *r, struct customer_rec *out)
{
	assert(opts->count == r->best.k);
	prepare_damping(m, opts, r);
	top_k_clear(&r->best);
	offer_candidates(m, opts, v, r, touched);
	size_t n = top_k_take(&r->best, r->taken);
	/* the marks of candidates not taken are cleared, then set for those taken */
	for (size_t x = 0; x < touched; x++)
		v->mark[v->touched[x]] = 0;
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct customer_rec){r->taken[i].item, r->taken[i].score,
					       (unsigned char)r->taken[i].extra};
		v->mark[out[i].product] = MARK_LISTED;
	}
	if (c >= 0 && m->segments) {
		int32_t seg = m->history->customer_segment[c];
		const struct segment_best_sellers *sb = m->segments;
		if (seg >= 0 && sb->customers[seg] >= opts->segment_min_customers)
			n = fill_from(sb->product + (size_t)seg * sb->per_segment, sb->count[seg],
				      REC_FROM_SEGMENT, v, out, n, opts->count);
	}
	n = fill_from(m->popularity->ranked, m->popularity->ranked_count, REC_FROM_POPULAR, v,
		      out, n, opts->count);
	for (size_t i = 0; i < n; i++)
		v->mark[out[i].product] = 0;
	return n;
}

void customer_recs_for_each(const struct recs_model *m, const struct recs_options *opts,
			    size_t n, int32_t c, struct recs_scratch *s,
			    struct customer_rec *const *out, size_t *got)
{
	assert(n >= 1);
	size_t touched = c >= 0 ? collect_votes(m, &opts[0], c, &s[0]) : 0;
	for (size_t i = 0; i < n; i++) {
		assert(opts[i].history_half_life_days == opts[0].history_half_life_days);
		got[i] = rank_votes(m, &opts[i], c, &s[0], touched, &s[i], out[i]);
	}
	/* forget the customer: votes, and the marks of what they own */
	for (size_t x = 0; x < touched; x++)
		s[0].votes[s[0].touched[x]] = 0;
	if (c >= 0)
		for (uint32_t i = m->owned->start[c]; i < m->owned->start[c + 1]; i++)
			s[0].mark[m->owned->items[i].product] = 0;
}

size_t customer_recs_for(const struct recs_model *m, const struct recs_options *opts,
			 int32_t c, struct recs_scratch *s, struct customer_rec *out)
{
	size_t got;
	customer_recs_for_each(m, opts, 1, c, s, &out, &got);
	return got;
}
