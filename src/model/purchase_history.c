/* purchase_history: reads completed purchases from the typed tables into dense arrays
 * (see purchase_history.h), and groups them by customer.
 *
 * Ids are interned through a hash table while rows stream in, in whatever order they
 * come; at the end products and customers are sorted by id and every reference is
 * renumbered, so numbering never depends on the order of the rows. */
#include "model/purchase_history.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/text_tokens.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* ---- shop times ---- */

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return 0;
}

int shop_time_parse(const char *text, int64_t *seconds)
{
	int y, mo, d, hh = 0, mm = 0, ss = 0;
	size_t len = text ? strlen(text) : 0;
	if (len < 10 || digits(text, 4, &y) || text[4] != '-' || digits(text + 5, 2, &mo) ||
	    text[7] != '-' || digits(text + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (len > 10 && (len < 19 || (text[10] != ' ' && text[10] != 'T') ||
			 digits(text + 11, 2, &hh) || text[13] != ':' ||
			 digits(text + 14, 2, &mm) || text[16] != ':' || digits(text + 17, 2, &ss)))
		return -1;
	*seconds = days_from_civil(y, mo, d) * SECONDS_PER_DAY + hh * 3600 + mm * 60 + ss;
	return 0;
}

void shop_time_format(int64_t seconds, char out[20])
{
	int64_t days = seconds >= 0 ? seconds / SECONDS_PER_DAY
				    : -((-seconds + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
	int64_t rest = seconds - days * SECONDS_PER_DAY;
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp + (mp < 10 ? 3 : -9);
	int64_t y = yoe + era * 400 + (m <= 2);
	/* every field reduced to its digits, so the text always fits */
	snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)(y % 10000) % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(rest / 3600) % 100u,
		 (unsigned)(rest / 60 % 60) % 100u, (unsigned)(rest % 60) % 100u);
}

/* ---- interning ids ---- */

/* Ids seen so far, numbered in order of arrival, with an open-addressing hash table. */
struct id_table {
	char **ids;      /* count ids, by number */
	char **extra;    /* one owned string per id (name, country), or NULL */
	size_t count;    /* ids interned */
	size_t cap;      /* ids allocated */
	int32_t *slots;  /* slot_count slots: an id's number, or -1 when empty */
	size_t slot_count; /* a power of two, at least twice count */
};

static uint64_t id_hash(const char *id)
{
	return text_hash_finish(text_hash_update(TEXT_HASH_START, id, strlen(id)));
}

static void id_table_rehash(struct id_table *t, size_t slot_count)
{
	free(t->slots);
	t->slot_count = slot_count;
	t->slots = xmalloc(slot_count * sizeof *t->slots);
	memset(t->slots, 0xff, slot_count * sizeof *t->slots);
	for (size_t i = 0; i < t->count; i++) {
		size_t s = id_hash(t->ids[i]) & (slot_count - 1);
		while (t->slots[s] >= 0)
			s = (s + 1) & (slot_count - 1);
		t->slots[s] = (int32_t)i;
	}
}

/* Returns the number of id, interning it when new (*added set to 1). */
static int32_t id_table_intern(struct id_table *t, const char *id, int *added)
{
	if (2 * (t->count + 1) > t->slot_count)
		id_table_rehash(t, t->slot_count ? 2 * t->slot_count : 1024);
	size_t s = id_hash(id) & (t->slot_count - 1);
	for (; t->slots[s] >= 0; s = (s + 1) & (t->slot_count - 1))
		if (strcmp(t->ids[t->slots[s]], id) == 0) {
			*added = 0;
			return t->slots[s];
		}
	assert(t->count < INT32_MAX);
	if (t->count == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->ids = xreallocarray(t->ids, t->cap, sizeof *t->ids);
		t->extra = xreallocarray(t->extra, t->cap, sizeof *t->extra);
	}
	t->ids[t->count] = xstrdup(id);
	t->extra[t->count] = NULL;
	t->slots[s] = (int32_t)t->count;
	*added = 1;
	return (int32_t)t->count++;
}

static void id_table_free(struct id_table *t)
{
	for (size_t i = 0; i < t->count; i++) {
		free(t->ids[i]);
		free(t->extra[i]);
	}
	free(t->ids);
	free(t->extra);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

static void set_text(char **slot, const unsigned char *text)
{
	free(*slot);
	*slot = text ? xstrdup((const char *)text) : NULL;
}

/* The ids sorted: sets order[rank] = number and rank_of[number] = rank. */
static const struct id_table *sorting_table;

static int compare_numbers_by_id(const void *a, const void *b)
{
	return strcmp(sorting_table->ids[*(const int32_t *)a],
		      sorting_table->ids[*(const int32_t *)b]);
}

static int32_t *sorted_order(const struct id_table *t, int32_t **rank_of)
{
	int32_t *order = xmalloc((t->count + 1) * sizeof *order);
	*rank_of = xmalloc((t->count + 1) * sizeof **rank_of);
	for (size_t i = 0; i < t->count; i++)
		order[i] = (int32_t)i;
	sorting_table = t;
	qsort(order, t->count, sizeof *order, compare_numbers_by_id);
	sorting_table = NULL;
	for (size_t r = 0; r < t->count; r++)
		(*rank_of)[order[r]] = (int32_t)r;
	return order;
}

/* ---- loading ---- */

static const char products_sql[] =
	"SELECT product_id, name, category, subcategory FROM products";
/* A customer's segment for best-seller fallbacks: their RFM segment once `model
 * segments` has run (it runs first in `model all`), else their country. */
static const char customers_sql[] =
	"SELECT c.customer_id, coalesce(r.segment, c.country) FROM customers c"
	" LEFT JOIN customer_rfm r USING (customer_id)"
	" UNION ALL SELECT DISTINCT customer_id, NULL FROM orders WHERE customer_id IS NOT NULL";
/* Orders and their lines are read as a merge of two scans in order id order, each in
 * the order its table is stored: no line seeks its order (a join doing so, or walking
 * orders by time and seeking their lines, was 4 to 30 times slower on 10 million
 * lines). Baskets are put in time order afterwards. */
static const char orders_sql[] =
	"SELECT order_id, customer_id, order_time, country FROM orders"
	" WHERE status = 'completed' ORDER BY order_id";
static const char items_sql[] =
	"SELECT order_id, product_id, quantity FROM order_items"
	" WHERE flags = 0 AND quantity > 0 ORDER BY order_id";

/* What loading keeps until the ids are sorted. */
struct history_loader {
	struct id_table products;   /* extra: name */
	char **categories;          /* per product number (grows with products.cap) */
	char **subcategories;
	size_t meta_cap;            /* entries allocated in categories and subcategories */
	struct id_table customers;  /* extra: country */
};

static void grow_product_meta(struct history_loader *l)
{
	if (l->products.count <= l->meta_cap)
		return;
	size_t cap = l->products.cap;
	l->categories = xreallocarray(l->categories, cap, sizeof *l->categories);
	l->subcategories = xreallocarray(l->subcategories, cap, sizeof *l->subcategories);
	for (size_t i = l->meta_cap; i < cap; i++)
		l->categories[i] = l->subcategories[i] = NULL;
	l->meta_cap = cap;
}

static int read_products(sqlite3 *db, struct history_loader *l, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, products_sql, &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc, added;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int32_t p = id_table_intern(&l->products,
					    (const char *)sqlite3_column_text(stmt, 0), &added);
		grow_product_meta(l);
		set_text(&l->products.extra[p], sqlite3_column_text(stmt, 1));
		set_text(&l->categories[p], sqlite3_column_text(stmt, 2));
		set_text(&l->subcategories[p], sqlite3_column_text(stmt, 3));
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading products");
}

static int read_customers(sqlite3 *db, struct history_loader *l, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, customers_sql, &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc, added;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int32_t c = id_table_intern(&l->customers,
					    (const char *)sqlite3_column_text(stmt, 0), &added);
		if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
			set_text(&l->customers.extra[c], sqlite3_column_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading customers");
}

static void push_basket(struct purchase_history *h, size_t *cap, int32_t customer,
			int64_t time)
{
	if (h->basket_count == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		h->baskets = xreallocarray(h->baskets, *cap, sizeof *h->baskets);
	}
	assert(h->line_count <= UINT32_MAX);
	h->baskets[h->basket_count++] =
		(struct basket){customer, time, (uint32_t)h->line_count, 0};
}

/* Adds a product to the open basket, adding quantities when it is already there. */
static void push_line(struct purchase_history *h, size_t *cap, int32_t product,
		      int64_t quantity)
{
	struct basket *b = &h->baskets[h->basket_count - 1];
	int32_t q = quantity > INT32_MAX ? INT32_MAX : (int32_t)quantity;
	for (uint32_t i = 0; i < b->line_count; i++) {
		struct basket_line *line = &h->lines[b->first_line + i];
		if (line->product == product) {
			int64_t sum = (int64_t)line->quantity + q;
			line->quantity = sum > INT32_MAX ? INT32_MAX : (int32_t)sum;
			return;
		}
	}
	if (h->line_count == *cap) {
		*cap = *cap ? 2 * *cap : 16384;
		h->lines = xreallocarray(h->lines, *cap, sizeof *h->lines);
	}
	assert(h->line_count < UINT32_MAX);
	h->lines[h->line_count++] = (struct basket_line){product, q};
	b->line_count++;
}

/* Compares column 0 of two statements as SQLite's BINARY collation does. */
static int compare_order_ids(sqlite3_stmt *a, sqlite3_stmt *b)
{
	const void *x = sqlite3_column_text(a, 0), *y = sqlite3_column_text(b, 0);
	int nx = sqlite3_column_bytes(a, 0), ny = sqlite3_column_bytes(b, 0);
	int c = memcmp(x, y, (size_t)(nx < ny ? nx : ny));
	return c ? c : nx - ny;
}

/* Opens a basket for the completed order at the orders cursor. */
static int open_basket(sqlite3_stmt *order, struct history_loader *l,
		       struct purchase_history *h, size_t *basket_cap, struct error *err)
{
	const char *time_text = (const char *)sqlite3_column_text(order, 2);
	int64_t time;
	if (shop_time_parse(time_text, &time) < 0)
		return error_set(err, ERR_INPUT, "order %s: time '%s' is not YYYY-MM-DD HH:MM:SS",
				 (const char *)sqlite3_column_text(order, 0),
				 time_text ? time_text : "");
	int32_t customer = -1;
	int added;
	if (sqlite3_column_type(order, 1) != SQLITE_NULL) {
		customer = id_table_intern(&l->customers,
					   (const char *)sqlite3_column_text(order, 1), &added);
		/* a customer without a country takes the first one of their orders read */
		const unsigned char *country = sqlite3_column_text(order, 3);
		if (country && !l->customers.extra[customer])
			set_text(&l->customers.extra[customer], country);
	}
	push_basket(h, basket_cap, customer, time);
	return 0;
}

static int read_lines(sqlite3 *db, struct history_loader *l, struct purchase_history *h,
		      struct error *err)
{
	sqlite3_stmt *order = NULL, *item = NULL;
	if (db_prepare(db, orders_sql, &order, err) < 0 ||
	    db_prepare(db, items_sql, &item, err) < 0) {
		sqlite3_finalize(order);
		return ERR_SYSTEM;
	}
	size_t basket_cap = 0, line_cap = 0;
	int order_rc = sqlite3_step(order), item_rc, added, rc = 0;
	int basket_open = 0; /* the order at the cursor has its basket */
	while (rc == 0 && (item_rc = sqlite3_step(item)) == SQLITE_ROW) {
		int c = -1;
		while (order_rc == SQLITE_ROW && (c = compare_order_ids(order, item)) < 0) {
			order_rc = sqlite3_step(order);
			basket_open = 0;
		}
		if (order_rc != SQLITE_ROW || c > 0)
			continue; /* a line of an order that is not completed */
		if (!basket_open && (rc = open_basket(order, l, h, &basket_cap, err)) < 0)
			break;
		basket_open = 1;
		int32_t product = id_table_intern(
			&l->products, (const char *)sqlite3_column_text(item, 1), &added);
		grow_product_meta(l);
		push_line(h, &line_cap, product, sqlite3_column_int64(item, 2));
	}
	if (rc == 0 && item_rc != SQLITE_DONE)
		rc = db_fail(db, err, "reading order lines");
	if (rc == 0 && order_rc != SQLITE_ROW && order_rc != SQLITE_DONE)
		rc = db_fail(db, err, "reading orders");
	sqlite3_finalize(order);
	sqlite3_finalize(item);
	return rc;
}

static const struct basket *sorting_baskets;

static int compare_basket_numbers(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int64_t tx = sorting_baskets[x].time, ty = sorting_baskets[y].time;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return (x > y) - (x < y); /* equal times: in order id order */
}

/* Puts the baskets, and their lines with them, in time order. Memory at the peak is the
 * lines twice and the baskets once: the lines are copied first, then the baskets. */
static void order_baskets_by_time(struct purchase_history *h)
{
	size_t n = h->basket_count;
	/* give back what doubling the arrays left unused */
	h->baskets = xreallocarray(h->baskets, n + 1, sizeof *h->baskets);
	h->lines = xreallocarray(h->lines, h->line_count + 1, sizeof *h->lines);
	int sorted = 1;
	for (size_t b = 1; b < n && sorted; b++)
		sorted = h->baskets[b - 1].time <= h->baskets[b].time;
	if (sorted)
		return;
	uint32_t *order = xmalloc(n * sizeof *order);
	for (size_t b = 0; b < n; b++)
		order[b] = (uint32_t)b;
	sorting_baskets = h->baskets;
	qsort(order, n, sizeof *order, compare_basket_numbers);
	sorting_baskets = NULL;
	struct basket_line *lines = xmalloc((h->line_count + 1) * sizeof *lines);
	uint32_t next = 0;
	for (size_t b = 0; b < n; b++) {
		const struct basket *k = &h->baskets[order[b]];
		memcpy(lines + next, h->lines + k->first_line, k->line_count * sizeof *lines);
		next += k->line_count;
	}
	free(h->lines);
	h->lines = lines;
	struct basket *baskets = xmalloc((n + 1) * sizeof *baskets);
	next = 0;
	for (size_t b = 0; b < n; b++) {
		baskets[b] = h->baskets[order[b]];
		baskets[b].first_line = next;
		next += baskets[b].line_count;
	}
	free(h->baskets);
	free(order);
	h->baskets = baskets;
}

/* Moves interned products into h in id order and renumbers the lines. */
static void settle_products(struct history_loader *l, struct purchase_history *h)
{
	int32_t *rank_of, *order = sorted_order(&l->products, &rank_of);
	size_t n = l->products.count;
	h->product_count = n;
	h->product_ids = xmalloc((n + 1) * sizeof *h->product_ids);
	h->product_names = xmalloc((n + 1) * sizeof *h->product_names);
	h->product_categories = xmalloc((n + 1) * sizeof *h->product_categories);
	h->product_subcategories = xmalloc((n + 1) * sizeof *h->product_subcategories);
	for (size_t r = 0; r < n; r++) {
		int32_t p = order[r];
		h->product_ids[r] = l->products.ids[p];
		h->product_names[r] = l->products.extra[p];
		h->product_categories[r] = l->categories[p];
		h->product_subcategories[r] = l->subcategories[p];
		l->products.ids[p] = l->products.extra[p] = NULL;
		l->categories[p] = l->subcategories[p] = NULL;
	}
	for (size_t i = 0; i < h->line_count; i++)
		h->lines[i].product = rank_of[h->lines[i].product];
	free(order);
	free(rank_of);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Moves interned customers into h in id order, with their segments (RFM segment or
 * country). */
static void settle_customers(struct history_loader *l, struct purchase_history *h)
{
	int32_t *rank_of, *order = sorted_order(&l->customers, &rank_of);
	size_t n = l->customers.count, segments = 0;
	h->customer_count = n;
	h->customer_ids = xmalloc((n + 1) * sizeof *h->customer_ids);
	h->customer_segment = xmalloc((n + 1) * sizeof *h->customer_segment);
	h->segments = xmalloc((n + 1) * sizeof *h->segments);
	for (size_t i = 0; i < n; i++)
		if (l->customers.extra[i])
			h->segments[segments++] = l->customers.extra[i];
	qsort(h->segments, segments, sizeof *h->segments, compare_strings);
	size_t distinct = 0;
	for (size_t i = 0; i < segments; i++)
		if (distinct == 0 || strcmp(h->segments[distinct - 1], h->segments[i]) != 0)
			h->segments[distinct++] = xstrdup(h->segments[i]);
	h->segment_count = distinct;
	for (size_t r = 0; r < n; r++) {
		int32_t c = order[r];
		const char *country = l->customers.extra[c];
		h->customer_ids[r] = l->customers.ids[c];
		l->customers.ids[c] = NULL;
		h->customer_segment[r] = -1;
		if (country) {
			char **found = bsearch(&country, h->segments, distinct,
					       sizeof *h->segments, compare_strings);
			assert(found);
			h->customer_segment[r] = (int32_t)(found - h->segments);
		}
	}
	for (size_t i = 0; i < h->basket_count; i++)
		if (h->baskets[i].customer >= 0)
			h->baskets[i].customer = rank_of[h->baskets[i].customer];
	free(order);
	free(rank_of);
}

int purchase_history_load(sqlite3 *db, struct purchase_history *h, struct error *err)
{
	struct history_loader l;
	memset(&l, 0, sizeof l);
	memset(h, 0, sizeof *h);
	int rc = read_products(db, &l, err);
	if (rc == 0)
		rc = read_customers(db, &l, err);
	if (rc == 0)
		rc = read_lines(db, &l, h, err);
	if (rc == 0) {
		order_baskets_by_time(h);
		settle_products(&l, h);
		settle_customers(&l, h);
	} else {
		purchase_history_free(h);
	}
	for (size_t i = 0; i < l.meta_cap; i++) {
		free(l.categories[i]);
		free(l.subcategories[i]);
	}
	free(l.categories);
	free(l.subcategories);
	id_table_free(&l.products);
	id_table_free(&l.customers);
	return rc;
}

static void free_strings(char **strings, size_t count)
{
	for (size_t i = 0; strings && i < count; i++)
		free(strings[i]);
	free(strings);
}

void purchase_history_free(struct purchase_history *h)
{
	free_strings(h->product_ids, h->product_count);
	free_strings(h->product_names, h->product_count);
	free_strings(h->product_categories, h->product_count);
	free_strings(h->product_subcategories, h->product_count);
	free_strings(h->customer_ids, h->customer_count);
	free_strings(h->segments, h->segment_count);
	free(h->customer_segment);
	free(h->baskets);
	free(h->lines);
	memset(h, 0, sizeof *h);
}

static int32_t find_id(char *const *ids, size_t count, const char *id)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ids[mid], id);
		if (c == 0)
			return (int32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int32_t purchase_history_find_product(const struct purchase_history *h, const char *id)
{
	return find_id(h->product_ids, h->product_count, id);
}

int32_t purchase_history_find_customer(const struct purchase_history *h, const char *id)
{
	return find_id(h->customer_ids, h->customer_count, id);
}

size_t purchase_history_baskets_before(const struct purchase_history *h, int64_t time)
{
	size_t lo = 0, hi = h->basket_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->baskets[mid].time < time)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- per customer ---- */

/* Grouping is a counting sort: lines are bucketed by product, then dealt to customers
 * product by product, so each customer's list comes out ordered by product with a
 * product's repeat purchases side by side, ready to merge, and no sorting is needed.
 * A first pass counts each customer's distinct products, so memory is what is kept. */
void customer_histories_build(const struct purchase_history *h, size_t basket_limit,
			      struct customer_histories *out)
{
	assert(basket_limit <= h->basket_count);
	size_t n = h->customer_count, products = h->product_count;
	out->customer_count = n;
	out->start = xcalloc(n + 1, sizeof *out->start);
	out->basket_count = xcalloc(n + 1, sizeof *out->basket_count);
	out->last_time = xmalloc((n + 1) * sizeof *out->last_time);
	for (size_t c = 0; c < n; c++)
		out->last_time[c] = INT64_MIN;
	/* baskets per customer, lines per product */
	uint32_t *by_product = xcalloc(products + 2, sizeof *by_product);
	size_t lines = 0;
	for (size_t b = 0; b < basket_limit; b++) {
		const struct basket *k = &h->baskets[b];
		if (k->customer < 0)
			continue;
		out->basket_count[k->customer]++;
		out->last_time[k->customer] = k->time;
		lines += k->line_count;
		for (uint32_t i = 0; i < k->line_count; i++)
			by_product[h->lines[k->first_line + i].product + 2]++;
	}
	for (size_t p = 0; p < products; p++)
		by_product[p + 2] += by_product[p + 1];
	/* (basket, line) references bucketed by product, baskets in time order */
	uint32_t *refs = xmalloc((lines + 1) * sizeof *refs);
	for (size_t b = 0; b < basket_limit; b++) {
		const struct basket *k = &h->baskets[b];
		if (k->customer < 0)
			continue;
		for (uint32_t i = 0; i < k->line_count; i++)
			refs[by_product[h->lines[k->first_line + i].product + 1]++] =
				k->first_line + i;
	}
	/* each line needs its basket: a line-to-basket map over the prefix */
	uint32_t line_end = basket_limit ? h->baskets[basket_limit - 1].first_line +
						   h->baskets[basket_limit - 1].line_count
					 : 0;
	uint32_t *basket_of = xmalloc(((size_t)line_end + 1) * sizeof *basket_of);
	for (size_t b = 0; b < basket_limit; b++)
		for (uint32_t i = 0; i < h->baskets[b].line_count; i++)
			basket_of[h->baskets[b].first_line + i] = (uint32_t)b;
	/* count each customer's distinct products, so their lists are allocated exactly */
	int32_t *last_product = xmalloc((n + 1) * sizeof *last_product);
	for (size_t c = 0; c < n; c++)
		last_product[c] = -1;
	for (size_t r = 0; r < lines; r++) {
		int32_t c = h->baskets[basket_of[refs[r]]].customer;
		int32_t p = h->lines[refs[r]].product;
		if (last_product[c] != p) {
			last_product[c] = p;
			out->start[c + 1]++;
		}
	}
	free(last_product);
	for (size_t c = 0; c < n; c++)
		out->start[c + 1] += out->start[c];
	uint32_t *fill = xmalloc((n + 1) * sizeof *fill);
	memcpy(fill, out->start, (n + 1) * sizeof *fill);
	out->items = xmalloc(((size_t)out->start[n] + 1) * sizeof *out->items);
	for (size_t r = 0; r < lines; r++) {
		const struct basket_line *line = &h->lines[refs[r]];
		const struct basket *k = &h->baskets[basket_of[refs[r]]];
		int32_t c = k->customer;
		struct owned_product *last = fill[c] > out->start[c] ? &out->items[fill[c] - 1] : NULL;
		if (last && last->product == line->product) {
			last->orders++;
			last->quantity += line->quantity;
			last->last_time = k->time; /* baskets come in time order */
		} else {
			out->items[fill[c]++] =
				(struct owned_product){line->product, 1, line->quantity, k->time};
		}
	}
	for (size_t c = 0; c < n; c++)
		assert(fill[c] == out->start[c + 1]);
	free(fill);
	free(basket_of);
	free(refs);
	free(by_product);
}

void customer_histories_free(struct customer_histories *ch)
{
	free(ch->start);
	free(ch->items);
	free(ch->basket_count);
	free(ch->last_time);
	memset(ch, 0, sizeof *ch);
}

int customer_owns(const struct customer_histories *ch, int32_t c, int32_t p)
{
	assert(c >= 0 && (size_t)c < ch->customer_count);
	uint32_t lo = ch->start[c], hi = ch->start[c + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ch->items[mid].product == p)
			return 1;
		if (ch->items[mid].product < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
