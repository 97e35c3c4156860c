/* catalog: the category tables, product naming, prices, stock, popularity and bundles. */
#include "gen/catalog.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen/csv_writer.h"
#include "util/buf.h"
#include "util/xalloc.h"

enum { CATEGORIES = 7, MAX_WORDS = 8 };

/* How products of a sub-category are named. */
enum name_style {
	NAMED_BY_MODEL, /* brand, model code, kind: "Voltara Z50 Mirrorless Camera" */
	NAMED_BY_LINE,  /* brand, product line, kind: "Hearthly Nordic Ceramic Mug" */
	NAMED_AS_TITLE  /* a book title and its binding: "The Quiet Harbour (Paperback)" */
};

struct category_spec {
	const char *name;                    /* "Electronics" */
	const char *brands[MAX_WORDS];       /* invented brand names, NULL-terminated */
	const char *lines[MAX_WORDS];        /* product-line words for NAMED_BY_LINE */
	const char *aspects[MAX_WORDS];      /* what reviews talk about */
};

struct subcategory_spec {
	const char *name;                 /* "Memory Cards" */
	int category;                     /* index into category_specs */
	const char *noun;                 /* how a review speaks of one: "memory card" */
	enum name_style style;            /* how products are named */
	const char *kinds[MAX_WORDS];     /* what the product is, or title words for books */
	const char *extras[MAX_WORDS];    /* second title words for books, unused otherwise */
	const char *features[MAX_WORDS];  /* selling points for the description */
	double price_low, price_high;     /* typical list price range */
	double margin;                    /* typical gross margin, 0..1 */
	int share;                        /* relative number of products */
};

static const struct category_spec category_specs[CATEGORIES] = {
	{"Electronics",
	 {"Voltara", "Pixelon", "Northwave", "Aurix", "Kestrel", "Lumetra"},
	 {"Travel", "Urban", "Shield", "Everyday", "Pro", "Studio"},
	 {"build quality", "battery life", "sound", "screen", "price", "setup", "design"}},
	{"Home & Kitchen",
	 {"Hearthly", "Brewmark", "Casa Verde", "Oakridge", "Copperleaf", "Maison Clé"},
	 {"Classic", "Nordic", "Artisan", "Everyday", "Heritage", "Studio"},
	 {"quality", "finish", "size", "design", "price", "durability"}},
	{"Sports & Outdoors",
	 {"Trailborn", "Summit & Co", "Ridgeline", "Peakform", "Tidewater"},
	 {"Trail", "Summit", "Aero", "Venture", "Alpine", "Pace"},
	 {"fit", "comfort", "grip", "durability", "weight", "price"}},
	{"Books",
	 {NULL},
	 {NULL},
	 {"story", "writing", "plot", "ending", "pacing", "print quality"}},
	{"Beauty",
	 {"Lumière", "Petal & Pine", "Verdance", "Solenne", "Nordbloom"},
	 {"Pure", "Glow", "Velvet", "Botanical", "Radiance", "Daily"},
	 {"scent", "texture", "packaging", "effect", "price", "longevity"}},
	{"Toys & Games",
	 {"Tinkerfox", "Brightbox", "Marble Owl", "Little Comet"},
	 {"Mini", "Grand", "Cosmic", "Clever", "Jolly", "Wild"},
	 {"fun factor", "instruction booklet", "box", "quality", "price", "packaging"}},
	{"Office",
	 {"Inkwell", "Paperfield", "Deskcraft", "Quillon"},
	 {"Classic", "Studio", "Essential", "Archive", "Linea", "Nova"},
	 {"quality", "paper", "ink", "design", "price", "durability"}},
};

