# tally.sh: adding up "N passed, N failed" lines, sourced by tests/run.sh and
# tests/valgrind.sh. A program that prints no such line, or fails with none failed, counts
# as one failure and is named in $broken.
total_pass=0 total_fail=0 broken=""

# tally NAME STATUS LOG: adds the last summary line of LOG (NAME's output, which ended
# with STATUS) to the totals.
tally() {
	what=$1 status=$2
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$3" | tail -n 1)
	if [ -z "$line" ]; then
		broken="$broken $what"
		total_fail=$((total_fail + 1))
		printf '   (%s ended with status %d and no summary line)\n' "$what" "$status"
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$f" = 0 ] && [ "$status" != 0 ]; then
		broken="$broken $what"
		total_fail=$((total_fail + 1))
		printf '   (%s exited with status %d)\n' "$what" "$status"
	fi
}
