/* test_chart_cache: the chart cache that lets a rebuild skip drawing unchanged charts:
 * keys that change with anything that changes a PNG, hits only for PNGs still whole in
 * out/, a cache file that never outgrows the last build, and build_chart drawing again
 * exactly the charts whose data changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "report/build_internal.h"
#include "report/chart_cache.h"
#include "report/site.h"
#include "report/site_fs.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* --- helpers ----------------------------------------------------------------------- */

static void make_temp_dir(char path[64])
{
	strcpy(path, "/tmp/cartograph-chart-cache-XXXXXX");
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

static void put_file(const char *dir, const char *rel, const void *bytes, size_t len)
{
	struct error err;
	char *path = site_fs_join(dir, rel);
	if (site_fs_make_parents(dir, rel, &err) < 0 || site_fs_write(path, bytes, len, 0, &err) < 0)
		printf("    cannot write %s: %s\n", path, err.msg);
	free(path);
}

static char *slurp(const char *dir, const char *rel, size_t *len)
{
	char *path = site_fs_join(dir, rel), *text = NULL;
	struct error err;
	if (site_fs_read_all(path, &text, len, &err) < 0)
		text = NULL;
	free(path);
	return text;
}

/* A small line chart of revenue over five days; the arrays live in the caller's
 * struct so a test can change one value. */
struct sample_chart {
	double revenue[5];
	int32_t days[5];
	unsigned char flagged[5];
	struct chart_series series;
	struct chart_spec spec;
};

static void sample_chart_init(struct sample_chart *c)
{
	static const double revenue[5] = {120.5, 98.0, 143.25, 87.0, 110.0};
	memset(c, 0, sizeof *c);
	for (int i = 0; i < 5; i++) {
		c->revenue[i] = revenue[i];
		c->days[i] = chart_day_from_civil(2024, 3, 1 + i);
	}
	c->flagged[2] = 1;
	c->series = (struct chart_series){"Revenue", c->revenue, NULL, c->flagged, 5};
	c->spec = (struct chart_spec){
		.type = CHART_LINE, .title = "Daily revenue", .subtitle = "Completed orders",
		.source = "Source: orders", .format = {CHART_CURRENCY, "£", 0},
		.point_count = 5, .days = c->days, .series = &c->series, .series_count = 1,
		.width = 400, .height = 240,
	};
}

static int key_of(const struct chart_cache *cache, const struct chart_spec *spec, int scale,
		  char key[65])
{
	int ok = chart_cache_key(cache, spec, scale, key);
	if (!ok)
		printf("    no key could be made\n");
	return ok;
}

/* --- keys -------------------------------------------------------------------------- */

static void test_chart_key_is_the_same_for_the_same_chart_in_other_memory(void)
{
	struct chart_cache *cache = chart_cache_new("/nonexistent-cartograph-out");
	struct sample_chart *a = xmalloc(sizeof *a), *b = xmalloc(sizeof *b);
	sample_chart_init(a);
	sample_chart_init(b);
	char ka[65], kb[65];
	CHECK(key_of(cache, &a->spec, 1, ka) && key_of(cache, &b->spec, 1, kb));
	CHECK_STR(ka, kb);
	CHECK_INT(strlen(ka), 64);
	free(a);
	free(b);
	chart_cache_free(cache);
}

/* Each change to the spec that could change the picture changes the key. */
static void test_chart_key_changes_with_anything_that_changes_the_png(void)
{
	struct chart_cache *cache = chart_cache_new("/nonexistent-cartograph-out");
	struct sample_chart c;
	char base[65], key[65];
	sample_chart_init(&c);
	CHECK(key_of(cache, &c.spec, 1, base));
#define CHANGED(story, change, undo)                                                     \
	do {                                                                             \
		change;                                                                  \
		if (key_of(cache, &c.spec, 1, key) && strcmp(key, base) == 0) {          \
			printf("    the key did not change when %s\n", story);           \
			check_current_failed = 1;                                        \
		}                                                                        \
		undo;                                                                    \
	} while (0)
	CHANGED("one value changed", c.revenue[3] = 87.01, c.revenue[3] = 87.0);
	CHANGED("a day moved", c.days[4]++, c.days[4]--);
	CHANGED("a point was flagged", c.flagged[0] = 1, c.flagged[0] = 0);
	CHANGED("the title changed", c.spec.title = "Daily sales", c.spec.title = "Daily revenue");
	CHANGED("the title went from text to none", c.spec.title = NULL,
		c.spec.title = "Daily revenue");
	CHANGED("the subtitle became empty", c.spec.subtitle = "", c.spec.subtitle = "Completed orders");
	CHANGED("the currency changed", c.spec.format.currency = "$", c.spec.format.currency = "£");
	CHANGED("decimals changed", c.spec.format.decimals = 2, c.spec.format.decimals = 0);
	CHANGED("the series was renamed", c.series.name = "Sales", c.series.name = "Revenue");
	CHANGED("a point was dropped", c.series.count = 4, c.series.count = 5);
	CHANGED("the chart type changed", c.spec.type = CHART_BAR, c.spec.type = CHART_LINE);
	CHANGED("the size changed", c.spec.width = 800, c.spec.width = 400);
	CHANGED("the empty message changed", c.spec.empty_message = "Nothing yet",
		c.spec.empty_message = NULL);
	CHANGED("a band was added", (c.spec.band_low = c.revenue, c.spec.band_high = c.revenue),
		(c.spec.band_low = NULL, c.spec.band_high = NULL));
#undef CHANGED
	CHECK(key_of(cache, &c.spec, 2, key));
	CHECK(strcmp(key, base) != 0); /* the 2x PNG is another picture */
	CHECK(key_of(cache, &c.spec, 1, key));
	CHECK_STR(key, base);          /* and every change above was undone */
	chart_cache_free(cache);
}

static void test_chart_key_tells_category_labels_apart(void)
{
	struct chart_cache *cache = chart_cache_new("/nonexistent-cartograph-out");
	const char *one[] = {"ab", "c"}, *two[] = {"a", "bc"};
	double values[2] = {1, 2};
	struct chart_series s = {"Units", values, NULL, NULL, 2};
	struct chart_spec spec = {.type = CHART_BAR, .point_count = 2, .categories = one,
				  .series = &s, .series_count = 1};
	char k1[65], k2[65];
	CHECK(key_of(cache, &spec, 1, k1));
	spec.categories = two;
	CHECK(key_of(cache, &spec, 1, k2));
	CHECK(strcmp(k1, k2) != 0);
	chart_cache_free(cache);
}

static void test_chart_key_cannot_be_made_when_the_font_is_missing(void)
{
	struct chart_cache *cache = chart_cache_new("/nonexistent-cartograph-out");
	struct sample_chart c;
	char key[65];
	sample_chart_init(&c);
	c.spec.font = "/nonexistent/font.ttf";
	CHECK_INT(chart_cache_key(cache, &c.spec, 1, key), 0);
	CHECK_INT(chart_cache_key(NULL, &c.spec, 1, key), 0);
	chart_cache_free(cache);
}

/* --- the file ---------------------------------------------------------------------- */

static void test_chart_cache_gives_back_the_png_an_earlier_build_wrote(void)
{
	char out[64], key[65];
	make_temp_dir(out);
	static const char png[] = "\x89PNG pretend picture";
	struct sample_chart c;
	sample_chart_init(&c);
	struct error err;
	struct chart_cache *cache = chart_cache_new(out);
	CHECK(key_of(cache, &c.spec, 1, key));
	struct buf got = BUF_INIT;
	CHECK_INT(chart_cache_find(cache, key, &got), 0);
	put_file(out, "charts/daily.1234abcd.png", png, sizeof png);
	chart_cache_remember(cache, key, "charts/daily.1234abcd.png", png, sizeof png);
	CHECK_INT(chart_cache_save(cache, &err), 0);
	CHECK_INT(chart_cache_counts(cache)->misses, 1);
	chart_cache_free(cache);

	cache = chart_cache_new(out);
	CHECK_INT(chart_cache_find(cache, key, &got), 1);
	CHECK_INT(got.len, sizeof png);
	CHECK(got.data && memcmp(got.data, png, sizeof png) == 0);
	CHECK_INT(chart_cache_counts(cache)->hits, 1);
	buf_free(&got);
	chart_cache_free(cache);
	remove_tree(out);
}

static void test_chart_cache_misses_when_the_png_in_out_was_changed_or_removed(void)
{
	char out[64], key[65];
	make_temp_dir(out);
	static const char png[] = "\x89PNG pretend picture";
	struct sample_chart c;
	sample_chart_init(&c);
	struct error err;
	struct chart_cache *cache = chart_cache_new(out);
	CHECK(key_of(cache, &c.spec, 1, key));
	put_file(out, "charts/daily.1234abcd.png", png, sizeof png);
	chart_cache_remember(cache, key, "charts/daily.1234abcd.png", png, sizeof png);
	CHECK_INT(chart_cache_save(cache, &err), 0);
	chart_cache_free(cache);

	put_file(out, "charts/daily.1234abcd.png", "\x89PNG edited by hand", 19);
	struct buf got = BUF_INIT;
	cache = chart_cache_new(out);
	CHECK_INT(chart_cache_find(cache, key, &got), 0);
	CHECK_INT(got.len, 0);
	chart_cache_free(cache);

	char *path = site_fs_join(out, "charts/daily.1234abcd.png");
	remove(path);
	free(path);
	cache = chart_cache_new(out);
	CHECK_INT(chart_cache_find(cache, key, &got), 0);
	CHECK_INT(chart_cache_counts(cache)->misses, 1);
	chart_cache_free(cache);
	buf_free(&got);
	remove_tree(out);
}

static void test_chart_cache_treats_a_damaged_file_as_empty(void)
{
	char out[64], key[65];
	make_temp_dir(out);
	static const char png[] = "\x89PNG pretend picture";
	struct sample_chart c;
	sample_chart_init(&c);
	struct chart_cache *cache = chart_cache_new(out);
	CHECK(key_of(cache, &c.spec, 1, key));
	chart_cache_free(cache);
	put_file(out, "charts/daily.1234abcd.png", png, sizeof png);
	char sha[65];
	sha256_hex_of(png, sizeof png, sha);
	/* each: what comes before the entry (or the whole text), the digits of the key
	 * kept, the path, and the line end */
	static const struct {
		const char *head;
		int key_digits;
		const char *path, *end;
	} damaged[] = {
		{"", 0, NULL, ""},
		{"cartograph-charts 99\n", 64, "charts/daily.1234abcd.png", "\n"},
		{"garbage", 0, NULL, ""},
		{"cartograph-charts 1\n", 64, "charts/daily.1234abcd.png", ""}, /* torn */
		{"cartograph-charts 1\n", 64, "../outside.png", "\n"},
		{"cartograph-charts 1\n", 64, ".cartograph-journal", "\n"},
		{"cartograph-charts 1\n", 63, "charts/daily.1234abcd.png", "\n"},
	};
	for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
		struct buf text = BUF_INIT, got = BUF_INIT;
		buf_puts(&text, damaged[i].head);
		if (damaged[i].path)
			buf_printf(&text, "%.*s %s %s%s", damaged[i].key_digits, key, sha,
				   damaged[i].path, damaged[i].end);
		put_file(out, CHART_CACHE_NAME, text.data ? text.data : "", text.len);
		cache = chart_cache_new(out);
		if (chart_cache_find(cache, key, &got) != 0) {
			printf("    damaged file %zu gave a hit\n", i);
			check_current_failed = 1;
		}
		chart_cache_free(cache);
		buf_free(&text);
		buf_free(&got);
	}
	/* the same lines, whole, do give the hit */
	struct buf text = BUF_INIT, got = BUF_INIT;
	buf_printf(&text, "cartograph-charts 1\n%s %s charts/daily.1234abcd.png\n", key, sha);
	put_file(out, CHART_CACHE_NAME, text.data, text.len);
	cache = chart_cache_new(out);
	CHECK_INT(chart_cache_find(cache, key, &got), 1);
	chart_cache_free(cache);
	buf_free(&text);
	buf_free(&got);
	remove_tree(out);
}

