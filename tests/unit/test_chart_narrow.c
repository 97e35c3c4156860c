/* test_chart_narrow: charts drawn 400 px wide for phones lay out for the width rather
 * than squeeze the desktop layout: the donut's table goes under the ring with whole
 * names, the ROC legend goes inside the plot clear of every curve or below it, long
 * bar labels go above their bars, funnel names take room from the bars, titles wrap,
 * and no tick label ever touches another or the histogram's overflow label. Desktop
 * layouts stay as they were. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report/chart_internal.h"
#include "util/rng.h"

#define PHONE_H 450

static const char *const payment_names[] = {"Card", "Invoice (trade accounts)", "PayPal",
					    "Bank transfer", "Gift card", "Apple pay", "Cash"};
static const double payment_values[] = {4.1e6, 2.4e6, 1.8e6, 9.1e5, 1.2e5, 9e4, 3e4};

static int open_canvas(struct canvas *cv, double width, double height)
{
	struct error err;
	return canvas_init(cv, width, height, 1, CHART_FONT, CHART_BOLD_FONT, &err);
}

/* The room between header and footer of a chart with a title and a two-line
 * subtitle: what chart_render hands a chart kind. */
static struct rect body_of(double width, double height)
{
	return rect_make(CHART_PAD, 82, width - 2 * CHART_PAD, height - 82 - 38);
}

static struct chart_series payment_series[1];

static struct chart_spec donut_spec(void)
{
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	s.type = CHART_DONUT;
	s.format = (struct chart_format){CHART_CURRENCY, "\xc2\xa3", 0};
	payment_series[0] = (struct chart_series){"Revenue", payment_values, NULL, NULL, 7};
	s.series = payment_series, s.series_count = 1;
	s.categories = payment_names, s.point_count = 7;
	return s;
}

/* Every name of the donut fits its row uncut. */
static int donut_names_whole(struct canvas *cv, const struct donut_layout *lay)
{
	for (size_t i = 0; i < 7; i++)
		if (cv_text_width(cv, payment_names[i], SIZE_LABEL, 0) > lay->name_w)
			return 0;
	return 1;
}

static void test_phone_size_keeps_the_height_of_lists_donuts_and_roc_curves(void)
{
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	int w, h;
	s.type = CHART_LINE;
	chart_phone_size(&s, &w, &h);
	CHECK_INT(w, CHART_PHONE_WIDTH);
	CHECK_INT(h, 300);
	s.height = 360;
	chart_phone_size(&s, &w, &h);
	CHECK_INT(h, CHART_PHONE_MIN_HEIGHT);
	s.type = CHART_BAR, s.horizontal = 1, s.height = 720;
	chart_phone_size(&s, &w, &h);
	CHECK_INT(h, 720);
	s.horizontal = 0, s.height = 0, s.type = CHART_DONUT;
	chart_phone_size(&s, &w, &h);
	CHECK_INT(h, CHART_DEFAULT_HEIGHT);
	s.type = CHART_ROC;
	chart_phone_size(&s, &w, &h);
	CHECK_INT(h, CHART_DEFAULT_HEIGHT);
}

static void test_narrow_donut_puts_its_table_under_the_ring_with_whole_names(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, PHONE_H), 0);
	struct chart_spec s = donut_spec();
	struct rect body = body_of(CHART_PHONE_WIDTH, PHONE_H);
	struct donut_layout lay;
	donut_layout(&cv, &s, body, &lay);
	CHECK_INT(lay.legend_below, 1);
	CHECK_INT(lay.rows, 7);
	CHECK(lay.show_values);
	CHECK(donut_names_whole(&cv, &lay));
	CHECK(lay.table.y >= lay.cy + lay.r_out);
	CHECK(lay.table.y + lay.table.h <= body.y + body.h + 0.01);
	CHECK(lay.table.x >= body.x && lay.table.x + lay.table.w <= body.x + body.w + 0.01);
	CHECK(lay.r_out >= 48);
	CHECK(lay.cy - lay.r_out >= body.y - 0.01);
	canvas_free(&cv);
}

