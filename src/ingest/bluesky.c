/* bluesky.c - the Bluesky connector: a client of Jetstream, the JSON
 * firehose of the AT Protocol network, over a WebSocket (libwebsockets).
 *
 * One run is one connection: connect to URL?wantedCollections=...&cursor=T,
 * read messages until the server closes the stream, the stream falls idle,
 * an error, or the run is asked to stop; the runner reconnects with
 * back-off.  Each message is parsed (bluesky_parse(), below, a strict JSON
 * scanner that allocates nothing), and only the creation of a post whose
 * text some topic could match (source_wanted()) is built into a struct post
 * and emitted: the firehose carries far more than any company's topics
 * need, and this is its hot path.
 *
 * The cursor is the time_us of the last message handled (emitted or
 * skipped), as decimal text, committed every BLUESKY_COMMIT_EVERY messages
 * or every second, whichever comes first, and when the stream ends.  On
 * (re)connect the connector asks Jetstream to replay from that time_us:
 * the message at exactly that time is seen twice, and the store keeps it
 * once ((source, external_id) is unique), so that nothing is skipped.
 * Jetstream keeps about a day of history; a cursor older than that
 * resumes with a gap, which the connector reports with source_warn().
 *
 * The parser is a pure function of the bytes (bluesky.h); the rest of the
 * file is the WebSocket client.  Threads: one run belongs to the thread
 * that runs it; source_run_stop() from another thread is seen by a timer
 * of the connection's event loop within BLUESKY_TICK_MS. */
#include "bluesky.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "connector.h"

/* ---- the message parser ---- */

/* The state of one scan over one message. */
struct scan {
	const char *s;            /* the message */
	size_t len;               /* its length */
	size_t pos;               /* the next byte to read */
	int depth;                /* arrays and objects open */
	struct bluesky_event *ev; /* where decoded strings go (ev->scratch) */
	struct horch_err *err;
};

/* Fail the scan at the current byte with a message. */
__attribute__((format(printf, 2, 3)))
static int scan_fail(struct scan *sc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return horch_err_at(sc->err, HORCH_EPARSE, 0, (long)sc->pos + 1, "byte %zu: %s",
			    sc->pos + 1, msg);
}

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

/* The next byte after blanks, or -1 at the end. */
static int peek(struct scan *sc)
{
	skip_ws(sc);
	return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

/* Consume the byte c (after blanks), or fail naming what was expected. */
static int expect(struct scan *sc, char c)
{
	if (peek(sc) != (unsigned char)c)
		return scan_fail(sc, sc->pos < sc->len ? "expected '%c'" : "expected '%c', "
				 "found the end", c);
	sc->pos++;
	return 0;
}

/* The length of the valid UTF-8 sequence of two or more bytes at p (n
 * bytes available), or 0 when there is none: no overlongs, no surrogates,
 * nothing above U+10FFFF (RFC 3629). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];

	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;

		return n >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;

		return n >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
		       (p[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode the escapes of the valid JSON string body raw[0..n) into the
 * event's scratch (which has room: a decoded string is never longer than
 * its raw form) and point out at it.  \u0000 and lone surrogates become
 * U+FFFD, so that the text is valid UTF-8 without NULs. */
static void decode_string(struct bluesky_event *ev, const char *raw, size_t n,
			  struct bluesky_str *out)
{
	char *start = ev->scratch.ptr + ev->scratch.len, *o = start;

	for (size_t i = 0; i < n;) {
		unsigned cp, lo;

		if (raw[i] != '\\') {
			*o++ = raw[i++];
			continue;
		}
		switch (raw[i + 1]) {
		case 'b': *o++ = '\b'; i += 2; continue;
		case 'f': *o++ = '\f'; i += 2; continue;
		case 'n': *o++ = '\n'; i += 2; continue;
		case 'r': *o++ = '\r'; i += 2; continue;
		case 't': *o++ = '\t'; i += 2; continue;
		case 'u': break;
		default: *o++ = raw[i + 1]; i += 2; continue;
		}
		hex4(raw + i + 2, &cp);
		i += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && raw[i] == '\\' &&
		    raw[i + 1] == 'u' && hex4(raw + i + 2, &lo) == 0 && lo >= 0xDC00 &&
		    lo <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			i += 6;
		} else if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			cp = 0xFFFD;
		}
		o += put_utf8(o, cp);
	}
	out->ptr = start;
	out->len = (size_t)(o - start);
	ev->scratch.len += out->len;
}

/* Read a JSON string at the current byte (after blanks).  When out is not
 * NULL it receives the string's text: a slice of the message when it has
 * no escapes, else its decoded form in scratch.  Returns 0 or
 * HORCH_EPARSE (not a string, a control character, a bad escape, invalid
 * UTF-8, no closing quote). */
