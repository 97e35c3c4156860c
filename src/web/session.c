/* session: loading, creating and expiring sessions; the session cookie. */
#include "web/session.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "web/cgi.h"
#include "web/shop_fields.h"

static const char find_session_sql[] =
	"SELECT id, csrf, last_seen FROM sessions WHERE sid = ?1 AND last_seen >= ?2";
static const char touch_session_sql[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1";
static const char insert_session_sql[] =
	"INSERT INTO sessions (sid, csrf, created, last_seen) VALUES (?1, ?2, ?3, ?3)";
static const char expire_sessions_sql[] = "DELETE FROM sessions WHERE last_seen < ?1";
static const char expire_carts_sql[] = "DELETE FROM carts WHERE updated < ?1";

int session_load(struct shop_db *db, const char *cookie_header, long long now,
		 struct shop_session *s, struct error *err)
{
	memset(s, 0, sizeof *s);
	const char *sid;
	size_t len;
	if (!cgi_cookie_find(cookie_header, "sid", &sid, &len) || !is_token(sid, len))
		return 0; /* no cookie, or not one of ours: a fresh visitor */
	sqlite3_stmt *find = shop_db_stmt(db, find_session_sql, err);
	if (!find)
		return ERR_SYSTEM;
	sqlite3_bind_text(find, 1, sid, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(find, 2, now - SESSION_LIFETIME);
	int rc = sqlite3_step(find);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db->db, err, "finding the session");
	s->id = sqlite3_column_int64(find, 0);
	const unsigned char *csrf = sqlite3_column_text(find, 1);
	long long last_seen = sqlite3_column_int64(find, 2);
	memcpy(s->sid, sid, len);
	s->sid[len] = '\0';
	snprintf(s->csrf, sizeof s->csrf, "%s", csrf ? (const char *)csrf : "");
	sqlite3_reset(find);
	if (now - last_seen < SESSION_TOUCH_INTERVAL)
		return 0;
	sqlite3_stmt *touch = shop_db_stmt(db, touch_session_sql, err);
	if (!touch)
		return ERR_SYSTEM;
	sqlite3_bind_int64(touch, 1, s->id);
	sqlite3_bind_int64(touch, 2, now);
	rc = sqlite3_step(touch);
	sqlite3_reset(touch);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "touching the session");
}

/* Runs one cached statement with a single integer parameter to completion. */
static int run_with_time(struct shop_db *db, const char *sql, long long t, struct error *err)
{
	sqlite3_stmt *stmt = shop_db_stmt(db, sql, err);
	if (!stmt)
		return ERR_SYSTEM;
	sqlite3_bind_int64(stmt, 1, t);
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db->db, err, "expiring sessions");
}

int session_ensure(struct shop_db *db, long long now, struct shop_session *s, struct error *err)
{
	if (s->id)
		return 0;
	if (token_new(s->sid, err) < 0 || token_new(s->csrf, err) < 0)
		return ERR_SYSTEM;
	if (shop_db_begin_write(db, SHOP_DB_RELAXED, err) < 0)
		return ERR_SYSTEM;
	if (run_with_time(db, expire_sessions_sql, now - SESSION_LIFETIME, err) < 0 ||
	    run_with_time(db, expire_carts_sql, now - SESSION_LIFETIME, err) < 0)
		goto fail;
	sqlite3_stmt *insert = shop_db_stmt(db, insert_session_sql, err);
	if (!insert)
		goto fail;
	sqlite3_bind_text(insert, 1, s->sid, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 2, s->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(insert, 3, now);
	if (sqlite3_step(insert) != SQLITE_DONE) {
		db_fail(db->db, err, "creating a session");
		goto fail;
	}
	s->id = sqlite3_last_insert_rowid(db->db);
	sqlite3_reset(insert);
	if (shop_db_commit(db, err) < 0) {
		s->id = 0;
		return ERR_SYSTEM;
	}
	s->is_new = 1;
	return 0;
fail:
	shop_db_rollback(db);
	return ERR_SYSTEM;
}

void session_cookie(const struct shop_session *s, int https, struct buf *out)
{
	buf_printf(out, "sid=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", s->sid,
		   SESSION_LIFETIME, https ? "; Secure" : "");
}
