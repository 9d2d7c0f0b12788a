/* test_mastodon.c - the Mastodon connector (src/ingest/mastodon.c): its
 * parsers (status JSON, pages, the Link header, Server-Sent Events, ids,
 * settings) and its run() against a fake instance,
 * tests/tools/mastodon_server, started here as a child process on a free
 * port of 127.0.0.1: paging and catching up, the cursor, 429 with
 * Retry-After, 5xx, a malformed page after a good one, a slow answer, a
 * bad status in a good page, the timelines and search, and the stream
 * (with its catch-ups, its fall back to polling, its idle timeout and its
 * reopening).
 *
 * The fake instance is found beside this test in the build tree
 * (../tools/mastodon_server), or at $HORCH_MASTODON_SERVER. */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/post.h"
#include "ingest/connector.h"
#include "ingest/mastodon.h"
#include "source_harness.h"
#include "tap.h"

/* ---- helpers for the parsers ---- */

/* A status object as Mastodon 4 writes it, with %s for the fields a test
 * changes: the visibility, the content and the reblog. */
static const char status_fmt[] =
	"{\"id\":\"112365721944064049\",\"created_at\":\"2024-05-01T12:00:49.250Z\","
	"\"in_reply_to_id\":%s,\"in_reply_to_account_id\":null,\"sensitive\":false,"
	"\"spoiler_text\":\"%s\",\"visibility\":\"%s\",\"language\":\"de\","
	"\"uri\":\"https://social.example/users/alice/statuses/112365721944064049\","
	"\"url\":\"https://social.example/@alice/112365721944064049\",\"replies_count\":2,"
	"\"reblogs_count\":3,\"favourites_count\":10,\"edited_at\":null,"
	"\"content\":\"%s\",\"reblog\":%s,"
	"\"account\":{\"id\":\"1\",\"username\":\"alice\",\"acct\":\"%s\","
	"\"display_name\":\"Alice \\u00c4\",\"followers_count\":1200},"
	"\"media_attachments\":%s,\"mentions\":[],\"tags\":[],\"emojis\":[]}";

static char *status_json(const char *reply_to, const char *spoiler, const char *vis,
			 const char *content, const char *reblog, const char *acct,
			 const char *media)
{
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	buf_printf(&b, status_fmt, reply_to, spoiler, vis, content, reblog, acct, media);
	return buf_take(&b);
}

/* Parse s with host "social.example". */
static int parse(const char *s, struct post *p, char *id, struct horch_err *err)
{
	post_init(p);
	horch_err_clear(err);
	return mastodon_status_parse(s, strlen(s), "social.example", p, id, err);
}

static void test_ids(void)
{
	char long_id[80];

	memset(long_id, '7', 65);
	long_id[65] = '\0';
	is_int(mastodon_id_valid("112365721944064049", 18), 1, "mastodon-1.1 a Snowflake id");
	is_int(mastodon_id_valid("9zTbGQJkp5cjAO1D6a", 18), 1, "mastodon-1.2 a Pleroma id");
	is_int(mastodon_id_valid("", 0), 0, "mastodon-1.3 an empty id");
	is_int(mastodon_id_valid("12 3", 4), 0, "mastodon-1.4 a blank in an id");
	is_int(mastodon_id_valid("12&min_id=3", 11), 0, "mastodon-1.5 query syntax in an id");
	is_int(mastodon_id_valid(long_id, 65), 0, "mastodon-1.6 an id of 65 bytes");
	is_int(mastodon_id_valid(long_id, 64), 1, "mastodon-1.7 an id of 64 bytes");
	ok(mastodon_id_cmp("9", "10") < 0, "mastodon-1.8 9 before 10 (length first)");
	ok(mastodon_id_cmp("112365721944064049", "112365721878528048") > 0,
	   "mastodon-1.9 same length: by bytes");
	is_int(mastodon_id_cmp("42", "42"), 0, "mastodon-1.10 equal ids");
}

