/* bench_rss.c - how fast the RSS connector reads feeds, on one core,
 * beside the naive ways in the same run.
 *
 * The input is one large generated RSS 2.0 feed: HORCH_BENCH_ITEMS items
 * (default 10,000, the connector's cap per feed), each with a title, a
 * link, a guid, an RFC 822 date, a dc:creator, a category and an HTML
 * description of about 700 bytes in CDATA, words drawn with a fixed seed.
 *
 *   rss-parse       rss_parse(): the encoding decided and the body repaired
 *                   (rss_decode()), libxml2's SAX2 parser with the
 *                   connector's handler, a post built per item
 *   rss-decode      rss_decode() alone: the cost of the repair pass
 *   naive-dom-xpath xmlReadMemory() (a DOM, the same safe options), then
 *                   XPath: //item, and per item title, link, guid, pubDate,
 *                   dc:creator and description evaluated from the item,
 *                   a post built of their text
 *   naive-reader    libxml2's xmlTextReader (streaming, the other
 *                   interface the issue names), a post built per item
 *   fetch+parse     the connector's whole poll against the feed host of
 *                   the tests (tests/tools/feed_server, started here) on
 *                   127.0.0.1: HTTP with gzip, rss_parse(), every item
 *                   emitted (a fresh cursor each time); wall time
 *
 * Each line reads `name  items/s  ns/item  (MB/s, items, bytes)`: the
 * median of HORCH_BENCH_RUNS runs (default 5), CPU time of this thread;
 * for fetch+parse the wall time of the poll (the server works in its own
 * process, on the other core, and the loopback is in it), then the CPU
 * time of the polling thread alone (fetch+parse-cpu). */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_rng.h"
#include "bench/bench_time.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/post.h"
#include "ingest/connector.h"
#include "ingest/rss.h"

static const char *const words[] = {
	"touchpad", "battery", "screen", "keyboard", "support", "update", "driver", "laptop",
	"fan", "warranty", "shipping", "price", "review", "great", "broken", "slow", "fast",
	"love", "hate", "works", "again", "today", "customer", "service", "heat", "noise",
	"firmware", "release", "Korvo", "question", "answer", "thanks", "K\xC3\xB6ln", "caf\xC3\xA9",
};

static void put_words(struct buf *b, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		buf_puts(b, words[bench_rng() % (sizeof words / sizeof words[0])]);
	}
}

/* The feed: items newest first, as sites write them. */
static void make_feed(struct buf *b, long n)
{
	static const char *const days[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		 "<channel><title>Bench</title><link>https://blog.bench.example/</link>"
		 "<description>Generated</description><language>en-us</language>\n");
	for (long i = n; i >= 1; i--) {
		long t = 1767225600L + i * 600;
		long day = t / 86400, sec = t % 86400;

		buf_printf(b, "<item><title>Item %ld: ", i);
		put_words(b, 6);
		buf_printf(b, "</title><link>https://blog.bench.example/posts/%ld</link>"
			   "<guid isPermaLink=\"false\">tag:bench.example,2026:%ld</guid>"
			   "<pubDate>%s, %02ld Jan 2026 %02ld:%02ld:%02ld GMT</pubDate>"
			   "<dc:creator>Author %ld</dc:creator><category>news</category>"
			   "<description><![CDATA[<p>", i, i, days[day % 7], 1 + (day - 20454) % 28,
			   sec / 3600, sec / 60 % 60, sec % 60, i % 97);
		put_words(b, 60);
		buf_puts(b, "</p><p><a href=\"https://blog.bench.example/\">more</a> ");
		put_words(b, 40);
		buf_puts(b, "</p>]]></description></item>\n");
	}
	buf_puts(b, "</channel></rss>\n");
}

static double per_s(long n, long long ns)
{
	return ns > 0 ? (double)n * 1e9 / (double)ns : 0;
}

static void report(const char *name, long items, size_t bytes, long long ns)
{
	printf("%-18s %10.0f items/s %8.0f ns/item  (%6.1f MB/s, %ld items, %zu bytes)\n", name,
	       per_s(items, ns), items ? (double)ns / (double)items : 0,
	       ns > 0 ? (double)bytes / 1e6 / ((double)ns / 1e9) : 0, items, bytes);
	fflush(stdout);
}

/* ---- the naive ways ---- */

static char *node_text(xmlXPathContextPtr x, xmlNodePtr item, const char *path)
{
	xmlXPathObjectPtr o;
	char *r = NULL;

	x->node = item;
	o = xmlXPathEvalExpression((const xmlChar *)path, x);
	if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[0]);

		r = horch_xstrdup((const char *)c);
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	return r;
}

