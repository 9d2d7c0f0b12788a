/* hn.h - the parts of the Hacker News connector (hn.c) that are pure
 * functions of bytes: the reader of an Algolia search answer and the
 * reader and writer of the connector's cursor.  The unit tests
 * (tests/unit/test_hn.c) and the fuzz target (tests/fuzz/fuzz_hn.c) call
 * them without a network.
 *
 * Not for use outside src/ingest/hn.c and those tests.  Pure; any thread,
 * one object per thread. */
#ifndef HORCH_HN_H
#define HORCH_HN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"
#include "mark.h"

/* objectIDs a cursor's mark keeps for one second, and the digits of one:
 * three marks of these stay well within SOURCE_CURSOR_MAX. */
#define HN_IDS_MAX 48
#define HN_ID_MAX 20

/* One usable hit. */
struct hn_item {
	struct post *post;        /* owned by the page until taken (set to NULL) */
	int64_t created;          /* created_at_i, seconds */
};

/* One page of an answer of search_by_date, in its order (newest first). */
struct hn_page {
	struct hn_item *items;
	size_t n;
	size_t n_hits;            /* hits on the page, usable or not */
	size_t n_skipped;         /* hits that were not usable (each reported) */
	long page;                /* the page's number (from 0) */
	long nb_pages;            /* pages the query has (Algolia pages through 1000
				   * hits at most) */
	long nb_hits;             /* hits the query has, beyond those 1000 too */
	long hits_per_page;
};

/* Told about each hit that is skipped: one line naming it and why. */
typedef void (*hn_warn_fn)(void *ctx, const char *msg);

/* Read an answer of Algolia's search_by_date ({"hits":[..],"nbHits":..,
 * "page":..,"nbPages":..,"hitsPerPage":..}) from body[0..len).  A story
 * (or poll, job) becomes a post, a comment (tag "comment") a comment with
 * parent = parent_id; story_text or comment_text is the post's HTML.  A hit
 * without objectID, time or any text is skipped and reported to warn
 * (which may be NULL).  where names the request in messages.  Returns 0
 * and fills out (initialised here; release with hn_page_cleanup()), or
 * HORCH_EPARSE with err naming the byte offset, line and column, or the
 * field at fault; out is then empty. */
int hn_parse(const char *body, size_t len, const char *where, struct hn_page *out,
	     hn_warn_fn warn, void *ctx, struct horch_err *err);
void hn_page_cleanup(struct hn_page *pg);   /* NULL-safe */

/* The cursor: three marks (mark.h) of seconds and objectIDs, each keeping
 * at most HN_IDS_MAX ids.  seen: everything created before seen.t, and the
 * items of second seen.t named in its ids, is stored.  While a walk down
 * the hits is unfinished (top.t >= 0): every hit from top down to low.t,
 * those of second low.t named in low's ids, has been stored too, and the
 * walk goes on below. */
struct hn_cursor {
	struct source_mark seen;
	struct source_mark top;
	struct source_mark low;
};

void hn_cursor_init(struct hn_cursor *c);
void hn_cursor_cleanup(struct hn_cursor *c);   /* NULL-safe; re-inits */

/* Read a cursor written by hn_cursor_write() from s ("" or NULL: the empty
 * cursor).  Returns 0, or HORCH_EPARSE with err saying what is wrong (c is
 * then empty).  c must be initialised. */
int hn_cursor_read(struct hn_cursor *c, const char *s, struct horch_err *err);
/* Write c as one JSON object to out (reset first).  Returns 0 or
 * HORCH_ETOOBIG (out's cap). */
int hn_cursor_write(const struct hn_cursor *c, struct buf *out);

#endif
