/* test_group_sums: summing by hashing gives what SQLite's GROUP BY gives (counts,
 * distinct counts, with a set or in runs, sums that skip NULLs, NULL for a sum of
 * none, NULL and text keys), keeps the groups in the order first seen, feeds several
 * groupings from one read, and refuses a column it cannot add exactly. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "report/group_sums.h"
#include "util/rng.h"

static sqlite3 *open_memory(void)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db,
		     "CREATE TABLE line (place TEXT, step INTEGER, cents INTEGER, profit INTEGER);"
		     "CREATE TABLE summed (place, step, lines, cents, profit);"
		     "CREATE TABLE counted (key, distinct_count, cents, profit);",
		     NULL, NULL, NULL);
	return db;
}

static const struct group_sink place_and_step = {
	.keys = (const int[]){0, 1}, .key_count = 2, .distinct = -1,
	.sums = (const int[]){2, 3}, .sum_count = 2,
	.insert_sql = "INSERT INTO summed VALUES (?1, ?2, ?3, ?4, ?5)",
};

static const struct group_read by_place_and_step = {
	.select_sql = "SELECT place, step, cents, profit FROM line",
	.sinks = &place_and_step, .sink_count = 1,
};

/* Every row of a query as one text, rows separated by ';'. */
static void rows_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *stmt;
	size_t used = 0;
	out[0] = 0;
	sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	while (sqlite3_step(stmt) == SQLITE_ROW && used < size) {
		for (int c = 0; c < sqlite3_column_count(stmt); c++) {
			const char *v = (const char *)sqlite3_column_text(stmt, c);
			used += (size_t)snprintf(out + used, size - used, "%s%s", c ? "," : "",
						 v ? v : "NULL");
			if (used >= size)
				break;
		}
		if (used < size)
			used += (size_t)snprintf(out + used, size - used, ";");
	}
	sqlite3_finalize(stmt);
}

/* Checks that ours (a query of what group_sums wrote) gives the rows of sqlites (the
 * same sums by SQLite's GROUP BY), and that there are at least min_bytes of them. */
static void check_same_rows(sqlite3 *db, const char *ours_sql, const char *sqlites_sql,
			    size_t min_bytes)
{
	static char ours[1 << 20], sqlites[1 << 20];
	rows_text(db, ours_sql, ours, sizeof ours);
	rows_text(db, sqlites_sql, sqlites, sizeof sqlites);
	CHECK(strlen(ours) >= min_bytes);
	CHECK_STR(ours, sqlites);
}

static void test_groups_are_summed_in_the_order_first_seen(void)
{
	sqlite3 *db = open_memory();
	sqlite3_exec(db,
		     "INSERT INTO line VALUES ('UK', 1, 100, NULL), ('FR', NULL, 5, 2),"
		     " ('UK', 1, 50, 7), (NULL, 2, 1, NULL), ('UK', 2, 9, NULL), ('FR', NULL, 5, 3),"
		     " (NULL, 2, 2, NULL)",
		     NULL, NULL, NULL);
	struct error err = {""};
	CHECK_INT(group_sums(db, &by_place_and_step, &err), 0);
	char text[512];
	rows_text(db, "SELECT * FROM summed ORDER BY rowid", text, sizeof text);
	CHECK_STR(text, "UK,1,2,150,7;FR,NULL,2,10,5;NULL,2,2,3,NULL;UK,2,1,9,NULL;");
	sqlite3_close(db);
}

/* Fills the line table with 20,000 random rows: NULL and text places, NULL steps from
 * 0 to 2000, cents, NULL or not profits. */
