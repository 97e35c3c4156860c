#!/bin/sh
# `cartograph build` end to end, on the bundled sample (ingest, clean, model, build) and
# on Online Retail when ../shared is there: every page renders; the site passes
# site_check (manifest, links, reachability); two builds of one warehouse are the same
# bytes; a build with nothing new writes nothing and keeps every mtime; a changed value
# draws its charts again, exactly as a fresh build would; what a build no longer makes is
# removed; no page carries a build time; help, bad options, a missing warehouse and a
# broken template fail as documented and leave out/ as it was.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
: "${B:=build/rel}"
SITE_CHECK=${SITE_CHECK:-$B/tools/site_check}
[ -x "$SITE_CHECK" ] || make -s "$SITE_CHECK" >/dev/null 2>&1

# The paths the manifest of a site lists, one per line.
manifest_paths() {
	sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.path')
		FROM json_each(readfile('$1/manifest.json'), '\$.files')"
}
# The number after "N files written" in a -v build's output.
written_of() { echo "$1" | sed -n -E 's/.*: ([0-9]+) files written.*/\1/p'; }

# every_page_renders LABEL OUT: each page the manifest lists is a whole HTML document
# with a title; at least two pages.
every_page_renders() {
	label=$1 out=$2 bad="" n=0
	for p in $(manifest_paths "$out" | grep '\.html$'); do
		n=$((n + 1))
		f="$out/$p"
		head -c 15 "$f" | grep -q '<!DOCTYPE html>' || bad="$bad $p(doctype)"
		tail -c 20 "$f" | grep -q '</html>' || bad="$bad $p(end)"
		grep -q '<title>[^<][^<]*</title>' "$f" || bad="$bad $p(title)"
		grep -q '{{' "$f" && bad="$bad $p(mustache tag left)"
	done
	if [ "$n" -ge 2 ] && [ -z "$bad" ]; then ok "$label: all $n pages render whole"
	else not_ok "$label: every page renders" "$n pages; problems:$bad"; fi
}

# site_passes_check LABEL OUT [ARGS]: site_check finds nothing wrong.
site_passes_check() {
	label=$1 out=$2
	shift 2
	if result=$("$SITE_CHECK" "$out" "$@" 2>&1); then ok "$label: $(echo "$result" | tail -n 1)"
	else not_ok "$label: site_check" "$(echo "$result" | head -n 15)"; fi
}

# no_build_time LABEL DB OUT: no page shows today's date unless the data has orders
# from today (the two builds a second apart being equal covers the time of day).
no_build_time() {
	label=$1 db=$2 out=$3
	iso=$(date -u +%Y-%m-%d) human=$(date -u '+%-d %b %Y') local=$(date +%Y-%m-%d)
	if [ "$(sql "$db" "SELECT count(*) FROM orders WHERE substr(order_time, 1, 10)
			IN ('$iso', '$local')")" != 0 ]; then
		echo "skip: $label: the data has orders from today: the build date check is skipped"
		return
	fi
	found=$(grep -l -r -e "$iso" -e "$local" -e "$human" --include='*.html' "$out")
	check_eq "$label: no page carries the build date" "$found" ""
}

# same_warehouse_same_site LABEL DB: two builds into two folders, a second apart, are
# the same bytes; a third into the first folder writes nothing and touches nothing.
same_warehouse_same_site() {
	label=$1 db=$2 a=$WORK/$1-a b=$WORK/$1-b
	run_status st "$CARTOGRAPH" --db "$db" --out "$a" -v build
	check_eq "$label: cartograph build succeeds" "$st" 0
	[ "$st" = 0 ] || { echo "$OUT" | tail -n 5; return; }
	every_page_renders "$label" "$a"
	site_passes_check "$label" "$a"
	no_build_time "$label" "$db" "$a"
	sleep 1
	"$CARTOGRAPH" --db "$db" --out "$b" -q build
	check "$label: a second build into another folder gives the same bytes" \
		diff -r -x '.cartograph*' "$a" "$b"
	before=$(folder_state "$a")
	run_status st "$CARTOGRAPH" --db "$db" --out "$a" -v build
	check_eq "$label: a build with nothing new writes 0 files" "$(written_of "$OUT")" 0
	check_eq "$label: ... and leaves every file, manifest and chart cache alone" \
		"$(folder_state "$a")" "$before"
}

