/* feed_server.c - a feed host for the tests of the RSS and Atom connector
 * (tests/unit/test_rss.c, tests/integration/source_rss.sh,
 * bench/bench_rss.c): serves RSS 2.0, RSS 1.0 and Atom 1.0 over HTTP on
 * 127.0.0.1, with the conditional GET, gzip and redirects of a real web
 * server, and faults on demand.  Runs until SIGTERM or SIGINT.
 *
 *   feed_server [--port N] [--port-file FILE] [--items N] [--seed S]
 *               [--window W] [--step K] [--dir DIR] [--fail-first N:KIND]
 *               [--retry-after S] [--slow-ms MS] [--big-bytes N]
 *
 * --port 0 (the default) picks a free port; the port is printed as
 * "port=N" on the first line of standard output and written to --port-file.
 *
 * Routes:
 *   GET /feed.rss, /feed.atom, /feed.rdf
 *       a generated feed (RSS 2.0, Atom, RSS 1.0) of items 1..N (--items,
 *       default 50), newest first, at most W (--window, default all) of
 *       them.  Item i has the id "tag:feed-server.test,2026:item-i" (RSS:
 *       a guid with isPermaLink="false"; RSS 1.0: rdf:about is its link
 *       https://blog.feed-server.test/posts/i), was published at
 *       2026-01-01T00:00:00Z + i minutes, and has a title and HTML
 *       content of words drawn from --seed.  With --step K the site
 *       publishes as it is polled: K items at the start and K more after
 *       each 200 answer of a generated feed, up to N; without it all N are
 *       published from the start.  The ETag names the kind and the number
 *       published; Last-Modified is the newest item's date.  A request
 *       whose If-None-Match is the ETag (or "*"), or whose
 *       If-Modified-Since is the Last-Modified, gets 304.  ?ct=TYPE sets
 *       the Content-Type (to test lying charsets).
 *   GET /files/NAME
 *       the file DIR/NAME (--dir), with an ETag of its content and 304 as
 *       above; ?ct=TYPE sets the Content-Type (default by extension).
 *   GET /moved/PATH   301 to /PATH.       GET /loop   302 to /loop, for ever.
 *   GET /_fault?kind=KIND&n=N&retry=S&ms=MS
 *       the next N (default 1) feed or file requests get fault KIND:
 *         429      429 Too Many Requests with Retry-After: S (--retry-after, default 7)
 *         503      503 with Retry-After: S
 *         500      500 Internal Server Error
 *         slow     wait MS milliseconds (--slow-ms, default 3000), then answer normally
 *         malformed  the feed cut in the middle of an item
 *         html     an HTML page that links to the feed
 *         bomb     a "billion laughs" XML bomb
 *         big      a valid-looking feed of --big-bytes bytes (default 17 MiB)
 *         notxml   a JSON body
 *       kind=none clears the fault.  --fail-first N:KIND sets one at start.
 *   GET /_stats
 *       {"requests":..,"feed":..,"ok":..,"not_modified":..,"conditional":..,
 *        "gzip":..,"faults":..,"published":..}: every request; feed and file
 *       requests; their 200s; their 304s; those that sent If-None-Match or
 *       If-Modified-Since; answers sent gzip-encoded; faults served; items
 *       published now.
 *
 * A body is sent gzip-encoded when the request's Accept-Encoding names
 * gzip (as stored deflate blocks: valid gzip without a compression
 * library). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define T0 1767225600L /* 2026-01-01T00:00:00Z */

enum fault {
	FAULT_NONE = 0,
	FAULT_429,
	FAULT_503,
	FAULT_500,
	FAULT_SLOW,
	FAULT_MALFORMED,
	FAULT_HTML,
	FAULT_BOMB,
	FAULT_BIG,
	FAULT_NOTXML,
};

static const char *const fault_names[] = {
	"none", "429", "503", "500", "slow", "malformed", "html", "bomb", "big", "notxml", NULL,
};

