/* recs: the recommendations step (see recs.h).
 *
 * The one idea: the model shipped is the plain item-item method plus five refinements
 * (recent purchases weigh more; very large orders left out of the counting; neighbours
 * counted over customers' histories rather than single baskets; recent best sellers as
 * a prior; popular neighbours damped), and the evaluation adds them one at a time, so
 * model_metrics shows what each one buys next to the best-seller baseline. Everything
 * is measured on the last RECS_TEST_DAYS days with models built only from the days
 * before. The measuring runs on a thread of its own beside the building and writing of
 * the shipped lists. */
#include "model/recs.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db/batch_insert.h"
#include "db/db.h"
#include "model/buy_again.h"
#include "model/content_fallback.h"
#include "model/customer_recs.h"
#include "model/purchase_history.h"
#include "model/recs_build.h"
#include "model/recs_eval.h"
#include "util/progress.h"
#include "util/xalloc.h"

/* ---- the variants measured ---- */

/* The refinements of the item-item method, as bits. */
enum {
	USE_RECENCY = 1,   /* recent purchases vote louder */
	USE_SIZE_CAP = 2,  /* very large transactions left out of the counting */
	USE_CUSTOMERS = 4, /* neighbours from customers' histories */
	USE_DAMPING = 8,   /* popular neighbours damped */
	USE_PRIOR = 16,    /* recent best sellers as a prior */
	USE_ALL = 31
};

enum list_kind {
	LIST_BEST_SELLERS,   /* the shop's best sellers the customer does not own */
	LIST_RECENT_SELLERS, /* the same, ranked by recent sales */
	LIST_RECS,           /* customer_recs with the variant's refinements */
	LIST_BUY_AGAIN,      /* the customer's own frequent products */
	LIST_RECS_AND_BUY_AGAIN /* buy again and the full model, alternating */
};

struct recs_variant {
	const char *model;   /* model_metrics.model */
	const char *label;   /* its line in the summary */
	const char *what;    /* what it is, in full, for the metrics' detail */
	enum list_kind kind;
	unsigned uses;       /* refinements on (USE_*), for LIST_RECS kinds */
};

static const struct recs_variant variants[] = {
	{"recs_popularity", "best sellers (baseline)", "the shop's best sellers",
	 LIST_BEST_SELLERS, 0},
	{"recs_popularity_recent", "best sellers of recent weeks",
	 "best sellers by recent orders (7-day half-life)", LIST_RECENT_SELLERS, 0},
	{"recs_item", "item-item cosine over baskets",
	 "item-item cosine over baskets, every owned product voting alike", LIST_RECS, 0},
	{"recs_item_recent", "  + recent purchases weigh more",
	 "item-item over baskets, recent purchases voting louder", LIST_RECS, USE_RECENCY},
	{"recs_item_capped", "  + orders of over 100 products left out",
	 "item-item over baskets of up to 100 products, recent purchases voting louder",
	 LIST_RECS, USE_RECENCY | USE_SIZE_CAP},
	{"recs_item_customers", "  + neighbours over customers' histories",
	 "item-item over customers' histories of up to 100 products, recency", LIST_RECS,
	 USE_RECENCY | USE_SIZE_CAP | USE_CUSTOMERS},
	{"recs_blend_undamped", "  + recent best sellers as prior",
	 "item-item over customers' histories, recency, recent best sellers as prior",
	 LIST_RECS, USE_RECENCY | USE_SIZE_CAP | USE_CUSTOMERS | USE_PRIOR},
	{"recs_blend", "  + popular neighbours damped (shipped)",
	 "the shipped model: item-item over customers' histories, recency, recent best "
	 "sellers as prior, popular neighbours damped",
	 LIST_RECS, USE_ALL},
	{"recs_buy_again", "buy again (own products)",
	 "buy again: the customer's own products by recency-weighted orders", LIST_BUY_AGAIN, 0},
	{"recs_blend_buy_again", "shipped model and buy again, alternating",
	 "buy again and the shipped model, alternating", LIST_RECS_AND_BUY_AGAIN, USE_ALL},
};
#define VARIANT_COUNT (sizeof variants / sizeof variants[0])

