/* fuzz_search.c - libFuzzer target for search expressions.
 *
 * The input is what a user types after `horch search`: it goes through the
 * store's rewriting (quote_words(), the stray-parenthesis check, the
 * {title text} scope, the author phrase) into FTS5 on an in-memory store
 * holding a few posts.  Any outcome but a crash, a sanitizer report or an
 * error other than HORCH_EPARSE/HORCH_ETOOBIG is a finding: whatever the
 * user types must either run or be refused as a bad expression.  The
 * first line of the input is the search expression, the rest (if any) the
 * author filter.  Corpus: tests/fuzz/corpus/search, dictionary:
 * tests/fuzz/search.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/post.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;

static int count(void *ctx, const struct post *p)
{
	(void)p;
	(*(size_t *)ctx)++;
	return 0;
}

static void setup(void)
{
	static const char *texts[] = {
		"Der Akku brennt! #KorvoPro15 @KorvoCares e-mail an dell.com",
		"my touchpad runs hot, don't buy (yet)",
		"\"quoted\" NEAR words AND or NOT 12:30 caf\xc3\xa9",
	};
	struct post *posts[3];
	struct horch_err err;

	if (store_open(&st, ":memory:", NULL, &err) != 0) {
		fprintf(stderr, "fuzz_search: %s\n", err.msg);
		abort();
	}
	for (int i = 0; i < 3; i++) {
		char id[8];

		snprintf(id, sizeof id, "%d", i);
		posts[i] = post_new();
		posts[i]->source = horch_xstrdup("fuzz");
		posts[i]->external_id = horch_xstrdup(id);
		posts[i]->author = horch_xstrdup(i ? "jen_codes" : "o\"brien");
		posts[i]->title = horch_xstrdup(i == 1 ? "Title here" : NULL);
		posts[i]->text = horch_xstrdup(texts[i]);
	}
	if (store_put_posts(st, posts, 3, NULL, &err) != 0) {
		fprintf(stderr, "fuzz_search: %s\n", err.msg);
		abort();
	}
	for (int i = 0; i < 3; i++)
		post_free(posts[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_query q;
	struct horch_err err;
	char *in, *nl;
	size_t n = 0;
	int rc;

	if (!st)
		setup();
	if (size > 8192)
		return 0;
	in = horch_xstrndup((const char *)data, size);
	if (strlen(in) != size) {  /* a NUL inside: the CLI cannot pass one */
		free(in);
		return 0;
	}
	store_query_init(&q);
	q.fts = in;
	nl = strchr(in, '\n');
	if (nl) {
		*nl = '\0';
		q.author = nl + 1;
	}
	rc = store_search(st, &q, count, &n, &err);
	if (rc != 0 && rc != HORCH_EPARSE && rc != HORCH_ETOOBIG) {
		fprintf(stderr, "fuzz_search: unexpected error %d: %s\n", rc, err.msg);
		abort();
	}
	free(in);
	return 0;
}
