/* model_days: day numbers from and to calendar dates (the civil-calendar algorithm that
 * counts 400-year eras of 146097 days from 0000-03-01), and order times read from text. */
#include "model/model_days.h"

#include <ctype.h>

int64_t day_from_date(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t year_of_era = y - era * 400;                          /* 0..399 */
	int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
			     day_of_year;                             /* 0..146096 */
	return era * 146097 + day_of_era - 719468;
}

/* Writes value (below 10^width) as width digits, zero-padded, as "%0*u" would. */
static void put_digits(char *out, unsigned value, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

void day_to_text(int64_t day, char out[11])
{
	int64_t z = day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
			       day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
					    year_of_era / 100);
	int64_t mp = (5 * day_of_year + 2) / 153;
	int d = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int64_t y = year_of_era + era * 400 + (m <= 2);
	put_digits(out, (unsigned)y % 10000u, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m % 100u, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d % 100u, 2);
	out[10] = '\0';
}

/* Reads exactly n digits at s into *value; returns 0 or -1. */
static int read_digits(const char *s, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return 0;
}

int time_from_text(const char *text, int64_t *seconds)
{
	int year, month, day, hour = 0, minute = 0, second = 0;
	if (!text || read_digits(text, 4, &year) || text[4] != '-' ||
	    read_digits(text + 5, 2, &month) || text[7] != '-' ||
	    read_digits(text + 8, 2, &day) || month < 1 || month > 12 || day < 1 || day > 31)
		return -1;
	if (text[10] == ' ' || text[10] == 'T') {
		if (read_digits(text + 11, 2, &hour) || text[13] != ':' ||
		    read_digits(text + 14, 2, &minute) || hour > 23 || minute > 59)
			return -1;
		if (text[16] == ':' && (read_digits(text + 17, 2, &second) || second > 60))
			return -1;
	} else if (text[10] != '\0') {
		return -1;
	}
	*seconds = day_from_date(year, month, day) * SECONDS_PER_DAY + hour * 3600 +
		   minute * 60 + second;
	return 0;
}

int64_t day_of_time(int64_t seconds)
{
	int64_t day = seconds / SECONDS_PER_DAY;
	return seconds % SECONDS_PER_DAY < 0 ? day - 1 : day;
}

int day_of_week(int64_t day)
{
	/* Day 0, 1970-01-01, was a Thursday (3 counting from Monday = 0). */
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}
