/* cmd_version: `cartograph version` prints the program and library versions. */
#include <stdio.h>

#include <gd.h>
#include <sqlite3.h>
#include <zlib.h>

#include "cli/cli.h"

static const char usage[] = "usage: cartograph version\n"
			    "Prints the version of cartograph and of the libraries it runs on.\n";

int cmd_version(int argc, char **argv, const struct cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	if (argc > 1)
		return cli_usage_error("version", usage, "unexpected argument '%s'", argv[1]);
	printf("cartograph %s\n", CARTOGRAPH_VERSION);
	printf("sqlite %s, libgd %s, zlib %s\n", sqlite3_libversion(), GD_VERSION_STRING,
	       zlibVersion());
	return EXIT_OK;
}
