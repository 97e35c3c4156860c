/* cmd_template: `cartograph template render` renders one mustache template with JSON
 * data to standard output, for trying out report templates by hand. Partials and
 * layouts ({{>name}}, {{<name}}) are read from DIR/name.mustache. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "report/json_parse.h"
#include "report/mustache.h"
#include "util/buf.h"

static const char usage[] =
	"usage: cartograph template render TEMPLATE [DATA.json | -] [--partials DIR]\n"
	"Renders a mustache template with JSON data and prints the result.\n"
	"\n"
	"  TEMPLATE        the template file\n"
	"  DATA.json       the data, a JSON file; - reads standard input; without it the\n"
	"                  template is rendered with no data\n"
	"  --partials DIR  where {{>name}} and {{<name}} find DIR/name.mustache\n"
	"                  (default: the template's own folder); a missing one is an error\n";

/* What `template render` was asked to do. */
struct render_args {
	const char *template_path; /* TEMPLATE */
	const char *data_path;     /* DATA.json, "-" for stdin, or NULL */
	const char *partials_dir;  /* --partials, or NULL for the template's folder */
};

/* Reads {{>name}} from DIR/name.mustache; ctx is DIR. */
static int load_partial_file(void *ctx, const char *name, struct buf *text, struct buf *label,
			     struct error *err)
{
	const char *dir = ctx;
	if (name[0] == '/' || strstr(name, ".."))
		return error_set(err, ERR_INPUT, "the name must stay inside the partials folder '%s'",
				 dir);
	if (strcmp(dir, ".") != 0)
		buf_printf(label, "%s/", dir);
	buf_printf(label, "%s.mustache", name);
	return buf_read_file(text, buf_str(label), err);
}

/* The folder part of path: "." when it has none. */
static void folder_of(const char *path, struct buf *dir)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		buf_puts(dir, ".");
	else if (slash == path)
		buf_puts(dir, "/");
	else
		buf_append(dir, path, (size_t)(slash - path));
}

/* Reads the data file (or stdin, or nothing) into *data. */
static int read_data(const char *path, struct value **data, struct error *err)
{
	struct buf text = BUF_INIT;
	int rc;
	*data = NULL;
	if (!path) {
		*data = value_map_new();
		return 0;
	}
	int from_stdin = strcmp(path, "-") == 0;
	const char *name = from_stdin ? "<stdin>" : path;
	rc = from_stdin ? buf_read_stream(&text, stdin, name, err) : buf_read_file(&text, path, err);
	if (rc == 0)
		rc = json_parse(name, buf_str(&text), text.len, data, err);
	buf_free(&text);
	return rc;
}

static int render_template(const struct render_args *args, struct error *err)
{
	struct buf text = BUF_INIT, dir = BUF_INIT, page = BUF_INIT;
	struct value *data = NULL;
	struct mustache *tmpl = NULL;
	int rc;
	if ((rc = buf_read_file(&text, args->template_path, err)) < 0)
		goto done;
	if ((rc = read_data(args->data_path, &data, err)) < 0)
		goto done;
	if (args->partials_dir)
		buf_puts(&dir, args->partials_dir);
	else
		folder_of(args->template_path, &dir);
	struct mustache_loader loader = {load_partial_file, dir.data};
	rc = mustache_compile(args->template_path, buf_str(&text), text.len, &loader, &tmpl, err);
	if (rc < 0)
		goto done;
	if ((rc = mustache_render(tmpl, data, &page, err)) < 0)
		goto done;
	if (fwrite(buf_str(&page), 1, page.len, stdout) != page.len || fflush(stdout) != 0)
		rc = error_set(err, ERR_SYSTEM, "cannot write the output: %s", strerror(errno));
done:
	mustache_free(tmpl);
	value_free(data);
	buf_free(&page);
	buf_free(&dir);
	buf_free(&text);
	return rc;
}

/* Fills args from argv (argv[1] is "render"); returns 0 or prints a usage error and
 * returns EXIT_USAGE. */
static int parse_render_args(int argc, char **argv, struct render_args *args)
{
	const char *positional[2];
	int count = 0, options_done = 0;
	for (int i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = 1;
			continue;
		}
		if (!options_done && strncmp(arg, "--partials", 10) == 0 &&
		    (arg[10] == '\0' || arg[10] == '=')) {
			if (arg[10] == '=')
				args->partials_dir = arg + 11;
			else if (i + 1 < argc)
				args->partials_dir = argv[++i];
			else
				return cli_usage_error("template", usage, "--partials needs a folder");
			continue;
		}
		if (!options_done && arg[0] == '-' && arg[1] != '\0')
			return cli_usage_error("template", usage, "unknown option '%s'", arg);
		if (count == 2)
			return cli_usage_error("template", usage, "unexpected argument '%s'", arg);
		positional[count++] = arg;
	}
	if (count == 0)
		return cli_usage_error("template", usage, "which template?");
	if (args->partials_dir && !*args->partials_dir)
		return cli_usage_error("template", usage, "--partials needs a folder");
	args->template_path = positional[0];
	args->data_path = count > 1 ? positional[1] : NULL;
	return 0;
}

int cmd_template(int argc, char **argv, const struct cli *cli)
{
	(void)cli;
	struct render_args args = {NULL, NULL, NULL};
	struct error err;
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	if (argc < 2)
		return cli_usage_error("template", usage, "missing the action (render)");
	if (strcmp(argv[1], "render") != 0)
		return cli_usage_error("template", usage, "unknown action '%s'", argv[1]);
	int rc = parse_render_args(argc, argv, &args);
	if (rc != 0)
		return rc;
	if (render_template(&args, &err) < 0)
		return cli_fail("template", &err);
	return EXIT_OK;
}
