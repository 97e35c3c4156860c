/* from_shop: copying new web orders and reviews from shop.db into the warehouse's raw
 * tables, as two ingest runs in one transaction (see from_shop.h). shop.db is only read,
 * inside one read transaction, so checkouts go on while it runs. */
#include "ingest/from_shop.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "util/parse_value.h"
#include "util/buf.h"
#include "util/sha256.h"

/* The newest shop row copied before: the last raw row of the latest run from shop.db.
 * Rows of a run are appended in order, so a backward scan from the table's end stops at
 * once unless files were loaded after it. */
static const char last_run_sql[] =
	"SELECT max(run_id) FROM ingest_runs WHERE kind = ?1 AND file_name = '" FROM_SHOP_FILE_NAME "'";
static const char last_order_line_sql[] =
	"SELECT line FROM raw_order_lines WHERE run_id = ?1 ORDER BY rowid DESC LIMIT 1";
static const char last_review_sql[] =
	"SELECT line FROM raw_reviews WHERE run_id = ?1 ORDER BY rowid DESC LIMIT 1";

/* Shop rows newer than the last copied, in the order they are numbered. */
static const char new_lines_sql[] =
	"SELECT o.id, o.number, o.created, o.email, o.payment_method, l.line, l.product_id,"
	" l.name, l.quantity, l.unit_price_cents, l.line_total_cents"
	" FROM orders o JOIN order_lines l ON l.order_id = o.id"
	" WHERE o.id > ?1 ORDER BY o.id, l.line";
static const char new_reviews_sql[] =
	"SELECT r.id, r.product_id, r.rating, r.body, r.created, o.email"
	" FROM reviews r JOIN orders o ON o.id = r.order_id WHERE r.id > ?1 ORDER BY r.id";

