/* Tests of the synthetic shop as a whole: `gen_shop` writes the data set into a
 * temporary folder and the files are read back with libcsv and checked for what the
 * later stages rely on: exact row counts, parseable CSV with the canonical headers,
 * determinism, returns that point at real orders, reviews by buyers after buying, a
 * narrowing funnel, bundles bought together, planted flaws, seasons and churn. */
#include "check.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "gen/gen.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* One CSV file read whole: a header and rows of fields. */
struct table {
	char **cells;     /* rows x cols fields, row-major (the header not included) */
	size_t rows;      /* data rows */
	size_t cols;      /* fields in the header */
	char *header;     /* the header fields joined by ',' */
	int ragged;       /* rows whose field count differed from the header's */
	int parse_error;  /* libcsv said the file is not valid CSV */
	/* reading state */
	char **row;       /* fields of the row being read */
	size_t row_len, row_cap;
	size_t cap;
	int in_header;
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct table *t = ctx;
	if (t->row_len == t->row_cap) {
		t->row_cap = t->row_cap ? 2 * t->row_cap : 32;
		t->row = xreallocarray(t->row, t->row_cap, sizeof *t->row);
	}
	t->row[t->row_len++] = xstrndup(data ? data : "", data ? len : 0);
}

static void on_row_end(int c, void *ctx)
{
	struct table *t = ctx;
	(void)c;
	if (t->in_header) {
		struct buf h = BUF_INIT;
		for (size_t i = 0; i < t->row_len; i++) {
			buf_printf(&h, "%s%s", i ? "," : "", t->row[i]);
			free(t->row[i]);
		}
		t->header = buf_detach(&h);
		t->cols = t->row_len;
		t->in_header = 0;
	} else if (t->row_len != t->cols) {
		t->ragged++;
		for (size_t i = 0; i < t->row_len; i++)
			free(t->row[i]);
	} else {
		if ((t->rows + 1) * t->cols > t->cap) {
			t->cap = t->cap ? 2 * t->cap : 1024;
			while (t->cap < (t->rows + 1) * t->cols)
				t->cap *= 2;
			t->cells = xreallocarray(t->cells, t->cap, sizeof *t->cells);
		}
		memcpy(t->cells + t->rows * t->cols, t->row, t->cols * sizeof *t->row);
		t->rows++;
	}
	t->row_len = 0;
}

static int no_space_trimming(unsigned char c)
{
	(void)c;
	return 0;
}

static void table_read(struct table *t, const char *dir, const char *name)
{
	struct buf path = BUF_INIT;
	struct csv_parser p;
	char chunk[65536];
	size_t n;
	memset(t, 0, sizeof *t);
	t->in_header = 1;
	buf_printf(&path, "%s/%s", dir, name);
	FILE *f = fopen(path.data, "rb");
	buf_free(&path);
	if (!f) {
		t->parse_error = 1;
		return;
	}
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_space_func(&p, no_space_trimming);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (csv_parse(&p, chunk, n, on_field, on_row_end, t) != n)
			t->parse_error = 1;
	if (csv_fini(&p, on_field, on_row_end, t) != 0)
		t->parse_error = 1;
	csv_free(&p);
	fclose(f);
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
	return t->cells[row * t->cols + col];
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->rows * t->cols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->row);
	free(t->header);
	memset(t, 0, sizeof *t);
}

/* Column numbers of the canonical headers. */
enum { O_ID, O_DATE, O_CUSTOMER, O_PRODUCT, O_NAME, O_QTY, O_UNIT, O_TOTAL, O_COUNTRY,
       O_REGION, O_CITY, O_CATEGORY, O_SUB, O_CHANNEL, O_PAYMENT, O_DISCOUNT, O_PROFIT,
       O_STATUS };
enum { R_ID, R_PRODUCT, R_CUSTOMER, R_RATING, R_TITLE, R_BODY, R_DATE };
enum { E_TIME, E_TYPE, E_SESSION, E_CUSTOMER, E_PRODUCT, E_PRICE };
enum { T_CUSTOMER, T_ARCHETYPE, T_CHURNED, T_DATE };

