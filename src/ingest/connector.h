/* connector.h - what a connector is, and what it may call: the interface
 * between the source runner (runner.c) and the one-file-per-platform
 * connectors (rss.c, mastodon.c, bluesky.c, reddit.c, hn.c, reviews.c).
 *
 * A connector turns a platform's protocol into struct posts.  It never
 * talks to the store, the pipeline or the clock's sleep directly: it
 * fetches through the runner's HTTP client (source_fetch(): timeouts, a
 * size cap, gzip, redirects, conditional GET, Retry-After), hands each post
 * to source_emit(), and says with source_commit() "every post emitted so
 * far is covered by this cursor".  The runner stores the cursor in the
 * same transaction as the last of those posts, so that a crash neither
 * loses nor repeats a post.  `horch source test` runs the same connector
 * with an emit that prints and a commit that does nothing.
 *
 * A connector's parsing is a pure function of the bytes it was given (one
 * per format, e.g. rss_parse()), so that unit tests and fuzz targets call
 * it without a network.
 *
 * Not for use outside src/ingest/, src/cli/cmd_source.c, src/http/api_sources.c,
 * and the tests, fuzz targets and benchmarks of the connectors.
 *
 * Threads: a struct source_run belongs to the one thread running its
 * connector; the connector table is immutable. */
#ifndef HORCH_CONNECTOR_H
#define HORCH_CONNECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"

/* ---- a source's settings ---- */

/* One setting of a source: key = value, as in a [source NAME] section of
 * horch.conf or `horch source add NAME --set key=value`. */
struct source_param {
	char *key;
	char *value;
};

/* A configured source.  Owned by whoever made it; source_conf_cleanup()
 * frees the strings. */
struct source_conf {
	int64_t id;               /* row id in the store; 0 for a source not stored */
	char *name;               /* unique, chosen by the operator: "korvo-blog" */
	char *kind;               /* the connector: "rss", "mastodon", "bluesky", ... */
	char *url;                /* the feed, instance or endpoint URL (key "url") */
	int interval;             /* seconds between polls (key "interval"); 0: the kind's default */
	int enabled;              /* 0: configured but not run */
	int from_config;          /* 1: defined in horch.conf (read-only through the API) */
	struct source_param *params; /* every other key, in the order given */
	size_t n_params;
};

void source_conf_init(struct source_conf *c);
void source_conf_cleanup(struct source_conf *c);  /* NULL-safe */
/* A deep copy of src into dst (not initialised before). */
void source_conf_copy(struct source_conf *dst, const struct source_conf *src);
/* The value of setting key, or NULL when it is not set. */
const char *source_param(const struct source_conf *c, const char *key);
/* Set (or replace) setting key.  "url", "interval", "enabled" go to their
 * fields.  Returns 0, or HORCH_EINVAL with err naming the key when the
 * value of one of those cannot be read. */
int source_param_set(struct source_conf *c, const char *key, const char *value,
		     struct horch_err *err);

/* Check c as horch serve does before running it: a known kind, a url
 * (or the kind's default), the connector's required keys, and its own
 * check().  Returns 0 or HORCH_EINVAL with err saying what is wrong
 * (health.c). */
int source_check(const struct source_conf *c, struct horch_err *err);
/* The whole-number setting key of c into *out: def when it is not set,
 * else a number from lo to hi.  Returns 0, or HORCH_EINVAL with err (which
 * may be NULL) 'setting "KEY": "VALUE" is not a number from LO to HI'. */
int source_int_param(const struct source_conf *c, const char *key, int def, int lo, int hi,
		     int *out, struct horch_err *err);
/* The yes-or-no setting key of c into *out (yes, true, on, 1: 1; no, false,
 * off, 0: 0; any case): def when it is not set.  Returns 0, or HORCH_EINVAL
 * with err (which may be NULL) 'setting "KEY": "VALUE" is not yes or no'. */
int source_bool_param(const struct source_conf *c, const char *key, int def, int *out,
		      struct horch_err *err);
/* The "timeout" setting of c, the seconds one request may take (1 to hi,
 * SOURCE_TIMEOUT_MS when it is not set), into *ms in milliseconds, for
 * source_req.timeout_ms.  Returns 0 or HORCH_EINVAL as source_int_param(). */
int source_timeout_param(const struct source_conf *c, int hi, int *ms, struct horch_err *err);

/* The settings of c other than kind, url, interval and enabled, as the
 * JSON object the store keeps (store_source.params).  The caller frees
 * it. */
char *source_params_json(const struct source_conf *c);

/* A setting's value is a credential when its key is "token", "password"
 * or ends in "_token" / "_secret": such values are never logged, never
 * shown by `horch source list` or the API (shown as "***"), and may be
 * written "env:NAME" to be read from the environment variable NAME when
 * the source runs.  1 for such a key. */
int source_key_secret(const char *key);
/* The value of a credential setting with "env:NAME" resolved.  Returns a
 * pointer into c or into the environment (valid until either changes), or
 * NULL when the setting or the variable is not set. */
