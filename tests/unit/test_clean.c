/* Unit tests of the clean stage as a library: a crafted export ingested into a
 * warehouse, cleaned, and its typed tables checked; the threaded reader (a warehouse
 * file) and the direct one (in memory) agree; bad options and failures leave the
 * tables as they were; line numbers and amounts beyond 32 bits come through as they
 * are; the multi-row inserts, the index set-aside and the report. */
#include "check.h"
#include "clean_tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/batch_insert.h"
#include "clean/bulk_load.h"
#include "clean/clean.h"
#include "clean/dq_log.h"
#include "db/db.h"
#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char folder[] = "/tmp/cartograph-clean-XXXXXX";

static const char orders_csv[] =
	"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
	"1001,P1,RED MUG,5,2024-01-02 10:00:00,2.50,17850.0,United Kingdom\n"
	"C1002,P1,RED MUG,-5,2024-01-02 10:30:00,2.50,17850.0,United Kingdom\n"
	"1003,P1,RED MUG,10,2024-01-03 09:00:00,2.50,c2,France\n"
	"1003,p2,BLUE MUG,3,2024-01-03 09:00:00,3.00,c2,France\n"
	"1003,p2,BLUE MUG,3,2024-01-03 09:00:00,3.00,c2,France\n"
	"1004,POST,POSTAGE,1,2024-01-04 09:00:00,18.00,,France\n"
	"1005,P3,ODD JAR,1,2024-01-05 09:00:00,0,c3,Spain\n";

/* Writes text to name in the test folder; returns the path (caller frees). */
static char *write_file(const char *name, const char *text)
{
	return clean_tables_file(folder, name, text);
}

/* Opens a warehouse (path NULL: in memory) holding the orders of text. */
static sqlite3 *warehouse_with(const char *path, const char *text)
{
	sqlite3 *db = NULL;
	struct error err;
	struct ingest_options opt = {0};
	struct ingest_summary sum;
	char *csv = write_file("orders.csv", text);
	if (db_open_warehouse(path ? path : ":memory:", &db, &err) < 0 ||
	    ingest_file(db, csv, &opt, &sum, &err) < 0)
		printf("    setup failed: %s\n", err.msg);
	free(csv);
	return db;
}

/* Opens a warehouse (path NULL: in memory) holding the crafted orders. */
static sqlite3 *warehouse_with_orders(const char *path)
{
	return warehouse_with(path, orders_csv);
}

static int clean(sqlite3 *db, const char *today, struct clean_summary *sum, struct error *err)
{
	struct clean_options opt;
	clean_options_init(&opt);
	opt.today = today;
	return clean_warehouse(db, &opt, sum, err);
}

/* The typed tables as one text, to compare two warehouses. */
static char *dump(sqlite3 *db)
{
	return clean_tables_dump(db, "count, description");
}

static int64_t count_of(sqlite3 *db, const char *sql)
{
	return db_query_int(db, sql, NULL, -1);
}

static void test_clean_builds_typed_tables_from_crafted_orders(void)
{
	struct clean_summary sum;
	struct error err;
	sqlite3 *db = warehouse_with_orders(NULL);
	CHECK_INT(clean(db, "2024-06-30", &sum, &err), 0);
	CHECK_INT(sum.order_lines, 7);
	CHECK_INT(sum.orders, 5);
	CHECK_INT(sum.order_items, 5);
	CHECK_INT(sum.adjustments, 1);
	CHECK_INT(sum.customers, 3);
	CHECK_INT(sum.products, 3);
	CHECK_INT(sum.sale_items, 2); /* 1003's two lines; 1001 was cancelled, 1005 is free */
	CHECK_INT(count_of(db, "SELECT count(*) FROM orders WHERE order_id = '1001'"
			       " AND status = 'cancelled'"), 1);
	CHECK_INT(count_of(db, "SELECT flags FROM order_items WHERE order_id = '1005'"),
		  ITEM_PRICE_NOT_POSITIVE);
	CHECK_INT(count_of(db, "SELECT count FROM dq_issues WHERE rule = 'duplicate_line'"), 1);
	CHECK_INT(count_of(db, "SELECT count(*) FROM dq_issues"), DQ_RULE_COUNT);
	CHECK_INT(count_of(db, "SELECT count(*) FROM customers WHERE customer_id = '17850'"), 1);
	CHECK_INT(count_of(db, "SELECT count(*) FROM products WHERE product_id = 'P2'"), 1);
	CHECK_INT(count_of(db, "PRAGMA foreign_keys"), 1); /* switched back on */
	CHECK_INT(count_of(db, "PRAGMA temp_store"), 2);   /* in memory again, as opened */
	CHECK_INT(count_of(db, "PRAGMA cache_size"), -8192);
	sqlite3_close(db);
}

