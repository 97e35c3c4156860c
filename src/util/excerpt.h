/* excerpt: a long text shortened for a list, at a word's end, with an ellipsis. */
#ifndef CARTOGRAPH_EXCERPT_H
#define CARTOGRAPH_EXCERPT_H

#include <stddef.h>

#include "util/buf.h"

/* Appends to out the len bytes of text (UTF-8) when they are at most max bytes;
 * otherwise the longest start of at most max bytes that ends at a word's end, without
 * the punctuation or spaces before the cut, then "…". A first word longer than max is
 * cut at a character's end. */
void excerpt_append(const char *text, size_t len, size_t max, struct buf *out);

#endif
