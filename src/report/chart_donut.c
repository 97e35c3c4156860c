/* chart_donut: shares of a whole, e.g. revenue by payment method.
 *
 * Slices run clockwise from twelve o'clock, largest first, so the eye compares them in
 * order. Past seven categories the smallest are merged into a grey "Other": more
 * slices than that cannot be told apart by colour. The hole holds the total; the
 * legend beside the ring is a small table (name, value, share) because a donut alone
 * makes exact comparisons hard. On a narrow chart the table goes under the ring, full
 * width, so names are written whole (donut_layout). Zero, negative and missing values
 * are left out: they are not shares. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define PI 3.14159265358979323846
#define MAX_SLICES 7
#define ROW_H 24.0          /* a row of the table beside the ring */
#define NARROW_ROW_H 22.0   /* a row of the table under it */
#define MIN_ROW_H 17.0      /* rows squeezed into a short chart */
#define SWATCH_W 20.0       /* the colour swatch and the space after it */
#define TABLE_GAP 14.0      /* between the table's columns */
#define BELOW_GAP 14.0      /* between the ring and the table under it */
#define MIN_BELOW_R 48.0    /* the smallest ring worth putting above its table */
#define MAX_BELOW_R 120.0   /* the largest: a bigger ring says nothing more */
#define MIN_BESIDE_R 30.0   /* the smallest ring beside its table */
#define NARROW_RING_GAP 24.0 /* between ring and table on a narrow chart */

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

/* Widths of the table's columns: the widest name, amount and share. */
static void column_widths(struct canvas *cv, const struct chart_spec *spec, const struct slice *sl,
			  size_t n, double total, struct donut_layout *lay)
{
	struct buf t = BUF_INIT;
	lay->value_w = lay->share_w = lay->names_w = 0;
	for (size_t i = 0; i < n; i++) {
		lay->names_w = fmax(lay->names_w, cv_text_width(cv, sl[i].name, SIZE_LABEL, 0));
		buf_reset(&t);
		format_label(&spec->format, sl[i].value, &t);
		lay->value_w = fmax(lay->value_w, cv_text_width(cv, buf_str(&t), SIZE_LABEL, 0));
		buf_reset(&t);
		share_text(sl[i].value / total, &t);
		lay->share_w = fmax(lay->share_w, cv_text_width(cv, buf_str(&t), SIZE_LABEL, 1));
	}
	buf_free(&t);
}

/* Room left for names in a table of width w. */
static double name_room(const struct donut_layout *lay, double w)
{
	double numbers = lay->share_w + TABLE_GAP + (lay->show_values ? lay->value_w + TABLE_GAP : 0);
	return w - SWATCH_W - numbers;
}

/* Ring at the left, the table right beside it; the pair is centred. */
static void layout_beside(struct rect body, size_t n, struct donut_layout *lay)
{
	lay->r_out = fmin(body.h / 2 - 4, body.w * 0.25);
	if (lay->r_out < 20)
		lay->r_out = 20;
	double table_w = fmin(380, body.w - 2 * lay->r_out - 48);
	double used = 2 * lay->r_out + 48 + table_w;
	double left = body.x + fmax(0, (body.w - used) / 2);
	lay->cx = left + lay->r_out, lay->cy = body.y + body.h / 2;
	double table_h = ROW_H * (double)n;
	double ty = table_h > body.h ? body.y + table_h / 2 : lay->cy;
	lay->row_h = ROW_H;
	lay->table = rect_make(lay->cx + lay->r_out + 48, ty - ROW_H * (double)n / 2, table_w,
			       table_h);
}

/* Narrow, tall enough: the ring on top using the width, the table under it full width,
 * the two centred together in the height. Returns 0 when the ring would be too small. */
static int layout_below(struct rect body, size_t n, struct donut_layout *lay)
{
	double table_h = NARROW_ROW_H * (double)n;
	double r = fmin((body.h - table_h - BELOW_GAP) / 2, fmin(body.w * 0.3, MAX_BELOW_R));
	if (r < MIN_BELOW_R)
		return 0;
	double block = 2 * r + BELOW_GAP + table_h, top = body.y + (body.h - block) / 2;
	double table_w = fmin(body.w, 420);
	lay->legend_below = 1;
	lay->r_out = r;
	lay->cx = body.x + body.w / 2, lay->cy = top + r;
	lay->row_h = NARROW_ROW_H;
	lay->table = rect_make(body.x + (body.w - table_w) / 2, top + 2 * r + BELOW_GAP, table_w,
			       table_h);
	return 1;
}

