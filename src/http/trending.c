/* trending.c - the trending terms of GET /api/terms/trending: count in how
 * many posts of a window and of its baseline each term occurs, then rank
 * the terms of the window by how far they rise over what the baseline
 * predicts.
 *
 * Counting is the hot part (tens of thousands of posts per request): each
 * post is tokenised once (text_tokenise()), and each word or hashtag of
 * three letters or more is looked up in an open-addressing hash table of
 * the terms seen so far, keyed by its folded form.  A term counts once per
 * post (a serial number per post marks the terms already counted), so that
 * one post repeating a word fifty times is one post.  Stop words and the
 * topic's own terms are left out when ranking, on the few terms that
 * reach TREND_MIN_COUNT, rather than for every token.
 * docs/internals/http-metrics.md has the formula. */
#include "trending.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/hash.h"
#include "../query/query_int.h"
#include "../text/text.h"

struct term {
	uint64_t hash;
	uint32_t off;       /* the folded form, NUL-terminated, at pool.ptr + off */
	uint32_t len;       /* its byte length */
	uint64_t seen;      /* serial of the last post that counted it */
	int64_t n[2];       /* posts with the term, per enum trend_period */
};

/* A term the ranking leaves out: the topic's own. */
struct excluded {
	char *fold;         /* owned */
	size_t len;
	int prefix;         /* 1: every term starting with fold */
};

struct trend {
	struct term *terms;       /* n_terms of them, in order of first sight */
	size_t n_terms, cap_terms;
	uint32_t *slot;           /* n_slots (a power of two): index + 1 into terms, 0 free */
	size_t n_slots;
	struct buf pool;          /* the terms' folded forms */
	struct excluded *ex;      /* n_ex of them */
	size_t n_ex, cap_ex;
	struct tokens tok;        /* reused by trend_add() */
	uint64_t serial;          /* of the post being added */
	int64_t posts[2];         /* per enum trend_period */
	int full;                 /* a term was dropped at TREND_TERMS_MAX */
};

/* ---- stop words ---- */

/* The folded stop words of every list, sorted (bytewise), built once. */
static struct {
	char **word;
	size_t n;
} stop;
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read the embedded lists: one word a line, '#' comments, blanks
 * ignored, each word folded as posts' words are. */
static void stop_build(void)
{
	struct buf fold;
	size_t cap = 0;

	buf_init(&fold, BUF_NOLIMIT);
	for (size_t f = 0; f < http__stopwords_n; f++) {
		const char *p = http__stopwords[f].data;
		const char *end = p + http__stopwords[f].len;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *e = nl ? nl : end;
			size_t len = (size_t)(e - p);

			while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			if (len && *p != '#') {
				buf_reset(&fold);
				text_fold(&fold, p, len);
				stop.word = horch_xgrow(stop.word, &cap, stop.n + 1, sizeof *stop.word);
				stop.word[stop.n++] = horch_xstrndup(fold.ptr, fold.len);
			}
			p = e + 1;
		}
	}
	buf_cleanup(&fold);
	if (stop.n)
		qsort(stop.word, stop.n, sizeof *stop.word, cmp_str);
}

int trend_stop_word(const char *fold, size_t len)
{
	size_t lo = 0, hi;

	pthread_once(&stop_once, stop_build);
	hi = stop.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *w = stop.word[mid];
		size_t wlen = strlen(w);
		int c = memcmp(w, fold, wlen < len ? wlen : len);

		if (c == 0)
			c = wlen < len ? -1 : wlen > len ? 1 : 0;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- the counter ---- */

struct trend *trend_new(void)
{
	struct trend *t = horch_xcalloc(1, sizeof *t);

	buf_init(&t->pool, BUF_NOLIMIT);
	tokens_init(&t->tok);
	t->n_slots = 1024;
	t->slot = horch_xcalloc(t->n_slots, sizeof *t->slot);
	return t;
}

void trend_free(struct trend *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_ex; i++)
		free(t->ex[i].fold);
	free(t->ex);
	free(t->terms);
	free(t->slot);
	buf_cleanup(&t->pool);
	tokens_cleanup(&t->tok);
	free(t);
}

