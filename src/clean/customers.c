/* customers: the customer list from raw_customers and the order lines. */
#include "clean/customers.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "clean/raw_values.h"
#include "clean/tally.h"
#include "db/db.h"
#include "util/xalloc.h"

#define NONE UINT32_MAX

struct customer {
	uint32_t id, name, email, country, region, city; /* handles */
	uint32_t signup_date;       /* handle of "YYYY-MM-DD HH:MM:SS" */
	uint8_t from_file;          /* a customer file has a row for them */
};

struct customer_list {
	struct customer *customer;  /* file rows first, then customers seen only in lines */
	uint32_t count, cap;
	uint32_t *index_of;         /* customer index per handle, NONE when not one */
	uint32_t handles;
};

enum customer_column {
	C_RUN, C_LINE, C_ID, C_NAME, C_EMAIL, C_COUNTRY, C_REGION, C_CITY, C_SIGNUP
};

static struct customer *add_customer(struct customer_list *c, uint32_t id)
{
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->customer = xreallocarray(c->customer, c->cap, sizeof *c->customer);
	}
	struct customer *p = &c->customer[c->count++];
	memset(p, 0, sizeof *p);
	p->id = id;
	return p;
}

/* Makes index_of cover every handle below handles. */
static void cover_handles(struct customer_list *c, uint32_t handles)
{
	if (handles <= c->handles)
		return;
	c->index_of = xreallocarray(c->index_of, handles, sizeof *c->index_of);
	for (uint32_t h = c->handles; h < handles; h++)
		c->index_of[h] = NONE;
	c->handles = handles;
}

/* Reads one raw_customers row into a new customer. */
static void read_customer_row(sqlite3_stmt *st, struct customer *p, struct string_pool *pool,
			      struct buf *scratch, const struct source_run *run, uint32_t run_index,
			      struct dq_log *log)
{
	unsigned changed = 0;
	char signup[20];
	int64_t seconds;
	p->from_file = 1;
	p->name = raw_intern(pool, scratch, st, C_NAME, FORM_TEXT, 0, &changed);
	p->email = raw_intern(pool, scratch, st, C_EMAIL, FORM_TEXT, 0, &changed);
	p->country = raw_intern(pool, scratch, st, C_COUNTRY, FORM_TEXT, 0, &changed);
	p->region = raw_intern(pool, scratch, st, C_REGION, FORM_TEXT, 0, &changed);
	p->city = raw_intern(pool, scratch, st, C_CITY, FORM_TEXT, 0, &changed);
	int got = raw_date(st, C_SIGNUP, run, signup, &seconds);
	if (got > 0)
		p->signup_date = string_pool_intern(pool, signup, strlen(signup));
	else if (got < 0)
		dq_count(log, DQ_UNREADABLE_VALUE, run_index, sqlite3_column_int64(st, C_LINE), 1);
}

