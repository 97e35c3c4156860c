#!/bin/sh
# valgrind.sh: every unit test program, then every end-to-end script with bin/cartograph,
# bin/shop.cgi and site_check run under valgrind's memcheck (`make valgrind`). Each
# process writes its own log under build/valgrind/NAME/; a log that reports a memory
# error or a definite or indirect leak fails the run. Prints, for each program or script,
# its own "N passed, N failed" and valgrind's verdict, then the totals; exits non-zero
# on a failed test, a memory error or a leak.
#
# The end-to-end scripts see three programs in a temporary folder, through the variables
# they already read (CARTOGRAPH, SHOP_CGI, SITE_CHECK): small scripts that exec valgrind
# on the real program, so lighttpd's CGI and FastCGI processes are checked as well.
# CARTOGRAPH_QUICK=1 skips the checks on the public data sets (hours under valgrind);
# the browser scripts are skipped (Chromium's timeouts are not valgrind's pace), and so
# are the fault tests (kill points timed to each command's normal run).
# Needs B (the build folder of the test programs), set by the Makefile.
#
#   sh tests/valgrind.sh [NAME...]   only these (test_util, shop.sh, ...); default all
set -u
cd "$(dirname "$0")/.."
: "${B:=build/rel}"
ROOT=$PWD
case "$B" in /*) ;; *) B=$ROOT/$B ;; esac
LOGS=$ROOT/build/valgrind
if ! VALGRIND=$(command -v valgrind); then
	echo "valgrind is not installed (make deps, or apt-get install valgrind)"
	exit 2
fi
case "$ROOT" in *[!A-Za-z0-9_./-]*)
	echo "the checkout's path '$ROOT' must be plain (the scripts pass programs unquoted)"
	exit 2 ;;
esac

# --error-exitcode makes a clean-looking run fail too; --child-silent-after-fork keeps
# the moment between fork and exec of lighttpd (cartograph serve) out of the logs.
# tests/valgrind.supp, when there is one, holds suppressions for other libraries' faults.
VG_OPTS="--error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --num-callers=30 --vgdb=no --child-silent-after-fork=yes"
[ -f tests/valgrind.supp ] && VG_OPTS="$VG_OPTS --suppressions=$ROOT/tests/valgrind.supp"

TMP=$(mktemp -d /tmp/cartograph-valgrind.XXXXXX)
out=$TMP/out
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin"
rm -rf "$LOGS"
mkdir -p "$LOGS"

. tests/tally.sh
total_procs=0 total_errors=0 total_leaks=0 total_cut=0 dirty=""
started=$(date +%s)
ONLY=" $* "

# chosen NAME: 0 when NAME is to run (no names were given, or it is one of them).
chosen() {
	[ "$ONLY" = "  " ] && return 0
	case "$ONLY" in *" $1 "*) return 0 ;; esac
	return 1
}

# wrap NAME PROGRAM LOGDIR: $TMP/bin/NAME runs PROGRAM under valgrind, one log per
# process in LOGDIR. Paths are written in full: lighttpd gives CGI programs a bare
# environment.
wrap() {
	cat >"$TMP/bin/$1" <<EOF
#!/bin/sh
# $1 under valgrind's memcheck, written by tests/valgrind.sh
exec $VALGRIND $VG_OPTS --log-file=$3/$1-%p.log $2 "\$@"
EOF
	chmod +x "$TMP/bin/$1"
}

# verdict NAME DIR: reads every log in DIR, prints valgrind's verdict on NAME (and the
# seconds since item_started) and adds it to the totals. A log without its ERROR SUMMARY
# is of a process killed on purpose (kill -9 tests): counted apart, not as a failure.
verdict() {
	what=$1 dir=$2
	procs=0 errors=0 leaks=0 cut=0 bad=""
	for log in "$dir"/*.log; do
		[ -f "$log" ] || continue
		if ! grep -q "ERROR SUMMARY:" "$log"; then
			cut=$((cut + 1))
			continue
		fi
		procs=$((procs + 1))
		e=0
		if grep -q -E "ERROR SUMMARY: [1-9]" "$log"; then errors=$((errors + 1)); e=1; fi
		if grep -q -E "(definitely|indirectly) lost: [1-9]" "$log"; then leaks=$((leaks + 1)); e=1; fi
		[ $e = 0 ] || bad="$bad $log"
	done
	total_procs=$((total_procs + procs))
	total_errors=$((total_errors + errors))
	total_leaks=$((total_leaks + leaks))
	total_cut=$((total_cut + cut))
	note=" ($(($(date +%s) - item_started)) s)"
	[ $cut = 0 ] || note=" ($cut killed before valgrind's summary)$note"
	if [ -z "$bad" ]; then
		echo "   valgrind: $procs processes, clean$note"
		return
	fi
	dirty="$dirty $what"
	echo "   valgrind: $procs processes, $errors with errors (leaks included), $leaks leaking$note"
	for log in $bad; do
		echo "   --- ${log#"$ROOT"/}"
		grep -v -E "^==[0-9]+== *$" "$log" | sed -n '/Command:/,$p' | sed -n '2,40p' | sed 's/^/   /'
	done
}

# --- unit tests ---------------------------------------------------------------------
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	chosen "$name" || continue
	mkdir -p "$LOGS/$name"
	printf '== %s\n' "$name"
	item_started=$(date +%s)
	# shellcheck disable=SC2086 # VG_OPTS is a list of options
	$VALGRIND $VG_OPTS --log-file="$LOGS/$name/$name-%p.log" "$t" >"$out" 2>&1
	status=$?
	grep -E '^FAIL|^    |^[0-9]+ passed, [0-9]+ failed' "$out"
	tally "$name" "$status" "$out"
	verdict "$name" "$LOGS/$name"
done

# --- end-to-end scripts ---------------------------------------------------------------
for t in tests/e2e/*.sh; do
	name=$(basename "$t" .sh)
	[ "$name" = lib ] && continue
	chosen "$name.sh" || continue
	printf '== %s.sh\n' "$name"
	case "$name" in
	*browser*)
		echo "skip: a browser test: not run under valgrind (make test runs it)"
		continue ;;
	faults)
		echo "skip: kill points timed to each command's own run: not run under valgrind" \
			"(make test runs it)"
		continue ;;
	esac
	mkdir -p "$LOGS/$name"
	item_started=$(date +%s)
	wrap cartograph "$ROOT/bin/cartograph" "$LOGS/$name"
	wrap shop.cgi "$ROOT/bin/shop.cgi" "$LOGS/$name"
	wrap site_check "$B/tools/site_check" "$LOGS/$name"
	CARTOGRAPH=$TMP/bin/cartograph SHOP_CGI=$TMP/bin/shop.cgi SITE_CHECK=$TMP/bin/site_check \
		CARTOGRAPH_QUICK=1 B=$B sh "$t" >"$out" 2>&1
	status=$?
	grep -E '^FAIL|^    |^skip|^[0-9]+ passed, [0-9]+ failed' "$out"
	tally "$name.sh" "$status" "$out"
	verdict "$name.sh" "$LOGS/$name"
done

elapsed=$(($(date +%s) - started))
[ -z "$broken" ] || echo "broken:$broken"
[ -z "$dirty" ] || echo "memory errors or leaks in:$dirty (logs in build/valgrind/)"
echo "valgrind: $total_procs processes checked, $total_errors with errors (leaks included)," \
	"$total_leaks leaking, $total_cut killed before their summary;" \
	"$((elapsed / 60)) min $((elapsed % 60)) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] && [ -z "$dirty" ]
