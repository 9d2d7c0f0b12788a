/* jetstream_server.c - a fake Bluesky Jetstream for the tests and the
 * benchmark of the bluesky connector: a libwebsockets server on 127.0.0.1
 * that speaks Jetstream's protocol (a WebSocket at /subscribe, one JSON
 * message per text frame, the query parameters wantedCollections,
 * wantedDids and cursor) over a deterministic stream of generated events.
 *
 * Event i (0 <= i < --posts) has time_us = BASE + i * 1000 and is a pure
 * function of (--seed, i): half are post creations, then replies, post
 * deletes and updates, likes (collection app.bsky.feed.like), identity and
 * account events, in the shapes Jetstream sends them (field order as its Go
 * encoder writes them, non-ASCII as raw UTF-8, '<', '>' and '&' as \u
 * escapes).  About one post in five mentions "Korvo".  A connection with
 * cursor=T replays from the first event with time_us >= T; without one it
 * starts at event 0.  Commits of collections not in wantedCollections
 * (exact names or "prefix.*") and events of DIDs not in wantedDids are not
 * sent; identity and account events always are (as Jetstream does).
 *
 *   jetstream_server [--port N] [--port-file F] [--posts N] [--seed S]
 *                    [--base-us T] [--rate EVENTS_PER_S] [--close-at-end]
 *                    [--drop-after N] [--stall-after N] [--stall-secs S]
 *                    [--malformed I]... [--oversize I]... [--refuse N:STATUS]
 *
 *   --port 0 (the default) picks a free port; the first line of standard
 *     output is "port=N", also written to --port-file when given.
 *   --rate: events per second per connection; 0 (default): as fast as the
 *     socket takes them.
 *   --close-at-end: close the stream (code 1000) after the last event;
 *     else the connection stays open and silent, like a live stream.
 *   --drop-after N: close every connection (code 1001) after N messages.
 *   --stall-after N: after N messages on a connection, the whole server
 *     stops answering (no messages, no pongs) for --stall-secs (default 30).
 *   --malformed I: event I is sent as truncated JSON; --oversize I: event I
 *     is a valid post whose text makes the message 2 MiB.  Repeatable.
 *   --refuse N:STATUS: the first N WebSocket upgrades are answered with HTTP
 *     STATUS (429 and 503 with "Retry-After: 2").
 *
 * GET /_stats answers {"connections":C,"messages":M,"refused":R,
 * "last_cursor":T} (T: the cursor of the last connection, -1 without one).
 * Runs until SIGTERM or SIGINT. */
#include <libwebsockets.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MAX_LIST 64
#define OVERSIZE_BYTES (2u * 1024 * 1024)

static volatile sig_atomic_t stopping;
static struct lws_context *context;

/* The options. */
static long n_events = 1000;
static uint64_t seed = 1;
static int64_t base_us = INT64_C(1725911162329308);
static long rate;
static int close_at_end;
static long drop_after = -1, stall_after = -1, stall_secs = 30;
static long malformed[MAX_LIST], oversize[MAX_LIST];
static int n_malformed, n_oversize;
static long refuse_n;
static int refuse_status;

/* The counters of /_stats. */
static long st_connections, st_messages, st_refused;
static int64_t st_last_cursor = -1;

/* One WebSocket subscriber. */
struct sub {
	long next;                 /* the next event to consider */
	long sent;                 /* messages sent on this connection */
	char coll[MAX_LIST][128];  /* wantedCollections */
	int n_coll;
	char dids[MAX_LIST][128];  /* wantedDids */
	int n_dids;
	int64_t start_ns;          /* for --rate */
	int closing;
	int is_ws;
};

/* The body of a GET /_stats answer while it is written. */
struct http {
	char body[256];
	size_t len;
};

