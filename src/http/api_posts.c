/* api_posts.c - GET /api/posts (the stored posts, filtered, newest first,
 * a page at a time) and POST /api/ingest (posts in, answered after their
 * commit), and what the writer tells the server after each commit.
 *
 * An ingest call parses its whole body before it hands any post to the
 * pipeline: a body that is not JSON (or a line of JSON Lines that is not)
 * is refused with its line and column and nothing is stored.  A post that
 * is JSON but not a valid post is reported by its index and the others go
 * on.  Each post handed on carries a pointer to its slot as the pipeline's
 * tag; the writer fills the slot after the commit (http_on_commit()) or on
 * a refusal (http_on_reject()) and the call, waiting on its condition
 * variable, answers when every slot is filled. */
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../bus/bus.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../pipeline/pipeline.h"
#include "../store/store.h"
#include "http_int.h"
#include "ingest_body.h"

#define POSTS_LIMIT_MAX 500       /* GET /api/posts?limit= */
#define INGEST_REJECTED 100       /* a slot's status: refused by a stage */

/* ---- GET /api/posts ---- */

struct found {
	struct buf text;      /* every post's JSON, NUL-separated */
	size_t *off;
	int64_t ids[POSTS_LIMIT_MAX];
	size_t n, cap_off;
};

static int keep(void *ctx, const struct post *p)
{
	struct found *f = ctx;

	f->off = horch_xgrow(f->off, &f->cap_off, f->n + 1, sizeof *f->off);
	f->off[f->n] = f->text.len;
	post_to_json(p, &f->text);
	buf_putc(&f->text, '\0');
	f->ids[f->n++] = p->id;
	return 0;
}

/* The index of the first match of post id in m (ascending by post), or
 * m->n when it has none. */
static size_t first_match(const struct http_matches *m, int64_t id)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->post[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int one_of(const char *v, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(v, *allowed) == 0)
			return 1;
	return 0;
}

void api_posts(struct http_req *rq, struct http_resp *rs)
{
	static const char *const sentiments[] = { "negative", "neutral", "positive", NULL };
	static const char *const intents[] = { "complaint", "question", "praise", "purchase",
					       "idea", "other", NULL };
	struct store_query q;
	struct found f = { 0 };
	struct http_matches m = { 0 };
	struct horch_err err;
	struct store *st;
	const char *spam = http_arg(rq, "spam");
	int64_t limit = 50, cursor = 0;

	store_query_init(&q);
	horch_err_clear(&err);
	if (http_arg_time(rq, "since", &q.since, rs) || http_arg_time(rq, "until", &q.until, rs) ||
	    http_arg_int(rq, "topic", 1, INT64_MAX, &q.topic, rs) ||
	    http_arg_int(rq, "limit", 1, POSTS_LIMIT_MAX, &limit, rs) ||
	    http_arg_int(rq, "cursor", 1, INT64_MAX, &cursor, rs))
		return;
	q.lang = http_arg(rq, "lang");
	q.source = http_arg(rq, "source");
	q.author = http_arg(rq, "author");
	q.fts = http_arg(rq, "q");
	q.sentiment = http_arg(rq, "sentiment");
	q.intent = http_arg(rq, "intent");
	q.before_id = cursor;
	q.limit = (size_t)limit;
	if (q.sentiment && !one_of(q.sentiment, sentiments)) {
		http_error(rs, 400, "bad_request",
			   "sentiment: \"%.40s\" is not negative, neutral or positive", q.sentiment);
		return;
	}
	if (q.intent && !one_of(q.intent, intents)) {
		http_error(rs, 400, "bad_request", "intent: \"%.40s\" is not complaint, question, "
			   "praise, purchase, idea or other", q.intent);
		return;
	}
	if (spam && strcmp(spam, "hide") == 0) {
		q.spam = STORE_SPAM_HIDE;
	} else if (spam && strcmp(spam, "show") == 0) {
		q.spam = STORE_SPAM_SHOW;
	} else if (spam && strcmp(spam, "only") == 0) {
		q.spam = STORE_SPAM_ONLY;
	} else if (spam) {
		http_error(rs, 400, "bad_request", "spam: \"%.40s\" is not hide, show or only", spam);
		return;
	}
	if (http_arg(rq, "review"))
		q.needs_review = 1;
	if (!(st = http_store(rq, rs)))
		return;
	buf_init(&f.text, BUF_NOLIMIT);
	if (store_search(st, &q, keep, &f, &err) != 0 ||
	    store_post_matches(st, f.ids, f.n, http_matches_add, &m, &err) != 0) {
		if (err.code == HORCH_EPARSE)
			http_error_at(rs, 400, "parse", 0, err.col, "q: %s", err.msg);
		else
			http_error_err(rs, &err);
		goto out;
	}
	buf_puts(&rs->body, "{\"posts\":[");
	for (size_t i = 0; i < f.n; i++) {
		size_t first = first_match(&m, f.ids[i]), k = first, start;

		/* The posts are newest first, the matches by post id. */
		while (k < m.n && m.post[k] == f.ids[i])
			k++;
		if (i)
			buf_putc(&rs->body, ',');
		start = rs->body.len;
		buf_puts(&rs->body, f.text.ptr + f.off[i]);
		/* (No match at all: m's arrays are NULL.) */
		http_add_matches(rq->srv, &rs->body, start, m.n ? m.topic + first : NULL,
				 m.n ? (const char *const *)m.spans + first : NULL, k - first);
	}
	buf_puts(&rs->body, "],\"next_cursor\":");
	if (f.n == (size_t)limit)
		buf_printf(&rs->body, "\"%lld\"}", (long long)f.ids[f.n - 1]);
	else
		buf_puts(&rs->body, "null}");
out:
	buf_cleanup(&f.text);
	free(f.off);
	http_matches_cleanup(&m);
}

