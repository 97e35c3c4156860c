/* review_text: star ratings and phrase templates for review titles and bodies. */
#include "gen/review_text.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "gen/catalog.h"

enum { MAX_PHRASES = 12 };

/* Words that fill the templates' slots. */
static const char *const adjectives[6][MAX_PHRASES] = {
	{NULL},
	{"terrible", "awful", "horrible", "useless", "dreadful", "pathetic", "rubbish"},
	{"disappointing", "mediocre", "flimsy", "poor", "underwhelming", "weak"},
	{"okay", "fine", "average", "acceptable", "alright", "ordinary"},
	{"good", "nice", "solid", "decent", "reliable", "handy", "dependable", "sturdy"},
	{"excellent", "fantastic", "superb", "outstanding", "brilliant", "amazing",
	 "wonderful", "perfect", "great", "awesome"},
};

static const char *const boosters[] = {"really", "very", "so", "extremely", "super",
				       "truly", "incredibly", NULL};

/* Sentence templates per star level. Slots: {noun} {aspect} {aspect2} {boost} and
 * {adj1}..{adj5}; {an_X} is slot X behind "a" or "an". The first letter of a sentence
 * is capitalised afterwards. */
static const char *const openers[6][MAX_PHRASES] = {
	{NULL},
	{"{boost} {adj1} {noun}.", "Do not buy this {noun}.", "Complete waste of money.",
	 "Worst {noun} I have ever bought.", "{adj1}!", "Absolutely {adj1}.",
	 "What {an_adj1} {noun}."},
	{"{adj2} {noun}.", "Not worth it.", "Expected much more from this {noun}.",
	 "Pretty {adj2}, to be honest.", "This {noun} isn't great.",
	 "Not happy with this {noun}."},
	{"It's {adj3}.", "Mixed feelings about this {noun}.", "Not great, not terrible.",
	 "{adj3} {noun}, nothing special.", "It's okay I guess.",
	 "Does what it says, nothing more."},
	{"{adj4} {noun}.", "Pretty {adj4} overall.", "Not bad at all.",
	 "Happy with this {noun}.", "Does the job well.", "A {adj4} {noun} for the money.",
	 "Not disappointed, it's a {adj4} {noun}."},
	{"{boost} {adj5} {noun}.", "Absolutely love this {noun}!",
	 "Exactly what I was looking for, {adj5}!", "Best {noun} I have ever owned.",
	 "This {noun} is {boost} {adj5}.", "Five stars, {adj5} {noun}.",
	 "Wow, what {an_adj5} {noun}."},
};

static const char *const middles[6][MAX_PHRASES] = {
	{NULL},
	{"The {aspect} is {boost} {adj1}.", "It broke after two days, {adj1} quality.",
	 "Stopped working after a week, {boost} disappointing.",
	 "Arrived damaged and support ignored me.", "Returned it immediately, {adj1}.",
	 "The {aspect} is a joke.", "Not even worth half the price."},
	{"The {aspect} is {adj2} and the {aspect2} is not good.",
	 "Looks nice but the {aspect} is {adj2}.", "Not worth the money.",
	 "It stopped working properly after a month.", "Customer service was not helpful.",
	 "The {aspect} isn't great and the {aspect2} is {adj2}."},
	{"Good {aspect} but expensive.", "The {aspect} is {adj4} but the {aspect2} is {adj2}.",
	 "The {aspect} isn't great but it works.", "Fine for the price.",
	 "Some things are {adj4}, some are not.", "The {aspect} is {adj3}."},
	{"The {aspect} is {adj4}, though the {aspect2} could be better.",
	 "{adj4} {aspect} but a bit expensive.", "Good value for the money.",
	 "Took a while to arrive but works well.",
	 "The {aspect} is {adj5}, only the {aspect2} is {adj3}.", "Not perfect, but {adj4}."},
	{"The {aspect} is {boost} {adj5}.", "The {aspect} is {adj5} and the {aspect2} is {adj4}.",
	 "Arrived quickly and well packed, {adj5} service.", "Worth every penny, {boost} {adj5}.",
	 "Could not be happier, it's {adj5}.", "My family loves it too.",
	 "No complaints at all, {adj5} {aspect}."},
};

