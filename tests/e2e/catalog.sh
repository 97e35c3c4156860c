#!/bin/sh
# End-to-end tests of the shop catalog `cartograph build` writes: pages for the front
# page, every category and every product (ids with slashes, dots, spaces, markup and
# letters of other scripts among them), relative links that all lead somewhere, the
# add-to-cart forms, static recommendation files, the export into shop.db while a
# shopper has a cart open and an order placed (driven through bin/shop.cgi as plain
# CGI), a second build that writes nothing, and --shop-url.
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh

DB=$WORK/warehouse.db
SHOP=$WORK/shop.db
SITE_DIR=$WORK/out
SITE="$CARTOGRAPH --db $DB --shop-db $SHOP --out $SITE_DIR"

# --- a small shop with awkward product ids ----------------------------------------------
cat >"$WORK/products.csv" <<'EOF'
product_id,name,description,category,subcategory,price,cost,stock
P1,Blue enamel mug,A sturdy mug for tea at home or by the campfire.,Kitchen,Mugs,12.50,5.00,40
P2,Cast-iron teapot,,Kitchen,,34.00,20.00,3
P3,Linen tea towel,,Kitchen,,6.50,2.00,0
p1,Lower-case twin,,Kitchen,,1.00,0.50,100
a/b,Trowel,,Garden & Patio,,9.00,4.00,100
../x,Rake <script>alert(1)</script>,,Garden & Patio,,9.50,4.00,100
Ünï 7,Watering can,,,,19.00,8.00,
EOF
cat >"$WORK/orders.csv" <<'EOF'
order_id,order_date,customer_id,product_id,quantity,unit_price
1,2024-03-01 10:00:00,c1,P1,1,12.50
1,2024-03-01 10:00:00,c1,P2,1,34.00
2,2024-03-02 10:00:00,c2,P1,2,12.50
2,2024-03-02 10:00:00,c2,P2,1,34.00
3,2024-03-03 10:00:00,c3,P1,1,12.50
3,2024-03-03 10:00:00,c3,a/b,1,9.00
4,2024-03-04 10:00:00,c1,../x,1,9.50
4,2024-03-04 10:00:00,c1,a/b,1,9.00
5,2024-03-05 10:00:00,c4,Ünï 7,1,19.00
EOF
cat >"$WORK/reviews.csv" <<'EOF'
review_id,product_id,customer_id,rating,title,body,review_date
1,P1,c1,5,Love it,"Keeps my tea hot, <b>really</b>.",2024-03-10
2,P1,c2,4,,Nice colour,2024-03-11
EOF
check "the shop's files load" $CARTOGRAPH -q --db "$DB" ingest "$WORK/products.csv" "$WORK/orders.csv" "$WORK/reviews.csv"
check "clean keeps the ids' case" $CARTOGRAPH -q --db "$DB" clean --keep-id-case

run_status st $SITE build
check_eq "build with the catalog succeeds" "$st" 0
check_contains "build says how many catalog pages it made" "$OUT" "shop catalog: "
check_contains "build says what went into shop.db" "$OUT" "7 products (0 kept sold out, 0 removed)"
check_contains "build uses co-purchase counts while the model has no neighbours" "$OUT" "from co-purchase counts"
check_contains "build counts the ids shop.cgi cannot take in a form" "$OUT" "note: 3 products have ids shop.cgi does not take"
run_status st $SITE build
check_contains "a second build of the same data writes no file" "$OUT" " 0 files written"

