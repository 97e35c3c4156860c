/* gallery: renders every chart type on realistic made-up shop data, including the
 * awkward cases (long labels, negatives, one bar, one point, no data, 5,000 points,
 * 40 categories, treemap slivers, missing heatmap cells), at 1x and 2x, and writes
 * DIR/index.html showing them with their alt text and CSV. `make gallery` runs it
 * with DIR = out/gallery. All data comes from the seeded generator, so the gallery is
 * the same on every run. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/chart.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* ---- memory of one case: everything a builder allocates is freed after it ---- */

static void *kept[256];
static size_t kept_count;

static void *keep(void *p)
{
	if (kept_count == sizeof kept / sizeof kept[0]) {
		fprintf(stderr, "gallery: too many allocations in one case\n");
		exit(1);
	}
	kept[kept_count++] = p;
	return p;
}

static void release_all(void)
{
	while (kept_count)
		free(kept[--kept_count]);
}

static double *doubles(size_t n)
{
	return keep(xcalloc(n ? n : 1, sizeof(double)));
}

static const char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static const char *text(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return keep(buf_detach(&b));
}

static const struct chart_format pounds = {CHART_CURRENCY, "\xc2\xa3", 0};
static const struct chart_format pounds_2dp = {CHART_CURRENCY, "\xc2\xa3", 2};
static const struct chart_format percent_1dp = {CHART_PERCENT, NULL, 1};
static const struct chart_format count = {CHART_NUMBER, NULL, 0};

/* ---- line charts ---- */

/* Daily revenue of a UK gift shop, 1 Dec 2010 to 9 Dec 2011: weekly rhythm, a rise to
 * the November peak, a rolling expected range and a few flagged days. */
static void daily_revenue(struct chart_spec *spec)
{
	struct rng r;
	rng_seed(&r, 2011);
	int32_t first = chart_day_from_civil(2010, 12, 1), last = chart_day_from_civil(2011, 12, 9);
	size_t n = (size_t)(last - first + 1);
	int32_t *days = keep(xcalloc(n, sizeof *days));
	double *revenue = doubles(n), *low = doubles(n), *high = doubles(n);
	unsigned char *flags = keep(xcalloc(n, 1));
	for (size_t i = 0; i < n; i++) {
		days[i] = first + (int32_t)i;
		double season = 1 + 0.9 * exp(-pow(((double)i - 340) / 45, 2));
		double weekly = (i % 7 == 2) ? 0.8 : 1.0;
		double base = 22000 + 60 * (double)i;
		revenue[i] = base * season * weekly * (1 + 0.12 * rng_normal(&r));
		low[i] = base * season * 0.68;
		high[i] = base * season * 1.28;
		if (i > 20 && i < 30) /* Christmas closure */
			revenue[i] = low[i] = high[i] = NAN;
	}
	size_t spikes[] = {97, 205, 343};
	for (size_t k = 0; k < 3; k++) {
		revenue[spikes[k]] = high[spikes[k]] * (k == 1 ? 0.35 : 1.55);
		flags[spikes[k]] = 1;
	}
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Revenue", revenue, NULL, flags, n};
	spec->type = CHART_LINE;
	spec->title = "Daily revenue";
	spec->subtitle = "Net of returns, with the expected range from the last eight weeks";
	spec->source = "Source: orders table, 1 Dec 2010 \xe2\x80\x93 9 Dec 2011";
	spec->format = pounds;
	spec->point_count = n;
	spec->days = days;
	spec->series = series;
	spec->series_count = 1;
	spec->band_low = low;
	spec->band_high = high;
}

/* Monthly profit of two shops, crossing zero after a bad January. */
static void monthly_profit(struct chart_spec *spec)
{
	static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	static const double online[] = {-8200, -3100, 1200, 5400, 7300, 6100,
					4200, 3900, 8800, 12100, 18900, 21400};
	static const double stores[] = {-12500, -9900, -4200, -1500, 800, 2600,
					3300, 2900, 1400, 4800, 9700, 15800};
	static struct chart_series series[2];
	series[0] = (struct chart_series){"Online", online, NULL, NULL, 12};
	series[1] = (struct chart_series){"Stores", stores, NULL, NULL, 12};
	spec->type = CHART_LINE;
	spec->title = "Monthly profit by channel, 2011";
	spec->subtitle = "Both channels lost money until spring";
	spec->source = "Source: orders and costs tables";
	spec->y_label = "Profit";
	spec->format = pounds;
	spec->point_count = 12;
	spec->categories = months;
	spec->series = series;
	spec->series_count = 2;
}

