/* Unit tests of shop.cgi's field table: what each validator accepts, cleans and refuses,
 * and that refused values are still safe to show again; plus the random tokens. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/rng.h"
#include "util/utf8.h"
#include "web/csrf.h"
#include "web/shop_fields.h"

/* Validates text as field f; returns the field's state (owned by set). */
static const struct field_value *check_field(struct field_set *set, enum shop_field f, const char *text,
					     size_t len)
{
	fields_validate_one(set, f, text, len);
	return &set->v[f];
}

static int accepts(enum shop_field f, const char *text)
{
	struct field_set set = {0};
	int ok = check_field(&set, f, text, strlen(text))->valid;
	fields_free(&set);
	return ok;
}

static void test_names_are_trimmed_and_kept_as_typed(void)
{
	struct field_set set = {0};
	const struct field_value *v = check_field(&set, FIELD_NAME, "  Zoë O'Brien  ", 16);
	CHECK(v->valid);
	CHECK_STR(v->text, "Zoë O'Brien");
	fields_free(&set);
}

static void test_names_refuse_line_breaks_and_control_characters(void)
{
	CHECK(!accepts(FIELD_NAME, "Eve\r\nX-Injected: 1"));
	CHECK(!accepts(FIELD_NAME, "Eve\n"));
	CHECK(!accepts(FIELD_NAME, "a\x01" "b"));
	CHECK(!accepts(FIELD_NAME, "a\x7f"));
	CHECK(!accepts(FIELD_NAME, ""));
	CHECK(!accepts(FIELD_NAME, "   "));
}

static void test_a_nul_byte_is_refused_and_cut_from_what_is_shown(void)
{
	struct field_set set = {0};
	const struct field_value *v = check_field(&set, FIELD_NAME, "ab\0cd", 5);
	CHECK(!v->valid);
	CHECK_STR(v->text, "ab");
	fields_free(&set);
}

static void test_invalid_utf8_is_refused_and_never_shown_again(void)
{
	struct field_set set = {0};
	const struct field_value *v = check_field(&set, FIELD_NAME, "ok\xc3\x28zz", 6);
	CHECK(!v->valid);
	CHECK_STR(v->problem, "is not valid text (UTF-8)");
	CHECK_INT(utf8_invalid_at(v->text, v->len), v->len);
	CHECK(!accepts(FIELD_REVIEW, "\xed\xa0\x80"));  /* a surrogate */
	CHECK(!accepts(FIELD_REVIEW, "\xc0\xaf"));      /* an overlong '/' */
	CHECK(!accepts(FIELD_ADDRESS, "1 Road \xff\xfe"));
	fields_free(&set);
}

static void test_text_fields_keep_line_breaks_as_newlines(void)
{
	struct field_set set = {0};
	const struct field_value *v = check_field(&set, FIELD_ADDRESS, "1 Long Road\r\nTown\rShire\n", 24);
	CHECK(v->valid);
	CHECK_STR(v->text, "1 Long Road\nTown\nShire");
	CHECK(!accepts(FIELD_ADDRESS, "1 Road\x1b[31m"));
	fields_free(&set);
}

static void test_lengths_are_limited_per_field(void)
{
	char long_text[2100];
	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	CHECK(!accepts(FIELD_REVIEW, long_text));
	long_text[2000] = '\0';
	CHECK(accepts(FIELD_REVIEW, long_text));
	long_text[201] = '\0';
	CHECK(!accepts(FIELD_NAME, long_text));
	long_text[200] = '\0';
	CHECK(accepts(FIELD_NAME, long_text));
	CHECK(!accepts(FIELD_ADDRESS, "abc"));
	CHECK(accepts(FIELD_REVIEW, ""));
}

static void test_a_huge_value_is_cut_before_it_is_kept(void)
{
	size_t n = 60000;
	char *huge = malloc(n);
	memset(huge, 'x', n);
	struct field_set set = {0};
	const struct field_value *v = check_field(&set, FIELD_NAME, huge, n);
	CHECK(!v->valid);
	CHECK(v->len <= 200 * 4 + 16);
	fields_free(&set);
	free(huge);
}

