/* sse.c - the live stream (sse.h): a hub of streams, each with a bounded
 * queue of events and a thread (its connection's) that writes them.
 *
 * A stream that resumes (Last-Event-ID) is registered first, so that every
 * post committed from then on is queued for it, and then reads the posts
 * after its last id from the store, oldest first; queued events it has
 * already written are skipped by id.  Ids only grow, so "everything up to
 * id N" is one number. */
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../cli/cli.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../store/store.h"
#include "http_int.h"
#include "sse.h"

#define MAX_STREAM_TOPICS 256
#define CATCHUP_PAGE 500
#define CATCHUP_PAGES_AT_ONCE 20  /* pages read before the server is given a turn */
#define OUT_MAX (8u << 20)

struct sse_client {
	struct sse_hub *hub;
	struct sse_client *prev, *next;
	int64_t *topics;           /* wanted topics, ascending; n_topics 0: every post */
	size_t n_topics;
	int no_posts, no_alerts;   /* ?events= left them out */
	struct bus_event **q;      /* ring of queued events (referenced) */
	size_t head, n;
	int dropped;               /* the queue overflowed */
	int failed;                /* catching up failed: the stream ends, the client resumes */
	int64_t last_id;           /* every wanted post up to this id has been written */
	int catching_up;           /* reading the posts after last_id from the store */
	struct store *st;          /* for catching up, then closed */
	struct buf out;            /* bytes to write */
	size_t out_off;
	int started;
	int64_t next_tick_ns;
	uint64_t tick_published;   /* bus events at the last tick, for the rate */
	int64_t tick_ns;
	pthread_mutex_t lock;      /* q, head, n, dropped */
	pthread_cond_t cond;       /* signalled (with lock) on events and stop */
};

/* Locks: the hub's lock guards the list of streams (publishing holds it
 * while it queues to each); each stream's own lock guards its queue.  A
 * stream's thread takes only its own lock, and formats its events with no
 * lock held, so that the writer never waits for a stream. */
struct sse_hub {
	struct http_server *srv;
	struct sse_opts o;
	pthread_mutex_t lock;      /* the list */
	struct sse_client *clients;
	atomic_size_t n_clients;
	atomic_int stopping;
	_Atomic int64_t published_id;  /* the highest post id published (after queueing) */
	atomic_uint_least64_t n_published;
	atomic_uint_least64_t n_dropped, n_events;
};

struct sse_hub *sse_hub_new(struct http_server *srv, const struct sse_opts *o)
{
	struct sse_hub *h = horch_xcalloc(1, sizeof *h);

	h->srv = srv;
	h->o = *o;
	pthread_mutex_init(&h->lock, NULL);
	return h;
}

void sse_hub_free(struct sse_hub *h)
{
	if (!h)
		return;
	pthread_mutex_destroy(&h->lock);
	free(h);
}

static int wants(const struct sse_client *c, const struct bus_event *e)
{
	size_t lo = 0, hi = c->n_topics;

	if (e->kind != BUS_POST)
		return !c->no_alerts;
	if (c->no_posts || e->is_spam)
		return 0;
	if (!c->n_topics)
		return 1;
	/* Both lists ascending: a merge walk. */
	for (size_t i = 0; i < e->n_topics && lo < hi; i++) {
		while (lo < hi && c->topics[lo] < e->topics[i])
			lo++;
		if (lo < hi && c->topics[lo] == e->topics[i])
			return 1;
	}
	return 0;
}

void sse_hub_publish(void *hub, struct bus_event *const *events, size_t n)
{
	struct sse_hub *h = hub;
	uint64_t queued = 0;
	int64_t top = atomic_load(&h->published_id);

	pthread_mutex_lock(&h->lock);
	for (struct sse_client *c = h->clients; c; c = c->next) {
		size_t before;

		pthread_mutex_lock(&c->lock);
		before = c->n;
		for (size_t i = 0; i < n && !c->dropped; i++) {
			if (!wants(c, events[i]))
				continue;
			if (c->n == h->o.queue_max) {
				c->dropped = 1;
				atomic_fetch_add(&h->n_dropped, 1);
				break;
			}
			bus_event_ref(events[i]);
			c->q[(c->head + c->n) % h->o.queue_max] = events[i];
			c->n++;
		}
		queued += c->n - before;
		if (c->n != before || c->dropped)
			pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&h->lock);
	/* Raised only once every stream has the events queued: a stream
	 * that reads it and then finds its queue empty has written them all.
	 * Alerts are published from another thread than the writer's posts:
	 * the id only ever rises. */
	for (size_t i = 0; i < n; i++)
		if (events[i]->kind == BUS_POST && events[i]->id > top)
			top = events[i]->id;
	{
		int64_t cur = atomic_load(&h->published_id);

		while (top > cur && !atomic_compare_exchange_weak(&h->published_id, &cur, top))
			;
	}
	atomic_fetch_add(&h->n_published, n);
	atomic_fetch_add(&h->n_events, queued);
}

