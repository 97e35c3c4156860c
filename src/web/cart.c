/* cart: the cart page and the three cart changes. A change runs in one BEGIN IMMEDIATE
 * transaction that reads the product's stock and the line's quantity and writes the
 * line, so two tabs adding at once cannot push a line past the stock. */
#include "web/cart.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "web/session.h"
#include "web/shop.h"

static const char cart_lines_sql[] =
	"SELECT l.product_id, p.name, p.price_cents, l.quantity, p.stock"
	" FROM carts c JOIN cart_lines l ON l.cart_id = c.id JOIN products p ON p.id = l.product_id"
	" WHERE c.session_id = ?1 ORDER BY l.added, l.product_id";
static const char suggestions_sql[] =
	"SELECT p.id, p.name, p.price_cents, sum(r.score) AS s"
	" FROM carts c JOIN cart_lines l ON l.cart_id = c.id"
	" JOIN product_recs r ON r.product_id = l.product_id"
	" JOIN products p ON p.id = r.rec_product_id"
	" WHERE c.session_id = ?1 AND p.stock > 0"
	" AND NOT EXISTS (SELECT 1 FROM cart_lines x WHERE x.cart_id = c.id AND x.product_id = p.id)"
	" GROUP BY p.id ORDER BY s DESC, p.id LIMIT ?2";
static const char product_stock_sql[] = "SELECT name, stock FROM products WHERE id = ?1";
static const char line_quantity_sql[] =
	"SELECT l.quantity FROM carts c JOIN cart_lines l ON l.cart_id = c.id"
	" WHERE c.session_id = ?1 AND l.product_id = ?2";
static const char find_cart_sql[] = "SELECT id, updated FROM carts WHERE session_id = ?1";
static const char insert_cart_sql[] =
	"INSERT INTO carts (session_id, created, updated) VALUES (?1, ?2, ?2)";
static const char touch_cart_sql[] = "UPDATE carts SET updated = ?2 WHERE id = ?1";
static const char upsert_line_sql[] =
	"INSERT INTO cart_lines (cart_id, product_id, quantity, added) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity";
static const char delete_line_sql[] =
	"DELETE FROM cart_lines WHERE cart_id = ?1 AND product_id = ?2";

long long cart_shipping(long long subtotal_cents)
{
	if (subtotal_cents <= 0 || subtotal_cents >= CART_FREE_SHIPPING_FROM)
		return 0;
	return CART_SHIPPING_CENTS;
}

static const char *column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);
	return s ? (const char *)s : "";
}

int cart_describe(struct shop_db *db, long long session_id, struct value *cart, struct error *err)
{
	struct value *lines = value_map_add_list(cart, "lines");
	long long items = 0, subtotal = 0;
	if (session_id) {
		sqlite3_stmt *stmt = shop_db_stmt(db, cart_lines_sql, err);
		if (!stmt)
			return ERR_SYSTEM;
		sqlite3_bind_int64(stmt, 1, session_id);
		int rc;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct value *line = value_list_add_map(lines);
			long long price = sqlite3_column_int64(stmt, 2);
			long long quantity = sqlite3_column_int64(stmt, 3);
			value_map_set_str(line, "product_id", column_text(stmt, 0));
			value_map_set_str(line, "name", column_text(stmt, 1));
			value_map_set_int(line, "quantity", quantity);
			value_map_set_money(line, "unit_price", price);
			value_map_set_money(line, "line_total", price * quantity);
			value_map_set_int(line, "stock", sqlite3_column_int64(stmt, 4));
			items += quantity;
			subtotal += price * quantity;
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE)
			return db_fail(db->db, err, "reading the cart");
	}
	long long shipping = cart_shipping(subtotal);
	value_map_set_int(cart, "items", items);
	value_map_set_bool(cart, "empty", items == 0);
	value_map_set_money(cart, "subtotal", subtotal);
	value_map_set_money(cart, "shipping", shipping);
	value_map_set_money(cart, "total", subtotal + shipping);
	value_map_set_bool(cart, "free_shipping", items > 0 && shipping == 0);
	return 0;
}

