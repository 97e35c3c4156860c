/* sha256: the SHA-256 digest (FIPS 180-4), used for content hashes of ingested files,
 * fingerprinted asset names and the site manifest. Streaming: feed any number of
 * chunks, then finish. */
#ifndef CARTOGRAPH_SHA256_H
#define CARTOGRAPH_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t state[8];   /* running hash value */
	uint64_t bytes;      /* message length so far */
	uint8_t block[64];   /* pending partial block */
	size_t block_len;    /* bytes in block */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, uint8_t digest[32]);
/* Writes the 64 lowercase hex digits of digest and a NUL into hex. */
void sha256_hex(const uint8_t digest[32], char hex[65]);
/* Hashes one buffer and writes its hex digest. */
void sha256_hex_of(const void *data, size_t len, char hex[65]);

/* For tests and benchmarks: with portable, hashes without the processor's SHA
 * extensions; without, goes back to using them when there are any. Returns the
 * implementation now in use: "portable" or "sha-ni". */
const char *sha256_set_portable(int portable);

#endif
