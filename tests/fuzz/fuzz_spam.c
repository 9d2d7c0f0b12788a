/* fuzz_spam.c - libFuzzer target for nlp_spam(), nlp_simhash() and the
 * near-duplicate index.
 *
 * The input is any bytes.  They are scored twice: tokenised as they are
 * (invalid UTF-8 included, as the tokenizer allows) and after
 * text_normalise(), as the pipeline does.  Each time the spam score must be
 * a number in 0..1 and the same when computed again; the fingerprint must
 * be the same when computed again, and 0 exactly when the text has no word,
 * number, hashtag or cashtag token.  The fingerprints then go into a small
 * index: putting one twice must find the first put, a 0 must find nothing.
 * A broken rule aborts.  Corpus: tests/fuzz/corpus/spam, dictionary:
 * tests/fuzz/spam.dict. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"
#include "nlp/nlp.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_spam: %s\n", what);
	abort();
}

/* 1 if tk has a token that the fingerprint counts as a word. */
static int has_word(const struct tokens *tk)
{
	size_t i;

	for (i = 0; i < tk->n; i++) {
		int k = tk->v[i].kind;

		if (k == TOKEN_NUMBER || k == TOKEN_HASHTAG || k == TOKEN_CASHTAG)
			return 1;
		if (k == TOKEN_WORD) {
			const char *f = tk->fold.ptr + tk->v[i].fold_off;
			size_t len = tk->v[i].fold_len;
			int before_mention = i + 1 < tk->n && tk->v[i + 1].kind == TOKEN_MENTION;

			if (!(before_mention && ((len == 2 && memcmp(f, "rt", 2) == 0) ||
						 (len == 3 && memcmp(f, "via", 3) == 0))))
				return 1;
		}
	}
	return 0;
}

/* Score text[0..len) and check the rules; returns its fingerprint. */
static uint64_t check(struct tokens *tk, const char *text, size_t len)
{
	struct post p;
	float s1, s2;
	uint64_t h1, h2;

	if (text_tokenise(tk, text, len) != 0)
		fail("text_tokenise failed below TEXT_MAX");
	post_init(&p);
	p.text = (char *)text;
	s1 = nlp_spam(NULL, &p, tk);
	s2 = nlp_spam(NULL, &p, tk);
	p.text = NULL;
	if (isnan(s1) || s1 < 0.0f || s1 > 1.0f)
		fail("spam score out of 0..1");
	if (s1 != s2)
		fail("spam score differs on the same input");
	h1 = nlp_simhash(tk);
	h2 = nlp_simhash(tk);
	if (h1 != h2)
		fail("fingerprint differs on the same input");
	if ((h1 != 0) != has_word(tk))
		fail("fingerprint 0 does not match \"no words\"");
	return h1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tokens tk;
	static struct simhash_index *ix;
	static int ready;
	static int64_t next_id = 1;
	struct buf norm;
	uint64_t h_raw, h_norm;
	int64_t first;

	if (!ready) {
		tokens_init(&tk);
		ix = simhash_index_new(64);   /* reused across inputs, as the writer's */
		ready = 1;
	}
	h_raw = check(&tk, (const char *)data, size);
	buf_init(&norm, BUF_NOLIMIT);
	if (text_normalise(&norm, (const char *)data, size, NULL) != 0)
		fail("text_normalise failed without a cap");
	h_norm = check(&tk, norm.ptr ? norm.ptr : "", norm.len);
	buf_cleanup(&norm);

	simhash_index_put(ix, h_raw, next_id++);
	first = next_id++;
	if (simhash_index_put(ix, h_norm, first) == 0 && h_norm != 0 &&
	    simhash_index_put(ix, h_norm, next_id++) != first)
		fail("a fingerprint put twice does not find the first");
	if (simhash_index_put(ix, 0, next_id++) != 0)
		fail("the 0 fingerprint found something");
	return 0;
}
