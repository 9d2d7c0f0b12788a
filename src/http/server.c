/* server.c - the HTTP server of `horch serve` (http.h): the listening
 * socket, libmicrohttpd in thread-per-connection mode, the route table,
 * the check of who calls (session cookie or API token, role, CSRF), the
 * headers every response carries, the dashboard's files, /healthz and the
 * Prometheus /metrics.
 *
 * A request's body is read whole (up to max_body; a bigger one is
 * answered 413 as soon as its Content-Length or its bytes say so), then
 * its handler runs on the connection's thread.  Each request borrows a
 * store connection from a pool and gives it back when it ends. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../bus/bus.h"
#include "../cli/cli.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/embedded.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../pipeline/pipeline.h"
#include "../store/store.h"
#include "http_int.h"
#include "sse.h"

/* The dashboard's files (web/, compiled in by scripts/embed). */
extern const struct embedded_file http__assets[];
extern const size_t http__assets_n;

#define POOL_MAX 32            /* idle store connections kept */
#define SMALL_BODY_MAX (1u << 20) /* bytes of a body but ingest's (topics, login) */
#define STOP_WAIT_S 60         /* longest http_stop() waits for calls in progress */
#define RESP_MAX (64u << 20)   /* bytes of a response body */
#define COOKIE_NAME "horch_session"

