/* test_entities.c - nlp_entities() and the product catalogue.
 *
 * Hashtags, mentions, cashtags and URL hosts with the value each carries;
 * products matched as folded token sequences (spacing, case, hyphens,
 * longest first, every occurrence, title and text); the catalogue's
 * checks at load; the cap on entities per post; and input the pipeline
 * never hands over but a caller could (invalid UTF-8, no title). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/post.h"
#include "nlp/nlp_int.h"
#include "text/text.h"

static struct tokens tk, title_tk;
static struct post post;

/* Run nlp_entities() on text (and title, may be NULL) with catalogue m
 * (may be NULL) into the static post; returns the number of entities. */
static size_t run(const struct nlp *m, const char *title, const char *text)
{
	post_cleanup(&post);
	post_init(&post);
	post.text = horch_xstrdup(text);
	post.title = horch_xstrdup(title);
	text_tokenise(&tk, text, strlen(text));
	if (title)
		text_tokenise(&title_tk, title, strlen(title));
	nlp_entities(m, NULL, &post, title ? &title_tk : NULL, &tk);
	return post.n_entities;
}

/* Entity i as "kind:value@part:off+len", into a static buffer. */
static const char *ent(size_t i)
{
	static char s[512];
	const struct post_entity *e;

	if (i >= post.n_entities)
		return "(none)";
	e = &post.entities[i];
	snprintf(s, sizeof s, "%s:%s@%d:%u+%u", post_entity_kind_name(e->kind),
		 post_entity_value(&post, i), e->part, e->off, e->len);
	return s;
}

/* The values of every entity of kind, joined by '|'. */
static const char *values(int kind)
{
	static char s[1024];
	size_t i, n = 0;

	s[0] = '\0';
	for (i = 0; i < post.n_entities && n < sizeof s - 64; i++) {
		if (post.entities[i].kind != kind)
			continue;
		n += (size_t)snprintf(s + n, sizeof s - n, "%s%s", n ? "|" : "",
				      post_entity_value(&post, i));
	}
	return s;
}

static void test_tags(void)
{
	is_int(run(NULL, NULL, "Love my #DellXPS, thanks @DellCares! $DELL up"), 3,
	       "entities-1.1 a hashtag, a mention and a cashtag");
	is_str(ent(0), "hashtag:dellxps@1:8+8", "entities-1.2 hashtag folded, no '#', offsets of the tag");
	is_str(ent(1), "mention:dellcares@1:25+10", "entities-1.3 mention folded, no '@'");
	is_str(ent(2), "cashtag:DELL@1:37+5", "entities-1.4 cashtag upper case, no '$'");
	run(NULL, NULL, "$dell and $Msft, not $5 or 5$");
	is_str(values(POST_ENTITY_CASHTAG), "DELL|MSFT", "entities-1.5 tickers upper case, prices are not tickers");
	run(NULL, NULL, "#Über #straße #ÉTÉ");
	is_str(values(POST_ENTITY_HASHTAG), "uber|strasse|ete", "entities-1.6 hashtags folded: accents, ß, case");
	run(NULL, NULL, "@Joerg_M and @DELL");
	is_str(values(POST_ENTITY_MENTION), "joerg_m|dell", "entities-1.7 mentions folded");
	is_int(run(NULL, NULL, ""), 0, "entities-1.8 empty text, no entities");
	is_int(run(NULL, NULL, "nothing to see here."), 0, "entities-1.9 plain words, no entities");
}

static void test_urls(void)
{
	run(NULL, NULL, "see https://www.Dell.com/en-us/shop and http://support.dell.com:8080/x?y=1");
	is_str(values(POST_ENTITY_URL), "dell.com|support.dell.com",
	       "entities-2.1 host lower case, without www., path, query and port");
	is_str(ent(0), "url:dell.com@1:4+31", "entities-2.2 the entity spans the whole URL");
	run(NULL, NULL, "go to www.dell.de/xps now");
	is_str(values(POST_ENTITY_URL), "dell.de", "entities-2.3 www. without a scheme");
	run(NULL, NULL, "http://user:secret@WWW.Example.ORG:443/login");
	is_str(values(POST_ENTITY_URL), "example.org", "entities-2.4 user and password stripped");
	run(NULL, NULL, "https://www.münchen.de/rathaus and https://BÜCHER.example/");
	is_str(values(POST_ENTITY_URL), "münchen.de|bücher.example",
	       "entities-2.5 an IDN host stays as written, lower case");
	run(NULL, NULL, "https://[2001:db8::1]:8443/x");
	is_str(values(POST_ENTITY_URL), "[2001:db8::1]", "entities-2.6 an IPv6 literal keeps brackets, loses the port");
	run(NULL, NULL, "https://t.co/AbC123 and https://dell.com./x");
	is_str(values(POST_ENTITY_URL), "t.co|dell.com", "entities-2.7 a shortener's host; a final dot goes");
	run(NULL, NULL, "https://www.com/");
	is_str(values(POST_ENTITY_URL), "com", "entities-2.8 www. goes only before a further label");
	run(NULL, NULL, "(https://dell.com/a_(b)).");
	is_str(values(POST_ENTITY_URL), "dell.com", "entities-2.9 a URL in parentheses");
	run(NULL, NULL, "https://dell.com#top https://dell.com?q=1");
	is_str(values(POST_ENTITY_URL), "dell.com|dell.com", "entities-2.10 fragment and query end the host");
}

