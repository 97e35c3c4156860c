/* test_site: the site writer: content-hashed asset names, unchanged files left alone,
 * removal limited to what earlier builds made, path checks, a deterministic manifest,
 * and out/ staying whole when a build is killed at any moment.
 *
 * Run as `test_site write OUT_DIR [page PATH FILE | asset STEM EXT FILE]...` it is
 * instead a small build for the end-to-end tests: it writes those files through the
 * site writer, prints each asset's final path, and finishes the site. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "report/content_type.h"
#include "report/manifest.h"
#include "report/site.h"
#include "report/site_fs.h"
#include "report/site_path.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* --- helpers ----------------------------------------------------------------------- */

/* A fresh empty folder in /tmp; path holds 64 bytes. */
static void make_temp_dir(char path[64])
{
	strcpy(path, "/tmp/cartograph-site-XXXXXX");
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		exit(1);
	}
}

static void remove_tree(const char *path)
{
	struct buf cmd = BUF_INIT;
	buf_printf(&cmd, "rm -rf '%s'", path);
	if (system(cmd.data) != 0)
		fprintf(stderr, "could not remove %s\n", path);
	buf_free(&cmd);
}

/* The contents of dir/rel as a malloc'd string, or NULL when it cannot be read. */
static char *slurp(const char *dir, const char *rel)
{
	char *path = site_fs_join(dir, rel), *text = NULL;
	size_t len;
	struct error err;
	if (site_fs_read_all(path, &text, &len, &err) < 0)
		text = NULL;
	free(path);
	return text;
}

static int exists(const char *dir, const char *rel)
{
	char *path = site_fs_join(dir, rel);
	struct stat st;
	int found = lstat(path, &st) == 0;
	free(path);
	return found;
}

static void put_file(const char *dir, const char *rel, const char *text)
{
	char *path = site_fs_join(dir, rel);
	FILE *f = fopen(path, "wb");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static struct stat stat_of(const char *dir, const char *rel)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	char *path = site_fs_join(dir, rel);
	stat(path, &st);
	free(path);
	return st;
}

/* Sets a file's mtime far in the past, so a rewrite would show. */
static void age_file(const char *dir, const char *rel)
{
	char *path = site_fs_join(dir, rel);
	struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
	utimensat(AT_FDCWD, path, times, 0);
	free(path);
}

