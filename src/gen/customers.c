/* customers: places, names, archetypes and acquisition over time; customers.csv and
 * truth.csv. */
#include "gen/customers.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen/calendar.h"
#include "gen/catalog.h"
#include "gen/csv_writer.h"
#include "util/xalloc.h"

struct place {
	const char *country; /* "Germany" */
	const char *region;  /* "Bavaria" */
	const char *city;    /* "München" */
	int weight;          /* relative number of shoppers living there */
};

static const struct place places[] = {
	{"United States", "West", "Seattle", 3},
	{"United States", "West", "San Francisco", 3},
	{"United States", "West", "Los Angeles", 5},
	{"United States", "West", "Denver", 2},
	{"United States", "West", "Portland", 2},
	{"United States", "East", "New York", 7},
	{"United States", "East", "Boston", 3},
	{"United States", "East", "Philadelphia", 3},
	{"United States", "East", "Washington", 2},
	{"United States", "Central", "Chicago", 4},
	{"United States", "Central", "Dallas", 3},
	{"United States", "Central", "Houston", 3},
	{"United States", "Central", "Minneapolis", 2},
	{"United States", "South", "Atlanta", 3},
	{"United States", "South", "Miami", 3},
	{"United States", "South", "Nashville", 2},
	{"United States", "South", "Charlotte", 2},
	{"United Kingdom", "England", "London", 8},
	{"United Kingdom", "England", "Manchester", 3},
	{"United Kingdom", "England", "Birmingham", 3},
	{"United Kingdom", "England", "Leeds", 2},
	{"United Kingdom", "England", "Bristol", 2},
	{"United Kingdom", "Scotland", "Glasgow", 2},
	{"United Kingdom", "Scotland", "Edinburgh", 2},
	{"United Kingdom", "Wales", "Cardiff", 1},
	{"United Kingdom", "Northern Ireland", "Belfast", 1},
	{"Germany", "Bavaria", "München", 3},
	{"Germany", "Bavaria", "Nürnberg", 1},
	{"Germany", "Berlin", "Berlin", 4},
	{"Germany", "North Rhine-Westphalia", "Köln", 2},
	{"Germany", "North Rhine-Westphalia", "Düsseldorf", 2},
	{"Germany", "Hamburg", "Hamburg", 2},
	{"France", "Île-de-France", "Paris", 5},
	{"France", "Auvergne-Rhône-Alpes", "Lyon", 2},
	{"France", "Auvergne-Rhône-Alpes", "Grenoble", 1},
	{"France", "Provence-Alpes-Côte d'Azur", "Marseille", 2},
	{"France", "Provence-Alpes-Côte d'Azur", "Nice", 1},
	{"France", "Occitanie", "Toulouse", 1},
	{"Spain", "Community of Madrid", "Madrid", 3},
	{"Spain", "Catalonia", "Barcelona", 3},
	{"Spain", "Andalusia", "Sevilla", 1},
	{"Spain", "Andalusia", "Málaga", 1},
	{"Spain", "Valencian Community", "València", 1},
	{"Italy", "Lombardy", "Milano", 2},
	{"Italy", "Lazio", "Roma", 2},
	{"Italy", "Piedmont", "Torino", 1},
	{"Italy", "Campania", "Napoli", 1},
	{"Netherlands", "North Holland", "Amsterdam", 3},
	{"Netherlands", "South Holland", "Rotterdam", 1},
	{"Netherlands", "South Holland", "Den Haag", 1},
	{"Netherlands", "Utrecht", "Utrecht", 1},
	{"Canada", "Ontario", "Toronto", 3},
	{"Canada", "Ontario", "Ottawa", 1},
	{"Canada", "Quebec", "Montréal", 2},
	{"Canada", "British Columbia", "Vancouver", 2},
	{"Canada", "Alberta", "Calgary", 1},
	{"Australia", "New South Wales", "Sydney", 3},
	{"Australia", "Victoria", "Melbourne", 3},
	{"Australia", "Queensland", "Brisbane", 1},
};

