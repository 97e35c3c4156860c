/* dq_report: the dq_issues table as a report for people (cartograph clean --report):
 * the rules that found something, in the log's order, each with its count, severity,
 * what clean did and a few example lines; then the rules that found nothing. */
#include <stdio.h>
#include <string.h>

#include "clean/dq_log.h"
#include "db/db.h"

#define COUNT_WIDTH 9
#define SEVERITY_WIDTH 9
#define TEXT_INDENT (COUNT_WIDTH + 2 + SEVERITY_WIDTH)

/* Writes n with thousands separators (5,268). */
static void put_count(struct buf *out, long long n)
{
	char digits[32], grouped[48];
	int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n), g = 0;
	if (n < 0)
		grouped[g++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	buf_printf(out, "%*s", COUNT_WIDTH, grouped);
}

/* Appends text wrapped at width, every line indented by indent but the first, which
 * continues the current line after already characters past the indent. */
static void put_wrapped(struct buf *out, const char *text, int width, int indent, int already)
{
	int room = width - indent, used = already, words_on_line = 0;
	if (room < 20)
		room = 20;
	while (*text) {
		while (*text == ' ')
			text++;
		size_t word = strcspn(text, " ");
		if (!word)
			break;
		if (words_on_line && used + 1 + (int)word > room) {
			buf_printf(out, "\n%*s", indent, "");
			used = words_on_line = 0;
		} else if (words_on_line) {
			buf_putc(out, ' ');
			used++;
		}
		words_on_line++;
		buf_append(out, text, word);
		used += (int)word;
		text += word;
	}
	buf_putc(out, '\n');
}

static const char *column_or_empty(sqlite3_stmt *st, int column)
{
	const char *s = (const char *)sqlite3_column_text(st, column);
	return s ? s : "";
}

int dq_report_format(sqlite3 *db, int width, struct buf *out, struct error *err)
{
	sqlite3_stmt *st;
	struct buf quiet = BUF_INIT;
	int fired = 0, warnings = 0, errors = 0, total = 0, rc;
	if (db_prepare(db,
		       "SELECT rule, severity, count, description,"
		       " (SELECT group_concat(value, ', ') FROM json_each(examples))"
		       " FROM dq_issues ORDER BY rowid",
		       &st, err) < 0)
		return ERR_SYSTEM;
	buf_printf(out, "%*s  %-*s rule: what clean did\n", COUNT_WIDTH, "count", SEVERITY_WIDTH - 1,
		   "severity");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rule = column_or_empty(st, 0), *severity = column_or_empty(st, 1);
		long long count = sqlite3_column_int64(st, 2);
		total++;
		if (!count) {
			buf_printf(&quiet, "%s%s", quiet.len ? ", " : "", rule);
			continue;
		}
		fired++;
		warnings += strcmp(severity, "warning") == 0;
		errors += strcmp(severity, "error") == 0;
		buf_putc(out, '\n');
		put_count(out, count);
		buf_printf(out, "  %-*s %s:\n%*s", SEVERITY_WIDTH - 1, severity, rule, TEXT_INDENT, "");
		put_wrapped(out, column_or_empty(st, 3), width, TEXT_INDENT, 0);
		if (*column_or_empty(st, 4)) {
			buf_printf(out, "%*se.g. ", TEXT_INDENT, "");
			put_wrapped(out, column_or_empty(st, 4), width, TEXT_INDENT, 5);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_free(&quiet);
		return db_fail(db, err, "reading dq_issues");
	}
	if (!total)
		buf_puts(out, "\n(no data-quality log yet: run cartograph clean)\n");
	else {
		buf_printf(out, "\n%d of %d rules found something (%d warnings, %d errors).\n", fired,
			   total, warnings, errors);
		if (quiet.len) {
			buf_puts(out, "Found nothing: ");
			buf_putc(&quiet, '.');
			put_wrapped(out, buf_str(&quiet), width, 0, 15);
		}
	}
	buf_free(&quiet);
	return 0;
}
