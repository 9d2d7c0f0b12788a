/* mastodon_server.c - a fake Mastodon instance on 127.0.0.1 for the tests
 * of the Mastodon connector (tests/unit/test_mastodon.c,
 * tests/integration/source_mastodon.sh).
 *
 * It serves a deterministic set of statuses, in the JSON of Mastodon's
 * API documentation, through the endpoints the connector reads, with
 * Mastodon's paging: statuses newest first; max_id (older than), since_id
 * (newer than, the newest first) and min_id (immediately newer than);
 * limit (default 20, at most 40); a Link header with rel="next" (max_id)
 * and rel="prev" (min_id).
 *
 *   GET /api/v1/timelines/public[?local=true]  public statuses, no boosts
 *   GET /api/v1/timelines/tag/:hashtag         public statuses with the tag
 *   GET /api/v1/timelines/home                 everything, boosts and
 *                                              followers-only too (token)
 *   GET /api/v2/search?q=&type=statuses        public statuses whose text
 *                                              holds q (token, else 401)
 *   GET /api/v1/streaming/public, /public/local, /hashtag?tag=, /user (token)
 *       Server-Sent Events: ":)" first, ":thump" heartbeats, "update" for
 *       each status that appears after the stream opened, now and then a
 *       "status.update" (an edit of an older one) and a "delete".
 *
 * Status i (0, 1, 2, ...) is written at 2024-05-01T12:00:00Z + i seconds
 * and has the Snowflake-like id (ms << 16) | i; its author, kind (post,
 * reply, boost, followers-only), text (hashtags, mentions, links, emoji,
 * Japanese, Russian, Arabic, German, a content warning, media with only a
 * description) follow from --seed and i.  Statuses 0 .. --posts-1 are
 * there at the start; --grow adds that many a second (and /_grow on
 * demand), up to --max.
 *
 * Options:
 *   --port N          listen on port N (0, the default: a free one)
 *   --port-file F     write the port to F as well
 *   --posts N         statuses at the start (default 100)
 *   --grow R          new statuses a second (a decimal; default 0)
 *   --grow-on-request the growing starts at the first API request, not
 *                     at the start (so that a test's first poll finds
 *                     exactly --posts statuses, however late it comes)
 *   --max N           statuses at most (default 1000000)
 *   --seed S          varies authors and texts (default 1)
 *   --domain D        the instance's domain in uris and handles (default
 *                     mastodon.test: the same statuses on any port)
 *   --token T         the one token taken (default: any Bearer token)
 *   --auth-all        every endpoint wants a token (401 without)
 *   --delay MS        every API answer waits MS first (a slow instance)
 *   --heartbeat MS    between a stream's heartbeats (default 15000)
 *   --stream-events K a stream ends after K updates (default: never)
 *   --fail N:WHAT     the first N API requests fail as WHAT (as /_fault)
 *
 * Control (not counted as API requests):
 *   GET /_fault?what=WHAT[&n=N][&after=A][&ms=MS][&retry_after=S]
 *       the N API requests (default 1) after the next A (default 0) fail:
 *       WHAT is 429 (Retry-After: S, default 1), 500, 503, malformed (200
 *       with cut-off JSON), slow (wait MS, default 5000, then answer),
 *       baditem (the page's second status has no uri) or none (clear);
 *   GET /_fault?stream=on|off|401|silent
 *       streams work / answer 404 / answer 401 / answer and send nothing;
 *   GET /_grow?n=K       K more statuses now;
 *   GET /_stats          {"requests":..,"timeline":..,"search":..,
 *                        "stream":.. (asked for), "open":.. (streams
 *                        open now), "busy":.. (API requests being
 *                        answered now), "faulted":..,"visible":..,
 *                        "log":[the last 32 API requests, path?query]};
 *   GET /_uris?timeline=public|local|home|tag:NAME|search:Q
 *                        "ID URI" of each status of that timeline now,
 *                        oldest first (what a complete reader gets).
 *
 * Prints "port=N" on the first line of standard output; runs until
 * SIGTERM or SIGINT. */
#define _GNU_SOURCE             /* vasprintf */
#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define BASE_MS 1714564800000LL   /* 2024-05-01T12:00:00Z */
#define LOG_KEEP 32

enum tl { TL_PUBLIC, TL_LOCAL, TL_TAG, TL_HOME, TL_SEARCH };
enum kind { K_POST, K_REPLY, K_BOOST, K_PRIVATE };

/* The options. */
static long opt_posts = 100, opt_max = 1000000, opt_seed = 1, opt_delay, opt_heartbeat = 15000;
static long opt_stream_events = -1;
static double opt_grow;
static const char *opt_domain = "mastodon.test", *opt_token;
static int opt_auth_all, opt_grow_on_request;

