/* csv_reader: the streaming CSV reader. Bytes come from zlib's gzread (which passes
 * plain files through untouched), go to libcsv one physical line at a time (so each
 * row's starting line is known), and complete rows go to the caller's callback. */
#include "ingest/csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "util/xalloc.h"

#define CHUNK_BYTES (256 * 1024)
#define DEFAULT_MAX_FIELD (16u * 1024 * 1024)
#define LIBCSV_ROW_NOT_BEGUN 0 /* struct csv_parser.pstate between rows */
#define LIBCSV_FIELD_BEGUN 2   /* ... inside a field */

/* The reader's state while one file is read. */
struct reader {
	const char *path;
	csv_row_fn on_row;
	void *ctx;
	struct error *err;
	int stop;                 /* the callback's negative code, once it returned one */
	char *row_bytes;          /* the current row's fields, back to back */
	size_t row_len, row_cap;
	size_t *field_offsets;    /* start of each field in row_bytes; count+1 entries */
	size_t field_count, field_cap;
	struct csv_field *fields; /* views handed to the callback */
	int64_t line;             /* physical line now being fed to libcsv */
	int64_t row_start_line;   /* line on which the current row began */
	int64_t rows;
	char delimiter;           /* the delimiter in use */
};

static void add_field(void *data, size_t len, void *vr)
{
	struct reader *r = vr;
	if (r->stop)
		return;
	if (r->field_count + 2 > r->field_cap) {
		r->field_cap = r->field_cap ? r->field_cap * 2 : 64;
		r->field_offsets = xreallocarray(r->field_offsets, r->field_cap, sizeof(size_t));
		r->fields = xreallocarray(r->fields, r->field_cap, sizeof *r->fields);
	}
	if (r->row_len + len + 1 > r->row_cap) {
		while (r->row_len + len + 1 > r->row_cap)
			r->row_cap = r->row_cap ? r->row_cap * 2 : 4096;
		r->row_bytes = xrealloc(r->row_bytes, r->row_cap);
	}
	r->field_offsets[r->field_count++] = r->row_len;
	if (len)
		memcpy(r->row_bytes + r->row_len, data, len);
	r->row_len += len;
}

static void end_row(int terminator, void *vr)
{
	struct reader *r = vr;
	(void)terminator;
	if (r->stop) {
		r->field_count = r->row_len = 0;
		return;
	}
	if (!r->field_count)
		return; /* libcsv reports no field only for a row it skipped */
	r->field_offsets[r->field_count] = r->row_len;
	for (size_t i = 0; i < r->field_count; i++) {
		r->fields[i].data = r->row_bytes ? r->row_bytes + r->field_offsets[i] : "";
		r->fields[i].len = r->field_offsets[i + 1] - r->field_offsets[i];
	}
	struct csv_row row = {r->fields, r->field_count, r->row_start_line, r->delimiter};
	r->rows++;
	int rc = r->on_row(r->ctx, &row, r->err);
	if (rc < 0)
		r->stop = rc;
	r->field_count = r->row_len = 0;
}

/* Only the blank counts as space to trim around unquoted fields: a tab may be the
 * delimiter, and trailing tabs are data. */
static int is_space(unsigned char c)
{
	return c == ' ';
}

char csv_sniff_delimiter(const char *text, size_t len)
{
	static const char candidates[] = {',', ';', '\t', '|'};
	size_t counts[4] = {0, 0, 0, 0};
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			for (int k = 0; k < 4; k++)
				counts[k] += c == candidates[k];
	}
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (counts[k] > counts[best])
			best = k;
	return candidates[best];
}

/* Feeds one chunk to libcsv a physical line at a time. Returns 0 or a negative code. */
static int feed_chunk(struct reader *r, struct csv_parser *p, const char *data, size_t len,
		      size_t max_field)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t piece = nl ? (size_t)(nl - data) + 1 : len;
		if (p->pstate == LIBCSV_ROW_NOT_BEGUN)
			r->row_start_line = r->line;
		if (csv_parse(p, data, piece, add_field, end_row, r) != piece)
			return error_set(r->err, ERR_SYSTEM, "%s:%lld: %s", r->path,
					 (long long)r->line, csv_strerror(csv_error(p)));
		if (r->stop)
			return r->stop;
		if (p->entry_pos > max_field)
			return error_set(r->err, ERR_INPUT,
					 "%s:%lld: a field is over %zu bytes by line %lld "
					 "(a quoted field that is never closed?)",
					 r->path, (long long)r->row_start_line, max_field,
					 (long long)r->line);
		if (nl)
			r->line++;
		data += piece;
		len -= piece;
	}
	return 0;
}

/* The delimiter a first line "sep=;" declares (Excel writes one when asked to), and
 * in *line_len the bytes of that line; 0 when the text starts with no such line. */
