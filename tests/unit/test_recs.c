/* Unit tests of the recommenders on hand-built baskets: what counts as a purchase,
 * neighbours with known cosine scores, ties broken by product id, K bounding every
 * list, owned products never recommended, best sellers for customers without history,
 * name-based neighbours for a product nobody bought, buy again, an evaluation split
 * that cannot see the future, and the step's tables. */
#include "check.h"

#include "temp_warehouse.h"

#include "model/buy_again.h"
#include "model/content_fallback.h"
#include "model/customer_recs.h"
#include "model/purchase_history.h"
#include "model/recs.h"
#include "model/recs_build.h"
#include "model/recs_eval.h"
#include "model/top_k.h"
#include "util/rng.h"
#include "util/xalloc.h"

static void exec_ok(sqlite3 *db, const char *sql)
{
	struct error err;
	int rc = db_exec(db, sql, &err);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_INT(rc, 0);
}

/* Adds an order; items is "A:2 B:1" (product:quantity, space-separated). */
static void add_order(sqlite3 *db, const char *order_id, const char *customer,
		      const char *time, const char *status, const char *items)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "INSERT INTO orders (order_id, customer_id, order_time, status) "
			 "VALUES ('%s', %s%s%s, '%s', '%s');",
		   order_id, customer ? "'" : "", customer ? customer : "NULL",
		   customer ? "'" : "", time, status);
	char *list = xstrdup(items);
	int line = 1;
	for (char *item = strtok(list, " "); item; item = strtok(NULL, " ")) {
		char *colon = strchr(item, ':');
		*colon = '\0';
		buf_printf(&sql, "INSERT INTO order_items (order_id, line_no, product_id, quantity,"
				 " unit_price_cents, line_total_cents) VALUES ('%s', %d, '%s', %s,"
				 " 100, 100 * %s);",
			   order_id, line++, item, colon + 1, colon + 1);
	}
	exec_ok(db, buf_str(&sql));
	free(list);
	buf_free(&sql);
}

static void load_history(sqlite3 *db, struct purchase_history *h)
{
	struct error err;
	int rc = purchase_history_load(db, h, &err);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_INT(rc, 0);
}

static char *query_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt;
	char *value = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return xstrdup("(bad query)");
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value ? value : xstrdup("(null)");
}

/* Neighbours of product id as "id:score-rounded" joined by spaces. */
static char *neighbors_of(const struct purchase_history *h, const struct item_neighbors *n,
			  const char *id)
{
	struct buf out = BUF_INIT;
	int32_t p = purchase_history_find_product(h, id);
	for (uint32_t r = 0; p >= 0 && r < n->count[p]; r++) {
		size_t at = NEIGHBOR_AT(n, p, r);
		buf_printf(&out, "%s%s/%d", r ? " " : "", h->product_ids[n->neighbor[at]],
			   n->support[at]);
	}
	buf_puts(&out, "");
	return buf_detach(&out);
}

static void check_neighbors(const struct purchase_history *h, const struct item_neighbors *n,
			    const char *id, const char *want)
{
	char *got = neighbors_of(h, n, id);
	CHECK_STR(got, want);
	free(got);
}

static double score_of(const struct purchase_history *h, const struct item_neighbors *n,
		       const char *id, const char *neighbor)
{
	int32_t p = purchase_history_find_product(h, id);
	int32_t q = purchase_history_find_product(h, neighbor);
	for (uint32_t r = 0; p >= 0 && r < n->count[p]; r++)
		if (n->neighbor[NEIGHBOR_AT(n, p, r)] == q)
			return n->score[NEIGHBOR_AT(n, p, r)];
	return NAN;
}

/* Every basket's products as a transaction set (for item_neighbors_compute). */
static void basket_neighbors(const struct purchase_history *h,
			     const struct cooccurrence_options *opts, struct item_neighbors *out)
{
	uint32_t *start = xmalloc((h->basket_count + 1) * sizeof *start);
	for (size_t b = 0; b < h->basket_count; b++)
		start[b] = h->baskets[b].first_line;
	start[h->basket_count] = (uint32_t)h->line_count;
	struct transaction_set t = {h->basket_count, start, h->lines, sizeof *h->lines, NULL};
	item_neighbors_compute(&t, h->product_count, opts, out);
	free(start);
}

/* ---- what counts as a purchase ---- */

