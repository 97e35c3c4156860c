/* Unit tests of shop.cgi's request handling in one process, against a temporary
 * shop.db: the route table, forgery tokens, the cart, an idempotent checkout, reviews
 * and the JSON error shape. (tests/e2e/shop.sh drives the same through lighttpd.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "web/shop.h"

static char db_path[256];

/* One request: CGI variables and a body. */
struct call {
	const char *method;
	const char *path;
	const char *cookie;
	const char *accept;
	const char *body;
	const char *https; /* "on" behind HTTPS */
};

struct call_env {
	const struct call *c; /* the request */
	char length[32];      /* CONTENT_LENGTH */
	size_t offset;        /* body bytes read */
};

static const char *call_getenv(void *ctx, const char *name)
{
	struct call_env *e = ctx;
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return e->c->method;
	if (strcmp(name, "PATH_INFO") == 0)
		return e->c->path;
	if (strcmp(name, "SCRIPT_NAME") == 0)
		return "/shop.cgi";
	if (strcmp(name, "HTTP_COOKIE") == 0)
		return e->c->cookie;
	if (strcmp(name, "HTTP_ACCEPT") == 0)
		return e->c->accept;
	if (strcmp(name, "CONTENT_TYPE") == 0)
		return e->c->body ? "application/x-www-form-urlencoded" : NULL;
	if (strcmp(name, "CONTENT_LENGTH") == 0)
		return e->c->body ? e->length : NULL;
	if (strcmp(name, "HTTPS") == 0)
		return e->c->https;
	return NULL;
}

static long call_read(void *ctx, char *into, size_t n)
{
	struct call_env *e = ctx;
	size_t left = strlen(e->c->body) - e->offset;
	size_t take = left < n ? left : n;
	memcpy(into, e->c->body + e->offset, take);
	e->offset += take;
	return (long)take;
}

/* Runs one request; the whole answer (headers and body) in out; returns the status. */
static int run(struct shop *shop, struct call c, struct buf *out)
{
	struct call_env e = {&c, "", 0};
	if (c.body)
		snprintf(e.length, sizeof e.length, "%zu", strlen(c.body));
	struct cgi_request http;
	struct cgi_response res;
	int read_status = cgi_request_read(&http, call_getenv, call_read, &e);
	cgi_response_init(&res);
	shop_handle(shop, &http, read_status, &res);
	buf_reset(out);
	cgi_response_serialize(&res, out);
	int status = res.status;
	cgi_response_free(&res);
	cgi_request_free(&http);
	return status;
}

/* Copies the text after needle up to the next stop character into into. */
static void text_after(const struct buf *b, const char *needle, char stop, char *into, size_t size)
{
	into[0] = '\0';
	const char *at = strstr(buf_str(b), needle);
	if (!at)
		return;
	at += strlen(needle);
	size_t n = 0;
	while (at[n] && at[n] != stop && n + 1 < size)
		n++;
	memcpy(into, at, n);
	into[n] = '\0';
}

static void open_shop(struct shop *shop)
{
	memset(shop, 0, sizeof *shop);
	snprintf(db_path, sizeof db_path, "/tmp/cartograph-test-shop-%d.db", (int)getpid());
	setenv("CARTOGRAPH_SHOP_DB", db_path, 1);
	setenv("CARTOGRAPH_SHOP_TEMPLATES", "templates/shop", 1);
	setenv("CARTOGRAPH_LEXICON", "data/vader_lexicon.txt", 1);
	shop_config_load(&shop->config);
	struct error err;
	CHECK_INT(shop_open_db(shop, &err), 0);
	CHECK_INT(db_exec(shop->db.db,
			  "INSERT INTO products (id, name, category, price_cents, stock) VALUES"
			  " ('P1', 'Mug <b>', 'Kitchen', 1250, 3), ('P2', 'Teapot', 'Kitchen', 3400, 9);"
			  "INSERT INTO product_recs VALUES ('P1', 1, 'P2', 0.9);",
			  &err),
		  0);
}

