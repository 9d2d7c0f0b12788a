/* test_signal.c - the spike detector, NAB's windowed Gaussian and NAB's
 * scoring (src/signal), on tiny series whose answers were computed by hand.
 *
 * The NAB weights are tanh values: NAB's scaled sigmoid 2 / (1 + e^(5x)) - 1
 * equals -tanh(2.5 x). */
#include <math.h>
#include <stdint.h>

#include "tap.h"
#include "../../src/signal/signal.h"

#define MS_5MIN (5 * 60 * 1000LL)
/* 2015-03-02 00:00:00 UTC, a Monday. */
#define T0 1425254400000LL

/* Ten rows, one window over rows 4..7, probation floor(1.5) = 1 row. */
static const int64_t tiny_t[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const double tiny_score[10] = { 0.99, 0, 0.9, 0, 0, 0.8, 0, 0, 0.95, 0 };
static const int64_t tiny_ws[1] = { 4 }, tiny_we[1] = { 7 };

static struct nab_series tiny(const double *score)
{
	struct nab_series s = { "tiny", 10, tiny_t, score, 1, tiny_ws, tiny_we };

	return s;
}

static void test_nab(void)
{
	struct nab_series s = tiny(tiny_score);
	struct nab_result r, total;
	struct horch_err err;
	double thr = 0;
	int64_t bad_ws[2] = { 4, 6 }, bad_we[2] = { 7, 9 };

	is_int(nab_probation(10), 1, "nab-1.1 probation of 10 rows: 15%% rounded down");
	is_int(nab_probation(15831), 750, "nab-1.2 probation is at most 750 rows");
	is_int(nab_probation(6), 0, "nab-1.3 probation of 6 rows is none");

	/* At 0.5: row 0 (0.99) is in the probation; row 2 a false positive
	 * before any window (-0.11), row 5 the first detection in the window
	 * (tanh(1.875)), row 8 a false positive a third of the window's width
	 * after it (-0.11 tanh(5/6)). */
	is_int(nab_score(&s, 1, 0.5, &nab_standard, &r, &total, &err), 0, "nab-2.1 scores");
	is_dbl(r.raw, 0.768996463254, 1e-9, "nab-2.2 raw score at 0.5");
	is_dbl(r.null_raw, -1.0, 1e-12, "nab-2.3 null detector misses the window");
	is_dbl(r.perfect, 0.986614298151, 1e-9, "nab-2.4 perfect detector: tanh(2.5)");
	is_dbl(r.score, 89.045793383236, 1e-7, "nab-2.5 normalised score");
	is_int(r.tp, 1, "nab-2.6 one window detected");
	is_int(r.fp, 2, "nab-2.7 two false positives");
	is_int(r.fn, 0, "nab-2.8 no window missed");
	is_dbl(total.score, r.score, 1e-12, "nab-2.9 one series: total is its score");

	is_int(nab_score(&s, 1, 0.96, &nab_standard, &r, &total, &err), 0, "nab-3.1 scores");
	is_dbl(r.raw, -1.0, 1e-12, "nab-3.2 only the probation's row: the null score");
	is_dbl(r.score, 0.0, 1e-12, "nab-3.3 normalised 0");
	is_int(r.fn, 1, "nab-3.4 the window is missed");

	/* Every threshold: 1.1 gives -1, 0.95 gives -1.075, 0.9 -1.185, 0.8
	 * 0.769, 0 0.479 (three false positives before the window): 0.8. */
	is_int(nab_optimise(&s, 1, &nab_standard, &thr, &err), 0, "nab-4.1 optimises");
	is_dbl(thr, 0.8, 1e-12, "nab-4.2 the best threshold is 0.8");

	s.n_win = 2;
	s.win_start = bad_ws;
	s.win_end = bad_we;
	is_int(nab_score(&s, 1, 0.5, &nab_standard, &r, &total, &err), HORCH_EINVAL,
	       "nab-5.1 overlapping windows are refused");
	is_int(nab_optimise(&s, 1, &nab_standard, &thr, &err), HORCH_EINVAL,
	       "nab-5.2 also by the optimiser");
}

static void test_gauss(void)
{
	struct gauss *g = gauss_new(4, 2);

	is_dbl(gauss_update(g, 1), 0, 1e-12, "gauss-1.1 the first value scores 0");
	gauss_update(g, 3);
	/* Window {1, 3}: mean 2, sd 1; 3 is one sd above: 1 - Q(1). */
	is_dbl(gauss_update(g, 3), 0.841344746069, 1e-9, "gauss-1.2 one sd away");
	/* Window {1, 3, 3}: mean 7/3. */
	is_dbl(gauss_update(g, 7.0 / 3), 0.5, 1e-9, "gauss-1.3 the mean scores 0.5");
	/* Full window {1, 3, 3, 7/3}, mean 7/3: the statistics stay until a
	 * step of two values is pending. */
	is_dbl(gauss_update(g, 7.0 / 3), 0.5, 1e-9, "gauss-1.4 full window, mean");
	ok(gauss_update(g, 100) > 0.999999, "gauss-1.5 far away scores near 1");
	/* The step slid: {7/3, 100, 3, 7/3}, mean 323/12. */
	is_dbl(gauss_update(g, 323.0 / 12), 0.5, 1e-9, "gauss-1.6 the slid window's mean");
	gauss_free(g);
	gauss_free(NULL);
}

/* A daily rhythm like the Twitter series': about 100 posts an interval,
 * e^0.8 times more at the day's peak (15:00 UTC) and less at night, with
 * a deterministic noise of +-10%. */
static double rhythm(int64_t t, uint32_t *seed)
{
	double h = (double)(t % 86400000) / 3600000.0;

	*seed = *seed * 1664525u + 1013904223u;
	return floor(100 * exp(0.8 * sin((h - 9) * M_PI / 12)) *
		     (0.9 + 0.2 * (double)(*seed >> 8) / 16777216.0));
}

static void test_spike(void)
{
	struct spike *d = spike_new(NULL);
	double max_normal = 0, max_spike, s;
	int64_t t = T0;
	uint32_t seed = 1;

	is_dbl(spike_update(d, t, 50), 0, 0, "spike-1.1 the first value scores 0");
	is_dbl(spike_update(d, t, 50), 0, 0, "spike-1.2 a time not after the last scores 0");
	/* Two weeks of rhythm: after the first week nothing is a spike. */
	for (int i = 1; i < 14 * 288; i++) {
		t = T0 + i * MS_5MIN;
		s = spike_update(d, t, rhythm(t, &seed));
		if (i > 7 * 288 && s > max_normal)
			max_normal = s;
	}
	ok(max_normal < 0.5, "spike-2.1 the daily rhythm is learnt (max score %.3f)", max_normal);
	/* At 03:00, the night's low: eight times the volume for half an hour.
	 * The onset scores high; what follows is halved (under the peak). */
	t = T0 + 14 * 288 * MS_5MIN + 3 * 3600000LL;
	max_spike = 0;
	for (int i = 0; i < 6; i++) {
		s = spike_update(d, t + i * MS_5MIN, 8 * rhythm(t + i * MS_5MIN, &seed));
		if (s > max_spike)
			max_spike = s;
	}
	ok(max_spike > 0.75, "spike-2.2 eight times the volume at night is a spike (%.3f)",
	   max_spike);
	ok(s < max_spike, "spike-2.3 the buzz's later intervals score less than its onset");
	/* A gap of six hours, then the rhythm again. */
	t += 6 * 3600000LL;
	s = spike_update(d, t, rhythm(t, &seed));
	ok(s < 0.5, "spike-2.4 after a gap the rhythm is normal (%.3f)", s);
	spike_free(d);

	/* A sparse topic: 0 or 1 post; 4 posts stay under min_count. */
	d = spike_new(NULL);
	max_normal = 0;
	for (int i = 0; i < 3 * 288; i++) {
		s = spike_update(d, T0 + i * MS_5MIN, i % 17 == 0);
		if (s > max_normal)
			max_normal = s;
	}
	is_dbl(max_normal, 0, 0, "spike-3.1 a sparse topic scores 0");
	s = spike_update(d, T0 + 3 * 288 * MS_5MIN, 4);
	is_dbl(s, 0, 0, "spike-3.2 4 posts are under the minimum volume");
	s = spike_update(d, T0 + (3 * 288 + 1) * MS_5MIN, 40);
	ok(s > 0.5, "spike-3.3 40 posts on a sparse topic are a spike (%.3f)", s);
	is_dbl(spike_update(d, T0 + (3 * 288 + 2) * MS_5MIN, NAN), 0, 0,
	       "spike-3.4 a value that is not a number counts as 0");
	spike_free(d);
	spike_free(NULL);
}

int main(void)
{
	test_nab();
	test_gauss();
	test_spike();
	return tap_done();
}