static const char *const file_names[] = {"orders.csv", "products.csv", "customers.csv",
					 "reviews.csv", "events.csv", "truth.csv"};

static char *make_temp_dir(void)
{
	char *dir = xstrdup("/tmp/cartograph-gen-XXXXXX");
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static void remove_data_set(char *dir)
{
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < sizeof file_names / sizeof file_names[0]; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, file_names[i]);
		remove(path.data);
	}
	rmdir(dir);
	buf_free(&path);
	free(dir);
}

/* Writes a data set into a new temporary folder; returns the folder (or NULL). */
static char *generate(uint64_t lines, uint64_t seed, struct gen_summary *sum)
{
	char *dir = make_temp_dir();
	struct gen_options opt = {lines, seed, dir, 1, NULL, NULL};
	struct error err;
	struct gen_summary unused;
	CHECK(dir != NULL);
	if (!dir)
		return NULL;
	int rc = gen_shop(&opt, sum ? sum : &unused, &err);
	if (rc)
		printf("    gen_shop: %s\n", err.msg);
	CHECK_INT(rc, 0);
	return dir;
}

static void hash_file(const char *dir, const char *name, char hex[65])
{
	struct buf path = BUF_INIT, data = BUF_INIT;
	char chunk[65536];
	size_t n;
	buf_printf(&path, "%s/%s", dir, name);
	FILE *f = fopen(path.data, "rb");
	CHECK(f != NULL);
	while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&data, chunk, n);
	if (f)
		fclose(f);
	sha256_hex_of(data.data ? data.data : "", data.len, hex);
	buf_free(&path);
	buf_free(&data);
}

/* The data set shared by most tests: about the size of the bundled sample. */
static char *shared_dir;
static struct table orders, products, customers, reviews, events, truth;

static void load_shared(void)
{
	shared_dir = generate(20000, 42, NULL);
	table_read(&orders, shared_dir, "orders.csv");
	table_read(&products, shared_dir, "products.csv");
	table_read(&customers, shared_dir, "customers.csv");
	table_read(&reviews, shared_dir, "reviews.csv");
	table_read(&events, shared_dir, "events.csv");
	table_read(&truth, shared_dir, "truth.csv");
}

static void test_gen_same_seed_gives_the_same_bytes_other_seeds_differ(void)
{
	char *a = generate(3000, 7, NULL), *b = generate(3000, 7, NULL);
	char *c = generate(3000, 8, NULL);
	for (size_t i = 0; a && b && c && i < sizeof file_names / sizeof file_names[0]; i++) {
		char ha[65], hb[65], hc[65];
		hash_file(a, file_names[i], ha);
		hash_file(b, file_names[i], hb);
		hash_file(c, file_names[i], hc);
		CHECK_STR(ha, hb);
		if (strcmp(ha, hc) == 0)
			printf("    %s is the same for seeds 7 and 8\n", file_names[i]),
				check_current_failed = 1;
	}
	remove_data_set(a);
	remove_data_set(b);
	remove_data_set(c);
}

static void test_gen_writes_exactly_the_order_lines_asked_for(void)
{
	static const uint64_t sizes[] = {1, 2, 17, 731, 999, 4321};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct gen_summary sum;
		struct table t;
		char *dir = generate(sizes[i], 42, &sum);
		if (!dir)
			continue;
		table_read(&t, dir, "orders.csv");
		CHECK_INT(t.rows, sizes[i]);
		CHECK_INT(sum.order_rows, sizes[i]);
		CHECK_INT(t.ragged, 0);
		CHECK(!t.parse_error);
		table_free(&t);
		remove_data_set(dir);
	}
	CHECK_INT(orders.rows, 20000);
}