static int scan_string(struct scan *sc, struct bluesky_str *out)
{
	const unsigned char *s = (const unsigned char *)sc->s;
	size_t start;
	int escaped = 0;

	if (peek(sc) != '"')
		return scan_fail(sc, "expected a string");
	start = ++sc->pos;
	while (sc->pos < sc->len) {
		unsigned c = s[sc->pos];

		if (c == '"') {
			if (out) {
				if (escaped) {
					decode_string(sc->ev, sc->s + start, sc->pos - start, out);
				} else {
					out->ptr = sc->s + start;
					out->len = sc->pos - start;
				}
			}
			sc->pos++;
			return 0;
		}
		if (c == '\\') {
			unsigned cp;

			if (sc->pos + 1 >= sc->len)
				break;
			escaped = 1;
			switch (s[sc->pos + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r':
			case 't':
				sc->pos += 2;
				continue;
			case 'u':
				if (sc->pos + 6 > sc->len || hex4(sc->s + sc->pos + 2, &cp))
					return scan_fail(sc, "bad \\u escape");
				sc->pos += 6;
				continue;
			default:
				return scan_fail(sc, "bad escape");
			}
		}
		if (c < 0x20)
			return scan_fail(sc, "control character in a string");
		if (c < 0x80) {
			sc->pos++;
			continue;
		}
		{
			size_t k = utf8_seq(s + sc->pos, sc->len - sc->pos);

			if (!k)
				return scan_fail(sc, "invalid UTF-8 in a string");
			sc->pos += k;
		}
	}
	return scan_fail(sc, "unterminated string");
}

/* Read a JSON number; when out is not NULL the number must be an integer
 * >= 0 that fits in int64_t, stored in *out.  name names the field in an
 * error. */
static int scan_number(struct scan *sc, int64_t *out, const char *name)
{
	const char *s = sc->s;
	size_t start, i;
	int is_int = 1;

	peek(sc);
	start = i = sc->pos;
	if (i < sc->len && s[i] == '-') {
		i++;
		is_int = 0;
	}
	if (i < sc->len && s[i] == '0') {
		i++;
	} else if (i < sc->len && s[i] >= '1' && s[i] <= '9') {
		while (i < sc->len && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		sc->pos = i;
		return scan_fail(sc, "bad number");
	}
	if (i < sc->len && s[i] == '.') {
		is_int = 0;
		i++;
		if (i >= sc->len || s[i] < '0' || s[i] > '9') {
			sc->pos = i;
			return scan_fail(sc, "bad number");
		}
		while (i < sc->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < sc->len && (s[i] == 'e' || s[i] == 'E')) {
		is_int = 0;
		i++;
		if (i < sc->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= sc->len || s[i] < '0' || s[i] > '9') {
			sc->pos = i;
			return scan_fail(sc, "bad number");
		}
		while (i < sc->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (out) {
		int64_t v = 0;

		if (!is_int)
			return scan_fail(sc, "%s is not an integer >= 0", name);
		for (size_t k = start; k < i; k++) {
			int d = s[k] - '0';

			if (v > (INT64_MAX - d) / 10)
				return scan_fail(sc, "%s is too large", name);
			v = v * 10 + d;
		}
		*out = v;
	}
	sc->pos = i;
	return 0;
}

static int scan_literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);

	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return scan_fail(sc, "unexpected character");
	sc->pos += n;
	return 0;
}

static int scan_value(struct scan *sc);

/* Skip an array or object (the opening byte is next), checking it. */
static int scan_container(struct scan *sc)
{
	char close = sc->s[sc->pos] == '{' ? '}' : ']';
	int rc;

	if (++sc->depth > BLUESKY_DEPTH_MAX)
		return scan_fail(sc, "nesting deeper than %d", BLUESKY_DEPTH_MAX);
	sc->pos++;
	if (peek(sc) == (unsigned char)close) {
		sc->pos++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if ((rc = scan_string(sc, NULL)) || (rc = expect(sc, ':')))
				return rc;
		}
		if ((rc = scan_value(sc)))
			return rc;
		if (peek(sc) == ',') {
			sc->pos++;
			continue;
		}
		if ((rc = expect(sc, close)))
			return rc;
		sc->depth--;
		return 0;
	}
}

/* Skip any JSON value, checking it. */
static int scan_value(struct scan *sc)
{
	switch (peek(sc)) {
	case '{': case '[': return scan_container(sc);
	case '"': return scan_string(sc, NULL);
	case 't': return scan_literal(sc, "true");
	case 'f': return scan_literal(sc, "false");
	case 'n': return scan_literal(sc, "null");
	case -1: return scan_fail(sc, "expected a value, found the end");
	default: return scan_number(sc, NULL, NULL);
	}
}

/* Walk an object: open it (when *first), then return 1 with the next key
 * in *key and the scan at its value, 0 at the closing brace, or an error.
 * The caller reads or skips each value before asking for the next key. */
static int next_key(struct scan *sc, int *first, struct bluesky_str *key)
{
	int rc;

	if (*first) {
		if ((rc = expect(sc, '{')))
			return rc;
		if (++sc->depth > BLUESKY_DEPTH_MAX)
			return scan_fail(sc, "nesting deeper than %d", BLUESKY_DEPTH_MAX);
		*first = 0;
		if (peek(sc) == '}') {
			sc->pos++;
			sc->depth--;
			return 0;
		}
	} else {
		if (peek(sc) == '}') {
			sc->pos++;
			sc->depth--;
			return 0;
		}
		if ((rc = expect(sc, ',')))
			return rc;
	}
	if ((rc = scan_string(sc, key)) || (rc = expect(sc, ':')))
		return rc;
	return 1;
}

static int key_is(const struct bluesky_str *key, const char *name)
{
	size_t n = strlen(name);

	return key->len == n && memcmp(key->ptr, name, n) == 0;
}

/* A record field read leniently: a string into *out; null leaves it
 * absent; another type is skipped and named in ev->bad. */
static int record_string(struct scan *sc, struct bluesky_str *out, const char *name)
{
	int c = peek(sc);

	if (c == '"')
		return scan_string(sc, out);
	if (c != 'n' && !sc->ev->bad)
		sc->ev->bad = name;
	return scan_value(sc);
}

/* A strong reference {"uri": ..., "cid": ...}: its uri into *uri. */
static int scan_ref(struct scan *sc, struct bluesky_str *uri, const char *name)
{
	struct bluesky_str key;
	int first = 1, rc;

	if (peek(sc) != '{') {
		if (peek(sc) != 'n' && !sc->ev->bad)
			sc->ev->bad = name;
		return scan_value(sc);
	}
	while ((rc = next_key(sc, &first, &key)) == 1) {
		rc = key_is(&key, "uri") ? record_string(sc, uri, name) : scan_value(sc);
		if (rc)
			return rc;
	}
	return rc;
}

static int scan_reply(struct scan *sc)
{
	struct bluesky_event *ev = sc->ev;
	struct bluesky_str key;
	int first = 1, rc, c = peek(sc);

	if (c != '{') {
		if (c != 'n' && !ev->bad)
			ev->bad = "commit.record.reply";
		return scan_value(sc);
	}
	while ((rc = next_key(sc, &first, &key)) == 1) {
		if (key_is(&key, "parent"))
			rc = scan_ref(sc, &ev->parent, "commit.record.reply.parent.uri");
		else if (key_is(&key, "root"))
			rc = scan_ref(sc, &ev->root, "commit.record.reply.root.uri");
		else
			rc = scan_value(sc);
		if (rc)
			return rc;
	}
	/* A reply must name its parent: an empty one is as bad as a wrong type. */
	if (rc == 0 && !ev->parent.ptr && !ev->bad)
		ev->bad = "commit.record.reply.parent.uri";
	return rc;
}

/* langs: an array of language tags; the first one is kept. */
static int scan_langs(struct scan *sc)
{
	struct bluesky_event *ev = sc->ev;
	int rc, c = peek(sc);

	if (c != '[') {
		if (c != 'n' && !ev->bad)
			ev->bad = "commit.record.langs";
		return scan_value(sc);
	}
	if (++sc->depth > BLUESKY_DEPTH_MAX)
		return scan_fail(sc, "nesting deeper than %d", BLUESKY_DEPTH_MAX);
	sc->pos++;
	if (peek(sc) == ']') {
		sc->pos++;
		sc->depth--;
		return 0;
	}
	for (int i = 0;; i++) {
		if (i == 0)
			rc = record_string(sc, &ev->lang, "commit.record.langs");
		else
			rc = scan_value(sc);
		if (rc)
			return rc;
		if (peek(sc) == ',') {
			sc->pos++;
			continue;
		}
		if ((rc = expect(sc, ']')))
			return rc;
		sc->depth--;
		return 0;
	}
}

static int scan_record(struct scan *sc)
{
	struct bluesky_event *ev = sc->ev;
	struct bluesky_str key;
	int first = 1, rc, c = peek(sc);

	if (c != '{') {
		if (c == 'n')
			return scan_value(sc);
		return scan_fail(sc, "commit.record is not an object");
	}
	ev->has_record = 1;
	while ((rc = next_key(sc, &first, &key)) == 1) {
		if (key_is(&key, "$type"))
			rc = record_string(sc, &ev->type, "commit.record.$type");
		else if (key_is(&key, "text"))
			rc = record_string(sc, &ev->text, "commit.record.text");
		else if (key_is(&key, "createdAt"))
			rc = record_string(sc, &ev->created_at, "commit.record.createdAt");
		else if (key_is(&key, "langs"))
			rc = scan_langs(sc);
		else if (key_is(&key, "reply"))
			rc = scan_reply(sc);
		else
			rc = scan_value(sc);
		if (rc)
			return rc;
	}
	return rc;
}

/* A required string of the message: a string, else an error naming it. */
static int need_string(struct scan *sc, struct bluesky_str *out, const char *name)
{
	if (peek(sc) != '"')
		return scan_fail(sc, "%s is not a string", name);
	return scan_string(sc, out);
}

static int scan_commit(struct scan *sc)
{
	struct bluesky_event *ev = sc->ev;
	struct bluesky_str key, op = { NULL, 0 };
	int first = 1, rc;

	if (peek(sc) != '{')
		return scan_fail(sc, "commit is not an object");
	while ((rc = next_key(sc, &first, &key)) == 1) {
		if (key_is(&key, "operation"))
			rc = need_string(sc, &op, "commit.operation");
		else if (key_is(&key, "collection"))
			rc = need_string(sc, &ev->collection, "commit.collection");
		else if (key_is(&key, "rkey"))
			rc = need_string(sc, &ev->rkey, "commit.rkey");
		else if (key_is(&key, "record"))
			rc = scan_record(sc);
		else
			rc = scan_value(sc);
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if (!op.ptr)
		return horch_err_set(sc->err, HORCH_EPARSE, "commit.operation missing");
	if (!ev->collection.ptr)
		return horch_err_set(sc->err, HORCH_EPARSE, "commit.collection missing");
	if (!ev->rkey.ptr)
		return horch_err_set(sc->err, HORCH_EPARSE, "commit.rkey missing");
	if (key_is(&op, "create"))
		ev->op = BLUESKY_OP_CREATE;
	else if (key_is(&op, "update"))
		ev->op = BLUESKY_OP_UPDATE;
	else if (key_is(&op, "delete"))
		ev->op = BLUESKY_OP_DELETE;
	return 0;
}

void bluesky_event_init(struct bluesky_event *ev)
{
	memset(ev, 0, sizeof *ev);
	buf_init(&ev->scratch, BUF_NOLIMIT);
}

void bluesky_event_cleanup(struct bluesky_event *ev)
{
	if (!ev)
		return;
	buf_cleanup(&ev->scratch);
	bluesky_event_init(ev);
}

int bluesky_parse(struct bluesky_event *ev, const char *msg, size_t len,
		  struct horch_err *err)
{
	struct scan sc = { .s = msg, .len = len, .ev = ev, .err = err };
	struct buf scratch = ev->scratch;
	struct bluesky_str key, kind = { NULL, 0 };
	size_t commit_at = 0;
	int first = 1, rc, have_time = 0;

	memset(ev, 0, sizeof *ev);
	ev->scratch = scratch;
	buf_reset(&ev->scratch);
	if (len > BLUESKY_MSG_MAX)
		return horch_err_set(err, HORCH_ETOOBIG, "message of %zu bytes is over the cap "
				     "of %u", len, BLUESKY_MSG_MAX);
	/* Decoded strings are never longer than the message: one reservation
	 * keeps every slice into scratch valid. */
	if (buf_reserve(&ev->scratch, len + 1))
		return horch_err_set(err, HORCH_ETOOBIG, "message too big");
	while ((rc = next_key(&sc, &first, &key)) == 1) {
		if (key_is(&key, "did")) {
			rc = need_string(&sc, &ev->did, "did");
		} else if (key_is(&key, "time_us")) {
			int c = peek(&sc);

			if (c != '-' && (c < '0' || c > '9'))
				return scan_fail(&sc, "time_us is not an integer >= 0");
			rc = scan_number(&sc, &ev->time_us, "time_us");
			have_time = 1;
		} else if (key_is(&key, "kind")) {
			rc = need_string(&sc, &kind, "kind");
		} else if (key_is(&key, "commit")) {
			/* Read once the kind is known: skip it for now. */
			commit_at = sc.pos;
			rc = scan_value(&sc);
		} else {
			rc = scan_value(&sc);
		}
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if (peek(&sc) != -1)
		return scan_fail(&sc, "text after the message");
	if (!have_time)
		return horch_err_set(err, HORCH_EPARSE, "time_us missing");
	if (!kind.ptr)
		return horch_err_set(err, HORCH_EPARSE, "kind missing");
	if (key_is(&kind, "commit"))
		ev->kind = BLUESKY_KIND_COMMIT;
	else if (key_is(&kind, "identity"))
		ev->kind = BLUESKY_KIND_IDENTITY;
	else if (key_is(&kind, "account"))
		ev->kind = BLUESKY_KIND_ACCOUNT;
	if (ev->kind != BLUESKY_KIND_COMMIT)
		return 0;
	if (!ev->did.ptr)
		return horch_err_set(err, HORCH_EPARSE, "did missing");
	if (!commit_at)
		return horch_err_set(err, HORCH_EPARSE, "commit missing");
	/* The commit was checked as JSON already: read its fields now. */
	sc.pos = commit_at;
	sc.depth = 1;
	return scan_commit(&sc);
}

int bluesky_event_is_post(const struct bluesky_event *ev)
{
	return ev->kind == BLUESKY_KIND_COMMIT && ev->op == BLUESKY_OP_CREATE &&
	       ev->has_record && key_is(&ev->collection, BLUESKY_POST_COLLECTION);
}

/* A DID: "did:", a lower-case method, ':', then the method's id of
 * [A-Za-z0-9._:%-], not ending in ':' or '%' (the AT Protocol's syntax). */
static int did_valid(const struct bluesky_str *d)
{
	size_t i = 4, m;

	if (d->len < 7 || d->len > 2048 || memcmp(d->ptr, "did:", 4) != 0)
		return 0;
	for (m = i; i < d->len && d->ptr[i] >= 'a' && d->ptr[i] <= 'z'; i++)
		;
	if (i == m || i >= d->len || d->ptr[i] != ':' || ++i >= d->len)
		return 0;
	for (; i < d->len; i++) {
		char c = d->ptr[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == ':' || c == '%' || c == '-'))
			return 0;
	}
	return d->ptr[d->len - 1] != ':' && d->ptr[d->len - 1] != '%';
}

/* A record key: 1 to 512 of [A-Za-z0-9._:~-], not "." or "..". */
static int rkey_valid(const struct bluesky_str *k)
{
	if (k->len == 0 || k->len > 512 || (k->len == 1 && k->ptr[0] == '.') ||
	    (k->len == 2 && k->ptr[0] == '.' && k->ptr[1] == '.'))
		return 0;
	for (size_t i = 0; i < k->len; i++) {
		char c = k->ptr[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == ':' || c == '~' || c == '-'))
			return 0;
	}
	return 1;
}

/* A language tag as BCP 47 writes them: letters, digits and '-', starting
 * with a letter, at most 35 bytes. */
static int lang_valid(const struct bluesky_str *l)
{
	if (!l->ptr || l->len == 0 || l->len > 35 ||
	    !((l->ptr[0] >= 'a' && l->ptr[0] <= 'z') || (l->ptr[0] >= 'A' && l->ptr[0] <= 'Z')))
		return 0;
	for (size_t i = 0; i < l->len; i++) {
		char c = l->ptr[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* An at:// URI as a parent: "at://" and more, printable ASCII only (its
 * DID, collection and record key are), at most POST_FIELD_MAX bytes. */
static int at_uri_valid(const struct bluesky_str *u)
{
	if (u->len < 6 || u->len > POST_FIELD_MAX || memcmp(u->ptr, "at://", 5) != 0)
		return 0;
	for (size_t i = 0; i < u->len; i++)
		if (u->ptr[i] <= 0x20 || u->ptr[i] >= 0x7F)
			return 0;
	return 1;
}

static char *str_dup(const struct bluesky_str *s)
{
	return horch_xstrndup(s->ptr, s->len);
}

int bluesky_event_post(const struct bluesky_event *ev, struct post *p, struct horch_err *err)
{
	struct buf b;
	int rc = 0;

	if (!bluesky_event_is_post(ev))
		return horch_err_set(err, HORCH_EINVAL, "not the creation of a post");
	if (ev->bad) {
		rc = horch_err_set(err, HORCH_EINVAL, "%s has the wrong type", ev->bad);
		goto out;
	}
	if (!did_valid(&ev->did)) {
		rc = horch_err_set(err, HORCH_EINVAL, "did is not a valid DID");
		goto out;
	}
	if (!rkey_valid(&ev->rkey)) {
		rc = horch_err_set(err, HORCH_EINVAL, "commit.rkey is not a valid record key");
		goto out;
	}
	if (!ev->text.ptr || ev->text.len == 0) {
		rc = horch_err_set(err, HORCH_EINVAL, "commit.record.text is empty");
		goto out;
	}
	if (ev->text.len > POST_TEXT_MAX) {
		rc = horch_err_set(err, HORCH_EINVAL, "commit.record.text is over %u bytes",
				   POST_TEXT_MAX);
		goto out;
	}
	if (ev->parent.ptr && !at_uri_valid(&ev->parent)) {
		rc = horch_err_set(err, HORCH_EINVAL, "commit.record.reply.parent.uri is not "
				   "an at:// URI");
		goto out;
	}
	buf_init(&b, POST_FIELD_MAX);
	rc = buf_printf(&b, "at://%.*s/" BLUESKY_POST_COLLECTION "/%.*s", (int)ev->did.len,
			ev->did.ptr, (int)ev->rkey.len, ev->rkey.ptr);
	if (rc) {
		buf_cleanup(&b);
		rc = horch_err_set(err, HORCH_EINVAL, "external_id is over %u bytes",
				   POST_FIELD_MAX);
		goto out;
	}
	p->external_id = buf_take(&b);
	rc = buf_printf(&b, "https://bsky.app/profile/%.*s/post/%.*s", (int)ev->did.len,
			ev->did.ptr, (int)ev->rkey.len, ev->rkey.ptr);
	if (rc) {
		buf_cleanup(&b);
		rc = horch_err_set(err, HORCH_EINVAL, "url is over %u bytes", POST_FIELD_MAX);
		goto out;
	}
	p->url = buf_take(&b);
	p->source = horch_xstrdup("bluesky");
	p->author = str_dup(&ev->did);
	p->text = str_dup(&ev->text);
	p->created_at = ev->time_us / 1000;
	if (ev->created_at.ptr && ev->created_at.len < 64) {
		int64_t t;

		if (horch_time_parse(ev->created_at.ptr, ev->created_at.len, &t, NULL) == 0)
			p->created_at = t;
	}
	if (lang_valid(&ev->lang))
		p->lang = str_dup(&ev->lang);
	if (ev->parent.ptr) {
		p->kind = POST_KIND_REPLY;
		p->parent = str_dup(&ev->parent);
	} else {
		p->kind = POST_KIND_POST;
	}
out:
	if (rc)
		post_cleanup(p);
	return rc;
}

/* ---- the WebSocket client ---- */

#define BLUESKY_DEFAULT_URL "wss://jetstream2.us-east.bsky.network/subscribe"
/* Messages handled between two commits of the cursor (or one second). */
#define BLUESKY_COMMIT_EVERY 1000
#define BLUESKY_COMMIT_MS 1000
/* How often the connection's timer looks at the stop flag and the clocks. */
#define BLUESKY_TICK_MS 100
/* Seconds of silence after which the client pings the server. */
#define BLUESKY_PING_MS 20000
/* Defaults of the "timeout" (connect) and "idle_timeout" settings. */
#define BLUESKY_CONNECT_S 10
#define BLUESKY_IDLE_S 60
/* Malformed messages in a row after which the stream is taken for
 * something that is not Jetstream and the run fails. */
#define BLUESKY_BAD_RUN_MAX 100
/* Skipped items warned about one by one per connection; later ones are
 * counted and summed up when the connection ends. */
#define BLUESKY_WARN_MAX 5
/* A resumed stream whose first message is this much later than the
 * cursor has a gap: Jetstream no longer had the history asked for. */
#define BLUESKY_GAP_US (5 * 60 * INT64_C(1000000))
/* Most entries of the collections and dids settings (Jetstream takes 100
 * collections; a longer DID list would not fit a request line). */
#define BLUESKY_LIST_MAX 100
/* The CA bundle of Debian's ca-certificates, for wss:// URLs. */
#define BLUESKY_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/* A parsed ws:// or wss:// URL. */
struct ws_url {
	int tls;                  /* 1 for wss:// */
	char host[256];           /* without the brackets of an IPv6 literal */
	int port;
	char *path;               /* path and query, at least "/"; malloc'd */
};

/* Split url into its parts.  Returns 0, or HORCH_EINVAL with err saying
 * what is wrong (no credentials or secrets are ever part of this URL). */
static int ws_url_parse(const char *url, struct ws_url *out, struct horch_err *err)
{
	const char *p, *host, *host_end, *port_at = NULL;
	size_t hlen;

	memset(out, 0, sizeof *out);
	if (strncmp(url, "wss://", 6) == 0) {
		out->tls = 1;
		p = url + 6;
	} else if (strncmp(url, "ws://", 5) == 0) {
		p = url + 5;
	} else {
		return horch_err_set(err, HORCH_EINVAL, "url: not a ws:// or wss:// URL");
	}
	host = p;
	if (*p == '[') {
		host = ++p;
		while (*p && *p != ']')
			p++;
		if (*p != ']')
			return horch_err_set(err, HORCH_EINVAL, "url: unclosed '[' in the host");
		host_end = p++;
	} else {
		while (*p && *p != ':' && *p != '/' && *p != '?' && *p != '#')
			p++;
		host_end = p;
	}
	hlen = (size_t)(host_end - host);
	if (hlen == 0 || hlen >= sizeof out->host)
		return horch_err_set(err, HORCH_EINVAL, "url: no host, or a host too long");
	if (memchr(host, '@', hlen))
		return horch_err_set(err, HORCH_EINVAL, "url: user information is not supported");
	memcpy(out->host, host, hlen);
	out->host[hlen] = '\0';
	out->port = out->tls ? 443 : 80;
	if (*p == ':') {
		char *end;
		long v;

		port_at = ++p;
		errno = 0;
		v = strtol(port_at, &end, 10);
		if (errno || end == port_at || v < 1 || v > 65535 ||
		    (*end && *end != '/' && *end != '?'))
			return horch_err_set(err, HORCH_EINVAL, "url: bad port");
		out->port = (int)v;
		p = end;
	}
	if (*p == '#' || strchr(p, '#'))
		return horch_err_set(err, HORCH_EINVAL, "url: a fragment is not allowed");
	for (const char *q = p; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7F)
			return horch_err_set(err, HORCH_EINVAL, "url: a blank or non-ASCII byte "
					     "in the path");
	if (*p == '/') {
		out->path = horch_xstrdup(p);
	} else {
		out->path = horch_xmalloc(strlen(p) + 2);
		out->path[0] = '/';
		strcpy(out->path + 1, p);
	}
	return 0;
}

/* Call fn on each comma-separated entry of list (blanks around entries
 * ignored, empty entries skipped).  Stops at and returns fn's first
 * non-zero result; more than BLUESKY_LIST_MAX entries is -1. */
static int each_entry(const char *list, int (*fn)(void *ctx, const char *s, size_t len),
		      void *ctx)
{
	int n = 0, rc;

	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		const char *s = list;

		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len) {
			if (++n > BLUESKY_LIST_MAX)
				return -1;
			if ((rc = fn(ctx, s, len)))
				return rc;
		}
		list = end ? end + 1 : NULL;
	}
	return 0;
}

/* A collection as Jetstream takes it: an NSID (letters, digits, '.', '-')
 * with at least one '.', or a prefix of one ending in ".*". */
static int nsid_check(void *ctx, const char *s, size_t len)
{
	size_t n = len;

	(void)ctx;
	if (len >= 2 && s[len - 2] == '.' && s[len - 1] == '*')
		n = len - 2;
	if (n < 3 || n > 317 || !memchr(s, '.', n) || s[0] == '.' || s[n - 1] == '.')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-'))
			return 1;
	return 0;
}

static int did_check(void *ctx, const char *s, size_t len)
{
	struct bluesky_str d = { s, len };

	(void)ctx;
	return did_valid(&d) ? 0 : 1;
}

/* Read a count of seconds setting: 1..3600, or def when not set. */
static int seconds_setting(const struct source_conf *c, const char *key, int def, int *out,
			   struct horch_err *err)
{
	const char *v = source_param(c, key);
	char *end;
	long n;

	*out = def;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > 3600)
		return horch_err_set(err, HORCH_EINVAL, "%s: not a number of seconds from 1 to "
				     "3600", key);
	*out = (int)n;
	return 0;
}

static int check(const struct source_conf *c, struct horch_err *err)
{
	const char *url = c->url && *c->url ? c->url : BLUESKY_DEFAULT_URL;
	const char *v;
	struct ws_url u;
	int rc, secs;

	if ((rc = ws_url_parse(url, &u, err)))
		return rc;
	free(u.path);
	v = source_param(c, "filter");
	if (v && strcmp(v, "topics") != 0 && strcmp(v, "none") != 0)
		return horch_err_set(err, HORCH_EINVAL, "filter: \"topics\" or \"none\", not "
				     "\"%.40s\"", v);
	v = source_param(c, "collections");
	if (v && each_entry(v, nsid_check, NULL))
		return horch_err_set(err, HORCH_EINVAL, "collections: a comma-separated list of "
				     "at most %d NSIDs (app.bsky.feed.post) or prefixes "
				     "(app.bsky.feed.*)", BLUESKY_LIST_MAX);
	v = source_param(c, "dids");
	if (v && each_entry(v, did_check, NULL))
		return horch_err_set(err, HORCH_EINVAL, "dids: a comma-separated list of at most "
				     "%d DIDs (did:plc:...)", BLUESKY_LIST_MAX);
	if ((rc = seconds_setting(c, "timeout", BLUESKY_CONNECT_S, &secs, err)) ||
	    (rc = seconds_setting(c, "idle_timeout", BLUESKY_IDLE_S, &secs, err)))
		return rc;
	return 0;
}

static int streams(const struct source_conf *c)
{
	(void)c;
	return 1;
}

/* Append s[0..len) to b percent-encoded as a query value. */
static int put_query_value(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (size_t i = 0; i < len && !rc; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_' || c == '~' || c == '*' || c == ':') {
			rc = buf_putc(b, c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			rc = buf_append(b, e, 3);
		}
	}
	return rc;
}

/* The query being built by add_param(). */
struct query {
	struct buf *b;
	const char *name;
};

static int add_param(void *ctx, const char *s, size_t len)
{
	struct query *q = ctx;
	int rc;

	if ((rc = buf_printf(q->b, "&%s=", q->name)))
		return rc;
	return put_query_value(q->b, s, len);
}

/* One connection to Jetstream: what the callbacks and the timer share. */
struct conn {
	struct source_run *r;
	struct horch_err *err;
	struct lws_context *ctx;
	struct lws *wsi;
	lws_sorted_usec_list_t tick;  /* the timer, every BLUESKY_TICK_MS */
	const char *host;             /* for messages */
	int connect_ms, idle_ms;
	int have_dids;                /* a dids filter: a quiet stream is normal */
	int done;                     /* the event loop ends */
	int rc;                       /* the run's result once done */
	int established;
	int closing;                  /* a callback should hang up */
	int ping_due;                 /* a ping is wanted when writable */
	int64_t start_ns, last_rx_ns, last_ping_ns, last_commit_ns;
	struct buf msg;               /* the message being received */
	int oversize;                 /* the message is over the cap: its rest is dropped */
	struct bluesky_event ev;
	int64_t resume_us;            /* the cursor this connection resumed from; -1: none */
	int64_t cursor_us;            /* time_us of the last message handled; -1: none */
	long pending;                 /* messages handled since the last commit */
	long n_msgs, n_posts, n_bad, bad_run, n_warned;
	long n_good;                  /* messages parsed */
	int close_code;               /* what the server said when it closed; 0: nothing */
};

/* Commit the cursor if messages were handled since the last commit.
 * Returns 0 or source_commit()'s error. */
static int commit_cursor(struct conn *c)
{
	char cur[32];
	int rc;

	if (!c->pending || c->cursor_us < 0)
		return 0;
	snprintf(cur, sizeof cur, "%" PRId64, c->cursor_us);
	rc = source_commit(c->r, cur);
	if (rc == 0) {
		c->pending = 0;
		c->last_commit_ns = horch_mono_ns();
	}
	return rc;
}

/* End the connection with result rc (the first result wins).  The event
 * loop is woken, so that lws_service() returns now rather than at the next
 * network event: after a timer's callback it would go on to wait in
 * poll(). */
static void finish(struct conn *c, int rc)
{
	if (!c->done)
		c->rc = rc;
	c->done = 1;
	if (c->ctx)
		lws_cancel_service(c->ctx);
}

/* End the connection with error code and a message, unless it has ended
 * already: the first result, and its message, win. */
__attribute__((format(printf, 3, 4)))
static void fail(struct conn *c, int code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (c->done)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	horch_err_set(c->err, code, "%s", msg);
	finish(c, code);
}

/* Note a skipped message: one warning each for the first few of a
 * connection, a count for the rest. */
__attribute__((format(printf, 2, 3)))
static void skip_warn(struct conn *c, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	c->n_bad++;
	if (c->n_warned++ >= BLUESKY_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	source_warn(c->r, "%s", msg);
}

/* Handle one whole message: parse it, skip what is not a wanted post,
 * emit the rest, and commit the cursor every BLUESKY_COMMIT_EVERY
 * messages.  Ends the connection (fail()) when emit or commit say stop
 * or the stream is not Jetstream. */
static void on_message(struct conn *c, const char *msg, size_t len)
{
	struct bluesky_event *ev = &c->ev;
	struct horch_err perr;
	struct post *p;
	int rc;

	c->n_msgs++;
	horch_err_clear(&perr);
	rc = bluesky_parse(ev, msg, len, &perr);
	if (rc) {
		skip_warn(c, "message %ld after cursor %" PRId64 " skipped: %s", c->n_msgs,
			  c->cursor_us, perr.msg);
		if (++c->bad_run >= BLUESKY_BAD_RUN_MAX)
			fail(c, HORCH_EPARSE, "%s: %ld malformed messages "
			     "in a row, the last: %s", c->host, c->bad_run,
			     perr.msg);
		return;
	}
	c->bad_run = 0;
	if (!c->n_good++ && c->resume_us >= 0 && !c->have_dids &&
	    ev->time_us > c->resume_us + BLUESKY_GAP_US) {
		char from[HORCH_TIME_BUFSZ], to[HORCH_TIME_BUFSZ];

		source_warn(c->r, "gap: resumed from %s but the stream starts at %s (Jetstream "
			    "keeps about a day); posts in between were not seen",
			    horch_time_format(c->resume_us / 1000, from),
			    horch_time_format(ev->time_us / 1000, to));
	}
	if (bluesky_event_is_post(ev) && ev->text.len &&
	    source_wanted(c->r, ev->text.ptr, ev->text.len)) {
		p = post_new();
		rc = bluesky_event_post(ev, p, &perr);
		if (rc) {
			skip_warn(c, "post %.*s/%.*s at time_us %" PRId64 " skipped: %s",
				  (int)(ev->did.len > 200 ? 200 : ev->did.len), ev->did.ptr,
				  (int)(ev->rkey.len > 200 ? 200 : ev->rkey.len), ev->rkey.ptr,
				  ev->time_us, perr.msg);
			post_free(p);
		} else {
			c->n_posts++;
			if (source_emit(c->r, p) == HORCH_ESTOP) {
				fail(c, HORCH_ESTOP, "stopped");
				return;
			}
		}
	}
	if (ev->time_us > c->cursor_us)
		c->cursor_us = ev->time_us;
	if (++c->pending >= BLUESKY_COMMIT_EVERY && commit_cursor(c) == HORCH_ESTOP)
		fail(c, HORCH_ESTOP, "stopped");
}

/* The timer: the stop flag, the connect and idle timeouts, pings, and the
 * commit of every second. */
static void on_tick(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, tick);
	int64_t now = horch_mono_ns();

	if (c->done)
		return;
	if (source_stopping(c->r)) {
		commit_cursor(c);
		fail(c, HORCH_ESTOP, "stopped");
		return;
	}
	if (!c->established && now - c->start_ns > (int64_t)c->connect_ms * 1000000) {
		fail(c, HORCH_EIO, "%s: no WebSocket connection within "
		     "%d s", c->host, c->connect_ms / 1000);
		return;
	}
	if (c->established && now - c->last_rx_ns > (int64_t)c->idle_ms * 1000000) {
		fail(c, HORCH_EIO, "%s: no message for %d s", c->host,
		     c->idle_ms / 1000);
		return;
	}
	if (c->established && c->wsi && now - c->last_rx_ns > (int64_t)BLUESKY_PING_MS * 1000000 &&
	    now - c->last_ping_ns > (int64_t)BLUESKY_PING_MS * 1000000) {
		c->ping_due = 1;
		c->last_ping_ns = now;
		lws_callback_on_writable(c->wsi);
	}
	if (c->pending && now - c->last_commit_ns >= (int64_t)BLUESKY_COMMIT_MS * 1000000 &&
	    commit_cursor(c) == HORCH_ESTOP) {
		fail(c, HORCH_ESTOP, "stopped");
		return;
	}
	lws_sul_schedule(c->ctx, 0, &c->tick, on_tick, BLUESKY_TICK_MS * LWS_US_PER_MS);
}

static int on_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
		unsigned char **p = in, *end = *p + len;
		static const char ua[] = "horch/" HORCH_VERSION " (+listening)";

		if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_USER_AGENT,
						 (const unsigned char *)ua, (int)sizeof ua - 1,
						 p, end))
			return -1;
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (!c)
			break;
		c->established = 1;
		c->last_rx_ns = c->last_commit_ns = horch_mono_ns();
		horch_log(LOG_INFO, "bluesky", "connected=%s", c->host);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		int status;
		char ra[16] = "";

		if (!c || c->done)
			break;
		c->wsi = NULL;
		status = wsi ? (int)lws_http_client_http_response(wsi) : 0;
		if (status == 429 || status == 503) {
			int secs = -1;

			if (lws_hdr_copy(wsi, ra, sizeof ra, WSI_TOKEN_HTTP_RETRY_AFTER) > 0)
				secs = atoi(ra);
			if (secs > 0 || status == 429) {
				source_retry_after(c->r, secs > 0 ? secs : 60);
				fail(c, HORCH_ELIMIT, "%s: HTTP %d on the "
				     "WebSocket upgrade", c->host, status);
				break;
			}
		}
		if (status > 0)
			fail(c, HORCH_EIO, "%s: HTTP %d on the WebSocket "
			     "upgrade", c->host, status);
		else
			fail(c, HORCH_EIO, "%s: %s", c->host,
			     in && *(const char *)in ? (const char *)in : "connection failed");
		break;
	}
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (!c || c->done)
			return -1;
		c->last_rx_ns = horch_mono_ns();
		if (lws_is_first_fragment(wsi)) {
			buf_reset(&c->msg);
			c->oversize = 0;
		}
		if (!c->oversize && buf_append(&c->msg, in, len)) {
			c->oversize = 1;
			buf_reset(&c->msg);
		}
		if (!lws_is_final_fragment(wsi))
			break;
		if (c->oversize) {
			c->n_msgs++;
			skip_warn(c, "message %ld after cursor %" PRId64 " skipped: over %u bytes",
				  c->n_msgs, c->cursor_us, BLUESKY_MSG_MAX);
		} else if (lws_frame_is_binary(wsi)) {
			c->n_msgs++;
			skip_warn(c, "message %ld after cursor %" PRId64 " skipped: a binary frame "
				  "(compressed?)", c->n_msgs, c->cursor_us);
		} else {
			on_message(c, c->msg.ptr ? c->msg.ptr : "", c->msg.len);
		}
		buf_reset(&c->msg);
		if (c->done)
			return -1;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		if (c)
			c->last_rx_ns = horch_mono_ns();
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (!c || c->done)
			return -1;
		if (c->ping_due) {
			unsigned char ping[LWS_PRE + 1];

			c->ping_due = 0;
			if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0)
				return -1;
		}
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (c && len >= 2)
			c->close_code = ((unsigned char *)in)[0] << 8 | ((unsigned char *)in)[1];
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (!c)
			break;
		c->wsi = NULL;
		if (c->n_msgs)
			finish(c, 0);
		else
			fail(c, HORCH_EIO, "%s: closed by the server before "
			     "any message (close code %d)", c->host,
			     c->close_code);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "horch-jetstream", on_event, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* libwebsockets' own log lines go to horch's log at debug level: the
 * connector says what matters itself. */
