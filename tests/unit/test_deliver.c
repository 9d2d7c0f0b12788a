/* test_deliver.c - alert delivery (src/alert/deliver.c).
 *
 * First the pure part: each format's payload parsed back with jansson and
 * checked field by field (Slack's entities, the Teams card, the escaping of
 * quotes, newlines, control characters and bytes that are not UTF-8), and
 * the e-mail's headers (an exact message, RFC 2047 encoded-words decoded
 * back, no header injection through the title or the recipients).  Then the
 * deliverer against servers started here on 127.0.0.1, port 0: an HTTP
 * receiver (libmicrohttpd) that answers from a script and records each
 * request, and an SMTP sink (a thread of this file) that records the
 * envelope and the message.  Covered: success, failures then success,
 * Retry-After in seconds and as a date, a refusal, a closed port, a
 * timeout, a full queue, a job waiting for its retry that does not hold up
 * another, a stop in flight, SMTP with a 451 then a success, AUTH PLAIN
 * accepted and refused, and no credential in an error or a log line. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "alert/deliver.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "tap.h"

#define T0 1424806552000LL /* 2015-02-24T19:35:52Z, a Tuesday */

/* ---- helpers --------------------------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static struct alert_note sample_note(void)
{
	struct alert_note n = {
		.id = 7,
		.kind = "spike",
		.state = "open",
		.severity = "warning",
		.title = "Hinge complaints up",
		.summary = "12 posts in 10 minutes.\n.leading dot line",
		.topic = "hinge",
		.product = "Lumina Book 16",
		.rule = "hinge spike",
		.at = T0,
		.link = "https://horch.example/alerts/7",
	};

	return n;
}

/* Render and parse back as JSON; NULL when the output is not JSON. */
static json_t *render_parse(enum deliver_format f, const struct alert_note *n)
{
	struct buf b;
	json_t *v;

	buf_init(&b, BUF_NOLIMIT);
	if (deliver_render(&b, f, n, NULL, NULL, T0) != 0) {
		buf_cleanup(&b);
		return NULL;
	}
	v = json_loads(b.ptr, 0, NULL);
	buf_cleanup(&b);
	return v;
}

/* The string at a path of object keys and array indexes ("blocks", "0",
 * "text"), or NULL. */
static const char *jpath(json_t *v, const char *const *path)
{
	for (; *path && v; path++) {
		if (json_is_array(v))
			v = json_array_get(v, (size_t)atoi(*path));
		else
			v = json_object_get(v, *path);
	}
	return json_string_value(v);
}

#define JP(v, ...) jpath((v), (const char *const[]){ __VA_ARGS__, NULL })

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode base64 s[0..len) onto out. */
static void b64decode(struct buf *out, const char *s, size_t len)
{
	unsigned v = 0;
	int bits = 0, x;

	for (size_t i = 0; i < len; i++) {
		if ((x = b64val((unsigned char)s[i])) < 0)
			continue;
		v = (v << 6) | (unsigned)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (int)((v >> bits) & 0xFF));
		}
	}
}

/* The header block of a message (up to the empty line), a new string. */
static char *headers_of(const char *msg)
{
	const char *e = strstr(msg, "\r\n\r\n");

	return strndup(msg, e ? (size_t)(e - msg) + 2 : strlen(msg));
}

/* The value of header name in msg, unfolded, with encoded-words decoded
 * (blanks between two encoded-words dropped); a new string or NULL. */
static char *header_value(const char *msg, const char *name)
{
	char *hdrs = headers_of(msg), *line, *save = NULL, *q;
	struct buf raw, out;
	size_t nl = strlen(name);
	int in = 0;

	buf_init(&raw, BUF_NOLIMIT);
	buf_init(&out, BUF_NOLIMIT);
	for (line = strtok_r(hdrs, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		if (in && (line[0] == ' ' || line[0] == '\t')) {
			buf_puts(&raw, line);
			continue;
		}
		in = 0;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			buf_puts(&raw, line + nl + 1);
			in = 1;
		}
	}
	free(hdrs);
	if (!raw.ptr) {
		buf_cleanup(&raw);
		return NULL;
	}
	for (const char *p = raw.ptr; *p;) {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0 && (q = strstr(p + 10, "?="))) {
			b64decode(&out, p + 10, (size_t)(q - (p + 10)));
			p = q + 2;
			/* Blanks between two encoded-words are not text. */
			const char *r = p;
			while (*r == ' ' || *r == '\t')
				r++;
			if (strncmp(r, "=?", 2) == 0)
				p = r;
			continue;
		}
		if (*p == ' ' && out.len == 0) {
			p++;
			continue;
		}
		buf_putc(&out, *p++);
	}
	buf_cleanup(&raw);
	return out.ptr ? buf_take(&out) : strdup("");
}

/* 1 when needle occurs in hay, without regard to ASCII case. */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* 1 when every line of the header block is ASCII and at most max bytes. */
static int header_lines_ok(const char *msg, size_t max)
{
	char *hdrs = headers_of(msg);
	size_t run = 0;
	int good = 1;

	for (const char *p = hdrs; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			good = 0;
		if (*p == '\r' || *p == '\n') {
			if (run > max)
				good = 0;
			run = 0;
		} else {
			run++;
		}
	}
	free(hdrs);
	return good;
}

/* 1 when every LF of s follows a CR and every CR comes before an LF. */
static int crlf_only(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return 0;
		if (s[i] == '\r' && s[i + 1] != '\n')
			return 0;
	}
	return 1;
}

/* 1 when no line of s is longer than max bytes. */
static int lines_within(const char *s, size_t max)
{
	size_t run = 0;

	for (; *s; s++) {
		run = *s == '\n' ? 0 : run + 1;
		if (run > max + 1)
			return 0;
	}
	return 1;
}

/* ---- what the deliverer reports -------------------------------------- */

struct got {
	int64_t id;
	int ok;
	int attempts;
	long status;
	int has_error;
	char error[300];
	int64_t at_ns;
};

struct results {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct got r[32];
	int n;
};

static void results_init(struct results *rs)
{
	memset(rs, 0, sizeof *rs);
	pthread_mutex_init(&rs->lock, NULL);
	pthread_cond_init(&rs->cond, NULL);
}

static void results_cleanup(struct results *rs)
{
	pthread_mutex_destroy(&rs->lock);
	pthread_cond_destroy(&rs->cond);
}

static void on_result(void *ctx, const struct deliver_result *r)
{
	struct results *rs = ctx;
	struct got *g;

	pthread_mutex_lock(&rs->lock);
	if (rs->n < 32) {
		g = &rs->r[rs->n++];
		g->id = r->id;
		g->ok = r->ok;
		g->attempts = r->attempts;
		g->status = r->status;
		g->has_error = r->error != NULL;
		snprintf(g->error, sizeof g->error, "%s", r->error ? r->error : "");
		g->at_ns = horch_mono_ns();
	}
	pthread_cond_broadcast(&rs->cond);
	pthread_mutex_unlock(&rs->lock);
}

/* Wait up to ms for n results; the number there is. */
static int wait_results(struct results *rs, int n, long ms)
{
	int64_t end = horch_mono_ns() + (int64_t)ms * 1000000;
	int got;

	pthread_mutex_lock(&rs->lock);
	while (rs->n < n && horch_mono_ns() < end) {
		pthread_mutex_unlock(&rs->lock);
		sleep_ms(5);
		pthread_mutex_lock(&rs->lock);
	}
	got = rs->n;
	pthread_mutex_unlock(&rs->lock);
	return got;
}

