/* shop_db: the shop.db schema (one migration so far), opening with the shopper side's
 * pragmas, the statement cache and the write-transaction helpers. */
#include "web/shop_db.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "util/progress.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* Times: sessions and carts in Unix seconds (compared on every request); orders and
 * reviews as 'YYYY-MM-DD HH:MM:SS' UTC, like the warehouse, which pulls them back. Money
 * in integer cents. Product and customer ids are the warehouse's (text). */
static const char shop_schema_v1[] =
	/* The catalog, written by `cartograph build` in one short transaction. */
	"CREATE TABLE products ("
	"  id TEXT PRIMARY KEY,"                     /* the warehouse's product_id */
	"  name TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  category TEXT NOT NULL DEFAULT '',"
	"  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),"
	"  stock INTEGER NOT NULL CHECK (stock >= 0)" /* units left: never negative */
	");"
	/* "Frequently bought together": the rank-th neighbour of a product. */
	"CREATE TABLE product_recs ("
	"  product_id TEXT NOT NULL,"
	"  rank INTEGER NOT NULL,"                   /* 1 = best */
	"  rec_product_id TEXT NOT NULL,"
	"  score REAL NOT NULL,"
	"  PRIMARY KEY (product_id, rank)"
	") WITHOUT ROWID;"
	/* Recommendations for a known customer. */
	"CREATE TABLE customer_recs ("
	"  customer_id TEXT NOT NULL,"
	"  rank INTEGER NOT NULL,"
	"  product_id TEXT NOT NULL,"
	"  score REAL NOT NULL,"
	"  PRIMARY KEY (customer_id, rank)"
	") WITHOUT ROWID;"
	/* Best sellers per category: the fallback when a product has few neighbours. */
	"CREATE TABLE popular_by_category ("
	"  category TEXT NOT NULL,"
	"  rank INTEGER NOT NULL,"
	"  product_id TEXT NOT NULL,"
	"  score REAL NOT NULL,"
	"  PRIMARY KEY (category, rank)"
	") WITHOUT ROWID;"
	/* A browser's session: the cookie sid (hex of 128 bits from getrandom(2)) and the
	 * token every form of the session must send back. */
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  sid TEXT NOT NULL UNIQUE,"
	"  csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"               /* refreshed at most every few minutes */
	");"
	"CREATE INDEX sessions_last_seen ON sessions (last_seen);"
	/* One cart per session, dropped 30 days after its last change. */
	"CREATE TABLE carts ("
	"  id INTEGER PRIMARY KEY,"
	"  session_id INTEGER NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	");"
	"CREATE INDEX carts_updated ON carts (updated);"
	"CREATE TABLE cart_lines ("
	"  cart_id INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,"
	"  product_id TEXT NOT NULL,"
	"  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),"
	"  added INTEGER NOT NULL,"                  /* lines show in the order added */
	"  PRIMARY KEY (cart_id, product_id)"
	") WITHOUT ROWID;"
	/* Web orders. Prices are copied from products at checkout, never from a form. */
	"CREATE TABLE orders ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT UNIQUE,"                      /* 'W000123', shown to the shopper */
	"  session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  payment_method TEXT NOT NULL,"
	"  items INTEGER NOT NULL,"                  /* units in the order */
	"  subtotal_cents INTEGER NOT NULL,"
	"  shipping_cents INTEGER NOT NULL,"
	"  total_cents INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'confirmed',"
	"  created TEXT NOT NULL"
	");"
	"CREATE INDEX orders_session ON orders (session_id);"
	"CREATE INDEX orders_email ON orders (email);"
	"CREATE TABLE order_lines ("
	"  order_id INTEGER NOT NULL REFERENCES orders (id),"
	"  line INTEGER NOT NULL,"
	"  product_id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  unit_price_cents INTEGER NOT NULL,"
	"  quantity INTEGER NOT NULL CHECK (quantity > 0),"
	"  line_total_cents INTEGER NOT NULL,"
	"  PRIMARY KEY (order_id, line)"
	") WITHOUT ROWID;"
	"CREATE INDEX order_lines_product ON order_lines (product_id);"
	/* The key of each checkout form that made an order: the same form sent again finds
	 * its order here instead of making a second one. */
	"CREATE TABLE idempotency_tokens ("
	"  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
	"  token TEXT NOT NULL,"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),"
	"  created INTEGER NOT NULL,"
	"  PRIMARY KEY (session_id, token)"
	") WITHOUT ROWID;"
	/* Reviews by shoppers who bought the product, scored on arrival. */
	"CREATE TABLE reviews ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id TEXT NOT NULL,"
	"  order_id INTEGER NOT NULL REFERENCES orders (id),"
	"  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
	"  body TEXT NOT NULL,"                      /* as written; escaped when shown */
	"  sentiment REAL NOT NULL,"                 /* compound score in [-1, 1] */
	"  created TEXT NOT NULL,"
	"  UNIQUE (order_id, product_id)"            /* one review per product bought */
	");"
	"CREATE INDEX reviews_product ON reviews (product_id);";