static const char CSP[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
	"frame-ancestors 'none'";

struct topic_info {
	int64_t id;
	char *name;
	char *color;
};

struct http_server {
	struct http_opts o;
	struct MHD_Daemon *d;
	int fd;                    /* the listening socket */
	unsigned port;
	struct sse_hub *hub;

	pthread_mutex_t pool_lock; /* the idle store connections */
	struct store *pool[POOL_MAX];
	size_t n_pool;

	pthread_rwlock_t topics_lock; /* the topic cache: names and colours by id */
	struct topic_info *topics;
	size_t n_topics, cap_topics;
	pthread_mutex_t reload_lock;  /* one reload of the cache at a time */
	atomic_int topics_stale;      /* a topic was saved here: reload */
	_Atomic int64_t topics_loaded_ns;

	atomic_uint_least64_t n_requests, n_errors_5xx, n_refused;
	atomic_int n_active;       /* requests from their headers to their end */
	atomic_int stopping;       /* http_stop() runs: new requests are refused */
	int stopped;               /* http_stop() has run */
	int64_t started_ns;
};

/* What a connection keeps between libmicrohttpd's calls of one request. */
struct conn {
	struct buf body;
	size_t cap;                /* bytes of body this route takes */
	int too_big;
	int answered;
	const struct route *route; /* an API request's route, admitted */
	int counted;               /* in n_active until on_completed() */
	int64_t id;                /* its {id} */
	struct auth_who who;       /* who calls */
	char client[INET6_ADDRSTRLEN + 8];
	char session[128];
};

struct route;

/* ---- responses ---- */

static void put_error(struct http_resp *rs, unsigned status, const char *code, long line,
		      long col, const char *fmt, va_list ap)
{
	char msg[600];

	vsnprintf(msg, sizeof msg, fmt, ap);
	rs->status = status;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	buf_puts(&rs->body, "{\"error\":{\"code\":");
	http_json_str(&rs->body, code);
	buf_puts(&rs->body, ",\"message\":");
	http_json_str(&rs->body, msg);
	if (line > 0)
		buf_printf(&rs->body, ",\"line\":%ld", line);
	if (col > 0)
		buf_printf(&rs->body, ",\"column\":%ld", col);
	buf_puts(&rs->body, "}}");
}

void http_error(struct http_resp *rs, unsigned status, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_error(rs, status, code, 0, 0, fmt, ap);
	va_end(ap);
}

void http_error_at(struct http_resp *rs, unsigned status, const char *code, long line,
		   long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_error(rs, status, code, line, col, fmt, ap);
	va_end(ap);
}

void http_error_err(struct http_resp *rs, const struct horch_err *err)
{
	switch (err->code) {
	case HORCH_EPARSE:
		http_error_at(rs, 400, "parse", err->line, err->col, "%s", err->msg);
		break;
	case HORCH_EINVAL:
		http_error_at(rs, 400, "bad_request", err->line, err->col, "%s", err->msg);
		break;
	case HORCH_ETOOBIG:
		http_error(rs, 413, "too_big", "%s", err->msg);
		break;
	case HORCH_ENOTFOUND:
		http_error(rs, 404, "not_found", "%s", err->msg);
		break;
	case HORCH_EDENIED:
		http_error(rs, 403, "forbidden", "%s", err->msg);
		break;
	case HORCH_ELIMIT:
		http_error(rs, 429, "rate_limited", "%s", err->msg);
		break;
	case HORCH_EEXIST:
		http_error(rs, 409, "conflict", "%s", err->msg);
		break;
	default:
		horch_log(LOG_ERROR, "http", "error=\"%s\"", err->msg);
		http_error(rs, 500, "internal", "%s", err->msg);
		break;
	}
}

void http_json_str(struct buf *b, const char *s)
{
	json_put_string(b, s ? s : "");
}

void http_json_time(struct buf *b, int64_t t)
{
	char tb[HORCH_TIME_BUFSZ];

	if (t == HORCH_TIME_NONE) {
		buf_puts(b, "null");
		return;
	}
	buf_printf(b, "\"%s\"", horch_time_format(t, tb));
}

/* ---- bodies ---- */

json_t *http_body_object(struct http_req *rq, struct http_resp *rs)
{
	json_error_t jerr;
	json_t *root = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);

	if (!root) {
		http_error_at(rs, 400, "parse", jerr.line, jerr.column, "bad JSON: %s", jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		http_error(rs, 400, "bad_request", "expected a JSON object");
		return NULL;
	}
	return root;
}

int http_member(json_t *o, const char *key, const char **out, struct http_resp *rs)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		http_error(rs, 400, "bad_request", "\"%s\" must be a string", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* ---- arguments ---- */

const char *http_arg(const struct http_req *rq, const char *key)
{
	const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}

int http_arg_time(const struct http_req *rq, const char *key, int64_t *out,
		  struct http_resp *rs)
{
	const char *v = http_arg(rq, key);
	struct horch_err err;

	*out = HORCH_TIME_NONE;
	if (!v)
		return 0;
	horch_err_clear(&err);
	if (horch_time_parse_relative(v, horch_now(), out, &err) != 0 &&
	    horch_time_parse(v, strlen(v), out, &err) != 0) {
		http_error(rs, 400, "bad_request",
			   "%s: \"%.64s\" is neither a time (2026-11-22T10:00:00Z) nor an age "
			   "(30m, 24h, 7d)", key, v);
		return -1;
	}
	return 0;
}

int http_arg_int(const struct http_req *rq, const char *key, int64_t min, int64_t max,
		 int64_t *out, struct http_resp *rs)
{
	const char *v = http_arg(rq, key);
	char *end;
	long long n;

	if (!v)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || end == v || n < min || n > max) {
		http_error(rs, 400, "bad_request", "%s: \"%.64s\" is not a number from %lld to %lld",
			   key, v, (long long)min, (long long)max);
		return -1;
	}
	*out = n;
	return 0;
}

int http_arg_ids(const struct http_req *rq, const char *key, int64_t *ids, size_t max,
		 struct http_resp *rs)
{
	const char *v = http_arg(rq, key), *p;
	size_t n = 0;

	if (!v)
		return 0;
	for (p = v; *p;) {
		char *end;
		long long id;

		errno = 0;
		id = strtoll(p, &end, 10);
		if (errno || end == p || id <= 0 || (*end && *end != ',')) {
			http_error(rs, 400, "bad_request",
				   "%s: \"%.64s\" is not a list of topic ids (3,7)", key, v);
			return -1;
		}
		if (n == max) {
			http_error(rs, 400, "bad_request", "%s: more than %zu topics", key, max);
			return -1;
		}
		ids[n++] = id;
		p = *end ? end + 1 : end;
	}
	return (int)n;
}

/* ---- the store pool ---- */

static int open_store(struct http_server *s, struct store **out, struct horch_err *err)
{
	struct store_opts so = { .topic_refs = cli_topic_refs };

	return store_open(out, s->o.db, &so, err);
}

struct store *http_store(struct http_req *rq, struct http_resp *rs)
{
	struct http_server *s = rq->srv;
	struct horch_err err;

	if (rq->st)
		return rq->st;
	pthread_mutex_lock(&s->pool_lock);
	if (s->n_pool)
		rq->st = s->pool[--s->n_pool];
	pthread_mutex_unlock(&s->pool_lock);
	if (rq->st)
		return rq->st;
	horch_err_clear(&err);
	if (open_store(s, &rq->st, &err) != 0) {
		horch_log(LOG_ERROR, "http", "store=\"%s\" error=\"%s\"", s->o.db, err.msg);
		http_error(rs, 503, "internal", "the database cannot be opened: %s", err.msg);
		return NULL;
	}
	return rq->st;
}

static void give_back(struct http_server *s, struct store *st)
{
	if (!st)
		return;
	pthread_mutex_lock(&s->pool_lock);
	if (s->n_pool < POOL_MAX) {
		s->pool[s->n_pool++] = st;
		st = NULL;
	}
	pthread_mutex_unlock(&s->pool_lock);
	store_close(st);
}

struct auth *http_auth(const struct http_server *s)
{
	return s->o.auth;
}

void http_count_refused(struct http_server *s, size_t n)
{
	if (n)
		atomic_fetch_add(&s->n_refused, n);
}

struct pipeline *http_pipeline(const struct http_server *s)
{
	return s->o.pl;
}

void http_rules_changed(struct http_server *s)
{
	if (s->o.on_rules)
		s->o.on_rules(s->o.ctx);
}

int http_rules_json(struct http_server *s, struct buf *b)
{
	if (!s->o.rules_json)
		return -1;
	s->o.rules_json(s->o.ctx, b);
	return 0;
}

int http_smtp(const struct http_server *s)
{
	return s->o.smtp;
}

int http_stopping(const struct http_server *s)
{
	return atomic_load(&s->stopping);
}

int http_rule_origin(struct http_server *s, const char *name)
{
	return s->o.rule_origin ? s->o.rule_origin(s->o.ctx, name) : -1;
}

void http_publish(struct http_server *s, struct bus_event *const *events, size_t n)
{
	if (s->o.bus)
		bus_publish(s->o.bus, events, n);
	else
		sse_hub_publish(s->hub, events, n);
}

/* ---- the topic cache ---- */

/* A table of topics being built: appended to, then sorted by id. */
struct topic_table {
	struct topic_info *v;
	size_t n, cap;
};

static int cache_topic(void *ctx, const struct store_topic *t)
{
	struct topic_table *tt = ctx;

	tt->v = horch_xgrow(tt->v, &tt->cap, tt->n + 1, sizeof *tt->v);
	tt->v[tt->n].id = t->id;
	tt->v[tt->n].name = horch_xstrdup(t->name);
	tt->v[tt->n].color = horch_xstrdup(t->color ? t->color : "");
	tt->n++;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct topic_info *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void free_table(struct topic_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].color);
	}
	free(v);
}