static void test_wide_donut_keeps_its_table_beside_the_ring(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_DEFAULT_WIDTH, CHART_DEFAULT_HEIGHT), 0);
	struct chart_spec s = donut_spec();
	struct donut_layout lay;
	donut_layout(&cv, &s, body_of(CHART_DEFAULT_WIDTH, CHART_DEFAULT_HEIGHT), &lay);
	CHECK_INT(lay.legend_below, 0);
	CHECK(lay.table.x >= lay.cx + lay.r_out);
	CHECK(donut_names_whole(&cv, &lay));
	canvas_free(&cv);
}

static void test_short_narrow_donut_shrinks_its_ring_until_the_names_fit_beside_it(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, 300), 0);
	struct chart_spec s = donut_spec();
	struct rect body = body_of(CHART_PHONE_WIDTH, 300);
	struct donut_layout lay;
	donut_layout(&cv, &s, body, &lay);
	CHECK_INT(lay.legend_below, 0);
	CHECK(donut_names_whole(&cv, &lay));
	CHECK(lay.r_out >= 30);
	CHECK(lay.table.x >= lay.cx + lay.r_out);
	CHECK(lay.table.x + lay.table.w <= body.x + body.w + 0.01);
	CHECK(lay.table.h <= body.h + 0.01);
	canvas_free(&cv);
}

static void test_narrow_donut_never_cuts_a_name_to_a_bare_ellipsis(void)
{
	static const char *const long_names[] = {
		"Payment on account, thirty days net, for registered trade customers",
		"Payment on delivery in cash to the driver at the door of the customer"};
	static const double values[] = {60, 40};
	struct chart_series ser = {"Revenue", values, NULL, NULL, 2};
	struct chart_spec s = donut_spec();
	s.categories = long_names, s.point_count = 2, s.series = &ser;
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, 300), 0);
	struct donut_layout lay;
	donut_layout(&cv, &s, body_of(CHART_PHONE_WIDTH, 300), &lay);
	struct buf fit = BUF_INIT;
	cv_text_fit(&cv, long_names[0], SIZE_LABEL, 0, lay.name_w, &fit);
	CHECK(fit.len >= 4 + 3); /* four letters and the ellipsis at least */
	CHECK(strncmp(buf_str(&fit), "Paym", 4) == 0);
	buf_free(&fit);
	canvas_free(&cv);
}

/* ---- ROC ---- */

static double good_fpr[101], good_tpr[101], poor_tpr[101];
static struct chart_series roc_series[2];

static struct chart_spec roc_spec(const double *second_tpr)
{
	for (int i = 0; i <= 100; i++) {
		double x = i / 100.0;
		good_fpr[i] = x;
		good_tpr[i] = 1 - pow(1 - x, 5);
		poor_tpr[i] = fmin(1, x * 1.08);
	}
	roc_series[0] = (struct chart_series){"Logistic regression", good_tpr, good_fpr, NULL, 101};
	roc_series[1] = (struct chart_series){"Days since last order", second_tpr, good_fpr, NULL,
					      101};
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	s.type = CHART_ROC;
	s.series = roc_series, s.series_count = 2;
	return s;
}

/* No curve point right of the box's left edge is as low as its top. */
static int box_clear_of_curves(const struct roc_layout *lay, const struct chart_spec *spec)
{
	double x0 = (lay->legend.x - lay->plot.x) / lay->plot.w;
	double top = (lay->plot.y + lay->plot.h - lay->legend.y) / lay->plot.h;
	for (size_t s = 0; s < spec->series_count; s++)
		for (size_t i = 0; i < spec->series[s].count; i++)
			if (spec->series[s].x[i] >= x0 && spec->series[s].values[i] <= top)
				return 0;
	return 1;
}

/* Every curve's label carries its whole name. */
static int roc_names_whole(const struct roc_layout *lay)
{
	return lay->entry_count == 3 &&
	       strcmp(lay->entries[0].label, "Logistic regression (AUC 0.83)") == 0 &&
	       strncmp(lay->entries[1].label, "Days since last order (AUC ", 27) == 0;
}

