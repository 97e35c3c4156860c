/* page_sales: the Sales page, one per period: where revenue comes from (countries or
 * regions, channels, payment methods), what sells (category -> sub-category maps of
 * revenue and of profit, the top 20 products) and what discounts do to profit. A
 * section the exports cannot fill is replaced by one line naming the column that
 * would fill it.
 *
 * The one idea: the build has summed the sales into two small temporary tables, one
 * row per place x channel x payment method x discount step and one row per product,
 * each split by band (sales_pass.h: a period's sales are its band and those above); a
 * period's page sums its bands into two smaller tables that every section then asks.
 * So no section of any period reads the order lines. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/build_internal.h"
#include "util/xalloc.h"

#define TOP_PLACES 15   /* places named in the chart; the rest are summed as "Other" */
#define TOP_PRODUCTS 20 /* rows of the best-seller table and chart */

/* A label in the shop's words: "apple_pay" reads "Apple pay"; a value with capitals
 * ("PayPal", "EIRE") is left as it was written. */
#define DISPLAY_SQL(column)                                                              \
	"CASE WHEN " column " = lower(" column ") THEN upper(substr(" column ", 1, 1))"  \
	" || replace(substr(" column ", 2), '_', ' ') ELSE " column " END"

static const char drop_sql[] =
	"DROP TABLE IF EXISTS temp.sales_page_slices;"
	"DROP TABLE IF EXISTS temp.sales_page_products;";

/* One period's sales by place, channel, payment method and discount step: its band
 * (?1) and those above. */
static const char slices_sql[] =
	"CREATE TEMP TABLE sales_page_slices AS"
	" SELECT country, region, channel, payment, discount_step, sum(lines) AS lines,"
	"  sum(revenue) AS revenue, sum(profit) AS profit, sum(profit_revenue) AS profit_revenue,"
	"  sum(discounted_revenue) AS discounted_revenue"
	" FROM temp.sales_band_slices WHERE band >= ?1 GROUP BY 1, 2, 3, 4, 5";

/* One period's sales by product, with the product's name and category. */
static const char products_sql[] =
	"CREATE TEMP TABLE sales_page_products AS"
	" WITH sold AS (SELECT product_id, sum(units) AS units, sum(revenue) AS revenue,"
	"   sum(profit) AS profit FROM temp.sales_band_products WHERE band >= ?1"
	"   GROUP BY product_id)"
	" SELECT sold.*, coalesce(p.name, sold.product_id) AS name, p.category, p.subcategory"
	" FROM sold LEFT JOIN products p ON p.product_id = sold.product_id";

static const char totals_sql[] =
	"SELECT coalesce(sum(revenue), 0) AS revenue, sum(profit) AS profit,"
	" sum(profit_revenue) AS profit_revenue, coalesce(sum(lines), 0) AS lines,"
	" count(DISTINCT country) AS countries, count(DISTINCT region) AS regions,"
	" min(country) AS a_country, min(region) AS a_region,"
	" count(DISTINCT channel) AS channels, count(DISTINCT payment) AS payments,"
	" sum(discounted_revenue) AS discounted_revenue,"
	" count(DISTINCT CASE WHEN profit IS NOT NULL THEN discount_step END) AS discount_steps"
	" FROM temp.sales_page_slices";

/* Revenue by place (?1: 'country' or 'region'): the top ones, then the rest summed
 * as one "Other (N countries)" row (?2: the plural) when more than one is left. */
static const char places_sql[] =
	"WITH by_place AS (SELECT coalesce(CASE ?1 WHEN 'region' THEN region ELSE country END,"
	"   'Unknown') AS place, sum(revenue) AS revenue FROM temp.sales_page_slices GROUP BY 1),"
	" ranked AS (SELECT place, revenue, row_number() OVER (ORDER BY revenue DESC, place) AS rank,"
	"   count(*) OVER () AS places FROM by_place)"
	" SELECT label, revenue FROM ("
	"  SELECT place AS label, revenue / 100.0 AS revenue, rank FROM ranked"
	"   WHERE rank <= ?3 OR places <= ?3 + 1"
	"  UNION ALL SELECT 'Other (' || count(*) || ' ' || ?2 || ')', sum(revenue) / 100.0, ?3 + 1"
	"   FROM ranked WHERE places > ?3 + 1 AND rank > ?3 HAVING count(*) > 0)"
	" ORDER BY rank";