static void clear_topics(struct http_server *s)
{
	free_table(s->topics, s->n_topics);
	s->topics = NULL;
	s->n_topics = s->cap_topics = 0;
}

/* Set on the writer's thread: it never waits for a reload of the cache. */
static _Thread_local int on_writer;

/* Read the topics from the store into a new table, without the cache's
 * lock, and swap it in.  One reload at a time: a caller that must not wait
 * (the writer) goes on with the table as it is when another reload runs. */
static void reload_topics(struct http_server *s)
{
	struct topic_table tt = { 0 };
	struct store *st = NULL;
	struct horch_err err;
	struct topic_info *old;
	size_t n_old;

	int64_t seen = atomic_load(&s->topics_loaded_ns);

	if (on_writer ? pthread_mutex_trylock(&s->reload_lock) != 0
		      : pthread_mutex_lock(&s->reload_lock) != 0)
		return;
	if (!atomic_load(&s->topics_stale) && atomic_load(&s->topics_loaded_ns) != seen) {
		/* Reloaded by another caller while this one waited. */
		pthread_mutex_unlock(&s->reload_lock);
		return;
	}
	horch_err_clear(&err);
	s->topics_loaded_ns = horch_mono_ns(); /* (under reload_lock) */
	atomic_store(&s->topics_stale, 0);
	if (open_store(s, &st, &err) != 0 || store_topic_list(st, cache_topic, &tt, &err) != 0) {
		horch_log(LOG_ERROR, "http", "topics error=\"%s\"", err.msg);
		atomic_store(&s->topics_stale, 1);
	}
	store_close(st);
	if (tt.n)
		qsort(tt.v, tt.n, sizeof *tt.v, by_id);
	pthread_rwlock_wrlock(&s->topics_lock);
	old = s->topics;
	n_old = s->n_topics;
	s->topics = tt.v;
	s->n_topics = tt.n;
	s->cap_topics = tt.cap;
	pthread_rwlock_unlock(&s->topics_lock);
	free_table(old, n_old);
	pthread_mutex_unlock(&s->reload_lock);
}

void http_mark_writer(void)
{
	on_writer = 1;
}

static const struct topic_info *find_topic(const struct http_server *s, int64_t id)
{
	struct topic_info key = { .id = id };

	return s->n_topics ? bsearch(&key, s->topics, s->n_topics, sizeof key, by_id) : NULL;
}

/* Copy what the cache has of id; returns 1 when it has it. */
static int lookup_topic(struct http_server *s, int64_t id, char *name, size_t name_size,
			char *color, size_t color_size)
{
	const struct topic_info *t;
	int found;

	pthread_rwlock_rdlock(&s->topics_lock);
	t = find_topic(s, id);
	found = t != NULL;
	if (name_size)
		snprintf(name, name_size, "%s", t ? t->name : "");
	if (color_size)
		snprintf(color, color_size, "%s", t ? t->color : "");
	pthread_rwlock_unlock(&s->topics_lock);
	return found;
}

int http_topic_info(struct http_server *s, int64_t id, char *name, size_t name_size,
		    char *color, size_t color_size)
{
	int found = lookup_topic(s, id, name, name_size, color, color_size);

	/* Reloaded when a topic was saved here (stale), or for an id it does
	 * not have (a topic saved by another process) at most once a second,
	 * so that ids of deleted topics, or made up by a caller, cost nothing. */
	if (atomic_load(&s->topics_stale) ||
	    (!found && horch_mono_ns() - s->topics_loaded_ns > 1000000000)) {
		reload_topics(s);
		found = lookup_topic(s, id, name, name_size, color, color_size);
	}
	return found;
}

void http_topics_changed(struct http_server *s)
{
	atomic_store(&s->topics_stale, 1);
}

void http_post_json(struct http_server *s, struct buf *b, const struct post *p,
		    const int64_t *topics, const char *const *spans, size_t n)
{
	size_t start = b->len;

	post_to_json(p, b);
	http_add_matches(s, b, start, topics, spans, n);
}

void http_add_matches(struct http_server *s, struct buf *b, size_t start,
		      const int64_t *topics, const char *const *spans, size_t n)
{
	/* The post is one object: reopen it for the matches. */
	if (b->len <= start || b->ptr[b->len - 1] != '}')
		return;
	b->len--;
	buf_puts(b, ",\"matches\":[");
	for (size_t i = 0; i < n; i++) {
		char name[STORE_TOPIC_NAME_MAX + 1];

		http_topic_info(s, topics[i], name, sizeof name, NULL, 0);
		buf_puts(b, i ? ",{\"topic\":" : "{\"topic\":");
		http_json_str(b, name);
		buf_printf(b, ",\"topic_id\":%lld,\"spans\":%s}", (long long)topics[i],
			   spans && spans[i] && *spans[i] ? spans[i] : "[]");
	}
	buf_puts(b, "]}");
}

int http_matches_add(void *ctx, int64_t post_id, int64_t topic_id, const char *spans)
{
	struct http_matches *m = ctx;

	m->post = horch_xgrow(m->post, &m->cap_p, m->n + 1, sizeof *m->post);
	m->topic = horch_xgrow(m->topic, &m->cap_t, m->n + 1, sizeof *m->topic);
	m->spans = horch_xgrow(m->spans, &m->cap_s, m->n + 1, sizeof *m->spans);
	m->post[m->n] = post_id;
	m->topic[m->n] = topic_id;
	m->spans[m->n] = horch_xstrdup(spans);
	m->n++;
	return 0;
}

