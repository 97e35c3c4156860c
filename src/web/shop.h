/* shop: what every handler of shop.cgi shares: the process's state (configuration,
 * shop.db, compiled templates, the sentiment lexicon), the request being answered, and
 * the ways to answer it (an HTML page, JSON, a redirect, an error in either form).
 *
 * The one idea: a handler builds one value tree (value.h) describing what it has to
 * say; respond_view turns it into JSON for scripts (Accept: application/json or a .json
 * path) or, through a mustache template that escapes by default, into HTML for people.
 * A handler never writes markup or JSON by hand, so nothing reaches a page unescaped. */
#ifndef CARTOGRAPH_SHOP_H
#define CARTOGRAPH_SHOP_H

#include "model/sentiment.h"
#include "report/mustache.h"
#include "report/value.h"
#include "util/error.h"
#include "web/cgi.h"
#include "web/shop_fields.h"
#include "web/session.h"
#include "web/shop_db.h"

/* The pages (templates/shop/<name>.mustache). */
enum shop_page {
	PAGE_CART,
	PAGE_CHECKOUT,
	PAGE_ORDER,
	PAGE_REVIEW,
	PAGE_RECS,   /* an HTML fragment, no layout */
	PAGE_ERROR,
	PAGE__COUNT
};

/* Settings, from the environment (see shop_config_load). Owned strings. */
struct shop_config {
	char *db_path;       /* CARTOGRAPH_SHOP_DB, default data/shop.db */
	char *templates_dir; /* CARTOGRAPH_SHOP_TEMPLATES, default templates/shop */
	char *lexicon_path;  /* CARTOGRAPH_LEXICON, default data/vader_lexicon.txt */
	char *assets_url;    /* CARTOGRAPH_SHOP_ASSETS: URL of shop.css and shop.js */
};

/* One process's state; lives across requests under FastCGI. */
struct shop {
	struct shop_config config;
	struct shop_db db;                    /* open once db_ready */
	int db_ready;                         /* shop.db is open and migrated */
	struct mustache *pages[PAGE__COUNT];  /* compiled on first use */
	struct sentiment_lexicon *lexicon;    /* loaded on the first review */
};

/* The request being answered. */
struct shop_request {
	const struct cgi_request *http; /* what arrived */
	struct cgi_response *res;       /* what goes back */
	struct field_set fields;        /* validated query, form and path fields */
	struct shop_session session;    /* id 0 when there is none */
	int want_json;                  /* answer in JSON */
	long long now;                  /* Unix seconds at arrival */
};

/* A handler fills rq->res through respond_*; it returns 0, or a negative code with err
 * filled for a failure the shopper cannot fix (logged; the shopper gets a plain 500). */
typedef int (*shop_handler)(struct shop *shop, struct shop_request *rq, struct error *err);

/* Reads the configuration from the environment; relative defaults are found beside the
 * program (its folder's parent holds data/ and templates/). */
void shop_config_load(struct shop_config *config);
void shop_config_free(struct shop_config *config);
/* Opens shop.db when it is not open yet. Returns 0 or a negative code. */
int shop_open_db(struct shop *shop, struct error *err);
/* Compiles every page now (FastCGI does, at start, so a broken template shows at once). */
int shop_compile_pages(struct shop *shop, struct error *err);
/* Renders page with data (rendering appends to out). Returns 0 or a negative code. */
int shop_render_page(struct shop *shop, enum shop_page page, const struct value *data,
		     struct buf *out, struct error *err);
/* Frees everything the shop holds. */
void shop_free(struct shop *shop);

/* Answers with data: JSON when the client wants it, else page rendered as HTML with the
 * shop's common values added (base, assets, csrf). Takes ownership of data. */
int respond_view(struct shop *shop, struct shop_request *rq, int status, enum shop_page page,
		 struct value *data, struct error *err);
/* Answers with JSON of data (taking ownership), whatever the client asked. */
void respond_json(struct shop_request *rq, int status, struct value *data);
/* Answers an error: {"error":{"status":N,"message":"..."}} for scripts, a friendly page
 * for people. message is shown as is (escaped): never put internals in it. */
void respond_error(struct shop *shop, struct shop_request *rq, int status, const char *message);
/* 303 See Other to path (under SCRIPT_NAME), for forms: POST, then redirect. */
void respond_redirect(struct shop_request *rq, const char *path);

/* Formats cents as "12.34". */
void money_text(long long cents, char out[32]);
/* Sets the currency sign amounts are shown with. */
void money_set_currency(const char *sign);
/* Sets key (cents) and key_text (e.g. "€12.34") in map. */
void value_map_set_money(struct value *map, const char *key, long long cents);

/* The handlers, one file each (see routes.c for their paths). */
int handle_cart_view(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_cart_add(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_cart_update(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_cart_remove(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_checkout_view(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_checkout_submit(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_order_view(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_review_submit(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_recs_product(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_recs_customer(struct shop *shop, struct shop_request *rq, struct error *err);
int handle_health(struct shop *shop, struct shop_request *rq, struct error *err);

/* Answers one request: routes it, checks method, size, fields and forgery token, calls
 * the handler, and turns any failure into the right status. read_status is what
 * cgi_request_read returned (413 and 400 are answered at once). Never fails. */
void shop_handle(struct shop *shop, const struct cgi_request *http, int read_status,
		 struct cgi_response *res);

#endif
