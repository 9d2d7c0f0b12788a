/* runner.c - horch serve's source runner: every enabled source in a
 * thread of its own, polled or streamed, its posts into the pipeline and
 * its cursor stored with them, back-off on errors, health reported.
 *
 * A supervisor thread reads the sources from the store at the start and
 * every SOURCE_RESCAN_MS after, and starts, restarts (settings changed:
 * updated_at moved) or stops a job per source.  A job loops: run the
 * connector once (a poll, or a stream until it ends), report the outcome
 * to the store, wait, again.  The wait is the interval with ±10 % jitter
 * after a poll that succeeded (so that many feeds do not fetch in step),
 * and after a failure an exponential back-off with full jitter (from 5 s
 * up to an hour or the interval, whichever is longer), never less than
 * what a Retry-After asked for.  A stream that ended cleanly reconnects
 * after a second.
 *
 * Exactly once: the job's emit pushes each post into the pipeline counted
 * as the source's (pipeline_push_source()), and its commit pushes the
 * cursor with the number of the last post it covers
 * (pipeline_push_cursor()): the writer stores the cursor in the
 * transaction of the last of them to be stored.  The numbers run per source
 * for the life of the runner, across restarts of a job, as the pipeline
 * counts from its start.  A cursor carries the source's cursor epoch: one
 * handed on after the source's url changed, or it was reset, is not
 * stored.  The job continues from
 * the cursor it last committed, which may be ahead of the store's for a
 * moment (the posts are still in the pipeline); after a crash the store's
 * cursor and posts agree, and the connector reads again from there.
 *
 * Threads: the supervisor and one thread per job.  Each job opens no
 * store of its own: reports go through the runner's store under a mutex
 * (a few small writes a minute). */
#include "ingest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "connector.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../pipeline/pipeline.h"
#include "../query/match.h"
#include "../store/store.h"

#define BACKOFF_MIN_MS 5000LL
#define BACKOFF_MAX_MS 3600000LL
/* A stream reports its health this often while it is open. */
#define STREAM_REPORT_MS 60000LL

/* The count of posts pushed for one source since the pipeline started. */
struct pushed {
	int64_t source;
	uint64_t n;
};

struct job {
	struct source_runner *runner;
	struct source_conf conf;
	int64_t updated_at;        /* of the settings the job runs with */
	char *cursor;              /* where the next run starts */
	int64_t epoch;             /* the source's cursor epoch when the job started */
	struct source_run *run;    /* the run in progress, or NULL; lock */
	pthread_t thread;
	atomic_int stop;
	atomic_int done;           /* the thread has ended */
	int streams;
	struct match_doc *doc;     /* the pre-filter's, this thread's */
	struct post probe;         /* the post the pre-filter asks about */
	_Atomic int64_t last_report; /* mono ms of the last health report of a stream */
	_Atomic int64_t run_started; /* mono ms when the run in progress started; 0: none */
	uint64_t rng;
	int seen;                  /* the supervisor's mark during a scan */
	int has_thread;            /* 0: its settings were refused, no thread runs */
};

struct source_runner {
	struct source_runner_opts o;
	struct store *st;          /* reports and scans; lock */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int started;
	atomic_int stop;
	struct job **jobs;
	size_t n_jobs, cap_jobs;
	struct pushed *pushed;     /* lock */
	size_t n_pushed, cap_pushed;
};

