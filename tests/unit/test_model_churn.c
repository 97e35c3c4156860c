/* Unit tests of the churn models: features never read past their snapshot, the logistic
 * pipeline finds planted churners well above chance and repeats exactly, BG/NBD's
 * probability of no order agrees with simulation, and reasons read as a person would
 * write them. */
#include "check.h"

#include "shop_fixture.h"
#include "temp_warehouse.h"

#include "model/churn.h"
#include "model/churn_bgnbd.h"
#include "model/churn_dataset.h"
#include "model/churn_reasons.h"
#include "model/model_days.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* The planted shop spans 720 days from 2023-01-01 (its last day is 2024-12-21). */
#define SHOP_DAYS 720

static void time_text(int64_t day, int minute_of_day, char out[20])
{
	char date[11];
	day_to_text(day, date);
	unsigned minute = (unsigned)minute_of_day % 1440u;
	snprintf(out, 20, "%.10s %02u:%02u:00", date, minute / 60u, minute % 60u);
}

/* Planted customers: loyal ones buy every 10..40 days until the end; churners buy like
 * them but stop for good at a random day; one-time buyers come once. Each order has one
 * or two lines of products p1..p30, a few orders are cancelled. */
static void seed_planted_shop(sqlite3 *db, int customers, uint64_t seed)
{
	struct rng rng;
	rng_seed(&rng, seed);
	int64_t first = day_from_date(2023, 1, 1), last = first + SHOP_DAYS - 1;
	int order_no = 0;
	db_exec(db, "BEGIN", NULL);
	for (int c = 0; c < customers; c++) {
		char customer[32], order_id[48], product[32], when[20];
		snprintf(customer, sizeof customer, "cust%04d", c);
		int kind = (int)rng_below(&rng, 3); /* 0 loyal, 1 churner, 2 one-time */
		int64_t day = first + (int64_t)rng_below(&rng, SHOP_DAYS - 60);
		int64_t stop = kind == 1 ? day + 30 + (int64_t)rng_below(&rng, SHOP_DAYS) : last;
		int gap = 10 + (int)rng_below(&rng, 31);
		do {
			snprintf(order_id, sizeof order_id, "o%06d", order_no++);
			time_text(day, 480 + (int)rng_below(&rng, 600), when);
			int cancelled = rng_below(&rng, 25) == 0;
			fixture_order(db, order_id, customer, when, cancelled ? "cancelled" : "completed");
			int lines = 1 + (int)rng_below(&rng, 2);
			for (int l = 1; l <= lines; l++) {
				snprintf(product, sizeof product, "p%d", 1 + (int)rng_below(&rng, 30));
				fixture_line(db, order_id, l, product, 1 + (int)rng_below(&rng, 3),
					     500 + (int64_t)rng_below(&rng, 5000), 0);
			}
			day += gap / 2 + (int64_t)rng_below(&rng, (uint64_t)gap);
		} while (kind != 2 && day <= stop && day <= last);
	}
	/* the last day of the data, whatever the draws */
	char when[20];
	time_text(last, 600, when);
	fixture_sale(db, "guest-last", NULL, when, 1000);
	db_exec(db, "COMMIT", NULL);
}

static int64_t shop_end(void)
{
	return day_from_date(2023, 1, 1) + SHOP_DAYS; /* the day after the last */
}

static double metric(sqlite3 *db, const char *model, const char *name)
{
	sqlite3_stmt *stmt;
	double v = NAN;
	sqlite3_prepare_v2(db, "SELECT value FROM model_metrics WHERE model = ?1 AND metric = ?2",
			   -1, &stmt, NULL);
	sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = sqlite3_column_double(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Every feature of every customer active at snapshot k, in the full and plain sets. */
static char *feature_text(const struct churn_dataset *d, int k)
{
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const struct churn_summary *s = churn_dataset_at(d, i, k);
		if (!s->active)
			continue;
		double row[CHURN_FEATURE_COUNT];
		buf_printf(&out, "%s", d->customer_ids[i]);
		churn_feature_row(s, churn_model_features, churn_model_feature_count, row);
		for (size_t j = 0; j < churn_model_feature_count; j++)
			buf_printf(&out, " %.17g", row[j]);
		churn_feature_row(s, churn_plain_features, churn_plain_feature_count, row);
		for (size_t j = 0; j < churn_plain_feature_count; j++)
			buf_printf(&out, " %.17g", row[j]);
		buf_printf(&out, " %.17g %.17g\n", s->expected_orders, s->p_no_order);
	}
	return buf_detach(&out);
}

static char *label_text(const struct churn_dataset *d, int k)
{
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < d->n; i++)
		if (churn_dataset_at(d, i, k)->active)
			buf_printf(&out, "%s %d\n", d->customer_ids[i],
				   churn_dataset_at(d, i, k)->churned);
	return buf_detach(&out);
}

