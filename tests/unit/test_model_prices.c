/* Unit tests of price sensitivity: a planted elasticity is recovered with a sensible
 * standard error, fixed prices give "not enough price variation", and products are
 * grouped by category, or by name when there is none. */
#include "check.h"

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/model_days.h"
#include "model/prices.h"
#include "util/rng.h"

/* Weekly sales of one product at prices that move ±25% around base_cents, quantity
 * following price^elasticity with ±10% noise; fixed_price keeps the price still. Orders
 * go on each week's Wednesday. */
static void sell_weekly(sqlite3 *db, struct rng *rng, const char *product, int64_t base_cents,
			double elasticity, int weeks, int fixed_price, int *order_no)
{
	int64_t monday = day_from_date(2024, 1, 1);
	for (int w = 0; w < weeks; w++) {
		double factor = fixed_price ? 1.0 : 0.75 + 0.5 * rng_uniform(rng);
		int64_t price = (int64_t)llround((double)base_cents * factor);
		double expected = 200.0 * pow(factor, elasticity) * (0.9 + 0.2 * rng_uniform(rng));
		int quantity = (int)lround(expected);
		char id[32], when[20], date[11];
		day_to_text(monday + 7 * w + 2, date);
		snprintf(id, sizeof id, "o%d", (*order_no)++);
		snprintf(when, sizeof when, "%.10s 10:00:00", date);
		fixture_order(db, id, "shopper", when, "completed");
		fixture_line(db, id, 1, product, quantity, price, 0);
	}
}

static void test_prices_recover_a_planted_elasticity(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	struct rng rng;
	rng_seed(&rng, 21);
	int order_no = 0;
	db_exec(db, "BEGIN", NULL);
	fixture_product(db, "tent-a", "Tent A", "Tents");
	fixture_product(db, "tent-b", "Tent B", "Tents");
	fixture_product(db, "tent-c", "Tent C", "Tents");
	fixture_product(db, "mug", "Mug", "Kitchen");
	fixture_product(db, "plate", "Plate", NULL);
	sell_weekly(db, &rng, "tent-a", 10000, -1.5, 40, 0, &order_no);
	sell_weekly(db, &rng, "tent-b", 25000, -1.5, 40, 0, &order_no);
	sell_weekly(db, &rng, "tent-c", 4000, -1.5, 40, 0, &order_no);
	sell_weekly(db, &rng, "mug", 800, -0.5, 40, 1, &order_no);
	sell_weekly(db, &rng, "plate", 1200, -0.8, 40, 0, &order_no);
	/* a cancelled order and a flagged line at a silly price change nothing */
	fixture_order(db, "x1", "shopper", "2024-02-07 10:00:00", "cancelled");
	fixture_line(db, "x1", 1, "tent-a", 500, 1, 0);
	fixture_order(db, "x2", "shopper", "2024-02-14 10:00:00", "completed");
	fixture_line(db, "x2", 1, "tent-a", 500, 1, 2);
	db_exec(db, "COMMIT", NULL);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_prices(db, &opt, &summary, &err), 0);
	sqlite3_stmt *stmt;
	sqlite3_prepare_v2(db, "SELECT products, weeks, elasticity, std_error, note"
			       " FROM price_elasticity WHERE product_group = ?1", -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, "Tents", -1, SQLITE_STATIC);
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(stmt, 0), 3);
	CHECK_INT(sqlite3_column_int(stmt, 1), 120);
	double slope = sqlite3_column_double(stmt, 2), se = sqlite3_column_double(stmt, 3);
	CHECK_NEAR(slope, -1.5, 0.1);
	CHECK(se > 0.01 && se < 0.1);
	CHECK(fabs(slope + 1.5) < 3 * se); /* the truth lies within the error bars */
	CHECK_STR((const char *)sqlite3_column_text(stmt, 4), "estimated");
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, "Kitchen", -1, SQLITE_STATIC);
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_INT(sqlite3_column_type(stmt, 2), SQLITE_NULL);
	CHECK_STR((const char *)sqlite3_column_text(stmt, 4), "not enough price variation");
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, "Plate", -1, SQLITE_STATIC); /* no category: its name */
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_NEAR(sqlite3_column_double(stmt, 2), -0.8, 0.15);
	sqlite3_finalize(stmt);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM price_elasticity", NULL, -1), 3);
	CHECK(strstr(buf_str(&summary), "3 product groups; 2 with enough price variation")
	      != NULL);
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

static void test_group_fit_takes_each_products_own_level_out(void)
{
	/* Two products, one dear and popular, one cheap and slow: across products price and
	 * quantity rise together, but within each, quantity falls as price rises (−2). */
	struct product_week dear[4], cheap[4];
	for (int w = 0; w < 4; w++) {
		double f = 1.0 + 0.1 * w;
		dear[w] = (struct product_week){w, llround(1000 * pow(f, -2.0)),
						llround(1000 * pow(f, -2.0) * 5000 * f)};
		cheap[w] = (struct product_week){w, llround(100 * pow(f, -2.0)),
						 llround(100 * pow(f, -2.0) * 500 * f)};
	}
	struct group_points g = {0};
	CHECK_INT(group_add_product(&g, dear, 4), 1);
	CHECK_INT(group_add_product(&g, cheap, 4), 1);
	CHECK_INT(g.n, 8);
	struct group_elasticity e;
	group_fit(&g, &e);
	CHECK(e.estimated);
	CHECK_INT(e.products, 2);
	CHECK_NEAR(e.line.slope, -2.0, 0.02);
	/* too few weeks, or a still price, adds nothing */
	CHECK_INT(group_add_product(&g, dear, 2), 0);
	struct product_week still[3] = {{1, 10, 1000}, {2, 20, 2000}, {3, 15, 1500}};
	CHECK_INT(group_add_product(&g, still, 3), 0);
	CHECK_INT(g.n, 8);
	group_points_free(&g);
}

int main(void)
{
	RUN(test_prices_recover_a_planted_elasticity);
	RUN(test_group_fit_takes_each_products_own_level_out);
	return check_summary();
}
