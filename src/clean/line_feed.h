/* line_feed: the order lines `cartograph run` ingests, read into clean's line set while
 * ingest writes them, so that clean does not read back the rows just written (on
 * Online Retail, 60 MB and a fifth of a second).
 *
 * Ingest hands over each row it stores from an order_lines file, with what the file's
 * rows so far say of its layout: the date layouts its date column can still have, and
 * the decimal marks its amounts can. A row is read at once when the date layout is down
 * to one and so is the decimal mark, or no amount yet reads differently under the two
 * (a "12" or a "3.50" does not; a "1.234" does): ingest rejects a row that fits none of
 * the layouts left, so every row it stores reads as it will under the one it settles
 * on. Other rows wait, copied, in a spool of bounded size until the layout is known (at
 * the latest, the file's end).
 *
 * Clean takes the lines only when they are exactly what the warehouse holds: every
 * order_lines run in ingest_runs was fed whole, and the options reading depends on are
 * clean's own. Otherwise (a spool over its limit, a file that failed, order lines
 * loaded before the run) clean reads the table, as it does outside `run`; the feed
 * then only cost the time it took. */
#ifndef CARTOGRAPH_LINE_FEED_H
#define CARTOGRAPH_LINE_FEED_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/order_lines.h"
#include "clean/source_runs.h"
#include "util/parse_value.h"

#define LINE_FEED_SPOOL_BYTES (32u << 20) /* what `run` lets the spool hold */

struct line_feed;

/* A feed read with clean's rules from opt (which must outlive it), whose spool holds at
 * most spool_limit bytes. Returns NULL with err set when the options are not valid. */
struct line_feed *line_feed_new(const struct clean_options *opt, size_t spool_limit,
				struct error *err);
void line_feed_free(struct line_feed *feed);

/* Ingest's side, on its writing thread. A file's rows are to come under run_id, each
 * with values texts (the raw table's columns in order, extra last; NULL when empty). */
void line_feed_begin_file(struct line_feed *feed, int64_t run_id, const char *file_name,
			  int values);
/* One stored row, and the file's layout as far as it is known after it. */
void line_feed_add(struct line_feed *feed, int64_t line, const char *const *text,
		   const size_t *length, const struct value_layout *layout);
/* The file committed with rows_loaded rows, its dates read under date_style and its
 * amounts with decimal_mark. */
void line_feed_end_file(struct line_feed *feed, enum date_style date_style,
			enum decimal_mark decimal_mark, int64_t rows_loaded);
/* The file's load failed: the feed is given up (clean reads the table). */
void line_feed_abandon(struct line_feed *feed);

/* Clean's side: when the fed lines are what the warehouse holds and opt reads them
 * alike, moves them into set and their rules' counts into log (both as just made),
 * their runs numbered as in runs. Returns 1 when it did, 0 when clean must read the
 * table, or ERR_SYSTEM. */
int line_feed_take(struct line_feed *feed, sqlite3 *db, const struct clean_options *opt,
		   struct source_runs *runs, struct line_set *set, struct dq_log *log,
		   struct error *err);

#endif
