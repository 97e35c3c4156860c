/* events: the web shop's click stream, as sessions of view -> cart -> checkout ->
 * purchase with people dropping off at every stage.
 *
 * Some online orders are traced back to the session that led to them: the products were
 * viewed (with a few others), put in the cart, checked out and bought at the moment of
 * the order, by the same customer (or a guest, with no customer id). Other sessions only
 * browse: they view a few products, sometimes fill a cart, now and then reach checkout,
 * and leave. Events are held for one day, sorted by time and written. */
#ifndef CARTOGRAPH_GEN_EVENTS_H
#define CARTOGRAPH_GEN_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "gen/active_set.h"
#include "gen/catalog.h"
#include "gen/csv_writer.h"
#include "gen/customers.h"
#include "util/error.h"
#include "util/rng.h"

enum event_type { EVENT_VIEW, EVENT_CART, EVENT_CHECKOUT, EVENT_PURCHASE, EVENT_TYPES };

struct web_event {
	int64_t moment;    /* when it happened */
	uint32_t seq;      /* order within the day, to keep a session's steps in order */
	uint32_t customer; /* customer number, 0 for a guest */
	uint64_t session;  /* session number */
	uint32_t product;  /* index into the catalog */
	uint8_t type;      /* enum event_type */
};

struct event_log {
	struct csv_writer out;          /* events.csv */
	const struct catalog *catalog;
	struct rng rng;                 /* which sessions, what they look at, when */
	struct web_event *events;       /* the day's events */
	size_t count, cap;
	uint64_t next_session;          /* number of the next session */
	uint64_t per_type[EVENT_TYPES]; /* events written so far, by type */
	double traced_rate;             /* share of online orders whose session is recorded */
	double browse_rate;             /* browsing-only sessions per order of the day */
};

int events_open(struct event_log *log, const char *dir, const struct catalog *cat,
		uint64_t seed, struct error *err);
/* An order was placed at moment by customer (customer number, 0 for a guest) through
 * channel: for some online orders, record the session that ended in it. */
void events_for_order(struct event_log *log, uint32_t customer, int64_t moment,
		      enum channel ch, const uint32_t *products, size_t count);
/* Records the day's browsing-only sessions: about browse_rate per order placed that
 * day, by customers drawn from those active (or guests). */
void events_browse_day(struct event_log *log, long day, size_t orders_today,
		       const struct active_set *active, const struct customer_base *people);
/* Sorts the day's events by time and writes them. */
void events_end_day(struct event_log *log);
int events_close(struct event_log *log, struct error *err);
void events_free(struct event_log *log);

#endif
