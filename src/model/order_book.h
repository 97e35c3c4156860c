/* order_book: the warehouse's orders and their counted lines in memory, read once and
 * shared by every model step that reads sales (segments, churn, customers, anomalies,
 * prices, recs), so `model all` walks order_items once instead of once per step.
 *
 * The one idea: orders and their lines are read as a merge of two scans in order id
 * order (each table in the order it is stored: no line seeks its order), and products
 * and customers are numbered in the byte order of their ids, so whatever a step derives
 * comes out in the order its own query used to give. What is kept: every order (time,
 * customer, status, country) and its lines without data-quality flags (flagged lines
 * never count in any model). Memory is about 24 bytes per counted line and 40 per
 * order; a model step that ran alone reads its own book and frees it after. */
#ifndef CARTOGRAPH_ORDER_BOOK_H
#define CARTOGRAPH_ORDER_BOOK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model_stage.h"
#include "util/error.h"

/* One order line without data-quality flags. */
struct book_line {
	int64_t quantity;         /* units as stored (a line of any quantity is kept) */
	int64_t line_total_cents; /* the line's value */
	int32_t product;          /* index into order_book.product_ids */
};

/* One order of any status. */
struct book_order {
	int64_t time;            /* seconds since 1970-01-01 (model_days.h) */
	int64_t rowid;           /* its orders row: orders at equal times keep table order */
	int32_t customer;        /* index into customer_ids, or -1 for a guest order */
	int32_t country;         /* index into countries, or -1 when the order has none */
	uint32_t first_line;     /* its lines are lines[first_line .. + line_count) */
	uint32_t line_count;     /* unflagged lines, in line number order */
	unsigned char completed; /* status 'completed' (else cancelled or returned) */
};

struct order_book {
	size_t order_count;
	struct book_order *orders;   /* in order id order */
	size_t line_count;
	struct book_line *lines;     /* order after order */
	size_t product_count;        /* the products table and every product of a kept line */
	char **product_ids;          /* in byte order */
	char **product_names;        /* NULL when not in the products table */
	char **product_categories;   /* NULL when unknown */
	char **product_subcategories; /* NULL when unknown */
	size_t customer_count;       /* every customer_id of an order */
	char **customer_ids;         /* in byte order */
	size_t country_count;
	char **countries;            /* distinct order countries, as first met */
	uint32_t *by_customer;       /* orders of customers (not guests): by customer, then
				      * time, then rowid */
	size_t by_customer_count;
	uint32_t *customer_first;    /* customer c's orders are by_customer[customer_first[c]
				      * .. customer_first[c + 1]) */
};

/* Reads the typed tables into book. Returns 0, or ERR_SYSTEM (database) or ERR_INPUT (an
 * order time that does not read as 'YYYY-MM-DD HH:MM:SS'). On failure book is empty. */
int order_book_load(sqlite3 *db, struct order_book *book, struct error *err);
void order_book_free(struct order_book *book);

/* The group a product is analysed in: its category, else its name, else its id (the
 * first that is not empty). */
const char *order_book_product_group(const struct order_book *book, size_t product);

/* What the steps of one `model` run share: the book, read on first use. The data the
 * steps read (orders, order_items, products) is never written by a model step. */
struct model_shared {
	struct order_book book;
	int book_loaded; /* 1 once book holds the warehouse */
};

/* Lends the run's order book: opt->shared's, read on first use, or without sharing
 * (opt->shared NULL) one read for the caller alone. Returns 0 or the loader's code.
 * Hand it back with model_book_return. */
int model_book_borrow(sqlite3 *db, const struct model_options *opt,
		      const struct order_book **book, struct error *err);
void model_book_return(const struct model_options *opt, const struct order_book *book);
/* Frees the shared book before the run ends: the last step to read it (recs) calls this
 * so the book does not add to its own peak memory; a later borrower reads it again. */
void model_book_drop(const struct model_options *opt);
/* Frees what the run shared. */
void model_shared_free(struct model_shared *shared);

#endif