void http_matches_cleanup(struct http_matches *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->spans[i]);
	free(m->post);
	free(m->topic);
	free(m->spans);
	memset(m, 0, sizeof *m);
}

/* ---- routes ---- */

enum route_flags {
	ROUTE_PUBLIC = 1,     /* no caller needed */
	ROUTE_FIRST_RUN = 2,  /* allowed while the password must be changed */
	ROUTE_STREAM = 4,     /* the live stream (sse.c), not a handler */
};

struct route {
	const char *method;
	const char *pattern;  /* "{}" stands for one path segment, a positive id;
			       * "{name}" for one path segment of any text */
	enum auth_role role;  /* the weakest role allowed */
	unsigned flags;
	http_handler fn;      /* NULL for ROUTE_STREAM */
};

static const struct route routes[] = {
	{ "POST", "/api/login", AUTH_NONE, ROUTE_PUBLIC, api_login },
	{ "POST", "/api/logout", AUTH_VIEWER, ROUTE_FIRST_RUN, api_logout },
	{ "GET", "/api/me", AUTH_VIEWER, ROUTE_FIRST_RUN, api_me },
	{ "POST", "/api/me/password", AUTH_VIEWER, ROUTE_FIRST_RUN, api_me_password },
	{ "PUT", "/api/me/subscriptions/{}", AUTH_AGENT, 0, api_sub_put },
	{ "DELETE", "/api/me/subscriptions/{}", AUTH_AGENT, 0, api_sub_delete },
	{ "GET", "/api/posts", AUTH_VIEWER, 0, api_posts },
	{ "POST", "/api/ingest", AUTH_ANALYST, 0, api_ingest },
	{ "GET", "/api/topics", AUTH_VIEWER, 0, api_topics_list },
	{ "POST", "/api/topics", AUTH_ANALYST, 0, api_topics_create },
	{ "GET", "/api/topics/{}", AUTH_VIEWER, 0, api_topics_get },
	{ "PUT", "/api/topics/{}", AUTH_ANALYST, 0, api_topics_update },
	{ "DELETE", "/api/topics/{}", AUTH_ANALYST, 0, api_topics_delete },
	{ "GET", "/api/topics/{}/backtest", AUTH_VIEWER, 0, api_topics_backtest },
	{ "POST", "/api/backtest", AUTH_VIEWER, 0, api_backtest },
	{ "POST", "/api/lint", AUTH_VIEWER, 0, api_lint },
	{ "GET", "/api/metrics", AUTH_VIEWER, 0, api_metrics },
	{ "GET", "/api/authors/top", AUTH_VIEWER, 0, api_authors_top },
	{ "GET", "/api/terms/trending", AUTH_VIEWER, 0, api_terms_trending },
	{ "GET", "/api/alerts", AUTH_VIEWER, 0, api_alerts_list },
	{ "GET", "/api/alerts/{}", AUTH_VIEWER, 0, api_alerts_get },
	{ "POST", "/api/alerts/{}/ack", AUTH_AGENT, 0, api_alerts_ack },
	{ "POST", "/api/alerts/{}/resolve", AUTH_AGENT, 0, api_alerts_resolve },
	{ "GET", "/api/alert-rules", AUTH_VIEWER, 0, api_rules_list },
	{ "POST", "/api/alert-rules", AUTH_ANALYST, 0, api_rules_put },
	{ "DELETE", "/api/alert-rules", AUTH_ANALYST, 0, api_rules_delete },
	{ "POST", "/api/posts/{}/answered", AUTH_AGENT, 0, api_posts_answered },
	{ "GET", "/api/answers", AUTH_VIEWER, 0, api_answers },
	{ "GET", "/api/ratings", AUTH_VIEWER, 0, api_ratings },
	{ "GET", "/api/launches", AUTH_VIEWER, 0, api_launches_list },
	{ "POST", "/api/launches", AUTH_ANALYST, 0, api_launches_create },
	{ "GET", "/api/launches/{}", AUTH_VIEWER, 0, api_launches_get },
	{ "DELETE", "/api/launches/{}", AUTH_ANALYST, 0, api_launches_delete },
	{ "GET", "/api/sources", AUTH_VIEWER, 0, api_sources_list },
	{ "POST", "/api/sources", AUTH_ADMIN, 0, api_sources_create },
	{ "GET", "/api/sources/kinds", AUTH_VIEWER, 0, api_sources_kinds },
	{ "POST", "/api/sources/test", AUTH_ADMIN, 0, api_sources_try },
	{ "GET", "/api/sources/{name}", AUTH_VIEWER, 0, api_sources_get },
	{ "PATCH", "/api/sources/{name}", AUTH_ADMIN, 0, api_sources_update },
	{ "DELETE", "/api/sources/{name}", AUTH_ADMIN, 0, api_sources_delete },
	{ "POST", "/api/sources/{name}/test", AUTH_ADMIN, 0, api_sources_test },
	{ "GET", "/api/stream", AUTH_VIEWER, ROUTE_STREAM, NULL },
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

/* Does path fit pattern?  Sets *id for its "{}". */
static int fits(const char *pattern, const char *path, int64_t *id)
{
	while (*pattern && *path) {
		if (strncmp(pattern, "{name}", 6) == 0) {
			size_t len = strcspn(path, "/");

			if (!len)
				return 0;
			path += len;
			pattern += 6;
			continue;
		}
		if (pattern[0] == '{' && pattern[1] == '}') {
			char *end;
			long long v;

			if (*path < '1' || *path > '9')
				return 0;
			errno = 0;
			v = strtoll(path, &end, 10);
			if (errno || (*end && *end != '/'))
				return 0;
			*id = v;
			path = end;
			pattern += 2;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return !*pattern && (!*path || (path[0] == '/' && !path[1]));
}

/* The route for method and path, or NULL with *path_known set when only
 * the method is wrong. */
static const struct route *find_route(const char *method, const char *path, int64_t *id,
				      int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < N_ROUTES; i++) {
		int64_t v = 0;

		if (!fits(routes[i].pattern, path, &v))
			continue;
		*path_known = 1;
		if (strcmp(routes[i].method, method) == 0) {
			*id = v;
			return &routes[i];
		}
	}
	return NULL;
}

/* The methods path allows, "GET, POST", into out. */
static void allowed_methods(const char *path, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < N_ROUTES; i++) {
		int64_t v = 0;

		if (fits(routes[i].pattern, path, &v) && len < size)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "",
						routes[i].method);
	}
}

