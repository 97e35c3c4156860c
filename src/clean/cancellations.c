/* cancellations: matching cancellation and return lines to the sales they undo.
 *
 * A reversal line (negative quantity, or on a cancellation invoice) undoes the latest
 * earlier sale line of the same customer, product and quantity that no other reversal
 * took: that sale is flagged ITEM_CANCELLED and so leaves sales. Online Retail gives a
 * cancellation its own invoice number (C581484 undoes 581483), so this match is the
 * only way to find what was cancelled. When no sale of the same quantity exists (a
 * partial cancellation), the reversal's order is still linked to the latest earlier
 * order of that customer and product with at least that quantity, and the sale stays.
 * Reversals without a customer cannot be matched. Each reversal order is then linked
 * (cancels_order_id) to the order most of its lines matched. */
#include "clean/orders.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* A sale line a reversal may undo, keyed for searching. */
struct sale {
	uint32_t customer, product;
	int64_t quantity, time;
	uint32_t line;             /* index into the line set */
	uint8_t taken;             /* already undone by a reversal */
};

/* A reversal order pointing at an order it undoes. */
struct link {
	uint32_t reversal_order, sale_order;
	uint8_t exact;             /* matched to the quantity */
};

static int compare_sales(const void *a, const void *b)
{
	const struct sale *x = a, *y = b;
	if (x->customer != y->customer)
		return x->customer < y->customer ? -1 : 1;
	if (x->product != y->product)
		return x->product < y->product ? -1 : 1;
	if (x->quantity != y->quantity)
		return x->quantity < y->quantity ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Index of the first sale not before (customer, product, quantity, time). */
static size_t lower_bound(const struct sale *sales, size_t count, uint32_t customer,
			  uint32_t product, int64_t quantity, int64_t time)
{
	struct sale key = {customer, product, quantity, time, 0, 0};
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (compare_sales(&sales[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int is_sale(const struct line_set *set, const struct order_line *l)
{
	return l->kind == LINE_ITEM && l->customer_id &&
	       !(l->flags & (ITEM_RETURN | ITEM_CANCELLED)) && line_quantity(set, l) > 0;
}

static int is_reversal(const struct order_line *l)
{
	return l->kind == LINE_ITEM && (l->flags & ITEM_RETURN);
}

/* A set of (customer, product) pairs: the ones some reversal names. Only sales of
 * these pairs can be undone, so only they are sorted for searching. */
struct pair_set {
	uint64_t *slot;            /* customer << 32 | product, 0 = empty */
	size_t mask;
};

static uint64_t pair_key(const struct order_line *l)
{
	return (uint64_t)l->customer_id << 32 | l->product_id;
}

static size_t pair_slot(const struct pair_set *pairs, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & pairs->mask;
	while (pairs->slot[i] && pairs->slot[i] != key)
		i = (i + 1) & pairs->mask;
	return i;
}

static void pairs_of_reversals(const struct line_set *set, struct pair_set *pairs)
{
	size_t size = 64, reversals = 0;
	for (size_t i = 0; i < set->count; i++)
		reversals += is_reversal(&set->line[i]) && set->line[i].customer_id;
	while (size < reversals * 2)
		size *= 2;
	pairs->slot = xcalloc(size, sizeof *pairs->slot);
	pairs->mask = size - 1;
	for (size_t i = 0; i < set->count; i++) {
		const struct order_line *l = &set->line[i];
		if (is_reversal(l) && l->customer_id)
			pairs->slot[pair_slot(pairs, pair_key(l))] = pair_key(l);
	}
}

static struct sale *collect_sales(const struct line_set *set, size_t *count)
{
	struct sale *sales = NULL;
	struct pair_set pairs;
	size_t n = 0, cap = 0;
	pairs_of_reversals(set, &pairs);
	for (size_t i = 0; i < set->count; i++) {
		const struct order_line *l = &set->line[i];
		if (!is_sale(set, l) || !pairs.slot[pair_slot(&pairs, pair_key(l))])
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			sales = xreallocarray(sales, cap, sizeof *sales);
		}
		sales[n++] = (struct sale){l->customer_id, l->product_id, line_quantity(set, l),
					   line_seconds(set, l), (uint32_t)i, 0};
	}
	free(pairs.slot);
	if (n)
		qsort(sales, n, sizeof *sales, compare_sales);
	*count = n;
	return sales;
}

/* A reversal line, to put in time order. */
struct reversal {
	int64_t time;
	uint32_t line;
};

static int compare_reversals(const void *a, const void *b)
{
	const struct reversal *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The reversal lines in time order (file order within a time). */
static struct reversal *collect_reversals(const struct line_set *set, size_t *count)
{
	struct reversal *reversals = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < set->count; i++) {
		if (!is_reversal(&set->line[i]))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			reversals = xreallocarray(reversals, cap, sizeof *reversals);
		}
		reversals[n++] = (struct reversal){line_seconds(set, &set->line[i]), (uint32_t)i};
	}
	if (n)
		qsort(reversals, n, sizeof *reversals, compare_reversals);
	*count = n;
	return reversals;
}

/* The latest untaken sale of exactly the reversal's quantity, at or before its time,
 * or NULL. */
static struct sale *exact_sale(struct sale *sales, size_t count, const struct order_line *r,
			       int64_t quantity, int64_t time)
{
	size_t from = lower_bound(sales, count, r->customer_id, r->product_id, quantity, INT64_MIN);
	size_t to = lower_bound(sales, count, r->customer_id, r->product_id, quantity,
				time == INT64_MAX ? time : time + 1);
	for (size_t k = to; k > from; k--)
		if (!sales[k - 1].taken)
			return &sales[k - 1];
	return NULL;
}

/* The latest earlier sale of the same customer and product with at least the
 * reversal's quantity, or NULL. */
static const struct sale *partial_sale(const struct sale *sales, size_t count,
				       const struct order_line *r, int64_t quantity, int64_t time)
{
	const struct sale *best = NULL;
	for (size_t k = lower_bound(sales, count, r->customer_id, r->product_id, quantity,
				    INT64_MIN);
	     k < count && sales[k].customer == r->customer_id && sales[k].product == r->product_id;
	     k++)
		if (sales[k].time <= time && (!best || sales[k].time >= best->time))
			best = &sales[k];
	return best;
}

static int compare_links(const void *a, const void *b)
{
	const struct link *x = a, *y = b;
	if (x->reversal_order != y->reversal_order)
		return x->reversal_order < y->reversal_order ? -1 : 1;
	if (x->exact != y->exact)
		return x->exact > y->exact ? -1 : 1;
	return x->sale_order < y->sale_order ? -1 : x->sale_order > y->sale_order;
}

/* Links each reversal order to the order most of its exact matches (else partial
 * ones) point at; a tie goes to the order first in key order. */
static void link_orders(struct order_set *orders, struct link *links, size_t count)
{
	if (count)
		qsort(links, count, sizeof *links, compare_links);
	for (size_t i = 0; i < count;) {
		size_t group_end = i, best_run = 0;
		uint32_t best = 0;
		while (group_end < count && links[group_end].reversal_order == links[i].reversal_order &&
		       links[group_end].exact == links[i].exact)
			group_end++;
		for (size_t k = i; k < group_end;) {
			size_t run_end = k;
			while (run_end < group_end && links[run_end].sale_order == links[k].sale_order)
				run_end++;
			if (run_end - k > best_run) {
				best_run = run_end - k;
				best = links[k].sale_order;
			}
			k = run_end;
		}
		orders->order[links[i].reversal_order].cancels = best + 1;
		while (group_end < count && links[group_end].reversal_order == links[i].reversal_order)
			group_end++; /* the partial links of an order that had exact ones */
		i = group_end;
	}
}

void cancellations_match(struct line_set *set, struct order_set *orders, struct dq_log *log)
{
	size_t sale_count, reversal_count, link_count = 0;
	struct sale *sales = collect_sales(set, &sale_count);
	struct reversal *reversals = collect_reversals(set, &reversal_count);
	struct link *links = xmalloc((reversal_count ? reversal_count : 1) * sizeof *links);
	for (size_t i = 0; i < reversal_count; i++) {
		const struct order_line *r = &set->line[reversals[i].line];
		int64_t quantity = line_quantity(set, r), time = reversals[i].time;
		struct sale *exact = NULL;
		const struct sale *partial = NULL;
		quantity = quantity < 0 ? -quantity : quantity;
		if (r->customer_id && quantity > 0 &&
		    !(exact = exact_sale(sales, sale_count, r, quantity, time)))
			partial = partial_sale(sales, sale_count, r, quantity, time);
		if (exact) {
			exact->taken = 1;
			set->line[exact->line].flags |= ITEM_CANCELLED;
			line_dq_count(log, DQ_CANCELLATION_MATCHED, set, r);
		} else if (partial)
			line_dq_count(log, DQ_CANCELLATION_PARTIAL, set, r);
		else {
			line_dq_count(log, DQ_CANCELLATION_UNMATCHED, set, r);
			continue;
		}
		uint32_t undone = order_of(orders, &set->line[(exact ? exact : partial)->line]);
		uint32_t reversal = order_of(orders, r);
		if (undone != reversal) /* a correction inside one order links nothing */
			links[link_count++] = (struct link){reversal, undone, exact != NULL};
	}
	link_orders(orders, links, link_count);
	free(links);
	free(reversals);
	free(sales);
}
