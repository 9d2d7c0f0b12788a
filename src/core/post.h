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

/* The derived sentiment label; POST_SENT_NONE until the enrich stage ran. */
enum post_sentiment {
	POST_SENT_NONE = 0,
	POST_SENT_NEGATIVE,
	POST_SENT_NEUTRAL,
	POST_SENT_POSITIVE,
};

/* The derived intent; POST_INTENT_NONE until the enrich stage ran. */
enum post_intent {
	POST_INTENT_NONE = 0,
	POST_INTENT_OTHER,      /* none of the below */
	POST_INTENT_COMPLAINT,  /* something went wrong for the author */
	POST_INTENT_QUESTION,   /* the author asks for help or information */
	POST_INTENT_PRAISE,     /* the author is pleased */
	POST_INTENT_PURCHASE,   /* the author considers buying: a lead */
	POST_INTENT_IDEA,       /* a suggestion for the product */
};

/* The kind of an entity found in a post. */
enum post_entity_kind {
	POST_ENTITY_HASHTAG = 0, /* value: the tag folded, without '#' */
	POST_ENTITY_MENTION,     /* value: the handle folded, without '@' */
	POST_ENTITY_CASHTAG,     /* value: the ticker upper case, without '$' */
	POST_ENTITY_URL,         /* value: the host, lower case, without "www." */
	POST_ENTITY_PRODUCT,     /* value: the catalogue's product name; product is its id */
};

/* One entity of a post: where it is and what it names. */
struct post_entity {
	uint8_t kind;             /* enum post_entity_kind */
	uint8_t part;             /* 0: in the title, 1: in the text */
	uint32_t off;             /* byte offset of the mention in that part */
	uint32_t len;             /* its byte length */
	uint32_t value;           /* offset of the NUL-terminated value in post.entity_pool */
	int64_t product;          /* POST_ENTITY_PRODUCT: the product's id, else 0 */
};

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

	/* Derived by the enrich stage (src/nlp; docs/accuracy.md says how
	 * well), stored with the post.  Meaningful once analysed is 1. */
	int analysed;             /* 1 once the enrich stage ran on the post */
	float lang_conf;          /* confidence in lang, 0..1; 0 when lang is the source's claim or "und" */
	float sentiment;          /* sentiment score, -1 (negative) .. 1 (positive) */
	uint8_t sentiment_label;  /* enum post_sentiment */
	uint8_t needs_review;     /* 1: sentiment unclear (low confidence or mixed), for a person */
	uint8_t is_spam;          /* 1: spam >= the spam threshold; kept out of metrics and feeds */
	uint8_t intent;           /* enum post_intent */
	float sentiment_conf;     /* confidence in sentiment_label, 0..1 */
	float spam;               /* spam score, 0..1 */
	uint64_t simhash;         /* 64-bit SimHash of the words; 0 when there are none */
	int64_t dup_of;           /* id of the stored post this one nearly repeats; 0: none */
	float reach;              /* the author's reach, 0..10 (docs/accuracy.md has the formula) */
	float priority;           /* queue priority, 0..100 (docs/accuracy.md has the formula) */
	struct post_entity *entities; /* hashtags, mentions, cashtags, URLs, products */
	size_t n_entities;
	size_t entities_cap;      /* allocated entries of entities */
	char *entity_pool;        /* the entities' values, NUL-terminated, back to back */
	size_t entity_pool_len;   /* bytes used in entity_pool */
	size_t entity_pool_cap;   /* bytes allocated */
};

void post_init(struct post *p);      /* all fields "not given" */
void post_cleanup(struct post *p);   /* NULL-safe; frees strings, re-inits */
struct post *post_new(void);         /* heap post, initialised */
void post_free(struct post *p);      /* NULL-safe */

/* "post", "reply", "repost", "review", "comment". */
const char *post_kind_name(enum post_kind kind);
/* Parse a kind name (case-insensitive).  Returns 0 or HORCH_EINVAL. */
int post_kind_parse(const char *s, size_t len, enum post_kind *out);

/* "negative", "neutral", "positive"; "" for POST_SENT_NONE. */
const char *post_sentiment_name(int label);
/* "other", "complaint", "question", "praise", "purchase", "idea"; "" for
 * POST_INTENT_NONE. */
const char *post_intent_name(int intent);
/* "hashtag", "mention", "cashtag", "url", "product". */
const char *post_entity_kind_name(int kind);
/* Parse the names above (case-insensitive).  Return 0 or HORCH_EINVAL. */
int post_sentiment_parse(const char *s, size_t len, int *out);
int post_intent_parse(const char *s, size_t len, int *out);
int post_entity_kind_parse(const char *s, size_t len, int *out); /* case-sensitive */

/* Append an entity to p: its kind, where it is (part 0 the title, 1 the
 * text; byte offset and length) and its value value[0..vlen) (copied).
 * product is the catalogue id of a POST_ENTITY_PRODUCT, else 0. */
void post_add_entity(struct post *p, int kind, int part, uint32_t off, uint32_t len,
		     const char *value, size_t vlen, int64_t product);
/* The value of p's entity i. */
static inline const char *post_entity_value(const struct post *p, size_t i)
{
	return p->entity_pool + p->entities[i].value;
}
/* Remove every entity of p. */
void post_clear_entities(struct post *p);

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
