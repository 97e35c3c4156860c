/* site: the site writer: content-hashed assets, unchanged files left alone, atomic
 * renames, the manifest last, and removal of what earlier builds left (see site.h).
 *
 * The one idea to hold: out/ is only ever changed by rename and unlink, and every
 * path this build creates or means to remove is written to the journal first. So at
 * any instant each path holds a whole old or whole new file, and whatever a crash
 * leaves behind is listed in the journal, the previous manifest, or both.
 *
 * New files are written under their temporary names by a second thread
 * (site_writer.h), which site_finish waits for before anything is renamed. Pages and
 * assets may be added from several threads at once: a lock keeps the list of files,
 * the journal and the writer's queue in one order. */
#include "report/site.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "report/content_type.h"
#include "report/manifest.h"
#include "report/site_fs.h"
#include "report/site_path.h"
#include "report/site_writer.h"
#include "report/value.h"
#include "util/buf.h"
#include "util/helper_thread.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* The journal of the running build, inside out/. */
#define JOURNAL_NAME SITE_RESERVED_PREFIX "-journal"
/* Hex digits of the content hash in asset names. */
#define ASSET_HASH_DIGITS 8

struct site_file {
	char *path;      /* relative to out/ */
	char sha256[65]; /* hex digest of the bytes */
	size_t bytes;    /* size */
	int is_asset;    /* named by its content, served immutable */
	int pending;     /* written under its temporary name; the rename is still to do */
};

/* A folder of out/ that this build's files go to. */
struct site_folder {
	char *path; /* relative to out/ */
	int made;   /* 1 when this build made it */
};

struct site {
	char *out_dir;             /* the site folder, as given */
	int dir_fd;                /* out_dir, open and locked from open to close */
	int journal_fd;            /* the journal open for appending, or -1 */
	int journal_exists;        /* the journal file is there (ours or an earlier one) */
	int journal_is_new;        /* this build created the journal: none was left before */
	int placing;               /* site_finish began changing out/: the journal must stay */
	struct site_file *files;   /* what this build produced, in the order added */
	size_t len;                /* files in use */
	size_t cap;                /* files allocated */
	uint32_t *index;           /* hash slots holding file number + 1 (0: free) */
	size_t index_mask;         /* slots - 1; slots is a power of two */
	struct manifest previous;  /* the manifest of the last finished build */
	char **earlier;            /* paths in the journal of an interrupted build */
	size_t earlier_len;        /* entries in earlier */
	struct site_counts counts; /* what this build did so far */
	struct site_writer *writer; /* writes the temporary files, started with the first */
	int finished;              /* site_finish succeeded */
	pthread_mutex_t adding;    /* held while a file is added */
	struct site_folder *folders; /* folders of out/ made (or found) for this build's files */
	size_t folders_len;        /* entries in folders */
};

/* --- the index of files by path ---------------------------------------------------- */

static uint32_t *find_slot(const struct site *site, const char *path)
{
	size_t i = value_key_hash(path, strlen(path)) & site->index_mask;
	while (site->index[i] && strcmp(site->files[site->index[i] - 1].path, path) != 0)
		i = (i + 1) & site->index_mask;
	return &site->index[i];
}

static struct site_file *find_file(const struct site *site, const char *path)
{
	uint32_t slot = *find_slot(site, path);
	return slot ? &site->files[slot - 1] : NULL;
}

/* Keeps the index at most half full. */
static void grow_index(struct site *site)
{
	size_t slots = site->index_mask + 1;
	if (site->len * 2 < slots)
		return;
	free(site->index);
	site->index_mask = slots * 2 - 1;
	site->index = xcalloc(slots * 2, sizeof *site->index);
	for (size_t i = 0; i < site->len; i++)
		*find_slot(site, site->files[i].path) = (uint32_t)(i + 1);
}

