/* test_answer.c - first-response times (src/signal/answer.c) on constructed
 * conversations whose answers are known: the first reply wins, a reply to a
 * customer's reply, replies dated before their post, parents missing from
 * the set, accounts compared without regard to case, @mentions, unanswered
 * posts, the SLA's boundary, exact medians of odd and even counts, the
 * all-accounts figures, bad account handles, and 100,000 synthetic posts
 * in any order within a time that an O(n^2) pass could not meet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "../../src/signal/signal.h"

#define T0 ((int64_t)1509400000000) /* Oct 30 2017, in ms */
#define MIN ((int64_t)60000)
#define SLA_4H ((int64_t)4 * 60 * MIN)

/* A conversation being built: posts and their texts. */
struct conv {
	struct answer_post p[64];
	const char *text[64];
	size_t n;
};

/* Add a post at `min` minutes after T0 (parent and text may be NULL). */
static void add(struct conv *c, const char *id, const char *author, const char *parent,
		double min, const char *text)
{
	c->p[c->n].id = id;
	c->p[c->n].author = author;
	c->p[c->n].parent = parent;
	c->p[c->n].t = T0 + (int64_t)(min * (double)MIN);
	c->text[c->n] = text;
	c->n++;
}

/* Run answer_brands() on c; returns the row of handle (folded), or NULL. */
static const struct answer_brand *row_of(const struct answer_brand *rows, size_t n,
					 const char *handle)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].handle, handle) == 0)
			return &rows[i];
	return NULL;
}

static int run(struct conv *c, const char *const *acc, size_t n_acc, int64_t sla,
	       struct answer_brand **rows, size_t *n_rows, struct answer_brand *total)
{
	struct horch_err err;
	int rc;

	horch_err_clear(&err);
	rc = answer_brands(c->p, c->text, c->n, acc, n_acc, sla, rows, n_rows, &err);
	if (rc == 0)
		rc = answer_total(c->p, c->text, c->n, acc, n_acc, sla, total, &err);
	if (rc)
		diag("error: %s", err.msg);
	return rc;
}

static const char *const dell[] = { "DellCares" };

static void test_first_reply(void)
{
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	const struct answer_brand *r;
	size_t n = 0;

	add(&c, "1", "115712", NULL, 0, "@DellCares my laptop runs hot");
	add(&c, "3", "DellCares", "1", 30, "@115712 Second answer");
	add(&c, "2", "DellCares", "1", 10, "@115712 Sorry, DM us");
	add(&c, "4", "DellCares", "1", 10, "@115712 same minute, a later row");
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-1.1 runs");
	is_int(n, 1, "answer-1.2 one row");
	r = row_of(rows, n, "dellcares");
	ok(r != NULL, "answer-1.3 the row is the folded handle");
	if (r) {
		is_int(r->asked, 1, "answer-1.4 one post asked");
		is_int(r->answered, 1, "answer-1.5 answered once, not three times");
		is_dbl(r->median_min, 10.0, 1e-9, "answer-1.6 the earliest reply counts, not the "
		       "first row");
		is_dbl(r->mean_min, 10.0, 1e-9, "answer-1.7 mean of one");
		is_dbl(r->p90_min, 10.0, 1e-9, "answer-1.8 p90 of one");
		is_int(r->within_sla, 1, "answer-1.9 within the SLA");
		is_int(r->skewed + r->orphans, 0, "answer-1.10 nothing left out");
	}
	is_int(tot.asked, 1, "answer-1.11 all: one asked");
	is_int(tot.answered, 1, "answer-1.12 all: one answered");
	is_str(tot.handle, "", "answer-1.13 all: no handle");
	free(rows);
}

