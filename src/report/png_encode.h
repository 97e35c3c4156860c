/* png_encode: a chart's image as PNG bytes, written unfiltered, with a palette when it
 * has few colours (see png_encode.c). */
#ifndef CARTOGRAPH_PNG_ENCODE_H
#define CARTOGRAPH_PNG_ENCODE_H

#include <gd.h>

#include "util/buf.h"
#include "util/error.h"

/* Appends the PNG of an opaque truecolor image to out: 8-bit RGB, or 8-bit palette
 * when it holds at most 256 colours; alpha is dropped. The same pixels either way.
 * The bytes depend on the pixels only: no time or other chunk is written. Returns 0, or
 * ERR_SYSTEM with out as it was. */
int png_encode(gdImagePtr im, struct buf *out, struct error *err);

#endif
