/* clean: the stage driver. Runs the steps in order inside one transaction:
 *
 *   read    the runs, then every raw order line into memory (order_lines.c; SQLite
 *           reads on a second thread while the lines are parsed), or in `run` the
 *           lines ingest read as it wrote them (line_feed.h)
 *   group   exact duplicates out, lines into orders
 *   write   empty the typed tables; write the items, while a second thread judges
 *   judge   cancellations, date and quantity flags, statuses, what products and
 *           customers learn from the lines (the judging touches no database)
 *   write   the flags the judging added, orders, adjustments, products, customers,
 *           reviews, events, and the data-quality log
 *
 * and commits only when every step succeeded. It is a full rebuild each time: on the
 * 541,909 lines of Online Retail it takes under a second and about 55 MB at peak (17
 * of them the program and its libraries before a line is read), so reading only new
 * rows would save little and make every rule that looks across files (duplicates,
 * cancellations, names, outliers) harder to get right. Foreign keys are switched off
 * for the bulk insert: every item is written under the order it was grouped into, so
 * the reference holds by construction (the tests check it with foreign_key_check).
 * For the run, temporary storage is switched to files and the page cache to 4 MB:
 * with temp_store = MEMORY the sorter that rebuilds an index keeps every key in
 * memory, beside the lines; on files it spills past the page cache's size, so the two
 * together stay near 8 MB. Appending in key order needs few pages at hand. */
#include "clean/clean.h"

#include "clean/bulk_load.h"
#include "clean/customers.h"
#include "clean/dq_log.h"
#include "clean/events.h"
#include "clean/line_feed.h"
#include "clean/line_flags.h"
#include "clean/order_lines.h"
#include "clean/orders.h"
#include "clean/products.h"
#include "clean/reviews.h"
#include "clean/rules.h"
#include "db/db.h"
#include "util/progress.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Everything one clean run holds. */
struct clean_run {
	sqlite3 *db;
	const struct clean_options *opt;
	struct clean_rules rules;
	struct source_runs runs;
	struct line_set lines;
	struct order_set orders;
	struct product_facts *products;
	struct customer_facts *customers;
	struct dq_log log;
	struct clean_summary *sum;
	struct set_aside_indexes item_indexes, order_indexes;
};

/* Reads the order lines (or takes those ingest fed, when they are the table's), removes
 * duplicates and groups them into orders. */
static int read_order_lines(struct clean_run *c, struct error *err)
{
	int rc = line_feed_take(c->opt->feed, c->db, c->opt, &c->runs, &c->lines, &c->log, err);
	c->sum->lines_fed = rc == 1;
	if (rc == 0)
		rc = order_lines_load(c->db, &c->runs, &c->rules, &c->lines, &c->log, err);
	if (rc < 0)
		return rc;
	c->sum->order_lines = c->lines.raw_lines;
	order_lines_remove_duplicates(&c->lines, &c->log);
	orders_group(&c->lines, &c->orders, &c->log);
	return 0;
}

/* The rules that need every line, and what products and customers learn from the
 * lines: C only, no database, so it runs while SQLite writes the items. */
static void judge_order_lines(struct clean_run *c)
{
	cancellations_match(&c->lines, &c->orders, &c->log);
	line_flags_mark(&c->lines, &c->runs, &c->rules, &c->log);
	orders_settle(&c->lines, &c->orders, &c->log);
	c->products = products_from_lines(&c->lines);
	c->customers = customers_from_lines(&c->lines);
}

static void *judge_in_thread(void *run)
{
	judge_order_lines(run);
	return NULL;
}

/* Writes the items with the flags they have so far while a second thread judges the
 * lines (the writing reads no line's flags, the judging writes nothing else), then
 * corrects the flags the judging changed and rebuilds the items' indexes, if any
 * were added to the warehouse. */
static int write_items_and_judge(struct clean_run *c, struct error *err)
{
	pthread_t thread;
	order_items_note_flags(&c->lines);
	int threaded = pthread_create(&thread, NULL, judge_in_thread, c) == 0;
	int rc = indexes_set_aside(c->db, "order_items", &c->item_indexes, err);
	if (rc == 0)
		rc = order_items_write(c->db, &c->lines, &c->orders, c->sum, err);
	if (threaded)
		pthread_join(thread, NULL);
	else
		judge_order_lines(c);
	if (rc == 0)
		rc = order_items_update_flags(c->db, &c->lines, &c->orders, err);
	if (rc == 0)
		rc = indexes_restore(c->db, &c->item_indexes, err);
	return rc;
}

