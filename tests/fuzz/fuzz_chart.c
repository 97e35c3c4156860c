/* Fuzz target: chart rendering with extreme values. The bytes choose a chart type and
 * become its values (doubles taken raw, so NaN, infinities, huge, tiny and negative
 * numbers all occur), from zero points to thousands; the chart, its CSV and its alt
 * text must come out without a crash. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	enum chart_type type = (enum chart_type)(data[0] % CHART_TYPE_COUNT);
	size_t n = (size - 2) / sizeof(double);
	double *values = calloc(n ? n : 1, sizeof *values);
	double *x = calloc(n ? n : 1, sizeof *x);
	int32_t *days = calloc(n ? n : 1, sizeof *days);
	const char **labels = calloc(n ? n : 1, sizeof *labels);
	struct chart_tree_item *tree = calloc(n ? n : 1, sizeof *tree);
	unsigned char *flags = calloc(n ? n : 1, 1);
	memcpy(values, data + 2, n * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		x[i] = (double)i / (double)(n ? n : 1);
		days[i] = 15000 + (int32_t)i;
		labels[i] = (i % 3) ? "a long category label that needs cutting" : "x";
		tree[i].category = (i % 2) ? "Home" : "Garden";
		tree[i].subcategory = labels[i];
		tree[i].value = values[i];
		flags[i] = values[i] > 1e6;
	}
	struct chart_series series = {"Series", values, x, flags, n};
	struct chart_spec spec = {
		.type = type, .title = "Fuzz", .subtitle = "extreme values", .source = "fuzz",
		.format = {(enum chart_unit)(data[1] % 3), "\xc2\xa3", data[1] % 4},
		.point_count = n, .categories = labels, .days = (data[1] & 8) ? days : NULL,
		.series = &series, .series_count = 1, .tree = tree, .tree_count = n,
		.matrix = {values, n ? 1 : 0, n, NULL, NULL}, .width = 320, .height = 200,
	};
	struct buf out = BUF_INIT;
	struct error err;
	chart_render_png(&spec, 1, &out, &err);
	buf_reset(&out);
	chart_write_csv(&spec, &out, &err);
	buf_reset(&out);
	chart_alt_text(&spec, &out, &err);
	buf_free(&out);
	free(values);
	free(x);
	free(days);
	free(labels);
	free(tree);
	free(flags);
	return 0;
}
