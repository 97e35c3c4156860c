/* helper_thread: a second thread that runs one job at a time beside the caller, who
 * hands it a job, does work of its own, then waits for the job to end (ingest hands
 * each batch of rows to its tap this way while it writes the batch).
 *
 * When the thread cannot be started, jobs run on the caller's thread when handed
 * over: the same results, one core. */
#ifndef CARTOGRAPH_HELPER_THREAD_H
#define CARTOGRAPH_HELPER_THREAD_H

#include <pthread.h>

typedef void (*helper_job)(void *arg);

struct helper_thread {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	helper_job job;       /* the job handed over and not yet done, or NULL */
	void *arg;
	int started;          /* the thread runs */
	int stopping;
};

/* Starts the thread (or settles for running jobs inline). */
void helper_thread_start(struct helper_thread *h);
/* Hands a job over; the previous one must have been waited for. */
void helper_thread_run(struct helper_thread *h, helper_job job, void *arg);
/* Waits until the job handed over is done. */
void helper_thread_wait(struct helper_thread *h);
/* Ends the thread (after the job handed over, if any). */
void helper_thread_stop(struct helper_thread *h);

#endif