/* What changes while it runs, under lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct timespec started;
static int growing;                /* the clock of --grow runs */
static long grown;                 /* statuses added by /_grow */
static long fault_after, fault_n, fault_ms = 5000, fault_retry = 1;
static char fault_what[16];
static char stream_mode[16] = "on";
static long n_requests, n_timeline, n_search, n_stream, n_faulted, n_open, n_busy;
static char *req_log[LOG_KEEP];
static long n_logged;
static atomic_int quitting;

/* ---- the statuses ---- */

struct account {
	const char *username;
	const char *remote;             /* its instance, or NULL for a local account */
	const char *display_name;
	long followers;
};

static const struct account accounts[] = {
	{ "alice", NULL, "Alice Liddell", 1200 },
	{ "bob", "remote.example", "Bob \xe2\x98\x95", 45 },
	{ "yamada", NULL, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e", 3000 },
	{ "olga", "social.example.ru", "\xd0\x9e\xd0\xbb\xd1\x8c\xd0\xb3\xd0\xb0", 87 },
	{ "korvo", NULL, "Korvo Support", 25000 },
	{ "sami", "mastodon.example.fi", "", 10 },
};
#define N_ACCOUNTS (sizeof accounts / sizeof accounts[0])

/* One text: its HTML with %1$s for the domain, its tags, its language. */
struct text {
	const char *html;
	const char *tags[2];
	const char *lang;
	const char *spoiler;
	const char *media;              /* a media description (for an empty text) */
};

#define TAG(t) "<a href=\"https://%1$s/tags/" t "\" class=\"mention hashtag\" rel=\"tag\">#<span>" t "</span></a>"

static const struct text texts[] = {
	{ "<p>Just got my new Korvo X2 and the battery is great! " TAG("korvo") "</p>",
	  { "korvo" }, "en", NULL, NULL },
	{ "<p>\xe3\x82\xb3\xe3\x83\xab\xe3\x83\x9c\xe3\x81\xae\xe6\x96\xb0\xe3\x81\x97\xe3\x81\x84"
	  "\xe3\x83\x8e\xe3\x83\xbc\xe3\x83\x88\xe3\x83\x91\xe3\x82\xbd\xe3\x82\xb3\xe3\x83\xb3"
	  "\xe3\x80\x81\xe7\x94\xbb\xe9\x9d\xa2\xe3\x81\x8c\xe3\x81\x8d\xe3\x82\x8c\xe3\x81\x84"
	  "\xe3\x81\xa7\xe3\x81\x99 \xf0\x9f\x98\x80 " TAG("korvo") "</p>",
	  { "korvo" }, "ja", NULL, NULL },
	{ "<p>Der Akku h\xc3\xa4lt nicht mal drei Stunden. Schade! " TAG("horch") "</p>",
	  { "horch" }, "de", NULL, NULL },
	{ "<p>\xd0\x9a\xd0\xbb\xd0\xb0\xd0\xb2\xd0\xb8\xd0\xb0\xd1\x82\xd1\x83\xd1\x80\xd0\xb0 "
	  "\xd0\xbe\xd1\x82\xd0\xbb\xd0\xb8\xd1\x87\xd0\xbd\xd0\xb0\xd1\x8f, \xd0\xbd\xd0\xbe "
	  "\xd1\x82\xd0\xb0\xd1\x87\xd0\xbf\xd0\xb0\xd0\xb4 \xd0\xb3\xd1\x80\xd0\xb5\xd0\xb5\xd1"
	  "\x82\xd1\x81\xd1\x8f.</p>", { NULL }, "ru", NULL, NULL },
	{ "<p>\xd8\xa7\xd9\x84\xd8\xb4\xd8\xa7\xd8\xb4\xd8\xa9 \xd8\xb1\xd8\xa7\xd8\xa6\xd8\xb9"
	  "\xd8\xa9 \xd8\xac\xd8\xaf\xd8\xa7</p>", { NULL }, "ar", NULL, NULL },
	{ "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://remote.example/@bob\" "
	  "class=\"u-url mention\">@<span>bob</span></a></span> have you tried the support line? "
	  "<a href=\"https://support.korvo.example/help\" target=\"_blank\" rel=\"nofollow noopener "
	  "noreferrer\"><span class=\"invisible\">https://</span><span class=\"\">"
	  "support.korvo.example/help</span><span class=\"invisible\"></span></a></p>",
	  { NULL }, "en", NULL, NULL },
	{ "<p>Love it :blobcat: \xf0\x9f\x8e\x89\xf0\x9f\x8e\x89<br />Second line &amp; more "
	  TAG("horch") " " TAG("korvo") "</p>", { "horch", "korvo" }, "en", NULL, NULL },
	{ "<p>The driver update broke Wi-Fi again.</p><p>Third time this month.</p>",
	  { NULL }, "en", "long rant about drivers", NULL },
	{ "", { NULL }, NULL, NULL, "A photo of a Korvo laptop on a desk" },
	{ "<p>Is the Korvo X2 worth it for students?</p>", { NULL }, NULL, NULL, NULL },
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static uint64_t hash_of(long i, int salt)
{
	return mix(mix((uint64_t)opt_seed * 1000003u + (uint64_t)salt) ^ (uint64_t)i);
}

static long long status_ms(long i)
{
	return BASE_MS + (long long)i * 1000;
}

static unsigned long long status_id(long i)
{
	return ((unsigned long long)status_ms(i) << 16) | ((unsigned long long)i & 0xffff);
}

static enum kind status_kind(long i)
{
	uint64_t h = hash_of(i, 1) % 20;

	if (i > 0 && h < 2)
		return K_BOOST;
	if (i > 0 && h < 5)
		return K_REPLY;
	if (h == 5)
		return K_PRIVATE;
	return K_POST;
}

static const struct account *status_account(long i)
{
	return &accounts[hash_of(i, 2) % N_ACCOUNTS];
}

static const struct text *status_text(long i)
{
	return &texts[hash_of(i, 3) % N_TEXTS];
}

/* The status a boost i boosts: an earlier one that is not a boost and is
 * public. */
static long boosted(long i)
{
	long j = (long)(hash_of(i, 4) % (uint64_t)i);

	while (j > 0 && status_kind(j) != K_POST && status_kind(j) != K_REPLY)
		j--;
	return j;
}

static int has_tag(long i, const char *tag)
{
	const struct text *t = status_text(i);

	for (int k = 0; k < 2 && t->tags[k]; k++)
		if (strcasecmp(t->tags[k], tag) == 0)
			return 1;
	return 0;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static json_t *jstr_take(char *s)
{
	json_t *v = json_string(s);

	free(s);
	return v;
}

static json_t *time_json(long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char b[40];

	gmtime_r(&t, &tm);
	strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
	return jstr_take(fmt("%s.%03dZ", b, (int)(ms % 1000)));
}

static json_t *account_json(const struct account *a)
{
	const char *home = a->remote ? a->remote : opt_domain;
	long aid = (long)(a - accounts) + 1;

	return json_pack("{s:o, s:s, s:o, s:s, s:b, s:b, s:b, s:b, s:o, s:s, s:o, s:o, s:o, s:o, "
			 "s:I, s:I, s:I, s:[], s:[]}",
			 "id", jstr_take(fmt("%ld", 109000000000000000L + aid)),
			 "username", a->username,
			 "acct", a->remote ? jstr_take(fmt("%s@%s", a->username, a->remote))
					   : json_string(a->username),
			 "display_name", a->display_name,
			 "locked", 0, "bot", 0, "discoverable", 1, "group", 0,
			 "created_at", time_json(BASE_MS - 86400000LL * 400),
			 "note", "<p>Listening.</p>",
			 "url", jstr_take(fmt("https://%s/@%s", home, a->username)),
			 "avatar", jstr_take(fmt("https://%s/avatars/%s.png", home, a->username)),
			 "header", jstr_take(fmt("https://%s/headers/%s.png", home, a->username)),
			 "last_status_at", json_string("2024-05-01"),
			 "followers_count", (json_int_t)a->followers,
			 "following_count", (json_int_t)(a->followers / 3),
			 "statuses_count", (json_int_t)(a->followers * 2),
			 "emojis", "fields");
}

/* The JSON of status i as Mastodon writes it (boosts with the boosted
 * status inside). */
static json_t *status_json(long i)
{
	const struct account *a = status_account(i);
	const struct text *t = status_text(i);
	enum kind k = status_kind(i);
	unsigned long long id = status_id(i);
	json_t *st, *tags = json_array(), *media = json_array(), *emojis = json_array();
	char *html, *uri, *url;
	long j;

	if (a->remote) {
		uri = fmt("https://%s/users/%s/statuses/%ld", a->remote, a->username, 100000 + i);
		url = fmt("https://%s/@%s/%ld", a->remote, a->username, 100000 + i);
	} else {
		uri = fmt("https://%s/users/%s/statuses/%llu", opt_domain, a->username, id);
		url = fmt("https://%s/@%s/%llu", opt_domain, a->username, id);
	}
	if (k == K_BOOST) {
		char *act = fmt("%s/activity", uri);

		j = boosted(i);
		st = json_pack("{s:o, s:o, s:n, s:n, s:b, s:s, s:s, s:n, s:o, s:n, s:i, s:i, s:i, "
			       "s:n, s:s, s:o, s:o, s:[], s:[], s:[], s:[], s:n, s:n}",
			       "id", jstr_take(fmt("%llu", id)), "created_at", time_json(status_ms(i)),
			       "in_reply_to_id", "in_reply_to_account_id", "sensitive", 0,
			       "spoiler_text", "", "visibility", "public", "language",
			       "uri", jstr_take(act), "url", "replies_count", 0, "reblogs_count", 0,
			       "favourites_count", 0, "edited_at", "content", "",
			       "reblog", status_json(j), "account", account_json(a),
			       "media_attachments", "mentions", "tags", "emojis", "card", "poll");
		free(uri);
		free(url);
		json_decref(tags);
		json_decref(media);
		json_decref(emojis);
		return st;
	}
	if (*t->html) {
		char *body = fmt(t->html, opt_domain);
		size_t len = strlen(body);

		/* Each status says which it is, so that no two texts are the
		 * same: "... #korvo</p>" -> "... #korvo (12)</p>". */
		if (len >= 4 && !strcmp(body + len - 4, "</p>"))
			body[len - 4] = '\0';
		html = fmt("%s (%ld)</p>", body, i);
		free(body);
	} else {
		html = strdup("");
	}
	for (int n = 0; n < 2 && t->tags[n]; n++)
		json_array_append_new(tags, json_pack("{s:s, s:o}", "name", t->tags[n], "url",
						      jstr_take(fmt("https://%s/tags/%s", opt_domain,
								    t->tags[n]))));
	if (t->media)
		json_array_append_new(media, json_pack("{s:o, s:s, s:o, s:o, s:s}",
						       "id", jstr_take(fmt("%llu", id + 1)),
						       "type", "image",
						       "url", jstr_take(fmt("https://%s/media/%ld.jpg",
									   opt_domain, i)),
						       "preview_url", jstr_take(fmt("https://%s/media/"
										   "%ld_small.jpg",
										   opt_domain, i)),
						       "description", t->media));
	if (strstr(t->html, ":blobcat:"))
		json_array_append_new(emojis, json_pack("{s:s, s:o, s:o, s:b}", "shortcode", "blobcat",
							"url", jstr_take(fmt("https://%s/emoji/blobcat.png",
									    opt_domain)),
							"static_url", jstr_take(fmt("https://%s/emoji/"
										   "blobcat.png",
										   opt_domain)),
							"visible_in_picker", 1));
	st = json_pack("{s:o, s:o, s:n, s:n, s:b, s:s, s:s, s:s?, s:o, s:o, s:I, s:I, s:I, s:n, "
		       "s:o, s:n, s:o, s:o, s:[], s:o, s:o, s:n, s:n}",
		       "id", jstr_take(fmt("%llu", id)), "created_at", time_json(status_ms(i)),
		       "in_reply_to_id", "in_reply_to_account_id", "sensitive", t->spoiler != NULL,
		       "spoiler_text", t->spoiler ? t->spoiler : "",
		       "visibility", k == K_PRIVATE ? "private" : "public", "language", t->lang,
		       "uri", jstr_take(uri), "url", jstr_take(url),
		       "replies_count", (json_int_t)(hash_of(i, 5) % 5),
		       "reblogs_count", (json_int_t)(hash_of(i, 6) % 7),
		       "favourites_count", (json_int_t)(hash_of(i, 7) % 20), "edited_at",
		       "content", jstr_take(html), "reblog", "account", account_json(a),
		       "media_attachments", media, "mentions", "tags", tags, "emojis", emojis,
		       "card", "poll");
	if (k == K_REPLY) {
		j = (long)(hash_of(i, 8) % (uint64_t)i);
		json_object_set_new(st, "in_reply_to_id", jstr_take(fmt("%llu", status_id(j))));
		json_object_set_new(st, "in_reply_to_account_id",
				    jstr_take(fmt("%ld", 109000000000000001L +
						  (long)(status_account(j) - accounts))));
	}
	return st;
}

/* The plain text of status i, lower case (ASCII), for search. */
static char *status_plain(long i)
{
	json_t *st = status_json(i);
	const char *h = json_string_value(json_object_get(st, "content"));
	char *out = malloc(strlen(h) + 1), *o = out;
	int in_tag = 0;

	for (; *h; h++) {
		if (*h == '<')
			in_tag = 1;
		else if (*h == '>')
			in_tag = 0;
		else if (!in_tag)
			*o++ = (char)tolower((unsigned char)*h);
	}
	*o = '\0';
	json_decref(st);
	return out;
}

/* 1 when status i belongs to timeline tl (arg: the tag or the lower case
 * search terms). */
static int in_timeline(long i, enum tl tl, const char *arg)
{
	enum kind k = status_kind(i);
	int pub = k == K_POST || k == K_REPLY;

	switch (tl) {
	case TL_PUBLIC:
		return pub;
	case TL_LOCAL:
		return pub && !status_account(i)->remote;
	case TL_TAG:
		return pub && has_tag(i, arg);
	case TL_HOME:
		return 1;
	case TL_SEARCH: {
		char *plain;
		int hit;

		if (!pub)
			return 0;
		plain = status_plain(i);
		hit = strstr(plain, arg) != NULL;
		free(plain);
		return hit;
	}
	}
	return 0;
}

/* Statuses there now. */
static long visible(void)
{
	struct timespec now;
	double secs;
	long n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&lock);
	secs = (double)(now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9;
	n = opt_posts + grown + (growing ? (long)(secs * opt_grow) : 0);
	pthread_mutex_unlock(&lock);
	return n > opt_max ? opt_max : n;
}

/* ---- answering ---- */

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
			      char *body, const char *link, const char *retry_after)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;

	MHD_add_response_header(r, "Content-Type", type);
	if (link)
		MHD_add_response_header(r, "Link", link);
	if (retry_after)
		MHD_add_response_header(r, "Retry-After", retry_after);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result answer_json(struct MHD_Connection *c, unsigned status, json_t *v,
				   const char *link)
{
	char *s = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	return answer(c, status, "application/json; charset=utf-8", s, link, NULL);
}

static enum MHD_Result error_json(struct MHD_Connection *c, unsigned status, const char *msg)
{
	return answer_json(c, status, json_pack("{s:s}", "error", msg), NULL);
}

/* 1 when the request carries the token (any Bearer token without
 * --token). */
static int authorised(struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

	if (!h || strncmp(h, "Bearer ", 7) || !h[7])
		return 0;
	return !opt_token || strcmp(h + 7, opt_token) == 0;
}

/* An id parameter: 0 when absent, ~0 when it is not a number. */
static unsigned long long id_arg(struct MHD_Connection *c, const char *name, int *bad)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return 0;
	x = strtoull(v, &end, 10);
	if (*end)
		*bad = 1;
	return x;
}

/* The query string of the request as it came, for the log: MHD gives the
 * arguments one by one. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	char **q = cls, *n;

	(void)kind;
	n = fmt("%s%s%s=%s", *q ? *q : "", *q ? "&" : "", key, value ? value : "");
	free(*q);
	*q = n;
	return MHD_YES;
}

static void log_request(struct MHD_Connection *c, const char *url)
{
	char *q = NULL;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
	pthread_mutex_lock(&lock);
	free(req_log[n_logged % LOG_KEEP]);
	req_log[n_logged % LOG_KEEP] = fmt("%s%s%s", url, q ? "?" : "", q ? q : "");
	n_logged++;
	pthread_mutex_unlock(&lock);
	free(q);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* A page of timeline tl (arg as for in_timeline()). */
static enum MHD_Result timeline(struct MHD_Connection *c, const char *url, enum tl tl,
				const char *arg, const char *extra, int bad_item)
{
	const char *lim = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	long limit = lim ? atol(lim) : 20, n = visible(), got = 0, *picked;
	int bad = 0;
	unsigned long long max_id = id_arg(c, "max_id", &bad), since_id = id_arg(c, "since_id", &bad);
	unsigned long long min_id = id_arg(c, "min_id", &bad);
	int has_min = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "min_id") != NULL;
	json_t *arr = json_array(), *out;
	char *link = NULL;
	enum MHD_Result ok;

	if (bad) {
		json_decref(arr);
		return error_json(c, 422, "Validation failed: an id is not a number");
	}
	if (limit <= 0)
		limit = 20;
	if (limit > 40)
		limit = 40;
	picked = calloc((size_t)limit, sizeof *picked);
	if (has_min) {
		/* The oldest `limit` newer than min_id, shown newest first. */
		for (long i = 0; i < n && got < limit; i++)
			if (status_id(i) > min_id && (!max_id || status_id(i) < max_id) &&
			    status_id(i) > since_id && in_timeline(i, tl, arg))
				picked[got++] = i;
		for (long a = 0, b = got - 1; a < b; a++, b--) {
			long t = picked[a];

			picked[a] = picked[b];
			picked[b] = t;
		}
	} else {
		for (long i = n - 1; i >= 0 && got < limit; i--)
			if ((!max_id || status_id(i) < max_id) && status_id(i) > since_id &&
			    in_timeline(i, tl, arg))
				picked[got++] = i;
	}
	for (long k = 0; k < got; k++) {
		json_t *st = status_json(picked[k]);

		if (bad_item && k == 1)
			json_object_del(st, "uri");
		json_array_append_new(arr, st);
	}
	if (got)
		link = fmt("<http://%s%s?%slimit=%ld&max_id=%llu>; rel=\"next\", "
			   "<http://%s%s?%slimit=%ld&min_id=%llu>; rel=\"prev\"",
			   host ? host : "localhost", url, extra, limit, status_id(picked[got - 1]),
			   host ? host : "localhost", url, extra, limit, status_id(picked[0]));
	free(picked);
	if (tl == TL_SEARCH)
		out = json_pack("{s:[], s:o, s:[]}", "accounts", "statuses", arr, "hashtags");
	else
		out = arr;
	ok = answer_json(c, 200, out, link);
	free(link);
	return ok;
}

