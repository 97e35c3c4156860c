/* catalog_once: one load of the shop catalog, shared by the build's threads (see
 * catalog_once.h). */
#include "report/catalog_once.h"

#include <string.h>

enum { NOT_BEGUN, LOADING, LOADED };

void catalog_once_init(struct catalog_once *once)
{
	memset(once, 0, sizeof *once);
	pthread_mutex_init(&once->lock, NULL);
	pthread_cond_init(&once->loaded, NULL);
	once->state = NOT_BEGUN;
}

void catalog_once_free(struct catalog_once *once)
{
	if (once->state == LOADED && once->rc == 0)
		shop_catalog_free(&once->cat);
	pthread_cond_destroy(&once->loaded);
	pthread_mutex_destroy(&once->lock);
}

/* Claims the load for this thread: 1 when nobody had begun it. */
static int claim(struct catalog_once *once)
{
	pthread_mutex_lock(&once->lock);
	int mine = once->state == NOT_BEGUN;
	if (mine)
		once->state = LOADING;
	pthread_mutex_unlock(&once->lock);
	return mine;
}

/* Loads the catalog (the load being this thread's) and wakes whoever waits for it. */
static void load(struct catalog_once *once, sqlite3 *db)
{
	struct error err = {{0}};
	int rc = shop_catalog_load(db, &once->cat, &err);
	pthread_mutex_lock(&once->lock);
	once->rc = rc;
	once->err = err;
	once->state = LOADED;
	pthread_cond_broadcast(&once->loaded);
	pthread_mutex_unlock(&once->lock);
}

void catalog_once_load_ahead(struct catalog_once *once, sqlite3 *db)
{
	if (claim(once))
		load(once, db);
}

int catalog_once_get(struct catalog_once *once, sqlite3 *db, struct shop_catalog **cat,
		     struct error *err)
{
	if (claim(once))
		load(once, db);
	pthread_mutex_lock(&once->lock);
	while (once->state != LOADED)
		pthread_cond_wait(&once->loaded, &once->lock);
	int rc = once->rc;
	pthread_mutex_unlock(&once->lock);
	if (rc < 0)
		*err = once->err;
	*cat = rc < 0 ? NULL : &once->cat;
	return rc;
}
