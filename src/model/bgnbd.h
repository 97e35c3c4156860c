/* bgnbd: the BG/NBD model of repeat buying (Fader, Hardie & Lee, 2005, "Counting your
 * customers the easy way").
 *
 * While alive, a customer buys as a Poisson process with rate λ; after each repeat
 * purchase they drop out for good with probability p. Across customers λ ~ Gamma(r, α)
 * (shape r, rate α) and p ~ Beta(a, b). From each customer's history, summarised as
 *     x   = repeat purchases (orders after the first),
 *     t_x = time of the last purchase, measured from the first (0 when x = 0),
 *     T   = the customer's age: time from the first purchase to the end of the data,
 * all in one time unit of the caller's choice (days or weeks; α is in that unit), the
 * model gives
 *   - the log-likelihood of (r, α, a, b), and the maximum-likelihood fit (Nelder–Mead on
 *     the logarithms of the parameters, restarted once from its best point);
 *   - P(alive | x, t_x, T);
 *   - the expected number of purchases in the next t time units.
 *
 * For churn: P(alive) is 1 for a customer who never came back (x = 0: no repeat purchase,
 * so no chance yet to drop out), so 1 − P(alive) ranks one-time buyers poorly. The expected
 * purchases in the horizon is the better score (low = likely gone); both are here. */
#ifndef CARTOGRAPH_MODEL_BGNBD_H
#define CARTOGRAPH_MODEL_BGNBD_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct bgnbd_params {
	double r;     /* shape of the purchase-rate Gamma */
	double alpha; /* rate of the purchase-rate Gamma (time units); mean rate r / alpha */
	double a, b;  /* the drop-out probability's Beta; mean a / (a + b) */
};

struct bgnbd_customer {
	int x;      /* repeat purchases (≥ 0) */
	double t_x; /* time of the last purchase after the first (0 ≤ t_x ≤ T; 0 when x = 0) */
	double T;   /* age: time from the first purchase to the end of the data (> 0) */
};

/* The log-likelihood of one customer's history:
 *   log[ Γ(r+x) α^r / Γ(r) · B(a, b+x) / B(a, b) ·
 *        ( (α+T)^-(r+x) + [x > 0] · a/(b+x−1) · (α+t_x)^-(r+x) ) ]
 * with the sum inside taken by log-sum-exp. */
double bgnbd_customer_log_likelihood(const struct bgnbd_params *p,
				     const struct bgnbd_customer *c);
/* The sum over n customers. */
double bgnbd_log_likelihood(const struct bgnbd_params *p, const struct bgnbd_customer *c,
			    size_t n);

struct bgnbd_fit {
	struct bgnbd_params params; /* the estimates */
	double log_likelihood;      /* at the estimates, summed over customers */
	int evaluations;            /* likelihood evaluations the search used */
	int converged;              /* 1 when the second search ended within its tolerance */
	int at_bound;               /* 1 when an estimate ran to within a factor 10 of its
	                               range's edge: the data cannot pin the model down (say,
	                               hardly any repeat buyers); predictions are still usable,
	                               the parameters themselves are not */
};

/* Fits the parameters by maximum likelihood. Each parameter is kept within
 * [1e-6, 1e6]. Returns 0, or ERR_INPUT when there are no customers, a customer's x is
 * negative, T is not positive, or t_x is outside [0, T]. */
int bgnbd_fit(const struct bgnbd_customer *c, size_t n, struct bgnbd_fit *fit,
	      struct error *err);

/* P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). */
double bgnbd_p_alive(const struct bgnbd_params *p, const struct bgnbd_customer *c);

/* E[purchases in (T, T + t] | x, t_x, T]: FHL eq. (10),
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)),
 * evaluated after Euler's transformation of the 2F1 so that it neither overflows for
 * frequent buyers nor loses precision near a = 1. NAN if the series fails to converge. */
double bgnbd_expected_purchases(const struct bgnbd_params *p, const struct bgnbd_customer *c,
				double t);

/* E[repeat purchases in (0, t]] of a customer just acquired (FHL eq. 7). */
double bgnbd_expected_purchases_new(const struct bgnbd_params *p, double t);

/* The Gaussian hypergeometric function 2F1(a, b; c; z) for |z| < 1 by its power series,
 * summed until a term no longer changes the sum. Returns 0 and stores the value, or -1
 * when the series did not converge within its term limit (or c is 0, −1, −2, ...). */
int hyp2f1(double a, double b, double c, double z, double *value);

/* Draws n customers from the model, each observed for the age in T[i] (> 0), with the
 * random stream seeded by seed: λ from the Gamma, p from the Beta, then purchases until
 * the age is reached or the customer drops out. For tests, benchmarks and synthetic data.
 * If holdout is not NULL, the purchases in the next horizon time units are counted into
 * it (for checking predictions). */
void bgnbd_simulate(const struct bgnbd_params *p, const double *T, size_t n, uint64_t seed,
		    double horizon, struct bgnbd_customer *out, int *holdout);

#endif
