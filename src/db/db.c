/* db: opening databases with the project's pragmas, migrating them by user_version,
 * and the few statement helpers every stage uses. */
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#include "db/checkpointer.h"

/* How long a statement waits for another connection's lock before it fails. */
#define BUSY_TIMEOUT_MS 10000

/* Fills err with "what: message"; when a file could not be read or written it names
 * the database file and, when known, the system's reason, which SQLite's own "disk I/O
 * error" leaves out (a write cut short by a full disk or a file size limit often leaves
 * no errno: then it says what to look for). */
static int set_db_error(sqlite3 *db, struct error *err, const char *what, const char *msg)
{
	int code = sqlite3_extended_errcode(db), sys = sqlite3_system_errno(db);
	const char *file = sqlite3_db_filename(db, "main");
	if (((code & 0xff) != SQLITE_IOERR && code != SQLITE_FULL) || !file || !file[0])
		return error_set(err, ERR_SYSTEM, "%s: %s", what, msg);
	const char *hint = sys ? strerror(sys)
			   : code == SQLITE_IOERR_WRITE ? "is the disk full, or the file over a size limit?"
							: NULL;
	return error_set(err, ERR_SYSTEM, "%s: %s on %s%s%s", what, msg, file, hint ? ": " : "",
			 hint ? hint : "");
}

int db_fail(sqlite3 *db, struct error *err, const char *what)
{
	if (!db)
		return error_set(err, ERR_SYSTEM, "%s: no database", what);
	return set_db_error(db, err, what, sqlite3_errmsg(db));
}

int db_exec(sqlite3 *db, const char *sql, struct error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		set_db_error(db, err, "database", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return ERR_SYSTEM;
	}
	return 0;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, struct error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK)
		return db_fail(db, err, "database");
	return 0;
}

int64_t db_query_int(sqlite3 *db, const char *sql, const char *text_param, int64_t fallback)
{
	sqlite3_stmt *stmt;
	int64_t value = fallback;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return fallback;
	if (text_param)
		sqlite3_bind_text(stmt, 1, text_param, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

int db_migrate(sqlite3 *db, const struct migration *steps, int count, struct error *err)
{
	int current = (int)db_query_int(db, "PRAGMA user_version", NULL, 0);
	int latest = count ? steps[count - 1].version : 0;
	if (current > latest)
		return error_set(err, ERR_INPUT,
				 "database schema version %d is newer than this cartograph "
				 "understands (%d): upgrade cartograph",
				 current, latest);
	for (int i = 0; i < count; i++) {
		if (steps[i].version <= current)
			continue;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", steps[i].version);
		if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
			return ERR_SYSTEM;
		if (db_exec(db, steps[i].sql, err) < 0 || db_exec(db, pragma, err) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			error_prefix(err, "migrating to schema %d", steps[i].version);
			return ERR_SYSTEM;
		}
		if (db_exec(db, "COMMIT", err) < 0)
			return ERR_SYSTEM;
	}
	return 0;
}

sqlite3 *db_open_reader(sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3 *reader = NULL;
	if (!path || !*path)
		return NULL;
	if (sqlite3_open_v2(path, &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(reader);
		return NULL;
	}
	sqlite3_busy_timeout(reader, BUSY_TIMEOUT_MS);
	return reader;
}

int db_open_warehouse(const char *path, sqlite3 **out, struct error *err)
{
	sqlite3 *db = NULL;
	*out = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		error_set(err, ERR_SYSTEM, "cannot open database %s: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return ERR_SYSTEM;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* WAL keeps readers (a report build) unblocked by a long ingest; NORMAL sync in WAL
	 * mode is durable across application crashes and keeps every commit atomic. An 8 MB
	 * page cache: on Online Retail every stage ran as fast as with 32 MB, in 18 to 40 MB
	 * less memory (the operating system caches the file anyway). A new warehouse gets
	 * 16 KB pages: the stages write and scan whole tables, and `run` on Online Retail
	 * took 4% less time than with 4 KB pages (32 KB: no better); an existing one keeps
	 * its own. */
	if (db_exec(db,
		    "PRAGMA page_size = 16384;"
		    "PRAGMA journal_mode = WAL;"
		    "PRAGMA synchronous = NORMAL;"
		    "PRAGMA foreign_keys = ON;"
		    "PRAGMA cache_size = -8192;"
		    "PRAGMA temp_store = MEMORY;",
		    err) < 0 ||
	    db_migrate(db, warehouse_migrations, warehouse_migration_count, err) < 0) {
		error_prefix(err, "%s", path);
		sqlite3_close(db);
		return ERR_SYSTEM;
	}
	checkpointer_attach(db);
	*out = db;
	return 0;
}
