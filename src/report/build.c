/* build: the build driver. Opens the site, adds the shared assets, works out the
 * reporting periods from the data, has each page builder render its pages, and puts
 * the result in place. Templates are compiled once, on first use, and cached. */
#include "report/build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/checkpointer.h"
#include "db/db.h"
#include "report/build_internal.h"
#include "report/build_lane.h"
#include "report/build_stamp.h"
#include "report/catalog_once.h"
#include "report/catalog_share.h"
#include "report/sales_pass.h"
#include "util/xalloc.h"

/* The dashboard's sections, in the order of the navigation bar. */
static const struct {
	const char *page;  /* page name without ".html" (index is the overview) */
	const char *label;
	int has_periods;   /* shown for each period, with a switcher */
} sections[] = {
	{"index", "Overview", 1},
	{"sales", "Sales", 1},
	{"customers", "Customers", 0},
	{"products", "Products", 0},
	{"funnel", "Funnel", 1},
	{"models", "Models", 0},
	{"quality", "Data quality", 0},
	{"shop/index", "Shop", 0},
};


int build_read_template_file(const struct build *b, const char *name, struct buf *out,
			    struct error *err)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", b->opt->templates_dir, name);
	return buf_read_file(out, path, err);
}

/* The mustache loader: partials and layouts are files DIR/name.mustache; a name may
 * start with one folder ("catalog/product"). */
static int load_template(void *ctx, const char *name, struct buf *text, struct buf *label,
			 struct error *err)
{
	const struct build *b = ctx;
	const char *slash = strchr(name, '/');
	if (strstr(name, "..") || strchr(name, '\\') || name[0] == '/' ||
	    (slash && strchr(slash + 1, '/')))
		return error_set(err, ERR_INPUT, "template name '%s' is not allowed", name);
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.mustache", b->opt->templates_dir, name);
	buf_printf(label, "%s.mustache", name);
	return buf_read_file(text, path, err);
}

static int find_template(struct build *b, const char *name, struct mustache **out,
			 struct error *err)
{
	for (int i = 0; i < b->template_count; i++)
		if (strcmp(b->templates[i].name, name) == 0) {
			*out = b->templates[i].tmpl;
			return 0;
		}
	if (b->template_count == MAX_TEMPLATES)
		return error_set(err, ERR_SYSTEM, "too many templates");
	struct buf text = BUF_INIT, label = BUF_INIT;
	struct mustache_loader loader = {load_template, b};
	int rc = load_template(b, name, &text, &label, err);
	if (rc == 0)
		rc = mustache_compile(buf_str(&label), buf_str(&text), text.len, &loader, out, err);
	buf_free(&text);
	buf_free(&label);
	if (rc < 0)
		return rc;
	b->templates[b->template_count].name = xstrdup(name);
	b->templates[b->template_count++].tmpl = *out;
	return 0;
}

void build_free_templates(struct build *b)
{
	for (int i = 0; i < b->template_count; i++) {
		free(b->templates[i].name);
		mustache_free(b->templates[i].tmpl);
	}
	b->template_count = 0;
}

void period_page_name(const char *page, const struct period *p, char *out, size_t size)
{
	if (!p || strcmp(p->slug, "all") == 0)
		snprintf(out, size, "%s.html", page);
	else
		snprintf(out, size, "%s-%s.html", page, p->slug);
}

void build_money(const struct build *b, long long cents, int with_cents, struct buf *out)
{
	struct chart_format fmt = b->money;
	fmt.decimals = with_cents ? 2 : 0;
	chart_format_value(&fmt, (double)cents / 100.0, 0, out);
}

int build_has_rows(struct build *b, const char *table)
{
	sqlite3_stmt *stmt;
	int found = 0;
	/* The name is one of the page code's constants, checked against the schema before
	 * it goes into SQL. */
	if (db_query_int(b->db, "SELECT count(*) FROM sqlite_master WHERE name = ?1", table, 0) == 0)
		return 0;
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1", table);
	if (sqlite3_prepare_v2(b->db, sql, -1, &stmt, NULL) == SQLITE_OK)
		found = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	return found;
}

void build_count(double n, struct buf *out)
{
	struct chart_format fmt = {CHART_NUMBER, NULL, 0};
	chart_format_value(&fmt, n, 0, out);
}

static void add_navigation(struct build *b, struct value *data, const char *current,
			   const char *root)
{
	struct value *nav = value_map_add_list(data, "nav");
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		struct value *item = value_list_add_map(nav);
		char href[128];
		snprintf(href, sizeof href, "%s%s.html", root, sections[i].page);
		value_map_set_str(item, "href", href);
		value_map_set_str(item, "label", sections[i].label);
		value_map_set_bool(item, "current", strcmp(sections[i].page, current) == 0);
	}
	(void)b;
}

