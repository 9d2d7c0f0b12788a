/* fuzz_intent.c - libFuzzer target for nlp_entities() and nlp_intent().
 *
 * The first byte of the input chooses the language (en, de, und, fr or
 * none), the sentiment (none, negative, neutral, positive) and whether the
 * first line is a title; the rest is the text, any bytes: it is not
 * normalised, so the enrichers see invalid UTF-8 as the tokenizer leaves
 * it.  A small catalogue with names that share first words and contain
 * punctuation is loaded once.  Checked: the intent is one of the six;
 * every entity lies inside its part, has a known kind, at most 1,000 of
 * them; every value is valid UTF-8 and non-empty, a product's value is
 * its catalogue name and its id matches, other kinds carry id 0.  A broken
 * rule aborts.  Corpus: tests/fuzz/corpus/intent, dictionary:
 * tests/fuzz/intent.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/post.h"
#include "core/utf8.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_intent: %s\n", what);
	abort();
}

static const char *const a_xps[] = { "xps13", "XPS-13" };
static const char *const a_insp[] = { "inspiron15" };
static const struct nlp_product catalogue[] = {
	{ 1, "XPS 13", a_xps, 2 },
	{ 2, "XPS 13 Plus", NULL, 0 },
	{ 3, "Inspiron 15", a_insp, 1 },
	{ 4, "Dell XPS 13 (2024)", NULL, 0 },
	{ 5, "Ünïcödé Straße", NULL, 0 },
	{ 6, "tag", NULL, 0 },
};

static int valid_utf8(const char *s, size_t len)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < len) {
		k = horch_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

static void check_entities(const struct post *p, size_t title_len, size_t text_len)
{
	size_t i, k;

	if (p->n_entities > 1000)
		fail("more than 1,000 entities");
	for (i = 0; i < p->n_entities; i++) {
		const struct post_entity *e = &p->entities[i];
		const char *v = post_entity_value(p, i);
		size_t vlen = strlen(v), part_len = e->part == 0 ? title_len : text_len;

		if (e->part > 1 || e->kind > POST_ENTITY_PRODUCT)
			fail("unknown part or kind");
		if (e->len == 0 || (size_t)e->off + e->len > part_len)
			fail("an entity outside its part");
		if (vlen == 0 || !valid_utf8(v, vlen))
			fail("an empty or invalid value");
		if (e->kind != POST_ENTITY_PRODUCT) {
			if (e->product != 0)
				fail("a product id on another kind");
			continue;
		}
		for (k = 0; k < sizeof catalogue / sizeof catalogue[0]; k++)
			if (catalogue[k].id == e->product)
				break;
		if (k == sizeof catalogue / sizeof catalogue[0] || strcmp(catalogue[k].name, v) != 0)
			fail("a product that is not the catalogue's");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "en", "de", "und", "fr", NULL };
	static struct nlp m;
	static struct tokens tk, title_tk;
	static int ready;
	struct nlp_sentiment s = { 0 };
	struct horch_err err;
	struct post p;
	const char *lang, *body;
	size_t body_len, title_len = 0;
	unsigned sel;
	int it;

	if (!ready) {
		if (nlp__intent_load(&m, &err) != 0 ||
		    nlp__products_load(&m, catalogue, sizeof catalogue / sizeof catalogue[0], &err))
			fail("the models do not load");
		tokens_init(&tk);
		tokens_init(&title_tk);
		ready = 1;
	}
	if (size == 0)
		return 0;
	sel = data[0];
	lang = langs[(sel & 7) % 5];
	s.label = (uint8_t)((sel >> 3) & 3);
	body = (const char *)data + 1;
	body_len = size - 1;

	post_init(&p);
	if ((sel & 0x20) && memchr(body, '\n', body_len)) {
		title_len = (size_t)((const char *)memchr(body, '\n', body_len) - body);
		p.title = horch_xstrndup(body, title_len);
		body += title_len + 1;
		body_len -= title_len + 1;
	}
	p.text = horch_xstrndup(body, body_len);
	if (text_tokenise(&tk, p.text, body_len) != 0)
		fail("text_tokenise failed");
	if (p.title && text_tokenise(&title_tk, p.title, title_len) != 0)
		fail("text_tokenise failed on the title");

	nlp_entities(&m, NULL, &p, p.title ? &title_tk : NULL, &tk);
	check_entities(&p, title_len, body_len);
	it = nlp_intent(&m, p.text, body_len, &tk, lang, s.label ? &s : NULL);
	if (it < POST_INTENT_OTHER || it > POST_INTENT_IDEA)
		fail("an intent out of range");
	post_cleanup(&p);
	return 0;
}
