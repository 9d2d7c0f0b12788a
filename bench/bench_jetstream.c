/* bench_jetstream.c - how many Jetstream messages a second the Bluesky
 * connector handles on one core, beside the naive way, in the same run.
 *
 * Both read the same stream from the fake Jetstream of the tests
 * (tests/tools/jetstream_server, started here, sending as fast as the
 * socket takes: HORCH_BENCH_EVENTS events, default 200,000, of which the
 * post creations, replies, deletes, updates, identity and account events
 * reach a subscriber of app.bsky.feed.post) over a WebSocket on 127.0.0.1:
 *
 *   jetstream-connector  the connector's run (src/ingest/bluesky.c): its
 *                        JSON scanner, the topic pre-filter on the text
 *                        (a source_hooks.wanted that asks the presearch of
 *                        a matcher of three topics, matcher_could_match(),
 *                        as horch serve's runner does), a post built and
 *                        emitted only for the
 *                        posts that pass, the cursor committed every 1,000
 *                        messages
 *   naive-jansson        a plain libwebsockets client that parses every
 *                        message with jansson (json_loadb) and builds a
 *                        post of every post creation, filtering afterwards
 *
 * and then, on the messages the naive client kept in memory (no socket),
 * the per-message work alone: bluesky_parse() + pre-filter + post for the
 * wanted ones, against jansson + a post for every one.
 *
 * Each line reads `name  messages/s  ns/message  (cpu ns/message)`: the
 * rate is over the wall time of the whole stream, the CPU figure is this
 * thread's alone (the server runs in its own process, on the other core).
 * The goal of the issue: several thousand events a second, ten times
 * Bluesky's public rate, on one core. */
#include <inttypes.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "ingest/bluesky.h"
#include "ingest/connector.h"
#include "query/match.h"
#include "query/query.h"

/* The topics of the pre-filter: three, compiled into the matcher that
 * horch serve's runner asks (matcher_could_match(), the presearch alone). */
static const char *const topics[] = { "korvo", "keyboard OR keyboards", "laptop*" };
static struct matcher *prefilter;
static struct match_doc *prefilter_doc;

static void prefilter_build(void)
{
	struct matcher_topic t[3];
	struct query *q[3];
	struct horch_err err;

	for (size_t i = 0; i < 3; i++) {
		if (query_parse(&q[i], topics[i], strlen(topics[i]), 0, NULL, &err) != 0) {
			fprintf(stderr, "bench_jetstream: %s\n", err.msg);
			exit(1);
		}
		t[i] = (struct matcher_topic){ (int64_t)i + 1, q[i], topics[i] };
	}
	if (matcher_build(&prefilter, t, 3, &err) != 0) {
		fprintf(stderr, "bench_jetstream: %s\n", err.msg);
		exit(1);
	}
	for (size_t i = 0; i < 3; i++)
		query_free(q[i]);
	prefilter_doc = match_doc_new();
}

/* The runner's source_hooks.wanted: the text prepared as a post and asked
 * of the matcher's presearch. */
static int wanted_text(const char *text, size_t len)
{
	struct post p;
	char *copy = horch_xstrndup(text, len);
	int w;

	post_init(&p);
	p.text = copy;
	w = match_doc_set(prefilter_doc, &p) != 0 || matcher_could_match(prefilter, prefilter_doc);
	free(copy);
	return w;
}

struct counts {
	long posts, commits, wanted;
};

static int on_emit(void *ctx, struct post *p)
{
	((struct counts *)ctx)->posts++;
	post_free(p);
	return 0;
}

static int on_commit(void *ctx, const char *cursor)
{
	(void)cursor;
	((struct counts *)ctx)->commits++;
	return 0;
}

static int on_wanted(void *ctx, const char *text, size_t len)
{
	int w = wanted_text(text, len);

	((struct counts *)ctx)->wanted += w;
	return w;
}

/* ---- the fake server ---- */

static pid_t server_pid;

static int server_start(const char *path, long events)
{
	char n[32], line[64];
	int fds[2];
	ssize_t len;

	snprintf(n, sizeof n, "%ld", events);
	if (pipe(fds))
		return -1;
	server_pid = fork();
	if (server_pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(path, path, "--posts", n, "--close-at-end", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	len = read(fds[0], line, sizeof line - 1);
	close(fds[0]);
	if (len <= 5 || strncmp(line, "port=", 5) != 0)
		return -1;
	line[len] = '\0';
	return atoi(line + 5);
}

static void server_stop(void)
{
	int status;

	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, &status, 0);
	}
}

/* ---- the naive client ---- */

struct naive {
	struct buf msg;          /* the message being received */
	int done;
	long messages, posts, wanted;
	char **kept;             /* copies of the messages, for the in-memory part */
	size_t *kept_len;
	long n_kept, cap_kept;
};

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The straightforward way: a whole tree per message, a post of every post
 * creation, the topic filter applied to the finished post. */
