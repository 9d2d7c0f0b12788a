/* test_match.c - the matcher's API (src/query/match.h): building, matching,
 * results, explain, and hot reload under threads.
 *
 * test_query_diff.c checks what the matcher decides against the reference
 * evaluator on random input; this file checks the promises of the header
 * that a differential test does not see: an empty matcher, topic ids in
 * build order, many topics sharing terms, topics of keyword fields only,
 * one struct match_doc reused across posts of very different sizes, a
 * very long post, matcher_bytes(), the flags, match_explain()'s failed
 * clause, and a struct matcher_slot swapped 50 times while reader threads
 * match with it (every reader must see one whole generation of topics, and
 * every swapped-out matcher must be freed: run under ASan for the leak
 * check).  The reference evaluator (query_ref.c) is the oracle where a post
 * is too large to write its spans by hand. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "query_ref.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/post.h"
#include "query/match.h"
#include "query/query.h"

/* ---- helpers ---- */

/* Parse src strictly; a query the test cannot parse is a failed check and
 * NULL. */
static struct query *parse(const char *src)
{
	struct query *q = NULL;
	struct horch_err err;

	if (query_parse(&q, src, strlen(src), 0, NULL, &err) != 0) {
		ok(0, "query parses: %s", src);
		diag("  col %ld: %s", err.col, err.msg);
		return NULL;
	}
	return q;
}

/* A set of topics built from query texts, with their ids. */
struct set {
	struct query **q;
	struct matcher_topic *t;
	size_t n;
};

/* Parse srcs[0..n) into s with ids ids[i] (ids may be NULL: 1, 2, 3...).
 * Returns 0, or -1 when a query does not parse. */
static int set_init(struct set *s, const char *const *srcs, const int64_t *ids, size_t n)
{
	size_t i;

	s->q = horch_xcalloc(n + 1, sizeof *s->q);
	s->t = horch_xcalloc(n + 1, sizeof *s->t);
	s->n = n;
	for (i = 0; i < n; i++) {
		s->q[i] = parse(srcs[i]);
		if (!s->q[i])
			return -1;
		s->t[i].id = ids ? ids[i] : (int64_t)i + 1;
		s->t[i].q = s->q[i];
	}
	return 0;
}

static void set_cleanup(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		query_free(s->q[i]);
	free(s->q);
	free(s->t);
}

/* Build a matcher of s; NULL (and a failed check) on an error. */
static struct matcher *build(const struct set *s)
{
	struct matcher *m = NULL;
	struct horch_err err;

	if (matcher_build(&m, s->t, s->n, &err) != 0) {
		ok(0, "matcher_build of %zu topics: %s", s->n, err.msg);
		return NULL;
	}
	return m;
}

/* The post of JSON json (a failed check on a bad post). */
static int post_of(struct post *p, const char *json)
{
	struct horch_err err;

	post_init(p);
	if (post_from_json(p, json, strlen(json), NULL, &err) != 0) {
		ok(0, "post parses: %s", err.msg);
		return -1;
	}
	return 0;
}

/* Append hit h of r as "ID:part:off+len,..." to out. */
static void hit_line(struct buf *out, const struct match_result *r, size_t h)
{
	uint32_t i;

	buf_printf(out, "%lld", (long long)r->hits[h].topic);
	for (i = 0; i < r->hits[h].n_spans; i++) {
		const struct match_span *s = &r->spans[r->hits[h].span0 + i];

		buf_printf(out, "%s%s:%u+%u", i ? "," : ":", s->part == MATCH_TITLE ? "title" : "text",
			   (unsigned)s->off, (unsigned)s->len);
	}
}

/* The whole result as a line: hits separated by spaces, "-" when empty. */
static char *result_line(const struct match_result *r)
{
	struct buf b;
	size_t h;

	buf_init(&b, BUF_NOLIMIT);
	for (h = 0; h < r->n; h++) {
		if (h)
			buf_putc(&b, ' ');
		hit_line(&b, r, h);
	}
	if (r->n == 0)
		buf_putc(&b, '-');
	return buf_take(&b);
}

/* The line the reference gives for the topics of s on post p, as
 * result_line() writes it. */
