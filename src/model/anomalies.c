/* anomalies: the daily series summed from the order book, closed weekdays, robust z
 * against the trailing window of trading days, and daily_sales. */
#include "model/anomalies.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/model_days.h"
#include "model/model_figures.h"
#include "model/order_book.h"
#include "model/robust.h"
#include "util/xalloc.h"

/* A weekday is closed when at least this share of its dates have no order... */
#define CLOSED_SHARE 0.9
/* ...over at least this many of its dates. */
#define CLOSED_MIN_WEEKS 4

static void mark_closed_weekdays(struct sales_day *days, size_t n)
{
	size_t dates[7] = {0}, empty[7] = {0};
	for (size_t i = 0; i < n; i++) {
		int w = day_of_week(days[i].day);
		dates[w]++;
		empty[w] += days[i].orders == 0;
	}
	for (size_t i = 0; i < n; i++) {
		int w = day_of_week(days[i].day);
		days[i].trading = !(dates[w] >= CLOSED_MIN_WEEKS &&
				    (double)empty[w] >= CLOSED_SHARE * (double)dates[w]);
	}
}

void anomalies_judge(struct sales_day *days, size_t n)
{
	mark_closed_weekdays(days, n);
	double *window = xmalloc(ROBUST_ROLLING_WINDOW * sizeof *window);
	size_t filled = 0, next = 0; /* a ring of the last trading days' revenue */
	for (size_t i = 0; i < n; i++) {
		struct sales_day *d = &days[i];
		d->judged = d->flagged = 0;
		d->z = d->baseline_cents = 0.0;
		if (!d->trading)
			continue;
		double revenue = (double)d->revenue_cents;
		if (filled >= ANOMALY_MIN_HISTORY) {
			struct robust_baseline base = robust_baseline_of(window, filled);
			d->judged = 1;
			d->baseline_cents = base.median;
			d->z = robust_z(&base, revenue);
			d->flagged = fabs(d->z) >= ANOMALY_Z_THRESHOLD;
		}
		window[next] = revenue;
		next = (next + 1) % ROBUST_ROLLING_WINDOW;
		if (filled < ROBUST_ROLLING_WINDOW)
			filled++;
	}
	free(window);
}

/* The daily series of the book's completed orders with an unflagged line: *days gets
 * one entry per calendar day from the first such order's day to the last's (none when
 * there is no such order). */
static void read_days(const struct order_book *book, struct sales_day **out, size_t *count)
{
	int64_t first = INT64_MAX, last = INT64_MIN;
	for (size_t o = 0; o < book->order_count; o++) {
		const struct book_order *order = &book->orders[o];
		if (!order->completed || !order->line_count)
			continue;
		int64_t day = day_of_time(order->time);
		first = day < first ? day : first;
		last = day > last ? day : last;
	}
	*out = NULL;
	*count = 0;
	if (first > last)
		return;
	size_t n = (size_t)(last - first + 1);
	struct sales_day *days = xcalloc(n, sizeof *days);
	for (size_t i = 0; i < n; i++)
		days[i].day = first + (int64_t)i;
	for (size_t o = 0; o < book->order_count; o++) {
		const struct book_order *order = &book->orders[o];
		if (!order->completed || !order->line_count)
			continue;
		struct sales_day *d = &days[day_of_time(order->time) - first];
		for (uint32_t i = 0; i < order->line_count; i++)
			d->revenue_cents += book->lines[order->first_line + i].line_total_cents;
		d->orders++;
	}
	*out = days;
	*count = n;
}

static int write_days(sqlite3 *db, const struct sales_day *days, size_t n, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_exec(db, "DELETE FROM daily_sales", err) < 0 ||
	    db_prepare(db, "INSERT INTO daily_sales (day, revenue_cents, orders, baseline_cents,"
			   " z, flagged, direction) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct sales_day *d = &days[i];
		char date[11];
		day_to_text(d->day, date);
		sqlite3_bind_text(stmt, 1, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, d->revenue_cents);
		sqlite3_bind_int(stmt, 3, d->orders);
		if (d->judged) {
			sqlite3_bind_int64(stmt, 4, llround(d->baseline_cents));
			sqlite3_bind_double(stmt, 5, d->z);
		} else {
			sqlite3_bind_null(stmt, 4);
			sqlite3_bind_null(stmt, 5);
		}
		sqlite3_bind_int(stmt, 6, d->flagged);
		if (d->flagged)
			sqlite3_bind_text(stmt, 7, d->z > 0 ? "up" : "down", -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, 7);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing daily_sales");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static const char *const weekday_names[7] = {
	"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"};

static void summarise(const struct sales_day *days, size_t n, struct buf *summary)
{
	size_t trading = 0, up = 0, down = 0, biggest = n;
	int closed[7] = {0};
	for (size_t i = 0; i < n; i++) {
		trading += days[i].trading != 0;
		closed[day_of_week(days[i].day)] = !days[i].trading;
		if (!days[i].flagged)
			continue;
		if (days[i].z > 0)
			up++;
		else
			down++;
		if (biggest == n || fabs(days[i].z) > fabs(days[biggest].z))
			biggest = i;
	}
	buf_printf(summary, "anomalies: %zu days, %zu of them trading days", n, trading);
	for (int w = 0; w < 7; w++)
		if (closed[w])
			buf_printf(summary, " (%s closed)", weekday_names[w]);
	buf_printf(summary, "; %zu flagged (%zu up, %zu down)", up + down, up, down);
	if (biggest < n) {
		char date[11];
		day_to_text(days[biggest].day, date);
		buf_printf(summary, "; the largest on %s: %.0f against a usual %.0f (z %+.1f)",
			   date, (double)days[biggest].revenue_cents / 100.0,
			   days[biggest].baseline_cents / 100.0, days[biggest].z);
	}
	buf_putc(summary, '\n');
}

int model_anomalies(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		    struct error *err)
{
	struct sales_day *days = NULL;
	size_t n = 0, flagged = 0;
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	const struct order_book *book = NULL;
	int rc = model_book_borrow(db, opt, &book, err);
	if (rc == 0)
		read_days(book, &days, &n);
	model_book_return(opt, book);
	if (rc < 0)
		goto done;
	if (n == 0) { /* nothing sold: no series to judge, nothing to change */
		buf_puts(summary, "anomalies: skipped: no completed orders\n");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto done;
	}
	anomalies_judge(days, n);
	for (size_t i = 0; i < n; i++)
		flagged += days[i].flagged != 0;
	if ((rc = write_days(db, days, n, err)) < 0 ||
	    (rc = figures_clear(db, "anomalies", err)) < 0 ||
	    (rc = figures_put(db, "anomalies", "flagged_days", (double)flagged,
			      "days with |robust z| >= 3.5 against the 28 trading days before",
			      err)) < 0 ||
	    (rc = figures_put(db, "anomalies", "days", (double)n, "calendar days in the series",
			      err)) < 0 ||
	    (rc = db_exec(db, "COMMIT", err)) < 0)
		goto done;
	summarise(days, n, summary);
done:
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	free(days);
	return rc;
}
