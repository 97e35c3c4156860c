/* page_products: how each product does: best sellers with units and revenue, revenue
 * by category, what shoppers say (sentiment by category and product, and the worst
 * recent reviews to act on), days of stock left at the recent rate of sale where stock
 * is known, and what is frequently bought together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/build_internal.h"
#include "util/excerpt.h"

/* All-time sales per product, for the best sellers, the categories and the
 * bought-together list: the bands' sums of the build's one read of the sales
 * (sales_pass.h), so this page renders on the build's own lane. */
static const char sold_table_sql[] =
	"DROP TABLE IF EXISTS temp.products_page_sold;"
	"CREATE TEMP TABLE products_page_sold AS SELECT product_id, sum(units) AS units,"
	" sum(revenue) AS cents, sum(orders) AS orders FROM temp.sales_band_products"
	" GROUP BY product_id";

static const char best_sellers_sql[] =
	"SELECT s.product_id, coalesce(p.name, s.product_id) AS name,"
	" printf('%,d', s.units) AS units, s.cents, printf('%,d', s.orders) AS orders"
	" FROM temp.products_page_sold s LEFT JOIN products p USING (product_id)"
	" ORDER BY s.cents DESC, s.product_id LIMIT 25";

static const char categories_sql[] =
	"SELECT coalesce(p.category, 'No category') AS category, sum(s.cents) / 100.0"
	" AS revenue FROM temp.products_page_sold s LEFT JOIN products p USING (product_id)"
	" GROUP BY 1 ORDER BY 2 DESC LIMIT 15";

static const char category_sentiment_sql[] =
	"SELECT category, printf('%,d', reviews) AS reviews,"
	" printf('%.2f', mean_rating) AS rating, printf('%+.2f', mean_compound) AS sentiment,"
	" printf('%.0f%%', 100 * negative_share) AS negative"
	" FROM category_sentiment ORDER BY mean_compound, category";

static const char product_sentiment_sql[] =
	"SELECT s.product_id, coalesce(p.name, s.product_id) AS name, s.reviews,"
	" printf('%.2f', s.mean_rating) AS rating, printf('%+.2f', s.mean_compound) AS sentiment,"
	" printf('%.0f%%', 100 * s.negative_share) AS negative,"
	" CASE WHEN s.trend IS NULL THEN '' WHEN s.trend < -0.05 THEN 'falling'"
	"  WHEN s.trend > 0.05 THEN 'rising' ELSE 'steady' END AS trend"
	" FROM product_sentiment s LEFT JOIN products p USING (product_id)"
	" WHERE s.scored >= 3 ORDER BY s.mean_compound, s.product_id LIMIT 15";

static const char worst_reviews_sql[] =
	"SELECT a.rank, coalesce(p.name, a.product_id, '') AS product,"
	" substr(a.review_date, 1, 10) AS review_date,"
	" printf('%+.2f', a.compound) AS sentiment, a.reason,"
	/* the reason names a rating of 1 or 2 stars; a higher one is told here */
	" CASE WHEN a.rating > 2 THEN a.rating || ' stars' END AS stars,"
	" coalesce(r.title || ': ', '') || coalesce(r.body, '') AS text"
	" FROM reviews_for_action a LEFT JOIN reviews r USING (review_id)"
	" LEFT JOIN products p ON p.product_id = a.product_id ORDER BY a.rank LIMIT 20";

/* Days of stock left at the rate of sale of the last 28 days of data (the view reads
 * just those days, through the orders' time index). */
static const char stock_sql[] =
	"WITH last AS (SELECT max(order_time) AS t FROM sales_lines),"
	" rate AS (SELECT product_id, sum(quantity) / 28.0 AS per_day FROM sales_lines, last"
	"   WHERE order_time >= datetime(last.t, '-28 days') GROUP BY product_id)"
	" SELECT p.product_id, p.name, p.stock, printf('%.1f', r.per_day) AS per_day,"
	" CASE WHEN p.stock <= 0 THEN 'sold out' ELSE printf('%d', CAST(p.stock / r.per_day AS INTEGER))"
	"  END AS days_left"
	" FROM products p JOIN rate r USING (product_id)"
	" WHERE p.stock IS NOT NULL AND r.per_day > 0"
	" ORDER BY p.stock / r.per_day, p.product_id LIMIT 20";