static const struct subcategory_spec subcategory_specs[] = {
	{"Cameras", 0, "camera", NAMED_BY_MODEL,
	 {"Mirrorless Camera", "Compact Camera", "Action Camera", "DSLR Camera"}, {NULL},
	 {"a 24 MP sensor", "4K video", "a weather-sealed body", "fast autofocus",
	  "a flip screen", "built-in stabilisation"},
	 180, 1400, 0.16, 5},
	{"Memory Cards", 0, "memory card", NAMED_BY_MODEL,
	 {"64GB SD Card", "128GB SD Card", "256GB microSD Card", "32GB SD Card"}, {NULL},
	 {"UHS-I speed class", "read speeds up to 170 MB/s", "a shockproof shell",
	  "a lifetime warranty", "an adapter included"},
	 9, 60, 0.55, 4},
	{"Camera Bags", 0, "camera bag", NAMED_BY_LINE,
	 {"Camera Bag", "Camera Sling", "Padded Camera Case", "Camera Backpack"}, {NULL},
	 {"padded dividers", "a rain cover", "a quick-access side door", "a tripod strap",
	  "water-resistant canvas"},
	 19, 120, 0.50, 3},
	{"Headphones", 0, "pair of headphones", NAMED_BY_MODEL,
	 {"Wireless Headphones", "Noise-Cancelling Headphones", "Earbuds", "Studio Headphones"},
	 {NULL},
	 {"30-hour battery", "active noise cancelling", "a foldable frame", "USB-C charging",
	  "memory-foam cushions"},
	 25, 350, 0.35, 5},
	{"Smartphones", 0, "phone", NAMED_BY_MODEL,
	 {"Smartphone", "5G Phone", "Phone"}, {NULL},
	 {"a 6.1\" OLED screen", "a triple camera", "all-day battery", "128GB storage",
	  "face unlock"},
	 150, 1100, 0.14, 4},
	{"Phone Cases", 0, "phone case", NAMED_BY_LINE,
	 {"Phone Case", "Rugged Phone Case", "Leather Phone Wallet", "Clear Phone Case"}, {NULL},
	 {"raised camera edges", "drop protection to 3 m", "card slots", "a slim profile",
	  "wireless-charging support"},
	 8, 45, 0.62, 4},
	{"Chargers", 0, "charger", NAMED_BY_MODEL,
	 {"USB-C Charger", "Wireless Charging Pad", "Car Charger", "Power Bank"}, {NULL},
	 {"65 W output", "two ports", "a braided cable", "overheat protection",
	  "a travel-size body"},
	 10, 60, 0.50, 3},
	{"Laptops", 0, "laptop", NAMED_BY_MODEL,
	 {"Laptop", "Ultrabook", "14\" Laptop", "16\" Laptop"}, {NULL},
	 {"16GB memory", "a 512GB SSD", "a backlit keyboard", "a 2.5K display",
	  "14-hour battery"},
	 450, 2200, 0.12, 4},
	{"Laptop Sleeves", 0, "laptop sleeve", NAMED_BY_LINE,
	 {"13\" Laptop Sleeve", "15\" Laptop Sleeve", "Laptop Bag"}, {NULL},
	 {"a fleece lining", "a front pocket", "fits 13\" and 14\" laptops", "a magnetic flap"},
	 15, 70, 0.55, 3},
	{"Computer Mice", 0, "mouse", NAMED_BY_MODEL,
	 {"Wireless Mouse", "Ergonomic Mouse", "Gaming Mouse", "Travel Mouse"}, {NULL},
	 {"silent clicks", "a 4000 DPI sensor", "Bluetooth and USB", "a rechargeable battery"},
	 12, 90, 0.45, 3},

	{"Coffee Makers", 1, "coffee maker", NAMED_BY_LINE,
	 {"Espresso Machine", "Drip Coffee Maker", "French Press", "Pour-Over Set"}, {NULL},
	 {"a 15-bar pump", "a milk frother", "a thermal carafe", "a reusable filter",
	  "an auto-off timer"},
	 25, 600, 0.30, 4},
	{"Coffee", 1, "bag of coffee", NAMED_BY_LINE,
	 {"Espresso Beans 1kg", "Medium Roast 500g", "Decaf Coffee 250g", "Single Origin 250g"},
	 {NULL},
	 {"notes of chocolate", "a bright, fruity finish", "beans roasted weekly",
	  "fair-trade sourcing"},
	 7, 30, 0.45, 4},
	{"Mugs", 1, "mug", NAMED_BY_LINE,
	 {"Ceramic Mug", "Travel Mug", "Stoneware Mug Set", "Glass Tumbler"}, {NULL},
	 {"a 350 ml capacity", "dishwasher-safe glaze", "a leak-proof lid", "double walls"},
	 8, 40, 0.60, 3},
	{"Cookware", 1, "pan", NAMED_BY_LINE,
	 {"Frying Pan", "Saucepan Set", "Cast Iron Skillet", "Dutch Oven"}, {NULL},
	 {"a non-stick coating", "induction-ready bases", "oven-safe handles",
	  "a 28 cm diameter"},
	 25, 250, 0.40, 4},
	{"Kitchen Knives", 1, "knife", NAMED_BY_LINE,
	 {"Chef's Knife", "Knife Block Set", "Paring Knife", "Santoku Knife"}, {NULL},
	 {"German steel", "a full tang", "a walnut handle", "a lifetime edge guarantee"},
	 15, 220, 0.45, 3},
	{"Cutting Boards", 1, "cutting board", NAMED_BY_LINE,
	 {"Bamboo Cutting Board", "Walnut Cutting Board", "Cutting Board Set"}, {NULL},
	 {"juice grooves", "non-slip feet", "end-grain construction"},
	 12, 80, 0.55, 2},
	{"Bedding", 1, "bedding set", NAMED_BY_LINE,
	 {"Duvet Cover Set", "Linen Sheet Set", "Pillow Pair", "Weighted Blanket"}, {NULL},
	 {"stonewashed linen", "400 thread count", "hidden button closures",
	  "breathable cotton"},
	 30, 180, 0.50, 3},
	{"Lamps", 1, "lamp", NAMED_BY_LINE,
	 {"Desk Lamp", "Floor Lamp", "Bedside Lamp"}, {NULL},
	 {"a dimmable LED", "a linen shade", "a brass finish", "a USB port in the base"},
	 20, 200, 0.45, 3},

	{"Tents", 2, "tent", NAMED_BY_LINE,
	 {"2-Person Tent", "4-Person Tent", "Ultralight Tent", "Family Tent"}, {NULL},
	 {"a 3000 mm waterproof rating", "colour-coded poles", "two vestibules",
	  "a packed weight of 1.9 kg"},
	 70, 600, 0.30, 3},
	{"Sleeping Bags", 2, "sleeping bag", NAMED_BY_LINE,
	 {"3-Season Sleeping Bag", "Down Sleeping Bag", "Summer Sleeping Bag"}, {NULL},
	 {"a comfort rating of -5 C", "a compression sack", "a two-way zip", "a draught collar"},
	 35, 300, 0.38, 3},
	{"Headlamps", 2, "headlamp", NAMED_BY_LINE,
	 {"Headlamp", "Rechargeable Headlamp", "Camping Lantern"}, {NULL},
	 {"400 lumens", "a red night mode", "IPX6 water resistance", "USB-C charging"},
	 12, 70, 0.50, 2},
	{"Running Shoes", 2, "pair of running shoes", NAMED_BY_LINE,
	 {"Running Shoes", "Trail Running Shoes", "Road Racing Shoes"}, {NULL},
	 {"a cushioned midsole", "a breathable mesh upper", "a grippy outsole",
	  "an 8 mm drop"},
	 60, 190, 0.42, 4},
	{"Sports Socks", 2, "pair of socks", NAMED_BY_LINE,
	 {"Running Socks 3-Pack", "Hiking Socks", "Compression Socks"}, {NULL},
	 {"merino wool", "a seamless toe", "arch support"},
	 8, 25, 0.60, 2},
	{"Water Bottles", 2, "water bottle", NAMED_BY_LINE,
	 {"Insulated Bottle 750ml", "Sports Bottle", "Collapsible Bottle"}, {NULL},
	 {"24 hours cold", "a leak-proof cap", "BPA-free plastic", "a carry loop"},
	 9, 45, 0.60, 3},
	{"Yoga Mats", 2, "yoga mat", NAMED_BY_LINE,
	 {"Yoga Mat", "Cork Yoga Mat", "Travel Yoga Mat"}, {NULL},
	 {"a 6 mm cushion", "a non-slip surface", "a carry strap", "natural rubber"},
	 20, 110, 0.50, 2},
	{"Bike Helmets", 2, "helmet", NAMED_BY_LINE,
	 {"Road Bike Helmet", "Commuter Helmet", "MTB Helmet"}, {NULL},
	 {"MIPS protection", "a rear LED", "18 vents", "a magnetic buckle"},
	 35, 220, 0.40, 2},

	{"Fiction", 3, "book", NAMED_AS_TITLE,
	 {"Silent", "Last", "Hidden", "Winter", "Glass", "Salt", "Northern", "Forgotten"},
	 {"Harbour", "Orchard", "Lighthouse", "Garden", "Archive", "Crossing", "River",
	  "Mapmaker"},
	 {"a gripping mystery", "a family saga", "a prize-shortlisted debut",
	  "a story told in letters", "a sweeping historical novel"},
	 8, 28, 0.22, 5},
	{"Cookbooks", 3, "cookbook", NAMED_AS_TITLE,
	 {"Weeknight", "Simple", "Slow", "Everyday", "Green", "Coastal"},
	 {"Suppers", "Bakes", "Soups", "Salads", "Sourdough", "Curries"},
	 {"120 recipes", "photographs for every dish", "a chapter on batch cooking",
	  "vegetarian options throughout"},
	 15, 45, 0.25, 3},
	{"Travel Guides", 3, "guide", NAMED_AS_TITLE,
	 {"Lisbon", "Kyoto", "Iceland", "the Alps", "Patagonia", "Scotland", "Sicily", "Québec"},
	 {"on Foot", "in 7 Days", "by Train", "Off the Beaten Path"},
	 {"fold-out maps", "walking routes", "where locals eat", "budget tips"},
	 12, 30, 0.25, 2},
	{"Children's Books", 3, "book", NAMED_AS_TITLE,
	 {"Milo", "Ada", "Otto", "Luna", "Pip", "Juno"},
	 {"the Moon Balloon", "the Paper Dragon", "the Lost Sock", "the Snow Bear",
	  "the Night Train"},
	 {"bright illustrations", "rhymes to read aloud", "sturdy pages", "a bedtime story"},
	 6, 20, 0.25, 3},

	{"Skincare", 4, "moisturiser", NAMED_BY_LINE,
	 {"Daily Moisturiser", "Vitamin C Serum", "Night Cream", "Gentle Cleanser"}, {NULL},
	 {"hyaluronic acid", "no added fragrance", "a recyclable jar", "SPF 30"},
	 9, 70, 0.62, 4},
	{"Fragrance", 4, "perfume", NAMED_BY_LINE,
	 {"Eau de Parfum 50ml", "Eau de Toilette 100ml", "Body Mist"}, {NULL},
	 {"notes of fig and cedar", "a citrus opening", "a warm amber base"},
	 25, 140, 0.60, 3},
	{"Hair Care", 4, "shampoo", NAMED_BY_LINE,
	 {"Repair Shampoo", "Conditioner", "Hair Oil", "Dry Shampoo"}, {NULL},
	 {"argan oil", "sulphate-free", "a salon-grade formula", "a 250 ml bottle"},
	 6, 35, 0.60, 3},
	{"Makeup", 4, "product", NAMED_BY_LINE,
	 {"Matte Lipstick", "Mascara", "Foundation", "Eyeshadow Palette"}, {NULL},
	 {"long-wear pigment", "twelve shades", "a vegan formula", "a mirror in the lid"},
	 8, 55, 0.65, 3},

	{"Board Games", 5, "game", NAMED_BY_LINE,
	 {"Strategy Board Game", "Family Board Game", "Card Game", "Party Game"}, {NULL},
	 {"2-6 players", "45-minute rounds", "ages 10 and up", "wooden pieces"},
	 12, 70, 0.42, 4},
	{"Puzzles", 5, "puzzle", NAMED_BY_LINE,
	 {"1000-Piece Puzzle", "500-Piece Puzzle", "3D Puzzle"}, {NULL},
	 {"thick card pieces", "a poster of the picture", "a sturdy box"},
	 10, 40, 0.48, 3},
	{"Building Sets", 5, "building set", NAMED_BY_LINE,
	 {"Building Set", "Marble Run", "Robot Kit"}, {NULL},
	 {"340 pieces", "step-by-step instructions", "a motor and sensors"},
	 20, 150, 0.38, 3},
	{"Plush Toys", 5, "plush toy", NAMED_BY_LINE,
	 {"Plush Fox", "Plush Bear", "Plush Whale"}, {NULL},
	 {"super-soft fabric", "machine-washable", "safety-stitched eyes"},
	 10, 40, 0.50, 2},

	{"Notebooks", 6, "notebook", NAMED_BY_LINE,
	 {"A5 Dotted Notebook", "Hardcover Journal", "Spiral Notebook 3-Pack"}, {NULL},
	 {"100 gsm paper", "a lay-flat binding", "numbered pages", "an elastic closure"},
	 5, 30, 0.60, 3},
	{"Pens", 6, "pen set", NAMED_BY_LINE,
	 {"Gel Pen Set", "Fountain Pen", "Fineliner Set", "Ballpoint 10-Pack"}, {NULL},
	 {"quick-drying ink", "a 0.5 mm tip", "a metal barrel", "refillable cartridges"},
	 4, 60, 0.60, 3},
	{"Printers", 6, "printer", NAMED_BY_MODEL,
	 {"Inkjet Printer", "Laser Printer", "Photo Printer"}, {NULL},
	 {"Wi-Fi printing", "automatic duplex", "a 250-sheet tray", "a scanner lid"},
	 80, 450, 0.15, 2},
	{"Printer Ink", 6, "ink cartridge", NAMED_BY_MODEL,
	 {"Black Ink Cartridge", "Colour Ink Cartridge", "Ink Multipack", "Toner Cartridge"},
	 {NULL},
	 {"up to 400 pages", "smudge-proof ink", "recyclable packaging"},
	 15, 90, 0.55, 3},
	{"Desk Organizers", 6, "organiser", NAMED_BY_LINE,
	 {"Desk Organiser", "Monitor Stand", "Cable Tray"}, {NULL},
	 {"solid oak", "three compartments", "a non-slip base"},
	 12, 70, 0.50, 2},
};

