/* test_metrics.c - unit tests of the numbers of the wall: the store's
 * metrics calls (store_metrics(), store_metrics_breakdown(),
 * store_top_authors(), store_post_texts()) on a small store built by hand,
 * and the trending terms (src/http/trending.c): stop words, the topic's
 * own terms, the scorer's exact figures, the span parser.
 *
 * The store lives in a directory made with mkdtemp() and removed at the
 * end.  Every expected figure below is worked out by hand from the posts
 * of build_store(). */
#include "tap.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/trending.h"
#include "query/query.h"
#include "store/store.h"

#include "tmpdir.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
/* 2026-01-01T00:00:00Z, a whole hour. */
#define T0 1767225600000LL

/* ---- the store ---- */

/* Posts by number p[1..8] (p[0] unused); see build_store(). */
static struct post *p[9];
static int64_t topic_a, topic_b;

static struct post *mkpost(const char *source, const char *ext, const char *author,
			   int64_t followers, int64_t created_at, const char *lang,
			   const char *country, enum post_sentiment label)
{
	struct post *q = post_new();

	q->source = horch_xstrdup(source);
	q->external_id = horch_xstrdup(ext);
	q->author = horch_xstrdup(author);
	q->author_followers = followers;
	q->created_at = created_at;
	q->fetched_at = T0;
	q->lang = horch_xstrdup(lang);
	q->country = horch_xstrdup(country);
	q->text = horch_xstrdup(ext);
	if (label != POST_SENT_NONE) {
		q->analysed = 1;
		q->sentiment_label = (uint8_t)label;
	}
	return q;
}

static int64_t add_topic(struct store *st, const char *name)
{
	struct store_topic t;
	struct horch_err err;

	memset(&t, 0, sizeof t);
	t.name = (char *)name;
	t.query = (char *)name;
	t.matched_to = STORE_HISTORY_DONE;
	if (store_topic_add(st, &t, &err)) {
		diag("%s", err.msg);
		return 0;
	}
	return t.id;
}

/* The store of every test:
 *
 *   post source    author  foll. created     lang country label    spam  topics
 *   p1   twitter   ada     100   T0+10m      en   DE      positive       A B
 *   p2   twitter   ADA     150   T0+20m      en   DE      negative       A     (reach 3, name "Ada L")
 *   p3   mastodon  bob     ?     T0+1h+5m    de   AT      neutral        A
 *   p4   mastodon  cy      50    T0+1h+6m    de   -       negative  yes  A
 *   p5   rss       -       1000  T0+2h+1m    -    -       (not analysed) B
 *   p6   twitter   dee     10    T0-1ms      en   DE      positive       A     (before the window)
 *   p7   twitter   eve     20    T0+30m      en   US      positive       A     (a near-duplicate of p1)
 *   p8   reddit    fay     ?     T0+5m       en   -       positive       none */
static struct store *build_store(void)
{
	struct store *st = NULL;
	struct horch_err err;
	struct store_match m[8];
	size_t n_m = 0;

