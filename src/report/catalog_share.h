/* catalog_share: the shop catalog's product pages, dealt out one at a time to the
 * build's two threads. The thread that renders the catalog exports it to shop.db,
 * adds its assets, then opens the deal; the other thread, once its own pages are done,
 * joins in with its own connection to shop.db, so the catalog's pages (the longest
 * part of the build on Online Retail) end when both threads' work does. The catalog's
 * thread closes the deal when it is done (or failed, or has no catalog) and waits for
 * the helpers' last pages before it touches shop.db again. */
#ifndef CARTOGRAPH_CATALOG_SHARE_H
#define CARTOGRAPH_CATALOG_SHARE_H

#include <pthread.h>

#include "report/catalog_pages.h"

struct catalog_share {
	pthread_mutex_t lock;
	pthread_cond_t changed;  /* broadcast when the state or the helpers change */
	int state;               /* not open, open, closed (catalog_share.c) */
	struct catalog_build cb; /* while open: the catalog and its assets' names */
	int next;                /* the next product to hand out */
	int stopped;             /* a page failed: none is handed out any more */
	int helpers;             /* helpers now rendering */
};

void catalog_share_init(struct catalog_share *s);
void catalog_share_free(struct catalog_share *s);

/* The catalog's thread: deals out the product pages of cb's catalog. */
void catalog_share_open(struct catalog_share *s, const struct catalog_build *cb);
/* The index of the next product whose page is to be rendered, or -1 when none is left
 * (or a page failed). Either thread. */
int catalog_share_next(struct catalog_share *s);
/* A page failed: no more are handed out. */
void catalog_share_stop(struct catalog_share *s);
/* The catalog's thread, when it is done with the pages or cannot deal them: no helper
 * may join after this; waits until those that joined have left. Closing twice is
 * allowed. */
void catalog_share_close(struct catalog_share *s);

/* A helper: waits until the deal is open or closed. 1 when open, with *cb the catalog
 * and its assets' names (b and shop are the helper's to set), and the helper must call
 * catalog_share_leave when done; 0 when closed. */
int catalog_share_join(struct catalog_share *s, struct catalog_build *cb);
void catalog_share_leave(struct catalog_share *s);

#endif
