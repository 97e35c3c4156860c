/* test_site_publish: `cartograph publish` without a real bucket: the s3:// address,
 * the plan (what is sent, in which order, what is deleted), and the S3 client and the
 * whole publish against a scripted HTTP server on 127.0.0.1 that records each request
 * and answers as told: success, S3 errors, or a dropped connection. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "report/manifest.h"
#include "report/publish.h"
#include "report/publish_s3.h"
#include "report/site.h"
#include "report/site_fs.h"
#include "util/buf.h"
#include "util/sha256.h"

/* --- a scripted S3 server ---------------------------------------------------------- */

struct fake_reply {
	int status;       /* HTTP status; 0 drops the connection without an answer */
	const char *body; /* response body, or NULL */
};

struct fake_s3 {
	int listen_fd;                   /* bound to 127.0.0.1, any port */
	int port;                        /* that port */
	pthread_t thread;                /* serves until stop */
	const struct fake_reply *script; /* replies in order; after them, 200 with no body */
	size_t script_len;               /* replies in script */
	size_t requests;                 /* requests answered so far */
	struct buf log;                  /* "METHOD PATH\n" per request */
	struct buf last;                 /* the last request, head and body */
	pthread_mutex_t lock;            /* guards requests, log and last */
	volatile int stop;               /* set to end the thread */
};

/* Reads one request from fd into req (head and Content-Length bytes of body),
 * answering "100 Continue" when asked. Returns 0, or -1 when the client went away. */
static int read_request(int fd, struct buf *req)
{
	char chunk[8192];
	size_t head_end = 0, body_len = 0;
	int continued = 0;
	for (;;) {
		char *end = req->data ? strstr(req->data, "\r\n\r\n") : NULL;
		if (end && !head_end) {
			head_end = (size_t)(end - req->data) + 4;
			for (char *line = req->data; line < end; line = strstr(line, "\r\n") + 2) {
				if (strncasecmp(line, "Content-Length:", 15) == 0)
					body_len = strtoul(line + 15, NULL, 10);
				if (strncasecmp(line, "Expect: 100-continue", 20) == 0 && !continued) {
					continued = 1;
					if (write(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
						return -1;
				}
			}
		}
		if (head_end && req->len >= head_end + body_len)
			return 0;
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n <= 0)
			return -1;
		buf_append(req, chunk, (size_t)n);
	}
}

static void serve_one(struct fake_s3 *s, int fd)
{
	struct buf req = BUF_INIT, resp = BUF_INIT;
	if (read_request(fd, &req) < 0)
		goto done;
	pthread_mutex_lock(&s->lock);
	struct fake_reply reply = {200, NULL};
	if (s->requests < s->script_len)
		reply = s->script[s->requests];
	s->requests++;
	char *space = strchr(req.data, ' '), *space2 = space ? strchr(space + 1, ' ') : NULL;
	if (space2) {
		buf_append(&s->log, req.data, (size_t)(space2 - req.data));
		buf_putc(&s->log, '\n');
	}
	buf_reset(&s->last);
	buf_append(&s->last, req.data, req.len);
	pthread_mutex_unlock(&s->lock);
	if (reply.status == 0)
		goto done;
	const char *body = reply.body ? reply.body : "";
	buf_printf(&resp, "HTTP/1.1 %d Scripted\r\nContent-Length: %zu\r\nConnection: close\r\n"
			  "Content-Type: application/xml\r\n\r\n%s", reply.status, strlen(body), body);
	if (write(fd, resp.data, resp.len) < 0)
		perror("fake s3 write");
done:
	close(fd);
	buf_free(&req);
	buf_free(&resp);
}

static void *serve(void *arg)
{
	struct fake_s3 *s = arg;
	while (!s->stop) {
		struct pollfd p = {s->listen_fd, POLLIN, 0};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int fd = accept(s->listen_fd, NULL, NULL);
		if (fd >= 0)
			serve_one(s, fd);
	}
	return NULL;
}

static void fake_start(struct fake_s3 *s, const struct fake_reply *script, size_t len)
{
	memset(s, 0, sizeof *s);
	s->script = script;
	s->script_len = len;
	pthread_mutex_init(&s->lock, NULL);
	struct sockaddr_in addr = {0};
	socklen_t addr_len = sizeof addr;
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
	    listen(s->listen_fd, 16) < 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&addr, &addr_len) < 0) {
		perror("fake s3");
		exit(1);
	}
	s->port = ntohs(addr.sin_port);
	pthread_create(&s->thread, NULL, serve, s);
}

