/* cmd_replay.c - `horch replay FILE...`: play posts into a running
 * `horch serve` through POST /api/ingest, in time order, at a chosen pace.
 *
 * Every post is read first (ingest/file.c, the reader of horch import) and
 * kept as its canonical JSON with its time and place; a bad record stops
 * the replay before anything is sent, so that a stream is never played
 * with holes.  The posts are sorted by created_at (stable: posts of the
 * same moment keep their order) and sent on a schedule: post i is due
 * (t_i - t_0) / speed after the start.  The player sleeps until the next
 * post is due, then sends it with every post due within the next quarter
 * of a second (the send slot), up to --batch posts, as one JSON array.
 * When it falls behind (a slow server, a retry), the posts already due go
 * at once, --batch at a time, until it has caught up.
 *
 * A request that fails on the way (no connection, a timeout) or that the
 * server answers 502, 503, 504 or 429 is sent again after a pause (the
 * server's Retry-After, else 0.25 s doubling to 8 s) for up to
 * GIVE_UP_SECS; the server stores a post once by (source, external id), so
 * sending it again is safe.  A 413 splits the request in two.  A 401, 403
 * or another refusal of the whole request stops the replay with the
 * server's message.
 *
 * libcurl, one easy handle (a kept-alive connection); single-threaded. */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/post.h"
#include "../ingest/ingest.h"

#define DEFAULT_URL "http://127.0.0.1:8080"
#define MAX_POSTS 10000000u          /* posts held in memory at once */
#define SLOT_NS 250000000LL          /* posts due within this go together */
#define GIVE_UP_SECS 300             /* retry a failing request this long */
#define RESPONSE_MAX (4u * 1024 * 1024) /* bytes of one response body */
#define MAX_MESSAGES 50              /* rejections listed in the summary */
#define MAX_BAD_SHOWN 20             /* bad records listed before nothing is sent */

/* One post to send: its canonical JSON, its time, where it was read. */
struct rpost {
	int64_t t;       /* created_at, ms */
	char *json;      /* one line, owned */
	size_t len;
	uint32_t file;   /* index of its FILE argument */
	long line;       /* its line in that file */
	size_t seq;      /* reading order, for a stable sort */
};

