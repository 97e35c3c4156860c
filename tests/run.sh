#!/bin/sh
# Runs every unit test binary and every end-to-end script, adds up their
# "N passed, N failed" lines, and ends with the total on one line.
# Needs B (the build folder of the test binaries), set by the Makefile.
set -u
cd "$(dirname "$0")/.."
: "${B:=build/rel}"
total_pass=0 total_fail=0 broken=""
log=$(mktemp)
run_one() {
	name=$1; shift
	printf '== %s\n' "$name"
	"$@" >"$log" 2>&1
	status=$?
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		broken="$broken $name"
		total_fail=$((total_fail + 1))
		printf '   (%s ended with status %d and no summary line)\n' "$name" "$status"
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$f" = 0 ] && [ "$status" != 0 ]; then
		broken="$broken $name"
		total_fail=$((total_fail + 1))
		printf '   (%s exited with status %d)\n' "$name" "$status"
	fi
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
