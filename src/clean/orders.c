/* orders: grouping lines into orders, settling statuses and totals, and writing
 * orders, order_items and adjustments. Orders are written in key order and their
 * items in line order, so the tables' B-trees are filled by appending. */
#include "clean/orders.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "db/batch_insert.h"
#include "clean/tally.h"
#include "db/db.h"
#include "util/xalloc.h"

#define NO_ORDER UINT32_MAX

_Static_assert(sizeof(struct order) <= 32, "an order is 32 bytes at most");

/* Lists the distinct order ids of the kept lines in byte order and maps each id to
 * the index of its order. */
static void number_orders(struct line_set *set, struct order_set *orders)
{
	const struct string_pool *pool = &set->pool;
	uint32_t *index_of = xmalloc((size_t)pool->count * sizeof *index_of);
	uint32_t *ids = NULL;
	size_t count = 0, cap = 0;
	for (uint32_t h = 0; h < pool->count; h++)
		index_of[h] = NO_ORDER;
	for (size_t i = 0; i < set->count; i++) {
		const struct order_line *l = &set->line[i];
		if (!line_is_kept(l) || index_of[l->order_id] != NO_ORDER)
			continue;
		index_of[l->order_id] = 0;
		if (count == cap) {
			cap = cap ? cap * 2 : 1024;
			ids = xreallocarray(ids, cap, sizeof *ids);
		}
		ids[count++] = l->order_id;
	}
	string_pool_sort(pool, ids, count);
	orders->count = (uint32_t)count;
	orders->order = xcalloc(count ? count : 1, sizeof *orders->order);
	for (size_t k = 0; k < count; k++) {
		index_of[ids[k]] = (uint32_t)k;
		orders->order[k].order_id = ids[k];
	}
	orders->index_of = index_of;
	orders->handles = pool->count;
	free(ids);
}

/* Lays the kept lines out grouped by order (a counting sort, stable). */
static void collect_lines(struct line_set *set, struct order_set *orders)
{
	uint32_t *next = xcalloc((size_t)orders->count + 1, sizeof *next);
	size_t kept = 0;
	for (size_t i = 0; i < set->count; i++)
		if (line_is_kept(&set->line[i])) {
			next[order_of(orders, &set->line[i]) + 1]++;
			kept++;
		}
	for (uint32_t o = 0; o < orders->count; o++) {
		next[o + 1] += next[o];
		orders->order[o].first = next[o];
		orders->order[o].end = next[o + 1];
	}
	orders->lines = xmalloc((kept ? kept : 1) * sizeof *orders->lines);
	for (size_t i = 0; i < set->count; i++)
		if (line_is_kept(&set->line[i]))
			orders->lines[next[order_of(orders, &set->line[i])]++] = (uint32_t)i;
	free(next);
}

static void first_given(uint32_t *field, uint32_t value)
{
	if (!*field)
		*field = value;
}

/* Fills an order's header from its lines. */
static void describe_order(struct line_set *set, struct order_set *orders, struct order *o,
			   struct tally *customers, struct dq_log *log)
{
	const struct order_line *first = &set->line[orders->lines[o->first]];
	struct line_place place = {0, 0, 0, 0, 0};
	int spread = 0, status_seen = 0;
	int64_t time = line_seconds(set, first);
	tally_clear(customers);
	o->time = first->time;
	o->on_cancellation = first->on_cancellation;
	for (uint32_t k = o->first; k < o->end; k++) {
		const struct order_line *l = &set->line[orders->lines[k]];
		const struct line_place *p = line_place(set, l);
		int64_t seconds = line_seconds(set, l);
		tally_add(customers, l->customer_id);
		if (seconds != time)
			spread = 1;
		if (seconds < time) {
			time = seconds;
			o->time = l->time;
		}
		first_given(&place.country, p->country);
		first_given(&place.region, p->region);
		first_given(&place.city, p->city);
		first_given(&place.channel, p->channel);
		first_given(&place.payment_method, p->payment_method);
		if (l->has_status && !status_seen) {
			status_seen = 1;
			o->status = (uint8_t)l->status;
			o->status_from_file = l->status != STATUS_COMPLETED;
		}
	}
	o->place = tuple_pool_intern(&set->places, &place);
	o->customer_id = tally_best(customers, &set->pool);
	if (customers->used > 1)
		line_dq_count(log, DQ_ORDER_CUSTOMER_CONFLICT, set, first);
	if (spread)
		line_dq_count(log, DQ_ORDER_TIME_SPREAD, set, first);
}

void orders_group(struct line_set *set, struct order_set *orders, struct dq_log *log)
{
	struct tally customers = TALLY_INIT;
	memset(orders, 0, sizeof *orders);
	number_orders(set, orders);
	collect_lines(set, orders);
	for (uint32_t o = 0; o < orders->count; o++) {
		struct order *order = &orders->order[o];
		describe_order(set, orders, order, &customers, log);
		if (!order->status_from_file)
			continue;
		for (uint32_t k = order->first; k < order->end; k++)
			set->line[orders->lines[k]].flags |= ITEM_CANCELLED;
	}
	tally_free(&customers);
}

