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
	"dashboards, charts (PNG at 1x and 2x, with their numbers as CSV) and manifest.json.\n"
	"Two builds of the same warehouse give the same bytes; files that did not change\n"
	"are not rewritten, and files of earlier builds that are no longer made are removed.\n"
	"\n"
	"  --templates DIR    templates and style sheet (default templates/)\n"
	"  --currency SYMBOL  written before amounts (default $)\n"
	"  --shop-url URL     where the catalog's add-to-cart forms post\n"
	"                     (default /cgi-bin/shop.cgi)\n";

int cmd_build(int argc, char **argv, const struct cli *cli)
{
	static const struct option longopts[] = {
		{"templates", required_argument, NULL, 't'},
		{"currency", required_argument, NULL, 'c'},
		{"shop-url", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	struct build_options opt = {cli->out_dir, "templates", "$", "/cgi-bin/shop.cgi", "recs"};
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
	int rc = build_site(db, &opt, &summary, &err);
	sqlite3_close(db);
	chart_library_shutdown();
	if (rc < 0)
		return cli_fail("build", &err);
	if (cli->verbosity > 0)
		printf("built %d pages and %d charts in %.2f s: %lld files written, %lld unchanged, "
		       "%lld removed\nopen %s/index.html\n",
		       summary.pages, summary.charts, monotonic_seconds() - started,
		       summary.files.written, summary.files.unchanged, summary.files.removed,
		       cli->out_dir);
	return EXIT_OK;
}
