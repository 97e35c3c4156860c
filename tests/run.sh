#!/bin/sh
# Runs every unit test binary and every end-to-end script, adds up their
# "N passed, N failed" lines, and ends with the total on one line.
# Needs B (the build folder of the test binaries), set by the Makefile.
set -u
cd "$(dirname "$0")/.."
: "${B:=build/rel}"
. tests/tally.sh
log=$(mktemp)
run_one() {
	name=$1; shift
	printf '== %s\n' "$name"
	"$@" >"$log" 2>&1
	status=$?
	cat "$log"
	tally "$name" "$status" "$log"
}
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in tests/e2e/*.sh; do
	[ "$(basename "$t")" = lib.sh ] && continue
	[ -f "$t" ] || continue
	run_one "$(basename "$t")" sh "$t"
done
rm -f "$log"
[ -z "$broken" ] || echo "broken:$broken"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