void sse_hub_stats(struct sse_hub *h, struct sse_stats *out)
{
	out->clients = atomic_load(&h->n_clients);
	out->dropped = atomic_load(&h->n_dropped);
	out->events = atomic_load(&h->n_events);
}

void sse_hub_stop(struct sse_hub *h)
{
	atomic_store(&h->stopping, 1);
	pthread_mutex_lock(&h->lock);
	for (struct sse_client *c = h->clients; c; c = c->next) {
		pthread_mutex_lock(&c->lock);
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&h->lock);
}

/* ---- one stream ---- */

static void put_event(struct sse_client *c, const char *type, int64_t id, const char *data,
		      size_t len)
{
	buf_printf(&c->out, "id: %lld\nevent: %s\ndata: ", (long long)id, type);
	buf_append(&c->out, data, len);
	buf_puts(&c->out, "\n\n");
}

/* A page of posts after c->last_id from the store, for catching up. */
struct page {
	struct sse_client *c;
	struct http_server *srv;
	struct buf json;
	int64_t ids[CATCHUP_PAGE];
	char *text[CATCHUP_PAGE];   /* each post's JSON (post_to_json()) */
	int is_spam[CATCHUP_PAGE];
	size_t n;
};

/* A post of the page: its JSON now when the stream takes every post (but
 * spam), else later and only if the stream wants it (want_text()). */
static int keep_post(void *ctx, const struct post *p)
{
	struct page *pg = ctx;

	pg->ids[pg->n] = p->id;
	pg->is_spam[pg->n] = p->is_spam;
	pg->text[pg->n] = NULL;
	if (!pg->c->n_topics && !p->is_spam) {
		buf_reset(&pg->json);
		post_to_json(p, &pg->json);
		pg->text[pg->n] = horch_xstrndup(pg->json.ptr ? pg->json.ptr : "", pg->json.len);
	}
	pg->n++;
	return 0;
}

static int keep_text(void *ctx, const struct post *p)
{
	struct page *pg = ctx;

	buf_reset(&pg->json);
	post_to_json(p, &pg->json);
	return 0;
}

/* Read the next page of missed posts into c->out.  Returns 1 when it was
 * the last page, 0 when there are more, or -1 when the store failed (the
 * stream must then end: going live would skip the posts not read). */
static int catch_up(struct sse_client *c)
{
	struct sse_hub *h = c->hub;
	struct page pg = { .c = c, .srv = h->srv };
	struct http_matches m = { 0 };
	struct horch_err err;
	struct store_opts so = { .read_only = 1 };
	size_t k = 0;
	int last = 0;

	horch_err_clear(&err);
	buf_init(&pg.json, BUF_NOLIMIT);
	if (!c->st && store_open(&c->st, h->o.db, &so, &err) != 0) {
		horch_log(LOG_ERROR, "sse", "catch-up store error=\"%s\"", err.msg);
		buf_cleanup(&pg.json);
		return -1;
	}
	if (store_scan_posts(c->st, HORCH_TIME_NONE, c->last_id, CATCHUP_PAGE, keep_post, &pg,
			     &err) != 0 ||
	    store_post_matches(c->st, pg.ids, pg.n, http_matches_add, &m, &err) != 0) {
		horch_log(LOG_ERROR, "sse", "catch-up error=\"%s\"", err.msg);
		last = -1;
		goto out;
	}
	last = pg.n < CATCHUP_PAGE;
	for (size_t i = 0; i < pg.n; i++) {
		size_t first = k;
		struct bus_event e = { .kind = BUS_POST, .id = pg.ids[i],
				       .is_spam = pg.is_spam[i] };

		while (k < m.n && m.post[k] == pg.ids[i])
			k++;
		e.topics = m.n ? m.topic + first : NULL;
		e.n_topics = k - first;
		if (!wants(c, &e)) {
			c->last_id = pg.ids[i];
			continue;
		}
		buf_reset(&pg.json);
		if (pg.text[i])
			buf_puts(&pg.json, pg.text[i]);
		else if (store_scan_posts(c->st, HORCH_TIME_NONE, pg.ids[i] - 1, 1, keep_text, &pg,
					  &err) != 0 || !pg.json.len) {
			horch_log(LOG_ERROR, "sse", "catch-up error=\"%s\"", err.msg);
			last = -1;
			goto out;
		}
		http_add_matches(h->srv, &pg.json, 0, e.topics,
				 m.n ? (const char *const *)m.spans + first : NULL, k - first);
		put_event(c, "post", pg.ids[i], pg.json.ptr, pg.json.len);
		c->last_id = pg.ids[i];
	}
out:
	buf_cleanup(&pg.json);
	for (size_t i = 0; i < pg.n; i++)
		free(pg.text[i]);
	http_matches_cleanup(&m);
	if (last) {
		store_close(c->st);
		c->st = NULL;
	}
	return last;
}

