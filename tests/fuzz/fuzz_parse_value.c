/* Fuzz target: the integer, decimal and date parsers on arbitrary bytes, checking that
 * what they accept is well-formed (valid calendar dates, canonical formatting). */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "util/parse_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t number;
	parse_int(s, size, &number);
	parse_decimal(s, size, 0, &number);
	parse_decimal(s, size, 1, &number);
	unsigned styles = date_styles_of(s, size);
	for (unsigned bit = 1; bit <= DATE_ALL_STYLES; bit <<= 1) {
		struct datetime dt;
		if (!(styles & bit))
			continue;
		int rc = parse_date(s, size, (enum date_style)bit, &dt);
		assert(rc == 0);
		assert(dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && dt.day <= 31);
		char text[20], again[20];
		datetime_format(&dt, text);
		struct datetime back;
		/* the canonical form reads back as the same moment */
		assert(parse_date(text, strlen(text), DATE_YMD, &back) == 0);
		datetime_format(&back, again);
		assert(strcmp(text, again) == 0);
	}
	return 0;
}
