/* http_int.h - inside the HTTP server: the request and response every
 * handler of api_*.c gets, the route table, and the helpers they share.
 *
 * A handler is called once per request, on the connection's own thread,
 * after the server has checked the caller (rq->who), the role the route
 * needs and the CSRF token, and has read the whole body (at most
 * max_body bytes).  It fills rs: a status and a body (JSON unless
 * content_type says otherwise).  Errors are answered with http_error(),
 * which writes {"error":{"code":...,"message":...}}.
 *
 * Threads: any number of handlers run at once; each uses the store
 * connection of its request (http_store()), never another thread's. */
#ifndef HORCH_HTTP_INT_H
#define HORCH_HTTP_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"
#include "auth.h"
#include "http.h"

struct MHD_Connection;
struct store;
struct http_server;

struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method;       /* "GET", "POST", ... */
	const char *path;         /* the URL's path, without the query */
	int64_t id;               /* the {id} of the route's pattern, else 0 */
	const char *body;         /* the request body, NUL-terminated (also when empty) */
	size_t body_len;
	const char *content_type; /* the Content-Type header, or "" */
	const char *client;       /* the peer's address, for rate limits and logs */
	const char *session;      /* the session cookie's value, or NULL */
	struct auth_who who;      /* who is calling (role AUTH_NONE on a public route) */
	struct store *st;         /* the request's store connection (http_store()) */
};

struct http_resp {
	unsigned status;          /* 200 unless set */
	struct buf body;          /* capped at 64 MiB */
	const char *content_type; /* "application/json" unless set */
	char cookie[256];         /* a Set-Cookie value, or "" */
	int retry_after;          /* seconds for a Retry-After header, or 0 */
	const char *location;     /* a Location header (redirects), or NULL */
	const char *allow;        /* an Allow header (405), or NULL */
	int close;                /* 1: Connection: close (the body is not read) */
};

typedef void (*http_handler)(struct http_req *rq, struct http_resp *rs);

/* The store connection of this request (opened or taken from the pool on
 * first use).  NULL with a 503 answered in rs when the store cannot be
 * opened: the handler then returns. */
struct store *http_store(struct http_req *rq, struct http_resp *rs);

/* The auth state of the server (users, sessions, tokens). */
struct auth *http_auth(const struct http_server *s);

/* The pipeline that ingested posts go to. */
struct pipeline *http_pipeline(const struct http_server *s);

/* The API changed the alert rules: tell the signal engine. */
void http_rules_changed(struct http_server *s);
/* The rules in force as {"rules":[...]} into b; 0, or -1 when the server
 * does not know them (no engine). */
int http_rules_json(struct http_server *s, struct buf *b);
/* The origin of the rule in force called name (enum alert_origin), or -1. */
int http_rule_origin(struct http_server *s, const char *name);
/* Whether e-mail alerts can be sent. */
int http_smtp(const struct http_server *s);
/* 1 once the server is stopping: a handler that may take long (a source's
 * test) ends early. */
int http_stopping(const struct http_server *s);

/* Count n posts refused at ingest (not valid posts), for /metrics. */
void http_count_refused(struct http_server *s, size_t n);

/* Publish events on the server's bus (the streams get them). */
struct bus_event;
void http_publish(struct http_server *s, struct bus_event *const *events, size_t n);

/* Answer with status and {"error":{"code":code,"message":...}} (plus
 * "line" and "column" with http_error_at when line or col is > 0).  Any
 * body written before is replaced. */