/* Wait up to ms for the deliverer to hold no job. */
static size_t wait_pending(struct deliver *d, size_t want, long ms)
{
	int64_t end = horch_mono_ns() + (int64_t)ms * 1000000;
	size_t n;

	while ((n = deliver_pending(d)) != want && horch_mono_ns() < end)
		sleep_ms(5);
	return n;
}

/* ---- stderr captured ------------------------------------------------- */

static FILE *cap_file;
static int cap_saved = -1;

static void capture_start(void)
{
	fflush(stderr);
	cap_file = tmpfile();
	cap_saved = dup(2);
	dup2(fileno(cap_file), 2);
	horch_log_level = LOG_INFO;
}

/* What was written to stderr since capture_start(); a new string. */
static char *capture_end(void)
{
	struct buf b;
	char chunk[4096];
	size_t n;

	horch_log_level = -1;
	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	buf_init(&b, BUF_NOLIMIT);
	rewind(cap_file);
	while ((n = fread(chunk, 1, sizeof chunk, cap_file)) > 0)
		buf_append(&b, chunk, n);
	fclose(cap_file);
	return b.ptr ? buf_take(&b) : strdup("");
}

/* ---- the HTTP receiver ----------------------------------------------- */

struct request {
	char method[16];
	char path[128];
	char ctype[128];
	char agent[64];
	char *body;
	size_t len;
	int64_t at_ns;
};

struct receiver {
	struct MHD_Daemon *mhd;
	unsigned port;
	pthread_mutex_t lock;
	int script[8];            /* statuses answered in turn; the last repeats */
	int n_script;
	const char *retry_after;  /* sent with a 429 or 503 */
	const char *answer;       /* the body of every answer */
	long sleep_ms;            /* before answering */
	int quit;                 /* cuts a sleep short */
	struct request req[16];
	int n;
};

struct upload {
	struct buf body;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version,
				  const char *data, size_t *data_size, void **con_cls)
{
	struct receiver *r = cls;
	struct upload *up = *con_cls;
	struct MHD_Response *resp;
	struct request *q;
	const char *h;
	enum MHD_Result ret;
	int status, i;
	long slept = 0;

	if (!up) {
		up = calloc(1, sizeof *up);
		buf_init(&up->body, 1 << 22);
		*con_cls = up;
		return MHD_YES;
	}
	if (*data_size) {
		buf_append(&up->body, data, *data_size);
		*data_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&r->lock);
	i = r->n;
	if (r->n < 16) {
		q = &r->req[r->n++];
		snprintf(q->method, sizeof q->method, "%s", method);
		snprintf(q->path, sizeof q->path, "%s", url);
		h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Type");
		snprintf(q->ctype, sizeof q->ctype, "%s", h ? h : "");
		h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "User-Agent");
		snprintf(q->agent, sizeof q->agent, "%s", h ? h : "");
		q->len = up->body.len;
		q->body = up->body.ptr ? buf_take(&up->body) : strdup("");
		q->at_ns = horch_mono_ns();
	}
	status = r->script[i < r->n_script ? i : r->n_script - 1];
	pthread_mutex_unlock(&r->lock);
	for (;;) {
		pthread_mutex_lock(&r->lock);
		if (r->quit || slept >= r->sleep_ms) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		pthread_mutex_unlock(&r->lock);
		sleep_ms(10);
		slept += 10;
	}
	h = r->answer ? r->answer : "";
	resp = MHD_create_response_from_buffer(strlen(h), (void *)h, MHD_RESPMEM_MUST_COPY);
	if ((status == 429 || status == 503) && r->retry_after)
		MHD_add_response_header(resp, "Retry-After", r->retry_after);
	ret = MHD_queue_response(con, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	if (up) {
		buf_cleanup(&up->body);
		free(up);
		*con_cls = NULL;
	}
}

/* Start a receiver answering the statuses of script (0-terminated). */
static void receiver_start(struct receiver *r, const int *script)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	while (script[r->n_script] && r->n_script < 8) {
		r->script[r->n_script] = script[r->n_script];
		r->n_script++;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
				  0, NULL, NULL, on_request, r,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				  MHD_OPTION_END);
	if (!r->mhd) {
		printf("Bail out! the receiver did not start\n");
		exit(1);
	}
	info = MHD_get_daemon_info(r->mhd, MHD_DAEMON_INFO_BIND_PORT);
	r->port = info ? info->port : 0;
}

static int receiver_count(struct receiver *r)
{
	int n;

	pthread_mutex_lock(&r->lock);
	n = r->n;
	pthread_mutex_unlock(&r->lock);
	return n;
}

static void receiver_stop(struct receiver *r)
{
	pthread_mutex_lock(&r->lock);
	r->quit = 1;
	pthread_mutex_unlock(&r->lock);
	MHD_stop_daemon(r->mhd);
	for (int i = 0; i < r->n; i++)
		free(r->req[i].body);
	pthread_mutex_destroy(&r->lock);
}

static char *url_of(struct receiver *r, const char *path)
{
	static char url[2][256];
	static int which;

	which ^= 1;
	snprintf(url[which], sizeof url[which], "http://127.0.0.1:%u%s", r->port, path);
	return url[which];
}

/* ---- the SMTP sink --------------------------------------------------- */

struct sink {
	int fd;
	unsigned port;
	pthread_t thread;
	pthread_mutex_t lock;
	int stop;
	/* How it behaves. */
	int fail_rcpt_once;       /* 451 to the first RCPT */
	int auth;                 /* 1: AUTH PLAIN accepted; 2: refused with 535 */
	/* What it saw. */
	char mail_from[256];
	char rcpt[8][256];
	int n_rcpt;
	char auth_plain[256];     /* the base64 credentials */
	struct buf msg;           /* the last message, dot-unstuffed */
	int n_msgs;
	int n_451;
	int n_conns;
	int conn_fd[8];
	pthread_t conn_thread[8];
};

struct sconn {
	struct sink *s;
	int fd;
	char in[8192];
	size_t len;
};

