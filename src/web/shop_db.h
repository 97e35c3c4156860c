/* shop_db: the shop database (shop.db): its schema and migrations, opening it with the
 * pragmas the shopper side needs, a cache of prepared statements, and short write
 * transactions.
 *
 * The one idea: shop.db is the side of short transactions under concurrency. Many
 * shop.cgi processes (plain CGI: one per request; FastCGI: a few long-lived ones) share
 * it through WAL, so readers never wait; writers take the lock up front with
 * BEGIN IMMEDIATE and wait their turn in a busy handler that polls often, so a burst of
 * checkouts queues for microseconds instead of sleeping whole milliseconds. */
#ifndef CARTOGRAPH_SHOP_DB_H
#define CARTOGRAPH_SHOP_DB_H

#include <sqlite3.h>

#include "db/db.h"

#include "util/error.h"

/* Prepared statements a process keeps, at most. */
#define SHOP_DB_MAX_STATEMENTS 64

struct shop_db {
	sqlite3 *db;                                   /* the connection */
	const char *sql[SHOP_DB_MAX_STATEMENTS];       /* cached statements' SQL (static) */
	sqlite3_stmt *stmt[SHOP_DB_MAX_STATEMENTS];    /* the prepared statements */
	int count;                                     /* entries in use */
};

/* Opens (creating if needed) shop.db at path with WAL, synchronous=FULL, foreign keys and
 * the busy handler, and migrates it to the latest schema. Returns 0 or a negative code. */
int db_open_shop(const char *path, struct shop_db *out, struct error *err);
/* Finalizes every cached statement and closes the connection. */
void shop_db_close(struct shop_db *db);

/* The prepared statement for sql (a string literal: cached by its address), reset and
 * with its bindings cleared. Returns NULL with err filled when it cannot be prepared. */
sqlite3_stmt *shop_db_stmt(struct shop_db *db, const char *sql, struct error *err);

/* BEGIN IMMEDIATE, COMMIT and ROLLBACK. The first two return 0 or ERR_SYSTEM. */
int shop_db_begin_write(struct shop_db *db, struct error *err);
int shop_db_commit(struct shop_db *db, struct error *err);
void shop_db_rollback(struct shop_db *db);

/* The shop schema, newest last. */
extern const struct migration shop_migrations[];
extern const int shop_migration_count;

#endif
