/* auc: ROC AUC by ranks (tied scores share their average rank) and plain accuracy. */
#include "model/auc.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

/* One item while ranking. */
struct ranked {
	double score;    /* the model's score */
	int is_positive; /* the true class */
};

static int compare_score(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->score, y = ((const struct ranked *)b)->score;
	return (x > y) - (x < y);
}

double auc_roc(const double *scores, const int *is_positive, size_t n)
{
	struct ranked *items = xmalloc((n ? n : 1) * sizeof *items);
	double positives = 0;
	for (size_t i = 0; i < n; i++) {
		assert(!isnan(scores[i]));
		items[i].score = scores[i];
		items[i].is_positive = is_positive[i] != 0;
		positives += items[i].is_positive;
	}
	double negatives = (double)n - positives;
	double auc = NAN;
	if (positives == 0 || negatives == 0)
		goto done;
	qsort(items, n, sizeof *items, compare_score);
	double positive_rank_sum = 0;
	for (size_t start = 0, end; start < n; start = end) {
		size_t tied_positives = 0;
		for (end = start; end < n && items[end].score == items[start].score; end++)
			tied_positives += (size_t)items[end].is_positive;
		double average_rank = ((double)start + 1 + (double)end) / 2; /* ranks from 1 */
		positive_rank_sum += average_rank * (double)tied_positives;
	}
	auc = (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
	assert(auc >= 0 && auc <= 1);
done:
	free(items);
	return auc;
}

double auc_accuracy_at(const double *scores, const int *is_positive, size_t n,
		       double threshold)
{
	if (n == 0)
		return NAN;
	size_t right = 0;
	for (size_t i = 0; i < n; i++)
		right += (scores[i] >= threshold) == (is_positive[i] != 0);
	return (double)right / (double)n;
}
