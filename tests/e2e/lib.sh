# lib.sh: helpers for the end-to-end tests, sourced by each tests/e2e/*.sh.
# Each check prints "ok" or "FAIL" with its story; finish prints "N passed, N failed"
# and sets the exit status.
CARTOGRAPH=${CARTOGRAPH:-$PWD/bin/cartograph}
SHOP_CGI=${SHOP_CGI:-$PWD/bin/shop.cgi}
SHARED=${SHARED:-$PWD/../shared}
PASSED=0
FAILED=0
WORK=$(mktemp -d /tmp/cartograph-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

ok() { PASSED=$((PASSED + 1)); echo "ok   $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '    %s\n' "$2"; }

# check STORY COMMAND...: passes when the command exits 0.
check() {
	story=$1; shift
	if out=$("$@" 2>&1); then ok "$story"; else not_ok "$story" "$(echo "$out" | tail -n 5)"; fi
}

# check_eq STORY GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

# check_contains STORY TEXT NEEDLE
check_contains() {
	case "$2" in
	*"$3"*) ok "$1" ;;
	*) not_ok "$1" "'$3' not in: $(echo "$2" | head -c 600)" ;;
	esac
}

# run_status VAR COMMAND...: runs the command, stdout+stderr into $OUT, status into VAR.
run_status() {
	var=$1; shift
	OUT=$("$@" 2>&1)
	eval "$var=\$?"
}

# sql DB QUERY: one value from a SQLite database.
sql() { sqlite3 -batch -noheader "$1" "$2"; }

# The state of a warehouse in one line: row counts and integrity, to compare before
# and after a failed command.
db_state() {
	sqlite3 -batch -noheader "$1" "PRAGMA integrity_check;
		SELECT count(*) FROM ingest_runs; SELECT count(*) FROM ingest_rejects;
		SELECT count(*) FROM raw_order_lines; SELECT count(*) FROM raw_products;
		SELECT count(*) FROM raw_customers; SELECT count(*) FROM raw_reviews;
		SELECT count(*) FROM raw_events;" | tr '\n' ' '
}

# The files of a folder with inode, mtime and size, reserved ones included: to compare
# before and after a failed command.
folder_state() { (cd "$1" && find . -type f -printf '%P %i %T@ %s\n' | LC_ALL=C sort); }

# have_shared: 0 when the public data sets are there and CARTOGRAPH_QUICK is not set
# (tests/valgrind.sh sets it: those checks would take hours under valgrind).
have_shared() {
	if [ -n "${CARTOGRAPH_QUICK:-}" ]; then
		echo "skip: CARTOGRAPH_QUICK is set: the real-data checks are skipped"
		return 1
	fi
	if [ -d "$SHARED/datasets" ]; then return 0; fi
	echo "skip: $SHARED/datasets is absent: the real-data checks are skipped"
	return 1
}

# build_sample DB SITE: the bundled sample ingested, cleaned and modelled into DB, then
# built into SITE (a check).
build_sample() {
	$CARTOGRAPH --db "$1" -q ingest data/sample/*.csv >/dev/null 2>&1
	$CARTOGRAPH --db "$1" -q clean >/dev/null 2>&1
	$CARTOGRAPH --db "$1" -q model >/dev/null 2>&1
	check "the sample builds" $CARTOGRAPH --db "$1" --out "$2" -q build
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}