static void test_status(void)
{
	struct horch_err err;
	struct post p;
	char id[MASTODON_ID_MAX + 1], *s, *big;
	int rc;
	size_t n;

	s = status_json("null", "", "public", "<p>Der Akku h\\u00e4lt nicht.</p>", "null", "alice",
			"[]");
	rc = parse(s, &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.1 a local status is taken");
	is_str(id, "112365721944064049", "mastodon-2.2 its id");
	is_str(p.source, "mastodon", "mastodon-2.3 source");
	is_str(p.external_id, "https://social.example/users/alice/statuses/112365721944064049",
	       "mastodon-2.4 external_id is the uri");
	is_str(p.url, "https://social.example/@alice/112365721944064049", "mastodon-2.5 url");
	is_str(p.author, "alice@social.example", "mastodon-2.6 a local acct gets @host");
	is_str(p.author_name, "Alice \xc3\x84", "mastodon-2.7 display_name");
	is_int(p.author_followers, 1200, "mastodon-2.8 followers_count");
	is_int(p.created_at, 1714564849250LL, "mastodon-2.9 created_at in ms");
	is_str(p.html, "<p>Der Akku h\xc3\xa4lt nicht.</p>", "mastodon-2.10 content as html");
	ok(p.text == NULL && p.title == NULL, "mastodon-2.11 no text or title");
	is_str(p.lang, "de", "mastodon-2.12 language");
	is_int(p.kind, POST_KIND_POST, "mastodon-2.13 kind post");
	ok(p.parent == NULL, "mastodon-2.14 no parent");
	is_int(p.likes, 10, "mastodon-2.15 favourites_count");
	is_int(p.reposts, 3, "mastodon-2.16 reblogs_count");
	is_int(p.replies, 2, "mastodon-2.17 replies_count");
	is_int(post_validate(&p, &err), 0, "mastodon-2.18 the post is valid");
	post_cleanup(&p);
	free(s);

	s = status_json("\"112365721878528048\"", "", "unlisted", "<p>Re</p>", "null",
			"@bob@remote.example", "[]");
	rc = parse(s, &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.19 an unlisted reply is taken");
	is_int(p.kind, POST_KIND_REPLY, "mastodon-2.20 kind reply");
	ok(p.parent == NULL, "mastodon-2.21 a reply's parent stays unknown");
	is_str(p.author, "bob@remote.example", "mastodon-2.22 a remote acct as it is, no '@'");
	post_cleanup(&p);
	free(s);
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"content\":\"x\",\"account\":"
		   "{\"acct\":\"alice\",\"url\":\"https://Social.Example:443/@alice\"}}", &p, id, &err);
	is_str(p.author, "alice@social.example", "mastodon-2.22a a local acct: @ its profile's host");
	post_cleanup(&p);
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"content\":\"x\",\"account\":"
		   "{\"acct\":\"alice\",\"url\":\"https://web.example/@alice\"}}", &p, id, &err);
	is_str(p.author, "alice@web.example", "mastodon-2.22b even when it is not the API's");
	post_cleanup(&p);

	{
		char *inner = status_json("null", "cw", "public", "<p>Original</p>", "null",
					  "carol@other.example", "[]");
		char *outer;

		/* The inner status gets its own uri and url, as Mastodon's do. */
		inner = horch_xrealloc(inner, strlen(inner) + 200);
		memcpy(strstr(inner, "social.example/users/alice"), "others.example/users/alice", 26);
		memcpy(strstr(inner, "social.example/@alice"), "others.example/@alice", 21);
		outer = status_json("null", "", "public", "", inner, "dave", "[]");
		rc = parse(outer, &p, id, &err);
		is_int(rc, MASTODON_TAKEN, "mastodon-2.23 a boost is taken");
		is_int(p.kind, POST_KIND_REPOST, "mastodon-2.24 a boost is a repost");
		is_str(p.parent, "https://others.example/users/alice/statuses/112365721944064049",
		       "mastodon-2.25 its parent is the boosted uri");
		is_str(p.html, "<p>Original</p>", "mastodon-2.26 the boosted text");
		is_str(p.title, "cw", "mastodon-2.27 the boosted content warning as title");
		is_str(p.author, "dave@social.example", "mastodon-2.28 the booster is the author");
		is_str(p.external_id, "https://social.example/users/alice/statuses/112365721944064049",
		       "mastodon-2.29 the boost's own uri");
		free(outer);
		post_cleanup(&p);
		/* A boost whose wrapper has no url links to the boosted status. */
		outer = status_json("null", "", "public", "", inner, "dave", "[]");
		memcpy(strstr(outer, "\"url\":\"https://social.example/@alice"), "\"xrl", 4);
		rc = parse(outer, &p, id, &err);
		is_str(p.url, "https://others.example/@alice/112365721944064049",
		       "mastodon-2.30 a boost without a url of its own: the boosted one's");
		post_cleanup(&p);
		free(outer);
		free(inner);
	}

	s = status_json("null", "", "private", "<p>Secret</p>", "null", "alice", "[]");
	rc = parse(s, &p, id, &err);
	is_int(rc, MASTODON_QUIET, "mastodon-2.31 a followers-only status is skipped quietly");
	is_str(id, "112365721944064049", "mastodon-2.32 its id is still read");
	ok(p.source == NULL, "mastodon-2.33 the post is cleaned up");
	free(s);
	s = status_json("null", "", "direct", "<p>DM</p>", "null", "alice", "[]");
	is_int(parse(s, &p, id, &err), MASTODON_QUIET, "mastodon-2.34 a direct message too");
	free(s);

	s = status_json("null", "", "public", "", "null", "alice",
			"[{\"type\":\"image\",\"description\":\"A laptop\"},"
			"{\"type\":\"image\",\"description\":null},"
			"{\"type\":\"video\",\"description\":\"Its fan\"}]");
	rc = parse(s, &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.35 media only with descriptions is taken");
	is_str(p.text, "A laptop\nIts fan", "mastodon-2.36 the descriptions as text");
	ok(p.html == NULL, "mastodon-2.37 no html");
	post_cleanup(&p);
	free(s);
	s = status_json("null", "", "public", "", "null", "alice", "[{\"type\":\"image\"}]");
	rc = parse(s, &p, id, &err);
	is_int(rc, MASTODON_QUIET, "mastodon-2.38 nothing to read: skipped quietly");
	ok(strstr(err.msg, "no text") != NULL, "mastodon-2.39 and says so");
	free(s);
	s = status_json("null", "Spoilers", "public", "", "null", "alice", "[]");
	rc = parse(s, &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.40 a content warning alone is taken");
	is_str(p.title, "Spoilers", "mastodon-2.41 as the title");
	post_cleanup(&p);
	free(s);

	rc = parse("{\"id\":\"5\",\"account\":{\"acct\":\"a\"},\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.42 no uri: unusable");
	ok(strstr(err.msg, "\"uri\"") != NULL, "mastodon-2.43 the message names uri");
	is_str(id, "5", "mastodon-2.44 the id is known all the same");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.45 no account: unusable");
	ok(strstr(err.msg, "account") != NULL, "mastodon-2.46 the message names account");
	rc = parse("{\"id\":5,\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a@b\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.47 a numeric id is taken");
	is_str(id, "5", "mastodon-2.48 as its digits");
	is_str(p.url, "https://x/5", "mastodon-2.49 no url: the uri");
	ok(p.created_at == HORCH_TIME_NONE, "mastodon-2.50 no created_at: none");
	is_int(p.likes, POST_COUNT_NONE, "mastodon-2.51 no counts: none");
	post_cleanup(&p);
	rc = parse("{\"id\":true,\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.52 an id of the wrong type");
	rc = parse("{\"id\":\"5&x=1\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.53 an id that is not letters and digits");
	is_str(id, "", "mastodon-2.54 and no id is given back");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"url\":7,\"created_at\":\"yesterday\","
		   "\"language\":5,\"favourites_count\":\"3\",\"reblogs_count\":-2,"
		   "\"account\":{\"acct\":\"a\",\"display_name\":[],\"followers_count\":1.5},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.55 optional fields of the wrong types: taken");
	is_str(p.url, "https://x/5", "mastodon-2.56 a url that is no string: the uri");
	ok(p.created_at == HORCH_TIME_NONE, "mastodon-2.57 a time that is no time: none");
	ok(p.lang == NULL && p.author_name == NULL, "mastodon-2.58 language and name unset");
	ok(p.likes == POST_COUNT_NONE && p.reposts == POST_COUNT_NONE &&
	   p.author_followers == POST_COUNT_NONE, "mastodon-2.59 counts that are no counts: none");
	post_cleanup(&p);
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":{}}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.60 content of the wrong type");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\",\"reblog\":\"yes\"}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.61 a reblog that is no object");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\",\"reblog\":{\"id\":\"4\",\"content\":\"y\"}}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.62 a reblog without a uri");
	ok(strstr(err.msg, "reblog.uri") != NULL, "mastodon-2.63 named reblog.uri");
	rc = parse("[1, 2]", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.64 an array is not a status");

	/* Huge fields. */
	n = POST_TEXT_MAX + 10;
	big = horch_xmalloc(n + 200);
	strcpy(big, "{\"id\":\"5\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},\"content\":\"");
	memset(big + strlen(big), 'a', n);
	strcpy(big + strlen("{\"id\":\"5\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\"},"
			    "\"content\":\"") + n, "\"}");
	rc = parse(big, &p, id, &err);
	is_int(rc, HORCH_ETOOBIG, "mastodon-2.65 content over the cap: too big");
	ok(strstr(err.msg, "content") != NULL, "mastodon-2.66 named content");
	free(big);
	big = horch_xmalloc(POST_FIELD_MAX + 300);
	strcpy(big, "{\"id\":\"5\",\"uri\":\"https://x/5\",\"content\":\"x\",\"account\":{\"acct\":"
		    "\"a\",\"display_name\":\"");
	n = strlen(big);
	memset(big + n, 'n', POST_FIELD_MAX + 1);
	strcpy(big + n + POST_FIELD_MAX + 1, "\"}}");
	rc = parse(big, &p, id, &err);
	is_int(rc, MASTODON_TAKEN, "mastodon-2.67 a display name over the cap: taken");
	ok(p.author_name == NULL, "mastodon-2.68 without the name");
	post_cleanup(&p);
	free(big);
	big = horch_xmalloc(POST_FIELD_MAX + 300);
	strcpy(big, "{\"id\":\"5\",\"content\":\"x\",\"account\":{\"acct\":\"a\"},\"uri\":\"");
	n = strlen(big);
	memset(big + n, 'u', POST_FIELD_MAX + 1);
	strcpy(big + n + POST_FIELD_MAX + 1, "\"}");
	rc = parse(big, &p, id, &err);
	is_int(rc, HORCH_ETOOBIG, "mastodon-2.69 a uri over the cap: unusable");
	free(big);

	rc = parse("{\"id\":\"5\",\n \"uri\": tru}", &p, id, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-2.70 malformed JSON");
	is_int(err.line, 2, "mastodon-2.71 its line");
	ok(err.col > 0 && strstr(err.msg, "line 2") != NULL, "mastodon-2.72 its column, in the "
	   "message too");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/\\u0000\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-2.73 a NUL in a string is refused");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/\xff\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-2.74 invalid UTF-8 is refused");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/\\u0007\",\"account\":{\"acct\":\"a\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	ok(rc == HORCH_EINVAL && strstr(err.msg, "control"),
	   "mastodon-2.75 a control character in the uri: unusable (%s)", err.msg);
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"account\":{\"acct\":\"a\\tb\"},"
		   "\"content\":\"x\"}", &p, id, &err);
	is_int(rc, HORCH_EINVAL, "mastodon-2.76 a control character in the acct: unusable");
	rc = parse("{\"id\":\"5\",\"uri\":\"https://x/5\",\"url\":\"https://x/\\u001b\","
		   "\"account\":{\"acct\":\"a\",\"display_name\":\"A\\u0085B\"},"
		   "\"content\":\"x\\u0007\"}", &p, id, &err);
	ok(rc == MASTODON_TAKEN && p.author_name == NULL && !strcmp(p.url, "https://x/5") &&
	   !strcmp(p.html, "x\a"), "mastodon-2.77 control characters in the name and url: "
	   "those left out, the text kept");
	post_cleanup(&p);
}

