/* group_sums: GROUP BY with count(*) or count(DISTINCT) and sum(), by hashing instead
 * of sorting (see group_sums.c). */
#ifndef CARTOGRAPH_GROUP_SUMS_H
#define CARTOGRAPH_GROUP_SUMS_H

#include <sqlite3.h>

#include "report/query.h"
#include "util/error.h"

struct group_query {
	const char *select_sql;       /* the group's columns first, then integers to add up */
	const struct query_arg *args; /* bound to select_sql's ?1..?nargs */
	int nargs;
	int keys;                     /* how many leading columns make the group (>= 1) */
	int distinct;                 /* 1: the column after the keys is not summed; the
					 count is of its distinct values in the group, NULL
					 not counted (count(DISTINCT column)) */
	const char *insert_sql;       /* ?1..?keys the group, then its count (rows, or
					 distinct values), then the sums in select order */
};

/* Reads every row of the select, adds them up per group and inserts one row per group,
 * in the order the groups were first seen. Sums follow SQL: NULLs are skipped, the sum
 * of none is NULL, integers add exactly. Returns 0, or ERR_SYSTEM when SQLite fails, a
 * summed column holds something other than an integer or NULL, or a sum overflows. */
int group_sums(sqlite3 *db, const struct group_query *q, struct error *err);

#endif
