/* Unit tests of the synthetic shop's parts: the calendar, the CSV writer, the weighted
 * customer draw, the time-ordered queue, review words and the catalog. */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

#include "gen/active_set.h"
#include "gen/baskets.h"
#include "gen/calendar.h"
#include "gen/catalog.h"
#include "gen/csv_writer.h"
#include "gen/pending.h"
#include "gen/review_text.h"
#include "util/buf.h"

static void test_calendar_counts_days_from_new_year_2024(void)
{
	CHECK_INT(calendar_day_of(2024, 1, 1), 0);
	CHECK_INT(calendar_day_of(2024, 2, 29), 59);
	CHECK_INT(calendar_day_of(2025, 12, 31), CALENDAR_DAYS - 1);
	CHECK_INT(calendar_day_of(2023, 12, 31), -1);
	for (long day = -800; day < 800; day++) {
		struct civil_date d = calendar_date_of(day);
		CHECK_INT(calendar_day_of(d.year, d.month, d.mday), day);
	}
	CHECK_INT(calendar_weekday(0), 0);                            /* a Monday */
	CHECK_INT(calendar_weekday(calendar_day_of(2025, 12, 28)), 6); /* a Sunday */
	CHECK_INT(calendar_weekday(-1), 6);
}

static void test_calendar_formats_moments_before_and_after_day_zero(void)
{
	char text[MOMENT_TEXT_SIZE], date[11];
	calendar_format_moment(0, text);
	CHECK_STR(text, "2024-01-01 00:00:00");
	calendar_format_moment((int64_t)59 * SECONDS_PER_DAY + 13 * 3600 + 5 * 60 + 9, text);
	CHECK_STR(text, "2024-02-29 13:05:09");
	calendar_format_moment(-1, text);
	CHECK_STR(text, "2023-12-31 23:59:59");
	calendar_format_date(CALENDAR_DAYS - 1, date);
	CHECK_STR(date, "2025-12-31");
}

static void test_calendar_split_adds_up_to_the_total_exactly(void)
{
	static const uint64_t totals[] = {1, 2, 7, 731, 12345, 1000000, 1000000000};
	uint64_t quota[CALENDAR_DAYS];
	for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
		struct rng r;
		rng_seed(&r, 42);
		calendar_split(totals[i], &r, quota);
		uint64_t sum = 0;
		for (int d = 0; d < CALENDAR_DAYS; d++)
			sum += quota[d];
		CHECK_INT(sum, totals[i]);
	}
}

static double mean_demand(int y, int m, int d, int days)
{
	double sum = 0;
	long first = calendar_day_of(y, m, d);
	for (long day = first; day < first + days; day++)
		sum += calendar_demand(day);
	return sum / days;
}

static void test_calendar_demand_peaks_before_christmas_and_dips_in_summer(void)
{
	double july = mean_demand(2024, 7, 1, 31), december = mean_demand(2024, 12, 1, 20);
	double october = mean_demand(2024, 10, 1, 31);
	CHECK(december > 1.5 * july);
	CHECK(october > july);
	double black_friday = calendar_demand(calendar_day_of(2024, 11, 29));
	double week_before = mean_demand(2024, 11, 18, 7);
	CHECK(black_friday > 2.5 * week_before);
	CHECK(calendar_promotion_discount(calendar_day_of(2024, 11, 29)) > 0);
	CHECK_INT(calendar_promotion_discount(calendar_day_of(2024, 11, 28)), 0);
	/* Saturday against the Wednesday of the same quiet week. */
	CHECK(calendar_demand(calendar_day_of(2024, 2, 10)) <
	      0.85 * calendar_demand(calendar_day_of(2024, 2, 7)));
}

static void test_calendar_hours_are_quiet_at_night_and_busy_in_the_evening(void)
{
	struct rng r;
	int night = 0, evening = 0;
	rng_seed(&r, 7);
	for (int i = 0; i < 20000; i++) {
		int s = calendar_draw_second(&r);
		CHECK(s >= 0 && s < SECONDS_PER_DAY);
		night += s < 5 * 3600 && s >= 2 * 3600;
		evening += s >= 19 * 3600 && s < 22 * 3600;
	}
	CHECK(evening > 5 * night);
}

/* Reads a whole small file into a buffer. */
static void slurp(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;
	CHECK(f != NULL);
	if (!f)
		return;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
}

