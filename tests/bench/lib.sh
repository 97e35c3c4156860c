# lib.sh: helpers for the benchmark scripts: timing a command with /usr/bin/time and
# reporting medians of repeated runs.
TMP=$(mktemp -d /tmp/cartograph-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# measure COMMAND...: prints "wall_seconds peak_rss_kb" of one run.
measure() {
	/usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >/dev/null 2>&1
	cat "$TMP/time"
}

# median: the median of the numbers on stdin, one per line.
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# report LABEL ROWS RUNS: RUNS holds "wall rss" lines; prints medians and rows/s.
report() {
	wall=$(echo "$3" | awk 'NF { print $1 }' | median)
	rss=$(echo "$3" | awk 'NF { print $2 }' | median)
	min=$(echo "$3" | awk 'NF { print $1 }' | sort -n | head -n 1)
	max=$(echo "$3" | awk 'NF { print $1 }' | sort -n | tail -n 1)
	awk -v l="$1" -v r="$2" -v w="$wall" -v m="$rss" -v lo="$min" -v hi="$max" 'BEGIN {
		printf "%s: median %.2f s (min %.2f, max %.2f), %.0f rows/s, peak RSS %.1f MB\n",
			l, w, lo, hi, (w > 0 ? r / w : 0), m / 1024 }'
}

# make_order_lines N FILE: writes N synthetic order lines (cartograph gen when it is
# built in, else a simple generator).
make_order_lines() {
	if bin/cartograph help gen >/dev/null 2>&1; then
		bin/cartograph -q gen --orders "$1" --out "$TMP/gen-$1" >/dev/null
		mv "$TMP/gen-$1/orders.csv" "$2"
		rm -rf "$TMP/gen-$1"
	else
		awk -v n="$1" 'BEGIN { print "order_id,order_date,customer_id,product_id,quantity,unit_price";
			for (i = 0; i < n; i++) printf "%d,2024-01-%02d 10:00:00,c%d,p%d,%d,%d.99\n", i / 3, i % 28 + 1, i % 50000, i % 3000, i % 7 + 1, i % 50 }' >"$2"
	fi
}
