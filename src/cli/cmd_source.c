/* cmd_source.c - `horch source`: the live sources horch serve listens to.
 *
 *   add NAME --kind K [--url U] [--interval S] [KEY=VALUE...]
 *   set NAME KEY=VALUE...          change settings (url=, interval=, enabled=no;
 *                                  KEY= removes a setting)
 *   list [NAME] [--json]           every source with its health
 *   rm NAME                        forget a source (its posts stay)
 *   test NAME | test --kind K --url U [KEY=VALUE...]
 *                                  fetch once and print the posts as JSON Lines,
 *                                  storing nothing
 *   poll NAME                      fetch once now (a stream: for --for seconds)
 *                                  and store, cursor and health included
 *   kinds                          the connectors and the settings they read
 *   import-opml FILE               one rss source per feed of an OPML file
 *   reset NAME                     forget the cursor: read again from the start
 *
 * A source of horch.conf ([source NAME]) is stored by horch serve when it
 * starts and is changed in the file, not here. */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../ingest/connector.h"
#include "../ingest/ingest.h"
#include "../ingest/rss.h"
#include "../pipeline/pipeline.h"
#include "../query/match.h"
#include "../store/store.h"

/* Apply the KEY=VALUE arguments a->pos[from..] to c.  Returns 0 or
 * EXIT_USAGE after printing the bad one. */
static int apply_pairs(struct cli_args *a, int from, struct source_conf *c)
{
	struct horch_err err;

	for (int i = from; i < a->n_pos; i++) {
		const char *eq = strchr(a->pos[i], '=');
		char *key;
		int rc;

		if (!eq || eq == a->pos[i]) {
			cli_error(a, "'%s': settings are KEY=VALUE (e.g. timeline=tag:korvo)",
				  a->pos[i]);
			return EXIT_USAGE;
		}
		key = horch_xstrndup(a->pos[i], (size_t)(eq - a->pos[i]));
		if (!eq[1] && strcmp(key, "url") && strcmp(key, "interval") &&
		    strcmp(key, "enabled") && strcmp(key, "kind")) {
			/* KEY= removes a setting. */
			for (size_t k = 0; k < c->n_params; k++) {
				if (strcmp(c->params[k].key, key) == 0) {
					free(c->params[k].key);
					free(c->params[k].value);
					c->params[k] = c->params[--c->n_params];
					break;
				}
			}
			free(key);
			continue;
		}
		rc = source_param_set(c, key, eq + 1, &err);
		free(key);
		if (rc) {
			cli_error(a, "%s", err.msg);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* The options --kind, --url, --interval into c. */
static int apply_opts(struct cli_args *a, struct source_conf *c)
{
	static const char *const opts[] = { "kind", "url", "interval" };
	struct horch_err err;

	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		const char *v = cli_get(a, opts[i]);

		if (v && source_param_set(c, opts[i], v, &err)) {
			cli_error(a, "--%s: %s", opts[i], err.msg);
			return EXIT_USAGE;
		}
	}
	if (cli_flag(a, "disabled"))
		c->enabled = 0;
	return 0;
}

/* Check c as serve will; print the problem.  Returns 0 or EXIT_USAGE. */
static int check(struct cli_args *a, const struct source_conf *c)
{
	struct horch_err err;

	if (source_check(c, &err) == 0)
		return 0;
	cli_error(a, "source '%s': %s", c->name ? c->name : "", err.msg);
	return EXIT_USAGE;
}

/* Store c (a new source or new settings).  Returns an exit code. */
static int put(struct cli_args *a, struct store *st, const struct source_conf *c,
	       int64_t *id)
{
	char *params = source_params_json(c);
	struct store_source s = {
		.name = c->name, .kind = c->kind, .url = c->url, .interval = c->interval,
		.enabled = c->enabled, .from_config = c->from_config, .params = params,
	};
	struct horch_err err;
	int rc = store_source_put(st, &s, horch_now(), id, &err);

	free(params);
	return rc ? cli_fail(a, &err) : EXIT_OK;
}

/* The stored source name into *out (initialised here).  Returns 0, or an
 * exit code after printing the problem. */
struct got {
	struct source_conf *c;
	char *cursor;
	int64_t epoch;
	struct horch_err err;
	int rc;
};

static int got_one(void *ctx, const struct store_source *s)
{
	struct got *g = ctx;

	source_conf_cleanup(g->c);
	g->rc = source_from_store(g->c, s, &g->err);
	free(g->cursor);
	g->cursor = horch_xstrdup(s->cursor);
	g->epoch = s->cursor_epoch;
	return 0;
}

static int load(struct cli_args *a, struct store *st, const char *name, struct source_conf *out,
		char **cursor, int64_t *epoch)
{
	struct got g = { .c = out };
	struct horch_err err;

	source_conf_init(out);
	if (store_source_get(st, name, horch_now(), got_one, &g, &err) != 0) {
		if (err.code == HORCH_ENOTFOUND)
			cli_error(a, "no source called '%s' (horch source list shows them)", name);
		else
			cli_fail(a, &err);
		return EXIT_RUNTIME;
	}
	if (g.rc) {
		free(g.cursor);
		return cli_fail(a, &g.err);
	}
	if (cursor)
		*cursor = g.cursor;
	else
		free(g.cursor);
	if (epoch)
		*epoch = g.epoch;
	return 0;
}

/* ---- add, set, rm, reset ---- */

static int source_add(struct cli_args *a, struct store *st)
{
	struct source_conf c;
	struct horch_err err;
	const char *why;
	int64_t id = 0;
	int rc;

	source_conf_init(&c);
	if ((why = store_name_problem(a->pos[1], strlen(a->pos[1])))) {
		cli_error(a, "the name %s", why);
		return EXIT_USAGE;
	}
	c.name = horch_xstrdup(a->pos[1]);
	if (!cli_get(a, "kind")) {
		cli_error(a, "add needs --kind (horch source kinds lists them)");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = apply_opts(a, &c)) || (rc = apply_pairs(a, 2, &c)) || (rc = check(a, &c)))
		goto out;
	{
		struct source_conf old;

		if (store_source_get(st, c.name, horch_now(), got_one,
				     &(struct got){ .c = (source_conf_init(&old), &old) },
				     &err) == 0) {
			source_conf_cleanup(&old);
			cli_error(a, "a source called '%s' exists (horch source set changes it, "
				  "horch source rm removes it)", c.name);
			rc = EXIT_RUNTIME;
			goto out;
		}
		source_conf_cleanup(&old);
	}
	if ((rc = put(a, st, &c, &id)))
		goto out;
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "added source '%s' (%s, id %lld); horch serve runs it within "
			"seconds; horch source test '%s' shows what it fetches\n", c.name, c.kind,
			(long long)id, c.name);
out:
	source_conf_cleanup(&c);
	return rc;
}

