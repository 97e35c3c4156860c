/* dq_log: the data-quality log of a clean run. Every rule clean applies has a name, a
 * severity and a sentence saying what clean does about it (the table in dq_log.c);
 * while cleaning, each rule counts what it found and keeps the first few source lines
 * as examples ("file:line"). At the end the log becomes the dq_issues table, one row
 * per rule, including the rules that found nothing. */
#ifndef CARTOGRAPH_DQ_LOG_H
#define CARTOGRAPH_DQ_LOG_H

#include <sqlite3.h>
#include <stdint.h>

#include "clean/source_runs.h"
#include "util/buf.h"
#include "util/error.h"

#define DQ_EXAMPLES 5

enum dq_rule {
	/* order lines, counted as read (duplicates included) */
	DQ_UNREADABLE_LINE,
	DQ_TEXT_TRIMMED,
	DQ_ID_WRITTEN_AS_FLOAT,
	DQ_PRODUCT_CODE_CASE,
	DQ_DUPLICATE_LINE,
	DQ_GUEST_LINE,
	DQ_ADJUSTMENT_LINE,
	DQ_CANCELLATION_LINE,
	DQ_NEGATIVE_QUANTITY,
	DQ_PRICE_NOT_POSITIVE,
	DQ_QUANTITY_ZERO,
	DQ_UNIT_PRICE_DERIVED,
	DQ_LINE_TOTAL_MISMATCH,
	DQ_DISCOUNT_PERCENT,
	/* order lines after duplicates are removed */
	DQ_CANCELLATION_MATCHED,
	DQ_CANCELLATION_PARTIAL,
	DQ_CANCELLATION_UNMATCHED,
	DQ_ORDER_CANCELLED,
	DQ_DATE_IN_FUTURE,
	DQ_DATE_OUT_OF_RANGE,
	DQ_QUANTITY_OUTLIER,
	DQ_ORDER_CUSTOMER_CONFLICT,
	DQ_ORDER_TIME_SPREAD,
	/* products and customers */
	DQ_PRODUCT_NAME_VARIANTS,
	DQ_PRODUCT_FROM_ORDERS,
	DQ_PRODUCT_ROW_DUPLICATE,
	DQ_CUSTOMER_COUNTRY_VARIANTS,
	DQ_CUSTOMER_FROM_ORDERS,
	DQ_CUSTOMER_ROW_DUPLICATE,
	/* reviews */
	DQ_REVIEW_RATING_INVALID,
	DQ_REVIEW_EMPTY_BODY,
	DQ_REVIEW_ID_DERIVED,
	DQ_REVIEW_DUPLICATE_ID,
	DQ_REVIEW_DUPLICATE_TEXT,
	DQ_REVIEW_REFERENCES,
	/* events */
	DQ_EVENT_TYPE_RENAMED,
	DQ_EVENT_TYPE_UNKNOWN,
	DQ_EVENT_TIME_IN_FUTURE,
	DQ_EVENT_PRICE_NOT_POSITIVE,
	DQ_UNREADABLE_EVENT,
	/* any kind */
	DQ_UNREADABLE_VALUE,
	DQ_RULE_COUNT
};

/* Where an example comes from: a run (index into source_runs) and a line. */
struct dq_example {
	uint32_t run;
	int64_t line;
};

struct dq_log {
	int64_t count[DQ_RULE_COUNT];                       /* what each rule found */
	int examples_used[DQ_RULE_COUNT];
	struct dq_example examples[DQ_RULE_COUNT][DQ_EXAMPLES];
	struct buf note[DQ_RULE_COUNT];                     /* figures added to the text */
};

void dq_log_init(struct dq_log *log);
void dq_log_free(struct dq_log *log);
/* Counts weight findings of rule, citing run/line as an example while fewer than
 * DQ_EXAMPLES are kept. */
void dq_count(struct dq_log *log, enum dq_rule rule, uint32_t run, int64_t line, int64_t weight);
/* Appends a sentence with figures (e.g. the date range used) to the rule's text. */
void dq_note(struct dq_log *log, enum dq_rule rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The rule's name ("duplicate_line"), for messages and tests. */
const char *dq_rule_name(enum dq_rule rule);
/* How many rules found something; how many of those are warnings or errors. */
int dq_rules_fired(const struct dq_log *log, int *warnings);

/* Replaces the dq_issues rows with the log, inside the caller's transaction. */
int dq_log_write(sqlite3 *db, const struct dq_log *log, const struct source_runs *runs,
		 struct error *err);

/* Formats the dq_issues table as a report for people: the rules that found
 * something, with counts, what was done and example lines, then the names of the rules
 * that found nothing. width is the line width to wrap to. */
int dq_report_format(sqlite3 *db, int width, struct buf *out, struct error *err);

#endif
