/* customer360: customer_360 built in SQL from the typed tables and the model tables,
 * aggregated per customer inside SQLite (memory grows with customers, not order lines). */
#include "model/customer360.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/model_days.h"
#include "model/product_groups.h"
#include "model/rfm.h"
#include "util/xalloc.h"

/* ?1 = the as-of day 'YYYY-MM-DD' (the day after the data's last day). "CROSS JOIN" keeps
 * SQLite's join order: orders in customer order through the orders_customer index, then
 * each order's lines by primary key, so the per-customer aggregates need no sort. */
static const char customer360_sql[] =
	"WITH per_customer AS ("
	"  SELECT o.customer_id, sum(i.line_total_cents) AS ltv,"
	"         count(DISTINCT o.order_id) AS orders, min(o.order_time) AS first_time,"
	"         max(o.order_time) AS last_time, count(DISTINCT i.product_id) AS products"
	"  FROM orders o CROSS JOIN order_items i ON i.order_id = o.order_id AND i.flags = 0"
	"  WHERE o.status = 'completed' AND o.customer_id IS NOT NULL"
	"  GROUP BY o.customer_id),"
	"returned AS ("
	"  SELECT customer_id, count(*) AS n FROM orders"
	"  WHERE customer_id IS NOT NULL AND status IN ('cancelled', 'returned')"
	"  GROUP BY customer_id)"
	" INSERT INTO customer_360 (customer_id, lifetime_value_cents, orders,"
	"   avg_order_value_cents, first_purchase, last_purchase, tenure_days, mean_gap_days,"
	"   distinct_products, return_rate, segment, value_tier, cluster, churn_risk,"
	"   churn_reason)"
	" SELECT c.customer_id, c.ltv, c.orders, CAST(round(1.0 * c.ltv / c.orders) AS INTEGER),"
	"   date(c.first_time), date(c.last_time),"
	"   CAST(julianday(?1) - julianday(date(c.first_time)) AS INTEGER),"
	"   CASE WHEN c.orders > 1"
	"     THEN (julianday(c.last_time) - julianday(c.first_time)) / (c.orders - 1) END,"
	"   c.products, 1.0 * coalesce(r.n, 0) / (c.orders + coalesce(r.n, 0)),"
	"   s.segment, s.value_tier, s.cluster, cs.risk, cs.reason"
	" FROM per_customer c"
	" LEFT JOIN returned r ON r.customer_id = c.customer_id"
	" LEFT JOIN customer_rfm s ON s.customer_id = c.customer_id"
	" LEFT JOIN churn_scores cs ON cs.customer_id = c.customer_id";

/* Each unflagged line of a completed order, in customer order (no sort, as above). */
static const char group_lines_sql[] =
	"SELECT o.customer_id, i.product_id, i.line_total_cents"
	" FROM orders o CROSS JOIN order_items i ON i.order_id = o.order_id AND i.flags = 0"
	" WHERE o.status = 'completed' AND o.customer_id IS NOT NULL"
	" ORDER BY o.customer_id";

/* Spend on one product group (one entry per line until summed). */
struct group_spend {
	size_t group;        /* index in product_groups.groups, which are in name order */
	int64_t spend_cents;
};

struct favourites {
	const struct product_groups *pg;
	char *customer_id;         /* owned; the customer being gathered */
	struct group_spend *lines; /* their lines */
	size_t n, cap;
	sqlite3_stmt *update;      /* sets one customer's favourite */
};

static int compare_groups(const void *pa, const void *pb)
{
	const struct group_spend *a = pa, *b = pb;
	return (a->group > b->group) - (a->group < b->group);
}

/* Sums the gathered lines by group, stores the group with the most spend (the name that
 * sorts first on a tie: groups are numbered in name order) and empties the gathering. */