static void test_numbers_must_be_whole_and_in_range(void)
{
	struct field_set set = {0};
	CHECK_INT(check_field(&set, FIELD_QUANTITY, "12", 2)->number, 12);
	CHECK(accepts(FIELD_QUANTITY, "0"));
	CHECK(accepts(FIELD_QUANTITY, "99"));
	CHECK(!accepts(FIELD_QUANTITY, "100"));
	CHECK(!accepts(FIELD_QUANTITY, "-1"));
	CHECK(!accepts(FIELD_QUANTITY, "1.5"));
	CHECK(!accepts(FIELD_QUANTITY, "1e2"));
	CHECK(!accepts(FIELD_QUANTITY, "99999999999999999999999"));
	CHECK(!accepts(FIELD_QUANTITY, ""));
	CHECK(accepts(FIELD_RATING, "1"));
	CHECK(accepts(FIELD_RATING, "5"));
	CHECK(!accepts(FIELD_RATING, "6"));
	CHECK(!accepts(FIELD_RATING, "0"));
	CHECK(!accepts(FIELD_COUNT, "51"));
	fields_free(&set);
}

static void test_emails_need_one_at_and_a_dotted_domain(void)
{
	CHECK(accepts(FIELD_EMAIL, "ada@example.com"));
	CHECK(accepts(FIELD_EMAIL, "first.last+shop@mail.example.co.uk"));
	CHECK(!accepts(FIELD_EMAIL, "not-an-email"));
	CHECK(!accepts(FIELD_EMAIL, "@example.com"));
	CHECK(!accepts(FIELD_EMAIL, "a@b@example.com"));
	CHECK(!accepts(FIELD_EMAIL, "a@example"));
	CHECK(!accepts(FIELD_EMAIL, "a@example."));
	CHECK(!accepts(FIELD_EMAIL, "a@.com"));
	CHECK(!accepts(FIELD_EMAIL, "a b@example.com"));
	CHECK(!accepts(FIELD_EMAIL, "\"><script>@x.com"));
	CHECK(!accepts(FIELD_EMAIL, "a@ex..com"));
	CHECK(!accepts(FIELD_EMAIL, "a@example.com\r\nBcc: b@example.com"));
}

static void test_ids_allow_only_plain_characters(void)
{
	CHECK(accepts(FIELD_PRODUCT, "85123A"));
	CHECK(accepts(FIELD_PRODUCT, "sku-1_2.3"));
	CHECK(!accepts(FIELD_PRODUCT, "P1' OR '1'='1"));
	CHECK(!accepts(FIELD_PRODUCT, "../etc/passwd"));
	CHECK(!accepts(FIELD_PRODUCT, ".."));
	CHECK(!accepts(FIELD_PRODUCT, "a/b"));
	CHECK(!accepts(FIELD_PRODUCT, "<b>"));
	CHECK(!accepts(FIELD_PRODUCT, ""));
	CHECK(!accepts(FIELD_CUSTOMER, "x%27"));
}

static void test_tokens_are_32_lowercase_hex_digits(void)
{
	CHECK(accepts(FIELD_CSRF, "0123456789abcdef0123456789abcdef"));
	CHECK(!accepts(FIELD_CSRF, "0123456789ABCDEF0123456789abcdef"));
	CHECK(!accepts(FIELD_CSRF, "0123456789abcdef0123456789abcde"));
	CHECK(!accepts(FIELD_IDEMPOTENCY, "0123456789abcdef0123456789abcdefa"));
	CHECK(!accepts(FIELD_IDEMPOTENCY, "g123456789abcdef0123456789abcdef"));
}

static void test_payment_must_be_one_we_offer(void)
{
	CHECK(accepts(FIELD_PAYMENT, "card"));
	CHECK(accepts(FIELD_PAYMENT, "invoice"));
	CHECK(!accepts(FIELD_PAYMENT, "cash"));
	CHECK(!accepts(FIELD_PAYMENT, "card "));
	CHECK(!accepts(FIELD_PAYMENT, ""));
	CHECK_STR(payment_label("paypal"), "PayPal");
}