/* The scoring options of a variant: the shipped ones with refinements turned off. */
static void variant_options(const struct recs_config *config, unsigned uses,
			    struct recs_options *out)
{
	*out = config->recs;
	if (!(uses & USE_RECENCY))
		out->history_half_life_days = 0;
	if (!(uses & USE_DAMPING))
		out->popularity_damping = 0;
	if (!(uses & USE_PRIOR))
		out->popularity_prior = 0;
}

/* ---- making the lists ---- */

/* The scorings of customer_recs the variants use, grouped by the votes they share (one
 * group per set of parts and history half-life), one scoring per distinct options. */
struct scoring_group {
	const struct recs_parts *parts;
	size_t n;                                 /* scorings */
	struct recs_options options[VARIANT_COUNT];
	struct recs_scratch scratch[VARIANT_COUNT];
	struct customer_rec *recs[VARIANT_COUNT]; /* RECS_PER_CUSTOMER each */
	size_t got[VARIANT_COUNT];                /* the current customer's list sizes */
};

/* Where a variant's list comes from. */
struct variant_source {
	const struct recs_parts *parts; /* built on the training period */
	size_t group, scoring;          /* its customer_recs scoring (LIST_RECS kinds) */
};

/* Every variant's list for every test customer, made customer after customer so that
 * the variants ranking the same votes have them collected once. */
struct variant_lists {
	const struct recs_split *split;
	size_t groups;
	struct scoring_group group[VARIANT_COUNT];
	struct variant_source source[VARIANT_COUNT];
	double buy_again_half_life_days;
	struct top_k buy_again_best;
	struct scored_item buy_again[RECS_PER_CUSTOMER];
	int32_t *product; /* variant v, customer i: RECS_PER_CUSTOMER from
			   * (v × customers + i) × RECS_PER_CUSTOMER */
	size_t *count;    /* variant v, customer i: at v × customers + i */
};

static int same_options(const struct recs_options *a, const struct recs_options *b)
{
	return a->count == b->count && a->history_half_life_days == b->history_half_life_days &&
	       a->popularity_damping == b->popularity_damping &&
	       a->popularity_prior == b->popularity_prior &&
	       a->popular_candidates == b->popular_candidates &&
	       a->segment_min_customers == b->segment_min_customers;
}

/* Finds or adds the scoring of options on parts; sets the variant's source to it. */
static void add_scoring(struct variant_lists *l, size_t product_count,
			const struct recs_options *options, struct variant_source *source)
{
	size_t g = 0;
	while (g < l->groups && !(l->group[g].parts == source->parts &&
				  l->group[g].options[0].history_half_life_days ==
					  options->history_half_life_days))
		g++;
	struct scoring_group *group = &l->group[g];
	if (g == l->groups) {
		l->groups++;
		group->parts = source->parts;
		group->n = 0;
	}
	size_t j = 0;
	while (j < group->n && !same_options(&group->options[j], options))
		j++;
	if (j == group->n) {
		group->options[j] = *options;
		recs_scratch_init(&group->scratch[j], product_count, RECS_PER_CUSTOMER);
		group->recs[j] = xmalloc(RECS_PER_CUSTOMER * sizeof *group->recs[j]);
		group->n++;
	}
	source->group = g;
	source->scoring = j;
}

static size_t sellers_not_owned(const struct popularity *p, const struct customer_histories *own,
				int32_t c, int32_t *out, size_t k)
{
	size_t n = 0;
	for (size_t r = 0; r < p->ranked_count && n < k; r++)
		if (!customer_owns(own, c, p->ranked[r]))
			out[n++] = p->ranked[r];
	return n;
}