/* One stream's state. */
struct stream {
	enum tl tl;
	char arg[256];
	long next;                    /* the next status to consider */
	long updates;                 /* updates sent */
	struct timespec beat;         /* last heartbeat */
	char *pending;                /* bytes not yet sent */
	size_t off, len;
	int silent;
};

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;

	(void)pos;
	for (;;) {
		if (atomic_load(&quitting))
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (s->pending) {
			size_t n = s->len - s->off < max ? s->len - s->off : max;

			memcpy(buf, s->pending + s->off, n);
			s->off += n;
			if (s->off == s->len) {
				free(s->pending);
				s->pending = NULL;
			}
			return (ssize_t)n;
		}
		if (opt_stream_events >= 0 && s->updates >= opt_stream_events)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (!s->silent && s->next < visible()) {
			long i = s->next++;
			json_t *st;
			char *js;

			if (!in_timeline(i, s->tl, s->arg))
				continue;
			st = status_json(i);
			js = json_dumps(st, JSON_COMPACT);
			json_decref(st);
			s->updates++;
			if (s->updates % 4 == 0) {
				/* Now and then an edit of the status and the
				 * deletion of an older one, as a live instance
				 * sends them. */
				json_t *old = status_json(i);
				char *ojs;

				json_object_set_new(old, "edited_at", time_json(status_ms(i)));
				ojs = json_dumps(old, JSON_COMPACT);
				json_decref(old);
				s->pending = fmt("event: update\ndata: %s\n\nevent: status.update\n"
						 "data: %s\n\nevent: delete\ndata: %llu\n\n", js, ojs,
						 status_id(i / 2));
				free(ojs);
			} else {
				s->pending = fmt("event: update\ndata: %s\n\n", js);
			}
			free(js);
			s->off = 0;
			s->len = strlen(s->pending);
			continue;
		}
		if (!s->silent && ms_since(&s->beat) >= opt_heartbeat) {
			clock_gettime(CLOCK_MONOTONIC, &s->beat);
			s->pending = strdup(":thump\n");
			s->off = 0;
			s->len = strlen(s->pending);
			continue;
		}
		if (s->silent && ms_since(&s->beat) > 60000)
			return MHD_CONTENT_READER_END_OF_STREAM;
		sleep_ms(10);
	}
}

