/* order_lines: reading raw_order_lines back into memory.
 *
 * One pass in rowid (file) order. Each row's texts are normalised and interned, its
 * quantity, date and amounts parsed with the layout its file settled on, money made
 * cents, its raw values hashed (for exact duplicates), and the line-level rules
 * (guest, cancellation invoice, negative quantity, price, adjustment) counted. Each
 * column keeps a memo of its distinct raw texts, so the work per line is a lookup.
 * The values a line repeats from others are interned last, as tuples. */
#include "clean/order_lines.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "clean/line_reader.h"
#include "clean/raw_values.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define MICROS 1000000LL

/* What a column's raw text is, for working it out. */
enum memo_kind {
	MEMO_TEXT,          /* a name or place: trimmed */
	MEMO_ORDER_ID,      /* an id; also: is it a cancellation invoice? */
	MEMO_CUSTOMER_ID,   /* an id */
	MEMO_PRODUCT_ID,    /* a product code; also: is it a non-product code? */
	MEMO_PRODUCT_NAME,  /* a name; also: is it a non-product description? */
	MEMO_STATUS,        /* an order status */
	MEMO_WHOLE,         /* a whole number (quantity) */
	MEMO_AMOUNT,        /* an amount, in millionths */
	MEMO_DATE,          /* a date: seconds and its line_set.times handle */
};

/* memo state bits, beside enum normalize_change (1, 2, 4) */
#define MEMO_CHANGES 0x07
#define MEMO_NOT_PRODUCT 0x08   /* a non-product code or description */
#define MEMO_CANCELLATION 0x10  /* an order id of a cancellation invoice */
#define MEMO_BAD 0x20           /* not a value of its kind */
#define MEMO_MISSING 0x40       /* only blanks */
#define MEMO_KNOWN 0x80         /* worked out */

/* One column's distinct raw texts and what each became, so that the work on a text
 * (normalising, interning, parsing, matching the rule lists) is done once per distinct
 * text, not once per line: an export of half a million lines holds a few thousand
 * distinct product codes and prices.
 *
 * Order ids and dates are new every order, so a memo of all of them would cost more
 * than it saves: their memos keep only the previous row's text (the lines of an order
 * follow each other), with raw handle 1, and the raw row hash takes their bytes. */
struct column_memo {
	enum memo_kind kind;
	int last_only;            /* keeps only the previous row's text (raw handle 1) */
	struct buf last_text;     /* last_only: that text */
	uint64_t last_hash;       /* last_only: its bytes_hash */
	struct string_pool raw;   /* the raw texts as read (not last_only) */
	uint32_t *handle;         /* per raw text: the normalised text's handle (a date's
				     line_set.times handle) */
	int64_t *number;          /* per raw text: the parsed value */
	uint8_t *state;           /* per raw text: MEMO_* bits */
	uint8_t *layout;          /* per raw text: the layout parsed under (comma, date style) */
	uint32_t cap;
	uint32_t last;            /* the raw handle of the previous row: rows repeat */
};

struct line_loader {
	struct line_set *set;
	struct source_runs *runs;
	const struct clean_rules *rules;
	struct dq_log *log;
	struct buf scratch;                   /* normalised text */
	const char *const *text;              /* the current row's columns, NULL for NULL */
	const size_t *length;
	uint32_t raw[RAW_LINE_COLUMNS];       /* raw handles of the current row */
	uint32_t run;                         /* the current row's run (index) */
	int64_t source_line;                  /* the current row's line in its file */
	struct column_memo memo[RAW_LINE_COLUMNS]; /* per column, RAW_ORDER_ID to RAW_STATUS */
};

_Static_assert(sizeof(struct order_line) <= 40, "an order line is 40 bytes at most");
_Static_assert(sizeof(struct line_amounts) == 40, "line_amounts has no padding");
_Static_assert(sizeof(struct line_time) == 16, "line_time has no padding");

void line_time_text(const struct line_time *time, char out[20])
{
	struct datetime dt = {time->year, time->month, time->day,
			      time->hour, time->minute, time->second};
	datetime_format(&dt, out);
}

void line_set_init(struct line_set *set)
{
	memset(set, 0, sizeof *set);
	string_pool_init(&set->pool);
	tuple_pool_init(&set->times, sizeof(struct line_time));
	tuple_pool_init(&set->amounts, sizeof(struct line_amounts));
	tuple_pool_init(&set->places, sizeof(struct line_place));
	tuple_pool_init(&set->descriptions, sizeof(struct line_description));
}

