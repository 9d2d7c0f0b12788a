/* bench_simhash.c - the near-duplicate fingerprint and index: how fast, and
 * how well the fingerprint keeps near texts near.
 *
 * The corpus is the "text" of every line of the shared benchmark posts
 * (../shared/bench/posts.jsonl beside the source tree, or
 * $HORCH_SHARED/../bench/posts.jsonl: 63,907 real English and German
 * tweets and review sentences); without it the benchmark says so and
 * exits.  Fixed seeds throughout.  Speed is the thread's CPU time, the
 * median of HORCH_BENCH_RUNS runs (default 5):
 *
 *   fingerprint         nlp_simhash() on each post's tokens, just made
 *                       (run_fingerprint() says how it is measured)
 *   naive-charikar      Charikar's SimHash over the same words, the
 *                       textbook way: 64 signed counters, each word's hash
 *                       adds or subtracts one in every counter (measured
 *                       the same way)
 *   index-put           simhash_index_put() into an index of 1,000,000
 *                       entries, already full (every put evicts one):
 *                       fingerprints of posts, and a fifth of the puts
 *                       near-copies of recent ones (make_stream())
 *   naive-scan-put      the same puts answered by a linear scan over the
 *                       ring of 1,000,000 (on 300 puts: it is slow)
 *
 * Quality: every post of 3 words or more gets one word replaced by a word
 * of another post (text changed at the token's bytes, then tokenised
 * again), and the share of posts whose fingerprint stays within
 * SIMHASH_MAX_DISTANCE bits is printed by length, for nlp_simhash() and for
 * Charikar's SimHash, with the mean distance; then the share of 200,000
 * random pairs of different posts that come within the distance (pairs of
 * posts with the same words are not counted: they are duplicates). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_corpus.h"
#include "bench/bench_rng.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "nlp/nlp.h"
#include "text/text.h"

#define INDEX_SIZE 1000000
#define N_SCAN 300

/* ---- Charikar's SimHash, the textbook way ---- */

