#!/bin/sh
# Catalog benchmark: how long `cartograph build` takes for the shop catalog (loading it,
# exporting it to shop.db, rendering the front page, category pages and one page and one
# recommendations file per product) on a crafted shop of 4,000 products in 16
# categories, and on the Online Retail export (about 4,000 products) when
# ../shared/datasets has it. Figures: the first build (every file new), then the median
# of five builds of unchanged data forced to render (the build stamp removed), wall clock and processor time (the wall clock also
# counts other programs on a busy machine), from build's own "shop catalog:" line.
set -u
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

# make_shop N LINES DIR: products.csv (N products, some sold out or nearly), orders.csv
# (about LINES lines, baskets of 1 to 4 products that favour the same neighbours) and
# reviews.csv (2 per product on average).
make_shop() {
	mkdir -p "$3"
	awk -v n="$1" -v lines="$2" -v dir="$3" 'BEGIN {
		srand(7);
		split("Kitchen,Garden,Toys,Books,Electronics,Office,Outdoor,Bath,Lighting,Pets,Music,Sports,Beauty,Crafts,Travel,Baby", cats, ",");
		split("Oak,Linen,Copper,Velvet,Stone,Maple,Cobalt,Amber,Willow,Harbor,Summit,Ember", adj, ",");
		split("Mug,Lamp,Basket,Notebook,Kettle,Blanket,Planter,Speaker,Backpack,Candle,Brush,Puzzle,Jar,Clock,Towel", noun, ",");
		p = dir "/products.csv"; o = dir "/orders.csv"; r = dir "/reviews.csv";
		print "product_id,name,description,category,subcategory,price,cost,stock" > p;
		for (i = 1; i <= n; i++) {
			name = adj[(i % 12) + 1] " " noun[(int(i / 16) % 15) + 1] " No. " i;
			stock = (i % 17 == 0) ? 0 : (i % 11 == 0 ? i % 9 + 1 : 20 + i % 300);
			printf "SKU-%05d,%s,\"A %s for every day, made to last.\",%s,%s basics,%d.%02d,%d.00,%d\n",
				i, name, tolower(name), cats[(i % 16) + 1], cats[(i % 16) + 1], 3 + i % 120, i % 100, 2 + i % 60, stock > p;
		}
		print "order_id,order_date,customer_id,product_id,quantity,unit_price" > o;
		line = 0;
		for (k = 1; line < lines; k++) {
			first = int(rand() * n) + 1;
			size = 1 + int(rand() * 4);
			for (j = 0; j < size; j++) {
				q = (j == 0) ? first : ((first + int(rand() * 6) * 16) % n) + 1;
				printf "%d,2024-%02d-%02d 10:%02d:00,C%d,SKU-%05d,%d,%d.%02d\n", k, 1 + k % 12, 1 + k % 28,
					k % 60, k % 3000, q, 1 + (k + j) % 3, 3 + q % 120, q % 100 > o;
				line++;
			}
		}
		print "review_id,product_id,customer_id,rating,title,body,review_date" > r;
		for (k = 1; k <= 2 * n; k++)
			printf "%d,SKU-%05d,C%d,%d,Nice,\"Does the job well, would buy again.\",2024-%02d-15\n",
				k, int(rand() * n) + 1, k % 3000, 1 + int(rand() * 5), 1 + k % 12 > r;
	}'
}

# bench_catalog LABEL DB: builds into a fresh folder once, then five more times.
bench_catalog() {
	label=$1 db=$2
	site="$TMP/site-$$" shop="$TMP/shop-$$.db"
	rm -rf "$site" "$shop"*
	bin/cartograph --db "$db" --shop-db "$shop" --out "$site" build >"$TMP/first" 2>&1 || {
		echo "$label: build failed: $(tail -n 1 "$TMP/first")"
		return
	}
	sed -n 's/^shop catalog: \([0-9]*\) pages.* in \([0-9.]*\) s (\([0-9.]*\) s of CPU).*/\1 \2 \3/p' "$TMP/first" >"$TMP/first.fig"
	read -r pages wall cpu <"$TMP/first.fig"
	echo "$label: $pages catalog pages; first build (every file new): $wall s, $cpu s of CPU"
	: >"$TMP/runs"
	for i in 1 2 3 4 5; do
		rm -f "$site/.cartograph-build"
		bin/cartograph --db "$db" --shop-db "$shop" --out "$site" build 2>&1 |
			sed -n 's/^shop catalog: .* in \([0-9.]*\) s (\([0-9.]*\) s of CPU).*/\1 \2/p' >>"$TMP/runs"
	done
	wall=$(awk '{ print $1 }' "$TMP/runs" | median)
	cpu=$(awk '{ print $2 }' "$TMP/runs" | median)
	awk -v l="$label" -v p="$pages" -v w="$wall" -v c="$cpu" 'BEGIN {
		printf "%s: unchanged data: median %.2f s (%.2f s of CPU), %.0f pages/s of CPU\n", l, w, c, (c > 0 ? p / c : 0) }'
	grep ' products (' "$TMP/first" | sed -e "s#^[^:]*: #$label: shop.db: #"
	rm -rf "$site" "$shop"*
}

make_shop 4000 60000 "$TMP/crafted"
bin/cartograph -q --db "$TMP/crafted.db" ingest "$TMP"/crafted/*.csv
bin/cartograph -q --db "$TMP/crafted.db" clean
bench_catalog "catalog of 4,000 crafted products" "$TMP/crafted.db"

if [ -f ../shared/datasets/online_retail.csv.gz ]; then
	bin/cartograph -q --db "$TMP/or.db" ingest ../shared/datasets/online_retail.csv.gz
	bin/cartograph -q --db "$TMP/or.db" clean
	bench_catalog "catalog of Online Retail" "$TMP/or.db"
else
	echo "skip: ../shared/datasets is absent: no Online Retail figures"
fi
