/* fuzz_ingest.c - libFuzzer target for the body of POST /api/ingest
 * (src/http/ingest_body.c): one post, an array of posts, or JSON Lines.
 *
 * The first byte picks the Content-Type (application/json or
 * application/x-ndjson); the rest is the body.  On success every item must
 * be either a valid post (post_validate() passes, source and external id
 * set) or a refusal with a message, and the items must number at most
 * INGEST_MAX_POSTS; on failure the error must have a message.  A broken
 * rule aborts.  Corpus: tests/fuzz/corpus/ingest, dictionary:
 * tests/fuzz/ingest.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/ingest_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_ingest: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_body b = { 0 };
	struct horch_err err;
	const char *type;
	char *body;
	int rc;

	if (size < 1)
		return 0;
	type = data[0] & 1 ? "application/x-ndjson" : "application/json";
	/* The server hands the handler a NUL-terminated body. */
	body = malloc(size);
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';
	horch_err_clear(&err);
	rc = ingest_body_parse(&b, body, size - 1, type, &err);
	if (rc) {
		if (!err.msg[0])
			fail("an error without a message");
	} else {
		if (b.n > INGEST_MAX_POSTS)
			fail("more items than the cap");
		for (size_t i = 0; i < b.n; i++) {
			struct horch_err verr;

			if (b.items[i].post) {
				if (post_validate(b.items[i].post, &verr) != 0)
					fail("an accepted post does not validate");
				if (!b.items[i].post->source || !b.items[i].post->external_id)
					fail("an accepted post without source or external id");
			} else if (!b.items[i].msg || !b.items[i].msg[0]) {
				fail("a refused post without a reason");
			}
		}
	}
	ingest_body_cleanup(&b);
	free(body);
	return 0;
}
