/* model_steps: the table of model steps that `cartograph model` runs, in the order
 * `model all` runs them. Adding a model means adding its step here. The anomalies come
 * first: in `run` the overview page, which shows them, is rendered as soon as they are
 * committed, beside the other models. */
#include "model/anomalies.h"
#include "model/churn.h"
#include "model/cohorts.h"
#include "model/customer360.h"
#include "model/model_stage.h"
#include "model/prices.h"
#include "model/recs.h"
#include "model/review_sentiment.h"
#include "model/segments.h"

const struct model_step model_steps[] = {
	{"anomalies", model_anomalies, "days of unusual revenue or orders (daily_sales)"},
	{"cohorts", model_cohorts, "monthly acquisition cohorts and their retention"},
	{"segments", model_segments, "RFM scores, named segments, value tiers, k-means clusters"},
	{"churn", model_churn, "churn models evaluated on a time split; the risk list"},
	{"customers", model_customer360, "one profile per customer (customer_360)"},
	{"prices", model_prices, "price elasticity per category or product group"},
	{"sentiment", model_sentiment, "review sentiment per review, product, category and month"},
	{"recs", model_recs, "frequently bought together, customer recommendations, buy again"},
};
const int model_step_count = (int)(sizeof model_steps / sizeof model_steps[0]);
