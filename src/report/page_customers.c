/* page_customers: who the customers are and who is slipping away: RFM segments with
 * their rules and value, the R × F grid, value tiers, k-means cluster profiles, cohort
 * retention, the lifetime-value distribution, the best customers and the churn-risk
 * list with a reason for each. Reads the tables of `model segments`, `model churn` and
 * `model cohorts`; a section whose model has not run says so. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/build_internal.h"
#include "util/xalloc.h"

static const char segments_sql[] =
	"SELECT segment, rule, customers, printf('%,d', customers) AS customers_text,"
	" printf('%.1f%%', 100 * share) AS share_text,"
	" printf('%.1f%%', 100 * revenue_share) AS revenue_share_text,"
	" CAST(round(median_recency_days) AS INTEGER) AS median_recency,"
	" CAST(round(median_frequency) AS INTEGER) AS median_frequency,"
	" median_monetary_cents"
	" FROM rfm_segments ORDER BY rfm_segments.revenue_share DESC, segment";

static const char grid_sql[] =
	"SELECT r_score, f_score, count(*) AS customers FROM customer_rfm GROUP BY 1, 2";

static const char tiers_sql[] =
	"SELECT value_tier AS tier, printf('%,d', count(*)) AS customers, sum(monetary_cents) AS cents"
	" FROM customer_rfm GROUP BY 1"
	" ORDER BY CASE value_tier WHEN 'High' THEN 0 WHEN 'Medium' THEN 1 ELSE 2 END";

/* A cluster's main segment comes with the share of its customers in it. */
static const char clusters_sql[] =
	"SELECT c.cluster + 1 AS number, printf('%,d', c.customers) AS customers,"
	" CAST(round(c.recency_days) AS INTEGER) AS recency,"
	" printf('%.1f', c.frequency) AS frequency, c.monetary_cents, c.main_segment,"
	" printf('%.0f%%', 100.0 * (SELECT count(*) FROM customer_rfm r WHERE r.cluster = c.cluster"
	"   AND r.segment = c.main_segment) / max(c.customers, 1)) AS main_share"
	" FROM rfm_clusters c ORDER BY c.cluster";

static const char cohorts_sql[] =
	"SELECT " MONTH_LABEL_SQL("cohort || '-01'") " AS cohort, months_since, retention"
	" FROM cohort_retention WHERE cohort >= (SELECT min(cohort) FROM (SELECT DISTINCT"
	"   cohort FROM cohort_retention ORDER BY cohort DESC LIMIT 18)) AND months_since <= 12"
	" ORDER BY cohort_retention.cohort, months_since";

static const char top_customers_sql[] =
	"SELECT customer_id, printf('%,d', orders) AS orders, lifetime_value_cents,"
	" avg_order_value_cents,"
	" last_purchase, segment, coalesce(favourite_category, '') AS favourite_category"
	" FROM customer_360 ORDER BY lifetime_value_cents DESC, customer_id LIMIT 20";

static const char risk_sql[] =
	"SELECT s.risk_rank, s.customer_id, printf('%.0f%%', 100 * s.risk) AS risk, s.reason,"
	" c.segment, c.lifetime_value_cents"
	" FROM churn_scores s LEFT JOIN customer_360 c USING (customer_id)"
	" ORDER BY s.risk_rank LIMIT 100";

/* Adds a formatted money field next to a cents field in every row of list. */
static void add_money_column(const struct build *b, struct value *list, const char *cents_key,
			     const char *text_key)
{
	for (size_t i = 0; i < list->as.list.len; i++) {
		struct value *row = list->as.list.items[i];
		struct buf t = BUF_INIT;
		build_money(b, llround(value_number_of(row, cents_key, 0)), 0, &t);
		value_map_set_str(row, text_key, buf_str(&t));
		buf_free(&t);
	}
}