static const char channels_sql[] =
	"SELECT coalesce(" DISPLAY_SQL("channel") ", 'Unknown') AS label,"
	" sum(revenue) / 100.0 AS revenue"
	" FROM temp.sales_page_slices GROUP BY 1 ORDER BY sum(revenue) DESC, 1";

static const char payments_sql[] =
	"SELECT coalesce(" DISPLAY_SQL("payment") ", 'Unknown') AS label,"
	" sum(revenue) / 100.0 AS revenue"
	" FROM temp.sales_page_slices GROUP BY 1 ORDER BY sum(revenue) DESC, 1";

/* Revenue (?1 = 'revenue') or profit by category and sub-category. */
static const char tree_sql[] =
	"SELECT coalesce(category, 'Uncategorised') AS category,"
	" coalesce(subcategory, 'Other') AS subcategory,"
	" sum(CASE ?1 WHEN 'revenue' THEN revenue ELSE profit END) / 100.0 AS value"
	" FROM temp.sales_page_products GROUP BY 1, 2"
	" HAVING sum(CASE ?1 WHEN 'revenue' THEN revenue ELSE profit END) IS NOT NULL"
	" ORDER BY value DESC, 1, 2";

static const char categories_sql[] =
	"SELECT count(category) AS categorised, count(profit) AS with_profit"
	" FROM temp.sales_page_products";

/* The best sellers by revenue; ?1 is the period's revenue in cents, ?2 how many. */
static const char top_products_sql[] =
	"SELECT row_number() OVER (ORDER BY revenue DESC, product_id) AS rank, product_id, name,"
	" units, revenue, revenue * 1.0 / ?1 AS share"
	" FROM temp.sales_page_products ORDER BY revenue DESC, product_id LIMIT ?2";

/* Margin by discount step, over the lines whose discount and profit are known. */
static const char discounts_sql[] =
	"SELECT discount_step, (discount_step * 5) || '%' AS label,"
	" sum(profit) * 1.0 / sum(profit_revenue) AS margin, sum(profit_revenue) AS revenue"
	" FROM temp.sales_page_slices WHERE discount_step IS NOT NULL AND profit IS NOT NULL"
	" GROUP BY discount_step HAVING sum(profit_revenue) > 0 ORDER BY discount_step";

/* What the sections share while one period's page is filled. */
struct sales_ctx {
	struct build *b;
	const struct period *p;
	struct value *data;   /* the page's template data */
	struct value *totals; /* the row of totals_sql */
	double revenue;       /* the period's revenue, in cents */
};

/* Sets a section's note in place of its chart: the chart's heading, then lead, column
 * (as code) and tail, all plain text. */
static void set_note(struct value *section, const char *heading, const char *lead,
		     const char *column, const char *tail)
{
	struct buf html = BUF_INIT;
	value_map_set_str(section, "heading", heading);
	buf_html_escape(&html, lead, strlen(lead));
	if (column) {
		buf_puts(&html, "<code>");
		buf_html_escape(&html, column, strlen(column));
		buf_puts(&html, "</code>");
	}
	if (tail)
		buf_html_escape(&html, tail, strlen(tail));
	value_map_set_str(section, "note", buf_str(&html));
	buf_free(&html);
}

static void percent_text(double share, struct buf *out)
{
	static const struct chart_format pct = {CHART_PERCENT, NULL, 1};
	chart_format_value(&pct, share, CHART_FMT_MINUS, out);
}

static void money_text(const struct sales_ctx *s, double cents, struct buf *out)
{
	build_money(s->b, llround(cents), 0, out);
}

/* Chart stem for this period: "sales-places-90d". */
static void stem_of(const struct sales_ctx *s, const char *what, char *out, size_t size)
{
	snprintf(out, size, "sales-%s-%s", what, s->p->slug);
}

