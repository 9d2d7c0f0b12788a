/* test_store_signal.c - unit tests of the store's signal calls (store.h's
 * "signals" section, src/store/store_signal.c) and of the HyperLogLog
 * sketch (src/core/hll.c): buckets made from posts and matches at three
 * resolutions with spam and near-duplicates apart, the mark that makes a
 * crash count nothing twice, the rebuild of a backfilled topic, the posts
 * waiting for an answer and the replies that answer them, launches,
 * alerts (one incident, one alert; cool-down; acknowledge and resolve),
 * deliveries and rules.  Every expected figure is worked out by hand. */
#include "tap.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/hll.h"
#include "core/log.h"
#include "store/store.h"

#include "tmpdir.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
/* 2026-01-01T00:00:00Z, a whole day. */
#define T0 1767225600000LL

static struct post *mkpost(const char *source, const char *ext, const char *author,
			   int64_t followers, int64_t t, enum post_sentiment label, double score,
			   enum post_intent intent)
{
	struct post *q = post_new();

	q->source = horch_xstrdup(source);
	q->external_id = horch_xstrdup(ext);
	q->author = horch_xstrdup(author);
	q->author_followers = followers;
	q->created_at = t;
	q->fetched_at = T0;
	q->text = horch_xstrdup(ext);
	q->analysed = 1;
	q->sentiment_label = (uint8_t)label;
	q->sentiment = (float)score;
	q->intent = (uint8_t)intent;
	q->priority = 50;
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

/* Buckets as text: "ref@res/minutes-from-T0:volume/pos/neu/neg/sum/reach/c/q/spam/dups/authors;". */
static int bucket_row(void *ctx, const struct store_bucket *b)
{
	struct buf *out = ctx;

	buf_printf(out, "%lld@%d/%lld:%lld/%lld/%lld/%lld/%.1f/%.0f/%lld/%lld/%lld/%lld/%.0f;",
		   (long long)b->ref, b->res, (long long)((b->t - T0) / MIN),
		   (long long)b->volume, (long long)b->positive, (long long)b->neutral,
		   (long long)b->negative, b->sentiment_sum, b->reach, (long long)b->complaints,
		   (long long)b->questions, (long long)b->spam, (long long)b->dups,
		   b->authors ? hll_count(b->authors) : 0.0);
	return 0;
}

static const char *buckets_of(struct store *st, int scope, int64_t ref, int res, struct buf *b)
{
	struct horch_err err;

	buf_reset(b);
	if (store_buckets(st, scope, &ref, 1, res, T0 - 2 * 86400000LL, T0 + 2 * 86400000LL,
			  bucket_row, b, &err))
		buf_printf(b, "error: %s", err.msg);
	return b->ptr ? b->ptr : "";
}

static int minutes_seen;

static int on_minute(void *ctx, const struct store_bucket *b)
{
	(void)ctx;
	minutes_seen += (int)(b->res == 60);
	return 0;
}

static void test_hll(void)
{
	uint8_t reg[HLL_REGISTERS], two[HLL_REGISTERS];
	char key[32];

	memset(reg, 0, sizeof reg);
	is_int((int)hll_count(reg), 0, "hll-1.1 an empty sketch counts 0");
	for (int i = 0; i < 5; i++) {
		snprintf(key, sizeof key, "author%d", i);
		hll_add(reg, hll_hash(key, strlen(key)));
		hll_add(reg, hll_hash(key, strlen(key)));
	}
	is_int((int)lround(hll_count(reg)), 5, "hll-1.2 five authors twice each count 5");
	memset(reg, 0, sizeof reg);
	memset(two, 0, sizeof two);
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "a%d", i);
		hll_add(i % 2 ? reg : two, hll_hash(key, strlen(key)));
	}
	hll_merge(reg, two);
	ok(fabs(hll_count(reg) - 10000) < 10000 * 0.15,
	   "hll-1.3 10,000 authors in two halves merge to 10,000 +-15 %% (got %.0f)",
	   hll_count(reg));
}

