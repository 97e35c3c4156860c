/* Unit tests of the shop catalog: page names made from any product id, the catalog read
 * from the warehouse, its export into a live shop.db (carts and orders untouched, stock
 * never handed back, recommendations from the model's tables or from co-purchase
 * counts), and the static recommendation file being what shop.cgi answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "report/shop_catalog.h"
#include "report/shop_export.h"
#include "report/site_path.h"
#include "temp_warehouse.h"
#include "web/product_recs.h"
#include "web/shop.h"

/* A warehouse with three kitchen products, one garden product without a stock count,
 * and orders: P1 and P2 together twice, P1 and P3 once; P4 alone. */
static const char seed_sql[] =
	"INSERT INTO products (product_id, name, description, category, subcategory,"
	" price_cents, stock) VALUES"
	" ('P1', 'Blue mug', 'A mug', 'Kitchen', 'Mugs', 1250, 40),"
	" ('P2', 'Teapot', NULL, 'Kitchen', NULL, 3400, 5),"
	" ('P3', 'Tea towel', NULL, 'Kitchen', NULL, 650, 0),"
	" ('P4', 'Trowel', NULL, 'Garden', NULL, 900, NULL),"
	" ('FREE', 'Sample', NULL, 'Kitchen', NULL, 0, 10);"
	"INSERT INTO orders (order_id, customer_id, order_time, status) VALUES"
	" ('o1', 'c1', '2024-01-01 10:00:00', 'completed'),"
	" ('o2', 'c2', '2024-01-02 10:00:00', 'completed'),"
	" ('o3', 'c3', '2024-01-03 10:00:00', 'completed'),"
	" ('o4', 'c1', '2024-01-04 10:00:00', 'completed'),"
	" ('o5', 'c1', '2024-01-05 10:00:00', 'cancelled');"
	"INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price_cents,"
	" line_total_cents, flags) VALUES"
	" ('o1', 1, 'P1', 1, 1250, 1250, 0), ('o1', 2, 'P2', 1, 3400, 3400, 0),"
	" ('o2', 1, 'P2', 1, 3400, 3400, 0), ('o2', 2, 'P1', 2, 1250, 2500, 0),"
	" ('o2', 3, 'P1', 1, 1250, 1250, 0),"
	" ('o3', 1, 'P1', 1, 1250, 1250, 0), ('o3', 2, 'P3', 1, 650, 650, 0),"
	" ('o4', 1, 'P4', 1, 900, 900, 0), ('o5', 1, 'P3', 1, 650, 650, 0);"
	"INSERT INTO reviews (review_id, product_id, rating, title, body, review_date) VALUES"
	" ('r1', 'P1', 5, 'Great', 'Keeps tea hot', '2024-02-01'),"
	" ('r2', 'P1', 4, '', 'Nice', '2024-03-01'),"
	" ('r3', 'P2', NULL, '', '', '2024-03-01');"
	"INSERT INTO ingest_runs (kind, file_name, path, sha256, bytes, delimiter, columns,"
	" date_formats, rows_read, rows_loaded, rows_rejected, loaded_at) VALUES"
	" ('products', 'products.csv', 'products.csv', 'x', 1, ',', '[]', '{}', 4, 4, 0,"
	"  '2025-01-01T00:00:00Z');";

struct fixture {
	sqlite3 *wh;
	char wh_path[64];
	char shop_path[64];
	struct shop_db shop;
	struct shop_catalog cat;
};

static void remove_db(const char *path)
{
	char side[80];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-writer", path);
	unlink(side);
}

