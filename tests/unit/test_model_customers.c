/* Unit tests of the customer profiles (customer_360): each figure worked out by hand on a
 * small shop, the favourite category and its fallback to the product's name, and the
 * columns other steps fill. */
#include "check.h"

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/customer360.h"
#include "model/segments.h"

static void seed_shop(sqlite3 *db)
{
	db_exec(db, "BEGIN", NULL);
	fixture_product(db, "p1", "Red Mug", "Kitchen");
	fixture_product(db, "p2", "Tent", "Outdoor");
	fixture_product(db, "p3", "Lamp", NULL);
	fixture_order(db, "a1", "anna", "2024-01-10 10:00:00", "completed");
	fixture_line(db, "a1", 1, "p1", 2, 1000, 0);
	fixture_line(db, "a1", 2, "p2", 1, 5000, 0);
	fixture_order(db, "a2", "anna", "2024-02-09 10:00:00", "completed");
	fixture_line(db, "a2", 1, "p1", 1, 1000, 0);
	fixture_line(db, "a2", 2, "p3", 1, 90000, 1); /* flagged: left out */
	fixture_order(db, "a3", "anna", "2024-03-10 10:00:00", "completed");
	fixture_line(db, "a3", 1, "p3", 1, 3000, 0);
	fixture_order(db, "a4", "anna", "2024-03-12 10:00:00", "cancelled");
	fixture_line(db, "a4", 1, "p2", 1, 5000, 0);
	fixture_order(db, "b1", "ben", "2024-03-30 10:00:00", "completed");
	fixture_line(db, "b1", 1, "p3", 2, 1500, 0);
	fixture_order(db, "c1", "cleo", "2024-03-01 10:00:00", "completed");
	fixture_line(db, "c1", 1, "p2", 1, 2000, 0);
	fixture_line(db, "c1", 2, "p1", 2, 1000, 0);
	fixture_order(db, "d1", "dan", "2024-03-02 10:00:00", "cancelled");
	fixture_line(db, "d1", 1, "p1", 1, 1000, 0);
	fixture_sale(db, "g1", NULL, "2024-03-31 18:00:00", 100000);
	db_exec(db, "COMMIT", NULL);
}

static void test_customer_profiles_hold_the_hand_worked_figures(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	seed_shop(db);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_customer360(db, &opt, &summary, &err), 0);
	CHECK(strstr(buf_str(&summary), "3 customer profiles (0 with a segment, 0 with a churn "
				       "risk)") != NULL);
	char *anna = fixture_dump(db, "SELECT lifetime_value_cents, orders, avg_order_value_cents,"
				      " first_purchase, last_purchase, tenure_days, mean_gap_days,"
				      " distinct_products, return_rate, favourite_category, segment,"
				      " churn_risk FROM customer_360 WHERE customer_id = 'anna'");
	/* 7000 + 1000 + 3000; 11000 / 3; 2024-01-10 to 04-01 is 82 days; 60 days / 2 gaps;
	 * 1 cancelled of 4; Outdoor 5000 beats Kitchen 3000 and Lamp 3000 */
	CHECK_STR(anna, "11000|3|3667|2024-01-10|2024-03-10|82|30.0|3|0.25|Outdoor|NULL|NULL\n");
	char *ben = fixture_dump(db, "SELECT orders, mean_gap_days, return_rate, favourite_category"
				     " FROM customer_360 WHERE customer_id = 'ben'");
	CHECK_STR(ben, "1|NULL|0.0|Lamp\n"); /* no category: the product's name */
	char *cleo = fixture_dump(db, "SELECT favourite_category FROM customer_360"
				      " WHERE customer_id = 'cleo'");
	CHECK_STR(cleo, "Kitchen\n"); /* 2000 each: the name that sorts first */
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_360 WHERE customer_id = 'dan'",
			       NULL, -1), 0);
	free(anna);
	free(ben);
	free(cleo);
	/* after `segments`, the profile carries the segment; rerunning replaces the rows */
	CHECK_INT(model_segments(db, &opt, &summary, &err), 0);
	CHECK_INT(model_customer360(db, &opt, &summary, &err), 0);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_360", NULL, -1), 3);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_360 c JOIN customer_rfm r"
				   " USING (customer_id) WHERE c.segment = r.segment"
				   " AND c.value_tier = r.value_tier", NULL, -1), 3);
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_customer_profiles_hold_the_hand_worked_figures);
	return check_summary();
}
