#!/bin/sh
# The report site's links and markup, over every page the sample's build makes:
# site_check (every href, src, srcset entry and url() resolves to a file of out/ that
# the manifest lists, "#id"s exist, nothing leaves out/ but the shop URL, every page is
# reachable from index.html), shown to catch each kind of broken link; then
# html-validate (tests/browser/html-validate.json) over every page, with zero errors.
# The html-validate part skips, saying why, when node or npm is missing; it installs
# the npm packages of tests/browser the first time.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
: "${B:=build/rel}"
SITE_CHECK=${SITE_CHECK:-$B/tools/site_check}
[ -x "$SITE_CHECK" ] || make -s "$SITE_CHECK" >/dev/null 2>&1

DB=$WORK/sample.db OUTDIR=$WORK/out
"$CARTOGRAPH" --db "$DB" -q ingest data/sample/*.csv >/dev/null 2>&1
"$CARTOGRAPH" --db "$DB" -q clean >/dev/null 2>&1
"$CARTOGRAPH" --db "$DB" -q model >/dev/null 2>&1
check "the sample's site builds" "$CARTOGRAPH" --db "$DB" --out "$OUTDIR" -q build
pages=$(cd "$OUTDIR" && find . -name '*.html' | sed 's|^\./||' | LC_ALL=C sort)
echo "pages: $(echo "$pages" | tr '\n' ' ')"

if result=$("$SITE_CHECK" "$OUTDIR" 2>&1); then ok "site_check: $(echo "$result" | tail -n 1)"
else not_ok "site_check finds no broken link" "$(echo "$result" | head -n 20)"; fi

# broken_copy STORY WANT SED: a copy of the site with index.html edited by SED must
# fail site_check with a message holding WANT.
broken_copy() {
	rm -rf "$WORK/broken"
	cp -R "$OUTDIR" "$WORK/broken"
	sed -i "$3" "$WORK/broken/index.html"
	result=$("$SITE_CHECK" "$WORK/broken" 2>&1)
	st=$?
	case "$result" in
	*"$2"*) [ "$st" = 1 ] && ok "site_check catches $1" || not_ok "site_check catches $1" "status $st" ;;
	*) not_ok "site_check catches $1" "'$2' not in: $(echo "$result" | head -n 5)" ;;
	esac
}
broken_copy "a link to a missing page" "'nowhere.html' is not in the site" \
	's|href="quality.html"|href="nowhere.html"|'
broken_copy "a missing 2x image in a srcset" "is not in the site" \
	's|@2x\.[0-9a-f]*\.png|@2x.00000000.png|'
broken_copy "a link out of the site" "leaves the site" \
	's|</main>|<a href="https://example.com/">away</a></main>|'
broken_copy "an absolute path" "is an absolute path" \
	's|</main>|<a href="/index.html">home</a></main>|'
broken_copy "a link above out/" "leads out of the site folder" \
	's|</main>|<a href="../index.html">up</a></main>|'
broken_copy "a fragment naming no element" "has no element with id 'no-such-id'" \
	's|</main>|<a href="quality.html#no-such-id">x</a></main>|'
broken_copy "a page edited after the build" "the manifest says" 's|</main>|<p>x</p></main>|'
rm -rf "$WORK/broken"
cp -R "$OUTDIR" "$WORK/broken"
echo '<!DOCTYPE html><title>x</title>' >"$WORK/broken/orphan.html"
result=$("$SITE_CHECK" "$WORK/broken" 2>&1)
check_contains "site_check catches a file the manifest does not list" "$result" \
	"orphan.html: is in the folder but not in the manifest"
check_contains "... and a page nothing links to" "$result" \
	"orphan.html: cannot be reached from index.html"

# html-validate over every page.
skip_validate() {
	echo "skip: $1: no HTML validation"
	finish
	exit $?
}
command -v node >/dev/null 2>&1 || skip_validate "node is not installed"
if [ ! -x tests/browser/node_modules/.bin/html-validate ]; then
	command -v npm >/dev/null 2>&1 || skip_validate "npm is not installed"
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
		skip_validate "npm could not install html-validate"
fi
n=$(echo "$pages" | wc -w)
files=$(for p in $pages; do printf '%s ' "$OUTDIR/$p"; done)
# shellcheck disable=SC2086 # one argument per page
if result=$(tests/browser/node_modules/.bin/html-validate \
	--config tests/browser/html-validate.json $files 2>&1); then
	ok "html-validate: all $n pages, no error"
else
	not_ok "html-validate: all $n pages, no error" "$(echo "$result" | head -n 40)"
fi
finish
