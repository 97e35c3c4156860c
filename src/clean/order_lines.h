/* order_lines: the raw order lines read back into memory, parsed and normalised, one
 * compact struct per line, in file order. Every later step (duplicates, cancellations,
 * flags, orders, products, customers) works on this set; texts are string_pool handles.
 *
 * Lines are counted against the data-quality rules as they are read, duplicates
 * included, so those counts agree with a count of the raw files. */
#ifndef CARTOGRAPH_ORDER_LINES_H
#define CARTOGRAPH_ORDER_LINES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "clean/dq_log.h"
#include "clean/rules.h"
#include "clean/source_runs.h"
#include "clean/string_pool.h"

enum line_kind {
	LINE_ITEM = 0,       /* a product line: becomes an order item */
	LINE_ADJUSTMENT = 1, /* postage, fees, manual lines: becomes an adjustment */
	LINE_DUPLICATE = 2,  /* an exact copy of an earlier line: removed */
	LINE_UNREADABLE = 3, /* a value cannot be read: left out */
};

struct order_line {
	int64_t time;              /* seconds since 1970 UTC */
	int64_t quantity;
	int64_t unit_price_cents;  /* as given, or derived from the line total */
	int64_t line_total_cents;  /* as given, or quantity x unit price x (1 - discount) */
	int64_t profit_cents;      /* when has_profit */
	int64_t source_line;       /* line in its file */
	uint64_t raw_hash;         /* hash of every raw field, to find exact duplicates */
	int32_t discount_micros;   /* fraction 0..1 in millionths, when has_discount */
	uint32_t run;              /* index into source_runs */
	uint32_t order_id, time_text, customer_id, product_id, product_name; /* handles */
	uint32_t country, region, city, category, subcategory, channel, payment_method;
	uint32_t order;            /* index of its order in the order set */
	uint32_t line_no;          /* an item's place in its order (order_items.line_no) */
	uint16_t flags;            /* order_items.flags (enum order_item_flag) */
	uint16_t written_flags;    /* the flags the item was first written with */
	uint8_t kind;              /* enum line_kind */
	uint8_t status;            /* enum order_status read from a status column */
	uint8_t has_status, has_discount, has_profit;
	uint8_t on_cancellation;   /* the order id is a cancellation invoice (C581484) */
};

struct line_set {
	struct order_line *line;   /* in file order */
	size_t count, cap;
	struct string_pool pool;   /* every text of the lines */
	int64_t raw_lines;         /* rows read from raw_order_lines */
};

void line_set_init(struct line_set *set);
void line_set_free(struct line_set *set);

/* Reads every raw order line. Lines that cannot be read become LINE_UNREADABLE (and
 * are logged); non-product lines LINE_ADJUSTMENT. Returns 0 or a negative code. */
int order_lines_load(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		     struct line_set *set, struct dq_log *log, struct error *err);

/* Marks every exact duplicate of an earlier line LINE_DUPLICATE and logs it. */
void order_lines_remove_duplicates(struct line_set *set, struct dq_log *log);

/* True for a line that goes into the typed tables (not a duplicate, readable). */
static inline int line_is_kept(const struct order_line *l)
{
	return l->kind == LINE_ITEM || l->kind == LINE_ADJUSTMENT;
}

/* Kept lines grouped by the handle in one of their fields (customer, product...):
 * the lines of handle h are lines[start[h] .. start[h + 1]), in file order. */
struct line_groups {
	uint32_t *start;           /* string_pool count + 1 offsets */
	uint32_t *lines;           /* line indices */
	uint32_t handles;          /* string_pool count when built */
};

/* Groups the kept lines (items only when items_only) by the uint32_t handle at
 * field_offset (offsetof(struct order_line, product_id)). Lines whose handle is 0
 * are left out. */
void line_groups_build(struct line_groups *groups, const struct line_set *set,
		       size_t field_offset, int items_only);
void line_groups_free(struct line_groups *groups);

#endif
