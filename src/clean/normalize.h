/* normalize: the small, pure rewrites clean applies to single values: trimming names,
 * reading ids written as floats, folding product codes, rounding money to cents,
 * naming event types and order statuses in one vocabulary. No database, no state, so
 * each is tested on its own. */
#ifndef CARTOGRAPH_NORMALIZE_H
#define CARTOGRAPH_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* What normalising a value changed (a mask), so the data-quality log can count it. */
enum normalize_change {
	NORMALIZE_TRIMMED = 1 << 0,    /* blanks around it, or runs of blanks inside */
	NORMALIZE_FLOAT_ID = 1 << 1,   /* an id written as a float: "17850.0" */
	NORMALIZE_CASE = 1 << 2,       /* lower-case letters in a product code */
	NORMALIZE_REFERENCES = 1 << 3, /* HTML character references: "&#34;" */
};

/* Writes s without blanks at either end and with each inner run of blanks (space, tab,
 * CR, LF) as one space. out must hold len bytes; returns the new length and ORs
 * NORMALIZE_TRIMMED into *changed when something changed. */
size_t normalize_text(const char *s, size_t len, char *out, unsigned *changed);

/* normalize_text, then an id that is a whole number written as a float ("17850.0",
 * "17850.00") loses its zero fraction, and with fold_case lower-case ASCII letters
 * become upper case ("85123a" -> "85123A"). */
size_t normalize_id(const char *s, size_t len, int fold_case, char *out, unsigned *changed);

/* Decodes in place the HTML character references some exports leave in texts (the
 * Amazon Alexa reviews write a quote as "&#34;"): &#N; and &#xH; of a Unicode scalar
 * value other than NUL, and &quot; &amp; &apos; &lt; &gt; &nbsp;, as UTF-8. Anything
 * else that starts with '&' stays as it is. Returns the new length (never more than
 * len) and ORs NORMALIZE_REFERENCES into *changed when something was decoded. */
size_t decode_character_references(char *text, size_t len, unsigned *changed);

/* num / den rounded half away from zero; den must not be 0. */
int64_t div_round(int64_t num, int64_t den);
/* a * b / den rounded half away from zero, without overflow in the product. Returns 0
 * and sets *out, or -1 when the result does not fit in 64 bits or den is 0. */
int mul_div_round(int64_t a, int64_t b, int64_t den, int64_t *out);
/* Millionths of a unit (as the parsers give them) to cents, half away from zero. */
int64_t micros_to_cents(int64_t micros);

/* The four event types: view, cart, checkout, purchase. Returns the canonical name of
 * an export's spelling ("page_view", "add_to_cart", "AddToCart", "transaction"...), or
 * NULL when the type is none of them. */
const char *event_type_canonical(const char *s, size_t len);

/* An order status as the orders table knows it. */
enum order_status {
	STATUS_COMPLETED = 0,
	STATUS_CANCELLED = 1,
	STATUS_RETURNED = 2,
};
/* Reads an export's status text: "Cancelled", "canceled", "void" -> cancelled;
 * "Returned", "refunded" -> returned; anything else (shipped, complete...) ->
 * completed. */
enum order_status order_status_from_text(const char *s, size_t len);
const char *order_status_name(enum order_status status);

/* A comma-separated list of words, compared without regard to ASCII case. */
struct word_list {
	char **words;  /* each trimmed, non-empty */
	int count;
};
/* Splits text on commas; empty items are skipped. */
void word_list_parse(struct word_list *list, const char *text);
void word_list_free(struct word_list *list);
/* True when s[0..len) equals one of the words (ASCII case-insensitive). */
int word_list_has(const struct word_list *list, const char *s, size_t len);
/* Returns the length of the word s starts with followed by a digit (the "C" of
 * "C581484"), or 0 when it starts with none of them so. */
size_t word_list_prefix_of_number(const struct word_list *list, const char *s, size_t len);

#endif
