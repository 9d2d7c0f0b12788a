/* test_pipeline.c - the worker pool and batching writer against a real
 * SQLite store in a temporary directory. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/post.h"
#include "pipeline/pipeline.h"
#include "query/match.h"
#include "query/query.h"
#include "store/store.h"

static char dir[] = "/tmp/horch-test-pipeline-XXXXXX";

struct seen {
	atomic_long n_new, n_dup, n_commits, n_rejected;
	atomic_long tag_sum;
	uint64_t rejected_tag;
	char reject_msg[512];
};

static void on_commit(void *ctx, const struct pipeline_batch *b)
{
	struct seen *s = ctx;
	struct post *const *posts = b->posts;
	const int *status = b->status;
	const uint64_t *tags = b->tags;
	size_t n = b->n;

	atomic_fetch_add(&s->n_commits, 1);
	for (size_t i = 0; i < n; i++) {
		if (status[i] == STORE_PUT_NEW) {
			atomic_fetch_add(&s->n_new, 1);
			if (posts[i]->id <= 0)
				atomic_fetch_add(&s->n_new, 1000000); /* poisons the count */
		} else {
			atomic_fetch_add(&s->n_dup, 1);
		}
		atomic_fetch_add(&s->tag_sum, (long)tags[i]);
	}
}

static void on_reject(void *ctx, const struct post *post, uint64_t tag,
		      const struct horch_err *err)
{
	struct seen *s = ctx;

	(void)post;
	atomic_fetch_add(&s->n_rejected, 1);
	s->rejected_tag = tag;
	snprintf(s->reject_msg, sizeof s->reject_msg, "%s", err->msg);
}

static struct post *make_post(const char *source, long i, const char *text)
{
	struct post *p = post_new();
	char id[32];

	snprintf(id, sizeof id, "id-%ld", i);
	p->source = horch_xstrdup(source);
	p->external_id = horch_xstrdup(id);
	p->text = text ? horch_xstrdup(text) : NULL;
	p->created_at = 1424806552000LL + i * 1000;
	p->fetched_at = horch_now();
	return p;
}

static struct store *open_store(const char *name, int read_only)
{
	char path[256];
	struct store *st = NULL;
	struct store_opts o = { .read_only = read_only };
	struct horch_err err;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (store_open(&st, path, &o, &err) != 0)
		diag("store_open %s: %s", path, err.msg);
	return st;
}

static int64_t count(struct store *st)
{
	int64_t n = -1;
	struct horch_err err;

	store_count_posts(st, &n, &err);
	return n;
}

static void test_basic(void)
{
	struct store *st = open_store("basic.db", 0);
	struct pipeline_opts o = { .n_workers = 2, .batch_max = 100, .on_commit = on_commit,
				   .on_reject = on_reject };
	struct pipeline *pl = NULL;
	struct pipeline_stats stats;
	struct horch_err err;
	struct seen s = { 0 };
	long tags = 0;

	o.ctx = &s;
	is_int(pipeline_new(&pl, st, &o, &err), 0, "pipeline-1.1 start");
	for (long i = 1; i <= 1000; i++) {
		pipeline_push(pl, make_post("test", i, "Hallo Welt"), (uint64_t)i);
		tags += i;
	}
	is_int(pipeline_finish(pl, &stats, &err), 0, "pipeline-1.2 finish");
	is_int(stats.n_in, 1000, "pipeline-1.3 all pushed");
	is_int(stats.n_new, 1000, "pipeline-1.4 all stored");
	is_int(atomic_load(&s.n_new), 1000, "pipeline-1.5 commit callback saw each post with an id");
	is_int(atomic_load(&s.tag_sum), tags, "pipeline-1.6 tags come back unchanged");
	ok(stats.n_batches >= 10, "pipeline-1.7 batches of at most 100 (%llu batches)",
	   (unsigned long long)stats.n_batches);
	is_int(count(st), 1000, "pipeline-1.8 the store holds them");
	pipeline_free(pl);

	/* The same posts again: all duplicates, nothing new. */
	memset(&s, 0, sizeof s);
	pipeline_new(&pl, st, &o, &err);
	for (long i = 1; i <= 1000; i++)
		pipeline_push(pl, make_post("test", i, "Hallo Welt"), (uint64_t)i);
	pipeline_finish(pl, &stats, &err);
	ok(stats.n_new == 0 && stats.n_dup == 1000, "pipeline-1.9 a second run stores nothing new");
	is_int(count(st), 1000, "pipeline-1.10 count unchanged");
	pipeline_free(pl);
	store_close(st);
}

