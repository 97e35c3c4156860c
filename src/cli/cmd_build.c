/* cmd_build: `cartograph build` renders the report site from the warehouse into out/. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/db.h"
#include "report/build.h"
#include "report/chart.h"
#include "util/progress.h"

static const char usage[] =
	"usage: cartograph build [--templates DIR] [--currency SYMBOL] [--shop-url URL]\n"
	"\n"
	"Renders the report site from the warehouse into the --out folder (default out/):\n"
	"dashboards, charts (PNG at 1x and 2x, with their numbers as CSV) and manifest.json,\n"
	"and the shop catalog in out/shop/ with each product's recommendations as JSON in\n"
	"out/recs/product/. The catalog, its stock and the recommendations are written into\n"
	"shop.db (--shop-db) in one short transaction that leaves carts and orders alone.\n"
	"Two builds of the same warehouse give the same bytes; files that did not change\n"
	"are not rewritten, and files of earlier builds that are no longer made are removed.\n"
	"When nothing the site is made from changed (warehouse, templates, options, shop.db's\n"
	"products, the program) and out/ is as the last build left it, the build stops at\n"
	"once.\n"
	"\n"
	"  --templates DIR    templates and style sheet (default templates/)\n"
	"  --currency SYMBOL  written before amounts (default: the one the order exports'\n"
	"                     amounts are written with, such as 12,50 \xe2\x82\xac; else $)\n"
	"  --shop-url URL     where the catalog's add-to-cart forms post\n"
	"                     (default /cgi-bin/shop.cgi)\n";

/* What a build that rendered did: pages, files, the catalog and shop.db. */
static void print_work(const struct build_summary *s, const struct cli *cli, double seconds)
{
	const struct shop_export_summary *shop = &s->shop;
	printf("built %d pages and %d charts in %.2f s: %lld files written, %lld unchanged, "
	       "%lld removed\n",
	       s->pages, s->charts, seconds, s->files.written, s->files.unchanged,
	       s->files.removed);
	printf("shop catalog: %d pages and %d recommendation files in %.2f s (%.2f s of CPU)\n",
	       s->catalog_pages, s->recs_files, s->catalog_seconds, s->catalog_cpu_seconds);
	printf("%s: %d products (%d kept sold out, %d removed), %d bought-together rows from %s, "
	       "%d customer recommendations, %d best sellers; written in %.3f s\n",
	       cli->shop_db_path, shop->products, shop->unavailable, shop->removed,
	       shop->product_recs, shop->recs_source ? shop->recs_source : "nothing",
	       shop->customer_recs, shop->popular, shop->write_seconds);
	if (s->catalog_unsellable)
		printf("note: %d products have ids shop.cgi does not take (letters, digits, '-', "
		       "'_' and '.', up to 64): their pages show no add-to-cart form\n",
		       s->catalog_unsellable);
}

static void print_summary(const struct build_summary *s, const struct cli *cli, double seconds)
{
	if (s->up_to_date)
		printf("up to date in %.2f s: nothing the site is made from changed since the last "
		       "build: 0 files written (out/ holds its %lld files as it left them)\n",
		       seconds, s->files.unchanged);
	else
		print_work(s, cli, seconds);
	printf("open %s/index.html (the shop: %s/shop/index.html)\n", cli->out_dir, cli->out_dir);
}

int cmd_build(int argc, char **argv, const struct cli *cli)
{
	return cli_build(argc, argv, cli, NULL, NULL);
}

/* The currency the order lines' amounts are written in, when their exports say: the
 * one of most of the rows loaded, copied into buf; else "$". */
static const char *currency_of_exports(sqlite3 *db, char *buf, size_t size)
{
	sqlite3_stmt *st;
	struct error ignored;
	snprintf(buf, size, "$");
	if (db_prepare(db, "SELECT currency FROM ingest_runs"
			   " WHERE kind = 'order_lines' AND currency IS NOT NULL"
			   " GROUP BY currency ORDER BY sum(rows_loaded) DESC, currency LIMIT 1",
		       &st, &ignored) < 0)
		return buf;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

int cli_build(int argc, char **argv, const struct cli *cli, const struct build_prelude *prelude,
	      const char *prelude_name)
{
	static const struct option longopts[] = {
		{"templates", required_argument, NULL, 't'},
		{"currency", required_argument, NULL, 'c'},
		{"shop-url", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	struct build_options opt = {
		.out_dir = cli->out_dir, .templates_dir = "templates", .currency = NULL,
		.shop_url = "/cgi-bin/shop.cgi", .recs_url = "recs", .shop_db_path = cli->shop_db_path,
		.prelude = prelude,
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 't': opt.templates_dir = optarg; break;
		case 'c': opt.currency = optarg; break;
		case 's': opt.shop_url = optarg; break;
		default:
			return cli_usage_error("build", usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("build", usage, "unexpected argument '%s'", argv[optind]);
	sqlite3 *db;
	struct error err;
	struct build_summary summary;
	double started = monotonic_seconds();
	if (access(cli->db_path, F_OK) != 0) {
		error_set(&err, ERR_INPUT, "no warehouse at '%s': load data with 'cartograph "
			  "ingest' first", cli->db_path);
		return cli_fail("build", &err);
	}
	if (db_open_warehouse(cli->db_path, &db, &err) < 0)
		return cli_fail("build", &err);
	char currency[16];
	if (!opt.currency)
		opt.currency = currency_of_exports(db, currency, sizeof currency);
	int rc = build_site(db, &opt, &summary, &err);
	sqlite3_close(db);
	chart_library_shutdown();
	if (rc < 0)
		return cli_fail(summary.prelude_failed ? prelude_name : "build", &err);
	if (cli->verbosity > 0)
		print_summary(&summary, cli, monotonic_seconds() - started);
	return EXIT_OK;
}
