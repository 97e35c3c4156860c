/* chart_cache: the keys of chart PNGs and the file out/.cartograph-charts that maps
 * them to PNGs an earlier build wrote (see chart_cache.h). Pages rendered on two
 * threads share one cache: finding and remembering lock it. */
#include "report/chart_cache.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/site_fs.h"
#include "report/site_path.h"
#include "util/fingerprint.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* The key covers every field of these structs. Adding a field changes their size on
 * 64-bit machines and stops the build here: put the field into spec_key(), then
 * update the size. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct chart_spec) == 264,
	       "struct chart_spec changed: add the new field to the chart cache key");
_Static_assert(sizeof(void *) != 8 || sizeof(struct chart_series) == 40,
	       "struct chart_series changed: add the new field to the chart cache key");
_Static_assert(sizeof(void *) != 8 || sizeof(struct chart_format) == 24,
	       "struct chart_format changed: add the new field to the chart cache key");
_Static_assert(sizeof(void *) != 8 || sizeof(struct chart_tree_item) == 24,
	       "struct chart_tree_item changed: add the new field to the chart cache key");
_Static_assert(sizeof(void *) != 8 || sizeof(struct chart_matrix) == 40,
	       "struct chart_matrix changed: add the new field to the chart cache key");

/* The first line of the cache file. */
#define FILE_HEADER "cartograph-charts 1\n"
/* Matrices larger than the chart library accepts are never keyed. */
#define MATRIX_SIDE_MAX 10000

struct cache_entry {
	char key[65];    /* hex SHA-256 of what decides the PNG's bytes */
	char sha256[65]; /* hex SHA-256 of the PNG */
	char *path;      /* the PNG, relative to out/ */
};

struct chart_cache {
	char *out_dir;                     /* the site folder */
	uint8_t program[32];               /* fingerprint of the program and its libraries */
	int program_known;                 /* 0: the program could not be identified */
	struct cache_entry *known;         /* the entries of the file, sorted by key */
	size_t known_len;
	struct cache_entry *used;          /* the entries remembered in this build */
	size_t used_len, used_cap;
	char *file_text;                   /* the file as read (NULL when there was none) */
	size_t file_len;
	struct chart_cache_counts counts;  /* what this build did */
	pthread_mutex_t lock;              /* held by find and remember */
};

static void fingerprint_this_program(struct chart_cache *cache)
{
	struct sha256 h;
	sha256_init(&h);
	fingerprint_u64(&h, CHART_CACHE_VERSION);
	cache->program_known = fingerprint_program(&h);
	sha256_final(&h, cache->program);
}

/* --- keys -------------------------------------------------------------------------- */

/* Absent arrays and strings are told apart from empty ones. */
#define ABSENT UINT64_MAX

static void put_texts(struct sha256 *h, const char *const *v, size_t n)
{
	fingerprint_u64(h, v ? n : ABSENT);
	for (size_t i = 0; v && i < n; i++)
		fingerprint_text(h, v[i]);
}

/* Doubles go in by their bits: -0.0 and 0.0, or two NaNs, may make two keys for one
 * picture, which only costs a render. */
static void put_doubles(struct sha256 *h, const double *v, size_t n)
{
	fingerprint_u64(h, v ? n : ABSENT);
	for (size_t i = 0; v && i < n; i++) {
		uint64_t bits;
		memcpy(&bits, &v[i], sizeof bits);
		fingerprint_u64(h, bits);
	}
}

static void put_days(struct sha256 *h, const int32_t *v, size_t n)
{
	fingerprint_u64(h, v ? n : ABSENT);
	for (size_t i = 0; v && i < n; i++)
		fingerprint_u64(h, (uint64_t)(int64_t)v[i]);
}

static void put_flags(struct sha256 *h, const unsigned char *v, size_t n)
{
	fingerprint_u64(h, v ? n : ABSENT);
	if (v && n)
		sha256_update(h, v, n);
}

static void put_format(struct sha256 *h, const struct chart_format *f)
{
	fingerprint_u64(h, (uint64_t)f->unit);
	fingerprint_text(h, f->currency);
	fingerprint_u64(h, (uint64_t)(int64_t)f->decimals);
}

static void put_series(struct sha256 *h, const struct chart_series *series, size_t count)
{
	fingerprint_u64(h, series ? count : ABSENT);
	for (size_t i = 0; series && i < count; i++) {
		const struct chart_series *s = &series[i];
		fingerprint_text(h, s->name);
		put_doubles(h, s->values, s->count);
		put_doubles(h, s->x, s->count);
		put_flags(h, s->flagged, s->count);
	}
}

