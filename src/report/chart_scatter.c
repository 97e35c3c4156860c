/* chart_scatter: one value against another per point, e.g. order count against
 * customer lifetime value; a colour per series.
 *
 * Axes fit the data (zero is not forced: position, not length, carries the value),
 * with a little room so no point sits on the frame. Dots get smaller and more
 * transparent as their number grows, so dense regions read as darker instead of as
 * one blot. */
#include <math.h>
#include <stdlib.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

struct scatter_range {
	double x_lo, x_hi, y_lo, y_hi; /* of the known points */
	size_t points;                 /* known points in all series */
};

static int scatter_range(const struct chart_spec *spec, struct scatter_range *r)
{
	r->x_lo = r->y_lo = INFINITY;
	r->x_hi = r->y_hi = -INFINITY;
	r->points = 0;
	for (size_t s = 0; s < spec->series_count; s++) {
		const struct chart_series *ser = &spec->series[s];
		for (size_t i = 0; i < ser->count; i++) {
			double x = series_x(ser, i), y = series_value(ser, i);
			if (isnan(x) || isnan(y))
				continue;
			r->x_lo = fmin(r->x_lo, x), r->x_hi = fmax(r->x_hi, x);
			r->y_lo = fmin(r->y_lo, y), r->y_hi = fmax(r->y_hi, y);
			r->points++;
		}
	}
	return r->points > 0;
}

static double tick_row_height(struct canvas *cv, double plot_w, void *arg)
{
	(void)cv, (void)plot_w, (void)arg;
	return 8 + SIZE_TICK * TEXT_LINE;
}

/* Widens [*lo, *hi] by a margin on each side, never across zero: counts and money
 * that cannot be negative should not get a negative axis. */
static void pad_range(double *lo, double *hi)
{
	if (*hi == *lo) { /* one value: show it against zero */
		*lo = fmin(*lo, 0), *hi = fmax(*hi, 0);
		if (*hi == *lo)
			*lo = -1, *hi = 1;
	}
	double pad = (*hi - *lo) * 0.04;
	*lo = *lo >= 0 && *lo - pad < 0 ? 0 : *lo - pad;
	*hi = *hi <= 0 && *hi + pad > 0 ? 0 : *hi + pad;
}

static void scatter_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct canvas *cv = ctx->cv;
	struct rect body = ctx->body;
	struct scatter_range r;
	if (!scatter_range(spec, &r)) {
		draw_no_data(cv, spec, body);
		return;
	}
	if (spec->series_count > 1) {
		struct legend_entry *e = xcalloc(spec->series_count, sizeof *e);
		for (size_t s = 0; s < spec->series_count; s++)
			e[s] = (struct legend_entry){series_name(&spec->series[s]), MARK_DOT,
						     palette_color(s)};
		double h = legend_draw(cv, e, spec->series_count, body.x, body.y, body.w);
		body.y += h + 6, body.h -= h + 6;
		free(e);
	}
	pad_range(&r.x_lo, &r.x_hi);
	pad_range(&r.y_lo, &r.y_hi);
	struct axis y, x;
	struct rect plot;
	double below = layout_left_axis(cv, body, spec->x_label, spec->y_label, r.y_lo, r.y_hi, 0,
					&spec->format, 14, tick_row_height, NULL, &y, &plot);
	axis_titles(cv, body, spec->x_label, spec->y_label, plot, below);
	axis_fit(&x, r.x_lo, r.x_hi, (int)(plot.w / 80), 0, &spec->x_format);
	axis_draw_left(cv, &y, plot);
	axis_draw_bottom(cv, &x, plot, 1, INFINITY);
	double bottom = plot.y + plot.h;
	if (y.lo < 0 && y.hi > 0)
		cv_hline(cv, plot.x, plot.x + plot.w, axis_pos(&y, 0, bottom, plot.y), 1, COLOR_AXIS);
	if (x.lo < 0 && x.hi > 0)
		cv_vline(cv, axis_pos(&x, 0, plot.x, plot.x + plot.w), plot.y, bottom, 1, COLOR_AXIS);
	double radius = r.points > 2000 ? 1.8 : r.points > 300 ? 2.4 : r.points > 1 ? 3.5 : 5;
	double alpha = r.points > 2000 ? 0.4 : r.points > 300 ? 0.6 : 0.85;
	for (size_t s = 0; s < spec->series_count; s++) {
		const struct chart_series *ser = &spec->series[s];
		struct rgba color = color_alpha(palette_color(s), alpha);
		for (size_t i = 0; i < ser->count; i++) {
			double px = series_x(ser, i), py = series_value(ser, i);
			if (isnan(px) || isnan(py))
				continue;
			cv_fill_circle(cv, axis_pos(&x, px, plot.x, plot.x + plot.w),
				       axis_pos(&y, py, bottom, plot.y), radius, color);
		}
	}
	cv_hline(cv, plot.x, plot.x + plot.w, bottom, 1, COLOR_AXIS);
}