/* Height of a horizontal bar chart of n rows. */
static int rows_height(size_t n)
{
	int h = 130 + 30 * (int)n;
	return h < 240 ? 240 : h > 720 ? 720 : h;
}

/* "United Kingdom brings 82.1% of revenue": revenue (in cents) as a share of the
 * period's. */
static void leader_sentence(const struct sales_ctx *s, const char *label, double revenue,
			    const char *verb, struct buf *out)
{
	buf_printf(out, "%s %s ", label, verb);
	percent_text(s->revenue > 0 ? revenue / s->revenue : 0, out);
	buf_puts(out, " of revenue");
}

/* A horizontal bar chart of revenue per label from rows of (label, revenue). */
static int revenue_bars(struct sales_ctx *s, struct value *rows, const char *title,
			const char *subtitle, const char *stem, struct value *section,
			struct error *err)
{
	size_t n = rows->as.list.len;
	double *revenue = query_numbers(rows, "revenue");
	const char **labels = query_labels(rows, "label");
	struct chart_series series = {"Revenue", revenue, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .title = title, .subtitle = subtitle,
		.source = "Source: completed orders (order_items, orders)", .format = s->b->money,
		.point_count = n, .categories = labels, .series = &series, .series_count = 1,
		.horizontal = 1, .height = rows_height(n),
	};
	char full_stem[96];
	stem_of(s, stem, full_stem, sizeof full_stem);
	int rc = build_chart(s->b, &spec, full_stem, value_map_add_map(section, "chart"), err);
	free(revenue);
	free(labels);
	return rc;
}

/* The note in place of the places chart when there is at most one place to show. */
static void note_one_place(const struct sales_ctx *s, struct value *section, double countries,
			   double regions)
{
	struct buf lead = BUF_INIT;
	const char *column = "region", *tail = " column in the order lines would split them.";
	if (countries == 1) {
		buf_printf(&lead, "all of this period's sales went to one country, %s; a ",
			   value_string_of(s->totals, "a_country", ""));
	} else if (regions == 1) {
		buf_printf(&lead, "all of this period's sales name one region, %s, and no country;"
				  " a ", value_string_of(s->totals, "a_region", ""));
		column = "country";
	} else {
		buf_puts(&lead, "the order lines name no country or region; a ");
		column = "country";
		tail = " (or region) column in the order lines would fill this chart.";
	}
	set_note(section, "Revenue by country", buf_str(&lead), column, tail);
	buf_free(&lead);
}

/* Revenue by country, or by region when the sales are all in one country. */
static int add_places(struct sales_ctx *s, struct error *err)
{
	struct value *section = value_map_add_map(s->data, "places");
	double countries = value_number_of(s->totals, "countries", 0);
	double regions = value_number_of(s->totals, "regions", 0);
	const char *country = value_string_of(s->totals, "a_country", "");
	if (countries < 2 && regions < 2) {
		note_one_place(s, section, countries, regions);
		return 0;
	}
	int by_region = countries < 2;
	const char *kind = by_region ? "region" : "country";
	struct value *rows = value_list_new();
	int rc = query_rows(s->b->db, places_sql,
			    (struct query_arg[]){ARG_TEXT(kind),
						 ARG_TEXT(by_region ? "regions" : "countries"),
						 ARG_NUM(TOP_PLACES)},
			    3, rows, err);
	if (rc == 0 && rows->as.list.len > 0) {
		struct buf title = BUF_INIT, sub = BUF_INIT;
		const struct value *top = rows->as.list.items[0];
		buf_printf(&title, "Revenue by %s", kind);
		leader_sentence(s, value_string_of(top, "label", ""),
				value_number_of(top, "revenue", 0) * 100, "brings", &sub);
		if (by_region)
			buf_printf(&sub, "; every sale went to %s", country);
		double places = by_region ? regions : countries;
		if (places > TOP_PLACES + 1)
			buf_printf(&sub, "; the top %d, the other %.0f summed", TOP_PLACES,
				   places - TOP_PLACES);
		rc = revenue_bars(s, rows, buf_str(&title), buf_str(&sub), "places", section, err);
		buf_free(&title);
		buf_free(&sub);
	}
	value_free(rows);
	return rc;
}

