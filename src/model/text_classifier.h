/* text_classifier: the learned review sentiment model. Text in, probability out; no
 * database here.
 *
 * The one idea: logistic regression on hashed words and word pairs. Each review is split
 * by text_tokens (lowercase words, emoticons, emoji); every word and every pair of
 * neighbouring words ("not good", "stopped working") is hashed into one of
 * 2^hash_bits weights with a sign taken from the hash, so no vocabulary is stored and any
 * text maps to features the same way on every machine. Training is AdaGrad on the
 * L2-penalised log loss, in an order shuffled by util/rng with a fixed seed: the same
 * reviews and options always give the same model.
 *
 * Logistic regression rather than naive Bayes: its output is a probability a report can
 * show as is, where naive Bayes pushes it to 0 or 1, and it weighs overlapping features
 * (a word and the pairs containing it) jointly instead of counting their evidence twice.
 *
 * Labels follow the stars: 4 or 5 is positive, 1 or 2 negative; 3-star reviews are left
 * out of training and evaluation by the caller. */
#ifndef CARTOGRAPH_TEXT_CLASSIFIER_H
#define CARTOGRAPH_TEXT_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* One labelled review for training or evaluation. */
struct review_example {
	const char *text; /* the review text, any bytes */
	size_t len;       /* bytes of text */
	int is_positive;  /* 1 for 4-5 stars, 0 for 1-2 stars */
};

struct text_classifier_options {
	unsigned hash_bits;   /* weights = 2^hash_bits, from 10 to 24 */
	unsigned epochs;      /* passes over the training reviews, at least 1 */
	double learning_rate; /* AdaGrad base step, positive */
	double l2;            /* L2 penalty on the weights, at least 0 */
	uint64_t seed;        /* seeds the shuffling of the training order */
};

/* The learned model: weights and the options it was trained with. */
struct text_classifier;

/* Fills opts with the defaults (hash_bits 18, epochs 10, learning rate 0.2, l2 1e-5). */
void text_classifier_default_options(struct text_classifier_options *opts);

/* Learns a model from count reviews (opts NULL means the defaults). Returns 0, or
 * ERR_INPUT when the options are out of range or the reviews lack either class; *out is
 * set only on success. */
int text_classifier_train(const struct review_example *examples, size_t count,
			  const struct text_classifier_options *opts,
			  struct text_classifier **out, struct error *err);
/* Returns the probability, in [0, 1], that a review of len bytes is positive. */
double text_classifier_predict(const struct text_classifier *model, const char *text,
			       size_t len);
void text_classifier_free(struct text_classifier *model);

/* The deterministic train / held-out split: returns 1 when the review whose key (its id,
 * or its text) is key[0..len) belongs to the held-out share, which is about
 * held_out_percent of all keys. Equal keys fall on the same side, so a review posted
 * twice is never both trained on and tested on. */
int text_classifier_is_held_out(const char *key, size_t len, unsigned held_out_percent);

/* What a train / held-out evaluation measured. */
struct text_classifier_evaluation {
	size_t train_count;       /* reviews trained on */
	size_t held_out_count;    /* reviews evaluated */
	size_t held_out_positive; /* of which positive */
	double accuracy;          /* held-out share right at probability 0.5 */
	double roc_auc;           /* held-out ROC AUC of the probability */
};

/* Splits examples by the hash of their text (held_out_percent, 1 to 99), trains on one
 * side and measures on the other. Returns 0, or ERR_INPUT as text_classifier_train does
 * (also when the held-out side lacks either class). */
int text_classifier_evaluate(const struct review_example *examples, size_t count,
			     unsigned held_out_percent,
			     const struct text_classifier_options *opts,
			     struct text_classifier_evaluation *out, struct error *err);

#endif
