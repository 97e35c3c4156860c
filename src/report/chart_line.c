/* chart_line: series over time or categories, e.g. daily revenue.
 *
 * Missing values break a line rather than bridging it; a point with no neighbour is
 * drawn as a dot so a single value still shows. An optional band (expected range)
 * is shaded behind the lines, flagged points (anomalies) get a ringed marker on top,
 * and short series get a marker on every point. The x axis is a date axis when the
 * spec gives days, else a category axis whose labels are thinned to fit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

struct line_chart {
	const struct chart_spec *spec;
	size_t n;                    /* x positions */
	int dated;                   /* x is spec->days */
	int32_t first_day, last_day; /* span of the dates */
	struct date_axis dates;      /* when dated */
	struct category_axis cats;   /* when not */
	const char **labels;         /* category labels (owned array, borrowed strings) */
	char *label_text;            /* numbers used as labels when there are none */
	struct rect plot;            /* where the data goes */
};

static int has_band(const struct chart_spec *spec)
{
	return spec->band_low && spec->band_high;
}

static double band_value(const double *band, const struct line_chart *lc, size_t i)
{
	return i < lc->n ? value_clean(band[i]) : NAN;
}

static size_t flagged_count(const struct chart_spec *spec, size_t n)
{
	size_t count = 0;
	for (size_t s = 0; s < spec->series_count; s++)
		for (size_t i = 0; i < n; i++)
			if (series_flagged(&spec->series[s], i) &&
			    !isnan(series_value(&spec->series[s], i)))
				count++;
	return count;
}

/* The range of everything drawn against the y axis. Returns 0 when nothing is. */
static int value_range(const struct line_chart *lc, double *lo, double *hi)
{
	const struct chart_spec *spec = lc->spec;
	*lo = INFINITY, *hi = -INFINITY;
	int any = 0;
	for (size_t s = 0; s < spec->series_count; s++)
		for (size_t i = 0; i < lc->n; i++) {
			double v = series_value(&spec->series[s], i);
			if (isnan(v))
				continue;
			*lo = fmin(*lo, v), *hi = fmax(*hi, v);
			any = 1;
		}
	if (any && has_band(spec))
		for (size_t i = 0; i < lc->n; i++) {
			double a = band_value(spec->band_low, lc, i), b = band_value(spec->band_high, lc, i);
			if (!isnan(a) && !isnan(b))
				*lo = fmin(*lo, fmin(a, b)), *hi = fmax(*hi, fmax(a, b));
		}
	return any;
}

static void prepare_x(struct line_chart *lc)
{
	const struct chart_spec *spec = lc->spec;
	lc->dated = spec->days != NULL && spec->point_count > 0;
	if (lc->dated) {
		lc->first_day = lc->last_day = spec->days[0];
		for (size_t i = 1; i < lc->n; i++) {
			if (spec->days[i] < lc->first_day)
				lc->first_day = spec->days[i];
			if (spec->days[i] > lc->last_day)
				lc->last_day = spec->days[i];
		}
		return;
	}
	lc->labels = xcalloc(lc->n ? lc->n : 1, sizeof *lc->labels);
	if (spec->categories) {
		for (size_t i = 0; i < lc->n; i++)
			lc->labels[i] = spec_category(spec, i);
		return;
	}
	/* No labels: number the points 1, 2, 3 ... */
	lc->label_text = xmalloc(lc->n * 21 + 1);
	char *p = lc->label_text;
	for (size_t i = 0; i < lc->n; i++) {
		lc->labels[i] = p;
		p += sprintf(p, "%zu", i + 1) + 1;
	}
}

static double x_axis_height(struct canvas *cv, double plot_w, void *arg)
{
	struct line_chart *lc = arg;
	if (lc->dated) {
		date_axis_fit(cv, lc->first_day, lc->last_day, plot_w, &lc->dates);
		return lc->dates.height;
	}
	category_axis_fit(cv, lc->labels, lc->n, plot_w / (double)lc->n, cv->height * 0.3, 1,
			  &lc->cats);
	return lc->cats.height;
}

