/* publish: planning and carrying out an upload of the site by its manifest. */
#include "report/publish.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/site_fs.h"
#include "report/site_path.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"

int publish_parse_url(const char *url, struct publish_target *target, struct error *err)
{
	memset(target, 0, sizeof *target);
	if (strncmp(url, "s3://", 5) != 0)
		return error_set(err, ERR_INPUT, "'%s' is not an s3://BUCKET/PREFIX address", url);
	const char *bucket = url + 5, *slash = strchr(bucket, '/');
	target->bucket = slash ? xstrndup(bucket, (size_t)(slash - bucket)) : xstrdup(bucket);
	const char *prefix = slash ? slash + 1 : "";
	size_t n = strlen(prefix);
	while (n > 0 && prefix[n - 1] == '/')
		n--;
	target->prefix = xstrndup(prefix, n);
	int rc = s3_check_bucket_name(target->bucket, err);
	if (rc == 0 && n > 0 && (rc = site_path_check(target->prefix, n, err)) < 0)
		error_prefix(err, "the prefix of '%s'", url);
	if (rc < 0)
		publish_target_free(target);
	return rc;
}

void publish_target_free(struct publish_target *target)
{
	free(target->bucket);
	free(target->prefix);
	target->bucket = target->prefix = NULL;
}

/* --- the plan ---------------------------------------------------------------------- */

/* The bucket already holds this file as the site has it. */
static int same_in_bucket(const struct manifest_entry *site, const struct manifest_entry *bucket)
{
	return bucket && site->bytes == bucket->bytes && strcmp(site->sha256, bucket->sha256) == 0 &&
	       strcmp(site->content_type, bucket->content_type) == 0 &&
	       strcmp(site->cache_control, bucket->cache_control) == 0;
}

void publish_plan_make(const struct manifest *site, const struct manifest *bucket,
		       int delete_stale, struct publish_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	plan->uploads = xcalloc(site->len + 1, sizeof *plan->uploads);
	plan->deletes = xcalloc(bucket->len + 1, sizeof *plan->deletes);
	/* Two passes over the sorted site manifest: assets, then everything else. */
	for (int assets = 1; assets >= 0; assets--) {
		for (size_t i = 0; i < site->len; i++) {
			const struct manifest_entry *e = &site->entries[i];
			if (manifest_entry_is_asset(e) != assets)
				continue;
			if (same_in_bucket(e, manifest_find(bucket, e->path)))
				plan->unchanged++;
			else
				plan->uploads[plan->uploads_len++] = e;
			manifest_add(&plan->bucket_manifest, e->path, e->bytes, e->sha256,
				     e->content_type, e->cache_control);
		}
	}
	for (size_t i = 0; i < bucket->len; i++) {
		const struct manifest_entry *e = &bucket->entries[i];
		if (manifest_find(site, e->path))
			continue;
		if (delete_stale) {
			plan->deletes[plan->deletes_len++] = e;
		} else {
			plan->stale_kept++;
			manifest_add(&plan->bucket_manifest, e->path, e->bytes, e->sha256,
				     e->content_type, e->cache_control);
		}
	}
	manifest_sort(&plan->bucket_manifest);
	assert(plan->uploads_len + plan->unchanged == site->len);
}

void publish_plan_free(struct publish_plan *plan)
{
	free(plan->uploads);
	free(plan->deletes);
	manifest_free(&plan->bucket_manifest);
	memset(plan, 0, sizeof *plan);
}

/* --- carrying it out --------------------------------------------------------------- */

/* The object key of a site path under the prefix, malloc'd. */
static char *object_key(const char *prefix, const char *path)
{
	return prefix[0] ? site_fs_join(prefix, path) : xstrdup(path);
}

static void tell(const struct publish_options *opt, enum publish_step step, const char *path,
		 long long bytes)
{
	if (opt->progress)
		opt->progress(opt->progress_ctx, step, path, bytes);
}

/* Reads the site's manifest; a site that was never built is the user's mistake. */
static int read_site_manifest(const char *out_dir, struct manifest *site, struct error *err)
{
	char *path = site_fs_join(out_dir, MANIFEST_NAME), *text = NULL;
	size_t len = 0;
	int rc = site_fs_read_all(path, &text, &len, err);
	if (rc == 0 && !text)
		rc = error_set(err, ERR_INPUT, "'%s' is missing: build the site first "
			       "(cartograph build)", path);
	if (rc == 0)
		rc = manifest_parse(path, text, len, site, err);
	if (rc == 0 && manifest_find(site, MANIFEST_NAME))
		rc = error_set(err, ERR_INPUT, "%s: lists '%s' as a file of the site, which the "
			       "bucket's own manifest would overwrite", path, MANIFEST_NAME);
	free(text);
	free(path);
	return rc;
}

/* Fetches the bucket's manifest: its bytes into text, parsed into bucket (left empty
 * when there is none yet). */
