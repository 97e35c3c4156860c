#!/bin/sh
# End-to-end tests of `cartograph clean`: each rule on a tiny crafted export (ingest it,
# clean, look at the tables), the real exports' counts against an independent count of
# the raw files (sqlite3's own CSV reader), idempotence, and a failure that must leave
# the previous tables.
. tests/e2e/lib.sh
DB=$WORK/w.db
C="$CARTOGRAPH --db $DB -q"
TODAY=2024-06-30

# dump DB: every typed table and the dq log, in key order, as one text.
dump() {
	sqlite3 -batch -noheader "$1" "
		SELECT * FROM customers ORDER BY customer_id;
		SELECT * FROM products ORDER BY product_id;
		SELECT * FROM orders ORDER BY order_id;
		SELECT * FROM order_items ORDER BY order_id, line_no;
		SELECT * FROM adjustments ORDER BY rowid;
		SELECT * FROM reviews ORDER BY review_id;
		SELECT * FROM events ORDER BY event_id;
		SELECT * FROM dq_issues ORDER BY rule;"
}

# dq DB RULE: the count of a data-quality rule.
dq() { sql "$1" "SELECT count FROM dq_issues WHERE rule = '$2'"; }

# --- crafted order lines: one file, one story per group of lines -------------------
cat >"$WORK/orders.csv" <<'EOF'
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
1001,P1,RED MUG,5,2024-01-02 10:00:00,2.50," 17850.0 ",United Kingdom
C1002,P1,RED MUG,-5,2024-01-02 10:30:00,2.50,17850.0,United Kingdom
1003,P1,RED MUG,10,2024-01-03 09:00:00,2.50,c2,France
1003,P2,BLUE MUG,3,2024-01-03 09:00:00,3.00,c2,France
C1004,P2,BLUE MUG,-3,2024-01-04 09:00:00,3.00,c2,France
C1005,P1,RED MUG,-4,2024-01-04 09:30:00,2.50,c2,France
C0999,P9,OLD THING,-1,2023-12-31 09:00:00,1.00,c2,France
1006,P1,RED MUG,1,2024-01-05 11:00:00,2.50,,United Kingdom
1006,p2,"BLUE  MUG ",2,2024-01-05 11:00:00,3.00,,United Kingdom
1007,P3,GREEN MUG,2,2024-01-06 12:00:00,1.25,c3,Germany
1007,P3,GREEN MUG,2,2024-01-06 12:00:00,1.25,c3,Germany
1007,POST,POSTAGE,1,2024-01-06 12:00:00,18.00,c3,Germany
1007,X7,Manual,1,2024-01-06 12:00:00,-5.00,c3,Germany
1007,BANK CHARGES,Bank Charges,1,2024-01-06 12:00:00,15.00,c3,Germany
1008,P4,FREE GIFT,1,2024-01-07 12:00:00,0,c3,Germany
1008,P5,NOTHING,0,2024-01-07 12:00:00,1.00,c3,Germany
1008,P6,LATE THING,1,2024-09-01 12:00:00,1.00,c3,Germany
1008,P7,ANCIENT THING,1,1990-01-01 12:00:00,1.00,c3,Germany
1009,P8,SMALL JAR,2,2024-01-08 12:00:00,1.00,c4,Spain
1010,P8,SMALL JAR,2,2024-01-09 12:00:00,1.00,c4,Spain
1011,P8,SMALL JAR,3,2024-01-10 12:00:00,1.00,c4,Spain
1012,P8,SMALL JAR,2,2024-01-11 12:00:00,1.00,c4,Spain
1013,P8,SMALL JAR,2,2024-01-12 12:00:00,1.00,c4,France
1014,P8,SMALL JAR,500,2024-01-13 12:00:00,1.00,c4,Spain
1015,P10,TALL VASE,1,2024-01-14 12:00:00,0.125,c5,Spain
1015,P10,VASE TALL,1,2024-01-14 12:00:00,0.135,c5,Spain
1016,P11,ZEBRA,1,2024-01-15 12:00:00,1.00,c5,Spain
1016,P11,AARDVARK,1,2024-01-15 12:00:00,1.00,c5,Spain
1017,P12,NO SUCH RETURN,-2,2024-01-16 12:00:00,0,,United Kingdom
EOF
check "crafted order lines load" $C ingest "$WORK/orders.csv"
check "clean runs" $C clean --today $TODAY
item() { sql "$DB" "SELECT $1 FROM order_items WHERE order_id = '$2' AND line_no = $3"; }

