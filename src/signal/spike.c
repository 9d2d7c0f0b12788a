/* spike.c - an online spike (buzz) detector per topic, and NAB's windowed
 * Gaussian as the baseline it is measured against.
 *
 * The detector works on x = log(1 + count): a buzz multiplies the volume, so
 * its size is a difference of logarithms whatever the topic's usual volume.
 * It expects x to be level + hour[h] + day[d]: a level that follows the
 * trend (an exponentially weighted average with a time constant of a day),
 * an offset per hour of the day and one per day of the week (additive
 * Holt-Winters).  The residual r = x - expected, smoothed over one interval,
 * gives the score 1 - e^-r: the share of the interval's posts that the
 * baseline does not explain.  A score that does not pass the recent peak is
 * halved, so that the onset of a buzz stands out from its continuation.
 * Three things keep it robust:
 *   - the spread of past residuals (an exponentially weighted mean absolute
 *     deviation, never below the Poisson noise of the expected count) only
 *     bounds what the baseline learns: a residual feeds it only up to
 *     three spreads (a Huber clip), so a buzz is not learnt as normal
 *     within the hour it starts;
 *   - every weight depends on the time that passed since the last call,
 *     not on the number of calls, so missing intervals (a gap in the
 *     collection) are allowed, and the first value after a gap counts
 *     more;
 *   - an interval with fewer than min_count posts scores 0: one post on a
 *     topic that has none is not news, however unlikely it was.
 * The whole state is 37 doubles and the options, about 400 bytes: a
 * hundred thousand topics fit in 40 MB.  docs/signals.md has the figures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "signal.h"
#include "../core/alloc.h"

#define MS_HOUR 3600000.0
#define MS_DAY 86400000.0

struct spike {
	struct spike_opts o;
	int started;        /* the first value was seen */
	int64_t last_t;     /* the time of the previous call */
	double seen_ms;     /* how much time was seen (for the warm-up) */
	double level;       /* the trend of log1p(count) */
	double hour[24];    /* offset of each hour of the (local) day */
	double day[7];      /* offset of each day of the week, Monday first */
	double spread;      /* mean absolute residual */
	double smooth;      /* the smoothed residual (a log ratio) */
	double peak;        /* the recent highest score, decaying */
};

struct spike *spike_new(const struct spike_opts *opts)
{
	struct spike *d = horch_xcalloc(1, sizeof *d);

	if (opts)
		d->o = *opts;
	if (d->o.step_ms <= 0)
		d->o.step_ms = 5 * 60 * 1000;
	if (!(d->o.level_hours > 0))
		d->o.level_hours = 24;
	if (!(d->o.season_days > 0))
		d->o.season_days = 7;
	if (!(d->o.scale_hours > 0))
		d->o.scale_hours = 24;
	if (!(d->o.smooth_min > 0))
		d->o.smooth_min = 5;
	if (!(d->o.peak_hours > 0))
		d->o.peak_hours = 24;
	if (!(d->o.min_count > 0))
		d->o.min_count = 5;
	if (!(d->o.warmup_hours > 0))
		d->o.warmup_hours = 6;
	return d;
}

void spike_free(struct spike *det)
{
	free(det);
}

/* The weight of a new observation in an average with time constant tau_ms
 * after dt_ms have passed. */
