/* Unit tests of the streaming CSV reader: delimiters, BOM, line ends, quoted newlines
 * and the line numbers rows report, gzip input, and the errors for broken files. */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/csv_reader.h"
#include "util/buf.h"

/* What a read saw: each row as "line:field|field|..." on its own line. */
struct seen {
	struct buf rows;
};

static int collect(void *ctx, const struct csv_row *row, struct error *err)
{
	struct seen *s = ctx;
	(void)err;
	buf_printf(&s->rows, "%lld:", (long long)row->line);
	for (size_t i = 0; i < row->count; i++) {
		if (i)
			buf_putc(&s->rows, '|');
		buf_append(&s->rows, row->fields[i].data, row->fields[i].len);
	}
	buf_putc(&s->rows, '\n');
	return 0;
}

static char path[64];

static void write_file(const char *data, size_t len)
{
	strcpy(path, "/tmp/cartograph-csv-XXXXXX");
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

/* Reads data as a file; returns the reader's code, rows in seen, message in err. */
static int read_text(const char *data, size_t len, struct seen *seen, struct error *err,
		     char *delimiter)
{
	struct csv_read_options opt = {0, 0, NULL};
	struct csv_read_result result;
	write_file(data, len);
	seen->rows = (struct buf)BUF_INIT;
	int rc = csv_read_file(path, &opt, collect, seen, &result, err);
	if (delimiter)
		*delimiter = result.delimiter;
	unlink(path);
	return rc;
}

static void test_reads_quoted_fields_with_commas_quotes_and_newlines(void)
{
	const char *text = "id,name,qty\n1,\"Bush, Somerset \"\"Deluxe\"\"\",2\n"
			   "2,\"two\nlines\",3\n3,plain,4\n";
	struct seen s;
	struct error err;
	CHECK_INT(read_text(text, strlen(text), &s, &err, NULL), 0);
	CHECK_STR(buf_str(&s.rows), "1:id|name|qty\n2:1|Bush, Somerset \"Deluxe\"|2\n"
				    "3:2|two\nlines|3\n5:3|plain|4\n");
	buf_free(&s.rows);
}

static void test_sniffs_or_reads_the_delimiter_and_skips_bom_and_crlf(void)
{
	const char *tsv = "\xef\xbb\xbfrating\tdate\tbody\r\n5\t31-Jul-18\t\"Love, it\"\r\n";
	struct seen s;
	struct error err;
	char delim;
	CHECK_INT(read_text(tsv, strlen(tsv), &s, &err, &delim), 0);
	CHECK_INT(delim, '\t');
	CHECK_STR(buf_str(&s.rows), "1:rating|date|body\n2:5|31-Jul-18|Love, it\n");
	buf_free(&s.rows);
	const char *semi = "a;b;\"c;d\"\n1;2;3\n";
	CHECK_INT(read_text(semi, strlen(semi), &s, &err, &delim), 0);
	CHECK_INT(delim, ';');
	buf_free(&s.rows);
	/* Excel's "sep=" line: the delimiter it names (not the commas the header has) */
	const char *declared = "sep=;\r\nname, full;qty\r\nA, B;2\r\n";
	CHECK_INT(read_text(declared, strlen(declared), &s, &err, &delim), 0);
	CHECK_INT(delim, ';');
	CHECK_STR(buf_str(&s.rows), "2:name, full|qty\n3:A, B|2\n");
	buf_free(&s.rows);
	CHECK_INT(csv_sniff_delimiter("a|b|c,d\n", 8), '|');
	CHECK_INT(csv_sniff_delimiter("single\n", 7), ',');
}

static void test_keeps_a_cut_off_last_line_as_a_short_row(void)
{
	const char *text = "a,b,c\n1,2,3\n4,5";
	struct seen s;
	struct error err;
	CHECK_INT(read_text(text, strlen(text), &s, &err, NULL), 0);
	CHECK_STR(buf_str(&s.rows), "1:a|b|c\n2:1|2|3\n3:4|5\n");
	buf_free(&s.rows);
}

static void test_blank_lines_do_not_shift_line_numbers(void)
{
	const char *text = "a,b\n\n1,2\n\n\n3,4\n";
	struct seen s;
	struct error err;
	CHECK_INT(read_text(text, strlen(text), &s, &err, NULL), 0);
	CHECK_STR(buf_str(&s.rows), "1:a|b\n3:1|2\n6:3|4\n");
	buf_free(&s.rows);
}

static void test_unterminated_quote_names_the_line_it_starts_on(void)
{
	const char *text = "a,b\n1,2\n3,\"never closed\n4,5\n";
	struct seen s;
	struct error err;
	CHECK_INT(read_text(text, strlen(text), &s, &err, NULL), ERR_INPUT);
	CHECK(strstr(err.msg, ":3: a quoted field is never closed") != NULL);
	buf_free(&s.rows);
}

static void test_empty_binary_and_utf16_files_are_refused(void)
{
	struct seen s;
	struct error err;
	CHECK_INT(read_text("", 0, &s, &err, NULL), ERR_INPUT);
	CHECK(strstr(err.msg, "the file is empty") != NULL);
	buf_free(&s.rows);
	CHECK_INT(read_text("\r\n  \n", 5, &s, &err, NULL), ERR_INPUT);
	buf_free(&s.rows);
	const char garbage[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	CHECK_INT(read_text(garbage, sizeof garbage - 1, &s, &err, NULL), ERR_INPUT);
	CHECK(strstr(err.msg, "binary data") != NULL);
	buf_free(&s.rows);
	const char utf16[] = "\xff\xfeo\0r\0d\0e\0r\0";
	CHECK_INT(read_text(utf16, sizeof utf16 - 1, &s, &err, NULL), ERR_INPUT);
	CHECK(strstr(err.msg, "the file is UTF-16 text") != NULL);
	buf_free(&s.rows);
}

static void test_missing_file_names_the_path(void)
{
	struct csv_read_options opt = {0, 0, NULL};
	struct csv_read_result result;
	struct seen s = {BUF_INIT};
	struct error err;
	CHECK_INT(csv_read_file("/nonexistent/orders.csv", &opt, collect, &s, &result, &err),
		  ERR_INPUT);
	CHECK(strstr(err.msg, "/nonexistent/orders.csv: No such file") != NULL);
}

static void test_reads_gzip_files(void)
{
	char gz[] = "/tmp/cartograph-gz-XXXXXX";
	int fd = mkstemp(gz);
	gzFile out = gzdopen(fd, "wb");
	for (int i = 0; i < 10000; i++)
		gzprintf(out, i ? "%d,row %d\n" : "id,name\n", i, i);
	gzclose(out);
	struct csv_read_options opt = {0, 0, NULL};
	struct csv_read_result result;
	struct seen s = {BUF_INIT};
	struct error err;
	CHECK_INT(csv_read_file(gz, &opt, collect, &s, &result, &err), 0);
	CHECK_INT(result.rows, 10000);
	CHECK(strstr(buf_str(&s.rows), "\n10000:9999|row 9999\n") != NULL);
	unlink(gz);
	buf_free(&s.rows);
}

static void test_runaway_field_stops_with_an_error_not_unbounded_memory(void)
{
	size_t big = 3 * 1024 * 1024;
	char *text = malloc(big + 16);
	memcpy(text, "a\n\"", 3);
	memset(text + 3, 'x', big);
	struct csv_read_options opt = {0, 1024 * 1024, NULL};
	struct csv_read_result result;
	struct seen s = {BUF_INIT};
	struct error err;
	write_file(text, big + 3);
	CHECK_INT(csv_read_file(path, &opt, collect, &s, &result, &err), ERR_INPUT);
	CHECK(strstr(err.msg, "never closed?") != NULL);
	unlink(path);
	free(text);
	buf_free(&s.rows);
}

int main(void)
{
	RUN(test_reads_quoted_fields_with_commas_quotes_and_newlines);
	RUN(test_sniffs_or_reads_the_delimiter_and_skips_bom_and_crlf);
	RUN(test_keeps_a_cut_off_last_line_as_a_short_row);
	RUN(test_blank_lines_do_not_shift_line_numbers);
	RUN(test_unterminated_quote_names_the_line_it_starts_on);
	RUN(test_empty_binary_and_utf16_files_are_refused);
	RUN(test_missing_file_names_the_path);
	RUN(test_reads_gzip_files);
	RUN(test_runaway_field_stops_with_an_error_not_unbounded_memory);
	return check_summary();
}
