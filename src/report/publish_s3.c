/* publish_s3: single-object S3 requests on one reused libcurl handle, signed with
 * SigV4, retried with bounded exponential backoff when the failure is transient. */
#include "report/publish_s3.h"

#include <assert.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/rng.h"
#include "util/xalloc.h"

/* The SHA-256 of no bytes: the payload digest of GET and DELETE. */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* The most a GET keeps (a manifest of a very large site is a few MiB). */
#define MAX_BODY ((size_t)256 << 20)
/* The most of an error response kept for its code and message. */
#define MAX_ERROR_BODY ((size_t)64 << 10)

struct s3_client {
	const struct s3_config *cfg; /* borrowed; outlives the client */
	CURL *curl;                  /* one handle, so connections are reused */
	char *sigv4;                 /* "aws:amz:REGION:s3" */
	struct rng jitter;           /* spreads retries of many clients apart */
	long long retries;           /* repeated tries so far */
	char curl_error[CURL_ERROR_SIZE]; /* libcurl's detail of the last failure */
};

/* One request: what to send and what came back. */
struct s3_request {
	const char *method;        /* "PUT", "GET" or "DELETE" */
	const char *key;           /* object key, unencoded */
	const char *body;          /* PUT: the bytes to send */
	size_t body_len;           /* PUT: their count */
	const char *payload_sha256; /* digest of body (or of nothing) */
	const char *content_type;  /* PUT: Content-Type, or NULL */
	const char *cache_control; /* PUT: Cache-Control, or NULL */
	struct buf *response;      /* where the response body goes */
	size_t response_max;       /* refuse bodies longer than this */
	int too_long;              /* the body went over response_max */
	long status;               /* HTTP status, 0 when no response */
	CURLcode curl_code;        /* libcurl's result */
};

void s3_config_defaults(struct s3_config *cfg)
{
	cfg->max_attempts = 5;
	cfg->first_backoff_ms = 200;
	cfg->max_backoff_ms = 5000;
	cfg->connect_timeout_s = 10;
	cfg->stall_timeout_s = 30;
}

int s3_check_bucket_name(const char *bucket, struct error *err)
{
	size_t n = strlen(bucket);
	int ok = n >= 3 && n <= 63;
	for (size_t i = 0; ok && i < n; i++) {
		char c = bucket[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		ok = alnum || ((c == '.' || c == '-') && i > 0 && i + 1 < n);
	}
	if (ok)
		return 0;
	return error_set(err, ERR_INPUT, "'%s' is not a bucket name (3 to 63 characters: "
			 "a-z, 0-9, '.' and '-')", bucket);
}

int s3_client_new(const struct s3_config *cfg, struct s3_client **out, struct error *err)
{
	*out = NULL;
	assert(cfg->max_attempts >= 1);
	if (s3_check_bucket_name(cfg->bucket, err) < 0)
		return ERR_INPUT;
	if (!cfg->access_key_id || !cfg->access_key_id[0] || !cfg->secret_access_key ||
	    !cfg->secret_access_key[0])
		return error_set(err, ERR_INPUT, "no credentials: set AWS_ACCESS_KEY_ID and "
				 "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones)");
	if (!cfg->region || !cfg->region[0] || strchr(cfg->region, ':') || strchr(cfg->region, '/'))
		return error_set(err, ERR_INPUT, "'%s' is not a region", cfg->region ? cfg->region : "");
	if (cfg->endpoint && strncmp(cfg->endpoint, "http://", 7) != 0 &&
	    strncmp(cfg->endpoint, "https://", 8) != 0)
		return error_set(err, ERR_INPUT, "the endpoint '%s' must start with http:// or "
				 "https://", cfg->endpoint);
	struct s3_client *c = xcalloc(1, sizeof *c);
	c->cfg = cfg;
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return error_set(err, ERR_SYSTEM, "libcurl could not make a handle");
	}
	struct buf sigv4 = BUF_INIT;
	buf_printf(&sigv4, "aws:amz:%s:s3", cfg->region);
	c->sigv4 = buf_detach(&sigv4);
	rng_seed(&c->jitter, (uint64_t)getpid() ^ (uint64_t)time(NULL));
	*out = c;
	return 0;
}

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free(c->sigv4);
	free(c);
}

long long s3_retries(const struct s3_client *c)
{
	return c->retries;
}

/* --- URLs -------------------------------------------------------------------------- */

/* Appends key percent-encoded as S3 signs it: unreserved characters and '/' as they
 * are, every other byte as %XX. */
static void append_encoded_key(struct buf *url, const char *key)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			buf_putc(url, (char)c);
		} else {
			buf_putc(url, '%');
			buf_putc(url, hex[c >> 4]);
			buf_putc(url, hex[c & 15]);
		}
	}
}

