/* value: building, looking up, freeing and printing value trees. Maps are an array of
 * entries in insertion order; past VALUE_MAP_INDEX_MIN entries they also keep an
 * open-addressing table of entry numbers keyed by a 64-bit FNV-1a hash of the key. */
#include "report/value.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Maps with fewer entries are searched linearly (comparing stored hashes first). */
#define VALUE_MAP_INDEX_MIN 8

/* Integral numbers below this magnitude are written with all their digits. */
#define VALUE_INTEGER_TEXT_LIMIT 1e15

static struct value *value_new(enum value_type type)
{
	struct value *v = xcalloc(1, sizeof *v);
	v->type = type;
	return v;
}

struct value *value_null_new(void)
{
	return value_new(VALUE_NULL);
}

struct value *value_bool_new(int b)
{
	struct value *v = value_new(VALUE_BOOL);
	v->as.boolean = b != 0;
	return v;
}

/* Writes the digits of an integral n (|n| < VALUE_INTEGER_TEXT_LIMIT) into text. */
static size_t format_integer(double n, char *text)
{
	long long i = (long long)n;
	char digits[24];
	size_t nd = 0, len = 0;
	unsigned long long u = i < 0 ? (unsigned long long)-i : (unsigned long long)i;
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		text[len++] = '-';
	while (nd)
		text[len++] = digits[--nd];
	text[len] = '\0';
	return len;
}

/* Writes the shortest "%.Ng" text of n that reads back as n. */
static size_t format_shortest(double n, char *text)
{
	int len = 0;
	for (int precision = 15; precision <= 17; precision++) {
		len = snprintf(text, VALUE_NUMBER_TEXT_SIZE, "%.*g", precision, n);
		if (strtod(text, NULL) == n)
			break;
	}
	assert(len > 0 && len < VALUE_NUMBER_TEXT_SIZE);
	return (size_t)len;
}

struct value *value_number_new(double n)
{
	struct value *v = value_new(VALUE_NUMBER);
	char *text = v->as.number.text;
	v->as.number.n = n;
	if (isnan(n))
		v->as.number.text_len = (size_t)snprintf(text, VALUE_NUMBER_TEXT_SIZE, "NaN");
	else if (isinf(n))
		v->as.number.text_len = (size_t)snprintf(text, VALUE_NUMBER_TEXT_SIZE, "%s",
							 n < 0 ? "-Infinity" : "Infinity");
	else if (n == floor(n) && fabs(n) < VALUE_INTEGER_TEXT_LIMIT)
		v->as.number.text_len = format_integer(n, text);
	else
		v->as.number.text_len = format_shortest(n, text);
	return v;
}

struct value *value_int_new(long long n)
{
	if (n > -(long long)VALUE_INTEGER_TEXT_LIMIT && n < (long long)VALUE_INTEGER_TEXT_LIMIT)
		return value_number_new((double)n);
	/* Too big for a double to hold every digit: keep the digits the caller gave. */
	struct value *v = value_new(VALUE_NUMBER);
	v->as.number.n = (double)n;
	v->as.number.text_len = (size_t)snprintf(v->as.number.text, VALUE_NUMBER_TEXT_SIZE,
						 "%lld", n);
	return v;
}

struct value *value_string_take(char *s, size_t len)
{
	assert(s && s[len] == '\0');
	struct value *v = value_new(VALUE_STRING);
	v->as.string.bytes = s;
	v->as.string.len = len;
	return v;
}

/* Where a string copy's bytes sit: just after its struct, in the same allocation. */
static char *bytes_after(struct value *v)
{
	return (char *)(v + 1);
}

struct value *value_string_new_n(const char *s, size_t len)
{
	struct value *v = xmalloc(sizeof *v + len + 1);
	memset(v, 0, sizeof *v);
	v->type = VALUE_STRING;
	v->as.string.bytes = bytes_after(v);
	v->as.string.len = len;
	if (len)
		memcpy(v->as.string.bytes, s, len);
	v->as.string.bytes[len] = '\0';
	return v;
}

struct value *value_string_new(const char *s)
{
	return s ? value_string_new_n(s, strlen(s)) : value_null_new();
}

struct value *value_list_new(void)
{
	return value_new(VALUE_LIST);
}

struct value *value_map_new(void)
{
	return value_new(VALUE_MAP);
}