/* ---- POST /api/ingest ---- */

struct ingest_wait {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t pending;       /* slots not yet filled */
};

struct ingest_slot {
	struct ingest_wait *w;
	int status;           /* -1 waiting, enum store_put_status, or INGEST_REJECTED */
	int64_t id;
	long line;            /* its line in JSON Lines, else 0 */
	char *msg;            /* why it was refused (parse or stage), or NULL */
};

static void slot_done(struct ingest_slot *sl, int status, int64_t id, const char *msg)
{
	struct ingest_wait *w = sl->w;

	pthread_mutex_lock(&w->lock);
	sl->status = status;
	sl->id = id;
	if (msg)
		sl->msg = horch_xstrdup(msg);
	if (--w->pending == 0)
		pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void http_on_reject(struct http_server *s, uint64_t tag, const char *msg)
{
	(void)s;
	if (tag)
		slot_done((struct ingest_slot *)(uintptr_t)tag, INGEST_REJECTED, 0, msg);
}

/* A match of a committed post: its topic and spans, sorted by topic. */
struct topic_spans {
	int64_t topic;
	const char *spans;
};

static int by_topic(const void *a, const void *b)
{
	const struct topic_spans *x = a, *y = b;

	return (x->topic > y->topic) - (x->topic < y->topic);
}

void http_on_commit(struct http_server *s, const struct pipeline_batch *b)
{
	struct bus_event **ev;
	size_t n_ev = 0, k = 0;
	struct buf json;
	struct topic_spans *pairs = NULL;
	int64_t *topics = NULL;
	const char **spans = NULL;
	size_t cap_pairs = 0, cap_topics = 0, cap_spans = 0;

	if (!s)
		return;
	http_mark_writer();
	/* First the streams, so that a post is on its way to them by the
	 * time its ingest call is answered. */
	ev = horch_xmalloc((b->n ? b->n : 1) * sizeof *ev);
	buf_init(&json, BUF_NOLIMIT);
	for (size_t i = 0; i < b->n; i++) {
		size_t first = k, nm;

		while (k < b->n_m && b->m[k].post == (int64_t)i)
			k++;
		if (b->status[i] != STORE_PUT_NEW)
			continue;
		nm = k - first;
		/* Ascending topic ids, for the streams' filters. */
		pairs = horch_xgrow(pairs, &cap_pairs, nm ? nm : 1, sizeof *pairs);
		topics = horch_xgrow(topics, &cap_topics, nm ? nm : 1, sizeof *topics);
		spans = horch_xgrow(spans, &cap_spans, nm ? nm : 1, sizeof *spans);
		for (size_t j = 0; j < nm; j++) {
			pairs[j].topic = b->m[first + j].topic;
			pairs[j].spans = b->m[first + j].spans;
		}
		if (nm > 1)
			qsort(pairs, nm, sizeof *pairs, by_topic);
		for (size_t j = 0; j < nm; j++) {
			topics[j] = pairs[j].topic;
			spans[j] = pairs[j].spans;
		}
		buf_reset(&json);
		http_post_json(s, &json, b->posts[i], topics, spans, nm);
		ev[n_ev++] = bus_event_new(BUS_POST, b->posts[i]->id, b->posts[i]->is_spam, topics,
					   nm, json.ptr, json.len);
	}
	http_publish(s, ev, n_ev);
	for (size_t i = 0; i < n_ev; i++)
		bus_event_unref(ev[i]);
	free(ev);
	free(pairs);
	free(topics);
	free(spans);
	buf_cleanup(&json);
	for (size_t i = 0; i < b->n; i++)
		if (b->tags[i])
			slot_done((struct ingest_slot *)(uintptr_t)b->tags[i], b->status[i],
				  b->posts[i]->id, NULL);
}

void api_ingest(struct http_req *rq, struct http_resp *rs)
{
	struct pipeline *pl = http_pipeline(rq->srv);
	struct ingest_wait *w = horch_xcalloc(1, sizeof *w);
	struct ingest_body ib = { 0 };
	struct { struct ingest_slot *slots; size_t n; } pd = { 0 };
	struct horch_err err;
	size_t n_new = 0, n_dup = 0, n_bad = 0, n_sent = 0;
	int failed = 0, stopped = 0;

	horch_err_clear(&err);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (ingest_body_parse(&ib, rq->body, rq->body_len, rq->content_type, &err) != 0) {
		if (err.code == HORCH_EPARSE)
			http_error_at(rs, 400, "parse", err.line, err.col,
				      "%s; nothing was stored", err.msg);
		else
			http_error_err(rs, &err);
		goto out;
	}
	pd.n = ib.n;
	pd.slots = horch_xcalloc(ib.n ? ib.n : 1, sizeof *pd.slots);
	for (size_t i = 0; i < ib.n; i++)
		http_count_refused(rq->srv, ib.items[i].post == NULL);
	for (size_t i = 0; i < ib.n; i++) {
		pd.slots[i].status = ib.items[i].post ? -1 : INGEST_REJECTED;
		pd.slots[i].line = ib.items[i].line;
		pd.slots[i].msg = ib.items[i].msg;
		ib.items[i].msg = NULL;
	}
	if (pd.n == 0) {
		http_error(rs, 400, "bad_request", "no post in the body: send a post, an array of "
			   "posts or JSON Lines");
		goto out;
	}
	for (size_t i = 0; i < pd.n; i++)
		pd.slots[i].w = w;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < pd.n; i++)
		w->pending += ib.items[i].post != NULL;
	pthread_mutex_unlock(&w->lock);
	for (size_t i = 0; i < pd.n; i++) {
		struct post *p = ib.items[i].post;

		if (!p)
			continue;
		ib.items[i].post = NULL; /* the pipeline owns it now */
		if (stopped || pipeline_push(pl, p, (uint64_t)(uintptr_t)&pd.slots[i]) != 0) {
			if (stopped)
				post_free(p);
			stopped = 1;
			slot_done(&pd.slots[i], INGEST_REJECTED, 0,
				  "the server is shutting down; send it again");
			continue;
		}
		n_sent++;
	}
	/* Wait for the commit.  Should the writer fail, nothing more is
	 * committed: the call answers 503 and leaves its slots to the
	 * pipeline (the daemon stops; see cmd_serve.c). */
	pthread_mutex_lock(&w->lock);
	while (w->pending) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
		if (w->pending && pipeline_failed(pl)) {
			failed = 1;
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	if (failed) {
		http_error(rs, 503, "internal", "the store failed; the posts were not all stored");
		return; /* w and the slots stay with the pipeline */
	}
	for (size_t i = 0; i < pd.n; i++) {
		n_new += pd.slots[i].status == STORE_PUT_NEW;
		n_dup += pd.slots[i].status == STORE_PUT_DUP;
		n_bad += pd.slots[i].status == INGEST_REJECTED;
	}
	if (stopped && n_new + n_dup == 0) {
		http_error(rs, 503, "internal", "the server is shutting down; send the posts again");
		rs->retry_after = 5;
		goto out;
	}
	if (n_bad == pd.n) {
		http_error_at(rs, 422, "bad_request", pd.slots[0].line, 0, "%s%s",
			      pd.n > 1 ? "no post is valid; the first: " : "",
			      pd.slots[0].msg ? pd.slots[0].msg : "not a valid post");
		goto out;
	}
	buf_printf(&rs->body, "{\"accepted\":%zu,\"stored\":%zu,\"duplicates\":%zu,"
		   "\"rejected\":%zu,\"errors\":[", n_new + n_dup, n_new, n_dup, n_bad);
	for (size_t i = 0, first = 1; i < pd.n; i++) {
		if (pd.slots[i].status != INGEST_REJECTED)
			continue;
		buf_printf(&rs->body, "%s{\"index\":%zu", first ? "" : ",", i);
		if (pd.slots[i].line)
			buf_printf(&rs->body, ",\"line\":%ld", pd.slots[i].line);
		buf_puts(&rs->body, ",\"message\":");
		http_json_str(&rs->body, pd.slots[i].msg ? pd.slots[i].msg : "not a valid post");
		buf_putc(&rs->body, '}');
		first = 0;
	}
	buf_puts(&rs->body, "],\"ids\":[");
	for (size_t i = 0; i < pd.n; i++) {
		if (i)
			buf_putc(&rs->body, ',');
		if (pd.slots[i].status == STORE_PUT_NEW)
			buf_printf(&rs->body, "%lld", (long long)pd.slots[i].id);
		else
			buf_puts(&rs->body, "null");
	}
	buf_puts(&rs->body, "]}");
	(void)n_sent;
out:
	ingest_body_cleanup(&ib);
	for (size_t i = 0; i < pd.n; i++)
		free(pd.slots[i].msg);
	free(pd.slots);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
