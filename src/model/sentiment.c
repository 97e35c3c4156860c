/* sentiment: the VADER-style rule scorer (see sentiment.h): the lexicon hash table, the
 * word lists of the rules (boosters, dampeners, negations, emoji), and the scoring of one
 * review as a sequence of per-word valences. */
#include "model/sentiment.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/text_tokens.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* The empirical constants of the VADER paper. */
#define BOOST 0.293            /* valence added by a booster such as "very" */
#define CAPS_BOOST 0.733       /* valence added by writing a word in capitals */
#define NEGATION_FACTOR (-0.74) /* a negated word flips and weakens */
#define EXCLAMATION_BOOST 0.292 /* per "!", at most EXCLAMATIONS_COUNTED of them */
#define EXCLAMATIONS_COUNTED 4
#define QUESTION_BOOST 0.18    /* per "?" when two or three are written */
#define QUESTIONS_BOOST_MAX 0.96 /* for four or more "?" */
#define BEFORE_BUT_WEIGHT 0.5  /* words before "but" */
#define AFTER_BUT_WEIGHT 1.5   /* words after "but" */
#define NORMALISATION_ALPHA 15.0 /* compound = x / sqrt(x² + alpha) */
#define WINDOW 3               /* words before a rated word that can modify it */

/* One slot of the lexicon's open-addressing table. */
struct lexicon_entry {
	uint32_t word_offset;       /* where the lowercase word starts in lexicon.words */
	uint32_t word_len;          /* bytes of the word; 0 marks an empty slot */
	double valence;             /* mean rating, -4 (most negative) to +4 */
	unsigned char had_capitals; /* 1 when the file wrote the word with capitals */
};

struct sentiment_lexicon {
	struct lexicon_entry *slots; /* the table; slot_count is a power of two */
	size_t slot_count;           /* slots allocated, at least twice count */
	size_t count;                /* words rated */
	size_t longest;              /* bytes of the longest word, to skip hopeless lookups */
	struct buf words;            /* every word's lowercase text, NUL-terminated */
};

/* Degree adverbs, sorted for bsearch: positive ones boost, negative ones dampen. */
struct booster {
	const char *word;
	double shift;
};
static const struct booster boosters[] = {
	{"absolutely", BOOST},    {"almost", -BOOST},        {"amazingly", BOOST},
	{"awfully", BOOST},       {"barely", -BOOST},        {"completely", BOOST},
	{"considerably", BOOST},  {"decidedly", BOOST},      {"deeply", BOOST},
	{"effing", BOOST},        {"enormously", BOOST},     {"entirely", BOOST},
	{"especially", BOOST},    {"exceptionally", BOOST},  {"extremely", BOOST},
	{"fabulously", BOOST},    {"flippin", BOOST},        {"flipping", BOOST},
	{"frickin", BOOST},       {"fricking", BOOST},       {"friggin", BOOST},
	{"frigging", BOOST},      {"fucking", BOOST},        {"fully", BOOST},
	{"greatly", BOOST},       {"hardly", -BOOST},        {"hella", BOOST},
	{"highly", BOOST},        {"hugely", BOOST},         {"incredibly", BOOST},
	{"intensely", BOOST},     {"kind-of", -BOOST},       {"kinda", -BOOST},
	{"kindof", -BOOST},       {"less", -BOOST},          {"little", -BOOST},
	{"majorly", BOOST},       {"marginally", -BOOST},    {"more", BOOST},
	{"most", BOOST},          {"occasionally", -BOOST},  {"particularly", BOOST},
	{"partly", -BOOST},       {"purely", BOOST},         {"quite", BOOST},
	{"really", BOOST},        {"remarkably", BOOST},     {"scarcely", -BOOST},
	{"slightly", -BOOST},     {"so", BOOST},             {"somewhat", -BOOST},
	{"sort-of", -BOOST},      {"sorta", -BOOST},         {"sortof", -BOOST},
	{"substantially", BOOST}, {"thoroughly", BOOST},     {"totally", BOOST},
	{"tremendously", BOOST},  {"uber", BOOST},           {"unbelievably", BOOST},
	{"unusually", BOOST},     {"utterly", BOOST},        {"very", BOOST},
};