enum { PLACES = sizeof places / sizeof places[0] };

static const char *const first_names[] = {
	"Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Sophie", "Mateo", "Mia",
	"Leon", "Chloé", "Hugo", "Zoë", "Finn", "Amelia", "Oliver", "Isabella", "Elias",
	"Léa", "Jakob", "Charlotte", "Ethan", "Grace", "Jonas", "Sofia", "Daniel", "Hannah",
	"Samuel", "Laura", "Luca", "Giulia", "Marco", "Ana", "José", "Lucía", "Pablo",
	"Maya", "Aiden", "Priya", "Arjun", "Yuki", "Kenji", "Aisha", "Omar", "Fatima",
	"Noor", "Ingrid", "Sven", "Astrid", "Björn", "Niamh", "Seán", "Chiara", "Matteo",
	"Camille", "Théo", "Emily", "James", "Harper", "Benjamin",
};

static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Garcia", "Martínez", "Müller", "Schmidt",
	"Schneider", "Fischer", "Weber", "Dubois", "Moreau", "Lefèvre", "Rossi", "Russo",
	"Bianchi", "Romano", "Fernández", "López", "González", "Sánchez", "de Vries",
	"van Dijk", "Jansen", "O'Brien", "Murphy", "Kelly", "Taylor", "Wilson", "Davies",
	"Evans", "Thomas", "Roberts", "Patel", "Singh", "Nguyen", "Kim", "Tanaka", "Sato",
	"Lindqvist", "Andersson", "Nielsen", "Hansen", "Kowalski", "Nowak", "Novák",
	"Horváth", "Popescu", "Costa", "Silva", "Santos", "Oliveira", "Cohen", "Lévy",
	"Clarke", "Walsh", "Byrne", "Campbell", "Stewart",
};

enum {
	FIRST_NAMES = sizeof first_names / sizeof first_names[0],
	LAST_NAMES = sizeof last_names / sizeof last_names[0],
};

static const char *const channel_names[CHANNELS] = {"web", "mobile", "marketplace", "store"};
static const double channel_share[CHANNELS] = {0.42, 0.30, 0.16, 0.12};

static const char *const payment_names[PAYMENTS] = {
	"card", "paypal", "apple_pay", "google_pay", "gift_card", "bank_transfer", "cash"};
/* How often each method is used online (cash only in a store). */
static const double payment_share[PAYMENTS] = {0.50, 0.20, 0.10, 0.07, 0.05, 0.08, 0.0};

static const char *const archetype_names[ARCHETYPES] = {"champion", "loyal", "occasional",
							"one_time", "churner"};
/* How often each archetype buys relative to the others (one-time buyers: only once). */
static const double archetype_activity[ARCHETYPES] = {1000, 350, 70, 0, 380};

/* How strongly each category draws favourite buyers. */
static const double category_appeal[] = {3, 3, 2, 2, 2, 1.5, 1.5};

const char *place_country(uint16_t place)
{
	assert(place < PLACES);
	return places[place].country;
}

const char *place_region(uint16_t place)
{
	assert(place < PLACES);
	return places[place].region;
}

const char *place_city(uint16_t place)
{
	assert(place < PLACES);
	return places[place].city;
}

const char *channel_name(enum channel ch)
{
	assert(ch < CHANNELS);
	return channel_names[ch];
}

const char *payment_name(enum payment p)
{
	assert(p < PAYMENTS);
	return payment_names[p];
}

const char *archetype_name(enum archetype a)
{
	assert(a < ARCHETYPES);
	return archetype_names[a];
}

/* An index drawn in proportion to share[0..n). */
static size_t draw_share(const double *share, size_t n, struct rng *r)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += share[i];
	double u = rng_uniform(r) * sum;
	for (size_t i = 0; i + 1 < n; i++) {
		if (u < share[i])
			return i;
		u -= share[i];
	}
	return n - 1;
}

