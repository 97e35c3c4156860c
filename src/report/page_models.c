/* page_models: how good each model is, in the figures the models stored: the churn
 * models' ROC curves against a recency-only baseline, their AUC, Brier score and
 * calibration; the sentiment scorers' accuracy; the recommendation variants' hit rate
 * against best sellers; the clustering's silhouette. Every figure comes from
 * model_metrics and model_curves, so the page shows what was measured, not a claim. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/build_internal.h"
#include "util/xalloc.h"

/* The churn models in the order they are shown, with the names readers see. */
static const struct {
	const char *model, *label;
} churn_models[] = {
	{"churn_logreg", "Logistic regression"},
	{"churn_bgnbd", "BG/NBD chance of no order"},
	{"churn_recency", "Days since last order"},
};
#define CHURN_MODELS (sizeof churn_models / sizeof churn_models[0])

static const char churn_sql[] =
	"SELECT ?2 AS label,"
	" (SELECT printf('%.3f', value) FROM model_metrics WHERE model = ?1 AND metric = 'roc_auc') AS roc_auc,"
	" (SELECT printf('%.3f', value) FROM model_metrics WHERE model = ?1 AND metric = 'pr_auc') AS pr_auc,"
	" (SELECT printf('%.3f', value) FROM model_metrics WHERE model = ?1 AND metric = 'brier') AS brier,"
	" (SELECT printf('%.1f%%', 100 * value) FROM model_metrics WHERE model = ?1 AND metric = 'base_rate') AS base_rate,"
	" (SELECT printf('%,d', CAST(value AS INTEGER)) FROM model_metrics WHERE model = ?1 AND metric = 'n') AS n,"
	" (SELECT detail FROM model_metrics WHERE model = ?1 AND metric = 'roc_auc') AS detail,"
	" CASE WHEN ?1 = ?3 THEN 'used' ELSE '' END AS used";

static const char sentiment_sql[] =
	"SELECT CASE model WHEN 'sentiment_rules' THEN 'Rules (VADER lexicon)'"
	"  ELSE 'Learned from the shop''s own ratings' END AS label,"
	" printf('%.3f', max(CASE metric WHEN 'accuracy' THEN value END)) AS accuracy,"
	" printf('%.3f', max(CASE metric WHEN 'roc_auc' THEN value END)) AS roc_auc,"
	" max(CASE metric WHEN 'accuracy' THEN detail END) AS detail"
	" FROM model_metrics WHERE model IN ('sentiment_rules', 'sentiment_learned')"
	" GROUP BY model ORDER BY model DESC";

/* Short names for the chart; the table keeps each variant's own description. */
static const char recs_sql[] =
	"SELECT model, value AS hit_rate, printf('%.3f', value) AS hit_rate_text,"
	" (SELECT printf('%.3f', r.value) FROM model_metrics r WHERE r.model = m.model"
	"   AND r.metric = 'recall_10') AS recall,"
	" (SELECT printf('%.3f', r.value) FROM model_metrics r WHERE r.model = m.model"
	"   AND r.metric = 'hit_rate_10_any') AS hit_rate_any,"
	" substr(detail, 1, instr(detail || ';', ';') - 1) AS description,"
	" CASE model WHEN 'recs_popularity' THEN 'Best sellers'"
	"  WHEN 'recs_popularity_recent' THEN 'Recent best sellers'"
	"  WHEN 'recs_item' THEN 'Item-item cosine'"
	"  WHEN 'recs_item_recent' THEN '+ recent purchases count more'"
	"  WHEN 'recs_item_capped' THEN '+ huge orders left out'"
	"  WHEN 'recs_item_customers' THEN '+ whole customer histories'"
	"  WHEN 'recs_blend_undamped' THEN '+ recent best sellers as prior'"
	"  WHEN 'recs_blend' THEN '+ popular items damped (used)'"
	"  WHEN 'recs_buy_again' THEN 'Buy again'"
	"  WHEN 'recs_blend_buy_again' THEN 'Used model and buy again'"
	"  ELSE model END AS label"
	" FROM model_metrics m WHERE model LIKE 'recs_%' AND metric = 'hit_rate_10'"
	" ORDER BY rowid";

/* The churn model the risk list was scored with, or "" when churn has not run. */
static void risk_model(struct build *b, char *out, size_t size)
{
	struct value *row = value_map_new();
	struct error ignored;
	out[0] = '\0';
	if (build_has_rows(b, "churn_scores") &&
	    query_row(b->db, "SELECT model FROM churn_scores LIMIT 1", NULL, 0, row, &ignored) == 0)
		snprintf(out, size, "%s", value_string_of(row, "model", ""));
	value_free(row);
}

