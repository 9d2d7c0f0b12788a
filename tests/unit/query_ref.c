/* query_ref.c - the reference evaluator: a query's tree walked over one post.
 *
 * Obviously correct over fast.  The post's title and text are normalised
 * (text_normalise()) and tokenised (text_tokenise()) as the product does;
 * the tree is then evaluated recursively, every hit of every term collected
 * and combined.  No index, no early exit.  The rules, with the section of
 * docs/query-language.md (the spec) each one reads:
 *
 * Streams and positions.
 *   R1  A post has token streams: title, text, and the author's (R14).  A query without a field searches title and text (§4: title:
 *       and text: restrict to one of them); author: searches handle and
 *       name.  A positional match (phrase, NEAR, ~n, SENTENCE) lies inside
 *       one stream: nothing is adjacent across title and text.  post->html
 *       is not read: the pipeline turns it into text before matching.
 *   R2  Positions count the tokens that are not punctuation: words,
 *       numbers, hashtags, mentions, cashtags, URLs and emoji, numbered
 *       0, 1, 2, ... in each stream.  Punctuation (and sentence ends) take
 *       no position.  So "e-mail", "e mail" and "e. mail" are all the two
 *       consecutive positions e, mail, as the query term e-mail is the
 *       phrase "e mail" (§1); a phrase may run over a sentence end.
 *
 * Terms (§1).
 *   R3  A term of form "any" (a plain word, number, emoji or URL) matches a
 *       word, number, emoji or URL token, and a hashtag or mention token,
 *       whose folded form (case and accents removed, ß to ss) equals the
 *       term's.  Never a cashtag: $DELL is not the word dell.
 *   R4  #x matches only hashtag tokens, @x only mentions, $X only cashtags
 *       (folded forms compared without the sigil).  hashtag:x and mention:x
 *       are such terms (§4).
 *   R5  {X} compares bytes, not folds: the token as written (NFC) must equal
 *       X.  A sigil is left out on both sides before comparing, so {Dell}
 *       matches "Dell" and "#Dell" but not "dell"; {#Dell} matches only the
 *       hashtag "#Dell" (R4 still applies).
 *   R6  A wildcard term matches a token allowed by R3 whose folded form
 *       matches the folded pattern: * is any run of characters (also none),
 *       ? exactly one character (a code point, not a byte).  Both sides
 *       are folded, so stra?e does not match "Straße" (strasse) but
 *       stra??e does.
 *   R7  No stemming, no substrings: a term matches a whole token.
 *
 * Operators (§2).  A positional node has "hits": runs of positions
 * [start, end] in one stream, each with the spans of its terms.
 *   R8  A phrase's hit: its terms at consecutive positions, in order.
 *   R9  a NEAR/n b: a hit of a and a hit of b that do not overlap, with at
 *       most n positions strictly between them, in either order; NEAR/nf
 *       and ONEAR/n: a's hit ends before b's starts.  The hit is the two
 *       together (from the first start to the last end).
 *   R10 "a b"~n and (a OR b)~n: one hit of each item, no two overlapping,
 *       with (the latest start) - (the earliest end) <= n.  For two words
 *       at positions p < q that is q - p <= n: "a b"~1 is "adjacent, either
 *       order", one more than NEAR/n's count of words between.
 *   R11 a SENTENCE b: a hit of a and a hit of b that do not overlap, both
 *       wholly in one sentence (the tokenizer's sentence index).
 *   R12 An OR group inside a positional operator has the hits of all its
 *       items.  A node that has no positions (AND, NOT, a field, a keyword,
 *       a range) has no hits there; the parser does not let one in.
 *   R13 AND: every item matches, and every NOT item does not (each item
 *       evaluated in the same streams).  OR: any item.  A positional node
 *       matches when it has a hit in one of the streams.
 *
 * Fields (§4).  Keyword and range fields look at the post, not the streams.
 *   R14 title:, text:, author: evaluate their query in the title, the text,
 *       or the author's streams, each tokenised like text: the handle as
 *       written, the handle with '@' before it (one mention token, so
 *       author:@dellcares matches the handle DellCares), and the name.
 *   R15 site:H: the host of post->url (scheme, user, port left out, ASCII
 *       lower case, a leading "www." and trailing dots removed) is H or ends
 *       in ".H".  No url: no match.
 *   R16 url:S: S is a substring of post->url, ASCII case ignored.
 *   R17 links:V: a URL token of the text (not the title) whose host is V or
 *       ends in ".V" (R15's host rule; "john@dell.com" has host dell.com),
 *       or, when V holds a '/', that starts with V once both have lost
 *       their scheme and a leading "www." (ASCII case ignored).  The URL
 *       token's span is reported.
 *   R18 lang:, country:, source: equal post->lang, post->country,
 *       post->source, ASCII case ignored.
 *   R19 product:V: post->product cut and folded as the parser cuts the
 *       value (words joined by one space, emoji as written) holds V's
 *       words consecutively: product:"inspiron 15" matches the product
 *       "Dell Inspiron 15 3000", product:inspiron does not match
 *       "Inspiron15".  No detected product mentions exist yet.
 *   R20 is:retweet is a repost, is:reply a reply, is:review a review
 *       (post->kind).
 *   R21 authorFollowers:[a TO b] and rating:[a TO b]: the post's number is
 *       known and a <= number <= b.  An unknown number never matches.
 *   R22 sentiment:X matches a post whose derived sentiment label is X,
 *       intent:X one whose derived intent is X, and is:question one whose
 *       intent is question; a post not analysed matches none of them (so
 *       NOT sentiment:x does).  topic: needs the other topics, which this
 *       evaluator does not have: it never matches here.
 *
 * Spans.
 *   R23 A match reports the spans of every term hit that takes part in a
 *       satisfying combination: every hit of a matching positional node,
 *       the spans of all matching items of an OR and of all items of a
 *       matching AND; nothing from NOT items, keyword or range fields
 *       (except links:) or the author streams.  The list is sorted by part
 *       (title first), offset and length, without duplicates. */
