/* bench_rng.h - the random numbers of the benchmarks of bench/ that make
 * their own input: xorshift64 with a fixed seed, so that every run of a
 * benchmark draws the same stream (each file that includes this header has
 * a stream of its own). */
#ifndef HORCH_BENCH_RNG_H
#define HORCH_BENCH_RNG_H

#include <stdint.h>

static uint64_t bench_rng_state = 0x9e3779b97f4a7c15ull;

/* The next number of this file's stream. */
static inline uint64_t bench_rng(void)
{
	bench_rng_state ^= bench_rng_state << 13;
	bench_rng_state ^= bench_rng_state >> 7;
	bench_rng_state ^= bench_rng_state << 17;
	return bench_rng_state;
}

#endif