static void test_gen_every_file_is_csv_with_the_canonical_header(void)
{
	static const struct {
		const struct table *t;
		const char *header;
	} want[] = {
		{&orders, "order_id,order_date,customer_id,product_id,product_name,quantity,"
			  "unit_price,line_total,country,region,city,category,subcategory,channel,"
			  "payment_method,discount,profit,status"},
		{&products, "product_id,name,description,category,subcategory,price,cost,stock"},
		{&customers, "customer_id,name,email,country,region,city,signup_date"},
		{&reviews, "review_id,product_id,customer_id,rating,title,body,review_date"},
		{&events, "event_time,event_type,session_id,customer_id,product_id,price"},
		{&truth, "customer_id,archetype,churned,churn_date"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		CHECK(!want[i].t->parse_error);
		CHECK_STR(want[i].t->header, want[i].header);
		CHECK_INT(want[i].t->ragged, 0);
		CHECK(want[i].t->rows > 0);
	}
}

static void test_gen_sample_sized_set_has_what_every_chart_needs(void)
{
	CHECK(products.rows >= 150 && products.rows <= 250);
	CHECK(customers.rows >= 1200 && customers.rows <= 1800);
	CHECK(reviews.rows >= 1000 && reviews.rows <= 2500);
	CHECK(events.rows >= 15000 && events.rows <= 30000);
	CHECK_INT(truth.rows, customers.rows);
	/* Two years of order dates. */
	int first_year_seen = 0, last_year_seen = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		first_year_seen |= strncmp(cell(&orders, i, O_DATE), "2024-01", 7) == 0;
		last_year_seen |= strncmp(cell(&orders, i, O_DATE), "2025-12", 7) == 0;
	}
	CHECK(first_year_seen && last_year_seen);
}

static int is_good_date(const char *s)
{
	int y, mo, d, h, mi, se;
	char tail;
	if (strlen(s) != 19 ||
	    sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &tail) != 6)
		return 0;
	static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return mo >= 1 && mo <= 12 && d >= 1 && d <= month_days[mo - 1] &&
	       !(mo == 2 && d == 29 && y % 4) && h < 24 && mi < 60 && se < 60;
}

static void test_gen_plants_duplicates_guests_and_unreadable_dates(void)
{
	size_t duplicates = 0, guests = 0, bad = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		if (i > 0) {
			int same = 1;
			for (size_t c = 0; c < orders.cols && same; c++)
				same = strcmp(cell(&orders, i, c), cell(&orders, i - 1, c)) == 0;
			duplicates += same;
		}
		guests += cell(&orders, i, O_CUSTOMER)[0] == '\0';
		bad += !is_good_date(cell(&orders, i, O_DATE));
	}
	CHECK(duplicates >= 20 && duplicates <= 120); /* about 0.3% */
	CHECK(guests >= 200 && guests <= 2000);
	CHECK(bad >= 3 && bad <= 40);
}

/* A key "order_id|product_id" for looking up lines. */
static char *line_key(const char *order_id, const char *product_id)
{
	struct buf k = BUF_INIT;
	buf_printf(&k, "%s|%s", order_id, product_id);
	return buf_detach(&k);
}

struct keyed {
	char *key;        /* what is looked up */
	const char *when; /* a date or time in ISO form, compared as text */
	size_t row;       /* where it came from */
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->when, y->when);
}

