/* page_funnel: the Funnel page, one per period, from the web events: how many visits
 * went on to view a product, add to cart, start checkout and buy; the share of visits
 * that bought, day by day; and the most viewed products with how often a view turned
 * into a purchase. Without events it is one page saying how to load them.
 *
 * The one idea: a session counts at every step it reached or went past. A session
 * that bought without an add-to-cart event (some shops log none) still added to cart
 * in the funnel's sense, so each step holds no more sessions than the one before.
 * Steps whose event type never occurs in the data are left out and the page says so,
 * rather than showing a step every buyer seems to pass. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/build_internal.h"
#include "util/xalloc.h"

#define TOP_VIEWED 15 /* rows of the most-viewed products table */
/* Events flagged EVENT_TIME_IN_FUTURE by clean (src/clean/clean.h) are left out. */
#define EVENT_USABLE_SQL "flags & 2 = 0"

/* The steps of a visit, in order; step 0 is the visit itself. */
enum { STEP_VISIT, STEP_VIEW, STEP_CART, STEP_CHECKOUT, STEP_PURCHASE, STEP_COUNT };

static const struct {
	const char *event_type; /* as clean writes it; NULL for the visit */
	const char *name;       /* in the shop's words */
	const char *column;     /* of the stage counts query */
} steps[STEP_COUNT] = {
	{NULL, "Visits", "visits"},
	{"view", "Viewed a product", "viewed"},
	{"cart", "Added to cart", "carted"},
	{"checkout", "Started checkout", "checked_out"},
	{"purchase", "Bought", "bought"},
};

#define STEP_OF_SQL(type)                                                                \
	"CASE " type " WHEN 'view' THEN 1 WHEN 'cart' THEN 2 WHEN 'checkout' THEN 3"     \
	" WHEN 'purchase' THEN 4 ELSE 0 END"

/* What the whole events table holds: which steps it logs, its span, events without a
 * session. */
static const char inventory_sql[] =
	"SELECT count(*) AS events, max(event_type = 'view') AS has_view,"
	" max(event_type = 'cart') AS has_cart, max(event_type = 'checkout') AS has_checkout,"
	" max(event_type = 'purchase') AS has_purchase,"
	" min(event_time) AS first, max(event_time) AS last,"
	" datetime(date(max(event_time)), '+1 day') AS end"
	" FROM events WHERE " EVENT_USABLE_SQL;

static const char drop_sql[] = "DROP TABLE IF EXISTS temp.funnel_page_sessions";

/* One row per session of the period: when it started, the furthest step it reached,
 * and the steps it logged on the way. */
static const char sessions_sql[] =
	"CREATE TEMP TABLE funnel_page_sessions AS"
	" SELECT session_id, min(event_time) AS started,"
	"  max(" STEP_OF_SQL("event_type") ") AS reached,"
	"  max(event_type = 'cart') AS carted, max(event_type = 'checkout') AS checked_out"
	" FROM events WHERE event_time >= ?1 AND event_time < ?2 AND " EVENT_USABLE_SQL
	"  AND session_id IS NOT NULL"
	" GROUP BY session_id";

static const char stages_sql[] =
	"SELECT count(*) AS visits, coalesce(sum(reached >= 1), 0) AS viewed,"
	" coalesce(sum(reached >= 2), 0) AS carted, coalesce(sum(reached >= 3), 0) AS checked_out,"
	" coalesce(sum(reached >= 4), 0) AS bought,"
	" coalesce(sum(reached >= 3 AND NOT carted), 0) AS skipped_cart,"
	" coalesce(sum(reached >= 4 AND NOT checked_out), 0) AS skipped_checkout,"
	" min(started) AS first, max(started) AS last,"
	" julianday(substr(max(started), 1, 10)) - julianday(substr(min(started), 1, 10)) + 1"
	"  AS days,"
	" (SELECT count(*) FROM events WHERE event_time >= ?1 AND event_time < ?2"
	"   AND " EVENT_USABLE_SQL " AND session_id IS NULL) AS sessionless"
	" FROM temp.funnel_page_sessions";

/* Share of visits that bought, per day from ?1 to ?2, over the ?3 + 1 days to each day
 * (a trailing window, so a quiet day does not swing the line). */
