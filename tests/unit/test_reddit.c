/* test_reddit.c - unit tests for the Reddit connector (src/ingest/reddit.c):
 * the listing reader on edge cases, the cursor's reader and writer, and
 * polls against the fake Reddit of tests/tools/forum_server.c, compiled in
 * here and run on 127.0.0.1: paging with after, the cursor across polls
 * and within one second, the page cap, comments, search, the token,
 * 429 with Retry-After, Reddit's X-Ratelimit headers, 5xx, malformed,
 * oversized and slow answers, and a kill between two pages. */
#define FORUM_SERVER_EMBED
#include "../tools/forum_server.c"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "ingest/reddit.h"
#include "source_harness.h"
#include "tap.h"

/* ---- the listing reader ---- */

static int parse(const char *json, struct reddit_page *pg, struct warns *w,
		 struct horch_err *err)
{
	memset(w, 0, sizeof *w);
	horch_err_clear(err);
	return reddit_parse(json, strlen(json), "/r/x/new.json", pg, on_warn, w, err);
}

static const char listing[] =
	"{\"kind\":\"Listing\",\"data\":{\"after\":\"t3_abc\",\"before\":null,\"children\":["
	/* 0: a self post */
	"{\"kind\":\"t3\",\"data\":{\"name\":\"t3_zz1\",\"id\":\"zz1\",\"title\":\"Hello & <world>\","
	"\"selftext\":\"Body \\u00e9 text\",\"author\":\"alice\",\"created_utc\":1700000123.75,"
	"\"score\":-4,\"num_comments\":12,\"permalink\":\"/r/x/comments/zz1/hello/\"}},"
	/* 1: a comment */
	"{\"kind\":\"t1\",\"data\":{\"name\":\"t1_c1\",\"body\":\"a reply\",\"author\":\"[deleted]\","
	"\"created_utc\":1700000100,\"score\":3,\"parent_id\":\"t3_zz1\","
	"\"permalink\":\"/r/x/comments/zz1/hello/c1/\"}},"
	/* 2: a stub of more comments */
	"{\"kind\":\"more\",\"data\":{\"count\":3,\"children\":[\"a\"]}},"
	/* 3: a link post without text, named only by id */
	"{\"kind\":\"t3\",\"data\":{\"id\":\"zz0\",\"title\":\"A link\",\"selftext\":\"\","
	"\"created_utc\":1700000050.0,\"score\":7}},"
	/* 4: no time */
	"{\"kind\":\"t3\",\"data\":{\"name\":\"t3_bad1\",\"title\":\"x\"}},"
	/* 5: a kind that is neither */
	"{\"kind\":\"t5\",\"data\":{\"name\":\"t5_sub\"}},"
	/* 6: a removed comment */
	"{\"kind\":\"t1\",\"data\":{\"name\":\"t1_c2\",\"body\":\"[removed]\",\"created_utc\":1700000001}},"
	/* 7: a fullname that does not fit */
	"{\"kind\":\"t3\",\"data\":{\"name\":\"t3_ABC\",\"title\":\"x\",\"created_utc\":1}},"
	/* 8: not an object */
	"17,"
	/* 9: a removed post keeps its title */
	"{\"kind\":\"t3\",\"data\":{\"name\":\"t3_zy9\",\"title\":\"Gone\",\"selftext\":\"[removed]\","
	"\"created_utc\":1600000000}}"
	"]}}";

