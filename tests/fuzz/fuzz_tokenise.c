/* fuzz_tokenise.c - libFuzzer target for text_normalise(), text_fold() and
 * text_tokenise().
 *
 * The input is any bytes.  They are normalised; the result must be valid
 * UTF-8 without C0/C1 controls other than tab and newline, and normalising
 * it again must change nothing.  Then both the normalised text and the raw
 * bytes are tokenised, and every invariant of struct tokens is checked:
 * tokens non-empty, in order, not overlapping and inside the text; folds
 * non-empty, back to back and inside the fold buffer; sentence indexes that
 * follow the SENTENCE flags; the ASCII flag exactly right; JOINED only on
 * word and number parts with a separator before them.  Each token of the
 * normalised text must fold (text_fold) to its stored fold.  A broken rule
 * aborts.  Corpus: tests/fuzz/corpus/tokenise, dictionary:
 * tests/fuzz/tokenise.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_tokenise: %s\n", what);
	abort();
}

/* 1 if s[0..len) is valid UTF-8 (no surrogates, no overlongs). */
static int valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], lo = 0x80, hi = 0xBF;
		size_t need, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3;
		else
			return 0;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
		if (len - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return 0;
			lo = 0x80;
			hi = 0xBF;
		}
		i += need + 1;
	}
	return 1;
}

static void check(const struct tokens *t, const char *text, size_t len, int refold)
{
	size_t i, b, end = 0, fold_end = 0;
	uint32_t sentence = 0;
	struct buf f;

	if (t->n == 0) {
		if (t->n_sentences != 0)
			fail("sentences without tokens");
		return;
	}
	buf_init(&f, BUF_NOLIMIT);
	for (i = 0; i < t->n; i++) {
		const struct token *k = &t->v[i];
		int ascii = 1;

		if (k->len == 0)
			fail("empty token");
		if (k->off < end)
			fail("tokens overlap or are out of order");
		if ((size_t)k->off + k->len > len)
			fail("token past the end of the text");
		end = (size_t)k->off + k->len;
		if (k->fold_len == 0)
			fail("empty fold");
		if (k->fold_off != fold_end)
			fail("folds not back to back");
		fold_end = (size_t)k->fold_off + k->fold_len;
		if (fold_end > t->fold.len)
			fail("fold past the end of the fold buffer");
		if (k->kind > TOKEN_PUNCT)
			fail("unknown kind");
		for (b = k->off; b < end; b++)
			if ((unsigned char)text[b] >= 0x80)
				ascii = 0;
		if (ascii != !!(k->flags & TOKEN_F_ASCII))
			fail("ASCII flag wrong");
		if (i == 0) {
			if (!(k->flags & TOKEN_F_SENTENCE) || k->sentence != 0)
				fail("first token does not start sentence 0");
		} else if (k->flags & TOKEN_F_SENTENCE) {
			if (k->sentence != sentence + 1)
				fail("sentence index does not follow the flag");
		} else if (k->sentence != sentence) {
			fail("sentence index changed without the flag");
		}
		sentence = k->sentence;
		if ((k->flags & TOKEN_F_JOINED) &&
		    ((k->kind != TOKEN_WORD && k->kind != TOKEN_NUMBER) || i == 0 ||
		     k->off == t->v[i - 1].off + t->v[i - 1].len))
			fail("JOINED where nothing joins");
		if (!valid_utf8((const unsigned char *)t->fold.ptr + k->fold_off, k->fold_len))
			fail("a fold is not valid UTF-8");
		if (refold) {
			size_t skip = k->kind == TOKEN_HASHTAG || k->kind == TOKEN_MENTION ||
				      k->kind == TOKEN_CASHTAG;

			buf_reset(&f);
			if (text_fold(&f, text + k->off + skip, k->len - skip) != 0)
				fail("text_fold failed");
			if (f.len && (f.len != k->fold_len ||
				      memcmp(f.ptr, t->fold.ptr + k->fold_off, f.len) != 0))
				fail("a stored fold differs from text_fold");
		}
	}
	if (t->n_sentences != (size_t)sentence + 1)
		fail("n_sentences wrong");
	if (t->fold.len != fold_end || t->fold.ptr[t->fold.len] != '\0')
		fail("fold buffer has bytes beyond the folds");
	buf_cleanup(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tokens t;
	static int ready;
	struct buf n1, n2;
	size_t n_rep = 0, i;

	if (!ready) {
		tokens_init(&t);        /* reused across inputs, as in the pipeline */
		ready = 1;
	}
	buf_init(&n1, BUF_NOLIMIT);
	buf_init(&n2, BUF_NOLIMIT);
	if (text_normalise(&n1, (const char *)data, size, &n_rep) != 0)
		fail("text_normalise failed without a cap");
	if (n1.len && !valid_utf8((const unsigned char *)n1.ptr, n1.len))
		fail("normalised text is not valid UTF-8");
	for (i = 0; i < n1.len; i++) {
		unsigned char c = (unsigned char)n1.ptr[i];

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ||
		    (c == 0xC2 && i + 1 < n1.len && (unsigned char)n1.ptr[i + 1] < 0xA0))
			fail("a control character survived normalising");
	}
	if (n_rep > size)
		fail("more repairs than bytes");
	if (text_normalise(&n2, n1.ptr ? n1.ptr : "", n1.len, &n_rep) != 0 || n_rep != 0 ||
	    n1.len != n2.len || (n1.len && memcmp(n1.ptr, n2.ptr, n1.len) != 0))
		fail("normalising twice changed the text");

	if (text_tokenise(&t, n1.ptr ? n1.ptr : "", n1.len) != 0)
		fail("text_tokenise failed on normalised text");
	check(&t, n1.ptr, n1.len, 1);
	if (text_tokenise(&t, (const char *)data, size) != 0)
		fail("text_tokenise failed on raw bytes");
	check(&t, (const char *)data, size, 0);

	buf_cleanup(&n1);
	buf_cleanup(&n2);
	return 0;
}
