#!/bin/sh
# End-to-end tests of `cartograph run` (ingest, clean, model, build in one go, stopping
# at the first failure), `cartograph serve` (lighttpd on a free port of 127.0.0.1 with
# the built site and shop.cgi, FastCGI and plain CGI, stopped with Ctrl-C), and
# `ingest --from-shop` bringing an order placed through the served shop back into the
# warehouse. The serve checks skip, saying why, without lighttpd or curl.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
SERVE_PID=
trap 'stop_serve; rm -rf "$WORK"' EXIT

DB=$WORK/warehouse.db
SHOP=$WORK/shop.db
SITE_DIR=$WORK/out
CG="$CARTOGRAPH --db $DB --shop-db $SHOP --out $SITE_DIR"

# --- run -----------------------------------------------------------------------------------
run_status st $CG run
check_eq "run without files is a usage error" "$st" 2
run_status st $CG run --bogus x.csv
check_eq "run with an unknown option is a usage error" "$st" 2
: >"$WORK/empty.csv"
run_status st $CG run "$WORK/empty.csv"
check_eq "run stops when ingest fails" "$st" 1
check_contains "...with ingest's message" "$OUT" "cartograph: ingest: "
check_contains "...and says where it stopped" "$OUT" "cartograph: run: stopped at ingest"
case "$OUT" in *"== clean"*) not_ok "...and runs no later stage" ;; *) ok "...and runs no later stage" ;; esac