struct replay {
	const struct cli_args *args;
	struct rpost *p;
	size_t n, cap;
	CURL *curl;
	struct curl_slist *headers;
	char *endpoint;            /* URL/api/ingest */
	struct buf body, resp;
	long retry_after;          /* seconds, from the last response; -1 none */
	int progress;              /* draw a progress line on stderr */
	int bar_shown;
	int64_t started_ns, last_draw_ns;
	int64_t stream_t;          /* the stream's clock: the last post sent */
	/* what the server said */
	uint64_t n_sent, n_stored, n_dup, n_rejected;
	char *messages[MAX_MESSAGES];
	size_t n_messages;
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void clear_bar(struct replay *r)
{
	cli_bar_clear(&r->bar_shown);
}

static void draw_bar(struct replay *r, int force)
{
	int64_t now = horch_mono_ns();
	char label[64], t[HORCH_TIME_BUFSZ];

	if (!r->progress || (!force && now - r->last_draw_ns < 200000000))
		return;
	r->last_draw_ns = now;
	snprintf(label, sizeof label, "replay %s", horch_time_format(r->stream_t, t));
	cli_bar(label, r->n ? (double)r->n_sent / (double)r->n : 1.0, r->n_sent, "posts",
		r->started_ns);
	r->bar_shown = 1;
}

/* Record a rejection message for the summary ("FILE:LINE: reason"). */
static void add_message(struct replay *r, const struct rpost *p, const char *msg)
{
	struct buf b;

	if (r->n_messages == MAX_MESSAGES)
		return;
	buf_init(&b, BUF_NOLIMIT);
	if (p)
		buf_printf(&b, "%s:%ld: ", r->args->pos[p->file], p->line);
	buf_puts(&b, msg);
	r->messages[r->n_messages++] = buf_take(&b);
}

static int cmp_rpost(const void *pa, const void *pb)
{
	const struct rpost *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Read every FILE into r->p.  Returns 0, or EXIT_RUNTIME / EXIT_USAGE
 * after printing the problems (each bad record with its place). */
static int read_all(struct replay *r)
{
	const struct cli_args *a = r->args;
	struct file_opts fo = { 0 };
	struct buf json;
	uint64_t n_bad = 0;
	int64_t t;
	int rc = 0;

	buf_init(&json, POST_JSON_MAX);
	for (int i = 0; i < a->n_pos && !interrupted; i++) {
		struct file_reader *fr = NULL;
		struct horch_err err;

		horch_err_clear(&err);
		if (file_reader_open(&fr, a->pos[i], &fo, &err) != 0) {
			cli_error(a, "%s", err.msg);
			rc = err.code == HORCH_EINVAL || err.code == HORCH_EUSAGE ? EXIT_USAGE
										  : EXIT_RUNTIME;
			goto out;
		}
		for (;;) {
			struct post p;
			int got;

			post_init(&p);
			horch_err_clear(&err);
			got = file_reader_next(fr, &p, &err);
			if (got == 0 || interrupted) {
				post_cleanup(&p);
				break;
			}
			if (got > 0 && p.created_at == HORCH_TIME_NONE) {
				long line = err.line;

				horch_err_set(&err, HORCH_EINVAL, "no created_at: replay places each "
					      "post by its time");
				err.line = line;
				got = -1;
			}
			if (got > 0 && r->n == MAX_POSTS) {
				cli_error(a, "%s:%ld: more than %u posts: replay the files in parts",
					  a->pos[i], err.line, MAX_POSTS);
				post_cleanup(&p);
				file_reader_close(fr);
				rc = EXIT_RUNTIME;
				goto out;
			}
			if (got < 0) {
				if (++n_bad <= MAX_BAD_SHOWN) {
					fprintf(stderr, "horch: replay: %s:%ld:", a->pos[i], err.line);
					if (err.col > 0)
						fprintf(stderr, "%ld:", err.col);
					fprintf(stderr, " %s\n", err.msg);
				}
				post_cleanup(&p);
				continue;
			}
			/* The server sets the time it heard the post.  --live:
			 * and the time it was written too (the server dates a
			 * post without one at its arrival), so that the stream
			 * plays as if it were happening now. */
			p.fetched_at = HORCH_TIME_NONE;
			t = p.created_at;
			if (cli_flag(a, "live"))
				p.created_at = HORCH_TIME_NONE;
			buf_reset(&json);
			if (post_to_json(&p, &json) != 0) {
				if (++n_bad <= MAX_BAD_SHOWN)
					fprintf(stderr, "horch: replay: %s:%ld: the post is larger than "
						"%u bytes as JSON\n", a->pos[i], err.line, POST_JSON_MAX);
				post_cleanup(&p);
				continue;
			}
			r->p = horch_xgrow(r->p, &r->cap, r->n + 1, sizeof *r->p);
			r->p[r->n] = (struct rpost){
				.t = t,
				.json = horch_xstrndup(json.ptr, json.len),
				.len = json.len,
				.file = (uint32_t)i,
				.line = err.line,
				.seq = r->n,
			};
			r->n++;
			post_cleanup(&p);
		}
		file_reader_close(fr);
	}
	if (n_bad > 0) {
		char num[32];

		if (n_bad > MAX_BAD_SHOWN)
			fprintf(stderr, "horch: replay: ... and %llu more\n",
				(unsigned long long)(n_bad - MAX_BAD_SHOWN));
		cli_error(a, "%s bad record%s: nothing was sent", cli_num(n_bad, num),
			  n_bad == 1 ? "" : "s");
		rc = EXIT_RUNTIME;
		goto out;
	}
	qsort(r->p, r->n, sizeof *r->p, cmp_rpost);
out:
	buf_cleanup(&json);
	return rc;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct replay *r = ctx;

	/* A response larger than the cap ends the transfer (an error). */
	if (buf_append(&r->resp, data, size * n) != 0)
		return 0;
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct replay *r = ctx;
	size_t len = size * n;

	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		const char *v = data + 12;
		char *end;
		long secs;

		while (*v == ' ' || *v == '\t')
			v++;
		secs = strtol(v, &end, 10);
		if (end != v && secs >= 0)
			r->retry_after = secs > 3600 ? 3600 : secs;
	}
	return len;
}

/* Sleep ns nanoseconds, drawing the progress line; returns early on Ctrl-C. */
static void pause_ns(struct replay *r, int64_t ns)
{
	int64_t until = horch_mono_ns() + ns;

	while (!interrupted) {
		int64_t left = until - horch_mono_ns();
		struct timespec ts;

		if (left <= 0)
			break;
		if (left > 100000000)
			left = 100000000;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left;
		nanosleep(&ts, NULL);
		draw_bar(r, 0);
	}
}

/* Read the numbers of a 200 answer for the posts p[0..n).  Returns 0, or
 * -1 when the answer is not what the API promises. */
static int take_answer(struct replay *r, const struct rpost *p, size_t n)
{
	json_error_t jerr;
	json_t *root = json_loadb(r->resp.ptr ? r->resp.ptr : "", r->resp.len, 0, &jerr);
	json_t *errors, *e;
	size_t i;

	if (!json_is_object(root)) {
		json_decref(root);
		return -1;
	}
	r->n_sent += n;
	r->n_stored += (uint64_t)json_integer_value(json_object_get(root, "stored"));
	r->n_dup += (uint64_t)json_integer_value(json_object_get(root, "duplicates"));
	r->n_rejected += (uint64_t)json_integer_value(json_object_get(root, "rejected"));
	errors = json_object_get(root, "errors");
	json_array_foreach(errors, i, e) {
		json_t *ix = json_object_get(e, "index");
		const char *msg = json_string_value(json_object_get(e, "message"));
		json_int_t k = json_is_integer(ix) ? json_integer_value(ix) : -1;

		add_message(r, k >= 0 && (size_t)k < n ? &p[k] : NULL, msg ? msg : "rejected");
	}
	json_decref(root);
	return 0;
}

/* The server's message in an error answer, into out. */
static void answer_message(struct replay *r, char *out, size_t size)
{
	json_error_t jerr;
	json_t *root = json_loadb(r->resp.ptr ? r->resp.ptr : "", r->resp.len, 0, &jerr);
	const char *msg = json_string_value(json_object_get(json_object_get(root, "error"),
							    "message"));

	snprintf(out, size, "%s", msg ? msg : "no message");
	json_decref(root);
}

/* Send the posts p[0..n) as one request, again and again while the server
 * cannot be reached or is busy.  Returns 0 when the server answered for
 * them (stored, duplicates or rejected), or EXIT_RUNTIME after printing
 * why the replay must stop. */
static int send_posts(struct replay *r, struct rpost *p, size_t n)
{
	int64_t first_failure = 0, backoff_ms = 250;
	int said = 0;

	buf_reset(&r->body);
	buf_putc(&r->body, '[');
	for (size_t i = 0; i < n; i++) {
		if ((i && buf_putc(&r->body, ',') != 0) || buf_append(&r->body, p[i].json, p[i].len) != 0)
			return EXIT_RUNTIME;  /* the body has no cap of its own */
	}
	buf_putc(&r->body, ']');
	for (;;) {
		CURLcode cc;
		long status = 0;
		char msg[512];
		int retry;

		buf_reset(&r->resp);
		r->retry_after = -1;
		curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, r->body.ptr);
		curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body.len);
		cc = curl_easy_perform(r->curl);
		if (cc == CURLE_OK)
			curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
		if (cc == CURLE_OK && status == 200) {
			if (said) {
				clear_bar(r);
				fprintf(stderr, "horch: replay: the server answers again\n");
			}
			if (take_answer(r, p, n) != 0) {
				clear_bar(r);
				cli_error(r->args, "the server's answer is not the ingest answer: %.200s",
					  r->resp.ptr ? r->resp.ptr : "");
				return EXIT_RUNTIME;
			}
			return 0;
		}
		if (cc == CURLE_OK && status == 413 && n > 1) {
			int rc = send_posts(r, p, n / 2);

			return rc ? rc : send_posts(r, p + n / 2, n - n / 2);
		}
		if (cc == CURLE_OK && (status == 413 || status == 422)) {
			/* The one post is refused, or every post of the request:
			 * each counts as rejected, with the server's reason. */
			answer_message(r, msg, sizeof msg);
			r->n_sent += n;
			r->n_rejected += n;
			for (size_t i = 0; i < n; i++)
				add_message(r, &p[i], msg);
			return 0;
		}
		retry = cc != CURLE_OK ? cc != CURLE_UNSUPPORTED_PROTOCOL && cc != CURLE_URL_MALFORMAT &&
						 cc != CURLE_WRITE_ERROR
				       : status == 429 || status == 502 || status == 503 || status == 504;
		if (!retry) {
			clear_bar(r);
			if (cc != CURLE_OK) {
				cli_error(r->args, "%s: %s", r->endpoint, curl_easy_strerror(cc));
			} else {
				answer_message(r, msg, sizeof msg);
				cli_error(r->args, "the server refused the request (%ld): %s%s", status, msg,
					  status == 401 ? " (check --token or $HORCH_TOKEN)"
					  : status == 403 ? " (the token needs the role analyst or admin)"
							  : "");
			}
			return EXIT_RUNTIME;
		}
		if (!first_failure)
			first_failure = horch_mono_ns();
		if (horch_mono_ns() - first_failure > GIVE_UP_SECS * 1000000000LL) {
			clear_bar(r);
			cli_error(r->args, "gave up after %d s: %s", GIVE_UP_SECS,
				  cc != CURLE_OK ? curl_easy_strerror(cc) : "the server stays busy");
			return EXIT_RUNTIME;
		}
		if (!said && !cli_flag(r->args, "quiet")) {
			clear_bar(r);
			if (cc != CURLE_OK)
				fprintf(stderr, "horch: replay: %s (%s); trying again\n",
					curl_easy_strerror(cc), r->endpoint);
			else
				fprintf(stderr, "horch: replay: the server is busy (%ld); trying again\n",
					status);
			said = 1;
		}
		pause_ns(r, r->retry_after >= 0 ? r->retry_after * 1000000000LL
						: backoff_ms * 1000000LL);
		if (interrupted)
			return EXIT_RUNTIME;
		if (backoff_ms < 8000)
			backoff_ms *= 2;
	}
}