/* Two-word dampeners ("it is kind of good"). */
static const char *const dampening_phrases[][2] = {
	{"kind", "of"}, {"sort", "of"}, {"just", "enough"},
};

/* Words that negate what follows, sorted for bsearch; any word containing "n't" negates
 * too, so the list holds the forms written without an apostrophe. */
static const char *const negations[] = {
	"aint",    "arent",   "cannot",  "cant",     "couldnt", "darent", "despite",
	"didnt",   "doesnt",  "dont",    "hadnt",    "hasnt",   "havent", "isnt",
	"mightnt", "mustnt",  "neednt",  "neither",  "never",   "none",   "nope",
	"nor",     "not",     "nothing", "nowhere",  "oughtnt", "rarely", "seldom",
	"shant",   "shouldnt", "uh-uh",  "uhuh",     "wasnt",   "werent", "without",
	"wont",    "wouldnt",
};

/* Common emoji read as the lexicon word that says the same (UTF-8 bytes). */
struct emoji_word {
	const char *emoji;
	const char *word;
};
static const struct emoji_word emoji_words[] = {
	{"\xE2\x98\xBA", "smile"},         /* U+263A smiling face */
	{"\xE2\x98\xB9", "sad"},           /* U+2639 frowning face */
	{"\xE2\x9D\xA4", "love"},          /* U+2764 red heart */
	{"\xF0\x9F\x91\x8D", "good"},      /* U+1F44D thumbs up */
	{"\xF0\x9F\x91\x8E", "bad"},       /* U+1F44E thumbs down */
	{"\xF0\x9F\x91\x8F", "applause"},  /* U+1F44F clapping hands */
	{"\xF0\x9F\x8E\x89", "celebrate"}, /* U+1F389 party popper */
	{"\xF0\x9F\x92\x8B", "kiss"},      /* U+1F48B kiss mark */
	{"\xF0\x9F\x92\x94", "heartbreak"}, /* U+1F494 broken heart */
	{"\xF0\x9F\x92\x95", "love"},      /* U+1F495 two hearts */
	{"\xF0\x9F\x92\x96", "love"},      /* U+1F496 sparkling heart */
	{"\xF0\x9F\x92\x97", "love"},      /* U+1F497 growing heart */
	{"\xF0\x9F\x98\x80", "grin"},      /* U+1F600 grinning face */
	{"\xF0\x9F\x98\x81", "grin"},      /* U+1F601 beaming face */
	{"\xF0\x9F\x98\x82", "laugh"},     /* U+1F602 tears of joy */
	{"\xF0\x9F\x98\x83", "smile"},     /* U+1F603 smiling, open mouth */
	{"\xF0\x9F\x98\x84", "smile"},     /* U+1F604 smiling eyes, open mouth */
	{"\xF0\x9F\x98\x86", "laugh"},     /* U+1F606 squinting laugh */
	{"\xF0\x9F\x98\x89", "smile"},     /* U+1F609 winking face */
	{"\xF0\x9F\x98\x8A", "smile"},     /* U+1F60A smiling eyes */
	{"\xF0\x9F\x98\x8D", "love"},      /* U+1F60D heart eyes */
	{"\xF0\x9F\x98\x8E", "cool"},      /* U+1F60E sunglasses */
	{"\xF0\x9F\x98\x94", "sad"},       /* U+1F614 pensive face */
	{"\xF0\x9F\x98\x95", "confused"},  /* U+1F615 confused face */
	{"\xF0\x9F\x98\x98", "kiss"},      /* U+1F618 blowing a kiss */
	{"\xF0\x9F\x98\x9E", "disappointed"}, /* U+1F61E disappointed face */
	{"\xF0\x9F\x98\xA0", "angry"},     /* U+1F620 angry face */
	{"\xF0\x9F\x98\xA1", "angry"},     /* U+1F621 pouting face */
	{"\xF0\x9F\x98\xA2", "cry"},       /* U+1F622 crying face */
	{"\xF0\x9F\x98\xA5", "sad"},       /* U+1F625 sad but relieved */
	{"\xF0\x9F\x98\xAD", "cry"},       /* U+1F62D loudly crying */
	{"\xF0\x9F\x99\x81", "sad"},       /* U+1F641 slightly frowning */
	{"\xF0\x9F\x99\x82", "smile"},     /* U+1F642 slightly smiling */
	{"\xF0\x9F\xA4\x97", "hug"},       /* U+1F917 hugging face */
	{"\xF0\x9F\xA4\xA3", "laugh"},     /* U+1F923 rolling on the floor laughing */
	{"\xF0\x9F\xA5\xB0", "love"},      /* U+1F970 smiling with hearts */
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int compare_booster(const void *key, const void *item)
{
	return strcmp(key, ((const struct booster *)item)->word);
}

static int compare_word(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

/* Returns the valence shift of a booster or dampener word, or 0. */
static double booster_shift(const char *word)
{
	const struct booster *b =
		bsearch(word, boosters, COUNT_OF(boosters), sizeof boosters[0], compare_booster);
	return b ? b->shift : 0.0;
}

static int is_negation(const char *word)
{
	return bsearch(word, negations, COUNT_OF(negations), sizeof negations[0], compare_word)
	       || strstr(word, "n't");
}

/* Checks the invariant bsearch relies on: both word lists are sorted. */
static int word_lists_are_sorted(void)
{
	for (size_t i = 1; i < COUNT_OF(boosters); i++)
		if (strcmp(boosters[i - 1].word, boosters[i].word) >= 0)
			return 0;
	for (size_t i = 1; i < COUNT_OF(negations); i++)
		if (strcmp(negations[i - 1], negations[i]) >= 0)
			return 0;
	return 1;
}

/* ---- The lexicon table ---- */

static uint64_t word_hash(const char *word, size_t len)
{
	return text_hash_finish(text_hash_update(TEXT_HASH_START, word, len));
}

/* Returns the slot holding word, or the empty slot where it would go. */
static struct lexicon_entry *lexicon_slot(const struct sentiment_lexicon *lex,
					   const char *word, size_t len)
{
	size_t mask = lex->slot_count - 1;
	for (size_t i = (size_t)word_hash(word, len) & mask;; i = (i + 1) & mask) {
		struct lexicon_entry *e = &lex->slots[i];
		if (e->word_len == 0)
			return e;
		if (e->word_len == len && memcmp(lex->words.data + e->word_offset, word, len) == 0)
			return e;
	}
}

/* Doubles the table and moves every entry to its new slot. */
static void lexicon_grow(struct sentiment_lexicon *lex)
{
	struct lexicon_entry *old = lex->slots;
	size_t old_count = lex->slot_count;
	lex->slot_count = old_count ? 2 * old_count : 1024;
	lex->slots = xcalloc(lex->slot_count, sizeof *lex->slots);
	for (size_t i = 0; i < old_count; i++) {
		if (old[i].word_len == 0)
			continue;
		struct lexicon_entry *e =
			lexicon_slot(lex, lex->words.data + old[i].word_offset, old[i].word_len);
		*e = old[i];
	}
	free(old);
}

/* Adds or updates one word (already lowercased) per the rule in sentiment.h. */
static void lexicon_put(struct sentiment_lexicon *lex, const char *word, size_t len,
			double valence, int had_capitals)
{
	assert(len > 0);
	if (2 * (lex->count + 1) > lex->slot_count)
		lexicon_grow(lex);
	struct lexicon_entry *e = lexicon_slot(lex, word, len);
	if (e->word_len != 0) {
		if (had_capitals && !e->had_capitals)
			return;
		e->valence = valence;
		e->had_capitals = (unsigned char)had_capitals;
		return;
	}
	e->word_offset = (uint32_t)lex->words.len;
	e->word_len = (uint32_t)len;
	e->valence = valence;
	e->had_capitals = (unsigned char)had_capitals;
	buf_append(&lex->words, word, len);
	buf_putc(&lex->words, '\0');
	lex->count++;
	if (len > lex->longest)
		lex->longest = len;
}

/* Reads one line of the lexicon file into the table; returns 0 or ERR_INPUT. */
static int lexicon_read_line(struct sentiment_lexicon *lex, char *line, const char *path,
			     long line_no, struct buf *lowered, struct error *err)
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return 0;
	char *tab = strchr(line, '\t');
	if (!tab || tab == line)
		return error_set(err, ERR_INPUT, "%s:%ld: expected a word, a tab and a valence",
				 path, line_no);
	*tab = '\0';
	char *field = tab + 1, *field_end = strchr(field, '\t');
	if (field_end)
		*field_end = '\0';
	char *end;
	errno = 0;
	double valence = strtod(field, &end);
	if (end == field || *end != '\0' || errno || !isfinite(valence))
		return error_set(err, ERR_INPUT, "%s:%ld: valence '%s' of '%s' is not a number",
				 path, line_no, field, line);
	if (tab - line > 255)
		return error_set(err, ERR_INPUT, "%s:%ld: word longer than 255 bytes", path,
				 line_no);
	if (lex->words.len > UINT32_MAX - 256)
		return error_set(err, ERR_INPUT, "%s:%ld: too many words", path, line_no);
	int had_capitals = 0;
	buf_reset(lowered);
	for (const char *p = line; p < tab; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z') {
			had_capitals = 1;
			c = (char)(c - 'A' + 'a');
		}
		buf_putc(lowered, c);
	}
	lexicon_put(lex, lowered->data, lowered->len, valence, had_capitals);
	return 0;
}

