/* signal.h - signals computed from the stream of counts: spike (buzz)
 * detection and the Numenta Anomaly Benchmark that measures it, the
 * sentiment-shift detector, and the CSV series of `horch eval spikes`.
 *
 * A spike detector follows one topic: it is fed the number of posts of each
 * interval (one call per interval, in time order) and answers an anomaly
 * score in 0..1 for that interval.  It learns the topic's own baseline, its
 * daily and weekly rhythm included, in a fixed amount of memory (about a
 * kilobyte), so that a server can keep one per topic for a hundred thousand
 * topics.  Missing intervals are allowed: the detector ages what it knows by
 * the time that passed, not by the number of calls.  The Gaussian detector
 * is the baseline it is compared with: NAB's "windowed Gaussian" (the tail
 * probability of the value under the mean and standard deviation of the
 * last W values).
 *
 * nab_* scores a detector's answers the way the Numenta Anomaly Benchmark
 * does (docs/signals.md says how): labelled windows, a probationary period,
 * a sigmoid reward for the earliest detection in a window, weighted false
 * positives, a penalty per missed window, the standard profile, a score
 * normalised between the null detector (0) and the perfect one (100), and
 * the threshold chosen that maximises the score over all series.
 *
 * A shift detector follows one topic's sentiment counts per interval and
 * says when its net sentiment falls significantly below its own recent
 * baseline (a one-sided two-proportion test on the negative share, with
 * enough posts on both sides); docs/signals.md gives the formula.
 *
 * A detector or a nab_series belongs to one thread at a time. */
#ifndef HORCH_SIGNAL_H
#define HORCH_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

/* ---- the spike detector ---- */

struct spike_opts {
	int64_t step_ms;      /* the length of an interval; 0: 5 minutes */
	double level_hours;   /* time constant of the level (trend); 0: 24 */
	double season_days;   /* time constant of the daily and weekly profile; 0: 7 */
	double scale_hours;   /* time constant of the spread of the residuals; 0: 24 */
	double smooth_min;    /* time constant of the residual that is scored; 0: 5 */
	double peak_hours;    /* time constant of the recent peak score; 0: 24 */
	double min_count;     /* an interval with fewer posts scores 0; 0: 5 */
	double warmup_hours;  /* no score before this much was seen; 0: 6 */
	int tz_offset_min;    /* the topic's local time (minutes east of UTC) */
};

struct spike;

/* A new detector with opts (NULL: all defaults).  Never fails; the caller
 * owns it and frees it with spike_free(). */
struct spike *spike_new(const struct spike_opts *opts);
void spike_free(struct spike *det); /* NULL-safe */

/* Feed the count of the interval that starts at t_ms (milliseconds since
 * the epoch, UTC).  Returns the anomaly score of that interval in 0..1: 0
 * for as expected or fewer posts, towards 1 the more posts there are above
 * what the topic's baseline expects at that hour and day.  A t_ms that is
 * not after the previous one is ignored (returns 0); a negative or non-finite
 * value counts as 0. */
double spike_update(struct spike *det, int64_t t_ms, double value);

struct gauss;

/* NAB's windowed Gaussian: window values (0: 6400), the statistics refreshed
 * every step values once the window is full (0: 100).  The caller owns the
 * result and frees it with gauss_free(). */
struct gauss *gauss_new(size_t window, size_t step);
void gauss_free(struct gauss *g); /* NULL-safe */
/* The score of value (1 minus the two-sided tail probability under the
 * window's Gaussian; 0 for the first value), then value joins the window. */
double gauss_update(struct gauss *g, double value);

/* ---- NAB scoring ---- */

/* The weights of a NAB profile; the standard one is { 1.0, 0.11, 1.0 }. */
struct nab_profile {
	double a_tp;  /* reward of a detected window (times the sigmoid) */
	double a_fp;  /* cost of a false positive (times the sigmoid) */
	double a_fn;  /* cost of a missed window */
};

extern const struct nab_profile nab_standard;

/* One labelled series and a detector's scores for it.  Filled by the
 * caller: t[i] (ascending) and score[i] for n rows, and the windows as
 * [win_start[k], win_end[k]] times, ascending and disjoint. */
struct nab_series {
	const char *name;         /* for messages; not owned */
	size_t n;                 /* rows */
	const int64_t *t;         /* the rows' times */
	const double *score;      /* the detector's score of each row */
	size_t n_win;
	const int64_t *win_start, *win_end;
};

