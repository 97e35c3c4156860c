/* prices: products listed with their group, the order book's lines summed by product and
 * week, groups fitted one after the other, and price_elasticity. */
#include "model/prices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/model_days.h"
#include "model/model_figures.h"
#include "model/product_groups.h"
#include "util/xalloc.h"

int group_add_product(struct group_points *g, const struct product_week *weeks, size_t n)
{
	if (n < PRICE_MIN_WEEKS)
		return 0;
	double lo = INFINITY, hi = -INFINITY, mean_p = 0.0, mean_q = 0.0;
	for (size_t i = 0; i < n; i++) {
		double price = (double)weeks[i].revenue_cents / (double)weeks[i].quantity;
		if (!(price > 0.0))
			return 0; /* a free or negative week: no log price */
		lo = fmin(lo, price);
		hi = fmax(hi, price);
		mean_p += log(price);
		mean_q += log((double)weeks[i].quantity);
	}
	if (hi < lo * (1.0 + PRICE_MIN_CHANGE))
		return 0;
	mean_p /= (double)n;
	mean_q /= (double)n;
	if (g->n + n > g->cap) {
		g->cap = g->n + n > 2 * g->cap ? g->n + n : 2 * g->cap;
		g->log_price = xreallocarray(g->log_price, g->cap, sizeof *g->log_price);
		g->log_quantity = xreallocarray(g->log_quantity, g->cap, sizeof *g->log_quantity);
	}
	for (size_t i = 0; i < n; i++) {
		double price = (double)weeks[i].revenue_cents / (double)weeks[i].quantity;
		g->log_price[g->n] = log(price) - mean_p;
		g->log_quantity[g->n++] = log((double)weeks[i].quantity) - mean_q;
	}
	g->products++;
	return 1;
}

void group_fit(const struct group_points *g, struct group_elasticity *out)
{
	memset(out, 0, sizeof *out);
	out->products = g->products;
	out->points = g->n;
	double sum_sq = 0.0;
	for (size_t i = 0; i < g->n; i++)
		sum_sq += g->log_price[i] * g->log_price[i];
	out->price_variation = g->n ? sqrt(sum_sq / (double)g->n) : 0.0;
	if (g->n < PRICE_MIN_POINTS || out->price_variation < PRICE_MIN_VARIATION)
		return;
	if (g->n <= g->products + 1)
		return; /* no degrees of freedom left once each product's mean is taken out */
	if (ols_fit_line(g->log_price, g->log_quantity, g->n, &out->line, NULL) < 0)
		return;
	/* ols_fit_line counts n − 2 degrees of freedom; the product means took `products`
	 * of them (the intercept, ~0 after demeaning, is one of the two). */
	out->line.slope_se *= sqrt((double)(g->n - 2) / (double)(g->n - g->products - 1));
	out->estimated = 1;
}

void group_points_reset(struct group_points *g)
{
	g->n = 0;
	g->products = 0;
}

void group_points_free(struct group_points *g)
{
	free(g->log_price);
	free(g->log_quantity);
	memset(g, 0, sizeof *g);
}

/* One product's weekly sales, gathered while the lines stream by. */
struct product_sales {
	struct product_week *weeks; /* by week once compacted; runs of one week merged */
	size_t n, cap;
	int64_t revenue_cents;
};

static int compare_weeks(const void *pa, const void *pb)
{
	const struct product_week *a = pa, *b = pb;
	return (a->week > b->week) - (a->week < b->week);
}

/* Sorts the weeks and merges equal ones. */
static void compact_weeks(struct product_sales *p)
{
	if (!p->n)
		return;
	qsort(p->weeks, p->n, sizeof *p->weeks, compare_weeks);
	size_t kept = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (kept && p->weeks[kept - 1].week == p->weeks[i].week) {
			p->weeks[kept - 1].quantity += p->weeks[i].quantity;
			p->weeks[kept - 1].revenue_cents += p->weeks[i].revenue_cents;
		} else {
			p->weeks[kept++] = p->weeks[i];
		}
	}
	p->n = kept;
}

/* Adds a line. Lines of one week usually arrive together (order ids grow with time), so
 * a line joins the last entry when the week matches; when the array fills up it is
 * compacted first and grown only if still half full or more, so it never holds much more
 * than twice the product's distinct weeks. */
static void add_week_line(struct product_sales *p, int64_t week, int64_t quantity,
			  int64_t revenue)
{
	p->revenue_cents += revenue;
	if (p->n && p->weeks[p->n - 1].week == week) {
		p->weeks[p->n - 1].quantity += quantity;
		p->weeks[p->n - 1].revenue_cents += revenue;
		return;
	}
	if (p->n == p->cap) {
		compact_weeks(p);
		if (2 * p->n >= p->cap) {
			p->cap = p->cap ? 2 * p->cap : 8;
			p->weeks = xreallocarray(p->weeks, p->cap, sizeof *p->weeks);
		}
	}
	p->weeks[p->n++] = (struct product_week){week, quantity, revenue};
}

/* Adds every counted line of the book (unflagged, of a completed order, with a positive
 * quantity) to its product's weeks. */
static void read_sales(const struct order_book *book, struct product_sales *sales)
{
	for (size_t o = 0; o < book->order_count; o++) {
		const struct book_order *order = &book->orders[o];
		if (!order->completed)
			continue;
		int64_t day = day_of_time(order->time);
		int64_t week = (day + 3 >= 0 ? day + 3 : day - 3) / 7;
		for (uint32_t i = 0; i < order->line_count; i++) {
			const struct book_line *line = &book->lines[order->first_line + i];
			if (line->quantity > 0)
				add_week_line(&sales[line->product], week, line->quantity,
					      line->line_total_cents);
		}
	}
	for (size_t i = 0; i < book->product_count; i++)
		compact_weeks(&sales[i]);
}

