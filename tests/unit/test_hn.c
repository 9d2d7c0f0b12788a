/* test_hn.c - unit tests for the Hacker News connector (src/ingest/hn.c):
 * the reader of Algolia's answers on edge cases, the cursor's reader and
 * writer, and polls against the fake Algolia of
 * tests/tools/forum_server.c, compiled in here and run on 127.0.0.1:
 * pages until nbPages, the cursor across polls and within one second,
 * the page cap, Algolia's limit of 1000 hits, query and tags, 429 and 503
 * with Retry-After, 5xx, malformed and slow answers, broken hits, and a
 * kill at every commit. */
#define FORUM_SERVER_EMBED
#include "../tools/forum_server.c"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "ingest/hn.h"
#include "source_harness.h"
#include "tap.h"

/* ---- the reader ---- */

static int parse(const char *json, struct hn_page *pg, struct warns *w, struct horch_err *err)
{
	memset(w, 0, sizeof *w);
	horch_err_clear(err);
	return hn_parse(json, strlen(json), "/api/v1/search_by_date", pg, on_warn, w, err);
}

static const char answer[] =
	"{\"hits\":["
	/* 0: an Ask HN story with text */
	"{\"created_at\":\"2023-11-14T22:13:20.000Z\",\"created_at_i\":1700000000,"
	"\"title\":\"Ask HN: Korvo?\",\"url\":null,\"author\":\"pg\",\"points\":42,"
	"\"story_text\":\"<p>Is it <i>good</i>?\",\"comment_text\":null,\"num_comments\":7,"
	"\"story_id\":null,\"parent_id\":null,\"_tags\":[\"story\",\"author_pg\",\"story_1\","
	"\"ask_hn\"],\"objectID\":\"1\"},"
	/* 1: a comment, ids as numbers, time only as created_at */
	"{\"created_at\":\"2023-11-14T22:13:21Z\",\"author\":\"dang\",\"comment_text\":"
	"\"Yes &amp; no\",\"points\":null,\"story_id\":1,\"parent_id\":1,"
	"\"_tags\":[\"comment\",\"author_dang\",\"story_1\"],\"objectID\":2},"
	/* 2: a link story without text */
	"{\"created_at_i\":1700000002,\"title\":\"Korvo launches\",\"url\":\"https://korvo.example\","
	"\"author\":\"a\",\"points\":-1,\"num_comments\":0,\"_tags\":[\"story\"],\"objectID\":\"3\"},"
	/* 3: no objectID */
	"{\"created_at_i\":1700000003,\"title\":\"x\",\"_tags\":[\"story\"]},"
	/* 4: no time */
	"{\"title\":\"x\",\"_tags\":[\"story\"],\"objectID\":\"5\"},"
	/* 5: a comment without text */
	"{\"created_at_i\":1700000005,\"comment_text\":null,\"_tags\":[\"comment\"],\"objectID\":\"6\"},"
	/* 6: an objectID that is no number */
	"{\"created_at_i\":1700000006,\"title\":\"x\",\"objectID\":\"abc\"},"
	/* 7: a comment without tags */
	"{\"created_at_i\":1700000007,\"comment_text\":\"untagged\",\"parent_id\":\"3\",\"objectID\":\"8\"}"
	"],\"nbHits\":5000,\"page\":2,\"nbPages\":10,\"hitsPerPage\":8,\"exhaustiveNbHits\":true,"
	"\"query\":\"korvo\",\"params\":\"query=korvo\",\"processingTimeMS\":3}";