static double point_x(const struct line_chart *lc, size_t i)
{
	if (lc->dated)
		return date_axis_pos(&lc->dates, lc->spec->days[i], lc->plot);
	return lc->plot.x + ((double)i + 0.5) * lc->plot.w / (double)lc->n;
}

/* Shades the band between low and high wherever both are known. */
static void draw_band(struct canvas *cv, const struct line_chart *lc, const struct axis *y,
		      struct rgba color)
{
	const struct chart_spec *spec = lc->spec;
	double *xy = xmalloc(4 * lc->n * sizeof *xy);
	size_t i = 0;
	while (i < lc->n) {
		size_t start = i;
		while (i < lc->n && !isnan(band_value(spec->band_low, lc, i)) &&
		       !isnan(band_value(spec->band_high, lc, i)))
			i++;
		size_t run = i - start;
		if (run >= 2) {
			for (size_t k = 0; k < run; k++) {
				size_t j = start + k, back = start + run - 1 - k;
				double bottom = lc->plot.y + lc->plot.h;
				xy[2 * k] = point_x(lc, j);
				xy[2 * k + 1] = axis_pos(y, band_value(spec->band_high, lc, j), bottom, lc->plot.y);
				xy[2 * (run + k)] = point_x(lc, back);
				xy[2 * (run + k) + 1] = axis_pos(y, band_value(spec->band_low, lc, back), bottom, lc->plot.y);
			}
			cv_fill_polygon(cv, xy, 2 * run, color);
		}
		if (i == start)
			i++;
	}
	free(xy);
}

/* Number of known values in all series. */
static size_t known_count(const struct line_chart *lc)
{
	size_t known = 0;
	for (size_t s = 0; s < lc->spec->series_count; s++)
		for (size_t i = 0; i < lc->n; i++)
			known += !isnan(series_value(&lc->spec->series[s], i));
	return known;
}

/* A chart of one value: a clear marker with the figure written above it. */
static void draw_lone_value(struct canvas *cv, const struct line_chart *lc, double x, double y,
			    double v, struct rgba color)
{
	struct buf label = BUF_INIT;
	cv_fill_circle(cv, x, y, 6, COLOR_BACKGROUND);
	cv_fill_circle(cv, x, y, 5, color);
	chart_format_value(&lc->spec->format, v, CHART_FMT_MINUS, &label);
	cv_text(cv, x, y - 11, ALIGN_CENTER, buf_str(&label), SIZE_VALUE, 1, COLOR_TEXT);
	buf_free(&label);
}

/* Draws one series: a line through each run of known values, a dot for a lone one. */
static void draw_series(struct canvas *cv, const struct line_chart *lc, const struct axis *y,
			const struct chart_series *s, struct rgba color, double width, int dots)
{
	int only_value = known_count(lc) == 1;
	double *xy = xmalloc(2 * lc->n * sizeof *xy);
	double bottom = lc->plot.y + lc->plot.h;
	size_t i = 0;
	while (i < lc->n) {
		size_t run = 0;
		while (i < lc->n && !isnan(series_value(s, i))) {
			xy[2 * run] = point_x(lc, i);
			xy[2 * run + 1] = axis_pos(y, series_value(s, i), bottom, lc->plot.y);
			run++, i++;
		}
		if (run >= 2)
			cv_stroke_polyline(cv, xy, run, width, color);
		if (run == 1 && only_value)
			draw_lone_value(cv, lc, xy[0], xy[1], series_value(s, i - 1), color);
		else if (run == 1 || (run >= 2 && dots))
			for (size_t k = 0; k < run; k++) {
				cv_fill_circle(cv, xy[2 * k], xy[2 * k + 1], width + 2.5, COLOR_BACKGROUND);
				cv_fill_circle(cv, xy[2 * k], xy[2 * k + 1], width + 1, color);
			}
		if (run == 0)
			i++;
	}
	free(xy);
}

