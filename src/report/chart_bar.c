/* chart_bar: bar charts, vertical or horizontal: one series with a value label on
 * each bar, several series side by side (grouped) or on top of each other (stacked,
 * positives up from zero and negatives down, so the parts still add up visibly).
 *
 * The value axis always includes zero: a bar's length is its value. The layout works
 * along two directions, "along" the categories and "across" them on the value axis;
 * a bar is placed by category, offset and thickness plus the two values it spans, and
 * only the mapping to x and y depends on the orientation. Labels that would collide
 * are not drawn at all rather than drawn over each other: a chart with a few bars
 * missing their labels reads better than one with a smear of digits. On a narrow
 * chart, horizontal bars whose labels would be cut get each label on a line of its
 * own above the bar instead (bar_rows_fit). */
#include <math.h>
#include <stdlib.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define BAR_MAX 90.0     /* thickest bar, so one bar does not fill the chart */
#define LABEL_GAP 4.0    /* between a bar's end and its value label */
#define MIN_ROW_FONT 9.0 /* category labels of horizontal bars shrink to this */
#define MIN_BAR_BELOW_LABEL 10.0 /* room a bar needs under a label written above it */
#define LABEL_TO_BAR 1.0 /* between such a label's line and its bar */

enum bar_mode { BAR_SINGLE, BAR_GROUPED, BAR_STACKED };

struct bar_chart {
	const struct chart_spec *spec;
	struct canvas *cv;
	enum bar_mode mode;
	int horizontal;            /* bars run left to right */
	size_t n;                  /* categories */
	size_t m;                  /* series */
	const char **labels;       /* category labels (owned array) */
	double *pos, *neg;         /* per category: sum of positives, of negatives */
	struct axis value;         /* the value axis */
	struct category_axis cats; /* vertical: the category labels below */
	struct rect plot;          /* where the bars go */
	double slot;               /* room per category along the category direction */
	double thickness;          /* of a single bar or a whole group */
	int labels_above;          /* horizontal: category labels sit above their bars */
	double bar_shift;          /* and the bars this far below their rows' middle */
	int value_labels;          /* value labels are drawn */
};

static enum bar_mode mode_of(const struct chart_spec *spec)
{
	if (spec->series_count <= 1)
		return BAR_SINGLE;
	return spec->type == CHART_STACKED_BAR ? BAR_STACKED : BAR_GROUPED;
}

static double bar_value(const struct bar_chart *bc, size_t s, size_t i)
{
	return series_value(&bc->spec->series[s], i);
}

/* Sums and range; returns 0 when no value is known. */
static int prepare(struct bar_chart *bc, double *lo, double *hi)
{
	bc->pos = xcalloc(bc->n ? bc->n : 1, sizeof *bc->pos);
	bc->neg = xcalloc(bc->n ? bc->n : 1, sizeof *bc->neg);
	bc->labels = xcalloc(bc->n ? bc->n : 1, sizeof *bc->labels);
	*lo = 0, *hi = 0;
	int any = 0;
	for (size_t i = 0; i < bc->n; i++) {
		bc->labels[i] = spec_category(bc->spec, i);
		for (size_t s = 0; s < bc->m; s++) {
			double v = bar_value(bc, s, i);
			if (isnan(v))
				continue;
			any = 1;
			if (v >= 0)
				bc->pos[i] += v;
			else
				bc->neg[i] += v;
			if (bc->mode != BAR_STACKED)
				*lo = fmin(*lo, v), *hi = fmax(*hi, v);
		}
		if (bc->mode == BAR_STACKED)
			*lo = fmin(*lo, bc->neg[i]), *hi = fmax(*hi, bc->pos[i]);
	}
	return any;
}

/* Appends the label written on or beside a bar. */
static void value_text(const struct bar_chart *bc, double v, struct buf *out)
{
	format_label(&bc->spec->format, v, out);
}