/* The DOM and XPath: the way most scripts read a feed. */
static long naive_dom(const struct buf *feed)
{
	xmlDocPtr doc = xmlReadMemory(feed->ptr, (int)feed->len, "feed.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlXPathContextPtr x;
	xmlXPathObjectPtr items;
	long n = 0;

	if (!doc)
		return -1;
	x = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(x, (const xmlChar *)"dc", (const xmlChar *)"http://purl.org/dc/elements/1.1/");
	items = xmlXPathEvalExpression((const xmlChar *)"//item", x);
	for (int i = 0; items && items->nodesetval && i < items->nodesetval->nodeNr; i++) {
		xmlNodePtr it = items->nodesetval->nodeTab[i];
		struct post *p = post_new();
		char *date = node_text(x, it, "pubDate");

		p->source = horch_xstrdup("rss");
		p->title = node_text(x, it, "title");
		p->url = node_text(x, it, "link");
		p->external_id = node_text(x, it, "guid");
		p->author = node_text(x, it, "dc:creator");
		p->html = node_text(x, it, "description");
		if (date)
			horch_time_parse(date, strlen(date), &p->created_at, NULL);
		free(date);
		post_free(p);
		n++;
	}
	xmlXPathFreeObject(items);
	xmlXPathFreeContext(x);
	xmlFreeDoc(doc);
	return n;
}

/* The streaming reader: each item's fields by name. */
static long naive_reader(const struct buf *feed)
{
	xmlTextReaderPtr r = xmlReaderForMemory(feed->ptr, (int)feed->len, "feed.xml", NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
						XML_PARSE_NOWARNING);
	struct post *p = NULL;
	char *date = NULL;
	long n = 0;

	if (!r)
		return -1;
	while (xmlTextReaderRead(r) == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		char **slot = NULL;

		if (type == XML_READER_TYPE_ELEMENT && !strcmp(name, "item")) {
			p = post_new();
			p->source = horch_xstrdup("rss");
			continue;
		}
		if (type == XML_READER_TYPE_END_ELEMENT && p && !strcmp(name, "item")) {
			if (date)
				horch_time_parse(date, strlen(date), &p->created_at, NULL);
			free(date);
			date = NULL;
			post_free(p);
			p = NULL;
			n++;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT || !p)
			continue;
		if (!strcmp(name, "title"))
			slot = &p->title;
		else if (!strcmp(name, "link"))
			slot = &p->url;
		else if (!strcmp(name, "guid"))
			slot = &p->external_id;
		else if (!strcmp(name, "creator"))
			slot = &p->author;
		else if (!strcmp(name, "description"))
			slot = &p->html;
		else if (!strcmp(name, "pubDate"))
			slot = &date;
		if (slot && !*slot) {
			xmlChar *c = xmlTextReaderReadString(r);

			*slot = horch_xstrdup(c ? (const char *)c : "");
			xmlFree(c);
		}
	}
	post_free(p);
	free(date);
	xmlFreeTextReader(r);
	return n;
}

/* ---- fetch + parse against feed_server ---- */

static int count_emit(void *ctx, struct post *p)
{
	(*(long *)ctx)++;
	post_free(p);
	return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	*(size_t *)arg += size * n;
	return size * n;
}

/* The size of the feed at url, undecoded, for MB/s. */
static size_t body_size(const char *url)
{
	CURL *c = curl_easy_init();
	size_t n = 0;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &n);
	if (curl_easy_perform(c) != CURLE_OK)
		n = 0;
	curl_easy_cleanup(c);
	return n;
}