# --- the pages ---------------------------------------------------------------------------
# product_page ID: the page whose product is ID.
product_page() { grep -lF "data-product=\"$1\"" "$SITE_DIR"/shop/product/*.html 2>/dev/null | head -n 1; }
check "the catalog has a front page" test -f "$SITE_DIR/shop/index.html"
check_eq "a page per product" "$(ls "$SITE_DIR/shop/product" | wc -l | tr -d ' ')" 7
check_eq "a recommendation file per product" "$(ls "$SITE_DIR/recs/product" | wc -l | tr -d ' ')" 7
check_eq "a page per category, named after it" "$(ls "$SITE_DIR/shop/category" | sort | tr '\n' ' ')" \
	"garden-patio.html kitchen.html other-products.html "
bad_names=$(ls "$SITE_DIR/shop/product" "$SITE_DIR/shop/category" "$SITE_DIR/recs/product" | grep -v ':$' | grep -v '^$' | grep -vE '^[a-z0-9-]+\.(html|json)$')
check_eq "every page name is lower-case letters, digits and dashes" "$bad_names" ""
check "the plain id 'P2' keeps a plain name" test -f "$SITE_DIR/shop/product/p2.html"
p1=$(product_page P1)
twin=$(product_page p1)
check "P1 and p1 both have pages" test -n "$p1" -a -n "$twin" -a "$p1" != "$twin"
case "$(basename "$p1")" in p1-????????.html) ok "ids that differ only in case get a hash each" ;;
*) not_ok "ids that differ only in case get a hash each" "$(basename "$p1")" ;; esac
check "the id '../x' has a page inside the catalog" test -n "$(product_page ../x)"
check "the id 'Ünï 7' has a page" test -n "$(product_page "Ünï 7")"

page=$(cat "$p1")
check_contains "the product page names the product" "$page" "<h1>Blue enamel mug</h1>"
check_contains "it shows the price" "$page" '<p class="price big">$12.50</p>'
check_contains "it says it is in stock" "$page" '<p class="stock in">In stock</p>'
check_contains "it sums up the reviews" "$page" "4.5 out of 5"
check_contains "it shows a review, escaped" "$page" "Keeps my tea hot, &lt;b&gt;really&lt;/b&gt;."
rake_page=$(product_page ../x)
case "$(cat "$rake_page")" in *'class="add-to-cart"'*) not_ok "an id shop.cgi refuses gets no add-to-cart form" ;;
*) ok "an id shop.cgi refuses gets no add-to-cart form" ;; esac
check_contains "...but says it is not sold online" "$(cat "$rake_page")" "This product is not sold online."
check_contains "its form posts to the shop program" "$page" 'action="/cgi-bin/shop.cgi/cart/add" data-shop-token="/cgi-bin/shop.cgi/cart.json" class="add-to-cart"'
check_contains "the form sends the product id" "$page" 'name="product_id" value="P1"'
check_contains "bought-together products are listed" "$page" '<h2 id="together">Frequently bought together</h2>'
check_contains "...with a link to their page" "$page" 'href="../product/p2.html"'
check_contains "it links its recommendations file" "$page" 'href="../../recs/product/'
check_contains "it loads the hashed shop script" "$page" 'src="../../assets/shop.'
p2=$(cat "$SITE_DIR/shop/product/p2.html")
check_contains "a product with 3 left says so" "$p2" "Only 3 left"
p3=$(cat "$(product_page P3)")
check_contains "a product with none left is sold out" "$p3" '<p class="stock out">Sold out</p>'
case "$p3" in *'class="add-to-cart"'*) not_ok "a sold-out product has no add-to-cart form" ;;
*) ok "a sold-out product has no add-to-cart form" ;; esac
rake=$(cat "$(product_page ../x)")
check_contains "markup in a name is shown as text" "$rake" "Rake &lt;script&gt;alert(1)&lt;/script&gt;"
case "$(cat "$SITE_DIR"/shop/*.html "$SITE_DIR"/shop/*/*.html)" in
*"<script>alert"*) not_ok "no page holds the name's markup" ;;
*) ok "no page holds the name's markup" ;; esac
front=$(cat "$SITE_DIR/shop/index.html")
check_contains "the front page lists the categories" "$front" "Garden &amp; Patio"
check_contains "...and the products without one" "$front" "Other products"
check_contains "...and the best sellers" "$front" '<h2 id="best-sellers">Best sellers</h2>'
check_contains "the report's navigation leads to the shop" "$(cat "$SITE_DIR/index.html")" 'href="shop/index.html"'
check "the shop program's own pages find shop.css in out/assets" test -f "$SITE_DIR/assets/shop.css" -a -f "$SITE_DIR/assets/shop.js"