static char *ref_line(const struct set *s, const struct post *p, int *rc_out)
{
	struct query_ref_spans sp;
	struct buf b;
	size_t i, k, n = 0;

	*rc_out = 0;
	query_ref_spans_init(&sp);
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < s->n; i++) {
		int rc = query_ref_match(s->q[i], p, &sp);

		if (rc < 0)
			*rc_out = rc;
		if (rc != 1)
			continue;
		if (n++)
			buf_putc(&b, ' ');
		buf_printf(&b, "%lld", (long long)s->t[i].id);
		for (k = 0; k < sp.n; k++)
			buf_printf(&b, "%s%s:%u+%u", k ? "," : ":",
				   sp.v[k].part == QUERY_REF_TITLE ? "title" : "text",
				   (unsigned)sp.v[k].off, (unsigned)sp.v[k].len);
	}
	if (n == 0)
		buf_putc(&b, '-');
	query_ref_spans_cleanup(&sp);
	return buf_take(&b);
}

/* Match post JSON json against m and compare the result line with want. */
static void check_post(const struct matcher *m, struct match_doc *d, struct match_result *r,
		       const char *json, unsigned flags, const char *want, const char *name)
{
	struct post p;
	char *got;
	size_t n;

	if (post_of(&p, json))
		return;
	if (!ok(match_doc_set(d, &p) == 0, "%s: match_doc_set", name))
		goto out;
	n = matcher_match(m, d, flags | MATCH_ORDERED, r);
	is_int(n, r->n, "%s: returns out->n", name);
	got = result_line(r);
	is_str(got, want, "%s", name);
	free(got);
out:
	post_cleanup(&p);
}

/* ---- the tests ---- */

static void test_empty(void)
{
	struct matcher *m = NULL;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	struct horch_err err;
	struct post p;

	match_result_init(&r);
	is_int(matcher_build(&m, NULL, 0, &err), 0, "match-1.1 an empty set builds");
	if (!m)
		goto out;
	is_int(matcher_n_topics(m), 0, "match-1.2 no topics");
	if (post_of(&p, "{\"text\":\"Dell Akku\",\"lang\":\"en\"}") == 0) {
		is_int(match_doc_set(d, &p), 0, "match-1.3 a post");
		is_int(matcher_match(m, d, MATCH_SPANS | MATCH_ORDERED, &r), 0, "match-1.3 nothing matches");
		is_int(r.n, 0, "match-1.3 no hits");
		is_int(matcher_match(m, d, MATCH_SPANS | MATCH_EVERY | MATCH_ORDERED, &r), 0,
		       "match-1.4 nothing matches with MATCH_EVERY");
		post_cleanup(&p);
	}
out:
	matcher_free(m);
	matcher_free(NULL);
	match_doc_free(d);
	match_doc_free(NULL);
	match_result_cleanup(&r);
	match_result_cleanup(NULL);
}

/* Hits come in the order the topics were given, whatever their ids, and
 * each with its own spans. */
static void test_order(void)
{
	static const char *const q[] = {
		"akku", "hp", "dell", "\"dell akku\"", "lang:en", "dell AND NOT akku", "#dell OR @dell",
	};
	static const int64_t ids[] = { 30, 99, 10, 20, -5, 7, 1LL << 40 };
	struct set s;
	struct matcher *m = NULL;
	struct match_doc *d = match_doc_new();
	struct match_result r;

	match_result_init(&r);
	if (set_init(&s, q, ids, 7) || !(m = build(&s)))
		goto out;
	is_int(matcher_n_topics(m), 7, "match-2.1 seven topics");
	/* "Dell Akku #dell": dell at 0, akku at 5, #dell at 10 */
	check_post(m, d, &r, "{\"text\":\"Dell Akku #dell\",\"lang\":\"en\"}", MATCH_SPANS,
		   "30:text:5+4 10:text:0+4,text:10+5 20:text:0+4,text:5+4 -5 1099511627776:text:10+5",
		   "match-2.2 hits in build order with their spans");
	check_post(m, d, &r, "{\"text\":\"Dell Akku #dell\",\"lang\":\"en\"}",
		   MATCH_SPANS | MATCH_EVERY,
		   "30:text:5+4 10:text:0+4,text:10+5 20:text:0+4,text:5+4 -5 1099511627776:text:10+5",
		   "match-2.3 the same with MATCH_EVERY");
	check_post(m, d, &r, "{\"text\":\"Dell Akku #dell\",\"lang\":\"en\"}", 0,
		   "30 10 20 -5 1099511627776", "match-2.4 without MATCH_SPANS no spans");
	is_int(r.n_spans, 0, "match-2.4 n_spans is 0");
	check_post(m, d, &r, "{\"title\":\"HP\",\"text\":\"ein @Dell\"}", MATCH_SPANS,
		   "99:title:0+2 10:text:4+5 7:text:4+5 1099511627776:text:4+5",
		   "match-2.5 another post replaces the result");
	check_post(m, d, &r, "{\"text\":\"nichts\"}", MATCH_SPANS, "-",
		   "match-2.6 a post that matches nothing empties the result");
	{
		/* without MATCH_ORDERED: the same hits, in the matcher's order */
		struct post p;
		int64_t got[8] = { 0 }, sum = 0;
		size_t i, n = 0;

		if (post_of(&p, "{\"text\":\"Dell Akku #dell\",\"lang\":\"en\"}") == 0) {
			match_doc_set(d, &p);
			n = matcher_match(m, d, MATCH_SPANS, &r);
			for (i = 0; i < n && i < 8; i++) {
				got[i] = r.hits[i].topic;
				sum += got[i];
			}
			post_cleanup(&p);
		}
		is_int(n, 5, "match-2.7 unordered: the same five topics");
		is_int(sum, 30 + 10 + 20 - 5 + (1LL << 40), "match-2.7 unordered: the same ids");
		(void)got;
	}
out:
	matcher_free(m);
	set_cleanup(&s);
	match_doc_free(d);
	match_result_cleanup(&r);
}

