/* group_sums: GROUP BY with count(*) or count(DISTINCT) and sum(), by hashing instead
 * of sorting, several groupings fed by one read (see group_sums.c). */
#ifndef CARTOGRAPH_GROUP_SUMS_H
#define CARTOGRAPH_GROUP_SUMS_H

#include <sqlite3.h>
#include <stdint.h>

#include "report/query.h"
#include "util/error.h"

/* One grouping of the read's rows; columns are numbered from 0 in the read's select. */
struct group_sink {
	const int *keys;        /* the columns that make the group */
	int key_count;          /* >= 1 */
	int distinct;           /* a column whose distinct values are counted, NULL not
				   counted (count(DISTINCT column)); -1: rows are counted */
	int distinct_in_runs;   /* 1: the rows come in order of the distinct column, so
				   each value is one run of rows and no set of the pairs
				   already counted is kept (it must hold: else values are
				   counted again) */
	const int *sums;        /* the columns added up */
	int sum_count;
	const char *insert_sql; /* ?1..?key_count the group, then its count, then the sums */
};

/* One column of a row, as SQLite gives it. */
struct group_cell {
	int type;          /* SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB or _NULL */
	int64_t i;         /* an integer's value */
	double d;          /* a real's value */
	const void *bytes; /* a text's or blob's bytes, valid while the row is added */
	uint32_t len;
};

/* One read of rows and the groupings it feeds. */
struct group_read {
	const char *select_sql;         /* every column any sink uses */
	const struct query_arg *args;   /* bound to select_sql's ?1..?nargs */
	int nargs;
	const struct group_sink *sinks;
	int sink_count;                 /* >= 1 */
};

/* Reads every row of the select once, adds each up per group of every sink, then
 * inserts one row per group, sink by sink, each in the order its groups were first
 * seen. Sums follow SQL: NULLs are skipped, the sum of none is NULL, integers add
 * exactly. Returns 0, or ERR_SYSTEM when SQLite fails, a summed column holds something
 * other than an integer or NULL, or a sum overflows. */
int group_sums(sqlite3 *db, const struct group_read *read, struct error *err);

/* The same, for rows that come from elsewhere than one select: the groupings are made,
 * fed row by row, then written. column_names (one per column the sinks number) name a
 * column in the errors; the array must outlive the sums. */
struct group_sums;
struct group_sums *group_sums_new(const struct group_sink *sinks, int sink_count,
				  const char *const *column_names);
/* Adds one row (cells numbered as the sinks' columns) to every grouping. Returns 0 or
 * ERR_SYSTEM (a summed column not a whole number, or a sum that overflows). */
int group_sums_add(struct group_sums *s, const struct group_cell *row, struct error *err);
/* Inserts one row per group, sink by sink. Returns 0 or ERR_SYSTEM. */
int group_sums_write(struct group_sums *s, sqlite3 *db, struct error *err);
void group_sums_free(struct group_sums *s);
/* Fetches column col of the statement's current row. */
void group_cell_fetch(sqlite3_stmt *stmt, int col, struct group_cell *c);

#endif
