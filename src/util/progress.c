/* progress: the terminal progress bar and the monotonic clock it runs on. */
#include "util/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double seconds_on(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double monotonic_seconds(void)
{
	return seconds_on(CLOCK_MONOTONIC);
}

double thread_cpu_seconds(void)
{
	return seconds_on(CLOCK_THREAD_CPUTIME_ID);
}

void progress_start(struct progress *p, int want, const char *label, uint64_t total)
{
	p->enabled = want && isatty(STDERR_FILENO);
	p->label = label;
	p->total = total;
	p->started = p->last_draw = monotonic_seconds();
}

void progress_update(struct progress *p, uint64_t done)
{
	if (!p->enabled)
		return;
	double now = monotonic_seconds();
	if (now - p->last_draw < 0.1)
		return;
	p->last_draw = now;
	if (p->total) {
		double frac = (double)done / (double)p->total;
		if (frac > 1)
			frac = 1;
		int filled = (int)(frac * 30);
		char bar[31];
		for (int i = 0; i < 30; i++)
			bar[i] = i < filled ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, "\r%.40s [%s] %3.0f%% %.1fs", p->label, bar, frac * 100,
			now - p->started);
	} else
		fprintf(stderr, "\r%.40s %.1f MB %.1fs", p->label, (double)done / 1e6,
			now - p->started);
	fflush(stderr);
}

void progress_finish(struct progress *p)
{
	if (p->enabled)
		fputs("\r\033[K", stderr);
	p->enabled = 0;
}
