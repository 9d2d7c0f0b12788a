/* run.c - one run of a connector: the HTTP client it fetches with, and the
 * emit, commit, warn, sleep and stop it is given (connector.h).
 *
 * The client is one libcurl easy handle per run, reused from fetch to
 * fetch so that a connector paging through one host keeps its connection.
 * Every fetch has a timeout, a connect timeout and a cap on the decoded
 * body (gzip and deflate are undone by libcurl, so a compressed bomb meets
 * the cap too); redirects are followed five times at most, to http and
 * https only.  A stop asked from another thread aborts a transfer in
 * progress through the progress callback and wakes source_sleep().
 *
 * Credentials: a URL is written into messages without its query string
 * and user info (tokens live there on some platforms), and headers are
 * never logged.
 *
 * The table of connectors is here too: a connector is one file plus one
 * entry in connector_available[]. */
#include "connector.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../store/store.h"
#include "../text/text.h"

const struct connector *const connector_available[] = {
	&connector_rss,
	&connector_mastodon,
	&connector_bluesky,
	&connector_reddit,
	&connector_hn,
	&connector_reviews,
	NULL,
};

const struct connector *connector_find(const char *kind)
{
	for (size_t i = 0; kind && connector_available[i]; i++)
		if (strcmp(connector_available[i]->kind, kind) == 0)
			return connector_available[i];
	return NULL;
}

struct source_run {
	struct source_conf conf;         /* a copy */
	const struct connector *conn;
	char *cursor;                    /* as last committed; never NULL */
	struct source_hooks hooks;
	atomic_int stop;
	pthread_mutex_t lock;            /* with wake: source_sleep() */
	pthread_cond_t wake;
	CURL *curl;                      /* made at the first fetch */
	int retry;                       /* seconds a rate limit asked for; -1 */
	char warning[256];
};

void source_conf_copy(struct source_conf *dst, const struct source_conf *src)
{
	source_conf_init(dst);
	dst->id = src->id;
	dst->name = horch_xstrdup(src->name);
	dst->kind = horch_xstrdup(src->kind);
	dst->url = horch_xstrdup(src->url);
	dst->interval = src->interval;
	dst->enabled = src->enabled;
	dst->from_config = src->from_config;
	if (src->n_params) {
		dst->params = horch_xcalloc(src->n_params, sizeof *dst->params);
		for (size_t i = 0; i < src->n_params; i++) {
			dst->params[i].key = horch_xstrdup(src->params[i].key);
			dst->params[i].value = horch_xstrdup(src->params[i].value);
		}
		dst->n_params = src->n_params;
	}
}

struct source_run *source_run_new(const struct source_conf *c, const char *cursor,
				  const struct source_hooks *hooks)
{
	const struct connector *conn = connector_find(c->kind);
	struct source_run *r;
	pthread_condattr_t ca;

	if (!conn)
		return NULL;
	r = horch_xcalloc(1, sizeof *r);
	source_conf_copy(&r->conf, c);
	if (!r->conf.url && conn->default_url)
		r->conf.url = horch_xstrdup(conn->default_url);
	if (!r->conf.interval)
		r->conf.interval = conn->interval > 0 ? conn->interval : 900;
	r->conn = conn;
	r->cursor = horch_xstrdup(cursor ? cursor : "");
	if (hooks)
		r->hooks = *hooks;
	r->retry = -1;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &ca);
	pthread_condattr_destroy(&ca);
	return r;
}

void source_run_free(struct source_run *r)
{
	if (!r)
		return;
	if (r->curl)
		curl_easy_cleanup(r->curl);
	source_conf_cleanup(&r->conf);
	free(r->cursor);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void source_run_stop(struct source_run *r)
{
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->stop, 1);
	pthread_cond_broadcast(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

int source_run_once(struct source_run *r, struct horch_err *err)
{
	horch_err_clear(err);
	r->retry = -1;
	r->warning[0] = '\0';
	if (atomic_load(&r->stop))
		return HORCH_ESTOP;
	if (r->conn->check) {
		int rc = r->conn->check(&r->conf, err);

		if (rc)
			return rc;
	}
	return r->conn->run(r, err);
}

int source_run_retry(const struct source_run *r)
{
	return r->retry;
}

const char *source_run_warning(const struct source_run *r)
{
	return r->warning;
}

const struct source_conf *source_run_conf(const struct source_run *r)
{
	return &r->conf;
}

const char *source_run_cursor(const struct source_run *r)
{
	return r->cursor;
}

int source_stopping(const struct source_run *r)
{
	return atomic_load(&((struct source_run *)r)->stop);
}

int source_sleep(struct source_run *r, int ms)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->lock);
	while (!(stop = atomic_load(&r->stop)) &&
	       pthread_cond_timedwait(&r->wake, &r->lock, &until) == 0)
		;
	pthread_mutex_unlock(&r->lock);
	return stop;
}

