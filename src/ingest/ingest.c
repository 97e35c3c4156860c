/* ingest: loading one CSV file into its raw table inside one transaction.
 *
 * The reader hands rows over one at a time. The first row is the header: it decides
 * the kind and the column map, and opens the transaction. Each later row is checked
 * (field count, UTF-8, required values, numbers, dates) and either inserted into the
 * raw table, text as read (and handed to the tap, if any, on a helper thread while the
 * batch is written), or recorded in ingest_rejects with the reason. Date columns
 * narrow down their layout as rows arrive (a "13/2/2020" rules out month-first), and
 * the amounts their decimal mark (a "3,50" rules out the decimal point). At
 * the end the run row gets its counts and the transaction commits; any failure rolls
 * everything back. */
#include "ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "db/batch_insert.h"
#include "db/db.h"
#include "ingest/csv_reader.h"
#include "ingest/fields.h"
#include "ingest/row_encoding.h"
#include "util/row_queue.h"
#include "util/buf.h"
#include "util/helper_thread.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define MAX_VALUE_BYTES (1024 * 1024) /* a longer field rejects its row */
/* A raw row's values: run, line, the fields the file has a column for, extra. */
_Static_assert(MAX_FIELDS + 3 <= BATCH_MAX_COLUMNS, "a raw row fits a batch_insert row");
#define REJECT_VALUE_BYTES 200        /* how much of a bad value a reject keeps */
/* Batches between the reader and the writer. The writer hashes the file before its
 * first batch (30 ms for Online Retail's 45 MB), while the reader fills four batches in
 * 9 ms: with sixteen it reads on through the hash and the writer's later pauses, and
 * Online Retail loads 8 to 11% faster, for 17 MB more (48 MB in all). */
#define INGEST_BATCHES 16
#define STOP_ALREADY_LOADED (-100)    /* internal: the same bytes were loaded before */
#define STOP_ABANDONED (-101)         /* internal: the writer stopped the reader */
#define WITNESS_BYTES 40              /* how much of an amount a note or reason quotes */

/* A staged row holds every field of a kind and the extra JSON. */
_Static_assert(MAX_FIELDS + 1 <= STAGED_MAX_VALUES, "staged rows too small");

/* An amount quoted to say how the file's decimal mark was decided. */
struct amount_witness {
	int64_t line;                         /* 0 while there is none */
	char text[WITNESS_BYTES + 4];
};

