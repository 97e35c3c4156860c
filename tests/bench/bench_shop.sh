#!/bin/sh
# shop.cgi benchmarks behind a real lighttpd on 127.0.0.1, in FastCGI and plain CGI mode,
# with wrk (64 connections, a few seconds each): product recommendation lookups and
# GET /cart (requests/s, p50, p99), cart adds/s, and checkouts/s with an oversell check.
# Figures only; nothing here passes or fails on time. Other work on the machine makes
# them noisy.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
. tests/e2e/shop/server.sh
trap 'shop_stop; rm -rf "$TMP"' EXIT

DURATION=${SHOP_BENCH_SECONDS:-5}
CONNECTIONS=64

if ! shop_can_serve; then
	exit 0
fi
if ! command -v wrk >/dev/null 2>&1; then
	echo "skip: wrk is not installed (apt-get install wrk): no shop figures"
	exit 0
fi

# The catalog of the tests plus what the benchmark needs: one browsing session with a
# cart of three lines, 1,000 sessions to add to carts with, 200 products to add, and
# 30,000 sessions each with a cart ready to check out (LIM has fewer units than carts).
seed_bench() {
	sqlite3 "$1" "
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
	INSERT INTO products (id, name, category, price_cents, stock)
	SELECT 'B' || i, 'Bench product ' || i, 'Bench', 100 + i, 100000000 FROM n;
	INSERT INTO products (id, name, category, price_cents, stock) VALUES ('LIM', 'Limited', 'Bench', 999, 100000);
	INSERT INTO sessions (sid, csrf, created, last_seen)
	VALUES (printf('%032x', 1), printf('%032x', 2), strftime('%s', 'now'), strftime('%s', 'now'));
	INSERT INTO carts (session_id, created, updated) SELECT id, created, created FROM sessions;
	INSERT INTO cart_lines SELECT c.id, p, 1, 0 FROM carts c, (SELECT 'P1' AS p UNION ALL SELECT 'P2' UNION ALL SELECT 'P3');
	WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
	INSERT INTO sessions (sid, csrf, created, last_seen)
	SELECT printf('a%031x', i), printf('%032x', 3), strftime('%s', 'now'), strftime('%s', 'now') FROM n;
	WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29999)
	INSERT INTO sessions (sid, csrf, created, last_seen)
	SELECT printf('c%031x', i), printf('%032x', 4), strftime('%s', 'now'), strftime('%s', 'now') FROM n;
	INSERT INTO carts (session_id, created, updated)
	SELECT id, created, created FROM sessions WHERE sid LIKE 'c%';
	INSERT INTO cart_lines SELECT c.id, 'LIM', 1, 0 FROM carts c JOIN sessions s ON s.id = c.session_id WHERE s.sid LIKE 'c%';
	INSERT INTO cart_lines SELECT c.id, 'B1', 2, 1 FROM carts c JOIN sessions s ON s.id = c.session_id WHERE s.sid LIKE 'c%';"
}

# The wrk scripts: cart adds spread over sessions and products; checkouts each from a
# session of its own (every thread takes its own sessions).
cat >"$TMP/add.lua" <<'EOF'
local n = 0
id = id or 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) n = 0 end
function request()
  n = n + 1
  local k = id + 2 * n
  local body = "csrf=" .. string.format("%032x", 3) .. "&product_id=B" .. (1 + math.floor(k / 1000) % 200) .. "&quantity=1"
  return wrk.format("POST", "/shop.cgi/cart/add", {
    ["Cookie"] = "sid=" .. string.format("a%031x", k % 1000),
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
EOF
cat >"$TMP/checkout.lua" <<'EOF'
local n = 0
id = id or 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) n = 0 end
function request()
  n = n + 1
  local k = id + 2 * n
  local body = "csrf=" .. string.format("%032x", 4) .. "&idempotency_key=" .. string.format("%032x", 7000000 + k) ..
    "&name=Bench+" .. k .. "&email=b" .. k .. "%40example.com&address=Road+" .. k .. "&payment_method=card"
  return wrk.format("POST", "/shop.cgi/checkout", {
    ["Cookie"] = "sid=" .. string.format("c%031x", k % 30000),
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
EOF

# run_wrk LABEL URL [wrk options]: prints requests/s, p50 and p99 from wrk --latency.
run_wrk() {
	label=$1 url=$2
	shift 2
	wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency "$@" "$url" >"$TMP/wrk.out" 2>&1
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$TMP/wrk.out")
	p50=$(awk '$1 == "50%" { print $2 }' "$TMP/wrk.out")
	p99=$(awk '$1 == "99%" { print $2 }' "$TMP/wrk.out")
	bad=$(awk '/Non-2xx or 3xx responses/ { print $5 }' "$TMP/wrk.out")
	errors=$(awk '/Socket errors/ { print $0 }' "$TMP/wrk.out")
	printf '%-44s %7s req/s   p50 %-8s p99 %-8s%s%s\n' "$label" "${rps:-?}" "${p50:-?}" "${p99:-?}" \
		"${bad:+  non-2xx/3xx: $bad}" "${errors:+  $errors}"
}

bench_mode() {
	mode=$1 procs=$2
	dir=$TMP/$mode
	shop_prepare "$dir"
	seed_bench "$dir/shop.db"
	if ! shop_start "$mode" "$dir" "$procs"; then
		echo "$mode: lighttpd did not start"
		return
	fi
	if [ "$mode" = fastcgi ]; then
		echo "-- FastCGI, $procs shop.cgi processes ($DURATION s per figure, $CONNECTIONS connections)"
	else
		echo "-- plain CGI, a process per request ($DURATION s per figure, $CONNECTIONS connections)"
	fi
	run_wrk "$mode GET /recs/product/P1.json" "$SHOP_URL/shop.cgi/recs/product/P1.json"
	run_wrk "$mode GET /recs/product/P1 (HTML fragment)" "$SHOP_URL/shop.cgi/recs/product/P1"
	run_wrk "$mode GET /cart (HTML, 3 lines)" "$SHOP_URL/shop.cgi/cart" -H "Cookie: sid=$(printf '%032x' 1)"
	run_wrk "$mode POST /cart/add (form, 303)" "$SHOP_URL" -s "$TMP/add.lua"
	q() { sqlite3 -cmd '.timeout 10000' "$dir/shop.db" "$1"; }
	lim_before=$(q "SELECT stock FROM products WHERE id = 'LIM'")
	orders_before=$(q "SELECT count(*) FROM orders")
	run_wrk "$mode POST /checkout (303 placed, 409 sold out)" "$SHOP_URL" -s "$TMP/checkout.lua"
	shop_stop
	sleep 1 # CGI processes already started finish their transaction
	# One query, so the figures come from one snapshot.
	set -- $(q "SELECT (SELECT count(*) - $orders_before FROM orders),
		(SELECT stock FROM products WHERE id = 'LIM'),
		(SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE product_id = 'LIM'),
		(SELECT count(*) FROM products WHERE stock < 0)" | tr '|' ' ')
	orders=$1 lim=$2 sold=$3 negative=$4
	awk -v o="$orders" -v d="$DURATION" -v b="$lim_before" -v l="$lim" -v s="$sold" -v n="$negative" 'BEGIN {
		printf "%-44s %7.0f orders/s placed (%d orders); LIM stock %d -> %d, %d sold: %s\n",
			"  checkouts", o / d, o, b, l, s, (b - l == s && l >= 0 && n == 0) ? "no oversell" : "OVERSOLD" }'
}

bench_mode fastcgi "${SHOP_BENCH_PROCS:-2}"
bench_mode cgi 2