static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static uint64_t event_rng(long i, int salt)
{
	return mix(mix(seed) ^ mix((uint64_t)i * 8 + (uint64_t)salt));
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* did:plc: and 24 base32 characters for author a. */
static void make_did(char *out, uint64_t a)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	uint64_t h = mix(a ^ mix(seed + 7));

	memcpy(out, "did:plc:", 8);
	for (int k = 0; k < 24; k++) {
		if (k == 12)
			h = mix(a ^ mix(seed + 8));
		out[8 + k] = b32[h & 31];
		h >>= 5;
	}
	out[32] = '\0';
}

/* A record key in the TID style of 13 base32-sortable characters. */
static void make_rkey(char *out, long i)
{
	static const char s32[] = "234567abcdefghijklmnopqrstuvwxyz";
	uint64_t v = ((uint64_t)(base_us + (int64_t)i * 1000) << 10) | (uint64_t)(i & 1023);

	for (int k = 12; k >= 0; k--) {
		out[k] = s32[v & 31];
		v >>= 5;
	}
	out[13] = '\0';
}

static long author_of(long i)
{
	return (long)(event_rng(i, 1) % 40);
}

static const char *const texts[] = {
	"Just unboxed the Korvo X1 and the screen is gorgeous",
	"my korvo laptop died after the update, support says \"wait\" <sigh>",
	"Is anyone else seeing this? The train is late again",
	"Café au lait & croissant, the best start to a Monday",
	"Korvo's new phone: battery lasts two days, camera is meh",
	"Reading a book about the history of maps\nchapter two is great",
	"Nothing beats a walk by the river in October 🍂",
	"Looking for recommendations: a quiet keyboard for the office",
	"Die neue Korvo-Uhr ist zu teuer für das, was sie kann",
	"Tabs vs spaces: the eternal debate continues\tforever",
	"Our team shipped the release today, thanks everyone!",
	"日本語のテキストも流れてきます",
};
#define N_TEXTS (sizeof texts / sizeof texts[0])
static const char *const langs[] = { "en", "en", "en", "fr", "en", "en", "en", "en", "de",
				     "en", "en", "ja" };

