#!/bin/sh
# A shopper's visit in a real Chromium to a generated shop: `cartograph gen` makes the
# data, `cartograph run` builds the site and exports the catalog to shop.db, and
# `cartograph serve` serves both with shop.cgi (FastCGI) on a free port. The visit
# (tests/browser/shop.mjs) goes from the catalog to a product page, the cart, checkout,
# the confirmation and a review. Screenshots go to tests/artifacts/. Skips, saying why,
# when lighttpd, curl, node, npm or chromium are missing; installs playwright-core (no
# browser download) into tests/browser/node_modules the first time.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
SERVE_PID=
stop_serve() {
	[ -n "$SERVE_PID" ] || return 0
	kill -INT "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
	SERVE_PID=
}
trap 'stop_serve; rm -rf "$WORK"' EXIT

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip() {
	echo "skip: $1: no browser test"
	finish
	exit $?
}
command -v curl >/dev/null 2>&1 || skip "curl is not installed"
{ command -v lighttpd || test -x /usr/sbin/lighttpd; } >/dev/null 2>&1 || skip "lighttpd is not installed"
command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -x "$CHROMIUM" ] || skip "$CHROMIUM is not installed (apt-get install chromium)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
	command -v npm >/dev/null 2>&1 || skip "npm is not installed"
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
		skip "npm could not install playwright-core"
fi

SHOP=$WORK/shop.db
CG="$CARTOGRAPH --db $WORK/warehouse.db --shop-db $SHOP --out $WORK/out"
check "a shop's data is generated" $CARTOGRAPH -q gen --orders 4000 --seed 7 --out "$WORK/gen"
check "the site and the catalog are built from it" $CG -q run "$WORK"/gen/*.csv

started=0
tries=0
while [ $tries -lt 10 ] && [ $started = 0 ]; do
	tries=$((tries + 1))
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
	$CG serve --port "$port" >"$WORK/serve.out" 2>&1 &
	SERVE_PID=$!
	URL=http://127.0.0.1:$port
	waited=0
	while [ $waited -lt 100 ] && kill -0 "$SERVE_PID" 2>/dev/null; do
		if grep -qs "Press Ctrl-C" "$WORK/serve.out" && curl -fs -o /dev/null "$URL/cgi-bin/shop.cgi/health"; then
			started=1
			break
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	[ $started = 1 ] || stop_serve
done
if [ $started = 0 ]; then
	not_ok "cartograph serve starts" "$(tail -n 3 "$WORK/serve.out")"
	finish
	exit 1
fi

mkdir -p tests/artifacts
CHROMIUM=$CHROMIUM node tests/browser/shop.mjs "$URL" tests/artifacts >"$WORK/browser.out" 2>&1
status=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/browser.out"
browser_passed=$(sed -n -E 's/^([0-9]+) passed, [0-9]+ failed.*/\1/p' "$WORK/browser.out")
browser_failed=$(sed -n -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' "$WORK/browser.out")
PASSED=$((PASSED + ${browser_passed:-0}))
FAILED=$((FAILED + ${browser_failed:-1}))
[ "$status" = 0 ] || [ "${browser_failed:-1}" != 0 ] || FAILED=$((FAILED + 1))
stop_serve
check_eq "the browser's order is in shop.db with the changed quantity" \
	"$(sqlite3 -batch -noheader -cmd '.timeout 10000' "$SHOP" "SELECT o.payment_method || ' ' || l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id")" "paypal 3"
check_eq "its review is stored and scored" \
	"$(sqlite3 -batch -noheader -cmd '.timeout 10000' "$SHOP" "SELECT rating || ' ' || (sentiment > 0) FROM reviews")" "5 1"
finish
