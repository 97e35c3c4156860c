/* page_overview: the front page of the report, one per period: KPI cards (revenue,
 * orders, average order value, customers, returning-customer rate, conversion rate,
 * anomalies), each with its change against the period before; daily revenue with
 * anomaly markers; revenue by month. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "report/build_internal.h"
#include "util/xalloc.h"

/* The period's orders and buyers are read once each; a returning buyer is found at
 * their second completed order, not by counting them all. */
static const char kpi_sql[] =
	"WITH sold AS MATERIALIZED (SELECT cents, customer_id FROM temp.sales_orders"
	"   WHERE order_time >= ?1 AND order_time < ?2),"
	" buyers AS MATERIALIZED (SELECT DISTINCT customer_id FROM sold"
	"   WHERE customer_id IS NOT NULL)"
	" SELECT s.revenue, s.orders,"
	"  (SELECT count(*) FROM buyers) AS customers,"
	"  (SELECT count(*) FROM buyers b WHERE (SELECT 1 FROM orders o"
	"     WHERE o.customer_id = b.customer_id AND o.status = 'completed'"
	"       AND o.order_time < ?2 LIMIT 1 OFFSET 1) IS NOT NULL) AS returning_customers,"
	"  (SELECT count(DISTINCT session_id) FROM events"
	"     WHERE event_time >= ?1 AND event_time < ?2) AS sessions,"
	"  (SELECT count(DISTINCT session_id) FROM events WHERE event_type = 'purchase'"
	"     AND event_time >= ?1 AND event_time < ?2) AS buying_sessions,"
	"  (SELECT count(*) FROM daily_sales WHERE flagged = 1"
	"     AND day >= date(?1) AND day < date(?2)) AS anomalies"
	" FROM (SELECT coalesce(sum(cents), 0) AS revenue, count(*) AS orders FROM sold) s";

static const char daily_sql[] =
	"WITH RECURSIVE days(d) AS (SELECT date(?1) UNION ALL"
	"   SELECT date(d, '+1 day') FROM days WHERE d < date(?2, '-1 day')),"
	" sales AS (SELECT substr(order_time, 1, 10) AS d, sum(cents) AS cents"
	"   FROM temp.sales_orders WHERE order_time >= ?1 AND order_time < ?2 GROUP BY 1)"
	" SELECT days.d AS day, CAST(julianday(days.d) - 2440587.5 AS INTEGER) AS daynum,"
	"  coalesce(sales.cents, 0) / 100.0 AS revenue"
	" FROM days LEFT JOIN sales USING (d) ORDER BY days.d";

static const char anomalies_sql[] =
	"SELECT day, direction FROM daily_sales WHERE flagged = 1"
	" AND day >= date(?1) AND day < date(?2) ORDER BY day";

static const char monthly_sql[] =
	"SELECT " MONTH_LABEL_SQL("order_time") " AS month, sum(cents) / 100.0 AS revenue"
	" FROM temp.sales_orders WHERE order_time >= ?1 AND order_time < ?2"
	" GROUP BY substr(order_time, 1, 7) ORDER BY substr(order_time, 1, 7)";

/* How a KPI's change reads: a rise is good news, or neither good nor bad. */
enum kpi_sense { KPI_MORE_IS_BETTER, KPI_NEUTRAL };

/* How a KPI's change is told: as a share of the figure before; for a rate, as the
 * difference in percentage points (a conversion rate from 2.0% to 2.2% is "+0.2 pts",
 * not "+10%"); for a small count, as the difference (unusual days from 0 to 2 is
 * "+2", where a share of 0 says nothing). */
enum kpi_change { CHANGE_RELATIVE, CHANGE_POINTS, CHANGE_DIFFERENCE };

struct kpi {
	const char *label, *text; /* the figure as shown */
	const char *note;         /* a line under it, or NULL */
	double now, before;       /* the figure and the previous period's, to compare */
	enum kpi_sense sense;
	enum kpi_change change;
};

/* Adds one KPI card: the figure, and its change against the previous period, coloured
 * by sense. */
static void add_kpi(struct value *cards, const struct kpi *k, int have_before)
{
	struct value *card = value_list_add_map(cards);
	value_map_set_str(card, "label", k->label);
	value_map_set_str(card, "value", k->text);
	if (k->note)
		value_map_set_str(card, "note", k->note);
	double change = k->change == CHANGE_POINTS       ? (k->now - k->before) * 100
			: k->change == CHANGE_DIFFERENCE ? k->now - k->before
							 : k->now / k->before - 1.0;
	if (!have_before || (k->change == CHANGE_RELATIVE && k->before == 0) || !isfinite(change))
		return;
	const char *sign = change >= 0 ? "+" : "\xe2\x88\x92";
	struct buf t = BUF_INIT;
	if (k->change == CHANGE_POINTS)
		buf_printf(&t, "%s%.1f pts", sign, fabs(change));
	else if (k->change == CHANGE_DIFFERENCE)
		buf_printf(&t, "%s%.0f", sign, fabs(change));
	else
		buf_printf(&t, "%s%.1f%%", sign, fabs(change) * 100);
	value_map_set_str(card, "change", buf_str(&t));
	value_map_set_str(card, "direction", k->sense == KPI_NEUTRAL ? "neutral"
					     : change >= 0 ? "up" : "down");
	buf_free(&t);
}