static int source_set(struct cli_args *a, struct store *st)
{
	struct source_conf c;
	int rc;

	if (a->n_pos < 3 && !cli_get(a, "url") && !cli_get(a, "interval") &&
	    !cli_flag(a, "disabled")) {
		cli_error(a, "set needs something to change: KEY=VALUE, --url, --interval or "
			  "--disabled");
		return EXIT_USAGE;
	}
	if ((rc = load(a, st, a->pos[1], &c, NULL, NULL)))
		return rc;
	if (c.from_config) {
		cli_error(a, "source '%s' is defined in horch.conf: change it there", c.name);
		rc = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = apply_opts(a, &c)) || (rc = apply_pairs(a, 2, &c)) || (rc = check(a, &c)))
		goto out;
	rc = put(a, st, &c, NULL);
	if (!rc && !cli_flag(a, "quiet"))
		fprintf(stderr, "changed source '%s'\n", c.name);
out:
	source_conf_cleanup(&c);
	return rc;
}

static int source_rm(struct cli_args *a, struct store *st)
{
	struct source_conf c;
	struct horch_err err;
	int rc;

	if ((rc = load(a, st, a->pos[1], &c, NULL, NULL)))
		return rc;
	if (c.from_config) {
		cli_error(a, "source '%s' is defined in horch.conf: remove its section there",
			  c.name);
		rc = EXIT_RUNTIME;
	} else if (store_source_delete(st, c.name, &err) != 0) {
		rc = cli_fail(a, &err);
	} else if (!cli_flag(a, "quiet")) {
		fprintf(stderr, "removed source '%s' (its posts stay stored)\n", c.name);
	}
	source_conf_cleanup(&c);
	return rc;
}

