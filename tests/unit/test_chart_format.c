/* test_chart_format: the parts of the charts a reader checks with a pencil: figures
 * with separators, currency and percent; compact axis figures; day numbers; nice ticks
 * at 1-2-5 steps; date axes at sensible intervals; labels kept apart; histogram bins
 * on round edges; AUC; the screen-reader table's headings and cells. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "report/chart_internal.h"
#include "util/utf8.h"

static const struct chart_format pounds = {CHART_CURRENCY, "\xc2\xa3", 0};
static const struct chart_format dollars = {CHART_CURRENCY, NULL, 2};
static const struct chart_format percent = {CHART_PERCENT, NULL, 1};
static const struct chart_format plain = {CHART_NUMBER, NULL, 0};

/* The value written with fmt and style, in a static buffer. */
static const char *fmt(const struct chart_format *f, double v, unsigned style)
{
	static struct buf out;
	buf_reset(&out);
	chart_format_value(f, v, style, &out);
	return buf_str(&out);
}

static void test_format_writes_currency_with_thousands_separators(void)
{
	CHECK_STR(fmt(&pounds, 1234, 0), "\xc2\xa3" "1,234");
	CHECK_STR(fmt(&pounds, 184349.4, 0), "\xc2\xa3" "184,349");
	CHECK_STR(fmt(&dollars, 1234567.891, 0), "$1,234,567.89");
	CHECK_STR(fmt(&pounds, -1234, 0), "-\xc2\xa3" "1,234");
	CHECK_STR(fmt(&pounds, -1234, CHART_FMT_MINUS), "\xe2\x88\x92\xc2\xa3" "1,234");
	CHECK_STR(fmt(&plain, 999, 0), "999");
	CHECK_STR(fmt(&plain, 1000, 0), "1,000");
	CHECK_STR(fmt(NULL, 12, 0), "12");
}

static void test_format_never_writes_minus_zero(void)
{
	CHECK_STR(fmt(&pounds, -0.001, 0), "\xc2\xa3" "0");
	CHECK_STR(fmt(&percent, -0.00001, CHART_FMT_MINUS), "0.0%");
	CHECK_STR(fmt(&plain, -0.0, 0), "0");
}

static void test_format_abbreviates_large_figures_when_compact(void)
{
	CHECK_STR(fmt(&dollars, 1200000, CHART_FMT_COMPACT), "$1.2M");
	CHECK_STR(fmt(&pounds, 1234567, CHART_FMT_COMPACT), "\xc2\xa3" "1.23M");
	CHECK_STR(fmt(&plain, 12345, CHART_FMT_COMPACT), "12.3K");
	CHECK_STR(fmt(&plain, 184349, CHART_FMT_COMPACT), "184K");
	CHECK_STR(fmt(&plain, 999960, CHART_FMT_COMPACT), "1M");
	CHECK_STR(fmt(&plain, 7.3e9, CHART_FMT_COMPACT), "7.3B");
	CHECK_STR(fmt(&plain, 1e15, CHART_FMT_COMPACT), "1,000T");
	CHECK_STR(fmt(&plain, 9999, CHART_FMT_COMPACT), "9,999");
	CHECK_STR(fmt(&pounds, -25000, CHART_FMT_COMPACT), "-\xc2\xa3" "25K");
}

static void test_format_writes_fractions_as_percent(void)
{
	CHECK_STR(fmt(&percent, 0.253, 0), "25.3%");
	CHECK_STR(fmt(&percent, 1, 0), "100.0%");
	CHECK_STR(fmt(&percent, -0.689, CHART_FMT_MINUS), "\xe2\x88\x92" "68.9%");
	CHECK_STR(fmt(&percent, 123.0, CHART_FMT_COMPACT), "12,300.0%");
}

static void test_format_writes_non_finite_values_as_not_available(void)
{
	CHECK_STR(fmt(&pounds, NAN, 0), "n/a");
	CHECK_STR(fmt(&pounds, INFINITY, CHART_FMT_COMPACT), "n/a");
	CHECK_STR(fmt(&percent, -INFINITY, 0), "n/a");
}

