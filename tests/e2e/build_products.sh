#!/bin/sh
# End-to-end tests of the Products page on the bundled sample: the product that runs
# out first and its days left agree with a sqlite3 query; a warehouse that knows no
# stock says so, with no empty table under the words; a long review to act on is cut
# at a word's end with an ellipsis, and its rating is told once.
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

# A long one-star review, alone in the warehouse, so it is the review to act on.
long="Terrible. The handle broke on the first day and the glaze came off in the wash"
long="$long, and the shop never answered my three emails about it, which is why I am"
long="$long writing this here for others to read before they buy the same mug again,"
long="$long because nobody should have to spend an evening chasing a refund like this."
sql "$DB" "INSERT INTO reviews (review_id, product_id, rating, body, review_date)
	SELECT 'long', product_id, 1, '$long', (SELECT max(review_date) FROM reviews)
	FROM products ORDER BY product_id LIMIT 1;
	DELETE FROM reviews WHERE review_id <> 'long'" >/dev/null
$CARTOGRAPH --db "$DB" -q model sentiment >/dev/null 2>&1
check "the sample with a long review builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
quote=$(grep -o '<blockquote>Terrible[^<]*</blockquote>' "$PAGE")
cut=$(echo "$quote" | sed 's/<blockquote>//; s/<\/blockquote>//')
check_eq "a long review shows its start, cut after a whole word, with an ellipsis" \
	"$(echo "$cut" | grep -c 'an evening chasing…$')" 1
check_eq "...which is the review's own start" \
	"$(case "$long" in "${cut%…}"*) echo yes ;; *) echo no ;; esac)" yes
meta=$(grep -B1 '<blockquote>Terrible' "$PAGE" | grep -o 'review-meta">.*' | head -n 1)
check_eq "its one star is told once, in the singular" \
	"$(echo "$meta" | grep -o '[0-9] stars*' | tr '\n' ' ')" "1 star "
check_eq "no rating reads '1 stars' anywhere on the page" "$(grep -c '1 stars' "$PAGE")" 0

sql "$DB" "UPDATE products SET stock = NULL" >/dev/null
check "a warehouse without stock levels builds" $CARTOGRAPH --db "$DB" --out "$SITE" -q build
section=$(sed -n '/id="stock-heading"/,/<\/section>/p' "$PAGE")
check_contains "... and the page says no stock levels are known" "$section" "No stock levels are known"
check_eq "... with no empty table under the words" "$(echo "$section" | grep -c '<table')" 0

finish
