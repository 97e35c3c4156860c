/* test_page_sales: the Sales and Funnel pages, built from small warehouses made here:
 * a page per period, figures that agree with SQL the test runs on the typed tables
 * itself, charts that decode as PNGs of the size the page states, CSV links that
 * resolve, notes naming the column a missing section needs, and "no data" pages
 * instead of broken charts. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <gd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/build.h"
#include "report/chart.h"
#include "temp_warehouse.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* The test shop's last sale is on 2024-06-30, so periods end at 2024-07-01. */
#define END "2024-07-01 00:00:00"
#define START_30D "2024-06-01 00:00:00"

static const char *const countries[] = {
	"United States", "United Kingdom", "Germany", "France", "Spain", "Italy",
	"Canada", "Australia", "Japan", "Norway", "Sweden", "Denmark",
	"Poland", "Austria", "Belgium", "Ireland", "Portugal", "Finland",
};
#define COUNTRIES (sizeof countries / sizeof countries[0])

/* The built sites: a full shop, a bare one (no channel, payment, category, profit,
 * discount or events) and an empty warehouse. */
static char full_out[64], bare_out[64], empty_out[64];
static sqlite3 *full_db, *bare_db, *empty_db;
static char full_path[64], bare_path[64], empty_path[64];

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "test setup: %s\n  in %s\n", msg, sql);
		exit(2);
	}
}

/* A catalog of 24 products in three categories of two sub-categories each; the kites
 * always sell at a loss. */
static void add_products(sqlite3 *db)
{
	static const char *const cats[][3] = {{"Garden", "Tools", "Seeds"},
					      {"Kitchen", "Mugs", "Pans"},
					      {"Toys", "Puzzles", "Kites"}};
	struct buf sql = BUF_INIT;
	for (int i = 1; i <= 24; i++)
		buf_printf(&sql, "INSERT INTO products (product_id, name, category, subcategory)"
				 " VALUES ('P%02d', 'Lantern %02d', '%s', '%s');",
			   i, i, cats[i % 3][0], cats[i % 3][1 + (i / 3) % 2]);
	exec(db, buf_str(&sql));
	buf_free(&sql);
}

/* 720 orders from 2023-01-12 to 2024-06-30 with one or two lines each; whole-dollar
 * line totals. full: with channel, payment method, discount and profit. Also one
 * cancelled order and one flagged line, which the pages must leave out. */
static void add_orders(sqlite3 *db, int full)
{
	static const char *const channels[] = {"web", "mobile", "store"};
	static const char *const payments[] = {"card", "paypal", "gift_card", "card"};
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "BEGIN;");
	for (int i = 0; i < 720; i++) {
		int day = i * 535 / 719; /* 0 .. 535 days after 2023-01-12 */
		const char *country = countries[(i * 7 + i / 40) % COUNTRIES];
		buf_printf(&sql, "INSERT INTO orders (order_id, customer_id, order_time, country,"
				 " channel, payment_method) VALUES ('O%04d', 'C%03d',"
				 " datetime('2023-01-12 10:00:00', '+%d days', '+%d minutes'), '%s',"
				 " %s%s%s, %s%s%s);",
			   i, i % 150, day, i % 600, country, full ? "'" : "",
			   full ? channels[i % 3] : "NULL", full ? "'" : "", full ? "'" : "",
			   full ? payments[i % 4] : "NULL", full ? "'" : "");
		for (int line = 1; line <= 1 + i % 2; line++) {
			int product = 1 + (i * 5 + line * 11) % 24;
			int qty = 1 + (i + line) % 3;
			int price = 10 * (1 + (i * 3 + product) % 7); /* $10 .. $70 */
			double discount = 0.1 * ((i + line) % 6);     /* 0% .. 50% */
			long long total = (long long)llround(qty * price * (1 - discount)) * 100;
			long long profit = llround(total * (0.3 - discount));
			if (product % 3 == 2 && (product / 3) % 2 == 1) /* a kite */
				profit = -llabs(profit) - 100;
			buf_printf(&sql, "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
					 " unit_price_cents, line_total_cents, discount, profit_cents)"
					 " VALUES ('O%04d', %d, 'P%02d', %d, %d, %lld, ",
				   i, line, product, qty, price * 100, total);
			if (full)
				buf_printf(&sql, "%.1f, %lld);", discount, profit);
			else
				buf_puts(&sql, "NULL, NULL);");
		}
	}
	buf_puts(&sql, "INSERT INTO orders (order_id, order_time, status, country)"
		       " VALUES ('X1', '2024-06-20 12:00:00', 'cancelled', 'Norway');"
		       "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
		       " unit_price_cents, line_total_cents) VALUES ('X1', 1, 'P01', 1, 9900000, 9900000);"
		       "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
		       " unit_price_cents, line_total_cents, flags)"
		       " VALUES ('O0719', 9, 'P02', 1, 8800000, 8800000, 1);"
		       "COMMIT;");
	exec(db, buf_str(&sql));
	buf_free(&sql);
}

