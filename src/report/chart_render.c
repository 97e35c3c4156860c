/* chart_render: the public entry points. Checks a spec, lays out what every chart
 * shares (title, subtitle, source note), hands the room between them to the chart
 * kind, and encodes the PNG; also dispatches the CSV and alt text of each kind. */
#include <math.h>
#include <string.h>

#include "report/chart_internal.h"
#include "report/chart_text.h"

#define MIN_SIZE 160
#define MAX_SIZE 4096

static const struct chart_kind *const kinds[CHART_TYPE_COUNT] = {
	[CHART_LINE] = &chart_line_kind,
	[CHART_BAR] = &chart_bar_kind,
	[CHART_STACKED_BAR] = &chart_stacked_bar_kind,
	[CHART_GROUPED_BAR] = &chart_grouped_bar_kind,
	[CHART_DONUT] = &chart_donut_kind,
	[CHART_TREEMAP] = &chart_treemap_kind,
	[CHART_HEATMAP] = &chart_heatmap_kind,
	[CHART_HISTOGRAM] = &chart_histogram_kind,
	[CHART_SCATTER] = &chart_scatter_kind,
	[CHART_ROC] = &chart_roc_kind,
	[CHART_FUNNEL] = &chart_funnel_kind,
};

const char *chart_type_name(enum chart_type type)
{
	if ((int)type < 0 || type >= CHART_TYPE_COUNT)
		return "unknown";
	return kinds[type]->name;
}

void chart_phone_size(const struct chart_spec *spec, int *width, int *height)
{
	int h = spec->height ? spec->height : CHART_DEFAULT_HEIGHT;
	int keeps = spec->horizontal || spec->type == CHART_DONUT || spec->type == CHART_ROC;
	if (!keeps)
		h = h * 2 / 3 < CHART_PHONE_MIN_HEIGHT ? CHART_PHONE_MIN_HEIGHT : h * 2 / 3;
	*width = CHART_PHONE_WIDTH;
	*height = h;
}

/* Checks what the drawing code relies on: arrays present where counts say so, a sane
 * size. Values themselves are never rejected. Returns 0 or ERR_INPUT. */
static int spec_check(const struct chart_spec *spec, struct error *err)
{
	if (!spec)
		return error_set(err, ERR_INPUT, "no chart spec");
	if ((int)spec->type < 0 || spec->type >= CHART_TYPE_COUNT)
		return error_set(err, ERR_INPUT, "unknown chart type %d", (int)spec->type);
	const char *what = chart_type_name(spec->type);
	if (spec->series_count && !spec->series)
		return error_set(err, ERR_INPUT, "%s chart: %zu series but no series array", what,
				 spec->series_count);
	int needs_x = spec->type == CHART_SCATTER || spec->type == CHART_ROC;
	for (size_t i = 0; i < spec->series_count; i++) {
		const struct chart_series *s = &spec->series[i];
		if (s->count && !s->values)
			return error_set(err, ERR_INPUT, "%s chart: series '%s' has %zu values but "
					 "no value array", what, series_name(s), s->count);
		if (s->count && needs_x && !s->x)
			return error_set(err, ERR_INPUT, "%s chart: series '%s' has no x values",
					 what, series_name(s));
	}
	if (spec->tree_count && !spec->tree)
		return error_set(err, ERR_INPUT, "%s chart: %zu tree items but no array", what,
				 spec->tree_count);
	const struct chart_matrix *m = &spec->matrix;
	if (m->rows && m->cols) {
		if (m->rows > 10000 || m->cols > 10000)
			return error_set(err, ERR_INPUT, "%s chart: a %zu x %zu matrix is too big",
					 what, m->rows, m->cols);
		if (!m->cells)
			return error_set(err, ERR_INPUT, "%s chart: matrix has no cells", what);
	}
	if (spec->width && (spec->width < MIN_SIZE || spec->width > MAX_SIZE))
		return error_set(err, ERR_INPUT, "%s chart: width %d is outside %d..%d", what,
				 spec->width, MIN_SIZE, MAX_SIZE);
	if (spec->height && (spec->height < MIN_SIZE || spec->height > MAX_SIZE))
		return error_set(err, ERR_INPUT, "%s chart: height %d is outside %d..%d", what,
				 spec->height, MIN_SIZE, MAX_SIZE);
	return 0;
}

void draw_no_data(struct canvas *cv, const struct chart_spec *spec, struct rect area)
{
	if (area.w < 4 || area.h < 4)
		return;
	cv_fill_round_rect(cv, area.x, area.y, area.w, area.h, 4, COLOR_PANEL);
	struct buf fit = BUF_INIT;
	cv_text_fit(cv, str_or(spec->empty_message, "No data for this period"), SIZE_SUBTITLE, 0,
		    area.w - 16, &fit);
	cv_text_mid(cv, area.x + area.w / 2, area.y + area.h / 2, ALIGN_CENTER, buf_str(&fit),
		    SIZE_SUBTITLE, 0, COLOR_MUTED);
	buf_free(&fit);
}

/* Splits s into at most max_lines lines no wider than w (one line is only cut to fit);
 * appends them to out separated by '\n'. Returns the number of lines. */