static void test_narrow_roc_legend_goes_inside_the_plot_clear_of_the_curves(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, PHONE_H), 0);
	struct chart_spec s = roc_spec(good_tpr);
	struct roc_layout lay;
	roc_layout(&cv, &s, body_of(CHART_PHONE_WIDTH, PHONE_H), &lay);
	CHECK_INT(lay.legend_at, ROC_LEGEND_INSIDE);
	CHECK(roc_names_whole(&lay));
	CHECK(lay.legend.x > lay.plot.x && lay.legend.y > lay.plot.y);
	CHECK(lay.legend.x + lay.legend.w <= lay.plot.x + lay.plot.w);
	CHECK(lay.legend.y + lay.legend.h <= lay.plot.y + lay.plot.h);
	CHECK(box_clear_of_curves(&lay, &s));
	CHECK_NEAR(lay.plot.w, lay.plot.h, 0.5);
	roc_layout_free(&lay);
	canvas_free(&cv);
}

static void test_narrow_roc_legend_goes_below_when_a_curve_runs_through_the_corner(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, PHONE_H), 0);
	struct chart_spec s = roc_spec(poor_tpr);
	struct rect body = body_of(CHART_PHONE_WIDTH, PHONE_H);
	struct roc_layout lay;
	roc_layout(&cv, &s, body, &lay);
	CHECK_INT(lay.legend_at, ROC_LEGEND_BELOW);
	CHECK(roc_names_whole(&lay));
	CHECK(lay.legend.y >= lay.plot.y + lay.plot.h + lay.below);
	CHECK(lay.legend.y + lay.legend.h <= body.y + body.h + 0.01);
	CHECK_NEAR(legend_height(&cv, lay.entries, 3, lay.legend.w), lay.legend.h, 0.01);
	roc_layout_free(&lay);
	canvas_free(&cv);
}

static void test_wide_roc_legend_stays_beside_the_plot(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_DEFAULT_WIDTH, CHART_DEFAULT_HEIGHT), 0);
	struct chart_spec s = roc_spec(good_tpr);
	struct roc_layout lay;
	roc_layout(&cv, &s, body_of(CHART_DEFAULT_WIDTH, CHART_DEFAULT_HEIGHT), &lay);
	CHECK_INT(lay.legend_at, ROC_LEGEND_BESIDE);
	CHECK(lay.legend.x >= lay.plot.x + lay.plot.w);
	roc_layout_free(&lay);
	canvas_free(&cv);
}

/* ---- tick labels ---- */

/* The labels are in order, none overlapping the next, all before limit. */
static int labels_apart(const struct tick_label *t, int n, double limit)
{
	for (int i = 0; i < n; i++) {
		if (t[i].x1 > limit || t[i].x0 > t[i].x1)
			return 0;
		if (i + 1 < n && (t[i + 1].tick <= t[i].tick || t[i].x1 >= t[i + 1].x0))
			return 0;
	}
	return 1;
}

static void test_bottom_axis_labels_never_overlap_at_any_width(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1300, 400), 0);
	static const struct chart_format money = {CHART_CURRENCY, "\xc2\xa3", 0};
	static const struct chart_format pct = {CHART_PERCENT, NULL, 0};
	const struct {
		double lo, hi;
		const struct chart_format *fmt;
	} ranges[] = {{0, 1, NULL}, {0, 1.85e6, &money}, {-5, 5, NULL}, {0, 0.37, &pct},
		      {12345, 98765, &money}, {0, 6000, &money}};
	int checked = 0;
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
		for (double w = 60; w <= 1200; w += 37) {
			struct axis a;
			axis_fit(&a, ranges[r].lo, ranges[r].hi, (int)(w / 60), 0, ranges[r].fmt);
			struct tick_label t[AXIS_MAX_TICKS];
			struct rect plot = rect_make(50, 20, w, 200);
			int n = axis_bottom_labels(&cv, &a, plot, INFINITY, t);
			CHECK(n >= 1);
			CHECK(labels_apart(t, n, INFINITY));
			/* A limit drops the labels that would pass it, and only those. */
			double limit = plot.x + plot.w - 10;
			int m = axis_bottom_labels(&cv, &a, plot, limit, t);
			CHECK(labels_apart(t, m, limit));
			CHECK(m >= n - 1);
			checked++;
		}
	CHECK(checked > 100);
	canvas_free(&cv);
}