/* 60 sessions in June 2024, six kinds: view; view, cart; view, cart, checkout; all four
 * steps; a purchase alone; view then purchase. Plus events without a session. */
static void add_events(sqlite3 *db)
{
	static const char *const kinds[6] = {"view", "view cart", "view cart checkout",
					     "view cart checkout purchase", "purchase",
					     "view purchase"};
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "BEGIN;");
	for (int s = 0; s < 60; s++) {
		char steps[64];
		snprintf(steps, sizeof steps, "%s", kinds[s % 6]);
		int minute = 0;
		for (char *type = strtok(steps, " "); type; type = strtok(NULL, " "))
			buf_printf(&sql, "INSERT INTO events (event_time, event_type, session_id,"
					 " product_id) VALUES (datetime('2024-06-01 09:00:00',"
					 " '+%d days', '+%d minutes'), '%s', 'S%02d', 'P%02d');",
				   s / 2, minute++, type, s, 1 + s % 4);
	}
	buf_puts(&sql, "INSERT INTO events (event_time, event_type, product_id) VALUES"
		       " ('2024-06-10 10:00:00', 'view', 'P01'),"
		       " ('2024-06-10 10:01:00', 'view', 'P02'),"
		       " ('2024-06-10 10:02:00', 'purchase', 'P02');"
		       "COMMIT;");
	exec(db, buf_str(&sql));
	buf_free(&sql);
}

