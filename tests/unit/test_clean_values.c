/* Unit tests of the single-value rules clean applies (src/clean/normalize.c) and of its
 * small building blocks: the string pool, the tuple pool, the most-frequent-value tally
 * and exact money arithmetic. */
#include "check.h"

#include <stdint.h>
#include <string.h>

#include "clean/normalize.h"
#include "util/string_pool.h"
#include "clean/tally.h"
#include "clean/tuple_pool.h"

/* normalize_text / normalize_id into a static buffer, with what changed. */
static const char *text_of(const char *s, unsigned *changed)
{
	static char out[256];
	*changed = 0;
	size_t n = normalize_text(s, strlen(s), out, changed);
	out[n] = '\0';
	return out;
}

static const char *id_of(const char *s, int fold_case, unsigned *changed)
{
	static char out[256];
	*changed = 0;
	size_t n = normalize_id(s, strlen(s), fold_case, out, changed);
	out[n] = '\0';
	return out;
}

static void test_names_lose_outer_blanks_and_runs_of_inner_ones(void)
{
	unsigned changed;
	CHECK_STR(text_of("  WHITE  HANGING\tHEART ", &changed), "WHITE HANGING HEART");
	CHECK_INT(changed, NORMALIZE_TRIMMED);
	CHECK_STR(text_of("RED MUG", &changed), "RED MUG");
	CHECK_INT(changed, 0);
	CHECK_STR(text_of(" \t\r\n", &changed), "");
	CHECK_STR(text_of("line\nbreak", &changed), "line break");
}

/* decode_character_references on a copy of s. */
static const char *decoded(const char *s, unsigned *changed)
{
	static char out[256];
	*changed = 0;
	size_t len = strlen(s);
	memcpy(out, s, len);
	out[decode_character_references(out, len, changed)] = '\0';
	return out;
}

static void test_character_references_decode_and_nothing_else_does(void)
{
	unsigned changed;
	CHECK_STR(decoded("a &#34;card&#34; called &#34;Things To Try&#34;", &changed),
		  "a \"card\" called \"Things To Try\"");
	CHECK_INT(changed, NORMALIZE_REFERENCES);
	CHECK_STR(decoded("caf&#233; &#xE9;&#X1F600; &quot;ok&quot; &amp; &lt;b&gt; it&apos;s",
			  &changed),
		  "caf\xc3\xa9 \xc3\xa9\xf0\x9f\x98\x80 \"ok\" & <b> it's");
	CHECK_STR(decoded("a&nbsp;b", &changed), "a\xc2\xa0" "b");
	/* not references: left as they are, and nothing counted */
	CHECK_STR(decoded("R&D, AT&T; &#; &#x; &#0; &#xD800; &#1114112; &#34 &bogus; &", &changed),
		  "R&D, AT&T; &#; &#x; &#0; &#xD800; &#1114112; &#34 &bogus; &");
	CHECK_INT(changed, 0);
	/* one pass: "&amp;#34;" is the text "&#34;", not a quote */
	CHECK_STR(decoded("&amp;#34;", &changed), "&#34;");
}

static void test_float_written_ids_lose_only_a_zero_fraction(void)
{
	unsigned changed;
	CHECK_STR(id_of("17850.0", 0, &changed), "17850");
	CHECK_INT(changed, NORMALIZE_FLOAT_ID);
	CHECK_STR(id_of(" 17850.00 ", 0, &changed), "17850");
	CHECK_INT(changed, NORMALIZE_FLOAT_ID | NORMALIZE_TRIMMED);
	CHECK_STR(id_of("17850.5", 0, &changed), "17850.5");
	CHECK_INT(changed, 0);
	CHECK_STR(id_of("17850.", 0, &changed), "17850.");
	CHECK_STR(id_of(".0", 0, &changed), ".0");
	CHECK_STR(id_of("CA-2018.0", 0, &changed), "CA-2018.0");
	CHECK_STR(id_of("10.0.0", 0, &changed), "10.0.0");
}

static void test_product_codes_fold_to_upper_case_only_when_asked(void)
{
	unsigned changed;
	CHECK_STR(id_of("85123a", 1, &changed), "85123A");
	CHECK_INT(changed, NORMALIZE_CASE);
	CHECK_STR(id_of("85123a", 0, &changed), "85123a");
	CHECK_INT(changed, 0);
	CHECK_STR(id_of("gift_0001_20", 1, &changed), "GIFT_0001_20");
}

static void test_money_rounds_half_away_from_zero_to_cents(void)
{
	CHECK_INT(micros_to_cents(2550000), 255);
	CHECK_INT(micros_to_cents(125000), 13);   /* 0.125 */
	CHECK_INT(micros_to_cents(-125000), -13);
	CHECK_INT(micros_to_cents(124999), 12);
	CHECK_INT(micros_to_cents(-124999), -12);
	CHECK_INT(micros_to_cents(1000), 0);      /* 0.001 */
	CHECK_INT(div_round(7, 2), 4);
	CHECK_INT(div_round(-7, 2), -4);
	CHECK_INT(div_round(7, -2), -4);
	CHECK_INT(div_round(6, 4), 2);
	CHECK_INT(div_round(5, 4), 1);
}

