#!/bin/sh
# End-to-end tests of `cartograph model sentiment` and `cartograph model recs`: on a
# seeded warehouse (the tables `clean` writes, filled by SQL), then on the real Online
# Retail and Alexa exports through ingest and clean when clean is built.
. tests/e2e/lib.sh
DB=$WORK/w.db
C="$CARTOGRAPH --db $DB"

# --- a seeded warehouse -----------------------------------------------------------
check "model sentiment runs on an empty warehouse" $C -q model sentiment
# 30 customers over 80 days; products in two categories; a guest order; a cancelled
# order and a flagged line that must not count
awk 'BEGIN {
	srand(7);
	print "BEGIN;";
	for (p = 0; p < 24; p++)
		printf "INSERT INTO products (product_id, name, category, subcategory) VALUES (\x27p%02d\x27, \x27%s ITEM %d\x27, \x27%s\x27, \x27%s\x27);\n", p, (p < 12 ? "GARDEN" : "KITCHEN"), p, (p < 12 ? "garden" : "kitchen"), (p < 12 ? "tools" : "cups");
	print "INSERT INTO products (product_id, name, category, subcategory) VALUES (\x27new\x27, \x27KITCHEN ITEM NEW\x27, \x27kitchen\x27, \x27cups\x27);";
	for (o = 0; o < 400; o++) {
		c = int(rand() * 30); day = int(o / 5);
		printf "INSERT INTO orders (order_id, customer_id, order_time, status) VALUES (\x27o%03d\x27, \x27c%02d\x27, datetime(\x272024-01-01\x27, \x27+%d days\x27, \x27+10 hours\x27), \x27completed\x27);\n", o, c, day;
		g = int(rand() * 2) * 12; n = 1 + int(rand() * 3);
		for (i = 0; i < n; i++)
			printf "INSERT OR IGNORE INTO order_items (order_id, line_no, product_id, quantity, unit_price_cents, line_total_cents) VALUES (\x27o%03d\x27, %d, \x27p%02d\x27, 1, 500, 500);\n", o, i + 1, g + int(rand() * 12);
	}
	print "INSERT INTO orders (order_id, customer_id, order_time, status) VALUES (\x27guest\x27, NULL, \x272024-02-01 10:00:00\x27, \x27completed\x27), (\x27gone\x27, \x27c00\x27, \x272024-02-01 10:00:00\x27, \x27cancelled\x27);";
	print "INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price_cents, line_total_cents, flags) VALUES (\x27guest\x27, 1, \x27p00\x27, 1, 500, 500, 0), (\x27gone\x27, 1, \x27pc\x27, 1, 500, 500, 0), (\x27gone\x27, 2, \x27p00\x27, 1, 500, 500, 0), (\x27o000\x27, 9, \x27pf\x27, 1, 500, 500, 4);";
	print "INSERT INTO reviews (review_id, product_id, customer_id, rating, title, body, review_date) VALUES";
	print " (\x27r1\x27, \x27p01\x27, \x27c01\x27, 5, \x27Great\x27, \x27I love this rake, excellent.\x27, \x272024-03-01 00:00:00\x27),";
	print " (\x27r2\x27, \x27p01\x27, \x27c02\x27, 1, NULL, \x27Awful, broke on day one. Terrible.\x27, \x272024-03-02 00:00:00\x27),";
	print " (\x27r3\x27, \x27p13\x27, \x27c03\x27, 4, NULL, \x27Nice cup, good size\x27, \x272024-02-10 00:00:00\x27),";
	print " (\x27r4\x27, \x27p13\x27, \x27c04\x27, 2, NULL, \x27\x27, \x272024-02-11 00:00:00\x27);";
	print "COMMIT;";
}' >"$WORK/seed.sql"
sqlite3 -batch "$DB" <"$WORK/seed.sql"

run_status st $C model sentiment
check_eq "model sentiment exits 0" "$st" 0
check_contains "model sentiment says how many reviews it scored" "$OUT" "4 reviews (1 without text)"
check_contains "model sentiment says which scorer it used and why" "$OUT" \
	"scored by the rule scorer: 3 rated reviews, the learned model needs 500"
check_eq "every review has a label and the blank one no score" \
	"$(sql "$DB" "SELECT group_concat(review_id || ':' || label || ':' || scorer, ' ') FROM (SELECT * FROM review_sentiment ORDER BY review_id)")" \
	"r1:positive:rules r2:negative:rules r3:positive:rules r4:neutral:none"
check_eq "per product and per category summaries" \
	"$(sql "$DB" "SELECT (SELECT count(*) FROM product_sentiment) || ' ' || (SELECT group_concat(category || '=' || reviews, ' ') FROM category_sentiment)")" \
	"2 garden=2 kitchen=2"
check_eq "the negative and the low-rated recent reviews are listed for action" \
	"$(sql "$DB" "SELECT group_concat(review_id || ' ' || reason, ' | ') FROM (SELECT * FROM reviews_for_action ORDER BY rank)")" \
	"r2 negative text, 1 star | r4 2 stars"
