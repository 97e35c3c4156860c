/* fingerprint: SHA-256 fingerprints of things whose change matters more than their
 * bytes: files by identity (path, device, inode, size and modification time, read
 * with one stat rather than by reading the file), the running program with every
 * library it loaded, and lengths-prefixed texts and numbers, so that two different
 * sequences of fields can never feed the same bytes.
 *
 *     struct sha256 h;
 *     sha256_init(&h);
 *     fingerprint_text(&h, "templates");
 *     fingerprint_file(&h, "templates/layout.mustache");
 *     sha256_final(&h, digest); */
#ifndef CARTOGRAPH_FINGERPRINT_H
#define CARTOGRAPH_FINGERPRINT_H

#include <stdint.h>

#include "util/sha256.h"

/* Feeds a number as eight little-endian bytes. */
void fingerprint_u64(struct sha256 *h, uint64_t v);

/* Feeds a text with its length; NULL feeds a marker that no text can give. */
void fingerprint_text(struct sha256 *h, const char *s);

/* Feeds what a stat says of a file's identity: device, inode, size, modification time. */
struct stat;
void fingerprint_stat(struct sha256 *h, const struct stat *st);

/* Feeds the identity path has now: the path, and its device, inode, size and
 * modification time (to the nanosecond). Returns 1, or 0 when it cannot be looked at
 * (it then feeds only the path and a marker). */
int fingerprint_file(struct sha256 *h, const char *path);

/* Feeds the identity of the running program and of each shared library it loaded, so
 * that a rebuilt program or an updated library counts as a change without anyone
 * bumping a version. Returns 1, or 0 when the program itself could not be identified. */
int fingerprint_program(struct sha256 *h);

#endif