check_eq "ids: trimmed, a float-written customer id read as a whole number" \
	"$(sql "$DB" "SELECT customer_id FROM orders WHERE order_id = '1001'")" "17850"
check_eq "ids: lower-case product codes read in upper case" "$(item product_id 1006 2)" "P2"
check_eq "names: runs of blanks become one space" \
	"$(sql "$DB" "SELECT count(*) FROM raw_order_lines WHERE product_name = 'BLUE  MUG '")|$(sql "$DB" "SELECT name FROM products WHERE product_id = 'P2'")" "1|BLUE MUG"
check_eq "dq counts ids written as floats and trimmed texts" \
	"$(dq "$DB" id_written_as_float)|$(dq "$DB" text_trimmed)|$(dq "$DB" product_code_case)" "2|2|1"

check_eq "exact duplicate line removed, counted, cited by file and line" \
	"$(sql "$DB" "SELECT count(*) FROM order_items WHERE order_id = '1007'")|$(dq "$DB" duplicate_line)|$(sql "$DB" "SELECT examples FROM dq_issues WHERE rule = 'duplicate_line'")" \
	'1|1|["orders.csv:12"]'

check_eq "a cancellation invoice is a cancelled order linked to the order it undoes" \
	"$(sql "$DB" "SELECT status || '|' || cancels_order_id FROM orders WHERE order_id = 'C1002'")" "cancelled|1001"
check_eq "the order it fully undoes is cancelled, its line flagged cancelled (32)" \
	"$(sql "$DB" "SELECT status FROM orders WHERE order_id = '1001'")|$(item flags 1001 1)" "cancelled|32"
check_eq "a partial cancellation flags only the line it matches" \
	"$(sql "$DB" "SELECT status FROM orders WHERE order_id = '1003'")|$(item flags 1003 1)|$(item flags 1003 2)" \
	"completed|0|32"
check_eq "a cancellation of part of a quantity links to the order but keeps the sale" \
	"$(sql "$DB" "SELECT cancels_order_id FROM orders WHERE order_id = 'C1005'")|$(dq "$DB" cancellation_partial)" "1003|1"
check_eq "a cancellation with no earlier sale is counted unmatched" \
	"$(sql "$DB" "SELECT coalesce(cancels_order_id, 'none') FROM orders WHERE order_id = 'C0999'")|$(dq "$DB" cancellation_unmatched)" "none|2"
check_eq "cancellation lines are returns (flag 16) and out of sales" \
	"$(item flags C1002 1)|$(sql "$DB" "SELECT count(*) FROM sales_lines WHERE order_id LIKE 'C%' OR order_id = '1001'")" "16|0"
check_eq "negative lines without a customer make a returned order" \
	"$(sql "$DB" "SELECT status FROM orders WHERE order_id = '1017'")|$(item flags 1017 1)" "returned|17"

check_eq "guest order: customer NULL, in sales, not a customer" \
	"$(sql "$DB" "SELECT coalesce(customer_id, 'NULL') FROM orders WHERE order_id = '1006'")|$(sql "$DB" "SELECT count(*) FROM sales_lines WHERE order_id = '1006'")|$(sql "$DB" "SELECT count(*) FROM customers WHERE customer_id = ''")" \
	"NULL|2|0"
check_eq "guest lines counted" "$(dq "$DB" guest_line)" "3"

