/* buf: the growable byte buffer used for every piece of generated text. */
#include "util/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_html_escape(struct buf *b, const char *s, size_t len)
{
	static const char *const replacement[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	buf_grow(b, len);
	while (p < end) {
		const unsigned char *run = p;
		while (p < end && !replacement[*p])
			p++;
		buf_append(b, run, (size_t)(p - run));
		if (p < end)
			buf_puts(b, replacement[*p++]);
	}
}

void buf_csv_field(struct buf *b, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
		i++;
	if (i == len) {
		buf_append(b, s, len);
		return;
	}
	buf_putc(b, '"');
	for (size_t start = 0; start < len;) {
		const char *quote = memchr(s + start, '"', len - start);
		size_t end = quote ? (size_t)(quote - s) + 1 : len;
		buf_append(b, s + start, end - start);
		if (quote)
			buf_putc(b, '"');
		start = end;
	}
	buf_putc(b, '"');
}

void buf_json_string(struct buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '<': buf_puts(b, "\\u003c"); break; /* safe inside <script> */
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

int buf_read_stream(struct buf *b, FILE *f, const char *name, struct error *err)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(b, chunk, n);
	if (ferror(f))
		return error_set(err, ERR_SYSTEM, "cannot read '%s': %s", name, strerror(errno));
	return 0;
}

int buf_read_file(struct buf *b, const char *path, struct error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
	int rc = buf_read_stream(b, f, path, err);
	fclose(f);
	return rc;
}
