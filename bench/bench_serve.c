/* bench_serve.c - a load generator for `horch serve`: posts per second
 * over HTTP, and the latency from POST /api/ingest to the post's event on
 * the live stream (Server-Sent Events).
 *
 *   bench_serve URL ANALYST_TOKEN VIEWER_TOKEN [OPTIONS]
 *   bench_serve --write FILE COUNT      the posts of a run as JSON Lines
 *
 * scripts/bench-serve starts the server (a temporary database, 10,000
 * topics, tokens) and runs this once per case; `make bench` runs that.
 * Plain sockets and epoll, HTTP/1.1 with keep-alive, two threads: the main
 * thread sends the posts (C connections, B posts a request as JSON Lines,
 * or one JSON object when B is 1) and reads the acknowledgements; the
 * second thread reads the N streams (GET /api/stream, chunked), or polls
 * GET /api/posts as a dashboard without a stream would (--poll).
 *
 * Every post carries its send time in its external id ("TAG-SEQ-MICROS",
 * a monotonic clock of this process), so that the reader needs no table
 * shared with the sender: the latency of a post on a stream is the time
 * its event's data line arrived less that time.  With --rate the posts are
 * sent on a fixed schedule and stamped with the time they were due, not
 * the time a connection was free to send them, so that a stalled server
 * counts against the latency instead of hiding it.
 *
 * The posts are the texts of the shared benchmark (bench_corpus.h), or a
 * synthetic English/German corpus without it, each with a unique id.
 *
 * Prints what it measured, then one line
 *   result name=... posts_s=... stored=... lat_n=... lat_p50_ms=... ...
 * that scripts/bench-serve reads.  Exit status 0 (error answers to POST
 * /api/ingest are counted and the first three printed), 1 when the server
 * could not be reached, stored nothing or refused a stream, 2 on a usage
 * error. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench_corpus.h"
#include "bench/bench_rng.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"

#define HEAD_MAX (64u << 10)      /* response headers */
#define BODY_MAX (64u << 20)      /* a response body (GET /api/posts, ingest) */
#define LINE_MAX_SSE (8u << 20)   /* one line of a stream */
#define SSE_MAX 20000             /* streams */
#define CONNS_MAX 1024            /* ingest connections */
#define BATCH_MAX 100000          /* posts a request (the server's cap) */
#define OPEN_WAVE 100             /* streams opened at once */

/* What the command line asks for. */
struct opts {
	const char *url;          /* "http://HOST:PORT" */
	const char *analyst;      /* the token that may ingest */
	const char *viewer;       /* the token the streams read with */
	const char *name;         /* the case's name in the output */
	char tag[64];             /* prefix of this run's external ids */
	int conns;                /* ingest connections */
	int batch;                /* posts a request */
	double seconds;           /* how long to send */
	double rate;              /* posts/s to send at; 0: as fast as answered */
	int n_sse;                /* streams */
	int sse_topics;           /* topics each stream asks for; 0: every post */
	long topic_lo, topic_hi;  /* the topic ids to pick from */
	int poll_ms;              /* > 0: poll GET /api/posts instead of streams */
	double settle;            /* most seconds to wait for the last events */
	unsigned long first;      /* the corpus text of post 0 */
};

/* One post text of the corpus, as a JSON string, and its language. */
struct text {
	char *json;               /* quoted and escaped, owned */
	char lang[8];
};

/* The state of one HTTP connection. */
enum { ST_IDLE, ST_SENDING, ST_HEAD, ST_BODY, ST_DEAD };
enum { CH_SIZE, CH_DATA, CH_CRLF };

struct conn {
	int fd;
	int state;
	int is_sse;
	struct buf out;           /* the request being sent */
	size_t out_off;
	struct buf in;            /* headers, or a whole body */
	int status;
	long content_length;      /* -1: none given */
	int chunked;
	int chunk_state;
	size_t chunk_left;
	unsigned long chunk_size;
	struct buf line;          /* SSE: the line being read */
	int64_t sent_ns;          /* when the request went out */
	int n_posts;              /* posts in the request in flight */
	int ready;                /* SSE: the stream's prelude has arrived */
	uint64_t events;          /* SSE: post events read */
};

/* What a thread measured. */
struct lat {
	uint32_t *us;             /* latencies in microseconds */
	size_t n, cap;
};

/* The reader's side: the streams or the poller. */
struct reader {
	const struct opts *o;
	struct addrinfo *ai;
	char host[300];
	int ep;
	struct conn *c;           /* n_sse streams, or one poller */
	int n;
	struct lat lat;
	unsigned char *seen;      /* per sequence number: seen on some stream */
	size_t cap_seen;
	uint64_t n_seen;          /* distinct posts seen */
	uint64_t n_events;        /* post events read on every stream together */
	int n_dropped;            /* streams the server ended */
	uint64_t n_polls;
	int64_t last_event_ns;
	atomic_int stop;          /* set by the sender when it is done */
	int64_t stop_after_ns;    /* the sender's end (valid once stop is set) */
	int failed;
};

