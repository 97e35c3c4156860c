/* value: the data a template is rendered with. A small tree of nulls, booleans,
 * numbers, strings, lists and maps, filled by report pages from SQL results or read
 * from JSON (json_parse.h).
 *
 * Ownership is plain: value_*_new returns a value the caller owns; value_list_push and
 * value_map_set* take ownership of the child they are given; value_free frees a value
 * and everything below it. Lookups lend pointers that live as long as the tree.
 *
 * Maps keep their keys in insertion order (so value_to_json is deterministic) and build
 * a hash index once they hold more than a few keys, so lookups in big pages stay fast.
 * Numbers keep the text they render as, made once when they are created: "12" for
 * integral values, else the shortest text that reads back as the same double.
 *
 * The structs are public so the template engine can walk them without calls; code
 * outside value.c reads their fields but changes a value only through these functions. */
#ifndef CARTOGRAPH_VALUE_H
#define CARTOGRAPH_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum value_type { VALUE_NULL, VALUE_BOOL, VALUE_NUMBER, VALUE_STRING, VALUE_LIST, VALUE_MAP };

/* Room for the longest shortest-round-trip text of a double, e.g.
 * "-2.2250738585072014e-308", and its NUL. */
#define VALUE_NUMBER_TEXT_SIZE 32

/* Keys shorter than this are kept in the entry itself, not allocated. */
#define VALUE_SHORT_KEY 24

struct value_entry {
	char *key;           /* NUL-terminated copy of the key: short_key, or allocated */
	size_t key_len;      /* bytes in key (a JSON key may hold a NUL) */
	uint64_t hash;       /* value_key_hash(key, key_len) */
	struct value *value; /* the child, owned by the map */
	char short_key[VALUE_SHORT_KEY]; /* the key, when key_len < VALUE_SHORT_KEY */
};

struct value {
	enum value_type type;
	union {
		int boolean; /* VALUE_BOOL: 0 or 1 */
		struct {
			double n;                          /* the number */
			char text[VALUE_NUMBER_TEXT_SIZE]; /* how it renders, NUL-terminated */
			size_t text_len;                   /* bytes in text */
		} number;
		struct {
			char *bytes; /* NUL-terminated (may hold NULs before the end); a
					copy's bytes follow the struct in its allocation */
			size_t len;  /* bytes, not counting the final NUL */
		} string;
		struct {
			struct value **items; /* owned children, in order */
			size_t len;           /* items in use */
			size_t cap;           /* items allocated */
		} list;
		struct {
			struct value_entry *entries; /* in insertion order */
			size_t len;                  /* entries in use */
			size_t cap;                  /* entries allocated */
			uint32_t *index;      /* hash slots holding entry number + 1 (0: free);
			                         NULL while the map is small */
			size_t index_mask;    /* slots - 1 (slots is a power of two) */
		} map;
	} as;
};

struct value *value_null_new(void);
struct value *value_bool_new(int b);
struct value *value_number_new(double n);
struct value *value_int_new(long long n);
/* A copy of the C string s; NULL gives a null value (an SQL NULL stays NULL). */
struct value *value_string_new(const char *s);
/* A copy of len bytes of s. */
struct value *value_string_new_n(const char *s, size_t len);
/* Takes ownership of s (malloc'd, len bytes followed by a NUL). */
struct value *value_string_take(char *s, size_t len);
struct value *value_list_new(void);
struct value *value_map_new(void);
/* A deep copy of v (a null value for NULL). */
struct value *value_copy(const struct value *v);
/* Frees v and all it owns; NULL is fine. */
void value_free(struct value *v);

/* Appends child (owned from now on) to list. */
void value_list_push(struct value *list, struct value *child);
/* Appends a new empty map or list to list and returns it (still owned by list). */
struct value *value_list_add_map(struct value *list);
struct value *value_list_add_list(struct value *list);

/* Sets key to child (owned from now on); an existing key keeps its place and its old
 * value is freed. */
void value_map_set(struct value *map, const char *key, struct value *child);
void value_map_set_n(struct value *map, const char *key, size_t key_len, struct value *child);
/* Like value_map_set_n but also takes ownership of key (malloc'd and NUL-terminated). */
void value_map_put(struct value *map, char *key, size_t key_len, struct value *child);
/* Shorthands for filling pages from C; set_str with NULL sets null. */
void value_map_set_str(struct value *map, const char *key, const char *s);
void value_map_set_num(struct value *map, const char *key, double n);
void value_map_set_int(struct value *map, const char *key, long long n);
void value_map_set_bool(struct value *map, const char *key, int b);
/* Sets key to a new empty map or list and returns it (owned by map). */
struct value *value_map_add_map(struct value *map, const char *key);
struct value *value_map_add_list(struct value *map, const char *key);

/* The value at key, or NULL when map is not a map or has no such key. */
const struct value *value_map_get(const struct value *map, const char *key);
const struct value *value_map_get_n(const struct value *map, const char *key, size_t key_len);
/* Same, with hash = value_key_hash(key, key_len) worked out beforehand. */
const struct value *value_map_get_hashed(const struct value *map, const char *key,
					 size_t key_len, uint64_t hash);
uint64_t value_key_hash(const char *key, size_t key_len);

/* Appends v as compact JSON: maps in insertion order, numbers as they render,
 * non-finite numbers as null. */
void value_to_json(const struct value *v, struct buf *out);

#endif