static int add_channels(struct sales_ctx *s, struct error *err)
{
	struct value *section = value_map_add_map(s->data, "channels");
	double channels = value_number_of(s->totals, "channels", 0);
	if (channels == 0) {
		set_note(section, "Revenue by channel", "the order lines name no sales channel; a ",
			 "channel", " column (web, mobile, store, ...) would fill this chart.");
		return 0;
	}
	struct value *rows = value_list_new();
	int rc = query_rows(s->b->db, channels_sql, NULL, 0, rows, err);
	if (rc == 0 && rows->as.list.len > 0) {
		struct buf sub = BUF_INIT;
		const struct value *top = rows->as.list.items[0];
		leader_sentence(s, value_string_of(top, "label", ""),
				value_number_of(top, "revenue", 0) * 100, "brings", &sub);
		rc = revenue_bars(s, rows, "Revenue by channel", buf_str(&sub), "channels",
				  section, err);
		buf_free(&sub);
	}
	value_free(rows);
	return rc;
}

static int add_payments(struct sales_ctx *s, struct error *err)
{
	struct value *section = value_map_add_map(s->data, "payments");
	if (value_number_of(s->totals, "payments", 0) == 0) {
		set_note(section, "Payment methods", "the order lines name no payment method; a ",
			 "payment_method", " column (card, PayPal, ...) would fill this chart.");
		return 0;
	}
	struct value *rows = value_list_new();
	int rc = query_rows(s->b->db, payments_sql, NULL, 0, rows, err);
	size_t n = rows->as.list.len;
	double *revenue = query_numbers(rows, "revenue");
	const char **labels = query_labels(rows, "label");
	struct buf sub = BUF_INIT;
	if (rc == 0 && n > 0) {
		buf_puts(&sub, "Share of revenue by how the order was paid; ");
		leader_sentence(s, labels[0], revenue[0] * 100, "takes", &sub);
		struct chart_series series = {"Revenue", revenue, NULL, NULL, n};
		struct chart_spec spec = {
			.type = CHART_DONUT, .title = "Payment methods", .subtitle = buf_str(&sub),
			.source = "Source: completed orders (orders)", .format = s->b->money,
			.point_count = n, .categories = labels, .series = &series,
			.series_count = 1,
		};
		char stem[96];
		stem_of(s, "payments", stem, sizeof stem);
		rc = build_chart(s->b, &spec, stem, value_map_add_map(section, "chart"), err);
	}
	buf_free(&sub);
	free(revenue);
	free(labels);
	value_free(rows);
	return rc;
}

/* Lists under the profit map the sub-categories that lost money (a tile cannot show a
 * loss); rows are sorted by value, so the losses come last. Returns how many. */
static size_t note_losses(struct sales_ctx *s, const struct value *rows, struct value *section)
{
	struct chart_format money = s->b->money;
	struct buf note = BUF_INIT;
	size_t losses = 0;
	buf_puts(&note, "Lost money, so not in the map: ");
	for (size_t i = rows->as.list.len; i-- > 0;) {
		const struct value *row = rows->as.list.items[i];
		double v = value_number_of(row, "value", 0);
		if (v >= 0)
			break;
		if (losses++ == 8) {
			buf_puts(&note, ", and more (see the CSV)");
			break;
		}
		buf_printf(&note, "%s%s / %s (", losses > 1 ? ", " : "",
			   value_string_of(row, "category", ""),
			   value_string_of(row, "subcategory", ""));
		chart_format_value(&money, v, CHART_FMT_MINUS, &note);
		buf_putc(&note, ')');
	}
	buf_putc(&note, '.');
	if (losses)
		value_list_push(value_map_add_list(section, "notes"),
				value_string_new(buf_str(&note)));
	buf_free(&note);
	return losses;
}

