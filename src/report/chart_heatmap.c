/* chart_heatmap: a matrix of values as coloured cells, e.g. cohort retention (rows =
 * month of first purchase, columns = months since).
 *
 * Colour runs from light to dark over the range of the known cells (one hue, so order
 * is readable by everyone); a colour bar at the right says what the colours mean and
 * a grey swatch marks cells with no data, which are drawn as quiet grey rather than as
 * a low value. Values are written in cells when they fit, in dark or white, whichever
 * reads better on the cell. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define LEGEND_BAR_W 12.0
#define CELL_GAP 1.0

struct heatmap {
	const struct chart_spec *spec;
	const struct chart_matrix *m;
	double lo, hi;       /* range of the known cells */
	size_t known;        /* cells with a value */
	const char **cols;   /* column labels (owned array) */
	char *col_text;      /* numbers used when there are no column labels */
};

static double cell(const struct heatmap *hm, size_t r, size_t c)
{
	return value_clean(hm->m->cells[r * hm->m->cols + c]);
}

static const char *row_label(const struct chart_matrix *m, size_t r)
{
	return m->row_labels && m->row_labels[r] ? m->row_labels[r] : "";
}

static void heatmap_build(struct heatmap *hm, const struct chart_spec *spec)
{
	hm->spec = spec;
	hm->m = &spec->matrix;
	hm->lo = INFINITY, hm->hi = -INFINITY;
	hm->known = 0;
	hm->cols = NULL;
	hm->col_text = NULL;
	if (!hm->m->cells)
		return;
	for (size_t r = 0; r < hm->m->rows; r++)
		for (size_t c = 0; c < hm->m->cols; c++) {
			double v = cell(hm, r, c);
			if (isnan(v))
				continue;
			hm->lo = fmin(hm->lo, v), hm->hi = fmax(hm->hi, v);
			hm->known++;
		}
}

static void column_labels(struct heatmap *hm)
{
	size_t n = hm->m->cols;
	hm->cols = xcalloc(n, sizeof *hm->cols);
	if (hm->m->col_labels) {
		for (size_t c = 0; c < n; c++)
			hm->cols[c] = hm->m->col_labels[c] ? hm->m->col_labels[c] : "";
		return;
	}
	hm->col_text = xmalloc(n * 21 + 1);
	char *p = hm->col_text;
	for (size_t c = 0; c < n; c++) {
		hm->cols[c] = p;
		p += sprintf(p, "%zu", c) + 1;
	}
}

/* Where v falls on the colour scale, 0..1. */
static double scale_t(const struct heatmap *hm, double v)
{
	return hm->hi > hm->lo ? (v - hm->lo) / (hm->hi - hm->lo) : 0.5;
}

/* A cell with no data: pale grey with faint hatching, unlike any colour of the scale. */
static void draw_missing(struct canvas *cv, struct rect r, double gap)
{
	cv_fill_tile(cv, r, gap, COLOR_PANEL);
	cv_hatch_rect(cv, rect_make(r.x, r.y, r.w - gap, r.h - gap), 5, 1, COLOR_GRID);
}

/* The colour bar with a few nice ticks; returns its width including labels. */
static double colour_bar_width(struct canvas *cv, const struct heatmap *hm, struct axis *ticks)
{
	axis_fit(ticks, hm->lo, hm->hi, 4, 0, &hm->spec->format);
	double w = cv_text_width(cv, "No data", SIZE_TICK, 0);
	return LEGEND_BAR_W + 6 + fmax(w - LEGEND_BAR_W - 6 + 2, axis_label_width(cv, ticks));
}

static void draw_colour_bar(struct canvas *cv, const struct heatmap *hm, const struct axis *ticks,
			    double x, double top, double h, int show_missing)
{
	/* The gradient, drawn in strips one device pixel high. */
	double step = 1 / cv->scale;
	for (double y = 0; y < h; y += step) {
		double t = 1 - (y + step / 2) / h;
		cv_fill_rect_crisp(cv, x, top + y, LEGEND_BAR_W, step, color_sequential(t));
	}
	struct buf label = BUF_INIT;
	for (int i = 0; i < ticks->ticks; i++) {
		double v = axis_tick(ticks, i);
		if (v < hm->lo - 1e-12 * fabs(hm->lo) || v > hm->hi + 1e-12 * fabs(hm->hi))
			continue;
		double y = top + (1 - scale_t(hm, v)) * h;
		cv_hline(cv, x + LEGEND_BAR_W, x + LEGEND_BAR_W + 4, y, 1, COLOR_AXIS);
		buf_reset(&label);
		axis_tick_label(ticks, v, &label);
		cv_text_mid(cv, x + LEGEND_BAR_W + 6, y, ALIGN_LEFT, buf_str(&label), SIZE_TICK, 0,
			    COLOR_MUTED);
	}
	if (show_missing) {
		double y = top + h + 14;
		draw_missing(cv, rect_make(x, y, LEGEND_BAR_W, LEGEND_BAR_W), 0);
		cv_text_mid(cv, x - 1, y + LEGEND_BAR_W + 12, ALIGN_LEFT, "No data", SIZE_TICK, 0,
			    COLOR_MUTED);
	}
	buf_free(&label);
}

