/* Unit tests of RFM: measures, quintile scores, named segments and value tiers against a
 * ten-customer shop worked out by hand, the segment rules themselves, the `segments` step
 * and its k-means clusters. */
#include "check.h"

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/clusters.h"
#include "model/model_days.h"
#include "model/rfm.h"
#include "model/segments.h"

/* count orders of one customer, the last on last_day, 10 days apart, total cents split
 * evenly. */
static void add_orders(sqlite3 *db, const char *customer, int count, int64_t total,
		       const char *last_day)
{
	char order_id[32], time[32];
	for (int k = 0; k < count; k++) {
		snprintf(order_id, sizeof order_id, "%s-%d", customer, k);
		sqlite3_stmt *stmt;
		sqlite3_prepare_v2(db, "SELECT datetime(?1, printf('-%d days', ?2), '+10 hours')",
				   -1, &stmt, NULL);
		sqlite3_bind_text(stmt, 1, last_day, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, 10 * k);
		sqlite3_step(stmt);
		snprintf(time, sizeof time, "%s", (const char *)sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
		fixture_sale(db, order_id, customer, time, total / count);
	}
}

/* The ten customers. Worked out by hand, as of 2024-04-01 (the guest's order on 03-31 is
 * the data's last day):
 *   customer  R days  F  M cents   R F M  segment              tier
 *   c01          1    1    5000    5 1 1  New                  Low
 *   c02          2    5  100000    5 4 5  Champions            Medium
 *   c03         31    3   30000    3 3 3  Need Attention       Medium
 *   c04        183    1    2000    1 1 1  Lost                 Low
 *   c05        122    8  250000    2 5 5  At Risk              High
 *   c06          7    2   12000    4 2 3  Potential Loyalist   Low
 *   c07         46    1    8000    3 2 2  About to Sleep       Low
 *   c08         82    4   40000    2 3 4  At Risk              Medium
 *   c09        244    5    6000    1 4 2  Can't Lose Them      Low
 *   c10         12    6   90000    4 5 4  Champions            Medium
 * F ties (c01, c04, c07 with one order; c02, c09 with five) go by id: the first id gets
 * the lower score. Tier cuts: median 21000 (between 12000 and 30000), 90th percentile
 * 115000 (a tenth of the way from 100000 to 250000). */
static void seed_ten_customers(sqlite3 *db)
{
	db_exec(db, "BEGIN", NULL);
	add_orders(db, "c01", 1, 5000, "2024-03-31");
	fixture_line(db, "c01-0", 2, "p2", 1, 999900, 1);   /* flagged: never counts */
	add_orders(db, "c02", 5, 100000, "2024-03-30");
	add_orders(db, "c03", 3, 30000, "2024-03-01");
	add_orders(db, "c04", 1, 2000, "2023-10-01");
	fixture_order(db, "c04-cancel", "c04", "2024-03-28 09:00:00", "cancelled");
	fixture_line(db, "c04-cancel", 1, "p1", 1, 7000, 0);
	fixture_order(db, "c04-return", "c04", "2024-03-27 09:00:00", "returned");
	fixture_line(db, "c04-return", 1, "p1", 1, 7000, 0);
	add_orders(db, "c05", 8, 250000, "2023-12-01");
	add_orders(db, "c06", 2, 12000, "2024-03-25");
	add_orders(db, "c07", 1, 8000, "2024-02-15");
	add_orders(db, "c08", 4, 40000, "2024-01-10");
	add_orders(db, "c09", 5, 6000, "2023-08-01");
	fixture_order(db, "c09-flagged", "c09", "2024-03-29 09:00:00", "completed");
	fixture_line(db, "c09-flagged", 1, "p1", 1, 50000, 4); /* only a flagged line */
	add_orders(db, "c10", 6, 90000, "2024-03-20");
	fixture_sale(db, "guest-1", NULL, "2024-03-31 12:00:00", 500000);
	db_exec(db, "COMMIT", NULL);
}

struct expected_customer {
	const char *id;
	int recency, frequency;
	int64_t monetary;
	int r, f, m;
	enum rfm_segment segment;
	enum value_tier tier;
};

static const struct expected_customer ten[] = {
	{"c01", 1, 1, 5000, 5, 1, 1, SEG_NEW, TIER_LOW},
	{"c02", 2, 5, 100000, 5, 4, 5, SEG_CHAMPIONS, TIER_MEDIUM},
	{"c03", 31, 3, 30000, 3, 3, 3, SEG_NEED_ATTENTION, TIER_MEDIUM},
	{"c04", 183, 1, 2000, 1, 1, 1, SEG_LOST, TIER_LOW},
	{"c05", 122, 8, 250000, 2, 5, 5, SEG_AT_RISK, TIER_HIGH},
	{"c06", 7, 2, 12000, 4, 2, 3, SEG_POTENTIAL_LOYALIST, TIER_LOW},
	{"c07", 46, 1, 8000, 3, 2, 2, SEG_ABOUT_TO_SLEEP, TIER_LOW},
	{"c08", 82, 4, 40000, 2, 3, 4, SEG_AT_RISK, TIER_MEDIUM},
	{"c09", 244, 5, 6000, 1, 4, 2, SEG_CANT_LOSE, TIER_LOW},
	{"c10", 12, 6, 90000, 4, 5, 4, SEG_CHAMPIONS, TIER_MEDIUM},
};

static void test_rfm_scores_segments_and_tiers_match_the_hand_worked_shop(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed_ten_customers(db);
	struct rfm_table t;
	struct error err;
	CHECK_INT(rfm_table_load(db, &t, &err), 0);
	CHECK_INT(t.n, 10);
	CHECK_INT(t.as_of_day, day_from_date(2024, 4, 1));
	for (size_t i = 0; i < t.n && i < 10; i++) {
		const struct rfm_customer *c = &t.customers[i];
		CHECK_STR(t.customer_ids[i], ten[i].id);
		CHECK_INT(c->recency_days, ten[i].recency);
		CHECK_INT(c->frequency, ten[i].frequency);
		CHECK_INT(c->monetary_cents, ten[i].monetary);
		CHECK_INT(c->r, ten[i].r);
		CHECK_INT(c->f, ten[i].f);
		CHECK_INT(c->m, ten[i].m);
		CHECK_STR(rfm_segment_names[c->segment], rfm_segment_names[ten[i].segment]);
		CHECK_STR(value_tier_names[c->tier], value_tier_names[ten[i].tier]);
	}
	CHECK_NEAR(t.monetary_p50, 21000.0, 1e-9);
	CHECK_NEAR(t.monetary_p90, 115000.0, 1e-9);
	rfm_table_free(&t);
	temp_warehouse_remove(db, path);
}

static void test_every_score_triple_falls_in_exactly_one_named_segment(void)
{
	int seen[RFM_SEGMENT_COUNT] = {0};
	for (int r = 1; r <= 5; r++)
		for (int f = 1; f <= 5; f++)
			for (int m = 1; m <= 5; m++) {
				enum rfm_segment s = rfm_segment_of(r, f, m);
				CHECK(s >= 0 && s < RFM_SEGMENT_COUNT);
				seen[s]++;
			}
	for (int s = 0; s < RFM_SEGMENT_COUNT; s++)
		CHECK(seen[s] > 0);
	CHECK_INT(rfm_segment_of(5, 5, 5), SEG_CHAMPIONS);
	CHECK_INT(rfm_segment_of(5, 5, 3), SEG_LOYAL);      /* frequent, spends less */
	CHECK_INT(rfm_segment_of(3, 4, 1), SEG_LOYAL);
	CHECK_INT(rfm_segment_of(1, 5, 5), SEG_CANT_LOSE);
	CHECK_INT(rfm_segment_of(2, 4, 5), SEG_AT_RISK);
	CHECK_INT(rfm_segment_of(1, 3, 1), SEG_AT_RISK);
	CHECK_INT(rfm_segment_of(5, 1, 5), SEG_NEW);
	CHECK_INT(rfm_segment_of(4, 3, 1), SEG_POTENTIAL_LOYALIST);
	CHECK_INT(rfm_segment_of(4, 1, 2), SEG_PROMISING);
	CHECK_INT(rfm_segment_of(3, 3, 5), SEG_NEED_ATTENTION);
	CHECK_INT(rfm_segment_of(3, 1, 4), SEG_ABOUT_TO_SLEEP);
	CHECK_INT(rfm_segment_of(1, 2, 2), SEG_LOST);
	CHECK_INT(rfm_segment_of(1, 2, 3), SEG_HIBERNATING); /* spent more than the lost */
	CHECK_INT(rfm_segment_of(2, 1, 1), SEG_HIBERNATING);
}

static void test_equal_measures_are_scored_in_customer_order(void)
{
	struct rfm_customer c[5];
	for (int i = 0; i < 5; i++)
		c[i] = (struct rfm_customer){.recency_days = 10, .frequency = 1,
					     .monetary_cents = 100};
	rfm_score_customers(c, 5, NULL, NULL);
	for (int i = 0; i < 5; i++) {
		CHECK_INT(c[i].r, i + 1);
		CHECK_INT(c[i].f, i + 1);
		CHECK_INT(c[i].m, i + 1);
	}
	struct rfm_customer again[5];
	for (int i = 0; i < 5; i++)
		again[i] = (struct rfm_customer){.recency_days = 10, .frequency = 1,
						 .monetary_cents = 100};
	rfm_score_customers(again, 5, NULL, NULL);
	CHECK(memcmp(c, again, sizeof c) == 0);
}

static void test_segments_step_writes_its_tables_and_repeats_exactly(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	seed_ten_customers(db);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_segments(db, &opt, &summary, &err), 0);
	CHECK(strstr(buf_str(&summary), "10 customers scored as of 2024-04-01") != NULL);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_rfm", NULL, -1), 10);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_rfm WHERE customer_id = 'c09'"
				   " AND rfm_score = '142' AND segment = 'Can''t Lose Them'"
				   " AND value_tier = 'Low'", NULL, -1), 1);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM rfm_segments", NULL, -1), 11);
	CHECK_INT(db_query_int(db, "SELECT customers FROM rfm_segments WHERE segment = 'At Risk'",
			       NULL, -1), 2);
	CHECK_INT(db_query_int(db, "SELECT customers FROM rfm_segments WHERE segment = 'Loyal'",
			       NULL, -1), 0);
	CHECK_INT(db_query_int(db, "SELECT round(100 * revenue_share) FROM rfm_segments"
				   " WHERE segment = 'At Risk'", NULL, -1), 53); /* 290000 of 543000 */
	int64_t k = db_query_int(db, "SELECT value FROM model_metrics WHERE model ="
				     " 'segments_kmeans' AND metric = 'k'", NULL, -1);
	CHECK(k >= 3 && k <= 8);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM rfm_clusters", NULL, -1), k);
	CHECK_INT(db_query_int(db, "SELECT sum(customers) FROM rfm_clusters", NULL, -1), 10);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM model_curves WHERE model ="
				   " 'segments_kmeans' AND curve = 'silhouette'", NULL, -1), 6);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM rfm_clusters WHERE description"
				   " LIKE 'mostly %: about % days since the last order, % orders, %"
				   " spent'", NULL, -1), k);
	const char *dump_sql[] = {
		"SELECT * FROM customer_rfm ORDER BY customer_id",
		"SELECT * FROM rfm_segments ORDER BY segment",
		"SELECT * FROM rfm_clusters ORDER BY cluster",
		"SELECT * FROM model_metrics WHERE model = 'segments_kmeans' ORDER BY metric",
	};
	char *first[4];
	for (int i = 0; i < 4; i++)
		first[i] = fixture_dump(db, dump_sql[i]);
	CHECK_INT(model_segments(db, &opt, &summary, &err), 0);
	for (int i = 0; i < 4; i++) {
		char *second = fixture_dump(db, dump_sql[i]);
		CHECK_STR(second, first[i]);
		free(second);
		free(first[i]);
	}
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

