/* csv_reader: streaming CSV over libcsv, from plain or gzip'd files.
 *
 * The reader owns nothing of the caller's: it reads the file in fixed-size chunks,
 * hands each complete row to a callback and forgets it, so memory stays constant
 * whatever the file size (bounded by the longest row). It sniffs the delimiter
 * (, ; TAB |) from the header line, or takes the one a first line "sep=;" declares (as
 * Excel writes), skips a UTF-8 byte order mark, takes CRLF or LF, and keeps track of
 * the physical line each row starts on, so every message can point at "file:line". */
#ifndef CARTOGRAPH_CSV_READER_H
#define CARTOGRAPH_CSV_READER_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* A field of the current row. Not NUL-terminated; valid only during the callback. */
struct csv_field {
	const char *data;
	size_t len;
};

struct csv_row {
	const struct csv_field *fields;
	size_t count;   /* number of fields */
	int64_t line;   /* physical line (1-based) on which the row starts */
	char delimiter; /* the file's delimiter */
};

/* Called once per row, the header row included. Returning a negative code stops the
 * read; the reader then returns that code and err as the callback left it. */
typedef int (*csv_row_fn)(void *ctx, const struct csv_row *row, struct error *err);

/* Called now and then with the bytes of the file read so far (for progress bars). */
typedef void (*csv_progress_fn)(void *ctx, uint64_t bytes_read);

struct csv_read_options {
	char delimiter;           /* 0: sniff from the first line */
	size_t max_field_bytes;   /* a longer field stops the read with an error
				     (a runaway quote); 0: 16 MiB */
	csv_progress_fn progress; /* may be NULL */
};

struct csv_read_result {
	char delimiter;     /* the delimiter used */
	int64_t rows;       /* rows handed to the callback, header included */
	int64_t lines;      /* physical lines read */
	uint64_t bytes;     /* bytes of the file as stored (compressed if gzip'd) */
};

/* Reads the file at path and calls on_row for each row. Errors name the file and the
 * line: empty file, binary data, unterminated quoted field, a field over the limit,
 * read errors. Returns 0 or a negative code. */
int csv_read_file(const char *path, const struct csv_read_options *opt, csv_row_fn on_row,
		  void *ctx, struct csv_read_result *result, struct error *err);

/* Returns the most frequent of , ; TAB | outside quotes in the first line of text
 * (',' when none occurs). */
char csv_sniff_delimiter(const char *text, size_t len);

#endif