/* Widest value label of the ends that get one (bars, or stack totals). */
static double widest_value_label(struct bar_chart *bc, int negatives)
{
	struct buf t = BUF_INIT;
	double w = 0;
	for (size_t i = 0; i < bc->n; i++)
		for (size_t s = 0; s < (bc->mode == BAR_STACKED ? 1 : bc->m); s++) {
			double v = bc->mode == BAR_STACKED ? (negatives ? bc->neg[i] : bc->pos[i])
							   : bar_value(bc, s, i);
			if (isnan(v) || (negatives ? v >= 0 : v < 0) || (bc->mode == BAR_STACKED && v == 0))
				continue;
			buf_reset(&t);
			value_text(bc, v, &t);
			double tw = cv_text_width(bc->cv, buf_str(&t), SIZE_VALUE, 0);
			w = fmax(w, tw);
		}
	buf_free(&t);
	return w;
}

/* ---- placing bars ---- */

/* Position of value v across the plot (y when vertical, x when horizontal). */
static double value_pos(const struct bar_chart *bc, double v)
{
	if (bc->horizontal)
		return axis_pos(&bc->value, v, bc->plot.x, bc->plot.x + bc->plot.w);
	return axis_pos(&bc->value, v, bc->plot.y + bc->plot.h, bc->plot.y);
}

/* Start of category i's group along the category direction. */
static double group_start(const struct bar_chart *bc, size_t i)
{
	double base = bc->horizontal ? bc->plot.y : bc->plot.x;
	return base + ((double)i + 0.5) * bc->slot - bc->thickness / 2 + bc->bar_shift;
}

/* The rectangle of a bar in category i at offset off, thickness t, from value a to b. */
static struct rect bar_rect(const struct bar_chart *bc, size_t i, double off, double t, double a,
			    double b)
{
	double p = value_pos(bc, a), q = value_pos(bc, b), along = group_start(bc, i) + off;
	/* Never past the plot, whatever the values. */
	double min = bc->horizontal ? bc->plot.x : bc->plot.y;
	double max = min + (bc->horizontal ? bc->plot.w : bc->plot.h);
	double lo = fmax(fmin(p, q), min), hi = fmin(fmax(p, q), max);
	double len = hi > lo ? hi - lo : 0;
	return bc->horizontal ? rect_make(lo, along, len, t) : rect_make(along, lo, t, len);
}

/* Writes a value label just past the end of a bar (value v, ending at end). */
static void label_past_end(const struct bar_chart *bc, size_t i, double off, double t,
			   double end, double v)
{
	struct buf text = BUF_INIT;
	value_text(bc, v, &text);
	double at = value_pos(bc, end), mid = group_start(bc, i) + off + t / 2;
	if (bc->horizontal) {
		if (v >= 0)
			cv_text_mid(bc->cv, at + LABEL_GAP, mid, ALIGN_LEFT, buf_str(&text), SIZE_VALUE, 0,
				    COLOR_TEXT);
		else
			cv_text_mid(bc->cv, at - LABEL_GAP, mid, ALIGN_RIGHT, buf_str(&text), SIZE_VALUE, 0,
				    COLOR_TEXT);
	} else {
		double base = v >= 0 ? at - LABEL_GAP - SIZE_VALUE * TEXT_DESCENT
				     : at + LABEL_GAP + SIZE_VALUE * TEXT_CAP;
		cv_text(bc->cv, mid, base, ALIGN_CENTER, buf_str(&text), SIZE_VALUE, 0, COLOR_TEXT);
	}
	buf_free(&text);
}

/* Writes v inside a stacked segment when it fits. */
static void label_inside(const struct bar_chart *bc, struct rect r, double v, struct rgba fill)
{
	struct buf text = BUF_INIT;
	value_text(bc, v, &text);
	double w = cv_text_width(bc->cv, buf_str(&text), SIZE_VALUE, 0);
	if (w + 6 <= r.w && SIZE_VALUE + 4 <= r.h)
		cv_text_mid(bc->cv, r.x + r.w / 2, r.y + r.h / 2, ALIGN_CENTER, buf_str(&text),
			    SIZE_VALUE, 0, color_text_on(fill));
	buf_free(&text);
}

/* Stack totals are worth writing unless every stack adds up to the same (shares). */
static int totals_differ(const struct bar_chart *bc)
{
	for (size_t i = 1; i < bc->n; i++)
		if (fabs(bc->pos[i] + bc->neg[i] - bc->pos[0] - bc->neg[0]) >
		    1e-6 * fmax(1, fabs(bc->pos[0] + bc->neg[0])))
			return 1;
	return bc->n == 1;
}

