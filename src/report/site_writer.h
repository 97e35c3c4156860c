/* site_writer: the site's new files written on a second thread (see site_writer.c). */
#ifndef CARTOGRAPH_SITE_WRITER_H
#define CARTOGRAPH_SITE_WRITER_H

#include <stddef.h>

#include "util/error.h"

struct site_writer;

/* Starts the writer. When no thread can be started, files are written at once. */
struct site_writer *site_writer_start(void);
/* Queues bytes (copied) to be written to path, a new temporary file. Waits while the
 * queue holds more than its bound. Returns 0, or the first write error met so far
 * (that file and every later one are not written). */
int site_writer_add(struct site_writer *w, const char *path, const void *bytes, size_t len,
		    struct error *err);
/* Waits until every queued file is written and stops the thread. Returns 0 or the first
 * write error. NULL is allowed and does nothing. */
int site_writer_finish(struct site_writer *w, struct error *err);
/* Finishes (errors dropped) and frees. NULL is allowed. */
void site_writer_free(struct site_writer *w);

#endif
