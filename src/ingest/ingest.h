/* ingest: the first stage. Loads one CSV export into its raw table, one transaction per
 * file: rows that cannot be read go to ingest_rejects with line, column, value and
 * reason; an error (or a reject under --strict, or an interruption) rolls the whole
 * file back, so the warehouse is exactly as it was. Loading the same bytes twice is a
 * no-op; replace drops what earlier files of the same name loaded first. */
#ifndef CARTOGRAPH_INGEST_H
#define CARTOGRAPH_INGEST_H

#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>

#include "util/parse_value.h"
#include "util/error.h"

struct ingest_options {
	const char *kind;              /* order_lines, ...; NULL to detect from the header */
	char *const *maps;             /* --map field=Header overrides */
	int map_count;
	enum date_style date_style;    /* --date-format; 0 to work it out per column */
	int decimal_comma;             /* amounts written 1.234,50 */
	int strict;                    /* any reject fails the file */
	int replace;                   /* drop earlier loads of a file with this name */
	int show_progress;             /* draw a progress bar on a terminal */
	volatile sig_atomic_t *interrupted; /* set by a signal handler to stop; may be NULL */
};

struct ingest_summary {
	char kind[16];                 /* the kind loaded */
	int64_t run_id;                /* the ingest_runs row written */
	int64_t already_run_id;        /* > 0 when the same bytes were loaded before */
	int64_t rows_read, rows_loaded, rows_rejected;
	int64_t rows_replaced;         /* rows of earlier runs dropped by replace */
	char delimiter;
	double seconds;                /* wall time */
	char first_reject[512];        /* "line 12: column 'X': ..." of the first reject */
	char notes[512];               /* e.g. how ambiguous dates were read */
};

int ingest_file(sqlite3 *db, const char *path, const struct ingest_options *opt,
		struct ingest_summary *summary, struct error *err);

#endif