static void test_features_read_nothing_after_their_snapshot(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	seed_planted_shop(db, 300, 11);
	int64_t test_day = shop_end() - 90, train_day = test_day - 90;
	int64_t days[2] = {train_day, test_day};
	struct churn_dataset before, after;
	struct error err;
	CHECK_INT(churn_dataset_load(db, days, 2, 90, &before, &err), 0);
	char *train_features = feature_text(&before, 0), *test_features = feature_text(&before, 1);
	char *test_labels = label_text(&before, 1);
	/* The future: orders, returns and new products for every tenth customer from the very
	 * first second of the test snapshot on, and a customer who only appears then. */
	db_exec(db, "BEGIN", NULL);
	for (int c = 0; c < 300; c += 10) {
		char customer[32], order_id[48], when[20];
		snprintf(customer, sizeof customer, "cust%04d", c);
		for (int k = 0; k < 3; k++) {
			snprintf(order_id, sizeof order_id, "future-%d-%d", c, k);
			time_text(test_day + 30 * k, k == 0 ? 0 : 600, when);
			fixture_order(db, order_id, customer, when, k == 2 ? "returned" : "completed");
			fixture_line(db, order_id, 1, "brand-new-product", 5, 99900, 0);
		}
	}
	char when[20];
	time_text(test_day, 0, when);
	fixture_sale(db, "future-newcomer", "zz-newcomer", when, 5000);
	db_exec(db, "COMMIT", NULL);
	CHECK_INT(churn_dataset_load(db, days, 2, 90, &after, &err), 0);
	CHECK_INT(after.n, before.n + 1);
	char *train_again = feature_text(&after, 0), *test_again = feature_text(&after, 1);
	char *labels_again = label_text(&after, 1);
	CHECK_STR(train_again, train_features);
	CHECK_STR(test_again, test_features);
	CHECK(strcmp(labels_again, test_labels) != 0); /* the future did reach the labels */
	CHECK(memcmp(&after.bgnbd[1].params, &before.bgnbd[1].params,
		     sizeof before.bgnbd[1].params) == 0);
	free(train_features);
	free(test_features);
	free(test_labels);
	free(train_again);
	free(test_again);
	free(labels_again);
	churn_dataset_free(&before);
	churn_dataset_free(&after);
	temp_warehouse_remove(db, path);
}

