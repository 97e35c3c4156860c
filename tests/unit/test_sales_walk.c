/* test_sales_walk: the merged walks of the completed orders and their lines give the
 * rows of the sales_lines view, in its order, each order's first line marked: orders
 * that are cancelled or returned, lines with flags, orders without lines and lines
 * whose order is missing are left out as the view leaves them out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/sales_walk.h"
#include "temp_warehouse.h"
#include "util/buf.h"
#include "util/rng.h"

#define ORDERS 3000

static const char orders_sql[] =
	"SELECT order_id, customer_id FROM orders WHERE status = 'completed' ORDER BY order_id";
static const char items_sql[] =
	"SELECT order_id, product_id, line_no FROM order_items WHERE flags = 0"
	" ORDER BY order_id, line_no";

/* Random orders (a tenth cancelled or returned, some without lines, ids of several
 * lengths so that text order is not number order) and lines (a tenth flagged), all
 * written in key order as clean writes them; plus lines of an order that is not in
 * the orders table. */
static int compare_texts(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void seed(sqlite3 *db)
{
	static char ids[ORDERS][16];
	for (int o = 0; o < ORDERS; o++)
		snprintf(ids[o], sizeof ids[o], "%d", 1000 + o * 7 % 50000);
	qsort(ids, ORDERS, sizeof ids[0], compare_texts); /* "10000" before "1007" */
	struct rng r;
	rng_seed(&r, 7);
	sqlite3_stmt *order, *item;
	sqlite3_exec(db, "PRAGMA foreign_keys = OFF; BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO orders (order_id, customer_id, order_time, status)"
			       " VALUES (?1, ?2, '2024-01-01 10:00:00', ?3)", -1, &order, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO order_items (order_id, line_no, product_id,"
			       " quantity, unit_price_cents, line_total_cents, flags)"
			       " VALUES (?1, ?2, ?3, 1, 100, 100, ?4)", -1, &item, NULL);
	for (int o = 0; o < ORDERS; o++) {
		char customer[32], product[32];
		const char *id = ids[o];
		snprintf(customer, sizeof customer, "c%d", o % 97);
		uint64_t fate = rng_below(&r, 10);
		sqlite3_bind_text(order, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(order, 2, customer, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(order, 3, fate == 0 ? "cancelled" : fate == 1 ? "returned"
						  : "completed", -1, SQLITE_STATIC);
		sqlite3_step(order);
		sqlite3_reset(order);
		int lines = (int)rng_below(&r, 6);
		for (int l = 1; l <= lines; l++) {
			snprintf(product, sizeof product, "P%d", (int)rng_below(&r, 40));
			sqlite3_bind_text(item, 1, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(item, 2, l);
			sqlite3_bind_text(item, 3, product, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(item, 4, rng_below(&r, 10) == 0 ? 4 : 0);
			sqlite3_step(item);
			sqlite3_reset(item);
		}
	}
	sqlite3_exec(db, "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
			 " unit_price_cents, line_total_cents) VALUES ('0-none', 1, 'P1', 1, 1, 1)",
		     NULL, NULL, NULL);
	sqlite3_finalize(order);
	sqlite3_finalize(item);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

/* The view's rows as text: order, customer, product, line; '*' before an order's first. */
static void view_rows(sqlite3 *db, struct buf *out)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT order_id, customer_id, product_id, line_no FROM sales_lines",
			   -1, &st, NULL);
	struct buf last = BUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		buf_printf(out, "%s%s,%s,%s,%d;", strcmp(buf_str(&last), id) ? "*" : "", id,
			   sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
			   sqlite3_column_int(st, 3));
		buf_reset(&last);
		buf_puts(&last, id);
	}
	buf_free(&last);
	sqlite3_finalize(st);
}

static void test_the_walk_gives_the_views_rows_in_its_order(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed(db);
	struct buf want = BUF_INIT, got = BUF_INIT;
	view_rows(db, &want);
	struct sales_walk w;
	struct error err = {0};
	CHECK_INT(sales_walk_open(&w, db, orders_sql, NULL, 0, items_sql, &err), 0);
	int rc, lines = 0;
	while ((rc = sales_walk_next(&w, &err)) == 1) {
		buf_printf(&got, "%s%s,%s,%s,%d;", w.new_order ? "*" : "",
			   sqlite3_column_text(w.items, 0), sqlite3_column_text(w.orders, 1),
			   sqlite3_column_text(w.items, 1), sqlite3_column_int(w.items, 2));
		lines++;
	}
	CHECK_INT(rc, 0);
	sales_walk_close(&w);
	CHECK(lines > ORDERS); /* about 2 sales lines an order: a real test */
	CHECK(strstr(buf_str(&want), "0-none") == NULL);
	CHECK_STR(buf_str(&got), buf_str(&want));
	buf_free(&want);
	buf_free(&got);
	temp_warehouse_remove(db, path);
}

static void test_no_sales_gives_no_line(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	struct sales_walk w;
	struct error err = {0};
	CHECK_INT(sales_walk_open(&w, db, orders_sql, NULL, 0, items_sql, &err), 0);
	CHECK_INT(sales_walk_next(&w, &err), 0);
	sales_walk_close(&w);
	temp_warehouse_remove(db, path);
}

static void test_a_query_that_cannot_be_prepared_says_so(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	struct sales_walk w;
	struct error err = {0};
	CHECK(sales_walk_open(&w, db, orders_sql, NULL, 0, "SELECT x FROM nowhere",
			      &err) < 0);
	CHECK(strstr(err.msg, "nowhere") != NULL);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_the_walk_gives_the_views_rows_in_its_order);
	RUN(test_no_sales_gives_no_line);
	RUN(test_a_query_that_cannot_be_prepared_says_so);
	return check_summary();
}