static int find_text(void *ctx, const struct post *p)
{
	char *out = ctx;

	snprintf(out, 256, "%s|%zu", p->text ? p->text : "(null)", p->n_repaired);
	return 0;
}

static void stored_text(struct store *st, const char *fts, char out[256])
{
	struct store_query q;
	struct horch_err err;

	store_query_init(&q);
	q.fts = fts;
	out[0] = '\0';
	if (store_search(st, &q, find_text, out, &err) != 0)
		diag("search %s: %s", fts, err.msg);
}

static void test_normalise(void)
{
	struct store *st = open_store("normalise.db", 0);
	struct pipeline_opts o = { .n_workers = 1, .on_reject = on_reject };
	struct pipeline *pl = NULL;
	struct pipeline_stats stats;
	struct horch_err err;
	struct seen s = { 0 };
	struct post *p;
	char text[256];
	char *huge;

	o.ctx = &s;
	pipeline_new(&pl, st, &o, &err);
	p = make_post("rss", 1, NULL);
	p->html = horch_xstrdup("<p>Akku <b>brennt</b> &amp; raucht</p><script>alert(1)</script>");
	pipeline_push(pl, p, 1);
	/* "Cafe" + U+0301 (decomposed) and an invalid byte. */
	pipeline_push(pl, make_post("rss", 2, "Cafe\xcc\x81 kaputt \xff ok"), 2);
	/* Text that grows past the cap when its invalid bytes are repaired:
	 * each 0xff becomes the 3-byte U+FFFD. */
	huge = horch_xmalloc(POST_TEXT_MAX + 1);
	memset(huge, 0xff, POST_TEXT_MAX);
	huge[POST_TEXT_MAX] = '\0';
	p = make_post("rss", 3, NULL);
	p->text = huge;
	pipeline_push(pl, p, 77);
	is_int(pipeline_finish(pl, &stats, &err), 0, "pipeline-2.1 finish");
	is_int(stats.n_new, 2, "pipeline-2.2 two stored");
	is_int(stats.n_rejected, 1, "pipeline-2.3 one refused");
	is_int(s.rejected_tag, 77, "pipeline-2.4 the refusal carries the producer's tag");
	ok(strstr(s.reject_msg, "text") != NULL, "pipeline-2.5 and names the field: %s", s.reject_msg);

	is_int(stats.n_repaired, 1, "pipeline-2.6 repaired sequences counted");
	stored_text(st, "raucht", text);
	is_str(text, "Akku brennt & raucht|0", "pipeline-2.7 html became text, script gone");
	stored_text(st, "kaputt", text);
	is_str(text, "Caf\xc3\xa9 kaputt \xef\xbf\xbd ok|1", "pipeline-2.8 NFC and U+FFFD stored");
	pipeline_free(pl);

	/* An author name within its cap of 2048 bytes that NFC makes longer:
	 * U+FB2C (3 bytes) decomposes into three code points (6 bytes). */
	pipeline_new(&pl, st, &o, &err);
	p = make_post("rss", 4, "name too long once composed");
	p->author_name = horch_xmalloc(680 * 3 + 1);
	for (int i = 0; i < 680; i++)
		memcpy(p->author_name + i * 3, "\xef\xac\xac", 3);
	p->author_name[680 * 3] = '\0';
	pipeline_push(pl, p, 78);
	pipeline_finish(pl, &stats, &err);
	ok(stats.n_rejected == 1 && s.rejected_tag == 78,
	   "pipeline-2.9 a field longer than its own cap after NFC is refused");
	ok(strstr(s.reject_msg, "author_name") && strstr(s.reject_msg, "2048"),
	   "pipeline-2.10 naming the field and its cap: %s", s.reject_msg);
	pipeline_free(pl);
	store_close(st);
}