static void test_csv_writer_quotes_only_fields_that_need_it(void)
{
	char dir[] = "/tmp/cartograph-csv-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct csv_writer w;
	struct error err;
	struct buf got = BUF_INIT, path = BUF_INIT;
	CHECK_INT(csv_writer_open(&w, dir, "t.csv", "a,b,c", &err), 0);
	csv_field(&w, "plain");
	csv_field(&w, "with, comma");
	csv_field(&w, "13\" sleeve");
	csv_end_row(&w);
	csv_field(&w, "two\nlines");
	csv_field_empty(&w);
	csv_field(&w, "Zoë Müller");
	csv_end_row(&w);
	CHECK_INT(w.rows, 2);
	buf_printf(&path, "%s/t.csv.tmp", dir);
	CHECK(access(path.data, F_OK) == 0); /* not published until closed */
	CHECK_INT(csv_writer_close(&w, &err), 0);
	CHECK(access(path.data, F_OK) != 0);
	buf_reset(&path);
	buf_printf(&path, "%s/t.csv", dir);
	slurp(path.data, &got);
	CHECK_STR(buf_str(&got), "a,b,c\nplain,\"with, comma\",\"13\"\" sleeve\"\n"
				 "\"two\nlines\",,Zoë Müller\n");
	remove(path.data);
	rmdir(dir);
	buf_free(&got);
	buf_free(&path);
}

static void test_csv_writer_formats_money_numbers_and_tags(void)
{
	char dir[] = "/tmp/cartograph-csv-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct csv_writer w;
	struct error err;
	struct buf got = BUF_INIT, path = BUF_INIT;
	CHECK_INT(csv_writer_open(&w, dir, "m.csv", "m", &err), 0);
	csv_field_cents(&w, 0);
	csv_field_cents(&w, 5);
	csv_field_cents(&w, -5);
	csv_field_cents(&w, 123456);
	csv_field_cents(&w, -100);
	csv_field_int(&w, -42);
	csv_field_int(&w, INT64_MIN);
	csv_field_tagged(&w, "C", 100017);
	csv_field_tagged(&w, "", 7);
	csv_end_row(&w);
	CHECK_INT(csv_writer_close(&w, &err), 0);
	buf_printf(&path, "%s/m.csv", dir);
	slurp(path.data, &got);
	CHECK_STR(buf_str(&got),
		  "m\n0.00,0.05,-0.05,1234.56,-1.00,-42,-9223372036854775808,C100017,7\n");
	remove(path.data);
	rmdir(dir);
	buf_free(&got);
	buf_free(&path);
}

static void test_csv_writer_reports_a_folder_it_cannot_write(void)
{
	struct csv_writer w;
	struct error err;
	CHECK(csv_writer_open(&w, "/nonexistent/folder", "x.csv", "a", &err) == ERR_SYSTEM);
	CHECK(strstr(err.msg, "/nonexistent/folder/x.csv") != NULL);
}

static void test_active_set_draws_by_weight_and_never_a_switched_off_member(void)
{
	struct active_set s;
	struct rng r;
	int hits[5] = {0};
	rng_seed(&r, 1);
	active_set_init(&s, 5);
	active_set_put(&s, 0, 100);
	active_set_put(&s, 2, 300);
	active_set_put(&s, 4, 50);
	active_set_put(&s, 4, 0); /* churned */
	active_set_put(&s, 3, 600);
	CHECK_INT(s.total, 1000);
	for (int i = 0; i < 100000; i++)
		hits[active_set_draw(&s, &r)]++;
	CHECK_INT(hits[1], 0);
	CHECK_INT(hits[4], 0);
	CHECK_NEAR(hits[0] / 100000.0, 0.1, 0.01);
	CHECK_NEAR(hits[2] / 100000.0, 0.3, 0.01);
	CHECK_NEAR(hits[3] / 100000.0, 0.6, 0.01);
	active_set_free(&s);
}

struct timed_note {
	struct pending_key key;
	int label;
};

static void test_pending_gives_items_back_in_time_order_ties_first_in_first_out(void)
{
	struct pending q;
	struct rng r;
	pending_init(&q, sizeof(struct timed_note));
	rng_seed(&r, 3);
	for (int i = 0; i < 1000; i++) {
		struct timed_note n = {{(int64_t)rng_below(&r, 50), 0}, i};
		pending_push(&q, &n);
	}
	CHECK(pending_peek(&q) != NULL);
	struct timed_note prev = {{-1, 0}, -1}, cur;
	int count = 0, in_order = 1;
	while (pending_peek(&q)) {
		pending_pop(&q, &cur);
		if (cur.key.moment < prev.key.moment ||
		    (cur.key.moment == prev.key.moment && cur.label < prev.label))
			in_order = 0;
		prev = cur;
		count++;
	}
	CHECK(in_order);
	CHECK_INT(count, 1000);
	CHECK(pending_peek(&q) == NULL);
	pending_free(&q);
}

