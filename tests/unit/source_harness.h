/* source_harness.h - what the unit tests of the connectors share
 * (test_rss.c, test_mastodon.c, test_bluesky.c, test_reddit.c, test_hn.c,
 * test_reviews.c): a fake server of tests/tools run as a child process
 * (fake_find, fake_start, fake_stop) and its control routes over HTTP
 * (fake_get, fake_stat); one run of a source into the hooks a test
 * collects with (harness_conf, harness_run); the counter of a parser's
 * warnings (struct warns, on_warn); and helpers over the forum server.
 *
 * Header-only, like tap.h: a test includes it once, after tap.h.  Every
 * function is static and marked unused, so that a test that needs only
 * some of them still builds with -Werror.  The tests of reddit, hn and
 * reviews run their server in-process instead (tests/tools/forum_server.c,
 * compiled in with FORUM_SERVER_EMBED before this header, which has their
 * sink and poll_with()); the last part of this header, built only then,
 * starts and restarts that server, reads its log and sets aside what a
 * killed run stored (forum_begin, restart, log_line, sink_keep).  Call
 * everything from the main thread, like tap.h's checks. */
#ifndef HORCH_SOURCE_HARNESS_H
#define HORCH_SOURCE_HARNESS_H

#include <curl/curl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "ingest/connector.h"
#include "tap.h"

/* ---- a fake server of tests/tools ---- */

/* A running fake server. */
struct fake {
	pid_t pid;           /* its process; 0 when it is not running */
	int port;            /* the port it said it listens on */
	char base[64];       /* http://127.0.0.1:PORT */
};

/* The program fake_start() runs, as fake_find() found it. */
static char fake_path[PATH_MAX];

/* Find the fake server tool: $env when that is set and not empty, else
 * ../tools/TOOL beside this test's executable (the build tree's layout).
 * Returns 0 when fake_path names an executable, -1 otherwise. */
__attribute__((unused))
static int fake_find(const char *tool, const char *env)
{
	const char *path = env ? getenv(env) : NULL;
	char self[PATH_MAX];
	ssize_t len;
	char *slash;

	if (path && *path) {
		snprintf(fake_path, sizeof fake_path, "%s", path);
		return access(fake_path, X_OK);
	}
	len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return -1;
	self[len] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(fake_path, sizeof fake_path, "%s/../tools/%s", self, tool) >=
	    sizeof fake_path)
		return -1;
	return access(fake_path, X_OK);
}

/* Start fake_path with args (NULL-terminated, or NULL) and read the
 * "port=N" of its first line.  Returns 0 and fills f; or -1, with a
 * diagnostic and no child left, when it did not say its port. */
