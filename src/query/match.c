/* match.c - the percolator: compile every topic into one matcher, match a
 * post against all of them at once.
 *
 * Build.  Every term of every topic becomes an atom: one distinct condition
 * on one token (a folded form, a form restriction such as "hashtags only",
 * the exact bytes of a {} term, or a wildcard pattern).  Atoms that compare
 * a folded form are filed in a dictionary under that form; wildcards are
 * filed under their literal prefix.  Each topic is flattened into an array
 * of nodes (the kids of a node are consecutive) and, for presearch, filed
 * under a set of atoms of which every match must contain one: a term gives
 * itself, an OR the union of its items' sets, an AND (and a phrase, NEAR,
 * ~n, SENTENCE) the cheapest of its items' sets.  A topic with no such set
 * (lang:en alone, a range) is verified on every post.
 *
 * Match.  A post's tokens are looked up once: each token's fold in the
 * dictionary, each prefix of it whose length some wildcard prefix has in
 * the prefix table.  The atoms found, with their positions, are the only
 * thing verification reads about the text.  The topics filed under those
 * atoms are the candidates; each is verified on its node array, with a
 * presence mask per atom for the boolean part and position lists for
 * phrases and proximity.  Spans are worked out only for topics that
 * matched, and only when asked.
 *
 * The rules are those of docs/query-language.md as the reference evaluator
 * of the tests reads them (tests/unit/query_ref.c, R1-R23); the positional
 * operators below are ports of its hit algebra, on atom positions instead
 * of re-tokenised text.  docs/internals/match.md tells the design. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "query_int.h"

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../text/text.h"

/* ---- streams of a post ---- */

/* The token streams of a post (R1, R14).  Positions never cross streams. */
enum {
	ST_TITLE = 0,
	ST_TEXT,
	ST_HANDLE,    /* the author's handle as written */
	ST_AT,        /* "@" and the handle: one mention token */
	ST_NAME,      /* the author's display name */
	ST__N
};

#define SM_BODY   ((1u << ST_TITLE) | (1u << ST_TEXT))
#define SM_AUTHOR ((1u << ST_HANDLE) | (1u << ST_AT) | (1u << ST_NAME))

/* ---- the compiled matcher ---- */

enum atom_kind { A_PLAIN = 0, A_EXACT, A_WILD };

/* One distinct condition on one token. */
struct atom {
	uint8_t kind;  /* enum atom_kind */
	uint8_t form;  /* enum qterm_form */
	uint32_t str;  /* A_EXACT: exact bytes (without a sigil for a non-ANY form);
			* A_WILD: the folded pattern; offset in m->pool */
	uint32_t len;
};

/* A compiled node, 16 bytes: verification reads a candidate's nodes and
 * little else, so four share a cache line.  The kids of a node are
 * nodes[kid0 .. kid0 + n_kids). */
struct mnode {
	uint8_t kind;    /* enum qnode_kind */
	uint8_t field;   /* enum query_field */
	uint8_t flags;   /* QN_F_*; MN_NEVER */
	uint8_t prefix;  /* QN_KEYWORD links: 1 when the value holds a '/' */
	uint16_t n_kids;
	uint16_t dist;   /* QN_NEAR, QN_PROX */
	uint32_t kid0;   /* QN_TERM: the atom's bit in match_doc.present */
	uint32_t atom;   /* QN_TERM: atom id; QN_RANGE: index in m->ranges;
			  * QN_KEYWORD: index in m->kws */
};

#define MN_NEVER 0x80 /* a node that can have no hit (a phrase of non-terms) */

/* Where a node is in its query (explain only, so kept apart). */
struct mwhere {
	uint32_t off, end;
};

/* A keyword field's value (links: stripped of scheme and "www."). */
struct mkw {
	uint32_t str, len; /* in m->pool */
};

struct mrange {
	int64_t lo, hi;
};


#define WILD_BLOOM 65536 /* bits of the filter before the prefix table (8 KiB) */

/* Strings back to back, each NUL-terminated, referred to by offset. */
struct spool {
	char *p;
	size_t len, cap;
};

/* A string-keyed hash table: key -> entry number, keys in m->pool. */
struct strmap {
	uint64_t *slot;  /* hash << 32 | (entry + 1); 0: empty */
	size_t mask;     /* slots - 1 (a power of two) */
	struct smkey {
		uint32_t hash;
		uint32_t off, len;
	} *key;          /* entry -> key */
	size_t n, cap;
};

struct matcher {
	atomic_long refs;        /* readers + the owning slot (matcher_slot) */
	struct spool pool;       /* every string */
	struct atom *atoms;
	size_t n_atoms, cap_atoms;
	struct mnode *nodes;
	struct mwhere *where;    /* parallel to nodes */
	size_t n_nodes, cap_nodes, cap_where;
	struct mkw *kws;
	size_t n_kws, cap_kws;
	struct mrange *ranges;
	size_t n_ranges, cap_ranges;
	/* Topics are numbered in an order of their own: those filed under
	 * the same atom lie together, so the candidates of one post are
	 * verified in few places of memory.  Results are reported in the
	 * order of matcher_build() again through orig. */
	uint32_t *orig;          /* topic -> its index in matcher_build()'s list */
	int64_t *ids;            /* topic -> its id */
	uint32_t *roots;         /* topic -> its root node; UINT32_MAX: an empty query */
	size_t n_topics;
	struct strmap dict;      /* fold -> dictionary entry (A_PLAIN, A_EXACT atoms) */
	uint32_t *dict_a0;       /* entry e's atoms: dict_atoms[dict_a0[e] .. dict_a0[e + 1]) */
	uint32_t *dict_atoms;
	struct strmap wild;      /* literal prefix -> entry (A_WILD atoms) */
	uint32_t *wild_a0;
	uint32_t *wild_atoms;
	uint64_t wild_bloom[WILD_BLOOM / 64]; /* bit hash & (WILD_BLOOM - 1): a prefix may be filed */
	uint32_t *wild_lens;     /* the distinct prefix lengths, ascending */
	size_t n_wild_lens;
	uint32_t *post0;         /* atom a's topics: postings[post0[a] .. post0[a + 1]) */
	uint32_t *postings;
	uint32_t *always;        /* topics verified on every post */
	size_t n_always;
	int has_author;          /* some topic reads the author streams */
	size_t bytes;            /* heap bytes held */
};

/* ---- strings and hashing ---- */

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The hash of atom id a, for the post's table and filter of atoms. */
static uint32_t atom_hash(uint32_t a)
{
	return a * 2654435761u;
}

static uint32_t pool_add(struct spool *pool, const char *s, size_t n)
{
	uint32_t off;

	pool->p = horch_xgrow(pool->p, &pool->cap, pool->len + n + 1, 1);
	off = (uint32_t)pool->len;
	memcpy(pool->p + off, s, n);
	pool->p[off + n] = '\0';
	pool->len += n + 1;
	return off;
}

static void strmap_grow(struct strmap *t)
{
	size_t size = t->mask ? (t->mask + 1) * 2 : 64, i;

	free(t->slot);
	t->slot = horch_xcalloc(size, sizeof *t->slot);
	t->mask = size - 1;
	for (i = 0; i < t->n; i++) {
		size_t j = t->key[i].hash & t->mask;

		while (t->slot[j])
			j = (j + 1) & t->mask;
		t->slot[j] = (uint64_t)t->key[i].hash << 32 | (i + 1);
	}
}

/* The entry of key s[0..n) with hash h in t, or UINT32_MAX. */
static uint32_t strmap_find(const struct strmap *t, const char *pool, const char *s, size_t n,
			    uint32_t h)
{
	size_t j;

	if (!t->mask)
		return UINT32_MAX;
	for (j = h & t->mask; t->slot[j]; j = (j + 1) & t->mask) {
		const struct smkey *k;

		if ((uint32_t)(t->slot[j] >> 32) != h)
			continue;
		k = &t->key[(uint32_t)t->slot[j] - 1];
		if (k->len == n && memcmp(pool + k->off, s, n) == 0)
			return (uint32_t)t->slot[j] - 1;
	}
	return UINT32_MAX;
}

/* The entry of key s[0..n) in t (keys in pool), added when new (*added = 1). */
static uint32_t strmap_put(struct spool *pool, struct strmap *t, const char *s, size_t n,
			   int *added)
{
	uint32_t h = hash_bytes(s, n), e = strmap_find(t, pool->p, s, n, h);
	size_t j;

	*added = 0;
	if (e != UINT32_MAX)
		return e;
	if ((t->n + 1) * 2 > t->mask + 1)
		strmap_grow(t);
	t->key = horch_xgrow(t->key, &t->cap, t->n + 1, sizeof *t->key);
	e = (uint32_t)t->n++;
	t->key[e].hash = h;
	t->key[e].off = pool_add(pool, s, n);
	t->key[e].len = (uint32_t)n;
	for (j = h & t->mask; t->slot[j]; j = (j + 1) & t->mask)
		;
	t->slot[j] = (uint64_t)h << 32 | (e + 1);
	*added = 1;
	return e;
}

static void strmap_free(struct strmap *t)
{
	free(t->slot);
	free(t->key);
}

static size_t strmap_bytes(const struct strmap *t)
{
	return (t->mask ? (t->mask + 1) * sizeof *t->slot : 0) + t->cap * sizeof *t->key;
}

/* ---- glob (R6) ---- */

/* Does pattern p[0..pn) (* any run of code points, ? one code point) match
 * all of s[0..sn)?  Iterative, with one backtrack point: linear in
 * practice, never exponential. */
static int glob(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t i = 0, j = 0, star_i = SIZE_MAX, star_j = 0;

	while (j < sn) {
		if (i < pn && p[i] == '*') {
			star_i = i++;
			star_j = j;
		} else if (i < pn && p[i] == '?') {
			i++;
			j++;
			while (j < sn && ((unsigned char)s[j] & 0xC0) == 0x80)
				j++;
		} else if (i < pn && p[i] == s[j]) {
			i++;
			j++;
		} else if (star_i != SIZE_MAX) {
			/* let the last * take one more code point */
			i = star_i + 1;
			j = ++star_j;
			while (j < sn && ((unsigned char)s[j] & 0xC0) == 0x80)
				j++;
			star_j = j;
		} else {
			return 0;
		}
	}
	while (i < pn && p[i] == '*')
		i++;
	return i == pn;
}

/* ---- terms (R3-R5) ---- */

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

/* ---- word statistics ---- */

struct match_stats {
	struct spool pool;
	struct strmap words;     /* fold -> entry */
	uint32_t *count;         /* entry -> posts that hold the word */
	uint32_t *last;          /* entry -> the post (n_docs when it was counted) that counted it last */
	size_t cap_count, cap_last;
	uint32_t n_docs;
};

#define STATS_MAX_WORDS (1u << 20) /* beyond: known words are still counted */

struct match_stats *match_stats_new(void)
{
	return horch_xcalloc(1, sizeof(struct match_stats));
}

void match_stats_free(struct match_stats *s)
{
	if (!s)
		return;
	free(s->pool.p);
	strmap_free(&s->words);
	free(s->count);
	free(s->last);
	free(s);
}

size_t match_stats_n_posts(const struct match_stats *s)
{
	return s ? s->n_docs : 0;
}

/* Posts of the sample that hold the word w[0..n). */
static uint32_t stats_count(const struct match_stats *s, const char *w, size_t n)
{
	uint32_t e = strmap_find(&s->words, s->pool.p, w, n, hash_bytes(w, n));

	return e == UINT32_MAX ? 0 : s->count[e];
}

/* Words of the sample that start with p[0..n), summed (a bound of the
 * posts a wildcard with that prefix matches).  sorted: the words in key
 * order. */
static uint64_t stats_prefix(const struct match_stats *s, const uint32_t *sorted, size_t n_sorted,
			     const char *p, size_t n)
{
	size_t lo = 0, hi = n_sorted, i;
	uint64_t sum = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct smkey *k = &s->words.key[sorted[mid]];
		int c = memcmp(s->pool.p + k->off, p, k->len < n ? k->len : n);

		if (c < 0 || (c == 0 && k->len < n))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n_sorted; i++) {
		const struct smkey *k = &s->words.key[sorted[i]];

		if (k->len < n || memcmp(s->pool.p + k->off, p, n) != 0)
			break;
		sum += s->count[sorted[i]];
	}
	return sum;
}

/* One word of the sample, for sorting the words by key. */
struct sword {
	const char *p;
	uint32_t len, e;
};

