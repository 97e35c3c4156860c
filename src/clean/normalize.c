/* normalize: single-value rewrites: text trimming, id forms, character references,
 * money rounding, event type and order status vocabularies, comma-separated option
 * lists. */
#include "clean/normalize.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"
#include "util/xalloc.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t normalize_text(const char *s, size_t len, char *out, unsigned *changed)
{
	size_t n = 0;
	int pending_space = 0;
	for (size_t i = 0; i < len; i++) {
		if (is_blank(s[i])) {
			pending_space = n > 0;
			continue;
		}
		if (pending_space)
			out[n++] = ' ';
		pending_space = 0;
		out[n++] = s[i];
	}
	if (n != len || (n && memcmp(s, out, n) != 0))
		*changed |= NORMALIZE_TRIMMED;
	return n;
}

/* Length of a whole number written as a float ("17850.0") without its fraction, or 0
 * when s is not one. */
static size_t float_id_length(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t digits_from = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == digits_from || i + 1 >= len || s[i] != '.')
		return 0;
	size_t point = i++;
	for (; i < len; i++)
		if (s[i] != '0')
			return 0;
	return point;
}

size_t normalize_id(const char *s, size_t len, int fold_case, char *out, unsigned *changed)
{
	size_t n = normalize_text(s, len, out, changed);
	size_t whole = float_id_length(out, n);
	if (whole) {
		n = whole;
		*changed |= NORMALIZE_FLOAT_ID;
	}
	if (fold_case)
		for (size_t i = 0; i < n; i++)
			if (out[i] >= 'a' && out[i] <= 'z') {
				out[i] = (char)(out[i] - 'a' + 'A');
				*changed |= NORMALIZE_CASE;
			}
	return n;
}

/* The code point of the numeric reference "&#...;" at s (len bytes from '&'), and its
 * length in *ref_len; 0 when s holds none. */
