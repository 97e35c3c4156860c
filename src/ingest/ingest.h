/* ingest: the first stage. Loads one CSV export into its raw table, one transaction per
 * file: rows that cannot be read go to ingest_rejects with line, column, value and
 * reason; an error (or a reject under --strict, or an interruption) rolls the whole
 * file back, so the warehouse is exactly as it was. Loading the same bytes twice is a
 * no-op; replace drops what earlier files of the same name loaded first. */
#ifndef CARTOGRAPH_INGEST_H
#define CARTOGRAPH_INGEST_H

#include <signal.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdint.h>

#include "util/parse_value.h"
#include "util/error.h"

/* Takes the rows ingest stores from files of one kind, a batch at a time on a thread
 * of its own while the batch is written (`run` reads order lines into clean's set this
 * way). Texts are valid during the call only. */
struct ingest_tap {
	const char *kind;              /* the kind whose files it takes */
	void *ctx;
	/* A file's rows are to come under run run_id, each with values texts. */
	void (*begin)(void *ctx, int64_t run_id, const char *file_name, int values);
	/* One stored row: the kind's fields in order, then the extra JSON (NULL when
	 * empty), and what the file's rows up to its batch's last say of its layout. */
	void (*row)(void *ctx, int64_t line, const char *const *text, const size_t *length,
		    const struct value_layout *layout);
	/* The file committed with rows_loaded rows, its dates read under date_style and
	 * its amounts with decimal_mark. */
	void (*end)(void *ctx, enum date_style date_style, enum decimal_mark decimal_mark,
		    int64_t rows_loaded);
	/* The file's load failed after its first rows were handed over. */
	void (*abandon)(void *ctx);
};

struct ingest_options {
	const char *kind;              /* order_lines, ...; NULL to detect from the header */
	char *const *maps;             /* --map field=Header overrides */
	int map_count;
	enum date_style date_style;    /* --date-format; 0 to work it out per column */
	enum decimal_mark decimal_mark; /* --decimal-comma / --decimal-point; 0 to work it
					   out from the amounts */
	int strict;                    /* any reject fails the file */
	int replace;                   /* drop earlier loads of a file with this name */
	int show_progress;             /* draw a progress bar on a terminal */
	volatile sig_atomic_t *interrupted; /* set by a signal handler to stop; may be NULL */
	const struct ingest_tap *tap;  /* NULL, or who takes the rows as they are stored */
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
	char notes[512];               /* how the file's dates and amounts were read, when
					  the data decided it: "; " between notes */
};

int ingest_file(sqlite3 *db, const char *path, const struct ingest_options *opt,
		struct ingest_summary *summary, struct error *err);

#endif
