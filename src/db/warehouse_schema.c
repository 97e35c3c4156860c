/* warehouse_schema: the warehouse's tables, as migrations applied by db_migrate.
 *
 * The one idea: data flows one way through three layers of tables.
 *   raw_*      every row as read by `ingest`, text as in the file, with the run and the
 *              line it came from; columns the ingest did not recognise are kept in
 *              `extra` as a JSON object {"Header": "value"}.
 *   typed      customers, products, orders, order_items, reviews, events, adjustments:
 *              written by `clean` from the raw tables, with real types (money as integer
 *              cents, times as ISO-8601 text 'YYYY-MM-DD HH:MM:SS').
 *   derived    model outputs, written by `model` (added by later migrations).
 * `ingest_runs` records each loaded file (one transaction each) and `ingest_rejects`
 * every row that could not be read, with line, column, value and reason.
 * A new schema change is a new entry at the end of warehouse_migrations. */
#include "db/db.h"

static const char schema_v1[] =
	/* One row per file loaded. A file's content hash makes a second ingest of the
	 * same bytes a no-op; --replace drops earlier runs of the same file name. */
	"CREATE TABLE ingest_runs ("
	"  run_id        INTEGER PRIMARY KEY,"
	"  kind          TEXT NOT NULL,"       /* order_lines, products, customers, ... */
	"  file_name     TEXT NOT NULL,"       /* base name of the file */
	"  path          TEXT NOT NULL,"       /* path as given on the command line */
	"  sha256        TEXT NOT NULL,"       /* hash of the file's bytes as stored */
	"  bytes         INTEGER NOT NULL,"
	"  delimiter     TEXT NOT NULL,"
	"  columns       TEXT NOT NULL,"       /* JSON: [{"header":..,"field":..|null}] */
	"  date_formats  TEXT NOT NULL,"       /* JSON: {"field": "YMD"|"MDY"|"DMY"|...} */
	"  decimal_comma INTEGER NOT NULL DEFAULT 0,"
	"  rows_read     INTEGER NOT NULL,"
	"  rows_loaded   INTEGER NOT NULL,"
	"  rows_rejected INTEGER NOT NULL,"
	"  loaded_at     TEXT NOT NULL,"       /* UTC, ISO 8601 */
	"  UNIQUE (kind, sha256)"
	");"
	"CREATE TABLE ingest_rejects ("
	"  run_id      INTEGER NOT NULL REFERENCES ingest_runs ON DELETE CASCADE,"
	"  line        INTEGER NOT NULL,"      /* physical line where the row starts */
	"  column_name TEXT,"                  /* header of the offending column, if any */
	"  value       TEXT,"                  /* the offending value (first 200 bytes) */
	"  reason      TEXT NOT NULL"
	");"
	"CREATE INDEX ingest_rejects_run ON ingest_rejects (run_id, line);"

	/* Raw tables: text as read, in file order (rowid). No index: appending rows is
	 * the hot path of ingest, and clean reads them in rowid order from a watermark.
	 * Dropping a run (ingest --replace) scans; that is rare and still fast. */
	"CREATE TABLE raw_order_lines ("
	"  run_id INTEGER NOT NULL REFERENCES ingest_runs ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  order_id TEXT, order_date TEXT, customer_id TEXT, product_id TEXT,"
	"  product_name TEXT, quantity TEXT, unit_price TEXT, line_total TEXT,"
	"  country TEXT, region TEXT, city TEXT, category TEXT, subcategory TEXT,"
	"  channel TEXT, payment_method TEXT, discount TEXT, profit TEXT, status TEXT,"
	"  extra TEXT"
	");"
	"CREATE TABLE raw_products ("
	"  run_id INTEGER NOT NULL REFERENCES ingest_runs ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  product_id TEXT, name TEXT, description TEXT, category TEXT, subcategory TEXT,"
	"  price TEXT, cost TEXT, stock TEXT,"
	"  extra TEXT"
	");"
	"CREATE TABLE raw_customers ("
	"  run_id INTEGER NOT NULL REFERENCES ingest_runs ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  customer_id TEXT, name TEXT, email TEXT, country TEXT, region TEXT, city TEXT,"
	"  signup_date TEXT,"
	"  extra TEXT"
	");"
	"CREATE TABLE raw_reviews ("
	"  run_id INTEGER NOT NULL REFERENCES ingest_runs ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  review_id TEXT, product_id TEXT, customer_id TEXT, rating TEXT, title TEXT,"
	"  body TEXT, review_date TEXT,"
	"  extra TEXT"
	");"
	"CREATE TABLE raw_events ("
	"  run_id INTEGER NOT NULL REFERENCES ingest_runs ON DELETE CASCADE,"
	"  line INTEGER NOT NULL,"
	"  event_time TEXT, event_type TEXT, session_id TEXT, customer_id TEXT,"
	"  product_id TEXT, price TEXT,"
	"  extra TEXT"
	");"

	/* Typed tables, filled by `clean`. Money is integer cents; times are ISO text. */
	"CREATE TABLE customers ("
	"  customer_id TEXT PRIMARY KEY,"
	"  name TEXT, email TEXT, country TEXT, region TEXT, city TEXT,"
	"  signup_date TEXT"
	");"
	"CREATE TABLE products ("
	"  product_id  TEXT PRIMARY KEY,"
	"  name        TEXT NOT NULL,"         /* the most frequent description */
	"  description TEXT, category TEXT, subcategory TEXT,"
	"  price_cents INTEGER, cost_cents INTEGER,"
	"  stock       INTEGER"                /* NULL when the exports do not say */
	");"
	"CREATE TABLE orders ("
	"  order_id       TEXT PRIMARY KEY,"
	"  customer_id    TEXT,"               /* NULL for a guest order */
	"  order_time     TEXT NOT NULL,"
	"  status         TEXT NOT NULL DEFAULT 'completed'"
	"                 CHECK (status IN ('completed', 'cancelled', 'returned')),"
	"  cancels_order_id TEXT,"             /* for a cancellation: the order it undoes */
	"  country TEXT, region TEXT, city TEXT, channel TEXT, payment_method TEXT,"
	"  total_cents    INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX orders_customer ON orders (customer_id, order_time);"
	"CREATE INDEX orders_time ON orders (order_time);"
	"CREATE TABLE order_items ("
	"  order_id         TEXT NOT NULL REFERENCES orders ON DELETE CASCADE,"
	"  line_no          INTEGER NOT NULL,"
	"  product_id       TEXT NOT NULL,"
	"  quantity         INTEGER NOT NULL,"
	"  unit_price_cents INTEGER NOT NULL,"
	"  line_total_cents INTEGER NOT NULL,"
	"  discount         REAL,"             /* fraction 0..1 when the export has one */
	"  profit_cents     INTEGER,"
	"  flags            INTEGER NOT NULL DEFAULT 0," /* data-quality flags, see clean */
	"  PRIMARY KEY (order_id, line_no)"
	") WITHOUT ROWID;"
	"CREATE INDEX order_items_product ON order_items (product_id);"
	"CREATE TABLE adjustments ("           /* postage, fees, manual lines: not products */
	"  order_id TEXT, code TEXT NOT NULL, description TEXT,"
	"  amount_cents INTEGER NOT NULL, order_time TEXT"
	");"
	"CREATE TABLE reviews ("
	"  review_id   TEXT PRIMARY KEY,"
	"  product_id  TEXT, customer_id TEXT,"
	"  rating      INTEGER CHECK (rating BETWEEN 1 AND 5),"
	"  title TEXT, body TEXT, review_date TEXT"
	");"
	"CREATE TABLE events ("
	"  event_id   INTEGER PRIMARY KEY,"
	"  event_time TEXT NOT NULL, event_type TEXT NOT NULL,"
	"  session_id TEXT, customer_id TEXT, product_id TEXT, price_cents INTEGER"
	");"
	"CREATE TABLE dq_issues ("
	"  rule        TEXT PRIMARY KEY,"
	"  severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),"
	"  count       INTEGER NOT NULL,"
	"  description TEXT NOT NULL,"
	"  examples    TEXT NOT NULL"          /* JSON list of "file:line" */
	");";

