/* gen: the synthetic shop. Writes a deterministic two-year data set of a web shop as
 * CSV files: orders.csv (one row per order line), products.csv, customers.csv,
 * reviews.csv, events.csv and, when asked, truth.csv (each customer's planted archetype
 * and churn date, for checking the models).
 *
 * The same options always give the same bytes. The shop is simulated day by day from
 * 2024-01-01 to 2025-12-31 and only one day is held in memory at a time (plus the
 * customers, the catalog and what is due later), so memory stays bounded however many
 * order lines are asked for. orders.csv has exactly order_lines data rows. */
#ifndef CARTOGRAPH_GEN_GEN_H
#define CARTOGRAPH_GEN_GEN_H

#include <stdint.h>

#include "util/error.h"

struct gen_options {
	uint64_t order_lines;  /* data rows of orders.csv, at least 1 */
	uint64_t seed;         /* drives every random choice */
	const char *out_dir;   /* where the files go; created when missing */
	int with_truth;        /* also write truth.csv */
	/* Called after each simulated day (may be NULL). */
	void (*progress)(void *ctx, long day, long days);
	void *progress_ctx;
};

struct gen_summary {
	uint64_t order_rows;     /* rows of orders.csv */
	uint64_t orders;         /* orders placed (not counting cancellations) */
	uint64_t guest_orders;   /* orders without a customer */
	uint64_t duplicates;     /* rows written twice */
	uint64_t cancellations;  /* cancellation rows */
	uint64_t bad_dates;      /* rows with an unreadable date */
	uint64_t products;       /* rows of products.csv */
	uint64_t customers;      /* rows of customers.csv */
	uint64_t reviews;        /* rows of reviews.csv */
	uint64_t events;         /* rows of events.csv */
};

/* Writes the data set. Returns 0, or a negative code with the reason in err; on failure
 * no half-written file is left under a final name. summary may be NULL. */
int gen_shop(const struct gen_options *opt, struct gen_summary *summary, struct error *err);

#endif
