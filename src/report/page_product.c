/* page_product: a page per product in out/shop/product/<name>.html (price, stock, review
 * summary and the newest reviews, the add-to-cart form, "frequently bought together"
 * and the category's best sellers), and its recommendations as the static file
 * out/recs/product/<name>.json, byte for byte what shop.cgi answers at
 * /recs/product/<id>.json (both come from product_recs.h, read from shop.db after the
 * export). */
#include <stdio.h>
#include <string.h>

#include "report/catalog_pages.h"
#include "report/catalog_share.h"
#include "util/progress.h"
#include "web/cart.h"
#include "web/product_recs.h"

/* The page's two lists: what is bought with the product (from its recommendations,
 * as shop.db has them), and its category's best sellers that are not among those. */
static void add_recommendations(const struct catalog_build *cb, const struct catalog_product *p,
				const struct value *answer, struct value *data)
{
	struct value *together = catalog_grid(data, "together");
	struct value *popular = catalog_grid(data, "popular");
	const struct value *recs = value_map_get(answer, "recs");
	const struct catalog_product *shown[CATALOG_PAGE_RECS + 1] = {p};
	int shown_count = 1;
	for (size_t i = 0; recs && recs->type == VALUE_LIST && i < recs->as.list.len; i++) {
		const struct value *item = recs->as.list.items[i];
		const char *source = value_string_of(item, "source", "");
		const struct catalog_product *q =
			shop_catalog_find(cb->cat, value_string_of(item, "product_id", NULL));
		if (!q || strcmp(source, "bought_together") != 0 || shown_count > CATALOG_PAGE_RECS)
			continue;
		catalog_add_card(cb, q, "../", together);
		shown[shown_count++] = q;
	}
	const struct catalog_category *k = &cb->cat->categories[p->category_index];
	for (int i = 0; i < k->count && (int)popular->as.list.len < CATALOG_PAGE_RECS; i++) {
		const struct catalog_product *q = &cb->cat->products[k->products[i]];
		int seen = 0;
		for (int s = 0; s < shown_count && !seen; s++)
			seen = shown[s] == q;
		if (!seen && q->orders > 0)
			catalog_add_card(cb, q, "../", popular);
	}
	value_map_set_bool(data, "has_together", together->as.list.len > 0);
	value_map_set_bool(data, "has_popular", popular->as.list.len > 0);
}

/* Writes the product's recommendations file and puts its lists on the page. */
static int add_recs_file(struct catalog_build *cb, const struct catalog_product *p,
			 struct value *data, struct error *err)
{
	struct value *answer = value_map_new();
	struct buf json = BUF_INIT, path = BUF_INIT;
	const char *folder = cb->b->opt->recs_url ? cb->b->opt->recs_url : "recs";
	int rc = product_recs_describe(cb->shop, p->id, PRODUCT_RECS_DEFAULT_COUNT, answer, err);
	if (rc == 0)
		rc = error_set(err, ERR_SYSTEM, "product '%s' is missing from shop.db", p->id);
	if (rc == 1) {
		product_recs_json(answer, &json);
		buf_printf(&path, "%s/product/%s.json", folder, p->file);
		rc = site_add_page(cb->b->site, buf_str(&path), json.data, json.len, err);
	}
	if (rc == 0) {
		value_map_set_str(data, "recs_json", buf_str(&path));
		add_recommendations(cb, p, answer, data);
		cb->b->summary->recs_files++;
	}
	value_free(answer);
	buf_free(&json);
	buf_free(&path);
	return rc;
}

static void add_reviews(const struct catalog_product *p, struct value *data)
{
	struct value *list = value_map_add_list(data, "reviews");
	for (int i = 0; i < p->recent_count; i++) {
		const struct catalog_review *r = &p->recent[i];
		struct value *item = value_list_add_map(list);
		struct buf stars = BUF_INIT;
		for (int s = 0; s < 5; s++)
			buf_puts(&stars, s < r->rating ? "\xe2\x98\x85" : "\xe2\x98\x86");
		/* Set even when empty, so the page's own stars are not found instead. */
		value_map_set_str(item, "stars", r->rating > 0 ? buf_str(&stars) : "");
		value_map_set_int(item, "rating", r->rating);
		value_map_set_str(item, "title", r->title);
		value_map_set_str(item, "body", r->body);
		value_map_set_str(item, "date", r->date);
		buf_free(&stars);
	}
	value_map_set_bool(data, "has_recent_reviews", p->recent_count > 0);
}