check_eq "postage, manual lines and bank charges go to adjustments, not products" \
	"$(sql "$DB" "SELECT group_concat(code || ':' || amount_cents, ' ') FROM adjustments WHERE order_id = '1007'")|$(sql "$DB" "SELECT count(*) FROM products WHERE product_id IN ('POST', 'X7', 'BANK CHARGES')")|$(sql "$DB" "SELECT count(*) FROM order_items WHERE order_id = '1007'")" \
	"POST:1800 X7:-500 BANK CHARGES:1500|0|1"

check_eq "price 0 flagged 1, quantity 0 flagged 2" "$(item flags 1008 1)|$(item flags 1008 2)" "1|2"
check_eq "a date after --today and one far before the file's dates are flagged 4" \
	"$(item flags 1008 3)|$(item flags 1008 4)|$(dq "$DB" date_in_future)|$(dq "$DB" date_out_of_range)" "4|4|1|1"
check_eq "a quantity far above the product's median is an outlier (8)" \
	"$(item flags 1014 1)|$(sql "$DB" "SELECT group_concat(flags) FROM order_items WHERE product_id = 'P8' AND order_id <> '1014'")" \
	"8|0,0,0,0,0"
check_eq "flagged lines stay out of sales" \
	"$(sql "$DB" "SELECT count(*) FROM sales_lines WHERE order_id IN ('1008', '1014')")" "0"

check_eq "money: half a cent rounds away from zero, line totals exact" \
	"$(item unit_price_cents 1015 1)|$(item line_total_cents 1015 1)|$(item unit_price_cents 1015 2)" "13|13|14"
check_eq "canonical name: the most frequent, then first in byte order" \
	"$(sql "$DB" "SELECT name FROM products WHERE product_id = 'P8'")|$(sql "$DB" "SELECT name FROM products WHERE product_id = 'P11'")|$(sql "$DB" "SELECT name FROM products WHERE product_id = 'P10'")" \
	"SMALL JAR|AARDVARK|TALL VASE"
check_eq "a customer's country is the one they order from most" \
	"$(sql "$DB" "SELECT country FROM customers WHERE customer_id = 'c4'")" "Spain"
check_eq "every customer an order names exists" \
	"$(sql "$DB" "SELECT count(*) FROM orders o WHERE customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)")" "0"
check_eq "every item's order exists (foreign keys hold)" "$(sql "$DB" "PRAGMA foreign_key_check")" ""
check_eq "an order's total is its sales (completed) or all its lines (cancelled)" \
	"$(sql "$DB" "SELECT group_concat(order_id || ':' || total_cents, ' ') FROM orders WHERE order_id IN ('1001', '1003', '1008')")" \
	"1001:1250 1003:2500 1008:0"

# --- line totals only (Superstore-like): unit price derived, discount and profit kept --
cat >"$WORK/totals.csv" <<'EOF'
Order ID,Order Date,Customer ID,Product ID,Product Name,Sales,Quantity,Discount,Profit,Region,Category
CA-1,11/8/2018,CG-1,FUR-1,Table,957.5775,5,0.45,-383.031,South,Furniture
CA-1,11/8/2018,CG-1,OFF-1,Labels,14.62,2,0,6.8714,South,Office Supplies
EOF
check "line totals only: loads and cleans" sh -c "$C ingest '$WORK/totals.csv' && $C clean --today $TODAY"
check_eq "line totals only: unit price derived, total kept to the cent, discount and profit kept" \
	"$(sql "$DB" "SELECT unit_price_cents || '|' || line_total_cents || '|' || discount || '|' || profit_cents FROM order_items WHERE order_id = 'CA-1' ORDER BY line_no")" \
	"34821|95758|0.45|-38303
731|1462|0.0|687"
check_eq "line totals only: a C-prefixed id that is not C and a number is no cancellation" \
	"$(sql "$DB" "SELECT status FROM orders WHERE order_id = 'CA-1'")" "completed"