/* Send every post on its schedule.  Returns 0 or EXIT_RUNTIME. */
static int play(struct replay *r, double speed, size_t batch)
{
	int64_t t0 = r->p[0].t;
	size_t i = 0;

	r->started_ns = horch_mono_ns();
	r->stream_t = t0;
	while (i < r->n && !interrupted) {
		size_t j = i + 1;
		int rc;

		if (speed > 0) {
			/* When post k is due: ns after the start. */
#define DUE(k) ((int64_t)((double)(r->p[k].t - t0) * 1e6 / speed))
			int64_t now = horch_mono_ns() - r->started_ns;
			int64_t slot_end = (DUE(i) > now ? DUE(i) : now) + SLOT_NS;

			if (DUE(i) > now)
				pause_ns(r, DUE(i) - now);
			if (interrupted)
				break;
			while (j < r->n && j - i < batch && DUE(j) < slot_end)
				j++;
#undef DUE
		} else {
			j = i + batch < r->n ? i + batch : r->n;
		}
		if ((rc = send_posts(r, &r->p[i], j - i)) != 0)
			return rc;
		r->stream_t = r->p[j - 1].t;
		draw_bar(r, 0);
		i = j;
	}
	return 0;
}

/* The endpoint from --url, $HORCH_URL or the default: URL/api/ingest.
 * Returns NULL after printing the problem. */