/* Wait for events or the next tick and put them into c->out.  Returns 0,
 * or -1 when the stream ends (stopped or dropped). */
static int fill(struct sse_client *c)
{
	struct sse_hub *h = c->hub;
	struct timespec ts;
	int64_t now;

	if (!c->started) {
		c->started = 1;
		buf_puts(&c->out, "retry: 2000\n: horch stream\n\n");
		return 0;
	}
	/* Catching up: page after page from the store until one has
	 * something for this stream or the store has no more; only then the
	 * live queue and the ticks (whose ids would vouch for the posts
	 * between).  The queue meanwhile keeps what is committed; should it
	 * overflow, the stream is dropped and resumes from its last id. */
	for (int pages = 0; c->catching_up; pages++) {
		int r;

		if (atomic_load(&h->stopping))
			return -1;
		if ((r = catch_up(c)) < 0) {
			c->failed = 1;
			return -1;
		}
		c->catching_up = !r;
		if (c->out.len)
			return 0;
		if (pages == CATCHUP_PAGES_AT_ONCE) {
			/* Back to the server between stretches: it sees a
			 * client that went away, and a stop. */
			buf_puts(&c->out, ": catching up\n\n");
			return 0;
		}
	}
	for (;;) {
		struct bus_event *take[256];
		size_t n_take = 0;
		/* Read before the queue is looked at (see sse_hub_publish()). */
		int64_t published = atomic_load(&h->published_id);

		now = horch_mono_ns();
		pthread_mutex_lock(&c->lock);
		if (atomic_load(&h->stopping) || c->dropped) {
			pthread_mutex_unlock(&c->lock);
			return -1;
		}
		while (c->n && n_take < sizeof take / sizeof take[0]) {
			take[n_take++] = c->q[c->head];
			c->head = (c->head + 1) % h->o.queue_max;
			c->n--;
		}
		if (!n_take && now < c->next_tick_ns) {
			int64_t wait = c->next_tick_ns - now;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += wait / 1000000000;
			ts.tv_nsec += wait % 1000000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&c->cond, &c->lock, &ts);
			pthread_mutex_unlock(&c->lock);
			continue;
		}
		pthread_mutex_unlock(&c->lock);
		/* The events are formatted with no lock held. */
		for (size_t i = 0; i < n_take; i++) {
			struct bus_event *e = take[i];

			if (e->kind != BUS_POST || e->id > c->last_id) {
				put_event(c, e->kind == BUS_POST ? "post" : "alert",
					  e->kind == BUS_POST ? e->id : c->last_id, e->json, e->len);
				if (e->kind == BUS_POST)
					c->last_id = e->id;
			}
			bus_event_unref(e);
		}
		if (c->out.len)
			return 0;
		if (n_take)
			continue; /* only events it had written already */
		{
			char data[160], tb[HORCH_TIME_BUFSZ];
			uint64_t pub = atomic_load(&h->n_published);
			double secs = (double)(now - c->tick_ns) / 1e9;
			double rate = secs > 0 ? (double)(pub - c->tick_published) / secs : 0;

			/* The queue was empty after `published` was read: every
			 * post up to it that this stream wants has been written. */
			if (published > c->last_id)
				c->last_id = published;
			snprintf(data, sizeof data, "{\"t\":\"%s\",\"clients\":%zu,\"ingest_rate\":%.1f}",
				 horch_time_format(horch_now(), tb), atomic_load(&h->n_clients), rate);
			put_event(c, "tick", c->last_id, data, strlen(data));
			c->tick_published = pub;
			c->tick_ns = now;
			c->next_tick_ns = now + (int64_t)h->o.tick_ms * 1000000;
			return 0;
		}
	}
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	size_t n;

	(void)pos;
	while (c->out_off == c->out.len) {
		buf_reset(&c->out);
		c->out_off = 0;
		if (fill(c) != 0)
			return c->dropped || c->failed ? MHD_CONTENT_READER_END_WITH_ERROR
						       : MHD_CONTENT_READER_END_OF_STREAM;
	}
	n = c->out.len - c->out_off;
	if (n > max)
		n = max;
	memcpy(buf, c->out.ptr + c->out_off, n);
	c->out_off += n;
	return (ssize_t)n;
}

