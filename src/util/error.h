/* error: the error buffer that stage functions fill and only cli/ and shop_main print.
 *
 * Functions return 0 on success or a negative code and, on failure, describe what went
 * wrong in a struct error, in the form a user reads:
 *     orders.csv:1842: column 'Quantity': 'abc' is not a number */
#ifndef CARTOGRAPH_ERROR_H
#define CARTOGRAPH_ERROR_H

#include <stdarg.h>

enum {
	ERR_INPUT = -1,  /* the user's data or arguments are wrong */
	ERR_SYSTEM = -2, /* the operating system or a library failed (disk, memory, db) */
	ERR_INTERRUPTED = -3 /* the user stopped the run */
};

struct error {
	char msg[1024]; /* the message, without program name or trailing newline */
};

/* Fills err (when not NULL) and returns code, so callers can `return error_set(...)`. */
int error_set(struct error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts "prefix: " in front of the message already in err. */
void error_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