# --- the sample --------------------------------------------------------------------

DB=$WORK/sample.db
cg() { "$CARTOGRAPH" --db "$DB" "$@"; }
check "ingest the sample" cg -q ingest data/sample/customers.csv data/sample/events.csv \
	data/sample/orders.csv data/sample/products.csv data/sample/reviews.csv
check "clean the sample" cg -q clean
check "model the sample" cg -q model
same_warehouse_same_site sample "$DB"
A=$WORK/sample-a

# A changed value: its charts are drawn again (not taken from the chart cache), the
# old PNGs go, and the site equals a fresh build's.
old_daily=$(cd "$A" && ls charts/daily-revenue-30d.*.png 2>/dev/null)
sql "$DB" "UPDATE order_items SET line_total_cents = line_total_cents + 12345
	WHERE (order_id, line_no) = (SELECT i.order_id, i.line_no FROM order_items i
		JOIN orders o USING (order_id) WHERE i.flags = 0 AND o.status = 'completed'
		ORDER BY o.order_time DESC, i.order_id, i.line_no LIMIT 1)"
run_status st cg --out "$A" -v build
check_eq "a changed value rebuilds" "$st" 0
new_daily=$(cd "$A" && ls charts/daily-revenue-30d.*.png 2>/dev/null)
if [ -n "$old_daily" ] && [ -n "$new_daily" ] && [ "$old_daily" != "$new_daily" ]; then
	ok "the last 30 days' revenue chart is drawn again ($old_daily -> $new_daily)"
else
	not_ok "the last 30 days' revenue chart is drawn again" "before '$old_daily', after '$new_daily'"
fi
check_eq "... and its old PNG is removed" "$(ls "$A/$old_daily" 2>/dev/null)" ""
cg --out "$WORK/sample-fresh" -q build
check "the rebuilt site equals a fresh build of the changed warehouse" \
	diff -r -x '.cartograph*' "$A" "$WORK/sample-fresh"
site_passes_check "after the change" "$A"

