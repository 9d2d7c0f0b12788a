/* simhash.c - the near-duplicate fingerprint of a post and the index of
 * recent fingerprints that finds the earlier post a new one nearly repeats.
 *
 * nlp_simhash() turns the folded words of a post into 64 bits such that
 * posts with nearly the same words have nearly the same bits.  It is a
 * similarity hash in the family of Charikar's SimHash, but each bit is a
 * one-bit minwise hash (Li and König, "b-Bit Minwise Hashing", 2010), made
 * cheap by one-permutation hashing (Li, Owen and Zhang, 2012): every word
 * is hashed once; the top 6 bits of its hash pick one of 64 bins, and each
 * bin keeps the smallest hash that fell into it; an empty bin borrows the
 * word of the next non-empty bin; bit i is bit i of a mix of bin i's
 * word.  Two posts then differ in bit i about half as often as their word
 * sets differ in bin i's smallest word, which makes the expected distance
 * 32 * (1 - Jaccard similarity of the word sets).  Measured on the real
 * posts of the benchmark, a post of 16 to 30 words with one word replaced
 * lands within SIMHASH_MAX_DISTANCE bits of itself two to three times as
 * often as with Charikar's sums of signed bits (bench/bench_simhash.c
 * prints both; docs/internals/nlp-spam.md has the figures and why single
 * words beat longer shingles).
 *
 * What counts as a word: the folded forms of word, number, hashtag (without
 * '#') and cashtag tokens.  URLs, mentions, emoji and punctuation are left
 * out, and so is a "RT" or "via" in front of a mention, so that a retweet
 * ("RT @user: text"), a copy with another link or another addressee, or
 * with other emoji, has the fingerprint of the original.
 *
 * struct simhash_index remembers the last `capacity` fingerprints in a ring
 * and finds one within SIMHASH_MAX_DISTANCE bits of a new fingerprint by
 * the pigeonhole principle (Manku, Jain and Das Sarma, 2007): the 64 bits
 * are cut into SIMHASH_MAX_DISTANCE + 1 blocks of 16 bits; two fingerprints
 * within 3 bits of each other agree exactly on at least one block, so one
 * hash table per block, keyed by that block, yields every candidate.  Each
 * table is an array of buckets, each bucket a singly linked list of ring
 * slots from the oldest to the newest; since the ring always overwrites
 * its oldest slot, that slot is the first of its list in every table, and
 * evicting it costs O(1).  A slot keeps its fingerprint and its four list
 * links together, so that a candidate costs one memory fetch, and the four
 * lists are walked side by side.  The index belongs to one thread (the
 * pipeline's writer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "nlp.h"
#include "nlp_int.h"

/* ---- the fingerprint ---- */

#define BINS 64

/* A strong 64-bit finaliser (SplitMix64's): every input bit changes about
 * half of the output bits. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* The 64-bit hash of the bytes s[0..len): eight bytes at a time, each
 * block folded in with a multiply and a rotation, the length mixed in,
 * and the whole finalised by mix64(). */
static uint64_t hash_bytes(const unsigned char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)len * 0xff51afd7ed558ccdull);
	uint64_t block;

	while (len >= 8) {
		memcpy(&block, s, 8);
		h ^= block * 0x87c37b91114253d5ull;
		h = ((h << 27) | (h >> 37)) * 0x4cf5ad432745937full + 0x52dce729u;
		s += 8;
		len -= 8;
	}
	if (len) {
		block = 0;
		memcpy(&block, s, len);
		h ^= block * 0x87c37b91114253d5ull;
		h = ((h << 31) | (h >> 33)) * 0x4cf5ad432745937full;
	}
	return mix64(h);
}

/* 1 if token i of tk counts as a word of the fingerprint. */
static int counts(const struct tokens *tk, size_t i)
{
	const struct token *t = &tk->v[i];
	const char *f;

	switch (t->kind) {
	case TOKEN_WORD:
		break;
	case TOKEN_NUMBER:
	case TOKEN_HASHTAG:
	case TOKEN_CASHTAG:
		return 1;
	default:
		return 0;
	}
	/* "RT @user:" and "via @user" say who is quoted, not what. */
	if (i + 1 < tk->n && tk->v[i + 1].kind == TOKEN_MENTION) {
		f = tk->fold.ptr + t->fold_off;
		if ((t->fold_len == 2 && memcmp(f, "rt", 2) == 0) ||
		    (t->fold_len == 3 && memcmp(f, "via", 3) == 0))
			return 0;
	}
	return 1;
}

