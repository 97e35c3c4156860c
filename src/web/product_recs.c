/* product_recs: the answer of GET /recs/product/<id>, shared by shop.cgi and the static
 * files `cartograph build` writes. */
#include "web/product_recs.h"

#include <assert.h>

#include "db/db.h"
#include "web/shop.h"

static const char product_sql[] = "SELECT name, category FROM products WHERE id = ?1";
static const char together_sql[] =
	"SELECT r.rec_product_id, p.name, p.price_cents, r.score, p.stock"
	" FROM product_recs r JOIN products p ON p.id = r.rec_product_id"
	" WHERE r.product_id = ?1 ORDER BY r.rank LIMIT ?2";
static const char popular_sql[] =
	"SELECT c.product_id, p.name, p.price_cents, c.score, p.stock"
	" FROM popular_by_category c JOIN products p ON p.id = c.product_id"
	" WHERE c.category = ?2 AND c.product_id <> ?1"
	" AND c.product_id NOT IN (SELECT rec_product_id FROM product_recs WHERE product_id = ?1)"
	" ORDER BY c.rank LIMIT ?3";

int product_recs_add_rows(struct shop_db *db, sqlite3_stmt *stmt, struct value *list, const char *source,
		    struct error *err)
{
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct value *item = value_list_add_map(list);
		const unsigned char *id = sqlite3_column_text(stmt, 0);
		const unsigned char *name = sqlite3_column_text(stmt, 1);
		value_map_set_int(item, "rank", (long long)list->as.list.len);
		value_map_set_str(item, "product_id", id ? (const char *)id : "");
		value_map_set_str(item, "name", name ? (const char *)name : "");
		value_map_set_money(item, "price", sqlite3_column_int64(stmt, 2));
		value_map_set_num(item, "score", sqlite3_column_double(stmt, 3));
		value_map_set_bool(item, "in_stock", sqlite3_column_int64(stmt, 4) > 0);
		value_map_set_str(item, "source", source);
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading recommendations");
}

/* Reads the product's category (NULL when it has none) into category; 1 when the
 * product exists, 0 when not, or ERR_SYSTEM. */
static int find_product(struct shop_db *db, const char *product_id, struct buf *category,
			int *has_category, struct error *err)
{
	sqlite3_stmt *product = shop_db_stmt(db, product_sql, err);
	if (!product)
		return ERR_SYSTEM;
	sqlite3_bind_text(product, 1, product_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(product);
	if (rc == SQLITE_ROW) {
		const unsigned char *text = sqlite3_column_text(product, 1);
		*has_category = text != NULL;
		buf_puts(category, text ? (const char *)text : "");
	}
	sqlite3_reset(product);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "reading the product");
}

/* Fills recs: the neighbours first, then the category's best sellers up to count. */
static int add_recs(struct shop_db *db, const char *product_id, const char *category,
		    int count, struct value *recs, struct error *err)
{
	sqlite3_stmt *together = shop_db_stmt(db, together_sql, err);
	if (!together)
		return ERR_SYSTEM;
	sqlite3_bind_text(together, 1, product_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(together, 2, count);
	if (product_recs_add_rows(db, together, recs, "bought_together", err) < 0)
		return ERR_SYSTEM;
	if ((int)recs->as.list.len >= count)
		return 0;
	sqlite3_stmt *popular = shop_db_stmt(db, popular_sql, err);
	if (!popular)
		return ERR_SYSTEM;
	sqlite3_bind_text(popular, 1, product_id, -1, SQLITE_STATIC);
	if (category)
		sqlite3_bind_text(popular, 2, category, -1, SQLITE_STATIC);
	sqlite3_bind_int(popular, 3, count - (int)recs->as.list.len);
	return product_recs_add_rows(db, popular, recs, "popular_in_category", err);
}

int product_recs_describe(struct shop_db *db, const char *product_id, int count,
			  struct value *answer, struct error *err)
{
	assert(answer->type == VALUE_MAP && answer->as.map.len == 0);
	struct buf category = BUF_INIT;
	int has_category = 0;
	int found = find_product(db, product_id, &category, &has_category, err);
	if (found == 1) {
		value_map_set_str(answer, "product_id", product_id);
		value_map_set_str(answer, "title", "Frequently bought together");
		struct value *recs = value_map_add_list(answer, "recs");
		value_map_set_str(answer, "category", has_category ? buf_str(&category) : NULL);
		if (add_recs(db, product_id, has_category ? buf_str(&category) : NULL, count, recs,
			     err) < 0)
			found = ERR_SYSTEM;
	}
	buf_free(&category);
	return found;
}

void product_recs_json(const struct value *answer, struct buf *out)
{
	value_to_json(answer, out);
	buf_putc(out, '\n');
}