static void test_parse(void)
{
	struct horch_err err;
	struct hn_page pg;
	struct warns w;
	struct post *p;

	is_int(parse(answer, &pg, &w, &err), 0, "hn-1.1 an answer with good and bad hits");
	is_int(pg.n, 4, "hn-1.2 four usable hits");
	is_int(pg.n_skipped, 4, "hn-1.3 four skipped");
	is_int(w.n, 4, "hn-1.4 each warned about");
	ok(pg.page == 2 && pg.nb_pages == 10 && pg.nb_hits == 5000 && pg.hits_per_page == 8,
	   "hn-1.5 page, nbPages, nbHits, hitsPerPage");
	p = pg.items[0].post;
	is_str(p->source, "hackernews", "hn-1.6 source");
	is_str(p->external_id, "1", "hn-1.7 external id is the objectID");
	is_str(p->url, "https://news.ycombinator.com/item?id=1", "hn-1.8 the item's URL");
	is_str(p->title, "Ask HN: Korvo?", "hn-1.9 title");
	is_str(p->html, "<p>Is it <i>good</i>?", "hn-1.10 story_text is the HTML");
	ok(p->text == NULL, "hn-1.11 the text is left to the normalise stage");
	is_int(p->created_at, 1700000000000LL, "hn-1.12 created_at_i in ms");
	ok(p->likes == 42 && p->replies == 7, "hn-1.13 points and num_comments");
	is_int(p->kind, POST_KIND_POST, "hn-1.14 a story is a post");
	is_str(p->author, "pg", "hn-1.15 author");
	p = pg.items[1].post;
	is_str(p->external_id, "2", "hn-1.16 a numeric objectID");
	is_int(p->kind, POST_KIND_COMMENT, "hn-1.17 a comment");
	is_str(p->parent, "1", "hn-1.18 parent_id is the parent");
	is_str(p->html, "Yes &amp; no", "hn-1.19 comment_text is the HTML");
	is_int(p->created_at, 1700000001000LL, "hn-1.20 time from created_at");
	ok(p->likes == POST_COUNT_NONE && p->replies == POST_COUNT_NONE,
	   "hn-1.21 a comment's null points are unknown");
	ok(p->title == NULL, "hn-1.22 a comment has no title");
	p = pg.items[2].post;
	ok(p->html == NULL && !strcmp(p->title, "Korvo launches"), "hn-1.23 a link story: its title");
	is_int(p->likes, 0, "hn-1.24 negative points count 0");
	p = pg.items[3].post;
	ok(p->kind == POST_KIND_COMMENT && !strcmp(p->parent, "3"),
	   "hn-1.25 comment_text without tags makes a comment");
	ok(strstr(w.last, "hit 6") != NULL, "hn-1.26 the last warning names the hit: %s", w.last);
	hn_page_cleanup(&pg);

	is_int(parse("{\"hits\":[],\"nbHits\":0,\"page\":0,\"nbPages\":0,\"hitsPerPage\":100}", &pg,
		     &w, &err), 0, "hn-1.27 no hits");
	ok(pg.n == 0 && pg.nb_pages == 0, "hn-1.28 nothing");
	hn_page_cleanup(&pg);
	is_int(parse("{\"hits\":[\n{\"objectID\":}]}", &pg, &w, &err), HORCH_EPARSE,
	       "hn-1.29 broken JSON");
	ok(err.line == 2 && strstr(err.msg, "search_by_date: not JSON at byte"), "hn-1.30 where: %s",
	   err.msg);
	is_int(parse("{\"message\":\"invalid\",\"status\":400}", &pg, &w, &err), HORCH_EPARSE,
	       "hn-1.31 an error object is no answer");
	is_int(parse("{\"hits\":[],\"nbPages\":\"2\"}", &pg, &w, &err), HORCH_EPARSE,
	       "hn-1.32 a count that is a string");
	ok(strstr(err.msg, "nbPages") != NULL, "hn-1.33 names the field: %s", err.msg);
}

