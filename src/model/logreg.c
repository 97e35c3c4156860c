/* logreg: Newton/IRLS fit of the L2-regularised logistic regression, with step halving
 * and a Cholesky solve of the Hessian system. */
#include "model/logreg.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Step halvings tried before a Newton step is given up as making no progress. */
#define MAX_HALVINGS 40
/* Ridge additions tried when the Hessian is not numerically positive definite. */
#define MAX_JITTERS 12

struct logreg_options logreg_default_options(void)
{
	struct logreg_options opt = {.l2 = 1.0, .max_iterations = 50, .tolerance = 1e-10};
	return opt;
}

/* The training problem in standardised units: a design matrix with a leading column of
 * ones, so coefficient 0 is the intercept. */
struct problem {
	const double *design; /* n × q, q = p + 1, column 0 all ones */
	const int *y;         /* n outcomes, 0 or 1 */
	size_t n, q;
	double l2;                     /* penalty on coefficients 1..q-1 */
	const unsigned char *constant; /* p flags: feature j is column j + 1 */
};

/* The penalised negative log-likelihood at beta; stores the log-likelihood alone. */
static double objective_at(const struct problem *pb, const double *beta, double *loglik)
{
	double nll = 0.0;
	for (size_t i = 0; i < pb->n; i++) {
		double eta = dot(pb->design + i * pb->q, beta, pb->q);
		nll += pb->y[i] ? log1p_exp(-eta) : log1p_exp(eta);
	}
	*loglik = -nll;
	return nll + 0.5 * pb->l2 * dot(beta + 1, beta + 1, pb->q - 1);
}

/* Fills the gradient g (q) and the lower triangle of the Hessian h (q × q) of the
 * objective at beta. */
static void gradient_and_hessian(const struct problem *pb, const double *beta, double *g,
				 double *h)
{
	size_t q = pb->q;
	memset(g, 0, q * sizeof *g);
	memset(h, 0, q * q * sizeof *h);
	for (size_t i = 0; i < pb->n; i++) {
		const double *row = pb->design + i * q;
		double prob = logistic(dot(row, beta, q));
		double residual = prob - pb->y[i], weight = prob * (1.0 - prob);
		for (size_t a = 0; a < q; a++) {
			g[a] += residual * row[a];
			double wa = weight * row[a];
			double *h_row = h + a * q;
			for (size_t b = 0; b <= a; b++)
				h_row[b] += wa * row[b];
		}
	}
	for (size_t j = 1; j < q; j++) {
		g[j] += pb->l2 * beta[j];
		h[j * q + j] += pb->l2;
		/* A constant feature's column is all zeros: give it a unit curvature so the
		 * system stays solvable; its gradient is 0, so its step is too. */
		if (pb->constant[j - 1])
			h[j * q + j] += 1.0;
	}
}

/* Solves h·step = g through a Cholesky factor in work, adding a growing ridge when h is
 * not numerically positive definite (collinear features without a penalty). Returns 0,
 * or -1 when no ridge helped. */
static int solve_newton_system(const double *h, const double *g, size_t q, double *work,
			       double *step)
{
	double max_diag = 0.0;
	for (size_t j = 0; j < q; j++)
		max_diag = fmax(max_diag, h[j * q + j]);
	double ridge = 0.0;
	for (int attempt = 0; attempt <= MAX_JITTERS; attempt++) {
		memcpy(work, h, q * q * sizeof *work);
		for (size_t j = 0; j < q; j++)
			work[j * q + j] += ridge;
		if (cholesky_factor(work, q) == 0) {
			memcpy(step, g, q * sizeof *step);
			cholesky_solve(work, q, step);
			return 0;
		}
		ridge = ridge == 0.0 ? 1e-10 * fmax(max_diag, 1e-300) : ridge * 10.0;
	}
	return -1;
}

static int check_inputs(const double *x, const int *y, size_t n, size_t p, double l2,
			struct error *err)
{
	if (n == 0)
		return error_set(err, ERR_INPUT, "logistic regression: no rows to fit");
	if (!(l2 >= 0.0) || !isfinite(l2))
		return error_set(err, ERR_INPUT, "logistic regression: penalty %g is not a "
				 "non-negative number", l2);
	size_t positives = 0;
	for (size_t i = 0; i < n; i++) {
		if (y[i] != 0 && y[i] != 1)
			return error_set(err, ERR_INPUT, "logistic regression: row %zu: outcome "
					 "%d is not 0 or 1", i + 1, y[i]);
		positives += (size_t)y[i];
		for (size_t j = 0; j < p; j++)
			if (!isfinite(x[i * p + j]))
				return error_set(err, ERR_INPUT, "logistic regression: row %zu: "
						 "feature %zu is not a finite number", i + 1,
						 j + 1);
	}
	if (positives == 0 || positives == n)
		return error_set(err, ERR_INPUT, "logistic regression: all %zu rows have outcome "
				 "%d; both outcomes are needed", n, positives ? 1 : 0);
	return 0;
}

