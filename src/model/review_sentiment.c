/* review_sentiment: the sentiment step (see review_sentiment.h).
 *
 * The one idea: the shop's own star ratings are the truth both scorers are held to.
 * Reviews of 4-5 stars are positive, 1-2 negative (3 stars and blank reviews say
 * nothing either way). The rule scorer is measured on all of them; the learned model is
 * trained on three quarters (chosen by a hash of the text, so a review posted twice
 * lands on one side) and both scorers are measured on the last quarter, which the
 * model never saw. The learned model scores the shop only when it wins there on ROC AUC
 * without losing on accuracy. A learned probability p is written as the compound
 * 2p - 1, so both scorers share one scale and one labelling. */
#include "model/review_sentiment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/batch_insert.h"
#include "db/db.h"
#include "model/metrics.h"
#include "model/sentiment.h"
#include "model/sentiment_summary.h"
#include "model/text_classifier.h"
#include "util/xalloc.h"

/* One review as scored. */
struct shop_review {
	char *id;      /* review_id */
	int rating;    /* stars 1 to 5, 0 when the review has none */
	char *text;    /* title and body, joined by a line break */
	size_t len;    /* bytes of text */
	int blank;     /* 1 when the text has no visible character */
	double rules;  /* the rule scorer's compound */
	double learned; /* the learned model's P(positive); NAN when not trained */
};

struct review_list {
	struct shop_review *items; /* by review_id */
	size_t count;              /* reviews */
	size_t cap;                /* allocated */
};

/* How one scorer did on a set of rated reviews. */
struct scorer_figures {
	size_t reviews;   /* rated reviews measured */
	size_t positive;  /* of them 4-5 stars */
	double accuracy;  /* share labelled right at the scorer's threshold */
	double roc_auc;   /* NAN when a class is missing */
};

/* What the comparison of the scorers found. */
struct comparison {
	size_t rated;                 /* rated reviews in the shop */
	struct scorer_figures rules;  /* the rule scorer on all rated reviews */
	int trained;                  /* 1 when the learned model was trained */
	int use_learned;              /* 1 when it scores the shop */
	char why[1200];               /* the decision, in words */
	size_t train_count;           /* reviews it learned from */
	struct scorer_figures learned_held; /* on the held-out reviews */
	struct scorer_figures rules_held;   /* the rule scorer on the same */
};

static void review_list_free(struct review_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].id);
		free(list->items[i].text);
	}
	free(list->items);
	memset(list, 0, sizeof *list);
}

static int text_is_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", text[i]))
			return 0;
	return 1;
}

static int load_reviews(sqlite3 *db, struct review_list *list, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "SELECT review_id, rating, title, body FROM reviews ORDER BY review_id",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	struct buf text = BUF_INIT;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (list->count == list->cap) {
			list->cap = list->cap ? 2 * list->cap : 1024;
			list->items = xreallocarray(list->items, list->cap, sizeof *list->items);
		}
		struct shop_review *r = &list->items[list->count++];
		const char *title = (const char *)sqlite3_column_text(stmt, 2);
		const char *body = (const char *)sqlite3_column_text(stmt, 3);
		buf_reset(&text);
		if (title && *title)
			buf_printf(&text, "%s\n", title);
		if (body)
			buf_puts(&text, body);
		r->id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		r->rating = sqlite3_column_type(stmt, 1) == SQLITE_NULL ? 0
								       : sqlite3_column_int(stmt, 1);
		r->len = text.len;
		r->text = xstrndup(buf_str(&text), text.len);
		r->blank = text_is_blank(r->text, r->len);
		r->rules = 0;
		r->learned = NAN;
	}
	buf_free(&text);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading reviews");
}

/* 4-5 stars or 1-2 stars, with text. */
static int is_rated(const struct shop_review *r)
{
	return r->rating >= 1 && r->rating <= 5 && r->rating != 3 && !r->blank;
}

static void measure(const double *scores, const int *labels, size_t n, double threshold,
		    struct scorer_figures *out)
{
	out->reviews = n;
	out->positive = 0;
	for (size_t i = 0; i < n; i++)
		out->positive += labels[i] != 0;
	out->accuracy = n ? metrics_accuracy(scores, labels, n, threshold) : NAN;
	out->roc_auc = metrics_roc_auc(scores, labels, n);
}