check_eq "line totals only: region and category reach customers and products" \
	"$(sql "$DB" "SELECT region FROM customers WHERE customer_id = 'CG-1'")|$(sql "$DB" "SELECT category FROM products WHERE product_id = 'FUR-1'")" \
	"South|Furniture"

# --- customers file, reviews, events ----------------------------------------------
printf 'customer_id,name,email,country,signup_date\nc2,Ann,ann@example.com,Belgium,2023-05-01\nc2,Ann again,,,\nc9,Bo,bo@example.com,Norway,2023-06-01\n' >"$WORK/customers.csv"
printf 'review_id,product_id,rating,body,review_date\nr1,P1,5,Lovely mug,2024-02-01\nr1,P1,1,same id again,2024-02-02\nr2,P1,6,too many stars,2024-02-03\nr3,P2,4,,2024-02-04\nr4,P2,4,He said &#34;wow&#34; &amp; smiled,2024-02-05\n' >"$WORK/reviews.csv"
{
	printf 'rating\tdate\tvariation\tverified_reviews\n'
	printf '5\t31-Jul-18\tCharcoal Fabric \tLove my Echo!\n'
	printf '5\t31-Jul-18\tCharcoal Fabric \tThe sound is great and setup took a minute.\n'
	printf '5\t31-Jul-18\tCharcoal Fabric \tThe sound is great and setup took a minute.\n'
	printf '5\t31-Jul-18\tCharcoal Fabric \tLove my Echo!\n'
	printf '4\t31-Jul-18\tCharcoal Fabric \tThe sound is great and setup took a minute.\n'
	printf '5\t31-Jul-18\tCharcoal Fabric \t\320\236\321\202\320\273\320\270\321\207\320\275\320\260\321\217 \320\272\320\276\320\273\320\276\320\275\320\272\320\260!\n'
	printf '5\t31-Jul-18\tCharcoal Fabric \t\320\236\321\202\320\273\320\270\321\207\320\275\320\260\321\217 \320\272\320\276\320\273\320\276\320\275\320\272\320\260!\n'
} >"$WORK/alexa.tsv"
printf 'event_time,event_type,user_session,user_id,product_id,price\n2024-01-01 00:00:00 UTC,page_view,s1,17850.0,p1,2.50\n2024-01-01 00:01:00 UTC,add_to_cart,s1,17850,P1,2.50\n2024-01-01 00:02:00 UTC,remove_from_cart,s1,17850,P1,0\n2030-01-01 00:00:00 UTC,purchase,s1,17850,P1,2.50\n' >"$WORK/events.csv"
check "customers, reviews and events load" $C ingest "$WORK/customers.csv" "$WORK/reviews.csv" "$WORK/alexa.tsv" "$WORK/events.csv"
check "clean with every kind" $C clean --today $TODAY
check_eq "customers file: first row of an id wins, the repeat is counted" \
	"$(sql "$DB" "SELECT name || '|' || email || '|' || country || '|' || signup_date FROM customers WHERE customer_id = 'c2'")|$(dq "$DB" customer_row_duplicate)" \
	"Ann|ann@example.com|Belgium|2023-05-01 00:00:00|1"
check_eq "customers file: a customer without orders is kept" \
	"$(sql "$DB" "SELECT count(*) FROM customers WHERE customer_id = 'c9'")" "1"
check_eq "reviews: a repeated id is left out and counted" \
	"$(sql "$DB" "SELECT body FROM reviews WHERE review_id = 'r1'")|$(dq "$DB" review_duplicate_id)" "Lovely mug|1"
check_eq "reviews: a rating outside 1-5 is left empty and flagged 1; no text flagged 2" \
	"$(sql "$DB" "SELECT coalesce(rating, 'NULL') || '|' || flags FROM reviews WHERE review_id = 'r2'")|$(sql "$DB" "SELECT coalesce(body, 'NULL') || '|' || flags FROM reviews WHERE review_id = 'r3'")" \
	"NULL|1|NULL|2"
