/* churn_bgnbd: the BG/NBD model (bgnbd.h) as a churn model. Fitted on the histories of
 * the customers active at a snapshot (no labels needed: it learns from the order days
 * alone), it gives each of them the expected order days in the horizon, P(alive), and
 * the probability of no order at all in the horizon, which is exactly "churned":
 *
 *     P(no order in (T, T+t]) = 1 − P(alive) · (1 − ((α+T) / (α+T+t))^(r+x)),
 *
 * because a customer alive at T orders at rate λ, whose posterior is Gamma(r+x, α+T), and
 * drops out only right after an order. Unlike 1 − P(alive), which is 0 for every one-time
 * buyer, this ranks one-time buyers by how long ago they came. */
#ifndef CARTOGRAPH_CHURN_BGNBD_H
#define CARTOGRAPH_CHURN_BGNBD_H

#include <stddef.h>

#include "model/bgnbd.h"
#include "model/churn_features.h"
#include "util/error.h"

/* P(no order in the next t days) of one customer under fitted parameters. */
double churn_bgnbd_p_no_order(const struct bgnbd_params *p, const struct bgnbd_customer *c,
			      double t);

/* Fits the model to the n summaries' bgnbd histories and fills each summary's
 * expected_orders, p_alive and p_no_order for a horizon of horizon_days. Returns 0, or
 * ERR_INPUT as bgnbd_fit does (no customers). */
int churn_bgnbd_score(struct churn_summary *const *rows, size_t n, int horizon_days,
		      struct bgnbd_fit *fit, struct error *err);

#endif
