/* routes: the route table of shop.cgi and the one path every request takes through it:
 * size and shape checks, route and method, fields validated against the field table,
 * session, forgery token, handler, cache policy. A handler runs only for a request that
 * passed all of these. Also GET /health. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "db/db.h"
#include "web/shop.h"

/* One route. A path ending in '/' takes exactly one more segment (an id), validated
 * as the field segment. */
struct shop_route {
	const char *path;          /* "/cart" or "/order/" */
	shop_handler on_get;       /* GET and HEAD, or NULL */
	shop_handler on_post;      /* POST, or NULL */
	enum shop_field segment;   /* the id's field, for paths ending in '/' */
	int uses_session;          /* loads the session from the cookie */
	const char *cache_control; /* for a successful answer; errors are never cached */
};

static const struct shop_route routes[] = {
	{"/cart", handle_cart_view, NULL, FIELD__COUNT, 1, "no-store"},
	{"/cart/add", NULL, handle_cart_add, FIELD__COUNT, 1, "no-store"},
	{"/cart/update", NULL, handle_cart_update, FIELD__COUNT, 1, "no-store"},
	{"/cart/remove", NULL, handle_cart_remove, FIELD__COUNT, 1, "no-store"},
	{"/checkout", handle_checkout_view, handle_checkout_submit, FIELD__COUNT, 1, "no-store"},
	{"/order/", handle_order_view, NULL, FIELD_ORDER, 1, "no-store"},
	{"/recs/product/", handle_recs_product, NULL, FIELD_PRODUCT, 0, "public, max-age=300"},
	{"/recs/customer/", handle_recs_customer, NULL, FIELD_CUSTOMER, 0, "private, max-age=300"},
	{"/reviews", NULL, handle_review_submit, FIELD__COUNT, 1, "no-store"},
	{"/health", handle_health, NULL, FIELD__COUNT, 0, "no-store"},
};

int handle_health(struct shop *shop, struct shop_request *rq, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(&shop->db, "SELECT count(*) FROM products", err);
	if (!stmt)
		return ERR_SYSTEM;
	int rc = sqlite3_step(stmt);
	long long products = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return db_fail(shop->db.db, err, "health check");
	struct value *data = value_map_new();
	value_map_set_str(data, "status", "ok");
	value_map_set_int(data, "products", products);
	respond_json(rq, 200, data);
	return 0;
}

/* The route for path, with the id segment in *segment (NULL for fixed paths); NULL when
 * none matches. */
static const struct shop_route *find_route(const char *path, size_t len, const char **segment,
					   size_t *segment_len)
{
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		const struct shop_route *r = &routes[i];
		size_t n = strlen(r->path);
		if (r->segment == FIELD__COUNT) {
			if (len == n && memcmp(path, r->path, n) == 0) {
				*segment = NULL;
				return r;
			}
		} else if (len > n && memcmp(path, r->path, n) == 0 && !memchr(path + n, '/', len - n)) {
			*segment = path + n;
			*segment_len = len - n;
			return r;
		}
	}
	return NULL;
}

/* Writes what went wrong inside to stderr (lighttpd's error log) with the path, made
 * safe to log: no control characters from the client reach the log. */
