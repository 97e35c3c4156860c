/* utf8: checking that text is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing past U+10FFFF). */
#ifndef CARTOGRAPH_UTF8_H
#define CARTOGRAPH_UTF8_H

#include <stddef.h>

/* Returns the offset of the first byte that is not part of valid UTF-8, or len when
 * all of s is valid. */
size_t utf8_invalid_at(const char *s, size_t len);

#endif