static void test_history_keeps_completed_unflagged_lines_in_time_order(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	CHECK(db != NULL);
	add_order(db, "o3", "c2", "2024-01-03 09:00:00", "completed", "B:1 A:2 B:3");
	add_order(db, "o1", "c1", "2024-01-01 09:00:00", "completed", "A:1 C:1");
	add_order(db, "o2", NULL, "2024-01-02 09:00:00", "completed", "C:5");
	add_order(db, "o4", "c1", "2024-01-04 09:00:00", "cancelled", "D:1");
	add_order(db, "o5", "c3", "2024-01-05 09:00:00", "returned", "D:1");
	add_order(db, "o6", "c1", "2024-01-06 09:00:00", "completed", "E:1 F:0");
	exec_ok(db, "UPDATE order_items SET flags = 1 WHERE product_id = 'E';"
		    "INSERT INTO products (product_id, name, category) VALUES ('Z', 'Zebra', 'toys')");
	struct purchase_history h;
	load_history(db, &h);
	/* products of kept lines and of the catalogue, in id order; D E F never bought */
	CHECK_INT(h.product_count, 4);
	CHECK_STR(h.product_ids[0], "A");
	CHECK_STR(h.product_ids[3], "Z");
	CHECK_STR(h.product_categories[3], "toys");
	/* o1, o2, o3 in time order; o6 kept nothing */
	CHECK_INT(h.basket_count, 3);
	CHECK(h.baskets[0].time < h.baskets[1].time && h.baskets[1].time < h.baskets[2].time);
	CHECK_INT(h.baskets[1].customer, -1); /* the guest */
	CHECK_STR(h.customer_ids[h.baskets[2].customer], "c2");
	/* B twice in o3 is one line of 4 units */
	CHECK_INT(h.baskets[2].line_count, 2);
	CHECK_INT(h.lines[h.baskets[2].first_line].quantity, 4);
	/* customers of any order are known, even without a completed purchase */
	CHECK(purchase_history_find_customer(&h, "c3") >= 0);
	CHECK_INT(purchase_history_find_customer(&h, "c9"), -1);
	struct customer_histories own;
	customer_histories_build(&h, h.basket_count, &own);
	int32_t c1 = purchase_history_find_customer(&h, "c1");
	CHECK_INT(own.start[c1 + 1] - own.start[c1], 2);
	CHECK(customer_owns(&own, c1, purchase_history_find_product(&h, "C")));
	CHECK(!customer_owns(&own, c1, purchase_history_find_product(&h, "B")));
	customer_histories_free(&own);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

static void test_shop_times_read_and_write_back(void)
{
	int64_t t;
	char text[20];
	CHECK_INT(shop_time_parse("2011-12-09 12:50:00", &t), 0);
	shop_time_format(t, text);
	CHECK_STR(text, "2011-12-09 12:50:00");
	CHECK_INT(shop_time_parse("1970-01-02", &t), 0);
	CHECK_INT(t, 86400);
	CHECK_INT(shop_time_parse("2024-02-29T23:59:59", &t), 0);
	shop_time_format(t + 1, text);
	CHECK_STR(text, "2024-03-01 00:00:00");
	CHECK_INT(shop_time_parse("09/12/2011", &t), -1);
	CHECK_INT(shop_time_parse("2011-12-09 12:50", &t), -1);
	CHECK_INT(shop_time_parse(NULL, &t), -1);
}

/* ---- neighbours ---- */

/* A B, A B, A C, B C, D: counts A 3, B 3, C 2; together AB 2, AC 1, BC 1. */
static sqlite3 *open_four_baskets(char path[64])
{
	sqlite3 *db = temp_warehouse_open(path);
	add_order(db, "1", "c1", "2024-01-01 10:00:00", "completed", "A:1 B:1");
	add_order(db, "2", "c2", "2024-01-02 10:00:00", "completed", "A:1 B:1");
	add_order(db, "3", "c3", "2024-01-03 10:00:00", "completed", "A:1 C:1");
	add_order(db, "4", "c4", "2024-01-04 10:00:00", "completed", "B:1 C:1");
	add_order(db, "5", "c5", "2024-01-05 10:00:00", "completed", "D:1");
	return db;
}

static void test_neighbors_are_the_cosine_of_basket_counts(void)
{
	char path[64];
	sqlite3 *db = open_four_baskets(path);
	struct purchase_history h;
	load_history(db, &h);
	struct cooccurrence_options opts;
	cooccurrence_default_options(&opts);
	opts.shrinkage = 0;
	struct item_neighbors n;
	basket_neighbors(&h, &opts, &n);
	check_neighbors(&h, &n, "A", "B/2 C/1");
	check_neighbors(&h, &n, "C", "A/1 B/1");
	check_neighbors(&h, &n, "D", "");
	CHECK_NEAR(score_of(&h, &n, "A", "B"), 2.0 / 3.0, 1e-12);
	CHECK_NEAR(score_of(&h, &n, "A", "C"), 1 / sqrt(6), 1e-12);
	CHECK_INT(n.transactions[purchase_history_find_product(&h, "A")], 3);
	CHECK_INT(n.transactions[purchase_history_find_product(&h, "D")], 1);
	item_neighbors_free(&n);
	/* shrinkage s / (s + 2) distrusts pairs seen once more than pairs seen twice */
	opts.shrinkage = 2;
	basket_neighbors(&h, &opts, &n);
	CHECK_NEAR(score_of(&h, &n, "A", "B"), 2.0 / 3.0 * 2 / 4, 1e-12);
	CHECK_NEAR(score_of(&h, &n, "A", "C"), 1 / sqrt(6) / 3, 1e-12);
	item_neighbors_free(&n);
	/* alpha 1 divides by the product's own count only: P(neighbour | product) */
	opts.shrinkage = 0;
	opts.alpha = 1;
	basket_neighbors(&h, &opts, &n);
	CHECK_NEAR(score_of(&h, &n, "C", "A"), 0.5, 1e-12);
	item_neighbors_free(&n);
	/* pairs seen once are dropped with min_support 2 */
	opts.min_support = 2;
	basket_neighbors(&h, &opts, &n);
	check_neighbors(&h, &n, "A", "B/2");
	item_neighbors_free(&n);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

static void test_equal_scores_are_ranked_by_product_id_whatever_the_input_order(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	add_order(db, "1", "c1", "2024-01-01 10:00:00", "completed", "X:1 P9:1");
	add_order(db, "2", "c2", "2024-01-02 10:00:00", "completed", "X:1 P10:1");
	add_order(db, "3", "c3", "2024-01-03 10:00:00", "completed", "P2:1 X:1");
	struct purchase_history h;
	load_history(db, &h);
	struct cooccurrence_options opts;
	cooccurrence_default_options(&opts);
	struct item_neighbors n;
	basket_neighbors(&h, &opts, &n);
	check_neighbors(&h, &n, "X", "P10/1 P2/1 P9/1"); /* byte order of the ids */
	item_neighbors_free(&n);
	/* with room for one, the tie goes to the lowest id */
	opts.k = 1;
	basket_neighbors(&h, &opts, &n);
	check_neighbors(&h, &n, "X", "P10/1");
	item_neighbors_free(&n);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

static void test_every_product_keeps_at_most_k_neighbors_and_large_orders_can_be_left_out(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	struct buf items = BUF_INIT;
	for (int i = 0; i < 30; i++)
		buf_printf(&items, "p%02d:1 ", i);
	add_order(db, "big", "c1", "2024-01-01 10:00:00", "completed", buf_str(&items));
	add_order(db, "small", "c2", "2024-01-02 10:00:00", "completed", "p00:1 p01:1");
	buf_free(&items);
	struct purchase_history h;
	load_history(db, &h);
	struct cooccurrence_options opts;
	cooccurrence_default_options(&opts);
	opts.k = 5;
	struct item_neighbors n;
	basket_neighbors(&h, &opts, &n);
	for (size_t p = 0; p < h.product_count; p++)
		CHECK_INT(n.count[p], 5);
	/* p00 and p01 share two baskets: each is the other's first neighbour */
	CHECK_INT(n.neighbor[NEIGHBOR_AT(&n, 0, 0)], 1);
	item_neighbors_free(&n);
	opts.max_transaction_size = 10;
	basket_neighbors(&h, &opts, &n);
	check_neighbors(&h, &n, "p00", "p01/1");
	check_neighbors(&h, &n, "p05", "");
	item_neighbors_free(&n);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

static int compare_scored(const void *a, const void *b)
{
	return scored_item_better(a, b) ? -1 : scored_item_better(b, a) ? 1 : 0;
}

static void test_top_k_heap_keeps_the_best_in_order(void)
{
	struct rng rng;
	rng_seed(&rng, 3);
	enum { N = 1000, K = 17 };
	struct scored_item all[N], kept[K];
	struct top_k t;
	top_k_init(&t, K);
	for (int i = 0; i < N; i++) {
		/* few distinct scores, so ties are many */
		all[i] = (struct scored_item){(double)rng_below(&rng, 20), (int32_t)i, -i};
		top_k_offer(&t, all[i].score, all[i].item, all[i].extra);
	}
	qsort(all, N, sizeof *all, compare_scored);
	CHECK_INT(top_k_take(&t, kept), K);
	for (int i = 0; i < K; i++) {
		CHECK_INT(kept[i].item, all[i].item);
		CHECK_INT(kept[i].extra, -all[i].item);
	}
	CHECK_INT(t.count, 0);
	top_k_free(&t);
}

/* ---- customers ---- */

/* A random shop: customers buying from a few products with favourites. */
static void seed_random_shop(sqlite3 *db, int customers, int products, int orders,
			     uint64_t seed)
{
	struct rng rng;
	rng_seed(&rng, seed);
	exec_ok(db, "BEGIN");
	for (int o = 0; o < orders; o++) {
		char id[16], customer[16], time[40];
		snprintf(id, sizeof id, "o%05d", o);
		snprintf(customer, sizeof customer, "c%03d", (int)rng_below(&rng, (uint64_t)customers));
		snprintf(time, sizeof time, "2024-%02d-%02d 10:00:00", 1 + o * 6 / orders,
			 1 + (int)rng_below(&rng, 28));
		struct buf items = BUF_INIT;
		int lines = 1 + (int)rng_below(&rng, 4);
		int group = (int)rng_below(&rng, 4); /* products of a group go together */
		for (int i = 0; i < lines; i++) {
			int p = (group * products / 4 + (int)rng_below(&rng, (uint64_t)products / 4)) %
				products;
			buf_printf(&items, "p%03d:%d ", p, 1 + (int)rng_below(&rng, 3));
		}
		add_order(db, id, rng_below(&rng, 10) ? customer : NULL, time, "completed",
			  buf_str(&items));
		buf_free(&items);
	}
	exec_ok(db, "COMMIT");
	for (int p = 0; p < products; p++) {
		char sql[200];
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO products (product_id, name, "
					  "category) VALUES ('p%03d', 'product %d', 'cat%d')",
			 p, p, p * 4 / products);
		exec_ok(db, sql);
	}
}

/* A recommender with the default settings, trained on every basket of h. */
static void build_parts_on_all(const struct purchase_history *h, struct recs_config *config,
			       struct recs_parts *parts)
{
	recs_default_config(config);
	recs_parts_build(h, h->basket_count, h->baskets[h->basket_count - 1].time, config, NULL,
			 parts);
}

/* A random shop of 60 customers, 40 products and 600 orders, with the default
 * recommender trained on all of it. */
struct trained_shop {
	char path[64];
	sqlite3 *db;
	struct purchase_history h;
	struct recs_config config;
	struct recs_parts parts;
};

static void train_random_shop(struct trained_shop *t, uint64_t seed)
{
	t->db = temp_warehouse_open(t->path);
	seed_random_shop(t->db, 60, 40, 600, seed);
	load_history(t->db, &t->h);
	build_parts_on_all(&t->h, &t->config, &t->parts);
}

static void trained_shop_free(struct trained_shop *t)
{
	recs_parts_free(&t->parts);
	purchase_history_free(&t->h);
	temp_warehouse_remove(t->db, t->path);
}

static void test_customer_recs_never_list_what_the_customer_owns(void)
{
	struct trained_shop t;
	train_random_shop(&t, 11);
	const struct purchase_history *h = &t.h;
	const struct recs_config *config = &t.config;
	const struct recs_parts *parts = &t.parts;
	struct recs_scratch scratch;
	recs_scratch_init(&scratch, h->product_count, config->recs.count);
	struct customer_rec recs[10];
	size_t owned_listed = 0, repeated = 0, short_lists = 0, led = 0;
	for (size_t c = 0; c < h->customer_count; c++) {
		size_t n = customer_recs_for(&parts->model, &config->recs, (int32_t)c, &scratch,
					     recs);
		size_t owned = parts->owned->start[c + 1] - parts->owned->start[c];
		size_t can = h->product_count - owned < 10 ? h->product_count - owned : 10;
		short_lists += n != can;
		led += n > 0 && recs[0].source == REC_FROM_NEIGHBORS;
		for (size_t i = 0; i < n; i++) {
			owned_listed += (size_t)customer_owns(parts->owned, (int32_t)c,
							      recs[i].product);
			for (size_t j = 0; j < i; j++)
				repeated += recs[i].product == recs[j].product;
			if (i > 0 && recs[i].source == recs[i - 1].source &&
			    recs[i].source == REC_FROM_NEIGHBORS)
				CHECK(recs[i].score <= recs[i - 1].score);
		}
	}
	CHECK_INT(owned_listed, 0);
	CHECK_INT(repeated, 0);
	CHECK_INT(short_lists, 0);
	CHECK(led > h->customer_count / 2);
	recs_scratch_free(&scratch);
	trained_shop_free(&t);
}

/* Three scorings of the same votes, as the evaluation ranks them: plain, with the
 * prior, with prior and damping. */
static void scorings(const struct recs_config *config, struct recs_options *opts)
{
	for (int i = 0; i < 3; i++)
		opts[i] = config->recs;
	opts[0].popularity_prior = opts[0].popularity_damping = 0;
	opts[1].popularity_damping = 0;
}

static void test_scorings_sharing_votes_list_what_each_would_list_alone(void)
{
	struct trained_shop t;
	train_random_shop(&t, 13);
	const struct purchase_history *h = &t.h;
	const struct recs_config *config = &t.config;
	const struct recs_parts *parts = &t.parts;
	struct recs_options opts[3];
	scorings(config, opts);
	struct recs_scratch shared[3], alone;
	for (int i = 0; i < 3; i++)
		recs_scratch_init(&shared[i], h->product_count, config->recs.count);
	recs_scratch_init(&alone, h->product_count, config->recs.count);
	struct customer_rec lists[3][10], one[10];
	struct customer_rec *out[3] = {lists[0], lists[1], lists[2]};
	size_t got[3], differ = 0, different_scorings = 0;
	for (int32_t c = -1; c < (int32_t)h->customer_count; c++) {
		customer_recs_for_each(&parts->model, opts, 3, c, shared, out, got);
		for (int i = 0; i < 3; i++) {
			size_t n = customer_recs_for(&parts->model, &opts[i], c, &alone, one);
			differ += n != got[i];
			for (size_t r = 0; r < n && r < got[i]; r++)
				differ += one[r].product != lists[i][r].product ||
					  one[r].score != lists[i][r].score ||
					  one[r].source != lists[i][r].source;
		}
		different_scorings += got[0] && got[2] && lists[0][0].score != lists[2][0].score;
	}
	CHECK_INT(differ, 0);
	CHECK(different_scorings > 0); /* the scorings do rank differently */
	for (int i = 0; i < 3; i++)
		recs_scratch_free(&shared[i]);
	recs_scratch_free(&alone);
	trained_shop_free(&t);
}

static void test_customer_without_purchases_gets_the_best_sellers(void)
{
	char path[64];
	sqlite3 *db = open_four_baskets(path);
	add_order(db, "6", "new", "2024-01-06 10:00:00", "cancelled", "A:1");
	struct purchase_history h;
	load_history(db, &h);
	struct recs_config config;
	struct recs_parts parts;
	build_parts_on_all(&h, &config, &parts);
	struct recs_scratch scratch;
	recs_scratch_init(&scratch, h.product_count, config.recs.count);
	struct customer_rec recs[10];
	int32_t c = purchase_history_find_customer(&h, "new");
	CHECK(c >= 0);
	/* A and B sold 3 times, C twice, D once; recent sales count more, and B was
	 * bought more recently than A */
	CHECK_INT(customer_recs_for(&parts.model, &config.recs, c, &scratch, recs), 4);
	CHECK_STR(h.product_ids[recs[0].product], "B");
	CHECK_STR(h.product_ids[recs[1].product], "A");
	CHECK_STR(h.product_ids[recs[2].product], "C");
	CHECK_STR(h.product_ids[recs[3].product], "D");
	CHECK_INT(recs[3].source, REC_FROM_POPULAR);
	/* someone unknown gets the same */
	CHECK_INT(customer_recs_for(&parts.model, &config.recs, -1, &scratch, recs), 4);
	CHECK_STR(h.product_ids[recs[0].product], "B");
	/* and c5, who owns D, gets A B C only */
	c = purchase_history_find_customer(&h, "c5");
	CHECK_INT(customer_recs_for(&parts.model, &config.recs, c, &scratch, recs), 3);
	recs_scratch_free(&scratch);
	recs_parts_free(&parts);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

static void test_buy_again_ranks_own_products_by_orders_then_recency(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	add_order(db, "1", "c", "2024-01-01 10:00:00", "completed", "X:1 Y:5");
	add_order(db, "2", "c", "2024-01-10 10:00:00", "completed", "X:1 Z:1");
	add_order(db, "3", "c", "2024-01-20 10:00:00", "completed", "X:2 Z:1");
	add_order(db, "4", "c", "2024-03-01 10:00:00", "completed", "W:1");
	struct purchase_history h;
	load_history(db, &h);
	struct customer_histories own;
	customer_histories_build(&h, h.basket_count, &own);
	struct top_k best;
	top_k_init(&best, 3);
	struct scored_item items[3];
	int64_t now = h.baskets[h.basket_count - 1].time;
	/* by orders alone: X 3, Z 2, then W and Y once each (tie: W's id first) */
	CHECK_INT(buy_again_for(&own, 0, now, 0, 3, &best, items), 3);
	CHECK_STR(h.product_ids[items[0].item], "X");
	CHECK_STR(h.product_ids[items[1].item], "Z");
	CHECK_STR(h.product_ids[items[2].item], "W");
	CHECK_INT(items[0].extra, 3);
	/* with a 7-day half-life the recent W outranks X and Z, bought 6 weeks before */
	CHECK_INT(buy_again_for(&own, 0, now, 7, 3, &best, items), 3);
	CHECK_STR(h.product_ids[items[0].item], "W");
	top_k_free(&best);
	customer_histories_free(&own);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

/* ---- a product nobody bought ---- */

static void test_product_without_baskets_gets_neighbors_by_name_within_its_subcategory(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	exec_ok(db, "INSERT INTO products (product_id, name, category, subcategory) VALUES"
		    " ('new', 'RED SPOTTY MUG', 'kitchen', 'mugs'),"
		    " ('m1', 'BLUE SPOTTY MUG', 'kitchen', 'mugs'),"
		    " ('m2', 'PLAIN MUG', 'kitchen', 'mugs'),"
		    " ('m3', 'GREEN CUP', 'kitchen', 'mugs'),"
		    " ('b1', 'RED SPOTTY BAG', 'bags', 'bags')");
	for (int i = 0; i < 6; i++) {
		char id[16];
		snprintf(id, sizeof id, "o%d", i);
		add_order(db, id, "c1", "2024-01-01 10:00:00", "completed",
			  i < 4 ? "m1:1 m2:1 b1:1" : "m3:1 b1:1");
	}
	struct purchase_history h;
	load_history(db, &h);
	struct recs_config config;
	recs_default_config(&config);
	struct item_neighbors n;
	recs_neighbors_from_baskets(&h, h.basket_count, h.baskets[h.basket_count - 1].time,
				    &config, 10, &n);
	struct popularity popular;
	popularity_compute(&h, h.basket_count, 0, 0, &popular);
	struct content_fallback_counts counts;
	content_fallback_fill(&h, &popular, 5, &n, &counts);
	/* the new mug: spotty mug, then plain mug by name; the cup, a best seller of mugs;
	 * never the red spotty bag of another sub-category */
	check_neighbors(&h, &n, "new", "m1/0 m2/0 m3/0");
	int32_t p = purchase_history_find_product(&h, "new");
	CHECK_INT(n.source[NEIGHBOR_AT(&n, p, 0)], NEIGHBOR_FROM_CONTENT);
	CHECK_INT(n.source[NEIGHBOR_AT(&n, p, 1)], NEIGHBOR_FROM_CONTENT);
	CHECK_INT(n.source[NEIGHBOR_AT(&n, p, 2)], NEIGHBOR_FROM_POPULAR);
	CHECK(n.score[NEIGHBOR_AT(&n, p, 0)] > n.score[NEIGHBOR_AT(&n, p, 1)]);
	/* m1 (4 baskets) is under 5 too: keeps m2 and b1 (seen with it 4 times; m2, in
	 * fewer other baskets, scores higher) */
	check_neighbors(&h, &n, "m1", "m2/4 b1/4 new/0 m3/0");
	/* b1 (6 baskets) keeps its basket neighbours only */
	int32_t b1 = purchase_history_find_product(&h, "b1");
	for (uint32_t r = 0; r < n.count[b1]; r++)
		CHECK_INT(n.source[NEIGHBOR_AT(&n, b1, r)], NEIGHBOR_FROM_BASKETS);
	CHECK_INT(counts.products, 4); /* new, m1, m2, m3 */
	popularity_free(&popular);
	item_neighbors_free(&n);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

/* ---- evaluation ---- */

static void test_evaluation_split_never_sees_purchases_after_the_cutoff(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	/* before the cutoff: A with B, A with C; after: everyone buys the new N, and a
	 * buys B again */
	add_order(db, "1", "a", "2024-03-01 10:00:00", "completed", "A:1 B:1");
	add_order(db, "2", "b", "2024-03-02 10:00:00", "completed", "A:1 C:1");
	add_order(db, "3", "c", "2024-03-03 10:00:00", "completed", "A:1");
	add_order(db, "4", "a", "2024-04-20 10:00:00", "completed", "N:1 B:1");
	add_order(db, "5", "b", "2024-04-21 10:00:00", "completed", "N:1");
	add_order(db, "6", "c", "2024-04-30 10:00:00", "completed", "N:1 C:1");
	add_order(db, "7", "d", "2024-05-01 10:00:00", "completed", "N:1 A:1");
	struct purchase_history h;
	load_history(db, &h);
	struct recs_split split;
	struct error err;
	CHECK_INT(recs_split_make(&h, 30, &split, &err), 0);
	char cutoff[20];
	shop_time_format(split.cutoff, cutoff);
	CHECK_STR(cutoff, "2024-04-01 00:00:00");
	CHECK_INT(split.train_baskets, 3);
	CHECK_INT(split.customer_count, 3); /* d bought only after */
	/* a's later products: B (bought before: a repeat) and N */
	CHECK_INT(split.start[1] - split.start[0], 2);
	for (uint32_t x = split.start[0]; x < split.start[1]; x++)
		CHECK_INT(split.repeat[x], strcmp(h.product_ids[split.later[x]], "B") == 0);
	struct recs_config config;
	recs_default_config(&config);
	struct recs_parts parts;
	recs_parts_build(&h, split.train_baskets, split.cutoff, &config, NULL, &parts);
	int32_t n_product = purchase_history_find_product(&h, "N");
	CHECK(parts.popularity.score[n_product] == 0);
	CHECK(parts.recent.score[n_product] == 0);
	CHECK_INT(parts.neighbors.count[n_product], 0);
	CHECK(!customer_owns(parts.owned, purchase_history_find_customer(&h, "a"), n_product));
	struct recs_scratch scratch;
	recs_scratch_init(&scratch, h.product_count, config.recs.count);
	struct customer_rec recs[10];
	for (size_t i = 0; i < split.customer_count; i++) {
		size_t n = customer_recs_for(&parts.model, &config.recs, split.customers[i],
					     &scratch, recs);
		for (size_t r = 0; r < n; r++)
			CHECK(recs[r].product != n_product);
	}
	recs_scratch_free(&scratch);
	recs_parts_free(&parts);
	recs_split_free(&split);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

static void test_evaluation_without_customers_on_both_sides_says_why(void)
{
	char path[64];
	sqlite3 *db = open_four_baskets(path);
	struct purchase_history h;
	load_history(db, &h);
	struct recs_split split;
	struct error err;
	CHECK_INT(recs_split_make(&h, 30, &split, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "no customer bought both before and after") != NULL);
	purchase_history_free(&h);
	temp_warehouse_remove(db, path);
}

/* ---- the step ---- */

static char *run_recs(sqlite3 *db)
{
	struct model_options opt = {.horizon_days = 90, .seed = 42};
	struct buf summary = BUF_INIT;
	struct error err;
	int rc = model_recs(db, &opt, &summary, &err);
	if (rc)
		printf("    %s\n", err.msg);
	CHECK_INT(rc, 0);
	buf_puts(&summary, "");
	return buf_detach(&summary);
}

static const char tables_digest[] =
	"SELECT (SELECT group_concat(product_id || rank || neighbor_id || round(score, 9) ||"
	"   support || source) FROM item_neighbors) ||"
	" (SELECT group_concat(customer_id || rank || product_id || round(score, 9) || source)"
	"   FROM customer_recs) ||"
	" (SELECT group_concat(customer_id || rank || product_id || orders) FROM buy_again) ||"
	" (SELECT group_concat(category || rank || product_id) FROM popular_by_category) ||"
	" (SELECT group_concat(model || metric || round(value, 9)) FROM model_metrics)";

static void test_recs_step_writes_the_shop_tables_and_the_figures(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	seed_random_shop(db, 80, 48, 900, 5);
	char *summary = run_recs(db);
	CHECK(strstr(summary, "recs_blend") != NULL);
	/* every customer has a full list, none of it bought before */
	CHECK_INT(db_query_int(db, "SELECT count(DISTINCT customer_id) FROM customer_recs",
			       NULL, -1),
		  db_query_int(db, "SELECT count(DISTINCT customer_id) FROM orders", NULL, -2));
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_recs r JOIN orders o ON"
				   " o.customer_id = r.customer_id JOIN order_items i ON"
				   " i.order_id = o.order_id AND i.product_id = r.product_id",
			       NULL, -1),
		  0);
	CHECK_INT(db_query_int(db, "SELECT max(rank) FROM customer_recs", NULL, -1),
		  RECS_PER_CUSTOMER);
	/* ranks run 1..n without gaps */
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM (SELECT product_id, max(rank) m,"
				   " count(*) n FROM item_neighbors GROUP BY product_id) WHERE m <> n",
			       NULL, -1),
		  0);
	/* buy again lists only what the customer bought */
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM buy_again b WHERE NOT EXISTS (SELECT 1"
				   " FROM orders o JOIN order_items i USING (order_id) WHERE"
				   " o.customer_id = b.customer_id AND i.product_id = b.product_id)",
			       NULL, -1),
		  0);
	/* the shop's best sellers and the four categories' */
	CHECK_INT(db_query_int(db, "SELECT count(DISTINCT category) FROM popular_by_category",
			       NULL, -1), 5);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM popular_by_category WHERE category = ''",
			       NULL, -1),
		  RECS_POPULAR_PER_CATEGORY);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM popular_by_category a JOIN"
				   " popular_by_category b ON b.category = a.category AND"
				   " b.rank = a.rank + 1 WHERE b.score > a.score",
			       NULL, -1),
		  0);
	/* one figure set per variant */
	CHECK_INT(db_query_int(db, "SELECT count(DISTINCT model) FROM model_metrics WHERE model"
				   " LIKE 'recs%'", NULL, -1), 10);
	CHECK(db_query_int(db, "SELECT value FROM model_metrics WHERE model='recs_blend' AND "
			       "metric='customers'", NULL, 0) > 0);
	/* the same warehouse gives the same tables */
	char *first = query_text(db, tables_digest);
	free(run_recs(db));
	char *second = query_text(db, tables_digest);
	CHECK(strlen(first) > 1000);
	CHECK(strcmp(first, second) == 0);
	free(first);
	free(second);
	free(summary);
	temp_warehouse_remove(db, path);
}