static char declared_delimiter(const char *data, size_t len, size_t *line_len)
{
	size_t end = 5; /* past "sep=" and the delimiter */
	if (len < end || memcmp(data, "sep=", 4) != 0)
		return 0;
	if (end < len && data[end] == '\r')
		end++;
	if (end >= len || data[end] != '\n')
		return 0;
	*line_len = end + 1;
	return data[4];
}

/* Checks the start of the file: not empty, not binary. Returns 0 or ERR_INPUT. */
static int check_first_chunk(const char *path, const char *data, size_t len,
			     struct error *err)
{
	size_t blank = 0;
	while (blank < len && (data[blank] == ' ' || data[blank] == '\r' ||
			       data[blank] == '\n' || data[blank] == '\t'))
		blank++;
	if (blank == len)
		return error_set(err, ERR_INPUT, "%s: the file is empty", path);
	if (len >= 2 && ((data[0] == '\xff' && data[1] == '\xfe') ||
			 (data[0] == '\xfe' && data[1] == '\xff')))
		return error_set(err, ERR_INPUT,
				 "%s: the file is UTF-16 text (Excel's \"Unicode Text\"): save it "
				 "as \"CSV UTF-8\" and load that", path);
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		int64_t line = 1;
		for (const char *c = data; c < nul; c++)
			line += *c == '\n';
		return error_set(err, ERR_INPUT,
				 "%s:%lld: binary data (a NUL byte at offset %zu): not a CSV "
				 "text file",
				 path, (long long)line, (size_t)(nul - data));
	}
	return 0;
}

static int open_input(const char *path, gzFile *in, uint64_t *size, struct error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return error_set(err, ERR_INPUT, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return error_set(err, ERR_INPUT, "%s: is a directory", path);
	*size = (uint64_t)st.st_size;
	errno = 0;
	*in = gzopen(path, "rb");
	if (!*in)
		return error_set(err, ERR_INPUT, "%s: %s", path,
				 errno ? strerror(errno) : "cannot open");
	gzbuffer(*in, CHUNK_BYTES);
	return 0;
}

int csv_read_file(const char *path, const struct csv_read_options *opt, csv_row_fn on_row,
		  void *ctx, struct csv_read_result *result, struct error *err)
{
	struct reader r = {.path = path, .on_row = on_row, .ctx = ctx, .err = err,
			   .line = 1, .row_start_line = 1};
	struct csv_parser parser;
	size_t max_field = opt->max_field_bytes ? opt->max_field_bytes : DEFAULT_MAX_FIELD;
	char *chunk = xmalloc(CHUNK_BYTES);
	gzFile in = NULL;
	int rc, first = 1, parser_ready = 0;

	memset(result, 0, sizeof *result);
	if ((rc = open_input(path, &in, &result->bytes, err)) < 0)
		goto done;
	if (csv_init(&parser, 0) != 0) {
		rc = error_set(err, ERR_SYSTEM, "%s: cannot start the CSV parser", path);
		goto done;
	}
	parser_ready = 1;
	csv_set_space_func(&parser, is_space);
	for (;;) {
		int n = gzread(in, chunk, CHUNK_BYTES);
		if (n < 0) {
			int zerr;
			const char *msg = gzerror(in, &zerr);
			rc = error_set(err, ERR_INPUT, "%s:%lld: cannot read: %s", path,
				       (long long)r.line,
				       zerr == Z_ERRNO ? strerror(errno) : msg);
			goto done;
		}
		if (n == 0 && first) {
			rc = error_set(err, ERR_INPUT, "%s: the file is empty", path);
			goto done;
		}
		if (n == 0)
			break;
		const char *data = chunk;
		size_t len = (size_t)n;
		if (first) {
			if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
				data += 3, len -= 3;
			size_t sep_line = 0;
			char declared = declared_delimiter(data, len, &sep_line);
			if (declared) {
				data += sep_line, len -= sep_line;
				r.line = r.row_start_line = 2;
			}
			if ((rc = check_first_chunk(path, data, len, err)) < 0)
				goto done;
			result->delimiter = opt->delimiter ? opt->delimiter
					    : declared     ? declared
							   : csv_sniff_delimiter(data, len);
			csv_set_delim(&parser, (unsigned char)result->delimiter);
			r.delimiter = result->delimiter;
			first = 0;
		}
		if ((rc = feed_chunk(&r, &parser, data, len, max_field)) < 0)
			goto done;
		if (opt->progress)
			opt->progress(ctx, (uint64_t)gzoffset(in));
	}
	if ((parser.pstate == LIBCSV_FIELD_BEGUN && parser.quoted) ||
	    csv_fini(&parser, add_field, end_row, &r) != 0) {
		rc = error_set(err, ERR_INPUT,
			       "%s:%lld: a quoted field is never closed (the file ends inside it)",
			       path, (long long)r.row_start_line);
		goto done;
	}
	rc = r.stop;
done:
	result->rows = r.rows;
	result->lines = r.line;
	if (parser_ready)
		csv_free(&parser);
	if (in)
		gzclose(in);
	free(chunk);
	free(r.row_bytes);
	free(r.field_offsets);
	free(r.fields);
	return rc;
}
