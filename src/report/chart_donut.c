/* chart_donut: shares of a whole, e.g. revenue by payment method.
 *
 * Slices run clockwise from twelve o'clock, largest first, so the eye compares them in
 * order. Past seven categories the smallest are merged into a grey "Other": more
 * slices than that cannot be told apart by colour. The hole holds the total; the
 * legend beside the ring is a small table (name, value, share) because a donut alone
 * makes exact comparisons hard. Zero, negative and missing values are left out: they
 * are not shares. */
#include <math.h>
#include <stdlib.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define PI 3.14159265358979323846
#define MAX_SLICES 7
#define ROW_H 24.0

struct slice {
	const char *name; /* category, or "Other" */
	double value;     /* positive */
	size_t order;     /* position in the input, to keep sorting stable */
	struct rgba color;
};

static int by_value_desc(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Builds the slices (caller frees); returns how many, and the total in *total. */
static size_t make_slices(const struct chart_spec *spec, struct slice **out, double *total)
{
	size_t n = spec_points(spec), count = 0;
	const struct chart_series *s = spec->series_count ? &spec->series[0] : NULL;
	struct slice *sl = xcalloc(n + 1, sizeof *sl);
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		double v = series_value(s, i);
		if (!(v > 0))
			continue;
		sl[count++] = (struct slice){spec_category(spec, i), v, i, COLOR_OTHER};
		*total += v;
	}
	qsort(sl, count, sizeof *sl, by_value_desc);
	if (count > MAX_SLICES) {
		double rest = 0;
		for (size_t i = MAX_SLICES - 1; i < count; i++)
			rest += sl[i].value;
		count = MAX_SLICES;
		sl[count - 1] = (struct slice){"Other", rest, n, COLOR_OTHER};
	}
	for (size_t i = 0; i < count; i++)
		if (sl[i].order < n)
			sl[i].color = palette_color(i);
	*out = sl;
	return count;
}

/* Appends a share: whole percent from 10% up, one decimal below. */
static void share_text(double share, struct buf *out)
{
	static const struct chart_format pct = {CHART_PERCENT, NULL, 0};
	format_value_decimals(&pct, share, share < 0.0995 ? 1 : 0, 0, out);
}

static void draw_ring(struct canvas *cv, const struct slice *sl, size_t n, double total,
		      double cx, double cy, double r_out, double r_in)
{
	double at = 0;
	for (size_t i = 0; i < n; i++) {
		double sweep = 2 * PI * sl[i].value / total;
		cv_fill_arc(cv, cx, cy, r_out, r_in, at, at + sweep, sl[i].color);
		at += sweep;
	}
	/* White seams between slices (none when one slice is the whole). */
	if (n > 1) {
		at = 0;
		for (size_t i = 0; i < n; i++) {
			double dx = sin(at), dy = -cos(at);
			cv_line(cv, cx + dx * (r_in - 1), cy + dy * (r_in - 1), cx + dx * (r_out + 1),
				cy + dy * (r_out + 1), 2, COLOR_BACKGROUND);
			at += 2 * PI * sl[i].value / total;
		}
	}
	/* Shares written on slices wide enough for them. */
	struct buf t = BUF_INIT;
	at = 0;
	double mid_r = (r_out + r_in) / 2, band = r_out - r_in;
	for (size_t i = 0; i < n; i++) {
		double sweep = 2 * PI * sl[i].value / total, mid = at + sweep / 2;
		at += sweep;
		buf_reset(&t);
		share_text(sl[i].value / total, &t);
		double w = cv_text_width(cv, buf_str(&t), SIZE_VALUE, 1);
		if (sweep * mid_r < w + 8 || band < SIZE_VALUE + 6 || band < w * 0.8)
			continue;
		cv_text_mid(cv, cx + sin(mid) * mid_r, cy - cos(mid) * mid_r, ALIGN_CENTER,
			    buf_str(&t), SIZE_VALUE, 1, color_text_on(sl[i].color));
	}
	buf_free(&t);
}

static void draw_centre(struct canvas *cv, const struct chart_spec *spec, double total,
			double cx, double cy, double r_in)
{
	struct buf t = BUF_INIT;
	format_label(&spec->format, total, &t);
	double size = r_in > 60 ? 22 : r_in > 40 ? 17 : 13;
	if (cv_text_width(cv, buf_str(&t), size, 1) < r_in * 1.7) {
		cv_text(cv, cx, cy + size * 0.2, ALIGN_CENTER, buf_str(&t), size, 1, COLOR_INK);
		cv_text(cv, cx, cy + size * 0.2 + SIZE_TICK * 1.5, ALIGN_CENTER, "Total", SIZE_TICK, 0,
			COLOR_MUTED);
	}
	buf_free(&t);
}