static char *endpoint(const struct cli_args *a)
{
	const char *url = cli_get(a, "url");
	size_t len;
	char *out;

	if (!url)
		url = getenv("HORCH_URL");
	if (!url || !*url)
		url = DEFAULT_URL;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		cli_error(a, "--url: expected http://HOST:PORT or https://..., got '%s'", url);
		return NULL;
	}
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	out = horch_xmalloc(len + sizeof "/api/ingest");
	memcpy(out, url, len);
	memcpy(out + len, "/api/ingest", sizeof "/api/ingest");
	return out;
}

/* --speed: a number from 0 to 1000000.  Returns 0 or EXIT_USAGE. */
static int speed_opt(const struct cli_args *a, double *out)
{
	const char *v = cli_get(a, "speed");
	char *end;
	double x;

	if (!v)
		return 0;
	errno = 0;
	x = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(x) || x < 0 || x > 1e6 ||
	    !((*v >= '0' && *v <= '9') || *v == '.')) {
		cli_error(a, "--speed: expected a number from 0 to 1000000 (0: as fast as "
			  "possible), got '%s'", v);
		return EXIT_USAGE;
	}
	*out = x;
	return 0;
}

static void print_summary(struct replay *r, double secs)
{
	char n1[32], n2[32], n3[32], n4[32], n5[32];

	fprintf(stderr, "replayed %s of %s posts in %.1f s: %s stored, %s duplicates, "
		"%s rejected\n", cli_num(r->n_sent, n1), cli_num(r->n, n2), secs,
		cli_num(r->n_stored, n3), cli_num(r->n_dup, n4), cli_num(r->n_rejected, n5));
	for (size_t i = 0; i < r->n_messages; i++)
		fprintf(stderr, "  rejected: %s\n", r->messages[i]);
	if (r->n_rejected > r->n_messages)
		fprintf(stderr, "  ... and %llu more rejected\n",
			(unsigned long long)(r->n_rejected - r->n_messages));
}

