/* churn_dataset: summaries gathered from customer_history_each over the order book,
 * BG/NBD per snapshot, and feature rows for the regression. */
#include "model/churn_dataset.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "model/churn_bgnbd.h"
#include "model/model_days.h"
#include "util/xalloc.h"

struct gather {
	struct churn_dataset *d;
	size_t cap; /* customers allocated */
};

static int add_customer(const struct customer_history *h, void *context, struct error *err)
{
	(void)err;
	struct gather *g = context;
	struct churn_dataset *d = g->d;
	size_t per = (size_t)d->n_snapshots;
	if (d->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 1024;
		d->customer_ids = xreallocarray(d->customer_ids, g->cap, sizeof *d->customer_ids);
		d->summary = xreallocarray(d->summary, g->cap * per, sizeof *d->summary);
	}
	d->customer_ids[d->n] = xstrdup(h->customer_id);
	for (size_t k = 0; k < per; k++)
		churn_summarise(h, d->snapshot_day[k], d->horizon_days,
				&d->summary[d->n * per + k]);
	d->n++;
	return 0;
}

/* Fits BG/NBD on the customers active at snapshot k and scores them. */
static int fit_bgnbd_at(struct churn_dataset *d, int k, struct error *err)
{
	size_t per = (size_t)d->n_snapshots, m = 0;
	struct churn_summary **rows = xmalloc((d->n ? d->n : 1) * sizeof *rows);
	for (size_t i = 0; i < d->n; i++) {
		struct churn_summary *s = &d->summary[i * per + (size_t)k];
		if (s->active)
			rows[m++] = s;
	}
	int rc = 0;
	if (m > 0) {
		rc = churn_bgnbd_score(rows, m, d->horizon_days, &d->bgnbd[k], err);
		d->bgnbd_fitted[k] = rc == 0;
	}
	free(rows);
	return rc;
}

int churn_dataset_build(const struct order_book *book, const int64_t *snapshot_days,
			int n_snapshots, int horizon_days, struct churn_dataset *d,
			struct error *err)
{
	assert(n_snapshots >= 1 && n_snapshots <= CHURN_MAX_SNAPSHOTS && horizon_days >= 1);
	memset(d, 0, sizeof *d);
	d->horizon_days = horizon_days;
	d->n_snapshots = n_snapshots;
	memcpy(d->snapshot_day, snapshot_days, (size_t)n_snapshots * sizeof *snapshot_days);
	struct gather g = {d, 0};
	int rc = customer_history_each(book, add_customer, &g, err);
	for (int k = 0; k < n_snapshots && rc == 0; k++) {
		for (size_t i = 0; i < d->n; i++) {
			const struct churn_summary *s = churn_dataset_at(d, i, k);
			d->active[k] += s->active != 0;
			d->churned[k] += s->active && s->churned;
		}
		rc = fit_bgnbd_at(d, k, err);
	}
	if (rc < 0)
		churn_dataset_free(d);
	return rc;
}

int churn_dataset_load(sqlite3 *db, const int64_t *snapshot_days, int n_snapshots,
		       int horizon_days, struct churn_dataset *d, struct error *err)
{
	struct order_book book;
	int rc = order_book_load(db, &book, err);
	if (rc < 0) {
		memset(d, 0, sizeof *d);
		return rc;
	}
	rc = churn_dataset_build(&book, snapshot_days, n_snapshots, horizon_days, d, err);
	order_book_free(&book);
	return rc;
}

void churn_dataset_free(struct churn_dataset *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->customer_ids[i]);
	free(d->customer_ids);
	free(d->summary);
	memset(d, 0, sizeof *d);
}

const struct churn_summary *churn_dataset_at(const struct churn_dataset *d, size_t i, int k)
{
	assert(i < d->n && k >= 0 && k < d->n_snapshots);
	return &d->summary[i * (size_t)d->n_snapshots + (size_t)k];
}

void churn_rows_at(const struct churn_dataset *d, int k, const enum churn_feature *set,
		   size_t p, struct churn_rows *rows)
{
	size_t n = d->active[k], slots = n ? n : 1;
	rows->n = 0;
	rows->p = p;
	rows->x = xmalloc(slots * (p ? p : 1) * sizeof *rows->x);
	rows->y = xmalloc(slots * sizeof *rows->y);
	rows->p_no_order = xmalloc(slots * sizeof *rows->p_no_order);
	rows->customer = xmalloc(slots * sizeof *rows->customer);
	for (size_t i = 0; i < d->n; i++) {
		const struct churn_summary *s = churn_dataset_at(d, i, k);
		if (!s->active)
			continue;
		churn_feature_row(s, set, p, rows->x + rows->n * p);
		rows->y[rows->n] = s->churned;
		rows->p_no_order[rows->n] = s->p_no_order;
		rows->customer[rows->n++] = i;
	}
	assert(rows->n == n);
}

void churn_rows_free(struct churn_rows *rows)
{
	free(rows->x);
	free(rows->y);
	free(rows->p_no_order);
	free(rows->customer);
	memset(rows, 0, sizeof *rows);
}