/* Counts the entries of dir whose name starts with prefix. */
static int count_named(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

struct page {
	const char *path; /* page path */
	const char *text; /* its bytes */
};

/* One whole build: an asset (stem "charts/revenue") and the given pages. Returns the
 * result of the first failing call, 0 on success; counts and asset path copied out. */
static int build(const char *out, const char *chart, const struct page *pages, int n,
		 struct site_counts *counts, char asset_path[128])
{
	struct site *site = NULL;
	struct error err;
	const char *href = NULL;
	int rc = site_open(out, &site, &err);
	if (rc == 0 && chart)
		rc = site_add_asset(site, "charts/revenue", ".png", chart, strlen(chart), &href,
				    &err);
	if (rc == 0 && asset_path && href)
		snprintf(asset_path, 128, "%s", href);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = site_add_page(site, pages[i].path, pages[i].text, strlen(pages[i].text), &err);
	if (rc == 0)
		rc = site_finish(site, &err);
	if (rc == 0 && counts)
		*counts = *site_counts(site);
	if (rc < 0)
		printf("    build failed: %s\n", err.msg);
	site_close(site);
	return rc;
}

/* --- tests ------------------------------------------------------------------------- */

static void test_site_names_assets_by_content_hash(void)
{
	char out[64], hex[65], want[128], got[128] = "";
	make_temp_dir(out);
	sha256_hex_of("PNGDATA", 7, hex);
	snprintf(want, sizeof want, "charts/revenue.%.8s.png", hex);
	CHECK_INT(build(out, "PNGDATA", NULL, 0, NULL, got), 0);
	CHECK_STR(got, want);
	char *text = slurp(out, want);
	CHECK_STR(text, "PNGDATA");
	free(text);
	char *manifest = slurp(out, "manifest.json");
	CHECK(manifest && strstr(manifest, "\"content_type\":\"image/png\","
					   "\"cache_control\":\"public, max-age=31536000, immutable\""));
	free(manifest);
	remove_tree(out);
}

static void test_site_pages_keep_their_names_and_are_cached_briefly(void)
{
	char out[64];
	make_temp_dir(out);
	struct page pages[] = {{"customers.html", "<p>c</p>"}, {"products/p-1.html", "<p>1</p>"}};
	CHECK_INT(build(out, NULL, pages, 2, NULL, NULL), 0);
	char *text = slurp(out, "products/p-1.html");
	CHECK_STR(text, "<p>1</p>");
	free(text);
	char *manifest = slurp(out, "manifest.json");
	CHECK(manifest && strstr(manifest, "{\"path\":\"customers.html\",\"bytes\":8,"));
	CHECK(manifest && strstr(manifest, "\"content_type\":\"text/html; charset=utf-8\","
					   "\"cache_control\":\"public, max-age=300\"}"));
	free(manifest);
	remove_tree(out);
}

static void test_site_leaves_unchanged_files_alone(void)
{
	char out[64], asset[128];
	struct site_counts counts;
	make_temp_dir(out);
	struct page pages[] = {{"index.html", "<p>home</p>"}, {"sales.html", "<p>sales</p>"}};
	CHECK_INT(build(out, "PNG1", pages, 2, &counts, asset), 0);
	CHECK_INT(counts.written, 3);
	CHECK_INT(counts.manifest_written, 1);
	age_file(out, "index.html");
	age_file(out, asset);
	age_file(out, "manifest.json");
	struct stat page_before = stat_of(out, "index.html"), asset_before = stat_of(out, asset);
	struct stat manifest_before = stat_of(out, "manifest.json");

	CHECK_INT(build(out, "PNG1", pages, 2, &counts, NULL), 0);
	CHECK_INT(counts.written, 0);
	CHECK_INT(counts.unchanged, 3);
	CHECK_INT(counts.removed, 0);
	CHECK_INT(counts.manifest_written, 0);
	struct stat page_after = stat_of(out, "index.html"), asset_after = stat_of(out, asset);
	struct stat manifest_after = stat_of(out, "manifest.json");
	CHECK_INT(page_after.st_ino, page_before.st_ino);
	CHECK_INT(page_after.st_mtime, page_before.st_mtime);
	CHECK_INT(asset_after.st_ino, asset_before.st_ino);
	CHECK_INT(asset_after.st_mtime, asset_before.st_mtime);
	CHECK_INT(manifest_after.st_mtime, manifest_before.st_mtime);
	CHECK(!exists(out, ".cartograph-journal"));
	remove_tree(out);
}

/* A build skips comparing files in folders it made itself: it must know which those are,
 * and a folder that was there keeps its files when they are the same. */
static void test_site_knows_the_folders_it_made(void)
{
	char out[64];
	struct error err;
	struct site_counts counts;
	make_temp_dir(out);
	CHECK_INT(site_fs_make_parents(out, "shop/product/a.html", &err), 1);
	CHECK_INT(site_fs_make_parents(out, "shop/product/b.html", &err), 0);
	CHECK_INT(site_fs_make_parents(out, "shop/c.html", &err), 0);
	CHECK_INT(site_fs_make_parents(out, "top.html", &err), 0);
	struct page pages[] = {{"shop/product/a.html", "<p>a</p>"}, {"recs/a.json", "{}"}};
	CHECK_INT(build(out, NULL, pages, 2, &counts, NULL), 0);
	CHECK_INT(counts.written, 2);
	age_file(out, "recs/a.json");
	struct stat before = stat_of(out, "recs/a.json");
	CHECK_INT(build(out, NULL, pages, 2, &counts, NULL), 0);
	CHECK_INT(counts.written, 0);
	CHECK_INT(counts.unchanged, 2);
	CHECK_INT(stat_of(out, "recs/a.json").st_mtime, before.st_mtime);
	remove_tree(out);
}

static void test_site_rewrites_only_the_page_that_changed(void)
{
	char out[64];
	struct site_counts counts;
	make_temp_dir(out);
	struct page v1[] = {{"index.html", "<p>home</p>"}, {"sales.html", "<p>sales</p>"}};
	struct page v2[] = {{"index.html", "<p>home</p>"}, {"sales.html", "<p>sales up</p>"}};
	CHECK_INT(build(out, NULL, v1, 2, NULL, NULL), 0);
	age_file(out, "index.html");
	struct stat index_before = stat_of(out, "index.html");
	CHECK_INT(build(out, NULL, v2, 2, &counts, NULL), 0);
	CHECK_INT(counts.written, 1);
	CHECK_INT(counts.unchanged, 1);
	CHECK_INT(counts.bytes_written, strlen("<p>sales up</p>"));
	CHECK_INT(counts.manifest_written, 1);
	CHECK_INT(stat_of(out, "index.html").st_mtime, index_before.st_mtime);
	char *text = slurp(out, "sales.html");
	CHECK_STR(text, "<p>sales up</p>");
	free(text);
	CHECK_INT(count_named(out, ".cartograph"), 0);
	remove_tree(out);
}

static void test_site_removes_only_what_earlier_builds_made(void)
{
	char out[64], old_asset[128], new_asset[128];
	struct site_counts counts;
	make_temp_dir(out);
	struct page v1[] = {{"index.html", "1"}, {"old/gone.html", "2"}, {"kept/page.html", "3"}};
	struct page v2[] = {{"index.html", "1"}, {"kept/page.html", "3"}};
	CHECK_INT(build(out, "PNG1", v1, 3, NULL, old_asset), 0);
	put_file(out, "notes.txt", "mine");          /* the user's own files */
	put_file(out, "charts/revenue.00000000.png", "mine too");
	put_file(out, "kept/mine.html", "mine as well");
	CHECK_INT(build(out, "PNG2", v2, 2, &counts, new_asset), 0);
	CHECK_INT(counts.removed, 2);
	CHECK(!exists(out, old_asset));
	CHECK(exists(out, new_asset));
	CHECK(!exists(out, "old/gone.html"));
	CHECK(!exists(out, "old")); /* the folder it emptied goes too */
	CHECK(exists(out, "notes.txt"));
	CHECK(exists(out, "charts/revenue.00000000.png"));
	CHECK(exists(out, "kept/mine.html"));
	CHECK(exists(out, "kept/page.html"));
	remove_tree(out);
}

static void test_site_refuses_paths_that_leave_the_folder_or_are_malformed(void)
{
	static const char *bad[] = {
		"../escape.html", "a/../../escape.html", "/etc/passwd", "a//b.html",
		"a/./b.html", "", "dir/", "a\\b.html", "line\nbreak.html", "tab\t.html",
		"bad\xff.html", ".cartograph-journal", "x/.cartograph-tmp.y", "..",
	};
	char out[64];
	struct site *site = NULL;
	struct error err;
	make_temp_dir(out);
	CHECK_INT(site_open(out, &site, &err), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = site_add_page(site, bad[i], "x", 1, &err);
		if (rc != ERR_INPUT)
			printf("    accepted '%s'\n", bad[i]);
		CHECK_INT(rc, ERR_INPUT);
	}
	CHECK_INT(site_add_page(site, "../escape.html", "x", 1, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "'../escape.html' is not a valid site path"));
	char long_name[300];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	CHECK_INT(site_add_page(site, long_name, "x", 1, &err), ERR_INPUT);
	CHECK_INT(site_add_page(site, "manifest.json", "x", 1, &err), ERR_INPUT);
	const char *href = NULL;
	CHECK_INT(site_add_asset(site, "../x", ".png", "x", 1, &href, &err), ERR_INPUT);
	CHECK_INT(site_add_asset(site, "x", "png", "x", 1, &href, &err), ERR_INPUT);
	CHECK_INT(site_add_asset(site, "x", ".p/g", "x", 1, &href, &err), ERR_INPUT);
	CHECK(href == NULL);
	CHECK_INT(site_add_page(site, "ok/page-1 (café).html", "x", 1, &err), 0);
	CHECK_INT(site_finish(site, &err), 0);
	site_close(site);
	CHECK(exists(out, "ok/page-1 (café).html"));
	remove_tree(out);
}

static void test_site_path_check_finds_nul_inside_the_length(void)
{
	struct error err;
	CHECK_INT(site_path_check("a\0b.html", 8, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "NUL"));
	CHECK_INT(site_path_check("a/b.html", 8, &err), 0);
}

static void test_site_same_path_twice_must_have_same_bytes(void)
{
	char out[64];
	struct site *site = NULL;
	struct error err;
	const char *a = NULL, *b = NULL;
	make_temp_dir(out);
	CHECK_INT(site_open(out, &site, &err), 0);
	CHECK_INT(site_add_asset(site, "style", ".css", "body{}", 6, &a, &err), 0);
	CHECK_INT(site_add_asset(site, "style", ".css", "body{}", 6, &b, &err), 0);
	CHECK(a && b && strcmp(a, b) == 0);
	CHECK_INT(site_add_page(site, "index.html", "one", 3, &err), 0);
	CHECK_INT(site_add_page(site, "index.html", "one", 3, &err), 0);
	CHECK_INT(site_add_page(site, "index.html", "two", 3, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "added twice"));
	CHECK_INT(site_finish(site, &err), 0);
	CHECK_INT(site_counts(site)->written, 2);
	site_close(site);
	remove_tree(out);
}

static void test_site_manifest_is_sorted_and_the_same_whatever_the_order(void)
{
	char out1[64], out2[64];
	make_temp_dir(out1);
	make_temp_dir(out2);
	struct page forward[] = {{"b.html", "B"}, {"a.html", "A"}, {"c/d.csv", "1,2"}};
	struct page backward[] = {{"c/d.csv", "1,2"}, {"a.html", "A"}, {"b.html", "B"}};
	CHECK_INT(build(out1, "PNG", forward, 3, NULL, NULL), 0);
	CHECK_INT(build(out2, "PNG", backward, 3, NULL, NULL), 0);
	char *m1 = slurp(out1, "manifest.json"), *m2 = slurp(out2, "manifest.json");
	CHECK(m1 && m2 && strcmp(m1, m2) == 0);
	char a[65], b[65], csv[65], png[65];
	sha256_hex_of("A", 1, a);
	sha256_hex_of("B", 1, b);
	sha256_hex_of("1,2", 3, csv);
	sha256_hex_of("PNG", 3, png);
	struct buf want = BUF_INIT;
	buf_printf(&want,
		   "{\"manifest_version\":1,\"files\":[\n"
		   "{\"path\":\"a.html\",\"bytes\":1,\"sha256\":\"%s\",\"content_type\":\"text/html; "
		   "charset=utf-8\",\"cache_control\":\"public, max-age=300\"},\n"
		   "{\"path\":\"b.html\",\"bytes\":1,\"sha256\":\"%s\",\"content_type\":\"text/html; "
		   "charset=utf-8\",\"cache_control\":\"public, max-age=300\"},\n"
		   "{\"path\":\"c/d.csv\",\"bytes\":3,\"sha256\":\"%s\",\"content_type\":\"text/csv; "
		   "charset=utf-8\",\"cache_control\":\"public, max-age=300\"},\n"
		   "{\"path\":\"charts/revenue.%.8s.png\",\"bytes\":3,\"sha256\":\"%s\","
		   "\"content_type\":\"image/png\",\"cache_control\":\"public, max-age=31536000, "
		   "immutable\"}\n"
		   "]}\n",
		   a, b, csv, png, png);
	CHECK_STR(m1, want.data);
	buf_free(&want);
	free(m1);
	free(m2);
	remove_tree(out1);
	remove_tree(out2);
}

static void test_manifest_reads_back_what_it_writes_and_refuses_damage(void)
{
	struct manifest m = MANIFEST_INIT, back = MANIFEST_INIT;
	struct buf json = BUF_INIT;
	struct error err;
	char hex[65];
	sha256_hex_of("x", 1, hex);
	manifest_add(&m, "z/\"quoted\" <name>.html", 1, hex, "text/html; charset=utf-8",
		     CACHE_PAGE);
	manifest_add(&m, "a.png", 1, hex, "image/png", CACHE_IMMUTABLE);
	manifest_sort(&m);
	manifest_to_json(&m, &json);
	CHECK_INT(manifest_parse("m.json", json.data, json.len, &back, &err), 0);
	CHECK_INT(back.len, 2);
	CHECK_STR(back.entries[1].path, "z/\"quoted\" <name>.html");
	CHECK(manifest_find(&back, "a.png") && manifest_entry_is_asset(manifest_find(&back, "a.png")));
	CHECK(manifest_find(&back, "nope") == NULL);
	manifest_free(&back);

	/* HEX stands for a valid digest. */
	static const char *damaged[] = {
		"{\"manifest_version\":1,\"files\":[{\"path\":\"../x\",\"bytes\":1,\"sha256\":"
		"\"HEX\",\"content_type\":\"t\",\"cache_control\":\"c\"}]}",
		"{\"manifest_version\":1,\"files\":[{\"path\":\"x\",\"bytes\":-1,\"sha256\":"
		"\"HEX\",\"content_type\":\"t\",\"cache_control\":\"c\"}]}",
		"{\"manifest_version\":1,\"files\":[{\"path\":\"x\",\"bytes\":1,\"sha256\":"
		"\"abc\",\"content_type\":\"t\",\"cache_control\":\"c\"}]}",
		"{\"manifest_version\":1,\"files\":[{\"path\":\"a\\u0000b\",\"bytes\":1,\"sha256\":"
		"\"HEX\",\"content_type\":\"t\",\"cache_control\":\"c\"}]}",
		"{\"manifest_version\":1,\"files\":[{\"path\":\"x\",\"bytes\":1,\"sha256\":\"HEX\","
		"\"content_type\":\"t\",\"cache_control\":\"c\"},{\"path\":\"x\",\"bytes\":1,"
		"\"sha256\":\"HEX\",\"content_type\":\"t\",\"cache_control\":\"c\"}]}",
		"{\"manifest_version\":2,\"files\":[]}",
		"{\"files\":",
	};
	for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
		buf_reset(&json);
		for (const char *p = damaged[i]; *p; p++) {
			if (strncmp(p, "HEX", 3) == 0) {
				buf_puts(&json, hex);
				p += 2;
			} else {
				buf_putc(&json, *p);
			}
		}
		CHECK_INT(manifest_parse("m.json", json.data, json.len, &back, &err), ERR_INPUT);
		CHECK_INT(back.len, 0);
	}
	buf_free(&json);
	manifest_free(&m);
}

