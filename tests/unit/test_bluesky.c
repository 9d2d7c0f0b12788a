/* test_bluesky.c - the Bluesky Jetstream connector (src/ingest/bluesky.c):
 * its message parser on every kind of event and on broken input, the post
 * it builds, its settings, and its run against the fake Jetstream of
 * tests/tools/jetstream_server (started here as a child process): a whole
 * stream, the topic pre-filter, resuming after dropped connections and
 * after a stop with nothing lost, a stop from another thread, a server
 * that never answers, one that stalls, malformed and oversized messages,
 * 429 on the upgrade, and a gap in the history.
 *
 * The expected posts are derived from the same formula the fake server
 * documents: event i is a post creation when its first random number
 * modulo 100 is below 65, and its text is template event_rng(i, 2) % 12. */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/log.h"
#include "ingest/bluesky.h"
#include "ingest/connector.h"
#include "source_harness.h"
#include "tap.h"

/* ---- the parser ---- */

static int parse(struct bluesky_event *ev, const char *msg, struct horch_err *err)
{
	horch_err_clear(err);
	return bluesky_parse(ev, msg, strlen(msg), err);
}

#define POST_MSG                                                                        \
	"{\"did\":\"did:plc:eygmaihciaxprqvxpfvl6flk\",\"time_us\":1725911162329308,"        \
	"\"kind\":\"commit\",\"commit\":{\"rev\":\"3l3qo2vutsw2b\",\"operation\":\"create\","  \
	"\"collection\":\"app.bsky.feed.post\",\"rkey\":\"3l3qo2vuowo2b\",\"record\":{"       \
	"\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"2024-09-09T19:46:02.102Z\","       \
	"\"langs\":[\"en\",\"de\"],\"text\":\"Korvo \\u003c3 \\\"hi\\\"\\n\\ud83c\\udf42 caf\xc3\xa9\"," \
	"\"facets\":[{\"index\":{\"byteStart\":0,\"byteEnd\":5},\"features\":[]}]},"          \
	"\"cid\":\"bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi\"}}"

static void test_parse_post(void)
{
	struct bluesky_event ev;
	struct horch_err err;
	struct post p;

	bluesky_event_init(&ev);
	is_int(parse(&ev, POST_MSG, &err), 0, "parse-1.1 a post creation parses");
	is_int(ev.kind, BLUESKY_KIND_COMMIT, "parse-1.2 kind commit");
	is_int(ev.op, BLUESKY_OP_CREATE, "parse-1.3 operation create");
	ok(ev.time_us == INT64_C(1725911162329308), "parse-1.4 time_us");
	is_mem(ev.did.ptr, ev.did.len, "did:plc:eygmaihciaxprqvxpfvl6flk", "parse-1.5 did");
	is_mem(ev.collection.ptr, ev.collection.len, "app.bsky.feed.post", "parse-1.6 collection");
	is_mem(ev.rkey.ptr, ev.rkey.len, "3l3qo2vuowo2b", "parse-1.7 rkey");
	is_mem(ev.text.ptr, ev.text.len, "Korvo <3 \"hi\"\n\xf0\x9f\x8d\x82 caf\xc3\xa9",
	       "parse-1.8 text with escapes, a surrogate pair and raw UTF-8 decoded");
	is_mem(ev.lang.ptr, ev.lang.len, "en", "parse-1.9 the first of langs");
	is_mem(ev.created_at.ptr, ev.created_at.len, "2024-09-09T19:46:02.102Z",
	       "parse-1.10 createdAt");
	ok(!ev.parent.ptr && !ev.bad, "parse-1.11 no parent, nothing bad");
	is_int(bluesky_event_is_post(&ev), 1, "parse-1.12 is a post");
	post_init(&p);
	is_int(bluesky_event_post(&ev, &p, &err), 0, "parse-1.13 the post builds");
	is_str(p.source, "bluesky", "parse-1.14 source");
	is_str(p.external_id, "at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vuowo2b",
	       "parse-1.15 external_id is the at:// URI");
	is_str(p.url, "https://bsky.app/profile/did:plc:eygmaihciaxprqvxpfvl6flk/post/3l3qo2vuowo2b",
	       "parse-1.16 url");
	is_str(p.author, "did:plc:eygmaihciaxprqvxpfvl6flk", "parse-1.17 author is the DID");
	ok(p.created_at == INT64_C(1725911162102), "parse-1.18 created_at from createdAt");
	is_str(p.lang, "en", "parse-1.19 lang");
	is_int(p.kind, POST_KIND_POST, "parse-1.20 kind post");
	ok(!p.parent && p.likes == POST_COUNT_NONE, "parse-1.21 no parent, counts unknown");
	is_int(post_validate(&p, &err), 0, "parse-1.22 the post is valid");
	post_cleanup(&p);
	bluesky_event_cleanup(&ev);
}

