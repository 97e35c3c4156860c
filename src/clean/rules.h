/* rules: the clean options in the form the steps use them: lists split, dates turned
 * into seconds, "today" fixed once so one run judges every line by the same clock. */
#ifndef CARTOGRAPH_CLEAN_RULES_H
#define CARTOGRAPH_CLEAN_RULES_H

#include <stdint.h>

#include "clean/clean.h"
#include "clean/normalize.h"

struct clean_rules {
	struct word_list cancel_prefixes;   /* "C" */
	struct word_list adjustment_codes;  /* product codes of non-product lines */
	struct word_list adjustment_names;  /* descriptions of non-product lines */
	int fold_product_case;              /* read product codes in upper case */
	double outlier_k;
	int outlier_min_lines;
	int64_t now;                        /* seconds since 1970: later is the future */
	int has_from, has_to;               /* --from / --to given */
	int64_t date_from, date_to;         /* their first and last second */
};

/* Checks and converts the options. Returns 0 or ERR_INPUT with a message. */
int clean_rules_init(struct clean_rules *rules, const struct clean_options *opt,
		     struct error *err);
void clean_rules_free(struct clean_rules *rules);

/* Formats seconds since 1970 as "YYYY-MM-DD" (11 bytes with the NUL). */
void seconds_to_day(int64_t seconds, char out[11]);

#endif
