#!/bin/sh
# End-to-end tests of `cartograph ingest`: real exports load with the right counts,
# broken files fail clearly (file, line, column) and leave the warehouse as it was.
. tests/e2e/lib.sh
DB=$WORK/w.db
C="$CARTOGRAPH --db $DB -q"

# --- real data sets ---------------------------------------------------------------
if have_shared; then
	D=$SHARED/datasets
	check "Online Retail loads" $C ingest "$D/online_retail.csv.gz"
	check_eq "Online Retail: all 541,909 lines loaded as order lines" \
		"$(sql "$DB" "SELECT kind, rows_read, rows_loaded, rows_rejected FROM ingest_runs WHERE file_name='online_retail.csv.gz'")" \
		"order_lines|541909|541909|0"
	check_eq "Online Retail: quoted commas and doubled quotes survive" \
		"$(sql "$DB" "SELECT count(*) FROM raw_order_lines WHERE product_name LIKE '%,%' OR product_name LIKE '%\"%'")" \
		"$(zcat "$D/online_retail.csv.gz" | tail -n +2 | awk -F'"' 'NF>1' | wc -l | tr -d ' ')"
	check "Superstore loads" $C ingest "$D/superstore_2016_2019.csv"
	check_eq "Superstore: 9,994 lines, M/D/Y dates, unknown columns kept" \
		"$(sql "$DB" "SELECT rows_loaded, date_formats, (SELECT json_extract(extra, '\$.\"Ship Mode\"') FROM raw_order_lines r WHERE r.run_id = i.run_id LIMIT 1) FROM ingest_runs i WHERE file_name='superstore_2016_2019.csv'")" \
		'9994|{"order_date":"MDY"}|Second Class'
	check "Alexa reviews load" $C ingest "$D/amazon_alexa_reviews.tsv"
	check_eq "Alexa: 3,150 reviews, tab-separated, D-Mon-Y dates" \
		"$(sql "$DB" "SELECT kind, rows_loaded, delimiter = char(9), date_formats FROM ingest_runs WHERE file_name='amazon_alexa_reviews.tsv'")" \
		'reviews|3150|1|{"review_date":"D-Mon-Y"}'
	check "REES46 events load" $C ingest "$D/rees46_events_2019_10_head.csv"
	check_eq "REES46: 17,434 events, the cut-off last line rejected with its line" \
		"$(sql "$DB" "SELECT rows_loaded, rows_rejected, (SELECT line || ': ' || reason FROM ingest_rejects j WHERE j.run_id = i.run_id) FROM ingest_runs i WHERE kind='events'")" \
		"17434|1|17436: has 8 fields, the header has 9 (a cut-off row?)"
	before=$(db_state "$DB")
	run_status st $CARTOGRAPH --db "$DB" ingest "$D/online_retail.csv.gz"
	check_contains "ingesting the same file again says so" "$OUT" "already loaded"
	check_eq "ingesting the same file again changes nothing" "$(db_state "$DB")" "$before"
	check "--replace loads a file again" $C ingest --replace "$D/superstore_2016_2019.csv"
	check_eq "--replace does not double the rows" \
		"$(sql "$DB" "SELECT count(*) FROM raw_order_lines")" "551903"
fi

# --- crafted files ----------------------------------------------------------------
DB=$WORK/crafted.db
C="$CARTOGRAPH --db $DB -q"
printf 'order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2024-01-02,c1,p1,2,3.50\n' >"$WORK/good.csv"
check "a small good file loads" $C ingest "$WORK/good.csv"

# expect_failure STORY FILE MESSAGE [OPTIONS...]: exit 1, the message, nothing changed.
expect_failure() {
	story=$1 file=$2 message=$3; shift 3
	before=$(db_state "$DB")
	run_status st $CARTOGRAPH --db "$DB" ingest "$@" "$file"
	check_eq "$story: exit status 1" "$st" 1
	check_contains "$story: clear message" "$OUT" "$message"
	check_eq "$story: warehouse unchanged" "$(db_state "$DB")" "$before"
}