/* Append s to out as a JSON string body the way Go's encoder writes it. */
static size_t put_json(char *out, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else if (c == '\t') {
			out[n++] = '\\';
			out[n++] = 't';
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			n += (size_t)sprintf(out + n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	return n;
}

static void format_time(char *out, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year % 10000 + 1900,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100, (int)(us / 1000 % 1000));
}

enum ev_type { EV_POST, EV_REPLY, EV_DELETE, EV_UPDATE, EV_LIKE, EV_IDENTITY, EV_ACCOUNT };

static enum ev_type type_of(long i)
{
	unsigned r = (unsigned)(event_rng(i, 0) % 100);

	if (r < 50)
		return EV_POST;
	if (r < 65)
		return EV_REPLY;
	if (r < 70)
		return EV_DELETE;
	if (r < 75)
		return EV_UPDATE;
	if (r < 87)
		return EV_LIKE;
	if (r < 94)
		return EV_IDENTITY;
	return EV_ACCOUNT;
}

static int listed(const long *list, int n, long i)
{
	for (int k = 0; k < n; k++)
		if (list[k] == i)
			return 1;
	return 0;
}

/* Write event i into out (room for OVERSIZE_BYTES + 4096).  Returns its
 * length. */
static size_t make_event(char *out, long i)
{
	char did[40], rkey[16], when[40], other[40], orkey[16];
	int64_t t = base_us + (int64_t)i * 1000;
	enum ev_type type = type_of(i);
	size_t n;
	unsigned ti = (unsigned)(event_rng(i, 2) % N_TEXTS);

	make_did(did, (uint64_t)author_of(i));
	make_rkey(rkey, i);
	format_time(when, t - 1500);
	n = (size_t)sprintf(out, "{\"did\":\"%s\",\"time_us\":%" PRId64 ",", did, t);
	switch (type) {
	case EV_IDENTITY:
		n += (size_t)sprintf(out + n, "\"kind\":\"identity\",\"identity\":{\"did\":\"%s\","
				     "\"handle\":\"user%ld.bsky.social\",\"seq\":%ld,\"time\":"
				     "\"%s\"}}", did, author_of(i), 1000 + i, when);
		break;
	case EV_ACCOUNT:
		n += (size_t)sprintf(out + n, "\"kind\":\"account\",\"account\":{\"active\":true,"
				     "\"did\":\"%s\",\"seq\":%ld,\"time\":\"%s\"}}", did, 1000 + i,
				     when);
		break;
	case EV_DELETE:
		make_rkey(orkey, i > 0 ? i - 1 : 0);
		n += (size_t)sprintf(out + n, "\"kind\":\"commit\",\"commit\":{\"rev\":\"3l3qo2vuo%ld\","
				     "\"operation\":\"delete\",\"collection\":\"app.bsky.feed.post\","
				     "\"rkey\":\"%s\"}}", i, orkey);
		break;
	case EV_LIKE:
		make_did(other, (uint64_t)author_of(i > 0 ? i - 1 : 0));
		make_rkey(orkey, i > 0 ? i - 1 : 0);
		n += (size_t)sprintf(out + n, "\"kind\":\"commit\",\"commit\":{\"rev\":\"3l3qo2vuo%ld\","
				     "\"operation\":\"create\",\"collection\":\"app.bsky.feed.like\","
				     "\"rkey\":\"%s\",\"record\":{\"$type\":\"app.bsky.feed.like\","
				     "\"createdAt\":\"%s\",\"subject\":{\"cid\":\"bafyreig%ld\","
				     "\"uri\":\"at://%s/app.bsky.feed.post/%s\"}},\"cid\":"
				     "\"bafyreia%ld\"}}", i, rkey, when, i, other, orkey, i);
		break;
	case EV_POST:
	case EV_REPLY:
	case EV_UPDATE:
		n += (size_t)sprintf(out + n, "\"kind\":\"commit\",\"commit\":{\"rev\":\"3l3qo2vuo%ld\","
				     "\"operation\":\"%s\",\"collection\":\"app.bsky.feed.post\","
				     "\"rkey\":\"%s\",\"record\":{\"$type\":\"app.bsky.feed.post\","
				     "\"createdAt\":\"%s\",\"langs\":[\"%s\"],", i,
				     type == EV_UPDATE ? "update" : "create", rkey, when, langs[ti]);
		if (type == EV_REPLY) {
			long p = i - 1 - (long)(event_rng(i, 3) % (uint64_t)(i < 10 ? i + 1 : 10));

			if (p < 0)
				p = 0;
			make_did(other, (uint64_t)author_of(p));
			make_rkey(orkey, p);
			n += (size_t)sprintf(out + n, "\"reply\":{\"parent\":{\"cid\":\"bafyreip%ld\","
					     "\"uri\":\"at://%s/app.bsky.feed.post/%s\"},\"root\":{"
					     "\"cid\":\"bafyreip%ld\",\"uri\":\"at://%s/app.bsky.feed.post/"
					     "%s\"}},", p, other, orkey, p, other, orkey);
		}
		n += (size_t)sprintf(out + n, "\"text\":\"");
		if (listed(oversize, n_oversize, i)) {
			memset(out + n, 'a', OVERSIZE_BYTES);
			n += OVERSIZE_BYTES;
		} else {
			n += put_json(out + n, texts[ti]);
			n += (size_t)sprintf(out + n, " #%ld", i);
		}
		n += (size_t)sprintf(out + n, "\"},\"cid\":\"bafyreia%ld\"}}", i);
		break;
	}
	if (listed(malformed, n_malformed, i))
		n = n / 2;
	return n;
}

/* Whether event i goes to subscriber s (its filters). */
static int wanted(const struct sub *s, long i)
{
	enum ev_type type = type_of(i);
	const char *coll = type == EV_LIKE ? "app.bsky.feed.like" : "app.bsky.feed.post";

	if (s->n_dids) {
		char did[40];
		int found = 0;

		make_did(did, (uint64_t)author_of(i));
		for (int k = 0; k < s->n_dids && !found; k++)
			found = strcmp(s->dids[k], did) == 0;
		if (!found)
			return 0;
	}
	if (type == EV_IDENTITY || type == EV_ACCOUNT || !s->n_coll)
		return 1;
	for (int k = 0; k < s->n_coll; k++) {
		size_t len = strlen(s->coll[k]);

		if (strcmp(s->coll[k], coll) == 0)
			return 1;
		if (len >= 2 && strcmp(s->coll[k] + len - 2, ".*") == 0 &&
		    strncmp(s->coll[k], coll, len - 1) == 0)
			return 1;
	}
	return 0;
}

/* Read the query parameters of a new subscriber. */
static void read_args(struct lws *wsi, struct sub *s)
{
	char arg[256];
	int64_t cursor = -1;

	for (int k = 0; lws_hdr_copy_fragment(wsi, arg, sizeof arg, WSI_TOKEN_HTTP_URI_ARGS,
					      k) > 0; k++) {
		if (strncmp(arg, "wantedCollections=", 18) == 0 && s->n_coll < MAX_LIST)
			snprintf(s->coll[s->n_coll++], sizeof s->coll[0], "%.127s", arg + 18);
		else if (strncmp(arg, "wantedDids=", 11) == 0 && s->n_dids < MAX_LIST)
			snprintf(s->dids[s->n_dids++], sizeof s->dids[0], "%.127s", arg + 11);
		else if (strncmp(arg, "cursor=", 7) == 0)
			cursor = strtoll(arg + 7, NULL, 10);
	}
	st_last_cursor = cursor;
	s->next = 0;
	if (cursor > base_us)
		s->next = (long)((cursor - base_us + 999) / 1000);
}

static char *msgbuf;  /* LWS_PRE + one message */

/* Send what subscriber s is due: as much as the socket takes, or what the
 * rate allows by now.  Returns -1 to close the connection. */
static int send_some(struct lws *wsi, struct sub *s)
{
	long due = LONG_MAX;
	int burst = 0;

	if (rate > 0)
		due = (long)((now_ns() - s->start_ns) / 1000 * rate / 1000000) + 1;
	while (s->next < n_events && s->sent < due && burst < 64) {
		long i = s->next++;
		size_t len;

		if (!wanted(s, i))
			continue;
		if (stall_after >= 0 && s->sent == stall_after) {
			/* Block everything: no messages, no pongs. */
			for (long t = 0; t < stall_secs * 10 && !stopping; t++)
				usleep(100000);
		}
		len = make_event(msgbuf + LWS_PRE, i);
		if (lws_write(wsi, (unsigned char *)msgbuf + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len)
			return -1;
		s->sent++;
		st_messages++;
		burst++;
		if (drop_after >= 0 && s->sent >= drop_after) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_GOINGAWAY,
					 (unsigned char *)"drop", 4);
			return -1;
		}
		if (lws_send_pipe_choked(wsi))
			break;
	}
	if (s->next >= n_events) {
		if (close_at_end) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"end", 3);
			return -1;
		}
		return 0;
	}
	if (s->sent < due)
		lws_callback_on_writable(wsi);
	else
		lws_set_timer_usecs(wsi, 2000);
	return 0;
}

