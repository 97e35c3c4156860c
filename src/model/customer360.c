/* customer360: customer_360 from one walk over the customer histories of the order book,
 * with the columns of the other steps merged in from their tables read in customer
 * order alongside (the walk goes in customer order too): one insert per profile. */
#include "model/customer360.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/customer_history.h"
#include "model/model_days.h"
#include "model/product_groups.h"
#include "model/rfm.h"
#include "util/xalloc.h"

/* Another step's rows in customer order: the other side of a merge join. */
struct joined_rows {
	sqlite3_stmt *stmt;
	int step;           /* the last sqlite3_step's result: SQLITE_ROW while on a row */
};

/* Moves the rows on to customer_id's; returns 1 when it has one (column 0 is the id). */
static int joined_find(struct joined_rows *j, const char *customer_id)
{
	for (; j->step == SQLITE_ROW; j->step = sqlite3_step(j->stmt)) {
		const char *id = (const char *)sqlite3_column_text(j->stmt, 0);
		int c = id ? strcmp(id, customer_id) : -1;
		if (c >= 0)
			return c == 0;
	}
	return 0;
}

/* Binds columns first.. of the joined row to the insert's parameters from param on, or
 * NULLs when the customer has no row. */
static void bind_joined(sqlite3_stmt *insert, int param, struct joined_rows *j, int found,
			int columns)
{
	for (int i = 0; i < columns; i++)
		if (found)
			sqlite3_bind_value(insert, param + i, sqlite3_column_value(j->stmt, 1 + i));
		else
			sqlite3_bind_null(insert, param + i);
}

struct profile_writer {
	const struct product_groups *pg;
	int64_t as_of_day;     /* the day after the data's last day */
	sqlite3 *db;
	sqlite3_stmt *insert;
	struct joined_rows rfm;   /* customer_rfm: segment, value_tier, cluster */
	struct joined_rows churn; /* churn_scores: risk, reason */
	int64_t *group_spend;  /* per group: this customer's spend (scratch, zeroed again) */
	size_t written;
};

/* The group the customer spent most on; a tie goes to the group whose name sorts first
 * (groups are numbered in name order). Returns -1 when no product is known. */
static long favourite_group(struct profile_writer *w, const struct customer_history *h)
{
	for (size_t i = 0; i < h->n_products; i++)
		w->group_spend[w->pg->group_of[h->products[i].product]] +=
			h->products[i].spend_cents;
	long best = -1;
	for (size_t i = 0; i < h->n_products; i++) {
		size_t g = w->pg->group_of[h->products[i].product];
		if (best < 0 || w->group_spend[g] > w->group_spend[best] ||
		    (w->group_spend[g] == w->group_spend[best] && g < (size_t)best))
			best = (long)g;
	}
	for (size_t i = 0; i < h->n_products; i++)
		w->group_spend[w->pg->group_of[h->products[i].product]] = 0;
	return best;
}

static int write_profile(const struct customer_history *h, void *context, struct error *err)
{
	struct profile_writer *w = context;
	if (h->n_orders == 0)
		return 0; /* only cancelled or returned orders: no profile */
	int64_t value = 0;
	for (size_t i = 0; i < h->n_orders; i++)
		value += h->orders[i].value_cents;
	int64_t first = h->orders[0].time, last = h->orders[h->n_orders - 1].time;
	char first_day[11], last_day[11];
	day_to_text(day_of_time(first), first_day);
	day_to_text(day_of_time(last), last_day);
	long favourite = favourite_group(w, h);
	sqlite3_stmt *s = w->insert;
	sqlite3_bind_text(s, 1, h->customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, value);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)h->n_orders);
	sqlite3_bind_int64(s, 4, llround((double)value / (double)h->n_orders));
	sqlite3_bind_text(s, 5, first_day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, last_day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 7, w->as_of_day - day_of_time(first));
	if (h->n_orders > 1)
		sqlite3_bind_double(s, 8, (double)(last - first) / SECONDS_PER_DAY /
					      (double)(h->n_orders - 1));
	else
		sqlite3_bind_null(s, 8);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)h->n_products);
	sqlite3_bind_double(s, 10, (double)h->n_returns / (double)(h->n_orders + h->n_returns));
	if (favourite >= 0)
		sqlite3_bind_text(s, 11, w->pg->groups[favourite], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 11);
	bind_joined(s, 12, &w->rfm, joined_find(&w->rfm, h->customer_id), 3);
	bind_joined(s, 15, &w->churn, joined_find(&w->churn, h->customer_id), 2);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_fail(w->db, err, "writing customer_360");
	sqlite3_reset(s);
	w->written++;
	return rc;
}