static void put_tree(struct sha256 *h, const struct chart_tree_item *tree, size_t count)
{
	fingerprint_u64(h, tree ? count : ABSENT);
	for (size_t i = 0; tree && i < count; i++) {
		fingerprint_text(h, tree[i].category);
		fingerprint_text(h, tree[i].subcategory);
		put_doubles(h, &tree[i].value, 1);
	}
}

static void put_matrix(struct sha256 *h, const struct chart_matrix *m)
{
	fingerprint_u64(h, m->rows);
	fingerprint_u64(h, m->cols);
	put_doubles(h, m->cells, m->rows * m->cols);
	put_texts(h, m->row_labels, m->rows);
	put_texts(h, m->col_labels, m->cols);
}

/* Feeds every field of the spec, in the order of struct chart_spec. Returns 0 when a
 * font file cannot be looked at. */
static int put_spec(struct sha256 *h, const struct chart_spec *spec)
{
	fingerprint_u64(h, (uint64_t)spec->type);
	fingerprint_text(h, spec->title);
	fingerprint_text(h, spec->subtitle);
	fingerprint_text(h, spec->source);
	fingerprint_text(h, spec->x_label);
	fingerprint_text(h, spec->y_label);
	put_format(h, &spec->format);
	put_format(h, &spec->x_format);
	fingerprint_u64(h, spec->point_count);
	put_texts(h, spec->categories, spec->point_count);
	put_days(h, spec->days, spec->point_count);
	put_series(h, spec->series, spec->series_count);
	put_doubles(h, spec->band_low, spec->point_count);
	put_doubles(h, spec->band_high, spec->point_count);
	fingerprint_text(h, spec->band_label);
	fingerprint_text(h, spec->flag_label);
	put_tree(h, spec->tree, spec->tree_count);
	put_matrix(h, &spec->matrix);
	fingerprint_u64(h, (uint64_t)(int64_t)spec->bins);
	fingerprint_u64(h, (uint64_t)(int64_t)spec->horizontal);
	fingerprint_u64(h, (uint64_t)(int64_t)spec->width);
	fingerprint_u64(h, (uint64_t)(int64_t)spec->height);
	fingerprint_text(h, spec->empty_message);
	return fingerprint_file(h, spec->font ? spec->font : CHART_FONT) &&
	       fingerprint_file(h, spec->bold_font ? spec->bold_font : CHART_BOLD_FONT);
}

int chart_cache_key(const struct chart_cache *cache, const struct chart_spec *spec, int scale,
		    char key[65])
{
	key[0] = '\0';
	if (!cache || !cache->program_known || !spec)
		return 0;
	if (spec->matrix.rows > MATRIX_SIDE_MAX || spec->matrix.cols > MATRIX_SIDE_MAX)
		return 0;
	struct sha256 h;
	uint8_t digest[32];
	sha256_init(&h);
	sha256_update(&h, cache->program, sizeof cache->program);
	fingerprint_u64(&h, (uint64_t)(int64_t)scale);
	if (!put_spec(&h, spec))
		return 0;
	sha256_final(&h, digest);
	sha256_hex(digest, key);
	return 1;
}

/* --- the file ---------------------------------------------------------------------- */

static int is_hex64(const char *s, size_t len)
{
	if (len != 64)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int compare_entries(const void *a, const void *b)
{
	const struct cache_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->path, y->path);
}

static void free_entries(struct cache_entry *entries, size_t len)
{
	for (size_t i = 0; i < len; i++)
		free(entries[i].path);
	free(entries);
}

/* Reads one line "KEY SHA256 PATH" into e. Returns 0 when it is not one. */
static int parse_line(const char *line, size_t len, struct cache_entry *e)
{
	struct error ignored;
	if (len < 64 + 1 + 64 + 1 + 1 || line[64] != ' ' || line[129] != ' ')
		return 0;
	const char *path = line + 130;
	size_t path_len = len - 130;
	if (!is_hex64(line, 64) || !is_hex64(line + 65, 64) ||
	    site_path_check(path, path_len, &ignored) < 0)
		return 0;
	memcpy(e->key, line, 64);
	e->key[64] = '\0';
	memcpy(e->sha256, line + 65, 64);
	e->sha256[64] = '\0';
	e->path = xmalloc(path_len + 1);
	memcpy(e->path, path, path_len);
	e->path[path_len] = '\0';
	return 1;
}

