/* Unit tests of src/report/json_parse and value: what strict JSON reading accepts,
 * what it refuses and where it says the mistake is, and how value trees print. */
#include "check.h"

#include <stdlib.h>

#include "report/json_parse.h"
#include "report/value.h"
#include "util/xalloc.h"

/* Parses text and returns it printed back with value_to_json, or "ERROR: message". */
static char *reparse(const char *text, size_t len)
{
	struct value *v;
	struct error err;
	struct buf out = BUF_INIT;
	if (json_parse("data.json", text, len, &v, &err) < 0) {
		CHECK(v == NULL);
		buf_printf(&out, "ERROR: %s", err.msg);
	} else {
		value_to_json(v, &out);
		value_free(v);
	}
	return buf_detach(&out);
}

#define CHECK_JSON(text, want)                                                           \
	do {                                                                             \
		char *got_ = reparse(text, strlen(text));                                \
		CHECK_STR(got_, want);                                                   \
		free(got_);                                                              \
	} while (0)

static void test_json_reads_every_kind_of_value(void)
{
	CHECK_JSON("null", "null");
	CHECK_JSON(" true ", "true");
	CHECK_JSON("false", "false");
	CHECK_JSON("\"shop\"", "\"shop\"");
	CHECK_JSON("[]", "[]");
	CHECK_JSON("{}", "{}");
	CHECK_JSON(" { \"sku\" : \"A-1\" , \"tags\" : [ 1 , \"x\" , null , { } ] } ",
		   "{\"sku\":\"A-1\",\"tags\":[1,\"x\",null,{}]}");
	CHECK_JSON("\t\r\n[1,\n2]\n", "[1,2]");
}

static void test_json_numbers_print_integral_without_fraction(void)
{
	CHECK_JSON("12", "12");
	CHECK_JSON("12.0", "12");
	CHECK_JSON("-0", "0");
	CHECK_JSON("1.5e2", "150");
	CHECK_JSON("19.99", "19.99");
	CHECK_JSON("0.1", "0.1");
	CHECK_JSON("-2.5E-3", "-0.0025");
	CHECK_JSON("1e300", "1e+300");
	CHECK_JSON("123456789012", "123456789012");
	CHECK_JSON("3.141592653589793", "3.141592653589793");
	CHECK_JSON("1e-400", "0");
}

static void test_json_numbers_follow_the_strict_grammar(void)
{
	CHECK_JSON("01", "ERROR: data.json:1:1: numbers may not start with 0");
	CHECK_JSON("1.", "ERROR: data.json:1:3: expected a digit after '.', found end of input");
	CHECK_JSON(".5", "ERROR: data.json:1:1: expected a value, found '.'");
	CHECK_JSON("+1", "ERROR: data.json:1:1: expected a value, found '+'");
	CHECK_JSON("-", "ERROR: data.json:1:2: expected a digit, found end of input");
	CHECK_JSON("1e", "ERROR: data.json:1:3: expected a digit in the exponent, found end of input");
	CHECK_JSON("NaN", "ERROR: data.json:1:1: expected a value, found 'N'");
	CHECK_JSON("1e400", "ERROR: data.json:1:1: number 1e400 is too large");
	CHECK_JSON("0x10", "ERROR: data.json:1:2: expected the end after the value, found 'x'");
}