static void test_days_count_from_1970_and_back(void)
{
	CHECK_INT(chart_day_from_civil(1970, 1, 1), 0);
	CHECK_INT(chart_day_from_civil(1969, 12, 31), -1);
	CHECK_INT(chart_day_from_civil(2000, 3, 1) - chart_day_from_civil(2000, 2, 28), 2);
	CHECK_INT(chart_day_from_civil(1900, 3, 1) - chart_day_from_civil(1900, 2, 28), 1);
	int y, m, d;
	for (int32_t day = -800000; day < 800000; day += 997) {
		chart_civil_from_day(day, &y, &m, &d);
		CHECK_INT(chart_day_from_civil(y, m, d), day);
	}
	struct buf out = BUF_INIT;
	chart_format_day(chart_day_from_civil(2011, 12, 9), &out);
	CHECK_STR(buf_str(&out), "9 Dec 2011");
	buf_free(&out);
}

/* True when s is 1, 2 or 5 times a power of ten. */
static int is_125(double s)
{
	double mag = pow(10, floor(log10(s) + 1e-9));
	double f = s / mag;
	return fabs(f - 1) < 1e-9 || fabs(f - 2) < 1e-9 || fabs(f - 5) < 1e-9;
}

static void test_axis_ticks_step_in_ones_twos_and_fives(void)
{
	static const double ranges[][2] = {{0, 184349}, {-0.689, 0.381}, {3.2, 3.9},
					   {0, 1}, {-12500, 21400}, {1e-6, 3e-6},
					   {0, 7308391}, {-1e15, 1e15}, {17, 17}};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		struct axis a;
		for (int target = 2; target <= 10; target++) {
			axis_fit(&a, ranges[i][0], ranges[i][1], target, 0, &plain);
			CHECK(is_125(a.step));
			CHECK(a.lo <= ranges[i][0] && a.hi >= ranges[i][1]);
			CHECK(a.hi > a.lo);
			CHECK(a.ticks >= 2 && a.ticks <= AXIS_MAX_TICKS);
			CHECK(fabs(remainder(a.lo, a.step)) < a.step * 1e-6);
		}
	}
}

static void test_axis_includes_zero_when_asked(void)
{
	struct axis a;
	axis_fit(&a, 500, 900, 5, AXIS_ZERO, &plain);
	CHECK(a.lo == 0);
	axis_fit(&a, -900, -500, 5, AXIS_ZERO, &plain);
	CHECK(a.hi == 0);
	axis_fit(&a, 0, 0, 5, AXIS_ZERO, &plain);
	CHECK(a.lo == 0 && a.hi > 0);
	axis_fit(&a, 0, 0.4, 5, AXIS_ZERO | AXIS_INTEGER, &plain);
	CHECK(a.step >= 1);
	axis_fit(&a, NAN, INFINITY, 5, 0, &plain);
	CHECK(a.lo == 0 && a.hi == 1);
}

/* A span of subnormal numbers once gave a zero step and a NaN axis (found by fuzzing). */
static void test_axis_survives_subnormal_spans(void)
{
	static const double ranges[][2] = {{0, 1e-323}, {1e-323, 1e-323}, {-5e-324, 0},
					   {1e-310, 3e-310}, {-1e-250, 1e-250}};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		for (int target = 2; target <= 10; target++) {
			struct axis a;
			axis_fit(&a, ranges[i][0], ranges[i][1], target, AXIS_ZERO, &plain);
			CHECK(isfinite(a.lo) && isfinite(a.hi) && a.hi > a.lo && a.step > 0);
			CHECK(a.ticks >= 2 && a.ticks <= AXIS_MAX_TICKS);
		}
	}
}

/* All tick labels of an axis, joined by spaces. */
static const char *tick_labels(double lo, double hi, int target, const struct chart_format *f)
{
	static struct buf out;
	struct axis a;
	axis_fit(&a, lo, hi, target, AXIS_ZERO, f);
	buf_reset(&out);
	for (int i = 0; i < a.ticks; i++) {
		if (i)
			buf_putc(&out, ' ');
		axis_tick_label(&a, axis_tick(&a, i), &out);
	}
	return buf_str(&out);
}