	if (store_open(&st, tpath("metrics.db"), NULL, &err)) {
		diag("%s", err.msg);
		return NULL;
	}
	topic_a = add_topic(st, "alpha");
	topic_b = add_topic(st, "beta");
	p[1] = mkpost("twitter", "p1", "ada", 100, T0 + 10 * MIN, "en", "DE", POST_SENT_POSITIVE);
	p[2] = mkpost("twitter", "p2", "ADA", 150, T0 + 20 * MIN, "en", "DE", POST_SENT_NEGATIVE);
	p[2]->reach = 3;
	p[2]->author_name = horch_xstrdup("Ada L");
	p[1]->author_name = horch_xstrdup("Ada");
	p[1]->author_verified = 1;
	p[1]->reach = 2;
	p[3] = mkpost("mastodon", "p3", "bob", POST_COUNT_NONE, T0 + HOUR + 5 * MIN, "de", "AT",
		      POST_SENT_NEUTRAL);
	p[4] = mkpost("mastodon", "p4", "cy", 50, T0 + HOUR + 6 * MIN, "de", NULL,
		      POST_SENT_NEGATIVE);
	p[4]->is_spam = 1;
	p[5] = mkpost("rss", "p5", NULL, 1000, T0 + 2 * HOUR + MIN, NULL, NULL, POST_SENT_NONE);
	p[6] = mkpost("twitter", "p6", "dee", 10, T0 - 1, "en", "DE", POST_SENT_POSITIVE);
	p[7] = mkpost("twitter", "p7", "eve", 20, T0 + 30 * MIN, "en", "US", POST_SENT_POSITIVE);
	p[8] = mkpost("reddit", "p8", "fay", POST_COUNT_NONE, T0 + 5 * MIN, "en", NULL,
		      POST_SENT_POSITIVE);
	/* Match indexes are into the batch p + 1. */
#define MATCH(tid, i) (m[n_m].topic = (tid), m[n_m].post = (i) - 1, m[n_m].spans = NULL, n_m++)
	MATCH(topic_a, 1);
	MATCH(topic_b, 1);
	MATCH(topic_a, 2);
	MATCH(topic_a, 3);
	MATCH(topic_a, 4);
	MATCH(topic_b, 5);
	MATCH(topic_a, 6);
	MATCH(topic_a, 7);
#undef MATCH
	if (store_put_posts_matched(st, p + 1, 8, NULL, m, n_m, &err)) {
		diag("%s", err.msg);
		store_close(st);
		return NULL;
	}
	return st;
}

/* The rows of store_metrics() as text: "topic@hour:volume/pos/neu/neg/reach;". */
static int metrics_row(void *ctx, const struct store_metrics_row *r)
{
	struct buf *b = ctx;
	int64_t topic = r->topic == topic_a ? 'A' : r->topic == topic_b ? 'B' : '0';

	buf_printf(b, "%c@%lld:%lld/%lld/%lld/%lld/%lld;", (char)topic,
		   (long long)((r->t - T0) / MIN), (long long)r->volume, (long long)r->positive,
		   (long long)r->neutral, (long long)r->negative, (long long)r->reach);
	return 0;
}

static int stop_now(void *ctx, const struct store_metrics_row *r)
{
	(void)ctx;
	(void)r;
	return 1;
}

static void test_metrics(struct store *st)
{
	struct horch_err err;
	struct buf b;
	int64_t ab[2] = { topic_b, topic_a }, bad = -3;
	int64_t many[STORE_METRICS_TOPICS_MAX + 1];
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	rc = store_metrics(st, ab, 2, T0, T0 + 3 * HOUR, HOUR, metrics_row, &b, &err);
	is_int(rc, 0, "metrics-1.1 two topics, three hours, by hour");
	/* Minutes from T0 before the colon. */
	is_str(b.ptr, "B@0:1/1/0/0/100;B@120:1/0/0/0/1000;"
		      "A@0:3/2/0/1/270;A@60:1/0/1/0/0;",
	       "metrics-1.2 per topic in the order given, buckets in time order; spam, "
	       "posts before the window left out; the near-duplicate counted");

	buf_reset(&b);
	rc = store_metrics(st, NULL, 0, T0, T0 + 3 * HOUR, HOUR, metrics_row, &b, &err);
	is_int(rc, 0, "metrics-1.3 no topics: every post");
	is_str(b.ptr, "0@0:4/3/0/1/270;0@60:1/0/1/0/0;0@120:1/0/0/0/1000;",
	       "metrics-1.4 all posts by hour, as topic 0; unknown followers add 0");

	buf_reset(&b);
	rc = store_metrics(st, &topic_a, 1, T0, T0 + HOUR, 30 * MIN, metrics_row, &b, &err);
	is_int(rc, 0, "metrics-1.5 half-hour buckets");
	is_str(b.ptr, "A@0:2/1/0/1/250;A@30:1/1/0/0/20;",
	       "metrics-1.6 a post at 30 min starts the second bucket");

	buf_reset(&b);
	rc = store_metrics(st, &topic_a, 1, T0 - HOUR, T0 + 20 * MIN, HOUR, metrics_row, &b,
			   &err);
	is_int(rc, 0, "metrics-1.7 a window ending at 20 min");
	is_str(b.ptr, "A@-60:1/1/0/0/10;A@0:1/1/0/0/100;",
	       "metrics-1.8 until is exclusive (p2 at 20 min left out), buckets on the hour");

	buf_reset(&b);
	rc = store_metrics(st, &topic_a, 1, T0 + 5 * HOUR, T0 + 6 * HOUR, HOUR, metrics_row, &b,
			   &err);
	ok(rc == 0 && b.len == 0, "metrics-1.9 an empty window reports nothing");

	rc = store_metrics(st, &topic_a, 1, T0, T0 + HOUR, HOUR, stop_now, NULL, &err);
	is_int(rc, HORCH_ESTOP, "metrics-1.10 the callback stops the call");

	rc = store_metrics(st, &topic_a, 1, T0, T0, HOUR, metrics_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "metrics-2.1 an empty window is refused");
	rc = store_metrics(st, &topic_a, 1, HORCH_TIME_NONE, T0, HOUR, metrics_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "metrics-2.2 a window without since is refused");
	rc = store_metrics(st, &topic_a, 1, T0, T0 + HOUR, 0, metrics_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "metrics-2.3 interval 0 is refused");
	rc = store_metrics(st, &bad, 1, T0, T0 + HOUR, HOUR, metrics_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "metrics-2.4 a negative topic id is refused");
	for (size_t i = 0; i < STORE_METRICS_TOPICS_MAX + 1; i++)
		many[i] = topic_a;
	rc = store_metrics(st, many, STORE_METRICS_TOPICS_MAX + 1, T0, T0 + HOUR, HOUR,
			   metrics_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "metrics-2.5 more than STORE_METRICS_TOPICS_MAX topics");
	rc = store_metrics(st, &topic_a, 1, T0, T0 + HOUR, HOUR, NULL, NULL, &err);
	is_int(rc, HORCH_EINVAL, "metrics-2.6 no callback");
	buf_cleanup(&b);
}

