/* active_set: the customers who may place an order today, each with a weight (how often
 * they buy), drawn in proportion to those weights.
 *
 * A Fenwick tree of integer weights: changing one customer's weight and drawing one
 * customer both take O(log n), so the day loop can switch customers on when they sign up
 * and off when they churn without rebuilding anything. Integer weights keep the sums
 * exact: a customer switched off can never be drawn. */
#ifndef CARTOGRAPH_GEN_ACTIVE_SET_H
#define CARTOGRAPH_GEN_ACTIVE_SET_H

#include <stddef.h>
#include <stdint.h>

#include "util/rng.h"

struct active_set {
	uint64_t *tree;   /* Fenwick partial sums, 1-based, n + 1 entries */
	uint64_t *weight; /* each member's current weight, 0-based */
	size_t n;         /* members (customers), active or not */
	uint64_t total;   /* sum of all weights */
};

void active_set_init(struct active_set *s, size_t n);
void active_set_free(struct active_set *s);
/* Gives member i the weight w (0 switches it off). */
void active_set_put(struct active_set *s, size_t i, uint64_t w);
/* A member drawn in proportion to weight; total must be positive. */
size_t active_set_draw(const struct active_set *s, struct rng *r);

#endif
