/* test_db: the database helpers' error messages. A write that fails (a file size limit
 * here, a full disk in tests/e2e/faults.sh) names the database file and what to look
 * for, instead of SQLite's bare "disk I/O error". The warehouse's sales view reads
 * each order and then its lines. A new warehouse has 16 KB pages; one made with
 * SQLite's default 4 KB keeps them. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "check.h"
#include "temp_warehouse.h"

/* Runs sql on db with the file size limit at limit bytes, as `ulimit -f` would. */
static int exec_under_size_limit(sqlite3 *db, const char *sql, rlim_t limit, struct error *err)
{
	struct rlimit was, capped;
	getrlimit(RLIMIT_FSIZE, &was);
	capped = was;
	capped.rlim_cur = limit;
	void (*on_xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &capped);
	int rc = db_exec(db, sql, err);
	setrlimit(RLIMIT_FSIZE, &was);
	signal(SIGXFSZ, on_xfsz);
	return rc;
}

static void test_db_write_over_a_size_limit_names_the_database_file(void)
{
	char path[64];
	struct error err = {{0}};
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db_exec(db, "CREATE TABLE blobs (b BLOB)", &err), 0);
	int rc = exec_under_size_limit(db, "INSERT INTO blobs VALUES (zeroblob(4000000))",
				       64 * 1024, &err);
	CHECK_INT(rc, ERR_SYSTEM);
	CHECK(strstr(err.msg, path) != NULL);
	CHECK(strstr(err.msg, "size limit") != NULL || strstr(err.msg, "too large") != NULL);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM blobs", NULL, -1), 0);
	CHECK_INT(db_exec(db, "INSERT INTO blobs VALUES (zeroblob(4000000))", &err), 0);
	temp_warehouse_remove(db, path);
}

static void test_db_other_errors_keep_sqlites_message(void)
{
	char path[64];
	struct error err = {{0}};
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db_exec(db, "SELECT * FROM no_such_table", &err), ERR_SYSTEM);
	CHECK_STR(err.msg, "database: no such table: no_such_table");
	temp_warehouse_remove(db, path);
}

/* The steps of a query's plan, one "detail" per line. */
static void plan_of(sqlite3 *db, const char *sql, char *out, size_t size)
{
	char explain[512];
	snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *stmt;
	size_t used = 0;
	out[0] = 0;
	sqlite3_prepare_v2(db, explain, -1, &stmt, NULL);
	while (sqlite3_step(stmt) == SQLITE_ROW && used < size)
		used += (size_t)snprintf(out + used, size - used, "%s\n",
					 (const char *)sqlite3_column_text(stmt, 3));
	sqlite3_finalize(stmt);
}

static void test_sales_view_reads_each_order_then_its_lines(void)
{
	char path[64], plan[1024];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	if (!db)
		return;
	plan_of(db, "SELECT * FROM sales_lines", plan, sizeof plan);
	CHECK(strncmp(plan, "SCAN o\n", 7) == 0);
	CHECK(strstr(plan, "SEARCH i USING PRIMARY KEY (order_id=?)") != NULL);
	plan_of(db, "SELECT sum(quantity) FROM sales_lines WHERE order_time >= '2024-01-01'",
		plan, sizeof plan);
	CHECK(strstr(plan, "SEARCH o USING INDEX orders_time (order_time>?)") != NULL);
	temp_warehouse_remove(db, path);
}

static void test_a_new_warehouse_has_16_kb_pages_an_old_one_keeps_its_own(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT((int)db_query_int(db, "PRAGMA page_size", NULL, 0), 16384);
	temp_warehouse_remove(db, path);

	sqlite3 *old; /* a warehouse file made before: SQLite's default page size */
	CHECK(sqlite3_open(path, &old) == SQLITE_OK);
	CHECK(sqlite3_exec(old, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;"
			   " CREATE TABLE kept (x);", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(old);
	struct error err = {{0}};
	CHECK_INT(db_open_warehouse(path, &db, &err), 0);
	if (!db)
		return;
	CHECK_INT((int)db_query_int(db, "PRAGMA page_size", NULL, 0), 4096);
	CHECK_INT((int)db_query_int(db, "SELECT count(*) FROM kept", NULL, -1), 0);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_db_write_over_a_size_limit_names_the_database_file);
	RUN(test_db_other_errors_keep_sqlites_message);
	RUN(test_sales_view_reads_each_order_then_its_lines);
	RUN(test_a_new_warehouse_has_16_kb_pages_an_old_one_keeps_its_own);
	return check_summary();
}
