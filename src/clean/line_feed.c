/* line_feed: reading ingest's rows into clean's lines as they are stored, with a spool
 * for the rows whose date layout is not known yet, and the checks that let clean take
 * the lines instead of reading the table. */
#include "clean/line_feed.h"

#include <stdlib.h>
#include <string.h>

#include "clean/rules.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define SPOOL_NULL UINT32_MAX /* length of a spooled value that is NULL */

/* A row waiting for its file's date layout: its values in the spool's bytes. */
struct spooled_row {
	int64_t line;
	uint32_t offset[RAW_LINE_COLUMNS];
	uint32_t length[RAW_LINE_COLUMNS];
};

struct line_feed {
	const struct clean_options *opt;  /* what the rules were made from */
	struct clean_rules rules;
	struct source_runs runs;          /* the files fed, in order; the last is open */
	int64_t *rows_fed;                /* per file: rows read or spooled */
	int open;                         /* a file's rows are coming */
	int settled;                      /* the open file's date layout is known */
	int abandoned;
	struct line_set set;
	struct dq_log log;
	struct line_loader *loader;
	size_t spool_limit;               /* bytes the spool may hold */
	struct buf spool_bytes;
	struct spooled_row *spool;
	size_t spooled, spool_cap;
};

struct line_feed *line_feed_new(const struct clean_options *opt, size_t spool_limit,
				struct error *err)
{
	struct line_feed *feed = xcalloc(1, sizeof *feed);
	if (clean_rules_init(&feed->rules, opt, err) < 0) {
		free(feed);
		return NULL;
	}
	feed->opt = opt;
	feed->spool_limit = spool_limit;
	line_set_init(&feed->set);
	dq_log_init(&feed->log);
	feed->loader = line_loader_new(&feed->set, &feed->runs, &feed->rules, &feed->log);
	return feed;
}

static void spool_free(struct line_feed *feed)
{
	buf_free(&feed->spool_bytes);
	free(feed->spool);
	feed->spool = NULL;
	feed->spooled = feed->spool_cap = 0;
}

/* Lets go of the lines and everything reading them. */
static void release(struct line_feed *feed)
{
	line_loader_free(feed->loader);
	feed->loader = NULL;
	spool_free(feed);
	line_set_free(&feed->set);
	dq_log_free(&feed->log);
	source_runs_free(&feed->runs);
	free(feed->rows_fed);
	feed->rows_fed = NULL;
}

void line_feed_free(struct line_feed *feed)
{
	if (!feed)
		return;
	release(feed);
	clean_rules_free(&feed->rules);
	free(feed);
}

void line_feed_abandon(struct line_feed *feed)
{
	if (feed->abandoned)
		return;
	release(feed);
	feed->abandoned = 1;
	feed->open = 0;
}

void line_feed_begin_file(struct line_feed *feed, int64_t run_id, const char *file_name,
			  int values)
{
	struct source_runs *runs = &feed->runs;
	if (feed->abandoned)
		return;
	/* Rows of a file that did not end, columns unlike the raw table's, or runs out of
	 * order (the lines must follow the table's order): not what the table will hold. */
	if (feed->open || values != RAW_LINE_COLUMNS ||
	    (runs->count && runs->run[runs->count - 1].run_id >= run_id)) {
		line_feed_abandon(feed);
		return;
	}
	runs->run = xreallocarray(runs->run, runs->count + 1, sizeof *runs->run);
	runs->run[runs->count] = (struct source_run){run_id, xstrdup(file_name), 0, 0};
	feed->rows_fed = xreallocarray(feed->rows_fed, runs->count + 1, sizeof *feed->rows_fed);
	feed->rows_fed[runs->count++] = 0;
	feed->open = 1;
	feed->settled = 0;
}

