/* cmd_serve: `cartograph serve` previews the built site with the shop working: lighttpd
 * in the foreground on 127.0.0.1 with out/ as its document root and bin/shop.cgi at the
 * shop's URL (FastCGI, or plain CGI with --cgi), from a configuration written into a
 * temporary folder from the templates in src/web/lighttpd/. Ctrl-C stops lighttpd and
 * the shop.cgi processes it started, and removes the folder. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "web/shop_db.h"

static const char usage[] =
	"usage: cartograph serve [--port P] [--cgi] [--shop-url PATH]\n"
	"\n"
	"Serves the built site (--out, default out/) and the shop on http://127.0.0.1:P/\n"
	"with lighttpd in the foreground, until Ctrl-C: the pages as files, and bin/shop.cgi\n"
	"(carts, checkout, orders) at the shop URL the catalog's forms post to, on the shop\n"
	"database of --shop-db.\n"
	"\n"
	"  --port P         TCP port on 127.0.0.1 (default 8080)\n"
	"  --cgi            run shop.cgi as plain CGI, one process per request\n"
	"                   (default: FastCGI, two long-lived processes)\n"
	"  --shop-url PATH  where shop.cgi answers; the same as the site was built with\n"
	"                   (default /cgi-bin/shop.cgi)\n";

/* How long lighttpd may take to start listening, and to stop. */
#define SERVE_START_SECONDS 10.0
#define SERVE_STOP_SECONDS 5.0

static volatile sig_atomic_t stop_requested;

static void on_stop(int signo)
{
	(void)signo;
	stop_requested = 1;
}

/* What the configuration is made from. */
struct serve_setup {
	char docroot[PATH_MAX];   /* the site folder, absolute */
	char shop_db[PATH_MAX];   /* shop.db, absolute */
	char bin[PATH_MAX];       /* bin/shop.cgi beside bin/cartograph */
	char templates[PATH_MAX]; /* templates/shop */
	char lexicon[PATH_MAX];   /* the sentiment lexicon */
	char conf_in[PATH_MAX];   /* the lighttpd configuration template */
	char rundir[64];          /* the temporary folder: configuration, log, socket */
	int rundir_made;          /* rundir exists and is to be removed */
	char conf[PATH_MAX];      /* the configuration written there */
	char lighttpd[PATH_MAX];  /* the lighttpd program */
	const char *script;       /* the shop's URL path */
	int port;
	int fastcgi;
};

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pause_briefly(void)
{
	struct timespec pause = {0, 50 * 1000 * 1000};
	nanosleep(&pause, NULL);
}

/* The installation's root: the folder above bin/cartograph. */
static int program_root(char *root, size_t size, struct error *err)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return error_set(err, ERR_SYSTEM, "cannot find where cartograph is installed");
	path[n] = '\0';
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(path, '/');
		if (!slash)
			return error_set(err, ERR_SYSTEM, "cannot find where cartograph is installed");
		*slash = '\0';
	}
	snprintf(root, size, "%s", path[0] ? path : "/");
	return 0;
}

/* The first of root/a, root/b that exists, into out; an error naming a when none does. */
static int find_file(const char *root, const char *a, const char *b, char *out, size_t size,
		     struct error *err)
{
	const char *candidates[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		snprintf(out, size, "%s/%s", root, candidates[i]);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return error_set(err, ERR_INPUT, "cannot find %s/%s", root, a);
}

/* lighttpd from PATH, or where Debian puts it. */
static int find_lighttpd(char *out, size_t size, struct error *err)
{
	const char *path = getenv("PATH");
	struct buf dirs = BUF_INIT;
	buf_printf(&dirs, "%s:/usr/sbin:/usr/local/sbin", path ? path : "/usr/bin:/bin");
	int found = 0;
	for (char *dir = strtok(dirs.data, ":"); dir && !found; dir = strtok(NULL, ":")) {
		snprintf(out, size, "%s/lighttpd", dir);
		found = access(out, X_OK) == 0;
	}
	buf_free(&dirs);
	return found ? 0 : error_set(err, ERR_INPUT, "lighttpd is not installed "
				     "(apt-get install lighttpd)");
}

/* A value pasted into lighttpd's configuration: no quote, backslash, dollar sign or
 * control character can break out of its string. */
static int safe_in_config(const char *what, const char *s, struct error *err)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\' || *c == '$')
			return error_set(err, ERR_INPUT, "%s '%s' has a character lighttpd's "
				       "configuration cannot hold", what, s);
	return 0;
}