/* Five thousand daily points: ten-plus years of sessions. */
static void five_thousand_points(struct chart_spec *spec)
{
	struct rng r;
	rng_seed(&r, 5000);
	size_t n = 5000;
	int32_t first = chart_day_from_civil(2010, 1, 1);
	int32_t *days = keep(xcalloc(n, sizeof *days));
	double *visits = doubles(n);
	double level = 1200;
	for (size_t i = 0; i < n; i++) {
		days[i] = first + (int32_t)i;
		level *= 1 + 0.0004 + 0.01 * rng_normal(&r);
		visits[i] = level * (1 + 0.25 * sin((double)i / 58.1)) * (1 + 0.08 * rng_normal(&r));
	}
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Sessions", visits, NULL, NULL, n};
	spec->type = CHART_LINE;
	spec->title = "Daily sessions since 2010";
	spec->subtitle = "5,000 days on one line";
	spec->source = "Source: events table";
	spec->format = count;
	spec->point_count = n;
	spec->days = days;
	spec->series = series;
	spec->series_count = 1;
}

static void one_point(struct chart_spec *spec)
{
	static int32_t day[1];
	static const double value[] = {18342.5};
	static struct chart_series series[1];
	day[0] = chart_day_from_civil(2011, 12, 9);
	series[0] = (struct chart_series){"Revenue", value, NULL, NULL, 1};
	spec->type = CHART_LINE;
	spec->title = "Revenue today";
	spec->subtitle = "Only one day of data so far";
	spec->source = "Source: orders table";
	spec->format = pounds;
	spec->point_count = 1;
	spec->days = day;
	spec->series = series;
	spec->series_count = 1;
}

static void empty_line(struct chart_spec *spec)
{
	static struct chart_series series[1] = {{"Revenue", NULL, NULL, NULL, 0}};
	spec->type = CHART_LINE;
	spec->title = "Daily revenue, Germany";
	spec->subtitle = "Orders shipped to Germany in the selected week";
	spec->source = "Source: orders table";
	spec->format = pounds;
	spec->series = series;
	spec->series_count = 1;
}

/* ---- bar charts ---- */

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void monthly_revenue_bars(struct chart_spec *spec)
{
	static const double revenue[] = {560000, 498062, 683267, 493207, 723333, 691123,
					 681300, 682681, 1019687, 1070705, 1461756, 433668};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Revenue", revenue, NULL, NULL, 12};
	spec->type = CHART_BAR;
	spec->title = "Revenue by month, 2011";
	spec->subtitle = "November is the peak: Christmas stock ordered by retailers";
	spec->source = "Source: orders table; December covers 1\xe2\x80\x93" "9 Dec only";
	spec->format = pounds;
	spec->point_count = 12;
	spec->categories = month_names;
	spec->series = series;
	spec->series_count = 1;
}

static void top_products_long_labels(struct chart_spec *spec)
{
	static const char *const products[] = {
		"WHITE HANGING HEART T-LIGHT HOLDER",
		"REGENCY CAKESTAND 3 TIER",
		"JUMBO BAG RED RETROSPOT",
		"PARTY BUNTING",
		"ASSORTED COLOUR BIRD ORNAMENT",
		"SET OF 3 CAKE TINS PANTRY DESIGN WITH A VERY LONG DESCRIPTION FROM THE SUPPLIER",
		"PAPER CHAIN KIT 50'S CHRISTMAS",
		"LUNCH BAG RED RETROSPOT",
		"SPOTTY BUNTING",
		"NATURAL SLATE HEART CHALKBOARD",
	};
	static const double revenue[] = {99668, 164762, 92356, 68785, 56580,
					 38900, 41423, 35187, 35225, 33122};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Revenue", revenue, NULL, NULL, 10};
	spec->type = CHART_BAR;
	spec->horizontal = 1;
	spec->title = "Top ten products by revenue";
	spec->subtitle = "Long product names are cut to fit, never run into the bars";
	spec->source = "Source: order_items joined with products";
	spec->format = pounds;
	spec->point_count = 10;
	spec->categories = products;
	spec->series = series;
	spec->series_count = 1;
}