static uint64_t fnv64(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* The same words as nlp_simhash(): words, numbers, hashtags, cashtags,
 * without "RT"/"via" before a mention. */
static int is_word(const struct tokens *tk, size_t i)
{
	int k = tk->v[i].kind;
	const char *f = tk->fold.ptr + tk->v[i].fold_off;

	if (k == TOKEN_NUMBER || k == TOKEN_HASHTAG || k == TOKEN_CASHTAG)
		return 1;
	if (k != TOKEN_WORD)
		return 0;
	if (i + 1 < tk->n && tk->v[i + 1].kind == TOKEN_MENTION &&
	    ((tk->v[i].fold_len == 2 && memcmp(f, "rt", 2) == 0) ||
	     (tk->v[i].fold_len == 3 && memcmp(f, "via", 3) == 0)))
		return 0;
	return 1;
}

static uint64_t charikar(const struct tokens *tk)
{
	int v[64] = { 0 }, b, any = 0;
	uint64_t out = 0;
	size_t i;

	for (i = 0; i < tk->n; i++) {
		uint64_t h;

		if (!is_word(tk, i))
			continue;
		h = fnv64(tk->fold.ptr + tk->v[i].fold_off, tk->v[i].fold_len);
		for (b = 0; b < 64; b++)
			v[b] += (h >> b & 1) ? 1 : -1;
		any = 1;
	}
	if (!any)
		return 0;
	for (b = 0; b < 64; b++)
		if (v[b] > 0)
			out |= (uint64_t)1 << b;
	return out;
}

/* ---- quality ---- */

static size_t n_words(const struct tokens *tk)
{
	size_t i, n = 0;

	for (i = 0; i < tk->n; i++)
		n += is_word(tk, i) && tk->v[i].kind == TOKEN_WORD;
	return n;
}

static void quality(const struct bench_corpus *c)
{
	enum { BUCKETS = 6 };
	static const char *const names[BUCKETS] = { "3-5", "6-10", "11-15", "16-20", "21-30",
						    "31+" };
	size_t n[BUCKETS] = { 0 }, near_m[BUCKETS] = { 0 }, near_c[BUCKETS] = { 0 };
	double dist_m[BUCKETS] = { 0 }, dist_c[BUCKETS] = { 0 };
	struct tokens tk;
	struct buf b;
	size_t i, k, pairs = 0, fp_m = 0, fp_c = 0;
	uint64_t *hm = horch_xmalloc(c->n * sizeof *hm), *hc = horch_xmalloc(c->n * sizeof *hc);

	tokens_init(&tk);
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < c->n; i++) {
		const struct tokens *t = &c->v[i].tk;
		size_t nw = n_words(t), pick, seen = 0, bucket;
		const struct tokens *o;
		size_t oi, ow;
		uint64_t m0, m1, c0, c1;

		hm[i] = nlp_simhash(t);
		hc[i] = charikar(t);
		if (nw < 3)
			continue;
		/* Replace the pick-th word with a word of another post that
		 * this post does not have. */
		pick = bench_rng() % nw;
		for (k = 0; k < t->n; k++)
			if (t->v[k].kind == TOKEN_WORD && is_word(t, k) && seen++ == pick)
				break;
		do {
			oi = bench_rng() % c->n;
			o = &c->v[oi].tk;
		} while (o->n == 0);
		ow = bench_rng() % o->n;
		if (o->v[ow].kind != TOKEN_WORD) {
			i--;            /* try this post again with another word */
			continue;
		}
		buf_reset(&b);
		buf_append(&b, c->v[i].text, t->v[k].off);
		buf_append(&b, c->v[oi].text + o->v[ow].off, o->v[ow].len);
		buf_append(&b, c->v[i].text + t->v[k].off + t->v[k].len,
			   c->v[i].len - t->v[k].off - t->v[k].len);
		text_tokenise(&tk, b.ptr, b.len);
		m0 = hm[i];
		m1 = nlp_simhash(&tk);
		c0 = hc[i];
		c1 = charikar(&tk);
		if (m0 == m1 && c0 == c1 && t->v[k].fold_len == o->v[ow].fold_len &&
		    memcmp(t->fold.ptr + t->v[k].fold_off, o->fold.ptr + o->v[ow].fold_off,
			   t->v[k].fold_len) == 0) {
			i--;            /* the same word: try again */
			continue;
		}
		bucket = nw <= 5 ? 0 : nw <= 10 ? 1 : nw <= 15 ? 2 : nw <= 20 ? 3 : nw <= 30 ? 4 : 5;
		n[bucket]++;
		near_m[bucket] += __builtin_popcountll(m0 ^ m1) <= SIMHASH_MAX_DISTANCE;
		near_c[bucket] += __builtin_popcountll(c0 ^ c1) <= SIMHASH_MAX_DISTANCE;
		dist_m[bucket] += __builtin_popcountll(m0 ^ m1);
		dist_c[bucket] += __builtin_popcountll(c0 ^ c1);
	}
	printf("one word replaced: share within %d bits (mean distance)\n", SIMHASH_MAX_DISTANCE);
	printf("%-8s %8s %22s %22s\n", "words", "posts", "fingerprint", "charikar");
	for (k = 0; k < BUCKETS; k++)
		if (n[k])
			printf("%-8s %8zu %14.3f (%5.1f) %14.3f (%5.1f)\n", names[k], n[k],
			       (double)near_m[k] / (double)n[k], dist_m[k] / (double)n[k],
			       (double)near_c[k] / (double)n[k], dist_c[k] / (double)n[k]);
	while (pairs < 200000) {
		size_t a = bench_rng() % c->n, z = bench_rng() % c->n;

		if (a == z || hm[a] == 0 || hm[a] == hm[z] || hc[a] == hc[z])
			continue;
		pairs++;
		fp_m += __builtin_popcountll(hm[a] ^ hm[z]) <= SIMHASH_MAX_DISTANCE;
		fp_c += __builtin_popcountll(hc[a] ^ hc[z]) <= SIMHASH_MAX_DISTANCE;
	}
	printf("random pairs of different posts within %d bits: fingerprint %zu, charikar %zu "
	       "of %zu\n", SIMHASH_MAX_DISTANCE, fp_m, fp_c, pairs);
	tokens_cleanup(&tk);
	buf_cleanup(&b);
	free(hm);
	free(hc);
}