enum { SUBCATEGORIES = sizeof subcategory_specs / sizeof subcategory_specs[0] };

/* Products bought together: an anchor sub-category and its companions. */
struct bundle_spec {
	const char *anchor;        /* sub-category of the main purchase */
	const char *companions[2]; /* sub-categories of what goes with it; NULL when fewer */
};

static const struct bundle_spec bundle_specs[] = {
	{"Cameras", {"Memory Cards", "Camera Bags"}},
	{"Smartphones", {"Phone Cases", "Chargers"}},
	{"Laptops", {"Laptop Sleeves", "Computer Mice"}},
	{"Coffee Makers", {"Coffee", "Mugs"}},
	{"Cookware", {"Kitchen Knives", "Cutting Boards"}},
	{"Tents", {"Sleeping Bags", "Headlamps"}},
	{"Running Shoes", {"Sports Socks", "Water Bottles"}},
	{"Yoga Mats", {"Water Bottles", NULL}},
	{"Printers", {"Printer Ink", NULL}},
	{"Notebooks", {"Pens", NULL}},
};

int catalog_category_count(void)
{
	return CATEGORIES;
}

const char *catalog_category_name(int category)
{
	assert(category >= 0 && category < CATEGORIES);
	return category_specs[category].name;
}

const char *catalog_subcategory_name(int subcategory)
{
	assert(subcategory >= 0 && subcategory < (int)SUBCATEGORIES);
	return subcategory_specs[subcategory].name;
}