/* 2,000 topics over a few shared terms: the presearch index must still
 * find exactly the right ones. */
static void test_shared(void)
{
	enum { N = 2000 };
	static const char *const words[] = { "akku", "laptop", "xps", "touchpad", "gut" };
	char **src = horch_xcalloc(N, sizeof *src);
	struct set s;
	struct matcher *m = NULL, *small = NULL;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	struct buf want;
	struct post p;
	size_t i, n_want = 0;
	int bad = 0;

	match_result_init(&r);
	buf_init(&want, BUF_NOLIMIT);
	for (i = 0; i < N; i++) {
		char tmp[200];

		/* topic i: dell AND w(i % 5) AND NOT n<i % 7>, or an OR of two of them */
		if (i % 3 == 2)
			snprintf(tmp, sizeof tmp, "%s OR w%zu", words[i % 5], i % 11);
		else
			snprintf(tmp, sizeof tmp, "dell AND %s AND NOT n%zu", words[i % 5], i % 7);
		src[i] = horch_xstrdup(tmp);
	}
	if (set_init(&s, (const char *const *)src, NULL, N) || !(m = build(&s)))
		goto out;
	is_int(matcher_n_topics(m), N, "match-3.1 %d topics", N);
	if (post_of(&p, "{\"text\":\"Dell XPS n3 w4\"}"))
		goto out;
	/* xps is words[2]; n3 excludes i % 7 == 3; w4 is i % 11 == 4 */
	for (i = 0; i < N; i++) {
		int hit = i % 3 == 2 ? (i % 5 == 2 || i % 11 == 4) : (i % 5 == 2 && i % 7 != 3);

		if (hit) {
			buf_printf(&want, "%s%zu", n_want ? " " : "", i + 1);
			n_want++;
		}
	}
	match_doc_set(d, &p);
	is_int(matcher_match(m, d, MATCH_ORDERED, &r), n_want, "match-3.2 the topics that match (%zu)", n_want);
	for (i = 0; i + 1 < r.n; i++)
		if (r.hits[i].topic >= r.hits[i + 1].topic)
			bad = 1;
	ok(!bad, "match-3.3 in build order");
	{
		char *got = result_line(&r);

		is_str(got, want.ptr, "match-3.4 exactly those");
		free(got);
	}
	is_int(matcher_match(m, d, MATCH_EVERY | MATCH_ORDERED, &r), n_want, "match-3.5 MATCH_EVERY agrees");
	post_cleanup(&p);
	/* matcher_bytes(): more topics hold more bytes */
	ok(matcher_bytes(m) > 0, "match-3.6 matcher_bytes() > 0 (%zu)", matcher_bytes(m));
	{
		struct set one = s;

		one.n = 10;
		small = build(&one);
		if (small)
			ok(matcher_bytes(small) > 0 && matcher_bytes(small) < matcher_bytes(m),
			   "match-3.7 10 topics hold fewer bytes (%zu) than %d (%zu)",
			   matcher_bytes(small), N, matcher_bytes(m));
	}
out:
	matcher_free(small);
	matcher_free(m);
	set_cleanup(&s);
	for (i = 0; i < N; i++)
		free(src[i]);
	free(src);
	match_doc_free(d);
	match_result_cleanup(&r);
	buf_cleanup(&want);
}

