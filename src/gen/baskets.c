/* baskets: basket composition, quantities, discounts, totals and profit. */
#include "gen/baskets.h"

#include <assert.h>

/* Failures before the first success, each try succeeding with probability p. */
static size_t draw_geometric(struct rng *r, double p, size_t cap)
{
	size_t n = 0;
	while (n < cap && rng_uniform(r) >= p)
		n++;
	return n;
}

static size_t basket_target_size(const struct customer *c, struct rng *r)
{
	if (c && c->archetype == ARCHETYPE_CHAMPION)
		return 2 + draw_geometric(r, 0.5, BASKET_MAX - 2);
	return 1 + draw_geometric(r, 0.55, BASKET_MAX - 1);
}

static size_t draw_first_product(const struct catalog *cat, const struct customer *c,
				 struct rng *r)
{
	int favourite = c ? c->favourite_category : -1;
	size_t p = favourite >= 0 && rng_uniform(r) < 0.5
			   ? catalog_draw_in_category(cat, r, favourite)
			   : catalog_draw(cat, r);
	if (c && c->archetype == ARCHETYPE_CHAMPION) { /* big spenders lean to dearer things */
		size_t q = catalog_draw(cat, r);
		if (cat->products[q].price_cents > cat->products[p].price_cents)
			p = q;
	}
	return p;
}

static int in_basket(const struct basket_line *lines, size_t n, size_t product)
{
	for (size_t i = 0; i < n; i++)
		if (lines[i].product == product)
			return 1;
	return 0;
}

static size_t add_product(struct basket_line *lines, size_t n, size_t product)
{
	lines[n].product = (uint32_t)product;
	return n + 1;
}

static int32_t draw_quantity(int64_t price_cents, struct rng *r)
{
	if (price_cents < 1500)
		return 1 + (int32_t)draw_geometric(r, 0.55, 5);
	if (price_cents < 6000)
		return rng_uniform(r) < 0.85 ? 1 : 2 + (int32_t)rng_below(r, 2);
	return rng_uniform(r) < 0.97 ? 1 : 2;
}

static int32_t draw_discount(const struct customer *c, int promo_discount, struct rng *r)
{
	double u = rng_uniform(r);
	if (promo_discount && u < 0.75)
		return promo_discount - 5 + 5 * (int32_t)rng_below(r, 4);
	u = rng_uniform(r);
	if (u < 0.76) {
		if (c && c->archetype == ARCHETYPE_CHAMPION && rng_uniform(r) < 0.2)
			return 10; /* a thank-you to the best customers */
		return 0;
	}
	if (u < 0.91)
		return 5 + 5 * (int32_t)rng_below(r, 3);
	if (u < 0.98)
		return 20 + 5 * (int32_t)rng_below(r, 3);
	return 50 + 5 * (int32_t)rng_below(r, 5); /* clearance: sold at a loss */
}

void basket_price_line(const struct catalog *cat, struct basket_line *line)
{
	const struct product *p = &cat->products[line->product];
	assert(line->discount_pct >= 0 && line->discount_pct < 100);
	int64_t gross = line->quantity * p->price_cents;
	int64_t net = gross * (100 - line->discount_pct);
	line->unit_cents = p->price_cents;
	/* Round half away from zero, so a reversed line mirrors the original exactly. */
	line->total_cents = net >= 0 ? (net + 50) / 100 : -((-net + 50) / 100);
	line->profit_cents = line->total_cents - line->quantity * p->cost_cents;
}

size_t basket_fill(const struct catalog *cat, const struct customer *c, int promo_discount,
		   struct rng *r, struct basket_line *lines, size_t max_lines)
{
	assert(max_lines >= 1 && max_lines <= BASKET_MAX);
	size_t target = basket_target_size(c, r), n = 0;
	size_t first = draw_first_product(cat, c, r);
	n = add_product(lines, n, first);
	int32_t bundle = cat->products[first].bundle;
	if (bundle >= 0 && rng_uniform(r) < 0.6) {
		const struct bundle *b = &cat->bundles[bundle];
		for (int j = 1; j < b->size && n < max_lines; j++)
			if (rng_uniform(r) < 0.75 && !in_basket(lines, n, b->product[j]))
				n = add_product(lines, n, b->product[j]);
	}
	int category = cat->products[first].category;
	for (int tries = 0; n < target && n < max_lines && tries < 3 * BASKET_MAX; tries++) {
		size_t p = rng_uniform(r) < 0.35 ? catalog_draw_in_category(cat, r, category)
						 : catalog_draw(cat, r);
		if (!in_basket(lines, n, p))
			n = add_product(lines, n, p);
	}
	for (size_t i = 0; i < n; i++) {
		lines[i].quantity = draw_quantity(cat->products[lines[i].product].price_cents, r);
		lines[i].discount_pct = draw_discount(c, promo_discount, r);
		basket_price_line(cat, &lines[i]);
	}
	return n;
}