static const char daily_sql[] =
	"WITH RECURSIVE days(d) AS (SELECT date(?1) UNION ALL"
	"   SELECT date(d, '+1 day') FROM days WHERE d < date(?2)),"
	" per_day AS (SELECT substr(started, 1, 10) AS d, count(*) AS visits,"
	"   sum(reached >= 4) AS buyers FROM temp.funnel_page_sessions GROUP BY 1),"
	" rolled AS (SELECT days.d AS d, sum(coalesce(visits, 0)) OVER w AS visits,"
	"   sum(coalesce(buyers, 0)) OVER w AS buyers"
	"   FROM days LEFT JOIN per_day USING (d)"
	"   WINDOW w AS (ORDER BY days.d ROWS BETWEEN ?3 PRECEDING AND CURRENT ROW))"
	" SELECT d AS day, CAST(julianday(d) - 2440587.5 AS INTEGER) AS daynum,"
	"  CASE WHEN visits > 0 THEN buyers * 1.0 / visits END AS rate"
	" FROM rolled ORDER BY d";

/* The same per hour, for events that span a day or two. */
static const char hourly_sql[] =
	"WITH RECURSIVE hours(h) AS (SELECT strftime('%Y-%m-%d %H:00:00', ?1) UNION ALL"
	"   SELECT datetime(h, '+1 hour') FROM hours WHERE h < strftime('%Y-%m-%d %H:00:00', ?2)),"
	" per_hour AS (SELECT strftime('%Y-%m-%d %H:00:00', started) AS h, count(*) AS visits,"
	"   sum(reached >= 4) AS buyers FROM temp.funnel_page_sessions GROUP BY 1)"
	" SELECT ltrim(strftime('%d', h), '0') || ' '"
	"  || substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * CAST(strftime('%m', h) AS INTEGER)"
	"   - 2, 3) || ' ' || strftime('%H:00', h) AS hour,"
	"  CASE WHEN visits > 0 THEN buyers * 1.0 / visits END AS rate"
	" FROM hours LEFT JOIN per_hour USING (h) ORDER BY h";

/* The most viewed products: sessions that viewed each (or went further with it) and
 * of those, the ones that bought it. */
static const char products_sql[] =
	"WITH per AS (SELECT product_id, session_id, max(event_type = 'purchase') AS bought"
	"   FROM events WHERE event_time >= ?1 AND event_time < ?2 AND " EVENT_USABLE_SQL
	"   AND session_id IS NOT NULL AND product_id IS NOT NULL"
	"   AND event_type IN ('view', 'cart', 'checkout', 'purchase')"
	"   GROUP BY product_id, session_id)"
	" SELECT row_number() OVER (ORDER BY count(*) DESC, sum(bought) DESC, per.product_id)"
	"  AS rank, per.product_id, coalesce(p.name, per.product_id) AS name,"
	"  count(*) AS viewed, sum(bought) AS bought, sum(bought) * 1.0 / count(*) AS rate"
	" FROM per LEFT JOIN products p ON p.product_id = per.product_id"
	" GROUP BY per.product_id ORDER BY rank LIMIT ?3";

/* What one period's page is filled from. */
struct funnel_ctx {
	struct build *b;
	const struct period *p;
	const struct value *inventory; /* the row of inventory_sql */
	struct value *data;            /* the page's template data */
	struct value *stages;          /* the row of stages_sql */
};

static void percent_text(double share, struct buf *out)
{
	static const struct chart_format pct = {CHART_PERCENT, NULL, 1};
	chart_format_value(&pct, share, CHART_FMT_MINUS, out);
}

static int step_logged(const struct value *inventory, int step)
{
	static const char *const keys[STEP_COUNT] = {NULL, "has_view", "has_cart",
						     "has_checkout", "has_purchase"};
	return step == STEP_VISIT || value_number_of(inventory, keys[step], 0) > 0;
}

static void add_note(struct funnel_ctx *f, const char *text)
{
	struct value *notes = (struct value *)value_map_get(f->data, "notes");
	if (!notes)
		notes = value_map_add_list(f->data, "notes");
	value_list_push(notes, value_string_new(text));
}

/* Says how sessions that skipped a logged step, missing steps and events without a
 * session were counted. */
