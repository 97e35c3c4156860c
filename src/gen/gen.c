/* gen: the day loop of the synthetic shop: who buys on each day, what, and what follows
 * from it (cancellations, reviews, web sessions). */
#include "gen/gen.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen/active_set.h"
#include "gen/baskets.h"
#include "gen/calendar.h"
#include "gen/catalog.h"
#include "gen/customers.h"
#include "gen/events.h"
#include "gen/orders.h"
#include "gen/reviews.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const double guest_rate = 0.04; /* orders placed without an account */

struct shop {
	struct catalog catalog;
	struct customer_base people;
	struct active_set active;       /* who may buy again today, weighted */
	struct order_book book;
	struct review_desk reviews;
	struct event_log events;
	struct rng rng;                 /* who buys when */
	uint64_t quota[CALENDAR_DAYS];  /* rows of orders.csv per day */
	uint32_t *newcomers;            /* signed up, first order not yet placed (a queue) */
	size_t newcomer_head, newcomer_tail;
	size_t next_signup;             /* the next customer to sign up */
	size_t next_churn;              /* the next entry of people.churn_order */
	uint64_t guest_orders;
};

/* Creates dir and its parents when missing. */
static int make_dirs(const char *dir, struct error *err)
{
	struct buf path = BUF_INIT;
	int rc = 0;
	buf_puts(&path, dir);
	for (size_t i = 1; i <= path.len; i++) {
		if (path.data[i] != '/' && path.data[i] != '\0')
			continue;
		char keep = path.data[i];
		path.data[i] = '\0';
		if (mkdir(path.data, 0777) != 0 && errno != EEXIST) {
			rc = error_set(err, ERR_SYSTEM, "cannot create folder %s: %s", path.data,
				       strerror(errno));
			goto done;
		}
		path.data[i] = keep;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		rc = error_set(err, ERR_SYSTEM, "%s is not a folder", dir);
done:
	buf_free(&path);
	return rc;
}

static void activate(struct shop *s, size_t i, long day)
{
	const struct customer *c = &s->people.customers[i];
	if (c->weight > 0 && c->churn_day > day)
		active_set_put(&s->active, i, c->weight);
}

/* The customers who signed up before the data starts are already buying on day 0. */
static void open_shop(struct shop *s)
{
	active_set_init(&s->active, s->people.count);
	s->newcomers = xmalloc(sizeof *s->newcomers * (s->people.count ? s->people.count : 1));
	for (size_t i = 0; i < s->people.first_new; i++) {
		s->people.customers[i].has_ordered = 1;
		activate(s, i, 0);
	}
	s->next_signup = s->people.first_new;
}

static void churn_and_sign_up(struct shop *s, long day)
{
	struct customer_base *p = &s->people;
	while (s->next_churn < p->churn_count &&
	       p->customers[p->churn_order[s->next_churn]].churn_day <= day)
		active_set_put(&s->active, p->churn_order[s->next_churn++], 0);
	while (s->next_signup < p->count && p->customers[s->next_signup].signup_day <= day)
		s->newcomers[s->newcomer_tail++] = (uint32_t)s->next_signup++;
}

/* Who places the next order: a newcomer's first order, a guest, or a returning
 * customer drawn by how often they buy. Fills order's customer, time and place. */
static void choose_buyer(struct shop *s, long day, struct day_order *order)
{
	struct rng *r = &s->rng;
	memset(order, 0, sizeof *order);
	if (s->newcomer_head < s->newcomer_tail) {
		size_t i = s->newcomers[s->newcomer_head++];
		struct customer *c = &s->people.customers[i];
		if (c->signup_day != day) { /* no room on the day they came: they sign up now */
			c->signup_day = (int32_t)day;
			c->signup_second = calendar_draw_second(r);
		}
		int32_t second = c->signup_second + 60 + (int32_t)rng_below(r, 1800);
		order->second = second < SECONDS_PER_DAY ? second : SECONDS_PER_DAY - 1;
		order->customer = (int32_t)i;
		c->has_ordered = 1;
		activate(s, i, day);
	} else if (s->active.total == 0 || rng_uniform(r) < guest_rate) {
		order->second = calendar_draw_second(r);
		order->customer = -1;
	} else {
		order->second = calendar_draw_second(r);
		order->customer = (int32_t)active_set_draw(&s->active, r);
	}
	const struct customer *c =
		order->customer >= 0 ? &s->people.customers[order->customer] : NULL;
	order->place = c ? c->place : customers_draw_place(r);
	order->channel = (uint8_t)customers_draw_channel(c, r);
	order->payment = (uint8_t)customers_draw_payment(c, (enum channel)order->channel, r);
}

static void place_orders(struct shop *s, long day, uint64_t rows_left)
{
	struct basket_line lines[BASKET_MAX];
	int promo = calendar_promotion_discount(day);
	while (rows_left > 0) {
		struct day_order order;
		choose_buyer(s, day, &order);
		const struct customer *c =
			order.customer >= 0 ? &s->people.customers[order.customer] : NULL;
		size_t room = rows_left < BASKET_MAX ? (size_t)rows_left : BASKET_MAX;
		size_t n = basket_fill(&s->catalog, c, promo, &s->rng, lines, room);
		s->guest_orders += c == NULL;
		orders_add(&s->book, &order, lines, n, &rows_left);
	}
}

/* What follows from the day's orders: the sessions that led to them and the reviews
 * their buyers will write. */
static void follow_up_orders(struct shop *s)
{
	const struct order_book *b = &s->book;
	for (size_t k = 0; k < b->order_count; k++) {
		const struct day_order *o = &b->orders[k];
		const struct order_row *rows = &b->rows[o->first_row];
		uint32_t products[BASKET_MAX];
		for (uint32_t i = 0; i < o->line_count; i++)
			products[i] = rows[i].line.product;
		uint32_t number = o->customer >= 0 ? s->people.customers[o->customer].id : 0;
		events_for_order(&s->events, number, rows[0].moment, (enum channel)o->channel,
				 products, o->line_count);
		if (o->customer < 0)
			continue;
		for (uint32_t i = 0; i < o->line_count; i++)
			if (!rows[i].bad_date && !rows[i].will_cancel)
				reviews_consider(&s->reviews, o->customer, rows[i].line.product,
						 rows[i].moment);
	}
}

static void simulate_day(struct shop *s, long day)
{
	churn_and_sign_up(s, day);
	uint64_t rows_left = orders_begin_day(&s->book, day, s->quota[day]);
	place_orders(s, day, rows_left);
	orders_end_day(&s->book);
	follow_up_orders(s);
	events_browse_day(&s->events, day, s->book.order_count, &s->active, &s->people);
	events_end_day(&s->events);
	reviews_write_until(&s->reviews, (int64_t)(day + 1) * SECONDS_PER_DAY);
}

static void summarise(const struct shop *s, struct gen_summary *sum)
{
	memset(sum, 0, sizeof *sum);
	sum->order_rows = s->book.out.rows;
	sum->orders = s->book.next_order_id - 100001;
	sum->guest_orders = s->guest_orders;
	sum->duplicates = s->book.duplicates;
	sum->cancellations = s->book.cancelled_lines;
	sum->bad_dates = s->book.bad_dates;
	sum->products = s->catalog.count;
	sum->customers = s->people.count;
	sum->reviews = s->reviews.out.rows;
	sum->events = s->events.out.rows;
}

int gen_shop(const struct gen_options *opt, struct gen_summary *summary, struct error *err)
{
	struct shop s;
	int rc;
	assert(opt->order_lines >= 1);
	memset(&s, 0, sizeof s);
	rng_seed(&s.rng, opt->seed ^ 0x73686f70ULL);
	catalog_build(&s.catalog, catalog_size_for(opt->order_lines), opt->seed);
	customers_build(&s.people, customers_count_for(opt->order_lines), opt->seed);
	calendar_split(opt->order_lines, &s.rng, s.quota);
	open_shop(&s);
	if ((rc = make_dirs(opt->out_dir, err)) ||
	    (rc = orders_open(&s.book, opt->out_dir, &s.catalog, &s.people, opt->seed, err)) ||
	    (rc = reviews_open(&s.reviews, opt->out_dir, &s.catalog, &s.people, opt->seed,
			       err)) ||
	    (rc = events_open(&s.events, opt->out_dir, &s.catalog, opt->seed, err)))
		goto done;
	for (long day = 0; day < CALENDAR_DAYS; day++) {
		simulate_day(&s, day);
		if (opt->progress)
			opt->progress(opt->progress_ctx, day + 1, CALENDAR_DAYS);
	}
	assert(s.book.out.rows == opt->order_lines);
	if ((rc = orders_close(&s.book, err)) || (rc = reviews_close(&s.reviews, err)) ||
	    (rc = events_close(&s.events, err)) ||
	    (rc = catalog_write(&s.catalog, opt->out_dir, err)) ||
	    (rc = customers_write_csv(&s.people, opt->out_dir, opt->with_truth, err)))
		goto done;
	if (summary)
		summarise(&s, summary);
done:
	orders_free(&s.book);
	reviews_free(&s.reviews);
	events_free(&s.events);
	active_set_free(&s.active);
	customers_free(&s.people);
	catalog_free(&s.catalog);
	free(s.newcomers);
	return rc;
}