static void test_thread(void)
{
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	const struct answer_brand *r;
	size_t n = 0;

	/* The customer answers the brand without naming it; the brand answers
	 * that reply: two customer posts, each answered. */
	add(&c, "10", "cust", NULL, 0, "@DellCares screen flickers");
	add(&c, "11", "DellCares", "10", 10, "@cust Which model?");
	add(&c, "12", "cust", "11", 20, "XPS 13");
	add(&c, "13", "DellCares", "12", 25, "@cust Thanks, a fix is out");
	add(&c, "14", "cust", "13", 40, "thanks!");
	/* The brand continues its own thread: that answers nobody. */
	add(&c, "15", "DellCares", "13", 26, "(2/2) update the BIOS");
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-2.1 runs");
	r = row_of(rows, n, "dellcares");
	ok(r != NULL, "answer-2.2 a row");
	if (r) {
		is_int(r->asked, 3, "answer-2.3 three customer posts addressed (two by reply)");
		is_int(r->answered, 2, "answer-2.4 two answered (the thanks is not)");
		is_dbl(r->median_min, 7.5, 1e-9, "answer-2.5 median of 10 and 5 minutes");
		is_dbl(r->mean_min, 7.5, 1e-9, "answer-2.6 mean of 10 and 5 minutes");
		is_dbl(r->p90_min, 10.0, 1e-9, "answer-2.7 p90 of two is the larger");
	}
	is_int(tot.asked, 3, "answer-2.8 all: three asked");
	is_int(tot.answered, 2, "answer-2.9 all: two answered");
	free(rows);
}

static void test_skew_and_orphans(void)
{
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	const struct answer_brand *r;
	size_t n = 0;

	add(&c, "20", "cust", NULL, 100, "my order is late");
	add(&c, "21", "DellCares", "20", 90, "@cust dated before the post");
	add(&c, "22", "DellCares", "999", 5, "@other the post is not in the set");
	add(&c, "23", "cust2", NULL, 0, "@DellCares hello");
	add(&c, "24", "DellCares", "23", -1, "@cust2 a minute early");
	add(&c, "25", "DellCares", "23", 3, "@cust2 three minutes late");
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-3.1 runs");
	r = row_of(rows, n, "dellcares");
	ok(r != NULL, "answer-3.2 a row");
	if (r) {
		is_int(r->skewed, 2, "answer-3.3 two replies before their post, counted");
		is_int(r->orphans, 1, "answer-3.4 one reply to a post not in the set");
		is_int(r->asked, 1, "answer-3.5 a skewed reply alone does not address a post");
		is_int(r->answered, 1, "answer-3.6 the later reply answers post 23");
		is_dbl(r->median_min, 3.0, 1e-9, "answer-3.7 negative delay left out of the median");
	}
	is_int(tot.skewed, 2, "answer-3.8 all: skewed");
	is_int(tot.orphans, 1, "answer-3.9 all: orphans");
	free(rows);

	/* An account with nothing but a skewed reply still has a row. */
	memset(&c, 0, sizeof c);
	add(&c, "30", "cust", NULL, 10, "no mention");
	add(&c, "31", "DellCares", "30", 5, "early");
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-3.10 runs");
	is_int(n, 1, "answer-3.11 a row for the skewed reply");
	if (n == 1) {
		is_int(rows[0].asked, 0, "answer-3.12 nothing asked");
		ok(isnan(rows[0].median_min) && isnan(rows[0].mean_min) && isnan(rows[0].p90_min),
		   "answer-3.13 no times: NAN");
	}
	free(rows);
}

