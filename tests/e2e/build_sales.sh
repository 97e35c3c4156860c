#!/bin/sh
# End-to-end tests of the Sales and Funnel pages, and of the overview's rate cards, on
# real exports: the bundled sample (every section filled), Superstore (regions,
# loss-making sub-categories, heavy discounts) and the REES46 events (a funnel without
# sales, purchases without a cart event). Figures are checked against sqlite3 queries on
# the typed tables.
. tests/e2e/lib.sh

# csv_of OUT PAGE STEM: the path of the CSV a page links for a chart.
csv_of() {
	href=$(grep -o "href=\"charts/$3\.[0-9a-f]*\.csv\"" "$1/$2" | head -n 1 | cut -d'"' -f2)
	[ -n "$href" ] && echo "$1/$href"
}

# csv_value FILE LABEL: the second column of the row whose first cell is LABEL.
csv_value() { tr -d '\r' <"$1" | awk -F, -v l="$2" '$1 == l { print $2; exit }'; }

# near A B: A and B agree to a cent.
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.005 && d > -0.005) }'; }

# --- the bundled sample --------------------------------------------------------------
DB=$WORK/sample.db
SITE=$WORK/sample
$CARTOGRAPH --db "$DB" -q ingest data/sample/*.csv >/dev/null 2>&1
$CARTOGRAPH --db "$DB" -q clean >/dev/null 2>&1
check "the sample builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build

for page in sales sales-365d sales-90d sales-30d funnel funnel-365d funnel-90d funnel-30d; do
	check "sample: $page.html exists" test -s "$SITE/$page.html"
done

SALES="i.flags = 0 AND o.status = 'completed'"
us=$(sql "$DB" "SELECT sum(i.line_total_cents) / 100.0 FROM order_items i JOIN orders o
	USING (order_id) WHERE $SALES AND o.country = 'United States'")
f=$(csv_of "$SITE" sales.html sales-places-all)
if near "$(csv_value "$f" 'United States')" "$us"; then ok "sample: revenue by country agrees with SQL"
else not_ok "sample: revenue by country agrees with SQL" "csv $(csv_value "$f" 'United States'), sql $us"; fi

# The 30-day page counts only the last 30 days of sales.
end=$(sql "$DB" "SELECT datetime(date(max(o.order_time)), '+1 day') FROM order_items i
	JOIN orders o USING (order_id) WHERE $SALES")
web30=$(sql "$DB" "SELECT sum(i.line_total_cents) / 100.0 FROM order_items i JOIN orders o
	USING (order_id) WHERE $SALES AND o.channel = 'web'
	AND o.order_time >= datetime('$end', '-30 days') AND o.order_time < '$end'")
f=$(csv_of "$SITE" sales-30d.html sales-channels-30d)
if near "$(csv_value "$f" Web)" "$web30"; then ok "sample: 30-day channel revenue agrees with SQL"
else not_ok "sample: 30-day channel revenue agrees with SQL" "csv $(csv_value "$f" Web), sql $web30"; fi

# The 90-day best seller and its revenue, from the order lines of those 90 days.
top90=$(sql "$DB" "SELECT coalesce(p.name, i.product_id) || '|' || (sum(i.line_total_cents) / 100.0)
	FROM order_items i JOIN orders o USING (order_id) LEFT JOIN products p USING (product_id)
	WHERE $SALES AND o.order_time >= datetime('$end', '-90 days') AND o.order_time < '$end'
	GROUP BY i.product_id ORDER BY sum(i.line_total_cents) DESC, i.product_id LIMIT 1")
f=$(csv_of "$SITE" sales-90d.html sales-top-products-90d)
first=$(tr -d '\r' <"$f" | sed -n 2p)
if [ "${first%,*}" = "${top90%|*}" ] && near "${first##*,}" "${top90##*|}"; then
	ok "sample: the 90-day best seller agrees with SQL"
else not_ok "sample: the 90-day best seller agrees with SQL" "csv $first, sql $top90"; fi

# The same figure in the chart's table for screen readers: as the chart writes it.
usd=$(awk -v v="$us" 'BEGIN { printf "%.0f", v }' | sed -E ':a; s/^([0-9]+)([0-9]{3})/\1,\2/; ta')
check_contains "sample: the screen-reader table reads the country's revenue as the chart writes it" \
	"$(cat "$SITE/sales.html")" "<td>United States</td><td>\$$usd</td>"
check_eq "sample: no screen-reader table cell holds a raw figure (0.1666..., 725457.93)" \
	"$(cat "$SITE"/*.html | grep -oE '<td>-?[0-9]+\.[0-9]{2,}</td>' | head -n 3)" ""
check_eq "sample: nor a heading in snake_case" \
	"$(cat "$SITE"/*.html | grep -oE '<th scope="col">[a-z]+_[a-z_]+</th>' | head -n 3)" ""

bought=$(sql "$DB" "SELECT count(DISTINCT session_id) FROM events WHERE event_type = 'purchase'")
f=$(csv_of "$SITE" funnel.html funnel-steps-all)
check_eq "sample: funnel buyers agree with SQL" "$(csv_value "$f" Bought)" "$bought"

# A rate's change on the overview is the difference in percentage points, from SQL: the
# 30-day conversion rate against the 30 days before.
rate_sql() {
	sql "$DB" "SELECT (SELECT count(DISTINCT session_id) FROM events WHERE event_type = 'purchase'
		AND event_time >= datetime('$end', '$1') AND event_time < datetime('$end', '$2'))
		* 1.0 / (SELECT count(DISTINCT session_id) FROM events
		WHERE event_time >= datetime('$end', '$1') AND event_time < datetime('$end', '$2'))"
}
pts=$(awk -v a="$(rate_sql '-30 days' '+0 days')" -v b="$(rate_sql '-60 days' '-30 days')" \
	'BEGIN { d = (a - b) * 100; printf "%s%.1f pts", (d >= 0 ? "+" : "\342\210\222"), (d < 0 ? -d : d) }')
shown=$(grep -A2 'kpi-label">Conversion rate' "$SITE/index-30d.html" | grep -o 'kpi-change [a-z]*">[^<]*' \
	| sed 's/.*">//; s/ $//')
check_eq "sample: the 30-day conversion rate's change is in points, as SQL has it" "$shown" "$pts"
check_eq "sample: no rate's change is given in per cent" \
	"$(grep -A2 -E 'kpi-label">(Conversion rate|Returning customers)' "$SITE"/index-*.html \
		| grep -c 'kpi-change [a-z]*">[^<]*%')" 0

missing=""
for f in $(grep -oh 'href="charts/[^"]*\.csv"' "$SITE/sales.html" "$SITE/funnel-30d.html" | cut -d'"' -f2); do
	[ -s "$SITE/$f" ] || missing="$missing $f"
done
check_eq "sample: every CSV link resolves" "$missing" ""

if file "$SITE"/charts/sales-*.png "$SITE"/charts/funnel-*.png | grep -qv 'PNG image data'; then
	not_ok "sample: every chart is a PNG"
else ok "sample: every chart is a PNG"; fi
size=$(file "$SITE"/charts/sales-top-products-all@2x.*.png | grep -o '[0-9]* x [0-9]*')
stated=$(grep -o 'sales-top-products-all@2x[^>]*width="[0-9]*" height="[0-9]*"' "$SITE/sales.html" \
	| sed -E 's/.*width="([0-9]+)" height="([0-9]+)"/\1 \2/' | awk '{ print $1 * 2 " x " $2 * 2 }')
check_eq "sample: the 2x chart is twice the stated size" "$size" "$stated"

# Building again changes nothing.
run_status st $CARTOGRAPH --db "$DB" --out "$SITE" build
check_contains "sample: a second build rewrites nothing" "$OUT" " 0 files written"

# Events that begin after the sales do: the all-time funnel says what it covers.
check_eq "sample: its events cover all its time, and the funnel says nothing of it" \
	"$(grep -c 'cover only part of this period' "$SITE/funnel.html")" 0
sql "$DB" "DELETE FROM events WHERE event_time < '2025-07-01'" >/dev/null
first=$(sql "$DB" "SELECT min(event_time) FROM events")
check "sample: a warehouse whose events begin later builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
check_contains "...and its all-time funnel says the events cover part of the period" \
	"$(grep 'class="lead"' "$SITE/funnel.html")" "The events loaded cover only part of this period: $first to"
check_eq "...while its 90-day funnel, covered whole, does not" \
	"$(grep -c 'cover only part of this period' "$SITE/funnel-90d.html")" 0

# --- real exports --------------------------------------------------------------------
if have_shared; then
	DB=$WORK/superstore.db
	SITE=$WORK/superstore
	$CARTOGRAPH --db "$DB" -q ingest "$SHARED/datasets/superstore_2016_2019.csv" >/dev/null 2>&1
	$CARTOGRAPH --db "$DB" -q clean >/dev/null 2>&1
	check "superstore builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
	f=$(csv_of "$SITE" sales.html sales-places-all)
	check_eq "superstore: one country, so revenue by region" \
		"$(tr -d '\r' <"$f" | awk -F, 'NR > 1 { print $1 }' | sort | tr '\n' ' ')" \
		"Central East South West "
	west=$(sql "$DB" "SELECT sum(i.line_total_cents) / 100.0 FROM order_items i JOIN orders o
		USING (order_id) WHERE $SALES AND o.region = 'West'")
	if near "$(csv_value "$f" West)" "$west"; then ok "superstore: West agrees with SQL"
	else not_ok "superstore: West agrees with SQL" "csv $(csv_value "$f" West), sql $west"; fi
	page=$(cat "$SITE/sales.html")
	check_contains "superstore: Tables lost money and are listed" "$page" \
		"Lost money, so not in the map: Furniture / Tables (−\$17,726)"
	check_contains "superstore: no channel, and the page says which column" "$page" \
		"<code>channel</code> column"
	f=$(csv_of "$SITE" sales.html sales-discount-margin-all)
	m80=$(csv_value "$f" 80%)
	check "superstore: lines at 80% off lose money" \
		awk -v m="$m80" 'BEGIN { exit !(m != "" && m + 0 < 0) }'
	check_contains "superstore: no events: the funnel page says how to load them" \
		"$(cat "$SITE/funnel.html")" "No web events are loaded"

	DB=$WORK/rees46.db
	SITE=$WORK/rees46
	$CARTOGRAPH --db "$DB" -q ingest "$SHARED/datasets/rees46_events_2019_10_head.csv" >/dev/null 2>&1
	$CARTOGRAPH --db "$DB" -q clean >/dev/null 2>&1
	check "rees46 builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
	f=$(csv_of "$SITE" funnel.html funnel-steps-all)
	carted=$(sql "$DB" "SELECT count(DISTINCT session_id) FROM events
		WHERE event_type IN ('cart', 'purchase')")
	check_eq "rees46: a purchase without a cart event counts as added to cart" \
		"$(csv_value "$f" 'Added to cart')" "$carted"
	check_eq "rees46: no checkout events, so no checkout step" \
		"$(csv_value "$f" 'Started checkout')" ""
	page=$(cat "$SITE/funnel.html")
	check_contains "rees46: the page says how skipped carts were counted" "$page" \
		"without an add-to-cart event; the funnel counts them as having added to cart"
	check_contains "rees46: no sales: the sales page says so" "$(cat "$SITE/sales.html")" \
		"No sales are loaded yet"
fi

finish
