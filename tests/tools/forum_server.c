/* forum_server.c - a fake Reddit, Hacker News search (Algolia) and review
 * feed on 127.0.0.1, for the tests of the reddit, hn and reviews
 * connectors: tests/unit/test_reddit.c, test_hn.c and test_reviews.c
 * (which compile this file into themselves with FORUM_SERVER_EMBED
 * defined and call forum_start()), and tests/integration/source_reddit.sh,
 * source_hn.sh and source_reviews.sh (which run the program).
 *
 *   forum_server [--port N] [--port-file F] [--posts N] [--seed S]
 *                [--base EPOCH] [--per-second K] [--step SECS]
 *                [--grow N --every SECS [--max-items M]] [--delay-ms MS] [--bad-every K]
 *                [--ratelimit N] [--order asc|desc|shuffle] [--fault SPEC]...
 *
 * It prints "port=N" on its first line of standard output (and writes N to
 * F with --port-file) and serves until SIGTERM or SIGINT.  --port 0, the
 * default, picks a free port.
 *
 * The items: --posts N of them at the start (default 30), generated from
 * --seed (default 1) so that every run serves the same bytes.  Item i was
 * written at EPOCH + (i / K) * SECS (defaults 1700000000, 2, 1): K items
 * share each time, so that cursors must keep the ids of equal times.  With
 * --grow N --every SECS, N more items appear every SECS seconds after the
 * start, up to M items in all with --max-items M (the same items that
 * --posts M serves at once, so a test can compare the two); GET /_add?n=N
 * adds N at once.  Every K-th item of --bad-every K
 * (0: none) is broken in the way each format can break: no created_utc
 * (Reddit), no created_at_i nor created_at (Algolia), stars "lots"
 * (reviews).  --delay-ms MS answers every request MS late.
 *
 * Reddit (https://www.reddit.com/dev/api): GET /r/SUB/new.json,
 * /r/SUB/comments.json, /r/SUB/search.json?q=..&restrict_sr=1 and
 * /search.json?q=.. return a Listing newest first, limit (default 25, at
 * most 100), after and before as Reddit pages them (a fullname not in the
 * listing gives an empty page), raw_json=1 or else &, < and > escaped as
 * Reddit does.  Item i is a comment (t1) when i % 4 == 3, else a post (t3);
 * every comment whose i % 13 == 12 is removed ("[removed]").  Fullnames are
 * t3_ / t1_ and the base-36 of 36^5 + i.  Every response carries
 * X-Ratelimit-Used, -Remaining and -Reset (a window of 600 s of --ratelimit
 * requests, default 600); past the limit it answers 429 without
 * Retry-After, as Reddit does.
 *
 * Algolia (https://hn.algolia.com/api): GET /api/v1/search_by_date with
 * query, tags ("story", "comment", "(story,comment)", "author_NAME",
 * "story_ID", joined by commas), numericFilters (created_at_i, points,
 * num_comments with <, <=, =, >=, >, joined by commas), hitsPerPage
 * (default 20, at most 1000) and page; nbHits, nbPages (at most 1000 hits
 * can be paged to), sorted newest first.  Item i is a story when i % 3 ==
 * 0, else a comment; objectID 38000000 + i.
 *
 * Reviews: GET /reviews.json (an array), /reviews.jsonl (JSON Lines) and
 * /reviews.csv (a header, RFC 4180 quoting, a text with a newline) with
 * fields id, product, stars, title, text, author, date (RFC 3339); with
 * ?style=amazon the JSON has Amazon's export names instead (reviewerID,
 * asin, reviewerName, reviewText, overall, summary, unixReviewTime).  The
 * order is --order (default shuffle, fixed by the seed).  An ETag and a
 * Last-Modified come with each answer; If-None-Match with the current ETag
 * gets 304.
 *
 * Faults, from --fault SPEC or GET /_fault?type=T&n=N&skip=S&secs=X&path=P
 * (SPEC is T:N[:S[:X[:P]]]): the next N requests whose path starts with P
 * (default: any but the control paths), after S of them were let through,
 * are answered with fault T:
 *   429        429 with Retry-After: X (none when X is -1)
 *   500, 502, 503  that status (503 with Retry-After: X when X > 0)
 *   malformed  200 with the real body cut in half
 *   garbage    200 with an HTML page instead of JSON
 *   empty      200 with an empty body
 *   slow       the real answer X milliseconds late
 *   ratelimit  the real answer with X-Ratelimit-Remaining: 0 and Reset: X
 *   big        200 with a body of X bytes
 * Up to 8 faults wait in order; each request meets the first that matches.
 *
 * Control: GET /_stats returns {"requests":..,"reddit":..,"algolia":..,
 * "reviews":..,"not_modified":..,"faults":..,"items":..,"authorized":..,
 * "agent":..,"log":[..]}: authorized counts the requests that carried an
 * Authorization header, agent is the last User-Agent, and the log holds the
 * last 64 requests as "PATH?ARGS" (decoded, in the order given); GET
 * /_reset zeroes the counters and the log. */
#include <arpa/inet.h>
#include <ctype.h>
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
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define FS_FAULTS_MAX 8
#define FS_LOG_MAX 64
#define FS_LOG_LINE 512
#define FS_ITEMS_MAX 1000000L
#define FS_ALGOLIA_LIMIT 1000     /* hits Algolia lets one page through */
#define FS_REDDIT_WINDOW 600      /* seconds of Reddit's rate-limit window */

/* ---- a growable string ---- */

struct fs_buf {
	char *p;
	size_t len, cap;
};

static void fs_grow(struct fs_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	while (b->len + extra + 1 > b->cap)
		b->cap = b->cap ? 2 * b->cap : 4096;
	b->p = realloc(b->p, b->cap);
	if (!b->p)
		abort();
}