#include <stdlib.h>
#include <string.h>

#include "query_ref.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "query/query_int.h"
#include "text/text.h"

/* One tokenised part of the post (R1, R2). */
struct stream {
	int part;        /* enum query_ref_part, or -1: spans not reported (author) */
	struct buf norm; /* the normalised bytes */
	struct tokens toks;
	size_t *pos;     /* position -> index into toks.v */
	size_t n_pos;
};

/* One hit of a positional node in one stream. */
struct hit {
	size_t start, end;           /* first and last position */
	struct query_ref_spans spans; /* spans of its terms */
};

struct hits {
	struct hit *v;
	size_t n;
	size_t cap;
};

/* What an evaluation sees: the post and its streams. */
struct ref {
	const struct post *p;
	struct stream title, text, handle, at_handle, name;
};

void query_ref_spans_init(struct query_ref_spans *s)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

void query_ref_spans_cleanup(struct query_ref_spans *s)
{
	if (!s)
		return;
	free(s->v);
	query_ref_spans_init(s);
}

static void spans_add(struct query_ref_spans *s, int part, uint32_t off, uint32_t len)
{
	s->v = horch_xgrow(s->v, &s->cap, s->n + 1, sizeof *s->v);
	s->v[s->n].part = part;
	s->v[s->n].off = off;
	s->v[s->n].len = len;
	s->n++;
}

static void spans_add_all(struct query_ref_spans *dst, const struct query_ref_spans *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		spans_add(dst, src->v[i].part, src->v[i].off, src->v[i].len);
}

static int span_cmp(const void *a, const void *b)
{
	const struct query_ref_span *x = a, *y = b;

	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return 0;
}

