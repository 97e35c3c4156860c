#!/bin/sh
# End-to-end tests of the overview's key figures on the bundled sample: the change in
# unusual days is the difference of two counts, as SQL has them; a period whose span
# before it the data does not cover whole shows no changes and says why, while the
# shorter periods keep theirs.
. tests/e2e/lib.sh

DB=$WORK/sample.db
SITE=$WORK/sample
build_sample "$DB" "$SITE"

# change PAGE LABEL: the change shown on the card of LABEL.
change() {
	grep -A2 "kpi-label\">$2</span>" "$SITE/$1" | grep -o 'kpi-change [a-z]*">[^<]*' \
		| sed 's/.*">//; s/ $//'
}
end=$(sql "$DB" "SELECT datetime(date(max(o.order_time)), '+1 day') FROM orders o
	JOIN order_items i USING (order_id) WHERE o.status = 'completed' AND i.flags = 0")
flagged() {
	sql "$DB" "SELECT count(*) FROM daily_sales WHERE flagged = 1
		AND day >= date('$end', '$1') AND day < date('$end', '$2')"
}
diff=$(( $(flagged '-30 days' '+0 days') - $(flagged '-60 days' '-30 days') ))
want=$(awk -v d="$diff" 'BEGIN { printf "%s%d", (d >= 0 ? "+" : "\342\210\222"), (d < 0 ? -d : d) }')
check_eq "the 30-day change in unusual days is the difference of the counts" \
	"$(change index-30d.html 'Unusual days')" "$want"
check_eq "the sample's data covers the year before the last: the 365-day page compares" \
	"$(grep -c 'No changes shown' "$SITE/index-365d.html")" 0

# Without the first half year of sales, the year before the last is not covered whole.
sql "$DB" "DELETE FROM order_items WHERE order_id IN
	(SELECT order_id FROM orders WHERE order_time < '2024-07-01');
	DELETE FROM orders WHERE order_time < '2024-07-01';" >/dev/null
check "a warehouse whose sales begin later builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
check_eq "...its 365-day page shows no change" "$(grep -c 'kpi-change' "$SITE/index-365d.html")" 0
check_contains "...and says why" "$(cat "$SITE/index-365d.html")" \
	"No changes shown: the data begins on 2024-07-01, so it does not cover the 365 days before"
check_eq "...while the 90-day page, covered, still compares" \
	"$(change index-90d.html Revenue | grep -c '%$')" 1

finish