/* The settings and the state, under lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long n_items = 50, window, step, published;
static unsigned long seed = 1;
static const char *dir;
static int retry_after = 7;
static long slow_ms = 3000;
static long big_bytes = 17L * 1024 * 1024;
static enum fault fault;
static long fault_left;
static volatile sig_atomic_t stopping;
static struct {
	long requests, feed, ok, not_modified, conditional, gzip, faults;
} stats;

/* A growable string. */
struct str {
	char *p;
	size_t len, cap;
};

static void str_add(struct str *s, const void *data, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;

		while (cap < s->len + n + 1)
			cap *= 2;
		s->p = realloc(s->p, cap);
		if (!s->p) {
			perror("feed_server");
			exit(1);
		}
		s->cap = cap;
	}
	memcpy(s->p + s->len, data, n);
	s->len += n;
	s->p[s->len] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void str_printf(struct str *s, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		str_add(s, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void str_puts(struct str *s, const char *t)
{
	str_add(s, t, strlen(t));
}

/* ---- the generated feeds ---- */

/* The last feed generated, under lock. */
static struct {
	char kind;
	long pub;
	struct str body;
} cache;

static const char *const words[] = {
	"touchpad", "battery", "screen", "keyboard", "support", "update", "driver", "laptop",
	"fan", "warranty", "shipping", "price", "review", "great", "broken", "slow", "fast",
	"love", "hate", "works", "again", "today", "customer", "service", "heat", "noise",
	"firmware", "release", "Korvo", "question", "answer", "thanks",
};

static uint64_t rng_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* n words for item i, space-separated. */
static void item_words(struct str *s, long i, int salt, int n)
{
	uint64_t x = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i * 31 + (uint64_t)salt + 1;

	for (int k = 0; k < n; k++) {
		if (k)
			str_puts(s, " ");
		str_puts(s, words[rng_next(&x) % (sizeof words / sizeof words[0])]);
	}
}

static void rfc822(char out[64], long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void rfc3339(char out[64], long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 64, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The feed of kind ('r' RSS 2.0, 'a' Atom, 'd' RSS 1.0) with items
 * first..last, newest first. */
static void gen_feed(struct str *s, char kind, long first, long last)
{
	char date[64];

	rfc3339(date, T0 + last * 60);
	if (kind == 'r') {
		str_puts(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
			 "<channel><title>Feed server</title>"
			 "<link>https://blog.feed-server.test/</link>"
			 "<description>Generated</description><language>en-us</language>\n");
	} else if (kind == 'a') {
		str_printf(s, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			   "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
			   "<title>Feed server</title><id>tag:feed-server.test,2026:feed</id>"
			   "<updated>%s</updated><author><name>Feed server</name></author>\n", date);
	} else {
		str_puts(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
			 "xmlns=\"http://purl.org/rss/1.0/\" "
			 "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
			 "<channel rdf:about=\"https://blog.feed-server.test/\"><title>Feed server</title>"
			 "<link>https://blog.feed-server.test/</link><description>Generated</description>"
			 "<dc:language>en</dc:language></channel>\n");
	}
	for (long i = last; i >= first && i >= 1; i--) {
		long t = T0 + i * 60;
		int author = (int)(i % 5);

		if (kind == 'r') {
			rfc822(date, t);
			str_printf(s, "<item><title>Item %ld: ", i);
			item_words(s, i, 1, 4);
			str_printf(s, "</title><link>https://blog.feed-server.test/posts/%ld</link>"
				   "<guid isPermaLink=\"false\">tag:feed-server.test,2026:item-%ld</guid>"
				   "<pubDate>%s</pubDate><dc:creator>Author %d</dc:creator>"
				   "<description><![CDATA[<p>", i, i, date, author);
			item_words(s, i, 2, 24);
			str_puts(s, "</p><p>");
			item_words(s, i, 3, 16);
			str_puts(s, "</p>]]></description></item>\n");
		} else if (kind == 'a') {
			rfc3339(date, t);
			str_printf(s, "<entry><title>Item %ld: ", i);
			item_words(s, i, 1, 4);
			str_printf(s, "</title><id>tag:feed-server.test,2026:item-%ld</id>"
				   "<link href=\"https://blog.feed-server.test/posts/%ld\"/>"
				   "<published>%s</published><updated>%s</updated>"
				   "<author><name>Author %d</name></author>"
				   "<content type=\"html\">&lt;p&gt;", i, i, date, date, author);
			item_words(s, i, 2, 24);
			str_puts(s, "&lt;/p&gt;&lt;p&gt;");
			item_words(s, i, 3, 16);
			str_puts(s, "&lt;/p&gt;</content></entry>\n");
		} else {
			rfc3339(date, t);
			str_printf(s, "<item rdf:about=\"https://blog.feed-server.test/posts/%ld\">"
				   "<title>Item %ld: ", i, i);
			item_words(s, i, 1, 4);
			str_printf(s, "</title><link>https://blog.feed-server.test/posts/%ld</link>"
				   "<dc:date>%s</dc:date><dc:creator>Author %d</dc:creator>"
				   "<description>&lt;p&gt;", i, date, author);
			item_words(s, i, 2, 24);
			str_puts(s, "&lt;/p&gt;</description></item>\n");
		}
	}
	str_puts(s, kind == 'r' ? "</channel></rss>\n" : kind == 'a' ? "</feed>\n" : "</rdf:RDF>\n");
}

static const char bomb[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n"
	" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	"]>\n<rss version=\"2.0\"><channel><title>Bomb</title>\n"
	"<item><title>&lol9;</title><link>https://blog.feed-server.test/bomb</link></item>\n"
	"</channel></rss>\n";

static const char html_page[] =
	"<!DOCTYPE html>\n<html><head><title>Feed server</title>\n"
	"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.rss\">\n"
	"</head><body><p>This is a web page, not a feed.</body></html>\n";

/* The big body: a feed that goes on until big_bytes. */
static ssize_t big_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	static const char head[] = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
				   "<title>Big</title>\n";
	static const char item[] = "<item><title>big</title><description>xxxxxxxxxxxxxxxxxxxxx"
				   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</description></item>\n";
	size_t n = 0;

	(void)cls;
	while (n < max && pos + n < (uint64_t)big_bytes) {
		uint64_t at = pos + n;
		char c;

		if (at < sizeof head - 1)
			c = head[at];
		else
			c = item[(at - (sizeof head - 1)) % (sizeof item - 1)];
		out[n++] = c;
	}
	return n ? (ssize_t)n : MHD_CONTENT_READER_END_OF_STREAM;
}

/* ---- gzip without zlib ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* body as a gzip member of stored deflate blocks. */
static void gzip_stored(struct str *out, const char *body, size_t len)
{
	static const unsigned char head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
	uint32_t crc = 0xFFFFFFFFu;
	unsigned char b[8];
	size_t off = 0;

	str_add(out, head, sizeof head);
	do {
		size_t n = len - off > 65535 ? 65535 : len - off;
		unsigned char h[5];

		h[0] = off + n == len ? 1 : 0;
		h[1] = (unsigned char)(n & 0xFF);
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)(~n & 0xFF);
		h[4] = (unsigned char)((~n >> 8) & 0xFF);
		str_add(out, h, 5);
		str_add(out, body + off, n);
		off += n;
	} while (off < len);
	for (size_t i = 0; i < len; i++)
		crc = crc_table[(crc ^ (unsigned char)body[i]) & 0xFF] ^ (crc >> 8);
	crc ^= 0xFFFFFFFFu;
	for (int i = 0; i < 4; i++) {
		b[i] = (unsigned char)(crc >> (8 * i));
		b[4 + i] = (unsigned char)((uint32_t)len >> (8 * i));
	}
	str_add(out, b, 8);
}

/* ---- answers ---- */

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
			      const char *body, size_t len, int gzip, const char *etag,
			      const char *modified)
{
	struct MHD_Response *r;
	struct str z = { 0 };
	enum MHD_Result ok;

	if (gzip && len > 0) {
		gzip_stored(&z, body, len);
		body = z.p;
		len = z.len;
		pthread_mutex_lock(&lock);
		stats.gzip++;
		pthread_mutex_unlock(&lock);
	}
	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	if (gzip && len > 0)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (etag)
		MHD_add_response_header(r, "ETag", etag);
	if (modified)
		MHD_add_response_header(r, "Last-Modified", modified);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	free(z.p);
	return ok;
}

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return answer(c, status, "text/plain", text, strlen(text), 0, NULL, NULL);
}

