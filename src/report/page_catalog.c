/* page_catalog: the shop catalog in out/shop/. Loads the catalog, exports it to
 * shop.db, adds the shop's style sheet and script, and renders the front page and the
 * category pages (the product pages are page_product.c's); also the product cards and
 * the stock, rating and picture-tile facts every catalog page shows. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/catalog_once.h"
#include "report/catalog_pages.h"
#include "report/catalog_share.h"
#include "report/shop_export.h"
#include "util/progress.h"
#include "web/cart.h"
#include "web/shop.h"
#include "web/shop_fields.h"

/* Files the catalog needs from the templates folder. */
#define SHOP_CSS "shop/assets/shop.css"
#define SHOP_JS "shop/assets/shop.js"
#define CATALOG_CSS "catalog/catalog.css"

int catalog_id_is_sellable(const char *id)
{
	struct field_value v = {.present = 1, .text = (char *)id, .len = strlen(id)};
	return valid_id(&v, &field_rules[FIELD_PRODUCT]) == NULL;
}

void catalog_set_stock(const struct catalog_product *p, struct value *map)
{
	char text[48];
	const char *state = "in";
	if (p->shop_stock == 0) {
		snprintf(text, sizeof text, "Sold out");
		state = "out";
	} else if (p->shop_stock > 0 && p->shop_stock <= CATALOG_LOW_STOCK) {
		snprintf(text, sizeof text, "Only %lld left", p->shop_stock);
		state = "low";
	} else {
		snprintf(text, sizeof text, "In stock");
	}
	value_map_set_str(map, "stock_text", text);
	value_map_set_str(map, "stock_class", state);
	value_map_set_bool(map, "sold_out", p->shop_stock == 0);
}

void catalog_set_rating(const struct catalog_product *p, struct value *map)
{
	value_map_set_bool(map, "has_reviews", p->reviews > 0);
	if (p->reviews == 0)
		return;
	struct buf t = BUF_INIT;
	long filled = lround(p->mean_rating);
	for (long i = 0; i < 5; i++)
		buf_puts(&t, i < filled ? "\xe2\x98\x85" : "\xe2\x98\x86"); /* ★ ☆ */
	value_map_set_str(map, "stars", buf_str(&t));
	buf_reset(&t);
	buf_printf(&t, "%.1f", p->mean_rating);
	value_map_set_str(map, "rating_text", buf_str(&t));
	buf_reset(&t);
	build_count(p->reviews, &t);
	buf_puts(&t, p->reviews == 1 ? " review" : " reviews");
	value_map_set_str(map, "reviews_text", buf_str(&t));
	buf_free(&t);
}

