#!/bin/sh
# Clean benchmarks: wall time, CPU time and peak RSS of `cartograph clean`, median of
# five runs on the same warehouse (each run is a full rebuild of the typed tables).
# CPU time (user + system) is shown beside wall time: on a shared machine the wall
# clock also measures everyone else's work.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

bench_clean() { # LABEL DB ROWS
	label=$1 db=$2 rows=$3
	runs="" cpu=""
	for i in 1 2 3 4 5; do
		/usr/bin/time -f '%e %M %U %S' -o "$TMP/time" bin/cartograph --db "$db" -q clean >/dev/null 2>&1
		runs="$runs
$(awk '{ print $1, $2 }' "$TMP/time")"
		cpu="$cpu
$(awk '{ print $3 + $4 }' "$TMP/time")"
	done
	report "$label" "$rows" "$runs"
	echo "$cpu" | awk 'NF' | median | awk -v l="$label" '{ printf "%s: median CPU (user + system) %.2f s\n", l, $1 }'
}

if [ -f ../shared/datasets/online_retail.csv.gz ]; then
	bin/cartograph --db "$TMP/or.db" -q ingest ../shared/datasets/online_retail.csv.gz
	bench_clean "clean Online Retail (541,909 lines)" "$TMP/or.db" 541909
else
	echo "skip: ../shared/datasets is absent: no Online Retail figures"
fi

make_order_lines 1000000 "$TMP/lines.csv"
bin/cartograph --db "$TMP/gen.db" -q ingest "$TMP/lines.csv"
rm -f "$TMP/lines.csv"
bench_clean "clean 1000000 generated order lines" "$TMP/gen.db" 1000000
