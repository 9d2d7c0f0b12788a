/* test_scorecard.c - the launch scorecard (src/http/scorecard.c) on a store
 * built by hand: two topics, their posts with times, sentiment labels,
 * intents, authors, followers and priorities, a spam post, four launches
 * (one on the same instant as another, one a week later whose windows are
 * not over), then store_signals_update() and the scorecards.  Every figure
 * is worked out by hand in the comments: each window's volume, labels, net
 * sentiment, unique authors, reach, complaints and questions; the baseline
 * over the history there is (100 hours) and over the full week; the
 * earlier launches, latest first, strictly before; a launch off the hour
 * (minute and hour buckets together); the clusters of complaints and
 * questions, the topic's own term left out, the heaviest post as the
 * example cut to 280 characters; the JSON of the API and the helpers. */
#include "tap.h"

#include <jansson.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/scorecard.h"
#include "query/query.h"
#include "store/store.h"

#include "tmpdir.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)
/* 2026-01-01T00:00:00Z. */
#define T0 1767225600000LL
/* The launch of "Pro 16": 2026-01-11T09:00:00Z. */
#define A (T0 + 10 * DAY + 9 * HOUR)
/* "Air 13", three days before. */
#define AA (A - 3 * DAY)
/* "Pro 16 week", eight days after. */
#define L3 (A + 8 * DAY)

static struct store *st;
static int64_t topic_k, topic_o;
static struct post *nadia;  /* the heaviest hinge complaint */

/* The posts of the store, matched as they are added. */
static struct post *posts[64];
static struct store_match matches[64];
static size_t n_posts;

static struct post *add(int64_t topic, const char *author, int64_t followers, int64_t t,
			enum post_sentiment label, enum post_intent intent, float priority,
			const char *text)
{
	struct post *p = post_new();
	char ext[32];

	snprintf(ext, sizeof ext, "p%zu", n_posts);
	p->source = horch_xstrdup("twitter");
	p->external_id = horch_xstrdup(ext);
	p->author = horch_xstrdup(author);
	p->author_followers = followers;
	p->created_at = t;
	p->fetched_at = t;
	p->text = horch_xstrdup(text);
	p->analysed = 1;
	p->sentiment_label = (uint8_t)label;
	p->sentiment = label == POST_SENT_POSITIVE ? 0.5f : label == POST_SENT_NEGATIVE ? -0.5f : 0;
	p->intent = (uint8_t)intent;
	p->priority = priority;
	matches[n_posts].topic = topic;
	matches[n_posts].post = (int64_t)n_posts;
	matches[n_posts].spans = NULL;
	posts[n_posts++] = p;
	return p;
}

static int64_t add_topic(const char *name, const char *query)
{
	struct store_topic t;
	struct horch_err err;

	memset(&t, 0, sizeof t);
	t.name = (char *)name;
	t.query = (char *)query;
	t.matched_to = STORE_HISTORY_DONE;
	if (store_topic_add(st, &t, &err)) {
		printf("Bail out! topic %s: %s\n", name, err.msg);
		exit(1);
	}
	return t.id;
}

static int64_t add_launch(const char *name, int64_t topic, int64_t at)
{
	struct store_launch l = { 0, (char *)name, topic, at, 0 };
	struct horch_err err;

	if (store_launch_add(st, &l, &err)) {
		printf("Bail out! launch %s: %s\n", name, err.msg);
		exit(1);
	}
	return l.id;
}

/* The nadia_builds post: 35 characters, then "Ärger " 60 times. */
static char long_text[1024];

