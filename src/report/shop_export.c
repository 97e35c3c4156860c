/* shop_export: reading the recommendation rows from the warehouse, then writing the
 * catalog and the rows into shop.db in one short transaction. */
#include "report/shop_export.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/progress.h"
#include "util/xalloc.h"

/* One row of a recommendation table: the rank-th product for key (a product, a
 * customer or a category). */
struct rec_row {
	char *key;
	int rank;
	const char *product_id; /* points into the catalog */
	double score;
};

struct rec_rows {
	struct rec_row *rows;
	int count, cap;
};

static const char neighbours_sql[] =
	"SELECT product_id, neighbor_id, score FROM item_neighbors ORDER BY product_id, rank";
static const char customer_recs_sql[] =
	"SELECT customer_id, product_id, score FROM customer_recs ORDER BY customer_id, rank";
static const char popular_sql[] =
	"SELECT category, product_id, score FROM popular_by_category ORDER BY category, rank";
static const char products_loaded_sql[] =
	"SELECT datetime(max(loaded_at)) FROM ingest_runs WHERE kind = 'products'";

/* shop.db statements (cached by the shop_db for the life of the connection). */
static const char upsert_product_sql[] =
	"INSERT INTO products (id, name, description, category, price_cents, stock)"
	" VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 IS NULL THEN ?8 ELSE max(0, ?6 -"
	"   (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l"
	"    JOIN orders o ON o.id = l.order_id WHERE l.product_id = ?1 AND o.created >= ?7))"
	"  END)"
	" ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
	"  description = excluded.description, category = excluded.category,"
	"  price_cents = excluded.price_cents, stock = excluded.stock"
	" RETURNING stock";
static const char note_exported_sql[] = "INSERT INTO temp.exported (id) VALUES (?1)";
static const char mark_unavailable_sql[] =
	"UPDATE products SET stock = 0 WHERE id NOT IN (SELECT id FROM temp.exported)"
	" AND (EXISTS (SELECT 1 FROM cart_lines c WHERE c.product_id = products.id)"
	" OR EXISTS (SELECT 1 FROM order_lines l WHERE l.product_id = products.id)"
	" OR EXISTS (SELECT 1 FROM reviews r WHERE r.product_id = products.id))";
static const char count_unavailable_sql[] =
	"SELECT count(*) FROM products WHERE id NOT IN (SELECT id FROM temp.exported)";
static const char remove_unreferenced_sql[] =
	"DELETE FROM products WHERE id NOT IN (SELECT id FROM temp.exported)"
	" AND NOT EXISTS (SELECT 1 FROM cart_lines c WHERE c.product_id = products.id)"
	" AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.product_id = products.id)"
	" AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.product_id = products.id)";

/* The three recommendation tables of shop.db, each replaced whole. */
static const struct rec_table {
	const char *clear_sql;
	const char *insert_sql;
} rec_tables[3] = {
	{"DELETE FROM product_recs",
	 "INSERT INTO product_recs (product_id, rank, rec_product_id, score) VALUES (?1, ?2, ?3, ?4)"},
	{"DELETE FROM customer_recs",
	 "INSERT INTO customer_recs (customer_id, rank, product_id, score) VALUES (?1, ?2, ?3, ?4)"},
	{"DELETE FROM popular_by_category",
	 "INSERT INTO popular_by_category (category, rank, product_id, score) VALUES (?1, ?2, ?3, ?4)"},
};
enum { PRODUCT_RECS, CUSTOMER_RECS, POPULAR };

static void rec_rows_free(struct rec_rows *r)
{
	for (int i = 0; i < r->count; i++)
		free(r->rows[i].key);
	free(r->rows);
	memset(r, 0, sizeof *r);
}

/* Appends (key, product, score) as the next rank of key. */
static void add_row(struct rec_rows *r, const char *key, const char *product_id, double score)
{
	if (r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->rows = xreallocarray(r->rows, (size_t)r->cap, sizeof *r->rows);
	}
	int rank = r->count > 0 && strcmp(r->rows[r->count - 1].key, key) == 0
			   ? r->rows[r->count - 1].rank + 1 : 1;
	r->rows[r->count++] = (struct rec_row){xstrdup(key), rank, product_id, score};
}

