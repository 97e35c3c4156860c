/* sales_pass: every sales line is read once, in order of its order (the sales_lines
 * view reads each order and then its lines), and summed by hashing (group_sums.h) three
 * ways at once: per order, for the overview; per band x place x channel x payment
 * method x discount step, and per band x product, for the sales and products pages.
 * The periods are nested (all time, 365, 90, 30 days: all end together, each starts no
 * earlier than the one before), so a line's band is the last period it falls in and a
 * period's sales are the sums of its band and those above. Three small tables then
 * stand in for half a million lines: the pages never read the lines themselves. */
#include "report/sales_pass.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "report/group_sums.h"

/* ?1..?3 are the starts of the last three periods. */
#define SALES_BAND                                                                       \
	"CASE WHEN order_time >= ?3 THEN 3 WHEN order_time >= ?2 THEN 2"                 \
	" WHEN order_time >= ?1 THEN 1 ELSE 0 END"

static const char tables_sql[] =
	"PRAGMA temp_store = FILE;"
	"DROP TABLE IF EXISTS temp.sales_orders_summed;"
	"CREATE TEMP TABLE sales_orders_summed (order_id TEXT, order_time TEXT,"
	" customer_id TEXT, lines INTEGER, cents INTEGER);"
	"DROP TABLE IF EXISTS temp.sales_band_slices;"
	"CREATE TEMP TABLE sales_band_slices (band, country, region, channel, payment,"
	" discount_step, lines, revenue, profit, profit_revenue, discounted_revenue);"
	"DROP TABLE IF EXISTS temp.sales_band_products;"
	"CREATE TEMP TABLE sales_band_products (band, product_id, orders, units, revenue,"
	" profit);";

/* The columns, numbered for the sinks below: an order's, then a line's. The discount
 * is rounded to 5% (step 4 is 20% off; NULL when the line has no discount, or one
 * outside 0..1); profit_revenue is the revenue of the lines whose profit is known, the
 * base of a margin. */
enum column {
	BAND, ORDER_ID, ORDER_TIME, CUSTOMER_ID, COUNTRY, REGION, CHANNEL, PAYMENT,
	DISCOUNT_STEP, PRODUCT_ID, QUANTITY, REVENUE, PROFIT, PROFIT_REVENUE,
	DISCOUNTED_REVENUE, COLUMNS
};
#define ORDER_COLUMNS DISCOUNT_STEP /* the columns before it are the order's */

static const char *const column_names[COLUMNS] = {
	"band", "order_id", "order_time", "customer_id", "country", "region", "channel",
	"payment_method", "discount_step", "product_id", "quantity", "line_total_cents",
	"profit_cents", "profit_revenue", "discounted_revenue",
};

/* The sales are the lines of sales_lines (flags 0, order completed), read as two
 * walks in order_id order merged here: the completed orders, then every line with
 * flags 0, which sit under their order's key. Each order's columns are read once,
 * not once for each of its lines as the view's join would. Columns as numbered above:
 * the orders' 0..ORDER_COLUMNS-1; a line's order_id, then its own from ORDER_COLUMNS. */
static const char completed_orders_sql[] =
	"SELECT " SALES_BAND ", order_id, order_time, customer_id, country, region, channel,"
	" payment_method FROM orders WHERE status = 'completed' ORDER BY order_id";

static const char sales_items_sql[] =
	"SELECT order_id,"
	" CASE WHEN discount BETWEEN 0 AND 1 THEN CAST(round(discount * 20) AS INTEGER) END,"
	" product_id, quantity, line_total_cents, profit_cents,"
	" CASE WHEN profit_cents IS NOT NULL THEN line_total_cents END,"
	" CASE WHEN discount > 0 THEN line_total_cents END"
	" FROM order_items WHERE flags = 0 ORDER BY order_id, line_no";

/* Every line of an order has the order's time and customer, so grouping by the three
 * is grouping by the order. A product's orders are counted per band: an order's lines
 * share its time, so each order is in one band, and the orders of a period are the sum
 * over its bands. */
