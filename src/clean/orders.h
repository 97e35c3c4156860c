/* orders: order lines grouped into orders (one per order id), each with its customer,
 * time, status and total, and written to orders, order_items and adjustments.
 *
 * The steps run in this order: orders_group (find the orders, number the items, apply
 * a status column), order_items_write (the items with the flags known so far), then
 * cancellations_match and line_flags_mark (which need every line and add flags),
 * orders_settle (statuses), order_items_update_flags (the items whose flags
 * changed) and orders_write. Writing the items early lets SQLite build their index
 * while the rules that need every line run. */
#ifndef CARTOGRAPH_ORDERS_H
#define CARTOGRAPH_ORDERS_H

#include <assert.h>
#include <sqlite3.h>
#include <stdint.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/order_lines.h"

struct order {
	uint32_t order_id;         /* handle */
	uint32_t customer_id;      /* handle; 0 for a guest order */
	uint32_t time;             /* line_set.times handle of the earliest line's time */
	uint32_t place;            /* line_set.places handle: each field the first given */
	uint32_t first, end;       /* its kept lines: order_set.lines[first .. end) */
	uint32_t cancels;          /* index + 1 of the order a cancellation undoes; 0 none */
	uint8_t status;            /* enum order_status */
	uint8_t status_from_file;  /* a status column said cancelled or returned */
	uint8_t on_cancellation;   /* a cancellation invoice (C581484) */
};

struct order_set {
	struct order *order;       /* sorted by order id, bytewise (the key's order) */
	uint32_t count;
	uint32_t *lines;           /* kept line indices grouped by order, file order within */
	uint32_t *index_of;        /* per string_pool handle below handles: the index of
				      the order with that id */
	uint32_t handles;
};

/* The index of a kept line's order. */
static inline uint32_t order_of(const struct order_set *orders, const struct order_line *l)
{
	assert(l->order_id < orders->handles && orders->index_of[l->order_id] < orders->count);
	return orders->index_of[l->order_id];
}

/* Finds the orders of the kept lines, picks each order's customer (the most frequent),
 * time (the earliest) and places, and applies a status column: the items of an order
 * the file says is cancelled or returned are flagged ITEM_CANCELLED. Logs customer
 * conflicts and time spreads. An item's line number (order_items.line_no) is its place
 * among the order's items, in file order. */
void orders_group(struct line_set *set, struct order_set *orders, struct dq_log *log);
void order_set_free(struct order_set *orders);

/* Matches cancellation and return lines to the sales they undo and links their orders
 * (cancellations.c). */
void cancellations_match(struct line_set *set, struct order_set *orders, struct dq_log *log);

/* Settles each order's status: the file's status column if it said cancelled or
 * returned; else cancelled for a cancellation invoice; returned when every item has a
 * negative quantity; cancelled when every item was cancelled later; else completed. */
void orders_settle(struct line_set *set, struct order_set *orders, struct dq_log *log);

/* Notes each line's flags so far as the flags its item is written with. */
void order_items_note_flags(struct line_set *set);
/* Writes every item into order_items (empty) in key order, with the flags noted by
 * order_items_note_flags, and counts them in sum. Reads no line's flags: the lines
 * can be judged on another thread meanwhile. Returns 0 or ERR_SYSTEM. */
int order_items_write(sqlite3 *db, const struct line_set *set,
		      const struct order_set *orders, struct clean_summary *sum,
		      struct error *err);
/* Rewrites the flags of the items whose flags changed since order_items_write.
 * Returns 0 or ERR_SYSTEM. */
int order_items_update_flags(sqlite3 *db, const struct line_set *set,
			     const struct order_set *orders, struct error *err);
/* Writes orders and adjustments (both empty) and adds the counts, sales among them,
 * to sum. An order's total_cents is, for a completed order, the sum of its items that
 * count as sales (flags 0); for a cancelled or returned one, the sum of all its items.
 * Returns 0 or ERR_SYSTEM. */
int orders_write(sqlite3 *db, const struct line_set *set, const struct order_set *orders,
		 struct clean_summary *sum, struct error *err);

#endif