static void build(void)
{
	struct store_signals_done done;
	struct horch_err err;
	struct post *spam, *cy;
	size_t len;

	topic_k = add_topic("Korvo Pro 16", "korvo OR \"pro 16\"");
	topic_o = add_topic("Other", "other");

	/* Korvo's history: 20 posts from A - 100 h + 30 min, one every four
	 * hours (the last at A - 23.5 h): 10 positive, 5 negative (four of
	 * them the complaint "Battery drains fast"), 5 neutral.  Its first
	 * hour bucket starts at A - 100 h. */
	for (int i = 0; i < 20; i++) {
		char author[16];

		snprintf(author, sizeof author, "base%d", i);
		add(topic_k, author, 0, A - 100 * HOUR + 30 * MIN + i * 4 * HOUR,
		    i < 10 ? POST_SENT_POSITIVE : i < 15 ? POST_SENT_NEGATIVE : POST_SENT_NEUTRAL,
		    i >= 10 && i < 14 ? POST_INTENT_COMPLAINT : POST_INTENT_OTHER, 10,
		    i >= 10 && i < 14 ? "Battery drains fast" : "just talking");
	}

	/* The first hour: 4 posts of 3 authors (ada twice), reach
	 * 100 + 50 + 10 + 100 = 260, and a spam post that counts nowhere (and
	 * a near-duplicate, stored below, that does not either). */
	add(topic_k, "ada", 100, A, POST_SENT_POSITIVE, POST_INTENT_PRAISE, 20, "Love the new Korvo");
	add(topic_k, "bob", 50, A + 5 * MIN, POST_SENT_POSITIVE, POST_INTENT_PRAISE, 20,
	    "Korvo looks great");
	cy = add(topic_k, "cy", 10, A + 30 * MIN + 30000, POST_SENT_NEGATIVE, POST_INTENT_COMPLAINT, 40,
	    "Korvo hinge cracked already");
	spam = add(topic_k, "spammer", 5, A + 10 * MIN, POST_SENT_NEGATIVE, POST_INTENT_COMPLAINT,
		   0, "hinge hinge hinge buy now");
	spam->is_spam = 1;
	spam->spam = 0.9f;
	add(topic_k, "ada", 100, A + 59 * MIN, POST_SENT_NEUTRAL, POST_INTENT_QUESTION, 50,
	    "What is the price of the Korvo?");

	/* Hours two to four: six hinge complaints of one follower each (three
	 * of them loose rather than cracked; one is nadia_builds' long post of
	 * priority 90), two questions. */
	len = (size_t)snprintf(long_text, sizeof long_text, "My Korvo hinge cracked on day one. ");
	for (int i = 0; i < 60; i++)
		len += (size_t)snprintf(long_text + len, sizeof long_text - len, "\xC3\x84rger ");
	for (int k = 0; k < 6; k++) {
		char author[16];
		struct post *p;

		snprintf(author, sizeof author, "u%d", k);
		p = add(topic_k, k == 2 ? "nadia_builds" : author, 1, A + HOUR + k * 20 * MIN,
		    POST_SENT_NEGATIVE, POST_INTENT_COMPLAINT, k == 2 ? 90 : 30,
		    k == 2 ? long_text : k % 2 ? "The Korvo hinge is loose" : "Hinge cracked on my Korvo");
		if (k == 2)
			nadia = p;
	}
	add(topic_k, "q1", 0, A + 3 * HOUR, POST_SENT_NEUTRAL, POST_INTENT_QUESTION, 60,
	    "Korvo price in Germany?");
	add(topic_k, "q2", 0, A + 3 * HOUR + 30 * MIN, POST_SENT_NEUTRAL, POST_INTENT_QUESTION, 55,
	    "Any price drop for Korvo soon?");

	/* The rest of the day; the post at A + 24 h is after it. */
	add(topic_k, "e1", 0, A + 5 * HOUR, POST_SENT_NEGATIVE, POST_INTENT_COMPLAINT, 30,
	    "Korvo battery drains fast");
	add(topic_k, "e2", 0, A + 23 * HOUR + 59 * MIN, POST_SENT_NEGATIVE, POST_INTENT_COMPLAINT,
	    30, "Korvo hinge cracked after a day");
	add(topic_k, "e3", 0, A + 24 * HOUR, POST_SENT_POSITIVE, POST_INTENT_PRAISE, 10,
	    "Korvo still fine");

	/* A week later. */
	add(topic_k, "w1", 0, L3 - HOUR, POST_SENT_POSITIVE, POST_INTENT_OTHER, 10, "Korvo update");
	add(topic_k, "w2", 0, L3 + 10 * MIN, POST_SENT_NEGATIVE, POST_INTENT_COMPLAINT, 30,
	    "Korvo hinge wobbly");

	/* The other topic around "Air 13". */
	add(topic_o, "o1", 0, AA, POST_SENT_POSITIVE, POST_INTENT_OTHER, 10, "other one");
	add(topic_o, "o2", 0, AA + 20 * MIN, POST_SENT_POSITIVE, POST_INTENT_OTHER, 10, "other two");
	add(topic_o, "o3", 0, AA + 40 * MIN, POST_SENT_NEGATIVE, POST_INTENT_OTHER, 10, "other 3");
	add(topic_o, "o4", 0, AA + 2 * HOUR, POST_SENT_NEGATIVE, POST_INTENT_OTHER, 10, "other 4");
	add(topic_o, "o5", 0, AA + 3 * HOUR, POST_SENT_NEGATIVE, POST_INTENT_OTHER, 10, "other 5");
	add(topic_o, "o6", 0, AA + 10 * HOUR, POST_SENT_NEUTRAL, POST_INTENT_OTHER, 10, "other 6");

	if (store_put_posts_matched(st, posts, n_posts, NULL, matches, n_posts, &err)) {
		printf("Bail out! posts: %s\n", err.msg);
		exit(1);
	}
	/* A repost of cy's complaint, stored as its near-duplicate: counted
	 * apart in the buckets, and not clustered. */
	{
		struct post *rt = post_new();
		struct store_match m = { 0, 0, NULL };

		m.topic = topic_k;
		rt->source = horch_xstrdup("twitter");
		rt->external_id = horch_xstrdup("rt1");
		rt->author = horch_xstrdup("rt1");
		rt->author_followers = 1000;
		rt->created_at = rt->fetched_at = A + 40 * MIN;
		rt->text = horch_xstrdup("Korvo hinge cracked already");
		rt->analysed = 1;
		rt->sentiment_label = POST_SENT_NEGATIVE;
		rt->intent = POST_INTENT_COMPLAINT;
		rt->priority = 99;
		rt->dup_of = cy->id;
		if (store_put_posts_matched(st, &rt, 1, NULL, &m, 1, &err)) {
			printf("Bail out! repost: %s\n", err.msg);
			exit(1);
		}
		post_free(rt);
	}
	do {
		if (store_signals_update(st, NULL, &done, &err)) {
			printf("Bail out! signals: %s\n", err.msg);
			exit(1);
		}
	} while (done.more);

	add_launch("Air 13", topic_o, AA);
	add_launch("Pro 16", topic_k, A);
	add_launch("Twin", topic_o, A);
	add_launch("Pro 16 week", topic_k, L3);
}

