/* churn: the `churn` model step, evaluated before it is trusted.
 *
 * A customer has churned at a snapshot when they place no order in the H days after it
 * (H = --horizon, default 90). With T the day after the data's last day:
 *   - train at T−2H, with labels from [T−2H, T−H); evaluate at T−H, labels [T−H, T);
 *   - models: churn_logreg (L2 logistic regression on the history, trend, regularity,
 *     season and BG/NBD features of churn_features.h), churn_bgnbd (BG/NBD's probability
 *     of no order in the horizon), churn_logreg_plain (the regression on eight plain
 *     measures, for comparison) and churn_recency (the regression on recency alone, the
 *     baseline); each gets roc_auc, pr_auc, brier, log_loss, accuracy, base_rate, n in
 *     model_metrics and its ROC and calibration curves in model_curves; a backtest one
 *     horizon earlier (train T−3H, evaluate T−2H) adds roc_auc_backtest when the data
 *     reach that far;
 *   - a regression applied to a later snapshot sees each feature clamped to the range
 *     its training rows covered: it never extrapolates;
 *   - the better of churn_logreg and churn_bgnbd by ROC-AUC (metric "chosen" = 1) scores
 *     every customer active at T: the regression refitted at T−H, whose labels are now
 *     known, or BG/NBD fitted at T. The list goes to churn_scores with a reason in words
 *     (churn_reasons.h).
 * Too short a history for the horizon (fewer than CHURN_MIN_CUSTOMERS customers, or one
 * outcome only, at the training or test snapshot) is not an error: the step says so in
 * its summary, changes nothing and returns 0, so `model all` goes on with the others. */
#ifndef CARTOGRAPH_CHURN_H
#define CARTOGRAPH_CHURN_H

#include "model/model_stage.h"

/* Customers, with both outcomes among them, a snapshot needs to train or test on. */
#define CHURN_MIN_CUSTOMERS 20

int model_churn(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		struct error *err);

#endif
