# server.sh: starting and stopping a real lighttpd with bin/shop.cgi (plain CGI or
# FastCGI) on a free 127.0.0.1 port, for the end-to-end test, the browser test and the
# benchmark. Sourced from the repository root; everything goes into one temp folder.
#
#   shop_can_serve              0 when lighttpd and curl are installed (else says why)
#   shop_prepare DIR            DIR/www (product page, assets) and DIR/shop.db (seeded)
#   shop_start MODE DIR [PROCS] starts lighttpd (MODE cgi or fastcgi); sets SHOP_URL
#   shop_stop                   stops it and the FastCGI processes it started
# SHOP_CGI, when set, is the program run in place of bin/shop.cgi (a valgrind wrapper).

SHOP_REPO=${SHOP_REPO:-$PWD}
SHOP_CGI=${SHOP_CGI:-$SHOP_REPO/bin/shop.cgi}
SHOP_PID=
SHOP_URL=

shop_can_serve() {
	for tool in lighttpd curl sqlite3; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "skip: $tool is not installed (apt-get install $tool): no shop server tests"
			return 1
		fi
	done
	if [ ! -x "$SHOP_CGI" ]; then
		echo "skip: bin/shop.cgi is not built (make)"
		return 1
	fi
	return 0
}

shop_prepare() {
	dir=$1
	mkdir -p "$dir/www/assets" "$dir/run"
	cp "$SHOP_REPO"/templates/shop/assets/* "$dir/www/assets/"
	cp "$SHOP_REPO/tests/e2e/shop/product.html" "$dir/www/product.html"
	rm -f "$dir/shop.db" "$dir/shop.db-wal" "$dir/shop.db-shm"
	# shop.cgi makes the schema on first open; then the catalog is seeded with SQL.
	REQUEST_METHOD=GET PATH_INFO=/health SCRIPT_NAME=/shop.cgi CARTOGRAPH_SHOP_DB="$dir/shop.db" \
		CARTOGRAPH_SHOP_TEMPLATES="$SHOP_REPO/templates/shop" "$SHOP_CGI" >/dev/null
	sqlite3 "$dir/shop.db" <"$SHOP_REPO/tests/e2e/shop/seed.sql"
}

# A port from 20000 to 59999 that nothing listens on yet (lighttpd tells if it is taken).
shop_random_port() {
	n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((20000 + n % 40000))
}

shop_start() {
	mode=$1 dir=$2 procs=${3:-2}
	conf="$dir/run/lighttpd-$mode.conf"
	tries=0
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		port=$(shop_random_port)
		sed -e "s#@DOCROOT@#$dir/www#g" -e "s#@PORT@#$port#g" -e "s#@RUNDIR@#$dir/run#g" \
			-e "s#@BIN@#$SHOP_CGI#g" -e "s#@SHOP_DB@#$dir/shop.db#g" \
			-e "s#@TEMPLATES@#$SHOP_REPO/templates/shop#g" \
			-e "s#@SCRIPT@#/shop.cgi#g" -e 's#@SCRIPT_RE@#/shop\\.cgi#g' \
			-e "s#@LEXICON@#$SHOP_REPO/data/vader_lexicon.txt#g" -e "s#@PROCS@#$procs#g" \
			"$SHOP_REPO/src/web/lighttpd/shop-$mode.conf" >"$conf"
		lighttpd -D -f "$conf" >>"$dir/run/lighttpd.out" 2>&1 &
		SHOP_PID=$!
		SHOP_URL="http://127.0.0.1:$port"
		waited=0
		while [ $waited -lt 50 ]; do
			if ! kill -0 "$SHOP_PID" 2>/dev/null; then
				break # did not start (port taken?): try another port
			fi
			if curl -fs -o /dev/null "$SHOP_URL/shop.cgi/health"; then
				return 0
			fi
			sleep 0.1
			waited=$((waited + 1))
		done
		shop_stop
	done
	echo "cannot start lighttpd: $(tail -n 3 "$dir/run/error.log" 2>/dev/null)"
	return 1
}

shop_stop() {
	[ -n "$SHOP_PID" ] || return 0
	children=$(ps -o pid= --ppid "$SHOP_PID" 2>/dev/null)
	kill "$SHOP_PID" 2>/dev/null
	wait "$SHOP_PID" 2>/dev/null
	for child in $children; do
		kill "$child" 2>/dev/null
	done
	SHOP_PID=
}
