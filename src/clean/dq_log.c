/* dq_log: the rules of clean (name, severity, what is done) and their counts, written
 * to dq_issues. The table below is the one place that lists every rule; the README's
 * section on clean follows it. */
#include "clean/dq_log.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

#include "db/db.h"

struct dq_rule_def {
	const char *name;
	const char *severity;    /* info, warning or error (the dq_issues CHECK) */
	const char *description; /* what the rule finds and what clean does about it */
};

static const struct dq_rule_def rules[DQ_RULE_COUNT] = {
	[DQ_UNREADABLE_LINE] = {"unreadable_line", "error",
		"order lines whose quantity, date or amount cannot be read under the file's "
		"settled layout: left out of the typed tables"},
	[DQ_TEXT_TRIMMED] = {"text_trimmed", "info",
		"order lines with ids or names that had blanks around them or runs of blanks "
		"inside: trimmed to single spaces"},
	[DQ_ID_WRITTEN_AS_FLOAT] = {"id_written_as_float", "info",
		"order lines with ids written as floats (17850.0): read as whole numbers (17850)"},
	[DQ_PRODUCT_CODE_CASE] = {"product_code_case", "info",
		"order lines with lower-case letters in the product code (85123a): read in upper "
		"case, as the same product as 85123A (--keep-id-case keeps them apart)"},
	[DQ_DUPLICATE_LINE] = {"duplicate_line", "warning",
		"exact duplicate lines (the same raw value in every field, line number aside): "
		"the first copy is kept, the others are removed"},
	[DQ_GUEST_LINE] = {"guest_line", "info",
		"order lines without a customer id: guest orders, in sales with customer_id "
		"NULL, not in customer models"},
	[DQ_ADJUSTMENT_LINE] = {"adjustment_line", "info",
		"non-product lines (postage, fees, manual adjustments, bank charges, discounts, "
		"found by --adjustment-codes and --adjustment-names): moved to adjustments, "
		"not products"},
	[DQ_CANCELLATION_LINE] = {"cancellation_line", "info",
		"lines on cancellation invoices (an order id of --cancel-prefix and a number, "
		"C581484): the order's status is cancelled; its lines are returns (flag 16), "
		"out of sales"},
	[DQ_NEGATIVE_QUANTITY] = {"negative_quantity", "info",
		"order lines with a negative quantity: returns (flag 16), out of sales, counted "
		"as returns"},
	[DQ_PRICE_NOT_POSITIVE] = {"price_not_positive", "warning",
		"order lines with a unit price of zero or less: flagged (1), out of sales and "
		"models"},
	[DQ_QUANTITY_ZERO] = {"quantity_zero", "warning",
		"order lines with a quantity of zero: flagged (2), out of sales and models"},
	[DQ_UNIT_PRICE_DERIVED] = {"unit_price_derived", "info",
		"order lines with a line total but no unit price: unit price = line total / "
		"(quantity x (1 - discount)); the line total is kept to the cent"},
	[DQ_LINE_TOTAL_MISMATCH] = {"line_total_mismatch", "warning",
		"order lines whose line total is more than a cent away from quantity x unit "
		"price x (1 - discount): the file's line total is kept"},
	[DQ_DISCOUNT_PERCENT] = {"discount_percent", "info",
		"discounts above 1 (20 for 20%): read as percentages"},
	[DQ_CANCELLATION_MATCHED] = {"cancellation_matched", "info",
		"cancellation and return lines matched to the sale they undo (the latest "
		"earlier line of the same customer, product and quantity): that sale is flagged "
		"cancelled (32), out of sales; an order all of whose lines are cancelled gets "
		"status cancelled"},
	[DQ_CANCELLATION_PARTIAL] = {"cancellation_partial", "info",
		"cancellation and return lines with no sale of the same quantity, linked to the "
		"latest earlier order of the same customer and product with at least that "
		"quantity (cancels_order_id); that sale stays in sales"},
	[DQ_CANCELLATION_UNMATCHED] = {"cancellation_unmatched", "warning",
		"cancellation and return lines whose sale was not found (no customer id, or "
		"sold before the data starts): counted as returns only"},
	[DQ_ORDER_CANCELLED] = {"order_cancelled", "info",
		"orders every line of which was cancelled later: status cancelled, out of sales"},
	[DQ_DATE_IN_FUTURE] = {"date_in_future", "warning",
		"order lines dated after today (--today): flagged (4), out of models"},
	[DQ_DATE_OUT_OF_RANGE] = {"date_out_of_range", "warning",
		"order lines dated far outside their file's range (more than 3 interquartile "
		"ranges, at least 90 days, beyond the quartiles of the file's order dates; or "
		"outside --from/--to): flagged (4), out of models"},
	[DQ_QUANTITY_OUTLIER] = {"quantity_outlier", "warning",
		"sale lines with a quantity above the product's median + k x MAD (the median "
		"absolute deviation, at least 1; k is --outlier-k; products with at least "
		"--outlier-min-lines sale lines): flagged (8), out of models"},
	[DQ_ORDER_CUSTOMER_CONFLICT] = {"order_customer_conflict", "warning",
		"orders whose lines name different customers: the most frequent one is the "
		"order's customer"},
	[DQ_ORDER_TIME_SPREAD] = {"order_time_spread", "info",
		"orders whose lines carry different times: the earliest is the order's time"},
	[DQ_PRODUCT_NAME_VARIANTS] = {"product_name_variants", "info",
		"products sold under more than one description: the most frequent description "
		"of priced lines is the product's name (a tie goes to the first in byte order)"},
	[DQ_PRODUCT_FROM_ORDERS] = {"product_from_orders", "info",
		"products known only from order lines: created with their most frequent name and "
		"category and the median unit price of their sales"},
	[DQ_PRODUCT_ROW_DUPLICATE] = {"product_row_duplicate", "warning",
		"product file rows with an id seen before: the first row is kept"},
	[DQ_CUSTOMER_COUNTRY_VARIANTS] = {"customer_country_variants", "info",
		"customers whose order lines give more than one country: the most frequent one "
		"is the customer's"},
	[DQ_CUSTOMER_FROM_ORDERS] = {"customer_from_orders", "info",
		"customers known only from order lines: created with the country, region and "
		"city they order from most"},
	[DQ_CUSTOMER_ROW_DUPLICATE] = {"customer_row_duplicate", "warning",
		"customer file rows with an id seen before: the first row is kept"},
	[DQ_REVIEW_RATING_INVALID] = {"review_rating_invalid", "warning",
		"reviews with a rating that is not a whole number from 1 to 5: rating left "
		"empty, flagged (1)"},
	[DQ_REVIEW_EMPTY_BODY] = {"review_empty_body", "info",
		"reviews without text: kept with body NULL, flagged (2)"},
	[DQ_REVIEW_ID_DERIVED] = {"review_id_derived", "info",
		"reviews without an id: given 'run:line' of their source row, stable across "
		"clean runs"},
	[DQ_REVIEW_DUPLICATE_ID] = {"review_duplicate_id", "warning",
		"reviews with an id seen before: the first is kept, the later ones left out"},
	[DQ_REVIEW_DUPLICATE_TEXT] = {"review_duplicate_text", "warning",
		"reviews repeating an earlier one word for word (product, customer, rating, "
		"date, title and a text of at least 20 characters): the first is kept, the "
		"copies left out"},
	[DQ_REVIEW_REFERENCES] = {"review_character_references", "info",
		"review texts holding HTML character references (\"&#34;\" for a quote): "
		"decoded"},
	[DQ_EVENT_TYPE_RENAMED] = {"event_type_renamed", "info",
		"events whose type is spelled otherwise (page_view, add_to_cart, transaction): "
		"renamed view, cart, checkout or purchase"},
	[DQ_EVENT_TYPE_UNKNOWN] = {"event_type_unknown", "warning",
		"events whose type is none of view, cart, checkout, purchase: kept in lower "
		"case, flagged (1)"},
	[DQ_EVENT_TIME_IN_FUTURE] = {"event_time_in_future", "warning",
		"events dated after today (--today): flagged (2)"},
	[DQ_EVENT_PRICE_NOT_POSITIVE] = {"event_price_not_positive", "info",
		"events with a price of zero or less: flagged (4)"},
	[DQ_UNREADABLE_EVENT] = {"unreadable_event", "error",
		"events whose time cannot be read: left out"},
	[DQ_UNREADABLE_VALUE] = {"unreadable_value", "error",
		"dates or amounts in customer, product and review rows that cannot be read: "
		"left empty"},
};

