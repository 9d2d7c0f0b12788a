/* cmd_serve.c - `horch serve`: the daemon.
 *
 *   POST /api/ingest ──► pipeline (workers: normalise, enrich, match)
 *                              │
 *                              ▼
 *                        writer (group commit) ──► bus ──► live streams
 *                              │
 *                              └─► the waiting ingest calls are answered
 *
 * Reads horch.conf (--config; every setting also has a default, and the
 * command-line options override the file), opens the store, creates the
 * first admin on the first run (its one-time password is printed once),
 * builds the matcher of the stored topics, starts the pipeline and the
 * HTTP server, and then waits for a signal: SIGTERM or SIGINT stop it
 * cleanly (no new calls; the calls in progress are answered, the queue
 * drained and committed, the store closed), SIGHUP re-reads the log level
 * and rebuilds the matcher.  Topics saved through the API or by another
 * process are picked up without a signal (the writer checks the topics
 * version at each batch). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../alert/alert.h"
#include "../bus/bus.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/conf.h"
#include "../core/log.h"
#include "../http/auth.h"
#include "../http/http.h"
#include "../nlp/nlp.h"
#include "../pipeline/pipeline.h"
#include "../ingest/ingest.h"
#include "../query/match.h"
#include "../store/store.h"
#include "cli.h"

/* Every setting horch.conf may have (docs/serve.md and the commented
 * reference file horch.conf describe each). */
static const char *const known[] = {
	"server.listen", "server.db", "server.max_body", "server.max_connections",
	"server.cookie_secure",
	"pipeline.workers", "pipeline.batch_max", "pipeline.batch_ms", "pipeline.queue_max",
	"stream.queue", "stream.tick",
	"analysis.sentiment_model",
	"log.level",
	"signals.tick", "signals.step", "signals.lateness", "signals.default_rules",
	"signals.public_url",
	"answers.accounts",
	"smtp.url", "smtp.from", "smtp.user", "smtp.password",
	NULL,
};

/* known and the keys of the [alert NAME] and [source NAME] sections, for
 * conf_read(). */
static const char *const *known_keys(void)
{
	static const char *all[sizeof known / sizeof known[0] + 256];
	const char *const *src = source_conf_keys();
	size_t n = 0;

	if (all[0])
		return all;
	for (size_t i = 0; known[i]; i++)
		all[n++] = known[i];
	for (size_t i = 0; alert_conf_keys[i] && n + 1 < sizeof all / sizeof all[0]; i++)
		all[n++] = alert_conf_keys[i];
	for (size_t i = 0; src[i] && n + 1 < sizeof all / sizeof all[0]; i++)
		all[n++] = src[i];
	all[n] = NULL;
	return all;
}

struct serve_conf {
	const char *listen, *db, *model, *level;
	/* [signals], [answers], [smtp] and the [alert NAME] rules */
	int64_t sig_tick, sig_step, sig_lateness;
	int default_rules;
	const char *public_url, *accounts, *smtp_url, *smtp_from, *smtp_user, *smtp_password;
	struct alert_rule *rules;
	size_t n_rules;
	size_t max_body, max_connections, workers, batch_max, queue_max, stream_queue;
	int64_t batch_ms, tick_ms;
	int cookie_secure;
};

struct serve {
	/* Set once the server runs; read by the writer's callbacks. */
	struct http_server *_Atomic http;
	struct engine *_Atomic engine;
	pthread_mutex_t lock;
};

static void on_commit(void *ctx, const struct pipeline_batch *b)
{
	struct serve *sv = ctx;

	http_on_commit(atomic_load(&sv->http), b);
	engine_kick(atomic_load(&sv->engine));
}

static void rules_json(void *ctx, struct buf *b)
{
	struct serve *sv = ctx;
	struct engine *e = atomic_load(&sv->engine);

	if (e)
		engine_rules_json(e, b);
	else
		buf_puts(b, "{\"rules\":[]}");
}

static int rule_origin(void *ctx, const char *name)
{
	struct serve *sv = ctx;
	struct engine *e = atomic_load(&sv->engine);

	return e ? engine_rule_origin(e, name) : -1;
}