/* See nlp.h.  The bins are a fixed array on the stack: no allocation. */
uint64_t nlp_simhash(const struct tokens *tk)
{
	uint64_t min[BINS], full = 0, out = 0;
	size_t i;
	unsigned b;

	if (!tk || tk->n == 0)
		return 0;
	for (i = 0; i < tk->n; i++) {
		const struct token *t = &tk->v[i];
		uint64_t h;

		if (!counts(tk, i))
			continue;
		h = hash_bytes((const unsigned char *)tk->fold.ptr + t->fold_off, t->fold_len);
		b = (unsigned)(h >> 58);
		/* The bin's order is on the low 58 bits; comparing the whole
		 * hash gives the same order within a bin. */
		if (!(full >> b & 1) || h < min[b]) {
			min[b] = h;
			full |= (uint64_t)1 << b;
		}
	}
	if (!full)
		return 0;
	/* Each full bin's word, mixed once: bin b takes bit b of the mix of
	 * its own word, or of the word it borrows, so that bins borrowing the
	 * same word still get independent bits. */
	for (b = 0; b < BINS; b++)
		if (full >> b & 1)
			min[b] = mix64(min[b] ^ 0x243f6a8885a308d3ull);
	for (b = 0; b < BINS; b++) {
		/* An empty bin borrows from the next full bin, in circular
		 * order: rotate the mask so that bin b is bit 0 and count the
		 * zeros below the first full bin. */
		uint64_t rot = b ? (full >> b) | (full << (BINS - b)) : full;
		unsigned from = (b + (unsigned)__builtin_ctzll(rot)) % BINS;

		out |= (min[from] >> b & 1) << b;
	}
	/* 0 means "no words"; a text whose bits all come out 0 (odds 2^-64)
	 * gets another value rather than that meaning. */
	return out ? out : 1;
}

/* ---- the index ---- */

#define BLOCKS (SIMHASH_MAX_DISTANCE + 1)
#define BLOCK_BITS (64 / BLOCKS)
#define NIL UINT32_MAX
/* The most entries an index holds: slot numbers are 32-bit. */
#define INDEX_MAX ((size_t)1 << 30)
/* The most list nodes one lookup visits in one table.  A bucket holds
 * capacity / 65,536 fingerprints on average; only a flood of posts that
 * share one block without being near each other (crafted, or a very large
 * cluster) makes it longer, and then the newest of it go unexamined rather
 * than the writer slowing down. */
#define WALK_MAX 4096

_Static_assert(BLOCKS * BLOCK_BITS == 64, "the blocks must cover the 64 bits");
_Static_assert(BLOCKS == 4, "a slot keeps one list link per block");

/* One ring slot: the fingerprint, its cluster, and its place in the list
 * of its bucket in each block's table, all in one 32-byte record (half a
 * cache line) so that a candidate, an addition and an eviction each touch
 * one line of the slots. */
struct ix_slot {
	uint64_t h;             /* the fingerprint */
	int64_t orig;           /* the first post of its cluster (its own id if none earlier) */
	uint32_t next[BLOCKS];  /* per table: the next newer slot of the same bucket, or NIL */
};

_Static_assert(sizeof(struct ix_slot) == 32, "a slot is half a cache line");

struct ix_bucket {
	uint32_t first;         /* the oldest slot of the bucket, or NIL */
	uint32_t last;          /* the newest slot, or NIL */
};

struct simhash_index {
	size_t cap;             /* slots in the ring */
	size_t n;               /* slots in use */
	size_t head;            /* the slot the next put writes (the oldest once full) */
	unsigned bucket_bits;   /* log2 of the buckets per table */
	struct ix_slot *slot;   /* cap slots */
	struct ix_bucket *bucket[BLOCKS];  /* per table, 1 << bucket_bits buckets */
};

/* The number of bits set in x.  Written out because __builtin_popcountll()
 * without -mpopcnt (the build targets every x86-64) calls a libgcc
 * routine that is slower than these dozen operations. */
static inline int popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (int)((x * 0x0101010101010101ull) >> 56);
}

static inline uint32_t block_of(uint64_t h, unsigned b)
{
	return (uint32_t)(h >> (b * BLOCK_BITS)) & 0xffffu;
}

static inline struct ix_bucket *bucket_of(const struct simhash_index *ix, uint64_t h,
					  unsigned b)
{
	return &ix->bucket[b][block_of(h, b) & (((uint32_t)1 << ix->bucket_bits) - 1)];
}

/* See nlp.h.  A capacity of 0 is taken as 1, one above 2^30 as 2^30.  The
 * memory is 32 bytes a slot plus 32 bytes a bucket (about one bucket per
 * slot, at most 65,536), all allocated here. */
struct simhash_index *simhash_index_new(size_t capacity)
{
	struct simhash_index *ix = horch_xcalloc(1, sizeof *ix);
	size_t n_buckets, i;
	unsigned b;