static void add_period_switcher(struct build *b, struct value *data, const char *page,
				const struct period *current)
{
	struct value *list = value_map_add_list(data, "periods");
	for (int i = 0; i < b->period_count; i++) {
		struct value *item = value_list_add_map(list);
		char href[128];
		period_page_name(page, &b->periods[i], href, sizeof href);
		value_map_set_str(item, "href", href);
		value_map_set_str(item, "label", b->periods[i].label);
		value_map_set_bool(item, "current", &b->periods[i] == current);
	}
	value_map_set_bool(data, "has_periods", b->period_count > 1);
	value_map_set_str(data, "period_label", current->label);
	value_map_set_str(data, "period_first", current->first_day);
	value_map_set_str(data, "period_last", current->last_day);
}

int build_page(struct build *b, const char *template_name, const char *path,
	       const char *nav_current, const struct period *period, struct value *data,
	       struct error *err)
{
	struct mustache *tmpl;
	struct buf html = BUF_INIT, root = BUF_INIT;
	int rc = find_template(b, template_name, &tmpl, err);
	for (const char *c = path; rc == 0 && *c; c++)
		if (*c == '/')
			buf_puts(&root, "../");
	if (rc == 0) {
		value_map_set_str(data, "root", buf_str(&root));
		value_map_set_str(data, "style", b->style_href);
		value_map_set_str(data, "shop_url", b->opt->shop_url);
		value_map_set(data, "data", value_copy(b->data_note));
		add_navigation(b, data, nav_current, buf_str(&root));
		if (period)
			add_period_switcher(b, data, nav_current, period);
		rc = mustache_render(tmpl, data, &html, err);
	}
	if (rc == 0)
		rc = site_add_page(b->site, path, html.data, html.len, err);
	if (rc == 0)
		b->summary->pages++;
	buf_free(&html);
	buf_free(&root);
	value_free(data);
	return rc;
}

static void day_of(const char *time, char out[11])
{
	snprintf(out, 11, "%.10s", time);
}

/* The first and last sale, each found through the orders' time index. */
static const char periods_sql[] =
	"WITH last AS (SELECT order_time FROM sales_lines ORDER BY order_time DESC LIMIT 1)"
	" SELECT (SELECT order_time FROM sales_lines ORDER BY order_time LIMIT 1) AS first,"
	" order_time AS last, datetime(date(order_time), '+1 day') AS end FROM last";

/* Works out the periods from the last sale: all time, then the last 365, 90 and 30
 * days (each with the span before it). None when there are no sales. */
static int find_periods(struct build *b, struct error *err)
{
	static const struct {
		const char *slug, *label;
		int days;
	} spans[PERIOD_COUNT] = {
		{"all", "All time", 0}, {"365d", "Last 365 days", 365},
		{"90d", "Last 90 days", 90}, {"30d", "Last 30 days", 30},
	};
	struct value *row = value_map_new();
	int rc = query_row(b->db, periods_sql, NULL, 0, row, err);
	const char *first = value_string_of(row, "first", NULL);
	const char *end = value_string_of(row, "end", NULL);
	b->period_count = 0;
	for (int i = 0; rc == 0 && first && end && i < PERIOD_COUNT; i++) {
		struct period *p = &b->periods[b->period_count++];
		struct value *span = value_map_new();
		char shift[32];
		snprintf(shift, sizeof shift, "-%d days", spans[i].days);
		p->slug = spans[i].slug;
		p->label = spans[i].label;
		p->days = spans[i].days;
		rc = query_row(b->db,
			       "SELECT datetime(?1, ?2) AS start, datetime(?1, ?2, ?2) AS prev",
			       (struct query_arg[]){ARG_TEXT(end), ARG_TEXT(shift)}, 2, span, err);
		const char *start = spans[i].days ? value_string_of(span, "start", first) : first;
		if (strcmp(start, first) < 0)
			start = first;
		snprintf(p->start, sizeof p->start, "%s", start);
		snprintf(p->end, sizeof p->end, "%s", end);
		/* compared with the span before only when the data covers it whole: against
		 * a span the exports barely reach, every change reads as thousands of per
		 * cent (Online Retail has 9 days of sales in the year before its last) */
		const char *prev = spans[i].days ? value_string_of(span, "prev", "") : "";
		int covered = prev[0] && strncmp(prev, first, 10) >= 0;
		snprintf(p->prev_end, sizeof p->prev_end, "%s", covered ? start : "");
		snprintf(p->prev_start, sizeof p->prev_start, "%s", covered ? prev : "");
		day_of(start, p->first_day);
		day_of(value_string_of(row, "last", end), p->last_day);
		value_free(span);
	}
	value_free(row);
	return rc;
}

