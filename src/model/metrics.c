/* metrics: rank metrics (ROC-AUC, ROC curve, average precision) over scores sorted once
 * with ties grouped, probability metrics (Brier, log loss, calibration, accuracy), and
 * hit rate / recall at K for recommendations. */
#include "model/metrics.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/linalg.h"
#include "util/xalloc.h"

/* Scores sorted ascending, with the label of each row, walked in groups of equal score. */
struct ranked_scores {
	struct sort_entry *entries; /* n entries, ascending by score */
	const int *label;
	size_t n;
	size_t positives, negatives;
};

static void rank_scores(struct ranked_scores *rs, const double *score, const int *label,
			size_t n)
{
	rs->entries = xmalloc((n ? n : 1) * sizeof *rs->entries);
	rs->label = label;
	rs->n = n;
	rs->positives = 0;
	for (size_t i = 0; i < n; i++) {
		rs->entries[i] = (struct sort_entry){score[i], 0, i};
		rs->positives += label[i] == 1;
	}
	rs->negatives = n - rs->positives;
	sort_entries(rs->entries, n);
}

/* Counts positives and negatives in the group of equal scores that ends just before
 * position end (walking down from the top); returns where the group starts. */
static size_t group_below(const struct ranked_scores *rs, size_t end, size_t *pos,
			  size_t *neg)
{
	assert(end > 0);
	double value = rs->entries[end - 1].value;
	size_t start = end;
	*pos = *neg = 0;
	while (start > 0 && (start == end || rs->entries[start - 1].value == value)) {
		start--;
		if (rs->label[rs->entries[start].index] == 1)
			(*pos)++;
		else
			(*neg)++;
	}
	return start;
}

double metrics_roc_auc(const double *score, const int *label, size_t n)
{
	struct ranked_scores rs;
	rank_scores(&rs, score, label, n);
	double auc = NAN;
	if (rs.positives && rs.negatives) {
		/* Walking down from the top: each positive beats every negative below its
		 * group and ties half of the negatives within it. */
		double wins = 0.0, negatives_above = 0.0;
		for (size_t end = n; end > 0;) {
			size_t pos, neg;
			end = group_below(&rs, end, &pos, &neg);
			double below = (double)rs.negatives - negatives_above - (double)neg;
			wins += (double)pos * (below + 0.5 * (double)neg);
			negatives_above += (double)neg;
		}
		auc = wins / ((double)rs.positives * (double)rs.negatives);
	}
	free(rs.entries);
	return auc;
}

double metrics_average_precision(const double *score, const int *label, size_t n)
{
	struct ranked_scores rs;
	rank_scores(&rs, score, label, n);
	double ap = NAN;
	if (rs.positives) {
		double tp = 0.0, fp = 0.0, sum = 0.0;
		for (size_t end = n; end > 0;) {
			size_t pos, neg;
			end = group_below(&rs, end, &pos, &neg);
			tp += (double)pos;
			fp += (double)neg;
			/* Recall rises by pos / P at precision tp / (tp + fp). */
			sum += (double)pos * tp / (tp + fp);
		}
		ap = sum / (double)rs.positives;
	}
	free(rs.entries);
	return ap;
}

/* Thins the full curve in place; returns the number of points kept. */
static size_t thin_curve(struct roc_point *pts, size_t count, size_t max_points)
{
	if (count <= max_points)
		return count;
	double min_step = 2.0 / (double)(max_points - 2);
	size_t kept = 1;
	for (size_t i = 1; i + 1 < count; i++) {
		const struct roc_point *last = &pts[kept - 1];
		double step = (pts[i].false_positive_rate - last->false_positive_rate) +
			      (pts[i].true_positive_rate - last->true_positive_rate);
		if (step >= min_step)
			pts[kept++] = pts[i];
	}
	pts[kept++] = pts[count - 1];
	assert(kept <= max_points);
	return kept;
}

struct roc_point *metrics_roc_curve(const double *score, const int *label, size_t n,
				    size_t max_points, size_t *count)
{
	assert(max_points >= 3);
	struct ranked_scores rs;
	rank_scores(&rs, score, label, n);
	struct roc_point *pts = NULL;
	*count = 0;
	if (!rs.positives || !rs.negatives)
		goto done;
	pts = xmalloc((n + 1) * sizeof *pts);
	pts[0] = (struct roc_point){0.0, 0.0, INFINITY};
	size_t m = 1;
	double tp = 0.0, fp = 0.0;
	for (size_t end = n; end > 0;) {
		size_t pos, neg;
		end = group_below(&rs, end, &pos, &neg);
		tp += (double)pos;
		fp += (double)neg;
		pts[m++] = (struct roc_point){fp / (double)rs.negatives,
					      tp / (double)rs.positives,
					      rs.entries[end].value};
	}
	*count = thin_curve(pts, m, max_points);
done:
	free(rs.entries);
	return pts;
}

double metrics_brier(const double *prob, const int *label, size_t n)
{
	if (!n)
		return NAN;
	double sum = 0.0;
	for (size_t i = 0; i < n; i++) {
		double d = prob[i] - label[i];
		sum += d * d;
	}
	return sum / (double)n;
}

double metrics_log_loss(const double *prob, const int *label, size_t n)
{
	if (!n)
		return NAN;
	const double eps = 1e-15;
	double sum = 0.0;
	for (size_t i = 0; i < n; i++) {
		double p = fmin(fmax(prob[i], eps), 1.0 - eps);
		sum -= label[i] == 1 ? log(p) : log1p(-p);
	}
	return sum / (double)n;
}