static enum MHD_Result redirect(struct MHD_Connection *c, unsigned status, const char *to)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ok;

	MHD_add_response_header(r, "Location", to);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* Sleep ms milliseconds unless the server stops. */
static void nap(long ms)
{
	while (ms > 0 && !stopping) {
		long step_ms = ms > 50 ? 50 : ms;
		struct timespec ts = { 0, step_ms * 1000000L };

		nanosleep(&ts, NULL);
		ms -= step_ms;
	}
}

static enum MHD_Result on_fault(struct MHD_Connection *c)
{
	const char *kind = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kind");
	const char *n = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "n");
	const char *retry = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "retry");
	const char *ms = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ms");
	int k;

	for (k = 0; kind && fault_names[k]; k++)
		if (!strcmp(kind, fault_names[k]))
			break;
	if (!kind || !fault_names[k])
		return answer_text(c, 400, "unknown fault kind\n");
	pthread_mutex_lock(&lock);
	fault = (enum fault)k;
	fault_left = n ? atol(n) : 1;
	if (retry)
		retry_after = atoi(retry);
	if (ms)
		slow_ms = atol(ms);
	pthread_mutex_unlock(&lock);
	return answer_text(c, 200, "ok\n");
}

static enum MHD_Result on_stats(struct MHD_Connection *c)
{
	char body[512];

