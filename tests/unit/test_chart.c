/* test_chart: every chart type renders to a PNG of the right size at 1x and 2x, shows
 * its series colours, renders byte-identically twice, survives awkward and hostile
 * input, and turns a missing font or a bad spec into an error instead of a crash. */
#include <float.h>
#include <gd.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/chart.h"
#include "util/sha256.h"

/* ---- sample specs, one per type ---- */

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const double sales[] = {560, 498, 683, 493, 723, 691, 681, 682, 1019, 1070, 1461, 433};
static const double costs[] = {410, 380, 402, 390, 455, 470, 480, 470, 610, 690, 840, 300};
static const double stages[] = {18432, 9821, 2390, 1187, 829};
static const char *const stage_names[] = {"Visit", "View", "Cart", "Checkout", "Order"};
static const double fpr[] = {0, 0.05, 0.1, 0.2, 0.4, 0.7, 1};
static const double tpr[] = {0, 0.4, 0.6, 0.75, 0.9, 0.97, 1};
static const struct chart_tree_item tree[] = {
	{"Home", "Candles", 612}, {"Home", "Cushions", 288}, {"Kitchen", "Tins", 402},
	{"Kitchen", "Mugs", 98},  {"Party", "Bunting", 226}, {"Party", "Napkins", 2},
};
static double cells[4 * 5] = {1, 0.3, 0.2, 0.15, 0.1, 1, 0.25, 0.2, 0.1, NAN,
			      1, 0.28, 0.2, NAN, NAN, 1, 0.3, NAN, NAN, NAN};
static const char *const cohorts[] = {"Jan", "Feb", "Mar", "Apr"};
static double raw_values[500];
static double scatter_x[200], scatter_y[200];
static struct chart_series two_series[2], one_series[1], funnel_series[1], roc_series[1],
	raw_series[1], scatter_series[1];

static void setup_data(void)
{
	for (size_t i = 0; i < 500; i++)
		raw_values[i] = 20 + 10 * sin((double)i * 0.7) + (double)(i % 17);
	for (size_t i = 0; i < 200; i++) {
		scatter_x[i] = (double)i;
		scatter_y[i] = 3 * (double)i + 40 * sin((double)i);
	}
	two_series[0] = (struct chart_series){"Sales", sales, NULL, NULL, 12};
	two_series[1] = (struct chart_series){"Costs", costs, NULL, NULL, 12};
	one_series[0] = (struct chart_series){"Sales", sales, NULL, NULL, 12};
	funnel_series[0] = (struct chart_series){"Sessions", stages, NULL, NULL, 5};
	roc_series[0] = (struct chart_series){"Model", tpr, fpr, NULL, 7};
	raw_series[0] = (struct chart_series){"Order value", raw_values, NULL, NULL, 500};
	scatter_series[0] = (struct chart_series){"Customers", scatter_y, scatter_x, NULL, 200};
}

/* A spec of the given type with ordinary data. */
static struct chart_spec sample(enum chart_type type)
{
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	s.type = type;
	s.title = "Sample chart";
	s.subtitle = "What it measures";
	s.source = "Source: tests";
	s.format = (struct chart_format){CHART_CURRENCY, "\xc2\xa3", 0};
	switch (type) {
	case CHART_LINE:
	case CHART_STACKED_BAR:
	case CHART_GROUPED_BAR:
		s.point_count = 12, s.categories = months, s.series = two_series, s.series_count = 2;
		break;
	case CHART_BAR:
	case CHART_DONUT:
		s.point_count = 12, s.categories = months, s.series = one_series, s.series_count = 1;
		break;
	case CHART_TREEMAP:
		s.tree = tree, s.tree_count = sizeof tree / sizeof tree[0];
		break;
	case CHART_HEATMAP:
		s.format = (struct chart_format){CHART_PERCENT, NULL, 0};
		s.matrix = (struct chart_matrix){cells, 4, 5, cohorts, NULL};
		break;
	case CHART_HISTOGRAM:
		s.series = raw_series, s.series_count = 1;
		break;
	case CHART_SCATTER:
		s.series = scatter_series, s.series_count = 1;
		break;
	case CHART_ROC:
		s.series = roc_series, s.series_count = 1;
		break;
	case CHART_FUNNEL:
		s.point_count = 5, s.categories = stage_names, s.series = funnel_series;
		s.series_count = 1;
		s.format = (struct chart_format){CHART_NUMBER, NULL, 0};
		break;
	default:
		break;
	}
	return s;
}