/* ---- speed ---- */

static uint64_t sink;

/* Tokenise every post into one reused struct tokens (as an analysis
 * worker does) and fingerprint it REPEAT times (what: 0 not at all, 1
 * nlp_simhash(), 2 Charikar's).  A fingerprint's own cost is the
 * difference from the run without, divided by REPEAT: tokens hot in the
 * cache, as the enrich stage has them, and the tokenizer's share small
 * beside the difference. */
#define REPEAT 10

static long long run_fingerprint(const struct bench_corpus *c, struct tokens *tk, int what)
{
	long long t0 = bench_cpu_ns();
	size_t i;
	int k;

	for (i = 0; i < c->n; i++) {
		text_tokenise(tk, c->v[i].text, c->v[i].len);
		for (k = 0; k < (what ? REPEAT : 1); k++)
			sink += what == 1 ? nlp_simhash(tk) : what == 2 ? charikar(tk) : tk->n;
	}
	return bench_cpu_ns() - t0;
}

/* The stream of puts, n long: the posts' fingerprints (after the first
 * round through the posts, random values: other posts), and a fifth of
 * the puts a copy of one of the last 1,000 puts with 0 to 5 bits flipped,
 * so that some are found and some are just out of reach. */
static uint64_t *make_stream(const struct bench_corpus *c, size_t n)
{
	uint64_t *s = horch_xmalloc(n * sizeof *s);
	size_t i, k;

	for (i = 0; i < n; i++) {
		uint64_t h;

		if (i > 1000 && bench_rng() % 5 == 0) {
			size_t flips = bench_rng() % 6;

			h = s[i - 1 - bench_rng() % 1000];
			for (k = 0; k < flips; k++)
				h ^= (uint64_t)1 << (bench_rng() % 64);
		} else if (i < c->n) {
			h = nlp_simhash(&c->v[i].tk);
		} else {
			h = bench_rng();
		}
		s[i] = h ? h : 1;
	}
	return s;
}

/* The popcount simhash.c uses (without -mpopcnt the builtin is a call). */
static inline int popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (int)((x * 0x0101010101010101ull) >> 56);
}

/* A ring scanned from the oldest: the naive index. */
struct scan {
	uint64_t *h;
	int64_t *orig;
	size_t cap, n, head;
};

static int64_t scan_put(struct scan *s, uint64_t h, int64_t id)
{
	size_t i, best = SIZE_MAX, oldest = s->n == s->cap ? s->head : 0;
	int best_d = SIMHASH_MAX_DISTANCE + 1;
	int64_t orig;

	for (i = 0; i < s->n; i++) {
		size_t at = (oldest + i) % s->cap;
		int d = popcount64(s->h[at] ^ h);

		if (d < best_d) {
			best_d = d;
			best = at;
		}
	}
	orig = best == SIZE_MAX ? 0 : s->orig[best];
	s->h[s->head] = h;
	s->orig[s->head] = orig ? orig : id;
	s->head = (s->head + 1) % s->cap;
	if (s->n < s->cap)
		s->n++;
	return orig;
}