static void test_batch_time(void)
{
	struct store *st = open_store("time.db", 0);
	struct pipeline_opts o = { .n_workers = 1, .batch_max = 100000, .batch_ms = 50,
				   .on_commit = on_commit };
	struct pipeline *pl = NULL;
	struct horch_err err;
	struct seen s = { 0 };
	int64_t t0;

	o.ctx = &s;
	pipeline_new(&pl, st, &o, &err);
	for (long i = 1; i <= 3; i++)
		pipeline_push(pl, make_post("t", i, "a trickle"), 0);
	t0 = horch_mono_ns();
	while (atomic_load(&s.n_new) < 3 && horch_mono_ns() - t0 < 5000000000LL)
		usleep(5000);
	is_int(atomic_load(&s.n_new), 3, "pipeline-3.1 a small batch is committed after batch_ms");
	pipeline_free(pl);
	store_close(st);
}

struct prod {
	struct pipeline *pl;
	long from;
};

static void *produce(void *arg)
{
	struct prod *p = arg;

	for (long i = p->from; i < p->from + 5000; i++)
		pipeline_push(p->pl, make_post("bp", i, "back pressure"), 1);
	return NULL;
}

static void test_backpressure(void)
{
	struct store *st = open_store("bp.db", 0);
	struct pipeline_opts o = { .n_workers = 3, .batch_max = 64, .queue_max = 4 };
	struct pipeline *pl = NULL;
	struct pipeline_stats stats;
	struct horch_err err;
	pthread_t t[4];
	struct prod pr[4];

	pipeline_new(&pl, st, &o, &err);
	for (int i = 0; i < 4; i++) {
		pr[i] = (struct prod){ pl, i * 5000L };
		pthread_create(&t[i], NULL, produce, &pr[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	pipeline_finish(pl, &stats, &err);
	ok(stats.n_in == 20000 && stats.n_new == 20000,
	   "pipeline-4.1 4 producers through queues of 4: nothing dropped (%llu stored)",
	   (unsigned long long)stats.n_new);
	is_int(count(st), 20000, "pipeline-4.2 the store holds every post");
	pipeline_free(pl);
	store_close(st);
}

static void test_writer_failure(void)
{
	struct store *ro = open_store("basic.db", 1);
	struct pipeline_opts o = { .n_workers = 2, .batch_max = 10, .batch_ms = 10,
				   .queue_max = 16 };
	struct pipeline *pl = NULL;
	struct horch_err err;
	int refused = 0;

	ok(ro != NULL, "pipeline-5.1 a read-only store");
	pipeline_new(&pl, ro, &o, &err);
	for (long i = 5000; i < 7000; i++)
		if (pipeline_push(pl, make_post("fail", i, "x"), 0) == HORCH_ESTOP)
			refused++;
	ok(pipeline_finish(pl, NULL, &err) != 0, "pipeline-5.2 finish reports the writer's error");
	ok(err.msg[0] != '\0', "pipeline-5.3 with a message: %s", err.msg);
	ok(refused > 0, "pipeline-5.4 pushes are refused after a failure (%d refused)", refused);
	pipeline_free(pl);
	store_close(ro);
}

/* Save a topic and return its id (0 on failure). */
static int64_t add_topic(struct store *st, const char *name, const char *query)
{
	struct store_topic t = { 0 };
	struct horch_err err;

	t.name = (char *)name;
	t.query = (char *)query;
	if (store_topic_add(st, &t, &err) != 0) {
		diag("store_topic_add %s: %s", name, err.msg);
		return 0;
	}
	return t.id;
}

/* A matcher of the given topics (ids[i], queries[i]); NULL on failure. */
static struct matcher *build(const int64_t *ids, const char *const *queries, size_t n)
{
	struct matcher_topic mt[8] = { { 0 } };
	struct query *q[8] = { 0 };
	struct matcher *m = NULL;
	struct horch_err err;

	for (size_t i = 0; i < n; i++) {
		if (query_parse(&q[i], queries[i], strlen(queries[i]), 0, NULL, &err) != 0)
			diag("query_parse %s: %s", queries[i], err.msg);
		mt[i].id = ids[i];
		mt[i].q = q[i];
		mt[i].name = NULL;
	}
	if (matcher_build(&m, mt, n, &err) != 0)
		diag("matcher_build: %s", err.msg);
	for (size_t i = 0; i < n; i++)
		query_free(q[i]);
	return m;
}

static int64_t topic_count(struct store *st, int64_t topic)
{
	int64_t n = -1;
	struct horch_err err;

	if (store_count_matches(st, topic, &n, &err) != 0)
		diag("store_count_matches: %s", err.msg);
	return n;
}

static int count_row(void *ctx, const char *key, int64_t n)
{
	(void)key;
	*(int64_t *)ctx += n;
	return 0;
}

/* Posts that matched topic, counted with store_stats(). */
static int64_t posts_of(struct store *st, int64_t topic)
{
	struct store_query q;
	struct horch_err err;
	int64_t n = 0;

	store_query_init(&q);
	q.topic = topic;
	if (store_stats(st, STORE_DIM_SOURCE, &q, 0, count_row, &n, &err) != 0)
		diag("store_stats: %s", err.msg);
	return n;
}

/* The spans stored for topic's match of the post with external id ext,
 * read with SQLite itself (the store has no call that returns them). */
static void stored_spans(const char *db, int64_t topic, const char *ext, char out[256])
{
	char path[256];
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/%s", dir, db);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT coalesce(m.spans, 'NULL') FROM match m JOIN post p "
			       "ON p.id = m.post_id WHERE m.topic_id = ? AND p.external_id = ?",
			       -1, &s, NULL) != SQLITE_OK) {
		diag("sqlite: %s", sqlite3_errmsg(h));
		goto out;
	}
	sqlite3_bind_int64(s, 1, topic);
	sqlite3_bind_text(s, 2, ext, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, 256, "%s", (const char *)sqlite3_column_text(s, 0));
out:
	sqlite3_finalize(s);
	sqlite3_close(h);
}

static void test_match(void)
{
	struct store *st = open_store("match.db", 0);
	struct pipeline_opts o = { .n_workers = 2, .batch_max = 50 };
	struct pipeline *pl = NULL;
	struct pipeline_stats stats;
	struct horch_err err;
	struct matcher_slot *slot;
	int64_t ids[2];
	const char *queries[2] = { "akku AND brennt", "kaffee OR tee" };
	char spans[256];

	ids[0] = add_topic(st, "akku", queries[0]);
	ids[1] = add_topic(st, "getränke", queries[1]);
	slot = matcher_slot_new(build(ids, queries, 2));
	o.matchers = slot;
	is_int(pipeline_new(&pl, st, &o, &err), 0, "pipeline-6.1 start with a matcher");
	for (long i = 1; i <= 300; i++) {
		/* Every third post matches akku, every fifth getränke. */
		const char *text = i % 15 == 0 ? "Mein Akku brennt, ich brauche Kaffee" :
				   i % 3 == 0 ? "Mein Akku brennt" :
				   i % 5 == 0 ? "Tee oder Kaffee" : "nichts davon";

		pipeline_push(pl, make_post("m", i, text), (uint64_t)i);
	}
	is_int(pipeline_finish(pl, &stats, &err), 0, "pipeline-6.2 finish");
	is_int(stats.n_new, 300, "pipeline-6.3 all stored");
	is_int(stats.n_matches, 100 + 60, "pipeline-6.4 100 + 60 matches counted");
	is_int(topic_count(st, ids[0]), 100, "pipeline-6.5 100 matches of akku stored");
	is_int(topic_count(st, ids[1]), 60, "pipeline-6.6 60 matches of getränke stored");
	is_int(posts_of(st, ids[0]), 100, "pipeline-6.7 found by the topic filter");
	stored_spans("match.db", ids[0], "id-15", spans);
	is_str(spans, "[[1,5,4],[1,10,6]]", "pipeline-6.7.1 the spans of akku AND brennt");
	stored_spans("match.db", ids[1], "id-15", spans);
	is_str(spans, "[[1,30,6]]", "pipeline-6.7.2 the spans of kaffee OR tee");
	stored_spans("match.db", ids[1], "id-3", spans);
	is_str(spans, "", "pipeline-6.7.3 no match row for a post that does not match");
	pipeline_free(pl);

	/* The same posts again: duplicates, whose matches are not stored twice. */
	pipeline_new(&pl, st, &o, &err);
	for (long i = 1; i <= 300; i++)
		pipeline_push(pl, make_post("m", i, "Mein Akku brennt"), (uint64_t)i);
	pipeline_finish(pl, &stats, &err);
	ok(stats.n_dup == 300 && stats.n_matches == 0, "pipeline-6.8 duplicates add no matches");
	is_int(topic_count(st, 0), 160, "pipeline-6.9 the store still holds 160 matches");
	pipeline_free(pl);

	/* An empty slot matches nothing; posts are still stored. */
	matcher_slot_swap(slot, NULL);
	pipeline_new(&pl, st, &o, &err);
	pipeline_push(pl, make_post("m", 1000, "Akku brennt"), 0);
	pipeline_finish(pl, &stats, &err);
	ok(stats.n_new == 1 && stats.n_matches == 0, "pipeline-6.10 an empty slot: stored, unmatched");
	pipeline_free(pl);
	matcher_slot_free(slot);
	store_close(st);
}

struct swapper {
	struct matcher_slot *slot;
	int64_t ids[2];
	atomic_int stop;
	long n_swaps;
};

static void *swap_main(void *arg)
{
	struct swapper *sw = arg;
	const char *query = "alpha";

	while (!atomic_load(&sw->stop)) {
		matcher_slot_swap(sw->slot, build(&sw->ids[sw->n_swaps % 2], &query, 1));
		sw->n_swaps++;
		usleep(200);
	}
	return NULL;
}

/* Hot reload: another thread swaps the matcher (topic A, then B, then A
 * ...) while posts flow.  Every post must be stored and matched by exactly
 * one of them. */
static void test_swap(void)
{
	struct store *st = open_store("swap.db", 0);
	struct pipeline_opts o = { .n_workers = 3, .batch_max = 64 };
	struct pipeline *pl = NULL;
	struct pipeline_stats stats;
	struct horch_err err;
	struct swapper sw = { 0 };
	const char *query = "alpha";
	pthread_t t;
	long n = 20000;

	sw.ids[0] = add_topic(st, "a", "alpha");
	sw.ids[1] = add_topic(st, "b", "alpha");
	sw.slot = matcher_slot_new(build(&sw.ids[0], &query, 1));
	o.matchers = sw.slot;
	pipeline_new(&pl, st, &o, &err);
	pthread_create(&t, NULL, swap_main, &sw);
	for (long i = 1; i <= n; i++)
		pipeline_push(pl, make_post("s", i, "alpha beta"), 0);
	is_int(pipeline_finish(pl, &stats, &err), 0, "pipeline-7.1 finish while swapping");
	atomic_store(&sw.stop, 1);
	pthread_join(t, NULL);
	ok(sw.n_swaps > 10, "pipeline-7.2 the matcher was swapped %ld times", sw.n_swaps);
	is_int(stats.n_new, n, "pipeline-7.3 no post lost");
	is_int(stats.n_matches, n, "pipeline-7.4 one match per post");
	is_int(topic_count(st, 0), n, "pipeline-7.5 one stored match per post");
	is_int(posts_of(st, sw.ids[0]) + posts_of(st, sw.ids[1]), n,
	       "pipeline-7.6 each post matched by the old or the new matcher");
	ok(posts_of(st, sw.ids[0]) > 0 && posts_of(st, sw.ids[1]) > 0,
	   "pipeline-7.7 both matchers were used (%lld and %lld posts)",
	   (long long)posts_of(st, sw.ids[0]), (long long)posts_of(st, sw.ids[1]));
	pipeline_free(pl);
	matcher_slot_free(sw.slot);
	store_close(st);
}

/* What test_reload() collects from the store. */
struct loaded {
	int64_t ids[8];
	char *queries[8];
	size_t n;
	int n_calls;
};

static int load_topic(void *ctx, const struct store_topic *t)
{
	struct loaded *l = ctx;

	if (l->n < 8) {
		l->ids[l->n] = t->id;
		l->queries[l->n] = horch_xstrdup(t->query);
		l->n++;
	}
	return 0;
}

/* The reload of opts.reload: every stored topic, as horch import does. */
static int test_reload(void *ctx, struct store *st, struct matcher **out, int64_t *version,
		       struct horch_err *err)
{
	struct loaded l = { .n = 0 };
	int rc;

	(*(int *)ctx)++;
	if ((rc = store_topics_version(st, version, err)) != 0 ||
	    (rc = store_topic_list(st, load_topic, &l, err)) != 0)
		return rc;
	*out = build(l.ids, (const char *const *)l.queries, l.n);
	for (size_t i = 0; i < l.n; i++)
		free(l.queries[i]);
	return 0;
}

/* Wait until the pipeline has stored n posts (at most 10 s). */
static void wait_stored(struct pipeline *pl, uint64_t n)
{
	struct pipeline_stats stats;

	for (int i = 0; i < 10000; i++) {
		pipeline_stats(pl, &stats);
		if (stats.n_new + stats.n_dup >= n)
			return;
		usleep(1000);
	}
}

/* Live topic changes: another connection adds a topic, then changes a
 * query, while the pipeline runs; the posts stored after each change are
 * matched with the topics as they are then. */
static void test_reload_live(void)
{
	struct store *st = open_store("reload.db", 0), *other = open_store("reload.db", 0);
	struct pipeline_opts o = { .n_workers = 2, .batch_max = 50 };
	struct pipeline *pl = NULL;
	struct pipeline_stats stats;
	struct horch_err err;
	struct store_topic t;
	const char *query = "alpha";
	int n_calls = 0;
	int64_t a, b;
	long i;

	a = add_topic(st, "a", query);
	store_topics_version(st, &o.topics_version, &err);
	o.matchers = matcher_slot_new(build(&a, &query, 1));
	o.reload = test_reload;
	o.ctx = &n_calls;
	is_int(pipeline_new(&pl, st, &o, &err), 0, "pipeline-8.1 start with reload");
	for (i = 1; i <= 500; i++)
		pipeline_push(pl, make_post("r", i, "alpha beta"), 0);
	wait_stored(pl, 500);
	b = add_topic(other, "b", "beta");
	for (; i <= 1000; i++)
		pipeline_push(pl, make_post("r", i, "alpha beta"), 0);
	wait_stored(pl, 1000);
	pipeline_stats(pl, &stats);
	is_int(stats.n_reloads, 1, "pipeline-8.2 one reload after the topic was added");
	is_int(topic_count(st, b), 500, "pipeline-8.3 the 500 posts after it match the new topic");
	is_int(topic_count(st, a), 1000, "pipeline-8.4 the old topic matches all 1000");

	memset(&t, 0, sizeof t);
	t.id = a;
	t.name = "a";
	t.query = "gamma";
	is_int(store_topic_update(other, &t, &err), 0, "pipeline-8.5 a's query changed");
	for (; i <= 1500; i++)
		pipeline_push(pl, make_post("r", i, "alpha beta"), 0);
	is_int(pipeline_finish(pl, &stats, &err), 0, "pipeline-8.6 finish");
	is_int(stats.n_new, 1500, "pipeline-8.7 every post stored");
	is_int(stats.n_reloads, 2, "pipeline-8.8 a second reload");
	is_int(n_calls, 2, "pipeline-8.9 reload called twice");
	is_int(topic_count(st, a), 0, "pipeline-8.10 no post matched a's old query after the edit");
	is_int(topic_count(st, b), 1000, "pipeline-8.11 b matched the 1000 posts after it was added");
	pipeline_free(pl);
	matcher_slot_free(o.matchers);
	store_close(other);
	store_close(st);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir))
		tap_skip_all("cannot make a temporary directory");
	test_basic();
	test_normalise();
	test_batch_time();
	test_backpressure();
	test_writer_failure();
	test_match();
	test_swap();
	test_reload_live();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