/* Sort s and drop duplicates (R23). */
static void spans_normalise(struct query_ref_spans *s)
{
	size_t i, k = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof *s->v, span_cmp);
	for (i = 1; i < s->n; i++)
		if (span_cmp(&s->v[k], &s->v[i]) != 0)
			s->v[++k] = s->v[i];
	s->n = k + 1;
}

static void hits_cleanup(struct hits *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		query_ref_spans_cleanup(&h->v[i].spans);
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* Append a new empty hit [start, end] to h and return it (owned by h). */
static struct hit *hits_add(struct hits *h, size_t start, size_t end)
{
	struct hit *x;

	h->v = horch_xgrow(h->v, &h->cap, h->n + 1, sizeof *h->v);
	x = &h->v[h->n++];
	x->start = start;
	x->end = end;
	query_ref_spans_init(&x->spans);
	return x;
}

/* ---- streams ---- */

static void stream_init(struct stream *s, int part)
{
	s->part = part;
	buf_init(&s->norm, BUF_NOLIMIT);
	tokens_init(&s->toks);
	s->pos = NULL;
	s->n_pos = 0;
}

static void stream_cleanup(struct stream *s)
{
	buf_cleanup(&s->norm);
	tokens_cleanup(&s->toks);
	free(s->pos);
	s->pos = NULL;
}

/* Normalise and tokenise str (may be NULL: an empty stream) into s and
 * number its positions (R2).  Returns 0 or HORCH_ETOOBIG. */
static int stream_fill(struct stream *s, const char *str)
{
	size_t i;
	int rc;

	if (str && (rc = text_normalise(&s->norm, str, strlen(str), NULL)) != 0)
		return rc;
	if ((rc = text_tokenise(&s->toks, s->norm.ptr ? s->norm.ptr : "", s->norm.len)) != 0)
		return rc;
	s->pos = horch_xmalloc((s->toks.n + 1) * sizeof *s->pos);
	for (i = 0; i < s->toks.n; i++)
		if (s->toks.v[i].kind != TOKEN_PUNCT)
			s->pos[s->n_pos++] = i;
	return 0;
}

static const struct token *stream_tok(const struct stream *s, size_t pos)
{
	return &s->toks.v[s->pos[pos]];
}

static const char *tok_fold(const struct stream *s, const struct token *tk)
{
	return s->toks.fold.ptr + tk->fold_off;
}

/* ---- terms (R3-R7) ---- */

/* Does the glob pattern p[0..pn) (* any run, ? one code point) match all of
 * s[0..sn)?  Returns 1 or 0.  Row by row over the pattern: reach[j] says
 * whether the pattern so far can match s[0..j).  A * extends a reachable
 * position to every later one that starts a code point (or is the end); a
 * ? moves past one code point (its first byte and the continuation bytes
 * after it); any other byte must equal the text's.  O(pn * sn): a pattern
 * of many stars is not exponential, as recursion would be. */
static int glob(const char *p, size_t pn, const char *s, size_t sn)
{
	unsigned char *reach = horch_xcalloc(sn + 1, 1), *next = horch_xcalloc(sn + 1, 1);
	size_t i, j;
	int m;

	reach[0] = 1;
	for (i = 0; i < pn; i++) {
		int seen = 0;

		memset(next, 0, sn + 1);
		for (j = 0; j <= sn; j++) {
			int boundary = j == sn || ((unsigned char)s[j] & 0xC0) != 0x80;

			if (p[i] == '*') {
				seen |= reach[j];
				next[j] = (unsigned char)(seen && boundary);
			} else if (!reach[j] || j == sn) {
				continue;
			} else if (p[i] == '?') {
				size_t k = j + 1;

				while (k < sn && ((unsigned char)s[k] & 0xC0) == 0x80)
					k++;
				next[k] = 1;
			} else if (p[i] == s[j]) {
				next[j + 1] = 1;
			}
		}
		memcpy(reach, next, sn + 1);
	}
	m = reach[sn];
	free(reach);
	free(next);
	return m;
}

/* May a term of form form match a token of kind kind (R3, R4)? */
static int form_allows(int form, int kind)
{
	switch (form) {
	case QFORM_HASHTAG: return kind == TOKEN_HASHTAG;
	case QFORM_MENTION: return kind == TOKEN_MENTION;
	case QFORM_CASHTAG: return kind == TOKEN_CASHTAG;
	default:
		return kind == TOKEN_WORD || kind == TOKEN_NUMBER || kind == TOKEN_EMOJI ||
		       kind == TOKEN_URL || kind == TOKEN_HASHTAG || kind == TOKEN_MENTION;
	}
}

static int has_sigil(int kind)
{
	return kind == TOKEN_HASHTAG || kind == TOKEN_MENTION || kind == TOKEN_CASHTAG;
}

/* Does term t match token tk of stream s?  Returns 1 or 0. */
static int term_matches(const struct qnode *t, const struct stream *s, const struct token *tk)
{
	if (!form_allows(t->form, tk->kind))
		return 0;
	if (t->flags & QN_F_EXACT) {
		const char *a = s->norm.ptr + tk->off, *b = t->exact;
		size_t an = tk->len, bn = t->exact_len;

		if (has_sigil(tk->kind))
			a++, an--;
		if (t->form != QFORM_ANY && bn > 0)
			b++, bn--;
		return an == bn && memcmp(a, b, an) == 0;
	}
	if (t->flags & QN_F_WILDCARD)
		return glob(t->fold, t->fold_len, tok_fold(s, tk), tk->fold_len);
	return t->fold_len == tk->fold_len && memcmp(t->fold, tok_fold(s, tk), t->fold_len) == 0;
}

/* Add the span of the token at position pos of s to spans (R23). */
static void add_pos_span(struct query_ref_spans *spans, const struct stream *s, size_t pos)
{
	const struct token *tk = stream_tok(s, pos);

	spans_add(spans, s->part, tk->off, tk->len);
}

/* ---- positional nodes (R8-R12) ---- */

static void node_hits(const struct ref *r, const struct qnode *n, const struct stream *s,
		      struct hits *out);

static int overlap(const struct hit *a, const struct hit *b)
{
	return !(a->end < b->start || b->end < a->start);
}

/* A new hit in out that covers a and b and holds both their spans. */
static struct hit *join_hits(struct hits *out, const struct hit *a, const struct hit *b)
{
	struct hit *x = hits_add(out, a->start < b->start ? a->start : b->start,
				 a->end > b->end ? a->end : b->end);

	spans_add_all(&x->spans, &a->spans);
	spans_add_all(&x->spans, &b->spans);
	return x;
}

static uint32_t hit_sentence(const struct stream *s, size_t pos)
{
	return stream_tok(s, pos)->sentence;
}

/* R9 and R11: every pair of a hit of kids[0] and a hit of kids[1]. */
static void pair_hits(const struct ref *r, const struct qnode *n, const struct stream *s,
		      struct hits *out)
{
	struct hits ha = { 0 }, hb = { 0 };
	size_t i, j;

	node_hits(r, n->kids[0], s, &ha);
	node_hits(r, n->kids[1], s, &hb);
	for (i = 0; i < ha.n; i++) {
		for (j = 0; j < hb.n; j++) {
			const struct hit *a = &ha.v[i], *b = &hb.v[j];
			int ok;

			if (overlap(a, b))
				continue;
			if (n->kind == QN_SENTENCE) {
				uint32_t sa = hit_sentence(s, a->start);

				ok = hit_sentence(s, a->end) == sa && hit_sentence(s, b->start) == sa &&
				     hit_sentence(s, b->end) == sa;
			} else if (a->end < b->start) {
				ok = b->start - a->end - 1 <= n->dist;
			} else {
				ok = !(n->flags & QN_F_ORDERED) && a->start - b->end - 1 <= n->dist;
			}
			if (ok)
				join_hits(out, a, b);
		}
	}
	hits_cleanup(&ha);
	hits_cleanup(&hb);
}

/* R10: choose a hit for item k onwards of a ~n group; chosen[0..k) are the
 * hits taken so far.  Each full choice that fits adds a hit to out. */
static void prox_choose(const struct qnode *n, struct hits *item, size_t k,
			const struct hit **chosen, struct hits *out)
{
	size_t i, j, lo_end = (size_t)-1, hi_start = 0;

	for (j = 0; j < k; j++) {
		if (chosen[j]->end < lo_end)
			lo_end = chosen[j]->end;
		if (chosen[j]->start > hi_start)
			hi_start = chosen[j]->start;
	}
	/* the span only grows as items are added: prune as soon as it is too wide */
	if (k > 0 && hi_start > lo_end && hi_start - lo_end > n->dist)
		return;
	if (k == n->n_kids) {
		struct hit *x;
		size_t start = chosen[0]->start, end = chosen[0]->end;

		for (j = 1; j < k; j++) {
			if (chosen[j]->start < start)
				start = chosen[j]->start;
			if (chosen[j]->end > end)
				end = chosen[j]->end;
		}
		x = hits_add(out, start, end);
		for (j = 0; j < k; j++)
			spans_add_all(&x->spans, &chosen[j]->spans);
		return;
	}
	for (i = 0; i < item[k].n; i++) {
		for (j = 0; j < k; j++)
			if (overlap(chosen[j], &item[k].v[i]))
				break;
		if (j < k)
			continue;
		chosen[k] = &item[k].v[i];
		prox_choose(n, item, k + 1, chosen, out);
	}
}

static void prox_hits(const struct ref *r, const struct qnode *n, const struct stream *s,
		      struct hits *out)
{
	struct hits *item = horch_xcalloc(n->n_kids + 1, sizeof *item);
	const struct hit **chosen = horch_xcalloc(n->n_kids + 1, sizeof *chosen);
	size_t i;

	for (i = 0; i < n->n_kids; i++)
		node_hits(r, n->kids[i], s, &item[i]);
	if (n->n_kids > 0)
		prox_choose(n, item, 0, chosen, out);
	for (i = 0; i < n->n_kids; i++)
		hits_cleanup(&item[i]);
	free(item);
	free(chosen);
}

/* Append every hit of positional node n in stream s to out (R8-R12). */
static void node_hits(const struct ref *r, const struct qnode *n, const struct stream *s,
		      struct hits *out)
{
	size_t pos, k;
	uint32_t i;

	switch (n->kind) {
	case QN_TERM:
		for (pos = 0; pos < s->n_pos; pos++)
			if (term_matches(n, s, stream_tok(s, pos)))
				add_pos_span(&hits_add(out, pos, pos)->spans, s, pos);
		break;
	case QN_PHRASE:
		if (n->n_kids == 0 || n->n_kids > s->n_pos)
			break;
		for (pos = 0; pos + n->n_kids <= s->n_pos; pos++) {
			struct hit *x;

			for (k = 0; k < n->n_kids; k++)
				if (n->kids[k]->kind != QN_TERM ||
				    !term_matches(n->kids[k], s, stream_tok(s, pos + k)))
					break;
			if (k < n->n_kids)
				continue;
			x = hits_add(out, pos, pos + n->n_kids - 1);
			for (k = 0; k < n->n_kids; k++)
				add_pos_span(&x->spans, s, pos + k);
		}
		break;
	case QN_OR:
		for (i = 0; i < n->n_kids; i++)
			node_hits(r, n->kids[i], s, out);
		break;
	case QN_NEAR:
	case QN_SENTENCE:
		if (n->n_kids == 2)
			pair_hits(r, n, s, out);
		break;
	case QN_PROX:
		prox_hits(r, n, s, out);
		break;
	default:
		break; /* R12: no positions */
	}
}

/* ---- fields (R15-R22) ---- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

/* Append u[0..n) ASCII lower-cased, without its scheme ("x://") and a
 * leading "www.", to out. */
static void url_strip(struct buf *out, const char *u, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i + 2 < n && u[i] != '/'; i++)
		if (u[i] == ':' && u[i + 1] == '/' && u[i + 2] == '/') {
			start = i + 3;
			break;
		}
	if (n - start > 4 && lower((unsigned char)u[start]) == 'w' &&
	    lower((unsigned char)u[start + 1]) == 'w' && lower((unsigned char)u[start + 2]) == 'w' &&
	    u[start + 3] == '.')
		start += 4;
	for (i = start; i < n; i++)
		buf_putc(out, lower((unsigned char)u[i]));
}

