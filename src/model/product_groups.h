/* product_groups: every product sold, with the group it is analysed in: its category when
 * the products table gives one, else its name (the product group of exports without
 * categories), else its id. Loaded once into memory (products, not order lines), so the
 * steps that stream order lines look a product's group up by binary search instead of
 * joining the products table for every line. */
#ifndef CARTOGRAPH_PRODUCT_GROUPS_H
#define CARTOGRAPH_PRODUCT_GROUPS_H

#include <sqlite3.h>
#include <stddef.h>

#include "util/error.h"

struct product_groups {
	size_t n_products;
	char **product_ids; /* ascending (strcmp order); owned */
	size_t *group_of;   /* per product: its group's index in groups */
	size_t n_groups;
	char **groups;      /* distinct group names, ascending; owned */
};

/* Loads every product that appears in order_items. Release with product_groups_free. */
int product_groups_load(sqlite3 *db, struct product_groups *pg, struct error *err);
void product_groups_free(struct product_groups *pg);

/* The index of a product in product_ids, or -1 when it is not there. */
long product_groups_find(const struct product_groups *pg, const char *product_id);

#endif