/* True when the model wrote the table: it exists and holds rows (the schema creates
 * it empty before `model recs` has run). name is one of this file's constants. */
static int has_table(sqlite3 *db, const char *name)
{
	if (db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
			 name, 0) == 0)
		return 0;
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM \"%s\")", name);
	return db_query_int(db, sql, NULL, 0) > 0;
}

/* Reads rows (key, product id, score) ordered by key and rank into rows, keeping only
 * products of the catalog (and, when keys_are_products, keys of the catalog), ranked
 * anew from 1 without gaps. */
static int read_rows(sqlite3 *db, const char *sql, const struct shop_catalog *cat,
		     int keys_are_products, int per_key, struct rec_rows *rows, struct error *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, sql, &st, err) < 0)
		return ERR_SYSTEM;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		const struct catalog_product *p =
			shop_catalog_find(cat, (const char *)sqlite3_column_text(st, 1));
		if (!key || !p || (keys_are_products && (!shop_catalog_find(cat, key) ||
							 strcmp(key, p->id) == 0)))
			continue;
		if (rows->count > 0 && strcmp(rows->rows[rows->count - 1].key, key) == 0 &&
		    rows->rows[rows->count - 1].rank >= per_key)
			continue;
		add_row(rows, key, p->id, sqlite3_column_double(st, 2));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading recommendations");
}

/* A neighbour being ranked: how many baskets it shares, and its catalog index. */
struct shared {
	int together;
	int index;
};

static int compare_shared(const void *a, const void *b)
{
	const struct shared *x = a, *y = b;
	if (x->together != y->together)
		return x->together > y->together ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index); /* index order is id order */
}

/* Co-purchase counts from the catalog's baskets of 2 to SHOP_EXPORT_MAX_BASKET products:
 * for each product, the products most often in the same orders, and in how many. Works
 * product by product over an index of the baskets each product is in, with one counter
 * per product, so memory stays linear in the catalog and the sales. */
static void count_neighbours(const struct shop_catalog *cat, struct rec_rows *rows)
{
	const struct catalog_baskets *b = &cat->baskets;
	size_t n = (size_t)cat->count + 1;
	int *first = xcalloc(n + 1, sizeof *first); /* product p's baskets: in[first[p]..] */
	for (int k = 0; k < b->count; k++) {
		int size = b->starts[k + 1] - b->starts[k];
		for (int i = b->starts[k]; size >= 2 && size <= SHOP_EXPORT_MAX_BASKET && i < b->starts[k + 1]; i++)
			first[b->items[i] + 1]++;
	}
	for (size_t p = 1; p <= n; p++)
		first[p] += first[p - 1];
	int *in = xmalloc(((size_t)first[n - 1] + 1) * sizeof *in);
	int *fill = xmalloc(n * sizeof *fill);
	memcpy(fill, first, n * sizeof *fill);
	for (int k = 0; k < b->count; k++) {
		int size = b->starts[k + 1] - b->starts[k];
		for (int i = b->starts[k]; size >= 2 && size <= SHOP_EXPORT_MAX_BASKET && i < b->starts[k + 1]; i++)
			in[fill[b->items[i]]++] = k;
	}
	int *together = xcalloc(n, sizeof *together);
	struct shared *touched = xmalloc(n * sizeof *touched);
	for (int p = 0; p < cat->count; p++) {
		int t = 0;
		for (int e = first[p]; e < first[p + 1]; e++) {
			int k = in[e];
			for (int i = b->starts[k]; i < b->starts[k + 1]; i++) {
				int q = b->items[i];
				if (q != p && together[q]++ == 0)
					touched[t++].index = q;
			}
		}
		for (int i = 0; i < t; i++) {
			touched[i].together = together[touched[i].index];
			together[touched[i].index] = 0;
		}
		qsort(touched, (size_t)t, sizeof *touched, compare_shared);
		for (int i = 0; i < t && i < SHOP_EXPORT_NEIGHBOURS; i++)
			add_row(rows, cat->products[p].id, cat->products[touched[i].index].id,
				(double)touched[i].together);
	}
	free(first);
	free(in);
	free(fill);
	free(together);
	free(touched);
}