/* ---- the caller ---- */

/* The value of cookie name in the Cookie header, copied into out; NULL
 * when absent. */
static const char *cookie(struct MHD_Connection *c, const char *name, char *out, size_t size)
{
	const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, name);

	if (!v || !*v || strlen(v) >= size)
		return NULL;
	memcpy(out, v, strlen(v) + 1);
	return out;
}

/* Who calls: fills rq->who.  Returns 0, or answers 401 in rs and returns
 * -1. */
static int identify(struct http_req *rq, struct http_resp *rs)
{
	const char *authz = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
							MHD_HTTP_HEADER_AUTHORIZATION);
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)))
		return -1;
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *tok = authz + 7;

		while (*tok == ' ')
			tok++;
		if (auth_token_check(rq->srv->o.auth, st, tok, &rq->who, &err) == 0)
			return 0;
		http_error(rs, 401, "unauthorized", "the API token is not valid (revoked, or mistyped)");
		return -1;
	}
	if (rq->session && auth_session_check(rq->srv->o.auth, st, rq->session, &rq->who,
					      &err) == 0)
		return 0;
	if (rq->session) {
		/* A stale cookie: clear it so the browser stops sending it. */
		http_set_session_cookie(rq->srv, rs, "", 0);
		http_error(rs, 401, "unauthorized", "the session has ended: sign in again");
		return -1;
	}
	http_error(rs, 401, "unauthorized",
		   "sign in (POST /api/login) or send an API token (Authorization: Bearer)");
	return -1;
}

void http_set_session_cookie(struct http_server *s, struct http_resp *rs, const char *id,
			     int64_t expires_at)
{
	int64_t max_age = *id ? (expires_at - horch_now()) / 1000 : 0;

	if (max_age < 0)
		max_age = 0;
	snprintf(rs->cookie, sizeof rs->cookie,
		 COOKIE_NAME "=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s", id,
		 (long long)max_age, s->o.cookie_secure ? "; Secure" : "");
}

/* ---- the dashboard's files ---- */