const char *source_secret(const struct source_conf *c, const char *key);

/* ---- the HTTP client ---- */

/* Caps of every fetch unless a connector asks for less. */
#define SOURCE_BODY_MAX (16u * 1024 * 1024)  /* bytes of a decoded body */
#define SOURCE_TIMEOUT_MS 30000              /* the whole transfer */
#define SOURCE_CONNECT_TIMEOUT_MS 10000

struct source_req {
	const char *url;
	const char *const *headers;   /* extra "Name: value" lines, NULL-terminated, or NULL */
	const char *etag;             /* send If-None-Match, or NULL */
	const char *last_modified;    /* send If-Modified-Since, or NULL */
	size_t max_bytes;             /* 0: SOURCE_BODY_MAX */
	int timeout_ms;               /* 0: SOURCE_TIMEOUT_MS */
};

struct source_resp {
	long status;                  /* HTTP status: 200, 304, 429, ... */
	struct buf body;              /* the decoded body (gzip undone) */
	char *content_type;           /* as sent, or NULL */
	char *etag;                   /* the ETag header, or NULL */
	char *last_modified;          /* the Last-Modified header, or NULL */
	char *link;                   /* the Link header (paging), or NULL */
	int retry_after;              /* seconds a 429/503 asked to wait; -1: not sent */
	char *effective_url;          /* after redirects */
	char *ratelimit_remaining;    /* X-Ratelimit-Remaining as sent (Reddit: requests
				       * left in the window), or NULL */
	char *ratelimit_reset;        /* X-Ratelimit-Reset as sent (Reddit: seconds until
				       * the window refills), or NULL */
};

void source_resp_init(struct source_resp *r);
void source_resp_cleanup(struct source_resp *r);  /* NULL-safe; re-inits */

/* ---- the run of a connector ---- */

struct source_run;

/* The source being run and its cursor as last committed ("" when it has
 * none yet, or as last passed to source_commit() in this run). */
const struct source_conf *source_run_conf(const struct source_run *r);
const char *source_run_cursor(const struct source_run *r);

/* Fetch req with the runner's client: a GET with the caps above, gzip and
 * deflate accepted, at most 5 redirects (http and https only), the
 * User-Agent "horch/VERSION (+listening)".  Returns 0 and fills resp for
 * any HTTP status (the caller decides what 404 means), except:
 *   - 429, or 503 with Retry-After: HORCH_ELIMIT, err naming the status,
 *     resp->retry_after set (the runner waits at least that long);
 *   - a body over the cap: HORCH_ETOOBIG;
 *   - no answer, a timeout, a TLS or connection failure: HORCH_EIO.
 * A 5xx is returned as 0 with the status: the connector turns it into
 * HORCH_EIO itself with source_http_error().  resp must be initialised;
 * it is reset first.  Credentials in headers are never logged. */
int source_fetch(struct source_run *r, const struct source_req *req, struct source_resp *resp,
		 struct horch_err *err);

/* The error for an HTTP status a connector cannot use: HORCH_EIO (5xx and
 * anything else), HORCH_EDENIED (401, 403), HORCH_ENOTFOUND (404, 410),
 * with err "GET URL: HTTP STATUS" (the URL without its query string). */
int source_http_error(const struct source_req *req, const struct source_resp *resp,
		      struct horch_err *err);

/* Append s percent-encoded for a query value or a path segment (every
 * byte but ASCII letters, digits and "-._~") to b.  Returns 0 or
 * HORCH_ETOOBIG (b's cap). */
int source_url_escape(struct buf *b, const char *s);

/* Hand one post to the runner, which owns it from now on (even on
 * failure).  The connector sets source (the platform: "rss", "mastodon",
 * "bluesky", "reddit", "hackernews", "review"), external_id, and whatever
 * else it knows; the runner sets fetched_at.  Returns 0, or HORCH_ESTOP
 * when the run must end now (serve is stopping, `source test` has shown
 * enough): the connector returns HORCH_ESTOP then, without committing. */
int source_emit(struct source_run *r, struct post *p);

/* Every post emitted so far is covered by cursor (a text of the
 * connector's own making, at most SOURCE_CURSOR_MAX bytes: an id, a
 * timestamp, a JSON object of several).  The runner stores it in the same
 * transaction as the last of those posts, or on its own when there were
 * none.  A connector commits after each page or batch, never in the middle
 * of one; also after a stop was asked, for what it emitted before.
 * Returns 0, HORCH_ETOOBIG (cursor too long) or HORCH_ESTOP. */
int source_commit(struct source_run *r, const char *cursor);
#define SOURCE_CURSOR_MAX 4096u

/* Note something the operator should know about this fetch without
 * failing it (a feed repaired, an item skipped): one log line with the
 * source's name, and it is kept as the source's last warning in its
 * health.  printf-style. */
