/* top_k: keeps the K best of a stream of scored items in a bounded heap, for the
 * recommenders (a product's nearest neighbours, a customer's recommendations).
 *
 * The one idea: the heap's root is the worst item kept, so an offer costs one comparison
 * when it does not make the cut and log K when it does; memory is K items whatever the
 * stream's length. "Better" is a higher score, and between equal scores the lower item
 * number (items are numbered in id order), so ties come out the same on every run. */
#ifndef CARTOGRAPH_TOP_K_H
#define CARTOGRAPH_TOP_K_H

#include <stddef.h>
#include <stdint.h>

struct scored_item {
	double score;  /* higher is better */
	int32_t item;  /* the item's number; lower wins a tie */
	int32_t extra; /* carried along (e.g. support), not compared */
};

struct top_k {
	struct scored_item *heap; /* count items, worst at heap[0] */
	size_t count;             /* items kept, at most k */
	size_t k;                 /* capacity */
};

void top_k_init(struct top_k *t, size_t k);
void top_k_free(struct top_k *t);
/* Forgets the items kept (capacity stays). */
void top_k_clear(struct top_k *t);
/* Returns 1 when a is better than b: higher score, or equal score and lower item. */
static inline int scored_item_better(const struct scored_item *a, const struct scored_item *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->item < b->item;
}

/* Puts an item in the heap: in a free slot, or over the worst kept, which it beats. */
void top_k_place(struct top_k *t, struct scored_item item);

/* Keeps the item when fewer than k are kept or it beats the worst kept. Most offers to
 * a full heap are turned away, here, at the cost of one comparison. */
static inline void top_k_offer(struct top_k *t, double score, int32_t item, int32_t extra)
{
	struct scored_item offered = {score, item, extra};
	if (t->count < t->k || scored_item_better(&offered, &t->heap[0]))
		top_k_place(t, offered);
}

/* Writes the kept items to out (room for k), best first, and empties t; returns how
 * many. */
size_t top_k_take(struct top_k *t, struct scored_item *out);

#endif