int main(void)
{
	int runs = bench_runs(5, 64), r;
	long long f0[64], fm[64], fc[64], ip[64], f0_ns, fm_ns, fc_ns, ip_ns, sc_ns;
	struct tokens tk;
	struct bench_corpus c;
	struct simhash_index *ix;
	struct scan sc;
	uint64_t *stream;
	size_t n_put = 200000, i, n_found = 0;

	if (bench_corpus_load(&c, BENCH_CORPUS_NORMALISE | BENCH_CORPUS_TOKENS) != 0) {
		printf("bench_simhash: skipped: the benchmark posts (%s) are not there\n",
		       c.where);
		bench_corpus_free(&c);
		return 0;
	}
	printf("bench_simhash: %zu posts of %s, one thread, median of %d runs\n", c.n, c.path,
	       runs);
	tokens_init(&tk);
	for (r = 0; r < runs; r++) {
		f0[r] = run_fingerprint(&c, &tk, 0);
		fm[r] = run_fingerprint(&c, &tk, 1);
		fc[r] = run_fingerprint(&c, &tk, 2);
	}
	tokens_cleanup(&tk);
	f0_ns = bench_median(f0, runs);
	fm_ns = (bench_median(fm, runs) - f0_ns) / REPEAT;
	fc_ns = (bench_median(fc, runs) - f0_ns) / REPEAT;
	if (fm_ns < 1)
		fm_ns = 1;
	if (fc_ns < 1)
		fc_ns = 1;

	/* The index: fill to 1,000,000, then time puts into the full ring. */
	stream = make_stream(&c, INDEX_SIZE + n_put);
	ix = simhash_index_new(INDEX_SIZE);
	for (i = 0; i < INDEX_SIZE; i++)
		simhash_index_put(ix, stream[i], (int64_t)i + 1);
	for (r = 0; r < runs; r++) {
		long long t0 = bench_cpu_ns();
		size_t base = INDEX_SIZE + (size_t)r * (n_put / (size_t)runs);
		size_t end = base + n_put / (size_t)runs;

		for (i = base; i < end; i++)
			n_found += simhash_index_put(ix, stream[i], (int64_t)i + 1) != 0;
		ip[r] = (bench_cpu_ns() - t0) / (long long)(end - base);
	}
	ip_ns = bench_median(ip, runs);
	simhash_index_free(ix);

	sc.cap = INDEX_SIZE;
	sc.h = horch_xmalloc(sc.cap * sizeof *sc.h);
	sc.orig = horch_xmalloc(sc.cap * sizeof *sc.orig);
	for (i = 0; i < INDEX_SIZE; i++) {
		sc.h[i] = stream[i];
		sc.orig[i] = (int64_t)i + 1;
	}
	sc.n = INDEX_SIZE;
	sc.head = 0;
	{
		long long t0 = bench_cpu_ns();

		for (i = 0; i < N_SCAN; i++)
			sink += (uint64_t)scan_put(&sc, stream[INDEX_SIZE + i], (int64_t)i + 1);
		sc_ns = (bench_cpu_ns() - t0) / N_SCAN;
	}
	free(sc.h);
	free(sc.orig);
	free(stream);

	printf("%-18s %12s %10s\n", "name", "ops/s", "ns/op");
	printf("%-18s %12.0f %10.0f\n", "fingerprint", 1e9 * (double)c.n / (double)fm_ns,
	       (double)fm_ns / (double)c.n);
	printf("%-18s %12.0f %10.0f\n", "naive-charikar", 1e9 * (double)c.n / (double)fc_ns,
	       (double)fc_ns / (double)c.n);
	printf("%-18s %12.0f %10.0f   (1,000,000 entries; %.1f%% of puts found a copy)\n",
	       "index-put", 1e9 / (double)ip_ns, (double)ip_ns,
	       100.0 * (double)n_found / (double)(n_put / (size_t)runs * (size_t)runs));
	printf("%-18s %12.0f %10.0f   (linear scan of 1,000,000 entries, %d puts)\n",
	       "naive-scan-put", 1e9 / (double)sc_ns, (double)sc_ns, N_SCAN);
	printf("fingerprint is %.1fx faster than naive-charikar; index-put %.0fx faster than "
	       "naive-scan-put\n", (double)fc_ns / (double)fm_ns, (double)sc_ns / (double)ip_ns);
	quality(&c);

	bench_corpus_free(&c);
	return sink == 0;
}
