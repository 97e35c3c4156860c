/* cohorts: monthly acquisition cohorts. A customer belongs to the month of their first
 * completed order; for each cohort and each month since then, the share of its
 * customers who ordered again in that month. Guests and cancelled or returned orders
 * do not count (an order counts whatever its lines). Counted from the order book, whose
 * customers' orders come oldest first, so a customer's months since their first come in
 * ascending order and each is counted once; written to cohort_retention, read by the
 * retention heatmap. */
#include "model/cohorts.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "model/model_days.h"
#include "model/order_book.h"
#include "util/xalloc.h"

/* The month of a time: year × 12 + month − 1; its 'YYYY-MM' into text (8 bytes). */
static int64_t month_of(int64_t time, char text[8])
{
	char date[11];
	day_to_text(day_of_time(time), date);
	for (int i = 0; i < 7; i++)
		text[i] = date[i];
	text[7] = '\0';
	int year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
		   (date[3] - '0');
	int month = (date[5] - '0') * 10 + (date[6] - '0');
	return (int64_t)year * 12 + month - 1;
}

/* A customer active in a month: their cohort and the months since it. */
struct activity {
	int64_t cohort;       /* month of the first completed order */
	int64_t months_since; /* 0 = the first month */
};

static int compare_activity(const void *pa, const void *pb)
{
	const struct activity *a = pa, *b = pb;
	if (a->cohort != b->cohort)
		return a->cohort < b->cohort ? -1 : 1;
	return (a->months_since > b->months_since) - (a->months_since < b->months_since);
}

/* Every (customer, month) with a completed order, as cohort and months since; sorted. */
static struct activity *list_activity(const struct order_book *book, size_t *count)
{
	struct activity *out = xmalloc((book->by_customer_count + 1) * sizeof *out);
	size_t n = 0;
	char text[8];
	for (size_t c = 0; c < book->customer_count; c++) {
		int64_t cohort = -1, last = -1;
		for (uint32_t k = book->customer_first[c]; k < book->customer_first[c + 1]; k++) {
			const struct book_order *o = &book->orders[book->by_customer[k]];
			if (!o->completed)
				continue;
			int64_t month = month_of(o->time, text);
			if (cohort < 0)
				cohort = month;
			if (month != last)
				out[n++] = (struct activity){cohort, month - cohort};
			last = month;
		}
	}
	qsort(out, n, sizeof *out, compare_activity);
	*count = n;
	return out;
}

static int write_retention(sqlite3 *db, const struct activity *a, size_t n,
			   struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT INTO cohort_retention (cohort, months_since, customers,"
			   " active, retention) VALUES (?1, ?2, ?3, ?4, ?5)", &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc = 0;
	int64_t customers = 0;
	for (size_t i = 0, end; i < n && rc == 0; i = end) {
		for (end = i; end < n && compare_activity(&a[end], &a[i]) == 0; end++)
			;
		int64_t active = (int64_t)(end - i);
		if (a[i].months_since == 0) /* every customer is active in their first month */
			customers = active;
		char cohort[8];
		int64_t year = a[i].cohort / 12, month = a[i].cohort % 12 + 1;
		snprintf(cohort, sizeof cohort, "%04u-%02u", (unsigned)(year % 10000),
			 (unsigned)month);
		sqlite3_bind_text(stmt, 1, cohort, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, a[i].months_since);
		sqlite3_bind_int64(stmt, 3, customers);
		sqlite3_bind_int64(stmt, 4, active);
		sqlite3_bind_double(stmt, 5, (double)active / (double)customers);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing cohort_retention");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	return rc;
}

int model_cohorts(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		  struct error *err)
{
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	const struct order_book *book = NULL;
	int rc = db_exec(db, "DELETE FROM cohort_retention", err);
	if (rc == 0 && (rc = model_book_borrow(db, opt, &book, err)) == 0) {
		size_t n;
		struct activity *activity = list_activity(book, &n);
		rc = write_retention(db, activity, n, err);
		free(activity);
	}
	model_book_return(opt, book);
	if (rc < 0 || (rc = db_exec(db, "COMMIT", err)) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	int64_t cohorts = db_query_int(db, "SELECT count(DISTINCT cohort) FROM cohort_retention",
				       NULL, 0);
	double month1 = (double)db_query_int(
		db, "SELECT CAST(round(1000 * sum(active) / sum(customers)) AS INTEGER)"
		    " FROM cohort_retention WHERE months_since = 1", NULL, 0) / 10.0;
	buf_printf(summary, "cohorts: %lld monthly cohorts; %.1f%% of customers order again "
		   "the month after their first\n", (long long)cohorts, month1);
	return 0;
}