static void lws_to_log(int level, const char *line)
{
	size_t n = strlen(line);

	(void)level;
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	horch_log(LOG_DEBUG, "bluesky", "lws=\"%.*s\"", (int)n, line);
}

static pthread_once_t lws_log_once = PTHREAD_ONCE_INIT;

static void lws_log_setup(void)
{
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_to_log);
}

/* Build the request path: the URL's path and query, then the Jetstream
 * parameters.  Returns 0 or HORCH_ETOOBIG (over 16 KiB). */
static int build_path(const struct source_conf *conf, const char *path, int64_t cursor,
		      struct buf *out)
{
	const char *coll = source_param(conf, "collections");
	struct query q = { out, "wantedCollections" };
	int rc;

	if ((rc = buf_puts(out, path)))
		return rc;
	/* Each parameter is added as "&name=value"; the first '&' becomes a
	 * '?' when the URL had no query. */
	{
		size_t at = out->len;

		if (!coll || !*coll)
			coll = BLUESKY_POST_COLLECTION;
		if ((rc = each_entry(coll, add_param, &q)))
			return rc < 0 ? HORCH_ETOOBIG : rc;
		q.name = "wantedDids";
		if ((rc = each_entry(source_param(conf, "dids"), add_param, &q)))
			return rc < 0 ? HORCH_ETOOBIG : rc;
		if ((rc = buf_puts(out, "&compress=false")))
			return rc;
		if (cursor >= 0 && (rc = buf_printf(out, "&cursor=%" PRId64, cursor)))
			return rc;
		if (!strchr(path, '?'))
			out->ptr[at] = '?';
	}
	return 0;
}