uint16_t customers_draw_place(struct rng *r)
{
	double share[PLACES];
	for (size_t i = 0; i < PLACES; i++)
		share[i] = places[i].weight;
	return (uint16_t)draw_share(share, PLACES, r);
}

enum channel customers_draw_channel(const struct customer *c, struct rng *r)
{
	if (c && rng_uniform(r) < 0.7)
		return (enum channel)c->channel;
	return (enum channel)draw_share(channel_share, CHANNELS, r);
}

enum payment customers_draw_payment(const struct customer *c, enum channel ch,
				    struct rng *r)
{
	if (ch == CHANNEL_STORE)
		return rng_uniform(r) < 0.65 ? PAYMENT_CARD : PAYMENT_CASH;
	if (c && rng_uniform(r) < 0.75)
		return (enum payment)c->payment;
	return (enum payment)draw_share(payment_share, PAYMENTS, r);
}

size_t customers_count_for(uint64_t order_lines)
{
	double n = 1500.0 * pow((double)order_lines / 20000.0, 0.85);
	if (n < 20)
		return 20;
	return n > 5e6 ? 5000000 : (size_t)llround(n);
}

/* The archetype mix of customers who signed up on a day: each monthly cohort differs. */
static void cohort_mix(long day, double mix[ARCHETYPES])
{
	static const double existing[ARCHETYPES] = {0.08, 0.36, 0.31, 0.0, 0.25};
	static const double arriving[ARCHETYPES] = {0.05, 0.20, 0.32, 0.25, 0.18};
	memcpy(mix, day < 0 ? existing : arriving, sizeof existing);
	if (day < 0)
		return;
	struct civil_date d = calendar_date_of(day);
	if (d.month >= 11) { /* holiday gift shoppers rarely come back */
		mix[ARCHETYPE_ONE_TIME] += 0.15;
		mix[ARCHETYPE_LOYAL] -= 0.07;
		mix[ARCHETYPE_OCCASIONAL] -= 0.08;
	}
	if (calendar_promotion_discount(day)) { /* deal hunters */
		mix[ARCHETYPE_ONE_TIME] += 0.10;
		mix[ARCHETYPE_OCCASIONAL] -= 0.10;
	}
	if (d.year == 2025 && d.month >= 3 && d.month <= 5) { /* a campaign that worked */
		mix[ARCHETYPE_LOYAL] += 0.08;
		mix[ARCHETYPE_ONE_TIME] -= 0.08;
	}
	if (d.year == 2024 && d.month >= 6 && d.month <= 8) { /* one that did not */
		mix[ARCHETYPE_CHURNER] += 0.08;
		mix[ARCHETYPE_LOYAL] -= 0.04;
		mix[ARCHETYPE_OCCASIONAL] -= 0.04;
	}
}

/* Signup days for count customers, sorted, drawn in proportion to weight[0..days). */
static void draw_signup_days(int32_t *out, size_t count, const double *weight, int days,
			     int first_day, struct rng *r)
{
	double *sum = xmalloc(sizeof *sum * (size_t)days);
	size_t *per_day = xcalloc((size_t)days, sizeof *per_day);
	double total = 0;
	for (int d = 0; d < days; d++)
		sum[d] = total += weight[d];
	for (size_t i = 0; i < count; i++) {
		double u = rng_uniform(r) * total;
		int lo = 0, hi = days - 1;
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (sum[mid] <= u)
				lo = mid + 1;
			else
				hi = mid;
		}
		per_day[lo]++;
	}
	size_t k = 0;
	for (int d = 0; d < days; d++)
		for (size_t j = 0; j < per_day[d]; j++)
			out[k++] = first_day + d;
	assert(k == count);
	free(sum);
	free(per_day);
}

