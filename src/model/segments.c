/* segments: RFM scores, named segments, value tiers and k-means clusters into their
 * tables, in one transaction. */
#include "model/segments.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/clusters.h"
#include "model/model_days.h"
#include "model/model_figures.h"
#include "model/rfm.h"
#include "model/robust.h"
#include "util/xalloc.h"

#define KMEANS_MODEL "segments_kmeans"

static int write_customers(sqlite3 *db, const struct rfm_table *t,
			   const struct rfm_clustering *cl, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT INTO customer_rfm (customer_id, recency_days, frequency,"
			   " monetary_cents, r_score, f_score, m_score, rfm_score, segment,"
			   " value_tier, cluster) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			   " ?11)", &stmt, err) < 0)
		return ERR_SYSTEM;
	int rc = 0;
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		const struct rfm_customer *c = &t->customers[i];
		char score[4] = {(char)('0' + c->r), (char)('0' + c->f), (char)('0' + c->m), 0};
		sqlite3_bind_text(stmt, 1, t->customer_ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, c->recency_days);
		sqlite3_bind_int(stmt, 3, c->frequency);
		sqlite3_bind_int64(stmt, 4, c->monetary_cents);
		sqlite3_bind_int(stmt, 5, c->r);
		sqlite3_bind_int(stmt, 6, c->f);
		sqlite3_bind_int(stmt, 7, c->m);
		sqlite3_bind_text(stmt, 8, score, 3, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 9, rfm_segment_names[c->segment], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 10, value_tier_names[c->tier], -1, SQLITE_STATIC);
		if (cl->k > 0)
			sqlite3_bind_int(stmt, 11, cl->assignment[i]);
		else
			sqlite3_bind_null(stmt, 11);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing customer_rfm");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Median of one measure over the customers of a segment (scratch holds n values). */
static double segment_median(const struct rfm_table *t, enum rfm_segment s, int measure,
			     double *scratch)
{
	size_t m = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct rfm_customer *c = &t->customers[i];
		if (c->segment != s)
			continue;
		scratch[m++] = measure == 0 ? c->recency_days
			       : measure == 1 ? c->frequency : (double)c->monetary_cents;
	}
	return robust_median(scratch, m);
}

static int write_segments(sqlite3 *db, const struct rfm_table *t, size_t *counts,
			  struct error *err)
{
	double revenue[RFM_SEGMENT_COUNT] = {0}, total = 0.0;
	for (size_t i = 0; i < t->n; i++) {
		counts[t->customers[i].segment]++;
		revenue[t->customers[i].segment] += (double)t->customers[i].monetary_cents;
		total += (double)t->customers[i].monetary_cents;
	}
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT INTO rfm_segments (segment, rule, customers, share,"
			   " revenue_share, median_recency_days, median_frequency,"
			   " median_monetary_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	double *scratch = xmalloc((t->n ? t->n : 1) * sizeof *scratch);
	int rc = 0;
	for (int s = 0; s < RFM_SEGMENT_COUNT && rc == 0; s++) {
		sqlite3_bind_text(stmt, 1, rfm_segment_names[s], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, rfm_segment_rules[s], -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64)counts[s]);
		sqlite3_bind_double(stmt, 4, (double)counts[s] / (double)t->n);
		sqlite3_bind_double(stmt, 5, total != 0.0 ? revenue[s] / total : 0.0);
		for (int measure = 0; measure < 3; measure++) {
			if (counts[s])
				sqlite3_bind_double(stmt, 6 + measure,
						    segment_median(t, (enum rfm_segment)s, measure,
								   scratch));
			else
				sqlite3_bind_null(stmt, 6 + measure);
		}
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing rfm_segments");
		sqlite3_reset(stmt);
	}
	free(scratch);
	sqlite3_finalize(stmt);
	return rc;
}

static int write_clusters(sqlite3 *db, const struct rfm_table *t,
			  const struct rfm_clustering *cl, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT INTO rfm_clusters (cluster, customers, recency_days,"
			   " frequency, monetary_cents, main_segment, description)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &stmt, err) < 0)
		return ERR_SYSTEM;
	struct buf words = BUF_INIT;
	int rc = 0;
	for (int j = 0; j < cl->k && rc == 0; j++) {
		const double *centre = cl->centres + (size_t)j * 3;
		buf_reset(&words);
		rfm_cluster_describe(cl, j, t->customers, &words);
		/* The description starts "mostly <segment> (": the main segment is its head. */
		const char *head = buf_str(&words) + strlen("mostly ");
		const char *paren = strstr(head, " (");
		sqlite3_bind_int(stmt, 1, j);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)cl->sizes[j]);
		sqlite3_bind_double(stmt, 3, centre[0]);
		sqlite3_bind_double(stmt, 4, centre[1]);
		sqlite3_bind_double(stmt, 5, centre[2]);
		sqlite3_bind_text(stmt, 6, head, paren ? (int)(paren - head) : -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 7, buf_str(&words), -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing rfm_clusters");
		sqlite3_reset(stmt);
	}
	buf_free(&words);
	sqlite3_finalize(stmt);
	return rc;
}