/* ---- helpers ---- */

/* Renders and decodes; NULL (with the error printed) when either fails. */
static gdImagePtr render(const struct chart_spec *spec, int scale)
{
	struct buf png = BUF_INIT;
	struct error err = {{0}};
	gdImagePtr im = NULL;
	if (chart_render_png(spec, scale, &png, &err) != 0)
		printf("    render failed: %s\n", err.msg);
	else
		im = gdImageCreateFromPngPtr((int)png.len, png.data);
	buf_free(&png);
	return im;
}

static void render_hash(const struct chart_spec *spec, int scale, char hex[65])
{
	struct buf png = BUF_INIT;
	struct error err = {{0}};
	hex[0] = '\0';
	if (chart_render_png(spec, scale, &png, &err) == 0)
		sha256_hex_of(png.data, png.len, hex);
	buf_free(&png);
}

/* Pixels within tol (per channel) of rgb inside [x0, x1) x [y0, y1). */
static long count_near(gdImagePtr im, int x0, int y0, int x1, int y1, unsigned rgb, int tol)
{
	int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
	long n = 0;
	for (int y = y0; y < y1 && y < gdImageSY(im); y++)
		for (int x = x0; x < x1 && x < gdImageSX(im); x++) {
			int p = gdImageGetTrueColorPixel(im, x, y);
			if (abs(gdTrueColorGetRed(p) - r) <= tol && abs(gdTrueColorGetGreen(p) - g) <= tol &&
			    abs(gdTrueColorGetBlue(p) - b) <= tol)
				n++;
		}
	return n;
}

static long count_all(gdImagePtr im, unsigned rgb, int tol)
{
	return count_near(im, 0, 0, gdImageSX(im), gdImageSY(im), rgb, tol);
}

#define BLUE 0x0072b2   /* first palette colour */
#define ORANGE 0xe69f00 /* second */
#define FLAG 0xd55e00   /* flagged points */
#define PANEL 0xf3f3f3  /* the no-data panel */

/* ---- tests ---- */

static void test_chart_renders_every_type_at_1x_and_2x_with_exact_sizes(void)
{
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		struct chart_spec spec = sample((enum chart_type)t);
		for (int scale = 1; scale <= 2; scale++) {
			gdImagePtr im = render(&spec, scale);
			CHECK(im != NULL);
			if (!im)
				continue;
			if (gdImageSX(im) != 800 * scale || gdImageSY(im) != 450 * scale)
				printf("    %s at %dx is %dx%d\n", chart_type_name((enum chart_type)t),
				       scale, gdImageSX(im), gdImageSY(im));
			CHECK_INT(gdImageSX(im), 800 * scale);
			CHECK_INT(gdImageSY(im), 450 * scale);
			gdImageDestroy(im);
		}
	}
}

static void test_chart_honours_a_custom_size_at_both_scales(void)
{
	struct chart_spec spec = sample(CHART_LINE);
	spec.width = 640, spec.height = 360;
	gdImagePtr a = render(&spec, 1), b = render(&spec, 2);
	CHECK(a && b);
	if (a && b) {
		CHECK_INT(gdImageSX(a), 640);
		CHECK_INT(gdImageSY(a), 360);
		CHECK_INT(gdImageSX(b), 1280);
		CHECK_INT(gdImageSY(b), 720);
	}
	if (a)
		gdImageDestroy(a);
	if (b)
		gdImageDestroy(b);
}

