/* model_figures: how a model step records what it measured. Every figure a model is
 * judged by goes into model_metrics as (model, metric, value, detail), and every curve
 * drawn from it (ROC, calibration, silhouette by k) into model_curves as numbered
 * (x, y, n) points; a step first clears its own model's rows so a rerun replaces them.
 * All writes happen inside the caller's transaction. */
#ifndef CARTOGRAPH_MODEL_FIGURES_H
#define CARTOGRAPH_MODEL_FIGURES_H

#include <sqlite3.h>
#include <stddef.h>

#include "model/metrics.h"
#include "util/error.h"

/* Deletes the model's rows from model_metrics and model_curves. */
int figures_clear(sqlite3 *db, const char *model, struct error *err);

/* Stores one figure; a NAN or infinite value is stored as NULL. detail may be NULL. */
int figures_put(sqlite3 *db, const char *model, const char *metric, double value,
		const char *detail, struct error *err);

/* One point of a curve; n < 0 stores NULL. */
int figures_put_point(sqlite3 *db, const char *model, const char *curve, int seq, double x,
		      double y, long long n, struct error *err);

/* The binary-outcome figures of a model: roc_auc, pr_auc, brier, log_loss, accuracy,
 * base_rate, n and positives into model_metrics (each with detail), the ROC points
 * (curve 'roc') and the calibration bins (curve 'calibration', seq = the bin 0..9 of
 * predicted probability [seq/10, (seq+1)/10), x = mean predicted, y = observed rate,
 * n = rows; empty bins left out) into model_curves. */
int figures_put_binary(sqlite3 *db, const char *model, const double *prob,
		       const int *label, size_t n, const char *detail, struct error *err);

#endif