static void object_url(const struct s3_client *c, const char *key, struct buf *url)
{
	const struct s3_config *cfg = c->cfg;
	if (cfg->endpoint) {
		size_t n = strlen(cfg->endpoint);
		while (n > 0 && cfg->endpoint[n - 1] == '/')
			n--;
		buf_append(url, cfg->endpoint, n);
		buf_printf(url, "/%s/", cfg->bucket);
	} else if (strchr(cfg->bucket, '.')) {
		buf_printf(url, "https://s3.%s.amazonaws.com/%s/", cfg->region, cfg->bucket);
	} else {
		buf_printf(url, "https://%s.s3.%s.amazonaws.com/", cfg->bucket, cfg->region);
	}
	append_encoded_key(url, key);
}

/* --- one try ----------------------------------------------------------------------- */

static size_t keep_response(char *data, size_t size, size_t count, void *ctx)
{
	struct s3_request *r = ctx;
	size_t n = size * count;
	if (r->response->len + n > r->response_max) {
		r->too_long = 1;
		return 0; /* stops the transfer */
	}
	buf_append(r->response, data, n);
	return n;
}

/* Builds the request headers; the caller frees the list. */
static struct curl_slist *request_headers(const struct s3_client *c, const struct s3_request *r)
{
	struct curl_slist *h = NULL;
	struct buf line = BUF_INIT;
	buf_printf(&line, "x-amz-content-sha256: %s", r->payload_sha256);
	h = curl_slist_append(h, line.data);
	if (r->content_type) {
		buf_reset(&line);
		buf_printf(&line, "Content-Type: %s", r->content_type);
		h = curl_slist_append(h, line.data);
	}
	if (r->cache_control) {
		buf_reset(&line);
		buf_printf(&line, "Cache-Control: %s", r->cache_control);
		h = curl_slist_append(h, line.data);
	}
	if (c->cfg->session_token && c->cfg->session_token[0]) {
		buf_reset(&line);
		buf_printf(&line, "x-amz-security-token: %s", c->cfg->session_token);
		h = curl_slist_append(h, line.data);
	}
	/* No "Expect:" or "Accept:" lines to suppress headers: libcurl 7.88 signs such
	 * removed headers as empty ones, which S3 then cannot match. */
	buf_free(&line);
	if (!h) {
		/* curl_slist_append fails only when out of memory. */
		abort();
	}
	return h;
}

/* Sends the request once; fills r->status and r->curl_code. */
static void perform_once(struct s3_client *c, struct s3_request *r)
{
	CURL *curl = c->curl;
	struct buf url = BUF_INIT;
	struct curl_slist *headers = request_headers(c, r);
	object_url(c, r->key, &url);
	buf_reset(r->response);
	r->too_long = 0;
	r->status = 0;
	c->curl_error[0] = '\0';

	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url.data);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "cartograph");
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, c->curl_error);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, c->cfg->connect_timeout_s);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, c->cfg->stall_timeout_s);
	curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, c->sigv4);
	curl_easy_setopt(curl, CURLOPT_USERNAME, c->cfg->access_key_id);
	curl_easy_setopt(curl, CURLOPT_PASSWORD, c->cfg->secret_access_key);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_response);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
	if (strcmp(r->method, "PUT") == 0) {
		/* The body goes as "post fields" of a PUT rather than as an upload: libcurl
		 * then sends it at once instead of asking "Expect: 100-continue" first, which
		 * costs a round trip per file (the header cannot be turned off, as a removed
		 * header would be signed). Large bodies still get the question. */
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, r->body_len ? r->body : "");
	} else if (strcmp(r->method, "DELETE") == 0) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
	}
	r->curl_code = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	buf_free(&url);
}

/* --- errors and retries ------------------------------------------------------------ */

/* Copies the text of <tag>...</tag> from an S3 error document into out (size bytes),
 * or "" when it is not there. */
static void xml_field(const struct buf *doc, const char *tag, char *out, size_t size)
{
	char open[32], close[32];
	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	out[0] = '\0';
	const char *start = doc->data ? strstr(doc->data, open) : NULL;
	const char *end = start ? strstr(start, close) : NULL;
	if (!end)
		return;
	start += strlen(open);
	size_t n = (size_t)(end - start);
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)start[i] < 0x20 ? ' ' : start[i];
	out[n] = '\0';
}