static void test_reading_on_a_thread_gives_the_same_tables_as_reading_directly(void)
{
	struct clean_summary sum;
	struct error err;
	char *path = write_file("w.db", "");
	unlink(path);
	sqlite3 *on_file = warehouse_with_orders(path), *in_memory = warehouse_with_orders(NULL);
	CHECK_INT(clean(on_file, "2024-06-30", &sum, &err), 0);
	CHECK_INT(clean(in_memory, "2024-06-30", &sum, &err), 0);
	char *a = dump(on_file), *b = dump(in_memory);
	CHECK(strlen(a) > 100);
	CHECK_STR(a, b);
	free(a);
	free(b);
	sqlite3_close(on_file);
	sqlite3_close(in_memory);
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char name[300];
		snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
		unlink(name);
	}
	free(path);
}

/* Every rule's examples ("orders.csv:N"), one rule a line, with by subtracted from
 * each line number. */
static char *examples_shifted_back(sqlite3 *db, int64_t by)
{
	struct buf out = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT rule, examples FROM dq_issues ORDER BY rule", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 1);
		buf_printf(&out, "%s ", (const char *)sqlite3_column_text(st, 0));
		for (const char *at; (at = strstr(s, "orders.csv:"));) {
			char *end;
			long long line = strtoll(at + 11, &end, 10);
			buf_printf(&out, "%.*s%lld", (int)(at + 11 - s), s, line - (long long)by);
			s = end;
		}
		buf_printf(&out, "%s\n", s);
	}
	sqlite3_finalize(st);
	return buf_detach(&out);
}

static void test_line_numbers_beyond_32_bits_are_cited_as_they_are(void)
{
	struct clean_summary sum;
	struct error err;
	const int64_t by = 4294967290; /* lines 2..8 become 2^32 - 4 .. 2^32 + 2 */
	sqlite3 *plain = warehouse_with_orders(NULL), *far = warehouse_with_orders(NULL);
	CHECK_INT(db_exec(far, "UPDATE raw_order_lines SET line = line + 4294967290", &err), 0);
	CHECK_INT(clean(plain, "2024-06-30", &sum, &err), 0);
	CHECK_INT(clean(far, "2024-06-30", &sum, &err), 0);
	char *a = examples_shifted_back(plain, 0), *b = examples_shifted_back(far, by);
	CHECK(strstr(a, "product_code_case [\"orders.csv:5\",\"orders.csv:6\"]") != NULL);
	CHECK_STR(b, a);
	CHECK_INT(count_of(far, "SELECT count(*) FROM dq_issues WHERE examples LIKE"
				" '%orders.csv:4294967295\",\"orders.csv:4294967296\"%'"), 1);
	char *tables_plain = dump(plain), *tables_far = dump(far);
	CHECK_STR(tables_far, tables_plain);
	free(a);
	free(b);
	free(tables_plain);
	free(tables_far);
	CHECK_INT(db_exec(plain, "UPDATE raw_order_lines SET line = -1 WHERE line = 2;"
				 "UPDATE raw_order_lines SET line = 9223372036854775807 WHERE line = 3",
			  &err), 0);
	CHECK_INT(clean(plain, "2024-06-30", &sum, &err), 0);
	CHECK_INT(count_of(plain, "SELECT count(*) FROM dq_issues WHERE rule = 'id_written_as_float'"
				  " AND examples = '[\"orders.csv:-1\",\"orders.csv:9223372036854775807\"]'"), 1);
	sqlite3_close(plain);
	sqlite3_close(far);
}

static void test_quantities_and_amounts_beyond_32_bits_come_through_exactly(void)
{
	struct clean_summary sum;
	struct error err;
	sqlite3 *db = warehouse_with(NULL,
		"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
		"1,P1,BIG BOX,4294967296,2024-01-02 10:00:00,0.01,c1,Spain\n"
		"2,P1,BIG BOX,2147483648,2024-01-02 10:00:00,0.01,c1,Spain\n"
		"3,P1,BIG BOX,-2147483649,2024-01-03 10:00:00,0.01,c1,Spain\n"
		"4,P2,GOLD BAR,3,2024-01-04 10:00:00,99999999999.99,c2,Spain\n");
	CHECK_INT(clean(db, "2024-06-30", &sum, &err), 0);
	CHECK_INT(sum.order_items, 4);
	CHECK_INT(count_of(db, "SELECT quantity FROM order_items WHERE order_id = '1'"), 4294967296);
	CHECK_INT(count_of(db, "SELECT line_total_cents FROM order_items WHERE order_id = '1'"),
		  4294967296);
	CHECK_INT(count_of(db, "SELECT quantity FROM order_items WHERE order_id = '3'"), -2147483649);
	CHECK_INT(count_of(db, "SELECT unit_price_cents FROM order_items WHERE order_id = '4'"),
		  9999999999999);
	CHECK_INT(count_of(db, "SELECT line_total_cents FROM order_items WHERE order_id = '4'"),
		  29999999999997);
	CHECK_INT(count_of(db, "SELECT total_cents FROM orders WHERE order_id = '4'"), 29999999999997);
	sqlite3_close(db);
}

