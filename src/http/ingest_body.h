/* ingest_body.h - the body of POST /api/ingest: one post object, an array
 * of them, or JSON Lines (one object a line), parsed into posts.
 *
 * Each post is given what import gives a record: the source "webhook" when
 * it names none, an external id derived from its content when it has none,
 * the time it was heard (fetched_at), and that time as created_at when it
 * has no time of its own (a live post is about now).  Then it is checked
 * (post_validate()).  Any thread. */
#ifndef HORCH_INGEST_BODY_H
#define HORCH_INGEST_BODY_H

#include <stddef.h>

#include "../core/err.h"
#include "../core/post.h"

#define INGEST_MAX_POSTS 100000u  /* posts in one body */
#define INGEST_SOURCE "webhook"   /* the source of a post that names none */

/* One post of the body: post, or NULL and msg saying why it is not a valid
 * post; line is its line in JSON Lines (0 otherwise). */
struct ingest_item {
	struct post *post;
	long line;
	char *msg;
};

struct ingest_body {
	struct ingest_item *items;  /* in the order of the body */
	size_t n, cap;
};

/* Parse body[0..len) (JSON Lines when content_type names ndjson, jsonl or
 * json-seq, or when an application/json body holds more than one value)
 * into b (zeroed by the caller).  Returns 0 with the items in b; or
 * HORCH_EPARSE (not JSON, or empty: err has the line and column) or
 * HORCH_ETOOBIG (more than INGEST_MAX_POSTS), and then b must still be
 * cleaned up but none of it used. */
int ingest_body_parse(struct ingest_body *b, const char *body, size_t len,
		      const char *content_type, struct horch_err *err);

void ingest_body_cleanup(struct ingest_body *b); /* NULL-safe; zeroes b */

#endif
