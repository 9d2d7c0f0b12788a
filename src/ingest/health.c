/* health.c - what a source's state is, and the sources of horch.conf.
 *
 * The most common failure of a listening tool is a connector that stops
 * without a word.  A source here is judged on what the store knows of it:
 * failed fetches in a row (erroring), no post for hours where its own
 * baseline expects some (silent), no fetch at all for several intervals
 * (stalled).  `horch source list`, the API and the alert engine all use
 * source_health(), so they never disagree. */
#include "ingest.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connector.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/conf.h"
#include "../store/store.h"

#define MIN_MS 60000LL
#define HOUR_MS 3600000LL

const char *source_state_name(enum source_state s)
{
	static const char *const names[] = { "new", "ok", "erroring", "silent", "stalled",
					     "disabled" };

	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "";
}

/* A source's poll interval in seconds: its own, else its kind's. */
static int interval_of(const struct store_source *s)
{
	const struct connector *c = connector_find(s->kind);

	if (s->interval > 0)
		return s->interval;
	return c && c->interval > 0 ? c->interval : 900;
}

enum source_state source_health(const struct store_source *s, int64_t now, char *why,
				size_t size)
{
	const struct connector *c = connector_find(s->kind);
	int64_t stall = 3LL * interval_of(s) * 1000;
	int streams = 0;

	if (size)
		why[0] = '\0';
	if (!s->enabled) {
		snprintf(why, size, "disabled");
		return SOURCE_DISABLED;
	}
	if (!c) {
		snprintf(why, size, "no connector of kind \"%s\"", s->kind);
		return SOURCE_ERRORING;
	}
	if (s->errors >= SOURCE_ERRORS_ALERT) {
		snprintf(why, size, "%d failed fetches in a row: %s", s->errors,
			 s->last_error ? s->last_error : "");
		return SOURCE_ERRORING;
	}
	if (s->last_poll == HORCH_TIME_NONE) {
		snprintf(why, size, "not fetched yet");
		return SOURCE_NEW;
	}
	/* A stream reports every minute while it is open. */
	if (c->streams) {
		struct source_conf conf;

		if (source_from_store(&conf, s, NULL) == 0)
			streams = c->streams(&conf);
		source_conf_cleanup(&conf);
	}
	/* A stream reports once a minute while it is open; a poll at least
	 * once an interval (and a back-off may be long: 15 min at least). */
	if (streams)
		stall = 5 * MIN_MS;
	else if (stall < 15 * MIN_MS)
		stall = 15 * MIN_MS;
	if (now - s->last_poll > stall) {
		snprintf(why, size, "not fetched for %lld min", (long long)((now - s->last_poll) /
									     MIN_MS));
		return SOURCE_STALLED;
	}
	if (s->baseline_hours >= 24 && s->baseline_hour * 6 >= 10 && s->posts_6h == 0 &&
	    (s->last_post == HORCH_TIME_NONE || now - s->last_post >= 6 * HOUR_MS)) {
		snprintf(why, size, "no post for 6 h; usually %.1f an hour", s->baseline_hour);
		return SOURCE_SILENT;
	}
	if (s->errors > 0)
		snprintf(why, size, "%d failed fetch%s: %s", s->errors, s->errors > 1 ? "es" : "",
			 s->last_error ? s->last_error : "");
	return SOURCE_OK;
}

int source_from_store(struct source_conf *out, const struct store_source *s,
		      struct horch_err *err)
{
	json_t *o = json_loads(s->params ? s->params : "{}", 0, NULL);
	const char *key;
	json_t *v;
	int rc = 0;

	source_conf_init(out);
	out->id = s->id;
	out->name = horch_xstrdup(s->name);
	out->kind = horch_xstrdup(s->kind);
	out->url = s->url && *s->url ? horch_xstrdup(s->url) : NULL;
	out->interval = s->interval;
	out->enabled = s->enabled;
	out->from_config = s->from_config;
	if (!json_is_object(o)) {
		rc = horch_err_set(err, HORCH_EINVAL, "source %s: its settings are not a JSON "
				   "object", s->name);
		goto out;
	}
	json_object_foreach(o, key, v) {
		if (!json_is_string(v)) {
			rc = horch_err_set(err, HORCH_EINVAL, "source %s: setting \"%s\" is not a "
					   "string", s->name, key);
			goto out;
		}
		if ((rc = source_param_set(out, key, json_string_value(v), err)))
			goto out;
	}
out:
	json_decref(o);
	return rc;
}

/* ---- horch.conf ---- */

static pthread_once_t keys_once = PTHREAD_ONCE_INIT;
static const char **conf_keys;

static void make_keys(void)
{
	static const char *const fixed[] = { "kind", "url", "interval", "enabled" };
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		char *k = horch_xmalloc(strlen(fixed[i]) + 10);

		sprintf(k, "source *.%s", fixed[i]);
		conf_keys = horch_xgrow(conf_keys, &cap, n + 2, sizeof *conf_keys);
		conf_keys[n++] = k;
	}
	for (size_t c = 0; connector_available[c]; c++) {
		const struct source_key *k = connector_available[c]->keys;

		for (; k && k->key; k++) {
			char *name = horch_xmalloc(strlen(k->key) + 10);
			size_t i;

			sprintf(name, "source *.%s", k->key);
			for (i = 0; i < n && strcmp(conf_keys[i], name); i++)
				;
			if (i < n) {
				free(name);
				continue;
			}
			conf_keys = horch_xgrow(conf_keys, &cap, n + 2, sizeof *conf_keys);
			conf_keys[n++] = name;
		}
	}
	conf_keys[n] = NULL;
}

