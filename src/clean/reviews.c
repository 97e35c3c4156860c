/* reviews: one pass over raw_reviews in file order, one insert per review; a review
 * that repeats an earlier one word for word is left out. */
#include "clean/reviews.h"

#include <stdio.h>
#include <string.h>

#include "clean/normalize.h"
#include "clean/raw_values.h"
#include "db/db.h"
#include "util/sha256.h"
#include "util/utf8.h"

/* A review repeats an earlier one when all it says is the same and its text is long
 * enough that two customers would not write it alike ("Love it!" is said by many). */
#define DUPLICATE_MIN_TEXT 20

enum review_column {
	R_RUN, R_LINE, R_ID, R_PRODUCT, R_CUSTOMER, R_RATING, R_TITLE, R_BODY, R_DATE
};

/* Scratch space for one review's texts, bound until the insert runs, and the
 * fingerprint of what it says. */
struct review_texts {
	struct buf id, product, customer, title, body;
	struct sha256 said;
	size_t body_chars; /* characters of the text, 0 without one */
};

/* Adds one value to the fingerprint: whether it is there, its length, its bytes. */
static void fingerprint_value(struct sha256 *h, int present, const void *data, size_t len)
{
	uint8_t head[1 + sizeof(uint64_t)];
	uint64_t n = present ? len : 0;
	head[0] = (uint8_t)(present != 0);
	memcpy(head + 1, &n, sizeof n);
	sha256_update(h, head, sizeof head);
	if (n)
		sha256_update(h, data, len);
}

/* Binds text column `column` of st to `index` of insert and adds it to the fingerprint. */
static int bind_said(sqlite3_stmt *insert, int index, sqlite3_stmt *st, int column,
		     enum text_form form, int fold_case, struct buf *scratch,
		     struct review_texts *t, unsigned *changed)
{
	int present = raw_bind_text(insert, index, st, column, form, fold_case, scratch, changed);
	fingerprint_value(&t->said, present, scratch->data, present ? scratch->len : 0);
	return present;
}

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
	sha256_init(&t->said);
	bind_said(insert, 2, st, R_PRODUCT, FORM_PRODUCT_ID, rules->fold_product_case,
		  &t->product, t, &changed);
	bind_said(insert, 3, st, R_CUSTOMER, FORM_ID, 0, &t->customer, t, &changed);
	int got = raw_whole_number(st, R_RATING, &rating);
	int rated = got > 0 && rating >= 1 && rating <= 5;
	if (rated)
		sqlite3_bind_int64(insert, 4, rating);
	else {
		sqlite3_bind_null(insert, 4);
		if (got != 0) {
			flags |= REVIEW_RATING_INVALID;
			dq_count(log, DQ_REVIEW_RATING_INVALID, run_index, line, 1);
		}
	}
	fingerprint_value(&t->said, rated, &rating, rated ? sizeof rating : 0);
	bind_said(insert, 5, st, R_TITLE, FORM_TEXT, 0, &t->title, t, &changed);
	t->body_chars = 0;
	unsigned body_changed = 0;
	if (bind_said(insert, 6, st, R_BODY, FORM_BODY, 0, &t->body, t, &body_changed)) {
		t->body_chars = utf8_length(t->body.data, t->body.len);
		if (body_changed & NORMALIZE_REFERENCES)
			dq_count(log, DQ_REVIEW_REFERENCES, run_index, line, 1);
	} else {
		flags |= REVIEW_EMPTY_BODY;
		dq_count(log, DQ_REVIEW_EMPTY_BODY, run_index, line, 1);
	}
	got = raw_date(st, R_DATE, run, date, &seconds);
	if (got > 0)
		sqlite3_bind_text(insert, 7, date, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(insert, 7);
	fingerprint_value(&t->said, got > 0, date, got > 0 ? strlen(date) : 0);
	if (got < 0)
		dq_count(log, DQ_UNREADABLE_VALUE, run_index, line, 1);
	sqlite3_bind_int(insert, 8, flags);
	return flags;
}

/* The fingerprints of the reviews kept so far, in a table of the connection's own. */
static const char fingerprints_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS review_fingerprints (digest BLOB PRIMARY KEY)"
	" WITHOUT ROWID; DELETE FROM temp.review_fingerprints";