static struct bench_corpus corpus;
static struct text *texts;
static size_t n_texts;

/* Say what went wrong and exit with status 1. */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench_serve: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: bench_serve URL ANALYST_TOKEN VIEWER_TOKEN [--name NAME] [--tag TAG]\n"
		"                   [--conns C] [--batch B] [--seconds S] [--rate POSTS_PER_S]\n"
		"                   [--sse N] [--sse-topics K --topics LO:HI] [--poll MS]\n"
		"                   [--first TEXT] [--settle S]\n"
		"       bench_serve --write FILE COUNT\n");
	return 2;
}

static int64_t now_ns(void)
{
	return horch_mono_ns();
}

/* ---- the posts ---- */

/* Load the corpus into texts[]: the shared posts, or synthetic ones. */
static const char *load_texts(void)
{
	static const char *words[] = {
		"the", "flight", "was", "delayed", "again", "battery", "Akku", "kaputt",
		"Lieferung", "Verspätung", "thanks", "great", "service", "never", "nie",
		"wieder", "refund", "on", "hold", "for", "hours", "@KorvoCares", "#fail",
		"München", "Straße", "laptop", "screen", "😡", "👍🏽", "is", "und", "der",
	};
	struct buf b;
	const char *what = "the shared benchmark posts (posts.jsonl)";

	buf_init(&b, BUF_NOLIMIT);
	if (bench_corpus_load(&corpus, 0) != 0) {
		for (int n = 0; n < 15000; n++) {
			size_t len = 8 + bench_rng() % 20;

			buf_reset(&b);
			for (size_t i = 0; i < len; i++)
				buf_printf(&b, "%s%s", i ? " " : "",
					   words[bench_rng() % (sizeof words / sizeof words[0])]);
			bench_corpus_add(&corpus, b.ptr, b.len, NULL);
		}
		what = "synthetic English/German posts (no ../shared/bench/posts.jsonl)";
	}
	texts = horch_xcalloc(corpus.n, sizeof *texts);
	for (size_t i = 0; i < corpus.n; i++) {
		buf_reset(&b);
		json_put_string(&b, corpus.v[i].text);
		texts[i].json = horch_xstrndup(b.ptr, b.len);
		memcpy(texts[i].lang, corpus.v[i].lang, sizeof texts[i].lang);
	}
	n_texts = corpus.n;
	buf_cleanup(&b);
	return what;
}

/* Append post number seq, with the text number first + seq and stamped
 * with stamp_us, as one line of JSON. */
static void put_post(struct buf *b, const char *tag, uint64_t seq, uint64_t first,
		     int64_t stamp_us)
{
	const struct text *t = &texts[(first + seq) % n_texts];
	char when[HORCH_TIME_BUFSZ];

	buf_printf(b, "{\"source\":\"bench\",\"external_id\":\"%s-%llu-%lld\","
		   "\"author\":\"user%llu\",\"author_followers\":%llu,\"created_at\":\"%s\",",
		   tag, (unsigned long long)seq, (long long)stamp_us,
		   (unsigned long long)(seq * 7919 % 50000), (unsigned long long)(seq * 31 % 10000),
		   horch_time_format(horch_now(), when));
	if (t->lang[0])
		buf_printf(b, "\"lang\":\"%s\",", t->lang);
	buf_puts(b, "\"text\":");
	buf_puts(b, t->json);
	buf_puts(b, "}\n");
}

/* --write FILE COUNT: the posts as the server would get them, for
 * `horch import` (the ceiling without HTTP). */
static int write_posts(const char *path, const char *count)
{
	char *end;
	unsigned long long n = strtoull(count, &end, 10);
	FILE *f;
	struct buf b;

	if (*end || n == 0)
		return usage();
	load_texts();
	if (!(f = fopen(path, "w")))
		die("cannot write %s", path);
	buf_init(&b, BUF_NOLIMIT);
	for (unsigned long long i = 0; i < n; i++) {
		buf_reset(&b);
		put_post(&b, "file", i, 0, 0);
		fwrite(b.ptr, 1, b.len, f);
	}
	buf_cleanup(&b);
	if (fclose(f) != 0)
		die("cannot write %s", path);
	return 0;
}

/* ---- connections ---- */