/* The rule scorer on every rated review. */
static void measure_rules(const struct review_list *list, struct comparison *c)
{
	double *scores = xmalloc((list->count + 1) * sizeof *scores);
	int *labels = xmalloc((list->count + 1) * sizeof *labels);
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++)
		if (is_rated(&list->items[i])) {
			scores[n] = list->items[i].rules;
			labels[n++] = list->items[i].rating >= 4;
		}
	c->rated = n;
	measure(scores, labels, n, SENTIMENT_LABEL_THRESHOLD, &c->rules);
	free(scores);
	free(labels);
}

/* Trains on the rated reviews outside the held-out share, predicts every review with
 * text, measures both scorers on the held-out share and decides which scores. */
static void train_and_compare(struct review_list *list, uint64_t seed, struct comparison *c)
{
	struct review_example *train = xmalloc((list->count + 1) * sizeof *train);
	size_t *held = xmalloc((list->count + 1) * sizeof *held);
	size_t train_count = 0, held_count = 0;
	for (size_t i = 0; i < list->count; i++) {
		struct shop_review *r = &list->items[i];
		if (!is_rated(r))
			continue;
		if (text_classifier_is_held_out(r->text, r->len, SENTIMENT_HELD_OUT_PERCENT))
			held[held_count++] = i;
		else
			train[train_count++] = (struct review_example){r->text, r->len, r->rating >= 4};
	}
	struct text_classifier_options opts;
	text_classifier_default_options(&opts);
	opts.seed = seed;
	struct text_classifier *model = NULL;
	struct error why;
	if (text_classifier_train(train, train_count, &opts, &model, &why) < 0) {
		snprintf(c->why, sizeof c->why, "rule scorer: the learned model could not be "
						"trained: %.1000s", why.msg);
		goto done;
	}
	c->trained = 1;
	c->train_count = train_count;
	for (size_t i = 0; i < list->count; i++)
		if (!list->items[i].blank)
			list->items[i].learned =
				text_classifier_predict(model, list->items[i].text, list->items[i].len);
	double *learned = xmalloc((held_count + 1) * sizeof *learned);
	double *rules = xmalloc((held_count + 1) * sizeof *rules);
	int *labels = xmalloc((held_count + 1) * sizeof *labels);
	for (size_t i = 0; i < held_count; i++) {
		const struct shop_review *r = &list->items[held[i]];
		learned[i] = r->learned;
		rules[i] = r->rules;
		labels[i] = r->rating >= 4;
	}
	measure(learned, labels, held_count, 0.5, &c->learned_held);
	measure(rules, labels, held_count, SENTIMENT_LABEL_THRESHOLD, &c->rules_held);
	free(learned);
	free(rules);
	free(labels);
	const struct scorer_figures *l = &c->learned_held, *r = &c->rules_held;
	if (isnan(l->roc_auc) || isnan(r->roc_auc)) {
		snprintf(c->why, sizeof c->why, "rule scorer: the %zu held-out reviews lack "
						"positive or negative ones to compare on",
			 held_count);
	} else if (l->roc_auc > r->roc_auc && l->accuracy >= r->accuracy) {
		c->use_learned = 1;
		snprintf(c->why, sizeof c->why, "learned model: on %zu held-out reviews its ROC AUC "
						"%.3f beats the rules' %.3f (accuracy %.3f vs %.3f)",
			 held_count, l->roc_auc, r->roc_auc, l->accuracy, r->accuracy);
	} else {
		snprintf(c->why, sizeof c->why, "rule scorer: on %zu held-out reviews the learned "
						"model's ROC AUC %.3f and accuracy %.3f do not beat "
						"the rules' %.3f and %.3f",
			 held_count, l->roc_auc, l->accuracy, r->roc_auc, r->accuracy);
	}
done:
	text_classifier_free(model);
	free(train);
	free(held);
}

static int write_scores(sqlite3 *db, const struct review_list *list, int use_learned,
			struct error *err)
{
	if (db_exec(db, "DELETE FROM review_sentiment", err) < 0)
		return ERR_SYSTEM;
	struct batch_insert *b = xmalloc(sizeof *b);
	if (batch_insert_open(b, db, "review_sentiment",
			      "review_id, compound, label, scorer, rules_compound,"
			      " learned_probability", err) < 0) {
		free(b);
		return ERR_SYSTEM;
	}
	int rc = 0;
	for (size_t i = 0; i < list->count && rc == 0; i++) {
		const struct shop_review *r = &list->items[i];
		const char *scorer = r->blank ? "none" : use_learned ? "learned" : "rules";
		double compound = r->blank ? 0 : use_learned ? 2 * r->learned - 1 : r->rules;
		const char *label = sentiment_label_name(sentiment_label_of(compound));
		batch_insert_text(b, r->id, strlen(r->id));
		batch_insert_double(b, compound);
		batch_insert_text(b, label, strlen(label));
		batch_insert_text(b, scorer, strlen(scorer));
		batch_insert_double(b, r->rules);
		if (isnan(r->learned))
			batch_insert_null(b);
		else
			batch_insert_double(b, r->learned);
		rc = batch_insert_row(b, err);
	}
	if (rc == 0)
		rc = batch_insert_flush(b, err);
	batch_insert_close(b);
	free(b);
	return rc;
}