static void test_parse_kinds(void)
{
	struct bluesky_event ev;
	struct horch_err err;
	struct post p;

	bluesky_event_init(&ev);
	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":5,\"kind\":\"commit\",\"commit\":{"
		   "\"rev\":\"r\",\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\","
		   "\"rkey\":\"k1\",\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"re\","
		   "\"createdAt\":\"2024-01-01T00:00:00Z\",\"reply\":{\"root\":{\"uri\":"
		   "\"at://did:plc:r/app.bsky.feed.post/root\",\"cid\":\"c\"},\"parent\":{\"cid\":"
		   "\"c\",\"uri\":\"at://did:plc:p/app.bsky.feed.post/par\"}}},\"cid\":\"c\"}}", &err),
	       0, "kinds-1.1 a reply parses");
	is_mem(ev.parent.ptr, ev.parent.len, "at://did:plc:p/app.bsky.feed.post/par",
	       "kinds-1.2 parent uri");
	is_mem(ev.root.ptr, ev.root.len, "at://did:plc:r/app.bsky.feed.post/root", "kinds-1.3 root");
	post_init(&p);
	is_int(bluesky_event_post(&ev, &p, &err), 0, "kinds-1.4 the reply builds");
	is_int(p.kind, POST_KIND_REPLY, "kinds-1.5 kind reply");
	is_str(p.parent, "at://did:plc:p/app.bsky.feed.post/par", "kinds-1.6 parent");
	ok(p.lang == NULL, "kinds-1.7 no langs, no lang");
	post_cleanup(&p);

	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":7,\"kind\":\"identity\",\"identity\":{"
		   "\"did\":\"did:plc:a\",\"handle\":\"a.bsky.social\",\"seq\":1,\"time\":\"t\"}}",
		   &err), 0, "kinds-2.1 identity parses");
	ok(ev.kind == BLUESKY_KIND_IDENTITY && ev.time_us == 7 && !bluesky_event_is_post(&ev),
	   "kinds-2.2 identity: its time, not a post");
	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":8,\"kind\":\"account\",\"account\":{"
		   "\"active\":false,\"did\":\"did:plc:a\",\"seq\":2,\"status\":\"deactivated\"}}",
		   &err), 0, "kinds-2.3 account parses");
	ok(ev.kind == BLUESKY_KIND_ACCOUNT && ev.time_us == 8, "kinds-2.4 account kind and time");
	is_int(parse(&ev, "{\"time_us\":9,\"kind\":\"sync\"}", &err), 0,
	       "kinds-2.5 an unknown kind parses (without did)");
	is_int(ev.kind, BLUESKY_KIND_OTHER, "kinds-2.6 kind other");
	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":10,\"kind\":\"commit\",\"commit\":{"
		   "\"rev\":\"r\",\"operation\":\"delete\",\"collection\":\"app.bsky.feed.post\","
		   "\"rkey\":\"k1\"}}", &err), 0, "kinds-2.7 a delete parses");
	ok(ev.op == BLUESKY_OP_DELETE && !ev.has_record && !bluesky_event_is_post(&ev),
	   "kinds-2.8 a delete is not a post");
	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":11,\"kind\":\"commit\",\"commit\":{"
		   "\"operation\":\"update\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"k1\","
		   "\"record\":{\"text\":\"edited\"}}}", &err), 0, "kinds-2.9 an update parses");
	ok(ev.op == BLUESKY_OP_UPDATE && !bluesky_event_is_post(&ev), "kinds-2.10 an update is "
	   "not a post");
	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":12,\"kind\":\"commit\",\"commit\":{"
		   "\"operation\":\"create\",\"collection\":\"app.bsky.feed.like\",\"rkey\":\"k1\","
		   "\"record\":{\"$type\":\"app.bsky.feed.like\",\"text\":5,\"subject\":{}}}}", &err),
	       0, "kinds-2.11 a like parses, even with a text of another type");
	ok(!bluesky_event_is_post(&ev) && ev.bad, "kinds-2.12 a like is not a post");
	/* Field order does not matter: the commit before the kind. */
	is_int(parse(&ev, "{\"commit\":{\"record\":{\"text\":\"x\"},\"rkey\":\"k\",\"collection\":"
		   "\"app.bsky.feed.post\",\"operation\":\"create\"},\"kind\":\"commit\","
		   "\"time_us\":13,\"did\":\"did:plc:a\"}", &err), 0,
	       "kinds-3.1 fields in another order");
	ok(bluesky_event_is_post(&ev) && ev.text.len == 1, "kinds-3.2 still a post");
	bluesky_event_cleanup(&ev);
}

/* A message must fail with code, its message containing want. */
static void parse_fails(const char *msg, size_t len, int code, const char *want,
			const char *name)
{
	struct bluesky_event ev;
	struct horch_err err;
	int rc;

	bluesky_event_init(&ev);
	horch_err_clear(&err);
	rc = bluesky_parse(&ev, msg, len, &err);
	if (!ok(rc == code && strstr(err.msg, want), "%s", name))
		diag("  rc %d, message \"%s\", want %d and \"%s\"", rc, err.msg, code, want);
	bluesky_event_cleanup(&ev);
}

#define FAILS(msg, code, want, name) parse_fails(msg, sizeof msg - 1, code, want, name)