static void fake_stop(struct fake_s3 *s)
{
	s->stop = 1;
	pthread_join(s->thread, NULL);
	close(s->listen_fd);
	pthread_mutex_destroy(&s->lock);
	buf_free(&s->log);
	buf_free(&s->last);
}

/* A client of the fake server at bucket "shop", retrying fast. */
static struct s3_client *fake_client(const struct fake_s3 *s, struct s3_config *cfg,
				     char endpoint[64])
{
	snprintf(endpoint, 64, "http://127.0.0.1:%d", s->port);
	memset(cfg, 0, sizeof *cfg);
	s3_config_defaults(cfg);
	cfg->bucket = "shop";
	cfg->endpoint = endpoint;
	cfg->region = "eu-west-1";
	cfg->access_key_id = "AKIDEXAMPLE";
	cfg->secret_access_key = "secret";
	cfg->max_attempts = 3;
	cfg->first_backoff_ms = 1;
	cfg->max_backoff_ms = 4;
	struct s3_client *c = NULL;
	struct error err;
	if (s3_client_new(cfg, &c, &err) < 0) {
		printf("    %s\n", err.msg);
		exit(1);
	}
	return c;
}

/* The SHA-256 of "x". */
#define X_SHA256 "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
#define NO_SUCH_KEY "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
#define SLOW_DOWN "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
#define DENIED "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"

/* --- the address and the plan ------------------------------------------------------ */

static void test_publish_reads_bucket_and_prefix_from_the_address(void)
{
	struct publish_target t;
	struct error err;
	CHECK_INT(publish_parse_url("s3://shop-site/reports/2024/", &t, &err), 0);
	CHECK_STR(t.bucket, "shop-site");
	CHECK_STR(t.prefix, "reports/2024");
	publish_target_free(&t);
	CHECK_INT(publish_parse_url("s3://shop.example.com", &t, &err), 0);
	CHECK_STR(t.prefix, "");
	publish_target_free(&t);
	static const char *bad[] = {"https://shop/x", "s3://", "s3://Shop/x", "s3://ab",
				    "s3://shop/../x", "s3://shop//x", "s3://-shop"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(publish_parse_url(bad[i], &t, &err), ERR_INPUT);
		CHECK(t.bucket == NULL);
	}
}

static void add_entry(struct manifest *m, const char *path, const char *text, const char *cache)
{
	char hex[65];
	sha256_hex_of(text, strlen(text), hex);
	manifest_add(m, path, (long long)strlen(text), hex, "text/html; charset=utf-8", cache);
}

static void test_publish_plan_sends_assets_then_pages_and_skips_unchanged(void)
{
	struct manifest site = MANIFEST_INIT, bucket = MANIFEST_INIT;
	struct publish_plan plan;
	add_entry(&site, "a.html", "A2", CACHE_PAGE);
	add_entry(&site, "z.1234abcd.png", "Z", CACHE_IMMUTABLE);
	add_entry(&site, "b.html", "B", CACHE_PAGE);
	add_entry(&site, "c.99999999.css", "C", CACHE_IMMUTABLE);
	manifest_sort(&site);
	add_entry(&bucket, "a.html", "A1", CACHE_PAGE);
	add_entry(&bucket, "b.html", "B", CACHE_PAGE);
	add_entry(&bucket, "c.99999999.css", "C", CACHE_IMMUTABLE);
	manifest_sort(&bucket);
	publish_plan_make(&site, &bucket, 0, &plan);
	CHECK_INT(plan.uploads_len, 2);
	CHECK_STR(plan.uploads[0]->path, "z.1234abcd.png");
	CHECK_STR(plan.uploads[1]->path, "a.html");
	CHECK_INT(plan.unchanged, 2);
	CHECK_INT(plan.deletes_len, 0);
	CHECK_INT(plan.bucket_manifest.len, 4);
	publish_plan_free(&plan);

	struct manifest empty = MANIFEST_INIT;
	publish_plan_make(&site, &empty, 1, &plan);
	CHECK_INT(plan.uploads_len, 4);
	CHECK_STR(plan.uploads[0]->path, "c.99999999.css");
	CHECK_STR(plan.uploads[1]->path, "z.1234abcd.png");
	CHECK_STR(plan.uploads[2]->path, "a.html");
	CHECK_STR(plan.uploads[3]->path, "b.html");
	publish_plan_free(&plan);
	manifest_free(&site);
	manifest_free(&bucket);
}

