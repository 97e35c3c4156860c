/* parse_value: integer, decimal and date parsing for ingest and clean.
 *
 * Every parser trims blanks, takes an explicit length (fields are not NUL-terminated)
 * and rejects anything it does not fully understand rather than guessing. */
#include "util/parse_value.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Narrows [*s, *s + *len) to its text without leading or trailing blanks. */
static void trim(const char **s, size_t *len)
{
	while (*len && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_blank((*s)[*len - 1]))
		(*len)--;
}

/* The bytes of a thousands separator at s: sep, or one that is never a decimal mark
 * (a space, a no-break or narrow no-break space as French exports write, an apostrophe
 * as Swiss ones do); 0 when there is none. */
static size_t group_separator_at(const char *s, size_t len, char sep)
{
	if ((sep && *s == sep) || *s == ' ' || *s == '\'')
		return 1;
	if (len >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)
		return 2;
	if (len >= 3 && memcmp(s, "\xe2\x80\xaf", 3) == 0)
		return 3;
	return 0;
}

/* Reads digits with optional thousands separators (in groups of three) into *value;
 * returns the number of bytes used, 0 when there are no digits or the grouping is
 * wrong, -1 on overflow. */
static long read_grouped_digits(const char *s, size_t len, char sep, int64_t *value)
{
	size_t i = 0, group = 0, n;
	int grouped = 0;
	int64_t v = 0;
	for (; i < len; i++) {
		if (is_digit(s[i])) {
			if (v > (INT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (s[i] - '0');
			group++;
		} else if ((n = group_separator_at(s + i, len - i, sep)) && i + n < len &&
			   is_digit(s[i + n])) {
			if ((grouped && group != 3) || (!grouped && (group < 1 || group > 3)))
				return 0;
			grouped = 1;
			group = 0;
			i += n - 1;
		} else
			break;
	}
	if (i == 0 || (grouped && group != 3))
		return 0;
	*value = v;
	return (long)i;
}

int parse_int(const char *s, size_t len, int64_t *out)
{
	trim(&s, &len);
	int negative = 0;
	if (len && (*s == '-' || *s == '+')) {
		negative = *s == '-';
		s++;
		len--;
	}
	int64_t v;
	long used = read_grouped_digits(s, len, ',', &v);
	if (used <= 0)
		return -1;
	s += used;
	len -= (size_t)used;
	if (len && *s == '.') { /* "6.0": an integer written as a float */
		s++;
		len--;
		if (!len)
			return -1;
		for (; len; s++, len--)
			if (*s != '0')
				return -1;
	}
	if (len)
		return -1;
	*out = negative ? -v : v;
	return 0;
}

/* The currency signs a price may carry before or after its number, and the symbol
 * each stands for. */
static const struct {
	const char *sign, *symbol;
} currency_signs[] = {
	{"$", "$"},
	{"\xc2\xa3", "\xc2\xa3"},
	{"\xe2\x82\xac", "\xe2\x82\xac"},
	{"\xc2\xa5", "\xc2\xa5"},
	{"USD", "$"},
	{"GBP", "\xc2\xa3"},
	{"EUR", "\xe2\x82\xac"},
};
#define CURRENCY_SIGNS (sizeof currency_signs / sizeof currency_signs[0])

/* Skips a currency sign ($, £, €, ¥ or a three-letter code such as USD) at *s;
 * returns 1 + its index in currency_signs, or 0 when there is none. A digit first is
 * the common case: no sign. */
static int skip_currency(const char **s, size_t *len)
{
	if (*len && is_digit(**s))
		return 0;
	for (size_t i = 0; i < CURRENCY_SIGNS; i++) {
		size_t n = strlen(currency_signs[i].sign);
		if (*len >= n && memcmp(*s, currency_signs[i].sign, n) == 0) {
			*s += n;
			*len -= n;
			trim(s, len);
			return (int)i + 1;
		}
	}
	return 0;
}

/* Same as skip_currency, for a sign written after the number. */
static int strip_trailing_currency(const char *s, size_t *len)
{
	if (*len && is_digit(s[*len - 1]))
		return 0;
	for (size_t i = 0; i < CURRENCY_SIGNS; i++) {
		size_t n = strlen(currency_signs[i].sign);
		if (*len >= n && memcmp(s + *len - n, currency_signs[i].sign, n) == 0) {
			*len -= n;
			while (*len && is_blank(s[*len - 1]))
				(*len)--;
			return (int)i + 1;
		}
	}
	return 0;
}

const char *amount_currency(const char *s, size_t len)
{
	trim(&s, &len);
	if (len && (*s == '(' || *s == '-' || *s == '+'))
		s++, len--;
	if (len && s[len - 1] == ')')
		len--;
	trim(&s, &len);
	int sign = skip_currency(&s, &len);
	if (!sign)
		sign = strip_trailing_currency(s, &len);
	return sign ? currency_signs[sign - 1].symbol : NULL;
}

int parse_decimal(const char *s, size_t len, int decimal_comma, int64_t *out)
{
	char point = decimal_comma ? ',' : '.', sep = decimal_comma ? '.' : ',';
	int negative = 0, parens = 0;
	trim(&s, &len);
	if (len >= 2 && s[0] == '(' && s[len - 1] == ')') {
		parens = negative = 1;
		s++;
		len -= 2;
		trim(&s, &len);
	}
	if (len && (*s == '-' || *s == '+')) {
		negative = *s == '-';
		s++;
		len--;
	}
	skip_currency(&s, &len);
	if (!parens && len && *s == '-' && !negative) { /* "$-3.50" */
		negative = 1;
		s++;
		len--;
	}
	strip_trailing_currency(s, &len);
	int64_t whole = 0, frac = 0;
	int frac_digits = 0;
	long used = 0;
	if (len && *s != point) {
		used = read_grouped_digits(s, len, sep, &whole);
		if (used <= 0)
			return -1;
	}
	s += used;
	len -= (size_t)used;
	if (len && *s == point) {
		s++;
		len--;
		for (; len && is_digit(*s); s++, len--) {
			if (frac_digits == 6)
				return -1;
			frac = frac * 10 + (*s - '0');
			frac_digits++;
		}
		if (frac_digits == 0 && used == 0)
			return -1;
	} else if (used == 0)
		return -1;
	if (len)
		return -1;
	for (int d = frac_digits; d < 6; d++)
		frac *= 10;
	if (whole > (INT64_MAX - frac) / MICROS_PER_UNIT)
		return -1;
	int64_t v = whole * MICROS_PER_UNIT + frac;
	*out = negative ? -v : v;
	return 0;
}

/* ---- dates ---- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int valid_datetime(const struct datetime *dt)
{
	return dt->year >= 1900 && dt->year <= 2200 && dt->month >= 1 && dt->month <= 12 &&
	       dt->day >= 1 && dt->day <= days_in_month(dt->year, dt->month) &&
	       dt->hour >= 0 && dt->hour <= 23 && dt->minute >= 0 && dt->minute <= 59 &&
	       dt->second >= 0 && dt->second <= 60;
}

/* Sets the date part of dt from days since 1970-01-01 (Hinnant's civil-from-days
 * algorithm, restated). */
static void civil_from_days(int64_t days, struct datetime *dt)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	dt->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	dt->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	dt->year = (int)(yoe + era * 400 + (dt->month <= 2));
}

/* A cursor over the value being parsed. */
struct scan {
	const char *s;
	size_t len;
};

/* Reads 1..max digits; returns the count read (0 if none) and the value. */
static int scan_number(struct scan *sc, int max, int *value)
{
	int n = 0, v = 0;
	while (sc->len && is_digit(*sc->s) && n < max) {
		v = v * 10 + (*sc->s - '0');
		sc->s++;
		sc->len--;
		n++;
	}
	*value = v;
	return n;
}

static int scan_char(struct scan *sc, char c)
{
	if (sc->len && *sc->s == c) {
		sc->s++;
		sc->len--;
		return 1;
	}
	return 0;
}

static int scan_word(struct scan *sc, const char *word)
{
	size_t n = strlen(word);
	if (sc->len < n || strncmp(sc->s, word, n) != 0)
		return 0;
	sc->s += n;
	sc->len -= n;
	return 1;
}

/* Reads an optional time "[ T]HH:MM[:SS[.fff]][ ]{Z|UTC|±HH:MM|AM|PM}" into dt and
 * checks that nothing follows. A UTC offset is applied so dt ends up in UTC. */
static int scan_time_and_end(struct scan *sc, struct datetime *dt)
{
	dt->hour = dt->minute = dt->second = 0;
	if (!sc->len)
		return 0;
	if (!scan_char(sc, 'T') && !scan_char(sc, ' '))
		return -1;
	while (scan_char(sc, ' '))
		;
	if (!scan_number(sc, 2, &dt->hour) || !scan_char(sc, ':') ||
	    scan_number(sc, 2, &dt->minute) != 2)
		return -1;
	if (scan_char(sc, ':')) {
		if (scan_number(sc, 2, &dt->second) != 2)
			return -1;
		if (scan_char(sc, '.')) {
			int ignored;
			while (scan_number(sc, 9, &ignored))
				;
		}
	}
	while (scan_char(sc, ' '))
		;
	int offset_minutes = 0;
	if (scan_word(sc, "AM") || scan_word(sc, "am")) {
		if (dt->hour < 1 || dt->hour > 12)
			return -1;
		dt->hour %= 12;
	} else if (scan_word(sc, "PM") || scan_word(sc, "pm")) {
		if (dt->hour < 1 || dt->hour > 12)
			return -1;
		dt->hour = dt->hour % 12 + 12;
	} else if (scan_char(sc, 'Z') || scan_word(sc, "UTC") || scan_word(sc, "GMT")) {
	} else if (sc->len && (*sc->s == '+' || *sc->s == '-')) {
		int sign = *sc->s == '-' ? -1 : 1, oh, om = 0;
		sc->s++;
		sc->len--;
		if (scan_number(sc, 2, &oh) != 2)
			return -1;
		scan_char(sc, ':');
		if (sc->len && scan_number(sc, 2, &om) != 2)
			return -1;
		offset_minutes = sign * (oh * 60 + om);
	}
	if (sc->len)
		return -1;
	if (offset_minutes) {
		/* Shift to UTC through epoch minutes, which handles day and month rollover. */
		if (!valid_datetime(dt))
			return -1;
		int64_t minutes = datetime_days(dt) * 1440 + dt->hour * 60 + dt->minute -
				  offset_minutes;
		int64_t days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
		int64_t rest = minutes - days * 1440;
		civil_from_days(days, dt);
		dt->hour = (int)(rest / 60);
		dt->minute = (int)(rest % 60);
	}
	return 0;
}

static int two_digit_year(int yy)
{
	return yy < 70 ? 2000 + yy : 1900 + yy;
}

static int month_from_name(struct scan *sc)
{
	static const char *const names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
					      "jul", "aug", "sep", "oct", "nov", "dec"};
	if (sc->len < 3)
		return 0;
	char lower[3];
	for (int i = 0; i < 3; i++)
		lower[i] = (char)(sc->s[i] | 0x20);
	for (int m = 0; m < 12; m++)
		if (memcmp(lower, names[m], 3) == 0) {
			sc->s += 3;
			sc->len -= 3;
			while (sc->len && ((*sc->s | 0x20) >= 'a' && (*sc->s | 0x20) <= 'z'))
				sc->s++, sc->len--; /* "July", "Sept" */
			return m + 1;
		}
	return 0;
}

