/* test_reviews.c - unit tests for the reviews connector
 * (src/ingest/reviews.c): the feed reader (JSON arrays, JSON Lines, CSV,
 * maps, stars, dates, derived ids, bad records), the cursor, and polls
 * against the review feed of tests/tools/forum_server.c, compiled in here
 * and run on 127.0.0.1: order by date whatever the feed's order, the
 * cursor across polls, 304 on an unchanged feed, batches, a kill at every
 * commit, Amazon's export names through a map, file:// URLs, faults; and,
 * when HORCH_SHARED is set, the 5,000 Datafiniti Amazon reviews. */
#define FORUM_SERVER_EMBED
#include "../tools/forum_server.c"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "ingest/reviews.h"
#include "source_harness.h"
#include "store/store.h"
#include "tap.h"

/* 1 when a post of s names product. */
static int sink_find_product(struct sink *s, const char *product)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->posts[i]->product && !strcmp(s->posts[i]->product, product))
			return 1;
	return 0;
}

static int parse(const char *body, const char *map, enum reviews_format format,
		 struct reviews_feed *f, struct warns *w, struct horch_err *err)
{
	struct reviews_opts o;
	int rc;

	memset(&o, 0, sizeof o);
	memset(w, 0, sizeof *w);
	horch_err_clear(err);
	o.format = format;
	o.platform = "review";
	if (map && (rc = reviews_map_parse(&o, map, err)))
		return rc;
	rc = reviews_parse(body, strlen(body), &o, f, on_warn, w, err);
	reviews_opts_cleanup(&o);
	return rc;
}

static struct post *find(struct reviews_feed *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->posts[i] && !strcmp(f->posts[i]->external_id, id))
			return f->posts[i];
	return NULL;
}