void source_warn(struct source_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* source_warn(run, "%s", msg): the warning callback of the connectors'
 * parsers (rss_parse(), hn_parse(), ...) when they are given the run as
 * their context. */
void source_warn_cb(void *run, const char *msg);

/* 1 when the run should end (serve stopping, `source test` done). */
int source_stopping(const struct source_run *r);

/* Wait up to ms milliseconds, returning early (1) when the run should
 * end, else 0.  For streaming connectors between reconnects. */
int source_sleep(struct source_run *r, int ms);

/* For firehose connectors (Bluesky): 1 when a post with this text could
 * match some topic (the presearch terms of the topics, as the matcher
 * files them), so that the rest of the firehose is never stored; 0 when
 * no topic could match it (or there are no topics).  Always 1 when the
 * source's "filter" setting is "none". */
int source_wanted(struct source_run *r, const char *text, size_t len);

/* ---- connectors ---- */

/* A setting a connector reads, for `horch source add --help`, docs and
 * validation. */
struct source_key {
	const char *key;
	int required;             /* 1: the source cannot run without it */
	const char *help;         /* one line */
};

struct connector {
	const char *kind;         /* "rss" */
	const char *summary;      /* one line for `horch source kinds` */
	const char *default_url;  /* the url when none is set, or NULL: url required */
	int interval;             /* default seconds between polls */
	const struct source_key *keys; /* the settings it reads besides url and interval,
					* ended by { NULL } */
	int catalogue;            /* 1: its runs need the product catalogue (source_product()) */
	/* 1 when a source of this kind (with these settings) streams: run
	 * returns only when the stream ends or source_stopping(); the
	 * runner gives it its own thread and reconnects with back-off.  0:
	 * run is one poll, called every interval seconds.  NULL: 0. */
	int (*streams)(const struct source_conf *c);
	/* Check the settings beyond the required keys (a valid URL, a known
	 * timeline).  Returns 0 or HORCH_EINVAL with err naming the key. */
	int (*check)(const struct source_conf *c, struct horch_err *err);
	/* One poll, or one stream until it ends.  Returns 0 (done, cursor
	 * committed), HORCH_ESTOP (asked to stop), HORCH_ELIMIT (rate
	 * limited; the runner backs off at least resp.retry_after, which the
	 * connector reports with source_retry_after()), or an error with err
	 * filled (the runner backs off with jitter and records it in the
	 * source's health). */
	int (*run)(struct source_run *r, struct horch_err *err);
};

/* A connector that met a 429/503 tells the runner how long to wait. */
void source_retry_after(struct source_run *r, int seconds);

/* For review feeds (reviews.c): the name in the product catalogue of the
 * product that name names (the product's name or one of its aliases,
 * compared as the catalogue compares names), copied into out[0..size).
 * Returns 1 when found, 0 when the catalogue has no such product, -1 when
 * the run has no catalogue to ask. */
int source_product(struct source_run *r, const char *name, char *out, size_t size);

/* ---- runs outside serve ----
 *
 * `horch source test|poll`, the unit tests and the benchmarks run a
 * connector with hooks of their own: emit and commit go to the callbacks. */
struct source_catalogue;

struct source_hooks {
	int (*emit)(void *ctx, struct post *p);       /* owns p; returns 0 or HORCH_ESTOP */
	int (*commit)(void *ctx, const char *cursor); /* returns 0 or HORCH_ESTOP; NULL: ignored */
	int (*wanted)(void *ctx, const char *text, size_t len); /* NULL: everything is wanted */
	void *ctx;
	const struct source_catalogue *catalogue;     /* for source_product(), or NULL */
};

/* The product catalogue as a run sees it: each product's name and
 * aliases, compared as the store compares names (text_name_key()).  Loaded
 * from st (the caller's thread owns st during the call); NULL-safe free. */
struct store;
int source_catalogue_load(struct source_catalogue **out, struct store *st,
			  struct horch_err *err);
void source_catalogue_free(struct source_catalogue *c);

/* A run of source c (copied) starting at cursor (NULL or "": none).
 * Returns NULL when c's kind has no connector. */
struct source_run *source_run_new(const struct source_conf *c, const char *cursor,
				  const struct source_hooks *hooks);
void source_run_free(struct source_run *r);    /* NULL-safe */
/* Ask the run to end (any thread): source_stopping() turns 1, and
 * source_sleep() and a fetch or stream in progress return soon. */
void source_run_stop(struct source_run *r);
/* Run the connector once (one poll, or one stream until it ends): its
 * run's result. */
int source_run_once(struct source_run *r, struct horch_err *err);
/* What the last run said: seconds a rate limit asked to wait (-1: none),
 * and its last warning ("" when none). */
int source_run_retry(const struct source_run *r);
const char *source_run_warning(const struct source_run *r);

/* Every connector, NULL-terminated (run.c). */
extern const struct connector *const connector_available[];
/* The connector of kind, or NULL. */
const struct connector *connector_find(const char *kind);

/* The connectors themselves, one per file. */
extern const struct connector connector_rss;
extern const struct connector connector_mastodon;
extern const struct connector connector_bluesky;
extern const struct connector connector_reddit;
extern const struct connector connector_hn;
extern const struct connector connector_reviews;

#endif
