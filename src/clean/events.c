/* events: one pass over raw_events in file order, one insert per event. */
#include "clean/events.h"

#include <string.h>

#include "clean/normalize.h"
#include "clean/raw_values.h"
#include "db/db.h"

enum event_column {
	E_RUN, E_LINE, E_TIME, E_TYPE, E_SESSION, E_CUSTOMER, E_PRODUCT, E_PRICE
};

/* Scratch space for one event's texts, bound until the insert runs. */
struct event_texts {
	struct buf type, session, customer, product;
};

/* Binds the event type: the canonical name, or the export's own in lower case.
 * Returns the flags it earns. */
static int bind_event_type(sqlite3_stmt *insert, sqlite3_stmt *st, struct buf *scratch,
			   uint32_t run, int64_t line, struct dq_log *log)
{
	size_t len;
	unsigned changed = 0;
	const char *s = raw_text(st, E_TYPE, &len);
	const char *type = s ? event_type_canonical(s, len) : NULL;
	if (type) {
		sqlite3_bind_text(insert, 3, type, -1, SQLITE_STATIC);
		if (strlen(type) != len || memcmp(type, s, len) != 0)
			dq_count(log, DQ_EVENT_TYPE_RENAMED, run, line, 1);
		return 0;
	}
	raw_bind_text(insert, 3, st, E_TYPE, FORM_TEXT, 0, scratch, &changed);
	for (size_t i = 0; i < scratch->len; i++)
		if (scratch->data[i] >= 'A' && scratch->data[i] <= 'Z')
			scratch->data[i] = (char)(scratch->data[i] - 'A' + 'a');
	if (!scratch->len) /* ingest requires a type; all blanks leaves none */
		sqlite3_bind_text(insert, 3, "unknown", -1, SQLITE_STATIC);
	dq_count(log, DQ_EVENT_TYPE_UNKNOWN, run, line, 1);
	return EVENT_TYPE_UNKNOWN;
}

/* Binds one event to insert. Returns 0, or -1 when its time cannot be read. */
static int bind_event(sqlite3_stmt *insert, sqlite3_stmt *st, const struct source_run *run,
		      uint32_t run_index, int64_t event_id, const struct clean_rules *rules,
		      struct event_texts *t, struct dq_log *log)
{
	unsigned changed = 0;
	int64_t line = sqlite3_column_int64(st, E_LINE), seconds, price;
	char time_text[20];
	if (raw_date(st, E_TIME, run, time_text, &seconds) <= 0) {
		dq_count(log, DQ_UNREADABLE_EVENT, run_index, line, 1);
		return -1;
	}
	sqlite3_bind_int64(insert, 1, event_id);
	sqlite3_bind_text(insert, 2, time_text, -1, SQLITE_TRANSIENT);
	int flags = bind_event_type(insert, st, &t->type, run_index, line, log);
	raw_bind_text(insert, 4, st, E_SESSION, FORM_TEXT, 0, &t->session, &changed);
	raw_bind_text(insert, 5, st, E_CUSTOMER, FORM_ID, 0, &t->customer, &changed);
	raw_bind_text(insert, 6, st, E_PRODUCT, FORM_PRODUCT_ID, rules->fold_product_case,
		      &t->product, &changed);
	int got = raw_cents(st, E_PRICE, run->decimal_comma, &price);
	if (got > 0) {
		sqlite3_bind_int64(insert, 7, price);
		if (price <= 0) {
			flags |= EVENT_PRICE_NOT_POSITIVE;
			dq_count(log, DQ_EVENT_PRICE_NOT_POSITIVE, run_index, line, 1);
		}
	} else
		sqlite3_bind_null(insert, 7);
	if (got < 0)
		dq_count(log, DQ_UNREADABLE_VALUE, run_index, line, 1);
	if (seconds > rules->now) {
		flags |= EVENT_TIME_IN_FUTURE;
		dq_count(log, DQ_EVENT_TIME_IN_FUTURE, run_index, line, 1);
	}
	sqlite3_bind_int(insert, 8, flags);
	return 0;
}

int events_clean(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		 struct dq_log *log, struct clean_summary *sum, struct error *err)
{
	sqlite3_stmt *st = NULL, *insert = NULL;
	struct event_texts t = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	int rc, step = SQLITE_DONE;
	if ((rc = db_prepare(db,
			     "SELECT run_id, line, event_time, event_type, session_id, customer_id,"
			     " product_id, price FROM raw_events ORDER BY rowid",
			     &st, err)) < 0 ||
	    (rc = db_prepare(db,
			     "INSERT INTO events (event_id, event_time, event_type, session_id,"
			     " customer_id, product_id, price_cents, flags)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			     &insert, err)) < 0)
		goto done;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t run = source_runs_find(runs, sqlite3_column_int64(st, E_RUN));
		if (run < 0 || bind_event(insert, st, &runs->run[run], (uint32_t)run,
					  sum->events + 1, rules, &t, log) < 0)
			continue;
		int done = sqlite3_step(insert);
		sqlite3_reset(insert);
		if (done != SQLITE_DONE) {
			rc = db_fail(db, err, "writing events");
			goto done;
		}
		sum->events++;
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, err, "reading raw_events");
done:
	sqlite3_finalize(st);
	sqlite3_finalize(insert);
	buf_free(&t.type);
	buf_free(&t.session);
	buf_free(&t.customer);
	buf_free(&t.product);
	return rc;
}