static int source_reset(struct cli_args *a, struct store *st)
{
	struct horch_err err;

	if (store_source_set_cursor(st, a->pos[1], "", &err) != 0) {
		if (err.code == HORCH_ENOTFOUND) {
			cli_error(a, "no source called '%s'", a->pos[1]);
			return EXIT_RUNTIME;
		}
		return cli_fail(a, &err);
	}
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "source '%s' will read again from the start (posts already "
			"stored are not stored twice); a running horch serve picks this up when "
			"the source restarts\n", a->pos[1]);
	return EXIT_OK;
}

/* ---- list ---- */

/* A time as "12 min ago", or "-" for none. */
static const char *ago(int64_t t, int64_t now, char out[32])
{
	int64_t s;

	if (t == HORCH_TIME_NONE)
		return "-";
	s = (now - t) / 1000;
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, 32, "%llds ago", (long long)s);
	else if (s < 7200)
		snprintf(out, 32, "%lld min ago", (long long)(s / 60));
	else if (s < 172800)
		snprintf(out, 32, "%lld h ago", (long long)(s / 3600));
	else
		snprintf(out, 32, "%lld d ago", (long long)(s / 86400));
	return out;
}

/* The settings of s as JSON, credentials shown as "***" (an env:NAME
 * reference is not a secret and is shown). */
static json_t *settings_json(const struct store_source *s)
{
	json_t *o = json_loads(s->params ? s->params : "{}", 0, NULL);
	const char *key;
	json_t *v;

	if (!json_is_object(o)) {
		json_decref(o);
		return json_object();
	}
	json_object_foreach(o, key, v) {
		if (source_key_secret(key) && json_is_string(v) &&
		    strncmp(json_string_value(v), "env:", 4) != 0)
			json_object_set_new(o, key, json_string("***"));
	}
	return o;
}

static json_t *time_json(int64_t t)
{
	char buf[HORCH_TIME_BUFSZ];

	return t == HORCH_TIME_NONE ? json_null() : json_string(horch_time_format(t, buf));
}

struct list_out {
	struct table *t;
	int64_t now;
	size_t n;
	size_t n_bad;
};

/* url with the password of its user info as "***" (into out). */
static const char *shown_url(const char *url, char out[2048])
{
	const char *scheme = strstr(url, "://"), *host, *end, *at, *colon;

	snprintf(out, 2048, "%s", url);
	if (!scheme)
		return out;
	host = scheme + 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
	if (colon)
		snprintf(out, 2048, "%.*s***%s", (int)(colon + 1 - url), url, at);
	return out;
}

static int list_one(void *ctx, const struct store_source *s)
{
	struct list_out *o = ctx;
	char why[512], ph[64], last[32], err_at[32], posts[32], url[2048];
	enum source_state state = source_health(s, o->now, why, sizeof why);

	o->n++;
	o->n_bad += state == SOURCE_ERRORING || state == SOURCE_SILENT || state == SOURCE_STALLED;
	if (!o->t) {
		json_t *j = json_pack("{s:I,s:s,s:s,s:o,s:i,s:b,s:b,s:o,s:s,s:s,s:o,s:o,s:o,"
				      "s:o,s:o,s:o,s:o,s:i,s:I,s:I,s:f,s:I,s:s}",
				      "id", (json_int_t)s->id, "name", s->name, "kind", s->kind,
				      "url", s->url ? json_string(shown_url(s->url, url)) : json_null(),
				      "interval", s->interval, "enabled", s->enabled,
				      "from_config", s->from_config, "settings", settings_json(s),
				      "state", source_state_name(state), "why", why,
				      "last_poll", time_json(s->last_poll),
				      "last_ok", time_json(s->last_ok),
				      "last_post", time_json(s->last_post),
				      "last_error", s->last_error ? json_string(s->last_error)
								  : json_null(),
				      "last_error_at", time_json(s->last_error_at),
				      "last_warning", s->last_warning ? json_string(s->last_warning)
								      : json_null(),
				      "last_warning_at", time_json(s->last_warning_at),
				      "errors", s->errors, "posts", (json_int_t)s->n_posts,
				      "posts_hour", (json_int_t)s->posts_hour,
				      "baseline_hour", s->baseline_hour,
				      "posts_6h", (json_int_t)s->posts_6h,
				      "cursor", s->cursor ? s->cursor : "");
		char *line = json_dumps(j, JSON_COMPACT);

		printf("%s\n", line);
		free(line);
		json_decref(j);
		return 0;
	}
	snprintf(ph, sizeof ph, "%lld / %.1f", (long long)s->posts_hour, s->baseline_hour);
	{
		const char *cells[8] = {
			s->name, s->kind, source_state_name(state), ph,
			ago(s->last_ok, o->now, last), cli_num((uint64_t)s->n_posts, posts),
			s->last_error_at != HORCH_TIME_NONE && s->errors ?
				ago(s->last_error_at, o->now, err_at) : "-",
			why,
		};

		table_add(o->t, cells);
	}
	return 0;
}