static int sword_cmp(const void *pa, const void *pb)
{
	const struct sword *a = pa, *b = pb;
	int c = memcmp(a->p, b->p, a->len < b->len ? a->len : b->len);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The sample's words as entries sorted by key (for stats_prefix()), in a
 * new array of s->words.n entries. */
static uint32_t *stats_sorted(const struct match_stats *s)
{
	struct sword *w = horch_xmalloc((s->words.n + 1) * sizeof *w);
	uint32_t *out = horch_xmalloc((s->words.n + 1) * sizeof *out);
	size_t i;

	for (i = 0; i < s->words.n; i++) {
		w[i].p = s->pool.p + s->words.key[i].off;
		w[i].len = s->words.key[i].len;
		w[i].e = (uint32_t)i;
	}
	qsort(w, s->words.n, sizeof *w, sword_cmp);
	for (i = 0; i < s->words.n; i++)
		out[i] = w[i].e;
	free(w);
	return out;
}

/* ---- compiling ---- */

/* One (atom, topic) pair of presearch. */
struct apair {
	uint32_t atom, topic;
};

/* What compiling one set of topics keeps besides the matcher. */
struct build {
	struct matcher *m;
	struct strmap atom_ids;   /* atom key -> atom id (same numbering as m->atoms) */
	struct spool kpool;       /* the keys of atom_ids */
	const struct match_stats *stats; /* word frequencies, or NULL */
	uint32_t *sorted;         /* stats' words in key order (for wildcard prefixes) */
	size_t n_sorted;
	struct buf key;
	const struct qnode **term_of_atom; /* a term node of each atom (for its fold) */
	size_t cap_term;
	uint32_t *set;            /* scratch: a presearch set */
	size_t n_set, cap_set;
	/* topic:NAME references */
	const struct matcher_topic *topics;
	size_t n_topics;
	struct strmap names;      /* name key (text_name_key()) -> entry */
	uint32_t *name_topic;     /* entry -> topic index */
	struct spool npool;
	struct buf lname;         /* scratch: a name's key */
	uint8_t *expanding;       /* topic index -> 1 while its query is being inlined */
	int inlining;             /* > 0: compiling a referenced topic's query */
	uint32_t where_off, where_end; /* the topic: node the inlined nodes stand for */
	size_t topic_first;       /* first node of the topic being compiled */
};

#define INLINE_MAX_NODES 20000 /* a topic's nodes with its references inlined */
#define INLINE_MAX_DEPTH 16    /* topic: references within references */

/* Words so common that a topic is a poor candidate filter when filed under
 * them: without statistics, presearch prefers any other term of an AND or
 * a phrase. */
static const char *const common_words[] = {
	"a", "about", "all", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do",
	"for", "from", "get", "go", "have", "he", "i", "if", "in", "is", "it", "just", "like",
	"me", "my", "no", "not", "now", "of", "on", "one", "or", "out", "so", "that", "the",
	"this", "to", "up", "was", "we", "what", "will", "with", "you", "your",
	"auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "die", "du", "ein",
	"eine", "er", "es", "für", "hat", "ich", "ist", "mit", "nicht", "noch", "nur", "sich",
	"sie", "so", "und", "von", "was", "wie", "wir", "zu",
};

#define STATS_MIN_POSTS 100 /* a smaller sample is not trusted */

/* How often term t is expected to occur in posts, to choose presearch
 * sets (lower is rarer).  With statistics: posts per 100,000 of the sample
 * that hold the word (for a wildcard, words with its prefix), plus one.
 * Without: a guess from the length, and common words as common. */
static uint32_t atom_cost(const struct build *b, const struct qnode *t)
{
	const struct match_stats *st = b->stats;
	size_t n = (t->flags & QN_F_WILDCARD) ? t->prefix_len : t->fold_len, i;
	uint32_t c = n <= 2 ? 16 : n == 3 ? 8 : n == 4 ? 4 : 2;

	if (st && st->n_docs >= STATS_MIN_POSTS) {
		uint64_t k = (t->flags & QN_F_WILDCARD) ?
			     stats_prefix(st, b->sorted, b->n_sorted, t->fold, t->prefix_len) :
			     stats_count(st, t->fold, t->fold_len);

		k = k * 100000 / st->n_docs;
		return k > 10000000 ? 10000001 : (uint32_t)k + 1;
	}
	if (t->flags & QN_F_WILDCARD)
		return c * 2;
	for (i = 0; i < sizeof common_words / sizeof *common_words; i++)
		if (strlen(common_words[i]) == t->fold_len &&
		    memcmp(common_words[i], t->fold, t->fold_len) == 0)
			return 64;
	return t->form == QFORM_ANY ? c : c / 2;
}

/* The atom of term node t, added when new. */
static uint32_t atom_of(struct matcher *m, struct spool *kpool, struct strmap *ids,
			struct buf *key, const struct qnode *t)
{
	struct atom *a;
	const char *s = t->fold;
	size_t n = t->fold_len;
	uint8_t kind = A_PLAIN;
	uint32_t e;
	int added;

	if (t->flags & QN_F_WILDCARD) {
		kind = A_WILD;
	} else if (t->flags & QN_F_EXACT) {
		kind = A_EXACT;
		s = t->exact;
		n = t->exact_len;
		if (t->form != QFORM_ANY && n > 0)
			s++, n--;
	}
	buf_reset(key);
	buf_putc(key, kind);
	buf_putc(key, t->form);
	buf_append(key, t->fold, t->fold_len);
	buf_putc(key, 0);
	buf_append(key, s, n);
	e = strmap_put(kpool, ids, key->ptr, key->len, &added);
	if (!added)
		return e;
	m->atoms = horch_xgrow(m->atoms, &m->cap_atoms, m->n_atoms + 1, sizeof *m->atoms);
	a = &m->atoms[m->n_atoms++];
	a->kind = kind;
	a->form = t->form;
	a->str = pool_add(&m->pool, s, n);
	a->len = (uint32_t)n;
	return e;
}

/* Append the lower-cased value of a links: keyword to b, without scheme
 * and leading "www." (R17). */
static void url_strip(struct buf *out, const char *u, size_t n);

/* The key of topic name name[0..len) in b->lname (text_name_key(), as the
 * store keys topic names), so that topic:NAME finds the topic `horch topic
 * show NAME` finds.  Returns 0, or -1 for a name the text functions refuse
 * (too long): it names no topic. */
static int name_key(struct build *b, const char *name, size_t len)
{
	buf_reset(&b->lname);
	return text_name_key(&b->lname, name, len) == 0 ? 0 : -1;
}

/* The index of the topic named name[0..len) (by name_key()), or
 * UINT32_MAX. */
static uint32_t topic_named(struct build *b, const char *name, size_t len)
{
	uint32_t e;

	if (!b->names.n || name_key(b, name, len) != 0)
		return UINT32_MAX;
	e = strmap_find(&b->names, b->npool.p, b->lname.ptr ? b->lname.ptr : "", b->lname.len,
			hash_bytes(b->lname.ptr ? b->lname.ptr : "", b->lname.len));
	return e == UINT32_MAX ? UINT32_MAX : b->name_topic[e];
}

/* Fill b's table of topic names from topics[0..n) (a name given twice: the
 * first topic answers to it). */
static void names_fill(struct build *b, const struct matcher_topic *topics, size_t n)
{
	size_t i;
	uint32_t e;
	int added;

	b->topics = topics;
	b->n_topics = n;
	b->name_topic = horch_xmalloc((n + 1) * sizeof *b->name_topic);
	for (i = 0; i < n; i++) {
		if (!topics[i].name || !topics[i].name[0] ||
		    name_key(b, topics[i].name, strlen(topics[i].name)) != 0 || !b->lname.len)
			continue;
		e = strmap_put(&b->npool, &b->names, b->lname.ptr, b->lname.len, &added);
		if (added)
			b->name_topic[e] = (uint32_t)i;
	}
}

static void compile_node(struct build *b, const struct qnode *n, uint32_t slot);

/* topic:NAME: compile the named topic's query in place of node n (at
 * slot), as if it were written there.  Returns 1, or 0 when it cannot be
 * (no such topic, a cycle, or the topic would grow past INLINE_MAX_NODES
 * or INLINE_MAX_DEPTH): the reference then never matches, as the CLI
 * refuses such topics before they are saved. */
static int inline_topic(struct build *b, const struct qnode *n, uint32_t slot)
{
	uint32_t j = topic_named(b, n->fold, n->fold_len);
	const struct query *q;

	if (j == UINT32_MAX || b->expanding[j] || b->inlining >= INLINE_MAX_DEPTH ||
	    b->m->n_nodes - b->topic_first > INLINE_MAX_NODES)
		return 0;
	q = b->topics[j].q;
	if (!q || !q->root)
		return 0;
	b->expanding[j] = 1;
	if (b->inlining++ == 0) {
		b->where_off = n->off;
		b->where_end = n->end;
	}
	compile_node(b, q->root, slot);
	b->inlining--;
	b->expanding[j] = 0;
	return 1;
}

static void compile_node(struct build *b, const struct qnode *n, uint32_t slot)
{
	struct matcher *m = b->m;
	struct mnode *x = &m->nodes[slot];
	uint32_t base, i;

	if (n->kind == QN_KEYWORD && n->field == QF_TOPIC && inline_topic(b, n, slot))
		return;
	x = &m->nodes[slot]; /* inline_topic() may have moved the nodes */
	memset(x, 0, sizeof *x);
	x->kind = n->kind;
	x->field = n->field;
	x->flags = n->flags & (QN_F_ORDERED | QN_F_EXACT | QN_F_WILDCARD);
	x->dist = (uint16_t)n->dist;       /* <= QUERY_MAX_DIST */
	x->n_kids = (uint16_t)n->n_kids;   /* <= QUERY_MAX_TERMS */
	m->where = horch_xgrow(m->where, &m->cap_where, m->cap_nodes, sizeof *m->where);
	/* explain names the topic: node for a clause of a topic it inlined */
	m->where[slot].off = b->inlining ? b->where_off : n->off;
	m->where[slot].end = b->inlining ? b->where_end : n->end;
	switch (n->kind) {
	case QN_TERM:
		x->atom = atom_of(m, &b->kpool, &b->atom_ids, &b->key, n);
		/* a term has no kids: kid0 keeps the atom's bit in a post's
		 * filter (match_doc.present), which decide() tests first */
		x->kid0 = (atom_hash(x->atom) >> 20) & 4095;
		b->term_of_atom = horch_xgrow(b->term_of_atom, &b->cap_term, m->n_atoms,
					      sizeof *b->term_of_atom);
		b->term_of_atom[x->atom] = n;
		break;
	case QN_PHRASE:
		for (i = 0; i < n->n_kids; i++)
			if (n->kids[i]->kind != QN_TERM)
				x->flags |= MN_NEVER;
		if (n->n_kids == 0)
			x->flags |= MN_NEVER;
		break;
	case QN_KEYWORD: {
		struct mkw *kw;

		m->kws = horch_xgrow(m->kws, &m->cap_kws, m->n_kws + 1, sizeof *m->kws);
		kw = &m->kws[m->n_kws];
		x->atom = (uint32_t)m->n_kws++;
		if (n->field == QF_LINKS) {
			struct buf v;

			buf_init(&v, BUF_NOLIMIT);
			url_strip(&v, n->fold, n->fold_len);
			x->prefix = memchr(n->fold, '/', n->fold_len) != NULL;
			kw->str = pool_add(&m->pool, v.ptr ? v.ptr : "", v.len);
			kw->len = (uint32_t)v.len;
			buf_cleanup(&v);
		} else {
			kw->str = pool_add(&m->pool, n->fold, n->fold_len);
			kw->len = n->fold_len;
		}
		break;
	}
	case QN_RANGE:
		m->ranges = horch_xgrow(m->ranges, &m->cap_ranges, m->n_ranges + 1,
					sizeof *m->ranges);
		m->ranges[m->n_ranges].lo = n->lo;
		m->ranges[m->n_ranges].hi = n->hi;
		x->atom = (uint32_t)m->n_ranges++;
		break;
	case QN_FIELD:
		if (n->field == QF_AUTHOR)
			m->has_author = 1;
		break;
	default:
		break;
	}
	if (n->n_kids == 0)
		return;
	m->nodes = horch_xgrow(m->nodes, &m->cap_nodes, m->n_nodes + n->n_kids, sizeof *m->nodes);
	base = (uint32_t)m->n_nodes;
	m->n_nodes += n->n_kids;
	m->nodes[slot].kid0 = base; /* x may have moved */
	for (i = 0; i < n->n_kids; i++)
		compile_node(b, n->kids[i], base + i);
}

/* Presearch: append to b->set a set of atoms every match of node k holds
 * one of, and return its cost; UINT32_MAX when there is none (the node can
 * match without any term: a keyword, a range, a NOT). */
static uint32_t required(struct build *b, uint32_t k)
{
	const struct matcher *m = b->m;
	const struct mnode *x = &m->nodes[k];
	size_t mark = b->n_set, i;
	uint32_t best = UINT32_MAX, c, sum;

	switch (x->kind) {
	case QN_TERM:
		b->set = horch_xgrow(b->set, &b->cap_set, b->n_set + 1, sizeof *b->set);
		b->set[b->n_set++] = x->atom;
		return atom_cost(b, b->term_of_atom[x->atom]);
	case QN_OR:
		sum = 0;
		for (i = 0; i < x->n_kids; i++) {
			if ((c = required(b, x->kid0 + (uint32_t)i)) == UINT32_MAX) {
				b->n_set = mark;
				return UINT32_MAX;
			}
			sum = sum + c < sum ? UINT32_MAX - 1 : sum + c;
		}
		return x->n_kids ? sum : UINT32_MAX;
	case QN_FIELD:
		return x->n_kids ? required(b, x->kid0) : UINT32_MAX;
	case QN_PHRASE:
	case QN_PROX:
	case QN_NEAR:
	case QN_SENTENCE:
	case QN_AND:
		/* every item is needed: keep the cheapest item's set */
		for (i = 0; i < x->n_kids; i++) {
			size_t at = b->n_set;

			if (m->nodes[x->kid0 + i].kind == QN_NOT)
				continue;
			c = required(b, x->kid0 + (uint32_t)i);
			if (c < best) {
				/* drop the previous best, keep this one at mark */
				memmove(b->set + mark, b->set + at, (b->n_set - at) * sizeof *b->set);
				b->n_set = mark + (b->n_set - at);
				best = c;
			} else {
				b->n_set = at;
			}
		}
		return best;
	default:
		return UINT32_MAX;
	}
}

/* Put the kids of every AND under node k in the order that decides a
 * candidate soonest: the rarest items first (the likeliest to fail), then
 * items without terms (keywords, ranges: cheap, and often false), then the
 * item the presearch chose (a candidate holds its term, so it is the
 * likeliest to hold), and the NOTs last.  decide() and eval() answer the same in any order;
 * match_explain() builds without this, to name the first failing clause
 * in the query's own order. */
static void order_ands(struct build *b, uint32_t k)
{
	struct matcher *m = b->m;
	uint32_t i, j, n = m->nodes[k].n_kids, kid0 = m->nodes[k].kid0, best = UINT32_MAX;
	uint32_t key[64], bi = 0;

	for (i = 0; i < n; i++)
		order_ands(b, kid0 + i);
	if (m->nodes[k].kind != QN_AND || n < 2 || n > 64)
		return;
	for (i = 0; i < n; i++) {
		size_t mark = b->n_set;
		uint32_t c;

		if (m->nodes[kid0 + i].kind == QN_NOT) {
			key[i] = UINT32_MAX;
			continue;
		}
		c = required(b, kid0 + i);
		b->n_set = mark;
		/* a keyword or range (no terms) is cheap and often false: before
		 * the chosen item, which a candidate holds */
		key[i] = c == UINT32_MAX ? UINT32_MAX - 2 : c < UINT32_MAX - 3 ? c : UINT32_MAX - 3;
		if (c < best) {
			best = c;
			bi = i;
		}
	}
	if (best != UINT32_MAX)
		key[bi] = UINT32_MAX - 1;
	/* a stable insertion sort of the kids (their subtrees stay put) */
	for (i = 1; i < n; i++) {
		uint32_t kk = key[i];
		struct mnode x = m->nodes[kid0 + i];
		struct mwhere w = m->where[kid0 + i];

		for (j = i; j > 0 && key[j - 1] > kk; j--) {
			key[j] = key[j - 1];
			m->nodes[kid0 + j] = m->nodes[kid0 + j - 1];
			m->where[kid0 + j] = m->where[kid0 + j - 1];
		}
		key[j] = kk;
		m->nodes[kid0 + j] = x;
		m->where[kid0 + j] = w;
	}
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct apair *a = pa, *b = pb;

	if (a->atom != b->atom)
		return a->atom < b->atom ? -1 : 1;
	return a->topic < b->topic ? -1 : a->topic > b->topic;
}

static int u32_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

/* Sort v[0..n) ascending, in place, without allocating (qsort may): a
 * quicksort on the middle element that finishes short runs by insertion. */
static void sort_u32(uint32_t *v, size_t n)
{
	while (n > 16) {
		uint32_t pivot = v[n / 2], t;
		size_t i = 0, j = n - 1;

		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = v[i], v[i] = v[j], v[j] = t;
			i++, j--;
		}
		/* recurse into the smaller side, loop on the larger */
		if (j + 1 < n - j - 1) {
			sort_u32(v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_u32(v + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* File the atoms of one kind (plain/exact: under their fold, wild: under
 * their literal prefix) in t, as CSR lists *a0 / *list. */
static void file_atoms(struct build *b, struct strmap *t, int wild, uint32_t **a0,
		       uint32_t **list)
{
	struct matcher *m = b->m;
	uint32_t *ent = horch_xmalloc((m->n_atoms + 1) * sizeof *ent);
	size_t a, n_ent, total = 0;
	int added;

	for (a = 0; a < m->n_atoms; a++) {
		const struct qnode *t0 = b->term_of_atom[a];

		ent[a] = UINT32_MAX;
		if ((m->atoms[a].kind == A_WILD) != wild)
			continue;
		ent[a] = strmap_put(&m->pool, t, t0->fold, wild ? t0->prefix_len : t0->fold_len, &added);
		total++;
	}
	n_ent = t->n;
	*a0 = horch_xcalloc(n_ent + 2, sizeof **a0);
	*list = horch_xmalloc((total + 1) * sizeof **list);
	for (a = 0; a < m->n_atoms; a++)
		if (ent[a] != UINT32_MAX)
			(*a0)[ent[a] + 1]++;
	for (a = 0; a < n_ent; a++)
		(*a0)[a + 1] += (*a0)[a];
	{
		uint32_t *fill = horch_xmalloc((n_ent + 1) * sizeof *fill);

		memcpy(fill, *a0, (n_ent + 1) * sizeof *fill);
		for (a = 0; a < m->n_atoms; a++)
			if (ent[a] != UINT32_MAX)
				(*list)[fill[ent[a]]++] = (uint32_t)a;
		free(fill);
	}
	m->bytes += (n_ent + 2 + total + 1) * sizeof(uint32_t);
	free(ent);
}

/* prim[] order: by primary atom (UINT32_MAX, filed under nothing, last),
 * then by the order of matcher_build(). */
static int prim_cmp(const void *pa, const void *pb)
{
	const struct apair *a = pa, *b = pb;

	if (a->atom != b->atom)
		return a->atom < b->atom ? -1 : 1;
	return a->topic < b->topic ? -1 : a->topic > b->topic;
}

/* Renumber the topics by prim (atom: the primary atom, topic: the index
 * in matcher_build()'s list; sorted here, so that prim[t] describes the
 * new topic t) and move their nodes into that order.  A topic's nodes are the
 * range roots[i] .. nend[i] of the compiled order; kid0 moves with them. */
static void relayout(struct matcher *m, const struct matcher_topic *topics, struct apair *prim,
		     const uint32_t *nend, int tune)
{
	struct mnode *nodes = horch_xmalloc((m->n_nodes + 1) * sizeof *nodes);
	struct mwhere *where = horch_xmalloc((m->n_nodes + 1) * sizeof *where);
	uint32_t *roots = horch_xmalloc((m->n_topics + 1) * sizeof *roots);
	size_t t, at = 0, k;

	if (tune) /* else the build order stays (match_explain_with()) */
		qsort(prim, m->n_topics, sizeof *prim, prim_cmp);
	for (t = 0; t < m->n_topics; t++) {
		uint32_t o = prim[t].topic, r = m->roots[o];

		m->orig[t] = o;
		m->ids[t] = topics[o].id;
		roots[t] = UINT32_MAX;
		if (r == UINT32_MAX)
			continue;
		roots[t] = (uint32_t)at;
		for (k = r; k < nend[o]; k++, at++) {
			nodes[at] = m->nodes[k];
			where[at] = m->where[k];
			if (nodes[at].n_kids)
				nodes[at].kid0 = nodes[at].kid0 - r + roots[t];
		}
	}
	free(m->nodes);
	free(m->where);
	free(m->roots);
	m->nodes = nodes;
	m->where = where;
	m->roots = roots;
	m->cap_nodes = m->cap_where = m->n_nodes + 1;
}

static void build_cleanup(struct build *b)
{
	buf_cleanup(&b->key);
	strmap_free(&b->atom_ids);
	free(b->kpool.p);
	free(b->term_of_atom);
	free(b->set);
	free(b->sorted);
	strmap_free(&b->names);
	free(b->name_topic);
	free(b->npool.p);
	buf_cleanup(&b->lname);
	free(b->expanding);
}

static int build_topics(struct matcher **out, const struct matcher_topic *topics, size_t n,
			const struct matcher_topic *refs, size_t n_refs,
			const struct match_stats *stats, int reorder, struct horch_err *err);

int matcher_build(struct matcher **out, const struct matcher_topic *topics, size_t n,
		  struct horch_err *err)
{
	return build_topics(out, topics, n, topics, n, NULL, 1, err);
}

int matcher_build_with(struct matcher **out, const struct matcher_topic *topics, size_t n,
		       const struct match_stats *stats, struct horch_err *err)
{
	return build_topics(out, topics, n, topics, n, stats, 1, err);
}

/* Compile topics[0..n), their topic:NAME references resolved among
 * refs[0..n_refs) (the same array for a matcher; the stored topics for
 * match_explain_with(), which compiles only the query it explains).  With
 * reorder, the kids of ANDs are put in the order that decides soonest
 * (order_ands()) and the topics in the order of their atoms (relayout());
 * without, each topic's clauses keep the order given. */
static int build_topics(struct matcher **out, const struct matcher_topic *topics, size_t n,
			const struct matcher_topic *refs, size_t n_refs,
			const struct match_stats *stats, int reorder, struct horch_err *err)
{
	struct matcher *m = horch_xcalloc(1, sizeof *m);
	struct build b;
	struct apair *pairs = NULL, *prim;
	uint32_t *nend, *inv;
	size_t n_pairs = 0, cap_pairs = 0, cap_always = 0, i, k;

	memset(&b, 0, sizeof b);
	b.m = m;
	buf_init(&b.key, BUF_NOLIMIT);
	buf_init(&b.lname, BUF_NOLIMIT);
	b.expanding = horch_xcalloc(n_refs + 1, 1);
	names_fill(&b, refs, n_refs);
	if (stats && stats->n_docs >= STATS_MIN_POSTS) {
		b.stats = stats;
		b.n_sorted = stats->words.n;
		b.sorted = stats_sorted(stats);
	}
	atomic_init(&m->refs, 1);
	if (n > UINT32_MAX / 4) {
		build_cleanup(&b);
		matcher_free(m);
		*out = NULL;
		return horch_err_set(err, HORCH_ETOOBIG, "too many topics (%zu)", n);
	}
	m->ids = horch_xcalloc(n + 1, sizeof *m->ids);
	m->roots = horch_xcalloc(n + 1, sizeof *m->roots);
	m->orig = horch_xcalloc(n + 1, sizeof *m->orig);
	m->n_topics = n;
	prim = horch_xmalloc((n + 1) * sizeof *prim);
	nend = horch_xmalloc((n + 1) * sizeof *nend);
	for (i = 0; i < n; i++) {
		const struct query *q = topics[i].q;
		uint32_t root, c, worst = 0;

		m->roots[i] = UINT32_MAX;
		prim[i].atom = UINT32_MAX;
		prim[i].topic = (uint32_t)i;
		if (!q || !q->root)
			continue;
		m->nodes = horch_xgrow(m->nodes, &m->cap_nodes, m->n_nodes + 1, sizeof *m->nodes);
		root = (uint32_t)m->n_nodes++;
		b.topic_first = root;
		if (refs == topics)
			b.expanding[i] = 1; /* topic:SELF is a cycle */
		compile_node(&b, q->root, root);
		if (refs == topics)
			b.expanding[i] = 0;
		m->roots[i] = root;
		nend[i] = (uint32_t)m->n_nodes;
		b.n_set = 0;
		c = required(&b, root);
		if (c == UINT32_MAX)
			continue;
		pairs = horch_xgrow(pairs, &cap_pairs, n_pairs + b.n_set, sizeof *pairs);
		for (k = 0; k < b.n_set; k++) {
			/* file the topic's nodes beside those of other topics
			 * under its most frequent atom: the list that most
			 * often makes it a candidate */
			uint32_t ac = atom_cost(&b, b.term_of_atom[b.set[k]]);

			if (k == 0 || ac > worst) {
				worst = ac;
				prim[i].atom = b.set[k];
			}
			pairs[n_pairs].atom = b.set[k];
			pairs[n_pairs].topic = (uint32_t)i;
			n_pairs++;
		}
		if (reorder) {
			b.n_set = 0;
			order_ands(&b, root);
		}
	}
	if (m->n_nodes > UINT32_MAX / 2 || m->n_atoms > UINT32_MAX / 2 ||
	    m->pool.len > UINT32_MAX / 2) {
		free(pairs);
		free(prim);
		free(nend);
		build_cleanup(&b);
		matcher_free(m);
		*out = NULL;
		return horch_err_set(err, HORCH_ETOOBIG, "the topics are too large to compile");
	}
	relayout(m, topics, prim, nend, reorder);
	free(nend);
	/* the pairs and the topics filed under nothing, in the new numbering */
	inv = horch_xmalloc((n + 1) * sizeof *inv);
	for (i = 0; i < n; i++)
		inv[m->orig[i]] = (uint32_t)i;
	for (i = 0; i < n_pairs; i++)
		pairs[i].topic = inv[pairs[i].topic];
	for (i = 0; i < n; i++)
		if (m->roots[i] != UINT32_MAX && prim[i].atom == UINT32_MAX) {
			m->always = horch_xgrow(m->always, &cap_always, m->n_always + 1,
						sizeof *m->always);
			m->always[m->n_always++] = (uint32_t)i;
		}
	free(inv);
	free(prim);

	/* postings: atom -> topics, without repeats */
	if (n_pairs)
		qsort(pairs, n_pairs, sizeof *pairs, pair_cmp);
	m->post0 = horch_xcalloc(m->n_atoms + 2, sizeof *m->post0);
	m->postings = horch_xmalloc((n_pairs + 1) * sizeof *m->postings);
	for (i = 0, k = 0; i < n_pairs; i++) {
		if (i > 0 && pairs[i].atom == pairs[i - 1].atom && pairs[i].topic == pairs[i - 1].topic)
			continue;
		m->postings[k++] = pairs[i].topic;
		m->post0[pairs[i].atom + 1]++;
	}
	for (i = 0; i < m->n_atoms; i++)
		m->post0[i + 1] += m->post0[i];
	free(pairs);

	/* the dictionary and the prefix table */
	file_atoms(&b, &m->dict, 0, &m->dict_a0, &m->dict_atoms);
	file_atoms(&b, &m->wild, 1, &m->wild_a0, &m->wild_atoms);
	m->wild_lens = horch_xmalloc((m->wild.n + 1) * sizeof *m->wild_lens);
	for (i = 0; i < m->wild.n; i++) {
		uint32_t h = m->wild.key[i].hash & (WILD_BLOOM - 1);

		m->wild_lens[i] = m->wild.key[i].len;
		m->wild_bloom[h / 64] |= 1ull << (h % 64);
	}
	qsort(m->wild_lens, m->wild.n, sizeof *m->wild_lens, u32_cmp);
	for (i = 0, k = 0; i < m->wild.n; i++)
		if (k == 0 || m->wild_lens[k - 1] != m->wild_lens[i])
			m->wild_lens[k++] = m->wild_lens[i];
	m->n_wild_lens = k;

	m->bytes += sizeof *m + m->pool.cap + m->cap_atoms * sizeof *m->atoms +
		    m->cap_nodes * sizeof *m->nodes + m->cap_where * sizeof *m->where +
		    m->cap_kws * sizeof *m->kws + m->cap_ranges * sizeof *m->ranges +
		    (n + 1) * (sizeof *m->ids + sizeof *m->roots + sizeof *m->orig) + strmap_bytes(&m->dict) + strmap_bytes(&m->wild) +
		    (m->wild.n + 1) * sizeof *m->wild_lens + (m->n_atoms + 2) * sizeof *m->post0 +
		    (n_pairs + 1) * sizeof *m->postings + cap_always * sizeof *m->always;

	build_cleanup(&b);
	*out = m;
	return 0;
}

/* What matcher_check_refs() walks with. */
struct refwalk {
	struct build b;        /* only its name table */
	size_t nodes;          /* nodes so far, references inlined */
	size_t depth;          /* references being followed */
	uint32_t *stack;       /* the topics being followed */
	struct horch_err *err;
};

/* Walk node n (of topic `self` chain), following topic: references as
 * compile_node() inlines them.  Returns 0 or HORCH_EINVAL (err set). */
static int refwalk(struct refwalk *w, const struct qnode *n)
{
	uint32_t i, j;
	int rc;

	if (++w->nodes > INLINE_MAX_NODES)
		return horch_err_set(w->err, HORCH_EINVAL, "the topic grows past %u clauses with "
				     "the topics it refers to", INLINE_MAX_NODES);
	if (n->kind == QN_KEYWORD && n->field == QF_TOPIC) {
		j = topic_named(&w->b, n->fold, n->fold_len);
		if (j == UINT32_MAX)
			return horch_err_set(w->err, HORCH_EINVAL, "topic:%s: no topic has that name",
					     n->fold);
		for (i = 0; i < w->depth; i++)
			if (w->stack[i] == j)
				return horch_err_set(w->err, HORCH_EINVAL, "topic:%s: a cycle (the "
						     "topic refers back to itself)", n->fold);
		if (w->depth > INLINE_MAX_DEPTH)
			return horch_err_set(w->err, HORCH_EINVAL, "topic:%s: references more than "
					     "%u deep", n->fold, INLINE_MAX_DEPTH);
		if (!w->b.topics[j].q || !w->b.topics[j].q->root)
			return horch_err_set(w->err, HORCH_EINVAL, "topic:%s: that topic has no query",
					     n->fold);
		w->stack[w->depth++] = j;
		rc = refwalk(w, w->b.topics[j].q->root);
		w->depth--;
		return rc;
	}
	for (i = 0; i < n->n_kids; i++)
		if ((rc = refwalk(w, n->kids[i])) != 0)
			return rc;
	return 0;
}

/* Does node n hold a topic: reference? */
static int has_ref(const struct qnode *n)
{
	uint32_t i;

	if (n->kind == QN_KEYWORD && n->field == QF_TOPIC)
		return 1;
	for (i = 0; i < n->n_kids; i++)
		if (has_ref(n->kids[i]))
			return 1;
	return 0;
}

int matcher_check_refs(const struct matcher_topic *topics, size_t n, size_t i,
		       struct horch_err *err)
{
	struct refwalk w;
	int rc = 0;

	/* most topics refer to none: no name table to build for them */
	if (i >= n || !topics[i].q || !topics[i].q->root || !has_ref(topics[i].q->root))
		return 0;
	memset(&w, 0, sizeof w);
	w.err = err;
	buf_init(&w.b.lname, BUF_NOLIMIT);
	names_fill(&w.b, topics, n);
	w.stack = horch_xmalloc((INLINE_MAX_DEPTH + 2) * sizeof *w.stack);
	w.stack[w.depth++] = (uint32_t)i;
	rc = refwalk(&w, topics[i].q->root);
	free(w.stack);
	strmap_free(&w.b.names);
	free(w.b.name_topic);
	free(w.b.npool.p);
	buf_cleanup(&w.b.lname);
	return rc;
}

void matcher_free(struct matcher *m)
{
	if (!m)
		return;
	free(m->pool.p);
	free(m->atoms);
	free(m->nodes);
	free(m->where);
	free(m->kws);
	free(m->ranges);
	free(m->orig);
	free(m->ids);
	free(m->roots);
	strmap_free(&m->dict);
	free(m->dict_a0);
	free(m->dict_atoms);
	strmap_free(&m->wild);
	free(m->wild_a0);
	free(m->wild_atoms);
	free(m->wild_lens);
	free(m->post0);
	free(m->postings);
	free(m->always);
	free(m);
}

size_t matcher_n_topics(const struct matcher *m)
{
	return m ? m->n_topics : 0;
}

size_t matcher_bytes(const struct matcher *m)
{
	return m ? m->bytes : 0;
}

/* ---- the prepared post ---- */

struct mstream {
	struct buf norm;    /* normalised bytes */
	struct tokens toks;
	uint32_t *pos;      /* position -> token index (R2) */
	size_t n_pos, cap_pos;
};

/* An atom that occurs in the post: its occurrences occ[first .. first +
 * count), sorted by (stream, pos), and the streams it occurs in. */
struct astate {
	uint32_t atom;
	uint32_t first, count;
	uint32_t mask;
};

/* One occurrence of an atom: a position in a stream. */
struct occ {
	uint32_t atom;
	uint32_t stream;
	uint32_t pos;
};

/* Term positions the spans of one matched topic may copy between hits: a
 * NEAR of NEARs over common words in a long post would otherwise copy
 * without end.  Past it the topic keeps the spans found so far (it has
 * matched already: spans only show where). */
#define SPAN_STEPS (1u << 21)

/* One hit of a positional node (R8-R12) in the stream being evaluated:
 * positions [start, end], its term positions hsp[sp0 .. sp0 + nsp). */
struct hit {
	uint32_t start, end;
	uint32_t sp0, nsp;
};

struct match_doc {
	const struct post *p;
	int empty;                  /* text too big: no token streams */
	struct mstream s[ST__N];
	struct buf at;              /* "@" + handle */

	/* keyword fields, worked out on first use */
	int have_host, have_product;
	struct buf host, product, tmp;

	/* the lookup of the tokens in one matcher: the atoms that occur, in
	 * a small hash table (a post has tens of atoms, a matcher millions) */
	uint64_t present[64];       /* bit (atom_hash(a) >> 20) & 4095: atom a may occur */
	struct astate *as;          /* the atoms that occur */
	size_t n_as, cap_as;
	uint32_t *as_slot;          /* atom hash -> index in as + 1; 0: empty */
	size_t as_mask;             /* slots - 1 */
	struct occ *occ_tmp, *occ;  /* in token order; grouped by atom */
	size_t n_occ, cap_occ;

	/* candidates */
	uint32_t *cand;
	size_t n_cand, cap_cand;

	/* evaluation scratch */
	struct hit *hits;
	size_t n_hits, cap_hits;
	struct occ *hsp;            /* term positions of hits (atom unused) */
	size_t n_hsp, cap_hsp;
	struct match_span *sp;      /* spans of the topic being verified */
	size_t n_sp, cap_sp;
	uint32_t *chosen;           /* ~n: hit index per item */
	uint32_t *item0;            /* ~n: first hit of each item */
	uint32_t prox_left;         /* ~n: choices it may still try */
	uint64_t sp_left;           /* term positions the topic's spans may still copy */
	uint64_t *by_end;           /* NEAR: the second operand's hits by end */
	size_t cap_by_end;
	int prox_one;               /* ~n: the first full choice is enough */
	int prox_done;              /* ~n: that choice was found */
};

struct match_doc *match_doc_new(void)
{
	struct match_doc *d = horch_xcalloc(1, sizeof *d);
	int i;

	for (i = 0; i < ST__N; i++) {
		buf_init(&d->s[i].norm, BUF_NOLIMIT);
		tokens_init(&d->s[i].toks);
	}
	buf_init(&d->at, BUF_NOLIMIT);
	buf_init(&d->host, BUF_NOLIMIT);
	buf_init(&d->product, BUF_NOLIMIT);
	buf_init(&d->tmp, BUF_NOLIMIT);
	return d;
}

void match_doc_free(struct match_doc *d)
{
	int i;

	if (!d)
		return;
	for (i = 0; i < ST__N; i++) {
		buf_cleanup(&d->s[i].norm);
		tokens_cleanup(&d->s[i].toks);
		free(d->s[i].pos);
	}
	buf_cleanup(&d->at);
	buf_cleanup(&d->host);
	buf_cleanup(&d->product);
	buf_cleanup(&d->tmp);
	free(d->as);
	free(d->as_slot);
	free(d->occ_tmp);
	free(d->occ);
	free(d->cand);
	free(d->hits);
	free(d->hsp);
	free(d->sp);
	free(d->chosen);
	free(d->item0);
	free(d->by_end);
	free(d);
}

/* Normalise and tokenise str (NULL: empty) into s and number its positions. */
static int stream_fill(struct mstream *s, const char *str, size_t len)
{
	size_t i;
	int rc;

	buf_reset(&s->norm);
	s->n_pos = 0;
	if (str && len && (rc = text_normalise(&s->norm, str, len, NULL)) != 0)
		return rc;
	if ((rc = text_tokenise(&s->toks, s->norm.ptr ? s->norm.ptr : "", s->norm.len)) != 0)
		return rc;
	s->pos = horch_xgrow(s->pos, &s->cap_pos, s->toks.n + 1, sizeof *s->pos);
	for (i = 0; i < s->toks.n; i++)
		if (s->toks.v[i].kind != TOKEN_PUNCT)
			s->pos[s->n_pos++] = (uint32_t)i;
	return 0;
}

static void stream_clear(struct mstream *s)
{
	buf_reset(&s->norm);
	s->toks.n = 0;
	s->n_pos = 0;
}

int match_doc_set(struct match_doc *d, const struct post *p)
{
	int rc = 0, i;

	d->p = p;
	d->empty = 0;
	d->have_host = d->have_product = 0;
	buf_reset(&d->at);
	if (p->author && *p->author) {
		buf_putc(&d->at, '@');
		buf_puts(&d->at, p->author);
	}
	if ((rc = stream_fill(&d->s[ST_TITLE], p->title, p->title ? strlen(p->title) : 0)) ||
	    (rc = stream_fill(&d->s[ST_TEXT], p->text, p->text ? strlen(p->text) : 0)) ||
	    (rc = stream_fill(&d->s[ST_HANDLE], p->author, p->author ? strlen(p->author) : 0)) ||
	    (rc = stream_fill(&d->s[ST_AT], d->at.ptr, d->at.len)) ||
	    (rc = stream_fill(&d->s[ST_NAME], p->author_name,
			      p->author_name ? strlen(p->author_name) : 0))) {
		for (i = 0; i < ST__N; i++)
			stream_clear(&d->s[i]);
		d->empty = 1;
	}
	return rc;
}

void match_stats_add(struct match_stats *s, const struct match_doc *d)
{
	uint32_t st, i, e;
	int added;

	if (s->n_docs == UINT32_MAX - 1)
		return;
	s->n_docs++;
	for (st = ST_TITLE; st <= ST_TEXT; st++) {
		const struct mstream *x = &d->s[st];

		for (i = 0; i < x->n_pos; i++) {
			const struct token *tk = &x->toks.v[x->pos[i]];
			const char *f = x->toks.fold.ptr + tk->fold_off;

			if (s->words.n >= STATS_MAX_WORDS) {
				e = strmap_find(&s->words, s->pool.p, f, tk->fold_len,
						hash_bytes(f, tk->fold_len));
				if (e == UINT32_MAX)
					continue;
			} else {
				e = strmap_put(&s->pool, &s->words, f, tk->fold_len, &added);
				if (added) {
					s->count = horch_xgrow(s->count, &s->cap_count, e + 1,
							       sizeof *s->count);
					s->last = horch_xgrow(s->last, &s->cap_last, e + 1,
							      sizeof *s->last);
					s->count[e] = 0;
					s->last[e] = 0;
				}
			}
			if (s->last[e] != s->n_docs) {
				s->last[e] = s->n_docs;
				s->count[e]++;
			}
		}
	}
}

/* ---- looking the tokens up ---- */


/* The state of atom a in the post, or NULL when it does not occur. */
static inline struct astate *astate_of(const struct match_doc *d, uint32_t a)
{
	uint32_t h = atom_hash(a), b = (h >> 20) & 4095;
	size_t j;

	if (!(d->present[b >> 6] & (1ull << (b & 63))))
		return NULL;
	for (j = h & d->as_mask; d->as_slot[j]; j = (j + 1) & d->as_mask)
		if (d->as[d->as_slot[j] - 1].atom == a)
			return &d->as[d->as_slot[j] - 1];
	return NULL;
}

/* Make the atom table empty, with room for at least 32 atoms. */
static void astate_clear(struct match_doc *d)
{
	size_t i;

	for (i = 0; i < d->n_as; i++) {
		uint32_t b = (atom_hash(d->as[i].atom) >> 20) & 4095;

		d->present[b >> 6] = 0;
	}
	if (!d->as_slot || (d->as_mask > 1023 && d->n_as * 16 < d->as_mask)) {
		/* new, or grown by a long post that came before: small again */
		free(d->as_slot);
		d->as_mask = 63;
		d->as_slot = horch_xcalloc(d->as_mask + 1, sizeof *d->as_slot);
	} else {
		memset(d->as_slot, 0, (d->as_mask + 1) * sizeof *d->as_slot);
	}
	d->n_as = 0;
}

/* Note that atom a occurs at (stream, pos). */
static void occ_add(struct match_doc *d, uint32_t a, uint32_t stream, uint32_t pos)
{
	struct astate *st = astate_of(d, a);

	if (!st) {
		size_t j;

		if ((d->n_as + 1) * 2 > d->as_mask + 1) {
			size_t i;

			free(d->as_slot);
			d->as_mask = d->as_mask * 2 + 1;
			d->as_slot = horch_xcalloc(d->as_mask + 1, sizeof *d->as_slot);
			for (i = 0; i < d->n_as; i++) {
				for (j = atom_hash(d->as[i].atom) & d->as_mask; d->as_slot[j];
				     j = (j + 1) & d->as_mask)
					;
				d->as_slot[j] = (uint32_t)i + 1;
			}
		}
		if (d->n_as == d->cap_as)
			d->as = horch_xgrow(d->as, &d->cap_as, d->n_as + 1, sizeof *d->as);
		{
			uint32_t b = (atom_hash(a) >> 20) & 4095;

			d->present[b >> 6] |= 1ull << (b & 63);
		}
		st = &d->as[d->n_as++];
		st->atom = a;
		st->count = 0;
		st->mask = 0;
		for (j = atom_hash(a) & d->as_mask; d->as_slot[j]; j = (j + 1) & d->as_mask)
			;
		d->as_slot[j] = (uint32_t)d->n_as;
	}
	st->count++;
	st->mask |= 1u << stream;
	if (d->n_occ == d->cap_occ) {
		d->occ_tmp = horch_xgrow(d->occ_tmp, &d->cap_occ, d->n_occ + 1, sizeof *d->occ_tmp);
		d->occ = horch_xrealloc(d->occ, d->cap_occ * sizeof *d->occ);
	}
	d->occ_tmp[d->n_occ].atom = a;
	d->occ_tmp[d->n_occ].stream = stream;
	d->occ_tmp[d->n_occ].pos = pos;
	d->n_occ++;
}

/* Does the token tk of stream s satisfy the atom a, found through the
 * token's fold (R3-R6)? */
static int atom_takes(const struct matcher *m, const struct atom *a, const struct mstream *s,
		      const struct token *tk, const char *fold)
{
	if (!form_allows(a->form, tk->kind))
		return 0;
	if (a->kind == A_EXACT) {
		const char *x = s->norm.ptr + tk->off;
		size_t n = tk->len;

		if (has_sigil(tk->kind))
			x++, n--;
		return n == a->len && memcmp(x, m->pool.p + a->str, n) == 0;
	}
	if (a->kind == A_WILD)
		return glob(m->pool.p + a->str, a->len, fold, tk->fold_len);
	return 1;
}

/* Find every atom of m in the streams of d (those m reads). */
static void lookup(const struct matcher *m, struct match_doc *d)
{
	uint32_t st, i, e, k;
	size_t j, sum;

	astate_clear(d);
	d->n_occ = 0;
	for (st = 0; st < ST__N; st++) {
		const struct mstream *s = &d->s[st];

		if (st >= ST_HANDLE && !m->has_author)
			break;
		for (i = 0; i < s->n_pos; i++) {
			const struct token *tk = &s->toks.v[s->pos[i]];
			const char *f = s->toks.fold.ptr + tk->fold_off;
			uint32_t h = 2166136261u;
			size_t n = tk->fold_len, at = 0, w;

			e = strmap_find(&m->dict, m->pool.p, f, n, hash_bytes(f, n));
			if (e != UINT32_MAX)
				for (k = m->dict_a0[e]; k < m->dict_a0[e + 1]; k++)
					if (atom_takes(m, &m->atoms[m->dict_atoms[k]], s, tk, f))
						occ_add(d, m->dict_atoms[k], st, i);
			/* wildcards: each prefix whose length a pattern's prefix has */
			for (w = 0; w < m->n_wild_lens && m->wild_lens[w] <= n; w++) {
				uint32_t b;

				for (; at < m->wild_lens[w]; at++)
					h = (h ^ (unsigned char)f[at]) * 16777619u;
				b = h & (WILD_BLOOM - 1);
				if (!(m->wild_bloom[b / 64] & (1ull << (b % 64))))
					continue;
				e = strmap_find(&m->wild, m->pool.p, f, at, h);
				if (e == UINT32_MAX)
					continue;
				for (k = m->wild_a0[e]; k < m->wild_a0[e + 1]; k++)
					if (atom_takes(m, &m->atoms[m->wild_atoms[k]], s, tk, f))
						occ_add(d, m->wild_atoms[k], st, i);
			}
		}
	}
	/* group the occurrences by atom, each group in (stream, pos) order */
	for (j = 0, sum = 0; j < d->n_as; j++) {
		d->as[j].first = (uint32_t)sum;
		sum += d->as[j].count;
		d->as[j].count = 0;
	}
	for (j = 0; j < d->n_occ; j++) {
		struct astate *as = astate_of(d, d->occ_tmp[j].atom);

		d->occ[as->first + as->count++] = d->occ_tmp[j];
	}
}

/* ---- keyword fields (R15-R22) ---- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq(const char *a, const char *b, size_t bn)
{
	size_t i;

	if (!a)
		return 0;
	for (i = 0; i < bn; i++)
		if (a[i] == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return a[bn] == '\0';
}

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

/* Append the host of URL u[0..n) to out (R15); tmp is scratch. */
static void url_host(struct buf *out, struct buf *tmp, const char *u, size_t n)
{
	size_t i, end, at = 0, colon;

	buf_reset(tmp);
	url_strip(tmp, u, n);
	for (end = 0; end < tmp->len && tmp->ptr[end] != '/' && tmp->ptr[end] != '?' &&
	     tmp->ptr[end] != '#'; end++)
		if (tmp->ptr[end] == '@')
			at = end + 1;
	colon = end;
	for (i = at; i < end; i++)
		if (tmp->ptr[i] == ':') {
			colon = i;
			break;
		}
	while (colon > at && tmp->ptr[colon - 1] == '.')
		colon--;
	if (colon - at > 4 && memcmp(tmp->ptr + at, "www.", 4) == 0)
		at += 4;
	if (colon > at)
		buf_append(out, tmp->ptr + at, colon - at);
}

/* Is host[0..n) the host h or one of its subdomains? */
static int host_in(const char *host, size_t n, const char *h, size_t hn)
{
	if (hn == 0 || n < hn || memcmp(host + n - hn, h, hn) != 0)
		return 0;
	return n == hn || host[n - hn - 1] == '.';
}

static int site_match(struct match_doc *d, const char *v, size_t vn)
{
	if (!d->p->url)
		return 0;
	if (!d->have_host) {
		buf_reset(&d->host);
		url_host(&d->host, &d->tmp, d->p->url, strlen(d->p->url));
		d->have_host = 1;
	}
	return host_in(d->host.ptr ? d->host.ptr : "", d->host.len, v, vn);
}

static int url_match(const struct match_doc *d, const char *v, size_t vn)
{
	const char *u = d->p->url;
	size_t i, k, len;

	if (!u)
		return 0;
	len = strlen(u);
	for (i = 0; i + vn <= len; i++) {
		for (k = 0; k < vn; k++)
			if (lower((unsigned char)u[i + k]) != lower((unsigned char)v[k]))
				break;
		if (k == vn)
			return 1;
	}
	return 0;
}

static void span_add(struct match_doc *d, uint32_t part, uint32_t off, uint32_t len)
{
	if (d->n_sp == d->cap_sp)
		d->sp = horch_xgrow(d->sp, &d->cap_sp, d->n_sp + 1, sizeof *d->sp);
	d->sp[d->n_sp].part = part;
	d->sp[d->n_sp].off = off;
	d->sp[d->n_sp].len = len;
	d->n_sp++;
}

/* R17: the URL tokens of the text that fit v; their spans when spans. */
static int links_match(struct match_doc *d, const struct mnode *x, const char *v, size_t vn,
		       int spans)
{
	const struct mstream *s = &d->s[ST_TEXT];
	struct buf u;
	size_t k;
	int m = 0;

	buf_init(&u, BUF_NOLIMIT);
	for (k = 0; k < s->toks.n; k++) {
		const struct token *tk = &s->toks.v[k];
		int hit;

		if (tk->kind != TOKEN_URL)
			continue;
		buf_reset(&u);
		if (x->prefix) {
			url_strip(&u, s->norm.ptr + tk->off, tk->len);
			hit = u.len >= vn && memcmp(u.ptr, v, vn) == 0;
		} else {
			url_host(&u, &d->tmp, s->norm.ptr + tk->off, tk->len);
			hit = host_in(u.ptr ? u.ptr : "", u.len, v, vn);
		}
		if (hit) {
			m = 1;
			if (!spans)
				break;
			span_add(d, MATCH_TEXT, tk->off, tk->len);
		}
	}
	buf_cleanup(&u);
	return m;
}

/* R19: the product's words, folded, " w1 w2 ... ", made once per post. */
static int product_match(struct match_doc *d, const char *v, size_t vn)
{
	size_t k;

	if (!d->p->product)
		return 0;
	if (!d->have_product) {
		struct mstream s;

		memset(&s, 0, sizeof s);
		buf_init(&s.norm, BUF_NOLIMIT);
		tokens_init(&s.toks);
		buf_reset(&d->product);
		if (stream_fill(&s, d->p->product, strlen(d->p->product)) == 0) {
			buf_putc(&d->product, ' ');
			for (k = 0; k < s.n_pos; k++) {
				const struct token *tk = &s.toks.v[s.pos[k]];

				if (tk->kind == TOKEN_EMOJI)
					buf_append(&d->product, s.norm.ptr + tk->off, tk->len);
				else
					buf_append(&d->product, s.toks.fold.ptr + tk->fold_off,
						   tk->fold_len);
				buf_putc(&d->product, ' ');
			}
		}
		buf_cleanup(&s.norm);
		tokens_cleanup(&s.toks);
		free(s.pos);
		d->have_product = 1;
	}
	for (k = 0; k + vn + 2 <= d->product.len; k++)
		if (d->product.ptr[k] == ' ' && memcmp(d->product.ptr + k + 1, v, vn) == 0 &&
		    d->product.ptr[k + 1 + vn] == ' ')
			return 1;
	return 0;
}

static int keyword_match(const struct matcher *m, struct match_doc *d, const struct mnode *x,
			 int spans)
{
	const struct post *p = d->p;
	const char *v = m->pool.p + m->kws[x->atom].str;
	size_t vn = m->kws[x->atom].len;

	switch (x->field) {
	case QF_SITE: return site_match(d, v, vn);
	case QF_URL: return url_match(d, v, vn);
	case QF_LINKS: return links_match(d, x, v, vn, spans);
	case QF_LANG: return ieq(p->lang, v, vn);
	case QF_COUNTRY: return ieq(p->country, v, vn);
	case QF_SOURCE: return ieq(p->source, v, vn);
	case QF_PRODUCT: return product_match(d, v, vn);
	case QF_IS:
		if (strcmp(v, "retweet") == 0)
			return p->kind == POST_KIND_REPOST;
		if (strcmp(v, "reply") == 0)
			return p->kind == POST_KIND_REPLY;
		if (strcmp(v, "review") == 0)
			return p->kind == POST_KIND_REVIEW;
		if (strcmp(v, "question") == 0)
			return p->analysed && p->intent == POST_INTENT_QUESTION; /* R22 */
		return 0;
	case QF_SENTIMENT: /* R22: the value was checked by the parser */
		return p->analysed && ieq(post_sentiment_name(p->sentiment_label), v, vn);
	case QF_INTENT:
		return p->analysed && ieq(post_intent_name(p->intent), v, vn);
	default:
		return 0; /* topic: is compiled in place (R22) */
	}
}

static int range_match(const struct matcher *m, const struct post *p, const struct mnode *x)
{
	const struct mrange *r = &m->ranges[x->atom];

	if (x->field == QF_AUTHOR_FOLLOWERS)
		return p->author_followers != POST_COUNT_NONE && p->author_followers >= 0 &&
		       p->author_followers >= r->lo && p->author_followers <= r->hi;
	if (x->field == QF_RATING)
		return p->rating >= 0 && p->rating >= (double)r->lo && p->rating <= (double)r->hi;
	return 0;
}

/* ---- positional nodes (R8-R12) ---- */

/* One evaluation: a matcher, a looked-up post, and whether spans are kept. */
struct ev {
	const struct matcher *m;
	struct match_doc *d;
	const uint32_t *aidx; /* atom -> index in d->as + 1 (match_result.aidx) */
	int spans;
};

/* The state of atom a in the post, or NULL: one load from a dense array,
 * where the lookup's hash table (astate_of()) would probe. */
static inline const struct astate *ev_atom(const struct ev *e, uint32_t a)
{
	uint32_t b = (atom_hash(a) >> 20) & 4095, i;

	/* most atoms a candidate asks about are absent: the filter in d
	 * (512 bytes) answers those without touching the large aidx */
	if (!(e->d->present[b >> 6] & (1ull << (b & 63))))
		return NULL;
	i = e->aidx[a];
	return i ? &e->d->as[i - 1] : NULL;
}

/* Fill r->aidx for the atoms of d (all other entries are 0). */
static void aidx_set(const struct matcher *m, const struct match_doc *d, struct match_result *r)
{
	size_t i;

	if (r->cap_aidx < m->n_atoms + 1) {
		free(r->aidx);
		r->cap_aidx = m->n_atoms + 1;
		r->aidx = horch_xcalloc(r->cap_aidx, sizeof *r->aidx);
	}
	for (i = 0; i < d->n_as; i++)
		r->aidx[d->as[i].atom] = (uint32_t)i + 1;
}

/* Make r->aidx all 0 again. */
static void aidx_clear(const struct match_doc *d, struct match_result *r)
{
	size_t i;

	for (i = 0; i < d->n_as; i++)
		r->aidx[d->as[i].atom] = 0;
}

static uint32_t hit_add(struct match_doc *d, uint32_t start, uint32_t end)
{
	if (d->n_hits == d->cap_hits)
		d->hits = horch_xgrow(d->hits, &d->cap_hits, d->n_hits + 1, sizeof *d->hits);
	d->hits[d->n_hits].start = start;
	d->hits[d->n_hits].end = end;
	d->hits[d->n_hits].sp0 = (uint32_t)d->n_hsp;
	d->hits[d->n_hits].nsp = 0;
	return (uint32_t)d->n_hits++;
}

/* Add the term position (stream, pos) to the latest hit. */
static void hit_pos(struct match_doc *d, uint32_t stream, uint32_t pos)
{
	if (d->sp_left == 0)
		return; /* SPAN_STEPS spent on this topic: spans are cut */
	d->sp_left--;
	if (d->n_hsp == d->cap_hsp)
		d->hsp = horch_xgrow(d->hsp, &d->cap_hsp, d->n_hsp + 1, sizeof *d->hsp);
	d->hsp[d->n_hsp].stream = stream;
	d->hsp[d->n_hsp].pos = pos;
	d->n_hsp++;
	d->hits[d->n_hits - 1].nsp++;
}

/* Add the term positions of hit h to the latest hit. */
static void hit_copy(struct match_doc *d, uint32_t h)
{
	uint32_t i, sp0 = d->hits[h].sp0, n = d->hits[h].nsp;

	if (d->sp_left < n)
		n = (uint32_t)d->sp_left; /* SPAN_STEPS spent: spans are cut */
	d->sp_left -= n;
	d->hsp = horch_xgrow(d->hsp, &d->cap_hsp, d->n_hsp + n, sizeof *d->hsp);
	for (i = 0; i < n; i++)
		d->hsp[d->n_hsp + i] = d->hsp[sp0 + i];
	d->n_hsp += n;
	d->hits[d->n_hits - 1].nsp += n;
}

/* Does atom a occur at position pos of stream st? */
static int atom_at(const struct ev *e, uint32_t a, uint32_t st, uint32_t pos)
{
	const struct match_doc *d = e->d;
	const struct astate *as = ev_atom(e, a);
	const struct occ *o;
	size_t lo, hi;

	if (!as || !(as->mask & (1u << st)))
		return 0;
	o = d->occ + as->first;
	lo = 0;
	hi = as->count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (o[mid].stream < st || (o[mid].stream == st && o[mid].pos < pos))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < as->count && o[lo].stream == st && o[lo].pos == pos;
}

/* The streams (a mask) in which node k can have a hit at all: those
 * where every term it needs occurs.  A cheap test before working out
 * hits. */
static unsigned hit_mask(const struct ev *e, uint32_t k)
{
	const struct mnode *x = &e->m->nodes[k];
	unsigned mask;
	uint32_t i;

	switch (x->kind) {
	case QN_TERM: {
		const struct astate *as = ev_atom(e, x->atom);

		return as ? as->mask : 0;
	}
	case QN_OR:
		for (i = 0, mask = 0; i < x->n_kids; i++)
			mask |= hit_mask(e, x->kid0 + i);
		return mask;
	case QN_NEAR:
	case QN_SENTENCE:
		if (x->n_kids != 2)
			return 0;
		/* fall through */
	case QN_PHRASE:
	case QN_PROX:
		if ((x->flags & MN_NEVER) || x->n_kids == 0)
			return 0;
		for (i = 0, mask = ~0u; i < x->n_kids && mask; i++)
			mask &= hit_mask(e, x->kid0 + i);
		return mask;
	default:
		return 0;
	}
}

static void node_hits(const struct ev *e, uint32_t k, uint32_t st, int one);

static int overlap(const struct hit *a, const struct hit *b)
{
	return !(a->end < b->start || b->end < a->start);
}

static uint32_t sentence_of(const struct match_doc *d, uint32_t st, uint32_t pos)
{
	const struct mstream *s = &d->s[st];

	return s->toks.v[s->pos[pos]].sentence;
}

/* Replace the hits from h0 on (the kids' hits) by those from h1 on (the
 * node's own); term positions stay where they are. */
static void hits_keep(struct match_doc *d, size_t h0, size_t h1)
{
	memmove(d->hits + h0, d->hits + h1, (d->n_hits - h1) * sizeof *d->hits);
	d->n_hits -= h1 - h0;
}

/* Term positions of one stream by position. */
static int occ_pos_cmp(const void *pa, const void *pb)
{
	const struct occ *a = pa, *b = pb;

	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int hit_cmp(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

/* Sort the hits from h0 on by (start, end) and merge the hits of equal
 * range into one that holds all their term positions.  A parent reads only
 * a hit's range, and spans are the union over hits (R23): merging changes
 * no answer, and it bounds a node's hits by the ranges a stream has, where
 * pairing every hit with every other would multiply them level by level. */
static void hits_merge(struct match_doc *d, size_t h0)
{
	size_t n = d->n_hits - h0, i, j, k;

	if (n < 2)
		return;
	qsort(d->hits + h0, n, sizeof *d->hits, hit_cmp);
	for (i = h0, k = h0; i < d->n_hits; i = j) {
		size_t total = 0, q, at;

		for (j = i + 1; j < d->n_hits && d->hits[j].start == d->hits[i].start &&
		     d->hits[j].end == d->hits[i].end; j++)
			;
		for (q = i; j - i > 1 && q < j; q++)
			total += d->hits[q].nsp;
		if (total) {
			/* one list of the positions of all of them, at the end of hsp */
			if (d->n_hsp + total > d->cap_hsp)
				d->hsp = horch_xgrow(d->hsp, &d->cap_hsp, d->n_hsp + total,
						     sizeof *d->hsp);
			at = d->n_hsp;
			for (q = i; q < j; q++) {
				memcpy(d->hsp + d->n_hsp, d->hsp + d->hits[q].sp0,
				       d->hits[q].nsp * sizeof *d->hsp);
				d->n_hsp += d->hits[q].nsp;
			}
			/* each position once: a hit's list is then no longer than
			 * its range */
			qsort(d->hsp + at, total, sizeof *d->hsp, occ_pos_cmp);
			for (q = at + 1, total = at + (total > 0); q < d->n_hsp; q++)
				if (d->hsp[q].pos != d->hsp[total - 1].pos)
					d->hsp[total++] = d->hsp[q];
			d->n_hsp = total;
			d->hits[i].sp0 = (uint32_t)at;
			d->hits[i].nsp = (uint32_t)(total - at);
		}
		d->hits[k++] = d->hits[i];
	}
	d->n_hits = k;
}

/* Join hits i and j of d into a new hit (their range, both their term
 * positions when spans are kept). */
static void hit_join(const struct ev *e, size_t i, size_t j)
{
	struct match_doc *d = e->d;
	uint32_t s1 = d->hits[i].start, s2 = d->hits[j].start;
	uint32_t e1 = d->hits[i].end, e2 = d->hits[j].end;

	hit_add(d, s1 < s2 ? s1 : s2, e1 > e2 ? e1 : e2);
	if (e->spans) {
		hit_copy(d, (uint32_t)i);
		hit_copy(d, (uint32_t)j);
	}
}

/* The first hit in [lo, hi) of d whose start is at least v (hits sorted
 * by start). */
static size_t first_start(const struct match_doc *d, size_t lo, size_t hi, uint64_t v)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->hits[mid].start < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The positions [*lo, *hi] of stream st that are in sentence sn. */
static void sentence_range(const struct match_doc *d, uint32_t st, uint32_t sn, uint32_t *lo,
			   uint32_t *hi)
{
	const struct mstream *s = &d->s[st];
	size_t a = 0, b = s->n_pos;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (s->toks.v[s->pos[mid]].sentence < sn)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = (uint32_t)a;
	b = s->n_pos;
	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (s->toks.v[s->pos[mid]].sentence <= sn)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = (uint32_t)a - 1;
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* R9, R11: every pair of a hit of kid 0 and a hit of kid 1 that fits.
 * Both kids' hits are merged by range and sorted; each hit of kid 0 finds
 * its partners by binary search (after it, before it, in its sentence)
 * instead of trying every hit of kid 1.  With one, the first pair ends it. */
static void pair_hits(const struct ev *e, const struct mnode *x, uint32_t st, int one)
{
	struct match_doc *d = e->d;
	size_t h0 = d->n_hits, a1, b1, i, j, n_b;
	uint64_t *by_end = NULL; /* end << 32 | hit index, in d->by_end */
	int before = !(x->flags & QN_F_ORDERED) && x->kind == QN_NEAR;

	node_hits(e, x->kid0, st, 0);
	hits_merge(d, h0);
	a1 = d->n_hits;
	if (a1 == h0)
		return;
	node_hits(e, x->kid0 + 1, st, 0);
	hits_merge(d, a1);
	b1 = d->n_hits;
	n_b = b1 - a1;
	if (n_b == 0) {
		d->n_hits = h0;
		return;
	}
	if (before) {
		/* kid 1's hits by end, for partners that end before a hit of
		 * kid 0 starts */
		/* the kids' NEARs are done: this scratch is free to reuse */
		if (d->cap_by_end < n_b)
			d->by_end = horch_xgrow(d->by_end, &d->cap_by_end, n_b, sizeof *d->by_end);
		by_end = d->by_end;
		for (j = 0; j < n_b; j++)
			by_end[j] = (uint64_t)d->hits[a1 + j].end << 32 | (a1 + j);
		qsort(by_end, n_b, sizeof *by_end, u64_cmp);
	}
	for (i = h0; i < a1; i++) {
		uint32_t as = d->hits[i].start, ae = d->hits[i].end;

		if (x->kind == QN_SENTENCE) {
			uint32_t sn = sentence_of(d, st, as), lo, hi;

			if (sentence_of(d, st, ae) != sn)
				continue;
			sentence_range(d, st, sn, &lo, &hi);
			for (j = first_start(d, a1, b1, lo); j < b1 && d->hits[j].start <= hi; j++) {
				if (d->hits[j].end > hi || !(d->hits[j].end < as || ae < d->hits[j].start))
					continue;
				hit_join(e, i, j);
				if (one)
					goto done;
			}
			continue;
		}
		/* a partner that starts after this hit ends, at most dist between */
		for (j = first_start(d, a1, b1, (uint64_t)ae + 1);
		     j < b1 && d->hits[j].start <= (uint64_t)ae + 1 + x->dist; j++) {
			hit_join(e, i, j);
			if (one)
				goto done;
		}
		if (!before)
			continue;
		/* a partner that ends before this hit starts, at most dist between */
		{
			uint64_t lo_end = as >= 1 + (uint64_t)x->dist ? as - 1 - (uint64_t)x->dist : 0;
			size_t lo = 0, hi = n_b;

			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;

				if ((by_end[mid] >> 32) < lo_end)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (j = lo; j < n_b && (by_end[j] >> 32) < as; j++) {
				hit_join(e, i, (uint32_t)by_end[j]);
				if (one)
					goto done;
			}
		}
	}
done:
	hits_keep(d, h0, b1);
	hits_merge(d, h0);
}

#define PROX_STEPS (1u << 18) /* choices a ~n group may try on one stream of one post */

/* R10: choose a hit for item k onwards of a ~n group.  Stops when
 * d->prox_left runs out, or at the first full choice with d->prox_one. */
static void prox_choose(const struct ev *e, const struct mnode *x, size_t k)
{
	struct match_doc *d = e->d;
	uint32_t lo_end = UINT32_MAX, hi_start = 0, i, j, start, end;

	if (d->prox_left == 0 || d->prox_done)
		return;
	d->prox_left--;
	for (j = 0; j < k; j++) {
		const struct hit *c = &d->hits[d->chosen[j]];

		if (c->end < lo_end)
			lo_end = c->end;
		if (c->start > hi_start)
			hi_start = c->start;
	}
	if (k > 0 && hi_start > lo_end && hi_start - lo_end > x->dist)
		return;
	if (k == x->n_kids) {
		start = d->hits[d->chosen[0]].start;
		end = d->hits[d->chosen[0]].end;
		for (j = 1; j < k; j++) {
			if (d->hits[d->chosen[j]].start < start)
				start = d->hits[d->chosen[j]].start;
			if (d->hits[d->chosen[j]].end > end)
				end = d->hits[d->chosen[j]].end;
		}
		hit_add(d, start, end);
		if (e->spans)
			for (j = 0; j < k; j++)
				hit_copy(d, d->chosen[j]);
		if (d->prox_one)
			d->prox_done = 1;
		return;
	}
	for (i = d->item0[k]; i < d->item0[k + 1] && !d->prox_done; i++) {
		for (j = 0; j < k; j++)
			if (overlap(&d->hits[d->chosen[j]], &d->hits[i]))
				break;
		if (j < k)
			continue;
		d->chosen[k] = i;
		prox_choose(e, x, k + 1);
	}
}

/* R10: every hit of a ~n group, its items' hits merged by range first.
 * The choices tried are capped at PROX_STEPS per stream of a post (a group
 * of many common words over a long post has more choices than any budget):
 * past it, the group has the hits found so far. */
static void prox_hits(const struct ev *e, const struct mnode *x, uint32_t st, int one)
{
	struct match_doc *d = e->d;
	size_t h0 = d->n_hits, h1, i;
	uint32_t *save_item0, *save_chosen;
	uint32_t outer_left = d->prox_left;
	int outer_one = d->prox_one, outer_done = d->prox_done;

	/* ~n groups may nest (an OR item can hold another ~n): keep the
	 * caller's bookkeeping on the side */
	save_item0 = horch_xmalloc((x->n_kids + 1) * sizeof *save_item0);
	for (i = 0; i < x->n_kids; i++) {
		save_item0[i] = (uint32_t)d->n_hits;
		node_hits(e, x->kid0 + (uint32_t)i, st, 0);
		hits_merge(d, save_item0[i]);
	}
	save_item0[x->n_kids] = (uint32_t)d->n_hits;
	h1 = d->n_hits;
	save_chosen = horch_xcalloc(x->n_kids + 1, sizeof *save_chosen);
	{
		uint32_t *outer_item0 = d->item0, *outer_chosen = d->chosen;

		d->item0 = save_item0;
		d->chosen = save_chosen;
		d->prox_left = PROX_STEPS;
		d->prox_one = one;
		d->prox_done = 0;
		for (i = 0; i < x->n_kids; i++)
			if (save_item0[i] == save_item0[i + 1])
				break;
		if (i == x->n_kids)
			prox_choose(e, x, 0);
		d->item0 = outer_item0;
		d->chosen = outer_chosen;
	}
	d->prox_left = outer_left;
	d->prox_one = outer_one;
	d->prox_done = outer_done;
	free(save_item0);
	free(save_chosen);
	hits_keep(d, h0, h1);
	hits_merge(d, h0);
}

/* Append every hit of positional node k in stream st to d->hits; with
 * one, stop at the first (enough to decide a match without spans). */
static void node_hits(const struct ev *e, uint32_t k, uint32_t st, int one)
{
	const struct mnode *x = &e->m->nodes[k];
	struct match_doc *d = e->d;
	uint32_t i, j;

	if (!(hit_mask(e, k) & (1u << st)))
		return;
	switch (x->kind) {
	case QN_TERM: {
		const struct astate *as = ev_atom(e, x->atom);
		const struct occ *o = d->occ + as->first;

		for (i = 0; i < as->count; i++) {
			if (o[i].stream != st)
				continue;
			hit_add(d, o[i].pos, o[i].pos);
			if (e->spans)
				hit_pos(d, st, o[i].pos);
			if (one)
				break;
		}
		break;
	}
	case QN_PHRASE: {
		const struct astate *as = ev_atom(e, e->m->nodes[x->kid0].atom);
		const struct occ *o = d->occ + as->first;
		uint32_t n_pos = (uint32_t)d->s[st].n_pos;

		if (x->n_kids > n_pos)
			break;
		for (i = 0; i < as->count; i++) {
			uint32_t p = o[i].pos;

			if (o[i].stream != st || p + x->n_kids > n_pos)
				continue;
			for (j = 1; j < x->n_kids; j++)
				if (!atom_at(e, e->m->nodes[x->kid0 + j].atom, st, p + j))
					break;
			if (j < x->n_kids)
				continue;
			hit_add(d, p, p + x->n_kids - 1);
			if (e->spans)
				for (j = 0; j < x->n_kids; j++)
					hit_pos(d, st, p + j);
			if (one)
				break;
		}
		break;
	}
	case QN_OR:
		for (i = 0; i < x->n_kids; i++) {
			size_t h0 = d->n_hits;

			node_hits(e, x->kid0 + i, st, one);
			if (one && d->n_hits > h0)
				break;
		}
		break;
	case QN_NEAR:
	case QN_SENTENCE:
		pair_hits(e, x, st, one);
		break;
	case QN_PROX:
		prox_hits(e, x, st, one);
		break;
	default:
		break;
	}
}

/* ---- boolean evaluation (R13, R14) ---- */

static int is_positional(int kind)
{
	return kind == QN_TERM || kind == QN_PHRASE || kind == QN_PROX || kind == QN_NEAR ||
	       kind == QN_SENTENCE;
}

/* Add the byte spans of the hits from h0 on, found in stream st, to d->sp. */
static void spans_of_hits(struct match_doc *d, size_t h0, uint32_t st)
{
	const struct mstream *s = &d->s[st];
	size_t i, j;

	for (i = h0; i < d->n_hits; i++)
		for (j = 0; j < d->hits[i].nsp; j++) {
			const struct occ *o = &d->hsp[d->hits[i].sp0 + j];
			const struct token *tk = &s->toks.v[s->pos[o->pos]];

			span_add(d, st == ST_TITLE ? MATCH_TITLE : MATCH_TEXT, tk->off, tk->len);
		}
}

/* Does node k match in the streams of mask sm?  On a match with e->spans,
 * its spans are appended to d->sp; on a miss d->sp is as it was. */
static int eval(const struct ev *e, uint32_t k, unsigned sm)
{
	const struct mnode *x = &e->m->nodes[k];
	struct match_doc *d = e->d;
	size_t before = d->n_sp;
	uint32_t i, st;
	int m = 0;

	if (is_positional(x->kind)) {
		unsigned hm = hit_mask(e, k) & sm;

		if (!hm)
			return 0;
		if (x->kind == QN_TERM && !e->spans)
			return 1;
		for (st = 0; st < ST__N; st++) {
			size_t h0 = d->n_hits, p0 = d->n_hsp;

			if (!(hm & (1u << st)))
				continue;
			node_hits(e, k, st, !e->spans);
			if (d->n_hits > h0) {
				m = 1;
				if (e->spans && st <= ST_TEXT)
					spans_of_hits(d, h0, st);
			}
			d->n_hits = h0;
			d->n_hsp = p0;
			if (m && !e->spans)
				break;
		}
		return m;
	}
	switch (x->kind) {
	case QN_OR:
		for (i = 0; i < x->n_kids; i++)
			if (eval(e, x->kid0 + i, sm)) {
				m = 1;
				if (!e->spans)
					break;
			}
		break;
	case QN_AND:
		m = 1;
		for (i = 0; i < x->n_kids && m; i++) {
			const struct mnode *kid = &e->m->nodes[x->kid0 + i];

			if (kid->kind == QN_NOT) {
				struct ev quiet = *e;

				quiet.spans = 0;
				if (kid->n_kids && eval(&quiet, kid->kid0, sm))
					m = 0;
			} else if (!eval(e, x->kid0 + i, sm)) {
				m = 0;
			}
		}
		break;
	case QN_NOT: {
		struct ev quiet = *e;

		quiet.spans = 0;
		m = !(x->n_kids && eval(&quiet, x->kid0, sm));
		break;
	}
	case QN_FIELD: {
		unsigned fm = x->field == QF_TITLE ? 1u << ST_TITLE :
			      x->field == QF_TEXT ? 1u << ST_TEXT :
			      x->field == QF_AUTHOR ? SM_AUTHOR : 0;

		m = x->n_kids && fm && eval(e, x->kid0, fm);
		break;
	}
	case QN_KEYWORD:
		m = keyword_match(e->m, d, x, e->spans);
		break;
	case QN_RANGE:
		m = range_match(e->m, d->p, x);
		break;
	default:
		break;
	}
	if (!m)
		d->n_sp = before;
	return m;
}


/* The streams term node x's atom occurs in. */
static inline unsigned term_mask(const struct ev *e, const struct mnode *x)
{
	uint32_t b = x->kid0, i;

	if (!(e->d->present[b >> 6] & (1ull << (b & 63))))
		return 0;
	i = e->aidx[x->atom];
	return i ? e->d->as[i - 1].mask : 0;
}

/* Does a phrase of terms (node x) occur in a stream of mask hm (every
 * word of it occurs there)?  The first occurrence decides. */
static int phrase_in(const struct ev *e, const struct mnode *x, unsigned hm)
{
	const struct astate *as = ev_atom(e, e->m->nodes[x->kid0].atom);
	const struct occ *o = e->d->occ + as->first;
	uint32_t i, j;

	for (i = 0; i < as->count; i++) {
		uint32_t st = o[i].stream, p = o[i].pos;

		if (!(hm & (1u << st)) || p + x->n_kids > e->d->s[st].n_pos)
			continue;
		for (j = 1; j < x->n_kids; j++)
			if (!atom_at(e, e->m->nodes[x->kid0 + j].atom, st, p + j))
				break;
		if (j == x->n_kids)
			return 1;
	}
	return 0;
}

/* Does node k match in the streams of mask sm?  The same answer as
 * eval() without spans, with terms, phrases and the boolean operators
 * decided here on the atom masks and the rest handed to eval(): a
 * candidate is mostly ORs and ANDs of words and phrases. */
static int decide(const struct ev *e, uint32_t k, unsigned sm)
{
	const struct mnode *x = &e->m->nodes[k], *kid;
	uint32_t i;
	unsigned mask;

	switch (x->kind) {
	case QN_TERM:
		return (term_mask(e, x) & sm) != 0;
	case QN_PHRASE:
		if (x->flags & MN_NEVER)
			return 0;
		for (i = 0, mask = sm; i < x->n_kids && mask; i++)
			mask &= term_mask(e, &e->m->nodes[x->kid0 + i]);
		return mask && phrase_in(e, x, mask);
	case QN_OR:
		for (i = 0; i < x->n_kids; i++) {
			kid = &e->m->nodes[x->kid0 + i];
			if (kid->kind == QN_TERM ? (term_mask(e, kid) & sm) != 0 :
			    decide(e, x->kid0 + i, sm))
				return 1;
		}
		return 0;
	case QN_AND:
		for (i = 0; i < x->n_kids; i++) {
			kid = &e->m->nodes[x->kid0 + i];
			if (kid->kind == QN_TERM) {
				if (!(term_mask(e, kid) & sm))
					return 0;
			} else if (kid->kind == QN_NOT) {
				if (kid->n_kids && decide(e, kid->kid0, sm))
					return 0;
			} else if (!decide(e, x->kid0 + i, sm)) {
				return 0;
			}
		}
		return 1;
	case QN_NOT:
		return !(x->n_kids && decide(e, x->kid0, sm));
	case QN_FIELD:
		mask = x->field == QF_TITLE ? 1u << ST_TITLE : x->field == QF_TEXT ? 1u << ST_TEXT :
		       x->field == QF_AUTHOR ? SM_AUTHOR : 0;
		return x->n_kids && mask && decide(e, x->kid0, mask);
	default:
		return eval(e, k, sm);
	}
}

/* The byte span of position pos of stream st (title or text) to d->sp. */
static void span_of_pos(struct match_doc *d, uint32_t st, uint32_t pos)
{
	const struct mstream *s = &d->s[st];
	const struct token *tk = &s->toks.v[s->pos[pos]];

	span_add(d, st == ST_TITLE ? MATCH_TITLE : MATCH_TEXT, tk->off, tk->len);
}

/* eval() with spans, for a topic decide() found to match: terms, phrases
 * and the boolean operators walked here on the atoms' positions (every
 * occurrence of a term, every hit of a phrase, in the title and text), the
 * rest handed to eval().  The same spans as eval() (rule R23): all items
 * of a matching OR, all items of a matching AND, nothing of a NOT. */
static int spans_of(const struct ev *e, uint32_t k, unsigned sm)
{
	const struct mnode *x = &e->m->nodes[k], *kid;
	struct match_doc *d = e->d;
	struct ev quiet = *e; /* for NOT items: decided, no spans kept */
	size_t before = d->n_sp;
	const struct astate *as;
	const struct occ *o;
	unsigned mask;
	uint32_t i, j;
	int m = 0;

	switch (x->kind) {
	case QN_TERM:
		mask = term_mask(e, x) & sm;
		if (!mask)
			return 0;
		as = ev_atom(e, x->atom);
		o = d->occ + as->first;
		for (i = 0; i < as->count; i++)
			if (o[i].stream <= ST_TEXT && (mask & (1u << o[i].stream)))
				span_of_pos(d, o[i].stream, o[i].pos);
		return 1;
	case QN_PHRASE:
		if (x->flags & MN_NEVER)
			return 0;
		for (i = 0, mask = sm; i < x->n_kids && mask; i++)
			mask &= term_mask(e, &e->m->nodes[x->kid0 + i]);
		if (!mask)
			return 0;
		as = ev_atom(e, e->m->nodes[x->kid0].atom);
		o = d->occ + as->first;
		for (i = 0; i < as->count; i++) {
			uint32_t st = o[i].stream, p = o[i].pos;

			if (!(mask & (1u << st)) || p + x->n_kids > d->s[st].n_pos)
				continue;
			for (j = 1; j < x->n_kids; j++)
				if (!atom_at(e, e->m->nodes[x->kid0 + j].atom, st, p + j))
					break;
			if (j < x->n_kids)
				continue;
			m = 1;
			if (st <= ST_TEXT)
				for (j = 0; j < x->n_kids; j++)
					span_of_pos(d, st, p + j);
		}
		return m;
	case QN_OR:
		for (i = 0; i < x->n_kids; i++)
			if (spans_of(e, x->kid0 + i, sm))
				m = 1;
		return m;
	case QN_AND:
		for (i = 0; i < x->n_kids; i++) {
			kid = &e->m->nodes[x->kid0 + i];
			quiet.spans = 0;
			if (kid->kind == QN_NOT ? kid->n_kids && decide(&quiet, kid->kid0, sm) :
			    !spans_of(e, x->kid0 + i, sm)) {
				d->n_sp = before;
				return 0;
			}
		}
		return 1;
	case QN_NOT:
		quiet.spans = 0;
		return !(x->n_kids && decide(&quiet, x->kid0, sm));
	case QN_FIELD:
		mask = x->field == QF_TITLE ? 1u << ST_TITLE : x->field == QF_TEXT ? 1u << ST_TEXT :
		       x->field == QF_AUTHOR ? SM_AUTHOR : 0;
		return x->n_kids && mask && spans_of(e, x->kid0, mask);
	default:
		return eval(e, k, sm);
	}
}

static int span_cmp(const void *pa, const void *pb)
{
	const struct match_span *a = pa, *b = pb;

	if (a->part != b->part)
		return a->part < b->part ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Verify topic t; on a match append it (with spans when asked) to out. */
static int verify(const struct matcher *m, struct match_doc *d, uint32_t t, unsigned flags,
		  struct match_result *out)
{
	struct ev e = { m, d, out->aidx, 0 };
	struct match_hit *h;
	size_t i, k;

	if (m->roots[t] == UINT32_MAX || !decide(&e, m->roots[t], SM_BODY))
		return 0;
	if (out->n == out->cap)
		out->hits = horch_xgrow(out->hits, &out->cap, out->n + 1, sizeof *out->hits);
	if ((flags & MATCH_ORDERED) && out->cap_key < out->cap) {
		/* key keeps its entries; the sorting scratch need not */
		out->key = horch_xrealloc(out->key, out->cap * sizeof *out->key);
		free(out->ord);
		free(out->tord);
		free(out->thits);
		out->ord = horch_xmalloc(out->cap * sizeof *out->ord);
		out->tord = horch_xmalloc(out->cap * sizeof *out->tord);
		out->thits = horch_xmalloc(out->cap * sizeof *out->thits);
		free(out->run);
		out->run = horch_xmalloc((out->cap + 1) * sizeof *out->run);
		out->cap_key = out->cap;
	}
	if (flags & MATCH_ORDERED)
		out->key[out->n] = m->orig[t];
	h = &out->hits[out->n++];
	h->topic = m->ids[t];
	h->span0 = (uint32_t)out->n_spans;
	h->n_spans = 0;
	if (!(flags & MATCH_SPANS))
		return 1;
	e.spans = 1;
	d->n_sp = 0;
	d->sp_left = SPAN_STEPS;
	spans_of(&e, m->roots[t], SM_BODY);
	if (d->n_sp > 1)
		qsort(d->sp, d->n_sp, sizeof *d->sp, span_cmp);
	out->spans = horch_xgrow(out->spans, &out->cap_spans, out->n_spans + d->n_sp,
				 sizeof *out->spans);
	for (i = 0, k = 0; i < d->n_sp; i++)
		if (k == 0 || span_cmp(&out->spans[out->n_spans + k - 1], &d->sp[i]) != 0)
			out->spans[out->n_spans + k++] = d->sp[i];
	out->n_spans += k;
	h->n_spans = (uint32_t)k;
	return 1;
}

void match_result_init(struct match_result *r)
{
	memset(r, 0, sizeof *r);
}

void match_result_cleanup(struct match_result *r)
{
	if (!r)
		return;
	free(r->hits);
	free(r->spans);
	free(r->seen);
	free(r->words);
	free(r->aidx);
	free(r->key);
	free(r->ord);
	free(r->tord);
	free(r->thits);
	free(r->run);
	match_result_init(r);
}

/* Put the hits of r back in the order of matcher_build() (r->key): they
 * were found in the matcher's own order of topics, which is a few runs in
 * build order (the topics filed together under one atom keep their build
 * order).  The keys, each with its hit's index below it, are merged run by
 * run as 64-bit numbers, and the hits moved once. */
static void sort_hits(struct match_result *r)
{
	uint64_t *k = r->ord, *t = r->tord, *swap;
	uint32_t *run = r->run, n_run = 0;
	size_t n = r->n, i;

	for (i = 1; i < n && r->key[i - 1] < r->key[i]; i++)
		;
	if (i >= n)
		return;
	for (i = 0; i < n; i++) {
		k[i] = (uint64_t)r->key[i] << 32 | i;
		if (i == 0 || r->key[i - 1] > r->key[i])
			run[n_run++] = (uint32_t)i;
	}
	run[n_run] = (uint32_t)n;
	/* merge neighbouring runs until one is left */
	while (n_run > 1) {
		uint32_t a, out = 0;

		for (a = 0; a < n_run; a += 2) {
			size_t x = run[a], xe = run[a + 1], y = xe, ye, o = x;

			run[out++] = run[a];
			if (a + 1 == n_run) {
				memcpy(t + x, k + x, (xe - x) * sizeof *k);
				continue;
			}
			ye = run[a + 2];
			while (x < xe && y < ye)
				t[o++] = k[x] < k[y] ? k[x++] : k[y++];
			while (x < xe)
				t[o++] = k[x++];
			while (y < ye)
				t[o++] = k[y++];
		}
		run[out] = (uint32_t)n;
		n_run = out;
		swap = k, k = t, t = swap;
	}
	for (i = 0; i < n; i++)
		r->thits[i] = r->hits[(uint32_t)k[i]];
	memcpy(r->hits, r->thits, n * sizeof *r->hits);
	for (i = 0; i < n; i++)
		r->key[i] = (uint32_t)(k[i] >> 32);
}

/* Ask for the cache lines of topic t's nodes (at most four; a topic's
 * nodes lie together, from its root to the next topic's). */
static void prefetch_topic(const struct matcher *m, uint32_t t)
{
	uint32_t r = m->roots[t], end = t + 1 < m->n_topics ? m->roots[t + 1] : UINT32_MAX, k;

	if (r == UINT32_MAX)
		return;
	if (end == UINT32_MAX || end < r)
		end = (uint32_t)m->n_nodes;
	for (k = r; k < end && k < r + 16; k += 4)
		__builtin_prefetch(&m->nodes[k]);
}

int matcher_could_match(const struct matcher *m, struct match_doc *d)
{
	if (!m || m->n_topics == 0)
		return 0;
	/* A topic filed under no atom (lang:en alone, a NOT) is verified on
	 * every post: any post could match it. */
	if (m->n_always)
		return 1;
	lookup(m, d);
	return d->n_as > 0;
}

size_t matcher_match(const struct matcher *m, struct match_doc *d, unsigned flags,
		     struct match_result *out)
{
	size_t i, need, n_words;

	out->n = 0;
	out->n_spans = 0;
	if (!m || m->n_topics == 0)
		return 0;
	lookup(m, d);
	aidx_set(m, d, out);
	d->n_hits = d->n_hsp = 0;
	if (flags & MATCH_EVERY) {
		for (i = 0; i < m->n_topics; i++)
			verify(m, d, (uint32_t)i, flags, out);
		aidx_clear(d, out);
		if (flags & MATCH_ORDERED)
			sort_hits(out);
		return out->n;
	}
	/* candidates: the topics filed under an atom of the post, and those
	 * filed under none, as bits in out->seen, in topic order */
	need = (m->n_topics + 63) / 64;
	if (out->cap_seen < need) {
		free(out->seen);
		out->seen = horch_xcalloc(need, sizeof *out->seen);
		out->cap_seen = need;
	}
	for (i = 0, n_words = 0; i <= d->n_as; i++) {
		const uint32_t *t, *t_end;

		if (i < d->n_as) {
			t = m->postings + m->post0[d->as[i].atom];
			t_end = m->postings + m->post0[d->as[i].atom + 1];
		} else if (m->n_always) {
			t = m->always;
			t_end = m->always + m->n_always;
		} else {
			break;
		}
		for (; t < t_end; t++) {
			uint32_t w = *t >> 6;

			if (!out->seen[w]) {
				if (n_words == out->cap_words)
					out->words = horch_xgrow(out->words, &out->cap_words, n_words + 1,
							 sizeof *out->words);
				out->words[n_words++] = w;
			}
			out->seen[w] |= 1ull << (*t & 63);
		}
	}
	/* in topic order: sort the words, or when many are set, walk them all */
	if (n_words * 8 > need) {
		for (i = 0, n_words = 0; i < need; i++)
			if (out->seen[i])
				out->words[n_words++] = (uint32_t)i;
	} else {
		sort_u32(out->words, n_words);
	}
	d->n_cand = 0;
	for (i = 0; i < n_words; i++) {
		uint32_t w = out->words[i];
		uint64_t bits = out->seen[w];

		out->seen[w] = 0;
		if (d->n_cand + 64 > d->cap_cand)
			d->cand = horch_xgrow(d->cand, &d->cap_cand, d->n_cand + 64, sizeof *d->cand);
		for (; bits; bits &= bits - 1)
			d->cand[d->n_cand++] = w * 64 + (uint32_t)__builtin_ctzll(bits);
	}
	/* a candidate's nodes are the cache misses of verification: ask for
	 * those of a later candidate while verifying one */
	for (i = 0; i < d->n_cand && i < 4; i++)
		prefetch_topic(m, d->cand[i]);
	for (i = 0; i < d->n_cand; i++) {
		if (i + 8 < d->n_cand)
			__builtin_prefetch(&m->roots[d->cand[i + 8]]);
		if (i + 4 < d->n_cand)
			prefetch_topic(m, d->cand[i + 4]);
		verify(m, d, d->cand[i], flags, out);
	}
	aidx_clear(d, out);
	if (flags & MATCH_ORDERED)
		sort_hits(out);
	return out->n;
}

/* ---- explain ---- */

/* The first clause under node k (matched in streams sm) that fails. */
static uint32_t first_failing(const struct ev *e, uint32_t k, unsigned sm)
{
	const struct mnode *x = &e->m->nodes[k];
	uint32_t i;

	if (x->kind == QN_AND) {
		for (i = 0; i < x->n_kids; i++) {
			const struct mnode *kid = &e->m->nodes[x->kid0 + i];

			if (kid->kind == QN_NOT) {
				if (kid->n_kids && eval(e, kid->kid0, sm))
					return x->kid0 + i;
			} else if (!eval(e, x->kid0 + i, sm)) {
				return first_failing(e, x->kid0 + i, sm);
			}
		}
	} else if (x->kind == QN_FIELD && x->n_kids && x->field != QF_NONE) {
		unsigned fm = x->field == QF_TITLE ? 1u << ST_TITLE :
			      x->field == QF_TEXT ? 1u << ST_TEXT : SM_AUTHOR;
		const struct mnode *kid = &e->m->nodes[x->kid0];

		if (kid->kind == QN_AND)
			return first_failing(e, x->kid0, fm);
	}
	return k;
}

int match_explain(const struct query *q, struct match_doc *d, struct match_result *out,
		  uint32_t *fail_off, uint32_t *fail_end)
{
	return match_explain_with(q, NULL, 0, d, out, fail_off, fail_end);
}

int match_explain_with(const struct query *q, const struct matcher_topic *topics, size_t n,
		       struct match_doc *d, struct match_result *out, uint32_t *fail_off,
		       uint32_t *fail_end)
{
	struct matcher_topic one = { 0, q, NULL };
	struct matcher *m = NULL;
	struct match_result local;
	struct horch_err err;
	int hit = 0;

	match_result_init(&local);
	if (!out)
		out = &local;
	out->n = out->n_spans = 0;
	if (fail_off)
		*fail_off = 0;
	if (fail_end)
		*fail_end = 0;
	if (build_topics(&m, &one, 1, topics, n, NULL, 0, &err) != 0)
		goto done;
	hit = matcher_match(m, d, MATCH_SPANS | MATCH_EVERY, out) > 0;
	if (!hit && m->roots[0] != UINT32_MAX) {
		struct ev e = { m, d, NULL, 0 };
		uint32_t k;

		aidx_set(m, d, out); /* d still holds the lookup of m */
		e.aidx = out->aidx;
		k = first_failing(&e, m->roots[0], SM_BODY);
		aidx_clear(d, out);
		if (fail_off)
			*fail_off = m->where[k].off;
		if (fail_end)
			*fail_end = m->where[k].end;
	} else if (!hit) {
		if (fail_off)
			*fail_off = 0;
		if (fail_end)
			*fail_end = 0;
	}
done:
	matcher_free(m);
	match_result_cleanup(&local);
	return hit;
}

/* ---- hot reload ---- */

struct matcher_slot {
	pthread_mutex_t lock;
	struct matcher *cur;
};

struct matcher_slot *matcher_slot_new(struct matcher *m)
{
	struct matcher_slot *s = horch_xcalloc(1, sizeof *s);

	pthread_mutex_init(&s->lock, NULL);
	s->cur = m;
	return s;
}

void matcher_slot_free(struct matcher_slot *s)
{
	if (!s)
		return;
	matcher_put(s->cur);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

const struct matcher *matcher_slot_get(struct matcher_slot *s)
{
	struct matcher *m;

	pthread_mutex_lock(&s->lock);
	m = s->cur;
	if (m)
		atomic_fetch_add(&m->refs, 1);
	pthread_mutex_unlock(&s->lock);
	return m;
}

void matcher_put(const struct matcher *cm)
{
	/* The reference count is the one mutable part of a shared matcher. */
	struct matcher *m = (struct matcher *)(uintptr_t)cm;

	if (m && atomic_fetch_sub(&m->refs, 1) == 1)
		matcher_free(m);
}

void matcher_slot_swap(struct matcher_slot *s, struct matcher *m)
{
	struct matcher *old;

	pthread_mutex_lock(&s->lock);
	old = s->cur;
	s->cur = m;
	pthread_mutex_unlock(&s->lock);
	matcher_put(old);
}
