/* clean_tables: for the tests of clean, a CSV file written into the test's folder, and
 * the tables clean writes read back as one text, to compare two warehouses. */
#ifndef CARTOGRAPH_CLEAN_TABLES_H
#define CARTOGRAPH_CLEAN_TABLES_H

#include <stdio.h>

#include "db/db.h"
#include "util/buf.h"

/* Writes text to folder/name; returns the path (the caller frees it). */
static inline char *clean_tables_file(const char *folder, const char *name, const char *text)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", folder, name);
	FILE *f = fopen(buf_str(&path), "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return buf_detach(&path);
}

/* The typed tables and dq_issues (dq_columns of it: "count, description"), as text,
 * fields split by '|'; the caller frees the result. */
static inline char *clean_tables_dump(sqlite3 *db, const char *dq_columns)
{
	const char *queries[] = {
		"SELECT * FROM orders ORDER BY order_id",
		"SELECT * FROM order_items ORDER BY order_id, line_no",
		"SELECT * FROM adjustments ORDER BY rowid",
		"SELECT * FROM products ORDER BY product_id",
		"SELECT * FROM customers ORDER BY customer_id",
		NULL,
	};
	struct buf out = BUF_INIT, dq = BUF_INIT;
	buf_printf(&dq, "SELECT rule, %s FROM dq_issues ORDER BY rule", dq_columns);
	queries[5] = buf_str(&dq);
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, queries[q], -1, &st, NULL) != SQLITE_OK)
			continue;
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const char *v = (const char *)sqlite3_column_text(st, c);
				buf_printf(&out, "%s%s", c ? "|" : "", v ? v : "NULL");
			}
			buf_putc(&out, '\n');
		}
		sqlite3_finalize(st);
	}
	buf_free(&dq);
	buf_puts(&out, "");
	return buf_detach(&out);
}

#endif