static const char together_sql[] =
	"SELECT p.name AS product, group_concat(q.name, ' · ') AS together FROM ("
	"  SELECT product_id FROM temp.products_page_sold"
	"  ORDER BY cents DESC, product_id LIMIT 10) top"
	" JOIN products p USING (product_id)"
	" JOIN item_neighbors n ON n.product_id = top.product_id AND n.rank <= 4"
	"  AND n.source = 'baskets'"
	" JOIN products q ON q.product_id = n.neighbor_id"
	" GROUP BY top.product_id ORDER BY min(p.name)";

static int add_best_sellers(struct build *b, struct value *data, struct error *err)
{
	struct value *rows = value_map_add_list(data, "best_sellers");
	int rc = query_rows(b->db, best_sellers_sql, NULL, 0, rows, err);
	for (size_t i = 0; rc == 0 && i < rows->as.list.len; i++) {
		struct value *row = rows->as.list.items[i];
		struct buf t = BUF_INIT;
		build_money(b, (long long)value_number_of(row, "cents", 0), 0, &t);
		value_map_set_str(row, "revenue", buf_str(&t));
		value_map_set_int(row, "rank", (long long)i + 1);
		buf_free(&t);
	}
	struct value *cats = value_list_new();
	if (rc == 0)
		rc = query_rows(b->db, categories_sql, NULL, 0, cats, err);
	size_t n = cats->as.list.len;
	double *revenue = query_numbers(cats, "revenue");
	const char **names = query_labels(cats, "category");
	struct chart_series series = {"Revenue", revenue, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .horizontal = 1, .title = "Revenue by category",
		.subtitle = "Completed orders, all time; the 15 largest categories",
		.source = "Source: order_items joined with products", .format = b->money,
		.point_count = n, .categories = names, .series = &series, .series_count = 1,
	};
	if (rc == 0 && n > 1)
		rc = build_chart(b, &spec, "product-categories", value_map_add_map(data, "categories_chart"),
				 err);
	free(revenue);
	free(names);
	value_free(cats);
	return rc;
}

/* A review in the list to act on shows its first REVIEW_EXCERPT bytes or so. */
#define REVIEW_EXCERPT 280

static void shorten_reviews(struct value *reviews)
{
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < reviews->as.list.len; i++) {
		struct value *review = reviews->as.list.items[i];
		const char *whole = value_string_of(review, "text", "");
		buf_reset(&text);
		excerpt_append(whole, strlen(whole), REVIEW_EXCERPT, &text);
		value_map_set_str(review, "text", buf_str(&text));
	}
	buf_free(&text);
}

static int add_sentiment(struct build *b, struct value *data, struct error *err)
{
	int rc = query_rows(b->db, category_sentiment_sql, NULL, 0,
			    value_map_add_list(data, "category_sentiment"), err);
	if (rc == 0)
		rc = query_rows(b->db, product_sentiment_sql, NULL, 0,
				value_map_add_list(data, "product_sentiment"), err);
	struct value *worst = value_map_add_list(data, "worst_reviews");
	if (rc == 0)
		rc = query_rows(b->db, worst_reviews_sql, NULL, 0, worst, err);
	if (rc == 0)
		shorten_reviews(worst);
	return rc;
}

int page_products(struct build *b, struct error *err)
{
	struct value *data = value_map_new();
	int rc = db_exec(b->db, sold_table_sql, err);
	if (rc == 0)
		rc = add_best_sellers(b, data, err);
	int have_reviews = build_has_rows(b, "product_sentiment");
	value_map_set_bool(data, "have_reviews", have_reviews);
	if (rc == 0 && have_reviews)
		rc = add_sentiment(b, data, err);
	struct value *stock = value_map_add_list(data, "stock");
	if (rc == 0)
		rc = query_rows(b->db, stock_sql, NULL, 0, stock, err);
	value_map_set_bool(data, "has_stock", stock->as.list.len > 0);
	if (rc == 0 && build_has_rows(b, "item_neighbors"))
		rc = query_rows(b->db, together_sql, NULL, 0, value_map_add_list(data, "together"),
				err);
	if (rc < 0) {
		value_free(data);
		return rc;
	}
	return build_page(b, "products", "products.html", "products", NULL, data, err);
}
