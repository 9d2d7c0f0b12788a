/* cluster.c - the complaint and question clusters of the launch scorecard:
 * give each text to the cluster of its most telling term and label each
 * cluster by the terms its texts share (cluster.h has the contract,
 * docs/internals/clusters.md the method and why).
 *
 * One pass tokenises every text (text_tokenise()) and looks each word or
 * hashtag up in an open-addressing hash table of the terms seen so far,
 * keyed by the folded form; whether a term counts (trend_is_term(): the
 * same rule as the trending terms) is decided once, when the term is
 * first seen.  Each text keeps the list of its distinct terms (a serial
 * number per text marks the terms it counted already).  A second pass
 * counts the baseline texts' terms, looking them up only.  Then the terms
 * are sorted once by their weight, each text picks the best-ranked of its
 * terms, and the texts are sorted by (cluster, weight, id), which makes
 * each cluster a run whose first text is its example and whose weight is
 * summed in an order that does not depend on the input's.  Clusters whose
 * terms mostly occur in the same texts then merge (an inverted list per
 * cluster term counts the texts each pair shares), and the texts are
 * sorted again.  The cost is linear in the tokens plus a few sorts: no
 * pair of texts is ever compared. */
#include "cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/hash.h"
#include "../text/text.h"
#include "trending.h"

_Static_assert(CLUSTER_TERM_MAX == TREND_TERM_MAX, "a cluster's term holds any trending term");
_Static_assert(CLUSTER_TERM_MAX < CLUSTER_LABEL_MAX, "a label holds its main term");

/* The separator of a label's terms: " · " (U+00B7 MIDDLE DOT). */
#define LABEL_SEP " \xC2\xB7 "
#define LABEL_SEP_LEN 4u

/* A label's further terms: in at least LABEL_MIN_TEXTS of the cluster's
 * texts and in at least one text in LABEL_MIN_FRACTION. */
#define LABEL_MIN_TEXTS 2u
#define LABEL_MIN_FRACTION 10u
#define LABEL_MORE_TERMS 2u

/* The cluster terms of one text that count when clusters are merged: the
 * best-ranked ones.  Counting the pairs of a text's terms costs the square
 * of their number; this bounds it (only long texts have more). */
#define MERGE_TERMS 16u

struct term {
	uint64_t hash;
	uint32_t off;       /* the folded form, NUL-terminated, at pool.ptr + off */
	uint32_t len;       /* its byte length */
	uint64_t seen;      /* serial of the last text that counted it */
	uint32_t df;        /* texts of docs with the term */
	uint32_t df_base;   /* baseline texts with the term */
	uint32_t rank;      /* place in the order of weight, 0 the most telling */
	uint32_t count;     /* texts of the cluster being labelled with the term */
	int kept;           /* 1: a term (trend_is_term()); 0: seen, left out */
	double idf;         /* log((N_base + 1) / (df_base + 1)), 1 without a baseline */
};

/* Everything one call of cluster_texts() builds. */
struct work {
	struct trend *rules;      /* the query's terms to leave out */
	struct tokens tok;
	struct term *terms;       /* n_terms of them, in order of first sight */
	size_t n_terms, cap_terms;
	uint32_t *slot;           /* n_slots (a power of two): index + 1 into terms, 0 free */
	size_t n_slots;
	struct buf pool;          /* the terms' folded forms */
	uint64_t serial;          /* of the text being added */
	uint32_t *ids;            /* every text's distinct counted terms, back to back */
	size_t n_ids, cap_ids;
	size_t *start;            /* text i's terms are ids[start[i]..start[i + 1]) */
};

/* One text in a cluster. */
struct member {
	uint32_t key;       /* its cluster: the rank of its most telling term, after
			     * merging the place of the merged cluster */
	uint32_t doc;       /* index into docs */
	double weight;
	int64_t id;
};

/* One cluster while they are ordered: members[first..first + n). */
struct run {
	uint32_t term;      /* its main term, an index into terms */
	const char *s;      /* that term's folded form */
	size_t first, n;
	double weight;      /* the members' summed weight */
};