static int build_into(sqlite3 *db, char out[64])
{
	strcpy(out, "/tmp/cartograph-sales-XXXXXX");
	if (!mkdtemp(out))
		return -1;
	struct build_options opt = {out, "templates", "$", "/cgi-bin/shop.cgi", "recs", NULL, NULL};
	struct build_summary summary;
	struct error err;
	if (build_site(db, &opt, &summary, &err) < 0) {
		fprintf(stderr, "build: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* ---- reading what was built ---- */

static char *slurp(const char *dir, const char *rel, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	if (!b.data)
		buf_puts(&b, "");
	return buf_detach(&b);
}

/* The asset of a chart named stem with extension ext ("charts/stem.1a2b3c4d.csv"), as
 * linked from html; NULL when the page does not link it. */
static char *asset_of(const char *html, const char *stem, const char *ext)
{
	char needle[160];
	snprintf(needle, sizeof needle, "\"charts/%s.", stem);
	for (const char *at = strstr(html, needle); at; at = strstr(at + 1, needle)) {
		const char *end = strchr(at + 1, '"');
		size_t n = (size_t)(end - at - 1);
		if (end && n > strlen(ext) && strncmp(end - strlen(ext), ext, strlen(ext)) == 0) {
			char *out = xmalloc(n + 1);
			memcpy(out, at + 1, n);
			out[n] = '\0';
			return out;
		}
	}
	return NULL;
}

/* The CSV behind a chart of page (in dir), or NULL. */
static char *chart_csv(const char *dir, const char *page, const char *stem)
{
	char *html = slurp(dir, page, NULL);
	char *href = html ? asset_of(html, stem, ".csv") : NULL;
	char *csv = href ? slurp(dir, href, NULL) : NULL;
	free(html);
	free(href);
	return csv;
}

/* The number in the second column of the CSV row whose first cell is label; NaN when
 * there is no such row. */
static double csv_number(const char *csv, const char *label)
{
	size_t n = strlen(label);
	for (const char *line = csv; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, label, n) == 0 && line[n] == ',')
			return strtod(line + n + 1, NULL);
	}
	return NAN;
}

static int csv_rows(const char *csv)
{
	int rows = -1; /* the header */
	for (const char *c = csv; *c; c++)
		rows += *c == '\n';
	return rows;
}

/* A whole-dollar amount as the page writes it: "$12,345". */
static void dollars(long long cents, char *out, size_t size)
{
	long long d = cents / 100;
	if (d >= 1000000)
		snprintf(out, size, "$%lld,%03lld,%03lld", d / 1000000, d / 1000 % 1000, d % 1000);
	else if (d >= 1000)
		snprintf(out, size, "$%lld,%03lld", d / 1000, d % 1000);
	else
		snprintf(out, size, "$%lld", d);
}

static long long sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *const periods[] = {"", "-365d", "-90d", "-30d"};
static const char *const slugs[] = {"all", "365d", "90d", "30d"};

/* ---- the sales page ---- */

static void test_sales_page_exists_for_every_period(void)
{
	for (int i = 0; i < 4; i++) {
		char page[64];
		snprintf(page, sizeof page, "sales%s.html", periods[i]);
		char *html = slurp(full_out, page, NULL);
		CHECK(html != NULL);
		if (!html)
			continue;
		CHECK(strstr(html, "<h1>Sales</h1>"));
		CHECK(strstr(html, "href=\"sales-90d.html\""));    /* the period switcher */
		CHECK(strstr(html, "href=\"funnel.html\""));       /* the navigation */
		free(html);
	}
}

/* Revenue per country of the period from the typed tables, biggest first. */
static sqlite3_stmt *country_revenue(sqlite3 *db, const char *start)
{
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(db,
			   "SELECT o.country, sum(i.line_total_cents) FROM order_items i"
			   " JOIN orders o ON o.order_id = i.order_id"
			   " WHERE i.flags = 0 AND o.status = 'completed' AND o.order_time >= ?1"
			   "  AND o.order_time < '" END "'"
			   " GROUP BY 1 ORDER BY 2 DESC, 1",
			   -1, &st, NULL);
	sqlite3_bind_text(st, 1, start, -1, SQLITE_STATIC);
	return st;
}

static void check_places(const char *page, const char *slug, const char *start)
{
	char stem[64];
	snprintf(stem, sizeof stem, "sales-places-%s", slug);
	char *csv = chart_csv(full_out, page, stem);
	CHECK(csv != NULL);
	if (!csv)
		return;
	sqlite3_stmt *st = country_revenue(full_db, start);
	int rank = 0, places = 0;
	long long rest = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *country = (const char *)sqlite3_column_text(st, 0);
		long long cents = sqlite3_column_int64(st, 1);
		if (++rank <= 15)
			CHECK_NEAR(csv_number(csv, country), cents / 100.0, 0.005);
		else
			rest += cents;
		places++;
	}
	sqlite3_finalize(st);
	if (places > 16) {
		char other[64];
		snprintf(other, sizeof other, "Other (%d countries)", places - 15);
		CHECK_NEAR(csv_number(csv, other), rest / 100.0, 0.005);
		CHECK_INT(csv_rows(csv), 16);
	} else
		CHECK_INT(csv_rows(csv), places);
	free(csv);
}

static void test_revenue_by_country_matches_sql_with_the_rest_summed_as_other(void)
{
	check_places("sales.html", "all", "2000-01-01");
	check_places("sales-30d.html", "30d", START_30D);
}