/* The API changed the alert rules. */
static void on_rules(void *ctx)
{
	struct serve *sv = ctx;

	engine_rules_changed(atomic_load(&sv->engine));
}

static void on_reject(void *ctx, const struct post *p, uint64_t tag, const struct horch_err *err)
{
	struct serve *sv = ctx;

	horch_log(LOG_INFO, "ingest", "refused source=%.40s external_id=%.64s reason=\"%s\"",
		  p->source ? p->source : "", p->external_id ? p->external_id : "", err->msg);
	http_on_reject(atomic_load(&sv->http), tag, err->msg);
}

static int reload_topics(void *ctx, struct store *st, struct matcher **out, int64_t *version,
			 struct horch_err *err)
{
	size_t n;
	int rc;

	(void)ctx;
	rc = cli_build_matcher(st, out, &n, version, 1, err);
	if (!rc)
		horch_log(LOG_INFO, "serve", "topics reloaded topics=%zu version=%lld", n,
			  (long long)*version);
	return rc;
}

static int set_level(const char *level, struct horch_err *err)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	if (!level)
		return 0;
	for (int i = 0; i < 4; i++)
		if (strcmp(level, names[i]) == 0) {
			horch_log_level = i;
			return 0;
		}
	return horch_err_set(err, HORCH_EINVAL,
			     "log.level: \"%.32s\" is not error, warn, info or debug", level);
}

/* Read the config file (when given) and the options over it into *sc.
 * Returns 0 or an exit code after printing the problem. */
static int load_conf(struct cli_args *a, struct conf *cf, struct serve_conf *sc)
{
	const char *path = cli_get(a, "config");
	struct horch_err err;
	size_t n;

	horch_err_clear(&err);
	memset(sc, 0, sizeof *sc);
	sc->listen = "127.0.0.1:8080";
	sc->batch_max = 2000;
	sc->batch_ms = 20;
	sc->tick_ms = 5000;
	sc->default_rules = 1;
	sc->sig_lateness = -1;  /* the engine's default */
	if (path && conf_read(cf, path, known_keys(), &err) != 0) {
		cli_error(a, "%s", err.msg);
		return EXIT_USAGE;
	}
	if (conf_str(cf, "server.listen", &sc->listen, &err) ||
	    conf_str(cf, "server.db", &sc->db, &err) ||
	    conf_size(cf, "server.max_body", 1024, (size_t)1 << 30, 1, &sc->max_body, &err) ||
	    conf_size(cf, "server.max_connections", 16, 65536, 0, &sc->max_connections, &err) ||
	    conf_bool(cf, "server.cookie_secure", &sc->cookie_secure, &err) ||
	    conf_size(cf, "pipeline.workers", 0, 256, 0, &sc->workers, &err) ||
	    conf_size(cf, "pipeline.batch_max", 1, 100000, 0, &sc->batch_max, &err) ||
	    conf_ms(cf, "pipeline.batch_ms", 1, 10000, &sc->batch_ms, &err) ||
	    conf_size(cf, "pipeline.queue_max", 64, 1u << 22, 0, &sc->queue_max, &err) ||
	    conf_size(cf, "stream.queue", 16, 1u << 20, 0, &sc->stream_queue, &err) ||
	    conf_ms(cf, "stream.tick", 100, 3600000, &sc->tick_ms, &err) ||
	    conf_str(cf, "analysis.sentiment_model", &sc->model, &err) ||
	    conf_str(cf, "log.level", &sc->level, &err) || set_level(sc->level, &err) ||
	    conf_ms(cf, "signals.tick", 100, 600000, &sc->sig_tick, &err) ||
	    conf_ms(cf, "signals.step", 1000, 86400000, &sc->sig_step, &err) ||
	    conf_ms(cf, "signals.lateness", 0, 3600000, &sc->sig_lateness, &err) ||
	    conf_bool(cf, "signals.default_rules", &sc->default_rules, &err) ||
	    conf_str(cf, "signals.public_url", &sc->public_url, &err) ||
	    conf_str(cf, "answers.accounts", &sc->accounts, &err) ||
	    conf_str(cf, "smtp.url", &sc->smtp_url, &err) ||
	    conf_str(cf, "smtp.from", &sc->smtp_from, &err) ||
	    conf_str(cf, "smtp.user", &sc->smtp_user, &err) ||
	    conf_str(cf, "smtp.password", &sc->smtp_password, &err) ||
	    alert_rules_from_conf(cf, &sc->rules, &sc->n_rules, &err)) {
		cli_error(a, "%s", err.msg);
		return EXIT_USAGE;
	}
	/* The command line wins over the file. */
	if (cli_get(a, "listen"))
		sc->listen = cli_get(a, "listen");
	if (cli_get(a, "db") || !sc->db)
		sc->db = cli_db_path(a);
	if (cli_get(a, "sentiment-model"))
		sc->model = cli_get(a, "sentiment-model");
	n = sc->workers;
	if (cli_count_opt(a, "workers", 0, 256, &n) != 0)
		return EXIT_USAGE;
	sc->workers = n;
	return 0;
}

