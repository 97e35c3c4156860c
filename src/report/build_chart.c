/* build_chart: turning a chart spec into what a page shows: the PNG at 1x and 2x and
 * the CSV as content-hashed assets, the alt text, and the numbers again as a table for
 * screen readers (read back from the chart's own CSV, so the table and the download
 * always agree, and written as the chart writes them: chart_table). PNGs whose spec did
 * not change since the last build are taken from out/ instead of drawn again
 * (chart_cache.h); the others are drawn on two threads. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "report/build_internal.h"

/* Splits one line of RFC 4180 CSV (as the chart library writes it) into cells of list.
 * Returns the bytes consumed, line end included. */
static size_t split_csv_line(const char *s, size_t len, struct value *cells)
{
	size_t i = 0;
	struct buf cell = BUF_INIT;
	for (;;) {
		buf_reset(&cell);
		if (i < len && s[i] == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
					buf_putc(&cell, s[i++]);
				else if (s[i] == '"') {
					i++;
					break;
				} else
					buf_putc(&cell, s[i]);
			}
		}
		while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
			buf_putc(&cell, s[i++]);
		value_list_push(cells, value_string_new_n(buf_str(&cell), cell.len));
		if (i < len && s[i] == ',') {
			i++;
			continue;
		}
		break;
	}
	while (i < len && (s[i] == '\r' || s[i] == '\n'))
		i++;
	buf_free(&cell);
	return i;
}

/* The CSV's cells of one line in list, each written as the table shows it. */
static size_t add_table_row(const struct chart_spec *spec, const struct value *head,
			    const char *s, size_t len, struct value *cells)
{
	struct value *raw = value_list_new();
	size_t used = split_csv_line(s, len, raw);
	struct buf cell = BUF_INIT;
	for (size_t c = 0; c < raw->as.list.len; c++) {
		const char *heading = c < head->as.list.len ? head->as.list.items[c]->as.string.bytes : "";
		buf_reset(&cell);
		chart_table_cell(spec, chart_csv_column(spec, c, heading),
				 raw->as.list.items[c]->as.string.bytes, &cell);
		value_list_push(cells, value_string_new_n(buf_str(&cell), cell.len));
	}
	buf_free(&cell);
	value_free(raw);
	return used;
}

/* The chart's numbers as a table for screen readers: the CSV, headings in words and
 * figures as the chart writes them. */
static void add_table(struct value *map, const struct chart_spec *spec, const struct buf *csv)
{
	struct value *table = value_map_add_map(map, "table");
	struct value *head = value_list_new();
	struct value *headings = value_map_add_list(table, "head");
	struct value *rows = value_map_add_list(table, "rows");
	size_t used = split_csv_line(csv->data, csv->len, head);
	struct buf words = BUF_INIT;
	for (size_t c = 0; c < head->as.list.len; c++) {
		buf_reset(&words);
		chart_table_heading(spec, head->as.list.items[c]->as.string.bytes, &words);
		value_list_push(headings, value_string_new_n(buf_str(&words), words.len));
	}
	while (used < csv->len) {
		struct value *row = value_list_add_map(rows);
		used += add_table_row(spec, head, csv->data + used, csv->len - used,
				      value_map_add_list(row, "cells"));
	}
	buf_free(&words);
	value_free(head);
}

/* One PNG of a chart: which spec at which scale, and the bytes, from the chart cache
 * or drawn. */
struct png_job {
	const struct chart_spec *spec;
	int scale;
	const char *suffix; /* after the stem: "", "@2x", "@phone" */
	char key[65];       /* chart cache key */
	int keyed;          /* key is valid */
	int cached;         /* png came from the cache */
	struct buf png;
	struct error err;
	int rc;
};

/* At most this many charts are drawn at once in the whole build, whichever lane asks:
 * a 2x chart takes up to 14 MB while it is drawn and packed, and two cores draw no
 * faster with more in hand. */
#define DRAWN_AT_ONCE 2

static pthread_mutex_t drawing_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drawing_done = PTHREAD_COND_INITIALIZER;
static int drawing; /* charts being drawn */

static void *render_job(void *arg)
{
	struct png_job *job = arg;
	pthread_mutex_lock(&drawing_lock);
	while (drawing >= DRAWN_AT_ONCE)
		pthread_cond_wait(&drawing_done, &drawing_lock);
	drawing++;
	pthread_mutex_unlock(&drawing_lock);
	job->rc = chart_render_png(job->spec, job->scale, &job->png, &job->err);
	pthread_mutex_lock(&drawing_lock);
	drawing--;
	pthread_cond_signal(&drawing_done);
	pthread_mutex_unlock(&drawing_lock);
	return NULL;
}