/* Each type shows its data in its first palette colour (heatmaps in their scale). */
static void test_chart_draws_series_colours_in_the_plot(void)
{
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		if (t == CHART_HEATMAP)
			continue;
		struct chart_spec spec = sample((enum chart_type)t);
		gdImagePtr im = render(&spec, 1);
		CHECK(im != NULL);
		if (!im)
			continue;
		/* Below the header, above the source note. */
		long blue = count_near(im, 0, 60, 800, 420, BLUE, 24);
		if (blue < 150)
			printf("    %s: %ld blue pixels\n", chart_type_name((enum chart_type)t), blue);
		CHECK(blue >= 150);
		if (spec.series_count == 2) {
			long orange = count_near(im, 0, 60, 800, 420, ORANGE, 24);
			CHECK(orange >= 150);
		}
		gdImageDestroy(im);
	}
	struct chart_spec heat = sample(CHART_HEATMAP);
	gdImagePtr im = render(&heat, 1);
	CHECK(im != NULL);
	if (im) {
		CHECK(count_all(im, 0x163a7d, 10) > 300); /* the darkest cells (100%) */
		CHECK(count_all(im, 0xe4f3c8, 10) > 100); /* the lightest */
		gdImageDestroy(im);
	}
}

static void test_chart_renders_byte_identical_png_twice(void)
{
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		struct chart_spec spec = sample((enum chart_type)t);
		for (int scale = 1; scale <= 2; scale++) {
			char a[65], b[65];
			render_hash(&spec, scale, a);
			render_hash(&spec, scale, b);
			CHECK(a[0] != '\0');
			CHECK_STR(a, b);
		}
	}
}

/* A 2x render has detail finer than 2x2 blocks; an enlarged 1x image would not. */
static void test_chart_2x_is_a_rerender_not_an_upscale(void)
{
	struct chart_spec spec = sample(CHART_LINE);
	gdImagePtr im = render(&spec, 2);
	CHECK(im != NULL);
	if (!im)
		return;
	long mixed = 0;
	for (int y = 0; y + 1 < gdImageSY(im); y += 2)
		for (int x = 0; x + 1 < gdImageSX(im); x += 2) {
			int p = gdImageGetTrueColorPixel(im, x, y);
			if (p != gdImageGetTrueColorPixel(im, x + 1, y) ||
			    p != gdImageGetTrueColorPixel(im, x, y + 1) ||
			    p != gdImageGetTrueColorPixel(im, x + 1, y + 1))
				mixed++;
		}
	CHECK(mixed > 2000);
	gdImageDestroy(im);
}

static void test_chart_draws_no_data_message_for_empty_series(void)
{
	static const struct chart_series empty[1] = {{"Revenue", NULL, NULL, NULL, 0}};
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		struct chart_spec spec;
		memset(&spec, 0, sizeof spec);
		spec.type = (enum chart_type)t;
		spec.title = "Nothing to see";
		spec.series = empty;
		spec.series_count = 1;
		gdImagePtr im = render(&spec, 1);
		CHECK(im != NULL);
		if (!im)
			continue;
		CHECK(count_all(im, PANEL, 1) > 100000); /* the quiet panel fills the body */
		CHECK_INT(count_all(im, BLUE, 24), 0);
		gdImageDestroy(im);
	}
}

static void test_chart_draws_a_single_point_as_a_marker(void)
{
	static const double one[] = {1234};
	static const int32_t day[] = {15000};
	struct chart_series s = {"Revenue", one, NULL, NULL, 1};
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_LINE;
	spec.point_count = 1;
	spec.days = day;
	spec.series = &s;
	spec.series_count = 1;
	gdImagePtr im = render(&spec, 1);
	CHECK(im != NULL);
	if (im) {
		CHECK(count_all(im, BLUE, 24) >= 30);
		gdImageDestroy(im);
	}
}

static void test_chart_line_draws_band_and_flagged_points(void)
{
	static double low[12], high[12];
	static unsigned char flags[12] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
	for (int i = 0; i < 12; i++)
		low[i] = sales[i] * 0.8, high[i] = sales[i] * 1.2;
	struct chart_series s = {"Sales", sales, NULL, flags, 12};
	struct chart_spec spec = sample(CHART_LINE);
	spec.series = &s;
	spec.series_count = 1;
	spec.band_low = low;
	spec.band_high = high;
	gdImagePtr im = render(&spec, 1);
	CHECK(im != NULL);
	if (im) {
		CHECK(count_all(im, FLAG, 20) >= 40);
		CHECK(count_all(im, 0xd6e7f2, 6) >= 1000); /* blue at 16% on white */
		gdImageDestroy(im);
	}
}

