/* test_catalog_share: the catalog's product pages dealt out to two threads. Every
 * product is handed out exactly once however the threads race; a helper that asks
 * before the deal opens waits for it, and one that asks after it closed gets nothing;
 * closing waits for the helpers that joined; a failed page stops the dealing. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "report/catalog_share.h"

#define PRODUCTS 5000

struct race {
	struct catalog_share *share;
	atomic_int *taken;    /* per product: how many times it was handed out */
	atomic_int pages;     /* pages this thread took */
	int joined;           /* what catalog_share_join answered (helpers) */
	const char *css_seen; /* the catalog's css name the helper was given */
};

static void take_all(struct race *r)
{
	int at;
	while ((at = catalog_share_next(r->share)) >= 0) {
		atomic_fetch_add(&r->taken[at], 1);
		atomic_fetch_add(&r->pages, 1);
	}
}

static void *helper(void *arg)
{
	struct race *r = arg;
	struct catalog_build cb;
	r->joined = catalog_share_join(r->share, &cb);
	if (r->joined) {
		r->css_seen = cb.css_href;
		take_all(r);
		catalog_share_leave(r->share);
	}
	return NULL;
}

static void test_each_product_is_dealt_once_to_one_of_the_threads(void)
{
	static atomic_int taken[PRODUCTS];
	struct shop_catalog cat = {.count = PRODUCTS};
	struct catalog_build cb = {.cat = &cat, .css_href = "assets/shop.1234.css"};
	struct catalog_share share;
	catalog_share_init(&share);
	for (int i = 0; i < PRODUCTS; i++)
		atomic_init(&taken[i], 0);
	struct race lane = {&share, taken, 0, 0, NULL}, help = lane;
	pthread_t thread;
	/* The helper asks first: it waits for the deal to open. */
	CHECK_INT(pthread_create(&thread, NULL, helper, &help), 0);
	struct timespec pause = {0, 20 * 1000 * 1000};
	nanosleep(&pause, NULL);
	catalog_share_open(&share, &cb);
	while (atomic_load(&help.pages) == 0)
		; /* the helper has begun: now both take */
	take_all(&lane);
	catalog_share_close(&share);
	pthread_join(thread, NULL);
	int once = 0;
	for (int i = 0; i < PRODUCTS; i++)
		once += atomic_load(&taken[i]) == 1;
	CHECK_INT(once, PRODUCTS);
	CHECK_INT(atomic_load(&lane.pages) + atomic_load(&help.pages), PRODUCTS);
	CHECK_INT(help.joined, 1);
	CHECK_STR(help.css_seen, "assets/shop.1234.css");
	catalog_share_free(&share);
}

static void test_a_helper_that_comes_after_the_close_gets_nothing(void)
{
	struct catalog_share share;
	catalog_share_init(&share);
	catalog_share_close(&share); /* a lane with no catalog */
	struct catalog_build cb;
	CHECK_INT(catalog_share_join(&share, &cb), 0);
	CHECK_INT(catalog_share_next(&share), -1);
	catalog_share_free(&share);
}

struct leaver {
	struct catalog_share *share;
	atomic_int left;
};

static void *leave_late(void *arg)
{
	struct leaver *l = arg;
	struct timespec pause = {0, 50 * 1000 * 1000};
	nanosleep(&pause, NULL);
	atomic_store(&l->left, 1);
	catalog_share_leave(l->share);
	return NULL;
}

static void test_closing_waits_for_the_helpers_that_joined(void)
{
	struct shop_catalog cat = {.count = 3};
	struct catalog_build cb = {.cat = &cat}, got;
	struct catalog_share share;
	catalog_share_init(&share);
	catalog_share_open(&share, &cb);
	CHECK_INT(catalog_share_join(&share, &got), 1);
	struct leaver l = {&share, 0};
	pthread_t thread;
	CHECK_INT(pthread_create(&thread, NULL, leave_late, &l), 0);
	catalog_share_close(&share);
	CHECK_INT(atomic_load(&l.left), 1);
	pthread_join(thread, NULL);
	catalog_share_free(&share);
}

static void test_a_failed_page_stops_the_dealing(void)
{
	struct shop_catalog cat = {.count = 10};
	struct catalog_build cb = {.cat = &cat};
	struct catalog_share share;
	catalog_share_init(&share);
	CHECK_INT(catalog_share_next(&share), -1); /* not open yet */
	catalog_share_open(&share, &cb);
	CHECK_INT(catalog_share_next(&share), 0);
	CHECK_INT(catalog_share_next(&share), 1);
	catalog_share_stop(&share);
	CHECK_INT(catalog_share_next(&share), -1);
	catalog_share_close(&share);
	catalog_share_free(&share);
}

int main(void)
{
	RUN(test_each_product_is_dealt_once_to_one_of_the_threads);
	RUN(test_a_helper_that_comes_after_the_close_gets_nothing);
	RUN(test_closing_waits_for_the_helpers_that_joined);
	RUN(test_a_failed_page_stops_the_dealing);
	return check_summary();
}
