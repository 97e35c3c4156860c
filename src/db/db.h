/* db: opening the warehouse and the shop database, migrations, and small statement
 * helpers. Every SQL statement with input in it is a prepared statement with bound
 * parameters: nothing here builds SQL from data. */
#ifndef CARTOGRAPH_DB_H
#define CARTOGRAPH_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/error.h"

/* One schema change: applied in order, each in its own transaction, and recorded in
 * PRAGMA user_version, so an older database is brought up to date on open. */
struct migration {
	int version;     /* user_version after this step */
	const char *sql; /* statements to run */
};

/* Opens (creating if needed) the warehouse at path with WAL, foreign keys and a busy
 * timeout, and migrates it to the latest schema. Returns 0 or a negative code. */
int db_open_warehouse(const char *path, sqlite3 **db, struct error *err);
/* A second connection to db's file, read-only, with the same busy timeout, for another
 * thread to read through (a connection is used by one thread at a time). NULL for an
 * in-memory database or when it cannot be opened: the caller then reads through db. */
sqlite3 *db_open_reader(sqlite3 *db);
/* Applies the migrations newer than the database's user_version. */
int db_migrate(sqlite3 *db, const struct migration *steps, int count, struct error *err);
/* Runs SQL without parameters (schema, BEGIN/COMMIT). */
int db_exec(sqlite3 *db, const char *sql, struct error *err);
/* Prepares one statement; on failure the error names the SQLite message. */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, struct error *err);
/* Fills err with the database's last error message, prefixed by what, and returns
 * ERR_SYSTEM. */
int db_fail(sqlite3 *db, struct error *err, const char *what);
/* Runs a query that returns one integer (e.g. a count); returns fallback when the
 * query yields no row. Parameters: up to one text value (NULL for none). */
int64_t db_query_int(sqlite3 *db, const char *sql, const char *text_param, int64_t fallback);

/* The warehouse schema, newest last. */
extern const struct migration warehouse_migrations[];
extern const int warehouse_migration_count;

#endif