static void open_fixture(struct fixture *f, const char *extra_sql)
{
	struct error err;
	memset(f, 0, sizeof *f);
	f->wh = temp_warehouse_open(f->wh_path);
	CHECK(f->wh != NULL);
	CHECK_INT(db_exec(f->wh, seed_sql, &err), 0);
	if (extra_sql)
		CHECK_INT(db_exec(f->wh, extra_sql, &err), 0);
	snprintf(f->shop_path, sizeof f->shop_path, "/tmp/cartograph-test-shop-%d.db", (int)getpid());
	remove_db(f->shop_path);
	CHECK_INT(db_open_shop(f->shop_path, &f->shop, &err), 0);
	CHECK_INT(shop_catalog_load(f->wh, &f->cat, &err), 0);
}

static void close_fixture(struct fixture *f)
{
	shop_catalog_free(&f->cat);
	shop_db_close(&f->shop);
	remove_db(f->shop_path);
	temp_warehouse_remove(f->wh, f->wh_path);
}

static long long shop_int(struct fixture *f, const char *sql)
{
	return db_query_int(f->shop.db, sql, NULL, -999);
}

static void test_slug_of_a_plain_id_is_the_id_in_lower_case(void)
{
	struct buf b = BUF_INIT;
	CHECK_INT(shop_catalog_slug("P1001", &b), 1);
	CHECK_STR(buf_str(&b), "p1001");
	buf_reset(&b);
	CHECK_INT(shop_catalog_slug("kitchen-towel-2", &b), 1);
	CHECK_STR(buf_str(&b), "kitchen-towel-2");
	buf_free(&b);
}

static void test_slug_turns_every_other_run_of_characters_into_one_dash(void)
{
	struct buf b = BUF_INIT;
	CHECK_INT(shop_catalog_slug("../Mugs & Jugs/ Ünï", &b), 0);
	CHECK_STR(buf_str(&b), "mugs-jugs-n");
	buf_reset(&b);
	CHECK_INT(shop_catalog_slug("gift_0001", &b), 0);
	CHECK_STR(buf_str(&b), "gift-0001");
	buf_reset(&b);
	CHECK_INT(shop_catalog_slug("a--b", &b), 0);
	CHECK_STR(buf_str(&b), "a-b");
	buf_reset(&b);
	CHECK_INT(shop_catalog_slug("///", &b), 0);
	CHECK_STR(buf_str(&b), "");
	buf_free(&b);
}

static void test_long_ids_are_cut_and_then_need_a_hash(void)
{
	char id[300];
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	struct buf b = BUF_INIT;
	CHECK_INT(shop_catalog_slug(id, &b), 0);
	CHECK_INT(b.len, CATALOG_SLUG_MAX);
	buf_free(&b);
}

static void test_page_names_are_safe_unique_and_the_same_every_time(void)
{
	char long_id[300];
	memset(long_id, 'x', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	const char *ids[] = {"85123A", "P1", "p1", "a/b", "a b", "../etc/passwd", "..", ".", "",
			     "Ünïcödé", "mug\"<script>", "gift_0001", long_id, "x\ny", "CON"};
	int n = (int)(sizeof ids / sizeof ids[0]);
	char *names[sizeof ids / sizeof ids[0]], *again[sizeof ids / sizeof ids[0]];
	struct error err;
	CHECK_INT(shop_catalog_name_files(ids, n, 1, "product", names, &err), 0);
	CHECK_INT(shop_catalog_name_files(ids, n, 1, "product", again, &err), 0);
	for (int i = 0; i < n; i++) {
		char path[SITE_PATH_MAX];
		snprintf(path, sizeof path, "shop/product/%s.html", names[i]);
		if (site_path_check(path, strlen(path), &err) != 0)
			printf("    unsafe name for id %d: %s (%s)\n", i, names[i], err.msg);
		CHECK_INT(site_path_check(path, strlen(path), &err), 0);
		CHECK_STR(names[i], again[i]);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(names[i], names[j]) != 0);
		CHECK(strlen(names[i]) <= CATALOG_SLUG_MAX + 17);
	}
	CHECK_STR(names[0], "85123a");   /* a plain id keeps its plain name */
	CHECK(strncmp(names[1], "p1-", 3) == 0 && strlen(names[1]) == 11); /* P1 and p1 clash: */
	CHECK(strncmp(names[2], "p1-", 3) == 0 && strlen(names[2]) == 11); /* both get a hash */
	CHECK(strncmp(names[3], "a-b-", 4) == 0); /* "a/b" and "a b" both read a-b */
	CHECK(strncmp(names[8], "product-", 8) == 0); /* nothing to slug: the fallback */
	CHECK_STR(names[14], "con");
	for (int i = 0; i < n; i++) {
		free(names[i]);
		free(again[i]);
	}
}

