/* chart_roc: ROC curves of classifiers (true positive rate against false positive rate
 * over all thresholds), e.g. the churn model against a baseline.
 *
 * The plot is square with both axes 0 to 1, so the diagonal (a model that guesses) is
 * at 45 degrees and curves compare by shape. Every curve starts at (0,0) and ends at
 * (1,1) whether or not the caller's points include them. The legend, beside the plot,
 * gives each curve's area under the curve, computed here from the drawn points so the
 * number and the picture always agree. */
#include <math.h>
#include <stdlib.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

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

/* The legend entries: each curve with its AUC (the name is cut, never the number),
 * then the chance line. Labels are owned by the caller afterwards (free each). */
static struct legend_entry *roc_legend(struct canvas *cv, const struct chart_spec *spec,
				       double max_w, char ***labels_out)
{
	size_t n = spec->series_count;
	struct legend_entry *e = xcalloc(n + 1, sizeof *e);
	char **labels = xcalloc(n ? n : 1, sizeof *labels);
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
		labels[s] = buf_detach(&b);
		buf_free(&tail);
		e[s] = (struct legend_entry){labels[s], MARK_LINE, palette_color(s)};
	}
	e[n] = (struct legend_entry){"Chance (AUC 0.50)", MARK_DASH, COLOR_AXIS};
	*labels_out = labels;
	return e;
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

static void roc_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct canvas *cv = ctx->cv;
	struct rect body = ctx->body;
	if (!roc_has_data(spec)) {
		draw_no_data(cv, spec, body);
		return;
	}
	size_t n = spec->series_count;
	char **labels;
	struct legend_entry *e = roc_legend(cv, spec, body.w * 0.42, &labels);
	double legend_w = fmin(legend_column_width(cv, e, n + 1), body.w * 0.42);

	/* A square plot as large as the room allows, with the legend to its right. */
	static const struct chart_format rate = {CHART_NUMBER, NULL, 1};
	const char *x_title = str_or(spec->x_label, "False positive rate");
	const char *y_title = str_or(spec->y_label, "True positive rate");
	struct axis y, x;
	struct rect plot, room = body;
	room.w = body.w - legend_w - 28;
	double below = layout_left_axis(cv, room, x_title, y_title, 0, 1, 0, &rate, 0,
					tick_row_height, NULL, &y, &plot);
	if (plot.w > plot.h) { /* square it, and centre plot and legend together */
		double spare = plot.w - plot.h;
		room.w -= spare;
		room.x += spare / 2;
		below = layout_left_axis(cv, room, x_title, y_title, 0, 1, 0, &rate, 0,
					 tick_row_height, NULL, &y, &plot);
	}
	axis_titles(cv, room, x_title, y_title, plot, below);
	axis_fit(&x, 0, 1, (int)(plot.w / 60), 0, &rate);
	axis_draw_left(cv, &y, plot);
	axis_draw_bottom(cv, &x, plot, 1);
	double bottom = plot.y + plot.h;
	double diag[4] = {plot.x, bottom, plot.x + plot.w, plot.y};
	cv_stroke_dashed(cv, diag, 2, 1.25, 5, 4, COLOR_AXIS);
	for (size_t s = n; s-- > 0;) /* the first series on top */
		if (!isnan(series_auc(&spec->series[s])))
			draw_curve(cv, &spec->series[s], &x, &y, plot, palette_color(s));
	cv_hline(cv, plot.x, plot.x + plot.w, bottom, 1, COLOR_AXIS);
	legend_draw_column(cv, e, n + 1, plot.x + plot.w + 28,
			   plot.y + plot.h - 21.0 * (double)(n + 1) - 12, legend_w);
	for (size_t s = 0; s < n; s++)
		free(labels[s]);
	free(labels);
	free(e);
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