static void test_segments_step_fails_clearly_on_an_empty_warehouse_and_skips_guests(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_segments(db, &opt, &summary, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "no orders") != NULL);
	/* guests only: orders, but no customer to score; not an error, `model all` goes on */
	fixture_sale(db, "g1", NULL, "2024-01-01 10:00:00", 100);
	CHECK_INT(model_segments(db, &opt, &summary, &err), 0);
	CHECK_STR(buf_str(&summary), "segments: skipped: no customer has a completed order\n");
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

/* Three planted kinds of customer, 40 each: recent big spenders, middling, long gone. */
static void test_clusters_find_planted_groups_and_describe_them_in_plain_units(void)
{
	struct rfm_customer c[120];
	for (int i = 0; i < 120; i++) {
		int kind = i % 3, jitter = i / 3 % 5;
		c[i] = (struct rfm_customer){0};
		c[i].recency_days = kind == 0 ? 5 + jitter : kind == 1 ? 60 + 3 * jitter
							      : 300 + 10 * jitter;
		c[i].frequency = kind == 0 ? 20 + jitter : kind == 1 ? 4 : 1;
		c[i].monetary_cents = kind == 0 ? 500000 + 1000 * jitter
				      : kind == 1 ? 40000 + 500 * jitter : 2000 + 100 * jitter;
	}
	rfm_score_customers(c, 120, NULL, NULL);
	struct rfm_clustering cl;
	struct error err;
	CHECK_INT(rfm_cluster(c, 120, 7, &cl, &err), 0);
	CHECK_INT(cl.k, 3);
	int found_big = 0;
	for (int j = 0; j < cl.k; j++) {
		CHECK_INT(cl.sizes[j], 40);
		const double *centre = cl.centres + 3 * j;
		if (centre[1] > 15) {
			found_big = 1;
			CHECK(centre[0] > 5 && centre[0] < 9);          /* days */
			CHECK(centre[1] > 20 && centre[1] < 24);        /* orders */
			CHECK(centre[2] > 500000 && centre[2] < 504000); /* cents */
			struct buf words = BUF_INIT;
			rfm_cluster_describe(&cl, j, c, &words);
			CHECK(strstr(buf_str(&words), "mostly Champions (100%)") != NULL);
			CHECK(strstr(buf_str(&words), ", 5,0") != NULL); /* about 5,0xx spent */
			buf_free(&words);
		}
	}
	CHECK(found_big);
	/* the same seed gives the same clusters */
	struct rfm_clustering again;
	CHECK_INT(rfm_cluster(c, 120, 7, &again, &err), 0);
	CHECK(memcmp(cl.assignment, again.assignment, 120 * sizeof *cl.assignment) == 0);
	rfm_clustering_free(&again);
	rfm_clustering_free(&cl);
	/* too few customers to cluster */
	CHECK_INT(rfm_cluster(c, 3, 7, &cl, &err), 0);
	CHECK_INT(cl.k, 0);
	rfm_clustering_free(&cl);
}

int main(void)
{
	RUN(test_rfm_scores_segments_and_tiers_match_the_hand_worked_shop);
	RUN(test_every_score_triple_falls_in_exactly_one_named_segment);
	RUN(test_equal_measures_are_scored_in_customer_order);
	RUN(test_segments_step_writes_its_tables_and_repeats_exactly);
	RUN(test_segments_step_fails_clearly_on_an_empty_warehouse_and_skips_guests);
	RUN(test_clusters_find_planted_groups_and_describe_them_in_plain_units);
	return check_summary();
}