/* Read one line without its CRLF into line; its length, or -1 at the end. */
static int read_line(struct sconn *c, char *line, size_t max)
{
	char *nl;
	ssize_t got;
	size_t n;

	for (;;) {
		if ((nl = memchr(c->in, '\n', c->len)) != NULL) {
			n = (size_t)(nl - c->in);
			memmove(line, c->in, n < max - 1 ? n : max - 1);
			line[n < max - 1 ? n : max - 1] = '\0';
			if (n && line[(n < max - 1 ? n : max - 1) - 1] == '\r')
				line[(n < max - 1 ? n : max - 1) - 1] = '\0';
			memmove(c->in, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			return (int)strlen(line);
		}
		if (c->len == sizeof c->in)
			return -1;
		got = read(c->fd, c->in + c->len, sizeof c->in - c->len);
		if (got <= 0)
			return -1;
		c->len += (size_t)got;
	}
}

static void say(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t w;

	while (len && (w = write(fd, s, len)) > 0) {
		s += w;
		len -= (size_t)w;
	}
}

static void *sink_session(void *arg)
{
	struct sconn *c = arg;
	struct sink *s = c->s;
	char line[1024];
	struct buf msg;

	buf_init(&msg, BUF_NOLIMIT);
	say(c->fd, "220 sink.test ESMTP\r\n");
	while (read_line(c, line, sizeof line) >= 0) {
		if (!strncasecmp(line, "EHLO", 4) || !strncasecmp(line, "HELO", 4)) {
			say(c->fd, s->auth ? "250-sink.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
					   : "250-sink.test\r\n250 8BITMIME\r\n");
		} else if (!strncasecmp(line, "AUTH PLAIN", 10)) {
			const char *cred = line + 10;

			while (*cred == ' ')
				cred++;
			if (!*cred) {
				say(c->fd, "334 \r\n");
				if (read_line(c, line, sizeof line) < 0)
					break;
				cred = line;
			}
			pthread_mutex_lock(&s->lock);
			snprintf(s->auth_plain, sizeof s->auth_plain, "%.200s", cred);
			pthread_mutex_unlock(&s->lock);
			say(c->fd, s->auth == 2 ? "535 5.7.8 authentication failed\r\n"
						: "235 2.7.0 accepted\r\n");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			pthread_mutex_lock(&s->lock);
			snprintf(s->mail_from, sizeof s->mail_from, "%.200s", line + 10);
			s->n_rcpt = 0;
			pthread_mutex_unlock(&s->lock);
			say(c->fd, "250 2.1.0 ok\r\n");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			pthread_mutex_lock(&s->lock);
			if (s->fail_rcpt_once && s->n_451 == 0) {
				s->n_451++;
				pthread_mutex_unlock(&s->lock);
				say(c->fd, "451 4.3.0 try again later\r\n");
				continue;
			}
			if (s->n_rcpt < 8)
				snprintf(s->rcpt[s->n_rcpt++], sizeof s->rcpt[0], "%.200s", line + 8);
			pthread_mutex_unlock(&s->lock);
			say(c->fd, "250 2.1.5 ok\r\n");
		} else if (!strcasecmp(line, "DATA")) {
			say(c->fd, "354 end with <CRLF>.<CRLF>\r\n");
			buf_reset(&msg);
			while (read_line(c, line, sizeof line) >= 0 && strcmp(line, ".") != 0) {
				buf_puts(&msg, line[0] == '.' ? line + 1 : line);
				buf_puts(&msg, "\r\n");
			}
			pthread_mutex_lock(&s->lock);
			buf_reset(&s->msg);
			buf_append(&s->msg, msg.ptr ? msg.ptr : "", msg.len);
			s->n_msgs++;
			pthread_mutex_unlock(&s->lock);
			say(c->fd, "250 2.0.0 queued\r\n");
		} else if (!strcasecmp(line, "RSET") || !strcasecmp(line, "NOOP")) {
			say(c->fd, "250 2.0.0 ok\r\n");
		} else if (!strcasecmp(line, "QUIT")) {
			say(c->fd, "221 2.0.0 bye\r\n");
			break;
		} else {
			say(c->fd, "502 5.5.2 unknown command\r\n");
		}
	}
	buf_cleanup(&msg);
	free(c);
	return NULL;
}

static void *sink_run(void *arg)
{
	struct sink *s = arg;
	struct pollfd p;
	struct sconn *c;
	int fd, stop;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		stop = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (stop)
			break;
		p.fd = s->fd;
		p.events = POLLIN;
		if (poll(&p, 1, 20) <= 0)
			continue;
		if ((fd = accept(s->fd, NULL, NULL)) < 0)
			continue;
		pthread_mutex_lock(&s->lock);
		if (s->n_conns == 8) {
			pthread_mutex_unlock(&s->lock);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof *c);
		c->s = s;
		c->fd = fd;
		s->conn_fd[s->n_conns] = fd;
		pthread_create(&s->conn_thread[s->n_conns], NULL, sink_session, c);
		s->n_conns++;
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static void sink_start(struct sink *s, int fail_rcpt_once, int auth)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int one = 1;

	memset(s, 0, sizeof *s);
	s->fail_rcpt_once = fail_rcpt_once;
	s->auth = auth;
	buf_init(&s->msg, BUF_NOLIMIT);
	pthread_mutex_init(&s->lock, NULL);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) || listen(s->fd, 8) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &sl)) {
		printf("Bail out! the SMTP sink did not start: %s\n", strerror(errno));
		exit(1);
	}
	s->port = ntohs(sa.sin_port);
	pthread_create(&s->thread, NULL, sink_run, s);
}

static void sink_stop(struct sink *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	for (int i = 0; i < s->n_conns; i++) {
		shutdown(s->conn_fd[i], SHUT_RDWR);
		pthread_join(s->conn_thread[i], NULL);
		close(s->conn_fd[i]);
	}
	close(s->fd);
	buf_cleanup(&s->msg);
	pthread_mutex_destroy(&s->lock);
}

/* ---- 1: formats and the JSON payload --------------------------------- */

static void test_format_parse(void)
{
	enum deliver_format f = DELIVER_EMAIL;

	is_int(deliver_format_parse("json", &f), 0, "deliver-1.1 \"json\" parses");
	is_int(f, DELIVER_JSON, "deliver-1.2 into DELIVER_JSON");
	deliver_format_parse("slack", &f);
	is_int(f, DELIVER_SLACK, "deliver-1.3 \"slack\" is DELIVER_SLACK");
	deliver_format_parse("teams", &f);
	is_int(f, DELIVER_TEAMS, "deliver-1.4 \"teams\" is DELIVER_TEAMS");
	is_int(deliver_format_parse("email", &f), HORCH_EINVAL,
	       "deliver-1.5 \"email\" is not a webhook format");
	is_int(deliver_format_parse("Slack", &f), HORCH_EINVAL, "deliver-1.6 names are exact");
	is_int(deliver_format_parse(NULL, &f), HORCH_EINVAL, "deliver-1.7 NULL is refused");
	is_int(f, DELIVER_TEAMS, "deliver-1.8 a refusal leaves *out alone");
}

static void test_json(void)
{
	struct alert_note n = sample_note();
	const char *given = "{\"id\":7,\"kind\":\"spike\",\"nested\":{\"a\":[1,2,3]},\"t\":\"\\u00fc\"}";
	json_t *v, *want, *alert;
	struct buf b;

	n.json = given;
	v = render_parse(DELIVER_JSON, &n);
	want = json_loads(given, 0, NULL);
	ok(v && json_object_size(v) == 1, "deliver-2.1 json: one member");
	alert = json_object_get(v, "alert");
	ok(alert && json_equal(alert, want), "deliver-2.2 json: \"alert\" is note.json as given");
	json_decref(v);
	json_decref(want);

	n = sample_note();
	n.title = "Say \"hi\"\n\ttab\x01 ctl \xE2\x80\x93 \xC3\xBC";
	n.product = NULL;
	buf_init(&b, BUF_NOLIMIT);
	is_int(deliver_render(&b, DELIVER_JSON, &n, NULL, NULL, T0), 0,
	       "deliver-2.3 json from the fields renders");
	ok(strstr(b.ptr, "\\\"hi\\\"\\n\\ttab\\u0001 ctl") != NULL,
	   "deliver-2.4 quotes, newline, tab and a control character escaped: %s", b.ptr);
	v = json_loads(b.ptr, 0, NULL);
	is_str(JP(v, "alert", "title"), n.title, "deliver-2.5 the title parses back exactly");
	is_int(json_integer_value(json_object_get(json_object_get(v, "alert"), "id")), 7,
	       "deliver-2.6 id is a number");
	is_str(JP(v, "alert", "at"), "2015-02-24T19:35:52Z", "deliver-2.7 at in RFC 3339");
	ok(json_is_null(json_object_get(json_object_get(v, "alert"), "product")),
	   "deliver-2.8 an absent field is null");
	is_str(JP(v, "alert", "link"), "https://horch.example/alerts/7", "deliver-2.9 the link");
	json_decref(v);
	buf_cleanup(&b);

	n = sample_note();
	n.title = "bad \xFF byte \xC3";
	v = render_parse(DELIVER_JSON, &n);
	is_str(JP(v, "alert", "title"), "bad \xEF\xBF\xBD byte \xEF\xBF\xBD",
	       "deliver-2.10 bytes that are not UTF-8 become U+FFFD (still JSON)");
	json_decref(v);

	n = sample_note();
	n.json = "[1,2]";
	v = render_parse(DELIVER_JSON, &n);
	is_int(json_integer_value(json_object_get(json_object_get(v, "alert"), "id")), 7,
	       "deliver-2.11 note.json that is no object: the fields instead");
	json_decref(v);

	buf_init(&b, 20);
	buf_puts(&b, "keep");
	is_int(deliver_render(&b, DELIVER_SLACK, &n, NULL, NULL, T0), HORCH_ETOOBIG,
	       "deliver-2.12 past out's cap: HORCH_ETOOBIG");
	is_str(b.ptr, "keep", "deliver-2.13 and out as it was");
	buf_cleanup(&b);
}

