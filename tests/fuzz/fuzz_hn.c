/* fuzz_hn.c - libFuzzer target for the Hacker News connector's readers
 * (src/ingest/hn.h): hn_parse() on an answer of Algolia's search_by_date
 * and hn_cursor_read() on a cursor, both given the whole input.
 *
 * Checked: a failure has a message and a negative code and leaves the page
 * empty; every item read is a valid post of source "hackernews" whose
 * external id is all digits and whose URL is the item's; items and
 * skipped hits add up to the hits; a cursor that reads writes out, reads
 * back and writes out to the very same bytes.  Corpus:
 * tests/fuzz/corpus/hn, dictionary: tests/fuzz/hn.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/post.h"
#include "ingest/hn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *ctx, const char *msg)
{
	if (!msg[0])
		abort();
	(*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hn_page pg;
	struct hn_cursor c;
	struct horch_err err;
	struct buf b1, b2;
	size_t warned = 0;
	char *s;

	if (hn_parse((const char *)data, size, "fuzz", &pg, count, &warned, &err) == 0) {
		if (pg.n + pg.n_skipped != pg.n_hits || warned != pg.n_skipped)
			abort();
		for (size_t i = 0; i < pg.n; i++) {
			const struct post *p = pg.items[i].post;
			size_t len = strlen(p->external_id);

			if (post_validate(p, NULL) || strcmp(p->source, "hackernews") || !len ||
			    strspn(p->external_id, "0123456789") != len ||
			    strcmp(p->url + strlen(p->url) - len, p->external_id) ||
			    pg.items[i].created < 0 || p->created_at != pg.items[i].created * 1000)
				abort();
		}
		hn_page_cleanup(&pg);
	} else if (!err.msg[0] || err.code >= 0 || pg.n || pg.items) {
		abort();
	}

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	hn_cursor_init(&c);
	buf_init(&b1, BUF_NOLIMIT);
	buf_init(&b2, BUF_NOLIMIT);
	if (hn_cursor_read(&c, s, &err) == 0) {
		if (hn_cursor_write(&c, &b1) || hn_cursor_read(&c, b1.ptr, &err) ||
		    hn_cursor_write(&c, &b2) || b1.len != b2.len || memcmp(b1.ptr, b2.ptr, b1.len)) {
			fprintf(stderr, "cursor round trip: %s | %s\n", b1.ptr, b2.ptr ? b2.ptr : "");
			abort();
		}
	} else if (!err.msg[0] || err.code >= 0) {
		abort();
	}
	hn_cursor_cleanup(&c);
	buf_cleanup(&b1);
	buf_cleanup(&b2);
	free(s);
	return 0;
}
