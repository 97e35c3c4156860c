/* cli: what every subcommand shares: the global options, the command signature and
 * the helpers for reporting errors and usage in one voice.
 *
 * Each subcommand is one function cmd_<name>() in its own file cmd_<name>.c, with its
 * usage text beside its option parsing, registered in the table in main.c. */
#ifndef CARTOGRAPH_CLI_H
#define CARTOGRAPH_CLI_H

#include <sqlite3.h>

#include "util/error.h"

#define CARTOGRAPH_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct ingest_tap;
struct line_feed;

struct cli {
	const char *db_path;      /* --db: the warehouse (default data/warehouse.db) */
	const char *shop_db_path; /* --shop-db: the shopper database (default data/shop.db) */
	const char *out_dir;      /* --out: the site folder (default out/) */
	int out_given;            /* --out was on the command line */
	int verbosity;            /* 0 with -q, 1 by default, 2 with -v */
	const struct ingest_tap *ingest_tap; /* run: takes ingest's rows as stored, or NULL */
	struct line_feed *line_feed;          /* run: the order lines so taken, or NULL */
};

/* A subcommand: argv[0] is its own name; returns the process exit code. */
typedef int (*cmd_fn)(int argc, char **argv, const struct cli *cli);

int cmd_version(int argc, char **argv, const struct cli *cli);
int cmd_ingest(int argc, char **argv, const struct cli *cli);
int cmd_clean(int argc, char **argv, const struct cli *cli);
int cmd_build(int argc, char **argv, const struct cli *cli);
int cmd_model(int argc, char **argv, const struct cli *cli);
int cmd_template(int argc, char **argv, const struct cli *cli);
int cmd_gen(int argc, char **argv, const struct cli *cli);
int cmd_publish(int argc, char **argv, const struct cli *cli);
int cmd_serve(int argc, char **argv, const struct cli *cli);
int cmd_run(int argc, char **argv, const struct cli *cli);

struct build_prelude;
/* `cartograph build` with argv as its arguments, and prelude (named prelude_name in
 * errors) run beside its first pages: see build.h. */
int cli_build(int argc, char **argv, const struct cli *cli, const struct build_prelude *prelude,
	      const char *prelude_name);
/* `cartograph model all` on db, printing what each step found; 0 or a negative code,
 * err naming the step that failed. step_done (when not NULL) is called with step_ctx
 * and the step's name after each step that succeeded. */
int cli_model_all(sqlite3 *db, const struct cli *cli,
		  void (*step_done)(void *ctx, const char *name), void *step_ctx, struct error *err);

/* Prints "cartograph: CMD: message" on stderr and returns EXIT_FAIL. */
int cli_fail(const char *cmd, const struct error *err);
/* Prints "cartograph: CMD: what" and the usage text on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* True when argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);
/* Prints usage on stdout (asked for) and returns EXIT_OK. */
int cli_print_usage(const char *usage);

#endif
