/* products: the product catalog from raw_products and the order lines. */
#include "clean/products.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "clean/raw_values.h"
#include "clean/tally.h"
#include "db/db.h"
#include "util/order_stats.h"
#include "util/xalloc.h"

#define NONE UINT32_MAX

struct product {
	uint32_t id, name, description, category, subcategory; /* handles */
	int64_t price_cents, cost_cents, stock;
	uint8_t has_price, has_cost, has_stock;
	uint8_t from_file;          /* a product file has a row for it */
};

struct catalog {
	struct product *product;    /* file rows first, then products seen only in lines */
	uint32_t count, cap;
	uint32_t *index_of;         /* product index per handle, NONE when not a product */
	uint32_t handles;
};

enum product_column {
	P_RUN, P_LINE, P_ID, P_NAME, P_DESCRIPTION, P_CATEGORY, P_SUBCATEGORY, P_PRICE,
	P_COST, P_STOCK
};

static struct product *add_product(struct catalog *c, uint32_t id)
{
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->product = xreallocarray(c->product, c->cap, sizeof *c->product);
	}
	struct product *p = &c->product[c->count++];
	memset(p, 0, sizeof *p);
	p->id = id;
	return p;
}

/* Reads a money or stock column of a product row; an unreadable value is logged. */
static uint8_t read_number(sqlite3_stmt *st, int column, int decimal_comma, int64_t *value,
			   uint32_t run, struct dq_log *log)
{
	int got = column == P_STOCK ? raw_whole_number(st, column, value)
				    : raw_cents(st, column, decimal_comma, value);
	if (got < 0)
		dq_count(log, DQ_UNREADABLE_VALUE, run, sqlite3_column_int64(st, P_LINE), 1);
	return got > 0;
}

/* Reads raw_products: the first row of each id wins. Handles are interned into the
 * line set's pool, so they compare with the lines'. */