# expect_reject STORY FILE LINE COLUMN REASON: loads the good rows, rejects one.
expect_reject() {
	story=$1 file=$2 line=$3 column=$4 reason=$5
	run_status st $C ingest "$file"
	check_eq "$story: exit status 0" "$st" 0
	got=$(sql "$DB" "SELECT line || '|' || coalesce(column_name, '') || '|' || reason FROM ingest_rejects WHERE run_id = (SELECT max(run_id) FROM ingest_runs)")
	check_contains "$story: reject names line and column" "$got" "$line|$column|$reason"
}

printf 'order_id,order_date,product_id,quantity,unit_price\n1,2024-01-02,p1,2,3.50\n2,2024-01-02,"p2,2,3.50\n3,2024-01-03,p3,1,1.00\n' >"$WORK/unterminated.csv"
expect_failure "unterminated quote" "$WORK/unterminated.csv" "unterminated.csv:3: a quoted field is never closed"

printf 'order_id,order_date,product_id,quantity,unit_price\n1,2024-01-02,p1,2,3.50\n2,2024-01-02,p2\n3,2024-01-03,p3,1,1.00\n' >"$WORK/columns.csv"
expect_reject "wrong column count" "$WORK/columns.csv" 3 "" "has 3 fields, the header has 5"
expect_failure "wrong column count under --strict" "$WORK/columns.csv" "columns.csv:3: has 3 fields" --strict --replace

printf 'order_id,order_date,product_id,quantity,unit_price\n1,2024-01-02,p\303\251,2,3.50\n2,2024-01-02,p\377\376,2,3.50\n' >"$WORK/utf8.csv"
expect_reject "invalid UTF-8 in a UTF-8 file" "$WORK/utf8.csv" 3 product_id "invalid UTF-8 at byte 2"

# Windows-1252 (Excel's "CSV" on Western European Windows): read into UTF-8
printf 'order_id,order_date,product_id,product_name,quantity,unit_price\nW1,2024-01-02,p1,TEA,1,2.00\nW2,2024-01-02,p2,CAF\311 CR\310ME,2,3.50\nW3,2024-01-03,p3,\223BEST\224 MUG \200,1,4.00\n' >"$WORK/cp1252.csv"
run_status st $CARTOGRAPH --db "$DB" ingest "$WORK/cp1252.csv"
check_eq "a Windows-1252 file: every row loads" \
	"$(sql "$DB" "SELECT rows_loaded, rows_rejected FROM ingest_runs WHERE file_name = 'cp1252.csv'")" "3|0"
check_contains "a Windows-1252 file: the summary says so" "$OUT" \
	"note: text read as Windows-1252: line 3 is not UTF-8"
check_eq "a Windows-1252 file: its text is stored as UTF-8" \
	"$(sql "$DB" "SELECT group_concat(product_name, '/') FROM raw_order_lines WHERE run_id = (SELECT run_id FROM ingest_runs WHERE file_name = 'cp1252.csv')")" \
	"TEA/CAFÉ CRÈME/“BEST” MUG €"
printf '\377\376o\000r\000d\000e\000r\000' >"$WORK/utf16.csv"
expect_failure "a UTF-16 file" "$WORK/utf16.csv" \
	"utf16.csv: the file is UTF-16 text (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" and load that"

: >"$WORK/empty.csv"
expect_failure "empty file" "$WORK/empty.csv" "empty.csv: the file is empty"

printf 'order_id,order_date,product_id,quantity,unit_price\r\n' >"$WORK/header-only.csv"
expect_failure "header only" "$WORK/header-only.csv" "header-only.csv: the file has a header but no rows"

{ printf 'review_id,rating,body\n1,5,"fine"\n2,4,"'; head -c 1100000 /dev/zero | tr '\0' 'x'; printf '"\n3,1,"bad"\n'; } >"$WORK/bigfield.csv"
expect_reject "a 1 MB field" "$WORK/bigfield.csv" 3 body "a value of 1100000 bytes, over the limit of 1048576"
check_eq "a 1 MB field: the other rows load" \
	"$(sql "$DB" "SELECT rows_loaded FROM ingest_runs WHERE file_name='bigfield.csv'")" 2

head -c 5000 /dev/urandom >"$WORK/garbage.bin"
printf '\0' >>"$WORK/garbage.bin"
head -c 3000 /dev/urandom >>"$WORK/garbage.bin"
expect_failure "binary garbage" "$WORK/garbage.bin" "garbage.bin"

