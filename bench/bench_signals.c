/* bench_signals.c - what the signal engine of horch serve pays per tick:
 * updating every topic's detectors with one interval, for 100,000 topics
 * (HORCH_BENCH_TOPICS), and turning stored posts into buckets.
 *
 *   detectors     one spike_update() and one shift_update() per topic: the
 *                 work of one closed interval of the engine (close_interval()
 *                 in src/alert/engine.c), with counts drawn from a
 *                 heavy-tailed mix of quiet and busy topics (most intervals
 *                 of most topics are 0, as in a real deployment)
 *   naive         the straightforward detector beside it: keep each topic's
 *                 last 288 intervals (a day of 5 minutes) and compute their
 *                 mean and standard deviation again every interval to take
 *                 the z-score of the new count
 *   buckets       store_signals_update() on a store of HORCH_BENCH_POSTS
 *                 posts (default 100,000) each matching 1-3 of 1,000
 *                 topics: posts turned into minute, hour and day buckets
 *                 per second
 *
 * Prints `name  per-tick-ms  ns/topic` (or posts/s) and the ratio of the
 * naive detector to horch's, each the median of HORCH_BENCH_RUNS runs
 * (default 5), CPU time of this thread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_rng.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/log.h"
#include "core/post.h"
#include "signal/signal.h"
#include "store/store.h"

#define STEP_MS (5 * 60 * 1000LL)
#define WINDOW 288
#define T0 1767225600000LL

/* A count for topic i at interval k: topic i's mean is heavy-tailed
 * (most topics see a post an hour, a few hundreds), Poisson-ish noise by
 * the sum of uniforms. */
static double draw(const double *mean, size_t i)
{
	double m = mean[i], u = (double)(bench_rng() >> 11) / 9007199254740992.0;

	if (m < 1)
		return u < m ? 1 : 0;
	return floor(m + (u - 0.5) * 2 * sqrt(m) + 0.5);
}

static double seconds(long long ns)
{
	return (double)ns / 1e9;
}

static void bench_detectors(size_t n, int runs)
{
	struct spike **sp = horch_xcalloc(n, sizeof *sp);
	struct shift **sh = horch_xcalloc(n, sizeof *sh);
	float *win = horch_xcalloc(n * WINDOW, sizeof *win);
	double *mean = horch_xcalloc(n, sizeof *mean), *counts = horch_xcalloc(n, sizeof *counts);
	long long *t_horch = horch_xcalloc((size_t)runs, sizeof *t_horch);
	long long *t_naive = horch_xcalloc((size_t)runs, sizeof *t_naive);
	int64_t t = T0;
	double sink = 0;
	int warm = 12 * 24;  /* a day of intervals before timing */

	for (size_t i = 0; i < n; i++) {
		double u = (double)(bench_rng() >> 11) / 9007199254740992.0;

		mean[i] = 0.08 * pow(10, 3 * u * u * u);  /* 0.08 .. 80 posts per interval */
		sp[i] = spike_new(NULL);
		sh[i] = shift_new(NULL);
	}
	for (int k = 0; k < warm + runs; k++, t += STEP_MS) {
		long long a, b;
		size_t slot = (size_t)k % WINDOW;

		for (size_t i = 0; i < n; i++)
			counts[i] = draw(mean, i);
		a = bench_cpu_ns();
		for (size_t i = 0; i < n; i++) {
			struct shift_score s;

			sink += spike_update(sp[i], t, counts[i]);
			s = shift_update(sh[i], t, counts[i] * 0.3, counts[i] * 0.1, counts[i] * 0.6);
			sink += s.z;
		}
		b = bench_cpu_ns();
		if (k >= warm)
			t_horch[k - warm] = b - a;
		/* The naive detector: mean and deviation of the window again. */
		a = bench_cpu_ns();
		for (size_t i = 0; i < n; i++) {
			const float *w = win + i * WINDOW;
			size_t have = (size_t)k < WINDOW ? (size_t)k : WINDOW;
			double sum = 0, ss = 0, m, sd;

			for (size_t j = 0; j < have; j++)
				sum += w[j];
			m = have ? sum / (double)have : 0;
			for (size_t j = 0; j < have; j++)
				ss += (w[j] - m) * (w[j] - m);
			sd = have ? sqrt(ss / (double)have) : 0;
			sink += sd > 0 ? (counts[i] - m) / sd : 0;
			win[i * WINDOW + slot] = (float)counts[i];
		}
		b = bench_cpu_ns();
		if (k >= warm)
			t_naive[k - warm] = b - a;
	}
	{
		long long h = bench_median(t_horch, runs), nv = bench_median(t_naive, runs);

		printf("detectors  %zu topics  %8.2f ms/tick  %7.1f ns/topic  (spike + shift)\n", n,
		       seconds(h) * 1e3, (double)h / (double)n);
		printf("naive      %zu topics  %8.2f ms/tick  %7.1f ns/topic  (z over the last %d "
		       "intervals)\n", n, seconds(nv) * 1e3, (double)nv / (double)n, WINDOW);
		printf("naive/horch  %.1fx;  memory: horch %zu B/topic, naive %zu B/topic  (sink %g)\n",
		       (double)nv / (double)h, (size_t)(376 + 120), (size_t)WINDOW * sizeof(float),
		       sink > 0 ? 1.0 : 0.0);
	}
	for (size_t i = 0; i < n; i++) {
		spike_free(sp[i]);
		shift_free(sh[i]);
	}
	free(sp);
	free(sh);
	free(win);
	free(mean);
	free(counts);
	free(t_horch);
	free(t_naive);
}