const char *catalog_subcategory_noun(int subcategory)
{
	assert(subcategory >= 0 && subcategory < (int)SUBCATEGORIES);
	return subcategory_specs[subcategory].noun;
}

const char *const *catalog_category_aspects(int category)
{
	assert(category >= 0 && category < CATEGORIES);
	return category_specs[category].aspects;
}

size_t catalog_size_for(uint64_t order_lines)
{
	double n = 200.0 * pow((double)order_lines / 20000.0, 0.4);
	size_t floor_count = SUBCATEGORIES + 7;
	if (n < (double)floor_count)
		return floor_count;
	return n > 5000 ? 5000 : (size_t)llround(n);
}

static size_t word_count(const char *const *words)
{
	size_t n = 0;
	while (n < MAX_WORDS && words[n])
		n++;
	return n;
}

static const char *pick_word(const char *const *words, struct rng *r)
{
	size_t n = word_count(words);
	assert(n > 0);
	return words[rng_below(r, n)];
}

/* Products per sub-category in proportion to share, at least one each, summing to count. */
static void share_out(size_t count, size_t per_sub[SUBCATEGORIES])
{
	int total_share = 0;
	for (size_t s = 0; s < SUBCATEGORIES; s++)
		total_share += subcategory_specs[s].share;
	size_t given = 0;
	for (size_t s = 0; s < SUBCATEGORIES; s++) {
		per_sub[s] = count * (size_t)subcategory_specs[s].share / (size_t)total_share;
		if (per_sub[s] == 0)
			per_sub[s] = 1;
		given += per_sub[s];
	}
	for (size_t s = 0; given < count; s = (s + 1) % SUBCATEGORIES, given++)
		per_sub[s]++;
}