static void add_counting_notes(struct funnel_ctx *f)
{
	struct buf t = BUF_INIT;
	double skipped_cart = value_number_of(f->stages, "skipped_cart", 0);
	double skipped_checkout = value_number_of(f->stages, "skipped_checkout", 0);
	double sessionless = value_number_of(f->stages, "sessionless", 0);
	if (step_logged(f->inventory, STEP_CART) && skipped_cart > 0) {
		build_count(skipped_cart, &t);
		buf_puts(&t, skipped_cart == 1 ? " session" : " sessions");
		buf_puts(&t, " went to checkout or bought without an add-to-cart event; the funnel"
			     " counts them as having added to cart.");
		add_note(f, buf_str(&t));
	}
	if (step_logged(f->inventory, STEP_CHECKOUT) && skipped_checkout > 0) {
		buf_reset(&t);
		build_count(skipped_checkout, &t);
		buf_puts(&t, skipped_checkout == 1 ? " session" : " sessions");
		buf_puts(&t, " bought without a checkout event; the funnel counts them as having"
			     " started checkout.");
		add_note(f, buf_str(&t));
	}
	for (int step = STEP_VIEW; step < STEP_COUNT; step++)
		if (!step_logged(f->inventory, step)) {
			buf_reset(&t);
			buf_printf(&t, "The events hold no '%s' step, so the funnel leaves out"
				       " \"%s\".", steps[step].event_type, steps[step].name);
			add_note(f, buf_str(&t));
		}
	if (sessionless > 0) {
		buf_reset(&t);
		build_count(sessionless, &t);
		buf_puts(&t, sessionless == 1 ? " event has" : " events have");
		buf_puts(&t, " no session id and are not counted.");
		add_note(f, buf_str(&t));
	}
	buf_free(&t);
}

static int add_funnel_chart(struct funnel_ctx *f, struct error *err)
{
	const char *names[STEP_COUNT];
	double counts[STEP_COUNT];
	size_t n = 0;
	for (int step = 0; step < STEP_COUNT; step++)
		if (step_logged(f->inventory, step)) {
			names[n] = steps[step].name;
			counts[n++] = value_number_of(f->stages, steps[step].column, 0);
		}
	double visits = counts[0], last = counts[n - 1];
	struct buf sub = BUF_INIT;
	buf_puts(&sub, "Visits that reached each step or went past it; ");
	percent_text(visits > 0 ? last / visits : 0, &sub);
	if (step_logged(f->inventory, STEP_PURCHASE))
		buf_puts(&sub, " of visits ended in a purchase");
	else
		buf_printf(&sub, " of visits got as far as \"%s\"", names[n - 1]);
	struct chart_series series = {"Visits", counts, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_FUNNEL, .title = "From visit to purchase", .subtitle = buf_str(&sub),
		.source = "Source: web events, grouped by session",
		.format = {CHART_NUMBER, NULL, 0}, .point_count = n, .categories = names,
		.series = &series, .series_count = 1,
	};
	char stem[64];
	snprintf(stem, sizeof stem, "funnel-steps-%s", f->p->slug);
	int rc = build_chart(f->b, &spec, stem, value_map_add_map(f->data, "funnel"), err);
	buf_free(&sub);
	return rc;
}

/* Days in the trailing window of the conversion line: the fewest of 1, 7 and 28 that
 * hold about 50 visits on an average day, so the line shows a trend rather than noise,
 * but no more than a quarter of the days shown. */
static int window_days(double visits, double days)
{
	static const int windows[] = {1, 7, 28};
	double per_day = days > 0 ? visits / days : 0;
	int chosen = 1;
	for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
		if (windows[i] > 1 && windows[i] > days / 4)
			break;
		chosen = windows[i];
		if (per_day * windows[i] >= 50)
			break;
	}
	return chosen;
}

