/* fuzz_match.c - libFuzzer target: the matcher against the reference
 * evaluator, on any query and any post.
 *
 * The input is one byte of flags (bit 0: parse the query in lenient mode),
 * a query up to the first line break, and a post: one line of horch's JSON
 * (docs/post-format.md) or, when that does not read as a post, the bytes
 * as the post's text.  When the query parses, a one-topic matcher is built
 * and the post matched three ways: with the presearch index, with
 * MATCH_EVERY, and by query_ref_match() (tests/unit/query_ref.c).  All
 * three must agree on the decision and the spans, and match_explain() must
 * agree with them; a failed explain must name a range inside the query.
 * Anything else aborts with both answers printed.  Corpus:
 * tests/fuzz/corpus/match (made from the case files of
 * tests/cases/query/match), dictionary: tests/fuzz/match.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/post.h"
#include "query/match.h"
#include "query/query.h"
#include "query_ref.h"

#define QUERY_CAP 2048 /* bytes of query the target reads */
#define POST_CAP  2048 /* bytes of post: the reference is slow on purpose */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void print_spans(const char *who, const struct match_span *s, size_t n)
{
	size_t i;

	fprintf(stderr, "  %s:", who);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %u:%u+%u", s[i].part, s[i].off, s[i].len);
	fputc('\n', stderr);
}

static void fail(const char *what, const char *q, size_t qn, const struct post *p)
{
	fprintf(stderr, "fuzz_match: %s\n  query: %.*s\n  title: %s\n  text: %s\n", what,
		(int)qn, q, p->title ? p->title : "(none)", p->text ? p->text : "(none)");
}

/* Do the hit's spans equal the reference's? */
static int same_spans(const struct match_result *r, const struct query_ref_spans *ref)
{
	size_t i;

	if (r->n != 1 || r->hits[0].n_spans != ref->n)
		return 0;
	for (i = 0; i < ref->n; i++) {
		const struct match_span *a = &r->spans[r->hits[0].span0 + i];

		if (a->part != (uint32_t)ref->v[i].part || a->off != ref->v[i].off ||
		    a->len != ref->v[i].len)
			return 0;
	}
	return 1;
}

static void check(const char *q, size_t qn, unsigned flags, struct post *p)
{
	struct query *query = NULL;
	struct horch_err err;
	struct matcher *m = NULL;
	struct matcher_topic t;
	struct match_doc *d = NULL;
	struct match_result r, every, ex;
	struct query_ref_spans ref;
	uint32_t off = 0, end = 0;
	int want, got_ex;

	if (query_parse(&query, q, qn, flags, NULL, &err) != 0)
		return;
	match_result_init(&r);
	match_result_init(&every);
	match_result_init(&ex);
	query_ref_spans_init(&ref);
	t.id = 7;
	t.q = query;
	t.name = NULL;
	if (matcher_build(&m, &t, 1, &err) != 0)
		goto out;
	d = match_doc_new();
	if (match_doc_set(d, p) != 0)
		goto out; /* a post too long for the tokenizer: not this target's matter */
	want = query_ref_match(query, p, &ref);
	if (want < 0)
		goto out;
	matcher_match(m, d, MATCH_SPANS, &r);
	matcher_match(m, d, MATCH_SPANS | MATCH_EVERY, &every);
	if ((int)r.n != want || (int)every.n != want) {
		fail("the matcher and the reference decide differently", q, qn, p);
		fprintf(stderr, "  matcher %zu, MATCH_EVERY %zu, reference %d\n", r.n, every.n, want);
		abort();
	}
	if (want && (!same_spans(&r, &ref) || !same_spans(&every, &ref))) {
		fail("the matcher and the reference report different spans", q, qn, p);
		print_spans("matcher", r.spans, r.n_spans);
		print_spans("every", every.spans, every.n_spans);
		fprintf(stderr, "  reference:");
		for (size_t i = 0; i < ref.n; i++)
			fprintf(stderr, " %d:%u+%u", ref.v[i].part, ref.v[i].off, ref.v[i].len);
		fputc('\n', stderr);
		abort();
	}
	got_ex = match_explain(query, d, &ex, &off, &end);
	if (got_ex != want || (want && !same_spans(&ex, &ref))) {
		fail("match_explain() and the reference differ", q, qn, p);
		abort();
	}
	if (!want && (off > end || end > qn)) {
		fail("match_explain() names a range outside the query", q, qn, p);
		fprintf(stderr, "  range %u..%u of %zu bytes\n", off, end, qn);
		abort();
	}
out:
	query_ref_spans_cleanup(&ref);
	match_result_cleanup(&r);
	match_result_cleanup(&every);
	match_result_cleanup(&ex);
	match_doc_free(d);
	matcher_free(m);
	query_free(query);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1, *nl;
	size_t n, qn;
	unsigned flags;
	struct post p;
	struct horch_err err;
	char *text = NULL;

	if (size < 2)
		return 0;
	flags = (data[0] & 1) ? QUERY_LENIENT : 0;
	n = size - 1;
	nl = memchr(s, '\n', n);
	qn = nl ? (size_t)(nl - s) : n;
	if (qn > QUERY_CAP)
		return 0;
	s += qn + (nl ? 1 : 0);
	n -= qn + (nl ? 1 : 0);
	if (n > POST_CAP)
		n = POST_CAP;
	post_init(&p);
	if (post_from_json(&p, s, n, NULL, &err) != 0) {
		post_cleanup(&p);
		post_init(&p);
		text = malloc(n + 1);
		if (!text)
			return 0;
		memcpy(text, s, n);
		text[n] = '\0';
		p.text = text; /* NUL bytes inside end it early: fine */
	}
	check((const char *)data + 1, qn, flags, &p);
	if (text) {
		p.text = NULL;
		free(text);
	}
	post_cleanup(&p);
	return 0;
}
