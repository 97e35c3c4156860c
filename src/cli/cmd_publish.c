/* cmd_publish: `cartograph publish s3://BUCKET/PREFIX` uploads the built site to S3
 * (or any S3-compatible store), sending only what changed since the last publish. */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/publish.h"

static const char usage[] =
	"usage: cartograph publish s3://BUCKET[/PREFIX] [--endpoint URL] [--region R]\n"
	"                          [--dry-run] [--delete]\n"
	"\n"
	"Uploads the site in --out (by its manifest.json) to the bucket under PREFIX.\n"
	"Only files that changed since the last publish are sent: assets first, then\n"
	"pages, then the bucket's own PREFIX/manifest.json, so the live site never links\n"
	"a file that is not there yet. Each file gets the Content-Type and Cache-Control\n"
	"of the manifest. Transient failures (5xx, timeouts, resets) are retried.\n"
	"\n"
	"  --endpoint URL  an S3-compatible server, addressed path-style\n"
	"                  (default: AWS, or $AWS_ENDPOINT_URL_S3 / $AWS_ENDPOINT_URL)\n"
	"  --region R      signing region (default: $AWS_REGION, $AWS_DEFAULT_REGION,\n"
	"                  else us-east-1)\n"
	"  --dry-run       print what would be uploaded and deleted; change nothing\n"
	"  --delete        delete files an earlier publish sent that the site no longer\n"
	"                  has (only files listed in the bucket's manifest)\n"
	"\n"
	"Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for\n"
	"temporary ones, AWS_SESSION_TOKEN.\n";

/* What `publish` was asked to do. */
struct publish_args {
	const char *url;      /* s3://BUCKET/PREFIX */
	const char *endpoint; /* --endpoint, or NULL */
	const char *region;   /* --region, or NULL */
	int dry_run;          /* --dry-run */
	int delete_stale;     /* --delete */
};

/* Parses argv into args; returns 0, or the exit status of a usage error. */
static int parse_args(int argc, char **argv, struct publish_args *args)
{
	static const struct option longopts[] = {
		{"endpoint", required_argument, NULL, 'e'},
		{"region", required_argument, NULL, 'r'},
		{"dry-run", no_argument, NULL, 'n'},
		{"delete", no_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': args->endpoint = optarg; break;
		case 'r': args->region = optarg; break;
		case 'n': args->dry_run = 1; break;
		case 'd': args->delete_stale = 1; break;
		case ':':
			return cli_usage_error("publish", usage, "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("publish", usage, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("publish", usage, "where to? give s3://BUCKET/PREFIX");
	if (optind + 1 < argc)
		return cli_usage_error("publish", usage, "one destination only, not '%s'",
				       argv[optind + 1]);
	args->url = argv[optind];
	return 0;
}

/* The first of the environment variables that is set and not empty, or NULL. */
static const char *env_first(const char *a, const char *b)
{
	const char *v = getenv(a);
	if ((!v || !v[0]) && b)
		v = getenv(b);
	return v && v[0] ? v : NULL;
}

/* Prints each step in a dry run, and with -v in a real one. */
static void print_step(void *ctx, enum publish_step step, const char *path, long long bytes)
{
	const struct publish_options *opt = ctx;
	const char *verb = step == PUBLISH_DELETE ? (opt->dry_run ? "would delete" : "delete")
						  : (opt->dry_run ? "would upload" : "upload");
	if (step == PUBLISH_DELETE)
		printf("%s %s\n", verb, path);
	else
		printf("%s %s (%lld bytes)\n", verb, path, bytes);
	fflush(stdout);
}

static const char *files(long long n)
{
	return n == 1 ? "file" : "files";
}

static void print_summary(const struct publish_args *args, const struct publish_summary *s)
{
	if (args->dry_run)
		printf("dry run: %s: %lld %s would be uploaded (%lld bytes), %lld unchanged, "
		       "%lld deleted%s\n",
		       args->url, s->uploaded, files(s->uploaded), s->bytes_uploaded, s->unchanged,
		       s->deleted, s->manifest_uploaded ? ", the manifest replaced" : "");
	else
		printf("published %s: %lld %s uploaded (%lld bytes), %lld unchanged, "
		       "%lld deleted%s in %.2f s\n",
		       args->url, s->uploaded, files(s->uploaded), s->bytes_uploaded, s->unchanged,
		       s->deleted, s->manifest_uploaded ? ", manifest updated," : "", s->seconds);
	if (s->stale_kept)
		printf("  %lld %s the site no longer has %s still in the bucket "
		       "(--delete removes them)\n", s->stale_kept, files(s->stale_kept),
		       s->stale_kept == 1 ? "is" : "are");
	if (s->retries)
		printf("  %lld requests were retried after transient failures\n", s->retries);
}

int cmd_publish(int argc, char **argv, const struct cli *cli)
{
	if (cli_wants_help(argc, argv))
		return cli_print_usage(usage);
	struct publish_args args = {0};
	int status = parse_args(argc, argv, &args);
	if (status != 0)
		return status;
	struct publish_target target;
	struct error err;
	if (publish_parse_url(args.url, &target, &err) < 0)
		return cli_usage_error("publish", usage, "%s", err.msg);

	struct s3_config cfg = {
		.bucket = target.bucket,
		.endpoint = args.endpoint ? args.endpoint
					  : env_first("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
		.region = args.region ? args.region : env_first("AWS_REGION", "AWS_DEFAULT_REGION"),
		.access_key_id = env_first("AWS_ACCESS_KEY_ID", NULL),
		.secret_access_key = env_first("AWS_SECRET_ACCESS_KEY", NULL),
		.session_token = env_first("AWS_SESSION_TOKEN", NULL),
	};
	if (!cfg.region)
		cfg.region = "us-east-1";
	s3_config_defaults(&cfg);
	struct publish_options opt = {
		.out_dir = cli->out_dir,
		.bucket = target.bucket,
		.prefix = target.prefix,
		.dry_run = args.dry_run,
		.delete_stale = args.delete_stale,
	};
	opt.progress = args.dry_run || cli->verbosity > 1 ? print_step : NULL;
	opt.progress_ctx = &opt;

	struct s3_client *s3 = NULL;
	struct publish_summary summary;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		publish_target_free(&target);
		error_set(&err, ERR_SYSTEM, "libcurl could not start");
		return cli_fail("publish", &err);
	}
	if (s3_client_new(&cfg, &s3, &err) < 0 || publish_site(s3, &opt, &summary, &err) < 0)
		status = cli_fail("publish", &err);
	else if (cli->verbosity > 0)
		print_summary(&args, &summary);
	s3_client_free(s3);
	curl_global_cleanup();
	publish_target_free(&target);
	return status;
}
