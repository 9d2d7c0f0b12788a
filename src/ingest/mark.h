/* mark.h - a cursor's mark: a time and the ids of the items stored at that
 * time, shared by the connectors whose platforms list items by time (hn.c,
 * reddit.c, reviews.c).
 *
 * Items of one time (a second, a millisecond) are frequent and come in any
 * order, so that a cursor of a time alone would either skip or repeat some
 * of them.  A mark keeps the ids of its time too: an item is covered when
 * it is older than the mark, or of the mark's time and named in it.  A mark
 * keeps only as many ids as its caps allow, so that a cursor stays within
 * SOURCE_CURSOR_MAX; an id left out is only read again (the store keeps a
 * post once), never skipped.
 *
 * A cursor writes a mark as two fields of its JSON object under names of
 * its choosing ("t":1700000000,"ids":["a","b"]), and reads it back with
 * source_mark_read().
 *
 * Not for use outside src/ingest/ and the tests and fuzz targets of those
 * connectors.  Pure; any thread, one mark per thread. */
#ifndef HORCH_MARK_H
#define HORCH_MARK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/err.h"

/* The time of a mark that holds nothing, and of an item without a date:
 * below every time, so that any item noted is newer. */
#define SOURCE_MARK_NONE HORCH_TIME_NONE
/* A time in seconds at or beyond this is not one (source_mark_read()). */
#define SOURCE_MARK_SECONDS_MAX 100000000000LL

/* How many ids a mark keeps at most; 0 in a field: no cap of that kind. */
struct source_mark_caps {
	size_t ids;               /* ids */
	size_t bytes;             /* bytes they take in the JSON, each its length
				   * and 3 (quotes and a comma) */
	size_t id_len;            /* an id longer than this is never kept */
};

/* Everything before time t, and the items of time t named in ids, is
 * covered.  Embedded in a connector's cursor; source_mark_init() before
 * use, source_mark_cleanup() after. */
struct source_mark {
	int64_t t;                /* SOURCE_MARK_NONE: nothing noted yet */
	char **ids;               /* the ids noted at t, in the order noted; owned */
	size_t n_ids;
	size_t ids_bytes;         /* what they take of caps.bytes */
	struct source_mark_caps caps;
};

/* An empty mark with caps (copied). */
void source_mark_init(struct source_mark *m, const struct source_mark_caps *caps);
/* Free m's ids and empty it, keeping its caps.  NULL-safe. */
void source_mark_cleanup(struct source_mark *m);

/* 1 when m names the item (t, id): t is m's time and id one of its ids. */
int source_mark_has(const struct source_mark *m, int64_t t, const char *id);
/* 1 when m covers the item (t, id): t before m's time, or
 * source_mark_has().  An empty mark, or t SOURCE_MARK_NONE: 0. */
int source_mark_covers(const struct source_mark *m, int64_t t, const char *id);
/* Note an item as the newest one: a newer time starts a new set of ids,
 * the same time adds id (when the caps leave room), an older one (or t
 * SOURCE_MARK_NONE) changes nothing. */
void source_mark_newest(struct source_mark *m, int64_t t, const char *id);
/* Note an item as the oldest one: the same, the other way round. */
void source_mark_oldest(struct source_mark *m, int64_t t, const char *id);
/* A walk down a listing, whose newest item is top, has reached seen: seen
 * moves up to top (keeping seen's ids too when both are of one time) and
 * top is emptied.  An empty top changes nothing.  Both have the same caps. */
void source_mark_advance(struct source_mark *seen, struct source_mark *top);

/* Parse the cursor text s as a JSON object.  Returns 0 with *out the
 * object (the caller json_decref()s it), 0 with *out NULL when s is NULL
 * or "" (no cursor yet), or HORCH_EPARSE with err "cursor: not JSON at
 * byte N: ..." or "cursor: not an object" and *out NULL. */
int source_mark_cursor(json_t **out, const char *s, struct horch_err *err);
/* Read the mark of seconds in o's fields tkey (a whole number of seconds,
 * 0 to SOURCE_MARK_SECONDS_MAX) and idskey (an array of ids, each one that
 * valid() accepts, at most caps.ids of them) into m (initialised, empty).
 * Neither field: m stays empty.  Returns 0, or HORCH_EPARSE with err
 * "cursor: ..." saying what is wrong. */
int source_mark_read(struct source_mark *m, const json_t *o, const char *tkey,
		     const char *idskey, int (*valid)(const char *id), struct horch_err *err);
/* Append m to the JSON object being written to out as "tkey":T,
 * "idskey":[...], after a comma unless *first (which it then clears).  An
 * empty mark writes nothing.  Returns 0 or HORCH_ETOOBIG (out's cap). */
int source_mark_write(struct buf *out, const char *tkey, const char *idskey,
		      const struct source_mark *m, int *first);

#endif