static void test_content_type_by_extension(void)
{
	CHECK_STR(content_type_for_path("index.html"), "text/html; charset=utf-8");
	CHECK_STR(content_type_for_path("a/style.1234abcd.CSS"), "text/css; charset=utf-8");
	CHECK_STR(content_type_for_path("app.js"), "text/javascript; charset=utf-8");
	CHECK_STR(content_type_for_path("c.png"), "image/png");
	CHECK_STR(content_type_for_path("d.csv"), "text/csv; charset=utf-8");
	CHECK_STR(content_type_for_path("manifest.json"), "application/json");
	CHECK_STR(content_type_for_path("logo.svg"), "image/svg+xml");
	CHECK_STR(content_type_for_path("robots.txt"), "text/plain; charset=utf-8");
	CHECK_STR(content_type_for_path("sitemap.xml"), "application/xml");
	CHECK_STR(content_type_for_path("favicon.ico"), "image/x-icon");
	CHECK_STR(content_type_for_path("f.woff2"), "font/woff2");
	CHECK_STR(content_type_for_path("LICENSE"), "application/octet-stream");
	CHECK_STR(content_type_for_path("dir.html/file"), "application/octet-stream");
	CHECK_STR(content_type_for_path(".html"), "application/octet-stream");
}

static void test_site_unfinished_build_leaves_out_as_it_was(void)
{
	char out[64];
	struct site *site = NULL;
	struct error err;
	make_temp_dir(out);
	struct page v1[] = {{"index.html", "old"}};
	CHECK_INT(build(out, NULL, v1, 1, NULL, NULL), 0);
	CHECK_INT(site_open(out, &site, &err), 0);
	CHECK_INT(site_add_page(site, "index.html", "new", 3, &err), 0);
	CHECK_INT(site_add_page(site, "extra.html", "new", 3, &err), 0);
	site_close(site); /* an error happened elsewhere: no finish */
	char *text = slurp(out, "index.html");
	CHECK_STR(text, "old");
	free(text);
	CHECK(!exists(out, "extra.html"));
	CHECK_INT(count_named(out, ".cartograph-tmp"), 0);
	CHECK(!exists(out, ".cartograph-journal"));
	remove_tree(out);
}

