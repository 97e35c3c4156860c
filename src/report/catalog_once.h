/* catalog_once: the shop catalog loaded once for a build whose two threads may both
 * want it. In `run` the second thread runs the models first, and the catalog it then
 * renders reads nothing the models write (products, reviews, sales): so the build's
 * own thread, which has time to spare while the models run, loads it ahead, and the
 * second finds it ready. Whoever asks first loads it; a thread that asks while it is
 * being loaded waits for it. */
#ifndef CARTOGRAPH_CATALOG_ONCE_H
#define CARTOGRAPH_CATALOG_ONCE_H

#include <pthread.h>
#include <sqlite3.h>

#include "report/shop_catalog.h"
#include "util/error.h"

struct catalog_once {
	pthread_mutex_t lock;
	pthread_cond_t loaded;   /* broadcast when state becomes CATALOG_LOADED */
	int state;               /* not begun, loading, loaded (catalog_once.c) */
	int rc;                  /* the load's result: 0 or a negative code */
	struct error err;        /* what went wrong, when rc < 0 */
	struct shop_catalog cat; /* the catalog, when rc == 0 */
};

void catalog_once_init(struct catalog_once *once);
/* Frees the catalog (when it was loaded) and the lock. */
void catalog_once_free(struct catalog_once *once);

/* Loads the catalog from db unless some thread has begun to; never waits. */
void catalog_once_load_ahead(struct catalog_once *once, sqlite3 *db);

/* The catalog: loaded from db now when nobody has begun to, else the one another
 * thread loads (waiting for it). Returns 0 and *cat, or the load's negative code with
 * err copied from it. The catalog stays once's: the caller may change it (the stock
 * shop.db holds), not free it. */
int catalog_once_get(struct catalog_once *once, sqlite3 *db, struct shop_catalog **cat,
		     struct error *err);

#endif
