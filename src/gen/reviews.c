/* reviews: choosing who reviews what and when, and writing reviews.csv in date order. */
#include "gen/reviews.h"

#include <assert.h>
#include <string.h>

#include "gen/calendar.h"
#include "gen/review_text.h"

struct queued_review {
	struct pending_key key; /* when the review is written */
	int32_t customer;       /* index into the customer base */
	uint32_t product;       /* index into the catalog */
	int32_t stars;          /* 1..5 */
	uint64_t text_seed;     /* seeds the words */
};

int reviews_open(struct review_desk *d, const char *dir, const struct catalog *cat,
		 const struct customer_base *people, uint64_t seed, struct error *err)
{
	memset(d, 0, sizeof *d);
	d->catalog = cat;
	d->people = people;
	d->review_rate = 0.08;
	d->next_review_id = 1;
	rng_seed(&d->rng, seed ^ 0x72657669ULL);
	pending_init(&d->queue, sizeof(struct queued_review));
	return csv_writer_open(&d->out, dir, "reviews.csv",
			       "review_id,product_id,customer_id,rating,title,body,review_date",
			       err);
}

void reviews_consider(struct review_desk *d, int32_t customer, uint32_t product,
		      int64_t bought_at)
{
	assert(customer >= 0);
	if (rng_uniform(&d->rng) >= d->review_rate)
		return;
	/* At least a day later (the parcel has to arrive), usually within a few weeks. */
	double days_later = 1 + rng_exponential(&d->rng, 9);
	int64_t when = bought_at + (int64_t)(days_later * SECONDS_PER_DAY);
	if (when >= (int64_t)CALENDAR_DAYS * SECONDS_PER_DAY)
		return; /* would be written after the data ends */
	struct queued_review q;
	memset(&q, 0, sizeof q);
	q.key.moment = when;
	q.customer = customer;
	q.product = product;
	q.stars = review_draw_stars(d->catalog->products[product].quality, &d->rng);
	q.text_seed = rng_next(&d->rng);
	pending_push(&d->queue, &q);
}

static void write_review(struct review_desk *d, const struct queued_review *q)
{
	const struct product *p = &d->catalog->products[q->product];
	struct rng words;
	char date[11];
	rng_seed(&words, q->text_seed);
	buf_reset(&d->title);
	buf_reset(&d->body);
	review_text_write(&d->title, &d->body, q->stars, p->subcategory, p->category, &words);
	csv_field_int(&d->out, (int64_t)d->next_review_id++);
	csv_field_tagged(&d->out, "P", p->id);
	csv_field_int(&d->out, d->people->customers[q->customer].id);
	csv_field_int(&d->out, q->stars);
	csv_field_n(&d->out, d->title.data, d->title.len);
	csv_field_n(&d->out, d->body.data, d->body.len);
	calendar_format_date((long)(q->key.moment / SECONDS_PER_DAY), date);
	csv_field_plain(&d->out, date, 10);
	csv_end_row(&d->out);
}

void reviews_write_until(struct review_desk *d, int64_t end)
{
	const struct queued_review *next;
	while ((next = pending_peek(&d->queue)) && next->key.moment < end) {
		struct queued_review q;
		pending_pop(&d->queue, &q);
		write_review(d, &q);
	}
}

int reviews_close(struct review_desk *d, struct error *err)
{
	reviews_write_until(d, (int64_t)CALENDAR_DAYS * SECONDS_PER_DAY);
	return csv_writer_close(&d->out, err);
}

void reviews_free(struct review_desk *d)
{
	csv_writer_abandon(&d->out);
	pending_free(&d->queue);
	buf_free(&d->title);
	buf_free(&d->body);
	memset(d, 0, sizeof *d);
}
