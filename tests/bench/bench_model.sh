#!/bin/sh
# Model benchmarks: wall time and peak RSS of `cartograph model all` (and of each step
# once) on Online Retail and on a generated shop of BENCH_MODEL_LINES order lines
# (default 10M), medians of BENCH_RUNS runs (default 5). Needs `cartograph clean` to fill
# the typed tables; says so and stops when it is not built.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
LINES=${BENCH_MODEL_LINES:-10000000}
RUNS=${BENCH_RUNS:-5}

# bench_models LABEL DB: `model all` RUNS times, then each step once.
bench_models() {
	label=$1 db=$2
	runs=""
	for i in $(seq "$RUNS"); do
		runs="$runs
$(measure bin/cartograph --db "$db" -q model all)"
	done
	wall=$(echo "$runs" | awk 'NF { print $1 }' | median)
	rss=$(echo "$runs" | awk 'NF { print $2 }' | median)
	awk -v l="$label" -v w="$wall" -v m="$rss" -v r="$RUNS" 'BEGIN {
		printf "%s: model all: median %.2f s of %d runs, peak RSS %.1f MB\n", l, w, r, m / 1024 }'
	for step in cohorts segments churn customers anomalies prices; do
		set -- $(measure bin/cartograph --db "$db" -q model "$step")
		awk -v l="$label" -v s="$step" -v w="$1" -v m="$2" 'BEGIN {
			printf "%s:   %-10s %.2f s, peak RSS %.1f MB\n", l, s, w, m / 1024 }'
	done
}

if ! bin/cartograph help clean >/dev/null 2>&1; then
	echo "skip: cartograph clean is not built yet: no warehouse to model"
	exit 0
fi

if [ -f ../shared/datasets/online_retail.csv.gz ]; then
	bin/cartograph --db "$TMP/retail.db" -q ingest ../shared/datasets/online_retail.csv.gz
	bin/cartograph --db "$TMP/retail.db" -q clean
	bench_models "Online Retail (541,909 lines)" "$TMP/retail.db"
	rm -f "$TMP"/retail.db*
else
	echo "skip: ../shared/datasets is absent: no Online Retail figures"
fi

if bin/cartograph help gen >/dev/null 2>&1; then
	bin/cartograph -q gen --orders "$LINES" --out "$TMP/gen"
	bin/cartograph --db "$TMP/gen.db" -q ingest "$TMP/gen/orders.csv" "$TMP/gen/products.csv" \
		"$TMP/gen/customers.csv"
	rm -rf "$TMP/gen"
	bin/cartograph --db "$TMP/gen.db" -q clean
	bench_models "generated shop ($LINES lines)" "$TMP/gen.db"
else
	echo "skip: cartograph gen is not built: no generated-shop figures"
fi
