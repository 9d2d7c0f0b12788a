/* bluesky.h - the Bluesky Jetstream connector's message parser: one
 * Jetstream JSON message in, the fields horch needs out, as a pure
 * function of the bytes so that the unit tests, the fuzz target and the
 * benchmark call it without a network.
 *
 * A Jetstream message is one JSON object per WebSocket text frame:
 *
 *   {"did":"did:plc:...","time_us":1725911162329308,"kind":"commit",
 *    "commit":{"rev":"...","operation":"create","collection":"app.bsky.feed.post",
 *              "rkey":"3l3qo2vutsw2b","cid":"bafy...",
 *              "record":{"$type":"app.bsky.feed.post","text":"...",
 *                        "createdAt":"2024-09-09T19:46:02.102Z","langs":["en"],
 *                        "reply":{"parent":{"uri":"at://...","cid":"..."},"root":{...}}}}}
 *
 * plus "identity" and "account" events, which horch reads only for their
 * time_us.  The parser is a strict JSON scanner (RFC 8259) that keeps the
 * few fields it needs as slices of the message, decoding a string only
 * when it holds escapes: the firehose is large, and most of its posts are
 * thrown away by the topic pre-filter right after this step, so nothing
 * is allocated for them.
 *
 * Not for use outside src/ingest/bluesky.c and the connector's tests,
 * fuzz target and benchmark.  A struct bluesky_event belongs to one
 * thread. */
#ifndef HORCH_BLUESKY_H
#define HORCH_BLUESKY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"

/* Largest message the parser reads; the connector skips longer ones. */
#define BLUESKY_MSG_MAX (1024u * 1024)
/* Deepest nesting of arrays and objects in a message. */
#define BLUESKY_DEPTH_MAX 64
/* The only collection whose records become posts. */
#define BLUESKY_POST_COLLECTION "app.bsky.feed.post"

enum bluesky_kind {
	BLUESKY_KIND_OTHER = 0,    /* a kind this parser does not know */
	BLUESKY_KIND_COMMIT,       /* a repository commit: create, update, delete */
	BLUESKY_KIND_IDENTITY,     /* a handle or DID document changed */
	BLUESKY_KIND_ACCOUNT,      /* an account was (de)activated */
};

enum bluesky_op {
	BLUESKY_OP_NONE = 0,       /* not a commit, or an unknown operation */
	BLUESKY_OP_CREATE,
	BLUESKY_OP_UPDATE,
	BLUESKY_OP_DELETE,
};

/* A piece of text: a slice of the message, or of the event's scratch when
 * the JSON string held escapes.  Not NUL-terminated.  ptr is NULL when the
 * field was absent (or null in the JSON). */
struct bluesky_str {
	const char *ptr;
	size_t len;
};

/* What one message says.  Every slice points into the message given to
 * bluesky_parse() or into scratch, and is valid until the next parse or
 * bluesky_event_cleanup(). */
struct bluesky_event {
	enum bluesky_kind kind;       /* from "kind" */
	int64_t time_us;              /* "time_us": the stream's position, µs since the epoch */
	struct bluesky_str did;       /* the repository (author) */
	enum bluesky_op op;           /* commit.operation */
	struct bluesky_str collection;/* commit.collection */
	struct bluesky_str rkey;      /* commit.rkey */
	int has_record;               /* 1 when commit.record is an object */
	struct bluesky_str type;      /* commit.record["$type"] */
	struct bluesky_str text;      /* commit.record.text, decoded */
	struct bluesky_str created_at;/* commit.record.createdAt */
	struct bluesky_str lang;      /* the first string of commit.record.langs */
	struct bluesky_str parent;    /* commit.record.reply.parent.uri */
	struct bluesky_str root;      /* commit.record.reply.root.uri */
	const char *bad;              /* the first record field of a type other than
				       * documented ("commit.record.text"), or NULL */
	struct buf scratch;           /* decoded strings; no cap: never longer than the message */
};

void bluesky_event_init(struct bluesky_event *ev);
void bluesky_event_cleanup(struct bluesky_event *ev);  /* NULL-safe */

/* Read one Jetstream message msg[0..len) into ev (initialised; a previous
 * event's fields are forgotten).  The message must be one JSON object with
 * an integer "time_us" >= 0 and a string "kind"; a commit must also have
 * "did" and a "commit" object with string "operation", "collection" and
 * "rkey" (a field of another type is an error), and the whole message
 * must follow RFC 8259 (invalid UTF-8 in a string is an error; \u0000 and
 * a lone surrogate decode to U+FFFD).  The record's fields are read
 * leniently, since other collections' records use the same names for other
 * things: one of an unexpected type is named in ev->bad and makes
 * bluesky_event_post() fail.  Unknown fields are skipped.
 *
 * Returns 0, HORCH_ETOOBIG (len > BLUESKY_MSG_MAX) or HORCH_EPARSE with
 * err naming the byte offset (err->col, 1-based) or the field at fault.
 * On failure ev's fields are unspecified (but safe to clean up). */
int bluesky_parse(struct bluesky_event *ev, const char *msg, size_t len,
		  struct horch_err *err);

/* 1 when ev is the creation of a post (the only events that become posts):
 * a commit, operation create, collection app.bsky.feed.post, with a
 * record. */
int bluesky_event_is_post(const struct bluesky_event *ev);

/* Build the post of ev (a post creation: bluesky_event_is_post()) into p
 * (freshly initialised): source "bluesky", external_id
 * at://DID/app.bsky.feed.post/RKEY, url https://bsky.app/profile/DID/post/RKEY,
 * author the DID, created_at from record.createdAt (else time_us), text,
 * lang, and kind REPLY with parent = reply.parent.uri, else POST.
 *
 * Returns 0, or HORCH_EINVAL with err naming the field when the event
 * cannot make a valid post (a DID or rkey with characters their syntax
 * does not allow, a field over POST_FIELD_MAX, text over POST_TEXT_MAX, no
 * text); p is then cleaned up. */
int bluesky_event_post(const struct bluesky_event *ev, struct post *p, struct horch_err *err);

#endif
