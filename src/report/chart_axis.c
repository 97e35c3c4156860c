/* chart_axis: axes a reader can trust at a glance.
 *
 * Value axes get "nice" ticks: steps of 1, 2 or 5 times a power of ten, bounds on
 * whole steps, labels abbreviated consistently along the axis (0, 250K, 500K) with just
 * the decimals the step needs. Category axes keep labels apart by rotating them,
 * thinning them, or cutting them with an ellipsis. Date axes choose days, weeks,
 * months, quarters or years from the span and the room, and write the year under the
 * first tick and wherever it changes. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/chart_internal.h"

#define PI 3.14159265358979323846
#define TICK_GAP 8.0     /* space between the plot and its tick labels */
#define AXIS_LIMIT 1e18  /* axis ranges are clamped here */

double nice_step(double raw)
{
	if (!(raw > VALUE_TINY) || !isfinite(raw))
		return 1;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double m = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
	return m * mag;
}

double near_step(double raw)
{
	if (!(raw > VALUE_TINY) || !isfinite(raw))
		return 1;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double m = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	return m * mag;
}

/* Decimals needed to write multiples of s exactly (s > 0). */
static int decimals_for(double s)
{
	int d = 0;
	double scaled = s;
	while (d < 6 && fabs(scaled - round(scaled)) > 1e-6 * (scaled > 1 ? scaled : 1)) {
		d++;
		scaled *= 10;
	}
	return d;
}

void axis_fit(struct axis *a, double lo, double hi, int target, unsigned opts,
	      const struct chart_format *fmt)
{
	memset(a, 0, sizeof *a);
	if (fmt)
		a->fmt = *fmt;
	if (!isfinite(lo) || !isfinite(hi) || lo > hi)
		lo = 0, hi = 1;
	/* Ranges may be sums of clamped values (stacks): allow them more room. */
	lo = fmax(lo, -AXIS_LIMIT), hi = fmin(hi, AXIS_LIMIT);
	if (opts & AXIS_ZERO) {
		lo = lo < 0 ? lo : 0;
		hi = hi > 0 ? hi : 0;
	}
	if (hi - lo <= fmax(fabs(hi) * 1e-12, VALUE_TINY)) {
		double pad = fabs(hi) > VALUE_TINY ? fabs(hi) * 0.1 : 1;
		if (lo < 0 || !(opts & AXIS_ZERO))
			lo -= pad;
		if (hi > 0 || !(opts & AXIS_ZERO) || lo == 0)
			hi += pad;
	}
	if (target < 2)
		target = 2;
	if (target > 10)
		target = 10;
	double step = near_step((hi - lo) / target);
	if ((opts & AXIS_INTEGER) && step < 1)
		step = 1;
	for (;;) {
		a->lo = floor(lo / step + 1e-9) * step;
		a->hi = ceil(hi / step - 1e-9) * step;
		a->ticks = (int)lround((a->hi - a->lo) / step) + 1;
		if (a->ticks <= AXIS_MAX_TICKS)
			break;
		step = nice_step(step * 1.5);
	}
	if (a->hi <= a->lo)
		a->hi = a->lo + step, a->ticks = 2;
	a->step = step;

	double m = fabs(a->lo) > fabs(a->hi) ? fabs(a->lo) : fabs(a->hi);
	a->divisor = 1;
	a->suffix = "";
	if (a->fmt.unit != CHART_PERCENT && m >= 1e4) {
		static const char *const units[] = {"K", "M", "B", "T"};
		int u = 0;
		a->divisor = 1e3;
		while (u < 3 && m >= a->divisor * 1e3)
			a->divisor *= 1e3, u++;
		a->suffix = units[u];
	}
	double shown_step = a->fmt.unit == CHART_PERCENT ? step * 100 : step / a->divisor;
	a->decimals = decimals_for(shown_step);
}

double axis_tick(const struct axis *a, int i)
{
	double v = a->lo + i * a->step;
	return fabs(v) < a->step * 1e-9 ? 0 : v;
}

double axis_pos(const struct axis *a, double v, double p_lo, double p_hi)
{
	assert(a->hi > a->lo);
	double t = (v - a->lo) / (a->hi - a->lo);
	if (!(t > -2))
		t = -2;
	if (t > 3)
		t = 3;
	return p_lo + t * (p_hi - p_lo);
}

