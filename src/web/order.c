/* order: the order confirmation page and the reading of an order. */
#include "web/order.h"

#include <string.h>

#include "db/db.h"
#include "web/shop.h"

static const char order_sql[] =
	"SELECT number, name, email, address, payment_method, items, subtotal_cents,"
	" shipping_cents, total_cents, status, created"
	" FROM orders WHERE id = ?1 AND session_id = ?2";
static const char order_lines_sql[] =
	"SELECT l.product_id, l.name, l.unit_price_cents, l.quantity, l.line_total_cents,"
	" r.rating"
	" FROM order_lines l LEFT JOIN reviews r ON r.order_id = l.order_id AND r.product_id = l.product_id"
	" WHERE l.order_id = ?1 ORDER BY l.line";
static const char order_by_number_sql[] =
	"SELECT id FROM orders WHERE number = ?1 AND session_id = ?2";

static const char *text_at(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);
	return s ? (const char *)s : "";
}

static int describe_lines(struct shop_db *db, long long order_id, struct value *order,
			  struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, order_lines_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, order_id);
	struct value *lines = value_map_add_list(order, "lines");
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct value *line = value_list_add_map(lines);
		value_map_set_str(line, "product_id", text_at(stmt, 0));
		value_map_set_str(line, "name", text_at(stmt, 1));
		value_map_set_money(line, "unit_price", sqlite3_column_int64(stmt, 2));
		value_map_set_int(line, "quantity", sqlite3_column_int64(stmt, 3));
		value_map_set_money(line, "line_total", sqlite3_column_int64(stmt, 4));
		int reviewed = sqlite3_column_type(stmt, 5) != SQLITE_NULL;
		value_map_set_bool(line, "reviewed", reviewed);
		if (reviewed)
			value_map_set_int(line, "rating", sqlite3_column_int64(stmt, 5));
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading order lines");
}

int order_describe(struct shop_db *db, long long order_id, long long session_id,
		   struct value *order, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, order_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, order_id);
	sqlite3_bind_int64(stmt, 2, session_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db->db, err, "reading the order");
	value_map_set_str(order, "number", text_at(stmt, 0));
	value_map_set_str(order, "name", text_at(stmt, 1));
	value_map_set_str(order, "email", text_at(stmt, 2));
	value_map_set_str(order, "address", text_at(stmt, 3));
	value_map_set_str(order, "payment_method", text_at(stmt, 4));
	value_map_set_str(order, "payment_label", payment_label(text_at(stmt, 4)));
	value_map_set_int(order, "items", sqlite3_column_int64(stmt, 5));
	value_map_set_money(order, "subtotal", sqlite3_column_int64(stmt, 6));
	value_map_set_money(order, "shipping", sqlite3_column_int64(stmt, 7));
	value_map_set_money(order, "total", sqlite3_column_int64(stmt, 8));
	value_map_set_str(order, "status", text_at(stmt, 9));
	value_map_set_str(order, "created", text_at(stmt, 10));
	sqlite3_reset(stmt);
	return describe_lines(db, order_id, order, err) < 0 ? ERR_SYSTEM : 1;
}

long long order_find(struct shop_db *db, const char *number, long long session_id,
		     struct error *err)
{
	if (!session_id)
		return 0;
	sqlite3_stmt *stmt = shop_db_stmt(db, order_by_number_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, session_id);
	int rc = sqlite3_step(stmt);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db->db, err, "finding the order");
	return id;
}

int handle_order_view(struct shop *shop, struct shop_request *rq, struct error *err)
{
	const char *number = field_text(&rq->fields, FIELD_ORDER);
	long long id = number ? order_find(&shop->db, number, rq->session.id, err) : 0;
	if (id < 0)
		return ERR_SYSTEM;
	struct value *data = value_map_new();
	struct value *order = value_map_add_map(data, "order");
	int found = id ? order_describe(&shop->db, id, rq->session.id, order, err) : 0;
	if (found < 0) {
		value_free(data);
		return ERR_SYSTEM;
	}
	if (!found) {
		value_free(data);
		respond_error(shop, rq, 404, "We could not find that order in this browser's orders.");
		return 0;
	}
	struct value *ratings = value_map_add_list(data, "ratings");
	for (int stars = 5; stars >= 1; stars--) {
		struct value *r = value_list_add_map(ratings);
		value_map_set_int(r, "value", stars);
		value_map_set_bool(r, "default", stars == 5);
	}
	return respond_view(shop, rq, 200, PAGE_ORDER, data, err);
}