static void order_change_negative(struct chart_spec *spec)
{
	static const double change[] = {0.042, -0.081, 0.128, -0.153, 0.215, -0.021,
					-0.007, 0.002, 0.381, 0.051, 0.312, -0.689};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Change", change, NULL, NULL, 12};
	spec->type = CHART_BAR;
	spec->title = "Orders, change on the previous month";
	spec->subtitle = "2011; December is a partial month";
	spec->source = "Source: orders table";
	spec->format = percent_1dp;
	spec->point_count = 12;
	spec->categories = month_names;
	spec->series = series;
	spec->series_count = 1;
}

static void one_bar(struct chart_spec *spec)
{
	static const char *const country[] = {"United Kingdom"};
	static const double revenue[] = {7308391.5};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Revenue", revenue, NULL, NULL, 1};
	spec->type = CHART_BAR;
	spec->title = "Revenue by country";
	spec->subtitle = "Filtered to the UK: a single bar";
	spec->source = "Source: orders table";
	spec->format = pounds;
	spec->point_count = 1;
	spec->categories = country;
	spec->series = series;
	spec->series_count = 1;
}

static const char *const forty_countries[] = {
	"United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium",
	"Switzerland", "Portugal", "Australia", "Norway", "Italy", "Channel Islands",
	"Finland", "Cyprus", "Sweden", "Austria", "Denmark", "Japan", "Poland", "Israel",
	"USA", "Hong Kong", "Singapore", "Iceland", "Canada", "Greece", "Malta",
	"United Arab Emirates", "European Community", "RSA", "Lebanon", "Lithuania",
	"Brazil", "Czech Republic", "Bahrain", "Saudi Arabia", "Iran", "Korea", "Nigeria"};

static double *forty_values(void)
{
	double *v = doubles(40);
	for (size_t i = 0; i < 40; i++)
		v[i] = 2400000.0 / pow((double)i + 1.6, 1.35) + 1200;
	return v;
}

static void forty_bars(struct chart_spec *spec)
{
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Customers", forty_values(), NULL, NULL, 40};
	spec->type = CHART_BAR;
	spec->title = "Revenue by country";
	spec->subtitle = "All 40 countries: labels rotate to stay apart";
	spec->source = "Source: orders table";
	spec->format = pounds;
	spec->point_count = 40;
	spec->categories = forty_countries;
	spec->series = series;
	spec->series_count = 1;
}

static void forty_rows(struct chart_spec *spec)
{
	forty_bars(spec);
	spec->horizontal = 1;
	spec->subtitle = "All 40 countries as rows, on a taller chart";
}

static void forty_rows_cramped(struct chart_spec *spec)
{
	forty_bars(spec);
	spec->horizontal = 1;
	spec->subtitle = "40 rows in the default height: labels shrink, then thin out";
}

static void channel_stack(struct chart_spec *spec)
{
	static const char *const quarters[] = {"Q1 2011", "Q2 2011", "Q3 2011", "Q4 2011"};
	static const double online[] = {812000, 905000, 1120000, 1650000};
	static const double stores[] = {610000, 640000, 702000, 981000};
	static const double wholesale[] = {320000, 298000, 351000, 522000};
	static const double returns[] = {-91000, -84000, -102000, -171000};
	static struct chart_series series[4];
	series[0] = (struct chart_series){"Online", online, NULL, NULL, 4};
	series[1] = (struct chart_series){"Stores", stores, NULL, NULL, 4};
	series[2] = (struct chart_series){"Wholesale", wholesale, NULL, NULL, 4};
	series[3] = (struct chart_series){"Returns", returns, NULL, NULL, 4};
	spec->type = CHART_STACKED_BAR;
	spec->title = "Revenue by channel and quarter";
	spec->subtitle = "Returns stack below zero";
	spec->source = "Source: orders and returns tables";
	spec->format = pounds;
	spec->point_count = 4;
	spec->categories = quarters;
	spec->series = series;
	spec->series_count = 4;
}

