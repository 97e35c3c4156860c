/* Unit tests of the sentiment step on seeded warehouses: every review labelled, blank
 * ones left unscored, per-product, per-category and monthly summaries, the reviews
 * listed for action, and the learned model tried only from 500 rated reviews and used
 * only when it beats the rules on held-out reviews; then the real Alexa reviews. */
#include "check.h"

#include "temp_warehouse.h"

#include "model/review_sentiment.h"
#include "model/sentiment_summary.h"
#include "review_tsv.h"
#include "util/rng.h"

static const struct model_options options = {
	.horizon_days = 90, .seed = 42, .lexicon_path = "data/vader_lexicon.txt"};

static void exec_ok(sqlite3 *db, const char *sql)
{
	struct error err;
	int rc = db_exec(db, sql, &err);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_INT(rc, 0);
}

/* Runs the step and returns its summary (caller frees). */
static char *run_sentiment(sqlite3 *db)
{
	struct buf summary = BUF_INIT;
	struct error err;
	int rc = model_sentiment(db, &options, &summary, &err);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_INT(rc, 0);
	buf_puts(&summary, "");
	return buf_detach(&summary);
}

static double query_double(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	double value = NAN;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return NAN;
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		value = sqlite3_column_double(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

static char *query_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	char *value = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return xstrdup("(bad query)");
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value ? value : xstrdup("(null)");
}

static void check_text(sqlite3 *db, const char *sql, const char *want)
{
	char *got = query_text(db, sql);
	CHECK_STR(got, want);
	free(got);
}

/* A small shop: two mugs (kitchen) and a lamp (home), reviews over three months. */
static void seed_small_shop(sqlite3 *db)
{
	exec_ok(db,
		"INSERT INTO products (product_id, name, category) VALUES"
		" ('mug-red', 'Red mug', 'kitchen'), ('mug-blue', 'Blue mug', 'kitchen'),"
		" ('lamp', 'Desk lamp', 'home');"
		"INSERT INTO reviews (review_id, product_id, rating, title, body, review_date) VALUES"
		" ('r01', 'mug-red', 5, 'Love it', 'Great mug, I love it!', '2024-01-10 09:00:00'),"
		" ('r02', 'mug-red', 1, NULL, 'Terrible. It broke and leaks, awful.', '2024-03-20 09:00:00'),"
		" ('r03', 'mug-red', 4, NULL, 'Good value, nice colour', '2024-03-21 09:00:00'),"
		" ('r04', 'mug-blue', 2, NULL, 'Bad handle, horrible to hold', '2024-02-02 09:00:00'),"
		" ('r05', 'mug-blue', 5, NULL, '   ', '2024-02-03 09:00:00'),"
		" ('r06', 'lamp', 5, NULL, 'Wonderful lamp, excellent light', '2024-03-01 09:00:00'),"
		" ('r07', 'lamp', 3, NULL, 'It is a lamp', '2024-03-02 09:00:00'),"
		" ('r08', 'lamp', NULL, NULL, 'Awful, the worst lamp, hate it', '2023-10-01 09:00:00'),"
		" ('r09', NULL, 1, NULL, 'Sad and disappointed', '2024-03-25 09:00:00');");
}

static void test_every_review_is_labelled_and_blank_ones_are_not_scored(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed_small_shop(db);
	char *summary = run_sentiment(db);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM review_sentiment", NULL, -1), 9);
	check_text(db, "SELECT label || ' ' || scorer FROM review_sentiment WHERE review_id='r01'",
		   "positive rules");
	check_text(db, "SELECT label || ' ' || scorer FROM review_sentiment WHERE review_id='r02'",
		   "negative rules");
	check_text(db, "SELECT label || ' ' || scorer || ' ' || compound FROM review_sentiment"
		       " WHERE review_id='r05'",
		   "neutral none 0.0");
	check_text(db, "SELECT label FROM review_sentiment WHERE review_id='r07'", "neutral");
	/* the compound is the rule scorer's; no learned model under 500 rated reviews */
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM review_sentiment WHERE compound <> "
				   "rules_compound OR learned_probability IS NOT NULL",
			       NULL, -1),
		  0);
	CHECK(strstr(summary, "9 reviews (1 without text)") != NULL);
	free(summary);
	temp_warehouse_remove(db, path);
}