/* Topics of keyword and range fields only: no terms for the index to find,
 * they match on the post's fields (and report no spans). */
static void test_keyword_only(void)
{
	static const char *const q[] = {
		"lang:en", "country:de AND source:twitter", "authorFollowers:[100 TO 1000]",
		"rating:[1 TO 2] AND is:review", "lang:en AND NOT dell", "site:dell.com",
		"NOT sentiment:negative AND lang:en", "lang:de OR dell",
	};
	struct set s;
	struct matcher *m = NULL;
	struct match_doc *d = match_doc_new();
	struct match_result r;

	match_result_init(&r);
	if (set_init(&s, q, NULL, 8) || !(m = build(&s)))
		goto out;
	check_post(m, d, &r, "{\"text\":\"hallo\",\"lang\":\"en\"}", MATCH_SPANS, "1 5 7",
		   "match-4.1 lang:en alone matches");
	check_post(m, d, &r, "{\"source\":\"twitter\",\"country\":\"DE\",\"lang\":\"de\","
		   "\"author\":{\"handle\":\"x\",\"followers\":500},\"text\":\"Dell\","
		   "\"url\":\"https://www.dell.com/x\"}", MATCH_SPANS, "2 3 6 8:text:0+4",
		   "match-4.2 country, source, followers, site; an OR with a word keeps its span");
	check_post(m, d, &r, "{\"kind\":\"review\",\"rating\":1.5,\"text\":\"Dell\",\"lang\":\"en\"}",
		   MATCH_SPANS | MATCH_EVERY, "1 4 7 8:text:0+4", "match-4.3 rating and is:review");
	check_post(m, d, &r, "{\"text\":\"\"}", MATCH_SPANS, "-", "match-4.4 an empty post");
out:
	matcher_free(m);
	set_cleanup(&s);
	match_doc_free(d);
	match_result_cleanup(&r);
}

/* One match_doc reused across posts of very different sizes; the results
 * are compared with the reference evaluator. */
static void test_doc_reuse(void)
{
	static const char *const q[] = {
		"dell", "\"dell akku\"", "dell NEAR/0 filler", "title:xps", "akku*",
		"(dell OR akku)~2", "akku SENTENCE dell", "lang:en",
	};
	struct set s;
	struct matcher *m = NULL;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	struct buf text;
	struct post p[5];
	size_t i, k;
	char name[100];

	match_result_init(&r);
	buf_init(&text, BUF_NOLIMIT);
	for (i = 0; i < 5; i++)
		post_init(&p[i]);
	if (set_init(&s, q, NULL, 8) || !(m = build(&s)))
		goto out;
	/* a long post: 100,000 fillers, then "Dell Akku." */
	for (i = 0; i < 100000; i++)
		buf_puts(&text, "filler ");
	buf_puts(&text, "Dell Akku. Akkus!");
	p[0].text = horch_xstrdup(text.ptr);
	p[0].lang = horch_xstrdup("en");
	p[1].text = horch_xstrdup("Dell");
	p[2].title = horch_xstrdup("XPS");
	p[3].text = horch_xstrdup(text.ptr + 7 * 99990);
	p[3].title = horch_xstrdup("Ein XPS mit Akku und Dell");
	p[4].text = horch_xstrdup(text.ptr);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 5; i++) {
			char *want, *got;
			int rc;

			snprintf(name, sizeof name, "match-5.%zu post %zu (%zu bytes of text)",
				 k * 5 + i + 1, i, p[i].text ? strlen(p[i].text) : 0);
			if (!ok(match_doc_set(d, &p[i]) == 0, "%s: match_doc_set", name))
				continue;
			matcher_match(m, d, (k ? MATCH_SPANS | MATCH_EVERY : MATCH_SPANS) | MATCH_ORDERED, &r);
			want = ref_line(&s, &p[i], &rc);
			got = result_line(&r);
			is_str(got, want, "%s", name);
			free(want);
			free(got);
		}
	}
	/* the long post's spans, by hand: "Dell" at 1,400,000 */
	if (match_doc_set(d, &p[0]) == 0) {
		matcher_match(m, d, MATCH_SPANS | MATCH_ORDERED, &r);
		if (ok(r.n >= 2 && r.hits[1].topic == 2 && r.hits[1].n_spans == 2,
		       "match-5.11 the long post matches \"dell akku\""))
			ok(r.spans[r.hits[1].span0].off == 700000 &&
			   r.spans[r.hits[1].span0 + 1].off == 700005,
			   "match-5.12 at byte 700,000 (got %u)",
			   (unsigned)r.spans[r.hits[1].span0].off);
	}