static void weekday_groups(struct chart_spec *spec)
{
	static const char *const weekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sun"};
	static const double y2010[] = {2881, 3185, 3455, 4033, 2831, 2169};
	static const double y2011[] = {3318, 3722, 3902, 4522, 3264, 2751};
	static struct chart_series series[2];
	series[0] = (struct chart_series){"2010", y2010, NULL, NULL, 6};
	series[1] = (struct chart_series){"2011", y2011, NULL, NULL, 6};
	spec->type = CHART_GROUPED_BAR;
	spec->title = "Orders by weekday";
	spec->subtitle = "The shop does not trade on Saturdays";
	spec->source = "Source: orders table";
	spec->y_label = "Orders";
	spec->format = count;
	spec->point_count = 6;
	spec->categories = weekdays;
	spec->series = series;
	spec->series_count = 2;
}

static void region_share_rows(struct chart_spec *spec)
{
	static const char *const regions[] = {"North", "Midlands", "London", "South West",
					      "Scotland"};
	static const double new_c[] = {0.31, 0.27, 0.36, 0.22, 0.29};
	static const double returning[] = {0.52, 0.55, 0.41, 0.60, 0.49};
	static const double lapsed[] = {0.17, 0.18, 0.23, 0.18, 0.22};
	static struct chart_series series[3];
	series[0] = (struct chart_series){"New", new_c, NULL, NULL, 5};
	series[1] = (struct chart_series){"Returning", returning, NULL, NULL, 5};
	series[2] = (struct chart_series){"Lapsed", lapsed, NULL, NULL, 5};
	spec->type = CHART_STACKED_BAR;
	spec->horizontal = 1;
	spec->title = "Customer mix by region";
	spec->subtitle = "Share of active customers, last twelve months";
	spec->source = "Source: customers and rfm tables";
	spec->format = (struct chart_format){CHART_PERCENT, NULL, 0};
	spec->point_count = 5;
	spec->categories = regions;
	spec->series = series;
	spec->series_count = 3;
}

/* ---- shares, hierarchies, matrices ---- */

static void payment_donut(struct chart_spec *spec)
{
	static const char *const methods[] = {"Card", "PayPal", "Bank transfer", "Gift card",
					      "Invoice (trade accounts)"};
	static const double revenue[] = {4120400, 1804350, 911200, 120800, 2404100};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Revenue", revenue, NULL, NULL, 5};
	spec->type = CHART_DONUT;
	spec->title = "Revenue by payment method";
	spec->subtitle = "Card payments bring in under half of revenue";
	spec->source = "Source: orders table, 2011";
	spec->format = pounds;
	spec->point_count = 5;
	spec->categories = methods;
	spec->series = series;
	spec->series_count = 1;
}

static void many_slices_donut(struct chart_spec *spec)
{
	static struct chart_series series[1];
	double *v = forty_values();
	v[3] = NAN;  /* missing */
	v[5] = -200; /* a negative is not a share */
	series[0] = (struct chart_series){"Revenue", v, NULL, NULL, 14};
	spec->type = CHART_DONUT;
	spec->title = "Revenue by country";
	spec->subtitle = "14 countries: the smallest are grouped as Other";
	spec->source = "Source: orders table";
	spec->format = pounds;
	spec->point_count = 14;
	spec->categories = forty_countries;
	spec->series = series;
	spec->series_count = 1;
}

static void category_treemap(struct chart_spec *spec)
{
	static const struct chart_tree_item items[] = {
		{"Home & Garden", "Candles and holders", 612000},
		{"Home & Garden", "Cushions", 288000},
		{"Home & Garden", "Doormats", 141000},
		{"Home & Garden", "Clocks", 97000},
		{"Home & Garden", "Slate signs", 52000},
		{"Home & Garden", "Plant pots", 2600},
		{"Kitchen", "Cake stands", 402000},
		{"Kitchen", "Lunch bags", 311000},
		{"Kitchen", "Tins", 164000},
		{"Kitchen", "Mugs", 98000},
		{"Kitchen", "Tea towels", 41000},
		{"Kitchen", "Egg cups", 900},
		{"Christmas", "Decorations", 371000},
		{"Christmas", "Paper chains", 204000},
		{"Christmas", "Advent calendars", 66000},
		{"Christmas", "Crackers", 28000},
		{"Party", "Bunting", 226000},
		{"Party", "Balloons", 71000},
		{"Party", "Napkins", 38000},
		{"Stationery", "Notebooks", 96000},
		{"Stationery", "Wrapping paper", 83000},
		{"Stationery", "Pens", 4100},
		{"Toys", "Retro spot toys", 61000},
		{"Toys", "Dolly girl", 22000},
		{"Toys", "Spaceboy", 18000},
		{"Bags", "Jumbo bags", 152000},
		{"Bags", "Shoppers", 23000},
		{"Postage", "Postage", 1200},
		{"Samples", "Samples", 300},
		{"Discounts", "Manual", -5000},
	};
	spec->type = CHART_TREEMAP;
	spec->title = "Revenue by category";
	spec->subtitle = "Categories and their subcategories; slivers stay visible";
	spec->source = "Source: order_items joined with products, 2011";
	spec->format = pounds;
	spec->tree = items;
	spec->tree_count = sizeof items / sizeof items[0];
}