static void test_publish_plan_resends_a_file_whose_cache_policy_changed(void)
{
	struct manifest site = MANIFEST_INIT, bucket = MANIFEST_INIT;
	struct publish_plan plan;
	add_entry(&site, "a.html", "A", CACHE_PAGE);
	add_entry(&bucket, "a.html", "A", "no-store");
	publish_plan_make(&site, &bucket, 0, &plan);
	CHECK_INT(plan.uploads_len, 1);
	CHECK_INT(plan.unchanged, 0);
	publish_plan_free(&plan);
	manifest_free(&site);
	manifest_free(&bucket);
}

static void test_publish_plan_deletes_stale_only_when_asked_and_keeps_listing_them(void)
{
	struct manifest site = MANIFEST_INIT, bucket = MANIFEST_INIT;
	struct publish_plan plan;
	add_entry(&site, "a.html", "A", CACHE_PAGE);
	add_entry(&bucket, "a.html", "A", CACHE_PAGE);
	add_entry(&bucket, "gone.html", "G", CACHE_PAGE);
	add_entry(&bucket, "old.11111111.png", "O", CACHE_IMMUTABLE);
	manifest_sort(&bucket);
	publish_plan_make(&site, &bucket, 0, &plan);
	CHECK_INT(plan.deletes_len, 0);
	CHECK_INT(plan.stale_kept, 2);
	CHECK_INT(plan.bucket_manifest.len, 3); /* still listed, so --delete finds them later */
	CHECK(manifest_find(&plan.bucket_manifest, "gone.html") != NULL);
	publish_plan_free(&plan);
	publish_plan_make(&site, &bucket, 1, &plan);
	CHECK_INT(plan.deletes_len, 2);
	CHECK_STR(plan.deletes[0]->path, "gone.html");
	CHECK_INT(plan.stale_kept, 0);
	CHECK_INT(plan.bucket_manifest.len, 1);
	publish_plan_free(&plan);
	manifest_free(&site);
	manifest_free(&bucket);
}

/* --- the S3 client ----------------------------------------------------------------- */

