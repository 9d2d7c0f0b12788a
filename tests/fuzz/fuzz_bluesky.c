/* fuzz_bluesky.c - libFuzzer target for the Bluesky Jetstream message
 * parser (src/ingest/bluesky.h): bluesky_parse(), then, for a post
 * creation, bluesky_event_post().
 *
 * Rules checked (a broken one aborts): a failure has a message; every
 * slice of a parsed event lies inside the message or the event's scratch;
 * the decoded text is valid UTF-8 without NUL; a built post passes
 * post_validate(); and a message the parser accepts is JSON that jansson
 * accepts too, with the same time_us (jansson's own limits aside: it
 * refuses lone surrogates, NULs in keys, and numbers it cannot hold).
 * Corpus: tests/fuzz/corpus/bluesky, dictionary: tests/fuzz/bluesky.dict. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/bluesky.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_bluesky: %s\n", what);
	abort();
}

static int inside(const struct bluesky_str *s, const char *msg, size_t len,
		  const struct buf *scratch)
{
	if (!s->ptr)
		return s->len == 0;
	if (s->ptr >= msg && s->ptr + s->len <= msg + len)
		return 1;
	return scratch->ptr && s->ptr >= scratch->ptr &&
	       s->ptr + s->len <= scratch->ptr + scratch->cap;
}

static int valid_utf8_no_nul(const struct bluesky_str *s)
{
	const unsigned char *p = (const unsigned char *)s->ptr;

	for (size_t i = 0; i < s->len;) {
		unsigned c = p[i];
		size_t n;
		unsigned cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!n || c > 0xF4 || i + n > s->len)
			return 0;
		cp = c & (0xFF >> (n + 1));
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;
	struct bluesky_event ev;
	struct horch_err err;
	struct post p;
	int rc;

	bluesky_event_init(&ev);
	horch_err_clear(&err);
	rc = bluesky_parse(&ev, msg, size, &err);
	if (rc) {
		if (!err.msg[0])
			fail("a failure without a message");
		goto out;
	}
	{
		const struct bluesky_str *all[] = { &ev.did, &ev.collection, &ev.rkey, &ev.type,
						    &ev.text, &ev.created_at, &ev.lang, &ev.parent,
						    &ev.root };

		for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
			if (!inside(all[i], msg, size, &ev.scratch))
				fail("a slice outside the message and the scratch");
	}
	if (ev.text.ptr && !valid_utf8_no_nul(&ev.text))
		fail("text not valid UTF-8, or with a NUL");
	if (bluesky_event_is_post(&ev)) {
		post_init(&p);
		if (bluesky_event_post(&ev, &p, &err) == 0) {
			struct horch_err verr;

			if (post_validate(&p, &verr))
				fail("a built post does not validate");
		} else if (!err.msg[0]) {
			fail("a refused post without a message");
		}
		post_cleanup(&p);
	}
	{
		json_error_t jerr;
		json_t *root = json_loadb(msg, size, JSON_ALLOW_NUL, &jerr);

		if (!root) {
			if (!strstr(jerr.text, "Unicode") && !strstr(jerr.text, "surrogate") &&
			    !strstr(jerr.text, "too big") && !strstr(jerr.text, "overflow") &&
			    !strstr(jerr.text, "maximum parsing depth") &&
			    !strstr(jerr.text, "NUL byte in object key")) {
				fprintf(stderr, "jansson: %s\n", jerr.text);
				fail("accepted JSON that jansson refuses");
			}
		} else {
			json_t *t = json_object_get(root, "time_us");

			if (!json_is_object(root) || !json_is_integer(t) ||
			    json_integer_value(t) != ev.time_us)
				fail("time_us differs from jansson's");
			json_decref(root);
		}
	}
out:
	bluesky_event_cleanup(&ev);
	return 0;
}
