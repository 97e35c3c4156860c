/* site_fs: atomic, flushed file writes and the other file operations of the site
 * writer, with errors that name the file. */
#define _GNU_SOURCE /* syncfs */
#include "report/site_fs.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/site_path.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define TEMP_PREFIX SITE_RESERVED_PREFIX "-tmp."

char *site_fs_join(const char *root, const char *rel)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", root, rel);
	return buf_detach(&b);
}

char *site_fs_temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	struct buf b = BUF_INIT;
	buf_append(&b, path, dir_len);
	buf_puts(&b, TEMP_PREFIX);
	buf_puts(&b, path + dir_len);
	return buf_detach(&b);
}

/* mkdir that accepts an existing folder: 1 when it made dir, 0 when it was there. */
static int make_dir(const char *dir, struct error *err)
{
	struct stat st;
	if (mkdir(dir, 0777) == 0)
		return 1;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		return error_set(err, ERR_SYSTEM, "cannot create folder '%s': a file of that "
				 "name is in the way", dir);
	return error_set(err, ERR_SYSTEM, "cannot create folder '%s': %s", dir, strerror(errno));
}

int site_fs_make_dirs(const char *dir, struct error *err)
{
	char *copy = xstrdup(dir);
	int rc = 0;
	for (char *p = copy + 1; *p && rc >= 0; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		rc = make_dir(copy, err);
		*p = '/';
	}
	if (rc >= 0)
		rc = make_dir(copy, err);
	free(copy);
	return rc < 0 ? rc : 0;
}

int site_fs_make_parents(const char *root, const char *rel, struct error *err)
{
	char *path = site_fs_join(root, rel);
	char *p = path + strlen(root) + 1;
	int rc = 0;
	for (char *slash; rc >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
		*slash = '\0';
		rc = make_dir(path, err);
		*slash = '/';
	}
	free(path);
	return rc;
}

int site_fs_same_bytes(const char *path, const void *bytes, size_t len, int *same,
		       struct error *err)
{
	char chunk[65536];
	struct stat st;
	int rc = 0;
	*same = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return error_set(err, ERR_SYSTEM, "cannot open '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		goto done;
	size_t at = 0;
	while (at < len) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = error_set(err, ERR_SYSTEM, "cannot read '%s': %s", path,
				       strerror(errno));
			goto done;
		}
		if (n == 0 || (size_t)n > len - at ||
		    memcmp(chunk, (const char *)bytes + at, (size_t)n) != 0)
			goto done;
		at += (size_t)n;
	}
	*same = 1;
done:
	close(fd);
	return rc;
}

int site_fs_write_synced(const char *path, const void *bytes, size_t len, struct error *err)
{
	return site_fs_write(path, bytes, len, 1, err);
}

int site_fs_write(const char *path, const void *bytes, size_t len, int flush, struct error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return error_set(err, ERR_SYSTEM, "cannot create '%s': %s", path, strerror(errno));
	size_t at = 0;
	while (at < len) {
		ssize_t n = write(fd, (const char *)bytes + at, len - at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		at += (size_t)n;
	}
	if (flush && fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	error_set(err, ERR_SYSTEM, "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(path);
	return ERR_SYSTEM;
}

int site_fs_rename(const char *from, const char *to, struct error *err)
{
	if (rename(from, to) == 0)
		return 0;
	return error_set(err, ERR_SYSTEM, "cannot rename '%s' to '%s': %s", from, to,
			 strerror(errno));
}

int site_fs_sync_file_system(const char *dir, struct error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, ERR_SYSTEM, "cannot open folder '%s': %s", dir,
				 strerror(errno));
	int rc = 0;
	if (syncfs(fd) < 0)
		rc = error_set(err, ERR_SYSTEM, "cannot flush the files under '%s': %s", dir,
			       strerror(errno));
	close(fd);
	return rc;
}

int site_fs_sync_dir(const char *dir, struct error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_set(err, ERR_SYSTEM, "cannot open folder '%s': %s", dir,
				 strerror(errno));
	int rc = 0;
	/* Some file systems cannot flush a folder (EINVAL); their renames are durable
	 * anyway or cannot be made so. */
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = error_set(err, ERR_SYSTEM, "cannot flush folder '%s': %s", dir,
			       strerror(errno));
	close(fd);
	return rc;
}

char *site_fs_folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

int site_fs_replace(const char *path, const void *bytes, size_t len, struct error *err)
{
	char *temp = site_fs_temp_name(path), *folder = site_fs_folder_of(path);
	int rc = site_fs_write_synced(temp, bytes, len, err);
	if (rc == 0 && (rc = site_fs_rename(temp, path, err)) < 0)
		unlink(temp);
	if (rc == 0)
		rc = site_fs_sync_dir(folder, err);
	free(temp);
	free(folder);
	return rc;
}

int site_fs_remove(const char *path, int *removed, struct error *err)
{
	if (removed)
		*removed = 0;
	if (unlink(path) == 0) {
		if (removed)
			*removed = 1;
		return 0;
	}
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return error_set(err, ERR_SYSTEM, "cannot remove '%s': %s", path, strerror(errno));
}

void site_fs_prune_empty_dirs(const char *root, const char *rel)
{
	char *path = site_fs_join(root, rel);
	char *first = path + strlen(root) + 1;
	for (char *slash; (slash = strrchr(first, '/'));) {
		*slash = '\0';
		if (rmdir(path) < 0)
			break;
	}
	free(path);
}

int site_fs_read_all(const char *path, char **text, size_t *len, struct error *err)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	*text = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return error_set(err, ERR_SYSTEM, "cannot open '%s': %s", path, strerror(errno));
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			buf_free(&b);
			return error_set(err, ERR_SYSTEM, "cannot read '%s': %s", path, strerror(e));
		}
		if (n == 0)
			break;
		buf_append(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	*text = buf_detach(&b);
	return 0;
}
