#!/bin/sh
# End-to-end tests of `cartograph gen`: usage errors exit 2, --help exits 0, the files
# appear with the asked number of order lines, the same seed gives the same bytes and
# another seed other bytes, --truth adds truth.csv. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
bin=${CARTOGRAPH:-./bin/cartograph}
pass=0 fail=0
tmp=$(mktemp -d /tmp/cartograph-gen-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# expect_exit CODE NAME COMMAND...: the command ends with status CODE.
expect_exit() {
	want=$1 name=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else bad "$name (exit $got, want $want)"; cat "$tmp/err"; fi
}

expect_exit 2 "gen_without_orders_is_a_usage_error" $bin gen --out "$tmp/x"
expect_exit 2 "gen_with_non_numeric_orders_is_a_usage_error" $bin gen --orders abc --out "$tmp/x"
expect_exit 2 "gen_with_zero_orders_is_a_usage_error" $bin gen --orders 0 --out "$tmp/x"
expect_exit 2 "gen_with_too_many_orders_is_a_usage_error" $bin gen --orders 2000M --out "$tmp/x"
expect_exit 2 "gen_with_bad_seed_is_a_usage_error" $bin gen --orders 10 --seed -3 --out "$tmp/x"
expect_exit 2 "gen_with_unknown_option_is_a_usage_error" $bin gen --orders 10 --colour --out "$tmp/x"
expect_exit 2 "gen_with_stray_argument_is_a_usage_error" $bin gen --orders 10 extra --out "$tmp/x"
if grep -q "usage: cartograph gen" "$tmp/err"; then ok "usage_error_prints_the_usage"; else bad "usage_error_prints_the_usage"; fi
[ ! -e "$tmp/x" ] && ok "usage_error_writes_nothing" || bad "usage_error_writes_nothing"

expect_exit 0 "gen_help_exits_zero" $bin gen --help
if grep -q -- "--orders N" "$tmp/out"; then ok "gen_help_prints_the_usage"; else bad "gen_help_prints_the_usage"; fi
expect_exit 0 "help_gen_exits_zero" $bin help gen

expect_exit 1 "gen_into_an_unwritable_place_fails" $bin gen --orders 10 --out /proc/no/such/place
if grep -q "^cartograph: gen: " "$tmp/err"; then ok "failure_message_names_the_command"; else bad "failure_message_names_the_command"; fi

expect_exit 0 "gen_writes_a_data_set" $bin gen --orders 2500 --out "$tmp/a"
for f in orders products customers reviews events; do
	if [ -s "$tmp/a/$f.csv" ]; then ok "gen_writes_${f}_csv"; else bad "gen_writes_${f}_csv"; fi
done
[ ! -e "$tmp/a/truth.csv" ] && ok "no_truth_without_asking" || bad "no_truth_without_asking"
ls "$tmp/a" | grep -q '\.tmp$' && bad "no_temporary_files_left" || ok "no_temporary_files_left"
# orders.csv has no line breaks inside fields, so lines = rows + the header.
lines=$(wc -l <"$tmp/a/orders.csv")
[ "$lines" -eq 2501 ] && ok "orders_csv_has_the_asked_rows" || bad "orders_csv_has_the_asked_rows ($lines lines)"
head -n 1 "$tmp/a/orders.csv" | grep -qx "order_id,order_date,customer_id,product_id,product_name,quantity,unit_price,line_total,country,region,city,category,subcategory,channel,payment_method,discount,profit,status" \
	&& ok "orders_csv_has_the_canonical_header" || bad "orders_csv_has_the_canonical_header"
grep -q "$(printf '\r')" "$tmp/a/orders.csv" && bad "lines_end_with_lf_only" || ok "lines_end_with_lf_only"

expect_exit 0 "gen_again_with_the_same_seed" $bin -q gen --orders 2500 --seed 42 --out "$tmp/b"
[ ! -s "$tmp/out" ] && ok "quiet_prints_nothing" || bad "quiet_prints_nothing"
same=1
for f in orders products customers reviews events; do cmp -s "$tmp/a/$f.csv" "$tmp/b/$f.csv" || same=0; done
[ $same = 1 ] && ok "same_seed_gives_the_same_bytes" || bad "same_seed_gives_the_same_bytes"

expect_exit 2 "fractional_counts_are_refused" $bin gen --orders 2.5k --out "$tmp/c"
expect_exit 0 "gen_with_another_seed_and_truth" $bin gen --orders 2500 --seed 43 --truth --out "$tmp/c"
cmp -s "$tmp/a/orders.csv" "$tmp/c/orders.csv" && bad "another_seed_gives_other_bytes" || ok "another_seed_gives_other_bytes"
[ -s "$tmp/c/truth.csv" ] && ok "truth_csv_written_when_asked" || bad "truth_csv_written_when_asked"
expect_exit 0 "k_suffix_counts_thousands" $bin gen --orders 3k --out "$tmp/d"
[ "$(wc -l <"$tmp/d/orders.csv")" -eq 3001 ] && ok "k_suffix_gives_3000_rows" || bad "k_suffix_gives_3000_rows"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