/* Append the host of URL u[0..n) to out (R15): scheme, "www.", user, port
 * and path left out, lower case, trailing dots removed. */
static void url_host(struct buf *out, const char *u, size_t n)
{
	struct buf b;
	size_t i, end, at = 0, colon;

	buf_init(&b, BUF_NOLIMIT);
	url_strip(&b, u, n);
	for (end = 0; end < b.len && b.ptr[end] != '/' && b.ptr[end] != '?' && b.ptr[end] != '#';
	     end++)
		if (b.ptr[end] == '@')
			at = end + 1;
	colon = end;
	for (i = at; i < end; i++)
		if (b.ptr[i] == ':') {
			colon = i;
			break;
		}
	while (colon > at && b.ptr[colon - 1] == '.')
		colon--;
	/* a user part can hide a "www." the strip did not see */
	if (colon - at > 4 && memcmp(b.ptr + at, "www.", 4) == 0)
		at += 4;
	if (colon > at)
		buf_append(out, b.ptr + at, colon - at);
	buf_cleanup(&b);
}

/* Is host[0..n) the host h or one of its subdomains? */
static int host_in(const char *host, size_t n, const char *h, size_t hn)
{
	if (hn == 0 || n < hn || memcmp(host + n - hn, h, hn) != 0)
		return 0;
	return n == hn || host[n - hn - 1] == '.';
}

