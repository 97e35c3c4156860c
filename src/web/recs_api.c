/* recs_api: GET /recs/product/<id> ("frequently bought together", padded with the
 * product's category best sellers) and GET /recs/customer/<id>, as JSON or as an HTML
 * fragment to put into a page. An id the shop does not know is a 404, never an empty
 * list. Product recommendations are the same for everyone, so caches may keep them. */
#include <string.h>

#include "db/db.h"
#include "web/shop.h"

/* Recommendations when the request does not say how many. */
#define RECS_DEFAULT_COUNT 10

static const char product_sql[] = "SELECT name, category FROM products WHERE id = ?1";
static const char product_recs_sql[] =
	"SELECT r.rec_product_id, p.name, p.price_cents, r.score, p.stock"
	" FROM product_recs r JOIN products p ON p.id = r.rec_product_id"
	" WHERE r.product_id = ?1 ORDER BY r.rank LIMIT ?2";
static const char popular_sql[] =
	"SELECT c.product_id, p.name, p.price_cents, c.score, p.stock"
	" FROM popular_by_category c JOIN products p ON p.id = c.product_id"
	" WHERE c.category = ?2 AND c.product_id <> ?1"
	" AND c.product_id NOT IN (SELECT rec_product_id FROM product_recs WHERE product_id = ?1)"
	" ORDER BY c.rank LIMIT ?3";
static const char customer_recs_sql[] =
	"SELECT r.product_id, p.name, p.price_cents, r.score, p.stock"
	" FROM customer_recs r JOIN products p ON p.id = r.product_id"
	" WHERE r.customer_id = ?1 ORDER BY r.rank LIMIT ?2";

static int wanted_count(const struct shop_request *rq)
{
	const struct field_value *n = &rq->fields.v[FIELD_COUNT];
	return n->present && n->valid ? (int)n->number : RECS_DEFAULT_COUNT;
}

/* Appends the rows of a stepped statement (id, name, price, score, stock) to list,
 * labelled with source. Returns 0 or ERR_SYSTEM. */
static int add_rows(struct shop_db *db, sqlite3_stmt *stmt, struct value *list, const char *source,
		    struct error *err)
{
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct value *item = value_list_add_map(list);
		const unsigned char *id = sqlite3_column_text(stmt, 0);
		const unsigned char *name = sqlite3_column_text(stmt, 1);
		value_map_set_int(item, "rank", (long long)list->as.list.len);
		value_map_set_str(item, "product_id", id ? (const char *)id : "");
		value_map_set_str(item, "name", name ? (const char *)name : "");
		value_map_set_money(item, "price", sqlite3_column_int64(stmt, 2));
		value_map_set_num(item, "score", sqlite3_column_double(stmt, 3));
		value_map_set_bool(item, "in_stock", sqlite3_column_int64(stmt, 4) > 0);
		value_map_set_str(item, "source", source);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading recommendations");
}

/* Answers a list: the cache policy, then JSON or the fragment. */
static int answer(struct shop *shop, struct shop_request *rq, struct value *data, struct error *err)
{
	cgi_response_header(rq->res, "Vary", "Accept");
	return respond_view(shop, rq, 200, PAGE_RECS, data, err);
}

int handle_recs_product(struct shop *shop, struct shop_request *rq, struct error *err)
{
	struct shop_db *db = &shop->db;
	const char *id = field_text(&rq->fields, FIELD_PRODUCT);
	int n = wanted_count(rq);
	sqlite3_stmt *product = shop_db_stmt(db, product_sql, err);
	if (!product)
		return ERR_SYSTEM;
	sqlite3_bind_text(product, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(product);
	if (rc == SQLITE_DONE) {
		respond_error(shop, rq, 404, "We do not know that product.");
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_fail(db->db, err, "reading the product");
	struct value *data = value_map_new();
	value_map_set_str(data, "product_id", id);
	value_map_set_str(data, "title", "Frequently bought together");
	struct value *recs = value_map_add_list(data, "recs");
	value_map_set_str(data, "category", (const char *)sqlite3_column_text(product, 1));
	sqlite3_reset(product);
	sqlite3_stmt *together = shop_db_stmt(db, product_recs_sql, err);
	if (!together)
		goto failed;
	sqlite3_bind_text(together, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(together, 2, n);
	if (add_rows(db, together, recs, "bought_together", err) < 0)
		goto failed;
	if ((int)recs->as.list.len < n) {
		sqlite3_stmt *popular = shop_db_stmt(db, popular_sql, err);
		if (!popular)
			goto failed;
		const struct value *category = value_map_get(data, "category");
		sqlite3_bind_text(popular, 1, id, -1, SQLITE_STATIC);
		if (category && category->type == VALUE_STRING)
			sqlite3_bind_text(popular, 2, category->as.string.bytes, -1, SQLITE_STATIC);
		sqlite3_bind_int(popular, 3, n - (int)recs->as.list.len);
		if (add_rows(db, popular, recs, "popular_in_category", err) < 0)
			goto failed;
	}
	return answer(shop, rq, data, err);
failed:
	value_free(data);
	return ERR_SYSTEM;
}

int handle_recs_customer(struct shop *shop, struct shop_request *rq, struct error *err)
{
	struct shop_db *db = &shop->db;
	const char *id = field_text(&rq->fields, FIELD_CUSTOMER);
	sqlite3_stmt *stmt = shop_db_stmt(db, customer_recs_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, wanted_count(rq));
	struct value *data = value_map_new();
	value_map_set_str(data, "customer_id", id);
	value_map_set_str(data, "title", "Recommended for you");
	struct value *recs = value_map_add_list(data, "recs");
	if (add_rows(db, stmt, recs, "for_customer", err) < 0) {
		value_free(data);
		return ERR_SYSTEM;
	}
	if (recs->as.list.len == 0) {
		value_free(data);
		respond_error(shop, rq, 404, "We have no recommendations for that customer.");
		return 0;
	}
	return answer(shop, rq, data, err);
}
