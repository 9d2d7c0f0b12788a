/* test_signal_series.c - the spike detector and the sentiment-shift
 * detector (src/signal) on constructed series: a step, a spike, a slow
 * drift, a gap, a weekly rhythm and a sparse topic for both, and for the
 * shift detector a fall, a rise and noise of net sentiment.
 *
 * Every series is drawn from a fixed-seed generator, so each run sees the
 * same numbers and the expectations are exact: the interval of the first
 * alarm, the number of alarms, the highest score.  A spike "fires" when its
 * score reaches SPIKE_FIRE, the threshold that `horch eval spikes` found on
 * NAB's Twitter series (docs/signals.md); a shift fires when its answer's
 * alarm is set. */
#include <math.h>
#include <stdint.h>

#include "tap.h"
#include "../../src/signal/signal.h"

#define MS_5MIN (5 * 60 * 1000LL)
#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL
/* 2015-03-02 00:00:00 UTC, a Monday. */
#define T0 1425254400000LL
/* Intervals of five minutes in a day and in a week. */
#define DAY5 288
#define WEEK5 (7 * DAY5)
#define SPIKE_FIRE 0.8085

static uint32_t rng_state;

static void rng_seed(uint32_t seed)
{
	rng_state = seed;
}

/* A uniform number in [0, 1) from a linear congruential generator. */
static double rng_unif(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (double)(rng_state >> 8) / 16777216.0;
}

/* A Poisson count with mean lambda (Knuth's method; lambda < 700). */
static double rng_poisson(double lambda)
{
	double limit = exp(-lambda), p = 1;
	int k = 0;

	do {
		k++;
		p *= rng_unif();
	} while (p > limit);
	return k - 1;
}

/* 0 = Monday ... 6 = Sunday of UTC time t. */
static int weekday(int64_t t)
{
	return (int)((t / MS_DAY + 3) % 7);
}

/* ---- the spike detector ---- */

/* What a run of the spike detector over a series did. */
struct spike_run {
	double max_before;   /* highest score from day 2 to the event */
	double max_at;       /* highest score in the 3 hours from the event */
	double max_after;    /* highest score from a day after the event on */
	int first_fire;      /* intervals from the event to the first fire, -1: none */
	int n_fire_after;    /* fires after the event's first 3 hours */
};

/* The kinds of constructed series of five-minute counts. */
enum { S_STEP, S_SPIKE, S_DRIFT, S_GAP, S_SPIKE2 };

/* Feed a detector 14 days at 40 posts per interval (Poisson), then the
 * event of kind at day 14, then 3 more days; the drift starts at day 2
 * instead and lasts a week. */
static struct spike_run spike_series(int kind)
{
	struct spike *d = spike_new(NULL);
	struct spike_run run = { 0, 0, 0, -1, 0 };
	long event = kind == S_DRIFT ? 2 * DAY5 : 14 * DAY5;
	long end = kind == S_DRIFT ? 9 * DAY5 : 17 * DAY5;

	rng_seed(42);
	for (long i = 0; i < end; i++) {
		int64_t t = T0 + i * MS_5MIN;
		double lambda = 40, s;

		if (kind == S_STEP && i >= event)
			lambda = 80;
		if ((kind == S_SPIKE && i == event) ||
		    (kind == S_SPIKE2 && (i == event || i == event + 1)))
			lambda = 400;
		if (kind == S_DRIFT && i >= event)
			lambda = 40 * pow(1.01, (double)(i - event) / 12.0);
		/* Six hours without a call. */
		if (kind == S_GAP && i >= event && i < event + 72)
			continue;
		s = spike_update(d, t, rng_poisson(lambda));
		if (i < event) {
			if (i >= DAY5 && s > run.max_before)
				run.max_before = s;
		} else if (i < event + 36 || (kind == S_GAP && i < event + 72 + 36)) {
			if (s > run.max_at)
				run.max_at = s;
			if (s >= SPIKE_FIRE && run.first_fire < 0)
				run.first_fire = (int)(i - event);
		} else {
			if (i >= event + DAY5 && s > run.max_after)
				run.max_after = s;
			run.n_fire_after += s >= SPIKE_FIRE;
		}
	}
	spike_free(d);
	return run;
}

