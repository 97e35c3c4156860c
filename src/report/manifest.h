/* manifest: out/manifest.json, the list of every file of the site with its size,
 * SHA-256, Content-Type and Cache-Control. The site writer writes it last, after the
 * files it lists; `publish` uploads by it and keeps a copy in the bucket to know what
 * changed since the last upload.
 *
 * The JSON is deterministic: files sorted by path (bytewise), fixed key order, one
 * file per line, no timestamps, so the same site gives the same bytes:
 *     {"manifest_version":1,"files":[
 *     {"path":"index.html","bytes":5120,"sha256":"…","content_type":"text/html; charset=utf-8","cache_control":"public, max-age=300"}
 *     ]}
 * The manifest does not list itself. */
#ifndef CARTOGRAPH_MANIFEST_H
#define CARTOGRAPH_MANIFEST_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

/* The file name of the manifest inside out/ (and under the bucket prefix). */
#define MANIFEST_NAME "manifest.json"
/* Cache policies: content-hashed assets never change; pages and the manifest do. */
#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define CACHE_PAGE "public, max-age=300"
#define CACHE_MANIFEST "no-cache"

struct manifest_entry {
	char *path;          /* relative to out/, checked by site_path_check */
	long long bytes;     /* file size */
	char sha256[65];     /* lowercase hex digest of the file's bytes */
	char *content_type;  /* Content-Type to serve it with */
	char *cache_control; /* Cache-Control to serve it with */
};

struct manifest {
	struct manifest_entry *entries; /* sorted by path once manifest_sort ran */
	size_t len;                     /* entries in use */
	size_t cap;                     /* entries allocated */
};

#define MANIFEST_INIT {NULL, 0, 0}

/* Appends a copy of one file's description. */
void manifest_add(struct manifest *m, const char *path, long long bytes, const char *sha256,
		  const char *content_type, const char *cache_control);
/* Sorts the entries by path, bytewise. */
void manifest_sort(struct manifest *m);
/* The entry for path in a sorted manifest, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *path);
/* True when the entry is a content-hashed asset (served immutable). */
int manifest_entry_is_asset(const struct manifest_entry *e);
/* Appends the manifest as JSON (sort it first). */
void manifest_to_json(const struct manifest *m, struct buf *out);
/* Reads manifest JSON; name is what messages call it. Every path is checked, duplicates
 * are refused, and the result is sorted. Returns 0, or ERR_INPUT with err filled (and
 * m left empty). m must be empty on entry. */
int manifest_parse(const char *name, const char *text, size_t len, struct manifest *m,
		   struct error *err);
void manifest_free(struct manifest *m);

#endif