/* Variant v's list for customer c, its customer_recs scorings already made. */
static size_t variant_list(struct variant_lists *l, size_t v, int32_t c, int32_t *out)
{
	const struct variant_source *source = &l->source[v];
	const struct recs_parts *parts = source->parts;
	const struct scoring_group *group = &l->group[source->group];
	const struct customer_rec *recs = group->recs[source->scoring];
	size_t own = 0, got = group->got[source->scoring], n = 0, k = RECS_PER_CUSTOMER;
	switch (variants[v].kind) {
	case LIST_BEST_SELLERS:
		return sellers_not_owned(&parts->popularity, parts->owned, c, out, k);
	case LIST_RECENT_SELLERS:
		return sellers_not_owned(&parts->recent, parts->owned, c, out, k);
	case LIST_RECS:
		for (size_t i = 0; i < got; i++)
			out[i] = recs[i].product;
		return got;
	case LIST_BUY_AGAIN:
		own = buy_again_for(parts->owned, c, parts->model.now,
				    l->buy_again_half_life_days, k, &l->buy_again_best, l->buy_again);
		for (size_t i = 0; i < own; i++)
			out[i] = l->buy_again[i].item;
		return own;
	case LIST_RECS_AND_BUY_AGAIN:
		own = buy_again_for(parts->owned, c, parts->model.now,
				    l->buy_again_half_life_days, k, &l->buy_again_best, l->buy_again);
		for (size_t a = 0, b = 0; n < k && (a < own || b < got); n++) {
			if (a < own && (n % 2 == 0 || b >= got))
				out[n] = l->buy_again[a++].item;
			else
				out[n] = recs[b++].product;
		}
		return n;
	}
	return 0;
}

/* Makes every variant's list for test customer i. */
static void make_customer_lists(struct variant_lists *l, size_t i)
{
	int32_t c = l->split->customers[i];
	size_t customers = l->split->customer_count;
	for (size_t g = 0; g < l->groups; g++) {
		struct scoring_group *group = &l->group[g];
		customer_recs_for_each(&group->parts->model, group->options, group->n, c,
				       group->scratch, group->recs, group->got);
	}
	for (size_t v = 0; v < VARIANT_COUNT; v++) {
		size_t at = v * customers + i;
		l->count[at] = variant_list(l, v, c, l->product + at * RECS_PER_CUSTOMER);
	}
}

/* What recs_split_evaluate reads one variant's lists through. */
struct made_list {
	const struct variant_lists *lists;
	size_t variant;
};