static void test_parse_errors(void)
{
	FAILS("", HORCH_EPARSE, "expected '{'", "errors-1.1 empty");
	FAILS("[1]", HORCH_EPARSE, "byte 1: expected '{'", "errors-1.2 not an object");
	FAILS("{\"time_us\":1,\"kind\":\"identity\"", HORCH_EPARSE, "expected ','",
	      "errors-1.3 truncated");
	FAILS("{\"time_us\":1,\"kind\":\"identity\"} x", HORCH_EPARSE, "byte 33: text after",
	      "errors-1.4 text after the object");
	FAILS("{\"kind\":\"identity\"}", HORCH_EPARSE, "time_us missing", "errors-1.5 no time_us");
	FAILS("{\"time_us\":\"1\",\"kind\":\"identity\"}", HORCH_EPARSE,
	      "time_us is not an integer", "errors-1.6 time_us a string");
	FAILS("{\"time_us\":-1,\"kind\":\"identity\"}", HORCH_EPARSE, "time_us is not an integer",
	      "errors-1.7 time_us negative");
	FAILS("{\"time_us\":1.5,\"kind\":\"identity\"}", HORCH_EPARSE,
	      "time_us is not an integer", "errors-1.8 time_us fractional");
	FAILS("{\"time_us\":99999999999999999999,\"kind\":\"identity\"}", HORCH_EPARSE,
	      "time_us is too large", "errors-1.9 time_us overflows");
	FAILS("{\"time_us\":1}", HORCH_EPARSE, "kind missing", "errors-1.10 no kind");
	FAILS("{\"time_us\":1,\"kind\":7}", HORCH_EPARSE, "kind is not a string",
	      "errors-1.11 kind a number");
	FAILS("{\"time_us\":1,\"kind\":\"commit\",\"commit\":{}}", HORCH_EPARSE, "did missing",
	      "errors-2.1 commit without did");
	FAILS("{\"did\":\"d\",\"time_us\":1,\"kind\":\"commit\"}", HORCH_EPARSE, "commit missing",
	      "errors-2.2 commit event without commit");
	FAILS("{\"did\":\"d\",\"time_us\":1,\"kind\":\"commit\",\"commit\":[]}", HORCH_EPARSE,
	      "commit is not an object", "errors-2.3 commit an array");
	FAILS("{\"did\":\"d\",\"time_us\":1,\"kind\":\"commit\",\"commit\":{\"collection\":\"c\","
	      "\"rkey\":\"k\"}}", HORCH_EPARSE, "commit.operation missing",
	      "errors-2.4 no operation");
	FAILS("{\"did\":\"d\",\"time_us\":1,\"kind\":\"commit\",\"commit\":{\"operation\":\"create\","
	      "\"collection\":\"c\",\"rkey\":5}}", HORCH_EPARSE, "commit.rkey is not a string",
	      "errors-2.5 rkey a number");
	FAILS("{\"did\":\"d\",\"time_us\":1,\"kind\":\"commit\",\"commit\":{\"operation\":\"create\","
	      "\"collection\":\"c\",\"rkey\":\"k\",\"record\":\"x\"}}", HORCH_EPARSE,
	      "commit.record is not an object", "errors-2.6 record a string");
	FAILS("{\"did\":1,\"time_us\":1,\"kind\":\"identity\"}", HORCH_EPARSE,
	      "did is not a string", "errors-2.7 did a number");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"\xff\"}", HORCH_EPARSE,
	      "byte 37: invalid UTF-8", "errors-3.1 invalid UTF-8 in a skipped string");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"\xed\xa0\x80\"}", HORCH_EPARSE,
	      "invalid UTF-8", "errors-3.2 an encoded surrogate");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"\xc0\xaf\"}", HORCH_EPARSE,
	      "invalid UTF-8", "errors-3.3 an overlong encoding");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"a\tb\"}", HORCH_EPARSE,
	      "control character", "errors-3.4 a raw tab in a string");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"\\x\"}", HORCH_EPARSE, "bad escape",
	      "errors-3.5 a bad escape");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"\\u12g4\"}", HORCH_EPARSE,
	      "bad \\u escape", "errors-3.6 a bad \\u escape");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":01}", HORCH_EPARSE, "expected ','",
	      "errors-3.7 a leading zero");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":1.}", HORCH_EPARSE, "bad number",
	      "errors-3.8 a dot without digits");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":tru}", HORCH_EPARSE,
	      "unexpected character", "errors-3.9 a cut literal");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":[1,]}", HORCH_EPARSE, "bad number",
	      "errors-3.10 a trailing comma");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\":\"abc", HORCH_EPARSE,
	      "unterminated string", "errors-3.11 an unterminated string");
	FAILS("{\"time_us\":1,\"kind\":\"identity\",\"x\" 1}", HORCH_EPARSE, "expected ':'",
	      "errors-3.12 no colon");
	{
		/* 100 nested arrays: over the depth cap, an error and no crash. */
		char deep[256];
		int n = snprintf(deep, sizeof deep, "{\"time_us\":1,\"kind\":\"x\",\"a\":");

		for (int i = 0; i < 100; i++)
			deep[n++] = '[';
		for (int i = 0; i < 100; i++)
			deep[n++] = ']';
		deep[n++] = '}';
		parse_fails(deep, (size_t)n, HORCH_EPARSE, "nesting deeper than 64",
			    "errors-4.1 nesting over the cap");
	}
	{
		char *huge = horch_xmalloc(BLUESKY_MSG_MAX + 2);

		memset(huge, ' ', BLUESKY_MSG_MAX + 1);
		parse_fails(huge, BLUESKY_MSG_MAX + 1, HORCH_ETOOBIG, "over the cap",
			    "errors-4.2 a message over the cap");
		free(huge);
	}
}

