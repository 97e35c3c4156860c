/* query: SQL results as template values. Report pages ask the warehouse a question and
 * get back a list of maps (one per row, keyed by column name) ready for a template,
 * and pull number or label arrays out of such lists for charts.
 *
 * Parameters are always bound, never pasted into the SQL. */
#ifndef CARTOGRAPH_QUERY_H
#define CARTOGRAPH_QUERY_H

#include <sqlite3.h>
#include <stddef.h>

#include "report/value.h"
#include "util/error.h"

/* A bound parameter: text when text is not NULL, else the number. */
struct query_arg {
	const char *text;
	double number;
};

#define ARG_TEXT(s) ((struct query_arg){(s), 0})
#define ARG_NUM(n) ((struct query_arg){NULL, (double)(n)})

/* Prepares sql with args bound to ?1..?n. Returns 0 or ERR_SYSTEM. */
int query_prepare(sqlite3 *db, const char *sql, const struct query_arg *args, int nargs,
		  sqlite3_stmt **stmt, struct error *err);
/* Runs sql with args bound to ?1..?n and appends one map per row to list (integers and
 * reals become numbers, text strings, NULL null). Returns 0 or ERR_SYSTEM. */
int query_rows(sqlite3 *db, const char *sql, const struct query_arg *args, int nargs,
	       struct value *list, struct error *err);
/* Like query_rows for a query of one row: its columns are set in map (left alone when
 * there is no row). */
int query_row(sqlite3 *db, const char *sql, const struct query_arg *args, int nargs,
	      struct value *map, struct error *err);

/* The numbers under key in each map of list (NaN where missing or not a number); the
 * caller frees. */
double *query_numbers(const struct value *list, const char *key);
/* The strings under key in each map of list ("" where missing); pointers into list. */
const char **query_labels(const struct value *list, const char *key);
/* A number from a map, or fallback. */
double value_number_of(const struct value *map, const char *key, double fallback);
/* A string from a map, or fallback. */
const char *value_string_of(const struct value *map, const char *key, const char *fallback);

#endif