static void append_model_code(struct buf *name, struct rng *r)
{
	static const char letters[] = "ZXSAKMRTV";
	static const char *const words[] = {"Pro", "Air", "Lite", "Max", "Neo", "One"};
	if (rng_below(r, 3) == 0)
		buf_printf(name, "%s %d", words[rng_below(r, 6)], (int)rng_below(r, 9) + 2);
	else
		buf_printf(name, "%c%d", letters[rng_below(r, sizeof letters - 1)],
			   (int)rng_below(r, 95) + 5);
}

static void name_product(struct buf *name, const struct subcategory_spec *s, struct rng *r)
{
	const struct category_spec *c = &category_specs[s->category];
	switch (s->style) {
	case NAMED_BY_MODEL:
		buf_printf(name, "%s ", pick_word(c->brands, r));
		append_model_code(name, r);
		buf_printf(name, " %s", pick_word(s->kinds, r));
		break;
	case NAMED_BY_LINE:
		buf_printf(name, "%s %s %s", pick_word(c->brands, r), pick_word(c->lines, r),
			   pick_word(s->kinds, r));
		break;
	case NAMED_AS_TITLE: {
		const char *first = pick_word(s->kinds, r), *second = pick_word(s->extras, r);
		const char *binding = rng_below(r, 3) ? "Paperback" : "Hardcover";
		if (strcmp(s->name, "Fiction") == 0)
			buf_printf(name, "The %s %s (%s)", first, second, binding);
		else if (strcmp(s->name, "Children's Books") == 0)
			buf_printf(name, "%s and %s (%s)", first, second, binding);
		else
			buf_printf(name, "%s %s (%s)", first, second, binding);
		break;
	}
	}
}