static int add_churn(struct build *b, struct value *data, struct error *err)
{
	char used[64];
	risk_model(b, used, sizeof used);
	struct value *table = value_map_add_list(data, "churn");
	struct chart_series series[CHURN_MODELS];
	struct value *curves[CHURN_MODELS];
	double *xs[CHURN_MODELS], *ys[CHURN_MODELS];
	size_t count = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < CHURN_MODELS; i++) {
		struct query_arg args[3] = {ARG_TEXT(churn_models[i].model),
					    ARG_TEXT(churn_models[i].label), ARG_TEXT(used)};
		struct value *row = value_map_new();
		rc = query_row(b->db, churn_sql, args, 3, row, err);
		if (rc == 0 && value_string_of(row, "roc_auc", NULL))
			value_list_push(table, row);
		else
			value_free(row);
		curves[count] = value_list_new();
		if (rc == 0)
			rc = query_rows(b->db, "SELECT x, y FROM model_curves WHERE model = ?1 AND"
					       " curve = 'roc' ORDER BY seq",
					args, 1, curves[count], err);
		xs[count] = query_numbers(curves[count], "x");
		ys[count] = query_numbers(curves[count], "y");
		series[count] = (struct chart_series){churn_models[i].label, ys[count], xs[count],
						      NULL, curves[count]->as.list.len};
		count++;
	}
	struct chart_spec spec = {
		.type = CHART_ROC, .title = "Churn models: ROC curves",
		.subtitle = "Held-out customers: higher and further left is better; the dashed line is chance",
		.source = "Source: model_curves (model churn)", .series = series, .series_count = count,
	};
	if (rc == 0 && table->as.list.len)
		rc = build_chart(b, &spec, "churn-roc", value_map_add_map(data, "roc_chart"), err);
	for (size_t i = 0; i < count; i++) {
		free(xs[i]);
		free(ys[i]);
		value_free(curves[i]);
	}
	return rc;
}

/* Calibration of the model the risk list uses: predicted against observed churn. */
static int add_calibration(struct build *b, struct value *data, struct error *err)
{
	struct value *rows = value_list_new();
	int rc = query_rows(b->db,
			    "SELECT printf('%d-%d%%', 10 * (seq), 10 * (seq + 1)) AS bin, x, y"
			    " FROM model_curves WHERE curve = 'calibration' AND model ="
			    " (SELECT model FROM churn_scores LIMIT 1) ORDER BY seq",
			    NULL, 0, rows, err);
	size_t n = rows->as.list.len;
	double *predicted = query_numbers(rows, "x"), *observed = query_numbers(rows, "y");
	const char **bins = query_labels(rows, "bin");
	struct chart_series series[2] = {{"Predicted", predicted, NULL, NULL, n},
					 {"Observed", observed, NULL, NULL, n}};
	struct chart_spec spec = {
		.type = CHART_GROUPED_BAR, .title = "Churn risk: predicted against observed",
		.subtitle = "Held-out customers grouped by predicted risk; close bars mean honest probabilities",
		.source = "Source: model_curves (model churn)", .format = {CHART_PERCENT, NULL, 0},
		.point_count = n, .categories = bins, .series = series, .series_count = 2,
	};
	if (rc == 0 && n)
		rc = build_chart(b, &spec, "churn-calibration",
				 value_map_add_map(data, "calibration_chart"), err);
	free(predicted);
	free(observed);
	free(bins);
	value_free(rows);
	return rc;
}

static int add_recs(struct build *b, struct value *data, struct error *err)
{
	struct value *rows = value_map_add_list(data, "recs");
	int rc = query_rows(b->db, recs_sql, NULL, 0, rows, err);
	size_t n = rows->as.list.len;
	value_map_set_bool(data, "has_recs", n > 0);
	if (rc < 0 || n == 0)
		return rc;
	double *hits = query_numbers(rows, "hit_rate");
	const char **labels = query_labels(rows, "label");
	struct chart_series series = {"Hit rate at 10", hits, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .horizontal = 1, .title = "Recommendations: hit rate at 10",
		.subtitle = "Share of customers who later bought one of the ten recommended products new to them",
		.source = "Source: model_metrics (model recs), time split", .format = {CHART_PERCENT, NULL, 0},
		.point_count = n, .categories = labels, .series = &series, .series_count = 1,
		.height = 520,
	};
	rc = build_chart(b, &spec, "recs-hit-rate", value_map_add_map(data, "recs_chart"), err);
	free(hits);
	free(labels);
	return rc;
}

int page_models(struct build *b, struct error *err)
{
	struct value *data = value_map_new();
	int rc = 0;
	if (build_has_rows(b, "model_curves")) {
		rc = add_churn(b, data, err);
		if (rc == 0 && build_has_rows(b, "churn_scores"))
			rc = add_calibration(b, data, err);
	}
	if (rc == 0)
		rc = query_rows(b->db, sentiment_sql, NULL, 0, value_map_add_list(data, "sentiment"),
				err);
	if (rc == 0)
		rc = query_row(b->db,
			       "SELECT detail AS sentiment_choice FROM model_metrics"
			       " WHERE model = 'sentiment' AND metric = 'learned_used'",
			       NULL, 0, data, err);
	if (rc == 0)
		rc = add_recs(b, data, err);
	if (rc == 0)
		rc = query_row(b->db,
			       "SELECT (SELECT CAST(value AS INTEGER) FROM model_metrics WHERE"
			       "  model = 'segments_kmeans' AND metric = 'k') AS clusters,"
			       " (SELECT printf('%.2f', value) FROM model_metrics WHERE"
			       "  model = 'segments_kmeans' AND metric = 'silhouette') AS silhouette",
			       NULL, 0, data, err);
	if (rc == 0)
		rc = query_rows(b->db,
				"SELECT model, metric, printf('%.4g', value) AS value, detail"
				" FROM model_metrics ORDER BY model, metric",
				NULL, 0, value_map_add_list(data, "metrics"), err);
	if (rc < 0) {
		value_free(data);
		return rc;
	}
	value_map_set_bool(data, "have_churn", value_map_get(data, "churn") &&
						   value_map_get(data, "churn")->as.list.len > 0);
	value_map_set_bool(data, "have_metrics", value_map_get(data, "metrics")->as.list.len > 0);
	return build_page(b, "models", "models.html", "models", NULL, data, err);
}