static void test_products_of_money_stay_exact_beyond_64_bits(void)
{
	int64_t out = 0;
	/* 957.5775 / (5 x 0.55) in cents: the list price behind a Superstore line */
	CHECK_INT(mul_div_round(957577500, 100, 5 * 550000, &out), 0);
	CHECK_INT(out, 34821);
	/* 80,995 units at 2.08, with a discount: needs 128-bit intermediates */
	int64_t gross = 0;
	CHECK_INT(mul_div_round(80995, 2080000, 1, &gross), 0);
	CHECK_INT(mul_div_round(gross, 1000000, 10000000000LL, &out), 0);
	CHECK_INT(out, 16846960);
	CHECK_INT(mul_div_round(INT64_MAX, 4, 2, &out), -1);
	CHECK_INT(mul_div_round(1, 1, 0, &out), -1);
	CHECK_INT(mul_div_round(-5, 1, 2, &out), 0);
	CHECK_INT(out, -3);
}

static const char *event(const char *s)
{
	const char *type = event_type_canonical(s, strlen(s));
	return type ? type : "(unknown)";
}

static void test_event_types_come_in_four_names(void)
{
	CHECK_STR(event("view"), "view");
	CHECK_STR(event("page_view"), "view");
	CHECK_STR(event("PageView"), "view");
	CHECK_STR(event("add_to_cart"), "cart");
	CHECK_STR(event("AddToCart"), "cart");
	CHECK_STR(event("begin_checkout"), "checkout");
	CHECK_STR(event("transaction"), "purchase");
	CHECK_STR(event("purchase"), "purchase");
	CHECK_STR(event("remove_from_cart"), "(unknown)");
	CHECK_STR(event(""), "(unknown)");
}

static enum order_status status(const char *s)
{
	return order_status_from_text(s, strlen(s));
}

static void test_status_words_read_as_cancelled_returned_or_completed(void)
{
	CHECK_INT(status("Cancelled"), STATUS_CANCELLED);
	CHECK_INT(status("canceled"), STATUS_CANCELLED);
	CHECK_INT(status("VOID"), STATUS_CANCELLED);
	CHECK_INT(status("Returned"), STATUS_RETURNED);
	CHECK_INT(status("refunded"), STATUS_RETURNED);
	CHECK_INT(status("Shipped"), STATUS_COMPLETED);
	CHECK_INT(status("complete"), STATUS_COMPLETED);
	CHECK_STR(order_status_name(STATUS_RETURNED), "returned");
}

static void test_cancel_prefix_needs_a_number_after_it(void)
{
	struct word_list prefixes;
	word_list_parse(&prefixes, " C , X ,,");
	CHECK_INT(prefixes.count, 2);
	CHECK_INT(word_list_prefix_of_number(&prefixes, "C581484", 7), 1);
	CHECK_INT(word_list_prefix_of_number(&prefixes, "c581484", 7), 1);
	CHECK_INT(word_list_prefix_of_number(&prefixes, "CA-2018-152156", 14), 0);
	CHECK_INT(word_list_prefix_of_number(&prefixes, "581484", 6), 0);
	CHECK_INT(word_list_prefix_of_number(&prefixes, "C", 1), 0);
	CHECK(word_list_has(&prefixes, "x", 1));
	CHECK(!word_list_has(&prefixes, "XX", 2));
	word_list_free(&prefixes);
	word_list_parse(&prefixes, "");
	CHECK_INT(prefixes.count, 0);
	word_list_free(&prefixes);
}

static void test_string_pool_keeps_one_copy_and_sorts_bytewise(void)
{
	struct string_pool pool;
	string_pool_init(&pool);
	uint32_t a = string_pool_intern(&pool, "banana", 6);
	uint32_t b = string_pool_intern(&pool, "apple", 5);
	CHECK_INT(string_pool_intern(&pool, "", 0), 0);
	CHECK_INT(string_pool_intern(&pool, "banana", 6), a);
	CHECK(a != b && a && b);
	char many[32];
	for (int i = 0; i < 5000; i++) { /* grows the table and the bytes */
		snprintf(many, sizeof many, "id-%d", i);
		string_pool_intern(&pool, many, strlen(many));
	}
	CHECK_INT(string_pool_intern(&pool, "id-4999", 7), string_pool_intern(&pool, "id-4999", 7));
	CHECK_STR(string_pool_text(&pool, a), "banana");
	CHECK_INT(string_pool_length(&pool, b), 5);
	uint32_t c = string_pool_intern(&pool, "Zebra", 5), d = string_pool_intern(&pool, "app", 3);
	CHECK_INT(string_pool_length(&pool, c), 5); /* one with a text after it */
	CHECK_INT(string_pool_length(&pool, d), 3); /* the last one */
	CHECK_INT(string_pool_length(&pool, 0), 0);
	uint32_t handles[] = {a, b, c, d};
	string_pool_sort(&pool, handles, 4);
	CHECK_STR(string_pool_text(&pool, handles[0]), "Zebra");
	CHECK_STR(string_pool_text(&pool, handles[1]), "app");
	CHECK_STR(string_pool_text(&pool, handles[2]), "apple");
	CHECK_STR(string_pool_text(&pool, handles[3]), "banana");
	string_pool_free(&pool);
}