static struct addrinfo *resolve(const char *url, char *host, size_t host_size)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai;
	const char *h, *colon;
	char name[256], port[16];

	if (strncmp(url, "http://", 7) != 0)
		die("%s: only http:// URLs", url);
	h = url + 7;
	colon = strrchr(h, ':');
	if (!colon || colon == h || (size_t)(colon - h) >= sizeof name ||
	    strlen(colon + 1) >= sizeof port || strchr(colon, '/'))
		die("%s: want http://HOST:PORT", url);
	memcpy(name, h, (size_t)(colon - h));
	name[colon - h] = '\0';
	snprintf(port, sizeof port, "%s", colon + 1);
	if (getaddrinfo(name, port, &hints, &ai) != 0)
		die("%s: cannot resolve the host", url);
	snprintf(host, host_size, "%s", h);
	return ai;
}

/* Connect (blocking: loopback answers at once) and make the socket
 * non-blocking.  Returns the socket; exits on failure. */
static int dial(const struct addrinfo *ai)
{
	int one = 1;
	int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);

	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		die("cannot connect: %s", strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void conn_init(struct conn *c, int fd, int is_sse)
{
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->is_sse = is_sse;
	c->state = ST_IDLE;
	buf_init(&c->out, BUF_NOLIMIT);
	buf_init(&c->in, BODY_MAX);
	buf_init(&c->line, LINE_MAX_SSE);
}

static void conn_cleanup(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	buf_cleanup(&c->out);
	buf_cleanup(&c->in);
	buf_cleanup(&c->line);
}

static void watch(int ep, struct conn *c, int op, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (epoll_ctl(ep, op, c->fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
}

/* Write what is left of c->out.  Returns 1 when all of it is written, 0
 * when the socket is full, -1 on an error. */
static int flush_out(struct conn *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = write(c->fd, c->out.ptr + c->out_off, c->out.len - c->out_off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -1;
		c->out_off += (size_t)n;
	}
	return 1;
}

/* Parse the response headers in c->in (complete up to end, the blank
 * line's end).  Returns 0, or -1 when they are not HTTP. */
static int parse_head(struct conn *c, const char *end)
{
	const char *p = c->in.ptr;

	if (end - p < 12 || strncmp(p, "HTTP/1.", 7) != 0)
		return -1;
	c->status = atoi(p + 9);
	c->content_length = -1;
	c->chunked = 0;
	while ((p = memchr(p, '\n', (size_t)(end - p))) && ++p < end) {
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			c->content_length = strtol(p + 15, NULL, 10);
		else if (strncasecmp(p, "Transfer-Encoding:", 18) == 0) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));

			const char *word = strstr(p, "chunked");

			c->chunked = eol && word && word < eol;
		}
	}
	c->chunk_state = CH_SIZE;
	c->chunk_size = 0;
	return 0;
}

/* ---- the streams ---- */

static void lat_add(struct lat *l, int64_t ns)
{
	l->us = horch_xgrow(l->us, &l->cap, l->n + 1, sizeof *l->us);
	l->us[l->n++] = ns <= 0 ? 0 : ns / 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(ns / 1000);
}

/* The post of this run named in text at p (just past `"external_id":"`):
 * its sequence number and stamp.  Returns 0, or -1 for another post. */
static int parse_id(const struct opts *o, const char *p, uint64_t *seq, int64_t *stamp_us)
{
	size_t tl = strlen(o->tag);
	char *end;

	if (strncmp(p, o->tag, tl) != 0 || p[tl] != '-')
		return -1;
	*seq = strtoull(p + tl + 1, &end, 10);
	if (*end != '-')
		return -1;
	*stamp_us = strtoll(end + 1, &end, 10);
	return *end == '"' ? 0 : -1;
}

/* Count post seq as seen; returns 1 the first time. */
static int mark_seen(struct reader *r, uint64_t seq)
{
	if (seq >= (uint64_t)BATCH_MAX * 1000)
		return 0;
	if (seq >= r->cap_seen) {
		size_t old = r->cap_seen;

		r->seen = horch_xgrow(r->seen, &r->cap_seen, (size_t)seq + 1, 1);
		memset(r->seen + old, 0, r->cap_seen - old);
	}
	if (r->seen[seq])
		return 0;
	r->seen[seq] = 1;
	r->n_seen++;
	return 1;
}

/* A complete line of a stream, read at t. */
static void sse_line(struct reader *r, struct conn *c, const char *s, size_t len, int64_t t)
{
	static const char key[] = "\"external_id\":\"";
	const char *p;
	uint64_t seq;
	int64_t stamp;

	if (len >= 6 && memcmp(s, "retry:", 6) == 0)
		c->ready = 1;
	if (len < 6 || memcmp(s, "data: ", 6) != 0)
		return;
	if (!(p = strstr(s, key)) || parse_id(r->o, p + sizeof key - 1, &seq, &stamp) != 0)
		return;
	c->events++;
	r->n_events++;
	r->last_event_ns = t;
	mark_seen(r, seq);
	lat_add(&r->lat, t - stamp * 1000);
}