static void test_page(void)
{
	static const char mixed[] =
		"[{\"id\":\"30\",\"uri\":\"u30\",\"account\":{\"acct\":\"a\"},\"content\":\"c30\"},"
		" {\"id\":\"100\",\"account\":{\"acct\":\"a\"},\"content\":\"no uri\"},"
		" {\"id\":\"9\",\"uri\":\"u9\",\"account\":{\"acct\":\"b@x\"},\"content\":\"c9\"},"
		" {\"id\":\"8\",\"uri\":\"u8\",\"visibility\":\"private\",\"account\":{\"acct\":\"a\"},"
		"  \"content\":\"c8\"},"
		" {\"uri\":\"u7\",\"account\":{\"acct\":\"a\"},\"content\":\"no id\"}]";
	struct mastodon_page page;
	struct horch_err err;
	struct buf b;
	struct post *p;
	int rc;

	mastodon_page_init(&page);
	rc = mastodon_page_parse(mixed, strlen(mixed), 0, "h.example", &page, &err);
	is_int(rc, 0, "mastodon-3.1 a page with bad items parses");
	is_int(page.n_items, 5, "mastodon-3.2 five statuses seen");
	is_int(page.n_posts, 2, "mastodon-3.3 two taken");
	is_int(page.n_quiet, 1, "mastodon-3.4 one skipped quietly");
	is_int(page.n_bad, 2, "mastodon-3.5 two unusable");
	is_str(page.items[0].id, "9", "mastodon-3.6 oldest first (9 before 30)");
	is_str(page.items[1].id, "30", "mastodon-3.7 then 30");
	is_str(page.items[0].post->author, "b@x", "mastodon-3.8 the post goes with its id");
	is_str(page.newest, "100", "mastodon-3.9 the newest id counts a skipped status");
	is_int(page.n_warnings, 2, "mastodon-3.10 a warning per bad item");
	is_str(page.warnings[0], "status 2 of the page (id 100) skipped: field \"uri\": missing",
	       "mastodon-3.11 a warning names the item, its id and why");
	ok(strstr(page.warnings[1], "status 5 of the page skipped: field \"id\"") != NULL,
	   "mastodon-3.12 without an id: by its place");
	p = mastodon_page_take(&page, 1);
	is_str(p->external_id, "u30", "mastodon-3.13 a post taken from the page");
	ok(page.items[1].post == NULL, "mastodon-3.14 leaves NULL behind");
	post_free(p);
	mastodon_page_cleanup(&page);

	rc = mastodon_page_parse("[]", 2, 0, "h", &page, &err);
	ok(rc == 0 && page.n_items == 0 && page.newest[0] == '\0',
	   "mastodon-3.15 an empty page");
	rc = mastodon_page_parse("{\"error\":\"x\"}", 13, 0, "h", &page, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-3.16 an object is not a timeline");
	rc = mastodon_page_parse("{\"accounts\":[],\"statuses\":[{\"id\":\"3\",\"uri\":\"u\","
				 "\"account\":{\"acct\":\"a\"},\"content\":\"x\"}],\"hashtags\":[]}",
				 strlen("{\"accounts\":[],\"statuses\":[{\"id\":\"3\",\"uri\":\"u\","
					"\"account\":{\"acct\":\"a\"},\"content\":\"x\"}],"
					"\"hashtags\":[]}"), 1, "h", &page, &err);
	ok(rc == 0 && page.n_posts == 1, "mastodon-3.17 a search result");
	mastodon_page_cleanup(&page);
	rc = mastodon_page_parse("{\"accounts\":[]}", 15, 1, "h", &page, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-3.18 a search result without statuses");
	rc = mastodon_page_parse("[]", 2, 1, "h", &page, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-3.19 an array is not a search result");
	rc = mastodon_page_parse("[{\"id\":\"1\"},\n{", 14, 0, "h", &page, &err);
	is_int(rc, HORCH_EPARSE, "mastodon-3.20 a page cut short");
	is_int(err.line, 2, "mastodon-3.21 with its line");
	ok(strstr(err.msg, "malformed JSON at line 2") != NULL, "mastodon-3.22 said in words");
	is_int(page.n_items, 0, "mastodon-3.23 and the page is empty");
	buf_init(&b, BUF_NOLIMIT);
	buf_putc(&b, '[');
	for (int i = 0; i <= MASTODON_PAGE_ITEMS; i++)
		buf_printf(&b, "%s{}", i ? "," : "");
	buf_putc(&b, ']');
	rc = mastodon_page_parse(b.ptr, b.len, 0, "h", &page, &err);
	is_int(rc, HORCH_ETOOBIG, "mastodon-3.24 more statuses than a page may hold");
	rc = mastodon_page_parse(b.ptr, MASTODON_PAGE_MAX + 1, 0, "h", &page, &err);
	is_int(rc, HORCH_ETOOBIG, "mastodon-3.25 more bytes than a page may hold");
	buf_cleanup(&b);
	mastodon_page_cleanup(&page);
}

static void test_link(void)
{
	static const char masto[] =
		"<https://mastodon.example/api/v1/timelines/public?limit=2&max_id=112365721878528048>;"
		" rel=\"next\", <https://mastodon.example/api/v1/timelines/public?limit=2&min_id="
		"112365721944064049>; rel=\"prev\"";
	char out[MASTODON_ID_MAX + 1];

	ok(mastodon_link_param(masto, "prev", "min_id", out, sizeof out) &&
	   !strcmp(out, "112365721944064049"), "mastodon-4.1 prev's min_id");
	ok(mastodon_link_param(masto, "next", "max_id", out, sizeof out) &&
	   !strcmp(out, "112365721878528048"), "mastodon-4.2 next's max_id");
	ok(!mastodon_link_param(masto, "next", "min_id", out, sizeof out) && !out[0],
	   "mastodon-4.3 a parameter the link lacks");
	ok(mastodon_link_param("<https://h/x?a=1&min_id=77#frag>; rel=\"prev first\"", "prev",
			       "min_id", out, sizeof out) && !strcmp(out, "77"),
	   "mastodon-4.4 one of several relations, a fragment");
	ok(mastodon_link_param("<https://h/x?min_id=5>;rel=PREV", "prev", "min_id", out,
			       sizeof out) && !strcmp(out, "5"),
	   "mastodon-4.5 an unquoted relation, any case");
	ok(mastodon_link_param("<https://h/x?max_id=1>; title=\"a, b\"; rel=\"next\" , "
			       "<https://h/y?min_id=2>; rel=\"prev\"", "prev", "min_id", out,
			       sizeof out) && !strcmp(out, "2"),
	   "mastodon-4.6 a comma inside a quoted parameter");
	ok(!mastodon_link_param("<https://h/x?min_id=55>; rel=\"prev\"", "prev", "min_id", out, 2),
	   "mastodon-4.7 a value longer than the room for it");
	ok(!mastodon_link_param("garbage", "prev", "min_id", out, sizeof out),
	   "mastodon-4.8 not a Link header");
	ok(!mastodon_link_param("<https://h/x?min_id=5; rel=\"prev\"", "prev", "min_id", out,
				sizeof out), "mastodon-4.9 a link never closed");
	ok(!mastodon_link_param(NULL, "prev", "min_id", out, sizeof out),
	   "mastodon-4.10 no header");
	ok(!mastodon_link_param("<https://h/x?xmin_id=5>; rel=prev", "prev", "min_id", out,
				sizeof out), "mastodon-4.11 a parameter's name matched whole");
}

/* ---- Server-Sent Events ---- */

struct events {
	char log[4096];   /* "type=data|" for each event, "type=DROPPED(n)|" */
	int stop_at;      /* return 7 at this event (1-based); 0 never */
	int n;
};

static int on_sse(void *ctx, const char *event, const char *data, size_t len)
{
	struct events *e = ctx;
	size_t used = strlen(e->log);

	if (data)
		snprintf(e->log + used, sizeof e->log - used, "%s=%.*s|", event, (int)len, data);
	else
		snprintf(e->log + used, sizeof e->log - used, "%s=DROPPED|", event);
	return ++e->n == e->stop_at ? 7 : 0;
}

/* Feed s in pieces of step bytes (0: all at once) with an event cap of
 * max; returns the log. */
static const char *sse_run(const char *s, size_t step, size_t max, struct events *e)
{
	struct mastodon_sse sse;
	size_t len = strlen(s);

	memset(e, 0, sizeof *e);
	mastodon_sse_init(&sse, max, on_sse, e);
	if (!step)
		mastodon_sse_feed(&sse, s, len);
	for (size_t i = 0; step && i < len; i += step)
		mastodon_sse_feed(&sse, s + i, len - i < step ? len - i : step);
	mastodon_sse_cleanup(&sse);
	return e->log;
}

static void test_sse(void)
{
	static const char stream[] =
		"\xEF\xBB\xBF:)\n"
		"event: update\ndata: {\"id\":\"1\"}\n\n"
		":thump\n"
		"event: delete\r\ndata: 1\r\n\r\n"
		"data: first\rdata: second\r\r"
		"event:status.update\ndata:  two spaces\ndata\n\n"
		"event: ping\n\n"
		"id: 5\nretry: 100\nfoo: bar\ndata: x\n\n"
		"event: update\ndata: unfinished";
	static const char want[] =
		"update={\"id\":\"1\"}|delete=1|message=first\nsecond|status.update= two spaces\n|"
		"message=x|";
	struct events e;
	char first[4096];
	int all_same = 1;
	int rc;

	is_str(sse_run(stream, 0, 0, &e), want, "mastodon-5.1 a stream read at once");
	strcpy(first, e.log);
	for (size_t step = 1; step < sizeof stream; step++)
		if (strcmp(sse_run(stream, step, 0, &e), first)) {
			diag("step %zu: %s", step, e.log);
			all_same = 0;
		}
	ok(all_same, "mastodon-5.2 the same events in pieces of every size");
	is_str(sse_run("data: a\r\n\r\ndata: b\n\n", 0, 0, &e), "message=a|message=b|",
	       "mastodon-5.3 CR LF then LF");
	/* A CR at the end of one read and an LF at the start of the next are
	 * one line end. */
	{
		struct mastodon_sse sse;

		memset(&e, 0, sizeof e);
		mastodon_sse_init(&sse, 0, on_sse, &e);
		mastodon_sse_feed(&sse, "data: a\r", 8);
		mastodon_sse_feed(&sse, "\n\r", 2);
		mastodon_sse_feed(&sse, "\ndata: b\n\n", 10);
		mastodon_sse_cleanup(&sse);
		is_str(e.log, "message=a|message=b|", "mastodon-5.4 CR LF split across reads");
	}
	is_str(sse_run("data: 0123456789abcdefXYZ\n\ndata: ok\n\n", 0, 16, &e),
	       "message=DROPPED|message=ok|", "mastodon-5.5 an event over the cap is dropped");
	is_str(sse_run("event: update\ndata: 0123456789\ndata: 0123456789\n\ndata: ok\n\n", 3, 16,
		       &e), "update=DROPPED|message=ok|",
	       "mastodon-5.6 data lines adding up over the cap");
	{
		struct buf b;

		buf_init(&b, BUF_NOLIMIT);
		buf_puts(&b, "event: update\ndata: ");
		for (int i = 0; i < 300; i++)
			buf_puts(&b, "0123456789");
		buf_puts(&b, "\n\nevent: update\ndata: after\n\n");
		is_str(sse_run(b.ptr, 7, 100, &e), "update=DROPPED|update=after|",
		       "mastodon-5.7 a line far over the cap, in pieces");
		buf_cleanup(&b);
	}
	memset(&e, 0, sizeof e);
	{
		struct mastodon_sse sse;
		static const char two[] = "data: 1\n\ndata: 2\n\ndata: 3\n\n";

		e.stop_at = 2;
		mastodon_sse_init(&sse, 0, on_sse, &e);
		rc = mastodon_sse_feed(&sse, two, strlen(two));
		is_int(rc, 7, "mastodon-5.8 a callback's stop comes back");
		is_str(e.log, "message=1|message=2|", "mastodon-5.9 nothing read after it");
		is_int(sse.n_events, 2, "mastodon-5.10 events counted");
		mastodon_sse_cleanup(&sse);
	}
	is_str(sse_run("\n\n:only comments\n\nevent: x\n\n", 0, 0, &e), "",
	       "mastodon-5.11 no data, no event");
	is_str(sse_run("event: a\nevent: b\ndata: 1\n\n", 0, 0, &e), "b=1|",
	       "mastodon-5.12 the last event name counts");
}

static void test_settings(void)
{
	struct source_conf c;
	struct horch_err err;
	struct buf b;
	char host[64];

	is_int(mastodon_url_host("https://Social.Example:8443/x", host, sizeof host), 0,
	       "mastodon-6.1 a host with a port");
	is_str(host, "social.example", "mastodon-6.2 lower case, no port");
	mastodon_url_host("http://[::1]:80/", host, sizeof host);
	is_str(host, "::1", "mastodon-6.3 an IPv6 address");
	mastodon_url_host("http://u:p@h.example/", host, sizeof host);
	is_str(host, "h.example", "mastodon-6.4 user info left out");
	is_int(mastodon_url_host("mailto:a@b", host, sizeof host), HORCH_EINVAL,
	       "mastodon-6.5 not http");
	is_int(mastodon_url_host("https:///x", host, sizeof host), HORCH_EINVAL,
	       "mastodon-6.6 no host");
	is_int(mastodon_url_host("https://h\xc3\xa4.example/", host, sizeof host), HORCH_EINVAL,
	       "mastodon-6.7 a host not in ASCII");
	buf_init(&b, BUF_NOLIMIT);
	source_url_escape(&b, "\xe6\x97\xa5\xe6\x9c\xac a+b/c~d");
	is_str(b.ptr, "%E6%97%A5%E6%9C%AC%20a%2Bb%2Fc~d", "mastodon-6.8 percent-encoding");
	buf_cleanup(&b);

#define CHECK(label, rc_want, ...)                                                        \
	do {                                                                             \
		const char *kv[] = { __VA_ARGS__, NULL };                                \
		source_conf_init(&c);                                                    \
		c.name = horch_xstrdup("m");                                             \
		c.kind = horch_xstrdup("mastodon");                                      \
		for (int k = 0; kv[k]; k += 2)                                           \
			source_param_set(&c, kv[k], kv[k + 1], NULL);                    \
		horch_err_clear(&err);                                                   \
		is_int(connector_mastodon.check(&c, &err), rc_want, label);              \
		if (err.msg[0])                                                          \
			diag("  %s", err.msg);                                           \
		source_conf_cleanup(&c);                                                 \
	} while (0)
	CHECK("mastodon-6.9 a public timeline", 0, "url", "https://mastodon.example");
	CHECK("mastodon-6.10 no url", HORCH_EINVAL, "timeline", "public");
	CHECK("mastodon-6.11 an ftp url", HORCH_EINVAL, "url", "ftp://mastodon.example");
	CHECK("mastodon-6.12 a url with a query", HORCH_EINVAL, "url", "https://m.example/?a=1");
	CHECK("mastodon-6.13 a url with user info", HORCH_EINVAL, "url", "https://u:pw@m.example");
	CHECK("mastodon-6.14 local, a tag, a streamed tag", 0, "url", "https://m.example/",
	      "timeline", "tag:#Korvo", "stream", "yes");
	CHECK("mastodon-6.15 an unknown timeline", HORCH_EINVAL, "url", "https://m.example",
	      "timeline", "federated");
	CHECK("mastodon-6.16 an empty tag", HORCH_EINVAL, "url", "https://m.example",
	      "timeline", "tag:");
	CHECK("mastodon-6.17 home without a token", HORCH_EINVAL, "url", "https://m.example",
	      "timeline", "home");
	CHECK("mastodon-6.18 home with a token", 0, "url", "https://m.example", "timeline", "home",
	      "token", "env:MASTODON_TOKEN");
	CHECK("mastodon-6.19 search and timeline", HORCH_EINVAL, "url", "https://m.example",
	      "timeline", "local", "search", "korvo");
	CHECK("mastodon-6.20 a streamed search", HORCH_EINVAL, "url", "https://m.example",
	      "search", "korvo", "stream", "yes");
	CHECK("mastodon-6.21 stream=maybe", HORCH_EINVAL, "url", "https://m.example", "stream",
	      "maybe");
	CHECK("mastodon-6.22 limit 41", HORCH_EINVAL, "url", "https://m.example", "limit", "41");
	CHECK("mastodon-6.23 limit 0", HORCH_EINVAL, "url", "https://m.example", "limit", "0");
	CHECK("mastodon-6.24 pages x", HORCH_EINVAL, "url", "https://m.example", "pages", "x");
	CHECK("mastodon-6.25 every number in range", 0, "url", "https://m.example", "limit", "1",
	      "pages", "1000", "timeout", "1", "idle", "5", "lookback", "600");
#undef CHECK
	source_conf_init(&c);
	c.kind = horch_xstrdup("mastodon");
	source_param_set(&c, "url", "https://m.example", NULL);
	is_int(connector_mastodon.streams(&c), 0, "mastodon-6.26 polls by default");
	source_param_set(&c, "stream", "yes", NULL);
	is_int(connector_mastodon.streams(&c), 1, "mastodon-6.27 streams with stream=yes");
	source_conf_cleanup(&c);
	ok(connector_find("mastodon") == &connector_mastodon, "mastodon-6.28 in the table");
}

/* ---- the fake instance (tests/tools/mastodon_server) ---- */

/* GET path from the fake instance, the body thrown away. */
static void http_do(const struct fake *s, const char *path)
{
	free(fake_get(s, path));
}

/* The k-th last API request the fake instance logged (0: the last). */
static char *logged(const struct fake *s, size_t k)
{
	char *body = fake_get(s, "/_stats");
	json_t *j = body ? json_loads(body, 0, NULL) : NULL, *log = json_object_get(j, "log");
	char *out = NULL;

	if (json_array_size(log) > k)
		out = horch_xstrdup(json_string_value(json_array_get(log,
								     json_array_size(log) - 1 - k)));
	json_decref(j);
	free(body);
	return out ? out : horch_xstrdup("");
}

/* What a complete reader of a timeline has now: ids and uris, oldest
 * first. */
struct truth {
	char **ids, **uris;
	size_t n;
};

static void truth_get(const struct fake *s, const char *timeline, struct truth *t)
{
	char path[256], *body, *line, *save = NULL;

	memset(t, 0, sizeof *t);
	snprintf(path, sizeof path, "/_uris?timeline=%s", timeline);
	body = fake_get(s, path);
	for (line = body ? strtok_r(body, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		t->ids = horch_xrealloc(t->ids, (t->n + 1) * sizeof *t->ids);
		t->uris = horch_xrealloc(t->uris, (t->n + 1) * sizeof *t->uris);
		t->ids[t->n] = horch_xstrdup(line);
		t->uris[t->n] = horch_xstrdup(sp + 1);
		t->n++;
	}
	free(body);
}

static void truth_free(struct truth *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->ids[i]);
		free(t->uris[i]);
	}
	free(t->ids);
	free(t->uris);
}

/* What a run handed over. */
struct got {
	pthread_mutex_t lock;
	struct post **posts;
	size_t n, cap;
	char **cursors;           /* each commit's cursor */
	size_t *at;               /* posts emitted at each commit */
	size_t n_commits;
	size_t stop_after;        /* emit says stop at this post (0: never) */
};

static int got_emit(void *ctx, struct post *p)
{
	struct got *g = ctx;
	int stop;

	pthread_mutex_lock(&g->lock);
	g->posts = horch_xgrow(g->posts, &g->cap, g->n + 1, sizeof *g->posts);
	g->posts[g->n++] = p;
	stop = g->stop_after && g->n >= g->stop_after;
	pthread_mutex_unlock(&g->lock);
	return stop;
}

static int got_commit(void *ctx, const char *cursor)
{
	struct got *g = ctx;

	pthread_mutex_lock(&g->lock);
	g->cursors = horch_xrealloc(g->cursors, (g->n_commits + 1) * sizeof *g->cursors);
	g->at = horch_xrealloc(g->at, (g->n_commits + 1) * sizeof *g->at);
	g->cursors[g->n_commits] = horch_xstrdup(cursor);
	g->at[g->n_commits] = g->n;
	g->n_commits++;
	pthread_mutex_unlock(&g->lock);
	return 0;
}

static void got_init(struct got *g)
{
	memset(g, 0, sizeof *g);
	pthread_mutex_init(&g->lock, NULL);
}

static void got_cleanup(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		post_free(g->posts[i]);
	for (size_t i = 0; i < g->n_commits; i++)
		free(g->cursors[i]);
	free(g->posts);
	free(g->cursors);
	free(g->at);
	pthread_mutex_destroy(&g->lock);
	memset(g, 0, sizeof *g);
}

static const char *last_cursor(const struct got *g)
{
	return g->n_commits ? g->cursors[g->n_commits - 1] : "";
}

/* 1 when the external ids emitted, without repeats, are exactly the uris
 * of t[from..t->n) (any order); says what differs. */
static int got_is(struct got *g, const struct truth *t, size_t from)
{
	size_t distinct = 0, missing = 0;
	int good = 1;

	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i < g->n; i++) {
		int seen = 0, known = 0;

		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(g->posts[k]->external_id, g->posts[i]->external_id);
		for (size_t k = from; k < t->n && !known; k++)
			known = !strcmp(t->uris[k], g->posts[i]->external_id);
		if (!known) {
			diag("  emitted, not expected: %s", g->posts[i]->external_id);
			good = 0;
		}
		distinct += !seen;
	}
	for (size_t k = from; k < t->n; k++) {
		int found = 0;

		for (size_t i = 0; i < g->n && !found; i++)
			found = !strcmp(t->uris[k], g->posts[i]->external_id);
		missing += !found;
	}
	pthread_mutex_unlock(&g->lock);
	if (missing || distinct != t->n - from) {
		diag("  %zu distinct emitted, %zu expected, %zu missing", distinct, t->n - from,
		     missing);
		good = 0;
	}
	return good;
}

static void conf_make(struct source_conf *c, const struct fake *s, const char *const *kv)
{
	harness_conf(c, "test-mastodon", "mastodon", s->base, kv);
}

/* One run of the source with settings kv from cursor: its result. */
static int run1(const struct fake *s, const char *const *kv, const char *cursor,
		struct got *g, struct horch_err *err, int *retry, char *warning, size_t wsize)
{
	struct source_hooks hooks = { .emit = got_emit, .commit = got_commit, .ctx = g };
	struct source_conf c;
	int rc;

	conf_make(&c, s, kv);
	rc = harness_run(&c, cursor, &hooks, err, retry, warning, wsize);
	source_conf_cleanup(&c);
	return rc;
}

/* A run in a thread of its own, for a streaming source. */
struct bg {
	struct source_run *run;
	struct source_conf conf;
	struct horch_err err;
	int rc;
	pthread_t thread;
};

static void *bg_main(void *arg)
{
	struct bg *b = arg;

	b->rc = source_run_once(b->run, &b->err);
	return NULL;
}

static void bg_start(struct bg *b, const struct fake *s, const char *const *kv,
		     const char *cursor, struct got *g)
{
	struct source_hooks hooks = { .emit = got_emit, .commit = got_commit, .ctx = g };

	memset(b, 0, sizeof *b);
	conf_make(&b->conf, s, kv);
	b->run = source_run_new(&b->conf, cursor, &hooks);
	pthread_create(&b->thread, NULL, bg_main, b);
}

static int bg_stop(struct bg *b)
{
	source_run_stop(b->run);
	pthread_join(b->thread, NULL);
	source_run_free(b->run);
	source_conf_cleanup(&b->conf);
	return b->rc;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Index of the status after id in t (0 for "" or an id not in t). */
static size_t truth_after(const struct truth *t, const char *id)
{
	for (size_t k = 0; k < t->n; k++)
		if (!strcmp(t->ids[k], id))
			return k + 1;
	return 0;
}

/* Wait up to ms for the distinct posts of g to cover t[from..). */
static int wait_cover(struct got *g, const struct truth *t, size_t from, long ms)
{
	for (long waited = 0; waited < ms; waited += 50) {
		size_t found = 0;

		pthread_mutex_lock(&g->lock);
		for (size_t k = from; k < t->n; k++) {
			int f = 0;

			for (size_t i = 0; i < g->n && !f; i++)
				f = !strcmp(t->uris[k], g->posts[i]->external_id);
			found += f;
		}
		pthread_mutex_unlock(&g->lock);
		if (found == t->n - from)
			return 1;
		sleep_ms(50);
	}
	return 0;
}

static int wait_stat(const struct fake *s, const char *key, long at_least, long ms)
{
	for (long t = 0; t < ms; t += 50) {
		if (fake_stat(s, key) >= at_least)
			return 1;
		sleep_ms(50);
	}
	return 0;
}

static void test_poll(void)
{
	const char *args[] = { "--posts", "120", "--token", "sekrit", NULL };
	const char *kv_public[] = { NULL };
	struct fake s;
	struct truth t, t2;
	struct horch_err err;
	struct got g;
	char cursor[80], warning[256], *req;
	int rc, retry;
	size_t before;
	int64_t t0;

	if (fake_start(&s, args)) {
		ok(0, "mastodon-7.0 the fake instance starts");
		return;
	}
	truth_get(&s, "public", &t);
	ok(t.n > 60, "mastodon-7.1 the fake instance has a public timeline (%zu)", t.n);

	/* A first run: the newest page only. */
	got_init(&g);
	rc = run1(&s, kv_public, NULL, &g, &err, NULL, NULL, 0);
	is_int(rc, 0, "mastodon-7.2 a first run");
	if (rc)
		diag("  %s", err.msg);
	is_int(g.n, 40, "mastodon-7.3 takes one page of 40");
	ok(got_is(&g, &t, t.n - 40), "mastodon-7.4 the newest 40, nothing else");
	is_str(g.posts[0]->external_id, t.uris[t.n - 40], "mastodon-7.5 oldest first");
	is_int(g.n_commits, 1, "mastodon-7.6 one commit");
	is_str(last_cursor(&g), t.ids[t.n - 1], "mastodon-7.7 the cursor is the newest id");
	req = logged(&s, 0);
	is_str(req, "/api/v1/timelines/public?limit=40", "mastodon-7.8 asked for the newest page");
	free(req);
	snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
	got_cleanup(&g);

	/* Nothing new: one request, the same cursor. */
	before = (size_t)fake_stat(&s, "timeline");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, NULL, NULL, 0);
	ok(rc == 0 && g.n == 0, "mastodon-7.9 nothing new: no post");
	is_int(fake_stat(&s, "timeline") - (long)before, 1, "mastodon-7.10 in one request");
	is_str(last_cursor(&g), cursor, "mastodon-7.11 the cursor stays");
	req = logged(&s, 0);
	ok(strstr(req, "min_id=") && !strcmp(strstr(req, "min_id=") + 7, cursor),
	   "mastodon-7.12 asked with min_id=cursor");
	free(req);
	got_cleanup(&g);

	/* Catching up over several pages. */
	http_do(&s, "/_grow?n=150");
	truth_get(&s, "public", &t2);
	before = (size_t)fake_stat(&s, "timeline");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, NULL, NULL, 0);
	is_int(rc, 0, "mastodon-7.13 catching up");
	ok(got_is(&g, &t2, t.n), "mastodon-7.14 every status after the cursor, once");
	{
		int ordered = 1;

		for (size_t i = 1; i < g.n; i++)
			ordered &= strcmp(g.posts[i - 1]->external_id, g.posts[i]->external_id) != 0;
		for (size_t i = 0; i < g.n && i < t2.n - t.n; i++)
			ordered &= !strcmp(g.posts[i]->external_id, t2.uris[t.n + i]);
		ok(ordered, "mastodon-7.15 in the order they were written");
	}
	is_int(g.n_commits, (t2.n - t.n) / 40 + 1, "mastodon-7.16 a commit per page");
	is_int(fake_stat(&s, "timeline") - (long)before, (long)g.n_commits,
	       "mastodon-7.17 a request per page");
	ok(g.n_commits >= 2 && g.at[0] == 40 && !strcmp(g.cursors[0], t2.ids[t.n + 39]),
	   "mastodon-7.18 each commit covers its page");
	is_str(last_cursor(&g), t2.ids[t2.n - 1], "mastodon-7.19 the cursor ends at the newest");
	snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
	got_cleanup(&g);
	truth_free(&t);

	/* pages: a poll that stops early, and the next that goes on. */
	http_do(&s, "/_grow?n=100");
	truth_get(&s, "public", &t);
	{
		const char *kv[] = { "limit", "10", "pages", "2", NULL };
		char mid[80];

		got_init(&g);
		rc = run1(&s, kv, cursor, &g, &err, NULL, NULL, 0);
		ok(rc == 0 && g.n == 20 && g.n_commits == 2,
		   "mastodon-7.20 limit 10, pages 2: two pages of ten");
		snprintf(mid, sizeof mid, "%s", last_cursor(&g));
		got_cleanup(&g);
		got_init(&g);
		rc = run1(&s, kv_public, mid, &g, &err, NULL, NULL, 0);
		ok(rc == 0 && g.n == t.n - t2.n - 20, "mastodon-7.21 the next poll goes on from there");
		is_str(last_cursor(&g), t.ids[t.n - 1], "mastodon-7.22 to the newest");
		snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
		got_cleanup(&g);
	}
	truth_free(&t2);

	/* 429 with Retry-After. */
	http_do(&s, "/_fault?what=429&retry_after=7");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, &retry, NULL, 0);
	is_int(rc, HORCH_ELIMIT, "mastodon-7.23 a 429 is a rate limit");
	is_int(retry, 7, "mastodon-7.24 Retry-After reaches the runner");
	is_int(g.n_commits, 0, "mastodon-7.25 nothing committed");
	got_cleanup(&g);
	http_do(&s, "/_fault?what=503&retry_after=3");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, &retry, NULL, 0);
	ok(rc == HORCH_ELIMIT && retry == 3, "mastodon-7.26 a 503 with Retry-After too");
	got_cleanup(&g);

	/* 5xx and a malformed page, after a good page. */
	http_do(&s, "/_grow?n=100");
	truth_free(&t);
	truth_get(&s, "public", &t);
	http_do(&s, "/_fault?what=500&after=1");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, NULL, NULL, 0);
	is_int(rc, HORCH_EIO, "mastodon-7.27 a 500 on the second page");
	ok(strstr(err.msg, "HTTP 500") != NULL, "mastodon-7.28 says HTTP 500 (%s)", err.msg);
	ok(g.n == 40 && g.n_commits == 1, "mastodon-7.29 the first page committed, no more");
	snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
	got_cleanup(&g);
	http_do(&s, "/_fault?what=malformed&after=1");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, NULL, NULL, 0);
	is_int(rc, HORCH_EPARSE, "mastodon-7.30 a malformed second page");
	ok(strstr(err.msg, "GET http://127.0.0.1:") && strstr(err.msg, "min_id=") &&
	   strstr(err.msg, "malformed JSON at line 1"),
	   "mastodon-7.31 the message names the URL and the place (%s)", err.msg);
	ok(g.n == 40 && g.n_commits == 1 && g.at[0] == 40,
	   "mastodon-7.32 nothing committed past the good page");
	snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
	got_cleanup(&g);
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, NULL, NULL, 0);
	is_int(rc, 0, "mastodon-7.33 the next poll");
	is_str(last_cursor(&g), t.ids[t.n - 1], "mastodon-7.34 reaches the newest");
	{
		/* The three runs together read what came after the cursor of
		 * the first, without a gap. */
		size_t k = 0;

		while (k < t.n && strcmp(t.ids[k], cursor))
			k++;
		ok(k < t.n && got_is(&g, &t, k + 1), "mastodon-7.35 from the cursor on, no gap");
	}
	snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
	got_cleanup(&g);

	/* A slow answer. */
	{
		const char *kv[] = { "timeout", "1", NULL };

		http_do(&s, "/_fault?what=slow&ms=3000");
		got_init(&g);
		t0 = horch_mono_ns();
		rc = run1(&s, kv, cursor, &g, &err, NULL, NULL, 0);
		is_int(rc, HORCH_EIO, "mastodon-7.36 a slow answer times out");
		ok(horch_mono_ns() - t0 < 2500000000LL, "mastodon-7.37 after the timeout of 1 s");
		is_int(g.n_commits, 0, "mastodon-7.38 nothing committed");
		got_cleanup(&g);
	}

	/* A bad status in a good page. */
	http_do(&s, "/_grow?n=30");
	http_do(&s, "/_fault?what=baditem");
	got_init(&g);
	rc = run1(&s, kv_public, cursor, &g, &err, NULL, warning, sizeof warning);
	is_int(rc, 0, "mastodon-7.39 a page with a bad status succeeds");
	ok(strstr(warning, "skipped: field 'uri': missing") != NULL,
	   "mastodon-7.40 with a warning (%s)", warning);
	truth_free(&t);
	truth_get(&s, "public", &t);
	is_str(last_cursor(&g), t.ids[t.n - 1], "mastodon-7.41 the cursor passes it");
	got_cleanup(&g);

	/* A token from an environment variable that is not set. */
	{
		const char *kv[] = { "token", "env:TEST_MASTO_NO_SUCH_VAR", NULL };
		const char *kv2[] = { "token", "tok en", NULL };

		unsetenv("TEST_MASTO_NO_SUCH_VAR");
		got_init(&g);
		rc = run1(&s, kv, cursor, &g, &err, NULL, NULL, 0);
		ok(rc == HORCH_EINVAL && strstr(err.msg, "TEST_MASTO_NO_SUCH_VAR is not set") &&
		   g.n_commits == 0, "mastodon-7.41a a token variable not set: refused (%s)", err.msg);
		rc = run1(&s, kv2, cursor, &g, &err, NULL, NULL, 0);
		ok(rc == HORCH_EINVAL && !strstr(err.msg, "tok en"),
		   "mastodon-7.41b a token with a blank: refused, not shown (%s)", err.msg);
		got_cleanup(&g);
	}

	/* An invalid stored cursor starts over from the newest page. */
	got_init(&g);
	rc = run1(&s, kv_public, "12&x", &g, &err, NULL, warning, sizeof warning);
	ok(rc == 0 && g.n == 40 && strstr(warning, "not a status id"),
	   "mastodon-7.42 a cursor that is no id: the newest page, a warning");
	got_cleanup(&g);

	/* stop from emit (horch source test --limit). */
	got_init(&g);
	g.stop_after = 5;
	rc = run1(&s, kv_public, NULL, &g, &err, NULL, NULL, 0);
	ok(rc == HORCH_ESTOP && g.n == 5 && g.n_commits == 0,
	   "mastodon-7.43 an emit that says stop: ESTOP, nothing committed");
	got_cleanup(&g);

	/* lookback: the poll starts that many seconds before the cursor. */
	{
		const char *kv[] = { "lookback", "5", NULL };
		unsigned long long id = strtoull(t.ids[t.n - 30], NULL, 10);
		char want[128];

		got_init(&g);
		rc = run1(&s, kv, t.ids[t.n - 30], &g, &err, NULL, NULL, 0);
		snprintf(want, sizeof want, "/api/v1/timelines/public?limit=40&min_id=%llu",
			 ((id >> 16) - 5000) << 16);
		req = logged(&s, 0);
		is_str(req, want, "mastodon-7.44 lookback 5: min_id 5 s before the cursor");
		free(req);
		ok(rc == 0 && g.n > 29 && !strcmp(last_cursor(&g), t.ids[t.n - 1]),
		   "mastodon-7.45 re-reads a little, ends at the newest");
		got_cleanup(&g);
	}
	truth_free(&t);

	/* The other timelines and search, all from the start ("0"). */
	{
		const char *kv_tag[] = { "timeline", "tag:KORVO", NULL };
		const char *kv_local[] = { "timeline", "local", NULL };
		const char *kv_home[] = { "timeline", "home", "token", "sekrit", NULL };
		const char *kv_search[] = { "search", "Korvo X2", NULL };
		const char *kv_search_tok[] = { "search", "Korvo X2", "token", "env:TEST_MASTO_TOKEN",
						NULL };
		int all = 1;
		size_t reposts = 0, private_n;

		truth_get(&s, "tag:korvo", &t);
		got_init(&g);
		rc = run1(&s, kv_tag, "0", &g, &err, NULL, NULL, 0);
		ok(rc == 0 && got_is(&g, &t, 0), "mastodon-7.46 a hashtag timeline (%zu)", t.n);
		req = logged(&s, 0);
		ok(!strncmp(req, "/api/v1/timelines/tag/KORVO?limit=40&min_id=", 44),
		   "mastodon-7.47 read at /api/v1/timelines/tag/ (%s)", req);
		free(req);
		got_cleanup(&g);
		truth_free(&t);

		truth_get(&s, "local", &t);
		got_init(&g);
		rc = run1(&s, kv_local, "0", &g, &err, NULL, NULL, 0);
		ok(rc == 0 && got_is(&g, &t, 0), "mastodon-7.48 the local timeline (%zu)", t.n);
		for (size_t i = 0; i < g.n; i++)
			all &= strlen(g.posts[i]->author) > 14 &&
			       !strcmp(g.posts[i]->author + strlen(g.posts[i]->author) - 14,
				       "@mastodon.test");
		ok(all, "mastodon-7.49 local authors get @ the instance's domain");
		got_cleanup(&g);
		truth_free(&t);

		all = 1;
		truth_get(&s, "home", &t);
		got_init(&g);
		rc = run1(&s, kv_home, "0", &g, &err, NULL, NULL, 0);
		is_int(rc, 0, "mastodon-7.50 the home timeline with the token");
		for (size_t i = 0; i < g.n; i++)
			if (g.posts[i]->kind == POST_KIND_REPOST) {
				reposts++;
				all &= g.posts[i]->parent && !strncmp(g.posts[i]->parent, "https://", 8) &&
				       (g.posts[i]->html || g.posts[i]->text) &&
				       strstr(g.posts[i]->external_id, "/activity");
			}
		ok(reposts > 0 && all, "mastodon-7.51 boosts are reposts of their uri (%zu)", reposts);
		private_n = t.n - g.n;
		ok(private_n > 0 && private_n < t.n / 5,
		   "mastodon-7.52 followers-only statuses are left out (%zu)", private_n);
		got_cleanup(&g);
		truth_free(&t);
		got_init(&g);
		rc = run1(&s, kv_home, "0", &g, &err, NULL, NULL, 0);
		got_cleanup(&g);
		{
			const char *kv_bad[] = { "timeline", "home", "token", "wrong", NULL };

			got_init(&g);
			rc = run1(&s, kv_bad, "0", &g, &err, NULL, NULL, 0);
			ok(rc == HORCH_EDENIED && !strstr(err.msg, "wrong"),
			   "mastodon-7.53 a wrong token: denied, and not shown (%s)", err.msg);
			got_cleanup(&g);
		}

		got_init(&g);
		rc = run1(&s, kv_search, "0", &g, &err, NULL, NULL, 0);
		ok(rc == HORCH_EDENIED && strstr(err.msg, "HTTP 401"),
		   "mastodon-7.54 search without a token: 401 (%s)", err.msg);
		got_cleanup(&g);
		setenv("TEST_MASTO_TOKEN", "sekrit", 1);
		truth_get(&s, "search:korvo%20x2", &t);
		got_init(&g);
		rc = run1(&s, kv_search_tok, "0", &g, &err, NULL, NULL, 0);
		ok(rc == 0 && t.n > 0 && got_is(&g, &t, 0),
		   "mastodon-7.55 search with a token from the environment (%zu)", t.n);
		req = logged(&s, 0);
		ok(!strncmp(req, "/api/v2/search?q=Korvo X2&type=statuses&resolve=false&limit=40",
			    62), "mastodon-7.56 read at /api/v2/search (%s)", req);
		free(req);
		got_cleanup(&g);
		truth_free(&t);
		unsetenv("TEST_MASTO_TOKEN");
	}
	fake_stop(&s);

	/* An empty timeline: the cursor "0", so that the next poll reads
	 * everything that came meanwhile, even more than a page. */
	{
		const char *args0[] = { "--posts", "0", NULL };

		if (fake_start(&s, args0)) {
			ok(0, "mastodon-7.57 the fake instance starts");
			return;
		}
		got_init(&g);
		rc = run1(&s, kv_public, NULL, &g, &err, NULL, NULL, 0);
		ok(rc == 0 && g.n == 0 && !strcmp(last_cursor(&g), "0"),
		   "mastodon-7.57 an empty timeline: cursor 0");
		got_cleanup(&g);
		http_do(&s, "/_grow?n=100");
		truth_get(&s, "public", &t);
		got_init(&g);
		rc = run1(&s, kv_public, "0", &g, &err, NULL, NULL, 0);
		ok(rc == 0 && got_is(&g, &t, 0), "mastodon-7.58 then all that came (%zu)", t.n);
		got_cleanup(&g);
		truth_free(&t);
		fake_stop(&s);
	}
}