static void test_s3_put_sends_type_cache_digest_and_signature(void)
{
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	char endpoint[64], hex[65];
	fake_start(&s, NULL, 0);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	cfg.session_token = "TOKEN123";
	sha256_hex_of("<p>mug</p>", 10, hex);
	CHECK_INT(s3_put(c, "site/products/blue mug+é.html", "<p>mug</p>", 10, hex,
			 "text/html; charset=utf-8", CACHE_PAGE, &err), 0);
	const char *req = s.last.data;
	CHECK(req && strstr(req, "PUT /shop/site/products/blue%20mug%2B%C3%A9.html HTTP/1.1\r\n"));
	CHECK(req && strstr(req, "\r\nContent-Type: text/html; charset=utf-8\r\n"));
	CHECK(req && strstr(req, "\r\nCache-Control: public, max-age=300\r\n"));
	CHECK(req && strstr(req, "\r\nx-amz-security-token: TOKEN123\r\n"));
	struct buf want = BUF_INIT;
	buf_printf(&want, "\r\nx-amz-content-sha256: %s\r\n", hex);
	CHECK(req && strstr(req, want.data));
	buf_free(&want);
	CHECK(req && strstr(req, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
	CHECK(req && strstr(req, "/eu-west-1/s3/aws4_request, SignedHeaders=cache-control;"
				 "content-type;host;x-amz-content-sha256;x-amz-date;"
				 "x-amz-security-token, Signature="));
	CHECK(req && strstr(req, "\r\n\r\n<p>mug</p>"));
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_retries_server_errors_then_succeeds(void)
{
	static const struct fake_reply script[] = {{503, SLOW_DOWN}, {500, NULL}, {200, NULL}};
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	char endpoint[64];
	fake_start(&s, script, 3);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	CHECK_INT(s3_put(c, "a.html", "x", 1, X_SHA256, "text/html", CACHE_PAGE, &err), 0);
	CHECK_INT(s.requests, 3);
	CHECK_INT(s3_retries(c), 2);
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_retries_a_dropped_connection(void)
{
	static const struct fake_reply script[] = {{0, NULL}, {200, NULL}};
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	char endpoint[64];
	fake_start(&s, script, 2);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	CHECK_INT(s3_delete(c, "old.html", &err), 0);
	CHECK_INT(s.requests, 2);
	CHECK_STR(s.log.data, "DELETE /shop/old.html\nDELETE /shop/old.html\n");
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_gives_up_after_bounded_attempts_naming_status_and_code(void)
{
	static const struct fake_reply script[] = {
		{503, SLOW_DOWN}, {503, SLOW_DOWN}, {503, SLOW_DOWN}, {200, NULL}};
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	char endpoint[64];
	fake_start(&s, script, 4);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	CHECK(s3_put(c, "site/a.html", "x", 1, X_SHA256, "text/html", CACHE_PAGE, &err) < 0);
	CHECK_INT(s.requests, 3);
	CHECK_STR(err.msg, "PUT s3://shop/site/a.html: HTTP 503 SlowDown: Please reduce your "
			   "request rate. (gave up after 3 attempts)");
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_does_not_retry_access_denied(void)
{
	static const struct fake_reply script[] = {{403, DENIED}};
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	char endpoint[64];
	fake_start(&s, script, 1);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	CHECK(s3_put(c, "a.html", "x", 1, X_SHA256, "text/html", CACHE_PAGE, &err) < 0);
	CHECK_INT(s.requests, 1);
	CHECK_STR(err.msg, "PUT s3://shop/a.html: HTTP 403 AccessDenied: Access Denied");
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_get_of_a_missing_key_is_not_found_not_an_error(void)
{
	static const struct fake_reply script[] = {
		{404, NO_SUCH_KEY}, {200, "hello"},
		{404, "<Error><Code>NoSuchBucket</Code></Error>"}};
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	struct buf body = BUF_INIT;
	char endpoint[64];
	int found = 1;
	fake_start(&s, script, 3);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	CHECK_INT(s3_get(c, "manifest.json", &body, &found, &err), 0);
	CHECK_INT(found, 0);
	CHECK_INT(s3_get(c, "manifest.json", &body, &found, &err), 0);
	CHECK_INT(found, 1);
	CHECK_STR(buf_str(&body), "hello");
	CHECK(s3_get(c, "manifest.json", &body, &found, &err) < 0);
	CHECK(strstr(err.msg, "HTTP 404 NoSuchBucket"));
	buf_free(&body);
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_unreachable_server_fails_after_retries(void)
{
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	char endpoint[64];
	fake_start(&s, NULL, 0);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	/* Nothing listens on the port once the server is gone. */
	fake_stop(&s);
	CHECK(s3_delete(c, "a.html", &err) < 0);
	CHECK(strstr(err.msg, "DELETE s3://shop/a.html: "));
	CHECK(strstr(err.msg, "(gave up after 3 attempts)"));
	CHECK_INT(s3_retries(c), 2);
	s3_client_free(c);
}

/* --- whole publishes --------------------------------------------------------------- */

/* A small built site: one chart and two pages. */
static void build_site(const char *out, const char *index_text)
{
	struct site *site = NULL;
	struct error err;
	const char *href;
	if (site_open(out, &site, &err) < 0 ||
	    site_add_asset(site, "charts/revenue", ".png", "PNG", 3, &href, &err) < 0 ||
	    site_add_page(site, "index.html", index_text, strlen(index_text), &err) < 0 ||
	    site_add_page(site, "products/mug.html", "mug", 3, &err) < 0 ||
	    site_finish(site, &err) < 0)
		printf("    build: %s\n", err.msg);
	site_close(site);
}

static char *read_text(const char *dir, const char *rel)
{
	char *path = site_fs_join(dir, rel), *text = NULL;
	size_t len;
	struct error err;
	if (site_fs_read_all(path, &text, &len, &err) < 0)
		text = NULL;
	free(path);
	return text;
}

struct steps {
	struct buf said; /* one line per step the progress callback was told */
};

static void note_step(void *ctx, enum publish_step step, const char *path, long long bytes)
{
	struct steps *s = ctx;
	static const char *names[] = {"upload", "delete", "manifest"};
	buf_printf(&s->said, "%s %s %lld\n", names[step], path, bytes);
}

static void test_publish_first_time_sends_assets_then_pages_then_manifest(void)
{
	static const struct fake_reply script[] = {{404, NO_SUCH_KEY}};
	char out[] = "/tmp/cartograph-publish-XXXXXX", endpoint[64];
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	struct publish_summary sum;
	struct steps steps = {BUF_INIT};
	if (!mkdtemp(out))
		return;
	build_site(out, "home");
	fake_start(&s, script, 1);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	struct publish_options opt = {out, "shop", "site", 0, 0, note_step, &steps};
	CHECK_INT(publish_site(c, &opt, &sum, &err), 0);
	CHECK_STR(s.log.data, "GET /shop/site/manifest.json\n"
			      "PUT /shop/site/charts/revenue.79612083.png\n"
			      "PUT /shop/site/index.html\n"
			      "PUT /shop/site/products/mug.html\n"
			      "PUT /shop/site/manifest.json\n");
	CHECK_INT(sum.uploaded, 3);
	CHECK_INT(sum.bytes_uploaded, 10);
	CHECK_INT(sum.manifest_uploaded, 1);
	/* The bucket's manifest is the site's, byte for byte, when nothing is stale. */
	char *manifest = read_text(out, "manifest.json");
	CHECK(manifest && strstr(s.last.data, manifest));
	CHECK(strstr(s.last.data, "\r\nContent-Type: application/json\r\n"));
	CHECK(strstr(s.last.data, "\r\nCache-Control: no-cache\r\n"));
	CHECK(strstr(steps.said.data, "upload index.html 4\n"));
	s3_client_free(c);
	fake_stop(&s);

	/* Published again with the bucket's manifest unchanged: one GET, nothing else. */
	struct fake_reply same[] = {{200, manifest}};
	fake_start(&s, same, 1);
	c = fake_client(&s, &cfg, endpoint);
	CHECK_INT(publish_site(c, &opt, &sum, &err), 0);
	CHECK_STR(s.log.data, "GET /shop/site/manifest.json\n");
	CHECK_INT(sum.uploaded, 0);
	CHECK_INT(sum.unchanged, 3);
	CHECK_INT(sum.manifest_uploaded, 0);
	s3_client_free(c);
	fake_stop(&s);

	/* One page changed and --delete with a stale page in the bucket: the page, the
	 * deletion, then the manifest. */
	struct buf bucket = BUF_INIT;
	buf_puts(&bucket, manifest);
	char *last = strrchr(bucket.data, '}');
	bucket.len = (size_t)(last - bucket.data) - 2;
	buf_puts(&bucket, ",\n{\"path\":\"zzz-old.html\",\"bytes\":1,\"sha256\":\"0000000000000000"
			  "000000000000000000000000000000000000000000000000\",\"content_type\":"
			  "\"text/html\",\"cache_control\":\"public, max-age=300\"}\n]}\n");
	struct fake_reply stale[] = {{200, bucket.data}};
	build_site(out, "home, new");
	fake_start(&s, stale, 1);
	c = fake_client(&s, &cfg, endpoint);
	opt.delete_stale = 1;
	CHECK_INT(publish_site(c, &opt, &sum, &err), 0);
	CHECK_STR(s.log.data, "GET /shop/site/manifest.json\n"
			      "PUT /shop/site/index.html\n"
			      "DELETE /shop/site/zzz-old.html\n"
			      "PUT /shop/site/manifest.json\n");
	CHECK_INT(sum.uploaded, 1);
	CHECK_INT(sum.deleted, 1);
	s3_client_free(c);
	fake_stop(&s);

	/* A dry run reads the bucket's manifest and nothing more. */
	fake_start(&s, stale, 1);
	c = fake_client(&s, &cfg, endpoint);
	opt.dry_run = 1;
	buf_reset(&steps.said);
	CHECK_INT(publish_site(c, &opt, &sum, &err), 0);
	CHECK_STR(s.log.data, "GET /shop/site/manifest.json\n");
	/* With the stale page deleted, the bucket's manifest becomes the site's. */
	char *rebuilt = read_text(out, "manifest.json");
	struct buf want = BUF_INIT;
	buf_printf(&want, "upload index.html 9\ndelete zzz-old.html 1\nmanifest manifest.json %zu\n",
		   rebuilt ? strlen(rebuilt) : 0);
	CHECK_STR(steps.said.data, want.data);
	buf_free(&want);
	free(rebuilt);
	CHECK_INT(sum.uploaded, 1);
	CHECK_INT(sum.deleted, 1);
	s3_client_free(c);
	fake_stop(&s);

	buf_free(&bucket);
	buf_free(&steps.said);
	free(manifest);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", out);
	CHECK_INT(system(cmd), 0);
}

static void test_publish_upload_error_names_the_file_and_stops_before_pages(void)
{
	static const struct fake_reply script[] = {{404, NO_SUCH_KEY}, {403, DENIED}};
	char out[] = "/tmp/cartograph-publish-XXXXXX", endpoint[64];
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	struct publish_summary sum;
	if (!mkdtemp(out))
		return;
	build_site(out, "home");
	fake_start(&s, script, 2);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	struct publish_options opt = {out, "shop", "", 0, 0, NULL, NULL};
	CHECK(publish_site(c, &opt, &sum, &err) < 0);
	CHECK_STR(err.msg, "uploading charts/revenue.79612083.png: PUT "
			   "s3://shop/charts/revenue.79612083.png: HTTP 403 AccessDenied: Access Denied");
	CHECK_INT(s.requests, 2); /* no page was sent after the asset failed */
	s3_client_free(c);
	fake_stop(&s);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", out);
	CHECK_INT(system(cmd), 0);
}

static void test_publish_refuses_a_file_changed_since_the_build(void)
{
	static const struct fake_reply script[] = {{404, NO_SUCH_KEY}};
	char out[] = "/tmp/cartograph-publish-XXXXXX", endpoint[64];
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	struct publish_summary sum;
	if (!mkdtemp(out))
		return;
	build_site(out, "home");
	char *page = site_fs_join(out, "products/mug.html");
	FILE *f = fopen(page, "w");
	if (f) {
		fputs("edited by hand", f);
		fclose(f);
	}
	fake_start(&s, script, 1);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	struct publish_options opt = {out, "shop", "", 0, 0, NULL, NULL};
	CHECK(publish_site(c, &opt, &sum, &err) < 0);
	CHECK(strstr(err.msg, "products/mug.html' does not match"));
	CHECK(strstr(s.log.data, "PUT /shop/products/mug.html") == NULL);
	CHECK(strstr(s.log.data, "PUT /shop/manifest.json") == NULL);
	s3_client_free(c);
	fake_stop(&s);
	free(page);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", out);
	CHECK_INT(system(cmd), 0);
}

static void test_publish_without_a_built_site_says_so(void)
{
	char endpoint[64];
	struct fake_s3 s;
	struct s3_config cfg;
	struct error err;
	struct publish_summary sum;
	fake_start(&s, NULL, 0);
	struct s3_client *c = fake_client(&s, &cfg, endpoint);
	struct publish_options opt = {"/tmp/cartograph-no-such-site", "shop", "", 0, 0, NULL, NULL};
	CHECK_INT(publish_site(c, &opt, &sum, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "manifest.json' is missing: build the site first"));
	CHECK_INT(s.requests, 0);
	s3_client_free(c);
	fake_stop(&s);
}

static void test_s3_client_wants_credentials_and_a_proper_endpoint(void)
{
	struct s3_config cfg = {0};
	struct s3_client *c = NULL;
	struct error err;
	s3_config_defaults(&cfg);
	cfg.bucket = "shop";
	cfg.region = "us-east-1";
	CHECK_INT(s3_client_new(&cfg, &c, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "AWS_ACCESS_KEY_ID"));
	cfg.access_key_id = "a";
	cfg.secret_access_key = "b";
	cfg.endpoint = "ftp://127.0.0.1";
	CHECK_INT(s3_client_new(&cfg, &c, &err), ERR_INPUT);
	cfg.endpoint = NULL;
	cfg.bucket = "Bad_Bucket";
	CHECK_INT(s3_client_new(&cfg, &c, &err), ERR_INPUT);
	CHECK(c == NULL);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	RUN(test_publish_reads_bucket_and_prefix_from_the_address);
	RUN(test_publish_plan_sends_assets_then_pages_and_skips_unchanged);
	RUN(test_publish_plan_resends_a_file_whose_cache_policy_changed);
	RUN(test_publish_plan_deletes_stale_only_when_asked_and_keeps_listing_them);
	RUN(test_s3_put_sends_type_cache_digest_and_signature);
	RUN(test_s3_retries_server_errors_then_succeeds);
	RUN(test_s3_retries_a_dropped_connection);
	RUN(test_s3_gives_up_after_bounded_attempts_naming_status_and_code);
	RUN(test_s3_does_not_retry_access_denied);
	RUN(test_s3_get_of_a_missing_key_is_not_found_not_an_error);
	RUN(test_s3_unreachable_server_fails_after_retries);
	RUN(test_publish_first_time_sends_assets_then_pages_then_manifest);
	RUN(test_publish_upload_error_names_the_file_and_stops_before_pages);
	RUN(test_publish_refuses_a_file_changed_since_the_build);
	RUN(test_publish_without_a_built_site_says_so);
	RUN(test_s3_client_wants_credentials_and_a_proper_endpoint);
	curl_global_cleanup();
	return check_summary();
}