/* True when an earlier product of the same sub-category already has this name. */
static int name_taken(const struct catalog *c, size_t first, size_t end, const char *name)
{
	for (size_t i = first; i < end; i++)
		if (strcmp(c->products[i].name, name) == 0)
			return 1;
	return 0;
}

static char *describe_product(const struct subcategory_spec *s, const char *name,
			      struct rng *r)
{
	struct buf d = BUF_INIT;
	size_t n = word_count(s->features);
	assert(n >= 2);
	size_t a = rng_below(r, n), b = (a + 1 + rng_below(r, n - 1)) % n;
	if (s->style == NAMED_AS_TITLE) {
		buf_printf(&d, "%s: %s and %s. %d pages.", name, s->features[a], s->features[b],
			   96 + 16 * (int)rng_below(r, 25));
	} else {
		size_t c = n > 2 ? (b + 1) % n : a;
		if (c == a)
			buf_printf(&d, "%s with %s and %s.", name, s->features[a], s->features[b]);
		else
			buf_printf(&d, "%s with %s, %s and %s.", name, s->features[a],
				   s->features[b], s->features[c]);
	}
	return buf_detach(&d);
}

/* A price that looks like a shop's: 49.99, 12.49, 1299.00 for the big ones. */
static int64_t shop_price(double price)
{
	if (price >= 1000)
		return llround(price / 50) * 5000;
	if (price >= 20)
		return llround(price) * 100 - 1;
	return llround(price * 2) * 50 - 1;
}

