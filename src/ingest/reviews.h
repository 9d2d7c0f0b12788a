/* reviews.h - the parts of the reviews connector (reviews.c) that are pure
 * functions of bytes: the reader of a feed of ratings and reviews (JSON,
 * JSON Lines or CSV, with a map of field names), and the reader and writer
 * of the connector's cursor.  The unit tests (tests/unit/test_reviews.c)
 * and the fuzz target (tests/fuzz/fuzz_reviews.c) call them without a
 * network.
 *
 * Not for use outside src/ingest/reviews.c and those tests.  Pure; any
 * thread, one object per thread. */
#ifndef HORCH_REVIEWS_H
#define HORCH_REVIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/post.h"
#include "mark.h"

/* The fields a review feed gives, in the order of reviews_field_names[]. */
enum reviews_field {
	REVIEWS_ID,           /* the review's id at the platform: external_id */
	REVIEWS_PRODUCT,      /* the product's name as the platform writes it */
	REVIEWS_STARS,        /* the rating, 0 to 5 ("rating" is read when there is
			       * no "stars") */
	REVIEWS_TITLE,
	REVIEWS_TEXT,
	REVIEWS_AUTHOR,       /* the reviewer's handle */
	REVIEWS_AUTHOR_NAME,
	REVIEWS_DATE,         /* any form of horch_time_parse(), or epoch seconds */
	REVIEWS_URL,
	REVIEWS_LANG,
	REVIEWS_COUNTRY,
	REVIEWS_N_FIELDS
};

/* "id", "product", "stars", "title", "text", "author", "author_name",
 * "date", "url", "lang", "country". */
extern const char *const reviews_field_names[REVIEWS_N_FIELDS];

enum reviews_format {
	REVIEWS_FORMAT_AUTO = 0,  /* JSON when the body starts with '[' or '{', else CSV */
	REVIEWS_FORMAT_JSON,      /* an array of objects, or JSON Lines */
	REVIEWS_FORMAT_CSV,       /* a header row, then one review per record */
};

#define REVIEWS_NAME_MAX 256      /* bytes of an input field name in a map */
#define REVIEWS_COLUMNS_MAX 4096  /* columns of a CSV header */

/* How to read a feed. */
struct reviews_opts {
	enum reviews_format format;
	const char *platform;     /* the posts' source ("review", "amazon") */
	char delimiter;           /* CSV's field delimiter; 0: ',' */
	/* The input's name of each field (a JSON key, a dotted path into
	 * nested objects, or a CSV column); NULL: its own name; "": not
	 * read.  Owned by the caller (reviews_map_parse() fills them). */
	char *names[REVIEWS_N_FIELDS];
};

/* Read a map "field=input,field=input" (like horch import's --map, with
 * the names above; "id=" or "id=-" reads no id) into o->names (allocated;
 * free with reviews_opts_cleanup()).  Returns 0, or HORCH_EINVAL naming
 * the entry at fault. */
int reviews_map_parse(struct reviews_opts *o, const char *spec, struct horch_err *err);
void reviews_opts_cleanup(struct reviews_opts *o);   /* frees the names */

/* A feed read: its good reviews, oldest first. */
struct reviews_feed {
	struct post **posts;      /* owned; a taken one is set to NULL */
	size_t n;
	size_t n_records;         /* records read, good or not */
	size_t n_skipped;         /* records skipped (each reported) */
	enum reviews_format format; /* as read (never AUTO) */
};

/* Told about each record that is skipped: one line naming it and why. */
typedef void (*reviews_warn_fn)(void *ctx, const char *msg);

/* Read the feed body[0..len) with o.  Each record becomes a post of kind
 * REVIEW, source o->platform: external_id the id, or else "h:" and a hash
 * of the review and its product (post_derive_external_id() mixed with the
 * product, so that one review syndicated to two products counts for
 * each); rating the stars; product the name with its spaces squeezed.  A
 * record whose stars are not a number from 0 to 5, whose date cannot be
 * read, or which fails post_validate(), is skipped and reported to warn
 * (which may be NULL), as is a line of JSON Lines that is not an object.
 * The posts are sorted by created_at, then external_id; those without a
 * date come first.  Returns 0 and fills out (initialised here; release
 * with reviews_feed_cleanup()), or HORCH_EPARSE (a JSON array that does
 * not parse, with its byte offset, line and column; a CSV header that
 * cannot be read; a map naming a CSV column the header lacks) or
 * HORCH_ETOOBIG (more than 100,000 reviews) with err set; out is then
 * empty. */
int reviews_parse(const char *body, size_t len, const struct reviews_opts *o,
		  struct reviews_feed *out, reviews_warn_fn warn, void *ctx, struct horch_err *err);
void reviews_feed_cleanup(struct reviews_feed *f);   /* NULL-safe */

/* The cursor: every review dated before seen.t, and those dated seen.t
 * named in its ids, is stored (a mark of milliseconds, mark.h); and the
 * feed's ETag and Last-Modified when all of it was. */
#define REVIEWS_IDS_BYTES 3000u   /* bytes of ids a cursor keeps */
#define REVIEWS_ID_MAX 256u       /* an id longer than this is never kept */

struct reviews_cursor {
	struct source_mark seen;  /* t in ms; SOURCE_MARK_NONE: nothing stored yet */
	char *etag;               /* NULL: none */
	char *last_modified;      /* NULL: none */
};

void reviews_cursor_init(struct reviews_cursor *c);
void reviews_cursor_cleanup(struct reviews_cursor *c);   /* NULL-safe; re-inits */
/* Read a cursor written by reviews_cursor_write() ("" or NULL: the empty
 * one).  Returns 0, or HORCH_EPARSE (c is then empty). */
int reviews_cursor_read(struct reviews_cursor *c, const char *s, struct horch_err *err);
/* Write c as one JSON object to out (reset first).  0 or HORCH_ETOOBIG. */
int reviews_cursor_write(const struct reviews_cursor *c, struct buf *out);

#endif