/* 1 when a review kept before said all the bound review says, 0 when none did, or a
 * negative code. */
static int said_before(sqlite3 *db, sqlite3_stmt *seen, struct review_texts *t,
		       uint8_t digest[32], struct error *err)
{
	if (t->body_chars < DUPLICATE_MIN_TEXT)
		return 0;
	sha256_final(&t->said, digest);
	sqlite3_bind_blob(seen, 1, digest, 32, SQLITE_STATIC);
	int step = sqlite3_step(seen);
	sqlite3_reset(seen);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, err, "reading review fingerprints");
	return step == SQLITE_ROW;
}

/* Records the fingerprint of a review kept. Returns 0 or a negative code. */
static int remember(sqlite3 *db, sqlite3_stmt *keep, const struct review_texts *t,
		    const uint8_t digest[32], struct error *err)
{
	if (t->body_chars < DUPLICATE_MIN_TEXT)
		return 0;
	sqlite3_bind_blob(keep, 1, digest, 32, SQLITE_STATIC);
	int step = sqlite3_step(keep);
	sqlite3_reset(keep);
	return step == SQLITE_DONE ? 0 : db_fail(db, err, "writing review fingerprints");
}

int reviews_clean(sqlite3 *db, struct source_runs *runs, const struct clean_rules *rules,
		  struct dq_log *log, struct clean_summary *sum, struct error *err)
{
	sqlite3_stmt *st = NULL, *insert = NULL, *seen = NULL, *keep = NULL;
	struct review_texts t = {.id = BUF_INIT, .product = BUF_INIT, .customer = BUF_INIT,
				  .title = BUF_INIT, .body = BUF_INIT};
	int rc, step = SQLITE_DONE;
	if ((rc = db_exec(db, fingerprints_sql, err)) < 0 ||
	    (rc = db_prepare(db,
			     "SELECT run_id, line, review_id, product_id, customer_id, rating, title,"
			     " body, review_date FROM raw_reviews ORDER BY rowid",
			     &st, err)) < 0 ||
	    (rc = db_prepare(db,
			     "INSERT INTO reviews (review_id, product_id, customer_id, rating, title,"
			     " body, review_date, flags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
			     " ON CONFLICT (review_id) DO NOTHING",
			     &insert, err)) < 0 ||
	    (rc = db_prepare(db, "SELECT 1 FROM temp.review_fingerprints WHERE digest = ?1",
			     &seen, err)) < 0 ||
	    (rc = db_prepare(db, "INSERT INTO temp.review_fingerprints (digest) VALUES (?1)",
			     &keep, err)) < 0)
		goto done;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t run = source_runs_find(runs, sqlite3_column_int64(st, R_RUN));
		if (run < 0)
			continue; /* cannot happen: the run exists by foreign key */
		int64_t line = sqlite3_column_int64(st, R_LINE);
		uint8_t digest[32];
		bind_review(insert, st, &runs->run[run], (uint32_t)run, rules, &t, log);
		if ((rc = said_before(db, seen, &t, digest, err)) < 0)
			goto done;
		if (rc == 1) {
			rc = 0;
			sqlite3_clear_bindings(insert);
			dq_count(log, DQ_REVIEW_DUPLICATE_TEXT, (uint32_t)run, line, 1);
			continue;
		}
		int done = sqlite3_step(insert);
		sqlite3_reset(insert);
		if (done != SQLITE_DONE) {
			rc = db_fail(db, err, "writing reviews");
			goto done;
		}
		if (!sqlite3_changes(db))
			dq_count(log, DQ_REVIEW_DUPLICATE_ID, (uint32_t)run, line, 1);
		else if ((rc = remember(db, keep, &t, digest, err)) < 0)
			goto done;
		else
			sum->reviews++;
	}
	if (step != SQLITE_DONE)
		rc = db_fail(db, err, "reading raw_reviews");
done:
	sqlite3_finalize(st);
	sqlite3_finalize(insert);
	sqlite3_finalize(seen);
	sqlite3_finalize(keep);
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.review_fingerprints", NULL, NULL, NULL);
	buf_free(&t.id);
	buf_free(&t.product);
	buf_free(&t.customer);
	buf_free(&t.title);
	buf_free(&t.body);
	return rc;
}