static double spend[1500];
static struct chart_series spend_series[1];

/* Spend per customer: most small, a long tail that goes to the overflow bar. */
static struct chart_spec lifetime_value_spec(void)
{
	struct rng r;
	rng_seed(&r, 439);
	for (size_t i = 0; i < 1500; i++)
		spend[i] = 40 + rng_exponential(&r, 700) * (i % 20 == 0 ? 8 : 1);
	spend_series[0] = (struct chart_series){"Spend", spend, NULL, NULL, 1500};
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	s.type = CHART_HISTOGRAM;
	s.x_format = (struct chart_format){CHART_CURRENCY, "$", 0};
	s.series = spend_series, s.series_count = 1;
	s.x_label = "Spend", s.y_label = "Customers";
	return s;
}

static void test_histogram_tick_labels_keep_clear_of_the_overflow_label(void)
{
	struct chart_spec s = lifetime_value_spec();
	int collided_before = 0;
	for (int width = 320; width <= 1200; width += 40) {
		struct canvas cv;
		CHECK_INT(open_canvas(&cv, width, 450), 0);
		struct histogram_layout lay;
		histogram_layout(&cv, &s, body_of(width, 450), &lay);
		CHECK(lay.bins.overflow > 0);
		CHECK(lay.overflow_x1 > lay.overflow_x0);
		CHECK(lay.tick_count >= 2);
		CHECK(labels_apart(lay.ticks, lay.tick_count, lay.overflow_x0));
		/* Without the limit the last label would run into "$N+" at some widths: the
		 * case this protects. */
		struct tick_label all[AXIS_MAX_TICKS];
		int n = axis_bottom_labels(&cv, &lay.x, lay.bins_area, INFINITY, all);
		if (n > 0 && all[n - 1].x1 > lay.overflow_x0)
			collided_before++;
		histogram_layout_free(&lay);
		canvas_free(&cv);
	}
	CHECK(collided_before > 0);
}

static void test_rotated_labels_report_how_far_they_would_run_off_the_left_edge(void)
{
	static const char *const countries[] = {"United Kingdom", "Netherlands", "EIRE", "Spain",
						"Germany", "France", "Norway", "Italy"};
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, 300), 0);
	struct category_axis ca;
	category_axis_fit(&cv, countries, 8, 14, 120, 0, &ca);
	CHECK_INT(ca.rotated, 1);
	double first_w = cv_text_width(&cv, countries[0], SIZE_TICK, 0);
	double over = category_axis_overhang(&cv, &ca, countries, 8, 40, 14);
	CHECK_NEAR(over, first_w * cos(3.14159265358979323846 / 4) - 38, 0.01);
	/* From far enough right nothing is cut. */
	CHECK_NEAR(category_axis_overhang(&cv, &ca, countries, 8, 40 + over + 1, 14), 0, 0);
	canvas_free(&cv);
}

/* ---- bars and funnels ---- */

static const char *const product_names[] = {
	"Northwave One 2 Smartphone", "Hearthly Heritage Espresso Machine",
	"Tidewater Alpine 2-Person Tent", "Maison Cl\xc3\xa9 Classic Bedside Lamp",
	"Little Comet Clever Party Game", "Kestrel Z48 Phone"};