static const char *mime(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".json", "application/json" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static const struct embedded_file *asset(const char *name)
{
	for (size_t i = 0; i < http__assets_n; i++)
		if (strcmp(http__assets[i].name, name) == 0)
			return &http__assets[i];
	return NULL;
}

/* ---- operators ---- */

static void prometheus(struct http_server *s, struct http_resp *rs)
{
	struct pipeline_stats ps = { 0 };
	struct sse_stats ss = { 0 };
	struct buf *b = &rs->body;
	uint64_t queued;

	if (s->o.pl)
		pipeline_stats(s->o.pl, &ps);
	sse_hub_stats(s->hub, &ss);
	queued = ps.n_in - ps.n_new - ps.n_dup - ps.n_rejected - ps.n_dropped;
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
#define METRIC(name, type, help, fmt, v) \
	buf_printf(b, "# HELP " name " " help "\n# TYPE " name " " type "\n" name " " fmt "\n", v)
	METRIC("horch_ingest_posts_total", "counter", "Posts received for ingest.", "%llu",
	       (unsigned long long)ps.n_in);
	METRIC("horch_stored_posts_total", "counter", "Posts stored (new).", "%llu",
	       (unsigned long long)ps.n_new);
	METRIC("horch_duplicate_posts_total", "counter",
	       "Posts not stored because they were stored before.", "%llu",
	       (unsigned long long)ps.n_dup);
	METRIC("horch_rejected_posts_total", "counter", "Posts refused by a stage.", "%llu",
	       (unsigned long long)ps.n_rejected);
	METRIC("horch_ingest_refused_total", "counter",
	       "Posts of ingest calls refused before the pipeline (not valid posts).", "%llu",
	       (unsigned long long)atomic_load(&s->n_refused));
	METRIC("horch_spam_posts_total", "counter", "New posts marked spam.", "%llu",
	       (unsigned long long)ps.n_spam);
	METRIC("horch_matches_total", "counter", "Topic matches stored.", "%llu",
	       (unsigned long long)ps.n_matches);
	METRIC("horch_queue_depth", "gauge", "Posts received and not yet committed.", "%llu",
	       (unsigned long long)queued);
	METRIC("horch_analyse_seconds_total", "counter",
	       "Time the workers spent analysing and matching posts.", "%.6f",
	       (double)ps.analyse_ns / 1e9);
	buf_printf(b, "# HELP horch_commit_seconds Time of the writer's transactions.\n"
		   "# TYPE horch_commit_seconds summary\n"
		   "horch_commit_seconds_sum %.6f\nhorch_commit_seconds_count %llu\n",
		   (double)ps.commit_ns / 1e9, (unsigned long long)ps.n_batches);
	METRIC("horch_commit_seconds_max", "gauge", "The longest transaction so far.", "%.6f",
	       (double)ps.commit_max_ns / 1e9);
	METRIC("horch_topic_reloads_total", "counter",
	       "Matchers rebuilt because the topics changed.", "%llu",
	       (unsigned long long)ps.n_reloads);
	METRIC("horch_sse_clients", "gauge", "Live streams connected.", "%llu",
	       (unsigned long long)ss.clients);
	METRIC("horch_sse_dropped_total", "counter",
	       "Streams dropped because they fell too far behind.", "%llu",
	       (unsigned long long)ss.dropped);
	METRIC("horch_sse_events_total", "counter", "Events queued to streams.", "%llu",
	       (unsigned long long)ss.events);
	METRIC("horch_http_requests_total", "counter", "HTTP requests answered.", "%llu",
	       (unsigned long long)atomic_load(&s->n_requests));
	METRIC("horch_http_errors_total", "counter", "HTTP requests answered 5xx.", "%llu",
	       (unsigned long long)atomic_load(&s->n_errors_5xx));
	METRIC("horch_uptime_seconds", "gauge", "Seconds since the server started.", "%.0f",
	       (double)(horch_mono_ns() - s->started_ns) / 1e9);
#undef METRIC
}

/* ---- the request ---- */

/* The headers every response carries. */
static void add_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result respond(struct MHD_Connection *c, struct http_resp *rs, int api)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = rs->body.len;
	char num[32];

	r = MHD_create_response_from_buffer(len, len ? buf_take(&rs->body) : (void *)"",
					    len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	if (len)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
	add_headers(r);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				api ? "no-store" : "no-cache");
	if (rs->cookie[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rs->cookie);
	if (rs->retry_after > 0) {
		snprintf(num, sizeof num, "%d", rs->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, num);
	}
	if (rs->location)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, rs->location);
	if (rs->allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rs->allow);
	if (rs->close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Serve the pages and files of the dashboard: returns 1 when path is one. */
static int page(const char *method, const char *path, struct http_resp *rs)
{
	static const char *const pages[] = { "wall", "radio", "topics", "search", "login",
					     "alerts", "launches", "sources" };
	const struct embedded_file *f = NULL;
	char name[80];

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return 0;
	if (strcmp(path, "/") == 0) {
		rs->status = 302;
		rs->location = "/wall";
		return 1;
	}
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
		if (path[0] == '/' && strcmp(path + 1, pages[i]) == 0) {
			snprintf(name, sizeof name, "%s.html", pages[i]);
			f = asset(name);
		}
	if (!f && strncmp(path, "/assets/", 8) == 0 && !strchr(path + 8, '/'))
		f = asset(path + 8);
	if (!f)
		return 0;
	rs->content_type = mime(f->name);
	buf_append(&rs->body, f->data, f->len);
	return 1;
}

/* Fill rq with what the headers say (any call of a request). */
static void read_headers(struct http_server *s, struct MHD_Connection *c, const char *url,
			 const char *method, struct conn *cs, struct http_req *rq)
{
	const union MHD_ConnectionInfo *ci;

	rq->srv = s;
	rq->conn = c;
	rq->method = method;
	rq->path = url;
	rq->client = cs->client;
	rq->id = cs->id;
	rq->who = cs->who;
	if (!cs->client[0]) {
		snprintf(cs->client, sizeof cs->client, "?");
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;

			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
					  cs->client, sizeof cs->client);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
					  cs->client, sizeof cs->client);
		}
	}
	rq->content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!rq->content_type)
		rq->content_type = "";
	rq->session = cookie(c, COOKIE_NAME, cs->session, sizeof cs->session);
}

/* The checks of an API request that need only its headers: the route, who
 * calls, the role, CSRF.  Returns the route, or NULL with the refusal in
 * rs.  Runs before any byte of the body is read, so that a stranger cannot
 * make the server hold a body. */
static const struct route *admit(struct MHD_Connection *c, const char *url,
				 const char *method, struct http_req *rq, struct http_resp *rs,
				 char *allow, size_t allow_size)
{
	const struct route *rt;
	int path_known = 0;

	rt = find_route(method, url, &rq->id, &path_known);
	if (!rt) {
		if (path_known) {
			http_error(rs, 405, "method_not_allowed", "%s is not allowed on %.200s",
				   method, url);
			allowed_methods(url, allow, allow_size);
			rs->allow = allow;
		} else {
			http_error(rs, 404, "not_found", "no endpoint %.200s", url);
		}
		return NULL;
	}
	if (rt->flags & ROUTE_PUBLIC)
		return rt;
	if (identify(rq, rs) != 0)
		return NULL;
	if (rq->who.role < rt->role) {
		http_error(rs, 403, "forbidden", "%s %s needs the role %s; %s is %s", method,
			   rt->pattern, auth_role_name(rt->role), rq->who.name,
			   auth_role_name(rq->who.role));
		return NULL;
	}
	if (is_write(method) && rq->who.token_id == 0 &&
	    !auth_csrf_ok(&rq->who, MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								"X-CSRF-Token"))) {
		http_error(rs, 403, "csrf",
			   "the X-CSRF-Token header is missing or wrong (GET /api/me gives it)");
		return NULL;
	}
	if (rq->who.must_change_password && !(rt->flags & ROUTE_FIRST_RUN)) {
		http_error(rs, 403, "forbidden",
			   "change the one-time password first (POST /api/me/password)");
		return NULL;
	}
	return rt;
}

