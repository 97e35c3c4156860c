/* buy_again: a customer's own products to buy again: those they order most often,
 * recent orders counting more. Kept apart from customer_recs, which never lists what a
 * customer owns. No database here. */
#ifndef CARTOGRAPH_BUY_AGAIN_H
#define CARTOGRAPH_BUY_AGAIN_H

#include <stddef.h>
#include <stdint.h>

#include "model/purchase_history.h"
#include "model/top_k.h"

/* Writes customer c's list to out (room for count; best is a heap of capacity count): the
 * products they bought, ranked by orders · 2^(-days since last bought / half_life_days)
 * (half_life_days 0: by orders alone), ties by product number. Returns how many. */
size_t buy_again_for(const struct customer_histories *owned, int32_t c, int64_t now,
		     double half_life_days, size_t count, struct top_k *best,
		     struct scored_item *out);

#endif
