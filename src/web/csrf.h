/* csrf: the random tokens of the shop (session ids, anti-forgery tokens, checkout form
 * keys) and the forgery check every POST passes before its handler runs.
 *
 * The one idea: a form is trusted only when it carries the token of the session its
 * cookie names. The token is 128 bits from getrandom(2), lives in shop.db beside the
 * session, is put into every form the shop renders (and handed to the shop's own script
 * as JSON), and is compared in constant time. A page on another site can make a browser
 * send the cookie, but cannot read the token. */
#ifndef CARTOGRAPH_CSRF_H
#define CARTOGRAPH_CSRF_H

#include <stddef.h>

#include "util/error.h"

/* Hex digits of a token plus the NUL. */
#define TOKEN_SIZE 33

/* Fills out with 32 lowercase hex digits of 128 bits from getrandom(2). Returns 0, or
 * ERR_SYSTEM when the kernel gives no randomness (the shop then answers 503). */
int token_new(char out[TOKEN_SIZE], struct error *err);
/* Whether given (len bytes) equals the token expected, in time that does not depend on
 * where they differ. A NULL or empty given never matches. */
int token_matches(const char *expected, const char *given, size_t len);

#endif