static void client_free(void *cls)
{
	struct sse_client *c = cls;
	struct sse_hub *h = c->hub;

	pthread_mutex_lock(&h->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		h->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	atomic_fetch_sub(&h->n_clients, 1);
	pthread_mutex_unlock(&h->lock);
	/* Out of the list: nobody queues to it any more. */
	while (c->n) {
		bus_event_unref(c->q[c->head]);
		c->head = (c->head + 1) % h->o.queue_max;
		c->n--;
	}
	if (c->dropped)
		horch_log(LOG_INFO, "sse", "stream dropped: it fell %zu events behind",
			  h->o.queue_max);
	store_close(c->st);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	buf_cleanup(&c->out);
	free(c->q);
	free(c->topics);
	free(c);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int sse_open(struct sse_hub *h, struct http_req *rq, struct http_resp *rs,
	     struct MHD_Response **out)
{
	int64_t topics[MAX_STREAM_TOPICS], resume = -1;
	const char *last = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
						       "Last-Event-ID");
	struct sse_client *c;
	int n, want_posts = 0, want_alerts = 0;

	if ((n = http_arg_ids(rq, "topics", topics, MAX_STREAM_TOPICS, rs)) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (!http_topic_info(h->srv, topics[i], NULL, 0, NULL, 0)) {
			http_error(rs, 404, "not_found", "topics: no topic with id %lld",
				   (long long)topics[i]);
			return -1;
		}
	{
		/* ?events=post,alert: which kinds (ticks always come: they are
		 * the stream's heartbeat). */
		const char *ev = http_arg(rq, "events"), *p = ev;

		while (p && *p) {
			size_t len = strcspn(p, ",");

			if (len == 4 && !strncmp(p, "post", 4)) {
				want_posts = 1;
			} else if (len == 5 && !strncmp(p, "alert", 5)) {
				want_alerts = 1;
			} else if (!(len == 4 && !strncmp(p, "tick", 4))) {
				http_error(rs, 400, "bad_request", "events: \"%.*s\" is not post, "
					   "alert or tick", (int)(len > 20 ? 20 : len), p);
				return -1;
			}
			p += len + (p[len] == ',');
		}
		if (!ev || !*ev)
			want_posts = want_alerts = 1;
	}
	if (!last)
		last = http_arg(rq, "last_event_id");
	if (last && *last) {
		char *end;

		errno = 0;
		resume = strtoll(last, &end, 10);
		if (errno || *end || resume < 0) {
			http_error(rs, 400, "bad_request",
				   "Last-Event-ID: \"%.40s\" is not an event id", last);
			return -1;
		}
	}
	c = horch_xcalloc(1, sizeof *c);
	c->hub = h;
	c->no_posts = !want_posts;
	c->no_alerts = !want_alerts;
	c->q = horch_xcalloc(h->o.queue_max, sizeof *c->q);
	if (n) {
		c->topics = horch_xmalloc((size_t)n * sizeof *c->topics);
		memcpy(c->topics, topics, (size_t)n * sizeof *c->topics);
		qsort(c->topics, (size_t)n, sizeof *c->topics, cmp_id);
		c->n_topics = (size_t)n;
	}
	buf_init(&c->out, OUT_MAX);
	pthread_cond_init(&c->cond, NULL);
	pthread_mutex_init(&c->lock, NULL);
	c->tick_ns = horch_mono_ns();
	c->next_tick_ns = c->tick_ns + (int64_t)h->o.tick_ms * 1000000;
	pthread_mutex_lock(&h->lock);
	if (atomic_load(&h->stopping)) {
		pthread_mutex_unlock(&h->lock);
		http_error(rs, 503, "internal", "the server is shutting down");
		pthread_cond_destroy(&c->cond);
		pthread_mutex_destroy(&c->lock);
		buf_cleanup(&c->out);
		free(c->q);
		free(c->topics);
		free(c);
		return -1;
	}
	/* Registered before catching up: whatever is committed from now on
	 * is queued, and what was committed before is in the store. */
	{
		/* Under the list's lock, publishing waits: every post above
		 * published_id is queued to this stream. */
		int64_t published = atomic_load(&h->published_id);

		if (resume >= 0 && !c->no_posts) {
			/* Always from the store: a batch being published now
			 * may be above `published` and not queued here. */
			c->last_id = resume;
			c->catching_up = 1;
		} else {
			c->last_id = published;
		}
	}
	c->tick_published = atomic_load(&h->n_published);
	c->next = h->clients;
	if (h->clients)
		h->clients->prev = c;
	h->clients = c;
	atomic_fetch_add(&h->n_clients, 1);
	pthread_mutex_unlock(&h->lock);
	*out = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64u << 10, reader, c,
						 client_free);
	if (!*out) {
		client_free(c);
		http_error(rs, 500, "internal", "the stream could not be opened");
		return -1;
	}
	return 0;
}
