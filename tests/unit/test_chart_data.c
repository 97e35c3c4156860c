/* test_chart_data: the words and numbers that go with each chart: the CSV of the
 * numbers behind it (header row, RFC 4180 quoting, empty fields for missing values)
 * and the one-sentence alt text that states the key figure. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "report/chart.h"

static const struct chart_format pounds = {CHART_CURRENCY, "\xc2\xa3", 0};

static const char *csv_of(const struct chart_spec *spec)
{
	static struct buf out;
	static struct error err;
	buf_reset(&out);
	if (chart_write_csv(spec, &out, &err) != 0)
		return err.msg;
	return buf_str(&out);
}

static const char *alt_of(const struct chart_spec *spec)
{
	static struct buf out;
	static struct error err;
	buf_reset(&out);
	if (chart_alt_text(spec, &out, &err) != 0)
		return err.msg;
	return buf_str(&out);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A year of daily revenue peaking at £184,349 on 9 Nov 2011 with three flagged days. */
static struct chart_spec daily_revenue(double *values, int32_t *days, unsigned char *flags)
{
	int32_t first = chart_day_from_civil(2010, 12, 1);
	size_t n = (size_t)(chart_day_from_civil(2011, 12, 9) - first + 1);
	for (size_t i = 0; i < n; i++) {
		days[i] = first + (int32_t)i;
		values[i] = 20000 + 100 * (double)(i % 50);
		flags[i] = i == 40 || i == 200 || i == 300;
	}
	values[chart_day_from_civil(2011, 11, 9) - first] = 184349.4;
	values[chart_day_from_civil(2011, 2, 6) - first] = 3120;
	values[10] = NAN;
	static struct chart_series s;
	s = (struct chart_series){"Revenue", values, NULL, flags, n};
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_LINE;
	spec.title = "Daily revenue";
	spec.format = pounds;
	spec.point_count = n;
	spec.days = days;
	spec.series = &s;
	spec.series_count = 1;
	return spec;
}

static void test_alt_text_states_the_peak_and_the_anomalies(void)
{
	static double values[400];
	static int32_t days[400];
	static unsigned char flags[400];
	struct chart_spec spec = daily_revenue(values, days, flags);
	CHECK_STR(alt_of(&spec),
		  "Daily revenue, 1 Dec 2010 to 9 Dec 2011: peak \xc2\xa3" "184,349 on 9 Nov 2011, "
		  "low \xc2\xa3" "3,120 on 6 Feb 2011; 3 anomalies flagged.");
	flags[40] = flags[200] = 0;
	CHECK(strstr(alt_of(&spec), "; 1 anomaly flagged.") != NULL);
	spec.flag_label = "Outlier";
	CHECK(strstr(alt_of(&spec), "; 1 flagged as Outlier.") != NULL);
}

static void test_line_csv_has_a_header_dates_and_empty_missing_values(void)
{
	static double values[400], low[400], high[400];
	static int32_t days[400];
	static unsigned char flags[400];
	struct chart_spec spec = daily_revenue(values, days, flags);
	for (int i = 0; i < 400; i++)
		low[i] = 1000, high[i] = 2000.5;
	spec.band_low = low, spec.band_high = high;
	const char *csv = csv_of(&spec);
	CHECK(strncmp(csv, "date,Revenue,band_low,band_high,Revenue flagged\r\n"
			   "2010-12-01,20000,1000,2000.5,0\r\n", 80) == 0);
	CHECK(strstr(csv, "\r\n2010-12-11,,1000,2000.5,0\r\n") != NULL); /* the NaN day */
	CHECK(strstr(csv, "\r\n2011-11-09,184349.4,1000,2000.5,0\r\n") != NULL);
	CHECK_INT(count_lines(csv), 1 + 374);
}

static void test_csv_quotes_fields_with_commas_and_quotes(void)
{
	static const char *const names[] = {"Cake stand, 3 tier", "The \"Big\" mug", "Plain"};
	static const double v[] = {10, 20.25, -3};
	struct chart_series s = {"Revenue, net", v, NULL, NULL, 3};
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_BAR;
	spec.point_count = 3, spec.categories = names, spec.series = &s, spec.series_count = 1;
	CHECK_STR(csv_of(&spec), "category,\"Revenue, net\"\r\n"
				 "\"Cake stand, 3 tier\",10\r\n"
				 "\"The \"\"Big\"\" mug\",20.25\r\n"
				 "Plain,-3\r\n");
}