static void test_cancelled_orders_and_flagged_lines_are_not_sales(void)
{
	char *csv = chart_csv(full_out, "sales-30d.html", "sales-places-30d");
	CHECK(csv != NULL);
	/* The cancelled order (Norway, $99,000) and the flagged line ($88,000) are far
	 * bigger than any real sale. */
	CHECK(csv && !strstr(csv, "99000") && !strstr(csv, "88000"));
	free(csv);
}

static void test_top_products_table_matches_sql(void)
{
	char *html = slurp(full_out, "sales.html", NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(full_db,
			   "SELECT p.name, sum(i.quantity), sum(i.line_total_cents) FROM order_items i"
			   " JOIN orders o ON o.order_id = i.order_id"
			   " JOIN products p ON p.product_id = i.product_id"
			   " WHERE i.flags = 0 AND o.status = 'completed'"
			   " GROUP BY i.product_id ORDER BY 3 DESC, i.product_id LIMIT 3",
			   -1, &st, NULL);
	int rank = 0;
	while (html && sqlite3_step(st) == SQLITE_ROW) {
		char row[256], money[32];
		dollars(sqlite3_column_int64(st, 2), money, sizeof money);
		snprintf(row, sizeof row,
			 "<tr><td class=\"num\">%d</td><td>%s</td><td class=\"num\">%lld</td>"
			 "<td class=\"num\">%s</td>",
			 ++rank, sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), money);
		CHECK(strstr(html, row));
		if (!strstr(html, row))
			printf("    missing row: %s\n", row);
	}
	sqlite3_finalize(st);
	CHECK_INT(rank, 3);
	char *csv = chart_csv(full_out, "sales.html", "sales-top-products-all");
	CHECK(csv && csv_rows(csv) == 20);
	free(csv);
	free(html);
}

static void test_payment_donut_and_channel_bars_match_sql(void)
{
	char *payments = chart_csv(full_out, "sales.html", "sales-payments-all");
	char *channels = chart_csv(full_out, "sales.html", "sales-channels-all");
	CHECK(payments && channels);
	if (payments && channels) {
		long long card = sql_int(full_db,
					 "SELECT sum(i.line_total_cents) FROM order_items i JOIN orders o"
					 " USING (order_id) WHERE i.flags = 0 AND o.status = 'completed'"
					 " AND o.payment_method = 'card'");
		long long web = sql_int(full_db,
					"SELECT sum(i.line_total_cents) FROM order_items i JOIN orders o"
					" USING (order_id) WHERE i.flags = 0 AND o.status = 'completed'"
					" AND o.channel = 'web'");
		/* Written in the shop's words: gift_card reads "Gift card". */
		CHECK_NEAR(csv_number(payments, "Card"), card / 100.0, 0.005);
		CHECK(!isnan(csv_number(payments, "Gift card")));
		CHECK_NEAR(csv_number(channels, "Web"), web / 100.0, 0.005);
		CHECK_INT(csv_rows(channels), 3);
	}
	free(payments);
	free(channels);
}

static void test_profit_map_lists_the_subcategories_that_lost_money(void)
{
	char *html = slurp(full_out, "sales.html", NULL);
	char *csv = chart_csv(full_out, "sales.html", "sales-category-profit-all");
	long long kites = sql_int(full_db,
				  "SELECT sum(i.profit_cents) FROM order_items i JOIN orders o USING"
				  " (order_id) JOIN products p USING (product_id) WHERE i.flags = 0"
				  " AND o.status = 'completed' AND p.subcategory = 'Kites'");
	CHECK(kites < 0);
	char loss[64], money[32];
	dollars(-kites, money, sizeof money);
	snprintf(loss, sizeof loss, "Toys / Kites (\xe2\x88\x92%s)", money);
	CHECK(html && strstr(html, "Lost money, so not in the map: "));
	CHECK(html && strstr(html, loss));
	CHECK(csv && fabs(csv_number(csv, "Toys,Kites") - kites / 100.0) < 0.005);
	free(html);
	free(csv);
}

