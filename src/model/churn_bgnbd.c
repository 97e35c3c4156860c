/* churn_bgnbd: BG/NBD fitted per snapshot and turned into churn probabilities. */
#include "model/churn_bgnbd.h"

#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

double churn_bgnbd_p_no_order(const struct bgnbd_params *p, const struct bgnbd_customer *c,
			      double t)
{
	double p_alive = bgnbd_p_alive(p, c);
	/* ((α+T)/(α+T+t))^(r+x), the chance an alive customer's Poisson clock stays silent */
	double silent = exp(-(p->r + c->x) * log1p(t / (p->alpha + c->T)));
	return 1.0 - p_alive * (1.0 - silent);
}

int churn_bgnbd_score(struct churn_summary *const *rows, size_t n, int horizon_days,
		      struct bgnbd_fit *fit, struct error *err)
{
	struct bgnbd_customer *c = xmalloc((n ? n : 1) * sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = churn_summary_bgnbd(rows[i]);
	int rc = bgnbd_fit(c, n, fit, err);
	free(c);
	if (rc < 0) {
		error_prefix(err, "BG/NBD");
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		struct churn_summary *s = rows[i];
		struct bgnbd_customer history = churn_summary_bgnbd(s);
		s->p_alive = bgnbd_p_alive(&fit->params, &history);
		s->expected_orders = bgnbd_expected_purchases(&fit->params, &history,
							      horizon_days);
		if (!isfinite(s->expected_orders)) /* the series did not converge: its mean-rate
						       approximation instead */
			s->expected_orders = s->p_alive * (fit->params.r + history.x) /
					     (fit->params.alpha + history.T) * horizon_days;
		s->p_no_order = churn_bgnbd_p_no_order(&fit->params, &history, horizon_days);
	}
	return 0;
}