/* Feed decoded stream bytes into c's lines. */
static int sse_feed(struct reader *r, struct conn *c, const char *s, size_t len, int64_t t)
{
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t k = nl ? (size_t)(nl - s) : len;

		if (buf_append(&c->line, s, k) != 0)
			return -1;
		if (!nl)
			break;
		buf_putc(&c->line, '\0');
		sse_line(r, c, c->line.ptr, c->line.len - 1, t);
		buf_reset(&c->line);
		s += k + 1;
		len -= k + 1;
	}
	return 0;
}

/* Decode the chunked body bytes s[0..len).  Returns 0, or -1 when the
 * stream ended or broke. */
static int sse_body(struct reader *r, struct conn *c, const char *s, size_t len, int64_t t)
{
	if (!c->chunked)
		return sse_feed(r, c, s, len, t);
	while (len) {
		if (c->chunk_state == CH_SIZE) {
			int d = *s >= '0' && *s <= '9' ? *s - '0' :
				(*s | 32) >= 'a' && (*s | 32) <= 'f' ? (*s | 32) - 'a' + 10 : -1;

			if (*s == '\n') {
				if (c->chunk_size == 0)
					return -1; /* the last chunk: the stream ended */
				c->chunk_left = c->chunk_size;
				c->chunk_size = 0;
				c->chunk_state = CH_DATA;
			} else if (d >= 0 && c->chunk_size < (1ul << 28)) {
				c->chunk_size = c->chunk_size * 16 + (unsigned long)d;
			}
			s++;
			len--;
		} else if (c->chunk_state == CH_DATA) {
			size_t k = len < c->chunk_left ? len : c->chunk_left;

			if (sse_feed(r, c, s, k, t) != 0)
				return -1;
			c->chunk_left -= k;
			s += k;
			len -= k;
			if (!c->chunk_left)
				c->chunk_state = CH_CRLF;
		} else {
			if (*s == '\n')
				c->chunk_state = CH_SIZE;
			s++;
			len--;
		}
	}
	return 0;
}

/* Read what a stream has.  Returns 0, or -1 when it ended. */
static int sse_read(struct reader *r, struct conn *c)
{
	char b[65536];

	for (;;) {
		ssize_t n = read(c->fd, b, sizeof b);
		int64_t t = now_ns();

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -1;
		if (c->state == ST_HEAD) {
			char *end;

			if (buf_append(&c->in, b, (size_t)n) != 0 || c->in.len > HEAD_MAX)
				return -1;
			buf_putc(&c->in, '\0');
			c->in.len--;
			if (!(end = strstr(c->in.ptr, "\r\n\r\n")))
				continue;
			end += 4;
			if (parse_head(c, end) != 0 || c->status != 200) {
				fprintf(stderr, "bench_serve: the stream answered %d: %.200s\n",
					c->status, end);
				r->failed = 1;
				return -1;
			}
			c->state = ST_BODY;
			if (sse_body(r, c, end, (size_t)(c->in.ptr + c->in.len - end), t) != 0)
				return -1;
			buf_cleanup(&c->in);
			continue;
		}
		if (sse_body(r, c, b, (size_t)n, t) != 0)
			return -1;
	}
}

/* Open stream i: its request names topics when the run asks for them. */
static void sse_open(struct reader *r, int i)
{
	const struct opts *o = r->o;
	struct conn *c = &r->c[i];
	struct buf path;

	buf_init(&path, BUF_NOLIMIT);
	buf_puts(&path, "/api/stream");
	for (int k = 0; k < o->sse_topics; k++)
		buf_printf(&path, "%s%ld", k ? "," : "?topics=",
			   o->topic_lo + (long)(bench_rng() % (uint64_t)(o->topic_hi - o->topic_lo + 1)));
	conn_init(c, dial(r->ai), 1);
	buf_printf(&c->out, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
		   "Accept: text/event-stream\r\n\r\n", path.ptr, r->host, o->viewer);
	if (flush_out(c) != 1)
		die("a stream's request could not be sent");
	c->state = ST_HEAD;
	watch(r->ep, c, EPOLL_CTL_ADD, EPOLLIN);
	buf_cleanup(&path);
}