/* Praise that means the opposite, for low stars only. */
static const char *const sarcasm[] = {
	"Great, it broke after two days.",
	"Oh wonderful, the {aspect} gave up within a week.",
	"Just what I wanted, {an_noun} that doesn't work.",
	"Love how the \"premium\" {aspect} lasted a whole weekend.",
	"Fantastic, another {noun} for the bin.",
	"Brilliant design, if you enjoy returning things.",
	NULL};

static const char *const closers[6][MAX_PHRASES] = {
	{NULL},
	{"Avoid!", "Never again.", "One star is too many.", "Save your money.",
	 "Returning it."},
	{"Would not buy again.", "Two stars.", "Disappointed.", "Not recommended."},
	{"Might return it.", "Three stars.", "Meh.", "It's fine, I guess."},
	{"Would recommend.", "Four stars from me.", "A solid choice.", "Happy overall."},
	{"Highly recommended!", "Would happily buy again.", "10/10, {adj5}.",
	 "Buy it, you won't regret it.", "Love it!"},
};

static const char *const titles[6][MAX_PHRASES] = {
	{NULL},
	{"Terrible", "DO NOT BUY", "Broke in two days", "Waste of money", "Awful {noun}",
	 "Horrible"},
	{"Disappointing", "Not worth it", "Expected more", "Isn't great", "Meh"},
	{"It's okay", "Average", "Mixed feelings", "Good but expensive",
	 "Not great, not terrible"},
	{"Very good", "Good {noun}", "Solid choice", "Happy with it", "Not bad at all"},
	{"Love it!", "Excellent {noun}", "Perfect", "Highly recommend", "Brilliant buy",
	 "Superb quality"},
};

static const char *const emoticons[6][MAX_PHRASES] = {
	{NULL},
	{":(", ":-(", ">:(", "\xF0\x9F\x98\xA1", "\xF0\x9F\x91\x8E"}, /* angry face, down */
	{":(", ":-(", ":/"},
	{":/", ":|", "\xF0\x9F\x98\x90"},                               /* neutral face */
	{":)", ":-)", "\xF0\x9F\x91\x8D"},                              /* thumbs up */
	{":)", ":D", "<3", "\xF0\x9F\x98\x8A", "\xF0\x9F\x91\x8D"},     /* smiling face */
};

static size_t phrase_count(const char *const *phrases)
{
	size_t n = 0;
	while (n < MAX_PHRASES && phrases[n])
		n++;
	return n;
}

static const char *pick(const char *const *phrases, struct rng *r)
{
	size_t n = phrase_count(phrases);
	assert(n > 0);
	return phrases[rng_below(r, n)];
}

int review_draw_stars(double quality, struct rng *r)
{
	double u = rng_uniform(r);
	if (u < 0.05) /* some people only ever give one or five */
		return rng_uniform(r) * 5 < quality ? 5 : 1;
	long stars = lround(quality + 1.1 * rng_normal(r));
	return stars < 1 ? 1 : stars > 5 ? 5 : (int)stars;
}

struct slots {
	const char *noun;    /* "camera" */
	const char *aspect;  /* "battery life" */
	const char *aspect2; /* another aspect of the same category */
};

static void expand(struct buf *out, const char *tmpl, const struct slots *s, struct rng *r);

/* Appends slot name (len bytes) filled, behind "a" or "an" as its first letter asks. */
static void expand_with_article(struct buf *out, const char *name, size_t len,
				const struct slots *s, struct rng *r)
{
	struct buf slot = BUF_INIT, word = BUF_INIT;
	buf_putc(&slot, '{');
	buf_append(&slot, name, len);
	buf_putc(&slot, '}');
	expand(&word, slot.data, s, r);
	buf_puts(out, word.len && strchr("aeiou", word.data[0]) ? "an " : "a ");
	buf_append(out, word.data, word.len);
	buf_free(&slot);
	buf_free(&word);
}

