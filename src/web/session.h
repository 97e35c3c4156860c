/* session: the shopper's session, named by the cookie `sid` (32 hex digits, 128 random
 * bits from getrandom(2)), kept in shop.db with its anti-forgery token.
 *
 * A session is created only when a shopper does something that needs one (adds to the
 * cart, asks for a token), never for a plain look, so crawlers and link checkers do not
 * fill shop.db. The cookie is HttpOnly, SameSite=Lax, Path=/, Secure under HTTPS, and
 * lasts 30 days, as do sessions and carts left alone. */
#ifndef CARTOGRAPH_SESSION_H
#define CARTOGRAPH_SESSION_H

#include "util/buf.h"
#include "util/error.h"
#include "web/csrf.h"
#include "web/shop_db.h"

/* Seconds a session or cart is kept after it was last used. */
#define SESSION_LIFETIME (30LL * 24 * 3600)
/* last_seen is written at most this often (seconds), so reads stay reads. */
#define SESSION_TOUCH_INTERVAL 300

struct shop_session {
	long long id;           /* sessions.id; 0 when the request has no session */
	char sid[TOKEN_SIZE];   /* the cookie value */
	char csrf[TOKEN_SIZE];  /* the session's anti-forgery token */
	int is_new;             /* made by this request: the answer sets the cookie */
};

/* Finds the session the Cookie header names (a well-formed sid, known and not expired).
 * Leaves s->id at 0 when there is none. Returns 0 or ERR_SYSTEM. */
int session_load(struct shop_db *db, const char *cookie_header, long long now,
		 struct shop_session *s, struct error *err);
/* Makes a session when s has none (and, then, drops sessions and carts unused for
 * SESSION_LIFETIME). Returns 0 or a negative code. */
int session_ensure(struct shop_db *db, long long now, struct shop_session *s,
		   struct error *err);
/* Appends the Set-Cookie value for s to out. */
void session_cookie(const struct shop_session *s, int https, struct buf *out);

#endif
