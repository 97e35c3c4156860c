/* cgi: the HTTP request and response of one CGI or FastCGI call, and the parsers of the
 * untrusted parts of a request: percent-encoding, query strings and form bodies
 * (application/x-www-form-urlencoded) and the Cookie header.
 *
 * The one idea: nothing here knows whether it runs under plain CGI or FastCGI. A request
 * is read through two callbacks (one for the CGI variables, one for the body) and a
 * response is built in memory and turned into one buffer, which the caller writes whole.
 * The parsers are small, bounded and allocation-checked, and are fuzzed by the unit
 * tests; they never trust a length the client sent. */
#ifndef CARTOGRAPH_CGI_H
#define CARTOGRAPH_CGI_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

/* A request body bigger than this is refused with 413. */
#define CGI_MAX_BODY (64 * 1024)
/* A query string or form with more name=value pairs than this is refused with 400. */
#define CGI_MAX_PARAMS 64
/* A Cookie header, query string or path longer than this is refused with 400. */
#define CGI_MAX_HEADER 8192

enum cgi_method {
	CGI_GET = 1,   /* GET */
	CGI_HEAD = 2,  /* HEAD: answered like GET, without the body */
	CGI_POST = 4,  /* POST */
	CGI_OTHER = 8  /* anything else (PUT, DELETE, TRACE, ...) */
};

/* One decoded name=value pair. Both are NUL-terminated copies but may hold NUL bytes
 * (from %00) before their end: use the lengths. */
struct cgi_param {
	char *name;       /* decoded name */
	size_t name_len;  /* bytes in name */
	char *value;      /* decoded value */
	size_t value_len; /* bytes in value */
};

/* Pairs in the order they came. */
struct cgi_params {
	struct cgi_param *items; /* owned pairs */
	size_t len;              /* pairs in use */
	size_t cap;              /* pairs allocated */
};

/* Reads one CGI variable ("PATH_INFO"); returns NULL when it is not set. */
typedef const char *(*cgi_env_fn)(void *ctx, const char *name);
/* Reads up to n bytes of the request body into into; returns the bytes read, 0 at the
 * end, or -1 on an error. */
typedef long (*cgi_read_fn)(void *ctx, char *into, size_t n);

/* What arrived. Strings are owned copies and never NULL ("" when absent). */
struct cgi_request {
	enum cgi_method method;  /* the request method */
	char *method_name;       /* as sent, for messages */
	char *path;              /* PATH_INFO, e.g. "/cart/add" */
	char *query;             /* QUERY_STRING, still encoded */
	char *script_name;       /* SCRIPT_NAME, e.g. "/shop.cgi": where our links point */
	char *cookie;            /* HTTP_COOKIE */
	char *accept;            /* HTTP_ACCEPT */
	char *content_type;      /* CONTENT_TYPE */
	int https;               /* HTTPS is "on": cookies get Secure */
	long long content_length; /* CONTENT_LENGTH, or -1 when absent or unreadable */
	struct buf body;         /* the body (at most CGI_MAX_BODY bytes) */
};

/* Result of cgi_request_read besides 0: which answer the request gets at once. */
enum cgi_read_problem {
	CGI_READ_OK = 0,
	CGI_READ_TOO_LARGE = 413, /* body over CGI_MAX_BODY */
	CGI_READ_BAD = 400        /* an overlong header or a broken body */
};

/* Fills req from the CGI variables and the body. Returns CGI_READ_OK or the status the
 * request must be refused with (req is filled as far as it could be, and must be freed
 * with cgi_request_free either way). Never reads more than CGI_MAX_BODY + 1 bytes. */
int cgi_request_read(struct cgi_request *req, cgi_env_fn env, cgi_read_fn read_body,
		     void *ctx);
void cgi_request_free(struct cgi_request *req);

/* Appends the decoding of len bytes of s to out: %XY becomes the byte 0xXY, and '+'
 * becomes a space when plus_is_space (forms and query strings). Returns 0, or ERR_INPUT
 * when a '%' is not followed by two hex digits (out then holds a partial result). */
int cgi_percent_decode(const char *s, size_t len, int plus_is_space, struct buf *out);

/* Parses "a=1&b=x+y" (a query string or a form body) into out, appending. Empty pairs
 * ("a=1&&b=2") are skipped; a pair without '=' has an empty value. Returns 0, or
 * ERR_INPUT with err saying why: a broken escape, or more than CGI_MAX_PARAMS pairs. */
int cgi_parse_urlencoded(const char *s, size_t len, struct cgi_params *out, struct error *err);
/* The first pair called name, or NULL. */
const struct cgi_param *cgi_params_find(const struct cgi_params *p, const char *name);
/* How many pairs are called name. */
size_t cgi_params_count(const struct cgi_params *p, const char *name);
void cgi_params_free(struct cgi_params *p);

/* Finds the first cookie called name in a Cookie header ("a=1; sid=abc"), tolerating
 * stray spaces, empty and malformed parts, and quoted values. Sets *value and *len to
 * the value inside header and returns 1, or returns 0 when there is none. */
int cgi_cookie_find(const char *header, const char *name, const char **value, size_t *len);

/* Whether the client prefers JSON: its Accept header names application/json. */
int cgi_accepts_json(const char *accept);

/* The response being built. */
struct cgi_response {
	int status;                /* HTTP status, e.g. 200 */
	const char *content_type;  /* e.g. "text/html; charset=utf-8" (static string) */
	const char *cache_control; /* e.g. "no-store" (static string); never left out */
	struct buf headers;        /* extra header lines, each ending in CRLF */
	struct buf body;           /* the body */
	int head_only;             /* a HEAD request: send the headers only */
};

void cgi_response_init(struct cgi_response *res);
void cgi_response_free(struct cgi_response *res);
/* Adds a header line. name and value must not hold CR or LF (asserted: values that
 * come from a client never reach a header). */
void cgi_response_header(struct cgi_response *res, const char *name, const char *value);
/* Writes the whole response (CGI "Status:" line, headers, the security headers every
 * answer carries, a blank line, the body) to out. */
void cgi_response_serialize(const struct cgi_response *res, struct buf *out);
/* "Not Found" for 404 and so on; "Unknown" for a status it does not know. */
const char *cgi_status_text(int status);

#endif