/* ---- 3: Slack -------------------------------------------------------- */

static void test_slack(void)
{
	struct alert_note n = sample_note();
	char title[201];
	json_t *v;

	n.severity = "critical";
	n.title = "Akku <hei\xC3\x9F> & \"gebl\xC3\xA4ht\"";
	n.summary = "Line 1 <b>bold</b> & co\r\nLine 2";
	n.link = "https://horch.example/alerts/7?tab=posts&x=1|y";
	v = render_parse(DELIVER_SLACK, &n);
	ok(v != NULL, "deliver-3.1 slack: valid JSON");
	is_str(JP(v, "text"), "[critical] Akku &lt;hei\xC3\x9F&gt; &amp; \"gebl\xC3\xA4ht\"",
	       "deliver-3.2 slack payload escapes <>& in the fallback text");
	is_int(json_array_size(json_object_get(v, "blocks")), 3, "deliver-3.3 three blocks");
	is_str(JP(v, "blocks", "0", "type"), "header", "deliver-3.4 a header block");
	is_str(JP(v, "blocks", "0", "text", "type"), "plain_text", "deliver-3.5 of plain text");
	is_str(JP(v, "blocks", "0", "text", "text"), n.title,
	       "deliver-3.6 plain text is not escaped");
	is_str(JP(v, "blocks", "1", "type"), "section", "deliver-3.7 a section block");
	is_str(JP(v, "blocks", "1", "text", "type"), "mrkdwn", "deliver-3.8 of mrkdwn");
	is_str(JP(v, "blocks", "1", "text", "text"),
	       "*Severity:* critical \xC2\xB7 *Kind:* spike \xC2\xB7 *State:* open\n"
	       "*Topic:* hinge \xC2\xB7 *Product:* Lumina Book 16 \xC2\xB7 *Rule:* hinge spike\n"
	       "\nLine 1 &lt;b&gt;bold&lt;/b&gt; &amp; co\nLine 2",
	       "deliver-3.9 the section: facts and the summary, escaped, CRLF as LF");
	is_str(JP(v, "blocks", "2", "type"), "context", "deliver-3.10 a context block");
	is_str(JP(v, "blocks", "2", "elements", "0", "text"),
	       "<https://horch.example/alerts/7?tab=posts&amp;x=1%7Cy|Open in horch> \xC2\xB7 "
	       "2015-02-24T19:35:52Z",
	       "deliver-3.11 the link: & as &amp;, | as %%7C; then the time");
	json_decref(v);

	memset(title, 'x', 200);
	title[200] = '\0';
	n = sample_note();
	n.title = title;
	v = render_parse(DELIVER_SLACK, &n);
	ok(JP(v, "blocks", "0", "text", "text") &&
	   strlen(JP(v, "blocks", "0", "text", "text")) == 149 + 3 &&
	   strcmp(JP(v, "blocks", "0", "text", "text") + 149, "\xE2\x80\xA6") == 0,
	   "deliver-3.12 a long title: 150 characters in the header, the last an ellipsis");
	json_decref(v);

	n = sample_note();
	n.title = "two\nlines";
	n.link = "javascript:alert(1)";
	n.summary = NULL;
	n.kind = n.state = n.severity = n.topic = n.product = n.rule = NULL;
	v = render_parse(DELIVER_SLACK, &n);
	is_str(JP(v, "blocks", "0", "text", "text"), "two lines",
	       "deliver-3.13 a newline in the title becomes a blank");
	is_int(json_array_size(json_object_get(v, "blocks")), 2,
	       "deliver-3.14 no facts, no summary: no section");
	is_str(JP(v, "blocks", "1", "elements", "0", "text"), "2015-02-24T19:35:52Z",
	       "deliver-3.15 a link that is not http(s) is left out");
	json_decref(v);
}

/* ---- 4: Teams -------------------------------------------------------- */

static void test_teams(void)
{
	struct alert_note n = sample_note();
	json_t *v, *facts;

	n.severity = "critical";
	n.summary = "first\r\nsecond \"quoted\"";
	v = render_parse(DELIVER_TEAMS, &n);
	ok(v != NULL, "deliver-4.1 teams: valid JSON");
	is_str(JP(v, "@type"), "MessageCard", "deliver-4.2 a MessageCard");
	is_str(JP(v, "@context"), "https://schema.org/extensions", "deliver-4.3 its @context");
	is_str(JP(v, "summary"), "Hinge complaints up", "deliver-4.4 summary: the title");
	is_str(JP(v, "themeColor"), "D13438", "deliver-4.5 critical is red");
	is_str(JP(v, "title"), "Hinge complaints up", "deliver-4.6 title");
	is_str(JP(v, "text"), "first\nsecond \"quoted\"", "deliver-4.7 text: the summary");
	facts = json_object_get(json_array_get(json_object_get(v, "sections"), 0), "facts");
	is_int(json_array_size(facts), 7, "deliver-4.8 seven facts");
	is_str(JP(facts, "0", "name"), "Severity", "deliver-4.9 the first fact's name");
	is_str(JP(facts, "0", "value"), "critical", "deliver-4.10 and value");
	is_str(JP(facts, "6", "value"), "2015-02-24T19:35:52Z", "deliver-4.11 the time");
	is_str(JP(v, "potentialAction", "0", "@type"), "OpenUri", "deliver-4.12 an OpenUri action");
	is_str(JP(v, "potentialAction", "0", "targets", "0", "os"), "default",
	       "deliver-4.13 for every os");
	is_str(JP(v, "potentialAction", "0", "targets", "0", "uri"),
	       "https://horch.example/alerts/7", "deliver-4.14 to the link");
	json_decref(v);

	n.severity = "warning";
	n.link = NULL;
	v = render_parse(DELIVER_TEAMS, &n);
	is_str(JP(v, "themeColor"), "FF8C00", "deliver-4.15 warning is orange");
	ok(json_object_get(v, "potentialAction") == NULL, "deliver-4.16 no link: no action");
	json_decref(v);
}

/* ---- 5: e-mail ------------------------------------------------------- */

