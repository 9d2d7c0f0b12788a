/* bench_metrics.c - the store's side of GET /api/metrics on a large store.
 *
 * Builds a store of HORCH_BENCH_POSTS posts (default 1,000,000) spread
 * evenly over 7 days, with a fixed seed: 4 sources, 5 languages, 6
 * countries, 50,000 authors, sentiment labels, 5% spam, and 20 topics of
 * which each post matches one or two (about 1.5 match rows per post).  The
 * last 24 hours then hold about 143,000 posts.  Timed, the median of
 * HORCH_BENCH_RUNS runs (default 5):
 *
 *   metrics-5topics  what /api/metrics asks for 5 topics over 24 h by hour:
 *                    store_metrics() and store_metrics_breakdown()
 *   metrics-all      the same for every post (no topics)
 *   authors-topic    store_top_authors() of one topic over 24 h
 *   naive-5topics    the straightforward way: one COUNT/SUM statement per
 *                    topic, hour and figure (volume, positive, neutral,
 *                    negative, reach: 5 x 24 x 5 = 600 statements), each
 *                    scanning that hour's posts and checking the match
 *
 * Prints `name  calls/s  ms/call` and the ratio of the naive way to
 * metrics-5topics.  Times are the wall clock (SQLite's reads are the
 * work; they run on this thread).  HORCH_BENCH_KEEP=1 keeps the database
 * (its path is printed) for EXPLAIN QUERY PLAN. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_rng.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/post.h"
#include "store/store.h"

#define DAY_MS (86400 * 1000LL)
#define HOUR_MS (3600 * 1000LL)
#define N_TOPICS 20
#define BATCH 2000
#define T_END 1767225600000LL  /* 2026-01-01T00:00:00Z: the newest post is just before */

static char dir[] = "/tmp/horch-bench-metrics-XXXXXX";
static char path[256];

