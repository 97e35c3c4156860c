/* purchase_history: the shop's completed purchases as dense arrays, the input of every
 * recommender (item_neighbors, customer_recs, buy_again, best_sellers, recs_eval).
 *
 * The one idea: products and customers are numbered 0..n-1 in the byte order of their
 * ids, so comparing numbers breaks ties the same way on every run and every machine;
 * baskets (one per completed order) are kept oldest first, so the purchases before any
 * moment are a prefix of the basket array and a time-split evaluation needs no copy.
 *
 * What counts as a purchase: a line of a completed order, without data-quality flags,
 * with a positive quantity. Adjustments (postage, fees) are not order lines, and
 * cancelled or returned orders are left out. A product bought twice in one order is one
 * line of its basket, with the quantities added up. */
#ifndef CARTOGRAPH_PURCHASE_HISTORY_H
#define CARTOGRAPH_PURCHASE_HISTORY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "model/order_book.h"
#include "util/error.h"

#define SECONDS_PER_DAY 86400

/* One distinct product of a basket. */
struct basket_line {
	int32_t product;  /* index into purchase_history.product_ids */
	int32_t quantity; /* units bought in this order, at least 1 */
};

/* One completed order. */
struct basket {
	int32_t customer;    /* index into customer_ids, or -1 for a guest order */
	int64_t time;        /* seconds since 1970-01-01 00:00:00 (the shop's clock) */
	uint32_t first_line; /* index of its first line in purchase_history.lines */
	uint32_t line_count; /* distinct products in the order, at least 1 */
};

struct purchase_history {
	size_t product_count;        /* products in the catalogue or in any order line */
	char **product_ids;          /* product_count ids, in byte order */
	char **product_names;        /* name per product; NULL when not in products */
	char **product_categories;   /* category per product; NULL when unknown */
	char **product_subcategories; /* sub-category per product; NULL when unknown */
	size_t customer_count;       /* customers with at least one order of any status */
	char **customer_ids;         /* customer_count ids, in byte order */
	int32_t *customer_segment;   /* per customer an index into segments, or -1 */
	size_t segment_count;        /* distinct segments (countries) */
	char **segments;             /* segment names, in byte order */
	size_t basket_count;         /* completed orders with at least one line */
	struct basket *baskets;      /* oldest first; equal times in the database's order */
	size_t line_count;           /* lines of all baskets */
	struct basket_line *lines;   /* each basket's lines, basket after basket */
};

/* Takes the purchases of the order book into h, with the customers table (and their RFM
 * segments) read from db. Returns 0 or ERR_SYSTEM; on failure h is left empty. */
int purchase_history_build(sqlite3 *db, const struct order_book *book,
			   struct purchase_history *h, struct error *err);
/* The same from the warehouse, read into an order book of its own: also ERR_INPUT (an
 * order time not written 'YYYY-MM-DD HH:MM:SS'). */
int purchase_history_load(sqlite3 *db, struct purchase_history *h, struct error *err);
void purchase_history_free(struct purchase_history *h);
/* Returns the index of the product whose id is id, or -1. Binary search. */
int32_t purchase_history_find_product(const struct purchase_history *h, const char *id);
/* Returns the index of the customer whose id is id, or -1. */
int32_t purchase_history_find_customer(const struct purchase_history *h, const char *id);
/* The number of baskets older than time (those with basket.time < time). */
size_t purchase_history_baskets_before(const struct purchase_history *h, int64_t time);

/* Parses 'YYYY-MM-DD HH:MM:SS' (or just 'YYYY-MM-DD') into seconds since 1970; returns 0
 * or -1 when the text is not such a time. */
int shop_time_parse(const char *text, int64_t *seconds);
/* Writes seconds since 1970 as 'YYYY-MM-DD HH:MM:SS' into out (20 bytes). */
void shop_time_format(int64_t seconds, char out[20]);

/* What one customer bought in a period: one row per distinct product. */
struct owned_product {
	int32_t product;   /* index into product_ids */
	int32_t orders;    /* baskets of the customer holding it */
	int64_t quantity;  /* units bought in all */
	int64_t last_time; /* time of the latest of those baskets */
};

/* Every customer's purchases in the first basket_limit baskets, grouped by customer. */
struct customer_histories {
	size_t customer_count;       /* as in the purchase history */
	uint32_t *start;             /* customer c owns items[start[c] .. start[c + 1]) */
	struct owned_product *items; /* per customer, by product index */
	uint32_t *basket_count;      /* per customer: their baskets in the period */
	int64_t *last_time;          /* per customer: their latest basket, or INT64_MIN */
};

/* Groups the first basket_limit baskets by customer (guests are left out). */
void customer_histories_build(const struct purchase_history *h, size_t basket_limit,
			      struct customer_histories *out);
void customer_histories_free(struct customer_histories *ch);
/* Returns 1 when customer c bought product p in the period (binary search). */
int customer_owns(const struct customer_histories *ch, int32_t c, int32_t p);

#endif