static void test_axis_labels_abbreviate_consistently(void)
{
	CHECK_STR(tick_labels(0, 184349, 4, &pounds),
		  "\xc2\xa3" "0 \xc2\xa3" "50K \xc2\xa3" "100K \xc2\xa3" "150K \xc2\xa3" "200K");
	CHECK_STR(tick_labels(0, 1.46e6, 3, &plain), "0 0.5M 1M 1.5M");
	CHECK_STR(tick_labels(0, 8000, 4, &plain), "0 2,000 4,000 6,000 8,000");
	CHECK_STR(tick_labels(-0.15, 0.31, 4, &percent),
		  "\xe2\x88\x92" "20% \xe2\x88\x92" "10% 0% 10% 20% 30% 40%");
	CHECK_STR(tick_labels(0, 0.8, 4, &plain), "0 0.2 0.4 0.6 0.8");
}

static void test_date_axis_picks_intervals_from_the_span(void)
{
	struct canvas cv;
	struct error err;
	CHECK_INT(canvas_init(&cv, 800, 450, 1, CHART_FONT, CHART_BOLD_FONT, &err), 0);
	struct date_axis da;
	int32_t dec1 = chart_day_from_civil(2010, 12, 1);
	date_axis_fit(&cv, dec1, chart_day_from_civil(2011, 12, 9), 700, &da);
	CHECK_INT(da.unit, DATE_MONTH);
	CHECK_INT(da.every, 1);
	date_axis_fit(&cv, dec1, dec1 + 5000, 700, &da);
	CHECK_INT(da.unit, DATE_YEAR);
	date_axis_fit(&cv, dec1, dec1 + 9, 700, &da);
	CHECK_INT(da.unit, DATE_DAY);
	date_axis_fit(&cv, dec1, dec1 + 60, 700, &da);
	CHECK_INT(da.unit, DATE_WEEK);
	date_axis_fit(&cv, dec1, dec1 + 1100, 700, &da);
	CHECK(da.unit == DATE_MONTH && da.every == 3); /* quarters */
	date_axis_fit(&cv, dec1, dec1, 700, &da);
	CHECK(da.first == da.last);
	date_axis_fit(&cv, INT32_MIN, INT32_MAX, 700, &da);
	CHECK_INT(da.unit, DATE_YEAR);
	canvas_free(&cv);
}

static void test_category_labels_rotate_thin_or_stay_flat_to_avoid_overlap(void)
{
	struct canvas cv;
	struct error err;
	CHECK_INT(canvas_init(&cv, 800, 450, 1, CHART_FONT, CHART_BOLD_FONT, &err), 0);
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct category_axis ca;
	category_axis_fit(&cv, months, 12, 60, 150, 0, &ca);
	CHECK(!ca.rotated && ca.every == 1);
	static const char *forty[40];
	for (int i = 0; i < 40; i++)
		forty[i] = "United Arab Emirates";
	category_axis_fit(&cv, forty, 40, 17.5, 150, 0, &ca);
	CHECK(ca.rotated && ca.every == 1);
	CHECK(ca.label_w * sin(3.14159265358979 / 4) < 150);
	category_axis_fit(&cv, forty, 40, 6, 150, 0, &ca);
	CHECK(ca.rotated && ca.every >= 3);
	static const char *many[5000];
	for (int i = 0; i < 5000; i++)
		many[i] = "Week 52";
	category_axis_fit(&cv, many, 5000, 0.14, 150, 1, &ca);
	CHECK(!ca.rotated);
	CHECK(0.14 * (double)ca.every >= cv_text_width(&cv, "Week 52", SIZE_TICK, 0));
	canvas_free(&cv);
}

static void test_text_is_cut_with_an_ellipsis_to_fit(void)
{
	struct canvas cv;
	struct error err;
	CHECK_INT(canvas_init(&cv, 800, 450, 2, CHART_FONT, CHART_BOLD_FONT, &err), 0);
	struct buf out = BUF_INIT;
	const char *name = "WHITE HANGING HEART T-LIGHT HOLDER";
	double w = cv_text_fit(&cv, name, 12, 0, 120, &out);
	CHECK(w <= 120 && w > 80);
	CHECK(out.len >= 3 && strcmp(out.data + out.len - 3, "\xe2\x80\xa6") == 0);
	CHECK(strncmp(out.data, "WHITE", 5) == 0);
	buf_reset(&out);
	cv_text_fit(&cv, "Short", 12, 0, 120, &out);
	CHECK_STR(buf_str(&out), "Short");
	buf_reset(&out);
	cv_text_fit(&cv, "\xc2\xa3\xc2\xa3\xc2\xa3\xc2\xa3\xc2\xa3\xc2\xa3", 12, 0, 30, &out);
	CHECK_INT(utf8_invalid_at(buf_str(&out), out.len), out.len);
	buf_reset(&out);
	cv_text_fit(&cv, "Bad \xff\xfe bytes and more text than fits", 12, 0, 60, &out);
	CHECK(cv.failed == 0);
	buf_free(&out);
	canvas_free(&cv);
}

