/* cmd_model: `cartograph model [STEP|all]` runs the model steps over the cleaned
 * warehouse and prints what each found. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "model/model_stage.h"
#include "model/order_book.h"
#include "util/buf.h"

static const char usage_head[] =
	"usage: cartograph model [--horizon DAYS] [--seed N] [--lexicon PATH] [STEP|all]\n"
	"\n"
	"Runs models over the cleaned warehouse and stores their results and figures\n"
	"(model_metrics). With no step, or 'all', runs every step in order.\n"
	"\n"
	"  --horizon DAYS  churn: a customer has churned when they buy nothing for DAYS\n"
	"                  days after a snapshot (default 90)\n"
	"  --seed N        seed for splits and clustering (default 42)\n"
	"  --lexicon PATH  sentiment lexicon (default data/vader_lexicon.txt)\n"
	"\nSteps:\n";

static void print_usage(FILE *f)
{
	fputs(usage_head, f);
	for (int i = 0; i < model_step_count; i++)
		fprintf(f, "  %-10s %s\n", model_steps[i].name, model_steps[i].summary);
}

/* The options of `cartograph model` and `run` when none are given. */
#define DEFAULT_OPTIONS(shared_state)                                                     \
	{.horizon_days = 90, .seed = 42, .lexicon_path = "data/vader_lexicon.txt",            \
	 .shared = (shared_state)}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "cartograph: model: %s '%s'\n", what, arg);
	print_usage(stderr);
	return EXIT_USAGE;
}

static int parse_options(int argc, char **argv, struct model_options *opt)
{
	static const struct option longopts[] = {
		{"horizon", required_argument, NULL, 'h'},
		{"seed", required_argument, NULL, 's'},
		{"lexicon", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			opt->horizon_days = (int)strtol(optarg, &end, 10);
			if (*end || opt->horizon_days < 1 || opt->horizon_days > 3650)
				return usage_error("--horizon takes 1 to 3650 days, not", optarg);
			break;
		case 's':
			opt->seed = strtoull(optarg, &end, 10);
			if (*end || !*optarg)
				return usage_error("--seed takes a number, not", optarg);
			break;
		case 'l': opt->lexicon_path = optarg; break;
		default: return usage_error("unknown option", argv[optind - 1]);
		}
	}
	return 0;
}

static int run_step(sqlite3 *db, const struct model_step *step,
		    const struct model_options *opt, int verbosity, struct error *err)
{
	struct buf summary = BUF_INIT;
	int rc = step->run(db, opt, &summary, err);
	if (rc == 0 && verbosity > 0)
		fputs(buf_str(&summary), stdout);
	if (rc == 0 && opt->step_done)
		opt->step_done(opt->step_ctx, step->name);
	buf_free(&summary);
	if (rc < 0)
		error_prefix(err, "%s", step->name);
	return rc;
}

/* Runs the step named wanted, or every step for "all", with opt, then frees the state
 * the steps shared (opt->shared): both callers are done with it once the steps are. */
static int run_steps(sqlite3 *db, const char *wanted, struct model_options *opt,
		     int verbosity, struct error *err)
{
	int all = strcmp(wanted, "all") == 0, rc = 0;
	for (int i = 0; i < model_step_count && rc == 0; i++)
		if (all || strcmp(model_steps[i].name, wanted) == 0)
			rc = run_step(db, &model_steps[i], opt, verbosity, err);
	model_shared_free(opt->shared);
	return rc;
}

int cli_model_all(sqlite3 *db, const struct cli *cli,
		  void (*step_done)(void *ctx, const char *name), void *step_ctx, struct error *err)
{
	struct model_shared shared = {0};
	struct model_options opt = DEFAULT_OPTIONS(&shared);
	opt.step_done = step_done;
	opt.step_ctx = step_ctx;
	int rc = run_steps(db, "all", &opt, cli->verbosity, err);
	fflush(stdout);
	return rc;
}

int cmd_model(int argc, char **argv, const struct cli *cli)
{
	if (cli_wants_help(argc, argv)) {
		print_usage(stdout);
		return EXIT_OK;
	}
	struct model_shared shared = {0};
	struct model_options opt = DEFAULT_OPTIONS(&shared);
	if (parse_options(argc, argv, &opt) != 0)
		return EXIT_USAGE;
	const char *wanted = optind < argc ? argv[optind] : "all";
	if (optind + 1 < argc)
		return usage_error("unexpected argument", argv[optind + 1]);
	int found = strcmp(wanted, "all") == 0;
	for (int i = 0; i < model_step_count && !found; i++)
		found = strcmp(model_steps[i].name, wanted) == 0;
	if (!found)
		return usage_error("no model step", wanted);
	sqlite3 *db;
	struct error err;
	if (db_open_warehouse(cli->db_path, &db, &err) < 0)
		return cli_fail("model", &err);
	int rc = run_steps(db, wanted, &opt, cli->verbosity, &err);
	sqlite3_close(db);
	return rc < 0 ? cli_fail("model", &err) : EXIT_OK;
}