static const char *const xps_aliases[] = { "xps13", "XPS-13" };
static const char *const insp_aliases[] = { "inspiron15", "Inspiron-15" };
static const char *const lat_aliases[] = { "Latitude" };

static const struct nlp_product catalogue[] = {
	{ 1, "Inspiron 15", insp_aliases, 2 },
	{ 2, "Inspiron 15 Pro", NULL, 0 },
	{ 3, "XPS 13", xps_aliases, 2 },
	{ 4, "Dell XPS 13 (2024)", NULL, 0 },
	{ 5, "Latitude 7440", lat_aliases, 1 },
	{ 6, "Latitude", NULL, 0 },
	{ 7, "Precision 5680", NULL, 0 },
};

static void test_products(void)
{
	struct nlp m;
	struct horch_err err;
	int rc;

	memset(&m, 0, sizeof m);
	rc = nlp__products_load(&m, catalogue, sizeof catalogue / sizeof catalogue[0], &err);
	is_int(rc, 0, "products-1.1 the catalogue loads");
	ok(m.products != NULL, "products-1.2 and is compiled");
	if (!m.products)
		return;

	run(&m, NULL, "my inspiron 15 died");
	is_str(ent(0), "product:Inspiron 15@1:3+11", "products-2.1 lower case, the catalogue's name, the span");
	is_int(post.entities[0].product, 1, "products-2.2 the product's id");
	run(&m, NULL, "Inspiron  15 / INSPIRON 15 / Inspiron-15 / inspiron15 / Inspiron\u00a015");
	is_str(values(POST_ENTITY_PRODUCT), "Inspiron 15|Inspiron 15|Inspiron 15|Inspiron 15|Inspiron 15",
	       "products-2.3 spaces, case, hyphen, alias and no-break space all match");
	is_int(run(&m, NULL, "my inspiron 150 and inspiron 15s"), 0,
	       "products-2.4 a longer number or word is another product");
	run(&m, NULL, "the Inspiron 15 Pro beats the Inspiron 15");
	is_str(values(POST_ENTITY_PRODUCT), "Inspiron 15 Pro|Inspiron 15",
	       "products-2.5 longest first, then each place it occurs");
	run(&m, NULL, "Dell XPS 13 (2024) or just an XPS 13?");
	is_str(values(POST_ENTITY_PRODUCT), "Dell XPS 13 (2024)|XPS 13",
	       "products-2.6 inner punctuation of a name is part of it");
	run(&m, NULL, "Dell XPS 13 2024");
	is_str(values(POST_ENTITY_PRODUCT), "XPS 13",
	       "products-2.7 without the parentheses only the shorter name matches");
	run(&m, NULL, "I love my Inspiron. 15 days later it broke.");
	is_str(values(POST_ENTITY_PRODUCT), "", "products-2.8 no match across a sentence end");
	run(&m, NULL, "#XPS13 and #xps 13");
	is_str(values(POST_ENTITY_PRODUCT), "XPS 13|XPS 13", "products-2.9 a hashtag names a product too");
	is_str(values(POST_ENTITY_HASHTAG), "xps13|xps", "products-2.10 and stays a hashtag");
	run(&m, NULL, "@xps13 and $XPS");
	is_str(values(POST_ENTITY_PRODUCT), "", "products-2.11 mentions and cashtags are not products");
	run(&m, NULL, "Latitude 7440 vs Latitude 5440");
	is_str(values(POST_ENTITY_PRODUCT), "Latitude 7440|Latitude 7440|Latitude",
	       "products-2.12 a product's alias that is another's name reports both");
	run(&m, "Precision 5680 review", "The precision 5680 is fast.");
	is_str(ent(0), "product:Precision 5680@0:0+14", "products-2.13 in the title, part 0");
	is_str(ent(1), "product:Precision 5680@1:4+14", "products-2.14 and in the text, part 1");
	run(&m, NULL, "XPS 13\"");
	is_str(values(POST_ENTITY_PRODUCT), "XPS 13", "products-2.15 text punctuation after a name does not matter");

	nlp__products_free(m.products);
}