static void test_products_and_categories_get_mean_sentiment_and_negative_share(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed_small_shop(db);
	free(run_sentiment(db));
	/* mug-red: 3 reviews, 1 of them negative */
	CHECK_INT(db_query_int(db, "SELECT reviews FROM product_sentiment WHERE product_id="
				   "'mug-red'", NULL, -1), 3);
	CHECK_NEAR(query_double(db, "SELECT negative_share FROM product_sentiment WHERE "
				    "product_id='mug-red'"), 1.0 / 3, 1e-12);
	CHECK_NEAR(query_double(db, "SELECT mean_compound FROM product_sentiment WHERE "
				    "product_id='mug-red'"),
		   query_double(db, "SELECT avg(compound) FROM review_sentiment WHERE review_id IN "
				    "('r01','r02','r03')"), 1e-12);
	CHECK_NEAR(query_double(db, "SELECT mean_rating FROM product_sentiment WHERE "
				    "product_id='mug-red'"), 10.0 / 3, 1e-12);
	/* mug-blue: the blank review counts as a review and a rating, not as a sentiment */
	check_text(db, "SELECT reviews || ' ' || scored || ' ' || negative_share || ' ' || "
		       "mean_rating FROM product_sentiment WHERE product_id='mug-blue'",
		   "2 1 1.0 3.5");
	/* a review without a product is in no product row */
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM product_sentiment", NULL, -1), 3);
	/* kitchen: both mugs, 5 reviews, 4 scored, 2 of them negative */
	check_text(db, "SELECT products || ' ' || reviews || ' ' || scored || ' ' || "
		       "negative_share FROM category_sentiment WHERE category='kitchen'",
		   "2 5 4 0.5");
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM category_sentiment", NULL, -1), 2);
	temp_warehouse_remove(db, path);
}

static void test_monthly_trend_and_recent_negative_reviews_listed_for_action(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed_small_shop(db);
	free(run_sentiment(db));
	/* the shop by month: scored reviews only (the blank February one left out) */
	check_text(db, "SELECT group_concat(month || ':' || reviews, ' ') FROM (SELECT * FROM "
		       "sentiment_monthly WHERE scope='shop' ORDER BY month)",
		   "2023-10:1 2024-01:1 2024-02:1 2024-03:5");
	CHECK_INT(db_query_int(db, "SELECT reviews FROM sentiment_monthly WHERE scope='product' "
				   "AND key='mug-red' AND month='2024-03'", NULL, -1), 2);
	CHECK_INT(db_query_int(db, "SELECT reviews FROM sentiment_monthly WHERE scope="
				   "'category' AND key='kitchen' AND month='2024-03'", NULL, -1), 2);
	/* recent = the 90 days before the latest review (2024-03-25): the October review
	 * of the lamp is too old, however negative; most negative first */
	check_text(db, "SELECT group_concat(review_id, ' ') FROM (SELECT review_id FROM "
		       "reviews_for_action ORDER BY rank)",
		   "r02 r04 r09");
	check_text(db, "SELECT reason FROM reviews_for_action WHERE review_id='r02'",
		   "negative text, 1 star");
	CHECK(query_double(db, "SELECT max(compound) FROM reviews_for_action") < 0);
	temp_warehouse_remove(db, path);
}

static void test_running_again_replaces_every_table(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed_small_shop(db);
	free(run_sentiment(db));
	const char *state = "SELECT (SELECT count(*) FROM review_sentiment) || ' ' ||"
			    " (SELECT count(*) FROM product_sentiment) || ' ' ||"
			    " (SELECT count(*) FROM sentiment_monthly) || ' ' ||"
			    " (SELECT count(*) FROM reviews_for_action) || ' ' ||"
			    " (SELECT count(*) FROM model_metrics) || ' ' ||"
			    " (SELECT count(*) FROM model_curves)";
	char *before = query_text(db, state);
	exec_ok(db, "DELETE FROM reviews WHERE review_id = 'r09'");
	free(run_sentiment(db));
	exec_ok(db, "INSERT INTO reviews (review_id, product_id, rating, body, review_date) "
		    "VALUES ('r09', NULL, 1, 'Sad and disappointed', '2024-03-25 09:00:00')");
	free(run_sentiment(db));
	check_text(db, state, before);
	free(before);
	temp_warehouse_remove(db, path);
}

/* Seeds count rated reviews: positive ones with words of feeling the lexicon knows
 * (rule_words) or made-up shop words it does not, negative ones alike. */