void value_free(struct value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case VALUE_STRING:
		if (v->as.string.bytes != bytes_after(v))
			free(v->as.string.bytes);
		break;
	case VALUE_LIST:
		for (size_t i = 0; i < v->as.list.len; i++)
			value_free(v->as.list.items[i]);
		free(v->as.list.items);
		break;
	case VALUE_MAP:
		for (size_t i = 0; i < v->as.map.len; i++) {
			struct value_entry *e = &v->as.map.entries[i];
			if (e->key != e->short_key)
				free(e->key);
			value_free(e->value);
		}
		free(v->as.map.entries);
		free(v->as.map.index);
		break;
	case VALUE_NULL:
	case VALUE_BOOL:
	case VALUE_NUMBER:
		break;
	}
	free(v);
}

struct value *value_copy(const struct value *v)
{
	if (!v)
		return value_null_new();
	switch (v->type) {
	case VALUE_NULL: return value_null_new();
	case VALUE_BOOL: return value_bool_new(v->as.boolean);
	case VALUE_NUMBER: {
		struct value *n = value_number_new(v->as.number.n);
		n->as.number = v->as.number; /* keeps the text of big integers */
		return n;
	}
	case VALUE_STRING: return value_string_new_n(v->as.string.bytes, v->as.string.len);
	case VALUE_LIST: {
		struct value *list = value_list_new();
		for (size_t i = 0; i < v->as.list.len; i++)
			value_list_push(list, value_copy(v->as.list.items[i]));
		return list;
	}
	case VALUE_MAP: {
		struct value *map = value_map_new();
		for (size_t i = 0; i < v->as.map.len; i++) {
			const struct value_entry *e = &v->as.map.entries[i];
			value_map_set_n(map, e->key, e->key_len, value_copy(e->value));
		}
		return map;
	}
	}
	return value_null_new();
}

void value_list_push(struct value *list, struct value *child)
{
	assert(list && list->type == VALUE_LIST && child);
	if (list->as.list.len == list->as.list.cap) {
		list->as.list.cap = list->as.list.cap ? 2 * list->as.list.cap : 4;
		list->as.list.items = xreallocarray(list->as.list.items, list->as.list.cap,
						    sizeof *list->as.list.items);
	}
	list->as.list.items[list->as.list.len++] = child;
}

struct value *value_list_add_map(struct value *list)
{
	struct value *child = value_map_new();
	value_list_push(list, child);
	return child;
}

struct value *value_list_add_list(struct value *list)
{
	struct value *child = value_list_new();
	value_list_push(list, child);
	return child;
}

uint64_t value_key_hash(const char *key, size_t key_len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < key_len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Returns the entry number of key in map, or -1. */
static long find_entry(const struct value *map, const char *key, size_t key_len, uint64_t hash)
{
	const struct value_entry *e = map->as.map.entries;
	if (map->as.map.index) {
		size_t mask = map->as.map.index_mask;
		for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
			uint32_t at = map->as.map.index[slot];
			if (!at)
				return -1;
			const struct value_entry *cand = &e[at - 1];
			if (cand->hash == hash && cand->key_len == key_len &&
			    memcmp(cand->key, key, key_len) == 0)
				return (long)(at - 1);
		}
	}
	for (size_t i = 0; i < map->as.map.len; i++)
		if (e[i].hash == hash && e[i].key_len == key_len &&
		    memcmp(e[i].key, key, key_len) == 0)
			return (long)i;
	return -1;
}

static void index_insert(struct value *map, size_t entry)
{
	size_t mask = map->as.map.index_mask;
	size_t slot = map->as.map.entries[entry].hash & mask;
	while (map->as.map.index[slot])
		slot = (slot + 1) & mask;
	map->as.map.index[slot] = (uint32_t)(entry + 1);
}

/* Rebuilds the hash index with room for twice the entries. */
static void index_rebuild(struct value *map)
{
	size_t slots = 16;
	while (slots < 2 * map->as.map.len)
		slots *= 2;
	free(map->as.map.index);
	map->as.map.index = xcalloc(slots, sizeof *map->as.map.index);
	map->as.map.index_mask = slots - 1;
	for (size_t i = 0; i < map->as.map.len; i++)
		index_insert(map, i);
}

/* Makes room for one more entry. The short keys move with their entries. */
static void grow_entries(struct value *map)
{
	map->as.map.cap = map->as.map.cap ? 2 * map->as.map.cap : 4;
	map->as.map.entries = xreallocarray(map->as.map.entries, map->as.map.cap,
					    sizeof *map->as.map.entries);
	for (size_t i = 0; i < map->as.map.len; i++) {
		struct value_entry *e = &map->as.map.entries[i];
		if (e->key_len < VALUE_SHORT_KEY)
			e->key = e->short_key;
	}
}