static void test_churn_pipeline_finds_planted_churners_and_repeats_exactly(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	seed_planted_shop(db, 900, 5);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	int rc = model_churn(db, &opt, &summary, &err);
	CHECK_INT(rc, 0);
	if (rc)
		printf("    %s\n", err.msg);
	double auc = metric(db, "churn_logreg", "roc_auc");
	CHECK(auc > 0.8);
	CHECK(metric(db, "churn_bgnbd", "roc_auc") > 0.7);
	CHECK(metric(db, "churn_recency", "roc_auc") > 0.6);
	CHECK(metric(db, "churn_logreg_plain", "roc_auc") > 0.7);
	double base = metric(db, "churn_logreg", "base_rate");
	CHECK(base > 0.2 && base < 0.8);
	CHECK(metric(db, "churn_logreg", "brier") < base * (1 - base)); /* beats the base rate */
	CHECK(metric(db, "churn_logreg", "pr_auc") > base);
	CHECK(metric(db, "churn_logreg", "n") > 200);
	CHECK(!isnan(metric(db, "churn_logreg", "roc_auc_backtest")));
	CHECK(!isnan(metric(db, "churn_logreg", "coef_active_months")));
	CHECK_NEAR(metric(db, "churn_logreg", "chosen") + metric(db, "churn_bgnbd", "chosen"),
		   1.0, 0.0);
	CHECK(db_query_int(db, "SELECT count(*) FROM model_curves WHERE model = 'churn_logreg'"
			       " AND curve = 'roc'", NULL, 0) >= 3);
	CHECK(db_query_int(db, "SELECT count(*) FROM model_curves WHERE model = 'churn_bgnbd'"
			       " AND curve = 'calibration'", NULL, 0) >= 2);
	CHECK_INT(db_query_int(db, "SELECT sum(n) FROM model_curves WHERE model = 'churn_logreg'"
				   " AND curve = 'calibration'", NULL, 0),
		  (int64_t)metric(db, "churn_logreg", "n"));
	/* the risk list: every active customer, ranked, with a reason */
	int64_t scored = db_query_int(db, "SELECT count(*) FROM churn_scores", NULL, 0);
	CHECK(scored > 300);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM churn_scores WHERE risk BETWEEN 0 AND 1"
				   " AND reason <> '' AND model IN ('churn_logreg', 'churn_bgnbd')",
			       NULL, 0), scored);
	CHECK_INT(db_query_int(db, "SELECT max(risk_rank) FROM churn_scores", NULL, 0), scored);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM churn_scores a JOIN churn_scores b"
				   " ON b.risk_rank = a.risk_rank + 1 WHERE b.risk > a.risk", NULL, -1),
		  0);
	CHECK(strstr(buf_str(&summary), "churn: 90-day horizon; trained at 2024-06-24") != NULL);
	const char *dump_sql[] = {
		"SELECT * FROM churn_scores ORDER BY customer_id",
		"SELECT * FROM model_metrics WHERE model LIKE 'churn%' ORDER BY model, metric",
		"SELECT * FROM model_curves WHERE model LIKE 'churn%' ORDER BY model, curve, seq",
	};
	char *first[3];
	for (int i = 0; i < 3; i++)
		first[i] = fixture_dump(db, dump_sql[i]);
	CHECK_INT(model_churn(db, &opt, &summary, &err), 0);
	for (int i = 0; i < 3; i++) {
		char *second = fixture_dump(db, dump_sql[i]);
		CHECK(strcmp(second, first[i]) == 0);
		free(second);
		free(first[i]);
	}
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