/* The counter of posts pushed for source id (runner lock held). */
static uint64_t *pushed_of(struct source_runner *r, int64_t id)
{
	for (size_t i = 0; i < r->n_pushed; i++)
		if (r->pushed[i].source == id)
			return &r->pushed[i].n;
	r->pushed = horch_xgrow(r->pushed, &r->cap_pushed, r->n_pushed + 1, sizeof *r->pushed);
	r->pushed[r->n_pushed].source = id;
	r->pushed[r->n_pushed].n = 0;
	return &r->pushed[r->n_pushed++].n;
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int64_t mono_ms(void)
{
	return horch_mono_ns() / 1000000;
}

/* Record the outcome of a run (or of a stretch of a stream). */
static void report(struct job *j, int ok, const char *error, const char *warning)
{
	struct source_runner *r = j->runner;
	struct store_source_report rep = { horch_now(), ok, error, warning };
	struct horch_err err;

	pthread_mutex_lock(&r->lock);
	if (store_source_report(r->st, j->conf.id, &rep, &err) && err.code != HORCH_ENOTFOUND)
		horch_log(LOG_WARN, "source", "source=%s msg=\"health not recorded\" error=\"%s\"",
			  j->conf.name, err.msg);
	pthread_mutex_unlock(&r->lock);
}

static int job_emit(void *ctx, struct post *p)
{
	struct job *j = ctx;
	struct source_runner *r = j->runner;

	uint64_t seq;

	pthread_mutex_lock(&r->lock);
	seq = ++*pushed_of(r, j->conf.id);
	pthread_mutex_unlock(&r->lock);
	/* Numbered before the push: a post the pipeline refuses because it
	 * is stopping is never stored, and neither is a cursor after it (the
	 * writer waits for every number up to a cursor's). */
	return pipeline_push_source(r->o.pl, p, 0, j->conf.id, seq);
}

static int job_commit(void *ctx, const char *cursor)
{
	struct job *j = ctx;
	struct source_runner *r = j->runner;
	uint64_t n;
	int rc;

	pthread_mutex_lock(&r->lock);
	n = *pushed_of(r, j->conf.id);
	pthread_mutex_unlock(&r->lock);
	rc = pipeline_push_cursor(r->o.pl, j->conf.id, j->epoch, cursor, n);
	if (rc)
		return rc;
	free(j->cursor);
	j->cursor = horch_xstrdup(cursor);
	return 0;
}

static int job_wanted(void *ctx, const char *text, size_t len)
{
	struct job *j = ctx;
	const struct matcher *m;
	int yes;

	if (!j->runner->o.matchers)
		return 1;
	if (!j->doc)
		j->doc = match_doc_new();
	/* The text as given: the pre-filter folds it as the matcher does. */
	j->probe.text = (char *)text;
	(void)len;
	m = matcher_slot_get(j->runner->o.matchers);
	yes = match_doc_set(j->doc, &j->probe) != 0 || matcher_could_match(m, j->doc);
	matcher_put(m);
	j->probe.text = NULL;
	return yes;
}

/* The wait after a run that ended with rc, in ms. */
static int64_t next_wait(struct job *j, int rc, int errors, int retry)
{
	int64_t interval = (int64_t)j->conf.interval * 1000, wait, cap;

	if (rc == 0) {
		if (j->streams)
			return 1000;
		/* ±10 % */
		return interval - interval / 10 +
		       (int64_t)(next_rand(&j->rng) % (uint64_t)(interval / 5 + 1));
	}
	cap = interval > BACKOFF_MAX_MS ? interval : BACKOFF_MAX_MS;
	wait = BACKOFF_MIN_MS;
	for (int i = 1; i < errors && wait < cap; i++)
		wait *= 2;
	if (wait > cap)
		wait = cap;
	/* Full jitter, but never under half the step. */
	wait = wait / 2 + (int64_t)(next_rand(&j->rng) % (uint64_t)(wait / 2 + 1));
	if (retry >= 0 && (int64_t)retry * 1000 > wait)
		wait = (int64_t)retry * 1000;
	return wait;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	struct source_runner *r = j->runner;
	struct source_hooks hooks = { job_emit, job_commit, job_wanted, j, NULL };
	int errors = 0;

	prctl(PR_SET_NAME, "horch-source", 0, 0, 0);
	while (!atomic_load(&j->stop)) {
		struct horch_err err;
		struct source_catalogue *cat = NULL;
		struct source_run *run;
		int64_t wait;
		int rc, retry;

		/* The catalogue as it is now, for a connector that ties posts
		 * to products (reviews). */
		if (connector_find(j->conf.kind)->catalogue) {
			pthread_mutex_lock(&r->lock);
			if (source_catalogue_load(&cat, r->st, &err) != 0)
				horch_log(LOG_WARN, "source", "source=%s msg=\"catalogue not read\" "
					  "error=\"%s\"", j->conf.name, err.msg);
			pthread_mutex_unlock(&r->lock);
		}
		hooks.catalogue = cat;
		run = source_run_new(&j->conf, j->cursor, &hooks);
		if (!run) {
			source_catalogue_free(cat);
			break;
		}
		pthread_mutex_lock(&r->lock);
		j->run = run;
		pthread_mutex_unlock(&r->lock);
		if (atomic_load(&j->stop))
			source_run_stop(run);
		atomic_store(&j->last_report, mono_ms());
		atomic_store(&j->run_started, mono_ms());
		rc = source_run_once(run, &err);
		retry = source_run_retry(run);
		/* A stream that served a while before it ended starts its
		 * back-off afresh: its errors were not in a row. */
		if (j->streams && mono_ms() - atomic_load(&j->run_started) >= STREAM_REPORT_MS)
			errors = 0;
		atomic_store(&j->run_started, 0);
		if (rc == HORCH_ESTOP && atomic_load(&j->stop)) {
			/* Stopped by us: not an error of the source. */
		} else if (rc == 0) {
			errors = 0;
			report(j, 1, NULL, source_run_warning(run));
		} else {
			errors++;
			horch_log(LOG_WARN, "source", "source=%s kind=%s errors=%d error=\"%s\"%s",
				  j->conf.name, j->conf.kind, errors, err.msg,
				  retry >= 0 ? " retry_after_given=1" : "");
			report(j, 0, err.msg[0] ? err.msg : "failed", source_run_warning(run));
		}
		pthread_mutex_lock(&r->lock);
		j->run = NULL;
		pthread_mutex_unlock(&r->lock);
		wait = next_wait(j, rc, errors, retry);
		source_run_free(run);
		source_catalogue_free(cat);
		/* The wait, cut short by a stop. */
		pthread_mutex_lock(&r->lock);
		{
			struct timespec until;

			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += wait / 1000;
			until.tv_nsec += (wait % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			while (!atomic_load(&j->stop) &&
			       pthread_cond_timedwait(&r->wake, &r->lock, &until) == 0)
				;
		}
		pthread_mutex_unlock(&r->lock);
	}
	atomic_store(&j->done, 1);
	return NULL;
}

static void job_stop(struct job *j)
{
	struct source_runner *r = j->runner;

	pthread_mutex_lock(&r->lock);
	atomic_store(&j->stop, 1);
	if (j->run)
		source_run_stop(j->run);
	pthread_cond_broadcast(&r->wake);
	pthread_mutex_unlock(&r->lock);
}

static void job_free(struct job *j)
{
	pthread_join(j->thread, NULL);
	source_conf_cleanup(&j->conf);
	free(j->cursor);
	match_doc_free(j->doc);
	free(j);
}

/* Start a job for source s (runner lock not held). */
static void job_start(struct source_runner *r, const struct store_source *s)
{
	struct job *j = horch_xcalloc(1, sizeof *j);
	struct horch_err err;
	pthread_attr_t attr;
	const struct connector *c;

	if (source_from_store(&j->conf, s, &err) != 0 || source_check(&j->conf, &err) != 0) {
		horch_log(LOG_WARN, "source", "source=%s msg=\"not started\" error=\"%s\"", s->name,
			  err.msg);
		/* Recorded once per change of its settings, so that the
		 * source's health says why it is not running. */
		source_conf_cleanup(&j->conf);
		j->conf.id = s->id;
		j->conf.name = horch_xstrdup(s->name);
		j->runner = r;
		report(j, 0, err.msg, NULL);
		free(j->conf.name);
		j->conf.name = NULL;
		j->updated_at = s->updated_at;
		atomic_store(&j->done, 1);
		atomic_store(&j->stop, 1);
		goto keep;
	}
	c = connector_find(j->conf.kind);
	j->runner = r;
	j->updated_at = s->updated_at;
	j->cursor = horch_xstrdup(s->cursor ? s->cursor : "");
	j->epoch = s->cursor_epoch;
	j->streams = c->streams ? c->streams(&j->conf) : 0;
	if (!j->conf.interval)
		j->conf.interval = c->interval > 0 ? c->interval : 900;
	post_init(&j->probe);
	j->rng = (uint64_t)horch_now() ^ ((uint64_t)s->id << 32) ^ (uint64_t)(uintptr_t)j;
	if (!j->rng)
		j->rng = 0x9E3779B97F4A7C15ULL;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1024 * 1024);
	if (pthread_create(&j->thread, &attr, job_main, j) != 0) {
		horch_log(LOG_ERROR, "source", "source=%s msg=\"thread not started\"", s->name);
		atomic_store(&j->done, 1);
		atomic_store(&j->stop, 1);
		pthread_attr_destroy(&attr);
		/* A job without a thread: kept (so as not to retry every scan)
		 * but never joined. */
		goto keep;
	}
	pthread_attr_destroy(&attr);
	j->has_thread = 1;
	horch_log(LOG_INFO, "source", "source=%s kind=%s msg=started%s", j->conf.name, j->conf.kind,
		  j->streams ? " streams=1" : "");
keep:
	j->seen = 1;
	r->jobs = horch_xgrow(r->jobs, &r->cap_jobs, r->n_jobs + 1, sizeof *r->jobs);
	r->jobs[r->n_jobs++] = j;
}

static void job_drop(struct source_runner *r, size_t i)
{
	struct job *j = r->jobs[i];

	job_stop(j);
	if (j->has_thread) {
		job_free(j);
	} else {
		source_conf_cleanup(&j->conf);
		free(j->cursor);
		match_doc_free(j->doc);
		free(j);
	}
	r->jobs[i] = r->jobs[--r->n_jobs];
}

/* A copy of the fields of a source row the supervisor needs. */
struct row {
	int64_t id, updated_at, epoch;
	int enabled, from_config, interval;
	char *name, *kind, *url, *params, *cursor;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static int collect(void *ctx, const struct store_source *s)
{
	struct rows *rs = ctx;
	struct row *w;

	rs->v = horch_xgrow(rs->v, &rs->cap, rs->n + 1, sizeof *rs->v);
	w = &rs->v[rs->n++];
	w->id = s->id;
	w->updated_at = s->updated_at;
	w->epoch = s->cursor_epoch;
	w->enabled = s->enabled;
	w->from_config = s->from_config;
	w->interval = s->interval;
	w->name = horch_xstrdup(s->name);
	w->kind = horch_xstrdup(s->kind);
	w->url = horch_xstrdup(s->url);
	w->params = horch_xstrdup(s->params);
	w->cursor = horch_xstrdup(s->cursor);
	return 0;
}

/* Start, restart or keep the job of source row w. */
static void scan_one(struct source_runner *r, const struct row *w)
{
	struct store_source s = {
		.id = w->id, .name = w->name, .kind = w->kind, .url = w->url,
		.interval = w->interval, .enabled = w->enabled, .from_config = w->from_config,
		.params = w->params, .cursor = w->cursor, .updated_at = w->updated_at,
		.cursor_epoch = w->epoch,
	};
	size_t i;

	for (i = 0; i < r->n_jobs; i++)
		if (r->jobs[i]->conf.id == w->id)
			break;
	if (i < r->n_jobs && (r->jobs[i]->updated_at != w->updated_at || !w->enabled)) {
		if (w->enabled)
			horch_log(LOG_INFO, "source", "source=%s msg=\"settings changed: restarted\"",
				  w->name);
		else
			horch_log(LOG_INFO, "source", "source=%s msg=stopped why=disabled", w->name);
		job_drop(r, i);
		i = r->n_jobs;
	}
	if (!w->enabled)
		return;
	if (i < r->n_jobs) {
		r->jobs[i]->seen = 1;
		return;
	}
	job_start(r, &s);
}

/* An open stream reports itself healthy once a minute, posts or not (a
 * quiet hashtag is not a stalled source); a connection that dies ends its
 * run, which reports the error. */
static void report_streams(struct source_runner *r)
{
	int64_t now = mono_ms();

	for (size_t i = 0; i < r->n_jobs; i++) {
		struct job *j = r->jobs[i];

		if (!j->has_thread || !j->streams || !atomic_load(&j->run_started) ||
		    now - atomic_load(&j->last_report) < STREAM_REPORT_MS)
			continue;
		atomic_store(&j->last_report, now);
		report(j, 1, NULL, NULL);
	}
}

/* Bring the jobs in line with the sources in the store. */
static void scan(struct source_runner *r)
{
	struct rows rs = { 0 };
	struct horch_err err;
	int rc;

	pthread_mutex_lock(&r->lock);
	rc = store_source_list(r->st, horch_now(), collect, &rs, &err);
	pthread_mutex_unlock(&r->lock);
	if (rc) {
		horch_log(LOG_WARN, "source", "msg=\"sources not read\" error=\"%s\"", err.msg);
	} else {
		for (size_t i = 0; i < r->n_jobs; i++)
			r->jobs[i]->seen = 0;
		for (size_t i = 0; i < rs.n; i++)
			scan_one(r, &rs.v[i]);
		/* Deleted or disabled. */
		for (size_t i = r->n_jobs; i-- > 0;)
			if (!r->jobs[i]->seen) {
				horch_log(LOG_INFO, "source", "source=%s msg=stopped",
					  r->jobs[i]->conf.name ? r->jobs[i]->conf.name : "");
				job_drop(r, i);
			}
	}
	for (size_t i = 0; i < rs.n; i++) {
		free(rs.v[i].name);
		free(rs.v[i].kind);
		free(rs.v[i].url);
		free(rs.v[i].params);
		free(rs.v[i].cursor);
	}
	free(rs.v);
}

static void *supervise(void *arg)
{
	struct source_runner *r = arg;

	prctl(PR_SET_NAME, "horch-sources", 0, 0, 0);
	while (!atomic_load(&r->stop)) {
		struct timespec until;

		scan(r);
		report_streams(r);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SOURCE_RESCAN_MS / 1000;
		until.tv_nsec += (SOURCE_RESCAN_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&r->lock);
		while (!atomic_load(&r->stop) &&
		       pthread_cond_timedwait(&r->wake, &r->lock, &until) == 0)
			;
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

int source_runner_start(struct source_runner **out, const struct source_runner_opts *o,
			struct horch_err *err)
{
	struct source_runner *r = horch_xcalloc(1, sizeof *r);
	pthread_condattr_t ca;
	int rc;

	r->o = *o;
	if ((rc = store_open(&r->st, o->db, NULL, err)) != 0) {
		free(r);
		return rc;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&r->thread, NULL, supervise, r) != 0) {
		source_runner_stop(r);
		return horch_err_set(err, HORCH_EIO, "sources: cannot start the runner thread");
	}
	r->started = 1;
	*out = r;
	return 0;
}

void source_runner_stop(struct source_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->stop, 1);
	pthread_cond_broadcast(&r->wake);
	pthread_mutex_unlock(&r->lock);
	if (r->started)
		pthread_join(r->thread, NULL);
	/* Every job is asked first, so that they stop together. */
	for (size_t i = 0; i < r->n_jobs; i++)
		job_stop(r->jobs[i]);
	while (r->n_jobs)
		job_drop(r, r->n_jobs - 1);
	free(r->jobs);
	free(r->pushed);
	store_close(r->st);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