static void test_recs_step_on_an_empty_warehouse_writes_empty_tables(void)
{
	char path[64];
	sqlite3 *db = temp_warehouse_open(path);
	char *summary = run_recs(db);
	CHECK(strstr(summary, "not measured: no completed orders") != NULL);
	CHECK_INT(db_query_int(db, "SELECT count(*) FROM customer_recs", NULL, -1), 0);
	free(summary);
	temp_warehouse_remove(db, path);
}

int main(void)
{
	RUN(test_history_keeps_completed_unflagged_lines_in_time_order);
	RUN(test_shop_times_read_and_write_back);
	RUN(test_neighbors_are_the_cosine_of_basket_counts);
	RUN(test_equal_scores_are_ranked_by_product_id_whatever_the_input_order);
	RUN(test_every_product_keeps_at_most_k_neighbors_and_large_orders_can_be_left_out);
	RUN(test_top_k_heap_keeps_the_best_in_order);
	RUN(test_customer_recs_never_list_what_the_customer_owns);
	RUN(test_scorings_sharing_votes_list_what_each_would_list_alone);
	RUN(test_customer_without_purchases_gets_the_best_sellers);
	RUN(test_buy_again_ranks_own_products_by_orders_then_recency);
	RUN(test_product_without_baskets_gets_neighbors_by_name_within_its_subcategory);
	RUN(test_evaluation_split_never_sees_purchases_after_the_cutoff);
	RUN(test_evaluation_without_customers_on_both_sides_says_why);
	RUN(test_recs_step_writes_the_shop_tables_and_the_figures);
	RUN(test_recs_step_on_an_empty_warehouse_writes_empty_tables);
	return check_summary();
}
