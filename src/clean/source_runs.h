/* source_runs: what clean needs to know about each loaded file (an ingest_runs row) to
 * read its raw rows again: the date layout ingest settled on for the kind's date
 * field, whether amounts use a decimal comma, and the file name that data-quality
 * examples cite as "file:line". */
#ifndef CARTOGRAPH_SOURCE_RUNS_H
#define CARTOGRAPH_SOURCE_RUNS_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/parse_value.h"
#include "util/error.h"

struct source_run {
	int64_t run_id;
	char *file_name;             /* base name of the file loaded */
	enum date_style date_style;  /* layout of the kind's date field; 0 when unknown */
	int decimal_comma;           /* amounts written 1.234,50 */
};

struct source_runs {
	struct source_run *run;      /* ordered by run_id */
	uint32_t count;
	uint32_t last;               /* index of the last run found (rows come in runs) */
};

/* Reads every ingest_runs row. Returns 0 or a negative code. */
int source_runs_load(sqlite3 *db, struct source_runs *runs, struct error *err);
void source_runs_free(struct source_runs *runs);
/* Index of run_id in runs, or -1 when there is no such run. */
int64_t source_runs_find(struct source_runs *runs, int64_t run_id);

/* Parses a date of a run: with the run's layout, or when the run has none, with the
 * layout the value itself fits. Returns 0 or -1. */
int source_run_parse_date(const struct source_run *run, const char *s, size_t len,
			  struct datetime *out);
/* Seconds since 1970-01-01 UTC of a parsed date. */
int64_t datetime_seconds(const struct datetime *dt);

#endif