void trend_exclude(struct trend *t, const char *fold, size_t len, int prefix)
{
	t->ex = horch_xgrow(t->ex, &t->cap_ex, t->n_ex + 1, sizeof *t->ex);
	t->ex[t->n_ex].fold = horch_xstrndup(fold, len);
	t->ex[t->n_ex].len = len;
	t->ex[t->n_ex].prefix = prefix != 0;
	t->n_ex++;
}

/* Exclude the terms of the subtree n.  The depth is bounded by the
 * parser (QUERY_MAX_DEPTH). */
static void exclude_node(struct trend *t, const struct qnode *n)
{
	if (n->kind == QN_TERM && n->fold) {
		if (n->flags & QN_F_WILDCARD) {
			if (n->prefix_len)
				trend_exclude(t, n->fold, n->prefix_len, 1);
		} else {
			trend_exclude(t, n->fold, n->fold_len, 0);
		}
	}
	for (uint32_t i = 0; i < n->n_kids; i++)
		exclude_node(t, n->kids[i]);
}

void trend_exclude_query(struct trend *t, const struct query *q)
{
	if (q && q->root)
		exclude_node(t, q->root);
}

/* Double the slot table and place every term again. */
static void grow_slots(struct trend *t)
{
	size_t n = t->n_slots * 2, mask = n - 1;
	uint32_t *slot = horch_xcalloc(n, sizeof *slot);

	for (size_t i = 0; i < t->n_terms; i++) {
		size_t j = (size_t)t->terms[i].hash & mask;

		while (slot[j])
			j = (j + 1) & mask;
		slot[j] = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = slot;
	t->n_slots = n;
}

/* Count the term s[0..len) once for the post being added. */
static void count_term(struct trend *t, enum trend_period period, const char *s, size_t len)
{
	uint64_t h = horch_fnv1a(HORCH_FNV_BASIS, s, len);
	size_t mask = t->n_slots - 1, j = (size_t)h & mask;
	struct term *tm;

	for (; t->slot[j]; j = (j + 1) & mask) {
		tm = &t->terms[t->slot[j] - 1];
		if (tm->hash == h && tm->len == len && memcmp(t->pool.ptr + tm->off, s, len) == 0)
			goto found;
	}
	if (t->n_terms >= TREND_TERMS_MAX) {
		t->full = 1;
		return;
	}
	t->terms = horch_xgrow(t->terms, &t->cap_terms, t->n_terms + 1, sizeof *t->terms);
	tm = &t->terms[t->n_terms];
	memset(tm, 0, sizeof *tm);
	tm->hash = h;
	tm->off = (uint32_t)t->pool.len;
	tm->len = (uint32_t)len;
	/* The pool has no cap and terms are at most TREND_TERM_MAX bytes:
	 * it stays below 2^32 with TREND_TERMS_MAX terms. */
	buf_append(&t->pool, s, len);
	buf_putc(&t->pool, '\0');
	t->slot[j] = (uint32_t)(++t->n_terms);
	if (t->n_terms * 2 > t->n_slots)
		grow_slots(t);
found:
	if (tm->seen != t->serial) {
		tm->seen = t->serial;
		tm->n[period]++;
	}
}

/* 1 when the folded token s[0..len) can be a trending term: three code
 * points or more and at least one letter (a hashtag of digits is a
 * number). */
static int term_shaped(const char *s, size_t len)
{
	size_t cps = 0;
	int letter = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xC0) != 0x80)
			cps++;
		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
	}
	return cps >= 3 && letter;
}

/* Count the terms of one part of the post being added. */
static int add_part(struct trend *t, enum trend_period period, const char *s)
{
	int rc;

	if (!s || !*s)
		return 0;
	if ((rc = text_tokenise(&t->tok, s, strlen(s))))
		return rc;
	for (size_t i = 0; i < t->tok.n; i++) {
		const struct token *k = &t->tok.v[i];
		const char *f = t->tok.fold.ptr + k->fold_off;

		if (k->kind != TOKEN_WORD && k->kind != TOKEN_HASHTAG)
			continue;
		if (k->fold_len > TREND_TERM_MAX || !term_shaped(f, k->fold_len))
			continue;
		count_term(t, period, f, k->fold_len);
	}
	return 0;
}

