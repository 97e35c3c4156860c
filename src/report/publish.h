/* publish: `cartograph publish` uploads the built site (out/, by its manifest) to an
 * S3 bucket under a prefix.
 *
 * The bucket keeps its own PREFIX/manifest.json, describing what the last publish put
 * there. Publishing fetches it first and sends only the files whose digest, type or
 * cache policy differ from it, in an order that never breaks the live site: assets
 * first (new names, nothing links them yet), then pages (which link them), then, with
 * --delete, the removal of files the site no longer has, and the new manifest last.
 * A publish that fails or is killed part way leaves the old manifest, so the next one
 * sends again whatever is still missing. Without --delete, stale files stay and stay
 * listed in the bucket's manifest, so a later --delete still finds them; files in the
 * bucket that no manifest ever listed are never touched. */
#ifndef CARTOGRAPH_PUBLISH_H
#define CARTOGRAPH_PUBLISH_H

#include <stddef.h>

#include "report/manifest.h"
#include "report/publish_s3.h"
#include "util/error.h"

/* Where a site goes: s3://BUCKET/PREFIX. */
struct publish_target {
	char *bucket; /* the bucket name */
	char *prefix; /* key prefix without leading or trailing '/', "" for the bucket root */
};

/* Reads "s3://bucket", "s3://bucket/" or "s3://bucket/some/prefix/". */
int publish_parse_url(const char *url, struct publish_target *target, struct error *err);
void publish_target_free(struct publish_target *target);

/* What one publish does, worked out from the two manifests. */
struct publish_plan {
	const struct manifest_entry **uploads; /* site files to send: assets, then pages */
	size_t uploads_len;                    /* entries in uploads */
	const struct manifest_entry **deletes; /* stale bucket files to delete (--delete) */
	size_t deletes_len;                    /* entries in deletes */
	size_t unchanged;                      /* site files the bucket already has */
	size_t stale_kept;                     /* stale files left because of no --delete */
	struct manifest bucket_manifest;       /* what the bucket's manifest.json will list */
};

/* Plans a publish of the site's manifest over the bucket's (empty on a first
 * publish). Entries point into the two manifests, which must outlive the plan. */
void publish_plan_make(const struct manifest *site, const struct manifest *bucket,
		       int delete_stale, struct publish_plan *plan);
void publish_plan_free(struct publish_plan *plan);

enum publish_step {
	PUBLISH_UPLOAD,         /* a site file is sent */
	PUBLISH_DELETE,         /* a stale file is deleted */
	PUBLISH_UPLOAD_MANIFEST /* the bucket's manifest is replaced */
};

/* Told each step before it is taken (or, in a dry run, instead of it). */
typedef void (*publish_progress_fn)(void *ctx, enum publish_step step, const char *path,
				    long long bytes);

struct publish_options {
	const char *out_dir;          /* the built site */
	const char *bucket;           /* for messages: the bucket's name */
	const char *prefix;           /* key prefix, "" for none */
	int dry_run;                  /* fetch and plan only; change nothing */
	int delete_stale;             /* delete files the site no longer has */
	publish_progress_fn progress; /* may be NULL */
	void *progress_ctx;           /* passed to progress */
};

struct publish_summary {
	long long uploaded;       /* site files sent (or that would be, in a dry run) */
	long long unchanged;      /* site files the bucket already had */
	long long deleted;        /* stale files deleted (or that would be) */
	long long stale_kept;     /* stale files left in the bucket (no --delete) */
	long long bytes_uploaded; /* bytes of the site files sent */
	int manifest_uploaded;    /* the bucket's manifest was (or would be) replaced */
	long long retries;        /* requests repeated after transient failures */
	double seconds;           /* wall time */
};

/* Publishes out_dir through s3. Errors name the file, the HTTP status and S3's code. */
int publish_site(struct s3_client *s3, const struct publish_options *opt,
		 struct publish_summary *summary, struct error *err);

#endif