/* The legend table: swatch, name, value, share; rows centred on cy. */
static void draw_table(struct canvas *cv, const struct chart_spec *spec, const struct slice *sl,
		       size_t n, double total, double x, double w, double cy)
{
	struct buf t = BUF_INIT;
	double value_w = 0, share_w = 0;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&t);
		format_label(&spec->format, sl[i].value, &t);
		value_w = fmax(value_w, cv_text_width(cv, buf_str(&t), SIZE_LABEL, 0));
		buf_reset(&t);
		share_text(sl[i].value / total, &t);
		share_w = fmax(share_w, cv_text_width(cv, buf_str(&t), SIZE_LABEL, 1));
	}
	double name_x = x + 20, share_right = x + w, value_right = share_right - share_w - 14;
	double name_w = value_right - value_w - 14 - name_x;
	double y = cy - ROW_H * (double)n / 2;
	for (size_t i = 0; i < n; i++, y += ROW_H) {
		double mid = y + ROW_H / 2;
		cv_fill_round_rect(cv, x, mid - 6, 12, 12, 2, sl[i].color);
		buf_reset(&t);
		cv_text_fit(cv, sl[i].name, SIZE_LABEL, 0, name_w, &t);
		cv_text_mid(cv, name_x, mid, ALIGN_LEFT, buf_str(&t), SIZE_LABEL, 0, COLOR_TEXT);
		buf_reset(&t);
		format_label(&spec->format, sl[i].value, &t);
		cv_text_mid(cv, value_right, mid, ALIGN_RIGHT, buf_str(&t), SIZE_LABEL, 0, COLOR_MUTED);
		buf_reset(&t);
		share_text(sl[i].value / total, &t);
		cv_text_mid(cv, share_right, mid, ALIGN_RIGHT, buf_str(&t), SIZE_LABEL, 1, COLOR_TEXT);
		if (i + 1 < n)
			cv_hline(cv, name_x, share_right, y + ROW_H, 1, COLOR_GRID);
	}
	buf_free(&t);
}

static void donut_draw(struct chart_ctx *ctx)
{
	struct canvas *cv = ctx->cv;
	struct rect body = ctx->body;
	struct slice *sl = NULL;
	double total;
	size_t n = make_slices(ctx->spec, &sl, &total);
	if (n == 0 || !(total > 0)) {
		draw_no_data(cv, ctx->spec, body);
		goto done;
	}
	/* Ring at the left, the table right beside it; the pair is centred. */
	double r_out = fmin(body.h / 2 - 4, body.w * 0.25);
	if (r_out < 20)
		r_out = 20;
	double r_in = r_out * 0.6;
	double table_w = fmin(380, body.w - 2 * r_out - 48);
	double used = 2 * r_out + 48 + table_w;
	double left = body.x + fmax(0, (body.w - used) / 2);
	double cx = left + r_out, cy = body.y + body.h / 2;
	draw_ring(cv, sl, n, total, cx, cy, r_out, r_in);
	draw_centre(cv, ctx->spec, total, cx, cy, r_in);
	double table_h = ROW_H * (double)n;
	double ty = table_h > body.h ? body.y + table_h / 2 : cy;
	draw_table(cv, ctx->spec, sl, n, total, cx + r_out + 48, table_w, ty);
done:
	free(sl);
}

static void donut_csv(const struct chart_spec *spec, struct buf *csv)
{
	size_t n = spec_points(spec);
	const struct chart_series *s = spec->series_count ? &spec->series[0] : NULL;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		double v = series_value(s, i);
		if (v > 0)
			total += v;
	}
	chart_csv_text(csv, str_or(spec->x_label, "category"));
	buf_putc(csv, ',');
	chart_csv_text(csv, str_or(series_name(s), "value"));
	buf_puts(csv, ",share\r\n");
	for (size_t i = 0; i < n; i++) {
		double v = series_value(s, i);
		chart_csv_text(csv, spec_category(spec, i));
		buf_putc(csv, ',');
		chart_csv_number(csv, v);
		buf_putc(csv, ',');
		if (v > 0 && total > 0)
			chart_csv_number(csv, v / total);
		buf_puts(csv, "\r\n");
	}
}

static void donut_alt(const struct chart_spec *spec, struct buf *out)
{
	struct slice *sl = NULL;
	double total;
	size_t n = make_slices(spec, &sl, &total);
	buf_puts(out, spec_title(spec));
	if (n == 0 || !(total > 0)) {
		buf_puts(out, ": no data for this period.");
		free(sl);
		return;
	}
	buf_printf(out, ": %s is the largest share at ", sl[0].name[0] ? sl[0].name : "one category");
	static const struct chart_format pct = {CHART_PERCENT, NULL, 1};
	chart_format_value(&pct, sl[0].value / total, 0, out);
	buf_puts(out, " (");
	chart_format_value(&spec->format, sl[0].value, 0, out);
	buf_puts(out, ") of ");
	chart_format_value(&spec->format, total, 0, out);
	size_t parts = 0;
	for (size_t i = 0; i < spec_points(spec); i++)
		parts += series_value(spec->series_count ? &spec->series[0] : NULL, i) > 0;
	buf_printf(out, " across %zu %s.", parts, parts == 1 ? "category" : "categories");
	free(sl);
}

const struct chart_kind chart_donut_kind = {"donut", donut_draw, donut_csv, donut_alt};
