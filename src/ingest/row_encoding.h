/* row_encoding: a CSV file's rows as UTF-8, whether the file is written in UTF-8 or in
 * Windows-1252 (what Excel saves as "CSV" on Western European Windows).
 *
 * The first value with a byte over 0x7F decides. Valid UTF-8 makes the file UTF-8: a
 * later value that is not stays as read, for ingest to reject. A value that is not
 * UTF-8 but is Windows-1252 makes the file Windows-1252 from its row on, every value
 * read into UTF-8; the rows before it were ASCII, which reads alike in both. */
#ifndef CARTOGRAPH_ROW_ENCODING_H
#define CARTOGRAPH_ROW_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/csv_reader.h"
#include "util/buf.h"

enum text_encoding { ENCODING_UNKNOWN, ENCODING_UTF8, ENCODING_CP1252 };

struct row_encoding {
	enum text_encoding encoding;
	int64_t decided_at;       /* the line whose value decided; 0 before */
	struct buf bytes;         /* the last row's values, read into UTF-8 */
	struct csv_field *fields; /* where each of them is */
	size_t field_cap;
};

void row_encoding_init(struct row_encoding *e);
void row_encoding_free(struct row_encoding *e);

/* The row in UTF-8: row itself, or copy, filled from e's buffers (valid until the next
 * call). */
const struct csv_row *row_encoding_read(struct row_encoding *e, const struct csv_row *row,
					struct csv_row *copy);

#endif
