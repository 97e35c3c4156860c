/* csv_writer: writing one RFC 4180 CSV file of the synthetic shop (comma separated, LF
 * line ends, UTF-8, a header row, fields quoted only when they hold a comma, a quote or
 * a line break).
 *
 * The file is written as NAME.tmp beside its final name and renamed into place by
 * csv_writer_close(), so a failed run never leaves a half-written CSV behind under the
 * real name. Rows are built in a growable buffer and flushed in large blocks. */
#ifndef CARTOGRAPH_GEN_CSV_WRITER_H
#define CARTOGRAPH_GEN_CSV_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/error.h"

struct csv_writer {
	FILE *file;          /* the .tmp file being written; NULL when closed */
	char *path;          /* the final name, DIR/NAME */
	char *tmp_path;      /* DIR/NAME.tmp */
	struct buf pending;  /* bytes not yet handed to the file */
	int fields_in_row;   /* fields written so far in the current row */
	uint64_t rows;       /* data rows ended so far (the header is not counted) */
	int write_errno;     /* first errno seen while writing, 0 when all went well */
};

/* Creates DIR/NAME.tmp and writes header (the field names, comma separated, no line
 * end). Returns 0, or ERR_SYSTEM with the file and reason in err. */
int csv_writer_open(struct csv_writer *w, const char *dir, const char *name,
		    const char *header, struct error *err);
/* Appends a text field, quoted when it needs to be. */
void csv_field(struct csv_writer *w, const char *s);
void csv_field_n(struct csv_writer *w, const char *s, size_t len);
/* Appends an empty field. */
void csv_field_empty(struct csv_writer *w);
void csv_field_int(struct csv_writer *w, int64_t v);
/* Appends an amount of money given in cents as "-12.34" (two decimals, '.'). */
void csv_field_cents(struct csv_writer *w, int64_t cents);
/* Appends a number behind a fixed tag, e.g. "P1042" or "C100017". */
void csv_field_tagged(struct csv_writer *w, const char *tag, uint64_t number);
/* Appends a field known to need no quoting (digits, dates, fixed words). */
void csv_field_plain(struct csv_writer *w, const char *s, size_t len);
/* Ends the current row with LF. */
void csv_end_row(struct csv_writer *w);
/* Flushes, closes and renames the file into place. Returns 0, or ERR_SYSTEM (the .tmp
 * file is removed). */
int csv_writer_close(struct csv_writer *w, struct error *err);
/* Closes and removes the .tmp file without publishing it; safe on a closed writer. */
void csv_writer_abandon(struct csv_writer *w);

#endif