static double ewma_weight(double dt_ms, double tau_ms)
{
	return 1.0 - exp(-dt_ms / tau_ms);
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

double spike_update(struct spike *d, int64_t t_ms, double value)
{
	double x, dt, expected, r, rc, sigma, lambda, floor_sd, prev_peak, score = 0;
	int64_t local_s, days;
	int h, dow;

	if (!(value >= 0) || !isfinite(value))
		value = 0;
	x = log1p(value);
	if (!d->started) {
		d->started = 1;
		d->last_t = t_ms;
		d->level = x;
		d->spread = 0.25;
		return 0;
	}
	if (t_ms <= d->last_t)
		return 0;
	dt = (double)(t_ms - d->last_t);
	/* A long gap counts as one week at most: what is known is stale, but
	 * the weights stay below 1. */
	if (dt > 7 * MS_DAY)
		dt = 7 * MS_DAY;
	d->last_t = t_ms;
	d->seen_ms += dt;

	local_s = t_ms / 1000 + (int64_t)d->o.tz_offset_min * 60;
	days = local_s >= 0 ? local_s / 86400 : -((-local_s + 86399) / 86400);
	h = (int)((local_s - days * 86400) / 3600);
	dow = (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */

	expected = d->level + d->hour[h] + d->day[dow];
	r = x - expected;
	lambda = expm1(expected > 0 ? expected : 0);
	/* log1p of a Poisson count with mean lambda has a standard deviation
	 * of about sqrt(lambda) / (lambda + 1): the spread of a quiet topic
	 * is never taken to be smaller than its counting noise. */
	floor_sd = sqrt(lambda) / (lambda + 1) + 0.05;
	sigma = 1.25 * d->spread;
	if (sigma < floor_sd)
		sigma = floor_sd;
	d->smooth += ewma_weight(dt, d->o.smooth_min * 60000.0) * (r - d->smooth);
	/* The score is 1 - e^-r: the share of the interval's volume that the
	 * baseline does not explain ((value - e) / (1 + value) for expected
	 * count e), with r smoothed. */
	if (d->seen_ms >= d->o.warmup_hours * MS_HOUR && value >= d->o.min_count &&
	    d->smooth > 0)
		score = 1.0 - exp(-d->smooth);
	/* A buzz lasts: the intervals after its onset are as unusual as the
	 * onset, and each would be one more alert.  A score that does not pass
	 * the recent peak (decaying with a time constant of peak_hours) is
	 * halved, so that the onset stands out. */
	prev_peak = d->peak * exp(-dt / (d->o.peak_hours * MS_HOUR));
	d->peak = score > prev_peak ? score : prev_peak;
	if (score <= prev_peak)
		score *= 0.5;

	/* Learn from the clipped residual. */
	rc = clamp(r, -3 * sigma, 3 * sigma);
	x = expected + rc;
	d->level += ewma_weight(dt, d->o.level_hours * MS_HOUR) *
		    (x - d->hour[h] - d->day[dow] - d->level);
	/* An hour's slot sees one twenty-fourth of the time, a day's one
	 * seventh: their averages move by the time that slot was observed. */
	d->hour[h] += ewma_weight(dt * 24, d->o.season_days * MS_DAY) *
		      (x - d->level - d->day[dow] - d->hour[h]);
	d->day[dow] += ewma_weight(dt * 7, 3 * d->o.season_days * MS_DAY) *
		       (x - d->level - d->hour[h] - d->day[dow]);
	d->spread += ewma_weight(dt, d->o.scale_hours * MS_HOUR) *
		     (fabs(rc) - d->spread);
	return score;
}

/* ---- NAB's windowed Gaussian ---- */

struct gauss {
	size_t window, step;
	double *ring;      /* the window, oldest at head once full */
	size_t n, head;    /* values in the window; where the oldest is */
	double *pending;   /* values waiting for the next step */
	size_t n_pending;
	double mean, sd;
};

struct gauss *gauss_new(size_t window, size_t step)
{
	struct gauss *g = horch_xcalloc(1, sizeof *g);

	g->window = window ? window : 6400;
	g->step = step ? step : 100;
	if (g->step > g->window)
		g->step = g->window;
	g->ring = horch_xcalloc(g->window, sizeof *g->ring);
	g->pending = horch_xcalloc(g->step, sizeof *g->pending);
	g->sd = 1;
	return g;
}

void gauss_free(struct gauss *g)
{
	if (!g)
		return;
	free(g->ring);
	free(g->pending);
	free(g);
}

/* Mean and population standard deviation of the window, two passes. */
static void gauss_refresh(struct gauss *g)
{
	double sum = 0, ss = 0;

	for (size_t i = 0; i < g->n; i++)
		sum += g->ring[i];
	g->mean = sum / (double)g->n;
	for (size_t i = 0; i < g->n; i++)
		ss += (g->ring[i] - g->mean) * (g->ring[i] - g->mean);
	g->sd = sqrt(ss / (double)g->n);
	if (g->sd == 0)
		g->sd = 0.000001;
}

double gauss_update(struct gauss *g, double value)
{
	double score = 0;

	if (!isfinite(value))
		value = 0;
	if (g->n > 0) {
		double z = fabs(value - g->mean) / g->sd;

		/* 1 - Q(|z|): the upper tail of the value or of its mirror
		 * image below the mean, as NAB computes it. */
		score = 1.0 - 0.5 * erfc(z / sqrt(2.0));
	}
	if (g->n < g->window) {
		g->ring[g->n++] = value;
		gauss_refresh(g);
	} else {
		g->pending[g->n_pending++] = value;
		if (g->n_pending == g->step) {
			/* Slide the window by a whole step: the oldest step
			 * values leave, the pending ones join. */
			for (size_t i = 0; i < g->step; i++) {
				g->ring[g->head] = g->pending[i];
				g->head = (g->head + 1) % g->window;
			}
			g->n_pending = 0;
			gauss_refresh(g);
		}
	}
	return score;
}
