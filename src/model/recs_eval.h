/* recs_eval: measures recommendations the way a shop lives them: lists are made from
 * what was known before a cutoff and checked against what customers bought after it.
 * No database here.
 *
 * The one idea: the cutoff is the start of the day `test_days` before the latest order;
 * training uses only the baskets before it (a prefix of the history, so nothing later
 * can leak in), and the customers measured are those who bought both before and after.
 * A hit is a recommended product bought after the cutoff that the customer had not
 * bought before (for hit_rate and recall); the "any" figures also count products
 * bought again, which is what a buy-again list is for. */
#ifndef CARTOGRAPH_RECS_EVAL_H
#define CARTOGRAPH_RECS_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "model/purchase_history.h"

struct recs_split {
	int64_t cutoff;          /* the test period starts here (seconds since 1970) */
	size_t train_baskets;    /* baskets before the cutoff */
	size_t customer_count;   /* customers who bought before and after the cutoff */
	int32_t *customers;      /* their numbers, ascending */
	uint32_t *start;         /* customer i's later products: start[i] .. start[i + 1] */
	int32_t *later;          /* distinct products bought from the cutoff on */
	unsigned char *repeat;   /* per entry of later: 1 when bought before the cutoff too */
	struct customer_histories owned; /* what each customer bought before the cutoff */
	int owned_built;         /* 1 once owned is built (it is, when the split is made) */
};

/* Splits the history test_days (≥ 1) before its latest basket. Returns 0, or ERR_INPUT
 * when no customer bought on both sides (the message says why). */
int recs_split_make(const struct purchase_history *h, int test_days, struct recs_split *out,
		    struct error *err);
void recs_split_free(struct recs_split *s);

/* Makes one test customer's list: writes up to k product numbers to out, best first,
 * and returns how many. */
typedef size_t (*recs_list_fn)(void *context, int32_t customer, int32_t *out, size_t k);

struct recs_scores {
	size_t customers;     /* test customers who bought something new after the cutoff */
	size_t customers_any; /* test customers (all bought something after it) */
	double hit_rate;      /* share of `customers` with a new product in their list */
	double recall;        /* mean share of their new products found in their list */
	double hit_rate_any;  /* share of `customers_any` with any later product listed */
	double recall_any;    /* mean share of their later products found in their list */
};

/* Scores the lists at k (≥ 1) over the split's customers. */
void recs_split_evaluate(const struct recs_split *s, size_t k, recs_list_fn make_list,
			 void *context, struct recs_scores *out);

#endif