/* Written by `clean`: data-quality flags on reviews and events (bits in
 * src/clean/clean.h), and the one definition of a sale the models and reports share. */
static const char schema_v2[] =
	"ALTER TABLE reviews ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;" /* enum review_flag */
	"ALTER TABLE events ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;"  /* enum event_flag */
	/* Lines that count as sales: no data-quality flag (price, quantity, date, outlier,
	 * return, cancelled) on a completed order. Returns are order_items with flag 16. */
	"CREATE VIEW sales_lines AS"
	" SELECT i.order_id, i.line_no, i.product_id, i.quantity, i.unit_price_cents,"
	"        i.line_total_cents, i.discount, i.profit_cents,"
	"        o.customer_id, o.order_time, o.country, o.region, o.city, o.channel"
	" FROM order_items i JOIN orders o ON o.order_id = i.order_id"
	" WHERE i.flags = 0 AND o.status = 'completed';";

/* Derived tables of `model`. Each model writes its own tables; model_metrics holds
 * every figure the models report evaluates them by, model_curves the points of the
 * curves drawn (ROC, calibration). */
static const char schema_v3[] =
	"CREATE TABLE model_metrics ("
	"  model  TEXT NOT NULL,"               /* churn_logreg, sentiment_rules, recs_item, ... */
	"  metric TEXT NOT NULL,"               /* roc_auc, brier, base_rate, hit_rate_10, ... */
	"  value  REAL,"
	"  detail TEXT,"                        /* what the figure was measured on */
	"  PRIMARY KEY (model, metric)"
	");"
	"CREATE TABLE model_curves ("
	"  model TEXT NOT NULL, curve TEXT NOT NULL," /* e.g. churn_logreg, roc */
	"  seq INTEGER NOT NULL, x REAL NOT NULL, y REAL NOT NULL, n INTEGER,"
	"  PRIMARY KEY (model, curve, seq)"
	");"
	"CREATE TABLE cohort_retention ("
	"  cohort       TEXT NOT NULL,"         /* 'YYYY-MM' of the first completed order */
	"  months_since INTEGER NOT NULL,"      /* 0 = the first month */
	"  customers    INTEGER NOT NULL,"      /* the cohort's size */
	"  active       INTEGER NOT NULL,"      /* of them, ordering in that month */
	"  retention    REAL NOT NULL,"         /* active / customers */
	"  PRIMARY KEY (cohort, months_since)"
	");";

