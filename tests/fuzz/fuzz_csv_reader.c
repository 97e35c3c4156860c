/* Fuzz target: arbitrary bytes as a CSV file (plain or gzip'd) through the streaming
 * reader, with the reading into UTF-8, column mapping and value checks ingest applies
 * to each row. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/csv_reader.h"
#include "ingest/fields.h"
#include "ingest/row_encoding.h"
#include "util/parse_value.h"
#include "util/utf8.h"

struct state {
	struct column_map map;
	int mapped;
	struct row_encoding encoding;
};

static int on_row(void *ctx, const struct csv_row *as_read, struct error *err)
{
	struct state *s = ctx;
	struct csv_row copy;
	const struct csv_row *row = row_encoding_read(&s->encoding, as_read, &copy);
	for (size_t c = 0; c < row->count && s->encoding.encoding == ENCODING_CP1252; c++)
		if (utf8_invalid_at(row->fields[c].data, row->fields[c].len) < row->fields[c].len)
			abort(); /* read from Windows-1252, every value is UTF-8 */
	if (!s->mapped) {
		s->mapped = column_map_build("fuzz.csv", row, NULL, NULL, 0, &s->map, err) == 0
				    ? 1
				    : -1;
		return 0;
	}
	if (s->mapped < 0)
		return 0;
	for (int f = 0; f < s->map.kind->field_count; f++) {
		int c = s->map.column_of_field[f];
		if (c < 0 || (size_t)c >= row->count)
			continue;
		const struct csv_field *v = &row->fields[c];
		int64_t number;
		struct datetime dt;
		utf8_invalid_at(v->data, v->len);
		parse_int(v->data, v->len, &number);
		parse_decimal(v->data, v->len, 0, &number);
		parse_decimal(v->data, v->len, 1, &number);
		unsigned styles = date_styles_of(v->data, v->len);
		if (styles)
			parse_date(v->data, v->len, date_style_pick(styles), &dt);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/cartograph-fuzz-csv-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	struct state s = {0};
	row_encoding_init(&s.encoding);
	struct csv_read_options opt = {0, 1 << 20, NULL};
	struct csv_read_result result;
	struct error err;
	csv_read_file(path, &opt, on_row, &s, &result, &err);
	if (s.mapped > 0)
		column_map_free(&s.map);
	row_encoding_free(&s.encoding);
	unlink(path);
	return 0;
}