static void test_spike_series(void)
{
	struct spike_run run;
	struct spike *d;
	double max_weekend = 0, max_monday[5] = { 0 }, max_sparse = 0, s;
	int n_fire_weekend = 0;

	run = spike_series(S_STEP);
	diag("step: before %.4f, first 3 hours %.4f, after %.4f", run.max_before, run.max_at,
	     run.max_after);
	ok(run.max_before < SPIKE_FIRE, "signal-1.1 step: no fire before the step (%.4f)",
	   run.max_before);
	/* The score of a doubling is at most 1 - 1/2 (the share of posts the
	 * baseline does not explain), and the smoothing takes a third off the
	 * first interval: a step that doubles the volume does not fire. */
	is_dbl(run.max_at, 0.5429, 5e-5, "signal-1.2 step: a doubling peaks at 0.5429 in "
	       "its first 3 hours");
	is_int(run.first_fire, -1, "signal-1.3 step: a doubling does not reach SPIKE_FIRE");
	is_int(run.n_fire_after, 0, "signal-1.4 step: no fire after its first 3 hours");
	is_dbl(run.max_after, 0.3584, 5e-5, "signal-1.5 step: from a day after it, 0.3584 at "
	       "most (adapting)");

	run = spike_series(S_SPIKE);
	diag("spike: before %.4f, at %.4f, after %.4f", run.max_before, run.max_at,
	     run.max_after);
	/* One interval of ten times the volume: r = log(10) smoothed by
	 * 1 - e^-1 scores 1 - 10^-0.632, about 0.77, under SPIKE_FIRE. */
	is_dbl(run.max_at, 0.7714, 5e-5, "signal-1.6 spike: ten times the volume scores "
	       "0.7714");
	is_int(run.first_fire, -1, "signal-1.7 spike: one interval of x10 does not reach "
	       "SPIKE_FIRE");
	is_int(run.n_fire_after, 0, "signal-1.8 spike: no fire after it");
	ok(run.max_after < 0.3, "signal-1.9 spike: a day after it the score stays below "
	   "0.3 (%.4f)", run.max_after);

	run = spike_series(S_SPIKE2);
	diag("two intervals x10: at %.4f, after %.4f", run.max_at, run.max_after);
	is_int(run.first_fire, 1, "signal-1.10 spike: two intervals of x10 fire at the second");
	is_dbl(run.max_at, 0.8540, 5e-5, "signal-1.11 spike: the second interval scores 0.8540");
	is_int(run.n_fire_after, 0, "signal-1.12 spike: no fire after the two intervals");

	run = spike_series(S_DRIFT);
	diag("drift: before %.4f, first 3 hours %.4f, after %.4f", run.max_before, run.max_at,
	     run.max_after);
	is_int(run.first_fire, -1, "signal-1.13 drift: no fire in its first 3 hours");
	is_int(run.n_fire_after, 0, "signal-1.14 drift: +1%%/hour for a week never fires");
	is_dbl(run.max_after, 0.3689, 5e-5, "signal-1.15 drift: its highest score is 0.3689");

	run = spike_series(S_GAP);
	diag("gap: before %.4f, 3 hours after %.4f, later %.4f", run.max_before, run.max_at,
	     run.max_after);
	is_int(run.first_fire, -1, "signal-1.16 gap: no fire in the 3 hours after 6 h of no "
	       "calls");
	is_int(run.n_fire_after, 0, "signal-1.17 gap: no fire in the 3 days after");
	ok(run.max_at < 0.2, "signal-1.18 gap: the 3 hours after score below 0.2 (%.4f)",
	   run.max_at);

	/* A weekly rhythm: 60 posts per interval on weekdays, 10 at the
	 * weekend, for five weeks. */
	d = spike_new(NULL);
	rng_seed(7);
	for (long i = 0; i < 5 * WEEK5; i++) {
		int64_t t = T0 + i * MS_5MIN;
		int wd = weekday(t);

		s = spike_update(d, t, rng_poisson(wd < 5 ? 60 : 10));
		if (i >= 2 * WEEK5 && wd >= 5) {
			if (s > max_weekend)
				max_weekend = s;
			n_fire_weekend += s >= SPIKE_FIRE;
		}
		if (wd == 0 && s > max_monday[i / WEEK5])
			max_monday[i / WEEK5] = s;
	}
	spike_free(d);
	diag("weekly: weekends of weeks 3-5 %.4f; Mondays %.4f %.4f %.4f %.4f %.4f",
	     max_weekend, max_monday[0], max_monday[1], max_monday[2], max_monday[3],
	     max_monday[4]);
	is_int(n_fire_weekend, 0, "signal-1.19 weekly: no fire on weekends after two weeks");
	is_dbl(max_weekend, 0.2751, 5e-5, "signal-1.20 weekly: weekends score 0.2751 at most");
	ok(max_monday[1] < SPIKE_FIRE && max_monday[2] < SPIKE_FIRE &&
	   max_monday[3] < SPIKE_FIRE && max_monday[4] < SPIKE_FIRE,
	   "signal-1.21 weekly: Monday mornings do not fire after the first week");
	ok(max_monday[4] < max_monday[2] && max_monday[2] < max_monday[1],
	   "signal-1.22 weekly: the Monday rise is learnt week by week (%.3f %.3f %.3f)",
	   max_monday[1], max_monday[2], max_monday[4]);

	/* A sparse topic: 0 to 2 posts an hour, for two weeks. */
	d = spike_new(NULL);
	rng_seed(3);
	for (long i = 0; i < 2 * WEEK5; i++) {
		s = spike_update(d, T0 + i * MS_5MIN, rng_poisson(1.0 / 12));
		if (s > max_sparse)
			max_sparse = s;
	}
	spike_free(d);
	is_dbl(max_sparse, 0, 0, "signal-1.23 sparse: 0-2 posts an hour never score");
}