static void test_parse_lenient(void)
{
	struct bluesky_event ev;
	struct horch_err err;
	struct post p;
	const char *head = "{\"did\":\"did:plc:a\",\"time_us\":1725911162329308,\"kind\":\"commit\","
			   "\"commit\":{\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\","
			   "\"rkey\":\"k\",\"record\":";
	char msg[1024];

	bluesky_event_init(&ev);
#define RECORD(rec) (snprintf(msg, sizeof msg, "%s%s}}", head, rec), parse(&ev, msg, &err))
	is_int(RECORD("{\"text\":5}"), 0, "lenient-1.1 a text of another type parses");
	is_str(ev.bad, "commit.record.text", "lenient-1.2 and is named");
	post_init(&p);
	is_int(bluesky_event_post(&ev, &p, &err), HORCH_EINVAL, "lenient-1.3 but builds no post");
	ok(strstr(err.msg, "commit.record.text has the wrong type") != NULL,
	   "lenient-1.4 the error names the field");
	is_int(RECORD("{\"text\":\"x\",\"langs\":\"en\"}"), 0, "lenient-2.1 langs a string parses");
	is_str(ev.bad, "commit.record.langs", "lenient-2.2 and is named");
	is_int(RECORD("{\"text\":\"x\",\"langs\":[5,\"en\"]}"), 0, "lenient-2.3 langs [5]");
	is_str(ev.bad, "commit.record.langs", "lenient-2.4 a first lang of another type is named");
	is_int(RECORD("{\"text\":\"x\",\"langs\":[]}"), 0, "lenient-2.5 langs empty");
	ok(!ev.bad && !ev.lang.ptr, "lenient-2.6 empty langs: no lang, nothing bad");
	is_int(RECORD("{\"text\":\"x\",\"langs\":null,\"reply\":null,\"createdAt\":null}"), 0,
	       "lenient-2.7 nulls are absent fields");
	ok(!ev.bad, "lenient-2.8 nulls are not bad");
	is_int(RECORD("{\"text\":\"x\",\"reply\":{\"root\":{\"uri\":\"at://r\"}}}"), 0,
	       "lenient-3.1 a reply without parent parses");
	is_str(ev.bad, "commit.record.reply.parent.uri", "lenient-3.2 and is named");
	is_int(RECORD("{\"text\":\"x\",\"reply\":{\"parent\":\"at://p\"}}"), 0,
	       "lenient-3.3 a parent of another type parses");
	is_str(ev.bad, "commit.record.reply.parent.uri", "lenient-3.4 and is named");
	is_int(RECORD("{\"text\":\"x\",\"reply\":{\"parent\":{\"uri\":\"https://x\"}}}"), 0,
	       "lenient-3.5 a parent that is no at:// URI parses");
	is_int(bluesky_event_post(&ev, &p, &err), HORCH_EINVAL, "lenient-3.6 but builds no post");
	is_int(RECORD("{\"text\":\"\"}"), 0, "lenient-4.1 an empty text parses");
	is_int(bluesky_event_post(&ev, &p, &err), HORCH_EINVAL, "lenient-4.2 but builds no post");
	is_int(RECORD("{\"text\":\"x\",\"createdAt\":\"yesterday\",\"langs\":[\"e n\"]}"), 0,
	       "lenient-5.1 a bad createdAt and lang parse");
	is_int(bluesky_event_post(&ev, &p, &err), 0, "lenient-5.2 and build a post");
	ok(p.created_at == INT64_C(1725911162329), "lenient-5.3 created_at falls back to time_us");
	ok(p.lang == NULL, "lenient-5.4 a lang that is no language tag is left out");
	post_cleanup(&p);
	is_int(RECORD("{\"text\":\"a\\u0000b\\ud800c\\udc00\"}"), 0,
	       "lenient-6.1 NUL and lone surrogates parse");
	is_mem(ev.text.ptr, ev.text.len, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd",
	       "lenient-6.2 and become U+FFFD");
	is_int(RECORD("{\"te\\u0078t\":\"escaped key\"}"), 0, "lenient-6.3 an escaped key");
	is_mem(ev.text.ptr, ev.text.len, "escaped key", "lenient-6.4 is the same key");
#undef RECORD
	/* The ids a post is made of must follow their syntax. */
	is_int(parse(&ev, "{\"did\":\"did:plc:a/b\",\"time_us\":1,\"kind\":\"commit\",\"commit\":{"
		   "\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"k\","
		   "\"record\":{\"text\":\"x\"}}}", &err), 0, "ids-1.1 a DID with '/' parses");
	is_int(bluesky_event_post(&ev, &p, &err), HORCH_EINVAL, "ids-1.2 but builds no post");
	ok(strstr(err.msg, "did") != NULL, "ids-1.3 the error names the did");
	is_int(parse(&ev, "{\"did\":\"did:plc:a\",\"time_us\":1,\"kind\":\"commit\",\"commit\":{"
		   "\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"..\","
		   "\"record\":{\"text\":\"x\"}}}", &err), 0, "ids-2.1 an rkey \"..\" parses");
	is_int(bluesky_event_post(&ev, &p, &err), HORCH_EINVAL, "ids-2.2 but builds no post");
	is_int(parse(&ev, "{\"did\":\"did:web:example.com\",\"time_us\":1,\"kind\":\"commit\","
		   "\"commit\":{\"operation\":\"create\",\"collection\":\"app.bsky.feed.post\","
		   "\"rkey\":\"self:x~y\",\"record\":{\"text\":\"x\"}}}", &err), 0,
	       "ids-3.1 did:web and an rkey with ':' and '~'");
	is_int(bluesky_event_post(&ev, &p, &err), 0, "ids-3.2 build a post");
	post_cleanup(&p);
	bluesky_event_cleanup(&ev);
}

/* ---- the fake server (tests/tools/jetstream_server) ---- */

/* The generator of the fake server, as its header documents it. */
#define BASE_US INT64_C(1725911162329308)

static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static uint64_t event_rng(long i, int salt)
{
	return mix(mix(1) ^ mix((uint64_t)i * 8 + (uint64_t)salt));
}

static int gen_is_post(long i)
{
	return event_rng(i, 0) % 100 < 65;
}

static int gen_is_like(long i)
{
	unsigned r = (unsigned)(event_rng(i, 0) % 100);

	return r >= 75 && r < 87;
}