/* Derived tables of the customer and sales models (`cartograph model segments`, `churn`,
 * `customers`, `anomalies`, `prices`). Money is integer cents, days 'YYYY-MM-DD'. */
static const char schema_v4[] =
	/* RFM as of the day after the data's last day, over completed orders of known
	 * customers (rules in src/model/rfm.h). */
	"CREATE TABLE customer_rfm ("
	"  customer_id    TEXT PRIMARY KEY,"
	"  recency_days   INTEGER NOT NULL,"    /* as-of day − day of the last order (≥ 1) */
	"  frequency      INTEGER NOT NULL,"    /* completed orders */
	"  monetary_cents INTEGER NOT NULL,"    /* their value (unflagged lines) */
	"  r_score INTEGER NOT NULL, f_score INTEGER NOT NULL, m_score INTEGER NOT NULL," /* 1..5 */
	"  rfm_score      TEXT NOT NULL,"       /* the three scores, e.g. '545' */
	"  segment        TEXT NOT NULL,"       /* Champions, Loyal, ..., Lost */
	"  value_tier     TEXT NOT NULL CHECK (value_tier IN ('Low', 'Medium', 'High')),"
	"  cluster        INTEGER"              /* k-means cluster; NULL when not clustered */
	");"
	"CREATE TABLE rfm_segments ("
	"  segment        TEXT PRIMARY KEY,"
	"  rule           TEXT NOT NULL,"       /* the scores that place a customer here */
	"  customers      INTEGER NOT NULL,"
	"  share          REAL NOT NULL,"       /* of all scored customers */
	"  revenue_share  REAL NOT NULL,"       /* of their monetary value */
	"  median_recency_days REAL, median_frequency REAL, median_monetary_cents REAL"
	");"
	"CREATE TABLE rfm_clusters ("
	"  cluster        INTEGER PRIMARY KEY," /* 0 = the largest */
	"  customers      INTEGER NOT NULL,"
	"  recency_days   REAL NOT NULL,"       /* the centre in plain units */
	"  frequency      REAL NOT NULL,"
	"  monetary_cents REAL NOT NULL,"
	"  main_segment   TEXT NOT NULL,"       /* the named segment most of them are in */
	"  description    TEXT NOT NULL"
	");"
	/* The risk list: every customer active at the end of the data (an order in the last
	 * 365 days), scored by the better churn model. */
	"CREATE TABLE churn_scores ("
	"  customer_id      TEXT PRIMARY KEY,"
	"  risk             REAL NOT NULL,"     /* P(no order in the horizon) */
	"  risk_rank        INTEGER NOT NULL,"  /* 1 = the most at risk */
	"  model            TEXT NOT NULL,"     /* churn_logreg or churn_bgnbd */
	"  reason           TEXT NOT NULL,"     /* in words: 'no order for 140 days, usually every 30' */
	"  days_since_order INTEGER NOT NULL,"
	"  usual_gap_days   REAL,"              /* mean days between order days; NULL with one */
	"  expected_orders  REAL"               /* BG/NBD: order days expected in the horizon */
	");"
	"CREATE TABLE customer_360 ("
	"  customer_id           TEXT PRIMARY KEY,"
	"  lifetime_value_cents  INTEGER NOT NULL," /* completed orders, unflagged lines */
	"  orders                INTEGER NOT NULL,"
	"  avg_order_value_cents INTEGER NOT NULL,"
	"  first_purchase        TEXT NOT NULL,"    /* 'YYYY-MM-DD' */
	"  last_purchase         TEXT NOT NULL,"
	"  tenure_days           INTEGER NOT NULL," /* as-of day − first purchase day */
	"  mean_gap_days         REAL,"             /* (last − first) / (orders − 1); NULL with one */
	"  distinct_products     INTEGER NOT NULL,"
	"  return_rate           REAL NOT NULL,"    /* cancelled or returned / all orders */
	"  favourite_category    TEXT,"             /* by spend; the product group without categories */
	"  segment TEXT, value_tier TEXT, cluster INTEGER," /* from customer_rfm */
	"  churn_risk REAL, churn_reason TEXT"      /* from churn_scores; NULL when not scored */
	");"
	/* Daily revenue of completed orders and its robust z against the trailing window. */
	"CREATE TABLE daily_sales ("
	"  day            TEXT PRIMARY KEY,"    /* every day from the first to the last */
	"  revenue_cents  INTEGER NOT NULL,"
	"  orders         INTEGER NOT NULL,"
	"  baseline_cents INTEGER,"             /* median of the trailing window */
	"  z              REAL,"                /* robust z; NULL when not judged */
	"  flagged        INTEGER NOT NULL DEFAULT 0," /* 1 when |z| or |orders_z| ≥ 3.5 */
	"  direction      TEXT CHECK (direction IN ('up', 'down'))" /* of a flagged day */
	");"
	/* Log-log slope of weekly quantity on unit price per category or product group. */
	"CREATE TABLE price_elasticity ("
	"  product_group   TEXT PRIMARY KEY,"   /* the category, else the product */
	"  products        INTEGER NOT NULL,"   /* products whose prices varied */
	"  weeks           INTEGER NOT NULL,"   /* product-weeks with sales */
	"  revenue_cents   INTEGER NOT NULL,"
	"  price_variation REAL,"               /* sd of log price within products */
	"  elasticity      REAL,"               /* % change in quantity per % price; NULL: see note */
	"  std_error       REAL,"
	"  r_squared       REAL,"
	"  note            TEXT NOT NULL"       /* 'estimated' or why not */
	");";