static int parse_ymd(struct scan *sc, struct datetime *dt)
{
	char sep;
	if (scan_number(sc, 4, &dt->year) != 4 || !sc->len)
		return -1;
	sep = *sc->s;
	if (sep != '-' && sep != '/' && sep != '.')
		return -1;
	sc->s++, sc->len--;
	if (!scan_number(sc, 2, &dt->month) || !scan_char(sc, sep) ||
	    !scan_number(sc, 2, &dt->day))
		return -1;
	return scan_time_and_end(sc, dt);
}

/* M/D/Y or D/M/Y with '/', '-' or '.' and a 2- or 4-digit year. Dots are written
 * day first only (08.11.2018: the countries that write dates with dots put the day
 * first), so a file of such dates needs no day over 12 to be read right. */
static int parse_numeric_dmy(struct scan *sc, struct datetime *dt, int month_first)
{
	int a, b, year, n;
	if (!scan_number(sc, 2, &a) || !sc->len)
		return -1;
	char sep = *sc->s;
	if (sep != '/' && sep != '-' && (sep != '.' || month_first))
		return -1;
	sc->s++, sc->len--;
	if (!scan_number(sc, 2, &b) || !scan_char(sc, sep))
		return -1;
	n = scan_number(sc, 4, &year);
	if (n == 2)
		year = two_digit_year(year);
	else if (n != 4)
		return -1;
	dt->year = year;
	dt->month = month_first ? a : b;
	dt->day = month_first ? b : a;
	return scan_time_and_end(sc, dt);
}