	if (capacity < 1)
		capacity = 1;
	if (capacity > INDEX_MAX)
		capacity = INDEX_MAX;
	ix->cap = capacity;
	ix->bucket_bits = 4;
	while (ix->bucket_bits < BLOCK_BITS && ((size_t)1 << ix->bucket_bits) < capacity)
		ix->bucket_bits++;
	n_buckets = (size_t)1 << ix->bucket_bits;
	ix->slot = horch_xcalloc(capacity, sizeof *ix->slot);
	for (b = 0; b < BLOCKS; b++) {
		ix->bucket[b] = horch_xmalloc(n_buckets * sizeof *ix->bucket[b]);
		for (i = 0; i < n_buckets; i++)
			ix->bucket[b][i].first = ix->bucket[b][i].last = NIL;
	}
	return ix;
}

void simhash_index_free(struct simhash_index *ix)
{
	unsigned b;

	if (!ix)
		return;
	for (b = 0; b < BLOCKS; b++)
		free(ix->bucket[b]);
	free(ix->slot);
	free(ix);
}

/* Remove slot s, the oldest entry of the ring, from every table: it is the
 * first of its bucket in each. */
static void evict(struct simhash_index *ix, uint32_t s)
{
	struct ix_slot *sl = &ix->slot[s];
	unsigned b;

	for (b = 0; b < BLOCKS; b++) {
		struct ix_bucket *bk = bucket_of(ix, sl->h, b);

		/* The ring's order is every bucket's order, so this holds; a
		 * failure here is a bug of this file, not bad input. */
		if (bk->first != s)
			abort();
		bk->first = sl->next[b];
		if (bk->first == NIL)
			bk->last = NIL;
	}
}

/* Append slot s, holding h, to the end of its bucket in every table. */
static void link_slot(struct simhash_index *ix, uint32_t s, uint64_t h)
{
	unsigned b;

	for (b = 0; b < BLOCKS; b++) {
		struct ix_bucket *bk = bucket_of(ix, h, b);

		ix->slot[s].next[b] = NIL;
		if (bk->last == NIL)
			bk->first = s;
		else
			ix->slot[bk->last].next[b] = s;
		bk->last = s;
	}
}

/* 1 if slot s holds an older entry than slot t. */
static int older(const struct simhash_index *ix, uint32_t s, uint32_t t)
{
	size_t oldest = ix->n == ix->cap ? ix->head : 0;

	return (s + ix->cap - oldest) % ix->cap < (t + ix->cap - oldest) % ix->cap;
}

/* The slot of the nearest remembered fingerprint within the distance (the
 * oldest among equally near ones), or NIL.  The four lists are walked side
 * by side, one node of each in turn, so that the processor fetches from
 * four places at once instead of waiting for one miss after another. */
static uint32_t find(const struct simhash_index *ix, uint64_t h)
{
	uint32_t cur[BLOCKS], best = NIL;
	int best_d = SIMHASH_MAX_DISTANCE + 1, walked = 0, live = 0;
	unsigned b;

	for (b = 0; b < BLOCKS; b++) {
		cur[b] = bucket_of(ix, h, b)->first;
		live += cur[b] != NIL;
	}
	while (live && walked++ < WALK_MAX) {
		live = 0;
		for (b = 0; b < BLOCKS; b++) {
			const struct ix_slot *sl;
			uint32_t s = cur[b];
			int d;

			if (s == NIL)
				continue;
			sl = &ix->slot[s];
			cur[b] = sl->next[b];
			live += cur[b] != NIL;
			/* Within one list the slots come oldest first, so the
			 * first fingerprint equal to h is the oldest equal one
			 * (an equal one is in every list). */
			d = popcount64(sl->h ^ h);
			if (d < best_d || (d == best_d && best != NIL && older(ix, s, best))) {
				best = s;
				best_d = d;
				if (d == 0)
					return best;
			}
		}
	}
	return best;
}

/* See nlp.h.  About capacity / 16,384 candidates are examined, at most
 * 4 * WALK_MAX; adding and evicting are O(1). */
int64_t simhash_index_put(struct simhash_index *ix, uint64_t h, int64_t id)
{
	uint32_t s, found;
	int64_t orig = 0;

	if (!ix || h == 0)
		return 0;
	found = find(ix, h);
	if (found != NIL)
		orig = ix->slot[found].orig;
	s = (uint32_t)ix->head;
	if (ix->n == ix->cap)
		evict(ix, s);
	else
		ix->n++;
	ix->slot[s].h = h;
	ix->slot[s].orig = found != NIL ? orig : id;
	link_slot(ix, s, h);
	ix->head = (ix->head + 1) % ix->cap;
	return orig;
}