/* Review sentiment and recommendations, written by `model sentiment` and `model recs`.
 * Ranks start at 1. The tables the shop reads (item_neighbors, customer_recs, buy_again,
 * popular_by_category) are keyed by what a page asks for, so each page is one range
 * of one index; `cartograph build` copies them into shop.db. */
static const char schema_v5[] =
	/* Every review's score. Blank reviews are not scored (scorer 'none', compound 0). */
	"CREATE TABLE review_sentiment ("
	"  review_id      TEXT PRIMARY KEY,"
	"  compound       REAL NOT NULL,"       /* -1 (negative) .. 1 (positive) */
	"  label          TEXT NOT NULL CHECK (label IN ('positive', 'neutral', 'negative')),"
	"  scorer         TEXT NOT NULL CHECK (scorer IN ('rules', 'learned', 'none')),"
	"  rules_compound REAL NOT NULL,"       /* the rule scorer's compound, always kept */
	"  learned_probability REAL"            /* the learned model's P(positive), if trained */
	");"
	"CREATE TABLE product_sentiment ("
	"  product_id      TEXT PRIMARY KEY,"
	"  reviews         INTEGER NOT NULL,"   /* all its reviews */
	"  scored          INTEGER NOT NULL,"   /* of them, with text */
	"  mean_rating     REAL,"               /* stars, NULL when none has a rating */
	"  mean_compound   REAL,"               /* over scored reviews */
	"  negative_share  REAL,"               /* scored reviews labelled negative */
	"  positive_share  REAL,"
	"  recent_compound REAL,"               /* scored in the last 90 days of reviews */
	"  trend           REAL,"               /* recent minus earlier mean; NULL under 3 each */
	"  last_review     TEXT"
	");"
	"CREATE TABLE category_sentiment ("
	"  category       TEXT PRIMARY KEY,"    /* products.category */
	"  products       INTEGER NOT NULL,"    /* products with reviews */
	"  reviews        INTEGER NOT NULL,"
	"  scored         INTEGER NOT NULL,"
	"  mean_rating    REAL,"
	"  mean_compound  REAL,"
	"  negative_share REAL,"
	"  positive_share REAL"
	");"
	"CREATE TABLE sentiment_monthly ("
	"  scope          TEXT NOT NULL CHECK (scope IN ('shop', 'category', 'product')),"
	"  key            TEXT NOT NULL,"       /* '' for the shop, else category or product */
	"  month          TEXT NOT NULL,"       /* 'YYYY-MM' of review_date */
	"  reviews        INTEGER NOT NULL,"    /* scored reviews that month */
	"  mean_compound  REAL NOT NULL,"
	"  negative_share REAL NOT NULL,"
	"  mean_rating    REAL,"
	"  PRIMARY KEY (scope, key, month)"
	") WITHOUT ROWID;"
	"CREATE TABLE reviews_for_action ("      /* the most negative recent reviews */
	"  rank        INTEGER PRIMARY KEY,"
	"  review_id   TEXT NOT NULL,"
	"  product_id  TEXT,"
	"  review_date TEXT,"
	"  rating      INTEGER,"
	"  compound    REAL NOT NULL,"
	"  reason      TEXT NOT NULL"           /* why it is listed, in words */
	");"
	"CREATE TABLE item_neighbors ("          /* frequently bought together */
	"  product_id  TEXT NOT NULL,"
	"  rank        INTEGER NOT NULL,"
	"  neighbor_id TEXT NOT NULL,"
	"  score       REAL NOT NULL,"          /* normalised co-occurrence; name cosine */
	"  support     INTEGER NOT NULL,"       /* baskets holding both; 0 unless baskets */
	"  source      TEXT NOT NULL CHECK (source IN ('baskets', 'content', 'popular')),"
	"  PRIMARY KEY (product_id, rank)"
	") WITHOUT ROWID;"
	"CREATE TABLE customer_recs ("           /* never a product the customer bought */
	"  customer_id TEXT NOT NULL,"
	"  rank        INTEGER NOT NULL,"
	"  product_id  TEXT NOT NULL,"
	"  score       REAL NOT NULL,"          /* 0 for best sellers filling the list */
	"  source      TEXT NOT NULL CHECK (source IN ('neighbors', 'popular', 'segment')),"
	"  PRIMARY KEY (customer_id, rank)"
	") WITHOUT ROWID;"
	"CREATE TABLE buy_again ("               /* a customer's own products, to reorder */
	"  customer_id TEXT NOT NULL,"
	"  rank        INTEGER NOT NULL,"
	"  product_id  TEXT NOT NULL,"
	"  orders      INTEGER NOT NULL,"       /* their completed orders holding it */
	"  quantity    INTEGER NOT NULL,"       /* units in those orders */
	"  last_bought TEXT NOT NULL,"
	"  score       REAL NOT NULL,"          /* orders weighed by recency */
	"  PRIMARY KEY (customer_id, rank)"
	") WITHOUT ROWID;"
	"CREATE TABLE popular_by_category ("
	"  category    TEXT NOT NULL,"          /* '' for the whole shop */
	"  rank        INTEGER NOT NULL,"
	"  product_id  TEXT NOT NULL,"
	"  score       REAL NOT NULL,"          /* orders weighed by recency */
	"  orders      INTEGER NOT NULL,"       /* completed orders holding it, all time */
	"  PRIMARY KEY (category, rank)"
	") WITHOUT ROWID;";

