/* anomalies: the daily series summed from the order book, closed weekdays, the robust z
 * of each day's revenue and of its orders, and daily_sales. */
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

/* The least σ of a day's revenue: the spread of a sum of orders arriving at random,
 * sqrt(Σ order value² / days), over the window's days. */
static double order_noise(const double *order_squares, size_t days)
{
	double sum = 0.0;
	for (size_t i = 0; i < days; i++)
		sum += order_squares[i];
	return sqrt(sum / (double)days);
}

/* A count of orders on the scale where random arrivals have a standard deviation of 1
 * (Anscombe's transform of a Poisson count). */
static double count_scale(double orders)
{
	return 2.0 * sqrt(orders + 0.375);
}

/* The trailing window of trading days, for the revenue. */
struct revenue_window {
	double revenue[ROBUST_ROLLING_WINDOW];
	double squares[ROBUST_ROLLING_WINDOW]; /* the days' Σ order value² */
	size_t filled, next;
};

static void judge_revenue(struct revenue_window *w, struct sales_day *d)
{
	double revenue = (double)d->revenue_cents;
	if (w->filled >= ANOMALY_MIN_HISTORY) {
		struct robust_baseline base = robust_baseline_of(w->revenue, w->filled);
		d->judged = 1;
		d->baseline_cents = base.median;
		d->z = robust_z_at_least(&base, revenue, order_noise(w->squares, w->filled));
	}
	w->revenue[w->next] = revenue;
	w->squares[w->next] = d->order_squares;
	w->next = (w->next + 1) % ROBUST_ROLLING_WINDOW;
	if (w->filled < ROBUST_ROLLING_WINDOW)
		w->filled++;
}

/* The same weekday's last weeks, for the orders. */
struct weekday_window {
	double orders[ANOMALY_ORDER_WEEKS];
	size_t filled, next;
};

static void judge_orders(struct weekday_window *w, struct sales_day *d)
{
	if (w->filled >= ANOMALY_MIN_WEEKS) {
		double scaled[ANOMALY_ORDER_WEEKS];
		for (size_t i = 0; i < w->filled; i++)
			scaled[i] = count_scale(w->orders[i]);
		struct robust_baseline base = robust_baseline_of(scaled, w->filled);
		d->orders_judged = 1;
		d->orders_baseline = robust_median(w->orders, w->filled);
		d->orders_z = robust_z_at_least(&base, count_scale(d->orders), 1.0);
	}
	w->orders[w->next] = d->orders;
	w->next = (w->next + 1) % ANOMALY_ORDER_WEEKS;
	if (w->filled < ANOMALY_ORDER_WEEKS)
		w->filled++;
}

/* Whether a z (0 for a day not judged) is large enough to flag the day. */
static int unusual(double z)
{
	return fabs(z) >= ANOMALY_Z_THRESHOLD;
}

/* Flags the day when either z is large enough; its direction is the larger one's. */
static void decide(struct sales_day *d)
{
	d->flagged = unusual(d->z) || unusual(d->orders_z);
	double larger = fabs(d->z) >= fabs(d->orders_z) ? d->z : d->orders_z;
	d->direction = d->flagged ? (larger > 0 ? 1 : -1) : 0;
}

void anomalies_judge(struct sales_day *days, size_t n)
{
	mark_closed_weekdays(days, n);
	struct revenue_window revenue;
	struct weekday_window weekdays[7];
	memset(&revenue, 0, sizeof revenue);
	memset(weekdays, 0, sizeof weekdays);
	for (size_t i = 0; i < n; i++) {
		struct sales_day *d = &days[i];
		d->judged = d->orders_judged = d->flagged = d->direction = 0;
		d->z = d->baseline_cents = d->orders_z = d->orders_baseline = 0.0;
		if (!d->trading)
			continue;
		judge_revenue(&revenue, d);
		judge_orders(&weekdays[day_of_week(d->day)], d);
		decide(d);
	}
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
		int64_t value = 0;
		for (uint32_t i = 0; i < order->line_count; i++)
			value += book->lines[order->first_line + i].line_total_cents;
		d->revenue_cents += value;
		d->order_squares += (double)value * (double)value;
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
			   " z, flagged, direction, orders_baseline, orders_z)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
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
			sqlite3_bind_text(stmt, 7, d->direction > 0 ? "up" : "down", -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(stmt, 7);
		if (d->orders_judged) {
			sqlite3_bind_double(stmt, 8, d->orders_baseline);
			sqlite3_bind_double(stmt, 9, d->orders_z);
		} else {
			sqlite3_bind_null(stmt, 8);
			sqlite3_bind_null(stmt, 9);
		}
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing daily_sales");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	return rc;
}

static const char *const weekday_names[7] = {
	"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"};

/* The flagged day whose z (of the revenue, or of the orders) is largest in size, or n. */
static size_t largest(const struct sales_day *days, size_t n, int of_orders)
{
	size_t best = n;
	double best_size = 0.0;
	for (size_t i = 0; i < n; i++) {
		double z = of_orders ? days[i].orders_z : days[i].z;
		if (unusual(z) && fabs(z) > best_size) {
			best = i;
			best_size = fabs(z);
		}
	}
	return best;
}

static void summarise(const struct sales_day *days, size_t n, struct buf *summary)
{
	size_t trading = 0, up = 0, down = 0, by_revenue = 0, by_orders = 0;
	int closed[7] = {0};
	for (size_t i = 0; i < n; i++) {
		const struct sales_day *d = &days[i];
		trading += d->trading != 0;
		closed[day_of_week(d->day)] = !d->trading;
		up += d->direction > 0;
		down += d->direction < 0;
		by_revenue += unusual(d->z);
		by_orders += unusual(d->orders_z);
	}
	buf_printf(summary, "anomalies: %zu days, %zu of them trading days", n, trading);
	for (int w = 0; w < 7; w++)
		if (closed[w])
			buf_printf(summary, " (%s closed)", weekday_names[w]);
	buf_printf(summary, "; %zu flagged (%zu up, %zu down): %zu by revenue, %zu by orders",
		   up + down, up, down, by_revenue, by_orders);
	char date[11];
	size_t r = largest(days, n, 0), o = largest(days, n, 1);
	if (r < n) {
		day_to_text(days[r].day, date);
		buf_printf(summary, "; the largest on %s: %.0f against a usual %.0f (z %+.1f)",
			   date, (double)days[r].revenue_cents / 100.0,
			   days[r].baseline_cents / 100.0, days[r].z);
	}
	if (o < n) {
		day_to_text(days[o].day, date);
		buf_printf(summary, "; in orders, the largest on %s: %d against a usual %.0f"
				    " (z %+.1f)",
			   date, days[o].orders, days[o].orders_baseline, days[o].orders_z);
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
			      "days whose revenue (against the 28 trading days before) or orders"
			      " (against the same weekday of 8 weeks) have |robust z| >= 3.5",
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