/* Shop-wide settings written by `cartograph build` (the currency shown). */
static const char shop_schema_v2[] =
	"CREATE TABLE settings ("
	"  key   TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	");";

const struct migration shop_migrations[] = {
	{1, shop_schema_v1},
	{2, shop_schema_v2},
};
const int shop_migration_count = sizeof shop_migrations / sizeof *shop_migrations;

/* Busy waits: retries every few tens of microseconds (with jitter, so waiting writers
 * do not wake in lockstep), growing to a millisecond, for up to 10 seconds. SQLite's
 * own handler sleeps whole milliseconds, which under a burst of checkouts costs far more
 * than the transactions themselves. */
static int wait_for_lock(void *ctx, int attempts)
{
	static struct rng jitter;
	static double since;
	static int seeded;
	(void)ctx;
	if (!seeded) {
		rng_seed(&jitter, (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL);
		seeded = 1;
	}
	double now = monotonic_seconds();
	if (attempts == 0)
		since = now;
	if (now - since > 10.0)
		return 0;
	long base = attempts < 50 ? 20 + attempts * 20 : 1000;
	long micros = base + (long)rng_below(&jitter, (uint64_t)base);
	struct timespec pause = {0, micros * 1000};
	nanosleep(&pause, NULL);
	return 1;
}

/* Opens (making it if needed) the lock file writers queue on; -1 when it cannot be had
 * (a read-only folder, say): writers then rely on the busy handler alone. */
static int open_writer_lock(const char *db_path)
{
	char lock_path[4096];
	if (snprintf(lock_path, sizeof lock_path, "%s-writer", db_path) >= (int)sizeof lock_path)
		return -1;
	return open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

static void queue_for_writing(struct shop_db *db)
{
	if (db->writer_lock < 0)
		return;
	while (flock(db->writer_lock, LOCK_EX) < 0 && errno == EINTR)
		continue;
}

/* WAL pages after which a writer copies them back into the database (SQLite's own
 * default for its automatic checkpoints). */
#define SHOP_DB_CHECKPOINT_FRAMES 1000

static void leave_writer_queue(struct shop_db *db)
{
	if (db->writer_lock >= 0)
		flock(db->writer_lock, LOCK_UN);
}

/* Remembers the WAL's size after each commit; replaces SQLite's automatic checkpoint,
 * which would run inside the commit, while the writer still holds the queue. */
static int note_wal_size(void *ctx, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	struct shop_db *shop_db = ctx;
	shop_db->wal_frames = frames;
	return SQLITE_OK;
}

/* The thread that checkpoints for a long-lived process, with a connection of its own
 * (a connection is used by one thread at a time). */
struct checkpointer {
	pthread_t thread;      /* runs checkpoint_loop */
	pthread_mutex_t lock;  /* guards wake and stop */
	pthread_cond_t woken;  /* signalled when wake or stop is set */
	int wake;              /* a checkpoint is wanted */
	int stop;              /* the process is closing the database */
	sqlite3 *db;           /* the thread's connection */
};

static void *checkpoint_loop(void *arg)
{
	struct checkpointer *c = arg;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->wake && !c->stop)
			pthread_cond_wait(&c->woken, &c->lock);
		if (c->stop)
			break;
		c->wake = 0;
		pthread_mutex_unlock(&c->lock);
		sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int shop_db_checkpoint_in_background(struct shop_db *db, const char *path, struct error *err)
{
	assert(!db->checkpointer);
	struct checkpointer *c = xcalloc(1, sizeof *c);
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		error_set(err, ERR_SYSTEM, "checkpoint connection: %s", c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto failed;
	}
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->woken, NULL);
	if (pthread_create(&c->thread, NULL, checkpoint_loop, c) != 0) {
		error_set(err, ERR_SYSTEM, "cannot start the checkpoint thread");
		pthread_cond_destroy(&c->woken);
		pthread_mutex_destroy(&c->lock);
		goto failed;
	}
	db->checkpointer = c;
	return 0;
failed:
	sqlite3_close(c->db);
	free(c);
	return ERR_SYSTEM;
}

static void stop_checkpointer(struct shop_db *db)
{
	struct checkpointer *c = db->checkpointer;
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = 1;
	pthread_cond_signal(&c->woken);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->woken);
	pthread_mutex_destroy(&c->lock);
	sqlite3_close(c->db);
	free(c);
	db->checkpointer = NULL;
}