check_eq "reviews: HTML character references in the text are decoded and counted" \
	"$(sql "$DB" "SELECT body FROM reviews WHERE review_id = 'r4'")|$(dq "$DB" review_character_references)" \
	'He said "wow" & smiled|1'
alexa_run=$(sql "$DB" "SELECT run_id FROM ingest_runs WHERE file_name = 'alexa.tsv'")
check_eq "reviews without ids get run:line; text kept; product code trimmed and folded" \
	"$(sql "$DB" "SELECT review_id || '|' || body || '|' || product_id || '|' || review_date FROM reviews WHERE review_id = '$alexa_run:2'")" \
	"$alexa_run:2|Love my Echo!|CHARCOAL FABRIC|2018-07-31 00:00:00"
check_eq "reviews: a word-for-word copy is left out and counted; a short text (in characters, not bytes) or another rating is kept" \
	"$(sql "$DB" "SELECT group_concat(substr(review_id, length('$alexa_run:') + 1), ' ') FROM (SELECT review_id FROM reviews WHERE review_id LIKE '$alexa_run:%' ORDER BY rowid)")|$(dq "$DB" review_duplicate_text)|$(sql "$DB" "SELECT examples FROM dq_issues WHERE rule = 'review_duplicate_text'")" \
	'2 3 5 6 7 8|1|["alexa.tsv:4"]'
check_eq "events: types renamed to view/cart/purchase, unknown ones kept and flagged" \
	"$(sql "$DB" "SELECT group_concat(event_type || ':' || flags, ' ') FROM (SELECT * FROM events ORDER BY event_id)")" \
	"view:0 cart:0 remove_from_cart:5 purchase:2"
check_eq "events: ids normalised, prices in cents" \
	"$(sql "$DB" "SELECT customer_id || '|' || product_id || '|' || price_cents FROM events WHERE event_id = 1")" "17850|P1|250"

# --- idempotence and failure ---------------------------------------------------------
sqlite3 "$DB" "CREATE INDEX items_by_product ON order_items (product_id)" # an analyst's own
first=$(dump "$DB")
check "clean again" $C clean --today $TODAY
check_eq "running clean twice gives identical tables" "$(dump "$DB" | sha256sum)" "$(echo "$first" | sha256sum)"
sqlite3 "$DB" "CREATE TRIGGER fail_clean BEFORE INSERT ON dq_issues BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
run_status st $CARTOGRAPH --db "$DB" clean --today $TODAY --outlier-k 1
check_eq "a failure mid-clean exits 1" "$st" 1
check_contains "a failure mid-clean says what failed" "$OUT" "disk on fire"
check_eq "a failure mid-clean leaves the previous tables and indexes" \
	"$(dump "$DB" | sha256sum)|$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE name IN ('items_by_product', 'orders_customer', 'orders_time')")" \
	"$(echo "$first" | sha256sum)|3"
sqlite3 "$DB" "DROP TRIGGER fail_clean"

# --- options and report ---------------------------------------------------------------
check "--keep-id-case keeps p2 apart" $C clean --today $TODAY --keep-id-case
check_eq "--keep-id-case: p2 is its own product" "$(sql "$DB" "SELECT count(*) FROM products WHERE product_id IN ('P2', 'p2')")" "2"
check "--cancel-prefix '' treats C-invoices as orders" $C clean --today $TODAY --cancel-prefix ''
check_eq "--cancel-prefix '': C1002 is a return, not a cancellation" \
	"$(sql "$DB" "SELECT status FROM orders WHERE order_id = 'C1002'")|$(dq "$DB" cancellation_line)" "returned|0"
check "--adjustment-codes and --adjustment-names replace the lists" $C clean --today $TODAY \
	--adjustment-codes POST --adjustment-names POSTAGE
check_eq "--adjustment-codes POST: bank charges become a product" \
	"$(sql "$DB" "SELECT count(*) FROM products WHERE product_id = 'BANK CHARGES'")" "1"