static void percent_text(double share, struct buf *out)
{
	buf_printf(out, "%.1f%%", share * 100);
}

static int add_kpis(struct build *b, const struct period *p, struct value *data,
		    struct error *err)
{
	struct value *now = value_map_new(), *before = value_map_new();
	int have_before = p->prev_start[0] != '\0';
	if (!have_before && p->days > 0) {
		struct buf note = BUF_INIT;
		buf_printf(&note, "No changes shown: the data begins on %s, so it does not cover the "
				  "%d days before this period.", b->periods[0].first_day, p->days);
		value_map_set_str(data, "comparison_note", buf_str(&note));
		buf_free(&note);
	}
	int rc = query_row(b->db, kpi_sql, (struct query_arg[]){ARG_TEXT(p->start),
								ARG_TEXT(p->end)}, 2, now, err);
	if (rc == 0 && have_before)
		rc = query_row(b->db, kpi_sql, (struct query_arg[]){ARG_TEXT(p->prev_start),
								    ARG_TEXT(p->prev_end)},
			       2, before, err);
	if (rc == 0) {
		struct value *cards = value_map_add_list(data, "kpis");
		struct buf t = BUF_INIT;
		double rev = value_number_of(now, "revenue", 0), rev0 = value_number_of(before, "revenue", 0);
		double ord = value_number_of(now, "orders", 0), ord0 = value_number_of(before, "orders", 0);
		double cus = value_number_of(now, "customers", 0), cus0 = value_number_of(before, "customers", 0);
		double ret = value_number_of(now, "returning_customers", 0),
		       ret0 = value_number_of(before, "returning_customers", 0);
		double ses = value_number_of(now, "sessions", 0), ses0 = value_number_of(before, "sessions", 0);
		double buy = value_number_of(now, "buying_sessions", 0),
		       buy0 = value_number_of(before, "buying_sessions", 0);
		build_money(b, (long long)rev, 0, &t);
		add_kpi(cards, &(struct kpi){"Revenue", buf_str(&t), NULL, rev, rev0,
					     KPI_MORE_IS_BETTER, CHANGE_RELATIVE}, have_before);
		buf_reset(&t);
		build_count(ord, &t);
		add_kpi(cards, &(struct kpi){"Orders", buf_str(&t), NULL, ord, ord0,
					     KPI_MORE_IS_BETTER, CHANGE_RELATIVE}, have_before);
		buf_reset(&t);
		build_money(b, ord > 0 ? (long long)llround(rev / ord) : 0, 1, &t);
		add_kpi(cards, &(struct kpi){"Average order value", buf_str(&t), NULL,
					     ord > 0 ? rev / ord : 0, ord0 > 0 ? rev0 / ord0 : 0,
					     KPI_MORE_IS_BETTER, CHANGE_RELATIVE}, have_before);
		buf_reset(&t);
		build_count(cus, &t);
		add_kpi(cards, &(struct kpi){"Customers", buf_str(&t), "guests not counted", cus,
					     cus0, KPI_MORE_IS_BETTER, CHANGE_RELATIVE}, have_before);
		buf_reset(&t);
		percent_text(cus > 0 ? ret / cus : 0, &t);
		add_kpi(cards, &(struct kpi){"Returning customers", buf_str(&t),
					     "ordered more than once", cus > 0 ? ret / cus : 0,
					     cus0 > 0 ? ret0 / cus0 : 0, KPI_MORE_IS_BETTER,
					     CHANGE_POINTS}, have_before && cus0 > 0);
		if (ses > 0) {
			buf_reset(&t);
			percent_text(buy / ses, &t);
			add_kpi(cards, &(struct kpi){"Conversion rate", buf_str(&t),
						     "sessions with a purchase", buy / ses,
						     ses0 > 0 ? buy0 / ses0 : 0, KPI_MORE_IS_BETTER,
						     CHANGE_POINTS}, have_before && ses0 > 0);
		}
		if (build_has_rows(b, "daily_sales")) {
			double an = value_number_of(now, "anomalies", 0);
			buf_reset(&t);
			build_count(an, &t);
			add_kpi(cards, &(struct kpi){"Unusual days", buf_str(&t),
						     "revenue or orders far from the usual", an,
						     value_number_of(before, "anomalies", 0), KPI_NEUTRAL,
						     CHANGE_DIFFERENCE}, have_before);
		}
		buf_free(&t);
	}
	value_free(now);
	value_free(before);
	return rc;
}

