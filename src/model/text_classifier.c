/* text_classifier: logistic regression on hashed unigrams and bigrams of review text
 * (see text_classifier.h): feature extraction, AdaGrad training, prediction, and the
 * hash-based train / held-out split with its evaluation. */
#include "model/text_classifier.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "model/metrics.h"
#include "model/text_tokens.h"
#include "util/rng.h"
#include "util/xalloc.h"

#define MIN_HASH_BITS 10
#define MAX_HASH_BITS 24
#define ADAGRAD_EPSILON 1e-8 /* keeps the first AdaGrad step finite */

struct text_classifier {
	struct text_classifier_options options; /* what it was trained with */
	uint32_t mask;   /* 2^hash_bits - 1: a hash's low bits pick its weight */
	double *weights; /* one weight per hash bucket */
	double bias;     /* the log-odds of a review without features */
};

/* One feature of a review: which weight, and how much of it. */
struct feature {
	uint32_t index; /* weight bucket */
	float value;    /* signed, scaled by the review's length */
};

/* The features of one review. */
struct feature_list {
	struct feature *items; /* in token order; a bucket may repeat */
	size_t count;          /* features in items */
	size_t cap;            /* features allocated */
};

void text_classifier_default_options(struct text_classifier_options *opts)
{
	opts->hash_bits = 18;
	opts->epochs = 10;
	opts->learning_rate = 0.2;
	opts->l2 = 1e-5;
	opts->seed = 20140601;
}

static int check_options(const struct text_classifier_options *o, struct error *err)
{
	if (o->hash_bits < MIN_HASH_BITS || o->hash_bits > MAX_HASH_BITS)
		return error_set(err, ERR_INPUT, "hash bits must be from %d to %d, not %u",
				 MIN_HASH_BITS, MAX_HASH_BITS, o->hash_bits);
	if (o->epochs < 1)
		return error_set(err, ERR_INPUT, "epochs must be at least 1");
	if (!(o->learning_rate > 0) || !isfinite(o->learning_rate))
		return error_set(err, ERR_INPUT, "learning rate must be positive");
	if (!(o->l2 >= 0) || !isfinite(o->l2))
		return error_set(err, ERR_INPUT, "L2 penalty must be zero or more");
	return 0;
}

static void add_feature(struct feature_list *f, uint64_t hash, uint32_t mask)
{
	if (f->count == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->items = xreallocarray(f->items, f->cap, sizeof *f->items);
	}
	f->items[f->count].index = (uint32_t)(hash & mask);
	f->items[f->count].value = hash >> 63 ? -1.0f : 1.0f;
	f->count++;
}

/* Fills f with the hashed words and word pairs of text; values are scaled by
 * 1/sqrt(features) so long and short reviews take steps of the same size. */
static void review_features(const char *text, size_t len, uint32_t mask,
			    struct text_tokens *tokens, struct feature_list *f)
{
	f->count = 0;
	text_tokens_split(tokens, text, len);
	for (size_t i = 0; i < tokens->count; i++) {
		const char *word = text_token_text(tokens, i);
		size_t word_len = tokens->items[i].len;
		uint64_t h = text_hash_update(TEXT_HASH_START, "w", 2);
		add_feature(f, text_hash_finish(text_hash_update(h, word, word_len)), mask);
		if (i == 0)
			continue;
		h = text_hash_update(TEXT_HASH_START, "p", 2);
		const char *previous = text_token_text(tokens, i - 1);
		h = text_hash_update(h, previous, tokens->items[i - 1].len + 1); /* with its NUL */
		add_feature(f, text_hash_finish(text_hash_update(h, word, word_len)), mask);
	}
	if (f->count == 0)
		return;
	float scale = (float)(1.0 / sqrt((double)f->count));
	for (size_t i = 0; i < f->count; i++)
		f->items[i].value *= scale;
}

static double sigmoid(double z)
{
	if (z >= 0)
		return 1.0 / (1.0 + exp(-z));
	double e = exp(z);
	return e / (1.0 + e);
}

static double log_odds(const struct text_classifier *model, const struct feature_list *f)
{
	double z = model->bias;
	for (size_t i = 0; i < f->count; i++)
		z += model->weights[f->items[i].index] * f->items[i].value;
	return z;
}

/* One AdaGrad step on the log loss of one review; squared_sums holds each weight's sum
 * of squared gradients, the bias's in the last slot. */
static void train_step(struct text_classifier *model, double *squared_sums,
		       const struct feature_list *f, int is_positive)
{
	double rate = model->options.learning_rate, l2 = model->options.l2;
	double error = sigmoid(log_odds(model, f)) - (is_positive ? 1.0 : 0.0);
	double *bias_sum = &squared_sums[(size_t)model->mask + 1];
	*bias_sum += error * error;
	model->bias -= rate * error / sqrt(*bias_sum + ADAGRAD_EPSILON);
	for (size_t i = 0; i < f->count; i++) {
		uint32_t j = f->items[i].index;
		double g = error * f->items[i].value + l2 * model->weights[j];
		squared_sums[j] += g * g;
		model->weights[j] -= rate * g / sqrt(squared_sums[j] + ADAGRAD_EPSILON);
	}
}

