/* checkout: the checkout form (GET /checkout) and placing the order (POST /checkout).
 *
 * Placing an order is one BEGIN IMMEDIATE transaction: it looks up the form's
 * idempotency key (a form sent twice finds the order the first one made), reads the cart
 * with today's prices from products, re-checks stock, writes the order and its lines,
 * takes the units from stock (never below zero: the UPDATE only matches while enough is
 * left, and products.stock has a CHECK), empties the cart and records the key. With
 * synchronous=FULL the commit is on disk before the shopper sees the confirmation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/xalloc.h"
#include "web/cart.h"
#include "web/order.h"
#include "web/shop.h"

static const char token_order_sql[] =
	"SELECT o.id, o.number FROM idempotency_tokens t JOIN orders o ON o.id = t.order_id"
	" WHERE t.session_id = ?1 AND t.token = ?2";
static const char checkout_lines_sql[] =
	"SELECT l.product_id, p.name, p.price_cents, l.quantity, p.stock"
	" FROM carts c JOIN cart_lines l ON l.cart_id = c.id JOIN products p ON p.id = l.product_id"
	" WHERE c.session_id = ?1 ORDER BY l.added, l.product_id";
static const char insert_order_sql[] =
	"INSERT INTO orders (session_id, name, email, address, payment_method, items,"
	" subtotal_cents, shipping_cents, total_cents, created)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, datetime(?10, 'unixepoch'))";
static const char number_order_sql[] =
	"UPDATE orders SET number = printf('W%06d', id) WHERE id = ?1 RETURNING number";
static const char insert_line_sql[] =
	"INSERT INTO order_lines (order_id, line, product_id, name, unit_price_cents, quantity,"
	" line_total_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char take_stock_sql[] =
	"UPDATE products SET stock = stock - ?2 WHERE id = ?1 AND stock >= ?2";
static const char empty_cart_sql[] =
	"DELETE FROM cart_lines WHERE cart_id = (SELECT id FROM carts WHERE session_id = ?1)";
static const char insert_token_sql[] =
	"INSERT INTO idempotency_tokens (session_id, token, order_id, created) VALUES (?1, ?2, ?3, ?4)";

/* The fields the checkout form sends, in form order. */
static const enum shop_field form_fields[] = {FIELD_NAME, FIELD_EMAIL, FIELD_ADDRESS,
					      FIELD_PAYMENT};

/* One cart line as checkout reads it, inside the transaction. */
struct checkout_line {
	char *product_id;      /* owned */
	char *name;            /* owned */
	long long price_cents; /* from products, now */
	long long quantity;    /* from the cart */
	long long stock;       /* units left, now */
};

/* The cart being bought. */
struct checkout_cart {
	struct checkout_line *lines; /* owned */
	size_t len, cap;             /* lines in use, allocated */
	long long items, subtotal;   /* units and their price */
};

static void checkout_cart_free(struct checkout_cart *c)
{
	for (size_t i = 0; i < c->len; i++) {
		free(c->lines[i].product_id);
		free(c->lines[i].name);
	}
	free(c->lines);
	memset(c, 0, sizeof *c);
}

/* What the shopper sees besides the form: the cart, the payment choices, the form's key,
 * the values as sent and the messages about them. */
static int checkout_page(struct shop *shop, struct shop_request *rq, int status,
			 const char *problem, const char *idempotency_key, struct error *err)
{
	struct value *data = value_map_new();
	struct value *cart = value_map_add_map(data, "cart");
	if (cart_describe(&shop->db, rq->session.id, cart, err) < 0) {
		value_free(data);
		return ERR_SYSTEM;
	}
	struct value *form = value_map_add_map(data, "form");
	struct value *errors = value_map_add_map(data, "errors");
	int error_count = 0;
	for (size_t i = 0; i < sizeof form_fields / sizeof *form_fields; i++) {
		enum shop_field f = form_fields[i];
		const struct field_value *v = &rq->fields.v[f];
		value_map_set_str(form, field_rules[f].name, v->present ? v->text : "");
		if (rq->http->method == CGI_POST && (!v->present || !v->valid)) {
			char message[160];
			snprintf(message, sizeof message, "%s %s.", field_rules[f].label,
				 v->present ? v->problem : "is required");
			value_map_set_str(errors, field_rules[f].name, message);
			error_count++;
		}
	}
	value_map_set_bool(data, "has_errors", error_count > 0);
	struct value *payments = value_map_add_list(data, "payments");
	const char *chosen = field_text(&rq->fields, FIELD_PAYMENT);
	for (int i = 0; i < payment_method_count; i++) {
		struct value *p = value_list_add_map(payments);
		value_map_set_str(p, "code", payment_methods[i].code);
		value_map_set_str(p, "label", payment_methods[i].label);
		value_map_set_bool(p, "checked", chosen ? strcmp(chosen, payment_methods[i].code) == 0 : i == 0);
	}
	value_map_set_str(data, "idempotency_key", idempotency_key);
	if (problem)
		value_map_set_str(data, "problem", problem);
	if (rq->want_json && status >= 400) {
		/* Scripts get the one error shape, with the field messages beside it. */
		struct value *reply = value_map_new();
		struct value *e = value_map_add_map(reply, "error");
		value_map_set_int(e, "status", status);
		value_map_set_str(e, "message", problem ? problem : "Please check the form.");
		value_map_set(e, "fields", value_map_new());
		for (size_t i = 0; i < errors->as.map.len; i++)
			value_map_set_str((struct value *)value_map_get(e, "fields"),
					  errors->as.map.entries[i].key,
					  errors->as.map.entries[i].value->as.string.bytes);
		value_free(data);
		respond_json(rq, status, reply);
		return 0;
	}
	return respond_view(shop, rq, status, PAGE_CHECKOUT, data, err);
}

