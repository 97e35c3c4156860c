/* Unit tests of the request side of shop.cgi: percent-decoding, query and form parsing,
 * the Cookie header, reading a request (limits, lengths) and writing a response; ends
 * with random input thrown at the parsers. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/rng.h"
#include "web/cgi.h"

static int decodes_to(const char *in, int plus, const char *want, size_t want_len)
{
	struct buf out = BUF_INIT;
	int rc = cgi_percent_decode(in, strlen(in), plus, &out);
	int same = rc == 0 && out.len == want_len && memcmp(buf_str(&out), want, want_len) == 0;
	buf_free(&out);
	return same;
}

static int refuses(const char *in)
{
	struct buf out = BUF_INIT;
	int rc = cgi_percent_decode(in, strlen(in), 1, &out);
	buf_free(&out);
	return rc == ERR_INPUT;
}

static void test_percent_decoding_reads_escapes_in_either_case(void)
{
	CHECK(decodes_to("a%20b", 1, "a b", 3));
	CHECK(decodes_to("%41%4a%4A%7e", 1, "AJJ~", 4));
	CHECK(decodes_to("%C3%A9t%c3%a9", 1, "\xc3\xa9t\xc3\xa9", 5));
	CHECK(decodes_to("", 1, "", 0));
}

static void test_percent_decoding_turns_plus_into_space_only_in_forms(void)
{
	CHECK(decodes_to("a+b", 1, "a b", 3));
	CHECK(decodes_to("a+b", 0, "a+b", 3));
	CHECK(decodes_to("%2B", 1, "+", 1));
}

static void test_percent_decoding_keeps_nul_bytes_with_their_length(void)
{
	CHECK(decodes_to("a%00b", 1, "a\0b", 3));
}

static void test_percent_decoding_refuses_broken_escapes(void)
{
	CHECK(refuses("%"));
	CHECK(refuses("abc%"));
	CHECK(refuses("%4"));
	CHECK(refuses("%zz"));
	CHECK(refuses("%g0"));
	CHECK(refuses("ok%2"));
	CHECK(refuses("%%41"));
}

static void test_form_parsing_reads_pairs_in_order(void)
{
	struct cgi_params p = {0};
	const char *form = "csrf=ab12&product_id=P1&quantity=2&note=a+b%26c%3Dd";
	CHECK_INT(cgi_parse_urlencoded(form, strlen(form), &p, NULL), 0);
	CHECK_INT(p.len, 4);
	CHECK_STR(p.items[0].name, "csrf");
	CHECK_STR(p.items[1].value, "P1");
	CHECK_STR(cgi_params_find(&p, "note")->value, "a b&c=d");
	CHECK(cgi_params_find(&p, "missing") == NULL);
	cgi_params_free(&p);
}

static void test_form_parsing_skips_empty_pairs_and_takes_bare_names(void)
{
	struct cgi_params p = {0};
	const char *form = "&&a=1&&flag&=x&b=&";
	CHECK_INT(cgi_parse_urlencoded(form, strlen(form), &p, NULL), 0);
	CHECK_INT(p.len, 4);
	CHECK_STR(cgi_params_find(&p, "flag")->value, "");
	CHECK_STR(cgi_params_find(&p, "")->value, "x");
	CHECK_STR(cgi_params_find(&p, "b")->value, "");
	cgi_params_free(&p);
}

static void test_form_parsing_counts_repeated_names(void)
{
	struct cgi_params p = {0};
	const char *form = "id=1&id=2&other=3";
	CHECK_INT(cgi_parse_urlencoded(form, strlen(form), &p, NULL), 0);
	CHECK_INT(cgi_params_count(&p, "id"), 2);
	CHECK_STR(cgi_params_find(&p, "id")->value, "1");
	cgi_params_free(&p);
}

static void test_form_parsing_refuses_too_many_fields(void)
{
	struct buf form = BUF_INIT;
	struct cgi_params p = {0};
	struct error err;
	for (int i = 0; i < CGI_MAX_PARAMS; i++)
		buf_printf(&form, "f%d=1&", i);
	CHECK_INT(cgi_parse_urlencoded(buf_str(&form), form.len, &p, &err), 0);
	cgi_params_free(&p);
	buf_puts(&form, "one=more");
	CHECK_INT(cgi_parse_urlencoded(buf_str(&form), form.len, &p, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "more than") != NULL);
	cgi_params_free(&p);
	buf_free(&form);
}

static void test_form_parsing_refuses_a_broken_escape_anywhere(void)
{
	struct cgi_params p = {0};
	struct error err;
	CHECK_INT(cgi_parse_urlencoded("a=1&b=%z1", 9, &p, &err), ERR_INPUT);
	cgi_params_free(&p);
	CHECK_INT(cgi_parse_urlencoded("a%=1", 4, &p, &err), ERR_INPUT);
	cgi_params_free(&p);
}

static void test_form_parsing_stops_at_the_given_length(void)
{
	struct cgi_params p = {0};
	CHECK_INT(cgi_parse_urlencoded("a=1&b=2", 3, &p, NULL), 0);
	CHECK_INT(p.len, 1);
	CHECK_STR(p.items[0].value, "1");
	cgi_params_free(&p);
}

static int cookie_is(const char *header, const char *name, const char *want)
{
	const char *v;
	size_t len;
	if (!cgi_cookie_find(header, name, &v, &len))
		return want == NULL;
	return want && len == strlen(want) && memcmp(v, want, len) == 0;
}

static void test_cookie_header_finds_the_session_among_others(void)
{
	CHECK(cookie_is("sid=abc", "sid", "abc"));
	CHECK(cookie_is("theme=dark; sid=abc; lang=en", "sid", "abc"));
	CHECK(cookie_is("  sid = abc ;", "sid", "abc"));
	CHECK(cookie_is("xsid=1; sidx=2; sid=3", "sid", "3"));
	CHECK(cookie_is("sid=\"abc\"", "sid", "abc"));
	CHECK(cookie_is("sid=1; sid=2", "sid", "1"));
}

static void test_cookie_header_tolerates_malformed_parts(void)
{
	CHECK(cookie_is("", "sid", NULL));
	CHECK(cookie_is(";;;", "sid", NULL));
	CHECK(cookie_is("=;=x;sid", "sid", NULL));
	CHECK(cookie_is("garbage; ;; =; sid=", "sid", ""));
	CHECK(cookie_is("sid=\"", "sid", "\""));
	CHECK(cookie_is("a=b=c; sid=d=e", "sid", "d=e"));
}

static void test_json_is_chosen_by_the_accept_header(void)
{
	CHECK(cgi_accepts_json("application/json"));
	CHECK(cgi_accepts_json("text/html;q=0.9, application/json"));
	CHECK(!cgi_accepts_json("text/html,application/xhtml+xml,*/*;q=0.8"));
	CHECK(!cgi_accepts_json(""));
	CHECK(!cgi_accepts_json(NULL));
}

