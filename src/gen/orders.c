/* orders: the day's order book, its flaws and the rows of orders.csv. */
#include "gen/orders.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "gen/calendar.h"
#include "util/xalloc.h"

/* What a broken export puts where a date should be. */
static const char *const bad_dates[] = {
	"2024-13-45 10:12:00", "not a date", "2025-02-30 25:61:00",
	"31/31/2025",          "",           "2024-06-31 12:00:00",
};

enum { BAD_DATE_KINDS = sizeof bad_dates / sizeof bad_dates[0] };

static const double duplicate_rate = 0.003;  /* lines written twice */
static const double cancel_rate = 0.02;      /* lines cancelled later */
static const double bad_date_rate = 0.0006;  /* lines with an unreadable date */

struct cancellation {
	struct pending_key key; /* when the cancellation is written */
	struct order_row row;   /* the reversing row */
};

int orders_open(struct order_book *b, const char *dir, const struct catalog *cat,
		const struct customer_base *people, uint64_t seed, struct error *err)
{
	memset(b, 0, sizeof *b);
	b->catalog = cat;
	b->people = people;
	b->next_order_id = 100001;
	rng_seed(&b->rng, seed ^ 0x6f726465ULL);
	pending_init(&b->cancellations, sizeof(struct cancellation));
	return csv_writer_open(&b->out, dir, "orders.csv",
			       "order_id,order_date,customer_id,product_id,product_name,quantity,"
			       "unit_price,line_total,country,region,city,category,subcategory,"
			       "channel,payment_method,discount,profit,status",
			       err);
}

static int due_earlier(const void *a, const void *b)
{
	const struct order_row *x = a, *y = b;
	if (x->moment != y->moment)
		return x->moment < y->moment ? -1 : 1;
	if (x->order_id != y->order_id)
		return x->order_id < y->order_id ? -1 : 1;
	return (x->line.product > y->line.product) - (x->line.product < y->line.product);
}

uint64_t orders_begin_day(struct order_book *b, long day, uint64_t quota)
{
	int64_t start = (int64_t)day * SECONDS_PER_DAY, end = start + SECONDS_PER_DAY;
	const struct cancellation *next;
	b->day = day;
	b->order_count = b->line_count = b->row_count = b->due_count = 0;
	while ((next = pending_peek(&b->cancellations)) && next->key.moment < end &&
	       b->due_count < quota) {
		struct cancellation c;
		pending_pop(&b->cancellations, &c);
		if (c.row.moment < start) /* yesterday had no room: it moves to today */
			c.row.moment = start + calendar_draw_second(&b->rng);
		if (b->due_count == b->due_cap) {
			b->due_cap = b->due_cap ? 2 * b->due_cap : 64;
			b->due = xreallocarray(b->due, b->due_cap, sizeof *b->due);
		}
		b->due[b->due_count++] = c.row;
	}
	if (b->due_count > 1)
		qsort(b->due, b->due_count, sizeof *b->due, due_earlier);
	return quota - b->due_count;
}

void orders_add(struct order_book *b, const struct day_order *order,
		const struct basket_line *lines, size_t line_count, uint64_t *rows_left)
{
	assert(line_count >= 1 && line_count <= *rows_left);
	if (b->order_count == b->order_cap) {
		b->order_cap = b->order_cap ? 2 * b->order_cap : 256;
		b->orders = xreallocarray(b->orders, b->order_cap, sizeof *b->orders);
	}
	while (b->line_count + line_count > b->line_cap) {
		b->line_cap = b->line_cap ? 2 * b->line_cap : 512;
		b->lines = xreallocarray(b->lines, b->line_cap, sizeof *b->lines);
		b->line_duplicated = xreallocarray(b->line_duplicated, b->line_cap, 1);
	}
	struct day_order *o = &b->orders[b->order_count++];
	*o = *order;
	o->first_line = (uint32_t)b->line_count;
	o->line_count = (uint32_t)line_count;
	for (size_t i = 0; i < line_count; i++) {
		b->lines[b->line_count] = lines[i];
		(*rows_left)--;
		/* A duplicate only takes a row the order's remaining lines do not need. */
		size_t still_to_add = line_count - i - 1;
		int twice = *rows_left > still_to_add && rng_uniform(&b->rng) < duplicate_rate;
		b->line_duplicated[b->line_count++] = (uint8_t)twice;
		*rows_left -= (uint64_t)twice;
	}
}

