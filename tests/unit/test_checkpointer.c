/* test_checkpointer: while the checkpointer runs, a big commit's log is copied into the
 * warehouse by its thread, not by the committing connection, and a stage's connection
 * closing leaves the log to it; once stopped, commits and closes checkpoint as SQLite
 * does by itself, and every row is still there. Asked to, the thread truncates the log
 * while the caller goes on (waiting for readers that still see the log), and the caller
 * can wait for it. A watch sees other connections' commits and not the thread's own
 * truncations. */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "db/checkpointer.h"
#include "temp_warehouse.h"

static long long file_size(const char *path, const char *suffix)
{
	char name[96];
	struct stat st;
	snprintf(name, sizeof name, "%s%s", path, suffix);
	return stat(name, &st) == 0 ? (long long)st.st_size : -1;
}

/* Commits about 24 MB (over SQLite's 1,000-page threshold) into table big. */
static void commit_a_lot(sqlite3 *db)
{
	struct error err;
	CHECK_INT(db_exec(db, "CREATE TABLE IF NOT EXISTS big (b BLOB);"
			  "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			  " WHERE i < 3000) INSERT INTO big SELECT randomblob(8000) FROM n; COMMIT;",
			  &err), 0);
}

/* Waits up to 10 s for the warehouse file to reach bytes; its size then. */
static long long wait_for_size(const char *path, long long bytes)
{
	for (int i = 0; i < 1000 && file_size(path, "") < bytes; i++)
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	return file_size(path, "");
}

static void test_without_it_the_commit_copies_the_log_itself(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	if (!db)
		return;
	commit_a_lot(db);
	CHECK(file_size(path, "") > 24000000); /* copied before the commit returned */
	temp_warehouse_remove(db, path);
}

static void test_with_it_the_thread_copies_the_log_and_keeps_it_across_closes(void)
{
	CHECK_INT(checkpointer_start(), 0);
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	if (!db)
		return;
	long long before = file_size(path, "");
	commit_a_lot(db);
	CHECK(file_size(path, "-wal") > 24000000);
	CHECK(wait_for_size(path, 24000000) > 24000000); /* the thread copied it */
	CHECK(before < 24000000);
	sqlite3_close(db); /* a stage ends: the log stays, for the thread's connection */
	CHECK(file_size(path, "-wal") >= 0);
	struct error err;
	CHECK_INT(db_open_warehouse(path, &db, &err), 0); /* the next stage */
	commit_a_lot(db);
	CHECK(wait_for_size(path, 48000000) > 48000000);
	checkpointer_stop();
	CHECK_INT((int)db_query_int(db, "SELECT count(*) FROM big", NULL, -1), 6000);
	sqlite3_close(db); /* the last connection: SQLite copies and removes the log */
	CHECK(file_size(path, "-wal") == -1);
	CHECK_INT(db_open_warehouse(path, &db, &err), 0);
	CHECK_INT((int)db_query_int(db, "SELECT count(*) FROM big", NULL, -1), 6000);
	CHECK_INT((int)db_query_int(db, "SELECT count(*) FROM pragma_integrity_check"
				    " WHERE integrity_check = 'ok'", NULL, -1), 1);
	temp_warehouse_remove(db, path);
}

static void test_the_thread_truncates_the_log_when_asked(void)
{
	checkpointer_truncate(); /* not running: nothing happens */
	checkpointer_wait();
	CHECK_INT(checkpointer_start(), 0);
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	if (!db)
		return;
	commit_a_lot(db);
	CHECK(file_size(path, "-wal") > 24000000);
	checkpointer_truncate();
	checkpointer_wait();
	CHECK(file_size(path, "-wal") == 0);
	CHECK(file_size(path, "") > 24000000);
	checkpointer_stop();
	CHECK_INT((int)db_query_int(db, "SELECT count(*) FROM big", NULL, -1), 3000);
	temp_warehouse_remove(db, path);
}

/* A connection of "another program": opened without the checkpointer's hook. */
static sqlite3 *open_elsewhere(const char *path)
{
	sqlite3 *other = NULL;
	if (sqlite3_open(path, &other) != SQLITE_OK)
		CHECK(0);
	sqlite3_busy_timeout(other, 5000);
	return other;
}

static void test_a_truncation_waits_for_a_reader_of_the_log(void)
{
	CHECK_INT(checkpointer_start(), 0);
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	if (!db)
		return;
	struct error err;
	commit_a_lot(db);
	checkpointer_wait();
	/* a small commit asks for no checkpoint: its frames stay in the log */
	CHECK_INT(db_exec(db, "CREATE TABLE small (x); INSERT INTO small VALUES (1);", &err), 0);
	sqlite3 *reader = open_elsewhere(path);
	CHECK_INT(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM small;", NULL, NULL, NULL),
		  SQLITE_OK);
	checkpointer_truncate();
	nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
	CHECK(file_size(path, "-wal") > 0); /* the reader still sees the log */
	CHECK_INT(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	checkpointer_wait();
	CHECK(file_size(path, "-wal") == 0);
	sqlite3_close(reader);
	checkpointer_stop();
	temp_warehouse_remove(db, path);
}

static void test_a_watch_sees_others_commits_and_not_the_threads_truncations(void)
{
	CHECK_INT(checkpointer_watch(), -1); /* not running */
	CHECK_INT(checkpointer_others_wrote(), 1);
	CHECK_INT(checkpointer_start(), 0);
	CHECK_INT(checkpointer_watch(), -1); /* no warehouse yet */
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	if (!db)
		return;
	commit_a_lot(db);
	sqlite3 *other = open_elsewhere(path);
	long long seen = db_query_int(other, "PRAGMA data_version", NULL, -1);
	CHECK_INT(checkpointer_watch(), 0);
	CHECK_INT(checkpointer_others_wrote(), 0);
	checkpointer_truncate();
	checkpointer_wait();
	CHECK(file_size(path, "-wal") == 0);
	/* every other connection counts the truncation as a change; the watch does not */
	CHECK(db_query_int(other, "PRAGMA data_version", NULL, -1) != seen);
	CHECK_INT(checkpointer_others_wrote(), 0);
	CHECK_INT(sqlite3_exec(other, "INSERT INTO big VALUES (1)", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(checkpointer_others_wrote(), 1);
	sqlite3_close(other);
	checkpointer_stop();
	CHECK_INT(checkpointer_others_wrote(), 1); /* stopping ends the watch */
	temp_warehouse_remove(db, path);
}

static void test_stopping_twice_or_unstarted_does_nothing(void)
{
	checkpointer_stop();
	checkpointer_stop();
	CHECK_INT(checkpointer_start(), 0);
	CHECK_INT(checkpointer_start(), 0); /* already running */
	checkpointer_stop();
	test_without_it_the_commit_copies_the_log_itself(); /* no hook left behind */
}

int main(void)
{
	RUN(test_without_it_the_commit_copies_the_log_itself);
	RUN(test_with_it_the_thread_copies_the_log_and_keeps_it_across_closes);
	RUN(test_the_thread_truncates_the_log_when_asked);
	RUN(test_a_truncation_waits_for_a_reader_of_the_log);
	RUN(test_a_watch_sees_others_commits_and_not_the_threads_truncations);
	RUN(test_stopping_twice_or_unstarted_does_nothing);
	return check_summary();
}
