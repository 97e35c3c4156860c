/* order_stats: Hoare's selection with a three-way partition, so that runs of equal
 * values (a product sold by the dozen on most lines) end a round at once instead of
 * splitting it unevenly (see order_stats.h). The pivot is the median of three; a range
 * that still has not narrowed after MAX_ROUNDS is sorted. */
#include "util/order_stats.h"

#include <assert.h>
#include <stdlib.h>

/* Rounds of partitioning before the rest is sorted instead: a fair pivot halves the
 * range each round, so only a crafted order of values gets this far. */
#define MAX_ROUNDS 64

static void swap(int64_t *a, int64_t *b)
{
	int64_t t = *a;
	*a = *b;
	*b = t;
}

static int compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The median of the first, middle and last of values[lo..hi]. */
static int64_t pivot_of(const int64_t *values, size_t lo, size_t hi)
{
	int64_t a = values[lo], b = values[lo + (hi - lo) / 2], c = values[hi];
	if (a > b)
		swap(&a, &b);
	if (b > c)
		b = c;
	return a > b ? a : b;
}

int64_t order_stats_select(int64_t *values, size_t count, size_t k)
{
	assert(k < count);
	size_t lo = 0, hi = count - 1;
	for (int round = 0; lo < hi; round++) {
		if (round == MAX_ROUNDS) {
			qsort(values + lo, hi - lo + 1, sizeof *values, compare_int64);
			break;
		}
		/* values[lo..less) < pivot, [less..at) == pivot, [more..hi] > pivot */
		int64_t pivot = pivot_of(values, lo, hi);
		size_t less = lo, at = lo, more = hi + 1;
		while (at < more) {
			if (values[at] < pivot)
				swap(&values[less++], &values[at++]);
			else if (values[at] > pivot)
				swap(&values[at], &values[--more]);
			else
				at++;
		}
		if (k < less)
			hi = less - 1;
		else if (k >= more)
			lo = more;
		else
			return values[k];
	}
	return values[k];
}

double order_stats_median(int64_t *values, size_t count)
{
	if (!count)
		return 0;
	int64_t upper = order_stats_select(values, count, count / 2);
	if (count % 2)
		return (double)upper;
	/* everything before the middle is no larger than it: the lower middle is their
	 * largest */
	int64_t lower = values[0];
	for (size_t i = 1; i < count / 2; i++)
		lower = values[i] > lower ? values[i] : lower;
	return ((double)lower + (double)upper) / 2;
}
