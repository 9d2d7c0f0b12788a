/* match.h - the percolator: every topic matched against each post.
 *
 * A company keeps hundreds to hundreds of thousands of topics (saved
 * queries).  matcher_build() compiles all of them into one immutable
 * matcher: a dictionary of the terms the topics use, a prefix index of
 * their wildcards, and for every topic the terms any match of it requires
 * (presearch).  matcher_match() tokenises nothing itself: a post is
 * prepared once into a struct match_doc (normalised and tokenised title,
 * text and author), its tokens are looked up in the dictionary in one pass,
 * the topics whose required terms occur become candidates, and only those
 * are verified (positions for phrases, NEAR, ~n and SENTENCE; fields;
 * keywords).  The result is, per matched topic, the byte spans of the terms
 * that satisfied it.  The rules are those of docs/query-language.md, as the
 * reference evaluator of the tests reads them (tests/unit/query_ref.c);
 * docs/internals/match.md describes the design.
 *
 * Threads: a struct matcher is immutable once built; any number of threads
 * may match with it at once, each with its own struct match_doc and struct
 * match_result.  A struct matcher_slot holds the current matcher of a
 * running process and lets a new one be swapped in while other threads
 * keep matching (hot reload): a reader takes the matcher with
 * matcher_slot_get() and gives it back with matcher_put(); a matcher is freed
 * when it has been swapped out and its last reader has given it back. */
#ifndef HORCH_MATCH_H
#define HORCH_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/post.h"
#include "query.h"

struct matcher;   /* compiled topics; immutable, shared */
struct match_doc; /* one prepared post; one per thread */

/* One topic to compile: its id (the store's, reported back in results),
 * its parsed query and its name (may be NULL).  A query's topic:NAME
 * matches when the post matches the topic of that name in the same set
 * (names compared as the store keys them, text_name_key(): NFC, case,
 * accents and the kind and number of spaces ignored): the named topic's
 * query is compiled in its place.  A reference to a name not in the set,
 * or that closes a cycle (a topic that refers to itself through others),
 * or lies more than 16 references deep, never matches, nor do the
 * references met once a topic has grown past 20,000 nodes;
 * matcher_check_refs() tells which, for refusing such a topic before it is
 * saved.  The matcher copies what it needs: q and name may be freed once
 * matcher_build() returns. */
struct matcher_topic {
	int64_t id;
	const struct query *q;
	const char *name;
};

/* Compile topics[0..n) into a new matcher in *out (the caller owns it; an
 * empty set is valid and matches nothing).  Returns 0, or HORCH_ETOOBIG when
 * the set passes the matcher's limits (2^30 topics; 2^31 nodes, atoms or
 * bytes of strings). */
int matcher_build(struct matcher **out, const struct matcher_topic *topics, size_t n,
		  struct horch_err *err);

/* How often words occur in posts: a sample of recent posts, counted with
 * match_stats_add(), lets matcher_build_with() file each topic under its
 * rarest required terms, so that fewer topics are verified per post.
 * Without it (or with a sample under 100 posts) presearch guesses from
 * word length.  Statistics change only speed, never results. */
struct match_stats;

struct match_stats *match_stats_new(void);
void match_stats_free(struct match_stats *s); /* NULL-safe */

/* Count the words of the title and text of the post prepared in d (each
 * word once per post). */
void match_stats_add(struct match_stats *s, const struct match_doc *d);

size_t match_stats_n_posts(const struct match_stats *s); /* posts counted */

/* As matcher_build(), choosing presearch terms by the frequencies in stats
 * (may be NULL).  stats may be freed once it returns. */
int matcher_build_with(struct matcher **out, const struct matcher_topic *topics, size_t n,
		       const struct match_stats *stats, struct horch_err *err);

/* Do the topic:NAME references of topic i of topics[0..n) all resolve
 * (see struct matcher_topic)?  Returns 0, or HORCH_EINVAL with err naming
 * the reference and why (no topic of that name, a cycle, too deep, too
 * large). */
int matcher_check_refs(const struct matcher_topic *topics, size_t n, size_t i,
		       struct horch_err *err);

/* Free m (NULL-safe).  Not for a matcher held by a struct matcher_slot. */
void matcher_free(struct matcher *m);

size_t matcher_n_topics(const struct matcher *m);
size_t matcher_bytes(const struct matcher *m); /* heap bytes the matcher holds */

/* ---- posts ---- */

/* The part of a post a span lies in. */
enum match_part {
	MATCH_TITLE = 0,
	MATCH_TEXT = 1,
};

/* One byte span of a matched term: [off, off + len) of the post's title or
 * text after text_normalise() (the same bytes as the post's own once the
 * pipeline has normalised it). */
struct match_span {
	uint32_t part; /* enum match_part */
	uint32_t off;  /* byte offset */
	uint32_t len;  /* byte length */
};

struct match_doc *match_doc_new(void);
void match_doc_free(struct match_doc *d); /* NULL-safe */