/* The shop's URL path: "/" and then letters, digits, '-', '_', '.' and more '/'s. */
static int check_script(const char *script, struct error *err)
{
	size_t len = strlen(script);
	int ok = len > 1 && script[0] == '/' && script[len - 1] != '/' && !strstr(script, "..") &&
		 !strstr(script, "//");
	for (size_t i = 0; ok && i < len; i++) {
		char c = script[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_' || c == '.' || c == '/';
	}
	return ok ? 0 : error_set(err, ERR_INPUT, "--shop-url '%s' must be a path such as "
				  "/cgi-bin/shop.cgi", script);
}

/* Makes shop.db when it is not there yet (with its schema), and gives its absolute path. */
static int prepare_shop_db(const char *path, char *out, size_t size, struct error *err)
{
	struct shop_db db;
	if (db_open_shop(path, &db, err) < 0)
		return ERR_SYSTEM;
	shop_db_close(&db);
	char resolved[PATH_MAX];
	if (!realpath(path, resolved))
		return error_set(err, ERR_SYSTEM, "%s: %s", path, strerror(errno));
	snprintf(out, size, "%s", resolved);
	return 0;
}

/* Whether 127.0.0.1:port can be had: else another server answers there, and lighttpd
 * would fail while that server made it look started. */
static int check_port_free(int port, struct error *err)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return error_set(err, ERR_SYSTEM, "cannot make a socket: %s", strerror(errno));
	int yes = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int rc = 0;
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
		rc = error_set(err, ERR_INPUT, "port %d of 127.0.0.1 cannot be had (%s): choose "
			       "another with --port", port, strerror(errno));
	close(fd);
	return rc;
}

static int find_everything(const struct cli *cli, struct serve_setup *s, struct error *err)
{
	char root[PATH_MAX], index[PATH_MAX + 16];
	if (!realpath(cli->out_dir, s->docroot))
		return error_set(err, ERR_INPUT, "%s: %s (run 'cartograph build' first)",
				 cli->out_dir, strerror(errno));
	snprintf(index, sizeof index, "%s/index.html", s->docroot);
	if (access(index, R_OK) != 0)
		return error_set(err, ERR_INPUT, "%s has no index.html: run 'cartograph build' first",
				 cli->out_dir);
	int rc = check_script(s->script, err);
	if (rc == 0)
		rc = program_root(root, sizeof root, err);
	if (rc == 0)
		rc = find_file(root, "bin/shop.cgi", "bin/shop.cgi", s->bin, sizeof s->bin, err);
	if (rc == 0)
		rc = find_file(root, "templates/shop", "share/cartograph/templates/shop", s->templates,
			       sizeof s->templates, err);
	if (rc == 0)
		rc = find_file(root, "data/vader_lexicon.txt", "share/cartograph/vader_lexicon.txt",
			       s->lexicon, sizeof s->lexicon, err);
	const char *conf = s->fastcgi ? "shop-fastcgi.conf" : "shop-cgi.conf";
	char in_src[64], in_share[64];
	snprintf(in_src, sizeof in_src, "src/web/lighttpd/%s", conf);
	snprintf(in_share, sizeof in_share, "share/cartograph/lighttpd/%s", conf);
	if (rc == 0)
		rc = find_file(root, in_src, in_share, s->conf_in, sizeof s->conf_in, err);
	if (rc == 0)
		rc = find_lighttpd(s->lighttpd, sizeof s->lighttpd, err);
	if (rc == 0)
		rc = check_port_free(s->port, err);
	if (rc == 0)
		rc = prepare_shop_db(cli->shop_db_path, s->shop_db, sizeof s->shop_db, err);
	const char *checked[][2] = {{"the site folder", s->docroot}, {"shop.db", s->shop_db},
				    {"shop.cgi", s->bin}, {"the templates", s->templates},
				    {"the lexicon", s->lexicon}};
	for (size_t i = 0; rc == 0 && i < sizeof checked / sizeof checked[0]; i++)
		rc = safe_in_config(checked[i][0], checked[i][1], err);
	return rc;
}