static int breakdown_row(void *ctx, enum store_mdim dim, const char *key, int64_t count)
{
	struct buf *b = ctx;
	static const char *names[] = { "source", "lang", "country" };

	buf_printf(b, "%s:%s=%lld;", names[dim], key, (long long)count);
	return 0;
}

static void test_breakdown(struct store *st)
{
	struct horch_err err;
	struct buf b;
	int64_t ab[2] = { topic_a, topic_b };
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	rc = store_metrics_breakdown(st, ab, 2, T0, T0 + 3 * HOUR, 0, breakdown_row, &b, &err);
	is_int(rc, 0, "breakdown-1.1 two topics");
	/* p1, p2, p3, p5, p7: p1 matched both and counts once. */
	is_str(b.ptr, "source:twitter=3;source:mastodon=1;source:rss=1;"
		      "lang:en=3;lang:=1;lang:de=1;"
		      "country:DE=2;country:=1;country:AT=1;country:US=1;",
	       "breakdown-1.2 a post of two topics counts once; ties by key; unknown is \"\"");

	buf_reset(&b);
	rc = store_metrics_breakdown(st, ab, 2, T0, T0 + 3 * HOUR, 1, breakdown_row, &b, &err);
	is_int(rc, 0, "breakdown-1.3 limit 1");
	is_str(b.ptr, "source:twitter=3;lang:en=3;country:DE=2;",
	       "breakdown-1.4 the largest key of each dimension");

	buf_reset(&b);
	rc = store_metrics_breakdown(st, &topic_b, 1, T0, T0 + 3 * HOUR, 0, breakdown_row, &b,
				     &err);
	is_int(rc, 0, "breakdown-1.5 one topic");
	is_str(b.ptr, "source:rss=1;source:twitter=1;lang:=1;lang:en=1;country:=1;country:DE=1;",
	       "breakdown-1.6 topic beta: p1 and p5");

	buf_reset(&b);
	rc = store_metrics_breakdown(st, NULL, 0, T0, T0 + 3 * HOUR, 2, breakdown_row, &b, &err);
	is_int(rc, 0, "breakdown-1.7 every post");
	is_str(b.ptr, "source:twitter=3;source:mastodon=1;lang:en=4;lang:=1;"
		      "country:=2;country:DE=2;",
	       "breakdown-1.8 every post but spam, p8 of no topic included");
	buf_cleanup(&b);
}