static int store_favourite(sqlite3 *db, struct favourites *f, struct error *err)
{
	if (!f->customer_id || f->n == 0)
		return 0;
	qsort(f->lines, f->n, sizeof *f->lines, compare_groups);
	size_t best = 0;
	int64_t best_spend = INT64_MIN, run = 0;
	for (size_t i = 0; i < f->n; i++) {
		run += f->lines[i].spend_cents;
		if (i + 1 < f->n && f->lines[i + 1].group == f->lines[i].group)
			continue;
		if (run > best_spend) {
			best_spend = run;
			best = f->lines[i].group;
		}
		run = 0;
	}
	f->n = 0;
	sqlite3_bind_text(f->update, 1, f->pg->groups[best], -1, SQLITE_STATIC);
	sqlite3_bind_text(f->update, 2, f->customer_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(f->update) == SQLITE_DONE ? 0 : db_fail(db, err, "storing favourites");
	sqlite3_reset(f->update);
	return rc;
}

static void add_group_line(struct favourites *f, size_t group, int64_t spend)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->lines = xreallocarray(f->lines, f->cap, sizeof *f->lines);
	}
	f->lines[f->n++] = (struct group_spend){group, spend};
}

/* Fills customer_360.favourite_category from one pass over the lines in customer order. */
static int store_favourites(sqlite3 *db, const struct product_groups *pg, struct error *err)
{
	struct favourites f = {pg, NULL, NULL, 0, 0, NULL};
	sqlite3_stmt *lines = NULL;
	int rc = 0, step = SQLITE_DONE;
	if (db_prepare(db, "UPDATE customer_360 SET favourite_category = ?1 WHERE customer_id = ?2",
		       &f.update, err) < 0 || db_prepare(db, group_lines_sql, &lines, err) < 0)
		rc = ERR_SYSTEM;
	while (rc == 0 && (step = sqlite3_step(lines)) == SQLITE_ROW) {
		const char *customer = (const char *)sqlite3_column_text(lines, 0);
		const char *product_id = (const char *)sqlite3_column_text(lines, 1);
		long product = product_id ? product_groups_find(pg, product_id) : -1;
		if (!f.customer_id || strcmp(f.customer_id, customer) != 0) {
			if ((rc = store_favourite(db, &f, err)) < 0)
				break;
			free(f.customer_id);
			f.customer_id = xstrdup(customer);
		}
		if (product >= 0)
			add_group_line(&f, pg->group_of[product], sqlite3_column_int64(lines, 2));
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(db, err, "reading order lines");
	if (rc == 0)
		rc = store_favourite(db, &f, err);
	free(f.lines);
	free(f.customer_id);
	sqlite3_finalize(lines);
	sqlite3_finalize(f.update);
	return rc;
}

static int build(sqlite3 *db, const char *as_of, struct error *err)
{
	if (db_exec(db, "DELETE FROM customer_360", err) < 0)
		return ERR_SYSTEM;
	sqlite3_stmt *stmt;
	if (db_prepare(db, customer360_sql, &stmt, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, as_of, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : db_fail(db, err, "building customer_360");
	sqlite3_finalize(stmt);
	struct product_groups pg;
	if (rc == 0 && (rc = product_groups_load(db, &pg, err)) == 0) {
		rc = store_favourites(db, &pg, err);
		product_groups_free(&pg);
	}
	return rc;
}

int model_customer360(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		      struct error *err)
{
	(void)opt;
	int64_t last_day;
	int rc = rfm_data_last_day(db, &last_day, err);
	if (rc < 0)
		return rc;
	char as_of[11];
	day_to_text(last_day + 1, as_of);
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	if ((rc = build(db, as_of, err)) < 0 || (rc = db_exec(db, "COMMIT", err)) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	int64_t customers = db_query_int(db, "SELECT count(*) FROM customer_360", NULL, 0);
	int64_t scored = db_query_int(db, "SELECT count(churn_risk) FROM customer_360", NULL, 0);
	int64_t segmented = db_query_int(db, "SELECT count(segment) FROM customer_360", NULL, 0);
	buf_printf(summary, "customers: %lld customer profiles (%lld with a segment, %lld with "
		   "a churn risk)\n", (long long)customers, (long long)segmented, (long long)scored);
	return 0;
}
