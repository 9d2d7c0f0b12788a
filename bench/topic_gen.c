/* topic_gen.c - topics shaped like the shared benchmark's, made from posts.
 *
 * The vocabulary is every word token of the posts whose folded form is
 * made of letters and digits only (so that it is a plain query term), with
 * its document frequency per language (English or German), and whether it
 * was seen as a plain word or only as a handle or hashtag.  Each post is
 * also kept as its sequence of positions (word ids, or NONE for the tokens
 * a query term cannot be: numbers, URLs, emoji), from which phrases (two
 * adjacent words) and NEAR pairs (two words at most n positions apart) are
 * drawn, so that those occur in the posts as they do in the shared topics.
 *
 * The figures of the mix below were measured on topics_10000.tsv: the
 * shape of each query (which slots it ANDs, which it excludes), the sizes
 * of the OR lists, the share of phrases and wildcards among the items, the
 * NEAR distances, and the document frequencies of the plain words.  See
 * topic_gen.h for the contract. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "bench/topic_gen.h"
#include "core/alloc.h"
#include "core/err.h"
#include "query/query.h"
#include "text/text.h"

#define NONE UINT32_MAX
#define WORD_MAX_BYTES 40      /* longer tokens are not used as terms */
#define POST_MAX_BYTES (64u * 1024)
#define LINE_MAX_BYTES (1024u * 1024)
#define TRIES 200              /* attempts at one topic before giving up */

struct word {
	uint32_t off;          /* folded form in vocab->strs */
	uint32_t len;          /* its byte length */
	uint32_t n_chars;      /* its length in code points */
	uint32_t df[2];        /* posts containing it: [0] English (and others), [1] German */
	uint32_t last_post;    /* last post counted in df, + 1 */
	uint8_t as_word;       /* seen as a plain word */
	uint8_t as_tag;        /* seen as a handle or hashtag */
};

struct u32v {
	uint32_t *v;
	size_t n, cap;
};

struct topic_vocab {
	struct buf strs;       /* folded forms, back to back */
	struct word *words;    /* the distinct words */
	size_t n_words, cap_words;
	uint32_t *slots;       /* hash table of word ids + 1; 0 is empty */
	size_t n_slots;        /* a power of two */
	struct u32v seq;       /* every post's positions, back to back */
	struct u32v post_start[2]; /* per language: start of each post in seq */
	struct u32v post_len[2];   /* per language: its number of positions */
	uint32_t n_posts;      /* posts added */
	int pools_ready;       /* the pools below are built */
	struct u32v bucket[2][4]; /* plain words by language and df bucket */
	struct u32v tags[2];   /* words seen only as handles or hashtags */
	struct tokens tok;     /* scratch */
	uint64_t rng;          /* the random stream of topic_gen() */
};

/* The shapes of topics_10000.tsv and how many of its topics have each.
 * A letter is a slot, ANDed with the next; '-' makes the next slot a NOT:
 *   L  lang:en or lang:de (the topic's language)
 *   t  one term           P  one phrase        W  one wildcard
 *   X  a bracketed OR list of 2 to 6 items
 *   O  a whole query that is one OR list of 3 to 8 items
 *   N  a whole query that is (a NEAR/n b) */
static const struct {
	const char *slots;
	unsigned weight;
} shapes[] = {
	{ "tX", 2044 }, { "XX", 1535 }, { "O", 1516 }, { "N", 971 }, { "t-X", 803 },
	{ "X-X", 479 }, { "t-t", 278 }, { "XX-t", 277 }, { "LtX-X", 263 }, { "X-t", 190 },
	{ "LtX-t", 182 }, { "Xt", 138 }, { "LXX-X", 135 }, { "t-P", 111 }, { "LXX-t", 109 },
	{ "tX-t", 106 }, { "Xt-t", 90 }, { "X-P", 67 }, { "PX", 57 }, { "LtX-P", 56 },
	{ "tt", 49 }, { "Ltt-X", 44 }, { "XP", 43 }, { "LXt-t", 42 }, { "LXX-P", 35 },
	{ "Ltt-t", 35 }, { "LXt-X", 33 }, { "PX-t", 33 }, { "tt-t", 25 }, { "XP-t", 25 },
	{ "Pt", 22 }, { "tP", 19 }, { "LXP-t", 15 }, { "WX", 15 }, { "LtP-t", 15 },
	{ "tP-t", 14 }, { "LXP-X", 14 }, { "LtP-X", 13 }, { "LXt-P", 10 }, { "Ltt-P", 10 },
	{ "XW", 9 }, { "XW-t", 9 }, { "WX-t", 8 }, { "LtW-X", 7 }, { "Pt-t", 7 },
	{ "LtP-P", 7 }, { "LtW-t", 7 }, { "tW", 6 }, { "Wt", 5 }, { "PP", 4 },
	{ "LXW-X", 4 }, { "tW-t", 2 }, { "PP-t", 2 }, { "Wt-t", 2 }, { "LXW-t", 1 },
	{ "WP", 1 }, { "LtW-P", 1 },
};