static int add_daily_chart(struct funnel_ctx *f, struct value *section, struct error *err)
{
	const char *first = value_string_of(f->stages, "first", f->p->start);
	const char *last = value_string_of(f->stages, "last", f->p->start);
	double visits = value_number_of(f->stages, "visits", 0);
	double days = value_number_of(f->stages, "days", 1);
	int window = window_days(visits, days);
	struct value *rows = value_list_new();
	int rc = query_rows(f->b->db, daily_sql,
			    (struct query_arg[]){ARG_TEXT(first), ARG_TEXT(last), ARG_NUM(window - 1)},
			    3, rows, err);
	size_t n = rows->as.list.len;
	double *rate = query_numbers(rows, "rate"), *daynum = query_numbers(rows, "daynum");
	int32_t *day_numbers = xmalloc((n ? n : 1) * sizeof *day_numbers);
	for (size_t i = 0; i < n; i++)
		day_numbers[i] = (int32_t)daynum[i];
	struct buf sub = BUF_INIT;
	if (window == 1)
		buf_puts(&sub, "Share of each day's visits that ended in a purchase");
	else
		buf_printf(&sub, "Share of visits that ended in a purchase, over the %d days to"
				 " each day", window);
	struct chart_series series = {"Conversion", rate, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_LINE, .title = "Conversion by day", .subtitle = buf_str(&sub),
		.source = "Source: web events; a visit counts on the day it started",
		.format = {CHART_PERCENT, NULL, 1}, .point_count = n, .days = day_numbers,
		.series = &series, .series_count = 1,
	};
	char stem[64];
	snprintf(stem, sizeof stem, "funnel-conversion-%s", f->p->slug);
	if (rc == 0)
		rc = build_chart(f->b, &spec, stem, value_map_add_map(section, "chart"), err);
	buf_free(&sub);
	free(rate);
	free(daynum);
	free(day_numbers);
	value_free(rows);
	return rc;
}

/* For events of a day or two: conversion hour by hour. */
static int add_hourly_chart(struct funnel_ctx *f, struct value *section, struct error *err)
{
	struct value *rows = value_list_new();
	int rc = query_rows(f->b->db, hourly_sql,
			    (struct query_arg[]){ARG_TEXT(value_string_of(f->stages, "first", "")),
						 ARG_TEXT(value_string_of(f->stages, "last", ""))},
			    2, rows, err);
	size_t n = rows->as.list.len;
	double *rate = query_numbers(rows, "rate");
	const char **hours = query_labels(rows, "hour");
	struct chart_series series = {"Conversion", rate, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_LINE, .title = "Conversion by hour",
		.subtitle = "Share of each hour's visits that ended in a purchase; the events"
			    " cover less than three days",
		.source = "Source: web events; a visit counts in the hour it started",
		.format = {CHART_PERCENT, NULL, 1}, .point_count = n, .categories = hours,
		.series = &series, .series_count = 1,
	};
	char stem[64];
	snprintf(stem, sizeof stem, "funnel-conversion-%s", f->p->slug);
	if (rc == 0)
		rc = build_chart(f->b, &spec, stem, value_map_add_map(section, "chart"), err);
	free(rate);
	free(hours);
	value_free(rows);
	return rc;
}

static int add_conversion(struct funnel_ctx *f, struct error *err)
{
	struct value *section = value_map_add_map(f->data, "conversion_chart");
	if (!step_logged(f->inventory, STEP_PURCHASE)) {
		value_map_set_bool(section, "no_purchases", 1);
		return 0;
	}
	if (value_number_of(f->stages, "days", 0) < 3)
		return add_hourly_chart(f, section, err);
	return add_daily_chart(f, section, err);
}

static int add_products(struct funnel_ctx *f, struct error *err)
{
	struct value *rows = value_map_add_list(f->data, "products");
	int rc = query_rows(f->b->db, products_sql,
			    (struct query_arg[]){ARG_TEXT(f->p->start), ARG_TEXT(f->p->end),
						 ARG_NUM(TOP_VIEWED)},
			    3, rows, err);
	struct buf t = BUF_INIT;
	for (size_t i = 0; rc == 0 && i < rows->as.list.len; i++) {
		struct value *row = rows->as.list.items[i];
		buf_reset(&t);
		build_count(value_number_of(row, "viewed", 0), &t);
		value_map_set_str(row, "viewed_text", buf_str(&t));
		buf_reset(&t);
		build_count(value_number_of(row, "bought", 0), &t);
		value_map_set_str(row, "bought_text", buf_str(&t));
		buf_reset(&t);
		percent_text(value_number_of(row, "rate", 0), &t);
		value_map_set_str(row, "rate_text", buf_str(&t));
	}
	value_map_set_bool(f->data, "has_products", rows->as.list.len > 0);
	buf_free(&t);
	return rc;
}

/* The page's facts in words: the headline figures above the charts. */
static void add_summary(struct funnel_ctx *f)
{
	struct buf t = BUF_INIT;
	double visits = value_number_of(f->stages, "visits", 0);
	double bought = value_number_of(f->stages, "bought", 0);
	build_count(visits, &t);
	value_map_set_str(f->data, "visits", buf_str(&t));
	if (step_logged(f->inventory, STEP_PURCHASE)) {
		buf_reset(&t);
		build_count(bought, &t);
		value_map_set_str(f->data, "buyers", buf_str(&t));
		buf_reset(&t);
		percent_text(visits > 0 ? bought / visits : 0, &t);
		value_map_set_str(f->data, "conversion_rate", buf_str(&t));
	}
	buf_free(&t);
}

