/* Unit tests of the daily anomalies: a planted spike and a planted drop are flagged
 * with their direction, ordinary noise and a closed weekday are not, a few large orders
 * are not unusual, a day of many more (or no) orders than its weekday is, a quiet
 * weekday is not, and the step writes one row per calendar day. */
#include "check.h"

#include <math.h>

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/anomalies.h"
#include "model/model_days.h"
#include "util/rng.h"

/* Judges the n days and counts the flagged ones. */
static int judge_and_count(struct sales_day *days, int n)
{
	anomalies_judge(days, (size_t)n);
	int flagged = 0;
	for (int i = 0; i < n; i++)
		flagged += days[i].flagged;
	return flagged;
}

static void test_judge_flags_a_spike_and_a_drop_but_not_noise(void)
{
	struct sales_day days[120];
	struct rng rng;
	rng_seed(&rng, 4);
	int64_t first = day_from_date(2024, 1, 1);
	for (int i = 0; i < 120; i++) {
		days[i] = (struct sales_day){0};
		days[i].day = first + i;
		days[i].revenue_cents = 100000 + (int64_t)rng_below(&rng, 20000);
		days[i].orders = 10;
	}
	days[70].revenue_cents = 500000;  /* a spike */
	days[100].revenue_cents = 5000;   /* a drop */
	anomalies_judge(days, 120);
	int flagged = 0;
	for (int i = 0; i < 120; i++) {
		CHECK(days[i].trading);
		CHECK_INT(days[i].judged, i >= ANOMALY_MIN_HISTORY);
		flagged += days[i].flagged;
	}
	CHECK_INT(flagged, 2);
	CHECK(days[70].flagged && days[70].z > 10.0);
	CHECK(days[100].flagged && days[100].z < -5.0);
	CHECK(days[70].baseline_cents > 100000 && days[70].baseline_cents < 120000);
	/* the spike is not part of its own baseline, nor does it drag the next day's */
	CHECK(!days[71].flagged);
}

static void test_a_closed_weekday_is_not_a_trading_day(void)
{
	struct sales_day days[84];
	int64_t first = day_from_date(2024, 1, 1); /* a Monday */
	for (int i = 0; i < 84; i++) {
		days[i] = (struct sales_day){0};
		days[i].day = first + i;
		int saturday = day_of_week(days[i].day) == 5;
		days[i].revenue_cents = saturday ? 0 : 100000 + 1000 * (i % 7);
		days[i].orders = saturday ? 0 : 10;
	}
	anomalies_judge(days, 84);
	for (int i = 0; i < 84; i++) {
		int saturday = day_of_week(days[i].day) == 5;
		CHECK_INT(days[i].trading, !saturday);
		CHECK(!days[i].flagged);
		if (saturday)
			CHECK(!days[i].judged);
	}
}

/* Three orders a day, mostly small, one in ten days a large one: the revenue's MAD is
 * that of the small days, against which every large order is "unusual"; the orders'
 * own spread says it is not. */
static void lumpy_days(struct sales_day *days, int n, struct rng *rng)
{
	int64_t first = day_from_date(2024, 1, 1);
	for (int i = 0; i < n; i++) {
		days[i] = (struct sales_day){0};
		days[i].day = first + i;
		days[i].orders = 3;
		for (int k = 0; k < 3; k++) {
			int64_t value = rng_below(rng, 10) == 0 ? 200000 + (int64_t)rng_below(rng, 50000)
								: 2000 + (int64_t)rng_below(rng, 4000);
			days[i].revenue_cents += value;
			days[i].order_squares += (double)value * (double)value;
		}
	}
}

static void test_a_few_large_orders_are_not_unusual(void)
{
	struct sales_day days[200];
	struct rng rng;
	rng_seed(&rng, 11);
	lumpy_days(days, 200, &rng);
	/* at most 2% of the days judged: where two large orders met */
	CHECK(judge_and_count(days, 200) <= 4);
	/* without the orders' spread, the MAD alone calls many of them unusual */
	for (int i = 0; i < 200; i++)
		days[i].order_squares = 0.0;
	CHECK(judge_and_count(days, 200) > 20);
}

/* Twelve weeks of a shop whose Sundays bring fewer orders: 60 on other days, 20 on
 * Sundays, give or take a few, for 3,000.00 a day whatever the day (Sunday's orders are
 * larger), give or take 50.00. */
static void set_orders(struct sales_day *d, int orders, int64_t revenue_cents)
{
	d->orders = orders;
	d->revenue_cents = revenue_cents;
	double value = orders ? (double)revenue_cents / orders : 0.0;
	d->order_squares = orders * value * value;
}

