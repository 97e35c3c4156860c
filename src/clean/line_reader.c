/* line_reader: the SELECT over raw_order_lines, read directly or on a reader thread
 * that hands rows over in batches (the ingest's row_queue: a fixed ring, so memory
 * stays flat however large the table). */
#include "clean/line_reader.h"

#include <pthread.h>
#include <string.h>

#include "db/db.h"
#include "util/row_queue.h"
#include "util/buf.h"

/* Batches between the SQLite reader and the parser: four keep both busy; clean holds
 * every line as well, so it takes no more. */
#define LINE_READER_BATCHES 4

/* Column names in enum raw_line_column order. */
static const char *const column_names[RAW_LINE_COLUMNS] = {
	"order_id", "order_date", "customer_id", "product_id", "product_name", "quantity",
	"unit_price", "line_total", "country", "region", "city", "category", "subcategory",
	"channel", "payment_method", "discount", "profit", "status", "extra",
};

/* The fields some loaded file has a column for, and 'extra' when some file had
 * columns of other names. */
static const char fields_loaded[] =
	"SELECT DISTINCT coalesce(json_extract(c.value, '$.field'), 'extra')"
	" FROM ingest_runs r, json_each(r.columns) c WHERE r.kind = 'order_lines'";

struct reader {
	int position[RAW_LINE_COLUMNS];  /* column's place in the SELECT, -1 when left out */
	sqlite3_stmt *st;                /* the SELECT (on the reading connection) */
	struct row_queue queue;          /* threaded: batches to the caller */
	int status;                      /* threaded: the reader's result */
	struct error err;                /* threaded: the reader's error */
};

/* Works out which columns to read. Returns 0 or ERR_SYSTEM. */
static int choose_columns(sqlite3 *db, struct reader *r, struct error *err)
{
	sqlite3_stmt *fields;
	int present[RAW_LINE_COLUMNS] = {0}, rc, count = 2; /* run_id and line come first */
	if (db_prepare(db, fields_loaded, &fields, err) < 0)
		return ERR_SYSTEM;
	while ((rc = sqlite3_step(fields)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(fields, 0);
		for (int c = 0; name && c < RAW_LINE_COLUMNS; c++)
			present[c] |= strcmp(name, column_names[c]) == 0;
	}
	sqlite3_finalize(fields);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "reading ingest_runs");
	for (int c = 0; c < RAW_LINE_COLUMNS; c++)
		r->position[c] = present[c] ? count++ : -1;
	return 0;
}

/* Prepares the SELECT on conn; made of the constant column names, never of data. */
static int prepare_select(sqlite3 *conn, struct reader *r, struct error *err)
{
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT run_id, line");
	for (int c = 0; c < RAW_LINE_COLUMNS; c++)
		if (r->position[c] >= 0)
			buf_printf(&sql, ", %s", column_names[c]);
	buf_puts(&sql, " FROM raw_order_lines ORDER BY rowid");
	int rc = db_prepare(conn, buf_str(&sql), &r->st, err);
	buf_free(&sql);
	return rc;
}

/* Fills row from the statement's current row. */
static void row_from_statement(const struct reader *r, struct raw_line *row)
{
	sqlite3_stmt *st = r->st;
	row->run_id = sqlite3_column_int64(st, 0);
	row->line = sqlite3_column_int64(st, 1);
	for (int c = 0; c < RAW_LINE_COLUMNS; c++) {
		int p = r->position[c];
		row->text[c] = p < 0 ? NULL : (const char *)sqlite3_column_text(st, p);
		row->length[c] = row->text[c] ? (size_t)sqlite3_column_bytes(st, p) : 0;
	}
}

static int read_directly(sqlite3 *db, struct reader *r, raw_line_fn fn, void *ctx,
			 int64_t *rows, struct error *err)
{
	struct raw_line row;
	int step;
	while ((step = sqlite3_step(r->st)) == SQLITE_ROW) {
		row_from_statement(r, &row);
		fn(ctx, &row);
		++*rows;
	}
	return step == SQLITE_DONE ? 0 : db_fail(db, err, "reading raw_order_lines");
}