void axis_tick_label(const struct axis *a, double v, struct buf *out)
{
	double x = a->fmt.unit == CHART_PERCENT ? v * 100 : v / a->divisor;
	char digits[400];
	snprintf(digits, sizeof digits, "%.*f", a->decimals, fabs(x));
	int zero = strspn(digits, "0.") == strlen(digits);
	if (x < 0 && !zero)
		buf_puts(out, "\xe2\x88\x92");
	if (a->fmt.unit == CHART_CURRENCY)
		buf_puts(out, a->fmt.currency ? a->fmt.currency : "$");
	format_magnitude(x, a->decimals, 1, out);
	if (!zero)
		buf_puts(out, a->suffix);
	if (a->fmt.unit == CHART_PERCENT)
		buf_putc(out, '%');
}

double axis_label_width(struct canvas *cv, const struct axis *a)
{
	struct buf label = BUF_INIT;
	double w = 0;
	for (int i = 0; i < a->ticks; i++) {
		buf_reset(&label);
		axis_tick_label(a, axis_tick(a, i), &label);
		double lw = cv_text_width(cv, buf_str(&label), SIZE_TICK, 0);
		if (lw > w)
			w = lw;
	}
	buf_free(&label);
	return w;
}

void axis_draw_left(struct canvas *cv, const struct axis *a, struct rect plot)
{
	struct buf label = BUF_INIT;
	for (int i = 0; i < a->ticks; i++) {
		double v = axis_tick(a, i);
		double y = axis_pos(a, v, plot.y + plot.h, plot.y);
		cv_hline(cv, plot.x, plot.x + plot.w, y, 1, COLOR_GRID);
		buf_reset(&label);
		axis_tick_label(a, v, &label);
		cv_text_mid(cv, plot.x - TICK_GAP, y, ALIGN_RIGHT, buf_str(&label), SIZE_TICK, 0,
			    COLOR_MUTED);
	}
	buf_free(&label);
}

int axis_bottom_labels(struct canvas *cv, const struct axis *a, struct rect plot,
		       double right_limit, struct tick_label *out)
{
	struct buf label = BUF_INIT;
	double widest = axis_label_width(cv, a);
	double spacing = a->ticks > 1 ? plot.w / (a->ticks - 1) : plot.w;
	int every = 1, count = 0;
	/* Labels a widest label and a gap apart never touch, whatever their widths. */
	while (every < a->ticks && spacing * every < widest + 12)
		every++;
	for (int i = 0; i < a->ticks && count < AXIS_MAX_TICKS; i += every) {
		double v = axis_tick(a, i);
		double x = axis_pos(a, v, plot.x, plot.x + plot.w);
		buf_reset(&label);
		axis_tick_label(a, v, &label);
		double w = cv_text_width(cv, buf_str(&label), SIZE_TICK, 0);
		if (x + w / 2 > right_limit)
			continue;
		out[count++] = (struct tick_label){i, x - w / 2, x + w / 2};
	}
	buf_free(&label);
	return count;
}

void axis_draw_bottom(struct canvas *cv, const struct axis *a, struct rect plot, int grid,
		      double right_limit)
{
	struct tick_label shown[AXIS_MAX_TICKS];
	int count = axis_bottom_labels(cv, a, plot, right_limit, shown), next = 0;
	struct buf label = BUF_INIT;
	double base = plot.y + plot.h + TICK_GAP + SIZE_TICK * TEXT_CAP;
	for (int i = 0; i < a->ticks; i++) {
		double v = axis_tick(a, i);
		double x = axis_pos(a, v, plot.x, plot.x + plot.w);
		if (grid)
			cv_vline(cv, x, plot.y, plot.y + plot.h, 1, COLOR_GRID);
		else
			cv_vline(cv, x, plot.y + plot.h, plot.y + plot.h + 4, 1, COLOR_AXIS);
		if (next == count || shown[next].tick != i)
			continue;
		next++;
		buf_reset(&label);
		axis_tick_label(a, v, &label);
		cv_text(cv, x, base, ALIGN_CENTER, buf_str(&label), SIZE_TICK, 0, COLOR_MUTED);
	}
	buf_free(&label);
}

void axis_title_left(struct canvas *cv, const char *title, double x, struct rect plot)
{
	if (!title || !*title)
		return;
	struct buf fit = BUF_INIT;
	double w = cv_text_fit(cv, title, SIZE_LABEL, 0, plot.h, &fit);
	cv_text_angle(cv, x + SIZE_LABEL * TEXT_ASCENT, plot.y + plot.h / 2 + w / 2, PI / 2,
		      buf_str(&fit), SIZE_LABEL, 0, COLOR_TEXT);
	buf_free(&fit);
}