void http_error(struct http_resp *rs, unsigned status, const char *code, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
void http_error_at(struct http_resp *rs, unsigned status, const char *code, long line,
		   long col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Answer err: its code picks the status (EPARSE/EINVAL 400, ETOOBIG 413,
 * ENOTFOUND 404, EDENIED 403, ELIMIT 429, EEXIST 409, others 500, logged). */
void http_error_err(struct http_resp *rs, const struct horch_err *err);

/* The query-string argument key, or NULL. */
const char *http_arg(const struct http_req *rq, const char *key);

/* Parse the argument key as a time (ISO 8601 or an age like "24h", "7d"
 * before now) into *out; HORCH_TIME_NONE when absent.  Returns 0, or -1
 * with a 400 answered in rs. */
int http_arg_time(const struct http_req *rq, const char *key, int64_t *out,
		  struct http_resp *rs);

/* Parse the argument key as a whole number within [min, max] into *out
 * (left as it is when absent).  Returns 0, or -1 with a 400 answered. */
int http_arg_int(const struct http_req *rq, const char *key, int64_t min, int64_t max,
		 int64_t *out, struct http_resp *rs);

/* Parse a comma-separated list of topic ids ("3,7") into ids (at most
 * max).  Returns the number, or -1 with a 400 answered. */
int http_arg_ids(const struct http_req *rq, const char *key, int64_t *ids, size_t max,
		 struct http_resp *rs);

/* The request body as a JSON object (jansson; the caller decrefs it), or
 * NULL with 400 answered (bad JSON with its line and column, or not an
 * object). */
typedef struct json_t json_t;
json_t *http_body_object(struct http_req *rq, struct http_resp *rs);

/* Member key of object o as a string into *out (NULL when absent or
 * null).  Returns 0, or -1 with 400 answered when it is another type. */
int http_member(json_t *o, const char *key, const char **out, struct http_resp *rs);

/* Append a JSON string / "key": to b. */
void http_json_str(struct buf *b, const char *s);
void http_json_time(struct buf *b, int64_t t); /* "2026-...Z", or null when unknown */

/* Append the API form of a stored post to b: the canonical post JSON with
 * "id" and "matches":[{"topic","topic_id","spans"}] from the n matches of
 * topics[i] with spans[i] (JSON text or NULL).  Topic names come from the
 * server's topic cache. */
void http_post_json(struct http_server *s, struct buf *b, const struct post *p,
		    const int64_t *topics, const char *const *spans, size_t n);

/* Stored matches gathered by store_post_matches(): match i is post[i]
 * matching topic[i] with spans[i] (copied, or NULL), by post then topic. */
struct http_matches {
	int64_t *post, *topic;
	char **spans;
	size_t n, cap_p, cap_t, cap_s;
};
/* The store_match_fn that appends to the struct http_matches ctx. */
int http_matches_add(void *ctx, int64_t post_id, int64_t topic_id, const char *spans);
void http_matches_cleanup(struct http_matches *m); /* zeroes m */

/* Add "matches" to the post object that b holds from offset start on
 * (post_to_json()'s output), as http_post_json() does. */
void http_add_matches(struct http_server *s, struct buf *b, size_t start,
		      const int64_t *topics, const char *const *spans, size_t n);

/* The name and colour of topic id (copied into name/color; "" when
 * unknown or none).  Returns 1 when the topic exists. */
int http_topic_info(struct http_server *s, int64_t id, char *name, size_t name_size,
		    char *color, size_t color_size);
/* Forget the cached topic names (a topic was saved or deleted). */
void http_topics_changed(struct http_server *s);

/* Mark this thread as the pipeline's writer: it never waits for a reload
 * of the topic cache (http_on_commit() does it). */
void http_mark_writer(void);

/* ---- the endpoints (api_*.c) ---- */

/* api_posts.c */
void api_posts(struct http_req *rq, struct http_resp *rs);
void api_ingest(struct http_req *rq, struct http_resp *rs);
/* api_topics.c */
void api_topics_list(struct http_req *rq, struct http_resp *rs);
void api_topics_get(struct http_req *rq, struct http_resp *rs);
void api_topics_create(struct http_req *rq, struct http_resp *rs);
void api_topics_update(struct http_req *rq, struct http_resp *rs);
void api_topics_delete(struct http_req *rq, struct http_resp *rs);
void api_topics_backtest(struct http_req *rq, struct http_resp *rs);
void api_backtest(struct http_req *rq, struct http_resp *rs);
void api_lint(struct http_req *rq, struct http_resp *rs);
/* api_metrics.c */
void api_metrics(struct http_req *rq, struct http_resp *rs);
void api_authors_top(struct http_req *rq, struct http_resp *rs);
void api_terms_trending(struct http_req *rq, struct http_resp *rs);
/* api_alerts.c: alerts, alert rules, answers, ratings. */
void api_alerts_list(struct http_req *rq, struct http_resp *rs);
void api_alerts_get(struct http_req *rq, struct http_resp *rs);
void api_alerts_ack(struct http_req *rq, struct http_resp *rs);
void api_alerts_resolve(struct http_req *rq, struct http_resp *rs);
void api_rules_list(struct http_req *rq, struct http_resp *rs);
void api_rules_put(struct http_req *rq, struct http_resp *rs);
void api_rules_delete(struct http_req *rq, struct http_resp *rs);
void api_posts_answered(struct http_req *rq, struct http_resp *rs);
void api_answers(struct http_req *rq, struct http_resp *rs);
void api_ratings(struct http_req *rq, struct http_resp *rs);
/* api_launches.c: launches and their scorecards. */
void api_launches_list(struct http_req *rq, struct http_resp *rs);
void api_launches_create(struct http_req *rq, struct http_resp *rs);
void api_launches_get(struct http_req *rq, struct http_resp *rs);
void api_launches_delete(struct http_req *rq, struct http_resp *rs);
/* api_sources.c: the live sources, their health, and a test fetch. */
void api_sources_list(struct http_req *rq, struct http_resp *rs);
void api_sources_kinds(struct http_req *rq, struct http_resp *rs);
void api_sources_get(struct http_req *rq, struct http_resp *rs);
void api_sources_create(struct http_req *rq, struct http_resp *rs);
void api_sources_update(struct http_req *rq, struct http_resp *rs);
void api_sources_delete(struct http_req *rq, struct http_resp *rs);
void api_sources_test(struct http_req *rq, struct http_resp *rs);
void api_sources_try(struct http_req *rq, struct http_resp *rs);
/* api_auth.c */
void api_login(struct http_req *rq, struct http_resp *rs);
void api_logout(struct http_req *rq, struct http_resp *rs);
void api_me(struct http_req *rq, struct http_resp *rs);
void api_me_password(struct http_req *rq, struct http_resp *rs);
void api_sub_put(struct http_req *rq, struct http_resp *rs);
void api_sub_delete(struct http_req *rq, struct http_resp *rs);

/* A session cookie for value id (expires_at ms UTC) into rs->cookie; an
 * empty id clears the cookie. */
void http_set_session_cookie(struct http_server *s, struct http_resp *rs, const char *id,
			     int64_t expires_at);

#endif