static void test_json(void)
{
	static const char feed[] =
		"[{\"id\":\"b\",\"product\":\" Korvo   One \",\"stars\":4,\"title\":\"Good\","
		"\"text\":\"Works well\",\"author\":\"ann\",\"date\":\"2024-03-01T10:00:00Z\"},"
		"{\"id\":\"a\",\"product\":\"Korvo Two\",\"stars\":\"2.5\",\"text\":\"Meh\","
		"\"date\":1709200000},"
		"{\"id\":7,\"product\":\"X\",\"rating\":5,\"text\":\"Best\",\"date\":\"2024-03-01\"},"
		"{\"id\":\"c\",\"stars\":\"lots\",\"text\":\"?\"},"
		"{\"id\":\"d\",\"stars\":6,\"text\":\"too many\"},"
		"{\"id\":\"e\",\"stars\":3,\"text\":\"when?\",\"date\":\"next week\"},"
		"{\"id\":\"f\",\"stars\":1},"
		"\"not an object\","
		"{\"product\":\"Korvo One\",\"stars\":1,\"text\":\"No id\",\"author\":\"bob\","
		"\"date\":\"2024-01-01\"},"
		"{\"id\":\"g\",\"text\":\"no stars, no date\"}]";
	struct reviews_feed f;
	struct horch_err err;
	struct warns w;
	struct post *p;

	is_int(parse(feed, NULL, REVIEWS_FORMAT_AUTO, &f, &w, &err), 0, "reviews-1.1 a JSON array");
	is_int(f.format, REVIEWS_FORMAT_JSON, "reviews-1.2 found to be JSON");
	is_int(f.n_records, 10, "reviews-1.3 ten records");
	is_int(f.n, 5, "reviews-1.4 five good");
	is_int(w.n, 5, "reviews-1.5 five warned about");
	p = find(&f, "b");
	ok(p && p->kind == POST_KIND_REVIEW && !strcmp(p->source, "review"), "reviews-1.6 a review");
	ok(p && !strcmp(p->product, "Korvo One"), "reviews-1.7 product with spaces squeezed");
	ok(p && p->rating == 4 && !strcmp(p->title, "Good") && !strcmp(p->text, "Works well") &&
	   !strcmp(p->author, "ann"), "reviews-1.8 stars, title, text, author");
	ok(p && p->created_at == 1709287200000LL, "reviews-1.9 date");
	p = find(&f, "a");
	ok(p && p->rating == 2.5 && p->created_at == 1709200000000LL,
	   "reviews-1.10 stars as text, date as epoch seconds");
	p = find(&f, "7");
	ok(p && p->rating == 5, "reviews-1.11 a numeric id, \"rating\" for stars");
	ok(p && p->created_at == 1709251200000LL, "reviews-1.12 a day");
	p = find(&f, "g");
	ok(p && p->rating < 0 && p->created_at == HORCH_TIME_NONE,
	   "reviews-1.13 a review without stars or date");
	ok(f.n == 5 && f.posts[0] == find(&f, "g") && f.posts[1] &&
	   !strncmp(f.posts[1]->external_id, "h:", 2) && f.posts[2] == find(&f, "a") &&
	   f.posts[3] == find(&f, "7") && f.posts[4] == find(&f, "b"),
	   "reviews-1.14 sorted by date, undated first");
	ok(strstr(w.last, "review 8: not an object") != NULL, "reviews-1.15 names the review: %s",
	   w.last);
	reviews_feed_cleanup(&f);

	is_int(parse("[{\"id\":\"c\",\"stars\":\"lots\",\"text\":\"?\"}]", NULL, REVIEWS_FORMAT_JSON,
		     &f, &w, &err), 0, "reviews-1.16 one bad review");
	ok(f.n == 0 && strstr(w.last, "review 1: stars \"lots\" are not a number from 0 to 5"),
	   "reviews-1.17 %s", w.last);
	reviews_feed_cleanup(&f);
	parse("[{\"id\":\"d\",\"stars\":6,\"text\":\"x\"},{\"id\":\"e\",\"text\":\"x\",\"date\":\"soon\"}]",
	      NULL, REVIEWS_FORMAT_JSON, &f, &w, &err);
	ok(f.n == 0 && w.n == 2 && strstr(w.last, "review 2: the date \"soon\" cannot be read"),
	   "reviews-1.18 %s", w.last);
	reviews_feed_cleanup(&f);

	is_int(parse("[{\"id\":1,}", NULL, REVIEWS_FORMAT_AUTO, &f, &w, &err), HORCH_EPARSE,
	       "reviews-1.19 a broken array");
	ok(strstr(err.msg, "feed: not JSON at byte") != NULL && err.col > 0, "reviews-1.20 %s",
	   err.msg);
	is_int(parse("\"x\"", NULL, REVIEWS_FORMAT_JSON, &f, &w, &err), 0,
	       "reviews-1.21 JSON that is neither array nor object: a bad line");
	ok(f.n == 0 && w.n == 1, "reviews-1.22 reported");
	reviews_feed_cleanup(&f);
}

