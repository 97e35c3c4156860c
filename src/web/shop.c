/* shop: the process's state: configuration from the environment, opening shop.db,
 * compiling the page templates, and freeing it all. */
#include "web/shop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

/* Template file names, by enum shop_page. */
static const char *const page_names[PAGE__COUNT] = {
	[PAGE_CART] = "cart",
	[PAGE_CHECKOUT] = "checkout",
	[PAGE_ORDER] = "order",
	[PAGE_REVIEW] = "review",
	[PAGE_RECS] = "recs",
	[PAGE_ERROR] = "error",
};

/* The folder above the program's own (bin/shop.cgi → the checkout or PREFIX), or
 * NULL when it cannot be found. */
static char *program_root(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(path, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	return xstrdup(path[0] ? path : "/");
}

/* The setting: the environment variable when set, else the first of the candidate paths
 * under root that exists, else the first candidate. */
static char *setting(const char *env_name, const char *root, const char *first, const char *second)
{
	const char *v = getenv(env_name);
	if (v && *v)
		return xstrdup(v);
	if (!root)
		return xstrdup(first);
	const char *candidates[2] = {first, second};
	for (int i = 0; i < 2 && candidates[i]; i++) {
		size_t len = strlen(root) + strlen(candidates[i]) + 2;
		char *path = xmalloc(len);
		snprintf(path, len, "%s/%s", root, candidates[i]);
		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	size_t len = strlen(root) + strlen(first) + 2;
	char *path = xmalloc(len);
	snprintf(path, len, "%s/%s", root, first);
	return path;
}

void shop_config_load(struct shop_config *config)
{
	char *root = program_root();
	config->db_path = setting("CARTOGRAPH_SHOP_DB", root, "data/shop.db", NULL);
	config->templates_dir = setting("CARTOGRAPH_SHOP_TEMPLATES", root, "templates/shop",
					"share/cartograph/templates/shop");
	config->lexicon_path = setting("CARTOGRAPH_LEXICON", root, "data/vader_lexicon.txt",
				       "share/cartograph/vader_lexicon.txt");
	const char *assets = getenv("CARTOGRAPH_SHOP_ASSETS");
	config->assets_url = xstrdup(assets && *assets ? assets : "/assets");
	free(root);
}

void shop_config_free(struct shop_config *config)
{
	free(config->db_path);
	free(config->templates_dir);
	free(config->lexicon_path);
	free(config->assets_url);
	memset(config, 0, sizeof *config);
}

int shop_open_db(struct shop *shop, struct error *err)
{
	if (shop->db_ready)
		return 0;
	if (db_open_shop(shop->config.db_path, &shop->db, err) < 0)
		return ERR_SYSTEM;
	shop->db_ready = 1;
	char currency[16];
	if (shop_db_get_setting(&shop->db, "currency", currency, sizeof currency))
		money_set_currency(currency);
	return 0;
}


/* Loads {{>name}} and {{<name}} from the templates folder (ctx). */
static int load_partial(void *ctx, const char *name, struct buf *text, struct buf *label,
			struct error *err)
{
	const char *dir = ctx;
	if (strchr(name, '/') || strstr(name, ".."))
		return error_set(err, ERR_INPUT, "partial '%s' must be a plain name", name);
	buf_printf(label, "%s/%s.mustache", dir, name);
	return buf_read_file(text, buf_str(label), err);
}

/* The compiled page, compiling it on first use. */
static int page_template(struct shop *shop, enum shop_page page, const struct mustache **out,
			 struct error *err)
{
	if (!shop->pages[page]) {
		struct buf path = BUF_INIT, text = BUF_INIT;
		struct mustache_loader loader = {load_partial, shop->config.templates_dir};
		buf_printf(&path, "%s/%s.mustache", shop->config.templates_dir, page_names[page]);
		int rc = buf_read_file(&text, buf_str(&path), err);
		if (rc == 0)
			rc = mustache_compile(buf_str(&path), buf_str(&text), text.len, &loader,
					      &shop->pages[page], err);
		buf_free(&path);
		buf_free(&text);
		if (rc < 0)
			return rc;
	}
	*out = shop->pages[page];
	return 0;
}

int shop_compile_pages(struct shop *shop, struct error *err)
{
	const struct mustache *unused;
	for (int p = 0; p < PAGE__COUNT; p++)
		if (page_template(shop, (enum shop_page)p, &unused, err) < 0)
			return ERR_SYSTEM;
	return 0;
}

int shop_render_page(struct shop *shop, enum shop_page page, const struct value *data,
		     struct buf *out, struct error *err)
{
	const struct mustache *tmpl;
	if (page_template(shop, page, &tmpl, err) < 0)
		return ERR_SYSTEM;
	return mustache_render(tmpl, data, out, err);
}

void shop_free(struct shop *shop)
{
	for (int p = 0; p < PAGE__COUNT; p++)
		mustache_free(shop->pages[p]);
	if (shop->db_ready)
		shop_db_close(&shop->db);
	sentiment_lexicon_free(shop->lexicon);
	shop_config_free(&shop->config);
	memset(shop, 0, sizeof *shop);
}