/* After a commit: a long WAL is handed to the checkpoint thread, or left for
 * shop_db_checkpoint_if_due. */
static void note_checkpoint_due(struct shop_db *db)
{
	if (db->wal_frames < SHOP_DB_CHECKPOINT_FRAMES)
		return;
	db->wal_frames = 0;
	struct checkpointer *c = db->checkpointer;
	if (!c) {
		db->checkpoint_due = 1;
		return;
	}
	pthread_mutex_lock(&c->lock);
	c->wake = 1;
	pthread_cond_signal(&c->woken);
	pthread_mutex_unlock(&c->lock);
}

void shop_db_checkpoint_if_due(struct shop_db *db)
{
	if (!db->db || !db->checkpoint_due)
		return;
	db->checkpoint_due = 0;
	sqlite3_wal_checkpoint_v2(db->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

int shop_db_checkpoint_now(struct shop_db *db)
{
	db->checkpoint_due = 0;
	db->wal_frames = 0;
	return sqlite3_wal_checkpoint_v2(db->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) ==
	       SQLITE_OK;
}

/* Opens a connection to path with flags (and NOMUTEX) and the busy handler; out is
 * emptied first. Returns 0 or ERR_SYSTEM. */
static int open_connection(const char *path, int flags, struct shop_db *out, sqlite3 **db,
			   struct error *err)
{
	memset(out, 0, sizeof *out);
	out->writer_lock = -1;
	*db = NULL;
	if (sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		error_set(err, ERR_SYSTEM, "cannot open database %s: %s", path,
			  *db ? sqlite3_errmsg(*db) : "out of memory");
		sqlite3_close(*db);
		return ERR_SYSTEM;
	}
	sqlite3_busy_handler(*db, wait_for_lock, NULL);
	return 0;
}

int db_open_shop_reader(const char *path, struct shop_db *out, struct error *err)
{
	sqlite3 *db;
	if (open_connection(path, SQLITE_OPEN_READONLY, out, &db, err) < 0)
		return ERR_SYSTEM;
	out->db = db;
	return 0;
}

int db_open_shop(const char *path, struct shop_db *out, struct error *err)
{
	sqlite3 *db;
	if (open_connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, out, &db, err) < 0)
		return ERR_SYSTEM;
	/* Plain CGI closes the database after every request: the last one out must not
	 * checkpoint and delete the WAL each time (writers checkpoint when it is due). */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	/* synchronous = FULL: every commit is on disk before the shopper sees "order
	 * confirmed", so a confirmed order survives a power cut, not only a crash of this
	 * program. (WAL makes that one fsync of the log per commit.) */
	if (db_exec(db,
		    "PRAGMA journal_mode = WAL;"
		    "PRAGMA synchronous = FULL;"
		    "PRAGMA foreign_keys = ON;"
		    "PRAGMA temp_store = MEMORY;",
		    err) < 0 ||
	    db_migrate(db, shop_migrations, shop_migration_count, err) < 0) {
		error_prefix(err, "%s", path);
		sqlite3_close(db);
		return ERR_SYSTEM;
	}
	out->db = db;
	out->writer_lock = open_writer_lock(path);
	sqlite3_wal_hook(db, note_wal_size, out);
	return 0;
}

void shop_db_close(struct shop_db *db)
{
	stop_checkpointer(db);
	for (int i = 0; i < db->count; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->db);
	if (db->writer_lock >= 0)
		close(db->writer_lock);
	memset(db, 0, sizeof *db);
	db->writer_lock = -1;
}

sqlite3_stmt *shop_db_stmt(struct shop_db *db, const char *sql, struct error *err)
{
	for (int i = 0; i < db->count; i++) {
		if (db->sql[i] == sql) {
			sqlite3_reset(db->stmt[i]);
			sqlite3_clear_bindings(db->stmt[i]);
			return db->stmt[i];
		}
	}
	assert(db->count < SHOP_DB_MAX_STATEMENTS);
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		db_fail(db->db, err, "preparing a statement");
		return NULL;
	}
	db->sql[db->count] = sql;
	db->stmt[db->count++] = stmt;
	return stmt;
}