static int answer_stats(struct lws *wsi, struct http *h)
{
	unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start,
		      *end = hdr + sizeof hdr - 1;

	h->len = (size_t)snprintf(h->body, sizeof h->body, "{\"connections\":%ld,\"messages\":%ld,"
				  "\"refused\":%ld,\"last_cursor\":%" PRId64 "}\n", st_connections,
				  st_messages, st_refused, st_last_cursor);
	if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "application/json", h->len, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int on_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct sub *s = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		if (st_refused < refuse_n) {
			unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start,
				      *end = hdr + sizeof hdr - 1;

			st_refused++;
			if (lws_add_http_common_headers(wsi, (unsigned)refuse_status, "text/plain",
							0, &p, end) ||
			    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_RETRY_AFTER,
							 (const unsigned char *)"2", 1, &p, end) ||
			    lws_finalize_write_http_header(wsi, start, &p, end))
				return -1;
			return 1;
		}
		return 0;
	case LWS_CALLBACK_HTTP: {
		struct http *h = user;

		if (strcmp((const char *)in, "/_stats") == 0)
			return answer_stats(wsi, h);
		return lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL) ? -1 : 1;
	}
	case LWS_CALLBACK_HTTP_WRITEABLE: {
		struct http *h = user;
		unsigned char out[LWS_PRE + 256];

		memcpy(out + LWS_PRE, h->body, h->len);
		if (lws_write(wsi, out + LWS_PRE, h->len, LWS_WRITE_HTTP_FINAL) < (int)h->len)
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	case LWS_CALLBACK_ESTABLISHED:
		memset(s, 0, sizeof *s);
		s->is_ws = 1;
		s->start_ns = now_ns();
		st_connections++;
		read_args(wsi, s);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (!s->is_ws)
			break;
		return send_some(wsi, s);
	case LWS_CALLBACK_TIMER:
		if (s && s->is_ws)
			lws_callback_on_writable(wsi);
		break;
	default:
		break;
	}
	(void)len;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "jetstream", on_event, sizeof(struct sub) > sizeof(struct http) ? sizeof(struct sub)
									   : sizeof(struct http),
	  4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
	if (context)
		lws_cancel_service(context);
}

