#!/bin/sh
# End-to-end tests of `cartograph publish` against a real S3-compatible server: moto on
# a free port of 127.0.0.1, with signature checking on (requests signed with a wrong
# secret are refused), created buckets and IAM users, and the aws CLI to look at what
# landed. The site is written through the real site writer by the `write` mode of the
# test_site unit test binary. Without moto_server or aws the bucket checks are skipped;
# the checks of the command line itself always run.
. tests/e2e/lib.sh
B=${B:-build/rel}
WRITE="$B/tests/test_site write"

# --- the command line, no server needed --------------------------------------------
run_status st $CARTOGRAPH publish
check_eq "publish without a destination is a usage error" "$st" 2
run_status st $CARTOGRAPH publish https://shop/site
check_eq "a destination that is not s3:// is a usage error" "$st" 2
check_contains "  ...and says what it wants" "$OUT" "is not an s3://BUCKET/PREFIX address"
run_status st env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY $CARTOGRAPH --out "$WORK/none" publish s3://shop-site
check_eq "publish without credentials fails" "$st" 1
check_contains "  ...naming the variables to set" "$OUT" "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
run_status st env AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test $CARTOGRAPH --out "$WORK/none" publish s3://shop-site --endpoint http://127.0.0.1:1
check_eq "publish of a site never built fails" "$st" 1
check_contains "  ...and says to build it" "$OUT" "manifest.json' is missing: build the site first"

if ! command -v moto_server >/dev/null 2>&1 || ! command -v aws >/dev/null 2>&1 ||
	! command -v python3 >/dev/null 2>&1; then
	echo "skip: moto_server, aws or python3 is absent: publishing to a local S3 is not tested"
	finish
	exit
fi
if [ ! -x "$B/tests/test_site" ]; then
	not_ok "the site writing helper $B/tests/test_site is built (run make test)"
	finish
	exit
fi

# --- a local S3 ----------------------------------------------------------------------
. tests/e2e/s3/server.sh
trap 's3_stop; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
# The first 4 requests are free (to make the users); after that every signature counts.
if ! s3_start "$WORK/moto.log" 4; then
	not_ok "moto_server answers on $S3_ENDPOINT" "$(tail -n 5 "$WORK/moto.log")"
	finish
	exit
fi
E=$S3_ENDPOINT

export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_PROFILE
# Dummy credentials for the free requests, then a publisher and a read-only user.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
S3="aws --endpoint-url $E"
key_of() { python3 -c "import json, sys; k = json.load(open(sys.argv[1]))['AccessKey']; print(k['AccessKeyId'], k['SecretAccessKey'])" "$1"; }
$S3 iam create-user --user-name publisher >/dev/null &&
	$S3 iam put-user-policy --user-name publisher --policy-name all --policy-document \
		'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' &&
	$S3 iam create-access-key --user-name publisher >"$WORK/publisher.json"
set -- $(key_of "$WORK/publisher.json" 2>/dev/null)
export AWS_ACCESS_KEY_ID=${1:-none} AWS_SECRET_ACCESS_KEY=${2:-none}
check "a bucket is created with the publisher's signed request" $S3 s3api create-bucket --bucket shop-site
$S3 iam create-user --user-name reader >/dev/null &&
	$S3 iam put-user-policy --user-name reader --policy-name read --policy-document \
		'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}' &&
	$S3 iam create-access-key --user-name reader >"$WORK/reader.json"
set -- $(key_of "$WORK/reader.json" 2>/dev/null)
READER_ID=${1:-none} READER_SECRET=${2:-none}

# headers KEY: "Content-Type | Cache-Control" of an object, as S3 serves them.
headers() { $S3 s3api head-object --bucket shop-site --key "$1" --query '[ContentType,CacheControl]' --output text 2>&1 | sed 's/\t/ | /'; }
# fetch KEY: an object's bytes.
fetch() { $S3 s3api get-object --bucket shop-site --key "$1" "$WORK/fetched" >/dev/null 2>&1 && cat "$WORK/fetched"; }
# list: every key in the bucket with its ETag, one per line.
list() { $S3 s3api list-objects-v2 --bucket shop-site --query 'Contents[].[Key,ETag]' --output text 2>&1; }
# listed LISTING KEY: yes when the listing holds the key.
listed() { echo "$1" | cut -f 1 | grep -qxF -- "$2" && echo yes || echo no; }

# --- a small site --------------------------------------------------------------------
SRC=$WORK/src OUT_DIR=$WORK/out
mkdir -p "$SRC"
printf '<h1>Overview</h1>\n' >"$SRC/index.html"
printf '<h1>Blue mug</h1>\n' >"$SRC/mug.html"
printf '<h1>Retired</h1>\n' >"$SRC/old.html"
printf 'day,revenue\n2024-01-02,350\n' >"$SRC/revenue.csv"
printf '\211PNG revenue chart v1' >"$SRC/revenue.png"
printf 'body { font: 16px serif }\n' >"$SRC/style.css"
# build [EXTRA WRITE ARGS...]: the site with its chart, style, data and pages.
build() {
	$WRITE "$OUT_DIR" asset charts/daily-revenue .png "$SRC/revenue.png" \
		asset style .css "$SRC/style.css" page charts/daily-revenue.csv "$SRC/revenue.csv" \
		page index.html "$SRC/index.html" page "products/blue mug.html" "$SRC/mug.html" "$@"
}
ASSETS=$(build page old.html "$SRC/old.html")
CHART=$(echo "$ASSETS" | head -n 1)
check_contains "the chart is written under a content-hashed name" "$CHART" "charts/daily-revenue."

