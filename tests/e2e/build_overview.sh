#!/bin/sh
# End-to-end tests of the overview's key figures on the bundled sample: the change in
# unusual days is the difference of two counts, as SQL has them; a period whose span
# before it the data does not cover whole shows no changes and says why, while the
# shorter periods keep theirs. The unusual days are the sample's sales and Christmas.
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
# The sample's generator plants eight sale days (2.4 to 3.6 times the orders) and an
# afternoon's outage; their order sizes vary enough to hide most sales in the revenue.
check_eq "the unusual days are seven of the eight sales and Christmas Day" \
	"$(sql "$DB" "SELECT group_concat(day || ' ' || direction, ', ') FROM
		(SELECT day, direction FROM daily_sales WHERE flagged = 1 ORDER BY day)")" \
	"2024-03-21 up, 2024-07-16 up, 2024-11-29 up, 2024-12-02 up, 2025-03-20 up, 2025-11-28 up, 2025-12-01 up, 2025-12-25 down"
check_eq "...the sales found by their orders against the same weekday" \
	"$(sql "$DB" "SELECT count(*) FROM daily_sales WHERE flagged = 1 AND abs(orders_z) >= 3.5
		AND orders > 2 * orders_baseline")" 7
check_eq "the overview's card counts them" \
	"$(grep -A1 'kpi-label">Unusual days' "$SITE/index.html" | grep -o 'kpi-value">[0-9]*' | sed 's/.*>//')" 8
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