static int site_match(const struct post *p, const struct qnode *n)
{
	struct buf host;
	int m;

	if (!p->url)
		return 0;
	buf_init(&host, BUF_NOLIMIT);
	url_host(&host, p->url, strlen(p->url));
	m = host_in(host.ptr ? host.ptr : "", host.len, n->fold, n->fold_len);
	buf_cleanup(&host);
	return m;
}

static int url_match(const struct post *p, const struct qnode *n)
{
	size_t i, k, len;

	if (!p->url)
		return 0;
	len = strlen(p->url);
	for (i = 0; i + n->fold_len <= len; i++) {
		for (k = 0; k < n->fold_len; k++)
			if (lower((unsigned char)p->url[i + k]) != lower((unsigned char)n->fold[k]))
				break;
		if (k == n->fold_len)
			return 1;
	}
	return 0;
}

/* R17: every URL token of the text that fits; their spans go to spans. */
static int links_match(const struct ref *r, const struct qnode *n, struct query_ref_spans *spans)
{
	const struct stream *s = &r->text;
	struct buf v, u;
	size_t k;
	int m = 0, by_prefix = memchr(n->fold, '/', n->fold_len) != NULL;

	buf_init(&v, BUF_NOLIMIT);
	buf_init(&u, BUF_NOLIMIT);
	url_strip(&v, n->fold, n->fold_len);
	for (k = 0; k < s->toks.n; k++) {
		const struct token *tk = &s->toks.v[k];
		int hit;

		if (tk->kind != TOKEN_URL)
			continue;
		buf_reset(&u);
		if (by_prefix) {
			url_strip(&u, s->norm.ptr + tk->off, tk->len);
			hit = u.len >= v.len && memcmp(u.ptr, v.ptr ? v.ptr : "", v.len) == 0;
		} else {
			url_host(&u, s->norm.ptr + tk->off, tk->len);
			hit = host_in(u.ptr ? u.ptr : "", u.len, v.ptr ? v.ptr : "", v.len);
		}
		if (hit) {
			m = 1;
			spans_add(spans, s->part, tk->off, tk->len);
		}
	}
	buf_cleanup(&v);
	buf_cleanup(&u);
	return m;
}