out:
	for (i = 0; i < 5; i++)
		post_cleanup(&p[i]);
	buf_cleanup(&text);
	matcher_free(m);
	set_cleanup(&s);
	match_doc_free(d);
	match_result_cleanup(&r);
}

/* match_explain(): spans on a match, the failed clause on a miss. */
static void test_explain(void)
{
	static const struct {
		const char *q, *post;
		int rc;
		uint32_t off, end; /* the failed clause on a miss */
		const char *spans; /* on a match */
	} cases[] = {
		{ "dell AND akku", "{\"text\":\"Dell Akku\"}", 1, 0, 0, "0:text:0+4,text:5+4" },
		{ "dell AND akku", "{\"text\":\"Dell\"}", 0, 9, 13, NULL },
		{ "dell NOT akku", "{\"text\":\"Dell Akku\"}", 0, 5, 13, NULL },
		{ "dell -akku", "{\"text\":\"Dell Akku\"}", 0, 5, 10, NULL },
		{ "dell AND (akku OR laptop)", "{\"text\":\"Dell XPS\"}", 0, 9, 25, NULL },
		{ "(dell AND (xps OR inspiron)) AND lang:de", "{\"text\":\"Dell Inspiron\"}", 0, 33,
		  40, NULL },
		{ "dell AND (hp AND akku)", "{\"text\":\"Dell HP\"}", 0, 17, 21, NULL },
		{ "lang:en", "{\"text\":\"x\",\"lang\":\"en\"}", 1, 0, 0, "0" },
	};
	struct match_doc *d = match_doc_new();
	struct match_result r;
	size_t i;

	match_result_init(&r);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct query *q = parse(cases[i].q);
		struct post p;
		uint32_t fo = 0, fe = 0;
		int rc;

		if (!q)
			continue;
		if (post_of(&p, cases[i].post) == 0 && match_doc_set(d, &p) == 0) {
			rc = match_explain(q, d, &r, &fo, &fe);
			is_int(rc, cases[i].rc, "match-6.%zu explain %s: %s", i + 1, cases[i].q,
			       cases[i].rc ? "a match" : "a miss");
			if (rc == 1 && cases[i].spans) {
				char *got = result_line(&r);

				is_str(got, cases[i].spans, "match-6.%zu spans", i + 1);
				free(got);
			} else if (rc == 0 && !cases[i].rc) {
				ok(fo == cases[i].off && fe == cases[i].end,
				   "match-6.%zu failed clause [%u, %u) \"%.*s\"", i + 1,
				   (unsigned)cases[i].off, (unsigned)cases[i].end,
				   (int)(cases[i].end - cases[i].off), cases[i].q + cases[i].off);
				if (fo != cases[i].off || fe != cases[i].end)
					diag("  got [%u, %u)", (unsigned)fo, (unsigned)fe);
			}
			is_int(match_explain(q, d, NULL, NULL, NULL), cases[i].rc,
			       "match-6.%zu out, fail_off and fail_end may be NULL", i + 1);
		}
		post_cleanup(&p);
		query_free(q);
	}
	match_doc_free(d);
	match_result_cleanup(&r);
}

/* ---- hot reload ---- */

#define GENERATIONS 50
#define READERS     3

/* Queries that all match the reload post; generation g has g topics, ids
 * g * 1000 + i. */
static const char *const reload_queries[] = {
	"dell", "akku OR laptop", "\"dell akku\"", "lang:en", "dell NEAR/2 leer",
	"(akku OR leer)~3", "dell AND NOT hp", "title:xps", "dell SENTENCE leer", "akk*",
};
static const char reload_post[] =
	"{\"title\":\"XPS\",\"text\":\"Dell Akku ist leer\",\"lang\":\"en\"}";