void source_retry_after(struct source_run *r, int seconds)
{
	if (seconds > r->retry)
		r->retry = seconds;
}

void source_warn(struct source_run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->warning, sizeof r->warning, fmt, ap);
	va_end(ap);
	for (char *c = r->warning; *c; c++)
		if (*c == '"' || (unsigned char)*c < 0x20)
			*c = *c == '"' ? '\'' : ' ';
	horch_log(LOG_WARN, "source", "source=%s kind=%s warning=\"%s\"", r->conf.name,
		  r->conf.kind, r->warning);
}

void source_warn_cb(void *run, const char *msg)
{
	source_warn(run, "%s", msg);
}

int source_emit(struct source_run *r, struct post *p)
{
	if (atomic_load(&r->stop) || !r->hooks.emit) {
		post_free(p);
		return HORCH_ESTOP;
	}
	if (p->fetched_at == HORCH_TIME_NONE)
		p->fetched_at = horch_now();
	return r->hooks.emit(r->hooks.ctx, p) ? HORCH_ESTOP : 0;
}

int source_commit(struct source_run *r, const char *cursor)
{
	if (!cursor)
		cursor = "";
	if (strlen(cursor) > SOURCE_CURSOR_MAX)
		return HORCH_ETOOBIG;
	/* Also once asked to stop: the posts already handed on are stored,
	 * and so is the cursor that covers them (the pipeline refuses it
	 * only when it is itself finishing). */
	if (r->hooks.commit && r->hooks.commit(r->hooks.ctx, cursor))
		return HORCH_ESTOP;
	if (strcmp(cursor, r->cursor) != 0) {
		free(r->cursor);
		r->cursor = horch_xstrdup(cursor);
	}
	return 0;
}

int source_wanted(struct source_run *r, const char *text, size_t len)
{
	const char *filter = source_param(&r->conf, "filter");

	if (!r->hooks.wanted || (filter && strcmp(filter, "none") == 0))
		return 1;
	return r->hooks.wanted(r->hooks.ctx, text, len);
}

/* ---- the HTTP client ---- */

void source_resp_init(struct source_resp *resp)
{
	memset(resp, 0, sizeof *resp);
	buf_init(&resp->body, SOURCE_BODY_MAX);
	resp->retry_after = -1;
}

void source_resp_cleanup(struct source_resp *resp)
{
	if (!resp)
		return;
	buf_cleanup(&resp->body);
	free(resp->content_type);
	free(resp->etag);
	free(resp->last_modified);
	free(resp->link);
	free(resp->effective_url);
	free(resp->ratelimit_remaining);
	free(resp->ratelimit_reset);
	source_resp_init(resp);
}

/* Copy url into out[0..size) for a message: without user info and without
 * the query string or fragment, where credentials may be. */
static void safe_url(char *out, size_t size, const char *url)
{
	const char *scheme = strstr(url, "://"), *at, *host = url, *end;
	size_t n;

	if (scheme) {
		host = scheme + 3;
		end = host + strcspn(host, "/?#");
		at = memchr(host, '@', (size_t)(end - host));
		if (at)
			host = at + 1;
	}
	end = host + strcspn(host, "?#");
	n = scheme ? (size_t)(scheme + 3 - url) : 0;
	snprintf(out, size, "%.*s%.*s%s", (int)n, url, (int)(end - host), host,
		 *end ? "?..." : "");
}

/* What one transfer collects besides the body. */
struct xfer {
	struct source_run *run;
	struct source_resp *resp;
	int too_big;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if (buf_append(&x->resp->body, p, len)) {
		x->too_big = 1;
		return 0;
	}
	return len;
}

/* The wait a Retry-After value asks for, in seconds: delay-seconds or an
 * HTTP-date.  -1 when it is neither. */
