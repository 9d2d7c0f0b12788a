/* test_simhash.c - the near-duplicate fingerprint (nlp_simhash()) and the
 * index of recent fingerprints (struct simhash_index).
 *
 * simhash-1.*  the fingerprint: what counts as a word, what is left out
 *              (URLs, mentions, "RT @x:", emoji, case and accents), its
 *              stored value, and that near texts land near and unrelated
 *              texts far;
 * simhash-2.*  one-word changes over many texts of our own, as a rate;
 * simhash-3.*  the index: copies, chains of copies, eviction, the 0 hash,
 *              capacity 1 and 0, the distance limit, block edges;
 * simhash-4.*  the index against a linear scan of the same ring (the
 *              oracle) on a random stream with planted near-copies;
 * simhash-5.*  edges: invalid UTF-8, a long text in linear time, a flood
 *              of fingerprints sharing one block.
 *
 * Every sentence here was written for this test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "nlp/nlp.h"
#include "tap.h"
#include "text/text.h"

static struct tokens tk;

/* The fingerprint of the NUL-terminated text s. */
static uint64_t fp(const char *s)
{
	if (text_tokenise(&tk, s, strlen(s)) != 0)
		return 0;
	return nlp_simhash(&tk);
}

static int dist(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

static void test_fingerprint(void)
{
	const char *base = "The new laptop arrived two days late and the battery was already "
			   "dead when I opened the box this morning";
	uint64_t h = fp(base);

	is_int(nlp_simhash(NULL), 0, "simhash-1.1 no tokens at all");
	is_int(fp(""), 0, "simhash-1.2 empty text");
	is_int(fp("https://example.com/a @someone 😂 !!! ..."), 0,
	       "simhash-1.3 only a link, a mention, emoji and punctuation: no words");
	ok(h != 0, "simhash-1.4 a sentence has a fingerprint");
	is_int(dist(fp(base), h), 0, "simhash-1.5 the same text, the same fingerprint");
	is_int(dist(fp("THE NEW LAPTOP ARRIVED TWO DAYS LATE AND THE BATTERY WAS ALREADY "
		       "DEAD WHEN I OPENED THE BOX THIS MORNING!!!"), h), 0,
	       "simhash-1.6 upper case and exclamation marks do not count");
	is_int(dist(fp("RT @gadgetfan: The new laptop arrived two days late and the battery "
		       "was already dead when I opened the box this morning"), h), 0,
	       "simhash-1.7 a retweet prefix \"RT @user:\" does not count");
	is_int(dist(fp("The new laptop arrived two days late and the battery was already "
		       "dead when I opened the box this morning https://t.co/AbCdEf12"),
		    fp("The new laptop arrived two days late and the battery was already "
		       "dead when I opened the box this morning https://t.co/ZzYyXx98")), 0,
	       "simhash-1.8 copies with different links");
	is_int(dist(fp("@support_one The new laptop arrived two days late and the battery was "
		       "already dead when I opened the box this morning 😡"),
		    fp("@helpdesk The new laptop arrived two days late and the battery was "
		       "already dead when I opened the box this morning via @newsbot")), 0,
	       "simhash-1.9 other addressees, other emoji, a \"via @x\"");
	is_int(dist(fp("Über den Kundendienst: schöne Grüße"),
		    fp("uber den kundendienst schone grusse")), 0,
	       "simhash-1.10 accents and sharp s are folded");
	is_int(dist(fp("#laptop battery dead"), fp("laptop battery dead")), 0,
	       "simhash-1.11 a hashtag counts as its word");
	ok(dist(fp("The new laptop arrived two days late and the battery was already dead "
		   "when I opened the box this morning and the charger was missing too"), h)
	   <= 16 && dist(fp("The new laptop arrived two days late and the battery was "
			    "already dead when I opened the box this morning and the charger "
			    "was missing too"), h) > 0,
	   "simhash-1.12 a longer version is nearer than chance but not equal");
	/* A campaign text of 40 words copied with one word changed (an
	 * example; simhash-2.1 gives the rate over many such changes). */
	ok(dist(fp("Dear customers, from Monday our service desk in the city centre opens at "
		   "nine instead of eight, because the building is being renovated. Please "
		   "bring your receipt and the device with its charger, and we will check it "
		   "while you wait for free."),
		fp("Dear customers, from Tuesday our service desk in the city centre opens at "
		   "nine instead of eight, because the building is being renovated. Please "
		   "bring your receipt and the device with its charger, and we will check it "
		   "while you wait for free.")) <= SIMHASH_MAX_DISTANCE,
	   "simhash-1.20 a long text with one word changed is a near-duplicate");
	ok(dist(fp("Our team meeting moved to Thursday afternoon because the projector "
		   "in room four is broken again"), h) > 10,
	   "simhash-1.13 an unrelated sentence is far");
	ok(dist(fp("Ich warte seit drei Wochen auf meine Bestellung und niemand antwortet "
		   "auf meine Mails"), h) > 10,
	   "simhash-1.14 an unrelated German sentence is far");
	ok(dist(fp("great phone"), fp("terrible phone")) > SIMHASH_MAX_DISTANCE,
	   "simhash-1.15 two-word posts that differ in one word are not near");
	is_int(dist(fp("phone great"), fp("great phone")), 0,
	       "simhash-1.16 word order does not count (a set of words)");
	is_int(dist(fp("plz plz plz subscribe"), fp("plz subscribe")), 0,
	       "simhash-1.17 repeated words count once");
	/* The stored fingerprints of a database must keep their meaning
	 * across versions: these values may only change with a migration. */
	is_int((long long)fp("hello world"), (long long)0x42e7495c4e5836ceull,
	       "simhash-1.18 the stored value of \"hello world\"");
	is_int((long long)fp("Der Akku ist nach zwei Tagen leer"),
	       (long long)0x8235ee07b5815b06ull, "simhash-1.19 the stored value of a German text");
}

/* Words of our own to build texts from. */
static const char *const words[] = {
	"battery", "screen", "keyboard", "delivery", "refund", "support", "waited", "hours",
	"order", "broken", "charger", "replacement", "warranty", "call", "agent", "email",
	"package", "store", "laptop", "phone", "update", "software", "crash", "reboot",
	"printer", "ink", "cable", "fan", "noise", "heat", "display", "pixel", "speaker",
	"sound", "camera", "photo", "price", "discount", "account", "password", "login",
	"Akku", "Bildschirm", "Lieferung", "Rückgabe", "Kundendienst", "Tastatur", "Rechnung",
	"Garantie", "Paket", "Drucker", "Kabel", "Lüfter", "Preis", "Konto", "Woche", "heute",
	"morgen", "gestern", "never", "again", "always", "still", "already", "today", "tomorrow",
	"week", "month", "year", "first", "second", "third", "new", "old", "fast", "slow",
};

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Fill b with n distinct words chosen at random; the words' indexes go
 * into idx. */
static void random_text(struct buf *b, size_t *idx, size_t n)
{
	size_t n_words = sizeof words / sizeof words[0], i, k;

	for (i = 0; i < n; i++) {
		int again;

		do {
			idx[i] = rng() % n_words;
			again = 0;
			for (k = 0; k < i; k++)
				if (idx[k] == idx[i])
					again = 1;
		} while (again);
	}
	buf_reset(b);
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		buf_puts(b, words[idx[i]]);
	}
}