check_eq "the rule scorer's figures are stored" \
	"$(sql "$DB" "SELECT value FROM model_metrics WHERE model='sentiment_rules' AND metric='accuracy'")" "1.0"

run_status st $C model recs
check_eq "model recs exits 0" "$st" 0
check_contains "model recs prints the measured variants" "$OUT" "recs_popularity"
check_contains "model recs prints the shipped model" "$OUT" "(recs_blend)"
check_eq "every customer who ordered has ten recommendations" \
	"$(sql "$DB" "SELECT count(DISTINCT customer_id) || ' ' || max(rank) FROM customer_recs")" "30 10"
check_eq "no customer is recommended what they bought" \
	"$(sql "$DB" "SELECT count(*) FROM customer_recs r JOIN orders o ON o.customer_id = r.customer_id AND o.status = 'completed' JOIN order_items i ON i.order_id = o.order_id AND i.product_id = r.product_id AND i.flags = 0")" "0"
check_eq "the product nobody bought has neighbours from its sub-category" \
	"$(sql "$DB" "SELECT count(*), min(p.subcategory), max(p.subcategory) FROM item_neighbors n JOIN products p ON p.product_id = n.neighbor_id WHERE n.product_id = 'new'")" "10|cups|cups"
check_eq "the flagged line and the cancelled order do not make neighbours" \
	"$(sql "$DB" "SELECT count(*) FROM item_neighbors WHERE 'pf' IN (product_id, neighbor_id) OR 'pc' IN (product_id, neighbor_id)")" "0"
check_eq "best sellers of the shop and of both categories" \
	"$(sql "$DB" "SELECT group_concat(category, ',') FROM (SELECT DISTINCT category FROM popular_by_category ORDER BY 1)")" ",garden,kitchen"
check_eq "every variant's figures are stored" \
	"$(sql "$DB" "SELECT count(DISTINCT model) FROM model_metrics WHERE model LIKE 'recs%' AND metric = 'hit_rate_10'")" "10"
before=$(sql "$DB" "SELECT group_concat(customer_id || rank || product_id) FROM customer_recs")
check "model recs runs again" $C -q model recs
check_eq "running again gives the same recommendations" \
	"$(sql "$DB" "SELECT group_concat(customer_id || rank || product_id) FROM customer_recs")" "$before"

run_status st $C model all
check_eq "model all exits 0" "$st" 0
check_contains "model all runs sentiment" "$OUT" "sentiment: 4 reviews"
check_contains "model all runs recs" "$OUT" "recs: done in"
run_status st $C model --help
check_contains "model --help lists sentiment" "$OUT" "sentiment  review sentiment"
check_contains "model --help lists recs" "$OUT" "recs       frequently bought together"

before=$(sql "$DB" "SELECT count(*), sum(compound) FROM review_sentiment")
run_status st $C model --lexicon "$WORK/missing.txt" sentiment
check_eq "a missing lexicon fails with status 1" "$st" 1
check_contains "a missing lexicon is named" "$OUT" "missing.txt"
check_eq "a failed run leaves the scores as they were" \
	"$(sql "$DB" "SELECT count(*), sum(compound) FROM review_sentiment")" "$before"

# --- real exports, through ingest and clean -----------------------------------------
if have_shared; then
	if ! $CARTOGRAPH help clean >/dev/null 2>&1; then
		echo "skip: cartograph clean is not built: the real-data checks are skipped"
	else
		D=$SHARED/datasets
		R=$WORK/retail.db
		check "Online Retail loads and cleans" sh -c "$CARTOGRAPH --db $R -q ingest $D/online_retail.csv.gz && $CARTOGRAPH --db $R -q clean"
		run_status st $CARTOGRAPH --db "$R" model recs
		check_eq "model recs on Online Retail exits 0" "$st" 0
		echo "$OUT" | sed -n '/hit@10/,/times as many/p'
		lift=$(sql "$R" "SELECT value >= 1.5 FROM model_metrics WHERE model = 'recs_blend' AND metric = 'lift_over_popularity'")
		check_eq "on Online Retail the shipped model finds 1.5 times the best sellers' hits" "$lift" "1"
		A=$WORK/alexa.db
		check "Alexa reviews load and clean" sh -c "$CARTOGRAPH --db $A -q ingest $D/amazon_alexa_reviews.tsv && $CARTOGRAPH --db $A -q clean"
		run_status st $CARTOGRAPH --db "$A" model sentiment
		check_eq "model sentiment on the Alexa reviews exits 0" "$st" 0
		echo "$OUT"
		check_eq "Alexa: the rule scorer's accuracy and ROC AUC are VADER's (0.865, 0.840)" \
			"$(sql "$A" "SELECT group_concat(abs(value - CASE metric WHEN 'accuracy' THEN 0.865 ELSE 0.840 END) < 0.015) FROM model_metrics WHERE model = 'sentiment_rules' AND metric IN ('accuracy', 'roc_auc')")" "1,1"
		check_eq "Alexa: the learned model beats the rules on held-out reviews and scores them" \
			"$(sql "$A" "SELECT value FROM model_metrics WHERE model = 'sentiment' AND metric = 'learned_used'")" "1.0"
	fi
fi

finish
