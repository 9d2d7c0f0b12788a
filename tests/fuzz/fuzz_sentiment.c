/* fuzz_sentiment.c - libFuzzer target for nlp_sentiment(), horch's rules
 * and VADER's.
 *
 * The first byte of the input chooses the language ("en", "de", "fr" or
 * none) and the rule set (horch's or VADER's); the rest is the text, any
 * bytes.  It is scored twice: as it is (invalid UTF-8 straight into the
 * tokenizer and the rules) and normalised.  The result must hold: a score
 * in -1..1 and not NaN, a label of the three, a confidence in 0..1, and
 * nlp_sentiment_rules() equal to the score.  A broken rule aborts.
 * Corpus: tests/fuzz/corpus/sentiment, dictionary: tests/fuzz/sentiment.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/post.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nlp rules, vader;
static struct nlp_work work;
static struct tokens tk;
static int loaded;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_sentiment: %s\n", what);
	abort();
}

static void check(const struct nlp *m, const char *text, size_t len, const char *lang)
{
	struct nlp_sentiment s;
	float r;

	if (text_tokenise(&tk, text, len) != 0)
		return;
	nlp_sentiment(m, &work, text, len, &tk, lang, &s);
	if (!(s.score >= -1 && s.score <= 1))
		fail("score out of -1..1");
	if (s.label != POST_SENT_NEGATIVE && s.label != POST_SENT_NEUTRAL &&
	    s.label != POST_SENT_POSITIVE)
		fail("no label");
	if (!(s.conf >= 0 && s.conf <= 1))
		fail("confidence out of 0..1");
	if (s.needs_review > 1)
		fail("needs_review not 0 or 1");
	r = nlp_sentiment_rules(m, &work, text, len, &tk, lang);
	if (r != s.score)
		fail("nlp_sentiment_rules() differs from the score");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "en", "de", "fr", NULL };
	const char *lang, *text;
	const struct nlp *m;
	struct buf norm;
	size_t len;

	if (!loaded) {
		struct horch_err err;

		if (nlp__sentiment_load(&rules, &err) || nlp__sentiment_load(&vader, &err))
			fail(err.msg);
		vader.vader_only = 1;
		tokens_init(&tk);
		loaded = 1;
	}
	if (size == 0)
		return 0;
	lang = langs[data[0] & 3];
	m = data[0] & 4 ? &vader : &rules;
	text = (const char *)data + 1;
	len = size - 1;
	check(m, text, len, lang);
	buf_init(&norm, POST_TEXT_MAX * 4);
	if (text_normalise(&norm, text, len, NULL) == 0)
		check(m, norm.ptr ? norm.ptr : "", norm.len, lang);
	buf_cleanup(&norm);
	return 0;
}
