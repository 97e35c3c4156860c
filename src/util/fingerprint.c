/* fingerprint: feeding numbers, texts, file identities and the running program into a
 * SHA-256. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "util/fingerprint.h"

#include <link.h>
#include <string.h>
#include <sys/stat.h>

#define ABSENT UINT64_MAX /* fed for a missing text or an unreadable file */

void fingerprint_u64(struct sha256 *h, uint64_t v)
{
	uint8_t bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (uint8_t)(v >> (8 * i));
	sha256_update(h, bytes, sizeof bytes);
}

void fingerprint_text(struct sha256 *h, const char *s)
{
	if (!s) {
		fingerprint_u64(h, ABSENT);
		return;
	}
	size_t n = strlen(s);
	fingerprint_u64(h, n);
	sha256_update(h, s, n);
}

void fingerprint_stat(struct sha256 *h, const struct stat *st)
{
	fingerprint_u64(h, (uint64_t)st->st_dev);
	fingerprint_u64(h, (uint64_t)st->st_ino);
	fingerprint_u64(h, (uint64_t)st->st_size);
	fingerprint_u64(h, (uint64_t)st->st_mtim.tv_sec);
	fingerprint_u64(h, (uint64_t)st->st_mtim.tv_nsec);
}

int fingerprint_file(struct sha256 *h, const char *path)
{
	struct stat st;
	fingerprint_text(h, path);
	if (stat(path, &st) != 0) {
		fingerprint_u64(h, ABSENT);
		return 0;
	}
	fingerprint_stat(h, &st);
	return 1;
}

struct program_walk {
	struct sha256 *hash; /* fingerprint being fed */
	int ok;              /* the program itself was identified */
};

/* dl_iterate_phdr callback: feeds each loaded object. The main program has an empty
 * name; objects without a path (the vDSO) are left out. */
static int feed_loaded_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct program_walk *walk = data;
	(void)size;
	const char *name = info->dlpi_name;
	if (!name || !*name)
		walk->ok = fingerprint_file(walk->hash, "/proc/self/exe");
	else if (name[0] == '/')
		fingerprint_file(walk->hash, name);
	return 0;
}

int fingerprint_program(struct sha256 *h)
{
	struct program_walk walk = {h, 0};
	dl_iterate_phdr(feed_loaded_object, &walk);
	return walk.ok;
}
