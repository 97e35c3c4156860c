/* bulk_load: dropping and rebuilding a table's indexes around a bulk insert. The
 * statements come from the database's own schema (sqlite_master), not from data; index
 * names are quoted as identifiers all the same. */
#include "clean/bulk_load.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/xalloc.h"

void set_aside_indexes_free(struct set_aside_indexes *set)
{
	for (int i = 0; i < set->count; i++) {
		free(set->name[i]);
		free(set->sql[i]);
	}
	free(set->name);
	free(set->sql);
	memset(set, 0, sizeof *set);
}

/* Appends name as a quoted SQL identifier. */
static void put_identifier(struct buf *sql, const char *name)
{
	buf_putc(sql, '"');
	for (; *name; name++) {
		if (*name == '"')
			buf_putc(sql, '"');
		buf_putc(sql, *name);
	}
	buf_putc(sql, '"');
}

int indexes_set_aside(sqlite3 *db, const char *table, struct set_aside_indexes *set,
		      struct error *err)
{
	sqlite3_stmt *st;
	int rc;
	memset(set, 0, sizeof *set);
	/* Indexes without SQL belong to PRIMARY KEY and UNIQUE constraints: they stay. */
	if (db_prepare(db,
		       "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1"
		       " AND sql IS NOT NULL ORDER BY name",
		       &st, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		set->name = xreallocarray(set->name, (size_t)set->count + 1, sizeof *set->name);
		set->sql = xreallocarray(set->sql, (size_t)set->count + 1, sizeof *set->sql);
		set->name[set->count] = xstrdup((const char *)sqlite3_column_text(st, 0));
		set->sql[set->count++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "reading the schema");
	for (int i = 0; i < set->count; i++) {
		struct buf sql = BUF_INIT;
		buf_puts(&sql, "DROP INDEX ");
		put_identifier(&sql, set->name[i]);
		rc = db_exec(db, buf_str(&sql), err);
		buf_free(&sql);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int indexes_restore(sqlite3 *db, struct set_aside_indexes *set, struct error *err)
{
	for (int i = 0; i < set->count; i++)
		if (db_exec(db, set->sql[i], err) < 0)
			return ERR_SYSTEM;
	set_aside_indexes_free(set);
	return 0;
}