int trend_add(struct trend *t, enum trend_period period, const char *title, const char *text)
{
	size_t title_len = title ? strlen(title) : 0, text_len = text ? strlen(text) : 0;
	int rc;

	if (period != TREND_WINDOW && period != TREND_BASELINE)
		return HORCH_EINVAL;
	/* Refuse the post before counting any part of it. */
	if (title_len > TEXT_MAX || text_len > TEXT_MAX)
		return HORCH_ETOOBIG;
	t->serial++;
	if ((rc = add_part(t, period, title)) || (rc = add_part(t, period, text)))
		return rc;
	t->posts[period]++;
	return 0;
}

int64_t trend_posts(const struct trend *t, enum trend_period period)
{
	return period == TREND_WINDOW || period == TREND_BASELINE ? t->posts[period] : 0;
}

int trend_full(const struct trend *t)
{
	return t->full;
}

/* ---- ranking ---- */

/* 1 when the ranking leaves the term s[0..len) out. */
static int left_out(const struct trend *t, const char *s, size_t len)
{
	for (size_t i = 0; i < t->n_ex; i++) {
		const struct excluded *e = &t->ex[i];

		if (e->prefix ? len >= e->len && memcmp(s, e->fold, e->len) == 0
			      : len == e->len && memcmp(s, e->fold, len) == 0)
			return 1;
	}
	return trend_stop_word(s, len);
}

int trend_is_term(const struct trend *t, const char *fold, size_t len)
{
	return len <= TREND_TERM_MAX && term_shaped(fold, len) && !left_out(t, fold, len);
}

/* Highest score first, then the larger count, then the term. */
static int by_score(const void *a, const void *b)
{
	const struct trend_term *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->term, y->term);
}

size_t trend_rank(struct trend *t, struct trend_term *out, size_t limit)
{
	struct trend_term *all = NULL;
	size_t n = 0, cap = 0;
	/* The window's share of the posts: the baseline count of a term
	 * times this is what the window would have if nothing changed. */
	double ratio = t->posts[TREND_BASELINE] > 0
		       ? (double)t->posts[TREND_WINDOW] / (double)t->posts[TREND_BASELINE] : 0;

	for (size_t i = 0; i < t->n_terms; i++) {
		const struct term *tm = &t->terms[i];
		const char *s = t->pool.ptr + tm->off;
		struct trend_term r;

		if (tm->n[TREND_WINDOW] < (int64_t)TREND_MIN_COUNT)
			continue;
		r.term = s;
		r.count = tm->n[TREND_WINDOW];
		r.baseline = tm->n[TREND_BASELINE];
		r.expected = (double)r.baseline * ratio;
		r.score = ((double)r.count + 1) / (r.expected + 1);
		if (!(r.score > 1) || left_out(t, s, tm->len))
			continue;
		all = horch_xgrow(all, &cap, n + 1, sizeof *all);
		all[n++] = r;
	}
	if (n)
		qsort(all, n, sizeof *all, by_score);
	if (n > limit)
		n = limit;
	if (n)
		memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

/* ---- spans ---- */

int trend_parse_span(const char *s, int64_t *out, struct horch_err *err)
{
	const int64_t max = 10LL * 366 * 86400 * 1000;
	int64_t v = 0, unit;
	size_t i = 0;

	if (!s || !*s)
		return horch_err_set(err, HORCH_EPARSE, "a span is empty (write e.g. 1h or 7d)");
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > max)
			return horch_err_set(err, HORCH_ETOOBIG, "the span is longer than 10 years");
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0)
		return horch_err_set(err, HORCH_EPARSE, "a span starts with a number (e.g. 1h, 7d)");
	switch (s[i]) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	case 'w': unit = 7 * 86400 * 1000; break;
	default:
		return horch_err_set(err, HORCH_EPARSE, "a span ends with a unit: s, m, h, d or w");
	}
	if (s[i + 1])
		return horch_err_set(err, HORCH_EPARSE, "a span is a number and one unit "
				     "(e.g. 1h, 7d)");
	if (v == 0)
		return horch_err_set(err, HORCH_EPARSE, "a span must be longer than 0");
	if (v > max / unit)
		return horch_err_set(err, HORCH_ETOOBIG, "the span is longer than 10 years");
	*out = v * unit;
	return 0;
}