struct reload {
	struct matcher_slot *slot;
	struct query *q[10];
	const struct post *p;
	atomic_int done;          /* the writer has made its last swap */
	atomic_long n_matches;    /* matches the readers made */
	atomic_long n_bad;        /* results inconsistent with every generation */
	atomic_long n_null;       /* matcher_slot_get() gave NULL */
	atomic_long seen[GENERATIONS + 2]; /* matches seen per generation */
	char first_bad[300];      /* the first inconsistent result (set once) */
	atomic_int bad_set;
};

/* A matcher of generation g: g topics, each matching the reload post. */
static struct matcher *reload_matcher(struct reload *rl, int g)
{
	struct matcher_topic t[GENERATIONS + 1];
	struct matcher *m = NULL;
	struct horch_err err;
	int i;

	for (i = 0; i < g; i++) {
		t[i].id = (int64_t)g * 1000 + i;
		t[i].q = rl->q[i % 10];
		t[i].name = NULL;
	}
	if (matcher_build(&m, t, (size_t)g, &err) != 0)
		return NULL;
	return m;
}

/* Is r the result of a matcher of one whole generation?  Returns the
 * generation or -1. */
static int reload_check(const struct match_result *r, size_t n_topics, size_t n_ret)
{
	size_t i;
	int g = (int)n_topics;

	if (g < 1 || g > GENERATIONS + 1 || n_ret != (size_t)g || r->n != (size_t)g)
		return -1;
	for (i = 0; i < r->n; i++)
		if (r->hits[i].topic != (int64_t)g * 1000 + (int64_t)i || r->hits[i].n_spans == 0) {
			/* lang:en (the fourth query) has no spans */
			if (r->hits[i].topic == (int64_t)g * 1000 + (int64_t)i && i % 10 == 3)
				continue;
			return -1;
		}
	return g;
}

static void *reader(void *arg)
{
	struct reload *rl = arg;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	long iter = 0, after = 0;

	match_result_init(&r);
	if (match_doc_set(d, rl->p) != 0) {
		atomic_fetch_add(&rl->n_bad, 1);
		goto out;
	}
	/* Keep matching until the writer is done, and 20 times after (those
	 * must see the last generation). */
	while (after < 20) {
		const struct matcher *m = matcher_slot_get(rl->slot);
		const struct matcher *again;
		size_t n;
		int g;

		iter++;
		if (atomic_load(&rl->done))
			after++;
		if (!m) {
			atomic_fetch_add(&rl->n_null, 1);
			continue;
		}
		n = matcher_match(m, d, MATCH_SPANS | MATCH_ORDERED, &r);
		g = reload_check(&r, matcher_n_topics(m), n);
		/* a second hold of whatever is current now, given back at once */
		again = matcher_slot_get(rl->slot);
		matcher_put(again);
		/* the first matcher must still work after a swap since we took it */
		if (g >= 0 && iter % 7 == 0) {
			n = matcher_match(m, d, MATCH_SPANS | MATCH_EVERY | MATCH_ORDERED, &r);
			if (reload_check(&r, matcher_n_topics(m), n) != g)
				g = -1;
		}
		matcher_put(m);
		atomic_fetch_add(&rl->n_matches, 1);
		if (g < 0) {
			if (atomic_fetch_add(&rl->n_bad, 1) == 0) {
				char *line = result_line(&r);

				snprintf(rl->first_bad, sizeof rl->first_bad, "n_topics %zu: %s",
					 matcher_n_topics(m), line);
				free(line);
			}
		} else {
			atomic_fetch_add(&rl->seen[g], 1);
		}
	}
out:
	match_doc_free(d);
	match_result_cleanup(&r);
	return NULL;
}

static void *writer(void *arg)
{
	struct reload *rl = arg;
	struct timespec pause = { 0, 300 * 1000 };
	int g;

	for (g = 2; g <= GENERATIONS + 1; g++) {
		struct matcher *m = reload_matcher(rl, g);

		if (!m) {
			atomic_fetch_add(&rl->n_bad, 1);
			break;
		}
		matcher_slot_swap(rl->slot, m);
		nanosleep(&pause, NULL);
	}
	atomic_store(&rl->done, 1);
	return NULL;
}