	pthread_mutex_lock(&lock);
	snprintf(body, sizeof body,
		 "{\"requests\":%ld,\"feed\":%ld,\"ok\":%ld,\"not_modified\":%ld,"
		 "\"conditional\":%ld,\"gzip\":%ld,\"faults\":%ld,\"published\":%ld}\n",
		 stats.requests, stats.feed, stats.ok, stats.not_modified, stats.conditional,
		 stats.gzip, stats.faults, published);
	pthread_mutex_unlock(&lock);
	return answer(c, 200, "application/json", body, strlen(body), 0, NULL, NULL);
}

/* The file DIR/name, or NULL; its size in *len. */
static char *read_file(const char *name, size_t *len)
{
	char path[4096];
	struct str s = { 0 };
	char chunk[65536];
	size_t n;
	FILE *f;

	if (!dir || strstr(name, "..") || strchr(name, '/'))
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		str_add(&s, chunk, n);
	fclose(f);
	if (!s.p)
		str_add(&s, "", 0);
	*len = s.len;
	return s.p;
}

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".rss") || !strcmp(dot, ".xml"))
		return "application/rss+xml";
	if (!strcmp(dot, ".atom"))
		return "application/atom+xml";
	if (!strcmp(dot, ".rdf"))
		return "application/rdf+xml";
	if (!strcmp(dot, ".opml"))
		return "text/x-opml";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	return "application/octet-stream";
}