/* Signup days of everyone: the existing base over the 540 days before the data, the
 * newcomers over the data range, busier months and promotion days bringing more. */
static void draw_all_signups(int32_t *days, size_t existing, size_t arriving, struct rng *r)
{
	enum { BEFORE = 540 };
	double before[BEFORE], during[CALENDAR_DAYS], month_pull[24];
	for (int d = 0; d < BEFORE; d++)
		before[d] = 0.5 + (double)d / BEFORE;
	for (int m = 0; m < 24; m++)
		month_pull[m] = exp(0.25 * rng_normal(r));
	for (int d = 0; d < CALENDAR_DAYS; d++) {
		struct civil_date c = calendar_date_of(d);
		during[d] = calendar_demand(d) * month_pull[(c.year - 2024) * 12 + c.month - 1];
	}
	draw_signup_days(days, existing, before, BEFORE, -BEFORE, r);
	draw_signup_days(days + existing, arriving, during, CALENDAR_DAYS, 0, r);
}

static void make_customer(struct customer *c, size_t index, int32_t signup_day,
			  struct rng *r)
{
	double mix[ARCHETYPES];
	cohort_mix(signup_day, mix);
	c->id = 10001 + (uint32_t)index;
	c->signup_day = signup_day;
	c->signup_second = calendar_draw_second(r);
	c->archetype = (uint8_t)draw_share(mix, ARCHETYPES, r);
	double activity = archetype_activity[c->archetype] * exp(0.35 * rng_normal(r));
	c->weight = (uint32_t)llround(activity);
	c->churn_day = NO_CHURN;
	if (c->archetype == ARCHETYPE_CHURNER) {
		double start = signup_day > 0 ? signup_day : 0;
		double stop = start + 40 + rng_exponential(r, 170);
		if (stop < CALENDAR_DAYS)
			c->churn_day = (int32_t)stop;
	}
	c->place = customers_draw_place(r);
	c->first_name = (uint16_t)rng_below(r, FIRST_NAMES);
	c->last_name = (uint16_t)rng_below(r, LAST_NAMES);
	c->favourite_category = -1;
	if (rng_uniform(r) < 0.6)
		c->favourite_category = (int8_t)draw_share(
			category_appeal, (size_t)catalog_category_count(), r);
	c->channel = (uint8_t)draw_share(channel_share, CHANNELS, r);
	c->payment = (uint8_t)draw_share(payment_share, PAYMENTS, r);
	c->email_style = (uint8_t)rng_below(r, 3);
	c->has_ordered = 0;
}

struct churn_entry {
	int32_t day;    /* churn day */
	uint32_t index; /* the customer */
};

static int earlier_churn_first(const void *a, const void *b)
{
	const struct churn_entry *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Lists the customers who churn within the data, in the order they stop. */
static void order_churners(struct customer_base *b)
{
	struct churn_entry *e = xmalloc(sizeof *e * (b->count ? b->count : 1));
	size_t n = 0;
	for (size_t i = 0; i < b->count; i++)
		if (b->customers[i].churn_day != NO_CHURN)
			e[n++] = (struct churn_entry){b->customers[i].churn_day, (uint32_t)i};
	qsort(e, n, sizeof *e, earlier_churn_first);
	b->churn_order = xmalloc(sizeof *b->churn_order * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		b->churn_order[i] = e[i].index;
	b->churn_count = n;
	free(e);
}

void customers_build(struct customer_base *b, size_t count, uint64_t seed)
{
	struct rng r;
	rng_seed(&r, seed ^ 0x63757374ULL);
	assert(sizeof category_appeal / sizeof category_appeal[0] ==
	       (size_t)catalog_category_count());
	memset(b, 0, sizeof *b);
	b->count = count;
	b->first_new = (size_t)llround((double)count * 0.3);
	b->customers = xcalloc(count ? count : 1, sizeof *b->customers);
	int32_t *days = xmalloc(sizeof *days * (count ? count : 1));
	draw_all_signups(days, b->first_new, count - b->first_new, &r);
	for (size_t i = 0; i < count; i++)
		make_customer(&b->customers[i], i, days[i], &r);
	free(days);
	order_churners(b);
}

void customers_free(struct customer_base *b)
{
	free(b->customers);
	free(b->churn_order);
	memset(b, 0, sizeof *b);
}

void customer_name(struct buf *out, const struct customer *c)
{
	buf_printf(out, "%s %s", first_names[c->first_name], last_names[c->last_name]);
}

/* Appends a name as e-mail letters: lower case ASCII, accents dropped ("Léa" → "lea"). */
static void append_mail_letters(struct buf *out, const char *name)
{
	/* U+00C0..U+00FF (UTF-8 0xC3 0x80..0xBF) as plain letters; '_' drops the sign. */
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
				     "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (isalnum(*p) && *p < 0x80) {
			buf_putc(out, (char)tolower(*p));
		} else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			char plain = latin1[p[1] - 0x80];
			if (plain != '_')
				buf_putc(out, plain);
			p++;
		}
	}
}