static void test_parse(void)
{
	struct reddit_page pg;
	struct horch_err err;
	struct warns w;
	struct post *p;

	is_int(parse(listing, &pg, &w, &err), 0, "reddit-1.1 a listing with good and bad children");
	is_int(pg.n, 4, "reddit-1.2 four usable items");
	is_int(pg.n_children, 10, "reddit-1.3 ten children");
	is_int(pg.n_skipped, 4, "reddit-1.4 four reported (no time, t5, bad fullname, not object)");
	is_int(w.n, 4, "reddit-1.5 each skipped child is warned about");
	is_str(pg.after, "t3_abc", "reddit-1.6 after is kept");
	p = pg.items[0].post;
	is_str(p->source, "reddit", "reddit-1.7 source");
	is_str(p->external_id, "t3_zz1", "reddit-1.8 external id is the fullname");
	is_str(p->title, "Hello & <world>", "reddit-1.9 title as given (raw_json)");
	is_str(p->text, "Body \xc3\xa9 text", "reddit-1.10 selftext is the text");
	is_str(p->author, "alice", "reddit-1.11 author");
	is_str(p->url, "https://www.reddit.com/r/x/comments/zz1/hello/", "reddit-1.12 permalink URL");
	is_int(p->created_at, 1700000123750LL, "reddit-1.13 created_utc in ms");
	is_int(pg.items[0].created, 1700000123, "reddit-1.14 whole seconds for the cursor");
	is_int(p->likes, 0, "reddit-1.15 a negative score counts 0 likes");
	is_int(p->replies, 12, "reddit-1.16 num_comments are the replies");
	is_int(p->kind, POST_KIND_POST, "reddit-1.17 t3 is a post");
	p = pg.items[1].post;
	is_int(p->kind, POST_KIND_COMMENT, "reddit-1.18 t1 is a comment");
	is_str(p->parent, "t3_zz1", "reddit-1.19 parent_id is the parent");
	ok(p->author == NULL, "reddit-1.20 a [deleted] author is no author");
	is_str(p->text, "a reply", "reddit-1.21 body is the text");
	is_int(p->replies, POST_COUNT_NONE, "reddit-1.22 a comment has no reply count");
	p = pg.items[2].post;
	is_str(p->external_id, "t3_zz0", "reddit-1.23 fullname made from kind and id");
	ok(p->text == NULL && p->url == NULL, "reddit-1.24 a link post without text or permalink");
	is_int(p->likes, 7, "reddit-1.25 score");
	p = pg.items[3].post;
	ok(p->text == NULL && !strcmp(p->title, "Gone"), "reddit-1.26 [removed] text dropped, title kept");
	ok(strstr(w.last, "child 8") != NULL, "reddit-1.27 the warning names the child: %s", w.last);
	reddit_page_cleanup(&pg);

	is_int(parse("{\"kind\":\"Listing\",\"data\":{\"after\":null,\"children\":[]}}", &pg, &w, &err),
	       0, "reddit-1.28 an empty listing");
	ok(pg.n == 0 && pg.after == NULL, "reddit-1.29 no items, no after");
	reddit_page_cleanup(&pg);

	is_int(parse("{\"kind\":\"Listing\",\n\"data\":{\"children\":[}", &pg, &w, &err), HORCH_EPARSE,
	       "reddit-1.30 broken JSON");
	is_int(err.line, 2, "reddit-1.31 its line");
	ok(strstr(err.msg, "/r/x/new.json: not JSON at byte") != NULL, "reddit-1.32 message: %s",
	   err.msg);
	is_int(parse("[1,2]", &pg, &w, &err), HORCH_EPARSE, "reddit-1.33 not a Listing");
	ok(strstr(err.msg, "not a Listing") != NULL, "reddit-1.34 says so: %s", err.msg);
	is_int(parse("{\"kind\":\"Listing\",\"data\":{\"children\":{}}}", &pg, &w, &err), HORCH_EPARSE,
	       "reddit-1.35 children not an array");
	ok(strstr(err.msg, "data.children") != NULL, "reddit-1.36 names the field: %s", err.msg);
	is_int(parse("{\"kind\":\"Listing\",\"data\":{\"after\":\"x y\",\"children\":[]}}", &pg, &w,
		     &err), HORCH_EPARSE, "reddit-1.37 an after that is no fullname");
	is_int(parse("", &pg, &w, &err), HORCH_EPARSE, "reddit-1.38 an empty body");
	is_int(parse("{\"kind\":\"Listing\",\"data\":{\"children\":[{\"kind\":\"t3\",\"data\":{"
		     "\"name\":\"t3_a\",\"created_utc\":5}}]}}", &pg, &w, &err), 0,
	       "reddit-1.39 a post without title or text");
	ok(pg.n == 0 && w.n == 1 && strstr(w.last, "t3_a: no text") != NULL,
	   "reddit-1.40 is skipped with a reason: %s", w.last);
	reddit_page_cleanup(&pg);
}

/* ---- the cursor ---- */

