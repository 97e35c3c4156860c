/* bench_sentiment: reviews per second for the rule-based scorer and the learned
 * predictor (and the learned model's training time), medians of 5 runs over the Amazon
 * Alexa reviews, or over generated reviews when ../shared is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/review_tsv.h"
#include "model/sentiment.h"
#include "model/text_classifier.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/xalloc.h"

#define RUNS 5

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *values, size_t n)
{
	qsort(values, n, sizeof *values, compare_double);
	return values[n / 2];
}

/* Fills reviews with generated ones shaped like the Alexa file (1 to 60 words). */
static void generate_reviews(struct alexa_reviews *reviews, size_t count)
{
	static const char *words[] = {"love", "the", "echo", "sound", "is", "great", "not",
				      "very", "good", "but", "alexa", "can't", "hear", "me",
				      "terrible", "app", "easy", "setup", "!", ":)", "music"};
	struct rng rng;
	rng_seed(&rng, 42);
	memset(reviews, 0, sizeof *reviews);
	reviews->items = xcalloc(count, sizeof *reviews->items);
	reviews->count = reviews->cap = count;
	for (size_t i = 0; i < count; i++) {
		struct buf text = BUF_INIT;
		size_t n = 1 + (size_t)rng_below(&rng, 60);
		for (size_t w = 0; w < n; w++)
			buf_printf(&text, "%s ", words[rng_below(&rng, 21)]);
		reviews->items[i].rating = 1 + (int)rng_below(&rng, 5);
		reviews->items[i].len = text.len;
		reviews->items[i].text = buf_detach(&text);
	}
}

int main(void)
{
	struct sentiment_lexicon *lex = NULL;
	struct error err = {""};
	if (sentiment_lexicon_load("data/vader_lexicon.txt", &lex, &err) != 0) {
		printf("cannot load the lexicon: %s\n", err.msg);
		return 1;
	}
	struct alexa_reviews reviews;
	const char *source = "Amazon Alexa reviews";
	if (alexa_reviews_load(ALEXA_REVIEWS_PATH, &reviews) != 0) {
		source = "generated reviews (../shared absent)";
		generate_reviews(&reviews, 3150);
	}
	size_t bytes = 0, rated = 0;
	struct review_example *examples = xcalloc(reviews.count, sizeof *examples);
	for (size_t i = 0; i < reviews.count; i++) {
		const struct alexa_review *r = &reviews.items[i];
		bytes += r->len;
		if (r->rating == 3)
			continue;
		examples[rated].text = r->text;
		examples[rated].len = r->len;
		examples[rated].is_positive = r->rating >= 4;
		rated++;
	}
	printf("%zu %s, %.1f KB of text\n", reviews.count, source, (double)bytes / 1024);

	double times[RUNS], checksum = 0;
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		for (size_t i = 0; i < reviews.count; i++) {
			struct sentiment_score s;
			sentiment_score_text(lex, reviews.items[i].text, reviews.items[i].len, &s);
			checksum += s.compound;
		}
		times[run] = now_seconds() - start;
	}
	double t = median(times, RUNS);
	printf("rule scorer:       %10.0f reviews/s  (%.2f ms for all, median of %d)\n",
	       (double)reviews.count / t, t * 1000, RUNS);

	struct text_classifier *model = NULL;
	for (int run = 0; run < RUNS; run++) {
		text_classifier_free(model);
		model = NULL;
		double start = now_seconds();
		if (text_classifier_train(examples, rated, NULL, &model, &err) != 0) {
			printf("cannot train: %s\n", err.msg);
			return 1;
		}
		times[run] = now_seconds() - start;
	}
	t = median(times, RUNS);
	printf("learned training:  %10.0f reviews/s  (%.2f ms for %zu rated reviews, 10 epochs)\n",
	       (double)rated / t, t * 1000, rated);
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		for (size_t i = 0; i < reviews.count; i++)
			checksum += text_classifier_predict(model, reviews.items[i].text,
							    reviews.items[i].len);
		times[run] = now_seconds() - start;
	}
	t = median(times, RUNS);
	printf("learned predictor: %10.0f reviews/s  (%.2f ms for all, median of %d)\n",
	       (double)reviews.count / t, t * 1000, RUNS);
	printf("(checksum %.3f)\n", checksum);

	text_classifier_free(model);
	free(examples);
	alexa_reviews_free(&reviews);
	sentiment_lexicon_free(lex);
	return 0;
}
