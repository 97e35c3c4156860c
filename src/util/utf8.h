/* utf8: checking that text is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing past U+10FFFF), and writing a code point as UTF-8. */
#ifndef CARTOGRAPH_UTF8_H
#define CARTOGRAPH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns the offset of the first byte that is not part of valid UTF-8, or len when
 * all of s is valid. */
size_t utf8_invalid_at(const char *s, size_t len);

/* True when every byte of s is ASCII. */
int utf8_is_ascii(const char *s, size_t len);

/* The characters of UTF-8 text s: its bytes that do not continue a character. */
size_t utf8_length(const char *s, size_t len);

/* Writes code point cp (at most U+10FFFF) as UTF-8 into out; returns the bytes written,
 * 1 to 4. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