static void test_reload(void)
{
	struct reload rl;
	pthread_t rd[READERS], wr;
	struct post p;
	struct matcher *m1, *m2;
	const struct matcher *held, *cur;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	size_t i;
	int n_started = 0, n_gen = 0, w_started = 0;

	memset(&rl, 0, sizeof rl);
	match_result_init(&r);
	if (post_of(&p, reload_post))
		goto out_doc;
	for (i = 0; i < 10; i++)
		if (!(rl.q[i] = parse(reload_queries[i])))
			goto out;
	rl.p = &p;
	match_doc_set(d, &p);

	/* an empty slot gives NULL; a swapped-in matcher is current */
	rl.slot = matcher_slot_new(NULL);
	ok(matcher_slot_get(rl.slot) == NULL, "match-7.1 an empty slot gives NULL");
	matcher_put(NULL);
	m1 = reload_matcher(&rl, 1);
	m2 = reload_matcher(&rl, 2);
	if (!ok(m1 && m2, "match-7.2 generations build")) {
		matcher_free(m1);
		matcher_free(m2);
		goto out;
	}
	matcher_slot_swap(rl.slot, m1);
	held = matcher_slot_get(rl.slot);
	ok(held == m1, "match-7.3 the swapped-in matcher is current");
	/* swap while holding: the held one keeps working until put */
	matcher_slot_swap(rl.slot, m2);
	cur = matcher_slot_get(rl.slot);
	ok(cur == m2, "match-7.4 a swap makes the new one current");
	is_int(reload_check(&r, matcher_n_topics(held), matcher_match(held, d, MATCH_SPANS | MATCH_ORDERED, &r)),
	       1, "match-7.5 the swapped-out matcher still matches while held");
	matcher_put(held);
	matcher_put(cur);
	/* swapping in NULL empties the slot (and frees m2 once unheld) */
	matcher_slot_swap(rl.slot, NULL);
	ok(matcher_slot_get(rl.slot) == NULL, "match-7.6 swapping in NULL empties the slot");
	matcher_slot_swap(rl.slot, reload_matcher(&rl, 1));

	/* readers and a writer at once */
	for (i = 0; i < READERS; i++)
		if (pthread_create(&rd[i], NULL, reader, &rl) == 0)
			n_started++;
	if (pthread_create(&wr, NULL, writer, &rl) == 0)
		w_started = 1;
	else
		atomic_store(&rl.done, 1);
	if (w_started)
		pthread_join(wr, NULL);
	for (i = 0; i < (size_t)n_started; i++)
		pthread_join(rd[i], NULL);
	is_int(n_started, READERS, "match-7.7 %d reader threads ran", READERS);
	ok(w_started, "match-7.8 the writer swapped in %d matchers", GENERATIONS);
	is_int(atomic_load(&rl.n_bad), 0, "match-7.9 every result is one whole generation's "
	       "(%ld matches)", (long)atomic_load(&rl.n_matches));
	if (atomic_load(&rl.n_bad))
		diag("  first bad result: %s", rl.first_bad);
	is_int(atomic_load(&rl.n_null), 0, "match-7.10 the slot is never empty during swaps");
	for (i = 1; i <= GENERATIONS + 1; i++)
		if (atomic_load(&rl.seen[i]))
			n_gen++;
	ok(n_gen >= 2, "match-7.11 the readers saw %d generations", n_gen);
	ok(atomic_load(&rl.seen[GENERATIONS + 1]) > 0, "match-7.12 the last generation was seen");
	cur = matcher_slot_get(rl.slot);
	ok(cur && matcher_n_topics(cur) == GENERATIONS + 1, "match-7.13 the last swap is current");
	matcher_put(cur);
out:
	/* frees the current matcher; ASan's leak check proves the others went */
	matcher_slot_free(rl.slot);
	matcher_slot_free(NULL);
	for (i = 0; i < 10; i++)
		query_free(rl.q[i]);
	post_cleanup(&p);
out_doc:
	match_doc_free(d);
	match_result_cleanup(&r);
}

/* topic:NAME: the named topic's query in its place; unknown names,
 * cycles and self-references never match; matcher_check_refs() says why;
 * match_explain_with() resolves references and names the topic: clause. */
