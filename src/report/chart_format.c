/* chart_format: writing numbers and dates the way a reader expects them on a chart:
 * thousands separators, currency symbols, percentages from fractions, compact figures
 * (12.3K, £1.2M) where room is short, and day numbers as "9 Dec 2011".
 *
 * Figures are rounded first and the sign decided after, so -0.001 with no decimals is
 * written "0", never "-0". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/chart_internal.h"

#define MINUS_SIGN "\xe2\x88\x92" /* U+2212, as wide as a digit */

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

const char *month_abbrev(int month)
{
	return month >= 1 && month <= 12 ? months[month - 1] : "?";
}

static int clamp_decimals(int d)
{
	return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* v >= 0 rounded to decimals with halves going up, as people round money (printf
 * alone rounds 40.5 to 40). */
static double round_half_up(double v, int decimals)
{
	double scale = pow(10, decimals), scaled = v * scale;
	if (!isfinite(scaled) || scaled > 1e17)
		return v; /* beyond double precision: nothing to round */
	return round(scaled) / scale;
}

/* Writes |v| rounded to decimals into digits (no separators). Returns 1 when the
 * rounded figure is zero. */
static int round_digits(double v, int decimals, char *digits, size_t size)
{
	decimals = clamp_decimals(decimals);
	snprintf(digits, size, "%.*f", decimals, round_half_up(fabs(v), decimals));
	for (const char *p = digits; *p; p++)
		if (*p >= '1' && *p <= '9')
			return 0;
	return 1;
}

/* Appends the plain digits of round_digits with commas and optional trimming. */
static void append_grouped(const char *digits, int trim, struct buf *out)
{
	const char *dot = strchr(digits, '.');
	size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
	for (size_t i = 0; i < int_len; i++) {
		if (i && (int_len - i) % 3 == 0)
			buf_putc(out, ',');
		buf_putc(out, digits[i]);
	}
	if (!dot)
		return;
	size_t frac_len = strlen(dot + 1);
	if (trim)
		while (frac_len && dot[frac_len] == '0')
			frac_len--;
	if (frac_len) {
		buf_putc(out, '.');
		buf_append(out, dot + 1, frac_len);
	}
}

void format_magnitude(double v, int decimals, int trim, struct buf *out)
{
	char digits[400];
	round_digits(v, decimals, digits, sizeof digits);
	append_grouped(digits, trim, out);
}

void format_count(double v, struct buf *out)
{
	char digits[400];
	if (!isfinite(v)) {
		buf_puts(out, "n/a");
		return;
	}
	if (!round_digits(v, 0, digits, sizeof digits) && v < 0)
		buf_putc(out, '-');
	append_grouped(digits, 0, out);
}

/* Compact form of |v| >= 10,000: three significant digits and a unit letter. */
static void compact_digits(double mag, char *digits, size_t size, const char **suffix)
{
	static const char *const units[] = {"K", "M", "B", "T"};
	double div = 1e3;
	int u = 0;
	while (u < 3 && mag >= div * 1e3)
		div *= 1e3, u++;
	for (;;) {
		double scaled = mag / div;
		int decimals = scaled < 10 ? 2 : scaled < 100 ? 1 : 0;
		snprintf(digits, size, "%.*f", decimals, round_half_up(scaled, decimals));
		/* 999,960 rounds to "1000K": say 1M instead. */
		if (u < 3 && strtod(digits, NULL) >= 1000) {
			div *= 1e3, u++;
			continue;
		}
		break;
	}
	*suffix = units[u];
}

void format_value_decimals(const struct chart_format *fmt, double v, int decimals,
			   unsigned style, struct buf *out)
{
	static const struct chart_format plain = {CHART_NUMBER, NULL, 0};
	if (!fmt)
		fmt = &plain;
	if (!isfinite(v)) {
		buf_puts(out, "n/a");
		return;
	}
	int percent = fmt->unit == CHART_PERCENT;
	double x = percent ? v * 100 : v;
	char digits[400];
	const char *suffix = "";
	int zero, trim = 0;
	if ((style & CHART_FMT_COMPACT) && !percent && fabs(x) >= 1e4) {
		compact_digits(fabs(x), digits, sizeof digits, &suffix);
		zero = 0;
		trim = 1;
	} else {
		zero = round_digits(x, decimals, digits, sizeof digits);
	}
	if (x < 0 && !zero)
		buf_puts(out, (style & CHART_FMT_MINUS) ? MINUS_SIGN : "-");
	if (fmt->unit == CHART_CURRENCY)
		buf_puts(out, fmt->currency ? fmt->currency : "$");
	append_grouped(digits, trim, out);
	buf_puts(out, suffix);
	if (percent)
		buf_putc(out, '%');
}

void chart_format_value(const struct chart_format *fmt, double v, unsigned style,
			struct buf *out)
{
	format_value_decimals(fmt, v, fmt ? fmt->decimals : 0, style, out);
}

void format_label(const struct chart_format *fmt, double v, struct buf *out)
{
	chart_format_value(fmt, v, CHART_FMT_COMPACT | CHART_FMT_MINUS, out);
}

/* Days from the civil calendar: count whole 400-year eras (146,097 days each) from
 * 0000-03-01, so leap days fall at the end of each counted year. */
int32_t chart_day_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t year_of_era = y - era * 400;
	int64_t m = month > 2 ? month - 3 : month + 9;
	int64_t day_of_year = (153 * m + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return (int32_t)(era * 146097 + day_of_era - 719468);
}

void chart_civil_from_day(int32_t day_number, int *year, int *month, int *day)
{
	int64_t z = (int64_t)day_number + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era =
		(day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t mp = (5 * day_of_year + 2) / 153;
	int64_t d = day_of_year - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(year_of_era + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

void chart_format_day(int32_t day_number, struct buf *out)
{
	int y, m, d;
	chart_civil_from_day(day_number, &y, &m, &d);
	buf_printf(out, "%d %s %d", d, month_abbrev(m), y);
}
