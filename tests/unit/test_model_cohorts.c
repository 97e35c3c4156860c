/* Unit tests of the cohort step: customers grouped by the month of their first
 * completed order, and the share ordering again N months later. */
#include "check.h"

#include "temp_warehouse.h"

#include "model/cohorts.h"

static void test_cohort_retention_counts_returning_customers_by_month(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	struct error err;
	/* January: a, b, c start; a returns in February and April, b in February;
	 * c's February order was cancelled; a guest order never counts.
	 * February: d starts (a December-to-January year change is checked by e). */
	CHECK(db_exec(db,
		      "INSERT INTO orders (order_id, customer_id, order_time, status) VALUES"
		      " ('1','a','2024-01-05 10:00:00','completed'),"
		      " ('2','b','2024-01-20 10:00:00','completed'),"
		      " ('3','c','2024-01-31 10:00:00','completed'),"
		      " ('4','a','2024-02-01 10:00:00','completed'),"
		      " ('5','b','2024-02-10 10:00:00','completed'),"
		      " ('6','c','2024-02-11 10:00:00','cancelled'),"
		      " ('7','a','2024-04-01 10:00:00','completed'),"
		      " ('8','a','2024-04-02 10:00:00','completed'),"
		      " ('9',NULL,'2024-01-02 10:00:00','completed'),"
		      " ('10','d','2024-02-03 10:00:00','completed'),"
		      " ('11','e','2023-12-30 10:00:00','completed'),"
		      " ('12','e','2024-01-02 10:00:00','completed');",
		      &err) == 0);
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	CHECK_INT(model_cohorts(db, &opt, &summary, &err), 0);
	CHECK_INT(db_query_int(db, "SELECT active FROM cohort_retention WHERE cohort='2024-01' "
				   "AND months_since=0", NULL, -1), 3);
	CHECK_INT(db_query_int(db, "SELECT active FROM cohort_retention WHERE cohort='2024-01' "
				   "AND months_since=1", NULL, -1), 2);
	CHECK_INT(db_query_int(db, "SELECT active FROM cohort_retention WHERE cohort='2024-01' "
				   "AND months_since=3", NULL, -1), 1);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM cohort_retention WHERE "
				   "cohort='2024-01' AND months_since=2", NULL, -1), 0);
	CHECK_INT(db_query_int(db, "SELECT active FROM cohort_retention WHERE cohort='2023-12' "
				   "AND months_since=1", NULL, -1), 1);
	CHECK_INT(db_query_int(db, "SELECT customers FROM cohort_retention WHERE "
				   "cohort='2024-02' AND months_since=0", NULL, -1), 1);
	CHECK(strstr(buf_str(&summary), "3 monthly cohorts") != NULL);
	/* running it again gives the same table */
	int64_t rows = db_query_int(db, "SELECT count(*) FROM cohort_retention", NULL, -1);
	CHECK_INT(model_cohorts(db, &opt, &summary, &err), 0);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM cohort_retention", NULL, -1), rows);
	buf_free(&summary);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_cohort_retention_counts_returning_customers_by_month);
	return check_summary();
}