static int source_list(struct cli_args *a, struct store *st)
{
	static const char *const headers[8] = { "name", "kind", "state", "posts/h (usual)",
						"last success", "posts", "last error", "why" };
	struct list_out o = { .now = horch_now() };
	struct horch_err err;
	int rc;

	if (!cli_flag(a, "json"))
		o.t = table_new(stdout, 8, headers);
	if (a->n_pos > 1)
		rc = store_source_get(st, a->pos[1], o.now, list_one, &o, &err);
	else
		rc = store_source_list(st, o.now, list_one, &o, &err);
	if (rc) {
		table_free(o.t);
		if (err.code == HORCH_ENOTFOUND) {
			cli_error(a, "no source called '%s'", a->pos[1]);
			return EXIT_RUNTIME;
		}
		return cli_fail(a, &err);
	}
	if (o.t) {
		if (o.n)
			table_print(o.t, 0x28u);
		else
			table_free(o.t);
		if (!o.n && !cli_flag(a, "quiet"))
			fprintf(stderr, "no sources yet: horch source add NAME --kind rss --url URL "
				"adds one (horch source kinds lists the kinds)\n");
	}
	return EXIT_OK;
}

/* ---- kinds ---- */

static int source_kinds(struct cli_args *a)
{
	for (size_t i = 0; connector_available[i]; i++) {
		const struct connector *c = connector_available[i];

		if (cli_flag(a, "json")) {
			json_t *keys = json_array();
			json_t *j;
			char *line;

			for (const struct source_key *k = c->keys; k && k->key; k++)
				json_array_append_new(keys, json_pack("{s:s,s:b,s:s}", "key", k->key,
								      "required", k->required,
								      "help", k->help));
			j = json_pack("{s:s,s:s,s:o,s:i,s:b,s:o}", "kind", c->kind, "summary",
				      c->summary, "default_url",
				      c->default_url ? json_string(c->default_url) : json_null(),
				      "interval", c->interval, "streams", c->streams != NULL,
				      "keys", keys);
			line = json_dumps(j, JSON_COMPACT);
			printf("%s\n", line);
			free(line);
			json_decref(j);
			continue;
		}
		printf("%s: %s\n", c->kind, c->summary);
		printf("    url        %s\n", c->default_url ? c->default_url : "(required)");
		printf("    interval   %d s\n", c->interval);
		for (const struct source_key *k = c->keys; k && k->key; k++)
			printf("    %-10s %s%s\n", k->key, k->help, k->required ? " (required)" : "");
	}
	return EXIT_OK;
}

/* ---- test and poll ---- */

/* A run that stops itself after `secs` seconds (a stream, a slow source). */
struct timer {
	struct source_run *run;
	int secs;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int done;
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Stop the run after t->secs seconds, or at Ctrl-C (the handler only
 * sets a flag: stopping takes a mutex). */
static void *timer_main(void *arg)
{
	struct timer *t = arg;
	int64_t end = horch_mono_ns() / 1000000 + (int64_t)t->secs * 1000;

	pthread_mutex_lock(&t->lock);
	while (!t->done && !interrupted && horch_mono_ns() / 1000000 < end) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&t->wake, &t->lock, &until);
	}
	if (!t->done)
		source_run_stop(t->run);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static void timer_start(struct timer *t, struct source_run *run, int secs)
{
	t->run = run;
	t->secs = secs;
	t->done = 0;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	pthread_create(&t->thread, NULL, timer_main, t);
}

/* 1 when the timer fired (the run was stopped by it). */
static int timer_end(struct timer *t)
{
	int fired;

	pthread_mutex_lock(&t->lock);
	fired = !t->done && source_stopping(t->run);
	t->done = 1;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	return fired;
}

struct test_out {
	size_t n, limit;
	struct buf b;
};