static void test_cursor(void)
{
	struct reddit_cursor c;
	struct horch_err err;
	struct buf b;
	char *first;

	reddit_cursor_init(&c);
	buf_init(&b, SOURCE_CURSOR_MAX);
	is_int(reddit_cursor_write(&c, &b), 0, "reddit-2.1 write the empty cursor");
	is_str(b.ptr, "{}", "reddit-2.2 as {}");
	source_mark_newest(&c.posts.seen, 100, "t3_a");
	source_mark_newest(&c.posts.seen, 99, "t3_old");
	source_mark_newest(&c.posts.seen, 100, "t3_b");
	source_mark_newest(&c.posts.seen, 100, "t3_a");
	is_int(c.posts.seen.n_ids, 2, "reddit-2.3 a mark keeps the ids of its second once");
	ok(source_mark_covers(&c.posts.seen, 99, "t3_zz"), "reddit-2.4 an older second is covered");
	ok(source_mark_covers(&c.posts.seen, 100, "t3_b"), "reddit-2.5 a named id of the second");
	ok(!source_mark_covers(&c.posts.seen, 100, "t3_c"), "reddit-2.6 another id of the second");
	ok(!source_mark_covers(&c.posts.seen, 101, "t3_a"), "reddit-2.7 a newer second");
	source_mark_newest(&c.comments.top, 5, "t1_x");
	c.comments.after = strdup("t1_y");
	reddit_cursor_write(&c, &b);
	is_str(b.ptr, "{\"posts\":{\"t\":100,\"ids\":[\"t3_a\",\"t3_b\"]},\"comments\":{\"after\":"
	       "\"t1_y\",\"top_t\":5,\"top_ids\":[\"t1_x\"]}}", "reddit-2.8 written");
	first = strdup(b.ptr);
	is_int(reddit_cursor_read(&c, first, &err), 0, "reddit-2.9 read back");
	reddit_cursor_write(&c, &b);
	is_str(b.ptr, first, "reddit-2.10 the same again");
	for (int i = 0; i < REDDIT_IDS_MAX + 5; i++) {
		char id[16];

		snprintf(id, sizeof id, "t3_%d", i);
		source_mark_newest(&c.posts.seen, 200, id);
	}
	is_int(c.posts.seen.n_ids, REDDIT_IDS_MAX, "reddit-2.11 ids of one second are capped");
	reddit_cursor_write(&c, &b);
	ok(b.len < SOURCE_CURSOR_MAX / 2, "reddit-2.12 a full cursor stays small (%zu bytes)", b.len);
	is_int(reddit_cursor_read(&c, "{\"posts\":{\"t\":\"x\"}}", &err), HORCH_EPARSE,
	       "reddit-2.13 a time that is not a number");
	is_int(reddit_cursor_read(&c, "{\"posts\":{\"t\":1,\"ids\":[\"a b\"]}}", &err), HORCH_EPARSE,
	       "reddit-2.14 an id that is no fullname");
	is_int(reddit_cursor_read(&c, "{", &err), HORCH_EPARSE, "reddit-2.15 not JSON");
	is_int(reddit_cursor_read(&c, "", &err), 0, "reddit-2.16 the empty cursor");
	ok(c.posts.seen.t < 0 && !c.posts.after, "reddit-2.17 is empty");
	is_int(reddit_cursor_read(&c, "{\"posts\":{\"ids\":[\"t3_a\"]}}", &err), HORCH_EPARSE,
	       "reddit-2.18 ids without a time");
	free(first);
	buf_cleanup(&b);
	reddit_cursor_cleanup(&c);
}

/* ---- polls against the fake Reddit ---- */

