/* churn: snapshots, the four models on the same split, the choice, and the risk list. */
#include "model/churn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/churn_dataset.h"
#include "model/churn_reasons.h"
#include "model/linalg.h"
#include "model/logreg.h"
#include "model/metrics.h"
#include "model/model_days.h"
#include "model/model_figures.h"
#include "model/rfm.h"
#include "util/xalloc.h"

enum { SNAP_BACKTEST, SNAP_TRAIN, SNAP_TEST, SNAP_NOW, SNAPSHOTS };

/* The logistic regressions, by feature set. */
enum { REG_FULL, REG_PLAIN, REG_RECENCY, REGRESSIONS };

static const char *const regression_names[REGRESSIONS] = {
	"churn_logreg", "churn_logreg_plain", "churn_recency"};
#define BGNBD_MODEL "churn_bgnbd"

static void regression_set(int which, const enum churn_feature **set, size_t *p)
{
	switch (which) {
	case REG_FULL: *set = churn_model_features; *p = churn_model_feature_count; break;
	case REG_PLAIN: *set = churn_plain_features; *p = churn_plain_feature_count; break;
	default: *set = churn_recency_features; *p = churn_recency_feature_count; break;
	}
}

/* Enough customers with both outcomes at snapshot k to train or test on. */
static int snapshot_usable(const struct churn_dataset *d, int k)
{
	return d->active[k] >= CHURN_MIN_CUSTOMERS && d->churned[k] > 0 &&
	       d->churned[k] < d->active[k];
}

/* Keeps each feature of the applied rows within the range the training rows covered, so
 * a model never extrapolates a line it fitted to values it never saw (a window the
 * training snapshot's data did not reach, a measure far beyond any seen). */
static void clamp_to_training_range(const struct churn_rows *train, struct churn_rows *apply)
{
	for (size_t j = 0; j < train->p; j++) {
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < train->n; i++) {
			lo = fmin(lo, train->x[i * train->p + j]);
			hi = fmax(hi, train->x[i * train->p + j]);
		}
		for (size_t i = 0; i < apply->n; i++) {
			double *v = &apply->x[i * apply->p + j];
			*v = fmin(fmax(*v, lo), hi);
		}
	}
}

/* One regression trained at snapshot `train` and applied at `apply`: prob receives one
 * probability per active customer there (in the rows' order). */
static int fit_and_apply(const struct churn_dataset *d, int which, int train, int apply,
			 struct logreg_model *model, struct churn_rows *applied,
			 double **prob, struct error *err)
{
	const enum churn_feature *set;
	size_t p;
	regression_set(which, &set, &p);
	struct churn_rows rows;
	churn_rows_at(d, train, set, p, &rows);
	int rc = logreg_fit(rows.x, rows.y, rows.n, p, NULL, model, err);
	if (rc < 0) {
		churn_rows_free(&rows);
		error_prefix(err, "%s", regression_names[which]);
		return rc;
	}
	churn_rows_at(d, apply, set, p, applied);
	clamp_to_training_range(&rows, applied);
	*prob = xmalloc((applied->n ? applied->n : 1) * sizeof **prob);
	logreg_predict_rows(model, applied->x, applied->n, *prob);
	churn_rows_free(&rows);
	return 0;
}

/* Describes the split for the detail column. */
static void split_detail(const struct churn_dataset *d, int train, int test, char *out,
			 size_t size)
{
	char a[11], b[11];
	day_to_text(d->snapshot_day[train], a);
	day_to_text(d->snapshot_day[test], b);
	snprintf(out, size, "trained at %s on %zu customers, tested at %s on %zu; churned = "
		 "no order in the %d days after", a, d->active[train], b, d->active[test],
		 d->horizon_days);
}

/* The evaluation of every model on the split train → test; roc_auc[] receives each
 * model's ROC-AUC (regressions first, then BG/NBD). With `record` the figures and curves
 * are stored; otherwise (the backtest) only roc_auc_backtest is. */
