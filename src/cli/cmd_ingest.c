/* cmd_ingest: `cartograph ingest` loads CSV exports into the warehouse's raw tables,
 * one transaction per file, and prints what was read, loaded and rejected. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "ingest/from_shop.h"
#include "ingest/ingest.h"
#include "util/xalloc.h"

static const char usage[] =
	"usage: cartograph ingest [--kind K] [--map field=Header]... [--date-format F]\n"
	"                         [--decimal-comma | --decimal-point] [--strict] [--replace]\n"
	"                         FILE...\n"
	"       cartograph ingest --from-shop\n"
	"\n"
	"Loads CSV exports (.csv or .csv.gz; delimiter , ; TAB or |, found from the header)\n"
	"into the warehouse, one transaction per file. Rows that cannot be read are kept\n"
	"in ingest_rejects with their line, column and reason. Loading the same file twice\n"
	"does nothing the second time.\n"
	"\n"
	"  --kind K           order_lines, products, customers, reviews or events\n"
	"                     (default: worked out from the header)\n"
	"  --map field=Header read the field from the column named Header\n"
	"  --date-format F    YMD, MDY, DMY, D-Mon-Y or epoch (default: from the data)\n"
	"  --decimal-comma    amounts are written 1.234,50\n"
	"  --decimal-point    amounts are written 1,234.50\n"
	"                     (default: worked out from the amounts; a decimal point\n"
	"                     when none of them tells)\n"
	"  --strict           fail the file on the first row that cannot be read\n"
	"  --replace          drop what earlier files of the same name loaded, then load\n"
	"  --from-shop        copy the web orders and reviews placed since the last copy\n"
	"                     from the shop database (--shop-db) instead of reading files\n";

static volatile sig_atomic_t interrupted;

static void on_interrupt(int signo)
{
	(void)signo;
	interrupted = 1;
}

static void print_summary(const char *path, const struct ingest_summary *s, int verbosity)
{
	if (verbosity == 0)
		return;
	if (s->already_run_id) {
		printf("%s: already loaded (run %lld); nothing to do (use --replace to load "
		       "it again)\n", path, (long long)s->already_run_id);
		return;
	}
	printf("%s: %s, %lld rows read, %lld loaded, %lld rejected in %.2f s (%.0f rows/s)\n",
	       path, s->kind, (long long)s->rows_read, (long long)s->rows_loaded,
	       (long long)s->rows_rejected, s->seconds,
	       s->seconds > 0 ? (double)s->rows_read / s->seconds : 0.0);
	if (s->rows_replaced)
		printf("  replaced %lld rows of earlier loads\n", (long long)s->rows_replaced);
	if (s->rows_rejected)
		printf("  first reject: %s\n  all rejects: SELECT * FROM ingest_rejects WHERE "
		       "run_id = %lld\n", s->first_reject, (long long)s->run_id);
	if (s->notes[0])
		printf("  note: %s\n", s->notes);
}

/* ingest --from-shop: copies what is new in shop.db and says what it copied. */
static int ingest_shop(sqlite3 *db, const struct cli *cli)
{
	struct from_shop_summary s;
	struct error err;
	if (ingest_from_shop(db, cli->shop_db_path, &s, &err) < 0)
		return cli_fail("ingest", &err);
	if (cli->verbosity == 0)
		return EXIT_OK;
	if (s.order_lines == 0 && s.reviews == 0)
		printf("%s: nothing new since the last copy\n", cli->shop_db_path);
	else
		printf("%s: copied %lld web orders (%lld lines; %lld by known customers) and %lld "
		       "reviews; 'cartograph clean' counts them\n",
		       cli->shop_db_path, (long long)s.orders, (long long)s.order_lines,
		       (long long)s.customers_found, (long long)s.reviews);
	return EXIT_OK;
}

/* Parses the options into opt (and *from_shop); returns the index of the first file, or
 * -1. */
static int parse_options(int argc, char **argv, struct ingest_options *opt, char ***maps,
			 int *from_shop)
{
	static const struct option longopts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"map", required_argument, NULL, 'm'},
		{"date-format", required_argument, NULL, 'd'},
		{"decimal-comma", no_argument, NULL, 'c'},
		{"decimal-point", no_argument, NULL, 'p'},
		{"strict", no_argument, NULL, 's'},
		{"replace", no_argument, NULL, 'r'},
		{"from-shop", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': opt->kind = optarg; break;
		case 'm':
			*maps = xreallocarray(*maps, (size_t)opt->map_count + 1, sizeof(char *));
			(*maps)[opt->map_count++] = optarg;
			break;
		case 'd':
			if (!(opt->date_style = date_style_from_name(optarg))) {
				cli_usage_error("ingest", usage, "unknown --date-format '%s'", optarg);
				return -1;
			}
			break;
		case 'c':
		case 'p':
			if (opt->decimal_mark) {
				cli_usage_error("ingest", usage, "give --decimal-comma or "
						"--decimal-point, once");
				return -1;
			}
			opt->decimal_mark = c == 'c' ? DECIMAL_COMMA : DECIMAL_POINT;
			break;
		case 's': opt->strict = 1; break;
		case 'r': opt->replace = 1; break;
		case 'f': *from_shop = 1; break;
		default:
			cli_usage_error("ingest", usage, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	opt->maps = *maps;
	return optind;
}

int cmd_ingest(int argc, char **argv, const struct cli *cli)
{
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	struct ingest_options opt = {0};
	char **maps = NULL;
	int from_shop = 0;
	int first = parse_options(argc, argv, &opt, &maps, &from_shop), status = EXIT_OK;
	sqlite3 *db = NULL;
	struct error err;
	if (first < 0) {
		status = EXIT_USAGE;
		goto done;
	}
	if (from_shop && first < argc) {
		status = cli_usage_error("ingest", usage, "--from-shop reads no files");
		goto done;
	}
	if (first >= argc && !from_shop) {
		status = cli_usage_error("ingest", usage, "no file to ingest");
		goto done;
	}
	if (db_open_warehouse(cli->db_path, &db, &err) < 0) {
		status = cli_fail("ingest", &err);
		goto done;
	}
	if (from_shop) {
		status = ingest_shop(db, cli);
		goto done;
	}
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	opt.interrupted = &interrupted;
	opt.show_progress = cli->verbosity > 0;
	opt.tap = cli->ingest_tap;
	for (int i = first; i < argc; i++) {
		struct ingest_summary summary;
		if (ingest_file(db, argv[i], &opt, &summary, &err) < 0) {
			status = cli_fail("ingest", &err);
			if (interrupted)
				status = 130;
			break;
		}
		print_summary(argv[i], &summary, cli->verbosity);
	}
done:
	if (db)
		sqlite3_close(db);
	free(maps);
	return status;
}
