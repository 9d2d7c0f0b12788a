/* fuzz_ratings.c - libFuzzer target for the reader of horch eval ratings
 * (src/cli/eval_ratings.c, cli_eval_ratings_read()): a CSV file of reviews
 * in Datafiniti's layout (a header naming name, asins, reviews.rating,
 * reviews.date, reviews.text and reviews.username; quoted fields may span
 * lines), and the summaries of its products (rating_summarise()).
 *
 * The input is the file.  It is read twice, under the default two-star
 * rule and under one that pulls every product (below 6 stars, one review,
 * a window longer than any file).  A success must account for every
 * record (kept, a duplicate or left out for one reason), keep at least one
 * review, name no more products than reviews, and summarise all reviews
 * into means from 1 to 5 and a Wilson bound from 0 to 1; both reads must
 * count the same, and the second must pull every product and put every
 * review in its window.  An error must have a message and a line within
 * the file.  A broken rule aborts.
 * Corpus: tests/fuzz/corpus/ratings, dictionary: tests/fuzz/ratings.dict. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "signal/signal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_ratings: %s\n", what);
	abort();
}

static int is_mean(double m)
{
	return m >= 1 && m <= 5;
}

/* Check one read; returns 1 when it succeeded. */
static int check(int rc, const struct horch_err *err, const struct cli_ratings_counts *k,
		 const struct rating_summary *all, const struct rating_rule *rule, size_t lines)
{
	if (rc != 0) {
		if ((rc != HORCH_EPARSE && rc != HORCH_ETOOBIG) || err->code != rc || !err->msg[0])
			fail("an error that is not a parse or size error with a message");
		if (err->line < 0 || (size_t)err->line > lines)
			fail("an error on a line outside the file");
		return 0;
	}
	if (k->records != k->reviews + k->duplicates + k->no_name + k->no_rating + k->no_date)
		fail("records not accounted for");
	if (k->records > lines)
		fail("more records than lines");
	if (k->reviews == 0 || k->products == 0 || k->products > k->reviews)
		fail("a success without reviews, or more products than reviews");
	if (k->pulled > k->products)
		fail("more products pulled than there are");
	if (all->n != k->reviews || !is_mean(all->mean) || !(all->wilson >= 0 && all->wilson <= 1))
		fail("the summary of all reviews is not of every review, or out of range");
	if (all->n_recent + all->n_prev > all->n || all->n_recent == 0)
		fail("the windows hold more reviews than there are, or not the newest");
	if (!is_mean(all->mean_recent) || (all->n_prev ? !is_mean(all->mean_prev) :
					   !isnan(all->mean_prev)))
		fail("a window's mean out of range");
	if (!isnan(all->trend) && (all->n_recent < rule->min_reviews ||
				   all->n_prev < rule->min_reviews))
		fail("a trend without enough reviews in both windows");
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rating_rule deflt = { 2.0, 10, (int64_t)30 * 86400000 };
	static const struct rating_rule every = { 6.0, 1, INT64_MAX };
	struct cli_ratings_counts k1, k2;
	struct rating_summary a1, a2;
	struct horch_err e1, e2;
	size_t lines = 1;
	int rc1, rc2;

	/* Lines end at LF, CR LF or a lone CR, as for the reader. */
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
	memset(&k1, 0, sizeof k1);
	memset(&k2, 0, sizeof k2);
	rc1 = cli_eval_ratings_read("fuzz.csv", (const char *)data, size, &deflt, &k1, &a1, &e1);
	rc2 = cli_eval_ratings_read("fuzz.csv", (const char *)data, size, &every, &k2, &a2, &e2);
	if (rc1 != rc2 || (rc1 && strcmp(e1.msg, e2.msg) != 0))
		fail("the two reads of one file end differently");
	if (!check(rc1, &e1, &k1, &a1, &deflt, lines) || !check(rc2, &e2, &k2, &a2, &every, lines))
		return 0;
	if (k1.records != k2.records || k1.reviews != k2.reviews ||
	    k1.duplicates != k2.duplicates || k1.products != k2.products || k1.now != k2.now)
		fail("the two reads of one file count differently");
	if (k2.pulled != k2.products || a2.n_recent != a2.n || a2.n_prev != 0)
		fail("a rule that pulls every product did not");
	return 0;
}