static void test_discount_chart_shows_the_margin_at_each_step(void)
{
	char *csv = chart_csv(full_out, "sales.html", "sales-discount-margin-all");
	char *html = slurp(full_out, "sales.html", NULL);
	CHECK(csv != NULL);
	if (csv) {
		CHECK_INT(csv_rows(csv), 6); /* 0% .. 50% */
		long long profit = sql_int(full_db,
					   "SELECT sum(i.profit_cents) FROM order_items i JOIN orders o"
					   " USING (order_id) WHERE i.flags = 0 AND o.status = 'completed'"
					   " AND round(i.discount, 2) = 0.4");
		long long revenue = sql_int(full_db,
					    "SELECT sum(i.line_total_cents) FROM order_items i JOIN orders"
					    " o USING (order_id) WHERE i.flags = 0 AND"
					    " o.status = 'completed' AND round(i.discount, 2) = 0.4");
		CHECK_NEAR(csv_number(csv, "40%"), (double)profit / (double)revenue, 1e-9);
	}
	long long discounted = sql_int(full_db,
				       "SELECT round(1000.0 * sum(CASE WHEN i.discount > 0 THEN"
				       " i.line_total_cents END) / sum(i.line_total_cents)) FROM order_items i"
				       " JOIN orders o USING (order_id) WHERE i.flags = 0"
				       " AND o.status = 'completed'");
	char note[96];
	snprintf(note, sizeof note, "%lld.%lld%% of revenue in this period was sold at a discount.",
		 discounted / 10, discounted % 10);
	CHECK(html && strstr(html, note));
	free(csv);
	free(html);
}

/* ---- every chart of every page ---- */

static int png_size(const char *dir, const char *href, int *w, int *h)
{
	size_t len = 0;
	char *png = slurp(dir, href, &len);
	gdImagePtr im = png ? gdImageCreateFromPngPtr((int)len, png) : NULL;
	free(png);
	if (!im)
		return -1;
	*w = gdImageSX(im);
	*h = gdImageSY(im);
	gdImageDestroy(im);
	return 0;
}

/* Copies the attribute value after key (e.g. "src=\"") at or after at, or "". */
static void attribute(const char *at, const char *key, char *out, size_t size)
{
	const char *v = strstr(at, key);
	const char *end = v ? strpbrk(v + strlen(key), "\" ") : NULL;
	size_t n = end ? (size_t)(end - v - strlen(key)) : 0;
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), v ? v + strlen(key) : "");
}

/* Every img of page: both PNGs decode at the stated size (2x: twice it). Returns
 * the number of charts. */
static int check_images(const char *dir, const char *page)
{
	char *html = slurp(dir, page, NULL);
	int charts = 0;
	for (const char *img = html ? strstr(html, "<img ") : NULL; img;
	     img = strstr(img + 1, "<img ")) {
		char src[256], src2x[256], width[16], height[16];
		attribute(img, "src=\"", src, sizeof src);
		attribute(img, ", ", src2x, sizeof src2x);
		attribute(img, "width=\"", width, sizeof width);
		attribute(img, "height=\"", height, sizeof height);
		int w = 0, h = 0, w2 = 0, h2 = 0;
		CHECK_INT(png_size(dir, src, &w, &h), 0);
		CHECK_INT(png_size(dir, src2x, &w2, &h2), 0);
		CHECK_INT(w, atoi(width));
		CHECK_INT(h, atoi(height));
		CHECK_INT(w2, 2 * atoi(width));
		CHECK_INT(h2, 2 * atoi(height));
		CHECK(strstr(img, "alt=\"") && !strstr(img, "alt=\"\""));
		charts++;
	}
	free(html);
	return charts;
}

