/* test_catalog_once: the shop catalog loaded once for the build's two threads. The load
 * made ahead is the one the other thread gets (it does not load again), a thread that
 * asks during the load waits for it, a failed load's error reaches whoever asks, and
 * with nobody ahead the asking thread loads it itself. */
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "report/catalog_once.h"
#include "temp_warehouse.h"

/* A warehouse holding count priced products P1..Pcount. */
static sqlite3 *warehouse_with_products(char path[64], int count)
{
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	if (!db)
		return NULL;
	sqlite3_stmt *insert;
	sqlite3_prepare_v2(db, "INSERT INTO products (product_id, name, price_cents)"
			   " VALUES ('P' || ?1, 'Product ' || ?1, 100 * ?1)", -1, &insert, NULL);
	for (int i = 1; i <= count; i++) {
		sqlite3_bind_int(insert, 1, i);
		CHECK(sqlite3_step(insert) == SQLITE_DONE);
		sqlite3_reset(insert);
	}
	sqlite3_finalize(insert);
	return db;
}

static void test_with_nobody_ahead_the_asking_thread_loads_it(void)
{
	char path[64];
	sqlite3 *db = warehouse_with_products(path, 3);
	struct catalog_once once;
	catalog_once_init(&once);
	struct shop_catalog *cat = NULL;
	struct error err = {{0}};
	CHECK_INT(catalog_once_get(&once, db, &cat, &err), 0);
	CHECK(cat != NULL && cat->count == 3);
	catalog_once_free(&once);
	temp_warehouse_remove(db, path);
}

static void test_the_load_made_ahead_is_the_one_the_other_thread_gets(void)
{
	char three[64], one[64];
	sqlite3 *ahead = warehouse_with_products(three, 3);
	sqlite3 *other = warehouse_with_products(one, 1); /* would give 1 if read */
	struct catalog_once once;
	catalog_once_init(&once);
	catalog_once_load_ahead(&once, ahead);
	catalog_once_load_ahead(&once, other); /* begun already: nothing happens */
	struct shop_catalog *cat = NULL;
	struct error err = {{0}};
	CHECK_INT(catalog_once_get(&once, other, &cat, &err), 0);
	CHECK(cat != NULL && cat->count == 3);
	CHECK(cat != NULL && strcmp(cat->products[2].id, "P3") == 0);
	catalog_once_free(&once);
	temp_warehouse_remove(ahead, three);
	temp_warehouse_remove(other, one);
}

struct asker {
	struct catalog_once *once;
	sqlite3 *db;
	struct shop_catalog *cat;
	int rc;
};

static void *ask(void *arg)
{
	struct asker *a = arg;
	struct error err;
	a->rc = catalog_once_get(a->once, a->db, &a->cat, &err);
	return NULL;
}

static void test_a_thread_that_asks_during_the_load_gets_the_same_catalog(void)
{
	char path[64], path2[64];
	sqlite3 *db = warehouse_with_products(path, 2000); /* a load that takes a while */
	sqlite3 *db2 = warehouse_with_products(path2, 2000);
	for (int round = 0; round < 20; round++) {
		struct catalog_once once;
		catalog_once_init(&once);
		struct asker a = {&once, db2, NULL, -1};
		pthread_t t;
		CHECK(pthread_create(&t, NULL, ask, &a) == 0);
		catalog_once_load_ahead(&once, db);
		struct shop_catalog *cat = NULL;
		struct error err;
		CHECK_INT(catalog_once_get(&once, db, &cat, &err), 0);
		pthread_join(t, NULL);
		CHECK_INT(a.rc, 0);
		CHECK(a.cat == cat && cat != NULL && cat->count == 2000);
		catalog_once_free(&once);
	}
	temp_warehouse_remove(db, path);
	temp_warehouse_remove(db2, path2);
}

static void test_a_failed_load_gives_its_error_to_whoever_asks(void)
{
	sqlite3 *empty; /* no products table: the load fails */
	CHECK(sqlite3_open(":memory:", &empty) == SQLITE_OK);
	char path[64];
	sqlite3 *good = warehouse_with_products(path, 3);
	struct catalog_once once;
	catalog_once_init(&once);
	catalog_once_load_ahead(&once, empty);
	struct shop_catalog *cat = (struct shop_catalog *)&once; /* must be reset */
	struct error err = {{0}};
	CHECK(catalog_once_get(&once, good, &cat, &err) < 0);
	CHECK(cat == NULL);
	CHECK(strstr(err.msg, "products") != NULL);
	catalog_once_free(&once);
	sqlite3_close(empty);
	temp_warehouse_remove(good, path);
}

int main(void)
{
	RUN(test_with_nobody_ahead_the_asking_thread_loads_it);
	RUN(test_the_load_made_ahead_is_the_one_the_other_thread_gets);
	RUN(test_a_thread_that_asks_during_the_load_gets_the_same_catalog);
	RUN(test_a_failed_load_gives_its_error_to_whoever_asks);
	return check_summary();
}