/* The category whose tiles add up to the most, and that sum. */
static const char *largest_category(const struct chart_tree_item *items, size_t n,
				    double *sum_out)
{
	const char *best = NULL;
	*sum_out = 0;
	for (size_t i = 0; i < n; i++) {
		double sum = 0;
		for (size_t j = 0; j < n; j++)
			if (strcmp(items[j].category, items[i].category) == 0 && items[j].value > 0)
				sum += items[j].value;
		if (sum > *sum_out)
			*sum_out = sum, best = items[i].category;
	}
	return best;
}

/* A category -> sub-category treemap of revenue or profit (measure). */
static int category_map(struct sales_ctx *s, const char *measure, struct value *section,
			struct error *err)
{
	int profit = strcmp(measure, "profit") == 0;
	struct value *rows = value_list_new();
	int rc = query_rows(s->b->db, tree_sql, (struct query_arg[]){ARG_TEXT(measure)}, 1,
			    rows, err);
	size_t n = rows->as.list.len;
	struct chart_tree_item *items = xmalloc((n ? n : 1) * sizeof *items);
	double positive = 0, best = 0;
	for (size_t i = 0; i < n; i++) {
		const struct value *row = rows->as.list.items[i];
		items[i].category = value_string_of(row, "category", "");
		items[i].subcategory = value_string_of(row, "subcategory", "");
		items[i].value = value_number_of(row, "value", 0);
		if (items[i].value > 0)
			positive += items[i].value;
	}
	const char *best_category = largest_category(items, n, &best);
	size_t losses = profit ? note_losses(s, rows, section) : 0;
	struct buf sub = BUF_INIT;
	if (best_category) {
		buf_printf(&sub, "Tiles are sub-categories, sized by %s; %s %s ", measure,
			   best_category, profit ? "earns" : "brings");
		percent_text(best / positive, &sub);
		buf_printf(&sub, " of %s", profit ? "the profit made" : "revenue");
	}
	if (losses)
		buf_printf(&sub, "; %zu lost money (listed below)", losses);
	struct chart_spec spec = {
		.type = CHART_TREEMAP,
		.title = profit ? "Profit by category" : "Revenue by category",
		.subtitle = buf_str(&sub),
		.source = profit ? "Source: order lines with a profit, joined with products"
				 : "Source: completed orders joined with products",
		.format = s->b->money, .tree = items, .tree_count = n, .height = 500,
		.empty_message = profit ? "No sub-category made a profit in this period" : NULL,
	};
	char stem[96];
	stem_of(s, profit ? "category-profit" : "category-revenue", stem, sizeof stem);
	if (rc == 0)
		rc = build_chart(s->b, &spec, stem, value_map_add_map(section, "chart"), err);
	buf_free(&sub);
	free(items);
	value_free(rows);
	return rc;
}

static int add_category_maps(struct sales_ctx *s, struct error *err)
{
	struct value *revenue = value_map_add_map(s->data, "category_revenue");
	struct value *profit = value_map_add_map(s->data, "category_profit");
	struct value *counts = value_map_new();
	int rc = query_row(s->b->db, categories_sql, NULL, 0, counts, err);
	int categorised = value_number_of(counts, "categorised", 0) > 0;
	int with_profit = value_number_of(counts, "with_profit", 0) > 0;
	value_free(counts);
	if (rc < 0)
		return rc;
	if (!categorised) {
		set_note(revenue, "Revenue by category", "no product has a category; a ",
			 "category", " column (and subcategory) in the order lines or the products"
			 " export would fill the category maps.");
		return 0;
	}
	rc = category_map(s, "revenue", revenue, err);
	if (rc == 0 && with_profit)
		rc = category_map(s, "profit", profit, err);
	else if (rc == 0)
		set_note(profit, "Profit by category", "the order lines carry no profit; a ",
			 "profit", " column would add a map of profit by category.");
	return rc;
}