void order_set_free(struct order_set *orders)
{
	free(orders->order);
	free(orders->lines);
	free(orders->index_of);
	memset(orders, 0, sizeof *orders);
}

/* True when every item of the order passes test (and it has items). */
static int every_item(const struct line_set *set, const struct order_set *orders,
		      const struct order *o,
		      int (*test)(const struct line_set *, const struct order_line *))
{
	int items = 0;
	for (uint32_t k = o->first; k < o->end; k++) {
		const struct order_line *l = &set->line[orders->lines[k]];
		if (l->kind != LINE_ITEM)
			continue;
		if (!test(set, l))
			return 0;
		items = 1;
	}
	return items;
}

static int has_negative_quantity(const struct line_set *set, const struct order_line *l)
{
	return line_quantity(set, l) < 0;
}

static int was_cancelled(const struct line_set *set, const struct order_line *l)
{
	(void)set;
	return (l->flags & ITEM_CANCELLED) != 0;
}

/* The status of an order, by the rules in orders.h. */
static enum order_status settled_status(const struct line_set *set,
					const struct order_set *orders, const struct order *o,
					struct dq_log *log)
{
	const struct order_line *first = &set->line[orders->lines[o->first]];
	if (o->status_from_file)
		return (enum order_status)o->status;
	if (o->on_cancellation)
		return STATUS_CANCELLED;
	if (every_item(set, orders, o, has_negative_quantity))
		return STATUS_RETURNED;
	if (every_item(set, orders, o, was_cancelled)) {
		line_dq_count(log, DQ_ORDER_CANCELLED, set, first);
		return STATUS_CANCELLED;
	}
	return STATUS_COMPLETED;
}

void orders_settle(struct line_set *set, struct order_set *orders, struct dq_log *log)
{
	for (uint32_t i = 0; i < orders->count; i++) {
		struct order *o = &orders->order[i];
		o->status = (uint8_t)settled_status(set, orders, o, log);
	}
}

/* An order's total, by the rule in orders.h (orders_write). */
static int64_t total_cents(const struct line_set *set, const struct order_set *orders,
			   const struct order *o)
{
	int64_t total = 0;
	for (uint32_t k = o->first; k < o->end; k++) {
		const struct order_line *l = &set->line[orders->lines[k]];
		if (l->kind == LINE_ITEM && (o->status != STATUS_COMPLETED || !l->flags))
			total += line_amounts(set, l)->line_total_cents;
	}
	return total;
}

static void stage_handle(struct batch_insert *b, const struct string_pool *pool, uint32_t h)
{
	if (h)
		batch_insert_text(b, string_pool_text(pool, h), string_pool_length(pool, h));
	else
		batch_insert_null(b);
}

static void stage_time(struct batch_insert *b, const struct line_time *time)
{
	char text[20];
	line_time_text(time, text);
	batch_insert_text_copy(b, text, strlen(text));
}

static int write_order(struct batch_insert *b, const struct line_set *set,
		       const struct order_set *orders, const struct order *o, struct error *err)
{
	const struct string_pool *pool = &set->pool;
	const char *status = order_status_name((enum order_status)o->status);
	const struct line_place *place = tuple_pool_get(&set->places, o->place);
	stage_handle(b, pool, o->order_id);
	stage_handle(b, pool, o->customer_id);
	stage_time(b, tuple_pool_get(&set->times, o->time));
	batch_insert_text(b, status, strlen(status));
	stage_handle(b, pool, o->cancels ? orders->order[o->cancels - 1].order_id : 0);
	stage_handle(b, pool, place->country);
	stage_handle(b, pool, place->region);
	stage_handle(b, pool, place->city);
	stage_handle(b, pool, place->channel);
	stage_handle(b, pool, place->payment_method);
	batch_insert_int(b, total_cents(set, orders, o));
	return batch_insert_row(b, err);
}

static int write_item(struct batch_insert *b, const struct line_set *set,
		      const struct order_line *l, uint32_t order_id, uint32_t line_no,
		      struct error *err)
{
	const struct line_amounts *a = line_amounts(set, l);
	stage_handle(b, &set->pool, order_id);
	batch_insert_int(b, line_no);
	stage_handle(b, &set->pool, l->product_id);
	batch_insert_int(b, a->quantity);
	batch_insert_int(b, a->unit_price_cents);
	batch_insert_int(b, a->line_total_cents);
	if (a->has_discount)
		batch_insert_double(b, a->discount_micros / 1e6);
	else
		batch_insert_null(b);
	if (a->has_profit)
		batch_insert_int(b, a->profit_cents);
	else
		batch_insert_null(b);
	batch_insert_int(b, l->written_flags);
	return batch_insert_row(b, err);
}

