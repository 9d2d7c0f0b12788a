/* bench_time.h - what the benchmarks of bench/ time with: the CPU time of
 * the calling thread (other load on a shared machine counts less against
 * it than against the wall clock) and the median of a few runs, as many as
 * HORCH_BENCH_RUNS says. */
#ifndef HORCH_BENCH_TIME_H
#define HORCH_BENCH_TIME_H

#include <stdlib.h>
#include <time.h>

/* CPU time of the calling thread, in ns. */
static inline long long bench_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int bench_cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v). */
static inline long long bench_median(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bench_cmp_ll);
	return v[n / 2];
}

/* The number of runs a benchmark takes the median of: HORCH_BENCH_RUNS,
 * else dflt, kept within 1..max. */
static inline int bench_runs(int dflt, int max)
{
	const char *env = getenv("HORCH_BENCH_RUNS");
	int runs = env ? atoi(env) : dflt;

	return runs < 1 ? 1 : runs > max ? max : runs;
}

#endif
