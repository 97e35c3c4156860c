/* shop_catalog: reading the shop catalog from the warehouse in a few whole-table queries
 * (thousands of products must not cost thousands of queries), grouping it into
 * categories, and naming every page. */
#include "report/shop_catalog.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "report/sales_walk.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* Products with a price and their review summary, in id order (bytewise, which is how
 * shop_catalog_find searches). */
static const char products_sql[] =
	"SELECT p.product_id, p.name, coalesce(p.description, ''), coalesce(p.category, ''),"
	" coalesce(p.subcategory, ''), p.price_cents, p.stock, coalesce(r.n, 0),"
	" coalesce(r.mean, 0)"
	" FROM products p"
	" LEFT JOIN (SELECT product_id, count(rating) AS n, avg(rating) AS mean FROM reviews"
	"   GROUP BY product_id) r ON r.product_id = p.product_id"
	" WHERE p.price_cents > 0 ORDER BY p.product_id";

/* The sales, order by order (sales_walk.h). */
static const char completed_orders_sql[] =
	"SELECT order_id FROM orders WHERE status = 'completed' ORDER BY order_id";
static const char sales_items_sql[] =
	"SELECT order_id, product_id FROM order_items WHERE flags = 0 ORDER BY order_id, line_no";

/* The newest reviews with text of each product. */
static const char recent_reviews_sql[] =
	"SELECT product_id, coalesce(rating, 0), coalesce(title, ''), body,"
	" substr(coalesce(review_date, ''), 1, 10) FROM ("
	"  SELECT *, row_number() OVER (PARTITION BY product_id"
	"    ORDER BY review_date DESC, review_id) AS k"
	"  FROM reviews WHERE product_id IS NOT NULL AND body IS NOT NULL AND body <> '')"
	" WHERE k <= ?1 ORDER BY product_id, k";

/* What shoppers read for products without a category. */
static const char no_category_label[] = "Other products";

/* A key to sort by with the index it came from. */
struct keyed {
	const char *key;
	int index;
};

static int compare_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static char *column_copy(sqlite3_stmt *st, int col)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	return xstrdup(text ? (const char *)text : "");
}

static int is_slug_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int shop_catalog_slug(const char *text, struct buf *out)
{
	size_t start = out->len;
	int says_all = 1, dash_pending = 0;
	const unsigned char *p = (const unsigned char *)text;
	for (; *p; p++) {
		if (!is_slug_char(*p)) {
			/* A dash keeps the meaning only alone and between two letters or digits. */
			if (*p != '-' || dash_pending || out->len == start)
				says_all = 0;
			dash_pending = 1;
			continue;
		}
		size_t room = dash_pending && out->len > start ? 2 : 1;
		if (out->len - start + room > CATALOG_SLUG_MAX) {
			says_all = 0;
			break;
		}
		if (dash_pending && out->len > start)
			buf_putc(out, '-');
		dash_pending = 0;
		buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	}
	if (dash_pending)
		says_all = 0;
	return says_all && out->len > start;
}

/* Writes slug-or-fallback, a dash and the first digits hex digits of text's SHA-256. */
static char *hashed_name(const char *slug, const char *fallback, const char *text, int digits)
{
	char hex[65];
	sha256_hex_of(text, strlen(text), hex);
	struct buf name = BUF_INIT;
	buf_printf(&name, "%s-%.*s", slug[0] ? slug : fallback, digits, hex);
	return buf_detach(&name);
}

/* Whether two names of the sorted list are the same; marks each such name in clash. */
static int find_clashes(char **names, int count, unsigned char *clash)
{
	struct keyed *order = xmalloc((size_t)(count ? count : 1) * sizeof *order);
	for (int i = 0; i < count; i++)
		order[i] = (struct keyed){names[i], i};
	qsort(order, (size_t)count, sizeof *order, compare_keyed);
	int any = 0;
	for (int i = 1; i < count; i++)
		if (strcmp(order[i - 1].key, order[i].key) == 0) {
			clash[order[i - 1].index] = clash[order[i].index] = 1;
			any = 1;
		}
	free(order);
	return any;
}

