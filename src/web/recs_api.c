/* recs_api: GET /recs/product/<id> ("frequently bought together", padded with the
 * product's category best sellers) and GET /recs/customer/<id>, as JSON or as an HTML
 * fragment to put into a page. An id the shop does not know is a 404, never an empty
 * list. Product recommendations are the same for everyone, so caches may keep them. */
#include <string.h>

#include "db/db.h"
#include "web/product_recs.h"
#include "web/shop.h"

static const char customer_recs_sql[] =
	"SELECT r.product_id, p.name, p.price_cents, r.score, p.stock"
	" FROM customer_recs r JOIN products p ON p.id = r.product_id"
	" WHERE r.customer_id = ?1 ORDER BY r.rank LIMIT ?2";

static int wanted_count(const struct shop_request *rq)
{
	const struct field_value *n = &rq->fields.v[FIELD_COUNT];
	return n->present && n->valid ? (int)n->number : PRODUCT_RECS_DEFAULT_COUNT;
}

/* Answers a list: the cache policy, then JSON or the fragment. */
static int answer(struct shop *shop, struct shop_request *rq, struct value *data, struct error *err)
{
	cgi_response_header(rq->res, "Vary", "Accept");
	return respond_view(shop, rq, 200, PAGE_RECS, data, err);
}

int handle_recs_product(struct shop *shop, struct shop_request *rq, struct error *err)
{
	const char *id = field_text(&rq->fields, FIELD_PRODUCT);
	struct value *data = value_map_new();
	int found = product_recs_describe(&shop->db, id, wanted_count(rq), data, err);
	if (found <= 0) {
		value_free(data);
		if (found == 0)
			respond_error(shop, rq, 404, "We do not know that product.");
		return found;
	}
	if (!rq->want_json)
		return answer(shop, rq, data, err);
	/* The same bytes as the static file `cartograph build` writes for this product. */
	cgi_response_header(rq->res, "Vary", "Accept");
	rq->res->status = 200;
	rq->res->content_type = "application/json";
	buf_reset(&rq->res->body);
	product_recs_json(data, &rq->res->body);
	value_free(data);
	return 0;
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
	if (product_recs_add_rows(db, stmt, recs, "for_customer", err) < 0) {
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
