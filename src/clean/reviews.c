/* reviews: one pass over raw_reviews in file order, one insert per review. */
#include "clean/reviews.h"

#include <stdio.h>
#include <string.h>

#include "clean/raw_values.h"
#include "db/db.h"

enum review_column {
	R_RUN, R_LINE, R_ID, R_PRODUCT, R_CUSTOMER, R_RATING, R_TITLE, R_BODY, R_DATE
};

/* Scratch space for one review's texts, bound until the insert runs. */
struct review_texts {
	struct buf id, product, customer, title, body;
};

/* Binds one review to insert; returns its flags. */
static int bind_review(sqlite3_stmt *insert, sqlite3_stmt *st, const struct source_run *run,
		       uint32_t run_index, const struct clean_rules *rules,
		       struct review_texts *t, struct dq_log *log)
{
	unsigned changed = 0;
	int flags = 0;
	int64_t line = sqlite3_column_int64(st, R_LINE), rating, seconds;
	char date[20];
	if (!raw_bind_text(insert, 1, st, R_ID, FORM_ID, 0, &t->id, &changed)) {
		buf_reset(&t->id);
		buf_printf(&t->id, "%lld:%lld", (long long)run->run_id, (long long)line);
		sqlite3_bind_text(insert, 1, t->id.data, (int)t->id.len, SQLITE_STATIC);
		dq_count(log, DQ_REVIEW_ID_DERIVED, run_index, line, 1);
	}
	raw_bind_text(insert, 2, st, R_PRODUCT, FORM_PRODUCT_ID, rules->fold_product_case,
		      &t->product, &changed);
	raw_bind_text(insert, 3, st, R_CUSTOMER, FORM_ID, 0, &t->customer, &changed);
	int got = raw_whole_number(st, R_RATING, &rating);
	if (got > 0 && rating >= 1 && rating <= 5)
		sqlite3_bind_int64(insert, 4, rating);
	else {
		sqlite3_bind_null(insert, 4);
		if (got != 0) {
			flags |= REVIEW_RATING_INVALID;
			dq_count(log, DQ_REVIEW_RATING_INVALID, run_index, line, 1);
		}
	}
	raw_bind_text(insert, 5, st, R_TITLE, FORM_TEXT, 0, &t->title, &changed);
	if (!raw_bind_text(insert, 6, st, R_BODY, FORM_BODY, 0, &t->body, &changed)) {
		flags |= REVIEW_EMPTY_BODY;
		dq_count(log, DQ_REVIEW_EMPTY_BODY, run_index, line, 1);
	}
	got = raw_date(st, R_DATE, run, date, &seconds);
	if (got > 0)
		sqlite3_bind_text(insert, 7, date, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(insert, 7);
	if (got < 0)
		dq_count(log, DQ_UNREADABLE_VALUE, run_index, line, 1);
	sqlite3_bind_int(insert, 8, flags);
	return flags;
}

int reviews_clean(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		  struct dq_log *log, struct clean_summary *sum, struct error *err)
{
	sqlite3_stmt *st = NULL, *insert = NULL;
	struct review_texts t = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	int rc, step = SQLITE_DONE;
	if ((rc = db_prepare(db,
			     "SELECT run_id, line, review_id, product_id, customer_id, rating, title,"
			     " body, review_date FROM raw_reviews ORDER BY rowid",
			     &st, err)) < 0 ||
	    (rc = db_prepare(db,
			     "INSERT INTO reviews (review_id, product_id, customer_id, rating, title,"
			     " body, review_date, flags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			     " ON CONFLICT (review_id) DO NOTHING",
			     &insert, err)) < 0)
		goto done;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t run = source_runs_find(runs, sqlite3_column_int64(st, R_RUN));
		if (run < 0)
			continue; /* cannot happen: the run exists by foreign key */
		bind_review(insert, st, &runs->run[run], (uint32_t)run, rules, &t, log);
		int done = sqlite3_step(insert);
		sqlite3_reset(insert);
		if (done != SQLITE_DONE) {
			rc = db_fail(db, err, "writing reviews");
			goto done;
		}
		if (sqlite3_changes(db))
			sum->reviews++;
		else
			dq_count(log, DQ_REVIEW_DUPLICATE_ID, (uint32_t)run,
				 sqlite3_column_int64(st, R_LINE), 1);
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, err, "reading raw_reviews");
done:
	sqlite3_finalize(st);
	sqlite3_finalize(insert);
	buf_free(&t.id);
	buf_free(&t.product);
	buf_free(&t.customer);
	buf_free(&t.title);
	buf_free(&t.body);
	return rc;
}