static void test_cursor(void)
{
	struct hn_cursor c;
	struct horch_err err;
	struct buf b;

	hn_cursor_init(&c);
	buf_init(&b, SOURCE_CURSOR_MAX);
	hn_cursor_write(&c, &b);
	is_str(b.ptr, "{}", "hn-2.1 the empty cursor");
	source_mark_newest(&c.top, 10, "5");
	source_mark_newest(&c.top, 9, "4");
	source_mark_newest(&c.top, 10, "6");
	source_mark_oldest(&c.low, 10, "6");
	source_mark_oldest(&c.low, 8, "3");
	source_mark_oldest(&c.low, 8, "2");
	source_mark_oldest(&c.low, 9, "4");
	c.seen.t = 7;
	hn_cursor_write(&c, &b);
	is_str(b.ptr, "{\"t\":7,\"ids\":[],\"top_t\":10,\"top_ids\":[\"5\",\"6\"],\"low_t\":8,"
	       "\"low_ids\":[\"3\",\"2\"]}", "hn-2.2 newest and oldest marks");
	ok(source_mark_has(&c.low, 8, "2") && !source_mark_has(&c.low, 9, "2") &&
	   !source_mark_has(&c.low, 8, "9"), "hn-2.3 a mark names its second's ids only");
	is_int(hn_cursor_read(&c, "{\"t\":5,\"ids\":[\"1\",\"2\"]}", &err), 0, "hn-2.4 read");
	hn_cursor_write(&c, &b);
	is_str(b.ptr, "{\"t\":5,\"ids\":[\"1\",\"2\"]}", "hn-2.5 as written");
	is_int(hn_cursor_read(&c, "{\"t\":5,\"top_t\":9}", &err), HORCH_EPARSE,
	       "hn-2.6 a top without a low");
	is_int(hn_cursor_read(&c, "{\"t\":5,\"ids\":[\"x\"]}", &err), HORCH_EPARSE,
	       "hn-2.7 an id that is no number");
	is_int(hn_cursor_read(&c, "{\"ids\":[\"1\"]}", &err), HORCH_EPARSE, "hn-2.8 ids without t");
	ok(c.seen.t < 0, "hn-2.9 a bad cursor leaves it empty");
	for (int i = 0; i < HN_IDS_MAX + 3; i++) {
		char id[16];

		snprintf(id, sizeof id, "%d", 40000000 + i);
		source_mark_newest(&c.seen, 50, id);
		source_mark_newest(&c.top, 60, id);
		source_mark_oldest(&c.low, 55, id);
	}
	is_int(hn_cursor_write(&c, &b), 0, "hn-2.10 a cursor with full marks");
	ok(b.len < SOURCE_CURSOR_MAX, "hn-2.11 fits (%zu bytes)", b.len);
	buf_cleanup(&b);
	hn_cursor_cleanup(&c);
}

/* ---- polls ---- */

static void test_poll(void)
{
	static const char *const all[] = { "since=1700000000", NULL };
	static const char *const paged[] = { "since=1700000000", "hits=3", NULL };
	static const char *const capped[] = { "since=1700000000", "hits=3", "pages=2", NULL };
	struct sink s = { 0 };
	struct outcome o;
	struct post *p;

	restart(10, 0, 0);
	o = poll_with(&s, all);
	is_int(o.rc, 0, "hn-3.1 first poll");
	is_str(sink_ids(&s), "38000009 38000008 38000007 38000006 38000005 38000004 38000003 "
	       "38000002 38000001 38000000", "hn-3.2 every hit, newest first");
	is_str(s.cursor, "{\"t\":1700000004,\"ids\":[\"38000009\",\"38000008\"]}",
	       "hn-3.3 cursor: the newest second and its ids");
	is_str(log_line(0), "/api/v1/search_by_date?query=&tags=(story,comment)&numericFilters="
	       "created_at_i>=1700000000&hitsPerPage=100&page=0", "hn-3.4 the request");
	p = sink_find(&s, "38000000");
	ok(p && p->kind == POST_KIND_POST && p->html && !strncmp(p->html, "<p>", 3) &&
	   !strcmp(p->author, "user0"), "hn-3.5 a story with its HTML");
	p = sink_find(&s, "38000002");
	ok(p && p->kind == POST_KIND_COMMENT && !strcmp(p->parent, "38000001"),
	   "hn-3.6 a comment's parent");

	sink_next(&s);
	o = poll_with(&s, all);
	ok(o.rc == 0 && s.n == 0, "hn-3.7 nothing new (%zu)", s.n);
	is_str(log_line(0), "/api/v1/search_by_date?query=&tags=(story,comment)&numericFilters="
	       "created_at_i>=1700000004&hitsPerPage=100&page=0", "hn-3.8 asks from the cursor on");
	forum_add(srv, 1);
	sink_next(&s);
	o = poll_with(&s, all);
	is_str(sink_ids(&s), "38000010", "hn-3.9 the new hit only");
	forum_add(srv, 1);
	sink_next(&s);
	o = poll_with(&s, all);
	is_str(sink_ids(&s), "38000011", "hn-3.10 a new hit of the cursor's second");
	is_str(s.cursor, "{\"t\":1700000005,\"ids\":[\"38000011\",\"38000010\"]}",
	       "hn-3.11 both ids of the second");

	restart(10, 0, 0);
	sink_clear(&s);
	o = poll_with(&s, paged);
	is_int(s.n, 10, "hn-3.12 four pages of three");
	is_int(forum_count(srv, "algolia"), 4, "hn-3.13 in four requests");
	is_str(log_line(2), "/api/v1/search_by_date?query=&tags=(story,comment)&numericFilters="
	       "created_at_i>=1700000000,created_at_i<=1700000004&hitsPerPage=3&page=1",
	       "hn-3.14 later pages bounded by the first's newest second");
	is_int(s.commits, 4, "hn-3.15 a commit per page");

	restart(10, 0, 0);
	sink_clear(&s);
	o = poll_with(&s, capped);
	is_str(sink_ids(&s), "38000009 38000008 38000007 38000006 38000005 38000004",
	       "hn-3.16 the page cap: two pages");
	is_str(s.cursor, "{\"t\":1700000000,\"ids\":[],\"top_t\":1700000004,\"top_ids\":[\"38000009\","
	       "\"38000008\"],\"low_t\":1700000002,\"low_ids\":[\"38000005\",\"38000004\"]}",
	       "hn-3.17 the cursor keeps the walk's place");
	ok(strstr(o.warning, "2 pages read") != NULL, "hn-3.18 warned: %s", o.warning);
	sink_next(&s);
	forum_reset(srv);
	o = poll_with(&s, capped);
	is_str(sink_ids(&s), "38000003 38000002 38000001 38000000", "hn-3.19 the next poll goes on");
	is_str(log_line(1), "/api/v1/search_by_date?query=&tags=(story,comment)&numericFilters="
	       "created_at_i>=1700000000,created_at_i<=1700000002&hitsPerPage=3&page=0",
	       "hn-3.20 below the walk's oldest second");
	is_str(s.cursor, "{\"t\":1700000004,\"ids\":[\"38000009\",\"38000008\"]}",
	       "hn-3.21 then takes the walk's top");
	sink_clear(&s);
}