/* The share of n_trials texts of n_words distinct words that stay within
 * SIMHASH_MAX_DISTANCE bits when one word is replaced by a word not in the
 * text. */
static double near_rate(size_t n_words, int n_trials)
{
	struct buf a, b;
	size_t idx[64], i, pos, repl, n_all = sizeof words / sizeof words[0];
	int t, near = 0;

	buf_init(&a, BUF_NOLIMIT);
	buf_init(&b, BUF_NOLIMIT);
	for (t = 0; t < n_trials; t++) {
		int used;

		random_text(&a, idx, n_words);
		pos = rng() % n_words;
		do {
			repl = rng() % n_all;
			used = 0;
			for (i = 0; i < n_words; i++)
				if (idx[i] == repl)
					used = 1;
		} while (used);
		buf_reset(&b);
		for (i = 0; i < n_words; i++) {
			if (i)
				buf_putc(&b, ' ');
			buf_puts(&b, words[i == pos ? repl : idx[i]]);
		}
		if (dist(fp(a.ptr), fp(b.ptr)) <= SIMHASH_MAX_DISTANCE)
			near++;
	}
	buf_cleanup(&a);
	buf_cleanup(&b);
	return (double)near / n_trials;
}

/* The share of n_pairs pairs of unrelated texts (no word in common) that
 * come within SIMHASH_MAX_DISTANCE bits. */
