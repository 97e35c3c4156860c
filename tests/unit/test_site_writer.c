/* test_site_writer: files handed to the background writer all arrive with their bytes,
 * however much is queued; a failed write is reported with the file's name, and nothing
 * after it is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "report/site_writer.h"
#include "util/xalloc.h"

static char folder[] = "/tmp/test_site_writer.XXXXXX";

static void path_of(int i, char *out, size_t size)
{
	snprintf(out, size, "%s/file%d", folder, i);
}

/* 1 when the file holds len bytes, each equal to fill. */
static int file_holds(const char *path, size_t len, int fill)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = 0;
	int c, ok = 1;
	while ((c = fgetc(f)) != EOF) {
		ok &= c == fill;
		n++;
	}
	fclose(f);
	return ok && n == len;
}

static void test_every_queued_file_is_written_past_the_queue_bound(void)
{
	enum { FILES = 40, SIZE = 1 << 20 }; /* 40 MB through an 8 MB queue */
	char *bytes = xmalloc(SIZE);
	struct site_writer *w = site_writer_start();
	struct error err = {""};
	char path[256];
	int added = 0;
	for (int i = 0; i < FILES; i++) {
		memset(bytes, 'a' + i % 26, SIZE);
		path_of(i, path, sizeof path);
		added += site_writer_add(w, path, bytes, (size_t)SIZE - (size_t)i, &err) == 0;
	}
	memset(bytes, 'z', SIZE); /* the writer works on its own copies */
	CHECK_INT(added, FILES);
	CHECK_INT(site_writer_finish(w, &err), 0);
	int right = 0;
	for (int i = 0; i < FILES; i++) {
		path_of(i, path, sizeof path);
		right += file_holds(path, (size_t)SIZE - (size_t)i, 'a' + i % 26);
		unlink(path);
	}
	CHECK_INT(right, FILES);
	site_writer_free(w);
	free(bytes);
}

static void test_a_failed_write_is_reported_and_stops_the_writing(void)
{
	struct site_writer *w = site_writer_start();
	struct error err = {""};
	char missing[300], after[256];
	snprintf(missing, sizeof missing, "%s/no-such-folder/page.html", folder);
	path_of(99, after, sizeof after);
	int first = site_writer_add(w, missing, "x", 1, &err);
	int second = first == 0 ? site_writer_add(w, after, "y", 1, &err) : 0;
	int finished = site_writer_finish(w, first < 0 || second < 0 ? NULL : &err);
	CHECK(first == ERR_SYSTEM || second == ERR_SYSTEM || finished == ERR_SYSTEM);
	CHECK(strstr(err.msg, "no-such-folder/page.html") != NULL);
	CHECK(access(after, F_OK) != 0);
	unlink(after);
	site_writer_free(w);
}

static void test_finishing_nothing_is_fine(void)
{
	struct error err = {""};
	CHECK_INT(site_writer_finish(NULL, &err), 0);
	site_writer_free(NULL);
	struct site_writer *w = site_writer_start();
	CHECK_INT(site_writer_finish(w, &err), 0);
	CHECK_INT(site_writer_finish(w, &err), 0);
	site_writer_free(w);
}

/* A few small files, fewer than the writer waits for, then one larger than the whole
 * queue: the large one must wake the writer rather than wait for it (alarm: a hang
 * fails the test). */
static void test_a_large_file_behind_a_few_small_ones_is_written(void)
{
	enum { SMALL = 3, LARGE = 9 << 20 };
	char *bytes = xmalloc(LARGE);
	struct site_writer *w = site_writer_start();
	struct error err = {""};
	char path[256];
	memset(bytes, 's', LARGE);
	alarm(20);
	for (int i = 0; i < SMALL; i++) {
		path_of(i, path, sizeof path);
		CHECK_INT(site_writer_add(w, path, bytes, 10, &err), 0);
	}
	path_of(SMALL, path, sizeof path);
	CHECK_INT(site_writer_add(w, path, bytes, LARGE, &err), 0);
	path_of(SMALL + 1, path, sizeof path);
	CHECK_INT(site_writer_add(w, path, bytes, LARGE, &err), 0);
	CHECK_INT(site_writer_finish(w, &err), 0);
	alarm(0);
	int right = 0;
	for (int i = 0; i < SMALL + 2; i++) {
		path_of(i, path, sizeof path);
		right += file_holds(path, i < SMALL ? 10 : LARGE, 's');
		unlink(path);
	}
	CHECK_INT(right, SMALL + 2);
	site_writer_free(w);
	free(bytes);
}

int main(void)
{
	if (!mkdtemp(folder)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_every_queued_file_is_written_past_the_queue_bound);
	RUN(test_a_failed_write_is_reported_and_stops_the_writing);
	RUN(test_finishing_nothing_is_fine);
	RUN(test_a_large_file_behind_a_few_small_ones_is_written);
	rmdir(folder);
	return check_summary();
}
