/* shop_main: entry point of bin/shop.cgi, the shopper program. One binary serves both
 * ways a web server may run it: as plain CGI (a process per request: FCGX_IsCGI says
 * so) or as a FastCGI server (started by the web server with a listening socket on
 * standard input; one accept loop, one request at a time, templates and prepared
 * statements kept between requests).
 *
 * Every response is built whole in memory and written with one call: libfcgi's printf
 * does not understand every format (%zu), and a half-written answer is worse than none. */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/shop.h"

static const char *cgi_env(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static long cgi_read(void *ctx, char *into, size_t n)
{
	(void)ctx;
	size_t got = fread(into, 1, n, stdin);
	return got == 0 && ferror(stdin) ? -1 : (long)got;
}

static const char *fcgi_env(void *ctx, const char *name)
{
	FCGX_Request *req = ctx;
	return FCGX_GetParam(name, req->envp);
}

static long fcgi_read(void *ctx, char *into, size_t n)
{
	FCGX_Request *req = ctx;
	int got = FCGX_GetStr(into, n > 65536 ? 65536 : (int)n, req->in);
	return got < 0 ? -1 : got;
}

/* Reads, answers and serializes one request into out. */
static void answer(struct shop *shop, cgi_env_fn env, cgi_read_fn read_body, void *ctx,
		   struct buf *out)
{
	struct cgi_request http;
	struct cgi_response res;
	int read_status = cgi_request_read(&http, env, read_body, ctx);
	cgi_response_init(&res);
	shop_handle(shop, &http, read_status, &res);
	buf_reset(out);
	cgi_response_serialize(&res, out);
	cgi_response_free(&res);
	cgi_request_free(&http);
}

static int serve_cgi(struct shop *shop)
{
	struct buf out = BUF_INIT;
	answer(shop, cgi_env, cgi_read, NULL, &out);
	int ok = fwrite(buf_str(&out), 1, out.len, stdout) == out.len && fclose(stdout) == 0;
	buf_free(&out);
	/* The answer is out (stdout closed): now is the time for a due checkpoint. */
	if (shop->db_ready)
		shop_db_checkpoint_if_due(&shop->db);
	return ok ? 0 : 1;
}

/* SIGTERM (lighttpd stopping or restarting its backends): finish the request at hand,
 * then leave the accept loop and close shop.db properly. */
static void stop_serving(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

static int serve_fastcgi(struct shop *shop)
{
	struct error err;
	FCGX_Request req;
	struct buf out = BUF_INIT;
	struct sigaction on_term;
	memset(&on_term, 0, sizeof on_term);
	on_term.sa_handler = stop_serving; /* no SA_RESTART: accept() returns at once */
	sigaction(SIGTERM, &on_term, NULL);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0) {
		fputs("shop.cgi: cannot start FastCGI\n", stderr);
		return 1;
	}
	/* Open and compile now, so a broken setup shows in the log at once; requests
	 * still try again (and answer 503) if it fails. */
	if (shop_open_db(shop, &err) < 0 || shop_compile_pages(shop, &err) < 0 ||
	    shop_db_checkpoint_in_background(&shop->db, shop->config.db_path, &err) < 0)
		fprintf(stderr, "shop.cgi: %s\n", err.msg);
	while (FCGX_Accept_r(&req) >= 0) {
		answer(shop, fcgi_env, fcgi_read, &req, &out);
		if (FCGX_PutStr(buf_str(&out), (int)out.len, req.out) != (int)out.len)
			fputs("shop.cgi: the client went away before the answer was sent\n", stderr);
		FCGX_Finish_r(&req);
	}
	buf_free(&out);
	return 0;
}

int main(void)
{
	struct shop shop;
	memset(&shop, 0, sizeof shop);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN); /* over a file size limit, write() fails and we say so */
	shop_config_load(&shop.config);
	int status = FCGX_IsCGI() ? serve_cgi(&shop) : serve_fastcgi(&shop);
	shop_free(&shop);
	return status;
}