static void test_lines_csv(void)
{
	static const char lines[] =
		"{\"id\":\"1\",\"stars\":5,\"text\":\"one\",\"date\":\"2024-01-02\"}\r\n"
		"\n"
		"{\"id\":\"2\",\"stars\":4,\"text\":\"two\"\n"
		"   \n"
		"{\"id\":\"3\",\"stars\":3,\"text\":\"three\",\"date\":\"2024-01-01\"}";
	static const char csv[] =
		"\xEF\xBB\xBFid,product,rating,title,text,author,date\r\n"
		"r1,Korvo One,5,Great,\"Fast, quiet\",ann,2024-01-02\r\n"
		"r2,Korvo Two,1,Bad,\"Broke after\na \"\"week\"\"\",bob,2024-01-01\r\n"
		"r3,Korvo Two,3\r\n"
		"r4,Korvo Two,x,T,t,c,2024-01-01\r\n";
	static const char amazon[] =
		"asin;overall;summary;reviewText;reviewerName;unixReviewTime;reviews.id\n"
		"B01;4.0;Nice;Does the job;Ann;1700000000;x1\n";
	struct reviews_feed f;
	struct horch_err err;
	struct reviews_opts o;
	struct warns w;
	struct post *p;

	is_int(parse(lines, NULL, REVIEWS_FORMAT_AUTO, &f, &w, &err), 0, "reviews-2.1 JSON Lines");
	ok(f.n == 2 && w.n == 1 && strstr(w.last, "line 3: not JSON"), "reviews-2.2 a broken line "
	   "skipped: %s", w.last);
	ok(f.n == 2 && !strcmp(f.posts[0]->external_id, "3") && !strcmp(f.posts[1]->external_id, "1"),
	   "reviews-2.3 sorted by date");
	reviews_feed_cleanup(&f);

	is_int(parse(csv, NULL, REVIEWS_FORMAT_AUTO, &f, &w, &err), 0, "reviews-2.4 CSV");
	is_int(f.format, REVIEWS_FORMAT_CSV, "reviews-2.5 found to be CSV (after a BOM)");
	ok(f.n == 2 && f.n_records == 4 && w.n == 2, "reviews-2.6 two good, two bad (%zu, %d)", f.n,
	   w.n);
	p = find(&f, "r2");
	ok(p && !strcmp(p->text, "Broke after\na \"week\"") && p->rating == 1 &&
	   !strcmp(p->product, "Korvo Two"), "reviews-2.7 quoted newline and quotes");
	p = find(&f, "r1");
	ok(p && !strcmp(p->text, "Fast, quiet") && p->rating == 5, "reviews-2.8 \"rating\" column");
	ok(strstr(w.last, "record 4: stars \"x\"") != NULL, "reviews-2.9 %s", w.last);
	reviews_feed_cleanup(&f);
	parse(csv, NULL, REVIEWS_FORMAT_AUTO, &f, &w, &err);
	reviews_feed_cleanup(&f);

	memset(&o, 0, sizeof o);
	o.platform = "amazon";
	o.delimiter = ';';
	is_int(reviews_map_parse(&o, "product=asin, stars=overall,title=summary,text=reviewText,"
				 "author=reviewerName,date=unixReviewTime,id=reviews.id", &err), 0,
	       "reviews-2.10 a map");
	is_int(reviews_parse(amazon, strlen(amazon), &o, &f, on_warn, &w, &err), 0,
	       "reviews-2.11 Amazon's names, ';' between fields");
	p = f.n ? f.posts[0] : NULL;
	ok(p && !strcmp(p->source, "amazon") && !strcmp(p->external_id, "x1") &&
	   !strcmp(p->product, "B01") && p->rating == 4 && !strcmp(p->title, "Nice") &&
	   p->created_at == 1700000000000LL, "reviews-2.12 every field through the map");
	reviews_feed_cleanup(&f);
	reviews_opts_cleanup(&o);

	memset(&o, 0, sizeof o);
	reviews_map_parse(&o, "stars=score,id=-", &err);
	is_int(reviews_parse(csv, strlen(csv), &o, &f, on_warn, &w, &err), HORCH_EPARSE,
	       "reviews-2.13 a map naming a column the header lacks");
	ok(strstr(err.msg, "no column \"score\"") != NULL, "reviews-2.14 %s", err.msg);
	reviews_opts_cleanup(&o);
	memset(&o, 0, sizeof o);
	reviews_map_parse(&o, "id=-", &err);
	is_int(reviews_parse(csv, strlen(csv), &o, &f, on_warn, &w, &err), 0, "reviews-2.15 id=-");
	ok(f.n == 2 && !strncmp(f.posts[0]->external_id, "h:", 2) &&
	   strcmp(f.posts[0]->external_id, f.posts[1]->external_id),
	   "reviews-2.16 derived ids instead");
	reviews_feed_cleanup(&f);
	reviews_opts_cleanup(&o);

	memset(&o, 0, sizeof o);
	is_int(reviews_map_parse(&o, "stars", &err), HORCH_EINVAL, "reviews-2.17 a map entry "
	       "without =");
	is_int(reviews_map_parse(&o, "score=stars", &err), HORCH_EINVAL, "reviews-2.18 an unknown "
	       "field");
	ok(strstr(err.msg, "\"score\" is not a field") != NULL, "reviews-2.19 %s", err.msg);
	reviews_opts_cleanup(&o);

	is_int(parse("", NULL, REVIEWS_FORMAT_CSV, &f, &w, &err), HORCH_EPARSE,
	       "reviews-2.20 an empty CSV has no header");
	is_int(parse("", NULL, REVIEWS_FORMAT_JSON, &f, &w, &err), 0, "reviews-2.21 an empty JSON "
	       "Lines feed");
	ok(f.n == 0, "reviews-2.22 has no reviews");
	reviews_feed_cleanup(&f);
}

