/* baskets: what goes into one order and what each line costs.
 *
 * An order starts from one product (often from the customer's favourite category; big
 * spenders lean to dearer things). When that product anchors a bundle, its companions
 * usually follow (camera, memory card, bag), which is the co-purchase structure the
 * recommender should find. The rest of the basket is drawn by popularity, with a pull
 * towards the first product's category. Each line then gets a quantity and a discount
 * (promotion days discount most lines; a few clearance lines sell at a loss). */
#ifndef CARTOGRAPH_GEN_BASKETS_H
#define CARTOGRAPH_GEN_BASKETS_H

#include <stddef.h>
#include <stdint.h>

#include "gen/catalog.h"
#include "gen/customers.h"
#include "util/rng.h"

enum { BASKET_MAX = 10 }; /* most lines one order can have */

struct basket_line {
	uint32_t product;     /* index into the catalog */
	int32_t quantity;     /* units bought, at least 1 */
	int32_t discount_pct; /* 0..70 */
	int64_t unit_cents;   /* list price of one unit */
	int64_t total_cents;  /* quantity x unit price, less the discount, rounded */
	int64_t profit_cents; /* total less what the units cost the shop */
};

/* Fills lines[] with one order of customer c (NULL for a guest) and returns how many
 * lines it has: 1..max_lines (max_lines must be at least 1, at most BASKET_MAX).
 * promo_discount is the day's promotion discount in percent, 0 on ordinary days. */
size_t basket_fill(const struct catalog *cat, const struct customer *c, int promo_discount,
		   struct rng *r, struct basket_line *lines, size_t max_lines);

/* Sets a line's unit price, total and profit from its product, quantity and discount.
 * The quantity may be negative (a cancelled line): the money then mirrors the original. */
void basket_price_line(const struct catalog *cat, struct basket_line *line);

#endif