void dq_log_init(struct dq_log *log)
{
	memset(log, 0, sizeof *log);
}

void dq_log_free(struct dq_log *log)
{
	for (int r = 0; r < DQ_RULE_COUNT; r++)
		buf_free(&log->note[r]);
}

void dq_count(struct dq_log *log, enum dq_rule rule, uint32_t run, int64_t line, int64_t weight)
{
	assert(rule >= 0 && rule < DQ_RULE_COUNT);
	log->count[rule] += weight;
	if (log->examples_used[rule] < DQ_EXAMPLES) {
		struct dq_example *e = &log->examples[rule][log->examples_used[rule]++];
		e->run = run;
		e->line = line;
	}
}

void dq_note(struct dq_log *log, enum dq_rule rule, const char *fmt, ...)
{
	va_list ap;
	struct buf *note = &log->note[rule];
	if (note->len)
		buf_putc(note, ' ');
	va_start(ap, fmt);
	buf_vprintf(note, fmt, ap);
	va_end(ap);
}

const char *dq_rule_name(enum dq_rule rule)
{
	return rules[rule].name;
}

int dq_rules_fired(const struct dq_log *log, int *warnings)
{
	int fired = 0;
	*warnings = 0;
	for (int r = 0; r < DQ_RULE_COUNT; r++)
		if (log->count[r]) {
			fired++;
			*warnings += strcmp(rules[r].severity, "info") != 0;
		}
	return fired;
}