/* ---- the sentiment-shift detector ---- */

/* What a run of the shift detector did. */
struct shift_run {
	int first_alarm;     /* intervals from the event to the first alarm, -1: none */
	int n_alarm;         /* alarms from the event on */
	int n_alarm_before;  /* alarms before the event */
	int n_onset;         /* onsets in the whole run */
	double max_z;        /* highest z in the whole run */
};

/* Feed det one interval of n posts: a share neutral of them neutral, the
 * others positive with probability pos (net sentiment 2 pos - 1). */
static struct shift_score shift_feed(struct shift *det, int64_t t, double n, double pos,
				     double neutral)
{
	double n_pos = 0, n_neg = 0, n_neu = 0;

	for (long k = 0; k < (long)n; k++) {
		if (rng_unif() < neutral)
			n_neu++;
		else if (rng_unif() < pos)
			n_pos++;
		else
			n_neg++;
	}
	return shift_update(det, t, n_pos, n_neg, n_neu);
}

static void shift_count(struct shift_run *run, struct shift_score s, long i, long event)
{
	if (s.z > run->max_z)
		run->max_z = s.z;
	run->n_onset += s.onset;
	if (i < event) {
		run->n_alarm_before += s.alarm;
		return;
	}
	run->n_alarm += s.alarm;
	if (s.alarm && run->first_alarm < 0)
		run->first_alarm = (int)(i - event);
}

/* A change of net sentiment from before to after (pos shares) at hour 72
 * of n posts an hour (and a fifth as many neutral), for two days more. */
static struct shift_run shift_change(double n, double before, double after, uint32_t seed)
{
	struct shift *d = shift_new(NULL);
	struct shift_run run = { -1, 0, 0, 0, 0 };

	rng_seed(seed);
	for (long i = 0; i < 120; i++) {
		struct shift_score s = shift_feed(d, T0 + i * MS_HOUR, n * 1.2,
						  i < 72 ? before : after, 1.0 / 6);

		shift_count(&run, s, i, 72);
	}
	shift_free(d);
	return run;
}

/* The volume series of the spike tests, hourly, with a constant net
 * sentiment of +0.4: kind S_STEP (50 -> 100 posts an hour at day 14),
 * S_SPIKE (one hour of 500), S_DRIFT (+1%/hour for a week from day 2),
 * S_GAP (6 h of no calls at day 14). */
static struct shift_run shift_volume(int kind)
{
	struct shift *d = shift_new(NULL);
	struct shift_run run = { -1, 0, 0, 0, 0 };
	long event = kind == S_DRIFT ? 48 : 14 * 24;
	long end = kind == S_DRIFT ? 9 * 24 : 17 * 24;

	rng_seed(11);
	for (long i = 0; i < end; i++) {
		double n = 50;

		if (kind == S_STEP && i >= event)
			n = 100;
		if (kind == S_SPIKE && i == event)
			n = 500;
		if (kind == S_DRIFT && i >= event)
			n = 50 * pow(1.01, (double)(i - event));
		if (kind == S_GAP && i >= event && i < event + 6)
			continue;
		shift_count(&run, shift_feed(d, T0 + i * MS_HOUR, rng_poisson(n), 0.7, 0.2),
			    i, event);
	}
	shift_free(d);
	return run;
}

