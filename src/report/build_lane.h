/* build_lane: renders some of the site's pages on a second thread, with a connection
 * to the warehouse of its own, while the build's own thread renders the rest. The two
 * share the site and the chart cache (which lock themselves) and nothing else: the
 * lane has its own templates, its own summary and its own copy of the page footer's
 * facts.
 *
 * With a prelude (build.h), the lane runs it first, on a connection that may write,
 * and then opens a gate the build's thread waits at before its pages that read what
 * the prelude wrote.
 *
 * Pages that can be rendered on either connection go on a shared list: when a thread
 * is done with its own pages it takes the next one nobody has taken, so the lane that
 * has less to do (the build's own in `build`, the second one in `run`, where it also
 * runs the models) renders them. */
#ifndef CARTOGRAPH_BUILD_LANE_H
#define CARTOGRAPH_BUILD_LANE_H

#include "report/build_internal.h"

/* A page builder the lane runs: one of the page_*() functions. */
typedef int (*build_pages_fn)(struct build *b, struct error *err);

struct build_lane;

/* Starts b->opt->prelude (when there is one), then pages (in order, stopping at the
 * first failure), then the shared pages nobody took yet, on a second thread. NULL when
 * no lane can be started (the warehouse is in memory, a connection or a thread cannot be
 * had): the caller then does all that work itself. b must be set up (site, style,
 * footer facts) and stays the caller's; shared must outlive the lane. */
struct build_lane *build_lane_start(const struct build *b, const build_pages_fn *pages,
				    int count, const build_pages_fn *shared, int shared_count);

/* Renders, with b, each shared page nobody has taken yet, until none is left or one
 * fails. Returns 0 or the failure's code (err says what). Only after
 * build_lane_wait_for_prelude: shared pages may read what the prelude wrote. */
int build_lane_render_shared(struct build_lane *lane, struct build *b, struct error *err);

/* Waits until the lane's prelude is done (at once when there is none). Returns 0, or
 * the prelude's negative code: the lane then renders nothing, and build_lane_join
 * gives its error. */
int build_lane_wait_for_prelude(struct build_lane *lane);

/* Waits until the prelude has committed its step named (or finished without it: at once
 * when there is no prelude). Returns 0, or the prelude's negative code when it failed
 * before that step. */
int build_lane_wait_for_step(struct build_lane *lane, const char *name);

/* Waits for the lane, adds its counts into summary and frees it. Returns its result;
 * on failure err says what went wrong. *others_wrote is set to 1 when a connection
 * other than the lane's committed to the warehouse while the lane was open. */
int build_lane_join(struct build_lane *lane, struct build_summary *summary,
		    int *others_wrote, struct error *err);

#endif
