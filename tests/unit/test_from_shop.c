/* Unit tests of `ingest --from-shop`: web orders and reviews of shop.db arrive in the
 * warehouse as raw runs of file shop.db, once each, tied to a customer by email when
 * exactly one has it, and clean counts them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "clean/clean.h"
#include "ingest/from_shop.h"
#include "temp_warehouse.h"
#include "web/shop_db.h"

static const char shop_orders_sql[] =
	"INSERT INTO products (id, name, category, price_cents, stock) VALUES"
	" ('P1', 'Blue mug', 'Kitchen', 1250, 10), ('P2', 'Teapot', 'Kitchen', 3400, 10);"
	"INSERT INTO orders (id, number, name, email, address, payment_method, items,"
	" subtotal_cents, shipping_cents, total_cents, created) VALUES"
	" (1, 'W000001', 'Ada', 'ADA@example.com', 'London', 'card', 3, 5900, 0, 5900,"
	"  '2024-05-01 10:00:00'),"
	" (2, 'W000002', 'Bo', 'bo@example.com', 'Leeds', 'paypal', 1, 1250, 395, 1645,"
	"  '2024-05-02 11:30:00');"
	"INSERT INTO order_lines (order_id, line, product_id, name, unit_price_cents, quantity,"
	" line_total_cents) VALUES (1, 1, 'P1', 'Blue mug', 1250, 2, 2500),"
	" (1, 2, 'P2', 'Teapot', 3400, 1, 3400), (2, 1, 'P1', 'Blue mug', 1250, 1, 1250);"
	"INSERT INTO reviews (id, product_id, order_id, rating, body, sentiment, created) VALUES"
	" (1, 'P1', 1, 5, 'Lovely mug', 0.6, '2024-05-03 09:00:00');";

/* Two warehouse customers share bo@example.com: Bo's order stays a guest order. */
static const char customers_sql[] =
	"INSERT INTO raw_customers (run_id, line, customer_id, email) VALUES"
	" (1, 2, 'C1', 'ada@example.com');"
	"INSERT INTO customers (customer_id, email) VALUES ('C1', 'ada@example.com'),"
	" ('C2', 'bo@example.com'), ('C3', 'Bo@Example.com');";

struct fixture {
	sqlite3 *wh;
	char wh_path[64];
	char shop_path[64];
	struct shop_db shop;
};

static void remove_db(const char *path)
{
	const char *sides[] = {"", "-wal", "-shm", "-writer"};
	char side[96];
	for (int i = 0; i < 4; i++) {
		snprintf(side, sizeof side, "%s%s", path, sides[i]);
		unlink(side);
	}
}

static void open_fixture(struct fixture *f)
{
	struct error err;
	memset(f, 0, sizeof *f);
	f->wh = temp_warehouse_open(f->wh_path);
	CHECK(f->wh != NULL);
	CHECK_INT(db_exec(f->wh,
			  "INSERT INTO ingest_runs (kind, file_name, path, sha256, bytes, delimiter,"
			  " columns, date_formats, rows_read, rows_loaded, rows_rejected, loaded_at)"
			  " VALUES ('customers', 'c.csv', 'c.csv', 'x', 1, ',', '[]', '{}', 1, 1, 0,"
			  " '2024-01-01T00:00:00Z');",
			  &err),
		  0);
	CHECK_INT(db_exec(f->wh, customers_sql, &err), 0);
	snprintf(f->shop_path, sizeof f->shop_path, "/tmp/cartograph-test-fromshop-%d.db", (int)getpid());
	remove_db(f->shop_path);
	CHECK_INT(db_open_shop(f->shop_path, &f->shop, &err), 0);
	CHECK_INT(db_exec(f->shop.db, shop_orders_sql, &err), 0);
}

static void close_fixture(struct fixture *f)
{
	shop_db_close(&f->shop);
	remove_db(f->shop_path);
	temp_warehouse_remove(f->wh, f->wh_path);
}

static char text[256];