int handle_checkout_view(struct shop *shop, struct shop_request *rq, struct error *err)
{
	char key[TOKEN_SIZE];
	if (session_ensure(&shop->db, rq->now, &rq->session, err) < 0 || token_new(key, err) < 0)
		return ERR_SYSTEM;
	return checkout_page(shop, rq, 200, NULL, key, err);
}

/* The order an earlier submission of this form made: its id, 0 when none. */
static long long order_of_token(struct shop_db *db, long long session_id, const char *key,
				struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, token_order_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, session_id);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db->db, err, "checking the form key");
	return id;
}

static int read_checkout_cart(struct shop_db *db, long long session_id, struct checkout_cart *c,
			      struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, checkout_lines_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, session_id);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (c->len == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 8;
			c->lines = xreallocarray(c->lines, c->cap, sizeof *c->lines);
		}
		struct checkout_line *l = &c->lines[c->len++];
		l->product_id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		const unsigned char *name = sqlite3_column_text(stmt, 1);
		l->name = xstrdup(name ? (const char *)name : "");
		l->price_cents = sqlite3_column_int64(stmt, 2);
		l->quantity = sqlite3_column_int64(stmt, 3);
		l->stock = sqlite3_column_int64(stmt, 4);
		c->items += l->quantity;
		c->subtotal += l->price_cents * l->quantity;
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading the cart");
}

/* Steps a statement that must finish without rows; 0 or ERR_SYSTEM. */
static int step_done(struct shop_db *db, sqlite3_stmt *stmt, const char *what, struct error *err)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, what);
}

/* Writes the order row and gives it its number; returns its id or ERR_SYSTEM. */
static long long write_order(struct shop_db *db, const struct shop_request *rq,
			     const struct checkout_cart *c, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, insert_order_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	long long shipping = cart_shipping(c->subtotal);
	sqlite3_bind_int64(stmt, 1, rq->session.id);
	sqlite3_bind_text(stmt, 2, field_text(&rq->fields, FIELD_NAME), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, field_text(&rq->fields, FIELD_EMAIL), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, field_text(&rq->fields, FIELD_ADDRESS), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, field_text(&rq->fields, FIELD_PAYMENT), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, c->items);
	sqlite3_bind_int64(stmt, 7, c->subtotal);
	sqlite3_bind_int64(stmt, 8, shipping);
	sqlite3_bind_int64(stmt, 9, c->subtotal + shipping);
	sqlite3_bind_int64(stmt, 10, rq->now);
	if (step_done(db, stmt, "writing the order", err) < 0)
		return ERR_SYSTEM;
	long long id = sqlite3_last_insert_rowid(db->db);
	sqlite3_stmt *number = shop_db_stmt(db, number_order_sql, err);
	if (!number)
		return ERR_SYSTEM;
	sqlite3_bind_int64(number, 1, id);
	int rc = sqlite3_step(number);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(number);
	sqlite3_reset(number);
	return rc == SQLITE_DONE ? id : db_fail(db->db, err, "numbering the order");
}

/* Writes the lines and takes their units from stock. Returns 0, 1 when a product ran
 * out meanwhile (cannot happen inside the transaction, but is checked), or ERR_SYSTEM. */