static void bench_fetch(const char *self, long items, int runs)
{
	const char *slash = strrchr(self, '/');
	char path[4096], n[32], line[64], url[128];
	long long *wall = horch_xcalloc((size_t)runs, sizeof *wall);
	long long *cpu = horch_xcalloc((size_t)runs, sizeof *cpu);
	int fds[2], port, status;
	size_t bytes = 0;
	long got = 0;
	ssize_t len;
	pid_t pid;

	snprintf(path, sizeof path, "%.*s/../tests/tools/feed_server",
		 slash ? (int)(slash - self) : 1, slash ? self : ".");
	if (access(path, X_OK) != 0) {
		printf("fetch+parse: %s not built; skipped\n", path);
		free(wall);
		free(cpu);
		return;
	}
	snprintf(n, sizeof n, "%ld", items);
	if (pipe(fds)) {
		free(wall);
		free(cpu);
		return;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(path, path, "--items", n, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	len = read(fds[0], line, sizeof line - 1);
	close(fds[0]);
	if (len <= 5 || strncmp(line, "port=", 5) != 0) {
		fprintf(stderr, "bench_rss: feed_server did not start\n");
		goto out;
	}
	line[len] = '\0';
	port = atoi(line + 5);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/feed.rss", port);
	for (int k = 0; k < runs; k++) {
		struct source_hooks hooks = { .emit = count_emit, .ctx = &got };
		struct source_conf c;
		struct source_run *r;
		struct horch_err err;
		int64_t t0;
		long long c0;
		int rc;

		source_conf_init(&c);
		c.name = horch_xstrdup("bench");
		c.kind = horch_xstrdup("rss");
		c.url = horch_xstrdup(url);
		r = source_run_new(&c, "", &hooks);
		got = 0;
		t0 = horch_mono_ns();
		c0 = bench_cpu_ns();
		rc = source_run_once(r, &err);
		wall[k] = horch_mono_ns() - t0;
		cpu[k] = bench_cpu_ns() - c0;
		source_run_free(r);
		source_conf_cleanup(&c);
		if (rc || got != items) {
			fprintf(stderr, "bench_rss: the poll failed (%d, %ld items): %s\n", rc, got,
				err.msg);
			goto out;
		}
	}
	bytes = body_size(url);
	report("fetch+parse", items, bytes, bench_median(wall, runs));
	printf("%-18s %10.0f items/s %8.0f ns/item  (cpu of this thread alone)\n", "fetch+parse-cpu",
	       per_s(items, bench_median(cpu, runs)), (double)bench_median(cpu, runs) / (double)items);
out:
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	free(wall);
	free(cpu);
}

int main(int argc, char **argv)
{
	const char *env = getenv("HORCH_BENCH_ITEMS");
	long items = env ? atol(env) : 10000;
	int runs = bench_runs(5, 50);
	long long *t_parse = horch_xcalloc((size_t)runs, sizeof *t_parse);
	long long *t_decode = horch_xcalloc((size_t)runs, sizeof *t_decode);
	long long *t_dom = horch_xcalloc((size_t)runs, sizeof *t_dom);
	long long *t_reader = horch_xcalloc((size_t)runs, sizeof *t_reader);
	struct buf feed, out;
	long n_dom = 0, n_reader = 0;
	size_t n_parse = 0;

	(void)argc;
	horch_log_level = LOG_ERROR;
	if (items < 1 || items > (long)RSS_ITEMS_MAX)
		items = RSS_ITEMS_MAX;
	buf_init(&feed, BUF_NOLIMIT);
	buf_init(&out, BUF_NOLIMIT);
	make_feed(&feed, items);
	xmlInitParser();
	for (int k = 0; k < runs; k++) {
		struct rss_opts o = { .feed_url = "https://blog.bench.example/feed.xml" };
		struct rss_decode_info info;
		struct rss_feed f;
		struct horch_err err;
		long long a;

		rss_feed_init(&f);
		a = bench_cpu_ns();
		if (rss_parse(feed.ptr, feed.len, &o, &f, &err) != 0) {
			fprintf(stderr, "bench_rss: %s\n", err.msg);
			return 1;
		}
		t_parse[k] = bench_cpu_ns() - a;
		n_parse = f.n_posts;
		rss_feed_cleanup(&f);

		a = bench_cpu_ns();
		rss_decode(feed.ptr, feed.len, NULL, &out, &info, &err);
		t_decode[k] = bench_cpu_ns() - a;

		a = bench_cpu_ns();
		n_dom = naive_dom(&feed);
		t_dom[k] = bench_cpu_ns() - a;

		a = bench_cpu_ns();
		n_reader = naive_reader(&feed);
		t_reader[k] = bench_cpu_ns() - a;
	}
	if ((long)n_parse != items || n_dom != items || n_reader != items) {
		fprintf(stderr, "bench_rss: items read: %zu, %ld, %ld of %ld\n", n_parse, n_dom,
			n_reader, items);
		return 1;
	}
	{
		long long p = bench_median(t_parse, runs), d = bench_median(t_dom, runs);
		long long rd = bench_median(t_reader, runs);

		report("rss-parse", items, feed.len, p);
		report("rss-decode", items, feed.len, bench_median(t_decode, runs));
		report("naive-dom-xpath", items, feed.len, d);
		report("naive-reader", items, feed.len, rd);
		printf("%-18s %10.1fx faster than naive-dom-xpath, %.1fx than naive-reader\n", "rss-parse",
		       (double)d / (double)p, (double)rd / (double)p);
	}
	bench_fetch(argv[0], items, runs);
	buf_cleanup(&feed);
	buf_cleanup(&out);
	free(t_parse);
	free(t_decode);
	free(t_dom);
	free(t_reader);
	return 0;
}