/* A fake CGI environment: name=value lines, and a body given out in small pieces. */
struct fake_env {
	const char *vars[16]; /* "NAME=value" */
	const char *body;     /* the body */
	size_t body_len;      /* its bytes */
	size_t offset;        /* bytes given out so far */
	size_t chunk;         /* most bytes per read */
};

static const char *fake_getenv(void *ctx, const char *name)
{
	struct fake_env *e = ctx;
	size_t n = strlen(name);
	for (int i = 0; i < 16 && e->vars[i]; i++)
		if (strncmp(e->vars[i], name, n) == 0 && e->vars[i][n] == '=')
			return e->vars[i] + n + 1;
	return NULL;
}

static long fake_read(void *ctx, char *into, size_t n)
{
	struct fake_env *e = ctx;
	size_t left = e->body_len - e->offset;
	size_t take = left < n ? left : n;
	if (take > e->chunk)
		take = e->chunk;
	memcpy(into, e->body + e->offset, take);
	e->offset += take;
	return (long)take;
}

static void test_request_reads_cgi_variables_and_the_body(void)
{
	struct fake_env e = {{"REQUEST_METHOD=POST", "PATH_INFO=/cart/add", "SCRIPT_NAME=/shop.cgi",
			      "CONTENT_LENGTH=9", "HTTPS=on", "HTTP_COOKIE=sid=1"},
			     "a=1&b=two", 9, 0, 4};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_OK);
	CHECK_INT(req.method, CGI_POST);
	CHECK_STR(req.path, "/cart/add");
	CHECK_STR(req.script_name, "/shop.cgi");
	CHECK_STR(req.query, "");
	CHECK_STR(buf_str(&req.body), "a=1&b=two");
	CHECK(req.https);
	cgi_request_free(&req);
}