int cart_suggest(struct shop_db *db, long long session_id, struct value *data, struct error *err)
{
	struct value *list = value_map_add_list(data, "suggestions");
	if (!session_id)
		return 0;
	sqlite3_stmt *stmt = shop_db_stmt(db, suggestions_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, session_id);
	sqlite3_bind_int(stmt, 2, CART_SUGGESTIONS);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct value *item = value_list_add_map(list);
		value_map_set_str(item, "product_id", column_text(stmt, 0));
		value_map_set_str(item, "name", column_text(stmt, 1));
		value_map_set_money(item, "price", sqlite3_column_int64(stmt, 2));
	}
	sqlite3_reset(stmt);
	value_map_set_bool(data, "has_suggestions", list->as.list.len > 0);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "suggesting products");
}

/* The cart page (or JSON) with an optional problem to show, at status. */
static int show_cart(struct shop *shop, struct shop_request *rq, int status, const char *problem,
		     struct error *err)
{
	struct value *data = value_map_new();
	struct value *cart = value_map_add_map(data, "cart");
	if (cart_describe(&shop->db, rq->session.id, cart, err) < 0 ||
	    cart_suggest(&shop->db, rq->session.id, data, err) < 0) {
		value_free(data);
		return ERR_SYSTEM;
	}
	if (problem)
		value_map_set_str(data, "problem", problem);
	if (rq->want_json && rq->session.id)
		value_map_set_str(data, "csrf", rq->session.csrf);
	return respond_view(shop, rq, status, PAGE_CART, data, err);
}

int handle_cart_view(struct shop *shop, struct shop_request *rq, struct error *err)
{
	/* A script asking for the cart wants the session's token for its forms. */
	if (rq->want_json && session_ensure(&shop->db, rq->now, &rq->session, err) < 0)
		return ERR_SYSTEM;
	return show_cart(shop, rq, 200, NULL, err);
}

enum cart_change { CART_ADD, CART_SET, CART_REMOVE };

/* Why a change was refused: a status and a message for the shopper. */
struct refusal {
	int status;        /* 0: not refused */
	char message[320]; /* what to show */
};

static void refuse(struct refusal *r, int status, const char *message)
{
	r->status = status;
	snprintf(r->message, sizeof r->message, "%s", message);
}

/* Reads the product's name and stock; 0 when it is not sold. */
static int product_stock(struct shop_db *db, const char *product_id, char *name, size_t name_size,
			 long long *stock, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, product_stock_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, product_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		snprintf(name, name_size, "%s", column_text(stmt, 0));
		*stock = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db->db, err, "reading stock");
	return rc == SQLITE_ROW;
}

/* The quantity of the product in the session's cart (0 when none). */
static int line_quantity(struct shop_db *db, long long session_id, const char *product_id,
			 long long *quantity, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, line_quantity_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, session_id);
	sqlite3_bind_text(stmt, 2, product_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	*quantity = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading the cart");
}

/* The session's cart id, making the cart if needed; its last change time is refreshed
 * at most every SESSION_TOUCH_INTERVAL, which is plenty for a 30-day expiry and spares
 * a page write per change. Returns the id or ERR_SYSTEM. */
static long long cart_for_change(struct shop_db *db, const struct shop_request *rq, struct error *err)
{
	sqlite3_stmt *find = shop_db_stmt(db, find_cart_sql, err);
	if (!find)
		return ERR_SYSTEM;
	sqlite3_bind_int64(find, 1, rq->session.id);
	int rc = sqlite3_step(find);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(find, 0) : 0;
	long long updated = rc == SQLITE_ROW ? sqlite3_column_int64(find, 1) : 0;
	sqlite3_reset(find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db->db, err, "finding the cart");
	if (id && rq->now - updated < SESSION_TOUCH_INTERVAL)
		return id;
	sqlite3_stmt *write = shop_db_stmt(db, id ? touch_cart_sql : insert_cart_sql, err);
	if (!write)
		return ERR_SYSTEM;
	sqlite3_bind_int64(write, 1, id ? id : rq->session.id);
	sqlite3_bind_int64(write, 2, rq->now);
	rc = sqlite3_step(write);
	sqlite3_reset(write);
	if (rc != SQLITE_DONE)
		return db_fail(db->db, err, "saving the cart");
	return id ? id : sqlite3_last_insert_rowid(db->db);
}

