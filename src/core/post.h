/* post.h - the post: one message heard from one source.
 *
 * A struct post is a value type: every field is public and documented here
 * and in docs/post-format.md.  Strings are NUL-terminated UTF-8 owned by the
 * post (malloc'd) and released by post_cleanup(); NULL means "not given".
 * Times are milliseconds since the epoch, UTC (see clock.h).  A post flows
 * through the pipeline by pointer and belongs to one thread at a time.
 *
 * The JSON form (post_from_json / post_to_json) is horch's canonical
 * exchange format: import, export, the API and the webhook all use it. */
#ifndef HORCH_POST_H
#define HORCH_POST_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

enum post_kind {
	POST_KIND_POST = 0,  /* an original post (the default) */
	POST_KIND_REPLY,     /* an answer to another post (see parent) */
	POST_KIND_REPOST,    /* a share of another post: retweet, boost */
	POST_KIND_REVIEW,    /* a product review with a rating */
	POST_KIND_COMMENT,   /* a comment under an article or video */
};

/* Size caps on one post, applied to input of every kind. */
#define POST_TEXT_MAX (256u * 1024)   /* bytes of text (and of html) */
#define POST_FIELD_MAX 2048u          /* bytes of any other string field */
#define POST_JSON_MAX (4u * 1024 * 1024) /* bytes of one JSON post */

#define POST_COUNT_NONE (-1)          /* an unknown count or follower number */

struct post {
	int64_t id;               /* row id in the store; 0 until stored */
	char *source;             /* where it was heard: "twitter", "rss", "mastodon", ...; required */
	char *external_id;        /* the post's id at its source; (source, external_id) is unique */
	char *url;                /* link to the post */
	char *author;             /* author's handle at the source, without a leading '@' */
	char *author_name;        /* author's display name */
	int64_t author_followers; /* followers of the author; POST_COUNT_NONE if unknown */
	int author_verified;      /* 1 if the source marks the author verified, else 0 */
	int64_t created_at;       /* when it was written (ms UTC); HORCH_TIME_NONE if unknown */
	int64_t fetched_at;       /* when horch received it (ms UTC) */
	char *title;              /* title of a blog post, article or review */
	char *text;               /* plain text, valid UTF-8 in NFC once normalised */
	char *html;               /* input only: HTML that the normalise stage turns into text */
	char *lang;               /* ISO 639-1 language code as the source gave it */
	char *parent;             /* external id of the post this one replies to or reposts */
	enum post_kind kind;      /* post, reply, repost, review, comment */
	double rating;            /* stars (0..5) of a review; negative if none */
	char *product;            /* product a review is about */
	int64_t likes;            /* engagement counts at fetch time; POST_COUNT_NONE if unknown */
	int64_t reposts;
	int64_t replies;
	int64_t views;
	char *country;            /* ISO 3166-1 alpha-2 code, upper case */
	size_t n_repaired;        /* invalid UTF-8 sequences replaced by U+FFFD while normalising */
};

void post_init(struct post *p);      /* all fields "not given" */
void post_cleanup(struct post *p);   /* NULL-safe; frees strings, re-inits */
struct post *post_new(void);         /* heap post, initialised */
void post_free(struct post *p);      /* NULL-safe */

/* "post", "reply", "repost", "review", "comment". */
const char *post_kind_name(enum post_kind kind);
/* Parse a kind name (case-insensitive).  Returns 0 or HORCH_EINVAL. */
int post_kind_parse(const char *s, size_t len, enum post_kind *out);

/* Check what every stored post must have: source and external_id present,
 * text or html or title present, every field within its cap, valid UTF-8 in
 * the identifying fields.  Returns 0 or HORCH_EINVAL/HORCH_ETOOBIG with the
 * field named in err->msg. */
int post_validate(const struct post *p, struct horch_err *err);

/* Fill in external_id, when missing, from a hash of author, created_at,
 * title and text, so that re-importing the same row finds the same id. */
void post_derive_external_id(struct post *p);

/* A rename from an input's field names to the canonical ones (import
 * --map).  canonical[i] is taken from the input field named input[i].  The
 * strings are owned by whoever built the map. */
struct post_map {
	size_t n;                   /* number of renames */
	const char **canonical;     /* canonical field names (see post-format.md) */
	const char **input;         /* the input's names for them */
};

/* The names of every canonical field that input can set, NULL-terminated:
 * "external_id", "source", "url", "author", ..., for --map and --help. */
extern const char *const post_field_names[];

/* Set one canonical field from its text form (as in a CSV cell).  Times
 * accept every form of horch_time_parse; counts and ratings are numbers;
 * author_verified takes true/false/1/0/yes/no.  An empty value leaves the
 * field "not given".  Returns 0, HORCH_ENOTFOUND for an unknown field name,
 * or HORCH_EINVAL/HORCH_ETOOBIG with the field named in err->msg. */
int post_set_field(struct post *p, const char *field, const char *val,
		   size_t len, struct horch_err *err);

/* Parse one post from JSON text json[0..len) (an object; see
 * docs/post-format.md).  map, if not NULL, renames input keys first.
 * Unknown keys are ignored.  On success returns 0 and fills p (which must
 * be freshly initialised).  On failure returns HORCH_EPARSE (bad JSON, with
 * err->col), HORCH_EINVAL (a field of the wrong type or value, named in
 * err->msg) or HORCH_ETOOBIG; p is then cleaned up. */
int post_from_json(struct post *p, const char *json, size_t len,
		   const struct post_map *map, struct horch_err *err);

/* Append p's canonical JSON form to out as one line without a newline.
 * Fields that are not given are left out.  Returns 0 or HORCH_ETOOBIG when
 * out's cap is reached. */
int post_to_json(const struct post *p, struct buf *out);

#endif
