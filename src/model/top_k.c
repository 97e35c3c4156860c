/* top_k: a bounded min-heap of scored items (see top_k.h). */
#include "model/top_k.h"

#include <assert.h>
#include <stdlib.h>

#include "util/xalloc.h"

void top_k_init(struct top_k *t, size_t k)
{
	assert(k > 0);
	t->heap = xmalloc(k * sizeof *t->heap);
	t->count = 0;
	t->k = k;
}

void top_k_free(struct top_k *t)
{
	free(t->heap);
	t->heap = NULL;
	t->count = t->k = 0;
}

void top_k_clear(struct top_k *t)
{
	t->count = 0;
}

/* Restores the heap below slot i, where the worst item must be on top. */
static void sift_down(struct scored_item *heap, size_t count, size_t i)
{
	struct scored_item moving = heap[i];
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= count)
			break;
		if (child + 1 < count && scored_item_better(&heap[child], &heap[child + 1]))
			child++;
		if (!scored_item_better(&moving, &heap[child]))
			break;
		heap[i] = heap[child];
		i = child;
	}
	heap[i] = moving;
}

static void sift_up(struct scored_item *heap, size_t i)
{
	struct scored_item moving = heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!scored_item_better(&heap[parent], &moving))
			break;
		heap[i] = heap[parent];
		i = parent;
	}
	heap[i] = moving;
}

void top_k_place(struct top_k *t, struct scored_item item)
{
	if (t->count < t->k) {
		t->heap[t->count] = item;
		sift_up(t->heap, t->count++);
	} else {
		assert(scored_item_better(&item, &t->heap[0]));
		t->heap[0] = item;
		sift_down(t->heap, t->count, 0);
	}
}

size_t top_k_take(struct top_k *t, struct scored_item *out)
{
	/* k is small: an insertion sort of the heap, best first, beats popping it */
	size_t n = t->count;
	for (size_t i = 0; i < n; i++) {
		struct scored_item moving = t->heap[i];
		size_t j = i;
		for (; j > 0 && scored_item_better(&moving, &out[j - 1]); j--)
			out[j] = out[j - 1];
		out[j] = moving;
	}
	t->count = 0;
	return n;
}