/* Appends a template with its slots filled; words are drawn as they are needed. */
static void expand(struct buf *out, const char *tmpl, const struct slots *s, struct rng *r)
{
	while (*tmpl) {
		const char *open = strchr(tmpl, '{');
		if (!open) {
			buf_puts(out, tmpl);
			return;
		}
		buf_append(out, tmpl, (size_t)(open - tmpl));
		const char *close = strchr(open, '}');
		assert(close);
		size_t len = (size_t)(close - open - 1);
		const char *name = open + 1;
		if (len > 3 && strncmp(name, "an_", 3) == 0) {
			expand_with_article(out, name + 3, len - 3, s, r);
			tmpl = close + 1;
			continue;
		}
		if (len == 4 && strncmp(name, "noun", 4) == 0)
			buf_puts(out, s->noun);
		else if (len == 6 && strncmp(name, "aspect", 6) == 0)
			buf_puts(out, s->aspect);
		else if (len == 7 && strncmp(name, "aspect2", 7) == 0)
			buf_puts(out, s->aspect2);
		else if (len == 5 && strncmp(name, "boost", 5) == 0)
			buf_puts(out, pick(boosters, r));
		else if (len == 4 && strncmp(name, "adj", 3) == 0 && name[3] >= '1' && name[3] <= '5')
			buf_puts(out, pick(adjectives[name[3] - '0'], r));
		else
			assert(!"unknown slot in a review template");
		tmpl = close + 1;
	}
}

static void capitalise_at(struct buf *b, size_t at)
{
	if (at < b->len && b->data[at] >= 'a' && b->data[at] <= 'z')
		b->data[at] = (char)(b->data[at] - 'a' + 'A');
}

static void shout_from(struct buf *b, size_t at)
{
	for (size_t i = at; i < b->len; i++)
		if (b->data[i] >= 'a' && b->data[i] <= 'z')
			b->data[i] = (char)(b->data[i] - 'a' + 'A');
}

/* Appends one sentence, separated from what came before by a space or, rarely, a new
 * paragraph; shout puts it in capitals. */
static void add_sentence(struct buf *body, const char *tmpl, const struct slots *s,
			 int shout, struct rng *r)
{
	if (body->len)
		buf_putc(body, rng_uniform(r) < 0.03 ? '\n' : ' ');
	size_t start = body->len;
	expand(body, tmpl, s, r);
	capitalise_at(body, start);
	if (shout)
		shout_from(body, start);
}

/* Turns the final full stop or exclamation mark into "!!!". */
static void exclaim(struct buf *body)
{
	if (body->len && (body->data[body->len - 1] == '.' || body->data[body->len - 1] == '!')) {
		body->len--;
		buf_puts(body, "!!!");
	}
}

static void choose_slots(struct slots *s, int subcategory, int category, struct rng *r)
{
	const char *const *aspects = catalog_category_aspects(category);
	size_t n = 0;
	while (aspects[n])
		n++;
	assert(n >= 2);
	size_t a = rng_below(r, n), b = (a + 1 + rng_below(r, n - 1)) % n;
	s->noun = catalog_subcategory_noun(subcategory);
	s->aspect = aspects[a];
	s->aspect2 = aspects[b];
}

void review_text_write(struct buf *title, struct buf *body, int stars, int subcategory,
		       int category, struct rng *r)
{
	assert(stars >= 1 && stars <= 5);
	struct slots s;
	choose_slots(&s, subcategory, category, r);
	int extreme = stars == 1 || stars == 5;

	size_t title_start = title->len;
	expand(title, pick(titles[stars], r), &s, r);
	capitalise_at(title, title_start);

	add_sentence(body, pick(openers[stars], r), &s, extreme && rng_uniform(r) < 0.12, r);
	const char *middle = pick(middles[stars], r);
	if (stars <= 2 && rng_uniform(r) < (stars == 1 ? 0.15 : 0.08))
		add_sentence(body, pick(sarcasm, r), &s, 0, r);
	else
		add_sentence(body, middle, &s, 0, r);
	if (rng_uniform(r) < 0.35) {
		const char *another = pick(middles[stars], r);
		if (another != middle)
			add_sentence(body, another, &s, 0, r);
	}
	if (rng_uniform(r) < 0.5)
		add_sentence(body, pick(closers[stars], r), &s, 0, r);
	if (extreme && rng_uniform(r) < 0.15)
		exclaim(body);
	if (rng_uniform(r) < 0.25) {
		buf_putc(body, ' ');
		buf_puts(body, pick(emoticons[stars], r));
	}
}
