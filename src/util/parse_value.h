/* parse_value: reading the typed values of CSV exports: integers, decimal amounts
 * (money, discounts) and dates in the shapes real exports use.
 *
 * Amounts are exact: they come back as integer millionths of a unit, never floats,
 * so money sums stay exact. Dates come back as calendar fields in UTC. */
#ifndef CARTOGRAPH_PARSE_VALUE_H
#define CARTOGRAPH_PARSE_VALUE_H

#include <stddef.h>
#include <stdint.h>

#define MICROS_PER_UNIT 1000000

/* Parses an integer: optional sign, digits, optional thousands separators in groups
 * of three, and a zero fraction as float-formatted exports write it ("6.0").
 * Surrounding blanks are ignored. Returns 0, or -1 when s is not an integer. */
int parse_int(const char *s, size_t len, int64_t *out);

/* Parses a decimal amount into millionths: "1234.5", "-3", "$1,234.50", "£3.5",
 * "(12.00)" (negative), "12.50 €", "1.234,50" when decimal_comma is set. At most six
 * decimals. Returns 0, or -1 when s is not an amount. */
int parse_decimal(const char *s, size_t len, int decimal_comma, int64_t *millionths);

/* The symbol of the currency an amount is written with ("$", "£", "€" or "¥"; USD,
 * GBP and EUR give theirs), or NULL when it has none: "£3.50" and "12,50 €" do. */
const char *amount_currency(const char *s, size_t len);

/* The marks amounts are written with: "1,234.50" (a decimal point) or "1.234,50" (a
 * decimal comma). A file's amounts narrow down which it uses, as its dates do. */
enum decimal_mark {
	DECIMAL_POINT = 1 << 0,
	DECIMAL_COMMA = 1 << 1,
};
#define DECIMAL_EITHER (DECIMAL_POINT | DECIMAL_COMMA)

/* The date layouts recognised; a column's values narrow down which one it uses. */
enum date_style {
	DATE_YMD = 1 << 0,   /* 2011-12-09, 2011-12-09T08:26:00Z, 2019/10/01 00:00:00 UTC */
	DATE_MDY = 1 << 1,   /* 11/8/2018, 11/8/2018 8:26, 11/8/18 */
	DATE_DMY = 1 << 2,   /* 8/11/2018, 08.11.2018 */
	DATE_DMONY = 1 << 3, /* 31-Jul-18, 31 Jul 2018 */
	DATE_EPOCH = 1 << 4, /* 1575158400 (seconds since 1970-01-01 UTC) */
};
#define DATE_ALL_STYLES 0x1f

struct datetime {
	int year, month, day;      /* calendar date */
	int hour, minute, second;  /* time of day, 0 when the value has none */
};

/* Returns the set of date styles (a mask of enum date_style) under which s is a valid
 * date; 0 when it is a date under none. */
unsigned date_styles_of(const char *s, size_t len);
/* Parses s under one style (a single bit). Returns 0, or -1 when it does not fit. */
int parse_date(const char *s, size_t len, enum date_style style, struct datetime *out);
/* Picks the one style to read a column with from the mask its values left: the only
 * one, or month-first when both day-first and month-first still fit. */
enum date_style date_style_pick(unsigned mask);
/* The style's name as users write it in --date-format, and back (0 if unknown). */
const char *date_style_name(enum date_style style);
enum date_style date_style_from_name(const char *name);
/* What a file's rows so far say about how it writes its values. */
struct value_layout {
	unsigned date_styles;   /* enum date_style bits its first date column can still have */
	unsigned decimal_marks; /* enum decimal_mark bits its amounts can still have */
	int marks_matter;       /* an amount so far reads differently under the two marks */
};

/* Writes "YYYY-MM-DD HH:MM:SS" and a NUL (20 bytes). */
void datetime_format(const struct datetime *dt, char out[20]);
/* Days since 1970-01-01 of the date part. */
int64_t datetime_days(const struct datetime *dt);

#endif
