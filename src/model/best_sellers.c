/* best_sellers: weighted basket counts per product, overall and per segment (see
 * best_sellers.h). */
#include "model/best_sellers.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/top_k.h"
#include "util/xalloc.h"

static double basket_weight(int64_t now, int64_t time, double half_life_days)
{
	if (half_life_days <= 0)
		return 1.0;
	double age_days = (double)(now - time) / SECONDS_PER_DAY;
	return exp2(-(age_days > 0 ? age_days : 0) / half_life_days);
}

/* Best first; ties by product number. Sorts pairs rather than reaching for the scores
 * through a global, as the evaluation ranks on a thread of its own at the same time. */
static int compare_scored_items(const void *a, const void *b)
{
	return scored_item_better(a, b) ? -1 : scored_item_better(b, a) ? 1 : 0;
}

void popularity_compute(const struct purchase_history *h, size_t basket_limit, int64_t now,
			double half_life_days, struct popularity *out)
{
	assert(basket_limit <= h->basket_count);
	size_t n = h->product_count;
	out->product_count = n;
	out->score = xcalloc(n + 1, sizeof *out->score);
	out->ranked = xmalloc((n + 1) * sizeof *out->ranked);
	out->max_score = 0;
	for (size_t b = 0; b < basket_limit; b++) {
		const struct basket *k = &h->baskets[b];
		double w = basket_weight(now, k->time, half_life_days);
		for (uint32_t i = 0; i < k->line_count; i++)
			out->score[h->lines[k->first_line + i].product] += w;
	}
	struct scored_item *sold = xmalloc((n + 1) * sizeof *sold);
	size_t count = 0;
	for (size_t p = 0; p < n; p++) {
		if (out->score[p] > 0)
			sold[count++] = (struct scored_item){out->score[p], (int32_t)p, 0};
		if (out->score[p] > out->max_score)
			out->max_score = out->score[p];
	}
	qsort(sold, count, sizeof *sold, compare_scored_items);
	for (size_t r = 0; r < count; r++)
		out->ranked[r] = sold[r].item;
	out->ranked_count = count;
	free(sold);
}

void popularity_free(struct popularity *p)
{
	free(p->score);
	free(p->ranked);
	memset(p, 0, sizeof *p);
}

void segment_best_sellers_compute(const struct purchase_history *h, size_t basket_limit,
				  int64_t now, double half_life_days, size_t per_segment,
				  struct segment_best_sellers *out)
{
	assert(per_segment > 0 && basket_limit <= h->basket_count);
	size_t segments = h->segment_count;
	out->segment_count = segments;
	out->per_segment = per_segment;
	out->count = xcalloc(segments + 1, sizeof *out->count);
	out->customers = xcalloc(segments + 1, sizeof *out->customers);
	out->product = xmalloc((segments ? segments : 1) * per_segment * sizeof *out->product);
	/* baskets bucketed by segment (a counting sort), then one segment at a time */
	uint32_t *first = xcalloc(segments + 2, sizeof *first);
	for (size_t b = 0; b < basket_limit; b++) {
		int32_t c = h->baskets[b].customer;
		if (c >= 0 && h->customer_segment[c] >= 0)
			first[h->customer_segment[c] + 2]++;
	}
	for (size_t s = 0; s < segments; s++)
		first[s + 2] += first[s + 1];
	uint32_t *baskets = xmalloc(((size_t)first[segments + 1] + 1) * sizeof *baskets);
	for (size_t b = 0; b < basket_limit; b++) {
		int32_t c = h->baskets[b].customer;
		if (c >= 0 && h->customer_segment[c] >= 0)
			baskets[first[h->customer_segment[c] + 1]++] = (uint32_t)b;
	}
	double *score = xcalloc(h->product_count + 1, sizeof *score);
	int32_t *touched = xmalloc((h->product_count + 1) * sizeof *touched);
	unsigned char *seen_customer = xcalloc(h->customer_count + 1, 1);
	struct top_k best;
	top_k_init(&best, per_segment);
	struct scored_item *taken = xmalloc(per_segment * sizeof *taken);
	for (size_t s = 0; s < segments; s++) {
		size_t touched_count = 0;
		for (uint32_t x = first[s]; x < first[s + 1]; x++) {
			const struct basket *k = &h->baskets[baskets[x]];
			double w = basket_weight(now, k->time, half_life_days);
			if (w <= 0) /* so old that it weighs nothing */
				continue;
			if (!seen_customer[k->customer]) {
				seen_customer[k->customer] = 1;
				out->customers[s]++;
			}
			for (uint32_t i = 0; i < k->line_count; i++) {
				int32_t p = h->lines[k->first_line + i].product;
				if (score[p] == 0)
					touched[touched_count++] = p;
				score[p] += w;
			}
		}
		for (size_t x = 0; x < touched_count; x++) {
			top_k_offer(&best, score[touched[x]], touched[x], 0);
			score[touched[x]] = 0;
		}
		size_t n = top_k_take(&best, taken);
		out->count[s] = (uint32_t)n;
		for (size_t r = 0; r < n; r++)
			out->product[s * per_segment + r] = taken[r].item;
	}
	top_k_free(&best);
	free(taken);
	free(seen_customer);
	free(touched);
	free(score);
	free(baskets);
	free(first);
}

void segment_best_sellers_free(struct segment_best_sellers *s)
{
	free(s->count);
	free(s->product);
	free(s->customers);
	memset(s, 0, sizeof *s);
}