static void test_buckets(void)
{
	struct store *st = NULL;
	struct horch_err err;
	struct store_signals_done done;
	struct store_signals_opts o = { 0 };
	struct store_match m[8];
	struct post *p[7];
	struct buf b;
	int64_t a, c;
	size_t n_m = 0;

	buf_init(&b, BUF_NOLIMIT);
	if (store_open(&st, tpath("buckets.db"), NULL, &err)) {
		diag("%s", err.msg);
		ok(0, "bucket-1.0 open");
		return;
	}
	a = add_topic(st, "alpha");
	c = add_topic(st, "gamma");
	p[0] = mkpost("twitter", "b1", "ada", 100, T0 + 10 * MIN + 5, POST_SENT_POSITIVE, 0.5,
		      POST_INTENT_PRAISE);
	p[1] = mkpost("twitter", "b2", "bob", 50, T0 + 10 * MIN + 30000, POST_SENT_NEGATIVE, -0.75,
		      POST_INTENT_COMPLAINT);
	p[2] = mkpost("twitter", "b3", "ada", POST_COUNT_NONE, T0 + 10 * MIN + 59999,
		      POST_SENT_NEUTRAL, 0, POST_INTENT_QUESTION);
	p[3] = mkpost("twitter", "b4", "spammer", 10, T0 + 11 * MIN, POST_SENT_POSITIVE, 0.9,
		      POST_INTENT_OTHER);
	p[3]->is_spam = 1;
	p[4] = mkpost("twitter", "b5", "cy", 10, T0 + 70 * MIN, POST_SENT_POSITIVE, 0.25,
		      POST_INTENT_OTHER);
	p[5] = mkpost("twitter", "b6", "dee", 10, T0 + 71 * MIN, POST_SENT_POSITIVE, 0.25,
		      POST_INTENT_OTHER);
	p[6] = mkpost("twitter", "b7", "eve", 10, T0 + 25 * HOUR, POST_SENT_POSITIVE, 1,
		      POST_INTENT_OTHER);
#define MATCH(tid, i) (m[n_m].topic = (tid), m[n_m].post = (i), m[n_m].spans = NULL, n_m++)
	MATCH(a, 0);
	MATCH(a, 1);
	MATCH(a, 2);
	MATCH(a, 3);
	MATCH(a, 4);
	MATCH(c, 0);
#undef MATCH
	if (store_put_posts_matched(st, p, 5, NULL, m, n_m, &err))
		diag("%s", err.msg);
	/* b6 nearly repeats b5: stored with dup_of set. */
	p[5]->dup_of = 5;
	if (store_put_posts_matched(st, p + 5, 1, NULL, NULL, 0, &err))
		diag("%s", err.msg);

	o.on_minute = on_minute;
	is_int(store_signals_update(st, &o, &done, &err), 0, "bucket-1.1 update");
	is_int(done.posts, 6, "bucket-1.2 six posts read");
	is_int(done.more, 0, "bucket-1.3 nothing left");
	is_int(minutes_seen, 4, "bucket-1.4 the minute buckets reported: alpha 10, 11, 70 and "
	       "gamma 10");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, a, 60, &b),
	       "1@60/10:3/1/1/1/-0.2/150/1/1/0/0/2;1@60/11:0/0/0/0/0.0/0/0/0/1/0/0;"
	       "1@60/70:1/1/0/0/0.2/10/0/0/0/0/1;",
	       "bucket-1.5 minutes: three posts of two authors at 00:10 (unknown followers "
	       "add 0), the spam of 00:11 apart, b5 at 01:10; b6 (a near-duplicate) has no "
	       "match");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, a, 3600, &b),
	       "1@3600/0:3/1/1/1/-0.2/150/1/1/1/0/2;1@3600/60:1/1/0/0/0.2/10/0/0/0/0/1;",
	       "bucket-1.6 hours");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, a, 86400, &b),
	       "1@86400/0:4/2/1/1/0.0/160/1/1/1/0/3;", "bucket-1.7 the day");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, c, 60, &b), "2@60/10:1/1/0/0/0.5/100/0/0/0/0/1;",
	       "bucket-1.8 the other topic");

	/* Nothing new: nothing counted twice. */
	is_int(store_signals_update(st, &o, &done, &err), 0, "bucket-2.1 update again");
	is_int(done.posts, 0, "bucket-2.2 no post read");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, a, 86400, &b),
	       "1@86400/0:4/2/1/1/0.0/160/1/1/1/0/3;", "bucket-2.3 the day unchanged");

	/* A later post in a minute bucket that exists: added to it. */
	if (store_put_posts_matched(st, p + 6, 1, NULL, &(struct store_match){ a, 0, NULL }, 1,
				    &err))
		diag("%s", err.msg);
	o.max_posts = 1;
	is_int(store_signals_update(st, &o, &done, &err), 0, "bucket-3.1 update with max 1");
	is_int(done.posts, 1, "bucket-3.2 one post");
	is_int(done.more, 0, "bucket-3.3 none left");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, a, 86400, &b),
	       "1@86400/0:4/2/1/1/0.0/160/1/1/1/0/3;1@86400/1440:1/1/0/0/1.0/10/0/0/0/0/1;",
	       "bucket-3.4 the next day has its bucket");

	/* A backfill: gamma now matches b2 (a stored post): rebuilt. */
	is_int(store_put_matches(st, &(struct store_match){ c, p[1]->id, NULL }, 1, &err), 0,
	       "bucket-4.1 backfill a match");
	is_int(store_signals_update(st, &o, &done, &err), 0, "bucket-4.2 update");
	is_int((int)done.rebuilt, 1, "bucket-4.3 one topic rebuilt");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, c, 60, &b), "2@60/10:2/1/0/1/-0.2/150/1/0/0/0/2;",
	       "bucket-4.4 gamma's minute has both posts, counted once each");

	/* The dup: matched to gamma, counted in dups only. */
	is_int(store_put_matches(st, &(struct store_match){ c, p[5]->id, NULL }, 1, &err), 0,
	       "bucket-4.5 backfill the near-duplicate");
	store_signals_update(st, &o, &done, &err);
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, c, 60, &b),
	       "2@60/10:2/1/0/1/-0.2/150/1/0/0/0/2;2@60/71:0/0/0/0/0.0/0/0/0/0/1/0;",
	       "bucket-4.6 a near-duplicate is counted apart");

	/* Every subject. */
	buf_reset(&b);
	is_int(store_buckets(st, STORE_SCOPE_TOPIC, NULL, 0, 3600, T0, T0 + HOUR, bucket_row, &b,
			     &err), 0, "bucket-5.1 all topics, one hour");
	is_str(b.ptr, "1@3600/0:3/1/1/1/-0.2/150/1/1/1/0/2;2@3600/0:2/1/0/1/-0.2/150/1/0/0/0/2;",
	       "bucket-5.2 by topic");
	is_int(store_buckets(st, 2, NULL, 0, 60, T0, T0 + 1, bucket_row, &b, &err), HORCH_EINVAL,
	       "bucket-5.3 a bad scope");
	is_int(store_buckets(st, 0, NULL, 0, 300, T0, T0 + 1, bucket_row, &b, &err),
	       HORCH_EINVAL, "bucket-5.4 a bad resolution");

	/* A deleted topic leaves no buckets. */
	is_int(store_topic_delete(st, "gamma", &err), 0, "bucket-6.1 delete gamma");
	is_str(buckets_of(st, STORE_SCOPE_TOPIC, c, 60, &b), "", "bucket-6.2 its buckets are gone");

	/* Reopened: the mark is kept. */
	store_close(st);
	st = NULL;
	if (store_open(&st, tpath("buckets.db"), NULL, &err) == 0) {
		o.max_posts = 0;
		store_signals_update(st, &o, &done, &err);
		is_int(done.posts, 0, "bucket-7.1 reopened: nothing read again");
		is_str(buckets_of(st, STORE_SCOPE_TOPIC, a, 86400, &b),
		       "1@86400/0:4/2/1/1/0.0/160/1/1/1/0/3;1@86400/1440:1/1/0/0/1.0/10/0/0/0/0/1;",
		       "bucket-7.2 the days unchanged");
	}
	store_close(st);
	for (size_t i = 0; i < 7; i++)
		post_free(p[i]);
	buf_cleanup(&b);
}

