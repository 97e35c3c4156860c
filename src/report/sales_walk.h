/* sales_walk: the sales, the lines of the sales_lines view (flags 0, order completed),
 * read as two walks in order_id order and merged: the completed orders through their
 * key's index, the lines with flags 0 as they sit under their order's key. Each order's
 * columns are read once, not once for each of its lines as the view's join reads them.
 * Clean writes the orders in key order, so the lines come as the view gives them. */
#ifndef CARTOGRAPH_SALES_WALK_H
#define CARTOGRAPH_SALES_WALK_H

#include <sqlite3.h>

#include "report/query.h"
#include "util/error.h"

struct sales_walk {
	sqlite3 *db;
	sqlite3_stmt *orders; /* on the current line's order */
	sqlite3_stmt *items;  /* on the current line */
	int order_step;       /* the orders' last step: SQLITE_ROW while on an order */
	int order_moved;      /* the orders walk moved since the last line */
	int new_order;        /* the current line is its order's first */
};

/* Prepares the walks. orders_sql selects from the completed orders, order_id first,
 * ORDER BY order_id (args bound to its ?1..?nargs); items_sql selects from the lines
 * with flags 0, order_id first, ORDER BY order_id, line_no. Returns 0 or ERR_SYSTEM. */
int sales_walk_open(struct sales_walk *w, sqlite3 *db, const char *orders_sql,
		    const struct query_arg *args, int nargs, const char *items_sql,
		    struct error *err);
/* Moves to the next sales line: 1 with w->orders on its order and w->items on it, 0
 * when none is left, or ERR_SYSTEM. */
int sales_walk_next(struct sales_walk *w, struct error *err);
void sales_walk_close(struct sales_walk *w);

#endif