/* Narrow and short: the table beside a ring shrunk until the names fit; past the
 * smallest ring, amounts are left out before names are cut to stubs. */
static void layout_beside_narrow(struct canvas *cv, struct rect body, size_t n,
				 struct donut_layout *lay)
{
	double table_need = SWATCH_W + lay->names_w + TABLE_GAP + lay->value_w + TABLE_GAP +
			    lay->share_w;
	double r = fmin(body.h / 2 - 4, (body.w - NARROW_RING_GAP - table_need) / 2);
	lay->r_out = fmax(r, MIN_BESIDE_R);
	double table_w = body.w - 2 * lay->r_out - NARROW_RING_GAP;
	double stub = fmin(lay->names_w, cv_text_width(cv, "Mmmm\xe2\x80\xa6", SIZE_LABEL, 0));
	if (name_room(lay, table_w) < stub)
		lay->show_values = 0;
	double used = 2 * lay->r_out + NARROW_RING_GAP + fmin(table_w, table_need);
	double left = body.x + fmax(0, (body.w - used) / 2);
	lay->cx = left + lay->r_out, lay->cy = body.y + body.h / 2;
	lay->row_h = fmax(MIN_ROW_H, fmin(ROW_H, body.h / (double)n));
	double table_h = lay->row_h * (double)n;
	lay->table = rect_make(lay->cx + lay->r_out + NARROW_RING_GAP, lay->cy - table_h / 2,
			       fmin(table_w, table_need), table_h);
}

void donut_layout(struct canvas *cv, const struct chart_spec *spec, struct rect body,
		  struct donut_layout *lay)
{
	struct slice *sl = NULL;
	double total;
	size_t n = make_slices(spec, &sl, &total);
	memset(lay, 0, sizeof *lay);
	lay->show_values = 1;
	lay->rows = n;
	if (n == 0 || !(total > 0))
		goto done;
	column_widths(cv, spec, sl, n, total, lay);
	if (!cv_narrow(cv))
		layout_beside(body, n, lay);
	else if (!layout_below(body, n, lay))
		layout_beside_narrow(cv, body, n, lay);
	lay->r_in = lay->r_out * 0.6;
	lay->name_w = name_room(lay, lay->table.w);
done:
	free(sl);
}

/* The legend table: swatch, name, value, share, one row per slice. */
static void draw_table(struct canvas *cv, const struct chart_spec *spec, const struct slice *sl,
		       size_t n, double total, const struct donut_layout *lay)
{
	struct buf t = BUF_INIT;
	double x = lay->table.x, name_x = x + SWATCH_W, share_right = x + lay->table.w;
	double value_right = share_right - lay->share_w - TABLE_GAP;
	double y = lay->table.y, row_h = lay->row_h;
	for (size_t i = 0; i < n; i++, y += row_h) {
		double mid = y + row_h / 2;
		cv_fill_round_rect(cv, x, mid - 6, 12, 12, 2, sl[i].color);
		buf_reset(&t);
		cv_text_fit(cv, sl[i].name, SIZE_LABEL, 0, lay->name_w, &t);
		cv_text_mid(cv, name_x, mid, ALIGN_LEFT, buf_str(&t), SIZE_LABEL, 0, COLOR_TEXT);
		if (lay->show_values) {
			buf_reset(&t);
			format_label(&spec->format, sl[i].value, &t);
			cv_text_mid(cv, value_right, mid, ALIGN_RIGHT, buf_str(&t), SIZE_LABEL, 0,
				    COLOR_MUTED);
		}
		buf_reset(&t);
		share_text(sl[i].value / total, &t);
		cv_text_mid(cv, share_right, mid, ALIGN_RIGHT, buf_str(&t), SIZE_LABEL, 1, COLOR_TEXT);
		if (i + 1 < n)
			cv_hline(cv, name_x, share_right, y + row_h, 1, COLOR_GRID);
	}
	buf_free(&t);
}

static void donut_draw(struct chart_ctx *ctx)
{
	struct canvas *cv = ctx->cv;
	struct slice *sl = NULL;
	double total;
	size_t n = make_slices(ctx->spec, &sl, &total);
	if (n == 0 || !(total > 0)) {
		draw_no_data(cv, ctx->spec, ctx->body);
		goto done;
	}
	struct donut_layout lay;
	donut_layout(cv, ctx->spec, ctx->body, &lay);
	draw_ring(cv, sl, n, total, lay.cx, lay.cy, lay.r_out, lay.r_in);
	draw_centre(cv, ctx->spec, total, lay.cx, lay.cy, lay.r_in);
	draw_table(cv, ctx->spec, sl, n, total, &lay);
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
