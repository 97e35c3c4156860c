/* Unit tests of the order book, the sales the model steps read once and share: what it
 * keeps (every order, only unflagged lines, the catalogue's products too), numbering in
 * id order (ids of every length kept apart), each customer's orders oldest first with
 * ties in table order, product groups, a bad order time, and that steps sharing one
 * book write what steps reading their own write. */
#include "check.h"

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/anomalies.h"
#include "model/cohorts.h"
#include "model/customer360.h"
#include "model/order_book.h"
#include "model/prices.h"
#include "model/product_groups.h"
#include "model/segments.h"

static void seed_shop(sqlite3 *db)
{
	db_exec(db, "BEGIN", NULL);
	fixture_product(db, "p2", "Tent", "Outdoor");
	fixture_product(db, "p9", "Lamp", NULL); /* in the catalogue, never sold */
	fixture_product(db, "p4", "", "");      /* no category, no name: grouped by id */
	fixture_order(db, "o3", "zoe", "2024-02-01 09:00:00", "completed");
	fixture_line(db, "o3", 1, "p2", 1, 5000, 0);
	fixture_line(db, "o3", 2, "p1", 2, 1000, 0);
	fixture_line(db, "o3", 3, "p7", 1, 9000, 4); /* flagged: not kept */
	fixture_order(db, "o1", "anna", "2024-01-05 10:00:00", "completed");
	fixture_line(db, "o1", 1, "p4", 3, 200, 0);
	fixture_order(db, "o2", "anna", "2024-01-05 10:00:00", "cancelled"); /* same time */
	fixture_order(db, "o0", "anna", "2024-01-03 08:00:00", "completed"); /* no lines */
	fixture_order(db, "g1", NULL, "2024-01-04 12:00:00", "completed");
	fixture_line(db, "g1", 1, "p1", 1, 700, 0);
	db_exec(db, "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
		    " unit_price_cents, line_total_cents) VALUES ('nowhere', 1, 'p5', 1, 1, 1)",
		NULL); /* a line of no order */
	db_exec(db, "COMMIT", NULL);
}

/* A new warehouse at path (char[64]) holding the shop of seed_shop. */
static sqlite3 *open_seeded_shop(char *path)
{
	sqlite3 *db = temp_warehouse_open(path);
	seed_shop(db);
	return db;
}

static void test_order_book_keeps_every_order_and_only_unflagged_lines(void)
{
	char path[64];
	sqlite3 *db = open_seeded_shop(path);
	struct order_book b;
	struct error err;
	CHECK_INT(order_book_load(db, &b, &err), 0);
	CHECK_INT(b.order_count, 5);
	CHECK_INT(b.line_count, 4);
	/* orders in order id order: g1 o0 o1 o2 o3 */
	CHECK_INT(b.orders[0].customer, -1);
	CHECK_INT(b.orders[0].line_count, 1);
	CHECK_INT(b.orders[1].line_count, 0);
	CHECK_INT(b.orders[3].completed, 0);
	CHECK_INT(b.orders[4].line_count, 2);
	CHECK_INT(b.lines[b.orders[4].first_line + 1].quantity, 2);
	CHECK_INT(b.lines[b.orders[4].first_line + 1].line_total_cents, 2000);
	/* products: sold or in the catalogue, in id order; p5 and p7 never counted */
	CHECK_INT(b.product_count, 4);
	CHECK_STR(b.product_ids[0], "p1");
	CHECK_STR(b.product_ids[3], "p9");
	CHECK(b.product_names[0] == NULL);
	CHECK_STR(b.product_names[1], "Tent");
	CHECK_INT(b.lines[b.orders[4].first_line].product, 1);
	CHECK_INT(b.customer_count, 2);
	CHECK_STR(b.customer_ids[0], "anna");
	CHECK_INT(b.orders[4].customer, 1);
	order_book_free(&b);
	temp_warehouse_remove(db, path);
}

static void test_order_book_numbers_ids_of_every_length_apart(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	/* 3000 products "1" .. "3000": ids that are prefixes of others share hash slots */
	db_exec(db, "BEGIN", NULL);
	fixture_order(db, "o1", "anna", "2024-01-05 10:00:00", "completed");
	char id[16];
	for (int i = 1; i <= 3000; i++) {
		snprintf(id, sizeof id, "%d", i);
		fixture_line(db, "o1", i, id, 1, 100, 0);
	}
	db_exec(db, "COMMIT", NULL);
	struct order_book b;
	struct error err;
	CHECK_INT(order_book_load(db, &b, &err), 0);
	CHECK_INT(b.product_count, 3000);
	size_t misplaced = 0;
	for (size_t p = 1; p < b.product_count; p++)
		misplaced += strcmp(b.product_ids[p - 1], b.product_ids[p]) >= 0;
	for (uint32_t i = 0; i < b.orders[0].line_count; i++) {
		snprintf(id, sizeof id, "%u", i + 1);
		misplaced += strcmp(b.product_ids[b.lines[i].product], id) != 0;
	}
	CHECK_INT(misplaced, 0);
	order_book_free(&b);
	temp_warehouse_remove(db, path);
}