static void test_request_refuses_a_body_announced_over_64_kb_without_reading_it(void)
{
	struct fake_env e = {{"REQUEST_METHOD=POST", "CONTENT_LENGTH=65537"}, "x", 1, 0, 1};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_TOO_LARGE);
	CHECK_INT(e.offset, 0);
	cgi_request_free(&req);
}

static void test_request_refuses_a_body_over_64_kb_that_did_not_say_so(void)
{
	size_t n = CGI_MAX_BODY + 10;
	char *big = malloc(n);
	memset(big, 'a', n);
	struct fake_env e = {{"REQUEST_METHOD=POST"}, big, n, 0, 100000};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_TOO_LARGE);
	CHECK(req.body.len <= CGI_MAX_BODY + 8192);
	cgi_request_free(&req);
	free(big);
}

static void test_request_takes_a_body_of_exactly_64_kb(void)
{
	size_t n = CGI_MAX_BODY;
	char *big = malloc(n);
	memset(big, 'a', n);
	struct fake_env e = {{"REQUEST_METHOD=POST", "CONTENT_LENGTH=65536"}, big, n, 0, 5000};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_OK);
	CHECK_INT(req.body.len, CGI_MAX_BODY);
	cgi_request_free(&req);
	free(big);
}

static void test_request_refuses_a_body_shorter_than_announced(void)
{
	struct fake_env e = {{"REQUEST_METHOD=POST", "CONTENT_LENGTH=100"}, "a=1", 3, 0, 10};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_BAD);
	cgi_request_free(&req);
}

static void test_request_reads_only_the_announced_length(void)
{
	struct fake_env e = {{"REQUEST_METHOD=POST", "CONTENT_LENGTH=3"}, "a=1&more", 8, 0, 3};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_OK);
	CHECK_STR(buf_str(&req.body), "a=1");
	cgi_request_free(&req);
}

static void test_request_ignores_a_nonsense_content_length(void)
{
	struct fake_env e = {{"REQUEST_METHOD=POST", "CONTENT_LENGTH=-5"}, "a=1", 3, 0, 10};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_OK);
	CHECK_INT(req.content_length, -1);
	CHECK_STR(buf_str(&req.body), "a=1");
	cgi_request_free(&req);
}

static void test_request_never_reads_a_body_on_get(void)
{
	struct fake_env e = {{"REQUEST_METHOD=GET", "CONTENT_LENGTH=3", "QUERY_STRING=n=5"}, "a=1", 3, 0, 10};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_OK);
	CHECK_INT(req.body.len, 0);
	CHECK_STR(req.query, "n=5");
	cgi_request_free(&req);
}

static void test_request_refuses_an_overlong_cookie(void)
{
	char *cookie = malloc(CGI_MAX_HEADER + 32);
	strcpy(cookie, "HTTP_COOKIE=");
	memset(cookie + 12, 'x', CGI_MAX_HEADER + 1);
	cookie[12 + CGI_MAX_HEADER + 1] = '\0';
	struct fake_env e = {{"REQUEST_METHOD=GET", cookie}, "", 0, 0, 1};
	struct cgi_request req;
	CHECK_INT(cgi_request_read(&req, fake_getenv, fake_read, &e), CGI_READ_BAD);
	cgi_request_free(&req);
	free(cookie);
}

static void test_request_names_unexpected_methods_other(void)
{
	struct fake_env e = {{"REQUEST_METHOD=DELETE"}, "", 0, 0, 1};
	struct cgi_request req;
	cgi_request_read(&req, fake_getenv, fake_read, &e);
	CHECK_INT(req.method, CGI_OTHER);
	cgi_request_free(&req);
	struct fake_env none = {{NULL}, "", 0, 0, 1};
	cgi_request_read(&req, fake_getenv, fake_read, &none);
	CHECK_INT(req.method, CGI_OTHER);
	cgi_request_free(&req);
}

