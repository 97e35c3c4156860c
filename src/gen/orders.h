/* orders: one day of the shop's order book, written as rows of orders.csv.
 *
 * The day loop adds the day's orders (who, when, how, which lines) in any order; at the
 * end of the day the book sorts them by time, numbers them, plants the flaws real exports
 * have and writes the rows in time order:
 *   - exact duplicate rows (about 0.3% of lines),
 *   - cancellations: a line repeated a day or more later with order id "C<id>", negative
 *     quantity and money, and status "cancelled" (about 2% of lines),
 *   - a handful of unreadable dates ("2024-13-45", "not a date").
 * Every row counts against the day's quota, so orders.csv ends up with exactly the
 * number of rows asked for. Only the current day and the cancellations still to come are
 * held in memory. */
#ifndef CARTOGRAPH_GEN_ORDERS_H
#define CARTOGRAPH_GEN_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "gen/baskets.h"
#include "gen/catalog.h"
#include "gen/csv_writer.h"
#include "gen/customers.h"
#include "gen/pending.h"
#include "util/error.h"
#include "util/rng.h"

struct order_row {
	int64_t moment;          /* order time (for a cancellation: when it was cancelled) */
	uint64_t order_id;       /* the order's number */
	int32_t customer;        /* index into the customer base, -1 for a guest */
	uint16_t place;          /* where it ships to: index into the place table */
	uint8_t channel;         /* enum channel */
	uint8_t payment;         /* enum payment */
	uint8_t cancelled;       /* 1: this row reverses an earlier line */
	uint8_t duplicated;      /* 1: the row is written twice */
	uint8_t bad_date;        /* 0, or 1 + which unreadable date replaces order_date */
	uint8_t will_cancel;     /* 1: a cancellation of this line is on its way */
	struct basket_line line; /* the product, quantity and money */
};

struct day_order {
	int32_t second;          /* time of day it was placed */
	int32_t customer;        /* index into the customer base, -1 for a guest */
	uint16_t place;          /* index into the place table */
	uint8_t channel;         /* enum channel */
	uint8_t payment;         /* enum payment */
	uint32_t first_line;     /* its lines in the day's line list */
	uint32_t line_count;
	uint32_t first_row;      /* its rows in the day's row list, once the day is closed */
	uint64_t order_id;       /* set once the day is closed */
};

struct order_book {
	struct csv_writer out;          /* orders.csv */
	const struct catalog *catalog;
	const struct customer_base *people;
	struct rng rng;                 /* flaws: duplicates, cancellations, bad dates */
	long day;                       /* the day being filled */
	struct day_order *orders;       /* the day's orders; sorted by time once closed */
	size_t order_count, order_cap;
	struct basket_line *lines;      /* their lines, as added */
	uint8_t *line_duplicated;       /* per line: written twice */
	size_t line_count, line_cap;
	struct order_row *rows;         /* the day's order lines, in time order once closed */
	size_t row_count, row_cap;
	struct order_row *due;          /* the cancellations written today, in time order */
	size_t due_count, due_cap;
	struct pending cancellations;   /* struct cancellation, due on later days */
	uint64_t next_order_id;         /* number of the next order */
	uint64_t duplicates;            /* rows written twice so far */
	uint64_t cancelled_lines;       /* cancellation rows written so far */
	uint64_t bad_dates;             /* rows with an unreadable date so far */
};

int orders_open(struct order_book *b, const char *dir, const struct catalog *cat,
		const struct customer_base *people, uint64_t seed, struct error *err);
/* Starts a day with quota rows; takes the cancellations due today (at most quota) and
 * returns how many rows are left for new order lines. */
uint64_t orders_begin_day(struct order_book *b, long day, uint64_t quota);
/* Adds one order. Each of its lines takes one row of *rows_left and, now and then, one
 * more for an exact duplicate while rows remain; line_count must be <= *rows_left. */
void orders_add(struct order_book *b, const struct day_order *order,
		const struct basket_line *lines, size_t line_count, uint64_t *rows_left);
/* Closes the day: orders sorted by time and numbered, flaws planted, rows written.
 * Afterwards b->orders and b->rows describe the day until the next orders_begin_day. */
void orders_end_day(struct order_book *b);
/* Flushes and publishes orders.csv. */
int orders_close(struct order_book *b, struct error *err);
/* Frees everything; abandons orders.csv when it was not closed. */
void orders_free(struct order_book *b);

#endif