static void naive_message(struct naive *nv, const char *msg, size_t len)
{
	json_t *root = json_loadb(msg, len, 0, NULL), *commit, *record, *langs, *reply;
	const char *did, *rkey, *text, *op, *coll, *created;
	struct post *p;
	char id[POST_FIELD_MAX];
	int64_t t;

	nv->messages++;
	if (!root)
		return;
	commit = json_object_get(root, "commit");
	record = json_object_get(commit, "record");
	did = jstr(root, "did");
	op = jstr(commit, "operation");
	coll = jstr(commit, "collection");
	rkey = jstr(commit, "rkey");
	text = jstr(record, "text");
	if (!did || !rkey || !text || !op || !coll || strcmp(op, "create") != 0 ||
	    strcmp(coll, "app.bsky.feed.post") != 0)
		goto out;
	p = post_new();
	p->source = horch_xstrdup("bluesky");
	snprintf(id, sizeof id, "at://%s/app.bsky.feed.post/%s", did, rkey);
	p->external_id = horch_xstrdup(id);
	snprintf(id, sizeof id, "https://bsky.app/profile/%s/post/%s", did, rkey);
	p->url = horch_xstrdup(id);
	p->author = horch_xstrdup(did);
	p->text = horch_xstrdup(text);
	created = jstr(record, "createdAt");
	p->created_at = json_integer_value(json_object_get(root, "time_us")) / 1000;
	if (created && horch_time_parse(created, strlen(created), &t, NULL) == 0)
		p->created_at = t;
	langs = json_object_get(record, "langs");
	if (json_is_string(json_array_get(langs, 0)))
		p->lang = horch_xstrdup(json_string_value(json_array_get(langs, 0)));
	reply = json_object_get(json_object_get(record, "reply"), "parent");
	if (jstr(reply, "uri")) {
		p->kind = POST_KIND_REPLY;
		p->parent = horch_xstrdup(jstr(reply, "uri"));
	}
	nv->posts++;
	nv->wanted += wanted_text(p->text, strlen(p->text));
	post_free(p);
out:
	json_decref(root);
}

