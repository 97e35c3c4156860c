/* events: traced purchase sessions, browsing sessions and events.csv. */
#include "gen/events.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "gen/baskets.h"
#include "gen/calendar.h"
#include "util/xalloc.h"

enum { SESSION_MAX = 48 }; /* most events one session holds: 3 + 4 x BASKET_MAX + 1 */

static const char *const event_names[EVENT_TYPES] = {"view", "cart", "checkout", "purchase"};

/* One session's steps before they get their times. */
struct session_plan {
	uint32_t product[SESSION_MAX]; /* what each step is about */
	uint8_t type[SESSION_MAX];     /* enum event_type of each step */
	int32_t gap[SESSION_MAX];      /* seconds since the step before */
	size_t count;
};

int events_open(struct event_log *log, const char *dir, const struct catalog *cat,
		uint64_t seed, struct error *err)
{
	memset(log, 0, sizeof *log);
	log->catalog = cat;
	log->next_session = 1;
	log->traced_rate = 0.22;
	log->browse_rate = 0.20;
	rng_seed(&log->rng, seed ^ 0x6576656eULL);
	return csv_writer_open(&log->out, dir, "events.csv",
			       "event_time,event_type,session_id,customer_id,product_id,price", err);
}

static void plan_step(struct session_plan *s, enum event_type type, uint32_t product,
		      int32_t gap)
{
	assert(s->count < SESSION_MAX);
	s->product[s->count] = product;
	s->type[s->count] = (uint8_t)type;
	s->gap[s->count] = s->count ? gap : 0;
	s->count++;
}

/* Seconds a shopper spends before the next step. */
static int32_t think_time(struct rng *r, int32_t shortest, int32_t spread)
{
	return shortest + (int32_t)rng_below(r, (uint64_t)spread);
}

static void add_event(struct event_log *log, int64_t moment, uint64_t session,
		      uint32_t customer, uint32_t product, uint8_t type)
{
	if (log->count == log->cap) {
		log->cap = log->cap ? 2 * log->cap : 1024;
		log->events = xreallocarray(log->events, log->cap, sizeof *log->events);
	}
	struct web_event *e = &log->events[log->count];
	e->moment = moment;
	e->seq = (uint32_t)log->count++;
	e->session = session;
	e->customer = customer;
	e->product = product;
	e->type = type;
}

/* Gives the planned steps times from start on, never past the end of that day. */
static void record_session(struct event_log *log, const struct session_plan *s,
			   int64_t start, uint32_t customer)
{
	uint64_t session = log->next_session++;
	int64_t day_end = (start / SECONDS_PER_DAY + 1) * SECONDS_PER_DAY - 1;
	int64_t t = start;
	for (size_t i = 0; i < s->count; i++) {
		t += s->gap[i];
		add_event(log, t < day_end ? t : day_end, session, customer, s->product[i],
			  s->type[i]);
	}
}

void events_for_order(struct event_log *log, uint32_t customer, int64_t moment,
		      enum channel ch, const uint32_t *products, size_t count)
{
	struct rng *r = &log->rng;
	if ((ch != CHANNEL_WEB && ch != CHANNEL_MOBILE) || rng_uniform(r) >= log->traced_rate)
		return;
	struct session_plan s = {.count = 0};
	assert(count >= 1 && count <= BASKET_MAX);
	size_t extra = rng_below(r, 4); /* looked at, not bought */
	for (size_t i = 0; i < extra; i++)
		plan_step(&s, EVENT_VIEW, (uint32_t)catalog_draw(log->catalog, r),
			  think_time(r, 10, 120));
	for (size_t i = 0; i < count; i++) {
		plan_step(&s, EVENT_VIEW, products[i], think_time(r, 10, 120));
		plan_step(&s, EVENT_CART, products[i], think_time(r, 5, 60));
	}
	if (rng_uniform(r) < 0.25) /* put in the cart, then taken out again */
		plan_step(&s, EVENT_CART, (uint32_t)catalog_draw(log->catalog, r),
			  think_time(r, 10, 90));
	for (size_t i = 0; i < count; i++)
		plan_step(&s, EVENT_CHECKOUT, products[i], i ? 0 : think_time(r, 20, 200));
	for (size_t i = 0; i < count; i++)
		plan_step(&s, EVENT_PURCHASE, products[i], i ? 0 : think_time(r, 30, 240));
	/* The purchase happens at the order's moment: count back to the session's start,
	 * squeezing the steps when the order came just after midnight. */
	int64_t total = 0, since_midnight = moment % SECONDS_PER_DAY;
	for (size_t i = 0; i < s.count; i++)
		total += s.gap[i];
	if (total > since_midnight) {
		for (size_t i = 0; i < s.count; i++)
			s.gap[i] = (int32_t)(s.gap[i] * since_midnight / total);
		total = 0;
		for (size_t i = 0; i < s.count; i++)
			total += s.gap[i];
	}
	record_session(log, &s, moment - total, customer);
}

