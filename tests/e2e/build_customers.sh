#!/bin/sh
# End-to-end tests of the Customers page on the bundled sample: the value tiers, the
# k-means clusters (size and the share of their main segment), the best customers and
# the risk list's count agree with sqlite3 queries on the model tables, every count of
# a thousand or more is written with its thousands separator, and a risk model that
# ranks hardly better than chance comes with a caution.
. tests/e2e/lib.sh

DB=$WORK/sample.db
SITE=$WORK/sample
build_sample "$DB" "$SITE"
PAGE=$SITE/customers.html

# cells LABEL: the cells of the table row whose first cell is LABEL, one per line.
cells() {
	grep -o "<tr><td[^>]*>$1</td>.*</tr>" "$PAGE" | head -n 1 | sed 's/<\/td>/\n/g' \
		| sed 's/<[^>]*>//g' | sed '/^$/d'
}
# thousands N: N with a comma every three digits.
thousands() { printf '%s' "$1" | sed -E ':a; s/^([0-9]+)([0-9]{3})/\1,\2/; ta'; }

for tier in High Medium Low; do
	n=$(sql "$DB" "SELECT count(*) FROM customer_rfm WHERE value_tier = '$tier'")
	check_eq "the $tier value tier counts its customers as SQL does" \
		"$(cells "$tier" | sed -n 2p)" "$(thousands "$n")"
done

# Clusters: number, customers, days, orders, spend, main segment with its share.
row=$(sql "$DB" "SELECT c.customers || '|' || c.main_segment || ' (' ||
	printf('%.0f', 100.0 * (SELECT count(*) FROM customer_rfm r WHERE r.cluster = c.cluster
	AND r.segment = c.main_segment) / c.customers) || '% of them)'
	FROM rfm_clusters c WHERE c.cluster = 0")
got=$(cells 1 | sed -n '2p;6p' | tr '\n' '|' | sed 's/|$//')
check_eq "the first cluster's size and main segment's share agree with SQL" "$got" \
	"$(thousands "${row%%|*}")|${row#*|}"
check_eq "no cluster's spend is written without its currency" \
	"$(grep -c ' spent<' "$PAGE")" 0

top=$(sql "$DB" "SELECT customer_id || '|' || orders FROM customer_360
	ORDER BY lifetime_value_cents DESC, customer_id LIMIT 1")
check_eq "the best customer and their orders agree with SQL" \
	"$(cells "${top%%|*}" | sed -n '1,2p' | tr '\n' '|' | sed 's/|$//')" \
	"${top%%|*}|$(thousands "${top#*|}")"

scored=$(sql "$DB" "SELECT count(*) FROM churn_scores")
over=$(sql "$DB" "SELECT sum(risk > 0.5) FROM churn_scores")
check_contains "the risk list says how many of how many, as SQL counts them" "$(cat "$PAGE")" \
	"$(thousands "$over") of $(thousands "$scored") active customers"
check_eq "no table cell holds a bare count of four digits or more" \
	"$(grep -oE '<td class="num">[0-9]{4,}</td>' "$PAGE" | head -n 3)" ""

model=$(sql "$DB" "SELECT model FROM churn_scores LIMIT 1")
check_eq "the sample's risk model ranks well enough: no caution" "$(grep -c 'class="caution"' "$PAGE")" 0
sql "$DB" "UPDATE model_metrics SET value = 0.523 WHERE model = '$model' AND metric = 'roc_auc'" >/dev/null
check "a warehouse whose risk model is weak builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
check_contains "...and its risk list says to read it with care, with the model's ROC AUC" \
	"$(grep 'class="caution"' "$PAGE")" "<code>$model</code> told the customers who left from those who stayed hardly better than a coin toss (ROC AUC 0.52,"

finish
