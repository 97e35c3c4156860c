/* helper_thread: one job at a time on a thread of its own, under a lock and a
 * condition that both sides wait on. */
#include "util/helper_thread.h"

#include <string.h>

static void *helper_main(void *arg)
{
	struct helper_thread *h = arg;
	pthread_mutex_lock(&h->lock);
	for (;;) {
		while (!h->job && !h->stopping)
			pthread_cond_wait(&h->changed, &h->lock);
		if (!h->job)
			break;
		helper_job job = h->job;
		pthread_mutex_unlock(&h->lock);
		job(h->arg);
		pthread_mutex_lock(&h->lock);
		h->job = NULL;
		pthread_cond_broadcast(&h->changed);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

void helper_thread_start(struct helper_thread *h)
{
	memset(h, 0, sizeof *h);
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->changed, NULL);
	h->started = pthread_create(&h->thread, NULL, helper_main, h) == 0;
}

void helper_thread_run(struct helper_thread *h, helper_job job, void *arg)
{
	if (!h->started) {
		job(arg);
		return;
	}
	pthread_mutex_lock(&h->lock);
	h->job = job;
	h->arg = arg;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

void helper_thread_wait(struct helper_thread *h)
{
	pthread_mutex_lock(&h->lock);
	while (h->job)
		pthread_cond_wait(&h->changed, &h->lock);
	pthread_mutex_unlock(&h->lock);
}

void helper_thread_stop(struct helper_thread *h)
{
	if (h->started) {
		pthread_mutex_lock(&h->lock);
		h->stopping = 1;
		pthread_cond_broadcast(&h->changed);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->thread, NULL);
	}
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->changed);
}
