/* model_days: the calendar arithmetic of the customer models. Order times in the typed
 * tables are text 'YYYY-MM-DD HH:MM:SS'; the models count in days since 1970-01-01 (the
 * "day number", proleptic Gregorian, no time zones: the times are the shop's own) and
 * in seconds since then for times within a day. A snapshot is midnight at the start of
 * a day, so "before the snapshot" means "on an earlier day". */
#ifndef CARTOGRAPH_MODEL_DAYS_H
#define CARTOGRAPH_MODEL_DAYS_H

#include <stdint.h>

#define SECONDS_PER_DAY 86400

/* The day number of a calendar date (month 1..12, day 1..31). */
int64_t day_from_date(int year, int month, int day);

/* Reads 'YYYY-MM-DD' optionally followed by ' HH:MM:SS' (or 'T') into seconds since
 * 1970-01-01 00:00:00. Returns 0, or -1 when the text is not such a time. */
int time_from_text(const char *text, int64_t *seconds);

/* The day a time in seconds falls on (rounding down, also before 1970). */
int64_t day_of_time(int64_t seconds);

/* Writes the date of a day number as 'YYYY-MM-DD' into out (11 bytes). */
void day_to_text(int64_t day, char out[11]);

/* The day of the week of a day number: 0 = Monday .. 6 = Sunday. */
int day_of_week(int64_t day);

#endif