static void test_bad_options_change_nothing_and_say_why(void)
{
	struct clean_summary sum;
	struct clean_options opt;
	struct error err;
	sqlite3 *db = warehouse_with_orders(NULL);
	clean_options_init(&opt);
	opt.date_from = "2024-02-01";
	opt.date_to = "2024-01-01";
	CHECK_INT(clean_warehouse(db, &opt, &sum, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "--from 2024-02-01 is after --to 2024-01-01") != NULL);
	clean_options_init(&opt);
	opt.outlier_k = 0;
	CHECK_INT(clean_warehouse(db, &opt, &sum, &err), ERR_INPUT);
	CHECK_INT(count_of(db, "SELECT count(*) FROM orders"), 0);
	sqlite3_close(db);
}

static void test_a_failure_rolls_back_to_the_previous_tables(void)
{
	struct clean_summary sum;
	struct error err;
	sqlite3 *db = warehouse_with_orders(NULL);
	CHECK_INT(clean(db, "2024-06-30", &sum, &err), 0);
	/* An index an analyst added is set aside during the run and put back. */
	CHECK_INT(db_exec(db, "CREATE INDEX items_by_product ON order_items (product_id)", &err), 0);
	char *before = dump(db);
	CHECK_INT(db_exec(db,
			  "CREATE TRIGGER no_reviews BEFORE INSERT ON dq_issues"
			  " BEGIN SELECT RAISE(ABORT, 'no room'); END;",
			  &err),
		  0);
	CHECK_INT(clean(db, "2030-01-01", &sum, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "no room") != NULL);
	char *after = dump(db);
	CHECK_STR(after, before);
	CHECK_INT(count_of(db, "SELECT count(*) FROM sqlite_master WHERE name = 'items_by_product'"), 1);
	CHECK_INT(sqlite3_get_autocommit(db), 1);
	free(before);
	free(after);
	sqlite3_close(db);
}

static void test_batch_insert_writes_full_and_partial_batches(void)
{
	sqlite3 *db;
	struct error err;
	struct batch_insert *b = xcalloc(1, sizeof *b);
	sqlite3_open(":memory:", &db);
	db_exec(db, "CREATE TABLE t (n INTEGER, s TEXT, d REAL, z, c TEXT)", &err);
	CHECK_INT(batch_insert_open(b, db, "t", "n, s, d, z, c", &err), 0);
	CHECK_INT(b->columns, 5);
	for (int i = 0; i < BATCH_ROWS * 2 + 3; i++) {
		char made[BATCH_COPY_MAX];
		batch_insert_int(b, i);
		batch_insert_text(b, "abc", 2);
		batch_insert_double(b, i / 2.0);
		batch_insert_null(b);
		snprintf(made, sizeof made, "row %d", i);
		batch_insert_text_copy(b, made, strlen(made));
		memset(made, 'x', sizeof made); /* the copy does not need it any more */
		CHECK_INT(batch_insert_row(b, &err), 0);
	}
	CHECK_INT(batch_insert_flush(b, &err), 0);
	CHECK_INT(batch_insert_flush(b, &err), 0); /* nothing left: nothing written */
	batch_insert_close(b);
	CHECK_INT(count_of(db, "SELECT count(*) FROM t"), BATCH_ROWS * 2 + 3);
	CHECK_INT(count_of(db, "SELECT sum(n) FROM t"), (BATCH_ROWS * 2 + 3) * (BATCH_ROWS * 2 + 2) / 2);
	CHECK_INT(count_of(db, "SELECT count(*) FROM t WHERE s = 'ab' AND z IS NULL AND c = 'row ' || n"),
		  BATCH_ROWS * 2 + 3);
	CHECK_INT(batch_insert_open(b, db, "nowhere", "n", &err), ERR_SYSTEM);
	batch_insert_close(b);
	free(b);
	sqlite3_close(db);
}

/* A row breaking a key stops its batch with the table named; the transaction around
 * it rolls back to what was there before. */