struct waits {
	struct buf b;
};

static int wait_row(void *ctx, const struct store_waiting *w)
{
	struct buf *b = ctx;

	buf_printf(b, "%lld/%lld;", (long long)w->post_id, (long long)w->topic_id);
	return 0;
}

static void test_answers(void)
{
	struct store *st = NULL;
	struct horch_err err;
	struct store_signals_done done;
	const char *accounts[] = { "KorvoCares" };
	struct store_signals_opts o = { .accounts = accounts, .n_accounts = 1 };
	struct store_answer_stats as;
	struct post *p[6];
	struct buf b;
	int64_t t;

	buf_init(&b, BUF_NOLIMIT);
	if (store_open(&st, tpath("answers.db"), NULL, &err)) {
		diag("%s", err.msg);
		return;
	}
	t = add_topic(st, "care");
	p[0] = mkpost("twitter", "q1", "ann", 5, T0, POST_SENT_NEGATIVE, -0.5,
		      POST_INTENT_COMPLAINT);
	p[1] = mkpost("twitter", "q2", "ben", 5, T0 + MIN, POST_SENT_NEUTRAL, 0,
		      POST_INTENT_QUESTION);
	p[2] = mkpost("twitter", "q3", "cat", 5, T0 + 2 * MIN, POST_SENT_POSITIVE, 0.5,
		      POST_INTENT_PRAISE);
	p[3] = mkpost("twitter", "r1", "korvocares", 5, T0 + 30 * MIN, POST_SENT_NEUTRAL, 0,
		      POST_INTENT_OTHER);
	p[3]->parent = horch_xstrdup("q1");
	p[3]->kind = POST_KIND_REPLY;
	p[4] = mkpost("twitter", "q4", "dan", 5, T0 + 3 * MIN, POST_SENT_NEGATIVE, -0.5,
		      POST_INTENT_COMPLAINT);
	p[4]->priority = 10;
	p[5] = mkpost("twitter", "r2", "korvocares", 5, T0 + 40 * MIN, POST_SENT_NEUTRAL, 0,
		      POST_INTENT_OTHER);
	p[5]->parent = horch_xstrdup("q1");
	if (store_put_posts_matched(st, p, 6, NULL,
				    (struct store_match[]){ { t, 0, NULL }, { t, 1, NULL } }, 2,
				    &err))
		diag("%s", err.msg);
	is_int(store_signals_update(st, &o, &done, &err), 0, "answer-1.1 update");
	is_int(done.waiting, 3, "answer-1.2 a complaint, a question and a low one wait; praise "
	       "and the account's own posts do not");
	is_int(done.answered, 1, "answer-1.3 the account's reply (handle in another case) "
	       "answers q1; its second reply changes nothing");

	buf_reset(&b);
	is_int(store_answers_waiting(st, T0 + 4 * HOUR, 4 * HOUR, 30, 100, wait_row, &b, &err), 0,
	       "answer-2.1 waiting");
	is_str(b.ptr, "2/1;", "answer-2.2 q2 waits (with its topic); q4 is under the priority");
	buf_reset(&b);
	store_answers_waiting(st, T0 + 4 * HOUR, 4 * HOUR, 0, 100, wait_row, &b, &err);
	is_str(b.ptr, "2/1;5/0;", "answer-2.3 without a floor: q4 too, with no topic");
	buf_reset(&b);
	store_answers_waiting(st, T0 + MIN, 4 * HOUR, 0, 100, wait_row, &b, &err);
	is_str(b.ptr, "", "answer-2.4 nothing written before T0+1m waits");
	is_int(store_answers_alerted(st, (int64_t[]){ 2 }, 1, &err), 0, "answer-2.5 alerted");
	buf_reset(&b);
	store_answers_waiting(st, T0 + 4 * HOUR, 4 * HOUR, 0, 100, wait_row, &b, &err);
	is_str(b.ptr, "5/0;", "answer-2.6 an alerted post is not named again");
	buf_reset(&b);
	store_answers_waiting(st, T0 + 4 * HOUR, 10 * MIN, 0, 100, wait_row, &b, &err);
	is_str(b.ptr, "1/1;5/0;", "answer-2.7 with an SLA of 10 min, q1 (answered after 30 min) "
	       "missed it too");

	{
		/* A reader that does not know the accounts (launch show)
		 * answers with those the last one gave. */
		struct post *q[2];

		q[0] = mkpost("twitter", "q9", "eve", 5, T0 + 5 * MIN, POST_SENT_NEGATIVE, -0.5,
			      POST_INTENT_COMPLAINT);
		q[1] = mkpost("twitter", "r9", "KORVOCARES", 5, T0 + 50 * MIN, POST_SENT_NEUTRAL, 0,
			      POST_INTENT_OTHER);
		q[1]->parent = horch_xstrdup("q9");
		store_put_posts(st, q, 2, NULL, &err);
		is_int(store_signals_update(st, NULL, &done, &err), 0, "answer-2.8 update without "
		       "accounts");
		is_int(done.answered, 1, "answer-2.9 the stored accounts answer q9");
		post_free(q[0]);
		post_free(q[1]);
	}
	{
		/* A reply stored before its post, read in the same call. */
		struct post *q[2];

		q[1] = mkpost("twitter", "q10", "fay", 5, T0 + 6 * MIN, POST_SENT_NEGATIVE, -0.5,
			      POST_INTENT_QUESTION);
		q[0] = mkpost("twitter", "r10", "korvocares", 5, T0 + 56 * MIN, POST_SENT_NEUTRAL,
			      0, POST_INTENT_OTHER);
		q[0]->parent = horch_xstrdup("q10");
		store_put_posts(st, q, 2, NULL, &err);
		store_signals_update(st, NULL, &done, &err);
		is_int(done.answered, 1, "answer-2.10 a reply stored first still answers its post");
		post_free(q[0]);
		post_free(q[1]);
	}
	is_int(store_answer_mark(st, 5, "cara", T0 + 2 * HOUR + 3 * MIN, &err), 0,
	       "answer-3.1 mark q4 answered");
	is_int(store_answer_mark(st, 999, "cara", T0, &err), HORCH_ENOTFOUND,
	       "answer-3.2 no such post");
	is_int(store_answer_mark(st, 3, "cara", T0, &err), HORCH_EINVAL,
	       "answer-3.2a praise needs no answer");
	is_int(store_answer_stats(st, T0, T0 + HOUR, 4 * HOUR, &as, &err), 0, "answer-3.3 stats");
	is_int(as.needing, 5, "answer-3.4 five needed an answer");
	is_int(as.answered, 4, "answer-3.5 four got one");
	is_int((int64_t)as.median_ms, 475 * MIN / 10, "answer-3.6 median of 30, 45, 50 min and 2 h");
	is_int(as.within_sla, 4, "answer-3.7 all within 4 h");
	store_close(st);
	for (size_t i = 0; i < 6; i++)
		post_free(p[i]);
	buf_cleanup(&b);
}

