/* chart_values: reading the caller's numbers safely (non-finite values are missing,
 * huge ones clamped, short arrays end early) and writing them out as CSV. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/chart_internal.h"

double value_clean(double v)
{
	if (!isfinite(v))
		return NAN;
	if (v > VALUE_LIMIT)
		return VALUE_LIMIT;
	if (v < -VALUE_LIMIT)
		return -VALUE_LIMIT;
	return v;
}

double series_value(const struct chart_series *s, size_t i)
{
	if (!s || !s->values || i >= s->count)
		return NAN;
	return value_clean(s->values[i]);
}

double series_x(const struct chart_series *s, size_t i)
{
	if (!s || !s->x || i >= s->count)
		return NAN;
	return value_clean(s->x[i]);
}

int series_flagged(const struct chart_series *s, size_t i)
{
	return s && s->flagged && i < s->count && s->flagged[i];
}

const char *str_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

const char *spec_category(const struct chart_spec *spec, size_t i)
{
	if (!spec->categories || i >= spec->point_count || !spec->categories[i])
		return "";
	return spec->categories[i];
}

const char *series_name(const struct chart_series *s)
{
	return s && s->name ? s->name : "";
}

const char *spec_title(const struct chart_spec *spec)
{
	return str_or(spec->title, "Chart");
}

size_t spec_points(const struct chart_spec *spec)
{
	if (spec->point_count)
		return spec->point_count;
	size_t n = 0;
	for (size_t i = 0; i < spec->series_count; i++)
		if (spec->series[i].count > n)
			n = spec->series[i].count;
	return n;
}

void chart_csv_text(struct buf *csv, const char *s)
{
	if (s)
		buf_csv_field(csv, s, strlen(s));
}

void chart_csv_number(struct buf *csv, double v)
{
	v = value_clean(v);
	if (isnan(v))
		return;
	if (v == 0)
		v = 0; /* no "-0" */
	buf_printf(csv, "%.15g", v);
}

void csv_day(struct buf *csv, int32_t day)
{
	int y, m, d;
	chart_civil_from_day(day, &y, &m, &d);
	buf_printf(csv, "%04d-%02d-%02d", y, m, d);
}
