/* mastodon.h - the parsers of the Mastodon connector (mastodon.c): status
 * JSON to posts, a page of a timeline or a search, the Link header, the
 * Server-Sent Events framing of the streaming API, and the ids that make
 * its cursor.
 *
 * Each is a pure function of the bytes it is given, so that the unit test
 * (tests/unit/test_mastodon.c) and the fuzz target
 * (tests/fuzz/fuzz_mastodon.c) call them without a network.  Private to
 * the connector, its test and its fuzz target.
 *
 * Threads: the functions keep no state of their own; a struct
 * mastodon_page or struct mastodon_sse belongs to the thread that made
 * it. */
#ifndef HORCH_MASTODON_H
#define HORCH_MASTODON_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"

/* Caps on what an instance sends. */
#define MASTODON_ID_MAX 64                   /* bytes of a status id */
#define MASTODON_PAGE_MAX (8u * 1024 * 1024) /* bytes of one page of statuses */
#define MASTODON_EVENT_MAX (2u * 1024 * 1024)/* bytes of one streamed event's data */
#define MASTODON_PAGE_ITEMS 200              /* statuses read from one page */
#define MASTODON_WARN_KEEP 8                 /* messages kept of a page's bad items */

/* ---- ids ----
 *
 * Mastodon's ids are decimal numbers written as strings (Snowflake-like:
 * the milliseconds of the status's time shifted left by 16 bits); other
 * servers speaking the same API (Pleroma, Akkoma) use fixed-length base62
 * strings.  Both sort by length, then byte by byte, which is how the
 * instance orders its timelines. */

/* 1 when s[0..len) can be an id: 1 to MASTODON_ID_MAX ASCII letters and
 * digits, else 0. */
int mastodon_id_valid(const char *s, size_t len);
/* Order two valid ids as the instance does: <0, 0, >0. */
int mastodon_id_cmp(const char *a, const char *b);

/* ---- statuses ---- */

/* What became of one status. */
enum {
	MASTODON_TAKEN = 0,   /* a post */
	MASTODON_QUIET = 1,   /* skipped, nothing wrong: not public, or nothing to read */
};

/* Turn the status object json[0..len) into p (freshly initialised), the
 * way the connector stores it: source "mastodon", external_id the status's
 * uri, author the account's acct with "@host" added to a local account
 * (host: the instance's host name, lower case), a boost as a repost of the
 * boosted status (parent its uri, its content and language), a reply as
 * kind reply (its parent unknown: Mastodon gives only the local id of the
 * status replied to).  Stores the status's own id in id ("" when it has
 * none that can be read).
 *
 * Returns MASTODON_TAKEN with p filled; MASTODON_QUIET with p cleaned up
 * and err->msg saying why (a status that is not public or unlisted, or
 * one without text, spoiler or media description); HORCH_EPARSE when
 * json is not JSON (err->line and err->col set); HORCH_EINVAL or
 * HORCH_ETOOBIG for a status that cannot be used (a field missing, of the
 * wrong type or over its cap, named in err->msg), with p cleaned up. */
int mastodon_status_parse(const char *json, size_t len, const char *host, struct post *p,
			  char id[MASTODON_ID_MAX + 1], struct horch_err *err);

/* One status of a page that became a post. */
struct mastodon_item {
	char id[MASTODON_ID_MAX + 1]; /* the status's id on the instance */
	struct post *post;        /* owned by the page until taken */
};

/* One page of statuses, parsed. */
struct mastodon_page {
	struct mastodon_item *items; /* the statuses taken, oldest (smallest id) first */
	size_t n_posts;
	size_t n_items;           /* statuses in the page, taken or not */
	size_t n_quiet;           /* skipped quietly (MASTODON_QUIET) */
	size_t n_bad;             /* skipped as unusable */
	char newest[MASTODON_ID_MAX + 1]; /* greatest id of the page, taken or not; "" if none */
	char *warnings[MASTODON_WARN_KEEP]; /* why the first bad items were skipped */
	size_t n_warnings;
};