static int compare_customers(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static size_t made_list(void *context, int32_t c, int32_t *out, size_t k)
{
	const struct made_list *m = context;
	const struct recs_split *split = m->lists->split;
	const int32_t *found = bsearch(&c, split->customers, split->customer_count,
				       sizeof *split->customers, compare_customers);
	assert(found && k == RECS_PER_CUSTOMER);
	size_t at = m->variant * split->customer_count + (size_t)(found - split->customers);
	memcpy(out, m->lists->product + at * RECS_PER_CUSTOMER,
	       m->lists->count[at] * sizeof *out);
	return m->lists->count[at];
}

/* ---- writing ---- */

static int insert_metric(sqlite3_stmt *stmt, const char *model, const char *metric,
			 double value, const char *detail)
{
	sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, metric, -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 3, value);
	sqlite3_bind_text(stmt, 4, detail, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The pieces the variants need, built from the training period on first use: by
 * baskets without and with the size cap, and by customers' histories. All three share
 * the split's customers' histories of the training period. */
struct variant_parts {
	struct recs_parts parts[3];
	int built[3];
};

static const struct recs_parts *parts_for(struct variant_parts *vp, unsigned uses,
					  const struct purchase_history *h,
					  const struct recs_config *config,
					  const struct recs_split *split)
{
	int which = (uses & USE_CUSTOMERS) ? 2 : (uses & USE_SIZE_CAP) ? 1 : 0;
	if (!vp->built[which]) {
		struct recs_config c = *config;
		c.neighbors_from_customers = which == 2;
		if (which == 0)
			c.cooccurrence.max_transaction_size = 0;
		recs_parts_build(h, split->train_baskets, split->cutoff, &c, &split->owned,
				 &vp->parts[which]);
		vp->built[which] = 1;
	}
	return &vp->parts[which];
}

/* The evaluation: computed apart from the database, so it can run on a thread of its
 * own while the shipped lists are built and written. */
struct evaluation {
	const struct purchase_history *h;  /* what to measure on */
	const struct recs_config *config;  /* the shipped configuration */
	int measured;                      /* 1 when there was a split to measure on */
	struct error why;                  /* why not, otherwise */
	int64_t cutoff;                    /* where the test period starts */
	struct recs_scores scores[VARIANT_COUNT]; /* per variant */
};

/* Sets up the lists of every variant on the split's training period. */
static void lists_init(struct variant_lists *l, struct variant_parts *vp,
		       const struct evaluation *e, const struct recs_split *split)
{
	memset(l, 0, sizeof *l);
	l->split = split;
	l->buy_again_half_life_days = e->config->buy_again_half_life_days;
	top_k_init(&l->buy_again_best, RECS_PER_CUSTOMER);
	for (size_t v = 0; v < VARIANT_COUNT; v++) {
		struct variant_source *source = &l->source[v];
		source->parts = parts_for(vp, variants[v].uses, e->h, e->config, split);
		if (variants[v].kind == LIST_RECS || variants[v].kind == LIST_RECS_AND_BUY_AGAIN) {
			struct recs_options options;
			variant_options(e->config, variants[v].uses, &options);
			add_scoring(l, e->h->product_count, &options, source);
		}
	}
	size_t cells = VARIANT_COUNT * split->customer_count;
	l->product = xmalloc((cells * RECS_PER_CUSTOMER + 1) * sizeof *l->product);
	l->count = xmalloc((cells + 1) * sizeof *l->count);
}

static void lists_free(struct variant_lists *l)
{
	for (size_t g = 0; g < l->groups; g++)
		for (size_t j = 0; j < l->group[g].n; j++) {
			recs_scratch_free(&l->group[g].scratch[j]);
			free(l->group[g].recs[j]);
		}
	top_k_free(&l->buy_again_best);
	free(l->product);
	free(l->count);
}

/* Makes the split and measures every variant on it (a thread's body). */
static void *measure_variants(void *evaluation)
{
	struct evaluation *e = evaluation;
	struct recs_split split;
	if (recs_split_make(e->h, RECS_TEST_DAYS, &split, &e->why) < 0)
		return NULL;
	e->measured = 1;
	e->cutoff = split.cutoff;
	struct variant_parts vp;
	memset(&vp, 0, sizeof vp);
	struct variant_lists lists;
	lists_init(&lists, &vp, e, &split);
	for (size_t i = 0; i < split.customer_count; i++)
		make_customer_lists(&lists, i);
	for (size_t v = 0; v < VARIANT_COUNT; v++) {
		struct made_list made = {&lists, v};
		recs_split_evaluate(&split, RECS_PER_CUSTOMER, made_list, &made, &e->scores[v]);
	}
	lists_free(&lists);
	for (int i = 0; i < 3; i++)
		if (vp.built[i])
			recs_parts_free(&vp.parts[i]);
	recs_split_free(&split);
	return NULL;
}

static int store_variant(sqlite3_stmt *stmt, const struct recs_variant *v,
			 const struct recs_scores *s, const char *cutoff)
{
	struct buf detail = BUF_INIT;
	buf_printf(&detail, "%s; test period from %s (%d days); %zu customers who bought "
			    "before and after (%zu of them something new)",
		   v->what, cutoff, RECS_TEST_DAYS, s->customers_any, s->customers);
	const char *d = buf_str(&detail);
	int rc = insert_metric(stmt, v->model, "hit_rate_10", s->hit_rate, d) < 0 ||
		 insert_metric(stmt, v->model, "recall_10", s->recall, d) < 0 ||
		 insert_metric(stmt, v->model, "hit_rate_10_any", s->hit_rate_any, d) < 0 ||
		 insert_metric(stmt, v->model, "recall_10_any", s->recall_any, d) < 0 ||
		 insert_metric(stmt, v->model, "customers", (double)s->customers, d) < 0;
	buf_free(&detail);
	return rc ? -1 : 0;
}

/* Writes the figures to model_metrics and the summary. */
static int store_evaluation(sqlite3 *db, const struct evaluation *e, struct buf *summary,
			    struct error *err)
{
	if (!e->measured) {
		buf_printf(summary, "recs: not measured: %s\n", e->why.msg);
		return 0;
	}
	sqlite3_stmt *stmt;
	if (db_prepare(db,
		       "INSERT OR REPLACE INTO model_metrics (model, metric, value, detail)"
		       " VALUES (?, ?, ?, ?)",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	char cutoff[20];
	shop_time_format(e->cutoff, cutoff);
	cutoff[10] = '\0';
	buf_printf(summary, "recs: measured on the %d days from %s: lists made from what was "
			    "known before, a hit is a product bought after and not before\n"
			    "  hit@10  recall@10  any-hit@10  model\n",
		   RECS_TEST_DAYS, cutoff);
	int rc = 0;
	double baseline = 0, shipped = 0;
	for (size_t i = 0; i < VARIANT_COUNT && rc == 0; i++) {
		const struct recs_variant *v = &variants[i];
		const struct recs_scores *s = &e->scores[i];
		if (store_variant(stmt, v, s, cutoff) < 0)
			rc = db_fail(db, err, "writing model_metrics");
		buf_printf(summary, "  %6.3f  %9.3f  %10.3f  %s (%s)\n", s->hit_rate, s->recall,
			   s->hit_rate_any, v->label, v->model);
		if (strcmp(v->model, "recs_popularity") == 0)
			baseline = s->hit_rate;
		if (strcmp(v->model, "recs_blend") == 0)
			shipped = s->hit_rate;
	}
	if (rc == 0 && baseline > 0) {
		buf_printf(summary, "  the shipped model finds %.2f times as many customers a new "
				    "product as best sellers do\n",
			   shipped / baseline);
		if (insert_metric(stmt, "recs_blend", "lift_over_popularity", shipped / baseline,
				  "hit rate at 10 of recs_blend over recs_popularity's") < 0)
			rc = db_fail(db, err, "writing model_metrics");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static const char *neighbor_source_name(unsigned char source)
{
	return source == NEIGHBOR_FROM_CONTENT ? "content"
	       : source == NEIGHBOR_FROM_POPULAR ? "popular" : "baskets";
}

static const char *rec_source_name(unsigned char source)
{
	return source == REC_FROM_SEGMENT ? "segment"
	       : source == REC_FROM_POPULAR ? "popular" : "neighbors";
}

/* Steps a prepared insert and resets it; returns 0 or ERR_SYSTEM. */
static int step_insert(sqlite3 *db, sqlite3_stmt *stmt, const char *table, struct error *err)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return error_set(err, ERR_SYSTEM, "writing %s: %s", table, sqlite3_errmsg(db));
	return 0;
}

/* Opens a multi-row insert into table's columns ("a, b"); NULL on failure, with err
 * filled. */
static struct batch_insert *open_rows(sqlite3 *db, const char *table, const char *columns,
				      struct error *err)
{
	struct batch_insert *b = xmalloc(sizeof *b);
	if (batch_insert_open(b, db, table, columns, err) < 0) {
		free(b);
		return NULL;
	}
	return b;
}

/* Writes the rows still staged when rc is 0, and frees b; returns rc or the flush's. */
static int close_rows(struct batch_insert *b, int rc, struct error *err)
{
	if (rc == 0)
		rc = batch_insert_flush(b, err);
	batch_insert_close(b);
	free(b);
	return rc;
}

static void stage_text(struct batch_insert *b, const char *text)
{
	batch_insert_text(b, text, strlen(text));
}

static int write_neighbors(sqlite3 *db, const struct purchase_history *h,
			   const struct item_neighbors *nb, size_t *rows, struct error *err)
{
	struct batch_insert *b = open_rows(db, "item_neighbors",
					   "product_id, rank, neighbor_id, score, support, source", err);
	if (!b)
		return ERR_SYSTEM;
	int rc = 0;
	for (size_t p = 0; p < h->product_count && rc == 0; p++)
		for (uint32_t r = 0; r < nb->count[p] && rc == 0; r++) {
			size_t at = NEIGHBOR_AT(nb, p, r);
			stage_text(b, h->product_ids[p]);
			batch_insert_int(b, (int)r + 1);
			stage_text(b, h->product_ids[nb->neighbor[at]]);
			batch_insert_double(b, nb->score[at]);
			batch_insert_int(b, nb->support[at]);
			stage_text(b, neighbor_source_name(nb->source[at]));
			rc = batch_insert_row(b, err);
			++*rows;
		}
	return close_rows(b, rc, err);
}

/* Recommendations for every customer, and for how many the neighbours spoke. */
static int write_customer_recs(sqlite3 *db, const struct purchase_history *h,
			       const struct recs_parts *parts, const struct recs_config *config,
			       size_t *rows, size_t *from_neighbors, struct error *err)
{
	struct batch_insert *b = open_rows(db, "customer_recs",
					   "customer_id, rank, product_id, score, source", err);
	if (!b)
		return ERR_SYSTEM;
	struct recs_scratch scratch;
	recs_scratch_init(&scratch, h->product_count, config->recs.count);
	struct customer_rec *recs = xmalloc(config->recs.count * sizeof *recs);
	int rc = 0;
	for (size_t c = 0; c < h->customer_count && rc == 0; c++) {
		size_t n = customer_recs_for(&parts->model, &config->recs, (int32_t)c, &scratch,
					     recs);
		*from_neighbors += n > 0 && recs[0].source == REC_FROM_NEIGHBORS;
		for (size_t r = 0; r < n && rc == 0; r++) {
			stage_text(b, h->customer_ids[c]);
			batch_insert_int(b, (int)r + 1);
			stage_text(b, h->product_ids[recs[r].product]);
			batch_insert_double(b, recs[r].score);
			stage_text(b, rec_source_name(recs[r].source));
			rc = batch_insert_row(b, err);
			++*rows;
		}
	}
	free(recs);
	recs_scratch_free(&scratch);
	return close_rows(b, rc, err);
}

/* Finds customer c's owned entry for product p (it is there: buy_again listed it). */
static const struct owned_product *owned_entry(const struct customer_histories *own, size_t c,
					       int32_t p)
{
	for (uint32_t i = own->start[c]; i < own->start[c + 1]; i++)
		if (own->items[i].product == p)
			return &own->items[i];
	assert(!"a buy-again product the customer does not own");
	return NULL;
}

static int write_buy_again(sqlite3 *db, const struct purchase_history *h,
			   const struct recs_parts *parts, const struct recs_config *config,
			   size_t *rows, struct error *err)
{
	struct batch_insert *b = open_rows(db, "buy_again",
					   "customer_id, rank, product_id, orders, quantity,"
					   " last_bought, score", err);
	if (!b)
		return ERR_SYSTEM;
	struct top_k best;
	top_k_init(&best, RECS_PER_CUSTOMER);
	struct scored_item items[RECS_PER_CUSTOMER];
	/* the staged rows' last_bought texts, one per row of a batch */
	char (*last)[20] = xmalloc(BATCH_ROWS * sizeof *last);
	int rc = 0;
	for (size_t c = 0; c < h->customer_count && rc == 0; c++) {
		size_t n = buy_again_for(parts->owned, (int32_t)c, parts->model.now,
					 config->buy_again_half_life_days, RECS_PER_CUSTOMER, &best,
					 items);
		for (size_t r = 0; r < n && rc == 0; r++) {
			const struct owned_product *o = owned_entry(parts->owned, c, items[r].item);
			char *text = last[b->pending];
			shop_time_format(o->last_time, text);
			stage_text(b, h->customer_ids[c]);
			batch_insert_int(b, (int)r + 1);
			stage_text(b, h->product_ids[items[r].item]);
			batch_insert_int(b, o->orders);
			batch_insert_int(b, o->quantity);
			stage_text(b, text);
			batch_insert_double(b, items[r].score);
			rc = batch_insert_row(b, err);
			++*rows;
		}
	}
	top_k_free(&best);
	rc = close_rows(b, rc, err);
	free(last);
	return rc;
}

/* Orders products by category, then by score (best first), then by number. */
static const struct purchase_history *sorting_history;
static const double *sorting_score;

static int compare_category_score(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	int c = strcmp(sorting_history->product_categories[x],
		       sorting_history->product_categories[y]);
	if (c)
		return c;
	if (sorting_score[x] != sorting_score[y])
		return sorting_score[x] < sorting_score[y] ? 1 : -1;
	return (x > y) - (x < y);
}

static int insert_popular(sqlite3 *db, sqlite3_stmt *stmt, const struct purchase_history *h,
			  const char *category, int rank, int32_t p, const struct popularity *shop,
			  const struct popularity *plain, struct error *err)
{
	sqlite3_bind_text(stmt, 1, category, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, rank);
	sqlite3_bind_text(stmt, 3, h->product_ids[p], -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 4, shop->score[p]);
	sqlite3_bind_int64(stmt, 5, (int64_t)plain->score[p]);
	return step_insert(db, stmt, "popular_by_category", err);
}

/* The shop's best sellers ('' category) and each category's, by recency-weighted
 * orders; only products that sold. */
static int write_popular(sqlite3 *db, const struct purchase_history *h,
			 const struct popularity *shop, const struct popularity *plain,
			 size_t *categories, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT INTO popular_by_category (category, rank, product_id, score,"
			   " orders) VALUES (?, ?, ?, ?, ?)",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc = 0;
	for (size_t r = 0; r < shop->ranked_count && r < RECS_POPULAR_PER_CATEGORY && rc == 0; r++)
		rc = insert_popular(db, stmt, h, "", (int)r + 1, shop->ranked[r], shop, plain, err);
	int32_t *sold = xmalloc((h->product_count + 1) * sizeof *sold);
	size_t n = 0;
	for (size_t p = 0; p < h->product_count; p++)
		if (h->product_categories[p] && shop->score[p] > 0)
			sold[n++] = (int32_t)p;
	sorting_history = h;
	sorting_score = shop->score;
	qsort(sold, n, sizeof *sold, compare_category_score);
	sorting_history = NULL;
	sorting_score = NULL;
	int rank = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *category = h->product_categories[sold[i]];
		if (i == 0 || strcmp(category, h->product_categories[sold[i - 1]]) != 0) {
			rank = 0;
			++*categories;
		}
		if (++rank <= RECS_POPULAR_PER_CATEGORY)
			rc = insert_popular(db, stmt, h, category, rank, sold[i], shop, plain, err);
	}
	free(sold);
	sqlite3_finalize(stmt);
	return rc;
}

static const char clear_sql[] =
	"DELETE FROM item_neighbors; DELETE FROM customer_recs; DELETE FROM buy_again;"
	"DELETE FROM popular_by_category;"
	"DELETE FROM model_metrics WHERE model LIKE 'recs\\_%' ESCAPE '\\';";

/* Builds the shipped lists from the whole history and writes them. */
static int write_lists(sqlite3 *db, const struct purchase_history *h,
		       const struct recs_config *config, struct buf *summary, struct error *err)
{
	int64_t now = h->basket_count ? h->baskets[h->basket_count - 1].time : 0;
	struct recs_parts parts;
	recs_parts_build(h, h->basket_count, now, config, NULL, &parts);
	struct item_neighbors together;
	recs_neighbors_from_baskets(h, h->basket_count, now, config, config->shop_neighbors,
				    &together);
	struct content_fallback_counts fallback;
	content_fallback_fill(h, &parts.popularity, config->content_min_baskets, &together,
			      &fallback);
	struct popularity shop;
	popularity_compute(h, h->basket_count, now, config->shop_half_life_days, &shop);
	size_t neighbor_rows = 0, rec_rows = 0, from_neighbors = 0, again_rows = 0,
	       categories = 0;
	int rc = write_neighbors(db, h, &together, &neighbor_rows, err);
	if (rc == 0)
		rc = write_customer_recs(db, h, &parts, config, &rec_rows, &from_neighbors, err);
	if (rc == 0)
		rc = write_buy_again(db, h, &parts, config, &again_rows, err);
	if (rc == 0)
		rc = write_popular(db, h, &shop, &parts.popularity, &categories, err);
	if (rc == 0)
		buf_printf(summary,
			   "recs: %zu neighbour rows for %zu products (%zu in fewer than %u "
			   "baskets: %zu given neighbours by name, %zu by best sellers); "
			   "%zu recommendations for %zu customers (%zu led by their history); "
			   "%zu buy-again rows; best sellers of the shop and %zu categories\n",
			   neighbor_rows, h->product_count, fallback.products,
			   config->content_min_baskets, fallback.by_name, fallback.by_popular,
			   rec_rows, h->customer_count, from_neighbors, again_rows, categories);
	popularity_free(&shop);
	item_neighbors_free(&together);
	recs_parts_free(&parts);
	return rc;
}

int model_recs(sqlite3 *db, const struct model_options *opt, struct buf *summary,
	       struct error *err)
{
	double started = monotonic_seconds();
	struct purchase_history h;
	const struct order_book *book = NULL;
	int rc = model_book_borrow(db, opt, &book, err);
	if (rc == 0)
		rc = purchase_history_build(db, book, &h, err);
	model_book_return(opt, book);
	model_book_drop(opt); /* no step after this one reads it */
	if (rc < 0)
		return rc;
	double loaded = monotonic_seconds();
	struct recs_config config;
	recs_default_config(&config);
	assert(config.recs.count == RECS_PER_CUSTOMER); /* what is measured is what is shipped */
	buf_printf(summary, "recs: %zu products, %zu customers, %zu baskets of completed orders\n",
		   h.product_count, h.customer_count, h.basket_count);
	/* the evaluation runs beside the lists; on its own when no thread can start */
	struct evaluation evaluation;
	memset(&evaluation, 0, sizeof evaluation);
	evaluation.h = &h;
	evaluation.config = &config;
	pthread_t worker;
	int threaded = pthread_create(&worker, NULL, measure_variants, &evaluation) == 0;
	struct buf lists = BUF_INIT;
	rc = db_exec(db, "BEGIN IMMEDIATE", err);
	if (rc == 0)
		rc = db_exec(db, clear_sql, err);
	if (rc == 0)
		rc = write_lists(db, &h, &config, &lists, err);
	double listed = monotonic_seconds();
	if (threaded)
		pthread_join(worker, NULL);
	else
		measure_variants(&evaluation);
	if (rc == 0)
		rc = store_evaluation(db, &evaluation, summary, err);
	if (rc == 0)
		rc = db_exec(db, "COMMIT", err);
	if (rc < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	} else {
		buf_puts(summary, buf_str(&lists));
		buf_printf(summary, "recs: done in %.2f s (reading %.2f s, lists %.2f s, with "
				    "the measuring beside them)\n",
			   monotonic_seconds() - started, loaded - started, listed - loaded);
	}
	buf_free(&lists);
	purchase_history_free(&h);
	return rc;
}