static int evaluate_split(sqlite3 *db, const struct churn_dataset *d, int train, int test,
			  int record, double roc_auc[REGRESSIONS + 1], struct error *err)
{
	char detail[256];
	split_detail(d, train, test, detail, sizeof detail);
	int rc = 0;
	for (int which = 0; which < REGRESSIONS && rc == 0; which++) {
		struct logreg_model model;
		struct churn_rows rows;
		double *prob;
		if ((rc = fit_and_apply(d, which, train, test, &model, &rows, &prob, err)) < 0)
			break;
		roc_auc[which] = metrics_roc_auc(prob, rows.y, rows.n);
		if (record) {
			rc = figures_put_binary(db, regression_names[which], prob, rows.y, rows.n,
						detail, err);
			for (size_t j = 0; j < model.n_features && rc == 0 && which == REG_FULL; j++) {
				char metric[64];
				snprintf(metric, sizeof metric, "coef_%s",
					 churn_feature_names[churn_model_features[j]]);
				rc = figures_put(db, regression_names[which], metric,
						 model.coef_std[j], "log-odds of churn per standard "
						 "deviation, at the training snapshot", err);
			}
		} else {
			rc = figures_put(db, regression_names[which], "roc_auc_backtest",
					 roc_auc[which], detail, err);
		}
		free(prob);
		churn_rows_free(&rows);
		logreg_model_free(&model);
	}
	if (rc < 0)
		return rc;
	struct churn_rows rows;
	churn_rows_at(d, test, NULL, 0, &rows);
	roc_auc[REGRESSIONS] = d->bgnbd_fitted[test]
				       ? metrics_roc_auc(rows.p_no_order, rows.y, rows.n) : NAN;
	if (!d->bgnbd_fitted[test])
		rc = 0;
	else if (record)
		rc = figures_put_binary(db, BGNBD_MODEL, rows.p_no_order, rows.y, rows.n,
					detail, err);
	else
		rc = figures_put(db, BGNBD_MODEL, "roc_auc_backtest", roc_auc[REGRESSIONS],
				 detail, err);
	churn_rows_free(&rows);
	return rc;
}

/* The risk of every customer active at T from the chosen model; risk[] gets one value
 * per row of `rows` (active at T, customer order). */
static int score_now(const struct churn_dataset *d, int use_bgnbd, struct churn_rows *rows,
		     double **risk, struct error *err)
{
	if (use_bgnbd) {
		churn_rows_at(d, SNAP_NOW, NULL, 0, rows);
		*risk = xmalloc((rows->n ? rows->n : 1) * sizeof **risk);
		memcpy(*risk, rows->p_no_order, rows->n * sizeof **risk);
		return 0;
	}
	struct logreg_model model;
	int rc = fit_and_apply(d, REG_FULL, SNAP_TEST, SNAP_NOW, &model, rows, risk, err);
	if (rc == 0)
		logreg_model_free(&model);
	return rc;
}

static int write_scores(sqlite3 *db, const struct churn_dataset *d,
			const struct churn_rows *rows, const double *risk, const char *model,
			struct error *err)
{
	struct sort_entry *order = xmalloc((rows->n ? rows->n : 1) * sizeof *order);
	for (size_t r = 0; r < rows->n; r++)
		order[r] = (struct sort_entry){-risk[r], (int64_t)r, r};
	sort_entries(order, rows->n);
	sqlite3_stmt *stmt;
	int rc = db_prepare(db, "INSERT INTO churn_scores (customer_id, risk, risk_rank, model,"
				" reason, days_since_order, usual_gap_days, expected_orders)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &stmt, err);
	struct buf reason = BUF_INIT;
	for (size_t rank = 0; rank < rows->n && rc == 0; rank++) {
		size_t r = order[rank].index, i = rows->customer[r];
		const struct churn_summary *s = churn_dataset_at(d, i, SNAP_NOW);
		buf_reset(&reason);
		churn_reason(s, d->horizon_days, &reason);
		sqlite3_bind_text(stmt, 1, d->customer_ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_double(stmt, 2, risk[r]);
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64)rank + 1);
		sqlite3_bind_text(stmt, 4, model, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, buf_str(&reason), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 6, s->recency_days);
		if (s->order_days > 1)
			sqlite3_bind_double(stmt, 7, s->mean_gap_days);
		else
			sqlite3_bind_null(stmt, 7);
		if (d->bgnbd_fitted[SNAP_NOW])
			sqlite3_bind_double(stmt, 8, s->expected_orders);
		else
			sqlite3_bind_null(stmt, 8);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing churn_scores");
		sqlite3_reset(stmt);
	}
	buf_free(&reason);
	sqlite3_finalize(stmt);
	free(order);
	return rc;
}

static int clear_figures(sqlite3 *db, struct error *err)
{
	for (int which = 0; which < REGRESSIONS; which++)
		if (figures_clear(db, regression_names[which], err) < 0)
			return ERR_SYSTEM;
	if (figures_clear(db, BGNBD_MODEL, err) < 0)
		return ERR_SYSTEM;
	return db_exec(db, "DELETE FROM churn_scores", err);
}

