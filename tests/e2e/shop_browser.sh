#!/bin/sh
# A shopper's visit in a real Chromium against lighttpd + shop.cgi (FastCGI): product
# page, add to cart, change the quantity, checkout, confirmation, review
# (tests/browser/shop.mjs). Screenshots go to tests/artifacts/. Skips, saying why, when
# lighttpd, node, npm or chromium are missing; installs playwright-core (no browser
# download) into tests/browser/node_modules the first time.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/shop/server.sh
trap 'shop_stop; rm -rf "$WORK"' EXIT

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip() {
	echo "skip: $1: no browser test"
	finish
	exit $?
}
shop_can_serve || skip "no shop server"
command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -x "$CHROMIUM" ] || skip "$CHROMIUM is not installed (apt-get install chromium)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
	command -v npm >/dev/null 2>&1 || skip "npm is not installed"
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
		skip "npm could not install playwright-core"
fi

mkdir -p tests/artifacts
shop_prepare "$WORK/site"
shop_start fastcgi "$WORK/site" 2 || { not_ok "lighttpd starts with shop.cgi"; finish; exit 1; }
CHROMIUM=$CHROMIUM node tests/browser/shop.mjs "$SHOP_URL" tests/artifacts >"$WORK/browser.out" 2>&1
status=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/browser.out"
PASSED=$(sed -n -E 's/^([0-9]+) passed, [0-9]+ failed.*/\1/p' "$WORK/browser.out")
FAILED=$(sed -n -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' "$WORK/browser.out")
PASSED=${PASSED:-0}
FAILED=${FAILED:-1}
[ "$status" = 0 ] || [ "$FAILED" != 0 ] || FAILED=1
shop_stop
check_eq "the browser's order is in shop.db with the changed quantity" \
	"$(sqlite3 -batch -noheader -cmd '.timeout 10000' "$WORK/site/shop.db" "SELECT o.payment_method || ' ' || l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id")" "paypal 3"
check_eq "its review is stored and scored" \
	"$(sqlite3 -batch -noheader -cmd '.timeout 10000' "$WORK/site/shop.db" "SELECT rating || ' ' || (sentiment > 0) FROM reviews")" "5 1"
finish
