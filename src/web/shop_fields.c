/* shop_fields: the field table of shop.cgi and its validators. */
#include "web/shop_fields.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* For text fields min is the fewest bytes accepted (after trimming). */
const struct field_rule field_rules[FIELD__COUNT] = {
	[FIELD_CSRF] = {"csrf", "Security token", valid_token, 32, 0, 0},
	[FIELD_PRODUCT] = {"product_id", "Product", valid_id, 64, 0, 0},
	[FIELD_QUANTITY] = {"quantity", "Quantity", valid_number, 2, 0, 99},
	[FIELD_NAME] = {"name", "Name", valid_line, 200, 1, 0},
	[FIELD_EMAIL] = {"email", "Email", valid_email, 254, 0, 0},
	[FIELD_ADDRESS] = {"address", "Address", valid_text, 1000, 5, 0},
	[FIELD_PAYMENT] = {"payment_method", "Payment method", valid_payment, 16, 0, 0},
	[FIELD_IDEMPOTENCY] = {"idempotency_key", "Form key", valid_token, 32, 0, 0},
	[FIELD_RATING] = {"rating", "Rating", valid_number, 1, 1, 5},
	[FIELD_REVIEW] = {"review", "Review", valid_text, 2000, 0, 0},
	[FIELD_COUNT] = {"n", "Count", valid_number, 2, 1, 50},
	[FIELD_ORDER] = {"order", "Order number", valid_order_number, 13, 0, 0},
	[FIELD_CUSTOMER] = {"customer_id", "Customer", valid_id, 64, 0, 0},
};

/* Whether text holds a C0 control character (or DEL); line breaks and tabs count
 * unless allow_breaks. */
static int has_control(const char *s, size_t len, int allow_breaks)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (allow_breaks && (c == '\n' || c == '\t'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}

/* Removes spaces, tabs and line breaks from both ends of v->text. */
static void trim(struct field_value *v)
{
	size_t start = 0, end = v->len;
	while (start < end && strchr(" \t\r\n", v->text[start]) && v->text[start])
		start++;
	while (end > start && strchr(" \t\r\n", v->text[end - 1]) && v->text[end - 1])
		end--;
	memmove(v->text, v->text + start, end - start);
	v->len = end - start;
	v->text[v->len] = '\0';
}

/* Checks the things every text shares: UTF-8, length. */
static const char *common_checks(struct field_value *v, const struct field_rule *rule)
{
	if (utf8_invalid_at(v->text, v->len) != v->len)
		return "is not valid text (UTF-8)";
	if (v->len > rule->max_len)
		return "is too long";
	if (v->len < (size_t)rule->min)
		return v->len == 0 ? "is required" : "is too short";
	return NULL;
}

const char *valid_line(struct field_value *v, const struct field_rule *rule)
{
	if (has_control(v->text, v->len, 0))
		return "must be one line without control characters";
	trim(v);
	return common_checks(v, rule);
}

const char *valid_text(struct field_value *v, const struct field_rule *rule)
{
	/* CRLF and lone CR become LF. */
	size_t out = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->text[i] == '\r') {
			v->text[out++] = '\n';
			if (i + 1 < v->len && v->text[i + 1] == '\n')
				i++;
		} else {
			v->text[out++] = v->text[i];
		}
	}
	v->len = out;
	v->text[out] = '\0';
	if (has_control(v->text, v->len, 1))
		return "must not hold control characters";
	trim(v);
	return common_checks(v, rule);
}

const char *valid_number(struct field_value *v, const struct field_rule *rule)
{
	trim(v);
	if (v->len == 0)
		return "is required";
	if (v->len > rule->max_len)
		return "is out of range";
	long long n = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->text[i] < '0' || v->text[i] > '9')
			return "must be a whole number";
		n = n * 10 + (v->text[i] - '0');
	}
	if (n < rule->min || n > rule->max)
		return "is out of range";
	v->number = n;
	return NULL;
}