static void test_email(void)
{
	struct alert_note n = sample_note();
	struct buf b;
	char *s, *hdrs, big[3001], many[201];

	buf_init(&b, BUF_NOLIMIT);
	is_int(deliver_render(&b, DELIVER_EMAIL, &n, "horch <alerts@horch.example>",
			      "ops@example.com,anna@example.de", T0), 0,
	       "deliver-5.1 e-mail renders");
	is_str(b.ptr,
	       "Date: Tue, 24 Feb 2015 19:35:52 +0000\r\n"
	       "From: horch <alerts@horch.example>\r\n"
	       "To: ops@example.com, anna@example.de\r\n"
	       "Subject: [warning] Hinge complaints up\r\n"
	       "Message-ID: <alert-7-1424806552000@horch>\r\n"
	       "MIME-Version: 1.0\r\n"
	       "Content-Type: text/plain; charset=UTF-8\r\n"
	       "Content-Transfer-Encoding: 8bit\r\n"
	       "Auto-Submitted: auto-generated\r\n"
	       "\r\n"
	       "Hinge complaints up\r\n"
	       "\r\n"
	       "12 posts in 10 minutes.\r\n"
	       ".leading dot line\r\n"
	       "\r\n"
	       "Severity: warning\r\n"
	       "Kind: spike\r\n"
	       "State: open\r\n"
	       "Topic: hinge\r\n"
	       "Product: Lumina Book 16\r\n"
	       "Rule: hinge spike\r\n"
	       "Time: 2015-02-24T19:35:52Z\r\n"
	       "Link: https://horch.example/alerts/7\r\n",
	       "deliver-5.2 the whole message, exactly");

	buf_reset(&b);
	n.severity = "critical";
	n.title = "Scharnier gebrochen \xE2\x80\x93 R\xC3\xBC" "ckruf?";
	deliver_render(&b, DELIVER_EMAIL, &n, "alerts@horch.example", "ops@example.com", T0);
	ok(strstr(b.ptr, "\r\nSubject: =?UTF-8?B?") != NULL,
	   "deliver-5.3 a non-ASCII subject goes as encoded-words");
	s = header_value(b.ptr, "Subject");
	is_str(s, "[critical] Scharnier gebrochen \xE2\x80\x93 R\xC3\xBC" "ckruf?",
	       "deliver-5.4 and decodes back to the subject");
	free(s);
	ok(header_lines_ok(b.ptr, 78), "deliver-5.5 header lines ASCII, at most 78 bytes");
	ok(strstr(b.ptr, "\r\n\r\nScharnier gebrochen \xE2\x80\x93 R\xC3\xBC" "ckruf?\r\n") != NULL,
	   "deliver-5.6 the body has the title in UTF-8 (8bit)");

	for (int i = 0; i < 100; i++)
		memcpy(many + 2 * i, "\xC3\xBC", 2);
	many[200] = '\0';
	n.title = many;
	n.severity = NULL;
	buf_reset(&b);
	deliver_render(&b, DELIVER_EMAIL, &n, "alerts@horch.example", "ops@example.com", T0);
	s = header_value(b.ptr, "Subject");
	is_str(s, many, "deliver-5.7 a long non-ASCII subject: encoded-words of whole "
	       "characters, decoded back");
	free(s);
	ok(header_lines_ok(b.ptr, 78), "deliver-5.8 folded to lines of at most 78 bytes");

	n = sample_note();
	n.title = "Hinge\r\nBcc: evil@example.com";
	buf_reset(&b);
	deliver_render(&b, DELIVER_EMAIL, &n, "alerts@horch.example\r\nBcc: evil2@example.com",
		       "ops@example.com\r\nBcc: evil3@example.com", T0);
	hdrs = headers_of(b.ptr);
	ok(strstr(hdrs, "\nBcc:") == NULL && strncmp(hdrs, "Bcc:", 4) != 0,
	   "deliver-5.9 no header injection with a title containing \\r\\nBcc: x");
	ok(strstr(hdrs, "\r\nSubject: [warning] Hinge Bcc: evil@example.com\r\n") != NULL,
	   "deliver-5.10 the CR LF became a blank in the subject");
	ok(strstr(hdrs, "\r\nFrom: alerts@horch.example Bcc: evil2@example.com\r\n") &&
	   strstr(hdrs, "\r\nTo: ops@example.com Bcc: evil3@example.com\r\n"),
	   "deliver-5.11 nor through From or To");
	free(hdrs);

	n = sample_note();
	memset(big, 'a', 3000);
	big[3000] = '\0';
	n.summary = big;
	n.product = "line\nbreak";
	buf_reset(&b);
	deliver_render(&b, DELIVER_EMAIL, &n, "alerts@horch.example", "ops@example.com", T0);
	ok(crlf_only(b.ptr), "deliver-5.12 CRLF line ends only");
	ok(lines_within(b.ptr, 998), "deliver-5.13 a 3000-byte line is broken below 998 bytes");
	ok(strstr(b.ptr, "\r\nProduct: line break\r\n") != NULL,
	   "deliver-5.14 a fact stays on its line");
	buf_cleanup(&b);
}

/* ---- 6: the deliverer's checks --------------------------------------- */

static void test_checks(void)
{
	struct deliver_opts o = { .base_ms = 20 };
	struct deliver_job job = { .id = 1, .format = DELIVER_SLACK, .note = sample_note() };
	struct horch_err err;
	struct deliver *d = NULL;

	o.smtp_url = "http://mail.example";
	o.smtp_from = "alerts@horch.example";
	is_int(deliver_new(&d, &o, NULL, NULL, &err), HORCH_EINVAL,
	       "deliver-6.1 an smtp_url that is not smtp(s) is refused");
	o.smtp_url = "smtp://127.0.0.1:1";
	o.smtp_from = NULL;
	is_int(deliver_new(&d, &o, NULL, NULL, &err), HORCH_EINVAL,
	       "deliver-6.2 e-mail without smtp_from is refused");
	o.smtp_from = "alerts@horch.example\r\nBcc: x@example.com";
	is_int(deliver_new(&d, &o, NULL, NULL, &err), HORCH_EINVAL,
	       "deliver-6.3 an smtp_from with CR LF is refused");
	o.smtp_url = NULL;
	o.smtp_from = NULL;
	is_int(deliver_new(&d, &o, NULL, NULL, &err), 0, "deliver-6.4 a deliverer without e-mail");

	job.url = "ftp://u:s3cr3t@example.com/hook";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL, "deliver-6.5 an ftp webhook is refused");
	ok(strstr(err.msg, "s3cr3t") == NULL, "deliver-6.6 the message does not quote the URL: %s",
	   err.msg);
	job.url = NULL;
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL, "deliver-6.7 no URL is refused");
	job.url = "not a url";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL, "deliver-6.8 nor a URL is refused");
	job.url = "https://hooks.example/x";
	job.format = DELIVER_EMAIL;
	job.to = "ops@example.com";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL,
	       "deliver-6.9 e-mail without an SMTP server is refused");
	job.format = DELIVER_JSON;
	job.note.json = "[1]";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL,
	       "deliver-6.10 format json with a note.json that is no object is refused");
	is_int((int)deliver_pending(d), 0, "deliver-6.11 nothing was queued");
	deliver_free(d, 0);

	o.smtp_url = "smtp://127.0.0.1:1";
	o.smtp_from = "horch <alerts@horch.example>";
	is_int(deliver_new(&d, &o, NULL, NULL, &err), 0, "deliver-6.12 a deliverer with e-mail");
	job.format = DELIVER_EMAIL;
	job.note = sample_note();
	job.to = "";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL, "deliver-6.13 no recipient is refused");
	job.to = "ops@example.com\r\nBcc: evil@example.com";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL,
	       "deliver-6.14 recipients with CR LF are refused");
	job.to = "ops@example.com, nobody";
	is_int(deliver_post(d, &job, &err), HORCH_EINVAL,
	       "deliver-6.15 a recipient without @ is refused");
	deliver_free(d, 0);
	deliver_free(NULL, 0);
	ok(1, "deliver-6.16 deliver_free(NULL) is harmless");
}