static void bench_buckets(size_t n_posts, int runs)
{
	long long *dt = horch_xcalloc((size_t)runs, sizeof *dt);
	struct horch_err err;
	char path[256];

	for (int r = 0; r < runs; r++) {
		struct store *st = NULL;
		struct store_signals_done done;
		struct store_signals_opts o = { .max_posts = n_posts };
		struct post **batch = horch_xcalloc(2000, sizeof *batch);
		struct store_match *m = horch_xcalloc(2000 * 3, sizeof *m);
		long long a;

		snprintf(path, sizeof path, "%s/horch-bench-signals-%d-%d.db",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), r);
		unlink(path);
		if (store_open(&st, path, NULL, &err)) {
			fprintf(stderr, "bench_signals: %s\n", err.msg);
			exit(1);
		}
		for (int k = 1; k <= 1000; k++) {
			struct store_topic tp;
			char name[32];

			memset(&tp, 0, sizeof tp);
			snprintf(name, sizeof name, "topic%d", k);
			tp.name = name;
			tp.query = name;
			tp.matched_to = STORE_HISTORY_DONE;
			store_topic_add(st, &tp, &err);
		}
		for (size_t done_posts = 0; done_posts < n_posts;) {
			size_t nb = n_posts - done_posts < 2000 ? n_posts - done_posts : 2000, n_m = 0;
			char ext[32], au[32];

			for (size_t i = 0; i < nb; i++) {
				struct post *p = post_new();
				int nt = 1 + (int)(bench_rng() % 3);

				snprintf(ext, sizeof ext, "%zu", done_posts + i);
				snprintf(au, sizeof au, "a%u", (unsigned)(bench_rng() % 50000));
				p->source = horch_xstrdup("twitter");
				p->external_id = horch_xstrdup(ext);
				p->author = horch_xstrdup(au);
				p->author_followers = (int64_t)(bench_rng() % 5000);
				p->created_at = T0 + (int64_t)(done_posts + i) * 6000;
				p->fetched_at = p->created_at;
				p->text = horch_xstrdup("a post");
				p->analysed = 1;
				p->sentiment_label = (uint8_t)(1 + bench_rng() % 3);
				p->intent = (uint8_t)(1 + bench_rng() % 6);
				batch[i] = p;
				for (int k = 0; k < nt; k++) {
					m[n_m].topic = 1 + (int64_t)(bench_rng() % 1000);
					m[n_m].post = (int64_t)i;
					m[n_m].spans = NULL;
					n_m++;
				}
			}
			if (store_put_posts_matched(st, batch, nb, NULL, m, n_m, &err)) {
				fprintf(stderr, "bench_signals: %s\n", err.msg);
				exit(1);
			}
			for (size_t i = 0; i < nb; i++)
				post_free(batch[i]);
			done_posts += nb;
		}
		a = bench_cpu_ns();
		if (store_signals_update(st, &o, &done, &err)) {
			fprintf(stderr, "bench_signals: %s\n", err.msg);
			exit(1);
		}
		dt[r] = bench_cpu_ns() - a;
		store_close(st);
		unlink(path);
		snprintf(path + strlen(path), 8, "-wal");
		unlink(path);
		path[strlen(path) - 4] = 0;
		snprintf(path + strlen(path), 8, "-shm");
		unlink(path);
		free(batch);
		free(m);
	}
	{
		long long med = bench_median(dt, runs);

		printf("buckets    %zu posts  %8.0f posts/s  %7.2f us/post  (1-3 topics each, "
		       "minute+hour+day)\n", n_posts, (double)n_posts / seconds(med),
		       (double)med / 1e3 / (double)n_posts);
	}
	free(dt);
}

int main(void)
{
	const char *tn = getenv("HORCH_BENCH_TOPICS"), *pn = getenv("HORCH_BENCH_POSTS");
	size_t topics = tn ? (size_t)atol(tn) : 100000, posts = pn ? (size_t)atol(pn) : 100000;
	int runs = bench_runs(5, 50);

	horch_log_level = LOG_ERROR;
	if (!topics || !posts) {
		fprintf(stderr, "bench_signals: HORCH_BENCH_TOPICS and HORCH_BENCH_POSTS must be > 0\n");
		return 2;
	}
	bench_detectors(topics, runs);
	bench_buckets(posts, runs < 3 ? runs : 3);
	return 0;
}