static void test_bar_alt_text_names_highest_and_lowest(void)
{
	static const char *const c[] = {"UK", "Germany", "France"};
	static const double v[] = {7308391.5, 221698, 197404};
	struct chart_series s = {"Revenue", v, NULL, NULL, 3};
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_BAR, spec.title = "Revenue by country", spec.format = pounds;
	spec.point_count = 3, spec.categories = c, spec.series = &s, spec.series_count = 1;
	CHECK_STR(alt_of(&spec), "Revenue by country: UK is highest at \xc2\xa3" "7,308,392, "
				 "France lowest at \xc2\xa3" "197,404, across 3 categories.");
	spec.point_count = 1;
	CHECK_STR(alt_of(&spec), "Revenue by country: UK at \xc2\xa3" "7,308,392.");
}

static void test_donut_treemap_and_funnel_alt_texts_give_shares(void)
{
	static const char *const m[] = {"Card", "PayPal", "Gift card"};
	static const double v[] = {600, 300, 100};
	struct chart_series s = {"Revenue", v, NULL, NULL, 3};
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_DONUT, spec.title = "Payment", spec.format = pounds;
	spec.point_count = 3, spec.categories = m, spec.series = &s, spec.series_count = 1;
	CHECK_STR(alt_of(&spec), "Payment: Card is the largest share at 60.0% (\xc2\xa3" "600) of "
				 "\xc2\xa3" "1,000 across 3 categories.");
	CHECK_STR(csv_of(&spec), "category,Revenue,share\r\nCard,600,0.6\r\nPayPal,300,0.3\r\n"
				 "Gift card,100,0.1\r\n");

	static const struct chart_tree_item tree[] = {
		{"Home", "Candles", 600}, {"Kitchen", "Tins", 300}, {"Home", "Clocks", 100}};
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_TREEMAP, spec.title = "Categories", spec.format = pounds;
	spec.tree = tree, spec.tree_count = 3;
	CHECK_STR(alt_of(&spec), "Categories: Home is the largest category at \xc2\xa3" "700 (70% "
				 "of \xc2\xa3" "1,000), led by Candles at \xc2\xa3" "600; 2 categories, "
				 "3 items.");

	static const char *const st[] = {"Visit", "Cart", "Order"};
	static const double n[] = {1000, 200, 150};
	struct chart_series f = {"Sessions", n, NULL, NULL, 3};
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_FUNNEL, spec.title = "Funnel";
	spec.point_count = 3, spec.categories = st, spec.series = &f, spec.series_count = 1;
	CHECK_STR(alt_of(&spec), "Funnel: Visit 1,000 to Order 150, 15.0% overall; the biggest "
				 "drop is from Visit to Cart (20.0% continue).");
	CHECK_STR(csv_of(&spec), "stage,Sessions,share_of_first,share_of_previous\r\n"
				 "Visit,1000,1,\r\nCart,200,0.2,0.2\r\nOrder,150,0.15,0.75\r\n");
}

