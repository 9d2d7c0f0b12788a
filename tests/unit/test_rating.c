/* test_rating.c - the ratings of src/signal/rating.c: the Wilson lower
 * bound against published values, and the summary of a product's reviews
 * (means, the recent and the previous window and their edges, the trend and
 * when it is NAN, the two-star rule at and just under its minimum number of
 * reviews, fractional stars, reviews after now, extreme times).
 *
 * The Wilson values were computed with the formula in docs/signals.md in
 * double precision and agree with the published 95 % intervals (5 of 10:
 * 0.2366..0.7634; 50 of 100: 0.4038..0.5962). */
#include <math.h>
#include <stdint.h>

#include "tap.h"
#include "../../src/signal/signal.h"

#define DAY ((int64_t)86400000)
#define NOW ((int64_t)1514764800000) /* 2018-01-01T00:00:00Z */

#define MAX_REVIEWS 64

/* Reviews built by the tests: add() appends one. */
static struct rating_review rv[MAX_REVIEWS];
static size_t n_rv;

static void add(int64_t t, double stars)
{
	if (n_rv < MAX_REVIEWS)
		rv[n_rv++] = (struct rating_review){ .t = t, .stars = stars };
}

/* k reviews of stars each, spread over the hours before t. */
static void add_k(size_t k, int64_t t, double stars)
{
	for (size_t i = 0; i < k; i++)
		add(t - (int64_t)i * 3600000, stars);
}

static void wilson_tests(void)
{
	is_dbl(rating_wilson_lower(0, 0, 1.96), 0.0, 0, "rating-1.1 0 of 0 is 0");
	is_dbl(rating_wilson_lower(5, 10, 1.96), 0.2365895936154873, 1e-9,
	       "rating-1.2 5 of 10 at 95 %%");
	is_dbl(rating_wilson_lower(50, 100, 1.96), 0.40382982859014716, 1e-9,
	       "rating-1.3 50 of 100 at 95 %%");
	is_dbl(rating_wilson_lower(1, 1, 1.96), 1.0 / (1.0 + 1.96 * 1.96), 1e-9,
	       "rating-1.4 1 of 1 is 1 / (1 + z^2)");
	is_dbl(rating_wilson_lower(1, 1, 1.96), 0.20654329147389294, 1e-9,
	       "rating-1.5 1 of 1 at 95 %% is 0.2065");
	is_dbl(rating_wilson_lower(10, 10, 1.96), 0.7224598312333834, 1e-9,
	       "rating-1.6 10 of 10 at 95 %%");
	is_dbl(rating_wilson_lower(95, 100, 1.96), 0.8882480347279117, 1e-9,
	       "rating-1.7 95 of 100 at 95 %%");
	ok(rating_wilson_lower(0, 10, 1.96) == 0.0, "rating-1.8 0 of 10 is exactly 0");
	is_dbl(rating_wilson_lower(1, 1, 1.0), 0.5, 1e-12, "rating-1.9 1 of 1 at z 1 is 0.5");
	is_dbl(rating_wilson_lower(9, 10, 2.576), 0.49274155697231, 1e-9,
	       "rating-1.10 9 of 10 at 99 %%");
	is_dbl(rating_wilson_lower(12, 10, 1.96), 0.7224598312333834, 1e-9,
	       "rating-1.11 more successes than trials count as all");
	ok(rating_wilson_lower(3, -1, 1.96) == 0.0, "rating-1.12 a negative n is 0");
	ok(rating_wilson_lower(3, NAN, 1.96) == 0.0, "rating-1.13 a NAN n is 0");
	ok(rating_wilson_lower(NAN, 10, 1.96) == 0.0, "rating-1.14 a NAN pos is none");
	ok(rating_wilson_lower(5, 10, 1.96) < rating_wilson_lower(50, 100, 1.96),
	   "rating-1.15 the same share with more reviews has a higher bound");
}

static void empty_tests(void)
{
	struct rating_summary s;

	rating_summarise(NULL, 0, NOW, NULL, &s);
	is_int(s.n, 0, "rating-2.1 no reviews: n 0");
	ok(isnan(s.mean), "rating-2.2 no reviews: the mean is NAN");
	ok(s.wilson == 0.0, "rating-2.3 no reviews: the Wilson bound is 0");
	is_int(s.n_recent, 0, "rating-2.4 no reviews: none recent");
	ok(isnan(s.mean_recent) && isnan(s.mean_prev), "rating-2.5 no reviews: window means NAN");
	ok(isnan(s.trend), "rating-2.6 no reviews: the trend is NAN");
	is_int(s.pull, 0, "rating-2.7 no reviews: not pulled");
}

