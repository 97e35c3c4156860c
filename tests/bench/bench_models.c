/* Benchmark of the customer models on shop-sized data: logistic regression on
 * 100,000 × 10 features, k-means on 100,000 RFM points with k chosen from 3..8 by
 * silhouette, the BG/NBD fit on 100,000 customers, and the metrics of 100,000 scores.
 * Prints the median wall time of 5 runs of each. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/bgnbd.h"
#include "model/kmeans.h"
#include "model/logreg.h"
#include "model/metrics.h"
#include "util/rng.h"

#define RUNS 5
#define CUSTOMERS 100000

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, compare_doubles);
	return t[n / 2];
}

/* Churn features: ten measures with different units and a known log-odds. */
static void make_churn_data(double *x, int *y, size_t n, size_t p)
{
	struct rng rng;
	rng_seed(&rng, 1);
	for (size_t i = 0; i < n; i++) {
		double eta = -1.0;
		for (size_t j = 0; j < p; j++) {
			double v = (double)(j + 1) * rng_normal(&rng) + (double)j;
			x[i * p + j] = v;
			eta += (j % 2 ? 0.3 : -0.2) * (v - (double)j) / (double)(j + 1);
		}
		y[i] = rng_uniform(&rng) < 1.0 / (1.0 + exp(-eta));
	}
}

static void bench_logreg(void)
{
	const size_t p = 10;
	double *x = malloc(CUSTOMERS * p * sizeof *x), t[RUNS];
	int *y = malloc(CUSTOMERS * sizeof *y);
	make_churn_data(x, y, CUSTOMERS, p);
	struct logreg_model m = {0};
	for (int run = 0; run < RUNS; run++) {
		logreg_model_free(&m);
		double start = now_seconds();
		if (logreg_fit(x, y, CUSTOMERS, p, NULL, &m, NULL) != 0)
			abort();
		t[run] = now_seconds() - start;
	}
	printf("logreg fit, %d x %zu: %.3f s (%d Newton steps, converged %d)\n", CUSTOMERS, p,
	       median_of(t, RUNS), m.iterations, m.converged);

	double *prob = malloc(CUSTOMERS * sizeof *prob);
	logreg_predict_rows(&m, x, CUSTOMERS, prob);
	struct binary_metrics bm;
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		size_t count;
		metrics_binary(prob, y, CUSTOMERS, 0.5, &bm, NULL);
		free(metrics_roc_curve(prob, y, CUSTOMERS, ROC_MAX_POINTS, &count));
		t[run] = now_seconds() - start;
	}
	printf("metrics + ROC curve, %d scores: %.3f s (AUC %.3f)\n", CUSTOMERS,
	       median_of(t, RUNS), bm.roc_auc);
	logreg_model_free(&m);
	free(prob);
	free(x);
	free(y);
}

/* Recency (days), frequency (orders) and monetary (spend) of shop-like customers:
 * long-tailed, with frequent buyers more recent and spending more. */
static void make_rfm(double *raw, size_t n)
{
	struct rng rng;
	rng_seed(&rng, 2);
	for (size_t i = 0; i < n; i++) {
		double orders = 1.0 + floor(rng_exponential(&rng, rng_uniform(&rng) < 0.6 ? 0.7 : 6.0));
		raw[i * 3] = floor(rng_exponential(&rng, 400.0 / orders));
		raw[i * 3 + 1] = orders;
		raw[i * 3 + 2] = orders * exp(3.5 + 0.7 * rng_normal(&rng));
	}
}

static void bench_kmeans(void)
{
	double *raw = malloc(CUSTOMERS * 3 * sizeof *raw), t[RUNS];
	double *points = malloc(CUSTOMERS * 3 * sizeof *points), silhouette[6];
	make_rfm(raw, CUSTOMERS);
	struct rfm_scaling scaling;
	rfm_scaling_fit(&scaling, raw, CUSTOMERS, 3);
	rfm_scaling_apply(&scaling, raw, CUSTOMERS, points);
	struct kmeans_result best = {0};
	for (int run = 0; run < RUNS; run++) {
		kmeans_result_free(&best);
		double start = now_seconds();
		if (kmeans_choose_k(points, CUSTOMERS, 3, 3, 8, NULL, &best, silhouette, NULL,
				    NULL) != 0)
			abort();
		t[run] = now_seconds() - start;
	}
	printf("kmeans, %d x 3, k from 3..8 (4 restarts each): %.3f s (k = %d, silhouettes",
	       CUSTOMERS, median_of(t, RUNS), best.k);
	for (int k = 3; k <= 8; k++)
		printf(" %.3f", silhouette[k - 3]);
	printf(")\n");
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		silhouette[0] = kmeans_silhouette(points, CUSTOMERS, 3, best.assignment, best.k, 1);
		t[run] = now_seconds() - start;
	}
	printf("silhouette alone, %d points (sampled): %.4f s\n", CUSTOMERS, median_of(t, RUNS));
	kmeans_result_free(&best);
	rfm_scaling_free(&scaling);
	free(raw);
	free(points);
}

static void bench_bgnbd(void)
{
	const struct bgnbd_params truth = {0.243, 4.414, 0.793, 2.426};
	double *age = malloc(CUSTOMERS * sizeof *age), t[RUNS];
	struct bgnbd_customer *c = malloc(CUSTOMERS * sizeof *c);
	for (size_t i = 0; i < CUSTOMERS; i++)
		age[i] = 1.0 + (double)(i % 78); /* weeks, cohorts over a year and a half */
	bgnbd_simulate(&truth, age, CUSTOMERS, 3, 0.0, c, NULL);
	struct bgnbd_fit fit;
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		if (bgnbd_fit(c, CUSTOMERS, &fit, NULL) != 0)
			abort();
		t[run] = now_seconds() - start;
	}
	printf("BG/NBD fit, %d customers: %.3f s (%d evaluations; r %.3f alpha %.3f a %.3f "
	       "b %.3f)\n", CUSTOMERS, median_of(t, RUNS), fit.evaluations, fit.params.r,
	       fit.params.alpha, fit.params.a, fit.params.b);
	double sum = 0.0;
	for (int run = 0; run < RUNS; run++) {
		double start = now_seconds();
		sum = 0.0;
		for (size_t i = 0; i < CUSTOMERS; i++)
			sum += bgnbd_expected_purchases(&fit.params, &c[i], 52.0);
		t[run] = now_seconds() - start;
	}
	printf("BG/NBD expected purchases in 52 weeks, %d customers: %.3f s (mean %.3f)\n",
	       CUSTOMERS, median_of(t, RUNS), sum / CUSTOMERS);
	free(age);
	free(c);
}

int main(void)
{
	bench_logreg();
	bench_kmeans();
	bench_bgnbd();
	return 0;
}
