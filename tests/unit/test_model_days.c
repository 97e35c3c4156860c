/* Unit tests of the models' calendar: day numbers from and to dates across leap years
 * and before 1970, order times read from text, and weekdays. */
#include "check.h"

#include "model/model_days.h"

static void test_day_numbers_round_trip_through_dates(void)
{
	CHECK_INT(day_from_date(1970, 1, 1), 0);
	CHECK_INT(day_from_date(2000, 3, 1), 11017);
	CHECK_INT(day_from_date(2024, 3, 1) - day_from_date(2024, 2, 28), 2); /* leap day */
	CHECK_INT(day_from_date(2023, 3, 1) - day_from_date(2023, 2, 28), 1);
	CHECK_INT(day_from_date(1969, 12, 31), -1);
	char text[11];
	for (int64_t day = -800; day < 30000; day += 37) {
		day_to_text(day, text);
		int y, m, d;
		CHECK(sscanf(text, "%d-%d-%d", &y, &m, &d) == 3);
		CHECK_INT(day_from_date(y, m, d), day);
	}
	day_to_text(day_from_date(2011, 12, 10), text);
	CHECK_STR(text, "2011-12-10");
}

static void test_order_times_read_from_text(void)
{
	int64_t t;
	CHECK_INT(time_from_text("2011-12-09 12:50:00", &t), 0);
	CHECK_INT(t, day_from_date(2011, 12, 9) * SECONDS_PER_DAY + 12 * 3600 + 50 * 60);
	CHECK_INT(day_of_time(t), day_from_date(2011, 12, 9));
	CHECK_INT(time_from_text("2011-12-09", &t), 0);
	CHECK_INT(t, day_from_date(2011, 12, 9) * SECONDS_PER_DAY);
	CHECK_INT(time_from_text("2011-12-09T01:02:03", &t), 0);
	CHECK_INT(time_from_text("2011-13-09 00:00:00", &t), -1);
	CHECK_INT(time_from_text("9 Dec 2011", &t), -1);
	CHECK_INT(time_from_text("", &t), -1);
	CHECK_INT(time_from_text(NULL, &t), -1);
	CHECK_INT(day_of_time(-1), -1);
}

static void test_weekdays_count_from_monday(void)
{
	CHECK_INT(day_of_week(day_from_date(2024, 1, 1)), 0);  /* a Monday */
	CHECK_INT(day_of_week(day_from_date(2011, 12, 10)), 5); /* a Saturday */
	CHECK_INT(day_of_week(day_from_date(1969, 12, 28)), 6); /* a Sunday */
}

int main(void)
{
	RUN(test_day_numbers_round_trip_through_dates);
	RUN(test_order_times_read_from_text);
	RUN(test_weekdays_count_from_monday);
	return check_summary();
}