static void draw_bars(struct bar_chart *bc)
{
	struct canvas *cv = bc->cv;
	int totals = bc->mode == BAR_STACKED && bc->value_labels && totals_differ(bc);
	double inner = bc->mode == BAR_GROUPED ? bc->thickness / (double)bc->m : bc->thickness;
	double gap = bc->mode == BAR_GROUPED && inner * cv->scale >= 6 ? 1 : 0;
	for (size_t i = 0; i < bc->n; i++) {
		double up = 0, down = 0;
		for (size_t s = 0; s < bc->m; s++) {
			double v = bar_value(bc, s, i);
			if (isnan(v) || v == 0)
				continue;
			struct rgba color = palette_color(s);
			if (bc->mode == BAR_STACKED) {
				double from = v >= 0 ? up : down, to = from + v;
				struct rect r = bar_rect(bc, i, 0, inner, from, to);
				cv_fill_rect_crisp(cv, r.x, r.y, r.w, r.h, color);
				if (bc->value_labels)
					label_inside(bc, r, v, color);
				if (v >= 0)
					up = to;
				else
					down = to;
				continue;
			}
			double off = bc->mode == BAR_GROUPED ? inner * (double)s : 0;
			struct rect r = bar_rect(bc, i, off + gap / 2, inner - gap, 0, v);
			cv_fill_rect_crisp(cv, r.x, r.y, r.w, r.h, color);
			if (bc->value_labels)
				label_past_end(bc, i, off, inner, v, v);
		}
		if (totals) {
			if (up > 0)
				label_past_end(bc, i, 0, inner, up, bc->pos[i]);
			if (down < 0)
				label_past_end(bc, i, 0, inner, down, bc->neg[i]);
		}
	}
}

/* The zero line, darker than the grid: bars grow from it. Left out where labels sit
 * above bars that all start at the left edge: it would run through every label. */
static void draw_zero(struct bar_chart *bc)
{
	if (bc->labels_above && !(bc->value.lo < 0))
		return;
	double z = value_pos(bc, 0);
	if (bc->horizontal)
		cv_vline(bc->cv, z, bc->plot.y, bc->plot.y + bc->plot.h, 1, COLOR_ZERO);
	else
		cv_hline(bc->cv, bc->plot.x, bc->plot.x + bc->plot.w, z, 1, COLOR_ZERO);
}

/* Bar or group thickness for the slot: most of it, but never a slab. */
static double thickness_for(const struct bar_chart *bc, double slot)
{
	double t = slot * (bc->mode == BAR_GROUPED ? 0.8 : 0.7);
	double max = bc->mode == BAR_GROUPED ? BAR_MAX * 0.6 * (double)bc->m : BAR_MAX;
	if (bc->horizontal)
		max *= 0.5;
	return t < max ? t : max;
}

/* ---- vertical ---- */

static double category_height(struct canvas *cv, double plot_w, void *arg)
{
	struct bar_chart *bc = arg;
	category_axis_fit(cv, bc->labels, bc->n, plot_w / (double)bc->n, cv->height * 0.35, 0,
			  &bc->cats);
	return bc->cats.height;
}

/* Value labels fit when the widest is narrower than its bar's room. */
static int labels_fit_vertical(struct bar_chart *bc)
{
	double room = bc->mode == BAR_GROUPED ? bc->thickness / (double)bc->m + 2 : bc->slot - 4;
	if (bc->mode == BAR_STACKED)
		room = bc->slot - 4;
	double w = fmax(widest_value_label(bc, 0), widest_value_label(bc, 1));
	return w <= room;
}

/* Lays out plot, value axis and category labels in body; returns the room the
 * category labels take below the plot. */
static double layout_vertical(struct bar_chart *bc, struct rect body, double lo, double hi)
{
	const struct chart_spec *spec = bc->spec;
	double need = SIZE_VALUE + LABEL_GAP + 2; /* room past a bar end for its label */
	double lo_p = lo, hi_p = hi, below = 0;
	for (int pass = 0; pass < 2; pass++) {
		below = layout_left_axis(bc->cv, body, spec->x_label, spec->y_label, lo_p, hi_p,
					 AXIS_ZERO, &spec->format, 0, category_height, bc,
					 &bc->value, &bc->plot);
		bc->slot = bc->plot.w / (double)bc->n;
		bc->thickness = thickness_for(bc, bc->slot);
		bc->value_labels = labels_fit_vertical(bc);
		/* Stretch the range when the longest bars leave no room for their labels. */
		double px = bc->plot.h / (bc->value.hi - bc->value.lo);
		int short_top = hi > 0 && (bc->value.hi - hi) * px < need;
		int short_bottom = lo < 0 && (lo - bc->value.lo) * px < need;
		if (pass || !bc->value_labels || (!short_top && !short_bottom))
			break;
		if (short_top)
			hi_p = hi + need / px;
		if (short_bottom)
			lo_p = lo - need / px;
	}
	return below;
}

