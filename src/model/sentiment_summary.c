/* sentiment_summary: per-product, per-category and monthly sentiment, and the reviews
 * listed for action (see sentiment_summary.h). Reviews without text (scorer 'none')
 * count in `reviews` and the mean rating but not in any sentiment figure. */
#include "model/sentiment_summary.h"

#include <stddef.h>

#include "db/db.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char summary_sql[] =
	"DELETE FROM product_sentiment; DELETE FROM category_sentiment;"
	"DELETE FROM sentiment_monthly; DELETE FROM reviews_for_action;"

	"WITH since AS (SELECT datetime(max(review_date), '-" STR(SENTIMENT_RECENT_DAYS)
	" days') AS day FROM reviews),"
	"r AS (SELECT r.product_id, r.rating, r.review_date, s.scorer != 'none' AS scored,"
	"        s.compound, s.label, r.review_date >= (SELECT day FROM since) AS recent"
	"      FROM reviews r JOIN review_sentiment s USING (review_id)"
	"      WHERE r.product_id IS NOT NULL)"
	"INSERT INTO product_sentiment (product_id, reviews, scored, mean_rating,"
	"  mean_compound, negative_share, positive_share, recent_compound, trend, last_review)"
	" SELECT product_id, count(*), sum(scored), avg(rating),"
	"  avg(CASE WHEN scored THEN compound END),"
	"  avg(CASE WHEN scored THEN label = 'negative' END),"
	"  avg(CASE WHEN scored THEN label = 'positive' END),"
	"  avg(CASE WHEN scored AND recent THEN compound END),"
	"  CASE WHEN sum(scored AND recent) >= 3 AND sum(scored AND NOT recent) >= 3"
	"   THEN avg(CASE WHEN scored AND recent THEN compound END)"
	"      - avg(CASE WHEN scored AND NOT recent THEN compound END) END,"
	"  max(review_date)"
	" FROM r GROUP BY product_id ORDER BY product_id;"

	"INSERT INTO category_sentiment (category, products, reviews, scored, mean_rating,"
	"  mean_compound, negative_share, positive_share)"
	" SELECT p.category, count(DISTINCT r.product_id), count(*), sum(s.scorer != 'none'),"
	"  avg(r.rating),"
	"  avg(CASE WHEN s.scorer != 'none' THEN s.compound END),"
	"  avg(CASE WHEN s.scorer != 'none' THEN s.label = 'negative' END),"
	"  avg(CASE WHEN s.scorer != 'none' THEN s.label = 'positive' END)"
	" FROM reviews r JOIN review_sentiment s USING (review_id)"
	"  JOIN products p ON p.product_id = r.product_id"
	" WHERE p.category IS NOT NULL GROUP BY p.category ORDER BY p.category;"

	"WITH m AS (SELECT r.product_id, p.category, substr(r.review_date, 1, 7) AS month,"
	"    s.compound, s.label, r.rating"
	"  FROM reviews r JOIN review_sentiment s USING (review_id)"
	"  LEFT JOIN products p ON p.product_id = r.product_id"
	"  WHERE s.scorer != 'none' AND r.review_date IS NOT NULL)"
	"INSERT INTO sentiment_monthly (scope, key, month, reviews, mean_compound,"
	"  negative_share, mean_rating)"
	" SELECT 'shop', '', month, count(*), avg(compound), avg(label = 'negative'),"
	"  avg(rating) FROM m GROUP BY month"
	" UNION ALL SELECT 'category', category, month, count(*), avg(compound),"
	"  avg(label = 'negative'), avg(rating) FROM m WHERE category IS NOT NULL"
	"  GROUP BY category, month"
	" UNION ALL SELECT 'product', product_id, month, count(*), avg(compound),"
	"  avg(label = 'negative'), avg(rating) FROM m WHERE product_id IS NOT NULL"
	"  GROUP BY product_id, month;"

	/* negative text or one or two stars, most negative first; undated reviews only
	 * when no review has a date */
	"WITH since AS (SELECT datetime(max(review_date), '-" STR(SENTIMENT_RECENT_DAYS)
	" days') AS day FROM reviews)"
	"INSERT INTO reviews_for_action (rank, review_id, product_id, review_date, rating,"
	"  compound, reason)"
	" SELECT row_number() OVER (ORDER BY s.compound, coalesce(r.rating, 6),"
	"    r.review_date DESC, r.review_id),"
	"  r.review_id, r.product_id, r.review_date, r.rating, s.compound,"
	"  CASE WHEN s.label = 'negative' AND r.rating <= 2"
	"    THEN 'negative text, ' || r.rating || (CASE r.rating WHEN 1 THEN ' star'"
	"      ELSE ' stars' END)"
	"   WHEN s.label = 'negative' THEN 'negative text'"
	"   ELSE r.rating || (CASE r.rating WHEN 1 THEN ' star' ELSE ' stars' END) END"
	" FROM reviews r JOIN review_sentiment s USING (review_id), since"
	" WHERE (s.label = 'negative' OR r.rating <= 2)"
	"  AND (since.day IS NULL OR r.review_date >= since.day)"
	" ORDER BY 1 LIMIT " STR(SENTIMENT_ACTION_LIST) ";";

int sentiment_summarise(sqlite3 *db, struct sentiment_summary_counts *counts,
			struct error *err)
{
	if (db_exec(db, summary_sql, err) < 0)
		return ERR_SYSTEM;
	counts->products = db_query_int(db, "SELECT count(*) FROM product_sentiment", NULL, 0);
	counts->categories = db_query_int(db, "SELECT count(*) FROM category_sentiment", NULL, 0);
	counts->months = db_query_int(
		db, "SELECT count(*) FROM sentiment_monthly WHERE scope = 'shop'", NULL, 0);
	counts->for_action = db_query_int(db, "SELECT count(*) FROM reviews_for_action", NULL, 0);
	return 0;
}