static int gen_is_korvo(long i)
{
	unsigned t = (unsigned)(event_rng(i, 2) % 12);

	return t == 0 || t == 1 || t == 4 || t == 8;
}

/* ---- runs ---- */

#define MAX_SEEN 20000

/* What the hooks saw: a model of the store, where emitted posts become
 * stored only with the commit that covers them. */
struct seen {
	long emitted;                 /* emit calls */
	long pending[MAX_SEEN];       /* event indices emitted since the last commit */
	long n_pending;
	unsigned char stored[MAX_SEEN]; /* times each index was stored */
	long n_stored;
	char cursor[64];              /* the last committed */
	long commits;
	long wanted_calls;
	int bad_post;                 /* a post that did not look as it must */
	char bad_why[200];
	int stop_after;               /* emit says stop after this many; 0: never */
};

/* The event index of a post of the fake server: its text ends in " #I". */
static long post_index(const struct post *p)
{
	const char *h = p->text ? strrchr(p->text, '#') : NULL;

	return h ? atol(h + 1) : -1;
}

static int on_emit(void *ctx, struct post *p)
{
	struct seen *s = ctx;
	long i = post_index(p);
	char want_id[128];
	int64_t want_created = (BASE_US + (int64_t)i * 1000 - 1500) / 1000;

	s->emitted++;
	if (i < 0 || i >= MAX_SEEN || !gen_is_post(i)) {
		s->bad_post = 1;
		snprintf(s->bad_why, sizeof s->bad_why, "post %ld is not a post creation", i);
	} else {
		snprintf(want_id, sizeof want_id, "at://%s/app.bsky.feed.post/", p->author);
		if (strcmp(p->source, "bluesky") != 0 ||
		    strncmp(p->external_id, want_id, strlen(want_id)) != 0 ||
		    p->created_at != want_created || p->fetched_at == HORCH_TIME_NONE ||
		    !p->lang || !p->url || strncmp(p->url, "https://bsky.app/profile/did:plc:", 33) ||
		    (p->kind == POST_KIND_REPLY) != (p->parent != NULL)) {
			s->bad_post = 1;
			snprintf(s->bad_why, sizeof s->bad_why, "post %ld: %s created %" PRId64, i,
				 p->external_id, p->created_at);
		}
		if (s->n_pending < MAX_SEEN)
			s->pending[s->n_pending++] = i;
	}
	post_free(p);
	if (s->stop_after && s->emitted >= s->stop_after)
		return HORCH_ESTOP;
	return 0;
}

static int on_commit(void *ctx, const char *cursor)
{
	struct seen *s = ctx;

	for (long k = 0; k < s->n_pending; k++) {
		if (s->stored[s->pending[k]]++ == 0)
			s->n_stored++;
	}
	s->n_pending = 0;
	snprintf(s->cursor, sizeof s->cursor, "%s", cursor);
	s->commits++;
	return 0;
}

static int on_wanted(void *ctx, const char *text, size_t len)
{
	struct seen *s = ctx;

	s->wanted_calls++;
	for (size_t i = 0; i + 5 <= len; i++)
		if (strncasecmp(text + i, "korvo", 5) == 0)
			return 1;
	return 0;
}

/* A source of kind bluesky on the fake server, with settings k=v. */
static void make_conf(struct source_conf *c, int port, const char *const *settings)
{
	char url[128];

	snprintf(url, sizeof url, "ws://127.0.0.1:%d/subscribe", port);
	harness_conf(c, "bsky-test", "bluesky", url, settings);
}

/* Expected post indices of n events, less the skipped list (ending -1). */
static long expect_posts(long n, const long *skip, int korvo_only)
{
	long count = 0;

	for (long i = 0; i < n; i++) {
		int skipped = 0;

		for (const long *k = skip; k && *k >= 0; k++)
			skipped |= *k == i;
		if (gen_is_post(i) && !skipped && (!korvo_only || gen_is_korvo(i)))
			count++;
	}
	return count;
}

/* The time_us of the last event of n that a subscriber of posts gets. */
static int64_t last_time(long n)
{
	long i = n - 1;

	while (i > 0 && gen_is_like(i))
		i--;
	return BASE_US + (int64_t)i * 1000;
}

/* Every expected index stored exactly n times at least once: no gap. */
static int no_gap(const struct seen *s, long n, const long *skip, int korvo_only)
{
	for (long i = 0; i < n; i++) {
		int skipped = 0, want;

		for (const long *k = skip; k && *k >= 0; k++)
			skipped |= *k == i;
		want = gen_is_post(i) && !skipped && (!korvo_only || gen_is_korvo(i));
		if (want != (s->stored[i] > 0)) {
			diag("  event %ld: stored %d times, wanted %d", i, s->stored[i], want);
			return 0;
		}
	}
	return 1;
}