/* Read every ready stream once (waiting up to ms). */
static void sse_poll_once(struct reader *r, int ms)
{
	struct epoll_event ev[256];
	int n = epoll_wait(r->ep, ev, 256, ms);

	for (int i = 0; i < n; i++) {
		struct conn *c = ev[i].data.ptr;

		if (c->state == ST_DEAD)
			continue;
		if (sse_read(r, c) != 0) {
			c->state = ST_DEAD;
			r->n_dropped++;
			epoll_ctl(r->ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			c->fd = -1;
		}
	}
}

/* Open the streams, a wave at a time, and wait until each has its
 * prelude (the server has registered it). */
static void sse_open_all(struct reader *r)
{
	int64_t deadline = now_ns() + 60 * (int64_t)1000000000;

	for (int opened = 0; opened < r->n;) {
		int wave = r->n - opened < OPEN_WAVE ? r->n - opened : OPEN_WAVE, ready;

		for (int i = 0; i < wave; i++)
			sse_open(r, opened + i);
		opened += wave;
		do {
			sse_poll_once(r, 100);
			ready = 0;
			for (int i = 0; i < opened; i++)
				ready += r->c[i].ready || r->c[i].state == ST_DEAD;
			if (now_ns() > deadline)
				die("the streams did not all open within 60 s");
		} while (ready < opened);
	}
	if (r->n_dropped || r->failed)
		die("streams were refused");
}

/* The poller: GET /api/posts?source=bench&limit=500, newest first; every
 * post of this run seen for the first time is a latency sample. */
static void poll_send(struct reader *r, struct conn *c)
{
	buf_reset(&c->out);
	c->out_off = 0;
	buf_printf(&c->out, "GET /api/posts?source=bench&limit=500 HTTP/1.1\r\nHost: %s\r\n"
		   "Authorization: Bearer %s\r\n\r\n", r->host, r->o->viewer);
	c->sent_ns = now_ns();
	if (flush_out(c) != 1)
		die("a poll could not be sent");
	buf_reset(&c->in);
	c->state = ST_HEAD;
	r->n_polls++;
}

static void poll_body(struct reader *r, const char *s, int64_t t)
{
	static const char key[] = "\"external_id\":\"";
	const char *p = s;
	uint64_t seq;
	int64_t stamp;

	while ((p = strstr(p, key))) {
		p += sizeof key - 1;
		if (parse_id(r->o, p, &seq, &stamp) != 0)
			continue;
		r->n_events++;
		if (mark_seen(r, seq)) {
			lat_add(&r->lat, t - stamp * 1000);
			r->last_event_ns = t;
		}
	}
}

/* Read the poller's answer.  Returns 1 when it is complete, 0 when more
 * is to come, -1 on an error. */
static int poll_read(struct reader *r, struct conn *c)
{
	char b[65536];

	for (;;) {
		ssize_t n = read(c->fd, b, sizeof b);
		char *end;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0 || buf_append(&c->in, b, (size_t)n) != 0)
			return -1;
		buf_putc(&c->in, '\0');
		c->in.len--;
		if (!(end = strstr(c->in.ptr, "\r\n\r\n")))
			continue;
		end += 4;
		if (parse_head(c, end) != 0 || c->status != 200 || c->content_length < 0)
			return -1;
		if ((size_t)(c->in.ptr + c->in.len - end) < (size_t)c->content_length)
			continue;
		poll_body(r, end, now_ns());
		c->state = ST_IDLE;
		return 1;
	}
}

/* The reader's thread: read until the sender is done and no event came
 * for a second (at most o->settle seconds after the sender's end). */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	int64_t next_poll = now_ns();

	for (;;) {
		int64_t t = now_ns();

		if (atomic_load(&r->stop)) {
			int64_t quiet = t - (r->last_event_ns > r->stop_after_ns ? r->last_event_ns
										 : r->stop_after_ns);

			if (quiet > 1000000000 ||
			    t - r->stop_after_ns > (int64_t)(r->o->settle * 1e9))
				break;
		}
		if (r->o->poll_ms > 0) {
			struct conn *c = &r->c[0];
			struct epoll_event ev;
			int wait;

			if (c->state == ST_IDLE && t >= next_poll) {
				poll_send(r, c);
				next_poll += (int64_t)r->o->poll_ms * 1000000;
				if (next_poll < t)
					next_poll = t;
			}
			wait = c->state == ST_IDLE ? (int)((next_poll - t) / 1000000) : 100;
			if (epoll_wait(r->ep, &ev, 1, wait < 0 ? 0 : wait) == 1 &&
			    poll_read(r, c) < 0) {
				fprintf(stderr, "bench_serve: a poll of /api/posts failed (status %d)\n",
					c->status);
				r->failed = 1;
				break;
			}
			continue;
		}
		sse_poll_once(r, 50);
	}
	return NULL;
}

/* ---- the sender ---- */

struct sender {
	const struct opts *o;
	struct addrinfo *ai;
	char host[300];
	int ep;
	struct conn *c;
	uint64_t next_seq;
	uint64_t n_stored, n_dup, n_rejected, n_requests, n_errors;
	struct lat ack;           /* request to answer */
	int64_t first_send, last_ack;
	int64_t late_ns;          /* paced: how far behind the schedule sends were, summed */
	uint64_t n_late;
};

