/* chart_funnel: how many get through each stage of a process, e.g. visits -> product
 * views -> carts -> checkouts -> orders.
 *
 * One centred bar per stage, its width proportional to the count, so the narrowing
 * is the message. A pale band joins each bar to the next and carries the step's
 * conversion ("↓ 38.2%"), the number people ask about first; the column at the right
 * gives each stage's count and its share of the first stage. On a narrow chart the
 * stage names take room from the bars, and wrap onto two lines, before they are cut.
 * Missing or negative counts leave a stage empty ("n/a") rather than inventing a
 * zero. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define MAX_ROW_H 88.0
#define BAR_SHARE 0.6 /* of the row height; the rest joins rows */
#define MIN_BARS_SHARE 0.3 /* of the width kept for bars when names take room on a narrow chart */

static double stage_count(const struct chart_spec *spec, size_t i)
{
	double v = series_value(spec->series_count ? &spec->series[0] : NULL, i);
	return v >= 0 ? v : NAN;
}

/* Largest known count; 0 when none is positive. */
static double largest(const struct chart_spec *spec, size_t n)
{
	double top = 0;
	for (size_t i = 0; i < n; i++) {
		double v = stage_count(spec, i);
		if (v > top)
			top = v;
	}
	return top;
}

/* a as a share of b, or NaN when it is not defined. */
static double share(double a, double b)
{
	return isnan(a) || isnan(b) || !(b > 0) ? NAN : a / b;
}

static void percent_text(double v, struct buf *out)
{
	static const struct chart_format pct = {CHART_PERCENT, NULL, 1};
	if (isnan(v))
		buf_puts(out, "n/a");
	else
		chart_format_value(&pct, v, CHART_FMT_MINUS, out);
}

void funnel_layout(struct canvas *cv, const struct chart_spec *spec, size_t n, struct rect body,
		   struct funnel_layout *lay)
{
	lay->top = largest(spec, n);
	lay->first = stage_count(spec, 0);
	/* Rows first: their height decides whether the right column has one line or two. */
	lay->row_h = fmin(body.h / (double)n, MAX_ROW_H);
	lay->y0 = body.y + (body.h - lay->row_h * (double)n) / 2;
	lay->thick = lay->row_h * BAR_SHARE;
	lay->two_lines = lay->thick >= 28;
	/* Columns: stage names | bars | count and share of the first stage. */
	struct buf t = BUF_INIT;
	double names_w = 0, count_w = 0;
	for (size_t i = 0; i < n; i++) {
		names_w = fmax(names_w, cv_text_width(cv, spec_category(spec, i), SIZE_LABEL, 0));
		buf_reset(&t);
		chart_format_value(&spec->format, stage_count(spec, i), CHART_FMT_MINUS, &t);
		count_w = fmax(count_w, cv_text_width(cv, buf_str(&t), SIZE_LABEL, 1));
	}
	buf_free(&t);
	lay->share_w = cv_text_width(cv, "100.0%", SIZE_TICK, 0);
	double right_w = lay->two_lines
				 ? fmax(count_w, cv_text_width(cv, "100.0% of first", SIZE_TICK, 0))
				 : count_w + 10 + lay->share_w;
	double name_room = body.w * 0.26;
	/* Narrow: names take room from the bars, down to a share of the width. */
	if (cv_narrow(cv))
		name_room = fmax(name_room, body.w - 18 - right_w - 24 - body.w * MIN_BARS_SHARE);
	lay->names_w = fmin(names_w, name_room);
	lay->name_lines = 1;
	if (cv_narrow(cv) && names_w > name_room && lay->row_h >= 2 * SIZE_LABEL * TEXT_LINE + 2)
		lay->name_lines = 2;
	lay->bars_x = body.x + lay->names_w + 18;
	lay->bars_w = body.w - lay->names_w - 18 - right_w - 24;
	lay->right = body.x + body.w;
}

static double bar_width(const struct funnel_layout *lay, double v)
{
	return isnan(v) ? 0 : fmax(lay->bars_w * v / lay->top, 2);
}

/* The pale joint from a stage's bar (count v) to the next one's, with the step's rate. */
static void draw_joint(struct canvas *cv, const struct funnel_layout *lay, double cy, double v,
		       double next)
{
	double mid = lay->bars_x + lay->bars_w / 2, w = bar_width(lay, v), nw = bar_width(lay, next);
	double gap_top = cy + lay->thick / 2, gap_bottom = cy + lay->row_h - lay->thick / 2;
	double xy[8] = {mid - w / 2, gap_top,    mid + w / 2,  gap_top,
			mid + nw / 2, gap_bottom, mid - nw / 2, gap_bottom};
	cv_fill_polygon(cv, xy, 4, color_tint(palette_color(0), 0.82));
	if (gap_bottom - gap_top < SIZE_VALUE + 7)
		return;
	struct buf t = BUF_INIT;
	buf_puts(&t, "\xe2\x86\x93 ");
	percent_text(share(next, v), &t);
	cv_text_mid(cv, mid, (gap_top + gap_bottom) / 2, ALIGN_CENTER, buf_str(&t), SIZE_VALUE, 1,
		    COLOR_TEXT);
	buf_free(&t);
}

/* A stage's name right-aligned before the bars, on one line or wrapped onto two,
 * centred on cy. */