/* ---- the term table ---- */

/* Double the slot table and place every term again. */
static void grow_slots(struct work *w)
{
	size_t n = w->n_slots * 2, mask = n - 1;
	uint32_t *slot = horch_xcalloc(n, sizeof *slot);

	for (size_t i = 0; i < w->n_terms; i++) {
		size_t j = (size_t)w->terms[i].hash & mask;

		while (slot[j])
			j = (j + 1) & mask;
		slot[j] = (uint32_t)(i + 1);
	}
	free(w->slot);
	w->slot = slot;
	w->n_slots = n;
}

/* The term s[0..len); with insert, a new entry when it is not in the
 * table yet.  Returns NULL when it is not there and insert is 0, or when
 * the table holds TREND_TERMS_MAX terms already. */
static struct term *lookup(struct work *w, const char *s, size_t len, int insert)
{
	uint64_t h = horch_fnv1a(HORCH_FNV_BASIS, s, len);
	size_t mask = w->n_slots - 1, j = (size_t)h & mask;
	struct term *tm;

	for (; w->slot[j]; j = (j + 1) & mask) {
		tm = &w->terms[w->slot[j] - 1];
		if (tm->hash == h && tm->len == len && memcmp(w->pool.ptr + tm->off, s, len) == 0)
			return tm;
	}
	if (!insert || w->n_terms >= TREND_TERMS_MAX)
		return NULL;
	w->terms = horch_xgrow(w->terms, &w->cap_terms, w->n_terms + 1, sizeof *w->terms);
	tm = &w->terms[w->n_terms];
	memset(tm, 0, sizeof *tm);
	tm->hash = h;
	/* The pool has no cap, and terms are at most TREND_TERM_MAX bytes:
	 * it stays below 2^32 with TREND_TERMS_MAX terms. */
	tm->off = (uint32_t)w->pool.len;
	tm->len = (uint32_t)len;
	buf_append(&w->pool, s, len);
	buf_putc(&w->pool, '\0');
	/* Decided once per term rather than once per token: the stop-word
	 * search is the dearest part of the rule. */
	tm->kept = trend_is_term(w->rules, w->pool.ptr + tm->off, len);
	w->slot[j] = (uint32_t)(++w->n_terms);
	if (w->n_terms * 2 > w->n_slots)
		grow_slots(w);
	return tm;
}

/* Count the terms of s (may be NULL) for the text being added: as a text
 * of docs (baseline 0: new terms enter the table, and each term counted
 * is appended to ids) or of the baseline (only terms of docs count). */
static void add_part(struct work *w, const char *s, size_t len, int baseline)
{
	if (!s || !len)
		return;
	/* The length was checked against TEXT_MAX, the tokenizer's only
	 * failure. */
	if (text_tokenise(&w->tok, s, len))
		return;
	for (size_t i = 0; i < w->tok.n; i++) {
		const struct token *k = &w->tok.v[i];
		struct term *tm;

		/* The kinds trend_add() counts. */
		if (k->kind != TOKEN_WORD && k->kind != TOKEN_HASHTAG)
			continue;
		if (k->fold_len > TREND_TERM_MAX)
			continue;
		tm = lookup(w, w->tok.fold.ptr + k->fold_off, k->fold_len, !baseline);
		if (!tm || !tm->kept || tm->seen == w->serial)
			continue;
		tm->seen = w->serial;
		if (baseline) {
			tm->df_base++;
		} else {
			tm->df++;
			w->ids = horch_xgrow(w->ids, &w->cap_ids, w->n_ids + 1, sizeof *w->ids);
			w->ids[w->n_ids++] = (uint32_t)(tm - w->terms);
		}
	}
}

/* Count the terms of one text; a text with a part longer than TEXT_MAX
 * counts none. */