static void draw_vertical(struct bar_chart *bc, struct rect body, double lo, double hi)
{
	const struct chart_spec *spec = bc->spec;
	double below = layout_vertical(bc, body, lo, hi);
	/* Long first labels, rotated, would run off the left edge: move the plot right. */
	double over = category_axis_overhang(bc->cv, &bc->cats, bc->labels, bc->n,
					     bc->plot.x + bc->slot / 2, bc->slot);
	if (over > 0)
		below = layout_vertical(bc, rect_make(body.x + over + 4, body.y, body.w - over - 4,
						      body.h), lo, hi);
	axis_titles(bc->cv, body, spec->x_label, spec->y_label, bc->plot, below);
	axis_draw_left(bc->cv, &bc->value, bc->plot);
	category_axis_draw(bc->cv, &bc->cats, bc->labels, bc->n, bc->plot.x + bc->slot / 2,
			   bc->slot, bc->plot.y + bc->plot.h);
	draw_bars(bc);
	draw_zero(bc);
}

/* ---- horizontal ---- */

void bar_rows_fit(struct canvas *cv, const char *const *labels, size_t n, double slot,
		  double body_w, struct bar_rows *out)
{
	out->font = SIZE_TICK;
	out->every = 1;
	out->above = 0;
	if (slot < out->font * 1.3)
		out->font = fmax(MIN_ROW_FONT, slot / 1.3);
	while (slot * (double)out->every < out->font * 1.3 && out->every < n)
		out->every++;
	out->widest = 0;
	for (size_t i = 0; i < n; i += out->every)
		out->widest = fmax(out->widest, cv_text_width(cv, labels[i], out->font, 0));
	out->label_w = fmin(out->widest, body_w * 0.3);
	out->label_h = 0;
	out->bar_room = slot;
	/* Narrow, labels that would be cut, rows tall enough: each label goes on a line of
	 * its own above its bar, as wide as the chart. */
	double line = out->font * TEXT_LINE;
	if (cv_narrow(cv) && out->widest > out->label_w && out->every == 1 &&
	    slot - line >= MIN_BAR_BELOW_LABEL) {
		out->above = 1;
		out->label_w = fmin(out->widest, body_w);
		out->label_h = line;
		out->bar_room = slot - line;
	}
}