static int32_t draw_stock(struct rng *r)
{
	double u = rng_uniform(r);
	if (u < 0.03)
		return 0;
	if (u < 0.11)
		return 1 + (int32_t)rng_below(r, 5);
	return 10 + (int32_t)rng_below(r, 390);
}

static double draw_quality(struct rng *r)
{
	if (rng_uniform(r) < 0.10) /* a lemon: most buyers are disappointed */
		return 1.6 + rng_uniform(r);
	double q = 4.1 + 0.45 * rng_normal(r);
	return q < 2.6 ? 2.6 : q > 4.9 ? 4.9 : q;
}

static void make_product(struct catalog *c, size_t i, size_t sub_first, int sub,
			 struct rng *r)
{
	const struct subcategory_spec *s = &subcategory_specs[sub];
	struct product *p = &c->products[i];
	struct buf name = BUF_INIT;
	for (int attempt = 0;; attempt++) {
		buf_reset(&name);
		name_product(&name, s, r);
		if (!name_taken(c, sub_first, i, name.data))
			break;
		if (attempt == 20) { /* a crowded sub-category: number the newcomer */
			buf_printf(&name, " %zu", i - sub_first + 1);
			break;
		}
	}
	p->id = 1001 + (uint32_t)i;
	p->subcategory = (uint16_t)sub;
	p->category = (uint16_t)s->category;
	p->name = buf_detach(&name);
	p->description = describe_product(s, p->name, r);
	double price = exp(log(s->price_low) +
			   rng_uniform(r) * (log(s->price_high) - log(s->price_low)));
	p->price_cents = shop_price(price);
	double margin = s->margin * (0.8 + 0.4 * rng_uniform(r));
	p->cost_cents = llround((double)p->price_cents * (1.0 - margin));
	p->stock = draw_stock(r);
	p->quality = draw_quality(r);
	p->bundle = -1;
}

static int subcategory_index(const char *name)
{
	for (int s = 0; s < (int)SUBCATEGORIES; s++)
		if (strcmp(subcategory_specs[s].name, name) == 0)
			return s;
	assert(!"bundle names a sub-category that does not exist");
	return -1;
}

static void build_bundles(struct catalog *c, const size_t sub_first[SUBCATEGORIES],
			  const size_t per_sub[SUBCATEGORIES], struct rng *r)
{
	size_t cap = 0;
	for (size_t b = 0; b < sizeof bundle_specs / sizeof bundle_specs[0]; b++)
		cap += per_sub[subcategory_index(bundle_specs[b].anchor)];
	c->bundles = xcalloc(cap ? cap : 1, sizeof *c->bundles);
	for (size_t b = 0; b < sizeof bundle_specs / sizeof bundle_specs[0]; b++) {
		int anchor = subcategory_index(bundle_specs[b].anchor);
		for (size_t k = 0; k < per_sub[anchor]; k++) {
			struct bundle *bundle = &c->bundles[c->bundle_count];
			size_t product = sub_first[anchor] + k;
			bundle->product[0] = (uint32_t)product;
			bundle->size = 1;
			for (int j = 0; j < 2 && bundle_specs[b].companions[j]; j++) {
				int sub = subcategory_index(bundle_specs[b].companions[j]);
				bundle->product[bundle->size++] =
					(uint32_t)(sub_first[sub] + rng_below(r, per_sub[sub]));
			}
			c->products[product].bundle = (int32_t)c->bundle_count++;
		}
	}
}