static void test_queries(void)
{
	static const char *const big[] = { "since=1700000000", "hits=500", "pages=20", NULL };
	static const char *const query[] = { "since=1700000000", "query=refund", "tags=story", NULL };
	struct sink s = { 0 };
	struct outcome o;
	size_t want = 0;
	int right = 1, in_order = 1;

	restart(1300, 0, 0);
	o = poll_with(&s, big);
	for (size_t i = 0; i < s.n; i++)
		in_order &= strtol(s.ids[i], NULL, 10) == 38001299L - (long)i;
	ok(o.rc == 0 && s.n == 1300 && in_order, "hn-4.1 past Algolia's 1000 hits: %zu hits, each "
	   "once, newest first", s.n);
	ok(strstr(log_line(0), "created_at_i<=") != NULL && strstr(log_line(0), "page=0"),
	   "hn-4.2 by a new query below the oldest second: %s", log_line(0));
	is_str(s.cursor, "{\"t\":1700000649,\"ids\":[\"38001299\",\"38001298\"]}", "hn-4.3 cursor");
	sink_clear(&s);

	restart(60, 0, 0);
	o = poll_with(&s, query);
	for (long i = 59; i >= 0; i--) {
		struct fs_buf t = { 0 };
		char id[16];

		item_title(srv, i, &t);
		fs_puts(&t, " ");
		item_text(srv, i, &t);
		if (hn_is_story(i) && icontains(t.p, "refund")) {
			snprintf(id, sizeof id, "%ld", 38000000L + i);
			right &= want < s.n && !strcmp(s.ids[want], id);
			want++;
		}
		free(t.p);
	}
	ok(o.rc == 0 && right && want == s.n && want > 2, "hn-4.4 the stories about refunds (%zu)",
	   want);
	is_str(log_line(0), "/api/v1/search_by_date?query=refund&tags=story&numericFilters="
	       "created_at_i>=1700000000&hitsPerPage=100&page=0", "hn-4.5 query and tags sent");
	sink_clear(&s);
}