static double unrelated_rate(size_t n_words, int n_pairs)
{
	struct buf a, b;
	size_t ia[64], ib[64], i, k;
	int t, near = 0;

	buf_init(&a, BUF_NOLIMIT);
	buf_init(&b, BUF_NOLIMIT);
	for (t = 0; t < n_pairs; t++) {
		int common;

		random_text(&a, ia, n_words);
		do {
			random_text(&b, ib, n_words);
			common = 0;
			for (i = 0; i < n_words; i++)
				for (k = 0; k < n_words; k++)
					if (ia[i] == ib[k])
						common = 1;
		} while (common);
		if (dist(fp(a.ptr), fp(b.ptr)) <= SIMHASH_MAX_DISTANCE)
			near++;
	}
	buf_cleanup(&a);
	buf_cleanup(&b);
	return (double)near / n_pairs;
}

static void test_rates(void)
{
	double r;

	/* 1 - Jaccard is 2/(n+1) for one word in n replaced, so the expected
	 * distance is 64/(n+1): about 1.6 bits at 40 words, 3.0 at 20. */
	r = near_rate(40, 400);
	ok(r >= 0.85, "simhash-2.1 one word of 40 replaced: within the distance (%.2f)", r);
	r = near_rate(25, 400);
	ok(r >= 0.65, "simhash-2.2 one word of 25 replaced: mostly within the distance (%.2f)",
	   r);
	r = near_rate(6, 400);
	ok(r <= 0.25, "simhash-2.3 one word of 6 replaced: mostly not near (%.2f)", r);
	r = unrelated_rate(12, 2000);
	ok(r == 0.0, "simhash-2.4 texts without a common word are never near (%.4f)", r);
	r = unrelated_rate(3, 2000);
	ok(r == 0.0, "simhash-2.5 short texts without a common word are never near (%.4f)", r);
}