void axis_title_bottom(struct canvas *cv, const char *title, double y, struct rect plot)
{
	if (!title || !*title)
		return;
	struct buf fit = BUF_INIT;
	cv_text_fit(cv, title, SIZE_LABEL, 0, plot.w, &fit);
	cv_text(cv, plot.x + plot.w / 2, y + SIZE_LABEL * TEXT_ASCENT, ALIGN_CENTER,
		buf_str(&fit), SIZE_LABEL, 0, COLOR_TEXT);
	buf_free(&fit);
}

/* ---- categories ---- */

#define ROTATED_ANGLE (PI / 4)
#define ROTATED_MAX_W 150.0 /* rotated labels longer than this are cut */

/* The next step of 1, 2, 5, 10, 20, 50, ... after k. */
static size_t next_nice_count(size_t k)
{
	size_t mag = 1;
	while (k >= mag * 10)
		mag *= 10;
	size_t lead = k / mag;
	return lead < 2 ? 2 * mag : lead < 5 ? 5 * mag : 10 * mag;
}

void category_axis_fit(struct canvas *cv, const char *const *labels, size_t n, double slot_w,
		       double max_h, int prefer_thinning, struct category_axis *out)
{
	memset(out, 0, sizeof *out);
	out->every = 1;
	if (n == 0 || !labels)
		return;
	double line = SIZE_TICK * TEXT_LINE;
	/* Widest label; past 400 labels a sample of 400 tells enough. */
	size_t stride = n > 400 ? (n + 399) / 400 : 1;
	double widest = 0;
	for (size_t i = 0; i < n; i += stride) {
		double w = cv_text_width(cv, labels[i] ? labels[i] : "", SIZE_TICK, 0);
		if (w > widest)
			widest = w;
	}
	out->height = TICK_GAP + line;
	if (widest + 8 <= slot_w) {
		out->label_w = widest;
		return;
	}
	if (prefer_thinning) {
		while (out->every < n && slot_w * out->every < widest + 14)
			out->every = next_nice_count(out->every);
		out->label_w = slot_w * out->every - 14;
		if (out->label_w > widest)
			out->label_w = widest;
		return;
	}
	out->rotated = 1;
	double need = SIZE_TICK * 1.45; /* rotated labels this far apart do not touch */
	while (out->every < n && slot_w * out->every < need)
		out->every = next_nice_count(out->every);
	double s = sin(ROTATED_ANGLE);
	double room = (max_h - TICK_GAP - SIZE_TICK) / s;
	out->label_w = widest;
	if (out->label_w > ROTATED_MAX_W)
		out->label_w = ROTATED_MAX_W;
	if (out->label_w > room)
		out->label_w = room > 20 ? room : 20;
	out->height = TICK_GAP + out->label_w * s + SIZE_TICK * TEXT_CAP * cos(ROTATED_ANGLE) + 4;
}

void category_axis_draw(struct canvas *cv, const struct category_axis *ca,
			const char *const *labels, size_t n, double first_x, double spacing,
			double y)
{
	if (!labels)
		return;
	struct buf fit = BUF_INIT;
	for (size_t i = 0; i < n; i += ca->every) {
		buf_reset(&fit);
		double w = cv_text_fit(cv, labels[i] ? labels[i] : "", SIZE_TICK, 0, ca->label_w,
				       &fit);
		double cx = first_x + (double)i * spacing;
		if (!ca->rotated) {
			double left = cx - w / 2;
			if (left < 2)
				left = 2;
			if (left + w > cv->width - 2)
				left = cv->width - 2 - w;
			cv_text(cv, left, y + TICK_GAP + SIZE_TICK * TEXT_CAP, ALIGN_LEFT,
				buf_str(&fit), SIZE_TICK, 0, COLOR_MUTED);
			continue;
		}
		/* The text ends at the tick, running down to the left; its capitals are
		 * centred on the line through the tick. */
		double a = ROTATED_ANGLE, half_cap = SIZE_TICK * TEXT_CAP / 2;
		double room = (cx - 2) / cos(a); /* keep the start inside the image */
		if (w > room) {
			buf_reset(&fit);
			w = cv_text_fit(cv, labels[i] ? labels[i] : "", SIZE_TICK, 0, room, &fit);
		}
		double ex = cx + half_cap * sin(a), ey = y + TICK_GAP + half_cap * cos(a);
		cv_text_angle(cv, ex - w * cos(a), ey + w * sin(a), a, buf_str(&fit), SIZE_TICK, 0,
			      COLOR_MUTED);
	}
	buf_free(&fit);
}