/* R19: post->product's words (as the parser cuts a product: value) hold
 * the value's words consecutively. */
static int product_match(const struct post *p, const struct qnode *n)
{
	struct stream s;
	struct buf words;
	size_t k;
	int m = 0;

	if (!p->product)
		return 0;
	stream_init(&s, -1);
	buf_init(&words, BUF_NOLIMIT);
	if (stream_fill(&s, p->product) == 0) {
		buf_putc(&words, ' ');
		for (k = 0; k < s.n_pos; k++) {
			const struct token *tk = stream_tok(&s, k);

			if (tk->kind == TOKEN_EMOJI)
				buf_append(&words, s.norm.ptr + tk->off, tk->len);
			else
				buf_append(&words, tok_fold(&s, tk), tk->fold_len);
			buf_putc(&words, ' ');
		}
		for (k = 0; k + n->fold_len + 2 <= words.len; k++)
			if (words.ptr[k] == ' ' && memcmp(words.ptr + k + 1, n->fold, n->fold_len) == 0 &&
			    words.ptr[k + 1 + n->fold_len] == ' ') {
				m = 1;
				break;
			}
	}
	buf_cleanup(&words);
	stream_cleanup(&s);
	return m;
}

static int keyword_match(const struct ref *r, const struct qnode *n, struct query_ref_spans *spans)
{
	const struct post *p = r->p;

	switch (n->field) {
	case QF_SITE: return site_match(p, n);
	case QF_URL: return url_match(p, n);
	case QF_LINKS: return links_match(r, n, spans);
	case QF_LANG: return ieq(p->lang, n->fold);
	case QF_COUNTRY: return ieq(p->country, n->fold);
	case QF_SOURCE: return ieq(p->source, n->fold);
	case QF_PRODUCT: return product_match(p, n);
	case QF_IS:
		if (strcmp(n->fold, "retweet") == 0)
			return p->kind == POST_KIND_REPOST;
		if (strcmp(n->fold, "reply") == 0)
			return p->kind == POST_KIND_REPLY;
		if (strcmp(n->fold, "review") == 0)
			return p->kind == POST_KIND_REVIEW;
		if (strcmp(n->fold, "question") == 0)
			return p->analysed && p->intent == POST_INTENT_QUESTION; /* R22 */
		return 0;
	case QF_SENTIMENT: /* R22 */
		return p->analysed && ieq(post_sentiment_name(p->sentiment_label), n->fold);
	case QF_INTENT: /* R22 */
		return p->analysed && ieq(post_intent_name(p->intent), n->fold);
	default:
		return 0; /* topic: R22 */
	}
}