static void add_doc(struct work *w, const struct cluster_doc *d, int baseline)
{
	size_t title_len = d->title ? strlen(d->title) : 0;
	size_t text_len = d->text ? strlen(d->text) : 0;

	w->serial++;
	if (title_len > TEXT_MAX || text_len > TEXT_MAX)
		return;
	add_part(w, d->title, title_len, baseline);
	add_part(w, d->text, text_len, baseline);
}


/* ---- ordering ---- */

/* The folded form of tm, NUL-terminated (valid until the pool grows). */
static const char *term_str(const struct work *w, const struct term *tm)
{
	return w->pool.ptr + tm->off;
}

/* A term while the terms are ranked. */
struct ranked {
	double weight;
	uint32_t df;
	uint32_t index;     /* into terms */
	const char *s;
};

/* The most telling first: the higher weight, then the higher df, then
 * the term bytewise. */
static int by_weight(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (x->df != y->df)
		return x->df > y->df ? -1 : 1;
	return strcmp(x->s, y->s);
}

/* By cluster, then the heaviest first, then the lowest id.  Members equal
 * in all three are interchangeable: they give the same example and the
 * same sum. */
static int by_cluster(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* The biggest first: more texts, then more weight, then the term
 * bytewise. */
static int by_size(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->s, y->s);
}

/* 1 when term a tells more about a cluster than term b: the higher
 * count times idf, then the higher count, then the term bytewise. */
static int better_label(const struct work *w, const struct term *a, const struct term *b)
{
	double sa = (double)a->count * a->idf, sb = (double)b->count * b->idf;

	if (sa != sb)
		return sa > sb;
	if (a->count != b->count)
		return a->count > b->count;
	return strcmp(term_str(w, a), term_str(w, b)) < 0;
}

/* ---- the answer ---- */

/* Fill c with the cluster run of the members mem, among n_all texts:
 * its term, size, weight, share, example and label.  touched is scratch
 * of room for every term. */
static void describe(struct work *w, const struct run *run, const struct member *mem,
		     size_t n_all, uint32_t *touched, struct cluster *c)
{
	const struct term *main_term = &w->terms[run->term];
	const struct term *pick[LABEL_MORE_TERMS];
	size_t n_touched = 0, n_pick = 0, len;

	/* How many of the cluster's texts have each other term. */
	for (size_t m = run->first; m < run->first + run->n; m++) {
		uint32_t d = mem[m].doc;

		for (size_t i = w->start[d]; i < w->start[d + 1]; i++) {
			uint32_t id = w->ids[i];

			if (id != run->term && w->terms[id].count++ == 0)
				touched[n_touched++] = id;
		}
	}
	/* The best LABEL_MORE_TERMS of them that are frequent enough, in
	 * order; a term as common in the baseline as anywhere (idf 0) tells
	 * nothing. */
	for (size_t i = 0; i < n_touched; i++) {
		const struct term *tm = &w->terms[touched[i]];
		size_t at;

		if (tm->count < LABEL_MIN_TEXTS || (size_t)tm->count * LABEL_MIN_FRACTION < run->n ||
		    !(tm->idf > 0))
			continue;
		for (at = n_pick; at > 0 && better_label(w, tm, pick[at - 1]); at--)
			if (at < LABEL_MORE_TERMS)
				pick[at] = pick[at - 1];
		if (at < LABEL_MORE_TERMS) {
			pick[at] = tm;
			if (n_pick < LABEL_MORE_TERMS)
				n_pick++;
		}
	}
	for (size_t i = 0; i < n_touched; i++)
		w->terms[touched[i]].count = 0;

	memset(c, 0, sizeof *c);
	memcpy(c->term, term_str(w, main_term), main_term->len);
	memcpy(c->label, c->term, main_term->len);
	len = main_term->len;
	for (size_t i = 0; i < n_pick; i++) {
		if (len + LABEL_SEP_LEN + pick[i]->len >= CLUSTER_LABEL_MAX)
			break;
		memcpy(c->label + len, LABEL_SEP, LABEL_SEP_LEN);
		memcpy(c->label + len + LABEL_SEP_LEN, term_str(w, pick[i]), pick[i]->len);
		len += LABEL_SEP_LEN + pick[i]->len;
	}
	c->n = run->n;
	c->weight = run->weight;
	c->share = (double)run->n / (double)n_all;
	c->example = mem[run->first].id;
}