static struct keyed *find_key(struct keyed *all, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first entry with this key: the earliest */
		size_t mid = (lo + hi) / 2;
		if (strcmp(all[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(all[lo].key, key) == 0 ? &all[lo] : NULL;
}

static void free_keys(struct keyed *all, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(all[i].key);
	free(all);
}

static void test_gen_cancellations_reverse_an_earlier_line_of_a_real_order(void)
{
	struct keyed *lines = xcalloc(orders.rows, sizeof *lines);
	size_t n = 0, cancelled = 0, matched = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		if (cell(&orders, i, O_STATUS)[0])
			continue;
		lines[n].key = line_key(cell(&orders, i, O_ID), cell(&orders, i, O_PRODUCT));
		lines[n].when = cell(&orders, i, O_DATE);
		lines[n++].row = i;
	}
	qsort(lines, n, sizeof *lines, by_key);
	for (size_t i = 0; i < orders.rows; i++) {
		if (!cell(&orders, i, O_STATUS)[0])
			continue;
		cancelled++;
		const char *id = cell(&orders, i, O_ID);
		CHECK_STR(cell(&orders, i, O_STATUS), "cancelled");
		CHECK(id[0] == 'C');
		char *key = line_key(id + 1, cell(&orders, i, O_PRODUCT));
		struct keyed *orig = find_key(lines, n, key);
		free(key);
		if (!orig)
			continue;
		size_t o = orig->row;
		int mirrored = atoi(cell(&orders, i, O_QTY)) == -atoi(cell(&orders, o, O_QTY)) &&
			       atof(cell(&orders, i, O_TOTAL)) == -atof(cell(&orders, o, O_TOTAL)) &&
			       strcmp(cell(&orders, i, O_CUSTOMER), cell(&orders, o, O_CUSTOMER)) == 0;
		matched += mirrored && strcmp(cell(&orders, i, O_DATE), orig->when) > 0;
	}
	CHECK(cancelled >= 200 && cancelled <= 800); /* about 2% */
	CHECK_INT(matched, cancelled);
	free_keys(lines, n);
}

static void test_gen_reviews_come_from_buyers_after_they_bought(void)
{
	struct keyed *bought = xcalloc(orders.rows, sizeof *bought);
	size_t n = 0, by_buyers = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		if (cell(&orders, i, O_STATUS)[0] || !cell(&orders, i, O_CUSTOMER)[0] ||
		    !is_good_date(cell(&orders, i, O_DATE)))
			continue;
		bought[n].key = line_key(cell(&orders, i, O_CUSTOMER), cell(&orders, i, O_PRODUCT));
		bought[n].when = cell(&orders, i, O_DATE);
		bought[n++].row = i;
	}
	qsort(bought, n, sizeof *bought, by_key);
	int stars_in_range = 1;
	for (size_t i = 0; i < reviews.rows; i++) {
		char *key = line_key(cell(&reviews, i, R_CUSTOMER), cell(&reviews, i, R_PRODUCT));
		struct keyed *first = find_key(bought, n, key);
		free(key);
		/* The earliest purchase's date (first 10 characters) is before the review's. */
		by_buyers += first && strncmp(first->when, cell(&reviews, i, R_DATE), 10) < 0;
		int stars = atoi(cell(&reviews, i, R_RATING));
		stars_in_range &= stars >= 1 && stars <= 5;
	}
	CHECK_INT(by_buyers, reviews.rows);
	CHECK(stars_in_range);
	free_keys(bought, n);
}

static int event_type(const char *s)
{
	static const char *const names[] = {"view", "cart", "checkout", "purchase"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void test_gen_event_funnel_narrows_stage_by_stage(void)
{
	size_t stage[4] = {0}, unknown = 0, guests = 0;
	for (size_t i = 0; i < events.rows; i++) {
		int t = event_type(cell(&events, i, E_TYPE));
		if (t < 0)
			unknown++;
		else
			stage[t]++;
		guests += cell(&events, i, E_CUSTOMER)[0] == '\0';
		if (i && strcmp(cell(&events, i, E_TIME), cell(&events, i - 1, E_TIME)) < 0)
			unknown++; /* out of time order */
	}
	CHECK_INT(unknown, 0);
	CHECK(stage[0] > stage[1] && stage[1] > stage[2] && stage[2] > stage[3]);
	CHECK(stage[3] > 0);
	CHECK(guests > 0 && guests < events.rows / 2);
}

static void test_gen_purchase_events_match_order_lines(void)
{
	struct keyed *lines = xcalloc(orders.rows, sizeof *lines);
	size_t n = 0, purchases = 0, matched = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		if (cell(&orders, i, O_STATUS)[0])
			continue;
		struct buf k = BUF_INIT;
		buf_printf(&k, "%s|%s|%s", cell(&orders, i, O_DATE), cell(&orders, i, O_CUSTOMER),
			   cell(&orders, i, O_PRODUCT));
		lines[n].key = buf_detach(&k);
		lines[n].when = "";
		lines[n++].row = i;
	}
	qsort(lines, n, sizeof *lines, by_key);
	for (size_t i = 0; i < events.rows; i++) {
		if (strcmp(cell(&events, i, E_TYPE), "purchase") != 0)
			continue;
		purchases++;
		struct buf k = BUF_INIT;
		buf_printf(&k, "%s|%s|%s", cell(&events, i, E_TIME), cell(&events, i, E_CUSTOMER),
			   cell(&events, i, E_PRODUCT));
		matched += find_key(lines, n, k.data) != NULL;
		buf_free(&k);
	}
	/* All of them, but for the rare purchase whose order line got an unreadable date. */
	CHECK(purchases > 0 && matched >= purchases - purchases / 100);
	free_keys(lines, n);
}

/* Product number of "P1042". */
static size_t product_number(const char *id)
{
	return id[0] == 'P' ? (size_t)atol(id + 1) : 0;
}

static void test_gen_bundled_products_are_bought_together_far_more_than_chance(void)
{
	/* The files do not name the bundles, so look at what the data shows: each camera,
	 * phone or laptop has one partner it is bought with most. Together those pairs must
	 * co-occur far more often than if baskets were filled independently. */
	size_t max_id = 0;
	for (size_t i = 0; i < products.rows; i++) {
		size_t id = product_number(cell(&products, i, 0));
		max_id = id > max_id ? id : max_id;
	}
	size_t width = max_id + 1, order_count = 0;
	size_t *alone = xcalloc(width, sizeof *alone);
	uint32_t *together = xcalloc(width * width, sizeof *together);
	for (size_t i = 0; i < orders.rows;) {
		size_t j = i;
		while (j < orders.rows && strcmp(cell(&orders, j, O_ID), cell(&orders, i, O_ID)) == 0)
			j++;
		if (!cell(&orders, i, O_STATUS)[0]) {
			order_count++;
			for (size_t a = i; a < j; a++) {
				size_t pa = product_number(cell(&orders, a, O_PRODUCT));
				alone[pa]++;
				for (size_t b = i; b < j; b++) {
					size_t pb = product_number(cell(&orders, b, O_PRODUCT));
					together[pa * width + pb] += pa != pb;
				}
			}
		}
		i = j;
	}
	double observed = 0, expected = 0;
	size_t anchors = 0;
	for (size_t i = 0; i < products.rows; i++) {
		const char *sub = cell(&products, i, 4);
		if (strcmp(sub, "Cameras") && strcmp(sub, "Smartphones") && strcmp(sub, "Laptops"))
			continue;
		size_t p = product_number(cell(&products, i, 0)), partner = 0;
		if (alone[p] < 20)
			continue;
		anchors++;
		for (size_t q = 1; q < width; q++)
			if (together[p * width + q] > together[p * width + partner])
				partner = q;
		observed += together[p * width + partner];
		expected += (double)alone[p] * (double)alone[partner] / (double)order_count;
	}
	CHECK(anchors >= 5);
	if (observed <= 5 * expected)
		printf("    bundle pairs: %.0f together, %.1f by chance\n", observed, expected);
	CHECK(observed > 5 * expected); /* without bundles it is about 2 */
	free(alone);
	free(together);
}

/* Day number (2024-01-01 is 0) of a "YYYY-MM-DD" date of 2024 or 2025. */
static int day_number(int y, int m, int md)
{
	static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int day = before[m - 1] + md - 1 + (y == 2024 && m > 2);
	return y == 2025 ? 366 + day : day;
}

static void test_gen_sales_follow_seasons_weeks_and_promotion_days(void)
{
	double month_revenue[24] = {0};
	size_t month_lines[24] = {0}, weekday[7] = {0}, per_day[731] = {0};
	for (size_t i = 0; i < orders.rows; i++) {
		const char *d = cell(&orders, i, O_DATE);
		if (cell(&orders, i, O_STATUS)[0] || !is_good_date(d))
			continue;
		int y, m, md;
		sscanf(d, "%d-%d-%d", &y, &m, &md);
		int day = day_number(y, m, md);
		month_revenue[(y - 2024) * 12 + m - 1] += atof(cell(&orders, i, O_TOTAL));
		month_lines[(y - 2024) * 12 + m - 1]++;
		per_day[day]++;
		weekday[day % 7]++; /* 2024-01-01 was a Monday */
	}
	for (int y = 0; y < 2; y++) {
		double summer = month_revenue[y * 12 + 6] + month_revenue[y * 12 + 7];
		double q4 = month_revenue[y * 12 + 10] + month_revenue[y * 12 + 11];
		CHECK(q4 > 1.4 * summer);
		CHECK(month_lines[y * 12 + 4] > month_lines[y * 12 + 6]); /* May above July */
	}
	double weekdays = (weekday[0] + weekday[1] + weekday[2] + weekday[3]) / 4.0;
	double weekend = (weekday[5] + weekday[6]) / 2.0;
	CHECK(weekend < 0.9 * weekdays);
	/* Black Friday is among the three busiest days of each year; the outage day is
	 * among the quietest of all. */
	int black_fridays[2] = {day_number(2024, 11, 29), day_number(2025, 11, 28)};
	for (int y = 0; y < 2; y++) {
		size_t busier = 0;
		for (int d = y * 366; d < (y ? 731 : 366); d++)
			busier += per_day[d] > per_day[black_fridays[y]];
		CHECK(busier < 3);
	}
	size_t quieter_than_outage = 0, outage = per_day[day_number(2025, 5, 14)];
	for (int d = 0; d < 731; d++)
		quieter_than_outage += per_day[d] < outage;
	CHECK(quieter_than_outage < 5);
}

static void test_gen_heavy_discounts_make_losses(void)
{
	size_t heavy = 0, heavy_losses = 0, plain = 0, plain_losses = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		if (cell(&orders, i, O_STATUS)[0])
			continue;
		double discount = atof(cell(&orders, i, O_DISCOUNT));
		int loss = atof(cell(&orders, i, O_PROFIT)) < 0;
		CHECK(discount >= 0 && discount < 1);
		if (discount >= 0.5)
			heavy++, heavy_losses += loss;
		if (discount == 0)
			plain++, plain_losses += loss;
	}
	CHECK(heavy > 50);
	CHECK(heavy_losses > heavy * 3 / 4);
	CHECK_INT(plain_losses, 0);
	CHECK(plain > orders.rows / 2);
}

static void test_gen_churners_stop_buying_on_their_churn_date(void)
{
	struct keyed *churn = xcalloc(truth.rows, sizeof *churn);
	size_t n = 0, late_orders = 0, churned = 0, kinds = 0;
	const char *seen_kinds[8] = {0};
	for (size_t i = 0; i < truth.rows; i++) {
		const char *kind = cell(&truth, i, T_ARCHETYPE);
		int known = 0;
		for (size_t k = 0; k < kinds; k++)
			known |= strcmp(seen_kinds[k], kind) == 0;
		if (!known && kinds < 8)
			seen_kinds[kinds++] = kind;
		if (strcmp(cell(&truth, i, T_CHURNED), "1") != 0)
			continue;
		CHECK_STR(kind, "churner");
		churn[n].key = xstrdup(cell(&truth, i, T_CUSTOMER));
		churn[n].when = cell(&truth, i, T_DATE);
		churn[n++].row = i;
	}
	churned = n;
	qsort(churn, n, sizeof *churn, by_key);
	for (size_t i = 0; i < orders.rows; i++) {
		if (cell(&orders, i, O_STATUS)[0] || !cell(&orders, i, O_CUSTOMER)[0] ||
		    !is_good_date(cell(&orders, i, O_DATE)))
			continue;
		struct keyed *c = find_key(churn, n, cell(&orders, i, O_CUSTOMER));
		late_orders += c && strncmp(cell(&orders, i, O_DATE), c->when, 10) >= 0;
	}
	CHECK_INT(kinds, 5);
	CHECK(churned > truth.rows / 20);
	CHECK_INT(late_orders, 0);
	free_keys(churn, n);
}

static void test_gen_archetypes_buy_as_often_as_their_kind(void)
{
	static const char *const kinds[] = {"champion", "loyal", "occasional", "one_time"};
	double orders_of[4] = {0}, people[4] = {0};
	struct keyed *who = xcalloc(truth.rows, sizeof *who);
	for (size_t i = 0; i < truth.rows; i++) {
		who[i].key = xstrdup(cell(&truth, i, T_CUSTOMER));
		who[i].when = cell(&truth, i, T_ARCHETYPE);
		who[i].row = i;
		for (int k = 0; k < 4; k++)
			people[k] += strcmp(who[i].when, kinds[k]) == 0;
	}
	qsort(who, truth.rows, sizeof *who, by_key);
	int one_timers_once = 1;
	size_t *per_customer = xcalloc(truth.rows, sizeof *per_customer);
	for (size_t i = 0; i < orders.rows; i++) {
		if (cell(&orders, i, O_STATUS)[0] || !cell(&orders, i, O_CUSTOMER)[0])
			continue;
		if (i && strcmp(cell(&orders, i, O_ID), cell(&orders, i - 1, O_ID)) == 0)
			continue; /* count orders, not lines */
		struct keyed *c = find_key(who, truth.rows, cell(&orders, i, O_CUSTOMER));
		if (!c)
			continue;
		per_customer[c->row]++;
		for (int k = 0; k < 4; k++)
			orders_of[k] += strcmp(c->when, kinds[k]) == 0;
	}
	for (size_t i = 0; i < truth.rows; i++)
		if (strcmp(cell(&truth, i, T_ARCHETYPE), "one_time") == 0)
			one_timers_once &= per_customer[i] <= 1;
	CHECK(one_timers_once);
	double per[4];
	for (int k = 0; k < 4; k++)
		per[k] = people[k] ? orders_of[k] / people[k] : 0;
	CHECK(per[0] > 2 * per[1] && per[1] > 2 * per[2] && per[2] > per[3]);
	free(per_customer);
	free_keys(who, truth.rows);
}

static void test_gen_customers_arrive_over_time_in_differing_cohorts(void)
{
	size_t per_month[24] = {0}, before = 0;
	for (size_t i = 0; i < customers.rows; i++) {
		int y, m;
		sscanf(cell(&customers, i, 6), "%d-%d", &y, &m);
		if (y < 2024)
			before++;
		else if (y <= 2025)
			per_month[(y - 2024) * 12 + m - 1]++;
		CHECK(strchr(cell(&customers, i, 2), '@') != NULL);
	}
	size_t least = SIZE_MAX, most = 0;
	for (int m = 0; m < 24; m++) {
		least = per_month[m] < least ? per_month[m] : least;
		most = per_month[m] > most ? per_month[m] : most;
	}
	CHECK(before > customers.rows / 5);
	CHECK(least > 0);
	CHECK(most > 2 * least);
}

static void test_gen_products_have_low_and_zero_stock(void)
{
	size_t zero = 0, low = 0;
	for (size_t i = 0; i < products.rows; i++) {
		long stock = atol(cell(&products, i, 7));
		zero += stock == 0;
		low += stock > 0 && stock <= 5;
		CHECK(atof(cell(&products, i, 6)) < atof(cell(&products, i, 5)));
	}
	CHECK(zero >= 1);
	CHECK(low >= 3);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted copies of one column, for looking ids up. */
static const char **column_index(const struct table *t, size_t col)
{
	const char **ids = xcalloc(t->rows ? t->rows : 1, sizeof *ids);
	for (size_t i = 0; i < t->rows; i++)
		ids[i] = cell(t, i, col);
	qsort(ids, t->rows, sizeof *ids, by_text);
	return ids;
}

static int known(const char **ids, size_t n, const char *id)
{
	return bsearch(&id, ids, n, sizeof *ids, by_text) != NULL;
}

static void test_gen_every_customer_and_product_named_is_in_its_file(void)
{
	const char **people = column_index(&customers, 0), **things = column_index(&products, 0);
	size_t unknown = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		const char *c = cell(&orders, i, O_CUSTOMER);
		unknown += c[0] && !known(people, customers.rows, c);
		unknown += !known(things, products.rows, cell(&orders, i, O_PRODUCT));
	}
	for (size_t i = 0; i < reviews.rows; i++) {
		unknown += !known(people, customers.rows, cell(&reviews, i, R_CUSTOMER));
		unknown += !known(things, products.rows, cell(&reviews, i, R_PRODUCT));
	}
	for (size_t i = 0; i < events.rows; i++) {
		const char *c = cell(&events, i, E_CUSTOMER);
		unknown += c[0] && !known(people, customers.rows, c);
		unknown += !known(things, products.rows, cell(&events, i, E_PRODUCT));
	}
	CHECK_INT(unknown, 0);
	free(people);
	free(things);
}

static void test_gen_customers_sign_up_before_their_first_order(void)
{
	struct keyed *signup = xcalloc(customers.rows, sizeof *signup);
	for (size_t i = 0; i < customers.rows; i++) {
		signup[i].key = xstrdup(cell(&customers, i, 0));
		signup[i].when = cell(&customers, i, 6);
		signup[i].row = i;
	}
	qsort(signup, customers.rows, sizeof *signup, by_key);
	size_t early = 0;
	for (size_t i = 0; i < orders.rows; i++) {
		const char *c = cell(&orders, i, O_CUSTOMER), *d = cell(&orders, i, O_DATE);
		if (!c[0] || !is_good_date(d))
			continue;
		struct keyed *k = find_key(signup, customers.rows, c);
		early += k && strncmp(d, k->when, 10) < 0;
	}
	CHECK_INT(early, 0);
	free_keys(signup, customers.rows);
}

static void test_gen_reports_a_folder_it_cannot_create(void)
{
	struct gen_options opt = {10, 42, "/proc/no/such/place", 0, NULL, NULL};
	struct error err;
	CHECK(gen_shop(&opt, NULL, &err) < 0);
	CHECK(strstr(err.msg, "/proc/no") != NULL);
}

int main(void)
{
	load_shared();
	RUN(test_gen_same_seed_gives_the_same_bytes_other_seeds_differ);
	RUN(test_gen_writes_exactly_the_order_lines_asked_for);
	RUN(test_gen_every_file_is_csv_with_the_canonical_header);
	RUN(test_gen_sample_sized_set_has_what_every_chart_needs);
	RUN(test_gen_plants_duplicates_guests_and_unreadable_dates);
	RUN(test_gen_cancellations_reverse_an_earlier_line_of_a_real_order);
	RUN(test_gen_reviews_come_from_buyers_after_they_bought);
	RUN(test_gen_event_funnel_narrows_stage_by_stage);
	RUN(test_gen_purchase_events_match_order_lines);
	RUN(test_gen_bundled_products_are_bought_together_far_more_than_chance);
	RUN(test_gen_sales_follow_seasons_weeks_and_promotion_days);
	RUN(test_gen_heavy_discounts_make_losses);
	RUN(test_gen_churners_stop_buying_on_their_churn_date);
	RUN(test_gen_archetypes_buy_as_often_as_their_kind);
	RUN(test_gen_customers_arrive_over_time_in_differing_cohorts);
	RUN(test_gen_products_have_low_and_zero_stock);
	RUN(test_gen_every_customer_and_product_named_is_in_its_file);
	RUN(test_gen_customers_sign_up_before_their_first_order);
	RUN(test_gen_reports_a_folder_it_cannot_create);
	table_free(&orders);
	table_free(&products);
	table_free(&customers);
	table_free(&reviews);
	table_free(&events);
	table_free(&truth);
	remove_data_set(shared_dir);
	return check_summary();
}