static int author_row(void *ctx, const struct store_author *a)
{
	struct buf *b = ctx;

	buf_printf(b, "%s/%s/%s/%lld/%d/%lld/%g;", a->source, a->handle,
		   a->name ? a->name : "-", (long long)a->followers, a->verified,
		   (long long)a->posts, a->reach);
	return 0;
}

static void test_authors(struct store *st)
{
	struct horch_err err;
	struct buf b;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	rc = store_top_authors(st, topic_a, T0, T0 + 3 * HOUR, 10, author_row, &b, &err);
	is_int(rc, 0, "authors-1.1 topic alpha");
	/* ada and ADA are one author; name, handle and verified of p2, the
	 * post stored last; followers and reach the largest; p3 of unknown
	 * followers last; the spam post p4 and p6 (before the window) out. */
	is_str(b.ptr, "twitter/ADA/Ada L/150/0/2/3;twitter/eve/-/20/0/1/0;"
		      "mastodon/bob/-/-1/0/1/0;",
	       "authors-1.2 by followers, unknown last; one author without regard to case");

	buf_reset(&b);
	rc = store_top_authors(st, 0, T0, T0 + 3 * HOUR, 2, author_row, &b, &err);
	is_int(rc, 0, "authors-1.3 every post, limit 2");
	is_str(b.ptr, "twitter/ADA/Ada L/150/0/2/3;twitter/eve/-/20/0/1/0;",
	       "authors-1.4 the post without author (p5) left out, the limit kept");

	rc = store_top_authors(st, 0, T0, T0 + 3 * HOUR, 0, author_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "authors-2.1 limit 0 is refused");
	rc = store_top_authors(st, 0, T0, T0 + 3 * HOUR, STORE_AUTHORS_MAX + 1, author_row, &b,
			       &err);
	is_int(rc, HORCH_EINVAL, "authors-2.2 a limit over STORE_AUTHORS_MAX is refused");
	buf_cleanup(&b);
}

static int text_row(void *ctx, int64_t id, int64_t created_at, const char *title,
		    const char *text)
{
	struct buf *b = ctx;

	(void)title;
	buf_printf(b, "%s@%lld;", text ? text : "-", (long long)((created_at - T0) / MIN));
	return id <= 0;
}

static void test_texts(struct store *st)
{
	struct horch_err err;
	struct buf b;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	rc = store_post_texts(st, topic_a, T0, T0 + 3 * HOUR, 3, text_row, &b, &err);
	is_int(rc, 0, "texts-1.1 topic alpha, at most 3");
	is_str(b.ptr, "p3@65;p7@30;p2@20;", "texts-1.2 newest first, spam left out, capped");

	buf_reset(&b);
	rc = store_post_texts(st, 0, T0, T0 + 3 * HOUR, 100, text_row, &b, &err);
	is_int(rc, 0, "texts-1.3 every post");
	is_str(b.ptr, "p5@121;p3@65;p7@30;p2@20;p1@10;p8@5;", "texts-1.4 every post, newest first");

	rc = store_post_texts(st, 0, T0, T0 + 3 * HOUR, 0, text_row, &b, &err);
	is_int(rc, HORCH_EINVAL, "texts-2.1 limit 0 is refused");
	buf_cleanup(&b);
}

/* ---- trending terms ---- */

static void test_stop_words(void)
{
	ok(trend_stop_word("the", 3), "stop-1.1 the");
	ok(trend_stop_word("don't", 5), "stop-1.2 don't (an inner apostrophe)");
	ok(trend_stop_word("nicht", 5), "stop-1.3 nicht");
	ok(trend_stop_word("fur", 3), "stop-1.4 für, folded");
	ok(trend_stop_word("dass", 4), "stop-1.5 daß, folded to dass");
	ok(trend_stop_word("www", 3), "stop-1.6 www");
	ok(!trend_stop_word("hinge", 5), "stop-1.7 hinge is no stop word");
	ok(!trend_stop_word("uber", 4), "stop-1.8 uber (über folded) can trend");
	ok(!trend_stop_word("th", 2), "stop-1.9 a prefix of a stop word is none");
	ok(!trend_stop_word("thee", 4), "stop-1.10 a longer word is none");
	ok(!trend_stop_word("", 0), "stop-1.11 the empty word");
}

