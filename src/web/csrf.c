/* csrf: random tokens from getrandom(2) and their constant-time comparison. */
#include "web/csrf.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

int token_new(char out[TOKEN_SIZE], struct error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char bits[16];
	size_t got = 0;
	while (got < sizeof bits) {
		ssize_t n = getrandom(bits + got, sizeof bits - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_set(err, ERR_SYSTEM, "getrandom: %s", strerror(errno));
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof bits; i++) {
		out[2 * i] = hex[bits[i] >> 4];
		out[2 * i + 1] = hex[bits[i] & 15];
	}
	out[TOKEN_SIZE - 1] = '\0';
	return 0;
}

int token_matches(const char *expected, const char *given, size_t len)
{
	size_t want = strlen(expected);
	if (!given || len != want || want == 0)
		return 0;
	unsigned char diff = 0;
	for (size_t i = 0; i < want; i++)
		diff |= (unsigned char)(expected[i] ^ given[i]);
	return diff == 0;
}
