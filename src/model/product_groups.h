/* product_groups: every product of the order book, with the group it is analysed in: its
 * category when the products table gives one, else its name (the product group of
 * exports without categories), else its id. Products are numbered as in the book, so the
 * steps that walk the book's lines find a product's group by its number instead of
 * joining the products table for every line. */
#ifndef CARTOGRAPH_PRODUCT_GROUPS_H
#define CARTOGRAPH_PRODUCT_GROUPS_H

#include <stddef.h>

#include "model/order_book.h"

struct product_groups {
	size_t n_products;  /* as in the book */
	size_t *group_of;   /* per product: its group's index in groups */
	size_t n_groups;
	char **groups;      /* distinct group names, ascending (strcmp order); owned */
};

/* Numbers the groups of every product of the book. Release with product_groups_free. */
void product_groups_from_book(const struct order_book *book, struct product_groups *pg);
void product_groups_free(struct product_groups *pg);

#endif