static void test_poll(void)
{
	static const char *const sub[] = { "subreddit=korvo", NULL };
	static const char *const paged[] = { "subreddit=korvo", "limit=3", NULL };
	static const char *const capped[] = { "subreddit=korvo", "limit=3", "pages=2", NULL };
	struct sink s = { 0 };
	struct outcome o;
	struct post *p;

	restart(10, 0, 0);
	o = poll_with(&s, sub);
	is_int(o.rc, 0, "reddit-3.1 first poll");
	is_str(sink_ids(&s), "t3_100009 t3_100008 t3_100006 t3_100005 t3_100004 t3_100002 t3_100001 "
	       "t3_100000", "reddit-3.2 every post, newest first");
	is_str(s.cursor, "{\"posts\":{\"t\":1700000004,\"ids\":[\"t3_100009\",\"t3_100008\"]}}",
	       "reddit-3.3 the cursor: the newest second and its ids");
	is_str(log_line(0), "/r/korvo/new.json?limit=100&raw_json=1", "reddit-3.4 the request");
	p = sink_find(&s, "t3_100001");
	ok(p && p->text && strstr(p->text, "\"quoted\" & <b>"), "reddit-3.5 text unescaped (raw_json=1)");
	ok(p && p->created_at == 1700000000000LL && !strcmp(p->author, "user_1"),
	   "reddit-3.6 time and author");
	ok(p && p->fetched_at != HORCH_TIME_NONE, "reddit-3.7 fetched_at set by the run");
	is_str(srv->agent, "horch/" HORCH_VERSION " (+listening)", "reddit-3.8 horch's User-Agent");

	sink_next(&s);
	o = poll_with(&s, sub);
	ok(o.rc == 0 && s.n == 0, "reddit-3.9 a second poll finds nothing new (%zu)", s.n);
	is_int(forum_count(srv, "reddit"), 2, "reddit-3.10 with one request");

	forum_add(srv, 3);    /* items 10 (post), 11 (comment), 12 (post) */
	sink_next(&s);
	o = poll_with(&s, sub);
	is_str(sink_ids(&s), "t3_10000c t3_10000a", "reddit-3.11 only the new posts");
	is_str(s.cursor, "{\"posts\":{\"t\":1700000006,\"ids\":[\"t3_10000c\"]}}",
	       "reddit-3.12 cursor moved");
	forum_add(srv, 1);    /* item 13: a post of the same second as 12 */
	sink_next(&s);
	o = poll_with(&s, sub);
	is_str(sink_ids(&s), "t3_10000d", "reddit-3.13 a new post of the cursor's second");
	is_str(s.cursor, "{\"posts\":{\"t\":1700000006,\"ids\":[\"t3_10000d\",\"t3_10000c\"]}}",
	       "reddit-3.14 both ids of the second kept");

	/* Paging. */
	restart(10, 0, 0);
	sink_clear(&s);
	o = poll_with(&s, paged);
	is_int(s.n, 8, "reddit-3.15 three pages of three give all eight");
	is_int(forum_count(srv, "reddit"), 3, "reddit-3.16 in three requests");
	is_str(log_line(1), "/r/korvo/new.json?limit=3&raw_json=1&after=t3_100006",
	       "reddit-3.17 the second page goes on after the first's last");
	is_int(s.commits, 3, "reddit-3.18 a commit per page");

	/* The page cap. */
	restart(10, 0, 0);
	sink_clear(&s);
	o = poll_with(&s, capped);
	is_int(o.rc, 0, "reddit-3.19 a poll that meets the page cap");
	is_str(sink_ids(&s), "t3_100009 t3_100008 t3_100006 t3_100005 t3_100004 t3_100002",
	       "reddit-3.20 reads two pages");
	is_str(s.cursor, "{\"posts\":{\"after\":\"t3_100002\",\"top_t\":1700000004,\"top_ids\":"
	       "[\"t3_100009\",\"t3_100008\"]}}", "reddit-3.21 the cursor holds the walk's place");
	ok(strstr(o.warning, "2 pages read without reaching the cursor") != NULL,
	   "reddit-3.22 warned: %s", o.warning);
	sink_next(&s);
	forum_reset(srv);
	o = poll_with(&s, capped);
	is_str(sink_ids(&s), "t3_100001 t3_100000", "reddit-3.23 the next poll finishes the walk");
	is_str(s.cursor, "{\"posts\":{\"t\":1700000004,\"ids\":[\"t3_100009\",\"t3_100008\"]}}",
	       "reddit-3.24 and takes the walk's top");
	is_int(forum_count(srv, "reddit"), 2, "reddit-3.25 then looks at the top once");
	sink_clear(&s);
}

