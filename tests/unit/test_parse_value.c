/* Unit tests of the value parsers used by ingest and clean: integers, exact decimal
 * amounts and dates in the layouts real exports use. */
#include "check.h"

#include "util/parse_value.h"

static int64_t int_of(const char *s, int *ok)
{
	int64_t v = 0;
	*ok = parse_int(s, strlen(s), &v) == 0;
	return v;
}

static int64_t amount_of(const char *s, int decimal_comma, int *ok)
{
	int64_t v = 0;
	*ok = parse_decimal(s, strlen(s), decimal_comma, &v) == 0;
	return v;
}

static const char *date_of(const char *s, enum date_style style)
{
	static char out[20];
	struct datetime dt;
	if (parse_date(s, strlen(s), style, &dt) != 0)
		return "invalid";
	datetime_format(&dt, out);
	return out;
}

static void test_ints_accept_signs_groups_and_float_formatted_ids(void)
{
	int ok;
	CHECK_INT(int_of("6", &ok), 6); CHECK(ok);
	CHECK_INT(int_of(" -12 ", &ok), -12); CHECK(ok);
	CHECK_INT(int_of("1,234", &ok), 1234); CHECK(ok);
	CHECK_INT(int_of("17850.0", &ok), 17850); CHECK(ok);
	int_of("abc", &ok); CHECK(!ok);
	int_of("", &ok); CHECK(!ok);
	int_of("1.5", &ok); CHECK(!ok);
	int_of("12,34", &ok); CHECK(!ok);
	int_of("99999999999999999999", &ok); CHECK(!ok);
}

static void test_amounts_are_exact_millionths_in_export_spellings(void)
{
	int ok;
	CHECK_INT(amount_of("2.55", 0, &ok), 2550000); CHECK(ok);
	CHECK_INT(amount_of("$1,234.50", 0, &ok), 1234500000); CHECK(ok);
	CHECK_INT(amount_of("\xc2\xa3" "3.5", 0, &ok), 3500000); CHECK(ok);
	CHECK_INT(amount_of("12.50 \xe2\x82\xac", 0, &ok), 12500000); CHECK(ok);
	CHECK_INT(amount_of("(12.00)", 0, &ok), -12000000); CHECK(ok);
	CHECK_INT(amount_of("-$3.10", 0, &ok), -3100000); CHECK(ok);
	CHECK_INT(amount_of("41.9136", 0, &ok), 41913600); CHECK(ok);
	CHECK_INT(amount_of(".5", 0, &ok), 500000); CHECK(ok);
	CHECK_INT(amount_of("1.234,50", 1, &ok), 1234500000); CHECK(ok);
	amount_of("1.234,50", 0, &ok); CHECK(!ok);
	/* spaces, no-break spaces and apostrophes group thousands under either mark */
	CHECK_INT(amount_of("1 234,50", 1, &ok), 1234500000); CHECK(ok);
	CHECK_INT(amount_of("12\xc2\xa0" "345,5 \xe2\x82\xac", 1, &ok), 12345500000); CHECK(ok);
	CHECK_INT(amount_of("1\xe2\x80\xaf" "000\xe2\x80\xaf" "000", 0, &ok), 1000000000000);
	CHECK(ok);
	CHECK_INT(amount_of("1'234.50", 0, &ok), 1234500000); CHECK(ok);
	amount_of("12 34", 0, &ok); CHECK(!ok);
	/* the currency an amount says it is in */
	CHECK_STR(amount_currency("\xc2\xa3" "3.50", 6), "\xc2\xa3");
	CHECK_STR(amount_currency("12,50 \xe2\x82\xac", 9), "\xe2\x82\xac");
	CHECK_STR(amount_currency("(12.00 EUR)", 11), "\xe2\x82\xac");
	CHECK_STR(amount_currency("-$3.10", 6), "$");
	CHECK_STR(amount_currency("USD 1,234", 9), "$");
	CHECK(amount_currency("3.50", 4) == NULL);
	CHECK(amount_currency("", 0) == NULL);
	amount_of("1 234,50", 0, &ok); CHECK(!ok);
	amount_of("abc", 0, &ok); CHECK(!ok);
	amount_of("1.2345678", 0, &ok); CHECK(!ok);
	amount_of("-", 0, &ok); CHECK(!ok);
	amount_of(".", 0, &ok); CHECK(!ok);
}

