/* Unit tests of src/util: the growable buffer, SHA-256, UTF-8 validation and excerpts. */
#include "check.h"

#include <stdlib.h>

#include "util/buf.h"
#include "util/excerpt.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void test_buf_grows_and_formats(void)
{
	struct buf b = BUF_INIT;
	CHECK_STR(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK_INT(b.len, 3890);
	CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	buf_reset(&b);
	buf_puts(&b, "x");
	CHECK_STR(b.data, "x");
	buf_free(&b);
}

static void test_buf_escapes_html_and_json(void)
{
	struct buf b = BUF_INIT;
	const char *evil = "<script>alert('x' & \"y\")</script>";
	buf_html_escape(&b, evil, strlen(evil));
	CHECK_STR(b.data, "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
	buf_reset(&b);
	buf_json_string(&b, "a\"b\\c\n\x01<", 8);
	CHECK_STR(b.data, "\"a\\\"b\\\\c\\n\\u0001\\u003c\"");
	buf_free(&b);
}

static void test_sha256_known_vectors(void)
{
	char hex[65];
	sha256_hex_of("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex_of("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex_of(two_blocks, strlen(two_blocks), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_streaming_matches_one_shot(void)
{
	char *data = malloc(100000);
	for (int i = 0; i < 100000; i++)
		data[i] = (char)(i * 7);
	char whole[65], pieces[65];
	sha256_hex_of(data, 100000, whole);
	struct sha256 h;
	uint8_t digest[32];
	sha256_init(&h);
	for (size_t off = 0, step = 1; off < 100000; off += step, step = step * 3 % 997 + 1)
		sha256_update(&h, data + off, off + step > 100000 ? 100000 - off : step);
	sha256_final(&h, digest);
	sha256_hex(digest, pieces);
	CHECK_STR(pieces, whole);
	free(data);
}

static void test_utf8_accepts_text_finds_bad_bytes_and_counts_characters(void)
{
	const char *good = "caf\xc3\xa9 \xe2\x82\xac 10 \xf0\x9f\x98\x80 plain ascii text";
	CHECK_INT(utf8_invalid_at(good, strlen(good)), strlen(good));
	CHECK_INT(utf8_invalid_at("ab\xff", 3), 2);
	CHECK_INT(utf8_invalid_at("\xc0\xaf", 2), 0);         /* overlong '/' */
	CHECK_INT(utf8_invalid_at("x\xed\xa0\x80", 4), 1);    /* surrogate */
	CHECK_INT(utf8_invalid_at("abcdefgh\xe2\x82", 10), 8); /* cut short */
	CHECK_INT(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* past U+10FFFF */
	CHECK_INT(utf8_invalid_at("long ascii run, then \xc3\xa9\xff", 24), 23);
	CHECK(utf8_is_ascii("plain ascii text, longer than a word", 36));
	CHECK(!utf8_is_ascii("plain ascii text, then caf\xc3\xa9", 28));
	CHECK(!utf8_is_ascii("\x80", 1));
	CHECK(utf8_is_ascii("", 0));
	CHECK_INT(utf8_length(good, strlen(good)), 28);
	CHECK_INT(utf8_length("", 0), 0);
}

/* The processor's SHA extensions, where there are any, give the portable code's digests
 * for every length around the block and padding edges and for long inputs. */
static void test_sha256_implementations_agree(void)
{
	static uint8_t data[5000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 131 + (i >> 7));
	const char *fast = sha256_set_portable(0);
	printf("    the fast implementation here: %s\n", fast);
	size_t lengths[] = {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097, 5000};
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		char portable[65], quick[65];
		sha256_set_portable(1);
		sha256_hex_of(data, lengths[i], portable);
		sha256_set_portable(0);
		sha256_hex_of(data, lengths[i], quick);
		CHECK_STR(quick, portable);
	}
	char hex[65];
	static char million[1000000];
	memset(million, 'a', sizeof million);
	sha256_hex_of(million, sizeof million, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The memory handed back is zero even where the allocator reuses a dirty block. */
static void test_xcalloc_written_zeroes_reused_memory(void)
{
	for (size_t n = 1; n <= 1u << 20; n *= 8) {
		unsigned char *dirty = xmalloc(n);
		memset(dirty, 0xA5, n);
		free(dirty);
		unsigned char *p = xcalloc_written(n, 1);
		size_t nonzero = 0;
		for (size_t i = 0; i < n; i++)
			nonzero += p[i] != 0;
		CHECK_INT(nonzero, 0);
		free(p);
	}
	int64_t *table = xcalloc_written(1000, sizeof *table);
	for (int i = 0; i < 1000; i++)
		CHECK_INT(table[i], 0);
	free(table);
}

/* The excerpt of text to max bytes, in out. */
static const char *excerpt_of(const char *text, size_t max, struct buf *out)
{
	buf_reset(out);
	excerpt_append(text, strlen(text), max, out);
	return buf_str(out);
}

static void test_excerpt_ends_at_a_word_with_an_ellipsis(void)
{
	struct buf out = BUF_INIT;
	CHECK_STR(excerpt_of("Short enough.", 20, &out), "Short enough.");
	CHECK_STR(excerpt_of("Short enough.", 13, &out), "Short enough.");
	/* cut inside "attempting": the text ends with the word before it */
	CHECK_STR(excerpt_of("I spent four hours attempting to pair it", 24, &out),
		  "I spent four hours\xe2\x80\xa6");
	/* the cut falls on the space after "well,": the word is whole, the comma goes */
	CHECK_STR(excerpt_of("It works well, mostly", 14, &out), "It works well\xe2\x80\xa6");
	/* a word longer than the room is cut between characters, never inside one */
	CHECK_STR(excerpt_of("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5, &out),
		  "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	buf_free(&out);
}

int main(void)
{
	RUN(test_buf_grows_and_formats);
	RUN(test_buf_escapes_html_and_json);
	RUN(test_sha256_known_vectors);
	RUN(test_sha256_streaming_matches_one_shot);
	RUN(test_sha256_implementations_agree);
	RUN(test_utf8_accepts_text_finds_bad_bytes_and_counts_characters);
	RUN(test_xcalloc_written_zeroes_reused_memory);
	RUN(test_excerpt_ends_at_a_word_with_an_ellipsis);
	return check_summary();
}