static void test_listings(void)
{
	static const char *const comments[] = { "subreddit=korvo", "comments=yes", NULL };
	static const char *const search[] = { "subreddit=korvo", "search=refund", NULL };
	static const char *const search_all[] = { "search=Käse broken", "limit=5", NULL };
	struct sink s = { 0 };
	struct outcome o;
	struct post *p;
	size_t want = 0;
	int right = 1;

	restart(60, 0, 0);
	o = poll_with(&s, comments);
	is_int(o.rc, 0, "reddit-4.1 posts and comments");
	is_int(s.n, 45 + 14, "reddit-4.2 45 posts and 14 comments (one removed)");
	p = sink_find(&s, "t1_100007");
	ok(p && p->kind == POST_KIND_COMMENT && p->parent && !strcmp(p->parent, "t3_100006"),
	   "reddit-4.3 a comment with its parent");
	ok(p && p->url && !strcmp(p->url, "https://www.reddit.com/r/korvo/comments/100006/item/100007/"),
	   "reddit-4.4 the comment's permalink");
	ok(!sink_find(&s, "t1_10001f"), "reddit-4.5 the removed comment is left out");
	ok(strstr(s.cursor, "\"comments\":{\"t\":1700000029,\"ids\":[\"t1_10001n\"]}") != NULL,
	   "reddit-4.6 the cursor has the comments' part: %s", s.cursor);
	is_str(log_line(0), "/r/korvo/comments.json?limit=100&raw_json=1",
	       "reddit-4.7 the comments' request");
	sink_clear(&s);

	forum_reset(srv);
	o = poll_with(&s, search);
	for (long i = 59; i >= 0; i--) {
		if (reddit_in(srv, i, 0, "refund")) {
			char id[16], fn[24];

			reddit_id(i, id);
			snprintf(fn, sizeof fn, "t3_%s", id);
			right &= want < s.n && !strcmp(s.ids[want], fn);
			want++;
		}
	}
	ok(o.rc == 0 && right && want == s.n && want > 3, "reddit-4.8 the search's %zu hits", want);
	is_str(log_line(0), "/r/korvo/search.json?q=refund&restrict_sr=1&sort=new&limit=100&raw_json=1",
	       "reddit-4.9 a search within the subreddit");
	sink_clear(&s);
	forum_reset(srv);
	o = poll_with(&s, search_all);
	is_int(o.rc, 0, "reddit-4.10 a search of all Reddit");
	is_str(log_line(0), "/search.json?q=Käse broken&sort=new&limit=5&raw_json=1",
	       "reddit-4.11 its request, the query encoded and decoded");
	sink_clear(&s);
}

