/* Unit tests of reading rows into UTF-8: Windows-1252 bytes into their characters
 * (Latin-1 letters, the euro sign and curly quotes of 0x80-0x9F, the five undefined
 * bytes), and the file's encoding settled by its first non-ASCII value. */
#include "check.h"

#include <stdlib.h>

#include "ingest/row_encoding.h"
#include "util/cp1252.h"

static void check_cp1252(const char *in, const char *want)
{
	struct buf out = BUF_INIT;
	cp1252_to_utf8(in, strlen(in), &out);
	CHECK_STR(buf_str(&out), want);
	buf_free(&out);
}

static void test_windows_1252_bytes_become_their_characters(void)
{
	check_cp1252("Caf\xe9 cr\xe8me", "Café crème");
	check_cp1252("12,50 \x80", "12,50 €");
	check_cp1252("\x93quoted\x94 \x96 \x85", "“quoted” – …");
	check_cp1252("\x8aKODA \x9c\xff", "ŠKODA œÿ");
	check_cp1252("\xa0\xa3", "\xc2\xa0£");
	check_cp1252("\x81", "\xef\xbf\xbd"); /* undefined: U+FFFD */
	CHECK(cp1252_valid("Caf\xe9 \x80", 6));
	CHECK(!cp1252_valid("a\x8d", 2));
	CHECK(!cp1252_valid("\x90", 1));
}

/* Reads a row of one to three values on line through e; returns them joined by '|'. */
static char *read_row(struct row_encoding *e, int64_t line, const char *a, const char *b,
		      const char *c)
{
	struct csv_field fields[3] = {{a, strlen(a)}, {b, strlen(b)}, {c, strlen(c)}};
	struct csv_row row = {fields, 3, line, ','}, copy;
	const struct csv_row *got = row_encoding_read(e, &row, &copy);
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < got->count; i++) {
		if (i)
			buf_putc(&out, '|');
		buf_append(&out, got->fields[i].data, got->fields[i].len);
	}
	return buf_detach(&out);
}

static void check_row(struct row_encoding *e, int64_t line, const char *a, const char *b,
		      const char *c, const char *want)
{
	char *got = read_row(e, line, a, b, c);
	CHECK_STR(got, want);
	free(got);
}

static void test_a_value_that_is_not_utf8_makes_the_file_windows_1252(void)
{
	struct row_encoding e;
	row_encoding_init(&e);
	check_row(&e, 2, "1", "TEA", "2.00", "1|TEA|2.00");
	CHECK_INT(e.encoding, ENCODING_UNKNOWN);
	check_row(&e, 3, "2", "CAF\xc9", "", "2|CAFÉ|");
	CHECK_INT(e.encoding, ENCODING_CP1252);
	CHECK_INT(e.decided_at, 3);
	check_row(&e, 4, "3", "", "\x80 4", "3||€ 4");
	row_encoding_free(&e);
}

static void test_a_utf8_value_makes_the_file_utf8_and_later_bytes_stay_as_read(void)
{
	struct row_encoding e;
	row_encoding_init(&e);
	check_row(&e, 2, "1", "CAFÉ", "3.50", "1|CAFÉ|3.50");
	CHECK_INT(e.encoding, ENCODING_UTF8);
	check_row(&e, 3, "2", "CR\xcaPE", "1", "2|CR\xcaPE|1"); /* ingest rejects it */
	row_encoding_free(&e);
}

static void test_bytes_that_are_neither_stay_utf8_for_ingest_to_reject(void)
{
	struct row_encoding e;
	row_encoding_init(&e);
	check_row(&e, 2, "1", "A\x81", "1", "1|A\x81|1");
	CHECK_INT(e.encoding, ENCODING_UTF8);
	row_encoding_free(&e);
}

int main(void)
{
	RUN(test_windows_1252_bytes_become_their_characters);
	RUN(test_a_value_that_is_not_utf8_makes_the_file_windows_1252);
	RUN(test_a_utf8_value_makes_the_file_utf8_and_later_bytes_stay_as_read);
	RUN(test_bytes_that_are_neither_stay_utf8_for_ingest_to_reject);
	return check_summary();
}
