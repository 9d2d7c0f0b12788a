/* http.h - the HTTP server of `horch serve`: the JSON API, the live
 * stream (Server-Sent Events) and the dashboard, on libmicrohttpd.
 *
 *   clients ──HTTP──► router ──► api_*.c ──► store (a pool of connections)
 *                       │            └─ POST /api/ingest ──► pipeline
 *                       └─ /api/stream ◄── sse hub ◄── bus ◄── writer
 *
 * One thread per connection (libmicrohttpd's thread-per-connection mode):
 * an ingest call waits for the commit of its posts, and a stream waits for
 * events, each on its own thread, without callbacks to resume.  Every
 * /api/ call but POST /api/login needs a session cookie or an API token
 * (src/http/auth.h); state-changing calls with a cookie need the session's
 * CSRF token.  Every response carries a strict Content-Security-Policy.
 * docs/http-api.md documents every endpoint.
 *
 * Threads: http_start(), http_stop() and http_free() from one thread;
 * http_on_commit() from the pipeline's writer thread. */
#ifndef HORCH_HTTP_H
#define HORCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

struct auth;
struct bus;
struct pipeline;
struct pipeline_batch;

struct http_opts {
	const char *listen;       /* "ADDR:PORT"; port 0 picks a free one; default 127.0.0.1:8080 */
	const char *db;           /* the store URI the request connections open */
	size_t max_body;          /* bytes of a request body; 0: 16 MiB */
	size_t max_connections;   /* connections at once; 0: 4096 */
	size_t stream_queue;      /* events a stream may fall behind before it is
				   * dropped (it then resumes from the store); 0: 4096 */
	int tick_ms;              /* between tick events of a stream; 0: 5000 */
	int cookie_secure;        /* 1: cookies are marked Secure (TLS in front) */
	struct pipeline *pl;      /* where POST /api/ingest sends posts */
	struct bus *bus;          /* committed posts to stream */
	struct auth *auth;        /* users, sessions, tokens */
	/* Called (on a request's thread) after the API changed the alert
	 * rules, so that the signal engine reads them again; may be NULL. */
	void (*on_rules)(void *ctx);
	/* Append the alert rules in force as {"rules":[...]} to b (NULL: the
	 * API lists the rules of the database only). */
	void (*rules_json)(void *ctx, struct buf *b);
	/* The origin (enum alert_origin) of the rule in force called name, or
	 * -1; NULL: none known. */
	int (*rule_origin)(void *ctx, const char *name);
	int smtp;                 /* 1: e-mail alerts can be sent ([smtp] url is set) */
	void *ctx;
};

struct http_server;

/* Listen and serve.  Returns 0 and sets *out, or HORCH_EINVAL (a bad
 * listen address) or HORCH_EIO (the port is taken, no threads). */
int http_start(struct http_server **out, const struct http_opts *o, struct horch_err *err);

/* The port listened on (the one picked when 0 was asked). */
unsigned http_port(const struct http_server *s);

/* Tell the ingest calls waiting for the posts of batch b that they are
 * committed (call from the pipeline's commit callback).  NULL-safe. */
void http_on_commit(struct http_server *s, const struct pipeline_batch *b);

/* Tell the ingest calls waiting for the post tagged tag that it was
 * refused with message msg (from the pipeline's reject callback). */
void http_on_reject(struct http_server *s, uint64_t tag, const char *msg);

/* Stop accepting, end every stream, wait for the calls in progress to be
 * answered (an ingest call's posts are committed by the pipeline, which
 * must still run), then close every connection.  The server stays valid
 * for http_on_commit() until http_free().  NULL-safe; once. */
void http_stop(struct http_server *s);

/* Free the server (http_stop() first if needed), after the pipeline has
 * finished.  NULL-safe. */
void http_free(struct http_server *s);

#endif
