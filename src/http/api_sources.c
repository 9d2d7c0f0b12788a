/* api_sources.c - the live sources over HTTP: every source with its
 * settings and health, one source, the kinds of source there are, adding,
 * changing and deleting a source, and a test fetch that shows what a
 * source (stored, or only described in the body) would bring, without
 * storing anything.  docs/http-api.md ("Sources") has the shapes.
 *
 * The settings are checked as horch serve checks them before it runs a
 * source (source_check()), and stored as the source runner reads them
 * (store_source_put(), the runner picks a change up within
 * SOURCE_RESCAN_MS).  A source of horch.conf (from_config) is shown but
 * neither changed nor deleted here: the file would bring it back at the
 * next start.
 *
 * Credentials: a setting that source_key_secret() calls one is answered as
 * "***" to every role, unless it is written "env:NAME" (that names a
 * variable of the server's environment and holds no secret).  Every text
 * an answer quotes that a platform or a connector wrote (the last error,
 * the last warning, the why of the state, a test's error) and the URL have
 * the credentials' values cut out as well, in case one was echoed; the
 * URL's password (https://user:pass@host/) is never shown.  Viewers do not
 * see the cursor either.
 *
 * A test runs the connector on the request's own thread with an emit that
 * keeps the posts as JSON and ends the run once it has enough, while a
 * timer thread stops the run at the timeout or when the server stops. */
#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/json.h"
#include "../core/log.h"
#include "../ingest/connector.h"
#include "../ingest/ingest.h"
#include "../store/store.h"
#include "http_int.h"

#define NAME_MAX_LEN 64u         /* bytes of a name given to the API */
#define PATH_NAME_MAX 255u       /* bytes of a name looked up by the path */
#define URL_MAX 2048u            /* bytes of a source's url */
#define INTERVAL_TEXT_MAX 32u    /* bytes of an interval given as text ("10m") */
#define SETTINGS_MAX 64u         /* settings of one source */
#define VALUE_MAX 4096u          /* bytes of one setting's value */
#define SECRET_MIN 4u            /* shorter credentials are not cut out of texts */
#define SECRETS_MAX 16u          /* credential values cut out of one source's texts */
#define TEST_LIMIT 20            /* posts a test shows unless ?limit= says */
#define TEST_LIMIT_MAX 100
#define TEST_TIMEOUT_S 20        /* seconds a test runs unless ?timeout= says */
#define TEST_TIMEOUT_MAX 60
#define TEST_POSTS_MAX (16u << 20) /* bytes of a test's posts as JSON */
#define TICK_MS 200              /* how often the timer looks at the server's stop */

/* The API's changes of sources, one at a time: "does it exist" and "store
 * it" must not interleave with another request's (two POSTs of one name
 * would both be answered 201, the second replacing the first). */
static pthread_mutex_t changes = PTHREAD_MUTEX_INITIALIZER;

/* ---- what an answer may show ---- */

/* The values of a source's credentials (and of the variables their
 * "env:NAME" forms name), to be cut out of any text an answer quotes.
 * The strings belong to the source_conf and the environment. */
struct secrets {
	const char *v[SECRETS_MAX];
	size_t n;
};

static void secrets_of(struct secrets *sx, const struct source_conf *c)
{
	sx->n = 0;
	for (size_t i = 0; i < c->n_params && sx->n < SECRETS_MAX; i++) {
		const char *v = c->params[i].value;

		if (!source_key_secret(c->params[i].key))
			continue;
		if (strlen(v) >= SECRET_MIN && sx->n < SECRETS_MAX)
			sx->v[sx->n++] = v;
		if (!strncmp(v, "env:", 4) && (v = getenv(v + 4)) && strlen(v) >= SECRET_MIN &&
		    sx->n < SECRETS_MAX)
			sx->v[sx->n++] = v;
	}
}

/* A copy of text with every credential of sx in it replaced by "***".
 * NULL in, NULL out; the caller frees the copy. */