static void test_every_chart_decodes_as_a_png_of_its_stated_size(void)
{
	for (int i = 0; i < 4; i++) {
		char page[64];
		snprintf(page, sizeof page, "sales%s.html", periods[i]);
		CHECK_INT(check_images(full_out, page), 7);
		snprintf(page, sizeof page, "funnel%s.html", periods[i]);
		CHECK_INT(check_images(full_out, page), 2);
	}
}

static void test_every_csv_link_resolves(void)
{
	const char *pages[] = {"sales.html", "sales-30d.html", "funnel.html", "funnel-30d.html"};
	for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
		char *html = slurp(full_out, pages[p], NULL);
		int links = 0;
		for (const char *a = html ? strstr(html, "<a href=\"") : NULL; a;
		     a = strstr(a + 1, "<a href=\"")) {
			char href[256];
			attribute(a, "href=\"", href, sizeof href);
			size_t n = strlen(href);
			if (n < 4 || strcmp(href + n - 4, ".csv") != 0)
				continue;
			char *csv = slurp(full_out, href, NULL);
			CHECK(csv && strchr(csv, '\n'));
			free(csv);
			links++;
		}
		CHECK(links >= 2);
		free(html);
	}
}

/* ---- the funnel page ---- */

static void test_funnel_counts_sessions_at_each_step_reached_or_passed(void)
{
	for (int i = 0; i < 4; i++) {
		char page[64], stem[64];
		snprintf(page, sizeof page, "funnel%s.html", periods[i]);
		snprintf(stem, sizeof stem, "funnel-steps-%s", slugs[i]);
		char *csv = chart_csv(full_out, page, stem);
		CHECK(csv != NULL);
		if (!csv)
			continue;
		/* A session is at a step when it logged that step or any later one. */
		CHECK_NEAR(csv_number(csv, "Visits"),
			   sql_int(full_db, "SELECT count(DISTINCT session_id) FROM events"), 0);
		CHECK_NEAR(csv_number(csv, "Added to cart"),
			   sql_int(full_db, "SELECT count(DISTINCT session_id) FROM events WHERE"
					    " event_type IN ('cart', 'checkout', 'purchase')"), 0);
		CHECK_NEAR(csv_number(csv, "Started checkout"),
			   sql_int(full_db, "SELECT count(DISTINCT session_id) FROM events WHERE"
					    " event_type IN ('checkout', 'purchase')"), 0);
		CHECK_NEAR(csv_number(csv, "Bought"),
			   sql_int(full_db, "SELECT count(DISTINCT session_id) FROM events WHERE"
					    " event_type = 'purchase'"), 0);
		CHECK_NEAR(csv_number(csv, "Viewed a product"), 60, 0);
		free(csv);
	}
}

static void test_funnel_says_how_it_counted_skipped_steps(void)
{
	char *html = slurp(full_out, "funnel.html", NULL);
	/* Sessions of the "purchase" and "view purchase" kinds: 20 skipped the cart and
	 * the checkout. */
	CHECK(html && strstr(html, "20 sessions went to checkout or bought without an"
				   " add-to-cart event"));
	CHECK(html && strstr(html, "20 sessions bought without a checkout event"));
	CHECK(html && strstr(html, "3 events have no session id"));
	CHECK(html && strstr(html, "<strong>60</strong> visits; <strong>30</strong> ended in a"
				   " purchase, a conversion rate of <strong>50.0%</strong>"));
	free(html);
}

static void test_funnel_lists_most_viewed_products_with_view_to_purchase_rate(void)
{
	char *html = slurp(full_out, "funnel.html", NULL);
	/* P01 is in sessions 0, 4, 8, ...: 15 sessions of kinds 0, 4, 2 in turn; it was
	 * bought in the sessions of kind 4 (purchase alone), 5 of them. */
	CHECK(html && strstr(html, "<td>Lantern 01</td><td class=\"num\">15</td>"
				   "<td class=\"num\">5</td><td class=\"num\">33.3%</td>"));
	free(html);
}

/* ---- missing data ---- */