static struct query *parse(const char *src)
{
	struct query *q = NULL;
	struct horch_err err;

	if (query_parse(&q, src, strlen(src), 0, NULL, &err) != 0) {
		printf("Bail out! query %s: %s\n", src, err.msg);
		exit(1);
	}
	return q;
}

/* The scorecard of the stored launch called name, at wall-clock time wall. */
static int card(const char *name, const struct query *q, int64_t wall, struct scorecard *sc)
{
	struct store_launch l;
	struct horch_err err;
	int rc;

	memset(&l, 0, sizeof l);
	if (store_launch_get(st, name, &l, &err)) {
		printf("Bail out! launch %s: %s\n", name, err.msg);
		exit(1);
	}
	rc = scorecard_compute(st, &l, l.topic_id == topic_k ? "Korvo Pro 16" : "Other", q, wall,
			       sc, &err);
	if (rc)
		diag("scorecard %s: %s", name, err.msg);
	store_launch_cleanup(&l);
	return rc;
}

/* A window's figures as text: "vol/pos/neu/neg/authors/reach/c/q". */
static const char *figures(const struct scorecard_tally *t)
{
	static char s[128];

	snprintf(s, sizeof s, "%lld/%lld/%lld/%lld/%lld/%.0f/%lld/%lld", (long long)t->volume,
		 (long long)t->positive, (long long)t->neutral, (long long)t->negative,
		 (long long)t->authors, t->reach, (long long)t->complaints,
		 (long long)t->questions);
	return s;
}