/* Share of each monthly cohort still buying n months after its first purchase. The
 * lower right is in the future, and two months lost their event data. */
static void cohort_retention(struct chart_spec *spec)
{
	enum { ROWS = 13, COLS = 13 };
	static const char *const cohorts[ROWS] = {"Dec 2010", "Jan 2011", "Feb 2011", "Mar 2011",
						  "Apr 2011", "May 2011", "Jun 2011", "Jul 2011",
						  "Aug 2011", "Sep 2011", "Oct 2011", "Nov 2011",
						  "Dec 2011"};
	static const char *const months[COLS] = {"0", "1", "2", "3", "4", "5", "6",
						 "7", "8", "9", "10", "11", "12"};
	struct rng r;
	rng_seed(&r, 13);
	double *cells = doubles(ROWS * COLS);
	for (size_t row = 0; row < ROWS; row++)
		for (size_t col = 0; col < COLS; col++) {
			double v = NAN;
			if (col == 0)
				v = 1;
			else if (row + col < ROWS)
				v = (row == 0 ? 0.36 : 0.22) * pow((double)col, -0.25) *
				    (1 + 0.12 * rng_normal(&r)) * (col == 11 - row % 3 ? 1.35 : 1);
			cells[row * COLS + col] = v;
		}
	cells[4 * COLS + 3] = NAN;
	cells[6 * COLS + 2] = NAN;
	spec->type = CHART_HEATMAP;
	spec->title = "Customer retention by cohort";
	spec->subtitle = "Share of each month's new customers who bought again n months later";
	spec->source = "Source: orders table; grey cells have no data yet";
	spec->x_label = "Months since first purchase";
	spec->format = (struct chart_format){CHART_PERCENT, NULL, 0};
	spec->matrix = (struct chart_matrix){cells, ROWS, COLS, cohorts, months};
}

/* ---- distributions, relations, models, processes ---- */

static void order_values(struct chart_spec *spec)
{
	struct rng r;
	rng_seed(&r, 42);
	size_t n = 5000;
	double *v = doubles(n);
	for (size_t i = 0; i < n; i++)
		v[i] = exp(3.0 + 0.55 * rng_normal(&r));
	v[17] = 1850;   /* a trade order far out in the tail */
	v[18] = NAN;    /* unreadable rows are skipped */
	v[19] = INFINITY;
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Order value", v, NULL, NULL, n};
	spec->type = CHART_HISTOGRAM;
	spec->title = "Order values";
	spec->subtitle = "Most orders are small; the long tail (up to \xc2\xa3" "1,850) is gathered at the right";
	spec->source = "Source: orders table, 5,000 orders";
	spec->x_label = "Order value";
	spec->y_label = "Orders";
	spec->x_format = pounds;
	spec->series = series;
	spec->series_count = 1;
}

static void basket_sizes(struct chart_spec *spec)
{
	struct rng r;
	rng_seed(&r, 7);
	size_t n = 2400;
	double *v = doubles(n);
	for (size_t i = 0; i < n; i++)
		v[i] = exp(3.2 + 0.35 * rng_normal(&r));
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Order value", v, NULL, NULL, n};
	spec->type = CHART_HISTOGRAM;
	spec->title = "Order values, retail customers";
	spec->subtitle = "Trade accounts excluded";
	spec->source = "Source: orders table";
	spec->x_label = "Order value";
	spec->y_label = "Orders";
	spec->x_format = pounds;
	spec->series = series;
	spec->series_count = 1;
}

