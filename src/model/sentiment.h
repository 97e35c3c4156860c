/* sentiment: the rule-based review scorer, in the manner of VADER (Hutto & Gilbert,
 * "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text",
 * ICWSM 2014). Text in, scores out; no database here.
 *
 * The one idea: every word found in a lexicon of rated words (data/vader_lexicon.txt,
 * valences from -4 to +4) brings its valence, adjusted by the words just before it
 * (negation such as "not" or "isn't", boosters such as "very", dampeners such as
 * "slightly" or "kind of"), by writing in capitals among lower-case words, and by "but"
 * (what comes before it counts half, what follows one and a half times). The sum, pushed
 * further from zero by exclamation and question marks, is squashed into a compound score
 * in [-1, 1] by x / sqrt(x² + 15). A compound of 0.05 or more reads positive, -0.05 or
 * less negative, anything between neutral. */
#ifndef CARTOGRAPH_SENTIMENT_H
#define CARTOGRAPH_SENTIMENT_H

#include <stddef.h>

#include "util/error.h"

/* Compounds at or beyond this distance from zero are positive or negative. */
#define SENTIMENT_LABEL_THRESHOLD 0.05

/* Rated words: a hash table from lowercase word or emoticon to its valence. */
struct sentiment_lexicon;

enum sentiment_label {
	SENTIMENT_NEGATIVE = -1,
	SENTIMENT_NEUTRAL = 0,
	SENTIMENT_POSITIVE = 1
};

struct sentiment_score {
	double compound;   /* overall feeling in [-1, 1]; 0 for text with no rated word */
	double positive;   /* share of the text's weight that is positive, in [0, 1] */
	double neutral;    /* share that is neutral (words not in the lexicon) */
	double negative;   /* share that is negative; the three shares add up to 1 */
	enum sentiment_label label; /* compound read at SENTIMENT_LABEL_THRESHOLD */
};

/* Loads a lexicon file of lines "word<TAB>mean valence[<TAB>anything]". Words are
 * matched in lowercase; a word listed twice takes its later value, except that an entry
 * written in lowercase beats one written with capitals. Returns 0, or ERR_SYSTEM when
 * the file cannot be read and ERR_INPUT for a malformed line (message names file and
 * line); *out is set only on success. */
int sentiment_lexicon_load(const char *path, struct sentiment_lexicon **out,
			   struct error *err);
void sentiment_lexicon_free(struct sentiment_lexicon *lex);
/* Returns how many distinct words the lexicon rates. */
size_t sentiment_lexicon_count(const struct sentiment_lexicon *lex);
/* Looks up a lowercase word of len bytes: returns 1 and sets *valence when rated,
 * else 0. */
int sentiment_lexicon_find(const struct sentiment_lexicon *lex, const char *word, size_t len,
			   double *valence);

/* Scores text of len bytes (any bytes: invalid UTF-8 is read as opaque characters).
 * Empty text, or text without words, scores compound 0, neutral share 1. */
void sentiment_score_text(const struct sentiment_lexicon *lex, const char *text, size_t len,
			  struct sentiment_score *out);

/* Reads a compound score as a label at SENTIMENT_LABEL_THRESHOLD. */
enum sentiment_label sentiment_label_of(double compound);
/* Returns "positive", "neutral" or "negative". */
const char *sentiment_label_name(enum sentiment_label label);

#endif
