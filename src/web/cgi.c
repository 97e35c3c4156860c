/* cgi: reading a request through callbacks, the percent/query/form/cookie parsers, and
 * building a response in one buffer. */
#include "web/cgi.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Every answer carries these: scripts and styles only from our own files (no inline
 * code), no framing, no MIME sniffing, and no full URLs leaking to other sites. */
static const char security_headers[] =
	"Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
	"base-uri 'none'\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"X-Frame-Options: DENY\r\n"
	"Referrer-Policy: same-origin\r\n";

static char *env_copy(cgi_env_fn env, void *ctx, const char *name)
{
	const char *v = env(ctx, name);
	return xstrdup(v ? v : "");
}

static enum cgi_method method_of(const char *name)
{
	if (strcmp(name, "GET") == 0)
		return CGI_GET;
	if (strcmp(name, "HEAD") == 0)
		return CGI_HEAD;
	if (strcmp(name, "POST") == 0)
		return CGI_POST;
	return CGI_OTHER;
}

/* CONTENT_LENGTH as a number; -1 when absent or not a plain decimal number. */
static long long content_length_of(const char *text)
{
	if (!text || !*text)
		return -1;
	long long n = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || n > (1LL << 40))
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n;
}

/* Reads the body: at most CGI_MAX_BODY + 1 bytes, so an oversized one is noticed
 * without being held. */
static int read_body(struct cgi_request *req, cgi_read_fn read_fn, void *ctx)
{
	char chunk[8192];
	if (req->content_length > CGI_MAX_BODY)
		return CGI_READ_TOO_LARGE;
	for (;;) {
		long n = read_fn(ctx, chunk, sizeof chunk);
		if (n < 0)
			return CGI_READ_BAD;
		if (n == 0)
			break;
		buf_append(&req->body, chunk, (size_t)n);
		if (req->body.len > CGI_MAX_BODY)
			return CGI_READ_TOO_LARGE;
		if (req->content_length >= 0 && (long long)req->body.len >= req->content_length)
			break;
	}
	if (req->content_length >= 0 && (long long)req->body.len != req->content_length)
		return CGI_READ_BAD; /* cut short, or more than announced */
	return CGI_READ_OK;
}

int cgi_request_read(struct cgi_request *req, cgi_env_fn env, cgi_read_fn read_fn, void *ctx)
{
	memset(req, 0, sizeof *req);
	req->method_name = env_copy(env, ctx, "REQUEST_METHOD");
	req->method = method_of(req->method_name);
	req->path = env_copy(env, ctx, "PATH_INFO");
	req->query = env_copy(env, ctx, "QUERY_STRING");
	req->script_name = env_copy(env, ctx, "SCRIPT_NAME");
	req->cookie = env_copy(env, ctx, "HTTP_COOKIE");
	req->accept = env_copy(env, ctx, "HTTP_ACCEPT");
	req->content_type = env_copy(env, ctx, "CONTENT_TYPE");
	const char *https = env(ctx, "HTTPS");
	req->https = https && strcmp(https, "on") == 0;
	req->content_length = content_length_of(env(ctx, "CONTENT_LENGTH"));
	if (strlen(req->path) > CGI_MAX_HEADER || strlen(req->query) > CGI_MAX_HEADER ||
	    strlen(req->cookie) > CGI_MAX_HEADER || strlen(req->script_name) > CGI_MAX_HEADER)
		return CGI_READ_BAD;
	if (req->method != CGI_POST)
		return CGI_READ_OK; /* a body on GET is ignored, never read */
	return read_body(req, read_fn, ctx);
}

void cgi_request_free(struct cgi_request *req)
{
	free(req->method_name);
	free(req->path);
	free(req->query);
	free(req->script_name);
	free(req->cookie);
	free(req->accept);
	free(req->content_type);
	buf_free(&req->body);
	memset(req, 0, sizeof *req);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cgi_percent_decode(const char *s, size_t len, int plus_is_space, struct buf *out)
{
	buf_grow(out, len);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 1 < len ? hex_digit(s[i + 1]) : -1;
			int lo = i + 2 < len ? hex_digit(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return ERR_INPUT;
			buf_putc(out, (char)(hi * 16 + lo));
			i += 2;
		} else if (c == '+' && plus_is_space) {
			buf_putc(out, ' ');
		} else {
			buf_putc(out, c);
		}
	}
	buf_append(out, "", 0); /* NUL-terminated even when empty */
	return 0;
}

static void params_push(struct cgi_params *p, struct buf *name, struct buf *value)
{
	if (p->len == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->items = xreallocarray(p->items, p->cap, sizeof *p->items);
	}
	struct cgi_param *item = &p->items[p->len++];
	item->name_len = name->len;
	item->name = buf_detach(name);
	item->value_len = value->len;
	item->value = buf_detach(value);
}