void customer_email(struct buf *out, const struct customer *c)
{
	static const char *const domains[3] = {"example.com", "example.org", "example.net"};
	const char *first = first_names[c->first_name], *last = last_names[c->last_name];
	switch (c->email_style) {
	case 0:
		append_mail_letters(out, first);
		buf_putc(out, '.');
		append_mail_letters(out, last);
		break;
	case 1:
		append_mail_letters(out, first);
		append_mail_letters(out, last);
		break;
	default:
		append_mail_letters(out, last);
		buf_putc(out, '_');
		append_mail_letters(out, first);
		break;
	}
	buf_printf(out, "%u@%s", (unsigned)c->id, domains[c->id % 3]);
}

static void write_customer(struct csv_writer *w, const struct customer *c, struct buf *text)
{
	char date[11];
	csv_field_int(w, c->id);
	buf_reset(text);
	customer_name(text, c);
	csv_field_n(w, text->data, text->len);
	buf_reset(text);
	customer_email(text, c);
	csv_field_n(w, text->data, text->len);
	csv_field(w, place_country(c->place));
	csv_field(w, place_region(c->place));
	csv_field(w, place_city(c->place));
	calendar_format_date(c->signup_day, date);
	csv_field_plain(w, date, 10);
	csv_end_row(w);
}

static void write_truth(struct csv_writer *w, const struct customer *c)
{
	char date[11];
	csv_field_int(w, c->id);
	csv_field(w, archetype_name((enum archetype)c->archetype));
	if (c->churn_day == NO_CHURN) {
		csv_field_plain(w, "0", 1);
		csv_field_empty(w);
	} else {
		csv_field_plain(w, "1", 1);
		calendar_format_date(c->churn_day, date);
		csv_field_plain(w, date, 10);
	}
	csv_end_row(w);
}

int customers_write_csv(const struct customer_base *b, const char *dir, int with_truth,
		    struct error *err)
{
	struct csv_writer people = {0}, truth = {0};
	struct buf text = BUF_INIT;
	int rc = csv_writer_open(&people, dir, "customers.csv",
				 "customer_id,name,email,country,region,city,signup_date", err);
	if (rc)
		goto done;
	if (with_truth &&
	    (rc = csv_writer_open(&truth, dir, "truth.csv",
				  "customer_id,archetype,churned,churn_date", err)))
		goto done;
	for (size_t i = 0; i < b->count; i++) {
		write_customer(&people, &b->customers[i], &text);
		if (with_truth)
			write_truth(&truth, &b->customers[i]);
	}
	if ((rc = csv_writer_close(&people, err)))
		goto done;
	if (with_truth)
		rc = csv_writer_close(&truth, err);
done:
	csv_writer_abandon(&people);
	csv_writer_abandon(&truth);
	buf_free(&text);
	return rc;
}
