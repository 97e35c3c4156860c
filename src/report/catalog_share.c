/* catalog_share: the catalog's product pages dealt out to the build's threads (see
 * catalog_share.h). */
#include "report/catalog_share.h"

#include <string.h>

enum { NOT_OPEN, OPEN, CLOSED };

void catalog_share_init(struct catalog_share *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->changed, NULL);
	s->state = NOT_OPEN;
}

void catalog_share_free(struct catalog_share *s)
{
	pthread_cond_destroy(&s->changed);
	pthread_mutex_destroy(&s->lock);
}

void catalog_share_open(struct catalog_share *s, const struct catalog_build *cb)
{
	pthread_mutex_lock(&s->lock);
	if (s->state == NOT_OPEN) {
		s->cb = *cb;
		s->next = 0;
		s->state = OPEN;
		pthread_cond_broadcast(&s->changed);
	}
	pthread_mutex_unlock(&s->lock);
}

int catalog_share_next(struct catalog_share *s)
{
	pthread_mutex_lock(&s->lock);
	int at = -1;
	if (s->state == OPEN && !s->stopped && s->next < s->cb.cat->count)
		at = s->next++;
	pthread_mutex_unlock(&s->lock);
	return at;
}

void catalog_share_stop(struct catalog_share *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopped = 1;
	pthread_mutex_unlock(&s->lock);
}

void catalog_share_close(struct catalog_share *s)
{
	pthread_mutex_lock(&s->lock);
	s->state = CLOSED;
	pthread_cond_broadcast(&s->changed);
	while (s->helpers > 0)
		pthread_cond_wait(&s->changed, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

int catalog_share_join(struct catalog_share *s, struct catalog_build *cb)
{
	pthread_mutex_lock(&s->lock);
	while (s->state == NOT_OPEN)
		pthread_cond_wait(&s->changed, &s->lock);
	int open = s->state == OPEN;
	if (open) {
		s->helpers++;
		*cb = s->cb;
	}
	pthread_mutex_unlock(&s->lock);
	return open;
}

void catalog_share_leave(struct catalog_share *s)
{
	pthread_mutex_lock(&s->lock);
	s->helpers--;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}