int shop_catalog_name_files(const char *const *texts, int count, int exact, const char *fallback,
			    char **names, struct error *err)
{
	assert(count >= 0);
	size_t n = (size_t)count;
	char **slugs = xcalloc(n ? n : 1, sizeof *slugs);
	unsigned char *plain = xcalloc(n ? n : 1, 1);
	unsigned char *clash = xcalloc(n ? n : 1, 1);
	int rc = 0;
	for (int i = 0; i < count; i++) {
		struct buf slug = BUF_INIT;
		plain[i] = (unsigned char)shop_catalog_slug(texts[i], &slug);
		if (!exact && slug.len > 0 && slug.len < CATALOG_SLUG_MAX)
			plain[i] = 1; /* a label may lose its punctuation, not its words */
		buf_putc(&slug, '\0'); /* an empty slug is "" too */
		slugs[i] = buf_detach(&slug);
	}
	/* Two texts with the same plain slug ("P1" and "p1") both take a hash. */
	find_clashes(slugs, count, clash);
	for (int i = 0; i < count; i++)
		names[i] = plain[i] && !clash[i] ? xstrdup(slugs[i])
						 : hashed_name(slugs[i], fallback, texts[i], 8);
	memset(clash, 0, n);
	if (find_clashes(names, count, clash)) {
		for (int i = 0; i < count; i++)
			if (clash[i] && !(plain[i] && strcmp(names[i], slugs[i]) == 0)) {
				free(names[i]);
				names[i] = hashed_name(slugs[i], fallback, texts[i], 16);
			}
		memset(clash, 0, n);
		if (find_clashes(names, count, clash))
			rc = error_set(err, ERR_SYSTEM, "two catalog names share a page name");
	}
	for (int i = 0; i < count; i++)
		free(slugs[i]);
	free(slugs);
	free(plain);
	free(clash);
	return rc;
}

static struct catalog_product *add_product(struct shop_catalog *cat, int *cap)
{
	if (cat->count == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		cat->products = xreallocarray(cat->products, (size_t)*cap, sizeof *cat->products);
	}
	struct catalog_product *p = &cat->products[cat->count++];
	memset(p, 0, sizeof *p);
	return p;
}

static int load_products(sqlite3 *db, struct shop_catalog *cat, struct error *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, products_sql, &st, err) < 0)
		return ERR_SYSTEM;
	int rc, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct catalog_product *p = add_product(cat, &cap);
		p->id = column_copy(st, 0);
		p->name = column_copy(st, 1);
		p->description = column_copy(st, 2);
		p->category = column_copy(st, 3);
		p->subcategory = column_copy(st, 4);
		p->price_cents = sqlite3_column_int64(st, 5);
		p->shop_stock = CATALOG_STOCK_UNKNOWN;
		if (sqlite3_column_type(st, 6) == SQLITE_NULL)
			p->stock = CATALOG_STOCK_UNKNOWN;
		else
			p->stock = sqlite3_column_int64(st, 6) > 0 ? sqlite3_column_int64(st, 6) : 0;
		p->reviews = sqlite3_column_int(st, 7);
		p->mean_rating = sqlite3_column_double(st, 8);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading the catalog");
}

