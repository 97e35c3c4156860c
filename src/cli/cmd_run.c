/* cmd_run: `cartograph run FILE...` does the whole job: ingest the files, clean, run
 * every model, build the site. Each stage is the command of the same name, run in this
 * process with its default options (the build with those of its options run was given),
 * printing its own summary; the first stage that fails stops the run with its message
 * and exit status. The models run as the build's prelude (build.h): beside the pages
 * that need no model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/feed_tap.h"
#include "db/checkpointer.h"
#include "report/build.h"
#include "util/xalloc.h"

static const char usage[] =
	"usage: cartograph run [--currency SYMBOL] [--shop-url URL] [--templates DIR] FILE...\n"
	"\n"
	"Runs the stages in order, each as its command with default options would:\n"
	"  cartograph ingest FILE...   load the CSV exports (files loaded before are skipped)\n"
	"  cartograph clean            rebuild the typed tables\n"
	"  cartograph model all        run every model\n"
	"  cartograph build            render the site and export the catalog to shop.db\n"
	"It stops at the first stage that fails. The global options (--db, --shop-db, --out,\n"
	"-q, -v) apply to every stage; --currency, --shop-url and --templates are the build's\n"
	"(see 'cartograph help build'). The build renders the pages that need no model\n"
	"(sales, funnel, data quality) while the models run, so a run always renders the site.\n";

/* The build's options that run passes on; each takes a value. */
static const char *const build_options[] = {"--currency", "--shop-url", "--templates"};
#define BUILD_OPTIONS (sizeof build_options / sizeof build_options[0])

/* The argument's build option: 2 when it is one and its value is the next argument, 1
 * when the value is in it (--currency=EUR), 0 when it is no build option. */
static int build_option_width(const char *arg)
{
	for (size_t i = 0; i < BUILD_OPTIONS; i++) {
		size_t len = strlen(build_options[i]);
		if (strncmp(arg, build_options[i], len) == 0 && (arg[len] == '\0' || arg[len] == '='))
			return arg[len] == '=' ? 1 : 2;
	}
	return 0;
}

/* One stage: its command and the arguments after its name. */
struct stage {
	const char *name;
	cmd_fn run;
	const char *arg; /* one argument, or NULL */
};

static int run_stage(const struct stage *st, char **files, int file_count, const struct cli *cli)
{
	char **argv = xcalloc((size_t)file_count + 4, sizeof *argv);
	int argc = 0;
	argv[argc++] = (char *)st->name;
	if (st->arg)
		argv[argc++] = (char *)st->arg;
	if (files) {
		argv[argc++] = "--"; /* a file named like an option is still a file */
		for (int i = 0; i < file_count; i++)
			argv[argc++] = files[i];
	}
	argv[argc] = NULL;
	if (cli->verbosity > 0) {
		printf("== %s\n", st->name);
		fflush(stdout);
	}
	int status = st->run(argc, argv, cli);
	fflush(stdout);
	free(argv);
	return status;
}

/* The model stage as the build's prelude. */
struct models_first {
	const struct cli *cli;
	int failed; /* the models failed: the run stopped at them */
};

static int run_models(sqlite3 *db, void *ctx, void (*step_done)(void *, const char *),
		      void *step_ctx, struct error *err)
{
	struct models_first *m = ctx;
	int rc = cli_model_all(db, m->cli, step_done, step_ctx, err);
	m->failed = rc < 0;
	if (rc == 0 && m->cli->verbosity > 0) {
		printf("== build\n");
		fflush(stdout);
	}
	return rc;
}

/* The models, then the build with run's build options. */
static int model_and_build(char **options, int option_count, const struct cli *cli)
{
	struct models_first models = {cli, 0};
	struct build_prelude prelude = {run_models, &models};
	char **argv = xcalloc((size_t)option_count + 2, sizeof *argv);
	argv[0] = "build";
	for (int i = 0; i < option_count; i++)
		argv[i + 1] = options[i];
	if (cli->verbosity > 0) {
		printf("== model\n");
		fflush(stdout);
	}
	int status = cli_build(option_count + 1, argv, cli, &prelude, "model");
	free(argv);
	fflush(stdout);
	if (status != EXIT_OK)
		fprintf(stderr, "cartograph: run: stopped at %s\n", models.failed ? "model" : "build");
	return status;
}

/* Ingest and clean, with the order lines ingest stores read into clean's set as they
 * are written, so clean need not read them back. */
static int ingest_and_clean(char **files, int file_count, const struct cli *cli)
{
	const struct stage stages[] = {
		{"ingest", cmd_ingest, NULL},
		{"clean", cmd_clean, NULL},
	};
	struct clean_options defaults; /* what the clean stage runs with */
	struct error err;
	clean_options_init(&defaults);
	struct line_feed *feed = line_feed_new(&defaults, LINE_FEED_SPOOL_BYTES, &err);
	struct ingest_tap tap = feed_tap(feed);
	struct cli fed = *cli;
	if (feed) {
		fed.ingest_tap = &tap;
		fed.line_feed = feed;
	}
	int status = EXIT_OK;
	for (size_t i = 0; status == EXIT_OK && i < sizeof stages / sizeof stages[0]; i++) {
		int is_ingest = stages[i].run == cmd_ingest;
		status = run_stage(&stages[i], is_ingest ? files : NULL, is_ingest ? file_count : 0,
				   &fed);
		if (status != EXIT_OK)
			fprintf(stderr, "cartograph: run: stopped at %s\n", stages[i].name);
	}
	line_feed_free(feed);
	return status;
}

int cmd_run(int argc, char **argv, const struct cli *cli)
{
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	int first = 1, width;
	/* the build's options come first, as they are; the files after them */
	while (first < argc && (width = build_option_width(argv[first])) > 0) {
		if (first + width > argc)
			return cli_usage_error("run", usage, "option '%s' needs a value", argv[first]);
		first += width;
	}
	int option_count = first - 1;
	if (first < argc && argv[first][0] == '-' && argv[first][1] != '\0') {
		if (argv[first][1] != '-' || argv[first][2] != '\0')
			return cli_usage_error("run", usage, "unknown option '%s'", argv[first]);
		first++; /* "--" */
	}
	if (first >= argc)
		return cli_usage_error("run", usage, "no file to ingest");
	/* A stage's commit leaves the copying of its log to the warehouse to a thread of
	 * its own, while the next stage goes on (checkpointer.h). */
	checkpointer_start();
	int status = ingest_and_clean(argv + first, argc - first, cli);
	if (status == EXIT_OK)
		status = model_and_build(argv + 1, option_count, cli);
	checkpointer_stop();
	return status;
}