static void stream_free(void *cls)
{
	struct stream *s = cls;

	pthread_mutex_lock(&lock);
	n_open--;
	pthread_mutex_unlock(&lock);
	free(s->pending);
	free(s);
}

static enum MHD_Result stream(struct MHD_Connection *c, enum tl tl, const char *arg)
{
	struct MHD_Response *r;
	struct stream *s;
	char mode[16];
	enum MHD_Result ok;

	pthread_mutex_lock(&lock);
	n_stream++;
	memcpy(mode, stream_mode, sizeof mode);
	pthread_mutex_unlock(&lock);
	if (!strcmp(mode, "off"))
		return error_json(c, 404, "Not Found");
	if (!strcmp(mode, "401") || ((tl == TL_HOME || opt_auth_all) && !authorised(c)))
		return error_json(c, 401, "Error: Missing access token");
	s = calloc(1, sizeof *s);
	s->tl = tl;
	snprintf(s->arg, sizeof s->arg, "%s", arg ? arg : "");
	s->next = visible();
	s->silent = !strcmp(mode, "silent");
	clock_gettime(CLOCK_MONOTONIC, &s->beat);
	if (!s->silent) {
		s->pending = strdup(":)\n");
		s->len = 3;
	}
	pthread_mutex_lock(&lock);
	n_open++;
	pthread_mutex_unlock(&lock);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, stream_read, s,
					      stream_free);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ok = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- control ---- */