check "--from/--to and --outlier-k" $C clean --today $TODAY --from 2024-01-05 --to 2024-12-31 --outlier-k 1000
check_eq "--from: earlier lines are out of range; --outlier-k 1000: no outlier" \
	"$(item flags 1003 1)|$(item flags 1014 1)" "4|0"
run_status st $CARTOGRAPH --db "$DB" clean --report --today $TODAY
check_eq "--report exits 0" "$st" 0
check_contains "--report shows counts, rules and examples" "$OUT" "duplicate_line:"
check_contains "--report cites source lines" "$OUT" "e.g. orders.csv:12"
check_contains "--report lists the rules that found nothing" "$OUT" "Found nothing:"
run_status st $CARTOGRAPH --db "$DB" clean --today 2024-13-01
check_eq "a bad --today exits 1" "$st" 1
check_contains "a bad --today says so" "$OUT" "--today '2024-13-01': expected a day as YYYY-MM-DD"
run_status st $CARTOGRAPH --db "$DB" clean --frobnicate
check_eq "an unknown option exits 2 with usage" "$st|$(echo "$OUT" | grep -c 'usage: cartograph clean')" "2|1"
run_status st $CARTOGRAPH help clean
check_contains "help clean documents the flags" "$OUT" "16 a return or cancellation line"
run_status st $CARTOGRAPH --db "$WORK/empty.db" clean
check_eq "clean on an empty warehouse works" "$st" 0

