/* checkpointer: a thread that checkpoints the warehouse when a commit wakes it (see
 * checkpointer.h). One per process: a run works on one warehouse. */
#include "db/checkpointer.h"

#include <pthread.h>

/* SQLite's own threshold: a commit that leaves more pages than this in the log
 * asks for a checkpoint. */
#define CHECKPOINT_PAGES 1000

/* How long a truncation waits for readers that still see the log (the build's pages
 * read while it is asked for); a passive checkpoint never waits. */
#define TRUNCATE_WAIT_MS 10000

/* What the thread is asked to do next. */
enum request { NOTHING, PASSIVE, TRUNCATE, STOP };

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;     /* a request was made */
	pthread_cond_t idle;     /* the thread finished what it was asked */
	pthread_t thread;
	int running;             /* the thread was started and not yet stopped */
	enum request request;    /* the strongest asked since the thread last looked */
	int busy;                /* a checkpoint is under way */
	sqlite3 *db;             /* the thread's connection, opened by the first attach */
	int watching;            /* checkpointer_watch succeeded: watched_version is set */
	long long watched_version; /* its connection's data_version when the watch began */
} cp = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER,
	.idle = PTHREAD_COND_INITIALIZER};

/* Asks the thread for r, unless something stronger is pending; cp.lock is held. */
static void ask(enum request r)
{
	if (r > cp.request)
		cp.request = r;
	pthread_cond_signal(&cp.wake);
}

/* Waits for a request and takes it (busy until the next call). */
static enum request next_request(void)
{
	pthread_mutex_lock(&cp.lock);
	cp.busy = 0;
	pthread_cond_broadcast(&cp.idle);
	while (cp.request == NOTHING)
		pthread_cond_wait(&cp.wake, &cp.lock);
	enum request r = cp.request;
	cp.request = r == STOP ? STOP : NOTHING;
	cp.busy = r != STOP;
	pthread_mutex_unlock(&cp.lock);
	return r;
}

static void *checkpoint_thread(void *unused)
{
	(void)unused;
	enum request r;
	while ((r = next_request()) != STOP)
		sqlite3_wal_checkpoint_v2(cp.db, "main", r == TRUNCATE ? SQLITE_CHECKPOINT_TRUNCATE
								      : SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	return NULL;
}

int checkpointer_start(void)
{
	pthread_mutex_lock(&cp.lock);
	if (!cp.running) {
		cp.request = NOTHING;
		cp.busy = 0;
		cp.running = pthread_create(&cp.thread, NULL, checkpoint_thread, NULL) == 0;
	}
	int rc = cp.running ? 0 : -1;
	pthread_mutex_unlock(&cp.lock);
	return rc;
}

void checkpointer_stop(void)
{
	pthread_mutex_lock(&cp.lock);
	int running = cp.running;
	if (running)
		ask(STOP);
	pthread_mutex_unlock(&cp.lock);
	if (!running)
		return;
	pthread_join(cp.thread, NULL);
	pthread_mutex_lock(&cp.lock);
	cp.running = 0;
	cp.request = NOTHING;
	cp.watching = 0;
	sqlite3_close(cp.db);
	cp.db = NULL;
	pthread_mutex_unlock(&cp.lock);
}

void checkpointer_truncate(void)
{
	pthread_mutex_lock(&cp.lock);
	if (cp.running && cp.db)
		ask(TRUNCATE);
	pthread_mutex_unlock(&cp.lock);
}

/* Waits until the thread is idle; cp.lock is held. */
static void wait_idle(void)
{
	while (cp.running && cp.request != STOP && (cp.busy || cp.request != NOTHING))
		pthread_cond_wait(&cp.idle, &cp.lock);
}

void checkpointer_wait(void)
{
	pthread_mutex_lock(&cp.lock);
	wait_idle();
	pthread_mutex_unlock(&cp.lock);
}

/* The thread's connection's PRAGMA data_version, or -1; cp.lock is held and the thread
 * is idle, so the connection is this caller's for the while. */
static long long own_data_version(void)
{
	sqlite3_stmt *st = NULL;
	long long version = -1;
	if (sqlite3_prepare_v2(cp.db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return version;
}

int checkpointer_watch(void)
{
	pthread_mutex_lock(&cp.lock);
	wait_idle();
	cp.watching = cp.running && cp.db && cp.request != STOP &&
		      (cp.watched_version = own_data_version()) >= 0;
	int rc = cp.watching ? 0 : -1;
	pthread_mutex_unlock(&cp.lock);
	return rc;
}

int checkpointer_others_wrote(void)
{
	pthread_mutex_lock(&cp.lock);
	wait_idle();
	int wrote = !cp.watching || own_data_version() != cp.watched_version;
	pthread_mutex_unlock(&cp.lock);
	return wrote;
}

/* The wal hook of an attached connection: after a commit, with pages in the log. */
static int on_commit(void *unused, sqlite3 *db, const char *schema, int pages)
{
	(void)unused;
	(void)db;
	(void)schema;
	if (pages < CHECKPOINT_PAGES)
		return SQLITE_OK;
	pthread_mutex_lock(&cp.lock);
	ask(PASSIVE);
	pthread_mutex_unlock(&cp.lock);
	return SQLITE_OK;
}

/* Opens the thread's connection to db's file; NULL when it cannot. A first read puts
 * it in WAL mode, where it holds a shared lock for as long as it is open: a stage's
 * connection closing then knows it is not the last, and leaves the log alone. */
static sqlite3 *open_same_file(sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3 *own = NULL;
	if (!path || !path[0])
		return NULL; /* in memory: nothing to copy */
	if (sqlite3_open_v2(path, &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(own, "PRAGMA schema_version", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(own, TRUNCATE_WAIT_MS) != SQLITE_OK) {
		sqlite3_close(own);
		return NULL;
	}
	return own;
}

void checkpointer_attach(sqlite3 *db)
{
	pthread_mutex_lock(&cp.lock);
	int open = cp.running && cp.request != STOP;
	if (open && !cp.db)
		cp.db = open_same_file(db);
	if (open && cp.db)
		sqlite3_wal_hook(db, on_commit, NULL);
	pthread_mutex_unlock(&cp.lock);
}