static void test_category_labels_keep_plain_names_unless_two_read_the_same(void)
{
	const char *labels[] = {"Home & Garden", "Toys", "toys!", "Other products"};
	char *names[4];
	struct error err;
	CHECK_INT(shop_catalog_name_files(labels, 4, 0, "category", names, &err), 0);
	CHECK_STR(names[0], "home-garden");
	CHECK(strncmp(names[1], "toys-", 5) == 0 && strlen(names[1]) == 13);
	CHECK(strncmp(names[2], "toys-", 5) == 0 && strcmp(names[1], names[2]) != 0);
	CHECK_STR(names[3], "other-products");
	for (int i = 0; i < 4; i++)
		free(names[i]);
}

static void test_catalog_has_priced_products_best_sellers_first_in_categories(void)
{
	struct fixture f;
	open_fixture(&f, NULL);
	CHECK_INT(f.cat.count, 4); /* FREE has no price: not sold */
	CHECK_INT(f.cat.category_count, 2);
	CHECK_STR(f.cat.categories[0].label, "Garden");
	CHECK_STR(f.cat.categories[1].label, "Kitchen");
	CHECK_STR(f.cat.categories[1].file, "kitchen");
	const struct catalog_category *kitchen = &f.cat.categories[1];
	CHECK_INT(kitchen->count, 3);
	CHECK_STR(f.cat.products[kitchen->products[0]].id, "P1"); /* in 3 orders */
	CHECK_STR(f.cat.products[kitchen->products[1]].id, "P2"); /* in 2 */
	const struct catalog_product *p1 = shop_catalog_find(&f.cat, "P1");
	CHECK(p1 != NULL);
	CHECK_INT(p1->orders, 3); /* o2 holds it twice: one order */
	CHECK_INT(p1->reviews, 2);
	CHECK_NEAR(p1->mean_rating, 4.5, 1e-9);
	CHECK_INT(p1->recent_count, 2);
	CHECK_STR(p1->recent[0].body, "Nice"); /* newest first */
	CHECK_STR(p1->file, "p1");
	CHECK_INT(shop_catalog_find(&f.cat, "P4")->stock, CATALOG_STOCK_UNKNOWN);
	CHECK_INT(shop_catalog_find(&f.cat, "P3")->orders, 1); /* the cancelled order is no sale */
	CHECK(shop_catalog_find(&f.cat, "FREE") == NULL);
	close_fixture(&f);
}

/* Three thousand more products, ids of many lengths: each is found as itself, and ids
 * that are not in the catalog (a prefix, an extension, a case change) are not. */
static void test_every_product_is_found_by_its_id_and_no_other(void)
{
	struct fixture f;
	open_fixture(&f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			 " WHERE i < 3000) INSERT INTO products (product_id, name, price_cents)"
			 " SELECT 'x' || substr('abcdefgh', 1, i % 9) || i, 'Item ' || i, 100 + i"
			 " FROM n;");
	CHECK_INT(f.cat.count, 3004);
	int found = 0;
	for (int i = 0; i < f.cat.count; i++)
		found += shop_catalog_find(&f.cat, f.cat.products[i].id) == &f.cat.products[i];
	CHECK_INT(found, 3004);
	CHECK(shop_catalog_find(&f.cat, "xa1") != NULL);
	CHECK(shop_catalog_find(&f.cat, "xa") == NULL);
	CHECK(shop_catalog_find(&f.cat, "xab1") == NULL);
	CHECK(shop_catalog_find(&f.cat, "XA1") == NULL);
	CHECK(shop_catalog_find(&f.cat, "") == NULL);
	CHECK(shop_catalog_find(&f.cat, NULL) == NULL);
	close_fixture(&f);
}

