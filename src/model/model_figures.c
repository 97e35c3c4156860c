/* model_figures: rows of model_metrics and model_curves, written through prepared
 * statements inside the calling step's transaction. */
#include "model/model_figures.h"

#include <math.h>
#include <stdlib.h>

#include "db/db.h"

int figures_clear(sqlite3 *db, const char *model, struct error *err)
{
	static const char *const sql[] = {
		"DELETE FROM model_metrics WHERE model = ?1",
		"DELETE FROM model_curves WHERE model = ?1",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *stmt;
		if (db_prepare(db, sql[i], &stmt, err) < 0)
			return ERR_SYSTEM;
		sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
		int rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, "clearing model figures");
	}
	return 0;
}

int figures_put(sqlite3 *db, const char *model, const char *metric, double value,
		const char *detail, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT OR REPLACE INTO model_metrics (model, metric, value, detail)"
			   " VALUES (?1, ?2, ?3, ?4)", &stmt, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, metric, -1, SQLITE_STATIC);
	if (isfinite(value))
		sqlite3_bind_double(stmt, 3, value);
	if (detail)
		sqlite3_bind_text(stmt, 4, detail, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "storing a model figure");
}

int figures_put_point(sqlite3 *db, const char *model, const char *curve, int seq, double x,
		      double y, long long n, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT OR REPLACE INTO model_curves (model, curve, seq, x, y, n)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &stmt, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, curve, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, seq);
	sqlite3_bind_double(stmt, 4, x);
	sqlite3_bind_double(stmt, 5, y);
	if (n >= 0)
		sqlite3_bind_int64(stmt, 6, n);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "storing a curve point");
}

static int put_curves(sqlite3 *db, const char *model, const double *prob, const int *label,
		      size_t n, const struct binary_metrics *m, struct error *err)
{
	size_t count = 0;
	struct roc_point *roc = metrics_roc_curve(prob, label, n, ROC_MAX_POINTS, &count);
	int rc = 0;
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = figures_put_point(db, model, "roc", (int)i, roc[i].false_positive_rate,
				       roc[i].true_positive_rate, -1, err);
	free(roc);
	for (int b = 0; b < CALIBRATION_BINS && rc == 0; b++) {
		const struct calibration_bin *bin = &m->calibration[b];
		if (bin->count)
			rc = figures_put_point(db, model, "calibration", b, bin->mean_predicted,
					       bin->observed_rate, (long long)bin->count, err);
	}
	return rc;
}

int figures_put_binary(sqlite3 *db, const char *model, const double *prob,
		       const int *label, size_t n, const char *detail, struct error *err)
{
	struct binary_metrics m;
	if (metrics_binary(prob, label, n, 0.5, &m, err) < 0) {
		error_prefix(err, "%s", model);
		return ERR_INPUT;
	}
	const struct {
		const char *metric;
		double value;
	} rows[] = {
		{"roc_auc", m.roc_auc},
		{"pr_auc", m.average_precision},
		{"brier", m.brier},
		{"log_loss", m.log_loss},
		{"accuracy", m.accuracy},
		{"base_rate", m.base_rate},
		{"n", (double)m.n},
		{"positives", (double)m.positives},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (figures_put(db, model, rows[i].metric, rows[i].value, detail, err) < 0)
			return ERR_SYSTEM;
	return put_curves(db, model, prob, label, n, &m, err);
}