/* Everything one file's load needs while the reader runs. */
struct ingest {
	sqlite3 *db;
	const char *path;
	const char *file_name;                /* base name of path */
	const struct ingest_options *opt;
	struct ingest_summary *sum;
	char sha256[65];                      /* the file's content hash */
	uint64_t bytes;                       /* the file's size as stored */
	int in_transaction;
	struct column_map map;
	char **headers;                       /* the header row, copied */
	int header_count;
	unsigned date_mask[MAX_FIELDS];       /* date styles still possible per field */
	int first_date_field;                 /* the kind's first date field, or -1 */
	unsigned decimal_marks;               /* decimal marks the amounts can still have */
	struct amount_witness marked_by;      /* the first amount that fits one mark only */
	struct amount_witness ambiguous;      /* the first that reads differently under each */
	const char *currency;                 /* the symbol of the first amount with one */
	int64_t line;                         /* the line of the row being checked */
	struct row_encoding encoding;         /* UTF-8, or Windows-1252 read into it */
	int tapping;                          /* opt->tap takes this file's rows, */
	struct helper_thread tap_helper;      /* on this thread, while they are written */
	struct progress progress;
	/* the reader thread's side */
	struct row_queue queue;
	struct row_batch *batch;              /* the batch being filled */
	struct buf extra, scratch;            /* reused per row */
	struct error read_err;                /* the reader's error */
	int read_status;                      /* csv_read_file's result */
	/* the writer's side (the calling thread) */
	struct batch_insert *rows;            /* the raw rows, many to an INSERT */
	struct buf rows_head;                 /* its columns: "run_id, line, ..., extra" */
	sqlite3_stmt *insert_reject;
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Hashes the file's bytes as stored. Returns 0 or ERR_INPUT. */
static int hash_file(const char *path, char hex[65], uint64_t *bytes, struct error *err)
{
	struct stat st;
	FILE *f;
	/* Anything but a readable regular file: the reader says what is wrong. */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
		return 0;
	struct sha256 h;
	uint8_t digest[32];
	char *chunk = xmalloc(1 << 16);
	size_t n;
	*bytes = 0;
	sha256_init(&h);
	while ((n = fread(chunk, 1, 1 << 16, f)) > 0) {
		sha256_update(&h, chunk, n);
		*bytes += n;
	}
	int failed = ferror(f);
	fclose(f);
	free(chunk);
	if (failed)
		return error_set(err, ERR_INPUT, "%s: read error", path);
	sha256_final(&h, digest);
	sha256_hex(digest, hex);
	return 0;
}

static void bind_staged(sqlite3_stmt *stmt, int index, const struct row_batch *b,
			struct staged_value v)
{
	if (v.length == STAGED_NULL)
		sqlite3_bind_null(stmt, index);
	else
		sqlite3_bind_text(stmt, index, b->bytes.data + v.offset, (int)v.length,
				  SQLITE_STATIC);
}

/* Appends a value for a message or a reject row: at most max bytes, with invalid
 * UTF-8 bytes written as \xNN so the stored text is always valid. */
static void append_shown_value(struct buf *out, const char *s, size_t len, size_t max)
{
	size_t shown = len > max ? max : len;
	while (shown) {
		size_t ok = utf8_invalid_at(s, shown);
		buf_append(out, s, ok);
		if (ok == shown)
			break;
		buf_printf(out, "\\x%02x", (unsigned char)s[ok]);
		s += ok + 1;
		shown -= ok + 1;
	}
	if (len > max)
		buf_puts(out, "...");
}

/* The batch to stage the next row in, or NULL when the writer stopped. */
static struct row_batch *current_batch(struct ingest *in)
{
	if (!in->batch)
		in->batch = row_queue_fill_begin(&in->queue);
	return in->batch;
}

/* The date layouts the kind's first date field can still have. */
static unsigned first_date_styles(const struct ingest *in)
{
	return in->first_date_field >= 0 ? in->date_mask[in->first_date_field] : 0;
}

/* What the rows read so far say of the file's layout. */
static struct value_layout layout_of(const struct ingest *in)
{
	return (struct value_layout){first_date_styles(in), in->decimal_marks,
				     in->ambiguous.line > 0};
}

/* The mark the file's amounts are read with: the one left, or the decimal point when
 * nothing ruled it out. */
static enum decimal_mark decimal_mark_of(const struct ingest *in)
{
	return in->decimal_marks == DECIMAL_COMMA ? DECIMAL_COMMA : DECIMAL_POINT;
}

static const char *decimal_mark_name(enum decimal_mark mark)
{
	return mark == DECIMAL_COMMA ? "a decimal comma" : "a decimal point";
}

/* Adds a note on how the file was read to the summary's. */
static void add_note(struct ingest *in, const char *note)
{
	char *notes = in->sum->notes;
	size_t used = strlen(notes);
	snprintf(notes + used, sizeof in->sum->notes - used, "%s%s", used ? "; " : "", note);
}

/* Hands the batch over once it is full. */
static void staged_one(struct ingest *in)
{
	struct row_batch *b = in->batch;
	b->layout = layout_of(in);
	if (++b->count == ROW_BATCH_ROWS || b->bytes.len >= ROW_BATCH_BYTES) {
		row_queue_fill_end(&in->queue);
		in->batch = NULL;
	}
}

/* Stages a rejected row. column is -1 when the problem is the row as a whole. */
static int reject_row(struct ingest *in, const struct csv_row *row, int column,
		      const char *reason, struct error *err)
{
	struct ingest_summary *sum = in->sum;
	struct buf *value = &in->scratch;
	buf_reset(value);
	if (column >= 0 && (size_t)column < row->count)
		append_shown_value(value, row->fields[column].data, row->fields[column].len,
				   REJECT_VALUE_BYTES);
	else
		for (size_t c = 0; c < row->count && value->len < REJECT_VALUE_BYTES; c++) {
			if (c)
				buf_putc(value, row->delimiter);
			append_shown_value(value, row->fields[c].data, row->fields[c].len,
					   REJECT_VALUE_BYTES);
		}
	const char *header = column >= 0 && column < in->header_count ? in->headers[column] : NULL;
	sum->rows_rejected++;
	if (!sum->first_reject[0])
		snprintf(sum->first_reject, sizeof sum->first_reject, "%s:%lld: %s%s%s%s",
			 in->path, (long long)row->line, header ? "column '" : "",
			 header ? header : "", header ? "': " : "", reason);
	if (in->opt->strict)
		return error_set(err, ERR_INPUT, "%s (--strict)", sum->first_reject);
	struct row_batch *b = current_batch(in);
	if (!b)
		return STOP_ABANDONED;
	struct staged_row *staged = &b->rows[b->count];
	staged->line = row->line;
	staged->reject_column = header ? column : -1;
	staged->values[0] = row_batch_add(b, buf_str(value), value->len);
	staged->values[1] = row_batch_add(b, reason, strlen(reason));
	staged_one(in);
	return 0;
}

/* Checks a date value against its column's remaining styles. Returns NULL when it
 * fits (narrowing the column), else the reason, written into reason. */
static const char *check_date(struct ingest *in, int field, const char *s, size_t len,
			      char *reason, size_t reason_size)
{
	unsigned allowed = in->date_mask[field], fits = 0;
	struct datetime dt;
	for (unsigned bit = 1; bit <= allowed; bit <<= 1)
		if ((allowed & bit) && parse_date(s, len, (enum date_style)bit, &dt) == 0)
			fits |= bit;
	if (fits) {
		in->date_mask[field] = fits;
		return NULL;
	}
	struct buf shown = BUF_INIT;
	append_shown_value(&shown, s, len, 60);
	if (date_styles_of(s, len))
		snprintf(reason, reason_size,
			 "'%s' does not fit the date layout of this column's earlier rows (%s)",
			 buf_str(&shown), date_style_name(date_style_pick(allowed)));
	else
		snprintf(reason, reason_size, "'%s' is not a date", buf_str(&shown));
	buf_free(&shown);
	return reason;
}

static void witness(struct amount_witness *w, int64_t line, const char *s, size_t len)
{
	struct buf shown = BUF_INIT;
	append_shown_value(&shown, s, len, WITNESS_BYTES);
	w->line = line;
	snprintf(w->text, sizeof w->text, "%s", buf_str(&shown));
	buf_free(&shown);
}

/* Checks an amount against the decimal marks the file's amounts can still have.
 * Returns NULL when it fits (narrowing them), else the reason, written into reason. */
static const char *check_amount(struct ingest *in, const char *s, size_t len, char *reason,
				size_t reason_size)
{
	int64_t point = 0, comma = 0;
	unsigned left = 0;
	if ((in->decimal_marks & DECIMAL_POINT) && parse_decimal(s, len, 0, &point) == 0)
		left |= DECIMAL_POINT;
	if ((in->decimal_marks & DECIMAL_COMMA) && parse_decimal(s, len, 1, &comma) == 0)
		left |= DECIMAL_COMMA;
	if (left == DECIMAL_EITHER && point != comma && !in->ambiguous.line)
		witness(&in->ambiguous, in->line, s, len);
	if (left && left != in->decimal_marks && !in->marked_by.line)
		witness(&in->marked_by, in->line, s, len);
	if (left) {
		in->decimal_marks = left;
		if (!in->currency)
			in->currency = amount_currency(s, len);
		return NULL;
	}
	/* it fits no mark left: it is no number, or written with the other mark */
	unsigned other = DECIMAL_EITHER & ~in->decimal_marks;
	unsigned fits = other && parse_decimal(s, len, other == DECIMAL_COMMA, &point) == 0
				? other
				: 0;
	struct buf shown = BUF_INIT;
	append_shown_value(&shown, s, len, 60);
	if (!fits)
		snprintf(reason, reason_size, "'%s' is not a number", buf_str(&shown));
	else if (in->marked_by.line)
		snprintf(reason, reason_size,
			 "'%s' is written with %s, but this file's amounts with %s ('%s' on "
			 "line %lld)",
			 buf_str(&shown), decimal_mark_name((enum decimal_mark)fits),
			 decimal_mark_name(decimal_mark_of(in)), in->marked_by.text,
			 (long long)in->marked_by.line);
	else
		snprintf(reason, reason_size, "'%s' is written with %s, but the amounts are read "
			 "with %s (--decimal-%s)", buf_str(&shown),
			 decimal_mark_name((enum decimal_mark)fits),
			 decimal_mark_name(decimal_mark_of(in)),
			 in->decimal_marks == DECIMAL_COMMA ? "comma" : "point");
	buf_free(&shown);
	return reason;
}

/* Checks one mapped value. Returns NULL when fine, else the reason (in reason). */
static const char *check_value(struct ingest *in, int field, const char *s, size_t len,
			       char *reason, size_t reason_size)
{
	const struct field_def *fd = &in->map.kind->fields[field];
	int64_t number;
	int blank = 1;
	for (size_t i = 0; i < len && blank; i++)
		blank = s[i] == ' ' || s[i] == '\t';
	if (blank) {
		if (fd->rule != FIELD_REQUIRED)
			return NULL;
		snprintf(reason, reason_size, "empty, but %s is required", fd->name);
		return reason;
	}
	const char *what = NULL;
	switch (fd->type) {
	case FIELD_TEXT:
		return NULL;
	case FIELD_INT:
		if (parse_int(s, len, &number) == 0)
			return NULL;
		what = "is not a whole number";
		break;
	case FIELD_DECIMAL:
		return check_amount(in, s, len, reason, reason_size);
	case FIELD_DATE:
		return check_date(in, field, s, len, reason, reason_size);
	}
	struct buf shown = BUF_INIT;
	append_shown_value(&shown, s, len, 60);
	snprintf(reason, reason_size, "'%s' %s", buf_str(&shown), what);
	buf_free(&shown);
	return reason;
}

/* Checks the row's shape and bytes. Returns the offending column (or -1 for the whole
 * row) with reason filled, or -2 when the row is fine. */
static int check_row_shape(struct ingest *in, const struct csv_row *row, char *reason,
			   size_t reason_size)
{
	size_t expected = (size_t)in->header_count;
	if (row->count < expected) {
		snprintf(reason, reason_size, "has %zu fields, the header has %zu (a cut-off row?)",
			 row->count, expected);
		return -1;
	}
	for (size_t c = expected; c < row->count; c++)
		if (row->fields[c].len) {
			snprintf(reason, reason_size, "has %zu fields, the header has %zu",
				 row->count, expected);
			return -1;
		}
	for (size_t c = 0; c < expected; c++) {
		const struct csv_field *f = &row->fields[c];
		if (f->len > MAX_VALUE_BYTES) {
			snprintf(reason, reason_size, "a value of %zu bytes, over the limit of %d",
				 f->len, MAX_VALUE_BYTES);
			return (int)c;
		}
		size_t bad = utf8_invalid_at(f->data, f->len);
		if (bad < f->len) {
			snprintf(reason, reason_size, "invalid UTF-8 at byte %zu of the value",
				 bad + 1);
			return (int)c;
		}
		if (memchr(f->data, '\0', f->len)) {
			snprintf(reason, reason_size, "contains a NUL byte");
			return (int)c;
		}
	}
	return -2;
}

/* Checks that a row with ONE_OF fields (prices, review text/rating) has one of them. */
static const char *check_one_of(struct ingest *in, const struct csv_row *row, char *reason,
				size_t reason_size)
{
	const struct kind_def *kind = in->map.kind;
	int present = 0, any = 0;
	for (int f = 0; f < kind->field_count; f++) {
		int c = in->map.column_of_field[f];
		if (kind->fields[f].rule != FIELD_ONE_OF || c < 0)
			continue;
		any = 1;
		present |= row->fields[c].len > 0;
	}
	if (!any || present)
		return NULL;
	snprintf(reason, reason_size, "%s", strcmp(kind->name, "reviews") == 0
						   ? "neither a rating nor a review text"
						   : "no price: both unit price and line total are empty");
	return reason;
}

static void build_extra_json(struct ingest *in, const struct csv_row *row)
{
	struct buf *extra = &in->extra;
	buf_reset(extra);
	for (int c = 0; c < in->header_count; c++) {
		if (in->map.field_of_column[c] >= 0 || !row->fields[c].len)
			continue;
		buf_putc(extra, extra->len ? ',' : '{');
		buf_json_string(extra, in->headers[c], strlen(in->headers[c]));
		buf_putc(extra, ':');
		buf_json_string(extra, row->fields[c].data, row->fields[c].len);
	}
	if (extra->len)
		buf_putc(extra, '}');
}

static int load_row(struct ingest *in, const struct csv_row *row, struct error *err)
{
	char reason[400];
	in->line = row->line;
	int column = check_row_shape(in, row, reason, sizeof reason);
	if (column != -2)
		return reject_row(in, row, column, reason, err);
	const struct kind_def *kind = in->map.kind;
	for (int f = 0; f < kind->field_count; f++) {
		int c = in->map.column_of_field[f];
		if (c >= 0 && check_value(in, f, row->fields[c].data, row->fields[c].len, reason,
					  sizeof reason))
			return reject_row(in, row, c, reason, err);
	}
	if (check_one_of(in, row, reason, sizeof reason))
		return reject_row(in, row, -1, reason, err);

	struct row_batch *b = current_batch(in);
	if (!b)
		return STOP_ABANDONED;
	struct staged_row *staged = &b->rows[b->count];
	staged->line = row->line;
	staged->reject_column = STAGED_LOAD;
	for (int f = 0; f < kind->field_count; f++) {
		int c = in->map.column_of_field[f];
		staged->values[f] = c >= 0 && row->fields[c].len
					    ? row_batch_add(b, row->fields[c].data, row->fields[c].len)
					    : row_batch_add(b, NULL, 0);
	}
	build_extra_json(in, row);
	staged->values[kind->field_count] =
		row_batch_add(b, in->extra.len ? in->extra.data : NULL, in->extra.len);
	staged_one(in);
	return 0;
}

/* Opens the raw rows' batched INSERT: the run, the line, the fields the file has a
 * column for and extra (the others stay NULL). Staging many rows to a statement cut
 * inserting Online Retail's rows from 0.29 to 0.20 s of SQLite's time. */
static int open_rows_insert(struct ingest *in, struct error *err)
{
	const struct kind_def *kind = in->map.kind;
	/* The SQL is made from the kind table's constant names, never from input. */
	buf_puts(&in->rows_head, "run_id, line");
	for (int f = 0; f < kind->field_count; f++)
		if (in->map.column_of_field[f] >= 0)
			buf_printf(&in->rows_head, ", %s", kind->fields[f].name);
	buf_puts(&in->rows_head, ", extra");
	in->rows = xcalloc(1, sizeof *in->rows);
	return batch_insert_open(in->rows, in->db, kind->raw_table, buf_str(&in->rows_head),
				 err);
}

static int prepare_statements(struct ingest *in, struct error *err)
{
	if (open_rows_insert(in, err) < 0)
		return ERR_SYSTEM;
	return db_prepare(in->db,
			  "INSERT INTO ingest_rejects (run_id, line, column_name, value, reason) "
			  "VALUES (?1, ?2, ?3, ?4, ?5)",
			  &in->insert_reject, err);
}

static void utc_now(char out[21])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes the run row (counts are filled in at the end) and takes its id. */
static int insert_run(struct ingest *in, struct error *err)
{
	sqlite3_stmt *st;
	char now[21];
	char delimiter[2] = {in->sum->delimiter, '\0'};
	if (db_prepare(in->db,
		       "INSERT INTO ingest_runs (kind, file_name, path, sha256, bytes, delimiter,"
		       " columns, date_formats, decimal_comma, rows_read, rows_loaded,"
		       " rows_rejected, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '[]', '{}',"
		       " ?7, 0, 0, 0, ?8)",
		       &st, err) < 0)
		return ERR_SYSTEM;
	utc_now(now);
	sqlite3_bind_text(st, 1, in->map.kind->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->file_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, in->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, in->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)in->bytes);
	sqlite3_bind_text(st, 6, delimiter, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, in->opt->decimal_mark == DECIMAL_COMMA); /* final at the end */
	sqlite3_bind_text(st, 8, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(in->db, err, "recording the run");
	in->sum->run_id = sqlite3_last_insert_rowid(in->db);
	return 0;
}

/* With replace: drops the runs (and so their rows) of earlier files of the same name,
 * or with the same bytes. */
static int drop_replaced_runs(struct ingest *in, struct error *err)
{
	static const char *const where =
		" FROM ingest_runs WHERE kind = ?1 AND (file_name = ?2 OR sha256 = ?3)";
	sqlite3_stmt *st;
	for (int pass = 0; pass < 2; pass++) {
		char sql[160];
		snprintf(sql, sizeof sql, "%s%s",
			 pass ? "DELETE" : "SELECT COALESCE(SUM(rows_loaded), 0)", where);
		if (db_prepare(in->db, sql, &st, err) < 0)
			return ERR_SYSTEM;
		sqlite3_bind_text(st, 1, in->map.kind->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, in->file_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, in->sha256, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			in->sum->rows_replaced = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(in->db, err, "replacing earlier loads");
	}
	return 0;
}

static int64_t find_loaded_run(struct ingest *in)
{
	sqlite3_stmt *st;
	int64_t run = 0;
	if (sqlite3_prepare_v2(in->db,
			       "SELECT run_id FROM ingest_runs WHERE kind = ?1 AND sha256 = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, in->map.kind->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		run = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return run;
}

/* Reader side: the header row decides the kind and maps the columns. */
static int read_header(struct ingest *in, const struct csv_row *header, struct error *err)
{
	const struct kind_def *kind = NULL;
	if (in->opt->kind && !(kind = kind_find(in->opt->kind)))
		return error_set(err, ERR_INPUT, "unknown kind '%s'", in->opt->kind);
	if (column_map_build(in->path, header, kind, in->opt->maps, in->opt->map_count,
			     &in->map, err) < 0)
		return ERR_INPUT;
	snprintf(in->sum->kind, sizeof in->sum->kind, "%s", in->map.kind->name);
	in->sum->delimiter = header->delimiter;
	in->header_count = (int)header->count;
	in->headers = xcalloc(header->count, sizeof(char *));
	for (size_t c = 0; c < header->count; c++)
		in->headers[c] = xstrndup(header->fields[c].data, header->fields[c].len);
	for (int f = 0; f < MAX_FIELDS; f++)
		in->date_mask[f] = in->opt->date_style ? (unsigned)in->opt->date_style
						       : DATE_ALL_STYLES;
	in->first_date_field = -1;
	in->decimal_marks = in->opt->decimal_mark ? (unsigned)in->opt->decimal_mark : DECIMAL_EITHER;
	for (int f = in->map.kind->field_count - 1; f >= 0; f--)
		if (in->map.kind->fields[f].type == FIELD_DATE)
			in->first_date_field = f;
	return 0;
}

static int on_row(void *ctx, const struct csv_row *as_read, struct error *err)
{
	struct ingest *in = ctx;
	struct csv_row copy;
	const struct csv_row *row = row_encoding_read(&in->encoding, as_read, &copy);
	if (in->opt->interrupted && *in->opt->interrupted)
		return error_set(err, ERR_INTERRUPTED, "%s: interrupted at line %lld; nothing "
				 "of this file was loaded", in->path, (long long)row->line);
	if (!in->map.kind)
		return read_header(in, row, err);
	in->sum->rows_read++;
	return load_row(in, row, err);
}

static void on_progress(void *ctx, uint64_t bytes_read)
{
	struct ingest *in = ctx;
	progress_update(&in->progress, bytes_read);
}

/* Settles each date column's layout; a column whose rows fit two layouts (every day
 * 12 or less) is read month-first, and the summary says so. */
static void settle_date_formats(struct ingest *in, struct buf *json)
{
	const struct kind_def *kind = in->map.kind;
	buf_putc(json, '{');
	for (int f = 0; f < kind->field_count; f++) {
		if (kind->fields[f].type != FIELD_DATE || in->map.column_of_field[f] < 0)
			continue;
		unsigned mask = in->date_mask[f];
		enum date_style style = date_style_pick(mask);
		if ((mask & DATE_MDY) && (mask & DATE_DMY) && in->sum->rows_loaded > 0) {
			char note[300];
			snprintf(note, sizeof note,
				 "dates in column '%s' fit both M/D/Y and D/M/Y; read as M/D/Y "
				 "(pass --date-format DMY if that is wrong)",
				 in->headers[in->map.column_of_field[f]]);
			add_note(in, note);
		}
		buf_printf(json, "%s\"%s\":\"%s\"", json->len > 1 ? "," : "",
			   kind->fields[f].name, date_style_name(style));
	}
	buf_putc(json, '}');
}

static void describe_columns(struct ingest *in, struct buf *json)
{
	buf_putc(json, '[');
	for (int c = 0; c < in->header_count; c++) {
		int f = in->map.field_of_column[c];
		buf_puts(json, c ? ",{\"header\":" : "{\"header\":");
		buf_json_string(json, in->headers[c], strlen(in->headers[c]));
		buf_puts(json, ",\"field\":");
		if (f >= 0)
			buf_printf(json, "\"%s\"}", in->map.kind->fields[f].name);
		else
			buf_puts(json, "null}");
	}
	buf_putc(json, ']');
}

/* Writer side, on the first batch: skip a file loaded before, else open the
 * transaction, drop replaced runs, write the run row. */
static int open_run(struct ingest *in, struct error *err)
{
	if (!in->opt->replace && (in->sum->already_run_id = find_loaded_run(in)) > 0)
		return STOP_ALREADY_LOADED;
	if (db_exec(in->db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	in->in_transaction = 1;
	if (in->opt->replace && drop_replaced_runs(in, err) < 0)
		return ERR_SYSTEM;
	if (insert_run(in, err) < 0 || prepare_statements(in, err) < 0)
		return ERR_SYSTEM;
	const struct ingest_tap *tap = in->opt->tap;
	if (tap && strcmp(tap->kind, in->map.kind->name) == 0) {
		in->tapping = 1;
		helper_thread_start(&in->tap_helper);
		tap->begin(tap->ctx, in->sum->run_id, in->file_name, in->map.kind->field_count + 1);
	}
	return 0;
}

/* Hands a stored row to the tap. */
static void tap_row(struct ingest *in, const struct row_batch *b, const struct staged_row *row)
{
	const char *text[MAX_FIELDS + 1];
	size_t length[MAX_FIELDS + 1];
	row_batch_texts(b, row, in->map.kind->field_count + 1, text, length);
	in->opt->tap->row(in->opt->tap->ctx, row->line, text, length, &b->layout);
}

/* A batch for the tap. */
struct tap_job {
	struct ingest *in;
	const struct row_batch *batch;
};

/* Hands a batch's stored rows to the tap (on the tap's helper thread). */
static void tap_batch(void *arg)
{
	const struct tap_job *job = arg;
	const struct row_batch *b = job->batch;
	for (size_t i = 0; i < b->count; i++)
		if (b->rows[i].reject_column == STAGED_LOAD)
			tap_row(job->in, b, &b->rows[i]);
}

/* Stages a value of a batch's row (NULL for an empty field). */
static void stage_value(struct batch_insert *rows, const struct row_batch *b,
			struct staged_value v)
{
	if (v.length == STAGED_NULL)
		batch_insert_null(rows);
	else
		batch_insert_text(rows, b->bytes.data + v.offset, v.length);
}

/* Stages a loaded row for the raw table; the INSERT runs when enough are staged. */
static int write_row(struct ingest *in, const struct row_batch *b, const struct staged_row *row,
		     struct error *err)
{
	const int fields = in->map.kind->field_count;
	batch_insert_int(in->rows, in->sum->run_id);
	batch_insert_int(in->rows, row->line);
	for (int f = 0; f < fields; f++)
		if (in->map.column_of_field[f] >= 0)
			stage_value(in->rows, b, row->values[f]);
	stage_value(in->rows, b, row->values[fields]);
	in->sum->rows_loaded++;
	return batch_insert_row(in->rows, err);
}

static int write_reject(struct ingest *in, const struct row_batch *b,
			const struct staged_row *row, struct error *err)
{
	sqlite3_stmt *st = in->insert_reject;
	sqlite3_bind_int64(st, 1, in->sum->run_id);
	sqlite3_bind_int64(st, 2, row->line);
	if (row->reject_column >= 0)
		sqlite3_bind_text(st, 3, in->headers[row->reject_column], -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	bind_staged(st, 4, b, row->values[0]);
	bind_staged(st, 5, b, row->values[1]);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(in->db, err, "recording a reject");
}

/* Writer side: inserts a batch's rows and rejects. */
static int write_batch(struct ingest *in, const struct row_batch *b, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < b->count; i++) {
		const struct staged_row *row = &b->rows[i];
		rc = row->reject_column == STAGED_LOAD ? write_row(in, b, row, err)
						       : write_reject(in, b, row, err);
	}
	/* the staged texts live in the batch, which is handed back after this */
	if (rc == 0)
		rc = batch_insert_flush(in->rows, err);
	return rc;
}

/* Says how the amounts were read when the data decided it. */
static void note_decimal_mark(struct ingest *in)
{
	char note[300];
	if (in->opt->decimal_mark || in->sum->rows_loaded == 0)
		return;
	if (in->decimal_marks == DECIMAL_COMMA)
		snprintf(note, sizeof note, "amounts read with a decimal comma, as '%s' on line "
			 "%lld is written", in->marked_by.text, (long long)in->marked_by.line);
	else if (in->decimal_marks == DECIMAL_EITHER && in->ambiguous.line)
		snprintf(note, sizeof note, "amounts such as '%s' (line %lld) fit both a "
			 "decimal point and a decimal comma; read with a decimal point (pass "
			 "--decimal-comma if that is wrong)", in->ambiguous.text,
			 (long long)in->ambiguous.line);
	else
		return;
	add_note(in, note);
}

static int finish_load(struct ingest *in, struct error *err)
{
	struct ingest_summary *sum = in->sum;
	if (sum->rows_read == 0)
		return error_set(err, ERR_INPUT, "%s: the file has a header but no rows",
				 in->path);
	if (sum->rows_loaded == 0)
		return error_set(err, ERR_INPUT, "none of the %lld rows of %s could be read; the "
				 "first: %s", (long long)sum->rows_read, in->path,
				 sum->first_reject);
	struct buf columns = BUF_INIT, dates = BUF_INIT;
	sqlite3_stmt *st = NULL;
	describe_columns(in, &columns);
	if (in->encoding.encoding == ENCODING_CP1252) {
		char note[160];
		snprintf(note, sizeof note, "text read as Windows-1252: line %lld is not UTF-8",
			 (long long)in->encoding.decided_at);
		add_note(in, note);
	}
	settle_date_formats(in, &dates);
	note_decimal_mark(in);
	int rc = db_prepare(in->db,
			    "UPDATE ingest_runs SET columns = ?1, date_formats = ?2, rows_read = ?3,"
			    " rows_loaded = ?4, rows_rejected = ?5, decimal_comma = ?6, currency = ?7"
			    " WHERE run_id = ?8",
			    &st, err);
	if (rc == 0) {
		sqlite3_bind_text(st, 1, buf_str(&columns), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, buf_str(&dates), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, sum->rows_read);
		sqlite3_bind_int64(st, 4, sum->rows_loaded);
		sqlite3_bind_int64(st, 5, sum->rows_rejected);
		sqlite3_bind_int(st, 6, decimal_mark_of(in) == DECIMAL_COMMA);
		if (in->currency)
			sqlite3_bind_text(st, 7, in->currency, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 7);
		sqlite3_bind_int64(st, 8, sum->run_id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(in->db, err, "recording the run");
	}
	sqlite3_finalize(st);
	buf_free(&columns);
	buf_free(&dates);
	if (rc == 0 && (rc = db_exec(in->db, "COMMIT", err)) == 0)
		in->in_transaction = 0;
	return rc;
}

static void ingest_release(struct ingest *in)
{
	if (in->tapping)
		helper_thread_stop(&in->tap_helper);
	if (in->in_transaction)
		sqlite3_exec(in->db, "ROLLBACK", NULL, NULL, NULL);
	if (in->rows)
		batch_insert_close(in->rows);
	free(in->rows);
	buf_free(&in->rows_head);
	sqlite3_finalize(in->insert_reject);
	for (int c = 0; c < in->header_count; c++)
		free(in->headers[c]);
	free(in->headers);
	column_map_free(&in->map);
	buf_free(&in->extra);
	buf_free(&in->scratch);
	row_encoding_free(&in->encoding);
	progress_finish(&in->progress);
}

/* The reader thread: reads and checks the file, staging rows into batches. */
static void *reader_thread(void *arg)
{
	struct ingest *in = arg;
	struct csv_read_options read_opt = {0, 0, on_progress};
	struct csv_read_result result;
	in->read_status = csv_read_file(in->path, &read_opt, on_row, in, &result, &in->read_err);
	row_queue_close(&in->queue);
	return NULL;
}

/* The writer loop: drains batches into the database until the reader closes the
 * queue or something fails. Returns 0 or a negative code. */
static int write_batches(struct ingest *in, struct error *err)
{
	struct row_batch *b;
	int rc = 0, opened = 0;
	while ((b = row_queue_take(&in->queue))) {
		if (!opened && (rc = open_run(in, err)) < 0)
			break;
		opened = 1;
		struct tap_job job = {in, b};
		if (in->tapping)
			helper_thread_run(&in->tap_helper, tap_batch, &job);
		rc = write_batch(in, b, err);
		if (in->tapping)
			helper_thread_wait(&in->tap_helper);
		row_queue_release(&in->queue);
		if (rc < 0)
			break;
	}
	if (rc < 0)
		row_queue_abandon(&in->queue);
	return rc;
}

int ingest_file(sqlite3 *db, const char *path, const struct ingest_options *opt,
		struct ingest_summary *sum, struct error *err)
{
	struct ingest in = {.db = db, .path = path, .file_name = base_name(path), .opt = opt,
			    .sum = sum};
	pthread_t reader;
	struct stat st;
	double started = monotonic_seconds();
	memset(sum, 0, sizeof *sum);
	progress_start(&in.progress, opt->show_progress, path,
		       stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
	row_queue_init(&in.queue, INGEST_BATCHES);
	row_encoding_init(&in.encoding);
	if (pthread_create(&reader, NULL, reader_thread, &in) != 0) {
		row_queue_destroy(&in.queue);
		return error_set(err, ERR_SYSTEM, "cannot start a thread");
	}
	/* The file is hashed while the reader starts on it: the writer needs the hash (to
	 * skip a file loaded before) only at the first batch. */
	int rc = hash_file(path, in.sha256, &in.bytes, err);
	if (rc == 0)
		rc = write_batches(&in, err);
	else
		row_queue_abandon(&in.queue);
	pthread_join(reader, NULL);
	if (rc == 0 && in.read_status < 0 && in.read_status != STOP_ABANDONED) {
		rc = in.read_status;
		*err = in.read_err;
	}
	if (rc == STOP_ALREADY_LOADED)
		rc = 0;
	else if (rc == 0 && !in.map.kind)
		rc = error_set(err, ERR_INPUT, "%s: the file is empty", path);
	else if (rc == 0)
		rc = finish_load(&in, err);
	if (in.tapping && rc == 0)
		opt->tap->end(opt->tap->ctx, date_style_pick(first_date_styles(&in)),
			      decimal_mark_of(&in), sum->rows_loaded);
	else if (in.tapping)
		opt->tap->abandon(opt->tap->ctx);
	ingest_release(&in);
	row_queue_destroy(&in.queue);
	sum->seconds = monotonic_seconds() - started;
	if (rc < 0)
		sum->rows_loaded = 0;
	return rc;
}