/* Sizes 2..6 of the bracketed OR lists of topics_10000.tsv. */
static const unsigned or_sizes[] = { 5107, 2696, 838, 613, 656 };

/* Document-frequency buckets of the plain words (1-9, 10-99, 100-999,
 * 1000 and more posts of 63,907), in percent of the plain words drawn;
 * with the handles and hashtags (mostly rare) the terms come out as in
 * topics_10000.tsv: 35, 40, 20 and 6 percent. */
static const unsigned df_weights[] = { 28, 45, 21, 6 };

static const unsigned near_dist[] = { 2, 3, 5, 10 };

/* Drawn from random places of random posts, the words of phrases and NEAR
 * pairs would be mostly the commonest ("of the"); the shared topics' are
 * not.  A pair is kept with the product of its two words' chances, per
 * mille by df bucket, which gives the shares of topics_10000.tsv (phrase
 * words 4, 24, 53, 20 percent by bucket; NEAR words 37, 41, 16, 6). */
static const unsigned phrase_keep[] = { 160, 750, 1000, 260 };
static const unsigned near_keep[] = { 1000, 640, 160, 44 };

struct topic_vocab *topic_vocab_new(void)
{
	struct topic_vocab *v = horch_xcalloc(1, sizeof *v);

	buf_init(&v->strs, BUF_NOLIMIT);
	v->n_slots = 1u << 16;
	v->slots = horch_xcalloc(v->n_slots, sizeof *v->slots);
	tokens_init(&v->tok);
	return v;
}

static void u32v_push(struct u32v *a, uint32_t x)
{
	a->v = horch_xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
	a->v[a->n++] = x;
}

void topic_vocab_free(struct topic_vocab *v)
{
	if (!v)
		return;
	buf_cleanup(&v->strs);
	free(v->words);
	free(v->slots);
	free(v->seq.v);
	for (int l = 0; l < 2; l++) {
		free(v->post_start[l].v);
		free(v->post_len[l].v);
		free(v->tags[l].v);
		for (int b = 0; b < 4; b++)
			free(v->bucket[l][b].v);
	}
	tokens_cleanup(&v->tok);
	free(v);
}

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void rehash(struct topic_vocab *v)
{
	size_t n_slots = v->n_slots * 2;
	uint32_t *slots = horch_xcalloc(n_slots, sizeof *slots);

	for (size_t i = 0; i < v->n_words; i++) {
		const struct word *w = &v->words[i];
		size_t k = hash(v->strs.ptr + w->off, w->len) & (n_slots - 1);

		while (slots[k])
			k = (k + 1) & (n_slots - 1);
		slots[k] = (uint32_t)i + 1;
	}
	free(v->slots);
	v->slots = slots;
	v->n_slots = n_slots;
}

/* The id of the word s[0..len), added if new. */
static uint32_t intern(struct topic_vocab *v, const char *s, size_t len, uint32_t n_chars)
{
	size_t k = hash(s, len) & (v->n_slots - 1);
	struct word *w;

	while (v->slots[k]) {
		w = &v->words[v->slots[k] - 1];
		if (w->len == len && memcmp(v->strs.ptr + w->off, s, len) == 0)
			return v->slots[k] - 1;
		k = (k + 1) & (v->n_slots - 1);
	}
	v->words = horch_xgrow(v->words, &v->cap_words, v->n_words + 1, sizeof *v->words);
	w = &v->words[v->n_words];
	memset(w, 0, sizeof *w);
	w->off = (uint32_t)v->strs.len;
	w->len = (uint32_t)len;
	w->n_chars = n_chars;
	buf_append(&v->strs, s, len);
	v->slots[k] = (uint32_t)v->n_words + 1;
	v->n_words++;
	if (v->n_words * 2 > v->n_slots)
		rehash(v);
	return (uint32_t)v->n_words - 1;
}