/* A feed of more reviews than one poll holds in memory is refused. */
static void test_too_many(void)
{
	struct reviews_opts o;
	struct reviews_feed f;
	struct horch_err err;
	struct buf b;
	int64_t t0 = horch_mono_ns();
	int rc;

	memset(&o, 0, sizeof o);
	o.format = REVIEWS_FORMAT_JSON;
	buf_init(&b, BUF_NOLIMIT);
	for (int i = 0; i <= 100000; i++)
		buf_printf(&b, "{\"id\":%d,\"text\":\"a\"}\n", i);
	rc = reviews_parse(b.ptr, b.len, &o, &f, NULL, NULL, &err);
	is_int(rc, HORCH_ETOOBIG, "reviews-1.23 100,001 reviews are too many for one feed");
	ok(strstr(err.msg, "more than 100000 reviews") != NULL && f.n == 0 && !f.posts,
	   "reviews-1.24 %s (%.0f ms)", err.msg, (double)(horch_mono_ns() - t0) / 1e6);
	buf_cleanup(&b);
}

/* The same review for two products: two ids; twice for one: one id. */
static void test_ids(void)
{
	static const char feed[] =
		"[{\"product\":\"A\",\"text\":\"same\",\"author\":\"u\",\"date\":\"2024-01-01\"},"
		"{\"product\":\"B\",\"text\":\"same\",\"author\":\"u\",\"date\":\"2024-01-01\"},"
		"{\"product\":\"A\",\"text\":\"same\",\"author\":\"u\",\"date\":\"2024-01-01\"}]";
	struct reviews_feed f;
	struct horch_err err;
	struct warns w;

	parse(feed, NULL, REVIEWS_FORMAT_JSON, &f, &w, &err);
	ok(f.n == 3, "reviews-3.1 three reviews");
	if (f.n == 3) {
		const char *a1 = NULL, *a2 = NULL, *b = NULL;

		for (size_t i = 0; i < 3; i++) {
			if (!strcmp(f.posts[i]->product, "B"))
				b = f.posts[i]->external_id;
			else if (!a1)
				a1 = f.posts[i]->external_id;
			else
				a2 = f.posts[i]->external_id;
		}
		ok(!strcmp(a1, a2), "reviews-3.2 a repeat has the same id");
		ok(strcmp(a1, b) != 0, "reviews-3.3 another product, another id");
	}
	reviews_feed_cleanup(&f);
}

