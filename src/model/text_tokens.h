/* text_tokens: splits the text of a customer review into word tokens, the input of both
 * sentiment scorers (the lexicon rules of sentiment.c and the learned text_classifier.c).
 *
 * The one idea: words are separated by white space, as written, and keep what carries
 * feeling. Punctuation at the edges of a word is dropped ("good!!!" gives "good"), but a
 * token made only of punctuation is kept whole, because it is an emoticon (":)", ":-(",
 * "<3"). Emoji are split off into tokens of their own ("love it😍" gives "love", "it",
 * "😍"). Words run together by a full stop or comma without a space ("great.love") are
 * split. One-character words ("I", "a") are dropped, as they carry no sentiment.
 *
 * Token text is lowercased (ASCII letters) and the typographic apostrophe is written as
 * "'" so "isn’t" reads "isn't"; whether the word was written in capitals is kept in a
 * flag. Bytes that are not valid UTF-8 are kept inside words as opaque characters: any
 * input is split without error. */
#ifndef CARTOGRAPH_TEXT_TOKENS_H
#define CARTOGRAPH_TEXT_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct text_token {
	size_t offset;          /* where the token's text starts in text_tokens.chars */
	size_t len;             /* bytes of the token's text, not counting its NUL */
	unsigned char all_caps; /* 1 when written in capitals: has letters, none lowercase */
	unsigned char is_emoji; /* 1 when the token is one emoji (pictograph) */
};

struct text_tokens {
	struct text_token *items; /* the tokens in text order */
	size_t count;             /* tokens in items */
	size_t cap;               /* tokens allocated in items */
	struct buf chars;         /* every token's lowercased text, each followed by a NUL */
};

#define TEXT_TOKENS_INIT {NULL, 0, 0, BUF_INIT}

/* Splits text (len bytes, need not be NUL-terminated) into tokens, replacing whatever
 * tokens held before; the memory is kept for reuse across reviews. */
void text_tokens_split(struct text_tokens *tokens, const char *text, size_t len);
/* Returns token i's lowercased text, NUL-terminated. */
const char *text_token_text(const struct text_tokens *tokens, size_t i);
void text_tokens_free(struct text_tokens *tokens);

/* The hash of token text used by the lexicon table and the classifier's feature hashing:
 * FNV-1a over the bytes, so it is the same on every machine, with a final mix of the bits
 * so that any slice of them is evenly spread. Start from TEXT_HASH_START, feed one or
 * more pieces, then finish. */
#define TEXT_HASH_START 0xcbf29ce484222325ULL
uint64_t text_hash_update(uint64_t state, const void *data, size_t len);
uint64_t text_hash_finish(uint64_t state);

#endif
