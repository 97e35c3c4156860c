/* row_queue: hands batches of checked rows from a thread that reads and checks them to
 * the thread that writes them into SQLite, so the two cores work at once (ingest and
 * clean both work this way).
 *
 * A fixed ring of batches bounds memory whatever the file size: the reader blocks
 * when every batch is full, the writer when every batch is empty. Either side can
 * stop the other: the reader by closing the queue (end of file or an error), the
 * writer by abandoning it (a database error, or the file was loaded before). */
#ifndef CARTOGRAPH_ROW_QUEUE_H
#define CARTOGRAPH_ROW_QUEUE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/parse_value.h"

#define ROW_QUEUE_MAX_BATCHES 16
#define ROW_BATCH_ROWS 4096
#define ROW_BATCH_BYTES (1u << 20) /* a batch is handed over once it holds this much */
#define STAGED_NULL UINT32_MAX     /* length of a value that is NULL */
#define STAGED_LOAD (-2)           /* reject_column of a row to load */
#define STAGED_MAX_VALUES 32       /* values a staged row can hold */

/* One value in a batch's bytes. */
struct staged_value {
	uint32_t offset;
	uint32_t length; /* STAGED_NULL for NULL */
};

/* A checked row: to load (values = the kind's fields then the extra JSON), or to
 * reject (values[0] = the shown value, values[1] = the reason). */
struct staged_row {
	int64_t line;
	int reject_column;                        /* STAGED_LOAD, -1 (whole row) or a column */
	struct staged_value values[STAGED_MAX_VALUES];
};

struct row_batch {
	struct staged_row rows[ROW_BATCH_ROWS];
	size_t count;
	struct buf bytes;                         /* the values, back to back */
	struct value_layout layout;               /* what the reader knew of the file's
						     values after the batch's last row */
};

struct row_queue {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct row_batch *batches[ROW_QUEUE_MAX_BATCHES];
	int depth;         /* batches in the ring */
	int head;          /* next batch the writer takes */
	int filled;        /* batches ready for the writer */
	int filling;       /* the reader holds a batch */
	int closed;        /* the reader is done */
	int abandoned;     /* the writer gave up */
};

/* A ring of depth batches (2 to ROW_QUEUE_MAX_BATCHES): more lets the reader run
 * further ahead while the writer pauses, for more memory. */
void row_queue_init(struct row_queue *q, int depth);
void row_queue_destroy(struct row_queue *q);

/* Reader side: the batch to fill (emptied), waiting for one if need be; NULL when the
 * writer abandoned the queue. */
struct row_batch *row_queue_fill_begin(struct row_queue *q);
/* Reader side: hands the batch being filled to the writer. */
void row_queue_fill_end(struct row_queue *q);
/* Reader side: no more batches (hands over a partly filled one first). */
void row_queue_close(struct row_queue *q);

/* Writer side: the next full batch, waiting for one; NULL at the end. */
struct row_batch *row_queue_take(struct row_queue *q);
/* Writer side: gives the batch taken back for refilling. */
void row_queue_release(struct row_queue *q);
/* Writer side: stop; the reader's next fill_begin returns NULL. */
void row_queue_abandon(struct row_queue *q);

/* Adds a value to a batch: bytes (len), or NULL when data is NULL. */
struct staged_value row_batch_add(struct row_batch *b, const void *data, size_t len);
/* The first count values of a row of b: text[i] points into b (NULL for a NULL value),
 * length[i] is its length (0 for NULL). */
void row_batch_texts(const struct row_batch *b, const struct staged_row *row, int count,
		     const char **text, size_t *length);

#endif
