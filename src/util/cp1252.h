/* cp1252: Windows-1252, the code page Excel on Western European Windows saves "CSV"
 * files in, read into UTF-8. Bytes 0x00-0x7F are ASCII, 0xA0-0xFF are U+00A0-U+00FF as
 * in ISO 8859-1, and 0x80-0x9F are typographic marks and letters (the euro sign, curly
 * quotes, dashes, Š, Œ, ...), five of them no character at all. */
#ifndef CARTOGRAPH_CP1252_H
#define CARTOGRAPH_CP1252_H

#include <stddef.h>

#include "util/buf.h"

/* True when every byte of s is a Windows-1252 character. */
int cp1252_valid(const char *s, size_t len);

/* Appends s, read as Windows-1252, to out as UTF-8; a byte that is no character of it
 * becomes U+FFFD. */
void cp1252_to_utf8(const char *s, size_t len, struct buf *out);

#endif