static void die(const char *what, const struct horch_err *err)
{
	fprintf(stderr, "bench_metrics: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static int64_t now_ns(void)
{
	return horch_mono_ns();
}

/* Build the store; returns the topic ids in topics[0..N_TOPICS). */
static void build(size_t n_posts, int64_t *topics)
{
	static const char *const sources[] = { "twitter", "mastodon", "reddit", "rss" };
	static const char *const langs[] = { "en", "de", "fr", "es", "und" };
	static const char *const countries[] = { "DE", "US", "GB", "FR", "AT", "CH" };
	struct store_opts so = { .no_fts = 1 };
	struct store *st;
	struct horch_err err;
	struct post *posts = horch_xcalloc(BATCH, sizeof *posts);
	struct post **pp = horch_xcalloc(BATCH, sizeof *pp);
	struct store_match *m = horch_xcalloc(2 * BATCH, sizeof *m);
	char (*ext)[24] = horch_xcalloc(BATCH, sizeof *ext);
	char (*author)[16] = horch_xcalloc(BATCH, sizeof *author);
	int64_t span = 7 * DAY_MS, t0 = T_END - span;

	if (store_open(&st, path, &so, &err))
		die("open", &err);
	for (int i = 0; i < N_TOPICS; i++) {
		struct store_topic t = { 0 };
		char name[16];

		snprintf(name, sizeof name, "topic%d", i);
		t.name = name;
		t.query = name;
		t.matched_to = STORE_HISTORY_DONE;
		if (store_topic_add(st, &t, &err))
			die("topic", &err);
		topics[i] = t.id;
	}
	for (size_t done = 0; done < n_posts;) {
		size_t n = n_posts - done < BATCH ? n_posts - done : BATCH, n_m = 0;

		for (size_t i = 0; i < n; i++) {
			struct post *p = &posts[i];
			uint64_t r = bench_rng();

			post_init(p);
			snprintf(ext[i], sizeof ext[i], "%zu", done + i);
			snprintf(author[i], sizeof author[i], "u%llu",
				 (unsigned long long)(r % 50000));
			p->source = (char *)sources[(r >> 16) % 4];
			p->external_id = ext[i];
			p->author = author[i];
			p->author_followers = (int64_t)((r >> 20) % 5000);
			p->created_at = t0 + (int64_t)((double)span * (double)(done + i) /
						       (double)n_posts);
			p->fetched_at = p->created_at;
			p->lang = (char *)langs[(r >> 32) % 5];
			p->country = (char *)countries[(r >> 36) % 6];
			p->analysed = 1;
			p->sentiment_label = (uint8_t)(1 + (r >> 40) % 3);
			p->is_spam = (r >> 44) % 20 == 0;
			p->reach = (float)((r >> 48) % 10);
			pp[i] = p;
			m[n_m].topic = topics[(r >> 52) % N_TOPICS];
			m[n_m].post = (int64_t)i;
			n_m++;
			if ((r >> 57) % 2) {
				int64_t other = topics[((r >> 52) + 1 + (r >> 58) % (N_TOPICS - 1)) %
						       N_TOPICS];

				m[n_m].topic = other;
				m[n_m].post = (int64_t)i;
				n_m++;
			}
		}
		if (store_put_posts_matched(st, pp, n, NULL, m, n_m, &err))
			die("put", &err);
		done += n;
	}
	store_close(st);
	free(posts);
	free(pp);
	free(m);
	free(ext);
	free(author);
}

static int sink_row(void *ctx, const struct store_metrics_row *r)
{
	*(int64_t *)ctx += r->volume;
	return 0;
}

static int sink_dim(void *ctx, enum store_mdim dim, const char *key, int64_t count)
{
	(void)dim;
	(void)key;
	*(int64_t *)ctx += count;
	return 0;
}

static int sink_author(void *ctx, const struct store_author *a)
{
	*(int64_t *)ctx += a->posts;
	return 0;
}

/* What /api/metrics asks the store for n topics (n 0: every post) over
 * the last 24 h by hour.  Returns the total volume (to check). */
static int64_t api_metrics_query(struct store *st, const int64_t *topics, size_t n)
{
	struct horch_err err;
	int64_t vol = 0, dims = 0;

	if (store_metrics(st, topics, n, T_END - DAY_MS, T_END, HOUR_MS, sink_row, &vol, &err) ||
	    store_metrics_breakdown(st, topics, n, T_END - DAY_MS, T_END, 10, sink_dim, &dims,
				    &err))
		die("metrics", &err);
	return vol;
}

/* The naive way: one statement per topic, hour and figure. */
static int64_t naive_query(sqlite3 *db, const int64_t *topics, size_t n)
{
	static const char *const figures[] = {
		"count(*)", "sum(p.sentiment_label = 'positive')",
		"sum(p.sentiment_label = 'neutral')", "sum(p.sentiment_label = 'negative')",
		"sum(coalesce(p.author_followers, 0))",
	};
	int64_t vol = 0;

	for (size_t f = 0; f < 5; f++) {
		char sql[512];
		sqlite3_stmt *stmt;

		snprintf(sql, sizeof sql, "SELECT %s FROM post p WHERE p.created_at >= ?1 AND "
			 "p.created_at < ?2 AND p.is_spam IS NOT 1 AND EXISTS (SELECT 1 FROM match "
			 "m WHERE m.post_id = p.id AND m.topic_id = ?3)", figures[f]);
		if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
			die(sqlite3_errmsg(db), NULL);
		for (size_t i = 0; i < n; i++) {
			for (int h = 0; h < 24; h++) {
				sqlite3_bind_int64(stmt, 1, T_END - DAY_MS + h * HOUR_MS);
				sqlite3_bind_int64(stmt, 2, T_END - DAY_MS + (h + 1) * HOUR_MS);
				sqlite3_bind_int64(stmt, 3, topics[i]);
				if (sqlite3_step(stmt) != SQLITE_ROW)
					die(sqlite3_errmsg(db), NULL);
				if (f == 0)
					vol += sqlite3_column_int64(stmt, 0);
				sqlite3_reset(stmt);
			}
		}
		sqlite3_finalize(stmt);
	}
	return vol;
}

static void report(const char *name, long long ns)
{
	printf("%-18s %10.1f calls/s %10.2f ms/call\n", name, 1e9 / (double)ns, (double)ns / 1e6);
}

int main(void)
{
	const char *env = getenv("HORCH_BENCH_POSTS");
	size_t n_posts = env && atol(env) > 0 ? (size_t)atol(env) : 1000000;
	int runs = bench_runs(5, 64);
	int64_t topics[N_TOPICS], vol = 0, nvol = 0, t;
	long long *v = horch_xcalloc((size_t)runs, sizeof *v), fast, naive;
	struct store_opts ro = { .read_only = 1 };
	struct store *st;
	struct horch_err err;
	sqlite3 *db;

	/* Opening read-only warns that the full-text index is incomplete
	 * (the store was built without it): expected here. */
	horch_log_level = LOG_ERROR;
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);
	snprintf(path, sizeof path, "%s/metrics.db", dir);
	t = now_ns();
	build(n_posts, topics);
	printf("# %zu posts over 7 days, %d topics, built in %.1f s\n", n_posts, N_TOPICS,
	       (double)(now_ns() - t) / 1e9);
	if (store_open(&st, path, &ro, &err))
		die("open", &err);

	for (int r = 0; r < runs; r++) {
		t = now_ns();
		vol = api_metrics_query(st, topics, 5);
		v[r] = now_ns() - t;
	}
	fast = bench_median(v, runs);
	report("metrics-5topics", fast);
	for (int r = 0; r < runs; r++) {
		t = now_ns();
		api_metrics_query(st, NULL, 0);
		v[r] = now_ns() - t;
	}
	report("metrics-all", bench_median(v, runs));
	for (int r = 0; r < runs; r++) {
		int64_t posts = 0;

		t = now_ns();
		if (store_top_authors(st, topics[0], T_END - DAY_MS, T_END, 10, sink_author, &posts,
				      &err))
			die("authors", &err);
		v[r] = now_ns() - t;
	}
	report("authors-topic", bench_median(v, runs));
	store_close(st);

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("sqlite3_open_v2", NULL);
	for (int r = 0; r < runs; r++) {
		t = now_ns();
		nvol = naive_query(db, topics, 5);
		v[r] = now_ns() - t;
	}
	naive = bench_median(v, runs);
	sqlite3_close(db);
	report("naive-5topics", naive);
	printf("# volume of the 5 topics: %lld (naive: %lld); naive / metrics-5topics: %.1fx\n",
	       (long long)vol, (long long)nvol, (double)naive / (double)fast);

	if (getenv("HORCH_BENCH_KEEP")) {
		printf("# kept %s\n", path);
		free(v);
		return vol == nvol ? 0 : 1;
	}
	unlink(path);
	snprintf(path, sizeof path, "%s/metrics.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/metrics.db-shm", dir);
	unlink(path);
	rmdir(dir);
	free(v);
	return vol == nvol ? 0 : 1;
}
