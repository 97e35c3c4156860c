/* page_quality: the data-quality page: every file loaded with its counts, every
 * cleaning rule with how many rows it touched and example source lines, and the rows
 * ingest could not read, grouped by reason. */
#include <stdio.h>

#include "report/build_internal.h"

static const char runs_sql[] =
	"SELECT file_name, kind, printf('%,d', rows_read) AS rows_read,"
	" printf('%,d', rows_loaded) AS rows_loaded, printf('%,d', rows_rejected) AS rows_rejected,"
	" CASE WHEN rows_rejected > 0 THEN 'yes' ELSE '' END AS rejected_some"
	" FROM ingest_runs ORDER BY run_id";

static const char rules_sql[] =
	"SELECT rule, severity, printf('%,d', count) AS count, description,"
	" (SELECT group_concat(value, ', ') FROM (SELECT value FROM json_each(examples)"
	"   LIMIT 5)) AS examples"
	" FROM dq_issues ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1"
	" ELSE 2 END, count DESC, rule";

/* Rejects grouped by file, column and reason; a reason that starts with the quoted
 * value ("'abc' is not a date") is grouped without it. */
static const char rejects_sql[] =
	"WITH rejects AS (SELECT run_id, line, column_name, value,"
	"   CASE WHEN instr(reason, char(39)) = 1"
	"     THEN substr(reason, instr(substr(reason, 2), char(39)) + 3) ELSE reason END AS reason"
	"   FROM ingest_rejects),"
	" groups AS (SELECT run_id, column_name, reason, count(*) AS n, min(line) AS first_line"
	"   FROM rejects GROUP BY run_id, column_name, reason)"
	" SELECT r.file_name, coalesce(g.column_name, '(whole row)') AS column_name, g.reason,"
	"  printf('%,d', g.n) AS count, g.first_line,"
	"  (SELECT value FROM rejects k WHERE k.run_id = g.run_id AND k.line = g.first_line)"
	"    AS example"
	" FROM groups g JOIN ingest_runs r USING (run_id)"
	" ORDER BY g.n DESC, r.file_name, g.first_line LIMIT 50";

int page_quality(struct build *b, struct error *err)
{
	struct value *data = value_map_new();
	int rc = query_rows(b->db, runs_sql, NULL, 0, value_map_add_list(data, "runs"), err);
	if (rc == 0)
		rc = query_rows(b->db, rules_sql, NULL, 0, value_map_add_list(data, "rules"), err);
	if (rc == 0)
		rc = query_rows(b->db, rejects_sql, NULL, 0, value_map_add_list(data, "rejects"),
				err);
	if (rc < 0) {
		value_free(data);
		return rc;
	}
	value_map_set_bool(data, "has_rules", value_map_get(data, "rules")->as.list.len > 0);
	value_map_set_bool(data, "has_rejects", value_map_get(data, "rejects")->as.list.len > 0);
	return build_page(b, "quality", "quality.html", "quality", NULL, data, err);
}
