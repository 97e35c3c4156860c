#!/bin/sh
# The report site of the bundled sample in a real Chromium, from file://
# (tests/browser/report.mjs): every page on a desktop and a phone, without console
# errors or broken images, fitting the screen; dark mode and print. Screenshots go to
# tests/artifacts/report/. Skips, saying why, when node, npm or chromium are missing;
# installs the npm packages of tests/browser (no browser download) the first time.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip() {
	echo "skip: $1: no browser test of the report"
	finish
	exit $?
}
command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -x "$CHROMIUM" ] || skip "$CHROMIUM is not installed (apt-get install chromium)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
	command -v npm >/dev/null 2>&1 || skip "npm is not installed"
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
		skip "npm could not install playwright-core"
fi

DB=$WORK/sample.db OUTDIR=$WORK/out
"$CARTOGRAPH" --db "$DB" -q ingest data/sample/*.csv >/dev/null 2>&1
"$CARTOGRAPH" --db "$DB" -q clean >/dev/null 2>&1
"$CARTOGRAPH" --db "$DB" -q model >/dev/null 2>&1
if ! "$CARTOGRAPH" --db "$DB" --out "$OUTDIR" -q build; then
	not_ok "the sample's site builds"
	finish
	exit 1
fi
ARTIFACTS=tests/artifacts/report
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
CHROMIUM=$CHROMIUM node tests/browser/report.mjs "$OUTDIR" "$ARTIFACTS" >"$WORK/browser.out" 2>&1
status=$?
grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/browser.out"
PASSED=$(sed -n -E 's/^([0-9]+) passed, [0-9]+ failed.*/\1/p' "$WORK/browser.out")
FAILED=$(sed -n -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' "$WORK/browser.out")
PASSED=${PASSED:-0}
FAILED=${FAILED:-1}
[ "$status" = 0 ] || [ "$FAILED" != 0 ] || FAILED=1
echo "screenshots: $ARTIFACTS/"
finish