static void test_case_and_mentions(void)
{
	static const char *const acc[] = { "DellCares", "dellcares", "AlienwareSupport",
					   "Dell" };
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	const struct answer_brand *r;
	size_t n = 0;

	add(&c, "40", "c1", NULL, 0, "@DELLcares and @alienwaresupport: both broken");
	add(&c, "41", "dellcares", "40", 20, "reply by the folded handle");
	add(&c, "42", "c2", NULL, 0, "write to me@dellcares.com or @DellCaresX or @Dell's");
	add(&c, "43", "c3", NULL, 0, "@@DellCares twice @DellCares");
	add(&c, "44", "DELLCARES", "43", 61, "upper case author");
	add(&c, "45", "c4", "44", 70, NULL);
	is_int(run(&c, acc, 4, SLA_4H, &rows, &n, &tot), 0, "answer-4.1 runs");
	is_int(n, 3, "answer-4.2 duplicate accounts merged: three rows");
	if (n == 3) {
		is_str(rows[0].handle, "dellcares", "answer-4.3 busiest first");
		is_str(rows[1].handle, "alienwaresupport", "answer-4.4 then ties by handle");
		is_str(rows[2].handle, "dell", "answer-4.5 then the last");
	}
	r = row_of(rows, n, "dellcares");
	if (r) {
		is_int(r->asked, 3, "answer-4.6 posts 40, 43 (once) and 45 (a reply) asked; "
		       "not the e-mail address or a longer handle");
		is_int(r->answered, 2, "answer-4.7 answered whatever the author's case");
		is_dbl(r->median_min, 40.5, 1e-9, "answer-4.8 median of 20 and 61 minutes");
	} else {
		tap_skip(3, "no dellcares row");
	}
	r = row_of(rows, n, "alienwaresupport");
	if (r) {
		is_int(r->asked, 1, "answer-4.9 named, so asked");
		is_int(r->answered, 0, "answer-4.10 unanswered");
		ok(isnan(r->median_min), "answer-4.11 no median without answers");
	} else {
		tap_skip(3, "no alienwaresupport row");
	}
	r = row_of(rows, n, "dell");
	is_int(r ? r->asked : 0, 1, "answer-4.12 @Dell's names Dell");
	is_int(tot.asked, 4, "answer-4.13 all: four customer posts addressed");
	is_int(tot.answered, 2, "answer-4.14 all: two answered");
	free(rows);
}

static void test_unanswered_and_reply_to_customer(void)
{
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	size_t n = 0;

	add(&c, "50", "c1", NULL, 0, "nobody named");
	add(&c, "51", "c2", "50", 1, "@c1 me too");
	add(&c, "52", "DellCares", "51", 31, "@c2 we can help");
	add(&c, "53", "c3", NULL, 5, "@DellCares hello?");
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-5.1 runs");
	is_int(n, 1, "answer-5.2 one row");
	if (n == 1) {
		is_int(rows[0].asked, 2, "answer-5.3 the answered post and the named one");
		is_int(rows[0].answered, 1, "answer-5.4 one answered");
		is_dbl(rows[0].median_min, 30.0, 1e-9, "answer-5.5 a reply to a customer's "
		       "reply to another customer");
	}
	is_int(tot.asked, 2, "answer-5.6 all: the post nobody was asked is not counted");
	free(rows);

	/* No account: no rows, nothing asked. */
	is_int(run(&c, NULL, 0, SLA_4H, &rows, &n, &tot), 0, "answer-5.7 no accounts");
	is_int(n, 0, "answer-5.8 no rows");
	is_int(tot.asked, 0, "answer-5.9 nothing asked");
	ok(isnan(tot.median_min), "answer-5.10 no median");
	free(rows);

	/* No texts at all: addressing by reply only. */
	{
		struct answer_brand *r2 = NULL;
		struct horch_err err;
		size_t n2 = 0;

		is_int(answer_brands(c.p, NULL, c.n, dell, 1, SLA_4H, &r2, &n2, &err), 0,
		       "answer-5.11 texts NULL");
		is_int(n2 == 1 ? r2[0].asked : 99, 1, "answer-5.12 without texts only the "
		       "answered post is asked");
		free(r2);
	}
}

