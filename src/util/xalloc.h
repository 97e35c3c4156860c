/* xalloc: allocation that never returns NULL. Out of memory ends the program with a
 * message: no caller in Cartograph can recover from it, and checking everywhere hides
 * the real error paths. */
#ifndef CARTOGRAPH_XALLOC_H
#define CARTOGRAPH_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of count elements of size bytes each, checking for overflow. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
