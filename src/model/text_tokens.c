/* text_tokens: the review tokenizer shared by the sentiment scorers. A review is walked
 * once, character by character: white space ends a word, an emoji is a token of its own,
 * and each run of other characters is trimmed of edge punctuation (see text_tokens.h). */
#include "model/text_tokens.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* Stands for a byte that does not start valid UTF-8; above every code point. */
#define NOT_UTF8 0x110000u

enum char_kind {
	CHAR_SPACE,  /* separates words */
	CHAR_JOINER, /* emoji modifiers and joiners: separate words, dropped */
	CHAR_EMOJI,  /* a pictograph: a token by itself */
	CHAR_PUNCT,  /* trimmed from the edges of a word */
	CHAR_WORD    /* letters, digits, anything else (invalid bytes too) */
};

/* Reads the character at s (avail > 0 bytes) into *cp and returns its length in bytes;
 * a byte that does not start a valid UTF-8 sequence is one character, NOT_UTF8. */
static size_t next_char(const unsigned char *s, size_t avail, uint32_t *cp)
{
	assert(avail > 0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (utf8_invalid_at((const char *)s, avail < 4 ? avail : 4) == 0) {
		*cp = NOT_UTF8;
		return 1;
	}
	size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	uint32_t c = s[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3Fu);
	*cp = c;
	return n;
}

static int is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680
	       || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F
	       || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static int is_joiner(uint32_t c)
{
	return c == 0x200D || c == 0xFE0E || c == 0xFE0F || c == 0x20E3
	       || (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
}

static int is_emoji(uint32_t c)
{
	return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF)
	       || (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x2300 && c <= 0x23FF);
}

static int is_punct(uint32_t c)
{
	if (c < 0x80)
		return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`')
		       || (c >= '{' && c <= '~');
	return c == 0xA1 || c == 0xAB || c == 0xBB || c == 0xBF || c == 0x2013 || c == 0x2014
	       || c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D || c == 0x2026;
}

static enum char_kind kind_of(uint32_t c)
{
	if (is_space(c))
		return CHAR_SPACE;
	if (is_joiner(c))
		return CHAR_JOINER;
	if (is_emoji(c))
		return CHAR_EMOJI;
	if (is_punct(c))
		return CHAR_PUNCT;
	return CHAR_WORD;
}

/* Marks that end a sentence or clause; written between two words without a space
 * ("great.love", "good,but") they separate them. */
static int is_clause_mark(uint32_t c)
{
	return c == '.' || c == ',' || c == ';' || c == '!' || c == '?' || c == 0x2026;
}

static int is_ascii_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Appends one token: its bytes lowercased, typographic apostrophes made plain. */
static void add_token(struct text_tokens *tokens, const unsigned char *s, size_t len,
		      int is_emoji_token)
{
	if (tokens->count == tokens->cap) {
		tokens->cap = tokens->cap ? 2 * tokens->cap : 64;
		tokens->items = xreallocarray(tokens->items, tokens->cap, sizeof *tokens->items);
	}
	struct text_token *t = &tokens->items[tokens->count++];
	t->offset = tokens->chars.len;
	int has_upper = 0, has_lower = 0;
	buf_grow(&tokens->chars, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		int curly_apostrophe = c == 0xE2 && i + 2 < len && s[i + 1] == 0x80
				       && (s[i + 2] == 0x98 || s[i + 2] == 0x99);
		if (curly_apostrophe) {
			buf_putc(&tokens->chars, '\'');
			i += 2;
			continue;
		}
		if (c >= 'A' && c <= 'Z') {
			has_upper = 1;
			c = (unsigned char)(c - 'A' + 'a');
		} else if (c >= 'a' && c <= 'z') {
			has_lower = 1;
		}
		buf_putc(&tokens->chars, (char)c);
	}
	t->len = tokens->chars.len - t->offset;
	buf_putc(&tokens->chars, '\0');
	t->all_caps = (unsigned char)(has_upper && !has_lower);
	t->is_emoji = (unsigned char)(is_emoji_token != 0);
}

/* Adds one word as written between separators: edge punctuation is trimmed when at
 * least two characters are left; otherwise a word with leading punctuation or made only
 * of punctuation is an emoticon and kept whole (":)", ":D", "<3"), and the rest (a
 * single letter or digit such as "I" or "a,") is dropped. */
static void add_word(struct text_tokens *tokens, const unsigned char *s, size_t len)
{
	size_t chars = 0, core_first = 0, core_last = 0; /* core_* count characters */
	size_t core_start = 0, core_end = 0;              /* byte offsets of the core */
	int has_core = 0;
	for (size_t pos = 0; pos < len;) {
		uint32_t c;
		size_t n = next_char(s + pos, len - pos, &c);
		if (!is_punct(c)) {
			if (!has_core) {
				has_core = 1;
				core_first = chars;
				core_start = pos;
			}
			core_last = chars;
			core_end = pos + n;
		}
		chars++;
		pos += n;
	}
	if (!has_core) {
		if (chars >= 2)
			add_token(tokens, s, len, 0);
		return;
	}
	size_t core_chars = core_last - core_first + 1;
	if (core_chars >= 2)
		add_token(tokens, s + core_start, core_end - core_start, 0);
	else if (core_start > 0)
		add_token(tokens, s, len, 0);
}

/* Adds the words of a run of non-space characters, splitting it where a clause mark
 * stands between two letters. */
static void add_run(struct text_tokens *tokens, const unsigned char *s, size_t len)
{
	size_t piece = 0, pos = 0;
	while (pos < len) {
		uint32_t c;
		size_t n = next_char(s + pos, len - pos, &c);
		if (!is_clause_mark(c) || pos == piece || !is_ascii_letter(s[pos - 1])) {
			pos += n;
			continue;
		}
		size_t after = pos + n;
		while (after < len) {
			size_t m = next_char(s + after, len - after, &c);
			if (!is_clause_mark(c))
				break;
			after += m;
		}
		if (after < len && is_ascii_letter(s[after])) {
			add_word(tokens, s + piece, pos - piece);
			piece = after;
		}
		pos = after;
	}
	add_word(tokens, s + piece, len - piece);
}

void text_tokens_split(struct text_tokens *tokens, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	tokens->count = 0;
	buf_reset(&tokens->chars);
	size_t pos = 0;
	while (pos < len) {
		uint32_t c;
		size_t n = next_char(s + pos, len - pos, &c);
		enum char_kind kind = kind_of(c);
		if (kind == CHAR_SPACE || kind == CHAR_JOINER) {
			pos += n;
			continue;
		}
		if (kind == CHAR_EMOJI) {
			add_token(tokens, s + pos, n, 1);
			pos += n;
			continue;
		}
		size_t start = pos;
		while (pos < len) {
			n = next_char(s + pos, len - pos, &c);
			kind = kind_of(c);
			if (kind == CHAR_SPACE || kind == CHAR_JOINER || kind == CHAR_EMOJI)
				break;
			pos += n;
		}
		add_run(tokens, s + start, pos - start);
	}
}

const char *text_token_text(const struct text_tokens *tokens, size_t i)
{
	assert(i < tokens->count);
	return tokens->chars.data + tokens->items[i].offset;
}

void text_tokens_free(struct text_tokens *tokens)
{
	free(tokens->items);
	buf_free(&tokens->chars);
	tokens->items = NULL;
	tokens->count = tokens->cap = 0;
}

uint64_t text_hash_update(uint64_t state, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		state ^= p[i];
		state *= 0x100000001b3ULL;
	}
	return state;
}

uint64_t text_hash_finish(uint64_t state)
{
	state ^= state >> 33;
	state *= 0xff51afd7ed558ccdULL;
	state ^= state >> 33;
	state *= 0xc4ceb9fe1a85ec53ULL;
	state ^= state >> 33;
	return state;
}