/* ---- 7: webhooks ----------------------------------------------------- */

static struct deliver *start(const struct deliver_opts *o, struct results *rs)
{
	struct deliver *d = NULL;
	struct horch_err err;

	results_init(rs);
	if (deliver_new(&d, o, on_result, rs, &err) != 0) {
		printf("Bail out! deliver_new: %s\n", err.msg);
		exit(1);
	}
	return d;
}

static int post(struct deliver *d, int64_t id, enum deliver_format f, const char *url)
{
	struct deliver_job job = { .id = id, .format = f, .url = url, .note = sample_note() };
	struct horch_err err;

	return deliver_post(d, &job, &err);
}

static void test_webhook(void)
{
	struct deliver_opts o = { .base_ms = 20, .max_backoff_ms = 5000, .timeout_ms = 2000,
				  .max_attempts = 4, .user_agent = "horch-test/1" };
	struct alert_note n = sample_note();
	struct results rs;
	struct receiver r;
	struct deliver *d;
	struct buf want;
	int64_t gap;

	/* A Slack payload, sent once. */
	receiver_start(&r, (const int[]){ 200, 0 });
	d = start(&o, &rs);
	is_int(post(d, 11, DELIVER_SLACK, url_of(&r, "/hooks/T1/B2/abc")), 0,
	       "deliver-7.1 a webhook job is queued");
	is_int(wait_results(&rs, 1, 5000), 1, "deliver-7.2 one result");
	is_int(rs.r[0].id, 11, "deliver-7.3 for the job's id");
	ok(rs.r[0].ok && rs.r[0].attempts == 1 && rs.r[0].status == 200 && !rs.r[0].has_error,
	   "deliver-7.4 sent at the first attempt, status 200, no error");
	is_int(receiver_count(&r), 1, "deliver-7.5 the receiver got one request");
	is_str(r.req[0].method, "POST", "deliver-7.6 a POST");
	is_str(r.req[0].path, "/hooks/T1/B2/abc", "deliver-7.7 to the URL's path");
	is_str(r.req[0].ctype, "application/json; charset=utf-8", "deliver-7.8 of JSON");
	is_str(r.req[0].agent, "horch-test/1", "deliver-7.9 with the user agent");
	buf_init(&want, BUF_NOLIMIT);
	deliver_render(&want, DELIVER_SLACK, &n, NULL, NULL, 0);
	is_mem(r.n ? r.req[0].body : "", r.n ? r.req[0].len : 0, want.ptr, "deliver-7.10 the body is the rendered payload");
	deliver_free(d, 1000);
	receiver_stop(&r);
	results_cleanup(&rs);

	/* 500, 500, then 200. */
	receiver_start(&r, (const int[]){ 500, 500, 200, 0 });
	d = start(&o, &rs);
	post(d, 12, DELIVER_SLACK, url_of(&r, "/retry"));
	wait_results(&rs, 1, 5000);
	ok(rs.r[0].ok && rs.r[0].attempts == 3 && rs.r[0].status == 200,
	   "deliver-7.11 500 twice then 200: sent, attempts 3 (%d)", rs.r[0].attempts);
	is_int(receiver_count(&r), 3, "deliver-7.12 three requests");
	ok(r.n == 3 && r.req[2].len == want.len && memcmp(r.req[2].body, want.ptr, want.len) == 0,
	   "deliver-7.13 the retry sends the same body");
	deliver_free(d, 1000);
	receiver_stop(&r);
	results_cleanup(&rs);

	/* 429 with Retry-After: 1. */
	receiver_start(&r, (const int[]){ 429, 200, 0 });
	r.retry_after = "1";
	d = start(&o, &rs);
	post(d, 13, DELIVER_JSON, url_of(&r, "/limited"));
	wait_results(&rs, 1, 5000);
	ok(rs.r[0].ok && rs.r[0].attempts == 2, "deliver-7.14 429 then 200: sent at attempt 2");
	gap = receiver_count(&r) == 2 ? r.req[1].at_ns - r.req[0].at_ns : 0;
	ok(gap >= 1000000000LL && gap < 2500000000LL,
	   "deliver-7.15 429 with Retry-After: 1 waits >= 1 s (%.3f s)", (double)gap / 1e9);
	deliver_free(d, 1000);
	receiver_stop(&r);
	results_cleanup(&rs);

	/* 503 with Retry-After as a date an hour away: capped at max_backoff_ms. */
	{
		struct deliver_opts o2 = o;
		char date[64];
		time_t later = time(NULL) + 3600;
		struct tm tm;

		gmtime_r(&later, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		o2.max_backoff_ms = 300;
		receiver_start(&r, (const int[]){ 503, 200, 0 });
		r.retry_after = date;
		d = start(&o2, &rs);
		post(d, 14, DELIVER_JSON, url_of(&r, "/busy"));
		wait_results(&rs, 1, 5000);
		gap = receiver_count(&r) == 2 ? r.req[1].at_ns - r.req[0].at_ns : 0;
		ok(rs.r[0].ok && gap >= 300000000LL && gap < 1000000000LL,
		   "deliver-7.16 503 with an HTTP-date Retry-After waits, up to max_backoff_ms "
		   "(%.3f s)", (double)gap / 1e9);
		deliver_free(d, 1000);
		receiver_stop(&r);
		results_cleanup(&rs);
	}

	/* 404: failed for good. */
	receiver_start(&r, (const int[]){ 404, 0 });
	r.answer = "no_service";
	d = start(&o, &rs);
	post(d, 15, DELIVER_SLACK, url_of(&r, "/hooks/T1/B2/s3cr3tT0ken"));
	wait_results(&rs, 1, 5000);
	ok(!rs.r[0].ok && rs.r[0].attempts == 1 && rs.r[0].status == 404,
	   "deliver-7.17 404: failed for good after 1 attempt");
	is_str(rs.r[0].error, "HTTP 404: no_service", "deliver-7.18 the error quotes the answer");
	r.answer = "Cannot POST /hooks/T1/B2/s3cr3tT0ken";
	post(d, 16, DELIVER_SLACK, url_of(&r, "/hooks/T1/B2/s3cr3tT0ken"));
	wait_results(&rs, 2, 5000);
	is_str(rs.r[1].error, "HTTP 404",
	       "deliver-7.19 but not an answer that shows the URL's path");
	r.answer = "unknown token s3cr3tT0ken";
	post(d, 17, DELIVER_SLACK, url_of(&r, "/hooks/T1/B2/s3cr3tT0ken"));
	wait_results(&rs, 3, 5000);
	is_str(rs.r[2].error, "HTTP 404", "deliver-7.20 nor one that shows its token alone");
	deliver_free(d, 1000);
	is_int(receiver_count(&r), 3, "deliver-7.21 no retry of a 404");
	receiver_stop(&r);
	results_cleanup(&rs);
	buf_cleanup(&want);

	/* The back-off: 40 ms, 80 ms, 160 ms, each times 0.5..1.5. */
	{
		struct deliver_opts o3 = o;
		int64_t g[3] = { 0, 0, 0 };

		o3.base_ms = 40;
		receiver_start(&r, (const int[]){ 500, 500, 500, 200, 0 });
		d = start(&o3, &rs);
		post(d, 18, DELIVER_JSON, url_of(&r, "/flaky"));
		wait_results(&rs, 1, 5000);
		if (receiver_count(&r) == 4)
			for (int i = 0; i < 3; i++)
				g[i] = (r.req[i + 1].at_ns - r.req[i].at_ns) / 1000000;
		ok(rs.r[0].ok && rs.r[0].attempts == 4 && g[0] >= 20 && g[1] >= 40 && g[2] >= 80,
		   "deliver-7.22 the back-off doubles: waits of at least 20, 40, 80 ms (%lld, "
		   "%lld, %lld)", (long long)g[0], (long long)g[1], (long long)g[2]);
		ok(g[2] > 0 && g[2] < 240 + 150, "deliver-7.23 and at most 1.5 times (%lld < 240 "
		   "ms and a margin)", (long long)g[2]);
		deliver_free(d, 1000);
		receiver_stop(&r);
		results_cleanup(&rs);

		o3.max_backoff_ms = 30;
		receiver_start(&r, (const int[]){ 500, 500, 500, 200, 0 });
		d = start(&o3, &rs);
		post(d, 19, DELIVER_JSON, url_of(&r, "/flaky"));
		wait_results(&rs, 1, 5000);
		g[2] = receiver_count(&r) == 4 ? (r.req[3].at_ns - r.req[2].at_ns) / 1000000 : -1;
		ok(rs.r[0].ok && g[2] >= 0 && g[2] < 30 + 100,
		   "deliver-7.24 no wait beyond max_backoff_ms (%lld ms)", (long long)g[2]);
		deliver_free(d, 1000);
		receiver_stop(&r);
		results_cleanup(&rs);
	}
}

static void test_refused(void)
{
	struct deliver_opts o = { .base_ms = 10, .max_backoff_ms = 100, .timeout_ms = 2000,
				  .max_attempts = 3 };
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	struct results rs;
	struct deliver *d;
	char url[256], *log;
	int fd;

	/* A port bound but not listening refuses connections, and no other
	 * program can take it while the test holds it. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sa, sizeof sa);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	snprintf(url, sizeof url, "http://alice:hunter2@127.0.0.1:%u/hooks/T0/B0/s3cr3t?token=qq7zz",
		 ntohs(sa.sin_port));
	capture_start();
	d = start(&o, &rs);
	post(d, 21, DELIVER_SLACK, url);
	wait_results(&rs, 1, 5000);
	deliver_free(d, 0);
	log = capture_end();
	close(fd);
	ok(!rs.r[0].ok && rs.r[0].attempts == 3 && rs.r[0].status == 0,
	   "deliver-8.1 connection refused: failed after max_attempts (%d), no status",
	   rs.r[0].attempts);
	ok(strstr(rs.r[0].error, "onnect") != NULL, "deliver-8.2 the error says so: %s",
	   rs.r[0].error);
	ok(!strstr(rs.r[0].error, "hunter2") && !strstr(rs.r[0].error, "alice") &&
	   !strstr(rs.r[0].error, "s3cr3t") && !strstr(rs.r[0].error, "qq7zz"),
	   "deliver-8.3 an error that names no credentials");
	ok(strstr(log, "attempt=1/3") && strstr(log, "attempt=3/3") &&
	   strstr(log, "result=failed attempts=3"),
	   "deliver-8.4 a log line per failure and one for the result");
	ok(strstr(log, "to=http://127.0.0.1:") != NULL, "deliver-8.5 the log names the host");
	ok(!strstr(log, "hunter2") && !strstr(log, "alice") && !strstr(log, "s3cr3t") &&
	   !strstr(log, "qq7zz") && !strstr(log, "/hooks"),
	   "deliver-8.6 the log shows no user-info, path or query");
	free(log);
	results_cleanup(&rs);
}

static void test_slow(void)
{
	struct deliver_opts o = { .base_ms = 20, .timeout_ms = 200, .max_attempts = 1 };
	struct results rs;
	struct receiver r;
	struct deliver *d;
	struct horch_err err;
	struct deliver_job job = { .format = DELIVER_JSON, .note = sample_note() };
	int64_t t0;
	int before;

	/* A receiver slower than timeout_ms. */
	receiver_start(&r, (const int[]){ 200, 0 });
	r.sleep_ms = 2000;
	d = start(&o, &rs);
	t0 = horch_mono_ns();
	post(d, 31, DELIVER_JSON, url_of(&r, "/slow"));
	wait_results(&rs, 1, 5000);
	ok(!rs.r[0].ok && rs.r[0].attempts == 1 && rs.r[0].status == 0,
	   "deliver-9.1 a slow receiver: failed, no status");
	ok(contains_ci(rs.r[0].error, "timed out"), "deliver-9.2 a timeout error: %s",
	   rs.r[0].error);
	ok(rs.r[0].at_ns - t0 < 1000000000LL, "deliver-9.3 after about timeout_ms (%.3f s)",
	   (double)(rs.r[0].at_ns - t0) / 1e9);
	deliver_free(d, 0);
	results_cleanup(&rs);

	/* A full queue: two jobs held (one in flight), the third refused. */
	o.timeout_ms = 3000;
	o.queue_max = 2;
	r.sleep_ms = 150;
	d = start(&o, &rs);
	job.url = url_of(&r, "/queue");
	job.id = 32;
	is_int(deliver_post(d, &job, &err), 0, "deliver-9.4 the first job is taken");
	job.id = 33;
	is_int(deliver_post(d, &job, &err), 0, "deliver-9.5 the second too");
	job.id = 34;
	is_int(deliver_post(d, &job, &err), HORCH_ELIMIT, "deliver-9.6 queue full: HORCH_ELIMIT");
	is_int((int)deliver_pending(d), 2, "deliver-9.7 two jobs pending");
	wait_results(&rs, 2, 5000);
	ok(rs.r[0].ok && rs.r[1].ok && rs.r[0].id == 32 && rs.r[1].id == 33,
	   "deliver-9.8 both sent, in order");
	is_int((int)wait_pending(d, 0, 1000), 0, "deliver-9.9 then nothing pending");
	is_int(deliver_post(d, &job, &err), 0, "deliver-9.10 and there is room again");
	deliver_free(d, 5000);
	is_int(wait_results(&rs, 3, 0), 3, "deliver-9.11 deliver_free waited for it");
	ok(rs.r[2].ok, "deliver-9.12 and it was sent");
	results_cleanup(&rs);

	/* A stop while a job is in flight. */
	r.sleep_ms = 3000;
	o.queue_max = 0;
	o.timeout_ms = 10000;
	d = start(&o, &rs);
	before = receiver_count(&r);
	post(d, 35, DELIVER_JSON, url_of(&r, "/stuck"));
	for (int i = 0; i < 200 && receiver_count(&r) == before; i++)
		sleep_ms(5);
	t0 = horch_mono_ns();
	deliver_free(d, 0);
	ok(horch_mono_ns() - t0 < 1500000000LL, "deliver-9.13 deliver_free cuts a job in "
	   "flight short (%.3f s)", (double)(horch_mono_ns() - t0) / 1e9);
	ok(rs.n == 1 && !rs.r[0].ok && strcmp(rs.r[0].error, "stopped") == 0 &&
	   rs.r[0].attempts == 1, "deliver-9.14 which ends with error \"stopped\" (%s)",
	   rs.r[0].error);
	results_cleanup(&rs);
	receiver_stop(&r);
}

static void test_not_blocked(void)
{
	struct deliver_opts o = { .base_ms = 3000, .max_backoff_ms = 3000, .timeout_ms = 2000,
				  .max_attempts = 5 };
	struct results rs;
	struct receiver bad, good;
	struct deliver *d;

	receiver_start(&bad, (const int[]){ 500, 0 });
	receiver_start(&good, (const int[]){ 200, 0 });
	d = start(&o, &rs);
	post(d, 41, DELIVER_TEAMS, url_of(&bad, "/down"));
	post(d, 42, DELIVER_TEAMS, url_of(&good, "/up"));
	wait_results(&rs, 1, 5000);
	ok(rs.n == 1 && rs.r[0].id == 42 && rs.r[0].ok,
	   "deliver-10.1 a job waiting for its retry does not hold up the next");
	is_int(receiver_count(&bad), 1, "deliver-10.2 the failing one was tried once so far");
	deliver_free(d, 0);
	ok(rs.n == 2 && rs.r[1].id == 41 && !rs.r[1].ok && rs.r[1].attempts == 1 &&
	   strcmp(rs.r[1].error, "stopped") == 0,
	   "deliver-10.3 deliver_free gives it a result: \"stopped\" after 1 attempt");
	receiver_stop(&bad);
	receiver_stop(&good);
	results_cleanup(&rs);
}

/* ---- 11: e-mail through SMTP ----------------------------------------- */

static void test_smtp(void)
{
	struct deliver_opts o = { .base_ms = 20, .timeout_ms = 3000, .max_attempts = 3,
				  .smtp_from = "horch <alerts@horch.example>" };
	struct deliver_job job = { .id = 51, .format = DELIVER_EMAIL,
				   .to = " ops@example.com , Anna Beispiel <anna@example.de>",
				   .note = sample_note() };
	struct horch_err err;
	struct results rs;
	struct sink s;
	struct deliver *d;
	struct buf want;
	char url[64], *subj, *log;
	const char *mid;
	long long now_ms = 0;

	job.note.severity = "critical";
	job.note.title = "Scharnier gebrochen \xE2\x80\x93 R\xC3\xBC" "ckruf?";
	sink_start(&s, 0, 0);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%u", s.port);
	o.smtp_url = url;
	d = start(&o, &rs);
	is_int(deliver_post(d, &job, &err), 0, "deliver-11.1 an e-mail job is queued");
	wait_results(&rs, 1, 5000);
	deliver_free(d, 1000);
	ok(rs.r[0].ok && rs.r[0].attempts == 1 && rs.r[0].status == 250,
	   "deliver-11.2 sent at the first attempt, status 250 (%ld %s)", rs.r[0].status,
	   rs.r[0].error);
	is_str(s.mail_from, "<alerts@horch.example>", "deliver-11.3 the envelope sender");
	is_int(s.n_rcpt, 2, "deliver-11.4 two recipients");
	is_str(s.rcpt[0], "<ops@example.com>", "deliver-11.5 the first, trimmed");
	is_str(s.rcpt[1], "<anna@example.de>", "deliver-11.6 the second, without its name");
	subj = s.msg.ptr ? header_value(s.msg.ptr, "Subject") : NULL;
	is_str(subj, "[critical] Scharnier gebrochen \xE2\x80\x93 R\xC3\xBC" "ckruf?",
	       "deliver-11.7 the Subject decodes to the title");
	free(subj);
	ok(s.msg.ptr && strstr(s.msg.ptr, "\r\n\r\nScharnier gebrochen") &&
	   strstr(s.msg.ptr, "\r\n.leading dot line\r\n") &&
	   strstr(s.msg.ptr, "\r\nLink: https://horch.example/alerts/7\r\n"),
	   "deliver-11.8 the body: title, summary (a line starting with a dot intact), link");
	/* The Date and Message-ID come from the time of deliver_post(), which
	 * the Message-ID tells. */
	mid = s.msg.ptr ? strstr(s.msg.ptr, "Message-ID: <alert-7-") : NULL;
	if (mid)
		now_ms = strtoll(mid + strlen("Message-ID: <alert-7-"), NULL, 10);
	buf_init(&want, BUF_NOLIMIT);
	deliver_render(&want, DELIVER_EMAIL, &job.note, o.smtp_from, job.to, now_ms);
	is_str(s.msg.ptr, want.ptr, "deliver-11.9 the message is the rendered one, byte for byte");
	buf_cleanup(&want);
	sink_stop(&s);
	results_cleanup(&rs);

	/* 451 to RCPT once, then accepted. */
	sink_start(&s, 1, 0);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%u", s.port);
	d = start(&o, &rs);
	deliver_post(d, &job, &err);
	wait_results(&rs, 1, 5000);
	deliver_free(d, 1000);
	ok(rs.r[0].ok && rs.r[0].attempts == 2,
	   "deliver-11.10 451 to RCPT once: retried and sent, attempts 2 (%d: %s)",
	   rs.r[0].attempts, rs.r[0].error);
	ok(s.n_451 == 1 && s.n_msgs == 1 && s.n_rcpt == 2,
	   "deliver-11.11 one refusal, one message to both recipients");
	sink_stop(&s);
	results_cleanup(&rs);

	/* AUTH PLAIN. */
	sink_start(&s, 0, 1);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%u", s.port);
	o.smtp_user = "alerts";
	o.smtp_password = "hunter2";
	d = start(&o, &rs);
	deliver_post(d, &job, &err);
	wait_results(&rs, 1, 5000);
	deliver_free(d, 1000);
	ok(rs.r[0].ok, "deliver-11.12 with a login: sent");
	is_str(s.auth_plain, "AGFsZXJ0cwBodW50ZXIy", "deliver-11.13 AUTH PLAIN with user and "
	       "password");
	sink_stop(&s);
	results_cleanup(&rs);

	sink_start(&s, 0, 2);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%u", s.port);
	capture_start();
	d = start(&o, &rs);
	deliver_post(d, &job, &err);
	wait_results(&rs, 1, 5000);
	deliver_free(d, 1000);
	log = capture_end();
	ok(!rs.r[0].ok && rs.r[0].attempts == 1 && rs.r[0].status == 535,
	   "deliver-11.14 a refused login fails for good at once (%d, %ld)", rs.r[0].attempts,
	   rs.r[0].status);
	ok(!strstr(rs.r[0].error, "hunter2") && !strstr(log, "hunter2") &&
	   !strstr(log, "AGFsZXJ0cwBodW50ZXIy"),
	   "deliver-11.15 the password is in neither the error nor the log");
	ok(strstr(log, "format=email") && strstr(log, "rcpt=2") && strstr(log, "result=failed"),
	   "deliver-11.16 the log line names the format and the recipients' count");
	free(log);
	is_int(s.n_msgs, 0, "deliver-11.17 no message was sent");
	sink_stop(&s);
	results_cleanup(&rs);
}

int main(void)
{
	/* The servers of this test are on 127.0.0.1: no proxy between. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	horch_log_level = -1;
	test_format_parse();
	test_json();
	test_slack();
	test_teams();
	test_email();
	test_checks();
	test_webhook();
	test_refused();
	test_slow();
	test_not_blocked();
	test_smtp();
	return tap_done();
}
