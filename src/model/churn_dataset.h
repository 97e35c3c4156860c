/* churn_dataset: every customer's churn summary at several snapshots, read in one pass
 * over the customer histories, with the BG/NBD model fitted at each snapshot on the
 * customers active there; and the feature rows a model trains or scores on.
 *
 * Memory is customers × snapshots summaries (a few hundred bytes each), whatever the
 * number of order lines. A summary at a snapshot reads only the days before it (see
 * churn_features.h); BG/NBD at a snapshot is fitted on those summaries alone. */
#ifndef CARTOGRAPH_CHURN_DATASET_H
#define CARTOGRAPH_CHURN_DATASET_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "model/bgnbd.h"
#include "model/churn_features.h"
#include "model/order_book.h"
#include "util/error.h"

#define CHURN_MAX_SNAPSHOTS 4

struct churn_dataset {
	int horizon_days;
	int n_snapshots;
	int64_t snapshot_day[CHURN_MAX_SNAPSHOTS]; /* day numbers (model_days.h) */
	size_t n;                       /* customers with any order */
	char **customer_ids;            /* n, ascending; owned */
	struct churn_summary *summary;  /* n × n_snapshots: customer i at snapshot k is
	                                   summary[i * n_snapshots + k] */
	size_t active[CHURN_MAX_SNAPSHOTS];            /* customers active at each snapshot */
	size_t churned[CHURN_MAX_SNAPSHOTS];           /* of them, labelled churned */
	int bgnbd_fitted[CHURN_MAX_SNAPSHOTS];         /* 1 when BG/NBD was fitted there */
	struct bgnbd_fit bgnbd[CHURN_MAX_SNAPSHOTS];   /* the fits */
};

/* Summarises every customer of the order book at each of the snapshot days (at most
 * CHURN_MAX_SNAPSHOTS), then fits BG/NBD at each snapshot with active customers.
 * Returns 0 or a negative code; release with churn_dataset_free. */
int churn_dataset_build(const struct order_book *book, const int64_t *snapshot_days,
			int n_snapshots, int horizon_days, struct churn_dataset *d,
			struct error *err);
/* The same from the warehouse, read into an order book of its own. */
int churn_dataset_load(sqlite3 *db, const int64_t *snapshot_days, int n_snapshots,
		       int horizon_days, struct churn_dataset *d, struct error *err);
void churn_dataset_free(struct churn_dataset *d);

/* The summary of customer i at snapshot k. */
const struct churn_summary *churn_dataset_at(const struct churn_dataset *d, size_t i, int k);

/* The active customers at one snapshot as a model's rows. */
struct churn_rows {
	size_t n;         /* rows */
	size_t p;         /* features per row */
	double *x;        /* n × p, row-major */
	int *y;           /* n labels: 1 = churned */
	double *p_no_order; /* n: BG/NBD probability of no order in the horizon */
	size_t *customer; /* n: index of the row's customer in the dataset */
};

/* Fills rows with the features of set (p of them) of every customer active at snapshot
 * k, in customer order. Release with churn_rows_free. */
void churn_rows_at(const struct churn_dataset *d, int k, const enum churn_feature *set,
		   size_t p, struct churn_rows *rows);
void churn_rows_free(struct churn_rows *rows);

#endif
