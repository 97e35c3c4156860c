/* shop_fields: every input the shop accepts, declared once in one table with its validator,
 * in the manner of kcgi. The router validates the query string, the form body and the
 * path's id against this table before any handler runs; a handler only sees values that
 * passed, and a value that did not pass carries a message a shopper can read.
 *
 * The one idea: untrusted text is checked where it enters. Every accepted value is
 * valid UTF-8 without control characters (multi-line fields allow line breaks, stored
 * as "\n"), within its length limit, and of its kind (a number in range, an email, a
 * hex token, one of a list). */
#ifndef CARTOGRAPH_SHOP_FIELDS_H
#define CARTOGRAPH_SHOP_FIELDS_H

#include <stddef.h>

#include "util/buf.h"
#include "web/cgi.h"

enum shop_field {
	FIELD_CSRF,        /* csrf: the session's anti-forgery token */
	FIELD_PRODUCT,     /* product_id: a catalog product id */
	FIELD_QUANTITY,    /* quantity: 1..99 (0 allowed on update: removes the line) */
	FIELD_NAME,        /* name: the shopper's name */
	FIELD_EMAIL,       /* email */
	FIELD_ADDRESS,     /* address: several lines */
	FIELD_PAYMENT,     /* payment_method: card, paypal or invoice */
	FIELD_IDEMPOTENCY, /* idempotency_key: one per checkout form */
	FIELD_RATING,      /* rating: 1..5 */
	FIELD_REVIEW,      /* review: the review text */
	FIELD_COUNT,       /* n: how many recommendations (1..50) */
	FIELD_ORDER,       /* the order number in /order/<number> */
	FIELD_CUSTOMER,    /* the customer id in /recs/customer/<id> */
	FIELD__COUNT
};

/* A field as the handler sees it. */
struct field_value {
	int present;        /* the request carried it (even if empty) */
	int valid;          /* it passed its validator */
	char *text;         /* the cleaned value (owned), NUL-terminated; kept even when
	                       invalid so a form can show it again */
	size_t len;         /* bytes in text */
	long long number;   /* the value of a numeric field */
	const char *problem; /* why it did not pass (static text), or NULL */
};

/* One row of the field table. */
struct field_rule {
	const char *name;  /* the form or query name, e.g. "email" */
	const char *label; /* what messages call it, e.g. "Email" */
	/* Checks (and may clean) v->text; returns NULL or a message. */
	const char *(*validate)(struct field_value *v, const struct field_rule *rule);
	size_t max_len;    /* longest accepted text, in bytes */
	long long min;     /* smallest number (numeric fields) */
	long long max;     /* largest number (numeric fields) */
};

extern const struct field_rule field_rules[FIELD__COUNT];

/* The validated fields of one request. */
struct field_set {
	struct field_value v[FIELD__COUNT]; /* indexed by enum shop_field */
};

/* Validates every known field found in params (unknown names are ignored; a known
 * name given twice is invalid). */
void fields_validate(struct field_set *set, const struct cgi_params *params);
/* Validates one value for field f (used for the id in a path). */
void fields_validate_one(struct field_set *set, enum shop_field f, const char *text, size_t len);
void fields_free(struct field_set *set);

/* The value of f when present and valid, else NULL. */
const char *field_text(const struct field_set *set, enum shop_field f);

/* Validators, public for the unit tests. */
const char *valid_line(struct field_value *v, const struct field_rule *rule);
const char *valid_text(struct field_value *v, const struct field_rule *rule);
const char *valid_number(struct field_value *v, const struct field_rule *rule);
const char *valid_email(struct field_value *v, const struct field_rule *rule);
const char *valid_token(struct field_value *v, const struct field_rule *rule);
const char *valid_id(struct field_value *v, const struct field_rule *rule);
const char *valid_payment(struct field_value *v, const struct field_rule *rule);
const char *valid_order_number(struct field_value *v, const struct field_rule *rule);

/* The payment methods a shopper may choose. */
struct payment_method {
	const char *code;  /* the form value, stored in orders.payment_method */
	const char *label; /* what the shopper reads */
};
extern const struct payment_method payment_methods[];
extern const int payment_method_count;
/* The label of a payment method code ("Card" for "card"); the code itself if unknown. */
const char *payment_label(const char *code);

/* Whether s is 32 lowercase hex digits (a session id or token). */
int is_token(const char *s, size_t len);

#endif