static void test_batch_insert_fails_on_a_broken_key(void)
{
	sqlite3 *db;
	struct error err;
	struct batch_insert *b = xcalloc(1, sizeof *b);
	sqlite3_open(":memory:", &db);
	db_exec(db, "CREATE TABLE k (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", &err);
	db_exec(db, "INSERT INTO k VALUES (1, 'kept')", &err);
	db_exec(db, "BEGIN", &err);
	CHECK_INT(batch_insert_open(b, db, "k", "id, name", &err), 0);
	int rc = 0;
	for (int i = 2; rc == 0 && i < BATCH_ROWS + 10; i++) {
		batch_insert_int(b, i == 50 ? 1 : i);
		batch_insert_text(b, "new", 3);
		rc = batch_insert_row(b, &err);
	}
	CHECK_INT(rc, ERR_SYSTEM);
	CHECK(strstr(err.msg, "writing k") != NULL);
	CHECK(strstr(err.msg, "UNIQUE") != NULL);
	batch_insert_close(b);
	db_exec(db, "ROLLBACK", &err);
	CHECK_INT(count_of(db, "SELECT count(*) FROM k"), 1);
	CHECK_INT(count_of(db, "SELECT count(*) FROM k WHERE name = 'kept'"), 1);
	free(b);
	sqlite3_close(db);
}

static void test_indexes_set_aside_come_back_as_they_were(void)
{
	sqlite3 *db;
	struct error err;
	struct set_aside_indexes set;
	sqlite3_open(":memory:", &db);
	db_exec(db, "CREATE TABLE t (a PRIMARY KEY, b, c); CREATE INDEX \"t b\" ON t (b);"
		    "CREATE INDEX t_c ON t (c DESC) WHERE c > 0;", &err);
	char *before = NULL;
	struct buf schema = BUF_INIT;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master"
			       " WHERE type = 'index' ORDER BY name)", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		before = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	CHECK_INT(indexes_set_aside(db, "t", &set, &err), 0);
	CHECK_INT(set.count, 2);
	CHECK_INT(count_of(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"), 0);
	db_exec(db, "INSERT INTO t VALUES (1, 2, 3), (2, 2, -1)", &err);
	CHECK_INT(indexes_restore(db, &set, &err), 0);
	if (sqlite3_step(st) == SQLITE_ROW)
		buf_puts(&schema, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	CHECK_STR(buf_str(&schema), before ? before : "?");
	CHECK_INT(count_of(db, "SELECT count(*) FROM t INDEXED BY t_c WHERE c > 0"), 1);
	free(before);
	buf_free(&schema);
	sqlite3_close(db);
}

static void test_report_shows_what_each_rule_found_and_what_found_nothing(void)
{
	struct clean_summary sum;
	struct error err;
	struct buf report = BUF_INIT;
	sqlite3 *db = warehouse_with_orders(NULL);
	CHECK_INT(dq_report_format(db, 80, &report, &err), 0);
	CHECK(strstr(buf_str(&report), "no data-quality log yet") != NULL);
	buf_reset(&report);
	CHECK_INT(clean(db, "2024-06-30", &sum, &err), 0);
	CHECK_INT(dq_report_format(db, 80, &report, &err), 0);
	const char *text = buf_str(&report);
	CHECK(strstr(text, "        1  warning  duplicate_line:") != NULL);
	CHECK(strstr(text, "e.g. orders.csv:6") != NULL);
	CHECK(strstr(text, "Found nothing: unreadable_line,") != NULL);
	for (const char *line = text; *line;) { /* wrapped to the width asked for */
		size_t len = strcspn(line, "\n");
		CHECK(len <= 80);
		line += len + (line[len] == '\n');
	}
	buf_free(&report);
	sqlite3_close(db);
}

int main(void)
{
	if (!mkdtemp(folder)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_clean_builds_typed_tables_from_crafted_orders);
	RUN(test_reading_on_a_thread_gives_the_same_tables_as_reading_directly);
	RUN(test_line_numbers_beyond_32_bits_are_cited_as_they_are);
	RUN(test_quantities_and_amounts_beyond_32_bits_come_through_exactly);
	RUN(test_bad_options_change_nothing_and_say_why);
	RUN(test_a_failure_rolls_back_to_the_previous_tables);
	RUN(test_batch_insert_writes_full_and_partial_batches);
	RUN(test_batch_insert_fails_on_a_broken_key);
	RUN(test_indexes_set_aside_come_back_as_they_were);
	RUN(test_report_shows_what_each_rule_found_and_what_found_nothing);
	char *csv = write_file("orders.csv", "");
	unlink(csv);
	free(csv);
	rmdir(folder);
	return check_summary();
}
