/* raw_values: reading the values of a raw row (a SELECT over a raw_* table) the way
 * every clean step does: texts normalised and interned, amounts in cents, whole
 * numbers, dates under the layout their file settled on. Empty and all-blank fields
 * count as missing. */
#ifndef CARTOGRAPH_RAW_VALUES_H
#define CARTOGRAPH_RAW_VALUES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "clean/source_runs.h"
#include "util/string_pool.h"
#include "util/buf.h"

/* How a text is normalised before it is interned. */
enum text_form {
	FORM_TEXT,        /* trimmed, inner blanks as one space */
	FORM_ID,          /* and a float-written whole number loses its ".0" */
	FORM_PRODUCT_ID,  /* and, when folding, lower-case letters become upper case */
	FORM_BODY,        /* the blanks at either end removed, character references
	                     ("&#34;") decoded (review texts) */
};

/* The column's text and length; NULL when it is NULL. */
const char *raw_text(sqlite3_stmt *st, int column, size_t *len);
/* True when the column is NULL, empty or only blanks. */
int raw_missing(sqlite3_stmt *st, int column);

/* Normalises s[0..len) in form (scratch holds the result) and interns it; returns the
 * handle, 0 when nothing is left. ORs what changed into *changed. */
uint32_t text_intern(struct string_pool *pool, struct buf *scratch, const char *s, size_t len,
		     enum text_form form, int fold_case, unsigned *changed);
/* text_intern of a column. */
uint32_t raw_intern(struct string_pool *pool, struct buf *scratch, sqlite3_stmt *st,
		    int column, enum text_form form, int fold_case, unsigned *changed);

/* Binds the column's text, normalised in form, to parameter index of target, or NULL
 * when nothing is left. scratch holds the text and must live until target is
 * stepped. Returns 1 when a text was bound, 0 for NULL; ORs changes into *changed. */
int raw_bind_text(sqlite3_stmt *target, int index, sqlite3_stmt *source, int column,
		  enum text_form form, int fold_case, struct buf *scratch, unsigned *changed);

/* Each returns 1 with the value set, 0 when the column is missing, -1 when it holds
 * something that is not such a value. */
int raw_cents(sqlite3_stmt *st, int column, int decimal_comma, int64_t *cents);
int raw_whole_number(sqlite3_stmt *st, int column, int64_t *value);
/* A date as "YYYY-MM-DD HH:MM:SS" (20 bytes with the NUL) and seconds since 1970. */
int raw_date(sqlite3_stmt *st, int column, const struct source_run *run, char text[20],
	     int64_t *seconds);

#endif
