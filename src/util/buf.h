/* buf: one growable byte buffer for building text (HTML, JSON, CSV, messages).
 *
 * A buf is always NUL-terminated once anything was appended, so buf.data can be
 * passed where a C string is wanted. Appending never fails: out of memory aborts,
 * because no caller could do anything sensible with a half-built page. */
#ifndef CARTOGRAPH_BUF_H
#define CARTOGRAPH_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

struct buf {
	char *data; /* bytes, NUL-terminated; NULL until the first append */
	size_t len; /* bytes in use, not counting the NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT {NULL, 0, 0}

void buf_grow(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Empties the buffer but keeps its memory for reuse. */
void buf_reset(struct buf *b);
/* Returns the contents as a C string ("" when empty); the buffer keeps ownership. */
const char *buf_str(const struct buf *b);
/* Hands the contents over to the caller (who frees them) and leaves b empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

/* Appends everything left in f (named name in messages). Returns 0, or ERR_SYSTEM
 * on a read error. */
int buf_read_stream(struct buf *b, FILE *f, const char *name, struct error *err);
/* Appends the whole file at path. Returns 0, ERR_INPUT when it cannot be opened
 * ("cannot open 'PATH': reason"), or ERR_SYSTEM on a read error. */
int buf_read_file(struct buf *b, const char *path, struct error *err);

/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_html_escape(struct buf *b, const char *s, size_t len);
/* Appends s as one RFC 4180 CSV field: quoted (with quotes doubled) only when it
 * holds a comma, a quote or a line break. */
void buf_csv_field(struct buf *b, const char *s, size_t len);
/* Appends s as a JSON string literal, quotes included. */
void buf_json_string(struct buf *b, const char *s, size_t len);

#endif
