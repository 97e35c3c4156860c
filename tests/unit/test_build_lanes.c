/* test_build_lanes: the build renders its pages on two threads, each with its own
 * connection to the warehouse, and can run a prelude (the models) on the second one
 * beside the pages that need no model. The site must be the same whether it is built
 * that way or on one thread (a warehouse in memory cannot be opened twice, so it takes
 * the one-thread path), with the models run before or as the prelude; a failure on
 * either thread, or in the prelude, must stop the build, name what failed and leave
 * out/ as it was. The warehouses are the bundled sample, loaded by bin/cartograph. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli.h"
#include "report/build.h"
#include "report/site_path.h"
#include "util/buf.h"

static char scratch[64];   /* the test's folder */
static char warehouse[96]; /* the sample's warehouse, built once */
static char unmodelled[96]; /* the sample ingested and cleaned, never modelled */

static void path_in_scratch(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", scratch, name);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Loads the sample into path through the first count stages of ingest, clean, model.
 * 0 on success. */
static int load_sample(const char *path, size_t count)
{
	static const char *const stages[] = {"ingest data/sample/*.csv", "clean", "model"};
	for (size_t i = 0; i < count; i++) {
		char cmd[512];
		snprintf(cmd, sizeof cmd, "bin/cartograph --db %s -q %s >/dev/null", path,
			 stages[i]);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* The bytes of out/NAME/FILE, or an empty buffer. */
static void read_site_file(const char *name, const char *file, struct buf *text)
{
	char path[256];
	struct error ignored;
	snprintf(path, sizeof path, "%s/%s/%s", scratch, name, file);
	buf_reset(text);
	buf_read_file(text, path, &ignored);
}

static int build_with_prelude(sqlite3 *db, const char *name, const char *templates,
			      const struct build_prelude *prelude, struct build_summary *summary,
			      struct error *err)
{
	char out[128], shop_db[128];
	path_in_scratch(out, sizeof out, name);
	snprintf(shop_db, sizeof shop_db, "%s/%s-shop.db", scratch, name);
	struct build_options opt = {
		.out_dir = out, .templates_dir = templates, .currency = "$",
		.shop_url = "/cgi-bin/shop.cgi", .recs_url = "recs", .shop_db_path = shop_db,
		.prelude = prelude,
	};
	return build_site(db, &opt, summary, err);
}

static int build_into(sqlite3 *db, const char *name, const char *templates,
		      struct build_summary *summary, struct error *err)
{
	return build_with_prelude(db, name, templates, NULL, summary, err);
}

/* A prelude: every model step, as `cartograph model all` runs them, quietly, after
 * a pause long enough for the pages that need no model to be done: a page that did not
 * wait for the models would find none. */
static int run_models(sqlite3 *db, void *ctx, void (*step_done)(void *, const char *),
		      void *step_ctx, struct error *err)
{
	const struct cli quiet = {.verbosity = 0};
	struct timespec pause = {2, 0};
	(void)ctx;
	nanosleep(&pause, NULL);
	return cli_model_all(db, &quiet, step_done, step_ctx, err);
}

/* A prelude that runs the models, then waits (10 s at most) until the overview page
 * is being written, before it says it is done: *(int *)ctx is set to 1 if it was. */
static int wait_for_overview(sqlite3 *db, void *ctx, void (*step_done)(void *, const char *),
			     void *step_ctx, struct error *err)
{
	const struct cli quiet = {.verbosity = 0};
	int rc = cli_model_all(db, &quiet, step_done, step_ctx, err);
	char temp[160];
	snprintf(temp, sizeof temp, "%s/early/" SITE_RESERVED_PREFIX "-tmp.index.html", scratch);
	struct timespec pause = {0, 10 * 1000 * 1000};
	for (int i = 0; i < 1000 && access(temp, F_OK) != 0; i++)
		nanosleep(&pause, NULL);
	*(int *)ctx = access(temp, F_OK) == 0;
	return rc;
}

/* A prelude that fails. */
static int refuse(sqlite3 *db, void *ctx, void (*step_done)(void *, const char *),
		  void *step_ctx, struct error *err)
{
	(void)db, (void)ctx, (void)step_done, (void)step_ctx;
	return error_set(err, ERR_INPUT, "the models refused to run");
}

/* 1 when out/A and out/B have the same manifest.json (every file's path, size and
 * SHA-256). */
static int same_manifest(const char *a_name, const char *b_name)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	read_site_file(a_name, "manifest.json", &a);
	read_site_file(b_name, "manifest.json", &b);
	int same = a.len > 10000 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
	buf_free(&a);
	buf_free(&b);
	return same;
}

/* A copy of the warehouse at from, as the file name in the test's folder, or in memory
 * (where the build cannot open it a second time) when name is NULL. */
static sqlite3 *open_copy(const char *from, const char *name)
{
	char path[128] = ":memory:";
	sqlite3 *source = NULL, *to = NULL;
	if (name)
		path_in_scratch(path, sizeof path, name);
	CHECK_INT(sqlite3_open_v2(from, &source, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_open(path, &to), SQLITE_OK);
	sqlite3_backup *copy = sqlite3_backup_init(to, "main", source, "main");
	CHECK(copy && sqlite3_backup_step(copy, -1) == SQLITE_DONE);
	sqlite3_backup_finish(copy);
	sqlite3_close(source);
	if (name)
		sqlite3_exec(to, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	return to;
}

static void test_two_threads_and_one_build_the_same_site(void)
{
	sqlite3 *disk = NULL, *memory = open_copy(warehouse, NULL);
	CHECK(memory != NULL);
	CHECK_INT(sqlite3_open_v2(warehouse, &disk, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	struct build_summary two, one;
	struct error err = {0};
	CHECK_INT(build_into(disk, "two", "templates", &two, &err), 0);
	CHECK_INT(build_into(memory, "one", "templates", &one, &err), 0);
	CHECK(same_manifest("two", "one"));
	struct buf a = BUF_INIT, b = BUF_INIT;
	read_site_file("two", ".cartograph-charts", &a);
	read_site_file("one", ".cartograph-charts", &b);
	CHECK(a.len > 0 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	/* what each thread counted is added up */
	CHECK(two.catalog_pages > 0 && two.recs_files > 0 && two.charts > 0);
	CHECK_INT(two.pages, one.pages);
	CHECK_INT(two.charts, one.charts);
	CHECK_INT(two.catalog_pages, one.catalog_pages);
	CHECK_INT(two.recs_files, one.recs_files);
	CHECK_INT(two.shop.products, one.shop.products);
	CHECK_INT(two.shop.product_recs, one.shop.product_recs);
	CHECK_INT((int)two.files.written, (int)one.files.written);
	CHECK(two.shop.recs_source && one.shop.recs_source &&
	      strcmp(two.shop.recs_source, one.shop.recs_source) == 0);
	buf_free(&a);
	buf_free(&b);
	sqlite3_close(disk);
	sqlite3_close(memory);
}

static void test_the_build_leaves_shop_db_with_an_empty_wal(void)
{
	/* the export's big transaction is copied into shop.db at once: left in the WAL,
	 * it would grow build after build, and every process opening shop.db reads it */
	char wal[160];
	struct stat st;
	snprintf(wal, sizeof wal, "%s/two-shop.db-wal", scratch);
	CHECK(stat(wal, &st) != 0 || st.st_size == 0);
}


static void test_pages_that_read_the_models_wait_for_the_prelude(void)
{
	struct build_prelude models = {run_models, NULL};
	struct build_summary summary;
	struct error err = {0};
	sqlite3 *disk = open_copy(unmodelled, "prelude.db"), *memory = open_copy(unmodelled, NULL);
	CHECK_INT(build_with_prelude(disk, "prelude-two", "templates", &models, &summary, &err),
		  0);
	CHECK_INT(summary.prelude_failed, 0);
	CHECK(same_manifest("prelude-two", "two"));
	CHECK_INT(build_with_prelude(memory, "prelude-one", "templates", &models, &summary,
				     &err), 0);
	CHECK(same_manifest("prelude-one", "two"));
	/* the stamp names the warehouse as the prelude left it */
	CHECK_INT(build_into(disk, "prelude-two", "templates", &summary, &err), 0);
	CHECK_INT(summary.up_to_date, 1);
	sqlite3_close(disk);
	sqlite3_close(memory);
}

/* The overview reads one model (the anomalies): it is rendered once that step is
 * committed, while the prelude still runs. */
static void test_the_overview_waits_only_for_the_anomalies(void)
{
	int overview_began = 0;
	struct build_prelude models = {wait_for_overview, &overview_began};
	struct build_summary summary;
	struct error err = {0};
	sqlite3 *disk = open_copy(unmodelled, "early.db");
	CHECK_INT(build_with_prelude(disk, "early", "templates", &models, &summary, &err), 0);
	CHECK_INT(overview_began, 1);
	CHECK(same_manifest("early", "two"));
	sqlite3_close(disk);
}

static void test_a_failed_prelude_stops_the_build_with_its_error(void)
{
	struct build_prelude refusal = {refuse, NULL};
	struct build_summary summary;
	struct error err = {0};
	sqlite3 *dbs[2] = {open_copy(unmodelled, "refused.db"), open_copy(unmodelled, NULL)};
	for (int i = 0; i < 2; i++) {
		CHECK(build_with_prelude(dbs[i], "refused", "templates", &refusal, &summary,
					 &err) < 0);
		CHECK_INT(summary.prelude_failed, 1);
		CHECK_STR(err.msg, "the models refused to run");
		struct buf manifest = BUF_INIT;
		read_site_file("refused", "manifest.json", &manifest);
		CHECK_INT((int)manifest.len, 0);
		buf_free(&manifest);
		sqlite3_close(dbs[i]);
	}
}

/* A copy of templates/ without one file. */
static void templates_without(const char *folder, const char *missing)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf %s && cp -R templates %s && rm %s/%s", folder, folder,
		 folder, missing);
	CHECK_INT(system(cmd), 0);
}

/* Fails a build whose templates lack missing, on a site built before, and checks that
 * the error names the template and that out/ keeps the earlier build's manifest. */
static void check_failed_build(const char *missing)
{
	char templates[128], out[128];
	path_in_scratch(templates, sizeof templates, "templates-broken");
	path_in_scratch(out, sizeof out, "kept");
	templates_without(templates, missing);
	sqlite3 *disk = NULL;
	CHECK_INT(sqlite3_open_v2(warehouse, &disk, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	struct build_summary summary;
	struct error err = {0};
	CHECK_INT(build_into(disk, "kept", "templates", &summary, &err), 0);
	struct buf before = BUF_INIT, after = BUF_INIT;
	read_site_file("kept", "manifest.json", &before);
	/* force a render: the stamp would otherwise say nothing changed */
	char stamp[160];
	snprintf(stamp, sizeof stamp, "%s/.cartograph-build", out);
	unlink(stamp);
	CHECK(build_into(disk, "kept", templates, &summary, &err) < 0);
	CHECK(strstr(err.msg, missing) != NULL);
	if (!strstr(err.msg, missing))
		fprintf(stderr, "  error was: %s\n", err.msg);
	read_site_file("kept", "manifest.json", &after);
	CHECK(before.len > 0 && before.len == after.len &&
	      memcmp(before.data, after.data, before.len) == 0);
	buf_free(&before);
	buf_free(&after);
	sqlite3_close(disk);
}

static void test_a_failure_in_the_catalog_thread_stops_the_build(void)
{
	check_failed_build("catalog/product.mustache");
}

static void test_a_failure_in_the_sales_thread_stops_the_build(void)
{
	check_failed_build("sales.mustache");
}

static void test_a_failure_in_the_page_either_thread_renders_stops_the_build(void)
{
	check_failed_build("products.mustache");
}

int main(void)
{
	strcpy(scratch, "/tmp/cartograph-lanes-XXXXXX");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(warehouse, sizeof warehouse, "%s/warehouse.db", scratch);
	snprintf(unmodelled, sizeof unmodelled, "%s/unmodelled.db", scratch);
	if (load_sample(warehouse, 3) < 0 || load_sample(unmodelled, 2) < 0) {
		fprintf(stderr, "cannot load data/sample with bin/cartograph\n");
		remove_tree(scratch);
		return 1;
	}
	RUN(test_two_threads_and_one_build_the_same_site);
	RUN(test_the_build_leaves_shop_db_with_an_empty_wal);
	RUN(test_pages_that_read_the_models_wait_for_the_prelude);
	RUN(test_the_overview_waits_only_for_the_anomalies);
	RUN(test_a_failed_prelude_stops_the_build_with_its_error);
	RUN(test_a_failure_in_the_catalog_thread_stops_the_build);
	RUN(test_a_failure_in_the_sales_thread_stops_the_build);
	RUN(test_a_failure_in_the_page_either_thread_renders_stops_the_build);
	remove_tree(scratch);
	return check_summary();
}
