/* model_steps: the table of model steps that `cartograph model` runs, in the order
 * `model all` runs them. Adding a model means adding its step here. */
#include "model/cohorts.h"
#include "model/model_stage.h"
#include "model/recs.h"
#include "model/review_sentiment.h"

const struct model_step model_steps[] = {
	{"cohorts", model_cohorts, "monthly acquisition cohorts and their retention"},
	{"sentiment", model_sentiment, "review sentiment per review, product, category and month"},
	{"recs", model_recs, "frequently bought together, customer recommendations, buy again"},
};
const int model_step_count = (int)(sizeof model_steps / sizeof model_steps[0]);