static void close_shop(struct shop *shop)
{
	shop_free(shop);
	char path[300];
	unlink(db_path);
	snprintf(path, sizeof path, "%s-wal", db_path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", db_path);
	unlink(path);
}

/* Starts a session through GET /cart.json: fills cookie ("sid=...") and csrf. */
static void start_session(struct shop *shop, char *cookie, size_t cookie_size, char *csrf)
{
	struct buf out = BUF_INIT;
	CHECK_INT(run(shop, (struct call){"GET", "/cart.json", NULL, NULL, NULL, NULL}, &out), 200);
	char sid[64];
	text_after(&out, "Set-Cookie: sid=", ';', sid, sizeof sid);
	snprintf(cookie, cookie_size, "sid=%s", sid);
	text_after(&out, "\"csrf\":\"", '"', csrf, TOKEN_SIZE);
	CHECK_INT(strlen(csrf), 32);
	buf_free(&out);
}

static void test_unknown_paths_and_methods_get_404_and_405(void)
{
	struct shop shop;
	struct buf out = BUF_INIT;
	open_shop(&shop);
	CHECK_INT(run(&shop, (struct call){"GET", "/nowhere", NULL, "application/json", NULL, NULL}, &out), 404);
	CHECK(strstr(buf_str(&out), "{\"error\":{\"status\":404,\"message\":") != NULL);
	CHECK_INT(run(&shop, (struct call){"PUT", "/cart", NULL, NULL, NULL, NULL}, &out), 405);
	CHECK(strstr(buf_str(&out), "Allow: GET, HEAD\r\n") != NULL);
	CHECK_INT(run(&shop, (struct call){"GET", "/cart/add", NULL, NULL, NULL, NULL}, &out), 405);
	CHECK(strstr(buf_str(&out), "Allow: POST\r\n") != NULL);
	CHECK_INT(run(&shop, (struct call){"GET", "/order/../x", NULL, NULL, NULL, NULL}, &out), 404);
	buf_free(&out);
	close_shop(&shop);
}

static void test_posts_without_the_sessions_token_are_forbidden(void)
{
	struct shop shop;
	struct buf out = BUF_INIT;
	char cookie[80], csrf[TOKEN_SIZE];
	open_shop(&shop);
	start_session(&shop, cookie, sizeof cookie, csrf);
	CHECK_INT(run(&shop, (struct call){"POST", "/cart/add", cookie, NULL, "product_id=P1", NULL}, &out), 403);
	CHECK_INT(run(&shop, (struct call){"POST", "/cart/add", NULL, NULL, "product_id=P1&csrf=0123456789abcdef0123456789abcdef", NULL}, &out), 403);
	CHECK(strstr(buf_str(&out), "This form has expired") != NULL);
	buf_free(&out);
	close_shop(&shop);
}

static void test_cart_add_checks_stock_and_redirects(void)
{
	struct shop shop;
	struct buf out = BUF_INIT, form = BUF_INIT;
	char cookie[80], csrf[TOKEN_SIZE];
	open_shop(&shop);
	start_session(&shop, cookie, sizeof cookie, csrf);
	buf_printf(&form, "csrf=%s&product_id=P1&quantity=2", csrf);
	CHECK_INT(run(&shop, (struct call){"POST", "/cart/add", cookie, NULL, buf_str(&form), NULL}, &out), 303);
	CHECK(strstr(buf_str(&out), "Location: /shop.cgi/cart\r\n") != NULL);
	CHECK_INT(run(&shop, (struct call){"POST", "/cart/add", cookie, "application/json", buf_str(&form), NULL}, &out), 409);
	CHECK(strstr(buf_str(&out), "only 3 of Mug \\u003cb> are left") != NULL);
	CHECK_INT(run(&shop, (struct call){"GET", "/cart", cookie, NULL, NULL, NULL}, &out), 200);
	CHECK(strstr(buf_str(&out), "Mug &lt;b&gt;") != NULL);
	CHECK(strstr(buf_str(&out), "Frequently bought together") != NULL);
	buf_free(&form);
	buf_free(&out);
	close_shop(&shop);
}

static void test_the_same_checkout_form_twice_makes_one_order(void)
{
	struct shop shop;
	struct buf out = BUF_INIT, form = BUF_INIT;
	char cookie[80], csrf[TOKEN_SIZE], key[TOKEN_SIZE], first[64], second[64];
	open_shop(&shop);
	start_session(&shop, cookie, sizeof cookie, csrf);
	buf_printf(&form, "csrf=%s&product_id=P1&quantity=3", csrf);
	CHECK_INT(run(&shop, (struct call){"POST", "/cart/add", cookie, NULL, buf_str(&form), NULL}, &out), 303);
	CHECK_INT(run(&shop, (struct call){"GET", "/checkout", cookie, NULL, NULL, NULL}, &out), 200);
	text_after(&out, "name=\"idempotency_key\" value=\"", '"', key, sizeof key);
	CHECK_INT(strlen(key), 32);
	buf_reset(&form);
	buf_printf(&form, "csrf=%s&idempotency_key=%s&name=Ada&email=ada%%40example.com"
		   "&address=1+Long+Road&payment_method=card", csrf, key);
	CHECK_INT(run(&shop, (struct call){"POST", "/checkout", cookie, NULL, buf_str(&form), NULL}, &out), 303);
	text_after(&out, "Location: ", '\r', first, sizeof first);
	CHECK_INT(run(&shop, (struct call){"POST", "/checkout", cookie, NULL, buf_str(&form), NULL}, &out), 303);
	text_after(&out, "Location: ", '\r', second, sizeof second);
	CHECK_STR(first, "/shop.cgi/order/W000001");
	CHECK_STR(second, first);
	CHECK_INT(db_query_int(shop.db.db, "SELECT count(*) FROM orders", NULL, -1), 1);
	CHECK_INT(db_query_int(shop.db.db, "SELECT stock FROM products WHERE id = 'P1'", NULL, -1), 0);
	CHECK_INT(db_query_int(shop.db.db, "SELECT total_cents FROM orders", NULL, -1), 3750 + 395);
	CHECK_INT(run(&shop, (struct call){"GET", "/order/W000001", cookie, NULL, NULL, NULL}, &out), 200);
	CHECK(strstr(buf_str(&out), "W000001") != NULL);
	CHECK_INT(run(&shop, (struct call){"GET", "/order/W000001.json", NULL, NULL, NULL, NULL}, &out), 404);
	buf_reset(&form);
	buf_printf(&form, "csrf=%s&product_id=P1&rating=5&review=Lovely+mug%%2C+great+colour%%21", csrf);
	CHECK_INT(run(&shop, (struct call){"POST", "/reviews", cookie, NULL, buf_str(&form), NULL}, &out), 201);
	CHECK_INT(db_query_int(shop.db.db, "SELECT sentiment > 0.3 FROM reviews", NULL, -1), 1);
	CHECK_INT(run(&shop, (struct call){"POST", "/reviews", cookie, NULL, buf_str(&form), NULL}, &out), 403);
	buf_free(&form);
	buf_free(&out);
	close_shop(&shop);
}

static void test_checkout_keeps_values_and_says_what_is_wrong(void)
{
	struct shop shop;
	struct buf out = BUF_INIT, form = BUF_INIT;
	char cookie[80], csrf[TOKEN_SIZE];
	open_shop(&shop);
	start_session(&shop, cookie, sizeof cookie, csrf);
	buf_printf(&form, "csrf=%s&product_id=P2", csrf);
	run(&shop, (struct call){"POST", "/cart/add", cookie, NULL, buf_str(&form), NULL}, &out);
	buf_reset(&form);
	buf_printf(&form, "csrf=%s&idempotency_key=0123456789abcdef0123456789abcdef&name=%%3Cb%%3EAda"
		   "&email=nope&address=&payment_method=cash", csrf);
	CHECK_INT(run(&shop, (struct call){"POST", "/checkout", cookie, NULL, buf_str(&form), NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "value=\"&lt;b&gt;Ada\"") != NULL);
	CHECK(strstr(buf_str(&out), "Email must look like name@example.com.") != NULL);
	CHECK(strstr(buf_str(&out), "Address is required.") != NULL);
	CHECK(strstr(buf_str(&out), "Payment method is not one we accept.") != NULL);
	CHECK_INT(run(&shop, (struct call){"POST", "/checkout", cookie, "application/json", buf_str(&form), NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "\"fields\":{\"email\":\"Email must look like name@example.com.\"") != NULL);
	CHECK_INT(db_query_int(shop.db.db, "SELECT count(*) FROM orders", NULL, -1), 0);
	buf_free(&form);
	buf_free(&out);
	close_shop(&shop);
}

static void test_recommendations_are_404_for_unknown_ids(void)
{
	struct shop shop;
	struct buf out = BUF_INIT;
	open_shop(&shop);
	CHECK_INT(run(&shop, (struct call){"GET", "/recs/product/P1.json", NULL, NULL, NULL, NULL}, &out), 200);
	CHECK(strstr(buf_str(&out), "Cache-Control: public, max-age=300\r\n") != NULL);
	CHECK_INT(run(&shop, (struct call){"GET", "/recs/product/P9.json", NULL, NULL, NULL, NULL}, &out), 404);
	CHECK_INT(run(&shop, (struct call){"GET", "/recs/customer/C1.json", NULL, NULL, NULL, NULL}, &out), 404);
	CHECK(strstr(buf_str(&out), "Cache-Control: no-store\r\n") != NULL);
	buf_free(&out);
	close_shop(&shop);
}

static void test_the_session_cookie_is_secure_behind_https(void)
{
	struct shop shop;
	struct buf out = BUF_INIT;
	open_shop(&shop);
	CHECK_INT(run(&shop, (struct call){"GET", "/cart.json", NULL, NULL, NULL, "on"}, &out), 200);
	CHECK(strstr(buf_str(&out), "; HttpOnly; SameSite=Lax; Secure\r\n") != NULL);
	CHECK_INT(run(&shop, (struct call){"GET", "/cart.json", NULL, NULL, NULL, NULL}, &out), 200);
	CHECK(strstr(buf_str(&out), "; HttpOnly; SameSite=Lax\r\n") != NULL);
	buf_free(&out);
	close_shop(&shop);
}

static void test_a_long_wal_is_checkpointed_by_a_background_thread(void)
{
	struct shop shop;
	struct buf out = BUF_INIT, form = BUF_INIT;
	struct error err;
	char cookie[80], csrf[TOKEN_SIZE];
	open_shop(&shop);
	CHECK_INT(shop_db_checkpoint_in_background(&shop.db, db_path, &err), 0);
	start_session(&shop, cookie, sizeof cookie, csrf);
	buf_printf(&form, "csrf=%s&product_id=P2&quantity=1", csrf);
	CHECK_INT(run(&shop, (struct call){"POST", "/cart/add", cookie, NULL, buf_str(&form), NULL}, &out), 303);
	int failures = 0;
	for (int i = 0; i < 1500; i++) {
		buf_reset(&form);
		buf_printf(&form, "csrf=%s&product_id=P2&quantity=%d", csrf, 1 + i % 9);
		failures += run(&shop, (struct call){"POST", "/cart/update", cookie, NULL, buf_str(&form), NULL}, &out) != 303;
	}
	CHECK_INT(failures, 0);
	CHECK_INT(db_query_int(shop.db.db, "SELECT quantity FROM cart_lines", NULL, -1), 1 + 1499 % 9);
	sqlite3_stmt *check = NULL;
	sqlite3_prepare_v2(shop.db.db, "PRAGMA integrity_check", -1, &check, NULL);
	CHECK(sqlite3_step(check) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(check, 0), "ok") == 0);
	sqlite3_finalize(check);
	buf_free(&form);
	buf_free(&out);
	close_shop(&shop);
}

/* A read transaction sees shop.db as it was at its first query: a price changed by
 * another connection meanwhile shows only after it ends. */
static void test_a_read_transaction_sees_one_snapshot(void)
{
	struct shop shop;
	struct shop_db reader;
	struct error err;
	open_shop(&shop);
	CHECK_INT(db_open_shop_reader(db_path, &reader, &err), 0);
	CHECK_INT(shop_db_begin_read(&reader, &err), 0);
	const char *price = "SELECT price_cents FROM products WHERE id = 'P1'";
	CHECK_INT(db_query_int(reader.db, price, NULL, -1), 1250);
	CHECK_INT(db_exec(shop.db.db, "UPDATE products SET price_cents = 999 WHERE id = 'P1'", &err), 0);
	CHECK_INT(db_query_int(reader.db, price, NULL, -1), 1250);
	shop_db_end_read(&reader);
	CHECK_INT(db_query_int(reader.db, price, NULL, -1), 999);
	CHECK(sqlite3_get_autocommit(reader.db) != 0);
	shop_db_close(&reader);
	close_shop(&shop);
}

int main(void)
{
	RUN(test_unknown_paths_and_methods_get_404_and_405);
	RUN(test_posts_without_the_sessions_token_are_forbidden);
	RUN(test_cart_add_checks_stock_and_redirects);
	RUN(test_the_same_checkout_form_twice_makes_one_order);
	RUN(test_checkout_keeps_values_and_says_what_is_wrong);
	RUN(test_recommendations_are_404_for_unknown_ids);
	RUN(test_the_session_cookie_is_secure_behind_https);
	RUN(test_a_long_wal_is_checkpointed_by_a_background_thread);
	RUN(test_a_read_transaction_sees_one_snapshot);
	return check_summary();
}
