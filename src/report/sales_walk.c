/* sales_walk: the completed orders and their sales lines, merged (see sales_walk.h). */
#include "report/sales_walk.h"

#include <string.h>

/* Where column 0 of a statement's row stands in the walks' order: SQLite's, for the
 * TEXT column order_id (NULL first, then text, then blobs, each text or blob by its
 * bytes). */
static int compare_ids(sqlite3_stmt *a, sqlite3_stmt *b)
{
	int type_a = sqlite3_column_type(a, 0), type_b = sqlite3_column_type(b, 0);
	int rank_a = type_a == SQLITE_NULL ? 0 : type_a == SQLITE_BLOB ? 2 : 1;
	int rank_b = type_b == SQLITE_NULL ? 0 : type_b == SQLITE_BLOB ? 2 : 1;
	if (rank_a != rank_b || rank_a == 0)
		return rank_a - rank_b;
	const void *bytes_a = rank_a == 1 ? (const void *)sqlite3_column_text(a, 0)
					  : sqlite3_column_blob(a, 0);
	const void *bytes_b = rank_b == 1 ? (const void *)sqlite3_column_text(b, 0)
					  : sqlite3_column_blob(b, 0);
	int len_a = sqlite3_column_bytes(a, 0), len_b = sqlite3_column_bytes(b, 0);
	int common = len_a < len_b ? len_a : len_b;
	int c = common ? memcmp(bytes_a, bytes_b, (size_t)common) : 0;
	return c ? c : (len_a > len_b) - (len_a < len_b);
}

static void next_order(struct sales_walk *w)
{
	w->order_step = sqlite3_step(w->orders);
	w->order_moved = 1;
}

int sales_walk_open(struct sales_walk *w, sqlite3 *db, const char *orders_sql,
		    const struct query_arg *args, int nargs, const char *items_sql,
		    struct error *err)
{
	memset(w, 0, sizeof *w);
	w->db = db;
	if (query_prepare(db, orders_sql, args, nargs, &w->orders, err) < 0)
		return ERR_SYSTEM;
	if (query_prepare(db, items_sql, NULL, 0, &w->items, err) < 0) {
		sqlite3_finalize(w->orders);
		w->orders = NULL;
		return ERR_SYSTEM;
	}
	next_order(w);
	return 0;
}

int sales_walk_next(struct sales_walk *w, struct error *err)
{
	int step;
	while ((step = sqlite3_step(w->items)) == SQLITE_ROW) {
		int c = -1;
		while (w->order_step == SQLITE_ROW && (c = compare_ids(w->orders, w->items)) < 0)
			next_order(w);
		if (w->order_step != SQLITE_ROW && w->order_step != SQLITE_DONE)
			break;
		if (c == 0 && w->order_step == SQLITE_ROW) {
			w->new_order = w->order_moved;
			w->order_moved = 0;
			return 1;
		}
		/* a line of an order not completed: not a sale */
	}
	if (step == SQLITE_DONE && (w->order_step == SQLITE_ROW || w->order_step == SQLITE_DONE))
		return 0;
	return error_set(err, ERR_SYSTEM, "reading the sales: %s", sqlite3_errmsg(w->db));
}

void sales_walk_close(struct sales_walk *w)
{
	sqlite3_finalize(w->items);
	sqlite3_finalize(w->orders);
	w->items = w->orders = NULL;
}
