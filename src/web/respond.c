/* respond: the ways a handler answers: a view (HTML or JSON of the same data), JSON,
 * the one JSON error shape and the friendly error page, and 303 redirects. Also money
 * as shoppers read it. */
#include "web/shop.h"

#include <stdio.h>
#include <string.h>

/* The currency sign shown before amounts: the one `cartograph build --currency` wrote
 * into shop.db (read when the database is opened), "$" until then. */
static char currency_sign[16] = "$";

void money_set_currency(const char *sign)
{
	snprintf(currency_sign, sizeof currency_sign, "%s", sign);
}

void money_text(long long cents, char out[32])
{
	const char *sign = cents < 0 ? "-" : "";
	unsigned long long abs_cents = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
	snprintf(out, 32, "%s%llu.%02llu", sign, abs_cents / 100, abs_cents % 100);
}

void value_map_set_money(struct value *map, const char *key, long long cents)
{
	char amount[32], shown[48], text_key[64];
	money_text(cents, amount);
	snprintf(shown, sizeof shown, "%s%s", currency_sign, amount);
	snprintf(text_key, sizeof text_key, "%s_text", key);
	value_map_set_int(map, key, cents);
	value_map_set_str(map, text_key, shown);
}

void respond_json(struct shop_request *rq, int status, struct value *data)
{
	struct cgi_response *res = rq->res;
	res->status = status;
	res->content_type = "application/json";
	buf_reset(&res->body);
	value_to_json(data, &res->body);
	buf_putc(&res->body, '\n');
	value_free(data);
}

/* Adds what every page needs: where links and forms point, the assets and the session's
 * anti-forgery token. */
static void add_page_common(const struct shop *shop, const struct shop_request *rq, struct value *data)
{
	value_map_set_str(data, "base", rq->http->script_name);
	value_map_set_str(data, "assets", shop->config.assets_url);
	if (rq->session.id)
		value_map_set_str(data, "csrf", rq->session.csrf);
}

int respond_view(struct shop *shop, struct shop_request *rq, int status, enum shop_page page,
		 struct value *data, struct error *err)
{
	if (rq->want_json) {
		respond_json(rq, status, data);
		return 0;
	}
	struct cgi_response *res = rq->res;
	add_page_common(shop, rq, data);
	buf_reset(&res->body);
	int rc = shop_render_page(shop, page, data, &res->body, err);
	value_free(data);
	if (rc < 0)
		return rc;
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
	return 0;
}

/* Headlines of the error page, by status. */
static const char *error_title(int status)
{
	switch (status) {
	case 400: return "That request did not make sense to us";
	case 403: return "This form has expired";
	case 404: return "We could not find that";
	case 405: return "That is not something this page does";
	case 409: return "That did not work out";
	case 413: return "That was too much at once";
	case 415: return "We could not read that form";
	case 422: return "Please check the form";
	case 503: return "The shop is busy";
	default: return "Something went wrong on our side";
	}
}

/* A page that needs no template, for when the templates themselves are the trouble. */
static void builtin_error_page(struct cgi_response *res, int status, const char *message)
{
	buf_reset(&res->body);
	buf_printf(&res->body,
		   "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>%d %s</title>"
		   "<h1>%s</h1><p>",
		   status, cgi_status_text(status), error_title(status));
	buf_html_escape(&res->body, message, strlen(message));
	buf_puts(&res->body, "</p></html>\n");
}

void respond_error(struct shop *shop, struct shop_request *rq, int status, const char *message)
{
	struct cgi_response *res = rq->res;
	res->cache_control = "no-store";
	if (status == 503) /* busy or closed for a moment: a client may try again soon */
		cgi_response_header(res, "Retry-After", "2");
	if (rq->want_json) {
		struct value *data = value_map_new();
		struct value *error = value_map_add_map(data, "error");
		value_map_set_int(error, "status", status);
		value_map_set_str(error, "message", message);
		respond_json(rq, status, data);
		return;
	}
	struct value *data = value_map_new();
	value_map_set_int(data, "status", status);
	value_map_set_str(data, "title", error_title(status));
	value_map_set_str(data, "message", message);
	value_map_set_bool(data, "forbidden", status == 403);
	struct error err;
	if (respond_view(shop, rq, status, PAGE_ERROR, data, &err) < 0) {
		fprintf(stderr, "shop.cgi: error page: %s\n", err.msg);
		builtin_error_page(res, status, message);
	}
	res->status = status;
	res->content_type = "text/html; charset=utf-8";
}

void respond_redirect(struct shop_request *rq, const char *path)
{
	struct cgi_response *res = rq->res;
	struct buf location = BUF_INIT;
	/* SCRIPT_NAME comes from the server, but is still checked: a header never carries
	 * a line break. */
	const char *base = rq->http->script_name;
	if (strpbrk(base, "\r\n"))
		base = "";
	buf_printf(&location, "%s%s", base, path);
	res->status = 303;
	res->content_type = "text/html; charset=utf-8";
	cgi_response_header(res, "Location", buf_str(&location));
	buf_reset(&res->body);
	buf_puts(&res->body, "<!doctype html><title>See other</title><p><a href=\"");
	buf_html_escape(&res->body, buf_str(&location), location.len);
	buf_puts(&res->body, "\">Continue</a></p>\n");
	buf_free(&location);
}