static struct site_file *append_file(struct site *site, const char *path)
{
	assert(!find_file(site, path));
	if (site->len == site->cap) {
		site->cap = site->cap ? site->cap * 2 : 64;
		site->files = xreallocarray(site->files, site->cap, sizeof *site->files);
	}
	struct site_file *f = &site->files[site->len++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	grow_index(site);
	*find_slot(site, path) = (uint32_t)site->len;
	return f;
}

/* --- folders ---------------------------------------------------------------------- */

/* Makes the folders path (relative to out/) lies in, once per folder: a build puts
 * thousands of files into a handful of folders. Returns 1 when the file's folder was
 * made by this build (so that nothing but this build's files is in it), 0 when it was
 * there before or the file is at the top of out/, or a negative code. */
static int make_folders_of(struct site *site, const char *path, struct error *err)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return 0;
	size_t n = (size_t)(slash - path);
	for (size_t i = 0; i < site->folders_len; i++)
		if (strlen(site->folders[i].path) == n && memcmp(site->folders[i].path, path, n) == 0)
			return site->folders[i].made;
	int rc = site_fs_make_parents(site->out_dir, path, err);
	if (rc >= 0) {
		site->folders = xreallocarray(site->folders, site->folders_len + 1,
					      sizeof *site->folders);
		site->folders[site->folders_len++] = (struct site_folder){xstrndup(path, n), rc};
	}
	return rc;
}

/* --- the journal ------------------------------------------------------------------- */

/* Notes path in the journal before anything is created or removed at it. A single
 * write per line, so a kill cannot leave half a line in the middle. */
static int journal_note(struct site *site, const char *path, struct error *err)
{
	if (site->journal_fd < 0) {
		site->journal_is_new = !site->journal_exists;
		site->journal_fd = openat(site->dir_fd, JOURNAL_NAME,
					  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (site->journal_fd < 0)
			return error_set(err, ERR_SYSTEM, "cannot create '%s/%s': %s",
					 site->out_dir, JOURNAL_NAME, strerror(errno));
		site->journal_exists = 1;
	}
	struct buf line = BUF_INIT;
	buf_printf(&line, "%s\n", path);
	ssize_t n = write(site->journal_fd, line.data, line.len);
	int ok = n == (ssize_t)line.len;
	buf_free(&line);
	if (!ok)
		return error_set(err, ERR_SYSTEM, "cannot write '%s/%s': %s", site->out_dir,
				 JOURNAL_NAME, n < 0 ? strerror(errno) : "short write");
	return 0;
}

/* Flushes the journal and its folder to disk, so that even after a power cut it names
 * every file the build is about to put in place or remove. */
static int journal_sync(struct site *site, struct error *err)
{
	if (site->journal_fd < 0)
		return 0;
	if (fsync(site->journal_fd) == 0 && fsync(site->dir_fd) == 0)
		return 0;
	return error_set(err, ERR_SYSTEM, "cannot flush '%s/%s': %s", site->out_dir,
			 JOURNAL_NAME, strerror(errno));
}

/* Reads the journal an interrupted build left into site->earlier. Lines that are not
 * valid paths (a torn last line) are skipped: they are never removed. */
static int journal_load(struct site *site, struct error *err)
{
	char *path = site_fs_join(site->out_dir, JOURNAL_NAME), *text = NULL;
	size_t len = 0;
	int rc = site_fs_read_all(path, &text, &len, err);
	free(path);
	if (rc < 0 || !text)
		return rc;
	site->journal_exists = 1;
	struct error ignored;
	for (char *line = text, *nl; (nl = memchr(line, '\n', len - (size_t)(line - text)));
	     line = nl + 1) {
		*nl = '\0';
		if (site_path_check(line, (size_t)(nl - line), &ignored) < 0)
			continue;
		site->earlier = xreallocarray(site->earlier, site->earlier_len + 1, sizeof(char *));
		site->earlier[site->earlier_len++] = xstrdup(line);
	}
	free(text);
	return 0;
}

/* Removes the temporary files an interrupted build left: those of the paths in its
 * journal, and the manifest's. */
static int clear_leftover_temps(struct site *site, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i <= site->earlier_len; i++) {
		char *full = site_fs_join(site->out_dir,
					  i < site->earlier_len ? site->earlier[i] : MANIFEST_NAME);
		char *temp = site_fs_temp_name(full);
		rc = site_fs_remove(temp, NULL, err);
		free(temp);
		free(full);
	}
	return rc;
}

/* --- open -------------------------------------------------------------------------- */

