/* batch_insert: multi-row INSERT statements with staged values. The SQL is made from
 * the caller's constant table and column names and a count of placeholders, never
 * from data. */
#include "db/batch_insert.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"

/* Prepares the INSERT for rows rows. */
static int prepare_rows(struct batch_insert *b, int rows, sqlite3_stmt **st, struct error *err)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "INSERT OR FAIL INTO %s (%s) VALUES ", b->table, b->column_list);
	for (int r = 0; r < rows; r++) {
		buf_puts(&sql, r ? ", (" : "(");
		for (int c = 0; c < b->columns; c++)
			buf_puts(&sql, c ? ", ?" : "?");
		buf_putc(&sql, ')');
	}
	int rc = db_prepare(b->db, buf_str(&sql), st, err);
	buf_free(&sql);
	return rc;
}

/* The names in a column list: its commas and one. */
static int count_columns(const char *column_list)
{
	int columns = 1;
	for (const char *c = column_list; *c; c++)
		columns += *c == ',';
	return columns;
}

int batch_insert_open(struct batch_insert *b, sqlite3 *db, const char *table,
		      const char *column_list, struct error *err)
{
	b->db = db;
	b->table = table;
	b->column_list = column_list;
	b->columns = count_columns(column_list);
	assert(b->columns <= BATCH_MAX_COLUMNS);
	b->pending = b->column = 0;
	b->full = NULL;
	return prepare_rows(b, BATCH_ROWS, &b->full, err);
}

static struct batch_value *next_value(struct batch_insert *b)
{
	assert(b->column < b->columns);
	return &b->value[b->pending * b->columns + b->column++];
}

void batch_insert_int(struct batch_insert *b, int64_t value)
{
	struct batch_value *v = next_value(b);
	v->type = STAGED_INT;
	v->i = value;
}

void batch_insert_double(struct batch_insert *b, double value)
{
	struct batch_value *v = next_value(b);
	v->type = STAGED_DOUBLE;
	v->d = value;
}

void batch_insert_text(struct batch_insert *b, const char *text, size_t len)
{
	struct batch_value *v = next_value(b);
	v->type = STAGED_TEXT;
	v->text = text;
	v->len = (int)len;
}

void batch_insert_text_copy(struct batch_insert *b, const char *text, size_t len)
{
	assert(len <= BATCH_COPY_MAX);
	struct batch_value *v = next_value(b);
	v->type = STAGED_COPY;
	memcpy(v->copy, text, len);
	v->len = (int)len;
}

void batch_insert_null(struct batch_insert *b)
{
	next_value(b)->type = STAGED_NULL_VALUE;
}

/* Binds the staged rows to st and runs it. */
static int write_staged(struct batch_insert *b, sqlite3_stmt *st, struct error *err)
{
	int n = b->pending * b->columns;
	for (int i = 0; i < n; i++) {
		const struct batch_value *v = &b->value[i];
		switch (v->type) {
		case STAGED_INT: sqlite3_bind_int64(st, i + 1, v->i); break;
		case STAGED_DOUBLE: sqlite3_bind_double(st, i + 1, v->d); break;
		case STAGED_TEXT: sqlite3_bind_text(st, i + 1, v->text, v->len, SQLITE_STATIC); break;
		case STAGED_COPY: sqlite3_bind_text(st, i + 1, v->copy, v->len, SQLITE_STATIC); break;
		case STAGED_NULL_VALUE: sqlite3_bind_null(st, i + 1); break;
		}
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	b->pending = 0;
	if (rc != SQLITE_DONE) {
		char what[96];
		snprintf(what, sizeof what, "writing %s", b->table);
		return db_fail(b->db, err, what);
	}
	return 0;
}

int batch_insert_row(struct batch_insert *b, struct error *err)
{
	assert(b->column == b->columns);
	b->column = 0;
	if (++b->pending < BATCH_ROWS)
		return 0;
	return write_staged(b, b->full, err);
}

int batch_insert_flush(struct batch_insert *b, struct error *err)
{
	sqlite3_stmt *st;
	assert(b->column == 0);
	if (!b->pending)
		return 0;
	if (prepare_rows(b, b->pending, &st, err) < 0)
		return ERR_SYSTEM;
	int rc = write_staged(b, st, err);
	sqlite3_finalize(st);
	return rc;
}

void batch_insert_close(struct batch_insert *b)
{
	sqlite3_finalize(b->full);
	b->full = NULL;
}