run_status st $CG run data/sample/*.csv
check_eq "run on the sample succeeds" "$st" 0
check_contains "run ingests" "$OUT" "== ingest"
check_contains "...cleans" "$OUT" "== clean"
check_contains "...models" "$OUT" "== model"
check_contains "...builds" "$OUT" "== build"
check_contains "...and prints each stage's summary" "$OUT" "shop catalog: "
check "run built the report" test -f "$SITE_DIR/index.html"
check "run built the shop" test -f "$SITE_DIR/shop/product/p1001.html"
check_eq "run exported the catalog" "$(sql "$SHOP" "SELECT count(*) FROM products")" 200
run_status st $CG run data/sample/*.csv
check_eq "running it again succeeds" "$st" 0
check_contains "...skipping the files loaded before" "$OUT" "already loaded"
run_status st $CG build
check_contains "a build after a run has nothing to do" "$OUT" "up to date"
rm -f "$SITE_DIR/.cartograph-build"
run_status st $CG build
check_contains "...and when made to render, renders what the run did" "$OUT" ": 0 files written"
run_status st $CG run --currency "£" data/sample/*.csv
check_eq "run passes the build's options on: --currency" "$st" 0
check_eq "...and the figures carry that currency" \
	"$(grep -o 'kpi-value">[^<0-9]*' "$SITE_DIR/index.html" | sort -u | tr '\n' ' ')" \
	'kpi-value"> kpi-value">£ '
run_status st $CG run --currency
check_eq "a build option without its value is a usage error" "$st" 2
check_contains "...saying which" "$OUT" "option '--currency' needs a value"
run_status st $CG run --templates "$WORK/no-templates" data/sample/*.csv
check_eq "run with a templates folder that is not there fails" "$st" 1
check_contains "...at the build, naming the folder" "$OUT" "$WORK/no-templates"

# Ingest's options go to the ingest stage: a German export, its columns named by --map.
DE="$CARTOGRAPH --db $WORK/de.db --shop-db $WORK/de-shop.db --out $WORK/de-site"
MAPS="--map order_id=Rechnung --map order_date=Datum --map=product_id=Artikel --map quantity=Menge --map unit_price=Preis"
printf 'Rechnung;Datum;Artikel;Menge;Preis\nR1;03.01.2024;p1;2;3,50 €\nR2;04.01.2024;p2;1;1.212,00 €\n' >"$WORK/de.csv"
run_status st $DE run $MAPS "$WORK/de.csv"
check_eq "run passes ingest's options on: --map" "$st" 0
check_eq "...and the amounts' own currency is the site's, with no --currency" \
	"$(grep -o 'kpi-value">[^<0-9]*' "$WORK/de-site/index.html" | sort -u | tr '\n' ' ')" \
	'kpi-value"> kpi-value">€ '
check_eq "...and the shop's" "$(sql "$WORK/de-shop.db" "SELECT value FROM settings WHERE key = 'currency'")" "€"
check_eq "...the columns read by those names, the amounts with the comma they are written with" \
	"$(sql "$WORK/de.db" "SELECT group_concat(order_id || ' ' || order_time || ' ' || unit_price_cents, ', ') FROM (SELECT * FROM order_items JOIN orders USING (order_id) ORDER BY order_id)")" \
	"R1 2024-01-03 00:00:00 350, R2 2024-01-04 00:00:00 121200"
run_status st $DE run --replace --decimal-point $MAPS "$WORK/de.csv"
check_eq "...and --replace --decimal-point, under which no row of it can be read" "$st" 1
check_contains "...stopping at ingest with why" "$OUT" \
	"'3,50 €' is written with a decimal comma, but the amounts are read with a decimal point (--decimal-point)"
run_status st $DE run --map
check_eq "an ingest option without its value is a usage error" "$st" 2
check_contains "...saying which" "$OUT" "option '--map' needs a value"

# A model that fails stops the run there; the pages rendered beside it are not put in place.
sql "$DB" "CREATE TRIGGER refuse_scores BEFORE INSERT ON churn_scores
	BEGIN SELECT RAISE(FAIL, 'refused by the test'); END;"
manifest_before=$(cat "$SITE_DIR/manifest.json")
scores_before=$(sql "$DB" "SELECT count(*) || ' ' || total(risk) FROM churn_scores")
run_status st $CG run data/sample/*.csv
check_eq "run stops when a model fails" "$st" 1
check_contains "...with the model's message" "$OUT" "cartograph: model: churn: "
check_contains "...saying it stopped at model" "$OUT" "cartograph: run: stopped at model"
case "$OUT" in *"cartograph: build:"*) not_ok "...and no build error besides" "$OUT" ;;
	*) ok "...and no build error besides" ;; esac
check_eq "...leaving the site as it was" "$(cat "$SITE_DIR/manifest.json")" "$manifest_before"
check_eq "...and the scores" "$(sql "$DB" "SELECT count(*) || ' ' || total(risk) FROM churn_scores")" "$scores_before"
sql "$DB" "DROP TRIGGER refuse_scores"

# --- serve --------------------------------------------------------------------------------
run_status st $CG serve --port 0
check_eq "serve --port 0 is a usage error" "$st" 2
run_status st $CARTOGRAPH --out "$WORK/nothing" --shop-db "$SHOP" serve
check_eq "serve without a built site fails" "$st" 1
check_contains "...and says to build it" "$OUT" "run 'cartograph build' first"
run_status st $CG serve --shop-url 'cgi"bin'
check_eq "serve refuses a shop URL that is not a path" "$st" 1

if ! command -v curl >/dev/null 2>&1 || ! { command -v lighttpd || test -x /usr/sbin/lighttpd; } >/dev/null 2>&1; then
	echo "skip: lighttpd or curl is not installed: cartograph serve is not tested"
	finish
	exit $?
fi

# start_serve [OPTIONS]: starts serve on a free port in the background; sets URL.
start_serve() {
	tries=0
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
		$CG serve --port "$port" "$@" >"$WORK/serve.out" 2>&1 &
		SERVE_PID=$!
		URL=http://127.0.0.1:$port
		waited=0
		while [ $waited -lt 100 ]; do
			kill -0 "$SERVE_PID" 2>/dev/null || break
			if grep -qs "Press Ctrl-C" "$WORK/serve.out" && curl -fs -o /dev/null "$URL/cgi-bin/shop.cgi/health"; then
				return 0
			fi
			sleep 0.1
			waited=$((waited + 1))
		done
		stop_serve
	done
	return 1
}

# stop_serve: Ctrl-C, as a terminal would send it; SERVE_STATUS is serve's exit status.
stop_serve() {
	[ -n "$SERVE_PID" ] || return 0
	kill -INT "$SERVE_PID" 2>/dev/null
	wait "$SERVE_PID" 2>/dev/null
	SERVE_STATUS=$?
	SERVE_PID=
}

fetch() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }

if ! start_serve; then
	not_ok "serve starts lighttpd" "$(tail -n 5 "$WORK/serve.out")"
	finish
	exit $?
fi
ok "serve starts lighttpd on a free port"
check_contains "serve prints the URL" "$(cat "$WORK/serve.out")" "Serving $SITE_DIR at $URL/"
lighttpd_pid=$(pgrep -P "$SERVE_PID" lighttpd | head -n 1)
check "lighttpd runs under serve" test -n "$lighttpd_pid"
fastcgi_pids=$(pgrep -P "$lighttpd_pid" | tr '\n' ' ')
check "...with its FastCGI shop.cgi processes" test -n "$fastcgi_pids"
run_status st $CG serve --port "$port"
check_eq "a second serve on the same port fails" "$st" 1
check_contains "...saying the port is taken" "$OUT" "port $port of 127.0.0.1 cannot be had"
check_eq "the report's front page is served" "$(fetch "$URL/")" 200
check_contains "...as the built file" "$(cat "$WORK/body")" "<title>Overview · Cartograph</title>"
check_eq "a product page is served" "$(fetch "$URL/shop/product/p1001.html")" 200
check_contains "...with its form posting to the served shop" "$(cat "$WORK/body")" 'action="/cgi-bin/shop.cgi/cart/add"'
check_eq "a static recommendations file is served" "$(fetch "$URL/recs/product/p1001.json")" 200
cp "$WORK/body" "$WORK/static.json"
check_eq "shop.cgi answers at the shop URL" "$(fetch "$URL/cgi-bin/shop.cgi/health")" 200
check_eq "...from the exported catalog" "$(cat "$WORK/body")" '{"status":"ok","products":200}'
fetch "$URL/cgi-bin/shop.cgi/recs/product/P1001.json" >/dev/null
check "the static file is byte for byte what shop.cgi answers" cmp "$WORK/static.json" "$WORK/body"
check_eq "the shop's own pages find their style sheet" "$(fetch "$URL/assets/shop.css")" 200

# An order through the served shop, as the product page's form and shop.js would.
jar=$WORK/jar
curl -s -c "$jar" -b "$jar" -H 'Accept: application/json' "$URL/cgi-bin/shop.cgi/cart.json" >"$WORK/body"
csrf=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$WORK/body")
check_eq "adding to the cart from the catalog's form works" \
	"$(fetch -c "$jar" -b "$jar" --data "csrf=$csrf&product_id=P1001&quantity=2" "$URL/cgi-bin/shop.cgi/cart/add")" 303
curl -s -c "$jar" -b "$jar" "$URL/cgi-bin/shop.cgi/checkout" >"$WORK/body"
key=$(sed -n 's/.*name="idempotency_key" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -n 1)
email=$(sed -n 2p data/sample/customers.csv | cut -d, -f3)
status=$(fetch -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "idempotency_key=$key" \
	--data-urlencode "name=Laura Williams" --data-urlencode "email=$email" \
	--data-urlencode "address=1 Beacon Street, Boston" --data-urlencode "payment_method=card" \
	"$URL/cgi-bin/shop.cgi/checkout")
check_eq "checking out places the order" "$status" 303

stop_serve
check_eq "Ctrl-C stops serve cleanly" "$SERVE_STATUS" 0
check_contains "...saying so" "$(cat "$WORK/serve.out")" "Stopped."
if kill -0 "$lighttpd_pid" 2>/dev/null; then not_ok "...and lighttpd with it"; else ok "...and lighttpd with it"; fi
left=""
for p in $fastcgi_pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
check_eq "...and the shop.cgi processes" "$left" ""
check_eq "the order is in shop.db" "$(sql "$SHOP" "SELECT number || ' ' || items FROM orders")" "W000001 2"

if start_serve --cgi; then
	ok "serve --cgi starts"
	check_contains "...running shop.cgi as plain CGI" "$(cat "$WORK/serve.out")" "(CGI, on "
	check_eq "...which answers" "$(fetch "$URL/cgi-bin/shop.cgi/order/W000001.json")" 404
	stop_serve
	check_eq "...and stops cleanly" "$SERVE_STATUS" 0
else
	not_ok "serve --cgi starts" "$(tail -n 5 "$WORK/serve.out")"
fi

# --- ingest --from-shop ---------------------------------------------------------------------
run_status st $CG ingest --from-shop
check_eq "ingest --from-shop succeeds" "$st" 0
check_contains "...copying the web order" "$OUT" "copied 1 web orders (1 lines; 1 by known customers)"
run_status st $CG ingest --from-shop
check_contains "a second copy finds nothing new" "$OUT" "nothing new since the last copy"
run_status st $CG ingest --from-shop data/sample/orders.csv
check_eq "--from-shop with files is a usage error" "$st" 2
check "clean takes the web order in" $CG -q clean
check_eq "the warehouse has the web order with its customer" \
	"$(sql "$DB" "SELECT order_id || ' ' || customer_id || ' ' || channel || ' ' || total_cents FROM orders WHERE order_id LIKE 'W%'")" \
	"W000001 10001 web 230000"
check_eq "...and its line counts as a sale" \
	"$(sql "$DB" "SELECT product_id || ' ' || quantity FROM sales_lines WHERE order_id = 'W000001'")" "P1001 2"

finish
