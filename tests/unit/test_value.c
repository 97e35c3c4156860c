/* test_value: the template data tree. Maps find every key, short (kept in the entry)
 * or long (allocated), before and after they grow and get their hash index; setting a
 * key again replaces its value; keys handed over with value_map_put are kept or freed;
 * strings hold any bytes; a copy renders as the same JSON. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "report/query.h"
#include "report/value.h"
#include "util/xalloc.h"

#define KEYS 100

/* Key i: short for even i, at least VALUE_SHORT_KEY bytes for odd i. */
static void key_of(int i, char *out, size_t size)
{
	if (i % 2)
		snprintf(out, size, "a_rather_long_key_name_number_%03d", i);
	else
		snprintf(out, size, "k%d", i);
}

static void test_maps_find_short_and_long_keys_as_they_grow(void)
{
	struct value *map = value_map_new();
	char key[64];
	for (int i = 0; i < KEYS; i++) {
		key_of(i, key, sizeof key);
		value_map_set_int(map, key, i);
		/* Every key so far is still found after each growth. */
		int found = 0;
		for (int j = 0; j <= i; j++) {
			key_of(j, key, sizeof key);
			const struct value *v = value_map_get(map, key);
			found += v && v->type == VALUE_NUMBER && v->as.number.n == j;
		}
		CHECK_INT(found, i + 1);
	}
	CHECK(strlen("a_rather_long_key_name_number_001") >= VALUE_SHORT_KEY);
	CHECK_INT(map->as.map.len, KEYS);
	CHECK_STR(map->as.map.entries[0].key, "k0");
	CHECK_STR(map->as.map.entries[1].key, "a_rather_long_key_name_number_001");
	CHECK(value_map_get(map, "k1") == NULL);
	value_free(map);
}

static void test_setting_a_key_again_replaces_its_value(void)
{
	struct value *map = value_map_new();
	value_map_set_str(map, "name", "first");
	value_map_set_str(map, "a_rather_long_key_name_for_a_title", "first");
	value_map_set_str(map, "name", "second");
	value_map_set_str(map, "a_rather_long_key_name_for_a_title", "second");
	CHECK_INT(map->as.map.len, 2);
	CHECK_STR(value_string_of(map, "name", NULL), "second");
	CHECK_STR(value_string_of(map, "a_rather_long_key_name_for_a_title", NULL), "second");
	value_free(map);
}

static void test_put_takes_over_the_key_it_is_given(void)
{
	struct value *map = value_map_new();
	value_map_put(map, xstrdup("short"), 5, value_int_new(1));
	value_map_put(map, xstrdup("a_key_that_is_too_long_for_the_entry"), 36, value_int_new(2));
	value_map_put(map, xstrdup("short"), 5, value_int_new(3)); /* the copy is freed */
	CHECK_INT(map->as.map.len, 2);
	CHECK_INT((long long)value_map_get(map, "short")->as.number.n, 3);
	CHECK_INT((long long)value_map_get(map, "a_key_that_is_too_long_for_the_entry")->as.number.n,
		  2);
	value_free(map); /* valgrind and ASan see no leak and no double free */
}

static void test_strings_hold_any_bytes_and_copies_render_the_same(void)
{
	struct value *map = value_map_new();
	value_map_set(map, "nul", value_string_new_n("a\0b", 3));
	value_map_set_str(map, "empty", "");
	value_map_set_n(map, "k\0ey", 4, value_string_new("hidden"));
	struct value *list = value_map_add_list(map, "list");
	for (int i = 0; i < 10; i++)
		value_list_push(list, value_string_new(i % 2 ? "odd" : "even"));
	const struct value *nul = value_map_get(map, "nul");
	CHECK_INT(nul->as.string.len, 3);
	CHECK(memcmp(nul->as.string.bytes, "a\0b", 4) == 0);
	CHECK(value_map_get_n(map, "k\0ey", 4) != NULL);
	CHECK(value_map_get(map, "k") == NULL);
	struct value *copy = value_copy(map);
	struct buf a = BUF_INIT, b = BUF_INIT;
	value_to_json(map, &a);
	value_to_json(copy, &b);
	CHECK_STR(buf_str(&b), buf_str(&a));
	CHECK(strstr(buf_str(&a), "\"nul\":\"a\\u0000b\"") != NULL);
	buf_free(&a);
	buf_free(&b);
	value_free(copy);
	value_free(map);
}

int main(void)
{
	RUN(test_maps_find_short_and_long_keys_as_they_grow);
	RUN(test_setting_a_key_again_replaces_its_value);
	RUN(test_put_takes_over_the_key_it_is_given);
	RUN(test_strings_hold_any_bytes_and_copies_render_the_same);
	return check_summary();
}