static void test_order_book_lists_a_customers_orders_oldest_first_ties_in_table_order(void)
{
	char path[64];
	sqlite3 *db = open_seeded_shop(path);
	struct order_book b;
	struct error err;
	CHECK_INT(order_book_load(db, &b, &err), 0);
	CHECK_INT(b.by_customer_count, 4); /* the guest order is left out */
	CHECK_INT(b.customer_first[0], 0);
	CHECK_INT(b.customer_first[1], 3);
	CHECK_INT(b.customer_first[2], 4);
	/* anna: o0 (Jan 3), then o1 and o2 at the same time, o1 inserted first */
	CHECK_INT(b.by_customer[0], 1);
	CHECK_INT(b.by_customer[1], 2);
	CHECK_INT(b.by_customer[2], 3);
	CHECK_INT(b.by_customer[3], 4);
	order_book_free(&b);
	temp_warehouse_remove(db, path);
}

static void test_product_groups_take_category_then_name_then_id(void)
{
	char path[64];
	sqlite3 *db = open_seeded_shop(path);
	struct order_book b;
	struct error err;
	CHECK_INT(order_book_load(db, &b, &err), 0);
	struct product_groups pg;
	product_groups_from_book(&b, &pg);
	CHECK_INT(pg.n_products, 4);
	CHECK_INT(pg.n_groups, 4);
	CHECK_STR(pg.groups[pg.group_of[0]], "p1");
	CHECK_STR(pg.groups[pg.group_of[1]], "Outdoor");
	CHECK_STR(pg.groups[pg.group_of[2]], "p4");
	CHECK_STR(pg.groups[pg.group_of[3]], "Lamp");
	CHECK_STR(pg.groups[0], "Lamp"); /* in byte order */
	product_groups_free(&pg);
	order_book_free(&b);
	temp_warehouse_remove(db, path);
}

static void test_order_book_rejects_an_order_time_it_cannot_read(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	fixture_order(db, "o1", "anna", "yesterday", "completed");
	struct order_book b;
	struct error err;
	CHECK_INT(order_book_load(db, &b, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "order o1: time 'yesterday'") != NULL);
	CHECK_INT(b.order_count, 0);
	temp_warehouse_remove(db, path);
}

static void test_a_shared_book_is_read_once_and_lent_to_every_step(void)
{
	char path[64];
	sqlite3 *db = open_seeded_shop(path);
	struct model_shared shared = {0};
	struct model_options opt = {.horizon_days = 90, .seed = 42, .shared = &shared};
	const struct order_book *first, *second;
	struct error err;
	CHECK_INT(model_book_borrow(db, &opt, &first, &err), 0);
	model_book_return(&opt, first);
	CHECK_INT(model_book_borrow(db, &opt, &second, &err), 0);
	CHECK(first == second);
	CHECK(second == &shared.book);
	model_book_return(&opt, second);
	/* dropped early, it is read again by a later borrower */
	model_book_drop(&opt);
	CHECK_INT(shared.book_loaded, 0);
	CHECK_INT(model_book_borrow(db, &opt, &second, &err), 0);
	CHECK_INT(second->order_count, 5);
	model_book_return(&opt, second);
	model_shared_free(&shared);
	CHECK_INT(shared.book_loaded, 0);
	/* without sharing each borrower reads its own */
	struct model_options alone = {.horizon_days = 90, .seed = 42};
	CHECK_INT(model_book_borrow(db, &alone, &first, &err), 0);
	CHECK_INT(first->order_count, 5);
	model_book_return(&alone, first);
	temp_warehouse_remove(db, path);
}

/* Runs the steps that read the book and dumps what they wrote. */
static char *run_steps(sqlite3 *db, const struct model_options *opt)
{
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_cohorts(db, opt, &summary, &err), 0);
	CHECK_INT(model_segments(db, opt, &summary, &err), 0);
	CHECK_INT(model_customer360(db, opt, &summary, &err), 0);
	CHECK_INT(model_anomalies(db, opt, &summary, &err), 0);
	CHECK_INT(model_prices(db, opt, &summary, &err), 0);
	buf_free(&summary);
	struct buf all = BUF_INIT;
	const char *queries[] = {
		"SELECT * FROM cohort_retention ORDER BY 1, 2",
		"SELECT * FROM customer_rfm ORDER BY 1",
		"SELECT * FROM customer_360 ORDER BY 1",
		"SELECT * FROM daily_sales ORDER BY 1",
		"SELECT * FROM price_elasticity ORDER BY 1",
	};
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		char *rows = fixture_dump(db, queries[i]);
		buf_puts(&all, rows);
		free(rows);
	}
	return buf_detach(&all);
}

static void test_steps_sharing_a_book_write_what_steps_reading_their_own_write(void)
{
	char path[64];
	sqlite3 *db = open_seeded_shop(path);
	struct model_options alone = {.horizon_days = 90, .seed = 42};
	char *own = run_steps(db, &alone);
	struct model_shared shared = {0};
	struct model_options together = {.horizon_days = 90, .seed = 42, .shared = &shared};
	char *shared_rows = run_steps(db, &together);
	CHECK(strlen(own) > 0);
	CHECK_STR(shared_rows, own);
	model_shared_free(&shared);
	free(own);
	free(shared_rows);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_order_book_keeps_every_order_and_only_unflagged_lines);
	RUN(test_order_book_numbers_ids_of_every_length_apart);
	RUN(test_order_book_lists_a_customers_orders_oldest_first_ties_in_table_order);
	RUN(test_product_groups_take_category_then_name_then_id);
	RUN(test_order_book_rejects_an_order_time_it_cannot_read);
	RUN(test_a_shared_book_is_read_once_and_lent_to_every_step);
	RUN(test_steps_sharing_a_book_write_what_steps_reading_their_own_write);
	return check_summary();
}