static void draw_horizontal(struct bar_chart *bc, struct rect body, double lo, double hi)
{
	const struct chart_spec *spec = bc->spec;
	struct canvas *cv = bc->cv;
	double title_w = spec->y_label && *spec->y_label ? SIZE_LABEL * (TEXT_ASCENT + TEXT_DESCENT) + 8 : 0;
	double x_title_h = spec->x_label && *spec->x_label ? SIZE_LABEL * TEXT_LINE + 4 : 0;
	double axis_h = 8 + SIZE_TICK * TEXT_LINE;
	double top = body.y + 4, plot_h = body.h - 4 - axis_h - x_title_h;
	if (plot_h < 20)
		plot_h = 20;
	double slot = plot_h / (double)bc->n;
	struct bar_rows rows;
	bar_rows_fit(cv, bc->labels, bc->n, slot, body.w, &rows);
	if (rows.above) /* the labels start where the bars do */
		rows.label_w = fmin(rows.label_w, body.w - title_w);
	bc->value_labels = rows.bar_room >= SIZE_VALUE * 1.05;
	double right = bc->value_labels ? widest_value_label(bc, 0) + LABEL_GAP + 2 : 4;
	double left_neg = bc->value_labels ? widest_value_label(bc, 1) + LABEL_GAP + 2 : 0;
	double plot_x = body.x + title_w + (rows.above ? 0 : rows.label_w + 10);
	double plot_w = body.x + body.w - right - plot_x;
	if (plot_w < 40)
		plot_w = 40;
	/* Negative labels sit left of their bars: widen the range so they stay inside. */
	double lo_p = lo;
	if (lo < 0 && left_neg > 0 && plot_w > left_neg * 2)
		lo_p = lo - (hi - lo) * left_neg / (plot_w - left_neg);
	axis_fit(&bc->value, lo_p, hi, (int)(plot_w / 85), AXIS_ZERO, &spec->format);
	bc->plot = rect_make(plot_x, top, plot_w, plot_h);
	bc->slot = slot;
	bc->thickness = thickness_for(bc, rows.bar_room);
	/* Labels above: each bar sits just under its label, the spare room below it. */
	bc->labels_above = rows.above;
	if (rows.above)
		bc->bar_shift = rows.label_h + LABEL_TO_BAR + bc->thickness / 2 - slot / 2;
	axis_draw_bottom(cv, &bc->value, bc->plot, 1, INFINITY);
	axis_title_left(cv, spec->y_label, body.x, bc->plot);
	axis_title_bottom(cv, spec->x_label, top + plot_h + axis_h, bc->plot);
	struct buf fit = BUF_INIT;
	for (size_t i = 0; i < bc->n; i += rows.every) {
		buf_reset(&fit);
		cv_text_fit(cv, bc->labels[i], rows.font, 0, rows.label_w, &fit);
		if (rows.above)
			cv_text(cv, plot_x, top + (double)i * slot + 1 + rows.font * TEXT_ASCENT,
				ALIGN_LEFT, buf_str(&fit), rows.font, 0, COLOR_TEXT);
		else
			cv_text_mid(cv, plot_x - 10, top + ((double)i + 0.5) * slot, ALIGN_RIGHT,
				    buf_str(&fit), rows.font, 0, COLOR_TEXT);
	}
	buf_free(&fit);
	draw_bars(bc);
	draw_zero(bc);
}

static void bar_draw(struct chart_ctx *ctx)
{
	const struct chart_spec *spec = ctx->spec;
	struct bar_chart bc = {.spec = spec, .cv = ctx->cv, .mode = mode_of(spec),
			       .horizontal = spec->horizontal, .n = spec_points(spec),
			       .m = spec->series_count};
	struct rect body = ctx->body;
	double lo, hi;
	if (!prepare(&bc, &lo, &hi) || bc.n == 0) {
		draw_no_data(ctx->cv, spec, body);
		goto done;
	}
	if (bc.m > 1) {
		struct legend_entry *e = xcalloc(bc.m, sizeof *e);
		for (size_t s = 0; s < bc.m; s++)
			e[s] = (struct legend_entry){series_name(&spec->series[s]), MARK_BOX,
						     palette_color(s)};
		double h = legend_draw(ctx->cv, e, bc.m, body.x, body.y, body.w);
		body.y += h + 8, body.h -= h + 8;
		free(e);
	}
	if (bc.horizontal)
		draw_horizontal(&bc, body, lo, hi);
	else
		draw_vertical(&bc, body, lo, hi);
done:
	free(bc.labels);
	free(bc.pos);
	free(bc.neg);
}

/* ---- CSV and alt text ---- */

static void bar_csv(const struct chart_spec *spec, struct buf *csv)
{
	size_t n = spec_points(spec);
	chart_csv_text(csv, str_or(spec->x_label, "category"));
	for (size_t s = 0; s < spec->series_count; s++) {
		buf_putc(csv, ',');
		chart_csv_text(csv, str_or(series_name(&spec->series[s]), "value"));
	}
	buf_puts(csv, "\r\n");
	for (size_t i = 0; i < n; i++) {
		chart_csv_text(csv, spec_category(spec, i));
		for (size_t s = 0; s < spec->series_count; s++) {
			buf_putc(csv, ',');
			chart_csv_number(csv, series_value(&spec->series[s], i));
		}
		buf_puts(csv, "\r\n");
	}
}

/* Value of category i that the sentence talks about: the bar, or the stack's total. */
static double category_total(const struct chart_spec *spec, size_t i, int *known)
{
	double sum = 0;
	*known = 0;
	for (size_t s = 0; s < spec->series_count; s++) {
		double v = series_value(&spec->series[s], i);
		if (!isnan(v))
			sum += v, *known = 1;
	}
	return sum;
}