/* Fills the original-unit coefficients from the standardised ones. */
static void unstandardise(struct logreg_model *m)
{
	m->intercept = m->intercept_std;
	for (size_t j = 0; j < m->n_features; j++) {
		m->coef[j] = m->scale.constant[j] ? 0.0 : m->coef_std[j] / m->scale.sd[j];
		m->intercept -= m->coef[j] * m->scale.mean[j];
	}
}

/* Runs Newton steps from beta = 0 until converged; fills the fit fields of model. */
static int newton(const struct problem *pb, const struct logreg_options *opt, double *beta,
		  struct logreg_model *model, struct error *err)
{
	size_t q = pb->q;
	double *g = xmalloc(q * sizeof *g), *step = xmalloc(q * sizeof *step);
	double *trial = xmalloc(q * sizeof *trial);
	double *h = xmalloc(q * q * sizeof *h), *work = xmalloc(q * q * sizeof *work);
	int rc = 0;
	double loglik, obj = objective_at(pb, beta, &loglik);
	model->iterations = 0;
	model->converged = 0;
	while (model->iterations < opt->max_iterations) {
		gradient_and_hessian(pb, beta, g, h);
		if (solve_newton_system(h, g, q, work, step) < 0) {
			rc = error_set(err, ERR_INPUT, "logistic regression: the features are "
				       "collinear; use a positive penalty");
			goto done;
		}
		/* Half the Newton decrement gᵀH⁻¹g estimates how far the objective is above
		 * its minimum; once it is below the tolerance, this full step is the last. */
		int last = dot(g, step, q) / 2.0 <= opt->tolerance;
		/* Take the longest of 1, 1/2, 1/4, ... that does not worsen the objective
		 * beyond rounding noise. */
		double slack = 1e-12 * (1.0 + fabs(obj)), scale = 1.0, trial_obj = 0.0;
		double trial_loglik = 0.0;
		int improved = 0;
		for (int halving = 0; halving <= MAX_HALVINGS && !improved; halving++) {
			for (size_t a = 0; a < q; a++)
				trial[a] = beta[a] - scale * step[a];
			trial_obj = objective_at(pb, trial, &trial_loglik);
			improved = trial_obj <= obj + slack;
			scale *= 0.5;
		}
		if (improved) {
			memcpy(beta, trial, q * sizeof *beta);
			obj = trial_obj;
			loglik = trial_loglik;
			model->iterations++;
		}
		if (last) {
			model->converged = 1;
			break;
		}
		if (!improved)
			break; /* no direction of progress left at this precision */
	}
	model->objective = obj;
	model->log_likelihood = loglik;
done:
	free(g);
	free(step);
	free(trial);
	free(h);
	free(work);
	return rc;
}

int logreg_fit(const double *x, const int *y, size_t n, size_t p,
	       const struct logreg_options *opt, struct logreg_model *model, struct error *err)
{
	struct logreg_options defaults = logreg_default_options();
	if (!opt)
		opt = &defaults;
	memset(model, 0, sizeof *model);
	int rc = check_inputs(x, y, n, p, opt->l2, err);
	if (rc)
		return rc;

	size_t q = p + 1;
	double *design = xmalloc(n * q * sizeof *design);
	double *beta = xcalloc(q, sizeof *beta);
	model->n_features = p;
	model->n_rows = n;
	standardiser_fit(&model->scale, x, n, p);
	for (size_t i = 0; i < n; i++) {
		design[i * q] = 1.0;
		standardiser_apply(&model->scale, x + i * p, design + i * q + 1);
	}
	struct problem pb = {design, y, n, q, opt->l2, model->scale.constant};
	rc = newton(&pb, opt, beta, model, err);
	if (rc)
		goto done;
	model->intercept_std = beta[0];
	model->coef_std = xmalloc((p ? p : 1) * sizeof *model->coef_std);
	model->coef = xmalloc((p ? p : 1) * sizeof *model->coef);
	memcpy(model->coef_std, beta + 1, p * sizeof *beta);
	unstandardise(model);
done:
	free(design);
	free(beta);
	if (rc)
		logreg_model_free(model);
	return rc;
}

double logreg_predict(const struct logreg_model *model, const double *row)
{
	assert(model->coef_std != NULL); /* a fitted model */
	const struct standardiser *s = &model->scale;
	double eta = model->intercept_std;
	for (size_t j = 0; j < model->n_features; j++)
		if (!s->constant[j])
			eta += model->coef_std[j] * (row[j] - s->mean[j]) / s->sd[j];
	return logistic(eta);
}

void logreg_predict_rows(const struct logreg_model *model, const double *x, size_t n,
			 double *prob)
{
	for (size_t i = 0; i < n; i++)
		prob[i] = logreg_predict(model, x + i * model->n_features);
}

void logreg_model_free(struct logreg_model *model)
{
	standardiser_free(&model->scale);
	free(model->coef_std);
	free(model->coef);
	memset(model, 0, sizeof *model);
}
