/* Unit tests of the rule-based review scorer (src/model/sentiment.c) and the tokenizer it
 * shares with the learned model: the VADER rules on small sentences (with compound values
 * the reference implementation gives), robustness on odd input, lexicon loading, and the
 * accuracy on the real Amazon Alexa reviews next to the learned model's. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "model/metrics.h"
#include "model/sentiment.h"
#include "model/text_classifier.h"
#include "model/text_tokens.h"
#include "review_tsv.h"
#include "util/buf.h"
#include "util/rng.h"

#define LEXICON_PATH "data/vader_lexicon.txt"

static struct sentiment_lexicon *lexicon;

static double compound(const char *text)
{
	struct sentiment_score s;
	sentiment_score_text(lexicon, text, strlen(text), &s);
	return s.compound;
}

/* Writes text to a fresh temporary file and returns its path (caller unlinks, frees). */
static char *temp_file_with(const char *text)
{
	char *path = xstrdup("/tmp/cartograph-lexicon-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return path;
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

/* Joins the tokens of text as "[a][b]" for comparing in one CHECK_STR. */
static char *tokens_of(const char *text, size_t len)
{
	struct text_tokens tokens = TEXT_TOKENS_INIT;
	struct buf out = BUF_INIT;
	text_tokens_split(&tokens, text, len);
	for (size_t i = 0; i < tokens.count; i++)
		buf_printf(&out, "[%s]%s", text_token_text(&tokens, i),
			   tokens.items[i].all_caps ? "^" : "");
	text_tokens_free(&tokens);
	return buf_detach(&out);
}

static void check_tokens(const char *text, const char *want)
{
	char *got = tokens_of(text, strlen(text));
	CHECK_STR(got ? got : "", want);
	free(got);
}

/* ---- tokenizer ---- */

static void test_tokens_drop_edge_punctuation_but_keep_emoticons(void)
{
	check_tokens("Good!!! (really) it's \"fine\"... OK", "[good][really][it's][fine][ok]^");
	check_tokens("I love it :) :-( <3 :D", "[love][it][:)][:-(][<3][:d]^");
	check_tokens("a I , . !!", "[!!]");
}

static void test_tokens_split_words_run_together_and_emoji(void)
{
	check_tokens("great product.love it,works", "[great][product][love][it][works]");
	check_tokens("love it\xF0\x9F\x98\x8D\xF0\x9F\x98\x8D",
		     "[love][it][\xF0\x9F\x98\x8D][\xF0\x9F\x98\x8D]");
	check_tokens("4.5 stars, $1,000", "[4.5][stars][1,000]");
}

static void test_tokens_read_typographic_apostrophe_as_plain(void)
{
	check_tokens("It isn\xE2\x80\x99t \xE2\x80\x9Cgreat\xE2\x80\x9D", "[it][isn't][great]");
}

static void test_tokens_keep_invalid_utf8_bytes_inside_words(void)
{
	check_tokens("caf\xE9 ok \xFF\xFE \xC3", "[caf\xE9][ok][\xFF\xFE]");
	check_tokens("\xF0\x9F\x98", "[\xF0\x9F\x98]");
}

/* ---- the VADER rules ---- */

static void test_rated_word_scores_as_reference(void)
{
	CHECK_NEAR(compound("good"), 0.4404, 1e-4);
	CHECK_NEAR(compound("The food is good"), 0.4404, 1e-4);
	CHECK(compound("bad") < -0.05);
	CHECK_NEAR(compound("the box arrived on tuesday"), 0.0, 0.0);
}

static void test_negation_flips_what_follows(void)
{
	CHECK_NEAR(compound("not good"), -0.3412, 1e-4);
	CHECK_NEAR(compound("not bad"), 0.4310, 1e-4); /* VADER's rule: "not bad" is mildly good */
	CHECK_NEAR(compound("it isn't great"), -0.5096, 1e-4);
	CHECK(compound("it isn\xE2\x80\x99t great") < -0.05);
	CHECK(compound("it isnt great") < -0.05);
	CHECK(compound("it never works well") < -0.05);
	CHECK(compound("not really that good") < 0);   /* negation two and three words back */
	CHECK(compound("not what I expected, the sound is good") > 0); /* too far back */
}

static void test_boosters_raise_and_dampeners_lower(void)
{
	CHECK_NEAR(compound("very good"), 0.4927, 1e-4);
	CHECK(compound("extremely good") > compound("good"));
	CHECK(compound("very bad") < compound("bad"));
	CHECK(compound("slightly good") < compound("good"));
	CHECK_NEAR(compound("The product is kind of good"), 0.3832, 1e-4);
	CHECK(compound("kind of good") > 0);
}

static void test_but_weighs_what_follows_it(void)
{
	CHECK_NEAR(compound("The speaker is good but the app is terrible"), -0.4939, 1e-4);
	CHECK(compound("good but bad") < 0);
	CHECK(compound("bad but good") > 0);
	CHECK(compound("good but expensive") < compound("good"));
	CHECK(compound("good but expensive") > 0);
}

static void test_capitals_emphasise_only_in_mixed_case_text(void)
{
	CHECK_NEAR(compound("The food is GOOD"), 0.5622, 1e-4);
	CHECK(compound("The food is GOOD") > compound("The food is good"));
	CHECK_NEAR(compound("THE FOOD IS GOOD"), compound("the food is good"), 1e-12);
}

static void test_exclamation_marks_emphasise_up_to_four(void)
{
	CHECK_NEAR(compound("good!!!"), 0.5826, 1e-4);
	CHECK(compound("good!") > compound("good"));
	CHECK(compound("good!!!") > compound("good!"));
	CHECK_NEAR(compound("good!!!!!!!!"), compound("good!!!!"), 1e-12);
	CHECK(compound("bad!!!") < compound("bad"));
	CHECK(compound("good??") > compound("good"));
}

static void test_least_negates_unless_at_least(void)
{
	CHECK(compound("the least useful speaker") < 0);
	CHECK(compound("at least useful") > 0);
}

static void test_emoticons_and_emoji_carry_feeling(void)
{
	CHECK_NEAR(compound("I love it :)"), 0.8020, 1e-4);
	CHECK(compound(":)") > 0.05);
	CHECK(compound(":(") < -0.05);
	CHECK(compound("\xF0\x9F\x98\x8D") > 0.05);                 /* heart eyes */
	CHECK(compound("\xF0\x9F\x91\x8E") < -0.05);                /* thumbs down */
	CHECK(compound("love it\xF0\x9F\x98\x8D") > compound("love it"));
	CHECK(compound("\xE2\x9D\xA4\xEF\xB8\x8F this") > 0.05);    /* red heart + selector */
}

static void test_empty_text_is_neutral(void)
{
	struct sentiment_score s;
	sentiment_score_text(lexicon, "", 0, &s);
	CHECK_NEAR(s.compound, 0, 0);
	CHECK_INT(s.label, SENTIMENT_NEUTRAL);
	CHECK_NEAR(s.neutral, 1, 0);
	CHECK_NEAR(s.positive + s.negative, 0, 0);
	sentiment_score_text(lexicon, " \t\r\n ", 5, &s);
	CHECK_INT(s.label, SENTIMENT_NEUTRAL);
	sentiment_score_text(lexicon, NULL, 0, &s);
	CHECK_INT(s.label, SENTIMENT_NEUTRAL);
}

static void test_shares_add_up_to_one_and_labels_follow_compound(void)
{
	struct sentiment_score s;
	const char *text = "Great sound, but the setup was awful and slow. Not happy!";
	sentiment_score_text(lexicon, text, strlen(text), &s);
	CHECK_NEAR(s.positive + s.neutral + s.negative, 1.0, 1e-12);
	CHECK(s.positive > 0 && s.negative > 0 && s.neutral > 0);
	CHECK_INT(s.label, sentiment_label_of(s.compound));
	CHECK_INT(sentiment_label_of(0.05), SENTIMENT_POSITIVE);
	CHECK_INT(sentiment_label_of(0.0499), SENTIMENT_NEUTRAL);
	CHECK_INT(sentiment_label_of(-0.0499), SENTIMENT_NEUTRAL);
	CHECK_INT(sentiment_label_of(-0.05), SENTIMENT_NEGATIVE);
	CHECK_STR(sentiment_label_name(SENTIMENT_POSITIVE), "positive");
	CHECK_STR(sentiment_label_name(SENTIMENT_NEUTRAL), "neutral");
	CHECK_STR(sentiment_label_name(SENTIMENT_NEGATIVE), "negative");
}

static void test_100kb_review_scores_fast_within_bounds(void)
{
	struct buf review = BUF_INIT;
	const char *sentences[] = {"The sound is great and I love it!!! ", "Setup was not easy. ",
				   "Alexa sometimes can't hear me, but it is still GOOD. ",
				   "Terrible app :( ", "very very happy \xF0\x9F\x98\x8D "};
	for (size_t i = 0; review.len < 100 * 1024; i++)
		buf_puts(&review, sentences[i % 5]);
	struct sentiment_score s;
	clock_t start = clock();
	sentiment_score_text(lexicon, review.data, review.len, &s);
	double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	printf("    100 KB review: compound %.4f in %.2f ms\n", s.compound, seconds * 1000);
	CHECK(s.compound >= -1 && s.compound <= 1);
	CHECK_NEAR(s.positive + s.neutral + s.negative, 1.0, 1e-9);
	CHECK(seconds < 1.0); /* a few milliseconds; generous for sanitizer builds */
	buf_free(&review);
}

static void test_invalid_utf8_scores_without_harm(void)
{
	const char bytes[] = "good \xFF\xFE\xC3 product \xE2\x80 \xF0\x9F\x98";
	struct sentiment_score s;
	sentiment_score_text(lexicon, bytes, sizeof bytes - 1, &s);
	CHECK_NEAR(s.compound, 0.4404, 1e-4);
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)(255 - i);
	sentiment_score_text(lexicon, all, sizeof all, &s);
	CHECK(s.compound >= -1 && s.compound <= 1);
	CHECK(compound("bad") < 0); /* still fine afterwards */
}

static void test_random_bytes_never_break_the_scorer(void)
{
	static const char *pieces[] = {"good", "NOT", "but", "!", "?", " ", "\xE2\x80\x99",
				       "\xF0\x9F\x98\x8D", "\xEF\xB8\x8F", ":)", ".", "kind of",
				       "least", "\xFF", "\xC3", "\xE2\x80", "\t", "never so"};
	struct rng rng;
	rng_seed(&rng, 99);
	struct buf text = BUF_INIT;
	int in_bounds = 1;
	for (int round = 0; round < 3000 && in_bounds; round++) {
		buf_reset(&text);
		size_t parts = (size_t)rng_below(&rng, 40);
		for (size_t k = 0; k < parts; k++) {
			if (rng_below(&rng, 3) == 0)
				buf_putc(&text, (char)rng_below(&rng, 256));
			else
				buf_puts(&text, pieces[rng_below(&rng, 18)]);
		}
		struct sentiment_score s;
		sentiment_score_text(lexicon, buf_str(&text), text.len, &s);
		in_bounds = s.compound >= -1 && s.compound <= 1
			    && fabs(s.positive + s.neutral + s.negative - 1) < 1e-9;
	}
	CHECK(in_bounds);
	buf_free(&text);
}

/* ---- the lexicon ---- */

static void test_lexicon_loads_vader_file(void)
{
	double v = 0;
	CHECK_INT(sentiment_lexicon_count(lexicon), 7494); /* 7,520 lines, some listed twice */
	CHECK(sentiment_lexicon_find(lexicon, "good", 4, &v));
	CHECK_NEAR(v, 1.9, 1e-12);
	CHECK(sentiment_lexicon_find(lexicon, "ok", 2, &v));
	CHECK_NEAR(v, 1.2, 1e-12); /* listed twice: the later value */
	CHECK(!sentiment_lexicon_find(lexicon, "echo", 4, &v));
	CHECK(!sentiment_lexicon_find(lexicon, "", 0, &v));
}

static void test_lexicon_prefers_lowercase_entry_then_later_value(void)
{
	char *path = temp_file_with("Wow\t1.0\t0\t[]\nwow\t2.0\t0\t[]\nWOW\t3.0\t0\t[]\n"
				    "meh\t-1\nmeh\t-0.5\r\n\nYay\t2.5\n");
	struct sentiment_lexicon *lex = NULL;
	struct error err = {""};
	CHECK_INT(sentiment_lexicon_load(path, &lex, &err), 0);
	double v = 0;
	if (lex) {
		CHECK_INT(sentiment_lexicon_count(lex), 3);
		CHECK(sentiment_lexicon_find(lex, "wow", 3, &v));
		CHECK_NEAR(v, 2.0, 0);
		CHECK(sentiment_lexicon_find(lex, "meh", 3, &v));
		CHECK_NEAR(v, -0.5, 0);
		CHECK(sentiment_lexicon_find(lex, "yay", 3, &v));
		CHECK_NEAR(v, 2.5, 0);
	}
	sentiment_lexicon_free(lex);
	unlink(path);
	free(path);
}

static void test_lexicon_reports_missing_file_and_bad_line(void)
{
	struct sentiment_lexicon *lex = NULL;
	struct error err = {""};
	CHECK_INT(sentiment_lexicon_load("no/such/lexicon.txt", &lex, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "no/such/lexicon.txt: cannot open") != NULL);
	CHECK(lex == NULL);
	char *path = temp_file_with("good\t1.9\nbad\tvery\n");
	CHECK_INT(sentiment_lexicon_load(path, &lex, &err), ERR_INPUT);
	CHECK(strstr(err.msg, ":2: valence 'very' of 'bad' is not a number") != NULL);
	unlink(path);
	free(path);
	path = temp_file_with("no tab here\n");
	CHECK_INT(sentiment_lexicon_load(path, &lex, &err), ERR_INPUT);
	CHECK(strstr(err.msg, ":1: expected a word, a tab and a valence") != NULL);
	CHECK(lex == NULL);
	unlink(path);
	free(path);
}

/* ---- real reviews ---- */

static int is_blank(const char *text)
{
	for (; *text; text++)
		if (!strchr(" \t\r\n", *text))
			return 0;
	return 1;
}

/* Rated reviews of the Alexa file: 3 stars and blank reviews left out. */
static size_t rated_examples(const struct alexa_reviews *reviews, struct review_example *out)
{
	size_t n = 0;
	for (size_t i = 0; i < reviews->count; i++) {
		const struct alexa_review *r = &reviews->items[i];
		if (r->rating == 3 || is_blank(r->text))
			continue;
		out[n].text = r->text;
		out[n].len = r->len;
		out[n].is_positive = r->rating >= 4;
		n++;
	}
	return n;
}

static void test_alexa_reviews_rules_match_reference_and_learned_beats_them(void)
{
	struct alexa_reviews reviews;
	int rc = alexa_reviews_load(ALEXA_REVIEWS_PATH, &reviews);
	if (rc == -1) {
		printf("    skipped: %s is absent\n", ALEXA_REVIEWS_PATH);
		return;
	}
	CHECK_INT(rc, 0);
	CHECK_INT(reviews.count, 3150);
	struct review_example *examples = xmalloc((reviews.count + 1) * sizeof *examples);
	size_t n = rated_examples(&reviews, examples);
	double *compounds = xmalloc((n + 1) * sizeof *compounds);
	double *held_compounds = xmalloc((n + 1) * sizeof *held_compounds);
	int *labels = xmalloc((n + 1) * sizeof *labels);
	int *held_labels = xmalloc((n + 1) * sizeof *held_labels);
	size_t held = 0;
	for (size_t i = 0; i < n; i++) {
		struct sentiment_score s;
		sentiment_score_text(lexicon, examples[i].text, examples[i].len, &s);
		compounds[i] = s.compound;
		labels[i] = examples[i].is_positive;
		if (text_classifier_is_held_out(examples[i].text, examples[i].len, 25)) {
			held_compounds[held] = s.compound;
			held_labels[held++] = examples[i].is_positive;
		}
	}
	double accuracy = metrics_accuracy(compounds, labels, n, SENTIMENT_LABEL_THRESHOLD);
	double auc = metrics_roc_auc(compounds, labels, n);
	printf("    rules, %zu rated reviews (3 stars and blanks left out): accuracy %.4f at "
	       "compound >= 0.05 (%.4f at >= 0, %.4f at >= -0.05), ROC AUC %.4f; "
	       "reference 0.865, 0.840\n",
	       n, accuracy, metrics_accuracy(compounds, labels, n, 0),
	       metrics_accuracy(compounds, labels, n, -SENTIMENT_LABEL_THRESHOLD), auc);
	CHECK_INT(n, 2931);
	CHECK(accuracy >= 0.85);
	CHECK(auc >= 0.83);

	struct text_classifier_evaluation learned;
	struct error err = {""};
	CHECK_INT(text_classifier_evaluate(examples, n, 25, NULL, &learned, &err), 0);
	double rules_accuracy = metrics_accuracy(held_compounds, held_labels, held, 0.05);
	double rules_auc = metrics_roc_auc(held_compounds, held_labels, held);
	printf("    held-out %zu reviews (%zu positive, trained on %zu): learned accuracy %.4f, "
	       "ROC AUC %.4f; rules accuracy %.4f, ROC AUC %.4f\n",
	       learned.held_out_count, learned.held_out_positive, learned.train_count,
	       learned.accuracy, learned.roc_auc, rules_accuracy, rules_auc);
	CHECK_INT(learned.held_out_count, held);
	CHECK(learned.roc_auc > rules_auc + 0.05);
	CHECK(learned.accuracy > rules_accuracy);
	/* better than always saying "positive", too */
	double always_positive =
		(double)learned.held_out_positive / (double)learned.held_out_count;
	CHECK(learned.accuracy > always_positive);
	free(compounds);
	free(held_compounds);
	free(labels);
	free(held_labels);
	free(examples);
	alexa_reviews_free(&reviews);
}

int main(void)
{
	struct error err = {""};
	if (sentiment_lexicon_load(LEXICON_PATH, &lexicon, &err) != 0) {
		printf("cannot load the lexicon: %s\n", err.msg);
		check_failed++;
		return check_summary();
	}
	RUN(test_tokens_drop_edge_punctuation_but_keep_emoticons);
	RUN(test_tokens_split_words_run_together_and_emoji);
	RUN(test_tokens_read_typographic_apostrophe_as_plain);
	RUN(test_tokens_keep_invalid_utf8_bytes_inside_words);
	RUN(test_rated_word_scores_as_reference);
	RUN(test_negation_flips_what_follows);
	RUN(test_boosters_raise_and_dampeners_lower);
	RUN(test_but_weighs_what_follows_it);
	RUN(test_capitals_emphasise_only_in_mixed_case_text);
	RUN(test_exclamation_marks_emphasise_up_to_four);
	RUN(test_least_negates_unless_at_least);
	RUN(test_emoticons_and_emoji_carry_feeling);
	RUN(test_empty_text_is_neutral);
	RUN(test_shares_add_up_to_one_and_labels_follow_compound);
	RUN(test_100kb_review_scores_fast_within_bounds);
	RUN(test_invalid_utf8_scores_without_harm);
	RUN(test_random_bytes_never_break_the_scorer);
	RUN(test_lexicon_loads_vader_file);
	RUN(test_lexicon_prefers_lowercase_entry_then_later_value);
	RUN(test_lexicon_reports_missing_file_and_bad_line);
	RUN(test_alexa_reviews_rules_match_reference_and_learned_beats_them);
	sentiment_lexicon_free(lexicon);
	return check_summary();
}
