/* bench_chart: how many charts per second the report can render at 2x (1600 x 900),
 * PNG encoding included: a line chart of a year of daily revenue (365 points, band and
 * flags) and a bar chart of twelve months. Prints the median of five runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/chart.h"
#include "util/rng.h"

#define RUNS 5
#define CHARTS_PER_RUN 10

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Renders spec CHARTS_PER_RUN times per run; prints the median charts/s. */
static int bench(const char *name, const struct chart_spec *spec)
{
	double rates[RUNS];
	size_t bytes = 0;
	struct buf png = BUF_INIT;
	struct error err = {{0}};
	for (int run = 0; run < RUNS; run++) {
		double start = now();
		for (int i = 0; i < CHARTS_PER_RUN; i++) {
			buf_reset(&png);
			if (chart_render_png(spec, 2, &png, &err) != 0) {
				fprintf(stderr, "bench_chart: %s\n", err.msg);
				buf_free(&png);
				return 1;
			}
		}
		rates[run] = CHARTS_PER_RUN / (now() - start);
		bytes = png.len;
	}
	qsort(rates, RUNS, sizeof rates[0], compare_doubles);
	printf("%-34s %7.1f charts/s  (%.1f ms each, PNG %zu bytes, median of %d runs)\n", name,
	       rates[RUNS / 2], 1000 / rates[RUNS / 2], bytes, RUNS);
	buf_free(&png);
	return 0;
}

int main(void)
{
	static const struct chart_format pounds = {CHART_CURRENCY, "\xc2\xa3", 0};
	enum { DAYS = 365 };
	static double revenue[DAYS], low[DAYS], high[DAYS];
	static int32_t days[DAYS];
	static unsigned char flags[DAYS];
	struct rng r;
	rng_seed(&r, 365);
	int32_t first = chart_day_from_civil(2011, 1, 1);
	for (int i = 0; i < DAYS; i++) {
		double base = 25000 + 80 * i;
		days[i] = first + i;
		revenue[i] = base * (1 + 0.15 * rng_normal(&r));
		low[i] = base * 0.7, high[i] = base * 1.3;
		flags[i] = i % 97 == 50;
	}
	struct chart_series line_series = {"Revenue", revenue, NULL, flags, DAYS};
	struct chart_spec line;
	memset(&line, 0, sizeof line);
	line.type = CHART_LINE;
	line.title = "Daily revenue";
	line.subtitle = "With the expected range";
	line.source = "Source: orders table";
	line.format = pounds;
	line.point_count = DAYS;
	line.days = days;
	line.series = &line_series;
	line.series_count = 1;
	line.band_low = low;
	line.band_high = high;

	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	static const double monthly[] = {560000, 498062, 683267, 493207, 723333, 691123,
					 681300, 682681, 1019687, 1070705, 1461756, 433668};
	struct chart_series bar_series = {"Revenue", monthly, NULL, NULL, 12};
	struct chart_spec bar;
	memset(&bar, 0, sizeof bar);
	bar.type = CHART_BAR;
	bar.title = "Revenue by month";
	bar.subtitle = "2011";
	bar.source = "Source: orders table";
	bar.format = pounds;
	bar.point_count = 12;
	bar.categories = months;
	bar.series = &bar_series;
	bar.series_count = 1;

	int rc = bench("line, 365 points, band, flags, 2x", &line);
	rc |= bench("bar, 12 months, value labels, 2x", &bar);
	chart_library_shutdown();
	return rc;
}