static void test_sla_boundary(void)
{
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	size_t n = 0;

	add(&c, "60", "c1", NULL, 0, "@DellCares a");
	add(&c, "61", "DellCares", "60", 240, "exactly four hours");
	add(&c, "62", "c2", NULL, 0, "@DellCares b");
	add(&c, "63", "DellCares", "62", 0, "one ms more, below");
	c.p[c.n - 1].t = T0 + SLA_4H + 1;
	add(&c, "64", "c3", NULL, 0, "@DellCares c");
	add(&c, "65", "DellCares", "64", 0, "at once");
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-6.1 runs");
	if (n == 1) {
		is_int(rows[0].answered, 3, "answer-6.2 three answered");
		is_int(rows[0].within_sla, 2, "answer-6.3 4 h is within, 4 h + 1 ms is not, "
		       "0 is");
		is_dbl(rows[0].median_min, 240.0, 1e-9, "answer-6.4 median 240 min");
		is_dbl(rows[0].p90_min, 240.0 + 1.0 / 60000, 1e-12, "answer-6.5 p90 the largest");
	}
	is_int(tot.within_sla, 2, "answer-6.6 all: within the SLA");
	free(rows);
	is_int(run(&c, dell, 1, 0, &rows, &n, &tot), 0, "answer-6.7 an SLA of 0");
	is_int(n == 1 ? rows[0].within_sla : 99, 1, "answer-6.8 only the instant answer");
	free(rows);
}

