/* Fuzz target: the JSON reader on arbitrary bytes; what it accepts must print back as
 * JSON that it reads again to the same text. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "report/json_parse.h"
#include "report/value.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct value *v = NULL, *again = NULL;
	struct error err;
	if (json_parse("fuzz.json", (const char *)data, size, &v, &err) != 0)
		return 0;
	struct buf first = BUF_INIT, second = BUF_INIT;
	value_to_json(v, &first);
	assert(json_parse("again.json", first.data, first.len, &again, &err) == 0);
	value_to_json(again, &second);
	assert(first.len == second.len && memcmp(first.data, second.data, first.len) == 0);
	buf_free(&first);
	buf_free(&second);
	value_free(v);
	value_free(again);
	return 0;
}
