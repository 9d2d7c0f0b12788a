/* query_ref.h - the reference evaluator of the topic query language.
 *
 * query_ref_match() decides whether one post matches one parsed query by the
 * most direct reading of docs/query-language.md: it tokenises the post and
 * walks the syntax tree, with no index and no shortcut.  It is a test
 * oracle: the case files of tests/cases/query/match/ pin it down, and the
 * matcher of src/query/ is checked against it.  The rules it implements are
 * listed at the top of query_ref.c.  Slow on purpose; single-threaded per
 * call (no globals). */
#ifndef HORCH_QUERY_REF_H
#define HORCH_QUERY_REF_H

#include <stddef.h>
#include <stdint.h>

#include "core/post.h"
#include "query/query.h"

/* The part of a post a span lies in. */
enum query_ref_part {
	QUERY_REF_TITLE = 0,
	QUERY_REF_TEXT = 1,
};

/* One byte span of a matched term: [off, off + len) of the post's title or
 * text after text_normalise() (the same bytes when the post holds valid
 * NFC, as posts do once normalised). */
struct query_ref_span {
	int part;     /* enum query_ref_part */
	uint32_t off; /* byte offset */
	uint32_t len; /* byte length */
};

/* A list of spans, sorted by (part, off, len), without duplicates. */
struct query_ref_spans {
	struct query_ref_span *v;
	size_t n;
	size_t cap;
};

void query_ref_spans_init(struct query_ref_spans *s);
void query_ref_spans_cleanup(struct query_ref_spans *s); /* NULL-safe */

/* Does post p match query q?  Returns 1 (a match), 0 (no match) or
 * HORCH_ETOOBIG (a title or text longer than the tokenizer takes).  On a
 * match, spans (may be NULL) is replaced by the spans of every term hit
 * that takes part in satisfying the query; otherwise it is left empty.
 * The caller owns spans. */
int query_ref_match(const struct query *q, const struct post *p, struct query_ref_spans *spans);

#endif
