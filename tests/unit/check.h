/* check: the tiny test harness of the unit tests.
 *
 * A test file defines `static void test_<story>(void)` functions using CHECK* macros
 * and a main() that calls RUN(test_<story>) for each, then returns check_summary().
 * Each test prints "ok" or "FAIL" with the failing file:line; the summary line is
 * "N passed, N failed", which tests/run.sh adds up. */
#ifndef CARTOGRAPH_CHECK_H
#define CARTOGRAPH_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed, check_current_failed;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			check_current_failed = 1;                                        \
		}                                                                        \
	} while (0)

#define CHECK_INT(got, want)                                                             \
	do {                                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want);                 \
		if (g_ != w_) {                                                          \
			printf("    %s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__,     \
			       #got, g_, w_);                                            \
			check_current_failed = 1;                                        \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                             \
	do {                                                                             \
		const char *g_ = (got), *w_ = (want);                                    \
		if (!g_ || strcmp(g_, w_) != 0) {                                        \
			printf("    %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__,           \
			       __LINE__, #got, g_ ? g_ : "(null)", w_);                  \
			check_current_failed = 1;                                        \
		}                                                                        \
	} while (0)

#define CHECK_NEAR(got, want, tol)                                                       \
	do {                                                                             \
		double g_ = (got), w_ = (want);                                          \
		if (!(fabs(g_ - w_) <= (tol))) {                                         \
			printf("    %s:%d: %s is %.9g, want %.9g (within %g)\n", __FILE__,   \
			       __LINE__, #got, g_, w_, (double)(tol));                   \
			check_current_failed = 1;                                        \
		}                                                                        \
	} while (0)

#define RUN(test)                                                                        \
	do {                                                                             \
		check_current_failed = 0;                                                \
		test();                                                                  \
		if (check_current_failed) {                                              \
			check_failed++;                                                  \
			printf("FAIL %s\n", #test);                                      \
		} else {                                                                 \
			check_passed++;                                                  \
			printf("ok   %s\n", #test);                                      \
		}                                                                        \
		fflush(stdout);                                                          \
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
