/* chart_cache: lets a build skip drawing a chart whose PNG it already made. Drawing and
 * PNG-encoding are most of the cost of a rebuild in which little changed.
 *
 * The one idea to hold: a key is the SHA-256 of everything that decides a PNG's bytes:
 * every field of the chart spec with the arrays it points to, the scale, the identity
 * of the font files, and a fingerprint of the running program and the libraries it
 * loaded (path, size, inode and mtime of each), so a rebuilt chart library or a
 * libgd/libpng update counts as a change without anyone bumping a version. The value
 * is the path and SHA-256 of the PNG in out/. A hit re-reads those bytes from out/ and
 * checks their hash; anything unexpected is a miss, and a miss only costs a render.
 *
 * The entries live in out/.cartograph-charts (the site writer never touches names
 * starting with ".cartograph"), one line each: "KEY SHA256 PATH". Only the charts of
 * the last finished build are kept, so the file stays as small as the site's chart
 * list and names only files that build's manifest lists.
 *
 *     struct chart_cache *cache = chart_cache_new("out");
 *     if (!chart_cache_key(cache, spec, 2, key) || !chart_cache_find(cache, key, &png))
 *         chart_render_png(spec, 2, &png, &err);
 *     site_add_asset(site, stem, ".png", png.data, png.len, &href, &err);
 *     chart_cache_remember(cache, key, href, png.data, png.len);
 *     ... site_finish(site, &err); chart_cache_save(cache, &err);
 *     chart_cache_free(cache); */
#ifndef CARTOGRAPH_CHART_CACHE_H
#define CARTOGRAPH_CHART_CACHE_H

#include <stddef.h>

#include "report/chart.h"
#include "util/buf.h"
#include "util/error.h"

/* The cache's file inside out/. */
#define CHART_CACHE_NAME ".cartograph-charts"
/* Bump when the key's layout or the file's format changes. */
#define CHART_CACHE_VERSION 1

struct chart_cache;

/* What the cache did in this build, for summaries and tests. */
struct chart_cache_counts {
	int hits;       /* PNGs re-read from out/ instead of drawn */
	int misses;     /* PNGs that had to be drawn */
	int remembered; /* entries recorded for the next build */
};

/* Opens the cache of the site folder out_dir, reading its file when there is one. A
 * missing, damaged or foreign file is an empty cache, never an error. */
struct chart_cache *chart_cache_new(const char *out_dir);
/* Writes the key (64 hex digits and a NUL) of the PNG of spec at scale and returns 1,
 * or returns 0 when no trustworthy key can be made (a font file or the program cannot
 * be identified): such a chart is always drawn. */
int chart_cache_key(const struct chart_cache *cache, const struct chart_spec *spec, int scale,
		    char key[65]);
/* When an earlier build recorded key and out/ still holds its PNG with the recorded
 * SHA-256, appends the PNG's bytes to png and returns 1; else returns 0 (a miss). */
int chart_cache_find(struct chart_cache *cache, const char *key, struct buf *png);
/* Records that key gave these PNG bytes, now at path (relative to out_dir). Find and
 * remember may be called from several threads at once; the rest is for one. */
void chart_cache_remember(struct chart_cache *cache, const char *key, const char *path,
			  const void *png, size_t len);
/* Writes the entries remembered in this build to out_dir/.cartograph-charts, unless
 * the file already holds exactly them. Call after site_finish succeeded. */
int chart_cache_save(struct chart_cache *cache, struct error *err);
/* The counts so far. */
const struct chart_cache_counts *chart_cache_counts(const struct chart_cache *cache);
/* Releases the cache; NULL is fine. */
void chart_cache_free(struct chart_cache *cache);

#endif
