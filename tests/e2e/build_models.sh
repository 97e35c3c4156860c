#!/bin/sh
# End-to-end tests of the Models page's recommendations table on the bundled sample:
# every measured variant has its row, and the buy-again row's figures (which only the
# hit rate with repeats counted shows) agree with model_metrics.
. tests/e2e/lib.sh

DB=$WORK/sample.db
SITE=$WORK/sample
build_sample "$DB" "$SITE"
PAGE=$SITE/models.html

# figures MODEL: the numeric cells of the recommendations row of MODEL, space-separated.
figures() {
	grep -o "<tr><td>[^<]*<code>$1</code>.*</tr>" "$PAGE" | head -n 1 \
		| grep -o '<td class="num">[^<]*</td>' | sed 's/<[^>]*>//g' | tr '\n' ' ' | sed 's/ $//'
}
metric() {
	sql "$DB" "SELECT printf('%.3f', value) FROM model_metrics WHERE model = '$1' AND metric = '$2'"
}

rows=$(sql "$DB" "SELECT count(*) FROM model_metrics WHERE model LIKE 'recs_%' AND metric = 'hit_rate_10'")
check_eq "every measured variant has its row, with three figures" \
	"$(grep '<code>recs_[a-z_]*</code><br>' "$PAGE" \
		| grep -c '\(<td class="num">[0-9.]*</td>\)\{3\}</tr>')" "$rows"
check_eq "buy again's hit rates and recall agree with model_metrics" "$(figures recs_buy_again)" \
	"$(metric recs_buy_again hit_rate_10) $(metric recs_buy_again recall_10) $(metric recs_buy_again hit_rate_10_any)"
check_contains "the page says what a hit is" "$(cat "$PAGE")" "bought in the test period and never before"

finish