run_status st $CARTOGRAPH -v --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E"
check_eq "the first publish succeeds" "$st" 0
check_contains "  ...and uploads all 6 files" "$OUT" "6 files uploaded"
check_contains "  ...and the manifest" "$OUT" "manifest updated"
order=$(echo "$OUT" | sed -n 's/^upload \([^ ]*\).*/\1/p' | tr '\n' ' ')
check_eq "assets go first, then pages, then the manifest" "$order" \
	"$CHART $(echo "$ASSETS" | tail -n 1) charts/daily-revenue.csv index.html old.html products/blue manifest.json "
check_eq "a page has its bytes in the bucket" "$(fetch site/index.html)" "<h1>Overview</h1>"
check_eq "a page is text/html, cached briefly" "$(headers site/index.html)" \
	"text/html; charset=utf-8 | public, max-age=300"
check_eq "the chart is image/png, cached for ever" "$(headers "site/$CHART")" \
	"image/png | public, max-age=31536000, immutable"
check_eq "the bucket's manifest is JSON, never cached" "$(headers site/manifest.json)" \
	"application/json | no-cache"
check_eq "the bucket's manifest is the site's" "$(fetch site/manifest.json | sha256sum)" "$(sha256sum <"$OUT_DIR/manifest.json")"
first=$(list)
check_eq "a name with a space arrives" "$(listed "$first" "site/products/blue mug.html")" yes
check_eq "the chart's numbers arrive" "$(listed "$first" site/charts/daily-revenue.csv)" yes

run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E"
check_eq "publishing again succeeds" "$st" 0
check_contains "  ...and uploads nothing when nothing changed" "$OUT" "0 files uploaded (0 bytes), 6 unchanged, 0 deleted in"

printf '<h1>Overview, updated</h1>\n' >"$SRC/index.html"
build page old.html "$SRC/old.html" >/dev/null
run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E"
check_contains "one changed page is one upload" "$OUT" "1 file uploaded (27 bytes), 5 unchanged, 0 deleted, manifest updated"
check_eq "  ...and the bucket has the new page" "$(fetch site/index.html)" "<h1>Overview, updated</h1>"

# A new chart and no more old.html: both old files become stale.
printf '\211PNG revenue chart v2' >"$SRC/revenue.png"
NEW_CHART=$(build | head -n 1)
$S3 s3api put-object --bucket shop-site --key site/notes-by-hand.txt --body "$SRC/style.css" >/dev/null
run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E"
check_contains "without --delete, stale files stay and are counted" "$OUT" "2 files the site no longer has are still in the bucket"
stale=$(list)
check_eq "  ...the old page is still there" "$(listed "$stale" site/old.html)" yes
check_eq "  ...the new chart is there" "$(listed "$stale" "site/$NEW_CHART")" yes

printf '<h1>Overview, third</h1>\n' >"$SRC/index.html"
build >/dev/null
run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E" --dry-run --delete
check_eq "a dry run succeeds" "$st" 0
check_contains "  ...and says what it would upload" "$OUT" "would upload index.html (25 bytes)"
check_contains "  ...and what it would delete" "$OUT" "would delete old.html"
check_contains "  ...and sums it up" "$OUT" "dry run: s3://shop-site/site: 1 file would be uploaded (25 bytes), 4 unchanged, 2 deleted, the manifest replaced"
check_eq "  ...and changes nothing in the bucket" "$(list)" "$stale"

run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E" --delete
check_contains "--delete removes the stale files" "$OUT" "1 file uploaded (25 bytes), 4 unchanged, 2 deleted, manifest updated"
after=$(list)
check_eq "  ...the old page is gone" "$(listed "$after" site/old.html)" no
check_eq "  ...the old chart is gone" "$(listed "$after" "site/$CHART")" no
check_eq "  ...a file no manifest listed is left alone" "$(listed "$after" site/notes-by-hand.txt)" yes
check_eq "  ...and the new page is in" "$(fetch site/index.html)" "<h1>Overview, third</h1>"
run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E" --delete
check_contains "after --delete, a publish has nothing left to do" "$OUT" "0 files uploaded (0 bytes), 5 unchanged, 0 deleted in"

# --- failures --------------------------------------------------------------------------
run_status st env AWS_SECRET_ACCESS_KEY=wrong $CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/site --endpoint "$E"
check_eq "a wrong secret fails" "$st" 1
check_contains "  ...naming the request, the status and S3's code" "$OUT" "GET s3://shop-site/site/manifest.json: HTTP 403 SignatureDoesNotMatch"
run_status st env AWS_ACCESS_KEY_ID="$READER_ID" AWS_SECRET_ACCESS_KEY="$READER_SECRET" \
	$CARTOGRAPH --out "$OUT_DIR" publish s3://shop-site/elsewhere --endpoint "$E"
check_eq "a user who may not write fails" "$st" 1
check_contains "  ...naming the file, the status and S3's code" "$OUT" "uploading $NEW_CHART: PUT s3://shop-site/elsewhere/$NEW_CHART: HTTP 403 AccessDenied"
check_eq "  ...and no page went up before its chart" "$(listed "$(list)" elsewhere/index.html)" no
run_status st $CARTOGRAPH --out "$OUT_DIR" publish s3://no-such-bucket/site --endpoint "$E"
check_eq "a missing bucket fails" "$st" 1
check_contains "  ...saying so" "$OUT" "HTTP 404 NoSuchBucket"

finish