printf 'order_id,order_date,product_id,quantity,unit_price\n1,2024-01-02,p1,2,3.50\n2,2024-01-03,p2,5' >"$WORK/truncated.csv"
expect_reject "truncated last line" "$WORK/truncated.csv" 3 "" "has 4 fields, the header has 5 (a cut-off row?)"

printf 'order_id,order_date,product_id,unit_price\n1,2024-01-02,p1,3.50\n' >"$WORK/noqty.csv"
expect_failure "missing required column" "$WORK/noqty.csv" "noqty.csv:1: missing required column 'quantity' for order_lines"

expect_failure "a file that does not exist" "$WORK/nope.csv" "nope.csv: No such file or directory"
expect_failure "a directory instead of a file" "$WORK" "is a directory"
if [ "$(id -u)" != 0 ]; then
	cp "$WORK/good.csv" "$WORK/locked.csv"; chmod 000 "$WORK/locked.csv"
	expect_failure "an unreadable file" "$WORK/locked.csv" "Permission denied"
fi

printf 'order_id,order_date,product_id,Quantity,unit_price\n1,2024-01-02,p1,2,3.50\n2,2024-01-02,p2,abc,3.50\n' >"$WORK/qty.csv"
expect_reject "a quantity that is not a number" "$WORK/qty.csv" 3 Quantity "'abc' is not a whole number"
expect_failure "a bad quantity under --strict" "$WORK/qty.csv" "qty.csv:3: column 'Quantity': 'abc' is not a whole number (--strict)" --strict --replace

printf 'order_id,order_date,product_id,quantity,unit_price\n1,2024-13-45,p1,2,3.50\n2,not a date,p1,2,3.50\n3,2024-01-02,p1,2,3.50\n' >"$WORK/dates.csv"
expect_reject "an impossible date" "$WORK/dates.csv" 2 order_date "'2024-13-45' is not a date"

printf 'foo,bar\n1,2\n' >"$WORK/unknown.csv"
expect_failure "a header no kind fits" "$WORK/unknown.csv" "cannot tell what kind of data this is from its header (foo, bar)"

printf 'Ref;When;Item;Count;Each\n1;20/01/2024;p1;2;1.234,50\n2;05/02/2024;p2;1;3,00\n' >"$WORK/mapped.csv"
check "--map, --decimal-comma and ; load an odd export" $C ingest --kind order_lines \
	--map order_id=Ref --map order_date=When --map product_id=Item --map quantity=Count \
	--map unit_price=Each --decimal-comma "$WORK/mapped.csv"
check_eq "odd export: day-first dates found from the data" \
	"$(sql "$DB" "SELECT delimiter, date_formats, rows_loaded FROM ingest_runs WHERE file_name='mapped.csv'")" \
	';|{"order_date":"DMY"}|2'

printf 'Ref;When;Item;Count;Each\nM1;20/01/2024;p1;2;4,50\n' >"$WORK/mapped-only.csv"
check "the kind of a header of other words, found from its --map names" $C ingest \
	--map order_id=Ref --map order_date=When --map product_id=Item --map quantity=Count \
	--map unit_price=Each "$WORK/mapped-only.csv"
check_eq "...loaded as order lines" \
	"$(sql "$DB" "SELECT kind, rows_loaded FROM ingest_runs WHERE file_name='mapped-only.csv'")" 'order_lines|1'
# Exports with the headers of other languages load with no option at all: a German one,
# and a French one as Excel on Windows saves it (Windows-1252, ';', decimal commas).
printf 'Bestellnummer;Bestelldatum;Kundennummer;Artikelnummer;Bezeichnung;Menge;Einzelpreis;Land\nB1;03.01.2024;K7;A1;Tasse rot;2;3,50;DE\nB2;04.01.2024;K8;A2;Teller;1;1.212,00;AT\n' >"$WORK/bestellungen.csv"
check "a German export loads with no option" $C ingest "$WORK/bestellungen.csv"
check_eq "...its columns found by their German names" \
	"$(sql "$DB" "SELECT kind, columns FROM ingest_runs WHERE file_name = 'bestellungen.csv'")" \
	'order_lines|[{"header":"Bestellnummer","field":"order_id"},{"header":"Bestelldatum","field":"order_date"},{"header":"Kundennummer","field":"customer_id"},{"header":"Artikelnummer","field":"product_id"},{"header":"Bezeichnung","field":"product_name"},{"header":"Menge","field":"quantity"},{"header":"Einzelpreis","field":"unit_price"},{"header":"Land","field":"country"}]'