static void set_fault(const char *what, long n, long after, long ms, long retry)
{
	pthread_mutex_lock(&lock);
	snprintf(fault_what, sizeof fault_what, "%s", strcmp(what, "none") ? what : "");
	fault_n = n;
	fault_after = after;
	fault_ms = ms;
	fault_retry = retry;
	pthread_mutex_unlock(&lock);
}

static long num_arg(struct MHD_Connection *c, const char *name, long def)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);

	return v && *v ? atol(v) : def;
}

static enum MHD_Result control(struct MHD_Connection *c, const char *url)
{
	if (!strcmp(url, "/_fault")) {
		const char *what = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "what");
		const char *st = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "stream");

		if (what)
			set_fault(what, num_arg(c, "n", 1), num_arg(c, "after", 0),
				  num_arg(c, "ms", 5000), num_arg(c, "retry_after", 1));
		if (st) {
			pthread_mutex_lock(&lock);
			snprintf(stream_mode, sizeof stream_mode, "%s", st);
			pthread_mutex_unlock(&lock);
		}
		return answer(c, 200, "text/plain", strdup("ok\n"), NULL, NULL);
	}
	if (!strcmp(url, "/_grow")) {
		pthread_mutex_lock(&lock);
		grown += num_arg(c, "n", 1);
		pthread_mutex_unlock(&lock);
		return answer(c, 200, "text/plain", fmt("%ld\n", visible()), NULL, NULL);
	}
	if (!strcmp(url, "/_stats")) {
		json_t *log = json_array(), *v;
		long vis = visible();

		pthread_mutex_lock(&lock);
		for (long k = n_logged > LOG_KEEP ? n_logged - LOG_KEEP : 0; k < n_logged; k++)
			json_array_append_new(log, json_string(req_log[k % LOG_KEEP]));
		v = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "requests",
			      (json_int_t)n_requests, "open", (json_int_t)n_open,
			      "busy", (json_int_t)n_busy,
			      "timeline", (json_int_t)n_timeline, "search", (json_int_t)n_search,
			      "stream", (json_int_t)n_stream, "faulted", (json_int_t)n_faulted,
			      "visible", (json_int_t)vis, "log", log);
		pthread_mutex_unlock(&lock);
		return answer_json(c, 200, v, NULL);
	}
	if (!strcmp(url, "/_uris")) {
		const char *t = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "timeline");
		enum tl tl = TL_PUBLIC;
		char arg[256] = "";
		long n = visible();
		size_t cap = 4096, len = 0;
		char *out = malloc(cap);

		if (t && !strcmp(t, "local"))
			tl = TL_LOCAL;
		else if (t && !strcmp(t, "home"))
			tl = TL_HOME;
		else if (t && !strncmp(t, "tag:", 4)) {
			tl = TL_TAG;
			snprintf(arg, sizeof arg, "%s", t + 4);
		} else if (t && !strncmp(t, "search:", 7)) {
			tl = TL_SEARCH;
			snprintf(arg, sizeof arg, "%s", t + 7);
			for (char *p = arg; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		}
		out[0] = '\0';
		for (long i = 0; i < n; i++) {
			json_t *st;
			char *line;
			size_t l;

			if (!in_timeline(i, tl, arg))
				continue;
			st = status_json(i);
			line = fmt("%llu %s\n", status_id(i),
				   json_string_value(json_object_get(st, "uri")));
			json_decref(st);
			l = strlen(line);
			if (len + l + 1 > cap) {
				cap = (len + l + 1) * 2;
				out = realloc(out, cap);
			}
			memcpy(out + len, line, l + 1);
			len += l;
			free(line);
		}
		return answer(c, 200, "text/plain; charset=utf-8", out, NULL, NULL);
	}
	return error_json(c, 404, "Not Found");
}