static void seed_generated_reviews(sqlite3 *db, int count, int rule_words)
{
	static const char *good_known[] = {"great", "love it", "excellent", "happy", "good"};
	static const char *bad_known[] = {"awful", "hate it", "terrible", "sad", "bad"};
	static const char *good_new[] = {"zorbly", "fits snug", "quikset", "holds charge",
					 "zorbly again"};
	static const char *bad_new[] = {"blargy", "came unglued", "snapped off", "wobbles",
					"blargy twice"};
	static const char *filler[] = {"the", "mug", "arrived", "on", "tuesday", "box",
				       "colour", "handle", "kitchen", "size"};
	struct rng rng;
	rng_seed(&rng, 7);
	sqlite3_stmt *stmt;
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO reviews (review_id, product_id, rating, body,"
				     " review_date) VALUES (?, 'p', ?, ?, '2024-05-01 10:00:00')",
				 -1, &stmt, NULL) == SQLITE_OK);
	exec_ok(db, "BEGIN");
	for (int i = 0; i < count; i++) {
		int positive = rng_below(&rng, 10) < 7;
		const char **words = rule_words ? (positive ? good_known : bad_known)
						: (positive ? good_new : bad_new);
		struct buf text = BUF_INIT;
		for (int w = 0; w < 6; w++)
			buf_printf(&text, "%s ", filler[rng_below(&rng, 10)]);
		buf_printf(&text, "%s %s %u", words[rng_below(&rng, 5)], filler[rng_below(&rng, 10)],
			   (unsigned)i);
		char id[32];
		snprintf(id, sizeof id, "g%05d", i);
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 2, positive ? 4 + (int)rng_below(&rng, 2)
						   : 1 + (int)rng_below(&rng, 2));
		sqlite3_bind_text(stmt, 3, buf_str(&text), -1, SQLITE_TRANSIENT);
		CHECK(sqlite3_step(stmt) == SQLITE_DONE);
		sqlite3_reset(stmt);
		buf_free(&text);
	}
	exec_ok(db, "COMMIT");
	sqlite3_finalize(stmt);
}

static void test_learned_model_is_not_tried_under_500_rated_reviews(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	seed_generated_reviews(db, SENTIMENT_MIN_RATED - 1, 0);
	/* 3-star and blank reviews do not count towards the 500 */
	exec_ok(db, "INSERT INTO reviews (review_id, product_id, rating, body) VALUES"
		    " ('three', 'p', 3, 'zorbly'), ('blank', 'p', 5, '')");
	char *summary = run_sentiment(db);
	CHECK_INT(db_query_int(db, "SELECT value FROM model_metrics WHERE model='sentiment' AND "
				   "metric='learned_used'", NULL, -1), 0);
	check_text(db, "SELECT detail FROM model_metrics WHERE model='sentiment'",
		   "rule scorer: 499 rated reviews, the learned model needs 500");
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM model_metrics WHERE model="
				   "'sentiment_learned'", NULL, -1), 0);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM review_sentiment WHERE scorer="
				   "'learned' OR learned_probability IS NOT NULL", NULL, -1), 0);
	CHECK(strstr(summary, "scored by the rule scorer") != NULL);
	free(summary);
	temp_warehouse_remove(db, path);
}

static void test_learned_model_scores_the_shop_when_it_beats_the_rules(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	/* feelings written in the shop's own words, which the lexicon does not know */
	seed_generated_reviews(db, SENTIMENT_MIN_RATED, 0);
	char *summary = run_sentiment(db);
	CHECK_INT(db_query_int(db, "SELECT value FROM model_metrics WHERE model='sentiment' AND "
				   "metric='learned_used'", NULL, -1), 1);
	double learned = query_double(db, "SELECT value FROM model_metrics WHERE model="
					  "'sentiment_learned' AND metric='roc_auc'");
	double rules = query_double(db, "SELECT value FROM model_metrics WHERE model="
					"'sentiment_rules' AND metric='roc_auc_held_out'");
	CHECK(learned > rules);
	CHECK(learned > 0.9);
	/* every review with text is scored by the model, as 2p - 1 */
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM review_sentiment WHERE scorer <> "
				   "'learned'", NULL, -1), 0);
	CHECK_NEAR(query_double(db, "SELECT max(abs(compound - (2 * learned_probability - 1)))"
				    " FROM review_sentiment"), 0, 1e-12);
	/* held-out and training reviews add up to the rated ones */
	CHECK_INT(db_query_int(db, "SELECT sum(value) FROM model_metrics WHERE model="
				   "'sentiment_learned' AND metric IN ('reviews', 'train_reviews')",
			       NULL, -1),
		  SENTIMENT_MIN_RATED);
	CHECK(db_query_int(db, "SELECT count(*) FROM model_curves WHERE model="
			       "'sentiment_learned' AND curve='roc'", NULL, 0) >= 3);
	CHECK(strstr(summary, "scored by the learned model") != NULL);
	free(summary);
	temp_warehouse_remove(db, path);
}