/* What the page says about the product itself, and how to buy it. */
static void describe_product(struct catalog_build *cb, const struct catalog_product *p,
			     struct value *data)
{
	const struct catalog_category *k = &cb->cat->categories[p->category_index];
	struct buf t = BUF_INIT;
	value_map_set_str(data, "product_id", p->id);
	value_map_set_str(data, "name", p->name);
	value_map_set_str(data, "description", p->description);
	value_map_set_str(data, "subcategory", p->subcategory);
	value_map_set_str(data, "category_label", k->label);
	buf_printf(&t, "../category/%s.html", k->file);
	value_map_set_str(data, "category_href", buf_str(&t));
	buf_reset(&t);
	build_money(cb->b, p->price_cents, 1, &t);
	value_map_set_str(data, "price_text", buf_str(&t));
	buf_free(&t);
	catalog_set_stock(p, data);
	catalog_set_rating(p, data);
	catalog_set_tile(p->name, p->id, data);
	int sellable = catalog_id_is_sellable(p->id);
	if (!sellable)
		cb->unsellable++;
	value_map_set_bool(data, "can_buy", sellable && p->shop_stock != 0);
	value_map_set_bool(data, "not_sold_online", !sellable);
	value_map_set_int(data, "max_quantity",
			  p->shop_stock > 0 && p->shop_stock < CART_MAX_QUANTITY ? p->shop_stock : CART_MAX_QUANTITY);
	struct buf title = BUF_INIT;
	buf_printf(&title, "Popular in %s", k->name[0] ? k->label : "the shop");
	value_map_set_str(data, "popular_title", buf_str(&title));
	buf_free(&title);
}

static int product_page(struct catalog_build *cb, const struct catalog_product *p,
			struct error *err)
{
	struct value *data = value_map_new();
	catalog_page_common(cb, data, "../");
	describe_product(cb, p, data);
	add_reviews(p, data);
	int rc = add_recs_file(cb, p, data, err);
	if (rc < 0) {
		value_free(data);
		return rc;
	}
	struct buf path = BUF_INIT;
	buf_printf(&path, "shop/product/%s.html", p->file);
	rc = build_page(cb->b, "catalog/product", buf_str(&path), "shop/index", NULL, data, err);
	buf_free(&path);
	return rc;
}

/* The pages read shop.db in one transaction, so they all see the same export: each
 * query on its own took and dropped shop.db's locks, three a product (11,800 lock
 * calls for Online Retail's catalog, now none). */
int catalog_product_pages(struct catalog_build *cb, struct error *err)
{
	struct catalog_share *share = cb->b->catalog_share;
	int rc = shop_db_begin_read(cb->shop, err), at;
	while (rc == 0 && (at = catalog_share_next(share)) >= 0)
		rc = product_page(cb, &cb->cat->products[at], err);
	shop_db_end_read(cb->shop);
	if (rc < 0)
		catalog_share_stop(share);
	return rc;
}

int catalog_help(struct build *b, struct error *err)
{
	struct catalog_build cb;
	if (!b->opt->shop_db_path || !catalog_share_join(b->catalog_share, &cb))
		return 0;
	double cpu_started = thread_cpu_seconds();
	int pages_before = b->summary->pages;
	struct shop_db shop;
	int rc = 0;
	/* Without a connection of its own, this thread leaves the pages to the other. */
	if (db_open_shop_reader(b->opt->shop_db_path, &shop, err) == 0) {
		cb.b = b;
		cb.shop = &shop;
		cb.unsellable = 0;
		rc = catalog_product_pages(&cb, err);
		shop_db_close(&shop);
		b->summary->catalog_unsellable += cb.unsellable;
	}
	catalog_share_leave(b->catalog_share);
	b->summary->catalog_pages += b->summary->pages - pages_before;
	b->summary->catalog_cpu_seconds += thread_cpu_seconds() - cpu_started;
	return rc;
}