/* Reader thread: stages every row into the queue's batches. Values 0..RAW_LINE_COLUMNS
 * are the columns; the run id rides in reject_column's place as a value of its own. */
static void *reader_thread(void *arg)
{
	struct reader *r = arg;
	struct row_batch *b = NULL;
	int step;
	while ((step = sqlite3_step(r->st)) == SQLITE_ROW) {
		if (!b && !(b = row_queue_fill_begin(&r->queue)))
			break; /* the caller stopped */
		struct staged_row *staged = &b->rows[b->count];
		int64_t run_id = sqlite3_column_int64(r->st, 0);
		staged->line = sqlite3_column_int64(r->st, 1);
		staged->reject_column = STAGED_LOAD;
		staged->values[RAW_LINE_COLUMNS] = row_batch_add(b, &run_id, sizeof run_id);
		for (int c = 0; c < RAW_LINE_COLUMNS; c++) {
			int p = r->position[c];
			const void *text = p < 0 ? NULL : sqlite3_column_text(r->st, p);
			staged->values[c] = row_batch_add(b, text, text ? (size_t)sqlite3_column_bytes(r->st, p) : 0);
		}
		if (++b->count == ROW_BATCH_ROWS || b->bytes.len >= ROW_BATCH_BYTES) {
			row_queue_fill_end(&r->queue);
			b = NULL;
		}
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		r->status = error_set(&r->err, ERR_SYSTEM, "reading raw_order_lines: %s",
				      sqlite3_errmsg(sqlite3_db_handle(r->st)));
	row_queue_close(&r->queue);
	return NULL;
}

static void row_from_batch(const struct row_batch *b, const struct staged_row *staged,
			   struct raw_line *row)
{
	struct staged_value run = staged->values[RAW_LINE_COLUMNS];
	memcpy(&row->run_id, b->bytes.data + run.offset, sizeof row->run_id);
	row->line = staged->line;
	row_batch_texts(b, staged, RAW_LINE_COLUMNS, row->text, row->length);
}

static int read_in_thread(struct reader *r, raw_line_fn fn, void *ctx, int64_t *rows,
			  struct error *err)
{
	pthread_t thread;
	struct row_batch *b;
	struct raw_line row;
	row_queue_init(&r->queue, LINE_READER_BATCHES);
	if (pthread_create(&thread, NULL, reader_thread, r) != 0) {
		row_queue_destroy(&r->queue);
		return error_set(err, ERR_SYSTEM, "cannot start a thread");
	}
	while ((b = row_queue_take(&r->queue))) {
		for (size_t i = 0; i < b->count; i++) {
			row_from_batch(b, &b->rows[i], &row);
			fn(ctx, &row);
		}
		*rows += (int64_t)b->count;
		row_queue_release(&r->queue);
	}
	pthread_join(thread, NULL);
	row_queue_destroy(&r->queue);
	if (r->status < 0)
		*err = r->err;
	return r->status;
}

int raw_lines_read(sqlite3 *db, raw_line_fn fn, void *ctx, int64_t *rows, struct error *err)
{
	struct reader r;
	memset(&r, 0, sizeof r);
	*rows = 0;
	if (choose_columns(db, &r, err) < 0)
		return ERR_SYSTEM;
	sqlite3 *conn = db_open_reader(db); /* NULL: rows are read directly */
	int rc;
	if (conn && prepare_select(conn, &r, err) == 0)
		rc = read_in_thread(&r, fn, ctx, rows, err);
	else if ((rc = prepare_select(db, &r, err)) == 0)
		rc = read_directly(db, &r, fn, ctx, rows, err);
	sqlite3_finalize(r.st);
	sqlite3_close(conn);
	return rc;
}
