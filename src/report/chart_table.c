/* chart_table: a chart's CSV as a screen reader reads it: headings in words
 * ("Share of first", not "share_of_first") and figures as the chart writes them
 * ("$725,458", "16.7%", "3 Jan 2016", not "725457.93", "0.166666666666667",
 * "2016-01-03"). Which column holds what follows each chart type's CSV layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"

/* Whether heading ends with suffix. */
static int ends_with(const char *heading, const char *suffix)
{
	size_t n = strlen(heading), k = strlen(suffix);
	return n >= k && strcmp(heading + n - k, suffix) == 0;
}

enum chart_column chart_csv_column(const struct chart_spec *spec, size_t column,
				   const char *heading)
{
	switch (spec->type) {
	case CHART_LINE:
		if (column == 0)
			return spec->days && spec->point_count ? COLUMN_DATE : COLUMN_LABEL;
		return ends_with(heading, " flagged") ? COLUMN_FLAG : COLUMN_VALUE;
	case CHART_FUNNEL: /* stage, count, share of the first, share of the previous */
		return column == 0 ? COLUMN_LABEL : column == 1 ? COLUMN_VALUE : COLUMN_SHARE;
	case CHART_ROC: /* series, false positive rate, true positive rate */
		return column == 0 ? COLUMN_LABEL : COLUMN_SHARE;
	case CHART_SCATTER: /* series, x, y */
		return column == 0 ? COLUMN_LABEL : column == 1 ? COLUMN_X : COLUMN_VALUE;
	case CHART_HISTOGRAM: /* bin start, bin end, count */
		return column < 2 ? COLUMN_X : COLUMN_VALUE;
	case CHART_TREEMAP: /* category, subcategory, value */
		return column < 2 ? COLUMN_LABEL : COLUMN_VALUE;
	default: /* bars, donut, heatmap: a label, then figures */
		return column == 0 ? COLUMN_LABEL : COLUMN_VALUE;
	}
}

void chart_table_heading(const struct chart_spec *spec, const char *heading, struct buf *out)
{
	if (spec->type == CHART_LINE && ends_with(heading, " flagged"))
		heading = spec->flag_label ? spec->flag_label : "Anomaly";
	else if (strcmp(heading, "bin_start") == 0)
		heading = "from";
	else if (strcmp(heading, "bin_end") == 0)
		heading = "to";
	for (size_t i = 0; heading[i]; i++) {
		char c = heading[i] == '_' ? ' ' : heading[i];
		buf_putc(out, i == 0 && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
	}
}

/* "YYYY-MM-DD" as "3 Jan 2016"; anything else as it is. */
static void date_cell(const char *cell, struct buf *out)
{
	int y, m, d;
	char end;
	if (sscanf(cell, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
		chart_format_day(chart_day_from_civil(y, m, d), out);
	else
		buf_puts(out, cell);
}

void chart_table_cell(const struct chart_spec *spec, enum chart_column kind, const char *cell,
		      struct buf *out)
{
	static const struct chart_format share = {CHART_PERCENT, NULL, 1};
	char *end;
	double v = strtod(cell, &end);
	int number = *cell && *end == '\0';
	if (kind == COLUMN_DATE)
		date_cell(cell, out);
	else if (kind == COLUMN_LABEL || !number)
		buf_puts(out, cell); /* a label, or a missing figure (empty) */
	else if (kind == COLUMN_FLAG)
		buf_puts(out, v != 0 ? "yes" : "no");
	else
		chart_format_value(kind == COLUMN_SHARE ? &share
				   : kind == COLUMN_X ? &spec->x_format
						      : &spec->format,
				   v, 0, out);
}
