/* order_lines: the raw order lines read back into memory, parsed and normalised, one
 * compact struct per line, in file order. Every later step (duplicates, cancellations,
 * flags, orders, products, customers) works on this set.
 *
 * A line is 40 bytes of handles: its texts are string_pool handles, and the values
 * lines repeat (amounts, time, place, the product's description) are tuple_pool
 * handles, so a line's own bytes do not grow with the number of its fields: the
 * 541,909 lines of Online Retail take about 22 MB, plus 8 bytes each for their raw
 * hashes until duplicates are out.
 *
 * Lines are counted against the data-quality rules as they are read, duplicates
 * included, so those counts agree with a count of the raw files. */
#ifndef CARTOGRAPH_ORDER_LINES_H
#define CARTOGRAPH_ORDER_LINES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "clean/dq_log.h"
#include "clean/line_reader.h"
#include "clean/rules.h"
#include "clean/source_runs.h"
#include "util/string_pool.h"
#include "clean/tuple_pool.h"

enum line_kind {
	LINE_ITEM = 0,       /* a product line: becomes an order item */
	LINE_ADJUSTMENT = 1, /* postage, fees, manual lines: becomes an adjustment */
	LINE_DUPLICATE = 2,  /* an exact copy of an earlier line: removed */
	LINE_UNREADABLE = 3, /* a value cannot be read: left out */
};

/* A line's quantity and money: a tuple_pool record (no padding). */
struct line_amounts {
	int64_t quantity;
	int64_t unit_price_cents;  /* as given, or derived from the line total */
	int64_t line_total_cents;  /* as given, or quantity x unit price x (1 - discount) */
	int64_t profit_cents;      /* when has_profit, else 0 */
	int32_t discount_micros;   /* fraction 0..1 in millionths, when has_discount, else 0 */
	uint8_t has_discount, has_profit;
	uint8_t pad[2];            /* zero */
};

/* A line's time: a tuple_pool record (no padding). The date and time are kept as read
 * (in UTC) beside the seconds: a leap second (23:59:60) has the seconds of the next
 * day's 00:00:00, but its own text. */
struct line_time {
	int64_t seconds;           /* since 1970 UTC */
	uint16_t year;             /* 1900..2200 */
	uint8_t month, day, hour, minute, second;
	uint8_t pad;               /* zero */
};

/* Where and how the line's order was placed: string_pool handles, a tuple_pool record. */
struct line_place {
	uint32_t country, region, city, channel, payment_method;
};

/* How the line describes its product: string_pool handles, a tuple_pool record. */
struct line_description {
	uint32_t product_name, category, subcategory;
};

#define LINE_FAR UINT32_MAX  /* source_line of a line whose number is kept in far_lines */

struct order_line {
	uint32_t run;              /* index into source_runs */
	uint32_t source_line;      /* line in its file; LINE_FAR when it does not fit */
	uint32_t order_id, customer_id, product_id; /* string_pool handles */
	uint32_t time;             /* line_set.times handle: struct line_time */
	uint32_t amounts;          /* line_set.amounts handle: struct line_amounts */
	uint32_t place;            /* line_set.places handle: struct line_place */
	uint32_t description;      /* line_set.descriptions handle: struct line_description */
	uint8_t flags;             /* order_items.flags (enum order_item_flag) */
	uint8_t written_flags;     /* the flags the item was first written with */
	unsigned kind : 2;         /* enum line_kind */
	unsigned status : 2;       /* enum order_status read from a status column */
	unsigned has_status : 1;
	unsigned on_cancellation : 1; /* the order id is a cancellation invoice (C581484) */
};

/* The number of a line whose number does not fit 32 bits (or is negative). */
struct far_line {
	int64_t source_line;
	uint32_t index;            /* the line's index in the set */
};

struct line_set {
	struct order_line *line;   /* in file order */
	size_t count, cap;
	struct string_pool pool;   /* every text of the lines */
	struct tuple_pool times;   /* struct line_time */
	struct tuple_pool amounts; /* struct line_amounts */
	struct tuple_pool places;  /* struct line_place */
	struct tuple_pool descriptions; /* struct line_description */
	uint64_t *raw_hash;        /* per line, hash of every raw field; freed once
				      duplicates are removed */
	struct far_line *far_lines; /* in index order */
	size_t far_count, far_cap;
	int64_t raw_lines;         /* rows read from raw_order_lines */
};

void line_set_init(struct line_set *set);
void line_set_free(struct line_set *set);

/* Reads every raw order line. Lines that cannot be read become LINE_UNREADABLE (and
 * are logged); non-product lines LINE_ADJUSTMENT. Returns 0 or a negative code. */
int order_lines_load(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		     struct line_set *set, struct dq_log *log, struct error *err);

/* Reads raw order lines one at a time into a set, as order_lines_load does, for rows
 * that come from elsewhere (line_feed.h): runs must hold each row's run, and log counts
 * the rules as the rows are read. */
struct line_loader;
struct line_loader *line_loader_new(struct line_set *set, struct source_runs *runs,
				    const struct clean_rules *rules, struct dq_log *log);
/* Reads row into the set's next line; its texts are not kept. */
void line_loader_add(struct line_loader *ld, const struct raw_line *row);
void line_loader_free(struct line_loader *ld);
/* Gives back the room kept for lines beyond the set's count. */
void line_set_trim(struct line_set *set);

/* Marks every exact duplicate of an earlier line LINE_DUPLICATE and logs it; frees the
 * lines' raw hashes. Copies share their order id, so they are looked for among the
 * lines of each order. */
void order_lines_remove_duplicates(struct line_set *set, struct dq_log *log);

static inline const struct line_amounts *line_amounts(const struct line_set *set,
						      const struct order_line *l)
{
	return tuple_pool_get(&set->amounts, l->amounts);
}

static inline const struct line_time *line_time(const struct line_set *set,
						const struct order_line *l)
{
	return tuple_pool_get(&set->times, l->time);
}

static inline const struct line_place *line_place(const struct line_set *set,
						  const struct order_line *l)
{
	return tuple_pool_get(&set->places, l->place);
}

static inline const struct line_description *line_description(const struct line_set *set,
							      const struct order_line *l)
{
	return tuple_pool_get(&set->descriptions, l->description);
}

static inline int64_t line_quantity(const struct line_set *set, const struct order_line *l)
{
	return line_amounts(set, l)->quantity;
}

static inline int64_t line_seconds(const struct line_set *set, const struct order_line *l)
{
	return line_time(set, l)->seconds;
}

/* Writes a line time's text, "YYYY-MM-DD HH:MM:SS" and a NUL. */
void line_time_text(const struct line_time *time, char out[20]);

/* The line's number in its file. */
int64_t line_source_line(const struct line_set *set, const struct order_line *l);
/* Counts one finding of rule, citing the line (its file and number) as an example. */
void line_dq_count(struct dq_log *log, enum dq_rule rule, const struct line_set *set,
		   const struct order_line *l);

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
/* The number of lines in the largest group (at least 1), to size per-group scratch. */
size_t line_groups_largest(const struct line_groups *groups);

#endif
