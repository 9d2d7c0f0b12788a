/* fuzz_model.c - libFuzzer target for the sentiment model's file loader
 * (nlp__model_parse(), what nlp_model_load() runs on a file's bytes) and
 * for nlp_model_predict() on any text.
 *
 * Each input is used three ways:
 *   1. parsed as a model file as it is;
 *   2. parsed again with its last four bytes replaced by the right CRC-32,
 *      so that the fuzzer reaches the checks behind the checksum (sizes,
 *      weights that are not finite) instead of stopping at it;
 *   3. tokenised as a text (valid or invalid UTF-8) and scored by a small
 *      model trained once at start-up, and by the parsed model when one
 *      loaded.
 * A parse must either succeed or fail with HORCH_EPARSE and a message; a
 * prediction must have a label, a score in -1..1 and a confidence in
 * 1/3..1.  A broken rule aborts.  Corpus: tests/fuzz/corpus/model,
 * dictionary: tests/fuzz/model.dict. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nlp *m;
static struct nlp_work *w;
static struct nlp_model *trained;
static struct tokens tk;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_model: %s\n", what);
	abort();
}

static void setup(void)
{
	static const struct nlp_example ex[] = {
		{ "I love it, great service", 24, "en", POST_SENT_POSITIVE },
		{ "Das ist super, danke", 20, "de", POST_SENT_POSITIVE },
		{ "awful, I want a refund", 22, "en", POST_SENT_NEGATIVE },
		{ "nicht gut, kaputt", 17, "de", POST_SENT_NEGATIVE },
		{ "the shop opens at nine", 22, "en", POST_SENT_NEUTRAL },
	};
	struct nlp_train_opts o = { .epochs = 3, .bits = 10, .seed = 1 };
	struct horch_err err;

	if (nlp_new(&m, NULL, &err) != 0)
		fail(err.msg);
	if (nlp_model_train(&trained, m, ex, sizeof ex / sizeof ex[0], &o, &err) != 0)
		fail(err.msg);
	w = nlp_work_new();
	tokens_init(&tk);
}

static void check_prediction(const struct nlp_sentiment *s)
{
	if (s->label < POST_SENT_NEGATIVE || s->label > POST_SENT_POSITIVE)
		fail("a prediction without a label");
	if (!(s->score >= -1.0f && s->score <= 1.0f))
		fail("a score outside -1..1");
	if (!(s->conf >= 1.0f / 3 - 1e-5f && s->conf <= 1.0f + 1e-6f))
		fail("a confidence outside 1/3..1");
}

/* Parse data[0..size); returns the model or NULL after checking the
 * error. */
static struct nlp_model *parse(const uint8_t *data, size_t size)
{
	struct nlp_model *model = NULL;
	struct horch_err err;
	int rc;

	horch_err_clear(&err);
	rc = nlp__model_parse(&model, data, size, "fuzz", &err);
	if (rc == 0) {
		if (!model)
			fail("success without a model");
		return model;
	}
	if (rc != HORCH_EPARSE)
		fail("a parse failed with another code than HORCH_EPARSE");
	if (model)
		fail("a failed parse set *out");
	if (strncmp(err.msg, "fuzz: ", 6) != 0 || strlen(err.msg) < 8)
		fail("a parse error without a message naming the file");
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlp_model *model, *fixed = NULL;
	struct nlp_sentiment s;
	uint8_t *copy;

	if (!m)
		setup();
	model = parse(data, size);
	if (size >= 4) {
		uint32_t crc;

		copy = horch_xmalloc(size);
		memcpy(copy, data, size);
		crc = nlp__model_crc32(copy, size - 4);
		copy[size - 4] = (uint8_t)crc;
		copy[size - 3] = (uint8_t)(crc >> 8);
		copy[size - 2] = (uint8_t)(crc >> 16);
		copy[size - 1] = (uint8_t)(crc >> 24);
		fixed = parse(copy, size);
		free(copy);
	}

	if (text_tokenise(&tk, (const char *)data, size) != 0)
		fail("text_tokenise failed below TEXT_MAX");
	nlp_model_predict(trained, m, w, (const char *)data, size, &tk, "en", &s);
	check_prediction(&s);
	nlp_model_predict(trained, m, w, (const char *)data, size, &tk, "de", &s);
	check_prediction(&s);
	if (model || fixed) {
		nlp_model_predict(model ? model : fixed, m, w, (const char *)data, size, &tk,
				  NULL, &s);
		check_prediction(&s);
	}
	nlp_model_free(model);
	nlp_model_free(fixed);
	return 0;
}