/* One stream: connect, read until it ends, commit.  See connector.h. */
static int run(struct source_run *r, struct horch_err *err)
{
	const struct source_conf *conf = source_run_conf(r);
	const char *url = conf->url && *conf->url ? conf->url : BLUESKY_DEFAULT_URL;
	const char *cur = source_run_cursor(r), *ca = source_param(conf, "ca_file");
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct ws_url u;
	struct conn c;
	struct buf path;
	int rc, secs;

	memset(&c, 0, sizeof c);
	memset(&u, 0, sizeof u);
	buf_init(&path, 16384);
	buf_init(&c.msg, BLUESKY_MSG_MAX);
	bluesky_event_init(&c.ev);
	c.r = r;
	c.err = err;
	c.resume_us = c.cursor_us = -1;
	if ((rc = check(conf, err)) || (rc = ws_url_parse(url, &u, err)))
		goto out;
	seconds_setting(conf, "timeout", BLUESKY_CONNECT_S, &secs, NULL);
	c.connect_ms = secs * 1000;
	seconds_setting(conf, "idle_timeout", BLUESKY_IDLE_S, &secs, NULL);
	c.idle_ms = secs * 1000;
	c.host = u.host;
	c.have_dids = source_param(conf, "dids") && *source_param(conf, "dids");
	if (cur && *cur) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(cur, &end, 10);
		if (errno || end == cur || *end || v < 0) {
			/* A cursor this connector did not write: start live rather
			 * than fail forever. */
			source_warn(r, "cursor \"%.40s\" is not a time_us; starting from now", cur);
		} else {
			c.resume_us = c.cursor_us = v;
		}
	}
	if ((rc = build_path(conf, u.path, c.resume_us, &path))) {
		rc = horch_err_set(err, HORCH_EINVAL, "url: the request with its parameters is "
				   "over 16 KiB");
		goto out;
	}
	pthread_once(&lws_log_once, lws_log_setup);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.fd_limit_per_thread = 8;
	info.timeout_secs = (unsigned)(c.connect_ms / 1000);
	info.connect_timeout_secs = (unsigned)(c.connect_ms / 1000);
	if (u.tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = ca && *ca ? ca : BLUESKY_CA_FILE;
	}
	c.ctx = lws_create_context(&info);
	if (!c.ctx) {
		rc = horch_err_set(err, HORCH_EIO, "%s: cannot set up the WebSocket client", u.host);
		goto out;
	}
	memset(&ci, 0, sizeof ci);
	ci.context = c.ctx;
	ci.address = u.host;
	ci.port = u.port;
	ci.ssl_connection = u.tls ? LCCSCF_USE_SSL : 0;
	ci.path = path.ptr;
	ci.host = u.host;
	ci.origin = u.host;
	ci.local_protocol_name = protocols[0].name;
	ci.userdata = &c;
	ci.pwsi = &c.wsi;
	c.start_ns = horch_mono_ns();
	horch_log(LOG_DEBUG, "bluesky", "connect=%s port=%d cursor=%" PRId64, u.host, u.port,
		  c.resume_us);
	lws_sul_schedule(c.ctx, 0, &c.tick, on_tick, BLUESKY_TICK_MS * LWS_US_PER_MS);
	if (!lws_client_connect_via_info(&ci) && !c.done)
		fail(&c, HORCH_EIO, "%s: cannot connect", u.host);
	while (!c.done) {
		if (lws_service(c.ctx, 0) < 0) {
			fail(&c, HORCH_EIO, "%s: the event loop failed", u.host);
			break;
		}
	}
	rc = c.rc;
	/* Every post emitted is covered by the cursor of the last message
	 * handled, whatever ended the stream, except a stop said by emit or
	 * commit themselves. */
	if (rc != HORCH_ESTOP || source_stopping(r)) {
		int crc = commit_cursor(&c);

		if (crc == HORCH_ESTOP && rc == 0)
			rc = horch_err_set(err, HORCH_ESTOP, "stopped");
	}
	if (c.n_warned > BLUESKY_WARN_MAX)
		source_warn(r, "%ld more messages skipped on this connection (%ld in all)",
			    c.n_warned - BLUESKY_WARN_MAX, c.n_bad);
	horch_log(LOG_INFO, "bluesky", "host=%s messages=%ld posts=%ld skipped=%ld cursor=%" PRId64
		  " rc=%d", u.host, c.n_msgs, c.n_posts, c.n_bad, c.cursor_us, rc);