static void test_run_stream(void)
{
	static const char *const args[] = { "--posts", "500", "--close-at-end", NULL };
	static const char *const set_none[] = { "filter", "none", NULL };
	static const char *const set_topics[] = { "filter", "topics", NULL };
	struct source_hooks hooks = { on_emit, on_commit, on_wanted, NULL, NULL };
	struct fake srv;
	struct source_conf c;
	struct source_run *r;
	struct horch_err err;
	static struct seen s;
	char want[32];

	if (fake_start(&srv, args)) {
		tap_skip(12, "no jetstream_server");
		return;
	}
	memset(&s, 0, sizeof s);
	hooks.ctx = &s;
	make_conf(&c, srv.port, set_none);
	r = source_run_new(&c, NULL, &hooks);
	is_int(source_run_once(r, &err), 0, "run-1.1 a whole stream ends with 0");
	ok(!s.bad_post, "run-1.2 every post as the server made it");
	if (s.bad_post)
		diag("  %s", s.bad_why);
	is_int(s.emitted, expect_posts(500, NULL, 0), "run-1.3 every post creation emitted");
	is_int(s.n_stored, expect_posts(500, NULL, 0), "run-1.4 and committed");
	ok(no_gap(&s, 500, NULL, 0), "run-1.5 no gap, nothing else");
	snprintf(want, sizeof want, "%" PRId64, last_time(500));
	is_str(s.cursor, want, "run-1.6 the cursor is the time_us of the last message");
	is_str(source_run_cursor(r), want, "run-1.7 and the run's cursor");
	is_int(s.wanted_calls, 0, "run-1.8 filter none asks no topic");
	source_run_free(r);
	source_conf_cleanup(&c);

	memset(&s, 0, sizeof s);
	make_conf(&c, srv.port, set_topics);
	r = source_run_new(&c, NULL, &hooks);
	is_int(source_run_once(r, &err), 0, "run-2.1 a filtered stream ends with 0");
	is_int(s.emitted, expect_posts(500, NULL, 1), "run-2.2 only posts some topic could match");
	ok(no_gap(&s, 500, NULL, 1) && !s.bad_post, "run-2.3 exactly those");
	is_int(s.wanted_calls, expect_posts(500, NULL, 0),
	       "run-2.4 the filter saw every post creation, nothing else");
	snprintf(want, sizeof want, "%" PRId64, last_time(500));
	is_str(s.cursor, want, "run-2.5 the cursor passes the posts filtered out");
	source_run_free(r);
	source_conf_cleanup(&c);
	fake_stop(&srv);
}

static void test_run_resume(void)
{
	static const char *const args[] = { "--posts", "400", "--close-at-end", "--drop-after",
					     "37", NULL };
	static const char *const slow[] = { "--posts", "400", "--close-at-end", "--rate", "400",
					    NULL };
	static const char *const set_none[] = { "filter", "none", NULL };
	struct source_hooks hooks = { on_emit, on_commit, NULL, NULL, NULL };
	struct fake srv;
	struct source_conf c;
	struct horch_err err;
	static struct seen s;
	int runs = 0, rc = 0, dups = 0;
	char cursor[64] = "";

	if (fake_start(&srv, args)) {
		tap_skip(4, "no jetstream_server");
		return;
	}
	memset(&s, 0, sizeof s);
	hooks.ctx = &s;
	make_conf(&c, srv.port, set_none);
	/* Each connection is dropped after 37 messages; each run resumes from
	 * the cursor the previous one committed, as the runner does. */
	while (runs < 100) {
		struct source_run *r = source_run_new(&c, cursor, &hooks);

		rc = source_run_once(r, &err);
		runs++;
		snprintf(cursor, sizeof cursor, "%s", source_run_cursor(r));
		source_run_free(r);
		if (rc || strcmp(cursor, "") == 0 ||
		    strtoll(cursor, NULL, 10) >= last_time(400))
			break;
	}
	is_int(rc, 0, "resume-1.1 every dropped connection ends with 0");
	ok(runs >= 5 && runs < 100, "resume-1.2 it took many connections (%d)", runs);
	ok(no_gap(&s, 400, NULL, 0) && !s.bad_post, "resume-1.3 every post stored: no gap");
	for (long i = 0; i < 400; i++)
		dups += s.stored[i] > 1 ? s.stored[i] - 1 : 0;
	ok(dups <= runs, "resume-1.4 at most one repeat per reconnect (%d in %d)", dups, runs);
	source_conf_cleanup(&c);
	fake_stop(&srv);

	/* A stop in the middle of a stream: what was emitted but not
	 * committed is lost (as in a crash), and the next run re-reads it. */
	if (fake_start(&srv, slow)) {
		tap_skip(3, "no jetstream_server");
		return;
	}
	memset(&s, 0, sizeof s);
	s.stop_after = 60;
	make_conf(&c, srv.port, set_none);
	{
		struct source_run *r = source_run_new(&c, NULL, &hooks);

		rc = source_run_once(r, &err);
		snprintf(cursor, sizeof cursor, "%s", source_run_cursor(r));
		source_run_free(r);
	}
	is_int(rc, HORCH_ESTOP, "resume-2.1 emit saying stop ends the run with HORCH_ESTOP");
	ok(s.n_pending > 0 || s.commits > 0, "resume-2.2 posts were emitted (%ld pending)",
	   s.n_pending);
	s.n_pending = 0;   /* the crash: posts not covered by a commit are gone */
	s.stop_after = 0;
	{
		struct source_run *r = source_run_new(&c, cursor, &hooks);

		rc = source_run_once(r, &err);
		source_run_free(r);
	}
	ok(rc == 0 && no_gap(&s, 400, NULL, 0), "resume-2.3 the next run fills in the rest");
	source_conf_cleanup(&c);
	fake_stop(&srv);
}

struct stopper {
	struct source_run *r;
	int delay_ms;
};

static void *stop_later(void *arg)
{
	struct stopper *st = arg;

	usleep((useconds_t)st->delay_ms * 1000);
	source_run_stop(st->r);
	return NULL;
}