static int add_segments(struct build *b, struct value *data, struct error *err)
{
	struct value *rows = value_map_add_list(data, "segments");
	int rc = query_rows(b->db, segments_sql, NULL, 0, rows, err);
	size_t n = rows->as.list.len;
	if (rc < 0 || n == 0)
		return rc;
	add_money_column(b, rows, "median_monetary_cents", "median_monetary");
	double *customers = query_numbers(rows, "customers");
	const char **names = query_labels(rows, "segment");
	struct chart_series series = {"Customers", customers, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .horizontal = 1, .title = "Customers by RFM segment",
		.subtitle = "Ordered by their share of revenue, largest first",
		.source = "Source: customer_rfm (model segments)",
		.point_count = n, .categories = names, .series = &series, .series_count = 1,
	};
	rc = build_chart(b, &spec, "segments", value_map_add_map(data, "segments_chart"), err);
	free(customers);
	free(names);
	return rc;
}

static int add_rfm_grid(struct build *b, struct value *data, struct error *err)
{
	static const char *const rows_labels[5] = {"R 5 (recent)", "R 4", "R 3", "R 2",
						   "R 1 (long ago)"};
	static const char *const col_labels[5] = {"F 1", "F 2", "F 3", "F 4", "F 5"};
	struct value *rows = value_list_new();
	int rc = query_rows(b->db, grid_sql, NULL, 0, rows, err);
	double cells[25];
	for (int i = 0; i < 25; i++)
		cells[i] = 0;
	for (size_t i = 0; i < rows->as.list.len; i++) {
		const struct value *row = rows->as.list.items[i];
		int r = (int)value_number_of(row, "r_score", 0), f = (int)value_number_of(row, "f_score", 0);
		if (r >= 1 && r <= 5 && f >= 1 && f <= 5)
			cells[(5 - r) * 5 + (f - 1)] = value_number_of(row, "customers", 0);
	}
	struct chart_spec spec = {
		.type = CHART_HEATMAP, .title = "Customers on the RFM grid",
		.subtitle = "Recency score down the side, frequency score across: champions sit top right",
		.source = "Source: customer_rfm (model segments)", .x_label = "Frequency score",
		.matrix = {cells, 5, 5, rows_labels, col_labels},
	};
	if (rc == 0 && rows->as.list.len)
		rc = build_chart(b, &spec, "rfm-grid", value_map_add_map(data, "grid_chart"), err);
	value_free(rows);
	return rc;
}

static int add_tiers_and_clusters(struct build *b, struct value *data, struct error *err)
{
	struct value *tiers = value_map_add_list(data, "tiers");
	int rc = query_rows(b->db, tiers_sql, NULL, 0, tiers, err);
	if (rc == 0)
		add_money_column(b, tiers, "cents", "revenue");
	struct value *clusters = value_map_add_list(data, "clusters");
	if (rc == 0)
		rc = query_rows(b->db, clusters_sql, NULL, 0, clusters, err);
	if (rc == 0)
		add_money_column(b, clusters, "monetary_cents", "monetary");
	return rc;
}

/* The retention heatmap: rows are cohorts, columns months since the first order. */
static int add_cohorts(struct build *b, struct value *data, struct error *err)
{
	struct value *rows = value_list_new();
	int rc = query_rows(b->db, cohorts_sql, NULL, 0, rows, err);
	size_t n = rows->as.list.len, cohorts = 0, cols = 13;
	const char **labels = xmalloc((n ? n : 1) * sizeof *labels);
	double *cells = xmalloc((n ? n : 1) * cols * sizeof *cells);
	const char *previous = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct value *row = rows->as.list.items[i];
		const char *label = value_string_of(row, "cohort", "");
		if (!previous || strcmp(previous, label) != 0) {
			labels[cohorts] = label;
			for (size_t c = 0; c < cols; c++)
				cells[cohorts * cols + c] = NAN;
			cohorts++;
			previous = label;
		}
		int m = (int)value_number_of(row, "months_since", -1);
		if (m >= 0 && (size_t)m < cols)
			cells[(cohorts - 1) * cols + (size_t)m] = value_number_of(row, "retention", NAN);
	}
	struct chart_spec spec = {
		.type = CHART_HEATMAP, .title = "Customer retention by cohort",
		.subtitle = "Share of each month's new customers who ordered again n months later",
		.source = "Source: cohort_retention (model cohorts); grey: no data yet",
		.x_label = "Months since first order", .format = {CHART_PERCENT, NULL, 0},
		.matrix = {cells, cohorts, cols, labels, NULL}, .height = 520,
	};
	if (rc == 0 && cohorts)
		rc = build_chart(b, &spec, "cohort-retention", value_map_add_map(data, "cohorts_chart"),
				 err);
	free(labels);
	free(cells);
	value_free(rows);
	return rc;
}