static const struct group_sink sinks[] = {
	{
		.keys = (const int[]){ORDER_ID, ORDER_TIME, CUSTOMER_ID}, .key_count = 3,
		.distinct = -1, .sums = (const int[]){REVENUE}, .sum_count = 1,
		.insert_sql = "INSERT INTO temp.sales_orders_summed VALUES (?1, ?2, ?3, ?4, ?5)",
	},
	{
		.keys = (const int[]){BAND, COUNTRY, REGION, CHANNEL, PAYMENT, DISCOUNT_STEP},
		.key_count = 6, .distinct = -1,
		.sums = (const int[]){REVENUE, PROFIT, PROFIT_REVENUE, DISCOUNTED_REVENUE},
		.sum_count = 4,
		.insert_sql = "INSERT INTO temp.sales_band_slices"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	},
	{
		.keys = (const int[]){BAND, PRODUCT_ID}, .key_count = 2, .distinct = ORDER_ID,
		.sums = (const int[]){QUANTITY, REVENUE, PROFIT}, .sum_count = 3,
		.insert_sql = "INSERT INTO temp.sales_band_products VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	},
};

static const char sorted_orders_sql[] =
	"DROP TABLE IF EXISTS temp.sales_orders;"
	"CREATE TEMP TABLE sales_orders AS SELECT order_id, order_time, customer_id, cents"
	" FROM temp.sales_orders_summed ORDER BY 2, 1;"
	"DROP TABLE temp.sales_orders_summed;"
	"CREATE INDEX temp.sales_orders_time ON sales_orders (order_time);";

/* The error of a temporary file that could not be written, else ERR_SYSTEM as is. */
static int temporary_file_error(struct build *b, struct error *err)
{
	int code = sqlite3_errcode(b->db) & 0xff;
	if (code != SQLITE_IOERR && code != SQLITE_FULL)
		return ERR_SYSTEM;
	const char *folder = getenv("SQLITE_TMPDIR");
	if (!folder || !folder[0])
		folder = getenv("TMPDIR");
	return error_set(err, ERR_SYSTEM, "cannot write the sums of the sales (temporary "
			 "files of SQLite's in %s): %s: is the disk full, or a file over a size "
			 "limit?", folder && folder[0] ? folder : "/var/tmp", sqlite3_errmsg(b->db));
}

/* Where an order_id stands in the walks' order: SQLite's, for the TEXT column (NULL
 * first, then text, then blobs, each text or blob by its bytes). */
static int compare_ids(const struct group_cell *a, const struct group_cell *b)
{
	int rank_a = a->type == SQLITE_NULL ? 0 : a->type == SQLITE_BLOB ? 2 : 1;
	int rank_b = b->type == SQLITE_NULL ? 0 : b->type == SQLITE_BLOB ? 2 : 1;
	if (rank_a != rank_b || rank_a == 0)
		return rank_a - rank_b;
	uint32_t common = a->len < b->len ? a->len : b->len;
	int c = common ? memcmp(a->bytes, b->bytes, common) : 0;
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The merge of the two walks: row holds the current order's columns and the line's. */
struct sales_walk {
	sqlite3_stmt *orders, *items;
	int order_step;   /* the orders' last step: SQLITE_ROW while on an order */
	struct group_cell row[COLUMNS];
};

static void next_order(struct sales_walk *w)
{
	w->order_step = sqlite3_step(w->orders);
	if (w->order_step == SQLITE_ROW)
		for (int col = 0; col < ORDER_COLUMNS; col++)
			group_cell_fetch(w->orders, col, &w->row[col]);
}

/* 1 when the current line's order is a completed one, now in w->row: the orders walk
 * moves up to it. */
static int find_order(struct sales_walk *w)
{
	struct group_cell id;
	group_cell_fetch(w->items, 0, &id);
	int c = -1;
	while (w->order_step == SQLITE_ROW && (c = compare_ids(&w->row[ORDER_ID], &id)) < 0)
		next_order(w);
	return w->order_step == SQLITE_ROW && c == 0;
}

/* Adds every sales line to sums. Returns 0 or a negative code. */
static int walk_sales(struct build *b, struct sales_walk *w, struct group_sums *sums,
		      struct error *err)
{
	int rc = 0, step;
	next_order(w);
	while (rc == 0 && (step = sqlite3_step(w->items)) == SQLITE_ROW) {
		if (!find_order(w))
			continue;
		for (int col = ORDER_COLUMNS; col < COLUMNS; col++)
			group_cell_fetch(w->items, col - ORDER_COLUMNS + 1, &w->row[col]);
		rc = group_sums_add(sums, w->row, err);
	}
	int order_failed = w->order_step != SQLITE_ROW && w->order_step != SQLITE_DONE;
	if (rc == 0 && (step != SQLITE_DONE || order_failed))
		rc = error_set(err, ERR_SYSTEM, "reading the sales: %s", sqlite3_errmsg(b->db));
	return rc;
}

/* Reads the sales once into the three sinks and writes their tables. */
static int sum_sales(struct build *b, const struct query_arg *starts, struct error *err)
{
	struct sales_walk w = {0};
	if (query_prepare(b->db, completed_orders_sql, starts, 3, &w.orders, err) < 0)
		return ERR_SYSTEM;
	int rc = query_prepare(b->db, sales_items_sql, NULL, 0, &w.items, err);
	struct group_sums *sums = group_sums_new(sinks, 3, column_names);
	if (rc == 0)
		rc = walk_sales(b, &w, sums, err);
	if (rc == 0)
		rc = group_sums_write(sums, b->db, err);
	group_sums_free(sums);
	sqlite3_finalize(w.items);
	sqlite3_finalize(w.orders);
	return rc;
}

int sales_pass(struct build *b, struct error *err)
{
	/* No periods means no sales: the read finds no line to put in a band. */
	assert(b->period_count == 0 || b->period_count == PERIOD_COUNT);
	const struct period *p = b->periods;
	for (int i = 1; i < b->period_count; i++)
		assert(strcmp(p[i - 1].start, p[i].start) <= 0 && strcmp(p[i].end, p[0].end) == 0);
	const struct query_arg starts[] = {ARG_TEXT(p[1].start), ARG_TEXT(p[2].start),
					   ARG_TEXT(p[3].start)};
	int rc = db_exec(b->db, tables_sql, err);
	if (rc == 0)
		rc = sum_sales(b, starts, err);
	if (rc == 0)
		rc = db_exec(b->db, sorted_orders_sql, err);
	return rc == 0 ? 0 : temporary_file_error(b, err);
}