/* 31-Jul-18, 31 Jul 2018, 31/Jul/2018. */
static int parse_dmony(struct scan *sc, struct datetime *dt)
{
	int n;
	if (!scan_number(sc, 2, &dt->day) || !sc->len)
		return -1;
	char sep = *sc->s;
	if (sep != '-' && sep != ' ' && sep != '/')
		return -1;
	sc->s++, sc->len--;
	if (!(dt->month = month_from_name(sc)) || !scan_char(sc, sep))
		return -1;
	n = scan_number(sc, 4, &dt->year);
	if (n == 2)
		dt->year = two_digit_year(dt->year);
	else if (n != 4)
		return -1;
	return scan_time_and_end(sc, dt);
}

static int parse_epoch(struct scan *sc, struct datetime *dt)
{
	int64_t seconds = 0;
	size_t digits = 0;
	while (sc->len && is_digit(*sc->s) && digits < 12) {
		seconds = seconds * 10 + (*sc->s - '0');
		sc->s++, sc->len--, digits++;
	}
	if (digits < 9 || digits > 11)
		return -1;
	if (scan_char(sc, '.')) {
		int ignored;
		while (scan_number(sc, 9, &ignored))
			;
	}
	if (sc->len)
		return -1;
	int64_t days = seconds / 86400, rest = seconds % 86400;
	civil_from_days(days, dt);
	dt->hour = (int)(rest / 3600);
	dt->minute = (int)(rest / 60 % 60);
	dt->second = (int)(rest % 60);
	return 0;
}