/* All categories have the same known total (e.g. shares summing to 100%). */
static int spec_totals_equal(const struct chart_spec *spec, size_t n)
{
	int known;
	double first = category_total(spec, 0, &known);
	for (size_t i = 1; i < n; i++) {
		double t = category_total(spec, i, &known);
		if (fabs(t - first) > 1e-6 * fmax(1, fabs(first)))
			return 0;
	}
	return n > 1;
}

/* The extremes a sentence talks about: of per-category values (single series) or
 * totals (stacks), or the single highest bar of any series (groups). */
struct bar_extremes {
	size_t top, bottom;  /* categories; == n when nothing is known */
	double top_v, bottom_v;
	size_t top_series;   /* groups: the series of the highest bar */
};

static void find_extremes(const struct chart_spec *spec, size_t n, int by_category,
			  struct bar_extremes *x)
{
	*x = (struct bar_extremes){n, n, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		if (by_category) {
			int known;
			double v = category_total(spec, i, &known);
			if (!known)
				continue;
			if (x->top == n || v > x->top_v)
				x->top = i, x->top_v = v;
			if (x->bottom == n || v < x->bottom_v)
				x->bottom = i, x->bottom_v = v;
			continue;
		}
		for (size_t s = 0; s < spec->series_count; s++) {
			double v = series_value(&spec->series[s], i);
			if (!isnan(v) && (x->top == n || v > x->top_v))
				x->top = i, x->top_v = v, x->top_series = s;
		}
	}
}

/* Shares that all add up to the same: the sentence names the largest part. */
static void alt_largest_part(const struct chart_spec *spec, size_t n, struct buf *out)
{
	size_t bi = 0, bs = 0;
	double best = -INFINITY;
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < spec->series_count; s++) {
			double v = series_value(&spec->series[s], i);
			if (!isnan(v) && v > best)
				best = v, bi = i, bs = s;
		}
	buf_printf(out, "%s is the largest part, ", str_or(series_name(&spec->series[bs]), "one series"));
	chart_format_value(&spec->format, best, 0, out);
	buf_printf(out, " in %s, across %zu categories", str_or(spec_category(spec, bi), "one"), n);
}

static void bar_alt(const struct chart_spec *spec, struct buf *out)
{
	size_t n = spec_points(spec);
	int totals = mode_of(spec) == BAR_STACKED, by_category = totals || spec->series_count == 1;
	struct bar_extremes x;
	find_extremes(spec, n, by_category, &x);
	buf_puts(out, spec_title(spec));
	if (x.top == n) {
		buf_puts(out, ": no data for this period.");
		return;
	}
	buf_puts(out, ": ");
	const char *name = str_or(spec_category(spec, x.top), "the first category");
	if (n == 1) {
		buf_printf(out, "%s at ", name);
		chart_format_value(&spec->format, x.top_v, 0, out);
		buf_putc(out, '.');
		return;
	}
	if (totals && spec_totals_equal(spec, n)) {
		alt_largest_part(spec, n, out);
	} else if (by_category) {
		buf_printf(out, "%s is highest at ", name);
		chart_format_value(&spec->format, x.top_v, 0, out);
		if (totals)
			buf_puts(out, " in total");
		if (x.bottom != x.top) {
			buf_printf(out, ", %s lowest at ", str_or(spec_category(spec, x.bottom), "another"));
			chart_format_value(&spec->format, x.bottom_v, 0, out);
		}
		buf_printf(out, ", across %zu categories", n);
	} else {
		buf_puts(out, "highest ");
		chart_format_value(&spec->format, x.top_v, 0, out);
		buf_printf(out, " for %s in %s, across %zu categories",
			   str_or(series_name(&spec->series[x.top_series]), "a series"), name, n);
	}
	if (spec->series_count > 1)
		buf_printf(out, " and %zu series", spec->series_count);
	buf_putc(out, '.');
}

const struct chart_kind chart_bar_kind = {"bar", bar_draw, bar_csv, bar_alt};
const struct chart_kind chart_stacked_bar_kind = {"stacked_bar", bar_draw, bar_csv, bar_alt};
const struct chart_kind chart_grouped_bar_kind = {"grouped_bar", bar_draw, bar_csv, bar_alt};
