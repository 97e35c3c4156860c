/* site: the writer of out/, the static site `cartograph build` renders.
 *
 * A build opens the site, adds every page and asset it renders, and finishes:
 *     site_open("out", &site, &err);
 *     site_add_asset(site, "charts/daily-revenue", ".png", png, png_len, &href, &err);
 *         -> writes charts/daily-revenue.8e21d0c4.png; pages link href
 *     site_add_page(site, "customers.html", html, html_len, &err);
 *     site_finish(site, &err);   -> renames into place, writes manifest.json, tidies
 *     site_close(site);
 *
 * What it promises:
 * - Assets are named by their content (8 hex digits of their SHA-256), so they can be
 *   cached for ever; pages keep their names and are cached briefly (manifest.h).
 * - A file whose bytes did not change is not rewritten: its mtime and inode stay.
 * - Files are written under a temporary name in their own folder, flushed to disk
 *   together (one syncfs), and renamed into place only in site_finish, assets before
 *   pages, so a page never links an asset that is not there yet. manifest.json is
 *   written last.
 * - Files that the previous build produced (its manifest) and this one did not are
 *   removed; nothing else in out/ is ever touched.
 * - A kill -9 at any moment leaves, at each path, the old file or the new one, never
 *   part of one. What the interrupted build had written or meant to remove is noted
 *   in out/.cartograph-journal, so the next build removes its leftovers.
 * - One build at a time: the folder is locked (flock) from open to close. */
#ifndef CARTOGRAPH_SITE_H
#define CARTOGRAPH_SITE_H

#include <stddef.h>

#include "util/error.h"

struct site;

/* What a build did to out/, for its summary. */
struct site_counts {
	long long written;       /* files written because they were new or changed */
	long long unchanged;     /* files already there with the same bytes, left alone */
	long long removed;       /* files of earlier builds removed */
	long long bytes_written; /* bytes of the files written */
	int manifest_written;    /* 1 when manifest.json changed */
};

/* Opens (creating it when missing) the site folder out_dir for a build, locks it,
 * reads the previous manifest and clears what an interrupted build left. */
int site_open(const char *out_dir, struct site **out, struct error *err);
/* Adds an asset named stem.HASH8.ext (ext with its dot, such as ".png"); *final_path
 * receives its path relative to out_dir, valid until site_close. Adding the same bytes
 * under the same stem again is harmless and gives the same path. */
int site_add_asset(struct site *site, const char *stem, const char *ext, const void *bytes,
		   size_t len, const char **final_path, struct error *err);
/* Adds a page (or any file that keeps its name, such as robots.txt) at path relative
 * to out_dir. A path added twice must have the same bytes both times. Pages and assets
 * may be added from several threads at once; the rest is for one thread. */
int site_add_page(struct site *site, const char *path, const void *bytes, size_t len,
		  struct error *err);
/* Puts the build in place: renames the written files into place, writes manifest.json
 * and removes what earlier builds left and this one no longer makes. */
int site_finish(struct site *site, struct error *err);
/* The counts so far (final after site_finish). */
const struct site_counts *site_counts(const struct site *site);
/* Releases the site and its lock. Without a successful site_finish it removes this
 * build's temporary files, so out/ stays as it was (or, when site_finish failed half
 * way, as far as it got: the journal lets the next build tidy up). NULL is fine. */
void site_close(struct site *site);

#endif