static void test_heatmap_histogram_scatter_and_roc_alt_texts(void)
{
	static double cells[] = {1, 0.4, 0.2, 1, 0.3, NAN};
	static const char *const rows[] = {"Jan", "Feb"};
	struct chart_spec spec;
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_HEATMAP, spec.title = "Retention";
	spec.format = (struct chart_format){CHART_PERCENT, NULL, 0};
	spec.matrix = (struct chart_matrix){cells, 2, 3, rows, NULL};
	CHECK_STR(alt_of(&spec), "Retention: highest 100% (Jan, column 0), lowest 20% (Jan, "
				 "column 2); 1 of 6 cells have no data.");
	CHECK_STR(csv_of(&spec), "row,0,1,2\r\nJan,1,0.4,0.2\r\nFeb,1,0.3,\r\n");

	static const double raw[] = {12, 14, 15, 15, 16, 22, 41};
	struct chart_series h = {"Order value", raw, NULL, NULL, 7};
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_HISTOGRAM, spec.title = "Orders", spec.x_format = pounds;
	spec.series = &h, spec.series_count = 1;
	CHECK(strncmp(alt_of(&spec), "Orders: 7 values; most in ", 26) == 0);
	CHECK(strstr(alt_of(&spec), "; median \xc2\xa3" "15.00.") != NULL);
	CHECK(strncmp(csv_of(&spec), "bin_start,bin_end,count\r\n", 25) == 0);

	static const double x[] = {1, 2, 3, 4}, y[] = {10, 20, 30, 40.5};
	struct chart_series sc = {"Customers", y, x, NULL, 4};
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_SCATTER, spec.title = "Spend", spec.x_label = "Orders";
	spec.y_label = "Spend", spec.format = pounds, spec.series = &sc, spec.series_count = 1;
	CHECK_STR(alt_of(&spec), "Spend: 4 points; Orders from 1 to 4, Spend from \xc2\xa3" "10 to "
				 "\xc2\xa3" "41; correlation 1.00.");
	CHECK_STR(csv_of(&spec), "series,Orders,Spend\r\nCustomers,1,10\r\nCustomers,2,20\r\n"
				 "Customers,3,30\r\nCustomers,4,40.5\r\n");

	static const double fpr[] = {0, 0.5, 1}, tpr[] = {0, 0.9, 1};
	struct chart_series r = {"Churn model", tpr, fpr, NULL, 3};
	memset(&spec, 0, sizeof spec);
	spec.type = CHART_ROC, spec.title = "ROC", spec.series = &r, spec.series_count = 1;
	CHECK_STR(alt_of(&spec), "ROC: Churn model AUC 0.70 (0.50 is chance).");
}

static void test_alt_text_says_when_there_is_no_data(void)
{
	static const double none[] = {NAN, NAN};
	struct chart_series s = {"Revenue", none, none, NULL, 2};
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		struct chart_spec spec;
		memset(&spec, 0, sizeof spec);
		spec.type = (enum chart_type)t;
		spec.title = "Sales";
		spec.point_count = 2, spec.series = &s, spec.series_count = 1;
		CHECK_STR(alt_of(&spec), "Sales: no data for this period.");
		const char *csv = csv_of(&spec);
		CHECK(strchr(csv, '\n') != NULL); /* at least the header */
	}
}

static void test_every_alt_text_is_one_sentence(void)
{
	static const char *const c[] = {"A", "B"};
	static const double v[] = {1, 2}, x[] = {0.2, 0.4};
	static const struct chart_tree_item tree[] = {{"A", "a", 1}};
	static double cells[] = {1};
	struct chart_series s = {"S", v, x, NULL, 2};
	for (int t = 0; t < CHART_TYPE_COUNT; t++) {
		struct chart_spec spec;
		memset(&spec, 0, sizeof spec);
		spec.type = (enum chart_type)t;
		spec.point_count = 2, spec.categories = c, spec.series = &s, spec.series_count = 1;
		spec.tree = tree, spec.tree_count = 1;
		spec.matrix = (struct chart_matrix){cells, 1, 1, NULL, NULL};
		const char *alt = alt_of(&spec);
		size_t len = strlen(alt);
		CHECK(len > 10 && alt[len - 1] == '.');
		CHECK(strncmp(alt, "Chart", 5) == 0); /* the title when none is given */
		CHECK(strchr(alt, '\n') == NULL);
	}
}

int main(void)
{
	RUN(test_alt_text_states_the_peak_and_the_anomalies);
	RUN(test_line_csv_has_a_header_dates_and_empty_missing_values);
	RUN(test_csv_quotes_fields_with_commas_and_quotes);
	RUN(test_bar_alt_text_names_highest_and_lowest);
	RUN(test_donut_treemap_and_funnel_alt_texts_give_shares);
	RUN(test_heatmap_histogram_scatter_and_roc_alt_texts);
	RUN(test_alt_text_says_when_there_is_no_data);
	RUN(test_every_alt_text_is_one_sentence);
	return check_summary();
}