static int read_product_file(sqlite3 *db, struct line_set *set, struct source_runs *runs,
			     const struct clean_rules *rules, struct catalog *c,
			     struct dq_log *log, struct error *err)
{
	sqlite3_stmt *st;
	struct buf scratch = BUF_INIT;
	int rc = db_prepare(db,
			    "SELECT run_id, line, product_id, name, description, category,"
			    " subcategory, price, cost, stock FROM raw_products ORDER BY rowid",
			    &st, err);
	if (rc < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		unsigned changed = 0;
		struct string_pool *pool = &set->pool;
		int64_t run = source_runs_find(runs, sqlite3_column_int64(st, P_RUN));
		uint32_t id = raw_intern(pool, &scratch, st, P_ID, FORM_PRODUCT_ID,
					 rules->fold_product_case, &changed);
		if (!id || run < 0)
			continue; /* ingest requires the id; the run exists by foreign key */
		if (id < c->handles && c->index_of[id] != NONE) {
			dq_count(log, DQ_PRODUCT_ROW_DUPLICATE, (uint32_t)run,
				 sqlite3_column_int64(st, P_LINE), 1);
			continue;
		}
		if (id >= c->handles) {
			uint32_t grown = pool->count + 1024;
			c->index_of = xreallocarray(c->index_of, grown, sizeof *c->index_of);
			for (uint32_t h = c->handles; h < grown; h++)
				c->index_of[h] = NONE;
			c->handles = grown;
		}
		c->index_of[id] = c->count;
		int comma = runs->run[run].decimal_comma;
		struct product *p = add_product(c, id);
		p->from_file = 1;
		p->description = raw_intern(pool, &scratch, st, P_DESCRIPTION, FORM_TEXT, 0, &changed);
		p->name = raw_intern(pool, &scratch, st, P_NAME, FORM_TEXT, 0, &changed);
		if (!p->name)
			p->name = p->description;
		p->category = raw_intern(pool, &scratch, st, P_CATEGORY, FORM_TEXT, 0, &changed);
		p->subcategory = raw_intern(pool, &scratch, st, P_SUBCATEGORY, FORM_TEXT, 0, &changed);
		p->has_price = read_number(st, P_PRICE, comma, &p->price_cents, (uint32_t)run, log);
		p->has_cost = read_number(st, P_COST, comma, &p->cost_cents, (uint32_t)run, log);
		p->has_stock = read_number(st, P_STOCK, comma, &p->stock, (uint32_t)run, log);
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading raw_products");
	sqlite3_finalize(st);
	buf_free(&scratch);
	return rc;
}

/* Works out one product's facts from its lines (in file order). */
static void facts_of_product(struct product_fact *f, const struct line_set *set,
			     const uint32_t *lines, size_t count, struct tally *priced,
			     struct tally *all, struct tally *categories,
			     struct tally *subcategories, int64_t *prices)
{
	const struct string_pool *pool = &set->pool;
	size_t n = 0;
	tally_clear(priced);
	tally_clear(all);
	tally_clear(categories);
	tally_clear(subcategories);
	for (size_t k = 0; k < count; k++) {
		const struct order_line *l = &set->line[lines[k]];
		const struct line_description *d = line_description(set, l);
		if (!(l->flags & ITEM_PRICE_NOT_POSITIVE))
			tally_add(priced, d->product_name);
		tally_add(all, d->product_name);
		tally_add(categories, d->category);
		tally_add(subcategories, d->subcategory);
		if (!l->flags && line_quantity(set, l) > 0)
			prices[n++] = line_amounts(set, l)->unit_price_cents;
	}
	f->first_line = lines[0];
	f->name_variants = priced->used > 1;
	f->name = priced->used ? tally_best(priced, pool) : tally_best(all, pool);
	f->category = tally_best(categories, pool);
	f->subcategory = tally_best(subcategories, pool);
	if (n) {
		f->price_cents = (int64_t)(order_stats_median(prices, n) + 0.5); /* positive */
		f->has_price = 1;
	}
}

struct product_facts *products_from_lines(const struct line_set *set)
{
	struct product_facts *facts = xcalloc(1, sizeof *facts);
	struct line_groups groups;
	struct tally priced = TALLY_INIT, all = TALLY_INIT, categories = TALLY_INIT,
		     subcategories = TALLY_INIT;
	line_groups_build(&groups, set, offsetof(struct order_line, product_id), 1);
	size_t largest = 1;
	for (uint32_t h = 0; h < groups.handles; h++) {
		size_t n = groups.start[h + 1] - groups.start[h];
		facts->count += n > 0;
		largest = n > largest ? n : largest;
	}
	int64_t *prices = xmalloc(largest * sizeof *prices);
	facts->fact = xcalloc(facts->count ? facts->count : 1, sizeof *facts->fact);
	facts->index_of = xmalloc(((size_t)groups.handles + 1) * sizeof *facts->index_of);
	facts->handles = groups.handles;
	uint32_t i = 0;
	for (uint32_t h = 0; h < groups.handles; h++) {
		uint32_t from = groups.start[h], to = groups.start[h + 1];
		facts->index_of[h] = NONE;
		if (to == from)
			continue;
		facts->index_of[h] = i;
		facts->fact[i].id = h;
		facts_of_product(&facts->fact[i++], set, groups.lines + from, to - from, &priced,
				 &all, &categories, &subcategories, prices);
	}
	free(prices);
	tally_free(&priced);
	tally_free(&all);
	tally_free(&categories);
	tally_free(&subcategories);
	line_groups_free(&groups);
	return facts;
}

void product_facts_free(struct product_facts *facts)
{
	if (!facts)
		return;
	free(facts->fact);
	free(facts->index_of);
	free(facts);
}

static const struct product_fact *fact_of(const struct product_facts *facts, uint32_t id)
{
	return id < facts->handles && facts->index_of[id] != NONE
		       ? &facts->fact[facts->index_of[id]]
		       : NULL;
}

/* Fills what the product file left open from the product's line facts. */
static void complete_product(struct product *p, const struct product_fact *f,
			     const struct line_set *set, struct dq_log *log)
{
	const struct order_line *first = &set->line[f->first_line];
	if (f->name_variants)
		line_dq_count(log, DQ_PRODUCT_NAME_VARIANTS, set, first);
	if (!p->from_file)
		line_dq_count(log, DQ_PRODUCT_FROM_ORDERS, set, first);
	if (!p->name)
		p->name = f->name;
	if (!p->category)
		p->category = f->category;
	if (!p->subcategory)
		p->subcategory = f->subcategory;
	if (!p->has_price && f->has_price) {
		p->price_cents = f->price_cents;
		p->has_price = 1;
	}
}

static void bind_handle(sqlite3_stmt *st, int index, const struct string_pool *pool, uint32_t h)
{
	if (h)
		sqlite3_bind_text(st, index, string_pool_text(pool, h),
				  (int)string_pool_length(pool, h), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, index);
}

static void bind_number(sqlite3_stmt *st, int index, int has, int64_t value)
{
	if (has)
		sqlite3_bind_int64(st, index, value);
	else
		sqlite3_bind_null(st, index);
}

static int write_product(sqlite3 *db, sqlite3_stmt *st, const struct string_pool *pool,
			 const struct product *p, struct error *err)
{
	bind_handle(st, 1, pool, p->id);
	/* a product nobody named is called by its id (name is NOT NULL) */
	bind_handle(st, 2, pool, p->name ? p->name : p->id);
	bind_handle(st, 3, pool, p->description);
	bind_handle(st, 4, pool, p->category);
	bind_handle(st, 5, pool, p->subcategory);
	bind_number(st, 6, p->has_price, p->price_cents);
	bind_number(st, 7, p->has_cost, p->cost_cents);
	bind_number(st, 8, p->has_stock, p->stock);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "writing products");
}