/* The best sellers: a table and the same figures as bars. */
static int add_top_products(struct sales_ctx *s, struct error *err)
{
	struct value *section = value_map_add_map(s->data, "products");
	struct value *rows = value_map_add_list(section, "rows");
	int rc = query_rows(s->b->db, top_products_sql,
			    (struct query_arg[]){ARG_NUM(s->revenue > 0 ? s->revenue : 1),
						 ARG_NUM(TOP_PRODUCTS)},
			    2, rows, err);
	size_t n = rows->as.list.len;
	double share = 0;
	struct buf t = BUF_INIT;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct value *row = rows->as.list.items[i];
		double cents = value_number_of(row, "revenue", 0);
		share += value_number_of(row, "share", 0);
		buf_reset(&t);
		build_count(value_number_of(row, "units", 0), &t);
		value_map_set_str(row, "units_text", buf_str(&t));
		buf_reset(&t);
		money_text(s, cents, &t);
		value_map_set_str(row, "revenue_text", buf_str(&t));
		buf_reset(&t);
		percent_text(value_number_of(row, "share", 0), &t);
		value_map_set_str(row, "share_text", buf_str(&t));
		value_map_set_num(row, "amount", cents / 100.0);
	}
	buf_free(&t);
	if (rc < 0 || n == 0)
		return rc;
	double *revenue = query_numbers(rows, "amount");
	const char **labels = query_labels(rows, "name");
	struct buf title = BUF_INIT, sub = BUF_INIT;
	buf_printf(&title, "Top %zu products by revenue", n);
	buf_puts(&sub, "Together ");
	percent_text(share, &sub);
	buf_printf(&sub, " of revenue; %s leads", labels[0]);
	struct chart_series series = {"Revenue", revenue, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .title = buf_str(&title), .subtitle = buf_str(&sub),
		.source = "Source: completed orders (order_items, products)", .format = s->b->money,
		.point_count = n, .categories = labels, .series = &series, .series_count = 1,
		.horizontal = 1, .height = rows_height(n),
	};
	char stem[96];
	stem_of(s, "top-products", stem, sizeof stem);
	rc = build_chart(s->b, &spec, stem, value_map_add_map(section, "chart"), err);
	buf_free(&title);
	buf_free(&sub);
	free(revenue);
	free(labels);
	return rc;
}

/* The subtitle of the discount chart: where margins turn into losses. */
static void discount_subtitle(const struct value *rows, const double *margin, struct buf *out)
{
	size_t n = rows->as.list.len;
	buf_puts(out, "Profit as a share of revenue, by the discount on the line; ");
	for (size_t i = 0; i < n; i++)
		if (margin[i] < 0) {
			buf_printf(out, "from %s off, lines lose money",
				   value_string_of(rows->as.list.items[i], "label", ""));
			return;
		}
	buf_puts(out, "every discount level still made money");
}

/* Margin by discount step: what discounts do to profit. */
static int add_discounts(struct sales_ctx *s, struct error *err)
{
	struct value *section = value_map_add_map(s->data, "discounts");
	double steps = value_number_of(s->totals, "discount_steps", 0);
	if (steps == 0) {
		set_note(section, "Profit margin by discount", "comparing discounts with profit"
			 " needs ", "discount", " and profit columns in the order lines.");
		return 0;
	}
	if (steps == 1) {
		set_note(section, "Profit margin by discount", "every line with a profit sold at one"
			 " discount level, so there is nothing to compare.", NULL, NULL);
		return 0;
	}
	struct value *rows = value_list_new();
	int rc = query_rows(s->b->db, discounts_sql, NULL, 0, rows, err);
	size_t n = rows->as.list.len;
	double *margin = query_numbers(rows, "margin");
	const char **labels = query_labels(rows, "label");
	struct buf sub = BUF_INIT;
	discount_subtitle(rows, margin, &sub);
	struct chart_series series = {"Margin", margin, NULL, NULL, n};
	struct chart_spec spec = {
		.type = CHART_BAR, .title = "Profit margin by discount", .subtitle = buf_str(&sub),
		.source = "Source: order lines with a discount and a profit; discounts rounded to 5%",
		.x_label = "Discount", .format = {CHART_PERCENT, NULL, 0},
		.point_count = n, .categories = labels, .series = &series, .series_count = 1,
	};
	char stem[96];
	stem_of(s, "discount-margin", stem, sizeof stem);
	if (rc == 0)
		rc = build_chart(s->b, &spec, stem, value_map_add_map(section, "chart"), err);
	double discounted = value_number_of(s->totals, "discounted_revenue", 0);
	if (rc == 0 && s->revenue > 0) {
		struct buf note = BUF_INIT;
		percent_text(discounted / s->revenue, &note);
		buf_puts(&note, " of revenue in this period was sold at a discount.");
		value_list_push(value_map_add_list(section, "notes"),
				value_string_new(buf_str(&note)));
		buf_free(&note);
	}
	buf_free(&sub);
	free(margin);
	free(labels);
	value_free(rows);
	return rc;
}