static int range_match(const struct post *p, const struct qnode *n)
{
	if (n->field == QF_AUTHOR_FOLLOWERS)
		return p->author_followers != POST_COUNT_NONE && p->author_followers >= 0 &&
		       p->author_followers >= n->lo && p->author_followers <= n->hi;
	if (n->field == QF_RATING)
		return p->rating >= 0 && p->rating >= (double)n->lo && p->rating <= (double)n->hi;
	return 0;
}

/* ---- boolean evaluation (R13, R14) ---- */

/* Does n match in the streams s[0..ns)?  On a match, appends its spans to
 * spans; on a miss, leaves spans as it was.  Returns 1 or 0. */
static int eval(const struct ref *r, const struct qnode *n, const struct stream *const *s,
		size_t ns, struct query_ref_spans *spans)
{
	size_t before = spans->n, i, k;
	int m = 0;

	switch (n->kind) {
	case QN_TERM:
	case QN_PHRASE:
	case QN_PROX:
	case QN_NEAR:
	case QN_SENTENCE:
		for (i = 0; i < ns; i++) {
			struct hits h = { 0 };

			node_hits(r, n, s[i], &h);
			if (h.n)
				m = 1;
			if (s[i]->part >= 0)
				for (k = 0; k < h.n; k++)
					spans_add_all(spans, &h.v[k].spans);
			hits_cleanup(&h);
		}
		break;
	case QN_OR:
		for (i = 0; i < n->n_kids; i++)
			if (eval(r, n->kids[i], s, ns, spans))
				m = 1;
		break;
	case QN_AND:
		m = 1;
		for (i = 0; i < n->n_kids && m; i++) {
			const struct qnode *kid = n->kids[i];

			if (kid->kind == QN_NOT) {
				size_t mark = spans->n;

				if (kid->n_kids && eval(r, kid->kids[0], s, ns, spans))
					m = 0;
				spans->n = mark;
			} else if (!eval(r, kid, s, ns, spans)) {
				m = 0;
			}
		}
		break;
	case QN_NOT:
		m = !(n->n_kids && eval(r, n->kids[0], s, ns, spans));
		spans->n = before;
		break;
	case QN_FIELD: {
		const struct stream *sub[3];
		size_t nsub = 0;

		if (n->field == QF_TITLE) {
			sub[nsub++] = &r->title;
		} else if (n->field == QF_TEXT) {
			sub[nsub++] = &r->text;
		} else if (n->field == QF_AUTHOR) {
			sub[nsub++] = &r->handle;
			sub[nsub++] = &r->at_handle;
			sub[nsub++] = &r->name;
		}
		m = n->n_kids && nsub && eval(r, n->kids[0], sub, nsub, spans);
		break;
	}
	case QN_KEYWORD:
		m = keyword_match(r, n, spans);
		break;
	case QN_RANGE:
		m = range_match(r->p, n);
		break;
	default:
		break;
	}
	if (!m)
		spans->n = before;
	return m;
}

