/* build_lane: a second thread of page rendering (see build_lane.h). SQLite connections
 * are not shared between threads here: the lane opens the warehouse again, read-only,
 * and reads the same committed data the build's own connection reads, since nothing
 * writes the warehouse during a build. */
#include "report/build_lane.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct build_lane {
	struct build b;               /* the lane's build: own connection and templates */
	struct build_summary summary; /* what the lane's pages did */
	const build_pages_fn *pages;  /* what it renders, in order */
	int count;                    /* entries in pages */
	pthread_t thread;
	struct error err;             /* why it failed */
	int rc;                       /* 0 or the first failure's code */
};

static void *run_lane(void *arg)
{
	struct build_lane *lane = arg;
	lane->rc = 0;
	for (int i = 0; lane->rc == 0 && i < lane->count; i++)
		lane->rc = lane->pages[i](&lane->b, &lane->err);
	return NULL;
}

/* A second read-only connection to the warehouse b reads, or NULL. */
static sqlite3 *open_again(sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3 *again = NULL;
	if (!path || !path[0])
		return NULL;
	if (sqlite3_open_v2(path, &again, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(again, "PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY;", NULL,
			 NULL, NULL) != SQLITE_OK) {
		sqlite3_close(again);
		return NULL;
	}
	sqlite3_busy_timeout(again, 10000);
	return again;
}

static void free_lane(struct build_lane *lane)
{
	build_free_templates(&lane->b);
	value_free(lane->b.data_note);
	sqlite3_close(lane->b.db);
	free(lane);
}

struct build_lane *build_lane_start(const struct build *b, const build_pages_fn *pages,
				    int count)
{
	sqlite3 *db = open_again(b->db);
	if (!db)
		return NULL;
	struct build_lane *lane = xcalloc(1, sizeof *lane);
	lane->b = *b;
	lane->b.db = db;
	lane->b.summary = &lane->summary;
	lane->b.template_count = 0;
	lane->b.data_note = value_copy(b->data_note);
	lane->pages = pages;
	lane->count = count;
	if (pthread_create(&lane->thread, NULL, run_lane, lane) != 0) {
		free_lane(lane);
		return NULL;
	}
	return lane;
}

/* Adds what the lane's catalog put into shop.db (all zero when it had no catalog). */
static void add_shop_summary(struct shop_export_summary *into,
			     const struct shop_export_summary *s)
{
	into->products += s->products;
	into->unavailable += s->unavailable;
	into->removed += s->removed;
	into->product_recs += s->product_recs;
	into->customer_recs += s->customer_recs;
	into->popular += s->popular;
	if (s->recs_source)
		into->recs_source = s->recs_source;
	into->write_seconds += s->write_seconds;
}

int build_lane_join(struct build_lane *lane, struct build_summary *summary,
		    struct error *err)
{
	pthread_join(lane->thread, NULL);
	const struct build_summary *s = &lane->summary;
	summary->pages += s->pages;
	summary->charts += s->charts;
	summary->catalog_pages += s->catalog_pages;
	summary->catalog_seconds += s->catalog_seconds;
	summary->catalog_cpu_seconds += s->catalog_cpu_seconds;
	summary->recs_files += s->recs_files;
	summary->catalog_unsellable += s->catalog_unsellable;
	add_shop_summary(&summary->shop, &s->shop);
	int rc = lane->rc;
	if (rc < 0)
		*err = lane->err;
	free_lane(lane);
	return rc;
}
