/* reddit.h - the parts of the Reddit connector (reddit.c) that are pure
 * functions of bytes: the reader of a Listing and the reader and writer of
 * the connector's cursor.  The unit tests (tests/unit/test_reddit.c) and
 * the fuzz target (tests/fuzz/fuzz_reddit.c) call them without a network.
 *
 * Not for use outside src/ingest/reddit.c and those tests.  Pure; any
 * thread, one object per thread. */
#ifndef HORCH_REDDIT_H
#define HORCH_REDDIT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"
#include "mark.h"

#define REDDIT_PAGE_MAX 100       /* items Reddit gives per page at most (limit=100) */
/* Fullnames a cursor's mark keeps for one second of one listing, and the
 * bytes of one fullname ("t3_1abcdef"): four marks of these stay well
 * within SOURCE_CURSOR_MAX. */
#define REDDIT_IDS_MAX 16
#define REDDIT_FULLNAME_MAX 24

/* One usable item of a listing. */
struct reddit_item {
	struct post *post;        /* owned by the page until taken (set to NULL) */
	int64_t created;          /* created_utc, whole seconds */
};

/* One page of a Listing, in the listing's order (newest first). */
struct reddit_page {
	struct reddit_item *items;
	size_t n;
	char *after;              /* the fullname that the next page starts after, or
				   * NULL when the listing has no more */
	size_t n_children;        /* children on the page, usable or not */
	size_t n_skipped;         /* children that were not usable (each reported) */
};

/* Told about each child that is skipped: one line naming it and why. */
typedef void (*reddit_warn_fn)(void *ctx, const char *msg);

/* Read a Listing ({"kind":"Listing","data":{"after":..,"children":[..]}})
 * from body[0..len).  Children of kind t3 become posts (kind POST), t1
 * comments (kind COMMENT, parent = parent_id); "more" stubs are ignored;
 * a child of another kind or without a usable fullname, time or text is
 * skipped and reported to warn (which may be NULL).  A removed or deleted
 * comment (no text left) is skipped silently.  where names the request in
 * messages.  Returns 0 and fills out (initialised here; release with
 * reddit_page_cleanup()), or HORCH_EPARSE with err naming the byte offset,
 * line and column, or the field at fault; out is then empty. */
int reddit_parse(const char *body, size_t len, const char *where, struct reddit_page *out,
		 reddit_warn_fn warn, void *ctx, struct horch_err *err);
void reddit_page_cleanup(struct reddit_page *pg);   /* NULL-safe */

/* What the connector knows of one listing (new posts or search, comments):
 * marks (mark.h) of seconds and fullnames, each keeping at most
 * REDDIT_IDS_MAX fullnames. */
struct reddit_walk {
	struct source_mark seen;  /* stored up to here; t < 0: nothing yet */
	char *after;              /* an unfinished walk down the listing continues after
				   * this fullname; NULL: none */
	struct source_mark top;   /* the newest item of that unfinished walk */
};

/* The cursor: one walk per listing. */
struct reddit_cursor {
	struct reddit_walk posts;
	struct reddit_walk comments;
};

void reddit_cursor_init(struct reddit_cursor *c);
void reddit_cursor_cleanup(struct reddit_cursor *c);   /* NULL-safe; re-inits */

/* Read a cursor written by reddit_cursor_write() from s ("" or NULL: the
 * empty cursor).  Returns 0, or HORCH_EPARSE with err saying what is wrong
 * (c is then empty).  c must be initialised. */
int reddit_cursor_read(struct reddit_cursor *c, const char *s, struct horch_err *err);
/* Write c as one JSON object to out (reset first).  Returns 0 or
 * HORCH_ETOOBIG (out's cap). */
int reddit_cursor_write(const struct reddit_cursor *c, struct buf *out);

#endif