int sentiment_lexicon_load(const char *path, struct sentiment_lexicon **out,
			   struct error *err)
{
	assert(word_lists_are_sorted());
	struct sentiment_lexicon *lex = xcalloc(1, sizeof *lex);
	struct buf lowered = BUF_INIT;
	char *line = NULL;
	size_t line_cap = 0;
	long line_no = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		rc = error_set(err, ERR_SYSTEM, "%s: cannot open: %s", path, strerror(errno));
		goto done;
	}
	lexicon_grow(lex);
	while (getline(&line, &line_cap, f) >= 0) {
		line_no++;
		rc = lexicon_read_line(lex, line, path, line_no, &lowered, err);
		if (rc)
			goto done;
	}
	if (ferror(f)) {
		rc = error_set(err, ERR_SYSTEM, "%s: cannot read: %s", path, strerror(errno));
		goto done;
	}
	if (lex->count == 0)
		rc = error_set(err, ERR_INPUT, "%s: no rated words", path);
done:
	if (f)
		fclose(f);
	free(line);
	buf_free(&lowered);
	if (rc) {
		sentiment_lexicon_free(lex);
		return rc;
	}
	*out = lex;
	return 0;
}

void sentiment_lexicon_free(struct sentiment_lexicon *lex)
{
	if (!lex)
		return;
	free(lex->slots);
	buf_free(&lex->words);
	free(lex);
}