/* Where the parts of a heatmap go. */
struct heatmap_layout {
	struct rect plot;          /* the cells */
	double cell_w, cell_h;     /* one cell, gap included */
	double label_col;          /* width of the row labels */
	size_t row_every;          /* a row label every this many rows */
	struct category_axis cols; /* the column labels below */
};

static void heatmap_layout(struct canvas *cv, const struct heatmap *hm, struct rect body,
			   double bar_w, struct heatmap_layout *lay)
{
	const struct chart_spec *spec = hm->spec;
	const struct chart_matrix *m = hm->m;
	double title_w = spec->y_label && *spec->y_label ? SIZE_LABEL * (TEXT_ASCENT + TEXT_DESCENT) + 8 : 0;
	double x_title_h = spec->x_label && *spec->x_label ? SIZE_LABEL * TEXT_LINE + 4 : 0;
	/* Row labels: thinned when rows are short, as wide as the widest up to a quarter. */
	double row_h = (body.h - x_title_h - 30) / (double)m->rows;
	lay->row_every = 1;
	while (row_h * (double)lay->row_every < SIZE_TICK * 1.2 && lay->row_every < m->rows)
		lay->row_every++;
	double widest = 0;
	for (size_t r = 0; r < m->rows; r += lay->row_every)
		widest = fmax(widest, cv_text_width(cv, row_label(m, r), SIZE_TICK, 0));
	lay->label_col = fmin(widest, body.w * 0.25);
	double plot_x = body.x + title_w + lay->label_col + 8;
	double plot_w = body.x + body.w - plot_x - bar_w - 24;
	category_axis_fit(cv, hm->cols, m->cols, plot_w / (double)m->cols, body.h * 0.25, 1,
			  &lay->cols);
	lay->plot = rect_make(plot_x, body.y + 2, plot_w, body.h - 2 - lay->cols.height - x_title_h);
	lay->cell_w = lay->plot.w / (double)m->cols;
	lay->cell_h = lay->plot.h / (double)m->rows;
}

/* Values go in the cells only if every one fits, so the grid reads evenly. */
static int values_fit(struct canvas *cv, const struct heatmap *hm, const struct heatmap_layout *lay)
{
	if (lay->cell_h < SIZE_VALUE + 3)
		return 0;
	struct buf t = BUF_INIT;
	int fit = 1;
	for (size_t r = 0; r < hm->m->rows && fit; r++)
		for (size_t c = 0; c < hm->m->cols && fit; c++) {
			double v = cell(hm, r, c);
			if (isnan(v))
				continue;
			buf_reset(&t);
			format_label(&hm->spec->format, v, &t);
			fit = cv_text_width(cv, buf_str(&t), SIZE_VALUE, 0) <= lay->cell_w - 5;
		}
	buf_free(&t);
	return fit;
}

/* Draws every cell; returns how many had no data. */
static size_t draw_cells(struct canvas *cv, const struct heatmap *hm,
			 const struct heatmap_layout *lay)
{
	int write = values_fit(cv, hm, lay);
	double cw = lay->cell_w, ch = lay->cell_h;
	struct buf t = BUF_INIT;
	size_t missing = 0;
	for (size_t r = 0; r < hm->m->rows; r++)
		for (size_t c = 0; c < hm->m->cols; c++) {
			double v = cell(hm, r, c);
			struct rect rc = rect_make(lay->plot.x + (double)c * cw,
						   lay->plot.y + (double)r * ch, cw, ch);
			if (isnan(v)) {
				draw_missing(cv, rc, CELL_GAP);
				missing++;
				continue;
			}
			struct rgba fill = color_sequential(scale_t(hm, v));
			cv_fill_tile(cv, rc, CELL_GAP, fill);
			if (!write)
				continue;
			buf_reset(&t);
			format_label(&hm->spec->format, v, &t);
			cv_text_mid(cv, rc.x + (cw - CELL_GAP) / 2, rc.y + (ch - CELL_GAP) / 2,
				    ALIGN_CENTER, buf_str(&t), SIZE_VALUE, 0, color_text_on(fill));
		}
	buf_free(&t);
	return missing;
}