/* A session that looks, maybe fills a cart, maybe starts checking out, and leaves. */
static void browse_session(struct event_log *log, long day, uint32_t customer)
{
	struct rng *r = &log->rng;
	struct session_plan s = {.count = 0};
	uint32_t carted[SESSION_MAX];
	size_t views = 1, cart_count = 0;
	while (views < 8 && rng_uniform(r) < 0.6)
		views++;
	size_t first = catalog_draw(log->catalog, r);
	int category = log->catalog->products[first].category;
	for (size_t i = 0; i < views; i++) {
		uint32_t p = (uint32_t)(i == 0 ? first
					: rng_uniform(r) < 0.5
						? catalog_draw_in_category(log->catalog, r, category)
						: catalog_draw(log->catalog, r));
		plan_step(&s, EVENT_VIEW, p, think_time(r, 10, 150));
		if (rng_uniform(r) < 0.22) {
			plan_step(&s, EVENT_CART, p, think_time(r, 5, 60));
			carted[cart_count++] = p;
		}
	}
	if (cart_count && rng_uniform(r) < 0.3)
		for (size_t i = 0; i < cart_count; i++)
			plan_step(&s, EVENT_CHECKOUT, carted[i], i ? 0 : think_time(r, 20, 200));
	int64_t start = (int64_t)day * SECONDS_PER_DAY + calendar_draw_second(r);
	record_session(log, &s, start, customer);
}

void events_browse_day(struct event_log *log, long day, size_t orders_today,
		       const struct active_set *active, const struct customer_base *people)
{
	struct rng *r = &log->rng;
	double expected = (double)orders_today * log->browse_rate;
	size_t sessions = (size_t)expected + (rng_uniform(r) < expected - (double)(size_t)expected);
	for (size_t i = 0; i < sessions; i++) {
		uint32_t customer = 0;
		if (active->total > 0 && rng_uniform(r) < 0.6)
			customer = people->customers[active_set_draw(active, r)].id;
		browse_session(log, day, customer);
	}
}

static int happened_earlier(const void *a, const void *b)
{
	const struct web_event *x = a, *y = b;
	if (x->moment != y->moment)
		return x->moment < y->moment ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void events_end_day(struct event_log *log)
{
	char when[MOMENT_TEXT_SIZE];
	struct csv_writer *w = &log->out;
	if (log->count > 1)
		qsort(log->events, log->count, sizeof *log->events, happened_earlier);
	for (size_t i = 0; i < log->count; i++) {
		const struct web_event *e = &log->events[i];
		const struct product *p = &log->catalog->products[e->product];
		calendar_format_moment(e->moment, when);
		csv_field_plain(w, when, MOMENT_TEXT_SIZE - 1);
		csv_field_plain(w, event_names[e->type], strlen(event_names[e->type]));
		csv_field_tagged(w, "S", e->session);
		if (e->customer)
			csv_field_int(w, e->customer);
		else
			csv_field_empty(w);
		csv_field_tagged(w, "P", p->id);
		csv_field_cents(w, p->price_cents);
		csv_end_row(w);
		log->per_type[e->type]++;
	}
	log->count = 0;
}

int events_close(struct event_log *log, struct error *err)
{
	assert(log->count == 0);
	return csv_writer_close(&log->out, err);
}

void events_free(struct event_log *log)
{
	csv_writer_abandon(&log->out);
	free(log->events);
	memset(log, 0, sizeof *log);
}