static void fill_random_lines(sqlite3 *db)
{
	struct rng rng;
	rng_seed(&rng, 7);
	sqlite3_stmt *insert;
	sqlite3_prepare_v2(db, "INSERT INTO line VALUES (?1, ?2, ?3, ?4)", -1, &insert, NULL);
	static const char *places[] = {"UK", "France", "EIRE", "Germany", ""};
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (int i = 0; i < 20000; i++) {
		uint64_t r = rng_next(&rng);
		if (r % 7 == 0)
			sqlite3_bind_null(insert, 1);
		else
			sqlite3_bind_text(insert, 1, places[r % 5], -1, SQLITE_STATIC);
		if ((r >> 8) % 5 == 0)
			sqlite3_bind_null(insert, 2);
		else
			sqlite3_bind_int64(insert, 2, (sqlite3_int64)((r >> 8) % 2001));
		sqlite3_bind_int64(insert, 3, (sqlite3_int64)((r >> 16) % 100000) - 20000);
		if ((r >> 40) % 3 == 0)
			sqlite3_bind_null(insert, 4);
		else
			sqlite3_bind_int64(insert, 4, (sqlite3_int64)((r >> 44) % 5000) - 2500);
		sqlite3_step(insert);
		sqlite3_reset(insert);
	}
	sqlite3_finalize(insert);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

static void test_sums_agree_with_sqlites_group_by(void)
{
	sqlite3 *db = open_memory();
	fill_random_lines(db);
	struct error err = {""};
	CHECK_INT(group_sums(db, &by_place_and_step, &err), 0);
	check_same_rows(db, "SELECT * FROM summed ORDER BY place, step",
			"SELECT place, step, count(*), sum(cents), sum(profit) FROM line"
			" GROUP BY place, step ORDER BY place, step",
			100000); /* thousands of groups: the table grew */
	sqlite3_close(db);
}

static void test_distinct_counts_agree_with_sqlites_count_distinct(void)
{
	sqlite3 *db = open_memory();
	fill_random_lines(db);
	const struct group_sink steps_of_place = {
		.keys = (const int[]){0}, .key_count = 1, .distinct = 1,
		.sums = (const int[]){2, 3}, .sum_count = 2,
		.insert_sql = "INSERT INTO counted VALUES (?1, ?2, ?3, ?4)"};
	const struct group_sink places_of_step = {
		.keys = (const int[]){1}, .key_count = 1, .distinct = 0,
		.sums = (const int[]){2}, .sum_count = 1,
		.insert_sql = "INSERT INTO counted VALUES (?1, ?2, ?3, NULL)"};
	const struct group_read steps_by_place = {
		"SELECT place, step, cents, profit FROM line", NULL, 0, &steps_of_place, 1};
	const struct group_read places_by_step = {
		"SELECT place, step, cents, profit FROM line", NULL, 0, &places_of_step, 1};
	struct error err = {""};
	CHECK_INT(group_sums(db, &steps_by_place, &err), 0);
	check_same_rows(db, "SELECT * FROM counted ORDER BY key",
			"SELECT place, count(DISTINCT step), sum(cents), sum(profit) FROM line"
			" GROUP BY place ORDER BY place",
			1);
	sqlite3_stmt *pairs; /* thousands of pairs: the set grew several times */
	sqlite3_prepare_v2(db, "SELECT sum(distinct_count) FROM counted", -1, &pairs, NULL);
	CHECK(sqlite3_step(pairs) == SQLITE_ROW && sqlite3_column_int(pairs, 0) > 5000);
	sqlite3_finalize(pairs);
	sqlite3_exec(db, "DELETE FROM counted", NULL, NULL, NULL);
	/* the counted values in runs, as an order's lines come: the last one is reused */
	const struct group_read steps_by_place_in_runs = {
		"SELECT place, step, cents, profit FROM line ORDER BY step, place", NULL, 0,
		&steps_of_place, 1};
	CHECK_INT(group_sums(db, &steps_by_place_in_runs, &err), 0);
	check_same_rows(db, "SELECT * FROM counted ORDER BY key",
			"SELECT place, count(DISTINCT step), sum(cents), sum(profit) FROM line"
			" GROUP BY place ORDER BY place",
			1);
	sqlite3_exec(db, "DELETE FROM counted", NULL, NULL, NULL);
	CHECK_INT(group_sums(db, &places_by_step, &err), 0);
	check_same_rows(db, "SELECT * FROM counted ORDER BY key",
			"SELECT step, count(DISTINCT place), sum(cents), NULL FROM line"
			" GROUP BY step ORDER BY step",
			20000);
	sqlite3_close(db);
}

/* A read in order of the counted column counts as SQLite does with no set of pairs;
 * out of order, the shortcut is seen counting a value again. */
static void test_distinct_in_runs_counts_each_run_once(void)
{
	sqlite3 *db = open_memory();
	fill_random_lines(db);
	const struct group_sink steps_of_place = {
		.keys = (const int[]){0}, .key_count = 1, .distinct = 1, .distinct_in_runs = 1,
		.sums = (const int[]){2, 3}, .sum_count = 2,
		.insert_sql = "INSERT INTO counted VALUES (?1, ?2, ?3, ?4)"};
	const struct group_read in_runs = {
		"SELECT place, step, cents, profit FROM line ORDER BY step", NULL, 0,
		&steps_of_place, 1};
	const char *sqlites = "SELECT place, count(DISTINCT step), sum(cents), sum(profit)"
			      " FROM line GROUP BY place ORDER BY place";
	struct error err = {""};
	CHECK_INT(group_sums(db, &in_runs, &err), 0);
	check_same_rows(db, "SELECT * FROM counted ORDER BY key", sqlites, 1);
	sqlite3_exec(db, "DELETE FROM counted", NULL, NULL, NULL);
	const struct group_read out_of_order = {
		"SELECT place, step, cents, profit FROM line ORDER BY cents", NULL, 0,
		&steps_of_place, 1};
	CHECK_INT(group_sums(db, &out_of_order, &err), 0);
	sqlite3_stmt *more;
	sqlite3_prepare_v2(db, "SELECT (SELECT sum(distinct_count) FROM counted) >"
			   " (SELECT count(*) FROM (SELECT DISTINCT place, step FROM line"
			   " WHERE step IS NOT NULL))", -1, &more, NULL);
	CHECK(sqlite3_step(more) == SQLITE_ROW && sqlite3_column_int(more, 0) == 1);
	sqlite3_finalize(more);
	sqlite3_close(db);
}

static void test_one_read_feeds_several_groupings(void)
{
	sqlite3 *db = open_memory();
	fill_random_lines(db);
	const struct group_sink sinks[] = {
		{.keys = (const int[]){0, 1}, .key_count = 2, .distinct = -1,
		 .sums = (const int[]){2, 3}, .sum_count = 2,
		 .insert_sql = "INSERT INTO summed VALUES (?1, ?2, ?3, ?4, ?5)"},
		{.keys = (const int[]){1}, .key_count = 1, .distinct = 0,
		 .sums = (const int[]){3, 2}, .sum_count = 2,
		 .insert_sql = "INSERT INTO counted VALUES (?1, ?2, ?3, ?4)"},
	};
	const struct group_read both = {
		"SELECT place, step, cents, profit FROM line WHERE cents > ?1",
		(struct query_arg[]){ARG_NUM(0)}, 1, sinks, 2};
	struct error err = {""};
	CHECK_INT(group_sums(db, &both, &err), 0);
	check_same_rows(db, "SELECT * FROM summed ORDER BY place, step",
			"SELECT place, step, count(*), sum(cents), sum(profit) FROM line"
			" WHERE cents > 0 GROUP BY place, step ORDER BY place, step",
			50000);
	check_same_rows(db, "SELECT * FROM counted ORDER BY key",
			"SELECT step, count(DISTINCT place), sum(profit), sum(cents) FROM line"
			" WHERE cents > 0 GROUP BY step ORDER BY step",
			20000);
	sqlite3_close(db);
}

static void test_a_column_that_is_not_a_whole_number_is_refused(void)
{
	sqlite3 *db = open_memory();
	sqlite3_exec(db, "INSERT INTO line VALUES ('UK', 1, 2.5, NULL)", NULL, NULL, NULL);
	struct error err = {""};
	CHECK_INT(group_sums(db, &by_place_and_step, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "cents is not a whole number") != NULL);
	sqlite3_close(db);
}

static void test_a_sum_that_overflows_is_refused(void)
{
	sqlite3 *db = open_memory();
	sqlite3_exec(db,
		     "INSERT INTO line VALUES ('UK', 1, 9223372036854775807, NULL),"
		     " ('UK', 1, 1, NULL)",
		     NULL, NULL, NULL);
	struct error err = {""};
	CHECK_INT(group_sums(db, &by_place_and_step, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "the sum of cents overflows") != NULL);
	sqlite3_close(db);
}

int main(void)
{
	RUN(test_groups_are_summed_in_the_order_first_seen);
	RUN(test_sums_agree_with_sqlites_group_by);
	RUN(test_distinct_counts_agree_with_sqlites_count_distinct);
	RUN(test_distinct_in_runs_counts_each_run_once);
	RUN(test_one_read_feeds_several_groupings);
	RUN(test_a_column_that_is_not_a_whole_number_is_refused);
	RUN(test_a_sum_that_overflows_is_refused);
	return check_summary();
}