/* Sets key to child: replaces the child of an entry with that key, else adds one. The
 * key is copied, into the entry when short; owned (NULL or key itself, allocated) is
 * taken over, kept as the key when it is long. */
static void map_set(struct value *map, const char *key, size_t key_len, char *owned,
		    struct value *child)
{
	assert(map && map->type == VALUE_MAP && key && child);
	assert(map->as.map.len < UINT32_MAX);
	uint64_t hash = value_key_hash(key, key_len);
	long at = find_entry(map, key, key_len, hash);
	if (at >= 0) {
		free(owned);
		value_free(map->as.map.entries[at].value);
		map->as.map.entries[at].value = child;
		return;
	}
	if (map->as.map.len == map->as.map.cap)
		grow_entries(map);
	size_t entry = map->as.map.len++;
	struct value_entry *e = &map->as.map.entries[entry];
	e->key_len = key_len;
	e->hash = hash;
	e->value = child;
	if (key_len < VALUE_SHORT_KEY) {
		memcpy(e->short_key, key, key_len);
		e->short_key[key_len] = '\0';
		e->key = e->short_key;
		free(owned);
	} else {
		e->key = owned ? owned : xstrndup(key, key_len);
	}
	if (map->as.map.index && 2 * map->as.map.len <= map->as.map.index_mask + 1)
		index_insert(map, entry);
	else if (map->as.map.len >= VALUE_MAP_INDEX_MIN)
		index_rebuild(map);
}

void value_map_put(struct value *map, char *key, size_t key_len, struct value *child)
{
	map_set(map, key, key_len, key, child);
}

void value_map_set_n(struct value *map, const char *key, size_t key_len, struct value *child)
{
	map_set(map, key, key_len, NULL, child);
}

void value_map_set(struct value *map, const char *key, struct value *child)
{
	value_map_set_n(map, key, strlen(key), child);
}

void value_map_set_str(struct value *map, const char *key, const char *s)
{
	value_map_set(map, key, value_string_new(s));
}

void value_map_set_num(struct value *map, const char *key, double n)
{
	value_map_set(map, key, value_number_new(n));
}

void value_map_set_int(struct value *map, const char *key, long long n)
{
	value_map_set(map, key, value_int_new(n));
}

void value_map_set_bool(struct value *map, const char *key, int b)
{
	value_map_set(map, key, value_bool_new(b));
}

struct value *value_map_add_map(struct value *map, const char *key)
{
	struct value *child = value_map_new();
	value_map_set(map, key, child);
	return child;
}

struct value *value_map_add_list(struct value *map, const char *key)
{
	struct value *child = value_list_new();
	value_map_set(map, key, child);
	return child;
}

const struct value *value_map_get_hashed(const struct value *map, const char *key,
					 size_t key_len, uint64_t hash)
{
	if (!map || map->type != VALUE_MAP)
		return NULL;
	long at = find_entry(map, key, key_len, hash);
	return at < 0 ? NULL : map->as.map.entries[at].value;
}

const struct value *value_map_get_n(const struct value *map, const char *key, size_t key_len)
{
	return value_map_get_hashed(map, key, key_len, value_key_hash(key, key_len));
}

const struct value *value_map_get(const struct value *map, const char *key)
{
	return value_map_get_n(map, key, strlen(key));
}

void value_to_json(const struct value *v, struct buf *out)
{
	switch (v->type) {
	case VALUE_NULL:
		buf_puts(out, "null");
		break;
	case VALUE_BOOL:
		buf_puts(out, v->as.boolean ? "true" : "false");
		break;
	case VALUE_NUMBER:
		if (isfinite(v->as.number.n))
			buf_append(out, v->as.number.text, v->as.number.text_len);
		else
			buf_puts(out, "null");
		break;
	case VALUE_STRING:
		buf_json_string(out, v->as.string.bytes, v->as.string.len);
		break;
	case VALUE_LIST:
		buf_putc(out, '[');
		for (size_t i = 0; i < v->as.list.len; i++) {
			if (i)
				buf_putc(out, ',');
			value_to_json(v->as.list.items[i], out);
		}
		buf_putc(out, ']');
		break;
	case VALUE_MAP:
		buf_putc(out, '{');
		for (size_t i = 0; i < v->as.map.len; i++) {
			const struct value_entry *e = &v->as.map.entries[i];
			if (i)
				buf_putc(out, ',');
			buf_json_string(out, e->key, e->key_len);
			buf_putc(out, ':');
			value_to_json(e->value, out);
		}
		buf_putc(out, '}');
		break;
	}
}