void mastodon_page_init(struct mastodon_page *page);
void mastodon_page_cleanup(struct mastodon_page *page);  /* NULL-safe; re-inits */
/* Move items[i]'s post to the caller (who frees it with post_free()); the
 * page keeps NULL in its place. */
struct post *mastodon_page_take(struct mastodon_page *page, size_t i);

/* Parse body[0..len): a JSON array of statuses (a timeline), or with
 * search set the object of /api/v2/search whose "statuses" array is read.
 * host is as for mastodon_status_parse().  A status that cannot be used
 * is skipped and counted (n_bad, with a message in warnings naming its
 * place in the page and its id where known); the page still succeeds.
 *
 * Returns 0 with page filled (it must be initialised; it is cleaned up
 * first).  HORCH_EPARSE when the body is not JSON of that shape (err->line
 * and err->col set for bad JSON), HORCH_ETOOBIG over MASTODON_PAGE_MAX
 * bytes or MASTODON_PAGE_ITEMS statuses; page is left empty then. */
int mastodon_page_parse(const char *body, size_t len, int search, const char *host,
			struct mastodon_page *page, struct horch_err *err);

/* ---- the Link header ----
 *
 * Mastodon pages with a Link header (RFC 8288):
 *   <https://host/api/v1/timelines/public?max_id=7>; rel="next",
 *   <https://host/api/v1/timelines/public?min_id=9>; rel="prev"  */

/* Find the link whose rel is rel in the Link header value link and copy
 * the value of its query parameter param (percent-decoding not needed:
 * ids are letters and digits) to out[0..size).  Returns 1 when found and
 * it fits, else 0 (out is then ""). */
int mastodon_link_param(const char *link, const char *rel, const char *param, char *out,
			size_t size);

/* ---- the streaming API: Server-Sent Events ----
 *
 * The W3C framing: lines ended by CR LF, LF or CR; "field: value" lines
 * (one space after the colon dropped); a line starting with ':' is a
 * comment (Mastodon's heartbeat ":thump"); a blank line ends an event,
 * whose data lines are joined by "\n".  A stream may be cut anywhere
 * between two reads.  An event whose data passes the cap is dropped
 * whole. */

/* Called for each complete event: its type ("message" when it named
 * none) and its data[0..len) (NUL-terminated).  data is NULL (len the
 * bytes seen so far) for an event dropped for its size.  Returns 0 to go
 * on; any other value stops mastodon_sse_feed(), which returns it. */
typedef int (*mastodon_sse_fn)(void *ctx, const char *event, const char *data, size_t len);

struct mastodon_sse {
	struct buf line;          /* the line being read */
	struct buf data;          /* the data of the event being read */
	char event[64];           /* its type; "" for "message" */
	size_t max;               /* cap on an event's data */
	size_t dropped;           /* bytes of the event being dropped; 0: not dropping */
	int in_line_overflow;     /* the line being read passed the cap: skip to its end */
	int after_cr;             /* the last byte was a CR: an LF right after it is not a new line */
	int started;              /* past the first line (a UTF-8 BOM there is dropped) */
	int has_data;             /* the event being read has a data line */
	size_t n_events;          /* events delivered */
	size_t n_dropped;         /* events dropped for their size */
	mastodon_sse_fn fn;
	void *ctx;
};

/* Start reading a stream whose events go to fn(ctx, ...); max is the cap
 * on one event's data (0: MASTODON_EVENT_MAX). */
void mastodon_sse_init(struct mastodon_sse *s, size_t max, mastodon_sse_fn fn, void *ctx);
void mastodon_sse_cleanup(struct mastodon_sse *s);  /* NULL-safe */
/* Feed the next p[0..len) of the stream.  Returns 0, or the first nonzero
 * value a callback returned (the rest of p is not read then). */
int mastodon_sse_feed(struct mastodon_sse *s, const char *p, size_t len);

/* ---- settings ---- */

/* The host name of an http or https URL, lower case, without user info,
 * port or brackets ("https://Social.Example:8443/x" -> "social.example"),
 * in out[0..size).  Returns 0, or HORCH_EINVAL when url is not such a URL
 * with a host. */
int mastodon_url_host(const char *url, char *out, size_t size);

#endif
