/* calendar: the days of the synthetic shop and how busy each one is.
 *
 * The one idea: a day is a number counted from 2024-01-01 (day 0) to 2025-12-31 (day
 * 730), and a moment is seconds since the start of day 0. Days before 0 exist too (the
 * customers who signed up before the data starts). Demand on a day is the product of a
 * growth trend, the season (a summer dip, a Q4 and pre-Christmas peak), the weekly rhythm
 * (weekends are quieter) and a few promotion days that spike and one outage that dips. */
#ifndef CARTOGRAPH_GEN_CALENDAR_H
#define CARTOGRAPH_GEN_CALENDAR_H

#include <stdint.h>

#include "util/rng.h"

enum {
	CALENDAR_DAYS = 731,      /* 2024-01-01 .. 2025-12-31 */
	SECONDS_PER_DAY = 86400,
	MOMENT_TEXT_SIZE = 20     /* "YYYY-MM-DD HH:MM:SS" and its NUL */
};

struct civil_date {
	int year;  /* e.g. 2024 */
	int month; /* 1..12 */
	int mday;  /* 1..31 */
};

/* The day number of a date (any proleptic Gregorian date; earlier dates are negative). */
long calendar_day_of(int year, int month, int mday);
/* The date of a day number. */
struct civil_date calendar_date_of(long day);
/* 0 for Monday .. 6 for Sunday. */
int calendar_weekday(long day);
/* Writes "YYYY-MM-DD HH:MM:SS" for a moment (seconds since day 0, may be negative). */
void calendar_format_moment(int64_t moment, char out[MOMENT_TEXT_SIZE]);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void calendar_format_date(long day, char out[11]);

/* How busy the shop is on a day, relative to an ordinary weekday at the start. */
double calendar_demand(long day);
/* The shop-wide discount (percent) of a promotion day, or 0 on other days. */
int calendar_promotion_discount(long day);
/* Splits total over the CALENDAR_DAYS days in proportion to demand with a little daily
 * noise; the parts in quota[] add up to total exactly. */
void calendar_split(uint64_t total, struct rng *r, uint64_t quota[CALENDAR_DAYS]);
/* A second of the day (0..86399) drawn from the shop's hourly rhythm (quiet nights,
 * busy evenings). */
int calendar_draw_second(struct rng *r);

#endif