static void add(struct trend *t, enum trend_period period, const char *title,
		const char *text)
{
	if (trend_add(t, period, title, text))
		diag("trend_add failed on \"%s\"", text ? text : "");
}

/* The window and baseline of the scorer's tests:
 *
 *   window (7 posts)                    baseline (8 posts)
 *   Hinge broke                         screen fine   x6
 *   hinge broke!                        hinge ok      x2
 *   the HINGE cracked
 *   screen fine
 *   broke broke broke
 *   (title Screen) The screen is fine
 *   screen 12345 ab
 *
 * ratio = 7 / 8.  hinge: 3 posts, baseline 2, expected 1.75, score
 * 4 / 2.75.  broke: 3 posts (one of them says it thrice), baseline 0,
 * score 4.  screen: 4 posts, expected 6 * 7/8 = 5.25, score 5 / 6.25 < 1:
 * not rising.  fine, cracked: under 3 posts.  the: a stop word.  12345: a
 * number.  ab: two letters. */
static struct trend *scorer_trend(void)
{
	struct trend *t = trend_new();

	add(t, TREND_WINDOW, NULL, "Hinge broke");
	add(t, TREND_WINDOW, NULL, "hinge broke!");
	add(t, TREND_WINDOW, NULL, "the HINGE cracked");
	add(t, TREND_WINDOW, NULL, "screen fine");
	add(t, TREND_WINDOW, NULL, "broke broke broke");
	add(t, TREND_WINDOW, "Screen", "The screen is fine");
	add(t, TREND_WINDOW, "", "screen 12345 ab");
	for (int i = 0; i < 6; i++)
		add(t, TREND_BASELINE, NULL, "screen fine");
	add(t, TREND_BASELINE, NULL, "hinge ok");
	add(t, TREND_BASELINE, "hinge", "ok");
	return t;
}

static void test_scorer(void)
{
	struct trend *t = scorer_trend();
	struct trend_term r[8];
	size_t n;

	is_int(trend_posts(t, TREND_WINDOW), 7, "trend-1.1 window posts");
	is_int(trend_posts(t, TREND_BASELINE), 8, "trend-1.2 baseline posts");
	n = trend_rank(t, r, 8);
	is_int(n, 2, "trend-1.3 two terms rise");
	if (n == 2) {
		is_str(r[0].term, "broke", "trend-1.4 broke first");
		is_int(r[0].count, 3, "trend-1.5 broke: 3 posts (a post counts once)");
		is_int(r[0].baseline, 0, "trend-1.6 broke: none in the baseline");
		ok(r[0].expected == 0 && r[0].score == 4, "trend-1.7 broke: expected 0, score 4");
		is_str(r[1].term, "hinge", "trend-1.8 hinge second (any case)");
		is_int(r[1].count, 3, "trend-1.9 hinge: 3 posts");
		is_int(r[1].baseline, 2, "trend-1.10 hinge: 2 in the baseline (a title counts)");
		ok(fabs(r[1].expected - 1.75) < 1e-12, "trend-1.11 hinge: expected 2 * 7/8");
		ok(fabs(r[1].score - 4 / 2.75) < 1e-12, "trend-1.12 hinge: score 4 / 2.75");
	}
	n = trend_rank(t, r, 1);
	ok(n == 1 && strcmp(r[0].term, "broke") == 0, "trend-1.13 the limit keeps the best");
	ok(!trend_full(t), "trend-1.14 not full");

	trend_exclude(t, "brok", 4, 1);
	n = trend_rank(t, r, 8);
	ok(n == 1 && strcmp(r[0].term, "hinge") == 0, "trend-2.1 a prefix leaves broke out");
	trend_exclude(t, "hing", 4, 0);
	n = trend_rank(t, r, 8);
	is_int(n, 1, "trend-2.2 an exact exclusion is not a prefix");
	trend_exclude(t, "hinge", 5, 0);
	n = trend_rank(t, r, 8);
	is_int(n, 0, "trend-2.3 hinge left out exactly");
	trend_free(t);

	/* No baseline: every term of 3 posts or more is new. */
	t = trend_new();
	add(t, TREND_WINDOW, NULL, "#Akku swollen");
	add(t, TREND_WINDOW, NULL, "akku warm");
	add(t, TREND_WINDOW, NULL, "AKKU!");
	n = trend_rank(t, r, 8);
	ok(n == 1 && strcmp(r[0].term, "akku") == 0 && r[0].score == 4,
	   "trend-3.1 no baseline: a hashtag and the word are one term, score count + 1");
	is_int(trend_add(t, (enum trend_period)2, NULL, "x"), HORCH_EINVAL,
	       "trend-3.2 an unknown period is refused");
	trend_free(t);
	trend_free(NULL);
}