/* Send the next request on c, its posts stamped with stamp (ns). */
static void send_batch(struct sender *s, struct conn *c, int64_t stamp)
{
	const struct opts *o = s->o;
	struct buf body;
	int rc;

	buf_init(&body, BUF_NOLIMIT);
	for (int i = 0; i < o->batch; i++)
		put_post(&body, o->tag, s->next_seq++, o->first, stamp / 1000);
	buf_reset(&c->out);
	c->out_off = 0;
	buf_printf(&c->out, "POST /api/ingest HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
		   "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", s->host, o->analyst,
		   o->batch == 1 ? "application/json" : "application/x-ndjson", body.len);
	buf_append(&c->out, body.ptr, body.len);
	buf_cleanup(&body);
	c->n_posts = o->batch;
	c->sent_ns = now_ns();
	if (!s->first_send)
		s->first_send = c->sent_ns;
	s->n_requests++;
	if ((rc = flush_out(c)) < 0)
		die("the server closed an ingest connection");
	buf_reset(&c->in);
	c->state = rc ? ST_HEAD : ST_SENDING;
	watch(s->ep, c, EPOLL_CTL_MOD, rc ? EPOLLIN : EPOLLIN | EPOLLOUT);
}

/* The number after "key": in s, or 0. */
static uint64_t json_count(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* Read c's answer.  Returns 1 when it is complete, 0 when more is to
 * come. */
static int ingest_read(struct sender *s, struct conn *c)
{
	char b[16384];

	for (;;) {
		ssize_t n = read(c->fd, b, sizeof b);
		char *end;
		int64_t t;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			die("the server closed an ingest connection");
		if (buf_append(&c->in, b, (size_t)n) != 0)
			die("an ingest answer is too big");
		buf_putc(&c->in, '\0');
		c->in.len--;
		if (!(end = strstr(c->in.ptr, "\r\n\r\n")))
			continue;
		end += 4;
		if (parse_head(c, end) != 0 || c->content_length < 0)
			die("an ingest answer is not HTTP with a length");
		if ((size_t)(c->in.ptr + c->in.len - end) < (size_t)c->content_length)
			continue;
		t = now_ns();
		lat_add(&s->ack, t - c->sent_ns);
		s->last_ack = t;
		if (c->status != 200) {
			if (s->n_errors++ < 3) {
				const char *req = strstr(c->out.ptr, "\r\n\r\n");

				fprintf(stderr, "bench_serve: POST /api/ingest answered %d: %.300s\n"
					"  to the request body (%zu bytes): %.300s\n", c->status, end,
					req ? strlen(req + 4) : 0, req ? req + 4 : "");
			}
		} else {
			s->n_stored += json_count(end, "\"stored\":");
			s->n_dup += json_count(end, "\"duplicates\":");
			s->n_rejected += json_count(end, "\"rejected\":");
		}
		c->state = ST_IDLE;
		return 1;
	}
}

/* Send for o->seconds, then wait for every answer. */
static void run_sender(struct sender *s)
{
	const struct opts *o = s->o;
	int64_t start = now_ns(), end = start + (int64_t)(o->seconds * 1e9);
	int64_t interval = o->rate > 0 ? (int64_t)(o->batch * 1e9 / o->rate) : 0;
	int64_t due = start;
	int busy = 0;

	for (;;) {
		struct epoll_event ev[64];
		int64_t t = now_ns();
		int wait = 100, n;

		/* Hand out the requests that are due to idle connections. */
		for (int i = 0; i < o->conns && t < end; i++) {
			struct conn *c = &s->c[i];

			if (c->state != ST_IDLE)
				continue;
			if (interval) {
				if (due > t || due >= end)
					break;
				if (t - due > 1000000) {
					s->late_ns += t - due;
					s->n_late++;
				}
				send_batch(s, c, due);
				due += interval;
			} else {
				send_batch(s, c, t);
			}
			busy++;
		}
		if (t >= end && !busy)
			break;
		if (interval && t < end && due > t)
			wait = (int)((due - t + 999999) / 1000000);
		n = epoll_wait(s->ep, ev, 64, wait);
		for (int i = 0; i < n; i++) {
			struct conn *c = ev[i].data.ptr;

			if (c->state == ST_SENDING) {
				int rc = flush_out(c);

				if (rc < 0)
					die("the server closed an ingest connection");
				if (rc) {
					c->state = ST_HEAD;
					watch(s->ep, c, EPOLL_CTL_MOD, EPOLLIN);
				}
			}
			if ((c->state == ST_HEAD) && (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
			    ingest_read(s, c))
				busy--;
		}
	}
}

/* ---- figures ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of the sorted l, in ms. */
static double quant(const struct lat *l, double q)
{
	size_t i;

	if (!l->n)
		return 0;
	i = (size_t)(q * (double)(l->n - 1) + 0.5);
	return l->us[i] / 1000.0;
}

static void raise_nofile(int need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < (rlim_t)need) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)need ? rl.rlim_max : (rlim_t)need;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)need)
		die("too few file descriptors for the streams (ulimit -n)");
}

