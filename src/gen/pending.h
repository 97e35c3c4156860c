/* pending: things that will happen later (a cancellation, a review), kept in time order
 * until their day comes.
 *
 * A binary min-heap of fixed-size items. Every item begins with a struct pending_key;
 * the queue stamps each pushed item with a sequence number, so items due at the same
 * moment come out in the order they went in and the output never depends on the heap's
 * inner layout. */
#ifndef CARTOGRAPH_GEN_PENDING_H
#define CARTOGRAPH_GEN_PENDING_H

#include <stddef.h>
#include <stdint.h>

struct pending_key {
	int64_t moment; /* when the item is due (seconds since day 0) */
	uint64_t seq;   /* order of pushing, set by pending_push */
};

struct pending {
	unsigned char *items; /* count items of item_size bytes, heap-ordered */
	size_t item_size;     /* bytes per item, a struct starting with pending_key */
	size_t count;
	size_t cap;
	uint64_t pushed;      /* items pushed so far: the next sequence number */
};

void pending_init(struct pending *q, size_t item_size);
void pending_free(struct pending *q);
/* Copies item into the queue (its key's seq is overwritten). */
void pending_push(struct pending *q, const void *item);
/* The earliest item, or NULL when the queue is empty; it stays queued. */
const void *pending_peek(const struct pending *q);
/* Removes the earliest item, copying it into out. The queue must not be empty. */
void pending_pop(struct pending *q, void *out);

#endif