static void usage(void)
{
	fprintf(stderr, "usage: jetstream_server [--port N] [--port-file F] [--posts N] "
		"[--seed S] [--base-us T] [--rate N] [--close-at-end] [--drop-after N] "
		"[--stall-after N] [--stall-secs S] [--malformed I]... [--oversize I]... "
		"[--refuse N:STATUS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	const char *port_file = NULL;
	int port = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--close-at-end") == 0) {
			close_at_end = 1;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (strcmp(a, "--port") == 0)
			port = atoi(v);
		else if (strcmp(a, "--port-file") == 0)
			port_file = v;
		else if (strcmp(a, "--posts") == 0)
			n_events = atol(v);
		else if (strcmp(a, "--seed") == 0)
			seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--base-us") == 0)
			base_us = strtoll(v, NULL, 10);
		else if (strcmp(a, "--rate") == 0)
			rate = atol(v);
		else if (strcmp(a, "--drop-after") == 0)
			drop_after = atol(v);
		else if (strcmp(a, "--stall-after") == 0)
			stall_after = atol(v);
		else if (strcmp(a, "--stall-secs") == 0)
			stall_secs = atol(v);
		else if (strcmp(a, "--malformed") == 0 && n_malformed < MAX_LIST)
			malformed[n_malformed++] = atol(v);
		else if (strcmp(a, "--oversize") == 0 && n_oversize < MAX_LIST)
			oversize[n_oversize++] = atol(v);
		else if (strcmp(a, "--refuse") == 0 && sscanf(v, "%ld:%d", &refuse_n,
							       &refuse_status) == 2)
			;
		else
			usage();
	}
	msgbuf = malloc(LWS_PRE + OVERSIZE_BYTES + 8192);
	if (!msgbuf)
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.fd_limit_per_thread = 64;
	context = lws_create_context(&info);
	if (!context) {
		fprintf(stderr, "jetstream_server: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(context, "default"));
	if (tool_announce("jetstream_server", (unsigned)port, port_file))
		return 1;
	while (!stopping)
		if (lws_service(context, 0) < 0)
			break;
	lws_context_destroy(context);
	free(msgbuf);
	return 0;
}
