/* cp1252: Windows-1252 into UTF-8 (see cp1252.h). The table of 0x80-0x9F is the code
 * page's own, as Microsoft and the Unicode Consortium's mapping file publish it. */
#include "util/cp1252.h"

#include <stdint.h>

#include "util/utf8.h"

#define UNDEFINED 0xFFFD /* a byte the code page leaves undefined: U+FFFD in UTF-8 */

static const uint16_t from_0x80[32] = {
	0x20AC, UNDEFINED, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030,    0x0160, 0x2039, 0x0152, UNDEFINED, 0x017D, UNDEFINED,
	UNDEFINED, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122,    0x0161, 0x203A, 0x0153, UNDEFINED, 0x017E, 0x0178,
};

/* The code point of byte c, or UNDEFINED. */
static uint32_t code_point_of(unsigned char c)
{
	return c >= 0x80 && c < 0xA0 ? from_0x80[c - 0x80] : c;
}

int cp1252_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (code_point_of((unsigned char)s[i]) == UNDEFINED)
			return 0;
	return 1;
}

void cp1252_to_utf8(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len; i++) {
		char bytes[4];
		buf_append(out, bytes, utf8_encode(code_point_of((unsigned char)s[i]), bytes));
	}
}
