/* Fuzz target: a template and JSON data from arbitrary bytes (split at the first NUL),
 * compiled and rendered; partials resolve to the template itself (recursion limits). */
#include <stdint.h>
#include <string.h>

#include "report/json_parse.h"
#include "report/mustache.h"
#include "report/value.h"
#include "util/buf.h"

struct source {
	const char *text;
	size_t len;
};

static int load_self(void *ctx, const char *name, struct buf *text, struct buf *label,
		     struct error *err)
{
	const struct source *src = ctx;
	(void)err;
	buf_append(text, src->text, src->len);
	buf_puts(label, name);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	const char *nul = memchr(bytes, '\0', size);
	size_t tlen = nul ? (size_t)(nul - bytes) : size;
	struct source src = {bytes, tlen};
	struct mustache_loader loader = {load_self, &src};
	struct value *context = NULL;
	struct mustache *tmpl = NULL;
	struct error err;
	if (nul)
		json_parse("fuzz.json", nul + 1, size - tlen - 1, &context, &err);
	if (mustache_compile("fuzz", bytes, tlen, &loader, &tmpl, &err) == 0) {
		struct buf out = BUF_INIT;
		mustache_render(tmpl, context, &out, &err);
		buf_free(&out);
		mustache_free(tmpl);
	}
	if (context)
		value_free(context);
	return 0;
}
