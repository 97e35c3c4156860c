/* cohorts: monthly acquisition cohorts and their retention (cohort_retention). */
#ifndef CARTOGRAPH_COHORTS_H
#define CARTOGRAPH_COHORTS_H

#include "model/model_stage.h"

int model_cohorts(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		  struct error *err);

#endif