struct price_counts {
	size_t groups;    /* groups written */
	size_t estimated; /* with a slope */
	size_t elastic;   /* of them, slope below −1 */
};

static int write_group(sqlite3_stmt *insert, sqlite3 *db, const char *group,
		       const struct group_points *g, size_t weeks, int64_t revenue,
		       struct price_counts *counts, struct error *err)
{
	struct group_elasticity e;
	group_fit(g, &e);
	sqlite3_bind_text(insert, 1, group, -1, SQLITE_STATIC);
	sqlite3_bind_int64(insert, 2, (sqlite3_int64)e.products);
	sqlite3_bind_int64(insert, 3, (sqlite3_int64)weeks);
	sqlite3_bind_int64(insert, 4, revenue);
	if (e.points)
		sqlite3_bind_double(insert, 5, e.price_variation);
	else
		sqlite3_bind_null(insert, 5);
	if (e.estimated) {
		sqlite3_bind_double(insert, 6, e.line.slope);
		sqlite3_bind_double(insert, 7, e.line.slope_se);
		sqlite3_bind_double(insert, 8, e.line.r_squared);
	} else {
		for (int col = 6; col <= 8; col++)
			sqlite3_bind_null(insert, col);
	}
	sqlite3_bind_text(insert, 9, e.estimated ? "estimated" : "not enough price variation",
			  -1, SQLITE_STATIC);
	int rc = sqlite3_step(insert) == SQLITE_DONE ? 0 : db_fail(db, err, "writing price_elasticity");
	sqlite3_reset(insert);
	counts->groups++;
	counts->estimated += e.estimated != 0;
	counts->elastic += e.estimated && e.line.slope < -1.0;
	return rc;
}

/* Product indices sorted by group (a counting sort; the groups are numbered in name
 * order, and products keep their id order within a group). */
static size_t *products_by_group(const struct product_groups *pg)
{
	size_t *start = xcalloc(pg->n_groups + 1, sizeof *start);
	size_t *order = xmalloc((pg->n_products ? pg->n_products : 1) * sizeof *order);
	for (size_t i = 0; i < pg->n_products; i++)
		start[pg->group_of[i] + 1]++;
	for (size_t g = 0; g < pg->n_groups; g++)
		start[g + 1] += start[g];
	for (size_t i = 0; i < pg->n_products; i++) /* ascending i keeps products in order */
		order[start[pg->group_of[i]]++] = i;
	free(start);
	return order;
}

/* Fits the groups one after another and writes a row for each that sold anything. */
static int fit_groups(sqlite3 *db, const struct product_groups *pg,
		      const struct product_sales *sales, struct price_counts *counts,
		      struct error *err)
{
	sqlite3_stmt *insert;
	if (db_prepare(db, "INSERT INTO price_elasticity (product_group, products, weeks,"
			   " revenue_cents, price_variation, elasticity, std_error, r_squared, note)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &insert, err) < 0)
		return ERR_SYSTEM;
	size_t *order = products_by_group(pg);
	struct group_points g = {0};
	int rc = 0;
	for (size_t first = 0, end; first < pg->n_products && rc == 0; first = end) {
		size_t group = pg->group_of[order[first]], weeks = 0;
		int64_t revenue = 0;
		group_points_reset(&g);
		for (end = first; end < pg->n_products && pg->group_of[order[end]] == group; end++) {
			const struct product_sales *p = &sales[order[end]];
			weeks += p->n;
			revenue += p->revenue_cents;
			group_add_product(&g, p->weeks, p->n);
		}
		if (weeks)
			rc = write_group(insert, db, pg->groups[group], &g, weeks, revenue, counts,
					 err);
	}
	group_points_free(&g);
	free(order);
	sqlite3_finalize(insert);
	return rc;
}

int model_prices(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		 struct error *err)
{
	struct price_counts counts = {0};
	if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return ERR_SYSTEM;
	const struct order_book *book = NULL;
	int rc = db_exec(db, "DELETE FROM price_elasticity", err);
	if (rc == 0 && (rc = model_book_borrow(db, opt, &book, err)) == 0) {
		struct product_groups pg;
		product_groups_from_book(book, &pg);
		struct product_sales *sales = xcalloc(pg.n_products ? pg.n_products : 1,
						      sizeof *sales);
		read_sales(book, sales);
		rc = fit_groups(db, &pg, sales, &counts, err);
		for (size_t i = 0; i < pg.n_products; i++)
			free(sales[i].weeks);
		free(sales);
		product_groups_free(&pg);
	}
	model_book_return(opt, book);
	if (rc == 0)
		rc = db_exec(db, "COMMIT", err);
	if (rc < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	int64_t weighted = db_query_int(
		db, "SELECT CAST(round(100 * sum(elasticity * revenue_cents) / sum(revenue_cents))"
		    " AS INTEGER) FROM price_elasticity WHERE elasticity IS NOT NULL", NULL, 0);
	buf_printf(summary, "prices: %zu product groups; %zu with enough price variation to "
		   "estimate (%zu elastic, below -1); revenue-weighted elasticity %.2f\n",
		   counts.groups, counts.estimated, counts.elastic, (double)weighted / 100.0);
	return 0;
}
