/* prices: the `prices` model step: how strongly quantity sold answers to price, per
 * category (or, when products have no category, per product group: the product's name).
 *
 * For each product and week (Monday to Sunday) with sales: the quantity sold and the
 * average unit price actually paid (revenue / quantity), from unflagged lines of
 * completed orders with a positive quantity. Within each product, log quantity and log
 * price are taken as differences from the product's own means (so products that are
 * simply dearer or more popular do not count as price effects); the group's elasticity
 * is the least-squares slope of the one on the other over all its products' weeks, with
 * its standard error corrected for the product means estimated (n − products − 1 degrees
 * of freedom). A product contributes only when its weekly price moved by at least
 * PRICE_MIN_CHANGE (relative) and it sold in PRICE_MIN_WEEKS weeks; a group needs
 * PRICE_MIN_POINTS such weeks and a spread of log price (standard deviation) of at least
 * PRICE_MIN_VARIATION, else its note says "not enough price variation".
 *
 * This describes the data; it is not an experiment: price cuts that came with a
 * promotion, or lower unit prices for bulk orders, show up as elasticity too. */
#ifndef CARTOGRAPH_PRICES_H
#define CARTOGRAPH_PRICES_H

#include <stddef.h>
#include <stdint.h>

#include "model/model_stage.h"
#include "model/robust.h"

#define PRICE_MIN_CHANGE 0.01
#define PRICE_MIN_WEEKS 3
#define PRICE_MIN_POINTS 8
#define PRICE_MIN_VARIATION 0.02

/* One product's sales in one week. */
struct product_week {
	int64_t week;          /* week number: (day number + 3) / 7, weeks from a Monday */
	int64_t quantity;      /* units sold (> 0) */
	int64_t revenue_cents; /* their value */
};

/* What the fit of one group found. */
struct group_elasticity {
	size_t products;        /* products whose prices varied */
	size_t points;          /* their product-weeks */
	double price_variation; /* standard deviation of log price about product means */
	int estimated;          /* 1 when the slope was fitted */
	struct ols_line line;   /* slope = elasticity; slope_se corrected as above */
};

/* The accumulating points of one group: products are added one at a time. */
struct group_points {
	double *log_price;    /* demeaned within product */
	double *log_quantity; /* demeaned within product */
	size_t n, cap;
	size_t products;
};

/* Adds one product's weeks (n of them, any order, weeks distinct) to the group when its
 * price varied enough; returns 1 when it was added. */
int group_add_product(struct group_points *g, const struct product_week *weeks, size_t n);
/* Fits the group's slope into out. */
void group_fit(const struct group_points *g, struct group_elasticity *out);
void group_points_reset(struct group_points *g);
void group_points_free(struct group_points *g);

int model_prices(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		 struct error *err);

#endif
