/* excerpt: cuts a text at the last word's end that fits, never inside a character. */
#include "util/excerpt.h"

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Punctuation that reads badly before an ellipsis ("word,…"). */
static int is_trailing_mark(unsigned char c)
{
	return c == ',' || c == ';' || c == ':' || c == '-' || c == '(' || c == '"' ||
	       c == '\'' || c == '.';
}

/* The largest n ≤ max at which a UTF-8 character of text begins (or ends the text). */
static size_t character_end(const char *text, size_t max)
{
	while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
		max--;
	return max;
}

void excerpt_append(const char *text, size_t len, size_t max, struct buf *out)
{
	if (len <= max) {
		buf_append(out, text, len);
		return;
	}
	size_t cut = max;
	while (cut > 0 && !is_space((unsigned char)text[cut]))
		cut--; /* text[cut] is the space after the last whole word, if any */
	if (cut == 0)
		cut = character_end(text, max);
	while (cut > 0 && (is_space((unsigned char)text[cut - 1]) ||
			   is_trailing_mark((unsigned char)text[cut - 1])))
		cut--;
	buf_append(out, text, cut);
	buf_puts(out, "\xe2\x80\xa6");
}