static void test_site_unfinished_build_keeps_the_journal_a_crash_left(void)
{
	char out[64];
	struct site *site = NULL;
	struct error err;
	make_temp_dir(out);
	struct page v1[] = {{"index.html", "old"}};
	CHECK_INT(build(out, NULL, v1, 1, NULL, NULL), 0);
	/* A killed build had put orphan.html in place; the next one fails too. */
	put_file(out, "orphan.html", "half a build");
	put_file(out, ".cartograph-journal", "orphan.html\n");
	CHECK_INT(site_open(out, &site, &err), 0);
	CHECK_INT(site_add_page(site, "index.html", "new", 3, &err), 0);
	site_close(site);
	char *text = slurp(out, ".cartograph-journal");
	CHECK(text && strstr(text, "orphan.html\n"));
	free(text);
	CHECK_INT(build(out, NULL, v1, 1, NULL, NULL), 0);
	CHECK(!exists(out, "orphan.html"));
	CHECK(!exists(out, ".cartograph-journal"));
	remove_tree(out);
}

static void test_site_locks_out_a_second_build(void)
{
	char out[64];
	struct site *first = NULL, *second = NULL;
	struct error err;
	make_temp_dir(out);
	CHECK_INT(site_open(out, &first, &err), 0);
	CHECK_INT(site_open(out, &second, &err), ERR_INPUT);
	CHECK(second == NULL);
	CHECK(strstr(err.msg, "another cartograph is writing"));
	site_close(first);
	CHECK_INT(site_open(out, &second, &err), 0);
	site_close(second);
	remove_tree(out);
}