static void log_failure(const struct cgi_request *http, const struct error *err)
{
	char path[200];
	size_t i;
	for (i = 0; i + 1 < sizeof path && http->path[i]; i++) {
		unsigned char c = (unsigned char)http->path[i];
		path[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	path[i] = '\0';
	fprintf(stderr, "shop.cgi: %s %s: %s\n", http->method == CGI_POST ? "POST" : "GET", path,
		err->msg);
}

/* Whether the body is a URL-encoded form (or there is no body at all). */
static int body_is_form(const struct cgi_request *http)
{
	if (http->body.len == 0)
		return 1;
	static const char form[] = "application/x-www-form-urlencoded";
	const char *ct = http->content_type;
	return strncasecmp(ct, form, sizeof form - 1) == 0 &&
	       (ct[sizeof form - 1] == '\0' || ct[sizeof form - 1] == ';' || ct[sizeof form - 1] == ' ');
}

/* Reads the query string and the form into the field set. Returns 0, or the status to
 * refuse the request with. */
static int read_fields(struct shop_request *rq)
{
	struct cgi_params params = {0};
	struct error err;
	int status = 0;
	if (cgi_parse_urlencoded(rq->http->query, strlen(rq->http->query), &params, &err) < 0)
		status = 400;
	else if (rq->http->method == CGI_POST && !body_is_form(rq->http))
		status = 415;
	else if (rq->http->method == CGI_POST &&
		 cgi_parse_urlencoded(buf_str(&rq->http->body), rq->http->body.len, &params, &err) < 0)
		status = 400;
	if (!status)
		fields_validate(&rq->fields, &params);
	cgi_params_free(&params);
	return status;
}

/* The checks before a handler; returns 0 when the handler may run, else has answered. */
static int admit(struct shop *shop, struct shop_request *rq, const struct shop_route *route,
		 const char *segment, size_t segment_len)
{
	int status = read_fields(rq);
	if (status) {
		respond_error(shop, rq, status, status == 415 ? "Forms must be sent URL-encoded."
							      : "We could not read that request.");
		return -1;
	}
	if (segment) {
		fields_validate_one(&rq->fields, route->segment, segment, segment_len);
		if (!rq->fields.v[route->segment].valid) {
			respond_error(shop, rq, 404, "There is nothing at that address.");
			return -1;
		}
	}
	struct error err;
	if (shop_open_db(shop, &err) < 0) {
		log_failure(rq->http, &err);
		respond_error(shop, rq, 503, "The shop is closed for a moment. Please try again soon.");
		return -1;
	}
	if (route->uses_session && session_load(&shop->db, rq->http->cookie, rq->now, &rq->session, &err) < 0) {
		log_failure(rq->http, &err);
		respond_error(shop, rq, 503, "The shop is busy. Please try again in a moment.");
		return -1;
	}
	if (rq->http->method == CGI_POST) {
		const struct field_value *csrf = &rq->fields.v[FIELD_CSRF];
		if (!rq->session.id || !csrf->present || !token_matches(rq->session.csrf, csrf->text, csrf->len)) {
			respond_error(shop, rq, 403,
				      "This form has expired or was sent from another site. Please go "
				      "back, reload the page and try again.");
			return -1;
		}
	}
	return 0;
}

/* Which methods a route answers, for Allow. */
static const char *allowed(const struct shop_route *r)
{
	if (r->on_get && r->on_post)
		return "GET, HEAD, POST";
	return r->on_get ? "GET, HEAD" : "POST";
}

static void route_request(struct shop *shop, struct shop_request *rq)
{
	const struct cgi_request *http = rq->http;
	size_t len = strlen(http->path);
	static const char json_suffix[] = ".json";
	if (len > 5 && memcmp(http->path + len - 5, json_suffix, 5) == 0) {
		len -= 5;
		rq->want_json = 1;
	}
	const char *segment = NULL;
	size_t segment_len = 0;
	const struct shop_route *route = find_route(http->path, len, &segment, &segment_len);
	if (!route) {
		respond_error(shop, rq, 404, "There is nothing at that address.");
		return;
	}
	shop_handler handler = http->method == CGI_POST ? route->on_post
			       : http->method == CGI_OTHER ? NULL : route->on_get;
	if (!handler) {
		cgi_response_header(rq->res, "Allow", allowed(route));
		respond_error(shop, rq, 405, "That address does not take this kind of request.");
		return;
	}
	if (admit(shop, rq, route, segment, segment_len) < 0)
		return;
	struct error err = {{0}};
	if (handler(shop, rq, &err) < 0) {
		int busy = shop->db_ready && sqlite3_errcode(shop->db.db) == SQLITE_BUSY;
		log_failure(http, &err);
		if (shop->db_ready)
			shop_db_rollback(&shop->db);
		buf_reset(&rq->res->headers);
		respond_error(shop, rq, busy ? 503 : 500,
			      busy ? "The shop is very busy. Please try again in a moment."
				   : "Something went wrong on our side. Please try again.");
		return;
	}
	if (rq->res->status < 300)
		rq->res->cache_control = route->cache_control;
}

void shop_handle(struct shop *shop, const struct cgi_request *http, int read_status,
		 struct cgi_response *res)
{
	struct shop_request rq;
	memset(&rq, 0, sizeof rq);
	rq.http = http;
	rq.res = res;
	rq.now = (long long)time(NULL);
	rq.want_json = cgi_accepts_json(http->accept);
	res->head_only = http->method == CGI_HEAD;
	if (read_status == CGI_READ_TOO_LARGE)
		respond_error(shop, &rq, 413, "That request was larger than we accept (64 KB).");
	else if (read_status != CGI_READ_OK)
		respond_error(shop, &rq, 400, "We could not read that request.");
	else
		route_request(shop, &rq);
	if (rq.session.is_new) {
		struct buf cookie = BUF_INIT;
		session_cookie(&rq.session, http->https, &cookie);
		cgi_response_header(res, "Set-Cookie", buf_str(&cookie));
		buf_free(&cookie);
	}
	fields_free(&rq.fields);
}