/* Replaces the typed tables. The order of the deletes respects the references. */
static int write_typed_tables(struct clean_run *c, struct error *err)
{
	int rc = db_exec(c->db,
			 "DELETE FROM order_items; DELETE FROM adjustments; DELETE FROM orders;"
			 "DELETE FROM products; DELETE FROM customers; DELETE FROM reviews;"
			 "DELETE FROM events;",
			 err);
	if (rc == 0)
		rc = write_items_and_judge(c, err);
	if (rc == 0)
		rc = indexes_set_aside(c->db, "orders", &c->order_indexes, err);
	if (rc == 0)
		rc = orders_write(c->db, &c->lines, &c->orders, c->sum, err);
	if (rc == 0)
		rc = indexes_restore(c->db, &c->order_indexes, err);
	if (rc == 0)
		rc = products_write(c->db, &c->lines, c->products, &c->runs, &c->rules, &c->log,
				    c->sum, err);
	if (rc == 0)
		rc = customers_write(c->db, &c->lines, c->customers, &c->runs, &c->log, c->sum, err);
	if (rc == 0)
		rc = reviews_clean(c->db, &c->runs, &c->rules, &c->log, c->sum, err);
	if (rc == 0)
		rc = events_clean(c->db, &c->runs, &c->rules, &c->log, c->sum, err);
	if (rc == 0)
		rc = dq_log_write(c->db, &c->log, &c->runs, err);
	return rc;
}

/* The connection's settings a clean run changes, to put back afterwards. */
struct connection_settings {
	int foreign_keys;
	int temp_store;            /* 0, 1 or 2 */
	int64_t cache_size;        /* pages, or KiB when negative */
};

#define CLEAN_SETTINGS "PRAGMA foreign_keys = OFF; PRAGMA temp_store = FILE; PRAGMA cache_size = -4096"

static void settings_save(sqlite3 *db, struct connection_settings *saved)
{
	saved->foreign_keys = (int)db_query_int(db, "PRAGMA foreign_keys", NULL, 1);
	saved->temp_store = (int)db_query_int(db, "PRAGMA temp_store", NULL, 0);
	saved->cache_size = db_query_int(db, "PRAGMA cache_size", NULL, -2000);
}

static void settings_restore(sqlite3 *db, const struct connection_settings *saved)
{
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA foreign_keys = %d; PRAGMA temp_store = %d;"
		 " PRAGMA cache_size = %lld", saved->foreign_keys != 0, saved->temp_store,
		 (long long)saved->cache_size);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
}

int clean_warehouse(sqlite3 *db, const struct clean_options *opt, struct clean_summary *sum,
		    struct error *err)
{
	struct clean_run c = {.db = db, .opt = opt, .sum = sum};
	double started = monotonic_seconds();
	struct connection_settings saved;
	int in_transaction = 0, rc;
	memset(sum, 0, sizeof *sum);
	settings_save(db, &saved);
	line_set_init(&c.lines);
	dq_log_init(&c.log);
	if ((rc = clean_rules_init(&c.rules, opt, err)) < 0)
		goto done;
	if ((rc = db_exec(db, CLEAN_SETTINGS, err)) < 0 ||
	    (rc = db_exec(db, "BEGIN IMMEDIATE", err)) < 0)
		goto done;
	in_transaction = 1;
	if ((rc = source_runs_load(db, &c.runs, err)) < 0 ||
	    (rc = read_order_lines(&c, err)) < 0 || (rc = write_typed_tables(&c, err)) < 0 ||
	    (rc = db_exec(db, "COMMIT", err)) < 0)
		goto done;
	in_transaction = 0;
	sum->rules_fired = dq_rules_fired(&c.log, &sum->rules_warning);
done:
	if (in_transaction)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	settings_restore(db, &saved);
	set_aside_indexes_free(&c.item_indexes);
	set_aside_indexes_free(&c.order_indexes);
	product_facts_free(c.products);
	customer_facts_free(c.customers);
	order_set_free(&c.orders);
	line_set_free(&c.lines);
	source_runs_free(&c.runs);
	dq_log_free(&c.log);
	clean_rules_free(&c.rules);
	sum->seconds = monotonic_seconds() - started;
	return rc;
}
