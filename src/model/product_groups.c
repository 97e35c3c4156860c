/* product_groups: one query over the distinct products of order_items (read from the
 * order_items_product index, already in order), their groups sorted and numbered. */
#include "model/product_groups.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/xalloc.h"

static const char products_sql[] =
	"SELECT s.product_id,"
	"       coalesce(nullif(p.category, ''), nullif(p.name, ''), s.product_id)"
	" FROM (SELECT DISTINCT product_id FROM order_items) s"
	" LEFT JOIN products p ON p.product_id = s.product_id"
	" ORDER BY s.product_id";

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Numbers the distinct group names; names[i] is product i's group, taken over. */
static void number_groups(struct product_groups *pg, char **names)
{
	size_t n = pg->n_products;
	pg->groups = xmalloc((n ? n : 1) * sizeof *pg->groups);
	memcpy(pg->groups, names, n * sizeof *names);
	qsort(pg->groups, n, sizeof *pg->groups, compare_strings);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (!kept || strcmp(pg->groups[kept - 1], pg->groups[i]) != 0)
			pg->groups[kept++] = pg->groups[i];
	pg->n_groups = kept;
	pg->group_of = xmalloc((n ? n : 1) * sizeof *pg->group_of);
	for (size_t i = 0; i < n; i++) {
		char **found = bsearch(&names[i], pg->groups, kept, sizeof *pg->groups,
				       compare_strings);
		pg->group_of[i] = (size_t)(found - pg->groups);
		if (*found != names[i])
			free(names[i]); /* a duplicate name: the kept copy stands for it */
	}
}

int product_groups_load(sqlite3 *db, struct product_groups *pg, struct error *err)
{
	memset(pg, 0, sizeof *pg);
	sqlite3_stmt *stmt;
	if (db_prepare(db, products_sql, &stmt, err) < 0)
		return ERR_SYSTEM;
	char **names = NULL;
	size_t cap = 0;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);
		const char *group = (const char *)sqlite3_column_text(stmt, 1);
		if (!id || !group)
			continue;
		if (pg->n_products == cap) {
			cap = cap ? 2 * cap : 256;
			pg->product_ids = xreallocarray(pg->product_ids, cap, sizeof *pg->product_ids);
			names = xreallocarray(names, cap, sizeof *names);
		}
		pg->product_ids[pg->n_products] = xstrdup(id);
		names[pg->n_products++] = xstrdup(group);
	}
	sqlite3_finalize(stmt);
	number_groups(pg, names);
	free(names);
	if (step != SQLITE_DONE) {
		product_groups_free(pg);
		return db_fail(db, err, "listing products");
	}
	return 0;
}

void product_groups_free(struct product_groups *pg)
{
	for (size_t i = 0; i < pg->n_products; i++)
		free(pg->product_ids[i]);
	for (size_t i = 0; i < pg->n_groups; i++)
		free(pg->groups[i]);
	free(pg->product_ids);
	free(pg->group_of);
	free(pg->groups);
	memset(pg, 0, sizeof *pg);
}

long product_groups_find(const struct product_groups *pg, const char *product_id)
{
	size_t lo = 0, hi = pg->n_products;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(product_id, pg->product_ids[mid]);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}