printf 'N\260 de commande;Date de commande;R\351f\351rence produit;D\351signation;Quantit\351;Prix unitaire;Pays\nF1;05/01/2024;R1;Caf\351 moulu;3;4,20;France\nF2;13/01/2024;R2;Th\351 vert;1;12,00;Belgique\n' >"$WORK/commandes.csv"
check "a French export from Excel on Windows loads with no option" $C ingest "$WORK/commandes.csv"
check_eq "...its accented headers found, its dates day-first, its amounts with commas" \
	"$(sql "$DB" "SELECT kind, rows_loaded, date_formats, decimal_comma FROM ingest_runs WHERE file_name = 'commandes.csv'")" \
	'order_lines|2|{"order_date":"DMY"}|1'
check_eq "...its text stored as UTF-8" \
	"$(sql "$DB" "SELECT group_concat(product_name, '/') FROM raw_order_lines WHERE run_id = (SELECT run_id FROM ingest_runs WHERE file_name = 'commandes.csv')")" \
	"Café moulu/Thé vert"
printf 'order_id,order_date,product_id,quantity,unit_price\n1,1/2/2024,p1,2,3.50\n' >"$WORK/ambiguous.csv"
run_status st $CARTOGRAPH --db "$DB" ingest "$WORK/ambiguous.csv"
check_contains "ambiguous dates: the summary says how they were read" "$OUT" "fit both M/D/Y and D/M/Y; read as M/D/Y"
printf 'order_id,order_date,product_id,quantity,unit_price\n1,1/20/2024,p1,2,3.50\n2,20/1/2024,p1,2,3.50\n' >"$WORK/mixed.csv"
expect_reject "day-first date in a month-first column" "$WORK/mixed.csv" 3 order_date "'20/1/2024' does not fit the date layout"

# --- the decimal mark, worked out from the amounts ----------------------------------
printf 'order_id;order_date;product_id;quantity;unit_price\nK1;03.01.2024;p1;2;3,50\nK2;04.01.2024;p2;1;1.212,00\nK3;04.01.2024;p2;1;12.00\nK4;05.01.2024;p3;1;7\n' >"$WORK/komma.csv"
run_status st $CARTOGRAPH --db "$DB" ingest "$WORK/komma.csv"
check_contains "decimal comma found: the summary says from which amount" "$OUT" \
	"note: amounts read with a decimal comma, as '3,50' on line 2 is written"
case $OUT in
*"fit both M/D/Y"*) not_ok "dotted dates are day first: no note on them" "$OUT" ;;
*) ok "dotted dates are day first: no note on them" ;;
esac
check_eq "a decimal point among decimal commas: rejected, with the amount that decided" \
	"$(sql "$DB" "SELECT line || '|' || column_name || '|' || reason FROM ingest_rejects WHERE run_id = (SELECT max(run_id) FROM ingest_runs)")" \
	"4|unit_price|'12.00' is written with a decimal point, but this file's amounts with a decimal comma ('3,50' on line 2)"
check_eq "decimal comma found: the run records it" \
	"$(sql "$DB" "SELECT decimal_comma, date_formats, rows_loaded FROM ingest_runs WHERE file_name='komma.csv'")" \
	'1|{"order_date":"DMY"}|3'
run_status st $C clean
check_eq "decimal comma found: clean reads 3,50 and 1.212,00" \
	"$(sql "$DB" "SELECT group_concat(unit_price_cents, ' ') FROM (SELECT unit_price_cents FROM order_items WHERE order_id IN ('K1', 'K2', 'K4') ORDER BY order_id)")" \
	'350 121200 700'
printf 'order_id,order_date,product_id,quantity,unit_price\nT1,2024-01-02,p1,2,1.250\nT2,2024-01-03,p1,2,3\n' >"$WORK/thousand.csv"
run_status st $CARTOGRAPH --db "$DB" ingest "$WORK/thousand.csv"
check_contains "amounts that fit both marks: read with a point, and said so" "$OUT" \
	"note: amounts such as '1.250' (line 2) fit both a decimal point and a decimal comma; read with a decimal point (pass --decimal-comma if that is wrong)"