static void test_shift_series(void)
{
	struct shift_run run;
	struct shift *d;
	struct shift_score s;
	int n_alarm, first;
	const char *names[] = { "step", "spike", "drift", "gap" };

	/* The answer's fields on exact counts. */
	d = shift_new(NULL);
	s = shift_update(d, T0, 35, 15, 10);
	is_dbl(s.net_recent, 0.4, 1e-12, "signal-2.1 net sentiment (35 - 15) / 50");
	is_dbl(s.n_recent, 50, 1e-12, "signal-2.2 the recent window counts 50 posts");
	is_dbl(s.neutral_recent, 10, 1e-12, "signal-2.3 neutral posts are counted aside");
	is_dbl(s.n_base, 0, 0, "signal-2.4 the baseline starts empty");
	is_int(s.alarm, 0, "signal-2.5 no alarm without a baseline");
	s = shift_update(d, T0, 0, 50, 0);
	is_dbl(s.n_recent, 0, 0, "signal-2.6 a time not after the last is ignored");
	s = shift_update(d, T0 + MS_HOUR, NAN, -3, INFINITY);
	is_dbl(s.n_recent, 50 * exp(-1), 1e-9, "signal-2.7 bad counts count as 0; an hour "
	       "leaves e^-1");
	is_dbl(s.n_base, 50 * (1 - exp(-1)), 1e-9, "signal-2.8 what left the window is the "
	       "baseline");
	is_dbl(s.net_base, 0.4, 1e-12, "signal-2.9 the baseline's net sentiment");
	shift_free(d);
	shift_free(NULL);

	run = shift_change(50, 0.7, 0.3, 5);
	diag("fall at 50/h: first alarm %d, alarms %d, before %d, onsets %d, max z %.2f",
	     run.first_alarm, run.n_alarm, run.n_alarm_before, run.n_onset, run.max_z);
	is_int(run.n_alarm_before, 0, "signal-3.1 fall: no alarm on three days of +0.4");
	is_int(run.first_alarm, 0, "signal-3.2 fall +0.4 -> -0.4 at 50 posts/h fires at its "
	       "first hourly interval");
	is_int(run.n_onset, 1, "signal-3.3 fall: one onset");
	is_int(run.n_alarm, 12, "signal-3.4 fall: 12 of its 48 hours alarm while the baseline "
	       "learns it");

	run = shift_change(3, 0.7, 0.3, 5);
	diag("fall at 3/h: first alarm %d, max z %.2f", run.first_alarm, run.max_z);
	is_int(run.n_alarm + run.n_alarm_before, 0,
	       "signal-3.5 the same fall at 3 posts/h does not fire (too few posts)");

	run = shift_change(50, 0.3, 0.7, 5);
	diag("rise at 50/h: max z %.2f", run.max_z);
	is_int(run.n_alarm + run.n_alarm_before, 0, "signal-3.6 a rise -0.4 -> +0.4 never fires");

	/* Noise around a constant +0.4 at 50 posts/h for five weeks. */
	d = shift_new(NULL);
	rng_seed(99);
	n_alarm = 0;
	run.max_z = 0;
	for (long i = 0; i < 5 * 7 * 24; i++) {
		s = shift_feed(d, T0 + i * MS_HOUR, rng_poisson(60), 0.7, 1.0 / 6);
		n_alarm += s.alarm;
		if (s.z > run.max_z)
			run.max_z = s.z;
	}
	shift_free(d);
	diag("noise: max z %.2f", run.max_z);
	is_int(n_alarm, 0, "signal-3.7 noise around +0.4 for five weeks never fires");

	/* The same noise on 100 topics of 20 and 100 of 50 posts an hour: with
	 * z_alarm 3 instead of 4, such noise raised 30 to 50 alarms per 200
	 * topics in five weeks (docs/signals.md). */
	n_alarm = 0;
	for (uint32_t topic = 0; topic < 200; topic++) {
		d = shift_new(NULL);
		rng_seed(1000 + topic);
		for (long i = 0; i < 5 * 7 * 24; i++) {
			s = shift_feed(d, T0 + i * MS_HOUR, rng_poisson(topic < 100 ? 20 : 50),
				       0.7, 0.2);
			n_alarm += s.alarm;
		}
		shift_free(d);
	}
	is_int(n_alarm, 0, "signal-3.8 noise on 200 topics for five weeks never fires");

	run = shift_change(200, 0.7, 0.5, 31);
	diag("fall +0.4 -> 0 at 200/h: first alarm %d, alarms %d, max z %.2f", run.first_alarm,
	     run.n_alarm, run.max_z);
	is_int(run.n_alarm_before, 0, "signal-3.9 a smaller fall on a bigger topic: no alarm "
	       "before");
	is_int(run.first_alarm, 0, "signal-3.10 a fall +0.4 -> 0 at 200 posts/h fires at its "
	       "first hour");

	/* The same fall at five-minute intervals: the recent window needs
	 * time to fill with the new sentiment. */
	d = shift_new(NULL);
	rng_seed(5);
	first = -1;
	for (long i = 0; i < 4 * DAY5; i++) {
		s = shift_feed(d, T0 + i * MS_5MIN, rng_poisson(5), i < 3 * DAY5 ? 0.7 : 0.3,
			       1.0 / 6);
		if (s.alarm && first < 0 && i >= 3 * DAY5)
			first = (int)(i - 3 * DAY5);
		if (s.alarm && i < 3 * DAY5)
			first = -2;
	}
	shift_free(d);
	diag("fall at 5-min intervals: first alarm after %d intervals", first);
	is_int(first, 10, "signal-3.11 the fall at 5-minute intervals fires after 50 minutes");

	/* A fall right after a gap: the recent window is empty, the first
	 * interval fills it. */
	d = shift_new(NULL);
	rng_seed(13);
	for (long i = 0; i < 72; i++)
		shift_feed(d, T0 + i * MS_HOUR, 60, 0.7, 1.0 / 6);
	s = shift_feed(d, T0 + 78 * MS_HOUR, 60, 0.3, 1.0 / 6);
	diag("fall after a gap: z %.2f, net %.3f against %.3f", s.z, s.net_recent, s.net_base);
	is_int(s.alarm, 1, "signal-3.12 a fall right after a 6 h gap fires at once");
	shift_free(d);

	/* A burst of negative posts on top of the usual volume. */
	d = shift_new(NULL);
	rng_seed(17);
	for (long i = 0; i < 72; i++)
		shift_feed(d, T0 + i * MS_HOUR, 60, 0.7, 1.0 / 6);
	s = shift_feed(d, T0 + 72 * MS_HOUR, 600, 0.2, 1.0 / 6);
	is_int(s.onset, 1, "signal-3.13 a burst of 500 posts at -0.6 is an onset");
	shift_free(d);

	for (int kind = S_STEP; kind <= S_GAP; kind++) {
		run = shift_volume(kind);
		diag("%s of volume: alarms %d + %d, max z %.2f", names[kind], run.n_alarm_before,
		     run.n_alarm, run.max_z);
		is_int(run.n_alarm + run.n_alarm_before, 0,
		       "signal-4.%d a %s of volume at constant sentiment never fires", kind + 1,
		       names[kind]);
	}

	/* A weekly rhythm of volume (60 posts an hour on weekdays, 10 at the
	 * weekend) and a sparse topic (0-2 posts an hour), five weeks each. */
	d = shift_new(NULL);
	rng_seed(23);
	n_alarm = 0;
	for (long i = 0; i < 5 * 7 * 24; i++) {
		int64_t t = T0 + i * MS_HOUR;

		s = shift_feed(d, t, rng_poisson(weekday(t) < 5 ? 60 : 10), 0.7, 0.2);
		n_alarm += s.alarm;
	}
	shift_free(d);
	is_int(n_alarm, 0, "signal-4.5 a weekly rhythm of volume never fires");
	d = shift_new(NULL);
	rng_seed(29);
	n_alarm = 0;
	for (long i = 0; i < 5 * 7 * 24; i++) {
		/* Sentiment as noisy as it gets: a coin per post. */
		s = shift_feed(d, T0 + i * MS_HOUR, rng_poisson(1), 0.5, 0.2);
		n_alarm += s.alarm;
	}
	shift_free(d);
	is_int(n_alarm, 0, "signal-4.6 a sparse topic (0-2 posts an hour) never fires");
}

int main(void)
{
	test_spike_series();
	test_shift_series();
	return tap_done();
}
