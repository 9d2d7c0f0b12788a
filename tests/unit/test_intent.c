/* test_intent.c - nlp_intent(): the case files, then what they cannot say.
 *
 * The rules live in the .t files of tests/cases/intent/ (one post a line: language,
 * sentiment, expected intent, text; the format is described at the top of
 * en.t), so that adding a case needs no C.  Here also: the cues compile,
 * a missing model or sentiment, empty and invalid input, and a text of
 * many megabytes (time linear in its tokens).  With $HORCH_SHARED, the
 * complaints of the airline tweets, given their labelled sentiment: a
 * floor under precision and recall, so that a change of the cues that
 * loses many complaints fails.
 *
 *   test_intent --explain LANG SENTIMENT TEXT   print the intent of TEXT */
#include <csv.h>
#include <errno.h>
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

static struct nlp model;
static struct tokens tk;

/* The intent of raw text (escaped as in the case files when unescape is
 * set) in lang with sentiment label (POST_SENT_NONE: no sentiment). */
static int intent_of(const char *lang, int label, const char *text, size_t len)
{
	struct nlp_sentiment s = { 0 };
	struct buf norm;
	int it;

	buf_init(&norm, BUF_NOLIMIT);
	text_normalise(&norm, text, len, NULL);
	text_tokenise(&tk, norm.ptr ? norm.ptr : "", norm.len);
	s.label = (uint8_t)label;
	s.score = label == POST_SENT_NEGATIVE ? -0.6f : label == POST_SENT_POSITIVE ? 0.6f : 0;
	it = nlp_intent(&model, norm.ptr ? norm.ptr : "", norm.len, &tk, lang,
			label == POST_SENT_NONE ? NULL : &s);
	buf_cleanup(&norm);
	return it;
}

/* Split line at tabs into at most n fields; returns how many. */
static size_t split_tabs(char *line, char **f, size_t n)
{
	size_t k = 0;

	while (k < n) {
		f[k++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
		if (k == n - 1) {
			f[k++] = line;
			break;
		}
	}
	return k;
}

/* Run every case of one file. */
static void read_cases(const char *path, const char *base)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;

	if (!f) {
		ok(0, "intent-case %s: cannot open (%s)", base, strerror(errno));
		return;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *fld[4];
		int sent = POST_SENT_NONE, want = 0, got;
		struct buf text;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (split_tabs(line, fld, 4) != 4 ||
		    (strcmp(fld[1], "-") != 0 && post_sentiment_parse(fld[1], strlen(fld[1]), &sent) != 0) ||
		    post_intent_parse(fld[2], strlen(fld[2]), &want) != 0) {
			ok(0, "intent-case %s:%zu: a malformed line", base, lineno);
			continue;
		}
		buf_init(&text, BUF_NOLIMIT);
		if (cases_unescape(&text, fld[3], strlen(fld[3])) != 0) {
			ok(0, "intent-case %s:%zu: a bad escape", base, lineno);
			buf_cleanup(&text);
			continue;
		}
		got = intent_of(strcmp(fld[0], "-") == 0 ? NULL : fld[0], sent,
				text.ptr ? text.ptr : "", text.len);
		if (!ok(got == want, "intent-case %s:%zu %s", base, lineno, fld[2]))
			diag("  got %s for \"%s\"", post_intent_name(got), fld[3]);
		buf_cleanup(&text);
	}
	free(line);
	fclose(f);
}

static void test_case_files(void)
{
	char dir[4096], path[4400], *names[64];
	int n, i;

	n = cases_list("intent", dir, sizeof dir, names, sizeof names / sizeof names[0]);
	if (n < 0) {
		ok(0, "intent-case directory %s (set HORCH_SOURCE_ROOT)", dir);
		return;
	}
	ok(n >= 4, "intent-case files found in %s", dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		read_cases(path, names[i]);
		free(names[i]);
	}
}