# Nothing changed: the build stops at once (out/.cartograph-build); a change to any of
# its inputs, or to out/ itself, makes it build again and put out/ right.
S=$WORK/stamp
cgs() { cg --out "$S" --shop-db "$WORK/stamp-shop.db" "$@"; }
# rebuilds STORY [WRITTEN]: the next build renders, writing WRITTEN files (some when
# not given), and the one after it stops at once.
rebuilds() {
	run_status st cgs -v build ${TPL:+--templates "$TPL"}
	check_contains "$1" "$OUT" "built "
	written=$(written_of "$OUT")
	if [ $# -ge 2 ]; then check_eq "... writing $2 files" "$written" "$2"
	elif [ "${written:-0}" -gt 0 ]; then ok "... writing the $written files that changed"
	else not_ok "... writing the files that changed" "$OUT"; fi
	run_status st cgs -v build ${TPL:+--templates "$TPL"}
	check_contains "... and the build after it has nothing to do" "$OUT" "up to date in "
}
TPL=
check "a build to check the stamp on" cgs -q build
run_status st cgs -v build
check_contains "a build with nothing changed stops at once" "$OUT" "up to date in "
check_eq "... writes 0 files" "$(written_of "$OUT")" 0
check_eq "... and exits 0" "$st" 0
cp "$S/index.html" "$WORK/index.html"
echo tampered >>"$S/index.html"
rebuilds "a page edited in out/ is noticed" 1
check "... and put back as it was" cmp "$S/index.html" "$WORK/index.html"
rm "$S/sales.html"
rebuilds "a page removed from out/ is noticed" 1
sql "$DB" "UPDATE products SET name = name || ' (new)' WHERE product_id =
	(SELECT min(product_id) FROM products)"
rebuilds "a change in the warehouse is noticed"
sql "$WORK/stamp-shop.db" "UPDATE products SET name = 'renamed' WHERE rowid = 1"
rebuilds "a change in shop.db's products is noticed" 0
TPL=$WORK/tpl-stamp
cp -R templates "$TPL"
rebuilds "other templates are noticed" 0
sed 's|</title>|</title><meta name="x-edited" content="1">|' templates/layout.mustache \
	>"$TPL/layout.mustache"
rebuilds "an edited template is noticed"
check_contains "... and its change is in the pages" "$(cat "$S/index.html")" 'name="x-edited"'

# The configured shop URL is the one absolute link pages may hold.
SHOP=https://shop.example.test/cgi-bin/shop.cgi
run_status st cg --out "$WORK/sample-shop" -q build --shop-url "$SHOP"
check_eq "a build with another shop URL succeeds" "$st" 0
site_passes_check "with --shop-url $SHOP" "$WORK/sample-shop" --shop-url "$SHOP"

# A broken template fails the build, names the template and line, and leaves out/
# exactly as it was.
cp -R templates "$WORK/tpl"
printf '{{#kpis}}\n<p>unclosed\n' >>"$WORK/tpl/overview.mustache"
line=$(($(wc -l <"$WORK/tpl/overview.mustache") - 1))
before=$(folder_state "$A")
run_status st cg --out "$A" build --templates "$WORK/tpl"
check_eq "a broken template fails the build with status 1" "$st" 1
check_contains "... naming the template and the line of the open section" "$OUT" \
	"overview.mustache:$line: section 'kpis' is never closed"
check_eq "... and out/ is left as it was" "$(folder_state "$A")" "$before"
cp templates/overview.mustache "$WORK/tpl/overview.mustache"
rm "$WORK/tpl/quality.mustache"
run_status st cg --out "$A" build --templates "$WORK/tpl"
check_eq "a missing template fails the build with status 1" "$st" 1
check_contains "... naming the file" "$OUT" "quality.mustache"
check_eq "... and out/ is left as it was" "$(folder_state "$A")" "$before"

# The command line.
run_status st "$CARTOGRAPH" build --help
check_eq "build --help exits 0" "$st" 0
check_contains "... and shows the usage" "$OUT" "usage: cartograph build"
run_status st "$CARTOGRAPH" help build
check_contains "help build shows the same usage" "$OUT" "usage: cartograph build"
run_status st cg --out "$A" build --no-such-option
check_eq "an unknown option exits 2" "$st" 2
check_contains "... naming the option" "$OUT" "--no-such-option"
run_status st cg --out "$A" build extra
check_eq "an unexpected argument exits 2" "$st" 2
run_status st "$CARTOGRAPH" --db "$WORK/no-such.db" --out "$WORK/none" build
check_eq "a missing warehouse exits 1" "$st" 1
check_contains "... saying there is no warehouse" "$OUT" "no warehouse at '$WORK/no-such.db'"
check_eq "... and creates neither the warehouse nor the folder" \
	"$(ls -d "$WORK/no-such.db" "$WORK/none" 2>/dev/null)" ""
run_status st "$CARTOGRAPH" --db "$WORK/no-folder/w.db" --out "$WORK/none" build
check_eq "a warehouse in a missing folder exits 1" "$st" 1

# Data gone: with every order cancelled there are no sales and so no periods; the
# period pages and their charts of the earlier build are removed, and the manifest
# still lists exactly the folder.
sql "$DB" "UPDATE orders SET status = 'cancelled'"
run_status st cg --out "$A" -v build
check_eq "a build after every order was cancelled succeeds" "$st" 0
check_eq "... and removes the period pages and charts it no longer makes" \
	"$(ls "$A/index-30d.html" "$A/index-90d.html" "$A/$new_daily" 2>/dev/null)" ""
check_contains "... counting them as removed" "$OUT" "removed"
site_passes_check "after the removals, the site" "$A"
check_contains "... whose front page says there are no sales yet" "$(cat "$A/index.html")" \
	"No completed sales are loaded yet"

# --- Online Retail -----------------------------------------------------------------

if have_shared && [ -f "$SHARED/datasets/online_retail.csv.gz" ]; then
	DB=$WORK/retail.db
	check "ingest Online Retail" cg -q ingest "$SHARED/datasets/online_retail.csv.gz"
	check "clean Online Retail" cg -q clean
	check "model Online Retail" cg -q model
	same_warehouse_same_site retail "$DB"
fi
finish
