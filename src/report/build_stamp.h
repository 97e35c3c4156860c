/* build_stamp: how `cartograph build` knows, in a few milliseconds, that a build would
 * change nothing, so it can stop before reading a single table.
 *
 * A build's output depends on the warehouse, the templates, the build options, the
 * program itself and, for the catalog's stock, shop.db's products. The stamp is one
 * SHA-256 over all of them plus the state of out/ as the build left it:
 * - the warehouse and its write-ahead log by identity (device, inode, size, mtime):
 *   every command that changes the warehouse, and any other program writing to it,
 *   moves them, and a build itself only reads;
 * - every file under the templates folder by identity, and the options as text;
 * - the running program and its libraries (fingerprint.h);
 * - shop.db's products table, row by row (shoppers' orders move its stock);
 * - every file in out/ by path, size, inode and mtime, so a file edited, removed or
 *   added there counts as a change too, and so do the journal and temporary files an
 *   interrupted build leaves (the next build must tidy them).
 * A finished build saves the stamp in out/.cartograph-build; the next build computes it
 * afresh and, when it is the same, has nothing to do. A failed or interrupted build
 * leaves the stamp of the last finished one, which then no longer matches if out/
 * changed at all.
 *
 * A changed identity with the same content (a file touched, a warehouse copied) only
 * costs one full build, which then writes no file whose bytes did not change. */
#ifndef CARTOGRAPH_BUILD_STAMP_H
#define CARTOGRAPH_BUILD_STAMP_H

#include <sqlite3.h>
#include <stdint.h>

#include "report/build.h"
#include "util/error.h"

/* The stamp's file inside out/. */
#define BUILD_STAMP_NAME ".cartograph-build"

/* The fingerprint of what a build of db with opt reads, taken before it reads anything
 * (so a change made while it runs shows at the next build): program, options,
 * templates, warehouse. Returns 1, or 0 when some input cannot be identified (then no
 * stamp can vouch for a build). */
int build_stamp_inputs(sqlite3 *db, const struct build_options *opt, uint8_t inputs[32]);

/* The stamp: inputs with shop.db's products and out/ as they are now, into hex (64
 * digits and a NUL); *out_files receives the number of files seen in out/. Returns 1,
 * or 0 when shop.db or out/ cannot be read. */
int build_stamp_compute(const uint8_t inputs[32], const struct build_options *opt,
			char hex[65], long long *out_files);

/* The stamp out/ holds, into hex; 1 when there is one. */
int build_stamp_saved(const char *out_dir, char hex[65]);

/* Saves hex as out/'s stamp (leaving the file alone when it already holds it). */
int build_stamp_save(const char *out_dir, const char hex[65], struct error *err);

#endif