/* Draws the jobs the cache could not fill: the first on a second thread while this one
 * draws the rest, so a chart's PNGs take the time of the biggest rather than the sum
 * (the drawing shares nothing but the glyph cache, which locks itself). Drawing on
 * one thread is the fallback when no thread can be started. */
static int render_missing(struct png_job *jobs, size_t n, struct error *err)
{
	pthread_t worker;
	struct png_job *first = NULL;
	for (size_t i = 0; i < n && !first; i++)
		if (!jobs[i].cached)
			first = &jobs[i];
	int threaded = first && pthread_create(&worker, NULL, render_job, first) == 0;
	for (size_t i = 0; i < n; i++)
		if (!jobs[i].cached && (&jobs[i] != first || !threaded))
			render_job(&jobs[i]);
	if (threaded)
		pthread_join(worker, NULL);
	for (size_t i = 0; i < n; i++)
		if (!jobs[i].cached && jobs[i].rc < 0) {
			*err = jobs[i].err;
			return jobs[i].rc;
		}
	return 0;
}

/* Adds the PNGs of the jobs under stem + suffix, each href into hrefs: the bytes an
 * earlier build drew for the same key when out/ still holds them (chart_cache.h), else
 * fresh renders. */
static int add_pngs(struct build *b, struct png_job *jobs, size_t n, const char *stem,
		    const char **hrefs, struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct png_job *job = &jobs[i];
		job->keyed = chart_cache_key(b->chart_cache, job->spec, job->scale, job->key);
		job->cached = job->keyed && chart_cache_find(b->chart_cache, job->key, &job->png);
	}
	int rc = render_missing(jobs, n, err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char name[256];
		snprintf(name, sizeof name, "%s%s", stem, jobs[i].suffix);
		rc = site_add_asset(b->site, name, ".png", jobs[i].png.data, jobs[i].png.len,
				    &hrefs[i], err);
		if (rc == 0 && jobs[i].keyed)
			chart_cache_remember(b->chart_cache, jobs[i].key, hrefs[i],
					     jobs[i].png.data, jobs[i].png.len);
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&jobs[i].png);
	return rc;
}

/* The chart drawn again for a phone, at the size chart_phone_size chooses. */
static struct chart_spec phone_spec(const struct chart_spec *spec)
{
	struct chart_spec phone = *spec;
	chart_phone_size(spec, &phone.width, &phone.height);
	return phone;
}

static void set_size(struct value *map, const char *key, const char *key2x,
		     const char *height_key, const struct chart_spec *spec)
{
	int width = spec->width ? spec->width : CHART_DEFAULT_WIDTH;
	value_map_set_int(map, key, width);
	value_map_set_int(map, key2x, 2 * width); /* srcset: the 2x PNG's pixels */
	value_map_set_int(map, height_key, spec->height ? spec->height : CHART_DEFAULT_HEIGHT);
}

int build_chart(struct build *b, const struct chart_spec *spec, const char *stem,
		struct value *map, struct error *err)
{
	const char *png[3] = {NULL, NULL, NULL}, *csv_href = NULL;
	struct buf csv = BUF_INIT, alt = BUF_INIT;
	struct chart_spec phone = phone_spec(spec);
	/* The biggest first: it goes to the second thread. */
	struct png_job jobs[3] = {
		{.spec = spec, .scale = 2, .suffix = "@2x", .png = BUF_INIT},
		{.spec = spec, .scale = 1, .suffix = "", .png = BUF_INIT},
		{.spec = &phone, .scale = 2, .suffix = "@phone", .png = BUF_INIT},
	};
	char path[256];
	snprintf(path, sizeof path, "charts/%s", stem);
	int rc = add_pngs(b, jobs, 3, path, png, err);
	if (rc == 0)
		rc = chart_write_csv(spec, &csv, err);
	if (rc == 0)
		rc = site_add_asset(b->site, path, ".csv", csv.data ? csv.data : "", csv.len,
				    &csv_href, err);
	if (rc == 0)
		rc = chart_alt_text(spec, &alt, err);
	if (rc == 0) {
		value_map_set_str(map, "src", png[1]);
		value_map_set_str(map, "src2x", png[0]);
		value_map_set_str(map, "phone", png[2]);
		value_map_set_str(map, "csv", csv_href);
		value_map_set_str(map, "alt", buf_str(&alt));
		value_map_set_str(map, "title", spec->title ? spec->title : "");
		if (spec->subtitle && *spec->subtitle)
			value_map_set_str(map, "subtitle", spec->subtitle);
		set_size(map, "width", "width2x", "height", spec);
		set_size(map, "phone_width", "phone_width2x", "phone_height", &phone);
		add_table(map, spec, &csv);
		b->summary->charts++;
	} else
		error_prefix(err, "chart '%s'", stem);
	buf_free(&csv);
	buf_free(&alt);
	return rc;
}
