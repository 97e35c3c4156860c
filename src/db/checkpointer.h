/* checkpointer: the warehouse's checkpoints on a thread of their own.
 *
 * In WAL mode a commit that leaves the log over 1,000 pages copies the log into the
 * database there and then, syncing both files, before the commit returns. When one
 * process runs stage after stage (`cartograph run`), the commits of ingest and clean
 * each waited that way for 60 to 100 MB to be copied and reach the disk, with nothing
 * else to do meanwhile. While the checkpointer runs, the commits of every warehouse
 * connection opened in this process (db_open_warehouse) only wake it; it copies the
 * log with a connection of its own while the next stage goes on. Those checkpoints are
 * SQLite's passive ones: they never block a reader or a writer, and a crash loses
 * nothing (the log holds every commit until it is copied). */
#ifndef CARTOGRAPH_CHECKPOINTER_H
#define CARTOGRAPH_CHECKPOINTER_H

#include <sqlite3.h>

/* Starts the thread. Returns 0, or -1 when it could not be started: commits then
 * checkpoint as before. */
int checkpointer_start(void);

/* Stops the thread after the checkpoint it is doing, if any, and closes its
 * connection. Nothing when it is not running. */
void checkpointer_stop(void);

/* Asks the thread to copy all of the log and truncate it, as PRAGMA
 * wal_checkpoint(TRUNCATE) does: freeing a log of 100 MB takes the system a tenth of a
 * second, which the caller can spend on something else. The thread first waits (up to
 * 10 s) for readers that still see the log to finish, and new writers wait for it
 * meanwhile. Nothing when the thread is not running or has no warehouse yet. A truncation starts the log afresh, which the other
 * connections' PRAGMA data_version counts as a change: a caller that watches for other
 * programs' commits while it asks watches through checkpointer_watch instead. */
void checkpointer_truncate(void);

/* Waits until the thread has done what it was asked (at once when it is not
 * running). */
void checkpointer_wait(void);

/* Begins watching the warehouse for commits of other connections, the thread's own
 * truncations aside: those bump every other connection's PRAGMA data_version, never
 * its own. Waits for the thread to be idle. Returns 0, or -1 when the thread is not
 * running or has no warehouse yet. */
int checkpointer_watch(void);

/* 1 when a connection other than the thread's committed to the warehouse since
 * checkpointer_watch (or no watch is on), 0 when none did. Waits for the thread to be
 * idle. */
int checkpointer_others_wrote(void);

/* Called for each warehouse connection opened: while the thread runs, the connection's
 * commits wake it instead of checkpointing themselves. The first connection attached
 * names the warehouse: the thread opens its own connection to that file then, so
 * there is always one open while stages open and close theirs (the last connection
 * to close would copy the whole log itself). */
void checkpointer_attach(sqlite3 *db);

#endif