static void test_cursor(void)
{
	struct reviews_cursor c;
	struct horch_err err;
	struct buf b;
	int kept = 1;

	reviews_cursor_init(&c);
	buf_init(&b, SOURCE_CURSOR_MAX);
	reviews_cursor_write(&c, &b);
	is_str(b.ptr, "{}", "reviews-4.1 empty");
	ok(!source_mark_covers(&c.seen, 5, "x"), "reviews-4.2 covers nothing");
	source_mark_newest(&c.seen, 5000, "a");
	source_mark_newest(&c.seen, 5000, "b");
	source_mark_newest(&c.seen, 4000, "z");
	c.etag = strdup("\"v1\"");
	reviews_cursor_write(&c, &b);
	is_str(b.ptr, "{\"t\":5000,\"ids\":[\"a\",\"b\"],\"etag\":\"\\\"v1\\\"\"}", "reviews-4.3 written");
	ok(source_mark_covers(&c.seen, 4999, "q") && source_mark_covers(&c.seen, 5000, "b") &&
	   !source_mark_covers(&c.seen, 5000, "c") && !source_mark_covers(&c.seen, 5001, "a") &&
	   !source_mark_covers(&c.seen, HORCH_TIME_NONE, "a"), "reviews-4.4 what it covers");
	is_int(reviews_cursor_read(&c, b.ptr, &err), 0, "reviews-4.5 read back");
	ok(c.seen.t == 5000 && c.seen.n_ids == 2 && !strcmp(c.etag, "\"v1\""), "reviews-4.6 the same");
	for (int i = 0; i < 1000; i++) {
		char id[32];

		snprintf(id, sizeof id, "h:%016d", i);
		source_mark_newest(&c.seen, 6000, id);
	}
	kept = (int)c.seen.n_ids;
	is_int(reviews_cursor_write(&c, &b), 0, "reviews-4.7 a second with many reviews");
	ok(b.len < SOURCE_CURSOR_MAX && kept > 100 && kept < 1000,
	   "reviews-4.8 keeps %d ids in %zu bytes", kept, b.len);
	is_int(reviews_cursor_read(&c, "{\"t\":\"x\"}", &err), HORCH_EPARSE, "reviews-4.9 a bad t");
	is_int(reviews_cursor_read(&c, "{\"ids\":[\"a\"]}", &err), HORCH_EPARSE,
	       "reviews-4.10 ids without t");
	buf_cleanup(&b);
	reviews_cursor_cleanup(&c);
}

/* ---- polls ---- */

/* Poll the feed at path (base_url + path) with more settings. */
static struct outcome poll_feed(struct sink *s, const char *path, const char *const *more)
{
	const char *settings[16];
	char url[sizeof base_url + 64];
	size_t n = 0;
	struct outcome o;

	snprintf(url, sizeof url, "%s%s", base_url, path);
	for (; more && more[n] && n < 15; n++)
		settings[n] = more[n];
	settings[n] = NULL;
	{
		char saved[sizeof base_url];

		/* poll_with() takes the URL from base_url. */
		snprintf(saved, sizeof saved, "%s", base_url);
		snprintf(base_url, sizeof base_url, "%.500s", url);
		o = poll_with(s, settings);
		snprintf(base_url, sizeof base_url, "%s", saved);
	}
	return o;
}