/* The sentence under the heading: revenue, and profit when the lines carry it. */
static void add_summary(struct sales_ctx *s)
{
	struct buf t = BUF_INIT;
	money_text(s, s->revenue, &t);
	value_map_set_str(s->data, "revenue", buf_str(&t));
	buf_reset(&t);
	build_count(value_number_of(s->totals, "lines", 0), &t);
	value_map_set_str(s->data, "lines", buf_str(&t));
	double profit = value_number_of(s->totals, "profit", NAN);
	double base = value_number_of(s->totals, "profit_revenue", 0);
	if (!isnan(profit) && base > 0) {
		buf_reset(&t);
		money_text(s, profit, &t);
		value_map_set_str(s->data, "profit", buf_str(&t));
		buf_reset(&t);
		percent_text(profit / base, &t);
		value_map_set_str(s->data, "margin", buf_str(&t));
	}
	buf_free(&t);
}

static int fill_sections(struct sales_ctx *s, struct error *err)
{
	const struct query_arg band[] = {ARG_NUM(s->p - s->b->periods)};
	/* CREATE TABLE ... AS returns no rows: nothing is added to the NULL list. */
	int rc = query_rows(s->b->db, slices_sql, band, 1, NULL, err);
	if (rc == 0)
		rc = query_rows(s->b->db, products_sql, band, 1, NULL, err);
	if (rc == 0)
		rc = query_row(s->b->db, totals_sql, NULL, 0, s->totals, err);
	s->revenue = value_number_of(s->totals, "revenue", 0);
	value_map_set_bool(s->data, "has_sales", s->revenue > 0);
	if (rc < 0 || s->revenue <= 0)
		return rc;
	add_summary(s);
	rc = add_places(s, err);
	if (rc == 0)
		rc = add_channels(s, err);
	if (rc == 0)
		rc = add_payments(s, err);
	if (rc == 0)
		rc = add_category_maps(s, err);
	if (rc == 0)
		rc = add_top_products(s, err);
	if (rc == 0)
		rc = add_discounts(s, err);
	return rc;
}

static int exec_sql(struct build *b, const char *sql, struct error *err)
{
	if (sqlite3_exec(b->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return error_set(err, ERR_SYSTEM, "sales page: %s", sqlite3_errmsg(b->db));
	return 0;
}

static int drop_summaries(struct build *b, struct error *err)
{
	return exec_sql(b, drop_sql, err);
}

static int period_page(struct build *b, const struct period *p, struct error *err)
{
	struct sales_ctx s = {b, p, value_map_new(), value_map_new(), 0};
	int rc = drop_summaries(b, err);
	if (rc == 0)
		rc = fill_sections(&s, err);
	int dropped = drop_summaries(b, rc == 0 ? err : NULL);
	if (rc == 0)
		rc = dropped;
	value_free(s.totals);
	if (rc < 0) {
		value_free(s.data);
		return rc;
	}
	char path[64];
	period_page_name("sales", p, path, sizeof path);
	return build_page(b, "sales", path, "sales", p, s.data, err);
}

int page_sales(struct build *b, struct error *err)
{
	assert(b->period_count >= 0 && b->period_count <= PERIOD_COUNT);
	if (b->period_count == 0) {
		struct value *data = value_map_new();
		value_map_set_bool(data, "has_sales", 0);
		return build_page(b, "sales", "sales.html", "sales", NULL, data, err);
	}
	int rc = 0;
	for (int i = 0; rc == 0 && i < b->period_count; i++)
		rc = period_page(b, &b->periods[i], err);
	return rc;
}
