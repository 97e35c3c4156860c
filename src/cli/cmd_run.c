/* cmd_run: `cartograph run FILE...` does the whole job: ingest the files, clean, run
 * every model, build the site. Each stage is the command of the same name, run in this
 * process with its default options (ingest and the build with those of their options
 * run was given), printing its own summary; the first stage that fails stops the run
 * with its message and exit status. The models run as the build's prelude (build.h): beside the pages
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
	"usage: cartograph run [INGEST OPTIONS] [BUILD OPTIONS] FILE...\n"
	"\n"
	"Runs the stages in order, each as its command with default options would:\n"
	"  cartograph ingest FILE...   load the CSV exports (files loaded before are skipped)\n"
	"  cartograph clean            rebuild the typed tables\n"
	"  cartograph model all        run every model\n"
	"  cartograph build            render the site and export the catalog to shop.db\n"
	"It stops at the first stage that fails. The global options (--db, --shop-db, --out,\n"
	"-q, -v) apply to every stage. The ingest options --kind, --map, --date-format,\n"
	"--decimal-comma, --decimal-point, --strict and --replace go to the ingest stage\n"
	"(see 'cartograph help ingest'); --currency, --shop-url and --templates to the\n"
	"build (see 'cartograph help build'). The build renders the pages that need no model\n"
	"(sales, funnel, data quality) while the models run, so a run always renders the site.\n";

/* An option run passes on to one of its stages. */
struct passed_option {
	const char *name;
	int takes_value;
	int to_ingest; /* else to the build */
};

static const struct passed_option passed_options[] = {
	{"--kind", 1, 1},          {"--map", 1, 1},           {"--date-format", 1, 1},
	{"--decimal-comma", 0, 1}, {"--decimal-point", 0, 1}, {"--strict", 0, 1},
	{"--replace", 0, 1},       {"--currency", 1, 0},      {"--shop-url", 1, 0},
	{"--templates", 1, 0},
};
#define PASSED_OPTIONS (sizeof passed_options / sizeof passed_options[0])

/* The option arg is (its name, or its name and "=value"), or NULL. */
static const struct passed_option *passed_option_of(const char *arg)
{
	for (size_t i = 0; i < PASSED_OPTIONS; i++) {
		const struct passed_option *o = &passed_options[i];
		size_t len = strlen(o->name);
		if (strncmp(arg, o->name, len) == 0 &&
		    (arg[len] == '\0' || (arg[len] == '=' && o->takes_value)))
			return o;
	}
	return NULL;
}

/* A stage's arguments after its name: options, then the files (when it takes them). */
struct stage_args {
	char **options;
	int option_count;
	char **files;
	int file_count;
};

/* One stage: its name and its command. */
struct stage {
	const char *name;
	cmd_fn run;
};

static int run_stage(const struct stage *st, const struct stage_args *args, const struct cli *cli)
{
	char **argv = xcalloc((size_t)args->option_count + (size_t)args->file_count + 3,
			      sizeof *argv);
	int argc = 0;
	argv[argc++] = (char *)st->name;
	for (int i = 0; i < args->option_count; i++)
		argv[argc++] = args->options[i];
	if (args->file_count) {
		argv[argc++] = "--"; /* a file named like an option is still a file */
		for (int i = 0; i < args->file_count; i++)
			argv[argc++] = args->files[i];
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
static int model_and_build(const struct stage_args *build, const struct cli *cli)
{
	struct models_first models = {cli, 0};
	struct build_prelude prelude = {run_models, &models};
	char **argv = xcalloc((size_t)build->option_count + 2, sizeof *argv);
	argv[0] = "build";
	for (int i = 0; i < build->option_count; i++)
		argv[i + 1] = build->options[i];
	if (cli->verbosity > 0) {
		printf("== model\n");
		fflush(stdout);
	}
	int status = cli_build(build->option_count + 1, argv, cli, &prelude, "model");
	free(argv);
	fflush(stdout);
	if (status != EXIT_OK)
		fprintf(stderr, "cartograph: run: stopped at %s\n", models.failed ? "model" : "build");
	return status;
}

/* Ingest and clean, with the order lines ingest stores read into clean's set as they
 * are written, so clean need not read them back. */
static int ingest_and_clean(const struct stage_args *ingest, const struct cli *cli)
{
	static const struct stage ingest_stage = {"ingest", cmd_ingest},
				  clean_stage = {"clean", cmd_clean};
	const struct stage_args no_args = {NULL, 0, NULL, 0};
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
	const struct stage *failed = &ingest_stage;
	int status = run_stage(&ingest_stage, ingest, &fed);
	if (status == EXIT_OK && (status = run_stage(&clean_stage, &no_args, &fed)) != EXIT_OK)
		failed = &clean_stage;
	if (status != EXIT_OK)
		fprintf(stderr, "cartograph: run: stopped at %s\n", failed->name);
	line_feed_free(feed);
	return status;
}

/* Sorts run's options into the ingest's and the build's; returns the index of the
 * first file, or -1 after a usage error. */
static int sort_options(int argc, char **argv, struct stage_args *ingest,
			struct stage_args *build)
{
	int i = 1;
	const struct passed_option *o;
	for (; i < argc && (o = passed_option_of(argv[i])); i++) {
		struct stage_args *to = o->to_ingest ? ingest : build;
		to->options[to->option_count++] = argv[i];
		if (o->takes_value && !strchr(argv[i], '=')) {
			if (i + 1 >= argc) {
				cli_usage_error("run", usage, "option '%s' needs a value", argv[i]);
				return -1;
			}
			to->options[to->option_count++] = argv[++i];
		}
	}
	if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		if (argv[i][1] != '-' || argv[i][2] != '\0') {
			cli_usage_error("run", usage, "unknown option '%s'", argv[i]);
			return -1;
		}
		i++; /* "--" */
	}
	if (i >= argc) {
		cli_usage_error("run", usage, "no file to ingest");
		return -1;
	}
	return i;
}

int cmd_run(int argc, char **argv, const struct cli *cli)
{
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	char **ingest_options = xcalloc((size_t)argc, sizeof(char *));
	char **build_options = xcalloc((size_t)argc, sizeof(char *));
	struct stage_args ingest = {ingest_options, 0, NULL, 0};
	struct stage_args build = {build_options, 0, NULL, 0};
	int first = sort_options(argc, argv, &ingest, &build), status = EXIT_USAGE;
	if (first > 0) {
		ingest.files = argv + first;
		ingest.file_count = argc - first;
		/* A stage's commit leaves the copying of its log to the warehouse to a thread
		 * of its own, while the next stage goes on (checkpointer.h). */
		checkpointer_start();
		status = ingest_and_clean(&ingest, cli);
		if (status == EXIT_OK)
			status = model_and_build(&build, cli);
		checkpointer_stop();
	}
	free(ingest_options);
	free(build_options);
	return status;
}