/* The first column of the first row as text ("" for none or NULL). */
static const char *wh_text(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	text[0] = '\0';
	if (sqlite3_prepare_v2(f->wh, sql, -1, &st, NULL) != SQLITE_OK)
		return "(bad sql)";
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(text, sizeof text, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return text;
}

static void test_web_orders_arrive_as_a_raw_run_of_shop_db(void)
{
	struct fixture f;
	struct from_shop_summary s;
	struct error err;
	open_fixture(&f);
	CHECK_INT(ingest_from_shop(f.wh, f.shop_path, &s, &err), 0);
	CHECK_INT(s.orders, 2);
	CHECK_INT(s.order_lines, 3);
	CHECK_INT(s.reviews, 1);
	CHECK_INT(s.customers_found, 1);
	CHECK_STR(wh_text(&f, "SELECT kind || ' ' || file_name || ' ' || rows_loaded FROM ingest_runs"
			      " WHERE run_id = (SELECT max(run_id) - 1 FROM ingest_runs)"),
		  "order_lines shop.db 3");
	CHECK_STR(wh_text(&f, "SELECT group_concat(line, ' ') FROM (SELECT line FROM raw_order_lines"
			      " ORDER BY line)"),
		  "1001 1002 2001");
	CHECK_STR(wh_text(&f, "SELECT order_id || ' ' || order_date || ' ' || customer_id || ' ' ||"
			      " product_id || ' ' || quantity || ' ' || unit_price || ' ' || line_total"
			      " || ' ' || channel || ' ' || payment_method FROM raw_order_lines"
			      " WHERE line = 1001"),
		  "W000001 2024-05-01 10:00:00 C1 P1 2 12.50 25.00 web card");
	/* The email two customers share ties the order to nobody. */
	CHECK_STR(wh_text(&f, "SELECT coalesce(customer_id, 'guest') FROM raw_order_lines WHERE line = 2001"),
		  "guest");
	CHECK_STR(wh_text(&f, "SELECT review_id || ' ' || customer_id || ' ' || rating || ' ' || body"
			      " FROM raw_reviews"),
		  "web-1 C1 5 Lovely mug");
	CHECK_INT(strlen(wh_text(&f, "SELECT sha256 FROM ingest_runs WHERE kind = 'reviews'")), 64);
	close_fixture(&f);
}

static void test_a_second_copy_copies_nothing_and_a_new_order_only_itself(void)
{
	struct fixture f;
	struct from_shop_summary s;
	struct error err;
	open_fixture(&f);
	CHECK_INT(ingest_from_shop(f.wh, f.shop_path, &s, &err), 0);
	CHECK_INT(ingest_from_shop(f.wh, f.shop_path, &s, &err), 0);
	CHECK_INT(s.order_lines + s.reviews, 0);
	CHECK_INT(s.lines_run_id, 0);
	CHECK_STR(wh_text(&f, "SELECT count(*) FROM ingest_runs WHERE file_name = 'shop.db'"), "2");
	CHECK_INT(db_exec(f.shop.db,
			  "INSERT INTO orders (id, number, name, email, address, payment_method, items,"
			  " subtotal_cents, shipping_cents, total_cents, created) VALUES (3, 'W000003',"
			  " 'Cy', 'cy@example.com', 'York', 'invoice', 1, 3400, 395, 3795,"
			  " '2024-05-04 08:00:00');"
			  "INSERT INTO order_lines VALUES (3, 1, 'P2', 'Teapot', 3400, 1, 3400);",
			  &err),
		  0);
	CHECK_INT(ingest_from_shop(f.wh, f.shop_path, &s, &err), 0);
	CHECK_INT(s.orders, 1);
	CHECK_INT(s.order_lines, 1);
	CHECK_INT(s.reviews, 0);
	CHECK_STR(wh_text(&f, "SELECT count(*) FROM raw_order_lines"), "4");
	close_fixture(&f);
}

static void test_clean_counts_the_web_orders(void)
{
	struct fixture f;
	struct from_shop_summary s;
	struct clean_summary cs;
	struct error err;
	open_fixture(&f);
	CHECK_INT(ingest_from_shop(f.wh, f.shop_path, &s, &err), 0);
	struct clean_options opt;
	clean_options_init(&opt);
	opt.today = "2024-12-31";
	if (clean_warehouse(f.wh, &opt, &cs, &err) < 0)
		printf("    clean: %s\n", err.msg);
	CHECK_STR(wh_text(&f, "SELECT count(*) FROM orders WHERE order_id LIKE 'W%'"), "2");
	CHECK_STR(wh_text(&f, "SELECT customer_id FROM orders WHERE order_id = 'W000001'"), "C1");
	CHECK_STR(wh_text(&f, "SELECT sum(line_total_cents) FROM sales_lines"), "7150");
	CHECK_STR(wh_text(&f, "SELECT rating FROM reviews WHERE review_id = 'web-1'"), "5");
	close_fixture(&f);
}

static void test_a_missing_shop_db_fails_and_changes_nothing(void)
{
	struct fixture f;
	struct from_shop_summary s;
	struct error err;
	open_fixture(&f);
	CHECK(ingest_from_shop(f.wh, "/tmp/cartograph-no-such-shop.db", &s, &err) < 0);
	CHECK(strstr(err.msg, "cartograph-no-such-shop.db") != NULL);
	CHECK(access("/tmp/cartograph-no-such-shop.db", F_OK) != 0);
	CHECK_STR(wh_text(&f, "SELECT count(*) FROM ingest_runs"), "1");
	CHECK_INT(sqlite3_get_autocommit(f.wh), 1);
	close_fixture(&f);
}

int main(void)
{
	RUN(test_web_orders_arrive_as_a_raw_run_of_shop_db);
	RUN(test_a_second_copy_copies_nothing_and_a_new_order_only_itself);
	RUN(test_clean_counts_the_web_orders);
	RUN(test_a_missing_shop_db_fails_and_changes_nothing);
	return check_summary();
}