/* Puts the numbers 0..count-1 into order in an rng-shuffled order (Fisher-Yates). */
static void shuffle(size_t *order, size_t count, struct rng *rng)
{
	for (size_t i = count; i > 1; i--) {
		size_t j = (size_t)rng_below(rng, i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

int text_classifier_train(const struct review_example *examples, size_t count,
			  const struct text_classifier_options *opts,
			  struct text_classifier **out, struct error *err)
{
	struct text_classifier_options defaults;
	text_classifier_default_options(&defaults);
	if (!opts)
		opts = &defaults;
	int rc = check_options(opts, err);
	if (rc)
		return rc;
	size_t positives = 0;
	for (size_t i = 0; i < count; i++)
		positives += examples[i].is_positive != 0;
	if (positives == 0 || positives == count)
		return error_set(err, ERR_INPUT, "training needs positive and negative reviews "
				 "(%zu of %zu positive)", positives, count);

	struct text_classifier *model = xcalloc(1, sizeof *model);
	model->options = *opts;
	model->mask = (uint32_t)((1u << opts->hash_bits) - 1);
	model->weights = xcalloc((size_t)model->mask + 1, sizeof *model->weights);
	double *squared_sums = xcalloc((size_t)model->mask + 2, sizeof *squared_sums);
	struct feature_list *features = xcalloc(count, sizeof *features);
	size_t *order = xmalloc(count * sizeof *order);
	struct text_tokens tokens = TEXT_TOKENS_INIT;
	for (size_t i = 0; i < count; i++) {
		review_features(examples[i].text, examples[i].len, model->mask, &tokens,
				&features[i]);
		order[i] = i;
	}
	struct rng rng;
	rng_seed(&rng, opts->seed);
	for (unsigned epoch = 0; epoch < opts->epochs; epoch++) {
		shuffle(order, count, &rng);
		for (size_t k = 0; k < count; k++)
			train_step(model, squared_sums, &features[order[k]],
				   examples[order[k]].is_positive);
	}
	for (size_t i = 0; i < count; i++)
		free(features[i].items);
	free(features);
	free(order);
	free(squared_sums);
	text_tokens_free(&tokens);
	*out = model;
	return 0;
}

double text_classifier_predict(const struct text_classifier *model, const char *text,
			       size_t len)
{
	struct text_tokens tokens = TEXT_TOKENS_INIT;
	struct feature_list f = {NULL, 0, 0};
	review_features(text, len, model->mask, &tokens, &f);
	double p = sigmoid(log_odds(model, &f));
	free(f.items);
	text_tokens_free(&tokens);
	return p;
}

void text_classifier_free(struct text_classifier *model)
{
	if (!model)
		return;
	free(model->weights);
	free(model);
}

int text_classifier_is_held_out(const char *key, size_t len, unsigned held_out_percent)
{
	uint64_t h = text_hash_update(TEXT_HASH_START, "split", 6);
	h = text_hash_finish(text_hash_update(h, key, len));
	return h % 100 < held_out_percent;
}

int text_classifier_evaluate(const struct review_example *examples, size_t count,
			     unsigned held_out_percent,
			     const struct text_classifier_options *opts,
			     struct text_classifier_evaluation *out, struct error *err)
{
	if (held_out_percent < 1 || held_out_percent > 99)
		return error_set(err, ERR_INPUT, "held-out share must be 1%% to 99%%, not %u%%",
				 held_out_percent);
	struct review_example *train = xmalloc((count ? count : 1) * sizeof *train);
	const struct review_example **held_out = xmalloc((count ? count : 1) * sizeof *held_out);
	double *probabilities = NULL;
	int *labels = NULL;
	struct text_classifier *model = NULL;
	size_t train_count = 0, held_out_count = 0, held_out_positive = 0;
	for (size_t i = 0; i < count; i++) {
		const struct review_example *e = &examples[i];
		if (text_classifier_is_held_out(e->text, e->len, held_out_percent)) {
			held_out[held_out_count++] = e;
			held_out_positive += e->is_positive != 0;
		} else {
			train[train_count++] = *e;
		}
	}
	int rc = 0;
	if (held_out_positive == 0 || held_out_positive == held_out_count) {
		rc = error_set(err, ERR_INPUT,
			       "held-out reviews need both classes (%zu of %zu positive)",
			       held_out_positive, held_out_count);
		goto done;
	}
	rc = text_classifier_train(train, train_count, opts, &model, err);
	if (rc)
		goto done;
	probabilities = xmalloc(held_out_count * sizeof *probabilities);
	labels = xmalloc(held_out_count * sizeof *labels);
	for (size_t i = 0; i < held_out_count; i++) {
		const struct review_example *e = held_out[i];
		probabilities[i] = text_classifier_predict(model, e->text, e->len);
		labels[i] = held_out[i]->is_positive != 0;
	}
	out->train_count = train_count;
	out->held_out_count = held_out_count;
	out->held_out_positive = held_out_positive;
	out->accuracy = metrics_accuracy(probabilities, labels, held_out_count, 0.5);
	out->roc_auc = metrics_roc_auc(probabilities, labels, held_out_count);
done:
	text_classifier_free(model);
	free(probabilities);
	free(labels);
	free(train);
	free(held_out);
	return rc;
}