static int lock_folder(struct site *site, struct error *err)
{
	site->dir_fd = open(site->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (site->dir_fd < 0)
		return error_set(err, ERR_SYSTEM, "cannot open '%s': %s", site->out_dir,
				 strerror(errno));
	if (flock(site->dir_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return error_set(err, ERR_INPUT, "another cartograph is writing '%s'; try "
				 "again when it is done", site->out_dir);
	return error_set(err, ERR_SYSTEM, "cannot lock '%s': %s", site->out_dir,
			 strerror(errno));
}

static int read_previous_manifest(struct site *site, struct error *err)
{
	char *path = site_fs_join(site->out_dir, MANIFEST_NAME), *text = NULL;
	size_t len = 0;
	int rc = site_fs_read_all(path, &text, &len, err);
	if (rc == 0 && text && (rc = manifest_parse(path, text, len, &site->previous, err)) < 0)
		error_prefix(err, "the previous build's manifest is damaged (remove it to "
			     "start afresh)");
	free(text);
	free(path);
	return rc;
}

int site_open(const char *out_dir, struct site **out, struct error *err)
{
	struct site *site = xcalloc(1, sizeof *site);
	site->out_dir = xstrdup(out_dir);
	site->dir_fd = site->journal_fd = -1;
	site->index_mask = 63;
	site->index = xcalloc(site->index_mask + 1, sizeof *site->index);
	pthread_mutex_init(&site->adding, NULL);
	int rc = site_fs_make_dirs(out_dir, err);
	if (rc == 0)
		rc = lock_folder(site, err);
	if (rc == 0)
		rc = read_previous_manifest(site, err);
	if (rc == 0)
		rc = journal_load(site, err);
	if (rc == 0)
		rc = clear_leftover_temps(site, err);
	if (rc < 0) {
		site_close(site);
		site = NULL;
	}
	*out = site;
	return rc;
}

/* --- adding files ------------------------------------------------------------------ */

/* Adds one file whose path is checked and whose digest is known: leaves it alone when
 * out/ already holds these bytes, else writes it under its temporary name. */
static int add_file(struct site *site, const char *path, const char *sha256, const void *bytes,
		    size_t len, int is_asset, struct error *err)
{
	assert(!site->finished);
	struct site_file *seen = find_file(site, path);
	if (seen) {
		if (strcmp(seen->sha256, sha256) == 0)
			return 0;
		return error_set(err, ERR_INPUT, "'%s' was added twice with different contents",
				 path);
	}
	if (strcmp(path, MANIFEST_NAME) == 0)
		return error_set(err, ERR_INPUT, "'%s' is the site's manifest and cannot be "
				 "a page", path);
	char *full = site_fs_join(site->out_dir, path), *temp = NULL;
	int same = 0, rc = make_folders_of(site, path, err);
	/* a folder this build made holds no earlier file to compare with */
	if (rc == 0)
		rc = site_fs_same_bytes(full, bytes, len, &same, err);
	else if (rc == 1)
		rc = 0;
	if (rc < 0 || same)
		goto done;
	temp = site_fs_temp_name(full);
	rc = journal_note(site, path, err);
	if (rc == 0 && !site->writer)
		site->writer = site_writer_start();
	if (rc == 0)
		rc = site_writer_add(site->writer, temp, bytes, len, err);
done:
	if (rc == 0) {
		struct site_file *f = append_file(site, path);
		memcpy(f->sha256, sha256, 65);
		f->bytes = len;
		f->is_asset = is_asset;
		f->pending = !same;
		if (same) {
			site->counts.unchanged++;
		} else {
			site->counts.written++;
			site->counts.bytes_written += (long long)len;
		}
	}
	free(temp);
	free(full);
	return rc;
}

/* An extension is a dot and 1 to 15 letters or digits. */
static int valid_extension(const char *ext)
{
	size_t n = strlen(ext);
	if (n < 2 || n > 16 || ext[0] != '.')
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = ext[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

int site_add_asset(struct site *site, const char *stem, const char *ext, const void *bytes,
		   size_t len, const char **final_path, struct error *err)
{
	char sha256[65];
	struct buf path = BUF_INIT;
	int rc;
	*final_path = NULL;
	if (!valid_extension(ext)) {
		rc = error_set(err, ERR_INPUT, "asset '%s': '%s' is not an extension such as "
			       "'.png'", stem, ext);
		goto done;
	}
	sha256_hex_of(bytes, len, sha256);
	buf_printf(&path, "%s.%.*s%s", stem, ASSET_HASH_DIGITS, sha256, ext);
	if ((rc = site_path_check(path.data, path.len, err)) < 0)
		goto done;
	pthread_mutex_lock(&site->adding);
	rc = add_file(site, path.data, sha256, bytes, len, 1, err);
	if (rc == 0)
		*final_path = find_file(site, path.data)->path;
	pthread_mutex_unlock(&site->adding);
done:
	buf_free(&path);
	return rc;
}

int site_add_page(struct site *site, const char *path, const void *bytes, size_t len,
		  struct error *err)
{
	char sha256[65];
	int rc = site_path_check(path, strlen(path), err);
	if (rc < 0)
		return rc;
	sha256_hex_of(bytes, len, sha256);
	pthread_mutex_lock(&site->adding);
	rc = add_file(site, path, sha256, bytes, len, 0, err);
	pthread_mutex_unlock(&site->adding);
	return rc;
}

/* --- finishing --------------------------------------------------------------------- */

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One of the two sides that rename a batch of files: entries side, side + 2, ... of
 * the batch. */
struct renaming {
	struct site *site;
	const size_t *batch; /* indexes into site->files */
	size_t count;
	size_t side;         /* 0 or 1 */
	int rc;              /* 0, or the first failure's code (err says why) */
	struct error err;
};

static void rename_side(void *arg)
{
	struct renaming *r = arg;
	for (size_t i = r->side; r->rc == 0 && i < r->count; i += 2) {
		struct site_file *f = &r->site->files[r->batch[i]];
		char *full = site_fs_join(r->site->out_dir, f->path), *temp = site_fs_temp_name(full);
		if ((r->rc = site_fs_rename(temp, full, &r->err)) == 0)
			f->pending = 0;
		free(temp);
		free(full);
	}
}

/* Renames the pending files of one kind (assets or pages) into place, half of them on
 * a second thread (thousands of renames in a few folders took 40 ms alone and 25 ms
 * on two), then flushes each folder that gained a name. */
static int put_in_place(struct site *site, int assets, struct error *err)
{
	size_t *batch = xmalloc((site->len + 1) * sizeof *batch), count = 0;
	for (size_t i = 0; i < site->len; i++)
		if (site->files[i].pending && site->files[i].is_asset == assets)
			batch[count++] = i;
	struct renaming sides[2] = {{.site = site, .batch = batch, .count = count, .side = 0},
				    {.site = site, .batch = batch, .count = count, .side = 1}};
	struct helper_thread helper;
	helper_thread_start(&helper);
	helper_thread_run(&helper, rename_side, &sides[1]);
	rename_side(&sides[0]);
	helper_thread_stop(&helper);
	int rc = sides[0].rc ? sides[0].rc : sides[1].rc;
	if (rc < 0)
		*err = sides[0].rc ? sides[0].err : sides[1].err;
	char **folders = xmalloc((count + 1) * sizeof *folders); /* of the renamed files */
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		struct site_file *f = &site->files[batch[i]];
		if (f->pending)
			continue;
		char *full = site_fs_join(site->out_dir, f->path);
		folders[n++] = site_fs_folder_of(full);
		free(full);
	}
	if (n > 1)
		qsort(folders, n, sizeof *folders, compare_strings);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && (i == 0 || strcmp(folders[i - 1], folders[i]) != 0))
			rc = site_fs_sync_dir(folders[i], err);
	}
	for (size_t i = 0; i < n; i++)
		free(folders[i]);
	free(folders);
	free(batch);
	return rc;
}

/* The manifest of this build: every file it produced, sorted by path. */
static void build_manifest(const struct site *site, struct manifest *m)
{
	for (size_t i = 0; i < site->len; i++) {
		const struct site_file *f = &site->files[i];
		manifest_add(m, f->path, (long long)f->bytes, f->sha256,
			     content_type_for_path(f->path),
			     f->is_asset ? CACHE_IMMUTABLE : CACHE_PAGE);
	}
	manifest_sort(m);
}

/* The paths earlier builds produced (the previous manifest and an interrupted build's
 * journal) that this build did not: sorted, each once. The array is malloc'd; the
 * strings belong to the site. */
static const char **find_stale(const struct site *site, const struct manifest *now, size_t *n)
{
	const char **stale = xcalloc(site->previous.len + site->earlier_len + 1, sizeof *stale);
	size_t count = 0;
	for (size_t i = 0; i < site->previous.len + site->earlier_len; i++) {
		const char *path = i < site->previous.len ? site->previous.entries[i].path
							  : site->earlier[i - site->previous.len];
		if (!manifest_find(now, path))
			stale[count++] = path;
	}
	if (count > 1)
		qsort(stale, count, sizeof *stale, compare_strings);
	size_t unique = 0;
	for (size_t i = 0; i < count; i++)
		if (unique == 0 || strcmp(stale[unique - 1], stale[i]) != 0)
			stale[unique++] = stale[i];
	*n = unique;
	return stale;
}

/* Writes manifest.json unless it already holds these bytes. */
static int write_manifest(struct site *site, const struct manifest *now, struct error *err)
{
	struct buf json = BUF_INIT;
	char *full = site_fs_join(site->out_dir, MANIFEST_NAME);
	int same = 0;
	manifest_to_json(now, &json);
	int rc = site_fs_same_bytes(full, json.data, json.len, &same, err);
	if (rc == 0 && !same && (rc = site_fs_replace(full, json.data, json.len, err)) == 0)
		site->counts.manifest_written = 1;
	free(full);
	buf_free(&json);
	return rc;
}

static int remove_stale(struct site *site, const char **stale, size_t n, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *full = site_fs_join(site->out_dir, stale[i]);
		int removed = 0;
		if ((rc = site_fs_remove(full, &removed, err)) == 0 && removed) {
			site->counts.removed++;
			site_fs_prune_empty_dirs(site->out_dir, stale[i]);
		}
		free(full);
	}
	return rc;
}

/* The build is complete: the journal is no longer needed. */
static int remove_journal(struct site *site, struct error *err)
{
	if (site->journal_fd >= 0) {
		close(site->journal_fd);
		site->journal_fd = -1;
	}
	if (!site->journal_exists)
		return 0;
	char *full = site_fs_join(site->out_dir, JOURNAL_NAME);
	int rc = site_fs_remove(full, NULL, err);
	free(full);
	if (rc == 0)
		site->journal_exists = 0;
	return rc;
}

int site_finish(struct site *site, struct error *err)
{
	assert(!site->finished);
	struct manifest now = MANIFEST_INIT;
	const char **stale = NULL;
	size_t stale_len = 0;
	/* The temporary files and the journal reach the disk before any rename. */
	int rc = site_writer_finish(site->writer, err);
	if (rc == 0 && site->counts.written)
		rc = site_fs_sync_file_system(site->out_dir, err);
	if (rc == 0)
		rc = journal_sync(site, err);
	if (rc == 0)
		site->placing = 1;
	if (rc == 0)
		rc = put_in_place(site, 1, err);
	if (rc == 0)
		rc = put_in_place(site, 0, err);
	if (rc < 0)
		goto done;
	build_manifest(site, &now);
	stale = find_stale(site, &now, &stale_len);
	/* Once the new manifest is in place the old one no longer names the stale files:
	 * the journal must, until they are gone. */
	for (size_t i = 0; rc == 0 && i < stale_len; i++)
		rc = journal_note(site, stale[i], err);
	if (rc == 0 && stale_len)
		rc = journal_sync(site, err);
	if (rc == 0)
		rc = write_manifest(site, &now, err);
	if (rc == 0)
		rc = remove_stale(site, stale, stale_len, err);
	if (rc == 0)
		rc = remove_journal(site, err);
	if (rc == 0)
		site->finished = 1;
done:
	free(stale);
	manifest_free(&now);
	return rc;
}

const struct site_counts *site_counts(const struct site *site)
{
	return &site->counts;
}

/* Removes the temporary files of a build that did not finish, then its journal when
 * nothing else needs it: out/ is as it was. */
static void discard_pending(struct site *site)
{
	for (size_t i = 0; i < site->len; i++) {
		if (!site->files[i].pending)
			continue;
		char *full = site_fs_join(site->out_dir, site->files[i].path);
		char *temp = site_fs_temp_name(full);
		unlink(temp);
		free(temp);
		free(full);
	}
	if (site->journal_is_new && !site->placing)
		unlinkat(site->dir_fd, JOURNAL_NAME, 0);
}

void site_close(struct site *site)
{
	if (!site)
		return;
	site_writer_free(site->writer); /* before the temporary files are removed */
	if (!site->finished)
		discard_pending(site);
	if (site->journal_fd >= 0)
		close(site->journal_fd);
	if (site->dir_fd >= 0)
		close(site->dir_fd);
	for (size_t i = 0; i < site->len; i++)
		free(site->files[i].path);
	for (size_t i = 0; i < site->earlier_len; i++)
		free(site->earlier[i]);
	free(site->earlier);
	for (size_t i = 0; i < site->folders_len; i++)
		free(site->folders[i].path);
	free(site->folders);
	free(site->files);
	free(site->index);
	manifest_free(&site->previous);
	pthread_mutex_destroy(&site->adding);
	free(site->out_dir);
	free(site);
}