# --- real data sets -------------------------------------------------------------------
if have_shared; then
	D=$SHARED/datasets
	DB=$WORK/real.db
	C="$CARTOGRAPH --db $DB -q"
	check "Online Retail loads" $C ingest "$D/online_retail.csv.gz"
	check "Online Retail cleans" $C clean
	# An independent count: sqlite3's own CSV reader on the raw file.
	zcat "$D/online_retail.csv.gz" >"$WORK/or.csv"
	sqlite3 "$WORK/raw.db" ".import --csv $WORK/or.csv r"
	raw() { sql "$WORK/raw.db" "$1"; }
	check_eq "Online Retail: 541,909 lines read" \
		"$(sql "$DB" "SELECT count(*) FROM raw_order_lines")" "$(raw "SELECT count(*) FROM r")"
	check_eq "Online Retail: exact duplicates (5,268) as an independent count finds" \
		"$(dq "$DB" duplicate_line)" "$(raw "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM r)) FROM r")"
	check_eq "Online Retail: 9,288 lines on 3,836 cancellation invoices, all cancelled" \
		"$(dq "$DB" cancellation_line)|$(sql "$DB" "SELECT count(*) FROM orders WHERE order_id LIKE 'C%' AND status = 'cancelled'")" \
		"$(raw "SELECT count(*) || '|' || count(DISTINCT InvoiceNo) FROM r WHERE InvoiceNo LIKE 'C%'")"
	check_eq "Online Retail: 10,624 negative quantities, 2,517 prices <= 0, 135,080 guest lines" \
		"$(dq "$DB" negative_quantity)|$(dq "$DB" price_not_positive)|$(dq "$DB" guest_line)" \
		"$(raw "SELECT sum(CAST(Quantity AS INT) < 0) || '|' || sum(CAST(UnitPrice AS REAL) <= 0) || '|' || sum(CustomerID = '') FROM r")"
	check_eq "Online Retail: 4,372 customers and 25,900 invoices" \
		"$(sql "$DB" "SELECT (SELECT count(*) FROM customers) || '|' || (SELECT count(*) FROM orders)")" \
		"$(raw "SELECT count(DISTINCT nullif(CustomerID, '')) || '|' || count(DISTINCT InvoiceNo) FROM r")"
	check_eq "Online Retail: the 80,995 and 74,215-unit orders are cancelled, linked, not sales" \
		"$(sql "$DB" "SELECT group_concat(o.order_id || ':' || o.status || ':' || c.order_id, ' ') FROM orders o JOIN orders c ON c.cancels_order_id = o.order_id WHERE o.order_id IN ('541431', '581483')")|$(sql "$DB" "SELECT count(*) FROM sales_lines WHERE quantity > 70000 OR order_id IN ('541431', '581483')")" \
		"541431:cancelled:C541433 581483:cancelled:C581484|0"
	check_eq "Online Retail: items plus adjustments plus duplicates are all the lines" \
		"$(sql "$DB" "SELECT (SELECT count(*) FROM order_items) + (SELECT count(*) FROM adjustments) + (SELECT count FROM dq_issues WHERE rule = 'duplicate_line') + (SELECT count FROM dq_issues WHERE rule = 'unreadable_line')")" \
		"541909"
	first=$(dump "$DB" | sha256sum)
	check "Online Retail cleans again" $C clean
	check_eq "Online Retail: two cleans give identical tables" "$(dump "$DB" | sha256sum)" "$first"

	check "Superstore loads" $C ingest "$D/superstore_2016_2019.csv"
	check "Superstore cleans" $C clean
	sqlite3 "$WORK/raw.db" ".import --csv $D/superstore_2016_2019.csv s"
	# Sales to exact cents from its text: whole part, four decimals, half away from 0.
	cents="(CAST(substr(Sales, 1, instr(Sales || '.', '.') - 1) AS INT) * 10000 + CAST(substr(substr(Sales, instr(Sales || '.', '.') + 1) || '0000', 1, 4) AS INT) + 50) / 100"
	check_eq "Superstore: line_total_cents is Sales to the cent, line by line" \
		"$(sql "$DB" "SELECT i.order_id || ' ' || i.product_id || ' ' || i.line_total_cents FROM order_items i JOIN orders o USING (order_id) WHERE o.order_id GLOB '[A-Z][A-Z]-*' ORDER BY 1" | sha256sum)" \
		"$(raw "SELECT \"Order ID\" || ' ' || \"Product ID\" || ' ' || ($cents) FROM s ORDER BY 1" | sha256sum)"
	check_eq "Superstore: unit price x quantity x (1 - discount) gives back Sales to the cent" \
		"$(sql "$DB" "SELECT count(*), sum((unit_price_cents * quantity * (1000000 - CAST(round(discount * 1000000) AS INT)) + 500000) / 1000000 = line_total_cents) FROM order_items WHERE order_id GLOB '[A-Z][A-Z]-*'")" \
		"9994|9994"
	check_eq "Superstore: dates read month-first, none flagged" \
		"$(sql "$DB" "SELECT min(order_time) || '|' || max(order_time) FROM orders WHERE order_id GLOB '[A-Z][A-Z]-*'")|$(dq "$DB" date_out_of_range)" \
		"2016-01-03 00:00:00|2019-12-30 00:00:00|0"

	check "Alexa reviews and REES46 events load" $C ingest "$D/amazon_alexa_reviews.tsv" "$D/rees46_events_2019_10_head.csv"
	check "everything cleans together" $C clean
	check_eq "Alexa: 3,150 reviews with derived ids, 570 word-for-word copies left out, 79 without text flagged" \
		"$(sql "$DB" "SELECT count(*) || '|' || sum(flags & 2 = 2) || '|' || sum(rating BETWEEN 1 AND 5) FROM reviews")|$(dq "$DB" review_id_derived)|$(dq "$DB" review_duplicate_text)" \
		"2580|79|2580|3150|570"
	check_eq "Alexa: the 78 lines with '&#34;' or '&quot;' for quotes are decoded" \
		"$(sql "$DB" "SELECT count(*) FROM reviews WHERE body LIKE '%&#34;%' OR body LIKE '%&quot;%'")|$(dq "$DB" review_character_references)" \
		"0|78"
	check_eq "REES46: 17,434 events: view, cart, purchase" \
		"$(sql "$DB" "SELECT group_concat(event_type || ':' || n, ' ') FROM (SELECT event_type, count(*) n FROM events GROUP BY 1 ORDER BY 1)")" \
		"cart:165 purchase:214 view:17055"
fi
finish