static void test_json_strings_decode_escapes_to_utf8(void)
{
	CHECK_JSON("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"a\\\"b\\\\c/d\\u0008\\u000c\\n\\r\\t\"");
	CHECK_JSON("\"caf\\u00e9\"", "\"caf\xc3\xa9\"");
	CHECK_JSON("\"\\u20AC\"", "\"\xe2\x82\xac\"");
	CHECK_JSON("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
	CHECK_JSON("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");

	struct value *v;
	struct error err;
	CHECK_INT(json_parse("d", "\"a\\u0000b\"", 10, &v, &err), 0);
	CHECK_INT(v->as.string.len, 3);
	CHECK(memcmp(v->as.string.bytes, "a\0b", 4) == 0);
	value_free(v);
}

static void test_json_refuses_broken_strings(void)
{
	CHECK_JSON("\"abc", "ERROR: data.json:1:1: string is never closed");
	CHECK_JSON("\"a\\x\"", "ERROR: data.json:1:3: invalid escape '\\x'");
	CHECK_JSON("\"tab\there\"", "ERROR: data.json:1:5: control character 0x09 in string "
				     "(write it as \\u0009)");
	CHECK_JSON("\"\\u12G4\"", "ERROR: data.json:1:2: '\\u' must be followed by four hex digits");
	CHECK_JSON("\"\\ud83d\"", "ERROR: data.json:1:2: high surrogate \\uD83D is not followed by "
				  "a low surrogate");
	CHECK_JSON("\"\\ud83d\\u0041\"", "ERROR: data.json:1:2: high surrogate \\uD83D is not "
					 "followed by a low surrogate");
	CHECK_JSON("\"\\ude00\"", "ERROR: data.json:1:2: lone low surrogate \\uDE00");
	CHECK_JSON("'single'", "ERROR: data.json:1:1: expected a value, found '''");
}

static void test_json_rejects_invalid_utf8_with_its_position(void)
{
	CHECK_JSON("[\"ok\",\n \"bad \xc3\x28\"]", "ERROR: data.json:2:7: invalid UTF-8 (byte 0xC3)");
	CHECK_JSON("\"\xed\xa0\x80\"", "ERROR: data.json:1:2: invalid UTF-8 (byte 0xED)");
	CHECK_JSON("\"\xc0\xaf\"", "ERROR: data.json:1:2: invalid UTF-8 (byte 0xC0)");
}

static void test_json_errors_name_line_and_column(void)
{
	CHECK_JSON("{\n  \"name\": \"Mug\",\n  \"price\": 12 \"stock\": 3\n}",
		   "ERROR: data.json:3:15: expected ',' or '}', found '\"'");
	CHECK_JSON("[1, 2,]", "ERROR: data.json:1:7: expected a value, found ']'");
	CHECK_JSON("{\"a\":1,}", "ERROR: data.json:1:8: expected a string key, found '}'");
	CHECK_JSON("{\"a\" 1}", "ERROR: data.json:1:6: expected ':', found '1'");
	CHECK_JSON("[1 2]", "ERROR: data.json:1:4: expected ',' or ']', found '2'");
	CHECK_JSON("{\"a\":[1,", "ERROR: data.json:1:9: expected a value, found end of input");
	CHECK_JSON("", "ERROR: data.json:1:1: expected a value, found end of input");
	CHECK_JSON("  \n ", "ERROR: data.json:2:2: expected a value, found end of input");
	CHECK_JSON("{} {}", "ERROR: data.json:1:4: expected the end after the value, found '{'");
	CHECK_JSON("tru", "ERROR: data.json:1:1: expected a value, found 't'");
	/* Columns count characters, not bytes. */
	CHECK_JSON("[\"\xc3\xa9\xc3\xa9\" x]", "ERROR: data.json:1:7: expected ',' or ']', found 'x'");
}

static void test_json_survives_hostile_nesting(void)
{
	size_t n = 100000;
	char *deep = xmalloc(n + 1);
	memset(deep, '[', n);
	deep[n] = '\0';
	char *got = reparse(deep, n);
	CHECK_STR(got, "ERROR: data.json:1:1001: arrays and objects nested more than 1000 deep");
	free(got);
	free(deep);

	struct buf ok = BUF_INIT;
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_puts(&ok, "{\"a\":");
	buf_puts(&ok, "1");
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_putc(&ok, '}');
	struct value *v;
	struct error err;
	CHECK_INT(json_parse("d", ok.data, ok.len, &v, &err), 0);
	value_free(v);
	buf_free(&ok);
}

static void test_json_duplicate_keys_keep_the_last_value_in_the_first_place(void)
{
	CHECK_JSON("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}");
}

static void test_json_ignores_a_byte_order_mark(void)
{
	CHECK_JSON("\xef\xbb\xbf{\"a\":1}", "{\"a\":1}");
}

static void test_value_maps_keep_order_and_find_keys_in_big_maps(void)
{
	struct value *map = value_map_new();
	char key[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		value_map_set_int(map, key, i);
	}
	CHECK_INT(map->as.map.len, 5000);
	for (int i = 0; i < 5000; i += 7) {
		snprintf(key, sizeof key, "k%d", i);
		const struct value *v = value_map_get(map, key);
		CHECK(v && v->type == VALUE_NUMBER && v->as.number.n == i);
	}
	CHECK(value_map_get(map, "k5000") == NULL);
	value_map_set_str(map, "k3", "three");
	CHECK_STR(map->as.map.entries[3].key, "k3");
	CHECK_STR(value_map_get(map, "k3")->as.string.bytes, "three");
	CHECK_INT(map->as.map.len, 5000);
	value_free(map);
}

static void test_value_helpers_fill_a_page_and_print_deterministic_json(void)
{
	struct value *page = value_map_new();
	value_map_set_str(page, "title", "Mugs & <Cups>");
	value_map_set_str(page, "missing", NULL);
	value_map_set_num(page, "price", 12.5);
	value_map_set_int(page, "stock", 9007199254740993LL);
	value_map_set_bool(page, "on_sale", 1);
	struct value *reviews = value_map_add_list(page, "reviews");
	struct value *r = value_list_add_map(reviews);
	value_map_set_int(r, "rating", 5);
	value_list_add_list(reviews);
	value_map_add_map(page, "seller");
	value_map_set_num(page, "ratio", 0.1 + 0.2);
	value_map_set_num(page, "nan", NAN);
	struct buf out = BUF_INIT;
	value_to_json(page, &out);
	CHECK_STR(out.data, "{\"title\":\"Mugs & \\u003cCups>\",\"missing\":null,\"price\":12.5,"
			    "\"stock\":9007199254740993,\"on_sale\":true,"
			    "\"reviews\":[{\"rating\":5},[]],\"seller\":{},"
			    "\"ratio\":0.30000000000000004,\"nan\":null}");
	buf_free(&out);
	CHECK(value_map_get(value_map_get(page, "title"), "x") == NULL);
	value_free(page);
}

int main(void)
{
	RUN(test_json_reads_every_kind_of_value);
	RUN(test_json_numbers_print_integral_without_fraction);
	RUN(test_json_numbers_follow_the_strict_grammar);
	RUN(test_json_strings_decode_escapes_to_utf8);
	RUN(test_json_refuses_broken_strings);
	RUN(test_json_rejects_invalid_utf8_with_its_position);
	RUN(test_json_errors_name_line_and_column);
	RUN(test_json_survives_hostile_nesting);
	RUN(test_json_duplicate_keys_keep_the_last_value_in_the_first_place);
	RUN(test_json_ignores_a_byte_order_mark);
	RUN(test_value_maps_keep_order_and_find_keys_in_big_maps);
	RUN(test_value_helpers_fill_a_page_and_print_deterministic_json);
	return check_summary();
}