/* Reads one row of the open file into the lines. */
static void read_row(struct line_feed *feed, int64_t line, const char *const *text,
		     const size_t *length)
{
	struct raw_line row = {feed->runs.run[feed->runs.count - 1].run_id, line, {0}, {0}};
	for (int c = 0; c < RAW_LINE_COLUMNS; c++) {
		row.text[c] = text[c];
		row.length[c] = text[c] ? length[c] : 0;
	}
	line_loader_add(feed->loader, &row);
}

/* Copies a row into the spool; gives the feed up when the spool would pass its limit. */
static void spool_row(struct line_feed *feed, int64_t line, const char *const *text,
		      const size_t *length)
{
	size_t bytes = sizeof(struct spooled_row);
	for (int c = 0; c < RAW_LINE_COLUMNS; c++)
		bytes += text[c] ? length[c] : 0;
	if (feed->spool_bytes.len + (feed->spooled + 1) * sizeof(struct spooled_row) + bytes >
	    feed->spool_limit) {
		line_feed_abandon(feed);
		return;
	}
	if (feed->spooled == feed->spool_cap) {
		feed->spool_cap = feed->spool_cap ? feed->spool_cap * 2 : 1024;
		feed->spool = xreallocarray(feed->spool, feed->spool_cap, sizeof *feed->spool);
	}
	struct spooled_row *s = &feed->spool[feed->spooled++];
	s->line = line;
	for (int c = 0; c < RAW_LINE_COLUMNS; c++) {
		s->offset[c] = (uint32_t)feed->spool_bytes.len;
		s->length[c] = text[c] ? (uint32_t)length[c] : SPOOL_NULL;
		if (text[c])
			buf_append(&feed->spool_bytes, text[c], length[c]);
	}
}

/* The open file's layout is known: reads the rows that waited for it. */
static void settle(struct line_feed *feed, enum date_style style, enum decimal_mark mark)
{
	const char *text[RAW_LINE_COLUMNS];
	size_t length[RAW_LINE_COLUMNS];
	struct source_run *run = &feed->runs.run[feed->runs.count - 1];
	run->date_style = style;
	run->decimal_comma = mark == DECIMAL_COMMA;
	feed->settled = 1;
	if (!feed->spooled)
		return;
	for (size_t i = 0; i < feed->spooled; i++) {
		const struct spooled_row *s = &feed->spool[i];
		for (int c = 0; c < RAW_LINE_COLUMNS; c++) {
			int is_null = s->length[c] == SPOOL_NULL;
			text[c] = is_null ? NULL : feed->spool_bytes.data + s->offset[c];
			length[c] = is_null ? 0 : s->length[c];
		}
		read_row(feed, s->line, text, length);
	}
	spool_free(feed);
}

/* True when mask has exactly one bit. */
static int one_style(unsigned mask)
{
	return mask && !(mask & (mask - 1));
}

/* True when rows read now read as they will under the file's final layout: its date
 * layout is down to one, and its decimal mark too or no amount yet depends on it (the
 * rows are then read with a decimal point, which the later rows may still change). */
static int layout_known(const struct value_layout *layout)
{
	return one_style(layout->date_styles) &&
	       (one_style(layout->decimal_marks) || !layout->marks_matter);
}

void line_feed_add(struct line_feed *feed, int64_t line, const char *const *text,
		   const size_t *length, const struct value_layout *layout)
{
	if (feed->abandoned || !feed->open)
		return;
	feed->rows_fed[feed->runs.count - 1]++;
	if (layout_known(layout))
		settle(feed, (enum date_style)layout->date_styles,
		       layout->decimal_marks == DECIMAL_COMMA ? DECIMAL_COMMA : DECIMAL_POINT);
	else
		feed->settled = 0; /* an amount now depends on the mark: wait for it */
	if (feed->settled)
		read_row(feed, line, text, length);
	else
		spool_row(feed, line, text, length);
}