static void test_stream(void)
{
	const char *args[] = { "--posts", "30", "--heartbeat", "100", NULL };
	const char *kv[] = { "stream", "yes", "interval", "1", NULL };
	struct fake s;
	struct truth t;
	struct got g;
	struct bg b;
	size_t first_n;
	char cursor[80];
	int rc;

	if (fake_start(&s, args)) {
		ok(0, "mastodon-8.0 the fake instance starts");
		return;
	}
	/* Catch up, stream, and the statuses of the stream. */
	got_init(&g);
	bg_start(&b, &s, kv, NULL, &g);
	ok(wait_stat(&s, "stream", 1, 5000), "mastodon-8.1 the stream is opened");
	truth_get(&s, "public", &t);
	ok(wait_cover(&g, &t, 0, 5000), "mastodon-8.2 the first page came over REST (%zu)", t.n);
	first_n = t.n;
	ok(wait_stat(&s, "open", 1, 5000), "mastodon-8.2a the stream is open");
	http_do(&s, "/_grow?n=25");
	truth_free(&t);
	truth_get(&s, "public", &t);
	ok(wait_cover(&g, &t, 0, 5000), "mastodon-8.3 what came later came through the stream");
	sleep_ms(200);
	is_int(fake_stat(&s, "stream"), 1, "mastodon-8.4 one stream");
	ok(fake_stat(&s, "timeline") <= 3, "mastodon-8.5 REST only to catch up (%ld requests)",
	   fake_stat(&s, "timeline"));
	rc = bg_stop(&b);
	is_int(rc, HORCH_ESTOP, "mastodon-8.6 a stop ends the stream");
	ok(got_is(&g, &t, 0), "mastodon-8.7 every status, none that is not public");
	is_str(last_cursor(&g), t.ids[t.n - 1], "mastodon-8.8 the cursor is the newest id");
	snprintf(cursor, sizeof cursor, "%s", last_cursor(&g));
	ok(g.n_commits >= 2 + (t.n - first_n), "mastodon-8.9 a commit per streamed status "
	   "(%zu commits, %zu streamed)", g.n_commits, t.n - first_n);
	got_cleanup(&g);
	truth_free(&t);

	/* The stream refused: poll instead, then take the stream again. */
	http_do(&s, "/_fault?stream=off");
	got_init(&g);
	{
		long streams = fake_stat(&s, "stream"), before;
		char *w;

		bg_start(&b, &s, kv, cursor, &g);
		ok(wait_stat(&s, "stream", streams + 1, 5000), "mastodon-8.10 a stream is tried");
		sleep_ms(300);
		http_do(&s, "/_grow?n=10");
		truth_get(&s, "public", &t);
		ok(wait_cover(&g, &t, truth_after(&t, cursor), 5000), "mastodon-8.11 the statuses come by polling");
		w = horch_xstrdup(source_run_warning(b.run));
		ok(strstr(w, "HTTP 404") && strstr(w, "polling every 1 s"),
		   "mastodon-8.12 a warning says so (%s)", w);
		free(w);
		truth_free(&t);
		http_do(&s, "/_fault?stream=on");
		ok(wait_stat(&s, "open", 1, 10000),
		   "mastodon-8.13 the stream is tried again after a pause, and opens");
		sleep_ms(300);
		before = fake_stat(&s, "timeline");
		http_do(&s, "/_grow?n=10");
		truth_get(&s, "public", &t);
		ok(wait_cover(&g, &t, truth_after(&t, cursor), 5000), "mastodon-8.14 its statuses come");
		sleep_ms(1500);
		ok(fake_stat(&s, "timeline") == before, "mastodon-8.14a through the stream, not polls "
		   "(%ld requests)", fake_stat(&s, "timeline") - before);
		truth_free(&t);
		rc = bg_stop(&b);
		is_int(rc, HORCH_ESTOP, "mastodon-8.15 stopped");
	}
	got_cleanup(&g);

	/* A stream that says nothing: the idle timeout. */
	http_do(&s, "/_fault?stream=silent");
	{
		const char *kv_idle[] = { "stream", "yes", "interval", "1", "idle", "1", NULL };
		char *w = NULL;
		int seen = 0;

		got_init(&g);
		bg_start(&b, &s, kv_idle, NULL, &g);
		for (int i = 0; i < 60 && !seen; i++) {
			sleep_ms(100);
			pthread_mutex_lock(&g.lock);
			free(w);
			w = horch_xstrdup(source_run_warning(b.run));
			pthread_mutex_unlock(&g.lock);
			seen = strstr(w, "nothing for 1 s") != NULL;
		}
		ok(seen, "mastodon-8.16 a silent stream is given up after idle (%s)", w);
		free(w);
		rc = bg_stop(&b);
		is_int(rc, HORCH_ESTOP, "mastodon-8.17 stopped");
		got_cleanup(&g);
	}
	http_do(&s, "/_fault?stream=401");
	{
		char *w;

		got_init(&g);
		bg_start(&b, &s, kv, NULL, &g);
		sleep_ms(800);
		w = horch_xstrdup(source_run_warning(b.run));
		ok(strstr(w, "wants a token") != NULL, "mastodon-8.18 a stream that wants a token "
		   "(%s)", w);
		free(w);
		bg_stop(&b);
		got_cleanup(&g);
	}
	fake_stop(&s);

	/* A stream the instance ends after two statuses: reopened. */
	{
		const char *args2[] = { "--posts", "10", "--heartbeat", "100", "--stream-events",
					"2", NULL };

		if (fake_start(&s, args2)) {
			ok(0, "mastodon-8.19 the fake instance starts");
			return;
		}
		got_init(&g);
		bg_start(&b, &s, kv, NULL, &g);
		ok(wait_stat(&s, "stream", 1, 5000), "mastodon-8.19 a stream");
		sleep_ms(300);
		for (int i = 0; i < 4; i++) {
			http_do(&s, "/_grow?n=3");
			sleep_ms(400);
		}
		truth_get(&s, "public", &t);
		ok(wait_cover(&g, &t, 0, 8000), "mastodon-8.20 every status across the reopenings");
		ok(fake_stat(&s, "stream") >= 2, "mastodon-8.21 the stream was reopened (%ld)",
		   fake_stat(&s, "stream"));
		rc = bg_stop(&b);
		is_int(rc, HORCH_ESTOP, "mastodon-8.22 stopped");
		ok(got_is(&g, &t, 0), "mastodon-8.23 nothing else");
		truth_free(&t);
		got_cleanup(&g);
		fake_stop(&s);
	}
}

int main(void)
{
	horch_log_level = LOG_ERROR;
	test_ids();
	test_status();
	test_page();
	test_link();
	test_sse();
	test_settings();
	if (fake_find("mastodon_server", "HORCH_MASTODON_SERVER")) {
		ok(0, "mastodon-7.0 the fake instance is built (%s)", fake_path);
	} else {
		test_poll();
		test_stream();
	}
	return tap_done();
}