static void test_churn_skips_a_horizon_the_history_cannot_cover(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	seed_planted_shop(db, 200, 3);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	CHECK_INT(model_churn(db, &opt, &summary, &err), 0);
	int64_t scored = db_query_int(db, "SELECT count(*) FROM churn_scores", NULL, -1);
	CHECK(scored > 0);
	buf_reset(&summary);
	opt.horizon_days = 400; /* 2 × 400 days > the 720 there are */
	CHECK_INT(model_churn(db, &opt, &summary, &err), 0);
	CHECK(strstr(buf_str(&summary), "churn: skipped: not enough history for a 400-day churn "
				       "horizon") != NULL);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM churn_scores", NULL, -1), scored);
	char *detail = fixture_dump(db, "SELECT detail FROM model_metrics WHERE model ="
					" 'churn_logreg' AND metric = 'roc_auc'");
	CHECK(strstr(detail, "in the 90 days after") != NULL); /* the 90-day figures stand */
	free(detail);
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

static void test_bgnbd_chance_of_no_order_matches_simulated_customers(void)
{
	struct bgnbd_params p = {0.8, 20.0, 0.6, 2.5};
	size_t n = 20000;
	double *age = xmalloc(n * sizeof *age), predicted = 0.0;
	struct bgnbd_customer *c = xmalloc(n * sizeof *c);
	int *later = xmalloc(n * sizeof *later), silent = 0;
	for (size_t i = 0; i < n; i++)
		age[i] = 30.0 + (double)(i % 300);
	bgnbd_simulate(&p, age, n, 99, 60.0, c, later);
	for (size_t i = 0; i < n; i++) {
		predicted += churn_bgnbd_p_no_order(&p, &c[i], 60.0);
		silent += later[i] == 0;
	}
	CHECK_NEAR(predicted / (double)n, (double)silent / (double)n, 0.015);
	/* a one-time buyer: only the Poisson clock, ((α+T)/(α+T+t))^r */
	struct bgnbd_customer once = {0, 0.0, 50.0};
	CHECK_NEAR(churn_bgnbd_p_no_order(&p, &once, 60.0), pow(70.0 / 130.0, 0.8), 1e-12);
	CHECK(churn_bgnbd_p_no_order(&p, &once, 120.0) < churn_bgnbd_p_no_order(&p, &once, 60.0));
	free(age);
	free(c);
	free(later);
}

static void check_reason(const struct churn_summary *s, const char *want)
{
	struct buf out = BUF_INIT;
	churn_reason(s, 90, &out);
	CHECK_STR(buf_str(&out), want);
	buf_free(&out);
}

static void test_churn_reasons_read_like_a_person_wrote_them(void)
{
	struct churn_summary s = {0};
	s.orders = s.order_days = 5;
	s.mean_gap_days = 30.0;
	s.recency_days = 140;
	check_reason(&s, "no order for 140 days, usually every 30");
	s.recency_days = 10;
	s.spend_recent = 120.0;
	s.spend_previous = 560.0;
	check_reason(&s, "spend falling: 120 in the last 90 days, 560 in the 90 before");
	s.recency_days = 100;
	check_reason(&s, "no order for 100 days, usually every 30; spend falling: 120 in the "
			 "last 90 days, 560 in the 90 before");
	struct churn_summary once = {0};
	once.orders = once.order_days = 1;
	once.recency_days = 200;
	check_reason(&once, "one order so far, 200 days ago");
	struct churn_summary returner = {0};
	returner.orders = returner.order_days = 5;
	returner.returns = 3;
	returner.mean_gap_days = 20.0;
	returner.recency_days = 12;
	check_reason(&returner, "returned 3 of 8 orders");
	returner.returns = 0;
	check_reason(&returner, "last order 12 days ago, usually every 20");
	struct churn_summary pair = {0}; /* two orders a day apart: no rhythm to quote */
	pair.orders = pair.order_days = 2;
	pair.mean_gap_days = 1.0;
	pair.recency_days = 226;
	check_reason(&pair, "no order for 226 days");
}

/* Months with an order count each 30-day month of the last twelve once, however many
 * orders fell in it, and nothing older or on or after the snapshot. */
static void test_active_months_count_recent_months_with_an_order(void)
{
	const int64_t snapshot = 20000, day = SECONDS_PER_DAY;
	struct history_order orders[] = {
		{(snapshot - 400) * day, 1000}, /* more than twelve months back */
		{(snapshot - 200) * day, 1000}, /* month 6 */
		{(snapshot - 190) * day, 1000}, /* month 6 again */
		{(snapshot - 45) * day, 1000},  /* month 1 */
		{(snapshot - 1) * day, 1000},   /* month 0 */
		{(snapshot + 5) * day, 1000},   /* after the snapshot: the label only */
	};
	struct customer_history h = {"C1", orders, sizeof orders / sizeof orders[0],
				     NULL, 0, NULL, 0};
	struct churn_summary s;
	churn_summarise(&h, snapshot, 90, &s);
	CHECK_INT(s.active_months, 3);
	CHECK_NEAR(churn_feature_value(&s, CF_ACTIVE_MONTHS), 3.0, 0.0);
	CHECK_INT(s.orders, 5);
	CHECK(!s.churned);
}

int main(void)
{
	RUN(test_features_read_nothing_after_their_snapshot);
	RUN(test_churn_pipeline_finds_planted_churners_and_repeats_exactly);
	RUN(test_churn_skips_a_horizon_the_history_cannot_cover);
	RUN(test_bgnbd_chance_of_no_order_matches_simulated_customers);
	RUN(test_churn_reasons_read_like_a_person_wrote_them);
	RUN(test_active_months_count_recent_months_with_an_order);
	return check_summary();
}