static void test_faults(void)
{
	static const char *const sub[] = { "subreddit=korvo", NULL };
	static const char *const paged[] = { "subreddit=korvo", "limit=3", NULL };
	static const char *const quick[] = { "subreddit=korvo", "timeout=1", NULL };
	static const char *const tokened[] = { "subreddit=korvo", "token=env:TEST_REDDIT_TOKEN",
					       "user_agent=linux:horch-test:1.0 (by /u/nobody)", NULL };
	struct sink s = { 0 };
	struct outcome o;
	int64_t t0;

	restart(10, 0, 0);
	forum_fault(srv, "429:1:0:7");
	o = poll_with(&s, sub);
	is_int(o.rc, HORCH_ELIMIT, "reddit-5.1 429 is a rate limit");
	is_int(o.retry, 7, "reddit-5.2 its Retry-After");
	ok(s.n == 0 && s.commits == 0, "reddit-5.3 nothing emitted or committed");

	forum_fault(srv, "500:1");
	o = poll_with(&s, sub);
	is_int(o.rc, HORCH_EIO, "reddit-5.4 a 500 is an I/O error");
	ok(strstr(o.err.msg, "HTTP 500") && !strstr(o.err.msg, "raw_json"),
	   "reddit-5.5 naming the status, not the query: %s", o.err.msg);

	forum_fault(srv, "malformed:1:1");
	o = poll_with(&s, paged);
	is_int(o.rc, HORCH_EPARSE, "reddit-5.6 a malformed second page");
	ok(strstr(o.err.msg, "/r/korvo/new.json: not JSON at byte") != NULL, "reddit-5.7 says where: %s",
	   o.err.msg);
	is_str(sink_ids(&s), "t3_100009 t3_100008 t3_100006", "reddit-5.8 the first page is kept");
	is_str(s.cursor, "{\"posts\":{\"after\":\"t3_100006\",\"top_t\":1700000004,\"top_ids\":"
	       "[\"t3_100009\",\"t3_100008\"]}}", "reddit-5.9 committed up to the good page only");
	sink_next(&s);
	o = poll_with(&s, paged);
	is_str(sink_ids(&s), "t3_100005 t3_100004 t3_100002 t3_100001 t3_100000",
	       "reddit-5.10 the next poll goes on where the good page ended");
	sink_clear(&s);

	forum_fault(srv, "garbage:1");
	o = poll_with(&s, sub);
	is_int(o.rc, HORCH_EPARSE, "reddit-5.11 an HTML page is a parse error");
	forum_fault(srv, "big:1:0:9000000");
	o = poll_with(&s, sub);
	is_int(o.rc, HORCH_ETOOBIG, "reddit-5.12 a page over 8 MiB is too big");

	forum_fault(srv, "slow:1:0:2500");
	t0 = horch_mono_ns();
	o = poll_with(&s, quick);
	is_int(o.rc, HORCH_EIO, "reddit-5.13 a slow answer times out");
	ok(horch_mono_ns() - t0 < 2300000000LL, "reddit-5.14 after the timeout of 1 s (%.2f s)",
	   (double)(horch_mono_ns() - t0) / 1e9);

	setenv("TEST_REDDIT_TOKEN", "s3cret-token", 1);
	forum_reset(srv);
	o = poll_with(&s, tokened);
	is_int(o.rc, 0, "reddit-5.15 with a token");
	is_int(forum_count(srv, "authorized"), 1, "reddit-5.16 sent as Authorization");
	is_str(srv->agent, "linux:horch-test:1.0 (by /u/nobody)", "reddit-5.17 the User-Agent set");
	sink_clear(&s);

	/* The settings are checked. */
	{
		static const char *const none[] = { "comments=yes", NULL };
		static const char *const bad_pages[] = { "subreddit=korvo", "pages=0", NULL };
		static const char *const bad_sub[] = { "subreddit=a/b", NULL };

		o = poll_with(&s, none);
		ok(o.rc == HORCH_EINVAL && strstr(o.err.msg, "subreddit"), "reddit-5.18 %s", o.err.msg);
		o = poll_with(&s, bad_pages);
		ok(o.rc == HORCH_EINVAL && strstr(o.err.msg, "pages"), "reddit-5.19 %s", o.err.msg);
		o = poll_with(&s, bad_sub);
		ok(o.rc == HORCH_EINVAL && strstr(o.err.msg, "subreddit"), "reddit-5.20 %s", o.err.msg);
	}
}

/* 1 when the runner hands over Reddit's X-Ratelimit headers. */
static int runner_reads_ratelimit(void)
{
	struct source_conf c;
	struct source_run *r;
	struct source_req req = { 0 };
	struct source_resp resp;
	char url[640];
	int yes;

	source_conf_init(&c);
	c.name = strdup("probe");
	c.kind = strdup("reddit");
	r = source_run_new(&c, NULL, NULL);
	snprintf(url, sizeof url, "%s/r/korvo/new.json?limit=1", base_url);
	req.url = url;
	source_resp_init(&resp);
	yes = source_fetch(r, &req, &resp, NULL) == 0 && resp.ratelimit_remaining != NULL;
	source_resp_cleanup(&resp);
	source_run_free(r);
	source_conf_cleanup(&c);
	return yes;
}

static void test_ratelimit(void)
{
	static const char *const paged[] = { "subreddit=korvo", "limit=3", NULL };
	struct sink s = { 0 };
	struct outcome o;

	restart(10, 0, 0);
	if (!runner_reads_ratelimit()) {
		tap_skip(5, "run.c does not fill source_resp.ratelimit_remaining yet");
		return;
	}
	forum_fault(srv, "ratelimit:1:0:42");
	o = poll_with(&s, paged);
	is_int(o.rc, HORCH_ELIMIT, "reddit-6.1 X-Ratelimit-Remaining: 0 ends the poll");
	is_int(o.retry, 42, "reddit-6.2 for X-Ratelimit-Reset's seconds");
	is_int(s.n_committed, 3, "reddit-6.3 after storing the page it came with");
	pthread_mutex_lock(&srv->lock);
	srv->o.ratelimit = srv->used;    /* the next request is one too many */
	pthread_mutex_unlock(&srv->lock);
	sink_next(&s);
	o = poll_with(&s, paged);
	is_int(o.rc, HORCH_ELIMIT, "reddit-6.4 a 429 without Retry-After");
	ok(o.retry > 500 && o.retry <= 600, "reddit-6.5 waits for the window's reset (%d s)", o.retry);
	sink_clear(&s);
}