static void test_site_clears_temp_files_a_crash_left(void)
{
	char out[64];
	struct site_counts counts;
	make_temp_dir(out);
	struct page v1[] = {{"index.html", "v1"}};
	CHECK_INT(build(out, NULL, v1, 1, NULL, NULL), 0);
	/* What a build killed while writing looks like: a journal naming the paths it
	 * started on, a half-written temporary file, and an orphan it had renamed. */
	put_file(out, ".cartograph-journal", "index.html\norphan.html\ntorn-li");
	put_file(out, ".cartograph-tmp.index.html", "v2 half wr");
	put_file(out, "orphan.html", "from the killed build");
	put_file(out, ".cartograph-tmp.manifest.json", "{\"manif");
	struct page v3[] = {{"index.html", "v3"}};
	CHECK_INT(build(out, NULL, v3, 1, &counts, NULL), 0);
	CHECK_INT(count_named(out, ".cartograph"), 0);
	CHECK(!exists(out, "orphan.html"));
	CHECK_INT(counts.removed, 1);
	char *text = slurp(out, "index.html");
	CHECK_STR(text, "v3");
	free(text);
	remove_tree(out);
}

static void test_site_finishes_removals_a_crash_interrupted(void)
{
	char out[64];
	make_temp_dir(out);
	struct page v1[] = {{"index.html", "1"}, {"stale.html", "2"}};
	CHECK_INT(build(out, NULL, v1, 2, NULL, NULL), 0);
	/* Killed after writing the new manifest (without stale.html), before removing
	 * stale.html: only the journal still names it. */
	struct page v2[] = {{"index.html", "1"}};
	CHECK_INT(build(out, NULL, v2, 1, NULL, NULL), 0);
	put_file(out, "stale.html", "2");
	put_file(out, ".cartograph-journal", "stale.html\n");
	CHECK_INT(build(out, NULL, v2, 1, NULL, NULL), 0);
	CHECK(!exists(out, "stale.html"));
	CHECK(!exists(out, ".cartograph-journal"));
	remove_tree(out);
}

