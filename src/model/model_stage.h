/* model_stage: what every model step of `cartograph model` shares. Each step reads the
 * typed tables that `clean` wrote, writes its own derived tables (and its figures into
 * model_metrics) inside one transaction, and describes what it did in a few lines of
 * text that the command prints. */
#ifndef CARTOGRAPH_MODEL_STAGE_H
#define CARTOGRAPH_MODEL_STAGE_H

#include <sqlite3.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

struct model_shared; /* order_book.h */

struct model_options {
	int horizon_days;   /* churn: no purchase within this many days after a snapshot */
	uint64_t seed;      /* for every random choice (splits, k-means++) */
	const char *lexicon_path; /* sentiment lexicon (data/vader_lexicon.txt) */
	struct model_shared *shared; /* what the steps of one run share (the sales read
				      * once); NULL: each step reads its own */
	void (*step_done)(void *ctx, const char *name); /* NULL, or called after each
							   step that succeeded */
	void *step_ctx;
};

/* A model step: returns 0 or a negative code; appends its summary lines to summary. */
typedef int (*model_step_fn)(sqlite3 *db, const struct model_options *opt,
			     struct buf *summary, struct error *err);

struct model_step {
	const char *name;    /* as typed after `cartograph model` */
	model_step_fn run;
	const char *summary; /* one line for the help text */
};

/* The steps, in the order `model all` runs them. */
extern const struct model_step model_steps[];
extern const int model_step_count;

#endif
