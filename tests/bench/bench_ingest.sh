#!/bin/sh
# Ingest benchmarks: wall time, rows/s and peak RSS of `cartograph ingest`, median of
# five runs into a fresh warehouse each time. Memory must stay flat as files grow.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

bench_ingest() { # LABEL FILE ROWS
	label=$1 file=$2 rows=$3
	runs=""
	for i in 1 2 3 4 5; do
		rm -f "$TMP/w.db" "$TMP/w.db-wal" "$TMP/w.db-shm"
		runs="$runs
$(measure bin/cartograph --db "$TMP/w.db" -q ingest "$file")"
	done
	report "$label" "$rows" "$runs"
}

if [ -f ../shared/datasets/online_retail.csv.gz ]; then
	bench_ingest "ingest Online Retail (541,909 lines, gzip)" \
		../shared/datasets/online_retail.csv.gz 541909
else
	echo "skip: ../shared/datasets is absent: no Online Retail figures"
fi

for n in 1000000 10000000; do
	make_order_lines "$n" "$TMP/lines-$n.csv"
	bench_ingest "ingest $n generated order lines" "$TMP/lines-$n.csv" "$n"
	rm -f "$TMP/lines-$n.csv"
done
