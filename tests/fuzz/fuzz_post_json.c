/* fuzz_post_json.c - libFuzzer target for post_from_json() and
 * post_to_json().
 *
 * The input is one JSON post.  When it parses, the post is written out,
 * and the output must parse again into an equal post and write out to the
 * very same bytes; a difference or a parse failure aborts.  The same input
 * is also read through a map (with a dotted path) for coverage of the
 * renaming code.  Corpus: tests/fuzz/corpus/post_json, dictionary:
 * tests/fuzz/post_json.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every field that JSON carries (not id, which input ignores). */
static int post_equal(const struct post *a, const struct post *b)
{
	return str_eq(a->source, b->source) && str_eq(a->external_id, b->external_id) &&
	       str_eq(a->url, b->url) && str_eq(a->author, b->author) &&
	       str_eq(a->author_name, b->author_name) &&
	       a->author_followers == b->author_followers &&
	       a->author_verified == b->author_verified && a->created_at == b->created_at &&
	       a->fetched_at == b->fetched_at && str_eq(a->title, b->title) &&
	       str_eq(a->text, b->text) && str_eq(a->html, b->html) &&
	       str_eq(a->lang, b->lang) && str_eq(a->parent, b->parent) && a->kind == b->kind &&
	       a->rating == b->rating && str_eq(a->product, b->product) &&
	       a->likes == b->likes && a->reposts == b->reposts && a->replies == b->replies &&
	       a->views == b->views && str_eq(a->country, b->country);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *canon[] = { "external_id", "author", "likes" };
	static const char *input[] = { "id", "user.name", "stats.likes" };
	const struct post_map map = { 3, canon, input };
	struct horch_err err;
	struct post p, q;
	struct buf b1, b2;

	post_init(&p);
	if (post_from_json(&p, (const char *)data, size, &map, &err) == 0)
		post_cleanup(&p);
	else if (err.msg[0] == '\0')
		abort();  /* a failure must say why */

	post_init(&p);
	if (post_from_json(&p, (const char *)data, size, NULL, &err) != 0) {
		if (err.msg[0] == '\0' || err.code >= 0)
			abort();
		return 0;
	}
	buf_init(&b1, BUF_NOLIMIT);
	buf_init(&b2, BUF_NOLIMIT);
	if (post_to_json(&p, &b1) != 0)
		abort();
	post_init(&q);
	if (post_from_json(&q, b1.ptr, b1.len, NULL, &err) != 0) {
		fprintf(stderr, "output does not read back: %s\n%s\n", err.msg, b1.ptr);
		abort();
	}
	if (!post_equal(&p, &q)) {
		fprintf(stderr, "round trip changed the post:\n%s\n", b1.ptr);
		abort();
	}
	if (post_to_json(&q, &b2) != 0 || b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len)) {
		fprintf(stderr, "second write differs:\n%s\n%s\n", b1.ptr, b2.ptr);
		abort();
	}
	buf_cleanup(&b1);
	buf_cleanup(&b2);
	post_cleanup(&p);
	post_cleanup(&q);
	return 0;
}