static int naive_event(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		       void *in, size_t len)
{
	struct naive *nv = user;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_is_first_fragment(wsi))
			buf_reset(&nv->msg);
		if (buf_append(&nv->msg, in, len))
			return -1;
		if (!lws_is_final_fragment(wsi))
			break;
		naive_message(nv, nv->msg.ptr, nv->msg.len);
		if (nv->kept) {
			if (nv->n_kept == nv->cap_kept)
				break;
			nv->kept[nv->n_kept] = horch_xstrndup(nv->msg.ptr, nv->msg.len);
			nv->kept_len[nv->n_kept++] = nv->msg.len;
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		nv->done = 1;
		lws_cancel_service(lws_get_context(wsi));
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols naive_protocols[] = {
	{ "naive", naive_event, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static int naive_run(int port, struct naive *nv)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_context *ctx;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = naive_protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.fd_limit_per_thread = 8;
	ctx = lws_create_context(&info);
	if (!ctx)
		return -1;
	memset(&ci, 0, sizeof ci);
	ci.context = ctx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.path = "/subscribe?wantedCollections=app.bsky.feed.post&compress=false";
	ci.host = "127.0.0.1";
	ci.origin = "127.0.0.1";
	ci.local_protocol_name = "naive";
	ci.userdata = nv;
	if (!lws_client_connect_via_info(&ci))
		nv->done = 1;
	while (!nv->done)
		if (lws_service(ctx, 0) < 0)
			break;
	lws_context_destroy(ctx);
	return 0;
}

static void print_line(const char *name, long messages, long long wall_ns, long long cpu_ns)
{
	double secs = (double)wall_ns / 1e9;

	printf("%-28s %12.0f msg/s %9.0f ns/msg  (cpu %6.0f ns/msg, %ld messages)\n", name,
	       messages / secs, (double)wall_ns / (double)messages,
	       (double)cpu_ns / (double)messages, messages);
}

int main(int argc, char **argv)
{
	const char *env = getenv("HORCH_BENCH_EVENTS");
	long events = env && atol(env) > 0 ? atol(env) : 200000;
	const char *slash = strrchr(argv[0], '/');
	char path[4096], url[128];
	struct source_hooks hooks = { on_emit, on_commit, on_wanted, NULL, NULL };
	struct counts cnt = { 0, 0, 0 };
	struct source_conf c;
	struct source_run *r;
	struct horch_err err;
	struct naive nv;
	long long w0, c0, conn_wall, conn_cpu, naive_wall, naive_cpu;
	long conn_messages;
	int port, rc;

	(void)argc;
	signal(SIGPIPE, SIG_IGN);
	horch_log_level = LOG_ERROR;
	prefilter_build();
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(path, sizeof path, "%.*s/../tests/tools/jetstream_server",
		 slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
	if (access(path, X_OK) != 0) {
		printf("bench_jetstream: %s not built; skipped\n", path);
		return 0;
	}

	/* The naive client first, keeping the messages for the second part. */
	if ((port = server_start(path, events)) <= 0) {
		fprintf(stderr, "bench_jetstream: the server did not start\n");
		return 1;
	}
	memset(&nv, 0, sizeof nv);
	buf_init(&nv.msg, BLUESKY_MSG_MAX);
	nv.cap_kept = events;
	nv.kept = horch_xcalloc((size_t)events, sizeof *nv.kept);
	nv.kept_len = horch_xcalloc((size_t)events, sizeof *nv.kept_len);
	w0 = horch_mono_ns();
	c0 = bench_cpu_ns();
	naive_run(port, &nv);
	naive_cpu = bench_cpu_ns() - c0;
	naive_wall = horch_mono_ns() - w0;
	server_stop();

	/* The connector, on a fresh server with the same stream. */
	if ((port = server_start(path, events)) <= 0) {
		fprintf(stderr, "bench_jetstream: the server did not start\n");
		return 1;
	}
	source_conf_init(&c);
	c.name = horch_xstrdup("bench");
	c.kind = horch_xstrdup("bluesky");
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/subscribe", port);
	c.url = horch_xstrdup(url);
	source_param_set(&c, "filter", "topics", &err);
	hooks.ctx = &cnt;
	r = source_run_new(&c, NULL, &hooks);
	w0 = horch_mono_ns();
	c0 = bench_cpu_ns();
	rc = source_run_once(r, &err);
	conn_cpu = bench_cpu_ns() - c0;
	conn_wall = horch_mono_ns() - w0;
	server_stop();
	source_run_free(r);
	source_conf_cleanup(&c);
	if (rc) {
		fprintf(stderr, "bench_jetstream: the connector's run failed: %s\n", err.msg);
		return 1;
	}
	conn_messages = nv.messages;   /* the same stream */

	printf("Jetstream over a WebSocket on 127.0.0.1, %ld events generated, %ld messages "
	       "sent, %ld post creations, %ld wanted by the topics\n", events, nv.messages,
	       nv.posts, nv.wanted);
	print_line("jetstream-connector", conn_messages, conn_wall, conn_cpu);
	print_line("naive-jansson", nv.messages, naive_wall, naive_cpu);
	printf("connector posts emitted %ld (naive: %ld wanted), %ld commits\n", cnt.posts,
	       nv.wanted, cnt.commits);
	if (cnt.posts != nv.wanted)
		printf("MISMATCH: the connector emitted %ld posts, the naive client wanted %ld\n",
		       cnt.posts, nv.wanted);

	/* The per-message work alone, on the kept messages. */
	{
		struct bluesky_event ev;
		long long t_conn, t_naive;
		long posts = 0;
		struct naive nv2;

		bluesky_event_init(&ev);
		c0 = bench_cpu_ns();
		for (long i = 0; i < nv.n_kept; i++) {
			if (bluesky_parse(&ev, nv.kept[i], nv.kept_len[i], NULL))
				continue;
			if (bluesky_event_is_post(&ev) && ev.text.len &&
			    wanted_text(ev.text.ptr, ev.text.len)) {
				struct post *p = post_new();

				if (bluesky_event_post(&ev, p, NULL) == 0)
					posts++;
				post_free(p);
			}
		}
		t_conn = bench_cpu_ns() - c0;
		bluesky_event_cleanup(&ev);
		memset(&nv2, 0, sizeof nv2);
		c0 = bench_cpu_ns();
		for (long i = 0; i < nv.n_kept; i++)
			naive_message(&nv2, nv.kept[i], nv.kept_len[i]);
		t_naive = bench_cpu_ns() - c0;
		print_line("parse+filter (in memory)", nv.n_kept, t_conn, t_conn);
		print_line("jansson+post (in memory)", nv.n_kept, t_naive, t_naive);
		printf("in memory: %.1fx the naive rate (%ld posts built against %ld)\n",
		       (double)t_naive / (double)(t_conn ? t_conn : 1), posts, nv2.posts);
	}
	printf("over the socket: %.2fx the naive rate\n",
	       (double)naive_wall / (double)(conn_wall ? conn_wall : 1));
	for (long i = 0; i < nv.n_kept; i++)
		free(nv.kept[i]);
	free(nv.kept);
	free(nv.kept_len);
	buf_cleanup(&nv.msg);
	return 0;
}
