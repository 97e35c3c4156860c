/* chart_histogram: the distribution of raw values, e.g. order values, binned here.
 *
 * Bins have nice edges: the width is 1, 2 or 5 times a power of ten and every edge a
 * multiple of it, so bins read as "£20 to £30" rather than "£19.37 to £28.91". The
 * number of bins follows Freedman-Diaconis (robust to outliers) or Sturges when the
 * middle half of the data has no spread, unless the caller asks for a number. Bars
 * touch, as a histogram's should, with a hairline between; a dashed line marks the
 * median. A tick label that would run into the overflow bar's label ("£80+") is left
 * out: that label already names the cut. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define MAX_BINS 200
#define AUTO_MAX_BINS 60
#define OVERFLOW_W 36.0   /* the overflow bar */
#define OVERFLOW_GAP 18.0 /* and the space that sets it apart */
#define OVERFLOW_LABEL_GAP 8.0 /* least space between its label and a tick label */

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The finite values, cleaned and sorted (caller frees); their number in *n_out. */
static double *sorted_values(const double *values, size_t n, size_t *n_out)
{
	double *v = xmalloc((n ? n : 1) * sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < n && values; i++) {
		double x = value_clean(values[i]);
		if (!isnan(x))
			v[m++] = x;
	}
	qsort(v, m, sizeof *v, compare_doubles);
	*n_out = m;
	return v;
}

/* Quantile q of sorted values (linear between neighbours). */
static double quantile(const double *v, size_t n, double q)
{
	double at = q * (double)(n - 1);
	size_t i = (size_t)floor(at);
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (v[i + 1] - v[i]) * (at - (double)i);
}

void chart_histogram_bins(const double *values, size_t n, int wanted, struct chart_bins *out)
{
	memset(out, 0, sizeof *out);
	size_t m;
	double *v = sorted_values(values, n, &m);
	if (m == 0)
		goto done;
	double lo = v[0], hi = v[m - 1], span = hi - lo;
	if (span < VALUE_TINY)
		hi = lo, span = 0;
	double bins;
	int tail = 0;
	if (wanted > 0) {
		bins = wanted > MAX_BINS ? MAX_BINS : wanted;
	} else {
		double q3 = quantile(v, m, 0.75), iqr = q3 - quantile(v, m, 0.25);
		if (iqr < VALUE_TINY)
			iqr = 0;
		double fence = q3 + 3 * iqr;
		if (iqr > 0 && hi - fence > 0.5 * (fence - lo)) {
			/* Bin the bulk up to a round cut; the tail goes to the overflow bin. */
			double coarse = nice_step((fence - lo) / 5);
			tail = 1;
			hi = ceil(fence / coarse) * coarse, span = hi - lo;
		}
		if (iqr > 0)
			bins = ceil(span / (2 * iqr / cbrt((double)m)));
		else
			bins = ceil(log2((double)m)) + 1;
		bins = fmax(1, fmin(bins, AUTO_MAX_BINS));
	}
	double width;
	if (span > 0)
		width = near_step(span / bins);
	else
		width = lo != 0 ? nice_step(fabs(lo) * 0.1) : 1;
	double first;
	size_t count;
	for (;;) {
		first = floor(lo / width) * width;
		double c = ceil((hi - first) / width - (tail ? 1e-9 : 0));
		if (!(c >= 1)) /* NaN too: never loop on a count that cannot shrink */
			c = 1;
		/* The top value sits on the last edge: it belongs to the last bin. */
		if (c <= MAX_BINS) {
			count = (size_t)c;
			break;
		}
		width = nice_step(width * 1.5);
	}
	out->count = count;
	out->width = width;
	out->values = m;
	out->edges = xmalloc((count + 1) * sizeof *out->edges);
	out->counts = xcalloc(count, sizeof *out->counts);
	for (size_t i = 0; i <= count; i++)
		out->edges[i] = first + (double)i * width;
	double cut = out->edges[count];
	for (size_t i = 0; i < m; i++) {
		if (tail && v[i] >= cut) {
			out->overflow++;
			continue;
		}
		double at = floor((v[i] - first) / width);
		size_t bin = at < 0 ? 0 : at >= (double)count ? count - 1 : (size_t)at;
		out->counts[bin]++;
	}
done:
	free(v);
}

void chart_bins_free(struct chart_bins *bins)
{
	free(bins->edges);
	free(bins->counts);
	memset(bins, 0, sizeof *bins);
}

static const struct chart_series *histogram_series(const struct chart_spec *spec)
{
	return spec->series_count ? &spec->series[0] : NULL;
}

static void make_bins(const struct chart_spec *spec, struct chart_bins *bins)
{
	const struct chart_series *s = histogram_series(spec);
	chart_histogram_bins(s ? s->values : NULL, s ? s->count : 0, spec->bins, bins);
}

static double tick_row_height(struct canvas *cv, double plot_w, void *arg)
{
	(void)cv, (void)plot_w, (void)arg;
	return 8 + SIZE_TICK * TEXT_LINE;
}

