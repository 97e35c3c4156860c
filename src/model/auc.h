/* auc: the two figures the review sentiment models are judged by on held-out reviews:
 * accuracy at a threshold and the area under the ROC curve. Deliberately minimal; scores
 * are any real numbers where higher means "more likely positive" (never NaN). */
#ifndef CARTOGRAPH_AUC_H
#define CARTOGRAPH_AUC_H

#include <stddef.h>

/* Returns the ROC AUC of scores against is_positive (1 or 0 per item): the chance that a
 * random positive item scores above a random negative one, ties counting one half (the
 * Mann-Whitney statistic with average ranks). NAN when either class is missing. */
double auc_roc(const double *scores, const int *is_positive, size_t n);

/* Returns the share of items where (score >= threshold) agrees with is_positive; NAN
 * when n is 0. */
double auc_accuracy_at(const double *scores, const int *is_positive, size_t n,
		       double threshold);

#endif
