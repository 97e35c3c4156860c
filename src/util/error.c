/* error: filling and prefixing the error buffer. */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

int error_set(struct error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void error_prefix(struct error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char prefix[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(prefix, sizeof prefix - 2, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t plen = strlen(prefix);
	memcpy(prefix + plen, ": ", 3);
	plen += 2;
	size_t old = strnlen(err->msg, sizeof err->msg - 1);
	if (plen + old >= sizeof err->msg)
		old = sizeof err->msg - 1 - plen; /* keep the start of the old message */
	memmove(err->msg + plen, err->msg, old);
	memcpy(err->msg, prefix, plen);
	err->msg[plen + old] = '\0';
}