static void test_sections_without_data_name_the_column_that_would_fill_them(void)
{
	char *html = slurp(bare_out, "sales.html", NULL);
	CHECK(html != NULL);
	if (!html)
		return;
	CHECK(strstr(html, "<strong>Revenue by channel:</strong> the order lines name no sales"
			   " channel; a <code>channel</code> column"));
	CHECK(strstr(html, "<code>payment_method</code>"));
	CHECK(strstr(html, "<code>category</code> column (and subcategory)"));
	CHECK(strstr(html, "needs <code>discount</code> and profit columns"));
	CHECK(!strstr(html, "sales-channels-all"));
	CHECK(!strstr(html, "sales-payments-all"));
	CHECK(!strstr(html, "sales-discount-margin-all"));
	CHECK_INT(check_images(bare_out, "sales.html"), 2); /* places and the top 20 */
	free(html);
}

static void test_funnel_page_without_events_says_how_to_load_them(void)
{
	char *html = slurp(bare_out, "funnel.html", NULL);
	CHECK(html && strstr(html, "No web events are loaded"));
	CHECK(html && strstr(html, "<code>event_type</code>"));
	CHECK(html && !strstr(html, "<img "));
	char *other = slurp(bare_out, "funnel-30d.html", NULL);
	CHECK(other == NULL); /* one page, not one per period */
	free(other);
	free(html);
}

static void test_empty_warehouse_shows_no_data_pages_without_charts(void)
{
	char *sales = slurp(empty_out, "sales.html", NULL);
	char *funnel = slurp(empty_out, "funnel.html", NULL);
	CHECK(sales && strstr(sales, "No sales are loaded yet"));
	CHECK(sales && !strstr(sales, "<img "));
	CHECK(funnel && strstr(funnel, "No web events are loaded"));
	free(sales);
	free(funnel);
}

/* ---- set up and tear down ---- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup(void)
{
	full_db = temp_warehouse_open(full_path);
	bare_db = temp_warehouse_open(bare_path);
	empty_db = temp_warehouse_open(empty_path);
	if (!full_db || !bare_db || !empty_db)
		return -1;
	add_products(full_db);
	add_orders(full_db, 1);
	add_events(full_db);
	add_orders(bare_db, 0);
	if (build_into(full_db, full_out) < 0 || build_into(bare_db, bare_out) < 0 ||
	    build_into(empty_db, empty_out) < 0)
		return -1;
	return 0;
}

int main(void)
{
	if (setup() < 0) {
		printf("FAIL setup\n0 passed, 1 failed\n");
		return 1;
	}
	RUN(test_sales_page_exists_for_every_period);
	RUN(test_revenue_by_country_matches_sql_with_the_rest_summed_as_other);
	RUN(test_cancelled_orders_and_flagged_lines_are_not_sales);
	RUN(test_top_products_table_matches_sql);
	RUN(test_payment_donut_and_channel_bars_match_sql);
	RUN(test_profit_map_lists_the_subcategories_that_lost_money);
	RUN(test_discount_chart_shows_the_margin_at_each_step);
	RUN(test_every_chart_decodes_as_a_png_of_its_stated_size);
	RUN(test_every_csv_link_resolves);
	RUN(test_funnel_counts_sessions_at_each_step_reached_or_passed);
	RUN(test_funnel_says_how_it_counted_skipped_steps);
	RUN(test_funnel_lists_most_viewed_products_with_view_to_purchase_rate);
	RUN(test_sections_without_data_name_the_column_that_would_fill_them);
	RUN(test_funnel_page_without_events_says_how_to_load_them);
	RUN(test_empty_warehouse_shows_no_data_pages_without_charts);
	const char *outs[] = {full_out, bare_out, empty_out};
	for (int i = 0; i < 3; i++)
		if (outs[i][0])
			nftw(outs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	temp_warehouse_remove(full_db, full_path);
	temp_warehouse_remove(bare_db, bare_path);
	temp_warehouse_remove(empty_db, empty_path);
	chart_library_shutdown();
	return check_summary();
}