printf 'order_id;order_date;product_id;quantity;unit_price\n1;2024-01-02;p1;2;3,50\n2;2024-01-02;p2;1;4,25\n' >"$WORK/forced.csv"
expect_failure "every row rejected (--decimal-point on decimal commas)" "$WORK/forced.csv" \
	"none of the 2 rows of $WORK/forced.csv could be read; the first: $WORK/forced.csv:2: column 'unit_price': '3,50' is written with a decimal comma, but the amounts are read with a decimal point (--decimal-point)" \
	--decimal-point
run_status st $C ingest "$WORK/forced.csv"
check_eq "the same file without the option: loads (nothing was recorded)" "$st" 0
run_status st $C ingest --decimal-point --decimal-comma "$WORK/forced.csv"
check_eq "both decimal options: a usage error" "$st" 2

# --- usage ------------------------------------------------------------------------
run_status st $CARTOGRAPH ingest --frobnicate x.csv
check_eq "an unknown option exits 2" "$st" 2
check_contains "an unknown option prints usage" "$OUT" "usage: cartograph ingest"
run_status st $CARTOGRAPH ingest
check_eq "no file exits 2" "$st" 2
run_status st $CARTOGRAPH help ingest
check_eq "help ingest exits 0" "$st" 0
check_contains "help ingest shows the options" "$OUT" "--date-format F"

# --- many rows, some rejected: every good row stored once, in file order ------------
# (rows are written many to a statement: 9,001 rows cross batches and leave remainders)
awk 'BEGIN { print "order_id,order_date,product_id,quantity,unit_price";
	for (i = 2; i <= 9002; i++)
		printf "O%d,2024-01-02,p%d,%s,1.50\n", i, i % 40, i % 97 == 0 ? "many" : "2" }' \
	>"$WORK/many.csv"
check "9,001 rows, 92 with a bad quantity: loads" $C ingest "$WORK/many.csv"
RUN_ID="(SELECT max(run_id) FROM ingest_runs)"
check_eq "many rows: the good ones loaded, the bad ones rejected" \
	"$(sql "$DB" "SELECT rows_loaded || ' ' || rows_rejected FROM ingest_runs WHERE run_id = $RUN_ID")" \
	"8909 92"
check_eq "many rows: each good row once, in file order, with its own line" \
	"$(sql "$DB" "SELECT count(*), count(DISTINCT line), sum(order_id = 'O' || line),
		sum(line % 97 = 0), min(line), max(line) FROM raw_order_lines WHERE run_id = $RUN_ID")" \
	"8909|8909|8909|0|2|9002"
check_eq "many rows: rowids follow the lines" \
	"$(sql "$DB" "SELECT count(*) FROM raw_order_lines a JOIN raw_order_lines b
		ON b.rowid = a.rowid + 1 WHERE a.run_id = $RUN_ID AND b.line <= a.line")" "0"
check_eq "many rows: the rejects are the lines with a bad quantity" \
	"$(sql "$DB" "SELECT count(*), sum(line % 97 = 0) FROM ingest_rejects WHERE run_id = $RUN_ID")" \
	"92|92"

# --- interruption: kill -9 and Ctrl-C leave the previous state ----------------------
awk 'BEGIN { print "order_id,order_date,customer_id,product_id,quantity,unit_price";
	for (i = 0; i < 3000000; i++) printf "%d,2024-01-%02d 10:00:00,c%d,p%d,%d,%d.99\n", i, i % 28 + 1, i % 5000, i % 900, i % 7 + 1, i % 50 }' >"$WORK/big.csv"
for sig in KILL INT; do
	before=$(db_state "$DB")
	$CARTOGRAPH --db "$DB" -q ingest "$WORK/big.csv" >/dev/null 2>&1 &
	pid=$!
	# wait until the load is under way (the write-ahead log grows), then strike
	for i in $(seq 1 100); do
		[ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -gt 4000000 ] && break
		sleep 0.05
	done
	kill -$sig $pid
	wait $pid
	st=$?
	[ $sig = INT ] && check_eq "Ctrl-C: exit status 130" "$st" 130
	check_eq "kill -$sig mid-ingest: integrity ok and the previous state kept" "$(db_state "$DB")" "$before"
done
finish