/* The columns other steps found (segment, tier and cluster; churn risk and reason), in
 * customer order. */
static const char rfm_sql[] =
	"SELECT customer_id, segment, value_tier, cluster FROM customer_rfm"
	" ORDER BY customer_id";
static const char churn_sql[] =
	"SELECT customer_id, risk, reason FROM churn_scores ORDER BY customer_id";

static int open_joined(sqlite3 *db, const char *sql, struct joined_rows *j,
		       struct error *err)
{
	if (db_prepare(db, sql, &j->stmt, err) < 0)
		return ERR_SYSTEM;
	j->step = sqlite3_step(j->stmt);
	return 0;
}

/* 0 when the joined rows were read without error. */
static int joined_ok(sqlite3 *db, const struct joined_rows *j, struct error *err)
{
	if (j->step == SQLITE_ROW || j->step == SQLITE_DONE)
		return 0;
	return db_fail(db, err, "reading another step's customers");
}

static int build(sqlite3 *db, const struct order_book *book, int64_t as_of_day,
		 size_t *written, struct error *err)
{
	struct product_groups pg;
	struct profile_writer w = {&pg, as_of_day, db, NULL, {NULL, SQLITE_DONE},
				   {NULL, SQLITE_DONE}, NULL, 0};
	if (db_exec(db, "DELETE FROM customer_360", err) < 0)
		return ERR_SYSTEM;
	product_groups_from_book(book, &pg);
	w.group_spend = xcalloc(pg.n_groups ? pg.n_groups : 1, sizeof *w.group_spend);
	int rc = db_prepare(db, "INSERT INTO customer_360 (customer_id, lifetime_value_cents, orders,"
			    " avg_order_value_cents, first_purchase, last_purchase, tenure_days,"
			    " mean_gap_days, distinct_products, return_rate, favourite_category,"
			    " segment, value_tier, cluster, churn_risk, churn_reason)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
			    " ?15, ?16)", &w.insert, err);
	if (rc == 0 && (rc = open_joined(db, rfm_sql, &w.rfm, err)) == 0)
		rc = open_joined(db, churn_sql, &w.churn, err);
	if (rc == 0)
		rc = customer_history_each(book, write_profile, &w, err);
	if (rc == 0 && (rc = joined_ok(db, &w.rfm, err)) == 0)
		rc = joined_ok(db, &w.churn, err);
	sqlite3_finalize(w.rfm.stmt);
	sqlite3_finalize(w.churn.stmt);
	sqlite3_finalize(w.insert);
	free(w.group_spend);
	product_groups_free(&pg);
	*written = w.written;
	return rc;
}

int model_customer360(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		      struct error *err)
{
	int64_t last_day;
	size_t written = 0;
	int rc = rfm_data_last_day(db, &last_day, err);
	if (rc < 0)
		return rc;
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	const struct order_book *book = NULL;
	if ((rc = model_book_borrow(db, opt, &book, err)) == 0)
		rc = build(db, book, last_day + 1, &written, err);
	model_book_return(opt, book);
	if (rc < 0 || (rc = db_exec(db, "COMMIT", err)) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	int64_t scored = db_query_int(db, "SELECT count(churn_risk) FROM customer_360", NULL, 0);
	int64_t segmented = db_query_int(db, "SELECT count(segment) FROM customer_360", NULL, 0);
	buf_printf(summary, "customers: %zu customer profiles (%lld with a segment, %lld with "
		   "a churn risk)\n", written, (long long)segmented, (long long)scored);
	return 0;
}
