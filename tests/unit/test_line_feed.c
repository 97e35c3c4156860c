/* Unit tests of the line feed (`run`'s order lines, read as ingest stores them): clean
 * given the feed leaves the same tables, data-quality counts and examples as clean
 * reading the table back, whether the dates or the decimal mark settle early, late or
 * never; and clean
 * reads the table whenever the feed is not exactly what the table holds (order lines
 * loaded before, a failed file, a spool over its limit, a file loaded twice). */
#include "check.h"
#include "clean_tables.h"
#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "clean/clean.h"
#include "clean/line_feed.h"
#include "cli/feed_tap.h"
#include "ingest/ingest.h"
#include "util/xalloc.h"

static char folder[] = "/tmp/cartograph-feed-XXXXXX";

#define HEADER "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"

/* An export of lines order lines, M/D/Y dates; the first day over 12 comes at line
 * first_late_day (never when 0). Among the lines: copies, cancellations, returns,
 * guests, postage, a free line, codes in lower case, ids written as floats, and rows
 * ingest rejects. */
static char *orders_export(int lines, int first_late_day)
{
	static const char *const countries[] = {"United Kingdom", "France", "Spain"};
	struct buf csv = BUF_INIT;
	buf_puts(&csv, HEADER);
	for (int i = 2; i < lines + 2; i++) {
		int order = 1000 + i / 3, late = first_late_day && i >= first_late_day;
		int day = late ? 13 + i % 15 : 1 + i % 12, month = 1 + (i / 500) % 12;
		const char *prefix = i % 97 == 0 ? "C" : "";
		int quantity = i % 97 == 0 ? -(1 + i % 5) : 1 + i % 5;
		if (i % 211 == 0) {
			buf_printf(&csv, "%d,P%d,MUG,lots,%d/%d/2023 10:00,2.50,%d,France\n", order,
				   i % 40, month, day, 17000 + i % 90);
			continue;
		}
		if (i % 53 == 0) { /* a copy of the line before */
			const char *end = csv.data + csv.len - 1, *start = end;
			while (start > csv.data && start[-1] != '\n')
				start--;
			struct buf copy = BUF_INIT;
			buf_append(&copy, start, (size_t)(end - start + 1));
			buf_append(&csv, copy.data, copy.len);
			buf_free(&copy);
			continue;
		}
		buf_printf(&csv, "%s%d,%s,%s,%d,%d/%d/2023 %d:%02d,%s,%s,%s\n", prefix, order,
			   i % 61 == 0 ? "POST" : i % 7 == 0 ? "p12a" : "P12A",
			   i % 61 == 0 ? "POSTAGE" : "RED MUG", quantity, month, day, 8 + i % 9,
			   i % 60, i % 89 == 0 ? "0" : "2.50",
			   i % 13 == 0 ? "" : i % 2 ? "17850.0" : "c2", countries[i % 3]);
	}
	return buf_detach(&csv);
}

/* Ingests text as file name, through tap when not NULL; returns ingest's result. */
static int ingest(sqlite3 *db, const char *name, const char *text, const struct ingest_tap *tap,
		  int strict)
{
	struct ingest_options opt = {.tap = tap, .strict = strict};
	struct ingest_summary sum;
	struct error err;
	char *path = clean_tables_file(folder, name, text);
	int rc = ingest_file(db, path, &opt, &sum, &err);
	free(path);
	return rc;
}

/* Cleans with the feed, then again reading the table, and checks that both leave the
 * same tables. Returns whether the first clean took the fed lines. */
static int fed_clean_agrees(sqlite3 *db, struct line_feed *feed)
{
	struct clean_options opt;
	struct clean_summary sum;
	struct error err;
	clean_options_init(&opt);
	opt.today = "2024-06-30";
	opt.feed = feed;
	CHECK_INT(clean_warehouse(db, &opt, &sum, &err), 0);
	int fed = sum.lines_fed;
	int64_t lines = sum.order_lines;
	char *with_feed = clean_tables_dump(db, "count, examples");
	opt.feed = NULL;
	CHECK_INT(clean_warehouse(db, &opt, &sum, &err), 0);
	CHECK_INT(sum.lines_fed, 0);
	CHECK_INT(sum.order_lines, lines);
	char *from_table = clean_tables_dump(db, "count, examples");
	CHECK(strlen(from_table) > 1000);
	CHECK_STR(with_feed, from_table);
	free(with_feed);
	free(from_table);
	return fed;
}

/* A fresh warehouse and a feed with clean's default rules. */
struct fixture {
	sqlite3 *db;
	char path[64];
	struct clean_options defaults;
	struct line_feed *feed;
	struct ingest_tap tap;
};

