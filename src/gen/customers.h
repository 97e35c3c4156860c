/* customers: the people who shop, where they live and how they behave over time.
 *
 * Every customer has an archetype that sets their life cycle: champions buy often and
 * big, loyal regulars buy steadily, occasional buyers now and then, one-time buyers once,
 * and churners buy steadily until their churn day and then never again. About a third
 * signed up before the data starts; the rest arrive over the two years, more in busy
 * months, and the mix of archetypes differs from one monthly cohort to the next (holiday
 * shoppers rarely come back). Customers are numbered in order of signing up. */
#ifndef CARTOGRAPH_GEN_CUSTOMERS_H
#define CARTOGRAPH_GEN_CUSTOMERS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/rng.h"

enum archetype {
	ARCHETYPE_CHAMPION,
	ARCHETYPE_LOYAL,
	ARCHETYPE_OCCASIONAL,
	ARCHETYPE_ONE_TIME,
	ARCHETYPE_CHURNER,
	ARCHETYPES
};

enum channel { CHANNEL_WEB, CHANNEL_MOBILE, CHANNEL_MARKETPLACE, CHANNEL_STORE, CHANNELS };

enum payment {
	PAYMENT_CARD,
	PAYMENT_PAYPAL,
	PAYMENT_APPLE_PAY,
	PAYMENT_GOOGLE_PAY,
	PAYMENT_GIFT_CARD,
	PAYMENT_BANK_TRANSFER,
	PAYMENT_CASH,
	PAYMENTS
};

enum { NO_CHURN = INT32_MAX }; /* churn_day of a customer who never stops */

struct customer {
	uint32_t id;                /* customer number as written in the files */
	int32_t signup_day;         /* day of signing up; negative before the data starts */
	int32_t signup_second;      /* second of that day */
	int32_t churn_day;          /* first day they no longer buy, or NO_CHURN */
	uint32_t weight;            /* how often they buy relative to others (0: only once) */
	uint16_t place;             /* index into the place table */
	uint16_t first_name;        /* index into the first-name table */
	uint16_t last_name;         /* index into the last-name table */
	uint8_t archetype;          /* enum archetype */
	int8_t favourite_category;  /* the category they mostly buy from, or -1 */
	uint8_t channel;            /* enum channel they prefer */
	uint8_t payment;            /* enum payment they prefer */
	uint8_t email_style;        /* which of the address shapes they use */
	uint8_t has_ordered;        /* 1 once their first order is placed */
};

struct customer_base {
	struct customer *customers; /* count customers, in order of signing up */
	size_t count;
	size_t first_new;           /* customers before this one signed up before day 0 */
	uint32_t *churn_order;      /* churners who stop within the data, by churn day */
	size_t churn_count;
};

/* The number of customers a data set of order_lines lines carries. */
size_t customers_count_for(uint64_t order_lines);
void customers_build(struct customer_base *b, size_t count, uint64_t seed);
void customers_free(struct customer_base *b);

/* Writes customers.csv (and, when with_truth, truth.csv) into dir. */
int customers_write_csv(const struct customer_base *b, const char *dir, int with_truth,
		    struct error *err);

/* The channel and payment method of one order; c is NULL for a guest. */
enum channel customers_draw_channel(const struct customer *c, struct rng *r);
enum payment customers_draw_payment(const struct customer *c, enum channel ch,
				    struct rng *r);
/* Where a guest lives (an index into the place table). */
uint16_t customers_draw_place(struct rng *r);

const char *place_country(uint16_t place);
const char *place_region(uint16_t place);
const char *place_city(uint16_t place);
const char *channel_name(enum channel ch);
const char *payment_name(enum payment p);
const char *archetype_name(enum archetype a);

/* Appends "First Last" / the e-mail address of a customer. */
void customer_name(struct buf *out, const struct customer *c);
void customer_email(struct buf *out, const struct customer *c);

#endif