/* A feed or file request: faults first, then the feed. */
static enum MHD_Result on_feed(struct MHD_Connection *c, const char *url)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	const char *ct = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ct");
	int gzip = ae && strstr(ae, "gzip");
	char etag[128], modified[64], retry[16];
	struct str body = { 0 };
	enum fault f = FAULT_NONE;
	enum MHD_Result ok;
	const char *type;
	char kind = 0;
	long pub, first, ms;
	size_t len;

	if (!strcmp(url, "/feed.rss"))
		kind = 'r';
	else if (!strcmp(url, "/feed.atom"))
		kind = 'a';
	else if (!strcmp(url, "/feed.rdf"))
		kind = 'd';
	else if (strncmp(url, "/files/", 7) != 0)
		return answer_text(c, 404, "not found\n");
	pthread_mutex_lock(&lock);
	stats.feed++;
	if (inm || ims)
		stats.conditional++;
	if (fault != FAULT_NONE && fault_left > 0) {
		f = fault;
		if (--fault_left == 0)
			fault = FAULT_NONE;
		stats.faults++;
	}
	snprintf(retry, sizeof retry, "%d", retry_after);
	ms = slow_ms;
	pthread_mutex_unlock(&lock);

	switch (f) {
	case FAULT_429:
	case FAULT_503: {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			12, (void *)"slow down!\r\n", MHD_RESPMEM_PERSISTENT);

		MHD_add_response_header(r, "Retry-After", retry);
		ok = MHD_queue_response(c, f == FAULT_429 ? 429 : 503, r);
		MHD_destroy_response(r);
		return ok;
	}
	case FAULT_500:
		return answer_text(c, 500, "internal server error\n");
	case FAULT_SLOW:
		nap(ms);
		break;
	case FAULT_HTML:
		return answer(c, 200, "text/html; charset=utf-8", html_page, strlen(html_page), gzip,
			      NULL, NULL);
	case FAULT_BOMB:
		return answer(c, 200, "application/rss+xml", bomb, strlen(bomb), gzip, NULL, NULL);
	case FAULT_NOTXML:
		return answer(c, 200, "application/rss+xml", "{\"items\":[]}\n", 13, gzip, NULL,
			      NULL);
	case FAULT_BIG: {
		struct MHD_Response *r = MHD_create_response_from_callback(
			(uint64_t)big_bytes, 65536, big_reader, NULL, NULL);

		MHD_add_response_header(r, "Content-Type", "application/rss+xml");
		ok = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ok;
	}
	default:
		break;
	}

	if (!kind) {
		char *data = read_file(url + 7, &len);
		uint64_t h = 14695981039346656037ULL;

		if (!data)
			return answer_text(c, 404, "no such file\n");
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
		snprintf(etag, sizeof etag, "\"f-%016llx\"", (unsigned long long)h);
		rfc822(modified, T0);
		type = ct ? ct : type_of(url + 7);
		if ((inm && (!strcmp(inm, etag) || !strcmp(inm, "*"))) ||
		    (!inm && ims && !strcmp(ims, modified))) {
			free(data);
			pthread_mutex_lock(&lock);
			stats.not_modified++;
			pthread_mutex_unlock(&lock);
			return answer(c, 304, NULL, "", 0, 0, etag, modified);
		}
		pthread_mutex_lock(&lock);
		stats.ok++;
		pthread_mutex_unlock(&lock);
		ok = answer(c, 200, type, data, len, gzip, etag, modified);
		free(data);
		return ok;
	}

	pthread_mutex_lock(&lock);
	pub = published;
	snprintf(etag, sizeof etag, "\"%c-%ld-%lu\"", kind, pub, seed);
	rfc822(modified, T0 + pub * 60);
	if ((inm && (!strcmp(inm, etag) || !strcmp(inm, "*"))) ||
	    (!inm && ims && !strcmp(ims, modified))) {
		stats.not_modified++;
		pthread_mutex_unlock(&lock);
		return answer(c, 304, NULL, "", 0, 0, etag, modified);
	}
	stats.ok++;
	if (step > 0 && published < n_items)
		published = published + step > n_items ? n_items : published + step;
	pthread_mutex_unlock(&lock);
	first = window > 0 ? pub - window + 1 : 1;
	/* The last feed made is kept: a benchmark polls the same one often. */
	pthread_mutex_lock(&lock);
	if (cache.kind == kind && cache.pub == pub && cache.body.p) {
		str_add(&body, cache.body.p, cache.body.len);
	} else {
		gen_feed(&body, kind, first < 1 ? 1 : first, pub);
		cache.kind = kind;
		cache.pub = pub;
		cache.body.len = 0;
		str_add(&cache.body, body.p, body.len);
	}
	pthread_mutex_unlock(&lock);
	if (f == FAULT_MALFORMED)
		body.len = body.len / 2;
	type = ct ? ct : kind == 'r' ? "application/rss+xml; charset=utf-8"
		  : kind == 'a' ? "application/atom+xml; charset=utf-8" : "application/rdf+xml";
	ok = answer(c, 200, type, body.p ? body.p : "", body.len, gzip, etag, modified);
	free(body.p);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **state)
{
	static int first_call;

	(void)cls;
	(void)version;
	(void)data;
	(void)size;
	if (*state == NULL) {
		*state = &first_call;
		return MHD_YES;
	}
	pthread_mutex_lock(&lock);
	stats.requests++;
	pthread_mutex_unlock(&lock);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return answer_text(c, 405, "GET only\n");
	if (!strcmp(url, "/_stats"))
		return on_stats(c);
	if (!strcmp(url, "/_fault"))
		return on_fault(c);
	if (!strcmp(url, "/loop"))
		return redirect(c, 302, "/loop");
	if (!strncmp(url, "/moved/", 7))
		return redirect(c, 301, url + 6);
	return on_feed(c, url);
}