static void fixture_open(struct fixture *fx, size_t spool_limit)
{
	struct error err;
	fx->db = temp_warehouse_open(fx->path);
	clean_options_init(&fx->defaults);
	fx->feed = line_feed_new(&fx->defaults, spool_limit, &err);
	fx->tap = feed_tap(fx->feed);
}

static void fixture_close(struct fixture *fx)
{
	line_feed_free(fx->feed);
	temp_warehouse_remove(fx->db, fx->path);
}

static void test_fed_lines_clean_as_the_table_does_when_the_dates_settle_late(void)
{
	struct fixture fx;
	fixture_open(&fx, LINE_FEED_SPOOL_BYTES);
	char *csv = orders_export(10000, 5000); /* the first day over 12 in the second batch */
	CHECK_INT(ingest(fx.db, "orders.csv", csv, &fx.tap, 0), 0);
	CHECK_INT(db_query_int(fx.db, "SELECT count(*) FROM ingest_rejects", NULL, -1), 48);
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 1);
	CHECK_INT(db_query_int(fx.db, "SELECT count FROM dq_issues WHERE rule = 'duplicate_line'",
			       NULL, -1), 187);
	free(csv);
	fixture_close(&fx);
}

static void test_dates_that_never_settle_are_read_as_ingest_records_them(void)
{
	struct fixture fx;
	fixture_open(&fx, LINE_FEED_SPOOL_BYTES);
	char *csv = orders_export(3000, 0); /* every day 12 or less: read M/D/Y */
	CHECK_INT(ingest(fx.db, "orders.csv", csv, &fx.tap, 0), 0);
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 1);
	/* line 2 is order 1000, dated 1/3/2023 10:02 */
	char *time = fixture_dump(fx.db, "SELECT order_time FROM orders WHERE order_id = '1000'");
	CHECK_STR(time, "2023-01-03 10:02:00\n");
	free(time);
	free(csv);
	fixture_close(&fx);
}

/* An export with ';' between values, whose lines have unit price first_price up to
 * line switch_line, second_price from there on, and last_price on the last line. */
static char *priced_export(int lines, const char *first_price, int switch_line,
			   const char *second_price, const char *last_price)
{
	struct buf csv = BUF_INIT;
	buf_puts(&csv, "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;"
		       "CustomerID;Country\n");
	for (int i = 2; i < lines + 2; i++)
		buf_printf(&csv, "%d;P%d;RED MUG;%d;2023-03-%02d 10:00;%s;%d;France\n", 1000 + i,
			   i % 7, i % 5 == 0 ? 2 : 1, 1 + i % 28,
			   i == lines + 1 ? last_price : i < switch_line ? first_price : second_price,
			   17000 + i % 90);
	return buf_detach(&csv);
}

/* The unit price of the line of order order_id, in cents, as clean left it. */
static int64_t unit_price_of(sqlite3 *db, int order_id)
{
	char id[16];
	snprintf(id, sizeof id, "%d", order_id);
	return db_query_int(db, "SELECT unit_price_cents FROM order_items WHERE order_id = ?1",
			    id, -1);
}

/* Opens fx and ingests a priced_export of 9,000 lines through its feed; checks that the
 * run records decimal_comma and that clean takes the fed lines and agrees with the
 * table. */
static void feed_priced_export(struct fixture *fx, const char *first_price, int switch_line,
			       const char *second_price, const char *last_price,
			       int decimal_comma)
{
	fixture_open(fx, LINE_FEED_SPOOL_BYTES);
	char *csv = priced_export(9000, first_price, switch_line, second_price, last_price);
	CHECK_INT(ingest(fx->db, "priced.csv", csv, &fx->tap, 0), 0);
	CHECK_INT(db_query_int(fx->db, "SELECT decimal_comma FROM ingest_runs", NULL, -1),
		  decimal_comma);
	CHECK_INT(fed_clean_agrees(fx->db, fx->feed), 1);
	free(csv);
}

static void test_amounts_that_depend_on_the_decimal_mark_wait_for_it(void)
{
	struct fixture fx;
	/* "3" reads alike under both marks and is read at once; "1.250" does not, and
	 * waits until the last line's "2,50" settles the mark */
	feed_priced_export(&fx, "3", 2000, "1.250", "2,50", 1);
	CHECK_INT(unit_price_of(fx.db, 1002), 300);
	CHECK_INT(unit_price_of(fx.db, 1000 + 2000), 125000); /* "1.250": a thousand and more */
	CHECK_INT(unit_price_of(fx.db, 1000 + 9001), 250);
	fixture_close(&fx);
}

static void test_amounts_nothing_decides_are_read_with_a_decimal_point(void)
{
	struct fixture fx;
	feed_priced_export(&fx, "3", 1500, "1.250", "1.250", 0);
	CHECK_INT(unit_price_of(fx.db, 1002), 300);
	CHECK_INT(unit_price_of(fx.db, 1000 + 1500), 125);
	fixture_close(&fx);
}

