/* build_chart: turning a chart spec into what a page shows: the PNG at 1x and 2x and
 * the CSV as content-hashed assets, the alt text, and the numbers again as a table for
 * screen readers (read back from the chart's own CSV, so the table and the download
 * always agree). PNGs whose spec did not change since the last build are taken from
 * out/ instead of drawn again (chart_cache.h). */
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

static void add_table(struct value *map, const struct buf *csv)
{
	struct value *table = value_map_add_map(map, "table");
	struct value *head = value_map_add_list(table, "head");
	struct value *rows = value_map_add_list(table, "rows");
	size_t used = split_csv_line(csv->data, csv->len, head);
	while (used < csv->len) {
		struct value *row = value_list_add_map(rows);
		used += split_csv_line(csv->data + used, csv->len - used,
				       value_map_add_list(row, "cells"));
	}
}

/* Adds the PNG of spec at scale under stem + suffix: the bytes an earlier build drew for
 * the same key when out/ still holds them (chart_cache.h), else a fresh render. */
static int add_png(struct build *b, const struct chart_spec *spec, int scale,
		   const char *stem, const char *suffix, const char **href, struct error *err)
{
	struct buf png = BUF_INIT;
	char name[256], key[65];
	snprintf(name, sizeof name, "%s%s", stem, suffix);
	int keyed = chart_cache_key(b->chart_cache, spec, scale, key), rc = 0;
	if (!keyed || !chart_cache_find(b->chart_cache, key, &png))
		rc = chart_render_png(spec, scale, &png, err);
	if (rc == 0)
		rc = site_add_asset(b->site, name, ".png", png.data, png.len, href, err);
	if (rc == 0 && keyed)
		chart_cache_remember(b->chart_cache, key, *href, png.data, png.len);
	buf_free(&png);
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
	const char *src = NULL, *src2x = NULL, *phone_src = NULL, *csv_href = NULL;
	struct buf csv = BUF_INIT, alt = BUF_INIT;
	struct chart_spec phone = phone_spec(spec);
	char path[256];
	snprintf(path, sizeof path, "charts/%s", stem);
	int rc = add_png(b, spec, 1, path, "", &src, err);
	if (rc == 0)
		rc = add_png(b, spec, 2, path, "@2x", &src2x, err);
	if (rc == 0)
		rc = add_png(b, &phone, 2, path, "@phone", &phone_src, err);
	if (rc == 0)
		rc = chart_write_csv(spec, &csv, err);
	if (rc == 0)
		rc = site_add_asset(b->site, path, ".csv", csv.data ? csv.data : "", csv.len,
				    &csv_href, err);
	if (rc == 0)
		rc = chart_alt_text(spec, &alt, err);
	if (rc == 0) {
		value_map_set_str(map, "src", src);
		value_map_set_str(map, "src2x", src2x);
		value_map_set_str(map, "phone", phone_src);
		value_map_set_str(map, "csv", csv_href);
		value_map_set_str(map, "alt", buf_str(&alt));
		value_map_set_str(map, "title", spec->title ? spec->title : "");
		if (spec->subtitle && *spec->subtitle)
			value_map_set_str(map, "subtitle", spec->subtitle);
		set_size(map, "width", "width2x", "height", spec);
		set_size(map, "phone_width", "phone_width2x", "phone_height", &phone);
		add_table(map, &csv);
		b->summary->charts++;
	} else
		error_prefix(err, "chart '%s'", stem);
	buf_free(&csv);
	buf_free(&alt);
	return rc;
}
