#!/bin/sh
# End-to-end tests of bin/shop.cgi behind a real lighttpd on 127.0.0.1, once as plain CGI
# and once as FastCGI: every route, cart → checkout → order in shop.db, forgery tokens,
# size and method limits, idempotent checkout, 50 checkouts racing for the last 5 units,
# and hostile input (SQL, markup, CR/LF, traversal, broken cookies, invalid UTF-8).
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
. tests/e2e/shop/server.sh
trap 'shop_stop; rm -rf "$WORK"' EXIT

if ! shop_can_serve; then
	finish
	exit $?
fi

# http METHOD PATH [curl options]: the answer's status in STATUS, headers in $WORK/h,
# body in $WORK/b.
http() {
	http_method=$1 http_path=$2
	shift 2
	if [ "$http_method" = HEAD ]; then
		STATUS=$(curl -s --head -o "$WORK/b" -D "$WORK/h" -w '%{http_code}' "$@" "$SHOP_URL/shop.cgi$http_path")
	else
		STATUS=$(curl -s -o "$WORK/b" -D "$WORK/h" -w '%{http_code}' -X "$http_method" "$@" "$SHOP_URL/shop.cgi$http_path")
	fi
}
body() { cat "$WORK/b"; }
header() { grep -i "^$1:" "$WORK/h" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
# json_field NAME: the first "NAME":"value" string in the body.
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$WORK/b" | head -n 1; }

# new_session JAR: starts a session in the cookie jar and prints its token.
new_session() {
	http GET /cart.json -c "$1" -b "$1" -H 'Accept: application/json'
	json_field csrf
}

# post JAR PATH DATA [curl options]: a form POST with the session in JAR.
post() {
	post_jar=$1 post_path=$2 post_data=$3
	shift 3
	http POST "$post_path" -b "$post_jar" -c "$post_jar" --data-raw "$post_data" "$@"
}

# checkout_key JAR: the idempotency key of a fresh checkout form.
checkout_key() {
	http GET /checkout -b "$1" -c "$1"
	sed -n 's/.*name="idempotency_key" value="\([0-9a-f]*\)".*/\1/p' "$WORK/b" | head -n 1
}

check_no_internals() { # STORY: the body shows no SQL or internals
	case "$(body)" in
	*SQLITE* | *sqlite* | *"SELECT "* | *"syntax error"* | *"shop.cgi:"*) not_ok "$1" "$(body | head -c 300)" ;;
	*) ok "$1" ;;
	esac
}

check_no_raw_script() { # STORY: no unescaped markup from the input
	case "$(body)" in
	*"<script>alert"* | *"<img src=x"* | *"<svg"*) not_ok "$1" "unescaped markup in the page" ;;
	*) ok "$1" ;;
	esac
}