static void test_index(void)
{
	struct simhash_index *ix = simhash_index_new(100);
	uint64_t a = 0x0123456789abcdefull;

	is_int(simhash_index_put(ix, a, 1), 0, "simhash-3.1 the first post has no original");
	is_int(simhash_index_put(ix, a, 2), 1, "simhash-3.2 an exact copy points to the first");
	is_int(simhash_index_put(ix, a ^ 0x7, 3), 1,
	       "simhash-3.3 three bits off in one block: a copy");
	is_int(simhash_index_put(ix, a ^ 0x0001000100010000ull, 4), 1,
	       "simhash-3.4 three bits off in three blocks: a copy");
	is_int(simhash_index_put(ix, 0xfedcba9876543210ull, 5), 0,
	       "simhash-3.5 an unrelated fingerprint is new");
	is_int(simhash_index_put(ix, 0xfedcba9876543210ull ^ 0x8001000100010000ull, 6), 0,
	       "simhash-3.6 four bits off, one in each block: not a copy");
	is_int(simhash_index_put(ix, 0xfedcba9876543210ull ^ 0xf, 7), 0,
	       "simhash-3.7 four bits off in one block: not a copy");
	/* A chain: c is 3 bits from b, 6 bits from a; b was a copy of a. */
	is_int(simhash_index_put(ix, 0x1111222233334444ull, 10), 0, "simhash-3.8 chain start");
	is_int(simhash_index_put(ix, 0x1111222233334444ull ^ 0x700, 11), 10,
	       "simhash-3.9 chain: the second points to the first");
	is_int(simhash_index_put(ix, 0x1111222233334444ull ^ 0x700 ^ 0x7000000, 12), 10,
	       "simhash-3.10 chain: the third, near only the second, points to the first");
	is_int(simhash_index_put(ix, 0x1111222233334444ull ^ 0x7000000, 13), 10,
	       "simhash-3.11 chain: a fourth near only the third, to the first too");
	is_int(simhash_index_put(ix, 0, 20), 0, "simhash-3.12 the 0 hash is never a copy");
	is_int(simhash_index_put(ix, 0, 21), 0, "simhash-3.13 the 0 hash is not remembered");
	is_int(simhash_index_put(ix, 1, 22), 0, "simhash-3.14 hash 1 after two 0 hashes is new");
	is_int(simhash_index_put(NULL, a, 23), 0, "simhash-3.15 no index: 0");
	simhash_index_free(ix);
	simhash_index_free(NULL);

	/* Eviction: a ring of 4. */
	ix = simhash_index_new(4);
	is_int(simhash_index_put(ix, 0xaaaa000000000001ull, 1), 0, "simhash-3.16 ring of 4: 1");
	is_int(simhash_index_put(ix, 0xbbbb000000000002ull, 2), 0, "simhash-3.17 ring of 4: 2");
	is_int(simhash_index_put(ix, 0xcccc000000000003ull, 3), 0, "simhash-3.18 ring of 4: 3");
	is_int(simhash_index_put(ix, 0xdddd000000000004ull, 4), 0, "simhash-3.19 ring of 4: 4");
	is_int(simhash_index_put(ix, 0xaaaa000000000001ull, 5), 1,
	       "simhash-3.20 ring of 4: a copy of the oldest, still there");
	/* That put evicted 1; 5 remembers 1 as its original. */
	is_int(simhash_index_put(ix, 0xaaaa000000000001ull, 6), 1,
	       "simhash-3.21 the original evicted, its copy still points to it");
	is_int(simhash_index_put(ix, 0xbbbb000000000002ull, 7), 0,
	       "simhash-3.22 2 was evicted by 6: no longer found");
	is_int(simhash_index_put(ix, 0xeeee000000000005ull, 8), 0, "simhash-3.23 ring of 4: 8");
	is_int(simhash_index_put(ix, 0xaaaa000000000001ull, 9), 1,
	       "simhash-3.24 6 is still remembered with its original");
	is_int(simhash_index_put(ix, 0xcccc000000000003ull, 10), 0,
	       "simhash-3.25 3 was evicted long ago");
	simhash_index_free(ix);

	/* Capacity 1: only the last put is remembered. */
	ix = simhash_index_new(1);
	is_int(simhash_index_put(ix, a, 1), 0, "simhash-3.26 capacity 1: the first");
	is_int(simhash_index_put(ix, a, 2), 1, "simhash-3.27 capacity 1: a copy of the last");
	is_int(simhash_index_put(ix, a, 3), 1, "simhash-3.28 capacity 1: the chain holds");
	is_int(simhash_index_put(ix, ~a, 4), 0, "simhash-3.29 capacity 1: another");
	is_int(simhash_index_put(ix, a, 5), 0, "simhash-3.30 capacity 1: the first forgotten");
	simhash_index_free(ix);

	ix = simhash_index_new(0);
	is_int(simhash_index_put(ix, a, 1), 0, "simhash-3.31 capacity 0 is taken as 1");
	is_int(simhash_index_put(ix, a, 2), 1, "simhash-3.32 capacity 0 remembers one");
	simhash_index_free(ix);

	/* The nearest wins over the older; among equally near, the older. */
	ix = simhash_index_new(16);
	is_int(simhash_index_put(ix, a ^ 0x7, 1), 0, "simhash-3.33 near a, 3 bits off");
	simhash_index_put(ix, 0x5555555555555555ull, 2);
	is_int(simhash_index_put(ix, a ^ 0x100000000ull, 3), 0,
	       "simhash-3.34 near a, 1 bit off, 4 bits from the first: new");
	is_int(simhash_index_put(ix, a, 4), 3,
	       "simhash-3.35 two within reach, 3 and 1 bits off: the nearer, though newer");
	/* The newer is found first (it agrees on block 0), the older only in
	 * the table of block 1. */
	simhash_index_put(ix, 0x0f0f0f0f0f0f0f0full ^ 0x3, 5);
	is_int(simhash_index_put(ix, 0x0f0f0f0f0f0f0f0full ^ 0x30000, 6), 0,
	       "simhash-3.36 4 bits from the one before: new");
	is_int(simhash_index_put(ix, 0x0f0f0f0f0f0f0f0full, 7), 5,
	       "simhash-3.37 equally near in two blocks: the older");
	simhash_index_free(ix);
}

/* Edges: invalid UTF-8, a long text, a flood of fingerprints in one block. */
static void test_edges(void)
{
	static const char bad[] = "\xff\xfe caf\xc3 \xe2\x82 battery \xf0\x9f\x98 dead \xc0\xaf";
	struct simhash_index *ix;
	struct buf big;
	clock_t t0;
	double secs_small, secs_big;
	static const char sentence[] = "the battery of my new laptop died after two days again ";
	uint64_t h, base = 0x1234000000000000ull;
	int i, n_wrong = 0;

	text_tokenise(&tk, bad, sizeof bad - 1);
	h = nlp_simhash(&tk);
	ok(h != 0 && h == fp("battery dead caf"),
	   "simhash-5.1 invalid UTF-8: the words around it count, the bytes do not");

	buf_init(&big, BUF_NOLIMIT);
	while (big.len < ((size_t)8 << 20))
		buf_puts(&big, sentence);
	t0 = clock();
	text_tokenise(&tk, big.ptr, 200 * strlen(sentence));
	h = nlp_simhash(&tk);
	secs_small = (double)(clock() - t0) / CLOCKS_PER_SEC;
	t0 = clock();
	text_tokenise(&tk, big.ptr, big.len);
	ok(nlp_simhash(&tk) == h, "simhash-5.2 8 MB of one sentence repeated: the sentence's "
	   "fingerprint");
	secs_big = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ok(secs_big < 5.0, "simhash-5.3 8 MB in %.2f s (11 KB: %.4f s)", secs_big, secs_small);
	buf_cleanup(&big);

	/* 10,000 fingerprints that share block 0 and are far apart otherwise:
	 * the list of that block is longer than a lookup walks, yet a copy
	 * of the newest is found through its other blocks. */
	ix = simhash_index_new(20000);
	for (i = 0; i < 10000; i++) {
		uint64_t r = (rng() & 0xffffffffffff0000ull) | 0x5a5a;

		if (simhash_index_put(ix, r, i + 1) != 0)
			n_wrong++;
		h = r;
	}
	is_int(n_wrong, 0, "simhash-5.4 a flood in one block: no false copies");
	is_int(simhash_index_put(ix, h ^ 0x30000, 20001), 10000,
	       "simhash-5.5 a copy of the newest of the flood is found");
	is_int(simhash_index_put(ix, base, 20002), 0, "simhash-5.6 and a stranger is not");
	simhash_index_free(ix);
}