/* The clusters of mem[0..n_mem) (sorted by by_cluster()): one for each
 * run of equal keys, whose main term is terms[term_of[key]].  Stores
 * their number in *n_runs and returns them (the caller frees them). */
static struct run *make_runs(const struct work *w, const struct member *mem, size_t n_mem,
			     const uint32_t *term_of, size_t *n_runs)
{
	struct run *runs = NULL;
	size_t n = 0, cap = 0;

	/* Summed in this order, a weight does not depend on the order the
	 * texts came in. */
	for (size_t m = 0; m < n_mem; m++) {
		if (m == 0 || mem[m].key != mem[m - 1].key) {
			runs = horch_xgrow(runs, &cap, n + 1, sizeof *runs);
			runs[n].term = term_of[mem[m].key];
			runs[n].s = term_str(w, &w->terms[runs[n].term]);
			runs[n].first = m;
			runs[n].n = 0;
			runs[n].weight = 0;
			n++;
		}
		runs[n - 1].n++;
		runs[n - 1].weight += mem[m].weight;
	}
	*n_runs = n;
	return runs;
}

/* The root of cluster r among the merged ones: the biggest cluster of
 * its group (the lowest place), as unite() keeps it. */
static uint32_t find(uint32_t *parent, uint32_t r)
{
	while (parent[r] != r) {
		parent[r] = parent[parent[r]];
		r = parent[r];
	}
	return r;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
	a = find(parent, a);
	b = find(parent, b);
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

/* A cluster term of one text while its best ones are picked. */
struct held {
	uint32_t rank;      /* the term's rank */
	uint32_t run;       /* its cluster */
};

static int by_rank(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Merge the clusters runs[0..n_runs) (in by_size() order) whose main
 * terms mostly occur together: terms a and b when more than half of the
 * texts with a have b and more than half of the texts with b have a (as
 * Suffix Tree Clustering merges its base clusters), and so on
 * transitively.  Only the MERGE_TERMS best-ranked cluster terms of a text
 * count, which keeps the cost linear in the terms.  When any merge
 * happens, sets the key of every member to the place of its merged
 * cluster's biggest part and term_of[that place] to the merged cluster's
 * main term (the most telling of its parts' terms, the best-ranked), and
 * returns 1; otherwise returns 0. */
static int merge(struct work *w, const struct run *runs, size_t n_runs, struct member *mem,
		 size_t n_docs, uint32_t *term_of)
{
	uint32_t *cl = horch_xmalloc(w->n_terms * sizeof *cl);
	uint32_t *parent = horch_xmalloc(n_runs * sizeof *parent);
	uint32_t *co = horch_xcalloc(n_runs, sizeof *co);
	uint32_t *touched = horch_xmalloc(n_runs * sizeof *touched);
	size_t *kstart = horch_xmalloc((n_docs + 1) * sizeof *kstart);
	size_t *inv_start = horch_xcalloc(n_runs + 1, sizeof *inv_start);
	uint32_t *klist = NULL, *inv = NULL;
	struct held *held = NULL;
	size_t n_klist = 0, cap_klist = 0, cap_held = 0;
	int merged = 0;

	for (size_t t = 0; t < w->n_terms; t++)
		cl[t] = UINT32_MAX;
	for (size_t r = 0; r < n_runs; r++) {
		cl[runs[r].term] = (uint32_t)r;
		parent[r] = (uint32_t)r;
	}

	/* Each text's cluster terms, the MERGE_TERMS best-ranked of them. */
	for (size_t d = 0; d < n_docs; d++) {
		size_t n_held = 0;

		kstart[d] = n_klist;
		for (size_t i = w->start[d]; i < w->start[d + 1]; i++) {
			uint32_t id = w->ids[i];

			if (cl[id] == UINT32_MAX)
				continue;
			held = horch_xgrow(held, &cap_held, n_held + 1, sizeof *held);
			held[n_held].rank = w->terms[id].rank;
			held[n_held].run = cl[id];
			n_held++;
		}
		if (n_held > MERGE_TERMS) {
			qsort(held, n_held, sizeof *held, by_rank);
			n_held = MERGE_TERMS;
		}
		klist = horch_xgrow(klist, &cap_klist, n_klist + n_held + 1, sizeof *klist);
		for (size_t i = 0; i < n_held; i++) {
			klist[n_klist++] = held[i].run;
			inv_start[held[i].run + 1]++;
		}
	}
	kstart[n_docs] = n_klist;

	/* For each cluster term, the texts that have it. */
	for (size_t r = 0; r < n_runs; r++)
		inv_start[r + 1] += inv_start[r];
	inv = horch_xmalloc((n_klist + 1) * sizeof *inv);
	{
		size_t *fill = horch_xmalloc((n_runs + 1) * sizeof *fill);

		memcpy(fill, inv_start, (n_runs + 1) * sizeof *fill);
		for (size_t d = 0; d < n_docs; d++)
			for (size_t i = kstart[d]; i < kstart[d + 1]; i++)
				inv[fill[klist[i]]++] = (uint32_t)d;
		free(fill);
	}

	/* Count the texts each pair of cluster terms shares. */
	for (size_t a = 0; a < n_runs; a++) {
		size_t n_touched = 0;
		uint32_t df_a = w->terms[runs[a].term].df;

		for (size_t j = inv_start[a]; j < inv_start[a + 1]; j++) {
			uint32_t d = inv[j];

			for (size_t i = kstart[d]; i < kstart[d + 1]; i++) {
				uint32_t b = klist[i];

				if (b != a && co[b]++ == 0)
					touched[n_touched++] = b;
			}
		}
		for (size_t i = 0; i < n_touched; i++) {
			uint32_t b = touched[i];
			uint64_t both = (uint64_t)co[b] * 2;

			if (both > df_a && both > w->terms[runs[b].term].df) {
				unite(parent, (uint32_t)a, b);
				merged = 1;
			}
			co[b] = 0;
		}
	}

	if (merged) {
		/* Each merged cluster's main term, then its members' key. */
		for (size_t r = 0; r < n_runs; r++) {
			uint32_t root = find(parent, (uint32_t)r);
			const struct term *tm = &w->terms[runs[r].term];

			if ((size_t)root == r) {
				term_of[r] = runs[r].term;
			} else {
				const struct term *best = &w->terms[term_of[root]];

				if (tm->rank < best->rank)
					term_of[root] = runs[r].term;
			}
			for (size_t m = runs[r].first; m < runs[r].first + runs[r].n; m++)
				mem[m].key = root;
		}
	}
	free(held);
	free(inv);
	free(klist);
	free(inv_start);
	free(kstart);
	free(touched);
	free(co);
	free(parent);
	free(cl);
	return merged;
}

int cluster_texts(const struct cluster_doc *docs, size_t n, const struct cluster_doc *base,
		  size_t n_base, const struct query *q, size_t k, struct cluster *out,
		  size_t *n_out, struct horch_err *err)
{
	struct work w;
	struct ranked *rk = NULL;
	struct member *mem = NULL;
	struct run *runs = NULL;
	uint32_t *term_of = NULL, *touched = NULL;
	size_t n_rk = 0, n_mem = 0, n_runs = 0, n_report;

	if (n_out)
		*n_out = 0;
	if (!n_out || (n && !docs) || (n_base && !base) || (k && !out))
		return horch_err_set(err, HORCH_EINVAL, "cluster_texts: an array the counts "
				     "need is NULL");
	if (n > CLUSTER_TEXTS_MAX)
		return horch_err_set(err, HORCH_ETOOBIG, "%zu texts to cluster; at most %u", n,
				     CLUSTER_TEXTS_MAX);
	if (n_base > CLUSTER_TEXTS_MAX)
		return horch_err_set(err, HORCH_ETOOBIG, "%zu baseline texts; at most %u", n_base,
				     CLUSTER_TEXTS_MAX);
	if (n == 0 || k == 0)
		return 0;

	memset(&w, 0, sizeof w);
	w.rules = trend_new();
	trend_exclude_query(w.rules, q);
	tokens_init(&w.tok);
	buf_init(&w.pool, BUF_NOLIMIT);
	w.n_slots = 1024;
	w.slot = horch_xcalloc(w.n_slots, sizeof *w.slot);
	w.start = horch_xmalloc((n + 1) * sizeof *w.start);

	/* Count: each text's distinct terms, then the baseline's. */
	for (size_t i = 0; i < n; i++) {
		w.start[i] = w.n_ids;
		add_doc(&w, &docs[i], 0);
	}
	w.start[n] = w.n_ids;
	for (size_t i = 0; i < n_base; i++)
		add_doc(&w, &base[i], 1);

	/* Rank the terms by their telling weight. */
	rk = horch_xmalloc(w.n_terms * sizeof *rk);
	for (size_t i = 0; i < w.n_terms; i++) {
		struct term *tm = &w.terms[i];

		if (!tm->kept || !tm->df)
			continue;
		tm->idf = n_base ? log(((double)n_base + 1) / ((double)tm->df_base + 1)) : 1;
		rk[n_rk].weight = (double)tm->df * tm->idf;
		rk[n_rk].df = tm->df;
		rk[n_rk].index = (uint32_t)i;
		rk[n_rk].s = term_str(&w, tm);
		n_rk++;
	}
	if (n_rk)
		qsort(rk, n_rk, sizeof *rk, by_weight);
	term_of = horch_xmalloc((n_rk > n ? n_rk : n) * sizeof *term_of);
	for (size_t r = 0; r < n_rk; r++) {
		w.terms[rk[r].index].rank = (uint32_t)r;
		term_of[r] = rk[r].index;
	}

	/* Each text with a term joins the cluster of its best-ranked one. */
	mem = horch_xmalloc(n * sizeof *mem);
	for (size_t i = 0; i < n; i++) {
		uint32_t best = UINT32_MAX;
		double weight = docs[i].weight;

		if (w.start[i] == w.start[i + 1])
			continue;
		for (size_t j = w.start[i]; j < w.start[i + 1]; j++)
			if (w.terms[w.ids[j]].rank < best)
				best = w.terms[w.ids[j]].rank;
		mem[n_mem].key = best;
		mem[n_mem].doc = (uint32_t)i;
		mem[n_mem].weight = isfinite(weight) && weight > 0 ? weight : 1;
		mem[n_mem].id = docs[i].id;
		n_mem++;
	}
	if (n_mem)
		qsort(mem, n_mem, sizeof *mem, by_cluster);
	runs = make_runs(&w, mem, n_mem, term_of, &n_runs);
	if (n_runs)
		qsort(runs, n_runs, sizeof *runs, by_size);

	/* Clusters whose terms go together become one, ordered again. */
	if (n_runs > 1 && merge(&w, runs, n_runs, mem, n, term_of)) {
		free(runs);
		qsort(mem, n_mem, sizeof *mem, by_cluster);
		runs = make_runs(&w, mem, n_mem, term_of, &n_runs);
		qsort(runs, n_runs, sizeof *runs, by_size);
	}

	n_report = n_runs < k ? n_runs : k;
	touched = horch_xmalloc(w.n_terms * sizeof *touched);
	for (size_t r = 0; r < n_report; r++)
		describe(&w, &runs[r], mem, n, touched, &out[r]);
	*n_out = n_report;

	free(touched);
	free(term_of);
	free(runs);
	free(mem);
	free(rk);
	free(w.start);
	free(w.ids);
	free(w.slot);
	free(w.terms);
	buf_cleanup(&w.pool);
	tokens_cleanup(&w.tok);
	trend_free(w.rules);
	return 0;
}