test_routes() {
	m=$1 db=$2
	http GET /health
	check_eq "[$m] GET /health answers 200" "$STATUS" 200
	check_contains "[$m] health reports the catalog" "$(body)" '"products":8'
	check_eq "[$m] every answer has a Content-Security-Policy" "$(header Content-Security-Policy | cut -c1-17)" "default-src 'none"
	check_eq "[$m] every answer says nosniff" "$(header X-Content-Type-Options)" nosniff
	check_eq "[$m] every answer has a Referrer-Policy" "$(header Referrer-Policy)" same-origin
	check_eq "[$m] health is never cached" "$(header Cache-Control)" no-store
	http HEAD /health
	check_eq "[$m] HEAD /health answers 200" "$STATUS" 200
	case "$(body)" in *'"status"'*) not_ok "[$m] HEAD sends no body" ;; *) ok "[$m] HEAD sends no body" ;; esac

	http GET /recs/product/P1.json
	check_eq "[$m] GET /recs/product/P1.json answers 200" "$STATUS" 200
	check_eq "[$m] product recommendations are JSON" "$(header Content-Type)" application/json
	check_contains "[$m] the best neighbour comes first" "$(body)" '"recs":[{"rank":1,"product_id":"P2"'
	check_eq "[$m] product recommendations may be cached publicly" "$(header Cache-Control)" "public, max-age=300"
	check_eq "[$m] product recommendations vary by Accept" "$(header Vary)" Accept
	http GET '/recs/product/P1?n=1' -H 'Accept: application/json'
	check_eq "[$m] n=1 gives one recommendation" "$(body | grep -o '"rank"' | wc -l | tr -d ' ')" 1
	http GET '/recs/product/P2.json?n=3'
	check_contains "[$m] few neighbours are padded with category best sellers" "$(body)" '"source":"popular_in_category"'
	http GET '/recs/product/P1.json?n=500'
	check_eq "[$m] n out of range still answers (default count)" "$STATUS" 200
	http GET /recs/product/NOPE -H 'Accept: application/json'
	check_eq "[$m] an unknown product is a 404" "$STATUS" 404
	check_eq "[$m] errors have one JSON shape" "$(body)" '{"error":{"status":404,"message":"We do not know that product."}}'
	check_eq "[$m] errors are not cached" "$(header Cache-Control)" no-store
	http GET /recs/product/P1
	check_eq "[$m] the recommendations fragment is HTML" "$STATUS:$(header Content-Type)" "200:text/html; charset=utf-8"
	check_contains "[$m] the fragment escapes product names" "$(body)" 'Stoneware bowl &lt;script&gt;alert(&quot;bowl&quot;)'
	check_no_raw_script "[$m] the fragment holds no markup from the catalog"
	http GET /recs/customer/C100.json
	check_eq "[$m] GET /recs/customer/C100.json answers 200" "$STATUS" 200
	check_contains "[$m] customer recommendations list products" "$(body)" '"product_id":"P4"'
	check_eq "[$m] customer recommendations are private" "$(header Cache-Control)" "private, max-age=300"
	http GET /recs/customer/C999.json
	check_eq "[$m] an unknown customer is a 404, not an empty 200" "$STATUS" 404
	check_contains "[$m] the unknown customer's answer is the JSON error" "$(body)" '{"error":{"status":404,'
	http GET /recs/customer/C100
	check_eq "[$m] the customer fragment is HTML" "$(header Content-Type)" "text/html; charset=utf-8"

	http GET /cart
	check_eq "[$m] GET /cart without a cookie answers 200" "$STATUS" 200
	check_eq "[$m] looking at the cart starts no session" "$(header Set-Cookie)" ""
	check_contains "[$m] an empty cart says so" "$(body)" "Your cart is empty"
	check_eq "[$m] the cart is never cached" "$(header Cache-Control)" no-store
	jar=$WORK/jar-$m
	csrf=$(new_session "$jar")
	check_eq "[$m] GET /cart.json gives a 32-digit token" "${#csrf}" 32
	cookie=$(header Set-Cookie)
	check_contains "[$m] the session cookie is HttpOnly" "$cookie" HttpOnly
	check_contains "[$m] the session cookie is SameSite=Lax with Path=/" "$cookie" "Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax"
	sid=$(echo "$cookie" | sed -n 's/^sid=\([0-9a-f]*\);.*/\1/p')
	check_eq "[$m] the session id is 128 bits in hex" "${#sid}" 32

	# Forgery tokens.
	post "$jar" /cart/add "product_id=P1&quantity=1"
	check_eq "[$m] a POST without a token is refused with 403" "$STATUS" 403
	check_contains "[$m] the 403 page is friendly" "$(body)" "This form has expired"
	post "$jar" /cart/add "csrf=00000000000000000000000000000000&product_id=P1"
	check_eq "[$m] a POST with a wrong token is refused with 403" "$STATUS" 403
	other=$WORK/other-$m
	other_csrf=$(new_session "$other")
	post "$jar" /cart/add "csrf=$other_csrf&product_id=P1"
	check_eq "[$m] another session's token is refused" "$STATUS" 403
	http POST /cart/add --data-raw "csrf=$csrf&product_id=P1"
	check_eq "[$m] a token without its cookie is refused" "$STATUS" 403
	check_eq "[$m] nothing was added by refused forms" "$(sql "$db" "SELECT count(*) FROM cart_lines")" 0

	# The cart.
	post "$jar" /cart/add "csrf=$csrf&product_id=P1&quantity=2"
	check_eq "[$m] adding to the cart redirects with 303" "$STATUS" 303
	check_eq "[$m] the redirect goes to the cart" "$(header Location)" /shop.cgi/cart
	post "$jar" /cart/add "csrf=$csrf&product_id=P2" -H 'Accept: application/json'
	check_eq "[$m] a script adding to the cart gets 200 JSON" "$STATUS:$(header Content-Type)" "200:application/json"
	check_contains "[$m] the JSON cart has its lines" "$(body)" '"product_id":"P2","name":"Cast-iron teapot","quantity":1'
	post "$jar" /cart/add "csrf=$csrf&product_id=P3"
	post "$jar" /cart/add "csrf=$csrf&product_id=P6"
	check_eq "[$m] a sold-out product cannot be added (409)" "$STATUS" 409
	check_contains "[$m] the cart says it is sold out" "$(body)" "Oak coaster set is sold out"
	post "$jar" /cart/add "csrf=$csrf&product_id=P1&quantity=98"
	check_eq "[$m] more than 99 of one product is refused" "$STATUS" 409
	post "$jar" /cart/add "csrf=$csrf&product_id=RACE&quantity=6" -H 'Accept: application/json'
	check_eq "[$m] more than the stock is refused" "$STATUS" 409
	check_contains "[$m] the refusal says how many are left" "$(body)" "only 5 of Limited print are left"
	post "$jar" /cart/add "csrf=$csrf&product_id=NOPE"
	check_eq "[$m] an unknown product cannot be added (404)" "$STATUS" 404
	post "$jar" /cart/update "csrf=$csrf&product_id=P1&quantity=3"
	check_eq "[$m] changing a quantity redirects" "$STATUS" 303
	post "$jar" /cart/remove "csrf=$csrf&product_id=P3"
	check_eq "[$m] removing a line redirects" "$STATUS" 303
	post "$jar" /cart/update "csrf=$csrf&product_id=P4&quantity=1"
	check_eq "[$m] changing a line not in the cart is a 404" "$STATUS" 404
	post "$jar" /cart/update "csrf=$csrf&product_id=P1"
	check_eq "[$m] an update without a quantity is a 400" "$STATUS" 400
	http GET /cart -b "$jar"
	check_contains "[$m] the cart page shows the changed line" "$(body)" 'name="quantity" min="0" max="99" value="3"'
	check_contains "[$m] the cart page shows the total" "$(body)" "£71.50"
	check_contains "[$m] the cart page suggests products bought together" "$(body)" "Frequently bought together"
	check_contains "[$m] suggestions are escaped" "$(body)" "Stoneware bowl &lt;script&gt;"
	check_no_raw_script "[$m] the cart page holds no markup from the catalog"

	# Checkout.
	key=$(checkout_key "$jar")
	check_eq "[$m] GET /checkout answers 200 with a form key" "$STATUS:${#key}" "200:32"
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=&email=not-an-email&address=1+Long+Road%0D%0ATown&payment_method=card"
	check_eq "[$m] a checkout with bad fields answers 422" "$STATUS" 422
	check_contains "[$m] it says what is wrong with the name" "$(body)" "Name is required."
	check_contains "[$m] it says what is wrong with the email" "$(body)" "Email must look like name@example.com."
	check_contains "[$m] it keeps the values given" "$(body)" "not-an-email"
	check_contains "[$m] it keeps the address lines" "$(body)" "1 Long Road