/* The oracle: the ring kept as a plain array and scanned. */
struct naive {
	uint64_t *h;
	int64_t *id, *orig;
	size_t cap, n, head;
};

static int64_t naive_put(struct naive *nv, uint64_t h, int64_t id)
{
	size_t i, k, best = SIZE_MAX, oldest = nv->n == nv->cap ? nv->head : 0;
	int best_d = SIMHASH_MAX_DISTANCE + 1;
	int64_t orig = 0;

	if (h == 0)
		return 0;
	for (k = 0; k < nv->n; k++) {
		int d;

		i = (oldest + k) % nv->cap;
		d = dist(nv->h[i], h);
		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	if (best != SIZE_MAX)
		orig = nv->orig[best];
	nv->h[nv->head] = h;
	nv->id[nv->head] = id;
	nv->orig[nv->head] = best != SIZE_MAX ? orig : id;
	nv->head = (nv->head + 1) % nv->cap;
	if (nv->n < nv->cap)
		nv->n++;
	return orig;
}

static void test_oracle(size_t cap, int n_puts, const char *name)
{
	struct simhash_index *ix = simhash_index_new(cap);
	struct naive nv;
	uint64_t *recent = calloc(64, sizeof *recent);
	int i, bad = 0, n_copies = 0;

	nv.h = calloc(cap, sizeof *nv.h);
	nv.id = calloc(cap, sizeof *nv.id);
	nv.orig = calloc(cap, sizeof *nv.orig);
	nv.cap = cap;
	nv.n = nv.head = 0;
	for (i = 0; i < n_puts; i++) {
		uint64_t h = rng(), r = rng();
		int64_t got, want;

		/* Half the puts are near-copies of a recent put: 0 to 5 bits
		 * flipped, so that some are within reach and some not. */
		if (r % 2 == 0 && i > 0) {
			int k, flips = (int)(r >> 8) % 6;

			size_t back = 1 + (size_t)(r >> 16) % (cap < 64 ? cap : 64);

			h = recent[((size_t)i + 64 - back) % 64];
			for (k = 0; k < flips; k++)
				h ^= (uint64_t)1 << (rng() % 64);
		}
		if ((r >> 24) % 97 == 0)
			h = 0;
		recent[i % 64] = h;
		got = simhash_index_put(ix, h, i + 1);
		want = naive_put(&nv, h, i + 1);
		if (want)
			n_copies++;
		if (got != want && bad++ < 5)
			diag("put %d: index says %lld, the scan %lld", i + 1, (long long)got,
			     (long long)want);
	}
	ok(bad == 0 && n_copies > n_puts / 5, "%s (%d puts, %d copies)", name, n_puts, n_copies);
	simhash_index_free(ix);
	free(nv.h);
	free(nv.id);
	free(nv.orig);
	free(recent);
}

int main(void)
{
	tokens_init(&tk);
	test_fingerprint();
	test_rates();
	test_index();
	test_edges();
	test_oracle(1000, 20000, "simhash-4.1 the index agrees with a scan, ring of 1,000");
	test_oracle(7, 5000, "simhash-4.2 the index agrees with a scan, ring of 7");
	test_oracle(1, 2000, "simhash-4.3 the index agrees with a scan, ring of 1");
	test_oracle(20000, 40000, "simhash-4.4 the index agrees with a scan, ring of 20,000");
	tokens_cleanup(&tk);
	return tap_done();
}