static void weekly_days(struct sales_day *days, int n, struct rng *rng)
{
	int64_t first = day_from_date(2024, 1, 1); /* a Monday */
	for (int i = 0; i < n; i++) {
		days[i] = (struct sales_day){0};
		days[i].day = first + i;
		int sunday = day_of_week(days[i].day) == 6;
		set_orders(&days[i], (sunday ? 20 : 60) + (int)rng_below(rng, 7) - 3,
			   300000 + (int64_t)rng_below(rng, 10000) - 5000);
	}
}

static void test_orders_are_judged_against_their_weekday(void)
{
	struct sales_day days[84];
	struct rng rng;
	rng_seed(&rng, 12);
	weekly_days(days, 84, &rng);
	anomalies_judge(days, 84);
	for (int i = 0; i < 84; i++) {
		CHECK(!days[i].flagged); /* quiet Sundays are the usual for a Sunday */
		CHECK_INT(days[i].orders_judged, i >= 7 * ANOMALY_MIN_WEEKS);
	}
	CHECK(days[83].orders_baseline > 16 && days[83].orders_baseline < 24); /* a Sunday */

	/* a sale: twice the orders at half the value, the same revenue */
	weekly_days(days, 84, &rng);
	set_orders(&days[66], 120, 300000); /* a Wednesday */
	/* a bank holiday: no orders at all on a Monday */
	set_orders(&days[70], 0, 0);
	CHECK_INT(judge_and_count(days, 84), 2);
	CHECK(days[66].flagged && days[66].direction == 1 && days[66].orders_z > 5.0);
	CHECK(fabs(days[66].z) < ANOMALY_Z_THRESHOLD); /* its revenue was ordinary */
	CHECK(days[70].flagged && days[70].direction == -1 && days[70].orders_z < -5.0);
}

static void test_anomalies_step_flags_a_planted_spike_in_the_warehouse(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	struct rng rng;
	rng_seed(&rng, 8);
	int64_t first = day_from_date(2024, 3, 1);
	db_exec(db, "BEGIN", NULL);
	int order_no = 0;
	for (int i = 0; i < 90; i++) {
		if (i == 40)
			continue; /* a day without orders mid-series still gets its row */
		char date[11], when[20], id[16];
		day_to_text(first + i, date);
		int orders = i == 60 ? 60 : 8 + (int)rng_below(&rng, 5);
		for (int k = 0; k < orders; k++) {
			snprintf(id, sizeof id, "o%d", order_no++);
			snprintf(when, sizeof when, "%.10s %02d:00:00", date, 8 + k % 12);
			fixture_order(db, id, k % 3 ? "regular" : NULL, when, "completed");
			fixture_line(db, id, 1, "p1", 1, 2000 + (int64_t)rng_below(&rng, 1000), 0);
			fixture_line(db, id, 2, "p2", 1, 1000000, k == 0 ? 2 : 0); /* flagged: out */
		}
		snprintf(id, sizeof id, "c%d", i);
		snprintf(when, sizeof when, "%.10s 23:00:00", date);
		fixture_order(db, id, "regular", when, "cancelled"); /* never counts */
		fixture_line(db, id, 1, "p1", 100, 100000, 0);
	}
	db_exec(db, "COMMIT", NULL);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_anomalies(db, &opt, &summary, &err), 0);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM daily_sales", NULL, -1), 90);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM daily_sales WHERE flagged", NULL, -1), 2);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM daily_sales WHERE flagged AND day ="
				   " '2024-04-30' AND direction = 'up' AND orders = 60", NULL, -1), 1);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM daily_sales WHERE day = '2024-04-10'"
				   " AND revenue_cents = 0 AND orders = 0 AND flagged"
				   " AND direction = 'down'", NULL, -1), 1);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM daily_sales WHERE z IS NULL", NULL, -1),
		  ANOMALY_MIN_HISTORY);
	CHECK(strstr(buf_str(&summary), "2 flagged (1 up, 1 down)") != NULL);
	CHECK(strstr(buf_str(&summary), "the largest on 2024-04-30") != NULL);
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_judge_flags_a_spike_and_a_drop_but_not_noise);
	RUN(test_a_closed_weekday_is_not_a_trading_day);
	RUN(test_a_few_large_orders_are_not_unusual);
	RUN(test_orders_are_judged_against_their_weekday);
	RUN(test_anomalies_step_flags_a_planted_spike_in_the_warehouse);
	return check_summary();
}