static int count_alert(void *ctx, const struct store_alert *a)
{
	struct buf *b = ctx;

	buf_printf(b, "%lld:%s:%s:%lld;", (long long)a->id, a->kind, a->state,
		   (long long)a->fired);
	return 0;
}

static int rule_row(void *ctx, const char *name, const char *spec)
{
	buf_printf(ctx, "%s=%s;", name, spec);
	return 0;
}

static void test_alerts(void)
{
	struct store *st = NULL;
	struct horch_err err;
	struct store_alert a, got;
	struct store_launch l, lg;
	enum store_raise how;
	struct buf b;
	int64_t t, did = 0;

	buf_init(&b, BUF_NOLIMIT);
	if (store_open(&st, tpath("alerts.db"), NULL, &err)) {
		diag("%s", err.msg);
		return;
	}
	t = add_topic(st, "launch");
	memset(&a, 0, sizeof a);
	a.rule = "buzz";
	a.kind = "spike";
	a.key = "topic:1";
	a.topic_id = t;
	a.severity = "warning";
	a.title = "Buzz on launch";
	a.evidence = "{\"n\":1}";
	a.at = T0;
	is_int(store_alert_raise(st, &a, 30 * MIN, 1, &how, &err), 0, "alert-1.1 raise");
	is_int(how, STORE_RAISE_NEW, "alert-1.2 a new alert");
	is_int(a.id, 1, "alert-1.3 id 1");
	a.at = T0 + 5 * MIN;
	a.evidence = "{\"n\":2}";
	store_alert_raise(st, &a, 30 * MIN, 1, &how, &err);
	is_int(how, STORE_RAISE_BUMPED, "alert-1.4 the same incident again: bumped");
	is_int(a.id, 1, "alert-1.5 the same alert");
	memset(&got, 0, sizeof got);
	is_int(store_alert_get(st, 1, &got, &err), 0, "alert-1.6 get");
	is_int(got.fired, 2, "alert-1.7 fired twice");
	is_int(got.last_at, T0 + 5 * MIN, "alert-1.8 last_at moved");
	is_str(got.evidence, "{\"n\":2}", "alert-1.9 refresh: the newest evidence");
	is_str(got.state, "open", "alert-1.10 open");
	store_alert_cleanup(&got);

	a.evidence = "{\"n\":3}";
	a.title = "Later";
	store_alert_raise(st, &a, 30 * MIN, 0, &how, &err);
	memset(&got, 0, sizeof got);
	store_alert_get(st, 1, &got, &err);
	is_str(got.evidence, "{\"n\":2}", "alert-1.11 without refresh the evidence stays");
	is_str(got.title, "Buzz on launch", "alert-1.12 and the title");
	is_int(got.fired, 3, "alert-1.13 fired counted");
	store_alert_cleanup(&got);
	a.title = "Buzz on launch";
	{
		int64_t oid = -1;

		is_int(store_alert_open_id(st, "buzz", "topic:1", &oid, &err), 0,
		       "alert-1.14 the open alert of a rule and key");
		is_int(oid, 1, "alert-1.15 is alert 1");
		store_alert_open_id(st, "buzz", "topic:9", &oid, &err);
		is_int(oid, 0, "alert-1.16 none for another key");
	}
	is_int(store_alert_set_state(st, 1, "acked", "ana", T0 + 6 * MIN, &err), 0,
	       "alert-2.1 acknowledge");
	store_alert_raise(st, &a, 30 * MIN, 1, &how, &err);
	is_int(how, STORE_RAISE_BUMPED, "alert-2.2 an acknowledged alert is still the incident");
	is_int(store_alert_set_state(st, 1, "resolved", "ana", T0 + 10 * MIN, &err), 0,
	       "alert-2.3 resolve");
	a.at = T0 + 20 * MIN;
	store_alert_raise(st, &a, 30 * MIN, 1, &how, &err);
	is_int(how, STORE_RAISE_COOLING, "alert-2.4 15 min after its last firing: cooling down");
	{
		int64_t oid = -1;

		store_alert_open_id(st, "buzz", "topic:1", &oid, &err);
		is_int(oid, 0, "alert-2.4a a resolved alert is not open");
	}
	a.at = T0 + 36 * MIN;
	store_alert_raise(st, &a, 30 * MIN, 1, &how, &err);
	is_int(how, STORE_RAISE_NEW, "alert-2.5 31 min after: a new alert");
	is_int(a.id, 2, "alert-2.6 id 2");
	is_int(store_alert_set_state(st, 9, "acked", "ana", T0, &err), HORCH_ENOTFOUND,
	       "alert-2.7 no such alert");
	is_int(store_alert_set_state(st, 1, "open", "ana", T0, &err), HORCH_EINVAL,
	       "alert-2.8 not a state one sets");
	is_int(store_alert_set_state(st, 1, "acked", "bob", T0, &err), 0,
	       "alert-2.9 acknowledging a resolved alert is no error");
	memset(&got, 0, sizeof got);
	store_alert_get(st, 1, &got, &err);
	is_str(got.state, "resolved", "alert-2.10 and changes nothing");
	is_str(got.acked_by, "ana", "alert-2.11 the first acknowledgement kept");
	store_alert_cleanup(&got);
	a.kind = "bogus";
	is_int(store_alert_raise(st, &a, 0, 1, &how, &err), HORCH_EINVAL, "alert-2.12 a bad kind");

	buf_reset(&b);
	store_alert_list(st, NULL, 0, 10, count_alert, &b, &err);
	is_str(b.ptr, "2:spike:open:1;1:spike:resolved:4;", "alert-3.1 newest first");
	buf_reset(&b);
	store_alert_list(st, "active", 0, 10, count_alert, &b, &err);
	is_str(b.ptr, "2:spike:open:1;", "alert-3.2 active");
	buf_reset(&b);
	store_alert_list(st, NULL, 2, 10, count_alert, &b, &err);
	is_str(b.ptr, "1:spike:resolved:4;", "alert-3.3 before id 2");
	is_int(store_alert_list(st, "nope", 0, 10, count_alert, &b, &err), HORCH_EINVAL,
	       "alert-3.4 a bad state");

	is_int(store_delivery_put(st, &did, 2, "webhook", "http://x/hook", "pending", 0, NULL,
				  T0, &err), 0, "alert-4.1 a delivery");
	is_int(did, 1, "alert-4.2 its id");
	is_int(store_delivery_put(st, &did, 2, "webhook", "http://x/hook", "sent", 3, NULL, T0,
				  &err), 0, "alert-4.3 updated");
	is_int(store_delivery_put(st, &did, 2, "pigeon", "x", "sent", 3, NULL, T0, &err),
	       HORCH_EINVAL, "alert-4.4 a bad channel");
	{
		int64_t held = 0, n = -1;

		store_delivery_put(st, &held, 2, "email", "a@b", "held", 0, NULL, T0, &err);
		is_int(store_deliveries_abandon(st, "stopped", T0 + 1, &n, &err), 0,
		       "alert-4.5 abandon what a stopped server left");
		is_int(n, 1, "alert-4.6 the held one, not the sent one");
	}

	is_int(store_rule_put(st, "buzz", "{\"signal\":\"spike\"}", &err), 0, "rule-1.1 put");
	is_int(store_rule_put(st, "BUZZ", "{\"signal\":\"shift\"}", &err), 0,
	       "rule-1.2 put again in another case: replaced");
	buf_reset(&b);
	store_rule_list(st, rule_row, &b, &err);
	is_str(b.ptr, "buzz={\"signal\":\"shift\"};", "rule-1.3 one rule");
	is_int(store_rule_delete(st, "nope", &err), HORCH_ENOTFOUND, "rule-1.4 delete unknown");
	is_int(store_rule_delete(st, "Buzz", &err), 0, "rule-1.5 delete");

	memset(&l, 0, sizeof l);
	l.name = "Pro 16";
	l.topic_id = t;
	l.at = T0 + 9 * HOUR;
	is_int(store_launch_add(st, &l, &err), 0, "launch-1.1 add");
	is_int(store_launch_add(st, &l, &err), HORCH_EEXIST, "launch-1.2 the name is taken");
	l.name = "other";
	l.topic_id = 99;
	is_int(store_launch_add(st, &l, &err), HORCH_ENOTFOUND, "launch-1.3 no such topic");
	memset(&lg, 0, sizeof lg);
	is_int(store_launch_get(st, "pro 16", &lg, &err), 0, "launch-1.4 get without case");
	is_int(lg.at, T0 + 9 * HOUR, "launch-1.5 its time");
	store_launch_cleanup(&lg);
	is_int(store_topic_delete(st, "launch", &err), 0, "launch-1.6 delete its topic");
	is_int(store_launch_get(st, "Pro 16", &lg, &err), HORCH_ENOTFOUND,
	       "launch-1.7 the launch went with it");
	store_close(st);
	buf_cleanup(&b);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/horch-test-signal-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	horch_log_level = LOG_ERROR;
	test_hll();
	test_buckets();
	test_answers();
	test_alerts();
	remove_tmpdir();
	return tap_done();
}
