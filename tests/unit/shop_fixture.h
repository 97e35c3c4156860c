/* shop_fixture: seeding the typed tables of a test warehouse (orders, order lines,
 * products) as `clean` would leave them, and reading tables back as text to compare two
 * runs. For the model tests. */
#ifndef CARTOGRAPH_SHOP_FIXTURE_H
#define CARTOGRAPH_SHOP_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "util/buf.h"

/* Adds an order; customer NULL for a guest, status completed, cancelled or returned. */
static inline void fixture_order(sqlite3 *db, const char *order_id, const char *customer,
				 const char *time, const char *status)
{
	sqlite3_stmt *stmt;
	sqlite3_prepare_v2(db, "INSERT INTO orders (order_id, customer_id, order_time, status)"
			       " VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, order_id, -1, SQLITE_STATIC);
	if (customer)
		sqlite3_bind_text(stmt, 2, customer, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, time, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, status, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		fprintf(stderr, "fixture: order %s: %s\n", order_id, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
}

/* Adds a line to an order: quantity units at unit_cents each, with data-quality flags. */
static inline void fixture_line(sqlite3 *db, const char *order_id, int line_no,
				const char *product_id, int quantity, int64_t unit_cents, int flags)
{
	sqlite3_stmt *stmt;
	sqlite3_prepare_v2(db, "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
			       " unit_price_cents, line_total_cents, flags)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, order_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, line_no);
	sqlite3_bind_text(stmt, 3, product_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, quantity);
	sqlite3_bind_int64(stmt, 5, unit_cents);
	sqlite3_bind_int64(stmt, 6, unit_cents * quantity);
	sqlite3_bind_int(stmt, 7, flags);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		fprintf(stderr, "fixture: line %s/%d: %s\n", order_id, line_no, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
}

/* A completed order of one line of product p1 worth value_cents. */
static inline void fixture_sale(sqlite3 *db, const char *order_id, const char *customer,
				const char *time, int64_t value_cents)
{
	fixture_order(db, order_id, customer, time, "completed");
	fixture_line(db, order_id, 1, "p1", 1, value_cents, 0);
}

static inline void fixture_product(sqlite3 *db, const char *product_id, const char *name,
				   const char *category)
{
	sqlite3_stmt *stmt;
	sqlite3_prepare_v2(db, "INSERT INTO products (product_id, name, category)"
			       " VALUES (?1, ?2, ?3)", -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, product_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if (category)
		sqlite3_bind_text(stmt, 3, category, -1, SQLITE_STATIC);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
}

/* Every row of a query as text, fields separated by '|', rows by newlines; the caller
 * frees the result. */
static inline char *fixture_dump(sqlite3 *db, const char *sql)
{
	struct buf out = BUF_INIT;
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return buf_detach(&out);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(stmt); c++) {
			const unsigned char *v = sqlite3_column_text(stmt, c);
			buf_printf(&out, "%s%s", c ? "|" : "", v ? (const char *)v : "NULL");
		}
		buf_putc(&out, '\n');
	}
	sqlite3_finalize(stmt);
	buf_puts(&out, "");
	return buf_detach(&out);
}

#endif