static int write_lines(struct shop_db *db, long long order_id, const struct checkout_cart *c,
		       struct error *err)
{
	for (size_t i = 0; i < c->len; i++) {
		const struct checkout_line *l = &c->lines[i];
		sqlite3_stmt *line = shop_db_stmt(db, insert_line_sql, err);
		if (!line)
			return ERR_SYSTEM;
		sqlite3_bind_int64(line, 1, order_id);
		sqlite3_bind_int64(line, 2, (long long)i + 1);
		sqlite3_bind_text(line, 3, l->product_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(line, 4, l->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(line, 5, l->price_cents);
		sqlite3_bind_int64(line, 6, l->quantity);
		sqlite3_bind_int64(line, 7, l->price_cents * l->quantity);
		if (step_done(db, line, "writing an order line", err) < 0)
			return ERR_SYSTEM;
		sqlite3_stmt *take = shop_db_stmt(db, take_stock_sql, err);
		if (!take)
			return ERR_SYSTEM;
		sqlite3_bind_text(take, 1, l->product_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(take, 2, l->quantity);
		if (step_done(db, take, "taking stock", err) < 0)
			return ERR_SYSTEM;
		if (sqlite3_changes(db->db) != 1)
			return 1;
	}
	return 0;
}

/* Empties the cart and records the form's key against the order. */
static int finish_order(struct shop_db *db, const struct shop_request *rq, long long order_id,
			struct error *err)
{
	sqlite3_stmt *empty = shop_db_stmt(db, empty_cart_sql, err);
	if (!empty)
		return ERR_SYSTEM;
	sqlite3_bind_int64(empty, 1, rq->session.id);
	if (step_done(db, empty, "emptying the cart", err) < 0)
		return ERR_SYSTEM;
	sqlite3_stmt *token = shop_db_stmt(db, insert_token_sql, err);
	if (!token)
		return ERR_SYSTEM;
	sqlite3_bind_int64(token, 1, rq->session.id);
	sqlite3_bind_text(token, 2, field_text(&rq->fields, FIELD_IDEMPOTENCY), -1, SQLITE_STATIC);
	sqlite3_bind_int64(token, 3, order_id);
	sqlite3_bind_int64(token, 4, rq->now);
	return step_done(db, token, "recording the form key", err);
}

/* The outcome of placing an order. */
struct placed {
	long long order_id;  /* the order (new, or the one this form made before) */
	char problem[320];   /* why no order was made, for the shopper; "" when one was */
};

/* Checks the cart against stock; fills problem when a line cannot be had. */
static void check_stock(const struct checkout_cart *c, struct placed *out)
{
	if (c->len == 0) {
		snprintf(out->problem, sizeof out->problem, "Your cart is empty.");
		return;
	}
	for (size_t i = 0; i < c->len; i++) {
		const struct checkout_line *l = &c->lines[i];
		if (l->quantity <= l->stock)
			continue;
		if (l->stock > 0)
			snprintf(out->problem, sizeof out->problem,
				 "Sorry, only %lld of %s are left: please change the quantity in your cart.",
				 l->stock, l->name);
		else
			snprintf(out->problem, sizeof out->problem,
				 "Sorry, %s has just sold out: please remove it from your cart.", l->name);
		return;
	}
}

/* The transaction. Returns 0 (out filled) or ERR_SYSTEM. */
static int place_order(struct shop_db *db, const struct shop_request *rq, struct placed *out,
		       struct error *err)
{
	struct checkout_cart cart = {0};
	int rc = ERR_SYSTEM;
	memset(out, 0, sizeof *out);
	if (shop_db_begin_write(db, SHOP_DB_DURABLE, err) < 0)
		return ERR_SYSTEM;
	out->order_id = order_of_token(db, rq->session.id, field_text(&rq->fields, FIELD_IDEMPOTENCY), err);
	if (out->order_id < 0)
		goto done;
	if (out->order_id > 0) {
		rc = 0; /* this form was placed before: answer with that order */
		goto done;
	}
	if (read_checkout_cart(db, rq->session.id, &cart, err) < 0)
		goto done;
	check_stock(&cart, out);
	if (out->problem[0]) {
		rc = 0;
		goto done;
	}
	long long id = write_order(db, rq, &cart, err);
	if (id < 0)
		goto done;
	int sold_out = write_lines(db, id, &cart, err);
	if (sold_out < 0)
		goto done;
	if (sold_out) {
		snprintf(out->problem, sizeof out->problem, "Sorry, something in your cart has just sold out.");
		rc = 0;
		goto done;
	}
	if (finish_order(db, rq, id, err) < 0)
		goto done;
	if (shop_db_commit(db, err) < 0)
		goto done;
	out->order_id = id;
	checkout_cart_free(&cart);
	return 0;
done:
	shop_db_rollback(db);
	checkout_cart_free(&cart);
	return rc;
}

/* Whether the four fields the form asks for all passed. */
static int form_is_valid(const struct shop_request *rq)
{
	for (size_t i = 0; i < sizeof form_fields / sizeof *form_fields; i++)
		if (!field_text(&rq->fields, form_fields[i]))
			return 0;
	return 1;
}

int handle_checkout_submit(struct shop *shop, struct shop_request *rq, struct error *err)
{
	const char *key = field_text(&rq->fields, FIELD_IDEMPOTENCY);
	if (!key) {
		respond_error(shop, rq, 400, "This checkout form is incomplete: please open the checkout page again.");
		return 0;
	}
	if (!form_is_valid(rq))
		return checkout_page(shop, rq, 422, NULL, key, err);
	struct placed placed;
	if (place_order(&shop->db, rq, &placed, err) < 0)
		return ERR_SYSTEM;
	if (placed.problem[0]) {
		/* The form keeps its key: nothing was recorded against it. */
		return checkout_page(shop, rq, 409, placed.problem, key, err);
	}
	if (!rq->want_json) {
		char path[64];
		snprintf(path, sizeof path, "/order/W%06lld", placed.order_id);
		respond_redirect(rq, path);
		return 0;
	}
	struct value *data = value_map_new();
	struct value *order = value_map_add_map(data, "order");
	if (order_describe(&shop->db, placed.order_id, rq->session.id, order, err) < 0) {
		value_free(data);
		return ERR_SYSTEM;
	}
	respond_json(rq, 201, data);
	return 0;
}