static void test_medians(void)
{
	static const double odd[] = { 10, 1, 2 }, even[] = { 3, 10, 1, 2 };
	static const char *ids[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
	static const char *rids[] = { "ra", "rb", "rc", "rd", "re", "rf", "rg", "rh", "ri",
				      "rj" };
	struct conv c;
	struct answer_brand *rows = NULL, tot;
	size_t n = 0;

	memset(&c, 0, sizeof c);
	for (size_t i = 0; i < 3; i++) {
		add(&c, ids[i], "cust", NULL, 0, "@dellcares");
		add(&c, rids[i], "DellCares", ids[i], odd[i], NULL);
	}
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-7.1 odd count runs");
	if (n == 1) {
		is_dbl(rows[0].median_min, 2.0, 1e-9, "answer-7.2 median of 1, 2, 10 is 2");
		is_dbl(rows[0].mean_min, 13.0 / 3, 1e-9, "answer-7.3 mean 13/3");
		is_dbl(rows[0].p90_min, 10.0, 1e-9, "answer-7.4 p90 of three is the third");
	}
	is_dbl(tot.median_min, 2.0, 1e-9, "answer-7.5 all: the same median");
	free(rows);

	memset(&c, 0, sizeof c);
	for (size_t i = 0; i < 4; i++) {
		add(&c, ids[i], "cust", NULL, 0, "@dellcares");
		add(&c, rids[i], "DellCares", ids[i], even[i], NULL);
	}
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-7.6 even count runs");
	if (n == 1) {
		is_dbl(rows[0].median_min, 2.5, 1e-9, "answer-7.7 median of 1, 2, 3, 10 is 2.5");
		is_dbl(rows[0].mean_min, 4.0, 1e-9, "answer-7.8 mean 4");
		is_dbl(rows[0].p90_min, 10.0, 1e-9, "answer-7.9 p90 of four is the fourth");
	}
	free(rows);

	memset(&c, 0, sizeof c);
	for (size_t i = 0; i < 10; i++) {
		add(&c, ids[i], "cust", NULL, 0, "@dellcares");
		add(&c, rids[i], "DellCares", ids[i], (double)(10 - i), NULL);
	}
	is_int(run(&c, dell, 1, SLA_4H, &rows, &n, &tot), 0, "answer-7.10 ten runs");
	if (n == 1) {
		is_dbl(rows[0].median_min, 5.5, 1e-9, "answer-7.11 median of 1..10 is 5.5");
		is_dbl(rows[0].p90_min, 9.0, 1e-9, "answer-7.12 p90 of 1..10 is 9 (nearest rank)");
	}
	free(rows);
}

static void test_two_brands_and_duplicates(void)
{
	static const char *const acc[] = { "AmazonHelp", "AppleSupport" };
	struct conv c = { 0 };
	struct answer_brand *rows = NULL, tot;
	const struct answer_brand *r;
	size_t n = 0;

	add(&c, "70", "c1", NULL, 0, "@AmazonHelp @AppleSupport my iPad from you");
	add(&c, "71", "AppleSupport", "70", 50, "we can help");
	add(&c, "72", "AmazonHelp", "70", 5, "so can we");
	add(&c, "73", "AppleSupport", "72", 6, "passing a case between accounts");
	add(&c, "70", "c9", NULL, 0, "@AppleSupport a repeated id: left out");
	add(&c, "74", "AmazonHelp", "70", 1, "skewed? no: post 70 is the first one");
	is_int(run(&c, acc, 2, SLA_4H, &rows, &n, &tot), 0, "answer-8.1 runs");
	r = row_of(rows, n, "applesupport");
	is_int(r ? r->asked : 0, 1, "answer-8.2 Apple asked once (the repeated id left out)");
	is_dbl(r ? r->median_min : 0, 50.0, 1e-9, "answer-8.3 Apple's own first reply counts "
	       "for Apple");
	r = row_of(rows, n, "amazonhelp");
	is_dbl(r ? r->median_min : 0, 1.0, 1e-9, "answer-8.4 Amazon's first reply");
	is_int(tot.asked, 1, "answer-8.5 all: one post");
	is_int(tot.answered, 1, "answer-8.6 all: answered once");
	is_dbl(tot.median_min, 1.0, 1e-9, "answer-8.7 all: the first reply of any account");
	free(rows);
}

static void test_errors(void)
{
	static const char h63[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk";
	static const char h64[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl";
	const char *acc[2] = { "DellCares", "" };
	struct conv c = { 0 };
	struct answer_brand *rows = (struct answer_brand *)&c, tot = { .asked = 7 };
	struct horch_err err;
	size_t n = 5;

	add(&c, "1", h63, NULL, 0, NULL);
	add(&c, "2", "c", "1", 1, NULL);
	horch_err_clear(&err);
	is_int(answer_brands(c.p, c.text, c.n, acc, 2, SLA_4H, &rows, &n, &err), HORCH_EINVAL,
	       "answer-9.1 an empty handle is refused");
	ok(rows == NULL && n == 0, "answer-9.2 no rows after an error");
	ok(strstr(err.msg, "account 2") != NULL, "answer-9.3 the message names the account: %s",
	   err.msg);
	acc[1] = h64;
	is_int(answer_total(c.p, c.text, c.n, acc, 2, SLA_4H, &tot, &err), HORCH_EINVAL,
	       "answer-9.4 a 64-byte handle is refused");
	is_int(tot.asked, 7, "answer-9.5 *out untouched");
	acc[1] = h63;
	is_int(answer_brands(c.p, c.text, c.n, acc, 2, SLA_4H, &rows, &n, &err), 0,
	       "answer-9.6 a 63-byte handle is taken");
	ok(n == 1 && strcmp(rows[0].handle, h63) == 0 && rows[0].asked == 1 &&
	   rows[0].answered == 0, "answer-9.7 the 63-byte account was asked by a reply");
	free(rows);
	is_int(answer_brands(NULL, NULL, 0, acc, 2, SLA_4H, &rows, &n, &err), 0,
	       "answer-9.8 no posts");
	is_int(n, 0, "answer-9.9 no rows");
	free(rows);
}

/* 100,000 posts: 50,000 customer posts (post i at i seconds, naming brand
 * i % 5), replies to those with i % 7 != 3 after i % 1000 minutes, and for
 * the others a post that names nobody; the array shuffled so that replies
 * often come before their posts. */
static void test_many(void)
{
	static const char *const acc[] = { "b0", "b1", "b2", "b3", "b4" };
	static const char *const named[] = { "@b0 help", "@b1 help", "@b2 help", "@b3 help",
					      "@b4 help" };
	enum { N_CUST = 50000 };
	struct answer_post *p = calloc(2 * N_CUST, sizeof *p);
	const char **text = calloc(2 * N_CUST, sizeof *text);
	char (*idbuf)[16] = calloc(2 * N_CUST, sizeof *idbuf);
	struct answer_brand *rows = NULL, tot;
	struct horch_err err;
	size_t n = 0, k = 0, asked[5] = { 0 }, answered[5] = { 0 };
	struct timespec a, b;
	double secs;
	unsigned seed = 12345;

	for (size_t i = 0; i < N_CUST; i++) {
		snprintf(idbuf[k], sizeof idbuf[k], "c%zu", i);
		p[k].id = idbuf[k];
		p[k].author = "someone";
		p[k].t = T0 + (int64_t)i * 1000;
		text[k++] = named[i % 5];
		asked[i % 5]++;
		if (i % 7 == 3) {
			/* Instead of an answer, a post nobody is asked. */
			snprintf(idbuf[k], sizeof idbuf[k], "x%zu", i);
			p[k].id = idbuf[k];
			p[k].author = "someone";
			p[k].t = p[k - 1].t + MIN;
			text[k++] = "nobody named";
			continue;
		}
		answered[i % 5]++;
		snprintf(idbuf[k], sizeof idbuf[k], "r%zu", i);
		p[k].id = idbuf[k];
		p[k].author = acc[i % 5];
		p[k].parent = p[k - 1].id;
		p[k].t = p[k - 1].t + (int64_t)(i % 1000) * MIN;
		text[k++] = NULL;
	}
	for (size_t i = k - 1; i > 0; i--) {
		size_t j;
		struct answer_post tp;
		const char *tt;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % (i + 1);
		tp = p[i], p[i] = p[j], p[j] = tp;
		tt = text[i], text[i] = text[j], text[j] = tt;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	is_int(answer_brands(p, text, k, acc, 5, SLA_4H, &rows, &n, &err), 0,
	       "answer-10.1 %zu posts", k);
	is_int(answer_total(p, text, k, acc, 5, SLA_4H, &tot, &err), 0, "answer-10.2 total");
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	diag("both calls on %zu posts: %.3f s", k, secs);
	ok(secs < 5.0, "answer-10.3 fast (%.3f s; an O(n^2) pass takes minutes)", secs);
	is_int(k, 100000, "answer-10.4 100,000 posts");
	is_int(n, 5, "answer-10.5 five rows");
	for (size_t i = 0; i < n; i++) {
		size_t b_i = (size_t)(rows[i].handle[1] - '0');

		if (b_i > 4 || rows[i].asked != asked[b_i] || rows[i].answered != answered[b_i]) {
			ok(0, "answer-10.6 counts of %s", rows[i].handle);
			goto out;
		}
	}
	ok(1, "answer-10.6 asked and answered of each brand");
	is_int(tot.asked, N_CUST, "answer-10.7 all: every customer post asked");
	is_int(tot.answered, 42857, "answer-10.8 all: 6 in 7 answered");
	/* Figures computed independently (Python) from the same rule. */
	is_dbl(tot.median_min, 499.0, 1e-9, "answer-10.9 all: exact median");
	is_dbl(tot.mean_min, 499.4983316611055, 1e-9, "answer-10.10 all: mean");
	is_dbl(tot.p90_min, 900.0, 1e-9, "answer-10.11 all: p90");
	is_int(tot.within_sla, 10329, "answer-10.12 all: within 4 h");
	{
		const struct answer_brand *r = row_of(rows, n, "b0");

		is_dbl(r ? r->median_min : 0, 495.0, 1e-9, "answer-10.13 b0: exact median (odd)");
		r = row_of(rows, n, "b1");
		is_dbl(r ? r->median_min : 0, 498.5, 1e-9, "answer-10.14 b1: exact median (even)");
		is_dbl(r ? r->p90_min : 0, 896.0, 1e-9, "answer-10.15 b1: p90");
	}
out:
	free(rows);
	free(p);
	free(text);
	free(idbuf);
}

int main(void)
{
	test_first_reply();
	test_thread();
	test_skew_and_orphans();
	test_case_and_mentions();
	test_unanswered_and_reply_to_customer();
	test_sla_boundary();
	test_medians();
	test_two_brands_and_duplicates();
	test_errors();
	test_many();
	return tap_done();
}
