/* site_fs: the file operations the site writer is built from, each one safe to be
 * interrupted: files are written whole under a temporary name in their own folder,
 * flushed to disk (one by one, or all at once with site_fs_sync_file_system), then
 * renamed over the real name, so a reader (or a crash) only ever sees the old file or
 * the new one. The temporary name of "dir/name" is
 * "dir/.cartograph-tmp.name": fixed, so a later run can find and remove what an
 * interrupted one left. */
#ifndef CARTOGRAPH_SITE_FS_H
#define CARTOGRAPH_SITE_FS_H

#include <stddef.h>

#include "util/error.h"

/* Returns "root/rel", malloc'd. */
char *site_fs_join(const char *root, const char *rel);
/* Returns the temporary name of path (see above), malloc'd. */
char *site_fs_temp_name(const char *path);
/* Returns the folder part of path ("." when it has none), malloc'd. */
char *site_fs_folder_of(const char *path);
/* Creates dir and any missing parents (like mkdir -p). */
int site_fs_make_dirs(const char *dir, struct error *err);
/* Creates the folders of rel below root (root itself must exist). Returns 1 when it
 * made the last of them (rel's own folder), 0 when that was there already, or a
 * negative code. */
int site_fs_make_parents(const char *root, const char *rel, struct error *err);
/* Sets *same to 1 when path is a regular file holding exactly these bytes: the sizes
 * are compared first, then the contents. A missing file is simply not the same. */
int site_fs_same_bytes(const char *path, const void *bytes, size_t len, int *same,
		       struct error *err);
/* Creates or truncates path, writes the bytes and closes it; with flush, flushes them
 * to disk first. */
int site_fs_write(const char *path, const void *bytes, size_t len, int flush,
		  struct error *err);
/* site_fs_write with flush. */
int site_fs_write_synced(const char *path, const void *bytes, size_t len, struct error *err);
/* Flushes everything written to the file system that holds dir (one syncfs call:
 * cheaper than flushing thousands of files one by one). */
int site_fs_sync_file_system(const char *dir, struct error *err);
/* Writes the bytes under path's temporary name, then renames it over path and flushes
 * the folder. */
int site_fs_replace(const char *path, const void *bytes, size_t len, struct error *err);
/* Renames from over to (atomic within one folder). */
int site_fs_rename(const char *from, const char *to, struct error *err);
/* Flushes a folder's entries (new names, renames) to disk. */
int site_fs_sync_dir(const char *dir, struct error *err);
/* Removes a file; one that is already gone is fine. *removed (when not NULL) says
 * whether it was there. */
int site_fs_remove(const char *path, int *removed, struct error *err);
/* Removes the folders of rel below root that became empty, deepest first; stops at the
 * first one that is not empty. */
void site_fs_prune_empty_dirs(const char *root, const char *rel);
/* Reads a whole file into a malloc'd, NUL-terminated buffer. A missing file is not an
 * error: *text is NULL then. */
int site_fs_read_all(const char *path, char **text, size_t *len, struct error *err);

#endif