static int add_lifetime_values(struct build *b, struct value *data, struct error *err)
{
	struct value *rows = value_list_new();
	int rc = query_rows(b->db, "SELECT lifetime_value_cents / 100.0 AS value FROM customer_360",
			    NULL, 0, rows, err);
	size_t n = rows->as.list.len;
	double *values = query_numbers(rows, "value");
	struct chart_series series = {"Customers", values, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_HISTOGRAM, .title = "Lifetime value",
		.subtitle = "Spend per customer on completed orders; the far tail is gathered at the right",
		.source = "Source: customer_360", .x_format = b->money, .y_label = "Customers",
		.series = &series, .series_count = 1,
	};
	if (rc == 0 && n)
		rc = build_chart(b, &spec, "lifetime-value", value_map_add_map(data, "ltv_chart"), err);
	free(values);
	value_free(rows);
	return rc;
}

/* Below this ROC AUC on the test split, the risk list comes with a caution. */
#define WEAK_AUC "0.6"

static int add_lists(struct build *b, struct value *data, struct error *err)
{
	struct value *top = value_map_add_list(data, "top_customers");
	int rc = query_rows(b->db, top_customers_sql, NULL, 0, top, err);
	if (rc == 0) {
		add_money_column(b, top, "lifetime_value_cents", "lifetime_value");
		add_money_column(b, top, "avg_order_value_cents", "avg_order_value");
	}
	struct value *risk = value_map_add_list(data, "at_risk");
	if (rc == 0)
		rc = query_rows(b->db, risk_sql, NULL, 0, risk, err);
	if (rc == 0)
		add_money_column(b, risk, "lifetime_value_cents", "lifetime_value");
	if (rc == 0)
		rc = query_row(b->db,
			       "SELECT s.model AS risk_model, printf('%,d', count(*)) AS scored,"
			       " printf('%,d', sum(s.risk > 0.5)) AS over_half,"
			       /* a model that ranks hardly better than chance is said to */
			       " (SELECT printf('%.2f', m.value) FROM model_metrics m"
			       "  WHERE m.model = s.model AND m.metric = 'roc_auc'"
			       "  AND m.value < " WEAK_AUC ") AS weak_auc"
			       " FROM churn_scores s",
			       NULL, 0, data, err);
	return rc;
}

int page_customers(struct build *b, struct error *err)
{
	struct value *data = value_map_new();
	int have_rfm = build_has_rows(b, "customer_rfm");
	int rc = 0;
	value_map_set_bool(data, "have_rfm", have_rfm);
	value_map_set_bool(data, "have_churn", build_has_rows(b, "churn_scores"));
	if (have_rfm) {
		rc = add_segments(b, data, err);
		if (rc == 0)
			rc = add_rfm_grid(b, data, err);
		if (rc == 0)
			rc = add_tiers_and_clusters(b, data, err);
		if (rc == 0)
			rc = add_lifetime_values(b, data, err);
		if (rc == 0)
			rc = add_lists(b, data, err);
	}
	if (rc == 0 && build_has_rows(b, "cohort_retention"))
		rc = add_cohorts(b, data, err);
	if (rc < 0) {
		value_free(data);
		return rc;
	}
	return build_page(b, "customers", "customers.html", "customers", NULL, data, err);
}
