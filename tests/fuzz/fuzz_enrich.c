/* fuzz_enrich.c - libFuzzer target for the whole enrich stage: every
 * enricher of src/nlp on any bytes, valid UTF-8 or not.
 *
 * The input is split at its first NUL byte into a title and a text (no NUL:
 * all text); the first byte also chooses the followers, engagement and
 * times of the post, so that reach and priority see unusual numbers.  The
 * post goes through nlp_analyse() with a catalogue of two products, not
 * normalised first (the stage must not trust its input), then its
 * fingerprint through a small near-duplicate index.  Every derived field
 * must be in its documented range, every entity inside its part, and the
 * language a code or "und".  A broken rule aborts.  Corpus:
 * tests/fuzz/corpus/enrich, dictionary: tests/fuzz/enrich.dict. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/post.h"
#include "nlp/nlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct nlp *models;
static struct nlp_work *work;
static struct simhash_index *dups;
static int64_t next_id = 1;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_enrich: %s\n", what);
	abort();
}

static void init(void)
{
	static const char *const al[] = { "inspiron15", "Inspiron-15" };
	static const struct nlp_product prods[] = {
		{ 1, "Inspiron 15", al, 2 },
		{ 2, "Akku", NULL, 0 },
	};
	struct nlp_opts o = { .products = prods, .n_products = 2 };
	struct horch_err err;

	if (nlp_new(&models, &o, &err) != 0)
		fail(err.msg);
	work = nlp_work_new();
	dups = simhash_index_new(64);
}

static void in_range(float v, float lo, float hi, const char *what)
{
	if (!(v >= lo && v <= hi))
		fail(what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct post p;
	size_t tlen = nul ? (size_t)(nul - data) : 0;
	unsigned knob = size ? data[0] : 0;

	if (!models)
		init();
	post_init(&p);
	if (nul) {
		p.title = horch_xstrndup((const char *)data, tlen);
		p.text = horch_xstrndup((const char *)nul + 1, size - tlen - 1);
	} else {
		p.text = horch_xstrndup((const char *)data, size);
	}
	p.source = horch_xstrdup("fuzz");
	if (knob & 1)
		p.author_followers = (int64_t)knob << (knob & 31);
	p.author_verified = (knob >> 1) & 1;
	if (knob & 4) {
		p.likes = knob;
		p.reposts = (int64_t)knob << 20;
		p.created_at = 1000;
		p.fetched_at = (knob & 8) ? 1000 : 1000 + (int64_t)knob * 60000;
	}
	if (knob & 16)
		p.lang = horch_xstrdup("de");

	if (nlp_analyse(models, work, &p) != 0) {
		post_cleanup(&p);
		return 0; /* longer than the tokenizer takes: stored unanalysed */
	}
	if (!p.analysed || !p.lang)
		fail("analysed post without lang");
	if (strlen(p.lang) < 2 || strlen(p.lang) > 35)
		fail("lang is not a code");
	in_range(p.lang_conf, 0, 1, "lang_conf");
	in_range(p.sentiment, -1, 1, "sentiment");
	in_range(p.sentiment_conf, 0, 1, "sentiment_conf");
	if (p.sentiment_label < POST_SENT_NEGATIVE || p.sentiment_label > POST_SENT_POSITIVE)
		fail("sentiment label");
	in_range(p.spam, 0, 1, "spam");
	if (p.is_spam != (p.spam >= NLP_SPAM_THRESHOLD))
		fail("is_spam disagrees with spam");
	if (p.intent < POST_INTENT_OTHER || p.intent > POST_INTENT_IDEA)
		fail("intent");
	in_range(p.reach, 0, 10, "reach");
	in_range(p.priority, 0, 100, "priority");
	for (size_t i = 0; i < p.n_entities; i++) {
		const struct post_entity *e = &p.entities[i];
		size_t plen = e->part ? strlen(p.text) : (p.title ? strlen(p.title) : 0);

		if (e->kind > POST_ENTITY_PRODUCT || e->len == 0 || e->off + (size_t)e->len > plen)
			fail("entity outside its part");
		if ((e->kind == POST_ENTITY_PRODUCT) != (e->product != 0))
			fail("product id");
		(void)post_entity_value(&p, i);
	}
	if (simhash_index_put(dups, p.simhash, next_id) >= next_id)
		fail("a post is its own duplicate");
	next_id++;
	post_cleanup(&p);
	return 0;
}