const char *const *source_conf_keys(void)
{
	pthread_once(&keys_once, make_keys);
	return conf_keys;
}

/* The settings of one [source NAME] section, gathered. */
struct section {
	char *name;
	struct source_conf conf;
	int line;
};

/* Check conf c as its connector would: a known kind, the required keys,
 * the connector's own check.  Returns 0 or HORCH_EINVAL. */
static int check_conf(const struct source_conf *c, struct horch_err *err)
{
	const struct connector *k = connector_find(c->kind);

	if (!c->kind)
		return horch_err_set(err, HORCH_EINVAL, "no kind (one of rss, mastodon, bluesky, "
				     "reddit, hn, reviews)");
	if (!k)
		return horch_err_set(err, HORCH_EINVAL, "kind \"%.64s\" is not known", c->kind);
	if (!c->url && !k->default_url)
		return horch_err_set(err, HORCH_EINVAL, "a %s source needs a url", k->kind);
	for (const struct source_key *key = k->keys; key && key->key; key++)
		if (key->required && !source_param(c, key->key))
			return horch_err_set(err, HORCH_EINVAL, "a %s source needs \"%s\" (%s)",
					     k->kind, key->key, key->help);
	return k->check ? k->check(c, err) : 0;
}

int source_check(const struct source_conf *c, struct horch_err *err)
{
	return check_conf(c, err);
}

/* The params JSON of c (every setting but kind, url, interval, enabled).
 * The caller frees it. */
char *source_params_json(const struct source_conf *c)
{
	json_t *o = json_object();
	char *s;

	for (size_t i = 0; i < c->n_params; i++)
		json_object_set_new(o, c->params[i].key, json_string(c->params[i].value));
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

struct stale {
	char **names;
	size_t n, cap;
};

static int collect_config(void *ctx, const struct store_source *s)
{
	struct stale *st = ctx;

	if (s->from_config) {
		st->names = horch_xgrow(st->names, &st->cap, st->n + 1, sizeof *st->names);
		st->names[st->n++] = horch_xstrdup(s->name);
	}
	return 0;
}

/* Put "PATH:LINE: [source NAME]: " before err's message. */
static void where(struct horch_err *err, const char *path, int line, const char *name)
{
	char msg[sizeof err->msg];

	snprintf(msg, sizeof msg, "%s", err->msg);
	horch_err_set(err, err->code, "%s:%d: [source %s]: %s", path ? path : "horch.conf", line,
		      name, msg);
}

int source_sync_config(struct store *st, const struct conf *c, struct horch_err *err)
{
	struct section *sec = NULL;
	size_t n_sec = 0, cap = 0;
	struct stale old = { 0 };
	int rc = 0;

	for (size_t i = 0; c && i < c->n; i++) {
		const struct conf_item *it = &c->items[i];
		const char *dot;
		size_t k, len;

		if (strncmp(it->key, "source ", 7) != 0 || !(dot = strrchr(it->key, '.')))
			continue;
		len = (size_t)(dot - (it->key + 7));
		for (k = 0; k < n_sec; k++)
			if (strlen(sec[k].name) == len && !strncmp(sec[k].name, it->key + 7, len))
				break;
		if (k == n_sec) {
			sec = horch_xgrow(sec, &cap, n_sec + 1, sizeof *sec);
			sec[k].name = horch_xstrndup(it->key + 7, len);
			source_conf_init(&sec[k].conf);
			sec[k].conf.name = horch_xstrdup(sec[k].name);
			sec[k].conf.from_config = 1;
			sec[k].line = it->line;
			n_sec++;
		}
		if ((rc = source_param_set(&sec[k].conf, dot + 1, it->value, err))) {
			where(err, c->path, it->line, sec[k].name);
			goto out;
		}
	}
	for (size_t k = 0; k < n_sec; k++) {
		if ((rc = check_conf(&sec[k].conf, err))) {
			where(err, c->path, sec[k].line, sec[k].name);
			goto out;
		}
	}
	if ((rc = store_source_list(st, horch_now(), collect_config, &old, err)))
		goto out;
	for (size_t k = 0; k < n_sec; k++) {
		char *params = source_params_json(&sec[k].conf);
		struct store_source s = {
			.name = sec[k].name, .kind = sec[k].conf.kind, .url = sec[k].conf.url,
			.interval = sec[k].conf.interval, .enabled = sec[k].conf.enabled,
			.from_config = 1, .params = params,
		};

		rc = store_source_put(st, &s, horch_now(), NULL, err);
		free(params);
		if (rc)
			goto out;
		for (size_t i = 0; i < old.n; i++)
			if (old.names[i] && !strcasecmp(old.names[i], sec[k].name)) {
				free(old.names[i]);
				old.names[i] = NULL;
			}
	}
	/* A section removed from the file takes its source with it. */
	for (size_t i = 0; i < old.n; i++)
		if (old.names[i] && (rc = store_source_delete(st, old.names[i], err)) &&
		    rc != HORCH_ENOTFOUND)
			goto out;
	rc = 0;
out:
	for (size_t k = 0; k < n_sec; k++) {
		free(sec[k].name);
		source_conf_cleanup(&sec[k].conf);
	}
	free(sec);
	for (size_t i = 0; i < old.n; i++)
		free(old.names[i]);
	free(old.names);
	return rc;
}