/* Writes the line (quantity 0 deletes it) into the session's cart, made if needed. */
static int write_line(struct shop_db *db, const struct shop_request *rq, const char *product_id,
		      long long quantity, struct error *err)
{
	long long cart_id = cart_for_change(db, rq, err);
	if (cart_id < 0)
		return ERR_SYSTEM;
	sqlite3_stmt *line = shop_db_stmt(db, quantity ? upsert_line_sql : delete_line_sql, err);
	if (!line)
		return ERR_SYSTEM;
	sqlite3_bind_int64(line, 1, cart_id);
	sqlite3_bind_text(line, 2, product_id, -1, SQLITE_STATIC);
	if (quantity) {
		sqlite3_bind_int64(line, 3, quantity);
		sqlite3_bind_int64(line, 4, rq->now);
	}
	int rc = sqlite3_step(line);
	sqlite3_reset(line);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "saving the cart");
}

/* Applies one change in one write transaction, or fills r with why not. */
static int change_cart(struct shop *shop, struct shop_request *rq, enum cart_change how,
		       const char *product_id, long long quantity, struct refusal *r, struct error *err)
{
	struct shop_db *db = &shop->db;
	char name[256] = "";
	long long stock = 0, current = 0;
	if (!rq->session.id)
		return error_set(err, ERR_SYSTEM, "cart change without a session");
	if (shop_db_begin_write(db, SHOP_DB_RELAXED, err) < 0)
		return ERR_SYSTEM;
	int found = product_stock(db, product_id, name, sizeof name, &stock, err);
	if (found < 0 || line_quantity(db, rq->session.id, product_id, &current, err) < 0)
		goto failed;
	long long want = how == CART_ADD ? current + quantity : how == CART_SET ? quantity : 0;
	if (!found && how == CART_ADD) {
		refuse(r, 404, "We do not sell that product.");
	} else if (how != CART_ADD && current == 0) {
		refuse(r, 404, "That product is not in your cart.");
	} else if (want > CART_MAX_QUANTITY) {
		refuse(r, 409, "You can have at most 99 of one product in your cart.");
	} else if (want > stock && want > 0) {
		r->status = 409;
		if (stock > 0)
			snprintf(r->message, sizeof r->message, "Sorry, only %lld of %s are left.", stock, name);
		else
			snprintf(r->message, sizeof r->message, "Sorry, %s is sold out.", name);
	}
	if (r->status) {
		shop_db_rollback(db);
		return 0;
	}
	if (write_line(db, rq, product_id, want, err) < 0)
		goto failed;
	return shop_db_commit(db, err);
failed:
	shop_db_rollback(db);
	return ERR_SYSTEM;
}

/* The common path of the three POST handlers. */
static int answer_change(struct shop *shop, struct shop_request *rq, enum cart_change how,
			 struct error *err)
{
	const char *product_id = field_text(&rq->fields, FIELD_PRODUCT);
	const struct field_value *q = &rq->fields.v[FIELD_QUANTITY];
	if (!product_id) {
		respond_error(shop, rq, 400, "Which product? The form did not say.");
		return 0;
	}
	long long quantity = how == CART_ADD ? 1 : 0;
	if (q->present && !q->valid) {
		respond_error(shop, rq, 400, "The quantity must be a whole number from 0 to 99.");
		return 0;
	}
	if (q->present)
		quantity = q->number;
	if (how == CART_SET && !q->present) {
		respond_error(shop, rq, 400, "The form did not say how many.");
		return 0;
	}
	if (how == CART_ADD && quantity < 1) {
		respond_error(shop, rq, 400, "Add at least one.");
		return 0;
	}
	struct refusal r = {0, ""};
	if (change_cart(shop, rq, how, product_id, quantity, &r, err) < 0)
		return ERR_SYSTEM;
	if (r.status) {
		if (rq->want_json) {
			respond_error(shop, rq, r.status, r.message);
			return 0;
		}
		return show_cart(shop, rq, r.status, r.message, err);
	}
	if (rq->want_json)
		return show_cart(shop, rq, 200, NULL, err);
	respond_redirect(rq, "/cart");
	return 0;
}

int handle_cart_add(struct shop *shop, struct shop_request *rq, struct error *err)
{
	return answer_change(shop, rq, CART_ADD, err);
}

int handle_cart_update(struct shop *shop, struct shop_request *rq, struct error *err)
{
	return answer_change(shop, rq, CART_SET, err);
}

int handle_cart_remove(struct shop *shop, struct shop_request *rq, struct error *err)
{
	return answer_change(shop, rq, CART_REMOVE, err);
}
