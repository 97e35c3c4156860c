/* xalloc: allocation that never returns NULL. Out of memory ends the program with a
 * message: no caller in Cartograph can recover from it, and checking everywhere hides
 * the real error paths. */
#ifndef CARTOGRAPH_XALLOC_H
#define CARTOGRAPH_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* Like xcalloc, but the zeros are written at once. Fresh memory that is read before it
 * is written maps the kernel's shared zero page, so the first write faults again and,
 * while other threads run, flushes every core's TLB. For tables read at random before
 * they are written (hash slots, counters, coverage grids): one fault a page, not two. */
void *xcalloc_written(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of count elements of size bytes each, checking for overflow. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