/* The legend row sits at the left under the subtitle; its first mark is blue. */
static long legend_blue(const struct chart_spec *spec)
{
	gdImagePtr im = render(spec, 1);
	if (!im)
		return -1;
	long n = count_near(im, 18, 62, 38, 92, BLUE, 24);
	gdImageDestroy(im);
	return n;
}

static void test_chart_shows_a_legend_only_for_more_than_one_series(void)
{
	struct chart_spec grouped = sample(CHART_GROUPED_BAR);
	struct chart_spec single = sample(CHART_BAR);
	CHECK(legend_blue(&grouped) > 20);
	CHECK_INT(legend_blue(&single), 0);
}

static void test_chart_survives_non_finite_and_huge_values(void)
{
	static const double hostile[] = {NAN, INFINITY, -INFINITY, DBL_MAX, -DBL_MAX, 1e308,
					 -1e-310, 0, 5e-324, 42, -1e300, NAN};
	static const double hostile_x[] = {1e308, NAN, 0, 1, -INFINITY, 2, 3, DBL_MAX, 4, 5,
					   -1e300, 6};
	static unsigned char flags[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	static double hostile_cells[12];
	static struct chart_tree_item hostile_tree[12];
	for (int i = 0; i < 12; i++) {
		hostile_cells[i] = hostile[i];
		hostile_tree[i] = (struct chart_tree_item){i % 2 ? "A" : "B", "x", hostile[i]};
	}
	struct chart_series s[2] = {{"Hostile", hostile, hostile_x, flags, 12},
				    {"Also", hostile, hostile_x, NULL, 12}};
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		struct chart_spec spec = sample((enum chart_type)t);
		spec.series = s;
		spec.series_count = t == CHART_DONUT || t == CHART_FUNNEL ? 1 : 2;
		spec.band_low = hostile;
		spec.band_high = hostile_x;
		spec.tree = hostile_tree;
		spec.tree_count = 12;
		spec.matrix = (struct chart_matrix){hostile_cells, 3, 4, NULL, NULL};
		if (spec.point_count)
			spec.point_count = 12, spec.categories = months;
		for (int scale = 1; scale <= 2; scale++) {
			gdImagePtr im = render(&spec, scale);
			CHECK(im != NULL);
			if (im)
				gdImageDestroy(im);
		}
		struct buf text = BUF_INIT;
		struct error err = {{0}};
		CHECK_INT(chart_write_csv(&spec, &text, &err), 0);
		CHECK_INT(chart_alt_text(&spec, &text, &err), 0);
		buf_free(&text);
	}
}

static void test_chart_renders_the_awkward_cases(void)
{
	static const char *const long_labels[] = {
		"A PRODUCT NAME SO LONG THAT IT COULD NEVER FIT IN ANY LABEL COLUMN AT ALL",
		"Short", "Invalid \xff\xfe UTF-8", "Fish & Chips &amp; entities", "",
		"Tabs\tand\nnewlines"};
	static const double values[] = {120, -45, 3, 0, 88, 1e6};
	struct chart_series s = {"Value", values, NULL, NULL, 6};
	static double many[5000];
	static const char *forty[40];
	static int32_t days[5000];
	for (int i = 0; i < 5000; i++)
		many[i] = 1000 + 300 * sin(i / 40.0), days[i] = 14000 + i;
	for (int i = 0; i < 40; i++)
		forty[i] = long_labels[i % 6];
	struct chart_series big = {"Sessions", many, NULL, NULL, 5000};
	struct chart_spec cases[6];
	for (int i = 0; i < 6; i++)
		cases[i] = sample(CHART_BAR);
	cases[0].categories = long_labels, cases[0].point_count = 6, cases[0].series = &s;
	cases[1] = cases[0], cases[1].horizontal = 1;
	cases[2] = sample(CHART_LINE), cases[2].series = &big, cases[2].series_count = 1;
	cases[2].point_count = 5000, cases[2].days = days, cases[2].categories = NULL;
	cases[3].categories = forty, cases[3].point_count = 40, cases[3].series = &big;
	cases[4] = cases[3], cases[4].horizontal = 1;
	cases[5] = cases[0], cases[5].point_count = 1;
	for (int i = 0; i < 6; i++) {
		gdImagePtr im = render(&cases[i], 2);
		CHECK(im != NULL);
		if (im)
			gdImageDestroy(im);
	}
}

