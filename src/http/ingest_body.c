/* ingest_body.c - the body of POST /api/ingest, parsed (ingest_body.h).
 *
 * A body is read whole first: a body that is not JSON (or a line of JSON
 * Lines that is not) fails as a whole with its line and column, so that
 * nothing of it is stored.  A post that is JSON but not a valid post
 * becomes an item with its reason, and the others go on. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "ingest_body.h"

static void add(struct ingest_body *pd, struct post *p, long line, const char *msg)
{
	pd->items = horch_xgrow(pd->items, &pd->cap, pd->n + 1, sizeof *pd->items);
	pd->items[pd->n].post = p;
	pd->items[pd->n].line = line;
	pd->items[pd->n].msg = msg ? horch_xstrdup(msg) : NULL;
	pd->n++;
}

/* Parse one post from text; a post that is not valid goes in as an error.
 * Returns 0, or HORCH_EPARSE (not JSON: err says where) or HORCH_ETOOBIG
 * (too many posts). */
static int parse_one(struct ingest_body *pd, const char *text, size_t len, long line,
		     struct horch_err *err)
{
	struct post *p;
	int rc;

	if (pd->n == INGEST_MAX_POSTS)
		return horch_err_set(err, HORCH_ETOOBIG, "more than %u posts in one call",
				     INGEST_MAX_POSTS);
	p = horch_xmalloc(sizeof *p);
	post_init(p);
	rc = post_from_json(p, text, len, NULL, err);
	if (rc == 0) {
		struct horch_err verr;

		/* As import does: a source for a post that names none, an id
		 * derived from its content, the time it was heard. */
		if (!p->source)
			p->source = horch_xstrdup(INGEST_SOURCE);
		post_derive_external_id(p);
		if (p->fetched_at == HORCH_TIME_NONE)
			p->fetched_at = horch_now();
		/* A live post without a time was written about when it
		 * arrived: without one it would fall out of every window. */
		if (p->created_at == HORCH_TIME_NONE)
			p->created_at = p->fetched_at;
		horch_err_clear(&verr);
		if (post_validate(p, &verr) == 0) {
			add(pd, p, line, NULL);
			return 0;
		}
		add(pd, NULL, line, verr.msg);
		post_free(p);
		return 0;
	}
	free(p);
	if (rc == HORCH_EPARSE) {
		if (line)
			err->line = line;
		return rc;
	}
	add(pd, NULL, line, err->msg);
	horch_err_clear(err);
	return 0;
}

int ingest_body_parse(struct ingest_body *pd, const char *body, size_t len,
		      const char *content_type, struct horch_err *err)
{
	const char *b = body, *end = body + len;
	int lines = content_type && (strstr(content_type, "ndjson") ||
				     strstr(content_type, "jsonl") ||
				     strstr(content_type, "json-seq"));
	json_error_t jerr;
	json_t *root;
	int rc = 0;

	while (b < end && (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n'))
		b++;
	if (b == end)
		return horch_err_set(err, HORCH_EPARSE, "the body is empty: send a post, an "
				     "array of posts or JSON Lines");
	if (!lines && *b == '[') {
		size_t i;
		json_t *v;

		root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!root)
			return horch_err_at(err, HORCH_EPARSE, jerr.line, jerr.column,
					    "bad JSON: %s at line %d, column %d", jerr.text,
					    jerr.line, jerr.column);
		json_array_foreach(root, i, v) {
			char *text;

			if (!json_is_object(v)) {
				add(pd, NULL, 0, "expected a JSON object");
				continue;
			}
			text = json_dumps(v, JSON_COMPACT);
			rc = parse_one(pd, text, strlen(text), 0, err);
			free(text);
			if (rc)
				break;
		}
		json_decref(root);
		return rc;
	}
	if (!lines) {
		/* One object, or JSON Lines sent as application/json. */
		root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
		if (root) {
			json_decref(root);
			return parse_one(pd, body, len, 0, err);
		}
		if (json_error_code(&jerr) != json_error_end_of_input_expected)
			return horch_err_at(err, HORCH_EPARSE, jerr.line, jerr.column,
					    "bad JSON: %s at line %d, column %d", jerr.text,
					    jerr.line, jerr.column);
	}
	for (long line = 1; body < end && !rc; line++) {
		const char *s = line == 1 ? body : b;
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end, *t = s;

		while (t < e && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t < e)
			rc = parse_one(pd, s, (size_t)(e - s), line, err);
		if (!nl)
			break;
		b = nl + 1;
	}
	return rc;
}

void ingest_body_cleanup(struct ingest_body *pd)
{
	if (!pd)
		return;
	for (size_t i = 0; i < pd->n; i++) {
		post_free(pd->items[i].post);
		free(pd->items[i].msg);
	}
	free(pd->items);
	memset(pd, 0, sizeof *pd);
}