/* The dashed median line with its label at the top, on whichever side has room. */
static void draw_median(struct canvas *cv, const struct chart_spec *spec, double median,
			double x, struct rect plot)
{
	double top = plot.y + 2;
	double xy[4] = {x, plot.y + plot.h, x, top};
	cv_stroke_dashed(cv, xy, 2, 1.5, 5, 3, COLOR_INK);
	struct buf t = BUF_INIT;
	buf_puts(&t, "Median ");
	format_label(&spec->x_format, median, &t);
	double w = cv_text_width(cv, buf_str(&t), SIZE_VALUE, 1);
	int right = x + 6 + w <= plot.x + plot.w;
	cv_fill_rect(cv, right ? x + 3 : x - 7 - w, top, w + 4, SIZE_VALUE * 1.3,
		     color_alpha(COLOR_BACKGROUND, 0.85));
	cv_text(cv, right ? x + 5 : x - 5, top + SIZE_VALUE * TEXT_ASCENT, right ? ALIGN_LEFT : ALIGN_RIGHT,
		buf_str(&t), SIZE_VALUE, 1, COLOR_INK);
	buf_free(&t);
}

/* Appends the label under the overflow bar: "£80+". */
static void overflow_label(const struct chart_spec *spec, const struct chart_bins *bins,
			   struct buf *out)
{
	format_label(&spec->x_format, bins->edges[bins->count], out);
	buf_putc(out, '+');
}

/* The bar of the values from the cut up, labelled "£80+" where a tick label would be. */
static void draw_overflow(struct canvas *cv, const struct chart_spec *spec,
			  const struct histogram_layout *lay)
{
	const struct chart_bins *bins = &lay->bins;
	struct rect plot = lay->plot;
	double bottom = plot.y + plot.h, x0 = plot.x + plot.w - OVERFLOW_W;
	double top = axis_pos(&lay->y, (double)bins->overflow, bottom, plot.y);
	cv_fill_rect_crisp(cv, x0, top, OVERFLOW_W, bottom - top, color_tint(palette_color(0), 0.4));
	struct buf t = BUF_INIT;
	overflow_label(spec, bins, &t);
	cv_text(cv, x0 + OVERFLOW_W / 2, bottom + 8 + SIZE_TICK * TEXT_CAP, ALIGN_CENTER,
		buf_str(&t), SIZE_TICK, 0, COLOR_MUTED);
	buf_reset(&t);
	format_count((double)bins->overflow, &t);
	cv_text(cv, x0 + OVERFLOW_W / 2, top - 4 - SIZE_VALUE * TEXT_DESCENT, ALIGN_CENTER,
		buf_str(&t), SIZE_VALUE, 0, COLOR_TEXT);
	buf_free(&t);
}

void histogram_layout(struct canvas *cv, const struct chart_spec *spec, struct rect body,
		      struct histogram_layout *lay)
{
	memset(lay, 0, sizeof *lay);
	make_bins(spec, &lay->bins);
	const struct chart_bins *bins = &lay->bins;
	if (bins->count == 0)
		return;
	size_t most = bins->overflow;
	for (size_t i = 0; i < bins->count; i++)
		if (bins->counts[i] > most)
			most = bins->counts[i];
	static const struct chart_format counts = {CHART_NUMBER, NULL, 0};
	lay->below = layout_left_axis(cv, body, spec->x_label, str_or(spec->y_label, "Count"), 0,
				      (double)most, AXIS_ZERO | AXIS_INTEGER, &counts, 14,
				      tick_row_height, NULL, &lay->y, &lay->plot);
	/* An overflow bar stands apart at the right, in a paler shade. */
	lay->bins_area = lay->plot;
	double right_limit = INFINITY;
	if (bins->overflow) {
		lay->bins_area.w -= OVERFLOW_W + OVERFLOW_GAP;
		struct buf t = BUF_INIT;
		overflow_label(spec, bins, &t);
		double w = cv_text_width(cv, buf_str(&t), SIZE_TICK, 0);
		double mid = lay->plot.x + lay->plot.w - OVERFLOW_W / 2;
		lay->overflow_x0 = mid - w / 2, lay->overflow_x1 = mid + w / 2;
		right_limit = lay->overflow_x0 - OVERFLOW_LABEL_GAP;
		buf_free(&t);
	}
	/* A bin or two get some axis around them, so they read as bars, not a wall. */
	double x_lo = bins->edges[0], x_hi = bins->edges[bins->count];
	if (bins->count < 5) {
		double extra = (double)(5 - bins->count) * bins->width / 2;
		x_lo = x_lo >= 0 && x_lo - extra < 0 ? 0 : x_lo - extra;
		x_hi = x_lo + 5 * bins->width > x_hi + extra ? x_lo + 5 * bins->width : x_hi + extra;
	}
	axis_fit(&lay->x, x_lo, x_hi, (int)(lay->bins_area.w / 80), 0, &spec->x_format);
	lay->right_limit = right_limit;
	lay->tick_count = axis_bottom_labels(cv, &lay->x, lay->bins_area, right_limit, lay->ticks);
}