static int test_emit(void *ctx, struct post *p)
{
	struct test_out *o = ctx;

	buf_reset(&o->b);
	if (post_to_json(p, &o->b) == 0)
		printf("%.*s\n", (int)o->b.len, o->b.ptr);
	post_free(p);
	fflush(stdout);
	return ++o->n >= o->limit ? HORCH_ESTOP : 0;
}

/* The --for seconds of a stream or a slow fetch: default def. */
static int for_secs(struct cli_args *a, int def, int *out)
{
	size_t v = (size_t)def;
	int rc = cli_count_opt(a, "for", 1, 86400, &v);

	*out = (int)v;
	return rc;
}

static int source_test(struct cli_args *a, struct store *st)
{
	struct source_conf c;
	struct test_out o = { .limit = 20 };
	struct source_hooks hooks = { .emit = test_emit, .ctx = &o };
	struct source_run *run;
	struct source_catalogue *cat = NULL;
	struct timer t;
	struct horch_err err;
	char *cursor = NULL;
	int rc, secs, fired;

	if ((rc = cli_count_opt(a, "limit", 1, 100000, &o.limit)) || (rc = for_secs(a, 30, &secs)))
		return rc;
	if (a->n_pos > 1 && !strchr(a->pos[1], '=')) {
		if ((rc = load(a, st, a->pos[1], &c, &cursor, NULL)))
			return rc;
		if ((rc = apply_opts(a, &c)) || (rc = apply_pairs(a, 2, &c)))
			goto out;
	} else {
		source_conf_init(&c);
		c.name = horch_xstrdup("test");
		if (!cli_get(a, "kind")) {
			cli_error(a, "test needs a source's NAME, or --kind (and --url) to try one "
				  "before adding it");
			rc = EXIT_USAGE;
			goto out;
		}
		if ((rc = apply_opts(a, &c)) || (rc = apply_pairs(a, 1, &c)))
			goto out;
	}
	if ((rc = check(a, &c)))
		goto out;
	buf_init(&o.b, BUF_NOLIMIT);
	if (connector_find(c.kind)->catalogue && source_catalogue_load(&cat, st, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	hooks.catalogue = cat;
	/* A test starts from the stored cursor only with --from-cursor: by
	 * default it shows what the source has now. */
	run = source_run_new(&c, cli_flag(a, "from-cursor") ? cursor : NULL, &hooks);
	interrupted = 0;
	signal(SIGINT, on_sigint);
	timer_start(&t, run, secs);
	rc = source_run_once(run, &err);
	fired = timer_end(&t);
	signal(SIGINT, SIG_DFL);
	if (rc == HORCH_ESTOP || (fired && rc == 0))
		rc = 0;
	if (!cli_flag(a, "quiet")) {
		if (*source_run_warning(run))
			fprintf(stderr, "warning: %s\n", source_run_warning(run));
		if (rc == 0)
			fprintf(stderr, "%zu post%s from %s source '%s'%s; nothing stored\n", o.n,
				o.n == 1 ? "" : "s", c.kind, c.name,
				o.n >= o.limit ? " (--limit reached)" : fired ? " (--for reached)" : "");
	}
	if (rc) {
		if (source_run_retry(run) >= 0)
			cli_error(a, "%s (the source asks to wait %d s)", err.msg,
				  source_run_retry(run));
		else
			cli_error(a, "%s", err.msg);
		rc = EXIT_RUNTIME;
	}
	source_run_free(run);
	buf_cleanup(&o.b);
out:
	source_catalogue_free(cat);
	free(cursor);
	source_conf_cleanup(&c);
	return rc;
}

/* poll's pipeline hooks: posts and cursors into the pipeline, as serve's
 * runner does. */
struct poll_ctx {
	struct pipeline *pl;
	int64_t id, epoch;
	uint64_t n;
	struct matcher_slot *slot;   /* the topics, for the firehose pre-filter */
	struct match_doc *doc;
	struct post probe;
};

/* The pre-filter of a firehose (Bluesky), as serve's runner does it: only
 * posts some topic could match are stored. */
static int poll_wanted(void *ctx, const char *text, size_t len)
{
	struct poll_ctx *pc = ctx;
	const struct matcher *m;
	int yes;

	(void)len;
	if (!pc->doc)
		pc->doc = match_doc_new();
	pc->probe.text = (char *)text;
	m = matcher_slot_get(pc->slot);
	yes = match_doc_set(pc->doc, &pc->probe) != 0 || matcher_could_match(m, pc->doc);
	matcher_put(m);
	pc->probe.text = NULL;
	return yes;
}

static int poll_emit(void *ctx, struct post *p)
{
	struct poll_ctx *pc = ctx;

	return pipeline_push_source(pc->pl, p, 0, pc->id, ++pc->n);
}

static int poll_commit(void *ctx, const char *cursor)
{
	struct poll_ctx *pc = ctx;

	return pipeline_push_cursor(pc->pl, pc->id, pc->epoch, cursor, pc->n);
}


static int reload_topics(void *ctx, struct store *st, struct matcher **out, int64_t *version,
			 struct horch_err *err)
{
	(void)ctx;
	return cli_build_matcher(st, out, NULL, version, 1, err);
}

static int source_poll(struct cli_args *a, struct store *st)
{
	struct source_conf c;
	struct pipeline_opts po = { 0 };
	struct pipeline_stats ps;
	struct poll_ctx pc = { 0 };
	struct source_hooks hooks = { .emit = poll_emit, .commit = poll_commit,
				      .wanted = poll_wanted, .ctx = &pc };
	struct pipeline *pl = NULL;
	struct matcher *m = NULL;
	struct matcher_slot *slot = NULL;
	struct nlp *nlp = NULL;
	struct source_run *run = NULL;
	struct source_catalogue *cat = NULL;
	struct store_source_report rep = { 0 };
	struct timer t;
	struct horch_err err, ferr;
	size_t n_topics = 0;
	char *cursor = NULL;
	int rc, prc, secs, fired, streams;
	const struct connector *k;

	if ((rc = for_secs(a, 10, &secs)))
		return rc;
	if ((rc = load(a, st, a->pos[1], &c, &cursor, &pc.epoch)))
		return rc;
	if ((rc = check(a, &c)))
		goto out;
	k = connector_find(c.kind);
	streams = k->streams ? k->streams(&c) : 0;
	/* Before the pipeline owns the store. */
	if (k->catalogue && source_catalogue_load(&cat, st, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	if (cli_load_matcher(st, &m, &n_topics, &po.topics_version, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	slot = matcher_slot_new(n_topics > 0 ? m : NULL);
	if (n_topics == 0)
		matcher_free(m);
	po.matchers = slot;
	po.reload = reload_topics;
	pc.slot = slot;
	post_init(&pc.probe);
	if (cli_load_nlp(a, st, &nlp, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	po.nlp = nlp;
	if (pipeline_new(&pl, st, &po, &err) != 0) {
		rc = cli_fail(a, &err);
		goto out;
	}
	pc.pl = pl;
	pc.id = c.id;
	hooks.catalogue = cat;
	run = source_run_new(&c, cursor, &hooks);
	interrupted = 0;
	signal(SIGINT, on_sigint);
	/* --for ends a stream; a poll ends by itself (its fetches have their
	 * own timeouts) or at Ctrl-C. */
	timer_start(&t, run, streams ? secs : 86400);
	rc = source_run_once(run, &ferr);
	fired = timer_end(&t);
	signal(SIGINT, SIG_DFL);
	if (rc == HORCH_ESTOP && streams && fired && !interrupted)
		rc = 0;
	if (rc == HORCH_ESTOP && interrupted)
		horch_err_set(&ferr, HORCH_ESTOP, "interrupted (what was fetched before is stored "
			      "with its cursor)");
	prc = pipeline_finish(pl, &ps, &err);
	/* The pipeline is done with the store: the health is ours to write. */
	rep.at = horch_now();
	rep.ok = rc == 0;
	rep.error = rc ? ferr.msg : NULL;
	rep.warning = source_run_warning(run);
	{
		struct horch_err rerr;

		if (store_source_report(st, c.id, &rep, &rerr) != 0)
			fprintf(stderr, "horch: source: warning: health not recorded: %s\n",
				rerr.msg);
	}
	if (prc) {
		cli_error(a, "%s (posts committed before this stay stored)", err.msg);
		rc = EXIT_RUNTIME;
		goto out;
	}
	if (!cli_flag(a, "quiet")) {
		char n1[32], n2[32], n3[32];

		if (*source_run_warning(run))
			fprintf(stderr, "warning: %s\n", source_run_warning(run));
		fprintf(stderr, "polled source '%s' (%s): %s posts fetched, %s new, %s topic "
			"matches%s\n", c.name, c.kind, cli_num(pc.n, n1), cli_num(ps.n_new, n2),
			cli_num(ps.n_matches, n3), fired ? " (--for reached)" : "");
	}
	if (rc) {
		if (source_run_retry(run) >= 0)
			cli_error(a, "%s (the source asks to wait %d s)", ferr.msg,
				  source_run_retry(run));
		else
			cli_error(a, "%s", ferr.msg);
		rc = EXIT_RUNTIME;
	}
out:
	source_run_free(run);
	pipeline_free(pl);
	match_doc_free(pc.doc);
	source_catalogue_free(cat);
	matcher_slot_free(slot);
	nlp_free(nlp);
	free(cursor);
	source_conf_cleanup(&c);
	return rc;
}

/* ---- import-opml ---- */

struct opml_ctx {
	struct cli_args *a;
	struct store *st;
	const char *interval;
	size_t n_added, n_skipped;
	int rc;
};

/* A source name from a feed's title: lower case, runs of anything but
 * letters and digits as one '-', at most 48 bytes; "feed" when empty. */
static void slug(char *out, size_t size, const char *title)
{
	size_t n = 0;
	int dash = 0;

	for (const unsigned char *c = (const unsigned char *)(title ? title : ""); *c &&
	     n + 2 < size && n < 48; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')) {
			out[n++] = (char)*c;
			dash = 0;
		} else if (*c >= 'A' && *c <= 'Z') {
			out[n++] = (char)(*c | 32);
			dash = 0;
		} else if (n && !dash) {
			out[n++] = '-';
			dash = 1;
		}
	}
	while (n && out[n - 1] == '-')
		n--;
	if (!n)
		n = (size_t)snprintf(out, size, "feed");
	out[n] = '\0';
}

struct exists {
	int found;
	const char *url;
	int same_url;
};

static int exists_one(void *ctx, const struct store_source *s)
{
	struct exists *e = ctx;

	if (s->url && e->url && !strcmp(s->url, e->url))
		e->same_url = 1;
	return 0;
}

static int opml_feed(void *ctx, const char *title, const char *xml_url, const char *html_url)
{
	struct opml_ctx *o = ctx;
	struct source_conf c;
	struct exists e = { .url = xml_url };
	struct horch_err err;
	char name[64], tryname[80];

	(void)html_url;
	/* A list of feeds comes from elsewhere: it names no file here. */
	if (strncasecmp(xml_url, "http://", 7) && strncasecmp(xml_url, "https://", 8)) {
		fprintf(stderr, "horch: source: skipped feed '%.200s': only http and https feeds "
			"are taken from an OPML list\n", xml_url);
		o->n_skipped++;
		return 0;
	}
	store_source_list(o->st, horch_now(), exists_one, &e, &err);
	if (e.same_url) {
		o->n_skipped++;
		return 0;
	}
	slug(name, sizeof name, title && *title ? title : xml_url);
	snprintf(tryname, sizeof tryname, "%s", name);
	for (int i = 2;; i++) {
		struct source_conf old;
		int r;

		source_conf_init(&old);
		r = store_source_get(o->st, tryname, horch_now(), got_one,
				     &(struct got){ .c = &old }, &err);
		source_conf_cleanup(&old);
		if (r == HORCH_ENOTFOUND)
			break;
		if (i == 1000) {
			fprintf(stderr, "horch: source: skipped feed '%.200s': no free name like "
				"'%s'\n", xml_url, name);
			o->n_skipped++;
			return 0;
		}
		snprintf(tryname, sizeof tryname, "%s-%d", name, i);
	}
	source_conf_init(&c);
	c.name = horch_xstrdup(tryname);
	c.kind = horch_xstrdup("rss");
	c.url = horch_xstrdup(xml_url);
	if (o->interval && source_param_set(&c, "interval", o->interval, &err)) {
		cli_error(o->a, "--interval: %s", err.msg);
		o->rc = EXIT_USAGE;
		source_conf_cleanup(&c);
		return HORCH_ESTOP;
	}
	if (source_check(&c, &err) != 0) {
		fprintf(stderr, "horch: source: skipped feed '%s': %s\n", xml_url, err.msg);
		o->n_skipped++;
	} else if ((o->rc = put(o->a, o->st, &c, NULL)) != 0) {
		source_conf_cleanup(&c);
		return HORCH_ESTOP;
	} else {
		o->n_added++;
		if (!cli_flag(o->a, "quiet"))
			fprintf(stderr, "added source '%s' (rss) %s\n", c.name, xml_url);
	}
	source_conf_cleanup(&c);
	return 0;
}

static int source_import_opml(struct cli_args *a, struct store *st)
{
	struct opml_ctx o = { .a = a, .st = st, .interval = cli_get(a, "interval") };
	struct horch_err err;
	struct buf b;
	FILE *f = strcmp(a->pos[1], "-") ? fopen(a->pos[1], "rb") : stdin;
	char chunk[65536];
	size_t n;
	int rc = EXIT_OK;

	if (!f) {
		cli_error(a, "%s: cannot be opened", a->pos[1]);
		return EXIT_RUNTIME;
	}
	buf_init(&b, 16u * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_append(&b, chunk, n)) {
			cli_error(a, "%s: more than 16 MiB: not an OPML feed list", a->pos[1]);
			rc = EXIT_RUNTIME;
			goto out;
		}
	}
	if (opml_parse(b.ptr ? b.ptr : "", b.len, opml_feed, &o, &err) != 0 && !o.rc) {
		cli_error(a, "%s: %s", a->pos[1], err.msg);
		rc = EXIT_RUNTIME;
	}
	if (o.rc)
		rc = o.rc;
	if (!cli_flag(a, "quiet"))
		fprintf(stderr, "%zu feed%s added, %zu skipped (already a source, or not usable)\n",
			o.n_added, o.n_added == 1 ? "" : "s", o.n_skipped);
out:
	if (f != stdin)
		fclose(f);
	buf_cleanup(&b);
	return rc;
}

/* ---- the command ---- */

int cmd_source(struct cli_args *a)
{
	static const struct {
		const char *name;
		int min_pos, max_pos;     /* positional arguments, the subcommand included */
		const char *opts, *usage;
	} subs[] = {
		{ "add", 2, -1, "kind url interval disabled",
		  "horch source add NAME --kind KIND [--url URL] [--interval S] [KEY=VALUE...]" },
		{ "set", 2, -1, "url interval disabled",
		  "horch source set NAME [--url U] [--interval S] [--disabled] [KEY=VALUE...]" },
		{ "list", 1, 2, "json", "horch source list [NAME] [--json]" },
		{ "rm", 2, 2, "", "horch source rm NAME" },
		{ "reset", 2, 2, "", "horch source reset NAME" },
		{ "test", 1, -1, "kind url interval limit for from-cursor",
		  "horch source test NAME | --kind KIND --url URL [KEY=VALUE...]" },
		{ "poll", 2, 2, "for sentiment-model", "horch source poll NAME [--for S]" },
		{ "kinds", 1, 1, "json", "horch source kinds [--json]" },
		{ "import-opml", 2, 2, "interval", "horch source import-opml FILE [--interval S]" },
	};
	struct store *st = NULL;
	struct horch_err err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(a->pos[0], subs[i].name))
			break;
	if (i == sizeof subs / sizeof subs[0]) {
		cli_error(a, "unknown subcommand '%s' (add, set, list, rm, reset, test, poll, kinds, "
			  "import-opml)", a->pos[0]);
		return EXIT_USAGE;
	}
	if (a->n_pos < subs[i].min_pos || (subs[i].max_pos >= 0 && a->n_pos > subs[i].max_pos)) {
		cli_error(a, "usage: %s", subs[i].usage);
		return EXIT_USAGE;
	}
	if ((rc = cli_sub_opts(a, subs[i].opts, subs[i].usage)))
		return rc;
	if (!strcmp(a->pos[0], "kinds"))
		return source_kinds(a);
	if (store_open(&st, cli_db_path(a), NULL, &err) != 0)
		return cli_fail(a, &err);
	switch (i) {
	case 0: rc = source_add(a, st); break;
	case 1: rc = source_set(a, st); break;
	case 2: rc = source_list(a, st); break;
	case 3: rc = source_rm(a, st); break;
	case 4: rc = source_reset(a, st); break;
	case 5: rc = source_test(a, st); break;
	case 6: rc = source_poll(a, st); break;
	default: rc = source_import_opml(a, st); break;
	}
	store_close(st);
	return rc;
}