static void window_tests(void)
{
	struct rating_summary s;

	n_rv = 0;
	add(NOW, 5);                  /* recent: the window ends at now, included */
	add(NOW - 30 * DAY + 1, 4);   /* recent: the window's first millisecond */
	add(NOW - 30 * DAY, 3);       /* previous: (now - 60d, now - 30d] */
	add(NOW - 60 * DAY + 1, 2);   /* previous: its first millisecond */
	add(NOW - 60 * DAY, 1);       /* in neither window, still a review */
	add(NOW + 1, 1);              /* after now: left out */
	add(NOW + 400 * DAY, 1);      /* long after now: left out */
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_int(s.n, 5, "rating-3.1 reviews after now are left out");
	is_dbl(s.mean, 3.0, 1e-12, "rating-3.2 the mean of 5, 4, 3, 2, 1");
	is_dbl(s.wilson, rating_wilson_lower(2, 5, 1.96), 1e-15,
	       "rating-3.3 the Wilson bound of 2 good of 5");
	is_int(s.n_recent, 2, "rating-3.4 the recent window is (now - 30d, now]");
	is_dbl(s.mean_recent, 4.5, 1e-12, "rating-3.5 the recent mean");
	is_int(s.n_prev, 2, "rating-3.6 the previous window is (now - 60d, now - 30d]");
	is_dbl(s.mean_prev, 2.5, 1e-12, "rating-3.7 the previous mean");
	ok(isnan(s.trend), "rating-3.8 no trend with 2 and 2 reviews under the default 10");

	/* The same reviews in the reverse order give the same summary. */
	for (size_t i = 0; i < n_rv / 2; i++) {
		struct rating_review tmp = rv[i];

		rv[i] = rv[n_rv - 1 - i];
		rv[n_rv - 1 - i] = tmp;
	}
	{
		struct rating_summary s2;

		rating_summarise(rv, n_rv, NOW, NULL, &s2);
		ok(s2.n == s.n && s2.n_recent == s.n_recent && s2.n_prev == s.n_prev &&
		   s2.mean == s.mean && s2.mean_recent == s.mean_recent &&
		   s2.mean_prev == s.mean_prev, "rating-3.9 the order of the reviews does not matter");
	}

	/* A window of 7 days. */
	{
		struct rating_rule rule = { .window_ms = 7 * DAY, .min_reviews = 1 };

		n_rv = 0;
		add(NOW - 1 * DAY, 1);
		add(NOW - 6 * DAY, 2);
		add(NOW - 8 * DAY, 5);
		add(NOW - 13 * DAY, 4);
		add(NOW - 20 * DAY, 5);
		rating_summarise(rv, n_rv, NOW, &rule, &s);
		is_int(s.n_recent, 2, "rating-3.10 a 7-day window: 2 recent");
		is_int(s.n_prev, 2, "rating-3.11 a 7-day window: 2 in the week before");
		is_dbl(s.trend, 1.5 - 4.5, 1e-12, "rating-3.12 the trend is recent minus previous");
		is_int(s.pull, 1, "rating-3.13 min_reviews 1: a recent mean of 1.5 is pulled");
	}
}

static void trend_tests(void)
{
	struct rating_rule rule = { .min_reviews = 3 };
	struct rating_summary s;

	n_rv = 0;
	add_k(3, NOW - 1 * DAY, 4);
	add_k(2, NOW - 40 * DAY, 2);
	rating_summarise(rv, n_rv, NOW, &rule, &s);
	ok(isnan(s.trend), "rating-4.1 no trend when the previous window has fewer than "
	   "min_reviews");
	is_dbl(s.mean_prev, 2.0, 1e-12, "rating-4.2 ... its mean is there all the same");

	add(NOW - 41 * DAY, 5);
	rating_summarise(rv, n_rv, NOW, &rule, &s);
	is_dbl(s.trend, 4.0 - 3.0, 1e-12, "rating-4.3 a trend with min_reviews in both windows");

	n_rv = 0;
	add_k(2, NOW - 1 * DAY, 4);
	add_k(5, NOW - 40 * DAY, 2);
	rating_summarise(rv, n_rv, NOW, &rule, &s);
	ok(isnan(s.trend), "rating-4.4 no trend when the recent window has fewer than "
	   "min_reviews");

	n_rv = 0;
	add_k(3, NOW - 40 * DAY, 2);
	rating_summarise(rv, n_rv, NOW, &rule, &s);
	ok(isnan(s.trend) && isnan(s.mean_recent), "rating-4.5 no trend without recent reviews");

	n_rv = 0;
	add_k(10, NOW - 1 * DAY, 3);
	add_k(10, NOW - 31 * DAY, 4.5);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_dbl(s.trend, -1.5, 1e-12, "rating-4.6 the default rule: a trend at 10 and 10");
}