/* Raise the open-files limit to its hard limit: every connection and
 * stream is a socket. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Start the signal engine (src/alert) with the settings of sc.  Returns 0
 * or an error in err. */
static int start_engine(struct serve *sv, const struct serve_conf *sc, const char *host,
			unsigned port, struct bus *bus, struct horch_err *err)
{
	struct engine_opts eo = { 0 };
	struct engine *e = NULL;
	char link[300], *list = NULL, *save = NULL, *tok;
	const char **acc = NULL;
	const char *password = getenv("HORCH_SMTP_PASSWORD");
	size_t n_acc = 0;
	int rc;

	for (size_t i = 0; i < sc->n_rules; i++)
		if (sc->rules[i].email && !sc->smtp_url)
			return horch_err_set(err, HORCH_EINVAL, "alert rule \"%s\" sends e-mail, "
					     "but [smtp] has no url", sc->rules[i].name);
	snprintf(link, sizeof link, "http://%s:%u", host, port);
	if (sc->accounts) {
		list = horch_xstrdup(sc->accounts);
		for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			acc = horch_xrealloc(acc, (n_acc + 1) * sizeof *acc);
			acc[n_acc++] = tok[0] == '@' ? tok + 1 : tok;
		}
	}
	eo.db = sc->db;
	eo.rules = sc->rules;
	eo.n_rules = sc->n_rules;
	eo.default_rules = sc->default_rules;
	eo.accounts = acc;
	eo.n_accounts = n_acc;
	eo.tick_ms = sc->sig_tick;
	eo.step_ms = sc->sig_step;
	eo.lateness_ms = sc->sig_lateness;
	eo.link_base = sc->public_url ? sc->public_url : link;
	eo.bus = bus;
	eo.deliver.smtp_url = sc->smtp_url;
	eo.deliver.smtp_from = sc->smtp_from;
	eo.deliver.smtp_user = sc->smtp_user;
	eo.deliver.smtp_password = password && *password ? password : sc->smtp_password;
	rc = engine_start(&e, &eo, err);
	if (!rc) {
		atomic_store(&sv->engine, e);
		horch_log(LOG_INFO, "serve", "signals rules=%zu accounts=%zu smtp=%s",
			  sc->n_rules, n_acc, sc->smtp_url ? "yes" : "no");
	}
	free(acc);
	free(list);
	return rc;
}

