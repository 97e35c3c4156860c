/* group_sums: GROUP BY with count(*) or count(DISTINCT) and sum(), by hashing instead
 * of sorting, several groupings fed by one read (see group_sums.c). */
#ifndef CARTOGRAPH_GROUP_SUMS_H
#define CARTOGRAPH_GROUP_SUMS_H

#include <sqlite3.h>

#include "report/query.h"
#include "util/error.h"

/* One grouping of the read's rows; columns are numbered from 0 in the read's select. */
struct group_sink {
	const int *keys;        /* the columns that make the group */
	int key_count;          /* >= 1 */
	int distinct;           /* a column whose distinct values are counted, NULL not
				   counted (count(DISTINCT column)); -1: rows are counted */
	const int *sums;        /* the columns added up */
	int sum_count;
	const char *insert_sql; /* ?1..?key_count the group, then its count, then the sums */
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

#endif