/* A rough tone of a text: cheerful words minus gloomy ones (negations flip). */
static int tone(const char *text)
{
	static const char *const good[] = {
		"excellent", "fantastic", "superb", "love", "perfect", "brilliant", "amazing",
		"wonderful", "outstanding", "awesome", "great", "best", "good", "nice", "solid",
		"reliable", "recommend", "happy", "not bad", NULL};
	static const char *const bad[] = {
		"terrible", "awful", "horrible", "useless", "dreadful", "pathetic", "rubbish",
		"worst", "waste", "broke", "joke", "disappointing", "poor", "mediocre", "weak",
		"underwhelming", "flimsy", "not worth", "isn't great", "not good", "not happy",
		"avoid", "do not buy", "never again", NULL};
	int score = 0;
	char lower[2048];
	size_t n = strlen(text) < sizeof lower - 1 ? strlen(text) : sizeof lower - 1;
	for (size_t i = 0; i < n; i++)
		lower[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a' : text[i]);
	lower[n] = '\0';
	for (int i = 0; good[i]; i++)
		for (const char *p = lower; (p = strstr(p, good[i])); p++)
			score++;
	for (int i = 0; bad[i]; i++)
		for (const char *p = lower; (p = strstr(p, bad[i])); p++)
			score--;
	return score;
}

static void test_review_words_agree_with_the_stars(void)
{
	struct rng r;
	double mean[6] = {0};
	rng_seed(&r, 11);
	for (int stars = 1; stars <= 5; stars++) {
		long sum = 0;
		for (int i = 0; i < 2000; i++) {
			struct buf title = BUF_INIT, body = BUF_INIT;
			review_text_write(&title, &body, stars, (int)rng_below(&r, 40),
					  (int)rng_below(&r, 7), &r);
			CHECK(title.len > 0 && body.len > 0);
			sum += tone(body.data) + tone(title.data);
			buf_free(&title);
			buf_free(&body);
		}
		mean[stars] = sum / 2000.0;
	}
	CHECK(mean[1] < 0 && mean[2] < 0);
	CHECK(mean[4] > 0 && mean[5] > 0);
	for (int stars = 2; stars <= 5; stars++)
		CHECK(mean[stars] > mean[stars - 1]);
}

static void test_review_words_carry_negation_boosters_caps_emoticons_and_sarcasm(void)
{
	static const char *const wanted[] = {"Not bad", "Not worth it", "isn't great", "really",
					     "very", "but expensive", "!!!", ":(", ":)",
					     "Great, it broke after two days", "\"premium\"",
					     NULL};
	struct buf all = BUF_INIT;
	struct rng r;
	int shouted = 0;
	rng_seed(&r, 5);
	for (int i = 0; i < 5000; i++) {
		struct buf title = BUF_INIT, body = BUF_INIT;
		int stars = 1 + (int)rng_below(&r, 5);
		review_text_write(&title, &body, stars, (int)rng_below(&r, 40),
				  (int)rng_below(&r, 7), &r);
		buf_printf(&all, "%s\n%s\n", title.data, body.data);
		/* A whole opening sentence in capitals. */
		shouted += body.len > 12 && strncmp(body.data, "WORST ", 6) == 0;
		buf_free(&title);
		buf_free(&body);
	}
	for (int i = 0; wanted[i]; i++)
		if (!strstr(all.data, wanted[i]))
			printf("    no review says \"%s\"\n", wanted[i]), check_current_failed = 1;
	CHECK(shouted > 0);
	buf_free(&all);
}

static void test_review_stars_follow_product_quality(void)
{
	struct rng r;
	long good = 0, lemon = 0;
	rng_seed(&r, 9);
	for (int i = 0; i < 5000; i++) {
		int a = review_draw_stars(4.6, &r), b = review_draw_stars(2.0, &r);
		CHECK(a >= 1 && a <= 5 && b >= 1 && b <= 5);
		good += a;
		lemon += b;
	}
	CHECK(good / 5000.0 > 4.0);
	CHECK(lemon / 5000.0 < 2.6);
}

static void test_catalog_has_sold_out_and_low_stock_and_margins_differ(void)
{
	struct catalog c;
	catalog_build(&c, 200, 42);
	CHECK_INT(c.count, 200);
	int zero = 0, low = 0, bundles_ok = 1;
	double margin[7] = {0}, revenue[7] = {0};
	for (size_t i = 0; i < c.count; i++) {
		const struct product *p = &c.products[i];
		zero += p->stock == 0;
		low += p->stock > 0 && p->stock <= 5;
		CHECK(p->price_cents > 0 && p->cost_cents > 0 && p->cost_cents < p->price_cents);
		margin[p->category] += (double)(p->price_cents - p->cost_cents);
		revenue[p->category] += (double)p->price_cents;
		CHECK(strlen(p->name) > 5);
	}
	for (size_t b = 0; b < c.bundle_count; b++) {
		const struct bundle *bundle = &c.bundles[b];
		bundles_ok &= bundle->size >= 2 && c.products[bundle->product[0]].bundle == (int)b;
	}
	CHECK(bundles_ok);
	CHECK(c.bundle_count >= 10);
	CHECK(zero >= 1);
	CHECK(low >= 3);
	double electronics = margin[0] / revenue[0], beauty = margin[4] / revenue[4];
	CHECK(beauty > electronics + 0.2);
	catalog_free(&c);
}

static void test_catalog_draws_favour_a_popular_head(void)
{
	struct catalog c;
	struct rng r;
	catalog_build(&c, 200, 42);
	rng_seed(&r, 2);
	size_t *hits = calloc(c.count, sizeof *hits);
	for (int i = 0; i < 100000; i++)
		hits[catalog_draw(&c, &r)]++;
	size_t top = 0, sold = 0;
	for (size_t i = 0; i < c.count; i++) {
		top = hits[i] > top ? hits[i] : top;
		sold += hits[i] > 0;
	}
	CHECK(top > 100000 / 200 * 5); /* the best seller sells far more than its share */
	CHECK(sold > 190);             /* and nearly everything sells a little */
	for (int i = 0; i < 1000; i++) {
		size_t p = catalog_draw_in_category(&c, &r, 3);
		CHECK(c.products[p].category == 3);
	}
	free(hits);
	catalog_free(&c);
}

static void test_baskets_buy_bundle_pairs_together_far_more_than_chance(void)
{
	struct catalog c;
	struct rng r;
	struct basket_line lines[BASKET_MAX];
	catalog_build(&c, 200, 42);
	rng_seed(&r, 4);
	size_t *alone = calloc(c.count, sizeof *alone), baskets = 20000;
	uint32_t *together = calloc(c.count * c.count, sizeof *together);
	for (size_t i = 0; i < baskets; i++) {
		size_t n = basket_fill(&c, NULL, 0, &r, lines, BASKET_MAX);
		CHECK(n >= 1 && n <= BASKET_MAX);
		for (size_t a = 0; a < n; a++) {
			alone[lines[a].product]++;
			for (size_t b = 0; b < n; b++)
				together[lines[a].product * c.count + lines[b].product] += a != b;
			CHECK(lines[a].quantity >= 1);
		}
	}
	double observed = 0, expected = 0;
	for (size_t b = 0; b < c.bundle_count; b++) {
		const struct bundle *bundle = &c.bundles[b];
		for (int j = 1; j < bundle->size; j++) {
			size_t p = bundle->product[0], q = bundle->product[j];
			observed += together[p * c.count + q];
			expected += (double)alone[p] * (double)alone[q] / (double)baskets;
		}
	}
	CHECK(observed > 10 * expected);
	free(alone);
	free(together);
	catalog_free(&c);
}

static void test_baskets_price_lines_and_mirror_a_reversal(void)
{
	struct catalog c;
	catalog_build(&c, 60, 42);
	struct basket_line line = {0, 3, 15, 0, 0, 0};
	basket_price_line(&c, &line);
	const struct product *p = &c.products[0];
	CHECK_INT(line.unit_cents, p->price_cents);
	CHECK_INT(line.total_cents, (3 * p->price_cents * 85 + 50) / 100);
	CHECK_INT(line.profit_cents, line.total_cents - 3 * p->cost_cents);
	struct basket_line back = line;
	back.quantity = -3;
	basket_price_line(&c, &back);
	CHECK_INT(back.total_cents, -line.total_cents);
	CHECK_INT(back.profit_cents, -line.profit_cents);
	catalog_free(&c);
}

int main(void)
{
	RUN(test_calendar_counts_days_from_new_year_2024);
	RUN(test_calendar_formats_moments_before_and_after_day_zero);
	RUN(test_calendar_split_adds_up_to_the_total_exactly);
	RUN(test_calendar_demand_peaks_before_christmas_and_dips_in_summer);
	RUN(test_calendar_hours_are_quiet_at_night_and_busy_in_the_evening);
	RUN(test_csv_writer_quotes_only_fields_that_need_it);
	RUN(test_csv_writer_formats_money_numbers_and_tags);
	RUN(test_csv_writer_reports_a_folder_it_cannot_write);
	RUN(test_active_set_draws_by_weight_and_never_a_switched_off_member);
	RUN(test_pending_gives_items_back_in_time_order_ties_first_in_first_out);
	RUN(test_review_words_agree_with_the_stars);
	RUN(test_review_words_carry_negation_boosters_caps_emoticons_and_sarcasm);
	RUN(test_review_stars_follow_product_quality);
	RUN(test_catalog_has_sold_out_and_low_stock_and_margins_differ);
	RUN(test_catalog_draws_favour_a_popular_head);
	RUN(test_baskets_buy_bundle_pairs_together_far_more_than_chance);
	RUN(test_baskets_price_lines_and_mirror_a_reversal);
	return check_summary();
}