/* The fault this API request meets: "" none. */
static void next_fault(char out[16], long *ms, long *retry)
{
	pthread_mutex_lock(&lock);
	out[0] = '\0';
	if (fault_what[0] && fault_n > 0) {
		if (fault_after > 0) {
			fault_after--;
		} else {
			memcpy(out, fault_what, 16);
			*ms = fault_ms;
			*retry = fault_retry;
			if (--fault_n == 0)
				fault_what[0] = '\0';
			n_faulted++;
		}
	}
	pthread_mutex_unlock(&lock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **state)
{
	static int first;
	char fault[16];
	long ms = 0, retry = 0;
	enum tl tl;
	const char *arg = NULL, *extra = "";
	char lower[256];

	(void)cls;
	(void)version;
	(void)data;
	(void)size;
	if (*state == NULL) {
		*state = &first;
		return MHD_YES;
	}
	if (strcmp(method, "GET"))
		return error_json(c, 405, "Method Not Allowed");
	if (!strncmp(url, "/_", 2))
		return control(c, url);
	log_request(c, url);
	pthread_mutex_lock(&lock);
	n_requests++;
	if (!growing) {
		growing = 1;
		clock_gettime(CLOCK_MONOTONIC, &started);
	}
	pthread_mutex_unlock(&lock);
	if (!strncmp(url, "/api/v1/streaming/", 18)) {
		const char *which = url + 18;

		if (!strcmp(which, "public"))
			return stream(c, TL_PUBLIC, NULL);
		if (!strcmp(which, "public/local"))
			return stream(c, TL_LOCAL, NULL);
		if (!strcmp(which, "user"))
			return stream(c, TL_HOME, NULL);
		if (!strcmp(which, "hashtag")) {
			arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "tag");
			if (!arg || !*arg)
				return error_json(c, 400, "Missing tag name");
			return stream(c, TL_TAG, arg);
		}
		return error_json(c, 404, "Unknown stream type");
	}
	/* busy: requests being answered, so that a test can kill its
	 * client in the middle of one. */
	pthread_mutex_lock(&lock);
	n_busy++;
	pthread_mutex_unlock(&lock);
	if (opt_delay)
		sleep_ms(opt_delay);
	next_fault(fault, &ms, &retry);
	if (!strcmp(fault, "slow"))
		sleep_ms(ms);
	pthread_mutex_lock(&lock);
	n_busy--;
	pthread_mutex_unlock(&lock);
	if (!strcmp(fault, "429") || !strcmp(fault, "503")) {
		char ra[24];

		snprintf(ra, sizeof ra, "%ld", retry);
		return answer(c, (unsigned)atoi(fault), "application/json",
			      strdup("{\"error\":\"Too many requests\"}"), NULL, ra);
	} else if (!strcmp(fault, "500"))
		return error_json(c, 500, "We're sorry, but something went wrong on our end.");
	else if (!strcmp(fault, "malformed"))
		return answer(c, 200, "application/json; charset=utf-8",
			      strdup("[{\"id\":\"1\",\"uri\":\"https://x/1\",\"content\":\"<p>cut"),
			      NULL, NULL);
	if (!strcmp(url, "/api/v1/timelines/public")) {
		const char *local = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "local");

		tl = local && !strcmp(local, "true") ? TL_LOCAL : TL_PUBLIC;
		extra = tl == TL_LOCAL ? "local=true&" : "";
	} else if (!strncmp(url, "/api/v1/timelines/tag/", 22) && url[22]) {
		tl = TL_TAG;
		arg = url + 22;
	} else if (!strcmp(url, "/api/v1/timelines/home")) {
		tl = TL_HOME;
	} else if (!strcmp(url, "/api/v2/search")) {
		const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
		const char *type = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "type");

		pthread_mutex_lock(&lock);
		n_search++;
		pthread_mutex_unlock(&lock);
		if (!authorised(c))
			return error_json(c, 401, "The access token is invalid");
		if (!q || !*q)
			return answer_json(c, 200, json_pack("{s:[], s:[], s:[]}", "accounts",
							     "statuses", "hashtags"), NULL);
		snprintf(lower, sizeof lower, "%s", q);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (type && strcmp(type, "statuses"))
			return answer_json(c, 200, json_pack("{s:[], s:[], s:[]}", "accounts",
							     "statuses", "hashtags"), NULL);
		return timeline(c, url, TL_SEARCH, lower, "type=statuses&", !strcmp(fault, "baditem"));
	} else {
		return error_json(c, 404, "Record not found");
	}
	if ((tl == TL_HOME || opt_auth_all) && !authorised(c))
		return error_json(c, 401, "The access token is invalid");
	pthread_mutex_lock(&lock);
	n_timeline++;
	pthread_mutex_unlock(&lock);
	return timeline(c, url, tl, arg, extra, !strcmp(fault, "baditem"));
}

