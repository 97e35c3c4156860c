#!/bin/sh
# Benchmarks of the review and recommendation models: `cartograph model sentiment`
# (reviews per second, on the Alexa reviews copied 30 times), `cartograph model recs` on
# Online Retail (median of five runs; the target is under a second) and on 1 million
# and 10 million generated order lines (time and peak RSS). The typed tables come from
# `cartograph clean` when it is built, else from a plain SQL copy of the raw rows.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
D=../shared/datasets

# stand_in_clean DB: fills the typed tables from the raw ones without clean's rules
# beyond the few the models rely on (cancellations, non-product codes, bad lines).
stand_in_clean() {
	sqlite3 -batch "$1" <<'EOF'
BEGIN;
DELETE FROM order_items; DELETE FROM orders; DELETE FROM products; DELETE FROM reviews;
INSERT INTO orders (order_id, customer_id, order_time, status)
  SELECT order_id, nullif(replace(max(customer_id), '.0', ''), ''), min(order_date),
         CASE WHEN order_id LIKE 'C%' THEN 'cancelled' ELSE 'completed' END
  FROM raw_order_lines GROUP BY order_id;
INSERT OR IGNORE INTO order_items (order_id, line_no, product_id, quantity,
    unit_price_cents, line_total_cents, flags)
  SELECT order_id, line, product_id, CAST(quantity AS INTEGER),
         CAST(round(unit_price * 100) AS INTEGER),
         CAST(round(quantity * unit_price * 100) AS INTEGER),
         CAST(quantity AS INTEGER) <= 0 OR CAST(unit_price AS REAL) <= 0
  FROM raw_order_lines
  WHERE product_id NOT IN ('POST', 'DOT', 'M', 'm', 'D', 'C2', 'BANK CHARGES', 'AMAZONFEE',
                           'CRUK', 'PADS', 'B', 'S');
INSERT INTO products (product_id, name)
  SELECT product_id, coalesce(max(product_name), product_id) FROM raw_order_lines
  WHERE product_id NOT IN ('POST', 'DOT', 'M', 'm', 'D', 'C2', 'BANK CHARGES', 'AMAZONFEE',
                           'CRUK', 'PADS', 'B', 'S')
  GROUP BY product_id;
INSERT INTO reviews (review_id, product_id, rating, body)
  SELECT run_id || '-' || line, product_id, CAST(rating AS INTEGER), body FROM raw_reviews;
COMMIT;
EOF
}

# load DB FILE...: ingest, then clean (or the stand-in).
load() {
	db=$1; shift
	rm -f "$db" "$db-wal" "$db-shm"
	bin/cartograph --db "$db" -q ingest "$@" >/dev/null 2>&1 || return 1
	if bin/cartograph help clean >/dev/null 2>&1; then
		bin/cartograph --db "$db" -q clean >/dev/null 2>&1
	else
		stand_in_clean "$db"
	fi
}

# bench_model LABEL DB STEP UNITS RUNS: median wall and CPU seconds (user + system: on a
# busy machine the wall clock waits for other programs), units per wall second, peak RSS.
bench_model() {
	label=$1 db=$2 step=$3 units=$4 n=$5
	runs=""
	i=0
	while [ "$i" -lt "$n" ]; do
		/usr/bin/time -f '%e %U %S %M' -o "$TMP/time" \
			bin/cartograph --db "$db" -q model "$step" >/dev/null 2>&1
		runs="$runs
$(awk '{ print $1, $2 + $3, $4 }' "$TMP/time")"
		i=$((i + 1))
	done
	wall=$(echo "$runs" | awk 'NF { print $1 }' | median)
	cpu=$(echo "$runs" | awk 'NF { print $2 }' | median)
	rss=$(echo "$runs" | awk 'NF { print $3 }' | median)
	awk -v l="$label" -v u="$units" -v w="$wall" -v c="$cpu" -v m="$rss" -v n="$n" 'BEGIN {
		printf "%s: median of %d: %.2f s wall, %.2f s CPU, %.0f per second, peak RSS %.1f MB\n",
			l, n, w, c, (w > 0 ? u / w : 0), m / 1024 }'
}

bin/cartograph help clean >/dev/null 2>&1 ||
	echo "note: cartograph clean is not built: typed tables filled by a SQL stand-in"

if [ -f "$D/amazon_alexa_reviews.tsv" ]; then
	load "$TMP/alexa.db" "$D/amazon_alexa_reviews.tsv"
	# 30 copies of every review, under new ids, so the timing is of scoring, not start-up
	sqlite3 -batch "$TMP/alexa.db" "INSERT INTO reviews (review_id, product_id, rating, title, body, review_date)
		SELECT r.review_id || '/' || n.value, r.product_id, r.rating, r.title, r.body || ' ' || n.value, r.review_date
		FROM reviews r, generate_series(1, 29) n" 2>/dev/null ||
	sqlite3 -batch "$TMP/alexa.db" "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 29)
		INSERT INTO reviews (review_id, product_id, rating, title, body, review_date)
		SELECT r.review_id || '/' || n.value, r.product_id, r.rating, r.title, r.body || ' ' || n.value, r.review_date
		FROM reviews r, n"
	reviews=$(sqlite3 -batch -noheader "$TMP/alexa.db" "SELECT count(*) FROM reviews")
	bench_model "model sentiment, Alexa reviews x30 ($reviews reviews, learned model trained)" \
		"$TMP/alexa.db" sentiment "$reviews" 5
	rm -f "$TMP/alexa.db"*
else
	echo "skip: $D is absent: no sentiment figures on the Alexa reviews"
fi

if [ -f "$D/online_retail.csv.gz" ]; then
	load "$TMP/retail.db" "$D/online_retail.csv.gz"
	lines=$(sqlite3 -batch -noheader "$TMP/retail.db" "SELECT count(*) FROM order_items")
	bench_model "model recs, Online Retail ($lines order lines; evaluation included)" \
		"$TMP/retail.db" recs "$lines" 5
	bin/cartograph --db "$TMP/retail.db" model recs | grep -E "done in|times as many"
	rm -f "$TMP/retail.db"*
else
	echo "skip: $D is absent: no Online Retail figures"
fi

for n in 1000000 10000000; do
	make_order_lines "$n" "$TMP/lines-$n.csv"
	load "$TMP/gen.db" "$TMP/lines-$n.csv"
	rm -f "$TMP/lines-$n.csv"
	runs=1
	[ "$n" -le 1000000 ] && runs=3
	bench_model "model recs, $n generated order lines" "$TMP/gen.db" recs "$n" "$runs"
	bin/cartograph --db "$TMP/gen.db" model recs | grep -E "^recs: [0-9]|done in"
	rm -f "$TMP/gen.db"*
done