static void scatter_csv(const struct chart_spec *spec, struct buf *csv)
{
	buf_puts(csv, "series,");
	chart_csv_text(csv, str_or(spec->x_label, "x"));
	buf_putc(csv, ',');
	chart_csv_text(csv, str_or(spec->y_label, "y"));
	buf_puts(csv, "\r\n");
	for (size_t s = 0; s < spec->series_count; s++) {
		const struct chart_series *ser = &spec->series[s];
		for (size_t i = 0; i < ser->count; i++) {
			chart_csv_text(csv, series_name(ser));
			buf_putc(csv, ',');
			chart_csv_number(csv, series_x(ser, i));
			buf_putc(csv, ',');
			chart_csv_number(csv, series_value(ser, i));
			buf_puts(csv, "\r\n");
		}
	}
}

/* Pearson correlation of the known points of all series; NaN when undefined. */
static double correlation(const struct chart_spec *spec)
{
	double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	for (size_t s = 0; s < spec->series_count; s++) {
		const struct chart_series *ser = &spec->series[s];
		for (size_t i = 0; i < ser->count; i++) {
			double x = series_x(ser, i), y = series_value(ser, i);
			if (isnan(x) || isnan(y))
				continue;
			n++, sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
		}
	}
	double vx = n * sxx - sx * sx, vy = n * syy - sy * sy;
	if (n < 3 || !(vx > 0) || !(vy > 0))
		return NAN;
	return (n * sxy - sx * sy) / sqrt(vx * vy);
}

static void scatter_alt(const struct chart_spec *spec, struct buf *out)
{
	struct scatter_range r;
	buf_puts(out, spec_title(spec));
	if (!scatter_range(spec, &r)) {
		buf_puts(out, ": no data for this period.");
		return;
	}
	buf_puts(out, ": ");
	if (r.points == 1) {
		buf_printf(out, "1 point at %s ", str_or(spec->x_label, "x"));
		chart_format_value(&spec->x_format, r.x_lo, 0, out);
		buf_printf(out, ", %s ", str_or(spec->y_label, "y"));
		chart_format_value(&spec->format, r.y_lo, 0, out);
		buf_putc(out, '.');
		return;
	}
	format_count((double)r.points, out);
	buf_printf(out, " %s; %s from ", r.points == 1 ? "point" : "points",
		   str_or(spec->x_label, "x"));
	chart_format_value(&spec->x_format, r.x_lo, 0, out);
	buf_puts(out, " to ");
	chart_format_value(&spec->x_format, r.x_hi, 0, out);
	buf_printf(out, ", %s from ", str_or(spec->y_label, "y"));
	chart_format_value(&spec->format, r.y_lo, 0, out);
	buf_puts(out, " to ");
	chart_format_value(&spec->format, r.y_hi, 0, out);
	double c = correlation(spec);
	if (!isnan(c))
		buf_printf(out, "; correlation %.2f", c);
	buf_putc(out, '.');
}

const struct chart_kind chart_scatter_kind = {"scatter", scatter_draw, scatter_csv, scatter_alt};