static int text_lines(struct canvas *cv, const char *s, double size, int bold, double w,
		      int max_lines, struct buf *out)
{
	if (max_lines > 1)
		return cv_text_wrap(cv, s, size, bold, w, max_lines, out);
	cv_text_fit(cv, s, size, bold, w, out);
	return 1;
}

/* Draws s in at most max_lines lines from top y, each line's ascent `lead` below the
 * line's top; returns the height of the lines. */
static double draw_lines(struct canvas *cv, const char *s, double y, double lead, double size,
			 int bold, struct rgba color, int max_lines)
{
	struct buf text = BUF_INIT;
	int lines = text_lines(cv, s, size, bold, cv->width - 2 * CHART_PAD, max_lines, &text);
	char *line = text.data;
	double top = y;
	for (int i = 0; i < lines && line; i++) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		cv_text(cv, CHART_PAD, y + lead + size * TEXT_ASCENT, ALIGN_LEFT, line, size, bold,
			color);
		y += size * TEXT_LINE;
		line = end ? end + 1 : NULL;
	}
	buf_free(&text);
	return y - top;
}

/* Draws title and subtitle from the top; returns where the body starts. A narrow
 * chart gives the title a second line and the subtitle a third rather than cut them. */
static double draw_header(struct canvas *cv, const struct chart_spec *spec)
{
	double y = CHART_PAD - 4;
	int narrow = cv_narrow(cv), any = 0;
	if (spec->title && *spec->title) {
		y += draw_lines(cv, spec->title, y, 0, SIZE_TITLE, 1, COLOR_INK, narrow ? 2 : 1);
		any = 1;
	}
	if (spec->subtitle && *spec->subtitle) {
		y += draw_lines(cv, spec->subtitle, y, 2, SIZE_SUBTITLE, 0, COLOR_MUTED,
				narrow ? 3 : 2);
		any = 1;
	}
	return any ? y + 12 : CHART_PAD;
}

/* Draws the source note at the foot; returns where the body ends. A narrow chart
 * wraps a long note onto a second line. */
static double draw_footer(struct canvas *cv, const struct chart_spec *spec)
{
	double bottom = cv->height - CHART_PAD + 6;
	if (!spec->source || !*spec->source)
		return bottom - 6;
	struct buf text = BUF_INIT;
	int lines = text_lines(cv, spec->source, SIZE_SOURCE, 0, cv->width - 2 * CHART_PAD,
			       cv_narrow(cv) ? 2 : 1, &text);
	double base = bottom - SIZE_SOURCE * TEXT_DESCENT;
	double first = base - (lines > 1 ? (double)(lines - 1) * SIZE_SOURCE * TEXT_LINE : 0);
	char *line = text.data;
	for (int i = 0; i < lines && line; i++) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		cv_text(cv, CHART_PAD, first + (double)i * SIZE_SOURCE * TEXT_LINE, ALIGN_LEFT, line,
			SIZE_SOURCE, 0, COLOR_FAINT);
		line = end ? end + 1 : NULL;
	}
	buf_free(&text);
	return first - SIZE_SOURCE * TEXT_ASCENT - 12;
}

int chart_render_png(const struct chart_spec *spec, int scale, struct buf *png,
		     struct error *err)
{
	int rc = spec_check(spec, err);
	if (rc)
		return rc;
	if (scale < 1 || scale > CHART_MAX_SCALE)
		return error_set(err, ERR_INPUT, "chart scale %d is outside 1..%d", scale,
				 CHART_MAX_SCALE);
	double width = spec->width ? spec->width : CHART_DEFAULT_WIDTH;
	double height = spec->height ? spec->height : CHART_DEFAULT_HEIGHT;
	struct canvas cv;
	rc = canvas_init(&cv, width, height, scale, str_or(spec->font, CHART_FONT),
			 str_or(spec->bold_font, CHART_BOLD_FONT), err);
	if (rc)
		goto done;
	/* Both fonts load before anything is drawn, so a missing one fails early. */
	cv_text_width(&cv, "0", SIZE_TICK, 0);
	cv_text_width(&cv, "0", SIZE_TICK, 1);
	if (!cv.failed) {
		double top = draw_header(&cv, spec);
		double bottom = draw_footer(&cv, spec);
		struct chart_ctx ctx = {spec, &cv,
					rect_make(CHART_PAD, top, width - 2 * CHART_PAD, bottom - top)};
		kinds[spec->type]->draw(&ctx);
	}
	if (cv.failed) {
		rc = error_set(err, ERR_SYSTEM, "%s", cv.err.msg);
		goto done;
	}
	rc = canvas_png(&cv, png, err);
done:
	if (rc)
		error_prefix(err, "%s chart '%s'", chart_type_name(spec->type), spec_title(spec));
	canvas_free(&cv);
	return rc;
}

int chart_write_csv(const struct chart_spec *spec, struct buf *csv, struct error *err)
{
	int rc = spec_check(spec, err);
	if (rc)
		return rc;
	kinds[spec->type]->csv(spec, csv);
	return 0;
}

int chart_alt_text(const struct chart_spec *spec, struct buf *out, struct error *err)
{
	int rc = spec_check(spec, err);
	if (rc)
		return rc;
	kinds[spec->type]->alt(spec, out);
	return 0;
}

void chart_library_shutdown(void)
{
	chart_text_release();
}