static int write_cluster_figures(sqlite3 *db, const struct rfm_clustering *cl,
				 struct error *err)
{
	if (figures_clear(db, KMEANS_MODEL, err) < 0)
		return ERR_SYSTEM;
	if (cl->k == 0)
		return 0;
	int best = cl->k - CLUSTER_K_MIN;
	if (figures_put(db, KMEANS_MODEL, "k", cl->k, "chosen by silhouette among 3..8", err) < 0 ||
	    figures_put(db, KMEANS_MODEL, "silhouette", cl->silhouette[best],
			"log-scaled, standardised recency, frequency, monetary", err) < 0 ||
	    figures_put(db, KMEANS_MODEL, "n", (double)cl->n, "customers clustered", err) < 0)
		return ERR_SYSTEM;
	for (int k = CLUSTER_K_MIN; k <= cl->k_tried_max; k++)
		if (figures_put_point(db, KMEANS_MODEL, "silhouette", k, k,
				      cl->silhouette[k - CLUSTER_K_MIN], -1, err) < 0 ||
		    figures_put_point(db, KMEANS_MODEL, "inertia", k, k,
				      cl->inertia[k - CLUSTER_K_MIN], -1, err) < 0)
			return ERR_SYSTEM;
	return 0;
}

static void summarise(const struct rfm_table *t, const struct rfm_clustering *cl,
		      const size_t *counts, struct buf *summary)
{
	char day[11];
	day_to_text(t->as_of_day, day);
	buf_printf(summary, "segments: %zu customers scored as of %s:", t->n, day);
	const char *separator = " ";
	for (int s = 0; s < RFM_SEGMENT_COUNT; s++) {
		if (!counts[s])
			continue;
		buf_printf(summary, "%s%s %.0f%%", separator, rfm_segment_names[s],
			   100.0 * (double)counts[s] / (double)t->n);
		separator = ", ";
	}
	buf_putc(summary, '\n');
	buf_printf(summary, "segments: value tiers: High from %.2f spent (90th percentile), "
		   "Medium from %.2f (median)\n", t->monetary_p90 / 100.0, t->monetary_p50 / 100.0);
	if (cl->k > 0)
		buf_printf(summary, "segments: %d k-means clusters (silhouette %.2f, best of k = "
			   "3..%d)\n", cl->k, cl->silhouette[cl->k - CLUSTER_K_MIN], cl->k_tried_max);
	else
		buf_printf(summary, "segments: too few customers to cluster\n");
}

int model_segments(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		   struct error *err)
{
	struct rfm_table t = {0};
	struct rfm_clustering cl = {0};
	size_t counts[RFM_SEGMENT_COUNT] = {0};
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	int64_t last_day;
	const struct order_book *book = NULL;
	int rc = rfm_data_last_day(db, &last_day, err);
	if (rc == 0 && (rc = model_book_borrow(db, opt, &book, err)) == 0)
		rfm_table_build(book, last_day + 1, &t);
	model_book_return(opt, book);
	if (rc < 0)
		goto done;
	if (t.n == 0) { /* a shop of guests: nothing to score, nothing to change */
		buf_puts(summary, "segments: skipped: no customer has a completed order\n");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto done;
	}
	if ((rc = rfm_cluster(t.customers, t.n, opt->seed, &cl, err)) < 0 ||
	    (rc = db_exec(db, "DELETE FROM customer_rfm; DELETE FROM rfm_segments;"
			      " DELETE FROM rfm_clusters;", err)) < 0 ||
	    (rc = write_customers(db, &t, &cl, err)) < 0 ||
	    (rc = write_segments(db, &t, counts, err)) < 0 ||
	    (rc = write_clusters(db, &t, &cl, err)) < 0 ||
	    (rc = write_cluster_figures(db, &cl, err)) < 0 ||
	    (rc = db_exec(db, "COMMIT", err)) < 0)
		goto done;
	summarise(&t, &cl, counts, summary);
done:
	rfm_clustering_free(&cl);
	rfm_table_free(&t);
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