/* Send rs, count it, give the store back; the request is answered. */
static enum MHD_Result finish(struct http_server *s, struct MHD_Connection *c,
			      struct conn *cs, struct http_req *rq, struct http_resp *rs, int api)
{
	enum MHD_Result ret;

	give_back(s, rq->st);
	rq->st = NULL;
	cs->answered = 1;
	atomic_fetch_add(&s->n_requests, 1);
	if (rs->status >= 500)
		atomic_fetch_add(&s->n_errors_5xx, 1);
	ret = respond(c, rs, api);
	buf_cleanup(&rs->body);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn *cs = *con_cls;
	struct http_req rq = { 0 };
	struct http_resp rs = { 0 };
	const struct route *rt;
	char allow[64];
	enum MHD_Result ret;
	int api = strncmp(url, "/api/", 5) == 0;

	(void)version;
	buf_init(&rs.body, RESP_MAX);
	rs.status = 200;
	rs.content_type = "application/json";
	if (!cs) {
		/* The headers: check the caller now, before any body. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);

		cs = horch_xcalloc(1, sizeof *cs);
		*con_cls = cs;
		/* Counted from the headers to the request's end (on_completed()):
		 * a stop waits for uploads and handlers alike, and no request
		 * starts once it waits. */
		atomic_fetch_add(&s->n_active, 1);
		cs->counted = 1;
		if (atomic_load(&s->stopping)) {
			http_error(&rs, 503, "internal", "the server is stopping; send it again");
			rs.retry_after = 5;
			rs.close = 1;
			return finish(s, c, cs, &rq, &rs, api);
		}
		/* The dashboard's pages and the operators' endpoints take no
		 * body. */
		cs->cap = api ? s->o.max_body : 0;
		if (api) {
			read_headers(s, c, url, method, cs, &rq);
			if (!(cs->route = admit(c, url, method, &rq, &rs, allow, sizeof allow)))
				return finish(s, c, cs, &rq, &rs, 1);
			cs->id = rq.id;
			cs->who = rq.who;
			give_back(s, rq.st);
			rq.st = NULL;
			/* Only ingest takes a large body. */
			if (cs->route->fn != api_ingest)
				cs->cap = SMALL_BODY_MAX < s->o.max_body ? SMALL_BODY_MAX
									 : s->o.max_body;
		}
		buf_init(&cs->body, cs->cap + 1);
		if (cl && strtoull(cl, NULL, 10) > cs->cap) {
			rs.close = 1;
			http_error(&rs, 413, "too_big", "the request body is larger than %zu bytes",
				   cs->cap);
			return finish(s, c, cs, &rq, &rs, api);
		}
		buf_cleanup(&rs.body);
		return MHD_YES;
	}
	if (*upload_size) {
		/* A body over the cap without a Content-Length (chunked) is
		 * read to its end and dropped, then answered 413: a response
		 * cannot be queued in the middle of an upload. */
		if (!cs->too_big && (*upload_size > cs->cap - cs->body.len ||
				     buf_append(&cs->body, upload, *upload_size) != 0))
			cs->too_big = 1;
		*upload_size = 0;
		buf_cleanup(&rs.body);
		return MHD_YES;
	}
	if (cs->answered) {
		buf_cleanup(&rs.body);
		return MHD_YES;
	}
	if (cs->too_big) {
		http_error(&rs, 413, "too_big", "the request body is larger than %zu bytes",
			   cs->cap);
		return finish(s, c, cs, &rq, &rs, api);
	}
	if (!api) {
		if (strcmp(url, "/healthz") == 0 && strcmp(method, "GET") == 0) {
			rs.content_type = "text/plain; charset=utf-8";
			buf_puts(&rs.body, pipeline_failed(s->o.pl) ? "failing\n" : "ok\n");
			if (pipeline_failed(s->o.pl))
				rs.status = 503;
		} else if (strcmp(url, "/metrics") == 0 && strcmp(method, "GET") == 0) {
			prometheus(s, &rs);
		} else if (!page(method, url, &rs)) {
			http_error(&rs, 404, "not_found", "no page %.200s", url);
		}
		return finish(s, c, cs, &rq, &rs, 0);
	}
	read_headers(s, c, url, method, cs, &rq);
	rt = cs->route;
	/* NUL-terminated (the cap leaves room for it), and only then taken:
	 * the terminator may move the buffer. */
	rq.body_len = cs->body.len;
	buf_putc(&cs->body, '\0');
	cs->body.len = rq.body_len;
	rq.body = cs->body.ptr ? cs->body.ptr : "";
	if (rt->flags & ROUTE_STREAM) {
		struct MHD_Response *r = NULL;

		if (sse_open(s->hub, &rq, &rs, &r) == 0) {
			give_back(s, rq.st);
			rq.st = NULL;
			cs->answered = 1;
			/* A stream is not waited for at a stop: the hub ends
			 * it, and one that stopped reading is closed. */
			cs->counted = 0;
			atomic_fetch_sub(&s->n_active, 1);
			atomic_fetch_add(&s->n_requests, 1);
			add_headers(r);
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
			MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
			MHD_add_response_header(r, "X-Accel-Buffering", "no");
			ret = MHD_queue_response(c, 200, r);
			MHD_destroy_response(r);
			buf_cleanup(&rs.body);
			return ret;
		}
	} else {
		rt->fn(&rq, &rs);
	}
	return finish(s, c, cs, &rq, &rs, 1);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *cs = *con_cls;

