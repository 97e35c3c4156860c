/* rfm: measures from one aggregate query, scores from robust_quintile_scores, segments
 * from the rule table in rfm.h, tiers from two percentiles. */
#include "model/rfm.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/model_days.h"
#include "model/robust.h"
#include "util/xalloc.h"

const char *const rfm_segment_names[RFM_SEGMENT_COUNT] = {
	[SEG_CHAMPIONS] = "Champions",
	[SEG_LOYAL] = "Loyal",
	[SEG_CANT_LOSE] = "Can't Lose Them",
	[SEG_AT_RISK] = "At Risk",
	[SEG_NEW] = "New",
	[SEG_POTENTIAL_LOYALIST] = "Potential Loyalist",
	[SEG_PROMISING] = "Promising",
	[SEG_NEED_ATTENTION] = "Need Attention",
	[SEG_ABOUT_TO_SLEEP] = "About to Sleep",
	[SEG_LOST] = "Lost",
	[SEG_HIBERNATING] = "Hibernating",
};

const char *const rfm_segment_rules[RFM_SEGMENT_COUNT] = {
	[SEG_CHAMPIONS] = "R>=4, F>=4, M>=4",
	[SEG_LOYAL] = "R>=3, F>=4 (not Champions)",
	[SEG_CANT_LOSE] = "R=1, F>=4",
	[SEG_AT_RISK] = "R<=2, F>=3 (not Can't Lose Them)",
	[SEG_NEW] = "R=5, F=1",
	[SEG_POTENTIAL_LOYALIST] = "R>=4, F=2..3",
	[SEG_PROMISING] = "R=4, F=1",
	[SEG_NEED_ATTENTION] = "R=3, F=3",
	[SEG_ABOUT_TO_SLEEP] = "R=3, F<=2",
	[SEG_LOST] = "R=1, F<=2, M<=2",
	[SEG_HIBERNATING] = "R<=2, F<=2 (not Lost)",
};

const char *const value_tier_names[VALUE_TIER_COUNT] = {"Low", "Medium", "High"};

enum rfm_segment rfm_segment_of(int r, int f, int m)
{
	assert(r >= 1 && r <= 5 && f >= 1 && f <= 5 && m >= 1 && m <= 5);
	if (r >= 4 && f >= 4 && m >= 4)
		return SEG_CHAMPIONS;
	if (r >= 3 && f >= 4)
		return SEG_LOYAL;
	if (r == 1 && f >= 4)
		return SEG_CANT_LOSE;
	if (r <= 2 && f >= 3)
		return SEG_AT_RISK;
	if (r == 5 && f == 1)
		return SEG_NEW;
	if (r >= 4 && f >= 2)
		return SEG_POTENTIAL_LOYALIST;
	if (r == 4)
		return SEG_PROMISING;
	if (r == 3 && f == 3)
		return SEG_NEED_ATTENTION;
	if (r == 3)
		return SEG_ABOUT_TO_SLEEP;
	if (r == 1 && m <= 2)
		return SEG_LOST;
	return SEG_HIBERNATING;
}

void rfm_score_customers(struct rfm_customer *c, size_t n, double *p50, double *p90)
{
	double *value = xmalloc((n ? n : 1) * sizeof *value);
	int *score = xmalloc((n ? n : 1) * sizeof *score);
	for (size_t i = 0; i < n; i++)
		value[i] = -(double)c[i].recency_days; /* the most recent score 5 */
	robust_quintile_scores(value, NULL, n, score);
	for (size_t i = 0; i < n; i++) {
		c[i].r = score[i];
		value[i] = c[i].frequency;
	}
	robust_quintile_scores(value, NULL, n, score);
	for (size_t i = 0; i < n; i++) {
		c[i].f = score[i];
		value[i] = (double)c[i].monetary_cents;
	}
	robust_quintile_scores(value, NULL, n, score);
	double cut50 = robust_quantile(value, n, 0.5), cut90 = robust_quantile(value, n, 0.9);
	for (size_t i = 0; i < n; i++) {
		c[i].m = score[i];
		c[i].segment = rfm_segment_of(c[i].r, c[i].f, c[i].m);
		double v = (double)c[i].monetary_cents;
		c[i].tier = v >= cut90 ? TIER_HIGH : v >= cut50 ? TIER_MEDIUM : TIER_LOW;
	}
	if (p50)
		*p50 = cut50;
	if (p90)
		*p90 = cut90;
	free(value);
	free(score);
}