static void test_windows(void)
{
	struct query *q = parse("korvo OR \"pro 16\"");
	struct scorecard sc;

	/* The wall clock is before every post: now is Korvo's newest post,
	 * L3 + 10 min, long after Pro 16's day. */
	is_int(card("Pro 16", q, T0, &sc), 0, "window-1.0 the scorecard of Pro 16");
	is_int(sc.now, L3 + 10 * MIN, "window-1.1 now is the topic's newest post (the wall clock "
	       "is earlier)");
	is_int(sc.at, A, "window-1.2 at");
	is_str(sc.w[0].label, "1h", "window-1.3 the first window is 1h");
	is_int(sc.w[0].from, A, "window-1.4 from at");
	is_int(sc.w[0].to, A + HOUR, "window-1.5 to at + 1 h");
	is_int(sc.w[0].complete, 1, "window-1.6 complete");
	/* ada, bob, cy, ada: 2 positive, 1 neutral, 1 negative. */
	is_str(figures(&sc.w[0].t), "4/2/1/1/3/260/1/1",
	       "window-1.7 1h: 4 posts of 3 authors, reach 260, 1 complaint, 1 question; the spam "
	       "post and the repost count nowhere");
	is_dbl(sc.w[0].t.net, 1.0 / 3, 1e-12, "window-1.8 1h net sentiment (2 - 1) / 3");
	is_str(sc.w[1].label, "4h", "window-1.9 then 4h");
	is_int(sc.w[1].to, A + 4 * HOUR, "window-1.10 to at + 4 h");
	is_str(figures(&sc.w[1].t), "12/2/3/7/11/266/7/3",
	       "window-1.11 4h: six complaints and two questions more, eight more authors");
	is_dbl(sc.w[1].t.net, -5.0 / 9, 1e-12, "window-1.12 4h net (2 - 7) / 9");
	is_str(sc.w[2].label, "24h", "window-1.13 then 24h");
	is_str(figures(&sc.w[2].t), "14/2/3/9/13/266/9/3",
	       "window-1.14 24h: the post at A + 23:59 in, the one at A + 24 h out");
	is_dbl(sc.w[2].t.net, -7.0 / 11, 1e-12, "window-1.15 24h net (2 - 9) / 11");
	is_int(sc.w[2].complete, 1, "window-1.16 24h complete");

	/* The baseline: the first hour bucket is A - 100 h, less than a week. */
	is_int(sc.base_from, A - 100 * HOUR, "baseline-1.1 from the topic's first bucket");
	is_dbl(sc.base_hours, 100, 0, "baseline-1.2 100 hours of history");
	is_int(sc.base.volume, 20, "baseline-1.3 20 posts in it");
	is_dbl(sc.w[0].base_volume, 0.2, 1e-12, "baseline-1.4 1h: 20 x 1 / 100");
	is_dbl(sc.w[1].base_volume, 0.8, 1e-12, "baseline-1.5 4h: 20 x 4 / 100");
	is_dbl(sc.w[2].base_volume, 4.8, 1e-12, "baseline-1.6 24h: 20 x 24 / 100");
	is_dbl(sc.w[2].base_net, 1.0 / 3, 1e-12, "baseline-1.7 net (10 - 5) / 15");

	/* Earlier: Air 13 only (Twin is at the same instant, Pro 16 week after). */
	is_int(sc.n_earlier, 1, "earlier-1.1 one earlier launch");
	is_str(sc.n_earlier ? sc.earlier[0].name : "", "Air 13", "earlier-1.2 Air 13");
	is_int(sc.n_earlier ? sc.earlier[0].at : 0, AA, "earlier-1.3 its time");
	is_int(sc.n_earlier ? sc.earlier[0].volume[0] : 0, 3, "earlier-1.4 its 1h volume");
	is_dbl(sc.n_earlier ? sc.earlier[0].net[0] : 0, 1.0 / 3, 1e-12,
	       "earlier-1.5 its 1h net (2 - 1) / 3");
	is_int(sc.n_earlier ? sc.earlier[0].volume[1] : 0, 5, "earlier-1.6 its 4h volume");
	is_dbl(sc.n_earlier ? sc.earlier[0].net[1] : 0, -0.2, 1e-12, "earlier-1.7 its 4h net");
	is_int(sc.n_earlier ? sc.earlier[0].volume[2] : 0, 6, "earlier-1.8 its 24h volume");

	/* Complaints: cy, u0..u5, e1, e2 (not the spam, not the repost of
	 * cy's): 9, the hinge in 8. */
	is_int(sc.complaint_posts, 9, "cluster-1.1 nine complaints clustered (spam and a "
	       "near-duplicate left out)");
	ok(sc.n_complaints >= 1, "cluster-1.2 at least one cluster");
	is_str(sc.complaints[0].term, "hinge", "cluster-1.3 the hinge on top (korvo is the "
	       "topic's own)");
	is_int(sc.complaints[0].posts, 8, "cluster-1.4 eight hinge complaints");
	is_dbl(sc.complaints[0].share, 8.0 / 9, 1e-12, "cluster-1.5 share 8 / 9");
	ok(strstr(sc.complaints[0].label, "cracked") != NULL,
	   "cluster-1.6 the label names cracked (%s)", sc.complaints[0].label);
	is_int(sc.complaints[0].example_id, nadia->id, "cluster-1.7 the example is nadia's "
	       "post of priority 90");
	is_str(sc.complaints[0].example_author, "nadia_builds", "cluster-1.8 its author");
	{
		const char *t = sc.complaints[0].example_text ? sc.complaints[0].example_text : "";
		size_t chars = 0;

		for (const char *p = t; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		is_int(chars, 281, "cluster-1.9 the example is cut to 280 characters and '…'");
		ok(strncmp(t, "My Korvo hinge cracked on day one. \xC3\x84rger", 41) == 0 &&
		   strlen(t) >= 3 && strcmp(t + strlen(t) - 3, "\xE2\x80\xA6") == 0,
		   "cluster-1.10 from its start, ending in '…'");
	}
	is_int(sc.question_posts, 3, "cluster-2.1 three questions");
	is_int(sc.n_questions, 1, "cluster-2.2 one cluster");
	is_str(sc.questions[0].label, "price", "cluster-2.3 price");
	is_int(sc.questions[0].posts, 3, "cluster-2.4 all three");
	is_dbl(sc.questions[0].share, 1, 0, "cluster-2.5 share 1");
	is_str(sc.questions[0].example_text, "Korvo price in Germany?",
	       "cluster-2.6 the example: priority 60, not cut");
	is_str(sc.questions[0].example_author, "q1", "cluster-2.7 by q1");
	scorecard_cleanup(&sc);

	/* Without the topic's query, its name is every complaint's term. */
	is_int(card("Pro 16", NULL, T0, &sc), 0, "cluster-3.1 no query");
	is_str(sc.complaints[0].term, "korvo", "cluster-3.2 then korvo tops the complaints");
	scorecard_cleanup(&sc);

	/* A wall clock after every post: now is the wall clock. */
	is_int(card("Pro 16", q, L3 + 30 * DAY, &sc), 0, "window-2.1 a later wall clock");
	is_int(sc.now, L3 + 30 * DAY, "window-2.2 now is the wall clock");
	is_int(sc.w[2].t.volume, 14, "window-2.3 the same figures");
	scorecard_cleanup(&sc);
	query_free(q);
}

static void test_partial(void)
{
	struct query *q = parse("korvo OR \"pro 16\"");
	struct scorecard sc;

	/* Pro 16 week: now is L3 + 10 min, the newest post, which counts. */
	is_int(card("Pro 16 week", q, T0, &sc), 0, "partial-1.0 the scorecard of Pro 16 week");
	is_int(sc.now, L3 + 10 * MIN, "partial-1.1 now");
	is_int(sc.w[0].complete, 0, "partial-1.2 1h not over");
	is_int(sc.w[2].complete, 0, "partial-1.3 24h not over");
	is_str(figures(&sc.w[0].t), "1/0/0/1/1/0/1/0", "partial-1.4 the post at now counts");
	is_dbl(sc.w[0].t.net, -1, 0, "partial-1.5 net -1");
	is_int(sc.w[2].t.volume, 1, "partial-1.6 24h so far: one post");
	/* A full week of history: [L3 - 7 d, L3) = [A + 1 d, L3) has e3 (at
	 * A + 24 h, positive) and w1 (positive); e2 at A + 23:59 is before. */
	is_int(sc.base_from, L3 - 7 * DAY, "partial-2.1 the baseline is the week before");
	is_dbl(sc.base_hours, 168, 0, "partial-2.2 168 hours");
	is_int(sc.base.volume, 2, "partial-2.3 two posts in it");
	is_dbl(sc.w[0].base_volume, 2.0 / 168, 1e-12, "partial-2.4 1h: 2 / 168");
	is_dbl(sc.w[2].base_volume, 2.0 * 24 / 168, 1e-12, "partial-2.5 24h: 2 x 24 / 168");
	is_dbl(sc.w[0].base_net, 1, 0, "partial-2.6 net 1");
	/* Earlier, latest first: Twin and Pro 16 (both at A; Twin added later
	 * comes first), then Air 13. */
	is_int(sc.n_earlier, 3, "partial-3.1 three earlier launches");
	if (sc.n_earlier == 3) {
		is_str(sc.earlier[0].name, "Twin", "partial-3.2 Twin first");
		is_int(sc.earlier[0].volume[2], 0, "partial-3.3 Twin's topic has no posts after A");
		ok(isnan(sc.earlier[0].net[2]), "partial-3.4 so no net sentiment");
		is_str(sc.earlier[1].name, "Pro 16", "partial-3.5 then Pro 16");
		is_int(sc.earlier[1].volume[0], 4, "partial-3.6 its 1h volume");
		is_int(sc.earlier[1].volume[1], 12, "partial-3.7 its 4h volume");
		is_int(sc.earlier[1].volume[2], 14, "partial-3.8 its 24h volume");
		is_dbl(sc.earlier[1].net[2], -7.0 / 11, 1e-12, "partial-3.9 its 24h net");
		is_str(sc.earlier[2].name, "Air 13", "partial-3.10 then Air 13");
	} else {
		tap_skip(9, "not three earlier launches");
	}
	is_int(sc.complaint_posts, 1, "partial-4.1 one complaint so far");
	is_str(sc.complaints[0].term, "hinge", "partial-4.2 the hinge again");
	is_int(sc.n_questions, 0, "partial-4.3 no questions");
	scorecard_cleanup(&sc);

	/* Twin: topic Other, whose newest post (AA + 10 h) is before A: now
	 * is before the launch, nothing is counted yet.  72 hours of history
	 * (its first bucket is AA) with 6 posts, 2 positive and 3 negative. */
	is_int(card("Twin", NULL, T0, &sc), 0, "partial-5.0 the scorecard of Twin");
	is_int(sc.now, AA + 10 * HOUR, "partial-5.1 now is Other's newest post");
	is_int(sc.w[0].complete, 0, "partial-5.2 not complete");
	is_str(figures(&sc.w[2].t), "0/0/0/0/0/0/0/0", "partial-5.3 nothing counted before now");
	ok(isnan(sc.w[2].t.net), "partial-5.4 no net sentiment");
	is_dbl(sc.base_hours, 72, 0, "partial-5.5 72 hours of history");
	is_dbl(sc.w[0].base_volume, 6.0 / 72, 1e-12, "partial-5.6 1h baseline 6 / 72");
	is_dbl(sc.w[0].base_net, -0.2, 1e-12, "partial-5.7 baseline net (2 - 3) / 5");
	is_int(sc.n_earlier, 1, "partial-5.8 Air 13 is earlier, Pro 16 at the same time is not");
	is_int(sc.complaint_posts + sc.question_posts, 0, "partial-5.9 nothing to cluster");
	scorecard_cleanup(&sc);
	query_free(q);
}

/* A launch that is not stored, off the hour: A + 30 min.  Its 1h window
 * [A + 0:30, A + 1:30) is all minute buckets: cy (0:30:30), ada (0:59),
 * u0 (1:00), u1 (1:20).  Its 4h window [A + 0:30, A + 4:30) is minutes to
 * 1:00, hours 1:00 to 4:00, minutes to 4:30: cy, ada, u0..u5, q1, q2. */
static void test_off_hour(void)
{
	struct store_launch l = { 0, "Half", 0, A + 30 * MIN, 0 };
	struct scorecard sc;
	struct horch_err err;

	l.topic_id = topic_k;
	is_int(scorecard_compute(st, &l, "Korvo Pro 16", NULL, T0, &sc, &err), 0,
	       "minute-1.0 a launch at A + 30 min");
	is_str(figures(&sc.w[0].t), "4/0/1/3/4/112/3/1", "minute-1.1 1h from minute buckets");
	is_str(figures(&sc.w[1].t), "10/0/3/7/10/116/7/3",
	       "minute-1.2 4h from minutes, hours and minutes");
	/* Its baseline [A - 100 h, A + 30 min) has the first hour's ada, bob
	 * and the spam's minute apart: 20 + 2 = 22 posts in 100.5 hours. */
	is_dbl(sc.base_hours, 100.5, 1e-12, "minute-1.3 100.5 hours of history");
	is_int(sc.base.volume, 22, "minute-1.4 22 posts before it");
	is_int(sc.n_earlier, 3, "minute-1.5 an unstored launch: Air 13, Pro 16 and Twin are "
	       "earlier");
	scorecard_cleanup(&sc);

	l.at = 300000000000000LL;
	is_int(scorecard_compute(st, &l, "Korvo Pro 16", NULL, T0, &sc, &err), HORCH_EINVAL,
	       "minute-2.1 a time past the year 9999 is refused");
	scorecard_cleanup(&sc);
}

/* The JSON of GET /api/launches/{id}, read back with jansson. */
static void test_json(void)
{
	struct query *q = parse("korvo OR \"pro 16\"");
	struct scorecard sc;
	json_error_t jerr;
	json_t *root, *w, *c;
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	is_int(card("Pro 16", q, T0, &sc), 0, "json-1.0 Pro 16");
	is_int(scorecard_json(&sc, &b), 0, "json-1.1 rendered");
	root = json_loads(b.ptr ? b.ptr : "", 0, &jerr);
	ok(root != NULL, "json-1.2 valid JSON (%s)", root ? "" : jerr.text);
	if (!root) {
		diag("%s", b.ptr);
		goto out;
	}
	is_str(json_string_value(json_object_get(root, "name")), "Pro 16", "json-1.3 name");
	is_str(json_string_value(json_object_get(json_object_get(root, "topic"), "name")),
	       "Korvo Pro 16", "json-1.4 topic name");
	is_str(json_string_value(json_object_get(root, "at")), "2026-01-11T09:00:00Z",
	       "json-1.5 at in RFC 3339");
	is_str(json_string_value(json_object_get(root, "now")), "2026-01-19T09:10:00Z",
	       "json-1.6 now");
	is_int(json_array_size(json_object_get(root, "windows")), 3, "json-1.7 three windows");
	w = json_array_get(json_object_get(root, "windows"), 0);
	is_str(json_string_value(json_object_get(w, "label")), "1h", "json-2.1 label");
	is_str(json_string_value(json_object_get(w, "to")), "2026-01-11T10:00:00Z", "json-2.2 to");
	ok(json_is_true(json_object_get(w, "complete")), "json-2.3 complete");
	is_int(json_integer_value(json_object_get(w, "volume")), 4, "json-2.4 volume");
	is_dbl(json_number_value(json_object_get(w, "net_sentiment")), 0.333, 0,
	       "json-2.5 net sentiment to three decimals");
	is_int(json_integer_value(json_object_get(w, "authors")), 3, "json-2.6 authors");
	is_int(json_integer_value(json_object_get(w, "reach")), 260, "json-2.7 reach");
	is_int(json_integer_value(json_object_get(w, "complaints")), 1, "json-2.8 complaints");
	is_int(json_integer_value(json_object_get(w, "questions")), 1, "json-2.9 questions");
	is_dbl(json_number_value(json_object_get(json_object_get(w, "baseline"), "volume")), 0.2, 0,
	       "json-2.10 baseline volume");
	is_int(json_integer_value(json_object_get(json_object_get(w, "baseline"), "hours")), 100,
	       "json-2.11 baseline hours");
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(w, "earlier"), 0),
						 "launch")), "Air 13", "json-2.12 earlier launch");
	w = json_array_get(json_object_get(root, "windows"), 1);
	is_dbl(json_number_value(json_object_get(w, "net_sentiment")), -0.556, 0,
	       "json-2.13 4h net rounded");
	c = json_array_get(json_object_get(root, "complaints"), 0);
	is_str(json_string_value(json_object_get(c, "term")), "hinge", "json-3.1 complaint term");
	is_int(json_integer_value(json_object_get(c, "posts")), 8, "json-3.2 posts");
	is_dbl(json_number_value(json_object_get(c, "share")), 0.889, 0, "json-3.3 share");
	is_str(json_string_value(json_object_get(json_object_get(c, "example"), "author")),
	       "nadia_builds", "json-3.4 example author");
	is_int(json_integer_value(json_object_get(json_object_get(c, "example"), "id")), nadia->id,
	       "json-3.5 example id");
	c = json_array_get(json_object_get(root, "questions"), 0);
	is_str(json_string_value(json_object_get(c, "label")), "price", "json-3.6 question label");
	json_decref(root);
	scorecard_cleanup(&sc);

	/* Twin: nulls where there is nothing. */
	buf_reset(&b);
	card("Twin", NULL, T0, &sc);
	scorecard_json(&sc, &b);
	root = json_loads(b.ptr ? b.ptr : "", 0, &jerr);
	w = root ? json_array_get(json_object_get(root, "windows"), 2) : NULL;
	ok(w && json_is_null(json_object_get(w, "net_sentiment")), "json-4.1 no net: null");
	ok(w && json_is_false(json_object_get(w, "complete")), "json-4.2 not complete");
	is_int(root ? json_array_size(json_object_get(root, "complaints")) : 9, 0,
	       "json-4.3 no complaints: []");
	json_decref(root);
	scorecard_cleanup(&sc);

	/* A cap too small: an error, not a crash. */
	{
		struct buf small;

		buf_init(&small, 100);
		card("Pro 16", q, T0, &sc);
		is_int(scorecard_json(&sc, &small), HORCH_ETOOBIG, "json-5.1 over the cap: ETOOBIG");
		buf_cleanup(&small);
		scorecard_cleanup(&sc);
	}