/* Each category's best sellers from the catalog's own counts, and the whole shop's
 * under the category '' (where products without a category look). */
static void count_popular(const struct shop_catalog *cat, struct rec_rows *rows)
{
	for (int i = 0; i < cat->count && i < SHOP_EXPORT_POPULAR; i++) {
		const struct catalog_product *p = &cat->products[cat->best_sellers[i]];
		if (p->orders > 0)
			add_row(rows, "", p->id, (double)p->orders);
	}
	for (int c = 0; c < cat->category_count; c++) {
		const struct catalog_category *k = &cat->categories[c];
		for (int i = 0; k->name[0] && i < k->count && i < SHOP_EXPORT_POPULAR; i++) {
			const struct catalog_product *p = &cat->products[k->products[i]];
			if (p->orders > 0)
				add_row(rows, k->name, p->id, (double)p->orders);
		}
	}
}

/* Reads the three tables' rows from the warehouse. */
static int read_recommendations(sqlite3 *db, const struct shop_catalog *cat,
				struct rec_rows rows[3], struct shop_export_summary *sum,
				struct error *err)
{
	int rc;
	if (has_table(db, "item_neighbors")) {
		sum->recs_source = "item_neighbors";
		rc = read_rows(db, neighbours_sql, cat, 1, SHOP_EXPORT_NEIGHBOURS,
			       &rows[PRODUCT_RECS], err);
	} else {
		sum->recs_source = "co-purchase counts";
		count_neighbours(cat, &rows[PRODUCT_RECS]);
		rc = 0;
	}
	if (rc == 0 && has_table(db, "customer_recs"))
		rc = read_rows(db, customer_recs_sql, cat, 0, SHOP_EXPORT_NEIGHBOURS,
			       &rows[CUSTOMER_RECS], err);
	if (rc == 0 && has_table(db, "popular_by_category"))
		rc = read_rows(db, popular_sql, cat, 0, SHOP_EXPORT_POPULAR,
			       &rows[POPULAR], err);
	else if (rc == 0)
		count_popular(cat, &rows[POPULAR]);
	return rc;
}

/* Runs a cached statement that returns nothing (or one number, into *value). */
static int run(struct shop_db *shop, const char *sql, long long *value, struct error *err)
{
	sqlite3_stmt *st = shop_db_stmt(shop, sql, err);
	if (!st)
		return ERR_SYSTEM;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && value)
		*value = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_fail(shop->db, err, "writing shop.db");
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Upserts every product and notes it as exported; sets each one's shop_stock. since is
 * when the last products file was loaded (NULL: never). */
static int write_products(struct shop_db *shop, struct shop_catalog *cat, const char *since,
			  struct error *err)
{
	for (int i = 0; i < cat->count; i++) {
		struct catalog_product *p = &cat->products[i];
		sqlite3_stmt *st = shop_db_stmt(shop, upsert_product_sql, err);
		if (!st)
			return ERR_SYSTEM;
		bind_text(st, 1, p->id);
		bind_text(st, 2, p->name);
		bind_text(st, 3, p->description);
		bind_text(st, 4, p->category);
		sqlite3_bind_int64(st, 5, p->price_cents);
		if (p->stock != CATALOG_STOCK_UNKNOWN)
			sqlite3_bind_int64(st, 6, p->stock);
		if (since)
			bind_text(st, 7, since);
		sqlite3_bind_int(st, 8, SHOP_EXPORT_UNTRACKED_STOCK);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			p->shop_stock = sqlite3_column_int64(st, 0);
		if (rc == SQLITE_ROW)
			rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(shop->db, err, "writing the catalog into shop.db");
		st = shop_db_stmt(shop, note_exported_sql, err);
		if (!st)
			return ERR_SYSTEM;
		bind_text(st, 1, p->id);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(shop->db, err, "writing the catalog into shop.db");
	}
	return 0;
}