/* Loads the entries of the file's text; a file in any other shape loads nothing. */
static void parse_file(struct chart_cache *cache, const char *text, size_t len)
{
	size_t header = strlen(FILE_HEADER);
	if (len < header || memcmp(text, FILE_HEADER, header) != 0)
		return;
	struct cache_entry *entries = NULL;
	size_t n = 0;
	for (size_t at = header; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		struct cache_entry e;
		if (!nl || !parse_line(text + at, (size_t)(nl - (text + at)), &e)) {
			free_entries(entries, n);
			return;
		}
		entries = xreallocarray(entries, n + 1, sizeof *entries);
		entries[n++] = e;
		at = (size_t)(nl - text) + 1;
	}
	if (n > 1)
		qsort(entries, n, sizeof *entries, compare_entries);
	cache->known = entries;
	cache->known_len = n;
}

struct chart_cache *chart_cache_new(const char *out_dir)
{
	struct chart_cache *cache = xcalloc(1, sizeof *cache);
	struct error ignored;
	cache->out_dir = xstrdup(out_dir);
	pthread_mutex_init(&cache->lock, NULL);
	fingerprint_this_program(cache);
	char *path = site_fs_join(out_dir, CHART_CACHE_NAME);
	if (site_fs_read_all(path, &cache->file_text, &cache->file_len, &ignored) == 0 &&
	    cache->file_text)
		parse_file(cache, cache->file_text, cache->file_len);
	free(path);
	return cache;
}

static const struct cache_entry *find_known(const struct chart_cache *cache, const char *key)
{
	size_t lo = 0, hi = cache->known_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cache->known[mid].key, key);
		if (c == 0) {
			/* the first of equal keys */
			while (mid > 0 && strcmp(cache->known[mid - 1].key, key) == 0)
				mid--;
			return &cache->known[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int chart_cache_find(struct chart_cache *cache, const char *key, struct buf *png)
{
	const struct cache_entry *e = find_known(cache, key);
	char *bytes = NULL, *full = NULL, sha256[65];
	size_t len = 0;
	int hit = 0;
	struct error ignored;
	if (!e)
		goto done;
	full = site_fs_join(cache->out_dir, e->path);
	if (site_fs_read_all(full, &bytes, &len, &ignored) < 0 || !bytes || len == 0)
		goto done;
	sha256_hex_of(bytes, len, sha256);
	if (strcmp(sha256, e->sha256) != 0)
		goto done;
	buf_append(png, bytes, len);
	hit = 1;
done:
	pthread_mutex_lock(&cache->lock);
	if (hit)
		cache->counts.hits++;
	else
		cache->counts.misses++;
	pthread_mutex_unlock(&cache->lock);
	free(bytes);
	free(full);
	return hit;
}

void chart_cache_remember(struct chart_cache *cache, const char *key, const char *path,
			  const void *png, size_t len)
{
	assert(is_hex64(key, strlen(key)));
	char sha256[65];
	sha256_hex_of(png, len, sha256);
	pthread_mutex_lock(&cache->lock);
	if (cache->used_len == cache->used_cap) {
		cache->used_cap = cache->used_cap ? cache->used_cap * 2 : 32;
		cache->used = xreallocarray(cache->used, cache->used_cap, sizeof *cache->used);
	}
	struct cache_entry *e = &cache->used[cache->used_len++];
	memcpy(e->key, key, 65);
	memcpy(e->sha256, sha256, 65);
	e->path = xstrdup(path);
	cache->counts.remembered++;
	pthread_mutex_unlock(&cache->lock);
}

int chart_cache_save(struct chart_cache *cache, struct error *err)
{
	if (cache->used_len == 0 && !cache->file_text)
		return 0;
	if (cache->used_len > 1)
		qsort(cache->used, cache->used_len, sizeof *cache->used, compare_entries);
	struct buf text = BUF_INIT;
	buf_puts(&text, FILE_HEADER);
	for (size_t i = 0; i < cache->used_len; i++) {
		const struct cache_entry *e = &cache->used[i];
		if (i > 0 && strcmp(cache->used[i - 1].key, e->key) == 0)
			continue; /* one picture under two names: either will do */
		buf_printf(&text, "%s %s %s\n", e->key, e->sha256, e->path);
	}
	int rc = 0;
	if (text.len != cache->file_len || memcmp(text.data, cache->file_text, text.len) != 0) {
		char *full = site_fs_join(cache->out_dir, CHART_CACHE_NAME);
		rc = site_fs_replace(full, text.data, text.len, err);
		if (rc < 0)
			error_prefix(err, "chart cache");
		free(full);
	}
	buf_free(&text);
	return rc;
}

const struct chart_cache_counts *chart_cache_counts(const struct chart_cache *cache)
{
	return &cache->counts;
}

void chart_cache_free(struct chart_cache *cache)
{
	if (!cache)
		return;
	free_entries(cache->known, cache->known_len);
	free_entries(cache->used, cache->used_len);
	free(cache->file_text);
	free(cache->out_dir);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}