/* Pages of version v: "page-i.html" holds "vV page i" plus some filler. */
static void make_version(int v, int n, char **texts, struct page *pages, char **names)
{
	for (int i = 0; i < n; i++) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "page-%02d.html", i);
		names[i] = buf_detach(&b);
		buf_printf(&b, "v%d page %d ", v, i);
		for (int k = 0; k < 2000; k++)
			buf_putc(&b, (char)('a' + (i + k + v) % 26));
		texts[i] = buf_detach(&b);
		pages[i].path = names[i];
		pages[i].text = texts[i];
	}
}

/* True when every page in out/ is whole: version 1's or version 2's exact bytes. */
static int pages_are_whole(const char *out, int n, char **v1, char **v2, char **names)
{
	for (int i = 0; i < n; i++) {
		char *text = slurp(out, names[i]);
		int whole = !text || strcmp(text, v1[i]) == 0 || strcmp(text, v2[i]) == 0;
		if (!whole)
			printf("    %s is torn\n", names[i]);
		free(text);
		if (!whole)
			return 0;
	}
	return 1;
}

static void test_site_survives_kill_at_any_moment(void)
{
	enum { PAGES = 40, ROUNDS = 25 };
	char *names[PAGES], *v1[PAGES], *v2[PAGES];
	struct page p1[PAGES], p2[PAGES];
	struct rng rng;
	char out[64];
	make_temp_dir(out);
	make_version(1, PAGES, v1, p1, names);
	for (int i = 0; i < PAGES; i++)
		free(names[i]);
	make_version(2, PAGES, v2, p2, names);
	for (int i = 0; i < PAGES; i++)
		p1[i].path = names[i];
	rng_seed(&rng, 7);
	CHECK_INT(build(out, "PNG-1", p1, PAGES, NULL, NULL), 0);
	int torn = 0;
	for (int round = 0; round < ROUNDS; round++) {
		/* Alternate versions; each child is killed part way through its build. */
		int odd = round % 2;
		pid_t pid = fork();
		if (pid == 0) {
			int rc = build(out, odd ? "PNG-1" : "PNG-2", odd ? p1 : p2, PAGES, NULL,
				       NULL);
			_exit(rc == 0 ? 0 : 1);
		}
		struct timespec pause = {0, (long)rng_below(&rng, 20000) * 1000};
		nanosleep(&pause, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (!pages_are_whole(out, PAGES, v1, v2, names))
			torn++;
	}
	CHECK_INT(torn, 0);
	/* A build after all that finishes the job: exactly version 2, nothing else. */
	struct site_counts counts;
	char asset[128];
	CHECK_INT(build(out, "PNG-2", p2, PAGES, &counts, asset), 0);
	CHECK_INT(count_named(out, ".cartograph"), 0);
	CHECK_INT(count_named(out, "page-"), PAGES);
	CHECK_INT(count_named(out, "manifest.json"), 1);
	CHECK_INT(count_named(out, "charts"), 1);
	char *charts = site_fs_join(out, "charts");
	CHECK_INT(count_named(charts, "revenue."), 1);
	free(charts);
	CHECK(pages_are_whole(out, PAGES, v2, v2, names));
	for (int i = 0; i < PAGES; i++) {
		free(names[i]);
		free(v1[i]);
		free(v2[i]);
	}
	remove_tree(out);
}

/* --- the build helper of the end-to-end tests ---------------------------------------- */

static int write_site(int argc, char **argv)
{
	struct site *site = NULL;
	struct error err;
	int rc = site_open(argv[2], &site, &err);
	for (int i = 3; rc == 0 && i < argc;) {
		int is_asset = strcmp(argv[i], "asset") == 0, words = is_asset ? 4 : 3;
		char *text = NULL;
		size_t len = 0;
		if (i + words > argc || (!is_asset && strcmp(argv[i], "page") != 0)) {
			fprintf(stderr, "usage: test_site write OUT [page PATH FILE | asset STEM "
					"EXT FILE]...\n");
			site_close(site);
			return 2;
		}
		rc = site_fs_read_all(argv[i + words - 1], &text, &len, &err);
		if (rc == 0 && !text)
			rc = error_set(&err, ERR_INPUT, "'%s' does not exist", argv[i + words - 1]);
		const char *href = NULL;
		if (rc == 0 && is_asset &&
		    (rc = site_add_asset(site, argv[i + 1], argv[i + 2], text, len, &href, &err)) == 0)
			printf("%s\n", href);
		if (rc == 0 && !is_asset)
			rc = site_add_page(site, argv[i + 1], text, len, &err);
		free(text);
		i += words;
	}
	if (rc == 0)
		rc = site_finish(site, &err);
	if (rc < 0)
		fprintf(stderr, "test_site write: %s\n", err.msg);
	site_close(site);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "write") == 0)
		return write_site(argc, argv);
	RUN(test_site_names_assets_by_content_hash);
	RUN(test_site_pages_keep_their_names_and_are_cached_briefly);
	RUN(test_site_leaves_unchanged_files_alone);
	RUN(test_site_knows_the_folders_it_made);
	RUN(test_site_rewrites_only_the_page_that_changed);
	RUN(test_site_removes_only_what_earlier_builds_made);
	RUN(test_site_refuses_paths_that_leave_the_folder_or_are_malformed);
	RUN(test_site_path_check_finds_nul_inside_the_length);
	RUN(test_site_same_path_twice_must_have_same_bytes);
	RUN(test_site_manifest_is_sorted_and_the_same_whatever_the_order);
	RUN(test_manifest_reads_back_what_it_writes_and_refuses_damage);
	RUN(test_content_type_by_extension);
	RUN(test_site_unfinished_build_leaves_out_as_it_was);
	RUN(test_site_unfinished_build_keeps_the_journal_a_crash_left);
	RUN(test_site_locks_out_a_second_build);
	RUN(test_site_clears_temp_files_a_crash_left);
	RUN(test_site_finishes_removals_a_crash_interrupted);
	RUN(test_site_survives_kill_at_any_moment);
	return check_summary();
}
