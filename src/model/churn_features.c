/* churn_features: one pass over a customer's orders per snapshot, and the feature table. */
#include "model/churn_features.h"

#include <math.h>
#include <string.h>

#include "model/model_days.h"

/* Gaps between distinct order days before the snapshot: their mean. */
static void summarise_gaps(const struct customer_history *h, size_t n_before,
			   struct churn_summary *s)
{
	double sum = 0.0;
	int gaps = 0;
	int64_t previous = day_of_time(h->orders[0].time);
	for (size_t i = 1; i < n_before; i++) {
		int64_t day = day_of_time(h->orders[i].time);
		if (day == previous)
			continue;
		double gap = (double)(day - previous);
		sum += gap;
		gaps++;
		previous = day;
	}
	s->order_days = gaps + 1;
	s->mean_gap_days = gaps ? sum / gaps : 0.0;
}

void churn_summarise(const struct customer_history *h, int64_t snapshot_day,
		     int horizon_days, struct churn_summary *s)
{
	memset(s, 0, sizeof *s);
	int64_t start = snapshot_day * SECONDS_PER_DAY;
	int64_t horizon = (int64_t)horizon_days * SECONDS_PER_DAY;
	size_t before = 0;
	int later = 0;
	unsigned months = 0;
	for (size_t i = 0; i < h->n_orders; i++) {
		const struct history_order *o = &h->orders[i];
		double value = (double)o->value_cents / 100.0;
		if (o->time >= start) {
			later += o->time < start + horizon;
			continue;
		}
		before++;
		s->spend += value;
		if (o->time >= start - horizon)
			s->spend_recent += value;
		else if (o->time >= start - 2 * horizon)
			s->spend_previous += value;
		int64_t days_before = (start - o->time) / SECONDS_PER_DAY;
		if (days_before < 12 * 30)
			months |= 1u << (days_before / 30);
	}
	for (; months; months &= months - 1)
		s->active_months++;
	if (!before)
		return;
	/* Orders are oldest first, so the ones before the snapshot are the first `before`. */
	int64_t first_day = day_of_time(h->orders[0].time);
	int64_t last_day = day_of_time(h->orders[before - 1].time);
	s->orders = (int)before;
	s->recency_days = (int)(snapshot_day - last_day);
	s->tenure_days = (int)(snapshot_day - first_day);
	s->active = s->recency_days <= CHURN_ACTIVE_DAYS;
	s->churned = later == 0;
	summarise_gaps(h, before, s);
	for (size_t i = 0; i < h->n_returns; i++)
		s->returns += h->returns[i] < start;
	for (size_t i = 0; i < h->n_products; i++)
		s->products += h->products[i].first_time < start;
}

struct bgnbd_customer churn_summary_bgnbd(const struct churn_summary *s)
{
	struct bgnbd_customer c = {s->order_days - 1, (double)(s->tenure_days - s->recency_days),
				   (double)s->tenure_days};
	return c;
}

const char *const churn_feature_names[CHURN_FEATURE_COUNT] = {
	[CF_RECENCY] = "recency",
	[CF_ORDERS] = "orders",
	[CF_SPEND] = "spend",
	[CF_TENURE] = "tenure",
	[CF_AVG_ORDER] = "avg_order",
	[CF_PRODUCTS] = "products",
	[CF_RETURN_RATE] = "return_rate",
	[CF_RECENT_SPEND] = "recent_spend",
	[CF_ACTIVE_MONTHS] = "active_months",
	[CF_LOG_PRODUCTS] = "log_products",
	[CF_LOG_RECENCY] = "log_recency",
};

double churn_feature_value(const struct churn_summary *s, enum churn_feature f)
{
	double orders = s->orders > 0 ? s->orders : 1;
	switch (f) {
	case CF_RECENCY: return s->recency_days;
	case CF_ORDERS: return s->orders;
	case CF_SPEND: return s->spend;
	case CF_TENURE: return s->tenure_days;
	case CF_AVG_ORDER: return s->spend / orders;
	case CF_PRODUCTS: return s->products;
	case CF_RETURN_RATE: return (double)s->returns / (orders + s->returns);
	case CF_RECENT_SPEND: return s->spend_recent;
	case CF_ACTIVE_MONTHS: return s->active_months;
	case CF_LOG_PRODUCTS: return log1p(s->products);
	case CF_LOG_RECENCY: return log1p(s->recency_days);
	case CHURN_FEATURE_COUNT: break;
	}
	return 0.0;
}

void churn_feature_row(const struct churn_summary *s, const enum churn_feature *set,
		       size_t n_set, double *row)
{
	for (size_t j = 0; j < n_set; j++)
		row[j] = churn_feature_value(s, set[j]);
}

const enum churn_feature churn_model_features[] = {
	CF_RECENCY, CF_ORDERS, CF_SPEND, CF_TENURE, CF_AVG_ORDER, CF_PRODUCTS,
	CF_RETURN_RATE, CF_RECENT_SPEND, CF_ACTIVE_MONTHS, CF_LOG_PRODUCTS,
};
const size_t churn_model_feature_count =
	sizeof churn_model_features / sizeof churn_model_features[0];

const enum churn_feature churn_plain_features[] = {
	CF_RECENCY, CF_ORDERS, CF_SPEND, CF_TENURE, CF_AVG_ORDER, CF_PRODUCTS,
	CF_RETURN_RATE, CF_RECENT_SPEND,
};
const size_t churn_plain_feature_count =
	sizeof churn_plain_features / sizeof churn_plain_features[0];

const enum churn_feature churn_recency_features[] = {CF_LOG_RECENCY};
const size_t churn_recency_feature_count =
	sizeof churn_recency_features / sizeof churn_recency_features[0];