static void test_rules_keep_scoring_when_the_learned_model_is_no_better(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	/* every review says plainly how it feels, in words the lexicon rates: the rules
	 * separate them perfectly and the learned model cannot do better */
	seed_generated_reviews(db, 600, 1);
	char *summary = run_sentiment(db);
	CHECK_NEAR(query_double(db, "SELECT value FROM model_metrics WHERE model="
				    "'sentiment_rules' AND metric='roc_auc_held_out'"), 1.0, 1e-12);
	CHECK_INT(db_query_int(db, "SELECT value FROM model_metrics WHERE model='sentiment' AND "
				   "metric='learned_used'", NULL, -1), 0);
	CHECK(db_query_int(db, "SELECT count(*) FROM model_metrics WHERE model="
			       "'sentiment_learned'", NULL, 0) > 0);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM review_sentiment WHERE scorer <> "
				   "'rules'", NULL, -1), 0);
	CHECK(strstr(summary, "do not beat") != NULL);
	free(summary);
	temp_warehouse_remove(db, path);
}

static void test_alexa_reviews_rules_match_reference_and_learned_model_wins(void)
{
	struct alexa_reviews reviews;
	int rc = alexa_reviews_load(ALEXA_REVIEWS_PATH, &reviews);
	if (rc == -1) {
		printf("    skipped: %s is absent\n", ALEXA_REVIEWS_PATH);
		return;
	}
	CHECK_INT(rc, 0);
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	sqlite3_stmt *stmt;
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO reviews (review_id, rating, body) VALUES "
				     "(?, ?, ?)", -1, &stmt, NULL) == SQLITE_OK);
	exec_ok(db, "BEGIN");
	for (size_t i = 0; i < reviews.count; i++) {
		char id[32];
		snprintf(id, sizeof id, "a%05zu", i);
		sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 2, reviews.items[i].rating);
		sqlite3_bind_text(stmt, 3, reviews.items[i].text, (int)reviews.items[i].len,
				  SQLITE_STATIC);
		CHECK(sqlite3_step(stmt) == SQLITE_DONE);
		sqlite3_reset(stmt);
	}
	exec_ok(db, "COMMIT");
	sqlite3_finalize(stmt);
	char *summary = run_sentiment(db);
	for (char *line = strtok(summary, "\n"); line; line = strtok(NULL, "\n"))
		printf("    %s\n", line);
	double accuracy = query_double(db, "SELECT value FROM model_metrics WHERE model="
					   "'sentiment_rules' AND metric='accuracy'");
	double auc = query_double(db, "SELECT value FROM model_metrics WHERE model="
				      "'sentiment_rules' AND metric='roc_auc'");
	/* NLTK's VADER on the same reviews: accuracy 0.865, ROC AUC 0.840 */
	CHECK_NEAR(accuracy, 0.865, 0.015);
	CHECK_NEAR(auc, 0.840, 0.015);
	CHECK_INT(db_query_int(db, "SELECT value FROM model_metrics WHERE model='sentiment_rules'"
				   " AND metric='reviews'", NULL, -1), 2931);
	CHECK(query_double(db, "SELECT value FROM model_metrics WHERE model='sentiment_learned'"
			       " AND metric='roc_auc'") > auc);
	CHECK(query_double(db, "SELECT value FROM model_metrics WHERE model='sentiment_learned'"
			       " AND metric='accuracy'") > accuracy);
	CHECK_INT(db_query_int(db, "SELECT value FROM model_metrics WHERE model='sentiment'",
			       NULL, -1), 1);
	free(summary);
	alexa_reviews_free(&reviews);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_every_review_is_labelled_and_blank_ones_are_not_scored);
	RUN(test_products_and_categories_get_mean_sentiment_and_negative_share);
	RUN(test_monthly_trend_and_recent_negative_reviews_listed_for_action);
	RUN(test_running_again_replaces_every_table);
	RUN(test_learned_model_is_not_tried_under_500_rated_reviews);
	RUN(test_learned_model_scores_the_shop_when_it_beats_the_rules);
	RUN(test_rules_keep_scoring_when_the_learned_model_is_no_better);
	RUN(test_alexa_reviews_rules_match_reference_and_learned_model_wins);
	return check_summary();
}
