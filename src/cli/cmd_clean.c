/* cmd_clean: `cartograph clean` rebuilds the typed tables from the raw ones, prints
 * what it made, and with --report the data-quality log as a table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "cli/cli.h"
#include "db/db.h"
#include "util/buf.h"

#define REPORT_WIDTH 96

static const char usage[] =
	"usage: cartograph clean [--report] [rule options]\n"
	"\n"
	"Rebuilds the typed tables (customers, products, orders, order_items, adjustments,\n"
	"reviews, events) from everything ingest loaded, in one transaction, and logs each\n"
	"data-quality rule with its count and example lines in dq_issues. Running it again\n"
	"gives identical tables.\n"
	"\n"
	"  --report                 print the data-quality report after cleaning\n"
	"  --cancel-prefix LIST     order-id prefixes of cancellation invoices (default C:\n"
	"                           C581484 cancels; \"\" for none)\n"
	"  --adjustment-codes LIST  product codes that are not products (default\n"
	"                           " CLEAN_ADJUSTMENT_CODES ")\n"
	"  --adjustment-names LIST  descriptions that are not products (default POSTAGE,\n"
	"                           CARRIAGE, MANUAL, DISCOUNT, BANK CHARGES, AMAZON FEE, ...)\n"
	"  --outlier-k K            a sale quantity above the product's median + K x MAD is an\n"
	"                           outlier (default 50)\n"
	"  --outlier-min-lines N    judge only products with N sale lines or more (default 5)\n"
	"  --today YYYY-MM-DD       later dates are in the future (default: the clock)\n"
	"  --from YYYY-MM-DD        the data's first day (default: worked out from the dates)\n"
	"  --to YYYY-MM-DD          the data's last day (default: worked out from the dates)\n"
	"  --keep-id-case           do not read product codes in upper case (85123a stays\n"
	"                           apart from 85123A)\n"
	"\n"
	"LIST is comma-separated. order_items.flags: 1 price <= 0, 2 quantity 0, 4 date out\n"
	"of range, 8 quantity outlier, 16 a return or cancellation line, 32 a sale that was\n"
	"cancelled. Sales are the lines of the sales_lines view (flags 0, order completed).\n";

/* Parses a number option; returns 0 or -1 (after printing the usage error). */
static int number_option(const char *name, const char *value, double *out)
{
	char *end;
	*out = strtod(value, &end);
	if (end == value || *end) {
		cli_usage_error("clean", usage, "%s '%s' is not a number", name, value);
		return -1;
	}
	return 0;
}

/* Parses the options into opt; returns 0 or -1 (a usage error was printed). */
static int parse_options(int argc, char **argv, struct clean_options *opt, int *report)
{
	static const struct option longopts[] = {
		{"report", no_argument, NULL, 'r'},
		{"cancel-prefix", required_argument, NULL, 'c'},
		{"adjustment-codes", required_argument, NULL, 'a'},
		{"adjustment-names", required_argument, NULL, 'n'},
		{"outlier-k", required_argument, NULL, 'k'},
		{"outlier-min-lines", required_argument, NULL, 'm'},
		{"today", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 'u'},
		{"keep-id-case", no_argument, NULL, 'i'},
		{NULL, 0, NULL, 0},
	};
	int c;
	double number;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': *report = 1; break;
		case 'c': opt->cancel_prefixes = optarg; break;
		case 'a': opt->adjustment_codes = optarg; break;
		case 'n': opt->adjustment_names = optarg; break;
		case 'k':
			if (number_option("--outlier-k", optarg, &opt->outlier_k) < 0)
				return -1;
			break;
		case 'm':
			if (number_option("--outlier-min-lines", optarg, &number) < 0)
				return -1;
			opt->outlier_min_lines = number >= 1 && number < 1e9 ? (int)number : 0;
			break;
		case 't': opt->today = optarg; break;
		case 'f': opt->date_from = optarg; break;
		case 'u': opt->date_to = optarg; break;
		case 'i': opt->keep_id_case = 1; break;
		default:
			cli_usage_error("clean", usage, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_usage_error("clean", usage, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

static void print_summary(const struct clean_summary *s)
{
	printf("cleaned %lld order lines in %.2f s%s:\n", (long long)s->order_lines, s->seconds,
	       s->lines_fed ? " (read as ingest stored them)" : "");
	printf("  %lld orders (%lld cancelled), %lld items (%lld count as sales), "
	       "%lld adjustments\n",
	       (long long)s->orders, (long long)s->cancelled_orders, (long long)s->order_items,
	       (long long)s->sale_items, (long long)s->adjustments);
	printf("  %lld customers, %lld products, %lld reviews, %lld events\n",
	       (long long)s->customers, (long long)s->products, (long long)s->reviews,
	       (long long)s->events);
	printf("  data quality: %d rules found something (%d warnings or errors); see "
	       "'cartograph clean --report' or the dq_issues table\n",
	       s->rules_fired, s->rules_warning);
}

static int print_report(sqlite3 *db, struct error *err)
{
	struct buf out = BUF_INIT;
	int rc = dq_report_format(db, REPORT_WIDTH, &out, err);
	if (rc == 0)
		printf("\n%s", buf_str(&out));
	buf_free(&out);
	return rc;
}

int cmd_clean(int argc, char **argv, const struct cli *cli)
{
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	struct clean_options opt;
	struct clean_summary summary;
	struct error err;
	sqlite3 *db = NULL;
	int report = 0, status = EXIT_OK;
	clean_options_init(&opt);
	if (parse_options(argc, argv, &opt, &report) < 0)
		return EXIT_USAGE;
	opt.feed = cli->line_feed;
	if (db_open_warehouse(cli->db_path, &db, &err) < 0 ||
	    clean_warehouse(db, &opt, &summary, &err) < 0) {
		status = cli_fail("clean", &err);
		goto done;
	}
	if (cli->verbosity > 0)
		print_summary(&summary);
	if (report && print_report(db, &err) < 0)
		status = cli_fail("clean", &err);
done:
	if (db)
		sqlite3_close(db);
	return status;
}