static void test_query_terms(void)
{
	static const char src[] = "(battery OR akku*) AND swollen AND \"Korvo Pro\" "
				  "AND NOT #refurbished";
	struct query *q = NULL;
	struct horch_err err;
	struct trend *t;
	struct trend_term r[8];
	static const char *const texts[] = {
		"Battery akkus swollen korvo pro hinge refurbished",
		"battery akkuzelle swollen KORVO pro hinge #refurbished",
		"battery akku swollen korvo Pro hinge refurbished",
	};
	size_t n;

	if (query_parse(&q, src, strlen(src), 0, NULL, &err)) {
		ok(0, "query-1.0 the query parses: %s", err.msg);
		return;
	}
	t = trend_new();
	trend_exclude_query(t, q);
	for (size_t i = 0; i < 3; i++)
		add(t, TREND_WINDOW, NULL, texts[i]);
	n = trend_rank(t, r, 8);
	ok(n == 1 && strcmp(r[0].term, "hinge") == 0,
	   "query-1.1 words, wildcard words, phrase words and refused terms of the topic are "
	   "left out");
	trend_exclude_query(t, NULL);
	trend_free(t);
	query_free(q);
}

static void test_span(void)
{
	struct horch_err err;
	int64_t v = -1;

	ok(trend_parse_span("1h", &v, &err) == 0 && v == HOUR, "span-1.1 1h");
	ok(trend_parse_span("90s", &v, &err) == 0 && v == 90000, "span-1.2 90s");
	ok(trend_parse_span("30m", &v, &err) == 0 && v == 30 * MIN, "span-1.3 30m");
	ok(trend_parse_span("7d", &v, &err) == 0 && v == 7 * 24 * HOUR, "span-1.4 7d");
	ok(trend_parse_span("2w", &v, &err) == 0 && v == 14 * 24 * HOUR, "span-1.5 2w");
	v = 5;
	is_int(trend_parse_span("0h", &v, &err), HORCH_EPARSE, "span-2.1 0h is refused");
	is_int(v, 5, "span-2.2 *out untouched on failure");
	is_int(trend_parse_span("h", &v, &err), HORCH_EPARSE, "span-2.3 no number");
	is_int(trend_parse_span("1x", &v, &err), HORCH_EPARSE, "span-2.4 unknown unit");
	is_int(trend_parse_span("1h2", &v, &err), HORCH_EPARSE, "span-2.5 trailing bytes");
	is_int(trend_parse_span("", &v, &err), HORCH_EPARSE, "span-2.6 empty");
	is_int(trend_parse_span(NULL, &v, &err), HORCH_EPARSE, "span-2.7 NULL");
	is_int(trend_parse_span("-1h", &v, &err), HORCH_EPARSE, "span-2.8 negative");
	is_int(trend_parse_span("3660d", &v, &err), 0, "span-2.9 3660 days is the most");
	is_int(trend_parse_span("3661w", &v, &err), HORCH_ETOOBIG, "span-2.10 over 10 years");
	is_int(trend_parse_span("99999999999999999999999d", &v, &err), HORCH_ETOOBIG,
	       "span-2.11 a number past 64 bits does not overflow");
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	struct store *st;

	snprintf(tmpdir, sizeof tmpdir, "%s/horch-test-metrics-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	horch_log_level = LOG_ERROR;
	st = build_store();
	ok(st != NULL, "store-1.0 the store is built");
	if (st) {
		test_metrics(st);
		test_breakdown(st);
		test_authors(st);
		test_texts(st);
		store_close(st);
	}
	for (size_t i = 1; i < 9; i++)
		post_free(p[i]);
	remove_tmpdir();
	test_stop_words();
	test_scorer();
	test_query_terms();
	test_span();
	return tap_done();
}
