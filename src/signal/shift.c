/* shift.c - an online detector per topic of a significant fall of net
 * sentiment against the topic's own recent baseline.
 *
 * Net sentiment is (positive - negative) / (positive + negative), neutral
 * posts left out (DESIGN.md).  With neutral left out it is 1 - 2q, q the
 * share of negative posts among the positive and negative ones, so a fall of
 * net sentiment is a rise of q, and q is a proportion that a test for counts
 * applies to.  The detector keeps two sets of exponentially decayed counts:
 *   - the recent window R (time constant recent_hours, 1 h): every
 *     interval's counts join it;
 *   - the baseline B (time constant base_hours, 24 h): it is fed by what
 *     decays out of R, so that it holds the posts that have left the recent
 *     window (a cascade of two exponentials) and a fall is not compared with
 *     itself.
 * The test is the one-sided two-proportion z-test of q_R > q_B with the
 * pooled share p:
 *     z = (q_R - q_B) / sqrt(p (1 - p) (1 / n_R + 1 / n_B)),
 * n_R and n_B the decayed positive + negative counts.  A decayed count is
 * smaller than the effective sample size of its weights (Kish's
 * (sum w)^2 / sum w^2: at a steady rate 1.37 times as large with hourly
 * calls, twice with calls much shorter than the window), so the test is
 * conservative.  It is also repeated every interval on every topic: the
 * default z_alarm of 4 (where 3 gave one false alarm per 20 to 35
 * topic-weeks of pure noise at 20 to 50 posts an hour, docs/signals.md)
 * keeps noise quiet.  An interval alarms when both windows have enough posts
 * (min_recent, min_base: a fall on three posts is not news), the fall of net
 * sentiment is at least min_drop (a huge topic makes tiny falls
 * significant), and z >= z_alarm.  A rise never alarms.  A fall alarms
 * for hours, on and off while the baseline learns it; the first alarm after
 * quiet_hours (24 h) without one is flagged as its onset.  Every weight
 * depends on the time that passed since the previous call, so a gap only
 * empties the recent window, which then needs min_recent new posts before
 * anything can alarm.  The state is nine numbers and the options, 120
 * bytes per topic (12 MB for 100,000 topics).  docs/signals.md has the
 * defaults, the figures and the tests. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "signal.h"
#include "../core/alloc.h"

#define MS_HOUR 3600000.0

struct shift {
	struct shift_opts o;
	int started;         /* the first interval was seen */
	int alarmed;         /* an alarm was raised (at last_alarm) */
	int64_t last_alarm;  /* the time of the latest alarm */
	int64_t last_t;      /* the time of the previous call */
	double r_pos, r_neg; /* the recent window's decayed counts */
	double r_neu;
	double b_pos, b_neg; /* the baseline's decayed counts */
};

struct shift *shift_new(const struct shift_opts *opts)
{
	struct shift *d = horch_xcalloc(1, sizeof *d);

	if (opts)
		d->o = *opts;
	if (!(d->o.recent_hours > 0))
		d->o.recent_hours = 1;
	if (!(d->o.base_hours > 0))
		d->o.base_hours = 24;
	if (!(d->o.min_recent > 0))
		d->o.min_recent = 20;
	if (!(d->o.min_base > 0))
		d->o.min_base = 100;
	if (!(d->o.z_alarm > 0))
		d->o.z_alarm = 4.0;
	if (!(d->o.min_drop > 0))
		d->o.min_drop = 0.2;
	if (!(d->o.quiet_hours > 0))
		d->o.quiet_hours = 24;
	return d;
}

void shift_free(struct shift *det)
{
	free(det);
}

static double count_or_zero(double n)
{
	return n >= 0 && isfinite(n) ? n : 0;
}

/* Net sentiment of pos and neg posts; 0 when there are none. */
static double net(double pos, double neg)
{
	return pos + neg > 0 ? (pos - neg) / (pos + neg) : 0;
}

struct shift_score shift_update(struct shift *d, int64_t t_ms, double n_pos, double n_neg,
				double n_neutral)
{
	struct shift_score s;
	double n_r, n_b, q_r, q_b, p, se;

	memset(&s, 0, sizeof s);
	n_pos = count_or_zero(n_pos);
	n_neg = count_or_zero(n_neg);
	n_neutral = count_or_zero(n_neutral);
	if (d->started && t_ms <= d->last_t)
		return s;
	if (d->started) {
		double dt = (double)(t_ms - d->last_t);
		double a_r = exp(-dt / (d->o.recent_hours * MS_HOUR));
		double a_b = exp(-dt / (d->o.base_hours * MS_HOUR));

		/* What leaves the recent window joins the baseline. */
		d->b_pos = a_b * d->b_pos + (1 - a_r) * d->r_pos;
		d->b_neg = a_b * d->b_neg + (1 - a_r) * d->r_neg;
		d->r_pos *= a_r;
		d->r_neg *= a_r;
		d->r_neu *= a_r;
	}
	d->started = 1;
	d->last_t = t_ms;
	d->r_pos += n_pos;
	d->r_neg += n_neg;
	d->r_neu += n_neutral;

	n_r = d->r_pos + d->r_neg;
	n_b = d->b_pos + d->b_neg;
	s.n_recent = n_r;
	s.n_base = n_b;
	s.neutral_recent = d->r_neu;
	s.net_recent = net(d->r_pos, d->r_neg);
	s.net_base = net(d->b_pos, d->b_neg);
	if (n_r > 0 && n_b > 0) {
		q_r = d->r_neg / n_r;
		q_b = d->b_neg / n_b;
		p = (d->r_neg + d->b_neg) / (n_r + n_b);
		se = sqrt(p * (1 - p) * (1 / n_r + 1 / n_b));
		/* A pooled share of 0 or 1 means both windows agree. */
		if (se > 0)
			s.z = (q_r - q_b) / se;
	}
	s.alarm = n_r >= d->o.min_recent && n_b >= d->o.min_base &&
		  s.net_base - s.net_recent >= d->o.min_drop && s.z >= d->o.z_alarm;
	/* A fall lasts until the baseline has learnt it, and z wavers around
	 * the threshold on the way: only the first alarm after a quiet spell
	 * is an onset, the one an alert is raised for. */
	if (s.alarm) {
		s.onset = !d->alarmed ||
			  (double)(t_ms - d->last_alarm) >= d->o.quiet_hours * MS_HOUR;
		d->alarmed = 1;
		d->last_alarm = t_ms;
	}
	return s;
}