/* 1 when the events loaded begin after the period's first day or end before its last:
 * the funnel then tells of part of the period only. */
static int events_cover_part(const struct funnel_ctx *f)
{
	const char *first = value_string_of(f->inventory, "first", "");
	const char *last = value_string_of(f->inventory, "last", "");
	return strncmp(first, f->p->first_day, 10) > 0 || strncmp(last, f->p->last_day, 10) < 0;
}

static int fill_page(struct funnel_ctx *f, struct error *err)
{
	const struct query_arg span[] = {ARG_TEXT(f->p->start), ARG_TEXT(f->p->end)};
	/* CREATE TABLE ... AS returns no rows: nothing is added to the NULL list. */
	int rc = query_rows(f->b->db, sessions_sql, span, 2, NULL, err);
	if (rc == 0)
		rc = query_row(f->b->db, stages_sql, span, 2, f->stages, err);
	int any = value_number_of(f->stages, "visits", 0) > 0;
	value_map_set_bool(f->data, "has_events", 1);
	value_map_set_bool(f->data, "has_visits", any);
	value_map_set_str(f->data, "events_first",
			  value_string_of(f->inventory, "first", ""));
	value_map_set_str(f->data, "events_last", value_string_of(f->inventory, "last", ""));
	if (rc < 0 || !any)
		return rc;
	value_map_set_bool(f->data, "events_partial", events_cover_part(f));
	add_summary(f);
	add_counting_notes(f);
	rc = add_funnel_chart(f, err);
	if (rc == 0)
		rc = add_conversion(f, err);
	if (rc == 0)
		rc = add_products(f, err);
	return rc;
}

static int drop_sessions(struct build *b, struct error *err)
{
	if (sqlite3_exec(b->db, drop_sql, NULL, NULL, NULL) != SQLITE_OK)
		return error_set(err, ERR_SYSTEM, "funnel page: %s", sqlite3_errmsg(b->db));
	return 0;
}

static int period_page(struct build *b, const struct period *p, const struct value *inventory,
		       struct error *err)
{
	struct funnel_ctx f = {b, p, inventory, value_map_new(), value_map_new()};
	int rc = drop_sessions(b, err);
	if (rc == 0)
		rc = fill_page(&f, err);
	int dropped = drop_sessions(b, rc == 0 ? err : NULL);
	if (rc == 0)
		rc = dropped;
	value_free(f.stages);
	if (rc < 0) {
		value_free(f.data);
		return rc;
	}
	char path[64];
	period_page_name("funnel", p, path, sizeof path);
	return build_page(b, "funnel", path, "funnel", p, f.data, err);
}

/* The span of the events, for a warehouse that has events but no sales (and so no
 * periods of its own). */
static void events_period(const struct value *inventory, struct period *p)
{
	memset(p, 0, sizeof *p);
	p->slug = "all";
	p->label = "All time";
	snprintf(p->start, sizeof p->start, "%s", value_string_of(inventory, "first", ""));
	snprintf(p->end, sizeof p->end, "%s", value_string_of(inventory, "end", ""));
	snprintf(p->first_day, sizeof p->first_day, "%.10s", p->start);
	snprintf(p->last_day, sizeof p->last_day, "%.10s",
		 value_string_of(inventory, "last", ""));
}

int page_funnel(struct build *b, struct error *err)
{
	assert(b->period_count >= 0 && b->period_count <= PERIOD_COUNT);
	struct value *inventory = value_map_new();
	int rc = query_row(b->db, inventory_sql, NULL, 0, inventory, err);
	if (rc == 0 && value_number_of(inventory, "events", 0) == 0) {
		struct value *data = value_map_new();
		value_map_set_bool(data, "has_events", 0);
		rc = build_page(b, "funnel", "funnel.html", "funnel", NULL, data, err);
	} else if (rc == 0 && b->period_count == 0) {
		struct period all;
		events_period(inventory, &all);
		rc = period_page(b, &all, inventory, err);
	} else {
		for (int i = 0; rc == 0 && i < b->period_count; i++)
			rc = period_page(b, &b->periods[i], inventory, err);
	}
	value_free(inventory);
	return rc;
}
