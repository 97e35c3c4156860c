/* events: raw_events to the events table: times as ISO text, event types in one
 * vocabulary (view, cart, checkout, purchase; other types kept in lower case and
 * flagged), prices in cents, ids in file order. */
#ifndef CARTOGRAPH_EVENTS_H
#define CARTOGRAPH_EVENTS_H

#include <sqlite3.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/rules.h"
#include "clean/source_runs.h"

/* Writes the events table (which must be empty). Returns 0 or a negative code. */
int events_clean(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		 struct dq_log *log, struct clean_summary *sum, struct error *err);

#endif