# Every link of every catalog page: relative and leading to a file of the site, or to the
# shop program.
broken=""
absolute=""
for f in "$SITE_DIR"/shop/*.html "$SITE_DIR"/shop/*/*.html; do
	dir=$(dirname "$f")
	for link in $(grep -oE '(href|src|action|data-shop-token)="[^"]*"' "$f" | sed -E 's/^[a-z-]+="([^"]*)"$/\1/' | sort -u); do
		case "$link" in
		"/cgi-bin/shop.cgi/"*) ;;
		"#"* | "data:"*) ;;
		/* | http:* | https:*) absolute="$absolute $link" ;;
		*) target="$dir/${link%%#*}"; [ -f "$target" ] || broken="$broken $(basename "$f"):$link" ;;
		esac
	done
done
check_eq "catalog links are relative (but the shop program's)" "$absolute" ""
check_eq "every relative link leads to a file" "$broken" ""

# --- the static recommendations ---------------------------------------------------------
recs_file="$SITE_DIR/$(sed -n 's#.*href="../../\(recs/product/[^"]*\)".*#\1#p' "$p1" | head -n 1)"
check_contains "the recommendations file is the route's JSON" "$(cat "$recs_file")" '{"product_id":"P1","title":"Frequently bought together","recs":[{"rank":1,"product_id":"P2"'

# --- shop.db -----------------------------------------------------------------------------
check_eq "shop.db has the catalog" "$(sql "$SHOP" "SELECT count(*) FROM products")" 7
check_eq "...with the stock of the products file" "$(sql "$SHOP" "SELECT stock FROM products WHERE id = 'P1'")" 40
check_eq "...and the neighbours" "$(sql "$SHOP" "SELECT rec_product_id FROM product_recs WHERE product_id = 'P1' AND rank = 1")" P2

# cgi METHOD PATH [BODY]: one request to bin/shop.cgi as plain CGI, with the cookie jar in
# $WORK/cookie; the answer in $WORK/answer.
cgi() {
	body=${3:-}
	printf '%s' "$body" | env REQUEST_METHOD="$1" PATH_INFO="$2" SCRIPT_NAME=/cgi-bin/shop.cgi \
		QUERY_STRING= HTTP_COOKIE="$(cat "$WORK/cookie" 2>/dev/null)" \
		HTTP_ACCEPT=application/json CONTENT_TYPE=application/x-www-form-urlencoded \
		CONTENT_LENGTH=${#body} CARTOGRAPH_SHOP_DB="$SHOP" \
		CARTOGRAPH_SHOP_TEMPLATES="$PWD/templates/shop" \
		CARTOGRAPH_LEXICON="$PWD/data/vader_lexicon.txt" "$SHOP_CGI" >"$WORK/answer"
	sid=$(sed -n 's/^Set-Cookie: \(sid=[0-9a-f]*\).*/\1/p' "$WORK/answer" | tr -d '\r')
	[ -z "$sid" ] || echo "$sid" >"$WORK/cookie"
}
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$WORK/answer" | head -n 1; }

cgi GET /cart.json
csrf=$(json_field csrf)
cgi POST /cart/add "csrf=$csrf&product_id=P2&quantity=1"
cgi GET /checkout
key=$(sed -n 's/.*"idempotency_key":"\([0-9a-f]*\)".*/\1/p' "$WORK/answer" | head -n 1)
cgi POST /checkout "csrf=$csrf&idempotency_key=$key&name=Ada+Lovelace&email=ada%40example.com&address=12+St+James%27s+Square%2C+London&payment_method=card"
check_eq "a shopper placed an order" "$(sql "$SHOP" "SELECT count(*) FROM orders")" 1
cgi POST /cart/add "csrf=$csrf&product_id=P1&quantity=2"
check_eq "...and has a cart open" "$(sql "$SHOP" "SELECT product_id || ' ' || quantity FROM cart_lines")" "P1 2"
check_eq "the order took a teapot from stock" "$(sql "$SHOP" "SELECT stock FROM products WHERE id = 'P2'")" 2

run_status st $SITE build
check_eq "a build while the shopper is busy succeeds" "$st" 0
check_contains "the teapot's page tells the stock the shop has now" "$(cat "$SITE_DIR/shop/product/p2.html")" "Only 2 left"
check_eq "the open cart survives the build" "$(sql "$SHOP" "SELECT product_id || ' ' || quantity FROM cart_lines")" "P1 2"
check_eq "the order keeps its lines" "$(sql "$SHOP" "SELECT product_id || ' ' || quantity || ' ' || line_total_cents FROM order_lines")" "P2 1 3400"
check_eq "the build does not hand back the teapot sold" "$(sql "$SHOP" "SELECT stock FROM products WHERE id = 'P2'")" 2
check_eq "shop.db is whole" "$(sql "$SHOP" "PRAGMA integrity_check")" ok

# --- the shop's URL ----------------------------------------------------------------------
run_status st $SITE build --shop-url https://shop.example.com/cgi-bin/shop.cgi
check_eq "build --shop-url succeeds" "$st" 0
check_contains "forms post to the given shop URL" "$(cat "$p1")" 'action="https://shop.example.com/cgi-bin/shop.cgi/cart/add"'
check_contains "...and the cart link goes there" "$(cat "$p1")" 'href="https://shop.example.com/cgi-bin/shop.cgi/cart"'

# --- a shop.db that cannot be written ----------------------------------------------------
before=$(cat "$SITE_DIR/manifest.json")
run_status st $CARTOGRAPH --db "$DB" --shop-db "$WORK/no/such/folder/shop.db" --out "$SITE_DIR" build
check_eq "a build whose shop.db cannot be opened fails" "$st" 1
check_contains "...naming it" "$OUT" "no/such/folder/shop.db"
check_eq "...and leaves the site as it was" "$(cat "$SITE_DIR/manifest.json")" "$before"

finish