static void test_api(void)
{
	struct nlp bare = { 0 };
	struct nlp_sentiment neg = { -0.7f, POST_SENT_NEGATIVE, 0.9f, 0 };
	struct nlp_sentiment pos = { 0.7f, POST_SENT_POSITIVE, 0.9f, 0 };
	const char *q = "Please add a dark mode, does it exist?";

	text_tokenise(&tk, q, strlen(q));
	is_int(nlp_intent(&bare, q, strlen(q), &tk, "en", NULL), POST_INTENT_QUESTION,
	       "intent-2.1 without cues a question mark is a question");
	is_int(nlp_intent(NULL, q, strlen(q), &tk, "en", &neg), POST_INTENT_QUESTION,
	       "intent-2.2 a NULL model reads like a model without cues");
	is_int(nlp_intent(&model, q, strlen(q), &tk, "en", NULL), POST_INTENT_IDEA,
	       "intent-2.3 with cues and no sentiment: the suggestion");
	is_int(nlp_intent(&model, q, strlen(q), NULL, "en", &neg), POST_INTENT_COMPLAINT,
	       "intent-2.4 no tokens: only the sentiment (negative)");
	is_int(nlp_intent(&model, "", 0, NULL, "en", &pos), POST_INTENT_PRAISE,
	       "intent-2.5 no tokens: only the sentiment (positive)");
	text_tokenise(&tk, "", 0);
	is_int(nlp_intent(&model, "", 0, &tk, "de", NULL), POST_INTENT_OTHER,
	       "intent-2.6 an empty text is other");
	is_int(intent_of("en", POST_SENT_NEUTRAL, "why\xff\xfe is it br\xc3oken \xe2\x82?", 23),
	       POST_INTENT_COMPLAINT, "intent-2.7 invalid UTF-8 is read, not a crash (a why-question)");
	is_int(intent_of("EN", POST_SENT_NEUTRAL, "please add more ports", 21), POST_INTENT_OTHER,
	       "intent-2.8 language codes are lower case; \"EN\" is another language");
	is_int(intent_of("", POST_SENT_NEUTRAL, "please add more ports", 21), POST_INTENT_IDEA,
	       "intent-2.9 an empty language is unknown: both cue sets");
	nlp__intent_free(NULL);
	ok(1, "intent-2.10 nlp__intent_free(NULL) is a no-op");
}

/* A text of many megabytes built from cue fragments that make the matcher
 * look ahead (gaps, commas, half phrases) must take time linear in its
 * length: twice the text, about twice the time. */
static void test_long(void)
{
	static const char *const piece = "bitte , , , , , , , , ehm ehm wäre schön how do wondering "
					 "looking to , still ";
	struct buf b;
	clock_t t0, t1, t2;
	size_t plen = strlen(piece);
	int it;

	buf_init(&b, BUF_NOLIMIT);
	while (b.len + plen < 8u * 1024 * 1024)
		buf_append(&b, piece, plen);
	t0 = clock();
	text_tokenise(&tk, b.ptr, b.len / 2);
	it = nlp_intent(&model, b.ptr, b.len / 2, &tk, "und", NULL);
	t1 = clock();
	text_tokenise(&tk, b.ptr, b.len);
	it = nlp_intent(&model, b.ptr, b.len, &tk, "und", NULL);
	t2 = clock();
	is_int(it, POST_INTENT_OTHER, "intent-3.1 8 MB of half cues: none completes, other");
	ok((double)(t2 - t1) < 4.0 * (double)(t1 - t0) + 0.05 * CLOCKS_PER_SEC,
	   "intent-3.2 twice the text takes about twice the time (%.3f s, %.3f s)",
	   (double)(t1 - t0) / CLOCKS_PER_SEC, (double)(t2 - t1) / CLOCKS_PER_SEC);
	buf_cleanup(&b);
}

/* ---- the airline tweets ($HORCH_SHARED) ---- */

/* What the CSV reader keeps of one row and the counts so far. */
struct airline {
	int col_text, col_sent, col_reason;  /* column indexes from the header */
	int col;                /* the column of the next field */
	long row;               /* rows read, the header being 0 */
	struct buf text, sent, reason;
	long tp, fp, fn, n;     /* complaints: true and false positives, misses; rows scored */
};

