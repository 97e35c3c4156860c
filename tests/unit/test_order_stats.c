/* test_order_stats: selection gives the k-th smallest with the array split around it,
 * and the median agrees with the one read off a sorted copy, on random values (few
 * distinct ones, and many), on orders that trouble simple pivots, and at the edges. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/order_stats.h"
#include "util/rng.h"

static int compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static double median_of_sorted(const int64_t *v, size_t n)
{
	if (!n)
		return 0;
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/* Checks order_stats_select on a copy of values for every k: the value, the split
 * around it, and that the values are the same ones. */
static int select_is_right(const int64_t *values, size_t n)
{
	int64_t *sorted = malloc(n * sizeof *sorted), *work = malloc(n * sizeof *work);
	memcpy(sorted, values, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, compare_int64);
	int ok = 1;
	for (size_t k = 0; ok && k < n; k++) {
		memcpy(work, values, n * sizeof *work);
		int64_t got = order_stats_select(work, n, k);
		ok = got == sorted[k] && work[k] == got;
		for (size_t i = 0; ok && i < n; i++)
			ok = i < k ? work[i] <= got : work[i] >= got;
		qsort(work, n, sizeof *work, compare_int64);
		ok = ok && memcmp(work, sorted, n * sizeof *work) == 0;
	}
	free(sorted);
	free(work);
	return ok;
}

static int median_is_right(const int64_t *values, size_t n)
{
	int64_t *sorted = malloc((n ? n : 1) * sizeof *sorted), *work = malloc((n ? n : 1) * sizeof *work);
	memcpy(sorted, values, n * sizeof *sorted);
	memcpy(work, values, n * sizeof *work);
	qsort(sorted, n, sizeof *sorted, compare_int64);
	int ok = order_stats_median(work, n) == median_of_sorted(sorted, n);
	free(sorted);
	free(work);
	return ok;
}

static void test_selection_finds_every_rank_of_random_values(void)
{
	struct rng r;
	rng_seed(&r, 7);
	int64_t values[97];
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + rng_below(&r, 97);
		/* a third with only three distinct values, as quantities sold by the dozen */
		uint64_t spread = round % 3 == 0 ? 3 : round % 3 == 1 ? 50 : UINT64_MAX / 2;
		for (size_t i = 0; i < n; i++)
			values[i] = (int64_t)rng_below(&r, spread) - (int64_t)(spread / 2);
		CHECK(select_is_right(values, n));
		CHECK(median_is_right(values, n));
	}
}

static void test_medians_of_odd_even_and_no_counts(void)
{
	int64_t odd[] = {9, 1, 2}, even[] = {10, 3, 1, 2}, one[] = {-4};
	CHECK_NEAR(order_stats_median(odd, 3), 2, 0);
	CHECK_NEAR(order_stats_median(even, 4), 2.5, 0);
	CHECK_NEAR(order_stats_median(one, 1), -4, 0);
	CHECK_NEAR(order_stats_median(odd, 0), 0, 0);
	int64_t extremes[] = {INT64_MAX, INT64_MIN, INT64_MAX, INT64_MIN};
	CHECK(median_is_right(extremes, 4));
	CHECK(select_is_right(extremes, 4));
}

/* Sorted, reversed, all equal, organ pipe and sawtooth orders of 200,001 values. */
static void test_orders_that_trouble_simple_pivots(void)
{
	const size_t n = 200001;
	int64_t *v = malloc(n * sizeof *v);
	for (int shape = 0; shape < 5; shape++) {
		for (size_t i = 0; i < n; i++) {
			int64_t x = (int64_t)i;
			v[i] = shape == 0   ? x
			       : shape == 1 ? -x
			       : shape == 2 ? 12
			       : shape == 3 ? (i < n / 2 ? x : (int64_t)(n - i))
					    : x % 1000;
		}
		CHECK(median_is_right(v, n));
		CHECK(median_is_right(v, n - 1));
	}
	free(v);
}

int main(void)
{
	RUN(test_selection_finds_every_rank_of_random_values);
	RUN(test_medians_of_odd_even_and_no_counts);
	RUN(test_orders_that_trouble_simple_pivots);
	return check_summary();
}