size_t sentiment_lexicon_count(const struct sentiment_lexicon *lex)
{
	return lex->count;
}

int sentiment_lexicon_find(const struct sentiment_lexicon *lex, const char *word, size_t len,
			   double *valence)
{
	if (len == 0 || len > lex->longest)
		return 0;
	const struct lexicon_entry *e = lexicon_slot(lex, word, len);
	if (e->word_len == 0)
		return 0;
	*valence = e->valence;
	return 1;
}

/* ---- Scoring ---- */

/* What the scorer knows about one review while it works. */
struct review_text {
	const struct sentiment_lexicon *lex; /* the rated words */
	const struct text_tokens *tokens;    /* the review's words */
	int mixed_case;                      /* some words in capitals, some not */
};

static const char *word_at(const struct review_text *r, size_t i)
{
	return text_token_text(r->tokens, i);
}

static int word_is(const struct review_text *r, size_t i, const char *word)
{
	return strcmp(word_at(r, i), word) == 0;
}

static int is_rated(const struct review_text *r, size_t i)
{
	double ignored;
	const struct text_token *t = &r->tokens->items[i];
	return sentiment_lexicon_find(r->lex, word_at(r, i), t->len, &ignored);
}

/* Finds the valence of word i in the lexicon, reading emoji through emoji_words. */
static int rated_valence(const struct review_text *r, size_t i, double *valence)
{
	const struct text_token *t = &r->tokens->items[i];
	const char *word = word_at(r, i);
	if (sentiment_lexicon_find(r->lex, word, t->len, valence))
		return 1;
	if (!t->is_emoji)
		return 0;
	for (size_t k = 0; k < COUNT_OF(emoji_words); k++)
		if (strcmp(word, emoji_words[k].emoji) == 0)
			return sentiment_lexicon_find(r->lex, emoji_words[k].word,
						      strlen(emoji_words[k].word), valence);
	return 0;
}

