/* bench_gen: how fast the synthetic shop writes its data set. Runs gen_shop for 100k and
 * 1M order lines, three times each, into a temporary folder under /tmp, and prints the
 * median wall time, the rows per second and the peak resident memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gen/gen.h"
#include "util/buf.h"

enum { RUNS = 3 };

static const char *const file_names[] = {"orders.csv", "products.csv", "customers.csv",
					 "reviews.csv", "events.csv"};
enum { FILES = sizeof file_names / sizeof file_names[0] };

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static long long folder_bytes(const char *dir)
{
	long long total = 0;
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < FILES; i++) {
		struct stat st;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, file_names[i]);
		if (stat(path.data, &st) == 0)
			total += st.st_size;
	}
	buf_free(&path);
	return total;
}

static void remove_files(const char *dir)
{
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < FILES; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, file_names[i]);
		remove(path.data);
	}
	buf_free(&path);
}

int main(void)
{
	static const unsigned long long sizes[] = {100000, 1000000};
	char dir[] = "/tmp/cartograph-bench-gen-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		double took[RUNS];
		long long bytes = 0;
		for (int run = 0; run < RUNS; run++) {
			struct gen_options opt = {sizes[s], 42, dir, 0, NULL, NULL};
			struct error err;
			double start = seconds_now();
			if (gen_shop(&opt, NULL, &err) != 0) {
				fprintf(stderr, "bench_gen: %s\n", err.msg);
				remove_files(dir);
				rmdir(dir);
				return 1;
			}
			took[run] = seconds_now() - start;
			bytes = folder_bytes(dir);
			remove_files(dir);
		}
		qsort(took, RUNS, sizeof took[0], by_value);
		printf("gen %8llu order lines: median %.3f s (%.2f M lines/s), %.1f MB of CSV\n",
		       sizes[s], took[RUNS / 2], (double)sizes[s] / took[RUNS / 2] / 1e6,
		       (double)bytes / 1e6);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("gen peak resident memory: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
	rmdir(dir);
	return 0;
}