static void test_narrow_horizontal_bars_write_long_labels_whole_above_their_bars(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, 720), 0);
	struct bar_rows rows;
	bar_rows_fit(&cv, product_names, 6, 30, 360, &rows);
	CHECK_INT(rows.above, 1);
	CHECK_INT(rows.every, 1);
	CHECK_NEAR(rows.font, SIZE_TICK, 0);
	for (size_t i = 0; i < 6; i++)
		CHECK(cv_text_width(&cv, product_names[i], rows.font, 0) <= rows.label_w);
	CHECK(rows.bar_room >= 10);
	CHECK_NEAR(rows.label_h + rows.bar_room, 30, 1e-9);
	/* Rows too thin for a line of their own keep the labels beside the bars. */
	bar_rows_fit(&cv, product_names, 6, 20, 360, &rows);
	CHECK_INT(rows.above, 0);
	CHECK_NEAR(rows.label_w, 360 * 0.3, 1e-9);
	/* Short labels that fit beside stay beside. */
	static const char *const short_names[] = {"Web", "Mobile", "Store"};
	bar_rows_fit(&cv, short_names, 3, 40, 360, &rows);
	CHECK_INT(rows.above, 0);
	canvas_free(&cv);
}

static void test_wide_horizontal_bars_keep_labels_in_a_column(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_DEFAULT_WIDTH, 720), 0);
	struct bar_rows rows;
	bar_rows_fit(&cv, product_names, 6, 30, 760, &rows);
	CHECK_INT(rows.above, 0);
	CHECK_NEAR(rows.bar_room, 30, 0);
	canvas_free(&cv);
}

static void test_narrow_funnel_gives_stage_names_room_from_the_bars(void)
{
	static const char *const stages[] = {"Visits", "Viewed a product", "Added to cart",
					     "Started checkout", "Bought"};
	static const double counts[] = {3335, 3335, 2244, 1731, 1516};
	struct chart_series ser = {"Visits", counts, NULL, NULL, 5};
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	s.type = CHART_FUNNEL;
	s.categories = stages, s.point_count = 5, s.series = &ser, s.series_count = 1;
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, CHART_PHONE_WIDTH, 300), 0);
	struct rect body = body_of(CHART_PHONE_WIDTH, 300);
	struct funnel_layout lay;
	funnel_layout(&cv, &s, 5, body, &lay);
	for (size_t i = 0; i < 5; i++)
		CHECK(cv_text_width(&cv, stages[i], SIZE_LABEL, 0) <= lay.names_w ||
		      lay.name_lines == 2);
	CHECK(lay.bars_w >= body.w * 0.3 - 0.01);
	canvas_free(&cv);
	/* The desktop keeps its quarter for names. */
	CHECK_INT(open_canvas(&cv, CHART_DEFAULT_WIDTH, 450), 0);
	funnel_layout(&cv, &s, 5, body_of(CHART_DEFAULT_WIDTH, 450), &lay);
	CHECK_INT(lay.name_lines, 1);
	canvas_free(&cv);
}

/* ---- whole charts ---- */

/* Dark title ink in rows [y0, y1) of a rendered 1x PNG. */
static int ink_rows(const struct buf *png, int y0, int y1)
{
	gdImagePtr im = gdImageCreateFromPngPtr((int)png->len, png->data);
	if (!im)
		return -1;
	int found = 0;
	for (int y = y0; y < y1 && !found; y++)
		for (int x = 0; x < gdImageSX(im) && !found; x++)
			found = gdTrueColorGetRed(gdImageGetTrueColorPixel(im, x, y)) < 0x40;
	gdImageDestroy(im);
	return found;
}

static void test_narrow_chart_wraps_a_long_title_instead_of_cutting_it(void)
{
	static const double v[] = {1200, 1400, 1100, 1500};
	struct chart_series ser = {"Revenue", v, NULL, NULL, 4};
	struct chart_spec s;
	memset(&s, 0, sizeof s);
	s.type = CHART_LINE;
	s.series = &ser, s.series_count = 1, s.point_count = 4;
	s.title = "Churn risk: predicted against observed, by decile of risk";
	s.width = CHART_PHONE_WIDTH, s.height = 300;
	struct buf png = BUF_INIT;
	struct error err;
	CHECK_INT(chart_render_png(&s, 1, &png, &err), 0);
	CHECK_INT(ink_rows(&png, 40, 50), 1); /* the second line of the title */
	buf_reset(&png);
	s.title = "Churn risk";
	CHECK_INT(chart_render_png(&s, 1, &png, &err), 0);
	CHECK_INT(ink_rows(&png, 40, 50), 0);
	buf_free(&png);
}

