/* csv_writer: RFC 4180 output in large blocks, published by rename. */
#include "gen/csv_writer.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { FLUSH_AT = 1 << 16 }; /* hand the buffer to stdio once it holds this much */

static char *join_path(const char *dir, const char *name, const char *suffix)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s%s", dir, name, suffix);
	return buf_detach(&b);
}

static void flush_pending(struct csv_writer *w)
{
	if (w->pending.len && fwrite(w->pending.data, 1, w->pending.len, w->file) != w->pending.len
	    && !w->write_errno)
		w->write_errno = errno ? errno : EIO;
	buf_reset(&w->pending);
}

int csv_writer_open(struct csv_writer *w, const char *dir, const char *name,
		    const char *header, struct error *err)
{
	memset(w, 0, sizeof *w);
	w->path = join_path(dir, name, "");
	w->tmp_path = join_path(dir, name, ".tmp");
	w->file = fopen(w->tmp_path, "wb");
	if (!w->file) {
		int code = error_set(err, ERR_SYSTEM, "cannot write %s: %s", w->tmp_path,
				     strerror(errno));
		csv_writer_abandon(w);
		return code;
	}
	buf_puts(&w->pending, header);
	buf_putc(&w->pending, '\n');
	return 0;
}

static void start_field(struct csv_writer *w)
{
	if (w->fields_in_row++)
		buf_putc(&w->pending, ',');
}

void csv_field_plain(struct csv_writer *w, const char *s, size_t len)
{
	start_field(w);
	buf_append(&w->pending, s, len);
}

void csv_field_n(struct csv_writer *w, const char *s, size_t len)
{
	start_field(w);
	buf_csv_field(&w->pending, s, len);
}

void csv_field(struct csv_writer *w, const char *s)
{
	csv_field_n(w, s, strlen(s));
}

void csv_field_empty(struct csv_writer *w)
{
	start_field(w);
}

/* Writes the decimal digits of v into the end of out; returns where they start. */
static char *format_unsigned(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void csv_field_int(struct csv_writer *w, int64_t v)
{
	char digits[24], *end = digits + sizeof digits;
	uint64_t magnitude = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char *p = format_unsigned(magnitude, end);
	if (v < 0)
		*--p = '-';
	csv_field_plain(w, p, (size_t)(end - p));
}

void csv_field_tagged(struct csv_writer *w, const char *tag, uint64_t number)
{
	char digits[24], *end = digits + sizeof digits;
	char *p = format_unsigned(number, end);
	start_field(w);
	buf_puts(&w->pending, tag);
	buf_append(&w->pending, p, (size_t)(end - p));
}

void csv_field_cents(struct csv_writer *w, int64_t cents)
{
	char digits[32], *end = digits + sizeof digits;
	uint64_t magnitude = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	char *p = end;
	*--p = (char)('0' + magnitude % 10);
	*--p = (char)('0' + magnitude / 10 % 10);
	*--p = '.';
	p = format_unsigned(magnitude / 100, p);
	if (cents < 0)
		*--p = '-';
	csv_field_plain(w, p, (size_t)(end - p));
}

void csv_end_row(struct csv_writer *w)
{
	assert(w->file);
	buf_putc(&w->pending, '\n');
	w->fields_in_row = 0;
	w->rows++;
	if (w->pending.len >= FLUSH_AT)
		flush_pending(w);
}

int csv_writer_close(struct csv_writer *w, struct error *err)
{
	int rc = 0;
	assert(w->file && w->fields_in_row == 0);
	flush_pending(w);
	if (fflush(w->file) != 0 && !w->write_errno)
		w->write_errno = errno;
	if (fclose(w->file) != 0 && !w->write_errno)
		w->write_errno = errno;
	w->file = NULL;
	if (w->write_errno) {
		rc = error_set(err, ERR_SYSTEM, "cannot write %s: %s", w->tmp_path,
			       strerror(w->write_errno));
		goto done;
	}
	if (rename(w->tmp_path, w->path) != 0) {
		rc = error_set(err, ERR_SYSTEM, "cannot rename %s to %s: %s", w->tmp_path,
			       w->path, strerror(errno));
		goto done;
	}
	free(w->tmp_path); /* published: nothing left to remove */
	w->tmp_path = NULL;
done:
	csv_writer_abandon(w);
	return rc;
}

void csv_writer_abandon(struct csv_writer *w)
{
	if (w->file) {
		fclose(w->file);
		w->file = NULL;
	}
	if (w->tmp_path)
		remove(w->tmp_path);
	free(w->path);
	free(w->tmp_path);
	w->path = w->tmp_path = NULL;
	buf_free(&w->pending);
}
