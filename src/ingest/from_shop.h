/* from_shop: `cartograph ingest --from-shop` brings the shop's web orders and reviews
 * back into the warehouse, so the next clean and build count them.
 *
 * They arrive as raw rows like any export: one ingest run of kind order_lines and one
 * of kind reviews, each with the file name "shop.db", in one warehouse transaction. A
 * raw order line's line number is the shop's order id times 1000 plus its line number
 * in the order (order 12, line 3: 12003), a raw review's is the shop's review id, so
 * every row leads back to its row in shop.db. Only orders and reviews newer than the
 * newest ones copied before are read, so a second call copies nothing.
 *
 * A web order carries no customer id; when its email belongs to exactly one customer of
 * the warehouse, the order is that customer's, else it is a guest order. */
#ifndef CARTOGRAPH_FROM_SHOP_H
#define CARTOGRAPH_FROM_SHOP_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/error.h"

/* The file name the runs are recorded under. */
#define FROM_SHOP_FILE_NAME "shop.db"
/* Raw line number of an order line: order id times this, plus the line. */
#define FROM_SHOP_LINES_PER_ORDER 1000

struct from_shop_summary {
	int64_t orders;          /* new web orders copied */
	int64_t order_lines;     /* their lines */
	int64_t customers_found; /* of the orders, those matched to a customer by email */
	int64_t reviews;         /* new reviews copied */
	int64_t lines_run_id;    /* the ingest run of the order lines; 0 when none was new */
	int64_t reviews_run_id;  /* the ingest run of the reviews; 0 when none was new */
};

/* Copies what is new in shop.db at shop_db_path into the warehouse. Returns 0 or a
 * negative code (then the warehouse is as it was). */
int ingest_from_shop(sqlite3 *warehouse, const char *shop_db_path,
		     struct from_shop_summary *summary, struct error *err);

#endif