static void test_load_errors(void)
{
	static const char *const empty_alias[] = { "ok", " -- " };
	struct nlp_product p[1];
	struct nlp m;
	struct horch_err err;
	char long_name[700];
	int rc;

	memset(&m, 0, sizeof m);
	memset(&err, 0, sizeof err);
	rc = nlp__products_load(&m, NULL, 0, &err);
	is_int(rc, 0, "products-3.1 an empty catalogue loads");
	ok(m.products == NULL, "products-3.2 as NULL");

	p[0] = (struct nlp_product){ 9, "", NULL, 0 };
	is_int(nlp__products_load(&m, p, 1, &err), HORCH_EINVAL, "products-3.3 a product without a name");
	ok(strstr(err.msg, "product 9") != NULL, "products-3.4 the message names it: %s", err.msg);
	p[0] = (struct nlp_product){ 10, "!!!", NULL, 0 };
	is_int(nlp__products_load(&m, p, 1, &err), HORCH_EINVAL, "products-3.5 a name of punctuation only");
	p[0] = (struct nlp_product){ 11, "Good", empty_alias, 2 };
	is_int(nlp__products_load(&m, p, 1, &err), HORCH_EINVAL, "products-3.6 an alias without words");
	ok(m.products == NULL, "products-3.7 a failed load leaves no catalogue");
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	p[0] = (struct nlp_product){ 12, long_name, NULL, 0 };
	is_int(nlp__products_load(&m, p, 1, &err), HORCH_ETOOBIG, "products-3.8 a name over 512 bytes");
	p[0] = (struct nlp_product){ 13, "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g",
				     NULL, 0 };
	is_int(nlp__products_load(&m, p, 1, &err), HORCH_ETOOBIG, "products-3.9 a name of 33 words");
}

static void test_limits(void)
{
	static const char *const alias[] = { "tag" };
	struct nlp_product p = { 1, "tag", alias, 1 };
	struct nlp m;
	struct horch_err err;
	struct buf b;
	size_t i;

	memset(&m, 0, sizeof m);
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < 3000; i++)
		buf_puts(&b, "#tag ");
	nlp__products_load(&m, &p, 1, &err);
	is_int(run(&m, NULL, b.ptr), 1000, "limits-1.1 at most 1,000 entities per post");
	is_str(ent(1), "product:tag@1:0+4", "limits-1.2 a hashtag that is a product: tag, then product");

	/* Invalid UTF-8 as the tokenizer's one-byte tokens: values stay
	 * valid UTF-8, nothing breaks. */
	run(&m, NULL, "https://ex\xff" "ample.com/ $ab\xc3 #t\xe2\x82 @\xf0");
	is_str(values(POST_ENTITY_URL), "ex", "limits-1.3 a URL cut by an invalid byte");

	/* No text, only a title; and a text without a title. */
	post_cleanup(&post);
	post_init(&post);
	post.title = horch_xstrdup("#a");
	text_tokenise(&title_tk, "#a", 2);
	nlp_entities(&m, NULL, &post, &title_tk, NULL);
	is_str(ent(0), "hashtag:a@0:0+2", "limits-1.4 a title without text");
	nlp_entities(NULL, NULL, &post, NULL, NULL);
	is_int(post.n_entities, 1, "limits-1.5 nothing to read appends nothing");

	nlp__products_free(m.products);
	buf_cleanup(&b);
}

/* A catalogue whose names all start alike must not make every shared
 * word try them all: 20,000 products "Dell Model N" and a text of 200,000
 * tokens of "Dell Model" finish at once and find the right ones. */
static void test_shared_prefix(void)
{
	enum { N = 20000 };
	struct nlp_product *p = horch_xcalloc(N, sizeof *p);
	char (*names)[32] = horch_xcalloc(N, sizeof *names);
	struct nlp m;
	struct horch_err err;
	struct buf b;
	clock_t t0;
	double secs;
	size_t i;

	memset(&m, 0, sizeof m);
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "Dell Model %zu", i);
		p[i] = (struct nlp_product){ (int64_t)i + 1, names[i], NULL, 0 };
	}
	is_int(nlp__products_load(&m, p, N, &err), 0, "products-4.1 20,000 names with one first word load");
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < 100000; i++)
		buf_puts(&b, "dell model ");
	buf_puts(&b, "dell model 19999 and dell model 7.");
	t0 = clock();
	run(&m, NULL, b.ptr);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	is_str(values(POST_ENTITY_PRODUCT), "Dell Model 19999|Dell Model 7",
	       "products-4.2 only the full names match");
	ok(secs < 1.0, "products-4.3 200,000 tokens that each start 20,000 names: %.3f s", secs);
	nlp__products_free(m.products);
	buf_cleanup(&b);
	free(names);
	free(p);
}

int main(void)
{
	tokens_init(&tk);
	tokens_init(&title_tk);
	post_init(&post);
	test_tags();
	test_urls();
	test_products();
	test_load_errors();
	test_limits();
	test_shared_prefix();
	post_cleanup(&post);
	tokens_cleanup(&tk);
	tokens_cleanup(&title_tk);
	return tap_done();
}
