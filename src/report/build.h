/* build: `cartograph build`, the stage that renders the report site into out/ from the
 * warehouse: dashboard pages for analysts and a catalog for shoppers, with PNG charts
 * (1x and 2x), the numbers behind each chart as CSV, a manifest, and nothing that
 * changes between two builds of the same data. */
#ifndef CARTOGRAPH_BUILD_H
#define CARTOGRAPH_BUILD_H

#include <sqlite3.h>

#include "report/shop_export.h"
#include "report/site.h"
#include "util/error.h"

/* Work that must finish before the pages that read the model tables, done by the build
 * on a connection of its own that may write, while the pages that need no model (the
 * sales, funnel and data quality pages) are rendered beside it. `cartograph run` puts
 * the model stage here. */
struct build_prelude {
	/* 0 or a negative code. Calls step_done(step_ctx, name) after each of its steps
	 * commits: the model step "anomalies" lets the overview be rendered before the
	 * other models are done. */
	int (*run)(sqlite3 *db, void *ctx, void (*step_done)(void *step_ctx, const char *name),
		   void *step_ctx, struct error *err);
	void *ctx;
};

/* The prelude's step after which the overview page can be rendered. */
#define BUILD_OVERVIEW_STEP "anomalies"

struct build_options {
	const char *out_dir;       /* the site folder */
	const char *templates_dir; /* mustache templates, style.css, shop.js */
	const char *currency;      /* symbol written before amounts, e.g. "£" */
	const char *shop_url;      /* where the catalog's forms post (shop.cgi) */
	const char *recs_url;      /* folder of out/ for static recommendation files */
	const char *shop_db_path;  /* shop.db the catalog is exported to; NULL: no catalog */
	const struct build_prelude *prelude; /* run first, beside the first pages; NULL:
	                                        none. A build with one always renders: its
	                                        inputs are known only once it is done */
};

struct build_summary {
	int up_to_date;            /* 1: nothing the site is made from changed since the last
	                              build, and out/ is as it left it: no page was rendered
	                              (files.unchanged counts out/'s files) */
	int pages;                 /* pages rendered */
	int charts;                /* charts drawn (each at 1x and 2x) */
	struct site_counts files;  /* what happened in out/ */
	int catalog_pages;         /* pages of the shop catalog (counted in pages too) */
	double catalog_seconds;    /* time the catalog took: load, export, pages */
	double catalog_cpu_seconds; /* processor time it took (the wall clock also counts
	                               other programs on a busy machine) */
	int recs_files;            /* static recommendation files (one per product) */
	int catalog_unsellable;    /* products whose id shop.cgi cannot take in a form */
	struct shop_export_summary shop; /* what went into shop.db */
	int prelude_failed;        /* the build failed because its prelude did */
};

/* Renders the whole site. Returns 0 or a negative code; out/ keeps its previous
 * contents when the build fails before it is put in place. */
int build_site(sqlite3 *db, const struct build_options *opt, struct build_summary *summary,
	       struct error *err);

#endif
