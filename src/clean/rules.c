/* rules: checking the clean options and converting them once for every step. */
#include "clean/rules.h"

#include <string.h>
#include <time.h>

#include "clean/source_runs.h"
#include "util/parse_value.h"

void clean_options_init(struct clean_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->cancel_prefixes = CLEAN_CANCEL_PREFIXES;
	opt->adjustment_codes = CLEAN_ADJUSTMENT_CODES;
	opt->adjustment_names = CLEAN_ADJUSTMENT_NAMES;
	opt->outlier_k = CLEAN_OUTLIER_K;
	opt->outlier_min_lines = CLEAN_OUTLIER_MIN_LINES;
}

/* Reads a YYYY-MM-DD option as the first second of that day. */
static int day_option(const char *name, const char *value, int64_t *seconds, struct error *err)
{
	struct datetime dt;
	if (parse_date(value, strlen(value), DATE_YMD, &dt) < 0 || dt.hour || dt.minute ||
	    dt.second)
		return error_set(err, ERR_INPUT, "%s '%s': expected a day as YYYY-MM-DD", name,
				 value);
	*seconds = datetime_seconds(&dt);
	return 0;
}

int clean_rules_init(struct clean_rules *rules, const struct clean_options *opt,
		     struct error *err)
{
	memset(rules, 0, sizeof *rules);
	if (!(opt->outlier_k > 0))
		return error_set(err, ERR_INPUT, "--outlier-k must be above 0");
	if (opt->outlier_min_lines < 1)
		return error_set(err, ERR_INPUT, "--outlier-min-lines must be 1 or more");
	rules->now = (int64_t)time(NULL);
	if (opt->today) {
		if (day_option("--today", opt->today, &rules->now, err) < 0)
			return ERR_INPUT;
		rules->now += 86399; /* the whole day is not the future */
	}
	if (opt->date_from) {
		if (day_option("--from", opt->date_from, &rules->date_from, err) < 0)
			return ERR_INPUT;
		rules->has_from = 1;
	}
	if (opt->date_to) {
		if (day_option("--to", opt->date_to, &rules->date_to, err) < 0)
			return ERR_INPUT;
		rules->date_to += 86399;
		rules->has_to = 1;
	}
	if (rules->has_from && rules->has_to && rules->date_from > rules->date_to)
		return error_set(err, ERR_INPUT, "--from %s is after --to %s", opt->date_from,
				 opt->date_to);
	rules->fold_product_case = !opt->keep_id_case;
	rules->outlier_k = opt->outlier_k;
	rules->outlier_min_lines = opt->outlier_min_lines;
	word_list_parse(&rules->cancel_prefixes, opt->cancel_prefixes);
	word_list_parse(&rules->adjustment_codes, opt->adjustment_codes);
	word_list_parse(&rules->adjustment_names, opt->adjustment_names);
	return 0;
}

void clean_rules_free(struct clean_rules *rules)
{
	word_list_free(&rules->cancel_prefixes);
	word_list_free(&rules->adjustment_codes);
	word_list_free(&rules->adjustment_names);
}

void seconds_to_day(int64_t seconds, char out[11])
{
	time_t t = (time_t)seconds;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		strcpy(out, "?");
}