/* Is the folded form s[0..len) usable as a plain query term: letters and
 * digits only, at least two characters, not only digits, not an operator?
 * Returns its length in code points, or 0. */
static uint32_t term_chars(const char *s, size_t len)
{
	static const char *const reserved[] = { "and", "or", "not", "near", "onear", "sentence" };
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	uint32_t n = 0;
	int letter = 0;

	if (len > WORD_MAX_BYTES)
		return 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		utf8proc_category_t cat;

		if (k <= 0)
			return 0;
		cat = utf8proc_category(cp);
		if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
			letter = 1;
		else if (cat != UTF8PROC_CATEGORY_ND || cp > 0x7f)
			return 0;
		i += (size_t)k;
		n++;
	}
	if (n < 2 || !letter)
		return 0;
	for (size_t r = 0; r < sizeof reserved / sizeof reserved[0]; r++)
		if (strlen(reserved[r]) == len && memcmp(reserved[r], s, len) == 0)
			return 0;
	return n;
}

void topic_vocab_add(struct topic_vocab *v, const char *text, size_t len, int de)
{
	int l = de ? 1 : 0;
	uint32_t start = (uint32_t)v->seq.n, n_pos = 0;

	if (len > POST_MAX_BYTES || text_tokenise(&v->tok, text, len) != 0)
		return;
	v->n_posts++;
	v->pools_ready = 0;
	for (size_t i = 0; i < v->tok.n; i++) {
		const struct token *t = &v->tok.v[i];
		const char *f = v->tok.fold.ptr + t->fold_off;
		uint32_t id = NONE, n_chars;
		struct word *w;

		if (t->kind == TOKEN_PUNCT)
			continue; /* punctuation takes no position */
		n_pos++;
		if (t->kind != TOKEN_WORD && t->kind != TOKEN_HASHTAG && t->kind != TOKEN_MENTION) {
			u32v_push(&v->seq, NONE);
			continue;
		}
		n_chars = term_chars(f, t->fold_len);
		if (n_chars) {
			id = intern(v, f, t->fold_len, n_chars);
			w = &v->words[id];
			if (w->last_post != v->n_posts) {
				w->last_post = v->n_posts;
				w->df[l]++;
			}
			if (t->kind == TOKEN_WORD)
				w->as_word = 1;
			else
				w->as_tag = 1;
		}
		/* Phrases and NEAR pairs are drawn from plain words only. */
		u32v_push(&v->seq, t->kind == TOKEN_WORD ? id : NONE);
	}
	u32v_push(&v->post_start[l], start);
	u32v_push(&v->post_len[l], n_pos);
}

/* The document-frequency bucket of w (in all posts): 0 for 1-9 posts, 1
 * for 10-99, 2 for 100-999, 3 for more. */
static int df_bucket(const struct word *w)
{
	uint32_t df = w->df[0] + w->df[1];

	return df < 10 ? 0 : df < 100 ? 1 : df < 1000 ? 2 : 3;
}

/* Sort the words into the pools topic_gen() draws from, in id order (the
 * order the posts gave them), so that the pools are the same every run. */
static void build_pools(struct topic_vocab *v)
{
	for (int l = 0; l < 2; l++) {
		v->tags[l].n = 0;
		for (int b = 0; b < 4; b++)
			v->bucket[l][b].n = 0;
	}
	for (size_t i = 0; i < v->n_words; i++) {
		const struct word *w = &v->words[i];

		for (int l = 0; l < 2; l++) {
			if (w->df[l] == 0)
				continue;
			if (!w->as_word) {
				u32v_push(&v->tags[l], (uint32_t)i);
				continue;
			}
			u32v_push(&v->bucket[l][df_bucket(w)], (uint32_t)i);
		}
	}
	v->pools_ready = 1;
}

