/* feed_tap: ingest's tap (ingest.h) that reads the order lines ingest stores into a
 * line feed for clean (line_feed.h), as `run` does. */
#ifndef CARTOGRAPH_FEED_TAP_H
#define CARTOGRAPH_FEED_TAP_H

#include "clean/line_feed.h"
#include "ingest/ingest.h"

/* The tap feeding feed; it lives as long as feed. */
struct ingest_tap feed_tap(struct line_feed *feed);

#endif
