#!/bin/sh
# faults.sh: the product under faults, with real SQLite files, real processes and real
# signals, on the bundled sample (data/sample):
# - kill -9 at seed-chosen moments spread over the measured run time of `cartograph
#   ingest`, `clean`, `model`, `build`, `publish` (to a local moto_server) and of a
#   shop.cgi checkout (plain CGI). After every kill the warehouse and shop.db pass
#   PRAGMA integrity_check and out/ holds only whole files, each listed one with its
#   bytes and SHA-256; the same command run again finishes the job with the result of
#   an uninterrupted run (the same rows, the same bytes as a clean build, one order).
# - A full disk and a file size limit during ingest and build: a clear message naming
#   the file, exit status 1 (not a signal), the warehouse and out/ as they were, and a
#   run once there is room again succeeds. The full disk is a small tmpfs (skipped
#   when mounting is refused); the size limit is `ulimit -f`.
# - A build exporting the catalog into shop.db while shoppers check out: the build
#   succeeds, every checkout gets a whole answer (placed, sold out or busy, never a
#   500), one order per placed checkout, stock never negative and equal to the
#   warehouse's count less what was ordered.
# FAULT_SEED changes the kill moments (the same seed, the same moments).
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
. tests/e2e/shop/server.sh
. tests/e2e/s3/server.sh
: "${B:=build/rel}"
SITE_CHECK=$B/tools/site_check
[ -x "$SITE_CHECK" ] || make -s "$SITE_CHECK" >/dev/null 2>&1
SEED=${FAULT_SEED:-1103}
SAMPLE="data/sample/customers.csv data/sample/events.csv data/sample/orders.csv data/sample/products.csv data/sample/reviews.csv"
SHOP_CGI=$PWD/bin/shop.cgi
MOUNTED=""
W=$WORK
cleanup() {
	s3_stop
	[ -z "$MOUNTED" ] || umount "$MOUNTED"
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What a web server sets for every plain CGI request; each request adds its own.
export GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=127.0.0.1 \
	SERVER_PORT=80 REMOTE_ADDR=127.0.0.1 SCRIPT_NAME=/shop.cgi QUERY_STRING='' \
	CONTENT_TYPE=application/x-www-form-urlencoded \
	CARTOGRAPH_SHOP_TEMPLATES=$PWD/templates/shop
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
	AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_PROFILE

# --- kill points ---------------------------------------------------------------------

now_us() { date +%s%6N; }

# timed VAR COMMAND...: runs the command (output dropped); its status in STATUS and
# its wall time in microseconds in VAR.
timed() {
	timed_var=$1
	shift
	timed_start=$(now_us)
	"$@" >/dev/null 2>&1
	STATUS=$?
	eval "$timed_var=$(($(now_us) - timed_start))"
}

# kill_points N MICROS SALT: N delays in microseconds, one in each of N equal slices of
# a run of MICROS, placed in its slice by a linear congruential sequence from the seed.
kill_points() {
	kp_n=$1 kp_span=$2 kp_x=$((SEED * 7919 + $3)) kp_k=0
	while [ $kp_k -lt "$kp_n" ]; do
		kp_x=$(((kp_x * 1103515245 + 12345) % 2147483648))
		echo $((kp_span * (kp_k * 1000 + kp_x % 1000) / (kp_n * 1000)))
		kp_k=$((kp_k + 1))
	done
}

# kill_after MICROS IN OUT COMMAND...: starts the command (standard input from IN,
# output into OUT) and sends it SIGKILL after MICROS. STRUCK is 1 when the kill found
# it running, 0 when it had already finished.
kill_after() {
	ka_us=$1 ka_in=$2 ka_out=$3
	shift 3
	"$@" <"$ka_in" >"$ka_out" 2>&1 &
	ka_pid=$!
	sleep "$(printf '%d.%06d' $((ka_us / 1000000)) $((ka_us % 1000000)))"
	kill -9 "$ka_pid" 2>/dev/null
	wait "$ka_pid" 2>/dev/null
	ka_status=$?
	STRUCK=0
	[ "$ka_status" = 137 ] && STRUCK=1
	STRIKES=$((STRIKES + STRUCK))
}

# Problems found over the kill points of one command, one per line, for one check.
PROBLEMS=""
problem() { PROBLEMS="$PROBLEMS$1
"; }
# check_none STORY: passes when no problem was noted since the last call.
check_none() {
	if [ -z "$PROBLEMS" ]; then ok "$1"; else not_ok "$1" "$(printf '%s' "$PROBLEMS" | head -n 6)"; fi
	PROBLEMS=""
}
# report_strikes WHAT N: how many of the N kills found the command still running.
report_strikes() {
	echo "     ($STRIKES of $2 kills struck $1 mid-run)"
	if [ "$STRIKES" -gt 0 ]; then ok "kill -9 struck $1 mid-run"; else not_ok "kill -9 struck $1 mid-run" "every run finished before its kill"; fi
}

# --- databases -------------------------------------------------------------------------

# integrity DB: "ok" when PRAGMA integrity_check finds nothing (or there is no file yet).
integrity() {
	if [ -s "$1" ]; then sql "$1" "PRAGMA integrity_check" 2>&1; else echo ok; fi
}

# warehouse_digest DB: every row of every table, hashed; the load times of
# ingest_runs (which differ from run to run) are masked.
warehouse_digest() {
	sqlite3 -batch "$1" .dump |
		sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'(time)'/g" |
		sha256sum | cut -c 1-16
}

# shop_catalog DB: what a build writes into shop.db, hashed.
shop_catalog() {
	sql "$1" "SELECT * FROM products ORDER BY id; SELECT * FROM product_recs ORDER BY 1, 2;
		SELECT * FROM customer_recs ORDER BY 1, 2; SELECT * FROM popular_by_category
		ORDER BY 1, 2; SELECT * FROM settings ORDER BY 1" | sha256sum | cut -c 1-16
}

# copy_db FROM TO: a database with its write-ahead log, if any.
copy_db() {
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2"
	[ ! -f "$1-wal" ] || cp "$1-wal" "$2-wal"
}

# --- sites -----------------------------------------------------------------------------

# file_sums DIR: "SHA-256  path" of every file of a site but the build's own.
file_sums() {
	(cd "$1" && find . -type f ! -name '.cartograph*' -printf '%P\n' | LC_ALL=C sort |
		xargs -r -d '\n' sha256sum)
}

# site_whole OUT ALLOWED: problems with a site that a build was killed in: a file the
# manifest lists that is missing, or a file that is neither the old nor the new version
# of itself (ALLOWED: file_sums of both). A new file not yet in the manifest is fine,
# and so is a page already renamed to its new version while the old manifest still
# stands (the manifest is put in place last): the next build finishes the job.
site_whole() {
	"$SITE_CHECK" "$1" --manifest-only 2>&1 |
		grep -v -e 'is in the folder but not in the manifest' -e 'the manifest says' \
			-e 'problems\?$' | head -n 3
	file_sums "$1" | LC_ALL=C sort >"$W/sums"
	LC_ALL=C comm -23 "$W/sums" "$2" | head -n 3 | sed 's/^/not a whole file: /'
}

# leftovers OUT: temporary files and journals in a site folder.
leftovers() { find "$1" -name '.cartograph-tmp.*' -o -name '.cartograph-journal' | head -n 3; }

# --- the sample, uninterrupted: the results every killed command must reach -------------

WH=$W/wh.db
timed T_INGEST "$CARTOGRAPH" --db "$WH" -q ingest $SAMPLE
check_eq "the sample loads" "$STATUS" 0
REF_INGEST=$(warehouse_digest "$WH")
copy_db "$WH" "$W/ingested.db"
timed T_CLEAN "$CARTOGRAPH" --db "$WH" -q clean
check_eq "the sample is cleaned" "$STATUS" 0
REF_CLEAN=$(warehouse_digest "$WH")
copy_db "$WH" "$W/cleaned.db"
timed T_MODEL "$CARTOGRAPH" --db "$WH" -q model
check_eq "the sample is modelled" "$STATUS" 0
REF_MODEL=$(warehouse_digest "$WH")
copy_db "$WH" "$W/a.db"
echo "     (uninterrupted: ingest $((T_INGEST / 1000)) ms, clean $((T_CLEAN / 1000)) ms, model $((T_MODEL / 1000)) ms)"

# --- kill -9 during ingest, clean and model ---------------------------------------------

KILLS=10
DB=$W/killed.db

STRIKES=0
for us in $(kill_points $KILLS "$T_INGEST" 1); do
	rm -f "$DB" "$DB-wal" "$DB-shm"
	kill_after "$us" /dev/null "$W/log" "$CARTOGRAPH" --db "$DB" -q ingest $SAMPLE
	got=$(integrity "$DB")
	[ "$got" = ok ] || problem "after a kill at $us us: integrity_check says $got"
	"$CARTOGRAPH" --db "$DB" -q ingest $SAMPLE >"$W/log" 2>&1 || problem "the ingest after a kill at $us us failed: $(tail -n 1 "$W/log")"
	got=$(warehouse_digest "$DB")
	[ "$got" = "$REF_INGEST" ] || problem "after a kill at $us us and a second ingest the warehouse differs ($got, want $REF_INGEST)"
done
report_strikes ingest $KILLS
check_none "kill -9 at $KILLS points of ingest: integrity ok; ingesting again loads exactly what one ingest does"

STRIKES=0
for us in $(kill_points $KILLS "$T_CLEAN" 2); do
	copy_db "$W/ingested.db" "$DB"
	kill_after "$us" /dev/null "$W/log" "$CARTOGRAPH" --db "$DB" -q clean
	got=$(integrity "$DB")
	[ "$got" = ok ] || problem "after a kill at $us us: integrity_check says $got"
	got=$(warehouse_digest "$DB")
	[ "$got" = "$REF_INGEST" ] || [ "$got" = "$REF_CLEAN" ] ||
		problem "a kill at $us us left a half-cleaned warehouse ($got)"
	"$CARTOGRAPH" --db "$DB" -q clean >"$W/log" 2>&1 || problem "the clean after a kill at $us us failed: $(tail -n 1 "$W/log")"
	got=$(warehouse_digest "$DB")
	[ "$got" = "$REF_CLEAN" ] || problem "after a kill at $us us and a second clean the warehouse differs ($got, want $REF_CLEAN)"
done
report_strikes clean $KILLS
check_none "kill -9 at $KILLS points of clean: integrity ok, all or nothing; cleaning again gives the uninterrupted result"

STRIKES=0
for us in $(kill_points $KILLS "$T_MODEL" 3); do
	copy_db "$W/cleaned.db" "$DB"
	kill_after "$us" /dev/null "$W/log" "$CARTOGRAPH" --db "$DB" -q model
	got=$(integrity "$DB")
	[ "$got" = ok ] || problem "after a kill at $us us: integrity_check says $got"
	"$CARTOGRAPH" --db "$DB" -q model >"$W/log" 2>&1 || problem "the model run after a kill at $us us failed: $(tail -n 1 "$W/log")"
	got=$(warehouse_digest "$DB")
	[ "$got" = "$REF_MODEL" ] || problem "after a kill at $us us and a second model run the warehouse differs ($got, want $REF_MODEL)"
done
report_strikes model $KILLS
check_none "kill -9 at $KILLS points of model: integrity ok; modelling again gives the uninterrupted result"

# --- kill -9 during build -----------------------------------------------------------------

# Site A: the sample. Site B: the same with one early order line changed, so a build of
# B over A redraws the all-time charts, rewrites the pages that show them and removes
# the charts it replaced. Both are clean builds into empty folders.
copy_db "$W/a.db" "$W/b.db"
sql "$W/b.db" "UPDATE order_items SET line_total_cents = line_total_cents + 12345
	WHERE (order_id, line_no) = (SELECT i.order_id, i.line_no FROM order_items i
		JOIN orders o USING (order_id) WHERE i.flags = 0 AND o.status = 'completed'
		ORDER BY o.order_time, i.order_id, i.line_no LIMIT 1)"
REF_B=$(warehouse_digest "$W/b.db")
SITE_A=$W/site-a SITE_B=$W/site-b
# The two share nothing, so they run at once.
"$CARTOGRAPH" --db "$W/a.db" --out "$SITE_A" --shop-db "$W/shop-a.db" -q build >"$W/build-a.log" 2>&1 &
build_a=$!
"$CARTOGRAPH" --db "$W/b.db" --out "$SITE_B" --shop-db "$W/shop-b.db" -q build >"$W/build-b.log" 2>&1
check_eq "a clean build of B" "$?" 0
wait "$build_a"
check_eq "a clean build of A" "$?" 0
{ file_sums "$SITE_A"; file_sums "$SITE_B"; } | LC_ALL=C sort -u >"$W/allowed-sums"

# One uninterrupted build of B over A: its time, and the shop.db every rerun must reach.
OUT_DIR=$W/out SHOP_DB=$W/shop.db
rm -rf "$OUT_DIR"
cp -a "$SITE_A" "$OUT_DIR"
copy_db "$W/shop-a.db" "$SHOP_DB"
timed T_BUILD "$CARTOGRAPH" --db "$W/b.db" --out "$OUT_DIR" --shop-db "$SHOP_DB" -q build
check_eq "a build of B over site A succeeds" "$STATUS" 0
check "... and gives the bytes of the clean build of B" diff -r -x '.cartograph*' "$OUT_DIR" "$SITE_B"
REF_SHOP_B=$(shop_catalog "$SHOP_DB")
echo "     (uninterrupted build of B over A: $((T_BUILD / 1000)) ms)"

STRIKES=0
KILLS_BUILD=8
for us in $(kill_points $KILLS_BUILD "$T_BUILD" 4); do
	rm -rf "$OUT_DIR"
	cp -a "$SITE_A" "$OUT_DIR"
	copy_db "$W/shop-a.db" "$SHOP_DB"
	kill_after "$us" /dev/null "$W/log" "$CARTOGRAPH" --db "$W/b.db" --out "$OUT_DIR" --shop-db "$SHOP_DB" -q build
	got=$(integrity "$SHOP_DB")
	[ "$got" = ok ] || problem "after a kill at $us us: shop.db integrity_check says $got"
	got=$(integrity "$W/b.db")
	[ "$got" = ok ] || problem "after a kill at $us us: warehouse integrity_check says $got"
	got=$(site_whole "$OUT_DIR" "$W/allowed-sums")
	[ -z "$got" ] || problem "after a kill at $us us: $got"
	if ! cmp -s "$OUT_DIR/manifest.json" "$SITE_A/manifest.json" &&
		! cmp -s "$OUT_DIR/manifest.json" "$SITE_B/manifest.json"; then
		problem "after a kill at $us us: manifest.json is neither the old nor the new one"
	fi
	"$CARTOGRAPH" --db "$W/b.db" --out "$OUT_DIR" --shop-db "$SHOP_DB" -q build >"$W/log" 2>&1 ||
		problem "the build after a kill at $us us failed: $(tail -n 1 "$W/log")"
	diff -r -q -x '.cartograph*' "$OUT_DIR" "$SITE_B" >"$W/diff" 2>&1 ||
		problem "after a kill at $us us the next build differs from a clean one: $(head -n 2 "$W/diff")"
	got=$(leftovers "$OUT_DIR")
	[ -z "$got" ] || problem "after a kill at $us us the next build left $got"
	got=$(shop_catalog "$SHOP_DB")
	[ "$got" = "$REF_SHOP_B" ] || problem "after a kill at $us us and a rebuild shop.db's catalog differs"
done
report_strikes build $KILLS_BUILD
check_none "kill -9 at $KILLS_BUILD points of build: shop.db ok, out/ only whole files (the manifest's with their bytes and SHA-256); building again gives a clean build's bytes and leaves no temporary file"
check_eq "the warehouse is only read by build" "$(warehouse_digest "$W/b.db")" "$REF_B"

# --- kill -9 during publish -----------------------------------------------------------------

# bucket_check MODE OLD NEW: checks the bucket's copy under s3://site/live against the
# sites OLD (what it held) and NEW (what is being published). MODE killed: the manifest
# is one of the two, every object is a whole version of one of them, and once a page of
# NEW is up so is every asset of NEW. MODE done: the bucket holds exactly NEW.
bucket_check() {
	python3 - "$S3_ENDPOINT" site live "$@" <<'PY'
import hashlib, json, os, sys, urllib.parse, urllib.request
import xml.etree.ElementTree as ET
endpoint, bucket, prefix, mode, old_dir, new_dir = sys.argv[1:7]
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"

def listing():
    found, token = {}, None
    while True:
        query = {"list-type": "2", "prefix": prefix + "/"}
        if token:
            query["continuation-token"] = token
        url = "%s/%s?%s" % (endpoint, bucket, urllib.parse.urlencode(query))
        root = ET.fromstring(urllib.request.urlopen(url, timeout=30).read())
        for c in root.iter(NS + "Contents"):
            found[c.findtext(NS + "Key")[len(prefix) + 1:]] = c.findtext(NS + "ETag").strip('"')
        if root.findtext(NS + "IsTruncated") != "true":
            return found
        token = root.findtext(NS + "NextContinuationToken")

def site(folder):
    files = {"manifest.json": (hashlib.md5(open(os.path.join(folder, "manifest.json"), "rb").read()).hexdigest(), False)}
    for f in json.load(open(os.path.join(folder, "manifest.json")))["files"]:
        data = open(os.path.join(folder, f["path"]), "rb").read()
        files[f["path"]] = (hashlib.md5(data).hexdigest(), "immutable" in f["cache_control"])
    return files

old, new, bucket_now = site(old_dir), site(new_dir), listing()
problems = []
if mode == "done":
    for path, (md5, _) in sorted(new.items()):
        if bucket_now.get(path) != md5:
            problems.append("%s is not the new version" % path)
    for path in sorted(set(old) - set(new)):
        if path in bucket_now:
            problems.append("%s of the old site is still there" % path)
else:
    if bucket_now.get("manifest.json") not in (old["manifest.json"][0], new["manifest.json"][0]):
        problems.append("the manifest is neither the old nor the new one")
    for path, md5 in sorted(bucket_now.items()):
        versions = [v[0] for v in (old.get(path), new.get(path)) if v]
        if versions and md5 not in versions:
            problems.append("%s is not a whole version of itself" % path)
    new_pages_up = [p for p, (md5, asset) in new.items() if not asset and p != "manifest.json"
                    and bucket_now.get(p) == md5 and old.get(p, ("",))[0] != md5]
    missing_assets = [p for p, (md5, asset) in new.items() if asset and bucket_now.get(p) != md5]
    if new_pages_up and missing_assets:
        problems.append("page %s is up before asset %s" % (new_pages_up[0], missing_assets[0]))
    if bucket_now.get("manifest.json") == new["manifest.json"][0]:
        for path, (md5, _) in sorted(new.items()):
            if bucket_now.get(path) != md5:
                problems.append("the new manifest is up before %s" % path)
print("\n".join(problems[:3]))
sys.exit(1 if problems else 0)
PY
}

# publish SITE: publishes a site to s3://site/live with --delete.
publish() {
	"$CARTOGRAPH" --out "$1" -q publish s3://site/live --endpoint "$S3_ENDPOINT" --delete
}

if s3_can_serve; then
	if s3_start "$W/moto.log"; then
		python3 -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('$S3_ENDPOINT/site', method='PUT'), timeout=30)"
		check "the first publish of site A" publish "$SITE_A"
		timed T_AB publish "$SITE_B"
		check_eq "publishing B over A succeeds" "$STATUS" 0
		timed T_BA publish "$SITE_A"
		check_eq "publishing A over B succeeds" "$STATUS" 0
		echo "     (uninterrupted publish of B over A: $((T_AB / 1000)) ms, A over B: $((T_BA / 1000)) ms)"
		# The kills alternate: B over A, then (the rerun having put B up) A over B.
		STRIKES=0
		from=$SITE_A to=$SITE_B span=$T_AB
		for k in $(seq 1 $KILLS); do
			us=$(kill_points $KILLS "$span" 5 | sed -n "${k}p")
			kill_after "$us" /dev/null "$W/log" "$CARTOGRAPH" --out "$to" -q publish s3://site/live --endpoint "$S3_ENDPOINT" --delete
			got=$(bucket_check "killed" "$from" "$to" 2>&1) || problem "after a kill at $us us: $got"
			publish "$to" >"$W/log" 2>&1 || problem "the publish after a kill at $us us failed: $(tail -n 1 "$W/log")"
			got=$(bucket_check "done" "$from" "$to" 2>&1) || problem "after a kill at $us us and a second publish: $got"
			if [ "$to" = "$SITE_B" ]; then from=$SITE_B to=$SITE_A span=$T_BA; else from=$SITE_A to=$SITE_B span=$T_AB; fi
		done
		report_strikes publish $KILLS
		check_none "kill -9 at $KILLS points of publish: the bucket's manifest old or new, whole objects, no new page before its assets; publishing again puts up exactly the new site"
	else
		not_ok "moto_server answers on $S3_ENDPOINT" "$(tail -n 5 "$W/moto.log")"
	fi
	s3_stop
fi

# --- kill -9 during a shop checkout -----------------------------------------------------------

# form N FIELDS: session N's form (its token, then FIELDS) into $W/form-N.
form() { printf 'csrf=%032x&%s' $(($1 + 50000000)) "$2" >"$W/form-$1"; }

# checkout_fields KEY: the fields of a checkout form whose form key is KEY.
checkout_fields() {
	printf 'idempotency_key=%032x&name=Shopper+%d&email=s%d%%40example.com&address=%d+Kiln+Lane&payment_method=card' \
		"$1" "$1" "$1" "$1"
}

# shop_post DB N PATH: POSTs $W/form-N to PATH of shop.cgi as plain CGI, for session N;
# prints the answer.
shop_post() {
	env REQUEST_METHOD=POST PATH_INFO="$3" CONTENT_LENGTH="$(wc -c <"$W/form-$2")" \
		HTTP_COOKIE="sid=$(printf '%032x' "$2")" CARTOGRAPH_SHOP_DB="$1" "$SHOP_CGI" <"$W/form-$2"
}

# add_shoppers DB FIRST LAST: sessions FIRST..LAST (sid and token from the number),
# each with an empty cart.
add_shoppers() {
	sql "$1" "WITH RECURSIVE n(i) AS (SELECT $2 UNION ALL SELECT i + 1 FROM n WHERE i < $3)
		INSERT INTO sessions (sid, csrf, created, last_seen) SELECT printf('%032x', i),
		printf('%032x', i + 50000000), strftime('%s', 'now'), strftime('%s', 'now') FROM n;
		INSERT INTO carts (session_id, created, updated) SELECT id, created, created
		FROM sessions WHERE sid BETWEEN printf('%032x', $2) AND printf('%032x', $3)"
}

# status_of ANSWER: the status code of a CGI answer.
status_of() { sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$1"; }

if [ -x "$SHOP_CGI" ]; then
	# 3,000 products in every cart make a checkout long enough to strike.
	SHOP_DIR=$W/shop
	shop_prepare "$SHOP_DIR"
	SDB=$SHOP_DIR/shop.db
	sql "$SDB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
		INSERT INTO products (id, name, category, price_cents, stock)
		SELECT printf('K%04d', i), 'Kiln part ' || i, 'Kilns', 100 + i, 1000 FROM n"
	add_shoppers "$SDB" 1 $((KILLS + 1))
	for n in $(seq 1 $((KILLS + 1))); do form $n "$(checkout_fields $n)"; done
	sql "$SDB" "INSERT INTO cart_lines (cart_id, product_id, quantity, added)
		SELECT c.id, p.id, 1, 0 FROM carts c, products p WHERE p.id LIKE 'K%'"
	# The order of session N, its lines, and its cart; stock must match the orders.
	order_state() {
		sql "$SDB" "SELECT count(*), (SELECT count(*) FROM order_lines l JOIN orders o
			ON o.id = l.order_id JOIN sessions s ON s.id = o.session_id
			WHERE s.sid = printf('%032x', $1)) FROM orders o JOIN sessions s
			ON s.id = o.session_id WHERE s.sid = printf('%032x', $1)" | tr '\n' ' '
		sql "$SDB" "SELECT count(*) FROM cart_lines l JOIN carts c ON c.id = l.cart_id
			JOIN sessions s ON s.id = c.session_id WHERE s.sid = printf('%032x', $1)"
	}
	stock_mismatches() {
		sql "$SDB" "SELECT count(*) FROM products p WHERE id LIKE 'K%' AND stock != 1000 -
			(SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = p.id)"
	}
	timed T_CHECKOUT shop_post "$SDB" 1 /checkout
	check_eq "an uninterrupted checkout of 3,000 lines places one whole order" "$(order_state 1)" "1|3000 0"
	echo "     (uninterrupted checkout: $((T_CHECKOUT / 1000)) ms)"
	STRIKES=0
	n=2
	for us in $(kill_points $KILLS "$T_CHECKOUT" 6); do
		len=$(wc -c <"$W/form-$n")
		kill_after "$us" "$W/form-$n" "$W/answer" env REQUEST_METHOD=POST PATH_INFO=/checkout \
			CONTENT_LENGTH="$len" HTTP_COOKIE="sid=$(printf '%032x' $n)" CARTOGRAPH_SHOP_DB="$SDB" "$SHOP_CGI"
		got=$(integrity "$SDB")
		[ "$got" = ok ] || problem "after a kill at $us us: integrity_check says $got"
		got=$(order_state $n)
		[ "$got" = "1|3000 0" ] || [ "$got" = "0|0 3000" ] || problem "a kill at $us us left half an order: $got"
		[ "$(stock_mismatches)" = 0 ] || problem "after a kill at $us us stock does not match the orders"
		shop_post "$SDB" $n /checkout >"$W/answer" 2>&1
		got=$(status_of "$W/answer")
		[ "$got" = 303 ] || problem "the checkout after a kill at $us us answered $got"
		got=$(order_state $n)
		[ "$got" = "1|3000 0" ] || problem "after a kill at $us us and a second checkout: $got (want one whole order)"
		n=$((n + 1))
	done
	report_strikes "a checkout" $KILLS
	check_none "kill -9 at $KILLS points of a checkout: shop.db ok, the order whole or absent; sending the form again places it once"
	check_eq "orders: one per checkout, none twice" \
		"$(sql "$SDB" "SELECT count(*), count(DISTINCT session_id), sum(items) FROM orders")" \
		"$((KILLS + 1))|$((KILLS + 1))|$(((KILLS + 1) * 3000))"
	check_eq "stock is what the orders left" "$(stock_mismatches)" 0
else
	echo "skip: bin/shop.cgi is not built: the checkout checks are skipped"
fi

# --- a file size limit and a full disk -----------------------------------------------------

# Half a load: customers and products; orders.csv is what will not fit.
HALF=$W/half.db
"$CARTOGRAPH" --db "$HALF" -q ingest data/sample/customers.csv data/sample/products.csv
copy_db "$HALF" "$W/half-copy.db"

# expect_clean_failure STORY STATUS MESSAGE NEEDLE...: exit status 1, not a signal,
# and a message holding every needle.
expect_clean_failure() {
	ecf_story=$1 ecf_status=$2 ecf_out=$3
	shift 3
	check_eq "$ecf_story: exit status 1, no signal" "$ecf_status" 1
	for needle in "$@"; do check_contains "$ecf_story: the message names it" "$ecf_out" "$needle"; done
}

# 4096 blocks: 2 MB (dash counts 512-byte blocks) or 4 MB (bash counts KB); the
# warehouse has 0.5 MB and orders.csv needs 8 MB more.
before=$(db_state "$HALF")
before_digest=$(warehouse_digest "$HALF")
OUT=$( (ulimit -f 4096; exec "$CARTOGRAPH" --db "$HALF" ingest data/sample/orders.csv) 2>&1)
st=$?
expect_clean_failure "ingest over a file size limit" "$st" "$OUT" "$HALF" "size limit"
check_eq "... and the warehouse is as it was" "$(db_state "$HALF") $(warehouse_digest "$HALF")" "$before $before_digest"
run_status st "$CARTOGRAPH" --db "$HALF" -q ingest data/sample/orders.csv
check_eq "... and without the limit the ingest succeeds" "$st $(sql "$HALF" "SELECT count(*) FROM raw_order_lines")" "0 19988"

# The build under a limit: shop.db, which the catalog is exported into, is the first
# file that outgrows it.
OUT_DIR=$W/out
rm -rf "$OUT_DIR"
cp -a "$SITE_A" "$OUT_DIR"
copy_db "$W/shop-a.db" "$SHOP_DB"
before=$(folder_state "$OUT_DIR")
before_shop=$(shop_catalog "$SHOP_DB")
OUT=$( (ulimit -f 1024; exec "$CARTOGRAPH" --db "$W/b.db" --out "$OUT_DIR" --shop-db "$SHOP_DB" build) 2>&1)
st=$?
expect_clean_failure "build over a file size limit" "$st" "$OUT" "$SHOP_DB" "size limit"
check_eq "... and out/ is as it was, file for file" "$(folder_state "$OUT_DIR")" "$before"
check_eq "... and so are the warehouse and shop.db" "$(warehouse_digest "$W/b.db") $(shop_catalog "$SHOP_DB")" "$REF_B $before_shop"
run_status st "$CARTOGRAPH" --db "$W/b.db" --out "$OUT_DIR" --shop-db "$SHOP_DB" -q build
check_eq "... and without the limit the build succeeds" "$st" 0
check "... with the bytes of a clean build" diff -r -x '.cartograph*' "$OUT_DIR" "$SITE_B"

# A small tmpfs, when this system lets us mount one.
FS=$W/tmpfs
mkdir -p "$FS"
if mount -t tmpfs -o size=16m tmpfs "$FS" 2>/dev/null; then
	MOUNTED=$FS
	# fill_leaving KB: fills the tmpfs until only about KB kilobytes are free.
	fill_leaving() {
		avail=$(df -k --output=avail "$FS" | tail -n 1 | tr -d ' ')
		head -c $(((avail - $1) * 1024)) /dev/zero >"$FS/filler"
	}
	copy_db "$W/half-copy.db" "$FS/wh.db"
	fill_leaving 1024
	before=$(db_state "$FS/wh.db")
	before_digest=$(warehouse_digest "$FS/wh.db")
	run_status st "$CARTOGRAPH" --db "$FS/wh.db" ingest data/sample/orders.csv
	expect_clean_failure "ingest onto a full disk" "$st" "$OUT" "$FS/wh.db" "disk is full"
	check_eq "... and the warehouse is as it was" "$(db_state "$FS/wh.db") $(warehouse_digest "$FS/wh.db")" "$before $before_digest"
	rm -f "$FS/filler"
	run_status st "$CARTOGRAPH" --db "$FS/wh.db" -q ingest data/sample/orders.csv
	check_eq "... and with room again the ingest succeeds" "$st $(sql "$FS/wh.db" "SELECT count(*) FROM raw_order_lines")" "0 19988"
	rm -f "$FS"/wh.db*

	# Site A on the tmpfs with 150 KB left: B's new charts do not fit.
	cp -a "$SITE_A" "$FS/out"
	fill_leaving 150
	copy_db "$W/shop-a.db" "$SHOP_DB"
	before=$(folder_state "$FS/out")
	run_status st "$CARTOGRAPH" --db "$W/b.db" --out "$FS/out" --shop-db "$SHOP_DB" build
	expect_clean_failure "build onto a full disk" "$st" "$OUT" "$FS/out/" "No space left on device"
	check_eq "... and out/ is as it was, file for file" "$(folder_state "$FS/out")" "$before"
	rm -f "$FS/filler"
	run_status st "$CARTOGRAPH" --db "$W/b.db" --out "$FS/out" --shop-db "$SHOP_DB" -q build
	check_eq "... and with room again the build succeeds" "$st" 0
	check "... with the bytes of a clean build" diff -r -x '.cartograph*' "$FS/out" "$SITE_B"
	check_eq "... and leaves no temporary file" "$(leftovers "$FS/out")" ""
	umount "$FS" && MOUNTED=""
else
	echo "skip: mounting a tmpfs is refused here: the full-disk checks are skipped"
fi

# --- a build exporting into shop.db while shoppers check out ---------------------------------

if [ -x "$SHOP_CGI" ]; then
	BUSY=$W/busy
	mkdir -p "$BUSY"
	rm -rf "$OUT_DIR"
	cp -a "$SITE_A" "$OUT_DIR"
	copy_db "$W/shop-a.db" "$SHOP_DB"
	# 4 shoppers, each in a session of their own, add to their carts and check out,
	# again and again, from before the build starts (each has checked out once) until
	# after it ends, so some checkouts come before the export whatever the build's
	# speed, and some after. Every fifth
	# checkout also wants a product with a few units left: once it has sold out the
	# shopper is told so (409) and takes it out of the cart.
	WORKERS=4 FIRST=1000
	add_shoppers "$SHOP_DB" $FIRST $((FIRST + WORKERS - 1))
	HOT=$(sql "$W/b.db" "SELECT product_id FROM products WHERE stock >= 100 ORDER BY product_id LIMIT 20")
	SCARCE=$(sql "$W/b.db" "SELECT product_id FROM products WHERE stock BETWEEN 5 AND 15
		ORDER BY stock, product_id LIMIT 1")
	# Written by the build right after its export: shows when the export is in.
	sql "$SHOP_DB" "DELETE FROM settings WHERE key = 'currency'"
	# shopper W: shops in session FIRST+W (at most 300 rounds) until 3 rounds after
	# the build ended.
	shopper() {
		n=$((FIRST + $1)) j=0 rounds_after=0
		while [ $j -lt 300 ] && [ $rounds_after -lt 3 ]; do
			[ -f "$BUSY/built" ] && rounds_after=$((rounds_after + 1))
			j=$((j + 1))
			a=$BUSY/$n-$j
			form $n "product_id=$(echo $HOT | cut -d ' ' -f $((j % 20 + 1)))&quantity=$((1 + j % 3))"
			shop_post "$SHOP_DB" $n /cart/add >"$a-add" 2>>"$BUSY/stderr"
			if [ $((j % 5)) = 0 ]; then
				form $n "product_id=$SCARCE&quantity=1"
				shop_post "$SHOP_DB" $n /cart/add >"$a-add-scarce" 2>>"$BUSY/stderr"
			fi
			form $n "$(checkout_fields $((n * 1000 + j)))"
			shop_post "$SHOP_DB" $n /checkout >"$a-checkout" 2>>"$BUSY/stderr"
			[ $j = 1 ] && : >"$BUSY/started-$1"
			if [ "$(sqlite3 -readonly -cmd '.timeout 5000' "$SHOP_DB" \
				"SELECT count(*) FROM settings WHERE key = 'currency'" 2>&1)" = 1 ]; then
				: >"$a-exported"
			fi
			if [ "$(status_of "$a-checkout")" = 409 ]; then
				form $n "product_id=$SCARCE"
				shop_post "$SHOP_DB" $n /cart/remove >"$a-remove" 2>>"$BUSY/stderr"
			fi
		done
	}
	: >"$BUSY/stderr"
	pids=""
	for w in $(seq 0 $((WORKERS - 1))); do
		shopper "$w" &
		pids="$pids $!"
	done
	for i in $(seq 600); do # at most 30 s
		[ "$(find "$BUSY" -name 'started-*' | wc -l)" -ge $WORKERS ] && break
		sleep 0.05
	done
	run_status st "$CARTOGRAPH" --db "$W/b.db" --out "$OUT_DIR" --shop-db "$SHOP_DB" -v build
	: >"$BUSY/built"
	for p in $pids; do wait "$p"; done
	check_eq "a build exporting into shop.db during checkouts succeeds" "$st" 0
	echo "     (shop.db $(echo "$OUT" | grep -o 'written in [0-9.]* s'), waiting included)"
	site_passes=$("$SITE_CHECK" "$OUT_DIR" 2>&1) && ok "... and its site passes site_check" ||
		not_ok "... and its site passes site_check" "$(echo "$site_passes" | head -n 5)"
	# Each answer's status, Content-Length and header bytes (to the blank line), in
	# one pass, and its size: the body must be as long as the answer says.
	find "$BUSY" -name '*-add*' -o -name '*-remove' -o -name '*-checkout' >"$W/answers"
	xargs -r -d '\n' stat -c %s <"$W/answers" >"$W/sizes"
	xargs -r -d '\n' env LC_ALL=C awk '
		function flush() { if (file != "") print file, status, size, (done ? head : "-") }
		FNR == 1 { flush(); file = FILENAME; status = "-"; size = "-"; head = 0; done = 0 }
		done { next }
		{ head += length($0) + 1 }
		/^Status: / { status = $2 }
		/^Content-Length: / { size = $2 + 0 }
		/^\r$/ { done = 1 }
		END { flush() }' <"$W/answers" >"$W/heads"
	answered=0 placed=0 sold_out=0 busy=0 bad=""
	[ "$(wc -l <"$W/heads")" = "$(wc -l <"$W/answers")" ] || bad=" (an empty answer)"
	paste -d ' ' "$W/heads" "$W/sizes" >"$W/joined"
	while read -r f code length head bytes; do
		[ "$head" != - ] && [ "$length" != - ] && [ $((bytes - head)) = "$length" ] ||
			bad="$bad ${f##*/}(cut)"
		case ${f##*-}:$code in
		checkout:303) placed=$((placed + 1)) ;;
		checkout:409 | scarce:409) sold_out=$((sold_out + 1)) ;;
		*:503) busy=$((busy + 1)); grep -q 'The shop is' "$f" || bad="$bad ${f##*/}(503)" ;;
		add:303 | scarce:303 | remove:303) ;;
		*) bad="$bad ${f##*/}($code)" ;;
		esac
		case $f in *-checkout) answered=$((answered + 1)) ;; esac
	done <"$W/joined"
	after=$(find "$BUSY" -name '*-exported' | wc -l)
	echo "     ($answered checkouts, $after of them after the export: $placed placed, $sold_out sold out, $busy told to retry)"
	check_eq "every request got a whole answer: placed, sold out or busy, never a 500" "$bad" ""
	if [ "$after" -gt 0 ] && [ "$after" -lt "$answered" ]; then ok "the export came in the middle of the checkouts"
	else not_ok "the export came in the middle of the checkouts" "$after of $answered checkouts after it"; fi
	check_eq "one order per placed checkout" "$(sql "$SHOP_DB" "SELECT count(*) FROM orders")" "$placed"
	# Stock: the warehouse's count less what the shop sold, whether the export came
	# before a checkout or after it.
	sql "$SHOP_DB" "ATTACH '$W/b.db' AS wh;
		SELECT count(*) FROM products p JOIN wh.products w ON w.product_id = p.id
		WHERE p.stock != max(0, w.stock - (SELECT coalesce(sum(quantity), 0)
			FROM order_lines WHERE product_id = p.id))" >"$W/mismatch" 2>&1
	check_eq "stock is the warehouse's count less what was ordered, for every product" "$(cat "$W/mismatch")" 0
	check_eq "no stock is negative" "$(sql "$SHOP_DB" "SELECT count(*) FROM products WHERE stock < 0")" 0
	check_eq "shop.db integrity_check" "$(integrity "$SHOP_DB")" ok
	check_eq "shop.cgi wrote nothing to its error output" "$(head -n 3 "$BUSY/stderr")" ""
fi

finish