static uint64_t rng(struct topic_vocab *v)
{
	/* xorshift64* */
	v->rng ^= v->rng >> 12;
	v->rng ^= v->rng << 25;
	v->rng ^= v->rng >> 27;
	return v->rng * 0x2545f4914f6cdd1dull;
}

static size_t below(struct topic_vocab *v, size_t n)
{
	return n ? (size_t)(rng(v) % n) : 0;
}

static size_t pick_weighted(struct topic_vocab *v, const unsigned *w, size_t n)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < n; i++)
		total += w[i];
	r = (unsigned)below(v, total);
	for (size_t i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* The language an item of a topic in language l is drawn from: mostly l,
 * sometimes the other (the shared topics mix them, as posts do). */
static int item_lang(struct topic_vocab *v, int l)
{
	int o = !l;

	if (below(v, 100) < 15 && v->post_start[o].n > 0)
		return o;
	return l;
}

/* A plain word of language l, or NONE when there is none. */
static uint32_t draw_word(struct topic_vocab *v, int l)
{
	size_t b = pick_weighted(v, df_weights, 4);

	for (size_t k = 0; k < 4; k++) {
		const struct u32v *pool = &v->bucket[l][(b + k) % 4];

		if (pool->n)
			return pool->v[below(v, pool->n)];
	}
	return NONE;
}

static void put_word(struct topic_vocab *v, struct buf *q, uint32_t id)
{
	buf_append(q, v->strs.ptr + v->words[id].off, v->words[id].len);
}

/* Append one term of language l: a handle or hashtag (without its sigil,
 * as the shared topics write them) one time in eight, else a plain word.
 * Returns 0 or -1 (nothing to draw from). */
static int put_term(struct topic_vocab *v, struct buf *q, int l)
{
	uint32_t id;

	if (below(v, 8) == 0 && v->tags[l].n)
		id = v->tags[l].v[below(v, v->tags[l].n)];
	else
		id = draw_word(v, l);
	if (id == NONE)
		return -1;
	put_word(v, q, id);
	return 0;
}

/* Find two plain words of a random post of language l, at positions i and
 * j with i < j <= i + 1 + gap, kept with the chances keep[] (see
 * phrase_keep).  Returns 0 or -1. */
static int draw_pair(struct topic_vocab *v, int l, unsigned gap, const unsigned *keep,
		     uint32_t *a, uint32_t *b)
{
	const struct u32v *starts = &v->post_start[l];

	for (int tries = 0; tries < 500 && starts->n; tries++) {
		size_t p = below(v, starts->n);
		const uint32_t *s = v->seq.v + starts->v[p];
		size_t n = v->post_len[l].v[p], i, j;

		if (n < 2)
			continue;
		i = below(v, n - 1);
		j = i + 1 + below(v, gap + 1);
		if (j >= n)
			j = n - 1;
		if (s[i] == NONE || s[j] == NONE || s[i] == s[j])
			continue;
		if (below(v, 1000000) >= (size_t)keep[df_bucket(&v->words[s[i]])] *
						 keep[df_bucket(&v->words[s[j]])])
			continue;
		*a = s[i];
		*b = s[j];
		return 0;
	}
	return -1;
}

/* Append a phrase of two adjacent words ("late flight").  When brand is
 * not NULL, *brand receives one of its two words (for "(w OR "w x")").
 * Returns 0 or -1. */
static int put_phrase(struct topic_vocab *v, struct buf *q, int l, uint32_t *brand)
{
	uint32_t a, b;

	if (draw_pair(v, l, 0, phrase_keep, &a, &b))
		return -1;
	if (brand) {
		*brand = below(v, 2) ? a : b;
		put_word(v, q, *brand);
		buf_puts(q, " OR ");
	}
	buf_putc(q, '"');
	put_word(v, q, a);
	buf_putc(q, ' ');
	put_word(v, q, b);
	buf_putc(q, '"');
	return 0;
}

/* Append a wildcard: the first 4 or more characters of a word of six or
 * more, then '*' (delay*).  Returns 0 or -1. */
static int put_wildcard(struct topic_vocab *v, struct buf *q, int l)
{
	for (int tries = 0; tries < 50; tries++) {
		uint32_t id = draw_word(v, l);
		const struct word *w;
		uint32_t keep = 4, n = 0;
		const char *s;

		if (id == NONE)
			return -1;
		w = &v->words[id];
		if (w->n_chars < 6)
			continue;
		/* Prefix lengths fall off about geometrically from 4. */
		while (keep < w->n_chars - 1 && below(v, 100) < 70)
			keep++;
		s = v->strs.ptr + w->off;
		for (uint32_t i = 0; i < w->len; i++) {
			if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == keep)
				break;
			buf_putc(q, s[i]);
		}
		buf_putc(q, '*');
		return 0;
	}
	return -1;
}