out:
	if (c.ctx) {
		/* Callbacks of the connection's closing may still come during
		 * the destruction: they find the run ended and change nothing. */
		struct lws_context *ctx = c.ctx;

		lws_sul_cancel(&c.tick);
		c.done = 1;
		c.ctx = NULL;
		lws_context_destroy(ctx);
	}
	free(u.path);
	buf_cleanup(&path);
	buf_cleanup(&c.msg);
	bluesky_event_cleanup(&c.ev);
	return rc;
}

static const struct source_key keys[] = {
	{ "filter", 0, "\"topics\" (default): store only posts some topic could match; \"none\": all" },
	{ "collections", 0, "comma-separated wantedCollections (default app.bsky.feed.post)" },
	{ "dids", 0, "comma-separated wantedDids: only these accounts (at most 100)" },
	{ "timeout", 0, "seconds to wait for the WebSocket connection (default 10)" },
	{ "idle_timeout", 0, "seconds without a message before reconnecting (default 60)" },
	{ "ca_file", 0, "CA bundle for wss:// (default " BLUESKY_CA_FILE ")" },
	{ NULL, 0, NULL }
};

const struct connector connector_bluesky = {
	.kind = "bluesky",
	.summary = "Bluesky posts from the Jetstream firehose (WebSocket), pre-filtered by topic",
	.default_url = BLUESKY_DEFAULT_URL,
	.interval = 0,
	.keys = keys,
	.streams = streams,
	.check = check,
	.run = run,
};