static int transient_curl_failure(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int transient_http_failure(long status, const char *code)
{
	return status == 500 || status == 502 || status == 503 || status == 504 ||
	       status == 429 || strcmp(code, "RequestTimeout") == 0 ||
	       strcmp(code, "InternalError") == 0 || strcmp(code, "SlowDown") == 0;
}

/* Waits before try number attempt + 1: first_backoff_ms doubled per try, capped,
 * then a random point in its upper half. */
static void back_off(struct s3_client *c, int attempt)
{
	long ms = c->cfg->first_backoff_ms;
	for (int i = 1; i < attempt && ms < c->cfg->max_backoff_ms; i++)
		ms *= 2;
	if (ms > c->cfg->max_backoff_ms)
		ms = c->cfg->max_backoff_ms;
	if (ms <= 0)
		return;
	ms = ms / 2 + (long)rng_below(&c->jitter, (uint64_t)(ms - ms / 2) + 1);
	struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
		continue;
}

/* Describes a failed request in err. */
static int request_error(const struct s3_client *c, const struct s3_request *r, int attempts,
			 struct error *err)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "%s s3://%s/%s: ", r->method, c->cfg->bucket, r->key);
	if (r->too_long) {
		buf_puts(&msg, "the response is too large");
	} else if (r->curl_code != CURLE_OK) {
		buf_puts(&msg, c->curl_error[0] ? c->curl_error : curl_easy_strerror(r->curl_code));
	} else {
		char code[128], message[256];
		xml_field(r->response, "Code", code, sizeof code);
		xml_field(r->response, "Message", message, sizeof message);
		buf_printf(&msg, "HTTP %ld", r->status);
		if (code[0])
			buf_printf(&msg, " %s", code);
		if (message[0])
			buf_printf(&msg, ": %s", message);
	}
	if (attempts > 1)
		buf_printf(&msg, " (gave up after %d attempts)", attempts);
	int rc = error_set(err, r->curl_code == CURLE_OK && r->status ? ERR_INPUT : ERR_SYSTEM,
			   "%s", msg.data);
	buf_free(&msg);
	return rc;
}

/* Sends the request, retrying transient failures. Returns 0 on a 2xx answer (and on
 * an answer with status accept_status, when not 0), else fills err. */
static int perform(struct s3_client *c, struct s3_request *r, long accept_status,
		   struct error *err)
{
	for (int attempt = 1;; attempt++) {
		perform_once(c, r);
		int answered = r->curl_code == CURLE_OK && !r->too_long;
		if (answered && ((r->status >= 200 && r->status < 300) || r->status == accept_status))
			return 0;
		char code[128] = "";
		if (answered)
			xml_field(r->response, "Code", code, sizeof code);
		int transient = answered ? transient_http_failure(r->status, code)
					 : transient_curl_failure(r->curl_code) && !r->too_long;
		if (!transient || attempt >= c->cfg->max_attempts)
			return request_error(c, r, attempt, err);
		c->retries++;
		back_off(c, attempt);
	}
}

/* --- the three requests ------------------------------------------------------------ */

int s3_put(struct s3_client *c, const char *key, const void *bytes, size_t len,
	   const char *sha256_hex, const char *content_type, const char *cache_control,
	   struct error *err)
{
	struct buf response = BUF_INIT;
	struct s3_request r = {
		.method = "PUT", .key = key, .body = bytes, .body_len = len,
		.payload_sha256 = sha256_hex, .content_type = content_type,
		.cache_control = cache_control, .response = &response,
		.response_max = MAX_ERROR_BODY,
	};
	int rc = perform(c, &r, 0, err);
	buf_free(&response);
	return rc;
}

int s3_get(struct s3_client *c, const char *key, struct buf *body, int *found,
	   struct error *err)
{
	struct buf response = BUF_INIT;
	struct s3_request r = {
		.method = "GET", .key = key, .payload_sha256 = EMPTY_SHA256,
		.response = &response, .response_max = MAX_BODY,
	};
	*found = 0;
	int rc = perform(c, &r, 404, err);
	if (rc == 0 && r.status == 404) {
		char code[128];
		xml_field(&response, "Code", code, sizeof code);
		if (strcmp(code, "NoSuchKey") != 0)
			rc = request_error(c, &r, 1, err);
	} else if (rc == 0) {
		*found = 1;
		buf_append(body, response.data ? response.data : "", response.len);
	}
	buf_free(&response);
	return rc;
}

int s3_delete(struct s3_client *c, const char *key, struct error *err)
{
	struct buf response = BUF_INIT;
	struct s3_request r = {
		.method = "DELETE", .key = key, .payload_sha256 = EMPTY_SHA256,
		.response = &response, .response_max = MAX_ERROR_BODY,
	};
	int rc = perform(c, &r, 0, err);
	buf_free(&response);
	return rc;
}