static void usage(void)
{
	fprintf(stderr, "usage: mastodon_server [--port N] [--port-file F] [--posts N] "
		"[--grow R] [--max N] [--seed S] [--domain D] [--token T] [--auth-all] "
		"[--delay MS] [--heartbeat MS] [--stream-events K] [--fail N:WHAT]\n");
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
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--auth-all")) {
			opt_auth_all = 1;
			continue;
		}
		if (!strcmp(o, "--grow-on-request")) {
			opt_grow_on_request = 1;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(o, "--port"))
			port = atol(v);
		else if (!strcmp(o, "--port-file"))
			port_file = v;
		else if (!strcmp(o, "--posts"))
			opt_posts = atol(v);
		else if (!strcmp(o, "--grow"))
			opt_grow = atof(v);
		else if (!strcmp(o, "--max"))
			opt_max = atol(v);
		else if (!strcmp(o, "--seed"))
			opt_seed = atol(v);
		else if (!strcmp(o, "--domain"))
			opt_domain = v;
		else if (!strcmp(o, "--token"))
			opt_token = v;
		else if (!strcmp(o, "--delay"))
			opt_delay = atol(v);
		else if (!strcmp(o, "--heartbeat"))
			opt_heartbeat = atol(v);
		else if (!strcmp(o, "--stream-events"))
			opt_stream_events = atol(v);
		else if (!strcmp(o, "--fail")) {
			const char *colon = strchr(v, ':');

			if (!colon)
				usage();
			set_fault(colon + 1, atol(v), 0, 5000, 1);
		} else
			usage();
	}
	if (port < 0 || port > 65535 || opt_posts < 0 || opt_max < 0 || opt_heartbeat < 1)
		usage();
	clock_gettime(CLOCK_MONOTONIC, &started);
	growing = !opt_grow_on_request;
	/* Blocked before the daemon's threads start, so that they inherit
	 * the mask and only sigwait() below takes the signals. */
	tool_block_signals(&sigs);
	if (!(d = tool_listen(port, on_request, NULL, &bound))) {
		fprintf(stderr, "mastodon_server: cannot listen on 127.0.0.1:%ld\n", port);
		return 1;
	}
	if (tool_announce("mastodon_server", bound, port_file))
		return 1;
	sigwait(&sigs, &sig);
	atomic_store(&quitting, 1);
	MHD_stop_daemon(d);
	for (int k = 0; k < LOG_KEEP; k++)
		free(req_log[k]);
	return 0;
}
