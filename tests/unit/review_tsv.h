/* review_tsv: reads the Amazon Alexa reviews of ../shared/datasets (tab-separated, UTF-8
 * BOM, CRLF, some fields quoted) for the sentiment tests and benchmark. Only the columns
 * rating and verified_reviews are kept. Header-only, as a test helper. */
#ifndef CARTOGRAPH_REVIEW_TSV_H
#define CARTOGRAPH_REVIEW_TSV_H

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define ALEXA_REVIEWS_PATH "../shared/datasets/amazon_alexa_reviews.tsv"

struct alexa_review {
	int rating; /* stars, 1 to 5 */
	char *text; /* the review, NUL-terminated; may be empty */
	size_t len; /* bytes of text */
};

struct alexa_reviews {
	struct alexa_review *items; /* reviews in file order */
	size_t count;               /* reviews read */
	size_t cap;                 /* reviews allocated */
};

/* The reader's state while libcsv hands it fields. */
struct alexa_reader {
	struct alexa_reviews *reviews; /* where rows go */
	size_t field;                  /* index of the field within the current row */
	long row;                      /* rows seen, the header being row 0 */
	int rating_column, text_column; /* found in the header; -1 until then */
	int rating;                    /* the current row's rating */
	struct buf text;               /* the current row's review */
	int bad;                       /* 1 when the header lacks a needed column */
};

static inline void alexa_reader_field(void *data, size_t len, void *reader_)
{
	struct alexa_reader *r = reader_;
	const char *s = data ? data : "";
	int column = (int)r->field++;
	if (r->row == 0) {
		if (len == 6 && memcmp(s, "rating", 6) == 0)
			r->rating_column = column;
		if (len == 16 && memcmp(s, "verified_reviews", 16) == 0)
			r->text_column = column;
		return;
	}
	if (column == r->rating_column)
		r->rating = len == 1 && s[0] >= '1' && s[0] <= '5' ? s[0] - '0' : 0;
	else if (column == r->text_column)
		buf_append(&r->text, s, len);
}

static inline void alexa_reader_row_end(int terminator, void *reader_)
{
	struct alexa_reader *r = reader_;
	(void)terminator;
	if (r->row++ == 0) {
		r->bad = r->rating_column < 0 || r->text_column < 0;
	} else if (r->rating > 0) {
		struct alexa_reviews *out = r->reviews;
		if (out->count == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 1024;
			out->items = xreallocarray(out->items, out->cap, sizeof *out->items);
		}
		struct alexa_review *review = &out->items[out->count++];
		review->rating = r->rating;
		review->len = r->text.len;
		review->text = xstrndup(buf_str(&r->text), r->text.len);
	}
	r->field = 0;
	r->rating = 0;
	buf_reset(&r->text);
}

/* Only the space character is trimmed: tab is the delimiter here. */
static inline int alexa_is_space(unsigned char c)
{
	return c == ' ';
}

/* Reads the file at path; returns 0, -1 when it is absent, -2 when it is not the
 * expected file. */
static inline int alexa_reviews_load(const char *path, struct alexa_reviews *out)
{
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct alexa_reader r = {out, 0, 0, -1, -1, 0, BUF_INIT, 0};
	struct csv_parser parser;
	if (csv_init(&parser, 0) != 0) {
		fclose(f);
		return -2;
	}
	csv_set_delim(&parser, '\t');
	csv_set_space_func(&parser, alexa_is_space);
	char chunk[65536];
	size_t n, total = 0;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		size_t skip = total == 0 && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		total += n;
		if (csv_parse(&parser, chunk + skip, n - skip, alexa_reader_field,
			      alexa_reader_row_end, &r) != n - skip)
			rc = -2;
	}
	csv_fini(&parser, alexa_reader_field, alexa_reader_row_end, &r);
	csv_free(&parser);
	buf_free(&r.text);
	fclose(f);
	if (r.bad || out->count == 0)
		rc = -2;
	return rc;
}

static inline void alexa_reviews_free(struct alexa_reviews *reviews)
{
	for (size_t i = 0; i < reviews->count; i++)
		free(reviews->items[i].text);
	free(reviews->items);
	memset(reviews, 0, sizeof *reviews);
}

#endif
