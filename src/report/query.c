/* query: running a report query and turning its rows into template values. */
#include "report/query.h"

#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

int query_prepare(sqlite3 *db, const char *sql, const struct query_arg *args, int nargs,
		  sqlite3_stmt **stmt, struct error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK)
		return error_set(err, ERR_SYSTEM, "report query: %s", sqlite3_errmsg(db));
	for (int i = 0; i < nargs; i++) {
		if (args[i].text)
			sqlite3_bind_text(*stmt, i + 1, args[i].text, -1, SQLITE_TRANSIENT);
		else if (args[i].number == floor(args[i].number) && fabs(args[i].number) < 9e15)
			sqlite3_bind_int64(*stmt, i + 1, (sqlite3_int64)args[i].number);
		else
			sqlite3_bind_double(*stmt, i + 1, args[i].number);
	}
	return 0;
}

static struct value *column_value(sqlite3_stmt *stmt, int col)
{
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_INTEGER: return value_int_new(sqlite3_column_int64(stmt, col));
	case SQLITE_FLOAT: return value_number_new(sqlite3_column_double(stmt, col));
	case SQLITE_NULL: return value_null_new();
	default:
		return value_string_new_n((const char *)sqlite3_column_text(stmt, col),
					  (size_t)sqlite3_column_bytes(stmt, col));
	}
}

static void fill_map(sqlite3_stmt *stmt, struct value *map)
{
	int cols = sqlite3_column_count(stmt);
	for (int c = 0; c < cols; c++)
		value_map_set(map, sqlite3_column_name(stmt, c), column_value(stmt, c));
}

static int step_rows(sqlite3 *db, sqlite3_stmt *stmt, struct value *target, int one,
		     struct error *err)
{
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fill_map(stmt, one ? target : value_list_add_map(target));
		if (one)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rc = error_set(err, ERR_SYSTEM, "report query: %s", sqlite3_errmsg(db));
	else
		rc = 0;
	sqlite3_finalize(stmt);
	return rc;
}

int query_rows(sqlite3 *db, const char *sql, const struct query_arg *args, int nargs,
	       struct value *list, struct error *err)
{
	sqlite3_stmt *stmt;
	if (query_prepare(db, sql, args, nargs, &stmt, err) < 0)
		return ERR_SYSTEM;
	return step_rows(db, stmt, list, 0, err);
}

int query_row(sqlite3 *db, const char *sql, const struct query_arg *args, int nargs,
	      struct value *map, struct error *err)
{
	sqlite3_stmt *stmt;
	if (query_prepare(db, sql, args, nargs, &stmt, err) < 0)
		return ERR_SYSTEM;
	return step_rows(db, stmt, map, 1, err);
}

double value_number_of(const struct value *map, const char *key, double fallback)
{
	const struct value *v = map ? value_map_get(map, key) : NULL;
	return v && v->type == VALUE_NUMBER ? v->as.number.n : fallback;
}

const char *value_string_of(const struct value *map, const char *key, const char *fallback)
{
	const struct value *v = map ? value_map_get(map, key) : NULL;
	return v && v->type == VALUE_STRING ? v->as.string.bytes : fallback;
}

double *query_numbers(const struct value *list, const char *key)
{
	size_t n = list->as.list.len;
	double *out = xmalloc((n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = value_number_of(list->as.list.items[i], key, NAN);
	return out;
}

const char **query_labels(const struct value *list, const char *key)
{
	size_t n = list->as.list.len;
	const char **out = xmalloc((n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[i] = value_string_of(list->as.list.items[i], key, "");
	return out;
}