/* Zipf-like popularity over a shuffled order, as running sums for drawing. */
static void rank_popularity(struct catalog *c, struct rng *r)
{
	size_t *rank = xmalloc(sizeof *rank * c->count);
	for (size_t i = 0; i < c->count; i++)
		rank[i] = i;
	for (size_t i = c->count - 1; i > 0; i--) {
		size_t j = rng_below(r, i + 1), t = rank[i];
		rank[i] = rank[j];
		rank[j] = t;
	}
	c->popularity_sum = xmalloc(sizeof *c->popularity_sum * c->count);
	uint64_t sum = 0;
	for (size_t i = 0; i < c->count; i++) {
		/* The offset flattens the very top: the best seller takes a few percent. */
		sum += (uint64_t)(1e9 / pow((double)rank[i] + 5.0, 1.0)) + 1;
		c->popularity_sum[i] = sum;
	}
	free(rank);
}

void catalog_build(struct catalog *c, size_t count, uint64_t seed)
{
	struct rng r;
	size_t per_sub[SUBCATEGORIES], sub_first[SUBCATEGORIES];
	rng_seed(&r, seed ^ 0x63617461ULL);
	if (count < SUBCATEGORIES)
		count = SUBCATEGORIES;
	memset(c, 0, sizeof *c);
	share_out(count, per_sub);
	c->count = count;
	c->products = xcalloc(count, sizeof *c->products);
	c->category_first = xcalloc(CATEGORIES, sizeof *c->category_first);
	c->category_end = xcalloc(CATEGORIES, sizeof *c->category_end);
	size_t i = 0;
	for (int cat = 0; cat < CATEGORIES; cat++) {
		c->category_first[cat] = i;
		for (int sub = 0; sub < (int)SUBCATEGORIES; sub++) {
			if (subcategory_specs[sub].category != cat)
				continue;
			sub_first[sub] = i;
			for (size_t k = 0; k < per_sub[sub]; k++, i++)
				make_product(c, i, sub_first[sub], sub, &r);
		}
		c->category_end[cat] = i;
	}
	assert(i == count);
	/* At least one product is sold out, whatever the draws said. */
	c->products[rng_below(&r, count)].stock = 0;
	build_bundles(c, sub_first, per_sub, &r);
	rank_popularity(c, &r);
}

void catalog_free(struct catalog *c)
{
	for (size_t i = 0; i < c->count; i++) {
		free(c->products[i].name);
		free(c->products[i].description);
	}
	free(c->products);
	free(c->bundles);
	free(c->popularity_sum);
	free(c->category_first);
	free(c->category_end);
	memset(c, 0, sizeof *c);
}

/* The first product in [first, end) whose running popularity sum exceeds target. */
static size_t search_popularity(const struct catalog *c, size_t first, size_t end,
				uint64_t target)
{
	while (first < end) {
		size_t mid = first + (end - first) / 2;
		if (c->popularity_sum[mid] <= target)
			first = mid + 1;
		else
			end = mid;
	}
	return first;
}

size_t catalog_draw(const struct catalog *c, struct rng *r)
{
	uint64_t target = rng_below(r, c->popularity_sum[c->count - 1]);
	return search_popularity(c, 0, c->count, target);
}

size_t catalog_draw_in_category(const struct catalog *c, struct rng *r, int category)
{
	size_t first = c->category_first[category], end = c->category_end[category];
	assert(first < end);
	uint64_t before = first ? c->popularity_sum[first - 1] : 0;
	uint64_t target = before + rng_below(r, c->popularity_sum[end - 1] - before);
	return search_popularity(c, first, end, target);
}

int catalog_write(const struct catalog *c, const char *dir, struct error *err)
{
	struct csv_writer w;
	int rc = csv_writer_open(&w, dir, "products.csv",
				 "product_id,name,description,category,subcategory,price,cost,stock",
				 err);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->count; i++) {
		const struct product *p = &c->products[i];
		csv_field_tagged(&w, "P", p->id);
		csv_field(&w, p->name);
		csv_field(&w, p->description);
		csv_field(&w, catalog_category_name(p->category));
		csv_field(&w, catalog_subcategory_name(p->subcategory));
		csv_field_cents(&w, p->price_cents);
		csv_field_cents(&w, p->cost_cents);
		csv_field_int(&w, p->stock);
		csv_end_row(&w);
	}
	return csv_writer_close(&w, err);
}
