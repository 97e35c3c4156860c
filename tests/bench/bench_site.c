/* Benchmark of the site writer on a catalog-sized site: 3,000 pages of 8 KiB and 300
 * charts of 32 KiB (about 33 MB). Prints the median of 5 runs for a first build into
 * an empty folder (every file written and flushed), a rebuild with nothing changed
 * (every file compared, none written) and a rebuild with one page changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/site.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/xalloc.h"

#define PAGES 3000
#define PAGE_BYTES 8192
#define CHARTS 300
#define CHART_BYTES 32768
#define RUNS 5

/* The files of one build: pages then charts, each with its name. */
struct fixture {
	char *names[PAGES + CHARTS]; /* page paths, then chart stems */
	char *bytes[PAGES + CHARTS]; /* contents */
};

static char *random_bytes(struct rng *r, size_t n)
{
	char *b = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (char)('a' + rng_below(r, 26));
	return b;
}

static void make_fixture(struct fixture *f)
{
	struct rng r;
	rng_seed(&r, 42);
	for (int i = 0; i < PAGES + CHARTS; i++) {
		struct buf name = BUF_INIT;
		if (i < PAGES)
			buf_printf(&name, "products/%d/product-%d.html", i % 30, i);
		else
			buf_printf(&name, "charts/chart-%d", i - PAGES);
		f->names[i] = buf_detach(&name);
		f->bytes[i] = random_bytes(&r, i < PAGES ? PAGE_BYTES : CHART_BYTES);
	}
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One build; returns its wall time in seconds, or -1 on failure. */
static double build(const char *out, const struct fixture *f, struct site_counts *counts)
{
	struct site *site = NULL;
	struct error err;
	const char *href;
	double start = now();
	int rc = site_open(out, &site, &err);
	for (int i = 0; rc == 0 && i < PAGES + CHARTS; i++) {
		if (i < PAGES)
			rc = site_add_page(site, f->names[i], f->bytes[i], PAGE_BYTES, &err);
		else
			rc = site_add_asset(site, f->names[i], ".png", f->bytes[i], CHART_BYTES, &href,
					    &err);
	}
	if (rc == 0)
		rc = site_finish(site, &err);
	if (rc == 0)
		*counts = *site_counts(site);
	else
		fprintf(stderr, "bench_site: %s\n", err.msg);
	site_close(site);
	return rc == 0 ? now() - start : -1;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *label, double times[RUNS], const struct site_counts *c)
{
	qsort(times, RUNS, sizeof times[0], compare_doubles);
	double t = times[RUNS / 2];
	printf("%-34s %8.3f s  %7.0f files/s  (%lld written, %lld unchanged)\n", label, t,
	       (PAGES + CHARTS) / t, c->written, c->unchanged);
}

static void remove_tree(const char *path)
{
	struct buf cmd = BUF_INIT;
	buf_printf(&cmd, "rm -rf '%s'", path);
	if (system(cmd.data) != 0)
		fprintf(stderr, "bench_site: could not remove %s\n", path);
	buf_free(&cmd);
}

int main(void)
{
	static struct fixture f;
	char out[] = "/tmp/cartograph-bench-site-XXXXXX";
	double first[RUNS], same[RUNS], one[RUNS];
	struct site_counts counts = {0};
	make_fixture(&f);
	if (!mkdtemp(out))
		return 1;
	printf("site of %d pages of %d bytes and %d charts of %d bytes, median of %d runs\n",
	       PAGES, PAGE_BYTES, CHARTS, CHART_BYTES, RUNS);
	for (int run = 0; run < RUNS; run++) {
		remove_tree(out);
		first[run] = build(out, &f, &counts);
	}
	report("first build (all written)", first, &counts);
	for (int run = 0; run < RUNS; run++)
		same[run] = build(out, &f, &counts);
	report("rebuild, nothing changed", same, &counts);
	for (int run = 0; run < RUNS; run++) {
		f.bytes[0][0] = (char)('A' + run); /* a different first page each time */
		one[run] = build(out, &f, &counts);
	}
	report("rebuild, one page changed", one, &counts);
	remove_tree(out);
	for (int i = 0; i < PAGES + CHARTS; i++) {
		free(f.names[i]);
		free(f.bytes[i]);
	}
	return 0;
}