Town"
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=Ada&email=ada%40example.com&address=1+Long+Road&payment_method=card" -H 'Accept: application/json'
	check_eq "[$m] ... or 201 JSON to a script (the first time)" "$STATUS" 201
	number=$(json_field number)
	check_contains "[$m] the order has a number" "$number" W
	check_contains "[$m] the JSON order has its total from shop.db" "$(body)" '"total":7150'
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=Ada&email=ada%40example.com&address=1+Long+Road&payment_method=card"
	check_eq "[$m] the same form sent again redirects to the same order" "$STATUS:$(header Location)" "303:/shop.cgi/order/$number"
	check_eq "[$m] the same form twice makes one order" "$(sql "$db" "SELECT count(*) FROM orders")" 1
	check_eq "[$m] the order has its lines" "$(sql "$db" "SELECT group_concat(product_id || 'x' || quantity, ' ') FROM order_lines")" "P1x3 P2x1"
	check_eq "[$m] stock went down" "$(sql "$db" "SELECT stock FROM products WHERE id = 'P1'")" 497
	check_eq "[$m] the cart is empty after checkout" "$(sql "$db" "SELECT count(*) FROM cart_lines")" 0
	http GET "/order/$number" -b "$jar"
	check_eq "[$m] the confirmation page answers 200" "$STATUS" 200
	check_contains "[$m] the confirmation shows the order number" "$(body)" "<strong class=\"order-number\">$number</strong>"
	http GET "/order/$number" -b "$other"
	check_eq "[$m] another browser cannot see the order" "$STATUS" 404
	http GET "/order/$number"
	check_eq "[$m] nobody without a session can see it" "$STATUS" 404

	# Prices come from shop.db, never from the form.
	post "$jar" /cart/add "csrf=$csrf&product_id=P4"
	key=$(checkout_key "$jar")
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=Ada&email=ada%40example.com&address=1+Long+Road&payment_method=paypal&price_cents=1&total_cents=1&unit_price=0.01"
	check_eq "[$m] a second order is placed" "$STATUS" 303
	check_eq "[$m] prices in the form are ignored" "$(sql "$db" "SELECT total_cents FROM orders ORDER BY id DESC LIMIT 1")" 1295
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$(printf '%032x' 42)&name=Ada&email=ada%40example.com&address=1+Long+Road&payment_method=card"
	check_eq "[$m] checking out an empty cart is refused (409)" "$STATUS" 409

	# Reviews.
	post "$jar" /reviews "csrf=$csrf&product_id=P1&rating=5&review=I+love+this+mug%2C+it+is+wonderful%21"
	check_eq "[$m] a buyer's review is taken (201)" "$STATUS" 201
	check_contains "[$m] the thank-you page shows the review" "$(body)" "I love this mug, it is wonderful!"
	check_eq "[$m] the review is scored positive on arrival" "$(sql "$db" "SELECT sentiment > 0.5 FROM reviews WHERE product_id = 'P1'")" 1
	post "$jar" /reviews "csrf=$csrf&product_id=P1&rating=1&review=again"
	check_eq "[$m] one review per purchase" "$STATUS" 403
	post "$other" /reviews "csrf=$other_csrf&product_id=P2&rating=4&review=nice"
	check_eq "[$m] a shopper who did not buy cannot review" "$STATUS" 403
	post "$other" /reviews "csrf=$other_csrf&product_id=P2&rating=2&email=ada%40example.com&review=%3Cscript%3Ealert(1)%3C%2Fscript%3E+too+small"
	check_eq "[$m] the buyer's email lets them review from another browser" "$STATUS" 201
	check_contains "[$m] a review is shown escaped" "$(body)" "&lt;script&gt;alert(1)&lt;/script&gt; too small"
	check_no_raw_script "[$m] no markup from a review reaches the page"
	check_eq "[$m] the review is stored as written" "$(sql "$db" "SELECT body FROM reviews WHERE product_id = 'P2'")" "<script>alert(1)</script> too small"
	post "$jar" /reviews "csrf=$csrf&product_id=P4&rating=9"
	check_eq "[$m] a rating outside 1-5 is refused (422)" "$STATUS" 422
	http GET "/order/$number" -b "$jar"
	check_contains "[$m] the order page shows what was rated" "$(body)" "You rated this 5 out of 5"

	# Methods and sizes.
	http PUT /cart
	check_eq "[$m] PUT /cart answers 405" "$STATUS" 405
	check_eq "[$m] ... with Allow" "$(header Allow)" "GET, HEAD"
	http GET /cart/add
	check_eq "[$m] GET /cart/add answers 405 with Allow: POST" "$STATUS:$(header Allow)" "405:POST"
	http DELETE /checkout
	check_eq "[$m] DELETE /checkout answers 405 with both methods allowed" "$STATUS:$(header Allow)" "405:GET, HEAD, POST"
	head -c 100000 /dev/zero | tr '\0' 'a' >"$WORK/big"
	http POST /cart/add -b "$jar" --data-binary "@$WORK/big" -H 'Content-Type: application/x-www-form-urlencoded'
	check_eq "[$m] a body over 64 KB answers 413" "$STATUS" 413
	http POST /cart/add -b "$jar" -F "csrf=$csrf" -F product_id=P1
	check_eq "[$m] a multipart form answers 415" "$STATUS" 415
	http GET /nowhere
	check_eq "[$m] an unknown path answers 404" "$STATUS" 404
	http GET /
	check_eq "[$m] the bare program path answers 404" "$STATUS" 404
}