static void test_chart_missing_font_is_an_error_not_a_crash(void)
{
	struct chart_spec spec = sample(CHART_BAR);
	spec.font = "/nonexistent/NoSuchFont.ttf";
	struct buf png = BUF_INIT;
	struct error err = {{0}};
	CHECK_INT(chart_render_png(&spec, 1, &png, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "NoSuchFont.ttf") != NULL);
	CHECK(strstr(err.msg, "bar chart 'Sample chart'") != NULL);
	CHECK_INT(png.len, 0);
	spec.font = NULL;
	spec.bold_font = "/nonexistent/Bold.ttf";
	CHECK_INT(chart_render_png(&spec, 1, &png, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "Bold.ttf") != NULL);
	buf_free(&png);
}

static void test_chart_rejects_specs_it_cannot_draw(void)
{
	struct buf png = BUF_INIT;
	struct error err = {{0}};
	CHECK_INT(chart_render_png(NULL, 1, &png, &err), ERR_INPUT);
	struct chart_spec spec = sample(CHART_LINE);
	CHECK_INT(chart_render_png(&spec, 0, &png, &err), ERR_INPUT);
	CHECK_INT(chart_render_png(&spec, 5, &png, &err), ERR_INPUT);
	spec.width = 20;
	CHECK_INT(chart_render_png(&spec, 1, &png, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "width 20") != NULL);
	spec = sample(CHART_LINE);
	spec.type = (enum chart_type)99;
	CHECK_INT(chart_render_png(&spec, 1, &png, &err), ERR_INPUT);
	struct chart_series no_values = {"Broken", NULL, NULL, NULL, 4};
	spec = sample(CHART_LINE);
	spec.series = &no_values, spec.series_count = 1;
	CHECK_INT(chart_render_png(&spec, 1, &png, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "'Broken'") != NULL);
	struct chart_series no_x = {"Model", tpr, NULL, NULL, 7};
	spec = sample(CHART_ROC);
	spec.series = &no_x;
	CHECK_INT(chart_render_png(&spec, 1, &png, &err), ERR_INPUT);
	CHECK_INT(chart_write_csv(&spec, &png, &err), ERR_INPUT);
	CHECK_INT(chart_alt_text(&spec, &png, &err), ERR_INPUT);
	CHECK_INT(png.len, 0);
	buf_free(&png);
}

static void test_chart_renders_again_after_the_font_cache_is_released(void)
{
	struct chart_spec spec = sample(CHART_DONUT);
	char before[65], after[65];
	render_hash(&spec, 1, before);
	chart_library_shutdown();
	render_hash(&spec, 1, after);
	CHECK(before[0] != '\0');
	CHECK_STR(after, before);
}

int main(void)
{
	setup_data();
	RUN(test_chart_renders_every_type_at_1x_and_2x_with_exact_sizes);
	RUN(test_chart_honours_a_custom_size_at_both_scales);
	RUN(test_chart_draws_series_colours_in_the_plot);
	RUN(test_chart_renders_byte_identical_png_twice);
	RUN(test_chart_2x_is_a_rerender_not_an_upscale);
	RUN(test_chart_draws_no_data_message_for_empty_series);
	RUN(test_chart_draws_a_single_point_as_a_marker);
	RUN(test_chart_line_draws_band_and_flagged_points);
	RUN(test_chart_shows_a_legend_only_for_more_than_one_series);
	RUN(test_chart_survives_non_finite_and_huge_values);
	RUN(test_chart_renders_the_awkward_cases);
	RUN(test_chart_missing_font_is_an_error_not_a_crash);
	RUN(test_chart_rejects_specs_it_cannot_draw);
	RUN(test_chart_renders_again_after_the_font_cache_is_released);
	chart_library_shutdown();
	return check_summary();
}