static void usage(void)
{
	fprintf(stderr, "usage: feed_server [--port N] [--port-file FILE] [--items N] [--seed S]\n"
		"                   [--window W] [--step K] [--dir DIR] [--fail-first N:KIND]\n"
		"                   [--retry-after S] [--slow-ms MS] [--big-bytes N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	const char *port_file = NULL;
	unsigned bound;
	long port = 0;
	sigset_t sigs;
	int sig;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--port"))
			port = atol(v);
		else if (!strcmp(a, "--port-file"))
			port_file = v;
		else if (!strcmp(a, "--items"))
			n_items = atol(v);
		else if (!strcmp(a, "--seed"))
			seed = strtoul(v, NULL, 10);
		else if (!strcmp(a, "--window"))
			window = atol(v);
		else if (!strcmp(a, "--step"))
			step = atol(v);
		else if (!strcmp(a, "--dir"))
			dir = v;
		else if (!strcmp(a, "--retry-after"))
			retry_after = atoi(v);
		else if (!strcmp(a, "--slow-ms"))
			slow_ms = atol(v);
		else if (!strcmp(a, "--big-bytes"))
			big_bytes = atol(v);
		else if (!strcmp(a, "--fail-first")) {
			const char *colon = strchr(v, ':');
			int k;

			if (!colon)
				usage();
			for (k = 0; fault_names[k]; k++)
				if (!strcmp(colon + 1, fault_names[k]))
					break;
			if (!fault_names[k])
				usage();
			fault = (enum fault)k;
			fault_left = atol(v);
		} else {
			usage();
		}
	}
	if (n_items < 0 || port < 0 || port > 65535)
		usage();
	published = step > 0 ? (step < n_items ? step : n_items) : n_items;
	crc_init();
	/* A thread per connection: a slow answer does not hold up the others
	 * (nor /_stats). */
	tool_block_signals(&sigs);
	if (!(d = tool_listen(port, on_request, NULL, &bound))) {
		fprintf(stderr, "feed_server: cannot listen on 127.0.0.1:%ld\n", port);
		return 1;
	}
	if (tool_announce("feed_server", bound, port_file))
		return 1;
	sigwait(&sigs, &sig);
	stopping = 1;
	MHD_stop_daemon(d);
	return 0;
}