static void test_chart_cache_keeps_only_the_charts_of_the_last_build(void)
{
	char out[64], k1[65], k2[65];
	make_temp_dir(out);
	struct sample_chart c;
	sample_chart_init(&c);
	struct error err;
	struct chart_cache *cache = chart_cache_new(out);
	CHECK(key_of(cache, &c.spec, 1, k1) && key_of(cache, &c.spec, 2, k2));
	put_file(out, "a.00000001.png", "one", 3);
	put_file(out, "b.00000002.png", "two", 3);
	chart_cache_remember(cache, k1, "a.00000001.png", "one", 3);
	chart_cache_remember(cache, k2, "b.00000002.png", "two", 3);
	CHECK_INT(chart_cache_save(cache, &err), 0);
	chart_cache_free(cache);

	cache = chart_cache_new(out); /* this build only has the 2x chart */
	chart_cache_remember(cache, k2, "b.00000002.png", "two", 3);
	CHECK_INT(chart_cache_save(cache, &err), 0);
	chart_cache_free(cache);
	size_t len = 0;
	char *text = slurp(out, CHART_CACHE_NAME, &len);
	CHECK(text && strstr(text, k2) && !strstr(text, k1));
	free(text);
	remove_tree(out);
}

static void test_chart_cache_file_is_not_rewritten_when_nothing_changed(void)
{
	char out[64], key[65];
	make_temp_dir(out);
	struct sample_chart c;
	sample_chart_init(&c);
	struct error err;
	struct stat before, after;
	struct chart_cache *cache = chart_cache_new(out);
	CHECK(key_of(cache, &c.spec, 1, key));
	chart_cache_remember(cache, key, "a.00000001.png", "one", 3);
	CHECK_INT(chart_cache_save(cache, &err), 0);
	chart_cache_free(cache);
	char *path = site_fs_join(out, CHART_CACHE_NAME);
	CHECK_INT(stat(path, &before), 0);

	cache = chart_cache_new(out);
	chart_cache_remember(cache, key, "a.00000001.png", "one", 3);
	chart_cache_remember(cache, key, "a.00000001.png", "one", 3); /* added twice */
	CHECK_INT(chart_cache_save(cache, &err), 0);
	chart_cache_free(cache);
	CHECK_INT(stat(path, &after), 0);
	CHECK_INT(after.st_ino, before.st_ino);
	CHECK_INT(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	CHECK_INT(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	free(path);

	/* a build with no charts at all on a folder without the file writes none */
	char empty[64];
	make_temp_dir(empty);
	cache = chart_cache_new(empty);
	CHECK_INT(chart_cache_save(cache, &err), 0);
	chart_cache_free(cache);
	size_t len = 1;
	char *text = slurp(empty, CHART_CACHE_NAME, &len);
	CHECK(text == NULL);
	remove_tree(empty);
	remove_tree(out);
}

/* --- build_chart with the cache ---------------------------------------------------- */

/* One build of a site holding the sample chart: returns the cache's counts and the
 * 1x PNG's path (in *src, malloc'd). */
static struct chart_cache_counts build_once(const char *out, const struct chart_spec *spec,
					    char **src)
{
	struct build_options opt = {out, "templates", "£", "/cgi-bin/shop.cgi", "recs", NULL, NULL};
	struct build_summary summary = {0};
	struct build b = {.opt = &opt, .summary = &summary};
	struct chart_cache_counts counts = {0, 0, 0};
	struct error err;
	struct value *map = value_map_new();
	*src = NULL;
	int rc = site_open(out, &b.site, &err);
	if (rc == 0) {
		b.chart_cache = chart_cache_new(out);
		rc = build_chart(&b, spec, "daily", map, &err);
	}
	if (rc == 0)
		*src = xstrdup(value_string_of(map, "src", ""));
	if (rc == 0)
		rc = site_finish(b.site, &err);
	if (rc == 0)
		rc = chart_cache_save(b.chart_cache, &err);
	if (rc < 0)
		printf("    build failed: %s\n", err.msg);
	if (b.chart_cache)
		counts = *chart_cache_counts(b.chart_cache);
	chart_cache_free(b.chart_cache);
	site_close(b.site);
	value_free(map);
	return counts;
}

/* The PNG at out/src equals a fresh render of spec at 1x. */
static int png_is_fresh_render(const char *out, const char *src, const struct chart_spec *spec)
{
	struct buf want = BUF_INIT;
	struct error err;
	size_t len = 0;
	char *got = src ? slurp(out, src, &len) : NULL;
	int same = chart_render_png(spec, 1, &want, &err) == 0 && got && len == want.len &&
		   memcmp(got, want.data, len) == 0;
	free(got);
	buf_free(&want);
	return same;
}

static void test_build_draws_again_only_charts_whose_data_changed(void)
{
	char out[64];
	make_temp_dir(out);
	struct sample_chart c;
	sample_chart_init(&c);
	char *src = NULL;

	struct chart_cache_counts first = build_once(out, &c.spec, &src);
	CHECK_INT(first.hits, 0);
	CHECK_INT(first.remembered, 3); /* 1x, 2x and the phone's */
	CHECK(png_is_fresh_render(out, src, &c.spec));
	free(src);

	struct chart_cache_counts same = build_once(out, &c.spec, &src);
	CHECK_INT(same.hits, 3);
	CHECK_INT(same.misses, 0);
	CHECK(png_is_fresh_render(out, src, &c.spec));
	free(src);

	c.revenue[1] = 99.0; /* one value of one day */
	struct chart_cache_counts changed = build_once(out, &c.spec, &src);
	CHECK_INT(changed.hits, 0);
	CHECK_INT(changed.misses, 3);
	CHECK(png_is_fresh_render(out, src, &c.spec));
	free(src);

	c.revenue[1] = 98.0; /* back to the first picture: its PNG was removed, so drawn */
	struct chart_cache_counts back = build_once(out, &c.spec, &src);
	CHECK_INT(back.hits, 0);
	CHECK(png_is_fresh_render(out, src, &c.spec));
	free(src);
	remove_tree(out);
}

int main(void)
{
	RUN(test_chart_key_is_the_same_for_the_same_chart_in_other_memory);
	RUN(test_chart_key_changes_with_anything_that_changes_the_png);
	RUN(test_chart_key_tells_category_labels_apart);
	RUN(test_chart_key_cannot_be_made_when_the_font_is_missing);
	RUN(test_chart_cache_gives_back_the_png_an_earlier_build_wrote);
	RUN(test_chart_cache_misses_when_the_png_in_out_was_changed_or_removed);
	RUN(test_chart_cache_treats_a_damaged_file_as_empty);
	RUN(test_chart_cache_keeps_only_the_charts_of_the_last_build);
	RUN(test_chart_cache_file_is_not_rewritten_when_nothing_changed);
	RUN(test_build_draws_again_only_charts_whose_data_changed);
	chart_library_shutdown();
	return check_summary();
}
