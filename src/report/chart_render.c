/* chart_render: the public entry points. Checks a spec, lays out what every chart
 * shares (title, subtitle, source note), hands the room between them to the chart
 * kind, and encodes the PNG; also dispatches the CSV and alt text of each kind. */
#include <math.h>
#include <string.h>

#include "report/chart_internal.h"

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

/* Draws title and subtitle from the top; returns where the body starts. */
static double draw_header(struct canvas *cv, const struct chart_spec *spec)
{
	double x = CHART_PAD, w = cv->width - 2 * CHART_PAD, y = CHART_PAD - 4;
	struct buf text = BUF_INIT;
	int any = 0;
	if (spec->title && *spec->title) {
		cv_text_fit(cv, spec->title, SIZE_TITLE, 1, w, &text);
		cv_text(cv, x, y + SIZE_TITLE * TEXT_ASCENT, ALIGN_LEFT, buf_str(&text), SIZE_TITLE,
			1, COLOR_INK);
		y += SIZE_TITLE * TEXT_LINE;
		any = 1;
	}
	if (spec->subtitle && *spec->subtitle) {
		buf_reset(&text);
		int lines = cv_text_wrap(cv, spec->subtitle, SIZE_SUBTITLE, 0, w, 2, &text);
		char *line = text.data;
		for (int i = 0; i < lines && line; i++) {
			char *end = strchr(line, '\n');
			if (end)
				*end = '\0';
			cv_text(cv, x, y + 2 + SIZE_SUBTITLE * TEXT_ASCENT, ALIGN_LEFT, line,
				SIZE_SUBTITLE, 0, COLOR_MUTED);
			y += SIZE_SUBTITLE * TEXT_LINE;
			line = end ? end + 1 : NULL;
		}
		any = 1;
	}
	buf_free(&text);
	return any ? y + 12 : CHART_PAD;
}

/* Draws the source note at the foot; returns where the body ends. */
static double draw_footer(struct canvas *cv, const struct chart_spec *spec)
{
	double bottom = cv->height - CHART_PAD + 6;
	if (!spec->source || !*spec->source)
		return bottom - 6;
	struct buf text = BUF_INIT;
	cv_text_fit(cv, spec->source, SIZE_SOURCE, 0, cv->width - 2 * CHART_PAD, &text);
	double base = bottom - SIZE_SOURCE * TEXT_DESCENT;
	cv_text(cv, CHART_PAD, base, ALIGN_LEFT, buf_str(&text), SIZE_SOURCE, 0, COLOR_FAINT);
	buf_free(&text);
	return base - SIZE_SOURCE * TEXT_ASCENT - 12;
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
	gdFontCacheShutdown();
}