static void test_every_chart_type_renders_at_phone_width(void)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan"};
	static const double a[] = {5, 7, 3, 8, 6, 9, 4, 7, 5, 8, 6, 9, 7};
	static const double b[] = {3, 2, 4, 3, 5, 2, 4, 3, 5, 2, 4, 3, 2};
	static double cells[4 * 13];
	static const struct chart_tree_item tree[] = {{"Electronics", "Smartphones", 383},
						      {"Electronics", "Laptop sleeves", 22},
						      {"Home & Kitchen", "Coffee makers", 21}};
	for (size_t i = 0; i < 4 * 13; i++)
		cells[i] = i % 13 > 12 - i / 13 ? NAN : 1.0 / (1 + (double)(i % 13));
	struct chart_series two[2] = {{"Online", a, a, NULL, 13}, {"Stores", b, b, NULL, 13}};
	for (int type = 0; type < CHART_TYPE_COUNT; type++) {
		struct chart_spec s;
		memset(&s, 0, sizeof s);
		s.type = (enum chart_type)type;
		s.title = "A chart drawn for a phone";
		s.subtitle = "Every kind, at four hundred pixels";
		s.source = "Source: tests";
		s.categories = months, s.point_count = 13;
		s.series = two, s.series_count = type == CHART_DONUT || type == CHART_FUNNEL ? 1 : 2;
		s.tree = tree, s.tree_count = 3;
		s.matrix = (struct chart_matrix){cells, 4, 13, months, NULL};
		if (type == CHART_ROC) {
			struct chart_spec roc = roc_spec(good_tpr);
			s.series = roc.series;
		}
		chart_phone_size(&s, &s.width, &s.height);
		struct buf png = BUF_INIT;
		struct error err;
		CHECK_INT(chart_render_png(&s, 2, &png, &err), 0);
		gdImagePtr im = gdImageCreateFromPngPtr((int)png.len, png.data);
		CHECK(im != NULL);
		if (im) {
			CHECK_INT(gdImageSX(im), 2 * CHART_PHONE_WIDTH);
			CHECK_INT(gdImageSY(im), 2 * s.height);
			gdImageDestroy(im);
		}
		buf_free(&png);
	}
}

int main(void)
{
	RUN(test_phone_size_keeps_the_height_of_lists_donuts_and_roc_curves);
	RUN(test_narrow_donut_puts_its_table_under_the_ring_with_whole_names);
	RUN(test_wide_donut_keeps_its_table_beside_the_ring);
	RUN(test_short_narrow_donut_shrinks_its_ring_until_the_names_fit_beside_it);
	RUN(test_narrow_donut_never_cuts_a_name_to_a_bare_ellipsis);
	RUN(test_narrow_roc_legend_goes_inside_the_plot_clear_of_the_curves);
	RUN(test_narrow_roc_legend_goes_below_when_a_curve_runs_through_the_corner);
	RUN(test_wide_roc_legend_stays_beside_the_plot);
	RUN(test_bottom_axis_labels_never_overlap_at_any_width);
	RUN(test_histogram_tick_labels_keep_clear_of_the_overflow_label);
	RUN(test_rotated_labels_report_how_far_they_would_run_off_the_left_edge);
	RUN(test_narrow_horizontal_bars_write_long_labels_whole_above_their_bars);
	RUN(test_wide_horizontal_bars_keep_labels_in_a_column);
	RUN(test_narrow_funnel_gives_stage_names_room_from_the_bars);
	RUN(test_narrow_chart_wraps_a_long_title_instead_of_cutting_it);
	RUN(test_every_chart_type_renders_at_phone_width);
	chart_library_shutdown();
	return check_summary();
}