static int placed_earlier(const void *a, const void *b)
{
	const struct day_order *x = a, *y = b;
	if (x->second != y->second)
		return x->second < y->second ? -1 : 1;
	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

static struct order_row *new_row(struct order_book *b)
{
	if (b->row_count == b->row_cap) {
		b->row_cap = b->row_cap ? 2 * b->row_cap : 512;
		b->rows = xreallocarray(b->rows, b->row_cap, sizeof *b->rows);
	}
	return &b->rows[b->row_count++];
}

/* Queues the reversal of a line for a day or more later. */
static void schedule_cancellation(struct order_book *b, const struct order_row *row)
{
	struct cancellation c;
	memset(&c, 0, sizeof c);
	long days_later = 1;
	while (days_later < 14 && rng_uniform(&b->rng) > 0.35)
		days_later++;
	c.row = *row;
	c.row.moment = (int64_t)(b->day + days_later) * SECONDS_PER_DAY +
		       calendar_draw_second(&b->rng);
	c.row.cancelled = 1;
	c.row.duplicated = 0;
	c.row.will_cancel = 0;
	c.row.line.quantity = -row->line.quantity;
	basket_price_line(b->catalog, &c.row.line);
	c.key.moment = c.row.moment;
	pending_push(&b->cancellations, &c);
}

/* Turns the day's orders into rows in time order, planting bad dates and choosing the
 * lines that will be cancelled. */
static void make_rows(struct order_book *b)
{
	if (b->order_count > 1)
		qsort(b->orders, b->order_count, sizeof *b->orders, placed_earlier);
	for (size_t k = 0; k < b->order_count; k++) {
		struct day_order *o = &b->orders[k];
		o->order_id = b->next_order_id++;
		o->first_row = (uint32_t)b->row_count;
		for (uint32_t i = 0; i < o->line_count; i++) {
			struct order_row *row = new_row(b);
			memset(row, 0, sizeof *row);
			row->moment = (int64_t)b->day * SECONDS_PER_DAY + o->second;
			row->order_id = o->order_id;
			row->customer = o->customer;
			row->place = o->place;
			row->channel = o->channel;
			row->payment = o->payment;
			row->line = b->lines[o->first_line + i];
			row->duplicated = b->line_duplicated[o->first_line + i];
			if (rng_uniform(&b->rng) < bad_date_rate)
				row->bad_date = (uint8_t)(1 + rng_below(&b->rng, BAD_DATE_KINDS));
			else if (rng_uniform(&b->rng) < cancel_rate)
				row->will_cancel = 1;
		}
	}
}

static void write_discount(struct csv_writer *w, int pct)
{
	assert(pct >= 0 && pct < 100);
	char text[4] = {'0', '.', (char)('0' + pct / 10), (char)('0' + pct % 10)};
	csv_field_plain(w, text, sizeof text);
}

static void write_row(struct order_book *b, const struct order_row *row)
{
	struct csv_writer *w = &b->out;
	const struct product *p = &b->catalog->products[row->line.product];
	char when[MOMENT_TEXT_SIZE];
	csv_field_tagged(w, row->cancelled ? "C" : "", row->order_id);
	if (row->bad_date) {
		csv_field(w, bad_dates[row->bad_date - 1]);
	} else {
		calendar_format_moment(row->moment, when);
		csv_field_plain(w, when, MOMENT_TEXT_SIZE - 1);
	}
	if (row->customer >= 0)
		csv_field_int(w, b->people->customers[row->customer].id);
	else
		csv_field_empty(w);
	csv_field_tagged(w, "P", p->id);
	csv_field(w, p->name);
	csv_field_int(w, row->line.quantity);
	csv_field_cents(w, row->line.unit_cents);
	csv_field_cents(w, row->line.total_cents);
	csv_field(w, place_country(row->place));
	csv_field(w, place_region(row->place));
	csv_field(w, place_city(row->place));
	csv_field(w, catalog_category_name(p->category));
	csv_field(w, catalog_subcategory_name(p->subcategory));
	csv_field(w, channel_name((enum channel)row->channel));
	csv_field(w, payment_name((enum payment)row->payment));
	write_discount(w, row->line.discount_pct);
	csv_field_cents(w, row->line.profit_cents);
	if (row->cancelled)
		csv_field_plain(w, "cancelled", 9);
	else
		csv_field_empty(w);
	csv_end_row(w);
}

void orders_end_day(struct order_book *b)
{
	make_rows(b);
	size_t i = 0, j = 0;
	/* Merge the order lines and today's cancellations, both already in time order. */
	while (i < b->row_count || j < b->due_count) {
		const struct order_row *row;
		if (j == b->due_count ||
		    (i < b->row_count && b->rows[i].moment <= b->due[j].moment))
			row = &b->rows[i++];
		else
			row = &b->due[j++];
		write_row(b, row);
		if (row->duplicated) {
			write_row(b, row);
			b->duplicates++;
		}
		b->cancelled_lines += row->cancelled;
		b->bad_dates += row->bad_date != 0;
	}
	for (size_t k = 0; k < b->row_count; k++)
		if (b->rows[k].will_cancel)
			schedule_cancellation(b, &b->rows[k]);
}

int orders_close(struct order_book *b, struct error *err)
{
	return csv_writer_close(&b->out, err);
}

void orders_free(struct order_book *b)
{
	csv_writer_abandon(&b->out);
	pending_free(&b->cancellations);
	free(b->orders);
	free(b->lines);
	free(b->line_duplicated);
	free(b->rows);
	free(b->due);
	memset(b, 0, sizeof *b);
}