/* The sales view also carries the order's payment method, so that a report can sum
 * sales by payment method without joining every line to its order a second time. */
#define SALES_LINES_COLUMNS                                                              \
	" SELECT i.order_id, i.line_no, i.product_id, i.quantity, i.unit_price_cents,"   \
	"        i.line_total_cents, i.discount, i.profit_cents,"                        \
	"        o.customer_id, o.order_time, o.country, o.region, o.city, o.channel,"   \
	"        o.payment_method"

static const char schema_v6[] =
	"DROP VIEW IF EXISTS sales_lines;"
	"CREATE VIEW sales_lines AS" SALES_LINES_COLUMNS
	" FROM order_items i JOIN orders o ON o.order_id = i.order_id"
	" WHERE i.flags = 0 AND o.status = 'completed';";

/* The same sales, read order by order: SQLite otherwise reads every line and looks its
 * order up, twice the time of reading each order once and then its lines, which sit
 * together under the order's key. CROSS JOIN fixes that order; a span of time is then
 * read through the orders' time index. */
static const char schema_v7[] =
	"DROP VIEW IF EXISTS sales_lines;"
	"CREATE VIEW sales_lines AS" SALES_LINES_COLUMNS
	" FROM orders o CROSS JOIN order_items i ON i.order_id = o.order_id"
	" WHERE i.flags = 0 AND o.status = 'completed';";

