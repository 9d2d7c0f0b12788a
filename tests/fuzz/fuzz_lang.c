/* fuzz_lang.c - libFuzzer target for nlp_lang_detect() and the CLD2
 * wrapper under it (nlp__cld2_detect()).
 *
 * The input is any bytes: invalid UTF-8, controls, noncharacters, unclosed
 * quotes, links and mentions without end.  nlp_lang_detect() must return
 * "und" with confidence 0, or a code of two or three lower-case letters
 * with a confidence in (0, 1], and the same answer twice.  The wrapper,
 * handed the raw bytes, must report a valid prefix no longer than the
 * input and shares of 0..100.  A broken rule aborts; ASan and UBSan catch
 * a read past the end.  Corpus: tests/fuzz/corpus/lang, dictionary:
 * tests/fuzz/lang.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/lang_cld2.h"
#include "nlp/nlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_lang: %s\n", what);
	abort();
}

static void check(const struct nlp_lang *l)
{
	size_t n = strnlen(l->code, sizeof l->code);

	if (n == sizeof l->code)
		fail("code not terminated");
	if (strcmp(l->code, "und") == 0) {
		if (l->conf != 0)
			fail("und with a confidence");
		return;
	}
	if (n < 2 || n > 3)
		fail("code of the wrong length");
	for (size_t i = 0; i < n; i++)
		if (l->code[i] < 'a' || l->code[i] > 'z')
			fail("code not lower-case letters");
	if (!(l->conf > 0 && l->conf <= 1))
		fail("confidence out of (0, 1]");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlp_lang a, b;
	struct nlp__cld2_result r;
	char *copy;

	/* A heap copy of exactly size bytes: ASan sees any read past it. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);

	nlp_lang_detect(copy, size, &a);
	check(&a);
	nlp_lang_detect(copy, size, &b);
	if (strcmp(a.code, b.code) != 0 || a.conf != b.conf)
		fail("two answers for one text");

	nlp__cld2_detect(copy, size, size & 1 ? NLP__CLD2_BEST_EFFORT : 0, &r);
	if (r.valid_len > size)
		fail("valid prefix longer than the input");
	for (int i = 0; i < 3; i++) {
		if (!r.code[i])
			fail("no code");
		if (r.percent[i] < 0 || r.percent[i] > 100)
			fail("share out of 0..100");
	}
	free(copy);
	return 0;
}
