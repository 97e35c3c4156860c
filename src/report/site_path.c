/* site_path: validation of the relative paths of site files. */
#include "report/site_path.h"

#include <string.h>

#include "util/utf8.h"

/* Checks one segment (the bytes between slashes); returns the reason it is not
 * allowed, or NULL. */
static const char *segment_problem(const char *seg, size_t len)
{
	if (len == 0)
		return "it has an empty segment";
	if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
		return "it has a '.' or '..' segment";
	if (len > SITE_SEGMENT_MAX)
		return "a segment is longer than 200 bytes";
	size_t reserved = strlen(SITE_RESERVED_PREFIX);
	if (len >= reserved && memcmp(seg, SITE_RESERVED_PREFIX, reserved) == 0)
		return "names starting with '" SITE_RESERVED_PREFIX "' are reserved";
	return NULL;
}

/* Copies path into shown for a message: control bytes become '?', long paths end
 * in "...". */
static void show_path(const char *path, size_t len, char *shown, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 4 < size; i++) {
		unsigned char c = (unsigned char)path[i];
		shown[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < len) {
		memcpy(shown + n, "...", 3);
		n += 3;
	}
	shown[n] = '\0';
}

int site_path_check(const char *path, size_t len, struct error *err)
{
	const char *problem = NULL;
	if (len == 0)
		problem = "it is empty";
	else if (len > SITE_PATH_MAX)
		problem = "it is longer than 900 bytes";
	else if (path[0] == '/')
		problem = "it is absolute";
	else if (utf8_invalid_at(path, len) != len)
		problem = "it is not valid UTF-8";
	for (size_t i = 0; !problem && i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '\0')
			problem = "it holds a NUL byte";
		else if (c < 0x20 || c == 0x7f)
			problem = "it holds a control character";
		else if (c == '\\')
			problem = "it holds a backslash";
	}
	for (size_t start = 0; !problem && start <= len;) {
		const char *slash = memchr(path + start, '/', len - start);
		size_t end = slash ? (size_t)(slash - path) : len;
		problem = segment_problem(path + start, end - start);
		start = end + 1;
	}
	if (!problem)
		return 0;
	char shown[128];
	show_path(path, len, shown, sizeof shown);
	return error_set(err, ERR_INPUT, "'%s' is not a valid site path: %s", shown, problem);
}
