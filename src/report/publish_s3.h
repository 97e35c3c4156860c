/* publish_s3: a small S3 client on libcurl for `cartograph publish`: PUT, GET and
 * DELETE of single objects, signed with AWS Signature Version 4 (libcurl's
 * CURLOPT_AWS_SIGV4, which signs every header we send, x-amz-content-sha256 and the
 * session token included).
 *
 * Addressing: with an endpoint (MinIO, moto, Ceph...) requests go path-style to
 * ENDPOINT/BUCKET/KEY; without one to AWS, virtual-hosted
 * https://BUCKET.s3.REGION.amazonaws.com/KEY (path-style when the bucket name has a
 * dot, which would break the TLS name). Keys are percent-encoded once, as S3 signs them.
 *
 * Transient failures (HTTP 500, 502, 503, 504, 429, S3's RequestTimeout, timeouts,
 * refused or reset connections) are retried up to max_attempts times with exponential
 * backoff and jitter; anything else fails at once. Errors read:
 *     PUT s3://bucket/site/index.html: HTTP 403 AccessDenied: Access Denied
 * The caller calls curl_global_init once before the first client. */
#ifndef CARTOGRAPH_PUBLISH_S3_H
#define CARTOGRAPH_PUBLISH_S3_H

#include <stddef.h>

#include "util/buf.h"
#include "util/error.h"

struct s3_config {
	const char *bucket;            /* bucket name */
	const char *endpoint;          /* "http://127.0.0.1:9000" (path-style), or NULL: AWS */
	const char *region;            /* signing region, e.g. "eu-west-1" */
	const char *access_key_id;     /* AWS_ACCESS_KEY_ID */
	const char *secret_access_key; /* AWS_SECRET_ACCESS_KEY */
	const char *session_token;     /* AWS_SESSION_TOKEN, or NULL */
	int max_attempts;              /* tries per request, at least 1 */
	long first_backoff_ms;         /* wait before the second try; doubles each time */
	long max_backoff_ms;           /* the longest wait between tries */
	long connect_timeout_s;        /* giving up on connecting */
	long stall_timeout_s;          /* a transfer that moves no byte this long times out */
};

/* Sensible defaults: 5 attempts, 200 ms doubling to at most 5 s, 10 s to connect,
 * 30 s without progress. Fills the retry and timeout fields only. */
void s3_config_defaults(struct s3_config *cfg);

struct s3_client;

/* Checks the configuration (bucket name, endpoint URL, credentials) and makes a
 * client. The strings in cfg must outlive it. */
int s3_client_new(const struct s3_config *cfg, struct s3_client **out, struct error *err);
void s3_client_free(struct s3_client *c);

/* Uploads len bytes as key, with sha256_hex their digest (S3 checks it). */
int s3_put(struct s3_client *c, const char *key, const void *bytes, size_t len,
	   const char *sha256_hex, const char *content_type, const char *cache_control,
	   struct error *err);
/* Downloads key into body (appended). A missing key (404 NoSuchKey) is not an error:
 * *found is 0 then. Bodies over 256 MiB are refused. */
int s3_get(struct s3_client *c, const char *key, struct buf *body, int *found,
	   struct error *err);
/* Deletes key (deleting a missing key succeeds, as in S3). */
int s3_delete(struct s3_client *c, const char *key, struct error *err);
/* Tries that were repeated after a transient failure, over the client's life. */
long long s3_retries(const struct s3_client *c);

/* Checks a bucket name: 3 to 63 characters of a-z, 0-9, '.' and '-', starting and
 * ending with a letter or digit. */
int s3_check_bucket_name(const char *bucket, struct error *err);

#endif
