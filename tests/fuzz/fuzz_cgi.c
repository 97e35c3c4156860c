/* Fuzz target: a whole CGI request from arbitrary bytes. The first bytes pick the
 * method; lines give PATH_INFO, QUERY_STRING, HTTP_COOKIE and CONTENT_TYPE; the rest is
 * the body. The request reader, the form and query parsers, and the cookie lookup must
 * take anything without crashing or reading past what they were given. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "web/cgi.h"

struct fake_request {
	const char *vars[6];  /* method, path, query, cookie, content type, length */
	const char *body;
	size_t body_len, body_pos;
};

static const char *fake_env(void *ctx, const char *name)
{
	const struct fake_request *r = ctx;
	static const char *const names[] = {"REQUEST_METHOD", "PATH_INFO", "QUERY_STRING",
					    "HTTP_COOKIE", "CONTENT_TYPE", "CONTENT_LENGTH"};
	for (int i = 0; i < 6; i++)
		if (strcmp(name, names[i]) == 0)
			return r->vars[i];
	return NULL;
}

static long fake_read(void *ctx, char *into, size_t n)
{
	struct fake_request *r = ctx;
	size_t left = r->body_len - r->body_pos;
	if (n > left)
		n = left;
	memcpy(into, r->body + r->body_pos, n);
	r->body_pos += n;
	return (long)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "HEAD", "DELETE", ""};
	if (size < 1)
		return 0;
	struct buf text = BUF_INIT;
	buf_append(&text, data + 1, size - 1);
	/* split into NUL-terminated lines: path, query, cookie, type, then the body */
	struct fake_request r = {{methods[data[0] % 6]}, NULL, 0, 0};
	char *p = text.data ? text.data : (char *)"";
	char *end = p + text.len;
	for (int i = 1; i < 5; i++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		r.vars[i] = p;
		if (!nl) {
			p = end;
			break;
		}
		*nl = '\0';
		p = nl + 1;
	}
	char length[24];
	r.body = p;
	r.body_len = (size_t)(end - p);
	snprintf(length, sizeof length, "%zu", r.body_len);
	r.vars[5] = length;
	for (int i = 0; i < 5; i++)
		if (!r.vars[i])
			r.vars[i] = "";

	struct cgi_request req;
	cgi_request_read(&req, fake_env, fake_read, &r);
	struct cgi_params params = {0};
	struct error err;
	cgi_parse_urlencoded(req.query, strlen(req.query), &params, &err);
	cgi_parse_urlencoded(buf_str(&req.body), req.body.len, &params, &err);
	const char *value;
	size_t len;
	cgi_cookie_find(req.cookie, "sid", &value, &len);
	cgi_accepts_json(req.accept);
	cgi_params_free(&params);
	cgi_request_free(&req);
	buf_free(&text);
	return 0;
}
