/* row_encoding: a file's rows read into UTF-8 from the encoding its first non-ASCII
 * value shows (see row_encoding.h). */
#include "ingest/row_encoding.h"

#include <stdlib.h>
#include <string.h>

#include "util/cp1252.h"
#include "util/utf8.h"
#include "util/xalloc.h"

void row_encoding_init(struct row_encoding *e)
{
	memset(e, 0, sizeof *e); /* an empty buf, no fields, the encoding unknown */
}

void row_encoding_free(struct row_encoding *e)
{
	buf_free(&e->bytes);
	free(e->fields);
	memset(e, 0, sizeof *e);
}

/* Settles the encoding on the row's first value with a byte over 0x7F, if it has one. */
static void decide(struct row_encoding *e, const struct csv_row *row)
{
	for (size_t c = 0; c < row->count; c++) {
		const struct csv_field *f = &row->fields[c];
		if (utf8_is_ascii(f->data, f->len))
			continue;
		int utf8 = utf8_invalid_at(f->data, f->len) == f->len;
		e->encoding = utf8 || !cp1252_valid(f->data, f->len) ? ENCODING_UTF8
								     : ENCODING_CP1252;
		e->decided_at = row->line;
		return;
	}
}

/* Reads every value of row from Windows-1252 into e's buffers, described by copy. */
static const struct csv_row *read_cp1252(struct row_encoding *e, const struct csv_row *row,
					 struct csv_row *copy)
{
	if (row->count > e->field_cap) {
		e->field_cap = row->count;
		e->fields = xreallocarray(e->fields, e->field_cap, sizeof *e->fields);
	}
	buf_reset(&e->bytes);
	for (size_t c = 0; c < row->count; c++) {
		size_t start = e->bytes.len;
		cp1252_to_utf8(row->fields[c].data, row->fields[c].len, &e->bytes);
		e->fields[c].len = e->bytes.len - start;
	}
	size_t offset = 0; /* the bytes are where they stay only now that all are in */
	for (size_t c = 0; c < row->count; c++) {
		e->fields[c].data = e->bytes.data ? e->bytes.data + offset : "";
		offset += e->fields[c].len;
	}
	*copy = *row;
	copy->fields = e->fields;
	return copy;
}

const struct csv_row *row_encoding_read(struct row_encoding *e, const struct csv_row *row,
					struct csv_row *copy)
{
	if (e->encoding == ENCODING_UNKNOWN)
		decide(e, row);
	return e->encoding == ENCODING_CP1252 ? read_cp1252(e, row, copy) : row;
}
