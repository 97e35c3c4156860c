/* customers: one row per customer id, from a customer file when there is one and from
 * the order lines, so every customer an order names exists. Country, region and city
 * come from the file, else from the order lines (the most frequent; a tie goes to the
 * first in byte order). Guest lines (no customer id) make no customers. */
#ifndef CARTOGRAPH_CUSTOMERS_H
#define CARTOGRAPH_CUSTOMERS_H

#include <sqlite3.h>

#include "clean/clean.h"
#include "clean/dq_log.h"
#include "clean/order_lines.h"
#include "clean/source_runs.h"

/* What the order lines say about one customer. */
struct customer_fact {
	uint32_t id;                /* the customer id's handle */
	uint32_t country, region, city; /* the most frequent of their lines */
	uint32_t first_line;        /* their first line, cited by the rules */
	uint8_t country_variants;   /* their lines give more than one country */
};

struct customer_facts {
	struct customer_fact *fact; /* one per customer seen in the lines */
	uint32_t count;
	uint32_t *index_of;         /* fact index per handle, UINT32_MAX when none */
	uint32_t handles;
};

/* Works out the facts of every customer from the kept lines. Touches no database,
 * so it can run while SQLite builds an index. */
struct customer_facts *customers_from_lines(const struct line_set *set);
void customer_facts_free(struct customer_facts *facts);

/* Reads raw_customers, completes each customer from the facts and writes the
 * customers table (which must be empty). Returns 0 or a negative code. */
int customers_write(sqlite3 *db, struct line_set *set, const struct customer_facts *facts,
		    struct source_runs *runs, struct dq_log *log, struct clean_summary *sum,
		    struct error *err);

#endif