int dq_log_write(sqlite3 *db, const struct dq_log *log, const struct source_runs *runs,
		 struct error *err)
{
	sqlite3_stmt *st = NULL;
	struct buf text = BUF_INIT, examples = BUF_INIT;
	int rc = db_exec(db, "DELETE FROM dq_issues", err);
	if (rc < 0 ||
	    (rc = db_prepare(db,
			     "INSERT INTO dq_issues (rule, severity, count, description, examples)"
			     " VALUES (?1, ?2, ?3, ?4, ?5)",
			     &st, err)) < 0)
		goto done;
	for (int r = 0; r < DQ_RULE_COUNT; r++) {
		assert(rules[r].name && rules[r].description);
		buf_reset(&text);
		buf_reset(&examples);
		buf_puts(&text, rules[r].description);
		if (log->note[r].len)
			buf_printf(&text, ". %s", buf_str(&log->note[r]));
		buf_putc(&examples, '[');
		for (int e = 0; e < log->examples_used[r]; e++) {
			const struct dq_example *ex = &log->examples[r][e];
			struct buf cite = BUF_INIT;
			assert(ex->run < runs->count);
			buf_printf(&cite, "%s:%lld", runs->run[ex->run].file_name, (long long)ex->line);
			if (e)
				buf_putc(&examples, ',');
			buf_json_string(&examples, cite.data, cite.len);
			buf_free(&cite);
		}
		buf_putc(&examples, ']');
		sqlite3_bind_text(st, 1, rules[r].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rules[r].severity, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, log->count[r]);
		sqlite3_bind_text(st, 4, buf_str(&text), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, buf_str(&examples), -1, SQLITE_STATIC);
		int step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step != SQLITE_DONE) {
			rc = db_fail(db, err, "writing dq_issues");
			goto done;
		}
	}
done:
	sqlite3_finalize(st);
	buf_free(&text);
	buf_free(&examples);
	return rc;
}