test_hostile() {
	m=$1 db=$2
	jar=$WORK/hostile-$m
	csrf=$(new_session "$jar")
	products=$(sql "$db" "SELECT count(*) FROM products")
	post "$jar" /cart/add "csrf=$csrf&product_id=P1%27+OR+%271%27%3D%271"
	check_eq "[$m] SQL in a product id is refused (400)" "$STATUS" 400
	post "$jar" /cart/add "csrf=$csrf&product_id=P1%3B+DROP+TABLE+products%3B--"
	check_eq "[$m] ... and so is a DROP TABLE" "$STATUS" 400
	check_eq "[$m] the catalog is intact" "$(sql "$db" "SELECT count(*) FROM products")" "$products"
	http GET "/recs/product/P1%27%20OR%201=1" -H 'Accept: application/json'
	check_eq "[$m] SQL in a path id is a 404" "$STATUS" 404
	http GET "/recs/customer/x%27%20UNION%20SELECT%20sid%20FROM%20sessions--.json"
	check_eq "[$m] a UNION in a customer id is a 404" "$STATUS" 404
	check_no_internals "[$m] the 404 shows no SQL"
	post "$jar" /cart/add "csrf=$csrf&product_id=P1%0D%0ASet-Cookie%3A+sid%3Devil"
	check_eq "[$m] CR/LF in a product id is refused" "$STATUS" 400
	check_eq "[$m] CR/LF never reaches a header" "$(grep -ci evil "$WORK/h")" 0

	post "$jar" /cart/add "csrf=$csrf&product_id=P1"
	key=$(checkout_key "$jar")
	xss='%3Cscript%3Ealert(1)%3C%2Fscript%3E'
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=Eve+%0D%0AX-Injected%3A+1&email=eve%40example.com&address=Somewhere&payment_method=card"
	check_eq "[$m] CR/LF in the name is refused (422)" "$STATUS" 422
	check_contains "[$m] ... with a clear message" "$(body)" "Name must be one line"
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=$xss&email=%22%3E$xss%40x.com&address=$xss&payment_method=$xss"
	check_eq "[$m] markup in the email and payment is refused (422)" "$STATUS" 422
	check_no_raw_script "[$m] the refused values are shown escaped"
	check_contains "[$m] the name is kept, escaped" "$(body)" 'value="&lt;script&gt;alert(1)&lt;/script&gt;"'
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=$xss&email=eve%40example.com&address=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E%0A$xss&payment_method=invoice"
	check_eq "[$m] markup in the name and address is stored as text" "$STATUS" 303
	http GET "$(header Location | sed 's#^/shop.cgi##')" -b "$jar"
	check_eq "[$m] the order with markup in it still shows" "$STATUS" 200
	check_no_raw_script "[$m] the order page escapes every value"
	check_contains "[$m] the name is shown as text" "$(body)" "Thank you, &lt;script&gt;alert(1)&lt;/script&gt;!"

	post "$jar" /cart/add "csrf=$csrf&product_id=%FF%FE"
	check_eq "[$m] invalid UTF-8 in a product id is refused" "$STATUS" 400
	post "$jar" /cart/add "csrf=$csrf&product_id=P1"
	key=$(checkout_key "$jar")
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=%C3%28%FF&email=a%40b.co&address=Somewhere+1&payment_method=card"
	check_eq "[$m] invalid UTF-8 in the name is refused (422)" "$STATUS" 422
	check_contains "[$m] ... and said so" "$(body)" "Name is not valid text (UTF-8)"
	post "$jar" /checkout "csrf=$csrf&idempotency_key=$key&name=a%00b&email=a%40b.co&address=Somewhere+1&payment_method=card"
	check_eq "[$m] a NUL byte in the name is refused (422)" "$STATUS" 422
	post "$jar" /reviews "csrf=$csrf&product_id=P1&rating=4&review=ok%ED%A0%80"
	check_eq "[$m] a surrogate in a review is refused (422)" "$STATUS" 422
	http GET "/recs/product/%FF%FE.json"
	check_contains "[$m] invalid UTF-8 in a path is refused (by lighttpd or us)" "400 404" "$STATUS"
	post "$jar" /cart/add "csrf=$csrf&product_id=P1&quantity=%zz"
	check_eq "[$m] a broken percent escape is a 400" "$STATUS" 400
	post "$jar" /cart/add "csrf=$csrf&product_id=P1&product_id=P2"
	check_eq "[$m] a field given twice is refused" "$STATUS" 400
	post "$jar" /cart/add "csrf=$csrf&product_id=P1&quantity=-1"
	check_eq "[$m] a negative quantity is refused" "$STATUS" 400
	post "$jar" /cart/add "csrf=$csrf&product_id=P1&quantity=99999999999999999999999"
	check_eq "[$m] a huge quantity is refused" "$STATUS" 400

	http GET "/../../../../etc/passwd" --path-as-is
	check_contains "[$m] a path climbing out is not served" "$STATUS" 4
	case "$(body)" in *root:*) not_ok "[$m] no file leaks through the path" ;; *) ok "[$m] no file leaks through the path" ;; esac
	http GET "/order/..%2f..%2f..%2fetc%2fpasswd" -b "$jar"
	check_eq "[$m] an encoded traversal in an id is a 404" "$STATUS" 404
	http GET "/recs/product/..%2F..%2Fshop.db"
	check_contains "[$m] an id naming a file is refused" "403 404" "$STATUS"
	http GET "/cart/../checkout" --path-as-is -b "$jar"
	check_contains "[$m] dot segments do not reach a route by accident" "200 404 400" "$STATUS"

	http GET /cart -H 'Cookie: sid=;;; =; sid=zzz; =='
	check_eq "[$m] a malformed cookie is a fresh visitor" "$STATUS" 200
	http POST /cart/add -H 'Cookie: sid=;;;sid=nothex' --data-raw "csrf=$csrf&product_id=P1"
	check_eq "[$m] a malformed cookie cannot post" "$STATUS" 403
	http GET /cart -H "Cookie: sid=\"$(sed -n 's/.*sid[[:space:]]*\([0-9a-f]*\)$/\1/p' "$jar" | head -n 1)\""
	check_eq "[$m] a quoted cookie still works" "$STATUS" 200
	long=$(head -c 9000 /dev/zero | tr '\0' 'x')
	http GET /cart -H "Cookie: junk=$long"
	check_contains "[$m] an oversized cookie is refused, not a crash" "400 431 413" "$STATUS"
	http GET /cart -H "Cookie: sid=$(printf '\377\376\375')"
	check_eq "[$m] invalid UTF-8 in a cookie is a fresh visitor" "$STATUS" 200
	many=$(i=0; while [ $i -lt 100 ]; do printf 'a%d=1&' $i; i=$((i + 1)); done)
	http GET "/recs/product/P1?$many" -H 'Accept: application/json'
	check_eq "[$m] a query of 100 fields is a 400" "$STATUS" 400
	check_contains "[$m] ... in the JSON error shape" "$(body)" '{"error":{"status":400,'

	http GET /health
	check_eq "[$m] the shop keeps serving after hostile input" "$STATUS" 200
	check_eq "[$m] shop.db is intact" "$(sql "$db" "PRAGMA integrity_check")" ok
	check_eq "[$m] no stock went negative" "$(sql "$db" "SELECT count(*) FROM products WHERE stock < 0")" 0
}