static void test_export_writes_the_catalog_and_sets_the_shop_stock(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f, NULL);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	CHECK_INT(sum.products, 4);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM products"), 4);
	CHECK_INT(shop_int(&f, "SELECT price_cents FROM products WHERE id = 'P2'"), 3400);
	CHECK_INT(shop_int(&f, "SELECT stock FROM products WHERE id = 'P1'"), 40);
	CHECK_INT(shop_int(&f, "SELECT stock FROM products WHERE id = 'P4'"), SHOP_EXPORT_UNTRACKED_STOCK);
	CHECK_INT(shop_catalog_find(&f.cat, "P4")->shop_stock, SHOP_EXPORT_UNTRACKED_STOCK);
	CHECK_INT(shop_catalog_find(&f.cat, "P4")->stock, CATALOG_STOCK_UNKNOWN);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM products WHERE category = 'Kitchen'"), 3);
	close_fixture(&f);
}

static void test_export_falls_back_to_co_purchase_counts(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f, NULL);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	CHECK_STR(sum.recs_source, "co-purchase counts");
	/* P1 was bought with P2 twice and with P3 once. */
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM product_recs WHERE product_id = 'P1'"), 2);
	CHECK_INT(shop_int(&f, "SELECT score FROM product_recs WHERE product_id = 'P1' AND rank = 1"), 2);
	CHECK_INT(shop_int(&f, "SELECT rec_product_id = 'P2' FROM product_recs WHERE product_id = 'P1' AND rank = 1"), 1);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM product_recs WHERE product_id = 'P4'"), 0);
	/* Best sellers: the whole shop under '' and each category. */
	CHECK_INT(shop_int(&f, "SELECT product_id = 'P1' FROM popular_by_category WHERE category = '' AND rank = 1"), 1);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM popular_by_category WHERE category = 'Garden'"), 1);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM customer_recs"), 0);
	close_fixture(&f);
}

static void test_export_uses_the_model_tables_when_the_warehouse_has_them(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f,
		     "CREATE TABLE IF NOT EXISTS item_neighbors (product_id TEXT, rank INTEGER, neighbor_id TEXT,"
		     " score REAL, support INTEGER, source TEXT);"
		     "INSERT INTO item_neighbors VALUES ('P4', 1, 'GONE', 0.9, 1, 'baskets'),"
		     " ('P4', 2, 'P3', 0.8, 1, 'baskets'), ('P4', 3, 'P4', 0.7, 1, 'baskets');"
		     "CREATE TABLE IF NOT EXISTS customer_recs (customer_id TEXT, rank INTEGER, product_id TEXT,"
		     " score REAL, source TEXT);"
		     "INSERT INTO customer_recs VALUES ('c1', 1, 'P2', 0.5, 'neighbors');");
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	CHECK_STR(sum.recs_source, "item_neighbors");
	/* Unknown products and the product itself are left out; ranks start again at 1. */
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM product_recs"), 1);
	CHECK_INT(shop_int(&f, "SELECT rank FROM product_recs WHERE product_id = 'P4' AND rec_product_id = 'P3'"), 1);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM customer_recs WHERE customer_id = 'c1'"), 1);
	close_fixture(&f);
}