out:
	buf_cleanup(&b);
	query_free(q);
}

static void test_helpers(void)
{
	struct store_launch l, lo = { 7, "Air 13", 2, AA, AA + 5 };
	struct store_topic t;
	struct horch_err err;
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	scorecard_cut_text(&b, "abc", 3);
	is_str(b.ptr, "abc", "text-1.1 three characters of three: not cut");
	buf_reset(&b);
	scorecard_cut_text(&b, "abcd", 3);
	is_str(b.ptr, "abc\xE2\x80\xA6", "text-1.2 cut with an ellipsis");
	buf_reset(&b);
	scorecard_cut_text(&b, "\xC3\xA4\xC3\xB6\xC3\xBC", 2);
	is_str(b.ptr, "\xC3\xA4\xC3\xB6\xE2\x80\xA6", "text-1.3 characters, not bytes");
	buf_reset(&b);
	scorecard_cut_text(&b, "\xFF\xFEz", 2);
	is_mem(b.ptr, b.len, "\xFF\xFE\xE2\x80\xA6", "text-1.4 an invalid byte counts as one");
	buf_reset(&b);
	scorecard_cut_text(&b, "", 5);
	is_int(b.len, 0, "text-1.5 empty");

	buf_reset(&b);
	is_int(scorecard_launch_json(&lo, "Other", &b), 0, "launch-1.1 the launch object");
	is_str(b.ptr, "{\"id\":7,\"name\":\"Air 13\",\"topic\":{\"id\":2,\"name\":\"Other\"},"
	       "\"at\":\"2026-01-08T09:00:00Z\",\"created_at\":\"2026-01-08T09:00:00.005Z\"}",
	       "launch-1.2 as the API gives it");
	buf_reset(&b);
	scorecard_launch_json(&lo, NULL, &b);
	ok(strstr(b.ptr, "\"name\":null}") != NULL, "launch-1.3 an unknown topic's name is null");

	memset(&l, 0, sizeof l);
	is_int(store_launch_get(st, "Pro 16", &l, &err), 0, "launch-2.0 get Pro 16");
	{
		int64_t id = l.id;

		store_launch_cleanup(&l);
		memset(&l, 0, sizeof l);
		is_int(scorecard_launch_by_id(st, id, &l, &err), 0, "launch-2.1 found by id");
		is_str(l.name, "Pro 16", "launch-2.2 its name");
		is_int(l.at, A, "launch-2.3 its time");
		store_launch_cleanup(&l);
	}
	memset(&l, 0, sizeof l);
	is_int(scorecard_launch_by_id(st, 999, &l, &err), HORCH_ENOTFOUND, "launch-2.4 no id 999");
	is_str(err.msg, "no launch with id 999", "launch-2.5 the message");
	is_int(scorecard_topic_by_id(st, topic_o, &t, &err), 0, "topic-1.1 found by id");
	is_str(t.name, "Other", "topic-1.2 its name");
	is_str(t.query, "other", "topic-1.3 its query");
	store_topic_cleanup(&t);
	is_int(scorecard_topic_by_id(st, 999, &t, &err), HORCH_ENOTFOUND, "topic-1.4 no id 999");
	buf_cleanup(&b);
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	struct horch_err err;

	snprintf(tmpdir, sizeof tmpdir, "%s/horch-test-scorecard-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	horch_log_level = LOG_ERROR;
	if (store_open(&st, tpath("scorecard.db"), NULL, &err)) {
		printf("Bail out! open: %s\n", err.msg);
		return 1;
	}
	build();
	test_windows();
	test_partial();
	test_off_hour();
	test_json();
	test_helpers();
	for (size_t i = 0; i < n_posts; i++)
		post_free(posts[i]);
	store_close(st);
	remove_tmpdir();
	return tap_done();
}
