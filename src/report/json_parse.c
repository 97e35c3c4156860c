/* json_parse: a recursive-descent JSON reader. The whole input is checked for valid
 * UTF-8 first, so the grammar below only ever sees well-formed characters; line and
 * column are worked out only when there is an error to report. */
#include "report/json_parse.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

struct json_parser {
	const char *name;   /* the input's name, for messages */
	const char *text;   /* the input */
	size_t len;         /* bytes in text */
	size_t pos;         /* next byte to read */
	int depth;          /* arrays and objects open around pos */
	struct buf scratch; /* strings with escapes and numbers are assembled here */
	struct error *err;  /* where a failure is described */
};

static int parse_value(struct json_parser *p, struct value **out);

/* Fills the error with "name:line:col: message" for the byte at offset at. */
static int fail_at(struct json_parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct json_parser *p, size_t at, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < at && i < p->len; i++) {
		unsigned char c = (unsigned char)p->text[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return error_set(p->err, ERR_INPUT, "%s:%u:%u: %s", p->name, line, col, msg);
}

/* Describes the byte at pos for "unexpected ..." messages. */
static int fail_unexpected(struct json_parser *p, const char *expected)
{
	if (p->pos >= p->len)
		return fail_at(p, p->pos, "%s, found end of input", expected);
	unsigned char c = (unsigned char)p->text[p->pos];
	if (c >= 0x20 && c < 0x7F)
		return fail_at(p, p->pos, "%s, found '%c'", expected, c);
	return fail_at(p, p->pos, "%s, found byte 0x%02X", expected, c);
}

static void skip_space(struct json_parser *p)
{
	while (p->pos < p->len) {
		char c = p->text[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the four hex digits after "\u" at pos; returns the code unit or -1. */
static long read_hex4(struct json_parser *p)
{
	if (p->len - p->pos < 4)
		return -1;
	long unit = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p->text[p->pos + (size_t)i]);
		if (d < 0)
			return -1;
		unit = unit * 16 + d;
	}
	p->pos += 4;
	return unit;
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	char s[4];
	buf_append(b, s, utf8_encode((uint32_t)cp, s));
}

/* Decodes the \u escape whose 'u' is at pos - 1, pairing surrogates, into scratch. */
static int parse_unicode_escape(struct json_parser *p, size_t escape_at)
{
	long unit = read_hex4(p);
	if (unit < 0)
		return fail_at(p, escape_at, "'\\u' must be followed by four hex digits");
	if (unit >= 0xDC00 && unit <= 0xDFFF)
		return fail_at(p, escape_at, "lone low surrogate \\u%04lX", unit);
	if (unit >= 0xD800 && unit <= 0xDBFF) {
		long low = -1;
		if (p->len - p->pos >= 2 && p->text[p->pos] == '\\' && p->text[p->pos + 1] == 'u') {
			p->pos += 2;
			low = read_hex4(p);
		}
		if (low < 0xDC00 || low > 0xDFFF)
			return fail_at(p, escape_at,
				       "high surrogate \\u%04lX is not followed by a low surrogate",
				       unit);
		unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
	}
	put_utf8(&p->scratch, (unsigned long)unit);
	return 0;
}

/* Reads the escape whose backslash is at pos - 1 into scratch. */
static int parse_escape(struct json_parser *p)
{
	size_t escape_at = p->pos - 1;
	if (p->pos >= p->len)
		return fail_at(p, p->pos, "unterminated string");
	char c = p->text[p->pos++];
	switch (c) {
	case '"': buf_putc(&p->scratch, '"'); return 0;
	case '\\': buf_putc(&p->scratch, '\\'); return 0;
	case '/': buf_putc(&p->scratch, '/'); return 0;
	case 'b': buf_putc(&p->scratch, '\b'); return 0;
	case 'f': buf_putc(&p->scratch, '\f'); return 0;
	case 'n': buf_putc(&p->scratch, '\n'); return 0;
	case 'r': buf_putc(&p->scratch, '\r'); return 0;
	case 't': buf_putc(&p->scratch, '\t'); return 0;
	case 'u': return parse_unicode_escape(p, escape_at);
	default:
		if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
			return fail_at(p, escape_at, "invalid escape '\\%c'", c);
		return fail_at(p, escape_at, "invalid escape");
	}
}

/* Reads the string whose opening quote is at pos into a new malloc'd NUL-terminated
 * copy (*s, *len). Strings without escapes are copied in one go. */
static int parse_string(struct json_parser *p, char **s, size_t *len)
{
	size_t start = ++p->pos;
	size_t i = start;
	while (i < p->len) {
		unsigned char c = (unsigned char)p->text[i];
		if (c == '"' || c == '\\' || c < 0x20)
			break;
		i++;
	}
	if (i < p->len && p->text[i] == '"') {
		*len = i - start;
		*s = xstrndup(p->text + start, *len);
		p->pos = i + 1;
		return 0;
	}
	buf_reset(&p->scratch);
	buf_append(&p->scratch, p->text + start, i - start);
	p->pos = i;
	for (;;) {
		if (p->pos >= p->len)
			return fail_at(p, start - 1, "string is never closed");
		unsigned char c = (unsigned char)p->text[p->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail_at(p, p->pos, "control character 0x%02X in string (write it as \\u%04X)",
				       c, c);
		p->pos++;
		if (c == '\\') {
			if (parse_escape(p) < 0)
				return ERR_INPUT;
		} else {
			buf_putc(&p->scratch, (char)c);
		}
	}
	p->pos++;
	*len = p->scratch.len;
	*s = xstrndup(buf_str(&p->scratch), *len);
	return 0;
}

static int is_digit(struct json_parser *p, size_t at)
{
	return at < p->len && p->text[at] >= '0' && p->text[at] <= '9';
}

/* Skips the digits at pos; returns how many there were. */
static size_t skip_digits(struct json_parser *p)
{
	size_t start = p->pos;
	while (is_digit(p, p->pos))
		p->pos++;
	return p->pos - start;
}

static int parse_number(struct json_parser *p, struct value **out)
{
	size_t start = p->pos;
	if (p->text[p->pos] == '-')
		p->pos++;
	if (!is_digit(p, p->pos))
		return fail_unexpected(p, "expected a digit");
	if (p->text[p->pos] == '0' && is_digit(p, p->pos + 1))
		return fail_at(p, p->pos, "numbers may not start with 0");
	skip_digits(p);
	if (p->pos < p->len && p->text[p->pos] == '.') {
		p->pos++;
		if (!skip_digits(p))
			return fail_unexpected(p, "expected a digit after '.'");
	}
	if (p->pos < p->len && (p->text[p->pos] == 'e' || p->text[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->text[p->pos] == '+' || p->text[p->pos] == '-'))
			p->pos++;
		if (!skip_digits(p))
			return fail_unexpected(p, "expected a digit in the exponent");
	}
	buf_reset(&p->scratch);
	buf_append(&p->scratch, p->text + start, p->pos - start);
	errno = 0;
	double n = strtod(p->scratch.data, NULL);
	if (errno == ERANGE && isinf(n))
		return fail_at(p, start, "number %s is too large", p->scratch.data);
	*out = value_number_new(n);
	return 0;
}

/* Reads the literal word (true, false, null) at pos. */
static int parse_literal(struct json_parser *p, struct value **out)
{
	static const struct {
		const char *word;
		enum value_type type;
		int boolean;
	} literals[] = {{"true", VALUE_BOOL, 1}, {"false", VALUE_BOOL, 0}, {"null", VALUE_NULL, 0}};
	for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
		size_t n = strlen(literals[i].word);
		if (p->len - p->pos >= n && memcmp(p->text + p->pos, literals[i].word, n) == 0) {
			p->pos += n;
			*out = literals[i].type == VALUE_BOOL ? value_bool_new(literals[i].boolean)
							      : value_null_new();
			return 0;
		}
	}
	return fail_unexpected(p, "expected a value");
}

static int enter(struct json_parser *p)
{
	if (p->depth >= JSON_MAX_DEPTH)
		return fail_at(p, p->pos, "arrays and objects nested more than %d deep",
			       JSON_MAX_DEPTH);
	p->depth++;
	p->pos++;
	skip_space(p);
	return 0;
}

static int parse_array(struct json_parser *p, struct value **out)
{
	int rc = enter(p);
	if (rc < 0)
		return rc;
	struct value *list = value_list_new();
	if (p->pos < p->len && p->text[p->pos] == ']') {
		p->pos++;
		goto done;
	}
	for (;;) {
		struct value *item;
		if ((rc = parse_value(p, &item)) < 0)
			goto done;
		value_list_push(list, item);
		skip_space(p);
		if (p->pos < p->len && p->text[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->text[p->pos] == ']') {
			p->pos++;
			break;
		}
		rc = fail_unexpected(p, "expected ',' or ']'");
		goto done;
	}
done:
	p->depth--;
	if (rc < 0) {
		value_free(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int parse_object(struct json_parser *p, struct value **out)
{
	int rc = enter(p);
	if (rc < 0)
		return rc;
	struct value *map = value_map_new();
	if (p->pos < p->len && p->text[p->pos] == '}') {
		p->pos++;
		goto done;
	}
	for (;;) {
		char *key;
		size_t key_len;
		struct value *child;
		skip_space(p);
		if (p->pos >= p->len || p->text[p->pos] != '"') {
			rc = fail_unexpected(p, "expected a string key");
			goto done;
		}
		if ((rc = parse_string(p, &key, &key_len)) < 0)
			goto done;
		skip_space(p);
		if (p->pos >= p->len || p->text[p->pos] != ':') {
			free(key);
			rc = fail_unexpected(p, "expected ':'");
			goto done;
		}
		p->pos++;
		if ((rc = parse_value(p, &child)) < 0) {
			free(key);
			goto done;
		}
		value_map_put(map, key, key_len, child);
		skip_space(p);
		if (p->pos < p->len && p->text[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->text[p->pos] == '}') {
			p->pos++;
			break;
		}
		rc = fail_unexpected(p, "expected ',' or '}'");
		goto done;
	}
done:
	p->depth--;
	if (rc < 0) {
		value_free(map);
		return rc;
	}
	*out = map;
	return 0;
}

static int parse_value(struct json_parser *p, struct value **out)
{
	skip_space(p);
	if (p->pos >= p->len)
		return fail_unexpected(p, "expected a value");
	switch (p->text[p->pos]) {
	case '{':
		return parse_object(p, out);
	case '[':
		return parse_array(p, out);
	case '"': {
		char *s;
		size_t len;
		int rc = parse_string(p, &s, &len);
		if (rc < 0)
			return rc;
		*out = value_string_take(s, len);
		return 0;
	}
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(p, out);
	default:
		return parse_literal(p, out);
	}
}

int json_parse(const char *name, const char *text, size_t len, struct value **out,
	       struct error *err)
{
	struct json_parser p = {name, text, len, 0, 0, BUF_INIT, err};
	struct value *v = NULL;
	int rc;
	*out = NULL;
	size_t bad = utf8_invalid_at(text, len);
	if (bad < len) {
		rc = fail_at(&p, bad, "invalid UTF-8 (byte 0x%02X)", (unsigned char)text[bad]);
		goto done;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	if ((rc = parse_value(&p, &v)) < 0)
		goto done;
	skip_space(&p);
	if (p.pos < len) {
		rc = fail_unexpected(&p, "expected the end after the value");
		value_free(v);
		goto done;
	}
	*out = v;
done:
	buf_free(&p.scratch);
	return rc;
}
