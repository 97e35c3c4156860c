#!/bin/sh
# Runs every benchmark: the compiled bench_* programs, then the bench_*.sh scripts.
# Benchmarks print figures; they do not pass or fail on time.
set -u
cd "$(dirname "$0")/../.."
: "${B:=build/rel}"
for b in "$B"/bench/bench_*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b"
done
for s in tests/bench/bench_*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s")"
	sh "$s"
done
