/* content_type: extension to Content-Type, for the manifest and for publishing. */
#include "report/content_type.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

struct content_type {
	const char *extension; /* without the dot, lowercase */
	const char *type;      /* the Content-Type header value */
};

static const struct content_type content_types[] = {
	{"html", "text/html; charset=utf-8"},
	{"htm", "text/html; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"json", "application/json"},
	{"csv", "text/csv; charset=utf-8"},
	{"txt", "text/plain; charset=utf-8"},
	{"xml", "application/xml"},
	{"svg", "image/svg+xml"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"ico", "image/x-icon"},
	{"woff2", "font/woff2"},
	{"woff", "font/woff"},
	{"pdf", "application/pdf"},
};

const char *content_type_for_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (dot && dot != base) {
		for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
			if (strcasecmp(dot + 1, content_types[i].extension) == 0)
				return content_types[i].type;
	}
	return "application/octet-stream";
}
