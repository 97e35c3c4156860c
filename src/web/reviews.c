/* reviews: POST /reviews, a shopper's rating (1-5) and review of a product they bought.
 * A review is taken only against an order of the product that has no review of it yet,
 * found through this browser's session or the email given at checkout; its text is
 * stored as written (validated UTF-8, at most 2,000 bytes), shown escaped, and scored
 * with the sentiment lexicon on arrival. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "model/sentiment.h"
#include "web/shop.h"

static const char reviewable_order_sql[] =
	"SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id"
	" WHERE l.product_id = ?1 AND (o.session_id = ?2 OR (?3 IS NOT NULL AND o.email = ?3))"
	" AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_id = o.id AND r.product_id = ?1)"
	" ORDER BY o.id LIMIT 1";
static const char insert_review_sql[] =
	"INSERT INTO reviews (product_id, order_id, rating, body, sentiment, created)"
	" VALUES (?1, ?2, ?3, ?4, ?5, datetime(?6, 'unixepoch'))";
static const char product_name_sql[] = "SELECT name FROM products WHERE id = ?1";

/* The lexicon, loaded on the first review a process sees. */
static int lexicon(struct shop *shop, struct error *err)
{
	if (shop->lexicon)
		return 0;
	return sentiment_lexicon_load(shop->config.lexicon_path, &shop->lexicon, err);
}

/* The first order of the product this shopper may still review: >0, 0 none, or <0. */
static long long reviewable_order(struct shop_db *db, const struct shop_request *rq,
				  const char *product_id, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, reviewable_order_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	const char *email = field_text(&rq->fields, FIELD_EMAIL);
	sqlite3_bind_text(stmt, 1, product_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, rq->session.id);
	if (email)
		sqlite3_bind_text(stmt, 3, email, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	long long id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db->db, err, "finding the order to review");
	return id;
}

/* Stores the review against an order that allows it, in one write transaction. Returns
 * 1 when stored, 0 when this shopper may not review the product, or ERR_SYSTEM. */
static int store_review(struct shop_db *db, const struct shop_request *rq, const char *product_id,
			const char *text, double compound, struct error *err)
{
	if (shop_db_begin_write(db, SHOP_DB_DURABLE, err) < 0)
		return ERR_SYSTEM;
	long long order_id = reviewable_order(db, rq, product_id, err);
	if (order_id <= 0) {
		shop_db_rollback(db);
		return order_id < 0 ? ERR_SYSTEM : 0;
	}
	sqlite3_stmt *stmt = shop_db_stmt(db, insert_review_sql, err);
	if (!stmt)
		goto failed;
	sqlite3_bind_text(stmt, 1, product_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, order_id);
	sqlite3_bind_int64(stmt, 3, rq->fields.v[FIELD_RATING].number);
	sqlite3_bind_text(stmt, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 5, compound);
	sqlite3_bind_int64(stmt, 6, rq->now);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		db_fail(db->db, err, "storing the review");
		goto failed;
	}
	return shop_db_commit(db, err) < 0 ? ERR_SYSTEM : 1;
failed:
	shop_db_rollback(db);
	return ERR_SYSTEM;
}

/* Sets "product_name" in review from the catalog (empty when gone). */
static int add_product_name(struct shop_db *db, const char *product_id, struct value *review,
			    struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, product_name_sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, product_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	const unsigned char *name = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
	value_map_set_str(review, "product_name", name ? (const char *)name : product_id);
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading the product");
}

int handle_review_submit(struct shop *shop, struct shop_request *rq, struct error *err)
{
	const char *product_id = field_text(&rq->fields, FIELD_PRODUCT);
	const struct field_value *rating = &rq->fields.v[FIELD_RATING];
	const struct field_value *review = &rq->fields.v[FIELD_REVIEW];
	const struct field_value *email = &rq->fields.v[FIELD_EMAIL];
	if (!product_id) {
		respond_error(shop, rq, 400, "Which product? The form did not say.");
		return 0;
	}
	if (!rating->present || !rating->valid) {
		respond_error(shop, rq, 422, "Please give a rating from 1 to 5 stars.");
		return 0;
	}
	if (review->present && !review->valid) {
		respond_error(shop, rq, 422, "The review must be text of at most 2,000 characters.");
		return 0;
	}
	if (email->present && email->len && !email->valid) {
		respond_error(shop, rq, 422, "That email address does not look right.");
		return 0;
	}
	const char *text = review->present ? review->text : "";
	if (lexicon(shop, err) < 0)
		return ERR_SYSTEM;
	struct sentiment_score score;
	sentiment_score_text(shop->lexicon, text, strlen(text), &score);
	int stored = store_review(&shop->db, rq, product_id, text, score.compound, err);
	if (stored < 0)
		return ERR_SYSTEM;
	if (!stored) {
		respond_error(shop, rq, 403,
			      "We take reviews only from shoppers who bought the product, one per "
			      "purchase. Use the browser you ordered with, or the email you gave at "
			      "checkout.");
		return 0;
	}
	struct value *data = value_map_new();
	struct value *r = value_map_add_map(data, "review");
	value_map_set_str(r, "product_id", product_id);
	value_map_set_int(r, "rating", rating->number);
	value_map_set_str(r, "text", text);
	value_map_set_num(r, "sentiment", score.compound);
	value_map_set_str(r, "sentiment_label", sentiment_label_name(score.label));
	struct value *stars = value_map_add_list(r, "stars");
	for (long long i = 0; i < rating->number; i++)
		value_list_push(stars, value_bool_new(1));
	if (add_product_name(&shop->db, product_id, r, err) < 0) {
		value_free(data);
		return ERR_SYSTEM;
	}
	return respond_view(shop, rq, 201, PAGE_REVIEW, data, err);
}