static char *redacted(const char *text, const struct secrets *sx)
{
	struct buf b;
	const char *p;

	if (!text)
		return NULL;
	buf_init(&b, BUF_NOLIMIT);
	for (p = text; *p;) {
		size_t i, len = 0;

		for (i = 0; i < sx->n; i++) {
			len = strlen(sx->v[i]);
			if (strncmp(p, sx->v[i], len) == 0)
				break;
		}
		if (i < sx->n) {
			buf_puts(&b, "***");
			p += len;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_take(&b);
}

/* Append text to b as a JSON string with the credentials of sx cut out,
 * or null for no text. */
static void put_redacted(struct buf *b, const char *text, const struct secrets *sx)
{
	char *r = redacted(text, sx);

	if (r)
		http_json_str(b, r);
	else
		buf_puts(b, "null");
	free(r);
}

/* The url as an answer may show it: the password of its user info
 * ("https://user:pass@host/") as "***", and the credentials of sx cut
 * out.  The caller frees it; NULL in, NULL out. */
static char *shown_url(const char *url, const struct secrets *sx)
{
	const char *scheme, *host, *end, *at, *colon;
	char *masked, *out;

	if (!url)
		return NULL;
	masked = horch_xstrdup(url);
	if ((scheme = strstr(url, "://")) != NULL) {
		host = scheme + 3;
		end = host + strcspn(host, "/?#");
		at = memchr(host, '@', (size_t)(end - host));
		colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
		if (colon) {
			size_t head = (size_t)(colon + 1 - url);

			free(masked);
			masked = horch_xmalloc(head + 3 + strlen(at) + 1);
			memcpy(masked, url, head);
			memcpy(masked + head, "***", 3);
			strcpy(masked + head + 3, at);
		}
	}
	out = redacted(masked, sx);
	free(masked);
	return out;
}

/* The poll interval of a source in seconds: its own, else its kind's. */
static int interval_of(const struct connector *k, int interval)
{
	if (interval > 0)
		return interval;
	return k && k->interval > 0 ? k->interval : 900;
}

/* Append the API form of source s, with its health at now, to b; the
 * cursor only for an admin. */
static void source_json(struct buf *b, const struct store_source *s, int admin, int64_t now)
{
	const struct connector *k = connector_find(s->kind);
	struct source_conf c;
	struct secrets sx;
	struct horch_err err;
	enum source_state state;
	char why[512];
	char *url;

	horch_err_clear(&err);
	/* A row whose settings cannot be read is still shown, with the
	 * settings read before the bad one; its health says the rest. */
	if (source_from_store(&c, s, &err) != 0)
		horch_log(LOG_WARN, "http", "source=%s error=\"%s\"", s->name, err.msg);
	secrets_of(&sx, &c);
	state = source_health(s, now, why, sizeof why);
	url = shown_url(s->url && *s->url ? s->url : k ? k->default_url : NULL, &sx);

	buf_printf(b, "{\"id\":%lld,\"name\":", (long long)s->id);
	http_json_str(b, s->name);
	buf_puts(b, ",\"kind\":");
	http_json_str(b, s->kind);
	buf_puts(b, ",\"url\":");
	if (url)
		http_json_str(b, url);
	else
		buf_puts(b, "null");
	buf_printf(b, ",\"interval\":%d,\"enabled\":%s,\"from_config\":%s,\"settings\":{",
		   interval_of(k, s->interval), s->enabled ? "true" : "false",
		   s->from_config ? "true" : "false");
	for (size_t i = 0; i < c.n_params; i++) {
		const char *v = c.params[i].value;

		if (i)
			buf_putc(b, ',');
		http_json_str(b, c.params[i].key);
		buf_putc(b, ':');
		if (source_key_secret(c.params[i].key) && strncmp(v, "env:", 4) != 0)
			http_json_str(b, "***");
		else
			http_json_str(b, v);
	}
	buf_printf(b, "},\"state\":\"%s\",\"why\":", source_state_name(state));
	put_redacted(b, why, &sx);
	buf_puts(b, ",\"last_poll\":");
	http_json_time(b, s->last_poll);
	buf_puts(b, ",\"last_ok\":");
	http_json_time(b, s->last_ok);
	buf_puts(b, ",\"last_post\":");
	http_json_time(b, s->last_post);
	buf_puts(b, ",\"last_error\":");
	put_redacted(b, s->last_error, &sx);
	buf_puts(b, ",\"last_error_at\":");
	http_json_time(b, s->last_error_at);
	buf_puts(b, ",\"last_warning\":");
	put_redacted(b, s->last_warning, &sx);
	buf_puts(b, ",\"last_warning_at\":");
	http_json_time(b, s->last_warning_at);
	buf_printf(b, ",\"errors\":%d,\"posts\":%lld,\"posts_hour\":%lld,\"baseline_hour\":%.2f,"
		   "\"baseline_hours\":%lld,\"posts_6h\":%lld,\"created_at\":", s->errors,
		   (long long)s->n_posts, (long long)s->posts_hour, s->baseline_hour,
		   (long long)s->baseline_hours, (long long)s->posts_6h);
	http_json_time(b, s->created_at);
	buf_puts(b, ",\"updated_at\":");
	http_json_time(b, s->updated_at);
	if (admin) {
		buf_puts(b, ",\"cursor\":");
		http_json_str(b, s->cursor ? s->cursor : "");
	}
	buf_putc(b, '}');
	free(url);
	source_conf_cleanup(&c);
}

struct list {
	struct buf *b;
	size_t n;
	int admin;
	int64_t now;
};

/* store_source_fn: append s to the list being written. */
static int list_one(void *ctx, const struct store_source *s)
{
	struct list *li = ctx;

	if (li->n++)
		buf_putc(li->b, ',');
	source_json(li->b, s, li->admin, li->now);
	return 0;
}

static int is_admin(const struct http_req *rq)
{
	return rq->who.role >= AUTH_ADMIN;
}

/* GET /api/sources: {"sources":[source...]}, by name. */
void api_sources_list(struct http_req *rq, struct http_resp *rs)
{
	struct list li = { &rs->body, 0, is_admin(rq), horch_now() };
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (!(st = http_store(rq, rs)))
		return;
	buf_puts(&rs->body, "{\"sources\":[");
	if (store_source_list(st, li.now, list_one, &li, &err) != 0) {
		http_error_err(rs, &err);
		return;
	}
	buf_puts(&rs->body, "]}");
}

/* The {name} of the path ("/api/sources/NAME" or ".../NAME/test") into
 * out[0..size).  Returns 0, or -1 with 404 answered for a name longer than
 * any source's. */
static int path_name(const struct http_req *rq, char *out, size_t size, struct http_resp *rs)
{
	static const char prefix[] = "/api/sources/";
	const char *p = rq->path + sizeof prefix - 1;
	size_t len;

	if (strncmp(rq->path, prefix, sizeof prefix - 1) != 0) {
		http_error(rs, 404, "not_found", "no endpoint %.200s", rq->path);
		return -1;
	}
	len = strcspn(p, "/");
	if (len >= size) {
		http_error(rs, 404, "not_found", "no source named \"%.64s...\"", p);
		return -1;
	}
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/* GET /api/sources/{name}: one source; 404 for no such source. */
void api_sources_get(struct http_req *rq, struct http_resp *rs)
{
	struct list li = { &rs->body, 0, is_admin(rq), horch_now() };
	char name[PATH_NAME_MAX + 1];
	struct horch_err err;
	struct store *st;

	horch_err_clear(&err);
	if (path_name(rq, name, sizeof name, rs) != 0 || !(st = http_store(rq, rs)))
		return;
	if (store_source_get(st, name, li.now, list_one, &li, &err) != 0)
		http_error_err(rs, &err);
}

/* GET /api/sources/kinds: {"kinds":[{"kind","summary","default_url",
 * "interval","keys":[{"key","required","secret","help"}]}]}, in the
 * order of connector_available[]. */
void api_sources_kinds(struct http_req *rq, struct http_resp *rs)
{
	struct buf *b = &rs->body;

	(void)rq;
	buf_puts(b, "{\"kinds\":[");
	for (size_t i = 0; connector_available[i]; i++) {
		const struct connector *k = connector_available[i];

		if (i)
			buf_putc(b, ',');
		buf_puts(b, "{\"kind\":");
		http_json_str(b, k->kind);
		buf_puts(b, ",\"summary\":");
		http_json_str(b, k->summary);
		buf_puts(b, ",\"default_url\":");
		if (k->default_url)
			http_json_str(b, k->default_url);
		else
			buf_puts(b, "null");
		buf_printf(b, ",\"interval\":%d,\"keys\":[", interval_of(k, 0));
		for (size_t j = 0; k->keys && k->keys[j].key; j++) {
			const struct source_key *key = &k->keys[j];

			if (j)
				buf_putc(b, ',');
			buf_puts(b, "{\"key\":");
			http_json_str(b, key->key);
			buf_printf(b, ",\"required\":%s,\"secret\":%s,\"help\":",
				   key->required ? "true" : "false",
				   source_key_secret(key->key) ? "true" : "false");
			http_json_str(b, key->help);
			buf_putc(b, '}');
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "]}");
}

/* ---- reading a body ---- */

enum body_mode {
	BODY_CREATE,   /* POST /api/sources: name and kind needed */
	BODY_TRY,      /* POST /api/sources/test: as CREATE, the name optional */
	BODY_PATCH,    /* PATCH: changes to a stored source */
};

/* Why name cannot be the name of a source made through the API, or NULL
 * when it can. */
static const char *name_problem(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > NAME_MAX_LEN)
		return "has 1 to 64 characters";
	if (!isalnum((unsigned char)name[0]) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
		    len)
		return "is letters, digits, '.', '_' and '-', beginning with a letter or digit";
	if (!strcasecmp(name, "kinds") || !strcasecmp(name, "test"))
		return "may not be \"kinds\" or \"test\" (paths of the API)";
	return NULL;
}

/* 1 when s[0..len) has a NUL or another control character. */
static int has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

/* Remove setting key from c (nothing when it is not set). */
static void param_remove(struct source_conf *c, const char *key)
{
	for (size_t i = 0; i < c->n_params; i++) {
		if (strcmp(c->params[i].key, key) != 0)
			continue;
		free(c->params[i].key);
		free(c->params[i].value);
		memmove(&c->params[i], &c->params[i + 1], (c->n_params - i - 1) * sizeof *c->params);
		c->n_params--;
		return;
	}
}

/* Set c's setting key from JSON value v (a string, a whole number or a
 * boolean; null removes it).  Returns 0, or -1 with 400 answered. */
static int body_setting(struct source_conf *c, const char *key, json_t *v, enum body_mode mode,
			struct http_resp *rs)
{
	static const char *const own[] = { "name", "kind", "url", "interval", "enabled" };
	struct horch_err err;
	char num[32];
	const char *text;
	size_t len;

	horch_err_clear(&err);
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (!strcmp(key, own[i])) {
			http_error(rs, 400, "bad_request", "setting \"%s\": give it as the member "
				   "\"%s\" of the source, not among its settings", key, key);
			return -1;
		}
	if (json_is_null(v)) {
		param_remove(c, key);
		return 0;
	}
	if (json_is_string(v)) {
		text = json_string_value(v);
		len = json_string_length(v);
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		text = num;
		len = strlen(num);
	} else if (json_is_boolean(v)) {
		text = json_is_true(v) ? "yes" : "no";
		len = strlen(text);
	} else {
		http_error(rs, 400, "bad_request", "setting \"%.64s\": a value is a string, a whole "
			   "number, true, false, or null (to remove it)", key);
		return -1;
	}
	if (len > VALUE_MAX) {
		http_error(rs, 400, "bad_request", "setting \"%.64s\": a value has at most %u bytes",
			   key, VALUE_MAX);
		return -1;
	}
	if (has_control(text, len)) {
		http_error(rs, 400, "bad_request", "setting \"%.64s\": a value has no control "
			   "characters", key);
		return -1;
	}
	/* "***" is how an answer shows a credential: sent back unchanged
	 * (a form that round-trips a GET) it keeps the stored one. */
	if (source_key_secret(key) && !strcmp(text, "***")) {
		if (mode == BODY_PATCH)
			return 0;
		http_error(rs, 400, "bad_request", "setting \"%.64s\": \"***\" stands for a hidden "
			   "credential; give the credential itself or env:NAME", key);
		return -1;
	}
	/* The environment and the disk are the operator's: a value from the
	 * web may not name an environment variable (it would be sent to a
	 * host of the caller's choosing).  The CLI and horch.conf may. */
	if (!strncmp(text, "env:", 4)) {
		http_error(rs, 400, "bad_request", "setting \"%.64s\": env:NAME is taken from "
			   "horch.conf or horch source add only; give the credential itself", key);
		return -1;
	}
	if (source_param_set(c, key, text, &err) != 0) {
		http_error(rs, 400, "bad_request", "%s", err.msg);
		return -1;
	}
	if (c->n_params > SETTINGS_MAX) {
		http_error(rs, 400, "bad_request", "a source has at most %u settings", SETTINGS_MAX);
		return -1;
	}
	return 0;
}

/* Apply the members of body root to c: name and kind (not in a PATCH),
 * url, interval, enabled, settings.  Returns 0, or -1 with 400 answered
 * (a member of the wrong type, an unknown member, a bad value). */
static int conf_from_body(json_t *root, struct source_conf *c, enum body_mode mode,
			  struct http_resp *rs)
{
	struct horch_err err;
	const char *key;
	json_t *v;

	horch_err_clear(&err);
	json_object_foreach(root, key, v) {
		if (!strcmp(key, "name") || !strcmp(key, "kind")) {
			if (mode == BODY_PATCH) {
				http_error(rs, 400, "bad_request", "a source's %s cannot be changed%s",
					   key, !strcmp(key, "kind") ? ": add a new source" : "");
				return -1;
			}
			if (!json_is_string(v) || json_string_length(v) > NAME_MAX_LEN ||
			    has_control(json_string_value(v), json_string_length(v))) {
				http_error(rs, 400, "bad_request", "\"%s\" is a string of at most %u "
					   "bytes", key, NAME_MAX_LEN);
				return -1;
			}
			if (!strcmp(key, "name")) {
				free(c->name);
				c->name = horch_xstrdup(json_string_value(v));
			} else {
				free(c->kind);
				c->kind = horch_xstrdup(json_string_value(v));
			}
		} else if (!strcmp(key, "url")) {
			if (json_is_null(v)) {
				free(c->url);
				c->url = NULL;
				continue;
			}
			if (!json_is_string(v) || json_string_length(v) > URL_MAX ||
			    has_control(json_string_value(v), json_string_length(v))) {
				http_error(rs, 400, "bad_request", "\"url\" is a string of at most %u "
					   "bytes without control characters, or null (the kind's "
					   "default)", URL_MAX);
				return -1;
			}
			/* A file on the server's disk is the operator's to name
			 * (horch source add, horch.conf), not the web's. */
			if (strncasecmp(json_string_value(v), "http://", 7) != 0 &&
			    strncasecmp(json_string_value(v), "https://", 8) != 0 &&
			    strncasecmp(json_string_value(v), "wss://", 6) != 0 &&
			    strncasecmp(json_string_value(v), "ws://", 5) != 0) {
				http_error(rs, 400, "bad_request", "\"url\": http, https, ws or wss "
					   "only through the API (a file:// source is added with horch "
					   "source add)");
				return -1;
			}
			source_param_set(c, "url", json_string_value(v), &err);
		} else if (!strcmp(key, "interval")) {
			if (json_is_null(v)) {
				c->interval = 0;
			} else if (json_is_integer(v)) {
				json_int_t n = json_integer_value(v);

				if (n < 1 || n > INT_MAX / 2) {
					http_error(rs, 400, "bad_request", "\"interval\" is a number of "
						   "seconds from 1 to %d", INT_MAX / 2);
					return -1;
				}
				c->interval = (int)n;
			} else if (json_is_string(v) && json_string_length(v) <= INTERVAL_TEXT_MAX &&
				   !has_control(json_string_value(v), json_string_length(v))) {
				if (source_param_set(c, "interval", json_string_value(v), &err) != 0) {
					http_error(rs, 400, "bad_request", "%s", err.msg);
					return -1;
				}
			} else {
				http_error(rs, 400, "bad_request", "\"interval\" is a number of seconds "
					   "or a text such as \"10m\", or null (the kind's default)");
				return -1;
			}
		} else if (!strcmp(key, "enabled")) {
			if (!json_is_boolean(v)) {
				http_error(rs, 400, "bad_request", "\"enabled\" is true or false");
				return -1;
			}
			c->enabled = json_is_true(v);
		} else if (!strcmp(key, "settings")) {
			const char *skey;
			json_t *sv;

			if (json_is_null(v))
				continue;
			if (!json_is_object(v)) {
				http_error(rs, 400, "bad_request", "\"settings\" is an object of "
					   "key: value");
				return -1;
			}
			if (json_object_size(v) > SETTINGS_MAX) {
				http_error(rs, 400, "bad_request", "a source has at most %u settings",
					   SETTINGS_MAX);
				return -1;
			}
			json_object_foreach(v, skey, sv) {
				if (body_setting(c, skey, sv, mode, rs) != 0)
					return -1;
			}
		} else {
			http_error(rs, 400, "bad_request", "unknown member \"%.64s\" (a source has "
				   "name, kind, url, interval, enabled and settings)", key);
			return -1;
		}
	}
	return 0;
}

/* Check c as horch serve will before running it.  Returns 0, or -1 with
 * 400 answered naming what is wrong (credentials cut out). */
static int check_conf(const struct source_conf *c, struct http_resp *rs)
{
	struct horch_err err;
	struct secrets sx;
	char *msg;

	horch_err_clear(&err);
	if (source_check(c, &err) == 0)
		return 0;
	secrets_of(&sx, c);
	msg = redacted(err.msg, &sx);
	http_error(rs, 400, "bad_request", "%s", msg);
	free(msg);
	return -1;
}

/* ---- the stored source ---- */

struct stored {
	struct source_conf conf;  /* its settings (initialised by load()) */
	int read;                 /* 1: conf was filled */
	int rc;                   /* source_from_store()'s result */
	struct horch_err err;
};

static int take_stored(void *ctx, const struct store_source *s)
{
	struct stored *one = ctx;

	source_conf_cleanup(&one->conf);
	one->rc = source_from_store(&one->conf, s, &one->err);
	one->read = 1;
	return 0;
}

/* Read the source named name into one->conf (initialised here; the caller
 * cleans it up).  Returns 0, or -1 with the error answered (404 for no
 * such source, 500 for settings that cannot be read). */
static int load(struct store *st, const char *name, struct stored *one, struct http_resp *rs)
{
	struct horch_err err;

	horch_err_clear(&err);
	horch_err_clear(&one->err);
	source_conf_init(&one->conf);
	one->read = 0;
	one->rc = 0;
	if (store_source_get(st, name, horch_now(), take_stored, one, &err) != 0) {
		http_error_err(rs, &err);
		return -1;
	}
	if (one->rc) {
		horch_log(LOG_ERROR, "http", "source=%s error=\"%s\"", name, one->err.msg);
		http_error(rs, 500, "internal", "the stored settings of source \"%.64s\" cannot be "
			   "read", name);
		return -1;
	}
	return 0;
}

/* Refuse a change of a source of horch.conf.  Returns 0 when c may be
 * changed, or -1 with 409 answered. */
static int not_from_config(const struct source_conf *c, struct http_resp *rs)
{
	if (!c->from_config)
		return 0;
	http_error(rs, 409, "conflict", "source \"%.64s\" is defined in horch.conf; change it "
		   "there", c->name);
	return -1;
}

/* Store c (by its name) with settings params.  Returns 0, or -1 with the
 * error answered. */
static int put_conf(struct store *st, const struct source_conf *c, struct http_resp *rs)
{
	char *params = source_params_json(c);
	struct store_source s = {
		.name = c->name, .kind = c->kind, .url = c->url, .interval = c->interval,
		.enabled = c->enabled, .from_config = c->from_config, .params = params,
	};
	struct horch_err err;
	int rc;

	horch_err_clear(&err);
	rc = store_source_put(st, &s, horch_now(), NULL, &err);
	free(params);
	if (rc) {
		http_error_err(rs, &err);
		return -1;
	}
	return 0;
}

/* store_source_fn: nothing (the source exists). */
static int exists(void *ctx, const struct store_source *s)
{
	(void)ctx;
	(void)s;
	return 0;
}

/* Answer the source named name as it is stored now. */
static void answer_source(struct http_req *rq, struct http_resp *rs, struct store *st,
			  const char *name)
{
	struct list li = { &rs->body, 0, is_admin(rq), horch_now() };
	struct horch_err err;

	horch_err_clear(&err);
	if (store_source_get(st, name, li.now, list_one, &li, &err) != 0)
		http_error_err(rs, &err);
}

/* POST /api/sources {"name","kind","url","interval","enabled","settings"}:
 * 201 and the source; 400 for settings its connector refuses, 409 for a
 * name taken. */
void api_sources_create(struct http_req *rq, struct http_resp *rs)
{
	json_t *root = http_body_object(rq, rs);
	struct source_conf c;
	struct horch_err err;
	struct store *st;
	const char *why;
	int locked = 0, rc;

	horch_err_clear(&err);
	source_conf_init(&c);
	if (!root || conf_from_body(root, &c, BODY_CREATE, rs) != 0)
		goto out;
	if (!c.name) {
		http_error(rs, 400, "bad_request", "a source needs \"name\"");
		goto out;
	}
	if ((why = name_problem(c.name)) != NULL) {
		http_error(rs, 400, "bad_request", "the name %s", why);
		goto out;
	}
	if (check_conf(&c, rs) != 0 || !(st = http_store(rq, rs)))
		goto out;
	pthread_mutex_lock(&changes);
	locked = 1;
	rc = store_source_get(st, c.name, horch_now(), exists, NULL, &err);
	if (rc == 0) {
		http_error(rs, 409, "conflict", "a source named \"%s\" exists already", c.name);
		goto out;
	}
	if (rc != HORCH_ENOTFOUND) {
		http_error_err(rs, &err);
		goto out;
	}
	if (put_conf(st, &c, rs) != 0)
		goto out;
	pthread_mutex_unlock(&changes);
	locked = 0;
	horch_log(LOG_INFO, "http", "source added name=%s kind=%s by=%s", c.name, c.kind,
		  rq->who.name);
	rs->status = 201;
	answer_source(rq, rs, st, c.name);
out:
	if (locked)
		pthread_mutex_unlock(&changes);
	source_conf_cleanup(&c);
	json_decref(root);
}

/* PATCH /api/sources/{name} {"url","interval","enabled","settings"}: the
 * changed source; a setting given null is removed.  404 for no such
 * source, 409 for one of horch.conf, 400 for settings its connector
 * refuses. */
void api_sources_update(struct http_req *rq, struct http_resp *rs)
{
	char name[PATH_NAME_MAX + 1];
	struct stored one = { 0 };
	json_t *root = NULL;
	struct store *st;
	int locked = 0;

	source_conf_init(&one.conf);
	if (path_name(rq, name, sizeof name, rs) != 0 || !(root = http_body_object(rq, rs)) ||
	    !(st = http_store(rq, rs)))
		goto out;
	pthread_mutex_lock(&changes);
	locked = 1;
	if (load(st, name, &one, rs) != 0 || not_from_config(&one.conf, rs) != 0 ||
	    conf_from_body(root, &one.conf, BODY_PATCH, rs) != 0 || check_conf(&one.conf, rs) != 0 ||
	    put_conf(st, &one.conf, rs) != 0)
		goto out;
	pthread_mutex_unlock(&changes);
	locked = 0;
	horch_log(LOG_INFO, "http", "source changed name=%s by=%s", one.conf.name, rq->who.name);
	answer_source(rq, rs, st, one.conf.name);
out:
	if (locked)
		pthread_mutex_unlock(&changes);
	source_conf_cleanup(&one.conf);
	json_decref(root);
}

/* DELETE /api/sources/{name}: 204; 404 for no such source, 409 for one of
 * horch.conf.  Its posts stay. */
void api_sources_delete(struct http_req *rq, struct http_resp *rs)
{
	char name[PATH_NAME_MAX + 1];
	struct stored one = { 0 };
	struct horch_err err;
	struct store *st;
	int locked = 0;

	horch_err_clear(&err);
	source_conf_init(&one.conf);
	if (path_name(rq, name, sizeof name, rs) != 0 || !(st = http_store(rq, rs)))
		goto out;
	pthread_mutex_lock(&changes);
	locked = 1;
	if (load(st, name, &one, rs) != 0 || not_from_config(&one.conf, rs) != 0)
		goto out;
	if (store_source_delete(st, one.conf.name, &err) != 0) {
		http_error_err(rs, &err);
		goto out;
	}
	horch_log(LOG_INFO, "http", "source deleted name=%s by=%s", one.conf.name, rq->who.name);
	rs->status = 204;
out:
	if (locked)
		pthread_mutex_unlock(&changes);
	source_conf_cleanup(&one.conf);
}

/* ---- a test fetch ---- */

/* The posts a test has seen, as JSON. */
struct collect {
	struct buf posts;   /* "post,post,..." */
	size_t n, limit;
	int full;           /* 1: the limit (or the byte cap) was reached */
};

/* The test's emit: keep p as JSON; stop once there are enough. */
static int collect_post(void *ctx, struct post *p)
{
	struct collect *co = ctx;
	size_t before = co->posts.len;
	int rc = 0;

	if (co->n >= co->limit) {
		co->full = 1;
		rc = HORCH_ESTOP;
		goto out;
	}
	if ((co->n && buf_putc(&co->posts, ',') != 0) || post_to_json(p, &co->posts) != 0) {
		/* Larger than an answer should be: what was kept is shown. */
		co->posts.len = before;
		if (co->posts.ptr)
			co->posts.ptr[before] = '\0';
		co->full = 1;
		rc = HORCH_ESTOP;
		goto out;
	}
	if (++co->n >= co->limit) {
		co->full = 1;
		rc = HORCH_ESTOP;
	}
out:
	post_free(p);
	return rc;
}

/* The timer of a test: stops the run at the deadline, or early when the
 * server stops. */
struct timer {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int done;                 /* set by the test when the run has ended */
	int fired;                /* 1: the deadline, 2: the server stopping */
	int64_t deadline;         /* horch_mono_ns() */
	struct source_run *run;
	struct http_server *srv;
};

static void *timer_main(void *arg)
{
	struct timer *t = arg;

	pthread_mutex_lock(&t->lock);
	while (!t->done) {
		int64_t now = horch_mono_ns(), until;
		struct timespec ts;

		if (now >= t->deadline || http_stopping(t->srv)) {
			t->fired = now >= t->deadline ? 1 : 2;
			source_run_stop(t->run);
			break;
		}
		until = now + (int64_t)TICK_MS * 1000000;
		if (until > t->deadline)
			until = t->deadline;
		ts.tv_sec = (time_t)(until / 1000000000);
		ts.tv_nsec = (long)(until % 1000000000);
		pthread_cond_timedwait(&t->wake, &t->lock, &ts);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* How long a test may run and how many posts it shows. */
struct test_args {
	int64_t limit;     /* posts, 1..TEST_LIMIT_MAX */
	int64_t timeout;   /* seconds, 1..TEST_TIMEOUT_MAX */
};

/* Read ?limit= and ?timeout= into *ta.  Returns 0, or -1 with 400
 * answered. */
static int test_args(struct http_req *rq, struct test_args *ta, struct http_resp *rs)
{
	ta->limit = TEST_LIMIT;
	ta->timeout = TEST_TIMEOUT_S;
	if (http_arg_int(rq, "limit", 1, TEST_LIMIT_MAX, &ta->limit, rs) != 0 ||
	    http_arg_int(rq, "timeout", 1, TEST_TIMEOUT_MAX, &ta->timeout, rs) != 0)
		return -1;
	return 0;
}

/* Run source c once with its connector, keeping at most ta->limit posts,
 * for at most ta->timeout seconds, and answer {"name","kind","posts":[...],
 * "n","error","warning","ended","seconds","streams","retry_after"}.  200
 * also when the fetch failed (the error is what a test is for). */
static void run_test(struct http_req *rq, struct http_resp *rs, const struct source_conf *c,
		     const struct test_args *ta)
{
	const struct connector *k = connector_find(c->kind);
	struct collect co = { .limit = TEST_LIMIT };
	struct source_hooks hooks = { .emit = collect_post, .ctx = &co };
	struct timer t = { .done = 0 };
	struct source_run *run = NULL;
	int64_t timeout = ta->timeout, t0;
	const char *ended, *warning;
	char error[sizeof ((struct horch_err *)0)->msg] = "";
	struct horch_err err;
	pthread_condattr_t ca;
	struct secrets sx;
	pthread_t thread;
	int rc, streams;
	char *shown;

	horch_err_clear(&err);
	buf_init(&co.posts, TEST_POSTS_MAX);
	pthread_mutex_init(&t.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t.wake, &ca);
	pthread_condattr_destroy(&ca);
	co.limit = (size_t)ta->limit;
	if (!k || !(run = source_run_new(c, "", &hooks))) {
		http_error(rs, 400, "bad_request", "kind \"%.64s\" is not known", c->kind);
		goto out;
	}
	streams = k->streams ? k->streams(c) : 0;
	t.run = run;
	t.srv = rq->srv;
	t0 = horch_mono_ns();
	t.deadline = t0 + timeout * 1000000000;
	if (pthread_create(&thread, NULL, timer_main, &t) != 0) {
		http_error(rs, 503, "internal", "no thread for the test's timer; try again");
		goto out;
	}
	horch_log(LOG_INFO, "http", "source test name=%s kind=%s by=%s", c->name ? c->name : "-",
		  c->kind, rq->who.name);
	rc = source_run_once(run, &err);
	pthread_mutex_lock(&t.lock);
	t.done = 1;
	pthread_cond_signal(&t.wake);
	pthread_mutex_unlock(&t.lock);
	pthread_join(thread, NULL);

	if (rc == 0) {
		ended = co.full ? "limit" : "done";
	} else if (rc == HORCH_ESTOP && co.full) {
		ended = "limit";
	} else if (rc == HORCH_ESTOP && t.fired == 2) {
		ended = "stopped";
		snprintf(error, sizeof error, "the server is stopping");
	} else if (rc == HORCH_ESTOP && t.fired == 1) {
		/* A stream is read for the timeout; a poll that takes that
		 * long did not finish. */
		ended = "timeout";
		if (!streams)
			snprintf(error, sizeof error, "the fetch had not ended after %lld s (the "
				 "timeout)", (long long)timeout);
	} else if (rc == HORCH_ESTOP) {
		ended = "done";
	} else {
		ended = "error";
		snprintf(error, sizeof error, "%s", err.msg[0] ? err.msg : horch_strerror(rc));
	}
	warning = source_run_warning(run);
	secrets_of(&sx, c);

	buf_puts(&rs->body, "{\"name\":");
	if (c->name)
		http_json_str(&rs->body, c->name);
	else
		buf_puts(&rs->body, "null");
	buf_puts(&rs->body, ",\"kind\":");
	http_json_str(&rs->body, c->kind);
	buf_puts(&rs->body, ",\"posts\":[");
	if (co.posts.len)
		buf_append(&rs->body, co.posts.ptr, co.posts.len);
	buf_printf(&rs->body, "],\"n\":%zu,\"error\":", co.n);
	put_redacted(&rs->body, error[0] ? error : NULL, &sx);
	buf_puts(&rs->body, ",\"warning\":");
	put_redacted(&rs->body, warning && *warning ? warning : NULL, &sx);
	buf_printf(&rs->body, ",\"ended\":\"%s\",\"seconds\":%.1f,\"streams\":%s,\"retry_after\":",
		   ended, (double)(horch_mono_ns() - t0) / 1e9, streams ? "true" : "false");
	if (source_run_retry(run) >= 0)
		buf_printf(&rs->body, "%d", source_run_retry(run));
	else
		buf_puts(&rs->body, "null");
	buf_putc(&rs->body, '}');
	shown = redacted(error, &sx);
	horch_log(error[0] ? LOG_WARN : LOG_INFO, "http", "source test name=%s kind=%s posts=%zu "
		  "ended=%s error=\"%s\"", c->name ? c->name : "-", c->kind, co.n, ended, shown);
	free(shown);
out:
	pthread_mutex_destroy(&t.lock);
	pthread_cond_destroy(&t.wake);
	source_run_free(run);
	buf_cleanup(&co.posts);
}

/* POST /api/sources/{name}/test[?limit=N&timeout=S]: a test fetch of the
 * stored source, from the start (its cursor is not used and not moved).
 * 404 for no such source. */
void api_sources_test(struct http_req *rq, struct http_resp *rs)
{
	char name[PATH_NAME_MAX + 1];
	struct stored one = { 0 };
	struct test_args ta;
	struct store *st;

	source_conf_init(&one.conf);
	if (test_args(rq, &ta, rs) != 0 || path_name(rq, name, sizeof name, rs) != 0 ||
	    !(st = http_store(rq, rs)) || load(st, name, &one, rs) != 0)
		goto out;
	run_test(rq, rs, &one.conf, &ta);
out:
	source_conf_cleanup(&one.conf);
}

/* POST /api/sources/test[?limit=N&timeout=S] with a body as POST
 * /api/sources (the name optional): a test fetch of settings before they
 * are stored.  400 for settings its connector refuses. */
void api_sources_try(struct http_req *rq, struct http_resp *rs)
{
	struct source_conf c;
	struct test_args ta;
	json_t *root = NULL;

	source_conf_init(&c);
	if (test_args(rq, &ta, rs) != 0 || !(root = http_body_object(rq, rs)) ||
	    conf_from_body(root, &c, BODY_TRY, rs) != 0)
		goto out;
	if (!c.name)
		c.name = horch_xstrdup("test");
	if (check_conf(&c, rs) != 0)
		goto out;
	run_test(rq, rs, &c, &ta);
out:
	source_conf_cleanup(&c);
	json_decref(root);
}