static void test_response_carries_status_security_headers_and_length(void)
{
	struct cgi_response res;
	struct buf out = BUF_INIT;
	cgi_response_init(&res);
	res.status = 404;
	res.content_type = "application/json";
	cgi_response_header(&res, "Vary", "Accept");
	buf_puts(&res.body, "{}\n");
	cgi_response_serialize(&res, &out);
	const char *s = buf_str(&out);
	CHECK(strncmp(s, "Status: 404 Not Found\r\n", 23) == 0);
	CHECK(strstr(s, "Content-Type: application/json\r\n") != NULL);
	CHECK(strstr(s, "Cache-Control: no-store\r\n") != NULL);
	CHECK(strstr(s, "Content-Security-Policy: default-src 'none'") != NULL);
	CHECK(strstr(s, "X-Content-Type-Options: nosniff\r\n") != NULL);
	CHECK(strstr(s, "Referrer-Policy: same-origin\r\n") != NULL);
	CHECK(strstr(s, "Vary: Accept\r\n") != NULL);
	CHECK(strstr(s, "Content-Length: 3\r\n\r\n{}\n") != NULL);
	cgi_response_free(&res);
	buf_free(&out);
}

static void test_head_response_has_no_body(void)
{
	struct cgi_response res;
	struct buf out = BUF_INIT;
	cgi_response_init(&res);
	res.head_only = 1;
	buf_puts(&res.body, "<p>page</p>");
	cgi_response_serialize(&res, &out);
	CHECK(strstr(buf_str(&out), "page") == NULL);
	CHECK(out.len >= 4 && memcmp(buf_str(&out) + out.len - 4, "\r\n\r\n", 4) == 0);
	cgi_response_free(&res);
	buf_free(&out);
}

/* Random bytes (biased towards the characters parsers care about) must never crash a
 * parser, and what it returns must stay within what it was given. */
static void test_parsers_survive_random_input(void)
{
	static const char alphabet[] = "%=&;+ \"a0fF\r\n\x00\xff";
	struct rng r;
	rng_seed(&r, 20240611);
	char input[300];
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)rng_below(&r, sizeof input);
		for (size_t i = 0; i < len; i++)
			input[i] = rng_below(&r, 4) == 0 ? (char)rng_below(&r, 256)
						       : alphabet[rng_below(&r, sizeof alphabet - 1)];
		struct cgi_params p = {0};
		if (cgi_parse_urlencoded(input, len, &p, NULL) == 0) {
			CHECK(p.len <= CGI_MAX_PARAMS);
			for (size_t i = 0; i < p.len; i++)
				CHECK(p.items[i].name_len + p.items[i].value_len <= len);
		}
		cgi_params_free(&p);
		char header[301];
		memcpy(header, input, len);
		header[len] = '\0';
		const char *v;
		size_t vlen;
		if (cgi_cookie_find(header, "sid", &v, &vlen))
			CHECK(v >= header && v + vlen <= header + strlen(header));
	}
}

int main(void)
{
	RUN(test_percent_decoding_reads_escapes_in_either_case);
	RUN(test_percent_decoding_turns_plus_into_space_only_in_forms);
	RUN(test_percent_decoding_keeps_nul_bytes_with_their_length);
	RUN(test_percent_decoding_refuses_broken_escapes);
	RUN(test_form_parsing_reads_pairs_in_order);
	RUN(test_form_parsing_skips_empty_pairs_and_takes_bare_names);
	RUN(test_form_parsing_counts_repeated_names);
	RUN(test_form_parsing_refuses_too_many_fields);
	RUN(test_form_parsing_refuses_a_broken_escape_anywhere);
	RUN(test_form_parsing_stops_at_the_given_length);
	RUN(test_cookie_header_finds_the_session_among_others);
	RUN(test_cookie_header_tolerates_malformed_parts);
	RUN(test_json_is_chosen_by_the_accept_header);
	RUN(test_request_reads_cgi_variables_and_the_body);
	RUN(test_request_refuses_a_body_announced_over_64_kb_without_reading_it);
	RUN(test_request_refuses_a_body_over_64_kb_that_did_not_say_so);
	RUN(test_request_takes_a_body_of_exactly_64_kb);
	RUN(test_request_refuses_a_body_shorter_than_announced);
	RUN(test_request_reads_only_the_announced_length);
	RUN(test_request_ignores_a_nonsense_content_length);
	RUN(test_request_never_reads_a_body_on_get);
	RUN(test_request_refuses_an_overlong_cookie);
	RUN(test_request_names_unexpected_methods_other);
	RUN(test_response_carries_status_security_headers_and_length);
	RUN(test_head_response_has_no_body);
	RUN(test_parsers_survive_random_input);
	return check_summary();
}