/* Prepare post p for matching: normalise and tokenise its title, text,
 * author handle and author name.  d keeps a pointer to p (for the keyword
 * and range fields): p must outlive the calls of matcher_match() on d.
 * Returns 0 or HORCH_ETOOBIG (a title or text longer than the tokenizer
 * takes; d is then an empty post that matches only field-free topics such
 * as lang:en). */
int match_doc_set(struct match_doc *d, const struct post *p);

/* ---- matching ---- */

/* One matched topic: its id and its spans, spans[span0 .. span0 + n_spans)
 * of the result, sorted by (part, off, len) without duplicates. */
struct match_hit {
	int64_t topic;
	uint32_t span0;
	uint32_t n_spans;
};

/* The topics one post matched: with MATCH_ORDERED in the order they were
 * given to matcher_build(), otherwise in the matcher's own order (the same
 * for the same matcher and post).  Reusable: matcher_match() replaces the
 * content. */
struct match_result {
	struct match_hit *hits;
	size_t n;
	size_t cap;
	struct match_span *spans;
	size_t n_spans;
	size_t cap_spans;
	/* private to matcher_match(): scratch sized to the matcher */
	uint64_t *seen;   /* a bit per topic: a candidate */
	size_t cap_seen;
	uint32_t *words;  /* the words of seen that are not 0 */
	size_t cap_words;
	uint32_t *aidx;   /* atom -> its state in the post + 1; 0: absent */
	size_t cap_aidx;
	uint32_t *key;    /* hit -> its topic's place in matcher_build()'s list */
	uint64_t *ord;    /* sorting scratch: key << 32 | hit */
	uint64_t *tord;
	uint32_t *run;    /* where each sorted run of hits starts */
	struct match_hit *thits;
	size_t cap_key;
};

void match_result_init(struct match_result *r);
void match_result_cleanup(struct match_result *r); /* NULL-safe */

/* matcher_match() flags */
#define MATCH_SPANS 0x1u /* fill the spans of each hit (otherwise n_spans is 0) */
#define MATCH_EVERY 0x2u /* verify every topic, without the presearch index: the
			  * baseline of bench_match and a check of the index */
#define MATCH_ORDERED 0x4u /* hits in the order of matcher_build() (a sort; a caller
			    * that stores or counts matches does not need it) */

/* Presearch only: 1 when some topic of m is a candidate for the post in d
 * (the post holds an atom a topic is filed under, or a topic is verified
 * on every post), 0 when no topic can match it.  Much cheaper than
 * matcher_match(): the firehose pre-filter of a connector (Bluesky) keeps
 * only the posts this says 1 for, and matcher_match() decides after the
 * enrich stage.  0 for no matcher or no topics.  Any thread, d its own. */
int matcher_could_match(const struct matcher *m, struct match_doc *d);

/* Match the post prepared in d against every topic of m.  Returns the
 * number of topics matched (also out->n). */
size_t matcher_match(const struct matcher *m, struct match_doc *d, unsigned flags,
		     struct match_result *out);

/* ---- one query, explained ---- */

/* Why query q does or does not match the post prepared in d.  Returns 1
 * (a match: out receives its spans as one hit with topic 0) or 0 (no
 * match: *fail_off and *fail_end receive the byte range of the first clause
 * in q that failed: the innermost operand of the ANDs on the way down that
 * did not match, an OR none of whose items did, or a NOT whose item did).
 * out, fail_off and fail_end may be NULL. */
int match_explain(const struct query *q, struct match_doc *d, struct match_result *out,
		  uint32_t *fail_off, uint32_t *fail_end);

/* As match_explain(), with the topics topics[0..n) to resolve q's
 * topic:NAME references (a failing reference is reported as the topic:
 * clause itself). */
int match_explain_with(const struct query *q, const struct matcher_topic *topics, size_t n,
		       struct match_doc *d, struct match_result *out, uint32_t *fail_off,
		       uint32_t *fail_end);

/* ---- hot reload ---- */

/* The matcher a running process uses now; see the top of this file. */
struct matcher_slot;

/* A new slot holding m (may be NULL: nothing matches until a swap).  The
 * slot owns m from now on. */
struct matcher_slot *matcher_slot_new(struct matcher *m);

/* Free the slot and its current matcher.  No reader may hold a matcher. */
void matcher_slot_free(struct matcher_slot *s); /* NULL-safe */

/* The current matcher, held for the caller until matcher_put(); NULL when
 * the slot is empty.  Cheap (one lock, one atomic increment): take it once
 * per batch of posts. */
const struct matcher *matcher_slot_get(struct matcher_slot *s);

/* Give back a matcher taken with matcher_slot_get() (NULL-safe). */
void matcher_put(const struct matcher *m);

/* Make m (which the slot now owns; may be NULL) the current matcher.
 * Readers holding the old one keep using it; it is freed when the last of
 * them gives it back.  Returns at once. */
void matcher_slot_swap(struct matcher_slot *s, struct matcher *m);

#endif