static void draw_name(struct canvas *cv, const char *name, const struct funnel_layout *lay,
		      double cy)
{
	struct buf t = BUF_INIT;
	double x = lay->bars_x - 18, line = SIZE_LABEL * TEXT_LINE;
	if (lay->name_lines == 1) {
		cv_text_fit(cv, name, SIZE_LABEL, 0, lay->names_w, &t);
		cv_text_mid(cv, x, cy, ALIGN_RIGHT, buf_str(&t), SIZE_LABEL, 0, COLOR_TEXT);
		buf_free(&t);
		return;
	}
	int lines = cv_text_wrap(cv, name, SIZE_LABEL, 0, lay->names_w, lay->name_lines, &t);
	double mid = cy - (double)(lines - 1) * line / 2;
	char *p = t.data;
	for (int k = 0; k < lines && p; k++, mid += line) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		cv_text_mid(cv, x, mid, ALIGN_RIGHT, p, SIZE_LABEL, 0, COLOR_TEXT);
		p = end ? end + 1 : NULL;
	}
	buf_free(&t);
}

/* Stage i: its bar, its name at the left, its count and share at the right. */
static void draw_stage(struct canvas *cv, const struct chart_spec *spec,
		       const struct funnel_layout *lay, size_t i, double cy)
{
	double v = stage_count(spec, i), w = bar_width(lay, v);
	double mid = lay->bars_x + lay->bars_w / 2;
	if (w > 0)
		cv_fill_rect_crisp(cv, mid - w / 2, cy - lay->thick / 2, w, lay->thick,
				   palette_color(0));
	draw_name(cv, spec_category(spec, i), lay, cy);
	struct buf t = BUF_INIT;
	chart_format_value(&spec->format, v, CHART_FMT_MINUS, &t);
	int two = lay->two_lines;
	cv_text_mid(cv, two ? lay->right : lay->right - lay->share_w - 10, two ? cy - 7 : cy,
		    ALIGN_RIGHT, buf_str(&t), SIZE_LABEL, 1, COLOR_INK);
	buf_reset(&t);
	percent_text(share(v, lay->first), &t);
	if (two)
		buf_puts(&t, " of first");
	cv_text_mid(cv, lay->right, two ? cy + 9 : cy, ALIGN_RIGHT, buf_str(&t), SIZE_TICK, 0,
		    COLOR_MUTED);
	buf_free(&t);
}

static void funnel_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	size_t n = spec_points(spec);
	if (n == 0 || !(largest(spec, n) > 0)) {
		draw_no_data(ctx->cv, spec, ctx->body);
		return;
	}
	struct funnel_layout lay;
	funnel_layout(ctx->cv, spec, n, ctx->body, &lay);
	for (size_t i = 0; i < n; i++) {
		double cy = lay.y0 + ((double)i + 0.5) * lay.row_h;
		double v = stage_count(spec, i), next = i + 1 < n ? stage_count(spec, i + 1) : NAN;
		if (!isnan(v) && !isnan(next)) /* under both bars */
			draw_joint(ctx->cv, &lay, cy, v, next);
		draw_stage(ctx->cv, spec, &lay, i, cy);
	}
}

static void funnel_csv(const struct chart_spec *spec, struct buf *csv)
{
	size_t n = spec_points(spec);
	double first = n ? stage_count(spec, 0) : NAN;
	chart_csv_text(csv, str_or(spec->x_label, "stage"));
	buf_putc(csv, ',');
	chart_csv_text(csv, str_or(series_name(spec->series_count ? &spec->series[0] : NULL), "count"));
	buf_puts(csv, ",share_of_first,share_of_previous\r\n");
	for (size_t i = 0; i < n; i++) {
		double v = stage_count(spec, i);
		chart_csv_text(csv, spec_category(spec, i));
		buf_putc(csv, ',');
		chart_csv_number(csv, v);
		buf_putc(csv, ',');
		chart_csv_number(csv, share(v, first));
		buf_putc(csv, ',');
		if (i > 0)
			chart_csv_number(csv, share(v, stage_count(spec, i - 1)));
		buf_puts(csv, "\r\n");
	}
}

static void funnel_alt(const struct chart_spec *spec, struct buf *out)
{
	size_t n = spec_points(spec);
	buf_puts(out, spec_title(spec));
	if (n == 0 || !(largest(spec, n) > 0)) {
		buf_puts(out, ": no data for this period.");
		return;
	}
	double first = stage_count(spec, 0), last = stage_count(spec, n - 1);
	buf_printf(out, ": %s ", str_or(spec_category(spec, 0), "first stage"));
	chart_format_value(&spec->format, first, 0, out);
	if (n > 1) {
		buf_printf(out, " to %s ", str_or(spec_category(spec, n - 1), "last stage"));
		chart_format_value(&spec->format, last, 0, out);
		buf_puts(out, ", ");
		percent_text(share(last, first), out);
		buf_puts(out, " overall");
	}
	/* The step that loses the largest share. */
	size_t worst = 0;
	double worst_rate = INFINITY;
	for (size_t i = 1; i < n; i++) {
		double r = share(stage_count(spec, i), stage_count(spec, i - 1));
		if (!isnan(r) && r < worst_rate)
			worst_rate = r, worst = i;
	}
	if (worst) {
		buf_printf(out, "; the biggest drop is from %s to %s (",
			   str_or(spec_category(spec, worst - 1), "one stage"),
			   str_or(spec_category(spec, worst), "the next"));
		percent_text(worst_rate, out);
		buf_puts(out, " continue)");
	}
	buf_putc(out, '.');
}

const struct chart_kind chart_funnel_kind = {"funnel", funnel_draw, funnel_csv, funnel_alt};