/* A shopper with an open cart holding P3, and a placed order for 3 of P1 and one P4. */
static const char shopper_sql[] =
	"INSERT INTO sessions (id, sid, csrf, created, last_seen) VALUES"
	" (1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 1, 1);"
	"INSERT INTO carts (id, session_id, created, updated) VALUES (1, 1, 1, 1);"
	"INSERT INTO cart_lines (cart_id, product_id, quantity, added) VALUES (1, 'P3', 2, 1);"
	"INSERT INTO orders (id, number, session_id, name, email, address, payment_method, items,"
	" subtotal_cents, shipping_cents, total_cents, created) VALUES"
	" (1, 'W000001', 1, 'Ada', 'ada@example.com', 'London', 'card', 4, 4650, 0, 4650,"
	"  '2025-02-01 12:00:00'),"
	" (2, 'W000002', 1, 'Ada', 'ada@example.com', 'London', 'card', 1, 1250, 395, 1645,"
	"  '2024-12-01 12:00:00');"
	"INSERT INTO order_lines (order_id, line, product_id, name, unit_price_cents, quantity,"
	" line_total_cents) VALUES (1, 1, 'P1', 'Blue mug', 1250, 3, 3750),"
	" (1, 2, 'P4', 'Trowel', 900, 1, 900), (2, 1, 'P1', 'Blue mug', 1250, 1, 1250);";

static void test_export_never_hands_back_stock_the_shop_sold_since_the_products_file(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f, NULL);
	CHECK_INT(db_exec(f.shop.db, shopper_sql, &err), 0);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	/* 40 in the file of 2025-01-01, 3 sold on the web after it (the 2024 order was in
	 * the count already). */
	CHECK_INT(shop_int(&f, "SELECT stock FROM products WHERE id = 'P1'"), 37);
	CHECK_INT(shop_catalog_find(&f.cat, "P1")->shop_stock, 37);
	/* A second build gives the same. */
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	CHECK_INT(shop_int(&f, "SELECT stock FROM products WHERE id = 'P1'"), 37);
	close_fixture(&f);
}

static void test_export_leaves_open_carts_and_placed_orders_alone(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f, NULL);
	CHECK_INT(db_exec(f.shop.db, shopper_sql, &err), 0);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	/* The next export no longer sells P3 (in the cart), P4 (ordered) nor P2. */
	shop_catalog_free(&f.cat);
	CHECK_INT(db_exec(f.wh, "DELETE FROM products WHERE product_id IN ('P2', 'P3', 'P4')", &err), 0);
	CHECK_INT(shop_catalog_load(f.wh, &f.cat, &err), 0);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	CHECK_INT(sum.removed, 1);     /* P2: nothing refers to it */
	CHECK_INT(sum.unavailable, 2); /* P3 and P4 stay, sold out */
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM products WHERE id = 'P2'"), 0);
	CHECK_INT(shop_int(&f, "SELECT stock FROM products WHERE id = 'P3'"), 0);
	CHECK_INT(shop_int(&f, "SELECT stock FROM products WHERE id = 'P4'"), 0);
	CHECK_INT(shop_int(&f, "SELECT quantity FROM cart_lines WHERE product_id = 'P3'"), 2);
	CHECK_INT(shop_int(&f, "SELECT count(*) FROM order_lines"), 3);
	CHECK_INT(shop_int(&f, "SELECT sum(line_total_cents) FROM order_lines WHERE order_id = 1"), 4650);
	CHECK_INT(shop_int(&f, "PRAGMA foreign_key_check"), -999); /* no dangling row */
	close_fixture(&f);
}

static void test_failed_export_leaves_shop_db_as_it_was(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f, NULL);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	/* A price the shop refuses (negative) makes the transaction fail half way. */
	f.cat.products[f.cat.count - 1].price_cents = -1;
	f.cat.products[0].price_cents = 1;
	CHECK(shop_export(f.wh, &f.cat, &f.shop, &sum, &err) < 0);
	CHECK(strlen(err.msg) > 0);
	CHECK_INT(shop_int(&f, "SELECT price_cents FROM products WHERE id = 'P1'"), 1250);
	CHECK_INT(sqlite3_get_autocommit(f.shop.db), 1);
	close_fixture(&f);
}