static int retry_after(const char *v)
{
	int64_t t;
	size_t i;

	for (i = 0; v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (i && !v[i])
		return i > 6 ? 86400 : atoi(v);
	if (horch_time_parse(v, strlen(v), &t, NULL) != 0)
		return -1;
	t = (t - horch_now()) / 1000;
	return t < 0 ? 0 : t > 86400 ? 86400 : (int)t;
}

/* Keep header value v[0..len) (blanks and CR LF trimmed) in *field. */
static void keep(char **field, const char *v, size_t len)
{
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r' ||
		       v[len - 1] == '\n'))
		len--;
	free(*field);
	*field = horch_xstrndup(v, len > POST_FIELD_MAX ? POST_FIELD_MAX : len);
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	struct source_resp *resp = x->resp;
	size_t len = size * n;

	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* The status line of a new response (after a redirect):
		 * forget the headers of the one before. */
		free(resp->content_type);
		free(resp->etag);
		free(resp->last_modified);
		free(resp->link);
		free(resp->ratelimit_remaining);
		free(resp->ratelimit_reset);
		resp->content_type = resp->etag = resp->last_modified = resp->link = NULL;
		resp->ratelimit_remaining = resp->ratelimit_reset = NULL;
		resp->retry_after = -1;
	} else if (len > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		keep(&resp->content_type, p + 13, len - 13);
	} else if (len > 5 && strncasecmp(p, "ETag:", 5) == 0) {
		keep(&resp->etag, p + 5, len - 5);
	} else if (len > 14 && strncasecmp(p, "Last-Modified:", 14) == 0) {
		keep(&resp->last_modified, p + 14, len - 14);
	} else if (len > 5 && strncasecmp(p, "Link:", 5) == 0) {
		keep(&resp->link, p + 5, len - 5);
	} else if (len > 22 && strncasecmp(p, "X-Ratelimit-Remaining:", 22) == 0) {
		keep(&resp->ratelimit_remaining, p + 22, len - 22);
	} else if (len > 18 && strncasecmp(p, "X-Ratelimit-Reset:", 18) == 0) {
		keep(&resp->ratelimit_reset, p + 18, len - 18);
	} else if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		char *v = NULL;

		keep(&v, p + 12, len - 12);
		resp->retry_after = retry_after(v);
		free(v);
	}
	return len;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&x->run->stop);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int source_fetch(struct source_run *r, const struct source_req *req, struct source_resp *resp,
		 struct horch_err *err)
{
	struct xfer x = { .run = r, .resp = resp };
	struct curl_slist *headers = NULL;
	char url[512], errbuf[CURL_ERROR_SIZE], line[POST_FIELD_MAX + 32];
	size_t max = req->max_bytes ? req->max_bytes : SOURCE_BODY_MAX;
	int file = strncasecmp(req->url, "file://", 7) == 0;
	char *eff = NULL;
	CURLcode cc;
	int rc = 0;