/* Runs a cached statement that returns no rows; returns SQLite's code (SQLITE_DONE
 * when it ran). */
static int step_once(struct shop_db *db, const char *sql, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, sql, err);
	if (!stmt)
		return SQLITE_ERROR;
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc;
}

/* Switches synchronous between FULL and NORMAL (outside a transaction). */
static int set_durability(struct shop_db *db, enum shop_durability durability, struct error *err)
{
	int relaxed = durability == SHOP_DB_RELAXED;
	if (relaxed == db->relaxed)
		return 0;
	if (step_once(db, relaxed ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
		      err) != SQLITE_DONE)
		return db_fail(db->db, err, "setting durability");
	db->relaxed = relaxed;
	return 0;
}

int shop_db_begin_write(struct shop_db *db, enum shop_durability durability, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, "BEGIN IMMEDIATE", err);
	if (!stmt || set_durability(db, durability, err) < 0)
		return ERR_SYSTEM;
	queue_for_writing(db);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	leave_writer_queue(db);
	return db_fail(db->db, err, "starting a transaction");
}

int shop_db_commit(struct shop_db *db, struct error *err)
{
	if (step_once(db, "COMMIT", err) != SQLITE_DONE) {
		db_fail(db->db, err, "committing");
		shop_db_rollback(db);
		return ERR_SYSTEM;
	}
	leave_writer_queue(db);
	note_checkpoint_due(db);
	return 0;
}

int shop_db_begin_read(struct shop_db *db, struct error *err)
{
	if (step_once(db, "BEGIN DEFERRED", err) != SQLITE_DONE)
		return db_fail(db->db, err, "starting to read");
	return 0;
}

void shop_db_end_read(struct shop_db *db)
{
	struct error ignored;
	step_once(db, "COMMIT", &ignored); /* a read-only transaction: nothing to fail */
}

void shop_db_rollback(struct shop_db *db)
{
	if (db->db && !sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	leave_writer_queue(db);
}

int shop_db_set_setting(struct shop_db *db, const char *key, const char *value,
			struct error *err)
{
	if (shop_db_begin_write(db, SHOP_DB_DURABLE, err) < 0)
		return ERR_SYSTEM;
	sqlite3_stmt *st = shop_db_stmt(db, "INSERT OR REPLACE INTO settings (key, value)"
					    " VALUES (?1, ?2)", err);
	if (!st) {
		shop_db_rollback(db);
		return ERR_SYSTEM;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		shop_db_rollback(db);
		return error_set(err, ERR_SYSTEM, "shop settings: %s", sqlite3_errmsg(db->db));
	}
	return shop_db_commit(db, err);
}

int shop_db_get_setting(struct shop_db *db, const char *key, char *out, size_t size)
{
	struct error ignored;
	sqlite3_stmt *st = shop_db_stmt(db, "SELECT value FROM settings WHERE key = ?1", &ignored);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return found;
}