static void test_topic_refs(void)
{
	static const char *const srcs[] = {
		"korvo OR akku",                     /* 1 base */
		"topic:BASE AND heiss",              /* 2 base, any case of its name */
		"topic:warm AND NOT topic:base",     /* 3 through 2, then NOT 1 */
		"topic:nosuch OR heiss",             /* 4 an unknown name never matches */
		"topic:loop2 OR heiss",              /* 5 loop1 -> loop2 -> loop1 */
		"topic:loop1 AND heiss",             /* 6 loop2: (never OR heiss) AND heiss */
		"topic:self OR heiss",               /* 7 refers to itself */
		"topic:\"MÜLLER  KÜHL\" AND heiss",  /* 8 by the store's key: case, accents, spaces */
		"akku",                              /* 9 named in NFD, found through NFC */
	};
	static const char *const names[] = { "base", "warm", "cold", "unknown", "loop1", "loop2",
					     "self", "ref-key", "Mu\xcc\x88ller\xc2\xa0Ku\xcc\x88hl" };
	struct set s;
	struct matcher *m;
	struct match_doc *d = match_doc_new();
	struct match_result r;
	struct horch_err err;
	struct post p;
	struct query *q = NULL;
	uint32_t off = 0, end = 0;
	size_t i;
	int rc;

	match_result_init(&r);
	if (set_init(&s, srcs, NULL, 9))
		goto out;
	for (i = 0; i < 9; i++)
		s.t[i].name = names[i];
	if (!(m = build(&s)))
		goto out;
	/* the reference that closes a cycle never matches; the rest of a
	 * looping topic does (the CLI refuses such topics before they are
	 * saved) */
	check_post(m, d, &r, "{\"text\": \"Der Akku wird heiss\"}", MATCH_SPANS,
		   "1:text:4+4 2:text:4+4,text:14+5 4:text:14+5 5:text:14+5 6:text:14+5 "
		   "7:text:14+5 8:text:4+4,text:14+5 9:text:4+4",
		   "match-refs-1 references inlined, spans from the referenced topic");
	check_post(m, d, &r, "{\"text\": \"heiss\"}", 0, "4 5 6 7",
		   "match-refs-2 an unresolvable reference alone never matches");
	check_post(m, d, &r, "{\"text\": \"Korvo ist heiss\"}", 0, "1 2 4 5 6 7",
		   "match-refs-3 NOT topic:base excludes (topic 3)");
	check_post(m, d, &r, "{\"text\": \"warm\"}", 0, "-",
		   "match-refs-3b a topic's name is not a word of it");
	matcher_free(m);

	rc = matcher_check_refs(s.t, 9, 1, &err);
	is_int(rc, 0, "match-refs-4 check: a resolvable reference");
	rc = matcher_check_refs(s.t, 9, 7, &err);
	is_int(rc, 0, "match-refs-4b check: a name by the store's key (case, accents, NFD)");
	rc = matcher_check_refs(s.t, 9, 3, &err);
	is_int(rc, HORCH_EINVAL, "match-refs-5 check: an unknown name");
	is_str(rc ? err.msg : "", "topic:nosuch: no topic has that name", "match-refs-5 message");
	rc = matcher_check_refs(s.t, 9, 4, &err);
	is_str(rc ? err.msg : "", "topic:loop1: a cycle (the topic refers back to itself)",
	       "match-refs-6 check: a cycle");
	rc = matcher_check_refs(s.t, 9, 6, &err);
	is_str(rc ? err.msg : "", "topic:self: a cycle (the topic refers back to itself)",
	       "match-refs-7 check: itself");

	/* explain: the failing clause of a reference is the topic: clause */
	if ((q = parse("heiss AND topic:base")) && post_of(&p, "{\"text\": \"heiss\"}") == 0) {
		match_doc_set(d, &p);
		rc = match_explain_with(q, s.t, 9, d, &r, &off, &end);
		is_int(rc, 0, "match-refs-8 explain: no match");
		is_int(off, 10, "match-refs-8 explain: the topic: clause starts");
		is_int(end, 20, "match-refs-8 explain: the topic: clause ends");
		post_cleanup(&p);
	}
	query_free(q);
	q = NULL;
	if ((q = parse("heiss AND topic:base")) &&
	    post_of(&p, "{\"text\": \"akku heiss\"}") == 0) {
		char *line;

		match_doc_set(d, &p);
		rc = match_explain_with(q, s.t, 9, d, &r, &off, &end);
		is_int(rc, 1, "match-refs-9 explain: a match through the reference");
		line = result_line(&r);
		is_str(line, "0:text:0+4,text:5+5", "match-refs-9 explain: spans");
		free(line);
		post_cleanup(&p);
	}
	query_free(q);
out:
	set_cleanup(&s);
	match_result_cleanup(&r);
	match_doc_free(d);
}

int main(void)
{
	test_empty();
	test_order();
	test_shared();
	test_keyword_only();
	test_doc_reuse();
	test_explain();
	test_topic_refs();
	test_reload();
	return tap_done();
}