static void test_poll(void)
{
	static const char *const formats[] = { "/reviews.json", "/reviews.jsonl", "/reviews.csv" };
	char want[256];
	struct sink s = { 0 };
	struct outcome o;
	struct post *p;

	for (int k = 0; k < 3; k++) {
		restart(10, 0, 0);
		sink_clear(&s);
		o = poll_feed(&s, formats[k], NULL);
		is_int(o.rc, 0, "reviews-5.%d.1 %s", k + 1, formats[k]);
		is_str(sink_ids(&s), "r0 r1 r2 r3 r4 r5 r6 r7 r8 r9",
		       "reviews-5.%d.2 oldest first from a shuffled feed", k + 1);
		snprintf(want, sizeof want, "{\"t\":1700000004000,\"ids\":[\"r8\",\"r9\"],\"etag\":"
			 "\"\\\"reviews-10-%d\\\"\",\"last_modified\":\"Tue, 14 Nov 2023 22:13:24 "
			 "GMT\"}", k);
		is_str(s.cursor, want, "reviews-5.%d.3 the cursor with the feed's validators", k + 1);
		p = sink_find(&s, "r2");
		ok(p && p->rating == (double)(item_rand(srv, 2, 7) % 5 + 1) &&
		   !strcmp(p->product, fs_products[item_rand(srv, 2, 8) % FS_N_PRODUCTS]) &&
		   p->kind == POST_KIND_REVIEW && !strcmp(p->source, "review") &&
		   p->text && strstr(p->text, "with a comma\nand a second line"),
		   "reviews-5.%d.4 a review's fields", k + 1);
	}
	sink_next(&s);
	o = poll_feed(&s, "/reviews.csv", NULL);
	ok(o.rc == 0 && s.n == 0 && forum_count(srv, "not_modified") == 1,
	   "reviews-5.4 an unchanged feed: 304, nothing (%d, %zu)", o.rc, s.n);
	forum_add(srv, 2);
	sink_next(&s);
	o = poll_feed(&s, "/reviews.csv", NULL);
	is_str(sink_ids(&s), "r10 r11", "reviews-5.5 the new reviews only");
	ok(strstr(s.cursor, "\"t\":1700000005000,\"ids\":[\"r10\",\"r11\"]") != NULL,
	   "reviews-5.6 cursor moved: %s", s.cursor);
	sink_clear(&s);

	{
		static const char *const map[] = { "platform=amazon", "map=id=reviewerID,product=asin,"
						   "stars=overall,title=summary,text=reviewText,"
						   "author=reviewerName,date=unixReviewTime", NULL };

		restart(6, 0, 2);
		o = poll_feed(&s, "/reviews.json?style=amazon", map);
		p = sink_find(&s, "A3");
		ok(o.rc == 0 && s.n == 6 && p && !strcmp(p->source, "amazon") &&
		   p->created_at == 1700000001000LL && p->rating == (double)(item_rand(srv, 3, 7) % 5 + 1),
		   "reviews-5.7 Amazon's export through a map");
		sink_clear(&s);
	}

	restart(12, 4, 1);
	o = poll_feed(&s, "/reviews.csv", NULL);
	ok(o.rc == 0 && s.n == 9 && strstr(o.warning, "record 12: stars 'lots'"),
	   "reviews-5.8 bad records skipped: %zu, %s", s.n, o.warning);
	sink_clear(&s);
}

static void test_batches(void)
{
	struct sink clean = { 0 }, s = { 0 };
	struct outcome o;
	int same = 1;

	restart(1200, 0, 0);
	o = poll_feed(&clean, "/reviews.jsonl", NULL);
	ok(o.rc == 0 && clean.n == 1200 && clean.commits == 3,
	   "reviews-6.1 1200 reviews in three commits (%zu, %d)", clean.n, clean.commits);
	for (int kill_at = 1; kill_at <= 3; kill_at++) {
		struct sink all = { 0 };

		sink_clear(&s);
		s.refuse_commit = kill_at;
		o = poll_feed(&s, "/reviews.jsonl", NULL);
		sink_keep(&all, &s);
		o = poll_feed(&s, "/reviews.jsonl", NULL);
		for (size_t i = 0; i < s.n; i++)
			if (sink_find(&all, s.ids[i])) {
				same = 0;
				diag("kill at %d: %s twice", kill_at, s.ids[i]);
			}
		if (all.n + s.n != clean.n) {
			same = 0;
			diag("kill at %d: %zu + %zu of %zu", kill_at, all.n, s.n, clean.n);
		}
		sink_clear(&all);
	}
	ok(same, "reviews-6.2 a kill at each commit: the restart stores the rest, once");
	sink_clear(&s);
	sink_clear(&clean);
}