/* The error for a warehouse without orders, saying what to do: load order lines, or
 * clean the ones loaded. */
static int no_orders(sqlite3 *db, struct error *err)
{
	if (db_query_int(db, "SELECT EXISTS (SELECT 1 FROM raw_order_lines)", NULL, 0))
		return error_set(err, ERR_INPUT, "the warehouse has no orders: run `cartograph "
				 "clean` after ingesting order lines");
	return error_set(err, ERR_INPUT, "the warehouse has no orders: no order lines were "
			 "loaded; ingest an export of orders (a header with an order id, a date, "
			 "a product and a quantity)");
}

int rfm_data_last_day(sqlite3 *db, int64_t *day, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "SELECT max(order_time) FROM orders", &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc = 0;
	int64_t t;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		rc = db_fail(db, err, "finding the last order");
	else if (sqlite3_column_type(stmt, 0) == SQLITE_NULL)
		rc = no_orders(db, err);
	else if (time_from_text((const char *)sqlite3_column_text(stmt, 0), &t) < 0)
		rc = error_set(err, ERR_INPUT, "the last order time '%s' is not YYYY-MM-DD "
			       "HH:MM:SS", (const char *)sqlite3_column_text(stmt, 0));
	else
		*day = day_of_time(t);
	sqlite3_finalize(stmt);
	return rc;
}

static void table_append(struct rfm_table *t, size_t *cap, const char *id,
			 const struct rfm_customer *c)
{
	if (t->n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		t->customer_ids = xreallocarray(t->customer_ids, *cap, sizeof *t->customer_ids);
		t->customers = xreallocarray(t->customers, *cap, sizeof *t->customers);
	}
	t->customer_ids[t->n] = xstrdup(id);
	t->customers[t->n++] = *c;
}

/* Per customer: the last counted order, counted orders and their value. An order counts
 * when it is completed, has a customer and has an unflagged line. */
void rfm_table_build(const struct order_book *book, int64_t as_of_day, struct rfm_table *t)
{
	memset(t, 0, sizeof *t);
	t->as_of_day = as_of_day;
	size_t cap = 0;
	for (size_t c = 0; c < book->customer_count; c++) {
		struct rfm_customer m = {0};
		int64_t last = INT64_MIN;
		for (uint32_t k = book->customer_first[c]; k < book->customer_first[c + 1]; k++) {
			const struct book_order *o = &book->orders[book->by_customer[k]];
			if (!o->completed || !o->line_count)
				continue;
			m.frequency++;
			last = o->time > last ? o->time : last;
			for (uint32_t i = 0; i < o->line_count; i++)
				m.monetary_cents += book->lines[o->first_line + i].line_total_cents;
		}
		if (!m.frequency)
			continue;
		m.recency_days = (int)(as_of_day - day_of_time(last));
		table_append(t, &cap, book->customer_ids[c], &m);
	}
	rfm_score_customers(t->customers, t->n, &t->monetary_p50, &t->monetary_p90);
}

int rfm_table_load(sqlite3 *db, struct rfm_table *t, struct error *err)
{
	memset(t, 0, sizeof *t);
	int64_t last_day;
	int rc = rfm_data_last_day(db, &last_day, err);
	if (rc < 0)
		return rc;
	struct order_book book;
	if ((rc = order_book_load(db, &book, err)) < 0)
		return rc;
	rfm_table_build(&book, last_day + 1, t);
	order_book_free(&book);
	return 0;
}

void rfm_table_free(struct rfm_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->customer_ids[i]);
	free(t->customer_ids);
	free(t->customers);
	memset(t, 0, sizeof *t);
}
