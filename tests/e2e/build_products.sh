#!/bin/sh
# End-to-end tests of the Products page's stock section on the bundled sample: the
# product that runs out first and its days left agree with a sqlite3 query; a warehouse
# that knows no stock says so, with no empty table under the words.
. tests/e2e/lib.sh

DB=$WORK/sample.db
SITE=$WORK/sample
build_sample "$DB" "$SITE"
PAGE=$SITE/products.html

# The stock table's first row: product id and days left.
first_row() {
	sed -n '/id="stock-heading"/,/<\/section>/p' "$PAGE" | grep -o '<tr><td>.*</tr>' | head -n 1 \
		| sed -E 's/.*class="muted">([^<]*)<.*<td class="num">([^<]*)<\/td><\/tr>/\1 \2/'
}

want=$(sql "$DB" "WITH last AS (SELECT max(order_time) AS t FROM sales_lines),
	rate AS (SELECT product_id, sum(quantity) / 28.0 AS per_day FROM sales_lines, last
	WHERE order_time >= datetime(last.t, '-28 days') GROUP BY product_id)
	SELECT p.product_id || ' ' || CASE WHEN p.stock <= 0 THEN 'sold out'
	ELSE CAST(p.stock / r.per_day AS INTEGER) END
	FROM products p JOIN rate r USING (product_id) WHERE p.stock IS NOT NULL
	ORDER BY p.stock / r.per_day, p.product_id LIMIT 1")
check_eq "the product that runs out first, and its days left, agree with SQL" "$(first_row)" "$want"

sql "$DB" "UPDATE products SET stock = NULL" >/dev/null
check "a warehouse without stock levels builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
section=$(sed -n '/id="stock-heading"/,/<\/section>/p' "$PAGE")
check_contains "... and the page says no stock levels are known" "$section" "No stock levels are known"
check_eq "... with no empty table under the words" "$(echo "$section" | grep -c '<table')" 0

finish
