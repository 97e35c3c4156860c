/* site_path: which names a file of the site may have. Site paths are relative to out/,
 * '/'-separated, and may come from product ids or category names, so every one is
 * checked before it touches the disk or a bucket: not empty, not absolute, no "." or
 * ".." segment, no empty segment, no backslash, no NUL or other control character,
 * valid UTF-8, and short enough for a file name and an S3 key. Names starting with
 * ".cartograph" are kept for the site writer's own temporary files. */
#ifndef CARTOGRAPH_SITE_PATH_H
#define CARTOGRAPH_SITE_PATH_H

#include <stddef.h>

#include "util/error.h"

/* The longest site path in bytes (an S3 key holds 1024, and the prefix needs room). */
#define SITE_PATH_MAX 900
/* The longest segment in bytes (a file name holds 255; temporary names add a prefix). */
#define SITE_SEGMENT_MAX 200
/* Segments starting with this are reserved for the site writer. */
#define SITE_RESERVED_PREFIX ".cartograph"

/* Returns 0 when the len bytes of path make a valid site path, else ERR_INPUT with err
 * saying what is wrong with it. */
int site_path_check(const char *path, size_t len, struct error *err);

#endif
