/* page_quality: the data-quality page: every file loaded with its counts, every
 * cleaning rule with how many rows it touched and example source lines, and the rows
 * ingest could not read, grouped by reason. */
#include <stdio.h>

#include "report/build_internal.h"

static const char runs_sql[] =
	"SELECT file_name, kind, printf('%,d', rows_read) AS rows_read,"
	" printf('%,d', rows_loaded) AS rows_loaded, printf('%,d', rows_rejected) AS rows_rejected,"
	" rows_rejected > 0 AS rejected_some"
	" FROM ingest_runs ORDER BY run_id";

static const char rules_sql[] =
	"SELECT rule, severity, printf('%,d', count) AS count, description,"
	" (SELECT group_concat(value, ', ') FROM (SELECT value FROM json_each(examples)"
	"   LIMIT 5)) AS examples"
	" FROM dq_issues ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1"
	" ELSE 2 END, count DESC, rule";

static const char rejects_sql[] =
	"SELECT r.file_name, coalesce(j.column_name, '(whole row)') AS column_name,"
	" j.reason_kind AS reason, printf('%,d', count(*)) AS count,"
	" min(j.line) AS first_line, (SELECT value FROM ingest_rejects k"
	"   WHERE k.run_id = j.run_id AND k.line = min(j.line)) AS example"
	" FROM (SELECT *, CASE WHEN instr(reason, '''') = 1"
	"   THEN substr(reason, instr(substr(reason, 2), '''') + 3) ELSE reason END AS reason_kind"
	"   FROM ingest_rejects) j JOIN ingest_runs r USING (run_id)"
	" GROUP BY j.run_id, j.column_name, j.reason_kind ORDER BY count(*) DESC LIMIT 50";

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