__attribute__((unused))
static int fake_start(struct fake *f, const char *const *args)
{
	const char *argv[32];
	int fds[2], n = 0;
	char line[64];
	FILE *out;

	memset(f, 0, sizeof *f);
	argv[n++] = fake_path;
	for (size_t i = 0; args && args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe(fds))
		return -1;
	/* Whatever stdio holds must not be written twice. */
	fflush(stdout);
	f->pid = fork();
	if (f->pid < 0) {
		close(fds[0]);
		close(fds[1]);
		f->pid = 0;
		return -1;
	}
	if (f->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(fake_path, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	if (!out || !fgets(line, sizeof line, out) || sscanf(line, "port=%d", &f->port) != 1) {
		if (out)
			fclose(out);
		else
			close(fds[0]);
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
		f->pid = 0;
		diag("%s did not start", fake_path);
		return -1;
	}
	fclose(out);
	snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d", f->port);
	return 0;
}

/* Stop the server f runs (SIGTERM) and wait for it; nothing when it does
 * not run. */
__attribute__((unused))
static void fake_stop(struct fake *f)
{
	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		waitpid(f->pid, NULL, 0);
	}
	f->pid = 0;
}

__attribute__((unused))
static size_t fake__body(char *p, size_t size, size_t n, void *arg)
{
	return buf_append(arg, p, size * n) ? 0 : size * n;
}

/* GET base + path from the server f runs (its control routes).  Returns
 * the body, which the caller frees, or NULL when the request failed. */
__attribute__((unused))
static char *fake_get(const struct fake *f, const char *path)
{
	CURL *c = curl_easy_init();
	char url[512];
	struct buf b;
	CURLcode cc;

	snprintf(url, sizeof url, "%s%s", f->base, path);
	buf_init(&b, BUF_NOLIMIT);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fake__body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	cc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (cc != CURLE_OK) {
		buf_cleanup(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The number named name in the server's /_stats, or -1 when there is no
 * answer. */
__attribute__((unused))
static long fake_stat(const struct fake *f, const char *name)
{
	char *body = fake_get(f, "/_stats");
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	long v = j ? (long)json_integer_value(json_object_get(j, name)) : -1;

	json_decref(j);
	free(body);
	return v;
}

/* ---- one run of a source ---- */

/* Initialise c as a source named name of kind at url, with the settings
 * kv ("key", "value", ..., NULL; or NULL).  A setting the connector
 * refuses is said in a diagnostic.  The caller cleans c up with
 * source_conf_cleanup(). */
__attribute__((unused))
static void harness_conf(struct source_conf *c, const char *name, const char *kind,
			 const char *url, const char *const *kv)
{
	source_conf_init(c);
	c->name = horch_xstrdup(name);
	c->kind = horch_xstrdup(kind);
	c->url = horch_xstrdup(url);
	for (size_t i = 0; kv && kv[i]; i += 2)
		if (source_param_set(c, kv[i], kv[i + 1], NULL))
			diag("bad setting %s", kv[i]);
}

/* Run the source c once from cursor (NULL: none), handing what it reads
 * to hooks.  Returns the run's result, with its error in *err; stores its
 * retry in *retry and its warning in warning[0..wsize) when they are not
 * NULL. */
__attribute__((unused))
static int harness_run(const struct source_conf *c, const char *cursor,
		       const struct source_hooks *hooks, struct horch_err *err, int *retry,
		       char *warning, size_t wsize)
{
	struct source_run *r = source_run_new(c, cursor, hooks);
	int rc;

	horch_err_clear(err);
	rc = source_run_once(r, err);
	if (retry)
		*retry = source_run_retry(r);
	if (warning)
		snprintf(warning, wsize, "%s", source_run_warning(r));
	source_run_free(r);
	return rc;
}

/* ---- a parser's warnings ---- */

/* How many warnings a parser gave, and the last. */
struct warns {
	int n;               /* warnings given */
	char last[512];      /* the last of them */
};

/* The warn callback of a parser, ctx a struct warns. */
__attribute__((unused))
static void on_warn(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	w->n++;
	snprintf(w->last, sizeof w->last, "%s", msg);
}


#ifdef FORUM_SERVER_EMBED
/* ---- the forum server in-process (tests/tools/forum_server.c) ----
 *
 * For the tests of reddit, hn and reviews, which compile the server in
 * before this header: its srv, base_url, poll_kind and sink are theirs. */

/* Start the server with its defaults for the tests of the kind connector
 * (srv, base_url and poll_kind).  Returns 0, or -1 when it did not
 * start. */
__attribute__((unused))
static int forum_begin(const char *kind)
{
	struct forum_opts o;

	poll_kind = kind;
	forum_opts_default(&o);
	srv = forum_start(&o, 0);
	if (!srv)
		return -1;
	snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u", srv->port);
	return 0;
}

/* Start the server again with posts items, every bad_every-th of them
 * broken (0: none) and the reviews in order (0 shuffled, 1 oldest first,
 * 2 newest first); base_url follows it. */
__attribute__((unused))
static void restart(long posts, long bad_every, int order)
{
	struct forum_opts o;

	forum_stop(srv);
	forum_opts_default(&o);
	o.posts = posts;
	o.bad_every = bad_every;
	o.order = order;
	srv = forum_start(&o, 0);
	snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u", srv->port);
}

/* The k-th last request the server logged (0: the last), in a buffer
 * that the next call overwrites. */
__attribute__((unused))
static const char *log_line(size_t k)
{
	static char line[FS_LOG_LINE];

	forum_log(srv, k, line, sizeof line);
	return line;
}

/* Move the posts of s to the end of all and forget them in s, which keeps
 * its cursor: what a killed run stored, set aside before the restart. */
__attribute__((unused))
static void sink_keep(struct sink *all, struct sink *s)
{
	for (size_t i = 0; i < s->n; i++) {
		all->posts[all->n] = s->posts[i];
		all->ids[all->n++] = s->ids[i];
	}
	s->n = 0;
	sink_next(s);
}
#endif

#endif