static void test_histogram_bins_have_round_edges_and_count_everything(void)
{
	double v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = 3.7 + 96.1 * (double)((i * 7919) % 1000) / 1000.0;
	struct chart_bins b;
	chart_histogram_bins(v, 1000, 0, &b);
	CHECK(b.count >= 5 && b.count <= 60);
	CHECK(is_125(b.width));
	size_t total = 0;
	for (size_t i = 0; i < b.count; i++) {
		total += b.counts[i];
		CHECK(fabs(remainder(b.edges[i], b.width)) < b.width * 1e-9);
	}
	CHECK_INT(total, 1000);
	CHECK_INT(b.values, 1000);
	CHECK(b.edges[0] <= 3.7 && b.edges[b.count] >= 99.8);
	chart_bins_free(&b);

	chart_histogram_bins(v, 1000, 10, &b);
	CHECK(b.count >= 5 && b.count <= 20);
	chart_bins_free(&b);
}

static void test_histogram_bins_cope_with_one_value_nothing_and_a_far_tail(void)
{
	struct chart_bins b;
	double same[3] = {25, 25, 25};
	chart_histogram_bins(same, 3, 0, &b);
	CHECK_INT(b.count, 1);
	CHECK_INT(b.counts[0], 3);
	CHECK(b.edges[0] <= 25 && b.edges[1] > 25);
	chart_bins_free(&b);

	double junk[3] = {NAN, INFINITY, -INFINITY};
	chart_histogram_bins(junk, 3, 0, &b);
	CHECK_INT(b.count, 0);
	chart_bins_free(&b);
	chart_histogram_bins(NULL, 0, 0, &b);
	CHECK_INT(b.count, 0);
	chart_bins_free(&b);

	double tail[1001];
	for (int i = 0; i < 1000; i++)
		tail[i] = 10 + (double)(i % 40);
	tail[1000] = 1e6;
	chart_histogram_bins(tail, 1001, 0, &b);
	CHECK_INT(b.overflow, 1);
	CHECK(b.edges[b.count] < 1000);
	size_t total = b.overflow;
	for (size_t i = 0; i < b.count; i++)
		total += b.counts[i];
	CHECK_INT(total, 1001);
	chart_bins_free(&b);

	/* Subnormal values with a subnormal spread once sent the bin search round for ever
	 * (found by fuzzing): they make one bin. */
	double tiny[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 4.4e-323, 2.56756e-319, 4.06163257e-315};
	chart_histogram_bins(tiny, 12, 0, &b);
	CHECK_INT(b.count, 1);
	CHECK(b.width > 0 && isfinite(b.width));
	CHECK_INT(b.counts[0] + b.overflow, 12);
	chart_bins_free(&b);
}

static void test_roc_auc_measures_the_area_under_the_curve(void)
{
	double perfect_x[] = {0, 0, 1}, perfect_y[] = {0, 1, 1};
	CHECK_NEAR(chart_roc_auc(perfect_x, perfect_y, 3), 1.0, 1e-12);
	double diag[] = {0.25, 0.5, 0.75};
	CHECK_NEAR(chart_roc_auc(diag, diag, 3), 0.5, 1e-12);
	double x[] = {0.4, 0.1, 0.2}, y[] = {0.9, 0.6, 0.75}; /* any order */
	double expect = 0.1 * 0.6 / 2 + 0.1 * (0.6 + 0.75) / 2 + 0.2 * (0.75 + 0.9) / 2 +
			0.6 * (0.9 + 1) / 2;
	CHECK_NEAR(chart_roc_auc(x, y, 3), expect, 1e-12);
	double nan_x[] = {NAN};
	CHECK(isnan(chart_roc_auc(nan_x, nan_x, 1)));
	CHECK(isnan(chart_roc_auc(NULL, NULL, 0)));
}

