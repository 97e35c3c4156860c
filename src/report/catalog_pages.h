/* catalog_pages: what the shop catalog's page builders share. The catalog lives under
 * out/shop/: index.html (the categories and best sellers), category/<name>.html (one
 * page of products per category, more when it is long) and product/<name>.html, with
 * each product's recommendations as static JSON in out/recs/product/<name>.json.
 * Every link between them is relative; forms post to the shop program's URL. */
#ifndef CARTOGRAPH_CATALOG_PAGES_H
#define CARTOGRAPH_CATALOG_PAGES_H

#include "report/build_internal.h"
#include "report/shop_catalog.h"
#include "web/shop_db.h"

/* Products on one page of a category. */
#define CATALOG_PAGE_SIZE 48
/* Best sellers on the catalog's front page. */
#define CATALOG_FRONT_BEST_SELLERS 8
/* Cards in each recommendation list of a product page. */
#define CATALOG_PAGE_RECS 4
/* "Only N left" from this many units down. */
#define CATALOG_LOW_STOCK 10

/* The catalog build in progress. */
struct catalog_build {
	struct build *b;                /* the site build */
	const struct shop_catalog *cat; /* what is sold, with stock as shop.db has it */
	struct shop_db *shop;           /* shop.db, for the recommendations */
	const char *css_href;           /* hashed style sheet, relative to out/ */
	const char *js_href;            /* hashed shop.js, relative to out/ */
	int unsellable;                 /* products whose id the shop program refuses */
};

/* Sets key in data to a grid of cards (grid.mustache) and returns its list to fill with
 * catalog_add_card. */
struct value *catalog_grid(struct value *data, const char *key);

/* Appends to list a product card: name, href (to_shop: the way from the page to
 * out/shop/), price_text, stock state, stars and, when it can be bought, can_buy and
 * the product id for a small add-to-cart form. */
void catalog_add_card(const struct catalog_build *cb, const struct catalog_product *p,
		      const char *to_shop, struct value *list);

/* Sets stock_text ("In stock", "Only 3 left", "Sold out"), stock_class (in, low, out)
 * and sold_out in map. */
void catalog_set_stock(const struct catalog_product *p, struct value *map);
/* Sets has_reviews and, when there are reviews, stars ("★★★★☆"), rating_text ("4.3"),
 * reviews_text ("27 reviews") in map. */
void catalog_set_rating(const struct catalog_product *p, struct value *map);
/* Sets tile_text (the first letter or digit of up to two words of name, upper-cased,
 * for the tile that stands in for a picture) and hue (0-7, from key) in map. */
void catalog_set_tile(const char *name, const char *key, struct value *map);

/* Sets what every catalog page needs in data: the style sheet, the script, the
 * catalog's front page, and the breadcrumb trail's first step. */
void catalog_page_common(const struct catalog_build *cb, struct value *data,
			 const char *to_shop);

/* Whether shop.cgi takes this product id in a form (its field rules). */
int catalog_id_is_sellable(const char *id);

/* The front page, the category pages, the product pages with their static
 * recommendation files. */
int catalog_front_page(struct catalog_build *cb, struct error *err);
int catalog_category_pages(struct catalog_build *cb, struct error *err);
int catalog_product_pages(struct catalog_build *cb, struct error *err);

#endif
