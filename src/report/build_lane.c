/* build_lane: a second thread of page rendering (see build_lane.h). SQLite connections
 * are not shared between threads here: the lane opens the warehouse again and reads
 * the same committed data the build's own connection reads. Nothing but the lane's
 * prelude writes the warehouse during a build, and the pages that read what it wrote
 * wait for it. */
#include "report/build_lane.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db/checkpointer.h"
#include "report/catalog_share.h"
#include "db/db.h"
#include "util/xalloc.h"

#define MAX_PRELUDE_STEPS 32

struct build_lane {
	struct build b;               /* the lane's build: own connection and templates */
	struct build_summary summary; /* what the lane's pages did */
	const build_pages_fn *pages;  /* what it renders, in order */
	int count;                    /* entries in pages */
	const build_pages_fn *shared; /* what either thread may render */
	int shared_count;
	pthread_t thread;
	struct error err;             /* why it failed */
	int rc;                       /* 0 or the first failure's code */
	int64_t data_version;         /* PRAGMA data_version when the lane opened */
	int64_t version_at_watch;     /* and when the checkpointer began watching */
	int watching;                 /* the checkpointer watches from after the prelude */
	pthread_mutex_t lock;         /* guards the fields below */
	pthread_cond_t prelude_done;  /* signalled when prelude_finished is set, or a step
					 is done */
	int prelude_finished;         /* the prelude ran (or there is none) */
	int prelude_rc;               /* its result */
	const char *steps_done[MAX_PRELUDE_STEPS]; /* the prelude's steps committed so far */
	int steps_done_count;
	int shared_taken;             /* shared pages taken by either thread */
};

static void finish_prelude(struct build_lane *lane, int rc)
{
	pthread_mutex_lock(&lane->lock);
	lane->prelude_finished = 1;
	lane->prelude_rc = rc;
	pthread_cond_broadcast(&lane->prelude_done);
	pthread_mutex_unlock(&lane->lock);
}

/* After the prelude's commits, the log can be truncated while the pages render (in
 * `run`, where the checkpointer runs). The truncation bumps this connection's
 * data_version, so other programs' commits are watched for in two spans: on this
 * connection until the checkpointer's watch begins, and by the checkpointer after. */
static void truncate_log_early(struct build_lane *lane)
{
	if (checkpointer_watch() < 0)
		return;
	lane->version_at_watch = db_query_int(lane->b.db, "PRAGMA data_version", NULL, -2);
	lane->watching = 1;
	checkpointer_truncate();
}

/* The prelude's step_done: notes the step and wakes whoever waits for one. */
static void note_step(void *arg, const char *name)
{
	struct build_lane *lane = arg;
	pthread_mutex_lock(&lane->lock);
	if (lane->steps_done_count < MAX_PRELUDE_STEPS)
		lane->steps_done[lane->steps_done_count++] = name;
	pthread_cond_broadcast(&lane->prelude_done);
	pthread_mutex_unlock(&lane->lock);
}

static void *run_lane(void *arg)
{
	struct build_lane *lane = arg;
	const struct build_prelude *prelude = lane->b.opt->prelude;
	lane->rc = prelude ? prelude->run(lane->b.db, prelude->ctx, note_step, lane, &lane->err)
			   : 0;
	if (prelude && lane->rc == 0)
		truncate_log_early(lane);
	finish_prelude(lane, lane->rc);
	for (int i = 0; lane->rc == 0 && i < lane->count; i++)
		lane->rc = lane->pages[i](&lane->b, &lane->err);
	/* The catalog's product pages are dealt out no more, however the lane ended. */
	catalog_share_close(lane->b.catalog_share);
	if (lane->rc == 0)
		lane->rc = build_lane_render_shared(lane, &lane->b, &lane->err);
	return NULL;
}

/* A second connection to the warehouse b reads, or NULL: read-only, unless a prelude
 * is to write through it. Its page cache is the warehouse's usual 8 MB. */
static sqlite3 *open_again(sqlite3 *db, int writable)
{
	const char *path = sqlite3_db_filename(db, "main");
	struct error ignored;
	sqlite3 *again = NULL;
	if (writable)
		return path && path[0] && db_open_warehouse(path, &again, &ignored) == 0 ? again
										    : NULL;
	again = db_open_reader(db);
	if (again && sqlite3_exec(again, "PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY;",
				  NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(again);
		again = NULL;
	}
	return again;
}

static void free_lane(struct build_lane *lane)
{
	build_free_templates(&lane->b);
	value_free(lane->b.data_note);
	sqlite3_close(lane->b.db);
	pthread_cond_destroy(&lane->prelude_done);
	pthread_mutex_destroy(&lane->lock);
	free(lane);
}

struct build_lane *build_lane_start(const struct build *b, const build_pages_fn *pages,
				    int count, const build_pages_fn *shared, int shared_count)
{
	sqlite3 *db = open_again(b->db, b->opt->prelude != NULL);
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
	lane->shared = shared;
	lane->shared_count = shared_count;
	lane->data_version = db_query_int(db, "PRAGMA data_version", NULL, -1);
	pthread_mutex_init(&lane->lock, NULL);
	pthread_cond_init(&lane->prelude_done, NULL);
	if (pthread_create(&lane->thread, NULL, run_lane, lane) != 0) {
		free_lane(lane);
		return NULL;
	}
	return lane;
}

int build_lane_wait_for_prelude(struct build_lane *lane)
{
	pthread_mutex_lock(&lane->lock);
	while (!lane->prelude_finished)
		pthread_cond_wait(&lane->prelude_done, &lane->lock);
	int rc = lane->prelude_rc;
	pthread_mutex_unlock(&lane->lock);
	return rc;
}

/* 1 when the step named is among those done (the lock held). */
static int step_is_done(const struct build_lane *lane, const char *name)
{
	for (int i = 0; i < lane->steps_done_count; i++)
		if (strcmp(lane->steps_done[i], name) == 0)
			return 1;
	return 0;
}

int build_lane_wait_for_step(struct build_lane *lane, const char *name)
{
	pthread_mutex_lock(&lane->lock);
	while (!lane->prelude_finished && !step_is_done(lane, name))
		pthread_cond_wait(&lane->prelude_done, &lane->lock);
	int rc = step_is_done(lane, name) ? 0 : lane->prelude_rc;
	pthread_mutex_unlock(&lane->lock);
	return rc;
}

/* Takes the next shared page nobody has taken, or NULL when none is left. */
static build_pages_fn next_shared(struct build_lane *lane)
{
	pthread_mutex_lock(&lane->lock);
	build_pages_fn page = NULL;
	if (lane->shared_taken < lane->shared_count)
		page = lane->shared[lane->shared_taken++];
	pthread_mutex_unlock(&lane->lock);
	return page;
}

int build_lane_render_shared(struct build_lane *lane, struct build *b, struct error *err)
{
	int rc = 0;
	build_pages_fn page;
	while (rc == 0 && (page = next_shared(lane)))
		rc = page(b, err);
	return rc;
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
		    int *others_wrote, struct error *err)
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
	summary->prelude_failed = lane->prelude_rc < 0;
	if (lane->watching)
		*others_wrote = lane->version_at_watch != lane->data_version ||
				checkpointer_others_wrote();
	else
		*others_wrote = db_query_int(lane->b.db, "PRAGMA data_version", NULL, -2) !=
				lane->data_version;
	int rc = lane->rc;
	if (rc < 0)
		*err = lane->err;
	free_lane(lane);
	return rc;
}