/* Replaces every @name@ of the template with its value. */
static void fill_template(const char *text, const struct serve_setup *s, struct buf *out)
{
	char port[16], script_re[PATH_MAX * 2];
	snprintf(port, sizeof port, "%d", s->port);
	size_t j = 0;
	for (const char *c = s->script; *c && j + 2 < sizeof script_re; c++) {
		if (*c == '.')
			script_re[j++] = '\\';
		script_re[j++] = *c;
	}
	script_re[j] = '\0';
	const char *names[][2] = {
		{"@DOCROOT@", s->docroot}, {"@PORT@", port}, {"@RUNDIR@", s->rundir},
		{"@BIN@", s->bin}, {"@SHOP_DB@", s->shop_db}, {"@TEMPLATES@", s->templates},
		{"@LEXICON@", s->lexicon}, {"@PROCS@", "2"}, {"@SCRIPT@", s->script},
		{"@SCRIPT_RE@", script_re},
	};
	while (*text) {
		size_t i, n = sizeof names / sizeof names[0];
		for (i = 0; i < n; i++)
			if (strncmp(text, names[i][0], strlen(names[i][0])) == 0)
				break;
		if (i < n) {
			buf_puts(out, names[i][1]);
			text += strlen(names[i][0]);
		} else {
			buf_putc(out, *text++);
		}
	}
}

static int write_config(struct serve_setup *s, struct error *err)
{
	snprintf(s->rundir, sizeof s->rundir, "/tmp/cartograph-serve.XXXXXX");
	if (!mkdtemp(s->rundir))
		return error_set(err, ERR_SYSTEM, "cannot make a temporary folder: %s", strerror(errno));
	s->rundir_made = 1;
	snprintf(s->conf, sizeof s->conf, "%s/lighttpd.conf", s->rundir);
	struct buf in = BUF_INIT, out = BUF_INIT;
	int rc = 0;
	if (buf_read_file(&in, s->conf_in, err) < 0) {
		buf_free(&in);
		return ERR_SYSTEM;
	}
	FILE *f;
	fill_template(buf_str(&in), s, &out);
	f = fopen(s->conf, "wb");
	if (!f || fwrite(out.data, 1, out.len, f) != out.len)
		rc = error_set(err, ERR_SYSTEM, "%s: %s", s->conf, strerror(errno));
	if (f && fclose(f) != 0 && rc == 0)
		rc = error_set(err, ERR_SYSTEM, "%s: %s", s->conf, strerror(errno));
	buf_free(&in);
	buf_free(&out);
	return rc;
}

/* Removes the temporary folder and what lighttpd left in it (it makes no subfolders). */
static void remove_rundir(const struct serve_setup *s)
{
	if (!s->rundir_made)
		return;
	DIR *dir = opendir(s->rundir);
	if (dir) {
		struct dirent *e;
		char path[PATH_MAX];
		while ((e = readdir(dir)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
				snprintf(path, sizeof path, "%s/%s", s->rundir, e->d_name);
				unlink(path);
			}
		closedir(dir);
	}
	rmdir(s->rundir);
}

/* The last line of lighttpd's error log, for a failure message. */
static void last_log_line(const struct serve_setup *s, char *out, size_t size)
{
	char path[PATH_MAX], line[512];
	snprintf(path, sizeof path, "%s/error.log", s->rundir);
	snprintf(out, size, "see lighttpd's messages above");
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			snprintf(out, size, "%s", line);
	}
	fclose(f);
}