int cmd_replay(struct cli_args *a)
{
	struct replay r = { .args = a };
	struct sigaction sa, old_sa;
	const char *token = cli_get(a, "token");
	char *auth = NULL;
	double speed = 60;
	size_t batch = 100;
	int rc = 0, curl_ready = 0;

	buf_init(&r.body, BUF_NOLIMIT);
	buf_init(&r.resp, RESPONSE_MAX);
	if ((rc = speed_opt(a, &speed)) || (rc = cli_count_opt(a, "batch", 1, 10000, &batch)))
		goto out;
	if (!token)
		token = getenv("HORCH_TOKEN");
	if (!token || !*token) {
		cli_error(a, "no API token: pass --token or set HORCH_TOKEN (horch token create "
			  "--role analyst makes one)");
		rc = EXIT_USAGE;
		goto out;
	}
	if (strpbrk(token, "\r\n")) {
		cli_error(a, "--token: a token is one line");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!(r.endpoint = endpoint(a))) {
		rc = EXIT_USAGE;
		goto out;
	}

	/* Ctrl-C stops after the request in flight and prints the summary. */
	sigaction(SIGINT, NULL, &old_sa);
	if (old_sa.sa_handler != SIG_IGN) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigint;
		sigaction(SIGINT, &sa, NULL);
	}
	if ((rc = read_all(&r)) != 0)
		goto restore;
	if (r.n == 0) {
		if (!cli_flag(a, "quiet"))
			fprintf(stderr, "nothing to replay: the files hold no posts\n");
		goto restore;
	}

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(r.curl = curl_easy_init())) {
		cli_error(a, "cannot start libcurl");
		rc = EXIT_RUNTIME;
		goto restore;
	}
	curl_ready = 1;
	auth = horch_xmalloc(strlen(token) + sizeof "Authorization: Bearer ");
	strcpy(auth, "Authorization: Bearer ");
	strcat(auth, token);
	r.headers = curl_slist_append(r.headers, "Content-Type: application/json");
	r.headers = curl_slist_append(r.headers, auth);
	r.headers = curl_slist_append(r.headers, "Expect:");  /* no 100-continue round trip */
	curl_easy_setopt(r.curl, CURLOPT_URL, r.endpoint);
	curl_easy_setopt(r.curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r.curl, CURLOPT_HTTPHEADER, r.headers);
	curl_easy_setopt(r.curl, CURLOPT_POST, 1L);
	curl_easy_setopt(r.curl, CURLOPT_USERAGENT, "horch-replay/" HORCH_VERSION);
	curl_easy_setopt(r.curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r.curl, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(r.curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r.curl, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(r.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r.curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(r.curl, CURLOPT_TIMEOUT, 120L);

	r.progress = isatty(STDERR_FILENO) && !cli_flag(a, "quiet");
	rc = play(&r, speed, batch);
	clear_bar(&r);
	if (!cli_flag(a, "quiet"))
		print_summary(&r, (double)(horch_mono_ns() - r.started_ns) / 1e9);
	if (interrupted && !cli_flag(a, "quiet"))
		fprintf(stderr, "interrupted: %llu posts were not sent\n",
			(unsigned long long)(r.n - r.n_sent));
	if (rc == 0 && (r.n_rejected > 0 || r.n_sent < r.n))
		rc = EXIT_RUNTIME;
restore:
	sigaction(SIGINT, &old_sa, NULL);
out:
	if (r.curl)
		curl_easy_cleanup(r.curl);
	curl_slist_free_all(r.headers);
	if (curl_ready)
		curl_global_cleanup();
	if (auth) {
		/* The token does not outlive its use in memory we free. */
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	for (size_t i = 0; i < r.n; i++)
		free(r.p[i].json);
	free(r.p);
	for (size_t i = 0; i < r.n_messages; i++)
		free(r.messages[i]);
	free(r.endpoint);
	buf_cleanup(&r.body);
	buf_cleanup(&r.resp);
	return rc;
}
