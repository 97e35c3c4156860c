#!/bin/sh
# Runs every libFuzzer harness in DIR for SECONDS each, from a seed corpus made of the
# bundled sample, the public data sets (when ../shared is there) and the mustache spec.
# Inputs that once crashed a harness live in tests/fuzz/regressions/HARNESS/ and are
# replayed first on every run. Prints executions per harness; exits non-zero when a
# harness finds a crash.
set -u
dir=$1 seconds=$2
cd "$(dirname "$0")/../.."
seeds=$dir/seeds
mkdir -p "$seeds/csv" "$seeds/template" "$seeds/json" "$seeds/values" "$seeds/cgi" "$seeds/chart"
n=0
for f in data/sample/*.csv ../shared/datasets/*.csv ../shared/datasets/*.tsv; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	head -c 4096 "$f" >"$seeds/csv/seed-$n"
done
printf 'a,b\n1,"2\n3"\n' >"$seeds/csv/quoted"
printf 'order_id;product_name;unit_price\n1;Caf\351;3,50 \200\n' >"$seeds/csv/cp1252"
printf '2011-12-09 08:26:00\n' >"$seeds/values/iso"
printf '11/8/2018 8:26 PM' >"$seeds/values/us"
printf '31-Jul-18' >"$seeds/values/dmon"
printf '$1,234.50' >"$seeds/values/money"
if [ -d ../shared/mustache-spec ] && command -v python3 >/dev/null; then
	python3 - "$seeds" <<'PY'
import json, os, sys, glob
out = sys.argv[1]
for i, path in enumerate(sorted(glob.glob("../shared/mustache-spec/*.json"))):
    for j, test in enumerate(json.load(open(path)).get("tests", [])):
        tpl = test.get("template", "")
        data = json.dumps(test.get("data", {}))
        open(os.path.join(out, "template", "%d-%d" % (i, j)), "w").write(tpl + "\0" + data)
        open(os.path.join(out, "json", "%d-%d" % (i, j)), "w").write(data)
PY
fi
printf '{{#a}}{{b}}{{/a}}\0{"a":[{"b":1}]}' >"$seeds/template/basic"
printf '{"a":[1,2.5,"x\\u00e9",true,null,{}]}' >"$seeds/json/basic"
printf '\001/cart/add\nn=2\nsid=abc; x=1\napplication/x-www-form-urlencoded\nproduct=P1&qty=2&csrf=x%%41' >"$seeds/cgi/post"
printf '\000/recs/product/85123A.json\nn=10\n\n\n' >"$seeds/cgi/get"
head -c 802 /dev/urandom >"$seeds/chart/random"
printf '\000\001' >"$seeds/chart/empty"

status=0
clean=0
crashed=0
printf '%-22s %12s %s\n' harness executions result
for bin in "$dir"/fuzz_*; do
	case $bin in *.d | *.log) continue ;; esac
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	case $name in
	fuzz_csv_reader) seed=csv ;;
	fuzz_parse_value) seed=values ;;
	fuzz_template) seed=template ;;
	fuzz_json) seed=json ;;
	fuzz_cgi) seed=cgi ;;
	fuzz_chart) seed=chart ;;
	*) seed=csv ;;
	esac
	corpus=$dir/corpus/$name
	mkdir -p "$corpus"
	regressions=tests/fuzz/regressions/$name
	[ -d "$regressions" ] || regressions=
	log=$dir/$name.log
	"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/$name-" "$corpus" "$seeds/$seed" $regressions >"$log" 2>&1
	rc=$?
	runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -n 1 | grep -o '[0-9]*')
	if [ $rc = 0 ]; then
		clean=$((clean + 1))
		printf '%-22s %12s clean\n' "$name" "${runs:-?}"
	else
		status=1
		crashed=$((crashed + 1))
		printf '%-22s %12s CRASH (see %s)\n' "$name" "${runs:-?}" "$log"
		grep -A 20 'ERROR\|runtime error' "$log" | head -n 30
	fi
done
echo "fuzz: $clean passed, $crashed failed"
exit $status
