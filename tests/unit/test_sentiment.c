/* test_sentiment.c - nlp_sentiment(): the case files, then what they
 * cannot say.
 *
 * The rules live in the .t files of tests/cases/sentiment/ (one post a
 * line: language, expected label, score range, text; the format is
 * described at the top of en.t); files named vader*.t run with VADER's
 * published rules (nlp_opts.vader_only).  Here also: the label's
 * confidence and needs_review, the model hook, empty text, invalid UTF-8,
 * a text of 1 MiB (time linear in its tokens), the lexicons' sizes, and
 * with HORCH_SHARED the figures on the shared development sets.
 *
 *   test_sentiment --explain LANG TEXT   print score, label and confidence */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "cases.h"
#include "core/buf.h"
#include "core/post.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

static struct nlp rules;       /* horch's rules */
static struct nlp vader;       /* VADER's */
static struct nlp_work work;
static struct tokens tk;
static struct buf norm;

/* Score raw text[0..len) (normalised and tokenised here) with m in lang. */
static void sentiment_of(const struct nlp *m, const char *lang, const char *text, size_t len,
			 struct nlp_sentiment *out)
{
	buf_reset(&norm);
	text_normalise(&norm, text, len, NULL);
	text_tokenise(&tk, norm.ptr ? norm.ptr : "", norm.len);
	nlp_sentiment(m, &work, norm.ptr ? norm.ptr : "", norm.len, &tk, lang, out);
}

/* Split line at tabs into at most n fields (the last takes the rest);
 * returns how many. */