double category_axis_overhang(struct canvas *cv, const struct category_axis *ca,
			      const char *const *labels, size_t n, double first_x, double spacing)
{
	if (!ca->rotated || !labels)
		return 0;
	double over = 0;
	for (size_t i = 0; i < n; i += ca->every) {
		double w = fmin(cv_text_width(cv, labels[i] ? labels[i] : "", SIZE_TICK, 0),
				ca->label_w);
		over = fmax(over, w * cos(ROTATED_ANGLE) - (first_x + (double)i * spacing - 2));
	}
	return over;
}

/* ---- dates ---- */

struct date_step {
	int unit;    /* DATE_* */
	int every;   /* units per tick */
	double days; /* about how many days that is */
};

static const struct date_step date_steps[] = {
	{DATE_DAY, 1, 1},         {DATE_DAY, 2, 2},         {DATE_WEEK, 1, 7},
	{DATE_WEEK, 2, 14},       {DATE_MONTH, 1, 30.44},   {DATE_MONTH, 2, 60.87},
	{DATE_MONTH, 3, 91.31},   {DATE_MONTH, 6, 182.6},   {DATE_YEAR, 1, 365.25},
	{DATE_YEAR, 2, 730.5},    {DATE_YEAR, 5, 1826},     {DATE_YEAR, 10, 3652},
	{DATE_YEAR, 25, 9131},    {DATE_YEAR, 50, 18262},   {DATE_YEAR, 100, 36525},
	{DATE_YEAR, 250, 91312},  {DATE_YEAR, 1000, 365250}, {DATE_YEAR, 5000, 1826250},
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return -floor_div(-a, b);
}

/* The first day of month number index (year * 12 + month - 1). */
static int64_t month_start(int64_t index)
{
	int64_t year = floor_div(index, 12);
	return chart_day_from_civil((int)year, (int)(index - year * 12) + 1, 1);
}

/* First tick on or after day. */
static int64_t first_tick(const struct date_axis *da, int64_t day)
{
	int y, m, d;
	switch (da->unit) {
	case DATE_DAY:
		return ceil_div(day, da->every) * da->every;
	case DATE_WEEK: /* Mondays; day 4 (1970-01-05) was one */
		return 4 + ceil_div(day - 4, 7L * da->every) * 7 * da->every;
	case DATE_MONTH: {
		chart_civil_from_day((int32_t)day, &y, &m, &d);
		int64_t index = (int64_t)y * 12 + (m - 1) + (d > 1);
		index = ceil_div(index, da->every) * da->every;
		return month_start(index);
	}
	default:
		chart_civil_from_day((int32_t)day, &y, &m, &d);
		int64_t year = y + (m > 1 || d > 1);
		year = ceil_div(year, da->every) * da->every;
		return chart_day_from_civil((int)year, 1, 1);
	}
}

static int64_t next_tick(const struct date_axis *da, int64_t tick)
{
	int y, m, d;
	switch (da->unit) {
	case DATE_DAY:
		return tick + da->every;
	case DATE_WEEK:
		return tick + 7L * da->every;
	case DATE_MONTH: {
		chart_civil_from_day((int32_t)tick, &y, &m, &d);
		return month_start((int64_t)y * 12 + (m - 1) + da->every);
	}
	default:
		chart_civil_from_day((int32_t)tick, &y, &m, &d);
		return chart_day_from_civil(y + da->every, 1, 1);
	}
}

/* The main label of a tick: "1 Dec", "Dec" or "2011". */
static void tick_label(int unit, int64_t tick, struct buf *out)
{
	int y, m, d;
	chart_civil_from_day((int32_t)tick, &y, &m, &d);
	if (unit == DATE_YEAR)
		buf_printf(out, "%d", y);
	else if (unit == DATE_MONTH)
		buf_puts(out, month_abbrev(m));
	else
		buf_printf(out, "%d %s", d, month_abbrev(m));
}

