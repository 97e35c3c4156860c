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
#include "report/sales_walk.h"

#define COUNT_OF(a) ((int)(sizeof a / sizeof a[0]))

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
	ORDER_ID, BAND, ORDER_TIME, CUSTOMER_ID, COUNTRY, REGION, CHANNEL, PAYMENT,
	DISCOUNT_STEP, PRODUCT_ID, QUANTITY, REVENUE, PROFIT, PROFIT_REVENUE,
	DISCOUNTED_REVENUE, COLUMNS
};
#define ORDER_COLUMNS DISCOUNT_STEP /* the columns before it are the order's */

static const char *const column_names[COLUMNS] = {
	"order_id", "band", "order_time", "customer_id", "country", "region", "channel",
	"payment_method", "discount_step", "product_id", "quantity", "line_total_cents",
	"profit_cents", "profit_revenue", "discounted_revenue",
};

/* The sales, as two walks (sales_walk.h). Columns as numbered above: the orders'
 * 0..ORDER_COLUMNS-1; a line's order_id, then its own from ORDER_COLUMNS. */
static const char completed_orders_sql[] =
	"SELECT order_id, " SALES_BAND ", order_time, customer_id, country, region, channel,"
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
		.distinct_in_runs = 1, /* the lines come order after order */
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

/* Adds every sales line to sums. Returns 0 or a negative code. */
static int walk_sales(struct sales_walk *w, struct group_sums *sums, struct error *err)
{
	struct group_cell row[COLUMNS];
	int rc;
	while ((rc = sales_walk_next(w, err)) == 1) {
		if (w->new_order)
			for (int col = 0; col < ORDER_COLUMNS; col++)
				group_cell_fetch(w->orders, col, &row[col]);
		for (int col = ORDER_COLUMNS; col < COLUMNS; col++)
			group_cell_fetch(w->items, col - ORDER_COLUMNS + 1, &row[col]);
		if ((rc = group_sums_add(sums, row, err)) < 0)
			break;
	}
	return rc;
}

/* Reads the sales once into the three sinks and writes their tables. */
static int sum_sales(struct build *b, const struct query_arg *starts, struct error *err)
{
	struct sales_walk w;
	if (sales_walk_open(&w, b->db, completed_orders_sql, starts, 3, sales_items_sql, err) < 0)
		return ERR_SYSTEM;
	struct group_sums *sums = group_sums_new(sinks, COUNT_OF(sinks), column_names);
	int rc = walk_sales(&w, sums, err);
	if (rc == 0)
		rc = group_sums_write(sums, b->db, err);
	group_sums_free(sums);
	sales_walk_close(&w);
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