/* Finding adds nothing: a text held gives its handle, any other 0. */
static void test_string_pool_finds_without_adding(void)
{
	struct string_pool pool, zeroed = {0};
	string_pool_init(&pool);
	char id[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof id, "p%d", i);
		string_pool_intern(&pool, id, strlen(id));
	}
	uint32_t count = pool.count;
	CHECK_INT(string_pool_find(&pool, "p0", 2), 1);
	CHECK_INT(string_pool_find(&pool, "p2999", 5), 3000);
	CHECK_INT(string_pool_find(&pool, "p3000", 5), 0);
	CHECK_INT(string_pool_find(&pool, "p", 1), 0);
	CHECK_INT(string_pool_find(&pool, "p29999", 5), 3000); /* the length counts */
	CHECK_INT(string_pool_find(&pool, "", 0), 0);
	CHECK_INT(pool.count, count);
	CHECK_INT(string_pool_find(&zeroed, "p0", 2), 0);
	string_pool_free(&pool);
	CHECK_INT(string_pool_find(&pool, "p0", 2), 0);
}

/* A record as clean keeps them: a 64-bit value beside 32-bit ones, no padding. */
struct test_record {
	int64_t amount;
	uint32_t a, b;
};

static void test_tuple_pool_keeps_one_copy_of_each_record(void)
{
	struct tuple_pool pool;
	struct test_record zero = {0, 0, 0}, r = {INT64_MIN, 1, 2}, s = {INT64_MIN, 2, 1};
	tuple_pool_init(&pool, sizeof(struct test_record));
	CHECK_INT(tuple_pool_intern(&pool, &zero), 0);
	uint32_t hr = tuple_pool_intern(&pool, &r), hs = tuple_pool_intern(&pool, &s);
	CHECK_INT(hr, 1);
	CHECK_INT(hs, 2);
	CHECK_INT(tuple_pool_intern(&pool, &r), hr);
	for (uint32_t i = 0; i < 20000; i++) { /* grows the records and the table */
		struct test_record many = {(int64_t)i * 1000003, i, ~i};
		CHECK_INT(tuple_pool_intern(&pool, &many), i + 3);
	}
	CHECK_INT(pool.count, 20003);
	const struct test_record *back = tuple_pool_get(&pool, hs);
	CHECK(back->amount == INT64_MIN && back->a == 2 && back->b == 1);
	back = tuple_pool_get(&pool, 0);
	CHECK(back->amount == 0 && back->a == 0 && back->b == 0);
	struct test_record again = {(int64_t)19999 * 1000003, 19999, ~19999u};
	CHECK_INT(tuple_pool_intern(&pool, &again), 20002);
	CHECK_INT(pool.count, 20003);
	tuple_pool_free(&pool);
}

static void test_tally_picks_the_most_frequent_then_first_in_byte_order(void)
{
	struct string_pool pool;
	struct tally t = TALLY_INIT;
	string_pool_init(&pool);
	uint32_t uk = string_pool_intern(&pool, "United Kingdom", 14);
	uint32_t fr = string_pool_intern(&pool, "France", 6);
	CHECK_INT(tally_best(&t, &pool), 0);
	tally_add(&t, uk);
	tally_add(&t, fr);
	tally_add(&t, 0);
	CHECK_INT(tally_best(&t, &pool), fr); /* 1 : 1, France first */
	tally_add(&t, uk);
	CHECK_INT(tally_best(&t, &pool), uk);
	CHECK_INT(t.used, 2);
	tally_clear(&t);
	CHECK_INT(tally_best(&t, &pool), 0);
	tally_free(&t);
	string_pool_free(&pool);
}

int main(void)
{
	RUN(test_names_lose_outer_blanks_and_runs_of_inner_ones);
	RUN(test_character_references_decode_and_nothing_else_does);
	RUN(test_float_written_ids_lose_only_a_zero_fraction);
	RUN(test_product_codes_fold_to_upper_case_only_when_asked);
	RUN(test_money_rounds_half_away_from_zero_to_cents);
	RUN(test_products_of_money_stay_exact_beyond_64_bits);
	RUN(test_event_types_come_in_four_names);
	RUN(test_status_words_read_as_cancelled_returned_or_completed);
	RUN(test_cancel_prefix_needs_a_number_after_it);
	RUN(test_string_pool_keeps_one_copy_and_sorts_bytewise);
	RUN(test_string_pool_finds_without_adding);
	RUN(test_tuple_pool_keeps_one_copy_of_each_record);
	RUN(test_tally_picks_the_most_frequent_then_first_in_byte_order);
	return check_summary();
}