static uint32_t numeric_reference(const char *s, size_t len, size_t *ref_len)
{
	size_t i = 2;
	int hex = i < len && (s[i] == 'x' || s[i] == 'X');
	i += (size_t)hex;
	uint32_t cp = 0;
	size_t digits = 0;
	for (; i < len && digits < 8; i++, digits++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0'
			: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			break;
		cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
	}
	if (!digits || i >= len || s[i] != ';' || cp == 0 || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*ref_len = i + 1;
	return cp;
}

/* The named references exports use, with the code points they stand for. */
static const struct {
	const char *name; /* with the '&' and the ';' */
	uint32_t cp;
} named_references[] = {
	{"&quot;", '"'}, {"&amp;", '&'}, {"&apos;", '\''},
	{"&lt;", '<'},   {"&gt;", '>'},  {"&nbsp;", 0xA0},
};

static uint32_t named_reference(const char *s, size_t len, size_t *ref_len)
{
	for (size_t k = 0; k < sizeof named_references / sizeof named_references[0]; k++) {
		size_t n = strlen(named_references[k].name);
		if (n <= len && memcmp(s, named_references[k].name, n) == 0) {
			*ref_len = n;
			return named_references[k].cp;
		}
	}
	return 0;
}

size_t decode_character_references(char *text, size_t len, unsigned *changed)
{
	size_t in = 0, out = 0;
	while (in < len) {
		size_t ref_len = 0;
		uint32_t cp = 0;
		if (text[in] == '&')
			cp = in + 1 < len && text[in + 1] == '#'
				     ? numeric_reference(text + in, len - in, &ref_len)
				     : named_reference(text + in, len - in, &ref_len);
		if (!cp) {
			text[out++] = text[in++];
			continue;
		}
		/* the shortest reference, "&#N;", is 4 bytes for 1; each longer code
		 * point needs more digits than bytes: out never passes in */
		out += utf8_encode(cp, text + out);
		in += ref_len;
		*changed |= NORMALIZE_REFERENCES;
	}
	return out;
}

int64_t div_round(int64_t num, int64_t den)
{
	if (den < 0) {
		num = -num;
		den = -den;
	}
	int64_t q = num / den, r = num % den;
	if (r < 0)
		r = -r;
	if (r >= den - r) /* twice the remainder reaches the divisor: round away from 0 */
		q += num < 0 ? -1 : 1;
	return q;
}

int mul_div_round(int64_t a, int64_t b, int64_t den, int64_t *out)
{
	__extension__ typedef __int128 wide;
	if (den == 0)
		return -1;
	wide num = (wide)a * b, d = den;
	if (d < 0) {
		num = -num;
		d = -d;
	}
	wide q = num / d, r = num % d;
	if (r < 0)
		r = -r;
	if (r >= d - r)
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

int64_t micros_to_cents(int64_t micros)
{
	return div_round(micros, 10000);
}

/* Folds s to lower-case letters and digits only ("Add-To-Cart" -> "addtocart"). */
static void fold_word(const char *s, size_t len, char *out, size_t out_size)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < out_size; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = '\0';
}

const char *event_type_canonical(const char *s, size_t len)
{
	static const struct {
		const char *spelling, *type;
	} spellings[] = {
		{"view", "view"},           {"pageview", "view"},       {"productview", "view"},
		{"viewitem", "view"},       {"viewproduct", "view"},    {"itemview", "view"},
		{"detail", "view"},         {"productdetail", "view"},  {"cart", "cart"},
		{"addtocart", "cart"},      {"addtobasket", "cart"},    {"basket", "cart"},
		{"add", "cart"},            {"cartadd", "cart"},        {"checkout", "checkout"},
		{"begincheckout", "checkout"}, {"initiatecheckout", "checkout"},
		{"startcheckout", "checkout"}, {"purchase", "purchase"}, {"transaction", "purchase"},
		{"order", "purchase"},      {"buy", "purchase"},        {"sale", "purchase"},
		{"purchased", "purchase"},  {"completepurchase", "purchase"},
	};
	char folded[40];
	if (len >= sizeof folded * 2)
		return NULL;
	fold_word(s, len, folded, sizeof folded);
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
		if (strcmp(folded, spellings[i].spelling) == 0)
			return spellings[i].type;
	return NULL;
}

enum order_status order_status_from_text(const char *s, size_t len)
{
	char folded[40];
	if (len >= sizeof folded * 2)
		return STATUS_COMPLETED;
	fold_word(s, len, folded, sizeof folded);
	if (strstr(folded, "cancel") || strcmp(folded, "void") == 0 ||
	    strcmp(folded, "voided") == 0)
		return STATUS_CANCELLED;
	if (strstr(folded, "return") || strstr(folded, "refund"))
		return STATUS_RETURNED;
	return STATUS_COMPLETED;
}

const char *order_status_name(enum order_status status)
{
	switch (status) {
	case STATUS_CANCELLED: return "cancelled";
	case STATUS_RETURNED: return "returned";
	case STATUS_COMPLETED: break;
	}
	return "completed";
}

void word_list_parse(struct word_list *list, const char *text)
{
	list->words = NULL;
	list->count = 0;
	while (text && *text) {
		const char *end = strchr(text, ',');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		char *word = xmalloc(len + 1);
		unsigned ignored = 0;
		size_t n = normalize_text(text, len, word, &ignored);
		word[n] = '\0';
		if (n) {
			list->words = xreallocarray(list->words, (size_t)list->count + 1,
						    sizeof *list->words);
			list->words[list->count++] = word;
		} else
			free(word);
		text = end ? end + 1 : text + len;
	}
}

void word_list_free(struct word_list *list)
{
	for (int i = 0; i < list->count; i++)
		free(list->words[i]);
	free(list->words);
	list->words = NULL;
	list->count = 0;
}

int word_list_has(const struct word_list *list, const char *s, size_t len)
{
	for (int i = 0; i < list->count; i++)
		if (strlen(list->words[i]) == len && strncasecmp(list->words[i], s, len) == 0)
			return 1;
	return 0;
}

size_t word_list_prefix_of_number(const struct word_list *list, const char *s, size_t len)
{
	for (int i = 0; i < list->count; i++) {
		size_t n = strlen(list->words[i]);
		if (n < len && strncasecmp(list->words[i], s, n) == 0 && s[n] >= '0' && s[n] <= '9')
			return n;
	}
	return 0;
}