void date_axis_fit(struct canvas *cv, int32_t first, int32_t last, double plot_w,
		   struct date_axis *out)
{
	memset(out, 0, sizeof *out);
	out->first = first < last ? first : last;
	out->last = first < last ? last : first;
	double span = (double)out->last - out->first;
	double day_w = cv_text_width(cv, "30 Sep", SIZE_TICK, 0);
	double month_w = cv_text_width(cv, "Sep", SIZE_TICK, 0);
	double year_w = cv_text_width(cv, "2011", SIZE_TICK, 0);
	size_t count = sizeof date_steps / sizeof date_steps[0];
	size_t pick = count - 1;
	for (size_t i = 0; i < count; i++) {
		const struct date_step *st = &date_steps[i];
		double label_w = st->unit == DATE_YEAR ? year_w : st->unit == DATE_MONTH ? month_w : day_w;
		/* Months need room for the year written under them, too. */
		if (st->unit == DATE_MONTH && label_w < year_w)
			label_w = year_w;
		double spacing = span > 0 ? plot_w * st->days / span : plot_w;
		if (spacing >= label_w + 18) {
			pick = i;
			break;
		}
	}
	out->unit = date_steps[pick].unit;
	out->every = date_steps[pick].every;
	double line = SIZE_TICK * TEXT_LINE;
	out->height = TICK_GAP + line + (out->unit == DATE_YEAR ? 0 : line);
}

double date_axis_pos(const struct date_axis *da, double day, struct rect plot)
{
	if (da->last == da->first)
		return plot.x + plot.w / 2;
	double t = (day - da->first) / ((double)da->last - da->first);
	return plot.x + t * plot.w;
}

void date_axis_draw(struct canvas *cv, const struct date_axis *da, struct rect plot)
{
	struct buf label = BUF_INIT;
	double bottom = plot.y + plot.h;
	double base = bottom + TICK_GAP + SIZE_TICK * TEXT_CAP;
	double line = SIZE_TICK * TEXT_LINE;
	int last_year = 0, labelled = 0;
	int64_t tick = first_tick(da, da->first);
	if (tick > da->last) /* no tick inside a short span: label the first date */
		tick = da->first;
	for (int guard = 0; tick <= da->last && guard < 400; tick = next_tick(da, tick), guard++) {
		double x = date_axis_pos(da, (double)tick, plot);
		cv_vline(cv, x, bottom, bottom + 4, 1, COLOR_AXIS);
		buf_reset(&label);
		tick_label(da->unit, tick, &label);
		double w = cv_text_width(cv, buf_str(&label), SIZE_TICK, 0);
		double left = x - w / 2;
		if (left < 2)
			left = 2;
		if (left + w > cv->width - 2)
			left = cv->width - 2 - w;
		cv_text(cv, left, base, ALIGN_LEFT, buf_str(&label), SIZE_TICK, 0, COLOR_MUTED);
		int y, m, d;
		chart_civil_from_day((int32_t)tick, &y, &m, &d);
		if (da->unit != DATE_YEAR && (!labelled || y != last_year)) {
			buf_reset(&label);
			buf_printf(&label, "%d", y);
			cv_text(cv, left, base + line, ALIGN_LEFT, buf_str(&label), SIZE_TICK, 0,
				COLOR_MUTED);
		}
		last_year = y;
		labelled = 1;
	}
	buf_free(&label);
}

/* ---- plot layout ---- */

double layout_left_axis(struct canvas *cv, struct rect body, const char *x_title,
			const char *y_title, double lo, double hi, unsigned axis_opts,
			const struct chart_format *fmt, double right_room, x_height_fn x_height,
			void *arg, struct axis *y, struct rect *plot)
{
	double top_room = 8; /* half a tick label above the top gridline */
	double title_w = y_title && *y_title ? SIZE_LABEL * (TEXT_ASCENT + TEXT_DESCENT) + 8 : 0;
	double x_title_h = x_title && *x_title ? SIZE_LABEL * TEXT_LINE + 4 : 0;
	double below = TICK_GAP + SIZE_TICK * TEXT_LINE;
	double plot_h = 0, plot_x = 0, plot_w = 0;
	for (int pass = 0; pass < 3; pass++) {
		plot_h = body.h - top_room - below - x_title_h;
		if (plot_h < 20)
			plot_h = 20;
		axis_fit(y, lo, hi, (int)(plot_h / 60), axis_opts, fmt);
		plot_x = body.x + title_w + axis_label_width(cv, y) + TICK_GAP;
		plot_w = body.x + body.w - right_room - plot_x;
		if (plot_w < 20)
			plot_w = 20;
		double need = x_height ? x_height(cv, plot_w, arg) : below;
		if (fabs(need - below) < 0.5 || pass == 2)
			break;
		below = need;
	}
	*plot = rect_make(plot_x, body.y + top_room, plot_w, plot_h);
	return below;
}

void axis_titles(struct canvas *cv, struct rect body, const char *x_title, const char *y_title,
		 struct rect plot, double below)
{
	axis_title_left(cv, y_title, body.x, plot);
	axis_title_bottom(cv, x_title, plot.y + plot.h + below, plot);
}