/* A cell of column c (headed heading) of spec's CSV as the screen-reader table shows
 * it, in a static buffer. */
static const char *table_cell(const struct chart_spec *spec, size_t c, const char *heading,
			      const char *cell)
{
	static struct buf out;
	buf_reset(&out);
	chart_table_cell(spec, chart_csv_column(spec, c, heading), cell, &out);
	return buf_str(&out);
}

static const char *table_heading(const struct chart_spec *spec, const char *heading)
{
	static struct buf out;
	buf_reset(&out);
	chart_table_heading(spec, heading, &out);
	return buf_str(&out);
}

static void test_the_table_reads_figures_as_the_chart_writes_them(void)
{
	struct chart_spec funnel = {.type = CHART_FUNNEL, .format = plain};
	CHECK_STR(table_heading(&funnel, "share_of_first"), "Share of first");
	CHECK_STR(table_cell(&funnel, 0, "stage", "Added to cart"), "Added to cart");
	CHECK_STR(table_cell(&funnel, 1, "count", "5066"), "5,066");
	CHECK_STR(table_cell(&funnel, 2, "share_of_first", "0.0499407816818002"), "5.0%");
	CHECK_STR(table_cell(&funnel, 3, "share_of_previous", ""), "");

	int32_t days[1] = {0};
	struct chart_spec line = {.type = CHART_LINE, .format = pounds, .days = days,
				  .point_count = 1, .flag_label = "Unusual day"};
	CHECK_STR(table_heading(&line, "Revenue flagged"), "Unusual day");
	CHECK_STR(table_cell(&line, 0, "date", "2016-01-03"), "3 Jan 2016");
	CHECK_STR(table_cell(&line, 1, "Revenue", "725457.93"), "\xc2\xa3" "725,458");
	CHECK_STR(table_cell(&line, 2, "Revenue flagged", "1"), "yes");
	CHECK_STR(table_cell(&line, 2, "Revenue flagged", "0"), "no");

	struct chart_spec histogram = {.type = CHART_HISTOGRAM, .format = plain,
				       .x_format = pounds};
	CHECK_STR(table_heading(&histogram, "bin_start"), "From");
	CHECK_STR(table_cell(&histogram, 0, "bin_start", "500"), "\xc2\xa3" "500");
	CHECK_STR(table_cell(&histogram, 2, "count", "94"), "94");

	struct chart_spec heatmap = {.type = CHART_HEATMAP, .format = percent};
	CHECK_STR(table_cell(&heatmap, 0, "row", "Jan 2018"), "Jan 2018");
	CHECK_STR(table_cell(&heatmap, 2, "1", "0.166666666666667"), "16.7%");

	struct chart_spec roc = {.type = CHART_ROC, .format = plain};
	CHECK_STR(table_cell(&roc, 1, "false_positive_rate", "0.00272479564032698"), "0.3%");
}

int main(void)
{
	RUN(test_format_writes_currency_with_thousands_separators);
	RUN(test_format_never_writes_minus_zero);
	RUN(test_format_abbreviates_large_figures_when_compact);
	RUN(test_format_writes_fractions_as_percent);
	RUN(test_format_writes_non_finite_values_as_not_available);
	RUN(test_days_count_from_1970_and_back);
	RUN(test_axis_ticks_step_in_ones_twos_and_fives);
	RUN(test_axis_includes_zero_when_asked);
	RUN(test_axis_survives_subnormal_spans);
	RUN(test_axis_labels_abbreviate_consistently);
	RUN(test_date_axis_picks_intervals_from_the_span);
	RUN(test_category_labels_rotate_thin_or_stay_flat_to_avoid_overlap);
	RUN(test_text_is_cut_with_an_ellipsis_to_fit);
	RUN(test_histogram_bins_have_round_edges_and_count_everything);
	RUN(test_histogram_bins_cope_with_one_value_nothing_and_a_far_tail);
	RUN(test_roc_auc_measures_the_area_under_the_curve);
	RUN(test_the_table_reads_figures_as_the_chart_writes_them);
	chart_library_shutdown();
	return check_summary();
}