/* Append one item of an OR list: a term (73 percent), a phrase (22) or a
 * wildcard (5).  Returns 0 or -1. */
static int put_item(struct topic_vocab *v, struct buf *q, int l)
{
	size_t r = below(v, 100);

	l = item_lang(v, l);
	if (r < 73)
		return put_term(v, q, l);
	if (r < 95)
		return put_phrase(v, q, l, NULL);
	return put_wildcard(v, q, l);
}

/* Append an OR list of n items.  A two-item list is one time in five a
 * brand and a phrase with it: (united OR "united airlines").  Returns 0
 * or -1. */
static int put_or_list(struct topic_vocab *v, struct buf *q, int l, size_t n)
{
	if (n == 2 && below(v, 5) == 0) {
		uint32_t brand;

		return put_phrase(v, q, l, &brand);
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(q, " OR ");
		if (put_item(v, q, l))
			return -1;
	}
	return 0;
}

/* Append one slot of a shape (see shapes[]).  Returns 0 or -1. */
static int put_slot(struct topic_vocab *v, struct buf *q, int l, char slot)
{
	uint32_t a, b;
	unsigned d;

	switch (slot) {
	case 'L':
		buf_puts(q, l ? "lang:de" : "lang:en");
		return 0;
	case 't':
		return put_term(v, q, item_lang(v, l));
	case 'P':
		return put_phrase(v, q, item_lang(v, l), NULL);
	case 'W':
		return put_wildcard(v, q, item_lang(v, l));
	case 'X':
		buf_putc(q, '(');
		if (put_or_list(v, q, l, 2 + pick_weighted(v, or_sizes, 5)))
			return -1;
		buf_putc(q, ')');
		return 0;
	case 'O':
		return put_or_list(v, q, l, 3 + below(v, 6));
	case 'N':
		d = near_dist[below(v, 4)];
		if (draw_pair(v, l, d, near_keep, &a, &b))
			return -1;
		buf_putc(q, '(');
		put_word(v, q, a);
		buf_printf(q, " NEAR/%u ", d);
		put_word(v, q, b);
		buf_putc(q, ')');
		return 0;
	}
	return -1;
}

/* Make one query into q (replacing its content).  Returns 0 or -1 (a
 * draw failed; the caller tries again with the stream where it is now). */
static int make_query(struct topic_vocab *v, struct buf *q)
{
	unsigned weights[sizeof shapes / sizeof shapes[0]];
	size_t n_shapes = sizeof shapes / sizeof shapes[0];
	const char *s;
	int l, first = 1;
	uint64_t de = v->post_start[1].n, all = de + v->post_start[0].n;

	for (size_t i = 0; i < n_shapes; i++)
		weights[i] = shapes[i].weight;
	s = shapes[pick_weighted(v, weights, n_shapes)].slots;
	/* The topic's language: that of a random post. */
	l = (uint64_t)below(v, (size_t)all) < de;
	buf_reset(q);
	for (; *s; s++) {
		if (!first)
			buf_puts(q, " AND ");
		first = 0;
		if (*s == '-') {
			buf_puts(q, "NOT ");
			s++;
		}
		if (put_slot(v, q, l, *s))
			return -1;
	}
	return 0;
}

