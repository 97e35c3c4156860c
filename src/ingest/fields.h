/* fields: the kinds of data set Cartograph ingests, their canonical fields, the header
 * spellings each field is known by, and matching a file's header to them.
 *
 * Headers are compared after folding: lower case, letters and digits only, so
 * "Order ID", "order_id" and "OrderId" are the same. Each field lists its synonyms
 * best first; when two headers could fill one field, the better synonym wins, and the
 * other column is kept as an unknown (extra) column. */
#ifndef CARTOGRAPH_FIELDS_H
#define CARTOGRAPH_FIELDS_H

#include <stddef.h>

#include "ingest/csv_reader.h"
#include "util/error.h"

#define MAX_FIELDS 24

enum field_type {
	FIELD_TEXT,
	FIELD_INT,
	FIELD_DECIMAL, /* money, discounts: exact decimal */
	FIELD_DATE,
};

enum field_rule {
	FIELD_OPTIONAL = 0,
	FIELD_REQUIRED = 1, /* the column must exist and every row must have a value */
	FIELD_ONE_OF = 2,   /* at least one field so marked must have a column */
};

struct field_def {
	const char *name;              /* canonical name, also the raw table's column */
	enum field_type type;
	enum field_rule rule;
	const char *const *synonyms;   /* folded header spellings, best first, NULL-ended */
};

struct kind_def {
	const char *name;              /* order_lines, products, ... */
	const char *raw_table;         /* raw_order_lines, ... */
	const struct field_def *fields;
	int field_count;
};

/* How one file's columns map to a kind's fields. */
struct column_map {
	const struct kind_def *kind;
	int column_of_field[MAX_FIELDS]; /* column index per field, -1 when absent */
	int *field_of_column;            /* field index per column, -1 for extra columns */
	int column_count;
};

const struct kind_def *kind_find(const char *name);
/* All kinds, for help texts and kind detection. */
const struct kind_def *kind_list(int *count);
/* Index of the canonical field name in kind, or -1. */
int kind_field_index(const struct kind_def *kind, const char *field);

/* Folds a header into out (at most out_size-1 bytes): lower case, [a-z0-9] only, the
 * accented letters of Latin-1 written without their accents ("Quantité": "quantite"). */
void header_fold(const char *header, size_t len, char *out, size_t out_size);

/* Detects the kind from a header row (when *kind is NULL) and maps its columns, with
 * --map overrides ("field=Header" strings, n of them). Errors name the file, list what
 * was seen, and say which required column is missing. Returns 0 or ERR_INPUT. */
int column_map_build(const char *path, const struct csv_row *header,
		     const struct kind_def *kind, char *const *overrides, int override_count,
		     struct column_map *map, struct error *err);
void column_map_free(struct column_map *map);

#endif
