/* clean: the second stage. Turns the raw tables ingest filled into the typed tables
 * (customers, products, orders, order_items, adjustments, reviews, events) and logs
 * every data-quality rule it applied in dq_issues.
 *
 * The one idea: clean is a full, deterministic rebuild. Each run reads all raw rows,
 * applies the rules, and replaces every typed table inside one transaction, so two
 * runs give identical tables and a failure leaves the previous ones. Nothing is
 * dropped silently: what a rule removes, moves or flags is counted in dq_issues with
 * example source lines. */
#ifndef CARTOGRAPH_CLEAN_H
#define CARTOGRAPH_CLEAN_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/error.h"

struct line_feed;

/* The rules a shop may want to set differently. */
struct clean_options {
	const char *cancel_prefixes;  /* order-id prefixes of cancellation invoices, comma-
				       * separated ("C": C581484); "" for none */
	const char *adjustment_codes; /* product codes of non-product lines (POST, M...) */
	const char *adjustment_names; /* descriptions of non-product lines (POSTAGE...) */
	double outlier_k;             /* a sale quantity above median + k x MAD is an outlier */
	int outlier_min_lines;        /* products with fewer sale lines are not judged */
	const char *today;            /* YYYY-MM-DD; later dates are in the future; NULL: now */
	const char *date_from;        /* YYYY-MM-DD; the data's first day; NULL: worked out */
	const char *date_to;          /* YYYY-MM-DD; the data's last day; NULL: worked out */
	int keep_id_case;             /* do not read product codes in upper case */
	struct line_feed *feed;       /* the order lines ingest read in this process
				       * (line_feed.h), or NULL */
};

#define CLEAN_CANCEL_PREFIXES "C"
#define CLEAN_ADJUSTMENT_CODES "POST,DOT,M,D,C2,C3,S,B,BANK CHARGES,AMAZONFEE,CRUK,PADS,ADJUST"
#define CLEAN_ADJUSTMENT_NAMES                                                            \
	"POSTAGE,DOTCOM POSTAGE,CARRIAGE,NEXT DAY CARRIAGE,PACKING CHARGE,MANUAL,"         \
	"DISCOUNT,SAMPLES,BANK CHARGES,AMAZON FEE,CRUK COMMISSION,ADJUST BAD DEBT,"        \
	"SHIPPING,SHIPPING FEE,DELIVERY,DELIVERY CHARGE"
#define CLEAN_OUTLIER_K 50.0
#define CLEAN_OUTLIER_MIN_LINES 5

/* Fills opt with the defaults above. */
void clean_options_init(struct clean_options *opt);

/* order_items.flags: why a line is kept out of sales and models. A line counts as a
 * sale when its flags are 0 and its order is completed (the sales_lines view). */
enum order_item_flag {
	ITEM_PRICE_NOT_POSITIVE = 1,  /* unit price zero or less */
	ITEM_QUANTITY_ZERO = 2,       /* quantity zero */
	ITEM_DATE_OUT_OF_RANGE = 4,   /* in the future, or far outside the data's dates */
	ITEM_QUANTITY_OUTLIER = 8,    /* quantity above the product's median + k x MAD */
	ITEM_RETURN = 16,             /* undoes a sale: a cancellation or return line */
	ITEM_CANCELLED = 32,          /* a sale undone later (matched, or order says so) */
};

/* reviews.flags */
enum review_flag {
	REVIEW_RATING_INVALID = 1,    /* the rating was not 1..5; rating is NULL */
	REVIEW_EMPTY_BODY = 2,        /* no text */
};

/* events.flags */
enum event_flag {
	EVENT_TYPE_UNKNOWN = 1,       /* none of view, cart, checkout, purchase */
	EVENT_TIME_IN_FUTURE = 2,
	EVENT_PRICE_NOT_POSITIVE = 4,
};

/* What a clean run produced. */
struct clean_summary {
	int64_t order_lines;          /* raw order lines read */
	int64_t orders, cancelled_orders, order_items, sale_items, adjustments;
	int64_t customers, products, reviews, events;
	int rules_fired;              /* dq rules that found something */
	int rules_warning;            /* of those, warnings and errors */
	int lines_fed;                /* the order lines were ingest's feed, not read back */
	double seconds;               /* wall time */
};

/* Rebuilds every typed table and dq_issues from the raw tables in one transaction.
 * Returns 0, ERR_INPUT for bad options, or ERR_SYSTEM (the tables are unchanged). */
int clean_warehouse(sqlite3 *db, const struct clean_options *opt, struct clean_summary *sum,
		    struct error *err);

#endif