static int load_recent_reviews(sqlite3 *db, struct shop_catalog *cat, struct error *err)
{
	sqlite3_stmt *st;
	if (db_prepare(db, recent_reviews_sql, &st, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_int(st, 1, CATALOG_RECENT_REVIEWS);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct catalog_product *p = shop_catalog_find(cat, (const char *)sqlite3_column_text(st, 0));
		if (!p || p->recent_count == CATALOG_RECENT_REVIEWS)
			continue;
		struct catalog_review *r = &p->recent[p->recent_count++];
		r->rating = sqlite3_column_int(st, 1);
		r->title = column_copy(st, 2);
		r->body = column_copy(st, 3);
		r->date = column_copy(st, 4);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading reviews");
}

/* Ends the basket begun at items[from]: keeps each product once and counts one more
 * order for it. A product seen in this basket is marked by a negative count (-orders - 1)
 * until the basket is closed; unmarking it (-count) adds the order. */
static void close_basket(struct shop_catalog *cat, int from, int *len, int *cap)
{
	struct catalog_baskets *b = &cat->baskets;
	int kept = from;
	for (int i = from; i < *len; i++) {
		struct catalog_product *p = &cat->products[b->items[i]];
		if (p->orders < 0)
			continue; /* already in this basket */
		p->orders = -p->orders - 1;
		b->items[kept++] = b->items[i];
	}
	for (int i = from; i < kept; i++) {
		struct catalog_product *p = &cat->products[b->items[i]];
		p->orders = -p->orders;
		assert(p->orders > 0);
	}
	*len = kept;
	if (kept == from)
		return;
	if (b->count + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		b->starts = xreallocarray(b->starts, (size_t)*cap, sizeof *b->starts);
	}
	b->starts[b->count++] = from;
	b->starts[b->count] = kept;
}

/* Reads the sales into baskets of catalog products, an order's lines one basket, and
 * counts each product's orders. */
static int read_baskets(sqlite3 *db, struct shop_catalog *cat, struct error *err)
{
	struct catalog_baskets *b = &cat->baskets;
	struct sales_walk w;
	if (sales_walk_open(&w, db, completed_orders_sql, NULL, 0, sales_items_sql, err) < 0)
		return ERR_SYSTEM;
	int rc, len = 0, items_cap = 0, starts_cap = 0, from = 0;
	while ((rc = sales_walk_next(&w, err)) == 1) {
		if (w.new_order) {
			close_basket(cat, from, &len, &starts_cap);
			from = len;
		}
		const struct catalog_product *p =
			shop_catalog_find(cat, (const char *)sqlite3_column_text(w.items, 1));
		if (sqlite3_column_bytes(w.items, 0) == 0 || !p)
			continue;
		if (len == items_cap) {
			items_cap = items_cap ? items_cap * 2 : 4096;
			b->items = xreallocarray(b->items, (size_t)items_cap, sizeof *b->items);
		}
		b->items[len++] = (int)(p - cat->products);
	}
	close_basket(cat, from, &len, &starts_cap);
	sales_walk_close(&w);
	return rc;
}

/* A product being ranked: best sellers first, by orders, then name, then id. */
struct popularity {
	long long orders;     /* completed orders holding it */
	const char *name, *id;
	int index;            /* into catalog.products */
};

static int compare_popularity(const void *a, const void *b)
{
	const struct popularity *x = a, *y = b;
	if (x->orders != y->orders)
		return x->orders > y->orders ? -1 : 1;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->id, y->id);
}

static void rank_best_sellers(struct shop_catalog *cat)
{
	struct popularity *order = xmalloc((size_t)(cat->count ? cat->count : 1) * sizeof *order);
	for (int i = 0; i < cat->count; i++) {
		const struct catalog_product *p = &cat->products[i];
		order[i] = (struct popularity){p->orders, p->name, p->id, i};
	}
	qsort(order, (size_t)cat->count, sizeof *order, compare_popularity);
	cat->best_sellers = xmalloc((size_t)(cat->count ? cat->count : 1) * sizeof(int));
	for (int i = 0; i < cat->count; i++)
		cat->best_sellers[i] = order[i].index;
	free(order);
}

/* Makes one category per distinct name, sorted by label, each listing its products in
 * best-seller order, and names their pages. */
static int group_categories(struct shop_catalog *cat, struct error *err)
{
	size_t n = (size_t)(cat->count ? cat->count : 1);
	struct keyed *by_name = xmalloc(n * sizeof *by_name);
	int *group_of = xmalloc(n * sizeof *group_of); /* product -> group, in name order */
	for (int i = 0; i < cat->count; i++)
		by_name[i] = (struct keyed){cat->products[i].category, i};
	qsort(by_name, (size_t)cat->count, sizeof *by_name, compare_keyed);
	struct keyed *labels = xmalloc(n * sizeof *labels); /* group label -> group */
	int groups = 0;
	for (int i = 0; i < cat->count; i++) {
		if (i == 0 || strcmp(by_name[i].key, by_name[i - 1].key) != 0) {
			const char *name = by_name[i].key;
			labels[groups] = (struct keyed){name[0] ? name : no_category_label, groups};
			groups++;
		}
		group_of[by_name[i].index] = groups - 1;
	}
	assert(groups <= cat->count);
	qsort(labels, (size_t)groups, sizeof *labels, compare_keyed);
	int *place_of = xmalloc(n * sizeof *place_of); /* group -> place in label order */
	cat->category_count = groups;
	cat->categories = xcalloc((size_t)(groups ? groups : 1), sizeof *cat->categories);
	for (int c = 0; c < groups; c++)
		place_of[labels[c].index] = c;
	for (int i = 0; i < cat->count; i++) {
		struct catalog_product *p = &cat->products[i];
		struct catalog_category *k = &cat->categories[place_of[group_of[i]]];
		p->category_index = place_of[group_of[i]];
		if (!k->name) {
			k->name = xstrdup(p->category);
			k->label = xstrdup(p->category[0] ? p->category : no_category_label);
		}
		k->count++;
	}
	const char **texts = xmalloc((size_t)(groups ? groups : 1) * sizeof *texts);
	char **files = xcalloc((size_t)(groups ? groups : 1), sizeof *files);
	for (int c = 0; c < groups; c++) {
		struct catalog_category *k = &cat->categories[c];
		k->products = xmalloc((size_t)k->count * sizeof *k->products);
		k->count = 0;
		texts[c] = k->label;
	}
	for (int r = 0; r < cat->count; r++) {
		int i = cat->best_sellers[r];
		struct catalog_category *k = &cat->categories[cat->products[i].category_index];
		k->products[k->count++] = i;
	}
	int rc = shop_catalog_name_files(texts, groups, 0, "category", files, err);
	for (int c = 0; c < groups; c++)
		cat->categories[c].file = files[c];
	free(files);
	free(texts);
	free(place_of);
	free(labels);
	free(group_of);
	free(by_name);
	return rc;
}

/* Names every product's page after its id. */
static int name_product_files(struct shop_catalog *cat, struct error *err)
{
	size_t n = (size_t)(cat->count ? cat->count : 1);
	const char **ids = xmalloc(n * sizeof *ids);
	char **files = xcalloc(n, sizeof *files);
	for (int i = 0; i < cat->count; i++)
		ids[i] = cat->products[i].id;
	int rc = shop_catalog_name_files(ids, cat->count, 1, "product", files, err);
	for (int i = 0; i < cat->count; i++)
		cat->products[i].file = files[i];
	free(files);
	free(ids);
	return rc;
}

/* Interns the products' ids in their order, so that product i has handle i + 1: the
 * baskets alone look up half a million ids. */
static void index_ids(struct shop_catalog *cat)
{
	string_pool_init(&cat->ids);
	for (int i = 0; i < cat->count; i++) {
		const char *id = cat->products[i].id;
		uint32_t handle = string_pool_intern(&cat->ids, id, strlen(id));
		assert(handle == (uint32_t)i + 1); /* the ids are the products' key: distinct */
		(void)handle;
	}
}

int shop_catalog_load(sqlite3 *db, struct shop_catalog *cat, struct error *err)
{
	memset(cat, 0, sizeof *cat);
	int rc = load_products(db, cat, err);
	if (rc == 0) {
		index_ids(cat);
		rc = load_recent_reviews(db, cat, err);
	}
	if (rc == 0)
		rc = read_baskets(db, cat, err);
	if (rc == 0) {
		rank_best_sellers(cat);
		rc = group_categories(cat, err);
	}
	if (rc == 0)
		rc = name_product_files(cat, err);
	if (rc < 0)
		shop_catalog_free(cat);
	return rc;
}

struct catalog_product *shop_catalog_find(const struct shop_catalog *cat, const char *id)
{
	uint32_t handle = id ? string_pool_find(&cat->ids, id, strlen(id)) : 0;
	return handle ? &cat->products[handle - 1] : NULL;
}

void shop_catalog_free(struct shop_catalog *cat)
{
	for (int i = 0; i < cat->count; i++) {
		struct catalog_product *p = &cat->products[i];
		free(p->id);
		free(p->name);
		free(p->description);
		free(p->category);
		free(p->subcategory);
		free(p->file);
		for (int r = 0; r < p->recent_count; r++) {
			free(p->recent[r].title);
			free(p->recent[r].body);
			free(p->recent[r].date);
		}
	}
	for (int c = 0; c < cat->category_count; c++) {
		free(cat->categories[c].name);
		free(cat->categories[c].label);
		free(cat->categories[c].file);
		free(cat->categories[c].products);
	}
	free(cat->products);
	string_pool_free(&cat->ids);
	free(cat->categories);
	free(cat->best_sellers);
	free(cat->baskets.starts);
	free(cat->baskets.items);
	memset(cat, 0, sizeof *cat);
}
