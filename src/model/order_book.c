/* order_book: reads orders and their unflagged lines into dense arrays (see
 * order_book.h), and lends the book to the model steps of a run.
 *
 * Ids are interned through a hash table while rows stream in, in whatever order they
 * come; at the end products and customers are sorted by id and every reference is
 * renumbered, so numbering never depends on the order of the rows. */
#include "model/order_book.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/model_days.h"
#include "model/text_tokens.h"
#include "util/xalloc.h"

/* ---- interning ids ---- */

/* Ids seen so far, numbered in order of arrival, with an open-addressing hash table. */
struct id_table {
	char **ids;        /* count ids, by number */
	size_t count;      /* ids interned */
	size_t cap;        /* ids allocated */
	int32_t *slots;    /* slot_count slots: an id's number, or -1 when empty */
	size_t slot_count; /* a power of two, at least twice count */
};

/* Ids are short: they are hashed eight bytes at a time (the hash decides only where an
 * id sits in the table, never its number). */
static uint64_t id_hash(const char *id, size_t len)
{
	uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15ULL, word;
	for (; len >= 8; id += 8, len -= 8) {
		memcpy(&word, id, 8);
		h = (h ^ word) * 0x100000001b3ULL;
	}
	word = 0;
	memcpy(&word, id, len);
	return text_hash_finish(h ^ word);
}

static void id_table_rehash(struct id_table *t, size_t slot_count)
{
	free(t->slots);
	t->slot_count = slot_count;
	t->slots = xmalloc(slot_count * sizeof *t->slots);
	memset(t->slots, 0xff, slot_count * sizeof *t->slots);
	for (size_t i = 0; i < t->count; i++) {
		size_t s = id_hash(t->ids[i], strlen(t->ids[i])) & (slot_count - 1);
		while (t->slots[s] >= 0)
			s = (s + 1) & (slot_count - 1);
		t->slots[s] = (int32_t)i;
	}
}

/* Returns the number of id (a string of len bytes), interning it when new. */
static int32_t id_table_intern(struct id_table *t, const char *id, size_t len)
{
	assert(strlen(id) == len);
	if (2 * (t->count + 1) > t->slot_count)
		id_table_rehash(t, t->slot_count ? 2 * t->slot_count : 1024);
	size_t s = id_hash(id, len) & (t->slot_count - 1);
	for (; t->slots[s] >= 0; s = (s + 1) & (t->slot_count - 1))
		if (strcmp(t->ids[t->slots[s]], id) == 0)
			return t->slots[s];
	assert(t->count < INT32_MAX);
	if (t->count == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->ids = xreallocarray(t->ids, t->cap, sizeof *t->ids);
	}
	char *copy = xmalloc(len + 1);
	memcpy(copy, id, len);
	copy[len] = '\0';
	t->ids[t->count] = copy;
	t->slots[s] = (int32_t)t->count;
	return (int32_t)t->count++;
}

/* Interns column col of stmt as a string (ids are compared as C strings everywhere). */
static int32_t intern_column(struct id_table *t, sqlite3_stmt *stmt, int col)
{
	const char *text = (const char *)sqlite3_column_text(stmt, col);
	return text ? id_table_intern(t, text, strlen(text)) : id_table_intern(t, "", 0);
}

/* Hands the ids over (the caller frees them) and frees the table. */
static char **id_table_take(struct id_table *t)
{
	char **ids = t->ids ? t->ids : xmalloc(sizeof *ids);
	free(t->slots);
	memset(t, 0, sizeof *t);
	return ids;
}

/* ---- loading ---- */

/* What loading keeps until the ids are sorted. */
struct book_loader {
	struct id_table products;
	char **names, **categories, **subcategories; /* per product number */
	size_t meta_cap;                             /* entries allocated in those three */
	struct id_table customers;
	struct id_table countries;
	size_t order_cap, line_cap;
};

static void grow_product_meta(struct book_loader *l)
{
	if (l->products.count <= l->meta_cap)
		return;
	size_t cap = l->products.cap;
	l->names = xreallocarray(l->names, cap, sizeof *l->names);
	l->categories = xreallocarray(l->categories, cap, sizeof *l->categories);
	l->subcategories = xreallocarray(l->subcategories, cap, sizeof *l->subcategories);
	for (size_t i = l->meta_cap; i < cap; i++)
		l->names[i] = l->categories[i] = l->subcategories[i] = NULL;
	l->meta_cap = cap;
}