/* --- the static file and the route ---------------------------------------------- */

struct call_env {
	const char *path;
};

static const char *call_getenv(void *ctx, const char *name)
{
	struct call_env *e = ctx;
	if (strcmp(name, "REQUEST_METHOD") == 0)
		return "GET";
	if (strcmp(name, "PATH_INFO") == 0)
		return e->path;
	if (strcmp(name, "SCRIPT_NAME") == 0)
		return "/shop.cgi";
	return NULL;
}

static long call_read(void *ctx, char *into, size_t n)
{
	(void)ctx;
	(void)into;
	(void)n;
	return 0;
}

static void test_static_recommendations_are_the_bytes_the_route_answers(void)
{
	struct fixture f;
	struct shop_export_summary sum;
	struct error err;
	open_fixture(&f, NULL);
	CHECK_INT(shop_export(f.wh, &f.cat, &f.shop, &sum, &err), 0);
	struct value *answer = value_map_new();
	struct buf file = BUF_INIT;
	/* P2 was bought with P1; P3 pads the list as a kitchen best seller. */
	CHECK_INT(product_recs_describe(&f.shop, "P2", PRODUCT_RECS_DEFAULT_COUNT, answer, &err), 1);
	product_recs_json(answer, &file);
	value_free(answer);
	CHECK(strstr(buf_str(&file), "{\"rank\":1,\"product_id\":\"P1\"") != NULL);
	CHECK(strstr(buf_str(&file), "\"product_id\":\"P3\"") != NULL);
	CHECK(strstr(buf_str(&file), "\"source\":\"popular_in_category\"") != NULL);

	struct shop shop;
	memset(&shop, 0, sizeof shop);
	setenv("CARTOGRAPH_SHOP_DB", f.shop_path, 1);
	setenv("CARTOGRAPH_SHOP_TEMPLATES", "templates/shop", 1);
	shop_config_load(&shop.config);
	struct call_env e = {"/recs/product/P2.json"};
	struct cgi_request http;
	struct cgi_response res;
	int read_status = cgi_request_read(&http, call_getenv, call_read, &e);
	cgi_response_init(&res);
	shop_handle(&shop, &http, read_status, &res);
	CHECK_INT(res.status, 200);
	CHECK_STR(buf_str(&res.body), buf_str(&file));
	cgi_response_free(&res);
	cgi_request_free(&http);
	shop_free(&shop);

	answer = value_map_new();
	CHECK_INT(product_recs_describe(&f.shop, "NOPE", 10, answer, &err), 0);
	CHECK_INT(answer->as.map.len, 0);
	value_free(answer);
	buf_free(&file);
	close_fixture(&f);
}

int main(void)
{
	RUN(test_slug_of_a_plain_id_is_the_id_in_lower_case);
	RUN(test_slug_turns_every_other_run_of_characters_into_one_dash);
	RUN(test_long_ids_are_cut_and_then_need_a_hash);
	RUN(test_page_names_are_safe_unique_and_the_same_every_time);
	RUN(test_category_labels_keep_plain_names_unless_two_read_the_same);
	RUN(test_catalog_has_priced_products_best_sellers_first_in_categories);
	RUN(test_every_product_is_found_by_its_id_and_no_other);
	RUN(test_export_writes_the_catalog_and_sets_the_shop_stock);
	RUN(test_export_falls_back_to_co_purchase_counts);
	RUN(test_export_uses_the_model_tables_when_the_warehouse_has_them);
	RUN(test_export_never_hands_back_stock_the_shop_sold_since_the_products_file);
	RUN(test_export_leaves_open_carts_and_placed_orders_alone);
	RUN(test_failed_export_leaves_shop_db_as_it_was);
	RUN(test_static_recommendations_are_the_bytes_the_route_answers);
	return check_summary();
}