static void fs_put(struct fs_buf *b, const char *s, size_t n)
{
	fs_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void fs_puts(struct fs_buf *b, const char *s)
{
	fs_put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void fs_printf(struct fs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	fs_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* s as a JSON string; html: also &, < and > as Reddit writes them without
 * raw_json=1. */
static void fs_json(struct fs_buf *b, const char *s, int html)
{
	fs_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fs_printf(b, "\\%c", c);
		else if (c == '\n')
			fs_puts(b, "\\n");
		else if (c < 0x20)
			fs_printf(b, "\\u%04x", c);
		else if (html && c == '&')
			fs_puts(b, "&amp;");
		else if (html && c == '<')
			fs_puts(b, "&lt;");
		else if (html && c == '>')
			fs_puts(b, "&gt;");
		else
			fs_put(b, (const char *)&c, 1);
	}
	fs_puts(b, "\"");
}

/* s as a CSV field, quoted when it must be. */
static void fs_csv(struct fs_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fs_puts(b, s);
		return;
	}
	fs_puts(b, "\"");
	for (; *s; s++)
		fs_put(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	fs_puts(b, "\"");
}

/* ---- the server's state ---- */

struct fs_fault {
	char type[16];
	char path[64];
	long n;                   /* requests still to spoil */
	long skip;                /* matching requests to let through first */
	long secs;                /* Retry-After, reset, milliseconds or bytes */
};

struct forum_opts {
	long posts;               /* items at the start */
	unsigned long long seed;
	long long base;           /* the time of item 0 */
	long per_second;          /* items that share one time */
	long step;                /* seconds between two times */
	long grow, every;         /* grow items every `every` seconds */
	long max_items;           /* growth stops here; 0: never */
	long delay_ms;            /* every answer this late */
	long bad_every;           /* every k-th item broken; 0: none */
	long ratelimit;           /* Reddit requests per window */
	int order;                /* reviews: 0 shuffle, 1 oldest first, 2 newest first */
};

struct forum {
	struct forum_opts o;
	pthread_mutex_t lock;
	struct MHD_Daemon *d;
	unsigned port;
	time_t started;
	long added;               /* items added with /_add */
	long requests, reddit, algolia, reviews, not_modified, n_faults_served;
	long authorized;          /* requests with an Authorization header */
	char agent[128];          /* the User-Agent of the last request */
	long used;                /* Reddit requests in this window */
	time_t window_start;
	struct fs_fault faults[FS_FAULTS_MAX];
	size_t n_faults;
	char log[FS_LOG_MAX][FS_LOG_LINE];
	size_t n_log;             /* lines logged in all (the last FS_LOG_MAX kept) */
};

static void forum_opts_default(struct forum_opts *o)
{
	memset(o, 0, sizeof *o);
	o->posts = 30;
	o->seed = 1;
	o->base = 1700000000;
	o->per_second = 2;
	o->step = 1;
	o->ratelimit = 600;
}

/* Items served now.  Called with the lock held. */
static long n_items(const struct forum *f)
{
	long n = f->o.posts + f->added;

	if (f->o.grow > 0 && f->o.every > 0) {
		n += f->o.grow * (long)((time(NULL) - f->started) / f->o.every);
		if (f->o.max_items > 0 && n > f->o.max_items)
			n = f->o.max_items;
	}
	return n > FS_ITEMS_MAX ? FS_ITEMS_MAX : n;
}

static long long item_time(const struct forum *f, long i)
{
	return f->o.base + (long long)(i / f->o.per_second) * f->o.step;
}

static int item_bad(const struct forum *f, long i)
{
	return f->o.bad_every > 0 && i % f->o.bad_every == f->o.bad_every - 1;
}

/* ---- the generated items ---- */

static uint64_t fs_mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static uint64_t item_rand(const struct forum *f, long i, int salt)
{
	return fs_mix(f->o.seed * 1000003ULL + (uint64_t)i * 131ULL + (uint64_t)salt);
}

static const char *const fs_words[] = {
	"korvo", "battery", "screen", "love", "broken", "great", "support", "update",
	"refund", "fast", "slow", "charger", "Käse", "naïve", "camera", "firmware",
	"quiet", "loud", "warranty", "shipping",
};
#define FS_N_WORDS (sizeof fs_words / sizeof fs_words[0])

static const char *const fs_products[] = {
	"Korvo One", "Korvo 1", "Korvo Two", "korvo mini", "Zeta Phone",
};
#define FS_N_PRODUCTS (sizeof fs_products / sizeof fs_products[0])

/* A few words chosen by the item's randomness. */
static void item_words(const struct forum *f, long i, int salt, int n, struct fs_buf *b)
{
	uint64_t r = item_rand(f, i, salt);

	for (int k = 0; k < n; k++) {
		if (k)
			fs_puts(b, " ");
		fs_puts(b, fs_words[(r >> (5 * k)) % FS_N_WORDS]);
	}
}

static void item_title(const struct forum *f, long i, struct fs_buf *b)
{
	fs_printf(b, "Item %ld: ", i);
	item_words(f, i, 1, 4, b);
}

/* The text; some carry characters that JSON and CSV must escape. */
static void item_text(const struct forum *f, long i, struct fs_buf *b)
{
	item_words(f, i, 2, 8, b);
	switch (i % 5) {
	case 1: fs_puts(b, " \"quoted\" & <b>"); break;
	case 2: fs_puts(b, ", with a comma\nand a second line"); break;
	case 3: fs_puts(b, " back\\slash"); break;
	default: break;
	}
}

static void base36(long long v, char *out)
{
	char tmp[16];
	int n = 0;

	do {
		int d = (int)(v % 36);

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= 36;
	} while (v && n < 15);
	while (n)
		*out++ = tmp[--n];
	*out = 0;
}

static int reddit_is_comment(long i)
{
	return i % 4 == 3;
}

static void reddit_id(long i, char *out)
{
	base36(60466176LL + i, out);   /* 36^5: six digits */
}

/* ---- Reddit ---- */

struct fs_req {
	struct forum *f;
	struct MHD_Connection *c;
	const char *path;
	struct fs_buf body;
	unsigned status;
	const char *ctype;
	char headers[6][2][128];  /* extra response headers */
	int n_headers;
};

static void add_header(struct fs_req *q, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_header(struct fs_req *q, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (q->n_headers >= 6)
		return;
	snprintf(q->headers[q->n_headers][0], 128, "%s", name);
	va_start(ap, fmt);
	vsnprintf(q->headers[q->n_headers][1], 128, fmt, ap);
	va_end(ap);
	q->n_headers++;
}

static const char *arg(struct fs_req *q, const char *name)
{
	return MHD_lookup_connection_value(q->c, MHD_GET_ARGUMENT_KIND, name);
}

static long arg_long(struct fs_req *q, const char *name, long def)
{
	const char *v = arg(q, name);

	return v && *v ? strtol(v, NULL, 10) : def;
}

static int icontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return 1;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static void reddit_child(struct forum *f, long i, int raw, struct fs_buf *b)
{
	struct fs_buf t = { 0 }, x = { 0 };
	char id[16], link[16];
	long long when = item_time(f, i);
	int comment = reddit_is_comment(i);
	long score = (long)(item_rand(f, i, 3) % 200) - (i % 7 == 0 ? 210 : 0);

	reddit_id(i, id);
	item_title(f, i, &t);
	item_text(f, i, &x);
	fs_printf(b, "{\"kind\":\"%s\",\"data\":{\"subreddit\":\"korvo\",", comment ? "t1" : "t3");
	fs_printf(b, "\"subreddit_name_prefixed\":\"r/korvo\",\"id\":\"%s\",\"name\":\"%s_%s\",",
		  id, comment ? "t1" : "t3", id);
	if (i % 11 == 10)
		fs_puts(b, "\"author\":\"[deleted]\",");
	else
		fs_printf(b, "\"author\":\"user_%ld\",", i % 17);
	fs_printf(b, "\"author_fullname\":\"t2_%ld\",\"score\":%ld,", i % 17, score);
	if (!item_bad(f, i))
		fs_printf(b, "\"created_utc\":%lld.0,\"created\":%lld.0,", when, when);
	if (comment) {
		long parent = i - 1;

		while (parent > 0 && reddit_is_comment(parent))
			parent--;
		reddit_id(parent, link);
		fs_puts(b, "\"body\":");
		fs_json(b, i % 13 == 12 ? "[removed]" : x.p, !raw);
		fs_printf(b, ",\"parent_id\":\"t3_%s\",\"link_id\":\"t3_%s\",\"link_title\":", link,
			  link);
		fs_json(b, t.p, !raw);
		fs_printf(b, ",\"permalink\":\"/r/korvo/comments/%s/item/%s/\"", link, id);
	} else {
		fs_puts(b, "\"title\":");
		fs_json(b, t.p, !raw);
		fs_puts(b, ",\"selftext\":");
		fs_json(b, i % 5 == 0 ? "" : x.p, !raw);
		fs_printf(b, ",\"num_comments\":%ld,\"is_self\":%s,\"over_18\":false,"
			  "\"stickied\":false,\"link_flair_text\":null,"
			  "\"permalink\":\"/r/korvo/comments/%s/item_%ld/\","
			  "\"url\":\"https://www.reddit.com/r/korvo/comments/%s/item_%ld/\"",
			  (long)(item_rand(f, i, 4) % 50), i % 5 == 0 ? "false" : "true", id, i, id,
			  i);
	}
	fs_puts(b, "}}");
	free(t.p);
	free(x.p);
}

/* Does item i belong to the listing (comments, or posts matching q)? */
static int reddit_in(struct forum *f, long i, int comments, const char *q)
{
	struct fs_buf t = { 0 };
	int in;

	if (reddit_is_comment(i) != comments)
		return 0;
	if (!q || !*q)
		return 1;
	item_title(f, i, &t);
	fs_puts(&t, " ");
	if (i % 5)
		item_text(f, i, &t);
	in = icontains(t.p, q);
	free(t.p);
	return in;
}

static void serve_reddit(struct fs_req *q, int comments, int search)
{
	struct forum *f = q->f;
	const char *after = arg(q, "after"), *before = arg(q, "before");
	const char *query = search ? arg(q, "q") : NULL, *raw = arg(q, "raw_json");
	long limit = arg_long(q, "limit", 25), n, *list, total = 0, start = 0, end, remaining;
	time_t now = time(NULL);

	if (limit < 1)
		limit = 25;
	if (limit > 100)
		limit = 100;
	pthread_mutex_lock(&f->lock);
	f->reddit++;
	if (now - f->window_start >= FS_REDDIT_WINDOW) {
		f->window_start = now;
		f->used = 0;
	}
	f->used++;
	remaining = f->o.ratelimit - f->used;
	n = n_items(f);
	add_header(q, "X-Ratelimit-Used", "%ld", f->used);
	add_header(q, "X-Ratelimit-Remaining", "%.1f", remaining < 0 ? 0.0 : (double)remaining);
	add_header(q, "X-Ratelimit-Reset", "%ld", (long)(FS_REDDIT_WINDOW - (now - f->window_start)));
	if (remaining < 0) {
		pthread_mutex_unlock(&f->lock);
		q->status = 429;
		fs_puts(&q->body, "{\"message\": \"Too Many Requests\", \"error\": 429}");
		return;
	}
	list = malloc((size_t)(n ? n : 1) * sizeof *list);
	if (!list)
		abort();
	for (long i = n - 1; i >= 0; i--)
		if (reddit_in(f, i, comments, query))
			list[total++] = i;
	if (after || before) {
		const char *fn = after ? after : before;
		long pos = -1;

		for (long k = 0; k < total && pos < 0; k++) {
			char want[24], id[16];

			reddit_id(list[k], id);
			snprintf(want, sizeof want, "%s_%s", comments ? "t1" : "t3", id);
			if (!strcmp(want, fn))
				pos = k;
		}
		if (pos < 0)
			start = total;   /* not in the listing: an empty page */
		else if (after)
			start = pos + 1;
		else
			start = pos - limit < 0 ? 0 : pos - limit, total = pos;
	}
	end = start + limit < total ? start + limit : total;
	fs_puts(&q->body, "{\"kind\":\"Listing\",\"data\":{\"after\":");
	if (end < total && end > start) {
		char id[16];

		reddit_id(list[end - 1], id);
		fs_printf(&q->body, "\"%s_%s\"", comments ? "t1" : "t3", id);
	} else {
		fs_puts(&q->body, "null");
	}
	fs_printf(&q->body, ",\"dist\":%ld,\"modhash\":\"\",\"geo_filter\":\"\",\"children\":[",
		  end - start);
	for (long k = start; k < end; k++) {
		if (k > start)
			fs_puts(&q->body, ",");
		reddit_child(f, list[k], raw && !strcmp(raw, "1"), &q->body);
	}
	fs_puts(&q->body, "],\"before\":");
	if (start > 0 && end > start) {
		char id[16];

		reddit_id(list[start], id);
		fs_printf(&q->body, "\"%s_%s\"}}", comments ? "t1" : "t3", id);
	} else {
		fs_puts(&q->body, "null}}");
	}
	pthread_mutex_unlock(&f->lock);
	free(list);
}

/* ---- Algolia ---- */

static int hn_is_story(long i)
{
	return i % 3 == 0;
}

static long hn_points(const struct forum *f, long i)
{
	return (long)(item_rand(f, i, 5) % 300);
}

static long hn_comments(const struct forum *f, long i)
{
	return (long)(item_rand(f, i, 6) % 40);
}

/* Does item i pass one tag ("story", "comment", "author_x", "story_N")? */
static int hn_tag(long i, const char *tag, size_t len)
{
	char author[32];

	if (len == 5 && !strncmp(tag, "story", 5))
		return hn_is_story(i);
	if (len == 7 && !strncmp(tag, "comment", 7))
		return !hn_is_story(i);
	snprintf(author, sizeof author, "author_user%ld", i % 17);
	if (len == strlen(author) && !strncmp(tag, author, len))
		return 1;
	if (len > 6 && !strncmp(tag, "story_", 6))
		return strtol(tag + 6, NULL, 10) == 38000000L + (i - i % 3);
	return 0;
}

/* Does item i pass the tags filter: terms joined by commas, a term being a
 * tag or "(tag,tag,...)" (any of them)? */
static int hn_tags(long i, const char *tags)
{
	const char *s = tags;

	while (s && *s) {
		int any = 0;

		if (*s == '(') {
			const char *end = strchr(s, ')');

			if (!end)
				return 0;
			s++;
			while (s < end) {
				size_t len = strcspn(s, ",)");

				if (hn_tag(i, s, len))
					any = 1;
				s += len;
				if (*s == ',')
					s++;
			}
			s = end + 1;
		} else {
			size_t len = strcspn(s, ",");

			any = hn_tag(i, s, len);
			s += len;
		}
		if (!any)
			return 0;
		if (*s == ',')
			s++;
	}
	return 1;
}

/* Does item i pass numericFilters ("created_at_i>=1700000000,points>3")?
 * -1 when a filter cannot be read (Algolia answers 400). */
static int hn_numeric(struct forum *f, long i, const char *filters)
{
	const char *s = filters;

	while (s && *s) {
		char name[32], op[3] = { 0 };
		size_t n = 0;
		long long v, have;
		char *end;

		while (*s && (isalnum((unsigned char)*s) || *s == '_') && n < sizeof name - 1)
			name[n++] = *s++;
		name[n] = 0;
		for (n = 0; n < 2 && (*s == '<' || *s == '>' || *s == '=' || *s == '!'); n++)
			op[n] = *s++;
		v = strtoll(s, &end, 10);
		if (end == s || !op[0])
			return -1;
		s = end;
		if (!strcmp(name, "created_at_i"))
			have = item_time(f, i);
		else if (!strcmp(name, "points"))
			have = hn_is_story(i) ? hn_points(f, i) : 0;
		else if (!strcmp(name, "num_comments"))
			have = hn_is_story(i) ? hn_comments(f, i) : 0;
		else
			return -1;
		if ((!strcmp(op, ">") && !(have > v)) || (!strcmp(op, ">=") && !(have >= v)) ||
		    (!strcmp(op, "<") && !(have < v)) || (!strcmp(op, "<=") && !(have <= v)) ||
		    (!strcmp(op, "=") && !(have == v)) || (!strcmp(op, "!=") && !(have != v)))
			return 0;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 1;
}

static void iso_time(long long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static void hn_hit(struct forum *f, long i, struct fs_buf *b)
{
	struct fs_buf t = { 0 }, x = { 0 };
	long long when = item_time(f, i);
	long id = 38000000L + i, story = 38000000L + (i - i % 3);
	char iso[40];

	item_title(f, i, &t);
	item_text(f, i, &x);
	iso_time(when, iso, sizeof iso);
	fs_puts(b, "{");
	if (!item_bad(f, i))
		fs_printf(b, "\"created_at\":\"%s\",\"created_at_i\":%lld,", iso, when);
	fs_printf(b, "\"author\":\"user%ld\",", i % 17);
	if (hn_is_story(i)) {
		fs_puts(b, "\"title\":");
		fs_json(b, t.p, 0);
		if (i % 2) {
			fs_printf(b, ",\"url\":\"https://example.com/item/%ld\",\"story_text\":null", i);
		} else {
			struct fs_buf h = { 0 };

			fs_puts(&h, "<p>");
			fs_puts(&h, x.p);
			fs_puts(&h, "</p><p>More &amp; more: <a href=\"https://example.com\">link</a>");
			fs_puts(b, ",\"url\":null,\"story_text\":");
			fs_json(b, h.p, 0);
			free(h.p);
		}
		fs_printf(b, ",\"points\":%ld,\"num_comments\":%ld,\"comment_text\":null,"
			  "\"story_id\":null,\"story_title\":null,\"story_url\":null,"
			  "\"parent_id\":null,", hn_points(f, i), hn_comments(f, i));
		fs_printf(b, "\"_tags\":[\"story\",\"author_user%ld\",\"story_%ld\"],", i % 17, id);
	} else {
		struct fs_buf h = { 0 };

		fs_puts(&h, x.p);
		fs_puts(&h, "<p>&gt; a quote &#x27;here&#x27;");
		fs_puts(b, "\"title\":null,\"url\":null,\"story_text\":null,\"comment_text\":");
		fs_json(b, h.p, 0);
		free(h.p);
		fs_printf(b, ",\"points\":null,\"num_comments\":null,\"story_id\":%ld,"
			  "\"story_title\":", story);
		t.len = 0;
		item_title(f, i - i % 3, &t);
		fs_json(b, t.p, 0);
		fs_printf(b, ",\"story_url\":null,\"parent_id\":%ld,",
			  i % 3 == 1 ? story : id - 1);
		fs_printf(b, "\"_tags\":[\"comment\",\"author_user%ld\",\"story_%ld\"],", i % 17,
			  story);
	}
	fs_printf(b, "\"objectID\":\"%ld\",\"_highlightResult\":{}}", id);
	free(t.p);
	free(x.p);
}

static void serve_algolia(struct fs_req *q)
{
	struct forum *f = q->f;
	const char *query = arg(q, "query"), *tags = arg(q, "tags");
	const char *numeric = arg(q, "numericFilters");
	long hpp = arg_long(q, "hitsPerPage", 20), page = arg_long(q, "page", 0), n, total = 0;
	long *list, pages, start, end;

	if (hpp < 1)
		hpp = 20;
	if (hpp > 1000)
		hpp = 1000;
	if (page < 0)
		page = 0;
	pthread_mutex_lock(&f->lock);
	f->algolia++;
	n = n_items(f);
	list = malloc((size_t)(n ? n : 1) * sizeof *list);
	if (!list)
		abort();
	for (long i = n - 1; i >= 0; i--) {
		struct fs_buf t = { 0 };
		int ok, num = hn_numeric(f, i, numeric);

		if (num < 0) {
			pthread_mutex_unlock(&f->lock);
			free(list);
			q->status = 400;
			fs_puts(&q->body, "{\"message\":\"invalid numericFilters\",\"status\":400}");
			return;
		}
		if (!num || (tags && *tags && !hn_tags(i, tags)))
			continue;
		item_title(f, i, &t);
		fs_puts(&t, " ");
		item_text(f, i, &t);
		ok = icontains(t.p, query ? query : "");
		free(t.p);
		if (ok)
			list[total++] = i;
	}
	pages = ((total < FS_ALGOLIA_LIMIT ? total : FS_ALGOLIA_LIMIT) + hpp - 1) / hpp;
	start = page * hpp;
	end = start + hpp;
	if (start > total || start >= FS_ALGOLIA_LIMIT)
		start = end = 0;
	if (end > total)
		end = total;
	if (end > FS_ALGOLIA_LIMIT)
		end = FS_ALGOLIA_LIMIT;
	fs_puts(&q->body, "{\"hits\":[");
	for (long k = start; k < end; k++) {
		if (k > start)
			fs_puts(&q->body, ",");
		hn_hit(f, list[k], &q->body);
	}
	fs_printf(&q->body, "],\"nbHits\":%ld,\"page\":%ld,\"nbPages\":%ld,\"hitsPerPage\":%ld,"
		  "\"exhaustiveNbHits\":true,\"exhaustiveTypo\":true,\"query\":", total, page, pages,
		  hpp);
	fs_json(&q->body, query ? query : "", 0);
	fs_puts(&q->body, ",\"params\":\"\",\"processingTimeMS\":1}");
	pthread_mutex_unlock(&f->lock);
	free(list);
}

/* ---- reviews ---- */

static void review_fields(struct forum *f, long i, int amazon, struct fs_buf *b)
{
	struct fs_buf t = { 0 }, x = { 0 };
	long long when = item_time(f, i);
	int stars = (int)(item_rand(f, i, 7) % 5) + 1;
	const char *product = fs_products[item_rand(f, i, 8) % FS_N_PRODUCTS];
	char iso[40];

	item_title(f, i, &t);
	item_text(f, i, &x);
	iso_time(when, iso, sizeof iso);
	if (amazon) {
		fs_printf(b, "{\"reviewerID\":\"A%ld\",\"asin\":", i);
		fs_json(b, product, 0);
		fs_printf(b, ",\"reviewerName\":\"user%ld\",\"helpful\":[0,0],\"reviewText\":",
			  i % 17);
		fs_json(b, x.p, 0);
		if (item_bad(f, i))
			fs_puts(b, ",\"overall\":\"lots\"");
		else
			fs_printf(b, ",\"overall\":%d.0", stars);
		fs_puts(b, ",\"summary\":");
		fs_json(b, t.p, 0);
		fs_printf(b, ",\"unixReviewTime\":%lld}", when);
	} else {
		fs_printf(b, "{\"id\":\"r%ld\",\"product\":", i);
		fs_json(b, product, 0);
		if (item_bad(f, i))
			fs_puts(b, ",\"stars\":\"lots\"");
		else
			fs_printf(b, ",\"stars\":%d", stars);
		fs_puts(b, ",\"title\":");
		fs_json(b, t.p, 0);
		fs_puts(b, ",\"text\":");
		fs_json(b, x.p, 0);
		fs_printf(b, ",\"author\":\"user%ld\",\"date\":\"%s\"}", i % 17, iso);
	}
	free(t.p);
	free(x.p);
}

static void review_csv(struct forum *f, long i, struct fs_buf *b)
{
	struct fs_buf t = { 0 }, x = { 0 };
	int stars = (int)(item_rand(f, i, 7) % 5) + 1;
	const char *product = fs_products[item_rand(f, i, 8) % FS_N_PRODUCTS];
	char iso[40];

	item_title(f, i, &t);
	item_text(f, i, &x);
	iso_time(item_time(f, i), iso, sizeof iso);
	fs_printf(b, "r%ld,", i);
	fs_csv(b, product);
	if (item_bad(f, i))
		fs_puts(b, ",lots,");
	else
		fs_printf(b, ",%d,", stars);
	fs_csv(b, t.p);
	fs_puts(b, ",");
	fs_csv(b, x.p);
	fs_printf(b, ",user%ld,%s\r\n", i % 17, iso);
	free(t.p);
	free(x.p);
}

static void serve_reviews(struct fs_req *q, int format)
{
	struct forum *f = q->f;
	const char *inm = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, "If-None-Match");
	const char *style = arg(q, "style");
	int amazon = style && !strcmp(style, "amazon");
	long n, *order;
	char etag[64], lm[64];
	time_t newest;
	struct tm tm;

	pthread_mutex_lock(&f->lock);
	f->reviews++;
	n = n_items(f);
	snprintf(etag, sizeof etag, "\"reviews-%ld-%d\"", n, format);
	newest = (time_t)(n ? item_time(f, n - 1) : f->o.base);
	gmtime_r(&newest, &tm);
	strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	add_header(q, "ETag", "%s", etag);
	add_header(q, "Last-Modified", "%s", lm);
	if (inm && !strcmp(inm, etag)) {
		f->not_modified++;
		pthread_mutex_unlock(&f->lock);
		q->status = 304;
		return;
	}
	order = malloc((size_t)(n ? n : 1) * sizeof *order);
	if (!order)
		abort();
	for (long i = 0; i < n; i++)
		order[i] = f->o.order == 2 ? n - 1 - i : i;
	if (f->o.order == 0)
		for (long i = n - 1; i > 0; i--) {
			long j = (long)(fs_mix(f->o.seed ^ (uint64_t)i) % (uint64_t)(i + 1)), t;

			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	if (format == 2) {
		q->ctype = "text/csv; charset=utf-8";
		fs_puts(&q->body, "id,product,stars,title,text,author,date\r\n");
		for (long k = 0; k < n; k++)
			review_csv(f, order[k], &q->body);
	} else {
		if (format == 0)
			fs_puts(&q->body, "[");
		for (long k = 0; k < n; k++) {
			if (k)
				fs_puts(&q->body, format == 0 ? ",\n" : "\n");
			review_fields(f, order[k], amazon, &q->body);
		}
		fs_puts(&q->body, format == 0 ? "]\n" : "\n");
		if (format == 1)
			q->ctype = "application/x-ndjson";
	}
	pthread_mutex_unlock(&f->lock);
	free(order);
}

/* ---- faults and control ---- */

/* Parse SPEC "T:N[:S[:X[:P]]]" into *ft.  Returns 0 or -1. */
static int parse_fault(const char *spec, struct fs_fault *ft)
{
	static const char *const types[] = { "429", "500", "502", "503", "malformed", "garbage",
					     "empty", "slow", "ratelimit", "big", NULL };
	char copy[256], *parts[5] = { 0 }, *s;
	int n = 0, known = 0;

	snprintf(copy, sizeof copy, "%s", spec);
	for (s = copy; n < 5; n++) {
		parts[n] = s;
		if (n == 4 || !(s = strchr(s, ':')))
			break;
		*s++ = 0;
	}
	memset(ft, 0, sizeof *ft);
	for (int k = 0; types[k]; k++)
		known |= !strcmp(parts[0], types[k]);
	if (!known)
		return -1;
	snprintf(ft->type, sizeof ft->type, "%.15s", parts[0]);
	ft->n = parts[1] ? strtol(parts[1], NULL, 10) : 1;
	ft->skip = parts[2] ? strtol(parts[2], NULL, 10) : 0;
	ft->secs = parts[3] ? strtol(parts[3], NULL, 10) : -1;
	if (parts[4])
		snprintf(ft->path, sizeof ft->path, "%.63s", parts[4]);
	return ft->n > 0 ? 0 : -1;
}

/* Add a fault.  Returns 0, or -1 when SPEC is bad or the list is full. */
__attribute__((unused))
static int forum_fault(struct forum *f, const char *spec)
{
	struct fs_fault ft;
	int rc = -1;

	if (parse_fault(spec, &ft))
		return -1;
	pthread_mutex_lock(&f->lock);
	if (f->n_faults < FS_FAULTS_MAX) {
		f->faults[f->n_faults++] = ft;
		rc = 0;
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

/* Take the fault this request meets, if any, into *out.  1 when one. */
static int take_fault(struct forum *f, const char *path, struct fs_fault *out)
{
	int hit = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t k = 0; k < f->n_faults; k++) {
		struct fs_fault *ft = &f->faults[k];

		if (strncmp(path, ft->path, strlen(ft->path)))
			continue;
		if (ft->skip > 0) {
			ft->skip--;
			break;
		}
		*out = *ft;
		hit = 1;
		f->n_faults_served++;
		if (--ft->n == 0) {
			memmove(ft, ft + 1, (f->n_faults - k - 1) * sizeof *ft);
			f->n_faults--;
		}
		break;
	}
	pthread_mutex_unlock(&f->lock);
	return hit;
}

__attribute__((unused))
static void forum_add(struct forum *f, long n)
{
	pthread_mutex_lock(&f->lock);
	f->added += n;
	pthread_mutex_unlock(&f->lock);
}

/* A counter by name: "requests", "reddit", "algolia", "reviews",
 * "not_modified", "faults", "items". */
__attribute__((unused))
static long forum_count(struct forum *f, const char *what)
{
	long v = -1;

	pthread_mutex_lock(&f->lock);
	if (!strcmp(what, "requests"))
		v = f->requests;
	else if (!strcmp(what, "reddit"))
		v = f->reddit;
	else if (!strcmp(what, "algolia"))
		v = f->algolia;
	else if (!strcmp(what, "reviews"))
		v = f->reviews;
	else if (!strcmp(what, "not_modified"))
		v = f->not_modified;
	else if (!strcmp(what, "faults"))
		v = f->n_faults_served;
	else if (!strcmp(what, "items"))
		v = n_items(f);
	else if (!strcmp(what, "authorized"))
		v = f->authorized;
	pthread_mutex_unlock(&f->lock);
	return v;
}

/* The k-th request logged from the end (0: the last), or "" when there is
 * none; copied into out. */
__attribute__((unused))
static void forum_log(struct forum *f, size_t k, char *out, size_t size)
{
	pthread_mutex_lock(&f->lock);
	if (k < f->n_log && k < FS_LOG_MAX)
		snprintf(out, size, "%s", f->log[(f->n_log - 1 - k) % FS_LOG_MAX]);
	else if (size)
		out[0] = 0;
	pthread_mutex_unlock(&f->lock);
}

__attribute__((unused))
static void forum_reset(struct forum *f)
{
	pthread_mutex_lock(&f->lock);
	f->requests = f->reddit = f->algolia = f->reviews = f->not_modified = 0;
	f->n_faults_served = f->authorized = 0;
	f->n_log = 0;
	pthread_mutex_unlock(&f->lock);
}

static enum MHD_Result log_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct fs_buf *b = cls;

	(void)kind;
	fs_printf(b, "%s%s=%s", strchr(b->p, '?') ? "&" : "?", key, value ? value : "");
	return MHD_YES;
}

static void serve_stats(struct fs_req *q)
{
	struct forum *f = q->f;
	size_t n;

	pthread_mutex_lock(&f->lock);
	fs_printf(&q->body, "{\"requests\":%ld,\"reddit\":%ld,\"algolia\":%ld,\"reviews\":%ld,"
		  "\"not_modified\":%ld,\"faults\":%ld,\"items\":%ld,\"authorized\":%ld,"
		  "\"agent\":", f->requests, f->reddit, f->algolia, f->reviews, f->not_modified,
		  f->n_faults_served, n_items(f), f->authorized);
	fs_json(&q->body, f->agent, 0);
	fs_puts(&q->body, ",\"log\":[");
	n = f->n_log < FS_LOG_MAX ? f->n_log : FS_LOG_MAX;
	for (size_t k = 0; k < n; k++) {
		if (k)
			fs_puts(&q->body, ",");
		fs_json(&q->body, f->log[(f->n_log - n + k) % FS_LOG_MAX], 0);
	}
	fs_puts(&q->body, "]}\n");
	pthread_mutex_unlock(&f->lock);
}

/* ---- the HTTP side ---- */

struct fs_big {
	long left;
};

static ssize_t big_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct fs_big *b = cls;
	size_t n = max;

	(void)pos;
	if (b->left <= 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if ((long)n > b->left)
		n = (size_t)b->left;
	memset(buf, ' ', n);
	if (pos == 0 && n)
		buf[0] = '[';
	b->left -= (long)n;
	return (ssize_t)n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **state)
{
	static int marker;
	struct forum *f = cls;
	struct fs_req q = { .f = f, .c = c, .path = url, .status = 200,
			    .ctype = "application/json; charset=utf-8" };
	struct fs_fault ft;
	struct fs_buf line = { 0 };
	struct MHD_Response *resp;
	enum MHD_Result ok;
	int fault = 0, control = !strncmp(url, "/_", 2);
	size_t len;

	(void)version;
	(void)data;
	if (!*state) {
		*state = &marker;
		return MHD_YES;
	}
	*size = 0;
	fs_puts(&line, url);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, log_arg, &line);
	pthread_mutex_lock(&f->lock);
	if (!control) {
		const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");

		f->requests++;
		if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"))
			f->authorized++;
		snprintf(f->agent, sizeof f->agent, "%s", ua ? ua : "");
		snprintf(f->log[f->n_log % FS_LOG_MAX], FS_LOG_LINE, "%s", line.p);
		f->n_log++;
	}
	pthread_mutex_unlock(&f->lock);
	free(line.p);
	if (!control) {
		fault = take_fault(f, url, &ft);
		if (f->o.delay_ms > 0)
			sleep_ms(f->o.delay_ms);
		if (fault && !strcmp(ft.type, "slow"))
			sleep_ms(ft.secs > 0 ? ft.secs : 5000);
	}
	if (strcmp(method, "GET")) {
		q.status = 405;
		fs_puts(&q.body, "{\"error\":\"GET only\"}");
	} else if (!strcmp(url, "/_stats")) {
		serve_stats(&q);
	} else if (!strcmp(url, "/_reset")) {
		forum_reset(f);
		fs_puts(&q.body, "{}");
	} else if (!strcmp(url, "/_add")) {
		forum_add(f, arg_long(&q, "n", 1));
		fs_puts(&q.body, "{}");
	} else if (!strcmp(url, "/_fault")) {
		char spec[256];
		const char *t = arg(&q, "type"), *p = arg(&q, "path");

		snprintf(spec, sizeof spec, "%s:%ld:%ld:%ld%s%s", t ? t : "", arg_long(&q, "n", 1),
			 arg_long(&q, "skip", 0), arg_long(&q, "secs", -1), p ? ":" : "",
			 p ? p : "");
		if (forum_fault(f, spec)) {
			q.status = 400;
			fs_puts(&q.body, "{\"error\":\"bad fault\"}");
		} else {
			fs_puts(&q.body, "{}");
		}
	} else if (!strcmp(url, "/api/v1/search_by_date")) {
		serve_algolia(&q);
	} else if (!strcmp(url, "/reviews.json")) {
		serve_reviews(&q, 0);
	} else if (!strcmp(url, "/reviews.jsonl")) {
		serve_reviews(&q, 1);
	} else if (!strcmp(url, "/reviews.csv")) {
		serve_reviews(&q, 2);
	} else if ((len = strlen(url)) > 9 && !strcmp(url + len - 9, "/new.json") &&
		   !strncmp(url, "/r/", 3)) {
		serve_reddit(&q, 0, 0);
	} else if (len > 14 && !strcmp(url + len - 14, "/comments.json") &&
		   !strncmp(url, "/r/", 3)) {
		serve_reddit(&q, 1, 0);
	} else if (len >= 12 && !strcmp(url + len - 12, "/search.json")) {
		serve_reddit(&q, 0, 1);
	} else {
		q.status = 404;
		fs_puts(&q.body, "{\"message\":\"Not Found\",\"error\":404}");
	}
	if (fault) {
		const char *t = ft.type;

		if (!strcmp(t, "429") || !strcmp(t, "500") || !strcmp(t, "502") ||
		    !strcmp(t, "503")) {
			q.status = (unsigned)atoi(t);
			q.n_headers = 0;
			q.body.len = 0;
			fs_printf(&q.body, "{\"message\":\"fault\",\"error\":%s}", t);
			if (ft.secs >= 0 && (q.status == 429 || (q.status == 503 && ft.secs > 0)))
				add_header(&q, "Retry-After", "%ld", ft.secs);
		} else if (!strcmp(t, "malformed")) {
			q.status = 200;
			q.body.len /= 2;
		} else if (!strcmp(t, "garbage")) {
			q.status = 200;
			q.body.len = 0;
			q.ctype = "text/html";
			fs_puts(&q.body, "<html><body>Service is down for maintenance</body></html>");
		} else if (!strcmp(t, "empty")) {
			q.status = 200;
			q.body.len = 0;
		} else if (!strcmp(t, "ratelimit")) {
			for (int k = 0; k < q.n_headers; k++) {
				if (!strcmp(q.headers[k][0], "X-Ratelimit-Remaining"))
					snprintf(q.headers[k][1], 128, "0.0");
				if (!strcmp(q.headers[k][0], "X-Ratelimit-Reset"))
					snprintf(q.headers[k][1], 128, "%ld", ft.secs);
			}
		}
	}
	if (fault && !strcmp(ft.type, "big")) {
		struct fs_big *b = malloc(sizeof *b);

		if (!b)
			abort();
		b->left = ft.secs > 0 ? ft.secs : 32L << 20;
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, big_read, b,
							 free);
	} else {
		resp = MHD_create_response_from_buffer(q.body.len, q.body.p ? q.body.p : "",
						       MHD_RESPMEM_MUST_COPY);
	}
	free(q.body.p);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", q.ctype);
	for (int k = 0; k < q.n_headers; k++)
		MHD_add_response_header(resp, q.headers[k][0], q.headers[k][1]);
	ok = MHD_queue_response(c, q.status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* Start serving on 127.0.0.1:port (0: a free one).  Returns the server
 * (its port in f->port) or NULL when it cannot listen. */
static struct forum *forum_start(const struct forum_opts *o, unsigned port)
{
	struct forum *f = calloc(1, sizeof *f);

	if (!f)
		abort();
	f->o = *o;
	if (f->o.per_second < 1)
		f->o.per_second = 1;
	if (f->o.step < 1)
		f->o.step = 1;
	f->started = f->window_start = time(NULL);
	pthread_mutex_init(&f->lock, NULL);
	if (!(f->d = tool_listen(port, on_request, f, &f->port))) {
		pthread_mutex_destroy(&f->lock);
		free(f);
		return NULL;
	}
	return f;
}

static void forum_stop(struct forum *f)
{
	if (!f)
		return;
	MHD_stop_daemon(f->d);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

#ifdef FORUM_SERVER_EMBED
/* ---- for the unit tests: a connector's run into a sink ----
 *
 * The unit tests of the connectors compile this file into themselves and
 * run their connector against the server with source_run_new() and hooks
 * that keep what it hands over. */
#include "core/post.h"
#include "ingest/connector.h"

#define SINK_MAX 8192

/* What a run handed over.  A kill is simulated by a commit that refuses
 * (as a stopped runner does): posts emitted since the last commit that
 * went through are then dropped, the worst a kill -9 can do. */
struct sink {
	char *ids[SINK_MAX];
	struct post *posts[SINK_MAX];
	size_t n;                 /* posts kept */
	size_t n_committed;       /* of them, covered by a commit */
	char cursor[SOURCE_CURSOR_MAX + 1];
	int commits;
	int refuse_commit;        /* >0: the commit of this number refuses */
};

static int sink_emit(void *ctx, struct post *p)
{
	struct sink *s = ctx;

	if (s->n == SINK_MAX) {
		post_free(p);
		return HORCH_ESTOP;
	}
	s->posts[s->n] = p;
	s->ids[s->n++] = p->external_id;
	return 0;
}

static int sink_commit(void *ctx, const char *cursor)
{
	struct sink *s = ctx;

	s->commits++;
	if (s->refuse_commit && s->commits == s->refuse_commit) {
		while (s->n > s->n_committed)
			post_free(s->posts[--s->n]);
		return HORCH_ESTOP;
	}
	s->n_committed = s->n;
	snprintf(s->cursor, sizeof s->cursor, "%s", cursor);
	return 0;
}

__attribute__((unused))
static void sink_clear(struct sink *s)
{
	for (size_t i = 0; i < s->n; i++)
		post_free(s->posts[i]);
	memset(s, 0, sizeof *s);
}

/* Forget the posts, keep the cursor: the next poll of the same source. */
__attribute__((unused))
static void sink_next(struct sink *s)
{
	char cursor[SOURCE_CURSOR_MAX + 1];

	memcpy(cursor, s->cursor, sizeof cursor);
	sink_clear(s);
	memcpy(s->cursor, cursor, sizeof cursor);
}

__attribute__((unused))
static struct post *sink_find(struct sink *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ids[i], id))
			return s->posts[i];
	return NULL;
}

/* The ids, space-separated, into out. */
/* 1 when id is among the first n posts of s. */
__attribute__((unused))
static int sink_find_before(struct sink *s, const char *id, size_t n)
{
	for (size_t i = 0; i < n && i < s->n; i++)
		if (!strcmp(s->ids[i], id))
			return 1;
	return 0;
}

__attribute__((unused))
static const char *sink_ids(struct sink *s)
{
	static char out[8192];
	size_t len = 0;

	out[0] = 0;
	for (size_t i = 0; i < s->n && len < sizeof out - 40; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", i ? " " : "", s->ids[i]);
	return out;
}

struct outcome {
	int rc;
	int retry;
	char warning[256];
	struct horch_err err;
};

static struct forum *srv;          /* the server the tests run */
static char base_url[512];         /* its http://127.0.0.1:PORT, or a feed's URL */
static const char *poll_kind;      /* the connector poll_with() runs */
static const struct source_catalogue *poll_catalogue; /* its runs' catalogue, or NULL */

/* Run the poll_kind connector once against base_url, with settings
 * "key=value" (NULL-terminated), from s's cursor into s. */
__attribute__((unused))
static struct outcome poll_with(struct sink *s, const char *const *settings)
{
	struct source_hooks hooks = { .emit = sink_emit, .commit = sink_commit, .ctx = s,
				      .catalogue = poll_catalogue };
	struct source_conf c;
	struct source_run *r;
	struct outcome o;

	memset(&o, 0, sizeof o);
	source_conf_init(&c);
	c.name = strdup("test");
	c.kind = strdup(poll_kind);
	c.url = strdup(base_url);
	for (size_t i = 0; settings[i]; i++) {
		char key[64];
		const char *eq = strchr(settings[i], '=');

		snprintf(key, sizeof key, "%.*s", (int)(eq - settings[i]), settings[i]);
		source_param_set(&c, key, eq + 1, NULL);
	}
	r = source_run_new(&c, s->cursor, &hooks);
	o.rc = source_run_once(r, &o.err);
	o.retry = source_run_retry(r);
	snprintf(o.warning, sizeof o.warning, "%s", source_run_warning(r));
	source_run_free(r);
	source_conf_cleanup(&c);
	return o;
}

#else
static void usage(void)
{
	fprintf(stderr, "usage: forum_server [--port N] [--port-file F] [--posts N] [--seed S]\n"
		"  [--base EPOCH] [--per-second K] [--step SECS] [--grow N --every SECS]\n"
		"  [--max-items M] [--delay-ms MS] [--bad-every K] [--ratelimit N]\n"
		"  [--order asc|desc|shuffle]"
		" [--fault T:N[:SKIP[:SECS[:PATH]]]]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct forum_opts o;
	struct forum *f;
	const char *port_file = NULL, *faults[FS_FAULTS_MAX];
	unsigned port = 0;
	size_t n_faults = 0;
	sigset_t sigs;
	int sig;

	forum_opts_default(&o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--port"))
			port = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--port-file"))
			port_file = v;
		else if (!strcmp(a, "--posts"))
			o.posts = strtol(v, NULL, 10);
		else if (!strcmp(a, "--seed"))
			o.seed = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--base"))
			o.base = strtoll(v, NULL, 10);
		else if (!strcmp(a, "--per-second"))
			o.per_second = strtol(v, NULL, 10);
		else if (!strcmp(a, "--step"))
			o.step = strtol(v, NULL, 10);
		else if (!strcmp(a, "--grow"))
			o.grow = strtol(v, NULL, 10);
		else if (!strcmp(a, "--every"))
			o.every = strtol(v, NULL, 10);
		else if (!strcmp(a, "--max-items"))
			o.max_items = strtol(v, NULL, 10);
		else if (!strcmp(a, "--delay-ms"))
			o.delay_ms = strtol(v, NULL, 10);
		else if (!strcmp(a, "--bad-every"))
			o.bad_every = strtol(v, NULL, 10);
		else if (!strcmp(a, "--ratelimit"))
			o.ratelimit = strtol(v, NULL, 10);
		else if (!strcmp(a, "--order"))
			o.order = !strcmp(v, "asc") ? 1 : !strcmp(v, "desc") ? 2 : 0;
		else if (!strcmp(a, "--fault") && n_faults < FS_FAULTS_MAX)
			faults[n_faults++] = v;
		else
			usage();
	}
	/* Block the signals before the server's threads start, so that
	 * they inherit the mask and sigwait() below gets them. */
	tool_block_signals(&sigs);
	if (!(f = forum_start(&o, port))) {
		fprintf(stderr, "forum_server: cannot listen on 127.0.0.1:%u\n", port);
		return 1;
	}
	for (size_t k = 0; k < n_faults; k++)
		if (forum_fault(f, faults[k])) {
			fprintf(stderr, "forum_server: bad fault \"%s\"\n", faults[k]);
			return 2;
		}
	if (tool_announce("forum_server", f->port, port_file))
		return 1;
	sigwait(&sigs, &sig);
	forum_stop(f);
	return 0;
}
#endif
