/* shop_db: the shop.db schema (one migration so far), opening with the shopper side's
 * pragmas, the statement cache and the write-transaction helpers. */
#include "web/shop_db.h"

#include <assert.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "util/progress.h"
#include "util/rng.h"

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

const struct migration shop_migrations[] = {
	{1, shop_schema_v1},
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

int db_open_shop(const char *path, struct shop_db *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		error_set(err, ERR_SYSTEM, "cannot open database %s: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return ERR_SYSTEM;
	}
	sqlite3_busy_handler(db, wait_for_lock, NULL);
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
	return 0;
}

void shop_db_close(struct shop_db *db)
{
	for (int i = 0; i < db->count; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->db);
	memset(db, 0, sizeof *db);
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

int shop_db_begin_write(struct shop_db *db, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, "BEGIN IMMEDIATE", err);
	if (!stmt)
		return ERR_SYSTEM;
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "starting a transaction");
}

int shop_db_commit(struct shop_db *db, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, "COMMIT", err);
	if (!stmt)
		return ERR_SYSTEM;
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		db_fail(db->db, err, "committing");
		shop_db_rollback(db);
		return ERR_SYSTEM;
	}
	return 0;
}

void shop_db_rollback(struct shop_db *db)
{
	if (!sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}
