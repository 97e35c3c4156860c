/* build_internal: what the page builders share: the build in progress, the periods a
 * page can be shown for, and helpers to add charts and render pages. Each page_*.c
 * file fills one page (or one family of pages) through these. */
#ifndef CARTOGRAPH_BUILD_INTERNAL_H
#define CARTOGRAPH_BUILD_INTERNAL_H

#include <sqlite3.h>

#include "report/build.h"
#include "report/chart.h"
#include "report/chart_cache.h"
#include "report/mustache.h"
#include "report/query.h"
#include "report/value.h"

#define MAX_TEMPLATES 32

/* A span of days a dashboard page can be shown for, with the span before it for
 * comparisons. Times are 'YYYY-MM-DD HH:MM:SS' text, end exclusive. */
struct period {
	const char *slug;        /* "all", "365d", "90d", "30d": part of page names */
	const char *label;       /* "All time", "Last 365 days", ... */
	int days;                /* its length: 365, 90, 30; 0 for all time */
	char start[20], end[20];
	char prev_start[20], prev_end[20]; /* the span before, same length; empty for all */
	char first_day[11], last_day[11];  /* dates shown to readers */
};

#define PERIOD_COUNT 4

struct catalog_once;
struct catalog_share;

struct build {
	sqlite3 *db;
	struct site *site;
	struct chart_cache *chart_cache; /* PNGs of earlier builds, by what decides them */
	const struct build_options *opt;
	struct build_summary *summary;
	const char *style_href;           /* hashed style sheet, relative to out/ */
	struct period periods[PERIOD_COUNT];
	int period_count;                 /* 0 when there are no sales at all */
	struct {
		char *name;
		struct mustache *tmpl;
	} templates[MAX_TEMPLATES];
	int template_count;
	struct chart_format money;        /* currency format for charts */
	struct value *data_note;          /* shared facts shown on every page */
	struct catalog_once *catalog;     /* the shop catalog, loaded once for both threads */
	struct catalog_share *catalog_share; /* its product pages, dealt out to both */
};

/* Adds a chart: renders it at 1x and 2x, writes both PNGs and the CSV as hashed assets
 * named after stem, and sets into map: src, src2x, csv, alt, width, width2x (the 2x
 * PNG's width), height, title and table (head and rows, for the visually hidden copy
 * of the numbers). */
int build_chart(struct build *b, const struct chart_spec *spec, const char *stem,
		struct value *map, struct error *err);

/* Renders template with data (taking ownership of data) into the page at path (relative
 * to out/), after adding what the layout needs: root (the way back to out/ from the
 * page), style, nav, the period switcher when period is not NULL. */
int build_page(struct build *b, const char *template_name, const char *path,
	       const char *nav_current, const struct period *period, struct value *data,
	       struct error *err);

/* Frees the templates compiled so far. */
void build_free_templates(struct build *b);

/* Appends the bytes of the file name (relative to the templates folder: "style.css",
 * "shop/assets/shop.js") to out. Returns 0 or a negative code. */
int build_read_template_file(const struct build *b, const char *name, struct buf *out,
			    struct error *err);

/* Writes an amount in cents as text with the build's currency ("£1,234" or, with
 * cents, "£12.50"). */
void build_money(const struct build *b, long long cents, int with_cents, struct buf *out);
/* True when the warehouse has the table and it holds at least one row (a model step
 * that has not run leaves its section out). */
int build_has_rows(struct build *b, const char *table);
/* Writes a count with thousands separators: "9,078". */
void build_count(double n, struct buf *out);
/* SQL for a month label ("Jan 2024") of a time column, for chart categories. */
#define MONTH_LABEL_SQL(column)                                                          \
	"substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * CAST(substr(" column        \
	", 6, 2) AS INTEGER) - 2, 3) || ' ' || substr(" column ", 1, 4)"
/* The page name of a dashboard page for a period: "sales.html", "sales-90d.html". */
void period_page_name(const char *page, const struct period *p, char *out, size_t size);

/* The pages. */
/* The front pages, one per period (a "no sales yet" page when there are none). */
int page_overview(struct build *b, struct error *err);
int page_quality(struct build *b, struct error *err);
int page_customers(struct build *b, struct error *err);
int page_models(struct build *b, struct error *err);
int page_products(struct build *b, struct error *err);
/* The sales pages, one per period (a "no sales yet" page when there are none). */
int page_sales(struct build *b, struct error *err);
/* The funnel pages from web events, one per period (or one page saying how to load
 * events when there are none). */
int page_funnel(struct build *b, struct error *err);
/* The shop catalog in out/shop/ (and its export to shop.db): page_catalog.c. */
int page_catalog(struct build *b, struct error *err);
/* The other thread's help with the catalog's product pages, once its own pages are
 * done: renders pages until none is left (catalog_share.h). */
int catalog_help(struct build *b, struct error *err);

#endif