static void draw_flags(struct canvas *cv, const struct line_chart *lc, const struct axis *y)
{
	double bottom = lc->plot.y + lc->plot.h;
	for (size_t s = 0; s < lc->spec->series_count; s++) {
		const struct chart_series *ser = &lc->spec->series[s];
		for (size_t i = 0; i < lc->n; i++) {
			double v = series_value(ser, i);
			if (!series_flagged(ser, i) || isnan(v))
				continue;
			double px = point_x(lc, i), py = axis_pos(y, v, bottom, lc->plot.y);
			cv_fill_circle(cv, px, py, 5.5, COLOR_BACKGROUND);
			cv_fill_circle(cv, px, py, 4.5, COLOR_FLAG);
		}
	}
}

static size_t legend_entries(const struct line_chart *lc, struct legend_entry *e)
{
	const struct chart_spec *spec = lc->spec;
	size_t n = 0;
	for (size_t s = 0; s < spec->series_count; s++)
		e[n++] = (struct legend_entry){series_name(&spec->series[s]), MARK_LINE,
					       palette_color(s)};
	if (has_band(spec))
		e[n++] = (struct legend_entry){str_or(spec->band_label, "Expected range"),
					       MARK_BAND, color_alpha(palette_color(0), 0.16)};
	if (flagged_count(spec, lc->n))
		e[n++] = (struct legend_entry){str_or(spec->flag_label, "Anomaly"), MARK_DOT,
					       COLOR_FLAG};
	return n;
}

static void line_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct canvas *cv = ctx->cv;
	struct line_chart lc = {.spec = spec, .n = spec_points(spec)};
	struct rect body = ctx->body;
	double lo, hi;
	if (lc.n == 0 || !value_range(&lc, &lo, &hi)) {
		draw_no_data(cv, spec, body);
		return;
	}
	prepare_x(&lc);

	struct legend_entry *entries = xcalloc(spec->series_count + 2, sizeof *entries);
	size_t n_entries = legend_entries(&lc, entries);
	if (n_entries > 1) {
		double h = legend_draw(cv, entries, n_entries, body.x, body.y, body.w);
		body.y += h + 6, body.h -= h + 6;
	}
	free(entries);

	/* Lines that start near zero, and a lone value, are read against zero. */
	unsigned opts = lo >= 0 && (lo <= hi * 0.5 || lo == hi) ? AXIS_ZERO : 0;
	struct axis y;
	double below = layout_left_axis(cv, body, spec->x_label, spec->y_label, lo, hi, opts,
					&spec->format, 12, x_axis_height, &lc, &y, &lc.plot);
	axis_titles(cv, body, spec->x_label, spec->y_label, lc.plot, below);
	axis_draw_left(cv, &y, lc.plot);
	double bottom = lc.plot.y + lc.plot.h;
	if (y.lo < 0 && y.hi > 0)
		cv_hline(cv, lc.plot.x, lc.plot.x + lc.plot.w, axis_pos(&y, 0, bottom, lc.plot.y), 1,
			 COLOR_ZERO);
	cv_hline(cv, lc.plot.x, lc.plot.x + lc.plot.w, bottom, 1, COLOR_AXIS);
	if (lc.dated)
		date_axis_draw(cv, &lc.dates, lc.plot);
	else
		category_axis_draw(cv, &lc.cats, lc.labels, lc.n, point_x(&lc, 0),
				   lc.plot.w / (double)lc.n, bottom);

	if (has_band(spec))
		draw_band(cv, &lc, &y, color_alpha(palette_color(0), 0.16));
	double spacing = lc.plot.w / (double)lc.n;
	double width = spacing < 1 ? 1.25 : spacing < 3 ? 1.5 : 2;
	int dots = lc.n <= 31 && spacing >= 14;
	for (size_t s = spec->series_count; s-- > 0;)
		draw_series(cv, &lc, &y, &spec->series[s], palette_color(s), width, dots);
	draw_flags(cv, &lc, &y);
	free(lc.labels);
	free(lc.label_text);
}

/* ---- CSV and alt text ---- */

/* Appends the x of point i: its date, category or number. */
static void point_name(const struct chart_spec *spec, size_t i, struct buf *out)
{
	if (spec->days && spec->point_count)
		chart_format_day(spec->days[i], out);
	else if (spec->categories)
		buf_puts(out, spec_category(spec, i));
	else
		buf_printf(out, "point %zu", i + 1);
}