# 50 sessions, each with the last-5 print in its cart, check out at once.
test_race() {
	m=$1 db=$2
	sqlite3 "$db" "
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
	INSERT INTO sessions (sid, csrf, created, last_seen)
	SELECT printf('%032x', 100000 + i), printf('%032x', 900000 + i), strftime('%s', 'now'), strftime('%s', 'now') FROM n;
	INSERT INTO carts (session_id, created, updated)
	SELECT id, created, created FROM sessions WHERE csrf >= printf('%032x', 900001) AND csrf <= printf('%032x', 900050);
	INSERT INTO cart_lines (cart_id, product_id, quantity, added)
	SELECT c.id, 'RACE', 1, 0 FROM carts c JOIN sessions s ON s.id = c.session_id
	WHERE s.csrf >= printf('%032x', 900001) AND s.csrf <= printf('%032x', 900050);"
	i=1
	while [ $i -le 50 ]; do
		sid=$(printf '%032x' $((100000 + i)))
		csrf=$(printf '%032x' $((900000 + i)))
		key=$(printf '%032x' $((700000 + i)))
		curl -s -o /dev/null -w '%{http_code}\n' -H "Cookie: sid=$sid" \
			--data-raw "csrf=$csrf&idempotency_key=$key&name=Racer+$i&email=r$i%40example.com&address=Track+$i&payment_method=card" \
			"$SHOP_URL/shop.cgi/checkout" >"$WORK/race-$i" &
		i=$((i + 1))
	done
	wait_for_racers
	placed=$(cat "$WORK"/race-* | grep -c 303)
	refused=$(cat "$WORK"/race-* | grep -c 409)
	check_eq "[$m] 50 racing checkouts: 5 placed, 45 told it sold out" "$placed+$refused" "5+45"
	check_eq "[$m] exactly 5 orders hold the last 5 units" "$(sql "$db" "SELECT count(*) FROM order_lines WHERE product_id = 'RACE'")" 5
	check_eq "[$m] the stock is 0, never negative" "$(sql "$db" "SELECT stock FROM products WHERE id = 'RACE'")" 0
	rm -f "$WORK"/race-*
}

