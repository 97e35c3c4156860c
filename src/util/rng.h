/* rng: a small deterministic pseudo-random generator (xoshiro256**, seeded through
 * splitmix64). Every random choice in Cartograph (synthetic data, k-means++ seeding,
 * train/test splits) goes through it, so the same seed always gives the same output
 * on every machine. Not for secrets: session ids use getrandom(2). */
#ifndef CARTOGRAPH_RNG_H
#define CARTOGRAPH_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4]; /* generator state; never all zero */
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* A uniform double in [0, 1). */
double rng_uniform(struct rng *r);
/* A uniform integer in [0, n); n must be positive. Unbiased. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* A standard normal deviate (mean 0, sd 1). */
double rng_normal(struct rng *r);
/* An exponential deviate with the given mean. */
double rng_exponential(struct rng *r, double mean);

#endif