static void line_csv(const struct chart_spec *spec, struct buf *csv)
{
	size_t n = spec_points(spec);
	int dated = spec->days && spec->point_count;
	chart_csv_text(csv, dated ? "date" : str_or(spec->x_label, "category"));
	for (size_t s = 0; s < spec->series_count; s++) {
		buf_putc(csv, ',');
		chart_csv_text(csv, str_or(series_name(&spec->series[s]), "value"));
	}
	if (has_band(spec))
		buf_puts(csv, ",band_low,band_high");
	for (size_t s = 0; s < spec->series_count; s++)
		if (spec->series[s].flagged) {
			struct buf head = BUF_INIT;
			buf_printf(&head, "%s flagged", str_or(series_name(&spec->series[s]), "value"));
			buf_putc(csv, ',');
			chart_csv_text(csv, buf_str(&head));
			buf_free(&head);
		}
	buf_puts(csv, "\r\n");
	for (size_t i = 0; i < n; i++) {
		if (dated)
			csv_day(csv, spec->days[i]);
		else if (spec->categories)
			chart_csv_text(csv, spec_category(spec, i));
		else
			buf_printf(csv, "%zu", i + 1);
		for (size_t s = 0; s < spec->series_count; s++) {
			buf_putc(csv, ',');
			chart_csv_number(csv, series_value(&spec->series[s], i));
		}
		if (has_band(spec)) {
			buf_putc(csv, ',');
			chart_csv_number(csv, i < spec->point_count ? spec->band_low[i] : NAN);
			buf_putc(csv, ',');
			chart_csv_number(csv, i < spec->point_count ? spec->band_high[i] : NAN);
		}
		for (size_t s = 0; s < spec->series_count; s++)
			if (spec->series[s].flagged)
				buf_puts(csv, series_flagged(&spec->series[s], i) ? ",1" : ",0");
		buf_puts(csv, "\r\n");
	}
}

static void line_alt(const struct chart_spec *spec, struct buf *out)
{
	size_t n = spec_points(spec);
	buf_puts(out, spec_title(spec));
	if (n && (spec->days || spec->categories)) {
		buf_puts(out, ", ");
		point_name(spec, 0, out);
		if (n > 1) {
			buf_puts(out, " to ");
			point_name(spec, n - 1, out);
		}
	}
	const struct chart_series *s = spec->series_count ? &spec->series[0] : NULL;
	size_t peak = n, low = n;
	for (size_t i = 0; i < n; i++) {
		double v = series_value(s, i);
		if (isnan(v))
			continue;
		if (peak == n || v > series_value(s, peak))
			peak = i;
		if (low == n || v < series_value(s, low))
			low = i;
	}
	if (peak == n) {
		buf_puts(out, ": no data for this period.");
		return;
	}
	buf_puts(out, ": ");
	if (peak == low && spec->series_count == 1) { /* a single value */
		chart_format_value(&spec->format, series_value(s, peak), 0, out);
		buf_putc(out, '.');
		return;
	}
	if (spec->series_count > 1)
		buf_printf(out, "%s ", str_or(series_name(s), "first series"));
	buf_puts(out, "peak ");
	const char *at = spec->days && spec->point_count ? " on " : " in ";
	chart_format_value(&spec->format, series_value(s, peak), 0, out);
	buf_puts(out, at);
	point_name(spec, peak, out);
	if (low != peak) {
		buf_puts(out, ", low ");
		chart_format_value(&spec->format, series_value(s, low), 0, out);
		buf_puts(out, at);
		point_name(spec, low, out);
	}
	size_t flagged = flagged_count(spec, n);
	if (flagged && !spec->flag_label)
		buf_printf(out, "; %zu %s flagged", flagged, flagged == 1 ? "anomaly" : "anomalies");
	else if (flagged)
		buf_printf(out, "; %zu flagged as %s", flagged, spec->flag_label);
	if (spec->series_count > 1)
		buf_printf(out, "; %zu series", spec->series_count);
	buf_putc(out, '.');
}

const struct chart_kind chart_line_kind = {"line", line_draw, line_csv, line_alt};