static void test_faults(void)
{
	static const char *const quick[] = { "timeout=1", NULL };
	static const char *const bad_format[] = { "format=xml", NULL };
	struct sink s = { 0 };
	struct outcome o;
	char path[] = "/tmp/horch-reviews-XXXXXX";
	char url[128];
	int fd;

	restart(10, 0, 0);
	forum_fault(srv, "500:1");
	o = poll_feed(&s, "/reviews.json", NULL);
	ok(o.rc == HORCH_EIO && s.n == 0, "reviews-7.1 500: %s", o.err.msg);
	forum_fault(srv, "429:1:0:30");
	o = poll_feed(&s, "/reviews.json", NULL);
	ok(o.rc == HORCH_ELIMIT && o.retry == 30, "reviews-7.2 429 (%d, %d)", o.rc, o.retry);
	forum_fault(srv, "malformed:1");
	o = poll_feed(&s, "/reviews.json", NULL);
	ok(o.rc == HORCH_EPARSE && s.n == 0 && s.commits == 0,
	   "reviews-7.3 a cut JSON array stores nothing: %s", o.err.msg);
	forum_fault(srv, "slow:1:0:2500");
	o = poll_feed(&s, "/reviews.json", quick);
	is_int(o.rc, HORCH_EIO, "reviews-7.4 a slow feed times out");
	o = poll_feed(&s, "/reviews.json", bad_format);
	ok(o.rc == HORCH_EINVAL && strstr(o.err.msg, "format"), "reviews-7.5 %s", o.err.msg);
	o = poll_feed(&s, "/nothing.json", NULL);
	is_int(o.rc, HORCH_ENOTFOUND, "reviews-7.6 a 404");

	fd = mkstemp(path);
	if (fd >= 0) {
		static const char csv[] = "id,stars,text,date\nf1,5,file review,2024-05-01\n";

		if (write(fd, csv, sizeof csv - 1) != (ssize_t)(sizeof csv - 1))
			diag("short write");
		close(fd);
	}
	snprintf(url, sizeof url, "file://%s", path);
	{
		char saved[sizeof base_url];

		snprintf(saved, sizeof saved, "%s", base_url);
		snprintf(base_url, sizeof base_url, "%s", url);
		sink_clear(&s);
		o = poll_with(&s, (const char *const[]){ NULL });
		snprintf(base_url, sizeof base_url, "%s", saved);
	}
	ok(o.rc == 0 && s.n == 1 && !strcmp(s.ids[0], "f1"), "reviews-7.7 a file:// feed (%d: %s)",
	   o.rc, o.err.msg);
	unlink(path);
	sink_clear(&s);
}

/* Add a product with aliases (NULL-terminated) to st. */
static void add_product(struct store *st, const char *name, const char *const *aliases)
{
	struct store_product p = { 0 };
	struct horch_err err;

	p.name = (char *)name;
	p.aliases = (char **)aliases;
	while (aliases && aliases[p.n_aliases])
		p.n_aliases++;
	if (store_product_add(st, &p, &err))
		diag("add product %s: %s", name, err.msg);
}

/* Reviews name their products as the shop writes them; the catalogue's
 * names and aliases tie them to its products. */