void catalog_set_tile(const char *name, const char *key, struct value *map)
{
	char initials[3] = "";
	int n = 0, at_word = 1;
	for (const unsigned char *c = (const unsigned char *)name; *c && n < 2; c++) {
		int alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9');
		if (alnum && at_word)
			initials[n++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
		at_word = *c == ' ' || *c == '-' || *c == '/';
	}
	initials[n] = '\0';
	value_map_set_str(map, "tile_text", n ? initials : "\xe2\x80\xa2");
	value_map_set_int(map, "hue", (long long)(value_key_hash(key, strlen(key)) % 8));
}

struct value *catalog_grid(struct value *data, const char *key)
{
	return value_map_add_list(value_map_add_map(data, key), "cards");
}

void catalog_add_card(const struct catalog_build *cb, const struct catalog_product *p,
		      const char *to_shop, struct value *list)
{
	struct value *card = value_list_add_map(list);
	struct buf t = BUF_INIT;
	value_map_set_str(card, "name", p->name);
	buf_printf(&t, "%sproduct/%s.html", to_shop, p->file);
	value_map_set_str(card, "href", buf_str(&t));
	buf_reset(&t);
	build_money(cb->b, p->price_cents, 1, &t);
	value_map_set_str(card, "price_text", buf_str(&t));
	buf_free(&t);
	catalog_set_stock(p, card);
	catalog_set_rating(p, card);
	catalog_set_tile(p->name, p->id, card);
	/* Set even when false: a card inside a product page must not find the page's
	 * own can_buy or product_id. */
	value_map_set_bool(card, "can_buy", p->shop_stock != 0 && catalog_id_is_sellable(p->id));
	value_map_set_str(card, "product_id", p->id);
}

void catalog_page_common(const struct catalog_build *cb, struct value *data, const char *to_shop)
{
	struct buf t = BUF_INIT;
	value_map_set_str(data, "shop_css", cb->css_href);
	value_map_set_str(data, "shop_js", cb->js_href);
	buf_printf(&t, "%sindex.html", to_shop);
	value_map_set_str(data, "shop_home", buf_str(&t));
	buf_reset(&t);
	build_money(cb->b, CART_FREE_SHIPPING_FROM, 0, &t);
	value_map_set_str(data, "free_shipping_text", buf_str(&t));
	buf_free(&t);
}

/* The catalog front page: every category with its size, and the best sellers. */
int catalog_front_page(struct catalog_build *cb, struct error *err)
{
	const struct shop_catalog *cat = cb->cat;
	struct value *data = value_map_new();
	catalog_page_common(cb, data, "");
	struct value *categories = value_map_add_list(data, "categories");
	for (int c = 0; c < cat->category_count; c++) {
		const struct catalog_category *k = &cat->categories[c];
		struct value *item = value_list_add_map(categories);
		struct buf t = BUF_INIT;
		value_map_set_str(item, "label", k->label);
		buf_printf(&t, "category/%s.html", k->file);
		value_map_set_str(item, "href", buf_str(&t));
		buf_reset(&t);
		build_count(k->count, &t);
		buf_puts(&t, k->count == 1 ? " product" : " products");
		value_map_set_str(item, "count_text", buf_str(&t));
		buf_free(&t);
		struct value *top = value_map_add_list(item, "top");
		for (int i = 0; i < k->count && i < 3; i++)
			value_list_push(top, value_string_new(cat->products[k->products[i]].name));
		catalog_set_tile(k->label, k->name, item);
	}
	struct value *best = catalog_grid(data, "best_sellers");
	for (int i = 0; i < cat->count && i < CATALOG_FRONT_BEST_SELLERS; i++)
		catalog_add_card(cb, &cat->products[cat->best_sellers[i]], "", best);
	value_map_set_bool(data, "has_products", cat->count > 0);
	return build_page(cb->b, "catalog/index", "shop/index.html", "shop/index", NULL, data, err);
}

/* The page name of page (0-based) of a category: "toys.html", "toys--page-2.html".
 * Slugs never hold two dashes in a row, so no category's name can clash. */
static void category_page_name(const struct catalog_category *k, int page, const char *prefix,
			       struct buf *out)
{
	if (page == 0)
		buf_printf(out, "%s%s.html", prefix, k->file);
	else
		buf_printf(out, "%s%s--page-%d.html", prefix, k->file, page + 1);
}

/* The links to a category's other pages. */
static void add_pager(const struct catalog_category *k, int page, int pages, struct value *data)
{
	value_map_set_bool(data, "has_pager", pages > 1);
	if (pages <= 1)
		return;
	struct value *list = value_map_add_list(data, "pager");
	struct buf t = BUF_INIT;
	for (int i = 0; i < pages; i++) {
		struct value *item = value_list_add_map(list);
		buf_reset(&t);
		category_page_name(k, i, "", &t);
		value_map_set_str(item, "href", buf_str(&t));
		value_map_set_int(item, "number", i + 1);
		value_map_set_bool(item, "current", i == page);
	}
	if (page > 0) {
		buf_reset(&t);
		category_page_name(k, page - 1, "", &t);
		value_map_set_str(data, "previous_href", buf_str(&t));
	}
	if (page + 1 < pages) {
		buf_reset(&t);
		category_page_name(k, page + 1, "", &t);
		value_map_set_str(data, "next_href", buf_str(&t));
	}
	buf_free(&t);
}

static int category_page(struct catalog_build *cb, const struct catalog_category *k, int page,
			 int pages, struct error *err)
{
	struct value *data = value_map_new();
	struct buf t = BUF_INIT;
	catalog_page_common(cb, data, "../");
	value_map_set_str(data, "label", k->label);
	build_count(k->count, &t);
	buf_puts(&t, k->count == 1 ? " product" : " products");
	value_map_set_str(data, "count_text", buf_str(&t));
	int first = page * CATALOG_PAGE_SIZE;
	int last = first + CATALOG_PAGE_SIZE < k->count ? first + CATALOG_PAGE_SIZE : k->count;
	if (pages > 1) {
		buf_reset(&t);
		buf_printf(&t, "Showing %d\xe2\x80\x93%d, best sellers first", first + 1, last);
		value_map_set_str(data, "range_text", buf_str(&t));
		buf_reset(&t);
		buf_printf(&t, "%s, page %d of %d", k->label, page + 1, pages);
		value_map_set_str(data, "title", buf_str(&t));
	} else {
		value_map_set_str(data, "title", k->label);
	}
	struct value *cards = catalog_grid(data, "products");
	for (int i = first; i < last; i++)
		catalog_add_card(cb, &cb->cat->products[k->products[i]], "../", cards);
	add_pager(k, page, pages, data);
	buf_reset(&t);
	category_page_name(k, page, "shop/category/", &t);
	int rc = build_page(cb->b, "catalog/category", buf_str(&t), "shop/index", NULL, data, err);
	buf_free(&t);
	return rc;
}

int catalog_category_pages(struct catalog_build *cb, struct error *err)
{
	int rc = 0;
	for (int c = 0; rc == 0 && c < cb->cat->category_count; c++) {
		const struct catalog_category *k = &cb->cat->categories[c];
		int pages = (k->count + CATALOG_PAGE_SIZE - 1) / CATALOG_PAGE_SIZE;
		for (int page = 0; rc == 0 && page < pages; page++)
			rc = category_page(cb, k, page, pages, err);
	}
	return rc;
}

/* The catalog's style sheet (the shop's, then the catalog's own) and script as hashed
 * assets, and the shop's own style sheet and script under fixed names in out/assets/,
 * where the shop program's pages look for them. */
static int add_assets(struct catalog_build *cb, struct error *err)
{
	struct buf shop_css = BUF_INIT, catalog_css = BUF_INIT, js = BUF_INIT, both = BUF_INIT;
	struct site *site = cb->b->site;
	int rc = build_read_template_file(cb->b, SHOP_CSS, &shop_css, err);
	if (rc == 0)
		rc = build_read_template_file(cb->b, CATALOG_CSS, &catalog_css, err);
	if (rc == 0)
		rc = build_read_template_file(cb->b, SHOP_JS, &js, err);
	if (rc == 0) {
		buf_printf(&both, "%s\n%s", buf_str(&shop_css), buf_str(&catalog_css));
		rc = site_add_asset(site, "assets/shop", ".css", both.data, both.len, &cb->css_href, err);
	}
	if (rc == 0)
		rc = site_add_asset(site, "assets/shop", ".js", buf_str(&js), js.len, &cb->js_href, err);
	if (rc == 0)
		rc = site_add_page(site, "assets/shop.css", buf_str(&shop_css), shop_css.len, err);
	if (rc == 0)
		rc = site_add_page(site, "assets/shop.js", buf_str(&js), js.len, err);
	buf_free(&shop_css);
	buf_free(&catalog_css);
	buf_free(&js);
	buf_free(&both);
	return rc;
}

/* The catalog and its pages, the product pages shared with the other thread once
 * shop.db holds the export. */
static int render_catalog(struct build *b, struct error *err)
{
	struct shop_catalog *cat;
	struct shop_db shop = {.writer_lock = -1};
	int rc = catalog_once_get(b->catalog, b->db, &cat, err);
	if (rc < 0)
		return rc;
	struct catalog_build cb = {.b = b, .cat = cat, .shop = &shop};
	rc = db_open_shop(b->opt->shop_db_path, &shop, err);
	if (rc == 0) {
		rc = shop_export(b->db, cat, &shop, &b->summary->shop, err);
		if (rc == 0)
			rc = shop_db_set_setting(&shop, "currency", b->opt->currency, err);
		/* the static recommendation files are what shop.cgi answers, which shows
		 * amounts in the currency just written: so must they */
		if (rc == 0)
			money_set_currency(b->opt->currency);
		if (rc < 0)
			error_prefix(err, "%s", b->opt->shop_db_path);
	}
	if (rc == 0)
		rc = add_assets(&cb, err);
	if (rc == 0)
		catalog_share_open(b->catalog_share, &cb);
	if (rc == 0)
		rc = catalog_front_page(&cb, err);
	if (rc == 0)
		rc = catalog_category_pages(&cb, err);
	if (rc == 0)
		rc = catalog_product_pages(&cb, err);
	catalog_share_close(b->catalog_share); /* the helpers' last pages are done */
	b->summary->catalog_unsellable += cb.unsellable;
	if (shop.db) {
		shop_db_checkpoint_now(&shop);
		shop_db_close(&shop);
	}
	return rc;
}

int page_catalog(struct build *b, struct error *err)
{
	int rc = 0;
	double started = monotonic_seconds(), cpu_started = thread_cpu_seconds();
	int pages_before = b->summary->pages;
	if (b->opt->shop_db_path)
		rc = render_catalog(b, err); /* run_lane closes the deal however this ends */
	b->summary->catalog_pages += b->summary->pages - pages_before;
	b->summary->catalog_seconds = monotonic_seconds() - started;
	b->summary->catalog_cpu_seconds += thread_cpu_seconds() - cpu_started;
	return rc;
}