static void airline_field(void *s, size_t len, void *data)
{
	struct airline *a = data;

	if (a->row == 0) {
		if (len == 4 && memcmp(s, "text", 4) == 0)
			a->col_text = a->col;
		else if (len == 17 && memcmp(s, "airline_sentiment", 17) == 0)
			a->col_sent = a->col;
		else if (len == 14 && memcmp(s, "negativereason", 14) == 0)
			a->col_reason = a->col;
	} else if (a->col == a->col_text) {
		buf_append(&a->text, s, len);
	} else if (a->col == a->col_sent) {
		buf_append(&a->sent, s, len);
	} else if (a->col == a->col_reason) {
		buf_append(&a->reason, s, len);
	}
	a->col++;
}

static void airline_row(int c, void *data)
{
	struct airline *a = data;
	int label = POST_SENT_NEUTRAL, gold, got;

	(void)c;
	if (a->row++ > 0 && a->text.len) {
		if (a->sent.len && strcmp(a->sent.ptr, "negative") == 0)
			label = POST_SENT_NEGATIVE;
		else if (a->sent.len && strcmp(a->sent.ptr, "positive") == 0)
			label = POST_SENT_POSITIVE;
		/* A negative tweet without a reason, or with "Can't Tell",
		 * is left out: nobody knows whether it complains. */
		if (label != POST_SENT_NEGATIVE ||
		    (a->reason.len && strcmp(a->reason.ptr, "Can't Tell") != 0)) {
			gold = label == POST_SENT_NEGATIVE;
			got = intent_of("en", label, a->text.ptr, a->text.len) ==
			      POST_INTENT_COMPLAINT;
			a->tp += gold && got;
			a->fp += !gold && got;
			a->fn += gold && !got;
			a->n++;
		}
	}
	a->col = 0;
	buf_reset(&a->text);
	buf_reset(&a->sent);
	buf_reset(&a->reason);
}

static void test_airline(void)
{
	const char *dir = tap_shared_dir();
	struct airline a = { .col_text = -1, .col_sent = -1, .col_reason = -1 };
	struct csv_parser csv;
	char path[4096], chunk[65536];
	double precision, recall;
	size_t n;
	FILE *f;

	if (!dir) {
		tap_skip(3, "HORCH_SHARED not set: no airline tweets");
		return;
	}
	snprintf(path, sizeof path, "%s/airline-tweets/Tweets.csv", dir);
	f = fopen(path, "rb");
	if (!f) {
		tap_skip(3, "no airline-tweets/Tweets.csv in HORCH_SHARED");
		return;
	}
	buf_init(&a.text, BUF_NOLIMIT);
	buf_init(&a.sent, BUF_NOLIMIT);
	buf_init(&a.reason, BUF_NOLIMIT);
	csv_init(&csv, CSV_APPEND_NULL);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		csv_parse(&csv, chunk, n, airline_field, airline_row, &a);
	csv_fini(&csv, airline_field, airline_row, &a);
	csv_free(&csv);
	fclose(f);
	precision = a.tp + a.fp ? (double)a.tp / (double)(a.tp + a.fp) : 0;
	recall = a.tp + a.fn ? (double)a.tp / (double)(a.tp + a.fn) : 0;
	ok(a.n > 13000, "intent-4.1 airline tweets read: %ld scored", a.n);
	ok(precision >= 0.95, "intent-4.2 complaint precision %.3f >= 0.95 (labelled sentiment)",
	   precision);
	ok(recall >= 0.97, "intent-4.3 complaint recall %.3f >= 0.97 (labelled sentiment)", recall);
	buf_cleanup(&a.text);
	buf_cleanup(&a.sent);
	buf_cleanup(&a.reason);
}

int main(int argc, char **argv)
{
	struct horch_err err;
	int rc;

	tokens_init(&tk);
	rc = nlp__intent_load(&model, &err);
	if (argc == 5 && strcmp(argv[1], "--explain") == 0) {
		int sent = POST_SENT_NONE;

		post_sentiment_parse(argv[3], strlen(argv[3]), &sent);
		printf("%s\n", post_intent_name(intent_of(argv[2], sent, argv[4], strlen(argv[4]))));
		return 0;
	}
	is_int(rc, 0, "intent-1.1 every cue compiles");
	ok(model.intent != NULL, "intent-1.2 the cues are loaded");
	test_case_files();
	test_api();
	test_long();
	test_airline();
	nlp__intent_free(model.intent);
	tokens_cleanup(&tk);
	return tap_done();
}
