/* build_lane: renders some of the site's pages on a second thread, with a connection
 * to the warehouse of its own, while the build's own thread renders the rest. The two
 * share the site (which locks itself) and nothing else: the lane has its own
 * templates, its own summary and its own copy of the page footer's facts. */
#ifndef CARTOGRAPH_BUILD_LANE_H
#define CARTOGRAPH_BUILD_LANE_H

#include "report/build_internal.h"

/* A page builder the lane runs: one of the page_*() functions. */
typedef int (*build_pages_fn)(struct build *b, struct error *err);

struct build_lane;

/* Starts pages (run in order, stopping at the first failure) on a second thread. NULL
 * when no lane can be started (the warehouse is in memory, a connection or a thread
 * cannot be had): the caller then runs them itself. b must be fully set up (site,
 * style, periods, footer facts) and stays the caller's. */
struct build_lane *build_lane_start(const struct build *b, const build_pages_fn *pages,
				    int count);

/* Waits for the lane, adds its counts into summary and frees it. Returns its result;
 * on failure err says what went wrong. */
int build_lane_join(struct build_lane *lane, struct build_summary *summary,
		    struct error *err);

#endif
