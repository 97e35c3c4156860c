/* chart_roc: ROC curves of classifiers (true positive rate against false positive rate
 * over all thresholds), e.g. the churn model against a baseline.
 *
 * The plot is square with both axes 0 to 1, so the diagonal (a model that guesses) is
 * at 45 degrees and curves compare by shape. Every curve starts at (0,0) and ends at
 * (1,1) whether or not the caller's points include them. The legend gives each
 * curve's area under the curve, computed here from the drawn points so the number and
 * the picture always agree. It stands beside the plot; on a narrow chart the plot takes
 * the width and the legend goes in its lower right, where the curves are not (checked
 * against them), or else below it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define INSIDE_PAD 6.0    /* white round the legend drawn inside the plot */
#define INSIDE_MARGIN 6.0 /* between that legend and the plot's edges and curves */
#define BELOW_GAP 10.0    /* between the x axis title and a legend below it */

struct roc_point {
	double fpr, tpr; /* x and y, clamped to [0, 1] */
};

static int by_fpr(const void *a, const void *b)
{
	const struct roc_point *p = a, *q = b;
	if (p->fpr != q->fpr)
		return p->fpr < q->fpr ? -1 : 1;
	return p->tpr < q->tpr ? -1 : p->tpr > q->tpr;
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* The curve through the usable points, from (0,0) to (1,1), sorted; caller frees. */
static struct roc_point *roc_curve(const double *fpr, const double *tpr, size_t n, size_t *out_n)
{
	struct roc_point *p = xmalloc((n + 2) * sizeof *p);
	size_t m = 0;
	p[m++] = (struct roc_point){0, 0};
	for (size_t i = 0; i < n && fpr && tpr; i++) {
		double x = value_clean(fpr[i]), y = value_clean(tpr[i]);
		if (isnan(x) || isnan(y))
			continue;
		p[m++] = (struct roc_point){clamp01(x), clamp01(y)};
	}
	p[m++] = (struct roc_point){1, 1};
	qsort(p, m, sizeof *p, by_fpr);
	*out_n = m;
	return p;
}

double chart_roc_auc(const double *fpr, const double *tpr, size_t n)
{
	size_t m;
	struct roc_point *p = roc_curve(fpr, tpr, n, &m);
	double area = m > 2 ? 0 : NAN; /* only the two assumed ends: nothing was usable */
	for (size_t i = 1; i < m && m > 2; i++)
		area += (p[i].fpr - p[i - 1].fpr) * (p[i].tpr + p[i - 1].tpr) / 2;
	free(p);
	return area;
}

static double series_auc(const struct chart_series *s)
{
	return chart_roc_auc(s->x, s->values, s->count);
}

static int roc_has_data(const struct chart_spec *spec)
{
	for (size_t s = 0; s < spec->series_count; s++)
		if (!isnan(series_auc(&spec->series[s])))
			return 1;
	return 0;
}

static double tick_row_height(struct canvas *cv, double plot_w, void *arg)
{
	(void)cv, (void)plot_w, (void)arg;
	return 8 + SIZE_TICK * TEXT_LINE;
}

/* The legend entries: each curve with its AUC (the name is cut to max_w, never the
 * number), then the chance line. The labels are kept in lay. */
static void roc_legend(struct canvas *cv, const struct chart_spec *spec, double max_w,
		       struct roc_layout *lay)
{
	size_t n = spec->series_count;
	lay->entries = xcalloc(n + 1, sizeof *lay->entries);
	lay->labels = xcalloc(n ? n : 1, sizeof *lay->labels);
	lay->entry_count = n + 1;
	for (size_t s = 0; s < n; s++) {
		struct buf b = BUF_INIT, tail = BUF_INIT;
		double auc = series_auc(&spec->series[s]);
		if (isnan(auc))
			buf_puts(&tail, " (no data)");
		else
			buf_printf(&tail, " (AUC %.2f)", auc);
		double room = max_w - 22 - cv_text_width(cv, buf_str(&tail), SIZE_LABEL, 0);
		cv_text_fit(cv, str_or(series_name(&spec->series[s]), "Model"), SIZE_LABEL, 0, room,
			    &b);
		buf_puts(&b, buf_str(&tail));
		lay->labels[s] = buf_detach(&b);
		buf_free(&tail);
		lay->entries[s] = (struct legend_entry){lay->labels[s], MARK_LINE, palette_color(s)};
	}
	lay->entries[n] = (struct legend_entry){"Chance (AUC 0.50)", MARK_DASH, COLOR_AXIS};
}

static const struct chart_format rate = {CHART_NUMBER, NULL, 1};

static const char *x_title(const struct chart_spec *spec)
{
	return str_or(spec->x_label, "False positive rate");
}

static const char *y_title(const struct chart_spec *spec)
{
	return str_or(spec->y_label, "True positive rate");
}

/* A square plot as large as room allows, centred in it (room narrows to match). */
static void square_plot(struct canvas *cv, const struct chart_spec *spec, struct roc_layout *lay)
{
	lay->below = layout_left_axis(cv, lay->room, x_title(spec), y_title(spec), 0, 1, 0, &rate,
				      0, tick_row_height, NULL, &lay->y, &lay->plot);
	if (lay->plot.w > lay->plot.h) {
		double spare = lay->plot.w - lay->plot.h;
		lay->room.w -= spare;
		lay->room.x += spare / 2;
		lay->below = layout_left_axis(cv, lay->room, x_title(spec), y_title(spec), 0, 1, 0,
					      &rate, 0, tick_row_height, NULL, &lay->y, &lay->plot);
	}
}

/* Lowest true positive rate of any curve from false positive rate x0 on (curves are
 * read as drawn: straight between their points). */
static double lowest_from(const struct chart_spec *spec, double x0)
{
	double low = 1;
	for (size_t s = 0; s < spec->series_count; s++) {
		const struct chart_series *ser = &spec->series[s];
		size_t m;
		struct roc_point *p = roc_curve(ser->x, ser->values, ser->count, &m);
		for (size_t i = 0; i < m && m > 2; i++) {
			if (p[i].fpr >= x0)
				low = fmin(low, p[i].tpr);
			if (i + 1 < m && p[i].fpr < x0 && p[i + 1].fpr > x0) {
				double t = (x0 - p[i].fpr) / (p[i + 1].fpr - p[i].fpr);
				low = fmin(low, p[i].tpr + t * (p[i + 1].tpr - p[i].tpr));
			}
		}
		free(p);
	}
	return low;
}

/* The legend in the plot's lower right, boxed, when no curve passes through the box. */
static int legend_inside(const struct chart_spec *spec, struct roc_layout *lay, double w,
			 double h)
{
	struct rect box = rect_make(lay->plot.x + lay->plot.w - w - INSIDE_MARGIN,
				    lay->plot.y + lay->plot.h - h - INSIDE_MARGIN, w, h);
	if (box.x < lay->plot.x + INSIDE_MARGIN || box.y < lay->plot.y)
		return 0;
	double x0 = (box.x - lay->plot.x) / lay->plot.w;
	double top = (lay->plot.y + lay->plot.h - box.y + INSIDE_MARGIN) / lay->plot.h;
	if (lowest_from(spec, x0) <= top)
		return 0;
	lay->legend_at = ROC_LEGEND_INSIDE;
	lay->legend = box;
	return 1;
}

/* Narrow: the plot takes the width; the legend goes inside it if it fits, else below. */
static void layout_narrow(struct canvas *cv, const struct chart_spec *spec, struct rect body,
			  struct roc_layout *lay)
{
	size_t n = lay->entry_count;
	double box_w = legend_column_width(cv, lay->entries, n) + 2 * INSIDE_PAD;
	double box_h = legend_column_height(n) + 2 * INSIDE_PAD;
	lay->room = body;
	square_plot(cv, spec, lay);
	if (legend_inside(spec, lay, box_w, box_h))
		return;
	double legend_h = legend_height(cv, lay->entries, n, body.w);
	lay->room = body;
	lay->room.h = body.h - legend_h - BELOW_GAP;
	square_plot(cv, spec, lay);
	lay->legend_at = ROC_LEGEND_BELOW;
	lay->legend = rect_make(body.x, lay->room.y + lay->room.h + BELOW_GAP, body.w, legend_h);
}

/* Wide: the legend beside the plot, at its foot; plot and legend centred together. */
static void layout_wide(struct canvas *cv, const struct chart_spec *spec, struct rect body,
			struct roc_layout *lay)
{
	size_t n = lay->entry_count;
	double legend_w = fmin(legend_column_width(cv, lay->entries, n), body.w * 0.42);
	lay->room = body;
	lay->room.w = body.w - legend_w - 28;
	square_plot(cv, spec, lay);
	lay->legend_at = ROC_LEGEND_BESIDE;
	lay->legend = rect_make(lay->plot.x + lay->plot.w + 28,
				lay->plot.y + lay->plot.h - legend_column_height(n) - 12, legend_w,
				legend_column_height(n));
}

void roc_layout(struct canvas *cv, const struct chart_spec *spec, struct rect body,
		struct roc_layout *lay)
{
	memset(lay, 0, sizeof *lay);
	int narrow = cv_narrow(cv);
	roc_legend(cv, spec, narrow ? body.w : body.w * 0.42, lay);
	if (narrow)
		layout_narrow(cv, spec, body, lay);
	else
		layout_wide(cv, spec, body, lay);
	axis_fit(&lay->x, 0, 1, (int)(lay->plot.w / 60), 0, &rate);
}

void roc_layout_free(struct roc_layout *lay)
{
	for (size_t s = 0; s + 1 < lay->entry_count; s++)
		free(lay->labels[s]);
	free(lay->labels);
	free(lay->entries);
	memset(lay, 0, sizeof *lay);
}

static void draw_curve(struct canvas *cv, const struct chart_series *ser, const struct axis *x,
		       const struct axis *y, struct rect plot, struct rgba color)
{
	size_t m;
	struct roc_point *p = roc_curve(ser->x, ser->values, ser->count, &m);
	double *xy = xmalloc(2 * m * sizeof *xy);
	for (size_t i = 0; i < m; i++) {
		xy[2 * i] = axis_pos(x, p[i].fpr, plot.x, plot.x + plot.w);
		xy[2 * i + 1] = axis_pos(y, p[i].tpr, plot.y + plot.h, plot.y);
	}
	cv_stroke_polyline(cv, xy, m, 2, color);
	free(xy);
	free(p);
}

static void draw_legend(struct canvas *cv, const struct roc_layout *lay)
{
	struct rect b = lay->legend;
	size_t n = lay->entry_count;
	switch (lay->legend_at) {
	case ROC_LEGEND_BESIDE:
		legend_draw_column(cv, lay->entries, n, b.x, b.y, b.w);
		break;
	case ROC_LEGEND_INSIDE:
		cv_fill_round_rect(cv, b.x, b.y, b.w, b.h, 3, color_alpha(COLOR_BACKGROUND, 0.92));
		legend_draw_column(cv, lay->entries, n, b.x + INSIDE_PAD, b.y + INSIDE_PAD,
				   b.w - 2 * INSIDE_PAD);
		break;
	case ROC_LEGEND_BELOW:
		legend_draw(cv, lay->entries, n, b.x, b.y, b.w);
		break;
	}
}

static void roc_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct canvas *cv = ctx->cv;
	if (!roc_has_data(spec)) {
		draw_no_data(cv, spec, ctx->body);
		return;
	}
	struct roc_layout lay;
	roc_layout(cv, spec, ctx->body, &lay);
	struct rect plot = lay.plot;
	axis_titles(cv, lay.room, x_title(spec), y_title(spec), plot, lay.below);
	axis_draw_left(cv, &lay.y, plot);
	axis_draw_bottom(cv, &lay.x, plot, 1, INFINITY);
	double bottom = plot.y + plot.h;
	double diag[4] = {plot.x, bottom, plot.x + plot.w, plot.y};
	cv_stroke_dashed(cv, diag, 2, 1.25, 5, 4, COLOR_AXIS);
	for (size_t s = spec->series_count; s-- > 0;) /* the first series on top */
		if (!isnan(series_auc(&spec->series[s])))
			draw_curve(cv, &spec->series[s], &lay.x, &lay.y, plot, palette_color(s));
	cv_hline(cv, plot.x, plot.x + plot.w, bottom, 1, COLOR_AXIS);
	draw_legend(cv, &lay);
	roc_layout_free(&lay);
}

static void roc_csv(const struct chart_spec *spec, struct buf *csv)
{
	buf_puts(csv, "series,false_positive_rate,true_positive_rate\r\n");
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

static void roc_alt(const struct chart_spec *spec, struct buf *out)
{
	buf_puts(out, spec_title(spec));
	if (!roc_has_data(spec)) {
		buf_puts(out, ": no data for this period.");
		return;
	}
	buf_puts(out, ": ");
	int first = 1;
	for (size_t s = 0; s < spec->series_count; s++) {
		double auc = series_auc(&spec->series[s]);
		if (isnan(auc))
			continue;
		buf_printf(out, "%s%s AUC %.2f", first ? "" : ", ",
			   str_or(series_name(&spec->series[s]), "model"), auc);
		first = 0;
	}
	buf_puts(out, " (0.50 is chance).");
}

const struct chart_kind chart_roc_kind = {"roc", roc_draw, roc_csv, roc_alt};
