/* cmd_gen: `cartograph gen` writes a synthetic shop's data set as CSV files. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "gen/gen.h"
#include "util/progress.h"

static const char usage[] =
	"usage: cartograph gen --orders N [--seed S] [--truth] --out DIR\n"
	"Writes a synthetic shop's data set as CSV files: orders.csv (N order lines),\n"
	"products.csv, customers.csv, reviews.csv and events.csv, covering 2024-01-01 to\n"
	"2025-12-31. The same options always give the same bytes.\n"
	"\n"
	"  --orders N   data rows of orders.csv, 1 to 1000000000 (a k or M suffix\n"
	"               multiplies by a thousand or a million: 20k, 1M)\n"
	"  --seed S     the random seed, a whole number (default 42)\n"
	"  --truth      also write truth.csv: each customer's archetype and churn date\n"
	"  --out DIR    where the files go (created when missing)\n";

enum { MAX_ORDER_LINES = 1000000000 };

/* Reads a whole number with an optional k/M suffix; returns 0 or -1 when malformed. */
static int parse_count(const char *text, uint64_t *out)
{
	char *end;
	if (!*text || strchr("0123456789", *text) == NULL)
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno)
		return -1;
	uint64_t scale = 1;
	if (*end == 'k' || *end == 'K')
		scale = 1000, end++;
	else if (*end == 'm' || *end == 'M')
		scale = 1000000, end++;
	if (*end || v > UINT64_MAX / scale)
		return -1;
	*out = (uint64_t)v * scale;
	return 0;
}

/* Draws the shared progress bar by days written. */
static void show_progress(void *ctx, long day, long days)
{
	struct progress *p = ctx;
	p->total = (uint64_t)days;
	progress_update(p, (uint64_t)day);
}

int cmd_gen(int argc, char **argv, const struct cli *cli)
{
	static const struct option options[] = {
		{"orders", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"truth", no_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gen_options opt = {0, 42, cli->out_dir, 0, NULL, NULL};
	struct progress progress;
	int have_orders = 0, c;
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	optind = 0; /* start afresh: the global options were parsed by hand */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(optarg, &opt.order_lines) || opt.order_lines < 1 ||
			    opt.order_lines > MAX_ORDER_LINES)
				return cli_usage_error("gen", usage,
						       "--orders wants a number of order lines "
						       "from 1 to %d, not '%s'",
						       MAX_ORDER_LINES, optarg);
			have_orders = 1;
			break;
		case 's':
			if (parse_count(optarg, &opt.seed))
				return cli_usage_error("gen", usage,
						       "--seed wants a whole number, not '%s'",
						       optarg);
			break;
		case 't':
			opt.with_truth = 1;
			break;
		default:
			return cli_usage_error("gen", usage, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("gen", usage, "unexpected argument '%s'", argv[optind]);
	if (!have_orders)
		return cli_usage_error("gen", usage, "--orders N is required");
	if (!cli->out_given)
		return cli_usage_error("gen", usage, "--out DIR is required");
	progress_start(&progress, cli->verbosity >= 1, "gen", 0);
	opt.progress = show_progress;
	opt.progress_ctx = &progress;
	struct gen_summary sum;
	struct error err;
	int rc = gen_shop(&opt, &sum, &err);
	progress_finish(&progress);
	if (rc)
		return cli_fail("gen", &err);
	if (cli->verbosity >= 1)
		printf("wrote %llu order lines (%llu orders), %llu products, %llu customers, "
		       "%llu reviews and %llu events to %s\n",
		       (unsigned long long)sum.order_rows, (unsigned long long)sum.orders,
		       (unsigned long long)sum.products, (unsigned long long)sum.customers,
		       (unsigned long long)sum.reviews, (unsigned long long)sum.events,
		       opt.out_dir);
	return EXIT_OK;
}