int cgi_parse_urlencoded(const char *s, size_t len, struct cgi_params *out, struct error *err)
{
	struct buf name = BUF_INIT, value = BUF_INIT;
	size_t pairs = 0;
	int rc = 0;
	size_t start = 0;
	while (start < len) {
		const char *amp = memchr(s + start, '&', len - start);
		size_t end = amp ? (size_t)(amp - s) : len;
		if (end > start) {
			if (++pairs > CGI_MAX_PARAMS) {
				rc = error_set(err, ERR_INPUT, "more than %d fields", CGI_MAX_PARAMS);
				goto done;
			}
			const char *eq = memchr(s + start, '=', end - start);
			size_t name_end = eq ? (size_t)(eq - s) : end;
			buf_reset(&name);
			buf_reset(&value);
			if (cgi_percent_decode(s + start, name_end - start, 1, &name) < 0 ||
			    (eq && cgi_percent_decode(eq + 1, end - name_end - 1, 1, &value) < 0)) {
				rc = error_set(err, ERR_INPUT, "a '%%' is not followed by two hex digits");
				goto done;
			}
			if (!eq)
				buf_append(&value, "", 0);
			params_push(out, &name, &value);
		}
		start = end + 1;
	}
done:
	buf_free(&name);
	buf_free(&value);
	return rc;
}

const struct cgi_param *cgi_params_find(const struct cgi_params *p, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < p->len; i++)
		if (p->items[i].name_len == n && memcmp(p->items[i].name, name, n) == 0)
			return &p->items[i];
	return NULL;
}

size_t cgi_params_count(const struct cgi_params *p, const char *name)
{
	size_t n = strlen(name), count = 0;
	for (size_t i = 0; i < p->len; i++)
		if (p->items[i].name_len == n && memcmp(p->items[i].name, name, n) == 0)
			count++;
	return count;
}

void cgi_params_free(struct cgi_params *p)
{
	for (size_t i = 0; i < p->len; i++) {
		free(p->items[i].name);
		free(p->items[i].value);
	}
	free(p->items);
	memset(p, 0, sizeof *p);
}

static int is_cookie_space(char c)
{
	return c == ' ' || c == '\t';
}

int cgi_cookie_find(const char *header, const char *name, const char **value, size_t *len)
{
	size_t name_len = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (is_cookie_space(*p) || *p == ';')
			p++;
		const char *part = p;
		const char *semi = strchr(part, ';');
		const char *end = semi ? semi : part + strlen(part);
		const char *eq = memchr(part, '=', (size_t)(end - part));
		if (eq) {
			const char *key_end = eq;
			while (key_end > part && is_cookie_space(key_end[-1]))
				key_end--;
			if ((size_t)(key_end - part) == name_len && memcmp(part, name, name_len) == 0) {
				const char *v = eq + 1, *v_end = end;
				while (v < v_end && is_cookie_space(*v))
					v++;
				while (v_end > v && is_cookie_space(v_end[-1]))
					v_end--;
				if (v_end - v >= 2 && *v == '"' && v_end[-1] == '"') {
					v++;
					v_end--;
				}
				*value = v;
				*len = (size_t)(v_end - v);
				return 1;
			}
		}
		p = semi ? semi + 1 : NULL;
	}
	return 0;
}

int cgi_accepts_json(const char *accept)
{
	return accept && strstr(accept, "application/json") != NULL;
}

void cgi_response_init(struct cgi_response *res)
{
	memset(res, 0, sizeof *res);
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	res->cache_control = "no-store";
}

void cgi_response_free(struct cgi_response *res)
{
	buf_free(&res->headers);
	buf_free(&res->body);
}

void cgi_response_header(struct cgi_response *res, const char *name, const char *value)
{
	assert(!strpbrk(name, "\r\n:") && !strpbrk(value, "\r\n"));
	buf_printf(&res->headers, "%s: %s\r\n", name, value);
}

const char *cgi_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void cgi_response_serialize(const struct cgi_response *res, struct buf *out)
{
	assert(res->status >= 100 && res->status <= 599);
	buf_printf(out, "Status: %d %s\r\n", res->status, cgi_status_text(res->status));
	buf_printf(out, "Content-Type: %s\r\n", res->content_type);
	buf_printf(out, "Cache-Control: %s\r\n", res->cache_control);
	buf_puts(out, security_headers);
	buf_append(out, buf_str(&res->headers), res->headers.len);
	if (!res->head_only)
		buf_printf(out, "Content-Length: %lu\r\n", (unsigned long)res->body.len);
	buf_puts(out, "\r\n");
	if (!res->head_only)
		buf_append(out, buf_str(&res->body), res->body.len);
}