/* A kill between pages loses what was not committed; the restart from the
 * committed cursor gets it again, and the result equals a clean run's. */
static void test_kill(void)
{
	static const char *const paged[] = { "subreddit=korvo", "comments=yes", "limit=4", NULL };
	struct sink clean = { 0 }, s = { 0 };
	struct outcome o;
	int same = 1, polls = 0;

	restart(40, 0, 0);
	o = poll_with(&clean, paged);
	is_int(o.rc, 0, "reddit-7.1 a clean run");
	for (int kill_at = 1; kill_at <= 12; kill_at++) {
		struct sink all = { 0 };

		sink_clear(&s);
		s.refuse_commit = kill_at;
		o = poll_with(&s, paged);
		polls++;
		/* Keep what was stored, start again from the stored cursor. */
		sink_keep(&all, &s);
		o = poll_with(&s, paged);
		for (size_t i = 0; i < s.n; i++) {
			if (sink_find(&all, s.ids[i])) {
				same = 0;
				diag("kill at commit %d: %s twice", kill_at, s.ids[i]);
			}
		}
		for (size_t i = 0; i < clean.n; i++)
			if (!sink_find(&all, clean.ids[i]) && !sink_find(&s, clean.ids[i])) {
				same = 0;
				diag("kill at commit %d: %s missing", kill_at, clean.ids[i]);
			}
		if (all.n + s.n != clean.n) {
			same = 0;
			diag("kill at commit %d: %zu + %zu posts, clean %zu", kill_at, all.n, s.n,
			     clean.n);
		}
		sink_clear(&all);
	}
	ok(same, "reddit-7.2 a kill at any of %d commits: no gap, no repeat", polls);
	sink_clear(&s);
	sink_clear(&clean);
}

/* The cursor's place has left the listing: read again from the top. */
static void test_gone(void)
{
	static const char *const paged[] = { "subreddit=korvo", "limit=3", NULL };
	struct sink s = { 0 };
	struct outcome o;

	restart(10, 0, 0);
	snprintf(s.cursor, sizeof s.cursor, "{\"posts\":{\"t\":1700000001,\"ids\":[\"t3_100002\"],"
		 "\"after\":\"t3_zzzzz\",\"top_t\":1700000003,\"top_ids\":[\"t3_100006\"]}}");
	o = poll_with(&s, paged);
	is_int(o.rc, 0, "reddit-8.1 a walk whose place is gone");
	is_str(sink_ids(&s), "t3_100009 t3_100008 t3_100006 t3_100005 t3_100004",
	       "reddit-8.2 reads from the top down to the cursor");
	ok(strstr(o.warning, "is gone from the listing") != NULL, "reddit-8.3 warned: %s", o.warning);
	is_str(s.cursor, "{\"posts\":{\"t\":1700000004,\"ids\":[\"t3_100009\",\"t3_100008\"]}}",
	       "reddit-8.4 the new cursor");
	sink_clear(&s);

	snprintf(s.cursor, sizeof s.cursor, "not json");
	o = poll_with(&s, paged);
	ok(o.rc == 0 && s.n == 8, "reddit-8.5 an unreadable cursor reads everything again");
	ok(strstr(o.warning, "cursor") != NULL, "reddit-8.6 and says so: %s", o.warning);
	sink_clear(&s);
}

int main(void)
{
	test_parse();
	test_cursor();
	if (forum_begin("reddit")) {
		diag("cannot start the fake Reddit");
		return 1;
	}
	test_poll();
	test_listings();
	test_faults();
	test_ratelimit();
	test_kill();
	test_gone();
	forum_stop(srv);
	return tap_done();
}