void line_feed_end_file(struct line_feed *feed, enum date_style date_style,
			enum decimal_mark decimal_mark, int64_t rows_loaded)
{
	if (feed->abandoned || !feed->open)
		return;
	const struct source_run *run = &feed->runs.run[feed->runs.count - 1];
	if ((feed->settled && (run->date_style != date_style ||
			       run->decimal_comma != (decimal_mark == DECIMAL_COMMA))) ||
	    feed->rows_fed[feed->runs.count - 1] != rows_loaded) {
		line_feed_abandon(feed);
		return;
	}
	if (!feed->settled)
		settle(feed, date_style, decimal_mark);
	feed->open = 0;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* True when opt reads raw lines as the feed's options do. */
static int reads_alike(const struct clean_options *a, const struct clean_options *b)
{
	return same_text(a->cancel_prefixes, b->cancel_prefixes) &&
	       same_text(a->adjustment_codes, b->adjustment_codes) &&
	       same_text(a->adjustment_names, b->adjustment_names) &&
	       a->keep_id_case == b->keep_id_case;
}

/* True when the warehouse's order_lines runs are the files fed, with their rows.
 * Returns 1, 0, or ERR_SYSTEM. */
static int holds_what_was_fed(struct line_feed *feed, sqlite3 *db, struct error *err)
{
	sqlite3_stmt *st;
	uint32_t i = 0;
	int rc, same = 1;
	if (db_prepare(db, "SELECT run_id, rows_loaded FROM ingest_runs"
			   " WHERE kind = 'order_lines' ORDER BY run_id", &st, err) < 0)
		return ERR_SYSTEM;
	while (same && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		same = i < feed->runs.count &&
		       sqlite3_column_int64(st, 0) == feed->runs.run[i].run_id &&
		       sqlite3_column_int64(st, 1) == feed->rows_fed[i];
		i++;
	}
	sqlite3_finalize(st);
	if (same && rc != SQLITE_DONE)
		return db_fail(db, err, "reading ingest_runs");
	return same && i == feed->runs.count;
}

/* Numbers the lines' runs (and the examples of the rules' counts) as in runs. Returns
 * 0, or -1 when a fed run is not among them. */
static int renumber_runs(struct line_feed *feed, struct source_runs *runs)
{
	uint32_t *index = xmalloc(feed->runs.count * sizeof *index);
	int rc = 0;
	for (uint32_t i = 0; rc == 0 && i < feed->runs.count; i++) {
		int64_t found = source_runs_find(runs, feed->runs.run[i].run_id);
		rc = found < 0 ? -1 : 0;
		index[i] = (uint32_t)found;
	}
	for (size_t i = 0; rc == 0 && i < feed->set.count; i++)
		feed->set.line[i].run = index[feed->set.line[i].run];
	for (int r = 0; rc == 0 && r < DQ_RULE_COUNT; r++)
		for (int e = 0; e < feed->log.examples_used[r]; e++)
			feed->log.examples[r][e].run = index[feed->log.examples[r][e].run];
	free(index);
	return rc;
}

int line_feed_take(struct line_feed *feed, sqlite3 *db, const struct clean_options *opt,
		   struct source_runs *runs, struct line_set *set, struct dq_log *log,
		   struct error *err)
{
	if (!feed || feed->abandoned || feed->open || !feed->runs.count ||
	    !reads_alike(feed->opt, opt))
		return 0;
	int rc = holds_what_was_fed(feed, db, err);
	if (rc <= 0)
		return rc;
	if (renumber_runs(feed, runs) < 0)
		return 0;
	line_loader_free(feed->loader);
	feed->loader = NULL;
	line_set_free(set);
	*set = feed->set;
	line_set_init(&feed->set);
	for (uint32_t i = 0; i < feed->runs.count; i++)
		set->raw_lines += feed->rows_fed[i];
	line_set_trim(set);
	dq_log_free(log);
	*log = feed->log;
	dq_log_init(&feed->log);
	line_feed_abandon(feed); /* taken: nothing more to feed */
	return 1;
}