static void test_dates_in_every_supported_layout(void)
{
	CHECK_STR(date_of("2010-12-01 08:26:00", DATE_YMD), "2010-12-01 08:26:00");
	CHECK_STR(date_of("2019-10-01 00:00:00 UTC", DATE_YMD), "2019-10-01 00:00:00");
	CHECK_STR(date_of("2019-10-01T23:30:00+02:00", DATE_YMD), "2019-10-01 21:30:00");
	CHECK_STR(date_of("2019-12-31T23:30:00-01:00", DATE_YMD), "2020-01-01 00:30:00");
	CHECK_STR(date_of("2011-12-09", DATE_YMD), "2011-12-09 00:00:00");
	CHECK_STR(date_of("11/8/2018", DATE_MDY), "2018-11-08 00:00:00");
	CHECK_STR(date_of("12/1/2010 8:26", DATE_MDY), "2010-12-01 08:26:00");
	CHECK_STR(date_of("12/1/2010 8:26 PM", DATE_MDY), "2010-12-01 20:26:00");
	CHECK_STR(date_of("8/11/2018", DATE_DMY), "2018-11-08 00:00:00");
	CHECK_STR(date_of("08.11.2018", DATE_DMY), "2018-11-08 00:00:00");
	CHECK_STR(date_of("31-Jul-18", DATE_DMONY), "2018-07-31 00:00:00");
	CHECK_STR(date_of("1 March 2020", DATE_DMONY), "2020-03-01 00:00:00");
	CHECK_STR(date_of("1575158400", DATE_EPOCH), "2019-12-01 00:00:00");
}

static void test_impossible_dates_are_rejected(void)
{
	CHECK_STR(date_of("2024-13-45", DATE_YMD), "invalid");
	CHECK_STR(date_of("2023-02-29", DATE_YMD), "invalid");
	CHECK_STR(date_of("2024-02-29", DATE_YMD), "2024-02-29 00:00:00");
	CHECK_STR(date_of("not a date", DATE_YMD), "invalid");
	CHECK_STR(date_of("2010-12-01 25:00", DATE_YMD), "invalid");
	CHECK_STR(date_of("13/25/2020", DATE_MDY), "invalid");
	CHECK_STR(date_of("2010-12-01 08:26:00 junk", DATE_YMD), "invalid");
	CHECK_INT(date_styles_of("", 0), 0);
}

static void test_date_styles_narrow_ambiguous_columns(void)
{
	CHECK_INT(date_styles_of("5/6/2020", 8), DATE_MDY | DATE_DMY);
	CHECK_INT(date_styles_of("5/20/2020", 9), DATE_MDY);
	CHECK_INT(date_styles_of("20/5/2020", 9), DATE_DMY);
	CHECK_INT(date_styles_of("05.06.2020", 10), DATE_DMY); /* dots: day first */
	CHECK_INT(date_style_pick(DATE_MDY | DATE_DMY), DATE_MDY);
	CHECK_INT(date_style_from_name("dmy"), DATE_DMY);
	CHECK_STR(date_style_name(DATE_DMONY), "D-Mon-Y");
	CHECK_INT(date_style_from_name("yesterday"), 0);
}

static void test_days_since_epoch(void)
{
	struct datetime epoch = {1970, 1, 1, 0, 0, 0}, leap = {2000, 3, 1, 0, 0, 0};
	struct datetime before = {1969, 12, 31, 0, 0, 0};
	CHECK_INT(datetime_days(&epoch), 0);
	CHECK_INT(datetime_days(&leap), 11017);
	CHECK_INT(datetime_days(&before), -1);
}

int main(void)
{
	RUN(test_ints_accept_signs_groups_and_float_formatted_ids);
	RUN(test_amounts_are_exact_millionths_in_export_spellings);
	RUN(test_dates_in_every_supported_layout);
	RUN(test_impossible_dates_are_rejected);
	RUN(test_date_styles_narrow_ambiguous_columns);
	RUN(test_days_since_epoch);
	return check_summary();
}
