#!/bin/sh
# Build benchmarks: the whole job from CSV to finished site (ingest, clean, model,
# build) on Online Retail, with each stage's time and peak RSS, and the same job as one
# `cartograph run` (which overlaps model and build); then rebuilds of that
# site: with nothing changed (the build stamp shows there is nothing to do), forced to
# render with nothing changed (stamp removed: every chart's PNG taken from the chart
# cache), with one value changed, and forced with the chart cache removed too (every
# chart drawn), each the median of five runs with the files written. The same rebuild figures for the bundled sample.
# CPU time (user + system) is shown beside wall time: on a shared machine the wall
# clock also measures everyone else's work.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
RUNS=${RUNS:-5}

# timed LABEL COMMAND...: runs the command once under /usr/bin/time; appends
# "wall rss cpu written" to $TMP/LABEL (written: the files a build wrote, else "-").
timed() {
	label=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$@" >"$TMP/last" 2>&1
	written=$(sed -n -E 's/.*: ([0-9]+) files written.*/\1/p' "$TMP/last")
	awk -v f="${written:--}" '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, f }' "$TMP/time" >>"$TMP/$label"
}

# summary TITLE LABEL: the medians of the runs recorded under LABEL.
summary() {
	wall=$(awk '{ print $1 }' "$TMP/$2" | median)
	rss=$(awk '{ print $2 }' "$TMP/$2" | median)
	cpu=$(awk '{ print $3 }' "$TMP/$2" | median)
	written=$(awk '{ print $4 }' "$TMP/$2" | sort -u | tr '\n' '/' | sed 's|/$||')
	awk -v t="$1" -v w="$wall" -v c="$cpu" -v m="$rss" -v f="$written" -v n="$(wc -l <"$TMP/$2")" 'BEGIN {
		printf "%s: median of %d: %.2f s wall, %.2f s CPU, peak RSS %.1f MB", t, n, w, c, m / 1024
		if (f != "-") printf ", %s files written", f
		printf "\n" }'
}

# rebuilds NAME DB OUT: the rebuild figures of a built site.
rebuilds() {
	name=$1 db=$2 out=$3
	for i in $(seq $RUNS); do
		timed "$name-same" bin/cartograph --db "$db" --shop-db "${db%.db}-shop.db" --out "$out" -v build
	done
	summary "$name: rebuild, nothing changed" "$name-same"
	for i in $(seq $RUNS); do
		rm -f "$out/.cartograph-build"
		timed "$name-forced" bin/cartograph --db "$db" --shop-db "${db%.db}-shop.db" --out "$out" -v build
	done
	summary "$name: rebuild forced (stamp removed), nothing changed" "$name-forced"
	for i in $(seq $RUNS); do
		sqlite3 "$db" "UPDATE order_items SET line_total_cents = line_total_cents + 100
			WHERE (order_id, line_no) = (SELECT i.order_id, i.line_no FROM order_items i
				JOIN orders o USING (order_id) WHERE i.flags = 0 AND o.status = 'completed'
				ORDER BY o.order_time DESC, i.order_id, i.line_no LIMIT 1)"
		timed "$name-one" bin/cartograph --db "$db" --shop-db "${db%.db}-shop.db" --out "$out" -v build
	done
	summary "$name: rebuild, one order line's amount changed" "$name-one"
	for i in $(seq $RUNS); do
		rm -f "$out/.cartograph-charts" "$out/.cartograph-build"
		timed "$name-nocache" bin/cartograph --db "$db" --shop-db "${db%.db}-shop.db" --out "$out" -v build
	done
	summary "$name: rebuild forced, nothing changed, chart cache removed" "$name-nocache"
}

if [ -f ../shared/datasets/online_retail.csv.gz ]; then
	# Each run into folders of its own, deleted only at the end: on an ext4 without a
	# journal, files created within a minute of many deletions wait for the freed
	# inodes to age (see the README's Speed section), which would time the disk.
	for i in 1 2 3; do
		or=$TMP/or$i
		timed or-ingest bin/cartograph --db "$or.db" -q ingest ../shared/datasets/online_retail.csv.gz
		timed or-clean bin/cartograph --db "$or.db" -q clean
		timed or-model bin/cartograph --db "$or.db" -q model
		timed or-build bin/cartograph --db "$or.db" --shop-db "$or-shop.db" --out "$or-site" -v build
	done
	for stage in ingest clean model build; do
		summary "Online Retail (541,909 lines) from CSV: $stage" "or-$stage"
	done
	paste -d ' ' "$TMP/or-ingest" "$TMP/or-clean" "$TMP/or-model" "$TMP/or-build" |
		awk '{ w = $1 + $5 + $9 + $13; c = $3 + $7 + $11 + $15;
			m = $2; if ($6 > m) m = $6; if ($10 > m) m = $10; if ($14 > m) m = $14;
			print w, c, m }' >"$TMP/or-total"
	wall=$(awk '{ print $1 }' "$TMP/or-total" | median)
	cpu=$(awk '{ print $2 }' "$TMP/or-total" | median)
	rss=$(awk '{ print $3 }' "$TMP/or-total" | sort -n | tail -n 1)
	awk -v w="$wall" -v c="$cpu" -v m="$rss" 'BEGIN {
		printf "Online Retail from CSV to finished site, the four commands one after the other: median of 3: %.2f s wall, %.2f s CPU, peak RSS %.1f MB (the largest stage)\n",
			w, c, m / 1024 }'
	for i in 1 2 3; do
		timed or-run bin/cartograph --db "$TMP/run$i.db" --shop-db "$TMP/run$i-shop.db" \
			--out "$TMP/run$i-site" -q run ../shared/datasets/online_retail.csv.gz
	done
	summary "Online Retail from CSV to finished site with cartograph run (the models run beside the first pages)" or-run
	rebuilds "Online Retail" "$TMP/or3.db" "$TMP/or3-site"
else
	echo "skip: ../shared/datasets is absent: no Online Retail figures"
fi

bin/cartograph --db "$TMP/sample.db" -q ingest data/sample/*.csv >/dev/null 2>&1
bin/cartograph --db "$TMP/sample.db" -q clean >/dev/null 2>&1
bin/cartograph --db "$TMP/sample.db" -q model >/dev/null 2>&1
timed sample-first bin/cartograph --db "$TMP/sample.db" --shop-db "$TMP/sample-shop.db" --out "$TMP/sample-site" -v build
summary "sample (20,000 lines): first build" sample-first
rebuilds sample "$TMP/sample.db" "$TMP/sample-site"
