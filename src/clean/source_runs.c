/* source_runs: the ingest_runs rows as clean uses them. */
#include "clean/source_runs.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/xalloc.h"

int source_runs_load(sqlite3 *db, struct source_runs *runs, struct error *err)
{
	/* The date field of each kind, by the names ingest records in date_formats. */
	static const char sql[] =
		"SELECT run_id, file_name, decimal_comma,"
		" json_extract(date_formats, CASE kind"
		"   WHEN 'order_lines' THEN '$.order_date'"
		"   WHEN 'customers' THEN '$.signup_date'"
		"   WHEN 'reviews' THEN '$.review_date'"
		"   WHEN 'events' THEN '$.event_time' ELSE '$.none' END)"
		" FROM ingest_runs ORDER BY run_id";
	sqlite3_stmt *st;
	memset(runs, 0, sizeof *runs);
	if (db_prepare(db, sql, &st, err) < 0)
		return ERR_SYSTEM;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		runs->run = xreallocarray(runs->run, runs->count + 1, sizeof *runs->run);
		struct source_run *r = &runs->run[runs->count++];
		const char *style = (const char *)sqlite3_column_text(st, 3);
		r->run_id = sqlite3_column_int64(st, 0);
		r->file_name = xstrdup((const char *)sqlite3_column_text(st, 1));
		r->decimal_comma = sqlite3_column_int(st, 2);
		r->date_style = style ? date_style_from_name(style) : 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		source_runs_free(runs);
		return db_fail(db, err, "reading ingest_runs");
	}
	return 0;
}

void source_runs_free(struct source_runs *runs)
{
	for (uint32_t i = 0; i < runs->count; i++)
		free(runs->run[i].file_name);
	free(runs->run);
	memset(runs, 0, sizeof *runs);
}

int64_t source_runs_find(struct source_runs *runs, int64_t run_id)
{
	if (runs->last < runs->count && runs->run[runs->last].run_id == run_id)
		return runs->last;
	uint32_t lo = 0, hi = runs->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (runs->run[mid].run_id < run_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == runs->count || runs->run[lo].run_id != run_id)
		return -1;
	runs->last = lo;
	return lo;
}

int source_run_parse_date(const struct source_run *run, const char *s, size_t len,
			  struct datetime *out)
{
	enum date_style style = run->date_style;
	if (!style) {
		unsigned fits = date_styles_of(s, len);
		if (!fits)
			return -1;
		style = date_style_pick(fits);
	}
	return parse_date(s, len, style, out);
}

int64_t datetime_seconds(const struct datetime *dt)
{
	return datetime_days(dt) * 86400 + dt->hour * 3600 + dt->minute * 60 + dt->second;
}
