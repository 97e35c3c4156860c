/* shop_db: the shop database (shop.db): its schema and migrations, opening it with the
 * pragmas the shopper side needs, a cache of prepared statements, and short write
 * transactions.
 *
 * The one idea: shop.db is the side of short transactions under concurrency. Many
 * shop.cgi processes (plain CGI: one per request; FastCGI: a few long-lived ones) share
 * it through WAL, so readers never wait. Writers queue in the kernel on an flock(2) of
 * a small lock file beside the database (shop.db-writer) and are woken the moment the
 * one before them commits, then take SQLite's lock with BEGIN IMMEDIATE. Left to
 * SQLite's busy handler alone, waiting writers poll with sleeps, and a burst of cart
 * adds or checkouts spends more time asleep than writing. The busy handler still
 * covers writers that do not queue (`cartograph build` filling the catalog).
 * Checkpoints (copying the WAL back into the database, with an fsync) never run inside
 * a request: a FastCGI process hands them to a thread of its own with its own
 * connection, and a plain CGI process runs them after its answer has gone out. */
#ifndef CARTOGRAPH_SHOP_DB_H
#define CARTOGRAPH_SHOP_DB_H

#include <sqlite3.h>

#include <stddef.h>

#include "db/db.h"

#include "util/error.h"

/* Prepared statements a process keeps, at most. */
#define SHOP_DB_MAX_STATEMENTS 64

struct shop_db {
	sqlite3 *db;                                   /* the connection */
	const char *sql[SHOP_DB_MAX_STATEMENTS];       /* cached statements' SQL (static) */
	sqlite3_stmt *stmt[SHOP_DB_MAX_STATEMENTS];    /* the prepared statements */
	int count;                                     /* entries in use */
	int relaxed;      /* synchronous is NORMAL now (else FULL, the default) */
	int wal_frames;   /* frames in the WAL after the last commit (from the WAL hook) */
	int checkpoint_due;  /* the WAL is long: shop_db_checkpoint_if_due has work */
	struct checkpointer *checkpointer; /* the background checkpoint thread, or NULL */
	int writer_lock;  /* fd of shop.db-writer, flock'd around write transactions; -1:
	                     none (then SQLite's busy handler alone orders writers) */
};

/* Opens (creating if needed) shop.db at path with WAL, synchronous=FULL, foreign keys and
 * the busy handler, and migrates it to the latest schema. Returns 0 or a negative code. */
int db_open_shop(const char *path, struct shop_db *out, struct error *err);
/* Opens shop.db at path to read only, as it stands (no migration; the busy handler
 * set). Returns 0 or ERR_SYSTEM. */
int db_open_shop_reader(const char *path, struct shop_db *out, struct error *err);
/* Finalizes every cached statement and closes the connection. */
void shop_db_close(struct shop_db *db);

/* Starts a thread that checkpoints whenever a commit leaves the WAL long (FastCGI: the
 * process lives on). Returns 0 or ERR_SYSTEM (then checkpoints wait for
 * shop_db_checkpoint_if_due). */
int shop_db_checkpoint_in_background(struct shop_db *db, const char *path, struct error *err);
/* Runs a checkpoint that is due, now (plain CGI, once the answer is sent). */
void shop_db_checkpoint_if_due(struct shop_db *db);
/* Copies the whole WAL into the database and empties the WAL file, waiting for readers
 * as the busy handler does (up to 10 s): for a batch writer such as the build's export,
 * whose large transactions would otherwise grow the WAL build after build, and every
 * process that opens shop.db first reads the whole WAL. Returns 1 when done, 0 when
 * shop.db stayed busy (the WAL is then emptied by a later checkpoint). */
int shop_db_checkpoint_now(struct shop_db *db);

/* The prepared statement for sql (a string literal: cached by its address), reset and
 * with its bindings cleared. Returns NULL with err filled when it cannot be prepared. */
sqlite3_stmt *shop_db_stmt(struct shop_db *db, const char *sql, struct error *err);

/* How much a write transaction must survive. */
enum shop_durability {
	/* Orders and reviews: on disk before COMMIT returns (synchronous=FULL), so what the
	 * shopper was told is confirmed survives a power cut. */
	SHOP_DB_DURABLE,
	/* Sessions and carts: WAL with synchronous=NORMAL, atomic and safe from crashes of
	 * the program; a power cut may forget the last few cart changes (never half of one),
	 * which the shopper makes again. It spares one fsync per cart change. The next
	 * durable commit puts them on disk too. */
	SHOP_DB_RELAXED
};

/* BEGIN IMMEDIATE (after queueing for the writer lock) with the given durability,
 * COMMIT and ROLLBACK (both leave the queue). The first two return 0 or ERR_SYSTEM; a
 * failed commit rolls back. */
int shop_db_begin_write(struct shop_db *db, enum shop_durability durability, struct error *err);
int shop_db_commit(struct shop_db *db, struct error *err);
void shop_db_rollback(struct shop_db *db);

/* A read transaction: the queries between see shop.db as it was at the first, and
 * take and drop its locks once instead of once each (a batch reader such as the
 * build's catalog pages, three queries a product). Returns 0 or ERR_SYSTEM. */
int shop_db_begin_read(struct shop_db *db, struct error *err);
void shop_db_end_read(struct shop_db *db);

/* A shop-wide setting: written in its own short transaction; read into out (found: 1,
 * else 0 and out untouched). */
int shop_db_set_setting(struct shop_db *db, const char *key, const char *value,
			struct error *err);
int shop_db_get_setting(struct shop_db *db, const char *key, char *out, size_t size);

/* The shop schema, newest last. */
extern const struct migration shop_migrations[];
extern const int shop_migration_count;

#endif
