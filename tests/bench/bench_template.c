/* Benchmark of the template engine on a realistic catalog product page: a shared
 * layout filled through inheritance, navigation over categories, a product with 10
 * reviews (text that needs HTML escaping) and 10 related products through a partial.
 * Prints renders per second, the median of 5 runs of N renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/mustache.h"
#include "report/value.h"

#define RENDERS_PER_RUN 20000
#define RUNS 5

static const char layout_template[] =
	"<!doctype html>\n"
	"<html lang=\"en\">\n"
	"<head>\n"
	"  <meta charset=\"utf-8\">\n"
	"  <title>{{$title}}Cartograph shop{{/title}}</title>\n"
	"  <link rel=\"stylesheet\" href=\"{{root}}/{{stylesheet}}\">\n"
	"</head>\n"
	"<body>\n"
	"  <nav>\n"
	"    <ul>\n"
	"      {{#categories}}\n"
	"      <li><a href=\"{{root}}/category/{{slug}}.html\">{{name}}</a></li>\n"
	"      {{/categories}}\n"
	"    </ul>\n"
	"  </nav>\n"
	"  <main>\n"
	"    {{$main}}\n"
	"    {{/main}}\n"
	"  </main>\n"
	"  <footer>Built {{built_at}}</footer>\n"
	"</body>\n"
	"</html>\n";

static const char product_card_template[] =
	"<li class=\"card\">\n"
	"  <a href=\"{{root}}/product/{{id}}.html\">\n"
	"    <img src=\"{{root}}/img/{{id}}.jpg\" alt=\"{{name}}\">\n"
	"    <span>{{name}}</span> <b>{{price}} {{currency}}</b>\n"
	"  </a>\n"
	"</li>\n";

static const char product_template[] =
	"{{<layout}}\n"
	"{{$title}}{{product.name}} | Cartograph shop{{/title}}\n"
	"{{$main}}\n"
	"{{#product}}\n"
	"<article class=\"product\">\n"
	"  <h1>{{name}}</h1>\n"
	"  <p class=\"price\">{{price}} {{currency}}{{#on_sale}} <s>{{list_price}}</s>{{/on_sale}}</p>\n"
	"  <div class=\"description\">{{description}}</div>\n"
	"  {{#in_stock}}\n"
	"  <form method=\"post\" action=\"{{root}}/shop.cgi/cart/add\">\n"
	"    <input type=\"hidden\" name=\"product\" value=\"{{id}}\">\n"
	"    <button>Add to cart</button>\n"
	"  </form>\n"
	"  {{/in_stock}}\n"
	"  {{^in_stock}}\n"
	"  <p>Sold out</p>\n"
	"  {{/in_stock}}\n"
	"</article>\n"
	"<section class=\"reviews\">\n"
	"  <h2>{{review_count}} reviews, {{average_rating}} stars</h2>\n"
	"  {{#reviews}}\n"
	"  <blockquote>\n"
	"    <p><b>{{title}}</b> {{rating}}/5</p>\n"
	"    <p>{{body}}</p>\n"
	"    <footer>{{author}}, {{date}}</footer>\n"
	"  </blockquote>\n"
	"  {{/reviews}}\n"
	"</section>\n"
	"{{/product}}\n"
	"<section class=\"related\">\n"
	"  <h2>Frequently bought together</h2>\n"
	"  <ul>\n"
	"    {{#related}}\n"
	"    {{>product_card}}\n"
	"    {{/related}}\n"
	"  </ul>\n"
	"</section>\n"
	"{{/main}}\n"
	"{{/layout}}\n";

static int load_bench_partial(void *ctx, const char *name, struct buf *text, struct buf *label,
			      struct error *err)
{
	(void)ctx;
	(void)label;
	(void)err;
	if (strcmp(name, "layout") == 0)
		buf_puts(text, layout_template);
	else if (strcmp(name, "product_card") == 0)
		buf_puts(text, product_card_template);
	else
		return MUSTACHE_NO_PARTIAL;
	return 0;
}

/* The data of one product page, as the catalog builder would fill it. */
static struct value *product_page_data(void)
{
	static const char *const category_names[] = {
		"Mugs & Cups", "Plates", "Bowls", "Glasses", "Cutlery", "Linen", "Gifts <new>"};
	char text[128];
	struct value *page = value_map_new();
	value_map_set_str(page, "root", "..");
	value_map_set_str(page, "stylesheet", "style.3f9a1c.css");
	value_map_set_str(page, "currency", "EUR");
	value_map_set_str(page, "built_at", "2024-05-01 12:00");
	struct value *categories = value_map_add_list(page, "categories");
	for (size_t i = 0; i < sizeof category_names / sizeof category_names[0]; i++) {
		struct value *c = value_list_add_map(categories);
		value_map_set_str(c, "name", category_names[i]);
		snprintf(text, sizeof text, "category-%zu", i);
		value_map_set_str(c, "slug", text);
	}
	struct value *product = value_map_add_map(page, "product");
	value_map_set_int(product, "id", 4711);
	value_map_set_str(product, "name", "Stoneware mug \"Harbour\" 350 ml");
	value_map_set_num(product, "price", 12.5);
	value_map_set_num(product, "list_price", 15.9);
	value_map_set_bool(product, "on_sale", 1);
	value_map_set_bool(product, "in_stock", 1);
	value_map_set_str(product, "description",
			  "Hand-glazed stoneware, dishwasher & microwave safe. Holds 350 ml "
			  "of coffee, tea or <whatever> you like. Each one is unique.");
	value_map_set_int(product, "review_count", 10);
	value_map_set_num(product, "average_rating", 4.3);
	struct value *reviews = value_map_add_list(product, "reviews");
	for (int i = 0; i < 10; i++) {
		struct value *r = value_list_add_map(reviews);
		snprintf(text, sizeof text, "Lovely & sturdy (#%d)", i + 1);
		value_map_set_str(r, "title", text);
		value_map_set_int(r, "rating", 1 + i % 5);
		value_map_set_str(r, "body",
				  "Bought two of these for the office. The glaze is \"just right\", "
				  "they keep coffee warm and survived the dishwasher <so far>. "
				  "Would buy again.");
		snprintf(text, sizeof text, "Customer %d", 100 + i);
		value_map_set_str(r, "author", text);
		snprintf(text, sizeof text, "2024-04-%02d", 1 + i);
		value_map_set_str(r, "date", text);
	}
	struct value *related = value_map_add_list(page, "related");
	for (int i = 0; i < 10; i++) {
		struct value *p = value_list_add_map(related);
		value_map_set_int(p, "id", 5000 + i);
		snprintf(text, sizeof text, "Saucer & plate set no. %d", i);
		value_map_set_str(p, "name", text);
		value_map_set_num(p, "price", 4.99 + i);
	}
	return page;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	struct mustache_loader loader = {load_bench_partial, NULL};
	struct mustache *tmpl;
	struct error err;
	if (mustache_compile("product.mustache", product_template, strlen(product_template),
			     &loader, &tmpl, &err) < 0) {
		fprintf(stderr, "bench_template: %s\n", err.msg);
		return 1;
	}
	struct value *page = product_page_data();
	struct buf out = BUF_INIT;
	double rates[RUNS];
	size_t page_bytes = 0;
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		for (int i = 0; i < RENDERS_PER_RUN; i++) {
			buf_reset(&out);
			if (mustache_render(tmpl, page, &out, &err) < 0) {
				fprintf(stderr, "bench_template: %s\n", err.msg);
				return 1;
			}
		}
		rates[run] = RENDERS_PER_RUN / (now_seconds() - start);
		page_bytes = out.len;
	}
	qsort(rates, RUNS, sizeof rates[0], compare_doubles);
	printf("template: product page (%zu bytes): %.0f renders/s (median of %d runs of %d)\n",
	       page_bytes, rates[RUNS / 2], RUNS, RENDERS_PER_RUN);

	double start = now_seconds();
	for (int i = 0; i < 200; i++) {
		struct mustache *t;
		if (mustache_compile("product.mustache", product_template,
				     strlen(product_template), &loader, &t, &err) < 0)
			return 1;
		mustache_free(t);
	}
	printf("template: compile product page with partials: %.1f us each\n",
	       (now_seconds() - start) / 200 * 1e6);
	buf_free(&out);
	value_free(page);
	mustache_free(tmpl);
	return 0;
}
