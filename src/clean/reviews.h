/* reviews: raw_reviews to the reviews table: ratings 1 to 5 (others flagged and left
 * empty), text kept as written, ids kept or derived from the source row ("run:line",
 * for exports such as the Alexa reviews that have none), dates as ISO text. */
#ifndef CARTOGRAPH_REVIEWS_H
#define CARTOGRAPH_REVIEWS_H

#include <sqlite3.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/rules.h"
#include "clean/source_runs.h"

/* Writes the reviews table (which must be empty). Returns 0 or a negative code. */
int reviews_clean(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		  struct dq_log *log, struct clean_summary *sum, struct error *err);

#endif
