/* calendar: date arithmetic, the demand curve and the daily split of order lines. */
#include "gen/calendar.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

/* Days from 1970-01-01 to a civil date, by counting whole 400-year eras (146097 days)
 * in a calendar that starts on March 1st so that the leap day falls at the end. */
static long days_since_epoch(int year, int month, int mday)
{
	long y = year - (month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long year_of_era = y - era * 400;                               /* 0..399 */
	long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

static long first_day_since_epoch(void)
{
	return days_since_epoch(2024, 1, 1);
}

long calendar_day_of(int year, int month, int mday)
{
	return days_since_epoch(year, month, mday) - first_day_since_epoch();
}

struct civil_date calendar_date_of(long day)
{
	long z = day + first_day_since_epoch() + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long day_of_era = z - era * 146097;
	long year_of_era =
		(day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	long mp = (5 * day_of_year + 2) / 153; /* month counted from March */
	struct civil_date d;
	d.mday = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(year_of_era + era * 400 + (d.month <= 2));
	return d;
}

int calendar_weekday(long day)
{
	/* 2024-01-01 was a Monday. */
	long w = day % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void calendar_format_date(long day, char out[11])
{
	struct civil_date d = calendar_date_of(day);
	assert(d.year >= 1000 && d.year <= 9999);
	put2(out, d.year / 100);
	put2(out + 2, d.year % 100);
	out[4] = '-';
	put2(out + 5, d.month);
	out[7] = '-';
	put2(out + 8, d.mday);
	out[10] = '\0';
}

void calendar_format_moment(int64_t moment, char out[MOMENT_TEXT_SIZE])
{
	int64_t day = moment / SECONDS_PER_DAY;
	int64_t second = moment % SECONDS_PER_DAY;
	if (second < 0) {
		second += SECONDS_PER_DAY;
		day--;
	}
	calendar_format_date((long)day, out);
	out[10] = ' ';
	put2(out + 11, (int)(second / 3600));
	out[13] = ':';
	put2(out + 14, (int)(second / 60 % 60));
	out[16] = ':';
	put2(out + 17, (int)(second % 60));
	out[19] = '\0';
}

/* A day that is not like the others: sales, and one afternoon the site was down. */
struct special_day {
	int year, month, mday;
	double demand;    /* multiplies the ordinary demand */
	int discount;     /* shop-wide discount in percent, 0 for none */
};

static const struct special_day special_days[] = {
	{2024, 3, 21, 2.6, 20},  /* spring sale */
	{2024, 7, 16, 2.4, 25},  /* summer sale */
	{2024, 11, 29, 3.5, 30}, /* Black Friday */
	{2024, 12, 2, 2.6, 25},  /* Cyber Monday */
	{2025, 3, 20, 2.6, 20},  /* spring sale */
	{2025, 5, 14, 0.3, 0},   /* site outage */
	{2025, 7, 15, 2.5, 25},  /* summer sale */
	{2025, 11, 28, 3.6, 30}, /* Black Friday */
	{2025, 12, 1, 2.7, 25},  /* Cyber Monday */
};

static const struct special_day *special_day_of(long day)
{
	struct civil_date d = calendar_date_of(day);
	for (size_t i = 0; i < sizeof special_days / sizeof special_days[0]; i++) {
		const struct special_day *s = &special_days[i];
		if (s->year == d.year && s->month == d.month && s->mday == d.mday)
			return s;
	}
	return NULL;
}

int calendar_promotion_discount(long day)
{
	const struct special_day *s = special_day_of(day);
	return s ? s->discount : 0;
}

/* The season at mid-month, January to December: a dip after the holidays, a summer
 * lull, a climb through the autumn to the December peak. */
static const double month_demand[12] = {0.86, 0.88, 0.96, 0.97, 0.95, 0.88,
					0.76, 0.79, 0.95, 1.05, 1.38, 1.62};

/* Season of a date, interpolated between mid-months so that it moves smoothly. */
static double season(struct civil_date d)
{
	if (d.month == 12 && d.mday >= 24) /* Christmas falls off a cliff, then a small rush */
		return d.mday == 24 ? 1.0 : d.mday == 25 ? 0.45 : d.mday == 26 ? 1.25 : 0.95;
	double pos = d.month - 1 + (d.mday - 15.5) / 30.5; /* months since mid-January */
	int lo = (int)floor(pos);
	double t = pos - lo;
	double a = month_demand[(lo + 12) % 12], b = month_demand[(lo + 13) % 12];
	return a + (b - a) * t;
}

/* Monday .. Sunday: weekdays busier than the weekend. */
static const double weekday_demand[7] = {1.06, 1.02, 1.0, 1.02, 0.95, 0.76, 0.84};

double calendar_demand(long day)
{
	double trend = 1.0 + 0.6 * (double)day / (CALENDAR_DAYS - 1); /* the shop grows */
	const struct special_day *s = special_day_of(day);
	double demand = trend * season(calendar_date_of(day)) * weekday_demand[calendar_weekday(day)];
	return s ? demand * s->demand : demand;
}

struct remainder {
	double part; /* the fraction a day lost when its share was rounded down */
	int day;
};

static int larger_remainder_first(const void *a, const void *b)
{
	const struct remainder *x = a, *y = b;
	if (x->part != y->part)
		return x->part < y->part ? 1 : -1;
	return x->day - y->day;
}

void calendar_split(uint64_t total, struct rng *r, uint64_t quota[CALENDAR_DAYS])
{
	double weight[CALENDAR_DAYS], sum = 0;
	for (int d = 0; d < CALENDAR_DAYS; d++) {
		weight[d] = calendar_demand(d) * exp(0.07 * rng_normal(r));
		sum += weight[d];
	}
	struct remainder *rest = xmalloc(sizeof *rest * CALENDAR_DAYS);
	uint64_t given = 0;
	for (int d = 0; d < CALENDAR_DAYS; d++) {
		double share = (double)total * weight[d] / sum;
		quota[d] = (uint64_t)floor(share);
		given += quota[d];
		rest[d].part = share - floor(share);
		rest[d].day = d;
	}
	qsort(rest, CALENDAR_DAYS, sizeof *rest, larger_remainder_first);
	/* Rounding lost less than one per day; give the lines back where most was lost. */
	for (int i = 0; given < total; i = (i + 1) % CALENDAR_DAYS, given++)
		quota[rest[i].day]++;
	while (given > total) { /* guards against floating error the other way */
		for (int d = CALENDAR_DAYS - 1; d >= 0 && given > total; d--)
			if (quota[d])
				quota[d]--, given--;
	}
	free(rest);
}

/* Orders per hour of the day, midnight to 23:00. */
static const double hourly_demand[24] = {0.30, 0.20, 0.14, 0.10, 0.10, 0.15, 0.30, 0.60,
					 0.90, 1.10, 1.20, 1.25, 1.30, 1.20, 1.15, 1.10,
					 1.10, 1.20, 1.40, 1.60, 1.70, 1.50, 1.00, 0.60};

int calendar_draw_second(struct rng *r)
{
	double sum = 0;
	for (int h = 0; h < 24; h++)
		sum += hourly_demand[h];
	double u = rng_uniform(r) * sum;
	int hour = 0;
	while (hour < 23 && u >= hourly_demand[hour])
		u -= hourly_demand[hour++];
	return hour * 3600 + (int)rng_below(r, 3600);
}