void line_set_free(struct line_set *set)
{
	free(set->line);
	free(set->raw_hash);
	free(set->far_lines);
	string_pool_free(&set->pool);
	tuple_pool_free(&set->times);
	tuple_pool_free(&set->amounts);
	tuple_pool_free(&set->places);
	tuple_pool_free(&set->descriptions);
	memset(set, 0, sizeof *set);
}

int64_t line_source_line(const struct line_set *set, const struct order_line *l)
{
	if (l->source_line != LINE_FAR)
		return l->source_line;
	size_t index = (size_t)(l - set->line), lo = 0, hi = set->far_count;
	assert(index < set->count);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->far_lines[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	assert(lo < set->far_count && set->far_lines[lo].index == index);
	return set->far_lines[lo].source_line;
}

void line_dq_count(struct dq_log *log, enum dq_rule rule, const struct line_set *set,
		   const struct order_line *l)
{
	dq_count(log, rule, l->run, line_source_line(set, l), 1);
}

/* Sets the line's number, keeping one that does not fit 32 bits in far_lines. */
static void set_source_line(struct line_set *set, struct order_line *l, int64_t source_line)
{
	if (source_line >= 0 && source_line < LINE_FAR) {
		l->source_line = (uint32_t)source_line;
		return;
	}
	if (set->far_count == set->far_cap) {
		set->far_cap = set->far_cap ? set->far_cap * 2 : 16;
		set->far_lines = xreallocarray(set->far_lines, set->far_cap, sizeof *set->far_lines);
	}
	set->far_lines[set->far_count++] = (struct far_line){source_line, (uint32_t)(l - set->line)};
	l->source_line = LINE_FAR;
}

/* Makes room for what raw texts below cap become. */
static void memo_grow(struct column_memo *m, uint32_t cap)
{
	m->handle = xreallocarray(m->handle, cap, sizeof *m->handle);
	m->number = xreallocarray(m->number, cap, sizeof *m->number);
	m->state = xreallocarray(m->state, cap, sizeof *m->state);
	m->layout = xreallocarray(m->layout, cap, sizeof *m->layout);
	memset(m->state + m->cap, 0, cap - m->cap);
	m->cap = cap;
}

static void memo_init(struct column_memo *m, enum memo_kind kind)
{
	memset(m, 0, sizeof *m);
	m->kind = kind;
	m->last_only = kind == MEMO_ORDER_ID || kind == MEMO_DATE;
	string_pool_init(&m->raw);
	if (m->last_only)
		memo_grow(m, 2);
}

static void memo_free(struct column_memo *m)
{
	buf_free(&m->last_text);
	string_pool_free(&m->raw);
	free(m->handle);
	free(m->number);
	free(m->state);
	free(m->layout);
}

/* Raw handle 1 for a text in a last_only memo: a text unlike the previous row's
 * replaces it, to be worked out anew. */
static uint32_t memo_last_entry(struct column_memo *m, const char *text, size_t len)
{
	if (m->last_text.len != len || memcmp(m->last_text.data, text, len) != 0) {
		buf_reset(&m->last_text);
		buf_append(&m->last_text, text, len);
		m->last_hash = bytes_hash(text, len, 0);
		m->state[1] = 0;
	}
	return 1;
}

/* Sets the raw handle of the current row's column (0 when NULL or empty), making room
 * for what it becomes. */
static void memo_entry(struct line_loader *ld, int column)
{
	struct column_memo *m = &ld->memo[column];
	size_t len = ld->length[column];
	uint32_t r = m->last;
	if (!len)
		r = 0;
	else if (m->last_only)
		r = memo_last_entry(m, ld->text[column], len);
	else if (string_pool_length(&m->raw, r) != len ||
		 memcmp(string_pool_text(&m->raw, r), ld->text[column], len) != 0)
		r = m->last = string_pool_intern(&m->raw, ld->text[column], len);
	if (r >= m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 256;
		while (cap <= r)
			cap *= 2;
		memo_grow(m, cap);
	}
	ld->raw[column] = r;
}

static int is_blank_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Works out a text column's raw text r: normalised handle and rule bits. */
static void work_out_text(struct line_loader *ld, struct column_memo *m, int column, uint32_t r)
{
	static const enum text_form forms[] = {
		[MEMO_TEXT] = FORM_TEXT, [MEMO_ORDER_ID] = FORM_ID, [MEMO_CUSTOMER_ID] = FORM_ID,
		[MEMO_PRODUCT_ID] = FORM_PRODUCT_ID, [MEMO_PRODUCT_NAME] = FORM_TEXT,
	};
	const struct clean_rules *rules = ld->rules;
	const struct string_pool *pool = &ld->set->pool;
	unsigned changed = 0;
	uint32_t h = text_intern(&ld->set->pool, &ld->scratch, ld->text[column], ld->length[column],
				 forms[m->kind], rules->fold_product_case, &changed);
	const char *s = string_pool_text(pool, h);
	size_t len = string_pool_length(pool, h);
	uint8_t state = MEMO_KNOWN | (uint8_t)changed;
	if ((m->kind == MEMO_PRODUCT_ID && word_list_has(&rules->adjustment_codes, s, len)) ||
	    (m->kind == MEMO_PRODUCT_NAME && word_list_has(&rules->adjustment_names, s, len)))
		state |= MEMO_NOT_PRODUCT;
	if (m->kind == MEMO_ORDER_ID && word_list_prefix_of_number(&rules->cancel_prefixes, s, len))
		state |= MEMO_CANCELLATION;
	m->handle[r] = h;
	m->state[r] = state;
}

/* The normalised handle of a text column of the current row (0 when empty); ORs the
 * memo's bits into *state. */
static uint32_t text_of(struct line_loader *ld, int column, unsigned *state)
{
	struct column_memo *m = &ld->memo[column];
	uint32_t r = ld->raw[column];
	if (!r)
		return 0;
	if (!(m->state[r] & MEMO_KNOWN))
		work_out_text(ld, m, column, r);
	*state |= m->state[r];
	return m->handle[r];
}

/* Parses raw text r of a value column under layout. */
static void work_out_value(struct line_loader *ld, struct column_memo *m, int column, uint32_t r,
			   uint8_t layout)
{
	const char *s = ld->text[column];
	size_t len = ld->length[column];
	struct datetime dt;
	int ok = 0;
	m->state[r] = MEMO_KNOWN;
	m->layout[r] = layout;
	if (is_blank_text(s, len)) {
		m->state[r] |= MEMO_MISSING;
		return;
	}
	switch (m->kind) {
	case MEMO_WHOLE: ok = parse_int(s, len, &m->number[r]) == 0; break;
	case MEMO_AMOUNT: ok = parse_decimal(s, len, layout, &m->number[r]) == 0; break;
	case MEMO_STATUS:
		m->number[r] = order_status_from_text(s, len);
		ok = 1;
		break;
	case MEMO_DATE: {
		struct source_run run = {0, NULL, (enum date_style)layout, 0};
		ok = source_run_parse_date(&run, s, len, &dt) == 0;
		if (ok) {
			struct line_time time = {
				datetime_seconds(&dt), (uint16_t)dt.year, (uint8_t)dt.month,
				(uint8_t)dt.day, (uint8_t)dt.hour, (uint8_t)dt.minute,
				(uint8_t)dt.second, 0,
			};
			m->number[r] = time.seconds;
			m->handle[r] = tuple_pool_intern(&ld->set->times, &time);
		}
		break;
	}
	default: break;
	}
	if (!ok)
		m->state[r] |= MEMO_BAD;
}

/* A value column of the current row under layout (decimal comma, date style).
 * Returns 1 with *value set, 0 when missing, -1 when not a value of its kind. */
static int value_of(struct line_loader *ld, int column, uint8_t layout, int64_t *value)
{
	struct column_memo *m = &ld->memo[column];
	uint32_t r = ld->raw[column];
	if (!r)
		return 0;
	if (!(m->state[r] & MEMO_KNOWN) || m->layout[r] != layout)
		work_out_value(ld, m, column, r, layout);
	if (m->state[r] & MEMO_MISSING)
		return 0;
	if (m->state[r] & MEMO_BAD)
		return -1;
	*value = m->number[r];
	return 1;
}

/* Counts one finding of rule on the current row. */
static void count(struct line_loader *ld, enum dq_rule rule)
{
	dq_count(ld->log, rule, ld->run, ld->source_line, 1);
}

/* Reads the discount: a fraction, or a percentage when above 1. */
static void read_discount(struct line_loader *ld, int decimal_comma, struct line_amounts *a)
{
	int64_t d = 0;
	int got = value_of(ld, RAW_DISCOUNT, (uint8_t)decimal_comma, &d);
	if (got == 0)
		return;
	if (got > 0 && d > MICROS && d <= 100 * MICROS) {
		d /= 100;
		count(ld, DQ_DISCOUNT_PERCENT);
	}
	if (got < 0 || d < 0 || d > MICROS) {
		count(ld, DQ_UNREADABLE_VALUE);
		return;
	}
	a->discount_micros = (int32_t)d;
	a->has_discount = 1;
}

/* Works out unit price and line total in cents: line_total = quantity x unit price x
 * (1 - discount), whichever of the two the file gives; a given line total is kept as
 * it is. Sets ITEM_PRICE_NOT_POSITIVE in *flags. Returns 0, or -1 when the amounts
 * cannot be read. */
static int read_money(struct line_loader *ld, const struct source_run *run, struct line_amounts *a,
		      uint8_t *flags)
{
	int64_t unit = 0, total = 0, profit = 0;
	uint8_t comma = (uint8_t)run->decimal_comma;
	int has_unit = value_of(ld, RAW_UNIT_PRICE, comma, &unit);
	int has_total = value_of(ld, RAW_LINE_TOTAL, comma, &total);
	int has_profit = value_of(ld, RAW_PROFIT, comma, &profit);
	if (has_unit < 0 || has_total < 0 || (!has_unit && !has_total))
		return -1;
	read_discount(ld, run->decimal_comma, a);
	if (has_profit > 0) {
		a->profit_cents = micros_to_cents(profit);
		a->has_profit = 1;
	}
	if (has_total)
		a->line_total_cents = micros_to_cents(total);
	int64_t keep = MICROS - (a->has_discount ? a->discount_micros : 0);
	int price_known = 1;
	int64_t price_micros = unit;
	if (has_unit) {
		int64_t gross, expected;
		a->unit_price_cents = micros_to_cents(unit);
		if (mul_div_round(a->quantity, unit, 1, &gross) < 0 ||
		    mul_div_round(gross, keep, MICROS * 10000, &expected) < 0)
			return -1;
		if (!has_total)
			a->line_total_cents = expected;
		else if (llabs(expected - a->line_total_cents) > 1)
			count(ld, DQ_LINE_TOTAL_MISMATCH);
	} else {
		count(ld, DQ_UNIT_PRICE_DERIVED);
		if (a->quantity > INT64_MAX / MICROS || a->quantity < -INT64_MAX / MICROS)
			return -1;
		int64_t den = a->quantity * keep;
		price_known = den != 0;
		if (price_known && (mul_div_round(total, 100, den, &a->unit_price_cents) < 0 ||
				    mul_div_round(total, MICROS, den, &price_micros) < 0))
			return -1;
	}
	if (price_known && price_micros <= 0) {
		*flags |= ITEM_PRICE_NOT_POSITIVE;
		count(ld, DQ_PRICE_NOT_POSITIVE);
	}
	return 0;
}

/* Reads the texts of the current row into l and the place and description; returns
 * the memo bits they carry. */
static unsigned read_texts(struct line_loader *ld, struct order_line *l, struct line_place *place,
			   struct line_description *description)
{
	unsigned state = 0;
	int64_t status;
	l->order_id = text_of(ld, RAW_ORDER_ID, &state);
	l->customer_id = text_of(ld, RAW_CUSTOMER, &state);
	l->product_id = text_of(ld, RAW_PRODUCT, &state);
	description->product_name = text_of(ld, RAW_NAME, &state);
	place->country = text_of(ld, RAW_COUNTRY, &state);
	place->region = text_of(ld, RAW_REGION, &state);
	place->city = text_of(ld, RAW_CITY, &state);
	description->category = text_of(ld, RAW_CATEGORY, &state);
	description->subcategory = text_of(ld, RAW_SUBCATEGORY, &state);
	place->channel = text_of(ld, RAW_CHANNEL, &state);
	place->payment_method = text_of(ld, RAW_PAYMENT, &state);
	if (value_of(ld, RAW_STATUS, 0, &status) > 0) {
		l->has_status = 1;
		l->status = (unsigned)status & 3;
	}
	return state;
}

/* Sorts a readable line into item or adjustment and counts its line-level rules. */
static void classify(struct line_loader *ld, struct order_line *l, int64_t quantity, unsigned state)
{
	if (state & NORMALIZE_TRIMMED)
		count(ld, DQ_TEXT_TRIMMED);
	if (state & NORMALIZE_FLOAT_ID)
		count(ld, DQ_ID_WRITTEN_AS_FLOAT);
	if (state & NORMALIZE_CASE)
		count(ld, DQ_PRODUCT_CODE_CASE);
	if (!l->customer_id)
		count(ld, DQ_GUEST_LINE);
	l->on_cancellation = (state & MEMO_CANCELLATION) != 0;
	if (l->on_cancellation)
		count(ld, DQ_CANCELLATION_LINE);
	if (quantity < 0)
		count(ld, DQ_NEGATIVE_QUANTITY);
	if (quantity == 0) {
		l->flags |= ITEM_QUANTITY_ZERO;
		count(ld, DQ_QUANTITY_ZERO);
	}
	if (quantity < 0 || l->on_cancellation)
		l->flags |= ITEM_RETURN;
	if (state & MEMO_NOT_PRODUCT) {
		l->kind = LINE_ADJUSTMENT;
		count(ld, DQ_ADJUSTMENT_LINE);
	}
}

/* Hashes the row's raw values: the raw handles of its columns (equal texts, equal
 * handles), the bytes of the columns whose memos keep only the last text, and the
 * bytes of the unknown columns. */
static uint64_t raw_row_hash(const struct line_loader *ld)
{
	uint64_t h = 0x6c62272e07bb0142ULL;
	for (int c = RAW_ORDER_ID; c < RAW_EXTRA; c++) {
		const struct column_memo *m = &ld->memo[c];
		uint64_t value = m->last_only && ld->raw[c] ? m->last_hash : ld->raw[c];
		h = (h ^ value) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return bytes_hash(ld->text[RAW_EXTRA] ? ld->text[RAW_EXTRA] : "", ld->length[RAW_EXTRA],
			  h + !ld->text[RAW_EXTRA]);
}

/* Finds the current row's raw texts in the memos. */
static void find_raw_texts(struct line_loader *ld)
{
	for (int c = RAW_ORDER_ID; c < RAW_EXTRA; c++)
		memo_entry(ld, c);
}

/* Reads one raw row into l, the line at index i of the set. */
static void read_line(struct line_loader *ld, const struct raw_line *row, size_t i)
{
	struct line_set *set = ld->set;
	struct order_line *l = &set->line[i];
	struct line_amounts amounts;
	struct line_place place;
	struct line_description description;
	memset(l, 0, sizeof *l);
	memset(&amounts, 0, sizeof amounts);
	int64_t run = source_runs_find(ld->runs, row->run_id);
	assert(run >= 0); /* raw rows belong to a run (foreign key, cascade) */
	const struct source_run *source = &ld->runs->run[run];
	l->run = ld->run = (uint32_t)run;
	ld->source_line = row->line;
	set_source_line(set, l, row->line);
	ld->text = row->text;
	ld->length = row->length;
	find_raw_texts(ld);
	unsigned state = read_texts(ld, l, &place, &description);
	int64_t seconds; /* the line keeps the date memo's times handle instead */
	int date = value_of(ld, RAW_ORDER_DATE, (uint8_t)source->date_style, &seconds);
	int quantity = value_of(ld, RAW_QUANTITY, 0, &amounts.quantity);
	uint8_t flags = 0;
	int money = quantity > 0 ? read_money(ld, source, &amounts, &flags) : -1;
	set->raw_hash[i] = raw_row_hash(ld);
	if (!l->order_id || !l->product_id || quantity <= 0 || date <= 0 || money < 0) {
		l->kind = LINE_UNREADABLE;
		count(ld, DQ_UNREADABLE_LINE);
		return;
	}
	l->flags = flags;
	l->time = ld->memo[RAW_ORDER_DATE].handle[ld->raw[RAW_ORDER_DATE]];
	l->amounts = tuple_pool_intern(&set->amounts, &amounts);
	l->place = tuple_pool_intern(&set->places, &place);
	l->description = tuple_pool_intern(&set->descriptions, &description);
	classify(ld, l, amounts.quantity, state);
}

/* Makes room for cap lines and their raw hashes. */
static void reserve_lines(struct line_set *set, size_t cap)
{
	assert(cap >= set->count);
	set->cap = cap;
	set->line = xreallocarray(set->line, set->cap, sizeof *set->line);
	set->raw_hash = xreallocarray(set->raw_hash, set->cap, sizeof *set->raw_hash);
}

/* Makes room for one more line and its raw hash; returns its index. */
static size_t append_line(struct line_set *set)
{
	if (set->count == set->cap)
		reserve_lines(set, set->cap ? set->cap * 2 : 4096);
	return set->count++;
}

static void loader_init(struct line_loader *ld)
{
	static const enum memo_kind kinds[RAW_LINE_COLUMNS] = {
		[RAW_ORDER_ID] = MEMO_ORDER_ID, [RAW_ORDER_DATE] = MEMO_DATE,
		[RAW_CUSTOMER] = MEMO_CUSTOMER_ID, [RAW_PRODUCT] = MEMO_PRODUCT_ID,
		[RAW_NAME] = MEMO_PRODUCT_NAME, [RAW_QUANTITY] = MEMO_WHOLE,
		[RAW_UNIT_PRICE] = MEMO_AMOUNT, [RAW_LINE_TOTAL] = MEMO_AMOUNT,
		[RAW_DISCOUNT] = MEMO_AMOUNT, [RAW_PROFIT] = MEMO_AMOUNT, [RAW_STATUS] = MEMO_STATUS,
	};
	for (int c = RAW_ORDER_ID; c < RAW_EXTRA; c++)
		memo_init(&ld->memo[c], kinds[c]); /* the others are MEMO_TEXT (0) */
}

static void loader_free(struct line_loader *ld)
{
	for (int c = RAW_ORDER_ID; c < RAW_EXTRA; c++)
		memo_free(&ld->memo[c]);
	buf_free(&ld->scratch);
}

struct line_loader *line_loader_new(struct line_set *set, struct source_runs *runs,
				    const struct clean_rules *rules, struct dq_log *log)
{
	struct line_loader *ld = xcalloc(1, sizeof *ld);
	*ld = (struct line_loader){.set = set, .runs = runs, .rules = rules, .log = log};
	loader_init(ld);
	return ld;
}

void line_loader_add(struct line_loader *ld, const struct raw_line *row)
{
	read_line(ld, row, append_line(ld->set));
}

void line_loader_free(struct line_loader *ld)
{
	if (!ld)
		return;
	loader_free(ld);
	free(ld);
}

void line_set_trim(struct line_set *set)
{
	if (set->count && set->count < set->cap)
		reserve_lines(set, set->count);
}

static void on_raw_line(void *ctx, const struct raw_line *row)
{
	line_loader_add(ctx, row);
}

int order_lines_load(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		     struct line_set *set, struct dq_log *log, struct error *err)
{
	struct line_loader ld = {.set = set, .runs = runs, .rules = rules, .log = log};
	/* the runs say how many rows they loaded: room for exactly those, not twice */
	int64_t expected = db_query_int(db, "SELECT sum(rows_loaded) FROM ingest_runs"
					    " WHERE kind = 'order_lines'", NULL, 0);
	if (expected > 0 && (uint64_t)expected < UINT32_MAX)
		reserve_lines(set, (size_t)expected);
	loader_init(&ld);
	int rc = raw_lines_read(db, on_raw_line, &ld, &set->raw_lines, err);
	loader_free(&ld);
	return rc;
}

/* True when two lines hold the same values (their place in the files aside). */
static int same_values(const struct line_set *set, const struct order_line *a,
		       const struct order_line *b)
{
	return line_seconds(set, a) == line_seconds(set, b) && a->amounts == b->amounts &&
	       a->order_id == b->order_id && a->customer_id == b->customer_id &&
	       a->product_id == b->product_id && a->place == b->place &&
	       a->description == b->description && a->status == b->status &&
	       a->has_status == b->has_status;
}

/* A line of one order, keyed for finding its copies. */
struct keyed_line {
	uint64_t raw_hash;
	uint32_t line;             /* index into the line set */
};

static int compare_keyed_lines(const void *a, const void *b)
{
	const struct keyed_line *x = a, *y = b;
	if (x->raw_hash != y->raw_hash)
		return x->raw_hash < y->raw_hash ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Orders keyed lines as compare_keyed_lines does: by insertion for an order of a few
 * dozen lines (most orders; qsort's calls through a pointer cost more there), by qsort
 * for a larger one. */
#define INSERTION_SORT_MAX 48
static void sort_keyed_lines(struct keyed_line *keyed, size_t count)
{
	if (count > INSERTION_SORT_MAX) {
		qsort(keyed, count, sizeof *keyed, compare_keyed_lines);
		return;
	}
	for (size_t i = 1; i < count; i++) {
		struct keyed_line k = keyed[i];
		size_t j = i;
		for (; j > 0 && compare_keyed_lines(&keyed[j - 1], &k) > 0; j--)
			keyed[j] = keyed[j - 1];
		keyed[j] = k;
	}
}

/* Marks the copies among one order's lines: in raw hash order (file order within), a
 * line is a copy when an earlier line of its hash that is no copy holds its values. */
static void mark_copies(struct line_set *set, struct keyed_line *keyed, size_t count)
{
	sort_keyed_lines(keyed, count);
	for (size_t run = 0, end; run < count; run = end) {
		for (end = run + 1; end < count && keyed[end].raw_hash == keyed[run].raw_hash; end++)
			;
		for (size_t j = run + 1; j < end; j++) {
			struct order_line *l = &set->line[keyed[j].line];
			for (size_t i = run; i < j; i++) {
				const struct order_line *first = &set->line[keyed[i].line];
				if (first->kind != LINE_DUPLICATE && same_values(set, first, l)) {
					l->kind = LINE_DUPLICATE;
					break;
				}
			}
		}
	}
}

void order_lines_remove_duplicates(struct line_set *set, struct dq_log *log)
{
	struct line_groups orders;
	line_groups_build(&orders, set, offsetof(struct order_line, order_id), 0);
	size_t largest = line_groups_largest(&orders);
	struct keyed_line *keyed = xmalloc(largest * sizeof *keyed);
	for (uint32_t h = 0; h < orders.handles; h++) {
		uint32_t from = orders.start[h], to = orders.start[h + 1];
		if (to - from < 2)
			continue;
		for (uint32_t k = from; k < to; k++)
			keyed[k - from] = (struct keyed_line){set->raw_hash[orders.lines[k]],
							       orders.lines[k]};
		mark_copies(set, keyed, to - from);
	}
	free(keyed);
	line_groups_free(&orders);
	free(set->raw_hash);
	set->raw_hash = NULL;
	for (size_t i = 0; i < set->count; i++) /* counted in file order */
		if (set->line[i].kind == LINE_DUPLICATE)
			line_dq_count(log, DQ_DUPLICATE_LINE, set, &set->line[i]);
}

static uint32_t handle_at(const struct order_line *l, size_t field_offset)
{
	uint32_t h;
	memcpy(&h, (const char *)l + field_offset, sizeof h);
	return h;
}

void line_groups_build(struct line_groups *groups, const struct line_set *set,
		       size_t field_offset, int items_only)
{
	uint32_t handles = set->pool.count;
	uint32_t *start = xcalloc((size_t)handles + 1, sizeof *start);
	assert(set->count < UINT32_MAX);
	for (size_t i = 0; i < set->count; i++) {
		const struct order_line *l = &set->line[i];
		uint32_t h = handle_at(l, field_offset);
		if (line_is_kept(l) && (!items_only || l->kind == LINE_ITEM) && h)
			start[h + 1]++;
	}
	for (uint32_t h = 0; h < handles; h++)
		start[h + 1] += start[h];
	uint32_t *next = xmalloc(((size_t)handles + 1) * sizeof *next);
	memcpy(next, start, ((size_t)handles + 1) * sizeof *next);
	uint32_t *lines = xmalloc(((size_t)start[handles] + 1) * sizeof *lines);
	for (size_t i = 0; i < set->count; i++) {
		const struct order_line *l = &set->line[i];
		uint32_t h = handle_at(l, field_offset);
		if (line_is_kept(l) && (!items_only || l->kind == LINE_ITEM) && h)
			lines[next[h]++] = (uint32_t)i;
	}
	free(next);
	groups->start = start;
	groups->lines = lines;
	groups->handles = handles;
}

size_t line_groups_largest(const struct line_groups *groups)
{
	size_t largest = 1;
	for (uint32_t h = 0; h < groups->handles; h++)
		if (groups->start[h + 1] - groups->start[h] > largest)
			largest = groups->start[h + 1] - groups->start[h];
	return largest;
}

void line_groups_free(struct line_groups *groups)
{
	free(groups->start);
	free(groups->lines);
	memset(groups, 0, sizeof *groups);
}
