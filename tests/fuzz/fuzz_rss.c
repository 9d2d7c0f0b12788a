/* fuzz_rss.c - libFuzzer target for the RSS and Atom connector's parsers
 * (src/ingest/rss.c): rss_decode(), rss_parse() and opml_parse().
 *
 * The first byte picks what runs, the rest is the body:
 *   0..5  rss_parse() with one of six Content-Types (none, a Latin-1, a
 *         UTF-16, a Shift_JIS, an HTML and a KOI8-R charset);
 *   6     opml_parse();
 *   7     rss_decode() alone.
 * Rules checked (a broken one aborts): the decoded text is valid UTF-8
 * without the characters XML forbids; on success every post passes
 * post_validate(), has source "rss", an external id, an http(s) url or
 * none, fields within their caps, and there are at most RSS_ITEMS_MAX;
 * on failure there is a message and no post; OPML gives each callback an
 * xmlUrl within its cap.  Corpus: tests/fuzz/corpus/rss, dictionary:
 * tests/fuzz/rss.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"
#include "core/utf8.h"
#include "ingest/rss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_rss: %s\n", what);
	abort();
}

static void check_text(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = horch_utf8_decode((const unsigned char *)s + i, len - i, &cp);

		if (!n)
			fail("decoded text is not valid UTF-8");
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
		    cp == 0xFFFF)
			fail("decoded text has a character XML forbids");
		i += n;
	}
}

static void check_field(const char *s, size_t cap, const char *what)
{
	if (s && strlen(s) > cap) {
		fprintf(stderr, "fuzz_rss: %s over its cap\n", what);
		abort();
	}
}

static int on_outline(void *ctx, const char *title, const char *xml_url, const char *html_url)
{
	(void)ctx;
	(void)title;
	(void)html_url;
	if (!xml_url || !*xml_url || strlen(xml_url) > POST_FIELD_MAX)
		fail("an outline without a valid xmlUrl");
	return 0;
}

static void nothing(void *ctx, const char *msg)
{
	(void)ctx;
	if (!msg || !*msg)
		fail("an empty warning");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {
		NULL,
		"application/rss+xml; charset=ISO-8859-1",
		"text/xml; charset=\"utf-16\"",
		"text/xml; charset=shift_jis",
		"text/html; charset=utf-8",
		"application/atom+xml; charset=KOI8-R",
	};
	const char *body;
	struct horch_err err;
	int rc;

	if (size < 1)
		return 0;
	body = (const char *)data + 1;
	size--;
	if (data[0] % 8 == 7) {
		struct rss_decode_info info;
		struct buf out;

		buf_init(&out, BUF_NOLIMIT);
		rc = rss_decode(body, size, NULL, &out, &info, &err);
		if (rc == 0)
			check_text(out.ptr, out.len);
		buf_cleanup(&out);
	} else if (data[0] % 8 == 6) {
		rc = opml_parse(body, size, on_outline, NULL, &err);
		if (rc && !err.msg[0])
			fail("an OPML error without a message");
	} else {
		struct rss_opts o = { .feed_url = "https://fuzz.example/feed",
				      .base_url = "https://fuzz.example/dir/feed",
				      .content_type = types[data[0] % 8],
				      .warn = nothing };
		struct rss_feed f;

		rss_feed_init(&f);
		rc = rss_parse(body, size, &o, &f, &err);
		if (rc) {
			if (!err.msg[0])
				fail("an error without a message");
			if (f.n_posts)
				fail("posts after an error");
		}
		if (f.n_posts > RSS_ITEMS_MAX)
			fail("more than RSS_ITEMS_MAX posts");
		for (size_t i = 0; i < f.n_posts; i++) {
			const struct post *p = f.posts[i];

			if (post_validate(p, &err) != 0)
				fail(err.msg);
			if (!p->source || strcmp(p->source, "rss") != 0)
				fail("source is not rss");
			if (p->url && strncmp(p->url, "http://", 7) && strncmp(p->url, "https://", 8))
				fail("a url that is not http(s)");
			check_field(p->title, POST_FIELD_MAX, "title");
			check_field(p->author, POST_FIELD_MAX, "author");
			check_field(p->html, POST_TEXT_MAX, "html");
			check_field(p->text, POST_TEXT_MAX, "text");
			check_field(p->lang, 2, "lang");
		}
		rss_feed_cleanup(&f);
	}
	return 0;
}
