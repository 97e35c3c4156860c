/* cohorts: monthly acquisition cohorts. A customer belongs to the month of their first
 * completed order; for each cohort and each month since then, the share of its
 * customers who ordered again in that month. Guests and cancelled or returned orders
 * do not count. Written to cohort_retention, read by the retention heatmap. */
#include "model/cohorts.h"

#include "db/db.h"

static const char cohort_sql[] =
	"DELETE FROM cohort_retention;"
	"WITH firsts AS ("
	"  SELECT customer_id, min(order_time) AS first_time FROM orders"
	"  WHERE customer_id IS NOT NULL AND status = 'completed' GROUP BY customer_id),"
	"activity AS ("
	"  SELECT DISTINCT o.customer_id, substr(f.first_time, 1, 7) AS cohort,"
	"    (CAST(substr(o.order_time, 1, 4) AS INTEGER) -"
	"     CAST(substr(f.first_time, 1, 4) AS INTEGER)) * 12 +"
	"    CAST(substr(o.order_time, 6, 2) AS INTEGER) -"
	"    CAST(substr(f.first_time, 6, 2) AS INTEGER) AS months_since"
	"  FROM orders o JOIN firsts f USING (customer_id) WHERE o.status = 'completed'),"
	"sizes AS ("
	"  SELECT cohort, count(*) AS customers FROM activity WHERE months_since = 0"
	"  GROUP BY cohort)"
	"INSERT INTO cohort_retention (cohort, months_since, customers, active, retention)"
	"  SELECT a.cohort, a.months_since, s.customers, count(*),"
	"         CAST(count(*) AS REAL) / s.customers"
	"  FROM activity a JOIN sizes s USING (cohort)"
	"  GROUP BY a.cohort, a.months_since ORDER BY a.cohort, a.months_since;";

int model_cohorts(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		  struct error *err)
{
	(void)opt;
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	if (db_exec(db, cohort_sql, err) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return ERR_SYSTEM;
	}
	if (db_exec(db, "COMMIT", err) < 0)
		return ERR_SYSTEM;
	int64_t cohorts = db_query_int(db, "SELECT count(DISTINCT cohort) FROM cohort_retention",
				       NULL, 0);
	double month1 = (double)db_query_int(
		db, "SELECT CAST(round(1000 * sum(active) / sum(customers)) AS INTEGER)"
		    " FROM cohort_retention WHERE months_since = 1", NULL, 0) / 10.0;
	buf_printf(summary, "cohorts: %lld monthly cohorts; %.1f%% of customers order again "
		   "the month after their first\n", (long long)cohorts, month1);
	return 0;
}