static int add_static_asset(struct build *b, const char *file, const char *stem,
			    const char *ext, const char **href, struct error *err)
{
	struct buf text = BUF_INIT;
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", b->opt->templates_dir, file);
	int rc = buf_read_file(&text, path, err);
	if (rc == 0)
		rc = site_add_asset(b->site, stem, ext, text.data ? text.data : "", text.len, href,
				    err);
	buf_free(&text);
	return rc;
}

/* Facts about the data every page footer states. */
static int load_data_note(struct build *b, struct error *err)
{
	b->data_note = value_map_new();
	return query_row(b->db,
			 "SELECT (SELECT count(*) FROM ingest_runs) AS files,"
			 " (SELECT CASE count(*) WHEN 1 THEN 'file' ELSE 'files' END FROM ingest_runs)"
			 "   AS files_word,"
			 " (SELECT printf('%,d', coalesce(sum(rows_read), 0)) FROM ingest_runs)"
			 "   AS rows_read,"
			 " (SELECT substr(min(order_time), 1, 10) FROM orders) AS first_day,"
			 " (SELECT substr(max(order_time), 1, 10) FROM orders) AS last_day",
			 NULL, 0, b->data_note, err);
}

/* The pages are rendered on two lanes at once. The build's own connection holds the
 * sums of the sales (sales_pass.h) and renders the pages that ask them (overview,
 * sales, products); a second lane, on a connection of its own, runs the prelude (the
 * models, in `cartograph run`) and then renders the shop catalog (thousands of small
 * pages). The pages that need neither the sums nor the periods (which only the build's
 * own lane works out) go to whichever lane is free first, largest first, which keeps
 * the two lanes about as long in `build` (no models to run) and in `run` alike. */
static const build_pages_fn modelless_pages[] = {page_sales, page_funnel, page_quality};
static const build_pages_fn overview_pages[] = {page_overview};
static const build_pages_fn summed_sales_model_pages[] = {page_products};
static const build_pages_fn lane_pages[] = {page_catalog};
static const build_pages_fn either_lane_pages[] = {page_customers, page_models};
#define COUNT(a) ((int)(sizeof a / sizeof a[0]))

static int run_pages(struct build *b, const build_pages_fn *pages, int count,
		     struct error *err)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < count; i++)
		rc = pages[i](b, err);
	return rc;
}

static int run_prelude(struct build *b, struct error *err)
{
	const struct build_prelude *prelude = b->opt->prelude;
	int rc = prelude ? prelude->run(b->db, prelude->ctx, NULL, NULL, err) : 0;
	b->summary->prelude_failed = rc < 0;
	return rc;
}

/* The sums of the sales and the pages that need no model. */
static int modelless_part(struct build *b, struct error *err)
{
	int rc = find_periods(b, err);
	if (rc == 0)
		rc = sales_pass(b, err);
	if (rc == 0)
		rc = run_pages(b, modelless_pages, COUNT(modelless_pages), err);
	return rc;
}

/* Everything on this thread, one page after the other (no second lane to be had). */
static int build_pages_in_turn(struct build *b, int *others_wrote, struct error *err)
{
	int64_t version = db_query_int(b->db, "PRAGMA data_version", NULL, -1);
	int rc = run_prelude(b, err);
	if (rc == 0)
		rc = modelless_part(b, err);
	if (rc == 0)
		rc = run_pages(b, overview_pages, COUNT(overview_pages), err);
	if (rc == 0)
		rc = run_pages(b, summed_sales_model_pages, COUNT(summed_sales_model_pages), err);
	if (rc == 0)
		rc = run_pages(b, lane_pages, COUNT(lane_pages), err);
	if (rc == 0)
		rc = run_pages(b, either_lane_pages, COUNT(either_lane_pages), err);
	*others_wrote = db_query_int(b->db, "PRAGMA data_version", NULL, -2) != version;
	return rc;
}

/* Renders the pages on the two lanes. The lane is always waited for; its failure is
 * reported when this thread's pages did not fail first, or when its prelude failed
 * (this thread then stopped for want of the models). *others_wrote: another program
 * committed to the warehouse during the build. */