/* Reads raw_customers: the first row of each id wins. */
static int read_customer_file(sqlite3 *db, struct line_set *set, struct source_runs *runs,
			      struct customer_list *c, struct dq_log *log, struct error *err)
{
	sqlite3_stmt *st;
	struct buf scratch = BUF_INIT;
	int rc = db_prepare(db,
			    "SELECT run_id, line, customer_id, name, email, country, region, city,"
			    " signup_date FROM raw_customers ORDER BY rowid",
			    &st, err);
	if (rc < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		unsigned changed = 0;
		int64_t run = source_runs_find(runs, sqlite3_column_int64(st, C_RUN));
		uint32_t id = raw_intern(&set->pool, &scratch, st, C_ID, FORM_ID, 0, &changed);
		if (!id || run < 0)
			continue; /* ingest requires the id; the run exists by foreign key */
		cover_handles(c, set->pool.count + 1024);
		if (c->index_of[id] != NONE) {
			dq_count(log, DQ_CUSTOMER_ROW_DUPLICATE, (uint32_t)run,
				 sqlite3_column_int64(st, C_LINE), 1);
			continue;
		}
		c->index_of[id] = c->count;
		read_customer_row(st, add_customer(c, id), &set->pool, &scratch, &runs->run[run],
				  (uint32_t)run, log);
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading raw_customers");
	sqlite3_finalize(st);
	buf_free(&scratch);
	return rc;
}

struct customer_facts *customers_from_lines(const struct line_set *set)
{
	struct customer_facts *facts = xcalloc(1, sizeof *facts);
	struct line_groups groups;
	struct tally countries = TALLY_INIT, regions = TALLY_INIT, cities = TALLY_INIT;
	line_groups_build(&groups, set, offsetof(struct order_line, customer_id), 0);
	for (uint32_t h = 0; h < groups.handles; h++)
		facts->count += groups.start[h + 1] > groups.start[h];
	facts->fact = xcalloc(facts->count ? facts->count : 1, sizeof *facts->fact);
	facts->index_of = xmalloc(((size_t)groups.handles + 1) * sizeof *facts->index_of);
	facts->handles = groups.handles;
	uint32_t i = 0;
	for (uint32_t h = 0; h < groups.handles; h++) {
		facts->index_of[h] = NONE;
		if (groups.start[h + 1] == groups.start[h])
			continue;
		struct customer_fact *f = &facts->fact[i];
		facts->index_of[h] = i++;
		tally_clear(&countries);
		tally_clear(&regions);
		tally_clear(&cities);
		for (uint32_t k = groups.start[h]; k < groups.start[h + 1]; k++) {
			const struct line_place *p = line_place(set, &set->line[groups.lines[k]]);
			tally_add(&countries, p->country);
			tally_add(&regions, p->region);
			tally_add(&cities, p->city);
		}
		f->id = h;
		f->first_line = groups.lines[groups.start[h]];
		f->country_variants = countries.used > 1;
		f->country = tally_best(&countries, &set->pool);
		f->region = tally_best(&regions, &set->pool);
		f->city = tally_best(&cities, &set->pool);
	}
	tally_free(&countries);
	tally_free(&regions);
	tally_free(&cities);
	line_groups_free(&groups);
	return facts;
}

void customer_facts_free(struct customer_facts *facts)
{
	if (!facts)
		return;
	free(facts->fact);
	free(facts->index_of);
	free(facts);
}

/* Fills what the customer file left open from the customer's line facts. */
static void complete_customer(struct customer *p, const struct customer_fact *f,
			      const struct line_set *set, struct dq_log *log)
{
	const struct order_line *first = &set->line[f->first_line];
	if (f->country_variants)
		line_dq_count(log, DQ_CUSTOMER_COUNTRY_VARIANTS, set, first);
	if (!p->from_file)
		line_dq_count(log, DQ_CUSTOMER_FROM_ORDERS, set, first);
	if (!p->country)
		p->country = f->country;
	if (!p->region)
		p->region = f->region;
	if (!p->city)
		p->city = f->city;
}

static void bind_handle(sqlite3_stmt *st, int index, const struct string_pool *pool, uint32_t h)
{
	if (h)
		sqlite3_bind_text(st, index, string_pool_text(pool, h),
				  (int)string_pool_length(pool, h), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, index);
}

static int write_customer(sqlite3 *db, sqlite3_stmt *st, const struct string_pool *pool,
			  const struct customer *p, struct error *err)
{
	bind_handle(st, 1, pool, p->id);
	bind_handle(st, 2, pool, p->name);
	bind_handle(st, 3, pool, p->email);
	bind_handle(st, 4, pool, p->country);
	bind_handle(st, 5, pool, p->region);
	bind_handle(st, 6, pool, p->city);
	bind_handle(st, 7, pool, p->signup_date);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "writing customers");
}

/* Adds the customers seen only in order lines, completes everyone from their line
 * facts and writes them all in id order. */
static int complete_and_write(sqlite3 *db, struct line_set *set,
			      const struct customer_facts *facts, struct customer_list *c,
			      struct dq_log *log, struct clean_summary *sum, struct error *err)
{
	sqlite3_stmt *st = NULL;
	cover_handles(c, set->pool.count);
	for (uint32_t i = 0; i < facts->count; i++)
		if (c->index_of[facts->fact[i].id] == NONE) {
			c->index_of[facts->fact[i].id] = c->count;
			add_customer(c, facts->fact[i].id);
		}
	uint32_t *ids = xmalloc(((size_t)c->count + 1) * sizeof *ids);
	for (uint32_t i = 0; i < c->count; i++)
		ids[i] = c->customer[i].id;
	string_pool_sort(&set->pool, ids, c->count);
	int rc = db_prepare(db,
			    "INSERT INTO customers (customer_id, name, email, country, region, city,"
			    " signup_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    &st, err);
	for (uint32_t i = 0; rc == 0 && i < c->count; i++) {
		struct customer *p = &c->customer[c->index_of[ids[i]]];
		uint32_t id = p->id;
		if (id < facts->handles && facts->index_of[id] != NONE)
			complete_customer(p, &facts->fact[facts->index_of[id]], set, log);
		if ((rc = write_customer(db, st, &set->pool, p, err)) == 0)
			sum->customers++;
	}
	sqlite3_finalize(st);
	free(ids);
	return rc;
}

int customers_write(sqlite3 *db, struct line_set *set, const struct customer_facts *facts,
		    struct source_runs *runs, struct dq_log *log, struct clean_summary *sum,
		    struct error *err)
{
	struct customer_list c;
	memset(&c, 0, sizeof c);
	int rc = read_customer_file(db, set, runs, &c, log, err);
	if (rc == 0)
		rc = complete_and_write(db, set, facts, &c, log, sum, err);
	free(c.customer);
	free(c.index_of);
	return rc;
}