static int write_adjustment(struct batch_insert *b, const struct line_set *set,
			    const struct order_line *l, struct error *err)
{
	stage_handle(b, &set->pool, l->order_id);
	stage_handle(b, &set->pool, l->product_id);
	stage_handle(b, &set->pool, line_description(set, l)->product_name);
	batch_insert_int(b, line_amounts(set, l)->line_total_cents);
	stage_time(b, line_time(set, l));
	return batch_insert_row(b, err);
}

void order_items_note_flags(struct line_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		set->line[i].written_flags = set->line[i].flags;
}

int order_items_write(sqlite3 *db, const struct line_set *set,
		      const struct order_set *orders, struct clean_summary *sum,
		      struct error *err)
{
	struct batch_insert *b = xcalloc(1, sizeof *b);
	int rc = batch_insert_open(b, db, "order_items",
				   "order_id, line_no, product_id, quantity, unit_price_cents,"
				   " line_total_cents, discount, profit_cents, flags",
				   err);
	for (uint32_t i = 0; rc == 0 && i < orders->count; i++) {
		const struct order *o = &orders->order[i];
		uint32_t line_no = 0;
		for (uint32_t k = o->first; rc == 0 && k < o->end; k++) {
			const struct order_line *l = &set->line[orders->lines[k]];
			assert(order_of(orders, l) == i);
			if (l->kind != LINE_ITEM)
				continue;
			if ((rc = write_item(b, set, l, o->order_id, ++line_no, err)) == 0)
				sum->order_items++;
		}
	}
	if (rc == 0)
		rc = batch_insert_flush(b, err);
	batch_insert_close(b);
	free(b);
	return rc;
}

int order_items_update_flags(sqlite3 *db, const struct line_set *set,
			     const struct order_set *orders, struct error *err)
{
	sqlite3_stmt *st;
	const struct string_pool *pool = &set->pool;
	int rc = db_prepare(db,
			    "UPDATE order_items SET flags = ?1 WHERE order_id = ?2 AND line_no = ?3",
			    &st, err);
	for (uint32_t i = 0; rc == 0 && i < orders->count; i++) {
		const struct order *o = &orders->order[i];
		uint32_t line_no = 0;
		for (uint32_t k = o->first; rc == 0 && k < o->end; k++) {
			const struct order_line *l = &set->line[orders->lines[k]];
			if (l->kind != LINE_ITEM)
				continue;
			line_no++;
			if (l->flags == l->written_flags)
				continue;
			sqlite3_bind_int(st, 1, l->flags);
			sqlite3_bind_text(st, 2, string_pool_text(pool, o->order_id),
					  (int)string_pool_length(pool, o->order_id), SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, line_no);
			int step = sqlite3_step(st);
			sqlite3_reset(st);
			if (step != SQLITE_DONE || sqlite3_changes(db) != 1)
				rc = db_fail(db, err, "updating order_items flags");
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Writes the orders in key order and counts their items that are sales. */
static int write_orders_in_order(struct batch_insert *b, const struct line_set *set,
				 const struct order_set *orders, struct clean_summary *sum,
				 struct error *err)
{
	for (uint32_t i = 0; i < orders->count; i++) {
		const struct order *o = &orders->order[i];
		if (write_order(b, set, orders, o, err) < 0)
			return ERR_SYSTEM;
		sum->orders++;
		sum->cancelled_orders += o->status == STATUS_CANCELLED;
		for (uint32_t k = o->first; k < o->end; k++) {
			const struct order_line *l = &set->line[orders->lines[k]];
			sum->sale_items += l->kind == LINE_ITEM && !l->flags &&
					   o->status == STATUS_COMPLETED;
		}
	}
	return batch_insert_flush(b, err);
}

static int write_adjustments(struct batch_insert *b, const struct line_set *set,
			     struct clean_summary *sum, struct error *err)
{
	for (size_t i = 0; i < set->count; i++) {
		if (set->line[i].kind != LINE_ADJUSTMENT)
			continue;
		if (write_adjustment(b, set, &set->line[i], err) < 0)
			return ERR_SYSTEM;
		sum->adjustments++;
	}
	return batch_insert_flush(b, err);
}

int orders_write(sqlite3 *db, const struct line_set *set, const struct order_set *orders,
		 struct clean_summary *sum, struct error *err)
{
	struct batch_insert *batch = xcalloc(2, sizeof *batch);
	int rc;
	if ((rc = batch_insert_open(&batch[0], db, "orders",
				    "order_id, customer_id, order_time, status, cancels_order_id,"
				    " country, region, city, channel, payment_method, total_cents",
				    err)) < 0 ||
	    (rc = batch_insert_open(&batch[1], db, "adjustments",
				    "order_id, code, description, amount_cents, order_time",
				    err)) < 0)
		goto done;
	if ((rc = write_orders_in_order(&batch[0], set, orders, sum, err)) == 0)
		rc = write_adjustments(&batch[1], set, sum, err);
done:
	for (int i = 0; i < 2; i++)
		batch_insert_close(&batch[i]);
	free(batch);
	return rc;
}
