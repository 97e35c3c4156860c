/* row_queue: the ring of row batches between the ingest reader and writer threads.
 *
 * Batches are used in ring order: the reader fills the slot after the filled ones,
 * the writer drains from head. One mutex and one condition variable cover both
 * sides: each waits for "changed" and rechecks. */
#include "util/row_queue.h"

#include <assert.h>
#include <stdlib.h>

#include "util/xalloc.h"

void row_queue_init(struct row_queue *q, int depth)
{
	assert(depth >= 2 && depth <= ROW_QUEUE_MAX_BATCHES);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	q->depth = depth;
	for (int i = 0; i < depth; i++)
		q->batches[i] = xcalloc(1, sizeof(struct row_batch));
	q->head = q->filled = q->filling = q->closed = q->abandoned = 0;
}

void row_queue_destroy(struct row_queue *q)
{
	for (int i = 0; i < q->depth; i++) {
		buf_free(&q->batches[i]->bytes);
		free(q->batches[i]);
	}
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->lock);
}

static struct row_batch *slot_being_filled(struct row_queue *q)
{
	return q->batches[(q->head + q->filled) % q->depth];
}

struct row_batch *row_queue_fill_begin(struct row_queue *q)
{
	struct row_batch *b = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->filling) {
		b = slot_being_filled(q);
		goto done;
	}
	/* Full slots include the one the writer works on, until it releases it. */
	while (!q->abandoned && q->filled >= q->depth)
		pthread_cond_wait(&q->changed, &q->lock);
	if (q->abandoned)
		goto done;
	b = slot_being_filled(q);
	b->count = 0;
	buf_reset(&b->bytes);
	q->filling = 1;
done:
	pthread_mutex_unlock(&q->lock);
	return b;
}

void row_queue_fill_end(struct row_queue *q)
{
	pthread_mutex_lock(&q->lock);
	if (q->filling) {
		q->filling = 0;
		q->filled++;
		pthread_cond_broadcast(&q->changed);
	}
	pthread_mutex_unlock(&q->lock);
}

void row_queue_close(struct row_queue *q)
{
	row_queue_fill_end(q);
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

struct row_batch *row_queue_take(struct row_queue *q)
{
	struct row_batch *b = NULL;
	pthread_mutex_lock(&q->lock);
	while (!q->filled && !q->closed)
		pthread_cond_wait(&q->changed, &q->lock);
	if (q->filled)
		b = q->batches[q->head];
	pthread_mutex_unlock(&q->lock);
	return b;
}

void row_queue_release(struct row_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->head = (q->head + 1) % q->depth;
	q->filled--;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

void row_queue_abandon(struct row_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->abandoned = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

struct staged_value row_batch_add(struct row_batch *b, const void *data, size_t len)
{
	struct staged_value v = {(uint32_t)b->bytes.len, STAGED_NULL};
	if (data) {
		buf_append(&b->bytes, data, len);
		v.length = (uint32_t)len;
	}
	return v;
}

void row_batch_texts(const struct row_batch *b, const struct staged_row *row, int count,
		     const char **text, size_t *length)
{
	for (int i = 0; i < count; i++) {
		struct staged_value v = row->values[i];
		text[i] = v.length == STAGED_NULL ? NULL : b->bytes.data + v.offset;
		length[i] = v.length == STAGED_NULL ? 0 : v.length;
	}
}