static int fetch_bucket_manifest(struct s3_client *s3, const struct publish_options *opt,
				 struct buf *text, int *found, struct manifest *bucket,
				 struct error *err)
{
	char *key = object_key(opt->prefix, MANIFEST_NAME);
	int rc = s3_get(s3, key, text, found, err);
	if (rc == 0 && *found) {
		struct buf name = BUF_INIT;
		buf_printf(&name, "s3://%s/%s", opt->bucket, key);
		if ((rc = manifest_parse(name.data, buf_str(text), text->len, bucket, err)) < 0)
			error_prefix(err, "the bucket's manifest is damaged (delete it to publish "
				     "everything again)");
		buf_free(&name);
	} else if (rc < 0) {
		error_prefix(err, "reading the last publish's manifest");
	}
	free(key);
	return rc;
}

/* Reads one site file, checks it is the file the manifest describes, and sends it. */
static int upload_file(struct s3_client *s3, const struct publish_options *opt,
		       const struct manifest_entry *e, struct error *err)
{
	char *full = site_fs_join(opt->out_dir, e->path), *text = NULL, *key = NULL;
	char digest[65];
	size_t len = 0;
	int rc = site_fs_read_all(full, &text, &len, err);
	if (rc < 0)
		goto done;
	if (text)
		sha256_hex_of(text, len, digest);
	if (!text || (long long)len != e->bytes || strcmp(digest, e->sha256) != 0) {
		rc = error_set(err, ERR_INPUT, "'%s' %s what %s/%s says (changed after the "
			       "build?); build the site again", full,
			       text ? "does not match" : "is missing but is in",
			       opt->out_dir, MANIFEST_NAME);
		goto done;
	}
	key = object_key(opt->prefix, e->path);
	if ((rc = s3_put(s3, key, text, len, e->sha256, e->content_type, e->cache_control,
			 err)) < 0)
		error_prefix(err, "uploading %s", e->path);
done:
	free(key);
	free(text);
	free(full);
	return rc;
}

static int delete_file(struct s3_client *s3, const struct publish_options *opt,
		       const struct manifest_entry *e, struct error *err)
{
	char *key = object_key(opt->prefix, e->path);
	int rc = s3_delete(s3, key, err);
	if (rc < 0)
		error_prefix(err, "deleting %s", e->path);
	free(key);
	return rc;
}

static int upload_manifest(struct s3_client *s3, const struct publish_options *opt,
			   const struct buf *json, struct error *err)
{
	char *key = object_key(opt->prefix, MANIFEST_NAME), digest[65];
	sha256_hex_of(json->data, json->len, digest);
	int rc = s3_put(s3, key, json->data, json->len, digest, "application/json",
			CACHE_MANIFEST, err);
	if (rc < 0)
		error_prefix(err, "uploading %s", MANIFEST_NAME);
	free(key);
	return rc;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int publish_site(struct s3_client *s3, const struct publish_options *opt,
		 struct publish_summary *summary, struct error *err)
{
	struct manifest site = MANIFEST_INIT, bucket = MANIFEST_INIT;
	struct publish_plan plan = {0};
	struct buf bucket_text = BUF_INIT, new_text = BUF_INIT;
	struct timespec start;
	int found = 0, rc;
	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(summary, 0, sizeof *summary);
	if ((rc = read_site_manifest(opt->out_dir, &site, err)) < 0 ||
	    (rc = fetch_bucket_manifest(s3, opt, &bucket_text, &found, &bucket, err)) < 0)
		goto done;
	publish_plan_make(&site, &bucket, opt->delete_stale, &plan);
	manifest_to_json(&plan.bucket_manifest, &new_text);
	summary->unchanged = (long long)plan.unchanged;
	summary->stale_kept = (long long)plan.stale_kept;
	for (size_t i = 0; rc == 0 && i < plan.uploads_len; i++) {
		const struct manifest_entry *e = plan.uploads[i];
		tell(opt, PUBLISH_UPLOAD, e->path, e->bytes);
		if (!opt->dry_run && (rc = upload_file(s3, opt, e, err)) < 0)
			break;
		summary->uploaded++;
		summary->bytes_uploaded += e->bytes;
	}
	for (size_t i = 0; rc == 0 && i < plan.deletes_len; i++) {
		tell(opt, PUBLISH_DELETE, plan.deletes[i]->path, plan.deletes[i]->bytes);
		if (!opt->dry_run && (rc = delete_file(s3, opt, plan.deletes[i], err)) < 0)
			break;
		summary->deleted++;
	}
	if (rc == 0 && (!found || bucket_text.len != new_text.len ||
			memcmp(bucket_text.data, new_text.data, new_text.len) != 0)) {
		tell(opt, PUBLISH_UPLOAD_MANIFEST, MANIFEST_NAME, (long long)new_text.len);
		if (opt->dry_run || (rc = upload_manifest(s3, opt, &new_text, err)) == 0)
			summary->manifest_uploaded = 1;
	}
done:
	summary->retries = s3_retries(s3);
	summary->seconds = seconds_since(&start);
	publish_plan_free(&plan);
	manifest_free(&site);
	manifest_free(&bucket);
	buf_free(&bucket_text);
	buf_free(&new_text);
	return rc;
}
