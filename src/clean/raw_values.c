/* raw_values: column readers shared by the clean steps. */
#include "clean/raw_values.h"

#include <string.h>

#include "clean/normalize.h"
#include "util/parse_value.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *raw_text(sqlite3_stmt *st, int column, size_t *len)
{
	const char *s = (const char *)sqlite3_column_text(st, column);
	*len = s ? (size_t)sqlite3_column_bytes(st, column) : 0;
	return s;
}

int raw_missing(sqlite3_stmt *st, int column)
{
	size_t len;
	const char *s = raw_text(st, column, &len);
	for (size_t i = 0; s && i < len; i++)
		if (!is_blank(s[i]))
			return 0;
	return 1;
}

/* Writes s in form into scratch (NUL-terminated) and returns its length. */
static size_t normalize_form(const char *s, size_t len, enum text_form form, int fold_case,
			     struct buf *scratch, unsigned *changed)
{
	size_t n = 0;
	buf_reset(scratch);
	buf_grow(scratch, len);
	switch (form) {
	case FORM_TEXT:
		n = normalize_text(s, len, scratch->data, changed);
		break;
	case FORM_ID:
	case FORM_PRODUCT_ID:
		n = normalize_id(s, len, form == FORM_PRODUCT_ID && fold_case, scratch->data,
				 changed);
		break;
	case FORM_BODY:
		while (len && is_blank(*s))
			s++, len--;
		while (len && is_blank(s[len - 1]))
			len--;
		memcpy(scratch->data, s, len);
		n = decode_character_references(scratch->data, len, changed);
		break;
	}
	scratch->data[n] = '\0';
	scratch->len = n;
	return n;
}

uint32_t text_intern(struct string_pool *pool, struct buf *scratch, const char *s, size_t len,
		     enum text_form form, int fold_case, unsigned *changed)
{
	if (!s || !len)
		return 0;
	size_t n = normalize_form(s, len, form, fold_case, scratch, changed);
	return string_pool_intern(pool, scratch->data, n);
}

int raw_bind_text(sqlite3_stmt *target, int index, sqlite3_stmt *source, int column,
		  enum text_form form, int fold_case, struct buf *scratch, unsigned *changed)
{
	size_t len;
	const char *s = raw_text(source, column, &len);
	size_t n = s && len ? normalize_form(s, len, form, fold_case, scratch, changed) : 0;
	if (!n) {
		sqlite3_bind_null(target, index);
		return 0;
	}
	sqlite3_bind_text(target, index, scratch->data, (int)n, SQLITE_STATIC);
	return 1;
}

uint32_t raw_intern(struct string_pool *pool, struct buf *scratch, sqlite3_stmt *st,
		    int column, enum text_form form, int fold_case, unsigned *changed)
{
	size_t len;
	const char *s = raw_text(st, column, &len);
	return text_intern(pool, scratch, s, len, form, fold_case, changed);
}

int raw_cents(sqlite3_stmt *st, int column, int decimal_comma, int64_t *cents)
{
	size_t len;
	int64_t micros;
	const char *s = raw_text(st, column, &len);
	if (raw_missing(st, column))
		return 0;
	if (parse_decimal(s, len, decimal_comma, &micros) < 0)
		return -1;
	*cents = micros_to_cents(micros);
	return 1;
}

int raw_whole_number(sqlite3_stmt *st, int column, int64_t *value)
{
	size_t len;
	const char *s = raw_text(st, column, &len);
	if (raw_missing(st, column))
		return 0;
	return parse_int(s, len, value) == 0 ? 1 : -1;
}

int raw_date(sqlite3_stmt *st, int column, const struct source_run *run, char text[20],
	     int64_t *seconds)
{
	size_t len;
	struct datetime dt;
	const char *s = raw_text(st, column, &len);
	if (raw_missing(st, column))
		return 0;
	if (source_run_parse_date(run, s, len, &dt) < 0)
		return -1;
	datetime_format(&dt, text);
	*seconds = datetime_seconds(&dt);
	return 1;
}