int topic_gen(struct topic_vocab *v, size_t n, uint64_t seed, struct buf *out)
{
	struct buf q;
	struct horch_err err;
	size_t usable = 0;
	int rc = 0;

	if (!v->pools_ready)
		build_pools(v);
	for (int l = 0; l < 2; l++)
		for (int b = 0; b < 4; b++)
			usable += v->bucket[l][b].n;
	if (usable < 100 || v->post_start[0].n == 0)
		return HORCH_EINVAL;
	v->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
	buf_init(&q, QUERY_MAX_LEN);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int tries;

		for (tries = 0; tries < TRIES; tries++) {
			struct query *parsed = NULL;

			if (make_query(v, &q))
				continue;
			/* The strict parser is the judge: a draw it refuses
			 * (a word it reads differently) is drawn again. */
			if (query_parse(&parsed, q.ptr, q.len, 0, NULL, &err) == 0) {
				query_free(parsed);
				break;
			}
		}
		if (tries == TRIES) {
			rc = HORCH_EINVAL;
			break;
		}
		if (buf_printf(out, "gen-%06zu\t", i) || buf_append(out, q.ptr, q.len) ||
		    buf_putc(out, '\n'))
			rc = HORCH_ETOOBIG;
	}
	buf_cleanup(&q);
	return rc;
}

void topic_gen_free_posts(struct post **posts, size_t n)
{
	if (!posts)
		return;
	for (size_t i = 0; i < n; i++)
		post_free(posts[i]);
	free(posts);
}

/* Fill p from one line's JSON object o.  Returns 0 or -1. */
static int bench_post_from(struct post *p, json_t *o, struct buf *norm)
{
	json_t *id = json_object_get(o, "id"), *text = json_object_get(o, "text");
	json_t *lang = json_object_get(o, "lang");
	char num[32];

	if (!json_is_integer(id) || !json_is_string(text) || (lang && !json_is_string(lang)))
		return -1;
	buf_reset(norm);
	if (text_normalise(norm, json_string_value(text), json_string_length(text), &p->n_repaired))
		return -1;
	p->text = horch_xstrndup(norm->ptr ? norm->ptr : "", norm->len);
	p->lang = lang ? horch_xstrdup(json_string_value(lang)) : NULL;
	p->source = horch_xstrdup("bench");
	snprintf(num, sizeof num, "%lld", (long long)json_integer_value(id));
	p->external_id = horch_xstrdup(num);
	return 0;
}

int topic_gen_load_posts(const char *path, struct post ***out, size_t *n_out, struct horch_err *err)
{
	FILE *f = fopen(path, "r");
	struct post **posts = NULL;
	size_t n = 0, cap = 0, line_cap = 0;
	char *line = NULL;
	ssize_t len;
	long line_no = 0;
	struct buf norm;
	int rc = 0;

	*out = NULL;
	*n_out = 0;
	if (!f)
		return horch_err_set(err, HORCH_EIO, "cannot read %s", path);
	buf_init(&norm, 4 * LINE_MAX_BYTES);
	while ((len = getline(&line, &line_cap, f)) > 0) {
		json_error_t jerr;
		json_t *o;
		struct post *p;

		line_no++;
		if ((size_t)len > LINE_MAX_BYTES) {
			rc = horch_err_at(err, HORCH_EPARSE, line_no, 1, "%s: line longer than 1 MiB", path);
			goto out;
		}
		o = json_loadb(line, (size_t)len, 0, &jerr);
		p = post_new();
		if (!o || bench_post_from(p, o, &norm)) {
			json_decref(o);
			post_free(p);
			rc = horch_err_at(err, HORCH_EPARSE, line_no, 1,
					  "%s: not a post object {\"id\", \"text\", \"lang\"}", path);
			goto out;
		}
		json_decref(o);
		posts = horch_xgrow(posts, &cap, n + 1, sizeof *posts);
		posts[n++] = p;
	}
	if (ferror(f))
		rc = horch_err_set(err, HORCH_EIO, "error reading %s", path);
out:
	free(line);
	fclose(f);
	buf_cleanup(&norm);
	if (rc) {
		topic_gen_free_posts(posts, n);
		return rc;
	}
	*out = posts;
	*n_out = n;
	return 0;
}

int topic_gen_data_path(char *out, size_t cap, const char *file)
{
	const char *shared = getenv("HORCH_SHARED");

	if (shared && *shared) {
		snprintf(out, cap, "%s/../bench/%s", shared, file);
		if (access(out, R_OK) == 0)
			return 0;
	}
	/* bench/meson.build passes the source root. */
	snprintf(out, cap, "%s/../shared/bench/%s", HORCH_BENCH_SOURCE_ROOT, file);
	return access(out, R_OK) == 0 ? 0 : HORCH_ENOTFOUND;
}
