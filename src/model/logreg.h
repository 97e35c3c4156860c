/* logreg: L2-regularised logistic regression, the churn model's classifier.
 *
 * Features are standardised first (mean 0, sd 1 on the training rows; see linalg.h), so
 * one penalty strength suits features of any unit. The fit minimises
 *
 *     -Σ_i [y_i log p_i + (1 - y_i) log(1 - p_i)]  +  (l2 / 2) Σ_j β_j²,
 *     p_i = logistic(β_0 + Σ_j β_j z_ij),  z = standardised features,
 *
 * by Newton's method (iteratively reweighted least squares): each step solves the
 * (p+1) × (p+1) Hessian system by Cholesky and is halved until the objective improves.
 * The intercept β_0 is not penalised. Memory is one standardised copy of the features
 * (n × p) plus the Hessian ((p+1)²). Without a penalty, customers that one feature
 * separates perfectly have no finite optimum: the fit then stops once the objective is
 * within the tolerance of 0, with large coefficients; a positive l2 avoids this. */
#ifndef CARTOGRAPH_MODEL_LOGREG_H
#define CARTOGRAPH_MODEL_LOGREG_H

#include <stddef.h>

#include "model/linalg.h"
#include "util/error.h"

struct logreg_options {
	double l2;          /* penalty strength on standardised coefficients; ≥ 0 */
	int max_iterations; /* Newton steps before giving up */
	double tolerance;   /* converged when half the Newton decrement gᵀH⁻¹g is below this
	                       (that last step is still taken) */
};

/* The defaults: l2 = 1, 50 iterations, tolerance 1e-10. */
struct logreg_options logreg_default_options(void);

struct logreg_model {
	size_t n_features;          /* p, the number of features */
	struct standardiser scale;  /* learnt on the training rows; applied to new rows */
	double intercept_std;       /* β_0: log-odds of a customer with every feature at its mean */
	double *coef_std;           /* p coefficients: log-odds change per standard deviation */
	double intercept;           /* the same model in original units: log-odds at all-zero features */
	double *coef;               /* p coefficients: log-odds change per original unit (0 for a
	                               constant feature) */
	int iterations;             /* Newton steps taken */
	int converged;              /* 1 when the tolerance was met within max_iterations */
	double log_likelihood;      /* Σ log P(observed outcome) at the fitted coefficients */
	double objective;           /* the penalised objective above at the fit (minimised) */
	size_t n_rows;              /* training rows */
};

/* Fits the model to the n × p row-major feature matrix x and the outcomes y (each 0 or 1).
 * Returns 0 and fills model (release with logreg_model_free) even when not converged (see
 * model->converged); returns ERR_INPUT with a message when there are no rows, an outcome
 * is not 0 or 1, a feature is not finite, or all outcomes are the same (no model can
 * separate one class from nothing). opt may be NULL for the defaults. */
int logreg_fit(const double *x, const int *y, size_t n, size_t p,
	       const struct logreg_options *opt, struct logreg_model *model, struct error *err);

/* The fitted probability that the outcome is 1 for one row of p features in original
 * units. */
double logreg_predict(const struct logreg_model *model, const double *row);

/* Probabilities for n rows of x (n × p) into prob (n). */
void logreg_predict_rows(const struct logreg_model *model, const double *x, size_t n,
			 double *prob);

void logreg_model_free(struct logreg_model *model);

#endif