int parse_date(const char *s, size_t len, enum date_style style, struct datetime *out)
{
	struct scan sc;
	struct datetime dt = {0, 0, 0, 0, 0, 0};
	int rc = -1;
	trim(&s, &len);
	sc.s = s;
	sc.len = len;
	switch (style) {
	case DATE_YMD: rc = parse_ymd(&sc, &dt); break;
	case DATE_MDY: rc = parse_numeric_dmy(&sc, &dt, 1); break;
	case DATE_DMY: rc = parse_numeric_dmy(&sc, &dt, 0); break;
	case DATE_DMONY: rc = parse_dmony(&sc, &dt); break;
	case DATE_EPOCH: rc = parse_epoch(&sc, &dt); break;
	}
	if (rc < 0 || !valid_datetime(&dt))
		return -1;
	*out = dt;
	return 0;
}

unsigned date_styles_of(const char *s, size_t len)
{
	static const enum date_style styles[] = {DATE_YMD, DATE_MDY, DATE_DMY, DATE_DMONY,
						 DATE_EPOCH};
	unsigned mask = 0;
	struct datetime dt;
	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
		if (parse_date(s, len, styles[i], &dt) == 0)
			mask |= (unsigned)styles[i];
	return mask;
}

enum date_style date_style_pick(unsigned mask)
{
	static const enum date_style order[] = {DATE_YMD, DATE_MDY, DATE_DMY, DATE_DMONY,
						DATE_EPOCH};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (mask & (unsigned)order[i])
			return order[i];
	return DATE_YMD;
}

static const struct {
	enum date_style style;
	const char *name;
} style_names[] = {
	{DATE_YMD, "YMD"}, {DATE_MDY, "MDY"}, {DATE_DMY, "DMY"},
	{DATE_DMONY, "D-Mon-Y"}, {DATE_EPOCH, "epoch"},
};

const char *date_style_name(enum date_style style)
{
	for (size_t i = 0; i < sizeof style_names / sizeof style_names[0]; i++)
		if (style_names[i].style == style)
			return style_names[i].name;
	return "?";
}

enum date_style date_style_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof style_names / sizeof style_names[0]; i++)
		if (strcasecmp(style_names[i].name, name) == 0)
			return style_names[i].style;
	return 0;
}

/* Writes n as width digits (the caller keeps n in range). */
static void put_digits(char *out, unsigned n, int width)
{
	for (int i = width - 1; i >= 0; i--, n /= 10)
		out[i] = (char)('0' + n % 10);
}

void datetime_format(const struct datetime *dt, char out[20])
{
	memcpy(out, "0000-00-00 00:00:00", 20);
	put_digits(out, (unsigned)dt->year % 10000, 4);
	put_digits(out + 5, (unsigned)dt->month % 100, 2);
	put_digits(out + 8, (unsigned)dt->day % 100, 2);
	put_digits(out + 11, (unsigned)dt->hour % 100, 2);
	put_digits(out + 14, (unsigned)dt->minute % 100, 2);
	put_digits(out + 17, (unsigned)dt->second % 100, 2);
}

int64_t datetime_days(const struct datetime *dt)
{
	/* days from civil: Howard Hinnant's algorithm, restated */
	int64_t y = dt->year - (dt->month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (dt->month + (dt->month > 2 ? -3 : 9)) + 2) / 5 + dt->day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