static void one_value_histogram(struct chart_spec *spec)
{
	static const double v[] = {25};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Order value", v, NULL, NULL, 1};
	spec->type = CHART_HISTOGRAM;
	spec->title = "Order values, new store";
	spec->subtitle = "A single order so far";
	spec->source = "Source: orders table";
	spec->x_format = pounds;
	spec->series = series;
	spec->series_count = 1;
}

static void customer_scatter(struct chart_spec *spec)
{
	struct rng r;
	rng_seed(&r, 99);
	size_t n1 = 420, n2 = 180;
	double *x1 = doubles(n1), *y1 = doubles(n1), *x2 = doubles(n2), *y2 = doubles(n2);
	for (size_t i = 0; i < n1; i++) {
		x1[i] = 1 + floor(rng_exponential(&r, 3));
		y1[i] = x1[i] * exp(3.4 + 0.4 * rng_normal(&r));
	}
	for (size_t i = 0; i < n2; i++) {
		x2[i] = 4 + floor(rng_exponential(&r, 9));
		y2[i] = x2[i] * exp(4.6 + 0.35 * rng_normal(&r));
	}
	static struct chart_series series[2];
	series[0] = (struct chart_series){"Retail", y1, x1, NULL, n1};
	series[1] = (struct chart_series){"Trade", y2, x2, NULL, n2};
	spec->type = CHART_SCATTER;
	spec->title = "Orders and spend per customer";
	spec->subtitle = "Trade customers order more often and spend more per order";
	spec->source = "Source: customers and orders tables, 2011";
	spec->x_label = "Orders";
	spec->y_label = "Spend";
	spec->format = pounds;
	spec->x_format = count;
	spec->series = series;
	spec->series_count = 2;
}

static void one_point_scatter(struct chart_spec *spec)
{
	static const double x[] = {3}, y[] = {142.5};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Customers", y, x, NULL, 1};
	spec->type = CHART_SCATTER;
	spec->title = "Orders and spend per customer, new store";
	spec->subtitle = "One customer so far";
	spec->source = "Source: customers table";
	spec->x_label = "Orders";
	spec->y_label = "Spend";
	spec->format = pounds_2dp;
	spec->series = series;
	spec->series_count = 1;
}

/* ROC points of a score whose positives sit `separation` standard deviations higher. */
static void roc_points(double separation, size_t n, double *fpr, double *tpr)
{
	for (size_t i = 0; i < n; i++) {
		double threshold = 4 - 8.0 * (double)i / (double)(n - 1);
		fpr[i] = 0.5 * erfc(threshold / sqrt(2));
		tpr[i] = 0.5 * erfc((threshold - separation) / sqrt(2));
	}
}

static void churn_roc(struct chart_spec *spec)
{
	size_t n = 60;
	double *f1 = doubles(n), *t1 = doubles(n), *f2 = doubles(n), *t2 = doubles(n);
	roc_points(1.6, n, f1, t1);
	roc_points(0.7, n, f2, t2);
	static struct chart_series series[2];
	series[0] = (struct chart_series){"Churn model", t1, f1, NULL, n};
	series[1] = (struct chart_series){"Days since last order", t2, f2, NULL, n};
	spec->type = CHART_ROC;
	spec->title = "Churn model: ROC curve";
	spec->subtitle = "Held-out customers; the model beats the recency rule";
	spec->source = "Source: churn_scores and model_metrics tables";
	spec->series = series;
	spec->series_count = 2;
}

static void checkout_funnel(struct chart_spec *spec)
{
	static const char *const stages[] = {"Visited the shop", "Viewed a product",
					     "Added to cart", "Started checkout", "Placed an order"};
	static const double people[] = {184320, 98211, 23904, 11872, 8291};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Sessions", people, NULL, NULL, 5};
	spec->type = CHART_FUNNEL;
	spec->title = "Checkout funnel, November 2011";
	spec->subtitle = "Sessions reaching each step";
	spec->source = "Source: events table";
	spec->format = count;
	spec->point_count = 5;
	spec->categories = stages;
	spec->series = series;
	spec->series_count = 1;
}

static void empty_funnel(struct chart_spec *spec)
{
	static const char *const stages[] = {"Visited", "Viewed", "Ordered"};
	static const double people[] = {NAN, NAN, NAN};
	static struct chart_series series[1];
	series[0] = (struct chart_series){"Sessions", people, NULL, NULL, 3};
	spec->type = CHART_FUNNEL;
	spec->title = "Checkout funnel, today";
	spec->subtitle = "Events arrive after midnight";
	spec->source = "Source: events table";
	spec->format = count;
	spec->point_count = 3;
	spec->categories = stages;
	spec->series = series;
	spec->series_count = 1;
	spec->empty_message = "No events yet today";
}

