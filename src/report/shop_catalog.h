/* shop_catalog: the shop catalog as `cartograph build` renders and exports it: every product
 * of the warehouse that has a price, with its category, stock, review summary, recent
 * reviews and popularity, grouped into categories, each with the name of its page.
 *
 * The one idea: product ids and category names come from shop exports and may hold any
 * characters, so a page's file name is never the id itself. It is a slug (lower-case
 * letters, digits and dashes) when that says the same thing as the id, case aside, and
 * no other product's slug is the same; otherwise the slug followed by 8 hex digits of
 * the id's SHA-256. Category pages are named the same way, but "Home & Garden" may
 * keep the plain home-garden. Names depend only on the catalog, so every build gives the same
 * ones, and they are the same on file systems that ignore case. */
#ifndef CARTOGRAPH_SHOP_CATALOG_H
#define CARTOGRAPH_SHOP_CATALOG_H

#include <sqlite3.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/string_pool.h"

/* Stock of a product whose exports never said how many there are. */
#define CATALOG_STOCK_UNKNOWN (-1)
/* Longest slug before the hash, in bytes. */
#define CATALOG_SLUG_MAX 48
/* Recent reviews kept per product for its page. */
#define CATALOG_RECENT_REVIEWS 3

struct catalog_review {
	int rating;          /* 1..5, 0 when the review has none */
	char *title;         /* "" when none */
	char *body;          /* the text as written */
	char *date;          /* YYYY-MM-DD */
};

struct catalog_product {
	char *id;            /* the warehouse's product_id */
	char *name;
	char *description;   /* "" when none */
	char *category;      /* "" when none */
	char *subcategory;   /* "" when none */
	long long price_cents;
	long long stock;     /* units the exports gave, or CATALOG_STOCK_UNKNOWN */
	long long shop_stock; /* units shoppers can buy: what shop.db holds after
	                         shop_export; CATALOG_STOCK_UNKNOWN before */
	int reviews;         /* reviews with a rating */
	double mean_rating;  /* their mean, 0 when there are none */
	long long orders;    /* completed orders holding it (baskets): its popularity */
	char *file;          /* page name stem, unique among products: "p1001" */
	int category_index;  /* into catalog.categories */
	struct catalog_review recent[CATALOG_RECENT_REVIEWS]; /* newest first, with text */
	int recent_count;
};

struct catalog_category {
	char *name;          /* as in the data; "" for products without one */
	char *label;         /* what shoppers read ("Other products" for "") */
	char *file;          /* page name stem, unique among categories */
	int *products;       /* indexes into catalog.products, best sellers first */
	int count;           /* products in it */
};

/* The completed orders as lists of catalog products: what popularity and co-purchase
 * counts are made from. */
struct catalog_baskets {
	int *starts;   /* basket b holds items[starts[b]] up to items[starts[b + 1]] */
	int *items;    /* indexes into catalog.products, each once per basket */
	int count;     /* baskets */
};

struct shop_catalog {
	struct catalog_product *products;     /* sorted by id (bytewise) */
	int count;
	struct string_pool ids;               /* the products' ids: product i is handle
						 i + 1 */
	struct catalog_baskets baskets;       /* the orders, read once */
	struct catalog_category *categories;  /* sorted by label */
	int category_count;
	int *best_sellers;                    /* every product, best sellers first */
};

/* Reads the catalog from the warehouse's typed tables and names its pages. Returns 0 or
 * a negative code. */
int shop_catalog_load(sqlite3 *db, struct shop_catalog *cat, struct error *err);
void shop_catalog_free(struct shop_catalog *cat);

/* The product with this id, or NULL. */
struct catalog_product *shop_catalog_find(const struct shop_catalog *cat, const char *id);

/* Appends the slug of text: ASCII letters (lower-cased) and digits, every other run of
 * bytes one dash, no dash at either end, at most CATALOG_SLUG_MAX bytes. Returns 1 when
 * the slug says all the text says but its case (text is only ASCII letters, digits and
 * single inner dashes, and was not cut), else 0. */
int shop_catalog_slug(const char *text, struct buf *out);

/* Gives each of the count texts a file name stem in names[i] (malloc'd): its slug when
 * no other text has the same slug and, for exact texts (ids), the slug says all the
 * text says; else the slug (or fallback when it is empty), a dash and hex digits of the
 * text's SHA-256. Labels (exact 0) keep a plain name when it is not cut: "Garden &
 * Patio" is garden-patio. The stems are unique. Returns 0, or ERR_SYSTEM in the unlikely
 * case that 16 hex digits still collide. */
int shop_catalog_name_files(const char *const *texts, int count, int exact, const char *fallback,
			    char **names, struct error *err);

#endif