/* No index of order items by product: no query of the project's looks items up by
 * product, and rebuilding it took clean a quarter of its time on Online Retail (and
 * the warehouse 10 MB). A query for one product's items reads them all: 0.05 s for
 * half a million. */
static const char schema_v8[] = "DROP INDEX IF EXISTS order_items_product;";

/* Unusual days are judged by their orders too (anomalies.h): the median orders of the
 * same weekday's last weeks and the robust z of the day's against them. */
static const char schema_v9[] =
	"ALTER TABLE daily_sales ADD COLUMN orders_baseline REAL;"
	"ALTER TABLE daily_sales ADD COLUMN orders_z REAL;";

/* The currency an export's amounts are written in, when they say ("£3.50"): the build
 * writes it before amounts unless told otherwise. */
static const char schema_v10[] = "ALTER TABLE ingest_runs ADD COLUMN currency TEXT;";

const struct migration warehouse_migrations[] = {
	{1, schema_v1},
	{2, schema_v2},
	{3, schema_v3},
	{4, schema_v4},
	{5, schema_v5},
	{6, schema_v6},
	{7, schema_v7},
	{8, schema_v8},
	{9, schema_v9},
	{10, schema_v10},
};
const int warehouse_migration_count =
	(int)(sizeof warehouse_migrations / sizeof warehouse_migrations[0]);