/* ---- the gallery ---- */

struct gallery_case {
	const char *slug;    /* file name stem */
	const char *caption; /* what the case shows */
	void (*build)(struct chart_spec *spec);
	int width, height;   /* 0 for the default size */
};

static const struct gallery_case cases[] = {
	{"line-daily-revenue", "Line: a year of daily revenue, expected band, flagged anomalies",
	 daily_revenue, 0, 0},
	{"line-profit-negative", "Line: two series crossing zero, category axis",
	 monthly_profit, 0, 0},
	{"line-5000-points", "Line: 5,000 points on a date axis", five_thousand_points, 0, 0},
	{"line-one-point", "Line: a single point", one_point, 0, 0},
	{"line-empty", "Line: no data", empty_line, 0, 0},
	{"bar-monthly-revenue", "Bar: twelve months with value labels", monthly_revenue_bars, 0, 0},
	{"bar-negative", "Bar: percentages below and above zero", order_change_negative, 0, 0},
	{"bar-one", "Bar: a single bar", one_bar, 0, 0},
	{"bar-40-categories", "Bar: 40 categories, rotated labels", forty_bars, 0, 0},
	{"hbar-long-labels", "Horizontal bar: long labels cut with an ellipsis",
	 top_products_long_labels, 0, 0},
	{"hbar-40-categories", "Horizontal bar: 40 categories on a taller canvas", forty_rows,
	 800, 900},
	{"hbar-40-cramped", "Horizontal bar: 40 categories at the default size",
	 forty_rows_cramped, 0, 0},
	{"stacked-channels", "Stacked bar: channels with negative returns", channel_stack, 0, 0},
	{"stacked-share-rows", "Stacked bar, horizontal: shares", region_share_rows, 0, 0},
	{"grouped-weekday", "Grouped bar: two years side by side", weekday_groups, 0, 0},
	{"donut-payment", "Donut: shares with a table legend", payment_donut, 0, 0},
	{"donut-many", "Donut: 14 categories, a missing and a negative value", many_slices_donut,
	 0, 0},
	{"treemap-categories", "Treemap: two levels, tiny slivers", category_treemap, 0, 0},
	{"heatmap-cohorts", "Heatmap: cohort retention with missing cells", cohort_retention, 0,
	 0},
	{"histogram-order-values", "Histogram: 5,000 values with an outlier and bad values",
	 order_values, 0, 0},
	{"histogram-retail", "Histogram: nice bin edges", basket_sizes, 0, 0},
	{"histogram-one-value", "Histogram: a single value", one_value_histogram, 0, 0},
	{"scatter-customers", "Scatter: two series", customer_scatter, 0, 0},
	{"scatter-one-point", "Scatter: a single point", one_point_scatter, 0, 0},
	{"roc-churn", "ROC: two models, AUC in the legend", churn_roc, 0, 0},
	{"funnel-checkout", "Funnel: stages with conversion", checkout_funnel, 0, 0},
	{"funnel-empty", "Funnel: no data, custom message", empty_funnel, 0, 0},
};

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "gallery: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Renders one case: PNG at 1x and 2x, CSV; appends its figure to the page. A size
 * given on the command line replaces every case's own; width < 0 asks for the size of
 * the phone version of the case (chart_phone_size). */
