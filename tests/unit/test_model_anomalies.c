/* Unit tests of the daily revenue anomalies: a planted spike and a planted drop are
 * flagged with their direction, ordinary noise and a closed weekday are not, and the
 * step writes one row per calendar day. */
#include "check.h"

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/anomalies.h"
#include "model/model_days.h"
#include "util/rng.h"

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
	RUN(test_anomalies_step_flags_a_planted_spike_in_the_warehouse);
	return check_summary();
}
