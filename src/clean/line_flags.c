/* line_flags: robust rules over all items: the data's date range from the quartiles of
 * the order dates, and per product the median and median absolute deviation (MAD) of
 * sale quantities. Medians, not means, so the very values being hunted (an 80,995-unit
 * line) cannot hide themselves by dragging the average up. */
#include "clean/line_flags.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/order_stats.h"
#include "util/xalloc.h"

#define DAY_SECONDS 86400
#define MIN_DATE_MARGIN (90 * DAY_SECONDS)
#define DATE_IQR_FACTOR 3


/* The dates a file's items may carry. */
struct date_range {
	int64_t lower, upper;      /* first and last second */
};

/* The range of n item times (in seconds, reordered): the quartiles widened by three
 * interquartile ranges, at least 90 days, on each side; --from/--to where given. */
static struct date_range range_of(int64_t *seconds, size_t n, const struct clean_rules *rules)
{
	struct date_range r;
	int64_t q3 = order_stats_select(seconds, n, (3 * n) / 4);
	/* the first quartile is among the times before the third */
	int64_t q1 = order_stats_select(seconds, (3 * n) / 4 + 1, n / 4);
	int64_t margin = DATE_IQR_FACTOR * (q3 - q1);
	if (margin < MIN_DATE_MARGIN)
		margin = MIN_DATE_MARGIN;
	r.lower = rules->has_from ? rules->date_from : q1 - margin;
	r.upper = rules->has_to ? rules->date_to : q3 + margin;
	return r;
}

/* Works out each file's range from its own items, so that files of different years in
 * one warehouse do not judge each other, and notes them in the log. */
static struct date_range *date_ranges(const struct line_set *set, const struct source_runs *runs,
				      const struct clean_rules *rules, struct dq_log *log)
{
	struct date_range *ranges = xcalloc(runs->count ? runs->count : 1, sizeof *ranges);
	size_t *start = xcalloc((size_t)runs->count + 1, sizeof *start);
	for (size_t i = 0; i < set->count; i++)
		if (set->line[i].kind == LINE_ITEM)
			start[set->line[i].run + 1]++;
	for (uint32_t r = 0; r < runs->count; r++)
		start[r + 1] += start[r];
	int64_t *times = xmalloc((start[runs->count] ? start[runs->count] : 1) * sizeof *times);
	size_t *next = xmalloc(((size_t)runs->count + 1) * sizeof *next);
	memcpy(next, start, ((size_t)runs->count + 1) * sizeof *next);
	for (size_t i = 0; i < set->count; i++)
		if (set->line[i].kind == LINE_ITEM)
			times[next[set->line[i].run]++] = line_seconds(set, &set->line[i]);
	for (uint32_t r = 0; r < runs->count; r++) {
		size_t n = start[r + 1] - start[r];
		char from[11], to[11];
		if (!n)
			continue;
		ranges[r] = range_of(times + start[r], n, rules);
		seconds_to_day(ranges[r].lower, from);
		seconds_to_day(ranges[r].upper, to);
		dq_note(log, DQ_DATE_OUT_OF_RANGE, "%s: %s to %s.", runs->run[r].file_name, from, to);
	}
	free(next);
	free(times);
	free(start);
	return ranges;
}

static void flag_dates(struct line_set *set, const struct source_runs *runs,
		       const struct clean_rules *rules, struct dq_log *log)
{
	dq_note(log, DQ_DATE_OUT_OF_RANGE, "Ranges used (%s):",
		rules->has_from || rules->has_to ? "--from/--to" : "per file, from its dates");
	struct date_range *ranges = date_ranges(set, runs, rules, log);
	for (size_t i = 0; i < set->count; i++) {
		struct order_line *l = &set->line[i];
		if (l->kind != LINE_ITEM)
			continue;
		int64_t time = line_seconds(set, l);
		if (time > rules->now) {
			l->flags |= ITEM_DATE_OUT_OF_RANGE;
			line_dq_count(log, DQ_DATE_IN_FUTURE, set, l);
		} else if (time < ranges[l->run].lower || time > ranges[l->run].upper) {
			l->flags |= ITEM_DATE_OUT_OF_RANGE;
			line_dq_count(log, DQ_DATE_OUT_OF_RANGE, set, l);
		}
	}
	free(ranges);
}

/* A line whose quantity says something about how the product sells. */
static int is_quantity_sample(const struct line_set *set, const struct order_line *l)
{
	return !(l->flags & (ITEM_PRICE_NOT_POSITIVE | ITEM_QUANTITY_ZERO | ITEM_RETURN)) &&
	       line_quantity(set, l) > 0;
}

/* Flags the outliers among one product's lines. quantities and deviations are
 * scratch arrays with room for every line of the product. */
static void flag_product_outliers(struct line_set *set, const uint32_t *lines, size_t count,
				  const struct clean_rules *rules, int64_t *quantities,
				  int64_t *deviations, struct dq_log *log)
{
	size_t n = 0;
	for (size_t k = 0; k < count; k++)
		if (is_quantity_sample(set, &set->line[lines[k]]))
			quantities[n++] = line_quantity(set, &set->line[lines[k]]);
	if (n < (size_t)rules->outlier_min_lines)
		return;
	double median = order_stats_median(quantities, n);
	for (size_t k = 0; k < n; k++) {
		/* (in any order) twice the deviation keeps a half-unit median exact in integers */
		double d = 2 * ((double)quantities[k] - median);
		deviations[k] = (int64_t)(d < 0 ? -d : d);
	}
	double mad = order_stats_median(deviations, n) / 2;
	double limit = median + rules->outlier_k * (mad < 1 ? 1 : mad);
	for (size_t k = 0; k < count; k++) {
		struct order_line *l = &set->line[lines[k]];
		if (is_quantity_sample(set, l) && (double)line_quantity(set, l) > limit) {
			l->flags |= ITEM_QUANTITY_OUTLIER;
			line_dq_count(log, DQ_QUANTITY_OUTLIER, set, l);
		}
	}
}

static void flag_outliers(struct line_set *set, const struct clean_rules *rules,
			  struct dq_log *log)
{
	struct line_groups products;
	line_groups_build(&products, set, offsetof(struct order_line, product_id), 1);
	size_t largest = line_groups_largest(&products);
	int64_t *quantities = xmalloc(largest * sizeof *quantities);
	int64_t *deviations = xmalloc(largest * sizeof *deviations);
	for (uint32_t h = 0; h < products.handles; h++)
		flag_product_outliers(set, products.lines + products.start[h],
				      products.start[h + 1] - products.start[h], rules, quantities,
				      deviations, log);
	free(quantities);
	free(deviations);
	line_groups_free(&products);
	dq_note(log, DQ_QUANTITY_OUTLIER, "k = %g; products need %d sale lines to be judged.",
		rules->outlier_k, rules->outlier_min_lines);
}

void line_flags_mark(struct line_set *set, const struct source_runs *runs,
		     const struct clean_rules *rules, struct dq_log *log)
{
	flag_dates(set, runs, rules, log);
	flag_outliers(set, rules, log);
}
