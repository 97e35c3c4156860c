/* line_reader: reads raw_order_lines back in file order and hands each row to a
 * callback. On a database file it reads on a second connection in its own thread (the
 * caller's write transaction has written nothing yet, so both see the same rows), so
 * that SQLite decodes rows on one core while clean parses them on the other; on an
 * in-memory database it reads directly. Columns that no loaded file has are not read
 * at all (they are NULL in every row). */
#ifndef CARTOGRAPH_LINE_READER_H
#define CARTOGRAPH_LINE_READER_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The raw table's value columns, in table order. */
enum raw_line_column {
	RAW_ORDER_ID, RAW_ORDER_DATE, RAW_CUSTOMER, RAW_PRODUCT, RAW_NAME, RAW_QUANTITY,
	RAW_UNIT_PRICE, RAW_LINE_TOTAL, RAW_COUNTRY, RAW_REGION, RAW_CITY, RAW_CATEGORY,
	RAW_SUBCATEGORY, RAW_CHANNEL, RAW_PAYMENT, RAW_DISCOUNT, RAW_PROFIT, RAW_STATUS,
	RAW_EXTRA, RAW_LINE_COLUMNS
};

/* One raw order line as read. The texts are valid during the callback only. */
struct raw_line {
	int64_t run_id, line;
	const char *text[RAW_LINE_COLUMNS];  /* NULL for NULL */
	size_t length[RAW_LINE_COLUMNS];
};

typedef void (*raw_line_fn)(void *ctx, const struct raw_line *row);

/* Calls fn for every raw order line in rowid order; *rows counts them. Returns 0 or a
 * negative code. */
int raw_lines_read(sqlite3 *db, raw_line_fn fn, void *ctx, int64_t *rows, struct error *err);

#endif
