/* chart_text: text on chart images through FreeType, each glyph rendered once and then
 * copied from a cache (see chart_text.c). Safe to call from several threads. */
#ifndef CARTOGRAPH_CHART_TEXT_H
#define CARTOGRAPH_CHART_TEXT_H

#include <gd.h>

#include "report/chart_internal.h"
#include "util/error.h"

/* The advance width in pixels of s (UTF-8; invalid bytes count as '?') in the TrueType
 * file font at px pixels; 0 for a size outside 1 to 1000 pixels, which is not drawn.
 * Returns 0, or ERR_SYSTEM naming the font when it cannot be opened or drawn. */
int chart_text_width(const char *font, double px, const char *s, double *width,
		     struct error *err);

/* Draws s with its baseline starting at device pixel (x, y), turned angle radians
 * counter-clockwise, in colour c (its opacity honoured) onto a truecolor image. Each
 * glyph lands on a whole pixel. Returns 0 or ERR_SYSTEM as chart_text_width. */
int chart_text_draw(gdImagePtr im, const char *font, double px, double angle, double x,
		    double y, const char *s, struct rgba c, struct error *err);

/* Closes the fonts and frees the glyphs; the next call opens them again. */
void chart_text_release(void);

#endif
