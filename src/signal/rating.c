/* rating.c - what a product's reviews say: mean stars, the Wilson lower
 * bound of the share of good reviews, the recent window and its trend, and
 * the two-star rule that pulls a product from the catalogue.
 *
 * A review is good when it has 4 or 5 stars; with fractional stars, when it
 * has more than 3.5.  The Wilson lower bound (95 %, z = 1.96) of that share
 * ranks products better than the mean does when their review counts
 * differ: one 5-star review is a mean of 5 but a bound of 0.21, while 95
 * good reviews out of 100 give a bound of 0.89.  The rule looks only at the
 * last window (30 days by default): a product whose reviews of the window
 * have a mean under `below` stars (2) and number at least min_reviews (10)
 * is to be pulled.  The trend compares the window's mean with the one
 * before it, and only when both windows have min_reviews reviews: a trend
 * of three reviews against four would be noise.
 *
 * Pure functions of their arguments: one pass over the reviews, no
 * allocation, any thread.  docs/signals.md has the definitions and the
 * figures on real reviews. */
#include <math.h>
#include <string.h>

#include "signal.h"

#define RATING_DAY_MS ((int64_t)86400000)
#define RATING_Z95 1.96            /* the normal quantile of a 95 % interval */
#define RATING_GOOD_ABOVE 3.5      /* more stars than this: a good review */

/* The lower bound of the Wilson score interval:
 *   (p + z^2/2n - z sqrt(p (1 - p)/n + z^2/4n^2)) / (1 + z^2/n),
 * p = pos / n.  pos is clamped to 0..n so that a caller's rounding cannot
 * take the root of a negative number; n that is not positive (or NAN)
 * gives 0.  No good review gives exactly 0, which the formula reaches only
 * up to rounding (-2e-17 for 0 of 10). */
double rating_wilson_lower(double pos, double n, double z)
{
	double p, z2, root;

	if (!(n > 0) || !isfinite(n))
		return 0;
	if (!(pos > 0))
		return 0;
	if (pos > n)
		pos = n;
	p = pos / n;
	z2 = z * z;
	root = sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	return (p + z2 / (2 * n) - z * root) / (1 + z2 / n);
}

/* The mean of sum over n values, NAN for none. */
static double mean_of(double sum, size_t n)
{
	return n ? sum / (double)n : NAN;
}

/* Summarise the reviews in one pass.  A review's age is now - t, computed
 * without overflow in unsigned arithmetic (t <= now, so the difference fits
 * in 64 unsigned bits whatever the two times are).  A review whose stars are
 * not a finite number is left out: one NAN would make every mean NAN.  A
 * rule whose below is not positive, or whose window is not positive, takes
 * the default for it. */
void rating_summarise(const struct rating_review *r, size_t n, int64_t now,
		      const struct rating_rule *rule, struct rating_summary *out)
{
	double below = 2.0, sum = 0, sum_recent = 0, sum_prev = 0, pos = 0;
	size_t min_reviews = 10, n_all = 0, n_recent = 0, n_prev = 0;
	uint64_t window = (uint64_t)(30 * RATING_DAY_MS);

	if (rule) {
		if (rule->below > 0 && isfinite(rule->below))
			below = rule->below;
		if (rule->min_reviews)
			min_reviews = rule->min_reviews;
		if (rule->window_ms > 0)
			window = (uint64_t)rule->window_ms;
	}
	for (size_t i = 0; i < n; i++) {
		double stars = r[i].stars;
		uint64_t age;

		if (r[i].t > now || !isfinite(stars))
			continue;
		n_all++;
		sum += stars;
		if (stars > RATING_GOOD_ABOVE)
			pos++;
		age = (uint64_t)now - (uint64_t)r[i].t;
		if (age < window) {
			n_recent++;
			sum_recent += stars;
		} else if (age - window < window) {
			n_prev++;
			sum_prev += stars;
		}
	}
	memset(out, 0, sizeof *out);
	out->n = n_all;
	out->mean = mean_of(sum, n_all);
	out->wilson = rating_wilson_lower(pos, (double)n_all, RATING_Z95);
	out->n_recent = n_recent;
	out->mean_recent = mean_of(sum_recent, n_recent);
	out->n_prev = n_prev;
	out->mean_prev = mean_of(sum_prev, n_prev);
	out->trend = n_recent >= min_reviews && n_prev >= min_reviews ?
		out->mean_recent - out->mean_prev : NAN;
	out->pull = n_recent >= min_reviews && out->mean_recent < below;
}
