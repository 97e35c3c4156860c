/* pending: a binary min-heap keyed by (moment, seq). */
#include "gen/pending.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void pending_init(struct pending *q, size_t item_size)
{
	assert(item_size >= sizeof(struct pending_key));
	memset(q, 0, sizeof *q);
	q->item_size = item_size;
}

void pending_free(struct pending *q)
{
	free(q->items);
	memset(q, 0, sizeof *q);
}

static struct pending_key key_at(const struct pending *q, size_t i)
{
	struct pending_key k;
	memcpy(&k, q->items + i * q->item_size, sizeof k);
	return k;
}

static int comes_before(const struct pending *q, size_t a, size_t b)
{
	struct pending_key x = key_at(q, a), y = key_at(q, b);
	return x.moment != y.moment ? x.moment < y.moment : x.seq < y.seq;
}

static void swap_items(struct pending *q, size_t a, size_t b)
{
	unsigned char tmp[256];
	assert(q->item_size <= sizeof tmp);
	memcpy(tmp, q->items + a * q->item_size, q->item_size);
	memcpy(q->items + a * q->item_size, q->items + b * q->item_size, q->item_size);
	memcpy(q->items + b * q->item_size, tmp, q->item_size);
}

void pending_push(struct pending *q, const void *item)
{
	if (q->count == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 64;
		q->items = xreallocarray(q->items, q->cap, q->item_size);
	}
	unsigned char *slot = q->items + q->count * q->item_size;
	memcpy(slot, item, q->item_size);
	struct pending_key k = key_at(q, q->count);
	k.seq = q->pushed++;
	memcpy(slot, &k, sizeof k);
	for (size_t i = q->count++; i > 0 && comes_before(q, i, (i - 1) / 2); i = (i - 1) / 2)
		swap_items(q, i, (i - 1) / 2);
}

const void *pending_peek(const struct pending *q)
{
	return q->count ? q->items : NULL;
}

void pending_pop(struct pending *q, void *out)
{
	assert(q->count > 0);
	memcpy(out, q->items, q->item_size);
	q->count--;
	if (q->count == 0)
		return;
	memcpy(q->items, q->items + q->count * q->item_size, q->item_size);
	for (size_t i = 0;;) {
		size_t left = 2 * i + 1, right = left + 1, least = i;
		if (left < q->count && comes_before(q, left, least))
			least = left;
		if (right < q->count && comes_before(q, right, least))
			least = right;
		if (least == i)
			break;
		swap_items(q, i, least);
		i = least;
	}
}