static int render_case(const char *dir, const struct gallery_case *gc, int width, int height,
		       struct buf *page)
{
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	gc->build(&spec);
	spec.width = width ? width : gc->width;
	spec.height = width ? height : gc->height;
	if (width < 0) {
		spec.width = gc->width, spec.height = gc->height;
		chart_phone_size(&spec, &spec.width, &spec.height);
	}
	struct buf png = BUF_INIT, path = BUF_INIT, csv = BUF_INIT, alt = BUF_INIT;
	struct error err = {{0}};
	int rc = 0;
	for (int scale = 1; scale <= 2 && rc == 0; scale++) {
		buf_reset(&png);
		buf_reset(&path);
		buf_printf(&path, "%s/%s%s.png", dir, gc->slug, scale == 2 ? "@2x" : "");
		rc = chart_render_png(&spec, scale, &png, &err);
		if (rc == 0)
			rc = write_file(buf_str(&path), png.data, png.len);
	}
	if (rc == 0)
		rc = chart_write_csv(&spec, &csv, &err);
	if (rc == 0) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s.csv", dir, gc->slug);
		rc = write_file(buf_str(&path), csv.data ? csv.data : "", csv.len);
	}
	if (rc == 0)
		rc = chart_alt_text(&spec, &alt, &err);
	if (rc && err.msg[0])
		fprintf(stderr, "gallery: %s: %s\n", gc->slug, err.msg);
	if (rc == 0) {
		int w = spec.width ? spec.width : CHART_DEFAULT_WIDTH;
		int h = spec.height ? spec.height : CHART_DEFAULT_HEIGHT;
		buf_puts(page, "<figure>\n<img src=\"");
		buf_html_escape(page, gc->slug, strlen(gc->slug));
		buf_puts(page, ".png\" srcset=\"");
		buf_html_escape(page, gc->slug, strlen(gc->slug));
		buf_puts(page, ".png 1x, ");
		buf_html_escape(page, gc->slug, strlen(gc->slug));
		buf_printf(page, "@2x.png 2x\" width=\"%d\" height=\"%d\" alt=\"", w, h);
		buf_html_escape(page, buf_str(&alt), alt.len);
		buf_puts(page, "\">\n<figcaption><strong>");
		buf_html_escape(page, gc->caption, strlen(gc->caption));
		buf_puts(page, "</strong><br>Alt: ");
		buf_html_escape(page, buf_str(&alt), alt.len);
		buf_puts(page, "<br><a href=\"");
		buf_html_escape(page, gc->slug, strlen(gc->slug));
		buf_puts(page, ".csv\">CSV</a> &middot; <a href=\"");
		buf_html_escape(page, gc->slug, strlen(gc->slug));
		buf_puts(page, "@2x.png\">2&times;</a></figcaption>\n</figure>\n");
	}
	buf_free(&png);
	buf_free(&path);
	buf_free(&csv);
	buf_free(&alt);
	release_all();
	return rc;
}

/* usage: gallery [DIR [SLUG-PART [WIDTHxHEIGHT | phone]]] */
int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "out/gallery";
	const char *only = argc > 2 && argv[2][0] ? argv[2] : NULL;
	int width = 0, height = 0;
	if (argc > 3 && strcmp(argv[3], "phone") == 0)
		width = -1;
	else if (argc > 3 && sscanf(argv[3], "%dx%d", &width, &height) != 2) {
		fprintf(stderr, "gallery: size '%s' is not WIDTHxHEIGHT\n", argv[3]);
		return 2;
	}
	struct buf page = BUF_INIT;
	int failed = 0;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "gallery: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	buf_puts(&page,
		 "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<title>Cartograph chart gallery</title>\n<style>\n"
		 "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1700px;"
		 "color:#1a1a1a;background:#f4f4f4}\n"
		 "main{display:grid;grid-template-columns:repeat(auto-fill,minmax(820px,1fr));"
		 "gap:1.5rem}\nfigure{margin:0;background:#fff;padding:10px;"
		 "box-shadow:0 1px 3px rgba(0,0,0,.12)}\nimg{display:block;max-width:100%;"
		 "height:auto}\nfigcaption{font-size:.85rem;color:#444;margin-top:.5rem;"
		 "line-height:1.4}\n</style>\n</head>\n<body>\n<h1>Chart gallery</h1>\n"
		 "<p>Every chart type at 1&times; with a 2&times; source for sharp screens.</p>\n"
		 "<main>\n");
	size_t n = sizeof cases / sizeof cases[0];
	for (size_t i = 0; i < n; i++) {
		if (only && !strstr(cases[i].slug, only))
			continue;
		if (render_case(dir, &cases[i], width, height, &page) != 0)
			failed++;
	}
	buf_puts(&page, "</main>\n</body>\n</html>\n");
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/index.html", dir);
	if (write_file(buf_str(&path), page.data, page.len) != 0)
		failed++;
	else
		printf("gallery: %zu charts in %s\n", n, buf_str(&path));
	buf_free(&path);
	buf_free(&page);
	chart_library_shutdown();
	return failed ? 1 : 0;
}
