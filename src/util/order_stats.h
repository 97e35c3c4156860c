/* order_stats: order statistics of whole numbers without sorting them: the k-th
 * smallest by selection (linear time on average), and the median built on it. Both
 * reorder the array they are given. */
#ifndef CARTOGRAPH_ORDER_STATS_H
#define CARTOGRAPH_ORDER_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Reorders values[0..count) so that values[k] is the k-th smallest (from 0), none
 * before it larger and none after it smaller, and returns it; k < count. */
int64_t order_stats_select(int64_t *values, size_t count, size_t k);

/* The median of values[0..count) (the mean of the middle two for an even count); 0 for
 * none. Reorders values. */
double order_stats_median(int64_t *values, size_t count);

#endif
