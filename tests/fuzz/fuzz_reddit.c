/* fuzz_reddit.c - libFuzzer target for the Reddit connector's readers
 * (src/ingest/reddit.h): reddit_parse() on a listing and
 * reddit_cursor_read() on a cursor, both given the whole input.
 *
 * Checked: a failure has a message and a negative code and leaves the page
 * empty; every item read is a valid post of source "reddit" whose external
 * id is a fullname of its kind; the count of items and skipped children
 * adds up to at most the children; a cursor that reads writes out, reads
 * back and writes out to the very same bytes.  Corpus:
 * tests/fuzz/corpus/reddit, dictionary: tests/fuzz/reddit.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"
#include "ingest/reddit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *ctx, const char *msg)
{
	if (!msg[0])
		abort();   /* a warning must say something */
	(*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reddit_page pg;
	struct reddit_cursor c;
	struct horch_err err;
	struct buf b1, b2;
	size_t warned = 0;
	char *s;

	if (reddit_parse((const char *)data, size, "fuzz", &pg, count, &warned, &err) == 0) {
		if (pg.n + pg.n_skipped > pg.n_children || warned != pg.n_skipped)
			abort();
		for (size_t i = 0; i < pg.n; i++) {
			const struct post *p = pg.items[i].post;

			if (post_validate(p, NULL) || strcmp(p->source, "reddit") ||
			    strncmp(p->external_id, p->kind == POST_KIND_COMMENT ? "t1_" : "t3_", 3) ||
			    pg.items[i].created < 0)
				abort();
		}
		reddit_page_cleanup(&pg);
	} else if (!err.msg[0] || err.code >= 0 || pg.n || pg.items || pg.after) {
		abort();
	}

	/* The same bytes as a cursor. */
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	reddit_cursor_init(&c);
	buf_init(&b1, BUF_NOLIMIT);
	buf_init(&b2, BUF_NOLIMIT);
	if (reddit_cursor_read(&c, s, &err) == 0) {
		if (reddit_cursor_write(&c, &b1) || reddit_cursor_read(&c, b1.ptr, &err) ||
		    reddit_cursor_write(&c, &b2) || b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len)) {
			fprintf(stderr, "cursor round trip: %s | %s\n", b1.ptr, b2.ptr ? b2.ptr : "");
			abort();
		}
	} else if (!err.msg[0] || err.code >= 0) {
		abort();
	}
	reddit_cursor_cleanup(&c);
	buf_cleanup(&b1);
	buf_cleanup(&b2);
	free(s);
	return 0;
}