static void draw_row_labels(struct canvas *cv, const struct heatmap *hm,
			    const struct heatmap_layout *lay)
{
	struct buf t = BUF_INIT;
	for (size_t r = 0; r < hm->m->rows; r += lay->row_every) {
		buf_reset(&t);
		cv_text_fit(cv, row_label(hm->m, r), SIZE_TICK, 0, lay->label_col, &t);
		cv_text_mid(cv, lay->plot.x - 8,
			    lay->plot.y + ((double)r + 0.5) * lay->cell_h - CELL_GAP / 2, ALIGN_RIGHT,
			    buf_str(&t), SIZE_TICK, 0, COLOR_TEXT);
	}
	buf_free(&t);
}

static void heatmap_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct canvas *cv = ctx->cv;
	struct heatmap hm;
	heatmap_build(&hm, spec);
	if (hm.known == 0) {
		draw_no_data(cv, spec, ctx->body);
		return;
	}
	column_labels(&hm);
	struct axis ticks;
	struct heatmap_layout lay;
	heatmap_layout(cv, &hm, ctx->body, colour_bar_width(cv, &hm, &ticks), &lay);
	size_t missing = draw_cells(cv, &hm, &lay);
	draw_row_labels(cv, &hm, &lay);
	struct rect plot = lay.plot;
	category_axis_draw(cv, &lay.cols, hm.cols, hm.m->cols, plot.x + (lay.cell_w - CELL_GAP) / 2,
			   lay.cell_w, plot.y + plot.h - 4);
	axis_title_left(cv, spec->y_label, ctx->body.x, plot);
	axis_title_bottom(cv, spec->x_label, plot.y + plot.h + lay.cols.height, plot);
	double legend_h = fmin(plot.h - (missing ? 40 : 0), 220);
	if (legend_h < 40)
		legend_h = plot.h;
	draw_colour_bar(cv, &hm, &ticks, plot.x + plot.w + 20, plot.y + 6, legend_h - 6,
			missing > 0);
	free(hm.cols);
	free(hm.col_text);
}

static void heatmap_csv(const struct chart_spec *spec, struct buf *csv)
{
	struct heatmap hm;
	heatmap_build(&hm, spec);
	const struct chart_matrix *m = hm.m;
	chart_csv_text(csv, str_or(spec->y_label, "row"));
	for (size_t c = 0; c < m->cols; c++) {
		buf_putc(csv, ',');
		if (m->col_labels)
			chart_csv_text(csv, m->col_labels[c]);
		else
			buf_printf(csv, "%zu", c);
	}
	buf_puts(csv, "\r\n");
	for (size_t r = 0; r < m->rows && m->cells; r++) {
		chart_csv_text(csv, row_label(m, r));
		for (size_t c = 0; c < m->cols; c++) {
			buf_putc(csv, ',');
			chart_csv_number(csv, cell(&hm, r, c));
		}
		buf_puts(csv, "\r\n");
	}
}

/* Appends "(row, column)" naming a cell. */
static void cell_name(const struct chart_spec *spec, size_t r, size_t c, struct buf *out)
{
	const struct chart_matrix *m = &spec->matrix;
	if (row_label(m, r)[0])
		buf_printf(out, " (%s, ", row_label(m, r));
	else
		buf_printf(out, " (row %zu, ", r + 1);
	if (m->col_labels && m->col_labels[c] && spec->x_label && *spec->x_label)
		buf_printf(out, "%s %s", spec->x_label, m->col_labels[c]);
	else if (m->col_labels && m->col_labels[c])
		buf_puts(out, m->col_labels[c]);
	else
		buf_printf(out, "column %zu", c);
	buf_putc(out, ')');
}

static void heatmap_alt(const struct chart_spec *spec, struct buf *out)
{
	struct heatmap hm;
	heatmap_build(&hm, spec);
	const struct chart_matrix *m = hm.m;
	buf_puts(out, spec_title(spec));
	if (hm.known == 0) {
		buf_puts(out, ": no data for this period.");
		return;
	}
	size_t hr = 0, hc = 0, lr = 0, lc = 0;
	int found = 0;
	for (size_t r = 0; r < m->rows; r++)
		for (size_t c = 0; c < m->cols; c++) {
			double v = cell(&hm, r, c);
			if (isnan(v))
				continue;
			if (!found || v > cell(&hm, hr, hc))
				hr = r, hc = c;
			if (!found || v < cell(&hm, lr, lc))
				lr = r, lc = c;
			found = 1;
		}
	buf_puts(out, ": highest ");
	chart_format_value(&spec->format, cell(&hm, hr, hc), 0, out);
	cell_name(spec, hr, hc, out);
	buf_puts(out, ", lowest ");
	chart_format_value(&spec->format, cell(&hm, lr, lc), 0, out);
	cell_name(spec, lr, lc, out);
	size_t cells = m->rows * m->cols;
	if (hm.known < cells)
		buf_printf(out, "; %zu of %zu cells have no data", cells - hm.known, cells);
	buf_putc(out, '.');
}

const struct chart_kind chart_heatmap_kind = {"heatmap", heatmap_draw, heatmap_csv, heatmap_alt};
