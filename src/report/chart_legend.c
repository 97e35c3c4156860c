/* chart_legend: the key to a chart's colours, placed where it never covers data: in
 * rows above the plot for most charts, or one entry per line beside a ROC plot (on a
 * narrow chart inside it, in a corner the curves keep clear of, or in rows below it).
 * Each entry is a small mark (line, box, dot, band or dash) in the series colour
 * followed by its label. */
#include <math.h>

#include "report/chart_internal.h"

#define MARK_W 16.0      /* room for the mark */
#define MARK_GAP 6.0     /* between mark and label */
#define ENTRY_GAP 18.0   /* between entries on a row */
#define ROW_H 18.0       /* legend row height */
#define COLUMN_ROW_H 21.0

static double entry_width(struct canvas *cv, const struct legend_entry *e, double max_label)
{
	double w = cv_text_width(cv, e->label, SIZE_LABEL, 0);
	if (w > max_label)
		w = max_label;
	return MARK_W + MARK_GAP + w;
}

/* Draws the mark of e with its vertical middle at cy, from x. */
static void draw_mark(struct canvas *cv, const struct legend_entry *e, double x, double cy)
{
	switch (e->mark) {
	case MARK_LINE:
		cv_line(cv, x + 1, cy, x + MARK_W - 1, cy, 2.5, e->color);
		break;
	case MARK_BOX:
		cv_fill_round_rect(cv, x + 2, cy - 6, 12, 12, 2, e->color);
		break;
	case MARK_DOT:
		cv_fill_circle(cv, x + MARK_W / 2, cy, 5, COLOR_BACKGROUND);
		cv_fill_circle(cv, x + MARK_W / 2, cy, 4, e->color);
		break;
	case MARK_BAND:
		cv_fill_round_rect(cv, x, cy - 6, MARK_W, 12, 2, e->color);
		break;
	case MARK_DASH: {
		double xy[4] = {x, cy, x + MARK_W, cy};
		cv_stroke_dashed(cv, xy, 2, 1.5, 4, 3, e->color);
		break;
	}
	}
}

/* Draws entry e with its mark at x and the text middle at cy, label cut to max_label. */
static void draw_entry(struct canvas *cv, const struct legend_entry *e, double x, double cy,
		       double max_label)
{
	struct buf fit = BUF_INIT;
	draw_mark(cv, e, x, cy);
	cv_text_fit(cv, e->label, SIZE_LABEL, 0, max_label, &fit);
	cv_text_mid(cv, x + MARK_W + MARK_GAP, cy, ALIGN_LEFT, buf_str(&fit), SIZE_LABEL, 0,
		    COLOR_TEXT);
	buf_free(&fit);
}

/* Lays out the rows; draws them when draw is set. Returns the height. */
static double rows(struct canvas *cv, const struct legend_entry *e, size_t n, double x0,
		   double y0, double width, int draw)
{
	if (n == 0)
		return 0;
	double max_label = width - MARK_W - MARK_GAP;
	double x = x0, y = y0;
	for (size_t i = 0; i < n; i++) {
		double w = entry_width(cv, &e[i], max_label);
		if (x > x0 && x + w > x0 + width) {
			x = x0;
			y += ROW_H;
		}
		if (draw)
			draw_entry(cv, &e[i], x, y + ROW_H / 2, max_label);
		x += w + ENTRY_GAP;
	}
	return y + ROW_H - y0;
}

double legend_height(struct canvas *cv, const struct legend_entry *e, size_t n, double width)
{
	return rows(cv, e, n, 0, 0, width, 0);
}

double legend_draw(struct canvas *cv, const struct legend_entry *e, size_t n, double x,
		   double y, double width)
{
	return rows(cv, e, n, x, y, width, 1);
}

double legend_column_width(struct canvas *cv, const struct legend_entry *e, size_t n)
{
	double w = 0;
	for (size_t i = 0; i < n; i++) {
		double ew = entry_width(cv, &e[i], 1e9);
		if (ew > w)
			w = ew;
	}
	return w;
}

double legend_column_height(size_t n)
{
	return COLUMN_ROW_H * (double)n;
}

double legend_draw_column(struct canvas *cv, const struct legend_entry *e, size_t n, double x,
			  double y, double max_w)
{
	for (size_t i = 0; i < n; i++)
		draw_entry(cv, &e[i], x, y + COLUMN_ROW_H * (double)i + COLUMN_ROW_H / 2,
			   max_w - MARK_W - MARK_GAP);
	return COLUMN_ROW_H * (double)n;
}