static void test_catalogue(void)
{
	static const char *const one[] = { "Korvo 1", NULL };
	struct source_catalogue *cat = NULL;
	struct store *st = NULL;
	struct horch_err err;
	struct sink s = { 0 };
	struct outcome o;
	char dir[] = "/tmp/horch-reviews-cat-XXXXXX", path[128];
	size_t n[4] = { 0 }, other = 0;

	restart(40, 0, 0);
	o = poll_feed(&s, "/reviews.json", NULL);
	ok(o.rc == 0 && sink_find_product(&s, "Korvo 1") && sink_find_product(&s, "korvo mini"),
	   "reviews-8.1 without a catalogue, products as the feed names them");
	sink_clear(&s);

	if (!mkdtemp(dir)) {
		tap_skip(5, "no temporary directory");
		return;
	}
	snprintf(path, sizeof path, "%s/cat.db", dir);
	if (store_open(&st, path, NULL, &err)) {
		diag("%s", err.msg);
		tap_skip(5, "no store");
		rmdir(dir);
		return;
	}
	add_product(st, "Korvo One", one);
	add_product(st, "Korvo Two", NULL);
	add_product(st, "Korvo Mini", NULL);
	is_int(source_catalogue_load(&cat, st, &err), 0, "reviews-8.2 the catalogue loaded");
	poll_catalogue = cat;
	o = poll_feed(&s, "/reviews.json", NULL);
	poll_catalogue = NULL;
	for (size_t i = 0; i < s.n; i++) {
		const char *pr = s.posts[i]->product;

		if (!strcmp(pr, "Korvo One"))
			n[0]++;
		else if (!strcmp(pr, "Korvo Two"))
			n[1]++;
		else if (!strcmp(pr, "Korvo Mini"))
			n[2]++;
		else if (!strcmp(pr, "Zeta Phone"))
			n[3]++;
		else
			other++;
	}
	is_int(o.rc, 0, "reviews-8.3 a poll with the catalogue");
	ok(n[0] && n[1] && n[2] && n[3] && !other && n[0] + n[1] + n[2] + n[3] == 40,
	   "reviews-8.4 every product named as the catalogue names it (%zu one, %zu two, %zu mini, "
	   "%zu unknown, %zu else)", n[0], n[1], n[2], n[3], other);
	ok(strstr(o.warning, "product 'Zeta Phone' is not in the catalogue") != NULL,
	   "reviews-8.5 the unknown one reported: %s", o.warning);
	ok(!sink_find_product(&s, "Korvo 1") && !sink_find_product(&s, "korvo mini"),
	   "reviews-8.6 the alias and the other spelling are gone");
	sink_clear(&s);
	source_catalogue_free(cat);
	store_close(st);
	unlink(path);
	{
		char wal[160];

		snprintf(wal, sizeof wal, "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof wal, "%s-shm", path);
		unlink(wal);
	}
	rmdir(dir);
}

/* The 5,000 Amazon reviews of Datafiniti (shared data). */
static void test_shared(void)
{
	static const char *const map[] = { "platform=amazon", "map=product=name,"
					   "stars=reviews.rating,title=reviews.title,"
					   "text=reviews.text,author=reviews.username,"
					   "date=reviews.date,id=-", NULL };
	const char *dir = tap_shared_dir();
	struct sink s = { 0 };
	struct outcome o;
	char saved[sizeof base_url];
	int stars[6] = { 0 };
	size_t distinct = 0;
	int64_t t0;

	if (!dir) {
		tap_skip(4, "HORCH_SHARED is not set");
		return;
	}
	snprintf(saved, sizeof saved, "%s", base_url);
	if ((size_t)snprintf(base_url, sizeof base_url, "file://%s/reviews/"
			     "datafiniti_amazon_consumer_reviews_5000.csv", dir) >= sizeof base_url) {
		tap_skip(4, "the shared directory's path is too long for this test");
		snprintf(base_url, sizeof base_url, "%s", saved);
		return;
	}
	t0 = horch_mono_ns();
	o = poll_with(&s, map);
	diag("5000 Datafiniti reviews read, sorted and emitted in %.1f ms",
	     (double)(horch_mono_ns() - t0) / 1e6);
	snprintf(base_url, sizeof base_url, "%s", saved);
	is_int(o.rc, 0, "reviews-9.1 the Datafiniti file through file://");
	/* A review that a product's record repeats (same author, date, title
	 * and text) has one id and is sent once: SOURCE.md counts 615
	 * repeated texts, of which 187 within one product. */
	is_int(s.n, 4813, "reviews-9.2 4813 of the 5000 records: one product's repeats once");
	for (size_t i = 0; i < s.n; i++) {
		int k = (int)s.posts[i]->rating;

		if (k >= 1 && k <= 5 && s.posts[i]->rating == k)
			stars[k]++;
		distinct += !sink_find_before(&s, s.ids[i], i);
	}
	ok(stars[5] == 3344 && stars[4] == 1170 && stars[3] == 191 && stars[2] == 50 &&
	   stars[1] == 58, "reviews-9.3 their stars (%d %d %d %d %d)", stars[1], stars[2], stars[3],
	   stars[4], stars[5]);
	is_int(distinct, s.n, "reviews-9.4 each id once");
	sink_clear(&s);
}

int main(void)
{
	test_json();
	test_lines_csv();
	test_too_many();
	test_ids();
	test_cursor();
	if (forum_begin("reviews")) {
		diag("cannot start the fake review feed");
		return 1;
	}
	test_poll();
	test_batches();
	test_faults();
	test_catalogue();
	test_shared();
	forum_stop(srv);
	return tap_done();
}
