/* purchase_history: takes completed purchases from the order book into dense arrays
 * (see purchase_history.h), and groups them by customer.
 *
 * The book numbers products and customers in id order already; the history keeps the
 * subset it needs (the catalogue and what sold; the customers table and every customer
 * with an order) in the same order, so only a renumbering map is needed. */
#include "model/purchase_history.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
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

/* Writes value (below 10^width) as width digits, zero-padded, as "%0*u" would. */
static void put_digits(char *out, unsigned value, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
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
	put_digits(out, (unsigned)(y % 10000) % 10000u, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m % 100u, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d % 100u, 2);
	out[10] = ' ';
	put_digits(out + 11, (unsigned)(rest / 3600) % 100u, 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(rest / 60 % 60) % 100u, 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(rest % 60) % 100u, 2);
	out[19] = '\0';
}

static void push_basket(struct purchase_history *h, size_t *cap, int32_t customer,
			int64_t time)
{
	if (h->basket_count == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		h->baskets = xreallocarray(h->baskets, *cap, sizeof *h->baskets);
	}
	assert(h->line_count <= UINT32_MAX);
	assert(h->basket_count < UINT32_MAX);
	h->baskets[h->basket_count++] =
		(struct basket){customer, time, (uint32_t)h->line_count, 0};
}

/* Adds a product new to the open basket. */
static void push_line(struct purchase_history *h, size_t *cap, int32_t product,
		      int32_t quantity)
{
	if (h->line_count == *cap) {
		*cap = *cap ? 2 * *cap : 16384;
		h->lines = xreallocarray(h->lines, *cap, sizeof *h->lines);
	}
	assert(h->line_count < UINT32_MAX);
	h->lines[h->line_count++] = (struct basket_line){product, quantity};
	h->baskets[h->basket_count - 1].line_count++;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- from the order book ---- */

/* A customer's segment for best-seller fallbacks: their RFM segment once `model
 * segments` has run (it runs first in `model all`), else their country. */
static const char customers_sql[] =
	"SELECT c.customer_id, coalesce(r.segment, c.country) FROM customers c"
	" LEFT JOIN customer_rfm r USING (customer_id) ORDER BY c.customer_id";

/* Whether a book line is a purchase: of a completed order, with a positive quantity
 * (the book keeps only unflagged lines). */
static int is_purchase(const struct book_order *o, const struct book_line *line)
{
	return o->completed && line->quantity > 0;
}

/* The products: the catalogue's (they have a name) and every product purchased, in the
 * book's id order; number_of[book product] receives each one's number, or -1. */
static void take_products(const struct order_book *book, struct purchase_history *h,
			  int32_t *number_of)
{
	unsigned char *kept = xcalloc(book->product_count + 1, 1);
	for (size_t p = 0; p < book->product_count; p++)
		kept[p] = book->product_names[p] != NULL;
	for (size_t o = 0; o < book->order_count; o++) {
		const struct book_order *order = &book->orders[o];
		for (uint32_t i = 0; i < order->line_count; i++) {
			const struct book_line *line = &book->lines[order->first_line + i];
			if (is_purchase(order, line))
				kept[line->product] = 1;
		}
	}
	size_t n = 0;
	for (size_t p = 0; p < book->product_count; p++)
		n += kept[p];
	h->product_count = n;
	h->product_ids = xmalloc((n + 1) * sizeof *h->product_ids);
	h->product_names = xmalloc((n + 1) * sizeof *h->product_names);
	h->product_categories = xmalloc((n + 1) * sizeof *h->product_categories);
	h->product_subcategories = xmalloc((n + 1) * sizeof *h->product_subcategories);
	n = 0;
	for (size_t p = 0; p < book->product_count; p++) {
		number_of[p] = kept[p] ? (int32_t)n : -1;
		if (!kept[p])
			continue;
		const char *name = book->product_names[p], *category = book->product_categories[p],
			   *sub = book->product_subcategories[p];
		h->product_ids[n] = xstrdup(book->product_ids[p]);
		h->product_names[n] = name ? xstrdup(name) : NULL;
		h->product_categories[n] = category ? xstrdup(category) : NULL;
		h->product_subcategories[n] = sub ? xstrdup(sub) : NULL;
		n++;
	}
	free(kept);
}

/* The customers of the customers table, in id order, with their segment or country. */
struct listed_customers {
	size_t n, cap;
	char **ids;
	char **segment; /* NULL when neither is known */
};

static int read_customers(sqlite3 *db, struct listed_customers *l, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, customers_sql, &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 1024;
			l->ids = xreallocarray(l->ids, l->cap, sizeof *l->ids);
			l->segment = xreallocarray(l->segment, l->cap, sizeof *l->segment);
		}
		const unsigned char *segment = sqlite3_column_text(stmt, 1);
		l->ids[l->n] = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		l->segment[l->n++] = segment ? xstrdup((const char *)segment) : NULL;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading customers");
}

/* Merges the listed customers with the book's (both in id order) into h; number_of[book
 * customer] receives each one's number. *segment_of gets each customer's segment text
 * (borrowed from l or the book), or NULL. */