/* Returns 1 when words i and i+1 form a two-word dampener such as "kind of". */
static int starts_dampening_phrase(const struct review_text *r, size_t i)
{
	if (i + 1 >= r->tokens->count)
		return 0;
	for (size_t k = 0; k < COUNT_OF(dampening_phrases); k++)
		if (word_is(r, i, dampening_phrases[k][0])
		    && word_is(r, i + 1, dampening_phrases[k][1]))
			return 1;
	return 0;
}

/* Pushes valence away from zero (or towards it when shift is negative). */
static double push(double valence, double shift)
{
	return valence < 0 ? valence - shift : valence + shift;
}

static int is_so_or_this(const struct review_text *r, size_t i)
{
	return word_is(r, i, "so") || word_is(r, i, "this");
}

/* The effect of word i - distance, a modifier that is not itself rated: booster or
 * dampener, capitals on a booster, negation, and "never so"/"never this", which
 * strengthens instead of negating. */
static double apply_modifier(const struct review_text *r, size_t i, size_t distance,
			     double valence)
{
	static const double booster_weight[WINDOW + 1] = {0, 1.0, 0.95, 0.9};
	static const double never_so_factor[WINDOW + 1] = {0, 1.0, 1.5, 1.25};
	size_t m = i - distance;
	const char *modifier = word_at(r, m);
	double shift = booster_shift(modifier);
	if (shift != 0) {
		if (r->tokens->items[m].all_caps && r->mixed_case)
			shift += CAPS_BOOST;
		valence = push(valence, shift * booster_weight[distance]);
	}
	int never_so = distance >= 2 && word_is(r, m, "never")
		       && (is_so_or_this(r, m + 1) || (distance == 3 && is_so_or_this(r, m + 2)));
	if (never_so)
		return valence * never_so_factor[distance];
	if (is_negation(modifier))
		return valence * NEGATION_FACTOR;
	return valence;
}

/* Returns the valence word i brings, after the rules that look at its neighbours. */
static double word_valence(const struct review_text *r, size_t i)
{
	const struct text_token *t = &r->tokens->items[i];
	if (booster_shift(word_at(r, i)) != 0 || starts_dampening_phrase(r, i))
		return 0;
	double valence;
	if (!rated_valence(r, i, &valence))
		return 0;
	if (t->all_caps && r->mixed_case)
		valence = push(valence, CAPS_BOOST);
	for (size_t distance = 1; distance <= WINDOW && distance <= i; distance++)
		if (!is_rated(r, i - distance))
			valence = apply_modifier(r, i, distance, valence);
	if (i >= 2 && starts_dampening_phrase(r, i - 2))
		valence = push(valence, -BOOST);
	else if (i >= 3 && starts_dampening_phrase(r, i - 3))
		valence = push(valence, -BOOST * 0.95);
	int after_least = i >= 1 && word_is(r, i - 1, "least") && !is_rated(r, i - 1);
	if (after_least && !(i >= 2 && (word_is(r, i - 2, "at") || word_is(r, i - 2, "very"))))
		valence *= NEGATION_FACTOR;
	return valence;
}