const char *valid_email(struct field_value *v, const struct field_rule *rule)
{
	const char *problem = valid_line(v, rule);
	if (problem)
		return problem;
	if (v->len == 0)
		return "is required";
	const char *at = strchr(v->text, '@');
	if (!at || at == v->text || strchr(at + 1, '@'))
		return "must look like name@example.com";
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0' || strchr(v->text, ' ') ||
	    strstr(at, ".."))
		return "must look like name@example.com";
	for (const char *p = v->text; *p; p++)
		if (strchr("<>()[]\\,;:\"", *p))
			return "must look like name@example.com";
	return NULL;
}

int is_token(const char *s, size_t len)
{
	if (len != 32)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

const char *valid_token(struct field_value *v, const struct field_rule *rule)
{
	(void)rule;
	return is_token(v->text, v->len) ? NULL : "is missing or malformed";
}

const char *valid_id(struct field_value *v, const struct field_rule *rule)
{
	if (v->len == 0)
		return "is required";
	if (v->len > rule->max_len)
		return "is too long";
	for (size_t i = 0; i < v->len; i++) {
		char c = v->text[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '-' || c == '_' || c == '.'))
			return "is not a valid id";
	}
	if (strcmp(v->text, ".") == 0 || strcmp(v->text, "..") == 0)
		return "is not a valid id";
	return NULL;
}

const struct payment_method payment_methods[] = {
	{"card", "Card"},
	{"paypal", "PayPal"},
	{"invoice", "Invoice (pay within 14 days)"},
};
const int payment_method_count = sizeof payment_methods / sizeof *payment_methods;

const char *payment_label(const char *code)
{
	for (int i = 0; i < payment_method_count; i++)
		if (strcmp(code, payment_methods[i].code) == 0)
			return payment_methods[i].label;
	return code;
}

const char *valid_payment(struct field_value *v, const struct field_rule *rule)
{
	(void)rule;
	if (v->len == 0)
		return "is required: choose one";
	for (int i = 0; i < payment_method_count; i++)
		if (strcmp(v->text, payment_methods[i].code) == 0)
			return NULL;
	return "is not one we accept";
}

const char *valid_order_number(struct field_value *v, const struct field_rule *rule)
{
	if (v->len < 2 || v->len > rule->max_len || v->text[0] != 'W')
		return "is not an order number";
	for (size_t i = 1; i < v->len; i++)
		if (v->text[i] < '0' || v->text[i] > '9')
			return "is not an order number";
	return NULL;
}

void fields_validate_one(struct field_set *set, enum shop_field f, const char *text, size_t len)
{
	struct field_value *v = &set->v[f];
	const struct field_rule *rule = &field_rules[f];
	free(v->text);
	memset(v, 0, sizeof *v);
	v->present = 1;
	/* Anything far over the limit is cut before cleaning, so a form can show it again
	 * without carrying megabytes around. */
	size_t keep = len > rule->max_len * 4 + 16 ? rule->max_len * 4 + 16 : len;
	v->text = xstrndup(text, keep);
	v->len = strlen(v->text); /* stops at an embedded NUL */
	if (v->len != len)
		v->problem = v->len < keep ? "must not hold control characters" : "is too long";
	else
		v->problem = rule->validate(v, rule);
	v->valid = v->problem == NULL;
	/* A value that failed must still be safe to show in a form: keep valid UTF-8 only. */
	if (!v->valid) {
		v->len = utf8_invalid_at(v->text, v->len);
		v->text[v->len] = '\0';
	}
}

void fields_validate(struct field_set *set, const struct cgi_params *params)
{
	for (int f = 0; f < FIELD__COUNT; f++) {
		const struct cgi_param *p = cgi_params_find(params, field_rules[f].name);
		if (!p)
			continue;
		fields_validate_one(set, (enum shop_field)f, p->value, p->value_len);
		if (cgi_params_count(params, field_rules[f].name) > 1) {
			set->v[f].valid = 0;
			set->v[f].problem = "was given more than once";
		}
	}
}

void fields_free(struct field_set *set)
{
	for (int f = 0; f < FIELD__COUNT; f++)
		free(set->v[f].text);
	memset(set, 0, sizeof *set);
}

const char *field_text(const struct field_set *set, enum shop_field f)
{
	return set->v[f].present && set->v[f].valid ? set->v[f].text : NULL;
}