void histogram_layout_free(struct histogram_layout *lay)
{
	chart_bins_free(&lay->bins);
}

static void histogram_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct canvas *cv = ctx->cv;
	struct histogram_layout lay;
	histogram_layout(cv, spec, ctx->body, &lay);
	const struct chart_bins *bins = &lay.bins;
	if (bins->count == 0) {
		draw_no_data(cv, spec, ctx->body);
		goto done;
	}
	struct rect plot = lay.plot;
	double bins_w = lay.bins_area.w;
	axis_titles(cv, ctx->body, spec->x_label, str_or(spec->y_label, "Count"), plot, lay.below);
	axis_draw_left(cv, &lay.y, plot);
	axis_draw_bottom(cv, &lay.x, lay.bins_area, 0, lay.right_limit);
	double bottom = plot.y + plot.h, gap = 1;
	if (bins->overflow)
		draw_overflow(cv, spec, &lay);
	for (size_t i = 0; i < bins->count; i++) {
		if (!bins->counts[i])
			continue;
		double x0 = axis_pos(&lay.x, bins->edges[i], plot.x, plot.x + bins_w);
		double x1 = axis_pos(&lay.x, bins->edges[i + 1], plot.x, plot.x + bins_w);
		double top = axis_pos(&lay.y, (double)bins->counts[i], bottom, plot.y);
		/* Hairline gaps only while bars stay wider than them. */
		cv_fill_tile(cv, rect_make(x0, top, x1 - x0, bottom - top + (x1 - x0 > 4 ? gap : 0)),
			     x1 - x0 > 4 ? gap : 0, palette_color(0));
	}
	cv_hline(cv, plot.x, plot.x + plot.w, bottom, 1, COLOR_ZERO);
	size_t m;
	const struct chart_series *s = histogram_series(spec);
	double *v = sorted_values(s->values, s->count, &m);
	double median = quantile(v, m, 0.5);
	free(v);
	if (m > 1)
		draw_median(cv, spec, median, axis_pos(&lay.x, median, plot.x, plot.x + bins_w), plot);
done:
	histogram_layout_free(&lay);
}

static void histogram_csv(const struct chart_spec *spec, struct buf *csv)
{
	struct chart_bins bins;
	make_bins(spec, &bins);
	buf_puts(csv, "bin_start,bin_end,count\r\n");
	for (size_t i = 0; i < bins.count; i++) {
		chart_csv_number(csv, bins.edges[i]);
		buf_putc(csv, ',');
		chart_csv_number(csv, bins.edges[i + 1]);
		buf_printf(csv, ",%zu\r\n", bins.counts[i]);
	}
	if (bins.overflow) {
		chart_csv_number(csv, bins.edges[bins.count]);
		buf_printf(csv, ",,%zu\r\n", bins.overflow);
	}
	chart_bins_free(&bins);
}

static void histogram_alt(const struct chart_spec *spec, struct buf *out)
{
	struct chart_bins bins;
	make_bins(spec, &bins);
	buf_puts(out, spec_title(spec));
	if (bins.count == 0) {
		buf_puts(out, ": no data for this period.");
		goto done;
	}
	size_t m;
	const struct chart_series *s = histogram_series(spec);
	double *v = sorted_values(s->values, s->count, &m);
	int decimals = spec->x_format.unit == CHART_CURRENCY && !spec->x_format.decimals
			       ? 2 : spec->x_format.decimals;
	buf_puts(out, ": ");
	if (m == 1) {
		buf_puts(out, "1 value, ");
		format_value_decimals(&spec->x_format, v[0], decimals, 0, out);
		buf_putc(out, '.');
		free(v);
		goto done;
	}
	size_t most = 0;
	for (size_t i = 1; i < bins.count; i++)
		if (bins.counts[i] > bins.counts[most])
			most = i;
	format_count((double)bins.values, out);
	buf_printf(out, " %s; most in ", bins.values == 1 ? "value" : "values");
	chart_format_value(&spec->x_format, bins.edges[most], 0, out);
	buf_puts(out, " to ");
	chart_format_value(&spec->x_format, bins.edges[most + 1], 0, out);
	buf_puts(out, " (");
	format_count((double)bins.counts[most], out);
	buf_puts(out, ")");
	if (bins.overflow) {
		buf_puts(out, "; ");
		format_count((double)bins.overflow, out);
		buf_puts(out, " at ");
		chart_format_value(&spec->x_format, bins.edges[bins.count], 0, out);
		buf_puts(out, " or more");
	}
	buf_puts(out, "; median ");
	format_value_decimals(&spec->x_format, quantile(v, m, 0.5), decimals, 0, out);
	buf_putc(out, '.');
	free(v);
done:
	chart_bins_free(&bins);
}

const struct chart_kind chart_histogram_kind = {"histogram", histogram_draw, histogram_csv,
						histogram_alt};
