/* site_writer: writes the site's new files on a second thread.
 *
 * Creating a file is the slowest step of adding a page: the file system has to find
 * and set up a new inode, which for the 7,700 new files of the Online Retail site costs
 * 0.3 to 1 s of kernel time. The build hands each file's bytes to this writer and goes
 * on rendering while it writes them. The queue is bounded in bytes, so memory stays
 * small however large the site; the first error stops the writing and is reported by
 * the next site_writer_add or by site_writer_finish, naming the file. */
#include "report/site_writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "report/site_fs.h"
#include "util/xalloc.h"

#define QUEUE_BYTES (8u << 20) /* the queue holds at most this much (or one file) */
/* The writer, once it has emptied the queue, sleeps until this many files or bytes
 * wait: woken for every file, it slept and woke again 7,800 times for the Online
 * Retail site, each time a system call on both sides. */
#define WAKE_FILES 32
#define WAKE_BYTES (256u << 10)

struct write_job {
	char *path;
	void *bytes;
	size_t len;
	struct write_job *next;
};

struct site_writer {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pthread_t thread;
	int threaded;             /* the thread runs; else files are written at once */
	struct write_job *head, *tail;
	size_t queued_bytes;      /* bytes of the jobs queued or being written */
	size_t queued_files;      /* jobs queued, not yet taken */
	int closing;              /* no more jobs will come */
	int failed;               /* a write failed: error holds why */
	struct error error;
};

static void job_free(struct write_job *job)
{
	free(job->path);
	free(job->bytes);
	free(job);
}

/* Takes the next job, waiting for one; NULL once closing and empty. */
static struct write_job *next_job(struct site_writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->head && !w->closing)
		pthread_cond_wait(&w->changed, &w->lock);
	struct write_job *job = w->head;
	if (job) {
		w->head = job->next;
		if (!w->head)
			w->tail = NULL;
		w->queued_files--;
	}
	pthread_mutex_unlock(&w->lock);
	return job;
}

static void *write_files(void *arg)
{
	struct site_writer *w = arg;
	struct write_job *job;
	while ((job = next_job(w))) {
		struct error err = {""};
		int failed = w->failed; /* only this thread sets it */
		if (!failed && site_fs_write(job->path, job->bytes, job->len, 0, &err) < 0)
			failed = 1;
		pthread_mutex_lock(&w->lock);
		if (failed && !w->failed) {
			w->failed = 1;
			w->error = err;
		}
		w->queued_bytes -= job->len;
		pthread_cond_broadcast(&w->changed);
		pthread_mutex_unlock(&w->lock);
		job_free(job);
	}
	return NULL;
}

struct site_writer *site_writer_start(void)
{
	struct site_writer *w = xcalloc(1, sizeof *w);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	w->threaded = pthread_create(&w->thread, NULL, write_files, w) == 0;
	return w;
}

static int report(struct site_writer *w, struct error *err)
{
	if (err)
		*err = w->error;
	return ERR_SYSTEM;
}

int site_writer_add(struct site_writer *w, const char *path, const void *bytes, size_t len,
		    struct error *err)
{
	if (!w->threaded)
		return site_fs_write(path, bytes, len, 0, err);
	struct write_job *job = xmalloc(sizeof *job);
	job->path = xstrdup(path);
	job->bytes = xmalloc(len ? len : 1);
	memcpy(job->bytes, bytes, len);
	job->len = len;
	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	while (!w->failed && w->queued_bytes > 0 && w->queued_bytes + len > QUEUE_BYTES) {
		pthread_cond_broadcast(&w->changed); /* the writer may sleep below its wake */
		pthread_cond_wait(&w->changed, &w->lock);
	}
	int failed = w->failed;
	if (!failed) {
		if (w->tail)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		w->queued_bytes += len;
		if (++w->queued_files >= WAKE_FILES || w->queued_bytes >= WAKE_BYTES)
			pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	if (!failed)
		return 0;
	job_free(job);
	return report(w, err);
}

int site_writer_finish(struct site_writer *w, struct error *err)
{
	if (!w || !w->threaded)
		return 0;
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->threaded = 0;
	return w->failed ? report(w, err) : 0;
}

void site_writer_free(struct site_writer *w)
{
	if (!w)
		return;
	site_writer_finish(w, NULL);
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