/* Says why the models were not fitted: too few customers or one outcome only. */
static void not_enough_history(const struct churn_dataset *d, struct buf *summary)
{
	char a[11], b[11];
	day_to_text(d->snapshot_day[SNAP_TRAIN], a);
	day_to_text(d->snapshot_day[SNAP_TEST], b);
	buf_printf(summary, "churn: skipped: not enough history for a %d-day churn horizon: it "
		   "would train at %s (%zu active customers, %zu churned) and test at %s (%zu, "
		   "%zu churned); each needs %d customers and both outcomes (try a shorter "
		   "--horizon); the previous results are kept\n", d->horizon_days, a,
		   d->active[SNAP_TRAIN], d->churned[SNAP_TRAIN], b, d->active[SNAP_TEST],
		   d->churned[SNAP_TEST], CHURN_MIN_CUSTOMERS);
}

static void summarise(const struct churn_dataset *d, const double *auc, const char *chosen,
		      size_t scored, size_t above_half, struct buf *summary)
{
	char a[11], b[11];
	day_to_text(d->snapshot_day[SNAP_TRAIN], a);
	day_to_text(d->snapshot_day[SNAP_TEST], b);
	buf_printf(summary, "churn: %d-day horizon; trained at %s (%zu customers, %.0f%% "
		   "churned), tested at %s (%zu customers, %.0f%% churned)\n", d->horizon_days,
		   a, d->active[SNAP_TRAIN],
		   100.0 * (double)d->churned[SNAP_TRAIN] / (double)d->active[SNAP_TRAIN], b,
		   d->active[SNAP_TEST],
		   100.0 * (double)d->churned[SNAP_TEST] / (double)d->active[SNAP_TEST]);
	buf_printf(summary, "churn: ROC-AUC %.3f logistic, %.3f BG/NBD, %.3f plain logistic, "
		   "%.3f recency only\n", auc[REG_FULL], auc[REGRESSIONS], auc[REG_PLAIN],
		   auc[REG_RECENCY]);
	buf_printf(summary, "churn: %zu active customers scored with %s; %zu at over 50%% "
		   "risk\n", scored, chosen, above_half);
}

int model_churn(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		struct error *err)
{
	struct churn_dataset d = {0};
	struct churn_rows now = {0};
	double *risk = NULL;
	int64_t last_day;
	int rc = rfm_data_last_day(db, &last_day, err);
	if (rc < 0)
		return rc;
	int64_t h = opt->horizon_days, t = last_day + 1;
	int64_t days[SNAPSHOTS] = {t - 3 * h, t - 2 * h, t - h, t};
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	const struct order_book *book = NULL;
	if ((rc = model_book_borrow(db, opt, &book, err)) < 0)
		goto done;
	rc = churn_dataset_build(book, days, SNAPSHOTS, opt->horizon_days, &d, err);
	model_book_return(opt, book);
	if (rc < 0)
		goto done;
	if (!snapshot_usable(&d, SNAP_TRAIN) || !snapshot_usable(&d, SNAP_TEST)) {
		not_enough_history(&d, summary);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto done;
	}
	double auc[REGRESSIONS + 1], backtest[REGRESSIONS + 1];
	if ((rc = clear_figures(db, err)) < 0 ||
	    (rc = evaluate_split(db, &d, SNAP_TRAIN, SNAP_TEST, 1, auc, err)) < 0)
		goto done;
	if (snapshot_usable(&d, SNAP_BACKTEST) &&
	    (rc = evaluate_split(db, &d, SNAP_BACKTEST, SNAP_TRAIN, 0, backtest, err)) < 0)
		goto done;
	int use_bgnbd = auc[REGRESSIONS] > auc[REG_FULL];
	const char *chosen = use_bgnbd ? BGNBD_MODEL : regression_names[REG_FULL];
	if ((rc = figures_put(db, regression_names[REG_FULL], "chosen", !use_bgnbd,
			      "1 when it scores the risk list", err)) < 0 ||
	    (rc = figures_put(db, BGNBD_MODEL, "chosen", use_bgnbd,
			      "1 when it scores the risk list", err)) < 0 ||
	    (rc = score_now(&d, use_bgnbd, &now, &risk, err)) < 0 ||
	    (rc = write_scores(db, &d, &now, risk, chosen, err)) < 0 ||
	    (rc = db_exec(db, "COMMIT", err)) < 0)
		goto done;
	size_t above_half = 0;
	for (size_t r = 0; r < now.n; r++)
		above_half += risk[r] > 0.5;
	summarise(&d, auc, chosen, now.n, above_half, summary);
done:
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	free(risk);
	churn_rows_free(&now);
	churn_dataset_free(&d);
	return rc;
}