static int add_daily_chart(struct build *b, const struct period *p, struct value *data,
			   struct error *err)
{
	struct value *rows = value_list_new();
	int rc = query_rows(b->db, daily_sql, (struct query_arg[]){ARG_TEXT(p->start),
								   ARG_TEXT(p->end)}, 2, rows, err);
	size_t n = rows->as.list.len;
	double *revenue = query_numbers(rows, "revenue"), *daynum = query_numbers(rows, "daynum");
	int32_t *days = xmalloc((n ? n : 1) * sizeof *days);
	for (size_t i = 0; i < n; i++)
		days[i] = (int32_t)daynum[i];
	unsigned char *flags = xcalloc(n ? n : 1, 1);
	struct value *unusual = value_list_new();
	if (rc == 0 && build_has_rows(b, "daily_sales"))
		rc = query_rows(b->db, anomalies_sql, (struct query_arg[]){ARG_TEXT(p->start),
									   ARG_TEXT(p->end)},
				2, unusual, err);
	/* Both lists are in day order: walk them together. */
	for (size_t i = 0, k = 0; i < n && k < unusual->as.list.len; i++) {
		const char *day = value_string_of(rows->as.list.items[i], "day", "");
		const char *flagged = value_string_of(unusual->as.list.items[k], "day", "");
		if (strcmp(day, flagged) == 0) {
			flags[i] = 1;
			k++;
		}
	}
	struct chart_series series = {"Revenue", revenue, NULL, flags, n};
	struct chart_spec spec = {
		.type = CHART_LINE, .title = "Daily revenue",
		.subtitle = "Completed orders, net of cancellations and flagged lines; dots mark "
			    "unusual days",
		.source = "Source: orders and order_items; unusual days: robust z of revenue and orders",
		.format = b->money, .flag_label = "Unusual day",
		.point_count = n, .days = days, .series = &series, .series_count = 1,
	};
	char stem[64];
	snprintf(stem, sizeof stem, "daily-revenue-%s", p->slug);
	if (rc == 0)
		rc = build_chart(b, &spec, stem, value_map_add_map(data, "daily"), err);
	free(revenue);
	free(daynum);
	free(days);
	free(flags);
	value_free(unusual);
	value_free(rows);
	return rc;
}

static int add_monthly_chart(struct build *b, const struct period *p, struct value *data,
			     struct error *err)
{
	struct value *rows = value_list_new();
	int rc = query_rows(b->db, monthly_sql, (struct query_arg[]){ARG_TEXT(p->start),
								     ARG_TEXT(p->end)}, 2, rows, err);
	size_t n = rows->as.list.len;
	double *revenue = query_numbers(rows, "revenue");
	const char **months = query_labels(rows, "month");
	struct chart_series series = {"Revenue", revenue, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .title = "Revenue by month",
		.subtitle = "Completed orders; the first and last months may be partial",
		.source = "Source: orders and order_items", .format = b->money,
		.point_count = n, .categories = months, .series = &series, .series_count = 1,
	};
	char stem[64];
	snprintf(stem, sizeof stem, "monthly-revenue-%s", p->slug);
	if (rc == 0)
		rc = build_chart(b, &spec, stem, value_map_add_map(data, "monthly"), err);
	free(revenue);
	free(months);
	value_free(rows);
	return rc;
}

static int period_overview(struct build *b, const struct period *p, struct error *err)
{
	struct value *data = value_map_new();
	char path[64];
	period_page_name("index", p, path, sizeof path);
	value_map_set_bool(data, "has_sales", 1);
	int rc = add_kpis(b, p, data, err);
	if (rc == 0)
		rc = add_daily_chart(b, p, data, err);
	if (rc == 0)
		rc = add_monthly_chart(b, p, data, err);
	if (rc < 0) {
		value_free(data);
		return rc;
	}
	return build_page(b, "overview", path, "index", p, data, err);
}

int page_overview(struct build *b, struct error *err)
{
	if (b->period_count == 0) {
		struct value *data = value_map_new();
		value_map_set_bool(data, "has_sales", 0);
		return build_page(b, "overview", "index.html", "index", NULL, data, err);
	}
	int rc = 0;
	for (int i = 0; rc == 0 && i < b->period_count; i++)
		rc = period_overview(b, &b->periods[i], err);
	return rc;
}
