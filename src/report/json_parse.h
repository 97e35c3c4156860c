/* json_parse: JSON text (RFC 8259, strictly) to a value tree, for template data given
 * on the command line and for tests.
 *
 * Errors name the place the way an editor shows it, with 1-based line and column
 * (columns count characters, not bytes):
 *     data.json:3:14: expected ',' or '}'
 * Nesting is bounded by JSON_MAX_DEPTH, so hostile input cannot exhaust the stack.
 * \u escapes (surrogate pairs included) become UTF-8; invalid UTF-8 is rejected.
 * A leading byte order mark is ignored, as RFC 8259 allows. */
#ifndef CARTOGRAPH_JSON_PARSE_H
#define CARTOGRAPH_JSON_PARSE_H

#include <stddef.h>

#include "report/value.h"
#include "util/error.h"

/* Arrays and objects nested deeper than this are an error. */
#define JSON_MAX_DEPTH 1000

/* Parses len bytes of text; name is what messages call the input ("data.json",
 * "<stdin>"). On success sets *out to a new tree the caller frees with value_free and
 * returns 0; on failure returns ERR_INPUT with err filled and *out set to NULL. */
int json_parse(const char *name, const char *text, size_t len, struct value **out,
	       struct error *err);

#endif