static void test_run_stop(void)
{
	static const char *const args[] = { "--posts", "100000", "--rate", "100", NULL };
	static const char *const set_none[] = { "filter", "none", NULL };
	struct source_hooks hooks = { on_emit, on_commit, NULL, NULL, NULL };
	struct fake srv;
	struct source_conf c;
	struct horch_err err;
	struct stopper st;
	static struct seen s;
	pthread_t t;
	int64_t t0, ms;
	int rc;

	if (fake_start(&srv, args)) {
		tap_skip(3, "no jetstream_server");
		return;
	}
	memset(&s, 0, sizeof s);
	hooks.ctx = &s;
	make_conf(&c, srv.port, set_none);
	st.r = source_run_new(&c, NULL, &hooks);
	st.delay_ms = 1500;
	pthread_create(&t, NULL, stop_later, &st);
	t0 = horch_mono_ns();
	rc = source_run_once(st.r, &err);
	ms = (horch_mono_ns() - t0) / 1000000;
	pthread_join(t, NULL);
	is_int(rc, HORCH_ESTOP, "stop-1.1 a stop from another thread ends the stream");
	ok(ms >= 1400 && ms < 2500, "stop-1.2 within a second of the stop (%" PRId64 " ms)", ms);
	ok(s.emitted > 10 && s.commits >= 1, "stop-1.3 it was streaming (%ld posts, %ld commits)",
	   s.emitted, s.commits);
	source_run_free(st.r);
	source_conf_cleanup(&c);
	fake_stop(&srv);
}

static void test_run_faults(void)
{
	static const char *const set_none[] = { "filter", "none", "timeout", "1",
						"idle_timeout", "1", NULL };
	struct source_hooks hooks = { on_emit, on_commit, NULL, NULL, NULL };
	struct fake srv;
	struct source_conf c;
	struct source_run *r;
	struct horch_err err;
	static struct seen s;
	int64_t t0, ms;
	int rc;

	hooks.ctx = &s;
	/* A server that accepts the connection and never answers. */
	{
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t alen = sizeof a;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		bind(fd, (struct sockaddr *)&a, sizeof a);
		listen(fd, 4);
		getsockname(fd, (struct sockaddr *)&a, &alen);
		memset(&s, 0, sizeof s);
		make_conf(&c, ntohs(a.sin_port), set_none);
		r = source_run_new(&c, NULL, &hooks);
		t0 = horch_mono_ns();
		rc = source_run_once(r, &err);
		ms = (horch_mono_ns() - t0) / 1000000;
		is_int(rc, HORCH_EIO, "faults-1.1 a server that never answers: HORCH_EIO");
		ok(ms < 3000, "faults-1.2 after the connect timeout (%" PRId64 " ms)", ms);
		ok(strstr(err.msg, "127.0.0.1") != NULL, "faults-1.3 the error names the host: %s",
		   err.msg);
		source_run_free(r);
		source_conf_cleanup(&c);
		close(fd);
		/* The port is closed now: refused at once. */
		make_conf(&c, ntohs(a.sin_port), set_none);
		r = source_run_new(&c, NULL, &hooks);
		is_int(source_run_once(r, &err), HORCH_EIO, "faults-1.4 a closed port: HORCH_EIO");
		source_run_free(r);
		source_conf_cleanup(&c);
	}
	/* A server that stalls after 50 messages: no messages, no pongs. */
	{
		static const char *const args[] = { "--posts", "300", "--stall-after", "50",
						     "--stall-secs", "3", NULL };
		char want[32];
		long last = -1, sent = 0;

		if (fake_start(&srv, args)) {
			tap_skip(3, "no jetstream_server");
		} else {
			memset(&s, 0, sizeof s);
			make_conf(&c, srv.port, set_none);
			r = source_run_new(&c, NULL, &hooks);
			t0 = horch_mono_ns();
			rc = source_run_once(r, &err);
			ms = (horch_mono_ns() - t0) / 1000000;
			is_int(rc, HORCH_EIO, "faults-2.1 a stalled stream: HORCH_EIO");
			ok(strstr(err.msg, "no message for 1 s") != NULL && ms < 2900,
			   "faults-2.2 after the idle timeout (%" PRId64 " ms): %s", ms, err.msg);
			for (long i = 0; i < 300 && sent < 50; i++)
				if (!gen_is_like(i)) {
					sent++;
					last = i;
				}
			snprintf(want, sizeof want, "%" PRId64, BASE_US + (int64_t)last * 1000);
			is_str(source_run_cursor(r), want,
			       "faults-2.3 the 50 messages before the stall are committed");
			source_run_free(r);
			source_conf_cleanup(&c);
			fake_stop(&srv);
		}
	}
	/* Malformed and oversized messages are skipped with a warning. */
	{
		static char bad1[24], bad2[24];
		static const char *const args[] = { "--posts", "200", "--close-at-end",
						     "--malformed", bad1, "--oversize", bad2, NULL };
		long skip[] = { 10, 20, -1 };

		/* The first post creations from event 10 and 20 on. */
		while (!gen_is_post(skip[0]))
			skip[0]++;
		while (!gen_is_post(skip[1]))
			skip[1]++;
		snprintf(bad1, sizeof bad1, "%ld", skip[0]);
		snprintf(bad2, sizeof bad2, "%ld", skip[1]);
		if (fake_start(&srv, args)) {
			tap_skip(4, "no jetstream_server");
		} else {
			memset(&s, 0, sizeof s);
			make_conf(&c, srv.port, set_none);
			r = source_run_new(&c, NULL, &hooks);
			is_int(source_run_once(r, &err), 0,
			       "faults-3.1 a stream with bad messages ends with 0");
			ok(s.emitted == expect_posts(200, skip, 0),
			   "faults-3.2 all but the bad ones emitted");
			ok(no_gap(&s, 200, skip, 0), "faults-3.3 every other post stored");
			ok(strstr(source_run_warning(r), "skipped") != NULL,
			   "faults-3.4 a warning says so: %s", source_run_warning(r));
			source_run_free(r);
			source_conf_cleanup(&c);
			fake_stop(&srv);
		}
	}
	/* 429 and 503 on the upgrade. */
	{
		static const char *const args[] = { "--posts", "50", "--close-at-end", "--refuse",
						     "1:429", NULL };
		static const char *const args503[] = { "--posts", "50", "--close-at-end",
							"--refuse", "1:503", NULL };

		if (fake_start(&srv, args)) {
			tap_skip(4, "no jetstream_server");
		} else {
			memset(&s, 0, sizeof s);
			make_conf(&c, srv.port, set_none);
			r = source_run_new(&c, NULL, &hooks);
			is_int(source_run_once(r, &err), HORCH_ELIMIT, "faults-4.1 429: HORCH_ELIMIT");
			is_int(source_run_retry(r), 2, "faults-4.2 with the Retry-After seconds");
			is_int(source_run_once(r, &err), 0, "faults-4.3 the next connection works");
			source_run_free(r);
			source_conf_cleanup(&c);
			fake_stop(&srv);
		}
		if (fake_start(&srv, args503) == 0) {
			make_conf(&c, srv.port, set_none);
			r = source_run_new(&c, NULL, &hooks);
			is_int(source_run_once(r, &err), HORCH_ELIMIT,
			       "faults-4.4 503 with Retry-After: HORCH_ELIMIT");
			source_run_free(r);
			source_conf_cleanup(&c);
			fake_stop(&srv);
		}
	}
	/* A cursor older than the server's history: a gap, warned about. */
	{
		static const char *const args[] = { "--posts", "50", "--close-at-end", NULL };
		char old[32];

		if (fake_start(&srv, args) == 0) {
			memset(&s, 0, sizeof s);
			make_conf(&c, srv.port, set_none);
			snprintf(old, sizeof old, "%" PRId64, BASE_US - INT64_C(86400000000));
			r = source_run_new(&c, old, &hooks);
			is_int(source_run_once(r, &err), 0, "faults-5.1 an old cursor streams");
			ok(strstr(source_run_warning(r), "gap") != NULL,
			   "faults-5.2 and warns of the gap: %s", source_run_warning(r));
			source_run_free(r);
			/* A cursor that is not a time_us starts from now (here: the start). */
			memset(&s, 0, sizeof s);
			r = source_run_new(&c, "{\"x\":1}", &hooks);
			is_int(source_run_once(r, &err), 0, "faults-5.3 a foreign cursor streams");
			ok(strstr(source_run_warning(r), "not a time_us") != NULL,
			   "faults-5.4 and says so");
			source_run_free(r);
			source_conf_cleanup(&c);
			fake_stop(&srv);
		}
	}
}

