/* temp_warehouse: a fresh warehouse in /tmp for a unit test, migrated to the latest
 * schema, and its removal (database, WAL and shared-memory files). */
#ifndef CARTOGRAPH_TEMP_WAREHOUSE_H
#define CARTOGRAPH_TEMP_WAREHOUSE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

/* Opens a new warehouse; path (64 bytes) receives its name. NULL on failure. */
static inline sqlite3 *temp_warehouse_open(char path[64])
{
	strcpy(path, "/tmp/cartograph-test-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	close(fd);
	unlink(path);
	sqlite3 *db = NULL;
	struct error err;
	if (db_open_warehouse(path, &db, &err) < 0) {
		fprintf(stderr, "temp warehouse: %s\n", err.msg);
		return NULL;
	}
	return db;
}

static inline void temp_warehouse_remove(sqlite3 *db, const char *path)
{
	char side[80];
	sqlite3_close(db);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

#endif
