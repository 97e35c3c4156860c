/* shop_export: `cartograph build` hands the catalog to the shop: products with their
 * price, stock and category, and the recommendation tables (product_recs,
 * customer_recs, popular_by_category), written into shop.db.
 *
 * The one idea: shop.db is live. Shoppers have carts open and place orders while a
 * build runs, so everything is read from the warehouse first and then written in one
 * short write transaction: products are upserted (never replaced), the recommendation
 * tables are replaced whole, and a product that left the catalog is deleted only when
 * no cart, order or review refers to it; otherwise it stays, sold out (stock 0).
 *
 * Stock: the warehouse knows the count the last products file gave; shop.db knows
 * what web orders took since. A product's stock in shop.db is the file's count less the
 * units web orders took from the second that file was loaded on, so a build never puts
 * back units the shop already sold (an order in that very second counts as after it). A product whose exports never gave a count is always
 * available: it gets SHOP_EXPORT_UNTRACKED_STOCK units at every build.
 *
 * Recommendations come from the model stage's tables when the warehouse has them
 * (item_neighbors, customer_recs, popular_by_category) and otherwise from plain counts:
 * the products most often in the same orders, and each category's best sellers. */
#ifndef CARTOGRAPH_SHOP_EXPORT_H
#define CARTOGRAPH_SHOP_EXPORT_H

#include <sqlite3.h>

#include "report/shop_catalog.h"
#include "util/error.h"
#include "web/shop_db.h"

/* Units a product without a stock count has in the shop. */
#define SHOP_EXPORT_UNTRACKED_STOCK 1000
/* Neighbours kept per product, best sellers kept per category. */
#define SHOP_EXPORT_NEIGHBOURS 10
#define SHOP_EXPORT_POPULAR 20
/* Orders with more distinct products than this are left out of the co-purchase counts
 * (a wholesale order of 500 products says little about what goes together). */
#define SHOP_EXPORT_MAX_BASKET 50

struct shop_export_summary {
	int products;            /* products written, new or updated */
	int unavailable;         /* products gone from the catalog, kept sold out because a
	                            cart, order or review refers to them */
	int removed;             /* products gone from the catalog and deleted */
	int product_recs;        /* rows written into each recommendation table */
	int customer_recs;
	int popular;
	const char *recs_source; /* "item_neighbors" or "co-purchase counts" */
	double write_seconds;    /* how long shop.db was held for writing */
};

/* Writes the catalog and the recommendations into shop, and sets each product's
 * shop_stock in cat to what shop.db holds after the export. Returns 0 or a negative code (then
 * shop.db is as it was). */
int shop_export(sqlite3 *warehouse, struct shop_catalog *cat, struct shop_db *shop,
		struct shop_export_summary *summary, struct error *err);

#endif
