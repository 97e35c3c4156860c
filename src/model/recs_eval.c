/* recs_eval: the time split and hit-rate / recall of recommendation lists (see
 * recs_eval.h); the figures themselves come from metrics.c. */
#include "model/recs_eval.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "model/metrics.h"
#include "util/xalloc.h"

static int compare_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* The start of the day test_days before the latest basket. */
static int64_t cutoff_of(const struct purchase_history *h, int test_days)
{
	int64_t latest = h->baskets[h->basket_count - 1].time;
	int64_t day = latest >= 0 ? latest / SECONDS_PER_DAY
				  : -((-latest + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
	return (day - test_days) * SECONDS_PER_DAY;
}

int recs_split_make(const struct purchase_history *h, int test_days, struct recs_split *out,
		    struct error *err)
{
	assert(test_days >= 1);
	memset(out, 0, sizeof *out);
	if (h->basket_count == 0)
		return error_set(err, ERR_INPUT, "no completed orders to evaluate on");
	out->cutoff = cutoff_of(h, test_days);
	out->train_baskets = purchase_history_baskets_before(h, out->cutoff);
	size_t n = h->customer_count;
	unsigned char *before = xcalloc(n + 1, 1);
	uint32_t *later_lines = xcalloc(n + 1, sizeof *later_lines);
	for (size_t b = 0; b < h->basket_count; b++) {
		int32_t c = h->baskets[b].customer;
		if (c < 0)
			continue;
		if (b < out->train_baskets)
			before[c] = 1;
		else
			later_lines[c] += h->baskets[b].line_count;
	}
	/* customer index in the split, and where their later lines go */
	int32_t *slot = xmalloc((n + 1) * sizeof *slot);
	size_t lines = 0;
	for (size_t c = 0; c < n; c++) {
		slot[c] = -1;
		if (before[c] && later_lines[c] > 0) {
			slot[c] = (int32_t)out->customer_count++;
			lines += later_lines[c];
		}
	}
	int rc = 0;
	if (out->customer_count == 0) {
		rc = error_set(err, ERR_INPUT,
			       "no customer bought both before and after the cutoff (%d days "
			       "before the latest order)",
			       test_days);
		goto done;
	}
	out->customers = xmalloc(out->customer_count * sizeof *out->customers);
	out->start = xcalloc(out->customer_count + 1, sizeof *out->start);
	out->later = xmalloc((lines + 1) * sizeof *out->later);
	out->repeat = xmalloc(lines + 1);
	for (size_t c = 0, i = 0; c < n; c++)
		if (slot[c] >= 0) {
			out->customers[i] = (int32_t)c;
			out->start[i + 1] = out->start[i] + later_lines[c];
			later_lines[c] = out->start[i]; /* now the fill pointer */
			i++;
		}
	for (size_t b = out->train_baskets; b < h->basket_count; b++) {
		const struct basket *k = &h->baskets[b];
		if (k->customer < 0 || slot[k->customer] < 0)
			continue;
		for (uint32_t i = 0; i < k->line_count; i++)
			out->later[later_lines[k->customer]++] = h->lines[k->first_line + i].product;
	}
	/* each customer's later products: sorted, distinct, and marked when owned before */
	struct customer_histories *owned = &out->owned;
	customer_histories_build(h, out->train_baskets, owned);
	out->owned_built = 1;
	uint32_t write = 0;
	for (size_t i = 0; i < out->customer_count; i++) {
		uint32_t begin = out->start[i], end = out->start[i + 1];
		qsort(out->later + begin, end - begin, sizeof *out->later, compare_int32);
		out->start[i] = write;
		for (uint32_t x = begin; x < end; x++) {
			if (write > out->start[i] && out->later[write - 1] == out->later[x])
				continue;
			out->later[write] = out->later[x];
			out->repeat[write] =
				(unsigned char)customer_owns(owned, out->customers[i], out->later[x]);
			write++;
		}
	}
	out->start[out->customer_count] = write;
done:
	free(before);
	free(later_lines);
	free(slot);
	if (rc)
		recs_split_free(out);
	return rc;
}

void recs_split_free(struct recs_split *s)
{
	free(s->customers);
	free(s->start);
	free(s->later);
	free(s->repeat);
	if (s->owned_built)
		customer_histories_free(&s->owned);
	memset(s, 0, sizeof *s);
}

void recs_split_evaluate(const struct recs_split *s, size_t k, recs_list_fn make_list,
			 void *context, struct recs_scores *out)
{
	assert(k >= 1);
	size_t n = s->customer_count, entries = s->start[n];
	int64_t *lists = xmalloc((n * k + 1) * sizeof *lists);
	int64_t *bought_any = xmalloc((entries + 1) * sizeof *bought_any);
	int64_t *bought_new = xmalloc((entries + 1) * sizeof *bought_new);
	struct rec_outcome *any = xmalloc((n + 1) * sizeof *any);
	struct rec_outcome *fresh = xmalloc((n + 1) * sizeof *fresh);
	int32_t *list = xmalloc(k * sizeof *list);
	size_t new_count = 0;
	for (size_t i = 0; i < n; i++) {
		size_t got = make_list(context, s->customers[i], list, k);
		assert(got <= k);
		for (size_t r = 0; r < got; r++)
			lists[i * k + r] = list[r];
		size_t news = 0, first_new = new_count;
		for (uint32_t x = s->start[i]; x < s->start[i + 1]; x++) {
			bought_any[x] = s->later[x];
			if (!s->repeat[x])
				bought_new[new_count + news++] = s->later[x];
		}
		new_count += news;
		any[i] = (struct rec_outcome){lists + i * k, got, bought_any + s->start[i],
					      s->start[i + 1] - s->start[i]};
		fresh[i] = (struct rec_outcome){lists + i * k, got, bought_new + first_new, news};
	}
	out->customers_any = n;
	out->customers = 0;
	for (size_t i = 0; i < n; i++)
		out->customers += fresh[i].n_bought > 0;
	out->hit_rate = metrics_hit_rate_at_k(fresh, n, k);
	out->recall = metrics_recall_at_k(fresh, n, k);
	out->hit_rate_any = metrics_hit_rate_at_k(any, n, k);
	out->recall_any = metrics_recall_at_k(any, n, k);
	free(lists);
	free(bought_any);
	free(bought_new);
	free(any);
	free(fresh);
	free(list);
}
