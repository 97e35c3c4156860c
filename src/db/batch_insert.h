/* batch_insert: inserting many rows with one prepared multi-row INSERT
 * ("INSERT OR FAIL INTO t (a, b) VALUES (?, ?), (?, ?), ..."), so the statement's set-up
 * and tear-down is paid once per batch instead of once per row: for half a million order
 * items that is most of the cost of writing them. Rows are staged in memory and bound
 * when a batch is full; the last, partial batch gets a statement of its own size.
 *
 * OR FAIL: a row that breaks a constraint stops its batch with an error and keeps the
 * rows before it, so SQLite need not keep a statement journal to undo the batch alone
 * (with a table's keys and NOT NULLs, that journal is a copy of every page a batch
 * changes: 262 MB written to a temporary file for cleaning Online Retail). Callers
 * write inside a transaction and roll it back on an error.
 *
 * Texts are staged by pointer (like SQLITE_STATIC): they must stay unchanged until
 * batch_insert_flush returns; a short text made on the fly (a time) is staged as a
 * copy instead. */
#ifndef CARTOGRAPH_BATCH_INSERT_H
#define CARTOGRAPH_BATCH_INSERT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define BATCH_ROWS 128
#define BATCH_MAX_COLUMNS 32     /* a raw row of ingest's has up to 27 */
#define BATCH_COPY_MAX 24        /* bytes of a text staged as a copy */

enum staged_type { STAGED_NULL_VALUE, STAGED_INT, STAGED_DOUBLE, STAGED_TEXT, STAGED_COPY };

struct batch_value {
	enum staged_type type;
	int64_t i;
	double d;
	const char *text;
	int len;
	char copy[BATCH_COPY_MAX];   /* STAGED_COPY: the text itself */
};

struct batch_insert {
	sqlite3 *db;
	const char *table;       /* the table written, and named in messages */
	const char *column_list; /* "a, b" */
	int columns;             /* values per row */
	int pending;             /* rows staged */
	int column;              /* values staged in the current row */
	sqlite3_stmt *full;      /* the statement for BATCH_ROWS rows */
	struct batch_value value[BATCH_ROWS * BATCH_MAX_COLUMNS];
};

/* Prepares the statement for table and column_list ("a, b, c": constant names, never
 * input; it must outlive b). Returns 0 or ERR_SYSTEM. The struct is large: allocate
 * it, do not put it on a small stack. */
int batch_insert_open(struct batch_insert *b, sqlite3 *db, const char *table,
		      const char *column_list, struct error *err);
/* Stage the next value of the current row. */
void batch_insert_int(struct batch_insert *b, int64_t value);
void batch_insert_double(struct batch_insert *b, double value);
void batch_insert_text(struct batch_insert *b, const char *text, size_t len);
/* Stages a copy of a short text (len <= BATCH_COPY_MAX), which need not outlive the call. */
void batch_insert_text_copy(struct batch_insert *b, const char *text, size_t len);
void batch_insert_null(struct batch_insert *b);
/* Ends the current row (all its values staged); writes a batch when full. Returns 0
 * or ERR_SYSTEM. */
int batch_insert_row(struct batch_insert *b, struct error *err);
/* Writes the staged rows. Returns 0 or ERR_SYSTEM. */
int batch_insert_flush(struct batch_insert *b, struct error *err);
void batch_insert_close(struct batch_insert *b);

#endif
