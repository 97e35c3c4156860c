/* line_flags: the data-quality flags that need the whole data set to judge a line:
 * dates in the future or far outside the data's range (ITEM_DATE_OUT_OF_RANGE) and
 * quantities far above what a product usually sells in (ITEM_QUANTITY_OUTLIER). The
 * flags read off a single line (price, zero quantity, return) are set when it is
 * read. */
#ifndef CARTOGRAPH_LINE_FLAGS_H
#define CARTOGRAPH_LINE_FLAGS_H

#include "clean/dq_log.h"
#include "clean/order_lines.h"
#include "clean/rules.h"
#include "clean/source_runs.h"

/* Flags and logs the items with such dates and quantities. */
void line_flags_mark(struct line_set *set, const struct source_runs *runs,
		     const struct clean_rules *rules, struct dq_log *log);

#endif