/* The result of one series at one threshold. */
struct nab_result {
	double raw;       /* the profile's raw score */
	double null_raw;  /* the null detector's (every window missed) */
	double perfect;   /* the perfect detector's */
	double score;     /* normalised: 100 (raw - null) / (perfect - null) */
	size_t tp, fp, fn;/* windows detected, false positives, windows missed */
};

/* The rows of a series of n rows that NAB ignores at its start:
 * min(floor(0.15 n), 0.15 * 5000). */
size_t nab_probation(size_t n);

/* Score s[0..n_s) at threshold (a row is a detection when its score is >=
 * threshold) with profile p; out[i] is series i's result, *total the sum
 * over all (its score normalised by the sums).  Returns 0, or HORCH_EINVAL
 * with err filled when a series' windows are not ascending and disjoint. */
int nab_score(const struct nab_series *s, size_t n_s, double threshold,
	      const struct nab_profile *p, struct nab_result *out, struct nab_result *total,
	      struct horch_err *err);

/* NAB's threshold optimisation: the threshold among the scores that occur
 * (and 1.1, no detection at all) that maximises the total raw score over
 * s[0..n_s); ties go to the higher threshold.  Stores it in *threshold and
 * returns 0, or HORCH_EINVAL as nab_score. */
int nab_optimise(const struct nab_series *s, size_t n_s, const struct nab_profile *p,
		 double *threshold, struct horch_err *err);

/* ---- series of counts from files ---- */

/* A series: row i is value v[i] at time t[i] (ms UTC), ascending. */
struct signal_series {
	int64_t *t;
	double *v;
	size_t n, cap;
};

#define SIGNAL_SERIES_MAX_ROWS ((size_t)4 << 20)  /* rows of one series */

/* Parse the CSV text[0..len) of path (named in messages) into s (zeroed
 * by the caller): a header "timestamp,value", then rows "TIME,NUMBER" in
 * ascending time (TIME in any form of horch_time_parse(), NUMBER >= 0).
 * Returns 0, or HORCH_EPARSE / HORCH_ETOOBIG with err naming the file and
 * the line; s must be cleaned up either way. */
int signal_series_parse(struct signal_series *s, const char *path, const char *text,
			size_t len, struct horch_err *err);
void signal_series_cleanup(struct signal_series *s); /* NULL-safe; zeroes s */

/* ---- the sentiment-shift detector ---- */

/* A shift detector follows one topic's sentiment: it is fed the positive,
 * negative and neutral post counts of each interval (in time order, any
 * interval length, gaps allowed) and says when the topic's net sentiment
 * (positive - negative) / (positive + negative) has fallen significantly
 * against the topic's own recent baseline.  It compares the share of
 * negative posts in a recent window (an exponentially decayed count, one
 * hour) with the share in a baseline that holds the posts that left the
 * recent window (decayed over a day), with a one-sided two-proportion
 * z-test; docs/signals.md has the formula.  Its state is 120 bytes. */

struct shift_opts {
	double recent_hours;  /* time constant of the recent window; 0: 1 */
	double base_hours;    /* time constant of the baseline; 0: 24 */
	double min_recent;    /* fewer (decayed) posts in the recent window: no alarm; 0: 20 */
	double min_base;      /* fewer (decayed) posts in the baseline: no alarm; 0: 100 */
	double z_alarm;       /* the z that is significant (one-sided); 0: 4.0 */
	double min_drop;      /* the smallest fall of net sentiment that counts; 0: 0.2 */
	double quiet_hours;   /* an alarm is an onset after this long without one; 0: 24 */
};

/* The detector's answer for one interval. */
struct shift_score {
	double net_recent;    /* net sentiment of the recent window (0 without posts) */
	double net_base;      /* net sentiment of the baseline (0 without posts) */
	double n_recent;      /* positive + negative posts in the recent window (decayed) */
	double n_base;        /* positive + negative posts in the baseline (decayed) */
	double neutral_recent;/* neutral posts in the recent window (decayed; not tested) */
	double z;             /* the z of the fall (positive: net sentiment fell); 0 if untested */
	int alarm;            /* 1: a significant fall with enough posts in both */
	int onset;            /* 1: alarm, and none in the quiet_hours before */
};

struct shift;

/* A new detector with opts (NULL: all defaults).  Never fails; the caller
 * owns it and frees it with shift_free(). */
struct shift *shift_new(const struct shift_opts *opts);
void shift_free(struct shift *det); /* NULL-safe */

