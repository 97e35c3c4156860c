/* progress: a one-line progress bar on stderr, shown only when stderr is a terminal
 * (and not with -q), redrawn at most ten times a second. */
#ifndef CARTOGRAPH_PROGRESS_H
#define CARTOGRAPH_PROGRESS_H

#include <stdint.h>

struct progress {
	int enabled;           /* drawing at all */
	const char *label;     /* what is being done, e.g. the file name */
	uint64_t total;        /* units of the whole job (bytes); 0 if unknown */
	double last_draw;      /* monotonic seconds of the last redraw */
	double started;        /* monotonic seconds at start */
};

/* Starts a bar; enabled only if want is set and stderr is a terminal. */
void progress_start(struct progress *p, int want, const char *label, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Erases the bar line. */
void progress_finish(struct progress *p);
/* Seconds on a monotonic clock, for timing work. */
double monotonic_seconds(void);
/* Processor seconds the calling thread has used so far. */
double thread_cpu_seconds(void);

#endif