/* Products that left the catalog: sold out when something refers to them, else gone. */
static int retire_products(struct shop_db *shop, struct shop_export_summary *sum,
			   struct error *err)
{
	long long left = 0;
	if (run(shop, mark_unavailable_sql, NULL, err) < 0 ||
	    run(shop, remove_unreferenced_sql, NULL, err) < 0)
		return ERR_SYSTEM;
	sum->removed = sqlite3_changes(shop->db);
	if (run(shop, count_unavailable_sql, &left, err) < 0)
		return ERR_SYSTEM;
	sum->unavailable = (int)left;
	return 0;
}

static int write_rec_table(struct shop_db *shop, const struct rec_table *table,
			   const struct rec_rows *rows, struct error *err)
{
	if (run(shop, table->clear_sql, NULL, err) < 0)
		return ERR_SYSTEM;
	for (int i = 0; i < rows->count; i++) {
		const struct rec_row *r = &rows->rows[i];
		sqlite3_stmt *st = shop_db_stmt(shop, table->insert_sql, err);
		if (!st)
			return ERR_SYSTEM;
		bind_text(st, 1, r->key);
		sqlite3_bind_int(st, 2, r->rank);
		bind_text(st, 3, r->product_id);
		sqlite3_bind_double(st, 4, r->score);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(shop->db, err, "writing recommendations into shop.db");
	}
	return 0;
}

/* The transaction: products, retired products, the three tables. */
static int write_all(struct shop_db *shop, struct shop_catalog *cat, const char *since,
		     const struct rec_rows rows[3], struct shop_export_summary *sum,
		     struct error *err)
{
	if (db_exec(shop->db, "CREATE TEMP TABLE IF NOT EXISTS exported (id TEXT PRIMARY KEY);"
			      "DELETE FROM temp.exported;", err) < 0)
		return ERR_SYSTEM;
	double started = monotonic_seconds();
	if (shop_db_begin_write(shop, SHOP_DB_DURABLE, err) < 0)
		return ERR_SYSTEM;
	int rc = write_products(shop, cat, since, err);
	if (rc == 0)
		rc = retire_products(shop, sum, err);
	for (int t = 0; rc == 0 && t < 3; t++)
		rc = write_rec_table(shop, &rec_tables[t], &rows[t], err);
	if (rc == 0)
		rc = shop_db_commit(shop, err);
	else
		shop_db_rollback(shop);
	sum->write_seconds = monotonic_seconds() - started;
	return rc;
}

int shop_export(sqlite3 *warehouse, struct shop_catalog *cat, struct shop_db *shop,
		struct shop_export_summary *summary, struct error *err)
{
	struct rec_rows rows[3] = {{0}};
	char *since = NULL;
	memset(summary, 0, sizeof *summary);
	int rc = read_recommendations(warehouse, cat, rows, summary, err);
	if (rc == 0) {
		sqlite3_stmt *st;
		rc = db_prepare(warehouse, products_loaded_sql, &st, err);
		if (rc == 0 && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			since = xstrdup((const char *)sqlite3_column_text(st, 0));
		if (rc == 0)
			sqlite3_finalize(st);
	}
	if (rc == 0)
		rc = write_all(shop, cat, since, rows, summary, err);
	if (rc == 0) {
		summary->products = cat->count;
		summary->product_recs = rows[PRODUCT_RECS].count;
		summary->customer_recs = rows[CUSTOMER_RECS].count;
		summary->popular = rows[POPULAR].count;
	}
	for (int t = 0; t < 3; t++)
		rec_rows_free(&rows[t]);
	free(since);
	assert(rc <= 0);
	return rc;
}