	safe_url(url, sizeof url, req->url);
	source_resp_cleanup(resp);
	buf_cleanup(&resp->body);
	buf_init(&resp->body, max);
	if (atomic_load(&r->stop))
		return HORCH_ESTOP;
	pthread_once(&curl_once, curl_start);
	if (!r->curl && !(r->curl = curl_easy_init()))
		return horch_err_set(err, HORCH_EIO, "GET %s: libcurl did not start", url);
	curl_easy_reset(r->curl);
	for (size_t i = 0; req->headers && req->headers[i]; i++)
		headers = curl_slist_append(headers, req->headers[i]);
	if (req->etag && *req->etag) {
		snprintf(line, sizeof line, "If-None-Match: %s", req->etag);
		headers = curl_slist_append(headers, line);
	}
	if (req->last_modified && *req->last_modified) {
		snprintf(line, sizeof line, "If-Modified-Since: %s", req->last_modified);
		headers = curl_slist_append(headers, line);
	}
	errbuf[0] = '\0';
	curl_easy_setopt(r->curl, CURLOPT_URL, req->url);
	/* A file:// URL only when the source was configured with one (a
	 * review export on disk); a redirect never goes there. */
	curl_easy_setopt(r->curl, CURLOPT_PROTOCOLS_STR, file ? "file" : "http,https");
	curl_easy_setopt(r->curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(r->curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(r->curl, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT_MS,
			 (long)(req->timeout_ms > 0 ? req->timeout_ms : SOURCE_TIMEOUT_MS));
	curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)SOURCE_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(r->curl, CURLOPT_USERAGENT, "horch/" HORCH_VERSION " (+listening)");
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(r->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(r->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->curl, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(r->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(r->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(r->curl, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(r->curl, CURLOPT_ERRORBUFFER, errbuf);
	cc = curl_easy_perform(r->curl);
	curl_slist_free_all(headers);
	if (cc == CURLE_ABORTED_BY_CALLBACK && atomic_load(&r->stop)) {
		rc = HORCH_ESTOP;
		goto out;
	}
	if (x.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "GET %s: the body is more than %zu bytes",
				   url, max);
		goto out;
	}
	if (cc != CURLE_OK) {
		/* errbuf may quote the URL with its query string: use the
		 * code's own text instead. */
		rc = horch_err_set(err, HORCH_EIO, "GET %s: %s", url, curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	if (curl_easy_getinfo(r->curl, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
		resp->effective_url = horch_xstrdup(eff);
	if (file && resp->status == 0)
		resp->status = 200;
	if (resp->status == 429 || (resp->status == 503 && resp->retry_after >= 0)) {
		if (resp->retry_after >= 0)
			source_retry_after(r, resp->retry_after);
		rc = horch_err_set(err, HORCH_ELIMIT, "GET %s: HTTP %ld (rate limited%s)", url,
				   resp->status, resp->retry_after >= 0 ? ", Retry-After given" : "");
	}
out:
	return rc;
}

int source_http_error(const struct source_req *req, const struct source_resp *resp,
		      struct horch_err *err)
{
	char url[512];
	int code = HORCH_EIO;

	safe_url(url, sizeof url, req->url);
	if (resp->status == 401 || resp->status == 403)
		code = HORCH_EDENIED;
	else if (resp->status == 404 || resp->status == 410)
		code = HORCH_ENOTFOUND;
	return horch_err_set(err, code, "GET %s: HTTP %ld", url, resp->status);
}

/* ---- the product catalogue ---- */

struct source_catalogue {
	char **key;     /* the name keys of names and aliases */
	char **name;    /* the product's name for each (not owned: names[]) */
	size_t n, cap_key, cap_name;
	char **names;   /* owned product names */
	size_t n_names, cap_names;
};

/* Append key k (owned) for product name nm (owned by c->names). */
int source_url_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (; *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			rc = buf_putc(b, c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			rc = buf_append(b, e, 3);
		}
	}
	return rc;
}

static void cat_add(struct source_catalogue *c, char *k, char *nm)
{
	c->key = horch_xgrow(c->key, &c->cap_key, c->n + 1, sizeof *c->key);
	c->name = horch_xgrow(c->name, &c->cap_name, c->n + 1, sizeof *c->name);
	c->key[c->n] = k;
	c->name[c->n++] = nm;
}

static char *name_key(const char *s)
{
	struct buf b;
	char *k;

	buf_init(&b, 4096);
	if (text_name_key(&b, s, strlen(s)) != 0 || !b.len) {
		buf_cleanup(&b);
		return NULL;
	}
	k = horch_xstrndup(b.ptr, b.len);
	buf_cleanup(&b);
	return k;
}

static int cat_product(void *ctx, const struct store_product *p)
{
	struct source_catalogue *c = ctx;
	char *nm = horch_xstrdup(p->name), *k;

	c->names = horch_xgrow(c->names, &c->cap_names, c->n_names + 1, sizeof *c->names);
	c->names[c->n_names++] = nm;
	if ((k = name_key(p->name)))
		cat_add(c, k, nm);
	for (size_t i = 0; i < p->n_aliases; i++)
		if ((k = name_key(p->aliases[i])))
			cat_add(c, k, nm);
	return 0;
}

int source_catalogue_load(struct source_catalogue **out, struct store *st,
			  struct horch_err *err)
{
	struct source_catalogue *c = horch_xcalloc(1, sizeof *c);
	int rc = store_product_list(st, cat_product, c, err);

	if (rc) {
		source_catalogue_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void source_catalogue_free(struct source_catalogue *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->key[i]);
	for (size_t i = 0; i < c->n_names; i++)
		free(c->names[i]);
	free(c->key);
	free(c->name);
	free(c->names);
	free(c);
}

int source_product(struct source_run *r, const char *name, char *out, size_t size)
{
	const struct source_catalogue *c = r->hooks.catalogue;
	char *k;
	int found = 0;

	if (!c)
		return -1;
	if (!(k = name_key(name)))
		return 0;
	for (size_t i = 0; i < c->n && !found; i++) {
		if (strcmp(c->key[i], k) == 0) {
			snprintf(out, size, "%s", c->name[i]);
			found = 1;
		}
	}
	free(k);
	return found;
}