static long arg_long(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		fprintf(stderr, "bench_serve: %s: not a number in %ld..%ld\n", s, lo, hi);
		exit(2);
	}
	return v;
}

static double arg_double(const char *s, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "bench_serve: %s: not a number in %g..%g\n", s, lo, hi);
		exit(2);
	}
	return v;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	if (argc < 4)
		return -1;
	o->url = argv[1];
	o->analyst = argv[2];
	o->viewer = argv[3];
	o->name = "serve";
	o->conns = 4;
	o->batch = 100;
	o->seconds = 5;
	o->settle = 10;
	snprintf(o->tag, sizeof o->tag, "b%lx%lx", (long)getpid(), (long)time(NULL));
	for (int i = 4; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return -1;
		i++;
		if (strcmp(a, "--name") == 0) {
			o->name = v;
		} else if (strcmp(a, "--tag") == 0) {
			if (strlen(v) >= sizeof o->tag || strspn(v, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(v) || !*v)
				return -1;
			snprintf(o->tag, sizeof o->tag, "%s", v);
		} else if (strcmp(a, "--conns") == 0) {
			o->conns = (int)arg_long(v, 1, CONNS_MAX);
		} else if (strcmp(a, "--batch") == 0) {
			o->batch = (int)arg_long(v, 1, BATCH_MAX);
		} else if (strcmp(a, "--seconds") == 0) {
			o->seconds = arg_double(v, 0.1, 3600);
		} else if (strcmp(a, "--rate") == 0) {
			o->rate = arg_double(v, 0, 1e7);
		} else if (strcmp(a, "--sse") == 0) {
			o->n_sse = (int)arg_long(v, 0, SSE_MAX);
		} else if (strcmp(a, "--sse-topics") == 0) {
			o->sse_topics = (int)arg_long(v, 0, 256);
		} else if (strcmp(a, "--topics") == 0) {
			if (sscanf(v, "%ld:%ld", &o->topic_lo, &o->topic_hi) != 2 ||
			    o->topic_lo < 1 || o->topic_hi < o->topic_lo)
				return -1;
		} else if (strcmp(a, "--poll") == 0) {
			o->poll_ms = (int)arg_long(v, 1, 60000);
		} else if (strcmp(a, "--first") == 0) {
			o->first = (unsigned long)arg_long(v, 0, 1L << 40);
		} else if (strcmp(a, "--settle") == 0) {
			o->settle = arg_double(v, 0, 600);
		} else {
			return -1;
		}
	}
	if (o->sse_topics && !o->topic_hi)
		return -1;
	if (o->poll_ms && (o->n_sse || o->rate <= 0))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sender s = { 0 };
	struct reader r = { 0 };
	pthread_t th;
	const char *what;
	int has_reader;
	double secs;

	if (argc == 4 && strcmp(argv[1], "--write") == 0)
		return write_posts(argv[2], argv[3]);
	if (parse_args(argc, argv, &o) != 0)
		return usage();
	what = load_texts();
	raise_nofile(o.n_sse + o.conns + 64);
	s.o = r.o = &o;
	s.ai = r.ai = resolve(o.url, s.host, sizeof s.host);
	memcpy(r.host, s.host, sizeof r.host);
	has_reader = o.n_sse > 0 || o.poll_ms > 0;

	printf("%s: %s; %d connection%s, %d post%s a request, %s for %.0f s; ",
	       o.name, what, o.conns, o.conns == 1 ? "" : "s", o.batch, o.batch == 1 ? "" : "s",
	       o.rate > 0 ? "paced" : "as fast as answered", o.seconds);
	if (o.rate > 0)
		printf("%.0f posts/s; ", o.rate);
	if (o.poll_ms)
		printf("1 client polling GET /api/posts every %d ms\n", o.poll_ms);
	else if (o.n_sse)
		printf("%d stream%s (%s)\n", o.n_sse, o.n_sse == 1 ? "" : "s",
		       o.sse_topics ? "each asks for random topics" : "every post");
	else
		printf("no stream\n");
	fflush(stdout);

	if (has_reader) {
		if ((r.ep = epoll_create1(0)) < 0)
			die("epoll: %s", strerror(errno));
		r.n = o.poll_ms ? 1 : o.n_sse;
		r.c = horch_xcalloc((size_t)r.n, sizeof *r.c);
		if (o.poll_ms) {
			conn_init(&r.c[0], dial(r.ai), 0);
			watch(r.ep, &r.c[0], EPOLL_CTL_ADD, EPOLLIN);
		} else {
			int64_t t0 = now_ns();

			sse_open_all(&r);
			printf("  %d streams open in %.2f s\n", r.n, (double)(now_ns() - t0) / 1e9);
		}
		r.last_event_ns = 0;
		if (pthread_create(&th, NULL, reader_main, &r) != 0)
			die("cannot start the reader thread");
	}

	if ((s.ep = epoll_create1(0)) < 0)
		die("epoll: %s", strerror(errno));
	s.c = horch_xcalloc((size_t)o.conns, sizeof *s.c);
	for (int i = 0; i < o.conns; i++) {
		conn_init(&s.c[i], dial(s.ai), 0);
		watch(s.ep, &s.c[i], EPOLL_CTL_ADD, EPOLLIN);
	}
	run_sender(&s);

	if (has_reader) {
		r.stop_after_ns = now_ns();
		atomic_store(&r.stop, 1);
		pthread_join(th, NULL);
	}

	secs = s.last_ack > s.first_send ? (double)(s.last_ack - s.first_send) / 1e9 : 0;
	qsort(s.ack.us, s.ack.n, sizeof *s.ack.us, cmp_u32);
	qsort(r.lat.us, r.lat.n, sizeof *r.lat.us, cmp_u32);
	printf("  sent %llu posts in %llu requests; stored %llu, duplicates %llu, refused %llu, "
	       "error answers %llu\n", (unsigned long long)s.next_seq,
	       (unsigned long long)s.n_requests, (unsigned long long)s.n_stored,
	       (unsigned long long)s.n_dup, (unsigned long long)s.n_rejected,
	       (unsigned long long)s.n_errors);
	printf("  %.0f posts/s stored over %.2f s; answer to POST: median %.1f ms, p99 %.1f ms\n",
	       secs > 0 ? (double)s.n_stored / secs : 0, secs, quant(&s.ack, 0.5),
	       quant(&s.ack, 0.99));
	if (o.rate > 0 && s.n_late)
		printf("  %llu requests went out over 1 ms after their time (a busy machine, or no idle "
		       "connection), %.1f ms late on average\n",
		       (unsigned long long)s.n_late, (double)s.late_ns / (double)s.n_late / 1e6);
	if (has_reader) {
		printf("  %s: %llu post events, %llu of the %llu stored posts seen; %d stream%s "
		       "dropped by the server\n", o.poll_ms ? "poller" : "streams",
		       (unsigned long long)r.n_events, (unsigned long long)r.n_seen,
		       (unsigned long long)s.n_stored, r.n_dropped, r.n_dropped == 1 ? "" : "s");
		printf("  ingest to %s: median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms "
		       "(%zu samples)\n", o.poll_ms ? "poll" : "event", quant(&r.lat, 0.5),
		       quant(&r.lat, 0.9), quant(&r.lat, 0.99), quant(&r.lat, 1.0), r.lat.n);
	}
	printf("result name=%s posts_s=%.0f stored=%llu secs=%.2f errors=%llu ack_p50_ms=%.1f "
	       "ack_p99_ms=%.1f clients=%d events=%llu seen=%llu dropped=%d lat_n=%zu "
	       "lat_p50_ms=%.1f lat_p90_ms=%.1f lat_p99_ms=%.1f lat_max_ms=%.1f\n",
	       o.name, secs > 0 ? (double)s.n_stored / secs : 0, (unsigned long long)s.n_stored,
	       secs, (unsigned long long)s.n_errors, quant(&s.ack, 0.5), quant(&s.ack, 0.99),
	       o.poll_ms ? 1 : o.n_sse, (unsigned long long)r.n_events,
	       (unsigned long long)r.n_seen, r.n_dropped, r.lat.n, quant(&r.lat, 0.5),
	       quant(&r.lat, 0.9), quant(&r.lat, 0.99), quant(&r.lat, 1.0));

	for (int i = 0; i < o.conns; i++)
		conn_cleanup(&s.c[i]);
	for (int i = 0; i < r.n; i++)
		conn_cleanup(&r.c[i]);
	free(s.c);
	free(r.c);
	free(s.ack.us);
	free(r.lat.us);
	free(r.seen);
	for (size_t i = 0; i < n_texts; i++)
		free(texts[i].json);
	free(texts);
	bench_corpus_free(&corpus);
	freeaddrinfo(s.ai);
	close(s.ep);
	if (has_reader)
		close(r.ep);
	/* An error answer is counted in the figures (errors=), not fatal:
	 * the run still measures what was stored. */
	return r.failed || !s.n_stored ? 1 : 0;
}