double metrics_accuracy(const double *prob, const int *label, size_t n, double threshold)
{
	if (!n)
		return NAN;
	size_t right = 0;
	for (size_t i = 0; i < n; i++)
		right += (prob[i] >= threshold) == (label[i] == 1);
	return (double)right / (double)n;
}

double metrics_base_rate(const int *label, size_t n)
{
	if (!n)
		return NAN;
	size_t positives = 0;
	for (size_t i = 0; i < n; i++)
		positives += label[i] == 1;
	return (double)positives / (double)n;
}

void metrics_calibration(const double *prob, const int *label, size_t n,
			 struct calibration_bin bins[CALIBRATION_BINS])
{
	memset(bins, 0, CALIBRATION_BINS * sizeof *bins);
	for (size_t i = 0; i < n; i++) {
		double scaled = prob[i] * CALIBRATION_BINS;
		int b = scaled >= CALIBRATION_BINS ? CALIBRATION_BINS - 1
			: scaled < 0.0 ? 0 : (int)scaled;
		bins[b].mean_predicted += prob[i];
		bins[b].observed_rate += label[i] == 1;
		bins[b].count++;
	}
	for (int b = 0; b < CALIBRATION_BINS; b++)
		if (bins[b].count) {
			bins[b].mean_predicted /= (double)bins[b].count;
			bins[b].observed_rate /= (double)bins[b].count;
		}
}

int metrics_binary(const double *prob, const int *label, size_t n, double threshold,
		   struct binary_metrics *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	if (!n)
		return error_set(err, ERR_INPUT, "model metrics: no rows to score");
	for (size_t i = 0; i < n; i++) {
		if (label[i] != 0 && label[i] != 1)
			return error_set(err, ERR_INPUT, "model metrics: row %zu: outcome %d is "
					 "not 0 or 1", i + 1, label[i]);
		if (!(prob[i] >= 0.0 && prob[i] <= 1.0))
			return error_set(err, ERR_INPUT, "model metrics: row %zu: probability "
					 "%g is not between 0 and 1", i + 1, prob[i]);
	}
	out->n = n;
	for (size_t i = 0; i < n; i++)
		out->positives += (size_t)label[i];
	out->base_rate = (double)out->positives / (double)n;
	out->roc_auc = metrics_roc_auc(prob, label, n);
	out->average_precision = metrics_average_precision(prob, label, n);
	out->brier = metrics_brier(prob, label, n);
	out->log_loss = metrics_log_loss(prob, label, n);
	out->threshold = threshold;
	out->accuracy = metrics_accuracy(prob, label, n, threshold);
	metrics_calibration(prob, label, n, out->calibration);
	return 0;
}

static int compare_ids(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return (a > b) - (a < b);
}

/* Sorts and de-duplicates one customer's purchases into set; returns their count. */
static size_t distinct_bought(const struct rec_outcome *u, int64_t *set)
{
	if (!u->n_bought)
		return 0;
	memcpy(set, u->bought, u->n_bought * sizeof *set);
	qsort(set, u->n_bought, sizeof *set, compare_ids);
	size_t m = 1;
	for (size_t i = 1; i < u->n_bought; i++)
		if (set[i] != set[m - 1])
			set[m++] = set[i];
	return m;
}

/* Distinct products among the first k recommendations that are in the sorted set. */
static size_t hits_in_top_k(const struct rec_outcome *u, size_t k, const int64_t *set,
			    size_t set_size)
{
	size_t top = u->n_recommended < k ? u->n_recommended : k, hits = 0;
	for (size_t i = 0; i < top; i++) {
		int64_t id = u->recommended[i];
		int repeated = 0;
		for (size_t j = 0; j < i && !repeated; j++)
			repeated = u->recommended[j] == id;
		if (!repeated && bsearch(&id, set, set_size, sizeof *set, compare_ids))
			hits++;
	}
	return hits;
}

/* Walks the customers who bought something; returns how many, and adds up the share of
 * hits (recall) or whether there was any hit (hit rate). */
static size_t score_recommendations(const struct rec_outcome *users, size_t n_users,
				    size_t k, int want_recall, double *sum)
{
	size_t largest = 1, counted = 0;
	for (size_t u = 0; u < n_users; u++)
		if (users[u].n_bought > largest)
			largest = users[u].n_bought;
	int64_t *set = xmalloc(largest * sizeof *set);
	*sum = 0.0;
	for (size_t u = 0; u < n_users; u++) {
		size_t m = distinct_bought(&users[u], set);
		if (!m)
			continue;
		size_t hits = hits_in_top_k(&users[u], k, set, m);
		*sum += want_recall ? (double)hits / (double)m : (hits > 0);
		counted++;
	}
	free(set);
	return counted;
}

double metrics_hit_rate_at_k(const struct rec_outcome *users, size_t n_users, size_t k)
{
	double sum;
	size_t counted = score_recommendations(users, n_users, k, 0, &sum);
	return counted ? sum / (double)counted : NAN;
}

double metrics_recall_at_k(const struct rec_outcome *users, size_t n_users, size_t k)
{
	double sum;
	size_t counted = score_recommendations(users, n_users, k, 1, &sum);
	return counted ? sum / (double)counted : NAN;
}