static void test_order_numbers_are_w_and_digits(void)
{
	CHECK(accepts(FIELD_ORDER, "W000001"));
	CHECK(!accepts(FIELD_ORDER, "W"));
	CHECK(!accepts(FIELD_ORDER, "w000001"));
	CHECK(!accepts(FIELD_ORDER, "W00000A"));
	CHECK(!accepts(FIELD_ORDER, "W12345678901234"));
}

static void test_a_field_given_twice_is_refused(void)
{
	struct cgi_params params = {0};
	struct field_set set = {0};
	const char *form = "product_id=P1&quantity=1&product_id=P2&unknown=x";
	cgi_parse_urlencoded(form, strlen(form), &params, NULL);
	fields_validate(&set, &params);
	CHECK(set.v[FIELD_PRODUCT].present && !set.v[FIELD_PRODUCT].valid);
	CHECK(field_text(&set, FIELD_PRODUCT) == NULL);
	CHECK_STR(field_text(&set, FIELD_QUANTITY), "1");
	CHECK(!set.v[FIELD_EMAIL].present);
	cgi_params_free(&params);
	fields_free(&set);
}

static void test_random_tokens_are_hex_and_differ(void)
{
	char a[TOKEN_SIZE], b[TOKEN_SIZE];
	CHECK_INT(token_new(a, NULL), 0);
	CHECK_INT(token_new(b, NULL), 0);
	CHECK(is_token(a, strlen(a)));
	CHECK(is_token(b, strlen(b)));
	CHECK(strcmp(a, b) != 0);
}

static void test_token_comparison_needs_the_whole_token(void)
{
	const char *t = "0123456789abcdef0123456789abcdef";
	CHECK(token_matches(t, t, 32));
	CHECK(!token_matches(t, t, 31));
	CHECK(!token_matches(t, "0123456789abcdef0123456789abcdee", 32));
	CHECK(!token_matches(t, NULL, 0));
	CHECK(!token_matches("", "", 0));
}

/* Whatever comes in, a field is either valid or carries a message, and what it keeps
 * is valid UTF-8 without NULs. */
static void test_validators_survive_random_input(void)
{
	struct rng r;
	rng_seed(&r, 77);
	char input[400];
	struct field_set set = {0};
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)rng_below(&r, sizeof input);
		for (size_t i = 0; i < len; i++)
			input[i] = (char)(rng_below(&r, 3) ? 'a' + rng_below(&r, 26) : rng_below(&r, 256));
		enum shop_field f = (enum shop_field)rng_below(&r, FIELD__COUNT);
		const struct field_value *v = check_field(&set, f, input, len);
		CHECK(v->valid || v->problem);
		CHECK_INT(strlen(v->text), v->len);
		CHECK_INT(utf8_invalid_at(v->text, v->len), v->len);
	}
	fields_free(&set);
}

int main(void)
{
	RUN(test_names_are_trimmed_and_kept_as_typed);
	RUN(test_names_refuse_line_breaks_and_control_characters);
	RUN(test_a_nul_byte_is_refused_and_cut_from_what_is_shown);
	RUN(test_invalid_utf8_is_refused_and_never_shown_again);
	RUN(test_text_fields_keep_line_breaks_as_newlines);
	RUN(test_lengths_are_limited_per_field);
	RUN(test_a_huge_value_is_cut_before_it_is_kept);
	RUN(test_numbers_must_be_whole_and_in_range);
	RUN(test_emails_need_one_at_and_a_dotted_domain);
	RUN(test_ids_allow_only_plain_characters);
	RUN(test_tokens_are_32_lowercase_hex_digits);
	RUN(test_payment_must_be_one_we_offer);
	RUN(test_order_numbers_are_w_and_digits);
	RUN(test_a_field_given_twice_is_refused);
	RUN(test_random_tokens_are_hex_and_differ);
	RUN(test_token_comparison_needs_the_whole_token);
	RUN(test_validators_survive_random_input);
	return check_summary();
}