int query_ref_match(const struct query *q, const struct post *p, struct query_ref_spans *spans)
{
	struct ref r;
	struct query_ref_spans local;
	struct buf at;
	const struct stream *body[2];
	int rc, m = 0;

	query_ref_spans_init(&local);
	if (spans)
		spans->n = 0;
	r.p = p;
	stream_init(&r.title, QUERY_REF_TITLE);
	stream_init(&r.text, QUERY_REF_TEXT);
	stream_init(&r.handle, -1);
	stream_init(&r.at_handle, -1);
	stream_init(&r.name, -1);
	buf_init(&at, BUF_NOLIMIT);
	if (p->author && *p->author) {
		buf_putc(&at, '@');
		buf_puts(&at, p->author);
	}
	if ((rc = stream_fill(&r.title, p->title)) || (rc = stream_fill(&r.text, p->text)) ||
	    (rc = stream_fill(&r.handle, p->author)) ||
	    (rc = stream_fill(&r.at_handle, at.ptr)) ||
	    (rc = stream_fill(&r.name, p->author_name)))
		goto out;
	body[0] = &r.title;
	body[1] = &r.text;
	m = q->root ? eval(&r, q->root, body, 2, spans ? spans : &local) : 0;
	if (m && spans)
		spans_normalise(spans);
	rc = m;
out:
	query_ref_spans_cleanup(&local);
	stream_cleanup(&r.title);
	stream_cleanup(&r.text);
	stream_cleanup(&r.handle);
	stream_cleanup(&r.at_handle);
	buf_cleanup(&at);
	stream_cleanup(&r.name);
	return rc;
}