/* ---- figures ---- */

static int put_metric(sqlite3 *db, const char *model, const char *metric, double value,
		      const char *detail, struct error *err)
{
	sqlite3_stmt *stmt;
	if (db_prepare(db, "INSERT OR REPLACE INTO model_metrics (model, metric, value, detail)"
			   " VALUES (?, ?, ?, ?)",
		       &stmt, err) < 0)
		return ERR_SYSTEM;
	sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, metric, -1, SQLITE_STATIC);
	if (isnan(value))
		sqlite3_bind_null(stmt, 3);
	else
		sqlite3_bind_double(stmt, 3, value);
	sqlite3_bind_text(stmt, 4, detail, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : db_fail(db, err, "writing model_metrics");
	sqlite3_finalize(stmt);
	return rc;
}

/* Stores the ROC curve of a scorer against the stars: the rule scorer's over every rated
 * review, the learned model's over the held-out ones only. */
static int put_roc_curve(sqlite3 *db, const char *model, const struct review_list *list,
			 int learned, struct error *err)
{
	double *scores = xmalloc((list->count + 1) * sizeof *scores);
	int *labels = xmalloc((list->count + 1) * sizeof *labels);
	size_t n = 0, points = 0;
	for (size_t i = 0; i < list->count; i++) {
		const struct shop_review *r = &list->items[i];
		if (!is_rated(r) ||
		    (learned && !text_classifier_is_held_out(r->text, r->len,
							     SENTIMENT_HELD_OUT_PERCENT)))
			continue;
		scores[n] = learned ? r->learned : r->rules;
		labels[n++] = r->rating >= 4;
	}
	struct roc_point *curve = metrics_roc_curve(scores, labels, n, ROC_MAX_POINTS, &points);
	sqlite3_stmt *stmt = NULL;
	int rc = db_prepare(db, "INSERT INTO model_curves (model, curve, seq, x, y) VALUES"
				" (?, 'roc', ?, ?, ?)",
			    &stmt, err);
	for (size_t i = 0; i < points && rc == 0; i++) {
		sqlite3_bind_text(stmt, 1, model, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, (int64_t)i);
		sqlite3_bind_double(stmt, 3, curve[i].false_positive_rate);
		sqlite3_bind_double(stmt, 4, curve[i].true_positive_rate);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			rc = db_fail(db, err, "writing model_curves");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	free(curve);
	free(scores);
	free(labels);
	return rc;
}

static int write_figures(sqlite3 *db, const struct review_list *list,
			 const struct comparison *c, struct error *err)
{
	static const char clear[] =
		"DELETE FROM model_metrics WHERE model IN"
		" ('sentiment', 'sentiment_rules', 'sentiment_learned');"
		"DELETE FROM model_curves WHERE model IN ('sentiment_rules', 'sentiment_learned');";
	char all[200], held[200];
	snprintf(all, sizeof all, "%zu rated reviews (4-5 stars positive, 1-2 negative; 3 stars "
				  "and blank ones left out); positive at compound >= %.2f",
		 c->rated, SENTIMENT_LABEL_THRESHOLD);
	snprintf(held, sizeof held, "%zu held-out rated reviews (%u%% by hash of the text), "
				    "trained on %zu",
		 c->learned_held.reviews, SENTIMENT_HELD_OUT_PERCENT, c->train_count);
	int rc = db_exec(db, clear, err);
	if (rc == 0)
		rc = put_metric(db, "sentiment_rules", "accuracy", c->rules.accuracy, all, err);
	if (rc == 0)
		rc = put_metric(db, "sentiment_rules", "roc_auc", c->rules.roc_auc, all, err);
	if (rc == 0)
		rc = put_metric(db, "sentiment_rules", "reviews", (double)c->rated, all, err);
	if (rc == 0 && c->rated > 0)
		rc = put_roc_curve(db, "sentiment_rules", list, 0, err);
	if (rc == 0 && c->trained) {
		rc = put_metric(db, "sentiment_rules", "accuracy_held_out", c->rules_held.accuracy,
				held, err);
		if (rc == 0)
			rc = put_metric(db, "sentiment_rules", "roc_auc_held_out",
					c->rules_held.roc_auc, held, err);
		if (rc == 0)
			rc = put_metric(db, "sentiment_learned", "accuracy",
					c->learned_held.accuracy, held, err);
		if (rc == 0)
			rc = put_metric(db, "sentiment_learned", "roc_auc", c->learned_held.roc_auc,
					held, err);
		if (rc == 0)
			rc = put_metric(db, "sentiment_learned", "reviews",
					(double)c->learned_held.reviews, held, err);
		if (rc == 0)
			rc = put_metric(db, "sentiment_learned", "train_reviews",
					(double)c->train_count, held, err);
		if (rc == 0)
			rc = put_roc_curve(db, "sentiment_learned", list, 1, err);
	}
	if (rc == 0)
		rc = put_metric(db, "sentiment", "learned_used", c->use_learned, c->why, err);
	return rc;
}

static void describe(const struct review_list *list, const struct comparison *c,
		     const struct sentiment_summary_counts *counts, struct buf *summary)
{
	size_t blank = 0;
	for (size_t i = 0; i < list->count; i++)
		blank += list->items[i].blank != 0;
	buf_printf(summary, "sentiment: %zu reviews (%zu without text), %zu rated 4-5 or 1-2 "
			    "stars\n",
		   list->count, blank, c->rated);
	if (c->rated > 0)
		buf_printf(summary, "sentiment: rule scorer on all %zu rated: accuracy %.3f, "
				    "ROC AUC %.3f\n",
			   c->rated, c->rules.accuracy, c->rules.roc_auc);
	if (c->trained)
		buf_printf(summary, "sentiment: learned model on %zu held out (trained on %zu): "
				    "accuracy %.3f, ROC AUC %.3f; rule scorer on the same: %.3f, "
				    "%.3f\n",
			   c->learned_held.reviews, c->train_count, c->learned_held.accuracy,
			   c->learned_held.roc_auc, c->rules_held.accuracy, c->rules_held.roc_auc);
	buf_printf(summary, "sentiment: scored by the %s\n", c->why);
	buf_printf(summary, "sentiment: summarised for %lld products, %lld categories and "
			    "%lld months; %lld recent negative reviews listed for action\n",
		   (long long)counts->products, (long long)counts->categories,
		   (long long)counts->months, (long long)counts->for_action);
}

int model_sentiment(sqlite3 *db, const struct model_options *opt, struct buf *summary,
		    struct error *err)
{
	struct sentiment_lexicon *lexicon = NULL;
	struct review_list list = {NULL, 0, 0};
	struct comparison c;
	memset(&c, 0, sizeof c);
	int rc = sentiment_lexicon_load(opt->lexicon_path ? opt->lexicon_path
							  : "data/vader_lexicon.txt",
					&lexicon, err);
	if (rc < 0)
		return rc;
	if ((rc = load_reviews(db, &list, err)) < 0)
		goto done;
	for (size_t i = 0; i < list.count; i++) {
		struct sentiment_score s;
		sentiment_score_text(lexicon, list.items[i].text, list.items[i].len, &s);
		list.items[i].rules = s.compound;
	}
	measure_rules(&list, &c);
	if (c.rated >= SENTIMENT_MIN_RATED)
		train_and_compare(&list, opt->seed, &c);
	else
		snprintf(c.why, sizeof c.why, "rule scorer: %zu rated reviews, the learned model "
					      "needs %d",
			 c.rated, SENTIMENT_MIN_RATED);
	struct sentiment_summary_counts counts;
	if ((rc = db_exec(db, "BEGIN IMMEDIATE", err)) < 0)
		goto done;
	rc = write_scores(db, &list, c.use_learned, err);
	if (rc == 0)
		rc = write_figures(db, &list, &c, err);
	if (rc == 0)
		rc = sentiment_summarise(db, &counts, err);
	if (rc == 0)
		rc = db_exec(db, "COMMIT", err);
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	else
		describe(&list, &c, &counts, summary);
done:
	review_list_free(&list);
	sentiment_lexicon_free(lexicon);
	return rc;
}