# Waits for the background curls of test_race (not the server).
wait_for_racers() {
	n=0
	while [ "$(cat "$WORK"/race-* 2>/dev/null | wc -l)" -lt 50 ] && [ $n -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

for mode in cgi fastcgi; do
	dir=$WORK/$mode
	shop_prepare "$dir"
	if ! shop_start "$mode" "$dir" 2; then
		not_ok "[$mode] lighttpd starts with shop.cgi"
		continue
	fi
	ok "[$mode] lighttpd starts with shop.cgi on $SHOP_URL"
	test_routes "$mode" "$dir/shop.db"
	test_hostile "$mode" "$dir/shop.db"
	test_race "$mode" "$dir/shop.db"
	shop_stop
	if grep -q -E "Sanitizer|runtime error|LeakSanitizer" "$dir/run/error.log"; then
		not_ok "[$mode] shop.cgi ran clean under the sanitizers" "$(grep -m 3 -E "Sanitizer|runtime error" "$dir/run/error.log")"
	else
		ok "[$mode] shop.cgi reported no memory or undefined-behaviour errors"
	fi
	if grep -q "shop.cgi: " "$dir/run/error.log"; then
		echo "    (shop.cgi logged:)"
		grep "shop.cgi: " "$dir/run/error.log" | head -n 5 | sed 's/^/    /'
	fi
done

# A shop.db that cannot be opened (here a folder): the shop's own 503 page, saying when
# to try again, with the reason in the server's log and not in the page.
mkdir -p "$WORK/not-a-db"
answer=$(env REQUEST_METHOD=GET PATH_INFO=/cart SCRIPT_NAME=/cgi-bin/shop.cgi \
	CARTOGRAPH_SHOP_DB="$WORK/not-a-db" "$SHOP_CGI" 2>"$WORK/not-a-db.log")
check_contains "[cgi] a shop.db that cannot be opened is a 503" "$answer" "Status: 503"
check_contains "... that says when to try again" "$answer" "Retry-After: 2"
check_contains "... on the shop's own page" "$answer" "The shop is closed for a moment"
case "$answer" in
*"unable to open"*) not_ok "... and keeps the reason out of the page" "$answer" ;;
*) ok "... and keeps the reason out of the page" ;;
esac
check_contains "... which goes to the server's log" "$(cat "$WORK/not-a-db.log")" "unable to open"
finish