/* Returns 1 when some words but not all are written in capitals. */
static int has_mixed_case(const struct text_tokens *tokens)
{
	size_t capitals = 0;
	for (size_t i = 0; i < tokens->count; i++)
		capitals += tokens->items[i].all_caps;
	return capitals > 0 && capitals < tokens->count;
}

/* Weighs valences around the first "but": half before it, one and a half after. */
static void apply_contrast(const struct review_text *r, double *valences)
{
	size_t n = r->tokens->count, but = 0;
	while (but < n && !word_is(r, but, "but"))
		but++;
	if (but == n)
		return;
	for (size_t i = 0; i < but; i++)
		valences[i] *= BEFORE_BUT_WEIGHT;
	for (size_t i = but + 1; i < n; i++)
		valences[i] *= AFTER_BUT_WEIGHT;
}

/* Returns how much exclamation and question marks intensify the text. */
static double punctuation_emphasis(const char *text, size_t len)
{
	size_t exclamations = 0, questions = 0;
	for (size_t i = 0; i < len; i++) {
		exclamations += text[i] == '!';
		questions += text[i] == '?';
	}
	if (exclamations > EXCLAMATIONS_COUNTED)
		exclamations = EXCLAMATIONS_COUNTED;
	double emphasis = (double)exclamations * EXCLAMATION_BOOST;
	if (questions > 3)
		emphasis += QUESTIONS_BOOST_MAX;
	else if (questions > 1)
		emphasis += (double)questions * QUESTION_BOOST;
	return emphasis;
}

/* Turns per-word valences into the compound score and the three shares. */
static void summarise(const double *valences, size_t n, double emphasis,
		      struct sentiment_score *out)
{
	double sum = 0, positive = 0, negative = 0, neutral = 0;
	for (size_t i = 0; i < n; i++) {
		double v = valences[i];
		sum += v;
		if (v > 0)
			positive += v + 1; /* + 1 so a faint word outweighs a neutral one */
		else if (v < 0)
			negative += 1 - v;
		else
			neutral += 1;
	}
	if (sum != 0)
		sum = push(sum, emphasis);
	out->compound = sum / sqrt(sum * sum + NORMALISATION_ALPHA);
	if (positive > negative)
		positive += emphasis;
	else if (negative > positive)
		negative += emphasis;
	double total = positive + negative + neutral;
	if (total == 0) {
		out->positive = out->negative = 0;
		out->neutral = 1;
	} else {
		out->positive = positive / total;
		out->negative = negative / total;
		out->neutral = neutral / total;
	}
	out->label = sentiment_label_of(out->compound);
	assert(out->compound >= -1 && out->compound <= 1);
}

void sentiment_score_text(const struct sentiment_lexicon *lex, const char *text, size_t len,
			  struct sentiment_score *out)
{
	struct text_tokens tokens = TEXT_TOKENS_INIT;
	text_tokens_split(&tokens, text, len);
	struct review_text r = {lex, &tokens, has_mixed_case(&tokens)};
	double *valences = xcalloc(tokens.count ? tokens.count : 1, sizeof *valences);
	for (size_t i = 0; i < tokens.count; i++)
		valences[i] = word_valence(&r, i);
	apply_contrast(&r, valences);
	summarise(valences, tokens.count, punctuation_emphasis(text, len), out);
	free(valences);
	text_tokens_free(&tokens);
}

enum sentiment_label sentiment_label_of(double compound)
{
	if (compound >= SENTIMENT_LABEL_THRESHOLD)
		return SENTIMENT_POSITIVE;
	if (compound <= -SENTIMENT_LABEL_THRESHOLD)
		return SENTIMENT_NEGATIVE;
	return SENTIMENT_NEUTRAL;
}

const char *sentiment_label_name(enum sentiment_label label)
{
	switch (label) {
	case SENTIMENT_POSITIVE:
		return "positive";
	case SENTIMENT_NEGATIVE:
		return "negative";
	case SENTIMENT_NEUTRAL:
		break;
	}
	return "neutral";
}
