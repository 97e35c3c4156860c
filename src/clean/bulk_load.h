/* bulk_load: filling a table with many rows fast. A table's secondary indexes are set
 * aside (dropped, their CREATE statements kept) while the rows go in, then built again
 * from the finished table in one sorted pass: for half a million order items that is
 * less than half the work of keeping the index up to date row by row. Both steps run
 * inside the caller's transaction, so a failure restores the indexes too. */
#ifndef CARTOGRAPH_BULK_LOAD_H
#define CARTOGRAPH_BULK_LOAD_H

#include <sqlite3.h>

#include "util/error.h"

struct set_aside_indexes {
	char **name;    /* index names */
	char **sql;     /* their CREATE INDEX statements, as the schema holds them */
	int count;
};

/* Drops the explicit indexes of table, keeping their definitions. Returns 0 or
 * ERR_SYSTEM. */
int indexes_set_aside(sqlite3 *db, const char *table, struct set_aside_indexes *set,
		      struct error *err);
/* Creates the indexes again and forgets them. Returns 0 or ERR_SYSTEM. */
int indexes_restore(sqlite3 *db, struct set_aside_indexes *set, struct error *err);
void set_aside_indexes_free(struct set_aside_indexes *set);

#endif