/* Feed the counts of the interval that starts at t_ms (milliseconds since
 * the epoch, UTC) and return the detector's answer after it.  A t_ms that is
 * not after the previous one is ignored (returns an all-zero answer); a
 * negative or non-finite count counts as 0. */
struct shift_score shift_update(struct shift *det, int64_t t_ms, double n_pos, double n_neg,
				double n_neutral);

/* ---- ratings and the two-star rule (rating.c) ---- */

/* One review: its time (ms UTC) and its stars (1..5; fractions allowed). */
struct rating_review {
	int64_t t;
	double stars;
};

/* The two-star rule: a product whose reviews of the last window_ms have a
 * mean under `below` stars, with at least min_reviews of them, is to be
 * pulled from the catalogue. */
struct rating_rule {
	double below;        /* 0: 2.0 */
	size_t min_reviews;  /* 0: 10 */
	int64_t window_ms;   /* 0: 30 days */
};

/* What the reviews of one product say at time `now`. */
struct rating_summary {
	size_t n;            /* reviews at or before now */
	double mean;         /* their mean stars; NAN without reviews */
	double wilson;       /* Wilson lower bound (95 %) of the share of 4- and 5-star reviews */
	size_t n_recent;     /* reviews in (now - window, now] */
	double mean_recent;  /* NAN without */
	size_t n_prev;       /* reviews in (now - 2 window, now - window] */
	double mean_prev;    /* NAN without */
	double trend;        /* mean_recent - mean_prev; NAN unless both have min_reviews */
	int pull;            /* 1: the two-star rule holds */
};

/* The lower bound of the Wilson score interval of pos successes in n
 * trials at normal quantile z (1.96 for 95 %); 0 when n is 0. */
double rating_wilson_lower(double pos, double n, double z);

/* Summarise r[0..n) (any order; reviews after now are left out) under
 * rule (NULL: the defaults) into *out. */
void rating_summarise(const struct rating_review *r, size_t n, int64_t now,
		      const struct rating_rule *rule, struct rating_summary *out);

/* ---- answers and first-response times (answer.c) ---- */

/* One post of a conversation, as the answer tracker sees it: its id at
 * its source, its author's handle (without '@'), the id of the post it
 * replies to (NULL: none) and its time (ms UTC).  Strings are not owned. */
struct answer_post {
	const char *id;
	const char *author;
	const char *parent;
	int64_t t;
};

/* The first-response figures of one company account (brand). */
struct answer_brand {
	char handle[64];       /* the account, folded to lower case */
	size_t asked;          /* customer posts it answered or that were addressed to it */
	size_t answered;       /* of those, answered by it */
	double median_min;     /* median first-response time, minutes; NAN without answers */
	double mean_min;       /* mean first-response time, minutes; NAN without answers */
	double p90_min;        /* 90th percentile, minutes; NAN without answers */
	size_t within_sla;     /* answered within the SLA */
	size_t skewed;         /* its replies dated before their post (clock skew), left out */
	size_t orphans;        /* its replies to a post that is not in the set */
};

/* Compute each company account's first-response times over p[0..n): a
 * customer post (by an author not in accounts) is answered by the first
 * post of an account whose parent is its id; its response time is the
 * difference of their times (negative delays are left out).  A customer
 * post is addressed to an account when it answers one of its posts or
 * names it with '@handle' in text (texts[i], may be NULL).  accounts[0..
 * n_accounts) are handles compared without regard to ASCII case.  sla_ms
 * is the SLA the within_sla count uses.  Fills *out (the caller frees it
 * with free()) with one row per account that answered or was addressed,
 * busiest first (ties by handle), and *n_out.  Returns 0, or HORCH_EINVAL
 * with err filled when an account handle is empty or longer than 63 bytes.
 * Each account's row counts its own first reply to a post; a post that
 * repeats an earlier post's id is left out; an account whose replies were
 * all left out (skewed, orphans) has a row too. */
int answer_brands(const struct answer_post *p, const char *const *texts, size_t n,
		  const char *const *accounts, size_t n_accounts, int64_t sla_ms,
		  struct answer_brand **out, size_t *n_out, struct horch_err *err);

/* The same figures for all the accounts together, into *out (handle ""):
 * a customer post is asked when it is addressed to any account or answered
 * by one, and its response time is that of the first reply of any account.
 * Returns 0, or HORCH_EINVAL as answer_brands() does (*out untouched). */
int answer_total(const struct answer_post *p, const char *const *texts, size_t n,
		 const char *const *accounts, size_t n_accounts, int64_t sla_ms,
		 struct answer_brand *out, struct horch_err *err);

#endif