static void test_a_decimal_comma_found_after_rows_were_read_applies_from_there(void)
{
	struct fixture fx;
	/* rows read at once ("3" reads alike), then "0,75" turns the mark to a comma */
	feed_priced_export(&fx, "3", 6000, "0,75", "0,75", 1);
	CHECK_INT(unit_price_of(fx.db, 1000 + 5999), 300);
	CHECK_INT(unit_price_of(fx.db, 1000 + 6000), 75);
	fixture_close(&fx);
}

static void test_runs_of_other_kinds_between_order_files_are_numbered_as_clean_does(void)
{
	struct fixture fx;
	fixture_open(&fx, LINE_FEED_SPOOL_BYTES);
	char *first = orders_export(100, 0), *second = orders_export(900, 2);
	CHECK_INT(ingest(fx.db, "first.csv", first, &fx.tap, 0), 0);
	CHECK_INT(ingest(fx.db, "reviews.csv", "review_id,product_id,rating,review_text\n"
			 "r1,P12A,5,lovely mug\n", &fx.tap, 0), 0);
	CHECK_INT(ingest(fx.db, "second.csv", second, &fx.tap, 0), 0);
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 1);
	/* the examples cite both files by name: one free line in the first, more after */
	char *examples = fixture_dump(fx.db, "SELECT examples FROM dq_issues"
					     " WHERE rule = 'price_not_positive'");
	CHECK_STR(examples, "[\"first.csv:89\",\"second.csv:89\",\"second.csv:178\","
			    "\"second.csv:267\",\"second.csv:356\"]\n");
	free(examples);
	free(first);
	free(second);
	fixture_close(&fx);
}

static void test_order_lines_loaded_before_send_clean_to_the_table(void)
{
	struct fixture fx;
	fixture_open(&fx, LINE_FEED_SPOOL_BYTES);
	char *first = orders_export(600, 2), *second = orders_export(700, 2);
	CHECK_INT(ingest(fx.db, "first.csv", first, NULL, 0), 0);
	CHECK_INT(ingest(fx.db, "second.csv", second, &fx.tap, 0), 0);
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 0);
	free(first);
	free(second);
	fixture_close(&fx);
}

static void test_a_failed_file_gives_the_feed_up(void)
{
	struct fixture fx;
	fixture_open(&fx, LINE_FEED_SPOOL_BYTES);
	char *good = orders_export(600, 2), *bad = orders_export(9000, 2);
	CHECK_INT(ingest(fx.db, "good.csv", good, &fx.tap, 0), 0);
	/* strict: the reject at line 211 fails the file after rows were fed */
	CHECK_INT(ingest(fx.db, "bad.csv", bad, &fx.tap, 1), ERR_INPUT);
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 0);
	free(good);
	free(bad);
	fixture_close(&fx);
}

static void test_a_spool_over_its_limit_gives_the_feed_up(void)
{
	struct fixture fx;
	fixture_open(&fx, 64 * 1024);
	char *csv = orders_export(10000, 5000);
	CHECK_INT(ingest(fx.db, "orders.csv", csv, &fx.tap, 0), 0);
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 0);
	free(csv);
	fixture_close(&fx);
}

static void test_a_file_loaded_twice_is_read_from_the_table(void)
{
	struct fixture fx;
	fixture_open(&fx, LINE_FEED_SPOOL_BYTES);
	char *csv = orders_export(600, 2);
	CHECK_INT(ingest(fx.db, "orders.csv", csv, NULL, 0), 0);
	CHECK_INT(ingest(fx.db, "again.csv", csv, &fx.tap, 0), 0); /* the same bytes: skipped */
	CHECK_INT(fed_clean_agrees(fx.db, fx.feed), 0);
	free(csv);
	fixture_close(&fx);
}

int main(void)
{
	if (!mkdtemp(folder)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_fed_lines_clean_as_the_table_does_when_the_dates_settle_late);
	RUN(test_dates_that_never_settle_are_read_as_ingest_records_them);
	RUN(test_amounts_that_depend_on_the_decimal_mark_wait_for_it);
	RUN(test_amounts_nothing_decides_are_read_with_a_decimal_point);
	RUN(test_a_decimal_comma_found_after_rows_were_read_applies_from_there);
	RUN(test_runs_of_other_kinds_between_order_files_are_numbered_as_clean_does);
	RUN(test_order_lines_loaded_before_send_clean_to_the_table);
	RUN(test_a_failed_file_gives_the_feed_up);
	RUN(test_a_spool_over_its_limit_gives_the_feed_up);
	RUN(test_a_file_loaded_twice_is_read_from_the_table);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", folder);
	if (system(cmd) != 0)
		return 1;
	return check_summary();
}
