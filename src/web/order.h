/* order: reading a web order for its confirmation page (GET /order/<number>), for the
 * checkout's answer, and for the review check. An order is shown only to the session
 * that placed it: to anyone else it does not exist (404), so order numbers, which count
 * up, give nothing away. */
#ifndef CARTOGRAPH_ORDER_H
#define CARTOGRAPH_ORDER_H

#include "report/value.h"
#include "web/shop_db.h"

/* Fills order with the order's number, customer details, totals and "lines". Returns 1
 * when the order exists and belongs to session_id, 0 when not, or ERR_SYSTEM. */
int order_describe(struct shop_db *db, long long order_id, long long session_id,
		   struct value *order, struct error *err);
/* The id of the order with this number placed by session_id: >0, 0 when none, or
 * ERR_SYSTEM. */
long long order_find(struct shop_db *db, const char *number, long long session_id,
		     struct error *err);

#endif
