/* feed_tap: ingest's callbacks, each passing on to the line feed's function. */
#include "cli/feed_tap.h"

static void feed_begin(void *feed, int64_t run_id, const char *file_name, int values)
{
	line_feed_begin_file(feed, run_id, file_name, values);
}

static void feed_row(void *feed, int64_t line, const char *const *text, const size_t *length,
		     const struct value_layout *layout)
{
	line_feed_add(feed, line, text, length, layout);
}

static void feed_end(void *feed, enum date_style date_style, enum decimal_mark decimal_mark,
		     int64_t rows_loaded)
{
	line_feed_end_file(feed, date_style, decimal_mark, rows_loaded);
}

static void feed_abandon(void *feed)
{
	line_feed_abandon(feed);
}

struct ingest_tap feed_tap(struct line_feed *feed)
{
	return (struct ingest_tap){"order_lines", feed, feed_begin, feed_row, feed_end,
				   feed_abandon};
}
