/* cart: the shopper's cart: reading it with its totals and "frequently bought together"
 * suggestions, and adding, changing and removing lines with stock checks. The handlers
 * (GET /cart, POST /cart/add, /cart/update, /cart/remove) are declared in shop.h. */
#ifndef CARTOGRAPH_CART_H
#define CARTOGRAPH_CART_H

#include "report/value.h"
#include "web/shop_db.h"

/* Most units of one product in a cart (and in one order line). */
#define CART_MAX_QUANTITY 99
/* Suggestions shown with a cart. */
#define CART_SUGGESTIONS 4
/* Orders from this subtotal (cents) ship free; below it they cost CART_SHIPPING_CENTS. */
#define CART_FREE_SHIPPING_FROM 5000
#define CART_SHIPPING_CENTS 395

/* Shipping for a subtotal: nothing for an empty cart or from the free threshold. */
long long cart_shipping(long long subtotal_cents);
/* Sets "lines" (product_id, name, quantity, unit_price, line_total, stock), "items",
 * "subtotal", "shipping", "total" and "empty" in cart for the session's cart (an empty
 * cart when session_id is 0). Returns 0 or ERR_SYSTEM. */
int cart_describe(struct shop_db *db, long long session_id, struct value *cart, struct error *err);
/* Sets "suggestions": products bought together with the cart's, not already in it and
 * in stock, best first. Returns 0 or ERR_SYSTEM. */
int cart_suggest(struct shop_db *db, long long session_id, struct value *data, struct error *err);

#endif