	struct http_server *s = cls;

	(void)c;
	(void)toe;
	if (!cs)
		return;
	if (cs->counted)
		atomic_fetch_sub(&s->n_active, 1);
	buf_cleanup(&cs->body);
	free(cs);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	horch_log(LOG_WARN, "http", "libmicrohttpd=\"%s\"", msg);
}

/* ---- start and stop ---- */

/* Bind and listen on "ADDR:PORT" ("[::1]:8080" for IPv6).  Returns the
 * socket, or -1 with err filled. */
static int listen_on(const char *listen_addr, unsigned *port, struct horch_err *err)
{
	char host[256];
	const char *colon = strrchr(listen_addr, ':');
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = -1, one = 1, rc;
	size_t hl;

	if (!colon || colon == listen_addr || !colon[1]) {
		horch_err_set(err, HORCH_EINVAL,
			      "listen: \"%.100s\" is not ADDRESS:PORT (127.0.0.1:8080)", listen_addr);
		return -1;
	}
	hl = (size_t)(colon - listen_addr);
	if (listen_addr[0] == '[' && hl > 2 && listen_addr[hl - 1] == ']') {
		listen_addr++;
		hl -= 2;
	}
	if (hl >= sizeof host) {
		horch_err_set(err, HORCH_EINVAL, "listen: the address is too long");
		return -1;
	}
	memcpy(host, listen_addr, hl);
	host[hl] = '\0';
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)) != 0) {
		horch_err_set(err, HORCH_EINVAL, "listen: %.100s: %s", listen_addr,
			      gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		horch_err_set(err, HORCH_EIO, "listen on %s: %s", listen_addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	*port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int http_start(struct http_server **out, const struct http_opts *o, struct horch_err *err)
{
	struct http_server *s = horch_xcalloc(1, sizeof *s);
	struct sse_opts so;

	s->o = *o;
	if (!s->o.listen)
		s->o.listen = "127.0.0.1:8080";
	if (!s->o.max_body)
		s->o.max_body = 16u << 20;
	if (!s->o.max_connections)
		s->o.max_connections = 4096;
	if (!s->o.stream_queue)
		s->o.stream_queue = 4096;
	if (!s->o.tick_ms)
		s->o.tick_ms = 5000;
	s->started_ns = horch_mono_ns();
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_rwlock_init(&s->topics_lock, NULL);
	pthread_mutex_init(&s->reload_lock, NULL);
	atomic_init(&s->stopping, 0);
	atomic_init(&s->topics_stale, 1);
	atomic_init(&s->topics_loaded_ns, 0);
	so.queue_max = s->o.stream_queue;
	so.tick_ms = s->o.tick_ms;
	so.db = s->o.db;
	s->hub = sse_hub_new(s, &so);
	if (s->o.bus && bus_subscribe(s->o.bus, sse_hub_publish, s->hub, err) != 0)
		goto fail;
	if ((s->fd = listen_on(s->o.listen, &s->port, err)) < 0)
		goto fail;
	s->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
				MHD_USE_POLL | MHD_USE_ERROR_LOG | MHD_USE_ITC,
				0, NULL, NULL, on_request, s,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
				MHD_OPTION_LISTEN_SOCKET, s->fd,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->o.max_connections,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
				MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512u << 10),
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_END);
	if (!s->d) {
		horch_err_set(err, HORCH_EIO, "the HTTP server did not start on %s", s->o.listen);
		close(s->fd);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	sse_hub_free(s->hub);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_rwlock_destroy(&s->topics_lock);
	free(s);
	return err->code ? err->code : HORCH_EIO;
}

unsigned http_port(const struct http_server *s)
{
	return s->port;
}

void http_stop(struct http_server *s)
{
	int64_t deadline;
	int fd;

	if (!s || s->stopped)
		return;
	s->stopped = 1;
	atomic_store(&s->stopping, 1);
	/* No new connections; the streams end (their threads wait for
	 * events); the calls in progress finish: an ingest call waits for its
	 * commit, which the pipeline still makes, and is answered.  Then the
	 * connections left (idle keep-alives, a stream that stopped reading)
	 * are closed and their threads joined. */
	fd = MHD_quiesce_daemon(s->d);
	sse_hub_stop(s->hub);
	deadline = horch_mono_ns() + (int64_t)STOP_WAIT_S * 1000000000;
	while (atomic_load(&s->n_active) > 0 && horch_mono_ns() < deadline) {
		struct timespec ts = { 0, 10 * 1000000 };

		nanosleep(&ts, NULL);
	}
	if (atomic_load(&s->n_active) > 0)
		horch_log(LOG_WARN, "http", "stopping with %d calls unanswered after %d s",
			  atomic_load(&s->n_active), STOP_WAIT_S);
	MHD_stop_daemon(s->d);
	s->d = NULL;
	close(fd >= 0 ? fd : s->fd);
}

void http_free(struct http_server *s)
{
	if (!s)
		return;
	http_stop(s);
	sse_hub_free(s->hub);
	for (size_t i = 0; i < s->n_pool; i++)
		store_close(s->pool[i]);
	clear_topics(s);
	free(s->topics);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_rwlock_destroy(&s->topics_lock);
	pthread_mutex_destroy(&s->reload_lock);
	free(s);
}