static size_t split_tabs(char *line, char **f, size_t n)
{
	size_t k = 0;

	while (k < n) {
		f[k++] = line;
		if (k == n)
			break;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return k;
}

/* Parse "LO..HI" or "-" (any score); returns 0 or -1. */
static int parse_range(const char *s, double *lo, double *hi)
{
	const char *dots = strstr(s, "..");
	char tmp[32], *end;

	if (strcmp(s, "-") == 0) {
		*lo = -1;
		*hi = 1;
		return 0;
	}
	if (!dots || (size_t)(dots - s) >= sizeof tmp)
		return -1;
	memcpy(tmp, s, (size_t)(dots - s));
	tmp[dots - s] = '\0';
	*lo = strtod(tmp, &end);
	if (end == tmp || *end)
		return -1;
	*hi = strtod(dots + 2, &end);
	return end == dots + 2 || *end ? -1 : 0;
}

/* Run every case of one file; returns how many there were. */
static int read_cases(const char *path, const char *base)
{
	const struct nlp *m = strncmp(base, "vader", 5) == 0 ? &vader : &rules;
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int n_cases = 0;

	if (!f) {
		ok(0, "sentiment-case %s: cannot open (%s)", base, strerror(errno));
		return 0;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *fld[4];
		int want = 0;
		double lo, hi;
		struct buf text;
		struct nlp_sentiment s;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (split_tabs(line, fld, 4) != 4 ||
		    post_sentiment_parse(fld[1], strlen(fld[1]), &want) != 0 ||
		    parse_range(fld[2], &lo, &hi) != 0) {
			ok(0, "sentiment-case %s:%zu: a malformed line", base, lineno);
			continue;
		}
		buf_init(&text, BUF_NOLIMIT);
		if (cases_unescape(&text, fld[3], strlen(fld[3])) != 0) {
			ok(0, "sentiment-case %s:%zu: a bad escape", base, lineno);
			buf_cleanup(&text);
			continue;
		}
		sentiment_of(m, strcmp(fld[0], "-") == 0 ? NULL : fld[0], text.ptr ? text.ptr : "",
			     text.len, &s);
		if (!ok(s.label == want && s.score >= lo - 1e-6 && s.score <= hi + 1e-6,
			"sentiment-case %s:%zu %s %s", base, lineno, fld[1], fld[2]))
			diag("  got %s %.4f for \"%s\"", post_sentiment_name(s.label), s.score, fld[3]);
		buf_cleanup(&text);
		n_cases++;
	}
	free(line);
	fclose(f);
	return n_cases;
}

static void test_case_files(void)
{
	char dir[4096], path[4400], *names[64];
	int n, i, n_cases = 0;

	n = cases_list("sentiment", dir, sizeof dir, names, sizeof names / sizeof names[0]);
	if (n < 0) {
		ok(0, "sentiment-1.0 case directory %s (set HORCH_SOURCE_ROOT)", dir);
		return;
	}
	ok(n >= 4, "sentiment-1.0 case files found in %s (%d)", dir, n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		n_cases += read_cases(path, names[i]);
		free(names[i]);
	}
	ok(n_cases >= 100, "sentiment-1.1 the case files hold %d cases", n_cases);
}

/* Confidence, needs_review and the label's relation to the score. */
static void test_confidence(void)
{
	struct nlp_sentiment s, t;

	sentiment_of(&rules, "en", "The support team was great and fixed it fast!", 45, &s);
	ok(s.label == POST_SENT_POSITIVE && s.conf >= 0.7f && !s.needs_review,
	   "sentiment-2.1 clear praise: positive, confident (%s %.2f, review %d)",
	   post_sentiment_name(s.label), s.conf, s.needs_review);
	sentiment_of(&rules, "en", "The screen is wonderful and brilliant, the battery is awful "
		     "and horrible.", 73, &s);
	ok(s.needs_review == 1, "sentiment-2.2 strong praise and strong blame: needs review "
	   "(conf %.2f)", s.conf);
	sentiment_of(&rules, "en", "The parcel came on Tuesday.", 27, &s);
	ok(s.label == POST_SENT_NEUTRAL && s.needs_review == 0 && s.conf > 0.5f,
	   "sentiment-2.3 no evidence at all: neutral without review (conf %.2f)", s.conf);
	sentiment_of(&rules, "en", "The parcel is ok", 16, &s);
	ok(s.conf >= 0 && s.conf <= 1, "sentiment-2.4 confidence within 0..1 (%.2f)", s.conf);
	sentiment_of(&rules, "fr", "Merci :)", 8, &s);
	sentiment_of(&rules, "en", "Thanks :)", 9, &t);
	ok(s.label == POST_SENT_POSITIVE && s.conf < t.conf,
	   "sentiment-2.5 another language: the emoticon counts at lower confidence "
	   "(%.2f < %.2f)", s.conf, t.conf);
	sentiment_of(&rules, "en", "Is the new model good?", 22, &s);
	sentiment_of(&rules, "en", "The new model is good.", 22, &t);
	ok(s.score < t.score, "sentiment-2.6 a question is weaker evidence (%.3f < %.3f)",
	   s.score, t.score);
	sentiment_of(&rules, "en", "The new model is good!!!", 24, &s);
	ok(s.score > t.score, "sentiment-2.7 \"!!!\" adds emphasis (%.3f > %.3f)", s.score,
	   t.score);
	sentiment_of(&rules, "en", "The new model is GOOD and the old one is not.", 45, &s);
	sentiment_of(&rules, "en", "The new model is good and the old one is not.", 45, &t);
	ok(s.score > t.score, "sentiment-2.8 ALL-CAPS adds emphasis (%.3f > %.3f)", s.score,
	   t.score);
	sentiment_of(&rules, "en", "The new model is soooo good.", 28, &s);
	sentiment_of(&rules, "en", "The new model is so good.", 25, &t);
	ok(s.score >= t.score && t.score > 0.3f,
	   "sentiment-2.9 elongation reads as the word, with emphasis (%.3f >= %.3f)", s.score,
	   t.score);
	is_dbl(nlp_sentiment_rules(&rules, &work, norm.ptr, norm.len, &tk, "en"), t.score, 1e-6,
	       "sentiment-2.10 nlp_sentiment_rules() is the rules' score");
	sentiment_of(&rules, "en", "A great offer today https://example.com/offer", 45, &s);
	sentiment_of(&rules, "en", "A great offer today", 19, &t);
	ok(s.score < t.score && s.score > 0, "sentiment-2.11 a post with a link: its words count "
	   "less (%.3f < %.3f)", s.score, t.score);
	sentiment_of(&rules, "en", "Landed :)", 9, &s);
	sentiment_of(&rules, "en", "Landed happy", 12, &t);
	ok(s.score > t.score, "sentiment-2.12 an emoticon counts more than a word of the same "
	   "valence (%.3f > %.3f)", s.score, t.score);
	sentiment_of(&rules, "en", "@support a great flight", 23, &s);
	sentiment_of(&rules, "en", "a great flight", 14, &t);
	is_dbl(s.score, t.score, 1e-6, "sentiment-2.13 a mention is no link: the words count in "
	       "full");
}

/* The limits: empty, NULL language, invalid UTF-8 straight into the
 * tokenizer, and a text of 1 MiB in linear time. */
static void test_limits(void)
{
	struct nlp_sentiment s;
	struct buf big;
	const char *unit = "The service was not good, but the staff were lovely :) \xF0\x9F\x98\xA1 ";
	const char bad[] = "good \xC3\x28 \xFF\xFE\xFD bad \xE2\x82 \xF0\x9F\x98";
	clock_t t0;
	double secs;
	int rc;

	text_tokenise(&tk, "", 0);
	nlp_sentiment(&rules, &work, "", 0, &tk, "en", &s);
	ok(s.label == POST_SENT_NEUTRAL && s.score == 0, "sentiment-3.1 empty text: neutral, 0");
	nlp_sentiment(&vader, &work, "", 0, &tk, "en", &s);
	ok(s.label == POST_SENT_NEUTRAL && s.score == 0, "sentiment-3.2 empty text, VADER: neutral");

	/* Invalid UTF-8 handed to the tokenizer and the rules as it is. */
	text_tokenise(&tk, bad, sizeof bad - 1);
	nlp_sentiment(&rules, &work, bad, sizeof bad - 1, &tk, "en", &s);
	ok(s.score >= -1 && s.score <= 1, "sentiment-3.3 invalid UTF-8: a score in range (%.3f)",
	   s.score);
	nlp_sentiment(&rules, &work, bad, sizeof bad - 1, &tk, "de", &s);
	ok(s.score >= -1 && s.score <= 1, "sentiment-3.4 invalid UTF-8, German");
	nlp_sentiment(&vader, &work, bad, sizeof bad - 1, &tk, NULL, &s);
	ok(s.score >= -1 && s.score <= 1, "sentiment-3.5 invalid UTF-8, VADER");

	buf_init(&big, BUF_NOLIMIT);
	while (big.len < 1024 * 1024)
		buf_puts(&big, unit);
	rc = text_tokenise(&tk, big.ptr, big.len);
	is_int(rc, 0, "sentiment-3.6 1 MiB tokenised");
	t0 = clock();
	nlp_sentiment(&rules, &work, big.ptr, big.len, &tk, "en", &s);
	nlp_sentiment(&rules, &work, big.ptr, big.len, &tk, "de", &s);
	nlp_sentiment(&vader, &work, big.ptr, big.len, &tk, "en", &s);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ok(s.score >= -1 && s.score <= 1 && secs < 5,
	   "sentiment-3.7 1 MiB scored three times in %.2f s", secs);
	/* A mile of "but" and "not": still linear. */
	buf_reset(&big);
	while (big.len < 1024 * 1024)
		buf_puts(&big, "but not never aber nicht ");
	text_tokenise(&tk, big.ptr, big.len);
	t0 = clock();
	nlp_sentiment(&rules, &work, big.ptr, big.len, &tk, "en", &s);
	nlp_sentiment(&rules, &work, big.ptr, big.len, &tk, "de", &s);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ok(secs < 5, "sentiment-3.8 1 MiB of contrast and negation words in %.2f s", secs);
	buf_cleanup(&big);

	/* No lexicons (a struct nlp that was never loaded): neutral. */
	{
		struct nlp bare = { 0 };

		text_tokenise(&tk, "great", 5);
		nlp_sentiment(&bare, &work, "great", 5, &tk, "en", &s);
		ok(s.label == POST_SENT_NEUTRAL && s.needs_review,
		   "sentiment-3.9 without lexicons: neutral, for review");
	}
}

/* The lexicons loaded what the files hold. */
static void test_lexicons(void)
{
	struct nlp_sentiment s;

	sentiment_of(&vader, "en", "good", 4, &s);
	is_dbl(s.score, 1.9 / sqrt(1.9 * 1.9 + 15), 1e-4, "sentiment-4.1 VADER: \"good\" is 1.9, "
	       "compound 0.4404");
	sentiment_of(&vader, "en", "@united", 7, &s);
	ok(s.score > 0.4f, "sentiment-4.2 VADER as published: \"@united\" is the word \"united\" "
	   "(%.3f)", s.score);
	sentiment_of(&rules, "en", "@united", 7, &s);
	is_dbl(s.score, 0, 1e-6, "sentiment-4.3 horch: a mention is no word");
	sentiment_of(&rules, "en", "The line is on hold", 19, &s);
	ok(s.label == POST_SENT_NEGATIVE, "sentiment-4.4 care phrase \"on hold\"");
	sentiment_of(&vader, "en", "The line is on hold", 19, &s);
	ok(s.label == POST_SENT_NEUTRAL, "sentiment-4.5 VADER has no \"on hold\"");
}

/* The trained model's hook: nlp_model_predict() is called when m->model
 * is set; tested where model.c is (test_model).  Here: the rules' entry
 * point ignores it. */
static void test_rules_entry(void)
{
	float a, b;

	text_tokenise(&tk, "not good", 8);
	a = nlp_sentiment_rules(&rules, &work, "not good", 8, &tk, "en");
	text_tokenise(&tk, "good", 4);
	b = nlp_sentiment_rules(&rules, &work, "good", 4, &tk, "en");
	ok(a < 0 && b > 0, "sentiment-5.1 nlp_sentiment_rules(): \"not good\" %.3f, \"good\" %.3f",
	   a, b);
}

/* Macro-F1 over negative/neutral/positive of the labelled file
 * "label<TAB>text" lines of a shared set, read by the given reader. */
struct tally {
	long cm[3][3];
};

static double macro_f1(const struct tally *t)
{
	double sum = 0;

	for (int c = 0; c < 3; c++) {
		long tp = t->cm[c][c], fp = 0, fn = 0;
		double p, r;

		for (int k = 0; k < 3; k++)
			if (k != c) {
				fp += t->cm[k][c];
				fn += t->cm[c][k];
			}
		p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
		r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
		sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
	}
	return sum / 3;
}

static void count(struct tally *t, const struct nlp *m, const char *lang, int want,
		  const char *text)
{
	struct nlp_sentiment s;

	sentiment_of(m, lang, text, strlen(text), &s);
	if (want >= POST_SENT_NEGATIVE && want <= POST_SENT_POSITIVE)
		t->cm[want - 1][s.label - 1]++;
}

/* SB10k (id, label, text) and the airline tweets are read by the lead's
 * evalset reader in `horch eval`; here only SB10k's simple TSV, as a
 * guard that the German rules keep their level. */
static void test_shared(void)
{
	const char *dir = tap_shared_dir();
	char path[4096], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct tally rules_t = { { { 0 } } }, vader_t = { { { 0 } } };
	FILE *f;

	if (!dir) {
		tap_skip(1, "HORCH_SHARED not set");
		return;
	}
	snprintf(path, sizeof path, "%s/de-sentiment/sb10k.tsv", dir);
	f = fopen(path, "r");
	if (!f) {
		tap_skip(1, "sb10k.tsv not readable");
		return;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		char *fld[3];
		int want;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (split_tabs(line, fld, 3) != 3 ||
		    post_sentiment_parse(fld[1], strlen(fld[1]), &want) != 0)
			continue;
		count(&rules_t, &rules, "de", want, fld[2]);
		count(&vader_t, &vader, "de", want, fld[2]);
	}
	free(line);
	fclose(f);
	diag("  SB10k macro-F1: horch %.4f, VADER %.4f", macro_f1(&rules_t), macro_f1(&vader_t));
	ok(macro_f1(&rules_t) >= 0.58 && macro_f1(&rules_t) > macro_f1(&vader_t),
	   "sentiment-6.1 SB10k: horch's German rules keep their level (%.4f >= 0.58) and "
	   "beat VADER's English rules (%.4f)", macro_f1(&rules_t), macro_f1(&vader_t));
}

static int explain(const char *lang, const char *text)
{
	struct nlp_sentiment s, v;

	sentiment_of(&rules, lang, text, strlen(text), &s);
	sentiment_of(&vader, lang, text, strlen(text), &v);
	printf("horch  %-8s score %.4f conf %.2f review %d\n", post_sentiment_name(s.label),
	       s.score, s.conf, s.needs_review);
	printf("vader  %-8s score %.4f\n", post_sentiment_name(v.label), v.score);
	return 0;
}

int main(int argc, char **argv)
{
	struct horch_err err;
	int rc;

	tokens_init(&tk);
	buf_init(&norm, BUF_NOLIMIT);
	rc = nlp__sentiment_load(&rules, &err);
	if (rc == 0) {
		rc = nlp__sentiment_load(&vader, &err);
		vader.vader_only = 1;
	}
	if (rc) {
		printf("Bail out! the lexicons do not load: %s\n", err.msg);
		return 1;
	}
	if (argc == 4 && strcmp(argv[1], "--explain") == 0) {
		rc = explain(argv[2], argv[3]);
	} else {
		test_case_files();
		test_confidence();
		test_limits();
		test_lexicons();
		test_rules_entry();
		test_shared();
		rc = tap_done();
	}
	nlp__sentiment_free(rules.sent);
	nlp__sentiment_free(vader.sent);
	nlp__sent_work_free(work.sent);
	tokens_cleanup(&tk);
	buf_cleanup(&norm);
	return rc;
}