/* Emails that belong to exactly one customer of the warehouse. */
static const char customer_emails_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS shop_customer_emails ("
	"  email TEXT PRIMARY KEY, customer_id TEXT NOT NULL) WITHOUT ROWID;"
	"DELETE FROM temp.shop_customer_emails;"
	"INSERT INTO temp.shop_customer_emails SELECT lower(email), min(customer_id)"
	" FROM customers WHERE email IS NOT NULL AND email <> ''"
	" GROUP BY lower(email) HAVING count(*) = 1;";
static const char customer_of_sql[] =
	"SELECT customer_id FROM temp.shop_customer_emails WHERE email = lower(?1)";

static const char insert_run_sql[] =
	"INSERT INTO ingest_runs (kind, file_name, path, sha256, bytes, delimiter, columns,"
	" date_formats, decimal_comma, rows_read, rows_loaded, rows_rejected, loaded_at)"
	" VALUES (?1, '" FROM_SHOP_FILE_NAME "', ?2, 'copying', 0, '', ?3, ?4, 0, 0, 0, 0, ?5)";
static const char finish_run_sql[] =
	"UPDATE ingest_runs SET sha256 = ?2, bytes = ?3, rows_read = ?4, rows_loaded = ?4"
	" WHERE run_id = ?1";
static const char insert_line_sql[] =
	"INSERT INTO raw_order_lines (run_id, line, order_id, order_date, customer_id, product_id,"
	" product_name, quantity, unit_price, line_total, channel, payment_method)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'web', ?11)";
static const char insert_review_sql[] =
	"INSERT INTO raw_reviews (run_id, line, review_id, product_id, customer_id, rating, body,"
	" review_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/* The fields each run fills, as ingest records a file's columns. */
static const char *const line_fields[] = {
	"order_id", "order_date", "customer_id", "product_id", "product_name", "quantity",
	"unit_price", "line_total", "channel", "payment_method",
};
static const char *const review_fields[] = {
	"review_id", "product_id", "customer_id", "rating", "body", "review_date",
};

/* One run being written: its rows' canonical text is hashed for ingest_runs.sha256. */
struct run {
	const char *kind;        /* order_lines or reviews */
	int64_t id;              /* ingest_runs.run_id, 0 until the first row */
	int64_t rows;            /* rows written */
	uint64_t bytes;          /* bytes hashed */
	struct sha256 hash;      /* of every row's values */
};

/* What one copy works with. */
struct copy {
	sqlite3 *wh;             /* the warehouse, in a write transaction */
	sqlite3 *shop;           /* shop.db, in a read transaction */
	const char *path;        /* shop.db as given */
	sqlite3_stmt *customer;  /* customer_of_sql */
};

static const char *text_of(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? (const char *)s : "";
}

static void money_text(long long cents, char out[32])
{
	snprintf(out, 32, "%s%lld.%02lld", cents < 0 ? "-" : "", (cents < 0 ? -cents : cents) / 100,
		 (cents < 0 ? -cents : cents) % 100);
}

/* The line of the newest row copied from shop.db into table, 0 when none. */
static int64_t last_copied(sqlite3 *wh, const char *kind, const char *line_sql)
{
	int64_t run = db_query_int(wh, last_run_sql, kind, 0);
	if (run == 0)
		return 0;
	char run_text[32];
	snprintf(run_text, sizeof run_text, "%lld", (long long)run);
	return db_query_int(wh, line_sql, run_text, 0);
}

static void utc_now(char out[21])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes the run's ingest_runs row (finished by finish_run). */
static int start_run(struct copy *c, struct run *r, const char *const *fields, int count,
		     const char *date_field, struct error *err)
{
	struct buf columns = BUF_INIT, dates = BUF_INIT;
	char now[21];
	buf_putc(&columns, '[');
	for (int i = 0; i < count; i++)
		buf_printf(&columns, "%s{\"header\":\"%s\",\"field\":\"%s\"}", i ? "," : "", fields[i],
			   fields[i]);
	buf_putc(&columns, ']');
	buf_printf(&dates, "{\"%s\":\"%s\"}", date_field, date_style_name(DATE_YMD));
	utc_now(now);
	sqlite3_stmt *st;
	int rc = db_prepare(c->wh, insert_run_sql, &st, err);
	if (rc == 0) {
		sqlite3_bind_text(st, 1, r->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, buf_str(&columns), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, buf_str(&dates), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c->wh, err, "recording the run");
		sqlite3_finalize(st);
	}
	buf_free(&columns);
	buf_free(&dates);
	if (rc == 0) {
		r->id = sqlite3_last_insert_rowid(c->wh);
		sha256_init(&r->hash);
		sha256_update(&r->hash, r->kind, strlen(r->kind));
	}
	return rc;
}

static int finish_run(struct copy *c, struct run *r, struct error *err)
{
	if (r->id == 0)
		return 0;
	uint8_t digest[32];
	char hex[65];
	sha256_final(&r->hash, digest);
	sha256_hex(digest, hex);
	sqlite3_stmt *st;
	if (db_prepare(c->wh, finish_run_sql, &st, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->bytes);
	sqlite3_bind_int64(st, 4, r->rows);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(c->wh, err, "recording the run");
	sqlite3_finalize(st);
	return rc;
}

/* Binds the values (?first on) of a raw row and adds them to the run's hash. */
static void bind_values(struct run *r, sqlite3_stmt *st, int first, const char *const *values,
			int count)
{
	for (int i = 0; i < count; i++) {
		const char *v = values[i];
		if (v)
			sqlite3_bind_text(st, first + i, v, -1, SQLITE_TRANSIENT);
		size_t len = v ? strlen(v) : 0;
		sha256_update(&r->hash, v ? "\x1f" : "\x1e", 1); /* a NULL differs from "" */
		sha256_update(&r->hash, v ? v : "", len);
		r->bytes += len + 1;
	}
}

/* The warehouse customer whose email this is, or NULL (the pointer lives until the
 * next lookup). */
static const char *customer_of(struct copy *c, const char *email, struct error *err, int *failed)
{
	sqlite3_reset(c->customer);
	sqlite3_bind_text(c->customer, 1, email, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(c->customer);
	if (rc == SQLITE_ROW)
		return (const char *)sqlite3_column_text(c->customer, 0);
	if (rc != SQLITE_DONE)
		*failed = db_fail(c->wh, err, "matching customers");
	return NULL;
}

/* Writes one raw order line from a row of new_lines_sql. */
static int copy_line(struct copy *c, struct run *r, sqlite3_stmt *row, sqlite3_stmt *insert,
		     const char *customer, struct error *err)
{
	int64_t order = sqlite3_column_int64(row, 0), line = sqlite3_column_int64(row, 5);
	if (line < 0 || line >= FROM_SHOP_LINES_PER_ORDER)
		return error_set(err, ERR_INPUT, "web order %s has a line %lld: lines from %d on "
				 "cannot be numbered", text_of(row, 1), (long long)line,
				 FROM_SHOP_LINES_PER_ORDER);
	char quantity[32], unit_price[32], line_total[32];
	snprintf(quantity, sizeof quantity, "%lld", (long long)sqlite3_column_int64(row, 8));
	money_text(sqlite3_column_int64(row, 9), unit_price);
	money_text(sqlite3_column_int64(row, 10), line_total);
	const char *values[] = {
		text_of(row, 1), text_of(row, 2), customer, text_of(row, 6), text_of(row, 7),
		quantity, unit_price, line_total, text_of(row, 4),
	};
	sqlite3_reset(insert);
	sqlite3_clear_bindings(insert);
	sqlite3_bind_int64(insert, 1, r->id);
	sqlite3_bind_int64(insert, 2, order * FROM_SHOP_LINES_PER_ORDER + line);
	bind_values(r, insert, 3, values, (int)(sizeof values / sizeof values[0]));
	if (sqlite3_step(insert) != SQLITE_DONE)
		return db_fail(c->wh, err, "copying a web order");
	r->rows++;
	return 0;
}

static int copy_order_lines(struct copy *c, struct from_shop_summary *sum, struct error *err)
{
	struct run r = {.kind = "order_lines"};
	int64_t after = last_copied(c->wh, r.kind, last_order_line_sql) / FROM_SHOP_LINES_PER_ORDER;
	sqlite3_stmt *rows = NULL, *insert = NULL;
	int rc = db_prepare(c->shop, new_lines_sql, &rows, err);
	if (rc == 0)
		rc = db_prepare(c->wh, insert_line_sql, &insert, err);
	if (rc == 0)
		sqlite3_bind_int64(rows, 1, after);
	int64_t order = -1;
	char customer[256] = "";
	int has_customer = 0, step;
	while (rc == 0 && (step = sqlite3_step(rows)) == SQLITE_ROW) {
		if (r.id == 0)
			rc = start_run(c, &r, line_fields, (int)(sizeof line_fields / sizeof *line_fields),
				       "order_date", err);
		if (rc == 0 && sqlite3_column_int64(rows, 0) != order) {
			order = sqlite3_column_int64(rows, 0);
			const char *found = customer_of(c, text_of(rows, 3), err, &rc);
			has_customer = found != NULL;
			snprintf(customer, sizeof customer, "%s", found ? found : "");
			sum->orders++;
			sum->customers_found += has_customer;
		}
		if (rc == 0)
			rc = copy_line(c, &r, rows, insert, has_customer ? customer : NULL, err);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(c->shop, err, "reading web orders");
	if (rc == 0)
		rc = finish_run(c, &r, err);
	sqlite3_finalize(rows);
	sqlite3_finalize(insert);
	sum->order_lines = r.rows;
	sum->lines_run_id = r.id;
	return rc;
}

static int copy_review(struct copy *c, struct run *r, sqlite3_stmt *row, sqlite3_stmt *insert,
		       struct error *err)
{
	char review_id[40], rating[16];
	int rc = 0;
	snprintf(review_id, sizeof review_id, "web-%lld", (long long)sqlite3_column_int64(row, 0));
	snprintf(rating, sizeof rating, "%d", sqlite3_column_int(row, 2));
	const char *customer = customer_of(c, text_of(row, 5), err, &rc);
	if (rc < 0)
		return rc;
	const char *values[] = {
		review_id, text_of(row, 1), customer, rating, text_of(row, 3), text_of(row, 4),
	};
	sqlite3_reset(insert);
	sqlite3_clear_bindings(insert);
	sqlite3_bind_int64(insert, 1, r->id);
	sqlite3_bind_int64(insert, 2, sqlite3_column_int64(row, 0));
	bind_values(r, insert, 3, values, (int)(sizeof values / sizeof values[0]));
	if (sqlite3_step(insert) != SQLITE_DONE)
		return db_fail(c->wh, err, "copying a review");
	r->rows++;
	return 0;
}

static int copy_reviews(struct copy *c, struct from_shop_summary *sum, struct error *err)
{
	struct run r = {.kind = "reviews"};
	int64_t after = last_copied(c->wh, r.kind, last_review_sql);
	sqlite3_stmt *rows = NULL, *insert = NULL;
	int rc = db_prepare(c->shop, new_reviews_sql, &rows, err);
	if (rc == 0)
		rc = db_prepare(c->wh, insert_review_sql, &insert, err);
	if (rc == 0)
		sqlite3_bind_int64(rows, 1, after);
	int step;
	while (rc == 0 && (step = sqlite3_step(rows)) == SQLITE_ROW) {
		if (r.id == 0)
			rc = start_run(c, &r, review_fields,
				       (int)(sizeof review_fields / sizeof *review_fields), "review_date", err);
		if (rc == 0)
			rc = copy_review(c, &r, rows, insert, err);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(c->shop, err, "reading reviews");
	if (rc == 0)
		rc = finish_run(c, &r, err);
	sqlite3_finalize(rows);
	sqlite3_finalize(insert);
	sum->reviews = r.rows;
	sum->reviews_run_id = r.id;
	return rc;
}

static int open_shop(const char *path, sqlite3 **shop, struct error *err)
{
	/* Read-write without create: a missing shop.db is an error, and reading a WAL
	 * database needs its shared-memory file. Nothing is written. */
	if (sqlite3_open_v2(path, shop, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		error_set(err, ERR_INPUT, "cannot open the shop database %s: %s", path,
			  *shop ? sqlite3_errmsg(*shop) : "out of memory");
		sqlite3_close(*shop);
		*shop = NULL;
		return ERR_INPUT;
	}
	sqlite3_busy_timeout(*shop, 10000);
	if (db_query_int(*shop, "SELECT count(*) FROM sqlite_master WHERE name = 'order_lines'",
			 NULL, 0) == 0) {
		sqlite3_close(*shop);
		*shop = NULL;
		return error_set(err, ERR_INPUT, "%s is not a shop database", path);
	}
	return 0;
}

int ingest_from_shop(sqlite3 *warehouse, const char *shop_db_path,
		     struct from_shop_summary *summary, struct error *err)
{
	struct copy c = {.wh = warehouse, .path = shop_db_path};
	memset(summary, 0, sizeof *summary);
	int rc = open_shop(shop_db_path, &c.shop, err);
	if (rc < 0)
		return rc;
	int wh_open = 0, shop_open = 0;
	rc = db_exec(c.wh, "BEGIN IMMEDIATE", err);
	wh_open = rc == 0;
	if (rc == 0)
		rc = db_exec(c.shop, "BEGIN", err);
	shop_open = rc == 0;
	if (rc == 0)
		rc = db_exec(c.wh, customer_emails_sql, err);
	if (rc == 0)
		rc = db_prepare(c.wh, customer_of_sql, &c.customer, err);
	if (rc == 0)
		rc = copy_order_lines(&c, summary, err);
	if (rc == 0)
		rc = copy_reviews(&c, summary, err);
	sqlite3_finalize(c.customer);
	if (shop_open)
		sqlite3_exec(c.shop, "COMMIT", NULL, NULL, NULL);
	if (rc == 0)
		rc = db_exec(c.wh, "COMMIT", err);
	if (rc < 0 && wh_open)
		sqlite3_exec(c.wh, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(c.shop);
	if (rc < 0) {
		error_prefix(err, "%s", shop_db_path);
		memset(summary, 0, sizeof *summary);
	}
	assert(rc <= 0);
	return rc;
}
