/* sse.h - the live stream of `horch serve`: GET /api/stream as
 * Server-Sent Events.
 *
 *   writer ──bus──► sse_hub_publish() ──► each stream's bounded queue
 *                                             │
 *                        the stream's thread ◄┘ (waits; writes events)
 *
 * Each stream has a queue of at most queue_max events; publishing never
 * waits for a stream.  A stream whose queue is full is dropped: its
 * connection is closed, and the browser's EventSource reconnects with
 * Last-Event-ID and gets what it missed from the store.  Every event has an
 * id (the post's row id; a tick carries the id up to which the stream has
 * had everything), so a resumed stream loses nothing and repeats nothing.
 *
 * Threads: sse_hub_publish() from the bus (the writer thread); each
 * stream's callbacks on its connection's thread; the rest from the
 * server's thread. */
#ifndef HORCH_SSE_H
#define HORCH_SSE_H

#include <stddef.h>
#include <stdint.h>

#include "../bus/bus.h"

struct MHD_Response;
struct http_req;
struct http_resp;
struct http_server;

struct sse_opts {
	size_t queue_max;  /* events a stream may fall behind */
	int tick_ms;       /* between tick events */
	const char *db;    /* the store a resumed stream reads what it missed from */
};

struct sse_stats {
	uint64_t clients;  /* streams connected now */
	uint64_t dropped;  /* streams dropped for falling behind, ever */
	uint64_t events;   /* events queued to streams, ever */
};

struct sse_hub;

struct sse_hub *sse_hub_new(struct http_server *srv, const struct sse_opts *o);
void sse_hub_free(struct sse_hub *h); /* NULL-safe; after sse_hub_stop() and the streams' end */

/* The bus subscriber (bus_fn): queue each event on the streams that want it. */
void sse_hub_publish(void *hub, struct bus_event *const *events, size_t n);

/* Open a stream for the request rq (?topics=ID,ID; the Last-Event-ID
 * header or ?last_event_id=N to resume).  Returns 0 with *out a response
 * to queue, or -1 with the error answered in rs. */
int sse_open(struct sse_hub *h, struct http_req *rq, struct http_resp *rs,
	     struct MHD_Response **out);

void sse_hub_stats(struct sse_hub *h, struct sse_stats *out);

/* End every stream (at shutdown); new ones are refused. */
void sse_hub_stop(struct sse_hub *h);

#endif
