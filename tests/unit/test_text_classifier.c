/* Unit tests of the learned review model (src/model/text_classifier.c): the deterministic split and
 * learning on generated reviews whose words (and word pairs) decide their class. */
#include "check.h"

#include <stdlib.h>

#include "model/metrics.h"
#include "model/text_classifier.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* ---- the split ---- */

static void test_split_is_deterministic_and_near_the_asked_share(void)
{
	size_t held = 0, total = 20000;
	char key[32];
	for (size_t i = 0; i < total; i++) {
		int n = snprintf(key, sizeof key, "review-%zu", i);
		int side = text_classifier_is_held_out(key, (size_t)n, 25);
		CHECK_INT(text_classifier_is_held_out(key, (size_t)n, 25), side);
		held += (size_t)side;
	}
	double share = (double)held / (double)total;
	CHECK(share > 0.24 && share < 0.26);
	CHECK_INT(text_classifier_is_held_out("Love it!", 8, 0), 0);
	CHECK_INT(text_classifier_is_held_out("Love it!", 8, 100), 1);
}

/* ---- learning ---- */

/* Generated reviews: filler words, one or two opinion words, and "not" before a good
 * word making the review negative, so only the word pair tells. */
struct generated {
	struct review_example *examples; /* the reviews */
	char **texts;                    /* their texts, owned */
	size_t count;                    /* reviews */
};

static void generate_reviews(struct generated *g, size_t count, uint64_t seed)
{
	static const char *filler[] = {"the", "echo", "speaker", "alexa", "music", "it", "is",
				       "my", "kitchen", "works", "with", "lights"};
	static const char *good[] = {"good", "great", "excellent", "love", "perfect"};
	static const char *bad[] = {"bad", "broken", "awful", "returned", "useless"};
	struct rng rng;
	rng_seed(&rng, seed);
	g->examples = xcalloc(count, sizeof *g->examples);
	g->texts = xcalloc(count, sizeof *g->texts);
	g->count = count;
	for (size_t i = 0; i < count; i++) {
		struct buf text = BUF_INIT;
		int positive = rng_below(&rng, 2) == 0;
		int negated = !positive && rng_below(&rng, 2) == 0;
		for (int w = 0; w < 6; w++) {
			buf_printf(&text, "%s ", filler[rng_below(&rng, 12)]);
			if (w == 2 && negated)
				buf_printf(&text, "not %s ", good[rng_below(&rng, 5)]);
			else if (w == 2)
				buf_printf(&text, "%s ", positive ? good[rng_below(&rng, 5)]
								  : bad[rng_below(&rng, 5)]);
		}
		g->texts[i] = buf_detach(&text);
		g->examples[i].text = g->texts[i];
		g->examples[i].len = strlen(g->texts[i]);
		g->examples[i].is_positive = positive;
	}
}

static void free_reviews(struct generated *g)
{
	for (size_t i = 0; i < g->count; i++)
		free(g->texts[i]);
	free(g->texts);
	free(g->examples);
}

static double predict(const struct text_classifier *model, const char *text)
{
	return text_classifier_predict(model, text, strlen(text));
}

static void test_learns_opinion_words_and_negated_pairs(void)
{
	struct generated g;
	generate_reviews(&g, 2000, 7);
	struct text_classifier *model = NULL;
	struct error err = {""};
	CHECK_INT(text_classifier_train(g.examples, g.count, NULL, &model, &err), 0);
	if (model) {
		CHECK(predict(model, "the echo is great in my kitchen") > 0.8);
		CHECK(predict(model, "the echo is awful in my kitchen") < 0.2);
		CHECK(predict(model, "the echo is not great in my kitchen") < 0.5);
		double p = predict(model, "");
		CHECK(p > 0 && p < 1);
		p = predict(model, "\xFF\xFE\xC3 great \xF0\x9F");
		CHECK(p > 0.5 && p <= 1);
	}
	text_classifier_free(model);
	free_reviews(&g);
}

static void test_same_reviews_and_seed_give_the_same_model(void)
{
	struct generated g;
	generate_reviews(&g, 500, 11);
	struct text_classifier *a = NULL, *b = NULL;
	struct text_classifier_options opts;
	text_classifier_default_options(&opts);
	opts.hash_bits = 12;
	CHECK_INT(text_classifier_train(g.examples, g.count, &opts, &a, NULL), 0);
	CHECK_INT(text_classifier_train(g.examples, g.count, &opts, &b, NULL), 0);
	if (a && b)
		for (size_t i = 0; i < g.count; i++)
			CHECK_NEAR(predict(a, g.texts[i]), predict(b, g.texts[i]), 0);
	text_classifier_free(a);
	text_classifier_free(b);
	free_reviews(&g);
}

static void test_evaluation_on_held_out_generated_reviews(void)
{
	struct generated g;
	generate_reviews(&g, 3000, 3);
	struct text_classifier_evaluation e;
	struct error err = {""};
	CHECK_INT(text_classifier_evaluate(g.examples, g.count, 20, NULL, &e, &err), 0);
	CHECK_INT(e.train_count + e.held_out_count, 3000);
	CHECK(e.held_out_count > 500 && e.held_out_count < 700);
	CHECK(e.accuracy > 0.95);
	CHECK(e.roc_auc > 0.98);
	free_reviews(&g);
}

static void test_training_rejects_one_class_and_bad_options(void)
{
	struct review_example happy[] = {{"great", 5, 1}, {"love it", 7, 1}};
	struct text_classifier *model = NULL;
	struct error err = {""};
	CHECK_INT(text_classifier_train(happy, 2, NULL, &model, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "positive and negative reviews (2 of 2 positive)") != NULL);
	CHECK(model == NULL);
	CHECK_INT(text_classifier_train(NULL, 0, NULL, &model, &err), ERR_INPUT);
	struct review_example mixed[] = {{"great", 5, 1}, {"awful", 5, 0}};
	struct text_classifier_options opts;
	text_classifier_default_options(&opts);
	opts.hash_bits = 40;
	CHECK_INT(text_classifier_train(mixed, 2, &opts, &model, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "hash bits must be from 10 to 24, not 40") != NULL);
	text_classifier_default_options(&opts);
	opts.learning_rate = 0;
	CHECK_INT(text_classifier_train(mixed, 2, &opts, &model, &err), ERR_INPUT);
	struct text_classifier_evaluation e;
	CHECK_INT(text_classifier_evaluate(mixed, 2, 0, NULL, &e, &err), ERR_INPUT);
	CHECK_INT(text_classifier_evaluate(mixed, 2, 50, NULL, &e, &err), ERR_INPUT);
	CHECK(model == NULL);
}

int main(void)
{
	RUN(test_split_is_deterministic_and_near_the_asked_share);
	RUN(test_learns_opinion_words_and_negated_pairs);
	RUN(test_same_reviews_and_seed_give_the_same_model);
	RUN(test_evaluation_on_held_out_generated_reviews);
	RUN(test_training_rejects_one_class_and_bad_options);
	return check_summary();
}