static void merge_customers(const struct order_book *book, const struct listed_customers *l,
			    struct purchase_history *h, int32_t *number_of,
			    const char ***segment_of)
{
	size_t cap = l->n + book->customer_count + 1, n = 0, a = 0, b = 0;
	h->customer_ids = xmalloc(cap * sizeof *h->customer_ids);
	*segment_of = xmalloc(cap * sizeof **segment_of);
	while (a < l->n || b < book->customer_count) {
		int c = a == l->n ? 1 : b == book->customer_count
				? -1 : strcmp(l->ids[a], book->customer_ids[b]);
		const char *id = c <= 0 ? l->ids[a] : book->customer_ids[b];
		(*segment_of)[n] = c <= 0 ? l->segment[a] : NULL;
		h->customer_ids[n] = xstrdup(id);
		if (c >= 0)
			number_of[b++] = (int32_t)n;
		a += c <= 0;
		n++;
	}
	h->customer_count = n;
}

/* Numbers the distinct segments in byte order and sets each customer's. */
static void number_segments(struct purchase_history *h, const char **segment_of)
{
	size_t n = h->customer_count, segments = 0;
	const char **sorted = xmalloc((n + 1) * sizeof *sorted);
	for (size_t c = 0; c < n; c++)
		if (segment_of[c])
			sorted[segments++] = segment_of[c];
	qsort(sorted, segments, sizeof *sorted, compare_strings);
	h->segments = xmalloc((n + 1) * sizeof *h->segments);
	size_t distinct = 0;
	for (size_t i = 0; i < segments; i++)
		if (distinct == 0 || strcmp(h->segments[distinct - 1], sorted[i]) != 0)
			h->segments[distinct++] = xstrdup(sorted[i]);
	h->segment_count = distinct;
	h->customer_segment = xmalloc((n + 1) * sizeof *h->customer_segment);
	for (size_t c = 0; c < n; c++) {
		h->customer_segment[c] = -1;
		if (!segment_of[c])
			continue;
		char **found = bsearch(&segment_of[c], h->segments, distinct,
				       sizeof *h->segments, compare_strings);
		assert(found);
		h->customer_segment[c] = (int32_t)(found - h->segments);
	}
	free(sorted);
}

/* The baskets in order id order: one per completed order with a purchase, a product
 * bought twice in it one line with the quantities added up (each clamped to int32). A
 * customer without a segment takes the country of their first such order that has one. */
static void fill_baskets(const struct order_book *book, const int32_t *product_number,
			 const int32_t *customer_number, const char **segment_of,
			 struct purchase_history *h)
{
	size_t basket_cap = 0, line_cap = 0;
	/* per product: the basket it was last put in (+ 1) and its line there */
	uint32_t *in_basket = xcalloc(h->product_count + 1, sizeof *in_basket);
	uint32_t *at_line = xmalloc((h->product_count + 1) * sizeof *at_line);
	for (size_t o = 0; o < book->order_count; o++) {
		const struct book_order *order = &book->orders[o];
		int opened = 0;
		for (uint32_t i = 0; i < order->line_count; i++) {
			const struct book_line *line = &book->lines[order->first_line + i];
			if (!is_purchase(order, line))
				continue;
			if (!opened) {
				int32_t c = order->customer >= 0 ? customer_number[order->customer] : -1;
				if (c >= 0 && !segment_of[c] && order->country >= 0)
					segment_of[c] = book->countries[order->country];
				push_basket(h, &basket_cap, c, order->time);
				opened = 1;
			}
			int32_t p = product_number[line->product];
			int32_t q = line->quantity > INT32_MAX ? INT32_MAX : (int32_t)line->quantity;
			if (in_basket[p] == h->basket_count) {
				struct basket_line *same = &h->lines[at_line[p]];
				int64_t sum = (int64_t)same->quantity + q;
				same->quantity = sum > INT32_MAX ? INT32_MAX : (int32_t)sum;
				continue;
			}
			in_basket[p] = (uint32_t)h->basket_count;
			at_line[p] = (uint32_t)h->line_count;
			push_line(h, &line_cap, p, q);
		}
	}
	free(in_basket);
	free(at_line);
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

int purchase_history_build(sqlite3 *db, const struct order_book *book,
			   struct purchase_history *h, struct error *err)
{
	memset(h, 0, sizeof *h);
	struct listed_customers listed = {0};
	int rc = read_customers(db, &listed, err);
	if (rc == 0) {
		int32_t *product_number = xmalloc((book->product_count + 1) * sizeof *product_number);
		int32_t *customer_number = xmalloc((book->customer_count + 1) *
						   sizeof *customer_number);
		const char **segment_of;
		take_products(book, h, product_number);
		merge_customers(book, &listed, h, customer_number, &segment_of);
		fill_baskets(book, product_number, customer_number, segment_of, h);
		number_segments(h, segment_of);
		order_baskets_by_time(h);
		free(segment_of);
		free(product_number);
		free(customer_number);
	}
	for (size_t i = 0; i < listed.n; i++) {
		free(listed.ids[i]);
		free(listed.segment[i]);
	}
	free(listed.ids);
	free(listed.segment);
	return rc;
}

int purchase_history_load(sqlite3 *db, struct purchase_history *h, struct error *err)
{
	struct order_book book;
	memset(h, 0, sizeof *h);
	int rc = order_book_load(db, &book, err);
	if (rc < 0)
		return rc;
	rc = purchase_history_build(db, &book, h, err);
	order_book_free(&book);
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
