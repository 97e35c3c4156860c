/* buy_again: ranks a customer's own products by recency-weighted order count (see
 * buy_again.h). */
#include "model/buy_again.h"

#include <assert.h>
#include <math.h>

size_t buy_again_for(const struct customer_histories *owned, int32_t c, int64_t now,
		     double half_life_days, size_t count, struct top_k *best,
		     struct scored_item *out)
{
	assert(c >= 0 && (size_t)c < owned->customer_count && count == best->k);
	top_k_clear(best);
	for (uint32_t i = owned->start[c]; i < owned->start[c + 1]; i++) {
		const struct owned_product *o = &owned->items[i];
		double weight = 1.0;
		if (half_life_days > 0) {
			double age_days = (double)(now - o->last_time) / SECONDS_PER_DAY;
			weight = exp2(-(age_days > 0 ? age_days : 0) / half_life_days);
		}
		top_k_offer(best, o->orders * weight, o->product, o->orders);
	}
	return top_k_take(best, out);
}