static void test_check(void)
{
	const struct connector *k = connector_find("bluesky");
	struct source_conf c;
	struct horch_err err;
	struct {
		const char *url, *key, *value;
		int rc;
		const char *name;
	} cases[] = {
		{ NULL, NULL, NULL, 0, "check-1.1 the defaults" },
		{ "wss://jetstream1.us-west.bsky.network/subscribe", "collections",
		  "app.bsky.feed.post, app.bsky.graph.*", 0, "check-1.2 a prefix collection" },
		{ "ws://[::1]:6008/subscribe", "dids", "did:plc:abc,did:web:example.com", 0,
		  "check-1.3 IPv6 and dids" },
		{ "https://example.com/", NULL, NULL, HORCH_EINVAL, "check-2.1 not ws://" },
		{ "ws://:80/", NULL, NULL, HORCH_EINVAL, "check-2.2 no host" },
		{ "ws://h:99999/", NULL, NULL, HORCH_EINVAL, "check-2.3 a bad port" },
		{ NULL, "filter", "some", HORCH_EINVAL, "check-2.4 a bad filter" },
		{ NULL, "collections", "app bsky", HORCH_EINVAL, "check-2.5 a bad collection" },
		{ NULL, "dids", "did:plc:a,bob", HORCH_EINVAL, "check-2.6 a bad DID" },
		{ NULL, "timeout", "0", HORCH_EINVAL, "check-2.7 a zero timeout" },
		{ NULL, "idle_timeout", "ten", HORCH_EINVAL, "check-2.8 a bad idle timeout" },
	};

	ok(k && k->streams && k->streams(NULL) == 1, "check-0.1 bluesky is a streaming kind");
	ok(k && k->default_url && strncmp(k->default_url, "wss://", 6) == 0,
	   "check-0.2 the default URL is Jetstream's");
	if (!k)
		return;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		source_conf_init(&c);
		c.kind = horch_xstrdup("bluesky");
		c.url = horch_xstrdup(cases[i].url);
		if (cases[i].key)
			source_param_set(&c, cases[i].key, cases[i].value, &err);
		horch_err_clear(&err);
		is_int(k->check(&c, &err), cases[i].rc, "%s", cases[i].name);
		source_conf_cleanup(&c);
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	horch_log_level = LOG_ERROR;
	test_parse_post();
	test_parse_kinds();
	test_parse_errors();
	test_parse_lenient();
	test_check();
	if (fake_find("jetstream_server", "JETSTREAM_SERVER") != 0) {
		tap_skip(1, "jetstream_server not built");
		return tap_done();
	}
	test_run_stream();
	test_run_resume();
	test_run_stop();
	test_run_faults();
	return tap_done();
}
