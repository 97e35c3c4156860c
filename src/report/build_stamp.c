/* build_stamp: the fingerprint of everything a build reads and of the out/ it left, and
 * the file out/.cartograph-build that keeps it (see build_stamp.h). */
#include "report/build_stamp.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/site_fs.h"
#include "report/chart_cache.h"
#include "util/buf.h"
#include "util/fingerprint.h"
#include "util/xalloc.h"

#define STAMP_VERSION 1 /* bump when what the stamp covers changes */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in out/ that the stamp leaves out: the stamp itself, and the chart cache that
 * every build rewrites. The site writer's journal and temporary files count: they are
 * there only when a build was interrupted, and the next build must tidy them. */
static int left_out(const char *name)
{
	return !strcmp(name, BUILD_STAMP_NAME) || !strcmp(name, CHART_CACHE_NAME);
}

/* The names in dir, sorted, without "." and ".." and the names left out; NULL when dir
 * cannot be read. */
static char **sorted_names(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	size_t n = 0, cap = 16;
	char **names = xmalloc(cap * sizeof *names);
	for (struct dirent *e; (e = readdir(d));) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, "..") || left_out(name))
			continue;
		if (n == cap)
			names = xreallocarray(names, cap *= 2, sizeof *names);
		names[n++] = xstrdup(name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, compare_names);
	*count = n;
	return names;
}

/* Feeds every file below dir (path relative to the walk's root, size, inode, mtime),
 * folders in name order; *files counts the regular files. Returns 0 when a folder
 * cannot be read. */
static int feed_tree(struct sha256 *h, const char *dir, long long *files)
{
	size_t n;
	char **names = sorted_names(dir, &n);
	if (!names)
		return 0;
	int ok = 1;
	for (size_t i = 0; i < n; i++) {
		char *path = site_fs_join(dir, names[i]);
		struct stat st;
		fingerprint_text(h, names[i]);
		if (lstat(path, &st) != 0) {
			ok = 0;
		} else if (S_ISDIR(st.st_mode)) {
			fingerprint_u64(h, 1);
			ok = ok && feed_tree(h, path, files);
			fingerprint_u64(h, 2); /* the folder's end */
		} else {
			fingerprint_u64(h, (uint64_t)st.st_mode);
			fingerprint_stat(h, &st);
			*files += S_ISREG(st.st_mode);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return ok;
}

/* Feeds the warehouse file and, when it holds frames, its write-ahead log. An empty or
 * missing log is the same state: readers create and remove it. */
static int feed_warehouse(struct sha256 *h, sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	if (!path || !*path || !fingerprint_file(h, path))
		return 0;
	struct buf wal = BUF_INIT;
	buf_printf(&wal, "%s-wal", path);
	struct stat st;
	if (stat(buf_str(&wal), &st) == 0 && st.st_size > 0)
		fingerprint_file(h, buf_str(&wal));
	else
		fingerprint_u64(h, 0);
	buf_free(&wal);
	return 1;
}

/* Feeds shop.db's products as the catalog pages see them. */
static int feed_shop_products(struct sha256 *h, const char *shop_db_path)
{
	sqlite3 *shop = NULL;
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_open_v2(shop_db_path, &shop, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		 sqlite3_prepare_v2(shop, "SELECT id, name, description, category, price_cents,"
				    " stock FROM products ORDER BY id", -1, &st, NULL) == SQLITE_OK;
	int rc = SQLITE_DONE;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
		for (int c = 0; c < 6; c++)
			fingerprint_text(h, (const char *)sqlite3_column_text(st, c));
	ok = ok && rc == SQLITE_DONE;
	sqlite3_finalize(st);
	sqlite3_close(shop);
	return ok;
}

int build_stamp_inputs(sqlite3 *db, const struct build_options *opt, uint8_t inputs[32])
{
	struct sha256 h;
	long long template_files = 0;
	sha256_init(&h);
	fingerprint_u64(&h, STAMP_VERSION);
	int ok = fingerprint_program(&h);
	const char *options[] = {opt->out_dir, opt->templates_dir, opt->currency, opt->shop_url,
				 opt->recs_url, opt->shop_db_path};
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		fingerprint_text(&h, options[i]);
	ok = ok && feed_tree(&h, opt->templates_dir, &template_files);
	ok = ok && feed_warehouse(&h, db);
	sha256_final(&h, inputs);
	return ok;
}

int build_stamp_compute(const uint8_t inputs[32], const struct build_options *opt,
			char hex[65], long long *out_files)
{
	struct sha256 h;
	*out_files = 0;
	sha256_init(&h);
	sha256_update(&h, inputs, 32);
	int ok = !opt->shop_db_path || feed_shop_products(&h, opt->shop_db_path);
	ok = ok && feed_tree(&h, opt->out_dir, out_files);
	uint8_t digest[32];
	sha256_final(&h, digest);
	sha256_hex(digest, hex);
	return ok;
}

int build_stamp_saved(const char *out_dir, char hex[65])
{
	char *path = site_fs_join(out_dir, BUILD_STAMP_NAME);
	char *text = NULL;
	size_t len = 0;
	struct error ignored;
	int found = site_fs_read_all(path, &text, &len, &ignored) == 0 && text && len == 65 &&
		    text[64] == '\n';
	if (found) {
		memcpy(hex, text, 64);
		hex[64] = '\0';
	}
	free(text);
	free(path);
	return found;
}

int build_stamp_save(const char *out_dir, const char hex[65], struct error *err)
{
	char *path = site_fs_join(out_dir, BUILD_STAMP_NAME);
	char line[66];
	memcpy(line, hex, 64);
	line[64] = '\n';
	int same = 0;
	int rc = site_fs_same_bytes(path, line, 65, &same, err);
	if (rc == 0 && !same)
		rc = site_fs_replace(path, line, 65, err);
	free(path);
	return rc;
}