static pid_t start_lighttpd(const struct serve_setup *s, struct error *err)
{
	pid_t pid = fork();
	if (pid < 0)
		return error_set(err, ERR_SYSTEM, "cannot start lighttpd: %s", strerror(errno));
	if (pid == 0) {
		/* Its own process group: Ctrl-C reaches cartograph, which stops the group. */
		setpgid(0, 0);
		execl(s->lighttpd, "lighttpd", "-D", "-f", s->conf, (char *)NULL);
		fprintf(stderr, "cartograph: serve: cannot run %s: %s\n", s->lighttpd, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

static int port_answers(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return 0;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
	close(fd);
	return ok;
}

/* Waits until lighttpd listens; 0, or an error when it stopped or took too long. */
static int wait_until_listening(const struct serve_setup *s, pid_t pid, struct error *err)
{
	double deadline = now_seconds() + SERVE_START_SECONDS;
	int status;
	while (!stop_requested) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			char line[512];
			last_log_line(s, line, sizeof line);
			return error_set(err, ERR_INPUT, "lighttpd stopped at once (is port %d taken?): %s",
					 s->port, line);
		}
		if (port_answers(s->port))
			return 0;
		if (now_seconds() > deadline)
			return error_set(err, ERR_SYSTEM, "lighttpd did not start listening on port %d",
					 s->port);
		pause_briefly();
	}
	return 0;
}

/* Stops lighttpd's process group (lighttpd and the shop.cgi processes it started) and
 * reaps it: cartograph is the group's subreaper, so the shop.cgi processes come to it
 * when lighttpd is gone. SIGKILL for what is still there after SERVE_STOP_SECONDS. */
static void stop_group(pid_t pid)
{
	kill(-pid, SIGTERM);
	double deadline = now_seconds() + SERVE_STOP_SECONDS;
	while (now_seconds() < deadline) {
		pid_t r;
		while ((r = waitpid(-pid, NULL, WNOHANG)) > 0)
			continue;
		if (r < 0 && errno == ECHILD)
			return; /* none of the group is left */
		pause_briefly();
	}
	kill(-pid, SIGKILL);
	while (waitpid(-pid, NULL, 0) > 0)
		continue;
}

/* Runs lighttpd until Ctrl-C (exit 0) or until it stops by itself (exit 1). */
static int serve(struct serve_setup *s, const struct cli *cli, struct error *err)
{
	/* Orphans of the group (shop.cgi processes outliving lighttpd) become ours to reap. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t pid = start_lighttpd(s, err);
	if (pid < 0)
		return EXIT_FAIL;
	int running = 1, status = 0, failed = 0;
	if (wait_until_listening(s, pid, err) < 0) {
		failed = 1;
		running = waitpid(pid, &status, WNOHANG) == 0;
	} else if (!stop_requested && cli->verbosity > 0) {
		printf("Serving %s at http://127.0.0.1:%d/\n"
		       "  the shop:   http://127.0.0.1:%d/shop/index.html\n"
		       "  shop.cgi:   http://127.0.0.1:%d%s/ (%s, on %s)\n"
		       "Press Ctrl-C to stop.\n",
		       cli->out_dir, s->port, s->port, s->port, s->script,
		       s->fastcgi ? "FastCGI" : "CGI", s->shop_db);
		fflush(stdout);
	}
	while (!failed && running && !stop_requested) {
		pid_t done = waitpid(pid, &status, 0);
		if (done == pid) {
			running = 0;
			failed = 1;
			error_set(err, ERR_SYSTEM, "lighttpd stopped (status %d)",
				  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		}
	}
	stop_group(pid);
	if (!failed && cli->verbosity > 0)
		printf("Stopped.\n");
	return failed ? EXIT_FAIL : EXIT_OK;
}

int cmd_serve(int argc, char **argv, const struct cli *cli)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"cgi", no_argument, NULL, 'c'},
		{"shop-url", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	struct serve_setup *s = xcalloc(1, sizeof *s);
	s->port = 8080;
	s->fastcgi = 1;
	s->script = "/cgi-bin/shop.cgi";
	int c, status = EXIT_OK;
	char *end;
	optind = 1;
	opterr = 0;
	while (status == EXIT_OK && (c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			s->port = (int)strtol(optarg, &end, 10);
			if (*end || s->port < 1 || s->port > 65535)
				status = cli_usage_error("serve", usage, "--port takes 1 to 65535, not '%s'", optarg);
			break;
		case 'c': s->fastcgi = 0; break;
		case 's': s->script = optarg; break;
		default:
			status = cli_usage_error("serve", usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (status == EXIT_OK && optind < argc)
		status = cli_usage_error("serve", usage, "unexpected argument '%s'", argv[optind]);
	if (status != EXIT_OK) {
		free(s);
		return status;
	}
	struct error err;
	struct sigaction stop = {.sa_handler = on_stop}; /* no SA_RESTART: waitpid returns */
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &stop, NULL);
	if (find_everything(cli, s, &err) < 0 || write_config(s, &err) < 0)
		status = cli_fail("serve", &err);
	else if ((status = serve(s, cli, &err)) != EXIT_OK)
		cli_fail("serve", &err);
	remove_rundir(s);
	free(s);
	return status;
}