int cmd_serve(struct cli_args *a)
{
	struct serve sv;
	struct serve_conf sc;
	struct conf cf = { 0 };
	struct pipeline_opts po = { 0 };
	struct pipeline_stats ps;
	struct http_opts ho = { 0 };
	struct matcher_slot *slot = NULL;
	struct matcher *m = NULL;
	struct pipeline *pl = NULL;
	struct store *st = NULL;
	struct nlp *nlp = NULL;
	struct auth *auth = NULL;
	struct bus *bus = NULL;
	struct source_runner *runner = NULL;
	struct horch_err err;
	sigset_t sigs;
	char password[21];
	size_t n_topics = 0;
	int rc, created = 0, sig = 0;

	horch_err_clear(&err);
	memset(&sv, 0, sizeof sv);
	atomic_init(&sv.http, NULL);
	atomic_init(&sv.engine, NULL);
	if (!cli_flag(a, "quiet") && horch_log_level < LOG_INFO)
		horch_log_level = LOG_INFO;
	if ((rc = load_conf(a, &cf, &sc)) != 0)
		goto out;
	raise_nofile();
	/* Every thread started from here on inherits the blocked signals;
	 * this thread takes them with sigwait(). */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = EXIT_RUNTIME;
	if (store_open(&st, sc.db, NULL, &err) != 0 || auth_new(&auth, &err) != 0 ||
	    auth_first_run(st, password, &created, &err) != 0 ||
	    cli_load_matcher(st, &m, &n_topics, &po.topics_version, &err) != 0)
		goto fail;
	/* The [source NAME] sections: stored (with their cursors and health
	 * kept from the last run), and those removed from the file forgotten.
	 * Without a file the stored ones stay as they are. */
	if (cli_get(a, "config") && source_sync_config(st, &cf, &err) != 0) {
		cli_error(a, "%s", err.msg);
		rc = EXIT_USAGE;
		horch_err_clear(&err);
		goto fail;
	}
	if (created) {
		/* Printed once, never logged: the password is stored only as
		 * its hash, and must be changed at the first sign-in. */
		fprintf(stderr, "horch: first run: created the user \"admin\" with the one-time "
			"password\n\n    %s\n\nSign in and choose a new password. This is the only "
			"time it is shown.\n", password);
		memset(password, 0, sizeof password);
	}
	slot = matcher_slot_new(n_topics > 0 ? m : NULL);
	if (n_topics == 0)
		matcher_free(m);
	m = NULL;
	if (cli_load_nlp_model(sc.model, st, &nlp, &err) != 0 || bus_open(&bus, "local", &err) != 0)
		goto fail;
	pthread_mutex_init(&sv.lock, NULL);
	po.n_workers = sc.workers;
	po.batch_max = sc.batch_max;
	po.batch_ms = (int)sc.batch_ms;
	po.queue_max = sc.queue_max;
	po.on_commit = on_commit;
	po.on_reject = on_reject;
	po.matchers = slot;
	po.reload = reload_topics;
	po.ctx = &sv;
	po.nlp = nlp;
	if (pipeline_new(&pl, st, &po, &err) != 0)
		goto fail;
	ho.listen = sc.listen;
	ho.db = sc.db;
	ho.max_body = sc.max_body;
	ho.max_connections = sc.max_connections;
	ho.stream_queue = sc.stream_queue;
	ho.tick_ms = (int)sc.tick_ms;
	ho.cookie_secure = sc.cookie_secure;
	ho.pl = pl;
	ho.bus = bus;
	ho.auth = auth;
	ho.on_rules = on_rules;
	ho.rules_json = rules_json;
	ho.rule_origin = rule_origin;
	ho.smtp = sc.smtp_url != NULL;
	ho.ctx = &sv;
	{
		struct http_server *hs = NULL;

		if (http_start(&hs, &ho, &err) != 0)
			goto fail;
		atomic_store(&sv.http, hs);
	}
	{
		/* The host of the URL: as listened on, but a wildcard
		 * address is reached through loopback. */
		char host[256];
		const char *colon = strrchr(sc.listen, ':');
		size_t hl = colon ? (size_t)(colon - sc.listen) : 0;

		snprintf(host, sizeof host, "%.*s", (int)hl, sc.listen);
		if (!strcmp(host, "0.0.0.0") || !host[0])
			snprintf(host, sizeof host, "127.0.0.1");
		else if (!strcmp(host, "[::]"))
			snprintf(host, sizeof host, "[::1]");
		horch_log(LOG_INFO, "serve", "listening url=http://%s:%u db=%s topics=%zu pid=%ld",
			  host, http_port(atomic_load(&sv.http)), sc.db, n_topics, (long)getpid());
		if (start_engine(&sv, &sc, host, http_port(atomic_load(&sv.http)), bus, &err) != 0)
			goto fail;
		{
			struct source_runner_opts ro = { .db = sc.db, .pl = pl, .matchers = slot };

			if (source_runner_start(&runner, &ro, &err) != 0)
				goto fail;
		}
		if (cli_flag(a, "print-url")) {
			printf("http://%s:%u\n", host, http_port(atomic_load(&sv.http)));
			fflush(stdout);
		}
	}
	for (;;) {
		struct timespec poll = { 1, 0 };

		/* Once a second: has the writer failed?  Then nothing more can
		 * be stored, and the daemon stops with an error (a supervisor
		 * restarts it) rather than answer 503 for ever. */
		sig = sigtimedwait(&sigs, NULL, &poll);
		if (sig < 0) {
			if (pipeline_failed(pl)) {
				horch_log(LOG_ERROR, "serve", "the writer failed: stopping");
				break;
			}
			continue;
		}
		if (sig != SIGHUP)
			break;
		/* SIGHUP: the log level of the file again, and the topics. */
		{
			struct conf again = { 0 };
			const char *level = NULL;

			if (cli_get(a, "config") &&
			    conf_read(&again, cli_get(a, "config"), known_keys(), &err) == 0 &&
			    conf_str(&again, "log.level", &level, &err) == 0) {
				struct store *ss = NULL;

				set_level(level, &err);
				/* The sources of the file again: the runner starts,
				 * restarts or stops them at its next scan. */
				if (store_open(&ss, sc.db, NULL, &err) != 0 ||
				    source_sync_config(ss, &again, &err) != 0)
					horch_log(LOG_ERROR, "serve", "SIGHUP: sources not reloaded "
						  "error=\"%s\"", err.msg);
				store_close(ss);
			}
			conf_cleanup(&again);
			horch_log(LOG_INFO, "serve", "SIGHUP: log.level=%s; rebuilding the topics' "
				  "matcher", (const char *[]){ "error", "warn", "info",
							     "debug" }[horch_log_level & 3]);
			{
				struct store *rs = NULL;
				struct matcher *nm = NULL;
				int64_t v;

				horch_err_clear(&err);
				if (store_open(&rs, sc.db, NULL, &err) == 0 &&
				    cli_build_matcher(rs, &nm, &n_topics, &v, 1, &err) == 0)
					matcher_slot_swap(slot, nm);
				else
					horch_log(LOG_ERROR, "serve", "reload error=\"%s\"", err.msg);
				store_close(rs);
			}
		}
	}
	if (sig > 0) {
		horch_log(LOG_INFO, "serve", "signal=%s: stopping (answering the calls in "
			  "progress, committing the queue)", sig == SIGTERM ? "TERM" : "INT");
		rc = EXIT_OK;
	} else {
		rc = EXIT_RUNTIME; /* the writer's error is reported by pipeline_finish() */
		horch_err_clear(&err);
	}
fail:
	if (rc == EXIT_RUNTIME && err.code)
		cli_fail(a, &err);
	/* The sources first: a fetch in progress is aborted, and what they
	 * pushed is committed by the pipeline below with its cursors. */
	source_runner_stop(runner);
	/* The server next: its ingest calls wait for their commits, which
	 * the pipeline still makes; it is freed after the pipeline, whose
	 * writer tells it of each commit until the end. */
	http_stop(atomic_load(&sv.http));
	if (pl) {
		horch_err_clear(&err);
		if (pipeline_finish(pl, &ps, &err) != 0) {
			cli_fail(a, &err);
			rc = EXIT_RUNTIME;
		} else {
			horch_log(LOG_INFO, "serve", "stopped stored=%llu duplicates=%llu "
				  "rejected=%llu", (unsigned long long)ps.n_new,
				  (unsigned long long)ps.n_dup, (unsigned long long)ps.n_rejected);
		}
		pipeline_free(pl);
		pthread_mutex_destroy(&sv.lock);
	}
	engine_stop(atomic_load(&sv.engine), 5000);
	http_free(atomic_load(&sv.http));
	matcher_slot_free(slot);
	matcher_free(m);
	nlp_free(nlp);
	bus_close(bus);
	auth_free(auth);
	store_close(st);
out:
	alert_rules_free(sc.rules, sc.n_rules);
	conf_cleanup(&cf);
	return rc;
}