/* Adds the products seen only in order lines, completes every product from its line
 * facts and writes them all in id order. */
static int complete_and_write(sqlite3 *db, struct line_set *set,
			      const struct product_facts *facts, struct catalog *c,
			      struct dq_log *log, struct clean_summary *sum, struct error *err)
{
	sqlite3_stmt *st = NULL;
	uint32_t handles = set->pool.count;
	if (handles > c->handles) {
		c->index_of = xreallocarray(c->index_of, handles, sizeof *c->index_of);
		for (uint32_t h = c->handles; h < handles; h++)
			c->index_of[h] = NONE;
		c->handles = handles;
	}
	for (uint32_t i = 0; i < facts->count; i++)
		if (c->index_of[facts->fact[i].id] == NONE) {
			c->index_of[facts->fact[i].id] = c->count;
			add_product(c, facts->fact[i].id);
		}
	uint32_t *ids = xmalloc(((size_t)c->count + 1) * sizeof *ids);
	for (uint32_t i = 0; i < c->count; i++)
		ids[i] = c->product[i].id;
	string_pool_sort(&set->pool, ids, c->count);
	int rc = db_prepare(db,
			    "INSERT INTO products (product_id, name, description, category,"
			    " subcategory, price_cents, cost_cents, stock)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			    &st, err);
	for (uint32_t i = 0; rc == 0 && i < c->count; i++) {
		struct product *p = &c->product[c->index_of[ids[i]]];
		const struct product_fact *f = fact_of(facts, p->id);
		if (f)
			complete_product(p, f, set, log);
		if ((rc = write_product(db, st, &set->pool, p, err)) == 0)
			sum->products++;
	}
	sqlite3_finalize(st);
	free(ids);
	return rc;
}

int products_write(sqlite3 *db, struct line_set *set, const struct product_facts *facts,
		   struct source_runs *runs, const struct clean_rules *rules, struct dq_log *log,
		   struct clean_summary *sum, struct error *err)
{
	struct catalog c;
	memset(&c, 0, sizeof c);
	int rc = read_product_file(db, set, runs, rules, &c, log, err);
	if (rc == 0)
		rc = complete_and_write(db, set, facts, &c, log, sum, err);
	free(c.product);
	free(c.index_of);
	return rc;
}