static void test_faults(void)
{
	static const char *const all[] = { "since=1700000000", NULL };
	static const char *const paged[] = { "since=1700000000", "hits=4", NULL };
	static const char *const quick[] = { "since=1700000000", "timeout=1", NULL };
	struct sink s = { 0 };
	struct outcome o;
	int64_t t0;

	restart(10, 0, 0);
	forum_fault(srv, "429:1:0:9");
	o = poll_with(&s, all);
	ok(o.rc == HORCH_ELIMIT && o.retry == 9, "hn-5.1 429: wait Retry-After (%d, %d)", o.rc,
	   o.retry);
	forum_fault(srv, "503:1:0:4");
	o = poll_with(&s, all);
	ok(o.rc == HORCH_ELIMIT && o.retry == 4, "hn-5.2 503 with Retry-After (%d, %d)", o.rc,
	   o.retry);
	forum_fault(srv, "502:1");
	o = poll_with(&s, all);
	ok(o.rc == HORCH_EIO && strstr(o.err.msg, "HTTP 502"), "hn-5.3 502: %s", o.err.msg);
	ok(s.n == 0 && s.commits == 0, "hn-5.4 nothing emitted or committed");

	forum_fault(srv, "malformed:1:1");
	o = poll_with(&s, paged);
	is_int(o.rc, HORCH_EPARSE, "hn-5.5 a malformed second page");
	is_str(sink_ids(&s), "38000009 38000008 38000007 38000006", "hn-5.6 the first page kept");
	is_str(s.cursor, "{\"t\":1700000000,\"ids\":[],\"top_t\":1700000004,\"top_ids\":[\"38000009\","
	       "\"38000008\"],\"low_t\":1700000003,\"low_ids\":[\"38000007\",\"38000006\"]}",
	       "hn-5.7 committed up to it");
	sink_next(&s);
	o = poll_with(&s, paged);
	is_str(sink_ids(&s), "38000005 38000004 38000003 38000002 38000001 38000000",
	       "hn-5.8 the next poll reads the rest");

	forum_fault(srv, "slow:1:0:2500");
	t0 = horch_mono_ns();
	o = poll_with(&s, quick);
	ok(o.rc == HORCH_EIO && horch_mono_ns() - t0 < 2300000000LL, "hn-5.9 a slow answer times out "
	   "(%d after %.2f s)", o.rc, (double)(horch_mono_ns() - t0) / 1e9);
	forum_fault(srv, "empty:1");
	o = poll_with(&s, quick);
	is_int(o.rc, HORCH_EPARSE, "hn-5.10 an empty body");
	sink_clear(&s);

	restart(12, 4, 0);
	o = poll_with(&s, all);
	is_int(o.rc, 0, "hn-5.11 hits without a time are skipped");
	is_int(s.n, 9, "hn-5.12 the other nine stored");
	ok(strstr(o.warning, "hit 38000003: no valid") != NULL, "hn-5.13 warned: %s", o.warning);
	sink_clear(&s);

	{
		static const char *const bad_tags[] = { "tags=story;drop", NULL };
		static const char *const bad_since[] = { "since=yesterday", NULL };

		o = poll_with(&s, bad_tags);
		ok(o.rc == HORCH_EINVAL && strstr(o.err.msg, "tags"), "hn-5.14 %s", o.err.msg);
		o = poll_with(&s, bad_since);
		ok(o.rc == HORCH_EINVAL && strstr(o.err.msg, "since"), "hn-5.15 %s", o.err.msg);
	}
}

static void test_kill(void)
{
	static const char *const paged[] = { "since=1700000000", "hits=3", NULL };
	struct sink clean = { 0 }, s = { 0 };
	struct outcome o;
	int same = 1, kills = 0;

	restart(20, 0, 0);
	o = poll_with(&clean, paged);
	is_int(o.rc, 0, "hn-6.1 a clean run");
	for (int kill_at = 1; kill_at <= 8; kill_at++) {
		struct sink all = { 0 };

		sink_clear(&s);
		s.refuse_commit = kill_at;
		o = poll_with(&s, paged);
		kills += o.rc == HORCH_ESTOP;
		sink_keep(&all, &s);
		o = poll_with(&s, paged);
		for (size_t i = 0; i < s.n; i++)
			if (sink_find(&all, s.ids[i])) {
				same = 0;
				diag("kill at commit %d: %s twice", kill_at, s.ids[i]);
			}
		for (size_t i = 0; i < clean.n; i++)
			if (!sink_find(&all, clean.ids[i]) && !sink_find(&s, clean.ids[i])) {
				same = 0;
				diag("kill at commit %d: %s missing", kill_at, clean.ids[i]);
			}
		if (all.n + s.n != clean.n)
			same = 0;
		sink_clear(&all);
	}
	is_int(kills, 7, "hn-6.2 seven of the eight runs were killed");
	ok(same, "hn-6.3 after each, a restart stores what a clean run does, once");
	sink_clear(&s);
	sink_clear(&clean);
}

int main(void)
{
	test_parse();
	test_cursor();
	if (forum_begin("hn")) {
		diag("cannot start the fake Algolia");
		return 1;
	}
	test_poll();
	test_queries();
	test_faults();
	test_kill();
	forum_stop(srv);
	return tap_done();
}