static void pull_tests(void)
{
	struct rating_summary s;

	n_rv = 0;
	add_k(5, NOW - 2 * DAY, 1);
	add_k(5, NOW - 3 * DAY, 2);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_int(s.n_recent, 10, "rating-5.1 ten recent reviews");
	is_dbl(s.mean_recent, 1.5, 1e-12, "rating-5.2 their mean is 1.5");
	is_int(s.pull, 1, "rating-5.3 pulled at exactly min_reviews (10)");

	n_rv = 0;
	add_k(5, NOW - 2 * DAY, 1);
	add_k(4, NOW - 3 * DAY, 2);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_int(s.n_recent, 9, "rating-5.4 nine recent reviews");
	is_int(s.pull, 0, "rating-5.5 not pulled just under min_reviews");

	/* Nine recent and many old bad ones: only the window counts. */
	add_k(20, NOW - 45 * DAY, 1);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_int(s.n, 29, "rating-5.6 29 reviews in all");
	is_int(s.pull, 0, "rating-5.7 old reviews do not make up the window's minimum");

	n_rv = 0;
	add_k(10, NOW - 2 * DAY, 2);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_int(s.pull, 0, "rating-5.8 a mean of exactly 2 is not under 2");

	add(NOW - 2 * DAY, 1.8);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_dbl(s.mean_recent, 21.8 / 11, 1e-12, "rating-5.9 a fractional review in the mean");
	is_int(s.pull, 1, "rating-5.10 a mean of 1.98 is under 2");

	{
		struct rating_rule rule = { .below = 3.0, .min_reviews = 12 };

		rating_summarise(rv, n_rv, NOW, &rule, &s);
		is_int(s.pull, 0, "rating-5.11 min_reviews 12: 11 are not enough");
		add(NOW - 1, 5);
		rating_summarise(rv, n_rv, NOW, &rule, &s);
		is_dbl(s.mean_recent, 26.8 / 12, 1e-12, "rating-5.12 the mean with a 5");
		is_int(s.pull, 1, "rating-5.13 below 3: a mean of 2.23 is pulled");
	}

	/* The rule's defaults: zero and nonsense fields are the defaults. */
	{
		struct rating_rule zero = { 0 }, odd = { .below = -1, .window_ms = -5 };
		struct rating_summary s0, s1;

		n_rv = 0;
		add_k(10, NOW - 29 * DAY, 1);
		rating_summarise(rv, n_rv, NOW, &zero, &s0);
		rating_summarise(rv, n_rv, NOW, &odd, &s1);
		ok(s0.pull == 1 && s0.n_recent == 10, "rating-5.14 a zero rule is the default one");
		ok(s1.pull == 1 && s1.n_recent == 10, "rating-5.15 a negative below or window is "
		   "the default");
		odd.below = NAN;
		rating_summarise(rv, n_rv, NOW, &odd, &s1);
		is_int(s1.pull, 1, "rating-5.16 a NAN below is the default");
	}
}

static void stars_tests(void)
{
	struct rating_summary s;

	n_rv = 0;
	add(NOW - 1, 3.5);  /* not good: 3.5 is not more than 3.5 */
	add(NOW - 2, 3.6);  /* good */
	add(NOW - 3, 4);    /* good */
	add(NOW - 4, 1.5);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_dbl(s.mean, (3.5 + 3.6 + 4 + 1.5) / 4, 1e-12, "rating-6.1 the mean of fractional stars");
	is_dbl(s.wilson, rating_wilson_lower(2, 4, 1.96), 1e-15,
	       "rating-6.2 3.6 and 4 are good, 3.5 is not");

	add(NOW - 5, NAN);
	add(NOW - 6, INFINITY);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_int(s.n, 4, "rating-6.3 stars that are not a finite number are left out");
	ok(isfinite(s.mean), "rating-6.4 ... and do not spoil the mean");

	n_rv = 0;
	add_k(10, NOW - DAY, 5);
	rating_summarise(rv, n_rv, NOW, NULL, &s);
	is_dbl(s.wilson, 0.7224598312333834, 1e-9, "rating-6.5 ten 5-star reviews: 0.7225");
	is_dbl(s.mean, 5.0, 0, "rating-6.6 ten 5-star reviews: a mean of 5");
}

static void extreme_tests(void)
{
	struct rating_summary s;

	n_rv = 0;
	add(INT64_MIN, 1);
	add(INT64_MAX - 1, 2);
	add(INT64_MAX, 3);
	rating_summarise(rv, n_rv, INT64_MAX, NULL, &s);
	is_int(s.n, 3, "rating-7.1 times at both ends of int64 are reviews");
	is_int(s.n_recent, 2, "rating-7.2 ... the age of the oldest does not overflow");
	is_int(s.n_prev, 0, "rating-7.3 ... and it is in no window");

	rating_summarise(rv, n_rv, INT64_MIN, NULL, &s);
	is_int(s.n, 1, "rating-7.4 now at INT64_MIN sees only that review");
	is_int(s.n_recent, 1, "rating-7.5 ... as a recent one");

	{
		struct rating_rule rule = { .window_ms = INT64_MAX };

		add(-1, 4); /* 2^63 ms before now: just past the first window */
		rating_summarise(rv, n_rv, INT64_MAX, &rule, &s);
		is_int(s.n_recent, 2, "rating-7.6 a window of INT64_MAX ms");
		is_int(s.n_prev, 1, "rating-7.7 ... twice it does not overflow");
		is_dbl(s.mean_prev, 4.0, 0, "rating-7.8 ... the review 2^63 ms back is the "
		       "previous window's");
	}
}

int main(void)
{
	wilson_tests();
	empty_tests();
	window_tests();
	trend_tests();
	pull_tests();
	stars_tests();
	extreme_tests();
	return tap_done();
}
