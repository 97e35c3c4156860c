/* product_recs: "frequently bought together" for one product, read from shop.db: the
 * product's neighbours (product_recs), padded with its category's best sellers
 * (popular_by_category). One function fills the answer and one writes its JSON, and
 * both the route GET /recs/product/<id> (recs_api.c) and `cartograph build`, which
 * writes the same answers as static files for a CDN (out/recs/product/<name>.json),
 * use them, so the two can never say different things. */
#ifndef CARTOGRAPH_PRODUCT_RECS_H
#define CARTOGRAPH_PRODUCT_RECS_H

#include "report/value.h"
#include "util/buf.h"
#include "util/error.h"
#include "web/shop_db.h"

/* Recommendations when the request does not say how many (and in the static files). */
#define PRODUCT_RECS_DEFAULT_COUNT 10

/* Fills answer (an empty map) with product_id, title, recs (a list of rank, product_id,
 * name, price, price_text, score, in_stock and source: "bought_together" or
 * "popular_in_category") and category. Returns 1 when shop.db has the product, 0 when
 * it does not (answer is left as it was), or ERR_SYSTEM. */
int product_recs_describe(struct shop_db *db, const char *product_id, int count,
			  struct value *answer, struct error *err);

/* Steps stmt, whose rows are (product id, name, price in cents, score, stock), and
 * appends one map per row to list as product_recs_describe does, labelled with source.
 * Returns 0 or ERR_SYSTEM. */
int product_recs_add_rows(struct shop_db *db, sqlite3_stmt *stmt, struct value *list,
			  const char *source, struct error *err);

/* Appends the JSON the route answers with for answer: compact, and a newline. */
void product_recs_json(const struct value *answer, struct buf *out);

#endif