static int build_pages(struct build *b, int *others_wrote, struct error *err)
{
	struct build_lane *lane = build_lane_start(b, lane_pages, COUNT(lane_pages),
						   either_lane_pages, COUNT(either_lane_pages));
	if (!lane)
		return build_pages_in_turn(b, others_wrote, err);
	/* The lane runs the models before its catalog: this thread has time for the load. */
	if (b->opt->prelude && b->opt->shop_db_path)
		catalog_once_load_ahead(b->catalog, b->db);
	int rc = modelless_part(b, err);
	if (rc == 0)
		rc = build_lane_wait_for_step(lane, BUILD_OVERVIEW_STEP);
	if (rc == 0)
		rc = run_pages(b, overview_pages, COUNT(overview_pages), err);
	if (rc == 0)
		rc = build_lane_wait_for_prelude(lane);
	if (rc == 0)
		rc = run_pages(b, summed_sales_model_pages, COUNT(summed_sales_model_pages), err);
	if (rc == 0)
		rc = build_lane_render_shared(lane, b, err);
	if (rc == 0)
		rc = catalog_help(b, err);
	struct error lane_err;
	int lane_rc = build_lane_join(lane, b->summary, others_wrote, &lane_err);
	if (lane_rc < 0 && (rc == 0 || b->summary->prelude_failed)) {
		*err = lane_err;
		rc = lane_rc;
	}
	return rc;
}

/* 1 when out/ already holds what this build would make (build_stamp.h); inputs gets
 * the fingerprint of what the build reads, *stampable whether there is one. */
static int site_is_current(sqlite3 *db, const struct build_options *opt,
			   struct build_summary *summary, uint8_t inputs[32], int *stampable)
{
	char saved[65], stamp[65];
	long long files;
	*stampable = build_stamp_inputs(db, opt, inputs);
	if (!*stampable || !build_stamp_saved(opt->out_dir, saved) ||
	    !build_stamp_compute(inputs, opt, stamp, &files) || strcmp(saved, stamp) != 0)
		return 0;
	summary->up_to_date = 1;
	summary->files.unchanged = files;
	return 1;
}

/* The inputs of a build whose prelude wrote to the warehouse, known once it is done.
 * The prelude's writes are first moved from the write-ahead log into the warehouse
 * (which closing the last connection would do anyway), so the stamp names the
 * warehouse as the next build will find it. In `run` the checkpointer did that while
 * the pages rendered (build_lane.c): the log is empty by now, unless it could not. */
static int inputs_after_prelude(sqlite3 *db, const struct build_options *opt,
				uint8_t inputs[32])
{
	checkpointer_wait();
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return build_stamp_inputs(db, opt, inputs);
}

/* Saves the stamp of the site just built: the inputs read before it began, out/ and
 * shop.db as it leaves them. */
static int save_stamp(const struct build_options *opt, const uint8_t inputs[32],
		      struct error *err)
{
	char stamp[65];
	long long files;
	if (!build_stamp_compute(inputs, opt, stamp, &files))
		return 0;
	return build_stamp_save(opt->out_dir, stamp, err);
}

int build_site(sqlite3 *db, const struct build_options *opt, struct build_summary *summary,
	       struct error *err)
{
	struct catalog_once catalog;
	struct catalog_share share;
	struct build b = {.db = db, .opt = opt, .summary = summary, .catalog = &catalog,
			  .catalog_share = &share};
	memset(summary, 0, sizeof *summary);
	uint8_t inputs[32];
	int stampable = 0, others_wrote = 0;
	if (!opt->prelude && site_is_current(db, opt, summary, inputs, &stampable))
		return 0;
	b.money.unit = CHART_CURRENCY;
	b.money.currency = opt->currency;
	catalog_once_init(&catalog);
	catalog_share_init(&share);
	int rc = site_open(opt->out_dir, &b.site, err);
	if (rc == 0)
		b.chart_cache = chart_cache_new(opt->out_dir);
	if (rc == 0)
		rc = add_static_asset(&b, "style.css", "style", ".css", &b.style_href, err);
	if (rc == 0)
		rc = load_data_note(&b, err);
	if (rc == 0)
		rc = build_pages(&b, &others_wrote, err);
	catalog_once_free(&catalog); /* both threads are done with it */
	catalog_share_free(&share);
	if (rc == 0)
		rc = site_finish(b.site, err);
	if (rc == 0)
		rc = chart_cache_save(b.chart_cache, err);
	if (rc == 0 && opt->prelude && !others_wrote)
		stampable = inputs_after_prelude(db, opt, inputs);
	if (rc == 0 && stampable)
		rc = save_stamp(opt, inputs, err);
	if (b.site)
		summary->files = *site_counts(b.site);
	chart_cache_free(b.chart_cache);
	site_close(b.site);
	build_free_templates(&b);
	value_free(b.data_note);
	return rc;
}