static char *column_copy(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? xstrdup((const char *)text) : NULL;
}

static int read_products(sqlite3 *db, struct book_loader *l, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "SELECT product_id, name, category, subcategory FROM products",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int32_t p = intern_column(&l->products, stmt, 0);
		grow_product_meta(l);
		free(l->names[p]);
		free(l->categories[p]);
		free(l->subcategories[p]);
		l->names[p] = column_copy(stmt, 1);
		l->categories[p] = column_copy(stmt, 2);
		l->subcategories[p] = column_copy(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading products");
}

/* Orders and their lines, each table in order id order (see order_book.h). */
static const char orders_sql[] =
	"SELECT order_id, customer_id, order_time, status = 'completed', country, rowid"
	" FROM orders ORDER BY order_id";
static const char items_sql[] =
	"SELECT order_id, product_id, quantity, line_total_cents FROM order_items"
	" WHERE flags = 0 ORDER BY order_id";

/* An order id read from a statement's column 0 (valid until its next step). */
struct order_key {
	const void *text;
	int len;
};

static struct order_key order_key_of(sqlite3_stmt *stmt)
{
	const void *text = sqlite3_column_text(stmt, 0);
	return (struct order_key){text ? text : "", sqlite3_column_bytes(stmt, 0)};
}

/* Compares two order ids as SQLite's BINARY collation does. */
static int compare_order_ids(struct order_key a, struct order_key b)
{
	int c = memcmp(a.text, b.text, (size_t)(a.len < b.len ? a.len : b.len));
	return c ? c : a.len - b.len;
}

/* Appends the order at the orders cursor. */
static int push_order(sqlite3_stmt *order, struct book_loader *l, struct order_book *b,
		      struct error *err)
{
	const char *when = (const char *)sqlite3_column_text(order, 2);
	int64_t time;
	if (time_from_text(when, &time) < 0)
		return error_set(err, ERR_INPUT, "order %s: time '%s' is not YYYY-MM-DD HH:MM:SS",
				 (const char *)sqlite3_column_text(order, 0), when ? when : "");
	if (b->order_count == l->order_cap) {
		l->order_cap = l->order_cap ? 2 * l->order_cap : 4096;
		b->orders = xreallocarray(b->orders, l->order_cap, sizeof *b->orders);
	}
	assert(b->line_count <= UINT32_MAX);
	struct book_order *o = &b->orders[b->order_count++];
	o->time = time;
	o->rowid = sqlite3_column_int64(order, 5);
	o->customer = sqlite3_column_type(order, 1) == SQLITE_NULL
			      ? -1 : intern_column(&l->customers, order, 1);
	o->country = sqlite3_column_type(order, 4) == SQLITE_NULL
			     ? -1 : intern_column(&l->countries, order, 4);
	o->first_line = (uint32_t)b->line_count;
	o->line_count = 0;
	o->completed = (unsigned char)sqlite3_column_int(order, 3);
	return 0;
}

/* Appends the line at the items cursor to the last order. */
static void push_line(sqlite3_stmt *item, struct book_loader *l, struct order_book *b)
{
	if (b->line_count == l->line_cap) {
		l->line_cap = l->line_cap ? 2 * l->line_cap : 16384;
		b->lines = xreallocarray(b->lines, l->line_cap, sizeof *b->lines);
	}
	assert(b->line_count < UINT32_MAX);
	int32_t product = intern_column(&l->products, item, 1);
	grow_product_meta(l);
	b->lines[b->line_count++] = (struct book_line){sqlite3_column_int64(item, 2),
						       sqlite3_column_int64(item, 3), product};
	b->orders[b->order_count - 1].line_count++;
}

static int read_orders(sqlite3 *db, struct book_loader *l, struct order_book *b,
		       struct error *err)
{
	sqlite3_stmt *order = NULL, *item = NULL;
	if (db_prepare(db, orders_sql, &order, err) < 0 ||
	    db_prepare(db, items_sql, &item, err) < 0) {
		sqlite3_finalize(order);
		return ERR_SYSTEM;
	}
	int rc = 0, order_rc = SQLITE_DONE, item_rc = sqlite3_step(item);
	while (rc == 0 && (order_rc = sqlite3_step(order)) == SQLITE_ROW) {
		if ((rc = push_order(order, l, b, err)) < 0)
			break;
		struct order_key id = order_key_of(order);
		int c = -1;
		/* lines of orders not in the orders table are passed over */
		while (item_rc == SQLITE_ROW &&
		       (c = compare_order_ids(order_key_of(item), id)) <= 0) {
			if (c == 0)
				push_line(item, l, b);
			item_rc = sqlite3_step(item);
		}
	}
	if (rc == 0 && order_rc != SQLITE_DONE)
		rc = db_fail(db, err, "reading orders");
	if (rc == 0 && item_rc != SQLITE_ROW && item_rc != SQLITE_DONE)
		rc = db_fail(db, err, "reading order lines");
	sqlite3_finalize(order);
	sqlite3_finalize(item);
	return rc;
}

/* ---- numbering in id order ---- */

static char *const *sorting_ids;

static int compare_numbers_by_id(const void *a, const void *b)
{
	return strcmp(sorting_ids[*(const int32_t *)a], sorting_ids[*(const int32_t *)b]);
}

/* The ids' numbers in id order; rank_of[number] receives each one's rank. */
static int32_t *sorted_order(char *const *ids, size_t n, int32_t **rank_of)
{
	int32_t *order = xmalloc((n + 1) * sizeof *order);
	*rank_of = xmalloc((n + 1) * sizeof **rank_of);
	for (size_t i = 0; i < n; i++)
		order[i] = (int32_t)i;
	sorting_ids = ids;
	qsort(order, n, sizeof *order, compare_numbers_by_id);
	sorting_ids = NULL;
	for (size_t r = 0; r < n; r++)
		(*rank_of)[order[r]] = (int32_t)r;
	return order;
}

/* Puts strings[number] at strings[rank] (order from sorted_order). */
static char **permuted(char **strings, const int32_t *order, size_t n)
{
	char **out = xmalloc((n + 1) * sizeof *out);
	for (size_t r = 0; r < n; r++)
		out[r] = strings ? strings[order[r]] : NULL;
	return out;
}

static void settle_products(struct book_loader *l, struct order_book *b)
{
	size_t n = l->products.count;
	grow_product_meta(l);
	char **ids = id_table_take(&l->products);
	int32_t *rank_of, *order = sorted_order(ids, n, &rank_of);
	b->product_count = n;
	b->product_ids = permuted(ids, order, n);
	b->product_names = permuted(l->names, order, n);
	b->product_categories = permuted(l->categories, order, n);
	b->product_subcategories = permuted(l->subcategories, order, n);
	for (size_t i = 0; i < b->line_count; i++)
		b->lines[i].product = rank_of[b->lines[i].product];
	/* the strings now belong to the book */
	free(l->names);
	free(l->categories);
	free(l->subcategories);
	l->names = l->categories = l->subcategories = NULL;
	l->meta_cap = 0;
	free(ids);
	free(order);
	free(rank_of);
}

static void settle_customers(struct book_loader *l, struct order_book *b)
{
	size_t n = l->customers.count;
	char **ids = id_table_take(&l->customers);
	int32_t *rank_of, *order = sorted_order(ids, n, &rank_of);
	b->customer_count = n;
	b->customer_ids = permuted(ids, order, n);
	for (size_t i = 0; i < b->order_count; i++)
		if (b->orders[i].customer >= 0)
			b->orders[i].customer = rank_of[b->orders[i].customer];
	free(ids);
	free(order);
	free(rank_of);
}

static const struct book_order *sorting_orders;

/* Orders a customer's orders by time, then rowid. */
static int compare_customer_orders(const void *pa, const void *pb)
{
	const struct book_order *a = &sorting_orders[*(const uint32_t *)pa];
	const struct book_order *b = &sorting_orders[*(const uint32_t *)pb];
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return (a->rowid > b->rowid) - (a->rowid < b->rowid);
}

/* Sorts one customer's orders: by insertion when they are few (they arrive in order id
 * order, which is mostly time order already), else by qsort. */
static void sort_customer_orders(uint32_t *orders, size_t n)
{
	if (n > 32) {
		qsort(orders, n, sizeof *orders, compare_customer_orders);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t moving = orders[i];
		size_t j = i;
		for (; j > 0 && compare_customer_orders(&orders[j - 1], &moving) > 0; j--)
			orders[j] = orders[j - 1];
		orders[j] = moving;
	}
}

/* The customers' orders grouped by customer (a counting sort), each customer's oldest
 * first. */
static void index_by_customer(struct order_book *b)
{
	b->by_customer = xmalloc((b->order_count + 1) * sizeof *b->by_customer);
	b->customer_first = xcalloc(b->customer_count + 1, sizeof *b->customer_first);
	for (size_t i = 0; i < b->order_count; i++)
		if (b->orders[i].customer >= 0)
			b->customer_first[b->orders[i].customer + 1]++;
	for (size_t c = 0; c < b->customer_count; c++)
		b->customer_first[c + 1] += b->customer_first[c];
	uint32_t *fill = xmalloc((b->customer_count + 1) * sizeof *fill);
	memcpy(fill, b->customer_first, (b->customer_count + 1) * sizeof *fill);
	for (size_t i = 0; i < b->order_count; i++)
		if (b->orders[i].customer >= 0)
			b->by_customer[fill[b->orders[i].customer]++] = (uint32_t)i;
	free(fill);
	sorting_orders = b->orders;
	for (size_t c = 0; c < b->customer_count; c++)
		sort_customer_orders(b->by_customer + b->customer_first[c],
				     b->customer_first[c + 1] - b->customer_first[c]);
	sorting_orders = NULL;
	b->by_customer_count = b->customer_first[b->customer_count];
}

static void free_loader(struct book_loader *l)
{
	for (size_t i = 0; i < l->meta_cap; i++) {
		free(l->names[i]);
		free(l->categories[i]);
		free(l->subcategories[i]);
	}
	free(l->names);
	free(l->categories);
	free(l->subcategories);
	struct id_table *tables[] = {&l->products, &l->customers, &l->countries};
	for (size_t t = 0; t < 3; t++) {
		for (size_t i = 0; i < tables[t]->count; i++)
			free(tables[t]->ids[i]);
		free(tables[t]->ids);
		free(tables[t]->slots);
	}
}

int order_book_load(sqlite3 *db, struct order_book *book, struct error *err)
{
	struct book_loader l;
	memset(&l, 0, sizeof l);
	memset(book, 0, sizeof *book);
	int rc = read_products(db, &l, err);
	if (rc == 0)
		rc = read_orders(db, &l, book, err);
	if (rc == 0) {
		settle_products(&l, book);
		settle_customers(&l, book);
		book->country_count = l.countries.count;
		book->countries = id_table_take(&l.countries);
		index_by_customer(book);
	}
	free_loader(&l);
	if (rc < 0)
		order_book_free(book);
	return rc;
}

static void free_strings(char **strings, size_t count)
{
	for (size_t i = 0; strings && i < count; i++)
		free(strings[i]);
	free(strings);
}

void order_book_free(struct order_book *book)
{
	free(book->orders);
	free(book->lines);
	free_strings(book->product_ids, book->product_count);
	free_strings(book->product_names, book->product_count);
	free_strings(book->product_categories, book->product_count);
	free_strings(book->product_subcategories, book->product_count);
	free_strings(book->customer_ids, book->customer_count);
	free_strings(book->countries, book->country_count);
	free(book->by_customer);
	free(book->customer_first);
	memset(book, 0, sizeof *book);
}

const char *order_book_product_group(const struct order_book *book, size_t product)
{
	assert(product < book->product_count);
	const char *category = book->product_categories[product];
	const char *name = book->product_names[product];
	if (category && *category)
		return category;
	if (name && *name)
		return name;
	return book->product_ids[product];
}

/* ---- sharing ---- */

int model_book_borrow(sqlite3 *db, const struct model_options *opt,
		      const struct order_book **book, struct error *err)
{
	struct model_shared *shared = opt->shared;
	if (shared && shared->book_loaded) {
		*book = &shared->book;
		return 0;
	}
	struct order_book *b = shared ? &shared->book : xmalloc(sizeof *b);
	int rc = order_book_load(db, b, err);
	if (rc < 0) {
		if (!shared)
			free(b);
		*book = NULL;
		return rc;
	}
	if (shared)
		shared->book_loaded = 1;
	*book = b;
	return 0;
}

void model_book_return(const struct model_options *opt, const struct order_book *book)
{
	if (!book || opt->shared)
		return;
	struct order_book *own = (struct order_book *)book; /* read for this caller alone */
	order_book_free(own);
	free(own);
}

void model_book_drop(const struct model_options *opt)
{
	if (opt->shared)
		model_shared_free(opt->shared);
}

void model_shared_free(struct model_shared *shared)
{
	if (shared->book_loaded)
		order_book_free(&shared->book);
	shared->book_loaded = 0;
}
